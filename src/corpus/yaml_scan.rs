//! Where every key of a YAML text is written: a scanner of YAML's block
//! and flow styles that finds each mapping key at any depth, with the path
//! of the mapping that holds it (`agenda[0].raise[1]`), and each item of a
//! top-level list, however it is indented.
//!
//! It parses no value (serde_yaml does) and never fails: on text that is
//! not YAML it finds what it can, and stops an unclosed quote or bracket
//! at the first line that is not indented under it, so that one broken
//! entry does not swallow the next. A key it cannot find is located more
//! coarsely by its callers. Pure, no I/O.

use std::ops::Range;

/// One step of a path: a mapping's key or a list's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A mapping's key.
    Key(String),
    /// A list's index, from 0.
    Index(usize),
}

/// A key as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The path of the mapping that holds it.
    pub path: Vec<Seg>,
    /// Its name, without quotes.
    pub name: String,
    /// Where its name is written (inside quotes, if quoted).
    pub at: Range<usize>,
    /// Where its value is: in block style, from the value's start to the
    /// end of the line (from the key itself when the value starts on a
    /// later line); in flow style, the value's first token.
    pub value: Range<usize>,
}

/// What [`scan`] finds.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every key, in the order written.
    pub keys: Vec<Key>,
    /// Each item of the top-level list, if the text is one: a block item
    /// from the start of its first line to the next item's, a flow item
    /// (`[{…}, {…}]`) from its first character to its last.
    pub items: Vec<Range<usize>>,
    /// Whether the top-level list is written in flow style.
    pub flow: bool,
}

/// Scans `text` for its keys and top-level list items.
pub fn scan(text: &str) -> Scan {
    let mut scanner =
        Scanner { b: text.as_bytes(), stack: Vec::new(), out: Scan::default(), deeper: None };
    let mut pos = 0;
    while pos < scanner.b.len() {
        pos = scanner.line(pos);
    }
    scanner.out
}

/// An open block collection: the column it is at, and its current index
/// or key.
struct Node {
    indent: usize,
    kind: Kind,
}

enum Kind {
    Seq(usize),
    Map(Option<String>),
}

/// An open flow collection.
enum Flow {
    Seq(usize),
    Map(Option<String>),
}

struct Scanner<'t> {
    b: &'t [u8],
    stack: Vec<Node>,
    out: Scan,
    /// Lines indented deeper than this belong to the value before them (a
    /// block scalar, or a scalar continued on the next lines): skipped.
    deeper: Option<usize>,
}

