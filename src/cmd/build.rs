//! `brief build`: how a book is made. The corpus is loaded and checked
//! once; each book is selected, composed, rendered in memory and only then
//! written, books in parallel (rayon). A book that fails is reported and
//! the others are still made.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::report::{self, Live, Outcome, Stage, Timings};
pub use super::watch::Memory;
use crate::compose::{self, BookView};
use crate::corpus::Loaded;
use crate::error::{Error, Result};
use crate::plan::{Book, CopiesFor, Request};
use crate::render::fonts::Fonts;
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
    /// The edition record, for a book that has editions.
    pub record: Option<crate::changes::Record>,
    /// What it was rendered with (numbered copies are marked with it).
    pub options: RenderOptions,
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
    let book = request.books.first().ok_or_else(|| Error::Usage("no book to build".into()))?;
    let fonts = Fonts::with_dirs(book.settings.font_path.as_slice())?;
    let one = std::slice::from_ref(&fonts);
    let loaded = super::load_checked(&request.data, request.format, one, &Default::default())?;
    let request = Request { if_changed: false, ..request.clone() };
    match make_book(&request, &loaded, book, &fonts, &Stage::none(), &mut Timings::default())? {
        Made::Rendered(artifact) => Ok(*artifact),
        Made::Current(_) => unreachable!("--if-changed is off"),
    }
}

/// Makes one book in memory: select, compose, render.
fn make_book(
    request: &Request,
    loaded: &Loaded,
    book: &Book,
    fonts: &Fonts,
    stage: &Stage,
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

    stage.set("selecting");
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
    let audience = match &book.settings.audience {
        None => None,
        Some(id) => {
            Some(select::resolve_audience(corpus, id).map_err(|unknown| match book.name() {
                None => Error::Usage(unknown.to_string()),
                Some(_) => {
                    let d = unknown.diagnostic(
                        &crate::project::path_for(&request.data),
                        book.themes_at.clone(),
                    );
                    Error::Project(vec![d], request.project_files.clone())
                }
            })?)
        }
    };
    let query = Query { themes, range: book.range, meeting: book.meeting.clone(), audience };
    let selection = select::select(corpus, query);
    timings.select = start.elapsed();

    let record = edition_of(request, book, &selection, &path, &ident)?;
    stage.set("composing");
    let start = Instant::now();
    let (brand, style) = brand_files(&request.data, &book.settings)?;
    let mut view =
        compose::compose_edition(&selection, &book.settings, request.as_of, record.as_ref());
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
        fonts: fonts.clone(),
    };
    let inputs = edition::inputs_hash(&json, &options);
    // Copies are always made: the recipients are not among the inputs.
    if request.if_changed && request.copies_for.is_none() && edition::is_current(&path, inputs) {
        return Ok(Made::Current(path));
    }
    if let Some(dir) = &request.emit_typ {
        let dir = match book.name() {
            Some(name) if request.books.len() > 1 => dir.join(name),
            _ => dir.clone(),
        };
        render::emit_typ(&dir, &json, &options)?;
    }
    let rendered = render::render_staged(json, &options, &|s| stage.set(s))?;
    timings.compile = rendered.compile;
    timings.export = rendered.export;
    crate::diag::emit(&rendered.files, &rendered.warnings, request.format);
    Ok(Made::Rendered(Box::new(Artifact { path, book: view, rendered, inputs, record, options })))
}

