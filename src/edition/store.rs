//! Edition records on disk: kept beside a book's PDF
//! (`out/NAME.edition.json`, or `out/NAME.LEVEL.edition.json` for a book
//! made for an audience) and inside it, as an attached file. The next
//! build reads the record back from either. Reads and writes only those
//! files and the PDFs they describe.

use std::path::{Path, PathBuf};

use super::{FORMATS_READ, Record};
use crate::error::Error;
use crate::input;

/// Where the edition record of a PDF is kept beside it:
/// `out/afghanistan.pdf` → `out/afghanistan.edition.json`; a book made
/// for an audience keeps one record per audience
/// (`out/afghanistan.public.edition.json`), so that building it for
/// another audience neither compares with nor overwrites the history.
pub fn path(pdf: &Path, audience: Option<&str>) -> PathBuf {
    match audience {
        None => pdf.with_extension("edition.json"),
        Some(level) => pdf.with_extension(format!("{level}.edition.json")),
    }
}

/// The record of the edition last written at `pdf`: the one kept beside
/// it, else the one inside it; `Ok(None)` when there is neither (a first
/// edition), `Err` (why) when what is there cannot be read. A record
/// beside the PDF that cannot be read (damaged, edited by hand, forged)
/// gives way to the PDF's own, and `warnings` says so, naming the file and
/// what is wrong with it.
pub fn last_written(
    pdf: &Path,
    audience: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<Option<Record>, String> {
    let beside = path(pdf, audience);
    let why = match input::read(&beside, input::Kind::Text) {
        Ok(bytes) => match parse(&bytes) {
            Ok(record) => return Ok(Some(record)),
            Err(why) => why,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return inside(pdf),
        Err(e) => e.to_string(),
    };
    // The PDF's own copy may still be good.
    match input::read(pdf, input::Kind::Pdf).ok().map(|b| embedded(&b)) {
        Some(Ok(record)) => {
            warnings.push(format!(
                "{}: {why}; the record inside {} is used instead",
                beside.display(),
                pdf.display()
            ));
            Ok(Some(record))
        }
        _ => Err(format!("{}: {why}; making edition 1", beside.display())),
    }
}

/// The record inside the PDF at `pdf`, if there is one.
fn inside(pdf: &Path) -> Result<Option<Record>, String> {
    match input::read(pdf, input::Kind::Pdf) {
        Ok(bytes) => embedded(&bytes)
            .map(Some)
            .map_err(|why| format!("{}: {why}; making edition 1", pdf.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}; making edition 1", pdf.display())),
    }
}

/// Parses an edition record, and refuses one that could not have been
/// written by brief (a record read back is not trusted: it may have been
/// edited by hand or crafted).
pub fn parse(bytes: &[u8]) -> Result<Record, String> {
    let record: Record = serde_json::from_slice(bytes)
        .map_err(|e| format!("not an edition record brief can read ({e})"))?;
    if !FORMATS_READ.contains(&record.format.as_str()) {
        return Err(format!(
            "an edition record of format `{}`; this brief reads `{}`",
            record.format,
            FORMATS_READ.join("` and `")
        ));
    }
    record.check().map_err(|why| format!("not an edition record brief wrote: {why}"))?;
    Ok(record)
}

/// The edition record embedded in a PDF brief made.
pub fn embedded(pdf: &[u8]) -> Result<Record, String> {
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
        let Some(data) = decoded(&stream) else { continue };
        if let Ok(record) = parse(&data) {
            return Ok(record);
        }
    }
    Err(if seen {
        "its attachments hold no brief edition record".into()
    } else {
        "holds no brief edition record: not a book brief made with editions".into()
    })
}

/// An attached file's bytes, if it is stored plain or deflated (as brief
/// writes it) and expands to no more than a record may hold: a PDF given
/// to `--since` may be crafted to expand a megabyte into gigabytes.
fn decoded(stream: &hayro_syntax::object::Stream) -> Option<Vec<u8>> {
    use hayro_syntax::Filter;
    let raw = stream.raw_data();
    let limit = input::Kind::Text.limit();
    match stream.filters().as_slice() {
        [] => (raw.len() as u64 <= limit).then(|| raw.to_vec()),
        [Filter::FlateDecode] => {
            input::bounded(flate2::read::ZlibDecoder::new(&raw[..]), limit).ok()
        }
        _ => None,
    }
}

/// Writes the record beside the PDF just written at `pdf`.
pub fn write(pdf: &Path, record: &Record) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(record).expect("a record serialises") + "\n";
    crate::output::write_atomic(&path(pdf, record.audience.as_deref()), text.as_bytes())
}
