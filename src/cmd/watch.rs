//! `brief watch`: build, then rebuild whenever a file the books are made
//! from changes (the corpus, brief.toml, an override template), until
//! interrupted. Problems are printed and the watch goes on. What a rebuild
//! can reuse lives across rebuilds: the parse of every finding file whose
//! text did not change ([`book::Memory`]), the fonts and the standard library,
//! and Typst's memoised work (comemo), so unchanged parts of a book are
//! not laid out again. With `--timings` each rebuild says what it redid.
//!
//! Change events come from the operating system (typst-kit's watcher, on
//! notify), not from polling. brief.toml is read again before every build,
//! and the output directory is never watched. An event is only a hint: a
//! rebuild happens when an input itself differs from what the last build
//! started from (its size or modification time, or the list of files), so
//! writing a book never triggers the next build, even when the book, its
//! temporary file or out/ lies inside a watched folder (`--data .`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use typst_kit::watcher::Watcher;

use super::{build, report};
use crate::book::{self, plan::Request};
use crate::cli::BuildArgs;
use crate::error::{Error, Result};

/// Builds, then rebuilds on every change, forever.
pub fn watch(args: &BuildArgs) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    let data = args.corpus.data();
    let mut watcher = Watcher::new(None).map_err(|e| watch_error(data, e))?;
    let memory = book::Memory::default();
    let mut first = true;
    loop {
        let start = Instant::now();
        // Drafts: each save is compared with the last edition, but none
        // is recorded as a new one. The PDF is opened once, if asked.
        let request = args.clone().into_request(today, crate::project::load).map(|r| {
            let output = crate::book::plan::Output { open: r.output.open && first, ..r.output };
            Request { record_editions: false, output, ..r }
        });
        // Watch (and stamp the inputs) before building: an edit made while
        // the book is being built is then seen, and makes another build.
        let paths = follow(&mut watcher, args, request.as_ref().ok())?;
        let built_from = book::stamp(&paths);
        let watching = start.elapsed();
        let format = args.corpus.diagnostic_format;
        if first {
            eprintln!(
                "brief: watching {} (the corpus {}, brief.toml and the files the books name); press Ctrl-C to stop",
                crate::diag::count(paths.len(), "file and folder", "files and folders"),
                data.display()
            );
            first = false;
        }
        match &request {
            Ok(request) => match build::run(request, Some(&memory)) {
                Ok(()) => eprintln!(
                    "brief: watch: built in {:.0} ms (watching {} files: {:.0} ms of it)",
                    start.elapsed().as_secs_f64() * 1000.0,
                    paths.len(),
                    watching.as_secs_f64() * 1000.0,
                ),
                Err(error) => report::error(&error, format),
            },
            Err(error) => report::error(error, format),
        }
        // Drop memoised results not used for a few rebuilds.
        comemo::evict(10);
        // Wait for an event that changed an input, not merely a folder
        // (out/ appearing, a book renamed into place beside the corpus).
        loop {
            watcher.wait().map_err(|e| watch_error(data, e))?;
            if book::stamp(&watched(args, request.as_ref().ok())) != built_from {
                break;
            }
            // Files renamed over are watched anew.
            follow(&mut watcher, args, request.as_ref().ok())?;
        }
    }
}

/// Watches every path a rebuild depends on, and returns them. A file can
/// vanish between being listed and being watched (an editor saving by
/// rename): then the paths are listed again, a few times, before watching
/// is given up as an I/O failure.
fn follow(
    watcher: &mut Watcher,
    args: &BuildArgs,
    request: Option<&Request>,
) -> Result<Vec<PathBuf>> {
    let mut tries = 0;
    loop {
        let paths = watched(args, request);
        match watcher.update(paths.clone()) {
            Ok(()) => return Ok(paths),
            Err(_) if tries < 5 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => return Err(watch_error(args.corpus.data(), e)),
        }
    }
}

/// Every path a rebuild depends on ([`book::inputs`]): those of the
/// request's books, and of the flags' settings when brief.toml is broken;
/// never the output directory or a book's own output.
fn watched(args: &BuildArgs, request: Option<&Request>) -> Vec<PathBuf> {
    let data = args.corpus.data();
    let books = request.into_iter().flat_map(|r| &r.books);
    // Never what a build writes: the books, out/, the emitted sources,
    // the trace.
    let written = request.into_iter().flat_map(|r| r.emit_typ.iter().chain(&r.output.trace));
    let state = request.and_then(|r| r.state.clone());
    let outputs: Vec<PathBuf> = books
        .clone()
        .filter_map(|b| b.out.clone())
        .chain([crate::project::project_dir(data).join("out")])
        .chain(written.cloned())
        .chain(state)
        .collect();
    let settings = books.map(|b| &b.settings).chain([&args.settings]);
    book::inputs(data, settings, &outputs)
}

/// Watching failed (e.g. the system's limit on watched files): the files
/// cannot be followed, an I/O failure (exit 3), not bad usage.
fn watch_error(data: &Path, message: impl std::fmt::Display) -> Error {
    let source = std::io::Error::other(format!("cannot watch for changes: {message}"));
    Error::Io { path: data.to_path_buf(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watch_that_cannot_follow_the_files_is_an_io_failure() {
        let error = watch_error(Path::new("data"), "failed to watch \"data\" (no space left)");
        assert_eq!(error.exit_code(), 3);
        assert_eq!(
            error.to_string(),
            "data: cannot watch for changes: failed to watch \"data\" (no space left)"
        );
    }
}
