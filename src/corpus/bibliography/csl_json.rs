//! The entries of a CSL-JSON file (`sources.json`, as Zotero and Better
//! BibTeX export it): each item's fields a citation style uses, by a table
//! of CSL-JSON field to hayagriva field. No I/O here.

use std::ops::Range;
use std::path::Path;

use serde_json::{Map, Value as Json};
use serde_yaml::{Mapping, Value as Yaml};

use super::Entries;
use super::entry::{check, drop_dead_links};
use crate::corpus::model::{Entry, escape};
use crate::date::PartialDate;
use crate::diag::{Diagnostic, Problem};

/// Reads the entries of a CSL-JSON file (an array of items, as Zotero and
/// Better BibTeX export it). A file that is not JSON, or an item brief
/// cannot read, is an error at its line; one item that is not JSON spoils
/// only itself: the file's items are then read one by one, and the others
/// are kept.
pub fn parse_csl_json(text: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Entries {
    let bad = |range: Range<usize>, message: String| {
        Diagnostic::error(path, range, Problem::Bibliography(message))
    };
    let mut out = Entries::default();
    let items: Vec<(usize, Json)> = match serde_json::from_str::<Json>(text) {
        Ok(Json::Array(items)) => {
            let starts = items_in(text).into_iter().map(|r| r.start);
            starts.chain(std::iter::repeat(0)).zip(items).collect()
        }
        Ok(_) => {
            diagnostics.push(bad(
                0..text.len().min(1),
                "a CSL-JSON file is an array of items: `[{\"id\": …}, …]`".into(),
            ));
            out.unread = true;
            return out;
        }
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let end = (offset + 1).min(text.len()).max(offset);
            diagnostics.push(bad(offset..end, format!("malformed CSL-JSON: {e}")));
            match items_one_by_one(text, offset, path, &mut out.broken, diagnostics) {
                Some(items) => items,
                None => {
                    out.unread = true;
                    return out;
                }
            }
        }
    };
    for (at, item) in &items {
        let range = *at..(at + 1).min(text.len());
        let read = csl_item(item).map(|(key, mut yaml)| {
            drop_dead_links(&mut yaml);
            (key, yaml)
        });
        match read {
            Ok((key, yaml)) => match check(&key, &yaml) {
                Ok(()) => {
                    if let Some(note) = date_range(&key, item) {
                        diagnostics.push(bad(range.clone(), note).warning());
                    }
                    out.entries.push(Entry { key, yaml, path: path.to_path_buf(), range })
                }
                Err(why) => {
                    diagnostics.push(bad(range, format!("item `{key}`: {why}")));
                    out.broken.push(key);
                }
            },
            Err(why) => {
                diagnostics.push(bad(range, why));
                out.broken.extend(item_key_of(item));
            }
        }
    }
    out
}

