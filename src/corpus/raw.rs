//! The corpus as parsed, before cross-checks: each list file with its
//! entries and where they are, each finding with where its parts are.
//! Loading fills these, `validate` checks them and `assemble` turns them
//! into a [`Corpus`](super::model::Corpus). Plain data, no I/O.

use std::path::PathBuf;

use super::glossary::Glossary;
use super::model::{
    Entry, Event, Finding, FindingMeta, Issue, Level, Meeting, Participant, Party, Source, Theme,
};
use super::yaml::Located;

/// A list file as parsed: where it is and its entries.
pub(crate) struct ListFile<T> {
    /// The file.
    pub path: PathBuf,
    /// The entries that parsed, each with where it is.
    pub items: Vec<Located<T>>,
    /// Ids of entries that did not parse (already reported).
    pub broken: Vec<String>,
    /// Whether the file could not be parsed at all (already reported).
    pub unparsed: bool,
}

/// A finding with where its parts are, for validation.
#[derive(Clone)]
pub(crate) struct RawFinding {
    /// Its front matter, with where each key is.
    pub located: Located<FindingMeta>,
    /// The finding.
    pub finding: Finding,
    /// Its path as diagnostics print it.
    pub display_path: PathBuf,
    /// Where its body is in the file.
    pub body_range: std::ops::Range<usize>,
    /// What of its front matter was made from an Obsidian note's
    /// properties.
    pub derived: Derived,
    /// Its blocks that carry an Obsidian block id (`^a1b2`).
    pub anchors: std::collections::BTreeMap<String, super::markdown::Block>,
    /// Whether its front matter was read without a problem. One with
    /// problems (reported) is made of what was well written: it is
    /// checked, so that no other problem waits for the next run, but it
    /// is kept out of the corpus.
    pub complete: bool,
}

/// A finding whose front matter gave none (its problems are reported),
/// known by the id written in it: references to it are not reported
/// again, and another finding of the same id is.
#[derive(Clone, Debug)]
pub(crate) struct BrokenFinding {
    /// The id as written.
    pub id: String,
    /// Its file, as diagnostics print it.
    pub path: PathBuf,
    /// Where the id is written.
    pub at: std::ops::Range<usize>,
}

/// Everything parsed, before cross-checks.
pub(crate) struct Raw {
    /// `themes.yaml`.
    pub themes: ListFile<Theme>,
    /// `parties.yaml`.
    pub parties: ListFile<Party>,
    /// `sources.yaml`.
    pub sources: ListFile<Source>,
    /// `participants.yaml`.
    pub participants: ListFile<Participant>,
    /// `events.yaml`.
    pub events: ListFile<Event>,
    /// `issues.yaml`.
    pub issues: ListFile<Issue>,
    /// `meetings.yaml`.
    pub meetings: ListFile<Meeting>,
    /// `levels.yaml`.
    pub levels: ListFile<Level>,
    /// The findings that parsed, in path order.
    pub findings: Vec<RawFinding>,
    /// The findings that did not, known by their ids, in path order.
    pub broken_findings: Vec<BrokenFinding>,
    /// The entries of the bibliography files, in file order.
    pub entries: Vec<Entry>,
    /// The keys of the bibliography files' entries that could not be read
    /// (already reported).
    pub broken_entries: Vec<String>,
    /// The abbreviations, if the corpus has a glossary.
    pub glossary: Option<Glossary>,
}

/// What `vault::properties` made of a note's properties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Derived {
    /// The id is the file name's slug.
    pub id: bool,
    /// The themes are the note's tags.
    pub tags: bool,
}
