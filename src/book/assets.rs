//! The files a book's settings name besides the corpus: its logo and its
//! own `.csl` citation style. Each is read only if it lies inside the
//! project directory once symlinks are resolved, and only if Typst can use
//! it. A problem with one brief.toml names is located at its key there
//! (exit 1); one a flag names is a usage or I/O error. Reads those files.

use std::collections::BTreeMap;
use std::path::Path;

use hayagriva::citationberg::IndependentStyle;

use super::plan::Book;
use super::plan::ProjectFile;
use crate::diag::{Diagnostic, Problem};
use crate::error::{Error, Result};
use crate::input;
use crate::render::BrandFile;
use crate::render::fonts::Fonts;

/// A book's own files, served beside it by virtual path.
#[derive(Debug, Default)]
pub struct Brand {
    /// Each file (its bytes, and its path as named), by the virtual path
    /// Typst reads it at.
    pub files: BTreeMap<String, BrandFile>,
    /// The book's own citation style, parsed, and the name it is shown by
    /// (the file's name).
    pub style: Option<(String, IndependentStyle)>,
}

/// A problem with one of the files: the brief.toml key that names it, and
/// the error for when a flag named it.
struct Refused {
    key: &'static str,
    message: String,
    unlocated: Error,
}

/// Reads the files `book`'s settings name.
pub fn read(data: &Path, book: &Book, project: ProjectFile) -> Result<Brand> {
    brand(data, book).map_err(|refused| located(refused, book, project))
}

/// Checks that the font families `book`'s settings name (`font`,
/// `heading-font`) are among `fonts`' families, in any case, as Typst
/// finds them: one that is not would be set in a fallback face.
pub fn check_fonts(book: &Book, fonts: &Fonts, project: ProjectFile) -> Result<()> {
    families(book, fonts).map_err(|refused| located(refused, book, project))
}

fn families(book: &Book, fonts: &Fonts) -> Result<(), Refused> {
    let named = [("font", &book.settings.font), ("heading-font", &book.settings.heading_font)];
    let mut known: Option<Vec<String>> = None;
    for (key, family) in named {
        let Some(family) = family else { continue };
        let known = known.get_or_insert_with(|| fonts.families());
        if known.iter().any(|k| k.eq_ignore_ascii_case(family)) {
            continue;
        }
        let lower: Vec<String> = known.iter().map(|k| k.to_lowercase()).collect();
        let near =
            crate::suggest::nearest(&family.to_lowercase(), lower.iter().map(String::as_str))
                .and_then(|n| lower.iter().position(|l| l == n))
                .map(|i| known[i].as_str());
        let hint = match near {
            Some(near) => format!("did you mean `{near}`? `brief list fonts` lists the families"),
            None => "`brief list fonts` lists the families (add others with `font-path`)".into(),
        };
        let message = format!("no font family `{family}`: {hint}");
        let unlocated = Error::Usage(format!("--{key} {message}"));
        return Err(Refused { key, message, unlocated });
    }
    Ok(())
}

/// A refusal located at its key in brief.toml, if brief.toml set it.
fn located(refused: Refused, book: &Book, project: ProjectFile) -> Error {
    match book.at.get(refused.key) {
        Some(at) => {
            let problem = Problem::BadSetting { key: refused.key.into(), message: refused.message };
            project.error(vec![Diagnostic::error(project.path, at.clone(), problem)])
        }
        None => refused.unlocated,
    }
}

fn brand(data: &Path, book: &Book) -> Result<Brand, Refused> {
    let settings = &book.settings;
    let mut brand = Brand::default();
    if let Some(path) = settings.csl_file() {
        let bytes = project_file(data, path, "csl")?;
        let style = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|text| IndependentStyle::from_xml(text).map_err(|e| e.to_string()))
            .map_err(|why| {
                let message = format!(
                    "{}: not a CSL style brief can use (an independent style, as CSL 1.0.2 defines): {why}",
                    path.display()
                );
                let unlocated = Error::Usage(format!("csl {message}"));
                Refused { key: "csl", message, unlocated }
            })?;
        if let Some(cycle) = std::str::from_utf8(&bytes).ok().and_then(macro_cycle) {
            let message = format!(
                "{}: its macros call each other without end ({}): a style brief can use has no such loop",
                path.display(),
                cycle.join(" → ")
            );
            let unlocated = Error::Usage(format!("csl {message}"));
            return Err(Refused { key: "csl", message, unlocated });
        }
        let shown = path.file_name().unwrap_or(path.as_os_str()).to_string_lossy().into_owned();
        brand.style = Some((shown, style));
        let file = BrandFile { path: path.to_path_buf(), bytes };
        brand.files.insert(crate::compose::CSL_VPATH.to_string(), file);
    }
    if let Some(logo) = &settings.logo {
        let bytes = project_file(data, logo, "logo")?;
        crate::render::images::check(&bytes).map_err(|why| {
            let message = format!("{}: cannot be placed: {why}", logo.display());
            let unlocated = Error::Usage(format!("logo {message}"));
            Refused { key: "logo", message, unlocated }
        })?;
        let file = BrandFile { path: logo.clone(), bytes };
        brand.files.insert(crate::settings::logo_vpath(logo), file);
    }
    Ok(brand)
}

