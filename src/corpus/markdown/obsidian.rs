//! Obsidian's own Markdown, read into the same tree as CommonMark: the
//! pieces of its syntax that pulldown-cmark leaves as text (callout
//! headers, `==highlights==`, `^[inline footnotes]`, block ids `^a1b2`,
//! `#tags`) and the inline HTML Obsidian renders. Pure functions over the
//! converter's inlines; `markdown.rs` calls them. No I/O here.
//!
//! Why a pass over the tree rather than another parser: pulldown-cmark
//! 0.13 reads wikilinks and `$` math, and gives every construct its byte
//! range (which every diagnostic needs); its GitHub alerts take neither a
//! title nor a fold mark, and it has no highlight, inline footnote or
//! block id. comrak reads more of them, but would replace the one parser
//! every check and test of brief is built on. What pulldown-cmark leaves
//! as text is read here, from text it has already told apart from code,
//! so `==x==` or `#tag` in code stays as written.

use super::{Block, Inline};

/// A callout's header on the first line of a block quote's text
/// (`> [!note]- Title`): its kind, lowercase, and the marker as written
/// (`[!note]-`), or `None`.
pub fn callout_marker(quote: &str) -> Option<(String, String)> {
    let line = quote.lines().next()?;
    let rest = line.trim_start().strip_prefix('>')?.trim_start_matches([' ', '\t']);
    let inner = rest.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let kind = &inner[..close];
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    if kind.is_empty() || !kind.chars().all(word) {
        return None;
    }
    let mut marker = format!("[!{kind}]");
    if let Some(fold @ ('+' | '-')) = inner[close + 1..].chars().next() {
        marker.push(fold);
    }
    Some((kind.to_lowercase(), marker))
}

/// Takes a callout's marker off the start of its header's inlines.
pub fn strip_marker(inlines: &mut Vec<Inline>, marker: &str) {
    if let Some(Inline::Text { t }) = inlines.first_mut()
        && let Some(rest) = t.strip_prefix(marker)
    {
        *t = rest.trim_start().to_string();
        if t.is_empty() {
            inlines.remove(0);
        }
    }
    if let Some(Inline::Text { t }) = inlines.last_mut() {
        let kept = t.trim_end().len();
        t.truncate(kept);
    }
}

/// A callout's title when none is written: its kind, capitalised, as
/// Obsidian shows it (`faq` → "Faq").
pub fn default_title(kind: &str) -> String {
    let mut chars = kind.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What a wikilink's target prints as when no label is written:
/// `Note#Heading` as "Note > Heading", `Note#^a1b2` as "Note".
pub fn target_text(target: &str) -> String {
    let (note, fragment) = split_target(target);
    match fragment {
        Some(f) if !f.starts_with('^') && note.is_empty() => f.to_string(),
        Some(f) if !f.starts_with('^') => format!("{note} > {f}"),
        _ => note.to_string(),
    }
}

/// A wikilink's target split into the note and the fragment after `#`.
pub fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((note, fragment)) => (note.trim(), Some(fragment.trim())),
        None => (target.trim(), None),
    }
}

/// Whether an embed's target is a file shown as an image (as Obsidian
/// shows it), not a note.
pub fn is_image(target: &str) -> bool {
    let ext = target.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|e| crate::corpus::ASSET_EXTENSIONS.contains(&e.as_str()))
}

/// An image embed's text after `|`: `300` or `300x200` is its width, `alt`
/// or `alt|300` its alternative text and width.
pub fn image_label(label: &str) -> (String, Option<u32>) {
    let width = |s: &str| {
        let w = s.split_once('x').map_or(s, |(w, _)| w);
        w.trim().parse::<u32>().ok().filter(|&w| w > 0)
    };
    match label.rsplit_once('|') {
        Some((alt, w)) if width(w).is_some() => (alt.trim().to_string(), width(w)),
        _ if width(label).is_some() => (String::new(), width(label)),
        _ => (label.trim().to_string(), None),
    }
}

/// Removes a block id (`^a1b2`, at the end of a paragraph or alone on its
/// line) from a paragraph's inlines, and returns it.
pub fn take_block_id(inlines: &mut Vec<Inline>) -> Option<String> {
    let Some(Inline::Text { t }) = inlines.last_mut() else { return None };
    let trimmed = t.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = &trimmed[caret + 1..];
    let before = trimmed[..caret].chars().next_back();
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid || before.is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let id = id.to_string();
    let kept = trimmed[..caret].trim_end().len();
    t.truncate(kept);
    if t.is_empty() {
        inlines.pop();
    }
    if let Some(Inline::Break) = inlines.last() {
        inlines.pop();
    }
    Some(id)
}

