//! `brief build`: how a book is made. The corpus is loaded and checked
//! once; each book is selected, composed, rendered in memory and only then
//! written, books in parallel (rayon). A book that fails is reported and
//! the others are still made.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::report::{self, Outcome, Timings};
use crate::compose::{self, BookView};
use crate::corpus::Loaded;
use crate::error::{Error, Result};
use crate::plan::{Book, Request};
use crate::render::{self, RenderOptions, Rendered, Templates};
use crate::select::{self, Query};
use crate::{edition, output};

/// A book made in memory, not yet written.
#[derive(Debug)]
pub struct Artifact {
    /// Where it should go.
    pub path: PathBuf,
    /// The composed book.
    pub book: BookView,
    /// The PDF.
    pub rendered: Rendered,
    /// The hash of everything the PDF was made from.
    pub inputs: u128,
}

/// What making one book gave.
#[derive(Debug)]
pub enum Made {
    /// `--if-changed` found the PDF at this path current: nothing rendered.
    Current(PathBuf),
    /// A new PDF, to be written.
    Rendered(Box<Artifact>),
}

/// Runs the pipeline for the request's first book up to the PDF bytes,
/// writing nothing (the tests' entry point; `--if-changed` is ignored).
pub fn make(request: &Request) -> Result<Artifact> {
    let loaded = super::load_checked(&request.data, request.format)?;
    let book = request.books.first().ok_or_else(|| Error::Usage("no book to build".into()))?;
    let request = Request { if_changed: false, ..request.clone() };
    match make_book(&request, &loaded, book, &mut Timings::default())? {
        Made::Rendered(artifact) => Ok(*artifact),
        Made::Current(_) => unreachable!("--if-changed is off"),
    }
}

/// Makes one book in memory: select, compose, render.
fn make_book(
    request: &Request,
    loaded: &Loaded,
    book: &Book,
    timings: &mut Timings,
) -> Result<Made> {
    if !book.problems.is_empty() {
        return Err(Error::Project(book.problems.clone(), request.project_files.clone()));
    }
    let corpus = &loaded.corpus;
    let themes =
        select::resolve_themes(corpus, &book.themes).map_err(|unknown| match book.name() {
            None => Error::UnknownTheme(unknown),
            Some(_) => {
                let at = book.themes_at.clone();
                let d = unknown.diagnostic(&crate::project::path_for(&request.data), at);
                Error::Project(vec![d], request.project_files.clone())
            }
        })?;
    let path = book.out_path(&request.data, &themes);
    let ident = book.slug(&themes);

    let start = Instant::now();
    if let Some(id) = &book.meeting {
        select::resolve_meeting(corpus, id).map_err(|unknown| match book.name() {
            None => Error::UnknownMeeting(unknown),
            Some(_) => {
                let at = book.themes_at.clone();
                let d = unknown.diagnostic(&crate::project::path_for(&request.data), at);
                Error::Project(vec![d], request.project_files.clone())
            }
        })?;
    }
    let query = Query { themes, range: book.range, meeting: book.meeting.clone() };
    let selection = select::select(corpus, query);
    timings.select = start.elapsed();

    let start = Instant::now();
    let (brand, style) = brand_files(&request.data, &book.settings)?;
    let mut view = compose::compose(&selection, &book.settings, request.as_of);
    if let Some(style) = style {
        view.style = style;
    }
    let json = render::book_json(&view);
    timings.compose = start.elapsed();

    let templates = match &book.settings.templates {
        Some(dir) => Templates::with_overrides(dir).map_err(|source| {
            // Say what is wrong rather than the system's "Not a directory".
            let source = if dir.is_file() {
                std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "is a file: templates are read from a directory of `.typ` files",
                )
            } else {
                source
            };
            Error::Io { path: dir.clone(), source }
        })?,
        None => Templates::default(),
    };
    let options = RenderOptions {
        templates,
        corpus_dir: request.data.clone(),
        images: loaded.images.clone(),
        as_of: request.as_of,
        ident,
        standard: book.settings.pdf_standard,
        brand,
    };
    let inputs = edition::inputs_hash(&json, &options);
    if request.if_changed && edition::is_current(&path, inputs) {
        return Ok(Made::Current(path));
    }
    if let Some(dir) = &request.emit_typ {
        let dir = match book.name() {
            Some(name) if request.books.len() > 1 => dir.join(name),
            _ => dir.clone(),
        };
        render::emit_typ(&dir, &json, &options)?;
    }
    let rendered = render::render_json(json, &options)?;
    timings.compile = rendered.compile;
    timings.export = rendered.export;
    crate::diag::emit(&rendered.files, &rendered.warnings, request.format);
    Ok(Made::Rendered(Box::new(Artifact { path, book: view, rendered, inputs })))
}

