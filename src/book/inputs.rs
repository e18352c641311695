//! The one list of files a book depends on, and a cheap stamp of them:
//! `watch` follows the list and rebuilds when the stamp changes; the
//! `--if-changed` stamp ([`super::provenance`]) hashes what is read from
//! the same files. Reads directories and file metadata only.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::corpus;
use crate::settings::BookSettings;

/// Every file and folder books with these settings are made from, sorted:
/// the corpus's files and folders (a folder, so that a new file is seen),
/// brief.toml, and each book's templates, `.csl` file, logo and font
/// directory. Paths inside `outputs` are left out. `watch` follows these;
/// the `--if-changed` stamp hashes what is read from them.
pub fn inputs<'a>(
    data: &Path,
    settings: impl IntoIterator<Item = &'a BookSettings>,
    outputs: &[PathBuf],
) -> Vec<PathBuf> {
    let outputs: Vec<PathBuf> = outputs.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let inside_output = |path: &Path| {
        path.canonicalize().is_ok_and(|real| outputs.iter().any(|o| real.starts_with(o)))
    };
    let tree = |dir: &Path| corpus::tree(dir).unwrap_or_default().into_iter().map(|e| e.path);
    let mut paths = vec![data.to_path_buf(), crate::project::path_for(data)];
    paths.extend(tree(data));
    for settings in settings {
        paths.extend(named(settings));
    }
    paths.retain(|p| !inside_output(p));
    paths.sort();
    paths.dedup();
    paths
}

/// The files and folders a book's settings name, and the files in those
/// folders: its templates, `.csl` file, logo and font directory.
pub fn named(settings: &BookSettings) -> Vec<PathBuf> {
    let tree = |dir: &Path| corpus::tree(dir).unwrap_or_default().into_iter().map(|e| e.path);
    let mut paths = Vec::new();
    for dir in [&settings.templates, &settings.font_path].into_iter().flatten() {
        paths.push(dir.clone());
        paths.extend(tree(dir));
    }
    paths.extend(settings.csl_file().map(Path::to_path_buf));
    paths.extend(settings.logo.clone());
    paths
}

/// What a rebuild would start from, as far as the file system tells
/// cheaply: each watched path and, for a file, its size and modification
/// time (a folder counts by the entries [`inputs`] lists, not its own
/// time, which changes whenever anything in it does, outputs too).
pub type Stamp = Vec<(PathBuf, Option<(u64, Option<SystemTime>)>)>;

/// The stamp of `paths`.
pub fn stamp(paths: &[PathBuf]) -> Stamp {
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

#[cfg(test)]
mod tests {
    use super::*;

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
