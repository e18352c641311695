//! What the last build of a watch was made from, so that a rebuild can
//! reuse the parse of every finding file whose text did not change and
//! say what it redid (`--timings`): the corpus files read, and per book
//! its findings as composed and its pages as laid out.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

/// What the last build was made from, so that a rebuild can say what it
/// redid (`--timings`): the corpus files read, and per book its findings
/// as composed and its pages as laid out.
#[derive(Default)]
pub struct Memory {
    parses: crate::corpus::Parses,
    files: Mutex<BTreeMap<PathBuf, u128>>,
    books: Mutex<HashMap<String, BookMemory>>,
}

/// One book as last made.
struct BookMemory {
    findings: HashMap<String, u128>,
    pages: Vec<u128>,
}

impl Memory {
    /// The finding files as last parsed.
    pub fn parses(&self) -> &crate::corpus::Parses {
        &self.parses
    }

    /// How many corpus files differ from the last build's (read, added or
    /// gone), of how many; remembers these.
    pub fn corpus(&self, loaded: &crate::corpus::Loaded) -> String {
        let now: BTreeMap<PathBuf, u128> = loaded
            .files
            .iter()
            .map(|(path, text)| (path.to_path_buf(), typst::utils::hash128(text)))
            .collect();
        let mut files = self.files.lock().unwrap();
        let changed = now.iter().filter(|(p, h)| files.get(*p) != Some(h)).count()
            + files.keys().filter(|p| !now.contains_key(*p)).count();
        let line = format!(
            "read {} files, {changed} changed; parsed {} finding file(s)",
            now.len(),
            self.parses.fresh()
        );
        *files = now;
        line
    }

    /// How many of a book's findings were composed differently and how
    /// many of its pages were laid out differently from the last build's;
    /// remembers these.
    pub fn book(&self, artifact: &super::Artifact) -> String {
        let findings: HashMap<String, u128> = artifact
            .book
            .themes
            .iter()
            .flat_map(|t| &t.findings)
            .map(|f| (f.id.clone(), typst::utils::hash128(&serde_json::to_vec(f).unwrap())))
            .collect();
        let pages: Vec<u128> = artifact
            .rendered
            .document
            .pages()
            .iter()
            .map(|p| typst::utils::hash128(&p.frame))
            .collect();
        let mut books = self.books.lock().unwrap();
        let key = artifact.path.display().to_string();
        let (recomposed, relaid) = match books.get(&key) {
            None => (findings.len(), pages.len()),
            Some(last) => (
                findings.iter().filter(|(id, h)| last.findings.get(*id) != Some(h)).count(),
                pages.iter().enumerate().filter(|(i, h)| last.pages.get(*i) != Some(h)).count(),
            ),
        };
        let line = format!(
            "composed {} findings, {recomposed} differently; laid out {} pages, {relaid} differently; exported {}",
            findings.len(),
            pages.len(),
            pages.len()
        );
        books.insert(key, BookMemory { findings, pages });
        line
    }
}
