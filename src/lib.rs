//! brief turns a corpus of Markdown findings into a print-ready PDF
//! briefing book, with the Typst compiler embedded as a library.
//!
//! The pipeline runs one way, one module per stage:
//!
//! 1. [`corpus::load`]: the corpus directory to a checked [`corpus::Corpus`]
//!    and every problem in it (reads files);
//! 2. [`select::select`]: the findings, events, issues, sources and people a
//!    book holds (pure);
//! 3. [`compose::compose`]: the selection to a serialisable
//!    [`compose::BookView`] (pure);
//! 4. [`render::render`]: the book through the Typst templates to PDF bytes
//!    (reads only templates, listed images and shipped fonts);
//! 5. [`output::write_atomic`]: the bytes into place.
//!
//! The binary is a thin shell over [`run`].

pub mod cli;
pub mod compose;
pub mod corpus;
pub mod diag;
pub mod error;
pub mod output;
pub mod render;
pub mod select;

use std::path::PathBuf;

pub use error::{Error, Result};

use cli::{BuildRequest, Cli, Command, CorpusArgs};
use compose::BookOptions;
use corpus::Loaded;
use diag::{DiagnosticFormat, Severity};
use render::{RenderOptions, Templates};
use select::Query;

/// Runs a parsed command line. On success a build has printed the path it
/// wrote on stdout; problems go to stderr.
pub fn run(cli: Cli) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    match cli.command {
        Some(Command::Check(args)) => check(&args),
        Some(Command::Build(args)) => print_path(build(&args.into_request(today)?)?),
        None => print_path(build(&cli.build.into_request(today)?)?),
    }
}

fn print_path(path: PathBuf) -> Result<()> {
    println!("{}", path.display());
    Ok(())
}

/// Prints an error the way its kind should be shown.
pub fn report(error: &Error, format: DiagnosticFormat) {
    match error {
        Error::Corpus(diagnostics, files) | Error::Template(diagnostics, files) => {
            diag::emit(files, diagnostics, format);
            eprintln!("error: {error}");
        }
        Error::Usage(message) => eprintln!("error: {message}"),
        Error::Io { .. } => eprintln!("error: {error}"),
    }
}

/// Validates the corpus and reports every problem; `Err` if any is an error.
pub fn check(args: &CorpusArgs) -> Result<()> {
    let loaded = load_checked(args)?;
    let c = &loaded.corpus;
    eprintln!(
        "{}: ok: {} findings, {} themes, {} sources, {} events, {} issues, {} participants",
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

/// Loads a corpus, prints its warnings, and fails if it has errors.
fn load_checked(args: &CorpusArgs) -> Result<Loaded> {
    let loaded = corpus::load(&args.data)?;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        loaded.diagnostics.iter().cloned().partition(|d| d.severity == Severity::Error);
    diag::emit(&loaded.files, &warnings, args.diagnostic_format);
    if !errors.is_empty() {
        return Err(Error::Corpus(errors, loaded.files));
    }
    Ok(loaded)
}

/// A built book, before it is written.
#[derive(Debug)]
pub struct Built {
    /// Where it should go.
    pub path: PathBuf,
    /// The composed book.
    pub book: compose::BookView,
    /// The PDF.
    pub rendered: render::Rendered,
}

/// Runs the pipeline up to the PDF bytes, writing nothing.
pub fn make(request: &BuildRequest) -> Result<Built> {
    let args = CorpusArgs { data: request.data.clone(), diagnostic_format: request.format };
    let loaded = load_checked(&args)?;
    let themes = select::resolve_themes(&loaded.corpus, &request.themes).map_err(Error::Usage)?;
    let path = request.out_path(&themes);
    let selection = select::select(&loaded.corpus, Query { themes, range: request.range });
    let options = BookOptions {
        title: request.title.clone(),
        handling: request.handling.clone(),
        as_of: request.as_of,
        paper: "a4".to_string(),
    };
    let book = compose::compose(&selection, &options);
    let templates = match &request.templates {
        Some(dir) => Templates::with_overrides(dir)
            .map_err(|source| Error::Io { path: dir.clone(), source })?,
        None => Templates::default(),
    };
    let render_options = RenderOptions {
        templates,
        corpus_dir: request.data.clone(),
        images: loaded.images.clone(),
        as_of: request.as_of,
        ident: path
            .file_stem()
            .map_or_else(|| "brief".into(), |s| s.to_string_lossy().into_owned()),
    };
    let rendered = render::render(&book, &render_options)?;
    diag::emit(&rendered.files, &rendered.warnings, request.format);
    Ok(Built { path, book, rendered })
}

/// Builds a book and writes it atomically; returns the path written.
pub fn build(request: &BuildRequest) -> Result<PathBuf> {
    let built = make(request)?;
    output::write_atomic(&built.path, &built.rendered.pdf)?;
    Ok(built.path)
}

/// The candidate nearest to `given` within an edit distance below 3, as
/// just suggests recipes; ties go to the earlier candidate.
pub(crate) fn suggest<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(given, c), c))
        .filter(|(d, _)| *d < 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
