//! Reading corpus files: bytes to text, front matter, and where each YAML
//! key sits, so every later diagnostic can name `file:line:column`.
//!
//! Reads files; parses nothing beyond the line structure.

use std::fs;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::yaml_scan::{self, Key, Seg};
use crate::diag::{Diagnostic, Files, Problem};

/// Reads a corpus file as text.
///
/// A leading byte-order mark is dropped and CRLF line ends become LF (both
/// accepted, as typst-kit's file slots and just do); line numbers are
/// unchanged by either. The text is remembered in `files` under `shown`, the
/// path diagnostics print, so a snippet can always be shown; invalid UTF-8 is
/// a diagnostic at the line of the first bad byte.
pub fn read_text(path: &Path, shown: &Path, files: &mut Files) -> Result<Arc<str>, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| {
        files.insert(shown, Arc::from(""));
        Diagnostic::error(shown, 0..0, Problem::Unreadable(e.to_string()))
    })?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text: Arc<str> = if text.contains('\r') {
                Arc::from(text.replace("\r\n", "\n"))
            } else {
                Arc::from(text)
            };
            files.insert(shown, text.clone());
            Ok(text)
        }
        Err(e) => {
            let bad = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
            // The valid prefix is the same in the lossy text, less any CRs.
            let offset = bad - bytes[..bad].iter().filter(|&&b| b == b'\r').count();
            files.insert(shown, Arc::from(lossy));
            Err(Diagnostic::error(shown, offset..offset + 1, Problem::NotUtf8))
        }
    }
}

/// Reads a corpus file as text, as [`read_text`] does, but only if it lies
/// inside `root` (already canonical) once symlinks are resolved; otherwise
/// it is a diagnostic, and nothing of the file is read or shown.
pub fn read_inside(
    root: &Path,
    path: &Path,
    shown: &Path,
    files: &mut Files,
) -> Result<Arc<str>, Diagnostic> {
    match path.canonicalize() {
        Ok(real) if !real.starts_with(root) => {
            files.insert(shown, Arc::from(""));
            let target = real.display().to_string();
            Err(Diagnostic::error(shown, 0..0, Problem::OutsideCorpus(target)))
        }
        _ => read_text(path, shown, files),
    }
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `---\n yaml \n---\n body`. Returns `None` when the text does not
/// open with a `---` line or the block is never closed.
pub fn split_front_matter(text: &str) -> Option<Split<'_>> {
    let rest = text.strip_prefix("---\n")?;
    let yaml_offset = 4;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let body_offset = yaml_offset + at + line.len();
            return Some(Split {
                yaml: &rest[..at],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        at += line.len();
    }
    None
}

/// Where the keys of a YAML mapping, or of each mapping in a top-level list,
/// sit in the file: every key at any depth, in block and flow style, found
/// by [`yaml_scan`](super::yaml_scan) (which only ever sharpens a
/// diagnostic's position). When a key cannot be found, callers fall back to
/// the entry's first line.
#[derive(Debug, Default)]
pub struct KeyIndex {
    entries: Vec<Entry>,
    flow: bool,
}

/// One mapping: its byte range in the file and where its keys are.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The mapping's bytes in the file (for a list item, from the start of
    /// its `- ` line, or its first character in a flow list).
    pub range: Range<usize>,
    /// Each top-level key's name and its value's range.
    keys: Vec<(String, Range<usize>)>,
    /// The byte offset of each top-level key's name.
    names: Vec<usize>,
    /// Every key at any depth, with the path of its mapping inside the
    /// entry.
    nested: Vec<Key>,
}

impl Entry {
    /// An entry covering a whole text whose keys are unknown.
    pub fn whole(text: &str) -> Self {
        Self { range: 0..text.len(), keys: Vec::new(), names: Vec::new(), nested: Vec::new() }
    }

    /// The range of the key's name itself (for "unknown field" errors).
    pub fn key_name(&self, key: &str) -> Range<usize> {
        match self.keys.iter().position(|(k, _)| k == key) {
            Some(i) => self.names[i]..self.names[i] + key.len(),
            None => self.key(key),
        }
    }

