//! The Typst world a book is compiled in: the templates, the composed book
//! as a JSON file, the images the findings use, and the shipped fonts.
//! Nothing else: no other path is readable, no package is ever downloaded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::datetime::Time;
use typst_kit::files::{FileLoader, FileStore, FsRoot};
use typst_kit::fonts::FontStore;

use super::RenderOptions;

/// The virtual path of the composed book.
pub const BOOK_JSON: &str = "/brief.json";
/// The virtual path of what the laid-out book says of its pages, served
/// to `heads.typ` (see `heads`).
pub const PAGES_JSON: &str = "/pages.json";
/// The virtual folder of the templates.
pub const TEMPLATES: &str = "/templates";
/// The virtual folder of the corpus images.
pub const CORPUS: &str = "/corpus";
/// The template compiled as the document.
pub const MAIN: &str = "main.typ";
/// The template that lays out the running heads and feet of a laid-out
/// book (see `heads`).
pub const HEADS: &str = "heads.typ";

/// Every shipped template, by file name. A test checks this against
/// templates/.
pub const TEMPLATE_FILES: &[(&str, &str)] = &[
    ("abbreviations.typ", include_str!("../../templates/abbreviations.typ")),
    ("annex.typ", include_str!("../../templates/annex.typ")),
    ("book.typ", include_str!("../../templates/book.typ")),
    ("changes.typ", include_str!("../../templates/changes.typ")),
    ("copymark.typ", include_str!("../../templates/copymark.typ")),
    ("cover.typ", include_str!("../../templates/cover.typ")),
    ("findings.typ", include_str!("../../templates/findings.typ")),
    ("glance.typ", include_str!("../../templates/glance.typ")),
    ("heads.typ", include_str!("../../templates/heads.typ")),
    ("keypoints.typ", include_str!("../../templates/keypoints.typ")),
    ("main.typ", include_str!("../../templates/main.typ")),
    ("markdown.typ", include_str!("../../templates/markdown.typ")),
    ("matrix.typ", include_str!("../../templates/matrix.typ")),
    ("meeting.typ", include_str!("../../templates/meeting.typ")),
    ("sources.typ", include_str!("../../templates/sources.typ")),
    ("style.typ", include_str!("../../templates/style.typ")),
    ("timeline.typ", include_str!("../../templates/timeline.typ")),
];

/// The templates a book is set with: the shipped ones, each replaceable by
/// a file of the same name in a `--templates` directory.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    overrides: BTreeMap<String, (PathBuf, Bytes)>,
}

impl Templates {
    /// Reads overrides from `dir`: every `*.typ` file in it.
    pub fn with_overrides(dir: &Path) -> std::io::Result<Self> {
        let mut overrides = BTreeMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "typ") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let data = crate::input::read(&path, crate::input::Kind::Text).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
                })?;
                overrides.insert(name, (path, Bytes::new(data)));
            }
        }
        Ok(Self { overrides })
    }

    /// The bytes of a template file, by name.
    pub fn file(&self, name: &str) -> Option<Bytes> {
        if let Some((_, data)) = self.overrides.get(name) {
            return Some(data.clone());
        }
        TEMPLATE_FILES.iter().find(|(n, _)| *n == name).map(|(_, text)| Bytes::from_string(*text))
    }

    /// Every template in effect, by name: the shipped ones with overrides
    /// applied, and any extra files the override directory adds.
    pub fn files(&self) -> Vec<(String, Bytes)> {
        let mut names: BTreeSet<String> =
            TEMPLATE_FILES.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(self.overrides.keys().cloned());
        names.into_iter().filter_map(|n| self.file(&n).map(|b| (n, b))).collect()
    }

    /// A hash of every template in effect.
    pub fn fingerprint(&self) -> u128 {
        let files: Vec<(String, Vec<u8>)> =
            self.files().into_iter().map(|(n, b)| (n, b.as_slice().to_vec())).collect();
        typst::utils::hash128(&files)
    }

    /// The path to show for a file of the world: a template's as
    /// [`Templates::shown`] gives it, any other's as its virtual path.
    pub fn shown_for(&self, id: FileId) -> PathBuf {
        let path = id.vpath().get_with_slash();
        match template_name(id) {
            Some(name) => self.shown(&name),
            None => PathBuf::from(path.trim_start_matches('/')),
        }
    }

    /// A template's text as Typst parses it, for a file id of the world
    /// that names one.
    pub fn source_for(&self, id: FileId) -> Option<Source> {
        let text = self.file(&template_name(id)?)?;
        Some(Source::new(id, String::from_utf8_lossy(&text).into_owned()))
    }

    /// The path to show for a template in diagnostics.
    pub fn shown(&self, name: &str) -> PathBuf {
        match self.overrides.get(name) {
            Some((path, _)) => path.clone(),
            None => Path::new("templates").join(name),
        }
    }
}

