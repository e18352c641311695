//! Stage 4, render: a composed book to PDF bytes, with the embedded Typst
//! compiler. Reads only the templates, the images the corpus lists and the
//! shipped fonts (see [`world`]). Writes nothing, except what
//! [`emit_typ`] is asked to write: the caller decides where the bytes go.

pub mod copies;
mod diagnostics;
pub mod fonts;
mod heads;
pub mod images;
mod links;
pub mod preflight;
pub mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use typst::diag::Warned;
use typst::foundations::Smart;
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};

use crate::compose::BookView;
use crate::diag::{Diagnostic, Files};
use crate::error::Error;
use crate::settings::PdfStandard;
use diagnostics::typst_diagnostics;
pub use world::{BriefWorld, Templates};

/// What rendering needs besides the book.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The templates to set the book with.
    pub templates: Templates,
    /// The corpus directory (images are served from it).
    pub corpus_dir: PathBuf,
    /// Images the corpus uses, relative to `corpus_dir`.
    pub images: BTreeSet<PathBuf>,
    /// The "as of" date: Typst's `today` and the PDF's creation date.
    pub as_of: NaiveDate,
    /// A stable identifier for the PDF (e.g. the output name).
    pub ident: String,
    /// A PDF standard to conform to.
    pub standard: Option<PdfStandard>,
    /// The brand's files (the logo, the `.csl` file), by the virtual path
    /// the book names.
    pub brand: BTreeMap<String, BrandFile>,
    /// The fonts: the shipped ones and any the user added.
    pub fonts: fonts::Fonts,
}

/// A file of a book's brand (its logo, its `.csl` file), served to the
/// templates at a virtual path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrandFile {
    /// Its path as the user named it: diagnostics in it name this.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Only the bytes count, as the inputs a book is made from.
impl std::hash::Hash for BrandFile {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

/// A rendered book.
#[derive(Debug)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The laid-out document the PDF was exported from.
    pub document: PagedDocument,
    /// Typst's warnings (e.g. a missing glyph), located in the templates.
    pub warnings: Vec<Diagnostic>,
    /// The template texts the warnings point into.
    pub files: Files,
    /// How long Typst's compilation took.
    pub compile: Duration,
    /// How long the PDF export took.
    pub export: Duration,
}

/// The book as the JSON the templates read.
pub fn book_json(book: &BookView) -> Vec<u8> {
    serde_json::to_vec(book).expect("a BookView always serialises")
}

/// Compiles the book and exports it as PDF.
pub fn render(book: &BookView, options: &RenderOptions) -> Result<Rendered, Error> {
    render_json(book_json(book), options)
}

impl Rendered {
    /// The number of pages.
    pub fn pages(&self) -> usize {
        self.document.pages().len()
    }

    /// The laid-out text of each page, in layout order, one line per line
    /// of type: what a reader sees.
    pub fn text(&self) -> Vec<String> {
        self.document.pages().iter().map(|page| read_page(&page.frame).0).collect()
    }

    /// Per page: its width and the leftmost and rightmost extent of any
    /// text on it, in points.
    pub fn extents(&self) -> Vec<PageExtent> {
        self.document.pages().iter().map(|page| read_page(&page.frame).1).collect()
    }
}

/// Compiles a book given as JSON and exports it as PDF.
pub fn render_json(json: Vec<u8>, options: &RenderOptions) -> Result<Rendered, Error> {
    render_staged(json, options, &|_| {})
}

/// [`render_json`], telling `stage` when each stage begins: `laying out`,
/// then `writing the PDF` (for a progress display).
pub fn render_staged(
    json: Vec<u8>,
    options: &RenderOptions,
    stage: &dyn Fn(&'static str),
) -> Result<Rendered, Error> {
    let world = BriefWorld::new(json, options);
    stage("laying out");
    let start = Instant::now();
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let mut files = Files::default();
    let mut converted = typst_diagnostics(&world, &warnings, &mut files);
    let document = match output {
        Ok(document) => links::resolve(document),
        Err(errors) => {
            converted.extend(typst_diagnostics(&world, &errors, &mut files));
            return Err(Error::Template(converted, files));
        }
    };
    let document = match heads::set(document, world.book_bytes(), options, &mut files) {
        Ok((document, warnings)) => {
            converted.extend(warnings);
            document
        }
        Err(errors) => {
            converted.extend(errors);
            return Err(Error::Template(converted, files));
        }
    };
    let compile = start.elapsed();
    stage("writing the PDF");
    let start = Instant::now();
    let pdf = typst_pdf::pdf(&document, &pdf_options(options)).map_err(|errors| {
        converted.extend(typst_diagnostics(&world, &errors, &mut files));
        Error::Template(converted.clone(), files.clone())
    })?;
    let export = start.elapsed();
    Ok(Rendered { pdf, document, warnings: converted, files, compile, export })
}

/// Starts recording Typst's timing trace (see [`write_trace`]).
pub fn start_trace() {
    typst_timing::clear();
    typst_timing::enable();
}

/// Writes what Typst recorded since [`start_trace`] to `path` as Chrome
/// trace JSON (Perfetto, chrome://tracing, `bench/trace.py`), each event
/// that Typst ties to template code named by its template and line.
pub fn write_trace(path: &Path, templates: &Templates) -> Result<(), Error> {
    let mut sources = std::collections::HashMap::new();
    let mut locate = |raw| {
        let span = typst::syntax::Span::from_raw(raw);
        let Some(id) = span.id() else { return ("(detached)".to_string(), 0) };
        let source = sources.entry(id).or_insert_with(|| templates.source_for(id));
        let line = source
            .as_ref()
            .and_then(|s| s.find(span).and_then(|n| s.lines().byte_to_line(n.range().start)))
            .map_or(0, |l| l as u32 + 1);
        (templates.shown_for(id).display().to_string(), line)
    };
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, &mut locate).map_err(|why| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(why),
    })?;
    crate::output::write_file(path, &json)
}

