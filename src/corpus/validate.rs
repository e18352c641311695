//! Cross-checks of a parsed corpus: id forms, duplicates, references that
//! do not resolve (with a "did you mean"), empty bodies, the field rules
//! serde does not check. Pure: works on what `load` read, and only
//! reports (`assemble` makes the corpus).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::file::Entry;
use super::glossary::{self, Glossary};
use super::markdown::Block;
use super::model::{self, AgendaItem, DateBasis, Event, Issue, Participant, SHARED, Source, Theme};
use super::raw::{BrokenFinding, ListFile, Raw, RawFinding};
use super::yaml_scan::Seg;
use crate::date::{DateRange, PartialDate};
use crate::diag::{Diagnostic, Files, Problem};

impl<T> ListFile<T> {
    fn ids(&self, id: impl Fn(&T) -> &String) -> Vec<String> {
        self.items.iter().map(|l| id(&l.value).clone()).collect()
    }

    /// What references into this file are checked against.
    fn known(&self, id: impl Fn(&T) -> &String) -> KnownIds {
        KnownIds {
            ids: self.ids(id).into_iter().collect(),
            broken: self.broken.iter().cloned().collect(),
            unchecked: self.unparsed.then(|| self.path.clone()),
            broken_in: self.path.clone(),
            broken_files: BTreeMap::new(),
        }
    }
}

/// Ids in the order they are defined, with a set to look them up in: a
/// reference is checked in constant time however many ids there are (a
/// Zotero library has thousands).
#[derive(Clone, Default)]
struct Ids {
    order: Vec<String>,
    set: HashSet<String>,
}

impl Ids {
    fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    fn push(&mut self, id: String) {
        self.set.insert(id.clone());
        self.order.push(id);
    }

    fn iter(&self) -> std::slice::Iter<'_, String> {
        self.order.iter()
    }
}

impl FromIterator<String> for Ids {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut ids = Ids::default();
        ids.extend(iter);
        ids
    }
}

impl Extend<String> for Ids {
    fn extend<I: IntoIterator<Item = String>>(&mut self, iter: I) {
        iter.into_iter().for_each(|id| self.push(id));
    }
}

/// The ids a kind of reference may name.
#[derive(Clone, Default)]
struct KnownIds {
    /// Valid ids.
    ids: Ids,
    /// Ids of entries that failed to parse: a reference to one is not
    /// reported again (one root cause, one error).
    broken: Ids,
    /// Set when the defining file did not parse at all: no reference is
    /// checked, since none could be.
    unchecked: Option<PathBuf>,
    /// The defining file.
    broken_in: PathBuf,
    /// The defining file of each broken id, where each has its own (a
    /// finding's).
    broken_files: BTreeMap<String, PathBuf>,
}

/// The ids a reference may name, and what they are called.
struct Known<'a> {
    /// "theme", "source", ...: for the message.
    kind: &'static str,
    /// The ids.
    ids: &'a KnownIds,
    /// Other names that are not valid references but show what was meant:
    /// theme aliases (lowercase), each with the id it stands for.
    aliases: &'a BTreeMap<String, String>,
}

/// The findings that parsed, for agenda items to draw on and name.
struct Findings<'a> {
    /// The findings.
    findings: Vec<&'a model::Finding>,
    /// Their ids.
    ids: KnownIds,
}

/// Every set of ids references are checked against.
struct Refs {
    meetings: KnownIds,
    participants: KnownIds,
    themes: KnownIds,
    aliases: BTreeMap<String, String>,
    parties: KnownIds,
    sources: KnownIds,
    issues: KnownIds,
    perspectives: KnownIds,
    levels: KnownIds,
}

impl Refs {
    fn theme(&self) -> Known<'_> {
        Known { kind: "theme", ids: &self.themes, aliases: &self.aliases }
    }
    fn plain<'a>(&'a self, kind: &'static str, ids: &'a KnownIds) -> Known<'a> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        Known { kind, ids, aliases: &NONE }
    }
    fn source(&self) -> Known<'_> {
        self.plain("source", &self.sources)
    }
    fn party(&self) -> Known<'_> {
        self.plain("party", &self.parties)
    }
    fn issue(&self) -> Known<'_> {
        self.plain("issue", &self.issues)
    }
    fn perspective(&self) -> Known<'_> {
        self.plain("perspective", &self.perspectives)
    }
    fn level(&self) -> Known<'_> {
        self.plain("handling level", &self.levels)
    }
}

