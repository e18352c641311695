//! What the commands print on stderr: errors, a line per book, timings.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::diag::{self, DiagnosticFormat};
use crate::error::Error;

/// Writes a line to stdout. A reader that went away (`brief build --all |
/// head -1`) is not an error of the run: the books are still written.
pub fn out(line: impl fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes bytes to stdout, as [`out`] does.
pub fn out_bytes(bytes: &[u8]) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(bytes);
}

/// Prints an error the way its kind should be shown: located problems
/// with their snippets, then a one-line summary.
pub fn error(error: &Error, format: DiagnosticFormat) {
    if let Some((diagnostics, files)) = error.diagnostics() {
        diag::emit(files, diagnostics, format);
    }
    eprintln!("error: {error}");
}

/// How long each stage of one book took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Loading and validating the corpus (shared by all books of a run).
    pub load: Duration,
    /// Selecting.
    pub select: Duration,
    /// Composing, including serialising the book to JSON.
    pub compose: Duration,
    /// Typst's compilation (layout).
    pub compile: Duration,
    /// PDF export.
    pub export: Duration,
    /// Writing the file.
    pub write: Duration,
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "load {:.1} ms, select {:.1} ms, compose {:.1} ms, compile {:.1} ms, export {:.1} ms, write {:.1} ms",
            ms(self.load),
            ms(self.select),
            ms(self.compose),
            ms(self.compile),
            ms(self.export),
            ms(self.write)
        )
    }
}

/// What happened to one book.
#[derive(Debug)]
pub enum Outcome {
    /// Written, with its page count.
    Written(PathBuf, usize),
    /// Skipped by --if-changed: its inputs are what they were.
    Unchanged(PathBuf),
}

/// The line for one book: `brief: [2/4] india: wrote out/india.pdf (12
/// pages, 0.4 s)`.
pub fn progress(index: usize, total: usize, name: Option<&str>, outcome: &Outcome, took: Duration) {
    let counter = if total > 1 { format!("[{}/{total}] ", index + 1) } else { String::new() };
    let name = name.map_or_else(String::new, |n| format!("{n}: "));
    match outcome {
        Outcome::Written(path, pages) => eprintln!(
            "brief: {counter}{name}wrote {} ({pages} pages, {:.1} s)",
            path.display(),
            took.as_secs_f64()
        ),
        Outcome::Unchanged(path) => eprintln!("brief: {counter}{name}unchanged {}", path.display()),
    }
}

/// The timings line for one book.
pub fn timings(name: Option<&str>, timings: &Timings) {
    let label = name.map_or_else(String::new, |n| format!(" {n}"));
    eprintln!("brief: timings{label}: {timings}");
}

/// One line of `build --json`: the book's name, the path written (or
/// current), its pages, the outcome (`written`, `unchanged` or `failed`),
/// the seconds it took and how many errors stopped it. Field names are
/// stable (README, "Machine-readable runs").
pub fn json_line(
    name: Option<&str>,
    made: std::result::Result<&Outcome, &Error>,
    took: Duration,
) -> String {
    let (outcome, path, pages, errors) = match made {
        Ok(Outcome::Written(path, pages)) => ("written", Some(path), Some(*pages), 0),
        Ok(Outcome::Unchanged(path)) => ("unchanged", Some(path), None, 0),
        Err(error) => {
            let errors = error.diagnostics().map_or(1, |(d, _)| {
                d.iter().filter(|d| d.severity == crate::diag::Severity::Error).count().max(1)
            });
            ("failed", None, None, errors)
        }
    };
    serde_json::json!({
        "name": name,
        "path": path.map(|p| p.display().to_string()),
        "pages": pages,
        "outcome": outcome,
        "seconds": (took.as_secs_f64() * 1000.0).round() / 1000.0,
        "errors": errors,
    })
    .to_string()
}
