//! The one error type of a run, and the exit code each kind maps to.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Files};
use crate::select::{UnknownMeeting, UnknownTheme};

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags or values: malformed date, bad combination.
    #[error("{0}")]
    Usage(String),
    /// A theme on the command line that the corpus does not have.
    #[error(transparent)]
    UnknownTheme(UnknownTheme),
    /// A meeting on the command line that the corpus does not have.
    #[error(transparent)]
    UnknownMeeting(UnknownMeeting),
    /// brief.toml has errors (each located in it).
    #[error("brief.toml has {}", count_errors(.0))]
    Project(Vec<Diagnostic>, Files),
    /// The corpus has errors (each already located in a file).
    #[error("the corpus has {}", count_errors(.0))]
    Corpus(Vec<Diagnostic>, Files),
    /// A recipients list (`--copies-for FILE`) has errors (each located
    /// in it): bad usage, as any other problem with whom copies are for.
    #[error("the recipients list has {}", count_errors(.0))]
    Recipients(Vec<Diagnostic>, Files),
    /// Typst could not set the book: each diagnostic located in the file
    /// to change, a template or a file of the user's that it read.
    #[error("Typst could not set the book ({})", count_errors(.0))]
    Template(Vec<Diagnostic>, Files),
    /// Some books of a multi-book run failed (each already reported).
    #[error("{failed} of {} failed", crate::diag::count(*total, "book", "books"))]
    Books {
        /// How many failed.
        failed: usize,
        /// How many were asked for.
        total: usize,
        /// The highest exit code among the failures.
        code: u8,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
}

/// "1 error", "3 errors".
fn count_errors(diagnostics: &[Diagnostic]) -> String {
    let n = diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Error).count();
    crate::diag::count(n, "error", "errors")
}

impl Error {
    /// The process exit code: 1 for a bad corpus, brief.toml or template,
    /// 2 for bad usage (clap's own code too), 3 for a file that cannot be
    /// read or written. The README's table lists the same.
    pub fn exit_code(&self) -> u8 {
        match self {
            // A corpus file that cannot be read is an I/O failure, like any
            // other file brief cannot read.
            Error::Corpus(diagnostics, _)
                if diagnostics.iter().any(|d| {
                    d.severity == crate::diag::Severity::Error
                        && matches!(d.problem, crate::diag::Problem::Unreadable(_))
                }) =>
            {
                3
            }
            Error::Project(..) | Error::Corpus(..) | Error::Template(..) => 1,
            Error::Usage(_)
            | Error::UnknownTheme(_)
            | Error::UnknownMeeting(_)
            | Error::Recipients(..) => 2,
            Error::Io { .. } => 3,
            Error::Books { code, .. } => *code,
        }
    }

    /// The located problems this error carries, if any, and the texts
    /// they point into.
    pub fn diagnostics(&self) -> Option<(&[Diagnostic], &Files)> {
        match self {
            Error::Project(d, f)
            | Error::Corpus(d, f)
            | Error::Template(d, f)
            | Error::Recipients(d, f) => Some((d, f)),
            _ => None,
        }
    }
}

impl From<crate::corpus::LoadError> for Error {
    fn from(error: crate::corpus::LoadError) -> Self {
        match error {
            crate::corpus::LoadError::Unreadable { path, source } => Error::Io { path, source },
            not_a_dir @ crate::corpus::LoadError::NotADirectory(_) => {
                Error::Usage(not_a_dir.to_string())
            }
        }
    }
}

/// The result of a run.
pub type Result<T, E = Error> = std::result::Result<T, E>;