/// The edition a book is at: for a standing or meeting book, or any book
/// given `--since`, the next edition after the one last written at `path`
/// (or after the `--since` PDF's), or the same one if nothing changed;
/// `None` for a one-off book. A previous record found automatically that
/// cannot be read is a warning (the book starts again at edition 1); one
/// named with `--since` is an error.
fn edition_of(
    request: &Request,
    book: &Book,
    selection: &select::Selection,
    path: &std::path::Path,
    ident: &str,
) -> Result<Option<crate::changes::Record>> {
    if book.name().is_none() && book.meeting.is_none() && request.since.is_none() {
        return Ok(None);
    }
    let warn = |why: String| eprintln!("warning: {why}; making edition 1");
    let levels = &selection.corpus.levels;
    let audience = selection.query.audience.map(|rank| levels[rank].id.as_str());
    let previous = match &request.since {
        Some(file) => {
            let bytes =
                std::fs::read(file).map_err(|source| Error::Io { path: file.clone(), source })?;
            let since = |why: String| Error::Usage(format!("--since {}: {why}", file.display()));
            let record = edition::embedded(&bytes).map_err(since)?;
            if record.book != ident {
                return Err(since(format!("is an edition of `{}`, not of `{ident}`", record.book)));
            }
            if record.audience.as_deref() != audience {
                return Err(since(format!(
                    "was made for audience {}, this book is for {}",
                    record.audience.as_deref().unwrap_or("(all levels)"),
                    audience.unwrap_or("(all levels)")
                )));
            }
            Some(record)
        }
        None => edition::previous(path, audience).unwrap_or_else(|why| {
            warn(why);
            None
        }),
    };
    // An edition made for another audience is not compared with: its
    // withdrawn items' titles could be above this one's level.
    let previous = previous.filter(|p| {
        let same = p.audience.as_deref() == audience && p.book == ident;
        if p.book != ident {
            warn(format!("{} holds an edition of `{}`, not of `{ident}`", path.display(), p.book));
        } else if !same {
            warn(format!(
                "the previous edition of {ident} was made for audience {}",
                p.audience.as_deref().unwrap_or("(all levels)")
            ));
        }
        same
    });
    let items = crate::changes::items(selection);
    let date = request.as_of.format("%Y-%m-%d").to_string();
    // What the previous edition held that is now above the audience is
    // counted, never named.
    let corpus = selection.corpus;
    let rank = selection.query.audience.unwrap_or(usize::MAX);
    let above = |f: &crate::corpus::model::Finding| corpus.finding_rank(f) > rank;
    let withheld = |kind: crate::changes::Kind, id: &str| match kind {
        crate::changes::Kind::Finding => corpus.findings.iter().any(|f| f.id == id && above(f)),
        crate::changes::Kind::Event => {
            corpus.events.iter().any(|e| e.id == id && corpus.event_rank(e) > rank)
        }
        crate::changes::Kind::Issue => corpus.issue_withheld(id, &above),
    };
    let record = crate::changes::next(ident, previous.as_ref(), items, &date, audience, &withheld);
    Ok(Some(record))
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

/// The longest recipient's name a copy's mark holds on one line.
const MAX_RECIPIENT: usize = 60;

/// Whom `--copies-for` names: a meeting's attendees (honorific and name,
/// in the order of its list), or the names in a file, one a line.
fn recipients(request: &Request, loaded: &Loaded, book: &Book) -> Result<Vec<String>> {
    let names: Vec<String> = match request.copies_for.as_ref().expect("copies asked for") {
        CopiesFor::Attendees => {
            let meeting = book.meeting.as_deref().and_then(|id| loaded.corpus.meeting(id));
            let meeting = meeting.ok_or_else(|| {
                Error::Usage("--copies-for attendees needs a meeting's book (--meeting ID)".into())
            })?;
            meeting
                .attendees
                .iter()
                .filter_map(|id| loaded.corpus.participant(id))
                .map(crate::corpus::model::Participant::full_name)
                .collect()
        }
        CopiesFor::File(file) => std::fs::read_to_string(file)
            .map_err(|source| Error::Io { path: file.clone(), source })?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    };
    if let Some(long) = names.iter().find(|n| n.chars().count() > MAX_RECIPIENT) {
        return Err(Error::Usage(format!(
            "--copies-for: a recipient's name is longer than {MAX_RECIPIENT} characters (the mark must fit on one line): {long:?}"
        )));
    }
    if let Some(bad) = names.iter().find(|n| n.chars().any(char::is_control)) {
        return Err(Error::Usage(format!(
            "--copies-for: a recipient's name holds a control character: {bad:?}"
        )));
    }
    if names.is_empty() {
        return Err(Error::Usage("--copies-for names no recipient".into()));
    }
    Ok(names)
}

/// Writes one numbered copy per recipient into `out/<book>/` (the book's
/// path without `.pdf`), `copy-01.pdf` …, and `register.csv` (copy,
/// recipient, file, SHA-256); returns the files written, the register
/// last. The edition record goes beside the book's path, as for the book
/// itself.
fn write_copies(
    request: &Request,
    loaded: &Loaded,
    book: &Book,
    artifact: &Artifact,
) -> Result<Vec<PathBuf>> {
    let names = recipients(request, loaded, book)?;
    let total = names.len();
    let marks: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("Copy {} of {total} · {name}", i + 1))
        .collect();
    let pdfs = render::copies::copies(&artifact.rendered, &artifact.options, &marks)?;
    let dir = artifact.path.with_extension("");
    let digits = total.to_string().len().max(2);
    let mut register = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Usage(format!("the copy register: {e}"));
    register.write_record(["copy", "recipient", "file", "sha256"]).map_err(io)?;
    let mut written = Vec::new();
    for (i, (name, pdf)) in names.iter().zip(&pdfs).enumerate() {
        let file = format!("copy-{:0digits$}.pdf", i + 1);
        let path = dir.join(&file);
        output::write_atomic(&path, pdf)?;
        let sha = crate::changes::sha256_hex(pdf);
        // A spreadsheet would run a cell that starts like a formula.
        let cell = match name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            true => format!("'{name}"),
            false => name.clone(),
        };
        register.write_record([&(i + 1).to_string(), &cell, &file, &sha]).map_err(io)?;
        written.push(path);
    }
    // Copies an earlier run made for more recipients are not this run's.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("copy-") && name.ends_with(".pdf") && !written.contains(&path) {
                std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
            }
        }
    }
    let register = register.into_inner().map_err(|e| Error::Usage(e.to_string()))?;
    let register_path = dir.join("register.csv");
    output::write_atomic(&register_path, &register)?;
    written.push(register_path);
    if let Some(record) = artifact.record.as_ref().filter(|_| request.record_editions) {
        edition::write_edition(&artifact.path, record)?;
    }
    Ok(written)
}

