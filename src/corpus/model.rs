//! The corpus as typed data: what `corpus::load` produces and every later
//! stage reads. Plain data, no I/O.
//!
//! The raw file shapes (what analysts write, `deny_unknown_fields` so typos
//! become diagnostics) sit beside the checked types they turn into.

use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};
use serde_yaml::Value as Yaml;

use super::glossary::Glossary;
use super::markdown::Block;
use super::yaml::Dates;
use crate::date::{DateRange, PartialDate};

/// Everything in a corpus directory, checked.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Themes, in the order books present them.
    pub themes: Vec<Theme>,
    /// Parties: the issue matrix's position columns, in order.
    pub parties: Vec<Party>,
    /// Source documents and meetings.
    pub sources: Vec<Source>,
    /// People attached to sources.
    pub participants: Vec<Participant>,
    /// Dated events for the timeline.
    pub events: Vec<Event>,
    /// Issue-matrix rows.
    pub issues: Vec<Issue>,
    /// Findings, in sorted path order.
    pub findings: Vec<Finding>,
    /// Meetings books can be made for.
    pub meetings: Vec<Meeting>,
    /// Handling levels, lowest first; none when the corpus defines none.
    pub levels: Vec<Level>,
    /// Each source's bibliographic entry, by source id: from a
    /// bibliography file, or made from its `sources.yaml` entry.
    pub records: std::collections::BTreeMap<String, Entry>,
    /// The abbreviations of `glossary.yaml`, if the corpus has one.
    pub glossary: Option<Glossary>,
    /// The sources by id, made on first use by [`Corpus::source`]: leave
    /// it to its default.
    #[doc(hidden)]
    pub source_index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Corpus {
    /// The rank of the handling level with this id (0 is the lowest).
    pub fn level_rank(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == id)
    }

    /// The rank of an item's level: its own, or its source's if that is
    /// higher (what comes from a restricted source is restricted); 0, the
    /// lowest, when neither names one.
    pub fn rank_of(&self, own: Option<&str>, source: &str) -> usize {
        // Without levels every item is at the one rank: no source lookup.
        if self.levels.is_empty() {
            return 0;
        }
        let rank = |id: Option<&str>| id.and_then(|id| self.level_rank(id)).unwrap_or(0);
        rank(own).max(rank(self.source(source).and_then(|s| s.handling.as_deref())))
    }

    /// A finding's handling rank; see [`Corpus::rank_of`]. A source its
    /// body cites counts as a source of it: citing a restricted source
    /// makes the finding restricted, so that no book cites a source it
    /// withholds.
    pub fn finding_rank(&self, f: &Finding) -> usize {
        let cited = f.cites.iter().map(|id| self.rank_of(None, id));
        cited.fold(self.rank_of(f.handling.as_deref(), &f.source), usize::max)
    }

    /// Whether the issue `id` is fed by findings and all of them are
    /// `withheld`: its row would then say what only they say.
    pub fn issue_withheld(&self, id: &str, withheld: &dyn Fn(&Finding) -> bool) -> bool {
        let mut feeding =
            self.findings.iter().filter(|f| f.issue.as_deref() == Some(id)).peekable();
        feeding.peek().is_some() && feeding.all(withheld)
    }

    /// An event's handling rank; see [`Corpus::rank_of`].
    pub fn event_rank(&self, e: &Event) -> usize {
        self.rank_of(e.handling.as_deref(), &e.source)
    }

    /// The theme with this id.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The source with this id (the first, if two have it). Looked up in
    /// an index, so that a book of thousands of sources does not scan them
    /// once per source; a source added after the index was made is still
    /// found, by a scan.
    pub fn source(&self, id: &str) -> Option<&Source> {
        let index = self.source_index.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(self.sources.len());
            for (i, s) in self.sources.iter().enumerate() {
                index.entry(s.id.clone()).or_insert(i);
            }
            index
        });
        match index.get(id).and_then(|&i| self.sources.get(i)) {
            Some(s) if s.id == id => Some(s),
            _ => self.sources.iter().find(|s| s.id == id),
        }
    }

    /// The party with this id.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id == id)
    }

    /// The issue with this id.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }

    /// The meeting with this id.
    pub fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }
}

