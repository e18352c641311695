//! Markdown to a small serialisable tree: the one place pulldown-cmark is
//! configured.
//!
//! The tree is data. Templates walk it and place every string as text, so
//! nothing a finding says can become Typst markup or code: no escaping is
//! needed because nothing is ever spliced into source. No I/O here; image
//! paths go through a resolver the caller supplies.

use std::collections::BTreeMap;
use std::mem;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use super::comments::{self, Blanked};
pub mod obsidian;
mod visit;

pub use visit::{each_inline, each_inline_list};

use obsidian::HtmlKind;

/// A block-level element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph.
    Para {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// A heading inside a finding; `level` 1 is the finding's first level
    /// below its own title.
    Heading {
        /// 1 to 6, as written.
        level: u8,
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// A block quote.
    Quote {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Block>,
    },
    /// Fenced or indented code.
    #[serde(rename = "codeblock")]
    Code {
        /// The info string's first word, for highlighting.
        lang: Option<String>,
        /// The code, verbatim.
        text: String,
    },
    /// A bullet or ordered list.
    List {
        /// First number of an ordered list; `None` for bullets.
        start: Option<u64>,
        /// Whether items are set without paragraph spacing.
        tight: bool,
        /// The items.
        items: Vec<Item>,
    },
    /// A GitHub table.
    Table {
        /// One alignment per column.
        align: Vec<Align>,
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows of cells.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A thematic break.
    Rule,
    /// Raw HTML, kept as literal text (never interpreted).
    Html {
        /// The HTML source.
        text: String,
    },
    /// An Obsidian callout (`> [!note] Title`), or a GitHub alert: a
    /// titled box of its kind.
    Callout {
        /// Its kind, lowercase, as written (`note`, `warning`, `faq`...).
        callout: String,
        /// Its title: as written, or the kind's name.
        title: Vec<Inline>,
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Block>,
    },
    /// Another finding's text, transcluded (`![[Note]]`): `id` names the
    /// finding it is taken from, so that a book for an audience that may
    /// not see it leaves it out.
    Embed {
        /// The finding transcluded.
        id: String,
        /// Its title, set above the text.
        title: String,
        /// What is transcluded: the whole body, a heading's section or one
        /// block.
        #[serde(rename = "children")]
        c: Vec<Block>,
    },
}

/// A list item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    /// Its content.
    #[serde(rename = "children")]
    pub c: Vec<Block>,
}

/// A table column's alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Not specified.
    None,
    /// `:--`
    Left,
    /// `:-:`
    Center,
    /// `--:`
    Right,
}

