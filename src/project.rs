//! The project file: `brief.toml` at the project root (the corpus
//! directory's parent) names the standing books that `brief build --all`
//! regenerates. Reads that one file; everything else is plain data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::corpus::date::{DateRange, PartialDate};
use crate::diag::{Diagnostic, Files, Problem};
use crate::error::Error;

/// The name of the project file.
pub const FILE: &str = "brief.toml";

/// The contents of brief.toml.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The standing books, in order.
    #[serde(default, rename = "book")]
    pub books: Vec<BookSpec>,
}

/// One standing book.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookSpec {
    /// Output name: the book is written to `out/<name>.pdf`.
    pub name: String,
    /// Cover title.
    pub title: Option<String>,
    /// Theme ids or aliases; none means every theme.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Earliest date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Latest date.
    pub to: Option<String>,
    /// Handling line.
    pub handling: Option<String>,
    /// Paper size: `a4` or `us-letter`.
    pub paper: Option<crate::cli::Paper>,
    /// New major sections on a right-hand page.
    pub duplex: Option<bool>,
    /// Text set diagonally across every page, e.g. "DRAFT".
    pub watermark: Option<String>,
}

impl BookSpec {
    /// The book's date range, checked: both ends parse and `from` is not
    /// after `to`.
    pub fn range(&self) -> Result<DateRange, Error> {
        let date = |field: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(str::parse::<PartialDate>)
                .transpose()
                .map_err(|e| book_error(&self.name, format!("`{field}`: {e}")))
        };
        let range = DateRange { from: date("from", &self.from)?, to: date("to", &self.to)? };
        crate::cli::check_range(&range)?;
        Ok(range)
    }
}

/// A usage error about one standing book.
pub fn book_error(name: &str, message: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{FILE}: book `{name}`: {message}"))
}

/// The path of the project file for a corpus directory.
pub fn path_for(data: &Path) -> PathBuf {
    crate::cli::project_dir(data).join(FILE)
}

/// Reads the project file for a corpus directory.
pub fn load(data: &Path) -> Result<Project, Error> {
    let path = path_for(data);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(format!(
                "--all needs {}: a [[book]] table for each standing book (see the README)",
                path.display()
            )));
        }
        Err(source) => return Err(Error::Io { path, source }),
    };
    parse(&text, &path)
}

/// Parses a project file's text; errors point into it.
pub fn parse(text: &str, path: &Path) -> Result<Project, Error> {
    let project: Project = toml::from_str(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let mut files = Files::default();
        files.insert(path, Arc::from(text));
        let problem = Problem::Syntax(e.message().to_string());
        Error::Corpus(vec![Diagnostic::error(path, range, problem)], files)
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for book in &project.books {
        if !crate::corpus::is_valid_id(&book.name) {
            return Err(Error::Usage(format!(
                "{}: book name `{}` must be lowercase letters, digits and `-`",
                path.display(),
                book.name
            )));
        }
        if !seen.insert(&book.name) {
            return Err(Error::Usage(format!(
                "{}: two books are named `{}`",
                path.display(),
                book.name
            )));
        }
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_books_and_rejects_typos_with_a_location() {
        let text = "[[book]]\nname = \"afghanistan\"\nthemes = [\"afghanistan\"]\nfrom = \"2011\"\npaper = \"us-letter\"\n\n[[book]]\nname = \"all\"\n";
        let project = parse(text, Path::new("brief.toml")).unwrap();
        assert_eq!(project.books.len(), 2);
        assert_eq!(project.books[0].paper, Some(crate::cli::Paper::UsLetter));
        let err =
            parse("[[book]]\nname = \"x\"\nthemse = []\n", Path::new("brief.toml")).unwrap_err();
        let Error::Corpus(diagnostics, files) = err else { panic!() };
        assert_eq!(
            files.line_column(Path::new("brief.toml"), diagnostics[0].range.start),
            Some((3, 1))
        );
        assert!(matches!(
            parse("[[book]]\nname = \"A b\"\n", Path::new("b")),
            Err(Error::Usage(_))
        ));
        assert!(matches!(
            parse("[[book]]\nname = \"a\"\n[[book]]\nname = \"a\"\n", Path::new("b")),
            Err(Error::Usage(_))
        ));
    }
}