/// A meeting a book can be made for (`meetings.yaml`): what it is for,
/// who is at the table, and its agenda.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Unique id, as given to `--meeting`.
    pub id: String,
    /// Its title, on the cover.
    pub title: String,
    /// When, at the precision known, or `None` for `unknown`.
    #[serde(deserialize_with = "de_optional_date")]
    pub date: Option<PartialDate>,
    /// Where, if known.
    pub venue: Option<String>,
    /// What the meeting is (Markdown).
    pub purpose: String,
    /// What we want from it (Markdown).
    pub objectives: String,
    /// The party whose positions are ours, if any.
    pub our_side: Option<String>,
    /// Who is at the table: participant ids, each with their side and
    /// role at the meeting where known.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// A line for the press, if agreed.
    pub press: Option<String>,
    /// The agenda, in order.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Its handling level's id (levels.yaml): the whole meeting (its
    /// purpose, objectives, press line and agenda) is at least at this
    /// level.
    pub handling: Option<String>,
}

/// One item of a meeting's agenda.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// Its title.
    pub title: String,
    /// When in the day, as written.
    #[serde(default, deserialize_with = "de_optional_scalar")]
    pub time: Option<String>,
    /// Who leads it, as written.
    pub lead: Option<String>,
    /// What the item is for (Markdown).
    pub objective: String,
    /// The points to make (a Markdown list).
    #[serde(default)]
    pub points: String,
    /// What the other side is likely to raise.
    #[serde(default)]
    pub raise: Vec<Raise>,
    /// Themes whose findings it draws on.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Issues whose findings (and positions) it draws on.
    #[serde(default)]
    pub issues: Vec<String>,
    /// Findings it draws on by id.
    #[serde(default)]
    pub findings: Vec<String>,
    /// Earliest date of the findings it draws on.
    #[serde(default, deserialize_with = "de_optional_scalar")]
    pub from: Option<String>,
    /// Latest date of the findings it draws on.
    #[serde(default, deserialize_with = "de_optional_scalar")]
    pub to: Option<String>,
    /// Its handling level's id: the item (its objective, points and what
    /// the other side may raise) is at least at this level.
    pub handling: Option<String>,
}

impl AgendaItem {
    /// The item's own date range (checked by validation; a bad end is
    /// treated as open here).
    pub fn range(&self) -> DateRange {
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| d.parse().ok());
        DateRange { from: parse(&self.from), to: parse(&self.to) }
    }

    /// Whether the item draws on a finding: named by id, on one of its
    /// themes, or feeding one of its issues; and, for the last two, dated
    /// within the item's range (a finding named by id is always drawn on).
    pub fn draws(&self, f: &Finding) -> bool {
        if self.findings.contains(&f.id) {
            return true;
        }
        let on_subject = f.themes.iter().any(|t| self.themes.contains(t))
            || f.issue.as_ref().is_some_and(|i| self.issues.contains(i));
        let range = self.range();
        on_subject
            && match f.date {
                Some(date) => range.overlaps(date, None),
                None => range.is_open(),
            }
    }
}

/// Someone at a meeting's table: a participant's id, written alone, or
/// with `id:` beside their `side` (a party's id) and their `role` at the
/// meeting ("Chair", "Note-taker").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// The participant's id.
    pub id: String,
    /// The party whose side they are on, if recorded.
    pub side: Option<String>,
    /// Their role at the meeting, as written, if recorded.
    pub role: Option<String>,
}

impl std::ops::Deref for Attendee {
    type Target = str;

    fn deref(&self) -> &str {
        &self.id
    }
}

impl<'de> Deserialize<'de> for Attendee {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The written-out form.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Seat {
            id: String,
            side: Option<String>,
            role: Option<String>,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Attendee;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a participant's id, or a map with `id`, `side` and `role`")
            }

            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<Attendee, E> {
                Ok(Attendee { id: id.to_string(), side: None, role: None })
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Attendee, M::Error> {
                let seat = Seat::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Attendee { id: seat.id, side: seat.side, role: seat.role })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Something the other side is likely to raise.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Raise {
    /// What they may raise.
    pub text: String,
    /// How likely: the depth of briefing follows it.
    pub likelihood: Likelihood,
    /// Our response, or the line to take if it is raised.
    pub response: Option<String>,
    /// Its handling level's id.
    pub handling: Option<String>,
}

/// How likely the other side is to raise a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Likelihood {
    /// They will.
    Certain,
    /// They probably will.
    Likely,
    /// They may.
    Possible,
}

/// A subject a book can be made about (`themes.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Lowercase id, as used in findings and on the command line.
    pub id: String,
    /// Display title.
    pub title: String,
    /// One line on what it covers.
    pub description: String,
    /// Other names users may type.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A side whose positions the issue matrix records (`parties.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Id used in `perspective` and issue `positions`.
    pub id: String,
    /// Column title.
    pub title: String,
}

