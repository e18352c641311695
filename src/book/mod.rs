//! How a book is made: the driver below the commands, as mdBook's
//! `mdbook-driver` is below its `cmd/` and typst-cli's `compile_once`
//! serves both `compile` and `watch`. No printing and no clap here: the
//! commands print, parallelise and choose exit codes.
//!
//! - [`plan`]: what a run makes (the request and its books);
//! - [`Session`]: what a run loads once and a watch reloads: the checked
//!   corpus and the fonts of its books;
//! - [`Book::resolve`](plan::Book::resolve): a book against the corpus;
//! - [`make`](make::make): resolve → select → edition → compose → render;
//! - [`Artifact::write`](make::Artifact::write): the PDF or its copies,
//!   the edition record, the `--if-changed` stamp, in one order;
//! - [`inputs`]: the one list of files a book depends on, which `watch`
//!   follows and [`provenance`] hashes the contents of.

pub mod assets;
pub mod copies;
mod inputs;
pub mod make;
pub mod memory;
pub mod plan;
pub mod provenance;
pub mod resolve;
pub mod standing;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use inputs::{Stamp, inputs, stamp};
pub use make::{Artifact, Made, make};
pub use memory::Memory;
pub use write::Keep;

use crate::corpus::{self, Corpus, Loaded};
use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::render::fonts::Fonts;
use plan::{Book, Request};

/// What the books of a run are made from, loaded once: the checked corpus
/// and each book's fonts.
pub struct Session {
    /// The corpus, checked: it has no errors.
    pub loaded: Loaded,
    /// brief.toml's path (whether or not there is one).
    pub project: PathBuf,
    /// The fonts of each book, by its font directory: each directory is
    /// read once however many books name it.
    fonts: BTreeMap<Option<PathBuf>, Fonts>,
    /// The corpus's warnings, for the caller to print.
    pub warnings: Vec<Diagnostic>,
    /// Every file and folder the books are made from, resolved: none of
    /// them is ever written over.
    inputs: std::collections::BTreeSet<PathBuf>,
}

impl Session {
    /// Loads the corpus at `data` for `books`, reusing what `parses` holds,
    /// with the problems only the renderer can see (glyphs none of the
    /// books' fonts has, undecodable images). A corpus with errors is an
    /// [`Error::Corpus`] holding its warnings, then its errors.
    pub fn open(data: &Path, books: &[Book], parses: &corpus::Parses) -> Result<Session> {
        let mut fonts = BTreeMap::new();
        for dir in books.iter().map(|b| &b.settings.font_path) {
            if !fonts.contains_key(dir) {
                fonts.insert(dir.clone(), Fonts::with_dirs(dir.as_slice())?);
            }
        }
        let all: Vec<Fonts> = fonts.values().cloned().collect();
        let loaded = load(data, &all, parses)?;
        let (errors, warnings): (Vec<_>, Vec<_>) =
            loaded.diagnostics.iter().cloned().partition(|d| d.severity == Severity::Error);
        if !errors.is_empty() {
            let all = warnings.into_iter().chain(errors).collect();
            return Err(Error::Corpus(all, loaded.files));
        }
        let project = crate::project::path_for(data);
        // What is read: the corpus files and images, brief.toml, and what
        // the books' settings name (not the rest of the corpus folder,
        // which may hold the books themselves, as with `--data .`).
        let read = loaded.files.iter().map(|(path, _)| path.to_path_buf());
        let read = read.chain(loaded.images.iter().map(|image| data.join(image)));
        let read = read.chain([project.clone()]);
        let read = read.chain(books.iter().flat_map(|b| inputs::named(&b.settings)));
        let inputs = read.filter_map(|p| p.canonicalize().ok()).collect();
        Ok(Session { loaded, project, fonts, warnings, inputs })
    }

    /// Refuses to write `path` (`what` names it) if it is one of the files
    /// the books are made from: an output pointed at the corpus, brief.toml
    /// or a template would destroy it.
    pub fn refuse_input(&self, path: &Path, what: &str) -> Result<()> {
        refuse_among(&self.inputs, path, what)
    }

