//! The `brief` command: parse arguments, run, exit with the code the run
//! gives (see the README's table).

use clap::Parser;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(brief::run(brief::cli::Cli::parse()))
}
