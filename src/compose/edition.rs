//! An edition's pages: the cover's edition line, the "What changed since
//! edition N" page, and the margin marks of new and revised findings.
//! Pure.

use super::filing::{Filing, finding_label};
use super::view::{BookView, ChangeEntryView, ChangeGroupView, ChangesView, EditionView};
use crate::date::PartialDate;
use crate::edition::{Kind, Record, Ref, Since};
use crate::select::Selection;

/// Marks `book` as the edition `record`: its new and revised findings, the
/// changes page, the cover's edition line and the edition record.
pub(super) fn mark(
    book: &mut BookView,
    selection: &Selection,
    filing: &Filing,
    record: &Record,
    embed: bool,
) {
    let since = record.since.as_ref().map(|since| {
        mark_findings(book, since);
        changes_page(book, selection, filing, since)
    });
    // The date only when it is not the "as of" date beside it.
    let edition = match date(&record.date) {
        d if d == book.meta.as_of => record.edition.to_string(),
        d => format!("{} · {d}", record.edition),
    };
    let at = book
        .meta
        .facts
        .iter()
        .position(|[name, _]| name == "As of")
        .unwrap_or(book.meta.facts.len());
    book.meta.facts.insert(at, ["Edition".into(), edition]);
    book.edition = Some(EditionView {
        number: record.edition,
        date: date(&record.date),
        since,
        record: serde_json::to_string_pretty(record).expect("a record serialises") + "\n",
        embed,
    });
}

/// An edition record's date as printed ("1 December 2026"), or as written
/// if it is not a date.
fn date(iso: &str) -> String {
    iso.parse::<PartialDate>().map_or_else(|_| iso.to_string(), PartialDate::display)
}

/// Marks each printed finding new or revised since the edition before.
fn mark_findings(book: &mut BookView, since: &Since) {
    let findings = book.themes.iter_mut().flat_map(|t| t.findings.iter_mut()).chain(
        book.meeting
            .iter_mut()
            .flat_map(|m| m.agenda.iter_mut().flat_map(|i| i.findings.iter_mut())),
    );
    for f in findings {
        f.change = since.change_of(Kind::Finding, &f.id);
    }
}

/// The "What changed since edition N" page: per kind of item, the new,
/// revised and withdrawn ones; then how many are withheld.
fn changes_page(
    book: &BookView,
    selection: &Selection,
    filing: &Filing,
    since: &Since,
) -> ChangesView {
    let mut groups = Vec::new();
    for (kind, nouns) in [
        (Kind::Finding, "findings"),
        (Kind::Event, "timeline events"),
        (Kind::Issue, "matrix rows"),
    ] {
        let of = |refs: &[Ref]| -> Vec<ChangeEntryView> {
            refs.iter()
                .filter(|r| r.kind == kind)
                .map(|r| ChangeEntryView {
                    detail: detail(&r.parts),
                    ..entry(book, selection, filing, r.kind, &r.id)
                })
                .collect()
        };
        let revised = if kind == Kind::Issue { "Changed" } else { "Revised" };
        let withdrawn: Vec<ChangeEntryView> = since
            .withdrawn
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| ChangeEntryView {
                title: w.title.clone(),
                label: None,
                number: w.number.map(|n| n as usize),
                detail: None,
            })
            .collect();
        for (heading, entries) in [
            (format!("New {nouns}"), of(&since.new)),
            (format!("{revised} {nouns}"), of(&since.revised)),
            (format!("Withdrawn {nouns}"), withdrawn),
        ] {
            if !entries.is_empty() {
                groups.push(ChangeGroupView { heading, entries });
            }
        }
    }
    if since.withheld > 0 {
        groups.push(withheld(since.withheld));
    }
    let note = since.renumbered.then(|| {
        "The edition before was made by an earlier version of brief, which recorded no finding numbers: this edition numbers its findings afresh, and from now on each keeps its number.".to_string()
    });
    ChangesView { edition: since.edition, date: date(&since.date), groups, note }
}

/// An item of this edition, and where it now is in `book`.
fn entry(
    book: &BookView,
    selection: &Selection,
    filing: &Filing,
    kind: Kind,
    id: &str,
) -> ChangeEntryView {
    match kind {
        Kind::Finding => {
            let number = filing.number(id);
            let title = selection.findings.iter().find(|f| f.id == id).map(|f| f.title.clone());
            ChangeEntryView {
                title: title.unwrap_or_default(),
                label: number.map(finding_label),
                number,
                detail: None,
            }
        }
        Kind::Event => {
            let row = book.timeline.iter().find(|r| r.event.as_deref() == Some(id));
            ChangeEntryView {
                title: row.map(|r| r.title.clone()).unwrap_or_default(),
                label: row.map(|r| r.label.clone()),
                number: None,
                detail: None,
            }
        }
        Kind::Issue => {
            let row = book.matrix.rows.iter().find(|r| r.id == id);
            ChangeEntryView {
                title: row.map(|r| r.title.clone()).unwrap_or_default(),
                label: row.map(|r| r.label.clone()),
                number: None,
                detail: None,
            }
        }
    }
}

/// What a revision changed, as a line: "summary and body revised".
fn detail(parts: &[String]) -> Option<String> {
    let named: Vec<&str> = parts
        .iter()
        .map(|p| match p.as_str() {
            "ref" => "reference",
            "key" => "key judgement",
            "date_basis" | "date_note" => "date note",
            other => other,
        })
        .collect();
    let list = match named.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    Some(format!("{list} revised"))
}

/// The group that says how many items of the edition before are now above
/// the book's audience (counted, never named).
fn withheld(n: usize) -> ChangeGroupView {
    let entries = vec![ChangeEntryView {
        title: format!(
            "{n} {} of the edition before {} now above this book's audience: withheld, not named",
            if n == 1 { "item" } else { "items" },
            if n == 1 { "is" } else { "are" }
        ),
        label: None,
        number: None,
        detail: None,
    }];
    ChangeGroupView { heading: "Withheld".into(), entries }
}
