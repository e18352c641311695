//! Editions, in one place: the record of what one edition of a book
//! holds and what changed since the edition before (this file, pure),
//! which earlier edition counts ([`previous`]), and the records on disk
//! ([`store`]). Imports `select` and `corpus`, never `render`: the
//! `--if-changed` stamp, which hashes the render options, is
//! `book::provenance`'s.
//!
//! An edition record is a small JSON document (README, "Editions"): the
//! book's name, the edition's number and date, the audience it was made
//! for, what changed since the edition before, and for every finding,
//! timeline event and issue-matrix row the book holds, its kind, id, title
//! and a SHA-256 of its content. It is made from the selection, so it
//! names only what the book prints: nothing withheld from its audience.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::model::{Event, Finding, Issue};
use crate::select::Selection;

pub mod numbers;
pub mod previous;
pub mod store;

pub use numbers::Numbers;
pub use previous::{Previous, previous};

/// The record format's name and version, the record's first field: 2
/// adds each finding's number, the highest number issued, and each
/// item's parts (what a revision changed).
pub const FORMAT: &str = "brief-edition/2";

/// The formats this brief reads: the first recorded no numbers, so the
/// edition after one numbers its findings afresh.
pub const FORMATS_READ: [&str; 2] = ["brief-edition/1", FORMAT];

/// What one edition of a book holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Always [`FORMAT`].
    pub format: String,
    /// The book's name (a standing book's, or the meeting's id).
    pub book: String,
    /// The edition's number, from 1.
    pub edition: u32,
    /// When the edition was first made (`YYYY-MM-DD`): a rebuild with
    /// nothing changed keeps it.
    pub date: String,
    /// The audience's handling level, if the book was made for one.
    pub audience: Option<String>,
    /// What changed since the edition before; none for a first edition.
    pub since: Option<Since>,
    /// Everything the book holds, in book-independent order (kind, id).
    pub items: Vec<Item>,
    /// The highest finding number this book has issued for its audience,
    /// in this edition or before: a withdrawn number is never issued
    /// again.
    #[serde(default)]
    pub numbered: u32,
}

/// The most editions a book may have, and the highest finding number: a
/// record beyond them was not written by brief.
const MOST: u32 = 1_000_000;

impl Record {
    /// Whether the record is one brief could have written: an edition
    /// number from 1 to a million after an earlier one, real dates, each
    /// finding number issued once and at most the highest issued, and
    /// SHA-256 hashes.
    pub fn check(&self) -> Result<(), String> {
        let real = |date: &str| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
        if !(1..=MOST).contains(&self.edition) {
            return Err(format!("edition {} is not between 1 and {MOST}", self.edition));
        }
        if !real(&self.date) {
            return Err(format!("`{}` is not a date (YYYY-MM-DD)", self.date));
        }
        if let Some(since) = &self.since
            && (since.edition >= self.edition || !real(&since.date))
        {
            return Err(format!(
                "edition {} cannot follow edition {}",
                self.edition, since.edition
            ));
        }
        let mut numbers = std::collections::BTreeSet::new();
        for item in &self.items {
            let hex = item.hash.len() == 64 && item.hash.bytes().all(|b| b.is_ascii_hexdigit());
            if !hex {
                return Err(format!("the hash of `{}` is not a SHA-256", item.id));
            }
            if let Some(n) = item.number
                && (n == 0 || n > self.numbered || n > MOST || !numbers.insert(n))
            {
                return Err(format!("finding number {n} of `{}` was not issued so", item.id));
            }
        }
        Ok(())
    }
}

/// One finding, event or matrix row of an edition.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Its id in the corpus.
    pub id: String,
    /// Its title, as printed (for the "withdrawn" list of a later edition).
    pub title: String,
    /// SHA-256 of its content, in hex: a changed hash is a revision.
    pub hash: String,
    /// A finding's number in the book: the same finding keeps it from
    /// edition to edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// A short hash of each part of its content (`title`, `date`,
    /// `summary`, `body`...), to say what a revision changed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<String, String>,
}

/// The kinds of item an edition tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A finding.
    Finding,
    /// A timeline event.
    Event,
    /// An issue-matrix row.
    Issue,
}

/// What changed between the edition before and this one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// The edition compared with.
    pub edition: u32,
    /// Its date.
    pub date: String,
    /// Items new in this edition.
    pub new: Vec<Ref>,
    /// Items whose content changed.
    pub revised: Vec<Ref>,
    /// Items of the edition before that this one no longer holds.
    pub withdrawn: Vec<Withdrawn>,
    /// Items of the edition before now above the book's audience: counted,
    /// never named.
    #[serde(default)]
    pub withheld: usize,
    /// The edition before recorded no finding numbers (an earlier brief
    /// made it): this one numbers its findings afresh.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub renumbered: bool,
}

/// An item of this edition, by kind and id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ref {
    /// What it is.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// For a revised item, the parts that changed (when both editions
    /// recorded them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
}

/// An item the edition before held and this one does not: its title is
/// all that is left of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawn {
    /// What it was.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Its title in the edition before.
    pub title: String,
    /// A finding's number in the edition before, never issued again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
}

