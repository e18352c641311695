//! YAML to typed values, with every error placed at `file:line:column`.
//!
//! No I/O; works on text already read.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::file::{Entry, KeyIndex};
use super::yaml_scan::{Seg, parse_path};
use crate::date::PartialDate;
use crate::diag::{Diagnostic, Problem};

/// A file shape's date fields. They are checked on the parsed YAML before
/// deserialising, so a bad date is a typed [`Problem::BadDate`] at its own
/// key, built where the date is parsed.
pub trait Dates {
    /// Each date field, and whether it may say `unknown`.
    const DATE_FIELDS: &'static [(&'static str, bool)] = &[];
}

/// Checks the date fields of one mapping; a bad one is reported at its key
/// and replaced by a stand-in, so the rest of the mapping can still be
/// checked. Returns whether any was bad.
fn check_dates<T: Dates>(
    mapping: &mut serde_yaml::Mapping,
    entry: &Entry,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let mut bad = false;
    for &(field, unknown_allowed) in T::DATE_FIELDS {
        let Some(value) = mapping.get_mut(field) else { continue };
        let text = match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        if unknown_allowed && text == "unknown" {
            continue;
        }
        if let Err(error) = text.parse::<PartialDate>() {
            let problem = Problem::BadDate { field, error };
            diagnostics.push(Diagnostic::error(shown, entry.key(field), problem));
            // A stand-in that reads as a date; `unknown` where allowed, so
            // a value kept beside the problem claims no date.
            let stand_in = if unknown_allowed { "unknown" } else { "2000" };
            *value = serde_yaml::Value::String(stand_in.into());
            bad = true;
        }
    }
    bad
}

/// A parsed value with where it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where its keys are, for later diagnostics.
    pub entry: Entry,
}

/// Parses a file whose top level is a list of mappings, one `T` each.
///
/// Each entry is deserialised on its own, so one bad entry does not hide
/// the problems of the others, and each error points into its entry. One
/// that is not even YAML (an unclosed bracket, a control character) spoils
/// only itself: the others are read, and references to it are not
/// reported again.
pub fn parse_list<T: DeserializeOwned + Dates>(
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> ListParse<T> {
    let mut parse = ListParse { items: Vec::new(), broken_ids: Vec::new(), unparsed: false };
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return parse;
    }
    let index = KeyIndex::list(text);
    let bad_characters = control_characters(text, 0, shown);
    let whole = match serde_yaml::from_str::<Vec<serde_yaml::Value>>(text) {
        Ok(values) if bad_characters.is_empty() => Ok(values),
        Ok(_) => Err(None),
        Err(e) => Err(Some(e)),
    };
    let values: Vec<Option<serde_yaml::Value>> = match whole {
        Ok(values) if values.len() == index.entries().len() => {
            values.into_iter().map(Some).collect()
        }
        Ok(values) => return whole_list(text, shown, values, diagnostics),
        Err(e) if index.entries().is_empty() => {
            diagnostics.extend(bad_characters);
            diagnostics.extend(e.map(|e| yaml_diagnostic(&e, text, 0, shown, None)));
            parse.unparsed = true;
            return parse;
        }
        Err(e) => {
            let values = recover(text, shown, &index, bad_characters, diagnostics);
            if values.iter().all(Option::is_some) {
                // Every entry reads on its own: what is wrong lies outside
                // them.
                diagnostics.extend(e.map(|e| yaml_diagnostic(&e, text, 0, shown, None)));
            }
            values
        }
    };
    for (entry, value) in index.entries().iter().zip(values) {
        match value {
            Some(value) => {
                parse_entry(text, shown, entry, value, index.is_flow(), &mut parse, diagnostics)
            }
            None => parse.broken_ids.extend(written_id(text, entry)),
        }
    }
    parse
}