/// Reads, in one level of inlines, what Obsidian writes in text: inline
/// footnotes `^[…]`, highlights `==…==` (each may span emphasis and
/// links of the same level) and `#tags` (metadata, not printed).
pub fn sugar(inlines: Vec<Inline>) -> Vec<Inline> {
    let inlines = pair(inlines, "^[", "]", |c| Inline::Note { c: vec![Block::Para { c }] });
    let inlines = pair(inlines, "==", "==", |c| Inline::Mark { c });
    let mut out: Vec<Inline> = inlines.into_iter().filter_map(untag).collect();
    // A paragraph of tags alone leaves nothing.
    if out.iter().all(|i| matches!(i, Inline::Text { t } if t.trim().is_empty())) {
        out.clear();
    }
    out
}

/// Wraps every run between `open` and the next `close` of one level in
/// what `wrap` makes of it. An opener never closed stays text.
fn pair(
    inlines: Vec<Inline>,
    open: &str,
    close: &str,
    wrap: fn(Vec<Inline>) -> Inline,
) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<Inline> = inlines.into();
    while let Some(inline) = queue.pop_front() {
        let Inline::Text { t } = inline else {
            out.push(inline);
            continue;
        };
        let Some(at) = find_opener(&t, open) else {
            push_text(&mut out, &t);
            continue;
        };
        // Look for the closer in this text after the opener, then in the
        // texts that follow at this level.
        let after = &t[at + open.len()..];
        let mut inner: Vec<Inline> = Vec::new();
        let mut found = None;
        let mut depth = 0usize;
        if let Some(end) = find_closer(after, close, &mut depth, false) {
            found = Some((after[..end].to_string(), after[end + close.len()..].to_string(), 0));
        } else {
            push_text(&mut inner, after);
            for (n, next) in queue.iter().enumerate() {
                // (The first follows the opener's own text.)
                let after_element = n > 0 && !matches!(queue.get(n - 1), Some(Inline::Text { .. }));
                if let Inline::Text { t: more } = next
                    && let Some(end) = find_closer(more, close, &mut depth, after_element)
                {
                    push_text(&mut inner, &more[..end]);
                    found = Some((String::new(), more[end + close.len()..].to_string(), n + 1));
                    break;
                }
                inner.push(next.clone());
            }
        }
        match found {
            Some((inside, rest, used)) => {
                push_text(&mut out, &t[..at]);
                if used == 0 {
                    inner = vec![Inline::Text { t: inside }];
                } else {
                    queue.drain(..used);
                }
                inner.retain(|i| !matches!(i, Inline::Text { t } if t.is_empty()));
                out.push(wrap(inner));
                if !rest.is_empty() {
                    queue.push_front(Inline::Text { t: rest });
                }
            }
            None => {
                // Not closed: the opener is text; what follows may still
                // hold a pair.
                push_text(&mut out, &t[..at + open.len()]);
                if !after.is_empty() {
                    queue.push_front(Inline::Text { t: after.to_string() });
                }
            }
        }
    }
    out
}

/// Where `open` opens a pair in `text`: `==` before a character that is
/// not a space, `^[` anywhere.
fn find_opener(text: &str, open: &str) -> Option<usize> {
    text.match_indices(open).map(|(i, _)| i).find(|&i| {
        let next = text[i + open.len()..].chars().next();
        open != "==" || next.is_some_and(|c| !c.is_whitespace() && c != '=')
    })
}

/// Where `close` closes the pair in `text` (for brackets, the `]` that
/// balances, counting from `depth`). `==` closes after a character that
/// is not a space, or at the start of a text that follows an element
/// (`==a **b**==`, `==a $x$==`): `after_element`.
fn find_closer(text: &str, close: &str, depth: &mut usize, after_element: bool) -> Option<usize> {
    if close == "]" {
        for (i, c) in text.char_indices() {
            match c {
                '[' => *depth += 1,
                ']' if *depth == 0 => return Some(i),
                ']' => *depth -= 1,
                _ => {}
            }
        }
        return None;
    }
    text.match_indices(close).map(|(i, _)| i).find(|&i| match text[..i].chars().next_back() {
        Some(before) => !before.is_whitespace(),
        None => after_element,
    })
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text { t }) => t.push_str(text),
        _ => out.push(Inline::Text { t: text.to_string() }),
    }
}

/// Whether `c` may be part of a tag's name (Obsidian: letters, digits,
/// `_`, `-` and `/` for nesting).
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

