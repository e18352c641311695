//! The project file: `brief.toml` at the project root (the corpus
//! directory's parent). Its `[defaults]` table holds book settings for
//! every book the project makes; each `[[book]]` table names a standing
//! book that `brief build --all` regenerates.
//!
//! Reads that one file. Every problem in it is collected, located at
//! `brief.toml:line:column`, and attached to the part it spoils: a problem
//! in one `[[book]]` spoils that book alone.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::MapDeserializer;

use crate::date::{DateRange, PartialDate};
use crate::diag::{Diagnostic, Files, Problem};
use crate::error::Error;
use crate::select::Scope;
use crate::settings::{BookSettings, field_names};

/// Where each key's value is in brief.toml, by key, so that a problem
/// found once the corpus or a named file is read points at its own key.
pub type Spans = BTreeMap<String, Range<usize>>;

/// The name of the project file.
pub const FILE: &str = "brief.toml";

/// What brief.toml says.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// Where it was read from.
    pub path: PathBuf,
    /// Settings under every book of the project, standing or not.
    pub defaults: BookSettings,
    /// Where each `[defaults]` value is.
    pub defaults_at: Spans,
    /// The standing books, in order.
    pub books: Vec<BookSpec>,
    /// The state directory (`state = "DIR"`, relative to brief.toml):
    /// where the standing books' edition records and `--if-changed`
    /// stamps are kept, so a runner that restores it keeps the history.
    pub state: Option<PathBuf>,
    /// Where `state` is set.
    pub state_at: Option<Range<usize>>,
    /// `[corpus] obsidian`: whether the findings are Obsidian's Markdown
    /// (`None`: as the corpus says, by a `.obsidian` folder).
    pub obsidian: Option<bool>,
    /// Problems outside any one book (syntax, `[defaults]`, unknown
    /// tables): these spoil every book.
    pub problems: Vec<Diagnostic>,
    /// The file's text, for snippets.
    pub files: Files,
}

/// One standing book.
#[derive(Clone, Debug, Default)]
pub struct BookSpec {
    /// Output name: the book is written to `out/<name>.pdf`.
    pub name: String,
    /// Its themes (ids or aliases), a meeting, or every theme.
    pub scope: Scope,
    /// The date range.
    pub range: DateRange,
    /// Its own settings (not yet layered over the defaults).
    pub settings: BookSettings,
    /// Where each of its values is (`name`, `themes`, `meeting`, its
    /// settings), for problems found once the corpus is known.
    pub at: Spans,
    /// What is wrong with it; a book with problems is not built.
    pub problems: Vec<Diagnostic>,
}

/// The keys of a `[[book]]` besides its settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read only for its field names
struct BookKeys {
    name: String,
    themes: Vec<String>,
    meeting: String,
    from: String,
    to: String,
}

/// The path of the project file for a corpus directory.
pub fn path_for(data: &Path) -> PathBuf {
    project_dir(data).join(FILE)
}

/// The project directory: the corpus directory's parent, where out/ and
/// brief.toml live (`.` when the corpus is given as a bare name).
pub fn project_dir(data: &Path) -> &Path {
    match data.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new(""),
    }
}

/// The corpus directory of the project the folder `cwd` is in, as a path
/// relative to `cwd`: `data` when `cwd` holds brief.toml or a `data/`
/// folder, else `../data`, `../../data`… for the nearest folder above
/// that holds brief.toml (as git, cargo and quarto find their projects).
/// `None` when there is none: `cwd` is in no project.
pub fn locate(cwd: &Path) -> Option<PathBuf> {
    let data = PathBuf::from("data");
    if cwd.join(FILE).is_file() || cwd.join(&data).is_dir() {
        return Some(data);
    }
    let mut up = PathBuf::new();
    for dir in cwd.ancestors().skip(1) {
        up.push("..");
        if dir.join(FILE).is_file() {
            return Some(up.join(data));
        }
    }
    None
}

