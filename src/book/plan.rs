//! What a run makes: the books of one request, each with its settings
//! already layered (built-in < brief.toml defaults < standing book <
//! flags), and how the run prints. Plain data, built by the command layer
//! from the arguments and brief.toml; no clap, no I/O.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::date::{DateRange, PartialDate};
use crate::diag::{Diagnostic, DiagnosticFormat, Files};
use crate::edition::store::Place;
use crate::error::Error;
use crate::project::{BookSpec, Project, Spans};
use crate::select::Scope;
use crate::settings::BookSettings;

/// A validated request: one or more books from one corpus.
#[derive(Clone, Debug)]
pub struct Request {
    /// The corpus directory.
    pub data: PathBuf,
    /// The books to make.
    pub books: Vec<Book>,
    /// Every standing book of brief.toml, under the flags: an ad-hoc book
    /// at one's path is that book, or refused ([`super::standing`]).
    pub standing: Vec<Book>,
    /// The "as of" date.
    pub as_of: NaiveDate,
    /// Where to write the compiled document's sources, if anywhere.
    pub emit_typ: Option<PathBuf>,
    /// An earlier PDF to compare the edition with (`--since`).
    pub since: Option<PathBuf>,
    /// Where the standing books' edition records and `--if-changed`
    /// stamps are kept, if not beside their PDFs.
    pub state: Option<PathBuf>,
    /// Write each edition's record beside its PDF, so that the next build
    /// counts from it (`watch` does not: its rebuilds are drafts).
    pub record_editions: bool,
    /// Skip books whose inputs are unchanged.
    pub if_changed: bool,
    /// brief.toml's text, for problems that point into it.
    pub project_files: Files,
    /// How the run prints (the command layer's business).
    pub output: Output,
}

/// How a run prints: what the command layer shows, never what is made.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Print only errors.
    pub quiet: bool,
    /// Print stage timings.
    pub timings: bool,
    /// Where to write Typst's timing trace, if anywhere.
    pub trace: Option<PathBuf>,
    /// Print one JSON line per book on stdout instead of the paths.
    pub json: bool,
    /// How to print problems.
    pub format: DiagnosticFormat,
    /// Open each PDF written in the system's viewer.
    pub open: bool,
}

impl Request {
    /// Where the records of `book`, written at `pdf`, are kept: a
    /// standing book's in the state directory, if there is one; every
    /// other book's beside its PDF.
    pub fn place(&self, book: &Book, pdf: &Path) -> Place {
        match (book.name(), &self.state) {
            (Some(name), Some(dir)) => Place::in_state(pdf, dir, name),
            _ => Place::beside(pdf),
        }
    }
}

pub use crate::settings::CopiesFor;

/// Where a book comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Asked for on the command line (`brief --theme x`).
    AdHoc,
    /// A `[[book]]` of brief.toml, by name.
    Standing(String),
}

/// `at` less the keys the flags set.
fn unflagged(mut at: Spans, flags: &BookSettings) -> Spans {
    for key in flags.keys_set() {
        at.remove(&key);
    }
    at
}

/// One book to make.
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    /// Where it comes from.
    pub origin: Origin,
    /// Its themes as typed (resolved against the corpus later), a
    /// meeting, or every theme.
    pub scope: Scope,
    /// The date range.
    pub range: DateRange,
    /// Explicit output path; otherwise out/<slug>.pdf beside the corpus.
    pub out: Option<PathBuf>,
    /// Every per-book option, layered.
    pub settings: BookSettings,
    /// Where in brief.toml each of its values was set (`themes`,
    /// `meeting`, and each setting not given as a flag): a problem found
    /// later points there. Empty for what the command line gave.
    pub at: Spans,
    /// For a standing book: what brief.toml gets wrong about it. A book
    /// with problems is reported, not made.
    pub problems: Vec<Diagnostic>,
}

impl Book {
    /// A standing book of brief.toml: its own settings over the project's
    /// defaults, under the `flags`. Each value brief.toml set keeps where
    /// it is there; one the flags set has no place.
    pub fn standing(spec: &BookSpec, project: &Project, flags: &BookSettings) -> Book {
        let mut at = project.defaults_at.clone();
        at.extend(spec.at.clone());
        Book {
            origin: Origin::Standing(spec.name.clone()),
            scope: spec.scope.clone(),
            range: spec.range,
            out: None,
            settings: flags.clone().over(spec.settings.clone().over(project.defaults.clone())),
            at: unflagged(at, flags),
            problems: spec.problems.clone(),
        }
    }

    /// The books a project makes: one under its defaults alone (what
    /// `brief --theme x` starts from), and each standing book.
    pub fn all_of(project: &Project) -> Vec<Book> {
        let flags = BookSettings::default();
        let defaults =
            Book::ad_hoc(Scope::All, DateRange::default(), None, flags.clone(), Some(project));
        let standing = project.books.iter().map(|spec| Book::standing(spec, project, &flags));
        std::iter::once(defaults).chain(standing).collect()
    }

    /// A book asked for on the command line, under brief.toml's defaults
    /// (if there is a brief.toml).
    pub fn ad_hoc(
        scope: Scope,
        range: DateRange,
        out: Option<PathBuf>,
        flags: BookSettings,
        project: Option<&Project>,
    ) -> Book {
        let (defaults, at) = match project {
            Some(p) => (p.defaults.clone(), unflagged(p.defaults_at.clone(), &flags)),
            None => (BookSettings::default(), Spans::new()),
        };
        let settings = flags.over(defaults);
        Book { origin: Origin::AdHoc, scope, range, out, settings, at, problems: Vec::new() }
    }

    /// The standing book's name, if it is one.
    pub fn name(&self) -> Option<&str> {
        match &self.origin {
            Origin::AdHoc => None,
            Origin::Standing(name) => Some(name),
        }
    }

    /// The name a book on these (resolved) themes goes by: the standing
    /// book's name, else `afghanistan`, `afghanistan-drones`, `all`, with
    /// `_2011-to-2019-06` when a range is given.
    pub fn slug(&self, theme_ids: &[String]) -> String {
        if let Some(name) = self.name() {
            return name.to_string();
        }
        let mut slug = match &self.scope {
            Scope::Meeting(meeting) => meeting.clone(),
            _ if theme_ids.is_empty() => "all".to_string(),
            _ => theme_ids.join("-"),
        };
        if !self.range.is_open() {
            let end = |d: Option<PartialDate>| d.map_or_else(String::new, |d| d.to_string());
            slug.push_str(&format!("_{}-to-{}", end(self.range.from), end(self.range.to)));
        }
        slug
    }

    /// The output path: --out, else out/<slug>.pdf in the project directory.
    pub fn out_path(&self, data: &Path, theme_ids: &[String]) -> PathBuf {
        match &self.out {
            Some(out) => out.clone(),
            None => crate::project::project_dir(data)
                .join("out")
                .join(format!("{}.pdf", self.slug(theme_ids))),
        }
    }
}

/// Where a book's brief.toml values are: the file's path and text.
#[derive(Clone, Copy, Debug)]
pub struct ProjectFile<'a> {
    /// brief.toml's path.
    pub path: &'a Path,
    /// Its text, for snippets.
    pub files: &'a Files,
}

impl ProjectFile<'_> {
    /// The error for problems located in brief.toml.
    pub fn error(&self, problems: Vec<Diagnostic>) -> Error {
        Error::Project(problems, self.files.clone())
    }
}
