//! `brief complete KIND` (hidden): the names an argument takes, one a
//! line, for the completion scripts of `brief completions`. It reads only
//! the one file that holds them (themes.yaml, meetings.yaml, levels.yaml
//! or brief.toml), never the findings, so that a key press stays quick on
//! any corpus; and it never fails: where there is no project, or the file
//! cannot be read, it names nothing.

use std::path::{Path, PathBuf};

use crate::cli::CompleteKind;
use crate::corpus::yaml::{self, Dates};

/// An entry of a list file, by its id alone.
#[derive(serde::Deserialize)]
struct Named {
    id: String,
}

impl Dates for Named {}

/// Prints the names of `kind` of the project found from `here` (or
/// `$BRIEF_DATA`'s).
pub fn complete(kind: CompleteKind, here: &Path) {
    for name in names(kind, here) {
        super::report::out(name);
    }
}

/// The names of `kind`, sorted, each once.
pub fn names(kind: CompleteKind, here: &Path) -> Vec<String> {
    let data = || -> Option<PathBuf> {
        match std::env::var_os("BRIEF_DATA") {
            Some(data) if !data.is_empty() => Some(PathBuf::from(data)),
            _ => crate::project::locate(here).map(|data| here.join(data)),
        }
    };
    let mut names = match kind {
        CompleteKind::Styles => {
            crate::settings::style_names().into_iter().map(String::from).collect()
        }
        CompleteKind::Books => data()
            .and_then(|data| crate::project::load(&data).ok().flatten())
            .map(|project| project.books.into_iter().map(|b| b.name).collect())
            .unwrap_or_default(),
        CompleteKind::Themes => ids(data(), "themes.yaml"),
        CompleteKind::Meetings => ids(data(), "meetings.yaml"),
        CompleteKind::Levels => ids(data(), "levels.yaml"),
    };
    names.sort();
    names.dedup();
    names
}

/// The ids of the entries of the list file `name` of the corpus `data`
/// that can be read.
fn ids(data: Option<PathBuf>, name: &str) -> Vec<String> {
    let Some(path) = data.map(|data| data.join(name)) else { return Vec::new() };
    let Ok(bytes) = crate::input::read(&path, crate::input::Kind::Text) else { return Vec::new() };
    let text = String::from_utf8_lossy(&bytes);
    let parse = yaml::parse_list::<Named>(&text, &path, &mut Vec::new());
    parse.items.into_iter().map(|item| item.value.id).collect()
}