impl Dates for Meeting {
    const DATE_FIELDS: &'static [(&'static str, bool)] = &[("date", true)];
}
impl Dates for Theme {}
impl Dates for Level {}
impl Dates for Party {}
impl Dates for Participant {}
impl Dates for Issue {}

impl Dates for Source {
    const DATE_FIELDS: &'static [(&'static str, bool)] = &[("date", true)];
}

impl Dates for Event {
    const DATE_FIELDS: &'static [(&'static str, bool)] = &[("date", false), ("end", false)];
}

impl Dates for FindingMeta {
    const DATE_FIELDS: &'static [(&'static str, bool)] = &[("date", true)];
}

/// A document or meeting findings come from (`sources.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Id used by findings, events and participants.
    pub id: String,
    /// Short title for provenance lines (from the bibliography file's
    /// title when left out for a source it holds).
    #[serde(default)]
    pub short: String,
    /// Full title, only if the document states one.
    pub title: Option<String>,
    /// Report, article, paper, meeting...
    #[serde(default)]
    pub kind: String,
    /// Issuing organisation, if stated.
    pub organisation: Option<String>,
    /// Place, if stated.
    pub place: Option<String>,
    /// Date, or `None` when the document does not give one.
    #[serde(default, deserialize_with = "de_optional_date")]
    pub date: Option<PartialDate>,
    /// A short abstract in the corpus writer's words.
    #[serde(default)]
    pub r#abstract: String,
    /// Caveats: what is unknown, discrepancies.
    pub note: Option<String>,
    /// The file the source was transcribed from.
    pub seed: Option<String>,
    /// Its handling level's id (levels.yaml): what it says, and the
    /// findings and events drawn from it, are at least at this level.
    pub handling: Option<String>,
}

/// A person attached to a source (`participants.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Unique id.
    pub id: String,
    /// The meeting or paper they belong to.
    pub source: String,
    /// Their part in it.
    pub role: Role,
    /// "Amb.", "Lt. Gen. (retd)": as listed.
    pub honorific: Option<String>,
    /// The name without honorific, as listed.
    pub name: String,
    /// Current post(s).
    pub affiliation: Option<String>,
    /// Former roles, as listed.
    #[serde(default)]
    pub former: Vec<String>,
    /// Sort key when the surname is not the name's last word.
    pub sort_as: Option<String>,
}

impl Participant {
    /// The name as printed: honorific, then name ("Amb. Najmuddin Shaikh").
    pub fn full_name(&self) -> String {
        match &self.honorific {
            Some(h) => format!("{h} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A participant's part in a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Took part in a meeting.
    Participant,
    /// Wrote a document.
    Author,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// The cited source gives the date at this precision.
    #[default]
    Source,
    /// Added from the public record; the source gives less or nothing.
    GeneralKnowledge,
}

/// A dated event for the timeline (`events.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique id.
    pub id: String,
    /// When it happened, at the precision known.
    #[serde(deserialize_with = "de_date")]
    pub date: PartialDate,
    /// End of a span, if it is one.
    #[serde(default, deserialize_with = "de_end")]
    pub end: Option<PartialDate>,
    /// One-line title.
    pub title: String,
    /// One or two sentences.
    pub summary: Option<String>,
    /// Themes it belongs to.
    pub themes: Vec<String>,
    /// Where it is mentioned.
    pub source: String,
    /// Paragraph, page or section in the source.
    #[serde(rename = "ref", default, deserialize_with = "de_optional_scalar")]
    pub reference: Option<String>,
    /// Whether the date is the source's or the public record's.
    #[serde(default)]
    pub date_basis: DateBasis,
    /// Why the date is what it is.
    pub date_note: Option<String>,
    /// Its handling level's id (levels.yaml); none is the lowest.
    pub handling: Option<String>,
}

impl Event {
    /// The event's span end (its own date unless it is a span).
    pub fn end(&self) -> PartialDate {
        self.end.unwrap_or(self.date)
    }
}

/// How far parties' positions on an issue agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    /// Positions are moving together.
    Converging,
    /// Positions are moving apart.
    Diverging,
    /// Agreement on some points, not on others.
    Mixed,
}

/// An issue-matrix row (`issues.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Unique id, used by findings' `issue`.
    pub id: String,
    /// Row title.
    pub title: String,
    /// The question at stake.
    pub question: Option<String>,
    /// Themes the issue belongs to.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Each party's position, keyed by party id, in file order.
    #[serde(default)]
    pub positions: serde_yaml::Mapping,
    /// Converging, diverging or mixed.
    pub assessment: Assessment,
    /// Why that assessment.
    pub rationale: Option<String>,
    /// Its handling level's id: the row (its question, positions,
    /// assessment and rationale) is at least at this level.
    pub handling: Option<String>,
}

