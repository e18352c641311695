//! Numbered copies: whom they are for, their marks ("Copy 3 of 12 ·
//! Name"), and the files they are written to: `out/<book>/copy-NN.pdf`
//! and `register.csv` (copy, recipient, level, file, SHA-256). The book
//! is laid out once per level its recipients are given (see
//! [`super::make`]); `render::copies` marks and exports each copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::plan::{Book, CopiesFor};
use crate::corpus::Corpus;
use crate::diag::{Diagnostic, Files, Problem};
use crate::error::{Error, Result};
use crate::output;
use crate::render::{RenderOptions, Rendered};

/// The longest recipient's name a copy's mark holds on one line.
const MAX_RECIPIENT: usize = 60;

/// One recipient of a numbered copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// The name on the mark and in the register.
    pub name: String,
    /// The rank of the level the copy is made for: the recipient's own
    /// level (never above the book's audience), else the book's audience;
    /// `None` for a book made for no audience.
    pub audience: Option<usize>,
    /// That level's id, for the register (empty for no audience).
    pub level: String,
}

/// Whom `--copies-for` names: a meeting's attendees (honorific and name,
/// in the order of its list), or the names in a file, one a line (blank
/// lines and `#` comments skipped), each optionally with a level of its
/// own after a `|`. `corpus` is what the book's `audience` may see. Reads
/// that file; a level it names that is unknown, or above the book's
/// audience, is an error located at the level.
pub fn recipients(
    copies_for: &CopiesFor,
    corpus: &Corpus,
    book: &Book,
    audience: Option<usize>,
) -> Result<Vec<Recipient>> {
    let id = |rank| level_id(corpus, rank);
    let recipients: Vec<Recipient> = match copies_for {
        CopiesFor::Attendees => {
            let meeting = book.scope.meeting().and_then(|id| corpus.meeting(id));
            let meeting = meeting.ok_or_else(|| {
                Error::Usage("--copies-for attendees needs a meeting's book (--meeting ID)".into())
            })?;
            meeting
                .attendees
                .iter()
                .filter_map(|id| corpus.participant(id))
                .map(|p| Recipient { name: p.full_name(), audience, level: id(audience) })
                .collect()
        }
        CopiesFor::File(file) => {
            let text = crate::input::read_to_string(file, crate::input::Kind::Text)
                .map_err(|source| Error::Io { path: file.clone(), source })?;
            from_file(file, &text, corpus, audience)?
        }
    };
    let names = || recipients.iter().map(|r| &r.name);
    if let Some(long) = names().find(|n| n.chars().count() > MAX_RECIPIENT) {
        return Err(Error::Usage(format!(
            "--copies-for: a recipient's name is longer than {MAX_RECIPIENT} characters (the mark must fit on one line): {long:?}"
        )));
    }
    if let Some(bad) = names().find(|n| n.chars().any(char::is_control)) {
        return Err(Error::Usage(format!(
            "--copies-for: a recipient's name holds a control character: {bad:?}"
        )));
    }
    if recipients.is_empty() {
        return Err(Error::Usage("--copies-for names no recipient".into()));
    }
    Ok(recipients)
}

/// The id of the level of `rank`, or nothing for a book made for no
/// audience (the register's `level`).
fn level_id(corpus: &Corpus, rank: Option<usize>) -> String {
    rank.map_or_else(String::new, |r| corpus.levels[r].id.clone())
}

/// The recipients a file lists: a name a line, or `Name | level` (the
/// level after the last `|`, whitespace around it trimmed). Every level
/// that is unknown or above `audience` (the book's) is reported at once,
/// each at its place in `path`.
fn from_file(
    path: &Path,
    text: &str,
    corpus: &Corpus,
    audience: Option<usize>,
) -> Result<Vec<Recipient>> {
    let id = |rank| level_id(corpus, rank);
    let mut recipients = Vec::new();
    let mut problems = Vec::new();
    // Where a part of `text` starts in it, for a problem's place.
    let place = |part: &str| {
        let at = part.as_ptr() as usize - text.as_ptr() as usize;
        at..at + part.len()
    };
    // A byte-order mark, as some editors write, is not a name.
    for entry in text.trim_start_matches('\u{feff}').lines().map(str::trim) {
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let Some((name, given)) = entry.rsplit_once('|').map(|(n, l)| (n.trim(), l.trim())) else {
            recipients.push(Recipient { name: entry.to_string(), audience, level: id(audience) });
            continue;
        };
        if name.is_empty() {
            let message = "a recipient's name is empty".to_string();
            let problem = Problem::BadValue { field: "name", message };
            problems.push(Diagnostic::error(path, place(entry), problem));
            continue;
        }
        match own_level(corpus, given, audience) {
            Ok(rank) => {
                let (name, level) = (name.to_string(), id(Some(rank)));
                recipients.push(Recipient { name, audience: Some(rank), level });
            }
            Err((problem, hint)) => {
                let d = Diagnostic::error(path, place(given), problem);
                problems.push(hint.into_iter().fold(d, Diagnostic::with_hint));
            }
        }
    }
    if problems.is_empty() {
        return Ok(recipients);
    }
    let mut files = Files::default();
    files.insert(path, text.into());
    Err(Error::Recipients(problems, files))
}

