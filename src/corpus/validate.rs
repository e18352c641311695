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

/// Everything parsed, before cross-checks.
pub(crate) struct Raw {
    pub themes: (PathBuf, Vec<Located<Theme>>),
    pub parties: (PathBuf, Vec<Located<Party>>),
    pub sources: (PathBuf, Vec<Located<Source>>),
    pub participants: (PathBuf, Vec<Located<Participant>>),
    pub events: (PathBuf, Vec<Located<Event>>),
    pub issues: (PathBuf, Vec<Located<Issue>>),
    pub findings: Vec<RawFinding>,
}

/// Checks everything and returns the corpus of what parsed.
pub(crate) fn validate(raw: Raw, files: &Files, diagnostics: &mut Vec<Diagnostic>) -> Corpus {
    let mut check = Checker { files, diagnostics };

    let theme_names = check.themes(&raw.themes);
    let theme_ids = ids(&raw.themes.1, |t| &t.id);
    let party_ids = ids(&raw.parties.1, |p| &p.id);
    let source_ids = ids(&raw.sources.1, |s| &s.id);
    let issue_ids = ids(&raw.issues.1, |i| &i.id);
    check.unique("party", &raw.parties, |p| &p.id);
    check.unique("source", &raw.sources, |s| &s.id);
    check.unique("participant", &raw.participants, |p| &p.id);
    check.unique("event", &raw.events, |e| &e.id);
    check.unique("issue", &raw.issues, |i| &i.id);

    let (path, participants) = &raw.participants;
    for p in participants {
        check.reference(path, &p.entry, "source", "source", &p.value.source, &source_ids, &[]);
    }
    let (path, events) = &raw.events;
    for e in events {
        check.references(
            path,
            &e.entry,
            "themes",
            "theme",
            e.value.themes.iter().map(String::as_str),
            &theme_ids,
            &theme_names,
        );
        check.reference(path, &e.entry, "source", "source", &e.value.source, &source_ids, &[]);
        if e.value.end.is_some_and(|end| end < e.value.date) {
            check.error(
                path,
                e.entry.key("end"),
                Problem::BadValue {
                    field: "end",
                    message: "the span ends before it starts".into(),
                },
            );
        }
    }
    let (path, issues) = &raw.issues;
    for i in issues {
        check.references(
            path,
            &i.entry,
            "themes",
            "theme",
            i.value.themes.iter().map(String::as_str),
            &theme_ids,
            &theme_names,
        );
        for (party, position) in &i.value.positions {
            let Some(party) = party.as_str() else { continue };
            check.reference(path, &i.entry, "positions", "party", party, &party_ids, &[]);
            if !position.is_string() {
                check.error(
                    path,
                    i.entry.value_in(check.text(path), "positions", party),
                    Problem::BadValue {
                        field: "positions",
                        message: format!("the position of `{party}` must be text"),
                    },
                );
            }
        }
    }

    let mut perspectives = party_ids.clone();
    perspectives.push(SHARED.to_string());
    let mut first_finding: BTreeMap<&str, String> = BTreeMap::new();
    for raw_finding in &raw.findings {
        let path = &raw_finding.shown;
        let entry = &raw_finding.located.entry;
        let f = &raw_finding.finding;
        check.id_form(path, entry, "finding", &f.id);
        let here = check.location(path, entry.key("id"));
        if let Some(first) = first_finding.get(f.id.as_str()) {
            check.error(
                path,
                entry.key("id"),
                Problem::DuplicateId { kind: "finding", id: f.id.clone(), first: first.clone() },
            );
        } else {
            first_finding.insert(&f.id, here);
        }
        if f.themes.is_empty() {
            check.error(
                path,
                entry.key("themes"),
                Problem::BadValue {
                    field: "themes",
                    message: "a finding needs at least one theme".into(),
                },
            );
        }
        check.references(
            path,
            entry,
            "themes",
            "theme",
            f.themes.iter().map(String::as_str),
            &theme_ids,
            &theme_names,
        );
        check.reference(path, entry, "source", "source", &f.source, &source_ids, &[]);
        if let Some(p) = &f.perspective {
            check.reference(path, entry, "perspective", "perspective", p, &perspectives, &[]);
        }
        if let Some(issue) = &f.issue {
            check.reference(path, entry, "issue", "issue", issue, &issue_ids, &[]);
        }
        if is_blank(&f.body) {
            let r = &raw_finding.body_range;
            let at = r.start.saturating_sub(4)..r.start.saturating_sub(1);
            check.error(path, at, Problem::EmptyBody);
        }
    }

    Corpus {
        themes: values(raw.themes.1),
        parties: values(raw.parties.1),
        sources: values(raw.sources.1),
        participants: values(raw.participants.1),
        events: values(raw.events.1),
        issues: values(raw.issues.1),
        findings: raw.findings.into_iter().map(|f| f.finding).collect(),
    }
}

fn values<T>(located: Vec<Located<T>>) -> Vec<T> {
    located.into_iter().map(|l| l.value).collect()
}

fn ids<T>(items: &[Located<T>], id: impl Fn(&T) -> &String) -> Vec<String> {
    items.iter().map(|l| id(&l.value).clone()).collect()
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

    fn unique<T>(
        &mut self,
        kind: &'static str,
        items: &(PathBuf, Vec<Located<T>>),
        id: impl Fn(&T) -> &String,
    ) {
        let (path, items) = items;
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
    fn themes(&mut self, themes: &(PathBuf, Vec<Located<Theme>>)) -> Vec<String> {
        self.unique("theme", themes, |t| &t.id);
        let (path, items) = themes;
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

    /// Reports each of `given` that is not in `known`, suggesting the
    /// nearest of `known`, then of `also` (aliases, which are not valid
    /// references but show what was meant).
    #[allow(clippy::too_many_arguments)]
    fn references<'g>(
        &mut self,
        path: &Path,
        entry: &Entry,
        field: &str,
        kind: &'static str,
        given: impl IntoIterator<Item = &'g str>,
        known: &[String],
        also: &[String],
    ) {
        for given in given {
            self.reference(path, entry, field, kind, given, known, also);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reference(
        &mut self,
        path: &Path,
        entry: &Entry,
        field: &str,
        kind: &'static str,
        given: &str,
        known: &[String],
        also: &[String],
    ) {
        if known.iter().any(|k| k == given) {
            return;
        }
        let range = entry.value_in(self.text(path), field, given);
        let suggestion = crate::suggest(given, known.iter().map(String::as_str))
            .or_else(|| crate::suggest(given, also.iter().map(String::as_str)));
        let known_list = known.join(", ");
        let diagnostic =
            self.error(path, range, Problem::UnknownRef { kind, given: given.to_string() });
        match suggestion {
            Some(s) => diagnostic.hints.push(format!("did you mean `{s}`?")),
            None if !known_list.is_empty() => diagnostic.hints.push(format!("known: {known_list}")),
            None => {}
        }
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
