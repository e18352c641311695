//! An Obsidian vault as a corpus: whether the corpus is one, the images
//! its embeds may name by file name, and the links and embeds between its
//! notes, resolved once every finding is parsed.
//!
//! Reads no file: [`detect`] looks whether a `.obsidian` folder exists,
//! and [`open`] lists the image files of the corpus directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::markdown::obsidian::split_target;
use super::markdown::{Block, Flavour, Inline, each_inline, each_inline_list, plain_inlines};
use super::model::Theme;
use super::raw::{Derived, RawFinding};
use super::walk::{EntryKind, tree};
use super::{ASSET_EXTENSIONS, has_extension};
use crate::diag::{Diagnostic, Problem};

/// How the findings of a corpus are read: its Markdown's flavour and, for
/// an Obsidian vault, every image file in it (relative to the corpus
/// directory, sorted), which embeds find by name as Obsidian does.
#[derive(Clone, Debug, Default)]
pub struct Vault {
    /// The Markdown the findings are written in.
    pub flavour: Flavour,
    /// The images an embed may name by file name alone.
    pub images: Vec<PathBuf>,
}

/// Whether the corpus directory `root` (symlinks resolved) is in an
/// Obsidian vault: a `.obsidian` folder in it or in a folder above it,
/// which is how Obsidian marks a vault. Only whether that folder exists
/// is looked at; nothing in it is read.
pub fn detect(root: &Path) -> bool {
    root.ancestors().any(|dir| dir.join(".obsidian").is_dir())
}

/// How the findings of the corpus `dir` are read: as Obsidian's Markdown
/// when `obsidian`, with the images its embeds may name.
pub fn open(dir: &Path, obsidian: bool) -> Vault {
    if !obsidian {
        return Vault::default();
    }
    let images = tree(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.kind == EntryKind::File && has_extension(&e.path, &ASSET_EXTENSIONS))
        .filter_map(|e| e.path.strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect::<BTreeSet<PathBuf>>()
        .into_iter()
        .collect();
    Vault { flavour: Flavour::Obsidian, images }
}

/// The properties Obsidian and its common plugins write that a finding
/// accepts and does not use (any other unknown key is still an error, so a
/// typo is never taken for a property).
pub const IGNORED_PROPERTIES: [&str; 22] = [
    "cssclasses",
    "cssclass",
    "publish",
    "permalink",
    "description",
    "created",
    "modified",
    "updated",
    "date created",
    "date modified",
    "author",
    "authors",
    "status",
    "banner",
    "cover",
    "image",
    "lang",
    "draft",
    "type",
    "category",
    "categories",
    "related",
];

/// Makes an Obsidian note's properties a finding's fields: the properties
/// Obsidian writes are dropped, `aliases` (or `alias`) may be one string,
/// a date may carry a time (the day is kept), `tags` stand for `themes`
/// when no `themes` is written (those that are no theme are dropped once
/// the themes are known: see [`link`]), and a missing `title` is the file
/// name, a missing `id` its slug. Says which of these it did.
pub fn properties(m: &mut serde_yaml::Mapping, stem: &str) -> Derived {
    use serde_yaml::Value;
    m.retain(|k, _| !k.as_str().is_some_and(|k| IGNORED_PROPERTIES.contains(&k)));
    if let Some(alias) = m.remove("alias") {
        m.entry(Value::from("aliases")).or_insert(alias);
    }
    if let Some(aliases @ Value::String(_)) = m.get_mut("aliases") {
        *aliases = Value::Sequence(vec![aliases.clone()]);
    }
    if let Some(Value::Null) = m.get("aliases") {
        m.remove("aliases");
    }
    if let Some(Value::String(date)) = m.get_mut("date")
        && let Some((day, _)) = date.split_once(['T', ' '])
        && day.len() == 10
    {
        *date = day.to_string();
    }
    let tags = !m.contains_key("themes") && m.contains_key("tags");
    match (m.contains_key("themes"), m.remove("tags")) {
        (false, Some(Value::String(tag))) => {
            m.insert("themes".into(), Value::Sequence(vec![Value::String(tag)]));
        }
        (false, Some(tags)) => {
            m.insert("themes".into(), tags);
        }
        _ => {}
    }
    if let Some(Value::Sequence(themes)) = m.get_mut("themes") {
        for t in themes.iter_mut() {
            if let Value::String(s) = t {
                *s = s.trim_start_matches('#').to_string();
            }
        }
    }
    // A file name `03-Dam storage` is titled "Dam storage".
    let name =
        stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_' || c == ' ');
    let name = if name.is_empty() { stem } else { name };
    m.entry(Value::from("title")).or_insert_with(|| Value::from(name));
    let id = !m.contains_key("id");
    if id {
        m.insert("id".into(), Value::from(slug(name)));
    }
    Derived { id, tags }
}

/// A file name as an id: lowercase letters and digits, words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// How deep embeds may nest (a note embedding a note embedding...).
const MAX_EMBED_DEPTH: usize = 4;

/// The names a link may give a finding, as Obsidian resolves them: its
/// id, its file name or path without the extension, its title, an alias;
/// compared without case. The first of these that matches wins, and of
/// findings of the same name, the first in path order.
struct Names(Vec<BTreeMap<String, usize>>);

impl Names {
    fn new(findings: &[RawFinding]) -> Self {
        let mut by = vec![BTreeMap::new(); 4];
        for (i, f) in findings.iter().enumerate() {
            let fold = |s: &str| s.trim().to_lowercase();
            by[0].entry(fold(&f.finding.id)).or_insert(i);
            let stem = f.finding.path.with_extension("");
            let path = super::slash_path(&stem);
            by[1].entry(fold(&path)).or_insert(i);
            // `[[note]]` for `findings/src/note.md`, and `[[src/note]]`.
            let parts: Vec<&str> = path.split('/').collect();
            for n in 1..parts.len() {
                by[1].entry(fold(&parts[n..].join("/"))).or_insert(i);
            }
            by[2].entry(fold(&f.finding.title)).or_insert(i);
            for alias in &f.located.value.aliases {
                by[3].entry(fold(alias)).or_insert(i);
            }
        }
        Names(by)
    }

    fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim().trim_end_matches(".md").to_lowercase();
        self.0.iter().find_map(|by| by.get(&name).copied())
    }
}

