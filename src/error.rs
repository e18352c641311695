//! The one error type of a run, and the exit code each kind maps to.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Files};

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags or values: unknown theme, malformed date, bad combination.
    #[error("{0}")]
    Usage(String),
    /// The corpus has errors (each already located in a file).
    #[error("the corpus has {} error(s)", count_errors(.0))]
    Corpus(Vec<Diagnostic>, Files),
    /// A template failed to compile (each diagnostic located in a template).
    #[error("the templates failed to compile")]
    Template(Vec<Diagnostic>, Files),
    /// Some books of a multi-book run failed (each already reported).
    #[error("{failed} of {total} books failed")]
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

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Error).count()
}

impl Error {
    /// The process exit code: 1 for a bad corpus or template, 2 for bad
    /// usage (clap's own code too), 3 for a file that cannot be read or
    /// written. The README's table lists the same.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Corpus(..) | Error::Template(..) => 1,
            Error::Usage(_) => 2,
            Error::Io { .. } => 3,
            Error::Books { code, .. } => *code,
        }
    }
}

/// The result of a run.
pub type Result<T, E = Error> = std::result::Result<T, E>;
