//! The commands, one file each (as typst-cli and mdBook do): they drive
//! the stages and print. Only this layer and `cli` print or read the
//! clock.

pub mod build;
pub mod check;
pub mod init;
pub mod list;
pub mod report;
pub mod watch;

use crate::corpus::{self, Loaded};
use crate::diag::{self, Diagnostic, DiagnosticFormat, Problem, Severity};
use crate::error::{Error, Result};
use crate::render::fonts::Fonts;
use std::path::Path;

/// Loads a corpus and adds the problems only the renderer can see: images
/// Typst cannot decode, and characters none of `fonts` has (a warning at
/// the first place each occurs in each file, naming it and its code
/// point: on the page it would be an empty box). `fonts` are those of the
/// books to be made (the shipped ones when empty).
/// `parses` holds what an earlier load parsed (a watch's), to reuse.
pub(crate) fn load(data: &Path, fonts: &[Fonts], parses: &corpus::Parses) -> Result<Loaded> {
    let shipped = [Fonts::shipped()];
    let fonts = if fonts.is_empty() { &shipped[..] } else { fonts };
    let mut loaded = corpus::load_with(data, parses)?;
    let mut problems = Vec::new();
    for (path, text) in loaded.files.iter() {
        let mut seen = Vec::new();
        for (at, c) in text.char_indices() {
            if !fonts.iter().any(|f| f.covers(c)) && !seen.contains(&c) {
                seen.push(c);
                let name = format!("`{c}` (U+{:04X})", u32::from(c));
                let d = Diagnostic::error(path, at..at + c.len_utf8(), Problem::MissingGlyph(name));
                problems.push(d.warning());
            }
        }
    }
    let mut checked = std::collections::BTreeMap::new();
    for (image, finding, range) in &loaded.image_refs {
        let verdict = checked.entry(image.clone()).or_insert_with(|| {
            std::fs::read(data.join(image))
                .map_err(|e| e.to_string())
                .and_then(|bytes| crate::render::images::check(&bytes))
        });
        if let Err(why) = verdict {
            let image = crate::corpus::slash_path(image);
            let problem = Problem::Undecodable { image, why: why.clone() };
            problems.push(Diagnostic::error(finding, range.clone(), problem));
        }
    }
    loaded.diagnostics.extend(problems);
    Ok(loaded)
}

/// Loads a corpus, prints its warnings, and fails if it has errors.
pub(crate) fn load_checked(
    data: &Path,
    format: DiagnosticFormat,
    fonts: &[Fonts],
    parses: &corpus::Parses,
) -> Result<Loaded> {
    let loaded = load(data, fonts, parses)?;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        loaded.diagnostics.iter().cloned().partition(|d| d.severity == Severity::Error);
    diag::emit(&loaded.files, &warnings, format);
    if !errors.is_empty() {
        return Err(Error::Corpus(errors, loaded.files));
    }
    Ok(loaded)
}
