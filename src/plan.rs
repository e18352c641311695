//! What a run makes: the books of one request, each with its settings
//! already layered (built-in < brief.toml defaults < standing book <
//! flags). Plain data, built by the command layer from the arguments and
//! brief.toml; no clap, no I/O.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::date::{DateRange, PartialDate};
use crate::diag::{Diagnostic, DiagnosticFormat, Files};
use crate::settings::BookSettings;

/// A validated request: one or more books from one corpus.
#[derive(Clone, Debug)]
pub struct Request {
    /// The corpus directory.
    pub data: PathBuf,
    /// The books to make.
    pub books: Vec<Book>,
    /// The "as of" date.
    pub as_of: NaiveDate,
    /// Where to write the compiled document's sources, if anywhere.
    pub emit_typ: Option<PathBuf>,
    /// An earlier PDF to compare the edition with (`--since`).
    pub since: Option<PathBuf>,
    /// Make numbered copies, for whom.
    pub copies_for: Option<CopiesFor>,
    /// Write each edition's record beside its PDF, so that the next build
    /// counts from it (`watch` does not: its rebuilds are drafts).
    pub record_editions: bool,
    /// Skip books whose inputs are unchanged.
    pub if_changed: bool,
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
    /// brief.toml's text, for problems that point into it.
    pub project_files: Files,
}

/// Whom numbered copies are made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopiesFor {
    /// The meeting's attendees, in the order of its list.
    Attendees,
    /// The names in a file, one a line (blank lines and `#` comments are
    /// skipped).
    File(PathBuf),
}

/// Where a book comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Asked for on the command line (`brief --theme x`).
    AdHoc,
    /// A `[[book]]` of brief.toml, by name.
    Standing(String),
}

/// One book to make.
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    /// Where it comes from.
    pub origin: Origin,
    /// Themes as typed; resolved against the corpus later.
    pub themes: Vec<String>,
    /// A meeting's id, for a meeting's book.
    pub meeting: Option<String>,
    /// The date range.
    pub range: DateRange,
    /// Explicit output path; otherwise out/<slug>.pdf beside the corpus.
    pub out: Option<PathBuf>,
    /// Every per-book option, layered.
    pub settings: BookSettings,
    /// For a standing book: where its `themes` are in brief.toml.
    pub themes_at: Range<usize>,
    /// For a standing book: what brief.toml gets wrong about it. A book
    /// with problems is reported, not made.
    pub problems: Vec<Diagnostic>,
}

impl Book {
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
        let mut slug = match &self.meeting {
            Some(meeting) => meeting.clone(),
            None if theme_ids.is_empty() => "all".to_string(),
            None => theme_ids.join("-"),
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
