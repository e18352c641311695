//! The issue matrix: one row per issue in the selection, a column per
//! party, cells citing the findings that record each position. Pure.

use serde::Serialize;

use super::filing::{Filing, FindingRef};
use crate::corpus::model::{Assessment, Finding, SHARED};
use crate::select::Selection;

/// The matrix.
#[derive(Debug, Serialize)]
pub struct MatrixView {
    /// Column titles, one per party.
    pub parties: Vec<String>,
    /// One row per issue.
    pub rows: Vec<MatrixRowView>,
}

/// One issue.
#[derive(Debug, Serialize)]
pub struct MatrixRowView {
    /// The issue's id.
    pub id: String,
    /// Its row's label, for links to it.
    pub label: String,
    /// Issue title.
    pub title: String,
    /// The question at stake.
    pub question: Option<String>,
    /// `converging`, `diverging` or `mixed`.
    pub assessment: Assessment,
    /// Why.
    pub rationale: Option<String>,
    /// One cell per party, in column order.
    pub cells: Vec<CellView>,
    /// Findings on the issue held by both sides or by no named party.
    pub common: Vec<FindingRef>,
    /// How many of those are withheld from this audience.
    pub common_withheld: usize,
}

/// A party's position on an issue.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// The position as the documents state it, if recorded.
    pub position: Option<String>,
    /// The findings that record it.
    pub cites: Vec<FindingRef>,
    /// How many findings recording it are withheld from this audience:
    /// printed as "withheld", never linked.
    pub withheld: usize,
}

impl MatrixView {
    /// How many rows are converging, diverging and mixed.
    pub fn assessment_counts(&self) -> [usize; 3] {
        let count = |a| self.rows.iter().filter(|r| r.assessment == a).count();
        [count(Assessment::Converging), count(Assessment::Diverging), count(Assessment::Mixed)]
    }
}

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
                selection
                    .corpus
                    .findings
                    .iter()
                    .filter(|f| f.issue.as_deref() == Some(issue.id.as_str()))
                    .filter(|f| selection.withheld_ids.contains(f.id.as_str()))
                    .filter(|f| held_by(f.perspective.as_deref()))
                    .count()
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
