//! Stage 1, load: a corpus directory to a checked [`Corpus`] plus every
//! problem found in it.
//!
//! This stage and `render` are the only ones that read files. Loading never
//! stops at the first problem: `brief check` prints all of them at once.

pub use crate::date;
pub mod bibliography;
pub mod file;
pub mod glossary;
pub mod markdown;
pub mod model;
pub mod prose;
mod validate;
pub mod yaml;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub use model::Corpus;
pub use validate::is_valid_id;

use crate::diag::{Diagnostic, Files, ImageProblem, Problem};
use model::{Finding, FindingMeta};
use yaml::Located;

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

/// Finding files as an earlier load parsed them (a watch keeps one across
/// rebuilds): a file is parsed again only when its text, or the set of
/// source keys its citations are checked against, is not what it was.
/// Every file is still read; a finding that shows an image is always
/// parsed again, since the image may have gone.
#[derive(Default)]
pub struct Parses {
    parsed: Mutex<HashMap<PathBuf, (u128, Parsed)>>,
    /// How many files the last load parsed.
    fresh: AtomicUsize,
}

impl Parses {
    /// How many finding files the last load parsed (rather than reused).
    pub fn fresh(&self) -> usize {
        self.fresh.load(Ordering::Relaxed)
    }
}

/// [`load`], reusing what `parses` holds of an earlier load.
pub fn load_with(dir: &Path, parses: &Parses) -> Result<Loaded, LoadError> {
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

    let records = loader.bibliographies();
    let themes = loader.list("themes.yaml");
    let parties = loader.list("parties.yaml");
    // A corpus may keep its sources in a bibliography file instead.
    let sources: validate::ListFile<model::Source> =
        loader.list_required("sources.yaml", records.files.is_empty());
    let participants = loader.list("participants.yaml");
    let events = loader.list("events.yaml");
    let issues = loader.list("issues.yaml");
    let meetings = loader.list("meetings.yaml");
    let levels = loader.list("levels.yaml");
    let glossary = loader.glossary();
    // Citations may name any source id, also of entries that did not
    // parse (those are reported once, where they are).
    let mut keys: BTreeSet<String> = records.records.iter().map(|r| r.key.clone()).collect();
    keys.extend(sources.items.iter().map(|s| s.value.id.clone()));
    keys.extend(sources.broken.iter().cloned());
    let unchecked = sources.unparsed || records.broken;
    let is_key = |key: &str| unchecked || keys.contains(key);
    let context = typst::utils::hash128(&(&keys, unchecked));
    let findings = loader.findings(&mut found, &is_key, &keys, (parses, context));

    let raw = validate::Raw {
        themes,
        parties,
        sources,
        participants,
        events,
        issues,
        meetings,
        levels,
        findings,
        records: records.records,
        glossary,
    };
    let corpus = validate::validate(raw, &loader.files, &mut loader.diagnostics);
    Ok(Loaded {
        corpus,
        diagnostics: loader.diagnostics,
        files: loader.files,
        images: found.images,
        image_refs: found.image_refs,
        assets: found.assets,
    })
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
    images: BTreeSet<PathBuf>,
    image_refs: Vec<(PathBuf, PathBuf, std::ops::Range<usize>)>,
    assets: usize,
}

/// A finding with where its parts are, for validation.
#[derive(Clone)]
pub(crate) struct RawFinding {
    pub located: Located<FindingMeta>,
    pub finding: Finding,
    pub display_path: PathBuf,
    pub body_range: std::ops::Range<usize>,
}

/// The bibliography files read, and their records.
pub(crate) struct Records {
    /// The files that exist.
    pub files: Vec<PathBuf>,
    /// Their records, in file order.
    pub records: Vec<bibliography::Record>,
    /// Whether a file could not be read at all (already reported).
    pub broken: bool,
}