/// Reads the project file for a corpus directory; `None` if there is none.
pub fn load(data: &Path) -> Result<Option<Project>, Error> {
    let path = path_for(data);
    match crate::input::read(&path, crate::input::Kind::Text) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let mut project = parse(&text, &path);
            if std::str::from_utf8(&bytes).is_err() {
                project.problems.push(Diagnostic::error(&path, 0..0, Problem::NotUtf8));
            }
            Ok(Some(project))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { path, source }),
    }
}

/// Parses a project file's text; `path` is what problems name, and
/// relative `templates` directories are taken relative to its directory.
pub fn parse(text: &str, path: &Path) -> Project {
    let mut files = Files::default();
    files.insert(path, Arc::from(text));
    let mut project = Project { path: path.to_path_buf(), files, ..Project::default() };
    let doc = match toml_edit::ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().unwrap_or(0..0);
            let message = e.message().trim_end().to_string();
            project.problems.push(Diagnostic::error(path, at, Problem::Syntax(message)));
            return project;
        }
    };
    let base = project_dir_of(path);
    let mut p = Parser { path, base: base.clone() };
    for (key, item) in doc.as_table().iter() {
        let key_at = doc.as_table().key(key).and_then(|k| k.span()).unwrap_or(0..0);
        match (key, item) {
            ("defaults", toml_edit::Item::Table(table)) => {
                project.defaults = p.settings(
                    table
                        .iter()
                        .map(|(k, i)| (k, table.key(k).and_then(|k| k.span()).unwrap_or(0..0), i)),
                    &mut project.problems,
                    &mut project.defaults_at,
                );
                // Copies are for one book's recipients, never every book's.
                if project.defaults.copies_for.take().is_some() {
                    let at = project.defaults_at.remove("copies-for").unwrap_or(0..0);
                    let message = "numbered copies are made per book: set it in a `[[book]]`";
                    project.problems.push(Diagnostic::error(path, at, bad("copies-for", message)));
                }
            }
            ("book", toml_edit::Item::ArrayOfTables(books)) => {
                for table in books.iter() {
                    let book = p.book(table, span_of(table));
                    project.books.push(book);
                }
            }
            ("state", _) => match state_dir(item, &base) {
                Ok(dir) => (project.state, project.state_at) = (Some(dir), item.span()),
                Err(problem) => {
                    let at = item.span().unwrap_or(key_at);
                    project.problems.push(Diagnostic::error(path, at, problem));
                }
            },
            ("corpus", toml_edit::Item::Table(table)) => corpus_table(table, path, &mut project),
            ("defaults" | "book", _) => {
                let message = if key == "book" {
                    "write each standing book as a `[[book]]` table"
                } else {
                    "write the defaults as a `[defaults]` table"
                };
                project.problems.push(Diagnostic::error(
                    path,
                    key_at,
                    Problem::BadValue { field: "table", message: message.into() },
                ));
            }
            (other, _) => {
                let mut d = Diagnostic::error(path, key_at, Problem::UnknownField(other.into()));
                if let Some(hint) = crate::suggest::hint(
                    other,
                    ["defaults", "book", "state", "corpus"],
                    "the keys are",
                ) {
                    d = d.with_hint(hint);
                }
                project.problems.push(d);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for book in &mut project.books {
        if !book.name.is_empty() && !seen.insert(book.name.clone()) {
            let message = format!("two books are named `{}`", book.name);
            let problem = Problem::BadValue { field: "name", message };
            let at = book.at.get("name").cloned().unwrap_or(0..0);
            book.problems.push(Diagnostic::error(path, at, problem));
        }
    }
    project
}

/// The value of `state`: a directory, relative to the project's.
fn state_dir(item: &toml_edit::Item, base: &Path) -> Result<PathBuf, Problem> {
    match item.as_str().filter(|dir| !dir.is_empty()) {
        Some(dir) if Path::new(dir).is_relative() => Ok(base.join(dir)),
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Err(bad(
            "state",
            "expected a directory, relative to brief.toml, e.g. `state = \"state\"`",
        )),
    }
}

/// `[corpus]`: how the corpus is read (`obsidian = true|false`).
fn corpus_table(table: &toml_edit::Table, path: &Path, project: &mut Project) {
    for (k, item) in table.iter() {
        let at = table.key(k).and_then(|k| k.span()).unwrap_or(0..0);
        match (k, item.as_bool()) {
            ("obsidian", Some(on)) => project.obsidian = Some(on),
            ("obsidian", None) => project.problems.push(Diagnostic::error(
                path,
                item.span().unwrap_or(at),
                Problem::BadValue { field: "obsidian", message: "write `true` or `false`".into() },
            )),
            (other, _) => project.problems.push(Diagnostic::error(
                path,
                at,
                Problem::UnknownField(other.into()),
            )),
        }
    }
}

fn project_dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::new(),
    }
}

