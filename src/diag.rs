//! Diagnostics about the input: what is wrong, in which file, where.
//!
//! Loading and validation collect these and never stop at the first one.
//! They are printed the way rustc and the typst CLI print theirs (through
//! codespan-reporting, the crate typst-kit uses), or one per line with
//! `--diagnostic-format short` for scripts.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Printed; the build goes on.
    Warning,
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as it should be shown to the user.
    pub path: PathBuf,
    /// Byte range in the file's text that the problem is about.
    pub range: Range<usize>,
    /// What is wrong.
    pub problem: Problem,
    /// Hints such as "did you mean `afghanistan`?".
    pub hints: Vec<String>,
}

/// What is wrong, as a matchable kind (tests match on these).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    Unreadable(String),
    /// A file every corpus must have is not there.
    #[error("{0} is required in a corpus directory")]
    MissingFile(String),
    /// The file is not valid UTF-8.
    #[error("file is not valid UTF-8")]
    NotUtf8,
    /// A finding has no `---` front matter block.
    #[error(
        "missing front matter: a finding starts with a `---` line, its YAML fields, and another `---` line"
    )]
    NoFrontMatter,
    /// A YAML or TOML file does not parse or does not have the documented
    /// shape.
    #[error("{0}")]
    Syntax(String),
    /// A value written `#word` where a value starts (`themes: [#water]`):
    /// YAML reads `#` there as the start of a comment, so the value is
    /// lost (and a flow list left unclosed).
    #[error("`{0}` is read as a comment: in YAML, `#` starts a comment")]
    HashComment(String),
    /// A required field is absent.
    #[error("missing field `{0}`")]
    MissingField(String),
    /// A field the file shape does not have (often a typo).
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A field's value is not acceptable.
    #[error("invalid `{field}`: {message}")]
    BadValue {
        /// Which field.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// A date that does not parse or does not exist.
    #[error("invalid `{field}`: {error}")]
    BadDate {
        /// Which field.
        field: &'static str,
        /// Why.
        error: crate::date::DateError,
    },
    /// A date range that ends before it starts.
    #[error("the range ends before it starts: `from` {from} is after `to` {to}")]
    ReversedRange {
        /// Its start.
        from: crate::date::PartialDate,
        /// Its end.
        to: crate::date::PartialDate,
    },
    /// A brief.toml key whose value is not acceptable.
    #[error("invalid `{key}`: {message}")]
    BadSetting {
        /// The key.
        key: String,
        /// Why.
        message: String,
    },
    /// An id used twice.
    #[error("duplicate {kind} id `{id}` (first defined in {first})")]
    DuplicateId {
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
        /// `path:line` of the first definition.
        first: String,
    },
    /// A reference to something the corpus does not define.
    #[error("unknown {kind} `{given}`")]
    UnknownRef {
        /// What kind of thing was referred to.
        kind: &'static str,
        /// The reference as written.
        given: String,
    },
    /// A finding with nothing to say.
    #[error("the finding has an empty body")]
    EmptyBody,
    /// An image that cannot be placed.
    #[error("image `{url}` {why}")]
    BadImage {
        /// The image's destination as written.
        url: String,
        /// What is wrong with it.
        why: ImageProblem,
    },
    /// An image file Typst cannot decode.
    #[error("image `{image}` cannot be placed: {why}")]
    Undecodable {
        /// The image, relative to the corpus.
        image: String,
        /// Why.
        why: String,
    },
    /// Markup nested deeper than brief sets it.
    #[error("nested more than {0} levels deep: the deeper levels are set flat")]
    TooDeep(usize),
    /// A link whose scheme may not be live in the PDF.
    #[error("link `{0}` is not a web or mail link: it is printed as text, not made live")]
    NotLive(String),
    /// A table too wide to be read on the page.
    #[error(
        "this table is too wide for the page: to fit, its type is set at about {0}% of its size; split it or shorten its widest entries"
    )]
    TableTooWide(usize),
    /// Obsidian syntax printed otherwise than the note shows it.
    #[error("{0}")]
    Unfaithful(String),
    /// An Obsidian link or embed that names no finding, or cannot be set
    /// as written.
    #[error("{0}")]
    Vault(String),
    /// An image without alt text.
    #[error("image `{0}` has no alt text: its file name stands in (write `![what it shows](...)`)")]
    NoAlt(String),
    /// A path that leads outside the corpus directory (a symlink, say).
    #[error("leads outside the corpus directory (to `{0}`): brief reads nothing outside it")]
    OutsideCorpus(String),
    /// A character YAML does not allow in text.
    #[error("control character {0} is not allowed here")]
    ControlCharacter(String),
    /// A file under findings/ that is not a finding.
    #[error(
        "not a finding: findings are `.md` or `.markdown` files (images beside them are fine); this file is ignored"
    )]
    NotAFinding,
    /// A character no shipped font can show.
    #[error("no font has {0}: it would print as an empty box")]
    MissingGlyph(String),
    /// An agenda item that draws on no finding.
    #[error("agenda item `{0}` draws on no finding: its section will say so")]
    DrawsNothing(String),
    /// A text field that must say something.
    #[error("`{0}` is empty")]
    Blank(&'static str),
    /// A field required together with another.
    #[error("`{field}` is required when {when}")]
    Requires {
        /// The field missing.
        field: &'static str,
        /// The condition.
        when: &'static str,
    },
    /// An error reported by the Typst compiler for a template.
    #[error("{0}")]
    Typst(String),
    /// A bibliography file (`sources.bib`, `sources.json`) or one of its
    /// entries that cannot be read.
    #[error("{0}")]
    Bibliography(String),
    /// A citation (`[@key]`) whose key names no source.
    #[error("unknown citation key `{0}`: no source has this id")]
    UnknownCitation(String),
    /// An all-capital word in a finding that the glossary neither expands
    /// nor ignores.
    #[error("`{0}` looks like an abbreviation but is not in glossary.yaml")]
    NotInGlossary(String),
}

