//! `brief watch`: build, then rebuild whenever a file the books are made
//! from changes (the corpus, brief.toml, an override template), until
//! interrupted. Problems are printed and the watch goes on. What a rebuild
//! can reuse lives across rebuilds: the parse of every finding file whose
//! text did not change ([`Memory`]), the fonts and the standard library,
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

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use typst_kit::watcher::Watcher;

use super::{build, report};
use crate::cli::BuildArgs;
use crate::error::{Error, Result};
use crate::plan::Request;

/// Builds, then rebuilds on every change, forever.
pub fn watch(args: &BuildArgs) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    let data = &args.corpus.data;
    let mut watcher = Watcher::new(None).map_err(|e| watch_error(data, e))?;
    let memory = Memory::default();
    loop {
        let start = Instant::now();
        // Drafts: each save is compared with the last edition, but none
        // is recorded as a new one.
        let request = args
            .clone()
            .into_request(today, crate::project::load)
            .map(|r| Request { record_editions: false, ..r });
        // Watch (and stamp the inputs) before building: an edit made while
        // the book is being built is then seen, and makes another build.
        let paths = follow(&mut watcher, args, request.as_ref().ok())?;
        let built_from = stamp(&paths);
        let watching = start.elapsed();
        let format = args.corpus.diagnostic_format;
        match &request {
            Ok(request) => match build::build_remembering(request, Some(&memory)) {
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
            if stamp(&watched(args, request.as_ref().ok())) != built_from {
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
            Err(e) => return Err(watch_error(&args.corpus.data, e)),
        }
    }
}

/// What a rebuild would start from, as far as the file system tells
/// cheaply: each watched path and, for a file, its size and modification
/// time (a folder counts by the entries [`watched`] lists, not its own
/// time, which changes whenever anything in it does, outputs too).
type Stamp = Vec<(PathBuf, Option<(u64, Option<SystemTime>)>)>;

fn stamp(paths: &[PathBuf]) -> Stamp {
    paths
        .iter()
        .map(|path| {
            let file = std::fs::metadata(path)
                .ok()
                .filter(|m| !m.is_dir())
                .map(|m| (m.len(), m.modified().ok()));
            (path.clone(), file)
        })
        .collect()
}

/// Every path a rebuild depends on: the corpus's files and folders (a
/// folder, so that new files are seen), brief.toml and the override
/// templates; never the output directory.
fn watched(args: &BuildArgs, request: Option<&Request>) -> Vec<PathBuf> {
    let data = &args.corpus.data;
    let project = crate::project::path_for(data);
    let out_dir = crate::project::project_dir(data).join("out");
    let outputs: Vec<PathBuf> = request
        .into_iter()
        .flat_map(|r| r.books.iter().filter_map(|b| b.out.clone()))
        .chain([out_dir])
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let inside_output = |path: &Path| {
        path.canonicalize().is_ok_and(|real| outputs.iter().any(|o| real.starts_with(o)))
    };
    let mut paths = vec![data.clone(), project];
    paths.extend(crate::corpus::tree(data).unwrap_or_default().into_iter().map(|e| e.path));
    let templates = request
        .into_iter()
        .flat_map(|r| r.books.iter().filter_map(|b| b.settings.templates.clone()))
        .chain(args.settings.templates.clone());
    for dir in templates {
        paths.push(dir.clone());
        paths.extend(crate::corpus::tree(&dir).unwrap_or_default().into_iter().map(|e| e.path));
    }
    // A book's own citation style file.
    let styles = request
        .into_iter()
        .flat_map(|r| r.books.iter().filter_map(|b| b.settings.csl.clone()))
        .chain(args.settings.csl.clone())
        .filter(|c| crate::settings::csl_is_file(c));
    paths.extend(styles.map(PathBuf::from));
    paths.retain(|p| !inside_output(p));
    paths.sort();
    paths.dedup();
    paths
}

/// What the last build was made from, so that a rebuild can say what it
/// redid (`--timings`): the corpus files read, and per book its findings
/// as composed and its pages as laid out.
#[derive(Default)]
pub struct Memory {
    parses: crate::corpus::Parses,
    files: Mutex<BTreeMap<PathBuf, u128>>,
    books: Mutex<HashMap<String, BookMemory>>,
}

/// One book as last made.
struct BookMemory {
    findings: HashMap<String, u128>,
    pages: Vec<u128>,
}

impl Memory {
    /// The finding files as last parsed.
    pub fn parses(&self) -> &crate::corpus::Parses {
        &self.parses
    }

    /// How many corpus files differ from the last build's (read, added or
    /// gone), of how many; remembers these.
    pub fn corpus(&self, loaded: &crate::corpus::Loaded) -> String {
        let now: BTreeMap<PathBuf, u128> = loaded
            .files
            .iter()
            .map(|(path, text)| (path.to_path_buf(), typst::utils::hash128(text)))
            .collect();
        let mut files = self.files.lock().unwrap();
        let changed = now.iter().filter(|(p, h)| files.get(*p) != Some(h)).count()
            + files.keys().filter(|p| !now.contains_key(*p)).count();
        let line = format!(
            "read {} files, {changed} changed; parsed {} finding file(s)",
            now.len(),
            self.parses.fresh()
        );
        *files = now;
        line
    }

    /// How many of a book's findings were composed differently and how
    /// many of its pages were laid out differently from the last build's;
    /// remembers these.
    pub fn book(&self, artifact: &super::build::Artifact) -> String {
        let findings: HashMap<String, u128> = artifact
            .book
            .themes
            .iter()
            .flat_map(|t| &t.findings)
            .map(|f| (f.id.clone(), typst::utils::hash128(&serde_json::to_vec(f).unwrap())))
            .collect();
        let pages: Vec<u128> = artifact
            .rendered
            .document
            .pages()
            .iter()
            .map(|p| typst::utils::hash128(&p.frame))
            .collect();
        let mut books = self.books.lock().unwrap();
        let key = artifact.path.display().to_string();
        let (recomposed, relaid) = match books.get(&key) {
            None => (findings.len(), pages.len()),
            Some(last) => (
                findings.iter().filter(|(id, h)| last.findings.get(*id) != Some(h)).count(),
                pages.iter().enumerate().filter(|(i, h)| last.pages.get(*i) != Some(h)).count(),
            ),
        };
        let line = format!(
            "composed {} findings, {recomposed} differently; laid out {} pages, {relaid} differently; exported {}",
            findings.len(),
            pages.len(),
            pages.len()
        );
        books.insert(key, BookMemory { findings, pages });
        line
    }
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

    #[test]
    fn a_folder_counts_by_its_entries_not_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let paths = [dir.path().to_path_buf(), file.clone()];
        let before = stamp(&paths);
        std::fs::create_dir(dir.path().join("out")).unwrap();
        assert_eq!(stamp(&paths), before, "a new folder beside the inputs");
        std::fs::write(&file, "two!").unwrap();
        assert_ne!(stamp(&paths), before, "an edit");
    }
}
