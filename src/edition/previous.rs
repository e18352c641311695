//! Which earlier edition a book is compared with: the one `--since` names,
//! else the one last written at the book's path, and only if it is an
//! edition of the same book for the same audience (an edition made for
//! another audience could name, among its withdrawn items, titles above
//! this one's level). Reads the records; says what it set aside as
//! warnings, for the caller to print.

use std::path::Path;

use super::{Record, store};
use crate::error::{Error, Result};

/// The edition to compare with, and why any record found was set aside.
#[derive(Debug, Default)]
pub struct Previous {
    /// The record compared with; `None` for a first edition.
    pub record: Option<Record>,
    /// With `--since`: the latest edition written beside the book, which
    /// the new edition's number follows (a book never goes back to an
    /// older edition's number).
    pub latest: Option<Record>,
    /// Why a record found beside the book was not used (the book then
    /// starts again at edition 1), or gave way to the one inside the PDF;
    /// each says what follows from it.
    pub warnings: Vec<String>,
}

impl Previous {
    /// The latest edition written: the one numbers and editions follow.
    pub fn last(&self) -> Option<&Record> {
        self.latest.as_ref().or(self.record.as_ref())
    }
}

/// The edition a book named `ident`, for `audience`, whose records are at
/// `place` is compared with: `since`'s (an error if it is not an edition
/// of this book for this audience), else the one last written there (set
/// aside, with a warning, if it is unreadable or of another book or
/// audience).
pub fn previous(
    since: Option<&Path>,
    place: &store::Place,
    ident: &str,
    audience: Option<&str>,
) -> Result<Previous> {
    let pdf = place.pdf();
    let mut warnings = Vec::new();
    let latest = store::last_written(place, audience, &mut warnings).unwrap_or_else(|why| {
        warnings.push(why);
        None
    });
    let latest = latest.filter(|p| {
        if p.book != ident {
            warnings.push(format!(
                "{} holds an edition of `{}`, not of `{ident}`; making edition 1",
                pdf.display(),
                p.book
            ));
            return false;
        }
        if p.audience.as_deref() != audience {
            warnings.push(format!(
                "the previous edition of {ident} was made for audience {}; making edition 1",
                shown(p.audience.as_deref())
            ));
            return false;
        }
        true
    });
    Ok(match since {
        Some(file) => Previous { record: Some(named(file, ident, audience)?), latest, warnings },
        None => Previous { record: latest, latest: None, warnings },
    })
}

/// The record inside the PDF `--since` names, which must be an edition of
/// this book for this audience.
fn named(file: &Path, ident: &str, audience: Option<&str>) -> Result<Record> {
    let bytes = crate::input::read(file, crate::input::Kind::Pdf)
        .map_err(|source| Error::Io { path: file.into(), source })?;
    let since = |why: String| Error::Usage(format!("--since {}: {why}", file.display()));
    let record = store::embedded(&bytes).map_err(since)?;
    if record.book != ident {
        return Err(since(format!("is an edition of `{}`, not of `{ident}`", record.book)));
    }
    if record.audience.as_deref() != audience {
        return Err(since(format!(
            "was made for audience {}, this book is for {}",
            shown(record.audience.as_deref()),
            shown(audience)
        )));
    }
    Ok(record)
}

fn shown(audience: Option<&str>) -> &str {
    audience.unwrap_or("(all levels)")
}
