//! The commands, one file each (as typst-cli and mdBook do): arguments
//! in, lines out. They call the driver ([`crate::book`]) and print;
//! parallelism, progress and exit codes are theirs. Only this layer and
//! `cli` print or read the clock.

pub mod build;
pub mod check;
pub mod complete;
pub mod init;
pub mod list;
pub mod man;
pub mod report;
pub mod watch;

use crate::error::Error;

/// Why a command failed, and whether it already printed the problems the
/// error carries (then only the error's summary line is left to print).
#[derive(Debug)]
pub struct Failed {
    /// The error.
    pub error: Error,
    /// Whether its diagnostics are already on stderr.
    pub printed: bool,
}

impl Failed {
    /// An error whose diagnostics the command has printed.
    pub fn printed(error: Error) -> Failed {
        Failed { error, printed: true }
    }
}

impl From<Error> for Failed {
    fn from(error: Error) -> Failed {
        Failed { error, printed: false }
    }
}
