//! How one book is made, in memory: resolve → select → edition → compose
//! → render. Nothing is printed and nothing is written here except what
//! `--emit-typ` asks for; the caller reports the stages and writes the
//! result ([`super::write`]).

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::copies::Recipient;
use super::plan::ProjectFile;
use super::plan::{Book, Request};
use super::resolve::Resolved;
use super::{Session, assets, provenance};
use crate::compose::{self, BookView};
use crate::corpus::Corpus;
use crate::edition;
use crate::error::{Error, Result};
use crate::render::{self, RenderOptions, Rendered, Templates};
use crate::select;

/// A book made in memory, not yet written.
#[derive(Debug)]
pub struct Artifact {
    /// Where it should go.
    pub path: PathBuf,
    /// Where its edition records and `--if-changed` stamp are kept.
    pub place: edition::store::Place,
    /// The composed book.
    pub book: BookView,
    /// The PDF.
    pub rendered: Rendered,
    /// The rank of the audience it was made for (`None`: everyone).
    pub audience: Option<usize>,
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
    /// them, each with the level their copy is made for.
    pub recipients: Option<Vec<Recipient>>,
    /// For numbered copies some recipients of which have a level of their
    /// own below the book's audience: the book made for each such level,
    /// lowest first.
    pub levels: Vec<Levelled>,
}

/// A book made again for a level below its audience, for the numbered
/// copies of the recipients given that level: what `--audience` makes.
#[derive(Debug)]
pub struct Levelled {
    /// The level's rank.
    pub audience: usize,
    /// The PDF, made with the book's own options.
    pub rendered: Rendered,
    /// Its edition record (that audience's), for a book that has editions.
    pub record: Option<edition::Record>,
    /// Why an earlier edition for that level was set aside.
    pub warnings: Vec<String>,
    /// How long its stages took.
    pub timings: Timings,
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

impl Timings {
    /// These timings and `other`'s, stage by stage.
    fn and(self, other: &Timings) -> Timings {
        Timings {
            load: self.load + other.load,
            select: self.select + other.select,
            compose: self.compose + other.compose,
            compile: self.compile + other.compile,
            export: self.export + other.export,
            write: self.write + other.write,
            total: self.total + other.total,
        }
    }
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
    let place = request.place(book, &path);
    refuse_inputs(session, book, &place)?;
    stage("selecting");
    let start = Instant::now();
    let visible = session.corpus().visible_to(query.audience);
    refuse_meeting(session.corpus(), &visible, &query)?;
    // Whom numbered copies are for: only those the audience may see.
    let recipients = match &book.settings.copies_for {
        Some(who) => Some(super::copies::recipients(who, &visible.corpus, book, query.audience)?),
        None => None,
    };
    let levels = lower_levels(recipients.as_deref(), query.audience);
    for &rank in &levels {
        let level = session.corpus().levels[rank].id.as_str();
        session.refuse_input(&place.record(Some(level)), "the edition record")?;
    }
    let selection = select::select(&visible, query.clone());
    let select = start.elapsed();

    stage("composing");
    let start = Instant::now();
    let brand = assets::read(&request.data, book, project)?;
    assets::check_fonts(book, session.fonts(book), project)?;
    let options = RenderOptions {
        templates: templates(book)?,
        corpus_dir: request.data.clone(),
        images: session.loaded.images.clone(),
        as_of: request.as_of,
        ident: ident.clone(),
        standard: book.settings.pdf_standard,
        brand: brand.files.clone(),
        fonts: session.fonts(book).clone(),
    };
    let Composed { view, json, record, mut warnings } =
        composed((request, book, &brand), &selection, &ident, &place)?;
    let compose = start.elapsed();

