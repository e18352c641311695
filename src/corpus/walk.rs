//! The one directory walk (of findings/ when loading, of the corpus when
//! watching), and paths in the `/`-separated form virtual paths use.
//!
//! Reads directories (and follows symlinks); reads no file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A relative path with `/` separators, for virtual paths.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// One entry of a directory tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// Its path (under the directory walked).
    pub path: PathBuf,
    /// What it is.
    pub kind: EntryKind,
}

/// What a tree entry is, symlinks followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A file inside the tree.
    File,
    /// A folder inside the tree (walked too).
    Dir,
    /// A symlink whose target lies outside the tree: not followed.
    Outside(PathBuf),
    /// Cannot be read (a broken symlink, say).
    Unreadable(String),
}

/// Every file and folder under `dir`, hidden ones skipped, in sorted path
/// order: the one directory walk, for loading findings and for watching.
/// Symlinks are followed only while they stay inside `dir` (a link out is
/// an [`EntryKind::Outside`] entry), and a folder reached twice is walked
/// once.
pub fn tree(dir: &Path) -> std::io::Result<Vec<TreeEntry>> {
    tree_within(dir, dir)
}

/// [`tree`], with symlinks followed while they stay inside `boundary` (a
/// folder that holds `dir`, such as the corpus directory).
pub fn tree_within(dir: &Path, boundary: &Path) -> std::io::Result<Vec<TreeEntry>> {
    fn walk(
        dir: &Path,
        root: &Path,
        seen: &mut BTreeSet<PathBuf>,
        out: &mut Vec<TreeEntry>,
    ) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = match path.canonicalize() {
                Err(e) => EntryKind::Unreadable(e.to_string()),
                Ok(real) if !real.starts_with(root) => EntryKind::Outside(real),
                Ok(real) if real.is_dir() => {
                    if seen.insert(real) {
                        out.push(TreeEntry { path: path.clone(), kind: EntryKind::Dir });
                        walk(&path, root, seen, out)?;
                    }
                    continue;
                }
                Ok(_) => EntryKind::File,
            };
            out.push(TreeEntry { path, kind });
        }
        Ok(())
    }
    let root = boundary.canonicalize()?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::from([dir.canonicalize()?]);
    walk(dir, &root, &mut seen, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
