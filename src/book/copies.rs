//! Numbered copies: whom they are for, their marks ("Copy 3 of 12 ·
//! Name"), and the files they are written to: `out/<book>/copy-NN.pdf`
//! and `register.csv` (copy, recipient, file, SHA-256). The book is laid
//! out once; `render::copies` marks and exports each copy.

use std::path::PathBuf;

use super::make::Artifact;
use super::plan::{Book, CopiesFor};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::output;

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
/// files written, the register last.
pub fn write(artifact: &Artifact, names: &[String]) -> Result<Vec<PathBuf>> {
    let total = names.len();
    let marks: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("Copy {} of {total} · {name}", i + 1))
        .collect();
    let pdfs = crate::render::copies::copies(&artifact.rendered, &artifact.options, &marks)?;
    let dir = artifact.path.with_extension("");
    let digits = total.to_string().len().max(2);
    // Writing CSV into memory cannot fail.
    let mut register = csv::Writer::from_writer(Vec::new());
    let row = |register: &mut csv::Writer<Vec<u8>>, cells: [&str; 4]| {
        register.write_record(cells).expect("CSV is written to memory");
    };
    row(&mut register, ["copy", "recipient", "file", "sha256"]);
    let mut written = Vec::new();
    for (i, (name, pdf)) in names.iter().zip(&pdfs).enumerate() {
        let file = format!("copy-{:0digits$}.pdf", i + 1);
        let path = dir.join(&file);
        output::write_atomic(&path, pdf)?;
        let sha = crate::edition::sha256_hex(pdf);
        row(&mut register, [&(i + 1).to_string(), &cell(name), &file, &sha]);
        written.push(path);
    }
    remove_stale(&dir, &written)?;
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

/// Removes the copies in `dir` an earlier run made (for more recipients)
/// that this run did not write.
fn remove_stale(dir: &std::path::Path, written: &[PathBuf]) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("copy-") && name.ends_with(".pdf") && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
        }
    }
    Ok(())
}
