//! Bibliographic records for Typst's bibliography engine (hayagriva): the
//! entries of a corpus's `sources.bib` (BibTeX or BibLaTeX, as Zotero and
//! Better BibTeX export it) or `sources.json` (CSL-JSON, Zotero's other
//! export), and the record each `sources.yaml` entry implies.
//!
//! Every record is kept in hayagriva's YAML form, the one format Typst's
//! `bibliography()` reads from bytes. Every string placed in it is
//! escaped, so that nothing a record says (braces, `$math$`, a backslash)
//! is evaluated by Typst: it prints as written. No I/O here.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

use crate::date::PartialDate;
use crate::diag::{Diagnostic, Problem};

/// The bibliography files a corpus may hold beside `sources.yaml`, in the
/// order they are read.
pub const BIB_FILES: [&str; 2] = ["sources.bib", "sources.json"];

/// One bibliographic record, keyed by its citation key.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The citation key: the source id findings use.
    pub key: String,
    /// The entry in hayagriva's YAML form (a mapping), strings escaped.
    pub yaml: Yaml,
    /// The file it was read from.
    pub path: PathBuf,
    /// Where in that file.
    pub range: Range<usize>,
}

impl Record {
    /// A field's text, with hayagriva's escapes undone: `title`, `type`...
    pub fn text(&self, field: &str) -> Option<String> {
        let value = self.yaml.get(field)?;
        let raw = match value {
            Yaml::String(s) => s.clone(),
            Yaml::Number(n) => n.to_string(),
            Yaml::Mapping(m) => m.get("value").and_then(Yaml::as_str)?.to_string(),
            _ => return None,
        };
        Some(unescape(&raw))
    }

    /// The record's date, if it has one brief can read.
    pub fn date(&self) -> Option<PartialDate> {
        self.text("date")?.parse().ok()
    }
}

/// Escapes hayagriva's control characters (`\`, `{`, `}`, `$`), so that a
/// string prints exactly as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '{' | '}' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| matches!(n, '\\' | '{' | '}' | '$')) => {
                out.extend(chars.next());
            }
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Makes math inert: every unescaped `$` in a string hayagriva wrote (a
/// BibTeX title's `$x^2$`) is escaped, so Typst prints it instead of
/// evaluating it. Braces (BibTeX's case protection) keep their meaning.
fn defuse(value: &mut Yaml) {
    match value {
        Yaml::String(s) if s.contains('$') => {
            let mut out = String::with_capacity(s.len() + 2);
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        out.push('\\');
                        out.extend(chars.next());
                    }
                    '$' => out.push_str("\\$"),
                    c => out.push(c),
                }
            }
            *s = out;
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(defuse),
        Yaml::Mapping(m) => m.iter_mut().for_each(|(_, v)| defuse(v)),
        Yaml::Tagged(t) => defuse(&mut t.value),
        _ => {}
    }
}

/// Drops links that would not be web or mail links (`javascript:`,
/// `file:`), at any depth: as in findings, only those are made live.
fn drop_dead_links(value: &mut Yaml) {
    match value {
        Yaml::Mapping(m) => {
            let live = |v: &Yaml| {
                let url = match v {
                    Yaml::String(s) => Some(s.as_str()),
                    Yaml::Mapping(m) => m.get("value").and_then(Yaml::as_str),
                    _ => None,
                };
                url.and_then(|u| u.split_once(':')).is_some_and(|(scheme, _)| {
                    super::markdown::LIVE_SCHEMES.contains(&scheme.to_lowercase().as_str())
                })
            };
            if m.get("url").is_some_and(|u| !live(u)) {
                m.remove("url");
            }
            m.iter_mut().for_each(|(_, v)| drop_dead_links(v));
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(drop_dead_links),
        _ => {}
    }
}

/// Checks a record by handing it to hayagriva, as Typst will.
fn check(key: &str, yaml: &Yaml) -> Result<(), String> {
    let mut library = Mapping::new();
    library.insert(Yaml::String(key.to_string()), yaml.clone());
    let text = serde_yaml::to_string(&library).map_err(|e| e.to_string())?;
    hayagriva::io::from_yaml_str(&text).map(|_| ()).map_err(|e| e.to_string())
}

/// The YAML text of a set of records: the bibliography Typst reads.
pub fn library_yaml<'a>(records: impl IntoIterator<Item = &'a Record>) -> String {
    let mut library = Mapping::new();
    for r in records {
        library.insert(Yaml::String(r.key.clone()), r.yaml.clone());
    }
    if library.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(&library).expect("a mapping of strings serialises")
}

