//! Cross-checks of a parsed corpus: id forms, duplicates, references that
//! do not resolve (with a "did you mean"), empty bodies. Pure: works on
//! what `load` read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::RawFinding;
use super::file::Entry;
use super::markdown::Block;
use super::model::{Corpus, Event, Issue, Participant, Party, SHARED, Source, Theme};
use super::yaml::Located;
use crate::diag::{Diagnostic, Files, Problem};

/// A list file as parsed: where it is and its entries.
pub(crate) struct ListFile<T> {
    pub path: PathBuf,
    pub items: Vec<Located<T>>,
}

impl<T> ListFile<T> {
    fn ids(&self, id: impl Fn(&T) -> &String) -> Vec<String> {
        self.items.iter().map(|l| id(&l.value).clone()).collect()
    }
}

/// Everything parsed, before cross-checks.
pub(crate) struct Raw {
    pub themes: ListFile<Theme>,
    pub parties: ListFile<Party>,
    pub sources: ListFile<Source>,
    pub participants: ListFile<Participant>,
    pub events: ListFile<Event>,
    pub issues: ListFile<Issue>,
    pub findings: Vec<RawFinding>,
}

/// The ids a reference may name, and what they are called.
struct Known<'a> {
    /// "theme", "source", ...: for the message.
    kind: &'static str,
    /// The valid ids.
    ids: &'a [String],
    /// Other names that are not valid references but show what was meant
    /// (theme aliases).
    also: &'a [String],
}

/// Every set of ids references are checked against.
struct Refs {
    themes: Vec<String>,
    theme_names: Vec<String>,
    parties: Vec<String>,
    sources: Vec<String>,
    issues: Vec<String>,
    perspectives: Vec<String>,
}

impl Refs {
    fn theme(&self) -> Known<'_> {
        Known { kind: "theme", ids: &self.themes, also: &self.theme_names }
    }
    fn source(&self) -> Known<'_> {
        Known { kind: "source", ids: &self.sources, also: &[] }
    }
    fn party(&self) -> Known<'_> {
        Known { kind: "party", ids: &self.parties, also: &[] }
    }
    fn issue(&self) -> Known<'_> {
        Known { kind: "issue", ids: &self.issues, also: &[] }
    }
    fn perspective(&self) -> Known<'_> {
        Known { kind: "perspective", ids: &self.perspectives, also: &[] }
    }
}

/// Checks everything and returns the corpus of what parsed.
pub(crate) fn validate(raw: Raw, files: &Files, diagnostics: &mut Vec<Diagnostic>) -> Corpus {
    let mut check = Checker { files, diagnostics };

    let theme_names = check.themes(&raw.themes);
    check.unique("party", &raw.parties, |p| &p.id);
    check.unique("source", &raw.sources, |s| &s.id);
    check.unique("participant", &raw.participants, |p| &p.id);
    check.unique("event", &raw.events, |e| &e.id);
    check.unique("issue", &raw.issues, |i| &i.id);
    let parties = raw.parties.ids(|p| &p.id);
    let mut perspectives = parties.clone();
    perspectives.push(SHARED.to_string());
    let refs = Refs {
        themes: raw.themes.ids(|t| &t.id),
        theme_names,
        parties,
        sources: raw.sources.ids(|s| &s.id),
        issues: raw.issues.ids(|i| &i.id),
        perspectives,
    };

    check.participants(&raw.participants, &refs);
    check.events(&raw.events, &refs);
    check.issues(&raw.issues, &refs);
    check.findings(&raw.findings, &refs);

    Corpus {
        themes: values(raw.themes.items),
        parties: values(raw.parties.items),
        sources: values(raw.sources.items),
        participants: values(raw.participants.items),
        events: values(raw.events.items),
        issues: values(raw.issues.items),
        findings: raw.findings.into_iter().map(|f| f.finding).collect(),
    }
}

impl Checker<'_> {
    fn participants(&mut self, file: &ListFile<Participant>, refs: &Refs) {
        for p in &file.items {
            self.reference(&file.path, &p.entry, "source", &p.value.source, &refs.source());
        }
    }

    fn events(&mut self, file: &ListFile<Event>, refs: &Refs) {
        let path = &file.path;
        for e in &file.items {
            for theme in &e.value.themes {
                self.reference(path, &e.entry, "themes", theme, &refs.theme());
            }
            self.reference(path, &e.entry, "source", &e.value.source, &refs.source());
            if e.value.end.is_some_and(|end| end < e.value.date) {
                let message = "the span ends before it starts".into();
                self.error(path, e.entry.key("end"), Problem::BadValue { field: "end", message });
            }
        }
    }

    fn issues(&mut self, file: &ListFile<Issue>, refs: &Refs) {
        let path = &file.path;
        for i in &file.items {
            for theme in &i.value.themes {
                self.reference(path, &i.entry, "themes", theme, &refs.theme());
            }
            for (party, position) in &i.value.positions {
                let Some(party) = party.as_str() else { continue };
                self.reference(path, &i.entry, "positions", party, &refs.party());
                if !position.is_string() {
                    let message = format!("the position of `{party}` must be text");
                    let at = i.entry.value_in(self.text(path), "positions", party);
                    self.error(path, at, Problem::BadValue { field: "positions", message });
                }
            }
        }
    }

    fn findings(&mut self, findings: &[RawFinding], refs: &Refs) {
        let mut first: BTreeMap<&str, String> = BTreeMap::new();
        for raw in findings {
            let path = &raw.display_path;
            let entry = &raw.located.entry;
            let f = &raw.finding;
            self.id_form(path, entry, "finding", &f.id);
            match first.get(f.id.as_str()) {
                Some(at) => {
                    let problem = Problem::DuplicateId {
                        kind: "finding",
                        id: f.id.clone(),
                        first: at.clone(),
                    };
                    self.error(path, entry.key("id"), problem);
                }
                None => {
                    first.insert(&f.id, self.location(path, entry.key("id")));
                }
            }
            if f.themes.is_empty() {
                let message = "a finding needs at least one theme".into();
                self.error(
                    path,
                    entry.key("themes"),
                    Problem::BadValue { field: "themes", message },
                );
            }
            for theme in &f.themes {
                self.reference(path, entry, "themes", theme, &refs.theme());
            }
            self.reference(path, entry, "source", &f.source, &refs.source());
            if let Some(p) = &f.perspective {
                self.reference(path, entry, "perspective", p, &refs.perspective());
            }
            if let Some(issue) = &f.issue {
                self.reference(path, entry, "issue", issue, &refs.issue());
            }
            if is_blank(&f.body) {
                let r = &raw.body_range;
                let at = r.start.saturating_sub(4)..r.start.saturating_sub(1);
                self.error(path, at, Problem::EmptyBody);
            }
        }
    }
}