/// Reads a file the settings name under `key`, only if it lies inside the
/// project directory once symlinks are resolved.
fn project_file(data: &Path, path: &Path, key: &'static str) -> Result<Vec<u8>, Refused> {
    let kind = if key == "logo" { input::Kind::Image } else { input::Kind::Text };
    let project = crate::project::project_dir(data);
    let project = if project.as_os_str().is_empty() { Path::new(".") } else { project };
    let io = |source: std::io::Error| Refused {
        key,
        message: format!("{}: {source}", path.display()),
        unlocated: Error::Io { path: path.to_path_buf(), source },
    };
    let (real, root) = (path.canonicalize().map_err(io)?, project.canonicalize().map_err(io)?);
    if !real.starts_with(&root) {
        let message = format!(
            "{}: lies outside the project directory: brief reads nothing outside it",
            path.display()
        );
        let unlocated = Error::Usage(format!("{key} {message}"));
        return Err(Refused { key, message, unlocated });
    }
    input::read(&real, kind).map_err(io)
}

/// A loop among a CSL style's macros (`a → b → a`), if there is one: the
/// citation engine would follow it until the stack overflows. Read from
/// the style's XML: each `<macro name="…">` and the `macro="…"` attributes
/// inside it.
fn macro_cycle(xml: &str) -> Option<Vec<String>> {
    let attribute = |text: &str, name: &str| -> Vec<String> {
        let mut found = Vec::new();
        for quote in ['"', '\''] {
            let needle = format!("{name}={quote}");
            for (at, _) in text.match_indices(&needle) {
                let preceded = text[..at].ends_with(|c: char| c.is_whitespace());
                let rest = &text[at + needle.len()..];
                if let (true, Some(end)) = (preceded, rest.find(quote)) {
                    found.push(rest[..end].to_string());
                }
            }
        }
        found
    };
    let mut calls: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for part in xml.split("<macro").skip(1) {
        let (open, rest) = part.split_once('>')?;
        let body = rest.split("</macro").next().unwrap_or_default();
        let name = attribute(&format!(" {open}"), "name").into_iter().next()?;
        calls.insert(name, attribute(body, "macro"));
    }
    fn visit(
        name: &str,
        calls: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == name) {
            let mut cycle = path[at..].to_vec();
            cycle.push(name.to_string());
            return Some(cycle);
        }
        if !done.insert(name.to_string()) {
            return None;
        }
        path.push(name.to_string());
        for callee in calls.get(name).into_iter().flatten() {
            if let Some(cycle) = visit(callee, calls, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    calls.keys().find_map(|name| visit(name, &calls, &mut Vec::new(), &mut done))
}

#[cfg(test)]
mod tests {
    use super::macro_cycle;

    #[test]
    fn macros_that_call_each_other_are_found() {
        let style = r#"<style><macro name="a"><text macro="b"/></macro>
            <macro name='b'><group><text macro="c"/></group></macro>
            <macro name="c"><text macro="a"/></macro><macro name="d"><text variable="title"/></macro></style>"#;
        assert_eq!(macro_cycle(style).unwrap(), ["a", "b", "c", "a"]);
        let fine = r#"<style><macro name="a"><text macro="b"/></macro><macro name="b"><text value="x"/></macro></style>"#;
        assert_eq!(macro_cycle(fine), None);
        let own = r#"<macro name="self"><text macro="self"/></macro>"#;
        assert_eq!(macro_cycle(own).unwrap(), ["self", "self"]);
    }
}
