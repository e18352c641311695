//! The entries of a BibTeX or BibLaTeX file (`sources.bib`), read by
//! hayagriva. No I/O here.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use serde_yaml::{Mapping, Value as Yaml};

use super::Entries;
use super::entry::{check, defuse, drop_dead_links};
use crate::corpus::model::Entry;
use crate::diag::{Diagnostic, Problem};

/// Reads the entries of a BibTeX or BibLaTeX file. An entry hayagriva
/// cannot read is an error at its place in the file, and spoils only
/// itself: when the file does not read as a whole, each record is read on
/// its own (with the file's `@string`s), so the others are kept.
pub fn parse_bibtex(text: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Entries {
    match hayagriva::io::from_biblatex_str(text) {
        Ok(library) => {
            let ranges = key_ranges(text);
            let mut out = Entries::default();
            for entry in library.iter() {
                let range = ranges.get(entry.key()).cloned().unwrap_or(0..0);
                out.add(entry_of(entry, range, path), diagnostics);
            }
            out
        }
        Err(errors) => records_one_by_one(text, path, &errors, diagnostics),
    }
}

/// The entry hayagriva read, as brief keeps it, or the problem with it.
fn entry_of(
    entry: &hayagriva::Entry,
    range: Range<usize>,
    path: &Path,
) -> Result<Entry, (String, Diagnostic)> {
    let key = entry.key().to_string();
    let mut one = hayagriva::Library::new();
    one.push(entry);
    let yaml = hayagriva::io::to_yaml_str(&one)
        .ok()
        .and_then(|t| serde_yaml::from_str::<Mapping>(&t).ok())
        .and_then(|m| m.into_iter().next().map(|(_, v)| v));
    let Some(mut yaml) = yaml else {
        let problem = Problem::Bibliography(format!("entry `{key}` cannot be read"));
        return Err((key, Diagnostic::error(path, range, problem)));
    };
    keep_names_whole(&mut yaml);
    defuse(&mut yaml);
    drop_dead_links(&mut yaml);
    // As Typst will read it: `check` passing means the book builds.
    if let Err(why) = check(&key, &yaml) {
        let problem = Problem::Bibliography(format!("entry `{key}`: {why}"));
        return Err((key, Diagnostic::error(path, range, problem)));
    }
    Ok(Entry { key, yaml, path: path.to_path_buf(), range })
}

/// Keeps a one-part name whole: BibTeX's brace-protected `{Government of
/// India}` (what Better BibTeX writes for every institution) is a person
/// with a family name only, which hayagriva writes as a plain string; read
/// back, that string would be split into given and family names ("India").
/// A name with a given name is written `Family, Given`, with a comma, so a
/// name without one is a whole name, and is written as such (`name:`).
fn keep_names_whole(value: &mut Yaml) {
    const PERSONS: [&str; 4] = ["author", "editor", "names", "translator"];
    let whole = |name: &mut Yaml| {
        if let Yaml::String(s) = name
            && !s.contains(',')
        {
            let mut m = Mapping::new();
            m.insert(Yaml::String("name".into()), Yaml::String(std::mem::take(s)));
            *name = Yaml::Mapping(m);
        }
    };
    match value {
        Yaml::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                match (k.as_str(), v) {
                    (Some(k), Yaml::Sequence(names)) if PERSONS.contains(&k) => {
                        names.iter_mut().for_each(whole)
                    }
                    (Some(k), v @ Yaml::String(_)) if PERSONS.contains(&k) => whole(v),
                    (_, v) => keep_names_whole(v),
                }
            }
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(keep_names_whole),
        _ => {}
    }
}

