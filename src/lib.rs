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
//! [`book`] drives them for one book (resolve → select → edition →
//! compose → render → write); [`edition`] keeps the record of what each
//! edition of a book held. Around them: [`settings`] (every per-book
//! option, layered), [`project`] (brief.toml), [`book::plan`] (the books a
//! run makes), and the command layer, [`cli`] and [`cmd`], which alone
//! prints. The binary is a thin shell over [`run`]. ARCHITECTURE.md has
//! the map.

pub mod book;
pub mod cite;
pub mod cli;
pub mod cmd;
pub mod completion;
pub mod compose;
pub mod corpus;
pub mod date;
pub mod diag;
pub mod edition;
pub mod error;
pub mod input;
pub mod output;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod select;
pub mod settings;
pub mod suggest;

pub use book::make_first as make;
pub use book::{Artifact, plan};
pub use error::{Error, Result};

use cli::{Cli, Command};

/// Runs a parsed command line and prints its error, if any; returns the
/// exit code (see the README's table). A build prints each path it wrote
/// on stdout, one per line; everything else goes to stderr.
pub fn run(cli: Cli) -> u8 {
    // Deep documents and styles recurse deeply in the layout and citation
    // engines: every thread that may run them gets a large stack (only
    // what is used is ever touched): the one the command runs on, the
    // threads books are made on (`cmd::build`) and the rayon workers
    // their pages are laid out on.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(STACK).build_global();
    let runner = std::thread::Builder::new().stack_size(STACK).spawn(move || run_here(cli));
    match runner.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => run_here_fallback(),
    }
}

/// The stack of each thread brief runs a book on.
pub(crate) const STACK: usize = 256 << 20;

/// When no thread could be started: the one error a run can give then.
fn run_here_fallback() -> u8 {
    eprintln!("error: cannot start a thread to run on");
    3
}

/// [`run`], on the current thread.
fn run_here(mut cli: Cli) -> u8 {
    let format = cli.diagnostic_format();
    diag::set_color(cli.color);
    let here = std::env::current_dir().unwrap_or_default();
    if let Err(error) = cli.locate(&here) {
        cmd::report::error(&error, format);
        return error.exit_code();
    }
    let today = || chrono::Local::now().date_naive();
    let result: Result<(), cmd::Failed> = match cli.command {
        Some(Command::Check(args)) => cmd::check::check(&args),
        Some(Command::Build(args)) => args
            .into_args()
            .into_request(today, project::load)
            .and_then(|r| cmd::build::build(&r))
            .map_err(Into::into),
        Some(Command::Watch(args)) => cmd::watch::watch(&args.into_args()).map_err(Into::into),
        Some(Command::List(args)) => cmd::list::list(&args).map_err(Into::into),
        Some(Command::Init { dir }) => cmd::init::init(&dir).map_err(Into::into),
        Some(Command::Templates { action: cli::TemplatesCommand::Export { dir } }) => {
            cmd::init::export_templates(&dir).map_err(Into::into)
        }
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            cli::completions(shell, &mut script);
            cmd::report::out_bytes(&script);
            Ok(())
        }
        Some(Command::Complete { kind }) => {
            cmd::complete::complete(kind, &here);
            Ok(())
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            cmd::man::man(&mut page).expect("writing to memory");
            cmd::report::out_bytes(&page);
            Ok(())
        }
        Some(Command::Reference) => {
            cmd::report::out_bytes(scaffold::REFERENCE.as_bytes());
            Ok(())
        }
        None => cli
            .build
            .into_request(today, project::load)
            .and_then(|r| cmd::build::build(&r))
            .map_err(Into::into),
    };
    let result = match result {
        Ok(()) if cmd::report::stdout_failed() => {
            let source = std::io::Error::other("standard output could not be written");
            Err(cmd::Failed::from(Error::Io { path: "<stdout>".into(), source }))
        }
        other => other,
    };
    match result {
        Ok(()) => 0,
        Err(cmd::Failed { error, printed: true }) => {
            eprintln!("error: {error}");
            error.exit_code()
        }
        Err(cmd::Failed { error, printed: false }) => {
            cmd::report::error(&error, format);
            error.exit_code()
        }
    }
}
