//! What a PDF was made from: a hash of every input, kept beside the PDF,
//! so `--if-changed` can tell a current book from a stale one. The one
//! home of that record (editions of a book will grow here).
//!
//! The record holds two hashes: the inputs', and the PDF bytes' that were
//! written for them. The PDF and its record are two files, each renamed
//! into place on its own, so two runs writing the same book can leave one
//! run's PDF beside the other's record (and a run killed between the two
//! renames leaves the new PDF beside the old record). A book is current
//! only when its record matches the inputs *and* the PDF on disk is the
//! one that record was written for; whatever the interleaving, a PDF that
//! does not match its record is rebuilt, never reported unchanged.
//!
//! Reads the images a book uses (they are inputs), the record and the PDF
//! it describes; writes the record. Nothing else.
//!
//! Editions live here too: the record of each edition of a book
//! ([`crate::changes::Record`]) is kept beside its PDF
//! (`out/NAME.edition.json`) and inside it, as an attached file; the
//! next build reads it back from either.

use std::path::{Path, PathBuf};

use crate::changes::Record as EditionRecord;
use crate::error::Error;
use crate::render::RenderOptions;

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
pub struct Record {
    /// The inputs hash ([`inputs_hash`]).
    pub inputs: u128,
    /// The PDF's digest ([`pdf_digest`]).
    pub pdf: u128,
}

impl Record {
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
        let record = Record { inputs: field("inputs")?, pdf: field("pdf")? };
        lines.next().is_none().then_some(record)
    }
}

/// The record kept beside a PDF, if there is a readable one.
pub fn recorded(pdf: &Path) -> Option<Record> {
    Record::parse(&std::fs::read_to_string(record_path(pdf)).ok()?)
}

/// Whether the PDF at `pdf` is the one made from `inputs`: its record
/// names these inputs and the PDF on disk has the digest recorded with
/// them. A missing or unreadable PDF or record is not current.
pub fn is_current(pdf: &Path, inputs: u128) -> bool {
    let Some(record) = recorded(pdf).filter(|r| r.inputs == inputs) else {
        return false;
    };
    std::fs::read(pdf).is_ok_and(|bytes| pdf_digest(&bytes) == record.pdf)
}

/// Records what the PDF just written at `pdf` was made from, in a hidden
/// file beside it: the inputs hash and the digest of `bytes`, the bytes
/// this run wrote. Written after the PDF; should another run's PDF or
/// record land in between, the digest no longer matches and the next
/// `--if-changed` run rebuilds rather than skips.
pub fn record_inputs(pdf: &Path, inputs: u128, bytes: &[u8]) -> Result<(), Error> {
    let record = Record { inputs, pdf: pdf_digest(bytes) };
    crate::output::write_atomic(&record_path(pdf), record.to_text().as_bytes())
}

/// Where the record of a PDF is kept: `.NAME.pdf.inputs` beside it.
pub fn record_path(pdf: &Path) -> PathBuf {
    let name = pdf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    pdf.with_file_name(format!(".{name}.inputs"))
}

/// Where the edition record of a PDF is kept beside it:
/// `out/afghanistan.pdf` → `out/afghanistan.edition.json`; a book made
/// for an audience keeps one record per audience
/// (`out/afghanistan.public.edition.json`), so that building it for
/// another audience neither compares with nor overwrites the history.
pub fn edition_path(pdf: &Path, audience: Option<&str>) -> PathBuf {
    match audience {
        None => pdf.with_extension("edition.json"),
        Some(level) => pdf.with_extension(format!("{level}.edition.json")),
    }
}