/// A text without its `#tags`: a tag is `#` at a word's start followed by
/// tag characters, not all digits (`#1` stays text). The space before a
/// tag goes with it.
fn untag(inline: Inline) -> Option<Inline> {
    let Inline::Text { t } = inline else { return Some(inline) };
    if !t.contains('#') {
        return Some(Inline::Text { t });
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t.as_str();
    while let Some(at) = rest.find('#') {
        let before = rest[..at].chars().next_back().or(out.chars().next_back());
        let name: String = rest[at + 1..].chars().take_while(|&c| tag_char(c)).collect();
        let starts_word = before.is_none_or(|c| c.is_whitespace() || "([{,;".contains(c));
        if starts_word && !name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(rest[..at].trim_end_matches([' ', '\t']));
            rest = &rest[at + 1 + name.len()..];
            if out.is_empty() || out.ends_with(char::is_whitespace) {
                rest = rest.trim_start_matches([' ', '\t']);
            }
        } else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    (!out.is_empty()).then_some(Inline::Text { t: out })
}

/// One inline HTML tag: its name, lowercase, and whether it closes.
#[derive(Debug, PartialEq, Eq)]
pub struct HtmlTag {
    /// `u` in `<u>` and `</u>`.
    pub name: String,
    /// `</u>`.
    pub closing: bool,
    /// `<br/>`, or an element that is never closed (`<br>`, `<img>`).
    pub empty: bool,
}

/// Reads an inline HTML tag (`<u>`, `</u>`, `<br/>`, `<span class="x">`);
/// `None` for anything else (a comment, a declaration).
pub fn html_tag(html: &str) -> Option<HtmlTag> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let empty = inner.ends_with('/') || matches!(name.as_str(), "br" | "wbr" | "hr" | "img");
    Some(HtmlTag { name, closing, empty })
}

/// How brief sets an inline HTML element Obsidian renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtmlKind {
    /// Its own node: `u`, `s`, `sub`, `sup`, `kbd`, `mark`, `em`, `b`...
    Styled,
    /// Its text alone, as Obsidian shows it without a style sheet:
    /// `span`, `font`, `small`, `abbr`, `cite`, `q`, `div`, `p`...
    Text,
    /// Not set: its text is printed, with a warning.
    Unsupported,
}

/// How an element is set.
pub fn html_kind(name: &str) -> HtmlKind {
    match name {
        "u" | "ins" | "s" | "del" | "strike" | "sub" | "sup" | "kbd" | "mark" | "em" | "i"
        | "b" | "strong" | "code" | "br" => HtmlKind::Styled,
        "span" | "font" | "small" | "big" | "abbr" | "cite" | "q" | "div" | "p" | "center"
        | "details" | "summary" | "a" | "dfn" | "time" | "var" | "samp" => HtmlKind::Text,
        _ => HtmlKind::Unsupported,
    }
}

/// The node an inline HTML element's content becomes.
pub fn wrap_html(name: &str, c: Vec<Inline>) -> Vec<Inline> {
    match name {
        "u" | "ins" => vec![Inline::Underline { c }],
        "s" | "del" | "strike" => vec![Inline::Strike { c }],
        "sub" => vec![Inline::Sub { c }],
        "sup" => vec![Inline::Super { c }],
        "kbd" => vec![Inline::Kbd { c }],
        "mark" => vec![Inline::Mark { c }],
        "em" | "i" => vec![Inline::Emph { c }],
        "b" | "strong" => vec![Inline::Strong { c }],
        "code" => vec![Inline::Code { t: super::plain_inlines(&c) }],
        _ => c,
    }
}