/// Whether `b[at]` ends a token: a space, a line end, or the text's end.
fn is_sep(b: &[u8], at: usize) -> bool {
    matches!(b.get(at), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// Where the line holding `at` ends (its `\n`, or the text's end).
fn line_end(b: &[u8], at: usize) -> usize {
    b[at.min(b.len())..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| at + n)
}

/// The start of the line after the one ending at `end`.
fn next_line(b: &[u8], end: usize) -> usize {
    (end + 1).min(b.len())
}

/// The first position from `at` that is not a space or tab.
fn skip_blanks(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// The end of `b[from..to]` with trailing whitespace dropped.
fn trim_end(b: &[u8], from: usize, mut to: usize) -> usize {
    while to > from && b[to - 1].is_ascii_whitespace() {
        to -= 1;
    }
    to
}

/// Whether the line starting at `start` is blank or only a comment.
fn is_blank_line(b: &[u8], start: usize) -> bool {
    matches!(b.get(skip_blanks(b, start)), None | Some(b'\n' | b'\r' | b'#'))
}

/// The path a list of block nodes stands for.
fn block_path(nodes: &[Node]) -> Vec<Seg> {
    nodes
        .iter()
        .filter_map(|n| match &n.kind {
            Kind::Seq(i) => Some(Seg::Index(*i)),
            Kind::Map(key) => key.clone().map(Seg::Key),
        })
        .collect()
}

impl Scanner<'_> {
    /// Reads the line starting at `start`; returns where the next line to
    /// read starts (past every line a flow collection or quote spans).
    fn line(&mut self, start: usize) -> usize {
        let b = self.b;
        let end = line_end(b, start);
        let first = skip_blanks(b, start);
        let indent = first - start;
        if is_blank_line(b, start) {
            return next_line(b, end);
        }
        if let Some(deeper) = self.deeper {
            if indent > deeper {
                return next_line(b, end);
            }
            self.deeper = None;
        }
        let marker = b[start..].starts_with(b"---") || b[start..].starts_with(b"...");
        if indent == 0 && marker && is_sep(b, start + 3) {
            return next_line(b, end);
        }
        self.node(first, start)
    }

    /// The indentation that owns what follows: lines deeper than it
    /// continue it.
    fn owner(&self) -> Option<usize> {
        self.stack.last().map(|n| n.indent)
    }

    /// Reads the nodes from `pos` to the end of its line (which starts at
    /// `start`); returns where the next line to read starts.
    fn node(&mut self, mut pos: usize, start: usize) -> usize {
        let b = self.b;
        loop {
            let end = line_end(b, pos);
            if pos >= end {
                return next_line(b, end);
            }
            let col = pos - start;
            match b[pos] {
                b'-' if is_sep(b, pos + 1) => {
                    self.dash(col, start);
                    pos = skip_blanks(b, pos + 1);
                }
                b'#' => return next_line(b, end),
                b'{' | b'[' => return self.flow(pos),
                b'|' | b'>' => {
                    self.deeper = self.owner();
                    return next_line(b, end);
                }
                b'&' | b'!' => pos = skip_blanks(b, token_end(b, pos)),
                b'?' if is_sep(b, pos + 1) => return next_line(b, end),
                _ => match self.block_scalar(pos, col) {
                    Ok(Some(value)) => pos = value,
                    Ok(None) => {
                        self.deeper = self.owner();
                        return next_line(b, end);
                    }
                    Err(resume) => return resume,
                },
            }
        }
    }

    /// A `- ` at column `col` of the line starting at `start`: an item of
    /// the list at that column, or the first of a new one.
    fn dash(&mut self, col: usize, start: usize) {
        while self.stack.last().is_some_and(|n| n.indent > col) {
            self.stack.pop();
        }
        match self.stack.last_mut() {
            Some(Node { indent, kind: Kind::Seq(i) }) if *indent == col => *i += 1,
            _ => self.stack.push(Node { indent: col, kind: Kind::Seq(0) }),
        }
        if self.stack.len() == 1 {
            if let Some(last) = self.out.items.last_mut() {
                last.end = start;
            }
            self.out.items.push(start..self.b.len());
        }
    }

    /// A scalar in block context at `pos` (column `col`): a key, whose
    /// value starts at the returned position; a value (`Ok(None)`); or a
    /// quoted scalar spanning lines, after which reading resumes at the
    /// returned line (`Err`).
    fn block_scalar(&mut self, pos: usize, col: usize) -> Result<Option<usize>, usize> {
        let b = self.b;
        let end = line_end(b, pos);
        let (name, after) = match b[pos] {
            b'"' | b'\'' => match self.quoted(pos) {
                Quoted::Closed(close) if line_end(b, close) == end => {
                    (pos + 1..close, skip_blanks(b, close + 1))
                }
                Quoted::Closed(close) => {
                    self.deeper = self.owner();
                    return Err(next_line(b, line_end(b, close)));
                }
                Quoted::Open(resume) => return Err(resume),
            },
            _ => {
                let stop = plain_end(b, pos, end, false);
                (pos..trim_end(b, pos, stop), stop)
            }
        };
        if b.get(after) != Some(&b':') || !is_sep(b, after + 1) {
            return Ok(None);
        }
        let value = skip_blanks(b, after + 1);
        let empty = value >= end || b[value] == b'#';
        let from = if empty { name.start } else { value };
        let value_range = from..trim_end(b, from, end);
        self.block_key(col, name, value_range);
        Ok(Some(value))
    }

    /// Records the key written at `name`, at column `col`.
    fn block_key(&mut self, col: usize, name: Range<usize>, value: Range<usize>) {
        while let Some(top) = self.stack.last() {
            let seq_here = top.indent == col && matches!(top.kind, Kind::Seq(_));
            if top.indent > col || seq_here {
                self.stack.pop();
            } else {
                break;
            }
        }
        let text = String::from_utf8_lossy(&self.b[name.clone()]).replace("''", "'");
        match self.stack.last_mut() {
            Some(Node { indent, kind: Kind::Map(key) }) if *indent == col => {
                *key = Some(text.clone())
            }
            _ => self.stack.push(Node { indent: col, kind: Kind::Map(Some(text.clone())) }),
        }
        let path = block_path(&self.stack[..self.stack.len() - 1]);
        self.out.keys.push(Key { path, name: text, at: name, value });
    }

    /// A quoted scalar opening at `open`: where it closes, or, if it is
    /// not closed before a line that is not indented under its owner,
    /// where reading resumes.
    fn quoted(&self, open: usize) -> Quoted {
        let b = self.b;
        let quote = b[open];
        let mut at = open + 1;
        while at < b.len() {
            match b[at] {
                b'\\' if quote == b'"' => at += 2,
                b'\'' if quote == b'\'' && b.get(at + 1) == Some(&b'\'') => at += 2,
                c if c == quote => return Quoted::Closed(at),
                b'\n' => {
                    if self.ends_open(at + 1) {
                        return Quoted::Open(at + 1);
                    }
                    at += 1;
                }
                _ => at += 1,
            }
        }
        Quoted::Open(b.len())
    }

    /// Whether the line starting at `start` ends a quote or a flow
    /// collection left open: it holds something and is not indented
    /// deeper than the block that owns the open one.
    fn ends_open(&self, start: usize) -> bool {
        let Some(owner) = self.owner() else { return false };
        !is_blank_line(self.b, start) && skip_blanks(self.b, start) - start <= owner
    }
}

/// Where a quoted scalar ends.
enum Quoted {
    /// At this closing quote.
    Closed(usize),
    /// Never, before the line that starts here.
    Open(usize),
}

/// The end of the token at `at` (an anchor, tag or alias).
fn token_end(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && !is_sep(b, at) && !(b",[]{}".contains(&b[at])) {
        at += 1;
    }
    at
}

/// The end of a plain scalar starting at `at`, before `end` (its line's
/// end): at `: `, ` #`, or, in flow style, a flow indicator.
fn plain_end(b: &[u8], at: usize, end: usize, flow: bool) -> usize {
    let mut i = at;
    while i < end {
        let c = b[i];
        let indicator = flow && b",[]{}".contains(&c);
        let colon = c == b':'
            && (is_sep(b, i + 1) || flow && b.get(i + 1).is_some_and(|n| b",[]{}".contains(n)));
        let comment = c == b'#' && i > at && b[i - 1].is_ascii_whitespace();
        if indicator || colon || comment {
            break;
        }
        i += 1;
    }
    i
}

impl Scanner<'_> {
    /// A flow collection opening at `open`, with every key inside it;
    /// returns where the next line to read starts.
    fn flow(&mut self, open: usize) -> usize {
        let b = self.b;
        let base = block_path(&self.stack);
        let root = self.stack.is_empty() && self.out.items.is_empty() && !self.out.flow;
        let mut state = FlowState { open: Vec::new(), pending: None, item: None, root };
        let mut pos = open;
        while pos < b.len() {
            match b[pos] {
                b'\n' if self.ends_open(pos + 1) => return pos + 1,
                b' ' | b'\t' | b'\r' | b'\n' | b':' => pos += 1,
                b'#' if b[pos - 1].is_ascii_whitespace() => pos = line_end(b, pos),
                b'{' | b'[' => {
                    self.flow_token(&mut state, pos, pos + 1);
                    let node = if b[pos] == b'{' { Flow::Map(None) } else { Flow::Seq(0) };
                    state.open.push(node);
                    pos += 1;
                }
                b'}' | b']' => {
                    self.flow_item_end(&mut state, pos);
                    state.open.pop();
                    pos += 1;
                    if state.open.is_empty() {
                        self.deeper = self.owner();
                        return next_line(b, line_end(b, pos));
                    }
                }
                b',' => {
                    self.flow_item_end(&mut state, pos);
                    match state.open.last_mut() {
                        Some(Flow::Seq(i)) => *i += 1,
                        Some(Flow::Map(key)) => *key = None,
                        None => {}
                    }
                    pos += 1;
                }
                _ => pos = self.flow_scalar(&mut state, &base, pos),
            }
        }
        pos
    }

    /// A token of a flow collection from `at` to `end`: the value of the
    /// key before it, and the start of a top-level item.
    fn flow_token(&mut self, state: &mut FlowState, at: usize, end: usize) {
        if let Some(k) = state.pending.take() {
            self.out.keys[k].value = at..end;
        }
        let in_list = matches!(state.open.first(), Some(Flow::Seq(_)));
        if state.root && in_list && state.open.len() == 1 && state.item.is_none() {
            state.item = Some(at);
        }
    }

    /// A `,` or closing bracket at `at`: the end of a top-level item.
    fn flow_item_end(&mut self, state: &mut FlowState, at: usize) {
        state.pending = None;
        if !state.root || !matches!(state.open.first(), Some(Flow::Seq(_))) {
            return;
        }
        let closing = matches!(self.b[at], b'}' | b']');
        let end = match state.open.len() {
            // A `,` or the list's `]` after an item that is a scalar.
            1 => at,
            // The item's own closing bracket.
            2 if closing => at + 1,
            _ => return,
        };
        if let Some(start) = state.item.take() {
            self.out.items.push(start..trim_end(self.b, start, end));
            self.out.flow = true;
        }
    }

    /// A scalar of a flow collection at `pos`, recorded as a key if a `:`
    /// follows it on its line; returns where reading goes on.
    fn flow_scalar(&mut self, state: &mut FlowState, base: &[Seg], pos: usize) -> usize {
        let b = self.b;
        let (name, after) = match b[pos] {
            b'"' | b'\'' => match self.quoted(pos) {
                Quoted::Closed(close) => (pos + 1..close, close + 1),
                Quoted::Open(resume) => return resume,
            },
            b'&' | b'!' | b'*' => (pos..token_end(b, pos), token_end(b, pos)),
            _ => {
                let stop = plain_end(b, pos, line_end(b, pos), true).max(pos + 1);
                (pos..trim_end(b, pos, stop), stop)
            }
        };
        let quoted = matches!(b[pos], b'"' | b'\'');
        self.flow_token(state, pos, if quoted { after } else { name.end });
        let colon = skip_blanks(b, after);
        let is_key = b.get(colon) == Some(&b':')
            && !matches!(b[pos], b'&' | b'!' | b'*')
            && (quoted
                || is_sep(b, colon + 1)
                || b.get(colon + 1).is_some_and(|n| b",[]{}".contains(n)));
        if is_key {
            let text = String::from_utf8_lossy(&b[name.clone()]).replace("''", "'");
            let mut path = base.to_vec();
            let last = state.open.len().saturating_sub(1);
            for (i, node) in state.open.iter().enumerate() {
                match node {
                    Flow::Seq(n) => path.push(Seg::Index(*n)),
                    Flow::Map(Some(key)) if i < last => path.push(Seg::Key(key.clone())),
                    Flow::Map(_) => {}
                }
            }
            if let Some(Flow::Map(key)) = state.open.last_mut() {
                *key = Some(text.clone());
            }
            state.pending = Some(self.out.keys.len());
            let value = name.start..name.end;
            self.out.keys.push(Key { path, name: text, at: name, value });
            return colon + 1;
        }
        after
    }
}

/// What a flow collection being read holds open.
struct FlowState {
    /// Its nested collections, outermost first.
    open: Vec<Flow>,
    /// The key whose value comes next, by index in the keys.
    pending: Option<usize>,
    /// Where the current top-level item starts.
    item: Option<usize>,
    /// Whether this is the top-level list, whose items are recorded.
    root: bool,
}

/// A path as serde_yaml writes it in its messages (`agenda[0].raise[1]`),
/// read into its steps.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.trim_start_matches('.').split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_string()));
        }
        while let Some((index, more)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                out.push(Seg::Index(i));
            }
            rest = more.trim_start_matches('[');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key as `path.name @ written-text`.
    fn keys(text: &str) -> Vec<String> {
        scan(text)
            .keys
            .iter()
            .map(|k| {
                let path: Vec<String> = k
                    .path
                    .iter()
                    .map(|s| match s {
                        Seg::Key(k) => k.clone(),
                        Seg::Index(i) => i.to_string(),
                    })
                    .collect();
                format!("{}/{} @ {}", path.join("/"), k.name, &text[k.at.clone()])
            })
            .collect()
    }

    #[test]
    fn block_keys_at_every_depth_with_their_paths() {
        let text = "- id: m\n  agenda:\n    - title: A\n      points: |\n        - x: not a key\n      raise:\n        - text: t\n          likelihood: certain\n    - title: B\n- id: n\n";
        assert_eq!(
            keys(text),
            [
                "0/id @ id",
                "0/agenda @ agenda",
                "0/agenda/0/title @ title",
                "0/agenda/0/points @ points",
                "0/agenda/0/raise @ raise",
                "0/agenda/0/raise/0/text @ text",
                "0/agenda/0/raise/0/likelihood @ likelihood",
                "0/agenda/1/title @ title",
                "1/id @ id",
            ]
        );
        let s = scan(text);
        assert_eq!(
            s.items,
            [0..text.find("- id: n").unwrap(), text.find("- id: n").unwrap()..text.len()]
        );
        assert!(!s.flow);
    }

    #[test]
    fn indented_lists_and_lists_under_a_key_at_its_column() {
        let text = "  - id: a\n    title: A\n  - id: b\n    tags:\n    - x\n    - y\n    note: n\n";
        assert_eq!(
            keys(text),
            ["0/id @ id", "0/title @ title", "1/id @ id", "1/tags @ tags", "1/note @ note"]
        );
        assert_eq!(scan(text).items.len(), 2);
        assert_eq!(scan(text).items[0].start, 0);
    }

    #[test]
    fn flow_keys_with_their_paths_and_items() {
        let text =
            "[{id: a, themes: [x, y]},\n {\"id\": \"b\", raise: [{text: t, likelihood: l}]}]\n";
        assert_eq!(
            keys(text),
            [
                "0/id @ id",
                "0/themes @ themes",
                "1/id @ id",
                "1/raise @ raise",
                "1/raise/0/text @ text",
                "1/raise/0/likelihood @ likelihood",
            ]
        );
        let s = scan(text);
        assert!(s.flow);
        let items: Vec<&str> = s.items.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            items,
            ["{id: a, themes: [x, y]}", "{\"id\": \"b\", raise: [{text: t, likelihood: l}]}"]
        );
        let v = &s.keys[1].value;
        assert_eq!(&text[v.clone()], "[");
        assert_eq!(&text[s.keys[0].value.clone()], "a");
    }

    #[test]
    fn block_items_holding_flow_mappings() {
        let text = "- {id: a, title: A}\n- {id: b, titel: B}\n";
        assert_eq!(keys(text), ["0/id @ id", "0/title @ title", "1/id @ id", "1/titel @ titel"]);
        assert_eq!(scan(text).items.len(), 2);
    }

    #[test]
    fn scalars_comments_and_quotes_are_not_keys() {
        let text = "- id: a # note: not a key\n  title: \"A: b\n    c: d\"\n  'quoted key': v\n  text: >\n    folded: text\n  url: http://x.org/a:b\n# c: d\n- id: b\n";
        assert_eq!(
            keys(text),
            [
                "0/id @ id",
                "0/title @ title",
                "0/quoted key @ quoted key",
                "0/text @ text",
                "0/url @ url",
                "1/id @ id"
            ]
        );
        assert_eq!(&text[scan(text).keys[4].value.clone()], "http://x.org/a:b");
    }

    #[test]
    fn an_unclosed_bracket_or_quote_stops_at_the_next_item() {
        let text = "- id: a\n  themes: [x, y\n- id: b\n  title: \"open\n- id: c\n";
        assert_eq!(
            keys(text),
            ["0/id @ id", "0/themes @ themes", "1/id @ id", "1/title @ title", "2/id @ id"]
        );
        assert_eq!(scan(text).items.len(), 3);
    }

    #[test]
    fn serde_paths_are_read_into_steps() {
        assert_eq!(
            parse_path("agenda[0].raise[1]"),
            [Seg::Key("agenda".into()), Seg::Index(0), Seg::Key("raise".into()), Seg::Index(1)]
        );
        assert_eq!(parse_path("[0].title"), [Seg::Index(0), Seg::Key("title".into())]);
        assert_eq!(parse_path(".[2][3]"), [Seg::Index(2), Seg::Index(3)]);
    }
}