impl Loader<'_> {
    /// Reads `sources.bib` and `sources.json`, if the corpus has them.
    fn bibliographies(&mut self) -> Records {
        let mut out = Records { files: Vec::new(), records: Vec::new(), broken: false };
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
            let before = self.diagnostics.len();
            let records = if name.ends_with(".bib") {
                bibliography::parse_bibtex(&text, &path, &mut self.diagnostics)
            } else {
                bibliography::parse_csl_json(&text, &path, &mut self.diagnostics)
            };
            out.broken |= self.diagnostics.len() > before;
            out.records.extend(records);
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
        // Parsed whole, so that a mistake inside a term is reported at its
        // own line.
        match serde_yaml::from_str::<glossary::Glossary>(&text) {
            Err(e) => {
                let at = e.location().map_or(0, |l| l.index()).min(text.len());
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                let message = message.trim_start_matches("terms[").to_string();
                let message = match message.split_once("]: ") {
                    Some((_, rest))
                        if message.chars().next().is_some_and(|c| c.is_ascii_digit()) =>
                    {
                        rest.to_string()
                    }
                    _ => message,
                };
                let end = (at + 1).min(text.len()).max(at);
                self.diagnostics.push(Diagnostic::error(&path, at..end, Problem::Syntax(message)));
                None
            }
            Ok(value) => {
                let located = yaml::Located { value, entry: file::Entry::whole(&text) };
                // A term defined twice is an error at its second definition.
                let mut seen = std::collections::BTreeMap::new();
                let mut from = 0;
                for t in &located.value.terms {
                    let at = text[from..].find(&t.term).map_or(from, |n| from + n);
                    from = at + t.term.len();
                    if t.expansion.trim().is_empty() {
                        let problem = Problem::Blank("expansion");
                        self.diagnostics.push(Diagnostic::error(&path, at..from, problem));
                    }
                    match seen.get(t.term.as_str()) {
                        Some(&first) => {
                            let (line, _) = self.files.line_column(&path, first).unwrap_or((1, 1));
                            let problem = Problem::DuplicateId {
                                kind: "glossary term",
                                id: t.term.clone(),
                                first: format!("{}:{line}", path.display()),
                            };
                            self.diagnostics.push(Diagnostic::error(&path, at..from, problem));
                        }
                        None => {
                            seen.insert(t.term.as_str(), at);
                        }
                    }
                }
                Some(located.value)
            }
        }
    }

    fn list<T: serde::de::DeserializeOwned + yaml::Dates>(
        &mut self,
        name: &str,
    ) -> validate::ListFile<T> {
        let required = LIST_FILES.iter().any(|(n, r)| *n == name && *r);
        self.list_required(name, required)
    }

    fn list_required<T: serde::de::DeserializeOwned + yaml::Dates>(
        &mut self,
        name: &str,
        required: bool,
    ) -> validate::ListFile<T> {
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
            return validate::ListFile {
                path,
                items: Vec::new(),
                broken: Vec::new(),
                unparsed: required,
            };
        }
        match file::read_inside(&self.root, &path, &path, &mut self.files) {
            Ok(text) => {
                let parse = yaml::parse_list(&text, &path, &mut self.diagnostics);
                let (items, broken, unparsed) = (parse.items, parse.broken_ids, parse.unparsed);
                validate::ListFile { path, items, broken, unparsed }
            }
            Err(d) => {
                self.diagnostics.push(d);
                validate::ListFile { path, items: Vec::new(), broken: Vec::new(), unparsed: true }
            }
        }
    }

    fn findings(
        &mut self,
        found: &mut Found,
        is_key: &markdown::KeyCheck,
        keys: &BTreeSet<String>,
        (parses, context): (&Parses, u128),
    ) -> Vec<RawFinding> {
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
        // Files parse independently, in parallel; the results are merged
        // in path order, so diagnostics and findings come out the same
        // whatever the scheduling.
        parses.fresh.store(0, Ordering::Relaxed);
        let parsed: Vec<Parsed> = paths
            .par_iter()
            .map(|path| parse_finding(self.dir, &self.root, path, is_key, keys, (parses, context)))
            .collect();
        let mut out = Vec::with_capacity(parsed.len());
        for p in parsed {
            self.files.extend(p.files);
            self.diagnostics.extend(p.diagnostics);
            found.images.extend(p.image_refs.iter().map(|(image, _)| image.clone()));
            for (image, range) in p.image_refs {
                found.image_refs.push((image, p.path.clone(), range));
            }
            out.extend(p.finding);
        }
        out
    }
}