    /// The range of the name of `key` in the mapping at `path` inside the
    /// entry (`agenda[0].raise[1]` as steps), if it is written there.
    pub fn nested_name(&self, path: &[Seg], key: &str) -> Option<Range<usize>> {
        self.nested.iter().find(|k| k.path == path && k.name == key).map(|k| k.at.clone())
    }

    /// The range of the value of `key` in the mapping at `path`, if written.
    pub fn nested_value(&self, path: &[Seg], key: &str) -> Option<Range<usize>> {
        self.nested.iter().find(|k| k.path == path && k.name == key).map(|k| k.value.clone())
    }

    /// Where the mapping at `path` inside the entry is: the name of its
    /// first key.
    pub fn mapping_at(&self, path: &[Seg]) -> Option<Range<usize>> {
        self.nested.iter().find(|k| k.path == path).map(|k| k.at.clone())
    }

    /// Lets `alias` stand for `field` (a key written under another name):
    /// problems about `field` then point at it.
    pub fn alias_key(&mut self, alias: &str, field: &str) {
        if !self.keys.iter().any(|(k, _)| k == field) {
            for (k, _) in &mut self.keys {
                if k == alias {
                    *k = field.to_string();
                }
            }
        }
    }

    /// The range of the name of `key`'s second occurrence in the mapping
    /// at `path`, if it is given twice there.
    pub fn repeated_key_in(&self, path: &[Seg], key: &str) -> Option<Range<usize>> {
        let mut found = self.nested.iter().filter(|k| k.path == path && k.name == key);
        found.nth(1).map(|k| k.at.clone())
    }

    /// The range of the name of `key`'s second occurrence, if it is given
    /// twice.
    pub fn repeated_key(&self, key: &str) -> Option<Range<usize>> {
        let index = self.keys.iter().enumerate().filter(|(_, (k, _))| k == key).nth(1)?.0;
        Some(self.names[index]..self.names[index] + key.len())
    }

    /// The range of the value of `key`, if the entry has that key.
    pub fn find_key(&self, key: &str) -> Option<Range<usize>> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, r)| r.clone())
    }

    /// The range of the value of `key` (the rest of its line), or of the
    /// whole entry's first line if the key is absent.
    pub fn key(&self, key: &str) -> Range<usize> {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| self.keys.first().map_or(self.range.clone(), |(_, r)| r.clone()))
    }

    /// Every place `needle` is written as a whole value (not inside a
    /// longer word) within the lines of `key`, in order.
    pub fn values_in(&self, text: &str, key: &str, needle: &str) -> Vec<Range<usize>> {
        let Some(index) = self.keys.iter().position(|(k, _)| k == key) else {
            return Vec::new();
        };
        let start = self.keys[index].1.start.min(text.len());
        let end = self.keys.get(index + 1).map_or(self.range.end, |(_, r)| r.start).min(text.len());
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
        let region = &text[start..end.max(start)];
        region
            .match_indices(needle)
            .filter(|(at, _)| {
                !needle.is_empty()
                    && !word(region[..*at].chars().next_back())
                    && !word(region[at + needle.len()..].chars().next())
            })
            .map(|(at, _)| start + at..start + at + needle.len())
            .collect()
    }

    /// The range of `needle` within the lines of `key` (its value may span
    /// several lines, as a block list does), or of the key's line.
    pub fn value_in(&self, text: &str, key: &str, needle: &str) -> Range<usize> {
        let Some(index) = self.keys.iter().position(|(k, _)| k == key) else {
            return self.key(key);
        };
        let start = self.keys[index].1.start;
        let end = self.keys.get(index + 1).map_or(self.range.end, |(_, r)| r.start).min(text.len());
        match text[start..end].find(needle) {
            Some(at) if !needle.is_empty() => start + at..start + at + needle.len(),
            _ => self.keys[index].1.clone(),
        }
    }

    /// Adds a key found by the scanner, its path relative to the entry.
    fn add(&mut self, key: Key) {
        if key.path.is_empty() {
            self.keys.push((key.name.clone(), key.value.clone()));
            self.names.push(key.at.start);
        }
        self.nested.push(key);
    }
}