/// Checks everything, reporting each problem in `diagnostics`.
pub(crate) fn check(raw: &Raw, files: &Files, diagnostics: &mut Vec<Diagnostic>) {
    let mut check = Checker { files, diagnostics, skipped: BTreeMap::new(), keys: BTreeSet::new() };
    check.keys = check.citation_keys(&raw.entries);

    let aliases = check.themes(&raw.themes);
    check.unique("party", &raw.parties, |p| &p.id);
    check.unique("source", &raw.sources, |s| &s.id);
    check.unique("participant", &raw.participants, |p| &p.id);
    check.unique("event", &raw.events, |e| &e.id);
    check.unique("issue", &raw.issues, |i| &i.id);
    check.unique("meeting", &raw.meetings, |m| &m.id);
    check.unique("handling level", &raw.levels, |l| &l.id);
    let bib_keys = check.keys.clone();
    // A source whose bibliography entry could not be read is not faulted
    // for what that entry would have given: the entry is reported.
    let mut in_bib = bib_keys.clone();
    in_bib.extend(raw.broken_entries.iter().cloned());
    check.fields(raw, &in_bib);
    let parties = raw.parties.known(|p| &p.id);
    let mut perspectives = parties.clone();
    perspectives.ids.push(SHARED.to_string());
    let refs = Refs {
        meetings: raw.meetings.known(|m| &m.id),
        participants: raw.participants.known(|p| &p.id),
        themes: raw.themes.known(|t| &t.id),
        aliases,
        parties,
        sources: {
            let mut known = raw.sources.known(|s| &s.id);
            let more: Vec<String> =
                bib_keys.iter().filter(|k| !known.ids.contains(k)).cloned().collect();
            known.ids.extend(more);
            known.broken.extend(raw.broken_entries.iter().cloned());
            known
        },
        issues: raw.issues.known(|i| &i.id),
        perspectives,
        levels: raw.levels.known(|l| &l.id),
    };

    check.participants(&raw.participants, &refs);
    check.events(&raw.events, &refs);
    check.issues(&raw.issues, &refs);
    check.findings(&raw.findings, &raw.broken_findings, &refs);
    check.meetings(raw, &refs);
    check.meeting_comments(raw);
    check.handling(raw, &refs);
    if let Some(glossary) = &raw.glossary {
        check.abbreviations(&raw.findings, glossary);
    }
    check.note_skipped();
}

