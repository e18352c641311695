//! The book's Abbreviations page: the glossary's terms that occur in what
//! the book prints. Pure.

use super::view::{AbbreviationView, BookView};
use crate::corpus::glossary::Glossary;
use crate::corpus::model::Entry;

/// The keys of the book's JSON (and of the bibliographic entries) whose
/// values are not printed as text: ids, labels, links, settings.
const NOT_PRINTED: [&str; 23] = [
    "label",
    "record",
    "id",
    "kind",
    "url",
    "src",
    "lang",
    "source_label",
    "source_key",
    "key",
    "keywords",
    "paper",
    "accent",
    "logo",
    "bibliography",
    "style",
    "as_of_ymd",
    "form",
    "align",
    "type",
    "serial-number",
    "to",
    "display",
];

/// The glossary's terms that occur in what the book prints: every text of
/// the composed book (not its ids, labels, links or settings) and the
/// bibliographic entries of its sources.
pub(super) fn abbreviations(
    book: &BookView,
    entries: &[Entry],
    glossary: &Glossary,
) -> Vec<AbbreviationView> {
    let json = serde_json::to_value(book).expect("a BookView always serialises");
    let mut texts = Vec::new();
    walk_json(&json, &mut texts);
    let mut entry_texts = Vec::new();
    for e in entries {
        walk_yaml(&e.yaml, &mut entry_texts);
    }
    texts.extend(entry_texts.iter().map(String::as_str));
    glossary
        .used(&texts)
        .into_iter()
        .map(|t| AbbreviationView {
            term: t.term.clone(),
            expansion: t.expansion.clone(),
            note: t.note.clone(),
        })
        .collect()
}

/// The printed texts of the book's JSON, in order.
fn walk_json<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| walk_json(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if !NOT_PRINTED.contains(&k.as_str()) {
                    walk_json(v, out);
                }
            }
        }
        _ => {}
    }
}

/// The printed texts of a bibliographic entry (its date is not one).
fn walk_yaml(value: &serde_yaml::Value, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::String(s) => out.push(s.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| walk_yaml(v, out)),
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                if !k.as_str().is_some_and(|k| NOT_PRINTED.contains(&k) || k == "date") {
                    walk_yaml(v, out);
                }
            }
        }
        _ => {}
    }
}