/// The fonts of each book, by its font directory: each directory is read
/// once however many books name it.
pub(crate) fn book_fonts(books: &[Book]) -> Result<BTreeMap<Option<PathBuf>, Fonts>> {
    let mut fonts = BTreeMap::new();
    for book in books {
        let dir = &book.settings.font_path;
        if !fonts.contains_key(dir) {
            fonts.insert(dir.clone(), Fonts::with_dirs(dir.as_slice())?);
        }
    }
    Ok(fonts)
}

/// Makes and writes every book of the request, in parallel where that
/// helps. Prints each path written on stdout and one progress line per
/// book on stderr (unless quiet).
pub fn build(request: &Request) -> Result<()> {
    build_remembering(request, None)
}

/// [`build`], for a watch: with `--timings`, each book's line also says
/// what this build redid since the one `memory` remembers.
pub fn build_remembering(request: &Request, memory: Option<&Memory>) -> Result<()> {
    if request.trace.is_some() {
        render::start_trace();
    }
    let result = build_books(request, memory);
    if let Some(path) = &request.trace {
        // The spans point into the templates; books with their own
        // templates are named by the first book's.
        let templates = match request.books.first().and_then(|b| b.settings.templates.as_ref()) {
            Some(dir) => Templates::with_overrides(dir).unwrap_or_default(),
            None => Templates::default(),
        };
        render::write_trace(path, &templates)?;
    }
    result
}

