//! What a PDF was made from (its provenance): a hash of every input,
//! kept beside the PDF, so `--if-changed` can tell a current book from a
//! stale one.
//!
//! The stamp holds two hashes: the inputs', and the PDF bytes' that were
//! written for them. The PDF and its record are two files, each renamed
//! into place on its own, so two runs writing the same book can leave one
//! run's PDF beside the other's record (and a run killed between the two
//! renames leaves the new PDF beside the old record). A book is current
//! only when its record matches the inputs *and* the PDF on disk is the
//! one that record was written for; whatever the interleaving, a PDF that
//! does not match its record is rebuilt, never reported unchanged.
//!
//! Reads the images a book uses (they are inputs), the record and the PDF
//! it describes; writes the record. Nothing else. (It hashes the render
//! options, so it sits above `render`, not in `edition`.)

use std::path::{Path, PathBuf};

use crate::edition::store::Place;
use crate::error::Error;
use crate::render::RenderOptions;

/// A hash of everything a PDF is made from: the book, the templates, the
/// images, the fonts, the options and brief's own version. Equal hashes
/// mean byte-identical PDFs.
pub fn inputs_hash(json: &[u8], options: &RenderOptions) -> u128 {
    let images: Vec<(String, Option<Vec<u8>>)> = options
        .images
        .iter()
        .map(|p| {
            let bytes = crate::input::read(&options.corpus_dir.join(p), crate::input::Kind::Image);
            (crate::corpus::slash_path(p), bytes.ok())
        })
        .collect();
    typst::utils::hash128(&(
        env!("CARGO_PKG_VERSION"),
        json,
        options.templates.fingerprint(),
        images,
        options.fonts.fingerprint(),
        options.as_of,
        &options.ident,
        options.standard,
        &options.brand,
    ))
}

/// The hash of a PDF's bytes, as recorded beside it.
pub fn pdf_digest(pdf: &[u8]) -> u128 {
    typst::utils::hash128(pdf)
}

/// What the record beside a PDF says: the inputs it was made from and the
/// digest of the bytes written for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The inputs hash ([`inputs_hash`]).
    pub inputs: u128,
    /// The PDF's digest ([`pdf_digest`]).
    pub pdf: u128,
}

impl Provenance {
    /// The record's text: `inputs HEX` and `pdf HEX`, a line each.
    fn to_text(self) -> String {
        format!("inputs {:032x}\npdf {:032x}\n", self.inputs, self.pdf)
    }

    /// Parses a record's text; anything else (e.g. a record of an older
    /// brief, which held only the inputs hash) is no record.
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let mut field = |key: &str| {
            let value = lines.next()?.strip_prefix(key)?.strip_prefix(' ')?;
            u128::from_str_radix(value.trim(), 16).ok()
        };
        let record = Provenance { inputs: field("inputs")?, pdf: field("pdf")? };
        lines.next().is_none().then_some(record)
    }
}

/// The stamp at `stamp`, if there is a readable one.
pub fn recorded(stamp: &Path) -> Option<Provenance> {
    Provenance::parse(&crate::input::read_to_string(stamp, crate::input::Kind::Text).ok()?)
}

/// Whether the PDF of the book at `place` is the one made from `inputs`:
/// its stamp names these inputs and the PDF on disk has the digest
/// recorded with them. A missing or unreadable PDF or stamp is not
/// current.
pub fn is_current(place: &Place, inputs: u128) -> bool {
    let Some(record) = recorded(&place.stamp()).filter(|r| r.inputs == inputs) else {
        return false;
    };
    crate::input::read(place.pdf(), crate::input::Kind::Pdf)
        .is_ok_and(|bytes| pdf_digest(&bytes) == record.pdf)
}

/// Records what the PDF just written for the book at `place` was made
/// from, in its stamp (a hidden file beside it, or in the state
/// directory): the inputs hash and the digest of `bytes`, the bytes this
/// run wrote. Written after the PDF; should another run's PDF or record
/// land in between, the digest no longer matches and the next
/// `--if-changed` run rebuilds rather than skips.
pub fn record(place: &Place, inputs: u128, bytes: &[u8]) -> Result<(), Error> {
    let record = Provenance { inputs, pdf: pdf_digest(bytes) };
    crate::output::write_atomic(&place.stamp(), record.to_text().as_bytes())
}

/// Where the stamp of a PDF is kept beside it: `.NAME.pdf.inputs`.
pub fn record_path(pdf: &Path) -> PathBuf {
    crate::edition::store::stamp_beside(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two runs of one book, A and B, with different inputs, renaming
    /// their files in every order: the book is current only when the PDF
    /// and the record on disk come from the same run.
    #[test]
    fn a_pdf_and_a_record_of_different_runs_are_never_current() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        let place = Place::beside(&pdf);
        let (a, b) = ((1_u128, b"%PDF A".as_slice()), (2_u128, b"%PDF B".as_slice()));
        let write_pdf = |(_, bytes): (u128, &[u8])| crate::output::write_atomic(&pdf, bytes);
        let write_record = |(inputs, bytes): (u128, &[u8])| record(&place, inputs, bytes);
        // (the PDF's run, the record's run) after each interleaving.
        for (pdf_of, record_of) in [(a, a), (a, b), (b, a), (b, b)] {
            write_pdf(pdf_of).unwrap();
            write_record(record_of).unwrap();
            let same = pdf_of == record_of;
            assert_eq!(
                is_current(&place, record_of.0),
                same,
                "PDF {pdf_of:?}, record {record_of:?}"
            );
            assert!(!is_current(&place, pdf_of.0) || same);
        }
    }

    #[test]
    fn a_missing_pdf_or_an_old_style_record_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        let place = Place::beside(&pdf);
        record(&place, 7, b"%PDF").unwrap();
        assert!(!is_current(&place, 7), "no PDF");
        std::fs::write(&pdf, b"%PDF").unwrap();
        assert!(is_current(&place, 7));
        std::fs::write(record_path(&pdf), format!("{:032x}\n", 7)).unwrap();
        assert_eq!(recorded(&record_path(&pdf)), None);
        assert!(!is_current(&place, 7), "a record without a PDF digest");
    }

    #[test]
    fn the_record_reads_back() {
        let record = Provenance { inputs: 0xabc, pdf: u128::MAX };
        assert_eq!(Provenance::parse(&record.to_text()), Some(record));
        assert_eq!(Provenance::parse("inputs 1\npdf 2\nmore\n"), None);
        assert_eq!(Provenance::parse("pdf 2\ninputs 1\n"), None);
    }
}
