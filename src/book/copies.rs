//! Numbered copies: whom they are for, their marks ("Copy 3 of 12 ·
//! Name"), and the files they are written to: `out/<book>/copy-NN.pdf`
//! and `register.csv` (copy, recipient, file, SHA-256). The book is laid
//! out once; `render::copies` marks and exports each copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::plan::{Book, CopiesFor};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::output;
use crate::render::{RenderOptions, Rendered};

/// The longest recipient's name a copy's mark holds on one line.
const MAX_RECIPIENT: usize = 60;

/// Whom `--copies-for` names: a meeting's attendees (honorific and name,
/// in the order of its list), or the names in a file, one a line (blank
/// lines and `#` comments skipped). Reads that file.
pub fn recipients(copies_for: &CopiesFor, corpus: &Corpus, book: &Book) -> Result<Vec<String>> {
    let names: Vec<String> = match copies_for {
        CopiesFor::Attendees => {
            let meeting = book.scope.meeting().and_then(|id| corpus.meeting(id));
            let meeting = meeting.ok_or_else(|| {
                Error::Usage("--copies-for attendees needs a meeting's book (--meeting ID)".into())
            })?;
            meeting
                .attendees
                .iter()
                .filter_map(|id| corpus.participant(id))
                .map(crate::corpus::model::Participant::full_name)
                .collect()
        }
        CopiesFor::File(file) => crate::input::read_to_string(file, crate::input::Kind::Text)
            .map_err(|source| Error::Io { path: file.clone(), source })?
            // A byte-order mark, as some editors write, is not a name.
            .trim_start_matches('\u{feff}')
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
/// path without `.pdf`), `copy-01.pdf` …, removes the copies an earlier
/// run made for more recipients, and writes `register.csv`; returns the
/// files written, the register last. The folder must be new, empty, or
/// one brief made (its register lists what brief wrote there): brief
/// writes over and removes only the copies its register lists.
pub fn write(
    book: &Path,
    rendered: &Rendered,
    options: &RenderOptions,
    names: &[String],
) -> Result<Vec<PathBuf>> {
    let dir = book.with_extension("");
    let earlier = earlier_register(&dir)?;
    let total = names.len();
    let marks: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("Copy {} of {total} · {name}", i + 1))
        .collect();
    let digits = total.to_string().len().max(2);
    let file = |i: usize| format!("copy-{:0digits$}.pdf", i + 1);
    if let Some(theirs) =
        (0..total).map(file).find(|f| dir.join(f).exists() && !earlier.contains_key(f))
    {
        return Err(not_ours(&dir.join(theirs)));
    }
    let pdfs = crate::render::copies::copies(rendered, options, &marks)?;
    // Writing CSV into memory cannot fail.
    let mut register = csv::Writer::from_writer(Vec::new());
    let row = |register: &mut csv::Writer<Vec<u8>>, cells: [&str; 4]| {
        register.write_record(cells).expect("CSV is written to memory");
    };
    row(&mut register, ["copy", "recipient", "file", "sha256"]);
    let mut written = Vec::new();
    for (i, (name, pdf)) in names.iter().zip(&pdfs).enumerate() {
        let file = file(i);
        let path = dir.join(&file);
        output::write_atomic(&path, pdf)?;
        let sha = crate::edition::sha256_hex(pdf);
        row(&mut register, [&(i + 1).to_string(), &cell(name), &file, &sha]);
        written.push(path);
    }
    remove_stale(&dir, &earlier, &written)?;
    let register = register.into_inner().expect("CSV is written to memory");
    let register_path = dir.join("register.csv");
    output::write_atomic(&register_path, &register)?;
    written.push(register_path);
    Ok(written)
}

/// A recipient's name as a register cell: a spreadsheet would run a cell
/// that starts like a formula, so such a name is quoted.
fn cell(name: &str) -> String {
    match name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{name}"),
        false => name.to_string(),
    }
}

/// The copies brief wrote into `dir` before, by file name, with their
/// SHA-256, as its register lists them; empty for a new or empty folder.
/// A folder that holds anything else, or a register brief did not write,
/// is refused: brief never writes over or removes a file it did not write.
fn earlier_register(dir: &Path) -> Result<BTreeMap<String, String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => return Err(Error::Io { path: dir.to_path_buf(), source }),
    };
    if entries == 0 {
        return Ok(BTreeMap::new());
    }
    let register = dir.join("register.csv");
    let text = crate::input::read_to_string(&register, crate::input::Kind::Text)
        .map_err(|_| not_ours(dir))?;
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let ours = rows.headers().is_ok_and(|h| h == vec!["copy", "recipient", "file", "sha256"]);
    let listed: Option<BTreeMap<String, String>> = rows
        .records()
        .map(|row| {
            let row = row.ok()?;
            Some((row.get(2)?.to_string(), row.get(3)?.to_string()))
        })
        .collect();
    match listed {
        Some(listed) if ours => Ok(listed),
        _ => Err(not_ours(&register)),
    }
}

/// The error for a file in the copies' folder brief did not write.
fn not_ours(path: &Path) -> Error {
    Error::Usage(format!(
        "{}: not written by brief (its copy register does not list it): numbered copies go into a new folder, or one brief made; choose another --out",
        path.display()
    ))
}

/// Removes the copies an earlier run made (for more recipients) that this
/// run did not write: only those the earlier register lists and that are
/// still as brief wrote them.
fn remove_stale(dir: &Path, earlier: &BTreeMap<String, String>, written: &[PathBuf]) -> Result<()> {
    for (file, sha) in earlier {
        let path = dir.join(file);
        if written.contains(&path) || file.contains(['/', '\\']) || !file.starts_with("copy-") {
            continue;
        }
        let unchanged = crate::input::read(&path, crate::input::Kind::Pdf)
            .is_ok_and(|bytes| crate::edition::sha256_hex(&bytes) == *sha);
        if unchanged {
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
        }
    }
    Ok(())
}