/// An inline element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    /// Literal text.
    Text {
        /// The characters, exactly as written (after Markdown's own
        /// unescaping and entity decoding).
        #[serde(rename = "text")]
        t: String,
    },
    /// Emphasis.
    Emph {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// Strong emphasis.
    Strong {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// Strikethrough.
    Strike {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// A code span.
    Code {
        /// The code, verbatim.
        #[serde(rename = "text")]
        t: String,
    },
    /// A link or autolink.
    Link {
        /// The destination.
        url: String,
        /// The link text.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// An image: `src` is the virtual path the renderer serves, or `None`
    /// when it could not be resolved (the alt text stands in).
    Image {
        /// Virtual path of a corpus file.
        src: Option<String>,
        /// Alternative text.
        alt: String,
        /// Its width in CSS pixels, as an Obsidian embed gives it
        /// (`![[map.png|300]]`); `None`: the text block's width.
        #[serde(skip_serializing_if = "Option::is_none")]
        width: Option<u32>,
    },
    /// A footnote, with its definition's content.
    Note {
        /// The footnote's content.
        #[serde(rename = "children")]
        c: Vec<Block>,
    },
    /// A hard line break.
    Break,
    /// A citation in Pandoc's syntax (`[@key, p. 12]`, `[see @a; @b]`,
    /// `@key says`): the templates set it in the book's citation style,
    /// linked to the source list.
    Cite {
        /// The works cited, in order.
        items: Vec<CiteItem>,
        /// The citation as written, for plain text.
        #[serde(skip)]
        written: String,
        /// The citation as the book's style sets it: filled in when the
        /// book is composed (`compose::citations`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        shown: Vec<crate::cite::Piece>,
    },
    /// A footnote reference before resolution; never serialised.
    #[serde(skip)]
    NoteRef(String),
    /// A link to another finding (`[[Note]]`, `[[Note|label]]`): a
    /// cross-reference with its number and page when that finding is in
    /// the book; its text otherwise.
    Xref {
        /// The finding it names, once resolved; `None`: it names none.
        id: Option<String>,
        /// What it prints: the label written, or the finding's title.
        #[serde(rename = "children")]
        c: Vec<Inline>,
        /// The target as written (`Note#Heading`).
        #[serde(skip)]
        target: String,
        /// Whether a label was written (`[[Note|label]]`).
        #[serde(skip)]
        own: bool,
        /// Whether it was written as an embed (`![[Note]]`).
        #[serde(skip)]
        embed: bool,
        /// Where it is written in the body.
        #[serde(skip)]
        at: Range<usize>,
    },
    /// Highlighted text (`==x==`, `<mark>`).
    Mark {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// Underlined text (`<u>`, `<ins>`).
    Underline {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// Subscript (`<sub>`).
    Sub {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// Superscript (`<sup>`).
    Super {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// A key of the keyboard (`<kbd>`).
    Kbd {
        /// Its content.
        #[serde(rename = "children")]
        c: Vec<Inline>,
    },
    /// TeX math (`$x$`, `$$x$$`), converted to Typst math.
    Math {
        /// The TeX as written: the formula's alternative text.
        tex: String,
        /// The converter's Typst math, checked to be math alone.
        typst: String,
        /// Whether it is set as a block (`$$…$$`).
        display: bool,
    },
}

/// One work cited in a [`Inline::Cite`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CiteItem {
    /// The citation key: a source id.
    pub key: String,
    /// Text before the citation (`see` in `[see @a]`), set before it.
    pub prefix: Option<String>,
    /// Where in the work (`p. 12` in `[@a, p. 12]`): the citation's locator.
    pub locator: Option<String>,
    /// `normal` (`[@a]`), `prose` (`@a says`) or `year` (`[-@a]`): the
    /// forms of Typst's `cite`.
    pub form: &'static str,
}

/// Resolves an image destination to a virtual path, or `None` to show the
/// alt text instead. Gets the destination and its byte range in the text.
pub type ImageResolver<'a> = dyn FnMut(&str, Range<usize>) -> Option<String> + 'a;

/// The CommonMark options: GitHub tables, strikethrough, task lists,
/// footnotes, and typographic quotes, apostrophes, dashes and ellipses
/// (smart punctuation; code spans and blocks stay literal).
fn options(flavour: Flavour) -> Options {
    let common = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    match flavour {
        Flavour::CommonMark => common,
        // Wikilinks and `$` math as pulldown-cmark reads them; the rest of
        // Obsidian's syntax (callouts, highlights, inline footnotes, block
        // ids, tags, inline HTML) is read from its events here and in
        // `obsidian.rs`.
        Flavour::Obsidian => common | Options::ENABLE_WIKILINKS | Options::ENABLE_MATH,
    }
}

/// Which Markdown a corpus is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// CommonMark with GitHub's tables, strikethrough, task lists and
    /// footnotes.
    #[default]
    CommonMark,
    /// That, and Obsidian's own syntax: wikilinks and embeds, callouts,
    /// highlights, inline footnotes, block ids, tags, inline HTML, math.
    Obsidian,
}

/// How deep block quotes, lists, tables and emphasis may nest. Deeper
/// levels are set flat into the deepest one (their text is kept), with a
/// warning: past this the page stops showing the structure anyway, and
/// the tree stays shallow enough for every later stage.
pub const MAX_NESTING: usize = 8;

/// The link schemes that become live links in the PDF. Any other link
/// (`javascript:`, `file:`, a relative path) prints as its text.
pub const LIVE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Something the conversion had to change, with where it is in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Nesting deeper than [`MAX_NESTING`], set flat.
    TooDeep,
    /// A link whose scheme is not live; it prints as text.
    NotLive(String),
    /// An image without alt text; its file name stands in.
    NoAlt(String),
    /// A table so wide that, to fit the text block, its type would be set
    /// at about this percentage of its size.
    TableTooWide(usize),
    /// A citation key that names no source; `true` when bracketed
    /// (`[@key]`, set as a citation all the same, so always an error),
    /// `false` in running text (`@key`, printed as text).
    UnknownCitation(String, bool),
    /// A drafting comment never closed: everything after its opening is
    /// left out.
    UnclosedComment(comments::Kind),
    /// Obsidian syntax that cannot be printed as the note shows it (an
    /// unsupported HTML tag, a plugin's fence, math that did not convert):
    /// what is printed instead.
    Unfaithful(String),
}

/// Says which citation keys exist (the corpus's source ids).
pub type KeyCheck<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// Converts Markdown to blocks.
///
/// ```
/// use brief::corpus::markdown::{convert, plain_text};
/// let blocks = convert("A *claim* with `#read(\"/etc/passwd\")` and $x$.", &mut |_, _| None);
/// assert_eq!(plain_text(&blocks), "A claim with #read(\"/etc/passwd\") and $x$.");
/// ```
pub fn convert(markdown: &str, resolve_image: &mut ImageResolver) -> Vec<Block> {
    convert_noting(markdown, resolve_image).0
}

/// Converts Markdown to blocks, and says what it had to change (each with
/// its byte range in `markdown`; at most one [`Notice::TooDeep`]).
pub fn convert_noting(
    markdown: &str,
    resolve_image: &mut ImageResolver,
) -> (Vec<Block>, Vec<(Range<usize>, Notice)>) {
    convert_citing(markdown, resolve_image, None)
}

/// What a conversion yields besides the blocks: its notices, and (in
/// Obsidian's flavour) the blocks that carry a block id (`^a1b2`), for
/// embeds of a block (`![[Note#^a1b2]]`).
#[derive(Debug, Default)]
pub struct Converted {
    /// The blocks.
    pub blocks: Vec<Block>,
    /// What the conversion had to change, each with its byte range.
    pub notices: Vec<(Range<usize>, Notice)>,
    /// Each block id, with the block it marks.
    pub anchors: BTreeMap<String, Block>,
}

/// Converts Markdown to blocks as [`convert_noting`] does, and, when
/// `keys` is given, turns Pandoc citations in text (never in code) into
/// [`Inline::Cite`]s: `[@key]`, `[@key, p. 12]`, `[see @a; @b]`, `[-@a]`
/// and `@key` (that last only for a key `keys` knows; other `@words`, an
/// e-mail address, `\@key`, stay text).
pub fn convert_citing(
    markdown: &str,
    resolve_image: &mut ImageResolver,
    keys: Option<&KeyCheck>,
) -> (Vec<Block>, Vec<(Range<usize>, Notice)>) {
    let converted = convert_flavoured(markdown, resolve_image, keys, Flavour::CommonMark);
    (converted.blocks, converted.notices)
}

/// Converts Markdown of the given flavour as [`convert_citing`] does.
pub fn convert_flavoured(
    markdown: &str,
    resolve_image: &mut ImageResolver,
    keys: Option<&KeyCheck>,
    flavour: Flavour,
) -> Converted {
    let prepared = Prepared::new(markdown, flavour);
    let comments = &prepared.blanked.comments;
    let mut builder =
        Builder { source: prepared.text(), comments, keys, flavour, ..Builder::default() };
    for (event, range) in prepared.events() {
        if !matches!(event, Event::Text(_) | Event::SoftBreak) {
            builder.flush_text();
        }
        builder.event(event, range, resolve_image);
    }
    builder.flush_text();
    let mut notices = std::mem::take(&mut builder.notices);
    let unclosed = prepared.blanked.unclosed.iter();
    notices.extend(unclosed.map(|(range, kind)| (range.clone(), Notice::UnclosedComment(*kind))));
    let anchors = mem::take(&mut builder.anchors);
    Converted { blocks: builder.finish(), notices, anchors }
}

/// Markdown as every parse here reads it: its drafting comments blanked
/// (see `comments.rs`), never the text as written. The one place
/// pulldown-cmark is handed text.
struct Prepared<'a> {
    blanked: Blanked<'a>,
    flavour: Flavour,
}

impl<'a> Prepared<'a> {
    fn new(markdown: &'a str, flavour: Flavour) -> Self {
        Prepared { blanked: comments::blank(markdown), flavour }
    }

    /// The text, comments blanked: every offset is the written text's.
    fn text(&self) -> &str {
        &self.blanked.text
    }

    /// The parser's events, each with its range.
    fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        Parser::new_ext(self.text(), options(self.flavour)).into_offset_iter()
    }
}

/// Every work cited in a body, in order.
pub fn citations(blocks: &[Block]) -> Vec<&CiteItem> {
    fn inlines<'b>(list: &'b [Inline], out: &mut Vec<&'b CiteItem>) {
        for i in list {
            match i {
                Inline::Cite { items, .. } => out.extend(items),
                Inline::Emph { c } | Inline::Strong { c } | Inline::Strike { c } => inlines(c, out),
                Inline::Link { c, .. } | Inline::Xref { c, .. } => inlines(c, out),
                Inline::Mark { c }
                | Inline::Underline { c }
                | Inline::Sub { c }
                | Inline::Super { c }
                | Inline::Kbd { c } => inlines(c, out),
                Inline::Note { c } => blocks_in(c, out),
                _ => {}
            }
        }
    }
    fn blocks_in<'b>(list: &'b [Block], out: &mut Vec<&'b CiteItem>) {
        for b in list {
            match b {
                Block::Para { c } | Block::Heading { c, .. } => inlines(c, out),
                Block::Quote { c } | Block::Embed { c, .. } => blocks_in(c, out),
                Block::Callout { title, c, .. } => {
                    inlines(title, out);
                    blocks_in(c, out)
                }
                Block::List { items, .. } => items.iter().for_each(|i| blocks_in(&i.c, out)),
                Block::Table { head, rows, .. } => {
                    head.iter().chain(rows.iter().flatten()).for_each(|c| inlines(c, out))
                }
                Block::Code { .. } | Block::Rule | Block::Html { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    blocks_in(blocks, &mut out);
    out
}

/// The text runs of a body outside code, each with its byte range: what
/// a reader reads as prose.
pub fn prose_runs(markdown: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut code = 0usize;
    let prepared = Prepared::new(markdown, Flavour::CommonMark);
    for (event, range) in prepared.events() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => code += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => code = code.saturating_sub(1),
            Event::Text(t) if code == 0 => out.push((range, t.to_string())),
            _ => {}
        }
    }
    out
}

/// One piece of a run of text: plain text, or a citation.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(Range<usize>),
    Cite { range: Range<usize>, items: Vec<(CiteItem, Range<usize>)>, bracketed: bool },
}

/// The length of a citation key at the start of `s` (0 if none): Pandoc's
/// rule, a letter, digit or `_`, then those and internal punctuation
/// (`:.#$%&-+?<>~/`) followed by a letter or digit.
fn key_len(s: &str) -> usize {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = s.char_indices().peekable();
    match chars.next() {
        Some((_, c)) if word(c) => {}
        _ => return 0,
    }
    let mut end = s.chars().next().map_or(0, char::len_utf8);
    while let Some((i, c)) = chars.next() {
        if word(c) {
            end = i + c.len_utf8();
        } else if ":.#$%&-+?<>~/".contains(c) && chars.peek().is_some_and(|&(_, n)| word(n)) {
            continue;
        } else {
            break;
        }
    }
    end
}

/// The characters of a run of text (`pending`: its text events, each with
/// where it was written in `source`) that were escaped with a backslash
/// where written (`\@`, `\[`): text, never part of a citation's syntax.
/// The one place escapes are known: the parser drops the backslash, and
/// starts a text event at the character it escaped.
fn escapes(source: &str, pending: &[(String, Range<usize>)]) -> Escaped {
    let mut out = Vec::new();
    let (mut at, mut previous_end) = (0, None);
    for (text, range) in pending {
        let backslash = range.start > 0 && source.as_bytes()[range.start - 1] == b'\\';
        // The backslash is an escape unless the event before printed it.
        let escape = backslash && previous_end != Some(range.start);
        if escape && source.get(range.clone()) == Some(text.as_str()) {
            out.push(at);
        }
        at += text.len();
        previous_end = Some(range.end);
    }
    Escaped(out)
}

/// The positions in a run of text of the characters written escaped.
struct Escaped(Vec<usize>);

impl Escaped {
    /// Whether the character at `pos` was written escaped.
    fn at(&self, pos: usize) -> bool {
        self.0.binary_search(&pos).is_ok()
    }

    /// The first `]` after `from` in `text` that was not written escaped.
    fn close(&self, text: &str, from: usize) -> Option<usize> {
        let after = text.get(from..)?;
        after.match_indices(']').map(|(n, _)| from + n).find(|&at| !self.at(at))
    }
}

/// Splits text into plain text and Pandoc citations; a character in
/// `escaped` is never part of one.
fn pieces(text: &str, escaped: &Escaped) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut plain = 0;
    let mut i = 0;
    let push_text = |out: &mut Vec<Piece>, from: usize, to: usize| {
        if from < to {
            out.push(Piece::Text(from..to));
        }
    };
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if c == '['
            && let Some(close) = escaped.close(text, i + 1)
            && !text[i + 1..close].contains('[')
            && let Some(items) = bracket_items(text, i + 1, close, escaped)
        {
            // `\[@a]`: the whole bracket is text.
            if !escaped.at(i) {
                push_text(&mut out, plain, i);
                out.push(Piece::Cite { range: i..close + 1, items, bracketed: true });
                plain = close + 1;
            }
            i = close + 1;
            continue;
        }
        let before = text[..i].chars().next_back();
        let starts_word = before.is_none_or(|b| !(b.is_alphanumeric() || "_.-+%@\\/&".contains(b)));
        if c == '@' && !escaped.at(i) && starts_word && key_len(&text[i + 1..]) > 0 {
            let end = i + 1 + key_len(&text[i + 1..]);
            let key = text[i + 1..end].to_string();
            // `@key [p. 33]`: a locator after an in-text citation.
            let opens = text[end..].starts_with(" [") && !escaped.at(end + 1);
            let close = if opens { escaped.close(text, end + 2) } else { None };
            let (locator, stop) = match close {
                Some(close) => {
                    let inside = &text[end + 2..close];
                    if !inside.contains(['@', '[']) && !inside.trim().is_empty() {
                        (Some(inside.trim().to_string()), close + 1)
                    } else {
                        (None, end)
                    }
                }
                None => (None, end),
            };
            push_text(&mut out, plain, i);
            let item = CiteItem { key, prefix: None, locator, form: "prose" };
            out.push(Piece::Cite {
                range: i..stop,
                items: vec![(item, i + 1..end)],
                bracketed: false,
            });
            i = stop;
            plain = i;
            continue;
        }
        i += c.len_utf8();
    }
    push_text(&mut out, plain, text.len());
    out
}