/// Resolves every wikilink and embed between findings: a link gets the id
/// of the finding it names (and, without a label of its own, prints its
/// title); an embed alone in its paragraph is replaced by what it embeds.
/// A link or embed that names no finding prints its text, with a warning;
/// an embed cycle is an error.
pub(super) fn link(findings: &mut [RawFinding], themes: &[&Theme], out: &mut Vec<Diagnostic>) {
    theme_tags(findings, themes);
    let names = Names::new(findings);
    let titles: Vec<String> = findings.iter().map(|f| f.finding.title.clone()).collect();
    let ids: Vec<String> = findings.iter().map(|f| f.finding.id.clone()).collect();
    for (i, f) in findings.iter_mut().enumerate() {
        let (path, start) = (f.display_path.clone(), f.body_range.start);
        each_inline(&mut f.finding.body, &mut |inline| {
            let Inline::Xref { id, c, target, own, embed, at } = inline else { return };
            let (note, _) = split_target(target);
            let found = if note.is_empty() { Some(i) } else { names.find(note) };
            match found {
                Some(n) => {
                    *id = Some(ids[n].clone());
                    if !*own {
                        *c = vec![Inline::Text { t: titles[n].clone() }];
                    }
                }
                None => {
                    let what = if *embed { "embed" } else { "link" };
                    let message = format!(
                        "this {what} names no finding (by id, file name, title or alias): its text is printed"
                    );
                    let range = start + at.start..start + at.end;
                    out.push(Diagnostic::error(&path, range, Problem::Vault(message)).warning());
                }
            }
        });
    }
    embed_all(findings, out);
}