    let inputs = provenance::inputs_hash(&json, &options);
    // Copies are always made: the recipients are not among the inputs.
    if request.if_changed
        && book.settings.copies_for.is_none()
        && provenance::is_current(&place, inputs)
    {
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
    let (compile, export) = (rendered.compile, rendered.export);
    let mut timings = Timings { select, compose, compile, export, ..Timings::default() };
    let mut artifact = Artifact {
        path,
        place,
        book: view,
        rendered,
        audience: query.audience,
        inputs,
        record,
        options,
        warnings: Vec::new(),
        timings,
        recipients,
        levels: Vec::new(),
    };
    for rank in levels {
        let made = (request, book, &brand);
        let level = lay_out_level(session, made, (&artifact, &query), rank, stage)?;
        warnings.extend(level.warnings.iter().cloned());
        timings = timings.and(&level.timings);
        artifact.levels.push(level);
    }
    artifact.warnings = warnings;
    artifact.timings = timings;
    Ok(Made::Rendered(Box::new(artifact)))
}

/// A selection composed: its edition record (for a book that has
/// editions), its view and the JSON the templates are handed, and why an
/// earlier edition was set aside.
struct Composed {
    view: BookView,
    json: Vec<u8>,
    record: Option<edition::Record>,
    warnings: Vec<String>,
}

/// Composes `selection`, numbered and compared with the edition before it
/// for the selection's own audience (`--audience`'s way).
fn composed(
    (request, book, brand): (&Request, &Book, &assets::Brand),
    selection: &select::Selection<'_>,
    ident: &str,
    place: &edition::store::Place,
) -> Result<Composed> {
    let previous = match has_editions(request, book) {
        true => {
            Some(edition::previous(request.since.as_deref(), place, ident, audience(selection))?)
        }
        false => None,
    };
    let date = request.as_of.format("%Y-%m-%d").to_string();
    let record = previous.as_ref().map(|p| {
        let numbers = edition::Numbers::assign(p.last(), compose::finding_order(selection));
        edition::of_selection(selection, ident, p, &date, &numbers)
    });
    let csl = brand.style.as_ref().map(|(shown, style)| (shown.as_str(), style));
    let view =
        compose::compose_edition(selection, &book.settings, request.as_of, record.as_ref(), csl);
    let json = render::book_json(&view);
    let warnings = previous.map(|p| p.warnings).unwrap_or_default();
    Ok(Composed { view, json, record, warnings })
}

/// The book laid out again for recipients given a level of their own,
/// `rank`, below its audience: selected from what that level may see,
/// composed, numbered and compared with its last edition as the book made
/// with `--audience` for that level.
fn lay_out_level(
    session: &Session,
    (request, book, brand): (&Request, &Book, &assets::Brand),
    (artifact, query): (&Artifact, &select::Query),
    rank: usize,
    stage: &dyn Fn(&'static str),
) -> Result<Levelled> {
    stage("selecting");
    let start = Instant::now();
    let visible = session.corpus().visible_to(Some(rank));
    refuse_meeting(session.corpus(), &visible, query)?;
    let selection = select::select(&visible, query.clone());
    let select = start.elapsed();
    stage("composing");
    let start = Instant::now();
    let (ident, place) = (&artifact.options.ident, &artifact.place);
    let composed = composed((request, book, brand), &selection, ident, place)?;
    let compose = start.elapsed();
    let rendered = render::render_staged(composed.json, &artifact.options, stage)?;
    let (compile, export) = (rendered.compile, rendered.export);
    Ok(Levelled {
        audience: rank,
        rendered,
        record: composed.record,
        warnings: composed.warnings,
        timings: Timings { select, compose, compile, export, ..Timings::default() },
    })
}

/// The levels below the book's `audience` that recipients were given,
/// lowest first, each once.
fn lower_levels(recipients: Option<&[Recipient]>, audience: Option<usize>) -> Vec<usize> {
    let levels: std::collections::BTreeSet<usize> = recipients
        .unwrap_or_default()
        .iter()
        .filter(|r| r.audience != audience)
        .filter_map(|r| r.audience)
        .collect();
    levels.into_iter().collect()
}

/// Refuses a meeting's book for an audience the meeting is above.
fn refuse_meeting(
    corpus: &Corpus,
    visible: &select::Visible<'_>,
    query: &select::Query,
) -> Result<()> {
    let Some(id) = query.meeting.as_deref().filter(|id| visible.corpus.meeting(id).is_none())
    else {
        return Ok(());
    };
    let level = &corpus.levels[visible.audience.unwrap_or_default()].id;
    let why = format!(
        "the meeting `{id}` is above the audience `{level}`: its book cannot be made for it"
    );
    Err(Error::Usage(why))
}

/// Refuses a book whose outputs would write over a file it is made from:
/// the PDF, its edition record and stamp, the copies' folder.
fn refuse_inputs(session: &Session, book: &Book, place: &edition::store::Place) -> Result<()> {
    let path = place.pdf();
    session.refuse_input(path, "the book")?;
    let audience = book.settings.audience.as_deref();
    session.refuse_input(&place.record(audience), "the edition record")?;
    session.refuse_input(&place.stamp(), "the book's stamp")?;
    if book.settings.copies_for.is_some() {
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