/// The items of a bracketed citation `[...]` whose content is
/// `text[from..to]`, or `None` if it is not one: every `;`-separated item
/// must hold one `@key`.
fn bracket_items(
    text: &str,
    from: usize,
    to: usize,
    escaped: &Escaped,
) -> Option<Vec<(CiteItem, Range<usize>)>> {
    let mut items = Vec::new();
    let mut start = from;
    for part in text[from..to].split(';') {
        let base = start;
        start += part.len() + 1;
        let at = part.char_indices().find_map(|(j, c)| {
            let before = part[..j].chars().next_back();
            (c == '@'
                && !escaped.at(base + j)
                && before.is_none_or(|b| b.is_whitespace() || b == '-')
                && key_len(&part[j + 1..]) > 0)
                .then_some(j)
        })?;
        let end = at + 1 + key_len(&part[at + 1..]);
        let mut prefix = &part[..at];
        let year = prefix.ends_with('-');
        if year {
            prefix = &prefix[..prefix.len() - 1];
        }
        let rest = part[end..].trim();
        if rest.contains('@') {
            return None;
        }
        let locator = rest.strip_prefix(',').unwrap_or(rest).trim();
        let item = CiteItem {
            key: part[at + 1..end].to_string(),
            prefix: Some(prefix.trim().to_string()).filter(|p| !p.is_empty()),
            locator: Some(locator.to_string()).filter(|l| !l.is_empty()),
            form: if year { "year" } else { "normal" },
        };
        items.push((item, base + at + 1..base + end));
    }
    Some(items)
}

#[derive(Default)]
struct Builder<'a> {
    /// The Markdown, comments blanked, for escapes (`\@key` is text).
    source: &'a str,
    /// Where the blanked comments were: the spaces left there are not the
    /// writer's.
    comments: &'a [Range<usize>],
    /// The keys citations may name; `None`: no citations are recognised.
    keys: Option<&'a KeyCheck<'a>>,
    /// Consecutive text events not yet placed, with their ranges: a
    /// citation may span several (`[`, `@a, p. 12`, `]`).
    pending: Vec<(String, Range<usize>)>,
    stack: Vec<Frame>,
    root: Frame,
    notes: BTreeMap<String, Vec<Block>>,
    notices: Vec<(Range<usize>, Notice)>,
    /// The level the last heading was set at, so levels never skip.
    last_heading: u8,
    /// How many containers that nest (quotes, lists, tables, emphasis,
    /// links) are open and not set flat.
    depth: usize,
    /// Which Markdown is read.
    flavour: Flavour,
    /// The blocks that carry a block id (Obsidian).
    anchors: BTreeMap<String, Block>,
    /// Where the HTML block being read is.
    html_at: Range<usize>,
}

#[derive(Default)]
struct Frame {
    kind: FrameKind,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
}

#[derive(Default)]
enum FrameKind {
    #[default]
    Root,
    Para,
    Heading(u8),
    Quote,
    Code(Option<String>, String),
    Html(String),
    List {
        start: Option<u64>,
        items: Vec<Item>,
        loose: bool,
    },
    Item {
        task: Option<bool>,
        paragraphs: bool,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
        range: Range<usize>,
    },
    Cell,
    Emph,
    Strong,
    Strike,
    Link(String),
    /// An image: its destination, range, alt text, and whether it was
    /// written as an Obsidian embed (`![[map.png|300]]`).
    Image(String, Range<usize>, String, Option<bool>),
    Note(String),
    /// An Obsidian callout; `title` is `None` while its header line is
    /// being read.
    Callout {
        callout: String,
        marker: String,
        title: Option<Vec<Inline>>,
    },
    /// A wikilink or a note's embed: its target, whether a label was
    /// written, whether it is an embed.
    Xref(String, bool, bool, Range<usize>),
    /// An inline HTML element Obsidian renders (`<u>`), open.
    Tag(String),
    /// A container past [`MAX_NESTING`]: its content goes to its parent.
    Flat,
}

impl FrameKind {
    /// Whether this frame holds a level of inline content (where
    /// Obsidian's highlights, inline footnotes and tags are read).
    fn holds_text(&self) -> bool {
        matches!(
            self,
            FrameKind::Para
                | FrameKind::Heading(_)
                | FrameKind::Cell
                | FrameKind::Item { .. }
                | FrameKind::Emph
                | FrameKind::Strong
                | FrameKind::Strike
                | FrameKind::Link(_)
                | FrameKind::Tag(_)
        )
    }

    /// Whether this container counts toward [`MAX_NESTING`].
    fn nests(&self) -> bool {
        matches!(
            self,
            FrameKind::Quote
                | FrameKind::List { .. }
                | FrameKind::Table { .. }
                | FrameKind::Emph
                | FrameKind::Strong
                | FrameKind::Strike
                | FrameKind::Link(_)
                | FrameKind::Callout { .. }
                | FrameKind::Xref(..)
                | FrameKind::Tag(_)
        )
    }
}

