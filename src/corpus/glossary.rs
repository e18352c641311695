//! The corpus's abbreviations (`glossary.yaml`): each term with its
//! expansion and an optional note, and the all-capital words that are not
//! abbreviations (`ignore`). Reads the file's text, each term on its own
//! so that one bad term spoils only itself; finds the terms a text uses
//! and the abbreviation-like words a glossary lacks. Pure: no I/O.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use super::yaml;
use crate::diag::{Diagnostic, Problem};

/// The glossary file's name in a corpus directory.
pub const FILE: &str = "glossary.yaml";

/// The abbreviations of a corpus.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// The terms, in file order.
    #[serde(default)]
    pub terms: Vec<Term>,
    /// All-capital words that are not abbreviations (`brief check` does
    /// not ask for them): roman numerals, words set in capitals.
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl yaml::Dates for Glossary {}
impl yaml::Dates for Term {}

/// One abbreviation.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The abbreviation as it is written: `ISI`.
    pub term: String,
    /// What it stands for: `Inter-Services Intelligence`.
    pub expansion: String,
    /// A remark, only from the sources.
    pub note: Option<String>,
}

/// Reads a glossary file's text. Each term is read on its own, as the
/// entries of a list file are: a malformed one is an error at itself and
/// the others are kept (its name, if it can be read, is then not asked
/// for again in the findings). A term without an expansion, or defined
/// twice, is an error at it. `None` when the file is not a glossary at all.
pub fn parse(text: &str, shown: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Glossary> {
    let Some((list, rest)) = yaml::split_keyed_list(text, "terms") else {
        // No `terms:` in block style: read whole.
        return yaml::parse_whole::<Glossary>(text, shown, diagnostics);
    };
    // A mistake beside the terms (an unknown key) spoils only `ignore`.
    let mut glossary = yaml::parse_whole::<Glossary>(&rest, shown, diagnostics).unwrap_or_default();
    let terms = yaml::parse_list::<Term>(&list, shown, diagnostics);
    let index = super::file::KeyIndex::list(&list);
    let read: Vec<&Range<usize>> = terms.items.iter().map(|t| &t.entry.range).collect();
    for entry in index.entries().iter().filter(|e| !read.contains(&&e.range)) {
        let written = entry.find_key("term").and_then(|r| list.get(r));
        let written = written.map(|w| w.split(" #").next().unwrap_or(w).trim());
        glossary.ignore.extend(written.filter(|w| !w.is_empty()).map(str::to_string));
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for located in terms.items {
        let (t, at) = (&located.value, located.entry.key("term"));
        if t.expansion.trim().is_empty() {
            diagnostics.push(Diagnostic::error(shown, at.clone(), Problem::Blank("expansion")));
        }
        match seen.get(&t.term) {
            Some(&first) => {
                let line = text[..first.min(text.len())].matches('\n').count() + 1;
                let problem = Problem::DuplicateId {
                    kind: "glossary term",
                    id: t.term.clone(),
                    first: format!("{}:{line}", shown.display()),
                };
                diagnostics.push(Diagnostic::error(shown, at, problem));
            }
            None => {
                seen.insert(t.term.clone(), at.start);
            }
        }
        glossary.terms.push(located.value);
    }
    Some(glossary)
}

impl Glossary {
    /// Whether `word` is a term or ignored.
    pub fn knows(&self, word: &str) -> bool {
        self.terms.iter().any(|t| t.term == word) || self.ignore.iter().any(|i| i == word)
    }

    /// The terms that occur in any of `texts` as whole words, sorted by
    /// term (without case, then as written).
    pub fn used<'a>(&'a self, texts: &[&str]) -> Vec<&'a Term> {
        let mut used: Vec<&Term> = self
            .terms
            .iter()
            .filter(|t| !t.term.is_empty() && texts.iter().any(|text| occurs(text, &t.term)))
            .collect();
        used.sort_by(|a, b| {
            a.term.to_lowercase().cmp(&b.term.to_lowercase()).then_with(|| a.term.cmp(&b.term))
        });
        used.dedup_by(|a, b| a.term == b.term);
        used
    }
}

/// Whether `term` occurs in `text` as a whole word: not inside a longer
/// run of letters and digits.
pub fn occurs(text: &str, term: &str) -> bool {
    text.match_indices(term).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The all-capital words of a text, each with its byte range: runs of
/// letters and digits with at least two letters, all of them capitals
/// (`ISI`, `CPEC`, `P5` is not one: it has one letter).
///
/// ```
/// use brief::corpus::glossary::capital_words;
/// let words: Vec<&str> = capital_words("The ISI and the US-led FATF's list; NGOs, Mr Khan.")
///     .map(|(_, w)| w)
///     .collect();
/// assert_eq!(words, ["ISI", "US", "FATF"]);
/// ```
pub fn capital_words<'t>(text: &'t str) -> impl Iterator<Item = (Range<usize>, &'t str)> {
    let mut out: Vec<(Range<usize>, &'t str)> = Vec::new();
    let mut start = None;
    let check = |from: usize, to: usize, out: &mut Vec<(Range<usize>, &'t str)>| {
        let word = &text[from..to];
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()) {
            out.push((from..to, word));
        }
    };
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                check(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        check(s, text.len(), &mut out);
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_found_as_whole_words_and_sorted() {
        let g = Glossary {
            terms: ["TTP", "ISI", "US", "CPEC"]
                .map(|t| Term { term: t.into(), expansion: "x".into(), note: None })
                .to_vec(),
            ignore: vec![],
        };
        let used: Vec<&str> = g
            .used(&["The ISI's view", "USA and CPECs", "the TTP"])
            .iter()
            .map(|t| t.term.as_str())
            .collect();
        assert_eq!(used, ["ISI", "TTP"]);
    }
}
