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
//! Around them: [`settings`] (every per-book option, layered), [`project`]
//! (brief.toml), [`plan`] (the books a run makes), [`edition`] (what a PDF
//! was made from), and the command layer, [`cli`] and [`cmd`], which alone
//! prints. The binary is a thin shell over [`run`].

pub mod changes;
pub mod cli;
pub mod cmd;
pub mod compose;
pub mod corpus;
pub mod date;
pub mod diag;
pub mod edition;
pub mod error;
pub mod output;
pub mod plan;
pub mod project;
pub mod render;
pub mod select;
pub mod settings;
pub mod suggest;

pub use cmd::build::{Artifact, make};
pub use error::{Error, Result};

use cli::{Cli, Command};

/// Runs a parsed command line and prints its error, if any; returns the
/// exit code (see the README's table). A build prints each path it wrote
/// on stdout, one per line; everything else goes to stderr.
pub fn run(cli: Cli) -> u8 {
    let format = cli.diagnostic_format();
    diag::set_color(cli.color);
    let today = || chrono::Local::now().date_naive();
    let result = match cli.command {
        Some(Command::Check(args)) => cmd::check::check(&args),
        Some(Command::Build(args)) => {
            args.into_request(today, project::load).and_then(|r| cmd::build::build(&r))
        }
        Some(Command::Watch(args)) => cmd::watch::watch(&args),
        Some(Command::List(args)) => cmd::list::list(&args),
        Some(Command::Init { dir }) => cmd::init::init(&dir),
        Some(Command::Templates { action: cli::TemplatesCommand::Export { dir } }) => {
            cmd::init::export_templates(&dir)
        }
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            cli::completions(shell, &mut script);
            cmd::report::out_bytes(&script);
            Ok(())
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            cli::man(&mut page).expect("writing to memory");
            cmd::report::out_bytes(&page);
            Ok(())
        }
        None => cli.build.into_request(today, project::load).and_then(|r| cmd::build::build(&r)),
    };
    match result {
        Ok(()) => 0,
        Err(error) => {
            cmd::report::error(&error, format);
            error.exit_code()
        }
    }
}
