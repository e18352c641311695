//! Writing a made book, in one order for a book and for its copies alike:
//! the PDF (or the numbered copies and their register), then the edition
//! record, then the `--if-changed` stamp. A draft (a watch's rebuild)
//! writes only the PDF: it is compared with the last edition but never
//! recorded as a new one, nor as current.

use std::path::PathBuf;

use super::make::Artifact;
use super::{copies, provenance};
use crate::error::Result;
use crate::{edition, output};

/// Whether a build keeps what it made as an edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Record the edition and the inputs beside the PDF.
    Edition,
    /// Write the PDF only.
    Draft,
}

impl Artifact {
    /// Writes the book, or one numbered copy per name in `copies`, and
    /// what `keep` says; returns the files written (for copies, the
    /// register last).
    pub fn write(&self, copies: Option<&[String]>, keep: Keep) -> Result<Vec<PathBuf>> {
        let written = match copies {
            None => {
                output::write_atomic(&self.path, &self.rendered.pdf)?;
                vec![self.path.clone()]
            }
            Some(names) => copies::write(&self.path, &self.rendered, &self.options, names)?,
        };
        if keep == Keep::Edition {
            if let Some(record) = &self.record {
                edition::store::write(&self.path, record)?;
            }
            // Copies leave no PDF at the book's path to stamp.
            if copies.is_none() {
                provenance::record(&self.path, self.inputs, &self.rendered.pdf)?;
            }
        }
        Ok(written)
    }
}