fn span_of(table: &toml_edit::Table) -> Range<usize> {
    table.span().unwrap_or(0..0)
}

struct Parser<'a> {
    path: &'a Path,
    base: PathBuf,
}

impl Parser<'_> {
    fn error(&self, at: Range<usize>, problem: Problem) -> Diagnostic {
        Diagnostic::error(self.path, at, problem)
    }

    /// One `[[book]]` table.
    fn book(&mut self, table: &toml_edit::Table, at: Range<usize>) -> BookSpec {
        let mut book = BookSpec::default();
        let keys = field_names::<BookKeys>();
        let settings = field_names::<BookSettings>();
        let mut rest = Vec::new();
        let mut from = None;
        let mut to = None;
        for (key, item) in table.iter() {
            let key_at = table.key(key).and_then(|k| k.span()).unwrap_or(at.clone());
            let value_at = item.span().unwrap_or(key_at.clone());
            if ["name", "themes", "meeting"].contains(&key) {
                book.at.insert(key.to_string(), value_at.clone());
            }
            match key {
                "name" => match self.value::<String>(key, item, &value_at) {
                    Ok(name) if crate::corpus::is_valid_id(&name) => book.name = name,
                    Ok(name) => book.problems.push(self.error(
                        value_at,
                        Problem::BadValue {
                            field: "name",
                            message: format!(
                                "book name `{name}` must be lowercase letters, digits and `-`"
                            ),
                        },
                    )),
                    Err(d) => book.problems.push(d),
                },
                "meeting" => match self.value::<String>(key, item, &value_at) {
                    Ok(meeting) => book.scope = Scope::Meeting(meeting),
                    Err(d) => book.problems.push(d),
                },
                "themes" => match self.value::<Vec<String>>(key, item, &value_at) {
                    Ok(themes) if book.scope.meeting().is_none() => {
                        book.scope = Scope::of(themes, None);
                    }
                    Ok(_) => {}
                    Err(d) => book.problems.push(d),
                },
                "from" | "to" => {
                    let field = if key == "from" { "from" } else { "to" };
                    let parsed = self.value::<String>(key, item, &value_at).and_then(|text| {
                        text.parse::<PartialDate>().map_err(|error| {
                            self.error(value_at.clone(), Problem::BadDate { field, error })
                        })
                    });
                    match parsed {
                        Ok(date) if field == "from" => from = Some((date, value_at)),
                        Ok(date) => to = Some((date, value_at)),
                        Err(d) => book.problems.push(d),
                    }
                }
                _ if settings.contains(&key) => rest.push((key, key_at, item)),
                _ => {
                    let names = keys.iter().chain(settings).copied();
                    let mut d = self.error(key_at, Problem::UnknownField(key.into()));
                    if let Some(hint) = crate::suggest::hint(key, names, "the fields are") {
                        d = d.with_hint(hint);
                    }
                    book.problems.push(d);
                }
            }
        }
        if book.name.is_empty() && !book.problems.iter().any(|d| is_about(d, "name")) {
            book.problems
                .push(self.error(at.start..at.start, Problem::MissingField("name".into())));
        }
        book.range = DateRange { from: from.as_ref().map(|f| f.0), to: to.as_ref().map(|t| t.0) };
        if let (Some((from, _)), Some((to, to_at))) = (&from, &to)
            && from.first_day() > to.last_day()
        {
            book.problems
                .push(self.error(to_at.clone(), Problem::ReversedRange { from: *from, to: *to }));
        }
        if let (Some(_), Some(meeting_at)) = (book.at.get("themes"), book.at.get("meeting")) {
            let message = "a book has `themes` or a `meeting`, not both".to_string();
            let problem = Problem::BadValue { field: "meeting", message };
            book.problems.push(self.error(meeting_at.clone(), problem));
        }
        book.settings = self.settings(rest.into_iter(), &mut book.problems, &mut book.at);
        book
    }

    /// Settings from `key = value` pairs; each bad one is a problem.
    fn settings<'t>(
        &mut self,
        pairs: impl Iterator<Item = (&'t str, Range<usize>, &'t toml_edit::Item)>,
        problems: &mut Vec<Diagnostic>,
        spans: &mut Spans,
    ) -> BookSettings {
        let known = field_names::<BookSettings>();
        let mut settings = BookSettings::default();
        for (key, key_at, item) in pairs {
            if !known.contains(&key) {
                let mut d = self.error(key_at, Problem::UnknownField(key.into()));
                if let Some(hint) =
                    crate::suggest::hint(key, known.iter().copied(), "the fields are")
                {
                    d = d.with_hint(hint);
                }
                problems.push(d);
                continue;
            }
            let value_at = item.span().unwrap_or(key_at);
            spans.insert(key.to_string(), value_at.clone());
            let Some(value) = item.as_value() else {
                problems.push(self.error(value_at, bad(key, "expected a value, found a table")));
                continue;
            };
            let one = std::iter::once((key, value.clone().into_deserializer()));
            match BookSettings::deserialize(MapDeserializer::new(one)) {
                Ok(one) => settings = one.over(settings),
                Err(e) => {
                    let e: toml_edit::de::Error = e;
                    problems.push(self.error(value_at, bad(key, e.message())));
                }
            }
        }
        for path in [&mut settings.templates, &mut settings.logo, &mut settings.font_path]
            .into_iter()
            .flatten()
        {
            if path.is_relative() {
                *path = self.base.join(&*path);
            }
        }
        if let Some(crate::settings::CitationStyle::File(path)) = &mut settings.csl
            && path.is_relative()
        {
            *path = self.base.join(&*path);
        }
        if let Some(crate::settings::CopiesFor::File(path)) = &mut settings.copies_for
            && path.is_relative()
        {
            *path = self.base.join(&*path);
        }
        settings
    }

    /// A value of a `[[book]]` scope key.
    fn value<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        item: &toml_edit::Item,
        at: &Range<usize>,
    ) -> Result<T, Diagnostic> {
        let Some(value) = item.as_value() else {
            return Err(self.error(at.clone(), bad(key, "expected a value, found a table")));
        };
        T::deserialize(value.clone().into_deserializer())
            .map_err(|e: toml_edit::de::Error| self.error(at.clone(), bad(key, e.message())))
    }
}