/// The record of the edition last written at `pdf`: the one kept beside
/// it, else the one inside it; `Ok(None)` when there is neither (a first
/// edition), `Err` (why) when what is there cannot be read.
pub fn previous(pdf: &Path, audience: Option<&str>) -> Result<Option<EditionRecord>, String> {
    let beside = edition_path(pdf, audience);
    match std::fs::read(&beside) {
        Ok(bytes) => match parse_record(&bytes) {
            Ok(record) => return Ok(Some(record)),
            Err(why) => {
                // The PDF's own copy may still be good.
                return match std::fs::read(pdf).ok().map(|b| embedded(&b)) {
                    Some(Ok(record)) => Ok(Some(record)),
                    _ => Err(format!("{}: {why}", beside.display())),
                };
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", beside.display())),
    }
    match std::fs::read(pdf) {
        Ok(bytes) => embedded(&bytes).map(Some).map_err(|why| format!("{}: {why}", pdf.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", pdf.display())),
    }
}

/// Parses an edition record.
pub fn parse_record(bytes: &[u8]) -> Result<EditionRecord, String> {
    let record: EditionRecord = serde_json::from_slice(bytes)
        .map_err(|e| format!("not an edition record brief can read ({e})"))?;
    if record.format != crate::changes::FORMAT {
        return Err(format!(
            "an edition record of format `{}`; this brief reads `{}`",
            record.format,
            crate::changes::FORMAT
        ));
    }
    Ok(record)
}

/// The edition record embedded in a PDF brief made.
pub fn embedded(pdf: &[u8]) -> Result<EditionRecord, String> {
    use hayro_syntax::object::{Name, Object};
    let doc = hayro_syntax::Pdf::new(pdf.to_vec())
        .map_err(|e| format!("not a PDF that can be read ({e:?})"))?;
    let mut seen = false;
    for object in doc.objects() {
        let Object::Stream(stream) = object else { continue };
        let is_file = stream
            .dict()
            .get::<Name>(b"Type".as_slice())
            .is_some_and(|name| name.as_ref() == b"EmbeddedFile".as_slice());
        if !is_file {
            continue;
        }
        seen = true;
        let Ok(data) = stream.decoded() else { continue };
        if let Ok(record) = parse_record(&data) {
            return Ok(record);
        }
    }
    Err(if seen {
        "its attachments hold no brief edition record".into()
    } else {
        "holds no brief edition record: not a book brief made with editions".into()
    })
}

/// Writes the record beside the PDF just written at `pdf`.
pub fn write_edition(pdf: &Path, record: &EditionRecord) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(record).expect("a record serialises") + "\n";
    crate::output::write_atomic(&edition_path(pdf, record.audience.as_deref()), text.as_bytes())
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
        let (a, b) = ((1_u128, b"%PDF A".as_slice()), (2_u128, b"%PDF B".as_slice()));
        let write_pdf = |(_, bytes): (u128, &[u8])| crate::output::write_atomic(&pdf, bytes);
        let write_record = |(inputs, bytes): (u128, &[u8])| record_inputs(&pdf, inputs, bytes);
        // (the PDF's run, the record's run) after each interleaving.
        for (pdf_of, record_of) in [(a, a), (a, b), (b, a), (b, b)] {
            write_pdf(pdf_of).unwrap();
            write_record(record_of).unwrap();
            let same = pdf_of == record_of;
            assert_eq!(is_current(&pdf, record_of.0), same, "PDF {pdf_of:?}, record {record_of:?}");
            assert!(!is_current(&pdf, pdf_of.0) || same);
        }
    }

    #[test]
    fn a_missing_pdf_or_an_old_style_record_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        record_inputs(&pdf, 7, b"%PDF").unwrap();
        assert!(!is_current(&pdf, 7), "no PDF");
        std::fs::write(&pdf, b"%PDF").unwrap();
        assert!(is_current(&pdf, 7));
        std::fs::write(record_path(&pdf), format!("{:032x}\n", 7)).unwrap();
        assert_eq!(recorded(&pdf), None);
        assert!(!is_current(&pdf, 7), "a record without a PDF digest");
    }

    #[test]
    fn the_record_reads_back() {
        let record = Record { inputs: 0xabc, pdf: u128::MAX };
        assert_eq!(Record::parse(&record.to_text()), Some(record));
        assert_eq!(Record::parse("inputs 1\npdf 2\nmore\n"), None);
        assert_eq!(Record::parse("pdf 2\ninputs 1\n"), None);
    }
}
