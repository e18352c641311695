//! Edition records on disk: kept beside a book's PDF
//! (`out/NAME.edition.json`, or `out/NAME.LEVEL.edition.json` for a book
//! made for an audience), or for a standing book in the project's state
//! directory (`STATE/NAME.edition.json`, `STATE/NAME.LEVEL.edition.json`),
//! and inside the PDF, as an attached file. The next build reads the
//! record back ([`last_written`] says which wins). Reads and writes only
//! those files and the PDFs they describe.

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

/// Where a book's records are kept: beside its PDF, or (a standing book
/// of a project with a state directory) in that directory, under the
/// book's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The book's PDF.
    pdf: PathBuf,
    /// The state directory and the book's name in it.
    state: Option<(PathBuf, String)>,
}

impl Place {
    /// Records beside the PDF at `pdf`.
    pub fn beside(pdf: &Path) -> Place {
        Place { pdf: pdf.to_path_buf(), state: None }
    }

    /// Records of the standing book `name`, whose PDF is at `pdf`, in the
    /// state directory `dir`.
    pub fn in_state(pdf: &Path, dir: &Path, name: &str) -> Place {
        Place { pdf: pdf.to_path_buf(), state: Some((dir.to_path_buf(), name.to_string())) }
    }

    /// The book's PDF.
    pub fn pdf(&self) -> &Path {
        &self.pdf
    }

    /// The state directory, if the records are kept in one.
    pub fn state_dir(&self) -> Option<&Path> {
        self.state.as_ref().map(|(dir, _)| dir.as_path())
    }

    /// Where the edition record for `audience` is written.
    pub fn record(&self, audience: Option<&str>) -> PathBuf {
        match &self.state {
            None => path(&self.pdf, audience),
            Some((dir, name)) => path(&dir.join(format!("{name}.pdf")), audience),
        }
    }

    /// Where the `--if-changed` stamp is written: `STATE/NAME.inputs`, or
    /// the hidden `.NAME.pdf.inputs` beside the PDF.
    pub fn stamp(&self) -> PathBuf {
        match &self.state {
            None => stamp_beside(&self.pdf),
            Some((dir, name)) => dir.join(format!("{name}.inputs")),
        }
    }

    /// The record files that may hold the last edition, the one written
    /// first: the state directory's, then the one beside the PDF (left by
    /// a run before the state directory was set).
    fn record_files(&self, audience: Option<&str>) -> Vec<PathBuf> {
        let mut files = vec![self.record(audience)];
        if self.state.is_some() {
            files.push(path(&self.pdf, audience));
        }
        files
    }
}

/// The hidden stamp file beside a PDF: `.NAME.pdf.inputs`.
pub fn stamp_beside(pdf: &Path) -> PathBuf {
    let name = pdf.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    pdf.with_file_name(format!(".{name}.inputs"))
}

/// The record of the edition last written for the book at `place`;
/// `Ok(None)` when there is none (a first edition), `Err` (why) when what
/// is there cannot be read.
///
/// Which record wins when they disagree: of the record files (the state
/// directory's, and the one beside the PDF), the one of the highest
/// edition, the state directory's on a tie: a book never goes back to an
/// older number, whichever copy a runner restored. The record inside the
/// PDF counts only when no record file can be used: a PDF may be a
/// watch's draft, which is never an edition. A record file that cannot be
/// read (damaged, edited by hand, forged) gives way to the others, and
/// `warnings` says so, naming the file and what is wrong with it.
pub fn last_written(
    place: &Place,
    audience: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<Option<Record>, String> {
    let pdf = place.pdf();
    let mut found: Vec<(Record, PathBuf)> = Vec::new();
    let mut damaged = Vec::new();
    for file in place.record_files(audience) {
        match input::read(&file, input::Kind::Text) {
            Ok(bytes) => match parse(&bytes) {
                Ok(record) => found.push((record, file)),
                Err(why) => damaged.push(format!("{}: {why}", file.display())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => damaged.push(format!("{}: {e}", file.display())),
        }
    }
    // The highest edition; on a tie the first found (the state's).
    let best = found.into_iter().rev().max_by_key(|(record, _)| record.edition);
    if let Some((record, file)) = best {
        for why in damaged {
            warnings.push(format!("{why}; the record in {} is used instead", file.display()));
        }
        return Ok(Some(record));
    }
    let Some(why) = damaged.into_iter().next() else { return inside(pdf) };
    // The PDF's own copy may still be good.
    match input::read(pdf, input::Kind::Pdf).ok().map(|b| embedded(&b)) {
        Some(Ok(record)) => {
            warnings.push(format!("{why}; the record inside {} is used instead", pdf.display()));
            Ok(Some(record))
        }
        _ => Err(format!("{why}; making edition 1")),
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

/// Writes the record of the book just written at `place`: in the state
/// directory, if it has one, else beside the PDF.
pub fn write(place: &Place, record: &Record) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(record).expect("a record serialises") + "\n";
    crate::output::write_atomic(&place.record(record.audience.as_deref()), text.as_bytes())
}
