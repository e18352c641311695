//! Stage 1, load: a corpus directory to a checked [`Corpus`] plus every
//! problem found in it.
//!
//! This stage and `render` are the only ones that read files. Loading never
//! stops at the first problem: `brief check` prints all of them at once.
//!
//! Loading reads the list files and bibliographies (here), parses each
//! finding (`finding.rs`) into the shapes of `raw.rs`, checks them
//! (`validate.rs`) and makes the [`Corpus`] of what parsed
//! (`assemble.rs`); `model.rs` holds the types the later stages read.

pub use crate::date;
mod assemble;
pub mod bibliography;
pub mod comments;
pub mod file;
mod finding;
pub mod glossary;
mod keys;
pub mod markdown;
pub mod math;
pub mod model;
mod notices;
pub mod prose;
mod raw;
mod validate;
pub mod vault;
mod walk;
pub mod yaml;
pub mod yaml_scan;
mod yaml_slips;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use finding::Parses;
pub use model::Corpus;
pub use validate::is_valid_id;
pub use vault::Vault;
pub use walk::{EntryKind, TreeEntry, slash_path, tree, tree_within};

use crate::diag::{Diagnostic, Files, Problem};
use finding::Parsed;
use keys::SourceKeys;
use raw::{ListFile, RawFinding};

/// The list files of a corpus, in load order, and whether each must exist.
pub const LIST_FILES: [(&str, bool); 8] = [
    ("themes.yaml", true),
    ("parties.yaml", false),
    ("sources.yaml", true),
    ("participants.yaml", false),
    ("events.yaml", false),
    ("issues.yaml", false),
    ("meetings.yaml", false),
    ("levels.yaml", false),
];

/// The directory under the corpus that holds findings.
pub const FINDINGS_DIR: &str = "findings";

/// Why a corpus could not be loaded at all (everything wrong inside a
/// readable corpus directory is a diagnostic instead).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory cannot be read.
    #[error("{}: {source}", path.display())]
    Unreadable {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The path is not a directory.
    #[error("--data {}: not a directory", .0.display())]
    NotADirectory(PathBuf),
}

/// What loading a corpus yields.
#[derive(Debug)]
pub struct Loaded {
    /// The corpus, with entries that failed to parse left out.
    pub corpus: Corpus,
    /// Every problem found; the corpus is usable only if none is an error.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, for snippets.
    pub files: Files,
    /// Images the findings use, relative to the corpus directory: the only
    /// corpus files the renderer will serve.
    pub images: BTreeSet<PathBuf>,
    /// Where each image is used: the image, the finding file, and the byte
    /// range of the reference in it (for problems found in the image).
    pub image_refs: Vec<(PathBuf, PathBuf, std::ops::Range<usize>)>,
    /// Files under findings/ that are not findings but may sit beside them
    /// (images), which loading leaves alone.
    pub assets: usize,
    /// The Markdown its findings were read as.
    pub flavour: markdown::Flavour,
}

/// The extensions of finding files (compared without case).
pub const FINDING_EXTENSIONS: [&str; 2] = ["md", "markdown"];

/// The extensions of files that may sit beside findings (images).
pub const ASSET_EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Loads and validates the corpus in `dir`.
///
/// Fails only when `dir` itself cannot be read; everything wrong inside it
/// is a diagnostic in the result.
pub fn load(dir: &Path) -> Result<Loaded, LoadError> {
    load_with(dir, &Parses::default())
}

/// [`load`], reusing what `parses` holds of an earlier load.
pub fn load_with(dir: &Path, parses: &Parses) -> Result<Loaded, LoadError> {
    load_as(dir, parses, None)
}