/// The diagnostic of an error hayagriva met in `text[offset..]`, where
/// `skip` bytes of `@string`s were put before it.
fn malformed(
    e: &hayagriva::io::BibLaTeXError,
    text: &str,
    offset: usize,
    skip: usize,
    path: &Path,
) -> Diagnostic {
    let (span, message) = match e {
        hayagriva::io::BibLaTeXError::Parse(e) => (e.span.clone(), e.kind.to_string()),
        hayagriva::io::BibLaTeXError::Type(e) => (e.span.clone(), e.kind.to_string()),
    };
    let start = (offset + span.start.saturating_sub(skip)).min(text.len());
    let end = (offset + span.end.saturating_sub(skip)).max(start + 1).min(text.len());
    let problem = Problem::Bibliography(format!("malformed BibTeX: {message}"));
    Diagnostic::error(path, start.min(end)..end, problem)
}

/// A file that does not read as a whole, read record by record: each
/// record that does not read is reported (its key counted as broken),
/// the others are kept. A key given twice is then two entries, reported
/// once, at the second, by the check of citation keys.
fn records_one_by_one(
    text: &str,
    path: &Path,
    whole: &[hayagriva::io::BibLaTeXError],
    diagnostics: &mut Vec<Diagnostic>,
) -> Entries {
    let records = records(text);
    let is_string = |r: &Range<usize>| {
        text[r.clone()].get(..7).is_some_and(|s| s.eq_ignore_ascii_case("@string"))
    };
    // The file's @strings, each read after those before it: one that does
    // not read is reported and left out.
    let mut strings = String::new();
    let mut bad_strings = Vec::new();
    for r in records.iter().filter(|r| is_string(r)) {
        let record = &text[r.clone()];
        match hayagriva::io::from_biblatex_str(&format!("{strings}{record}")) {
            Ok(_) => strings.push_str(record),
            Err(errors) => {
                diagnostics.extend(
                    errors.iter().map(|e| malformed(e, text, r.start, strings.len(), path)),
                );
                // A record that uses it is not reported again.
                bad_strings
                    .extend(string_name(record).map(|n| format!("unknown abbreviation {n:?}")));
            }
        }
    }
    let mut out = Entries::default();
    if records.is_empty() {
        diagnostics.extend(whole.iter().map(|e| malformed(e, text, 0, 0, path)));
        out.unread = true;
        return out;
    }
    for record in records.iter().filter(|r| !is_string(r)) {
        let key = key_after(text, record.start).map(|(k, r)| (k.to_string(), r));
        let chunk = format!("{strings}{}", &text[record.clone()]);
        match hayagriva::io::from_biblatex_str(&chunk) {
            Ok(library) => {
                for entry in library.iter() {
                    let range = key.clone().map_or(record.start..record.start + 1, |(_, r)| r);
                    out.add(entry_of(entry, range, path), diagnostics);
                }
            }
            Err(errors) => {
                let offset = record.start;
                let reported =
                    errors.iter().map(|e| malformed(e, text, offset, strings.len(), path));
                let echoes_bad_string = |d: &Diagnostic| match &d.problem {
                    Problem::Bibliography(m) => bad_strings.iter().any(|b| m.ends_with(b.as_str())),
                    _ => false,
                };
                diagnostics.extend(reported.filter(|d| !echoes_bad_string(d)));
                out.broken.extend(key.map(|(k, _)| k));
            }
        }
    }
    out
}

/// The name an `@string` record defines (`@string{lab = …}`), if it can
/// be read.
fn string_name(record: &str) -> Option<&str> {
    let open = record.find(['{', '('])?;
    let rest = record[open + 1..].trim_start();
    let len = rest.find(|c: char| !(c.is_alphanumeric() || "_-:.".contains(c)))?;
    (len > 0).then(|| &rest[..len])
}

/// The records of a BibTeX file: each from an `@type{` or `@type(` at the
/// start of a line to the next, so that a record left unclosed does not
/// swallow the ones after it.
fn records(text: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut line = 0;
    for l in text.split_inclusive('\n') {
        let at = line + (l.len() - l.trim_start().len());
        if text[at..].starts_with('@') && key_after(text, at).is_some() {
            starts.push(at);
        }
        line += l.len();
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&s, e)| s..e).collect()
}