/// Serves the world's files.
struct BriefFiles {
    book: Bytes,
    /// What the laid-out book says of its pages, for `heads.typ`.
    pages: Option<Bytes>,
    templates: Templates,
    corpus: FsRoot,
    /// The corpus directory, as the user gave it (for diagnostics).
    corpus_dir: PathBuf,
    images: BTreeSet<String>,
    brand: BTreeMap<String, Bytes>,
    /// Each brand file's path as the user named it, by virtual path.
    brand_paths: BTreeMap<String, PathBuf>,
}

/// Where a file of the world comes from, as a diagnostic names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A template, at the path shown for it (`templates/NAME.typ`, or the
    /// file of a `--templates` directory).
    Template(PathBuf),
    /// A file of the user's the world serves as it is (a corpus image, the
    /// logo, the `.csl` file), at its path: offsets in it are the file's.
    User(PathBuf),
    /// The composed book (`brief.json`), or a file the world does not
    /// serve.
    Other(PathBuf),
}

impl FileLoader for BriefFiles {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        let VirtualRoot::Project = id.root() else {
            return Err(FileError::Other(Some("packages are not available in brief".into())));
        };
        let path = id.vpath().get_with_slash();
        let not_found = || FileError::NotFound(PathBuf::from(path));
        if path == BOOK_JSON {
            return Ok(self.book.clone());
        }
        if path == PAGES_JSON
            && let Some(pages) = &self.pages
        {
            return Ok(pages.clone());
        }
        if let Some(data) = self.brand.get(path) {
            return Ok(data.clone());
        }
        if let Some(name) = template_name(id) {
            return self.templates.file(&name).ok_or_else(not_found);
        }
        if let Some(relative) = path.strip_prefix(CORPUS).and_then(|p| p.strip_prefix('/'))
            && self.images.contains(relative)
        {
            return self.corpus.load(&VirtualPath::new(relative).map_err(|_| not_found())?);
        }
        Err(not_found())
    }
}

/// The world one book is compiled in.
pub struct BriefWorld {
    library: Arc<LazyHash<Library>>,
    fonts: Arc<FontStore>,
    files: FileStore<BriefFiles>,
    main: FileId,
    time: Time,
    /// The book being set (its identifier), for diagnostics.
    ident: String,
}

impl BriefWorld {
    /// A world serving `book` (the composed JSON) and what `options` name:
    /// the templates, the listed corpus images (relative to the corpus
    /// directory), the brand's files and the fonts, dated `as_of`.
    pub fn new(book: Vec<u8>, options: &RenderOptions) -> Self {
        Self::with_main(book, options, MAIN)
    }

    /// [`BriefWorld::new`], compiling the template `main` rather than
    /// `main.typ` (a numbered copy's mark is `copymark.typ`).
    pub fn with_main(book: Vec<u8>, options: &RenderOptions, main: &str) -> Self {
        Self::serving(Bytes::new(book), None, options, main)
    }

    /// The world `heads.typ` is compiled in: [`BriefWorld::new`]'s, and
    /// what the laid-out book says of its pages (`pages`).
    pub fn for_heads(book: Bytes, pages: Vec<u8>, options: &RenderOptions) -> Self {
        Self::serving(book, Some(pages), options, HEADS)
    }

    fn serving(book: Bytes, pages: Option<Vec<u8>>, options: &RenderOptions, main: &str) -> Self {
        let files = BriefFiles {
            book,
            pages: pages.map(Bytes::new),
            templates: options.templates.clone(),
            corpus: FsRoot::new(options.corpus_dir.clone()),
            corpus_dir: options.corpus_dir.clone(),
            images: options.images.iter().map(|p| crate::corpus::slash_path(p)).collect(),
            brand: options
                .brand
                .iter()
                .map(|(k, v)| (k.clone(), Bytes::new(v.bytes.clone())))
                .collect(),
            brand_paths: options.brand.iter().map(|(k, v)| (k.clone(), v.path.clone())).collect(),
        };
        Self {
            library: library(),
            fonts: options.fonts.store(),
            files: FileStore::new(files),
            main: template_id(main),
            time: Time::fixed(typst_date(options.as_of)).expect("a date"),
            ident: options.ident.clone(),
        }
    }

    /// The file a diagnostic's id refers to, as the user should see it, and
    /// its text.
    pub fn display_path(&self, id: FileId) -> (PathBuf, Option<Source>) {
        (self.files.loader().templates.shown_for(id), self.files.source(id).ok())
    }