/// [`load_with`], with the findings read as Obsidian's Markdown when
/// `obsidian` says so, or, when it says nothing, when the corpus is in an
/// Obsidian vault (see [`vault::detect`]).
pub fn load_as(dir: &Path, parses: &Parses, obsidian: Option<bool>) -> Result<Loaded, LoadError> {
    let meta = fs::metadata(dir)
        .map_err(|source| LoadError::Unreadable { path: dir.to_path_buf(), source })?;
    if !meta.is_dir() {
        return Err(LoadError::NotADirectory(dir.to_path_buf()));
    }
    let root = dir
        .canonicalize()
        .map_err(|source| LoadError::Unreadable { path: dir.to_path_buf(), source })?;
    let mut loader = Loader { dir, root, files: Files::default(), diagnostics: Vec::new() };
    let mut found = Found::default();

    let bibliographies = loader.bibliographies();
    let themes = loader.list("themes.yaml");
    let parties = loader.list("parties.yaml");
    // A corpus may keep its sources in a bibliography file instead.
    let sources = loader.list_required("sources.yaml", bibliographies.files.is_empty());
    let participants = loader.list("participants.yaml");
    let events = loader.list("events.yaml");
    let issues = loader.list("issues.yaml");
    let meetings = loader.list("meetings.yaml");
    let levels = loader.list("levels.yaml");
    let glossary = loader.glossary();
    let keys = source_keys(&bibliographies, &sources);
    let vault = vault::open(dir, obsidian.unwrap_or_else(|| vault::detect(&loader.root)));
    let (mut findings, broken_findings) = loader.findings(&mut found, &keys, parses, &vault);
    if vault.flavour == markdown::Flavour::Obsidian {
        let themes: Vec<&model::Theme> = themes.items.iter().map(|t| &t.value).collect();
        vault::link(&mut findings, &themes, &mut loader.diagnostics);
    }

    let raw = raw::Raw {
        themes,
        parties,
        sources,
        participants,
        events,
        issues,
        meetings,
        levels,
        findings,
        broken_findings,
        entries: bibliographies.entries,
        broken_entries: bibliographies.broken_keys,
        glossary,
    };
    validate::check(&raw, &loader.files, &mut loader.diagnostics);
    let corpus = assemble::assemble(raw);
    Ok(Loaded {
        corpus,
        diagnostics: loader.diagnostics,
        files: loader.files,
        images: found.image_refs.iter().map(|(image, _, _)| image.clone()).collect(),
        image_refs: found.image_refs,
        assets: found.assets,
        flavour: vault.flavour,
    })
}

/// The source ids citations may name: the bibliography files' keys and
/// the ids of `sources.yaml`, also of entries that did not parse (those
/// are reported once, where they are); none is checked when a file of
/// sources could not be read whole.
fn source_keys(bibliographies: &Bibliographies, sources: &ListFile<model::Source>) -> SourceKeys {
    let mut keys: BTreeSet<String> = bibliographies.entries.iter().map(|e| e.key.clone()).collect();
    keys.extend(bibliographies.broken_keys.iter().cloned());
    keys.extend(sources.items.iter().map(|s| s.value.id.clone()));
    keys.extend(sources.broken.iter().cloned());
    SourceKeys::new(keys, sources.unparsed || bibliographies.broken)
}

struct Loader<'a> {
    dir: &'a Path,
    /// The corpus directory, symlinks resolved: nothing outside it is read.
    root: PathBuf,
    files: Files,
    diagnostics: Vec<Diagnostic>,
}

/// What the findings walk finds besides findings.
#[derive(Default)]
struct Found {
    /// Where each image is used, as [`Loaded::image_refs`].
    image_refs: Vec<(PathBuf, PathBuf, std::ops::Range<usize>)>,
    /// As [`Loaded::assets`].
    assets: usize,
}

/// The bibliography files read, and their entries.
struct Bibliographies {
    /// The files that exist.
    files: Vec<PathBuf>,
    /// Their entries, in file order.
    entries: Vec<model::Entry>,
    /// The keys of entries that could not be read (already reported).
    broken_keys: Vec<String>,
    /// Whether a file could not be read at all (already reported).
    broken: bool,
}