/// A list file whose entries the scanner did not find as serde_yaml did:
/// still parsed, but errors can only point at the file's start.
fn whole_list<T: DeserializeOwned>(
    text: &str,
    shown: &Path,
    values: Vec<serde_yaml::Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ListParse<T> {
    let mut parse = ListParse { items: Vec::new(), broken_ids: Vec::new(), unparsed: false };
    let whole = Entry::whole(text);
    match serde_yaml::from_str::<Vec<T>>(text) {
        Ok(items) => {
            parse.items =
                items.into_iter().map(|value| Located { value, entry: whole.clone() }).collect()
        }
        Err(e) => {
            diagnostics.push(yaml_diagnostic(&e, text, 0, shown, Some(&whole)));
            parse.broken_ids = values.iter().filter_map(id_of).collect();
        }
    }
    parse
}

/// The entries of a list file that is not YAML as a whole, each read on
/// its own: `None` for one that cannot be (its problem is reported), so
/// that the others are kept.
fn recover(
    text: &str,
    shown: &Path,
    index: &KeyIndex,
    bad_characters: Vec<Diagnostic>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<serde_yaml::Value>> {
    let within = |d: &Diagnostic, e: &Entry| e.range.contains(&d.range.start);
    // A control character outside every entry is reported all the same.
    let outside = bad_characters.iter().filter(|d| !index.entries().iter().any(|e| within(d, e)));
    diagnostics.extend(outside.cloned());
    let mut values = Vec::new();
    for entry in index.entries() {
        let bad: Vec<&Diagnostic> = bad_characters.iter().filter(|d| within(d, entry)).collect();
        if !bad.is_empty() {
            diagnostics.extend(bad.into_iter().cloned());
            values.push(None);
            continue;
        }
        let slice = &text[entry.range.clone()];
        let value = if index.is_flow() {
            serde_yaml::from_str::<serde_yaml::Value>(slice)
        } else {
            serde_yaml::from_str::<Vec<serde_yaml::Value>>(slice)
                .map(|mut v| if v.len() == 1 { v.remove(0) } else { serde_yaml::Value::Null })
        };
        match value {
            Ok(value) => values.push(Some(value)),
            Err(e) => {
                let start = entry.range.start;
                diagnostics.push(yaml_diagnostic(&e, text, start, shown, Some(entry)));
                values.push(None);
            }
        }
    }
    values
}

/// An entry's `id`, as serde_yaml read it.
fn id_of(value: &serde_yaml::Value) -> Option<String> {
    value.get("id").and_then(|id| id.as_str()).map(str::to_string)
}

/// An entry's `id` as written, for an entry that could not be read.
pub(super) fn written_id(text: &str, entry: &Entry) -> Option<String> {
    let value = text.get(entry.find_key("id")?)?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!value.is_empty()).then(|| value.to_string())
}

/// A mapping file's list under the top-level `key` (`terms:` of
/// glossary.yaml), set apart so that its entries can be read one by one
/// with [`parse_list`]: the text with all but that list's value blanked,
/// and the text with the key and its list blanked (the rest of the
/// mapping). Blanked bytes become spaces, line ends are kept, so every
/// offset stays the file's. `None` when `key` is not written at the top
/// level of a block mapping.
pub fn split_keyed_list(text: &str, key: &str) -> Option<(String, String)> {
    if text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    let scan = super::yaml_scan::scan(text);
    let top: Vec<&super::yaml_scan::Key> = scan.keys.iter().filter(|k| k.path.is_empty()).collect();
    let at = top.iter().position(|k| k.name == key)?;
    let line_start = |offset: usize| text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let start = line_start(top[at].at.start);
    let value = top[at].at.end + text[top[at].at.end..].find(':')? + 1;
    let end = top.get(at + 1).map_or(text.len(), |next| line_start(next.at.start));
    if value > end {
        return None;
    }
    Some((blanked(text, [0..value, end..text.len()]), blanked(text, std::iter::once(start..end))))
}

/// `text` with the bytes of `ranges` (whole characters) made spaces,
/// line ends kept.
fn blanked(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        for b in &mut bytes[range] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).expect("whole characters blanked")
}

/// Parses a whole file as one `T` (a mapping), an error located at its key
/// as [`parse_list`] locates one; a file of nothing (or of comments) is
/// `T`'s default.
pub fn parse_whole<T: DeserializeOwned + Default>(
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let entry = KeyIndex::mapping(text, 0);
    let located = |e: &serde_yaml::Error| yaml_diagnostic(e, text, 0, shown, Some(&entry));
    let bad_characters = control_characters(text, 0, shown);
    if !bad_characters.is_empty() {
        diagnostics.extend(bad_characters);
        return None;
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Null) => return Some(T::default()),
        Ok(_) => {}
        Err(e) => {
            diagnostics.push(located(&e));
            return None;
        }
    }
    serde_yaml::from_str::<T>(text).map_err(|e| diagnostics.push(located(&e))).ok()
}