/// One finding file, parsed on its own.
#[derive(Clone)]
struct Parsed {
    path: PathBuf,
    finding: Option<RawFinding>,
    diagnostics: Vec<Diagnostic>,
    files: Files,
    /// The images it uses, with where.
    image_refs: Vec<(PathBuf, std::ops::Range<usize>)>,
}

/// One finding file, read, then parsed unless `parses` holds its parse
/// for the same text and `context` (the source keys).
fn parse_finding(
    dir: &Path,
    root: &Path,
    path: &Path,
    is_key: &markdown::KeyCheck,
    keys: &BTreeSet<String>,
    (parses, context): (&Parses, u128),
) -> Parsed {
    let mut files = Files::default();
    let text = match file::read_inside(root, path, path, &mut files) {
        Ok(text) => text,
        Err(d) => {
            let mut parsed = Parsed::new(path);
            parsed.files = files;
            parsed.diagnostics.push(d);
            return parsed;
        }
    };
    let hash = typst::utils::hash128(&(&*text, context));
    if let Some((h, earlier)) = parses.parsed.lock().unwrap().get(path)
        && *h == hash
    {
        return earlier.clone();
    }
    parses.fresh.fetch_add(1, Ordering::Relaxed);
    let mut parsed = parse_text(dir, path, &text, is_key, keys);
    parsed.files = files;
    if parsed.image_refs.is_empty() {
        parses.parsed.lock().unwrap().insert(path.to_path_buf(), (hash, parsed.clone()));
    }
    parsed
}

impl Parsed {
    fn new(path: &Path) -> Self {
        Parsed {
            path: path.to_path_buf(),
            finding: None,
            diagnostics: Vec::new(),
            files: Files::default(),
            image_refs: Vec::new(),
        }
    }
}

/// Parses one finding file's text.
fn parse_text(
    dir: &Path,
    path: &Path,
    text: &str,
    is_key: &markdown::KeyCheck,
    keys: &BTreeSet<String>,
) -> Parsed {
    let relative = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    let mut parsed = Parsed::new(path);
    let Some(split) = file::split_front_matter(text) else {
        parsed.diagnostics.push(Diagnostic::error(path, 0..0, Problem::NoFrontMatter));
        return parsed;
    };
    let located: Located<FindingMeta> = match yaml::parse_mapping(
        split.yaml,
        split.yaml_offset,
        text,
        path,
        model::FINDING_FIELDS,
        model::FINDING_KEY_ALIASES,
    ) {
        Ok(located) => located,
        Err(d) => {
            parsed.diagnostics.extend(d);
            return parsed;
        }
    };
    let base = relative.parent().unwrap_or(Path::new("")).to_path_buf();
    let body_offset = split.body_offset;
    let (diagnostics, images) = (&mut parsed.diagnostics, &mut parsed.image_refs);
    let (body, notices) = markdown::convert_citing(
        split.body,
        &mut |url, range| {
            let range = body_offset + range.start..body_offset + range.end;
            match resolve_image(dir, &base, url) {
                Ok(relative) => {
                    let src = format!("/corpus/{}", slash_path(&relative));
                    images.push((relative, range));
                    Some(src)
                }
                Err(why) => {
                    let problem = Problem::BadImage { url: url.to_string(), why };
                    diagnostics.push(Diagnostic::new(why.severity(), path, range, problem));
                    None
                }
            }
        },
        Some(is_key),
    );
    for (range, notice) in notices {
        // Point at the first line of what was changed, not all of it.
        let line_end = split.body[range.start..].find('\n').map_or(range.end, |n| range.start + n);
        let range =
            body_offset + range.start..body_offset + range.end.min(line_end.max(range.start + 1));
        if let markdown::Notice::UnknownCitation(key, bracketed) = notice {
            let near = crate::suggest::nearest(&key, keys.iter().map(String::as_str));
            let d = Diagnostic::error(path, range, Problem::UnknownCitation(key.clone()));
            // `@word` in running text that is near no key is most likely
            // not meant as a citation (a handle, say): it prints as text.
            // `@word` in running text near no key is not meant as a
            // citation (a handle, `@label`): it stays text, unreported.
            let d = match (near, bracketed) {
                (Some(near), _) => d.with_hint(format!(
                    "did you mean `{near}`? (write `\\@{key}` for the text itself)"
                )),
                (None, true) => d.with_hint(
                    crate::suggest::hint(
                        &key,
                        keys.iter().map(String::as_str),
                        "the source ids are",
                    )
                    .unwrap_or_else(|| "the corpus has no source".into()),
                ),
                (None, false) => continue,
            };
            parsed.diagnostics.push(d);
            continue;
        }
        let problem = match notice {
            markdown::Notice::UnknownCitation(..) => unreachable!("handled above"),
            markdown::Notice::TooDeep => Problem::TooDeep(markdown::MAX_NESTING),
            markdown::Notice::NotLive(url) => Problem::NotLive(url),
            markdown::Notice::NoAlt(url) => Problem::NoAlt(url),
            markdown::Notice::TableTooWide(percent) => Problem::TableTooWide(percent),
        };
        parsed.diagnostics.push(Diagnostic::error(path, range, problem).warning());
    }
    let meta = &located.value;
    let finding = Finding {
        id: meta.id.clone(),
        title: meta.title.clone(),
        date: meta.date,
        themes: meta.themes.clone(),
        source: meta.source.clone(),
        reference: meta.reference.clone(),
        perspective: meta.perspective.clone(),
        issue: meta.issue.clone(),
        summary: meta.summary.clone(),
        key: meta.key,
        handling: meta.handling.clone(),
        cites: markdown::citations(&body).into_iter().map(|c| c.key.clone()).collect(),
        body,
        path: relative,
    };
    let body_range = split.body_offset..text.len();
    parsed.finding =
        Some(RawFinding { located, finding, display_path: path.to_path_buf(), body_range });
    parsed
}

