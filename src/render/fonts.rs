//! The fonts the book is set in: the files in fonts/, compiled into the
//! binary, and those of any `--font-path` directory. No system font is
//! ever consulted unless its directory is named, so a PDF looks the same
//! on every machine. Also answers which characters of a text none of them
//! can draw (they would print as empty boxes).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo, is_default_ignorable};
use typst_kit::fonts::{FontSource, FontStore};

/// Every shipped font file, by name, in byte order of the names. A test
/// checks this against fonts/.
///
/// The Latin faces (Noto Serif, Sans, Sans Mono) set the book; the others
/// are fallbacks for scripts and symbols they lack, named in the family
/// lists of templates/style.typ.
pub const FONT_FILES: &[(&str, &[u8])] = &[
    ("NewCMMath-Regular.otf", include_bytes!("../../fonts/NewCMMath-Regular.otf")),
    ("NotoEmoji-Regular.ttf", include_bytes!("../../fonts/NotoEmoji-Regular.ttf")),
    ("NotoNaskhArabic-Bold.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf")),
    ("NotoNaskhArabic-Regular.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-Regular.ttf", include_bytes!("../../fonts/NotoSans-Regular.ttf")),
    ("NotoSansBengali-Bold.ttf", include_bytes!("../../fonts/NotoSansBengali-Bold.ttf")),
    ("NotoSansBengali-Regular.ttf", include_bytes!("../../fonts/NotoSansBengali-Regular.ttf")),
    (
        "NotoSansCJKsc-Subset-Regular.otf",
        include_bytes!("../../fonts/NotoSansCJKsc-Subset-Regular.otf"),
    ),
    ("NotoSansDevanagari-Bold.ttf", include_bytes!("../../fonts/NotoSansDevanagari-Bold.ttf")),
    (
        "NotoSansDevanagari-Regular.ttf",
        include_bytes!("../../fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    ("NotoSansHebrew-Bold.ttf", include_bytes!("../../fonts/NotoSansHebrew-Bold.ttf")),
    ("NotoSansHebrew-Regular.ttf", include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf")),
    ("NotoSansMono-Regular.ttf", include_bytes!("../../fonts/NotoSansMono-Regular.ttf")),
    ("NotoSansSymbols-Regular.ttf", include_bytes!("../../fonts/NotoSansSymbols-Regular.ttf")),
    ("NotoSansSymbols2-Regular.ttf", include_bytes!("../../fonts/NotoSansSymbols2-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../../fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../../fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-Regular.ttf", include_bytes!("../../fonts/NotoSerif-Regular.ttf")),
];

/// A font face in an embedded file, parsed only when first used.
struct Embedded {
    data: &'static [u8],
    index: u32,
}

impl FontSource for Embedded {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// A font face in a file the user added, read once when the book's fonts
/// were gathered and parsed when the layout first asks for it.
struct Added {
    data: Bytes,
    index: u32,
}

impl FontSource for Added {
    fn load(&self) -> Option<Font> {
        Font::new(self.data.clone(), self.index)
    }
}

/// The font files brief reads from a `--font-path` directory.
pub const FONT_EXTENSIONS: &[&str] = &["ttf", "otf", "ttc", "otc"];

/// The fonts one book is set in: the shipped ones, and the files of any
/// `--font-path` directories after them. Cheap to clone.
#[derive(Clone)]
pub struct Fonts {
    store: Arc<FontStore>,
    coverage: Arc<Vec<(u32, u32)>>,
    fingerprint: u128,
    /// The added files, by a name unique among them, with their bytes.
    added: Arc<Vec<(String, Bytes)>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let names: Vec<&str> = self.added.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Fonts").field("added", &names).finish_non_exhaustive()
    }
}

/// Why a font directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The directory or a file in it could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file with a font's extension holds no face Typst can read.
    #[error("{}: is not a font brief can read (no TrueType or OpenType face in it)", path.display())]
    NotAFont {
        /// The file.
        path: PathBuf,
    },
}

impl From<FontError> for crate::error::Error {
    fn from(error: FontError) -> Self {
        match error {
            FontError::Io { path, source } => crate::error::Error::Io { path, source },
            FontError::NotAFont { path } => crate::error::Error::Io {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "is not a font brief can read (no TrueType or OpenType face in it)",
                ),
            },
        }
    }
}

impl Fonts {
    /// Only the shipped fonts (built once per process).
    pub fn shipped() -> Fonts {
        static SHIPPED: OnceLock<Fonts> = OnceLock::new();
        SHIPPED.get_or_init(|| Fonts::build(Vec::new())).clone()
    }

    /// The shipped fonts and every font file (see [`FONT_EXTENSIONS`]) in
    /// `dirs` and the directories under them, in name order: a directory
    /// given twice is read once. System fonts are never consulted; a user
    /// who wants them names their directory.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Fonts, FontError> {
        if dirs.is_empty() {
            return Ok(Fonts::shipped());
        }
        let mut files = Vec::new();
        let mut seen = BTreeSet::new();
        for dir in dirs {
            walk_fonts(dir, &mut files, &mut seen)?;
        }
        let mut added = Vec::new();
        for path in files {
            let data = crate::input::read(&path, crate::input::Kind::Font)
                .map_err(|source| FontError::Io { path: path.clone(), source })?;
            if FontInfo::iter(&data).next().is_none() {
                return Err(FontError::NotAFont { path });
            }
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            // Two directories may hold files of the same name.
            let name = match added.iter().any(|(n, _): &(String, Bytes)| *n == name) {
                false => name,
                true => format!("{}-{name}", added.len()),
            };
            added.push((name, Bytes::new(data)));
        }
        Ok(Fonts::build(added))
    }

    fn build(added: Vec<(String, Bytes)>) -> Fonts {
        let mut store = FontStore::new();
        for (_, data) in FONT_FILES {
            for (index, info) in FontInfo::iter(data).enumerate() {
                store.push((Embedded { data, index: index as u32 }, info));
            }
        }
        for (_, data) in &added {
            for (index, info) in FontInfo::iter(data).enumerate() {
                store.push((Added { data: data.clone(), index: index as u32 }, info));
            }
        }
        let coverage = coverage_of(&store);
        let fingerprint = typst::utils::hash128(&(FONT_FILES, &added));
        Fonts {
            store: Arc::new(store),
            coverage: Arc::new(coverage),
            fingerprint,
            added: Arc::new(added),
        }
    }

    /// The store Typst asks for faces.
    pub fn store(&self) -> Arc<FontStore> {
        self.store.clone()
    }

    /// The families of every face, shipped and added, sorted, each once:
    /// the names a template or the `font` settings may use.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.store.book().families().map(|(name, _)| name.to_string()).collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup();
        names
    }

    /// A hash of every font file, shipped and added.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The added font files, each by a name unique among them.
    pub fn added(&self) -> &[(String, Bytes)] {
        &self.added
    }

    /// Whether some font has a glyph for `c`, so that it does not print as
    /// an empty box. Characters that are never drawn (whitespace, controls,
    /// and Unicode's default-ignorable code points, as Typst itself treats
    /// them: ZWJ, ZWNJ, soft hyphen, bidi controls, variation selectors)
    /// count as covered. A binary search in the union of every face's
    /// coverage.
    pub fn covers(&self, c: char) -> bool {
        if c.is_ascii_graphic() {
            // Every Latin face has ASCII; skip the search for the common case.
            return true;
        }
        if c.is_whitespace() || c.is_control() || is_default_ignorable(c) {
            return true;
        }
        let c = u32::from(c);
        // The last range starting at or before `c` is the only one that
        // can hold it.
        let after = self.coverage.partition_point(|&(start, _)| start <= c);
        after > 0 && c <= self.coverage[after - 1].1
    }

    /// The characters of `text` that no font covers, each once, in the
    /// order they first appear; empty when the whole text can be drawn.
    pub fn uncovered(&self, text: &str) -> Vec<char> {
        let mut seen = BTreeSet::new();
        text.chars().filter(|&c| !self.covers(c) && seen.insert(c)).collect()
    }
}

