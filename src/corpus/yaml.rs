//! YAML to typed values, with every error placed at `file:line:column`.
//!
//! No I/O; works on text already read.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::file::{Entry, KeyIndex};
use crate::diag::{Diagnostic, Problem};

/// A parsed value with where it came from.
#[derive(Debug)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where its keys are, for later diagnostics.
    pub entry: Entry,
}

/// Parses a file whose top level is a list of mappings, one `T` each.
///
/// Each entry is deserialised on its own, so one bad entry does not hide
/// the problems of the others, and each error points into its entry.
pub fn parse_list<T: DeserializeOwned>(
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Located<T>> {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Vec::new();
    }
    let values: Vec<serde_yaml::Value> = match serde_yaml::from_str(text) {
        Ok(values) => values,
        Err(e) => {
            diagnostics.push(yaml_diagnostic(&e, text, 0, shown, None));
            return Vec::new();
        }
    };
    let index = KeyIndex::list(text);
    if index.entries().len() != values.len() {
        // Not the documented block style (e.g. a flow list): still parse,
        // but errors can only point at the file's start.
        let whole = Entry::whole(text);
        return match serde_yaml::from_str::<Vec<T>>(text) {
            Ok(items) => {
                items.into_iter().map(|value| Located { value, entry: whole.clone() }).collect()
            }
            Err(e) => {
                diagnostics.push(yaml_diagnostic(&e, text, 0, shown, Some(&whole)));
                Vec::new()
            }
        };
    }
    let mut out = Vec::new();
    for entry in index.entries() {
        let start = entry.range.start;
        match serde_yaml::from_str::<Vec<T>>(&text[entry.range.clone()]) {
            Ok(mut one) if one.len() == 1 => {
                out.push(Located { value: one.pop().unwrap(), entry: entry.clone() })
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(yaml_diagnostic(&e, text, start, shown, Some(entry))),
        }
    }
    out
}

/// Parses one mapping (a finding's front matter) found at `offset`, whose
/// fields are `fields` (name, required). Unknown and missing fields are all
/// reported together, and a bad value beside them too, rather than one
/// per run.
pub fn parse_mapping<T: DeserializeOwned>(
    yaml: &str,
    offset: usize,
    file_text: &str,
    shown: &Path,
    fields: &[(&str, bool)],
) -> Result<Located<T>, Vec<Diagnostic>> {
    let entry = KeyIndex::mapping(yaml, offset);
    let located =
        |e: &serde_yaml::Error| yaml_diagnostic(e, file_text, offset, shown, Some(&entry));
    let mapping = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(mapping)) => mapping,
        Ok(_) => {
            let problem = Problem::Syntax("the front matter must be `key: value` lines".into());
            return Err(vec![Diagnostic::error(shown, entry.range.clone(), problem)]);
        }
        Err(e) => return Err(vec![located(&e)]),
    };
    let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
    let mut diagnostics = Vec::new();
    let mut known = serde_yaml::Mapping::new();
    for (key, value) in mapping {
        let name = key.as_str().unwrap_or_default().to_string();
        if names.contains(&name.as_str()) {
            known.insert(key, value);
            continue;
        }
        let mut d =
            Diagnostic::error(shown, entry.key_name(&name), Problem::UnknownField(name.clone()));
        match crate::suggest(&name, names.iter().copied()) {
            Some(best) => d = d.with_hint(format!("did you mean `{best}`?")),
            None => d = d.with_hint(format!("the fields are: {}", names.join(", "))),
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
        return Err(diagnostics);
    }
    // Deserialise from the text when it is clean, so errors carry their
    // position; otherwise from the known fields.
    let value = if diagnostics.is_empty() {
        serde_yaml::from_str::<T>(yaml).map_err(|e| located(&e))
    } else {
        serde_yaml::from_value::<T>(serde_yaml::Value::Mapping(known)).map_err(|e| located(&e))
    };
    match value {
        Ok(value) if diagnostics.is_empty() => Ok(Located { value, entry }),
        Ok(_) => Err(diagnostics),
        Err(d) => {
            diagnostics.push(d);
            Err(diagnostics)
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
    let message = error.to_string();
    let message = strip_location(&message);
    let at = error.location().map_or(offset, |l| offset + l.index()).min(text.len());
    let mut range = at..(at + 1).min(text.len());
    if let Some(field) = between(message, "missing field `", "`") {
        let range = entry.map_or(range, |e| e.key("id"));
        return Diagnostic::error(shown, range, Problem::MissingField(field.to_string()));
    }
    if let Some(field) = between(message, "unknown field `", "`") {
        let expected: Vec<&str> = message
            .split_once("expected ")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        if let Some(e) = entry {
            range = e.key_name(field);
        }
        let mut diagnostic =
            Diagnostic::error(shown, range, Problem::UnknownField(field.to_string()));
        if let Some(best) = crate::suggest(field, expected.iter().copied()) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
        } else if !expected.is_empty() {
            diagnostic = diagnostic.with_hint(format!("the fields are: {}", expected.join(", ")));
        }
        return diagnostic;
    }
    // Point at the key a message names: serde_yaml prefixes some messages
    // with the field's path ("title: invalid type ..."), and our own
    // deserialisers say "invalid `date`: ...".
    if let Some(e) = entry {
        let named = message
            .split_once(": ")
            .map(|(key, _)| key)
            .filter(|key| !key.contains(' '))
            .or_else(|| between(message, "invalid `", "`"));
        if let Some(found) = named.and_then(|key| e.find_key(key.rsplit('.').next().unwrap_or(key)))
        {
            range = found;
        }
    }
    Diagnostic::error(shown, range, Problem::Syntax(message.to_string()))
}

/// Drops serde_yaml's " at line N column M" suffix: the diagnostic shows it.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
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
        let items: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags);
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
        let items: Vec<Located<Thing>> = parse_list(text, Path::new("t.yaml"), &mut diags);
        assert!(items.is_empty());
        assert!(matches!(diags[0].problem, Problem::Syntax(_)), "{diags:?}");
        assert!(line_of(text, &diags[0]).0 >= 2);
    }

    #[test]
    fn comments_only_is_an_empty_list() {
        let mut diags = Vec::new();
        let items: Vec<Located<Thing>> =
            parse_list("# nothing yet\n\n", Path::new("t.yaml"), &mut diags);
        assert!(items.is_empty() && diags.is_empty());
    }
}
