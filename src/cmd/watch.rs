//! `brief watch`: build, then rebuild whenever a file the books are made
//! from changes (the corpus, brief.toml, an override template), until
//! interrupted. Problems are printed and the watch goes on. Typst's
//! memoised work (comemo) lives across rebuilds, so unchanged parts of a
//! book are not laid out again.
//!
//! Change events come from the operating system (typst-kit's watcher, on
//! notify), not from polling. brief.toml is read again before every build,
//! and the output directory is never watched, so writing a book does not
//! trigger the next build.

use std::path::{Path, PathBuf};
use std::time::Instant;

use typst_kit::watcher::Watcher;

use super::{build, report};
use crate::cli::BuildArgs;
use crate::error::{Error, Result};
use crate::plan::Request;

/// Builds, then rebuilds on every change, forever.
pub fn watch(args: &BuildArgs) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    let mut watcher = Watcher::new(None).map_err(watch_error)?;
    loop {
        let start = Instant::now();
        let request = args.clone().into_request(today, crate::project::load);
        // Watch before building: an edit made while the book is being
        // built is then seen, and makes another build.
        watcher.update(watched(args, request.as_ref().ok())).map_err(watch_error)?;
        let format = args.corpus.diagnostic_format;
        match &request {
            Ok(request) => match build::build(request) {
                Ok(()) => eprintln!(
                    "brief: watch: built in {:.0} ms",
                    start.elapsed().as_secs_f64() * 1000.0
                ),
                Err(error) => report::error(&error, format),
            },
            Err(error) => report::error(error, format),
        }
        // Drop memoised results not used for a few rebuilds.
        comemo::evict(10);
        watcher.wait().map_err(watch_error)?;
    }
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
    paths.extend(crate::corpus::tree(data).unwrap_or_default().into_iter().map(|(p, _)| p));
    let templates = request
        .into_iter()
        .flat_map(|r| r.books.iter().filter_map(|b| b.settings.templates.clone()))
        .chain(args.settings.templates.clone());
    for dir in templates {
        paths.push(dir.clone());
        paths.extend(crate::corpus::tree(&dir).unwrap_or_default().into_iter().map(|(p, _)| p));
    }
    paths.retain(|p| !inside_output(p));
    paths.sort();
    paths.dedup();
    paths
}

fn watch_error(message: impl std::fmt::Display) -> Error {
    Error::Usage(format!("watch: {message}"))
}