impl KeyIndex {
    /// Indexes a single mapping (front matter) found at `offset` in the file.
    pub fn mapping(yaml: &str, offset: usize) -> Entry {
        let mut entry = Entry {
            range: offset..offset + yaml.len(),
            keys: Vec::new(),
            names: Vec::new(),
            nested: Vec::new(),
        };
        for key in yaml_scan::scan(yaml).keys {
            let at = offset + key.at.start..offset + key.at.end;
            let value = offset + key.value.start..offset + key.value.end;
            entry.add(Key { at, value, ..key });
        }
        entry
    }

    /// Indexes a file whose top level is a list of mappings, in block style
    /// (`- key: ...`, at any indentation) or flow style (`[{...}, ...]`).
    pub fn list(text: &str) -> Self {
        let scan = yaml_scan::scan(text);
        let mut entries: Vec<Entry> = scan
            .items
            .iter()
            .map(|range| Entry {
                range: range.clone(),
                keys: Vec::new(),
                names: Vec::new(),
                nested: Vec::new(),
            })
            .collect();
        for mut key in scan.keys {
            let Some(Seg::Index(i)) = key.path.first() else { continue };
            let Some(entry) = entries.get_mut(*i) else { continue };
            key.path.remove(0);
            entry.add(key);
        }
        Self { entries, flow: scan.flow }
    }

    /// The indexed entries, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether the list is written in flow style (`[{...}, ...]`): then an
    /// entry's text is the mapping itself, not a `- ` item.
    pub fn is_flow(&self) -> bool {
        self.flow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_keeps_offsets() {
        let text = "---\nid: a\ntitle: T\n---\nBody *here*.\n";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.yaml, "id: a\ntitle: T\n");
        assert_eq!(&text[split.yaml_offset..][..5], "id: a");
        assert_eq!(split.body, "Body *here*.\n");
        assert_eq!(&text[split.body_offset..], "Body *here*.\n");
    }

    #[test]
    fn no_front_matter_or_unclosed_is_none() {
        assert_eq!(split_front_matter("id: a\n"), None);
        assert_eq!(split_front_matter("---\nid: a\n"), None);
        assert!(split_front_matter("---\nid: a\n...\nbody").is_some());
    }

    #[test]
    fn bom_and_crlf_are_accepted_and_lines_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, b"\xef\xbb\xbf---\r\nid: a\r\n---\r\nBody\r\n").unwrap();
        let mut files = Files::default();
        let text = read_text(&path, Path::new("f.md"), &mut files).unwrap();
        assert_eq!(&*text, "---\nid: a\n---\nBody\n");
    }

    #[test]
    fn invalid_utf8_names_the_line_of_the_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        fs::write(&path, b"---\r\nid: a\r\ntitle: caf\xe9\r\n---\r\n").unwrap();
        let mut files = Files::default();
        let err = read_text(&path, Path::new("f.md"), &mut files).unwrap_err();
        assert_eq!(err.problem, Problem::NotUtf8);
        assert_eq!(files.line_column(Path::new("f.md"), err.range.start), Some((3, 11)));
    }

    #[test]
    fn key_index_finds_keys_and_values_per_list_entry() {
        let text = "- id: one\n  themes: [a, b]\n# note\n- id: two\n  themes:\n    - c\n    - dd\n  title: Two\n";
        let index = KeyIndex::list(text);
        assert_eq!(index.entries().len(), 2);
        let two = &index.entries()[1];
        assert_eq!(&text[two.key("id")], "two");
        assert_eq!(&text[two.key("title")], "Two");
        assert_eq!(&text[two.value_in(text, "themes", "dd")], "dd");
        assert_eq!(&text[index.entries()[0].value_in(text, "themes", "b")], "b");
        // An absent key falls back to the entry's first key.
        assert_eq!(&text[two.key("missing")], "two");
    }

    #[test]
    fn key_index_of_a_mapping_is_offset_into_the_file() {
        let text = "---\nid: a\ndate: 2011-13\n---\n";
        let split = split_front_matter(text).unwrap();
        let entry = KeyIndex::mapping(split.yaml, split.yaml_offset);
        assert_eq!(&text[entry.key("date")], "2011-13");
    }
}