/// Adds the font files in `dir` and below to `files`, sorted by path
/// within each directory. Each folder and each file is taken once,
/// however many links lead to it (two folders linking to each other, a
/// link back up): `seen` holds those already taken.
fn walk_fonts(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    seen: &mut BTreeSet<PathBuf>,
) -> Result<(), FontError> {
    let io = |source| FontError::Io { path: dir.to_path_buf(), source };
    if !seen.insert(dir.canonicalize().map_err(io)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk_fonts(&path, files, seen)?;
        } else if path
            .extension()
            .is_some_and(|e| FONT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
            // (A broken link is kept, to be reported when read.)
            && path.canonicalize().map_or(true, |real| seen.insert(real))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The font store of the shipped fonts, shared by every compilation in the
/// process that adds none.
///
/// Building it reads only each face's metadata; the faces themselves are
/// parsed lazily by the store when the layout first asks for them.
pub fn store() -> Arc<FontStore> {
    Fonts::shipped().store()
}

/// A hash of the shipped fonts.
pub fn fingerprint() -> u128 {
    Fonts::shipped().fingerprint()
}

/// Whether some shipped font has a glyph for `c`; see [`Fonts::covers`].
pub fn covers(c: char) -> bool {
    Fonts::shipped().covers(c)
}

/// The characters of `text` that no shipped font covers, each once, in
/// the order they first appear; empty when the whole text can be drawn.
/// See [`Fonts::covers`] for what is ignored.
///
/// ```
/// use brief::render::fonts::uncovered;
/// assert!(uncovered("中巴经济走廊 ✓ नमस्ते 😀").is_empty());
/// assert_eq!(uncovered("한국어 and 한"), ['한', '국', '어']);
/// ```
pub fn uncovered(text: &str) -> Vec<char> {
    Fonts::shipped().uncovered(text)
}

/// The union of the code points every face of `store` covers, as sorted,
/// disjoint, non-adjacent inclusive ranges. The private-use glyphs of the
/// math face are left out: they are its own (TeX's) internals, and a
/// private-use character in a note means whatever the font it was written
/// for says, so drawn in that face it would be a wrong glyph, unreported.
fn coverage_of(store: &FontStore) -> Vec<(u32, u32)> {
    let book = store.book();
    let private = |info: &FontInfo, c: u32| {
        info.family == "New Computer Modern Math" && (0xE000..=0xF8FF).contains(&c)
    };
    let mut points: Vec<u32> = (0..)
        .map_while(|i| book.info(i))
        .flat_map(|info| info.coverage.iter().filter(move |&c| !private(info, c)))
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in points {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_linking_to_each_other_give_each_font_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let font =
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fonts/DejaVuSans-Georgian.ttf");
        std::fs::copy(font, a.join("georgian.ttf")).unwrap();
        std::os::unix::fs::symlink(&b, a.join("to-b")).unwrap();
        std::os::unix::fs::symlink(&a, b.join("to-a")).unwrap();
        std::os::unix::fs::symlink(a.join("georgian.ttf"), b.join("same.ttf")).unwrap();
        let fonts = Fonts::with_dirs(&[a.clone(), b.clone(), a]).unwrap();
        assert_eq!(
            fonts.added().len(),
            1,
            "{:?}",
            fonts.added().iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_font_table_lists_every_file_in_fonts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ttf") || n.ends_with(".otf"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = FONT_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn the_store_has_the_families_the_templates_use() {
        let store = store();
        for family in [
            "noto serif",
            "noto sans",
            "noto sans mono",
            "noto naskh arabic",
            "noto sans devanagari",
            "noto sans bengali",
            "noto sans hebrew",
            "noto sans symbols2",
            "noto sans symbols",
            "noto sans cjk sc",
            "noto emoji",
            "new computer modern math",
        ] {
            assert!(store.book().contains_family(family), "{family}");
        }
    }

    #[test]
    fn the_scripts_and_symbols_of_the_corpus_are_covered() {
        let text = "Pakistan پاکستان 中巴经济走廊 國際 नमस्ते বাংলা שלום ✓ ✗ ● ○ ◧ → † € 😀 👍🏽 \
                    👩\u{200d}💻 ☎\u{fe0f} \u{200c}\u{ad}\t\n\u{feff}";
        assert_eq!(uncovered(text), Vec::<char>::new());
    }

    #[test]
    fn uncovered_characters_are_named_once_in_order() {
        // Hangul and Thai are in no shipped font; private use never is.
        let text = "Seoul 서울, 서울; กรุงเทพ \u{e000}";
        let missing = uncovered(text);
        assert_eq!(missing[..2], ['서', '울']);
        assert!(missing.contains(&'ก'));
        assert_eq!(missing.last(), Some(&'\u{e000}'));
        assert_eq!(missing.iter().filter(|&&c| c == '서').count(), 1);
    }

    #[test]
    fn the_coverage_ranges_are_sorted_and_disjoint() {
        let ranges = &Fonts::shipped().coverage;
        assert!(ranges.windows(2).all(|w| w[0].1 + 1 < w[1].0));
        assert!(covers('a') && covers('中') && !covers('\u{e000}'));
        // A range's first and last code points are inside it.
        let (start, end) = ranges[ranges.len() / 2];
        assert!(covers(char::from_u32(start).unwrap()) && covers(char::from_u32(end).unwrap()));
    }
}
