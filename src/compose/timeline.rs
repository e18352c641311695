//! The timeline: events and dated findings in the range, in date order.
//! Pure.

use std::collections::BTreeMap;

use super::filing::Filing;
use super::strip;
use super::view::{MarkView, TimelineRowView};
use crate::corpus::model::{DateBasis, Finding};
use crate::date::PartialDate;
use crate::select::Selection;

/// Orders events and findings by date (then precision), events before the
/// findings of the same date, then by title.
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

    let mut recorded: BTreeMap<(PartialDate, usize), Vec<&Finding>> = BTreeMap::new();
    for f in &selection.findings {
        if let Some(date) = f.date {
            let rank = source_ranks.get(f.source.as_str()).copied().unwrap_or(usize::MAX);
            recorded.entry((date, rank)).or_default().push(f);
        }
    }
    for ((date, rank), found) in recorded {
        let title = corpus.sources.get(rank).map_or_else(String::new, |s| s.short.clone());
        let row = TimelineRowView {
            label: String::new(),
            event: None,
            mark: placeholder(),
            date: date.display(),
            kind: "findings",
            title,
            summary: None,
            source: None,
            r#ref: None,
            general_knowledge: false,
            date_note: None,
            findings: filing.cites(found),
        };
        rows.push((date, date, 1, row));
    }
    rows.sort_by(|a, b| (a.0, a.2, &a.3.title).cmp(&(b.0, b.2, &b.3.title)));
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