/// The items of a file that is not JSON as a whole (its error, at
/// `error`, is reported), each read on its own: those that read, with
/// where they start. An item that does not read is reported (unless the
/// error is the one already reported) and the ids written in it are put
/// in `broken`. None if the file is not even an array of items.
fn items_one_by_one(
    text: &str,
    error: usize,
    path: &Path,
    broken: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(usize, Json)>> {
    let ranges = items_in(text);
    if ranges.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let nexts: Vec<usize> =
        ranges.iter().skip(1).map(|r| r.start).chain([text.len() + 1]).collect();
    for (r, next) in ranges.into_iter().zip(nexts) {
        let slice = &text[r.clone()];
        match serde_json::from_str::<Json>(slice) {
            Ok(item) => items.push((r.start, item)),
            Err(e) => {
                // The error reported for the file is this item's if it
                // lies before the next item (or where it starts: this one
                // was never closed).
                if !(r.start..=next).contains(&error) {
                    let at = r.start + offset_of(slice, e.line(), e.column());
                    let message = e.to_string();
                    // Its line and column count from the item's start: the
                    // diagnostic shows the place itself.
                    let message = message.rsplit_once(" at line ").map_or(&*message, |(m, _)| m);
                    let problem = Problem::Bibliography(format!("malformed CSL-JSON: {message}"));
                    let end = (at + 1).min(text.len());
                    diagnostics.push(Diagnostic::error(path, at.min(end)..end, problem));
                }
                broken.extend(written_ids(slice));
            }
        }
    }
    Some(items)
}

/// The ids written in a piece of CSL-JSON that does not read.
fn written_ids(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let fields = ["\"id\"", "\"citation-key\"", "\"citationKey\""];
    let at = fields.iter().flat_map(|f| text.match_indices(f).map(|(at, f)| at + f.len()));
    for at in at {
        let rest = text[at..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        let id = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split(['"', '\n']).next().unwrap_or(""),
            None => rest.split([',', '}', '\n']).next().unwrap_or("").trim(),
        };
        if !id.is_empty() {
            out.push(id.to_string());
        }
    }
    out
}

/// The key of an item that could not be read, if it has one.
fn item_key_of(item: &Json) -> Option<String> {
    match item {
        Json::Object(map) => item_key(map).ok(),
        _ => None,
    }
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Where each element of the top-level JSON array is, read leniently so
/// that one broken item does not swallow the rest: a string ends at its
/// line's end at the latest (JSON strings hold no line break), and a line
/// that opens an item at the column the first item opened at starts a new
/// one even if the one before was never closed.
fn items_in(text: &str) -> Vec<Range<usize>> {
    let mut scan = Elements::default();
    let mut line_start = true;
    let mut column = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            scan.in_string = false;
            scan.escaped = false;
            line_start = true;
            column = 0;
            continue;
        }
        if line_start && c != ' ' && c != '\t' {
            line_start = false;
            if c == '{' && scan.depth > 1 && scan.item_column == Some(column) && !scan.in_string {
                scan.restart();
            }
        }
        scan.char(i, c, column);
        column += 1;
    }
    scan.items
}

/// The state of [`items_in`].
#[derive(Default)]
struct Elements {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Where the current item started, if one is open.
    start: Option<usize>,
    /// Where the last character of the current item is.
    last: usize,
    /// The column the first item opened at, if at a line's start.
    item_column: Option<usize>,
    items: Vec<Range<usize>>,
}

impl Elements {
    fn char(&mut self, i: usize, c: char, column: usize) {
        if self.in_string {
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' => self.escaped = true,
                '"' => self.in_string = false,
                _ => {}
            }
            self.last = i + c.len_utf8();
            return;
        }
        if c.is_whitespace() {
            return;
        }
        if self.depth == 1 && self.start.is_none() && c != ']' && c != ',' {
            self.start = Some(i);
            if self.items.is_empty() {
                self.item_column = Some(column);
            }
        }
        match c {
            '"' => self.in_string = true,
            '[' | '{' => self.depth += 1,
            ']' | '}' => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.close();
                }
            }
            ',' if self.depth == 1 => self.close(),
            _ => {}
        }
        self.last = i + c.len_utf8();
        if self.depth == 1 && matches!(c, '}' | ']') {
            self.close();
        }
    }

    /// Ends the current item, if one is open.
    fn close(&mut self) {
        if let Some(start) = self.start.take() {
            self.items.push(start..self.last.max(start + 1));
        }
    }

    /// Starts a new item, the item before never closed.
    fn restart(&mut self) {
        self.close();
        self.depth = 1;
    }
}