impl Since {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.revised.is_empty()
            && self.withdrawn.is_empty()
            && self.withheld == 0
    }

    /// How an item of this edition changed: `new`, `revised` or neither.
    pub fn change_of(&self, kind: Kind, id: &str) -> Option<&'static str> {
        let has = |list: &[Ref]| list.iter().any(|r| r.kind == kind && r.id == id);
        if has(&self.new) {
            Some("new")
        } else if has(&self.revised) {
            Some("revised")
        } else {
            None
        }
    }
}

/// The items a selection holds, each with the hash of its content and a
/// finding with its number.
pub fn items(selection: &Selection, numbers: &Numbers) -> Vec<Item> {
    let mut items: Vec<Item> = selection
        .findings
        .iter()
        .map(|f| Item {
            number: numbers.of(&f.id),
            ..item(Kind::Finding, &f.id, &f.title, &finding_content(f))
        })
        .chain(
            selection.events.iter().map(|e| item(Kind::Event, &e.id, &e.title, &event_content(e))),
        )
        .chain(
            selection.issues.iter().map(|i| item(Kind::Issue, &i.id, &i.title, &issue_content(i))),
        )
        .collect();
    items.sort();
    items
}

/// What changed from the edition `before` to `now`'s items: in the order
/// of `now` for new and revised items, of `before` for withdrawn ones. An
/// item of `before` that is now `withheld` (above the audience) is only
/// counted.
pub fn compare(before: &Record, now: &[Item], withheld: &dyn Fn(Kind, &str) -> bool) -> Since {
    let index = |items: &[Item]| -> BTreeMap<(Kind, String), usize> {
        items.iter().enumerate().map(|(i, item)| ((item.kind, item.id.clone()), i)).collect()
    };
    let (was, is) = (index(&before.items), index(now));
    let mut since =
        Since { edition: before.edition, date: before.date.clone(), ..Since::default() };
    for item in now {
        let r = Ref { kind: item.kind, id: item.id.clone(), parts: Vec::new() };
        match was.get(&(item.kind, item.id.clone())).map(|&i| &before.items[i]) {
            None => since.new.push(r),
            Some(old) if old.hash != item.hash => {
                let changed = item.parts.iter().filter(|(k, v)| old.parts.get(*k) != Some(v));
                let parts = match old.parts.is_empty() {
                    true => Vec::new(),
                    false => changed.map(|(k, _)| k.clone()).collect(),
                };
                since.revised.push(Ref { parts, ..r });
            }
            Some(_) => {}
        }
    }
    for old in &before.items {
        if is.contains_key(&(old.kind, old.id.clone())) {
            continue;
        }
        if withheld(old.kind, &old.id) {
            since.withheld += 1;
        } else {
            let (kind, id, title, number) =
                (old.kind, old.id.clone(), old.title.clone(), old.number);
            since.withdrawn.push(Withdrawn { kind, id, title, number });
        }
    }
    since
}

/// The edition a book is at, given the record of the edition before (if
/// any), what it holds now and the date: the same edition when nothing
/// changed (its number, date and changes kept, so that it is made again to
/// the byte), else the next, dated `date`.
pub fn next(
    book: &str,
    previous: Option<&Record>,
    items: Vec<Item>,
    date: &str,
    audience: Option<&str>,
    withheld: &dyn Fn(Kind, &str) -> bool,
) -> Record {
    let audience = audience.map(str::to_string);
    let (edition, date, since) = match previous {
        None => (1, date.to_string(), None),
        Some(before) => {
            let since = compare(before, &items, withheld);
            if since.is_empty() {
                (before.edition, before.date.clone(), before.since.clone())
            } else {
                (before.edition + 1, date.to_string(), Some(since))
            }
        }
    };
    let numbered = items.iter().filter_map(|i| i.number).max().unwrap_or(0);
    let numbered = previous.map_or(numbered, |p| p.numbered.max(numbered));
    Record {
        format: FORMAT.into(),
        book: book.into(),
        edition,
        date,
        audience,
        since,
        items,
        numbered,
    }
}

/// The edition a selection makes of the book `ident`, dated `date` if it
/// is a new one: compared with `previous.record` (the last edition, or
/// the one `--since` names), numbered after the latest edition written
/// (never backwards, whatever `--since` names), its findings numbered as
/// `numbers` says. What the edition compared with held that is now above
/// the selection's audience is counted, never named.
pub fn of_selection(
    selection: &Selection,
    ident: &str,
    previous: &Previous,
    date: &str,
    numbers: &Numbers,
) -> Record {
    let levels = &selection.corpus.levels;
    let audience = selection.query.audience.map(|rank| levels[rank].id.as_str());
    let withheld = |kind: Kind, id: &str| match kind {
        Kind::Finding => selection.withholds_finding(id),
        Kind::Event => selection.withholds_event(id),
        Kind::Issue => selection.withholds_issue(id),
    };
    let items = items(selection, numbers);
    let mut record = next(ident, previous.record.as_ref(), items, date, audience, &withheld);
    if let Some(since) = record.since.as_mut().filter(|_| numbers.afresh) {
        since.renumbered = true;
    }
    record.numbered = record.numbered.max(numbers.highest);
    if let Some(latest) = previous.latest.as_ref().filter(|l| l.edition >= record.edition) {
        let unchanged = compare(latest, &record.items, &withheld).is_empty();
        (record.edition, record.date) = match unchanged {
            true => (latest.edition, latest.date.clone()),
            false => (latest.edition + 1, date.to_string()),
        };
        record.numbered = record.numbered.max(latest.numbered);
    }
    record
}

