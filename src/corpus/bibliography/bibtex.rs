//! The entries of a BibTeX or BibLaTeX file (`sources.bib`), read by
//! hayagriva. No I/O here.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use serde_yaml::Mapping;

use super::entry::{check, defuse, drop_dead_links};
use crate::corpus::model::Entry;
use crate::diag::{Diagnostic, Problem};

/// Reads the entries of a BibTeX or BibLaTeX file. An entry hayagriva
/// cannot read is an error at its place in the file.
pub fn parse_bibtex(text: &str, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
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
    let ranges = key_ranges(text);
    let mut out = Vec::new();
    for entry in library.iter() {
        let key = entry.key().to_string();
        let range = ranges.get(key.as_str()).cloned().unwrap_or(0..0);
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
        out.push(Entry { key, yaml, path: path.to_path_buf(), range });
    }
    out
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
        let entries = parse_bibtex(text, Path::new("s.bib"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        let yaml = library_yaml(&entries);
        assert!(yaml.contains("\\$x^2\\$"), "{yaml}");
        assert_eq!(&text[entries[0].range.clone()], "k");
        let library = hayagriva::io::from_yaml_str(&yaml).unwrap();
        let title = library.get("k").unwrap().title().unwrap();
        assert_eq!(title.value.to_str(), "A $x^2$ title");
    }
}
