//! Numbered copies: the book is laid out once; each copy's mark ("Copy 3
//! of 12 · Name") is laid out on its own, from `copymark.typ` (a page of
//! marks per page of the book), and set at the head of every page of a
//! clone of the laid-out pages before that copy's PDF export. Only the
//! marking and the export differ per copy.

use ecow::EcoVec;
use rayon::prelude::*;
use typst::diag::Warned;
use typst::layout::{Abs, Frame, Point};
use typst::model::Document as _;
use typst_layout::PagedDocument;

use super::{BriefWorld, RenderOptions, Rendered, pdf_options, typst_diagnostics};
use crate::diag::Files;
use crate::error::Error;

/// How far below the top edge a copy's mark sits: above the marking and
/// the running head, inside every page's top margin, and more than the
/// 4–6 mm an office printer leaves unprinted.
const MARK_TOP_MM: f64 = 9.0;
/// The margin the mark keeps on either side (the narrowest page margin).
const MARK_SIDE_MM: f64 = 20.0;

/// The PDF of each numbered copy of `book`, one per mark (the copy's
/// number and its mark's text), in order.
pub fn copies(
    book: &Rendered,
    options: &RenderOptions,
    marks: &[(usize, String)],
) -> Result<Vec<Vec<u8>>, Error> {
    let pages = book.document.pages();
    let width = pages.first().map_or(Abs::zero(), |p| p.frame.width());
    // Copies are independent: marked and exported in parallel.
    marks
        .par_iter()
        .map(|(number, text)| {
            let marks = lay_out_marks(text, pages.len(), width, options)?;
            let pages: EcoVec<_> = pages
                .iter()
                .zip(marks)
                .map(|(page, mark)| {
                    let mut page = page.clone();
                    page.frame.push_frame(Point::zero(), mark);
                    page
                })
                .collect();
            let document = PagedDocument::new(pages, book.document.info().clone());
            let mut copy = options.clone();
            copy.ident = format!("{}-copy-{number}", options.ident);
            typst_pdf::pdf(&document, &pdf_options(&copy))
                .map_err(|errors| failed(&BriefWorld::new(Vec::new(), options), &errors))
        })
        .collect()
}

/// The mark's frames, one per page: its text centred across the
/// page's width, each an artifact with its own tags.
fn lay_out_marks(
    text: &str,
    pages: usize,
    width: Abs,
    options: &RenderOptions,
) -> Result<Vec<Frame>, Error> {
    let json = serde_json::json!({
        "text": text,
        "pages": pages,
        "width": width.to_pt(),
        "right": MARK_SIDE_MM * 72.0 / 25.4,
        "top": MARK_TOP_MM * 72.0 / 25.4,
    });
    let json = serde_json::to_vec(&json).expect("JSON serialises");
    let world = BriefWorld::with_main(json, options, "copymark.typ");
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| failed(&world, &errors))?;
    Ok(document.pages().iter().map(|p| p.frame.clone()).collect())
}

/// Typst's errors as the run's error, located in the templates of `world`.
fn failed(world: &BriefWorld, errors: &[typst::diag::SourceDiagnostic]) -> Error {
    let mut files = Files::default();
    Error::Template(typst_diagnostics(world, errors, &mut files), files)
}