/// Where a hayagriva field's value comes from in a CSL-JSON item.
enum From {
    /// A text field, escaped so that it prints as written.
    Text(&'static str),
    /// A text field copied as it is (numbers, codes, links).
    Verbatim(&'static str),
    /// A list of names.
    Names(&'static str),
    /// The `issued` date.
    Issued,
    /// The serial numbers (`DOI`, `ISBN`, `ISSN`, `number`), as one mapping.
    Serial,
    /// `publisher` with its `publisher-place`.
    Publisher,
    /// `container-title`: the journal, book or site, as the parent entry.
    Container,
}

/// The fields of the entry an item becomes, in the order they are written,
/// each with where it comes from. The item's other fields (Zotero writes
/// many) are left out.
const FIELDS: [(&str, From); 17] = [
    ("title", From::Text("title")),
    ("author", From::Names("author")),
    ("editor", From::Names("editor")),
    ("date", From::Issued),
    ("abstract", From::Text("abstract")),
    ("genre", From::Text("genre")),
    ("note", From::Text("note")),
    ("location", From::Text("event-place")),
    ("volume", From::Verbatim("volume")),
    ("issue", From::Verbatim("issue")),
    ("edition", From::Verbatim("edition")),
    ("page-range", From::Verbatim("page")),
    ("language", From::Verbatim("language")),
    ("url", From::Verbatim("URL")),
    ("serial-number", From::Serial),
    ("publisher", From::Publisher),
    ("parent", From::Container),
];

/// A CSL-JSON item being read: its fields, and its key for messages.
struct Item<'a> {
    map: &'a Map<String, Json>,
    key: String,
}

impl Item<'_> {
    /// A text field (a number counts as its text); none when absent or
    /// null.
    fn text(&self, field: &str) -> Result<Option<String>, String> {
        match self.map.get(field) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("item `{}`: `{field}` must be a string", self.key)),
        }
    }

    /// A field's value in hayagriva's form, if the item has it;
    /// `parent_kind` is the type of the container, by the item's type.
    fn read(&self, from: &From, parent_kind: Option<&str>) -> Result<Option<Yaml>, String> {
        Ok(match from {
            From::Text(field) => self.text(field)?.map(|t| Yaml::String(escape(&t))),
            From::Verbatim(field) => self.text(field)?.map(Yaml::String),
            From::Names(field) => match self.map.get(*field) {
                Some(names) => Some(persons(&self.key, field, names)?),
                None => None,
            },
            From::Issued => match self.map.get("issued") {
                Some(date) => csl_date(&self.key, date)?.map(Yaml::String),
                None => None,
            },
            From::Serial => self.serial()?,
            From::Publisher => self.publisher()?,
            From::Container => self.container(parent_kind)?,
        })
    }

    /// The serial numbers, if the item has any.
    fn serial(&self) -> Result<Option<Yaml>, String> {
        let mut serial = Mapping::new();
        for (csl, field) in
            [("DOI", "doi"), ("ISBN", "isbn"), ("ISSN", "issn"), ("number", "number")]
        {
            if let Some(t) = self.text(csl)? {
                serial.insert(Yaml::String(field.into()), Yaml::String(t));
            }
        }
        Ok((!serial.is_empty()).then_some(Yaml::Mapping(serial)))
    }

    /// The publisher, with its place if given (read only with a
    /// publisher).
    fn publisher(&self) -> Result<Option<Yaml>, String> {
        let Some(publisher) = self.text("publisher")? else { return Ok(None) };
        let mut p = Mapping::new();
        p.insert(Yaml::String("name".into()), Yaml::String(escape(&publisher)));
        if let Some(place) = self.text("publisher-place")? {
            p.insert(Yaml::String("location".into()), Yaml::String(escape(&place)));
        }
        Ok(Some(Yaml::Mapping(p)))
    }

    /// The container as the parent entry, of type `parent_kind` (a
    /// periodical when the item's type names none).
    fn container(&self, parent_kind: Option<&str>) -> Result<Option<Yaml>, String> {
        let Some(container) = self.text("container-title")? else { return Ok(None) };
        let mut parent = Mapping::new();
        let kind = parent_kind.unwrap_or("periodical");
        parent.insert(Yaml::String("type".into()), Yaml::String(kind.into()));
        parent.insert(Yaml::String("title".into()), Yaml::String(escape(&container)));
        Ok(Some(Yaml::Mapping(parent)))
    }
}

/// A CSL-JSON item as a hayagriva entry: its key, and the fields of
/// [`FIELDS`] it has.
fn csl_item(item: &Json) -> Result<(String, Yaml), String> {
    let Json::Object(map) = item else {
        return Err("a CSL-JSON item must be an object with an `id`".into());
    };
    let item = Item { map, key: item_key(map)? };
    let (kind, parent_kind) = entry_types(&item.text("type")?.unwrap_or_default());
    let mut m = Mapping::new();
    m.insert(Yaml::String("type".into()), Yaml::String(kind.into()));
    for (field, from) in &FIELDS {
        if let Some(value) = item.read(from, parent_kind)? {
            m.insert(Yaml::String((*field).into()), value);
        }
    }
    Ok((item.key, Yaml::Mapping(m)))
}