impl Issue {
    /// The recorded position of a party, if any: the text, given as a
    /// string or as a mapping's `text`.
    pub fn position(&self, party: &str) -> Option<&str> {
        let value = self.positions.get(party)?;
        value.as_str().or_else(|| value.get("text").and_then(|t| t.as_str()))
    }

    /// The handling level of a party's position given as a mapping with
    /// `handling`, if any.
    pub fn position_level(&self, party: &str) -> Option<&str> {
        self.positions.get(party)?.get("handling")?.as_str()
    }
}

/// The front-matter fields of a finding, and whether each is required.
pub const FINDING_FIELDS: &[(&str, bool)] = &[
    ("id", true),
    ("title", true),
    ("date", true),
    ("themes", true),
    ("source", true),
    ("ref", false),
    ("perspective", false),
    ("issue", false),
    ("summary", false),
    ("key", false),
    ("aliases", false),
    ("handling", false),
];

/// Keys a finding may give under another name: Obsidian's `tags` property
/// is a finding's `themes`.
pub const FINDING_KEY_ALIASES: &[(&str, &str)] = &[("tags", "themes")];

/// A finding's front matter as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingMeta {
    /// Unique id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Date of the source, or `unknown`.
    #[serde(deserialize_with = "de_optional_date")]
    pub date: Option<PartialDate>,
    /// Theme ids (Obsidian's `tags` is accepted for it).
    #[serde(alias = "tags")]
    pub themes: Vec<String>,
    /// Source id.
    pub source: String,
    /// Paragraph, page or section.
    #[serde(rename = "ref", default, deserialize_with = "de_optional_scalar")]
    pub reference: Option<String>,
    /// Whose view: a party id or `shared`.
    pub perspective: Option<String>,
    /// The issue-matrix row it feeds.
    pub issue: Option<String>,
    /// Other names of the note, as Obsidian keeps them (not printed).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Its key judgement in one line.
    pub summary: Option<String>,
    /// Whether it is a key judgement (listed on the key-points page).
    #[serde(default)]
    pub key: bool,
    /// Its handling level's id (levels.yaml); none is the lowest.
    pub handling: Option<String>,
}

/// One finding: a Markdown file with front matter.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    /// Unique id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Date, or `None` when unknown.
    pub date: Option<PartialDate>,
    /// Theme ids, most relevant first.
    pub themes: Vec<String>,
    /// Source id.
    pub source: String,
    /// Paragraph, page or section in the source.
    pub reference: Option<String>,
    /// Whose view: a party id or `shared`.
    pub perspective: Option<String>,
    /// The issue-matrix row it feeds.
    pub issue: Option<String>,
    /// Its key judgement in one line.
    pub summary: Option<String>,
    /// Whether it is a key judgement.
    pub key: bool,
    /// Its handling level's id; none is the lowest.
    pub handling: Option<String>,
    /// The body, converted from Markdown.
    pub body: Vec<Block>,
    /// The source ids its body cites (`[@key]`), in order.
    pub cites: Vec<String>,
    /// Path relative to the corpus directory.
    pub path: PathBuf,
}