/// A note's tags that name no theme (`status/draft`) are metadata: only
/// the tags that are a theme's id or alias, in any case, are its themes.
/// Its themes written as `themes` stay as written (a typo is reported).
fn theme_tags(findings: &mut [RawFinding], themes: &[&Theme]) {
    let theme_of = |tag: &str| {
        let tag = tag.to_lowercase();
        themes.iter().find(|t| t.id == tag || t.aliases.contains(&tag)).map(|t| t.id.clone())
    };
    for f in findings {
        if !f.derived.tags {
            continue;
        }
        let mut kept: Vec<String> = Vec::new();
        for tag in &f.finding.themes {
            if let Some(id) = theme_of(tag)
                && !kept.contains(&id)
            {
                kept.push(id);
            }
        }
        // No tag is a theme: leave them, so the check names them.
        if !kept.is_empty() {
            f.finding.themes = kept.clone();
            f.located.value.themes = kept;
        }
    }
}

/// Calls `f` on every list of blocks in `blocks` (itself included), at
/// any depth, innermost last; inside embeds too when `embeds`.
fn each_block_list(blocks: &mut Vec<Block>, embeds: bool, f: &mut dyn FnMut(&mut Vec<Block>)) {
    f(blocks);
    for block in blocks.iter_mut() {
        match block {
            Block::Quote { c } | Block::Callout { c, .. } => each_block_list(c, embeds, f),
            Block::Embed { c, .. } if embeds => each_block_list(c, embeds, f),
            Block::List { items, .. } => {
                items.iter_mut().for_each(|i| each_block_list(&mut i.c, embeds, f))
            }
            _ => {}
        }
    }
}

/// The embed a paragraph is made of alone (spaces aside), if it is one.
fn lone_embed(block: &Block) -> Option<&Inline> {
    let Block::Para { c } = block else { return None };
    let mut found = c.iter().filter(|i| !matches!(i, Inline::Text { t } if t.trim().is_empty()));
    match (found.next(), found.next()) {
        (Some(x @ Inline::Xref { embed: true, id: Some(_), .. }), None) => Some(x),
        _ => None,
    }
}

/// Replaces every embed alone in its paragraph by what it embeds, from
/// the findings' bodies as written (each resolved by [`link`]).
fn embed_all(findings: &mut [RawFinding], out: &mut Vec<Diagnostic>) {
    let written: Written = findings
        .iter()
        .map(|f| {
            let f2 = (f.finding.title.clone(), f.finding.body.clone(), f.anchors.clone());
            (f.finding.id.clone(), f2)
        })
        .collect();
    for f in findings.iter_mut() {
        let (path, start) = (f.display_path.clone(), f.body_range.start);
        let mut trail = vec![f.finding.id.clone()];
        expand(&mut f.finding.body, &written, &mut trail, None, &mut |at, message, error| {
            let range = start + at.start..start + at.end;
            let d = Diagnostic::error(&path, range, Problem::Vault(message));
            out.push(if error { d } else { d.warning() });
        });
    }
}

type Written = BTreeMap<String, (String, Vec<Block>, BTreeMap<String, Block>)>;
type Report<'r> = dyn FnMut(std::ops::Range<usize>, String, bool) + 'r;

/// Expands the embeds in `body`; `trail` is the chain of findings being
/// embedded, to refuse a cycle; `origin` is where the embed in the
/// finding itself that led here is (`None` in the finding itself), which
/// is where a problem found deeper is reported.
fn expand(
    body: &mut Vec<Block>,
    written: &Written,
    trail: &mut Vec<String>,
    origin: Option<&std::ops::Range<usize>>,
    report: &mut Report,
) {
    each_block_list(body, false, &mut |blocks| {
        for block in blocks.iter_mut() {
            let Some(Inline::Xref { id: Some(id), target, at, .. }) = lone_embed(block) else {
                continue;
            };
            let (id, target) = (id.clone(), target.clone());
            let at = origin.cloned().unwrap_or_else(|| at.clone());
            let Some((title, target_body, anchors)) = written.get(&id) else { continue };
            if trail.contains(&id) {
                let chain = trail.join(" → ");
                report(at, format!("this embed makes a cycle ({chain} → {id})"), true);
                continue;
            }
            if trail.len() > MAX_EMBED_DEPTH {
                continue;
            }
            let (_, fragment) = split_target(&target);
            let c = match part(target_body, anchors, fragment) {
                Some(c) => c,
                None => {
                    let message = format!(
                        "`{}` is not a heading or block id of `{id}`: the whole finding is embedded",
                        fragment.unwrap_or_default()
                    );
                    report(at.clone(), message, false);
                    target_body.clone()
                }
            };
            *block = embed_block(&id, title, c, written, trail, &at, report);
        }
    });
}

