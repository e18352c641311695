//! The module graph, read from the sources: nothing below the command
//! layer imports it, and no two modules import each other, however
//! indirectly. `cargo test --test layers -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod common;

/// Each top-level module of src/ and the top-level modules its non-test
/// code names as `crate::x` or `crate::{x, ...}`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = common::root().join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name != "main" && name != "lib" {
            modules.insert(name, path);
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (name, path) in &modules {
        let mut text = String::new();
        read_all(path, &mut text);
        let mut deps = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let group = match rest.strip_prefix('{') {
                Some(inner) => &inner[..inner.find('}').unwrap_or(inner.len())],
                None => rest,
            };
            for word in group
                .split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .take(if rest.starts_with('{') { usize::MAX } else { 1 })
            {
                if names.contains(word) && word != name {
                    deps.insert(word.to_string());
                }
            }
        }
        graph.insert(name.clone(), deps);
    }
    graph
}

/// The text of a module's files, without their `#[cfg(test)]` parts.
fn read_all(path: &Path, out: &mut String) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            read_all(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        let text = std::fs::read_to_string(path).unwrap();
        out.push_str(text.split("#[cfg(test)]").next().unwrap());
    }
}

#[test]
fn the_command_layer_is_at_the_edge_and_there_are_no_cycles() {
    let graph = graph();
    for (module, deps) in &graph {
        println!("{module} -> {}", deps.iter().cloned().collect::<Vec<_>>().join(" "));
    }
    for (module, deps) in &graph {
        if module != "cli" && module != "cmd" {
            assert!(
                !deps.contains("cli") && !deps.contains("cmd"),
                "{module} imports the command layer: {deps:?}"
            );
        }
    }
    // A module reaching itself through its imports is a cycle.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = graph[start].iter().collect();
        while let Some(next) = todo.pop() {
            assert_ne!(next, start, "{start} imports itself through {seen:?}");
            if seen.insert(next.clone()) {
                todo.extend(graph[next].iter());
            }
        }
    }
    assert!(graph["select"].contains("corpus"), "the graph is read at all");
}