/// Reads one entry of a list file, whose value serde_yaml has read:
/// its dates checked, then deserialised from its own text so that errors
/// carry their position.
fn parse_entry<T: DeserializeOwned + Dates>(
    text: &str,
    shown: &Path,
    entry: &Entry,
    value: serde_yaml::Value,
    flow: bool,
    parse: &mut ListParse<T>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let start = entry.range.start;
    let id = id_of(&value);
    if let serde_yaml::Value::Mapping(mut mapping) = value
        && check_dates::<T>(&mut mapping, entry, shown, diagnostics)
    {
        // The dates are reported; check the rest, keep nothing.
        if let Err(e) = serde_yaml::from_value::<T>(serde_yaml::Value::Mapping(mapping)) {
            diagnostics.push(yaml_diagnostic(&e, text, start, shown, Some(entry)));
        }
        parse.broken_ids.extend(id);
        return;
    }
    let slice = &text[entry.range.clone()];
    let one = if flow {
        serde_yaml::from_str::<T>(slice).map(|v| vec![v])
    } else {
        serde_yaml::from_str::<Vec<T>>(slice)
    };
    match one {
        Ok(mut one) if one.len() == 1 => {
            parse.items.push(Located { value: one.pop().unwrap(), entry: entry.clone() })
        }
        Ok(_) => parse.broken_ids.extend(id),
        Err(e) => {
            diagnostics.push(yaml_diagnostic(&e, text, start, shown, Some(entry)));
            parse.broken_ids.extend(id);
        }
    }
}

/// A list file as parsed.
#[derive(Debug)]
pub struct ListParse<T> {
    /// The entries that parsed.
    pub items: Vec<Located<T>>,
    /// The ids of entries that did not: their problems are reported, and
    /// references to them are not reported again.
    pub broken_ids: Vec<String>,
    /// Whether the file as a whole did not parse (then nothing in it is
    /// known, and references into it are not checked).
    pub unparsed: bool,
}

/// Characters YAML does not allow in a file (C0 and C1 controls other
/// than tab, line feed, carriage return and next line; DEL), each reported
/// where it is: serde_yaml would name only a byte offset.
fn control_characters(text: &str, offset: usize, shown: &Path) -> Vec<Diagnostic> {
    text.char_indices()
        .filter(|(_, c)| {
            let c = *c as u32;
            (c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0d))
                || c == 0x7f
                || (0x80..=0x9f).contains(&c) && c != 0x85
        })
        .map(|(at, c)| {
            let at = offset + at;
            let name = format!("U+{:04X}", c as u32);
            Diagnostic::error(shown, at..at + c.len_utf8(), Problem::ControlCharacter(name))
                .with_hint("remove it, or write it as an escape in a double-quoted string")
        })
        .collect()
}

/// Parses one mapping (a finding's front matter) found at `offset`, whose
/// fields are `fields` (name, required). Unknown and missing fields are all
/// reported together, and a bad value beside them too, rather than one
/// per run.
pub fn parse_mapping<T: DeserializeOwned + Dates>(
    yaml: &str,
    offset: usize,
    file_text: &str,
    shown: &Path,
    fields: &[(&str, bool)],
    aliases: &[(&str, &str)],
) -> Result<Located<T>, Vec<Diagnostic>> {
    let read = read_mapping(yaml, offset, file_text, shown, fields, aliases, None);
    match read.value {
        Some(value) if read.diagnostics.is_empty() => Ok(value),
        _ => Err(read.diagnostics),
    }
}

