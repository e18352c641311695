//! A theme book's chapters: each finding filed under its first selected
//! theme and cross-referenced from the others it bears on; and one finding
//! as printed, wherever it is filed (an agenda item prints its findings
//! the same way). Pure.

use std::cmp::Ordering;

use super::filing::{Filing, finding_label, source_label};
use super::view::{CrossRefView, FindingView, ThemeView};
use crate::corpus::model::{Finding, SHARED};
use crate::date::PartialDate;
use crate::select::Selection;

/// Files each finding under its first selected theme.
pub(super) fn file_by_theme<'c>(
    selection: &Selection<'c>,
    order: impl Fn(&Finding, &Finding) -> Ordering,
) -> Filing<'c> {
    let home = |f: &Finding| {
        f.themes.iter().find_map(|t| selection.themes.iter().position(|s| s.id == *t))
    };
    Filing::new(&selection.findings, selection.themes.len(), home, order)
}

/// References to findings printed in another section, each with the
/// name `home_name` gives the section it is printed in.
pub(super) fn cross_refs(
    filing: &Filing,
    findings: &[&Finding],
    home_name: impl Fn(usize) -> String,
) -> Vec<CrossRefView> {
    findings
        .iter()
        .map(|f| {
            let number = filing.number(&f.id).expect("filed");
            let home = filing.home(&f.id).expect("filed");
            let (label, title) = (finding_label(number), f.title.clone());
            CrossRefView { number, label, title, home: home_name(home) }
        })
        .collect()
}

/// One finding as printed.
pub(super) fn finding_view(selection: &Selection, filing: &Filing, f: &Finding) -> FindingView {
    let corpus = selection.corpus;
    let selected = |id: &str| selection.themes.iter().find(|t| t.id == id);
    let number = filing.number(&f.id).expect("a printed finding is filed");
    FindingView {
        number,
        label: finding_label(number),
        id: f.id.clone(),
        title: f.title.clone(),
        // The citation gives the source's date: the finding's own only
        // when it says more.
        date: f
            .date
            .filter(|d| corpus.source(&f.source).is_none_or(|s| s.date != Some(*d)))
            .map(PartialDate::display),
        source: corpus.source(&f.source).map_or_else(|| f.source.clone(), |s| s.short.clone()),
        source_label: source_label(&f.source),
        source_key: f.source.clone(),
        r#ref: f.reference.clone(),
        cited: Vec::new(),
        perspective: f.perspective.as_deref().map(|p| match corpus.party(p) {
            Some(party) => party.title.clone(),
            None if p == SHARED => "Shared".to_string(),
            None => p.to_string(),
        }),
        issue: f.issue.as_deref().and_then(|i| corpus.issue(i)).map(|i| i.title.clone()),
        also: f
            .themes
            .iter()
            .skip_while(|t| selected(t).is_none())
            .skip(1)
            .filter_map(|t| selected(t).map(|t| t.title.clone()))
            .collect(),
        body: f.body.clone(),
        change: None,
    }
}

/// A chapter per selected theme: the findings filed under it, and those
/// filed elsewhere that also bear on it.
pub(super) fn theme_chapters(selection: &Selection, filing: &Filing) -> Vec<ThemeView> {
    selection
        .themes
        .iter()
        .enumerate()
        .map(|(index, theme)| {
            let findings =
                filing.sections[index].iter().map(|f| finding_view(selection, filing, f)).collect();
            let elsewhere = filing
                .claimed_elsewhere(index, &selection.findings, |f| f.themes.contains(&theme.id));
            let see_also =
                cross_refs(filing, &elsewhere, |home| selection.themes[home].title.clone());
            ThemeView {
                id: theme.id.clone(),
                title: theme.title.clone(),
                description: theme.description.clone(),
                findings,
                see_also,
            }
        })
        .collect()
}