/// A handling level (`levels.yaml`, lowest first): e.g. PUBLIC < FOR
/// MEETING USE < RESTRICTED. A book built for an audience level leaves out
/// everything above it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Unique id, used by `handling:` and `--audience`.
    pub id: String,
    /// The banner printed at the top and bottom of every page of a book
    /// whose highest included level this is, e.g. `RESTRICTED`.
    pub banner: String,
    /// What it means, for the corpus's writers.
    pub description: Option<String>,
}

/// One bibliographic entry, keyed by its citation key: read from a
/// bibliography file, or made from a `sources.yaml` entry (`bibliography`
/// makes both).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The citation key: the source id findings use.
    pub key: String,
    /// The entry in hayagriva's YAML form (a mapping), every string
    /// [`escape`]d.
    pub yaml: Yaml,
    /// The file it was read from.
    pub path: PathBuf,
    /// Where in that file.
    pub range: Range<usize>,
}

impl Entry {
    /// A field's text, with hayagriva's escapes undone: `title`, `type`...
    pub fn text(&self, field: &str) -> Option<String> {
        let value = self.yaml.get(field)?;
        let raw = match value {
            Yaml::String(s) => s.clone(),
            Yaml::Number(n) => n.to_string(),
            Yaml::Mapping(m) => m.get("value").and_then(Yaml::as_str)?.to_string(),
            _ => return None,
        };
        Some(unescape(&raw))
    }

    /// The entry's date, if it has one brief can read.
    pub fn date(&self) -> Option<PartialDate> {
        self.text("date")?.parse().ok()
    }
}

/// Escapes hayagriva's control characters (`\`, `{`, `}`, `$`), so that a
/// string prints exactly as written: how every string of an [`Entry`] is
/// stored.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '{' | '}' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Undoes [`escape`], and drops the braces of BibTeX's case protection.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| matches!(n, '\\' | '{' | '}' | '$')) => {
                out.extend(chars.next());
            }
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The perspective value meaning "all parties".
pub const SHARED: &str = "shared";

/// A YAML scalar as text: the forms written in YAML files are often
/// numbers (`date: 2018`, `ref: 17`), which we keep as written.
fn scalar_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    use serde::de::Error;
    match serde_yaml::Value::deserialize(deserializer)? {
        serde_yaml::Value::String(s) => Ok(s),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        other => Err(D::Error::custom(format!("expected text, found {}", kind_of(&other)))),
    }
}

fn kind_of(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        _ => "a value",
    }
}

fn de_optional_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    scalar_text(d).map(Some)
}

// Dates are checked before deserialising (`yaml::Dates`), where a bad one
// becomes a typed problem at its key; these errors are a backstop.

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
    use serde::de::Error;
    scalar_text(d)?.parse().map_err(|e| D::Error::custom(format!("invalid `date`: {e}")))
}

fn de_end<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PartialDate>, D::Error> {
    use serde::de::Error;
    scalar_text(d)?.parse().map(Some).map_err(|e| D::Error::custom(format!("invalid `end`: {e}")))
}

fn de_optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PartialDate>, D::Error> {
    use serde::de::Error;
    let text = scalar_text(d)?;
    if text == "unknown" {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e| D::Error::custom(format!("invalid `date`: {e} (or `unknown`)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, short: &str) -> Source {
        Source { id: id.into(), short: short.into(), kind: "k".into(), ..Default::default() }
    }

    #[test]
    fn a_source_is_found_by_id_before_and_after_the_index_is_made() {
        let mut corpus = Corpus {
            sources: vec![source("a", "first a"), source("b", "b"), source("a", "second a")],
            ..Default::default()
        };
        assert_eq!(corpus.source("a").map(|s| s.short.as_str()), Some("first a"));
        assert!(corpus.source("c").is_none());
        // Sources changed after the first lookup are still found.
        corpus.sources.push(source("c", "c"));
        assert_eq!(corpus.source("c").map(|s| s.short.as_str()), Some("c"));
        corpus.sources.remove(0);
        assert_eq!(corpus.source("a").map(|s| s.short.as_str()), Some("second a"));
        assert_eq!(corpus.source("c").map(|s| s.short.as_str()), Some("c"));
    }
}
