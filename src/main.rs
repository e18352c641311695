//! The `brief` command: parse arguments, run, map the outcome to an exit
//! code (see the README's table).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = brief::cli::Cli::parse();
    // Diagnostics are printed in the format asked for, even for errors that
    // end the run.
    let format = match &cli.command {
        Some(brief::cli::Command::Check(args)) => args.diagnostic_format,
        Some(brief::cli::Command::Build(args) | brief::cli::Command::Watch(args)) => {
            args.corpus.diagnostic_format
        }
        None => cli.build.corpus.diagnostic_format,
    };
    match brief::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            brief::report(&error, format);
            ExitCode::from(error.exit_code())
        }
    }
}
