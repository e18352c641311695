//! Standing books are safe from ad-hoc ones. A book asked for on the
//! command line (`brief --theme afghanistan`) whose PDF would go where a
//! standing book of brief.toml goes is either that book or refused:
//!
//! - it selects what the standing book selects (the same themes or
//!   meeting and dates): it *is* that book, made as `brief build NAME`
//!   makes it (its settings under the flags, its editions, its state);
//! - it selects anything else: it is refused, before anything is written,
//!   naming the standing book and the two ways on (`brief build NAME`, or
//!   `--out` elsewhere). Never is a standing book's PDF overwritten with
//!   another book, nor its edition history continued by another book.
//!
//! The state directory follows the rules every output follows: it never
//! holds a file a book is made from, no ad-hoc book is written into it,
//! and it is never inside the corpus's `findings/`. Reads nothing.

use std::path::Path;

use super::plan::{ProjectFile, Request};
use super::{Session, resolved};
use crate::error::{Error, Result};

/// The request with each ad-hoc book that is a standing book replaced by
/// that book, and a line for each such book, for the caller to print. A
/// refused book, or a state directory that breaks the rules, is the
/// error.
pub fn settle(request: &Request, session: &Session) -> Result<(Request, Vec<String>)> {
    if let Some(state) = &request.state {
        refuse_state(session, &request.data, state)?;
    }
    let project = ProjectFile { path: &session.project, files: &request.project_files };
    let mut notes = Vec::new();
    let mut books = Vec::with_capacity(request.books.len());
    for book in &request.books {
        if book.name().is_some() {
            books.push(book.clone());
            continue;
        }
        // A book that cannot be resolved fails when made, as it would.
        let Ok(ad_hoc) = book.resolve(session.corpus(), &request.data, project) else {
            books.push(book.clone());
            continue;
        };
        let target = resolved(&ad_hoc.path);
        if let Some(state) = &request.state
            && target.starts_with(resolved(state))
        {
            return Err(Error::Usage(format!(
                "{}: is inside the state directory {}, where brief keeps the standing books' records; write the book elsewhere",
                ad_hoc.path.display(),
                state.display()
            )));
        }
        let standing = request
            .standing
            .iter()
            .find(|s| s.name().is_some() && resolved(&s.out_path(&request.data, &[])) == target);
        let Some(standing) = standing else {
            books.push(book.clone());
            continue;
        };
        let name = standing.name().unwrap_or_default();
        let same = standing.resolve(session.corpus(), &request.data, project).is_ok_and(|s| {
            let (mut mine, mut theirs) = (ad_hoc.query.themes.clone(), s.query.themes.clone());
            mine.sort();
            theirs.sort();
            mine == theirs
                && ad_hoc.query.meeting == s.query.meeting
                && ad_hoc.query.range == s.query.range
        });
        if !same {
            return Err(Error::Usage(format!(
                "{}: is where the standing book `{name}` of {} goes, and this book selects other findings; brief never writes another book over a standing one or its editions\n  = hint: build that book with `brief build {name}`, or write this one elsewhere with --out FILE",
                ad_hoc.path.display(),
                session.project.display()
            )));
        }
        notes.push(format!(
            "brief: {} is the standing book `{name}` of {}: making it as `brief build {name}` does",
            ad_hoc.path.display(),
            session.project.display()
        ));
        books.push(standing.clone());
    }
    Ok((Request { books, ..request.clone() }, notes))
}

/// Refuses a state directory that holds a file the books are made from,
/// is the corpus directory, or lies inside its `findings/` (which would
/// read the records as findings).
fn refuse_state(session: &Session, data: &Path, state: &Path) -> Result<()> {
    session.refuse_folder_of_inputs(state, "the state directory")?;
    match state_problem(state, data, std::iter::empty()) {
        Some(why) => Err(Error::Usage(format!("the state directory {}: {why}", state.display()))),
        None => Ok(()),
    }
}

/// What is wrong with `state` as the state directory of the corpus at
/// `data` whose files are `inputs`, if anything: `check` says so at
/// brief.toml's `state`, a build refuses it.
pub fn state_problem<'a>(
    state: &Path,
    data: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Option<String> {
    let dir = resolved(state);
    let corpus = resolved(data);
    if dir == corpus || dir.starts_with(corpus.join("findings")) {
        return Some(format!(
            "is inside the corpus {}, which brief reads; keep it beside the corpus (e.g. `state = \"state\"` in brief.toml)",
            data.display()
        ));
    }
    let held = inputs.into_iter().find(|input| resolved(input).starts_with(&dir))?;
    Some(format!(
        "holds {}, which the books are made from; brief never writes over it",
        held.display()
    ))
}