/// The text of an HTML block as Obsidian shows it: tags dropped, `<br>`
/// a line break; with the unsupported tags it held.
pub fn html_block_text(html: &str) -> (Vec<Inline>, Vec<String>) {
    let mut out = Vec::new();
    let mut unsupported = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let text = &rest[..open];
        let tag = html_tag(&rest[open..open + close + 1]);
        push_text(&mut out, &collapse(text));
        match tag {
            Some(t) if t.name == "br" => out.push(Inline::Break),
            Some(t) if html_kind(&t.name) == HtmlKind::Unsupported => {
                if !unsupported.contains(&t.name) {
                    unsupported.push(t.name);
                }
            }
            Some(_) => {}
            None => push_text(&mut out, &rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    push_text(&mut out, &collapse(rest));
    if let Some(Inline::Text { t }) = out.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text { t }) = out.last_mut() {
        *t = t.trim_end().to_string();
    }
    out.retain(|i| !matches!(i, Inline::Text { t } if t.is_empty()));
    (out, unsupported)
}

/// Whitespace, line ends included, as one space (HTML's rule).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Fences Obsidian draws with a plugin (diagrams, queries) that brief can
/// only print as their code.
pub const PLUGIN_FENCES: [&str; 6] =
    ["mermaid", "dataview", "dataviewjs", "query", "tasks", "chart"];

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { t: t.into() }
    }

    #[test]
    fn callout_markers_are_read_with_kind_and_fold() {
        assert_eq!(callout_marker("> [!NOTE]\n> x"), Some(("note".into(), "[!NOTE]".into())));
        assert_eq!(callout_marker("> [!faq]- Why? \n"), Some(("faq".into(), "[!faq]-".into())));
        assert_eq!(callout_marker(">[!tip]+"), Some(("tip".into(), "[!tip]+".into())));
        assert_eq!(callout_marker("> > [!note]"), None, "the outer quote is a quote");
        assert_eq!(callout_marker("> [!] x"), None);
        assert_eq!(callout_marker("> [x] y"), None);
    }

    #[test]
    fn targets_print_as_obsidian_shows_them() {
        assert_eq!(target_text("Note#Heading"), "Note > Heading");
        assert_eq!(target_text("Note#^a1b2"), "Note");
        assert_eq!(target_text("#Heading"), "Heading");
        assert_eq!(image_label("300"), (String::new(), Some(300)));
        assert_eq!(image_label("300x200"), (String::new(), Some(300)));
        assert_eq!(image_label("A map|250"), ("A map".into(), Some(250)));
        assert_eq!(image_label("A map"), ("A map".into(), None));
        assert!(is_image("maps/x.PNG") && !is_image("Note.md") && !is_image("Note"));
    }

    #[test]
    fn highlights_and_inline_notes_pair_across_one_level() {
        let got = sugar(vec![
            text("a ==hi "),
            Inline::Emph { c: vec![text("x")] },
            text(" there== b ^[a note [with] brackets] c"),
        ]);
        assert_eq!(
            got,
            vec![
                text("a "),
                Inline::Mark {
                    c: vec![text("hi "), Inline::Emph { c: vec![text("x")] }, text(" there")]
                },
                text(" b "),
                Inline::Note { c: vec![Block::Para { c: vec![text("a note [with] brackets")] }] },
                text(" c"),
            ]
        );
        assert_eq!(sugar(vec![text("a == b and x==y")]), vec![text("a == b and x==y")]);
        // A highlight may end right after an element: `==a $x$==`.
        let math = Inline::Math { tex: "x".into(), typst: "x".into(), display: false };
        assert_eq!(
            sugar(vec![text("a ==hi "), math.clone(), text("== b")]),
            vec![text("a "), Inline::Mark { c: vec![text("hi "), math] }, text(" b")]
        );
        assert_eq!(sugar(vec![text("never ^[closed")]), vec![text("never ^[closed")]);
    }

    #[test]
    fn tags_are_metadata_not_prose() {
        assert_eq!(sugar(vec![text("A claim #status/draft here.")]), vec![text("A claim here.")]);
        assert_eq!(sugar(vec![text("#todo #later")]), vec![]);
        assert_eq!(
            sugar(vec![text("Item #1 and C# and x#y")]),
            vec![text("Item #1 and C# and x#y")]
        );
    }

    #[test]
    fn block_ids_are_taken_off_the_end() {
        let mut c = vec![text("A claim. ^a1b2")];
        assert_eq!(take_block_id(&mut c).as_deref(), Some("a1b2"));
        assert_eq!(c, vec![text("A claim.")]);
        let mut c = vec![text("^only")];
        assert_eq!(take_block_id(&mut c).as_deref(), Some("only"));
        assert!(c.is_empty());
        let mut c = vec![text("x^2")];
        assert_eq!(take_block_id(&mut c), None);
    }

    #[test]
    fn html_tags_are_read_and_blocks_dropped_to_text() {
        assert_eq!(
            html_tag("<span class=\"x\">"),
            Some(HtmlTag { name: "span".into(), closing: false, empty: false })
        );
        assert_eq!(html_tag("</U>").map(|t| (t.name, t.closing)), Some(("u".into(), true)));
        assert!(html_tag("<br/>").is_some_and(|t| t.empty));
        assert_eq!(html_tag("<!-- x -->"), None);
        let (inlines, unsupported) =
            html_block_text("<div>One<br>two <blink>three</blink></div>\n");
        assert_eq!(inlines, vec![text("One"), Inline::Break, text("two three")]);
        assert_eq!(unsupported, ["blink"]);
    }
}
