//! The list of sources, each with the book's findings from it, and the
//! bibliographic entries of those sources: what Typst's bibliography
//! formats. Pure.

use std::collections::BTreeMap;
use std::path::Path;

use super::annex;
use super::filing::{Filing, source_label};
use super::view::SourceView;
use crate::corpus::bibliography;
use crate::corpus::model::{Entry, Finding};
use crate::date::PartialDate;
use crate::select::Selection;

/// The list of sources, each with the book's findings from it.
pub(super) fn sources(selection: &Selection, filing: &Filing) -> Vec<SourceView> {
    let mut by_source: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &selection.findings {
        by_source.entry(f.source.as_str()).or_default().push(f);
    }
    selection
        .sources
        .iter()
        .map(|s| SourceView {
            label: source_label(&s.id),
            key: s.id.clone(),
            // The level's banner, as every page prints it.
            handling: s.handling.as_deref().and_then(|id| {
                selection.corpus.levels.iter().find(|l| l.id == id).map(|l| l.banner.clone())
            }),
            short: s.short.clone(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            organisation: s.organisation.clone(),
            place: s.place.clone(),
            date: s.date.map(PartialDate::display),
            authors: annex::authors(selection.corpus, &s.id),
            r#abstract: s.r#abstract.clone(),
            note: s.note.clone(),
            findings: filing.cites(by_source.remove(s.id.as_str()).unwrap_or_default()),
            cited: Vec::new(),
        })
        .collect()
}

/// The bibliographic entries of the book's sources, in list order. A
/// corpus built in memory may have none: each source then has the entry
/// its fields imply, as loading would give it.
pub(super) fn entries(selection: &Selection) -> Vec<Entry> {
    let corpus = selection.corpus;
    selection
        .sources
        .iter()
        .map(|s| match corpus.records.get(&s.id) {
            Some(e) => e.clone(),
            None => bibliography::source_entry(s, &corpus.participants, Path::new("sources.yaml")),
        })
        .collect()
}
