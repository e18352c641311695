//! `brief check`: validate the corpus and brief.toml, reporting every
//! problem at once. If it passes, the standing books and ad-hoc books on
//! the corpus's themes can be built: each standing book (and brief.toml's
//! defaults) is resolved against the corpus and its logo and style read,
//! as a build would. Writes nothing.

use std::collections::BTreeMap;

use super::Failed;
use crate::book::{self, plan::Book, plan::ProjectFile};
use crate::cli::CheckArgs;
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::project;
use crate::render::fonts::Fonts;

/// Checks everything and prints a summary; `Err` if any problem is an
/// error.
pub fn check(args: &CheckArgs) -> Result<(), Failed> {
    let project = project::load(args.data())?;
    let books = project.as_ref().map(Book::all_of).unwrap_or_default();
    // The fonts every book of the project is set in, so that a character
    // only an added font has is not reported, and a bad font directory is
    // found here rather than by the nightly build.
    let mut by_dir = BTreeMap::new();
    for dir in books.iter().map(|b| &b.settings.font_path) {
        if !by_dir.contains_key(dir) {
            by_dir.insert(dir.clone(), Fonts::with_dirs(dir.as_slice()).map_err(Error::from)?);
        }
    }
    let fonts = std::iter::once(Fonts::with_dirs(args.font_path.as_slice()).map_err(Error::from)?)
        .chain(by_dir.values().cloned())
        .collect::<Vec<_>>();
    let loaded = crate::book::load(args.data(), &fonts, &Default::default())?;
    let (project_problems, project_files, other) = match &project {
        Some(project) => {
            let file = ProjectFile { path: &project.path, files: &project.files };
            let mut problems = project.all_problems();
            if let (Some(state), Some(at)) = (&project.state, &project.state_at) {
                let read =
                    loaded.files.iter().map(|(path, _)| path).chain([project.path.as_path()]);
                if let Some(why) = book::standing::state_problem(state, args.data(), read) {
                    let problem = diag::Problem::BadSetting { key: "state".into(), message: why };
                    problems.push(Diagnostic::error(&project.path, at.clone(), problem));
                }
            }
            let other = book::resolve::check(
                &books,
                &loaded.corpus,
                args.data(),
                file,
                &by_dir,
                &mut problems,
            );
            (problems, project.files.clone(), other)
        }
        None => (Vec::new(), diag::Files::default(), None),
    };
    diag::emit(&loaded.files, &loaded.diagnostics, args.diagnostic_format);
    diag::emit(&project_files, &project_problems, args.diagnostic_format);
    let errors = |all: Vec<Diagnostic>| -> Vec<Diagnostic> {
        all.into_iter().filter(|d| d.severity == diag::Severity::Error).collect()
    };
    if diag::has_errors(&loaded.diagnostics) {
        return Err(Failed::printed(Error::Corpus(errors(loaded.diagnostics), loaded.files)));
    }
    if diag::has_errors(&project_problems) {
        return Err(Failed::printed(Error::Project(errors(project_problems), project_files)));
    }
    if let Some(error) = other {
        return Err(error.into());
    }
    eprintln!("{}: ok: {}", args.data().display(), crate::book::census(&loaded));
    Ok(())
}