    /// Refuses to write `path` (`what` names it) if it is where one of the
    /// request's books goes.
    pub fn refuse_book_file(&self, request: &Request, path: &Path, what: &str) -> Result<()> {
        let project = plan::ProjectFile { path: &self.project, files: &request.project_files };
        let target = resolved(path);
        for book in &request.books {
            let Ok(made) = book.resolve(self.corpus(), &request.data, project) else { continue };
            if resolved(&made.path) == target {
                let why = format!("{what} {}: is where a book goes", path.display());
                return Err(Error::Usage(why));
            }
        }
        Ok(())
    }

    /// Refuses to write into the folder `dir` (`what` names it) if it holds
    /// any file the books are made from.
    pub fn refuse_folder_of_inputs(&self, dir: &Path, what: &str) -> Result<()> {
        let dir = resolved(dir);
        match self.inputs.iter().find(|input| input.starts_with(&dir)) {
            Some(input) => Err(Error::Usage(format!(
                "{what} {}: holds {}, which the book is made from; brief never writes over it",
                dir.display(),
                input.display()
            ))),
            None => Ok(()),
        }
    }

    /// The corpus.
    pub fn corpus(&self) -> &Corpus {
        &self.loaded.corpus
    }

    /// The fonts `book` is set in.
    pub fn fonts(&self, book: &Book) -> &Fonts {
        &self.fonts[&book.settings.font_path]
    }
}

/// Loads the corpus at `data`, reusing what `parses` holds, with the
/// problems only the renderer can see: glyphs none of `fonts` has (the
/// shipped fonts when empty), images Typst cannot decode.
pub fn load(data: &Path, fonts: &[Fonts], parses: &corpus::Parses) -> Result<Loaded> {
    // brief.toml's `[corpus] obsidian`, if it says; its other problems
    // are reported where brief.toml is read.
    let obsidian = crate::project::load(data).ok().flatten().and_then(|p| p.obsidian);
    let mut loaded = corpus::load_as(data, parses, obsidian)?;
    let problems = crate::render::preflight::check(data, &loaded, fonts);
    loaded.diagnostics.extend(problems);
    Ok(loaded)
}

/// Refuses to write `path` (`what` names it) if it is one of `inputs`.
fn refuse_among<'a>(
    inputs: impl IntoIterator<Item = &'a PathBuf>,
    path: &Path,
    what: &str,
) -> Result<()> {
    let target = resolved(path);
    match inputs.into_iter().any(|input| resolved(input) == target) {
        true => Err(Error::Usage(format!(
            "{what} {}: is a file the book is made from; brief never writes over one",
            path.display()
        ))),
        false => Ok(()),
    }
}

/// `path` with its symlinks and `..` resolved as far as it exists, and
/// what does not exist yet (a file not yet written, the folders it will
/// be written in) appended: absolute, so that two names of one place
/// compare equal.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut here = path;
    loop {
        let base = if here.as_os_str().is_empty() { Path::new(".") } else { here };
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (here.parent(), here.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                here = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// What a loaded corpus holds, counted: "12 findings (2 image files
/// beside them), 3 themes, …". Every file under findings/ is a finding, a
/// reported problem, or an image beside the findings: the count says how
/// many of those were left alone.
pub fn census(loaded: &Loaded) -> String {
    use crate::diag::count;
    let c = &loaded.corpus;
    let assets = match loaded.assets {
        0 => String::new(),
        n => format!(" ({} beside them)", count(n, "image file", "image files")),
    };
    format!(
        "{}{assets}, {}, {}, {}, {}, {}",
        count(c.findings.len(), "finding", "findings"),
        count(c.themes.len(), "theme", "themes"),
        count(c.sources.len(), "source", "sources"),
        count(c.events.len(), "event", "events"),
        count(c.issues.len(), "issue", "issues"),
        count(c.participants.len(), "participant", "participants")
    )
}

/// Makes the request's first book in memory, writing nothing and ignoring
/// `--if-changed`: the tests' entry point.
pub fn make_first(request: &Request) -> Result<Artifact> {
    let book = request.books.first().ok_or_else(|| Error::Usage("no book to build".into()))?;
    let session = Session::open(&request.data, std::slice::from_ref(book), &Default::default())?;
    let request = Request { if_changed: false, ..request.clone() };
    match make(&session, &request, book, &|_| {})? {
        Made::Rendered(artifact) => Ok(*artifact),
        Made::Current(_) => unreachable!("--if-changed is off"),
    }
}