/// The rank of a recipient's own level `given`, or why it cannot be one
/// (with a hint): a level the corpus does not define, or one above the
/// book's `audience` (a copy is never made for more than its book holds).
fn own_level(
    corpus: &Corpus,
    given: &str,
    audience: Option<usize>,
) -> std::result::Result<usize, (Problem, Option<String>)> {
    let rank = crate::select::resolve_audience(corpus, given).map_err(|unknown| {
        let problem = Problem::UnknownRef { kind: "handling level", given: given.to_string() };
        let known = unknown.known.iter().map(String::as_str);
        let hint = match unknown.known.is_empty() {
            true => Some("the corpus defines no handling levels (data/levels.yaml)".to_string()),
            false => crate::suggest::hint(given, known, "known"),
        };
        (problem, hint)
    })?;
    match audience {
        Some(book) if rank > book => {
            let book = &corpus.levels[book].id;
            let message = format!(
                "`{}` is above the book's audience `{book}`: a copy is never made for more than its book holds",
                corpus.levels[rank].id
            );
            let hint = format!(
                "give this recipient `{book}` or a lower level, or make the book for a higher --audience"
            );
            Err((Problem::BadValue { field: "level", message }, Some(hint)))
        }
        _ => Ok(rank),
    }
}

/// A laid-out book numbered copies are made from: the book's own, or the
/// book laid out again for a level some recipients have.
#[derive(Clone, Copy, Debug)]
pub struct Layout<'a> {
    /// The rank of the level it was made for (`None`: no audience).
    pub audience: Option<usize>,
    /// The laid-out book.
    pub rendered: &'a Rendered,
    /// What it was rendered with (its copies are marked with it).
    pub options: &'a RenderOptions,
}

/// The register's columns, and those of the registers brief wrote before
/// recipients had levels (still its own, to write over and clean up).
const COLUMNS: [&str; 5] = ["copy", "recipient", "level", "file", "sha256"];
const COLUMNS_BEFORE_LEVELS: [&str; 4] = ["copy", "recipient", "file", "sha256"];

/// Writes one numbered copy per recipient into `out/<book>/` (the book's
/// path without `.pdf`), `copy-01.pdf` …, each made from the layout for
/// its recipient's level, removes the copies an earlier run made for more
/// recipients, and writes `register.csv`; returns the files written, the
/// register last. The folder must be new, empty, or one brief made (its
/// register lists what brief wrote there): brief writes over and removes
/// only the copies its register lists.
pub fn write(
    book: &Path,
    layouts: &[Layout<'_>],
    recipients: &[Recipient],
) -> Result<Vec<PathBuf>> {
    let dir = book.with_extension("");
    let earlier = earlier_register(&dir)?;
    let total = recipients.len();
    let digits = total.to_string().len().max(2);
    let file = |i: usize| format!("copy-{:0digits$}.pdf", i + 1);
    if let Some(theirs) =
        (0..total).map(file).find(|f| dir.join(f).exists() && !earlier.contains_key(f))
    {
        return Err(not_ours(&dir.join(theirs)));
    }
    let pdfs = marked(layouts, recipients)?;
    // Writing CSV into memory cannot fail.
    let mut register = csv::Writer::from_writer(Vec::new());
    let row = |register: &mut csv::Writer<Vec<u8>>, cells: [&str; 5]| {
        register.write_record(cells).expect("CSV is written to memory");
    };
    row(&mut register, COLUMNS);
    let mut written = Vec::new();
    for (i, (recipient, pdf)) in recipients.iter().zip(&pdfs).enumerate() {
        let file = file(i);
        let path = dir.join(&file);
        output::write_atomic(&path, pdf)?;
        let sha = crate::edition::sha256_hex(pdf);
        let name = cell(&recipient.name);
        row(&mut register, [&(i + 1).to_string(), &name, &recipient.level, &file, &sha]);
        written.push(path);
    }
    remove_stale(&dir, &earlier, &written)?;
    let register = register.into_inner().expect("CSV is written to memory");
    let register_path = dir.join("register.csv");
    output::write_atomic(&register_path, &register)?;
    written.push(register_path);
    Ok(written)
}

/// Every recipient's copy, in recipients' order: marked "Copy N of M ·
/// Name" (one count across every level) on the layout for its level.
fn marked(layouts: &[Layout<'_>], recipients: &[Recipient]) -> Result<Vec<Vec<u8>>> {
    let total = recipients.len();
    let mut pdfs: Vec<Option<Vec<u8>>> = vec![None; total];
    for layout in layouts {
        let marks: Vec<(usize, String)> = (1..)
            .zip(recipients)
            .filter(|(_, r)| r.audience == layout.audience)
            .map(|(n, r)| (n, format!("Copy {n} of {total} · {}", r.name)))
            .collect();
        if marks.is_empty() {
            continue;
        }
        let made = crate::render::copies::copies(layout.rendered, layout.options, &marks)?;
        for ((number, _), pdf) in marks.iter().zip(made) {
            pdfs[number - 1] = Some(pdf);
        }
    }
    recipients
        .iter()
        .zip(pdfs)
        .map(|(r, pdf)| {
            pdf.ok_or_else(|| {
                Error::Usage(format!("no book was laid out for the level of {:?}'s copy", r.name))
            })
        })
        .collect()
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
    let header: Vec<String> =
        rows.headers().map_or_else(|_| Vec::new(), |h| h.iter().map(str::to_string).collect());
    if header != COLUMNS && header != COLUMNS_BEFORE_LEVELS {
        return Err(not_ours(&register));
    }
    let (file, sha) = (header.len() - 2, header.len() - 1);
    let listed: Option<BTreeMap<String, String>> = rows
        .records()
        .map(|row| {
            let row = row.ok()?;
            Some((row.get(file)?.to_string(), row.get(sha)?.to_string()))
        })
        .collect();
    listed.ok_or_else(|| not_ours(&register))
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