/// Resolves an image destination relative to the finding's directory. The
/// result must be an existing file inside the corpus directory, also after
/// following symlinks.
fn resolve_image(dir: &Path, base: &Path, url: &str) -> Result<PathBuf, ImageProblem> {
    if url.contains("://") || url.starts_with("data:") || url.starts_with("mailto:") {
        return Err(ImageProblem::Remote);
    }
    if url.starts_with('/') || url.starts_with('\\') || Path::new(url).has_root() {
        return Err(ImageProblem::Absolute);
    }
    let mut relative = PathBuf::new();
    for component in base.join(url).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir if relative.pop() => {}
            _ => return Err(ImageProblem::Outside),
        }
    }
    let full = dir.join(&relative);
    let (Ok(real), Ok(real_root)) = (full.canonicalize(), dir.canonicalize()) else {
        return Err(ImageProblem::Missing);
    };
    if !real.starts_with(&real_root) {
        return Err(ImageProblem::Outside);
    }
    if !real.is_file() {
        return Err(ImageProblem::NotAFile);
    }
    Ok(relative)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_resolve_inside_the_corpus_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("findings/a")).unwrap();
        fs::write(dir.path().join("findings/a/map.png"), b"png").unwrap();
        let base = Path::new("findings/a");
        assert_eq!(
            resolve_image(dir.path(), base, "map.png"),
            Ok(PathBuf::from("findings/a/map.png"))
        );
        assert_eq!(
            resolve_image(dir.path(), base, "./../a/map.png"),
            Ok(PathBuf::from("findings/a/map.png"))
        );
        assert_eq!(resolve_image(dir.path(), base, "gone.png"), Err(ImageProblem::Missing));
        assert_eq!(
            resolve_image(dir.path(), base, "../../../etc/passwd"),
            Err(ImageProblem::Outside)
        );
        assert_eq!(resolve_image(dir.path(), base, "/etc/passwd"), Err(ImageProblem::Absolute));
        assert_eq!(
            resolve_image(dir.path(), base, "https://x.org/a.png"),
            Err(ImageProblem::Remote)
        );
    }
}