/// A mapping as [`read_mapping`] read it.
#[derive(Debug)]
pub struct MappingRead<T> {
    /// The value, also when problems were found beside it (bad dates,
    /// unknown fields, a `#` slip: each reported, the value made of what
    /// was well written), so that what it refers to can still be checked;
    /// `None` when none could be made.
    pub value: Option<Located<T>>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> MappingRead<T> {
    fn broken(diagnostics: Vec<Diagnostic>) -> Self {
        MappingRead { value: None, diagnostics }
    }
}

/// [`parse_mapping`], keeping the value made despite its problems where
/// one can be: a bad date is left out (`unknown`), an unknown field
/// dropped, a value hidden by `#` read as meant. The mapping is first
/// changed by `adjust`, if given (an Obsidian note's properties made
/// brief's fields); it is then read from the values, not the text.
pub fn read_mapping<T: DeserializeOwned + Dates>(
    yaml: &str,
    offset: usize,
    file_text: &str,
    shown: &Path,
    fields: &[(&str, bool)],
    aliases: &[(&str, &str)],
    adjust: Option<&mut dyn FnMut(&mut serde_yaml::Mapping)>,
) -> MappingRead<T> {
    // A value hidden by `#` is reported where it is, and read as meant;
    // what else is wrong on its line (a list read as text) follows from
    // it.
    let (mended, slips) = super::yaml_slips::mend(yaml, offset, shown);
    let mut read = read_mended(&mended, offset, file_text, shown, (fields, aliases), adjust);
    let line = |at: usize| file_text[..at.min(file_text.len())].matches('\n').count();
    read.diagnostics.retain(|d| !slips.iter().any(|s| line(s.range.start) == line(d.range.start)));
    read.diagnostics.splice(0..0, slips);
    read
}

/// A mapping's fields (each with whether it is required) and its keys'
/// aliases.
type Fields<'a> = (&'a [(&'a str, bool)], &'a [(&'a str, &'a str)]);

/// [`read_mapping`] of the front matter once mended.
fn read_mended<T: DeserializeOwned + Dates>(
    yaml: &str,
    offset: usize,
    file_text: &str,
    shown: &Path,
    (fields, aliases): Fields,
    adjust: Option<&mut dyn FnMut(&mut serde_yaml::Mapping)>,
) -> MappingRead<T> {
    let mut entry = KeyIndex::mapping(yaml, offset);
    for (alias, field) in aliases {
        entry.alias_key(alias, field);
    }
    let mut diagnostics = Vec::new();
    let bad_characters = control_characters(yaml, offset, shown);
    if !bad_characters.is_empty() {
        diagnostics.extend(bad_characters);
        return MappingRead::broken(diagnostics);
    }
    let located =
        |e: &serde_yaml::Error| yaml_diagnostic(e, file_text, offset, shown, Some(&entry));
    let mut mapping = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(mapping)) => mapping,
        Ok(_) => {
            let problem = Problem::Syntax("the front matter must be `key: value` lines".into());
            diagnostics.push(Diagnostic::error(shown, entry.range.clone(), problem));
            return MappingRead::broken(diagnostics);
        }
        Err(e) => {
            diagnostics.push(located(&e));
            return MappingRead::broken(diagnostics);
        }
    };
    let adjusted = adjust.is_some();
    if let Some(adjust) = adjust {
        adjust(&mut mapping);
    }
    let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    check_dates::<T>(&mut mapping, &entry, shown, &mut diagnostics);
    let mut known = serde_yaml::Mapping::new();
    for (key, value) in mapping {
        let name = key.as_str().unwrap_or_default().to_string();
        if let Some((_, field)) = aliases.iter().find(|(alias, _)| *alias == name) {
            known.insert(serde_yaml::Value::String(field.to_string()), value);
            continue;
        }
        if names.contains(&name.as_str()) {
            known.insert(key, value);
            continue;
        }
        let mut d =
            Diagnostic::error(shown, entry.key_name(&name), Problem::UnknownField(name.clone()));
        if let Some(hint) = crate::suggest::hint(&name, names.iter().copied(), "the fields are") {
            d = d.with_hint(hint);
        }
        diagnostics.push(d);
    }
    for (name, required) in fields {
        if *required && !known.contains_key(*name) {
            diagnostics.push(Diagnostic::error(
                shown,
                entry.key("id"),
                Problem::MissingField(name.to_string()),
            ));
        }
    }
    if diagnostics.iter().any(|d| matches!(d.problem, Problem::MissingField(_))) {
        return MappingRead::broken(diagnostics);
    }
    // Deserialise from the text when it is clean, so errors carry their
    // position; otherwise from the known fields.
    let value = if diagnostics.is_empty() && !adjusted {
        serde_yaml::from_str::<T>(yaml).map_err(|e| located(&e))
    } else {
        serde_yaml::from_value::<T>(serde_yaml::Value::Mapping(known)).map_err(|e| located(&e))
    };
    match value {
        Ok(value) => MappingRead { value: Some(Located { value, entry }), diagnostics },
        Err(d) => {
            diagnostics.push(d);
            MappingRead::broken(diagnostics)
        }
    }
}

