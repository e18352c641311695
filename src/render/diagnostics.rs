//! Typst's diagnostics as brief's, each placed in the file the user must
//! change. A problem in a file of the user's that the world serves as it
//! is (a corpus image, the logo, the `.csl` file) is placed in that file,
//! at its line and column when Typst gives them; one Typst places in a
//! template but whose message names such a file (an image it cannot load)
//! is placed in that file too, with the template that read it and the
//! findings that show it as hints; any other is said to be a template's,
//! with the book that was being set. Reads nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::{World, WorldExt};

use super::world::{BriefWorld, Origin};
use crate::diag::{Diagnostic, Files, Problem, Severity};

/// Turns Typst's diagnostics into ours (see the module's documentation),
/// with Typst's hints and call trace as hints; `files` gets the text of
/// every file they point into.
pub(crate) fn typst_diagnostics(
    world: &BriefWorld,
    diagnostics: &[SourceDiagnostic],
    files: &mut Files,
) -> Vec<Diagnostic> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let user_files = world.user_files();
    diagnostics.iter().map(|d| convert(world, &user_files, d, files)).collect()
}

fn convert(
    world: &BriefWorld,
    user_files: &[(String, PathBuf)],
    d: &SourceDiagnostic,
    files: &mut Files,
) -> Diagnostic {
    let mut message = d.message.to_string();
    let mut hints = Vec::new();
    let range = world.range(d.span).unwrap_or(0..0);
    let (path, range) = match d.span.id().map(|id| (id, world.origin(id))) {
        Some((id, Origin::User(path))) => {
            // The world serves the file as it is: Typst's offsets are its own.
            let text = world.source(id).ok().map(|s| Arc::from(s.text()));
            files.insert(&path, text.unwrap_or_else(|| Arc::from("")));
            (path, range)
        }
        Some((id, origin)) => {
            let (shown, source) = world.display_path(id);
            if let Some(source) = source {
                files.insert(&shown, Arc::from(source.text()));
            }
            let at = place(files, &shown, range.start);
            match named_user_file(&message, user_files) {
                Some((vpath, user)) => {
                    message = message.replace(vpath, &user.display().to_string());
                    hints.push(format!("read by the template at {at}"));
                    hints.extend(showing(world, vpath).into_iter().map(|id| {
                        format!("shown by the finding `{id}` of the book `{}`", world.ident())
                    }));
                    (user.clone(), 0..0)
                }
                None => {
                    let what = match origin {
                        Origin::Template(_) => "an error in a template",
                        _ => "an error in the composed book",
                    };
                    hints.push(format!("{what} ({at}), setting the book `{}`", world.ident()));
                    (shown, range)
                }
            }
        }
        None => (PathBuf::from("templates/main.typ"), 0..0),
    };
    if files.get(&path).is_none() {
        files.insert(&path, Arc::from(""));
    }
    let mut diagnostic = Diagnostic::error(path, range, Problem::Typst(message));
    if d.severity == TypstSeverity::Warning {
        diagnostic.severity = Severity::Warning;
    }
    diagnostic.hints.extend(d.hints.iter().map(|hint| hint.v.to_string()));
    diagnostic.hints.extend(hints);
    for point in &d.trace {
        if let Some(id) = point.span.id() {
            let (shown, source) = world.display_path(id);
            let line = source
                .zip(world.range(point.span))
                .and_then(|(s, r)| s.lines().byte_to_line(r.start))
                .map_or(0, |l| l + 1);
            diagnostic.hints.push(format!("{} at {}:{line}", point.v, shown.display()));
        }
    }
    diagnostic
}

/// `path:line:column` of an offset in a file whose text `files` holds.
fn place(files: &Files, path: &Path, offset: usize) -> String {
    match files.line_column(path, offset) {
        Some((line, column)) => format!("{}:{line}:{column}", path.display()),
        None => path.display().to_string(),
    }
}

/// The file of the user's a message names by its virtual path (Typst
/// names the file it could not load: `… in corpus/maps/a.pdf)`), the
/// longest such path if several match.
fn named_user_file<'a>(
    message: &str,
    user_files: &'a [(String, PathBuf)],
) -> Option<(&'a str, &'a PathBuf)> {
    let named = |vpath: &str| {
        message.match_indices(vpath).any(|(at, _)| {
            let after = message[at + vpath.len()..].chars().next();
            after.is_none_or(|c| matches!(c, ')' | ':' | ',' | ' '))
        })
    };
    user_files
        .iter()
        .filter(|(vpath, _)| named(vpath))
        .max_by_key(|(vpath, _)| vpath.len())
        .map(|(vpath, user)| (vpath.as_str(), user))
}

/// The ids of the findings of the book whose bodies show the file at
/// `vpath` (no leading slash), in book order.
fn showing(world: &BriefWorld, vpath: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, src: &str, finding: Option<&str>, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                let is_finding = map.contains_key("body") && map.contains_key("number");
                let id = map.get("id").and_then(|i| i.as_str()).filter(|_| is_finding);
                let finding = id.or(finding);
                let shows = map.get("kind").and_then(|k| k.as_str()) == Some("image")
                    && map.get("src").and_then(|s| s.as_str()) == Some(src);
                if let Some(id) = finding.filter(|id| shows && !out.iter().any(|o| o == id)) {
                    out.push(id.to_string());
                }
                map.values().for_each(|v| walk(v, src, finding, out));
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|v| walk(v, src, finding, out))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(world.book_json()) {
        walk(&json, &format!("/{vpath}"), None, &mut out);
    }
    out
}
