//! Stage 4, render: a composed book to PDF bytes, with the embedded Typst
//! compiler. Reads only the templates, the images the corpus lists and the
//! shipped fonts (see [`world`]). Writes nothing: the caller decides where
//! the bytes go.

pub mod fonts;
pub mod world;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::compose::BookView;
use crate::diag::{Diagnostic, Files, Problem, Severity};
use crate::error::Error;
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
}

/// A rendered book.
#[derive(Debug)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The number of pages.
    pub pages: usize,
    /// The laid-out text of each page, in layout order, one line per line
    /// of type (what a reader sees; tests assert on it).
    pub text: Vec<String>,
    /// Typst's warnings (e.g. a missing glyph), located in the templates.
    pub warnings: Vec<Diagnostic>,
    /// The template texts the warnings point into.
    pub files: Files,
}

/// The book as the JSON the templates read.
pub fn book_json(book: &BookView) -> Vec<u8> {
    serde_json::to_vec(book).expect("a BookView always serialises")
}

/// Compiles the book and exports it as PDF.
pub fn render(book: &BookView, options: &RenderOptions) -> Result<Rendered, Error> {
    let world = BriefWorld::new(
        book_json(book),
        options.templates.clone(),
        &options.corpus_dir,
        &options.images,
        options.as_of,
    );
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let mut files = Files::default();
    let mut converted = convert(&world, &warnings, &mut files);
    let document = match output {
        Ok(document) => document,
        Err(errors) => {
            converted.extend(convert(&world, &errors, &mut files));
            return Err(Error::Template(converted, files));
        }
    };
    let date = Datetime::from_ymd(
        options.as_of.year(),
        options.as_of.month() as u8,
        options.as_of.day() as u8,
    )
    .expect("a calendar date");
    let pdf_options = PdfOptions {
        ident: Smart::Custom(options.ident.clone()),
        timestamp: Some(Timestamp::new_utc(date)),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &pdf_options).map_err(|errors| {
        converted.extend(convert(&world, &errors, &mut files));
        Error::Template(converted.clone(), files.clone())
    })?;
    let text = document.pages().iter().map(|page| page_text(&page.frame)).collect();
    Ok(Rendered { pdf, pages: document.pages().len(), text, warnings: converted, files })
}

/// The text runs of a frame, in layout order, with a newline wherever the
/// baseline moves.
fn page_text(frame: &Frame) -> String {
    fn walk(frame: &Frame, origin: Point, last_y: &mut Option<Abs>, out: &mut String) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(group) => walk(&group.frame, at, last_y, out),
                FrameItem::Text(run) => {
                    if last_y.is_some_and(|y| (y - at.y).abs() > Abs::pt(1.0)) {
                        out.push('\n');
                    }
                    *last_y = Some(at.y);
                    out.push_str(&run.text);
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(frame, Point::zero(), &mut None, &mut out);
    out
}

/// Turns Typst's diagnostics into ours, located in the template files the
/// user can edit, with Typst's hints and call trace as notes.
fn convert(
    world: &BriefWorld,
    diagnostics: &[SourceDiagnostic],
    files: &mut Files,
) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let (path, range) = match d.span.id() {
                Some(id) => {
                    let (shown, source) = world.describe(id);
                    if let Some(source) = source {
                        files.insert(&shown, Arc::from(source.text()));
                    }
                    (shown, world.range(d.span).unwrap_or(0..0))
                }
                None => (PathBuf::from("templates/main.typ"), 0..0),
            };
            if files.get(&path).is_none() {
                files.insert(&path, Arc::from(""));
            }
            let mut diagnostic =
                Diagnostic::error(path, range, Problem::Typst(d.message.to_string()));
            if d.severity == TypstSeverity::Warning {
                diagnostic.severity = Severity::Warning;
            }
            for hint in &d.hints {
                diagnostic.hints.push(hint.v.to_string());
            }
            for point in &d.trace {
                if let Some(id) = point.span.id() {
                    let (shown, source) = world.describe(id);
                    let line = source
                        .zip(world.range(point.span))
                        .and_then(|(s, r)| s.lines().byte_to_line(r.start))
                        .map_or(0, |l| l + 1);
                    diagnostic.hints.push(format!("{} at {}:{line}", point.v, shown.display()));
                }
            }
            diagnostic
        })
        .collect()
}
