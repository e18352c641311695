//! One finding file: read, split into front matter and body, the body
//! converted with its images resolved and its notices made diagnostics;
//! and [`Parses`], the parses kept across loads.
//!
//! Reads the finding file, and checks that the images it shows exist
//! inside the corpus; nothing else.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::file::{self, KeyIndex, Split};
use super::keys::SourceKeys;
use super::markdown::{self, Block, Converted, Flavour};
use super::model::{self, Finding, FindingMeta};
use super::notices;
use super::raw::{BrokenFinding, Derived, RawFinding};
use super::vault::Vault;
use super::walk::slash_path;
use super::yaml::{self, MappingRead};
use crate::diag::{Diagnostic, Files, ImageProblem, Problem};

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

    /// Starts a load: no file parsed yet.
    pub(super) fn begin(&self) {
        self.fresh.store(0, Ordering::Relaxed);
    }
}

/// One finding file, parsed on its own.
#[derive(Clone)]
pub(super) struct Parsed {
    /// The file.
    pub path: PathBuf,
    /// The finding, unless it could not be read or parsed.
    pub finding: Option<RawFinding>,
    /// Else its id, if that could be read.
    pub broken: Option<BrokenFinding>,
    /// Every problem found in it.
    pub diagnostics: Vec<Diagnostic>,
    /// Its text, for snippets.
    pub files: Files,
    /// The images it uses, with where.
    pub image_refs: Vec<(PathBuf, Range<usize>)>,
}

impl Parsed {
    fn new(path: &Path) -> Self {
        Parsed {
            path: path.to_path_buf(),
            finding: None,
            broken: None,
            diagnostics: Vec::new(),
            files: Files::default(),
            image_refs: Vec::new(),
        }
    }
}

/// One finding file of the corpus `dir` (`root` with symlinks resolved),
/// read, then parsed unless `parses` holds its parse for the same text
/// and `keys`.
pub(super) fn parse_finding(
    dir: &Path,
    root: &Path,
    path: &Path,
    keys: &SourceKeys,
    parses: &Parses,
    vault: &Vault,
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
    let hash = typst::utils::hash128(&(&*text, keys.hash(), vault.flavour));
    if let Some((h, earlier)) = parses.parsed.lock().unwrap().get(path)
        && *h == hash
    {
        return earlier.clone();
    }
    parses.fresh.fetch_add(1, Ordering::Relaxed);
    let mut parsed = parse_text(dir, path, &text, keys, vault);
    parsed.files = files;
    if parsed.image_refs.is_empty() {
        parses.parsed.lock().unwrap().insert(path.to_path_buf(), (hash, parsed.clone()));
    }
    parsed
}

/// Parses one finding file's text. The body is checked whatever is wrong
/// in the front matter; a front matter with problems still gives a
/// finding where one can be made, to be checked but kept out of the
/// corpus, else the id written in it.
fn parse_text(dir: &Path, path: &Path, text: &str, keys: &SourceKeys, vault: &Vault) -> Parsed {
    let relative = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    let mut parsed = Parsed::new(path);
    let mut derived = Derived::default();
    let (split, read) = match front_matter(text, path, vault.flavour, &mut derived) {
        Ok(found) => found,
        Err(d) => {
            parsed.diagnostics.extend(d);
            return parsed;
        }
    };
    let complete = read.diagnostics.is_empty();
    parsed.diagnostics.extend(read.diagnostics);
    let base = relative.parent().unwrap_or(Path::new("")).to_path_buf();
    let converted = convert_body(dir, path, &base, &split, keys, vault, &mut parsed);
    parsed.diagnostics.extend(notices::diagnostics(path, &split, converted.notices, keys));
    let Some(located) = read.value else {
        parsed.broken = broken_finding(text, &split, path);
        return parsed;
    };
    if derived.id {
        let message = format!(
            "this note has no `id`: it is `{}`, made from its file name, and changes if the file is renamed (write `id:` to keep it)",
            located.value.id
        );
        let at = split.yaml_offset.saturating_sub(4)..split.yaml_offset.saturating_sub(1);
        parsed.diagnostics.push(Diagnostic::error(path, at, Problem::Vault(message)).warning());
    }
    let finding = finding_of(&located.value, converted.blocks, relative);
    let body_range = split.body_offset..text.len();
    parsed.finding = Some(RawFinding {
        located,
        finding,
        display_path: path.to_path_buf(),
        body_range,
        anchors: converted.anchors,
        derived,
        complete,
    });
    parsed
}