/// The PDF export's options: a stable identifier, brief as the creator,
/// the "as of" date as the timestamp, and the standard asked for.
fn pdf_options(options: &RenderOptions) -> PdfOptions {
    let standards = match options.standard {
        None => PdfStandards::default(),
        Some(PdfStandard::A2b) => {
            PdfStandards::new(&[typst_pdf::PdfStandard::A_2b]).expect("a valid standard")
        }
        Some(PdfStandard::A3b) => {
            PdfStandards::new(&[typst_pdf::PdfStandard::A_3b]).expect("a valid standard")
        }
        Some(PdfStandard::Ua1) => {
            PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1]).expect("a valid standard")
        }
    };
    PdfOptions {
        ident: Smart::Custom(options.ident.clone()),
        creator: Smart::Custom(Some(
            concat!("brief ", env!("CARGO_PKG_VERSION"), " (Typst 0.15.1)").into(),
        )),
        timestamp: Some(Timestamp::new_utc(world::typst_date(options.as_of))),
        standards,
        ..PdfOptions::default()
    }
}

/// Writes the document brief compiles into `dir`: `brief.json`, the
/// templates under `templates/`, the fonts under `fonts/` and every image
/// the book shows under `corpus/` (at the path the templates read it
/// from, [`world::CORPUS`]), so that `typst compile templates/main.typ
/// --root . --font-path fonts --ignore-system-fonts` in `dir` makes the
/// same book. (The typst CLI sets a link to a place in the book, and a
/// folio, once the place is known, which costs it layout passes brief
/// saves; given `--input brief-goto=x-brief-goto: --input
/// brief-page=x-brief-page:` it lays the book out as brief does, and
/// leaves those links pointing nowhere and those folios "00".) Only
/// images this book shows are copied, never the rest of the corpus's.
pub fn emit_typ(dir: &Path, json: &[u8], options: &RenderOptions) -> Result<(), Error> {
    use crate::output::write_file;
    write_file(&dir.join("brief.json"), json)?;
    for (name, data) in options.templates.files() {
        write_file(&dir.join("templates").join(name), &data)?;
    }
    for (name, data) in fonts::FONT_FILES {
        write_file(&dir.join("fonts").join(name), data)?;
    }
    for (name, data) in options.fonts.added() {
        write_file(&dir.join("fonts").join("added").join(name), data)?;
    }
    for (vpath, file) in &options.brand {
        write_file(&dir.join(vpath.trim_start_matches('/')), &file.bytes)?;
    }
    for relative in images_shown(json, options) {
        let from = options.corpus_dir.join(&relative);
        let data = crate::input::read(&from, crate::input::Kind::Image)
            .map_err(|source| Error::Io { path: from, source })?;
        write_file(&dir.join(world::CORPUS.trim_start_matches('/')).join(relative), &data)?;
    }
    Ok(())
}

/// The images a composed book shows: the `src` of every image node in its
/// JSON that the world would serve, relative to the corpus directory.
fn images_shown(json: &[u8], options: &RenderOptions) -> BTreeSet<PathBuf> {
    fn walk(value: &serde_json::Value, found: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if map.get("kind").and_then(|k| k.as_str()) == Some("image")
                    && let Some(src) = map.get("src").and_then(|s| s.as_str())
                {
                    found.insert(src.to_string());
                }
                map.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut srcs = BTreeSet::new();
    walk(&serde_json::from_slice(json).expect("the book's own JSON"), &mut srcs);
    let prefix = format!("{}/", world::CORPUS);
    options
        .images
        .iter()
        .filter(|p| srcs.contains(&format!("{prefix}{}", crate::corpus::slash_path(p))))
        .cloned()
        .collect()
}

/// Where the text of a page lies horizontally, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageExtent {
    /// The page's width.
    pub width: f64,
    /// The left edge of the leftmost text.
    pub left: f64,
    /// The right edge of the rightmost text.
    pub right: f64,
}

/// The text runs of a page, in layout order, with a newline wherever the
/// baseline moves, and how far the text reaches left and right. Rotated
/// or scaled groups (a watermark) count for text, not for extents.
pub(crate) fn read_page(frame: &Frame) -> (String, PageExtent) {
    struct Reader {
        text: String,
        last_y: Option<Abs>,
        left: Abs,
        right: Abs,
    }
    fn walk(frame: &Frame, origin: Point, measured: bool, r: &mut Reader) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(group) => {
                    let plain = group.transform.is_identity();
                    walk(&group.frame, at, measured && plain, r)
                }
                FrameItem::Text(run) => {
                    if r.last_y.is_some_and(|y| (y - at.y).abs() > Abs::pt(1.0)) {
                        r.text.push('\n');
                    }
                    r.last_y = Some(at.y);
                    r.text.push_str(&run.text);
                    if measured {
                        r.left = r.left.min(at.x);
                        r.right = r.right.max(at.x + run.width());
                    }
                }
                _ => {}
            }
        }
    }
    let mut r = Reader { text: String::new(), last_y: None, left: Abs::inf(), right: Abs::zero() };
    walk(frame, Point::zero(), true, &mut r);
    let width = frame.width().to_pt();
    let left = if r.left.to_pt().is_finite() { r.left.to_pt() } else { 0.0 };
    (r.text, PageExtent { width, left, right: r.right.to_pt() })
}