/// Files served beside the book, by virtual path.
type BrandFiles = std::collections::BTreeMap<String, Vec<u8>>;

/// The brand's files: the logo, read only if it lies inside the project
/// directory (symlinks resolved) and Typst can decode it; and the book's
/// own `.csl` file, under the same rule, if it is a style Typst can use.
/// With a `.csl` file, also gives the style's view (a named style's is
/// made when composing).
pub(crate) fn brand_files(
    data: &std::path::Path,
    settings: &crate::settings::BookSettings,
) -> Result<(BrandFiles, Option<compose::StyleView>)> {
    let mut files = std::collections::BTreeMap::new();
    let mut view = None;
    if let Some(csl) = settings.csl.as_deref().filter(|c| crate::settings::csl_is_file(c)) {
        let path = PathBuf::from(csl);
        let bytes = project_file(data, &path, "csl")?;
        let style = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                hayagriva::citationberg::IndependentStyle::from_xml(text).map_err(|e| e.to_string())
            })
            .map_err(|why| {
                Error::Usage(format!(
                    "csl {}: not a CSL style brief can use (an independent style, as CSL 1.0.2 defines): {why}",
                    path.display()
                ))
            })?;
        let shown =
            path.file_name().map_or_else(|| csl.to_string(), |n| n.to_string_lossy().into_owned());
        view = Some(compose::StyleView::for_style(compose::CSL_VPATH.into(), &shown, &style, true));
        files.insert(compose::CSL_VPATH.to_string(), bytes);
    }
    let Some(logo) = &settings.logo else { return Ok((files, view)) };
    let bytes = project_file(data, logo, "logo")?;
    crate::render::images::check(&bytes)
        .map_err(|why| Error::Usage(format!("logo {}: cannot be placed: {why}", logo.display())))?;
    files.insert(crate::settings::logo_vpath(logo), bytes);
    Ok((files, view))
}

/// Reads a file the settings name, only if it lies inside the project
/// directory once symlinks are resolved.
fn project_file(data: &std::path::Path, path: &std::path::Path, what: &str) -> Result<Vec<u8>> {
    let project = crate::project::project_dir(data);
    let project = if project.as_os_str().is_empty() { std::path::Path::new(".") } else { project };
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let (real, root) = (path.canonicalize().map_err(io)?, project.canonicalize().map_err(io)?);
    if !real.starts_with(&root) {
        return Err(Error::Usage(format!(
            "{what} {}: lies outside the project directory: brief reads nothing outside it",
            path.display()
        )));
    }
    std::fs::read(&real).map_err(io)
}

/// Makes and writes every book of the request, in parallel where that
/// helps. Prints each path written on stdout and one progress line per
/// book on stderr (unless quiet).
pub fn build(request: &Request) -> Result<()> {
    let start = Instant::now();
    let loaded = super::load_checked(&request.data, request.format)?;
    let load = start.elapsed();
    let total = request.books.len();

    let one = |index: usize, book: &Book| -> Result<()> {
        let started = Instant::now();
        let mut timings = Timings { load, ..Timings::default() };
        let made = make_book(request, &loaded, book, &mut timings).and_then(|made| match made {
            Made::Current(path) => Ok(Outcome::Unchanged(path)),
            Made::Rendered(artifact) => {
                let write = Instant::now();
                output::write_atomic(&artifact.path, &artifact.rendered.pdf)?;
                edition::record_inputs(&artifact.path, artifact.inputs, &artifact.rendered.pdf)?;
                timings.write = write.elapsed();
                if !request.json {
                    report::out(artifact.path.display());
                }
                Ok(Outcome::Written(artifact.path, artifact.rendered.pages()))
            }
        });
        if request.json {
            report::out(report::json_line(book.name(), made.as_ref(), started.elapsed()));
        }
        let outcome = made?;
        if !request.quiet {
            report::progress(index, total, book.name(), &outcome, started.elapsed());
        }
        if request.timings {
            report::timings(book.name(), &timings);
        }
        Ok(())
    };

    if total == 1 {
        return one(0, &request.books[0]);
    }
    // Books share the corpus and fonts; Typst's memoised work (comemo) is
    // shared across threads too.
    let failures: Vec<u8> = request
        .books
        .par_iter()
        .enumerate()
        .filter_map(|(index, book)| {
            let error = one(index, book).err()?;
            eprintln!("brief: {}: failed", book.name().filter(|n| !n.is_empty()).unwrap_or("book"));
            report::error(&error, request.format);
            Some(error.exit_code())
        })
        .collect();
    match failures.iter().max() {
        None => Ok(()),
        Some(&code) => Err(Error::Books { failed: failures.len(), total, code }),
    }
}
