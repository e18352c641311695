//! The checked corpus made of what parsed: the list files' entries, the
//! findings, and each source joined with its bibliographic entry; every
//! text's drafting comments taken out (as a body's are when it is
//! parsed), and prose fields given typographic quotes and dashes. No I/O here, and no
//! diagnostics: `validate` has reported what is wrong.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use super::model::{Corpus, Entry, Meeting, Participant, Source};
use super::raw::Raw;
use super::yaml::Located;
use super::{bibliography, comments};

/// The corpus of what parsed.
pub(crate) fn assemble(raw: Raw) -> Corpus {
    let mut corpus = Corpus {
        themes: values(raw.themes.items),
        parties: values(raw.parties.items),
        sources: values(raw.sources.items),
        records: BTreeMap::new(),
        glossary: raw.glossary,
        participants: values(raw.participants.items),
        events: values(raw.events.items),
        issues: values(raw.issues.items),
        meetings: values(raw.meetings.items),
        levels: values(raw.levels.items),
        findings: raw.findings.into_iter().filter(|f| f.complete).map(|f| f.finding).collect(),
        source_index: Default::default(),
    };
    // Drafting comments go before anything reads a text: the sources'
    // bibliographic entries are made from them next.
    for text in texts(&mut corpus) {
        if let Cow::Owned(stripped) = comments::strip(text) {
            *text = stripped;
        }
    }
    let sources = std::mem::take(&mut corpus.sources);
    let (sources, records) =
        merge_sources(sources, &raw.sources.path, raw.entries, &corpus.participants);
    corpus.sources = sources;
    corpus.records = records;
    typographic(&mut corpus);
    corpus
}

/// Every text of the list files and front matter that can reach a page,
/// plain or Markdown (ids and the keys books are selected by are not
/// texts): the one list drafting comments are taken out of, so that no
/// view can print one. A new text field of the corpus belongs here.
fn texts(corpus: &mut Corpus) -> Vec<&mut String> {
    let mut out: Vec<&mut String> = Vec::new();
    for t in &mut corpus.themes {
        out.extend([&mut t.title, &mut t.description]);
    }
    out.extend(corpus.parties.iter_mut().map(|p| &mut p.title));
    for x in &mut corpus.sources {
        out.extend([&mut x.short, &mut x.kind, &mut x.r#abstract]);
        out.extend(
            [&mut x.title, &mut x.organisation, &mut x.place, &mut x.note].into_iter().flatten(),
        );
    }
    for p in &mut corpus.participants {
        out.push(&mut p.name);
        out.extend(&mut p.former);
        out.extend([&mut p.honorific, &mut p.affiliation].into_iter().flatten());
    }
    for e in &mut corpus.events {
        out.push(&mut e.title);
        out.extend([&mut e.summary, &mut e.reference, &mut e.date_note].into_iter().flatten());
    }
    for i in &mut corpus.issues {
        out.push(&mut i.title);
        out.extend([&mut i.question, &mut i.rationale].into_iter().flatten());
        out.extend(i.positions.iter_mut().filter_map(|(_, position)| position_text(position)));
    }
    for x in &mut corpus.findings {
        out.push(&mut x.title);
        out.extend([&mut x.reference, &mut x.summary].into_iter().flatten());
    }
    corpus.meetings.iter_mut().for_each(|m| meeting_texts(m, &mut out));
    for l in &mut corpus.levels {
        out.push(&mut l.banner);
        out.extend(&mut l.description);
    }
    for t in corpus.glossary.iter_mut().flat_map(|g| g.terms.iter_mut()) {
        out.extend([&mut t.term, &mut t.expansion]);
        out.extend(&mut t.note);
    }
    out
}

/// A meeting's texts, for [`texts`].
fn meeting_texts<'a>(m: &'a mut Meeting, out: &mut Vec<&'a mut String>) {
    out.extend([&mut m.title, &mut m.purpose, &mut m.objectives]);
    out.extend([&mut m.venue, &mut m.press].into_iter().flatten());
    out.extend(m.attendees.iter_mut().filter_map(|a| a.role.as_mut()));
    for item in &mut m.agenda {
        out.extend([&mut item.title, &mut item.objective, &mut item.points]);
        out.extend([&mut item.time, &mut item.lead].into_iter().flatten());
        for raise in &mut item.raise {
            out.extend(std::iter::once(&mut raise.text).chain(raise.response.as_mut()));
        }
    }
}

/// An issue's position's text, given as a string or as a mapping's `text`.
fn position_text(position: &mut serde_yaml::Value) -> Option<&mut String> {
    let text = match position {
        serde_yaml::Value::Mapping(m) => m.get_mut("text")?,
        other => other,
    };
    match text {
        serde_yaml::Value::String(text) => Some(text),
        _ => None,
    }
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
        s.kind = e.text("genre").unwrap_or_else(|| kind_of(e).into());
    }
    if s.date.is_none() {
        s.date = e.date();
    }
    if s.r#abstract.trim().is_empty() {
        s.r#abstract = e.text("abstract").unwrap_or_default();
    }
}

/// A reader's word for the kind of work an entry is, from its type (and
/// its container's): "journal article", not BibTeX's `article`; "document"
/// for `misc`.
fn kind_of(e: &Entry) -> &'static str {
    let parent = e.yaml.get("parent").and_then(|p| p.get("type")).and_then(|t| t.as_str());
    match (e.text("type").unwrap_or_default().to_lowercase().as_str(), parent) {
        ("article", Some("periodical")) => "journal article",
        ("article", Some("newspaper")) => "newspaper article",
        ("article", Some("proceedings" | "conference")) => "conference paper",
        ("article", Some("blog")) => "blog post",
        ("article", _) => "article",
        ("chapter", _) => "book chapter",
        ("book", _) | ("anthology", _) => "book",
        ("report", _) => "report",
        ("thesis", _) => "thesis",
        ("web", _) => "web page",
        ("entry", _) => "reference entry",
        ("manuscript", _) => "manuscript",
        ("legislation", _) => "legislation",
        ("case", _) => "legal case",
        ("patent", _) => "patent",
        ("post", _) => "post",
        ("repository", _) => "dataset",
        ("proceedings", _) => "conference proceedings",
        ("periodical", _) => "periodical",
        ("video", _) => "video",
        ("audio", _) => "audio recording",
        ("interview", _) => "interview",
        ("artwork", _) => "artwork",
        ("newspaper", _) => "newspaper",
        ("performance", _) => "performance",
        ("exhibition", _) => "exhibition",
        _ => "document",
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
        i.positions.iter_mut().filter_map(|(_, p)| position_text(p)).for_each(s);
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
