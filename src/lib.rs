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
//! The binary is a thin shell over [`run`]; [`build`] drives the stages for
//! one book or for every standing book of a project.

pub mod cli;
pub mod compose;
pub mod corpus;
pub mod diag;
pub mod error;
pub mod output;
pub mod project;
pub mod render;
pub mod select;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use error::{Error, Result};

use cli::{BuildRequest, Cli, Command, CorpusArgs, Job};
use compose::BookOptions;
use corpus::Loaded;
use diag::Severity;
use render::{RenderOptions, Templates};
use select::Query;

/// Runs a parsed command line. A build prints each path it wrote on
/// stdout, one per line; everything else goes to stderr.
pub fn run(cli: Cli) -> Result<()> {
    let today = || chrono::Local::now().date_naive();
    match cli.command {
        Some(Command::Check(args)) => check(&args),
        Some(Command::Build(args)) => build(&args.into_request(today, project::load)?),
        Some(Command::Watch(args)) => watch(&args.into_request(today, project::load)?),
        None => build(&cli.build.into_request(today, project::load)?),
    }
}

/// Prints an error the way its kind should be shown.
pub fn report(error: &Error, format: diag::DiagnosticFormat) {
    match error {
        Error::Corpus(diagnostics, files) | Error::Template(diagnostics, files) => {
            diag::emit(files, diagnostics, format);
            eprintln!("error: {error}");
        }
        // The failing books were reported as they failed; this is the tally.
        Error::Usage(_) | Error::Io { .. } | Error::Books { .. } => eprintln!("error: {error}"),
    }
}

/// Validates the corpus and reports every problem; `Err` if any is an error.
pub fn check(args: &CorpusArgs) -> Result<()> {
    let loaded = load_checked(args)?;
    let c = &loaded.corpus;
    // The standing books, if the project names any, must name real themes
    // and dates too: a nightly `build --all` should not be the first to find
    // out.
    if project::path_for(&args.data).exists() {
        let project = project::load(&args.data)?;
        for book in &project.books {
            select::resolve_themes(c, &book.themes)
                .map_err(|message| project::book_error(&book.name, message))?;
            book.range()?;
        }
    }
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

/// What every book of a run shares: the loaded corpus, the templates, the
/// date. Fonts and Typst's memoised work are shared process-wide.
struct Shared<'a> {
    request: &'a BuildRequest,
    loaded: Loaded,
    templates: Templates,
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
    /// The hash of everything the PDF was made from.
    pub inputs: u128,
}

/// How long each stage of one book took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Loading and validating the corpus (shared by all books of a run).
    pub load: Duration,
    /// Selecting.
    pub select: Duration,
    /// Composing, including serialising the book to JSON.
    pub compose: Duration,
    /// Typst's compilation (layout).
    pub compile: Duration,
    /// PDF export.
    pub export: Duration,
    /// Writing the file.
    pub write: Duration,
}

/// What happened to one book.
#[derive(Debug)]
pub enum Outcome {
    /// Written, with its page count.
    Written(PathBuf, usize),
    /// Skipped by --if-changed: its inputs are what they were.
    Unchanged(PathBuf),
}

/// Runs the pipeline for the request's first book up to the PDF bytes,
/// writing nothing. (The tests' entry point.)
pub fn make(request: &BuildRequest) -> Result<Built> {
    let shared = share(request, load_checked_for(request)?)?;
    let job = request.jobs.first().ok_or_else(|| Error::Usage("no book to build".into()))?;
    make_job(&shared, job, &mut Timings::default()).map(|(built, _)| built)
}

fn load_checked_for(request: &BuildRequest) -> Result<Loaded> {
    load_checked(&CorpusArgs { data: request.data.clone(), diagnostic_format: request.format })
}

fn share(request: &BuildRequest, loaded: Loaded) -> Result<Shared<'_>> {
    let templates = match &request.templates {
        Some(dir) => Templates::with_overrides(dir)
            .map_err(|source| Error::Io { path: dir.clone(), source })?,
        None => Templates::default(),
    };
    Ok(Shared { request, loaded, templates })
}

/// Builds one book; the flag is true when --if-changed finds the PDF
/// current (then nothing is rendered).
fn make_job(shared: &Shared, job: &Job, timings: &mut Timings) -> Result<(Built, bool)> {
    let request = shared.request;
    let corpus = &shared.loaded.corpus;
    let themes =
        select::resolve_themes(corpus, &job.themes).map_err(|message| match job.name.as_str() {
            "" => Error::Usage(message),
            name => project::book_error(name, message),
        })?;
    let path = job.out_path(&request.data, &themes);
    let ident = job.slug(&themes);

    let start = Instant::now();
    let selection = select::select(corpus, Query { themes, range: job.range });
    timings.select = start.elapsed();

    let start = Instant::now();
    let options = BookOptions {
        title: job.title.clone(),
        handling: job.handling.clone(),
        as_of: request.as_of,
        paper: job.paper.typst_name().to_string(),
        duplex: job.duplex,
        watermark: job.watermark.clone(),
    };
    let book = compose::compose(&selection, &options);
    let json = render::book_json(&book);
    timings.compose = start.elapsed();

    let render_options = RenderOptions {
        templates: shared.templates.clone(),
        corpus_dir: request.data.clone(),
        images: shared.loaded.images.clone(),
        as_of: request.as_of,
        ident,
        standard: job.standard,
    };
    let inputs = render::inputs_hash(&json, &render_options);
    if request.if_changed && output::recorded_inputs(&path) == Some(inputs) && path.exists() {
        let rendered = render::Rendered::default();
        return Ok((Built { path, book, rendered, inputs }, true));
    }
    if let Some(dir) = &request.emit_typ {
        let dir = if request.jobs.len() > 1 { dir.join(&job.name) } else { dir.clone() };
        render::emit_typ(&dir, &json, &render_options.templates)
            .map_err(|source| Error::Io { path: dir.clone(), source })?;
    }
    let rendered = render::render_json(json, &render_options)?;
    timings.compile = rendered.compile;
    timings.export = rendered.export;
    diag::emit(&rendered.files, &rendered.warnings, request.format);
    Ok((Built { path, book, rendered, inputs }, false))
}

