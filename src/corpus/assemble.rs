//! The checked corpus made of what parsed: the list files' entries, the
//! findings, and each source joined with its bibliographic entry; prose
//! fields given typographic quotes and dashes. No I/O here, and no
//! diagnostics: `validate` has reported what is wrong.

use std::collections::BTreeMap;
use std::path::Path;

use super::bibliography;
use super::model::{Corpus, Entry, Participant, Source};
use super::raw::Raw;
use super::yaml::Located;

/// The corpus of what parsed.
pub(crate) fn assemble(raw: Raw) -> Corpus {
    let participants = values(raw.participants.items);
    let (sources, records) =
        merge_sources(values(raw.sources.items), &raw.sources.path, raw.entries, &participants);
    let mut corpus = Corpus {
        themes: values(raw.themes.items),
        parties: values(raw.parties.items),
        sources,
        records,
        glossary: raw.glossary,
        participants,
        events: values(raw.events.items),
        issues: values(raw.issues.items),
        meetings: values(raw.meetings.items),
        levels: values(raw.levels.items),
        findings: raw.findings.into_iter().map(|f| f.finding).collect(),
        source_index: Default::default(),
    };
    typographic(&mut corpus);
    corpus
}

fn values<T>(located: Vec<Located<T>>) -> Vec<T> {
    located.into_iter().map(|l| l.value).collect()
}

/// Joins `sources.yaml` with the bibliography files by id: a source a file
/// holds takes its entry from there, and what `sources.yaml` leaves out
/// (short title, kind, date, abstract) from the entry; an entry no
/// `sources.yaml` entry names is a source of its own, after those of
/// `sources.yaml`. Every other source gets the entry its fields imply.
fn merge_sources(
    mut sources: Vec<Source>,
    sources_path: &Path,
    entries: Vec<Entry>,
    participants: &[Participant],
) -> (Vec<Source>, BTreeMap<String, Entry>) {
    let mut by_key: BTreeMap<String, Entry> = BTreeMap::new();
    let mut order = Vec::new();
    for e in entries {
        if !by_key.contains_key(&e.key) {
            order.push(e.key.clone());
            by_key.insert(e.key.clone(), e);
        }
    }
    let mut out = BTreeMap::new();
    let authors = bibliography::authors_by_source(participants);
    for s in &mut sources {
        match by_key.remove(&s.id) {
            Some(e) => {
                fill(s, &e);
                out.insert(s.id.clone(), e);
            }
            None => {
                let of = authors.get(s.id.as_str()).map_or(&[][..], Vec::as_slice);
                out.insert(s.id.clone(), bibliography::source_entry_by(s, of, sources_path));
            }
        }
    }
    for key in order {
        let Some(e) = by_key.remove(&key) else { continue };
        let mut s = Source { id: key.clone(), ..Default::default() };
        fill(&mut s, &e);
        sources.push(s);
        out.insert(key, e);
    }
    (sources, out)
}

/// Fills in what a source leaves out from its bibliographic entry: short
/// title (else the key), title, kind (else "document"), date, abstract.
fn fill(s: &mut Source, e: &Entry) {
    let title = e.text("title");
    if s.short.trim().is_empty() {
        s.short = title.clone().unwrap_or_else(|| e.key.clone());
    }
    if s.title.is_none() {
        s.title = title;
    }
    if s.kind.trim().is_empty() {
        s.kind = e.text("genre").or_else(|| e.text("type")).unwrap_or_else(|| "document".into());
    }
    if s.date.is_none() {
        s.date = e.date();
    }
    if s.r#abstract.trim().is_empty() {
        s.r#abstract = e.text("abstract").unwrap_or_default();
    }
}

/// Gives every prose field typographic quotes, apostrophes and dashes, as
/// finding bodies get from the Markdown parser. Ids are left alone.
fn typographic(corpus: &mut Corpus) {
    use super::prose::{smarten_in as s, smarten_opt as o};
    for t in &mut corpus.themes {
        s(&mut t.title);
        s(&mut t.description);
    }
    for p in &mut corpus.parties {
        s(&mut p.title);
    }
    for x in &mut corpus.sources {
        s(&mut x.short);
        o(&mut x.title);
        s(&mut x.kind);
        o(&mut x.organisation);
        o(&mut x.place);
        s(&mut x.r#abstract);
        o(&mut x.note);
    }
    for p in &mut corpus.participants {
        o(&mut p.honorific);
        s(&mut p.name);
        o(&mut p.affiliation);
        p.former.iter_mut().for_each(s);
    }
    for e in &mut corpus.events {
        s(&mut e.title);
        o(&mut e.summary);
        o(&mut e.reference);
        o(&mut e.date_note);
    }
    for i in &mut corpus.issues {
        s(&mut i.title);
        o(&mut i.question);
        o(&mut i.rationale);
        for (_, position) in i.positions.iter_mut() {
            let text = match position {
                serde_yaml::Value::Mapping(m) => m.get_mut("text"),
                other => Some(other),
            };
            if let Some(serde_yaml::Value::String(text)) = text {
                s(text);
            }
        }
    }
    for f in &mut corpus.findings {
        s(&mut f.title);
        o(&mut f.reference);
        o(&mut f.summary);
    }
    for m in &mut corpus.meetings {
        s(&mut m.title);
        o(&mut m.venue);
        o(&mut m.press);
        for item in &mut m.agenda {
            s(&mut item.title);
            o(&mut item.lead);
            item.raise.iter_mut().for_each(|r| s(&mut r.text));
        }
    }
}
