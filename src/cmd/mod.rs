//! The commands, one file each (as typst-cli and mdBook do): they drive
//! the stages and print. Only this layer and `cli` print or read the
//! clock.

pub mod build;
pub mod check;
pub mod report;
pub mod watch;

use crate::corpus::{self, Loaded};
use crate::diag::{self, DiagnosticFormat, Severity};
use crate::error::{Error, Result};
use std::path::Path;

/// Loads a corpus, prints its warnings, and fails if it has errors.
pub(crate) fn load_checked(data: &Path, format: DiagnosticFormat) -> Result<Loaded> {
    let loaded = corpus::load(data)?;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        loaded.diagnostics.iter().cloned().partition(|d| d.severity == Severity::Error);
    diag::emit(&loaded.files, &warnings, format);
    if !errors.is_empty() {
        return Err(Error::Corpus(errors, loaded.files));
    }
    Ok(loaded)
}