fn build_books(request: &Request, memory: Option<&Memory>) -> Result<()> {
    let start = Instant::now();
    let fonts = book_fonts(&request.books)?;
    let all: Vec<Fonts> = fonts.values().cloned().collect();
    let fresh = crate::corpus::Parses::default();
    let parses = memory.map_or(&fresh, Memory::parses);
    let loaded = super::load_checked(&request.data, request.format, &all, parses)?;
    let load = start.elapsed();
    let reread = memory.filter(|_| request.timings).map(|m| m.corpus(&loaded));
    let total = request.books.len();
    let live = Live::new(total, !request.quiet && !request.json);

    let one = |index: usize, book: &Book| -> Result<()> {
        let started = Instant::now();
        let mut timings = Timings { load, ..Timings::default() };
        let stage = live.book(book.name());
        let fonts = &fonts[&book.settings.font_path];
        let made =
            make_book(request, &loaded, book, fonts, &stage, &mut timings).and_then(|made| {
                match made {
                    Made::Current(path) => Ok(Outcome::Unchanged(path)),
                    Made::Rendered(artifact) if request.copies_for.is_some() => {
                        stage.set("marking copies");
                        let write = Instant::now();
                        let written = write_copies(request, &loaded, book, &artifact)?;
                        timings.write = write.elapsed();
                        if !request.json {
                            live.suspend(|| written.iter().for_each(|p| report::out(p.display())));
                        }
                        Ok(Outcome::Copies(written, artifact.rendered.pages()))
                    }
                    Made::Rendered(artifact) => {
                        if let Some(memory) = memory.filter(|_| request.timings) {
                            let redone = memory.book(&artifact);
                            let reread = reread.as_deref().unwrap_or_default();
                            live.println(&format!("brief: rebuilt: {reread}; {redone}"));
                        }
                        stage.set("writing");
                        let write = Instant::now();
                        output::write_atomic(&artifact.path, &artifact.rendered.pdf)?;
                        if let Some(record) =
                            artifact.record.as_ref().filter(|_| request.record_editions)
                        {
                            edition::write_edition(&artifact.path, record)?;
                        }
                        // A draft (watch) is not recorded as current: the
                        // next build makes the edition and records it.
                        if request.record_editions {
                            edition::record_inputs(
                                &artifact.path,
                                artifact.inputs,
                                &artifact.rendered.pdf,
                            )?;
                        }
                        timings.write = write.elapsed();
                        if !request.json {
                            live.suspend(|| report::out(artifact.path.display()));
                        }
                        Ok(Outcome::Written(artifact.path, artifact.rendered.pages()))
                    }
                }
            });
        drop(stage);
        live.done();
        if request.json {
            report::out(report::json_line(book.name(), made.as_ref(), started.elapsed()));
        }
        let outcome = made?;
        if !request.quiet {
            live.println(&report::progress(index, total, book.name(), &outcome, started.elapsed()));
        }
        if request.timings {
            timings.total = load + started.elapsed();
            live.println(&report::timings(book.name(), &timings));
        }
        Ok(())
    };

    if total == 1 {
        let result = one(0, &request.books[0]);
        live.finish();
        return result;
    }
    // Books share the corpus and fonts; Typst's memoised work (comemo) is
    // shared across threads too.
    let failures: Vec<u8> = request
        .books
        .par_iter()
        .enumerate()
        .filter_map(|(index, book)| {
            let error = one(index, book).err()?;
            live.suspend(|| {
                let name = book.name().filter(|n| !n.is_empty()).unwrap_or("book");
                eprintln!("brief: {name}: failed");
                report::error(&error, request.format);
            });
            Some(error.exit_code())
        })
        .collect();
    live.finish();
    match failures.iter().max() {
        None => Ok(()),
        Some(&code) => Err(Error::Books { failed: failures.len(), total, code }),
    }
}
