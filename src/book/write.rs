//! Writing a made book, in one order for a book and for its copies alike:
//! the PDF (or the numbered copies and their register), then the edition
//! record, then the `--if-changed` stamp. A draft (a watch's rebuild)
//! writes only the PDF: it is compared with the last edition but never
//! recorded as a new one, nor as current.

use std::path::PathBuf;

use super::copies::{Layout, Recipient};
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
    /// Writes the book, or one numbered copy per recipient in `copies`
    /// (each made from the book for its level), and what `keep` says;
    /// returns the files written (for copies, the register last). With
    /// copies, an edition record is written for each level a copy was
    /// made for, as `--audience` writes it.
    pub fn write(&self, copies: Option<&[Recipient]>, keep: Keep) -> Result<Vec<PathBuf>> {
        let written = match copies {
            None => {
                output::write_atomic(&self.path, &self.rendered.pdf)?;
                vec![self.path.clone()]
            }
            Some(recipients) => copies::write(&self.path, &self.layouts(), recipients)?,
        };
        if keep == Keep::Edition {
            // The book's own record only if it is an edition someone has.
            let ours = copies.is_none_or(|r| r.iter().any(|r| r.audience == self.audience));
            let records = self.levels.iter().filter_map(|l| l.record.as_ref());
            for record in self.record.iter().filter(|_| ours).chain(records) {
                edition::store::write(&self.place, record)?;
            }
            // Copies leave no PDF at the book's path to stamp.
            if copies.is_none() {
                provenance::record(&self.place, self.inputs, &self.rendered.pdf)?;
            }
        }
        Ok(written)
    }

    /// The laid-out books copies are made from: the book's own, then one
    /// per level below its audience that recipients were given.
    fn layouts(&self) -> Vec<Layout<'_>> {
        let own =
            Layout { audience: self.audience, rendered: &self.rendered, options: &self.options };
        let levels = self.levels.iter().map(|l| Layout {
            audience: Some(l.audience),
            rendered: &l.rendered,
            options: &self.options,
        });
        std::iter::once(own).chain(levels).collect()
    }
}
