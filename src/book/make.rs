//! How one book is made, in memory: resolve → select → edition → compose
//! → render. Nothing is printed and nothing is written here except what
//! `--emit-typ` asks for; the caller reports the stages and writes the
//! result ([`super::write`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::plan::ProjectFile;
use super::plan::{Book, Request};
use super::resolve::Resolved;
use super::{Session, assets, provenance};
use crate::compose::{self, BookView};
use crate::edition;
use crate::error::{Error, Result};
use crate::render::{self, RenderOptions, Rendered, Templates};
use crate::select;

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
    /// The edition record, for a book that has editions.
    pub record: Option<edition::Record>,
    /// What it was rendered with (numbered copies are marked with it).
    pub options: RenderOptions,
    /// Why an earlier edition found beside the book was set aside (the
    /// book then starts again at edition 1).
    pub warnings: Vec<String>,
    /// How long its stages took (those of making it: select, compose,
    /// compile and export).
    pub timings: Timings,
    /// For numbered copies: the recipients, as the book's audience may see
    /// them.
    pub recipients: Option<Vec<String>>,
}

/// How long each stage of one book took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Loading and validating the corpus (shared by all books of a run).
    pub load: Duration,
    /// Selecting.
    pub select: Duration,
    /// Composing, including serialising the book to JSON.
    pub compose: Duration,
    /// Typst's compilation (layout).
    pub compile: Duration,
    /// PDF export.
    pub export: Duration,
    /// Writing the file.
    pub write: Duration,
    /// The whole book, from loading to written (zero when not measured).
    pub total: Duration,
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "load {:.1} ms, select {:.1} ms, compose {:.1} ms, compile {:.1} ms, export {:.1} ms, write {:.1} ms",
            ms(self.load),
            ms(self.select),
            ms(self.compose),
            ms(self.compile),
            ms(self.export),
            ms(self.write)
        )?;
        // What no stage accounts for: building the world, hashing the
        // inputs, printing warnings, freeing the last document.
        let stages =
            self.load + self.select + self.compose + self.compile + self.export + self.write;
        if let Some(other) = self.total.checked_sub(stages) {
            write!(f, ", other {:.1} ms", ms(other))?;
        }
        Ok(())
    }
}

/// What making one book gave.
#[derive(Debug)]
pub enum Made {
    /// `--if-changed` found the PDF at this path current: nothing rendered.
    Current(PathBuf),
    /// A new PDF, to be written.
    Rendered(Box<Artifact>),
}

/// Makes one book of `request` in memory. `stage` is told each stage as it
/// starts (`selecting`, `composing`, then render's own).
pub fn make(
    session: &Session,
    request: &Request,
    book: &Book,
    stage: &dyn Fn(&'static str),
) -> Result<Made> {
    let project = ProjectFile { path: &session.project, files: &request.project_files };
    let Resolved { query, ident, path } = book.resolve(session.corpus(), &request.data, project)?;
    refuse_inputs(session, request, book, &path)?;
    stage("selecting");
    let start = Instant::now();
    let visible = session.corpus().visible_to(query.audience);
    if let Some(id) = query.meeting.as_deref().filter(|id| visible.corpus.meeting(id).is_none()) {
        let level = &session.corpus().levels[query.audience.unwrap_or_default()].id;
        let why = format!(
            "the meeting `{id}` is above the audience `{level}`: its book cannot be made for it"
        );
        return Err(Error::Usage(why));
    }
    // Whom numbered copies are for: only those the audience may see.
    let recipients = match &request.copies_for {
        Some(who) => Some(super::copies::recipients(who, &visible.corpus, book)?),
        None => None,
    };
    let selection = select::select(&visible, query);
    let select = start.elapsed();

    let previous = match has_editions(request, book) {
        true => {
            Some(edition::previous(request.since.as_deref(), &path, &ident, audience(&selection))?)
        }
        false => None,
    };
    let date = request.as_of.format("%Y-%m-%d").to_string();
    let record = previous.as_ref().map(|p| {
        let numbers = edition::Numbers::assign(p.last(), compose::finding_order(&selection));
        edition::of_selection(&selection, &ident, p, &date, &numbers)
    });
    stage("composing");
    let start = Instant::now();
    let brand = assets::read(&request.data, book, project)?;
    let mut view =
        compose::compose_edition(&selection, &book.settings, request.as_of, record.as_ref());
    if let Some((shown, style)) = &brand.style {
        view.style = compose::StyleView::for_style(compose::CSL_VPATH.into(), shown, style, true);
    }
    let json = render::book_json(&view);
    let compose = start.elapsed();

    let options = RenderOptions {
        templates: templates(book)?,
        corpus_dir: request.data.clone(),
        images: session.loaded.images.clone(),
        as_of: request.as_of,
        ident,
        standard: book.settings.pdf_standard,
        brand: brand.files,
        fonts: session.fonts(book).clone(),
    };
    let inputs = provenance::inputs_hash(&json, &options);
    // Copies are always made: the recipients are not among the inputs.
    if request.if_changed && request.copies_for.is_none() && provenance::is_current(&path, inputs) {
        return Ok(Made::Current(path));
    }
    if let Some(dir) = &request.emit_typ {
        let dir = match book.name() {
            Some(name) if request.books.len() > 1 => dir.join(name),
            _ => dir.clone(),
        };
        session.refuse_folder_of_inputs(&dir, "--emit-typ")?;
        render::emit_typ(&dir, &json, &options)?;
    }
    let rendered = render::render_staged(json, &options, stage)?;
    let warnings = previous.map(|p| p.warnings).unwrap_or_default();
    let (compile, export) = (rendered.compile, rendered.export);
    let timings = Timings { select, compose, compile, export, ..Timings::default() };
    let artifact = Artifact {
        path,
        book: view,
        rendered,
        inputs,
        record,
        options,
        warnings,
        timings,
        recipients,
    };
    Ok(Made::Rendered(Box::new(artifact)))
}

/// Refuses a book whose outputs would write over a file it is made from:
/// the PDF, its edition record and stamp, the copies' folder.
fn refuse_inputs(session: &Session, request: &Request, book: &Book, path: &Path) -> Result<()> {
    session.refuse_input(path, "the book")?;
    let audience = book.settings.audience.as_deref();
    session.refuse_input(&edition::store::path(path, audience), "the edition record")?;
    session.refuse_input(&provenance::record_path(path), "the book's stamp")?;
    if request.copies_for.is_some() {
        session.refuse_folder_of_inputs(&path.with_extension(""), "the copies' folder")?;
    }
    Ok(())
}

/// Whether a book has editions: a standing or meeting book, or any book
/// given `--since`.
fn has_editions(request: &Request, book: &Book) -> bool {
    book.name().is_some() || book.scope.meeting().is_some() || request.since.is_some()
}

/// The audience's level id, if the selection was made for one.
fn audience<'c>(selection: &select::Selection<'c>) -> Option<&'c str> {
    let levels = &selection.corpus.levels;
    selection.query.audience.map(|rank| levels[rank].id.as_str())
}

/// The templates a book is set with: the shipped ones, with a directory's
/// `.typ` files in place of those of the same name.
pub fn templates(book: &Book) -> Result<Templates> {
    let Some(dir) = &book.settings.templates else { return Ok(Templates::default()) };
    Templates::with_overrides(dir).map_err(|source| {
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
    })
}
