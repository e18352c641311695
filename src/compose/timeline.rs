//! The timeline: events in the range, and the months in which findings
//! were recorded, in date order. Pure.

use std::collections::BTreeMap;

use super::filing::Filing;
use super::strip;
use super::view::{MarkView, TimelineRowView};
use crate::corpus::model::{DateBasis, Finding};
use crate::date::PartialDate;
use crate::select::Selection;

/// Orders events by date (then precision), a month's findings after the
/// events of the month, then by title.
pub(super) fn compose(
    selection: &Selection,
    filing: &Filing,
    source_ranks: &BTreeMap<&str, usize>,
) -> Vec<TimelineRowView> {
    let corpus = selection.corpus;
    let short = |id: &str| corpus.source(id).map_or_else(|| id.to_string(), |s| s.short.clone());
    let placeholder =
        || MarkView { strip: 0, axis: [0, 0], from: 0.0, to: 0.0, point: true, continues: false };
    let mut rows: Vec<(PartialDate, PartialDate, u8, TimelineRowView)> = selection
        .events
        .iter()
        .map(|e| {
            let date = crate::date::span(e.date, e.end());
            let row = TimelineRowView {
                label: String::new(),
                event: Some(e.id.clone()),
                mark: placeholder(),
                date,
                kind: "event",
                title: e.title.clone(),
                summary: e.summary.clone(),
                source: Some(short(&e.source)),
                r#ref: e.reference.clone(),
                general_knowledge: e.date_basis == DateBasis::GeneralKnowledge,
                date_note: e.date_note.clone(),
                findings: Vec::new(),
            };
            (e.date, e.end(), 0, row)
        })
        .collect();

    // The dated findings, a row a month (or a year, for findings dated to
    // the year): the sources that record them, and their numbers. A row a
    // day and source filled pages with one-line rows in a large book, and
    // their marks merged on the strip.
    let mut recorded: BTreeMap<PartialDate, BTreeMap<usize, Vec<&Finding>>> = BTreeMap::new();
    for f in &selection.findings {
        if let Some(date) = f.date {
            let rank = source_ranks.get(f.source.as_str()).copied().unwrap_or(usize::MAX);
            recorded.entry(date.month_of()).or_default().entry(rank).or_default().push(f);
        }
    }
    for (month, by_source) in recorded {
        let sources = by_source.keys().filter_map(|&rank| corpus.sources.get(rank));
        let title = sources.map(|s| s.short.as_str()).collect::<Vec<_>>().join("; ");
        let row = TimelineRowView {
            label: String::new(),
            event: None,
            mark: placeholder(),
            date: month.display(),
            kind: "findings",
            title,
            summary: None,
            source: None,
            r#ref: None,
            general_knowledge: false,
            date_note: None,
            findings: filing.cites(by_source.into_values().flatten()),
        };
        rows.push((month, month, 1, row));
    }
    // A month's findings after the events of that month.
    let key = |r: &(PartialDate, PartialDate, u8, TimelineRowView)| match r.2 {
        0 => (r.0.first_day(), r.0, r.2),
        _ => (r.0.last_day(), r.0, r.2),
    };
    rows.sort_by(|a, b| (key(a), &a.3.title).cmp(&(key(b), &b.3.title)));
    let spans: Vec<(PartialDate, PartialDate)> = rows.iter().map(|r| (r.0, r.1)).collect();
    rows.into_iter()
        .zip(strip::marks(&spans))
        .enumerate()
        .map(|(i, ((_, _, _, mut row), mark))| {
            row.label = format!("timeline-{}", i + 1);
            row.mark = mark;
            row
        })
        .collect()
}