    /// Where the file `id` comes from: a template, or a file of the user's.
    pub fn origin(&self, id: FileId) -> Origin {
        let loader = self.files.loader();
        let path = id.vpath().get_with_slash();
        if template_name(id).is_some() {
            return Origin::Template(loader.templates.shown_for(id));
        }
        if let Some(user) = loader.brand_paths.get(path) {
            return Origin::User(user.clone());
        }
        match path.strip_prefix(CORPUS).and_then(|p| p.strip_prefix('/')) {
            Some(relative) if loader.images.contains(relative) => {
                Origin::User(loader.corpus_dir.join(relative))
            }
            _ => Origin::Other(loader.templates.shown_for(id)),
        }
    }

    /// Every file of the user's the world serves: its virtual path as
    /// Typst's messages write it (`corpus/maps/a.pdf`, no leading slash)
    /// and the user's path for it.
    pub fn user_files(&self) -> Vec<(String, PathBuf)> {
        let loader = self.files.loader();
        let brand = loader.brand_paths.iter().map(|(v, p)| (v.clone(), p.clone()));
        let images = loader
            .images
            .iter()
            .map(|relative| (format!("{CORPUS}/{relative}"), loader.corpus_dir.join(relative)));
        brand.chain(images).map(|(v, p)| (v.trim_start_matches('/').to_string(), p)).collect()
    }

    /// The identifier of the book being set.
    pub fn ident(&self) -> &str {
        &self.ident
    }

    /// The composed book's JSON, as the templates read it.
    pub fn book_json(&self) -> &[u8] {
        self.files.loader().book.as_slice()
    }

    /// The composed book's JSON, shared.
    pub fn book_bytes(&self) -> Bytes {
        self.files.loader().book.clone()
    }
}

/// A calendar date as Typst's.
pub(crate) fn typst_date(date: NaiveDate) -> Datetime {
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).expect("a calendar date")
}

/// The standard library, built once per process.
fn library() -> Arc<LazyHash<Library>> {
    static LIBRARY: OnceLock<Arc<LazyHash<Library>>> = OnceLock::new();
    LIBRARY
        .get_or_init(|| {
            // The templates leave to brief what only the laid-out book
            // knows: links to places in it and folios (placeholders brief
            // points, see `links`), and running heads and feet (`heads`).
            let inputs = [
                ("brief-goto".into(), super::links::PREFIX.into_value()),
                ("brief-page".into(), super::links::PAGE_PREFIX.into_value()),
                ("brief-heads".into(), true.into_value()),
            ]
            .into_iter()
            .collect();
            Arc::new(LazyHash::new(Library::builder().with_inputs(inputs).build()))
        })
        .clone()
}

/// The template a file id of the world names, by file name.
fn template_name(id: FileId) -> Option<String> {
    let path = id.vpath().get_with_slash();
    Some(path.strip_prefix(TEMPLATES)?.strip_prefix('/')?.to_string())
}

/// The id of a template file.
fn template_id(name: &str) -> FileId {
    let path = VirtualPath::new(format!("{TEMPLATES}/{name}")).expect("a valid template path");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        self.time.today(offset)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use typst::syntax::package::PackageSpec;

    use super::*;

    fn id(path: &str) -> FileId {
        RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).unwrap()).intern()
    }

    #[test]
    fn serves_only_the_book_the_templates_and_listed_images() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("maps")).unwrap();
        std::fs::write(dir.path().join("maps/a.png"), b"a").unwrap();
        std::fs::write(dir.path().join("b.png"), b"b").unwrap();
        let images = BTreeSet::from([PathBuf::from("maps/a.png")]);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let options = RenderOptions {
            templates: Templates::default(),
            corpus_dir: dir.path().to_path_buf(),
            images,
            as_of: today,
            ident: "test".into(),
            standard: None,
            brand: BTreeMap::new(),
            fonts: crate::render::fonts::Fonts::shipped(),
        };
        let world = BriefWorld::new(b"{}".to_vec(), &options);
        assert_eq!(world.file(id(BOOK_JSON)).unwrap().as_slice(), b"{}");
        assert!(world.source(id("/templates/main.typ")).is_ok());
        assert_eq!(world.file(id("/corpus/maps/a.png")).unwrap().as_slice(), b"a");
        for refused in ["/corpus/b.png", "/etc/passwd", "/corpus/../b.png", "/data/b.png"] {
            assert!(world.file(id(refused)).is_err(), "{refused} was served");
        }
        let package = PackageSpec::from_str("@preview/example:0.1.0").unwrap();
        let in_package =
            RootedPath::new(VirtualRoot::Package(package), VirtualPath::new("/lib.typ").unwrap())
                .intern();
        assert!(world.file(in_package).is_err());
        assert_eq!(world.today(None), Datetime::from_ymd(2026, 11, 23));
    }

    #[test]
    fn the_template_table_lists_every_file_in_templates() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".typ"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = TEMPLATE_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed);
    }
}