/// Where each entry's key is written (`@type{key,`), the first time it
/// is: found in one pass over the file, so that a library of thousands of
/// entries is located in linear time.
fn key_ranges(text: &str) -> HashMap<&str, Range<usize>> {
    let mut out = HashMap::new();
    for (at, _) in text.match_indices('@') {
        if let Some((key, range)) = key_after(text, at) {
            out.entry(key).or_insert(range);
        }
    }
    out
}

/// The key of the record `@type{key,` (or `@type(key,`) that starts at
/// `at`, with its range; none if what starts there is not one.
fn key_after(text: &str, at: usize) -> Option<(&str, Range<usize>)> {
    let rest = &text[at + 1..];
    let kind = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric()).len();
    if kind == 0 {
        return None;
    }
    let after_kind = rest[kind..].trim_start();
    let open = after_kind.strip_prefix(['{', '('])?;
    let start = text.len() - open.trim_start().len();
    let len = text[start..].find([',', '}', ')', '\n']).unwrap_or(text.len() - start);
    let key = text[start..start + len].trim_end();
    (!key.is_empty()).then(|| (key, start..start + key.len()))
}

#[cfg(test)]
mod tests {
    use super::super::entry::library_yaml;
    use super::*;

    #[test]
    fn bibtex_math_is_made_inert() {
        let text = "@report{k,\n  title = {A $x^2$ title},\n  author = {Doe, Jane},\n  year = {2014},\n}\n";
        let mut d = Vec::new();
        let entries = parse_bibtex(text, Path::new("s.bib"), &mut d).entries;
        assert!(d.is_empty(), "{d:?}");
        let yaml = library_yaml(&entries);
        assert!(yaml.contains("\\$x^2\\$"), "{yaml}");
        assert_eq!(&text[entries[0].range.clone()], "k");
        let library = hayagriva::io::from_yaml_str(&yaml).unwrap();
        let title = library.get("k").unwrap().title().unwrap();
        assert_eq!(title.value.to_str(), "A $x^2$ title");
    }

    #[test]
    fn one_bad_record_spoils_only_itself() {
        let good = "@misc{good, title = {G}, note = lab}\n";
        let string = "@string{lab = {A lab}}\n";
        for bad in ["@misc{bad, title = Unbraced words}\n", "@misc{bad, title = {Unclosed}\n"] {
            let text = format!("{string}{bad}{good}");
            let mut d = Vec::new();
            let read = parse_bibtex(&text, Path::new("s.bib"), &mut d);
            assert_eq!(read.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["good"]);
            assert_eq!(read.broken, ["bad"]);
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(text[..d[0].range.start].lines().count(), 2, "{d:?}");
            assert_eq!(&text[read.entries[0].range.clone()], "good");
        }
        // A key given twice: both entries kept, each where it is (the
        // check of citation keys reports the second).
        let text = "@misc{k, title = {One}}\n@misc{k, title = {Two}}\n";
        let mut d = Vec::new();
        let read = parse_bibtex(text, Path::new("s.bib"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        let starts: Vec<usize> = read.entries.iter().map(|e| e.range.start).collect();
        assert_eq!(starts, [6, 30]);
    }

    #[test]
    fn a_bad_string_is_reported_once() {
        let text = "@string{lab = {A lab}\n@misc{good, title = {G}, note = lab}\n@misc{other, title = {O}}\n@misc{bad, title = Unbraced}\n";
        let mut d = Vec::new();
        let read = parse_bibtex(text, Path::new("s.bib"), &mut d);
        let lines: Vec<usize> = d.iter().map(|d| text[..d.range.start].lines().count()).collect();
        assert_eq!(lines, [1, 4], "{d:#?}");
        assert_eq!(read.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["other"]);
        assert_eq!(read.broken, ["good", "bad"]);
    }
}
