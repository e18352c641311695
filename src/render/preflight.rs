//! Whether a loaded corpus would print: the problems only the renderer can
//! see, as diagnostics. Images Typst cannot decode are errors; characters
//! none of a book's fonts has are warnings (on the page each would be an
//! empty box). Reads the images the findings place; nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use super::fonts::Fonts;
use crate::corpus::Loaded;
use crate::diag::{Diagnostic, Problem};

/// The problems `loaded` would meet in print with any of `fonts` (the
/// fonts of the books to be made; the shipped ones when empty). A
/// character is reported once per file, at its first place.
pub fn check(data: &Path, loaded: &Loaded, fonts: &[Fonts]) -> Vec<Diagnostic> {
    let shipped = [Fonts::shipped()];
    let fonts = if fonts.is_empty() { &shipped[..] } else { fonts };
    let mut problems = missing_glyphs(loaded, fonts);
    problems.extend(undecodable_images(data, loaded));
    problems
}

fn missing_glyphs(loaded: &Loaded, fonts: &[Fonts]) -> Vec<Diagnostic> {
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
    problems
}

fn undecodable_images(data: &Path, loaded: &Loaded) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut checked = BTreeMap::new();
    for (image, finding, range) in &loaded.image_refs {
        let verdict = checked.entry(image.clone()).or_insert_with(|| {
            crate::input::read(&data.join(image), crate::input::Kind::Image)
                .map_err(|e| e.to_string())
                .and_then(|bytes| super::images::check(&bytes))
        });
        if let Err(why) = verdict {
            let image = crate::corpus::slash_path(image);
            let problem = Problem::Undecodable { image, why: why.clone() };
            problems.push(Diagnostic::error(finding, range.clone(), problem));
        }
    }
    problems
}