fn embed_block(
    id: &str,
    title: &str,
    mut c: Vec<Block>,
    written: &Written,
    trail: &mut Vec<String>,
    origin: &std::ops::Range<usize>,
    report: &mut Report,
) -> Block {
    trail.push(id.to_string());
    expand(&mut c, written, trail, Some(origin), report);
    trail.pop();
    Block::Embed { id: id.to_string(), title: title.to_string(), c }
}

/// The part of a body an embed's fragment names: a block id (`^a1b2`),
/// a heading's section (to the next heading of its level or above), or
/// the whole body (no fragment); `None` if it names nothing there.
fn part(
    body: &[Block],
    anchors: &BTreeMap<String, Block>,
    fragment: Option<&str>,
) -> Option<Vec<Block>> {
    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
        return Some(body.to_vec());
    };
    if let Some(id) = fragment.strip_prefix('^') {
        return anchors.get(id).map(|b| vec![b.clone()]);
    }
    let wanted = fragment.trim().to_lowercase();
    let start = body.iter().position(|b| {
        matches!(b, Block::Heading { c, .. } if plain_inlines(c).trim().to_lowercase() == wanted)
    })?;
    let Block::Heading { level, .. } = &body[start] else { return None };
    let end = body[start + 1..]
        .iter()
        .position(|b| matches!(b, Block::Heading { level: l, .. } if l <= level))
        .map_or(body.len(), |n| start + 1 + n);
    Some(body[start..end].to_vec())
}

/// Takes out of a body what would name a finding an audience may not
/// see (`withheld` says which): an embed of it is left out, and a link to
/// it prints the label written, or nothing (never the finding's title).
pub fn withhold(body: &mut Vec<Block>, withheld: &dyn Fn(&str) -> bool) {
    each_block_list(body, true, &mut |blocks| {
        blocks.retain(|b| !matches!(b, Block::Embed { id, .. } if withheld(id)));
    });
    let hidden = |i: &Inline| matches!(i, Inline::Xref { id: Some(id), .. } if withheld(id));
    each_inline_list(body, &mut |list| {
        if !list.iter().any(hidden) {
            return;
        }
        let old = std::mem::take(list);
        for inline in old {
            match inline {
                Inline::Xref { id: Some(id), c, own, .. } if withheld(&id) => {
                    if own {
                        list.push(Inline::Text { t: plain_inlines(&c) });
                    }
                }
                other => list.push(other),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(t: &str) -> Block {
        Block::Para { c: vec![Inline::Text { t: t.into() }] }
    }

    fn heading(level: u8, t: &str) -> Block {
        Block::Heading { level, c: vec![Inline::Text { t: t.into() }] }
    }

    #[test]
    fn a_fragment_names_a_section_or_a_block() {
        let body = vec![
            para("a"),
            heading(1, "One"),
            para("b"),
            heading(2, "Sub"),
            para("c"),
            heading(1, "Two"),
            para("d"),
        ];
        let mut anchors = BTreeMap::new();
        anchors.insert("x1".to_string(), para("c"));
        assert_eq!(part(&body, &anchors, None).unwrap().len(), 7);
        assert_eq!(part(&body, &anchors, Some("one")).unwrap(), body[1..5].to_vec());
        assert_eq!(part(&body, &anchors, Some("Sub")).unwrap(), body[3..5].to_vec());
        assert_eq!(part(&body, &anchors, Some("^x1")).unwrap(), vec![para("c")]);
        assert_eq!(part(&body, &anchors, Some("Three")), None);
    }
}