/// Turns a serde_yaml error into a diagnostic. Missing and unknown fields
/// become their own kinds, pointed at the entry or the offending key, with
/// a "did you mean" for a misspelt key.
fn yaml_diagnostic(
    error: &serde_yaml::Error,
    text: &str,
    offset: usize,
    shown: &Path,
    entry: Option<&Entry>,
) -> Diagnostic {
    let message = strip_locations(&error.to_string());
    // Entries are parsed one at a time as one-element lists: serde_yaml's
    // `[0].` path prefix says nothing to the user.
    let message = message.trim_start_matches('.');
    let message =
        message.strip_prefix("[0].").or_else(|| message.strip_prefix("[0]: ")).unwrap_or(message);
    let at = error.location().map_or(offset, |l| offset + l.index()).min(text.len());
    let mut range = at..(at + 1).min(text.len());
    // A quote never closed is reported where the text ends; the user must
    // look where it opened.
    if message.contains("quoted scalar") {
        let scanned = entry.map_or(0..text.len(), |e| e.range.clone());
        if let Some(open) = unclosed_quote(text, scanned) {
            return Diagnostic::error(shown, open..open + 1, Problem::Syntax(message.to_string()))
                .with_hint("this quote is never closed");
        }
    }
    // serde_yaml names the mapping at fault before the message, as a path
    // inside the entry (`agenda[0]: unknown field ...`).
    let path = message
        .split_once(": ")
        .map(|(head, _)| head)
        .filter(|head| !head.is_empty() && !head.contains([' ', '`']))
        .map(parse_path)
        .unwrap_or_default();
    if let Some(field) = between(message, "missing field `", "`") {
        let range = match entry {
            Some(e) => e.mapping_at(&path).filter(|_| !path.is_empty()).unwrap_or(e.key("id")),
            None => range,
        };
        return Diagnostic::error(shown, range, Problem::MissingField(field.to_string()));
    }
    let duplicate = between(message, "duplicate field `", "`")
        .or_else(|| between(message, "duplicate entry with key \"", "\""));
    if let Some(key) = duplicate {
        // The second occurrence is the one to remove.
        let range = entry
            .and_then(|e| e.repeated_key_in(&path, key).or_else(|| e.repeated_key(key)))
            .unwrap_or(range);
        return Diagnostic::error(shown, range, Problem::Syntax(format!("`{key}` is given twice")));
    }
    if let Some(field) = between(message, "unknown field `", "`") {
        let expected: Vec<&str> = message
            .split_once("expected ")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        // Where the key is written, at any depth; else where serde_yaml
        // stopped, which is the key too.
        if let Some(at) = entry.and_then(|e| e.nested_name(&path, field)) {
            range = at;
        }
        let mut diagnostic =
            Diagnostic::error(shown, range, Problem::UnknownField(field.to_string()));
        if let Some(hint) = crate::suggest::hint(field, expected.iter().copied(), "the fields are")
        {
            diagnostic = diagnostic.with_hint(hint);
        }
        return diagnostic;
    }
    // Point at the key a message names: serde_yaml prefixes some messages
    // with the field's path ("agenda[0].lead: invalid type ...").
    if let (Some(e), Some((Seg::Key(key), parent))) = (entry, path.split_last())
        && let Some(found) = e.nested_value(parent, key)
    {
        range = found;
    }
    let mut diagnostic =
        Diagnostic::error(shown, range.clone(), Problem::Syntax(message.to_string()));
    let line_start = text[..range.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    if message.contains("tab")
        || line.starts_with(|c: char| c.is_whitespace())
            && line.trim_start_matches(' ').starts_with('\t')
    {
        diagnostic = diagnostic.with_hint("YAML indents with spaces, not tabs");
    } else if message.contains("mapping values are not allowed") {
        diagnostic = diagnostic.with_hint(
            "a value that contains `: ` must be in quotes, e.g. title: \"Afghanistan: the endgame\"",
        );
    }
    diagnostic
}

/// Drops every " at line N column M" from a serde_yaml message: those
/// count from the start of the YAML, not of the file, and the diagnostic
/// shows the place itself.
fn strip_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line = digits(tail);
        match tail[line..].strip_prefix(" column ") {
            Some(col) if line > 0 && digits(col) > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The offset of the last quote opened in `text[range]` that is never
/// closed, reading YAML's quoting rules: `\` escapes inside double quotes,
/// `''` inside single quotes, and `#` starts a comment outside them. A
/// quote opens a scalar only where a value starts.
fn unclosed_quote(text: &str, range: std::ops::Range<usize>) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Option<(u8, usize)> = None;
    let mut i = range.start;
    let mut value_start = true;
    while i < range.end.min(bytes.len()) {
        let b = bytes[i];
        match open {
            Some((b'"', _)) if b == b'\\' => i += 1,
            Some((b'"', _)) if b == b'"' => open = None,
            Some((b'\'', _)) if b == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            Some((b'\'', _)) if b == b'\'' => open = None,
            Some(_) => {}
            None if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                value_start = true;
            }
            None if (b == b'"' || b == b'\'') && value_start => open = Some((b, i)),
            None => {}
        }
        if open.is_none() {
            value_start = match bytes.get(i) {
                Some(b' ' | b'\t') => {
                    value_start || i > 0 && matches!(bytes[i - 1], b':' | b'-' | b',' | b'[' | b'{')
                }
                Some(b'\n' | b'[' | b'{' | b',') => true,
                _ => false,
            };
        }
        i += 1;
    }
    open.map(|(_, at)| at)
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Files;
    use std::sync::Arc;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Thing {
        id: String,
        title: String,
        #[serde(default)]
        date: Option<String>,
    }

    impl Dates for Thing {
        const DATE_FIELDS: &'static [(&'static str, bool)] = &[("date", true)];
    }

    #[test]
    fn a_bad_date_is_a_typed_problem_at_its_key() {
        let text = "- id: a\n  title: A\n- id: b\n  title: B\n  date: 2011-13\n";
        let mut diags = Vec::new();
        let items: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags).items;
        assert_eq!(items.len(), 1);
        assert_eq!(
            diags[0].problem,
            Problem::BadDate {
                field: "date",
                error: crate::date::DateError::Impossible("2011-13".into())
            }
        );
        assert_eq!(line_of(text, &diags[0]), (5, 9));
    }

    fn line_of(text: &str, d: &Diagnostic) -> (usize, usize) {
        let mut files = Files::default();
        files.insert("t.yaml", Arc::from(text));
        files.line_column(Path::new("t.yaml"), d.range.start).unwrap()
    }

    #[test]
    fn every_bad_entry_is_reported_where_it_is() {
        let text = "- id: a\n  title: A\n- id: b\n  titel: B\n- id: c\n";
        let mut diags = Vec::new();
        let items: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags).items;
        assert_eq!(items.len(), 1);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].problem, Problem::UnknownField("titel".into()));
        assert_eq!(line_of(text, &diags[0]), (4, 3));
        assert_eq!(diags[0].hints, ["did you mean `title`?"]);
        assert_eq!(diags[1].problem, Problem::MissingField("title".into()));
        assert_eq!(line_of(text, &diags[1]), (5, 7));
    }

    #[test]
    fn syntax_errors_point_at_their_line() {
        let text = "- id: a\n  title: [unclosed\n- id: b\n";
        let mut diags = Vec::new();
        let items: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags).items;
        assert!(items.is_empty());
        assert!(matches!(diags[0].problem, Problem::Syntax(_)), "{diags:?}");
        assert!(line_of(text, &diags[0]).0 >= 2);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let text = "- id: a\n  title: \"Unclosed\n  note: x\n- id: b\n  title: B\n";
        let mut diags = Vec::new();
        let _: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags).items;
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(line_of(text, &diags[0]), (2, 10));
        let Problem::Syntax(message) = &diags[0].problem else { panic!() };
        assert!(!message.contains("line"), "{message}");
    }

    #[test]
    fn locations_are_stripped_from_messages() {
        assert_eq!(
            strip_locations("found x at line 9 column 1, while scanning at line 3 column 8"),
            "found x, while scanning"
        );
        assert_eq!(strip_locations("at line one"), "at line one");
    }

    #[test]
    fn comments_only_is_an_empty_list() {
        let mut diags = Vec::new();
        let items: Vec<Located<Thing>> =
            parse_list("# nothing yet\n\n", Path::new("t.yaml"), &mut diags).items;
        assert!(items.is_empty() && diags.is_empty());
    }
}