impl Checker<'_> {
    fn participants(&mut self, file: &ListFile<Participant>, refs: &Refs) {
        // A person new to the corpus may belong to a meeting.
        let mut holders = refs.sources.clone();
        holders.ids.extend(refs.meetings.ids.iter().cloned());
        let known = refs.plain("source or meeting", &holders);
        let meetings = &refs.meetings;
        for p in &file.items {
            let given = &p.value.source;
            // A meeting that did not parse is reported once, where it is.
            let in_broken_meeting = meetings.broken.contains(given)
                || meetings.unchecked.is_some() && !holders.ids.contains(given);
            if in_broken_meeting {
                *self.skipped.entry(meetings.broken_in.clone()).or_default() += 1;
                continue;
            }
            self.reference(&file.path, &p.entry, "source", given, &known);
        }
    }

    /// Meetings: what they name exists, their dates are dates, and each
    /// agenda item draws on something (a warning if not: its section says
    /// so in the book).
    fn meetings(&mut self, raw: &Raw, refs: &Refs) {
        let path = &raw.meetings.path;
        let findings: Vec<&model::Finding> = raw.findings.iter().map(|f| &f.finding).collect();
        let broken = &raw.broken_findings;
        let ids = KnownIds {
            ids: findings.iter().map(|f| f.id.clone()).collect(),
            broken: broken.iter().map(|b| b.id.clone()).collect(),
            broken_files: broken.iter().map(|b| (b.id.clone(), b.path.clone())).collect(),
            ..KnownIds::default()
        };
        let findings = Findings { findings, ids };
        for m in &raw.meetings.items {
            let (entry, meeting) = (&m.entry, &m.value);
            self.not_blank(path, entry, "title", &meeting.title);
            self.not_blank(path, entry, "purpose", &meeting.purpose);
            self.not_blank(path, entry, "objectives", &meeting.objectives);
            if let Some(side) = &meeting.our_side {
                self.reference(path, entry, "our_side", side, &refs.party());
            }
            for attendee in &meeting.attendees {
                self.reference(
                    path,
                    entry,
                    "attendees",
                    attendee,
                    &refs.plain("participant", &refs.participants),
                );
                if let Some(side) = &attendee.side {
                    self.reference(path, entry, "side", side, &refs.party());
                }
            }
            let ids: Vec<String> = meeting.attendees.iter().map(|a| a.id.clone()).collect();
            self.listed_once(path, entry, "attendees", &ids);
            self.not_empty(
                path,
                entry,
                "agenda",
                meeting.agenda.is_empty(),
                "a meeting needs at least one agenda item",
            );
            if let Some(level) = &meeting.handling {
                self.reference(path, entry, "handling", level, &refs.level());
            }
            for item in &meeting.agenda {
                self.agenda_item(path, entry, item, refs, &findings);
            }
        }
    }

    /// One agenda item of the meeting at `entry`: a title and objective,
    /// references that resolve, dates that are dates in order, and
    /// something drawn on (a warning if not).
    fn agenda_item(
        &mut self,
        path: &Path,
        entry: &Entry,
        item: &AgendaItem,
        refs: &Refs,
        findings: &Findings,
    ) {
        let text = self.text(path);
        let at = entry.value_in(text, "agenda", &item.title);
        let within = |needle: &str| -> std::ops::Range<usize> {
            let end = entry.range.end.min(text.len());
            match text[at.start..end].find(needle) {
                Some(i) if !needle.is_empty() => at.start + i..at.start + i + needle.len(),
                _ => at.clone(),
            }
        };
        if item.title.trim().is_empty() || item.objective.trim().is_empty() {
            let field = if item.title.trim().is_empty() { "title" } else { "objective" };
            self.error(path, at.clone(), Problem::Blank(field));
        }
        let mut item_refs: Vec<(&String, Known)> = Vec::new();
        item_refs.extend(item.themes.iter().map(|t| (t, refs.theme())));
        item_refs.extend(item.issues.iter().map(|i| (i, refs.issue())));
        item_refs.extend(item.findings.iter().map(|f| (f, refs.plain("finding", &findings.ids))));
        let levels =
            item.handling.iter().chain(item.raise.iter().filter_map(|r| r.handling.as_ref()));
        item_refs.extend(levels.map(|l| (l, refs.level())));
        for (given, known) in item_refs {
            self.reference_at(path, within(given), given, &known);
        }
        let mut range = DateRange::default();
        for (field, value) in [("from", &item.from), ("to", &item.to)] {
            let Some(value) = value else { continue };
            match value.parse::<PartialDate>() {
                Ok(date) if field == "from" => range.from = Some(date),
                Ok(date) => range.to = Some(date),
                Err(error) => {
                    self.error(path, within(value), Problem::BadDate { field, error });
                }
            }
        }
        if let (true, Some(from), Some(to)) = (range.is_reversed(), range.from, range.to) {
            self.error(path, within(&to.to_string()), Problem::ReversedRange { from, to });
        }
        // An item that names a finding that did not parse may draw on it
        // once it does: that finding's problem is reported.
        let names_broken = item.findings.iter().any(|f| findings.ids.broken.contains(f));
        if !names_broken && !findings.findings.iter().any(|f| item.draws(f)) {
            let d = Diagnostic::error(path, at.clone(), Problem::DrawsNothing(item.title.clone()));
            self.diagnostics.push(d.warning());
        }
    }

    /// Every `handling:` names a level of levels.yaml.
    fn handling(&mut self, raw: &Raw, refs: &Refs) {
        let known = refs.level();
        for s in &raw.sources.items {
            if let Some(level) = &s.value.handling {
                self.reference(&raw.sources.path, &s.entry, "handling", level, &known);
            }
        }
        for e in &raw.events.items {
            if let Some(level) = &e.value.handling {
                self.reference(&raw.events.path, &e.entry, "handling", level, &known);
            }
        }
        for f in &raw.findings {
            if let Some(level) = &f.finding.handling {
                self.reference(&f.display_path, &f.located.entry, "handling", level, &known);
            }
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
            if let Some(level) = &i.value.handling {
                self.reference(path, &i.entry, "handling", level, &refs.level());
            }
            for (party, position) in &i.value.positions {
                let Some(party) = party.as_str() else { continue };
                self.reference(path, &i.entry, "positions", party, &refs.party());
                if !is_position(position) {
                    let message = format!(
                        "the position of `{party}` must be text, or `text:` with a `handling:` level"
                    );
                    let at = i.entry.value_in(self.text(path), "positions", party);
                    self.error(path, at, Problem::BadValue { field: "positions", message });
                }
                if let Some(level) = i.value.position_level(party) {
                    self.reference(path, &i.entry, "positions", level, &refs.level());
                }
            }
        }
    }

    fn findings(&mut self, findings: &[RawFinding], broken: &[BrokenFinding], refs: &Refs) {
        self.finding_ids(findings, broken);
        for raw in findings {
            let path = &raw.display_path;
            let entry = &raw.located.entry;
            let f = &raw.finding;
            self.id_form(path, entry, "finding", &f.id);
            self.not_empty(
                path,
                entry,
                "themes",
                f.themes.is_empty(),
                "a finding needs at least one theme",
            );
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

impl Checker<'_> {
    /// Each finding id is used once, also by a finding whose front matter
    /// gave no finding but whose id could be read: the second of two is
    /// reported, with where the first is.
    fn finding_ids(&mut self, findings: &[RawFinding], broken: &[BrokenFinding]) {
        let mut all: Vec<(&Path, &str, Range<usize>)> = findings
            .iter()
            .map(|f| (f.display_path.as_path(), f.finding.id.as_str(), f.located.entry.key("id")))
            .chain(broken.iter().map(|b| (b.path.as_path(), b.id.as_str(), b.at.clone())))
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        let mut first: BTreeMap<&str, (&Path, Range<usize>)> = BTreeMap::new();
        for (path, id, at) in all {
            match first.get(id) {
                Some((at_path, first_at)) => {
                    let first = self.location(at_path, first_at.clone());
                    let problem = Problem::DuplicateId { kind: "finding", id: id.into(), first };
                    self.error(path, at, problem);
                }
                None => {
                    first.insert(id, (path, at));
                }
            }
        }
    }
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
    /// Per defining file, how many references into its broken entries
    /// were not reported.
    skipped: BTreeMap<PathBuf, usize>,
    /// The bibliography files' citation keys:
    /// a source with one of these ids keeps the key's form (Zotero's
    /// `durraniTribalAreas2012`).
    keys: BTreeSet<String>,
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
        let citation_key = kind == "source" && self.keys.contains(id);
        if !(is_valid_id(id) || citation_key) {
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
        // Where each id is first defined; its line is counted only for a
        // duplicate, so that the check stays linear in the file's size.
        let mut first: BTreeMap<&str, Range<usize>> = BTreeMap::new();
        for item in items {
            let id = id(&item.value);
            self.id_form(path, &item.entry, kind, id);
            match first.get(id.as_str()) {
                Some(at) => {
                    let first = self.location(path, at.clone());
                    let problem = Problem::DuplicateId { kind, id: id.clone(), first };
                    self.error(path, item.entry.key("id"), problem);
                }
                None => {
                    first.insert(id, item.entry.key("id"));
                }
            }
        }
    }

    /// Checks themes: unique ids, and aliases that name one theme only.
    /// Returns every name a theme answers to, for suggestions.
    fn themes(&mut self, themes: &ListFile<Theme>) -> BTreeMap<String, String> {
        self.unique("theme", themes, |t| &t.id);
        let (path, items) = (&themes.path, &themes.items);
        let mut owner: BTreeMap<String, &str> =
            items.iter().map(|t| (t.value.id.to_lowercase(), t.value.id.as_str())).collect();
        for t in items {
            for alias in &t.value.aliases {
                if *alias != alias.to_lowercase() {
                    let message = format!("alias `{alias}` must be lowercase");
                    let range = t.entry.value_in(self.text(path), "aliases", alias);
                    self.error(path, range, Problem::BadValue { field: "aliases", message });
                }
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
        owner
            .into_iter()
            .filter(|(name, id)| name != &id.to_lowercase())
            .map(|(name, id)| (name, id.to_string()))
            .collect()
    }

    /// Reports `given` if it is not one of `known`'s ids, suggesting the
    /// id an alias stands for, else the nearest id. A reference to an entry
    /// that failed to parse, or into a file that did not parse, is not
    /// reported: that problem is, once.
    fn reference(&mut self, path: &Path, entry: &Entry, field: &str, given: &str, known: &Known) {
        let range = entry.value_in(self.text(path), field, given);
        self.reference_at(path, range, given, known);
    }

    /// [`Checker::reference`], for a reference found at `range`.
    fn reference_at(&mut self, path: &Path, range: Range<usize>, given: &str, known: &Known) {
        let ids = known.ids;
        if ids.ids.contains(given) {
            return;
        }
        if let Some(file) = &ids.unchecked {
            *self.skipped.entry(file.clone()).or_default() += 1;
            return;
        }
        if ids.broken.contains(given) {
            let file = ids.broken_files.get(given).unwrap_or(&ids.broken_in);
            *self.skipped.entry(file.clone()).or_default() += 1;
            return;
        }
        let names = ids.ids.iter().map(String::as_str);
        let hint = match known.aliases.get(&given.to_lowercase()) {
            Some(id) => Some(format!("`{given}` is an alias of `{id}`; write the id `{id}` here")),
            None => crate::suggest::hint(given, names, "known"),
        };
        let problem = Problem::UnknownRef { kind: known.kind, given: given.to_string() };
        let diagnostic = self.error(path, range, problem);
        diagnostic.hints.extend(hint);
    }

    /// Adds to the first error in each file whose broken entries hid
    /// references a note of how many were not checked.
    fn note_skipped(&mut self) {
        for (file, count) in std::mem::take(&mut self.skipped) {
            let first = self
                .diagnostics
                .iter_mut()
                .find(|d| d.path == file && d.severity == crate::diag::Severity::Error);
            if let Some(d) = first {
                let (references, are) = match count {
                    1 => ("reference", "is"),
                    _ => ("references", "are"),
                };
                d.hints.push(format!(
                    "{count} {references} to what this file defines {are} not checked until this is fixed"
                ));
            }
        }
    }

    /// A drafting comment never closed in a meeting's Markdown fields
    /// (all that follows it is left out): a warning at the field.
    fn meeting_comments(&mut self, raw: &Raw) {
        let path = &raw.meetings.path;
        for m in &raw.meetings.items {
            let (entry, meeting) = (&m.entry, &m.value);
            let mut fields = vec![
                (entry.key("purpose"), &meeting.purpose),
                (entry.key("objectives"), &meeting.objectives),
            ];
            for (i, item) in meeting.agenda.iter().enumerate() {
                let at = [Seg::Key("agenda".into()), Seg::Index(i)];
                for (field, text) in [("objective", &item.objective), ("points", &item.points)] {
                    let range =
                        entry.nested_name(&at, field).unwrap_or_else(|| entry.key("agenda"));
                    fields.push((range, text));
                }
            }
            for (range, text) in fields {
                if let Some((_, kind)) = super::comments::blank(text).unclosed.first() {
                    let message = super::comments::UNCLOSED;
                    let d = Diagnostic::error(path, range, Problem::Syntax(message.into()));
                    let hint = format!("close it with `{}`", kind.closer());
                    self.diagnostics.push(d.warning().with_hint(hint));
                }
            }
        }
    }

    /// Each of a list field's values is given once: a value given again is
    /// an error at its second place, naming where it was first given.
    fn listed_once(&mut self, path: &Path, entry: &Entry, field: &'static str, values: &[String]) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for value in values {
            let count = seen.entry(value).or_default();
            *count += 1;
            if *count != 2 {
                continue;
            }
            let places = entry.values_in(self.text(path), field, value);
            let (Some(first), Some(again)) = (places.first(), places.get(1)) else {
                let at = entry.key(field);
                let message = format!("`{value}` is listed twice");
                self.error(path, at, Problem::BadValue { field, message });
                continue;
            };
            let first = self.files.line_column(path, first.start).unwrap_or((1, 1));
            let message = format!(
                "`{value}` is listed twice (first at {}:{}:{})",
                path.display(),
                first.0,
                first.1
            );
            self.error(path, again.clone(), Problem::BadValue { field, message });
        }
    }

    /// A list field that must not be empty.
    fn not_empty(
        &mut self,
        path: &Path,
        entry: &Entry,
        field: &'static str,
        empty: bool,
        why: &str,
    ) {
        if empty {
            let message = why.to_string();
            self.error(path, entry.key(field), Problem::BadValue { field, message });
        }
    }

    /// A text field that must not be blank.
    fn not_blank(&mut self, path: &Path, entry: &Entry, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.error(path, entry.key(field), Problem::Blank(field));
        }
    }

    /// Checks the bibliography files' keys are unique; returns the keys.
    /// Where a key is first defined is counted in lines only for a
    /// duplicate, so that the check stays linear in the files' size.
    fn citation_keys(&mut self, entries: &[model::Entry]) -> BTreeSet<String> {
        let mut first: BTreeMap<&str, &model::Entry> = BTreeMap::new();
        for r in entries {
            match first.get(r.key.as_str()) {
                Some(at) => {
                    let problem = Problem::DuplicateId {
                        kind: "citation key",
                        id: r.key.clone(),
                        first: self.location(&at.path, at.range.clone()),
                    };
                    self.error(&r.path, r.range.clone(), problem);
                }
                None => {
                    first.insert(&r.key, r);
                }
            }
        }
        first.into_keys().map(str::to_string).collect()
    }

    /// Warns about the all-capital words of findings that the glossary
    /// neither expands nor ignores: once per word and finding, at its
    /// first use.
    fn abbreviations(&mut self, findings: &[RawFinding], glossary: &Glossary) {
        for f in findings {
            let text = self.text(&f.display_path).to_string();
            let mut runs: Vec<(std::ops::Range<usize>, String)> = Vec::new();
            let title = f.located.entry.key("title");
            runs.push((title.clone(), text.get(title).unwrap_or_default().to_string()));
            let body = text.get(f.body_range.clone()).unwrap_or_default();
            for (r, t) in super::markdown::prose_runs(body) {
                let r = f.body_range.start + r.start..f.body_range.start + r.end;
                runs.push((r, t));
            }
            let mut seen = std::collections::BTreeSet::new();
            for (range, run) in &runs {
                for (at, word) in glossary::capital_words(run) {
                    if glossary.knows(word) || !seen.insert(word.to_string()) {
                        continue;
                    }
                    // The word's place in the file: in the run as written,
                    // else the run's start.
                    let written = text.get(range.clone()).unwrap_or_default();
                    let start = match written.get(at.clone()) {
                        Some(w) if w == word => range.start + at.start,
                        _ => written.find(word).map_or(range.start, |n| range.start + n),
                    };
                    let d = Diagnostic::error(
                        &f.display_path,
                        start..start + word.len(),
                        Problem::NotInGlossary(word.to_string()),
                    );
                    self.diagnostics.push(d.warning().with_hint(format!(
                        "add it to glossary.yaml (`- term: {word}` with its `expansion`), or to its `ignore` list"
                    )));
                }
            }
        }
    }

    /// The field rules data/README.md states, beyond the shapes serde
    /// checks: text that must say something, lists that must not be
    /// empty, fields required together, conventions (as warnings).
    fn fields(&mut self, raw: &Raw, bib_keys: &BTreeSet<String>) {
        for t in &raw.themes.items {
            let path = &raw.themes.path;
            self.not_blank(path, &t.entry, "title", &t.value.title);
            self.not_blank(path, &t.entry, "description", &t.value.description);
        }
        for l in &raw.levels.items {
            self.not_blank(&raw.levels.path, &l.entry, "banner", &l.value.banner);
        }
        for p in &raw.parties.items {
            self.not_blank(&raw.parties.path, &p.entry, "title", &p.value.title);
        }
        self.source_fields(&raw.sources, bib_keys);
        for p in &raw.participants.items {
            self.not_blank(&raw.participants.path, &p.entry, "name", &p.value.name);
        }
        self.event_fields(&raw.events);
        for i in &raw.issues.items {
            self.not_blank(&raw.issues.path, &i.entry, "title", &i.value.title);
        }
        self.finding_fields(&raw.findings);
    }

    /// The field rules of sources: a short title, a kind, an abstract and
    /// a date, unless a bibliography file's entry (`bib_keys`) gives
    /// them; by convention, the file it was transcribed from.
    fn source_fields(&mut self, sources: &ListFile<Source>, bib_keys: &BTreeSet<String>) {
        let path = &sources.path;
        for s in &sources.items {
            let in_bib = bib_keys.contains(&s.value.id);
            for (field, value) in [
                ("short", &s.value.short),
                ("kind", &s.value.kind),
                ("abstract", &s.value.r#abstract),
            ] {
                match s.entry.find_key(field) {
                    Some(_) => self.not_blank(path, &s.entry, field, value),
                    // A bibliography file's entry gives what is left out.
                    None if in_bib => {}
                    None => {
                        self.error(path, s.entry.key("id"), Problem::MissingField(field.into()));
                    }
                }
            }
            if !in_bib && s.entry.find_key("date").is_none() {
                self.error(path, s.entry.key("id"), Problem::MissingField("date".into()));
            }
            if s.value.seed.is_none() && !in_bib {
                let d = Diagnostic::error(
                    path,
                    s.entry.key("id"),
                    Problem::MissingField("seed".into()),
                );
                self.diagnostics.push(d.warning().with_hint(
                    "by convention every source names the file it was transcribed from",
                ));
            }
        }
    }

    /// The field rules of events: a title, a theme, a note on a date from
    /// the public record, and the `ref` convention.
    fn event_fields(&mut self, events: &ListFile<Event>) {
        let path = &events.path;
        for e in &events.items {
            self.not_blank(path, &e.entry, "title", &e.value.title);
            self.not_empty(
                path,
                &e.entry,
                "themes",
                e.value.themes.is_empty(),
                "an event needs at least one theme",
            );
            if e.value.date_basis == DateBasis::GeneralKnowledge
                && e.value.date_note.as_deref().is_none_or(|n| n.trim().is_empty())
            {
                let problem = Problem::Requires {
                    field: "date_note",
                    when: "`date_basis` is `general-knowledge`",
                };
                self.error(path, e.entry.key("date_basis"), problem);
            }
            self.reference_convention(path, &e.entry, e.value.reference.as_deref());
        }
    }

    /// The field rules of findings: a title, at most 3 themes, a summary
    /// for a key judgement, and the `ref` convention.
    fn finding_fields(&mut self, findings: &[RawFinding]) {
        for f in findings {
            let (path, entry) = (&f.display_path, &f.located.entry);
            self.not_blank(path, entry, "title", &f.finding.title);
            if f.finding.themes.len() > 3 {
                let message = "a finding has at most 3 themes, most relevant first".into();
                self.error(
                    path,
                    entry.key("themes"),
                    Problem::BadValue { field: "themes", message },
                );
            }
            // A `ref` misspelt in a front matter with problems is one of
            // them.
            if f.complete || f.finding.reference.is_some() {
                self.reference_convention(path, entry, f.finding.reference.as_deref());
            }
            if f.finding.key && f.finding.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
                let problem = Problem::Requires { field: "summary", when: "`key` is true" };
                self.error(path, entry.key("key"), problem);
            }
        }
    }

    /// `ref` is given by convention, and paragraphs are written without a
    /// leading zero (`para. 7`): warnings.
    fn reference_convention(&mut self, path: &Path, entry: &Entry, reference: Option<&str>) {
        match reference {
            None => {
                let d =
                    Diagnostic::error(path, entry.key("id"), Problem::MissingField("ref".into()));
                self.diagnostics.push(d.warning().with_hint("by convention every item says where in its source it comes from: `ref: para. 17`"));
            }
            Some(r) if r.split("para. ").skip(1).any(|n| n.starts_with('0')) => {
                let message = "write paragraph numbers without a leading zero: `para. 7`".into();
                let d = Diagnostic::error(
                    path,
                    entry.key("ref"),
                    Problem::BadValue { field: "ref", message },
                );
                self.diagnostics.push(d.warning());
            }
            Some(_) => {}
        }
    }
}

/// Whether a position is text, or a mapping of `text` (text) and an
/// optional `handling` (text).
fn is_position(value: &serde_yaml::Value) -> bool {
    let text = |v: Option<&serde_yaml::Value>| v.is_some_and(serde_yaml::Value::is_string);
    match value.as_mapping() {
        None => value.is_string(),
        Some(m) => {
            let known = m.keys().all(|k| matches!(k.as_str(), Some("text" | "handling")));
            known && text(m.get("text")) && m.get("handling").is_none_or(|h| h.is_string())
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
