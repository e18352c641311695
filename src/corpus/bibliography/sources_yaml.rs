//! The bibliographic entry a `sources.yaml` entry implies, for a source no
//! bibliography file holds. No I/O here.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value as Yaml};

use crate::corpus::model::{Entry, Participant, Role, Source, escape};

/// The entry a `sources.yaml` entry implies, for a source no bibliography
/// file holds: its authors, or else its organisation as the author; its
/// title; its date; its kind as the genre.
pub fn source_entry(source: &Source, participants: &[Participant], path: &Path) -> Entry {
    let authors: Vec<&Participant> =
        participants.iter().filter(|p| p.source == source.id).collect();
    source_entry_by(source, &authors, path)
}

/// The authors among `participants`, by the source they belong to, in
/// order: for [`source_entry_by`], so that making the entries of every
/// source reads the participants once.
pub fn authors_by_source(participants: &[Participant]) -> HashMap<&str, Vec<&Participant>> {
    let mut out: HashMap<&str, Vec<&Participant>> = HashMap::new();
    for p in participants.iter().filter(|p| p.role == Role::Author) {
        out.entry(p.source.as_str()).or_default().push(p);
    }
    out
}

/// [`source_entry`], given the participants of the source (of which the
/// authors are used).
pub fn source_entry_by(source: &Source, participants: &[&Participant], path: &Path) -> Entry {
    let authors: Vec<(String, Option<String>)> = participants
        .iter()
        .filter(|p| p.source == source.id && p.role == Role::Author)
        .map(|p| person(&p.name, p.sort_as.as_deref()))
        .collect();
    let mut m = Mapping::new();
    let mut put = |field: &str, value: Yaml| {
        m.insert(Yaml::String(field.into()), value);
    };
    put("type", Yaml::String(entry_type(&source.kind).into()));
    let person = |family: &str, given: Option<&str>| {
        let mut p = Mapping::new();
        p.insert(Yaml::String("name".into()), Yaml::String(family.to_string()));
        if let Some(given) = given {
            p.insert(Yaml::String("given-name".into()), Yaml::String(given.to_string()));
        }
        Yaml::Mapping(p)
    };
    if !authors.is_empty() {
        put(
            "author",
            Yaml::Sequence(authors.iter().map(|(f, g)| person(f, g.as_deref())).collect()),
        );
        if let Some(org) = &source.organisation {
            put("publisher", Yaml::String(escape(org)));
        }
    } else if let Some(org) = &source.organisation {
        // An institution's report without named authors: the institution
        // is the author, as Chicago and APA cite such documents.
        put("author", Yaml::Sequence(vec![person(org, None)]));
    }
    // With neither a title nor an author, the source's short name is its
    // title: a style then cites it by name, not as "(Report 2011a)".
    let anonymous = authors.is_empty() && source.organisation.is_none();
    if let Some(title) = source.title.as_ref().or(anonymous.then_some(&source.short)) {
        put("title", Yaml::String(escape(title)));
    }
    if let Some(date) = source.date {
        put("date", Yaml::String(date.to_string()));
    }
    if let Some(place) = &source.place {
        put("location", Yaml::String(escape(place)));
    }
    put("genre", Yaml::String(escape(&source.kind)));
    Entry { key: source.id.clone(), yaml: Yaml::Mapping(m), path: path.to_path_buf(), range: 0..0 }
}

/// The hayagriva entry type of a source's kind, as written in
/// `sources.yaml` ("research article", "working paper").
fn entry_type(kind: &str) -> &'static str {
    let kind = kind.to_lowercase();
    if kind.contains("article") {
        "article"
    } else if kind.contains("book") {
        "book"
    } else if kind.contains("thesis") {
        "thesis"
    } else if kind.contains("web") {
        "web"
    } else {
        // Reports, papers, consultations, briefs: documents compiled for
        // an audience, which is what CSL's `report` is.
        "report"
    }
}

/// A person's name as family and given names: the family name is
/// `sort_as` when it is one of the name's words, else the last word.
fn person(name: &str, sort_as: Option<&str>) -> (String, Option<String>) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let family_at = sort_as
        .and_then(|s| words.iter().position(|w| w.eq_ignore_ascii_case(s)))
        .unwrap_or(words.len().saturating_sub(1));
    let family = words[family_at..].join(" ");
    let given = words[..family_at].join(" ");
    (family, Some(given).filter(|g| !g.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::super::entry::library_yaml;
    use super::*;

    #[test]
    fn a_sources_yaml_entry_prints_as_written() {
        let source = Source {
            id: "s".into(),
            short: "S".into(),
            title: Some("A {b} $c$ \\d #set".into()),
            kind: "research article".into(),
            organisation: Some("Org $x$".into()),
            place: None,
            date: "2012-09".parse().ok(),
            r#abstract: String::new(),
            note: None,
            handling: None,
            seed: None,
        };
        let entry = source_entry(&source, &[], Path::new("sources.yaml"));
        let library = hayagriva::io::from_yaml_str(&library_yaml([&entry])).unwrap();
        let parsed = library.get("s").unwrap();
        assert_eq!(parsed.title().unwrap().value.to_str(), "A {b} $c$ \\d #set");
        assert_eq!(parsed.authors().unwrap()[0].name, "Org $x$");
        assert_eq!(parsed.entry_type(), &hayagriva::types::EntryType::Article);
        assert_eq!(entry.text("title").as_deref(), Some("A {b} $c$ \\d #set"));
    }
}