fn values<T>(located: Vec<Located<T>>) -> Vec<T> {
    located.into_iter().map(|l| l.value).collect()
}

fn is_blank(blocks: &[Block]) -> bool {
    super::markdown::plain_text(blocks).trim().is_empty()
        && !blocks.iter().any(|b| matches!(b, Block::Table { .. } | Block::Rule))
}

/// Whether an id is lowercase letters, digits and inner dashes.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Checker<'a> {
    files: &'a Files,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn error(
        &mut self,
        path: &Path,
        range: std::ops::Range<usize>,
        problem: Problem,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(path, range, problem));
        self.diagnostics.last_mut().unwrap()
    }

    fn text(&self, path: &Path) -> &'a str {
        self.files.get(path).map_or("", |t| t)
    }

    fn location(&self, path: &Path, range: std::ops::Range<usize>) -> String {
        let (line, _) = self.files.line_column(path, range.start).unwrap_or((1, 1));
        format!("{}:{line}", path.display())
    }

    fn id_form(&mut self, path: &Path, entry: &Entry, kind: &'static str, id: &str) {
        if !is_valid_id(id) {
            self.error(
                path,
                entry.key("id"),
                Problem::BadValue {
                    field: "id",
                    message: format!("{kind} id `{id}` must be lowercase letters, digits and `-`"),
                },
            );
        }
    }

    fn unique<T>(&mut self, kind: &'static str, file: &ListFile<T>, id: impl Fn(&T) -> &String) {
        let (path, items) = (&file.path, &file.items);
        let mut first: BTreeMap<&str, String> = BTreeMap::new();
        for item in items {
            let id = id(&item.value);
            self.id_form(path, &item.entry, kind, id);
            match first.get(id.as_str()) {
                Some(at) => {
                    let problem = Problem::DuplicateId { kind, id: id.clone(), first: at.clone() };
                    self.error(path, item.entry.key("id"), problem);
                }
                None => {
                    first.insert(id, self.location(path, item.entry.key("id")));
                }
            }
        }
    }

    /// Checks themes: unique ids, and aliases that name one theme only.
    /// Returns every name a theme answers to, for suggestions.
    fn themes(&mut self, themes: &ListFile<Theme>) -> Vec<String> {
        self.unique("theme", themes, |t| &t.id);
        let (path, items) = (&themes.path, &themes.items);
        let mut owner: BTreeMap<String, &str> =
            items.iter().map(|t| (t.value.id.to_lowercase(), t.value.id.as_str())).collect();
        for t in items {
            for alias in &t.value.aliases {
                let key = alias.to_lowercase();
                match owner.get(&key) {
                    Some(other) if *other != t.value.id => {
                        let message = format!("alias `{alias}` already names theme `{other}`");
                        let range = t.entry.value_in(self.text(path), "aliases", alias);
                        self.error(path, range, Problem::BadValue { field: "aliases", message });
                    }
                    _ => {
                        owner.insert(key, &t.value.id);
                    }
                }
            }
        }
        owner.into_keys().collect()
    }

    /// Reports `given` if it is not one of `known`'s ids, suggesting the
    /// nearest id, then the nearest other name.
    fn reference(&mut self, path: &Path, entry: &Entry, field: &str, given: &str, known: &Known) {
        if known.ids.iter().any(|k| k == given) {
            return;
        }
        let range = entry.value_in(self.text(path), field, given);
        let ids = known.ids.iter().map(String::as_str);
        let hint = crate::suggest::nearest(given, ids.clone())
            .or_else(|| crate::suggest::nearest(given, known.also.iter().map(String::as_str)))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| crate::suggest::hint(given, ids, "known"));
        let problem = Problem::UnknownRef { kind: known.kind, given: given.to_string() };
        let diagnostic = self.error(path, range, problem);
        diagnostic.hints.extend(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_digits_and_inner_dashes() {
        for good in ["a", "pugwash-2012-01", "x9"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "A", "a_b", "-a", "a-", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
