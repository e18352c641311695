//! A book against the corpus: its themes, meeting and audience resolved
//! into a [`Query`], its name and output path settled. A problem with a
//! value brief.toml set is located at that value's own key (exit 1); one
//! the command line gave is a usage error (exit 2). Pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::plan::{Book, ProjectFile};
use crate::corpus::Corpus;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::render::fonts::Fonts;
use crate::select::{self, Query, Scope};

/// A book resolved against the corpus.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// What to select.
    pub query: Query,
    /// The name the book goes by (its edition records name it).
    pub ident: String,
    /// Where its PDF goes.
    pub path: PathBuf,
}

impl Book {
    /// Resolves the book's themes, meeting and audience against `corpus`.
    /// Every problem with a value set in brief.toml is reported at once,
    /// each at its own key; otherwise the first problem with a flag is the
    /// error. A book brief.toml spoils is not resolved.
    pub fn resolve(&self, corpus: &Corpus, data: &Path, project: ProjectFile) -> Result<Resolved> {
        if !self.problems.is_empty() {
            return Err(project.error(self.problems.clone()));
        }
        let mut located = Vec::new();
        let mut unlocated = None;
        let mut fail =
            |key: &str, at: &dyn Fn(std::ops::Range<usize>) -> Diagnostic, e: Error| match self
                .at
                .get(key)
            {
                Some(span) => located.push(at(span.clone())),
                None => drop(unlocated.get_or_insert(e)),
            };
        let themes = match &self.scope {
            Scope::Themes(given) => select::resolve_themes(corpus, given).unwrap_or_else(|u| {
                fail(
                    "themes",
                    &|at| u.diagnostic(project.path, at),
                    Error::UnknownTheme(u.clone()),
                );
                Vec::new()
            }),
            Scope::All => Vec::new(),
            Scope::Meeting(id) => {
                if let Err(u) = select::resolve_meeting(corpus, id) {
                    let at = |at| u.diagnostic(project.path, at);
                    fail("meeting", &at, Error::UnknownMeeting(u.clone()));
                }
                Vec::new()
            }
        };
        let audience = self.settings.audience.as_deref().and_then(|id| {
            select::resolve_audience(corpus, id)
                .map_err(|u| {
                    let at = |at| u.diagnostic(project.path, at);
                    fail("audience", &at, Error::Usage(u.to_string()));
                })
                .ok()
        });
        if !located.is_empty() {
            return Err(project.error(located));
        }
        if let Some(error) = unlocated {
            return Err(error);
        }
        let meeting = self.scope.meeting().map(str::to_string);
        let query = Query { themes, range: self.range, meeting, audience };
        let path = self.out_path(data, &query.themes);
        Ok(Resolved { ident: self.slug(&query.themes), path, query })
    }
}

/// What `books` would meet when made, short of laying them out: each
/// problem located in brief.toml (an unknown theme, meeting or audience, a
/// logo or style that cannot be used) added once to `problems`, a
/// recipients file's problems, and the
/// first problem no place in brief.toml accounts for. A book brief.toml
/// already spoils is skipped.
pub fn check(
    books: &[Book],
    corpus: &Corpus,
    data: &Path,
    project: ProjectFile,
    fonts: &BTreeMap<Option<PathBuf>, Fonts>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Error> {
    let mut other = None;
    for book in books.iter().filter(|b| b.problems.is_empty()) {
        let resolved = book.resolve(corpus, data, project);
        // The recipients of its numbered copies, as a build reads them.
        let copies = match (&resolved, &book.settings.copies_for) {
            (Ok(r), Some(who)) => {
                let visible = corpus.visible_to(r.query.audience);
                super::copies::recipients(who, &visible.corpus, book, r.query.audience).map(drop)
            }
            _ => Ok(()),
        };
        let assets = super::assets::read(data, book, project).map(drop);
        let families = match fonts.get(&book.settings.font_path) {
            Some(fonts) => super::assets::check_fonts(book, fonts, project),
            None => Ok(()),
        };
        for result in [resolved.map(drop), copies, assets, families] {
            match result {
                Ok(()) => {}
                Err(Error::Project(found, _)) => {
                    for d in found {
                        if !problems.contains(&d) {
                            problems.push(d);
                        }
                    }
                }
                Err(error) => drop(other.get_or_insert(error)),
            }
        }
    }
    other
}