/// The file split at its front matter, and the front matter read.
fn front_matter<'t>(
    text: &'t str,
    path: &Path,
    flavour: Flavour,
    derived: &mut Derived,
) -> Result<(Split<'t>, MappingRead<FindingMeta>), Vec<Diagnostic>> {
    let Some(split) = file::split_front_matter(text) else {
        return Err(vec![Diagnostic::error(path, 0..0, Problem::NoFrontMatter)]);
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut adjust = |m: &mut serde_yaml::Mapping| *derived = super::vault::properties(m, &stem);
    let adjust: Option<&mut dyn FnMut(&mut serde_yaml::Mapping)> =
        (flavour == Flavour::Obsidian).then_some(&mut adjust);
    let read = yaml::read_mapping(
        split.yaml,
        split.yaml_offset,
        text,
        path,
        model::FINDING_FIELDS,
        model::FINDING_KEY_ALIASES,
        adjust,
    );
    Ok((split, read))
}

/// A finding whose front matter gave none, known by the id written in
/// it, if that can be read.
fn broken_finding(text: &str, split: &Split, path: &Path) -> Option<BrokenFinding> {
    let entry = KeyIndex::mapping(split.yaml, split.yaml_offset);
    let id = yaml::written_id(text, &entry)?;
    Some(BrokenFinding { id, path: path.to_path_buf(), at: entry.key("id") })
}

/// The body converted, its citations checked against `keys`, and what the
/// converter noticed. Each image it shows is resolved against `base`, the
/// finding's folder: one that is found is recorded in `parsed`, one that
/// is not is a diagnostic there.
fn convert_body(
    dir: &Path,
    path: &Path,
    base: &Path,
    split: &Split,
    keys: &SourceKeys,
    vault: &Vault,
    parsed: &mut Parsed,
) -> Converted {
    let body_offset = split.body_offset;
    let (diagnostics, images) = (&mut parsed.diagnostics, &mut parsed.image_refs);
    let is_key = |key: &str| keys.contains(key);
    markdown::convert_flavoured(
        split.body,
        &mut |url, range| {
            let range = body_offset + range.start..body_offset + range.end;
            let found = match resolve_image(dir, base, url) {
                Err(ImageProblem::Missing) if vault.flavour == Flavour::Obsidian => {
                    by_name(&vault.images, url).ok_or(ImageProblem::Missing)
                }
                found => found,
            };
            match found {
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
        Some(&is_key),
        vault.flavour,
    )
}

/// The image an Obsidian embed names by file name (`map.png`) or by the
/// end of its path (`maps/map.png`), wherever it is in the vault, as
/// Obsidian finds it: of several, the one with the shortest path.
fn by_name(images: &[PathBuf], url: &str) -> Option<PathBuf> {
    let wanted: Vec<&str> = url.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".").collect();
    if wanted.is_empty() || wanted.contains(&"..") {
        return None;
    }
    images
        .iter()
        .filter(|image| {
            let parts: Vec<String> =
                image.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            parts.len() >= wanted.len()
                && parts[parts.len() - wanted.len()..].iter().zip(&wanted).all(|(a, b)| a == b)
        })
        .min_by_key(|image| (image.components().count(), image.to_path_buf()))
        .cloned()
}

/// The finding its front matter and body make; `path` is relative to the
/// corpus directory.
fn finding_of(meta: &FindingMeta, body: Vec<Block>, path: PathBuf) -> Finding {
    Finding {
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
        path,
    }
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

#[cfg(test)]
mod tests {
    use std::fs;

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
