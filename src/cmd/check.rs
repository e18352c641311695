//! `brief check`: validate the corpus and brief.toml, reporting every
//! problem at once. If it passes, the standing books and ad-hoc books on
//! the corpus's themes can be built. Writes nothing.

use crate::cli::CheckArgs;
use crate::diag;
use crate::error::{Error, Result};
use crate::project;
use crate::render::fonts::Fonts;
use crate::select;

/// Checks everything and prints a summary; `Err` if any problem is an
/// error.
pub fn check(args: &CheckArgs) -> Result<()> {
    let project = project::load(&args.data)?;
    // The fonts every book of the project is set in, so that a character
    // only an added font has is not reported, and a bad font directory is
    // found here rather than by the nightly build.
    let mut fonts = vec![Fonts::with_dirs(args.font_path.as_slice())?];
    for settings in project.iter().flat_map(|p| {
        let defaults = p.defaults.clone();
        std::iter::once(defaults.clone())
            .chain(p.books.iter().map(move |b| b.settings.clone().over(defaults.clone())))
    }) {
        if settings.font_path.is_some() {
            fonts.push(Fonts::with_dirs(settings.font_path.as_slice())?);
        }
    }
    let loaded = super::load(&args.data, &fonts, &Default::default())?;
    let c = &loaded.corpus;
    // The standing books, if the project names any, must name real themes
    // and dates too: a nightly `build --all` should not be the first to
    // find out.
    let mut project_problems = Vec::new();
    let mut project_files = diag::Files::default();
    let mut style_error = None;
    if let Some(project) = project {
        project_problems = project.all_problems();
        if let Some(Err(unknown)) =
            project.defaults.audience.as_deref().map(|a| select::resolve_audience(c, a))
        {
            project_problems.push(unknown.diagnostic(&project.path, 0..0));
        }
        for book in project.books.iter().filter(|b| b.problems.is_empty()) {
            // A book's own .csl file must be one Typst can use.
            let style_only = crate::settings::BookSettings {
                csl: book.settings.csl.clone(),
                ..Default::default()
            };
            if let Err(e) = super::build::brand_files(&args.data, &style_only) {
                style_error.get_or_insert(e);
            }
            if let Err(unknown) = select::resolve_themes(c, &book.themes) {
                project_problems.push(unknown.diagnostic(&project.path, book.themes_at.clone()));
            }
            if let Some(Err(unknown)) =
                book.meeting.as_deref().map(|m| select::resolve_meeting(c, m))
            {
                project_problems.push(unknown.diagnostic(&project.path, book.themes_at.clone()));
            }
            let audience = book.settings.clone().over(project.defaults.clone()).audience;
            if let Some(Err(unknown)) = audience.as_deref().map(|a| select::resolve_audience(c, a))
            {
                project_problems.push(unknown.diagnostic(&project.path, book.themes_at.clone()));
            }
        }
        project_files = project.files;
    }
    diag::emit(&loaded.files, &loaded.diagnostics, args.diagnostic_format);
    diag::emit(&project_files, &project_problems, args.diagnostic_format);
    let corpus_errors = diag::has_errors(&loaded.diagnostics);
    let project_errors = diag::has_errors(&project_problems);
    if corpus_errors || project_errors {
        let (diagnostics, files) = if corpus_errors {
            (loaded.diagnostics, loaded.files)
        } else {
            (project_problems, project_files)
        };
        // Already printed: the error's summary line is what is left.
        let errors = diagnostics.into_iter().filter(|d| d.severity == diag::Severity::Error);
        let error = if corpus_errors {
            Error::Corpus(errors.collect(), files)
        } else {
            Error::Project(errors.collect(), files)
        };
        return Err(Error::Reported(Box::new(error)));
    }
    if let Some(e) = style_error {
        return Err(e);
    }
    // Every file under findings/ is a finding, a reported problem, or an
    // image beside the findings: say how many of those were left alone.
    let assets = match loaded.assets {
        0 => String::new(),
        n => format!(" ({n} image file(s) beside them)"),
    };
    eprintln!(
        "{}: ok: {} findings{assets}, {} themes, {} sources, {} events, {} issues, {} participants",
        args.data.display(),
        c.findings.len(),
        c.themes.len(),
        c.sources.len(),
        c.events.len(),
        c.issues.len(),
        c.participants.len()
    );
    Ok(())
}