impl Builder<'_> {
    fn top(&mut self) -> &mut Frame {
        self.stack.last_mut().unwrap_or(&mut self.root)
    }

    fn push(&mut self, kind: FrameKind) {
        self.depth += kind.nests() as usize;
        self.stack.push(Frame { kind, ..Frame::default() });
    }

    /// Adds a block to the innermost block container, first turning any
    /// loose inline content (a tight list item's text) into a paragraph.
    fn block(&mut self, block: Block) {
        let top = self.top();
        flush(top);
        top.blocks.push(block);
    }

    fn inline(&mut self, inline: Inline) {
        let top = self.top();
        if let FrameKind::Image(_, _, alt, _) = &mut top.kind {
            alt.push_str(&plain_inline(&inline));
            return;
        }
        match (top.inlines.last_mut(), inline) {
            (Some(Inline::Text { t }), Inline::Text { t: more }) => t.push_str(&more),
            (_, inline) => top.inlines.push(inline),
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.top().kind {
            FrameKind::Code(_, code) | FrameKind::Html(code) => code.push_str(text),
            _ => self.inline(Inline::Text { t: text.to_string() }),
        }
    }

    /// Text to place once the run it belongs to is complete.
    fn pend(&mut self, text: &str, range: Range<usize>) {
        if self.keys.is_none()
            || matches!(self.top().kind, FrameKind::Code(..) | FrameKind::Html(_))
        {
            return self.text(text);
        }
        self.pending.push((text.to_string(), range));
    }

    /// Places the pending run of text, its citations as [`Inline::Cite`]s.
    fn flush_text(&mut self) {
        let pending = mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        let Some(keys) = self.keys else { return };
        let text: String = pending.iter().map(|(t, _)| t.as_str()).collect();
        // Where a byte of the run was written in the source.
        let mut starts = Vec::with_capacity(pending.len());
        let mut at = 0;
        for (t, range) in &pending {
            starts.push((at, range.clone()));
            at += t.len();
        }
        let source_at = |pos: usize| {
            let (run, range) = starts.iter().rev().find(|(s, _)| *s <= pos).unwrap();
            (range.start + (pos - run)).min(range.end)
        };
        let escaped = escapes(self.source, &pending);
        for piece in pieces(&text, &escaped) {
            match piece {
                Piece::Text(r) => self.text(&text[r]),
                Piece::Cite { range, items, bracketed } => {
                    let unknown: Vec<_> = items.iter().filter(|(i, _)| !keys(&i.key)).collect();
                    for (item, r) in &unknown {
                        let r = source_at(r.start)..source_at(r.end);
                        self.notices
                            .push((r, Notice::UnknownCitation(item.key.clone(), bracketed)));
                    }
                    if !bracketed && !unknown.is_empty() {
                        self.text(&text[range]);
                        continue;
                    }
                    let items = items.into_iter().map(|(i, _)| i).collect();
                    self.inline(Inline::Cite {
                        items,
                        written: text[range].to_string(),
                        shown: Vec::new(),
                    });
                }
            }
        }
    }

    /// Whether `range` holds or borders a blanked comment.
    fn touches_comment(&self, range: &Range<usize>) -> bool {
        self.comments.iter().any(|c| c.start <= range.end && range.start <= c.end)
    }

    /// The pieces of a text event as written around the comments blanked
    /// in it, each with its range, and whether it follows a comment; none
    /// if it holds none (or is not the text as written).
    fn written_around_comments(
        &self,
        text: &str,
        range: &Range<usize>,
    ) -> Option<Vec<(Range<usize>, bool)>> {
        let inside: Vec<&Range<usize>> =
            self.comments.iter().filter(|c| c.start < range.end && range.start < c.end).collect();
        let in_code = matches!(self.stack.last().map(|f| &f.kind), Some(FrameKind::Code(..)));
        if inside.is_empty() || in_code || self.source.get(range.clone()) != Some(text) {
            return None;
        }
        let mut parts = Vec::new();
        let (mut at, mut after) = (range.start, false);
        for c in inside {
            if c.start > at {
                parts.push((at..c.start, after));
            }
            at = at.max(c.end);
            after = true;
        }
        if at < range.end {
            parts.push((at..range.end, after));
        }
        Some(parts)
    }

    /// Pends the pieces of a text written around comments: where a comment
    /// was between two spaces, one is kept.
    fn pend_parts(&mut self, parts: Vec<(Range<usize>, bool)>) {
        for (mut range, after_comment) in parts {
            if after_comment && self.ends_in_space() {
                let text = &self.source[range.clone()];
                range.start += text.len() - text.trim_start().len();
            }
            if !range.is_empty() {
                let text = self.source[range.clone()].to_string();
                self.pend(&text, range);
            }
        }
    }

    /// Whether the text placed last ends in a space (or nothing is placed
    /// yet in the block): a comment's place then adds none.
    fn ends_in_space(&mut self) -> bool {
        if let Some((text, _)) = self.pending.last() {
            return text.ends_with(char::is_whitespace);
        }
        match self.top().inlines.last() {
            None => true,
            Some(Inline::Text { t }) => t.ends_with(char::is_whitespace),
            Some(Inline::Break) => true,
            Some(_) => false,
        }
    }

    /// Raw HTML as written, without the comments blanked in it.
    fn without_comments<'h>(
        &self,
        html: &'h str,
        range: &Range<usize>,
    ) -> std::borrow::Cow<'h, str> {
        let written = self.source.get(range.clone()) == Some(html);
        if !written || !self.comments.iter().any(|c| c.start < range.end && range.start < c.end) {
            return std::borrow::Cow::Borrowed(html);
        }
        let kept = html.char_indices().filter(|(i, ch)| {
            let at = range.start + i;
            *ch == '\n' || !self.comments.iter().any(|c| c.contains(&at))
        });
        std::borrow::Cow::Owned(kept.map(|(_, ch)| ch).collect())
    }

    /// A block quote at `range` that opens with a callout's header, in
    /// Obsidian's flavour: its kind and marker.
    fn callout(&self, range: &Range<usize>) -> Option<(String, String)> {
        if self.flavour != Flavour::Obsidian {
            return None;
        }
        obsidian::callout_marker(self.source.get(range.clone())?)
    }

    /// Whether the innermost frame is a paragraph that opens a callout
    /// whose header line is being read.
    fn in_callout_header(&self) -> bool {
        matches!(self.stack.last().map(|f| &f.kind), Some(FrameKind::Para))
            && self.in_callout_header_of_parent()
    }

    /// Whether the frame under the innermost one (the paragraph's parent,
    /// once the paragraph is popped: the innermost) is a callout without
    /// its title yet.
    fn in_callout_header_of_parent(&self) -> bool {
        let parent = match self.stack.last().map(|f| &f.kind) {
            Some(FrameKind::Para) => self.stack.iter().rev().nth(1),
            _ => self.stack.last(),
        };
        matches!(parent.map(|f| &f.kind), Some(FrameKind::Callout { title: None, .. }))
    }

    /// The end of a callout's header line: what the paragraph holds so
    /// far is the title; the rest of it is the callout's first paragraph.
    fn end_callout_header(&mut self) {
        self.flush_text();
        let inlines = mem::take(&mut self.top().inlines);
        let para = self.stack.pop().expect("in a paragraph");
        self.set_callout_title(inlines);
        self.stack.push(para);
    }

    /// Sets the innermost callout's title from its header's inlines.
    fn set_callout_title(&mut self, mut inlines: Vec<Inline>) {
        if let FrameKind::Callout { marker, title, .. } = &mut self.top().kind {
            obsidian::strip_marker(&mut inlines, marker);
            *title = Some(inlines);
        }
    }

    /// A paragraph of Obsidian's flavour: a block id at its end (or alone)
    /// marks it (or the block before it).
    fn para(&mut self, mut c: Vec<Inline>) {
        let id = obsidian::take_block_id(&mut c);
        if c.is_empty() {
            let before = self.top().blocks.last().cloned();
            if let (Some(id), Some(block)) = (id, before) {
                self.anchors.insert(id, block);
            }
            return;
        }
        let block = Block::Para { c };
        if let Some(id) = id {
            self.anchors.insert(id, block.clone());
        }
        self.block(block);
    }

    /// TeX math, converted to Typst math; printed as written, with a
    /// warning, if it does not convert (or outside Obsidian's flavour,
    /// where `$` is text).
    fn math(&mut self, tex: &str, display: bool, range: Range<usize>) {
        // Without a math font (Typst sets math only in a font with a MATH
        // table), a converted formula would be printed as its TeX too.
        let converted = super::math::convert(tex).and_then(|typst| match super::math::TYPESET {
            true => Ok(typst),
            false => Err("brief ships no math font yet".to_string()),
        });
        match converted {
            Ok(typst) => {
                let tex = tex.to_string();
                self.inline(Inline::Math { tex, typst, display })
            }
            Err(why) => {
                let fence = if display { "$$" } else { "$" };
                self.text(&format!("{fence}{tex}{fence}"));
                let why = format!("this formula is printed as its TeX: {why}");
                self.notices.push((range, Notice::Unfaithful(why)));
            }
        }
    }

    /// An inline HTML tag in Obsidian's flavour: the elements Obsidian
    /// renders are set, the rest printed as their text (with a warning).
    fn inline_html(&mut self, html: &str, range: Range<usize>) {
        let Some(tag) = obsidian::html_tag(html) else {
            let html = self.without_comments(html, &range).into_owned();
            return self.text(&html);
        };
        if obsidian::html_kind(&tag.name) == HtmlKind::Unsupported && !tag.closing {
            let why = format!("brief does not set HTML's `<{}>`: its text is printed", tag.name);
            self.notices.push((range, Notice::Unfaithful(why)));
        }
        if tag.name == "br" {
            return self.inline(Inline::Break);
        }
        if tag.closing {
            if matches!(self.stack.last().map(|f| &f.kind), Some(FrameKind::Tag(n)) if *n == tag.name)
            {
                self.close_tag();
            }
            return;
        }
        if !tag.empty && self.depth < MAX_NESTING {
            self.push(FrameKind::Tag(tag.name));
        }
    }

    /// Closes the innermost inline HTML element.
    fn close_tag(&mut self) {
        self.flush_text();
        let Some(mut frame) = self.stack.pop() else { return };
        self.depth -= frame.kind.nests() as usize;
        if let FrameKind::Tag(name) = frame.kind {
            let inlines = obsidian::sugar(mem::take(&mut frame.inlines));
            for inline in obsidian::wrap_html(&name, inlines) {
                self.inline(inline);
            }
        }
    }

    /// An HTML block in Obsidian's flavour: its text, as Obsidian shows it
    /// without a style sheet (tags dropped, `<br>` a line break).
    fn html_block(&mut self, html: &str, range: Range<usize>) {
        let html = self.without_comments(html, &range).into_owned();
        let (inlines, unsupported) = obsidian::html_block_text(&html);
        for name in unsupported {
            let why = format!("brief does not set HTML's `<{name}>`: its text is printed");
            self.notices.push((range.clone(), Notice::Unfaithful(why)));
        }
        if inlines.is_empty() {
            return;
        }
        self.block(Block::Para { c: inlines });
    }

    fn event(&mut self, event: Event, range: Range<usize>, resolve_image: &mut ImageResolver) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, resolve_image),
            Event::Text(text) => match self.written_around_comments(&text, &range) {
                Some(parts) => self.pend_parts(parts),
                None => self.pend(&text, range),
            },
            Event::Code(code) => self.inline(Inline::Code { t: code.to_string() }),
            Event::InlineMath(t) => self.math(&t, false, range),
            Event::DisplayMath(t) => self.math(&t, true, range),
            Event::Html(html)
                if self.flavour == Flavour::Obsidian
                    && !matches!(self.top().kind, FrameKind::Html(_)) =>
            {
                self.html_block(&html, range)
            }
            Event::InlineHtml(html) if self.flavour == Flavour::Obsidian => {
                self.inline_html(&html, range)
            }
            Event::SoftBreak if self.in_callout_header() => self.end_callout_header(),
            Event::Html(html) => {
                let html = self.without_comments(&html, &range);
                match &mut self.top().kind {
                    FrameKind::Html(text) => text.push_str(&html),
                    _ => self.block(Block::Html { text: html.into_owned() }),
                }
            }
            Event::InlineHtml(html) => {
                let html = self.without_comments(&html, &range);
                self.text(&html)
            }
            Event::FootnoteReference(label) => self.inline(Inline::NoteRef(label.to_string())),
            Event::SoftBreak => self.pend(" ", range),
            // The spaces of a comment blanked at a line's end are not a
            // hard break.
            Event::HardBreak if self.touches_comment(&range) => self.pend(" ", range),
            Event::HardBreak => self.inline(Inline::Break),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(checked) => {
                // In a loose list the marker comes inside the item's first
                // paragraph.
                let item = self.stack.iter_mut().rev().find_map(|f| match &mut f.kind {
                    FrameKind::Item { task, .. } => Some(task),
                    _ => None,
                });
                if let Some(task) = item {
                    *task = Some(checked);
                }
            }
        }
    }

    /// Whether a new container would nest too deep (then it is set flat).
    fn too_deep(&mut self, range: &Range<usize>) -> bool {
        let deep = self.depth >= MAX_NESTING || matches!(self.top().kind, FrameKind::Flat);
        if deep && !self.notices.iter().any(|(_, n)| *n == Notice::TooDeep) {
            self.notices.push((range.clone(), Notice::TooDeep));
        }
        deep
    }

    /// The frame an Obsidian construct opens (a callout, a wikilink or
    /// embed, a plugin's fence), or `None` for CommonMark's own.
    fn obsidian_start(&mut self, tag: &Tag, range: &Range<usize>) -> Option<FrameKind> {
        if self.flavour != Flavour::Obsidian {
            return None;
        }
        let range = range.clone();
        Some(match tag.clone() {
            Tag::BlockQuote(_) => {
                let (callout, marker) = self.callout(&range)?;
                FrameKind::Callout { callout, marker, title: None }
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info))
                if info
                    .split_whitespace()
                    .next()
                    .is_some_and(|l| obsidian::PLUGIN_FENCES.contains(&l)) =>
            {
                let lang = info.split_whitespace().next().unwrap_or_default().to_string();
                let why = format!(
                    "a `{lang}` block is drawn by an Obsidian plugin: brief prints its code"
                );
                self.notices.push((range.start..range.start + 3, Notice::Unfaithful(why)));
                FrameKind::Code(Some(lang), String::new())
            }
            Tag::Link { link_type: LinkType::WikiLink { has_pothole }, dest_url, .. } => {
                FrameKind::Xref(dest_url.to_string(), has_pothole, false, range)
            }
            Tag::Image { link_type: LinkType::WikiLink { has_pothole }, dest_url, .. }
                if !obsidian::is_image(&dest_url) =>
            {
                FrameKind::Xref(dest_url.to_string(), has_pothole, true, range)
            }
            Tag::Image { link_type: LinkType::WikiLink { has_pothole }, dest_url, .. } => {
                // The text after `|` is read as width and alt text.
                FrameKind::Image(dest_url.to_string(), range, String::new(), Some(has_pothole))
            }
            _ => return None,
        })
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        let nests = matches!(
            tag,
            Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
        );
        // An item or cell belongs to a list or table that was set flat.
        let orphan =
            matches!(tag, Tag::Item | Tag::TableCell) && matches!(self.top().kind, FrameKind::Flat);
        if orphan || nests && self.too_deep(&range) {
            self.push(FrameKind::Flat);
            return;
        }
        if let Some(kind) = self.obsidian_start(&tag, &range) {
            return self.push(kind);
        }
        let kind = match tag {
            Tag::Paragraph => {
                if let FrameKind::Item { paragraphs, .. } = &mut self.top().kind {
                    *paragraphs = true;
                }
                FrameKind::Para
            }
            Tag::Heading { level, .. } => FrameKind::Heading(heading_level(level)),
            Tag::BlockQuote(_) => FrameKind::Quote,
            Tag::CodeBlock(kind) => FrameKind::Code(
                match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                },
                String::new(),
            ),
            Tag::HtmlBlock => {
                self.html_at = range;
                FrameKind::Html(String::new())
            }
            Tag::List(start) => FrameKind::List { start, items: Vec::new(), loose: false },
            Tag::Item => FrameKind::Item { task: None, paragraphs: false },
            Tag::FootnoteDefinition(label) => FrameKind::Note(label.to_string()),
            Tag::Table(align) => FrameKind::Table {
                align: align.into_iter().map(alignment).collect(),
                head: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
                range: range.start..range.start + 1,
            },
            Tag::TableHead | Tag::TableRow => return,
            Tag::TableCell => FrameKind::Cell,
            Tag::Emphasis => FrameKind::Emph,
            Tag::Strong => FrameKind::Strong,
            Tag::Strikethrough => FrameKind::Strike,
            Tag::Link { link_type, dest_url, .. } => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if is_live(&url) {
                    FrameKind::Link(url)
                } else {
                    self.notices.push((range, Notice::NotLive(url)));
                    // Printed as its text, never as a live action.
                    FrameKind::Link(String::new())
                }
            }
            Tag::Image { dest_url, .. } => {
                FrameKind::Image(dest_url.to_string(), range, String::new(), None)
            }
            // Not enabled in `options()`; keep their content as plain blocks.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
            | Tag::Superscript
            | Tag::Subscript => FrameKind::Quote,
        };
        self.push(kind);
    }

    /// Ends a frame of Obsidian's constructs (and a paragraph in its
    /// flavour); gives back any other.
    fn end_obsidian(&mut self, kind: FrameKind, frame: &mut Frame) -> Option<FrameKind> {
        match kind {
            FrameKind::Para if self.in_callout_header_of_parent() => {
                self.set_callout_title(mem::take(&mut frame.inlines));
            }
            FrameKind::Para if self.flavour == Flavour::Obsidian => {
                self.para(mem::take(&mut frame.inlines))
            }
            FrameKind::Callout { callout, title, .. } => {
                flush(frame);
                let title = title
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| vec![Inline::Text { t: obsidian::default_title(&callout) }]);
                self.block(Block::Callout { callout, title, c: mem::take(&mut frame.blocks) })
            }
            FrameKind::Xref(target, own, embed, at) => {
                let c = if own {
                    mem::take(&mut frame.inlines)
                } else {
                    vec![Inline::Text { t: obsidian::target_text(&target) }]
                };
                self.inline(Inline::Xref { id: None, c, target, own, embed, at })
            }
            FrameKind::Tag(name) => {
                for inline in obsidian::wrap_html(&name, mem::take(&mut frame.inlines)) {
                    self.inline(inline);
                }
            }
            FrameKind::Html(text) if self.flavour == Flavour::Obsidian => {
                let at = self.html_at.clone();
                self.html_block(&text, at)
            }
            FrameKind::Item { task, paragraphs } if self.flavour == Flavour::Obsidian => {
                if let Some(id) = obsidian::take_block_id(&mut frame.inlines) {
                    let c = frame.inlines.clone();
                    self.anchors.insert(id, Block::Para { c });
                }
                return Some(FrameKind::Item { task, paragraphs });
            }
            other => return Some(other),
        }
        None
    }

    /// An image: resolved, its alt text (and, for an Obsidian embed, its
    /// width) read.
    fn end_image(
        &mut self,
        url: String,
        range: Range<usize>,
        mut alt: String,
        wiki: Option<bool>,
        resolve_image: &mut ImageResolver,
    ) {
        let src = resolve_image(&url, range.clone());
        let mut width = None;
        if let Some(pothole) = wiki {
            (alt, width) = obsidian::image_label(if pothole { &alt } else { "" });
        }
        if alt.trim().is_empty() {
            // Every image has a text equivalent (PDF/UA needs one).
            alt = url.rsplit(['/', '\\']).next().unwrap_or(&url).to_string();
            self.notices.push((range, Notice::NoAlt(url)));
        }
        self.inline(Inline::Image { src, alt, width })
    }

    fn end(&mut self, tag: TagEnd, resolve_image: &mut ImageResolver) {
        if matches!(tag, TagEnd::TableHead | TagEnd::TableRow) {
            if let FrameKind::Table { head, rows, row, .. } = &mut self.top().kind {
                let cells = mem::take(row);
                if tag == TagEnd::TableHead { *head = cells } else { rows.push(cells) }
            }
            return;
        }
        // An inline HTML element still open when its container ends.
        while matches!(self.stack.last().map(|f| &f.kind), Some(FrameKind::Tag(_))) {
            self.close_tag();
        }
        let Some(mut frame) = self.stack.pop() else { return };
        self.depth -= frame.kind.nests() as usize;
        if self.flavour == Flavour::Obsidian && frame.kind.holds_text() {
            frame.inlines = obsidian::sugar(mem::take(&mut frame.inlines));
        }
        let Some(kind) = self.end_obsidian(mem::take(&mut frame.kind), &mut frame) else {
            return;
        };
        match kind {
            FrameKind::Para => self.block(Block::Para { c: frame.inlines }),
            FrameKind::Heading(level) => {
                // A heading never skips a level (PDF/UA requires it, and a
                // reader expects it): `#` then `###` becomes 1 then 2.
                let level = level.min(self.last_heading + 1);
                self.last_heading = level;
                self.block(Block::Heading { level, c: frame.inlines })
            }
            FrameKind::Flat => {
                for block in frame.blocks {
                    self.block(block);
                }
                for inline in frame.inlines {
                    self.inline(inline);
                }
            }
            FrameKind::Quote => {
                flush(&mut frame);
                self.block(Block::Quote { c: frame.blocks })
            }
            FrameKind::Code(lang, text) => self.block(Block::Code { lang, text }),
            FrameKind::Html(text) => self.block(Block::Html { text }),
            FrameKind::List { start, items, loose } => {
                self.block(Block::List { start, tight: !loose, items })
            }
            FrameKind::Item { task, paragraphs } => {
                flush(&mut frame);
                if let FrameKind::List { items, loose, .. } = &mut self.top().kind {
                    *loose |= paragraphs;
                    items.push(Item { task, c: frame.blocks });
                }
            }
            FrameKind::Note(label) => {
                flush(&mut frame);
                self.notes.entry(label).or_insert(frame.blocks);
            }
            FrameKind::Table { align, head, mut rows, range, .. } => {
                // GFM: a row has as many cells as the header; missing ones
                // are empty, excess ones are ignored.
                rows.iter_mut().for_each(|row| row.resize(head.len(), Vec::new()));
                let scale = table_scale(&head, &rows);
                if scale < MIN_TABLE_SCALE {
                    let percent = (scale * 100.0).round() as usize;
                    self.notices.push((range, Notice::TableTooWide(percent)));
                }
                self.block(Block::Table { align, head, rows })
            }
            FrameKind::Cell => {
                if let FrameKind::Table { row, .. } = &mut self.top().kind {
                    row.push(frame.inlines);
                }
            }
            FrameKind::Emph => self.inline(Inline::Emph { c: frame.inlines }),
            FrameKind::Strong => self.inline(Inline::Strong { c: frame.inlines }),
            FrameKind::Strike => self.inline(Inline::Strike { c: frame.inlines }),
            FrameKind::Link(url) => self.inline(Inline::Link { url, c: frame.inlines }),
            FrameKind::Image(url, range, alt, wiki) => {
                self.end_image(url, range, alt, wiki, resolve_image)
            }
            // Ended by `end_obsidian`.
            FrameKind::Root
            | FrameKind::Callout { .. }
            | FrameKind::Xref(..)
            | FrameKind::Tag(_) => {}
        }
    }

    fn finish(mut self) -> Vec<Block> {
        // Unbalanced events do not happen with pulldown-cmark; close
        // defensively rather than lose text.
        while let Some(mut frame) = self.stack.pop() {
            flush(&mut frame);
            self.root.blocks.append(&mut frame.blocks);
        }
        flush(&mut self.root);
        let notes = mem::take(&mut self.notes);
        let mut blocks = self.root.blocks;
        resolve_notes(&mut blocks, &notes);
        blocks
    }
}

