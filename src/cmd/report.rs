//! What the commands print on stderr: errors, a line per book, timings.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub use crate::book::make::Timings;

use crate::diag::{self, DiagnosticFormat};
use crate::error::Error;

/// Writes a line to stdout. A reader that went away (`brief build --all |
/// head -1`) is not an error of the run: the books are still written. Any
/// other failure (a full disk) is remembered, and the run exits 3.
pub fn out(line: impl fmt::Display) {
    out_bytes(format!("{line}\n").as_bytes());
}

/// Opens the PDF at `path` in the system's viewer (`xdg-open`, macOS's
/// `open`, Windows' `start`), without waiting for it; a viewer that cannot
/// be started is a warning, not a failure: the PDF is written.
pub fn open(path: &std::path::Path) {
    use std::process::{Command, Stdio};
    #[cfg(target_os = "macos")]
    let mut command = Command::new("open");
    #[cfg(windows)]
    let mut command = {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(all(not(target_os = "macos"), not(windows)))]
    let mut command = Command::new("xdg-open");
    command.arg(path).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    match command.spawn() {
        // Reaped on a thread of its own, so a watch leaves no zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("warning: cannot open {} in a viewer: {e}", path.display()),
    }
}

/// Writes bytes to stdout, as [`out`] does.
pub fn out_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        STDOUT_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether writing to stdout failed for a reason other than a reader that
/// went away.
pub fn stdout_failed() -> bool {
    STDOUT_FAILED.load(std::sync::atomic::Ordering::Relaxed)
}

static STDOUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Prints an error the way its kind should be shown: located problems
/// with their snippets, then a one-line summary.
pub fn error(error: &Error, format: DiagnosticFormat) {
    if let Some((diagnostics, files)) = error.diagnostics() {
        diag::emit(files, diagnostics, format);
    }
    eprintln!("error: {error}");
}

/// What happened to one book.
#[derive(Debug)]
pub enum Outcome {
    /// Written, with its page count.
    Written(PathBuf, usize),
    /// Skipped by --if-changed: its inputs are what they were.
    Unchanged(PathBuf),
    /// Numbered copies written (the copies, then the register), with the
    /// book's page count.
    Copies(Vec<PathBuf>, usize),
}

/// The line for one book: `brief: [2/4] india: wrote out/india.pdf (12
/// pages, 0.4 s)`.
pub fn progress(
    index: usize,
    total: usize,
    name: Option<&str>,
    outcome: &Outcome,
    took: Duration,
) -> String {
    let counter = if total > 1 { format!("[{}/{total}] ", index + 1) } else { String::new() };
    let name = name.map_or_else(String::new, |n| format!("{n}: "));
    match outcome {
        Outcome::Written(path, pages) => format!(
            "brief: {counter}{name}wrote {} ({}, {:.1} s)",
            path.display(),
            crate::diag::count(*pages, "page", "pages"),
            took.as_secs_f64()
        ),
        Outcome::Unchanged(path) => format!("brief: {counter}{name}unchanged {}", path.display()),
        Outcome::Copies(paths, pages) => format!(
            "brief: {counter}{name}wrote {} ({} each, {:.1} s), register {}",
            crate::diag::count(paths.len() - 1, "numbered copy", "numbered copies"),
            crate::diag::count(*pages, "page", "pages"),
            took.as_secs_f64(),
            paths.last().map(|p| p.display().to_string()).unwrap_or_default()
        ),
    }
}

/// How long a book runs before its stage is shown.
const SHOW_STAGE_AFTER: Duration = Duration::from_secs(1);

/// The live display on a terminal (indicatif): for several books, a bar of
/// books done of total; for any book taking more than a second, a line
/// with the stage it is in. Off, and every call a plain `eprintln!` or
/// nothing, when stderr is not a terminal, with `--quiet`, or with
/// `--json`; without colour under `NO_COLOR` or `--color never`.
pub struct Live {
    multi: Option<indicatif::MultiProgress>,
    books: Option<indicatif::ProgressBar>,
    colour: bool,
}

impl Live {
    /// A display for `total` books; `shown` says whether the run may
    /// show one at all (not `--quiet`, not `--json`).
    pub fn new(total: usize, shown: bool) -> Live {
        use std::io::IsTerminal;
        let colour = crate::diag::stderr_in_colour();
        if !shown || !std::io::stderr().is_terminal() {
            return Live { multi: None, books: None, colour };
        }
        let multi = indicatif::MultiProgress::new();
        let books = (total > 1).then(|| {
            let template = if colour {
                "{prefix:.bold} [{bar:30.cyan/blue}] {pos}/{len} books, {elapsed}"
            } else {
                "{prefix} [{bar:30}] {pos}/{len} books, {elapsed}"
            };
            let style = indicatif::ProgressStyle::with_template(template)
                .expect("a valid template")
                .progress_chars("=> ");
            multi.add(
                indicatif::ProgressBar::new(total as u64).with_style(style).with_prefix("brief"),
            )
        });
        Live { multi: Some(multi), books, colour }
    }

    /// Prints a line above the display.
    pub fn println(&self, line: &str) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(line);
            }
            None => eprintln!("{line}"),
        }
    }

    /// One book done.
    pub fn done(&self) {
        if let Some(books) = &self.books {
            books.inc(1);
        }
    }

    /// The stage line of one book, shown once the book has taken more
    /// than a second; cleared when dropped.
    pub fn book(&self, name: Option<&str>) -> Stage {
        let Some(multi) = &self.multi else { return Stage { bar: None } };
        let template = if self.colour {
            "{spinner:.cyan} {prefix:.bold} {msg} ({elapsed})"
        } else {
            "{spinner} {prefix} {msg} ({elapsed})"
        };
        let style = indicatif::ProgressStyle::with_template(template).expect("a valid template");
        let bar = indicatif::ProgressBar::hidden()
            .with_style(style)
            .with_prefix(name.unwrap_or("book").to_string());
        let (delayed, multi) = (bar.clone(), multi.clone());
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_STAGE_AFTER);
            if !delayed.is_finished() {
                let shown = multi.add(delayed);
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Stage { bar: Some(bar) }
    }

    /// Runs `f` (which prints) with the display out of its way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.multi {
            Some(multi) => multi.suspend(f),
            None => f(),
        }
    }

    /// Clears the display.
    pub fn finish(&self) {
        if let Some(books) = &self.books {
            books.finish_and_clear();
        }
    }
}

/// One book's stage line (see [`Live::book`]).
pub struct Stage {
    bar: Option<indicatif::ProgressBar>,
}

impl Stage {
    /// The stage the book is now in.
    pub fn set(&self, stage: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(stage);
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The timings line for one book.
pub fn timings(name: Option<&str>, timings: &Timings) -> String {
    let label = name.map_or_else(String::new, |n| format!(" {n}"));
    format!("brief: timings{label}: {timings}")
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
        Ok(Outcome::Copies(paths, pages)) => ("written", paths.last(), Some(*pages), 0),
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