impl Loader<'_> {
    /// Reads `sources.bib` and `sources.json`, if the corpus has them.
    fn bibliographies(&mut self) -> Bibliographies {
        let mut out = Bibliographies {
            files: Vec::new(),
            entries: Vec::new(),
            broken_keys: Vec::new(),
            broken: false,
        };
        for name in bibliography::BIB_FILES {
            let path = self.dir.join(name);
            if !path.exists() {
                continue;
            }
            out.files.push(path.clone());
            let text = match file::read_inside(&self.root, &path, &path, &mut self.files) {
                Ok(text) => text,
                Err(d) => {
                    self.diagnostics.push(d);
                    out.broken = true;
                    continue;
                }
            };
            let read = if name.ends_with(".bib") {
                bibliography::parse_bibtex(&text, &path, &mut self.diagnostics)
            } else {
                bibliography::parse_csl_json(&text, &path, &mut self.diagnostics)
            };
            // One bad entry spoils only itself: the file's other keys are
            // still checked.
            out.broken |= read.unread;
            out.broken_keys.extend(read.broken);
            out.entries.extend(read.entries);
        }
        out
    }

    /// Reads `glossary.yaml`, if the corpus has one.
    fn glossary(&mut self) -> Option<glossary::Glossary> {
        let path = self.dir.join(glossary::FILE);
        if !path.exists() {
            return None;
        }
        let text = match file::read_inside(&self.root, &path, &path, &mut self.files) {
            Ok(text) => text,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        glossary::parse(&text, &path, &mut self.diagnostics)
    }

    fn list<T: serde::de::DeserializeOwned + yaml::Dates>(&mut self, name: &str) -> ListFile<T> {
        let required = LIST_FILES.iter().any(|(n, r)| *n == name && *r);
        self.list_required(name, required)
    }

    fn list_required<T: serde::de::DeserializeOwned + yaml::Dates>(
        &mut self,
        name: &str,
        required: bool,
    ) -> ListFile<T> {
        let path = self.dir.join(name);
        if !path.exists() {
            if required {
                self.files.insert(&path, "".into());
                self.diagnostics.push(Diagnostic::error(
                    &path,
                    0..0,
                    Problem::MissingFile(name.to_string()),
                ));
            }
            return ListFile { path, items: Vec::new(), broken: Vec::new(), unparsed: required };
        }
        match file::read_inside(&self.root, &path, &path, &mut self.files) {
            Ok(text) => {
                let parse = yaml::parse_list(&text, &path, &mut self.diagnostics);
                let (items, broken, unparsed) = (parse.items, parse.broken_ids, parse.unparsed);
                ListFile { path, items, broken, unparsed }
            }
            Err(d) => {
                self.diagnostics.push(d);
                ListFile { path, items: Vec::new(), broken: Vec::new(), unparsed: true }
            }
        }
    }

    /// The findings under findings/, each file parsed unless `parses`
    /// holds its parse, and those that did not parse, by id; what else
    /// lies there is counted in `found` or reported.
    fn findings(
        &mut self,
        found: &mut Found,
        keys: &SourceKeys,
        parses: &Parses,
        vault: &Vault,
    ) -> (Vec<RawFinding>, Vec<raw::BrokenFinding>) {
        let paths = self.finding_paths(found);
        // Files parse independently, in parallel; the results are merged
        // in path order, so diagnostics and findings come out the same
        // whatever the scheduling.
        parses.begin();
        let parsed: Vec<Parsed> = paths
            .par_iter()
            .map(|path| finding::parse_finding(self.dir, &self.root, path, keys, parses, vault))
            .collect();
        let mut out = Vec::with_capacity(parsed.len());
        let mut broken = Vec::new();
        for p in parsed {
            broken.extend(p.broken);
            self.files.extend(p.files);
            self.diagnostics.extend(p.diagnostics);
            for (image, range) in p.image_refs {
                found.image_refs.push((image, p.path.clone(), range));
            }
            out.extend(p.finding);
        }
        (out, broken)
    }

    /// The finding files under findings/, in path order. Images beside
    /// them are counted in `found`; anything else is reported.
    fn finding_paths(&mut self, found: &mut Found) -> Vec<PathBuf> {
        let root = self.dir.join(FINDINGS_DIR);
        let mut paths = Vec::new();
        let entries = tree_within(&root, self.dir).unwrap_or_else(|e| {
            vec![TreeEntry { path: root.clone(), kind: EntryKind::Unreadable(e.to_string()) }]
        });
        for entry in entries {
            let problem = match entry.kind {
                EntryKind::Dir => continue,
                EntryKind::File if has_extension(&entry.path, &FINDING_EXTENSIONS) => {
                    paths.push(entry.path);
                    continue;
                }
                EntryKind::File if has_extension(&entry.path, &ASSET_EXTENSIONS) => {
                    found.assets += 1;
                    continue;
                }
                EntryKind::File => {
                    Diagnostic::error(&entry.path, 0..0, Problem::NotAFinding).warning()
                }
                EntryKind::Outside(target) => Diagnostic::error(
                    &entry.path,
                    0..0,
                    Problem::OutsideCorpus(target.display().to_string()),
                ),
                EntryKind::Unreadable(why) => {
                    Diagnostic::error(&entry.path, 0..0, Problem::Unreadable(why))
                }
            };
            self.files.insert(&problem.path, "".into());
            self.diagnostics.push(problem);
        }
        paths
    }
}