/// Reads the records of a BibTeX or BibLaTeX file. An entry hayagriva
/// cannot read is an error at its place in the file.
pub fn parse_bibtex(text: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Record> {
    let library = match hayagriva::io::from_biblatex_str(text) {
        Ok(library) => library,
        Err(errors) => {
            for e in errors {
                let (span, message) = match e {
                    hayagriva::io::BibLaTeXError::Parse(e) => (e.span, e.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(e) => (e.span, e.kind.to_string()),
                };
                let end = span.end.max(span.start + 1).min(text.len());
                let start = span.start.min(end);
                let problem = Problem::Bibliography(format!("malformed BibTeX: {message}"));
                diagnostics.push(Diagnostic::error(path, start..end, problem));
            }
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in library.iter() {
        let key = entry.key().to_string();
        let range = bibtex_entry_range(text, &key);
        let mut one = hayagriva::Library::new();
        one.push(entry);
        let yaml = hayagriva::io::to_yaml_str(&one)
            .ok()
            .and_then(|t| serde_yaml::from_str::<Mapping>(&t).ok())
            .and_then(|m| m.into_iter().next().map(|(_, v)| v));
        let Some(mut yaml) = yaml else {
            let problem = Problem::Bibliography(format!("entry `{key}` cannot be read"));
            diagnostics.push(Diagnostic::error(path, range, problem));
            continue;
        };
        defuse(&mut yaml);
        drop_dead_links(&mut yaml);
        // As Typst will read it: `check` passing means the book builds.
        if let Err(why) = check(&key, &yaml) {
            let problem = Problem::Bibliography(format!("entry `{key}`: {why}"));
            diagnostics.push(Diagnostic::error(path, range, problem));
            continue;
        }
        out.push(Record { key, yaml, path: path.to_path_buf(), range });
    }
    out
}

/// Where a BibTeX entry's key is written (`@type{key,`), or the file's
/// start if it cannot be found.
fn bibtex_entry_range(text: &str, key: &str) -> Range<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(key).map(|i| from + i) {
        let before = text[..at].trim_end();
        let after = text[at + key.len()..].trim_start();
        if before.ends_with('{') && (after.starts_with(',') || after.starts_with('}')) {
            return at..at + key.len();
        }
        from = at + key.len();
    }
    0..0
}

/// Reads the records of a CSL-JSON file (an array of items, as Zotero and
/// Better BibTeX export it). A file that is not JSON, or an item brief
/// cannot read, is an error at its line.
pub fn parse_csl_json(text: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Record> {
    let bad = |range: Range<usize>, message: String| {
        Diagnostic::error(path, range, Problem::Bibliography(message))
    };
    let items: Vec<Json> = match serde_json::from_str::<Json>(text) {
        Ok(Json::Array(items)) => items,
        Ok(_) => {
            diagnostics.push(bad(
                0..text.len().min(1),
                "a CSL-JSON file is an array of items: `[{\"id\": …}, …]`".into(),
            ));
            return Vec::new();
        }
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let end = (offset + 1).min(text.len()).max(offset);
            diagnostics.push(bad(offset..end, format!("malformed CSL-JSON: {e}")));
            return Vec::new();
        }
    };
    let starts = item_starts(text);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = starts.get(i).copied().unwrap_or(0);
        let range = at..(at + 1).min(text.len());
        match csl_item(item).map(|(key, mut yaml)| {
            drop_dead_links(&mut yaml);
            (key, yaml)
        }) {
            Ok((key, yaml)) => match check(&key, &yaml) {
                Ok(()) => out.push(Record { key, yaml, path: path.to_path_buf(), range }),
                Err(why) => diagnostics.push(bad(range, format!("item `{key}`: {why}"))),
            },
            Err(why) => diagnostics.push(bad(range, why)),
        }
    }
    out
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// The byte offset where each element of the top-level JSON array starts.
fn item_starts(text: &str) -> Vec<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut starts = Vec::new();
    let mut expecting = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !c.is_whitespace() && c != ']' {
            starts.push(i);
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    starts
}

/// A CSL-JSON item as a hayagriva record: the fields a citation style
/// uses. Other fields Zotero writes are left out.
fn csl_item(item: &Json) -> Result<(String, Yaml), String> {
    let Json::Object(map) = item else {
        return Err("a CSL-JSON item must be an object with an `id`".into());
    };
    let key = match map.get("id") {
        Some(Json::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        Some(_) => return Err("a CSL-JSON item's `id` must be a non-empty string".into()),
        None => return Err("a CSL-JSON item has no `id`: brief matches sources by it".into()),
    };
    let text = |field: &str| -> Result<Option<String>, String> {
        match map.get(field) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("item `{key}`: `{field}` must be a string")),
        }
    };
    let csl_type = text("type")?.unwrap_or_default();
    let (kind, parent_kind) = match csl_type.as_str() {
        "article-journal" => ("article", Some("periodical")),
        "article-magazine" => ("article", Some("periodical")),
        "article-newspaper" => ("article", Some("newspaper")),
        "paper-conference" => ("article", Some("proceedings")),
        "chapter" => ("chapter", Some("book")),
        "entry-encyclopedia" | "entry-dictionary" | "entry" => ("entry", Some("reference")),
        "post-weblog" => ("article", Some("blog")),
        "article" => ("article", None),
        "book" => ("book", None),
        "report" => ("report", None),
        "thesis" => ("thesis", None),
        "webpage" => ("web", None),
        "manuscript" => ("manuscript", None),
        "legislation" | "bill" => ("legislation", None),
        "legal_case" => ("case", None),
        "patent" => ("patent", None),
        "post" => ("post", None),
        "dataset" => ("repository", None),
        _ => ("misc", None),
    };
    let mut m = Mapping::new();
    let put = |m: &mut Mapping, field: &str, value: Yaml| {
        m.insert(Yaml::String(field.into()), value);
    };
    let s = |t: String| Yaml::String(escape(&t));
    put(&mut m, "type", Yaml::String(kind.into()));
    if let Some(t) = text("title")? {
        put(&mut m, "title", s(t));
    }
    for (csl, field) in [("author", "author"), ("editor", "editor")] {
        if let Some(names) = map.get(csl) {
            put(&mut m, field, persons(&key, csl, names)?);
        }
    }
    if let Some(date) = map.get("issued")
        && let Some(date) = csl_date(&key, date)?
    {
        put(&mut m, "date", Yaml::String(date));
    }
    for (csl, field) in [
        ("abstract", "abstract"),
        ("genre", "genre"),
        ("note", "note"),
        ("event-place", "location"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("edition", "edition"),
        ("page", "page-range"),
        ("language", "language"),
    ] {
        if let Some(t) = text(csl)? {
            let value = match field {
                "volume" | "issue" | "edition" | "page-range" | "language" => Yaml::String(t),
                _ => s(t),
            };
            put(&mut m, field, value);
        }
    }
    if let Some(t) = text("URL")? {
        put(&mut m, "url", Yaml::String(t));
    }
    let mut serial = Mapping::new();
    for (csl, field) in [("DOI", "doi"), ("ISBN", "isbn"), ("ISSN", "issn"), ("number", "number")] {
        if let Some(t) = text(csl)? {
            serial.insert(Yaml::String(field.into()), Yaml::String(t));
        }
    }
    if !serial.is_empty() {
        put(&mut m, "serial-number", Yaml::Mapping(serial));
    }
    if let Some(publisher) = text("publisher")? {
        let mut p = Mapping::new();
        p.insert(Yaml::String("name".into()), s(publisher));
        if let Some(place) = text("publisher-place")? {
            p.insert(Yaml::String("location".into()), s(place));
        }
        put(&mut m, "publisher", Yaml::Mapping(p));
    }
    if let Some(container) = text("container-title")? {
        let mut parent = Mapping::new();
        let kind = parent_kind.unwrap_or("periodical");
        parent.insert(Yaml::String("type".into()), Yaml::String(kind.into()));
        parent.insert(Yaml::String("title".into()), s(container));
        put(&mut m, "parent", Yaml::Mapping(parent));
    }
    Ok((key, Yaml::Mapping(m)))
}

/// CSL-JSON names (`{"family", "given"}` or `{"literal"}`) as hayagriva
/// persons.
fn persons(key: &str, field: &str, names: &Json) -> Result<Yaml, String> {
    let bad = || {
        format!(
            "item `{key}`: `{field}` must be a list of names ({{\"family\": …, \"given\": …}} or {{\"literal\": …}})"
        )
    };
    let Json::Array(names) = names else { return Err(bad()) };
    let mut out = Vec::new();
    for name in names {
        let Json::Object(n) = name else { return Err(bad()) };
        let get = |k: &str| n.get(k).and_then(Json::as_str).map(str::to_string);
        let mut p = Mapping::new();
        match (get("family"), get("literal")) {
            (Some(family), _) => {
                p.insert(Yaml::String("name".into()), Yaml::String(family));
                if let Some(given) = get("given") {
                    p.insert(Yaml::String("given-name".into()), Yaml::String(given));
                }
                if let Some(prefix) = get("non-dropping-particle").or(get("dropping-particle")) {
                    p.insert(Yaml::String("prefix".into()), Yaml::String(prefix));
                }
                if let Some(suffix) = get("suffix") {
                    p.insert(Yaml::String("suffix".into()), Yaml::String(suffix));
                }
            }
            (None, Some(literal)) => {
                p.insert(Yaml::String("name".into()), Yaml::String(literal));
            }
            (None, None) => return Err(bad()),
        }
        out.push(Yaml::Mapping(p));
    }
    Ok(Yaml::Sequence(out))
}

/// A CSL-JSON date (`{"date-parts": [[2012, 9, 19]]}`, or `{"raw": …}`)
/// as `YYYY[-MM[-DD]]`.
fn csl_date(key: &str, date: &Json) -> Result<Option<String>, String> {
    let bad = || format!("item `{key}`: `issued` must be {{\"date-parts\": [[year, month, day]]}}");
    let Json::Object(d) = date else { return Err(bad()) };
    if let Some(parts) = d.get("date-parts") {
        let first = parts.as_array().and_then(|p| p.first()).and_then(Json::as_array);
        let Some(first) = first else { return Err(bad()) };
        let mut numbers = Vec::new();
        for part in first {
            let n = match part {
                Json::Number(n) => n.as_i64(),
                Json::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            numbers.push(n.ok_or_else(bad)?);
        }
        let text = match numbers.as_slice() {
            [] => return Ok(None),
            [y] => format!("{y:04}"),
            [y, m] => format!("{y:04}-{m:02}"),
            [y, m, d, ..] => format!("{y:04}-{m:02}-{d:02}"),
        };
        return text
            .parse::<PartialDate>()
            .map(|_| Some(text))
            .map_err(|e| format!("item `{key}`: `issued`: {e}"));
    }
    match d.get("raw").or(d.get("literal")).and_then(Json::as_str) {
        Some(raw) if raw.parse::<PartialDate>().is_ok() => Ok(Some(raw.to_string())),
        _ => Ok(None),
    }
}

/// The record a `sources.yaml` entry implies, for a source no
/// bibliography file holds: its authors, or else its organisation as the
/// author; its title; its date; its kind as the genre.
pub fn source_record(
    source: &super::model::Source,
    participants: &[super::model::Participant],
    path: &Path,
) -> Record {
    let authors: Vec<(String, Option<String>)> = participants
        .iter()
        .filter(|p| p.source == source.id && p.role == super::model::Role::Author)
        .map(|p| person(&p.name, p.sort_as.as_deref()))
        .collect();
    let mut m = Mapping::new();
    let mut put = |field: &str, value: Yaml| {
        m.insert(Yaml::String(field.into()), value);
    };
    let kind = source.kind.to_lowercase();
    let entry_type = if kind.contains("article") {
        "article"
    } else if kind.contains("book") {
        "book"
    } else if kind.contains("thesis") {
        "thesis"
    } else if kind.contains("web") {
        "web"
    } else {
        // Reports, papers, consultations, briefs: documents compiled for
        // an audience, which is what CSL's `report` is.
        "report"
    };
    put("type", Yaml::String(entry_type.into()));
    let person = |family: &str, given: Option<&str>| {
        let mut p = Mapping::new();
        p.insert(Yaml::String("name".into()), Yaml::String(family.to_string()));
        if let Some(given) = given {
            p.insert(Yaml::String("given-name".into()), Yaml::String(given.to_string()));
        }
        Yaml::Mapping(p)
    };
    if !authors.is_empty() {
        put(
            "author",
            Yaml::Sequence(authors.iter().map(|(f, g)| person(f, g.as_deref())).collect()),
        );
        if let Some(org) = &source.organisation {
            put("publisher", Yaml::String(escape(org)));
        }
    } else if let Some(org) = &source.organisation {
        // An institution's report without named authors: the institution
        // is the author, as Chicago and APA cite such documents.
        put("author", Yaml::Sequence(vec![person(org, None)]));
    }
    if let Some(title) = &source.title {
        put("title", Yaml::String(escape(title)));
    }
    if let Some(date) = source.date {
        put("date", Yaml::String(date.to_string()));
    }
    if let Some(place) = &source.place {
        put("location", Yaml::String(escape(place)));
    }
    put("genre", Yaml::String(escape(&source.kind)));
    Record { key: source.id.clone(), yaml: Yaml::Mapping(m), path: path.to_path_buf(), range: 0..0 }
}

/// A person's name as family and given names: the family name is
/// `sort_as` when it is one of the name's words, else the last word.
fn person(name: &str, sort_as: Option<&str>) -> (String, Option<String>) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let family_at = sort_as
        .and_then(|s| words.iter().position(|w| w.eq_ignore_ascii_case(s)))
        .unwrap_or(words.len().saturating_sub(1));
    let family = words[family_at..].join(" ");
    let given = words[..family_at].join(" ");
    (family, Some(given).filter(|g| !g.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csl_json_items_become_records_and_bad_items_are_located() {
        let text = "[\n  {\"id\": \"a\", \"type\": \"report\", \"title\": \"T $x$ {y}\",\n   \"author\": [{\"family\": \"Doe\", \"given\": \"J.\"}], \"issued\": {\"date-parts\": [[2012, 9]]}},\n  {\"type\": \"book\"}\n]";
        let mut d = Vec::new();
        let records = parse_csl_json(text, Path::new("s.json"), &mut d);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].key, "a");
        assert_eq!(records[0].text("title").as_deref(), Some("T $x$ {y}"));
        assert_eq!(records[0].date().map(|d| d.to_string()).as_deref(), Some("2012-09"));
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.clone()], "{");
        assert_eq!(text[..d[0].range.start].lines().count(), 4);
    }

    #[test]
    fn a_sources_yaml_entry_prints_as_written() {
        let source = crate::corpus::model::Source {
            id: "s".into(),
            short: "S".into(),
            title: Some("A {b} $c$ \\d #set".into()),
            kind: "research article".into(),
            organisation: Some("Org $x$".into()),
            place: None,
            date: "2012-09".parse().ok(),
            r#abstract: String::new(),
            note: None,
            handling: None,
            seed: None,
        };
        let record = source_record(&source, &[], Path::new("sources.yaml"));
        let library = hayagriva::io::from_yaml_str(&library_yaml([&record])).unwrap();
        let entry = library.get("s").unwrap();
        assert_eq!(entry.title().unwrap().value.to_str(), "A {b} $c$ \\d #set");
        assert_eq!(entry.authors().unwrap()[0].name, "Org $x$");
        assert_eq!(entry.entry_type(), &hayagriva::types::EntryType::Article);
        assert_eq!(record.text("title").as_deref(), Some("A {b} $c$ \\d #set"));
    }

    #[test]
    fn bibtex_math_is_made_inert() {
        let text = "@report{k,\n  title = {A $x^2$ title},\n  author = {Doe, Jane},\n  year = {2014},\n}\n";
        let mut d = Vec::new();
        let records = parse_bibtex(text, Path::new("s.bib"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        let yaml = library_yaml(&records);
        assert!(yaml.contains("\\$x^2\\$"), "{yaml}");
        assert_eq!(&text[records[0].range.clone()], "k");
        let library = hayagriva::io::from_yaml_str(&yaml).unwrap();
        let title = library.get("k").unwrap().title().unwrap();
        assert_eq!(title.value.to_str(), "A $x^2$ title");
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        let text = "@misc{a, title = {A}, url = {javascript:alert(1)}}\n@misc{b, title = {B}, url = {https://example.org/b}}\n";
        let mut d = Vec::new();
        let records = parse_bibtex(text, Path::new("s.bib"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(records[0].yaml.get("url"), None);
        assert!(records[1].yaml.get("url").is_some());
        let json = r#"[{"id": "c", "title": "C", "URL": "file:///etc/passwd"}]"#;
        let records = parse_csl_json(json, Path::new("s.json"), &mut d);
        assert_eq!(records[0].yaml.get("url"), None);
    }
}
