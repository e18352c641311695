//! The module graph, read from the sources: nothing below the command
//! layer imports it (`book`, the library's face, included), no two
//! top-level modules import each other however indirectly, and neither do
//! two files of one folder (`src/cmd/build.rs` and `src/cmd/watch.rs`).
//! `cargo test --test integration layers -- --nocapture` prints the graph.
//!
//! A file's imports are its paths `crate::a::b`, `super::b`, `self::b` and,
//! in a folder's mod.rs, its child modules' names (`b::X`), use groups
//! (`use super::{a, b::C}`) included, each resolved to the deepest module
//! it names, following re-exports (`pub use b::X` in a mod.rs). A file
//! naming an item of a folder it is in (`super::X` defined in mod.rs) is
//! not an edge: that is the folder's interface, not a sibling.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common;

/// Module paths (`cmd::build`; the crate root is "") and their edges.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Each module of src/ by path, with the text of its non-test code.
fn sources() -> BTreeMap<String, String> {
    fn read(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let module = match (prefix, stem.as_str()) {
                ("", "lib" | "main") => continue,
                (_, "mod") => prefix.to_string(),
                ("", _) => stem,
                _ => format!("{prefix}::{stem}"),
            };
            if path.is_dir() {
                read(&path, &module, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.insert(module, code_only(text.split("#[cfg(test)]").next().unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    read(&common::root().join("src"), "", &mut out);
    out
}

/// Source text without comments and without the contents of string and
/// character literals, so that neither is read as a path.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    while i < chars.len() {
        if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let mut depth = 0;
            while i < chars.len() {
                if at(i, "/*") {
                    depth += 1;
                    i += 2;
                } else if at(i, "*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if chars[i] == 'r' && (at(i + 1, "\"") || at(i + 1, "#\"") || at(i + 1, "##\"")) {
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            let close: String = std::iter::once('"').chain("#".repeat(hashes).chars()).collect();
            i += hashes + 2;
            while i < chars.len() && !at(i, &close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if chars[i] == '"' || (chars[i] == '\'' && (at(i + 1, "\\") || at(i + 2, "'"))) {
            let quote = chars[i];
            i += 1;
            while i < chars.len() && chars[i] != quote {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The paths of a use tree or path, read from `text[*at..]`: `a::b::C`
/// gives `[[a, b, C]]`, `{a, b::{c, d as e}}` gives `[[a], [b, c], [b, d]]`.
fn use_tree(text: &[u8], at: &mut usize) -> Vec<Vec<String>> {
    let skip = |at: &mut usize| {
        while text.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
    };
    let word = |at: &mut usize| {
        let start = *at;
        while text.get(*at).copied().is_some_and(is_ident) {
            *at += 1;
        }
        String::from_utf8_lossy(&text[start..*at]).into_owned()
    };
    skip(at);
    if text.get(*at) == Some(&b'{') {
        *at += 1;
        let mut out = Vec::new();
        while *at < text.len() {
            skip(at);
            match text[*at] {
                b'}' => break,
                b',' => *at += 1,
                _ => {
                    let before = *at;
                    out.extend(use_tree(text, at));
                    *at = (*at).max(before + 1);
                }
            }
        }
        *at += 1;
        return out;
    }
    let first = word(at);
    if first.is_empty() {
        return vec![];
    }
    if text[*at..].starts_with(b"::") {
        *at += 2;
        let rest = use_tree(text, at);
        if !rest.is_empty() {
            return rest.into_iter().map(|p| [vec![first.clone()], p].concat()).collect();
        }
    }
    let mut probe = *at;
    skip(&mut probe);
    if text[probe..].starts_with(b"as ") {
        *at = probe + 3;
        skip(at);
        word(at);
    }
    vec![vec![first]]
}

/// The parent of a module path ("" for a top-level module).
fn parent(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(p, _)| p)
}

/// Joins a module path and a name.
fn child(module: &str, name: &str) -> String {
    if module.is_empty() { name.to_string() } else { format!("{module}::{name}") }
}

/// Every path a file's code names from within the crate: each with the
/// module it starts from (`crate::`, `super::`, `self::`, or a child
/// module's name in a folder's mod.rs), and whether it is a `pub use`.
fn paths_in(
    module: &str,
    text: &str,
    modules: &BTreeSet<String>,
) -> Vec<(String, Vec<String>, bool)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':');
        let mut at = i;
        let path = if starts { use_tree(bytes, &mut at) } else { vec![] };
        if path.is_empty() {
            i += 1;
            continue;
        }
        let exported = text[..i].trim_end().strip_suffix("use").is_some_and(|before| {
            let before = before.trim_end();
            before.ends_with("pub") || before.ends_with(')') && before.contains("pub(")
        });
        for segments in path {
            let (base, rest) = match segments[0].as_str() {
                "crate" => (String::new(), &segments[1..]),
                "super" => (parent(module).to_string(), &segments[1..]),
                "self" => (module.to_string(), &segments[1..]),
                first if segments.len() > 1 && modules.contains(&child(module, first)) => {
                    (module.to_string(), &segments[..])
                }
                _ => continue,
            };
            out.push((base, rest.to_vec(), exported));
        }
        i = at.max(i + 1);
    }
    out
}

/// The deepest module a path names, following `super` and re-exports.
fn resolve(
    mut at: String,
    segments: &[String],
    modules: &BTreeSet<String>,
    exports: &BTreeMap<String, BTreeMap<String, String>>,
) -> String {
    for segment in segments {
        if segment == "super" {
            at = parent(&at).to_string();
        } else if modules.contains(&child(&at, segment)) {
            at = child(&at, segment);
        } else if let Some(target) = exports.get(&at).and_then(|e| e.get(segment)) {
            at = target.clone();
        } else {
            break;
        }
    }
    at
}

/// The file-level graph of sources given as module path and code: an edge
/// from each module to each other module its paths name, but for the
/// folders it is in.
fn graph(sources: &BTreeMap<String, String>) -> Graph {
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut exports: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // Re-exports first (twice, so that one may lead through another).
    for _ in 0..2 {
        for (module, text) in sources {
            for (base, segments, exported) in paths_in(module, text, &modules) {
                let target = resolve(base, &segments, &modules, &exports);
                if exported && let Some(name) = segments.last() {
                    exports.entry(module.clone()).or_default().insert(name.clone(), target);
                }
            }
        }
    }
    let mut graph = Graph::new();
    for (module, text) in sources {
        let edges = graph.entry(module.clone()).or_default();
        for (base, segments, _) in paths_in(module, text, &modules) {
            let target = resolve(base, &segments, &modules, &exports);
            let within = target.is_empty() || module.starts_with(&format!("{target}::"));
            if target != *module && !within {
                edges.insert(target);
            }
        }
    }
    graph
}

/// The graph of top-level modules: an edge wherever a file of one names
/// a file of another.
fn top_level(files: &Graph) -> Graph {
    let top = |m: &str| m.split("::").next().unwrap().to_string();
    let mut graph = Graph::new();
    for (module, deps) in files {
        let edges = graph.entry(top(module)).or_default();
        edges.extend(deps.iter().map(|d| top(d)).filter(|d| *d != top(module)));
    }
    graph
}

/// The cycles of a graph: each set of nodes that reach one another (a
/// strongly connected component of more than one node, or a node that
/// reaches itself).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let reach = |start: &String| -> BTreeSet<&String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = graph.get(start).into_iter().flatten().collect();
        while let Some(next) = todo.pop() {
            if seen.insert(next) {
                todo.extend(graph.get(next).into_iter().flatten());
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<&String>> =
        graph.keys().map(|k| (k, reach(k))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for (node, from) in &reaches {
        if from.contains(node) {
            let cycle = from.iter().filter(|o| reaches.get(*o).is_some_and(|r| r.contains(node)));
            found.insert(cycle.map(|s| s.to_string()).collect());
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_command_layer_is_at_the_edge_and_there_are_no_cycles() {
    let files = graph(&sources());
    let modules = top_level(&files);
    for (module, deps) in files.iter().filter(|(m, d)| !m.is_empty() && !d.is_empty()) {
        println!("{module} -> {}", deps.iter().cloned().collect::<Vec<_>>().join(" "));
    }
    for (module, deps) in &modules {
        if module != "cli" && module != "cmd" {
            assert!(
                !deps.contains("cli") && !deps.contains("cmd"),
                "{module} imports the command layer: {deps:?}"
            );
        }
    }
    if let Some(book) = modules.get("book") {
        assert!(!book.contains("cli") && !book.contains("cmd"), "book imports {book:?}");
    }
    assert!(modules["select"].contains("corpus"), "the graph is read at all");
    assert_eq!(cycles(&modules), Vec::<Vec<String>>::new(), "top-level modules in a cycle");
    assert_eq!(cycles(&files), Vec::<Vec<String>>::new(), "files in a cycle");
}

/// The positive control: the check finds the cycles it must, in a small
/// tree written here, and accepts the same tree without them.
#[test]
fn the_cycle_check_finds_cycles_between_files_of_a_folder() {
    let tree = |files: &[(&str, &str)]| -> Graph {
        graph(&files.iter().map(|(m, t)| (m.to_string(), code_only(t))).collect())
    };
    let with = tree(&[
        ("cmd", "pub mod build;\npub mod init;\npub use init::Artifact;\n"),
        ("cmd::init", "pub struct Artifact;\n"),
        ("cmd::build", "pub use super::watch::Memory; // super::report is a comment\n"),
        ("cmd::watch", "use super::{build, report::Line};\nfn f() { build::run() }\n"),
        ("cmd::report", "use crate::corpus::{model::Source, Loaded};\nuse super::Artifact;\n"),
        ("corpus", "pub mod model;\npub mod bibliography;\npub use crate::date;\n"),
        ("corpus::model", "struct S(crate::corpus::bibliography::Record);\n"),
        ("corpus::bibliography", "use super::{model::{Role, Source}, date::Day};\n"),
        ("date", "const S: &str = \"super::corpus::x\";\n"),
    ]);
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(with["cmd::report"], set(&["cmd::init", "corpus", "corpus::model"]));
    assert_eq!(with["corpus::bibliography"], set(&["corpus::model", "date"]));
    assert!(with["date"].is_empty(), "a string is not a path");
    assert_eq!(
        cycles(&with),
        [vec!["cmd::build", "cmd::watch"], vec!["corpus::bibliography", "corpus::model"]]
    );
    let without = tree(&[
        ("cmd::build", "pub struct Memory;\n"),
        ("cmd::watch", "use super::build::{self, Memory};\n"),
        ("corpus::model", "pub struct Record;\n"),
        ("corpus::bibliography", "use super::model::{Record, Role};\n"),
    ]);
    assert_eq!(without["cmd::watch"], set(&["cmd::build"]));
    assert_eq!(cycles(&without), Vec::<Vec<String>>::new());
    // A top-level cycle is one too, and a module that reaches itself.
    let top: Graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .iter()
        .map(|(k, v)| (k.to_string(), set(&[v])))
        .collect();
    assert_eq!(cycles(&top), [vec!["a", "b", "c"]]);
}