/// Why an image cannot be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// A URL: images are never downloaded.
    #[error("is remote: images are never downloaded, the alt text is shown")]
    Remote,
    /// An absolute path.
    #[error("is an absolute path: images must lie inside the corpus directory")]
    Absolute,
    /// A path leading out of the corpus directory.
    #[error("lies outside the corpus directory")]
    Outside,
    /// Nothing is there.
    #[error("does not exist")]
    Missing,
    /// Something other than a file is there.
    #[error("is not a file")]
    NotAFile,
}

impl ImageProblem {
    /// A remote image only loses its picture (the alt text is shown); the
    /// others are mistakes to fix.
    pub fn severity(self) -> Severity {
        match self {
            ImageProblem::Remote => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Diagnostic {
    /// A diagnostic of the given severity.
    pub fn new(
        severity: Severity,
        path: impl Into<PathBuf>,
        range: Range<usize>,
        problem: Problem,
    ) -> Self {
        Self { severity, path: path.into(), range, problem, hints: Vec::new() }
    }

    /// An error at `range` in `path`.
    pub fn error(path: impl Into<PathBuf>, range: Range<usize>, problem: Problem) -> Self {
        Self { severity: Severity::Error, path: path.into(), range, problem, hints: Vec::new() }
    }

    /// The same diagnostic, demoted to a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// Whether any of the diagnostics is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The text of every file a diagnostic may point into, so a snippet can
/// always be shown.
#[derive(Clone, Debug, Default)]
pub struct Files {
    texts: BTreeMap<PathBuf, Arc<str>>,
}

impl Files {
    /// Remembers a file's text (lossily decoded if it was not UTF-8).
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: Arc<str>) {
        self.texts.insert(path.into(), text);
    }

    /// Takes over the files another collection remembered.
    pub fn extend(&mut self, other: Files) {
        self.texts.extend(other.texts);
    }

    /// Every remembered file and its text, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &Arc<str>)> {
        self.texts.iter().map(|(path, text)| (path.as_path(), text))
    }

    /// The text of a remembered file.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.texts.get(path)
    }

    /// The 1-based line and column of a byte offset in a remembered file.
    pub fn line_column(&self, path: &Path, offset: usize) -> Option<(usize, usize)> {
        let text = self.texts.get(path)?;
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether problems are printed in colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

static COLOR: std::sync::OnceLock<Color> = std::sync::OnceLock::new();

/// Sets, once per process (the command line does), whether problems are
/// printed in colour.
pub fn set_color(color: Color) {
    let _ = COLOR.set(color);
}

fn color() -> Color {
    COLOR.get().copied().unwrap_or_default()
}

/// Whether what goes to stderr may be coloured: `--color always`, or
/// `auto` on a terminal without `NO_COLOR` (or `TERM=dumb`).
pub fn stderr_in_colour() -> bool {
    match color() {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// How to print diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// With a source snippet, like rustc and the typst CLI.
    #[default]
    Human,
    /// One line each: `path:line:column: error: message`.
    Short,
}

/// Prints diagnostics to stderr, in colour only when stderr is a terminal.
pub fn emit(files: &Files, diagnostics: &[Diagnostic], format: DiagnosticFormat) {
    let choice = match color() {
        Color::Always => termcolor::ColorChoice::Always,
        Color::Never => termcolor::ColorChoice::Never,
        // termcolor's Auto also honours NO_COLOR and TERM=dumb.
        Color::Auto if io::stderr().is_terminal() => termcolor::ColorChoice::Auto,
        Color::Auto => termcolor::ColorChoice::Never,
    };
    let stream = termcolor::StandardStream::stderr(choice);
    let mut lock = stream.lock();
    // A broken stderr leaves nothing sensible to report to.
    let _ = write(&mut lock, files, diagnostics, format);
}

/// Renders diagnostics to a string without colour (for tests and logs).
pub fn render(files: &Files, diagnostics: &[Diagnostic], format: DiagnosticFormat) -> String {
    let mut buffer = termcolor::Buffer::no_color();
    write(&mut buffer, files, diagnostics, format).expect("writing to memory");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn write(
    out: &mut dyn termcolor::WriteColor,
    files: &Files,
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
) -> Result<(), codespan_reporting::files::Error> {
    let mut simple = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    let mut config = term::Config { tab_width: 2, ..Default::default() };
    if format == DiagnosticFormat::Short {
        config.display_style = term::DisplayStyle::Short;
    }
    for diagnostic in diagnostics {
        let id = *ids.entry(diagnostic.path.clone()).or_insert_with(|| {
            let text = files.get(&diagnostic.path).cloned().unwrap_or_else(|| Arc::from(""));
            simple.add(diagnostic.path.display().to_string(), text)
        });
        let text_len = files.get(&diagnostic.path).map_or(0, |t| t.len());
        let start = diagnostic.range.start.min(text_len);
        let end = diagnostic.range.end.clamp(start, text_len);
        let cs = match diagnostic.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(diagnostic.problem.to_string())
        .with_labels(vec![Label::primary(id, start..end)])
        .with_notes(diagnostic.hints.iter().map(|h| format!("hint: {h}")).collect());
        term::emit(out, &config, &simple, &cs)?;
    }
    Ok(())
}

/// `n` and the noun, singular or plural as `n` asks: "1 error", "2
/// errors", "0 findings".
///
/// ```
/// assert_eq!(brief::diag::count(1, "finding", "findings"), "1 finding");
/// assert_eq!(brief::diag::count(0, "copy", "copies"), "0 copies");
/// ```
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut files = Files::default();
        files.insert("a.md", Arc::from("first\nsecond ڈ line\n"));
        assert_eq!(files.line_column(Path::new("a.md"), 0), Some((1, 1)));
        assert_eq!(files.line_column(Path::new("a.md"), 6), Some((2, 1)));
        let after_urdu = "first\nsecond ڈ ".len();
        assert_eq!(files.line_column(Path::new("a.md"), after_urdu), Some((2, 10)));
    }

    #[test]
    fn short_format_names_file_line_and_column() {
        let mut files = Files::default();
        files.insert("data/x.md", Arc::from("---\nid: x\ndate: 2011-02-30\n---\n"));
        let d = Diagnostic::error("data/x.md", 16..26, Problem::MissingField("title".into()));
        let text = render(&files, &[d], DiagnosticFormat::Short);
        assert!(text.starts_with("data/x.md:3:7: error"), "{text}");
        assert!(text.contains("missing field `title`"), "{text}");
    }
}