/// Below this, a table's type would be too small to read (about 5.5 pt):
/// a warning says so. The templates shrink a table by the same estimate's
/// measure (see templates/markdown.typ), so nothing overprints either way.
pub const MIN_TABLE_SCALE: f64 = 0.65;

/// The fraction of its size a table's type must be set at for every
/// column to hold its widest word within the narrowest text block the
/// books use (A4, 163 mm), estimated from character counts: a character is
/// taken as 0.55 em of 8.5 pt type, a cell's padding as 10 pt, and runs of
/// 28 or more characters (which may break anywhere) as nothing.
fn table_scale(head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> f64 {
    const TEXT_BLOCK_PT: f64 = 462.0;
    const CHAR_PT: f64 = 0.55 * 8.5;
    const PADDING_PT: f64 = 10.0;
    let widest = |cell: &[Inline]| {
        plain_inlines(cell)
            .split_whitespace()
            .map(|w| w.chars().count())
            .filter(|&n| n < 28)
            .max()
            .unwrap_or(0)
    };
    let need: f64 = (0..head.len())
        .map(|c| {
            let chars = std::iter::once(&head[c])
                .chain(rows.iter().map(|r| &r[c]))
                .map(|cell| widest(cell))
                .max()
                .unwrap_or(0);
            chars as f64 * CHAR_PT + PADDING_PT
        })
        .sum();
    if need <= TEXT_BLOCK_PT { 1.0 } else { TEXT_BLOCK_PT / need }
}

/// Whether a link destination is of a scheme that may be live.
fn is_live(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    scheme.is_some_and(|s| LIVE_SCHEMES.contains(&s.as_str()))
}

/// Turns a frame's pending inline content into a paragraph.
fn flush(frame: &mut Frame) {
    if !frame.inlines.is_empty() {
        let c = mem::take(&mut frame.inlines);
        frame.blocks.push(Block::Para { c });
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(align: Alignment) -> Align {
    match align {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// Replaces footnote references with their definitions' content. A footnote
/// referenced inside a footnote is shown as its label, so a note that cites
/// itself cannot recurse.
fn resolve_notes(blocks: &mut [Block], notes: &BTreeMap<String, Vec<Block>>) {
    let label = |label: &str| Inline::Text { t: format!("[{label}]") };
    each_inline(blocks, &mut |inline| {
        let Inline::NoteRef(name) = inline else { return };
        *inline = match notes.get(name.as_str()) {
            Some(content) => {
                let mut c = content.clone();
                each_inline(&mut c, &mut |inner| {
                    if let Inline::NoteRef(name) = inner {
                        *inner = label(name);
                    }
                });
                Inline::Note { c }
            }
            None => label(name),
        };
    });
}

/// The text of blocks with all markup dropped, blocks separated by newlines.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut out = Vec::new();
    for block in blocks {
        out.push(match block {
            Block::Para { c } | Block::Heading { c, .. } => plain_inlines(c),
            Block::Quote { c } => plain_text(c),
            Block::Callout { title, c, .. } => {
                format!("{}\n{}", plain_inlines(title), plain_text(c))
            }
            Block::Embed { title, c, .. } => format!("{title}\n{}", plain_text(c)),
            Block::Code { text, .. } | Block::Html { text } => {
                text.trim_end_matches('\n').to_string()
            }
            Block::List { items, .. } => {
                items.iter().map(|i| plain_text(&i.c)).collect::<Vec<_>>().join("\n")
            }
            Block::Table { head, rows, .. } => std::iter::once(head)
                .chain(rows)
                .map(|row| row.iter().map(|c| plain_inlines(c)).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Rule => continue,
        });
    }
    out.join("\n")
}

/// The text of inline content with markup dropped.
pub fn plain_inlines(inlines: &[Inline]) -> String {
    inlines.iter().map(plain_inline).collect()
}

fn plain_inline(inline: &Inline) -> String {
    match inline {
        Inline::Text { t } | Inline::Code { t } => t.clone(),
        Inline::Emph { c }
        | Inline::Strong { c }
        | Inline::Strike { c }
        | Inline::Link { c, .. }
        | Inline::Xref { c, .. }
        | Inline::Mark { c }
        | Inline::Underline { c }
        | Inline::Sub { c }
        | Inline::Super { c }
        | Inline::Kbd { c } => plain_inlines(c),
        Inline::Math { tex, .. } => tex.clone(),
        Inline::Image { alt, .. } => alt.clone(),
        Inline::Note { c } => plain_text(c),
        Inline::Break => "\n".to_string(),
        Inline::NoteRef(label) => format!("[{label}]"),
        Inline::Cite { written, .. } => written.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn must_convert(md: &str) -> Vec<Block> {
        convert(md, &mut |_, _| None)
    }

    fn text(t: &str) -> Inline {
        Inline::Text { t: t.to_string() }
    }

    #[test]
    fn hostile_text_stays_literal_text() {
        let md = "#import \"x.typ\": * $ @label <tag> \\\\ #read(\"/etc/passwd\") ]] [[ // /* ڈیورنڈ لائن";
        let blocks = must_convert(md);
        // `\\` is Markdown for one backslash; quotes become typographic;
        // everything else is kept as is.
        assert_eq!(
            plain_text(&blocks),
            "#import “x.typ”: * $ @label <tag> \\ #read(“/etc/passwd”) ]] [[ // /* ڈیورنڈ لائن"
        );
        assert!(matches!(&blocks[..], [Block::Para { c }] if c.len() == 1));
    }

    #[test]
    fn emphasis_links_and_code_nest() {
        let blocks =
            must_convert("A **bold _and_ it** [link `x`](https://e.org/?a=1&b=2) <me@x.org>");
        let Block::Para { c } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(c[0], text("A "));
        assert_eq!(
            c[1],
            Inline::Strong {
                c: vec![text("bold "), Inline::Emph { c: vec![text("and")] }, text(" it")]
            }
        );
        assert_eq!(
            c[3],
            Inline::Link {
                url: "https://e.org/?a=1&b=2".into(),
                c: vec![text("link "), Inline::Code { t: "x".into() }]
            }
        );
        assert!(matches!(&c[5], Inline::Link { url, .. } if url == "mailto:me@x.org"));
    }

    #[test]
    fn tight_and_loose_lists_keep_start_and_tasks() {
        let blocks = must_convert("3. one\n4. two\n   - nested\n");
        let Block::List { start, tight, items } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!((*start, *tight, items.len()), (Some(3), true, 2));
        assert!(matches!(&items[1].c[..], [Block::Para { .. }, Block::List { start: None, .. }]));

        let blocks = must_convert("- [x] done\n\n- [ ] open\n");
        let Block::List { tight, items, .. } = &blocks[0] else { panic!("{blocks:?}") };
        assert!(!tight);
        assert_eq!((items[0].task, items[1].task), (Some(true), Some(false)));
        assert_eq!(plain_text(&items[1].c), "open");
    }

    #[test]
    fn tables_keep_alignment_header_and_rows() {
        let blocks = must_convert("| a | b |\n|:--|--:|\n| 1 | *2* |\n");
        let Block::Table { align, head, rows } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(align, &[Align::Left, Align::Right]);
        assert_eq!(head, &[vec![text("a")], vec![text("b")]]);
        assert_eq!(rows[0][1], vec![Inline::Emph { c: vec![text("2")] }]);
    }

    #[test]
    fn footnotes_carry_their_definition_and_cannot_recurse() {
        let blocks =
            must_convert("Claim.[^1] Again.[^self]\n\n[^1]: The source.\n\n[^self]: Me[^self].\n");
        let Block::Para { c } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(c[1], Inline::Note { c: vec![Block::Para { c: vec![text("The source.")] }] });
        assert_eq!(
            c[3],
            Inline::Note {
                c: vec![Block::Para { c: vec![text("Me"), text("[self]"), text(".")] }]
            }
        );
        assert_eq!(blocks.len(), 1, "definitions are not body blocks");
    }

    #[test]
    fn heading_levels_never_skip() {
        let levels = |md: &str| -> Vec<u8> {
            must_convert(md)
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { level, .. } => Some(*level),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(levels("# A\n\n### B\n\n#### C\n\n# D\n\n## E\n"), [1, 2, 3, 1, 2]);
        assert_eq!(levels("### Only\n"), [1]);
    }

    #[test]
    fn quotes_dashes_and_ellipses_are_typographic_but_code_is_literal() {
        let blocks =
            must_convert("\"Yes\" -- it's done... `\"raw\" --x`\n\n```\n\"a\" -- b\n```\n");
        assert_eq!(plain_text(&blocks), "“Yes” – it’s done… \"raw\" --x\n\"a\" -- b");
    }

    #[test]
    fn only_web_and_mail_links_are_live() {
        let (blocks, notices) = convert_noting(
            "[a](https://x.org) [b](javascript:alert(1)) [c](file:///etc/passwd) <me@x.org> [d](notes.md)",
            &mut |_, _| None,
        );
        let Block::Para { c } = &blocks[0] else { panic!() };
        let urls: Vec<&str> = c
            .iter()
            .filter_map(|i| match i {
                Inline::Link { url, .. } => Some(url.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(urls, ["https://x.org", "", "", "mailto:me@x.org", ""]);
        let refused: Vec<&Notice> = notices.iter().map(|(_, n)| n).collect();
        assert_eq!(
            refused,
            [
                &Notice::NotLive("javascript:alert(1)".into()),
                &Notice::NotLive("file:///etc/passwd".into()),
                &Notice::NotLive("notes.md".into())
            ]
        );
        assert_eq!(plain_text(&blocks), "a b c me@x.org d");
    }

    #[test]
    fn a_table_too_wide_to_read_is_noticed() {
        let row = |n: usize| {
            format!("|{}\n", (0..n).map(|i| format!(" {:05} |", i * 1111)).collect::<String>())
        };
        let table = |n: usize| format!("{}|{}\n{}", row(n), " --- |".repeat(n), row(n));
        let (_, notices) = convert_noting(&table(8), &mut |_, _| None);
        assert!(notices.is_empty(), "8 columns of figures fit: {notices:?}");
        let (_, notices) = convert_noting(&table(30), &mut |_, _| None);
        assert!(matches!(notices[..], [(_, Notice::TableTooWide(p))] if p < 65), "{notices:?}");
    }

    #[test]
    fn deep_nesting_is_set_flat_and_keeps_its_text() {
        fn depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::Quote { c } => 1 + depth(c),
                    Block::List { items, .. } => {
                        1 + items.iter().map(|i| depth(&i.c)).max().unwrap_or(0)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        for md in [
            format!("{} deep", ">".repeat(40_000)),
            (0..18).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect::<String>(),
            format!("{}x{}", "*".repeat(60), "*".repeat(60)),
        ] {
            let (blocks, notices) = convert_noting(&md, &mut |_, _| None);
            assert!(depth(&blocks) <= MAX_NESTING, "{}", depth(&blocks));
            assert!(serde_json::to_string(&blocks).is_ok());
            assert!(notices.iter().filter(|(_, n)| *n == Notice::TooDeep).count() <= 1);
        }
        let (blocks, notices) =
            convert_noting(&format!("{} deep", ">".repeat(30)), &mut |_, _| None);
        assert_eq!(plain_text(&blocks), "deep");
        assert_eq!(notices.len(), 1);
        let list: String = (0..18).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
        let text = plain_text(&must_convert(&list));
        assert!((0..18).all(|i| text.contains(&format!("level {i}"))), "{text}");
    }

    #[test]
    fn code_html_headings_quotes_and_rules() {
        let md = "## Sub\n\n> quoted\n\n```rust ignore\nfn x() {}\n```\n\n<div>raw & <b>html</b></div>\n\n---\n";
        let blocks = must_convert(md);
        // The first heading is level 1 below the finding, whatever its marks.
        assert_eq!(blocks[0], Block::Heading { level: 1, c: vec![text("Sub")] });
        assert!(matches!(&blocks[1], Block::Quote { c } if plain_text(c) == "quoted"));
        assert_eq!(
            blocks[2],
            Block::Code { lang: Some("rust".into()), text: "fn x() {}\n".into() }
        );
        assert_eq!(blocks[3], Block::Html { text: "<div>raw & <b>html</b></div>\n".into() });
        assert_eq!(blocks[4], Block::Rule);
    }

    #[test]
    fn images_go_through_the_resolver_with_their_range() {
        let md = "See ![a *map*](maps/x.png).";
        let mut seen = Vec::new();
        let blocks = convert(md, &mut |url, range| {
            seen.push((url.to_string(), range));
            Some("/corpus/maps/x.png".into())
        });
        assert_eq!(seen, [("maps/x.png".to_string(), 4..26)]);
        let Block::Para { c } = &blocks[0] else { panic!() };
        assert_eq!(
            c[1],
            Inline::Image {
                src: Some("/corpus/maps/x.png".into()),
                alt: "a map".into(),
                width: None
            }
        );
    }

    #[test]
    fn breaks_and_entities() {
        let blocks = must_convert("a  \nb\nc &amp; &#35; &copy;");
        let Block::Para { c } = &blocks[0] else { panic!() };
        assert_eq!(c, &[text("a"), Inline::Break, text("b c & # ©")]);
    }

    #[test]
    fn comments_leave_no_text_and_no_extra_space_or_break() {
        for (md, want) in [
            ("a <!-- c --> b", vec![text("a b")]),
            ("a %%c%% b, c", vec![text("a b, c")]),
            ("line <!-- c -->\nmore", vec![text("line more")]),
            ("<!-- c --> Starts a paragraph", vec![text("Starts a paragraph")]),
            ("*a* <!-- c --> b", vec![Inline::Emph { c: vec![text("a")] }, text(" b")]),
        ] {
            let blocks = must_convert(md);
            assert_eq!(blocks, [Block::Para { c: want }], "{md:?}");
        }
        let blocks = must_convert("<div><!-- c --></div>\n");
        assert_eq!(blocks, [Block::Html { text: "<div></div>\n".into() }]);
        let (_, notices) = convert_noting("Kept.\n\n%% never closed", &mut |_, _| None);
        assert_eq!(notices, [(7..9, Notice::UnclosedComment(comments::Kind::Obsidian))]);
    }

    /// The citations of one paragraph, with the text between them.
    fn cites(md: &str, known: &[&str]) -> (Vec<Inline>, Vec<Notice>) {
        let keys = |k: &str| known.contains(&k);
        let (blocks, notices) = convert_citing(md, &mut |_, _| None, Some(&keys));
        let Block::Para { c } = blocks.into_iter().next().unwrap() else { panic!() };
        (c, notices.into_iter().map(|(_, n)| n).collect())
    }

    fn item(
        key: &str,
        prefix: Option<&str>,
        locator: Option<&str>,
        form: &'static str,
    ) -> CiteItem {
        CiteItem {
            key: key.into(),
            prefix: prefix.map(Into::into),
            locator: locator.map(Into::into),
            form,
        }
    }

    #[test]
    fn pandoc_citations_become_cites_with_prefix_locator_and_form() {
        let known = ["a", "b", "key:2012"];
        let (c, notices) = cites(
            "X [@a, p. 12] and [see @a; @b, para. 4] and [-@b] and @a [p. 33] says, @key:2012.",
            &known,
        );
        assert!(notices.is_empty(), "{notices:?}");
        let items: Vec<Vec<CiteItem>> = c
            .iter()
            .filter_map(|i| match i {
                Inline::Cite { items, .. } => Some(items.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            [
                vec![item("a", None, Some("p. 12"), "normal")],
                vec![
                    item("a", Some("see"), None, "normal"),
                    item("b", None, Some("para. 4"), "normal")
                ],
                vec![item("b", None, None, "year")],
                vec![item("a", None, Some("p. 33"), "prose")],
                vec![item("key:2012", None, None, "prose")],
            ]
        );
        assert_eq!(
            plain_inlines(&c),
            "X [@a, p. 12] and [see @a; @b, para. 4] and [-@b] and @a [p. 33] says, @key:2012."
        );
    }

    #[test]
    fn what_only_looks_like_a_citation_stays_text() {
        for md in [
            "mail me@a.org or a@b",
            "code `[@a]` and `@a`",
            "escaped \\@a and \\[@a]",
            "[not a citation] and [a @ b]",
            "@unknown handle",
        ] {
            let (c, notices) = cites(md, &["a", "b"]);
            assert!(c.iter().all(|i| !matches!(i, Inline::Cite { .. })), "{md}: {c:?}");
            let unknown: Vec<&Notice> =
                notices.iter().filter(|n| matches!(n, Notice::UnknownCitation(_, true))).collect();
            assert!(unknown.is_empty(), "{md}: {unknown:?}");
        }
        // Without a key check (meeting fields), nothing is a citation.
        let (blocks, _) = convert_citing("[@a]", &mut |_, _| None, None);
        assert_eq!(plain_text(&blocks), "[@a]");
    }

    #[test]
    fn an_escape_anywhere_in_a_citation_keeps_it_text() {
        for (md, written) in [
            ("[see \\@a]", "[see @a]"),
            ("[\\@a, p. 3]", "[@a, p. 3]"),
            ("in \\[@a; @b]", "in [@a; @b]"),
        ] {
            let (c, notices) = cites(md, &["a", "b"]);
            assert!(c.iter().all(|i| !matches!(i, Inline::Cite { .. })), "{md}: {c:?}");
            assert!(notices.is_empty(), "{md}: {notices:?}");
            assert_eq!(plain_inlines(&c), written);
        }
        // `@a \[p. 33]`: a citation, its bracket text.
        let (c, _) = cites("@a \\[p. 33]", &["a"]);
        assert!(matches!(&c[0], Inline::Cite { items, .. } if items[0].locator.is_none()), "{c:?}");
        assert_eq!(plain_inlines(&c), "@a [p. 33]");
        // An escaped backslash escapes nothing after it.
        let (c, _) = cites("x \\\\@a y", &["a"]);
        assert_eq!(plain_inlines(&c), "x \\@a y");
    }

    #[test]
    fn unknown_keys_are_noticed_where_they_are_written() {
        let md = "One [@x, p. 2] and @y says.";
        let keys = |_: &str| false;
        let (_, notices) = convert_citing(md, &mut |_, _| None, Some(&keys));
        let found: Vec<(&str, bool)> = notices
            .iter()
            .map(|(r, n)| match n {
                Notice::UnknownCitation(k, bracketed) => {
                    assert_eq!(&md[r.clone()], k);
                    (k.as_str(), *bracketed)
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(found, [("x", true), ("y", false)]);
    }
}