/// The SHA-256 of `bytes`, in lowercase hex: an item's hash in a record,
/// and a copy's in the register.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn item(kind: Kind, id: &str, title: &str, content: &serde_json::Value) -> Item {
    let hash = |value: &serde_json::Value| {
        sha256_hex(&serde_json::to_vec(value).expect("JSON values serialise"))
    };
    let parts = content.as_object().into_iter().flatten();
    let parts = parts.map(|(part, value)| (part.clone(), hash(value)[..16].to_string())).collect();
    Item { kind, id: id.into(), title: title.into(), hash: hash(content), number: None, parts }
}

/// What a reader sees of a finding: every field the book prints.
fn finding_content(f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "title": f.title,
        "date": f.date.map(|d| d.to_string()),
        "themes": f.themes,
        "source": f.source,
        "ref": f.reference,
        "perspective": f.perspective,
        "issue": f.issue,
        "summary": f.summary,
        "key": f.key,
        "body": f.body,
    })
}

fn event_content(e: &Event) -> serde_json::Value {
    serde_json::json!({
        "title": e.title,
        "date": e.date.to_string(),
        "end": e.end.map(|d| d.to_string()),
        "summary": e.summary,
        "themes": e.themes,
        "source": e.source,
        "ref": e.reference,
        "date_basis": format!("{:?}", e.date_basis),
        "date_note": e.date_note,
    })
}

fn issue_content(i: &Issue) -> serde_json::Value {
    serde_json::json!({
        "title": i.title,
        "question": i.question,
        "themes": i.themes,
        "positions": i.positions,
        "assessment": i.assessment,
        "rationale": i.rationale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, id: &str, hash: &str) -> Item {
        let (title, hash) = (format!("Title {id}"), hash.into());
        Item { kind, id: id.into(), title, hash, number: None, parts: BTreeMap::new() }
    }

    fn record(edition: u32, items: Vec<Item>) -> Record {
        next("b", None, items, "2026-11-01", None, &|_, _| false).clone_with(edition)
    }

    impl Record {
        fn clone_with(mut self, edition: u32) -> Record {
            self.edition = edition;
            self
        }
    }

    #[test]
    fn an_edit_a_deletion_and_an_addition_are_told_apart() {
        let before = record(
            1,
            vec![
                item(Kind::Finding, "a", "1"),
                item(Kind::Finding, "b", "2"),
                item(Kind::Event, "e", "3"),
            ],
        );
        let now = vec![
            item(Kind::Finding, "a", "1"),
            item(Kind::Finding, "b", "9"),
            item(Kind::Issue, "i", "4"),
        ];
        let since = compare(&before, &now, &|_, _| false);
        assert_eq!(since.new, [Ref { kind: Kind::Issue, id: "i".into(), parts: vec![] }]);
        assert_eq!(since.revised, [Ref { kind: Kind::Finding, id: "b".into(), parts: vec![] }]);
        assert_eq!(
            since.withdrawn,
            [Withdrawn {
                kind: Kind::Event,
                id: "e".into(),
                title: "Title e".into(),
                number: None
            }]
        );
        assert_eq!(since.change_of(Kind::Finding, "b"), Some("revised"));
        assert_eq!(since.change_of(Kind::Finding, "a"), None);
    }

    #[test]
    fn nothing_changed_keeps_the_edition_its_date_and_its_changes() {
        let items = vec![item(Kind::Finding, "a", "1")];
        let first = next("b", None, items.clone(), "2026-11-01", None, &|_, _| false);
        assert_eq!((first.edition, first.since.is_none()), (1, true));
        let again = next("b", Some(&first), items.clone(), "2026-12-01", None, &|_, _| false);
        assert_eq!(again, first, "the same record, to the byte");
        let edited = vec![item(Kind::Finding, "a", "2")];
        let second = next("b", Some(&first), edited.clone(), "2026-12-01", None, &|_, _| false);
        assert_eq!((second.edition, second.date.as_str()), (2, "2026-12-01"));
        let reprint = next("b", Some(&second), edited, "2026-12-24", None, &|_, _| false);
        assert_eq!(reprint, second, "edition 2 made again keeps its changes page");
    }

    #[test]
    fn a_record_reads_back_and_refuses_unknown_fields() {
        let r = next(
            "b",
            None,
            vec![item(Kind::Event, "e", "1")],
            "2026-11-01",
            Some("public"),
            &|_, _| false,
        );
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), r);
        let extra = text.replacen("{", "{\"x\":1,", 1);
        assert!(serde_json::from_str::<Record>(&extra).is_err());
    }
}