/// A bad value of a brief.toml key.
fn bad(key: &str, message: &str) -> Problem {
    Problem::BadSetting { key: key.to_string(), message: message.trim_end().to_string() }
}

fn is_about(d: &Diagnostic, key: &str) -> bool {
    match &d.problem {
        Problem::BadSetting { key: k, .. } => k == key,
        Problem::BadValue { field, .. } => *field == key,
        _ => false,
    }
}

impl Project {
    /// Every problem in the file: its own and each book's.
    pub fn all_problems(&self) -> Vec<Diagnostic> {
        let mut all = self.problems.clone();
        for book in &self.books {
            all.extend(book.problems.iter().cloned());
        }
        all.sort_by_key(|d| d.range.start);
        all
    }

    /// The error for problems in this file.
    pub fn error(&self, problems: Vec<Diagnostic>) -> Error {
        Error::Project(problems, self.files.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Paper;

    #[test]
    fn a_project_is_found_from_any_folder_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir_all(root.join("data/findings/src")).unwrap();
        assert_eq!(locate(&root), Some("data".into()), "a data/ folder here");
        std::fs::write(root.join(FILE), "").unwrap();
        assert_eq!(locate(&root.join("data/findings/src")), Some("../../../data".into()));
        assert_eq!(locate(&root.join("data")), Some("../data".into()));
        assert_eq!(locate(dir.path()), None, "above the project");
    }

    fn line_col(project: &Project, d: &Diagnostic) -> (usize, usize) {
        project.files.line_column(&project.path, d.range.start).unwrap()
    }

    #[test]
    fn parses_defaults_and_books() {
        let text = "[defaults]\nhandling = \"Restricted\"\n\n[[book]]\nname = \"afghanistan\"\nthemes = [\"afghanistan\"]\nfrom = \"2011\"\npaper = \"us-letter\"\ntemplates = \"look\"\n\n[[book]]\nname = \"all\"\n";
        let project = parse(text, Path::new("p/brief.toml"));
        assert!(project.all_problems().is_empty(), "{:?}", project.all_problems());
        assert_eq!(project.defaults.handling.as_deref(), Some("Restricted"));
        assert_eq!(project.books.len(), 2);
        assert_eq!(project.books[0].settings.paper, Some(Paper::UsLetter));
        assert_eq!(project.books[0].settings.templates, Some(PathBuf::from("p/look")));
        assert_eq!(project.books[0].range.from, Some("2011".parse().unwrap()));
        assert_eq!(&text[project.books[0].at["themes"].clone()], "[\"afghanistan\"]");
    }

    #[test]
    fn every_problem_is_located_and_spoils_only_its_book() {
        let text = "[[book]]\nname = \"a\"\nthemse = []\n\n[[book]]\nname = \"b\"\nfrom = \"2019\"\nto = \"2011\"\n\n[[book]]\nname = \"c\"\npaper = \"a5\"\n\n[[book]]\nname = \"d\"\n\n[[book]]\nname = \"A b\"\n\n[[book]]\nname = \"d\"\n";
        let project = parse(text, Path::new("brief.toml"));
        assert!(project.problems.is_empty());
        let at: Vec<Vec<(usize, usize)>> = project
            .books
            .iter()
            .map(|b| b.problems.iter().map(|d| line_col(&project, d)).collect())
            .collect();
        assert_eq!(
            at,
            [vec![(3, 1)], vec![(8, 6)], vec![(12, 9)], vec![], vec![(18, 8)], vec![(21, 8)]]
        );
        assert_eq!(project.books[0].problems[0].problem, Problem::UnknownField("themse".into()));
        assert_eq!(project.books[0].problems[0].hints, ["did you mean `themes`?"]);
        assert!(matches!(project.books[1].problems[0].problem, Problem::ReversedRange { .. }));
    }

    #[test]
    fn syntax_errors_and_unknown_tables_spoil_the_file() {
        let project = parse("[[book]\nname = \"a\"\n", Path::new("brief.toml"));
        assert_eq!(project.problems.len(), 1);
        assert!(matches!(project.problems[0].problem, Problem::Syntax(_)));
        assert_eq!(line_col(&project, &project.problems[0]).0, 1);
        let project = parse("[default]\nhandling = \"x\"\n", Path::new("brief.toml"));
        assert_eq!(project.problems[0].hints, ["did you mean `defaults`?"]);
    }
}