/// Builds and writes every book of the request, in parallel where that
/// helps. Prints each path written on stdout and one progress line per
/// book on stderr (unless quiet).
pub fn build(request: &BuildRequest) -> Result<()> {
    let start = Instant::now();
    let loaded = load_checked_for(request)?;
    let load = start.elapsed();
    let shared = share(request, loaded)?;
    let total = request.jobs.len();

    let one = |index: usize| -> Result<Outcome> {
        let job = &request.jobs[index];
        let started = Instant::now();
        let mut timings = Timings { load, ..Timings::default() };
        let (built, unchanged) = make_job(&shared, job, &mut timings)?;
        let outcome = if unchanged {
            Outcome::Unchanged(built.path)
        } else {
            let write = Instant::now();
            output::write_atomic(&built.path, &built.rendered.pdf)?;
            output::record_inputs(&built.path, built.inputs)?;
            timings.write = write.elapsed();
            println!("{}", built.path.display());
            Outcome::Written(built.path, built.rendered.pages)
        };
        if !request.quiet {
            progress(index, total, job, &outcome, started.elapsed());
        }
        if request.timings {
            eprintln!("brief: timings{}: {}", label(job), describe(&timings));
        }
        Ok(outcome)
    };

    if total == 1 {
        return one(0).map(drop);
    }
    // Books share the corpus and fonts; Typst's memoised work (comemo) is
    // shared across threads too. One thread per core is enough: a Typst
    // compilation is mostly single-threaded.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(total);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    if index >= total {
                        break;
                    }
                    if let Err(error) = one(index) {
                        eprintln!("brief: {}: failed", request.jobs[index].name);
                        report(&error, request.format);
                        failures.lock().unwrap().push(error.exit_code());
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    match failures.iter().max() {
        None => Ok(()),
        Some(&code) => Err(Error::Books { failed: failures.len(), total, code }),
    }
}

/// Builds, then rebuilds on every change to a file under the corpus or
/// template directory, until interrupted. Problems are printed and the
/// watch goes on; each rebuild's time is printed. Typst's memoised work
/// (comemo) lives across rebuilds, so unchanged parts of the book are not
/// laid out again.
pub fn watch(request: &BuildRequest) -> Result<()> {
    let mut roots = vec![request.data.clone()];
    roots.extend(request.templates.clone());
    let mut seen = None;
    loop {
        let now = snapshot(&roots);
        if seen.as_ref() != Some(&now) {
            let start = Instant::now();
            match build(request) {
                Ok(()) => eprintln!(
                    "brief: watch: built in {:.0} ms",
                    start.elapsed().as_secs_f64() * 1000.0
                ),
                Err(error) => report(&error, request.format),
            }
            // Drop memoised results not used for a few rebuilds.
            comemo::evict(10);
            seen = Some(now);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The modification time and size of every file under the roots.
fn snapshot(roots: &[PathBuf]) -> Vec<(PathBuf, Option<std::time::SystemTime>, u64)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Option<std::time::SystemTime>, u64)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => walk(&path, out),
                Ok(meta) => out.push((path, meta.modified().ok(), meta.len())),
                Err(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    for root in roots {
        walk(root, &mut out);
    }
    out.sort();
    out
}

fn label(job: &Job) -> String {
    if job.name.is_empty() { String::new() } else { format!(" {}", job.name) }
}

fn progress(index: usize, total: usize, job: &Job, outcome: &Outcome, took: Duration) {
    let counter = if total > 1 { format!("[{}/{total}] ", index + 1) } else { String::new() };
    let name = if job.name.is_empty() { String::new() } else { format!("{}: ", job.name) };
    match outcome {
        Outcome::Written(path, pages) => eprintln!(
            "brief: {counter}{name}wrote {} ({pages} pages, {:.1} s)",
            path.display(),
            took.as_secs_f64()
        ),
        Outcome::Unchanged(path) => eprintln!("brief: {counter}{name}unchanged {}", path.display()),
    }
}

fn describe(t: &Timings) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "load {:.1} ms, select {:.1} ms, compose {:.1} ms, compile {:.1} ms, export {:.1} ms, write {:.1} ms",
        ms(t.load),
        ms(t.select),
        ms(t.compose),
        ms(t.compile),
        ms(t.export),
        ms(t.write)
    )
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

/// The path of a file beside `path`, hidden, with a suffix.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}