/// An item's citation key, the one findings use: its `citation-key`
/// when it has one (Zotero's own export keys each item by its URI in `id`
/// and carries the key there), else its `id` (Better BibTeX's export).
fn item_key(map: &Map<String, Json>) -> Result<String, String> {
    if let Some(Json::String(key)) = map.get("citation-key").or(map.get("citationKey"))
        && !key.trim().is_empty()
    {
        return Ok(key.clone());
    }
    match map.get("id") {
        Some(Json::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Json::Number(n)) => Ok(n.to_string()),
        Some(_) => Err("a CSL-JSON item's `id` must be a non-empty string".into()),
        None => Err("a CSL-JSON item has no `id`: brief matches sources by it".into()),
    }
}

/// The hayagriva entry type of a CSL type, and the type of its container
/// (the journal of an article, the book of a chapter), if it has one.
fn entry_types(csl_type: &str) -> (&'static str, Option<&'static str>) {
    match csl_type {
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
    }
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

/// What is said of an item whose `issued` is a range (`{"date-parts":
/// [[2019, 3], [2019, 5]]}`): the entry keeps its start, as hayagriva's
/// dates have no ranges, and the writer should know.
fn date_range(key: &str, item: &Json) -> Option<String> {
    let parts = item.get("issued")?.get("date-parts")?.as_array()?;
    let part = |p: &Json| {
        let numbers: Vec<String> = p
            .as_array()?
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let n = n.to_string().replace('"', "");
                if i == 0 { n } else { format!("{n:0>2}") }
            })
            .collect();
        Some(numbers.join("-"))
    };
    match parts.as_slice() {
        [start, end, ..] if start != end => Some(format!(
            "item `{key}`: `issued` is a range ({} to {}); a citation gives a single date, so the book gives its start",
            part(start)?,
            part(end)?
        )),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csl_json_items_become_entries_and_bad_items_are_located() {
        let text = "[\n  {\"id\": \"a\", \"type\": \"report\", \"title\": \"T $x$ {y}\",\n   \"author\": [{\"family\": \"Doe\", \"given\": \"J.\"}], \"issued\": {\"date-parts\": [[2012, 9]]}},\n  {\"type\": \"book\"}\n]";
        let mut d = Vec::new();
        let entries = parse_csl_json(text, Path::new("s.json"), &mut d).entries;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[0].text("title").as_deref(), Some("T $x$ {y}"));
        assert_eq!(entries[0].date().map(|d| d.to_string()).as_deref(), Some("2012-09"));
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].range.clone()], "{");
        assert_eq!(text[..d[0].range.start].lines().count(), 4);
    }

    #[test]
    fn one_item_that_is_not_json_spoils_only_itself() {
        let good = "  {\"id\": \"good\", \"title\": \"G\"}";
        for (bad, errors) in [
            ("  {\"id\": \"bad\", \"title\": \"B\" \"x\": 1}", 1),
            ("  {\"id\": \"bad\", \"title\": \"unclosed}", 1),
            ("  {\"id\": \"bad\", \"title\": \"B\",", 1),
        ] {
            let text = format!("[\n{bad},\n{good}\n]\n");
            let mut d = Vec::new();
            let read = parse_csl_json(&text, Path::new("s.json"), &mut d);
            assert_eq!(
                read.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
                ["good"],
                "{text}"
            );
            assert_eq!(read.broken, ["bad"], "{text}");
            assert_eq!(d.len(), errors, "{text}: {d:?}");
            assert_eq!(text[..d[0].range.start].lines().count(), 2, "{text}: {d:?}");
            assert!(!read.unread);
        }
        // Two items that are not JSON: each is reported, at its line.
        let text =
            format!("[\n  {{\"id\": \"a\" \"x\": 1}},\n{good},\n  {{\"id\": \"b\" \"y\": 2}}\n]");
        let mut d = Vec::new();
        let read = parse_csl_json(&text, Path::new("s.json"), &mut d);
        assert_eq!(read.broken, ["a", "b"]);
        let lines: Vec<usize> = d.iter().map(|d| text[..d.range.start].lines().count()).collect();
        assert_eq!(lines, [2, 4], "{d:?}");
    }
}
