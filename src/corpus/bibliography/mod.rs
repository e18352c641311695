//! Bibliographic entries for Typst's bibliography engine (hayagriva): the
//! entries of a corpus's `sources.bib` (BibTeX or BibLaTeX, as Zotero and
//! Better BibTeX export it) or `sources.json` (CSL-JSON, Zotero's other
//! export), and the entry each `sources.yaml` entry implies.
//!
//! Every entry is kept in hayagriva's YAML form, the one format Typst's
//! `bibliography()` reads from bytes, as a [`model::Entry`](super::model::Entry).
//! Every string placed in it is escaped, so that nothing an entry says
//! (braces, `$math$`, a backslash) is evaluated by Typst: it prints as
//! written. No I/O here.
//!
//! One file per way in (`bibtex.rs`, `csl_json.rs`, `sources_yaml.rs`),
//! and `entry.rs` for what every entry goes through on the way out.

mod bibtex;
mod csl_json;
mod entry;
mod sources_yaml;

use super::model::Entry;
pub use super::model::escape;
use crate::diag::Diagnostic;
pub use bibtex::parse_bibtex;
pub use csl_json::parse_csl_json;
pub use entry::library_yaml;
pub use sources_yaml::{authors_by_source, source_entry, source_entry_by};

/// The entries read from one bibliography file.
#[derive(Debug, Default)]
pub struct Entries {
    /// The entries that were read, in file order.
    pub entries: Vec<Entry>,
    /// The keys of entries that could not be (each reported where it is):
    /// a citation of one is not reported again.
    pub broken: Vec<String>,
    /// Whether nothing of the file could be read (reported): then any key
    /// may be meant, and none is checked.
    pub unread: bool,
}

impl Entries {
    /// Keeps an entry, or reports why it cannot be kept.
    fn add(
        &mut self,
        entry: Result<Entry, (String, Diagnostic)>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        match entry {
            Ok(entry) => self.entries.push(entry),
            Err((key, d)) => {
                diagnostics.push(d);
                self.broken.push(key);
            }
        }
    }
}

/// The bibliography files a corpus may hold beside `sources.yaml`, in the
/// order they are read.
pub const BIB_FILES: [&str; 2] = ["sources.bib", "sources.json"];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn only_web_and_mail_links_are_kept() {
        let text = "@misc{a, title = {A}, url = {javascript:alert(1)}}\n@misc{b, title = {B}, url = {https://example.org/b}}\n";
        let mut d = Vec::new();
        let entries = parse_bibtex(text, Path::new("s.bib"), &mut d).entries;
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(entries[0].yaml.get("url"), None);
        assert!(entries[1].yaml.get("url").is_some());
        let json = r#"[{"id": "c", "title": "C", "URL": "file:///etc/passwd"}]"#;
        let entries = parse_csl_json(json, Path::new("s.json"), &mut d).entries;
        assert_eq!(entries[0].yaml.get("url"), None);
    }
}
