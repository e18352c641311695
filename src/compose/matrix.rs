//! The issue matrix: one row per issue in the selection, a column per
//! party, cells citing the findings that record each position. Pure.

use super::filing::Filing;
use super::view::{CellView, MatrixRowView, MatrixView};
use crate::corpus::model::{Finding, SHARED};
use crate::select::Selection;

pub(super) fn compose(selection: &Selection, filing: &Filing) -> MatrixView {
    let parties = &selection.corpus.parties;
    let rows = selection
        .issues
        .iter()
        .enumerate()
        .map(|(index, issue)| {
            let on_issue: Vec<&Finding> = selection
                .findings
                .iter()
                .copied()
                .filter(|f| f.issue.as_deref() == Some(issue.id.as_str()))
                .collect();
            let cites = |held_by: &dyn Fn(Option<&str>) -> bool| {
                filing.cites(on_issue.iter().copied().filter(|f| held_by(f.perspective.as_deref())))
            };
            let withheld = |held_by: &dyn Fn(Option<&str>) -> bool| {
                selection.count_withheld(&|f| {
                    f.issue.as_deref() == Some(issue.id.as_str())
                        && held_by(f.perspective.as_deref())
                })
            };
            MatrixRowView {
                id: issue.id.clone(),
                label: format!("issue-{}", index + 1),
                title: issue.title.clone(),
                question: issue.question.clone(),
                assessment: issue.assessment,
                rationale: issue.rationale.clone(),
                cells: parties
                    .iter()
                    .map(|party| CellView {
                        position: issue.position(&party.id).map(str::to_string),
                        cites: cites(&|p| p == Some(party.id.as_str())),
                        withheld: withheld(&|p| p == Some(party.id.as_str())),
                    })
                    .collect(),
                common: cites(&|p| p.is_none_or(|p| p == SHARED)),
                common_withheld: withheld(&|p| p.is_none_or(|p| p == SHARED)),
            }
        })
        .collect();
    MatrixView { parties: parties.iter().map(|p| p.title.clone()).collect(), rows }
}
