//! What a PDF was made from: a hash of every input, kept beside the PDF,
//! so `--if-changed` can tell a current book from a stale one. The one
//! home of that record (editions of a book will grow here).
//!
//! Reads the images a book uses (they are inputs) and the record; writes
//! the record. Nothing else.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::{RenderOptions, fonts};

/// A hash of everything a PDF is made from: the book, the templates, the
/// images, the fonts, the options and brief's own version. Equal hashes
/// mean byte-identical PDFs.
pub fn inputs_hash(json: &[u8], options: &RenderOptions) -> u128 {
    let images: Vec<(String, Option<Vec<u8>>)> = options
        .images
        .iter()
        .map(|p| (crate::corpus::slash_path(p), std::fs::read(options.corpus_dir.join(p)).ok()))
        .collect();
    typst::utils::hash128(&(
        env!("CARGO_PKG_VERSION"),
        json,
        options.templates.fingerprint(),
        images,
        fonts::fingerprint(),
        options.as_of,
        &options.ident,
        options.standard,
    ))
}

/// The inputs hash recorded beside a PDF when it was last written.
pub fn recorded_inputs(pdf: &Path) -> Option<u128> {
    let text = std::fs::read_to_string(record_path(pdf)).ok()?;
    u128::from_str_radix(text.trim(), 16).ok()
}

/// Records the inputs hash of a PDF just written, in a hidden file beside
/// it. Written after the PDF: a run killed in between leaves an old hash,
/// so the next `--if-changed` run rebuilds rather than skips.
pub fn record_inputs(pdf: &Path, inputs: u128) -> Result<(), Error> {
    crate::output::write_atomic(&record_path(pdf), format!("{inputs:032x}\n").as_bytes())
}

/// Where the record of a PDF is kept: `.NAME.pdf.inputs` beside it.
pub fn record_path(pdf: &Path) -> PathBuf {
    let name = pdf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    pdf.with_file_name(format!(".{name}.inputs"))
}
