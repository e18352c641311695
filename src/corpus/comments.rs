//! Drafting comments taken out of Markdown before anything parses it.
//!
//! A writer's notes in a finding, as HTML comments (`<!-- … -->`) or
//! Obsidian's (`%% … %%`), inline or over several lines, never reach a
//! book: [`blank`] is the one place they are found, and every Markdown
//! parse reads its result (`markdown.rs` parses nothing else). A comment
//! is blanked, each of its bytes a space and its line ends kept, so that
//! every byte offset, line and column of the text around it stays where it
//! was written and a diagnostic still points into the file as it is.
//!
//! A marker inside code is text and stays: a code span (a run of
//! backticks closed by a run as long), a fenced code block (``` or ~~~,
//! in list items and block quotes too) and an indented one, as CommonMark
//! reads them, following list items, block quotes, headings and raw HTML
//! blocks (in which a backtick is not code) as far as code depends on
//! them, and reading the text as it will be once blanked (a line a comment
//! blanks whole is a blank line). Escaped (`\<!--`, `\%%`), a marker is
//! text too. A comment
//! never closed runs to the end of the text, as Obsidian reads `%%` and
//! CommonMark an HTML comment that opens a block; it is reported, so that
//! `brief check` says where.
//!
//! Blanking leaves spaces where a comment was, which Markdown reads as
//! layout in two places: at the start of a block the spaces would indent
//! the text after the comment into a code block, so there the comment's
//! last bytes become a line end (and the markers of the block quotes and
//! the indentation of the list items the text is in) instead; at a line's
//! end they would make a hard line break, which the converter ignores
//! (see `markdown.rs`). Pure, no I/O.

use std::borrow::Cow;
use std::ops::Range;

/// What is said of a comment never closed.
pub const UNCLOSED: &str =
    "this comment is never closed: all that follows it is left out of the book";

/// Which kind of comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `<!-- … -->`.
    Html,
    /// Obsidian's `%% … %%`.
    Obsidian,
}

impl Kind {
    /// What closes a comment of this kind.
    pub fn closer(self) -> &'static str {
        match self {
            Kind::Html => "-->",
            Kind::Obsidian => "%%",
        }
    }
}

/// A text with its comments blanked.
#[derive(Debug)]
pub struct Blanked<'a> {
    /// The text, every comment's bytes spaces (or line ends); borrowed
    /// when it has none.
    pub text: Cow<'a, str>,
    /// Where each comment was, in order.
    pub comments: Vec<Range<usize>>,
    /// Where each comment never closed opens (it is blanked to the end of
    /// the text), and its kind.
    pub unclosed: Vec<(Range<usize>, Kind)>,
}

/// The text with its drafting comments blanked.
///
/// ```
/// use brief::corpus::comments::blank;
/// let b = blank("Keep <!-- not this --> this, `<!-- and code -->` %%or\nthis%%.");
/// assert_eq!(b.text, "Keep                   this, `<!-- and code -->`     \n      .");
/// assert_eq!(b.comments.len(), 2);
/// ```
pub fn blank(text: &str) -> Blanked<'_> {
    if !text.contains("<!--") && !text.contains("%%") {
        return Blanked { text: Cow::Borrowed(text), comments: Vec::new(), unclosed: Vec::new() };
    }
    let mut scan = Scan {
        b: text.as_bytes(),
        out: text.as_bytes().to_vec(),
        comments: Vec::new(),
        unclosed: Vec::new(),
        fence: None,
        para: false,
        lists: Vec::new(),
        quotes: 0,
        html: None,
    };
    let mut pos = 0;
    while pos < text.len() {
        pos = scan.line(pos);
    }
    // Only ASCII spaces and line ends were written, over whole characters.
    let out = String::from_utf8(scan.out).expect("blanking keeps UTF-8");
    Blanked { text: Cow::Owned(out), comments: scan.comments, unclosed: scan.unclosed }
}

/// A plain-text field (a title, a description, a position, a note) with
/// its drafting comments taken out, found as [`blank`] finds them in a
/// body: the comment goes, and the spaces around it close up to one, so
/// that `Shown <!-- note --> here` reads `Shown here`; a line that held
/// only a comment goes with it. Borrowed when there is none.
///
/// ```
/// use brief::corpus::comments::strip;
/// assert_eq!(strip("Shown <!-- note --> here %%and%%."), "Shown here.");
/// assert_eq!(strip("<!-- lead --> Title %% trail"), "Title");
/// assert_eq!(strip("one\n%% line %%\ntwo"), "one\ntwo");
/// assert_eq!(strip("a <!--x--><!--y-->b"), "a b");
/// assert_eq!(strip("kept `<!-- code -->`"), "kept `<!-- code -->`");
/// ```
pub fn strip(text: &str) -> Cow<'_, str> {
    let comments = blank(text).comments;
    if comments.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..comments[0].start]);
    for (i, comment) in comments.iter().enumerate() {
        let next = comments.get(i + 1).map_or(text.len(), |c| c.start);
        close_up(&mut out, &text[comment.end..next]);
    }
    if comments.last().is_some_and(|c| text[c.end..].trim_matches([' ', '\t']).is_empty()) {
        out.truncate(out.trim_end_matches([' ', '\t']).len());
    }
    Cow::Owned(out)
}

/// Appends `right` to `out` where a comment was taken out between them:
/// the spaces on either side close up to one, and none is left at the
/// start of a line, before closing punctuation, nor a line end where the
/// comment filled a line.
fn close_up(out: &mut String, right: &str) {
    if right.is_empty() {
        return;
    }
    let spaced = out.ends_with([' ', '\t']) || right.starts_with([' ', '\t']);
    out.truncate(out.trim_end_matches([' ', '\t']).len());
    let right = right.trim_start_matches([' ', '\t']);
    if out.is_empty() || out.ends_with('\n') {
        let rest = right.strip_prefix("\r\n").or_else(|| right.strip_prefix('\n'));
        out.push_str(rest.unwrap_or(right));
    } else {
        // No space is left before a line end or closing punctuation.
        let closing =
            right.starts_with(['\r', '\n', '.', ',', ';', ':', '!', '?', ')', ']', '’', '”']);
        if spaced && !right.is_empty() && !closing {
            out.push(' ');
        }
        out.push_str(right);
    }
}

/// An open fenced code block.
struct Fence {
    /// `` ` `` or `~`.
    ch: u8,
    /// How many.
    len: usize,
    /// The column of the content of the list item it is in.
    indent: usize,
    /// How many block quotes it is in.
    quotes: usize,
}

struct Scan<'t> {
    b: &'t [u8],
    out: Vec<u8>,
    comments: Vec<Range<usize>>,
    unclosed: Vec<(Range<usize>, Kind)>,
    fence: Option<Fence>,
    /// Whether the line before is paragraph text (after blanking): a line
    /// indented after it continues it, rather than being code.
    para: bool,
    /// The content columns of the open list items, outermost first.
    lists: Vec<usize>,
    /// How many block quotes the current line is in.
    quotes: usize,
    /// The raw HTML block open, if one is: its lines are HTML, with no
    /// code in them, up to what ends it.
    html: Option<HtmlEnd>,
}

/// What ends an HTML block (CommonMark's kinds 1 and 3 to 7; a comment,
/// kind 2, is one of ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HtmlEnd {
    /// A blank line.
    Blank,
    /// A line holding this (compared without case).
    Holding(&'static str),
}

/// The tags that open an HTML block which may interrupt a paragraph
/// (CommonMark's kind 6).
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// What ends the HTML block a line opens at `at`, if it opens one;
/// `para`: whether the line would otherwise continue a paragraph (which
/// only some kinds may interrupt).
fn html_block(b: &[u8], at: usize, end: usize, para: bool) -> Option<HtmlEnd> {
    let line = &b[at..end];
    if !line.starts_with(b"<") {
        return None;
    }
    let rest = &line[1..];
    let lower = |s: &[u8]| s.to_ascii_lowercase();
    if rest.starts_with(b"!--") {
        return None;
    }
    if rest.starts_with(b"?") {
        return Some(HtmlEnd::Holding("?>"));
    }
    if rest.starts_with(b"![CDATA[") {
        return Some(HtmlEnd::Holding("]]>"));
    }
    if rest.starts_with(b"!") && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return Some(HtmlEnd::Holding(">"));
    }
    let closing = rest.starts_with(b"/");
    let name_at = &rest[usize::from(closing)..];
    let len = name_at.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
    if len == 0 || !name_at[0].is_ascii_alphabetic() {
        return None;
    }
    let name = lower(&name_at[..len]);
    let after = name_at.get(len).copied();
    let ends_name =
        matches!(after, None | Some(b' ' | b'\t' | b'>')) || name_at[len..].starts_with(b"/>");
    if !closing && ends_name {
        for (tag, end) in [
            ("pre", "</pre>"),
            ("script", "</script>"),
            ("style", "</style>"),
            ("textarea", "</textarea>"),
        ] {
            if name == tag.as_bytes() {
                return Some(HtmlEnd::Holding(end));
            }
        }
    }
    if ends_name && BLOCK_TAGS.iter().any(|t| t.as_bytes() == name.as_slice()) {
        return Some(HtmlEnd::Blank);
    }
    // Any other whole tag alone on its line (but for comments), not
    // inside a paragraph.
    let visible = without_comments(b, at, end);
    let alone = tag_end(&visible).is_some_and(|close| visible[close..].trim_ascii().is_empty());
    (!para && alone && ends_name).then_some(HtmlEnd::Blank)
}

/// Where the tag that `line` opens with ends (past its `>`), reading
/// quoted attribute values whole.
fn tag_end(line: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &c) in line.iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return Some(i + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// The line from `at` to `end` as it reads once blanked: without the
/// comments on it (one it does not close runs to its end).
fn without_comments(b: &[u8], at: usize, end: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(end - at);
    let mut i = at;
    while i < end {
        let kind = if b[i..end].starts_with(b"<!--") {
            Kind::Html
        } else if b[i..end].starts_with(b"%%") {
            Kind::Obsidian
        } else {
            out.push(b[i]);
            i += 1;
            continue;
        };
        match comment_end(b, i, kind) {
            Some(close) if close <= end => i = close,
            _ => break,
        }
    }
    out
}

/// Where the comment of `kind` opening at `open` ends (past its closer),
/// if it is closed.
fn comment_end(b: &[u8], open: usize, kind: Kind) -> Option<usize> {
    let body = open + if kind == Kind::Html { 4 } else { 2 };
    // `<!-->` and `<!--->` are whole comments (CommonMark 0.31).
    if kind == Kind::Html && b[body..].starts_with(b">") {
        return Some(body + 1);
    }
    if kind == Kind::Html && b[body..].starts_with(b"->") {
        return Some(body + 2);
    }
    let closer = kind.closer().as_bytes();
    b[body..].windows(closer.len()).position(|w| w == closer).map(|n| body + n + closer.len())
}

/// Where the line holding `at` ends (its `\n`, or the text's end).
fn line_end(b: &[u8], at: usize) -> usize {
    b[at.min(b.len())..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| at + n)
}

/// The first position from `at`, before `end`, that is not a space or tab,
/// and the columns skipped (a tab to the next multiple of 4, from `col`).
fn skip_indent(b: &[u8], mut at: usize, end: usize, mut col: usize) -> (usize, usize) {
    while at < end && matches!(b[at], b' ' | b'\t') {
        col = if b[at] == b'\t' { col + 4 - col % 4 } else { col + 1 };
        at += 1;
    }
    (at, col)
}

/// The length of the list marker at `at` (`-`, `+`, `*`, or up to nine
/// digits and `.` or `)`), if one is there, followed by a space or the
/// line's end.
fn list_marker(b: &[u8], at: usize, end: usize) -> Option<usize> {
    let len = match b.get(at)? {
        b'-' | b'+' | b'*' => 1,
        c if c.is_ascii_digit() => {
            let digits = b[at..end].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(b.get(at + digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    (at + len == end || matches!(b[at + len], b' ' | b'\t')).then_some(len)
}

/// Whether the line from `at` to `end` is a thematic break: three or more
/// `-`, `*` or `_`, the same, with nothing else but spaces.
fn thematic_break(b: &[u8], at: usize, end: usize) -> bool {
    let ch = b[at];
    matches!(ch, b'-' | b'*' | b'_')
        && b[at..end].iter().all(|&c| c == ch || c == b' ' || c == b'\t')
        && b[at..end].iter().filter(|&&c| c == ch).count() >= 3
}

/// The fence at `at` (three or more `` ` `` or `~`), as its character and
/// length; a backtick fence's info string holds no backtick.
fn fence_at(b: &[u8], at: usize, end: usize) -> Option<(u8, usize)> {
    let ch = *b.get(at).filter(|c| matches!(c, b'`' | b'~'))?;
    let len = b[at..end].iter().take_while(|&&c| c == ch).count();
    let info_ok = ch == b'~' || !b[at + len..end].contains(&b'`');
    (len >= 3 && info_ok).then_some((ch, len))
}

impl Scan<'_> {
    /// Reads the line starting at `start`; returns where the next line to
    /// read starts (past every line a comment or code span spans).
    fn line(&mut self, start: usize) -> usize {
        let b = self.b;
        let end = line_end(b, start);
        let next = (end + 1).min(b.len());
        let (quotes, after_quotes) = self.quote_markers(start, end);
        let (first, indent) = skip_indent(b, after_quotes, end, 0);
        if first == end {
            self.para = false;
            if self.html == Some(HtmlEnd::Blank) {
                self.html = None;
            }
            return next;
        }
        if let Some(html_end) = self.html {
            return self.html_line(after_quotes, end, html_end);
        }
        if let Some(f) = &self.fence {
            let left = quotes < f.quotes || indent < f.indent;
            if !left {
                let closes = indent - f.indent <= 3
                    && fence_at(b, first, end).is_some_and(|(ch, len)| ch == f.ch && len >= f.len)
                    && b[first..end].iter().all(|&c| c == f.ch || c.is_ascii_whitespace());
                if closes {
                    self.fence = None;
                }
                return next;
            }
            if quotes == f.quotes && self.blanked_whole(first, end) {
                // A comment less indented than the code it follows: once
                // blanked it is a blank line, which leaves no container,
                // so the code goes on after it.
                let kind = if b[first] == b'<' { Kind::Html } else { Kind::Obsidian };
                let close = self.comment(first, kind, None);
                return (line_end(b, close) + 1).min(b.len());
            }
            self.fence = None;
        }
        // A paragraph's lazy continuation stays in its containers;
        // another line that enters or leaves a block quote leaves the
        // list items it was in.
        let lazy = self.para && !self.ends_paragraph(start);
        if quotes != self.quotes && !lazy {
            self.lists.clear();
        }
        if !lazy {
            self.quotes = quotes;
        }
        self.block(first, indent, end, lazy)
    }

    /// The block quote markers (`>`) that open the line from `start`: how
    /// many, and where what follows them starts.
    fn quote_markers(&self, start: usize, end: usize) -> (usize, usize) {
        let b = self.b;
        let (mut quotes, mut at) = (0, start);
        loop {
            let (p, col) = skip_indent(b, at, end, 0);
            if col > 3 || p >= end || b[p] != b'>' {
                return (quotes, at);
            }
            quotes += 1;
            at = p + 1;
            if at < end && b[at] == b' ' {
                at += 1;
            }
        }
    }

    /// The blocks a line opens from `first` (at column `indent`): list
    /// items, a fence, indented code, or text.
    fn block(&mut self, mut first: usize, mut indent: usize, end: usize, lazy: bool) -> usize {
        let b = self.b;
        let next = (end + 1).min(b.len());
        // A line a comment blanks whole is a blank line: it leaves no
        // list item.
        let blank = self.blanked_whole(first, end);
        while let Some(&col) = self.lists.last() {
            if indent >= col || lazy || blank {
                break;
            }
            self.lists.pop();
        }
        let block_start = !self.para;
        loop {
            let base = self.lists.last().copied().unwrap_or(0).min(indent);
            let relative = indent - base;
            if relative >= 4 && !self.para {
                return next; // indented code
            }
            if let Some((ch, len)) = fence_at(b, first, end).filter(|_| relative <= 3) {
                self.fence = Some(Fence { ch, len, indent: base, quotes: self.quotes });
                self.para = false;
                return next;
            }
            if let Some(html_end) = html_block(b, first, end, self.para).filter(|_| relative <= 3) {
                self.para = false;
                return self.html_line(first, end, html_end);
            }
            if relative <= 3 && thematic_break(b, first, end) {
                self.para = false;
                return next;
            }
            let Some(len) = list_marker(b, first, end).filter(|_| relative <= 3) else { break };
            let (content, col) = skip_indent(b, first + len, end, indent + len);
            let spaces = col - indent - len;
            let content_col = if content == end || spaces > 4 { indent + len + 1 } else { col };
            self.lists.push(content_col);
            self.para = false;
            if content == end {
                return next;
            }
            (first, indent) = (content, col);
        }
        let heading = {
            let hashes = b[first..end].iter().take_while(|&&c| c == b'#').count();
            (1..=6).contains(&hashes) && (first + hashes == end || b[first + hashes] == b' ')
        };
        // An HTML comment opening a line opens a block of its own, even
        // inside a paragraph, as CommonMark reads it.
        let html_comment = b[first..end].starts_with(b"<!--");
        let next = self.inline(first, end, block_start || html_comment);
        // A heading is a block of one line: what follows it starts one.
        self.para &= !heading;
        next
    }
}

impl Scan<'_> {
    /// A line of an HTML block from `from` to `end`: raw HTML, in which
    /// only comments are looked for (a backtick or a fence is HTML too);
    /// the block ends here if this line holds what ends it.
    fn html_line(&mut self, from: usize, end: usize, html_end: HtmlEnd) -> usize {
        let b = self.b;
        self.html = Some(html_end);
        let mut i = from;
        let mut end = end;
        while i < end {
            let kind = match b[i] {
                b'<' if b[i..].starts_with(b"<!--") => Kind::Html,
                b'%' if b.get(i + 1) == Some(&b'%') => Kind::Obsidian,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let open_line = self.out[..i].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
            i = self.comment(i, kind, None);
            if i > end {
                end = line_end(b, i);
                // A line the comment blanked whole ends a block that a
                // blank line ends: what follows it is text again.
                if html_end == HtmlEnd::Blank && self.blank_line_in(open_line, i) {
                    self.html = None;
                    return self.inline(i, end, true);
                }
            }
        }
        let line = self.out[..end].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
        let held = self.out[line..end].to_ascii_lowercase();
        match html_end {
            // Blanked whole, the line is a blank one: the block ends.
            HtmlEnd::Blank if held.iter().all(|c| c.is_ascii_whitespace() || *c == b'>') => {
                self.html = None;
            }
            HtmlEnd::Holding(closer)
                if held.windows(closer.len()).any(|w| w == closer.as_bytes()) =>
            {
                self.html = None;
            }
            _ => {}
        }
        (end + 1).min(b.len())
    }

    /// Whether a line of the text as blanked, from the one starting at
    /// `from` to the one before the line holding `to`, is blank.
    fn blank_line_in(&self, from: usize, to: usize) -> bool {
        let last = self.out[..to].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
        last > from
            && self.out[from..last - 1]
                .split(|&c| c == b'\n')
                .any(|line| line.iter().all(|c| c.is_ascii_whitespace() || *c == b'>'))
    }

    /// Reads text from `from` to its line's end `end`, and on over the
    /// lines a comment or a code span spans; returns where the next line
    /// to read starts. `block_start`: whether the text starts a block.
    fn inline(&mut self, from: usize, mut end: usize, block_start: bool) -> usize {
        let b = self.b;
        let mut i = from;
        let mut line = from;
        while i < end {
            match b[i] {
                b'\\' if i + 1 < end => i += 2,
                b'`' => {
                    let n = b[i..end].iter().take_while(|&&c| c == b'`').count();
                    i = self.code_span_end(i + n, n).unwrap_or(i + n);
                }
                b'<' if b[i..].starts_with(b"<!--") => {
                    i = self.comment(i, Kind::Html, block_start.then_some(from));
                }
                b'%' if b.get(i + 1) == Some(&b'%') => {
                    i = self.comment(i, Kind::Obsidian, block_start.then_some(from));
                }
                _ => i += 1,
            }
            if i > end {
                line = b[..i].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
                end = line_end(b, i);
            }
        }
        self.para = self.out[line..end].iter().any(|c| !c.is_ascii_whitespace() && *c != b'>');
        (end + 1).min(b.len())
    }

    /// Where the code span whose opening run of `n` backticks ends at `at`
    /// closes (past its closing run), if it does before its paragraph
    /// ends.
    fn code_span_end(&self, at: usize, n: usize) -> Option<usize> {
        let b = self.b;
        let mut i = at;
        while i < b.len() {
            match b[i] {
                b'`' => {
                    let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                    if run == n {
                        return Some(i + n);
                    }
                    i += run;
                }
                b'\n' => {
                    if self.ends_paragraph(i + 1) {
                        return None;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Whether the line starting at `start` ends the paragraph before it
    /// (so that no code span runs on into it): a blank line, or one that
    /// opens a block which interrupts a paragraph (a heading, a fence, a
    /// block quote outside one, a list item, an HTML block).
    fn ends_paragraph(&self, start: usize) -> bool {
        let b = self.b;
        let end = line_end(b, start);
        let (_, at) = self.quote_markers_up_to(start, self.quotes);
        let (first, col) = skip_indent(b, at, end, 0);
        if first == end {
            return true;
        }
        // Indentation counts from the content of the list item the line
        // is in, if it is indented that far.
        let base = self.lists.last().copied().filter(|&c| c <= col).unwrap_or(0);
        if col - base > 3 {
            return false;
        }
        let hashes = b[first..end].iter().take_while(|&&c| c == b'#').count();
        (1..=6).contains(&hashes) && (first + hashes == end || b[first + hashes] == b' ')
            || b[first] == b'>'
            || fence_at(b, first, end).is_some()
            || list_marker(b, first, end).is_some_and(|len| first + len < end)
            || html_block(b, first, end, true).is_some()
            || b[first..end].starts_with(b"<!--")
            || self.blanked_whole(first, end)
    }

    /// Whether the line from `first` to `end` opens with a comment that
    /// leaves it blank: one that runs past its end, or closes before
    /// nothing but spaces.
    fn blanked_whole(&self, first: usize, end: usize) -> bool {
        let b = self.b;
        let kind = if b[first..].starts_with(b"<!--") {
            Kind::Html
        } else if b[first..].starts_with(b"%%") {
            Kind::Obsidian
        } else {
            return false;
        };
        match comment_end(b, first, kind) {
            Some(close) if close <= end => b[close..end].iter().all(u8::is_ascii_whitespace),
            _ => true,
        }
    }

    /// Blanks the comment opening at `open`; returns where the text goes
    /// on after it. `block`: where the block the comment is in starts, if
    /// it starts on the comment's line, so that text after the comment
    /// which would start that block is made to.
    fn comment(&mut self, open: usize, kind: Kind, block: Option<usize>) -> usize {
        let b = self.b;
        let body = open + if kind == Kind::Html { 4 } else { 2 };
        let close = comment_end(b, open, kind).unwrap_or_else(|| {
            self.unclosed.push((open..body, kind));
            b.len()
        });
        self.comments.push(open..close);
        self.blank(open, close);
        if self.starts_block(close, block) {
            self.realign(close);
        }
        close
    }

    /// Whether text right after a comment that ends at `close` would start
    /// a block (as the text reads once blanked): nothing but blanks before
    /// it on its line, and either its line is where a block starts
    /// (`block`), or the line before is blank.
    fn starts_block(&self, close: usize, block: Option<usize>) -> bool {
        let out = &self.out;
        let blank = |s: &[u8]| s.iter().all(|c| c.is_ascii_whitespace() || *c == b'>');
        let line = out[..close].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
        match block {
            Some(from) if line <= from => blank(&out[from..close]),
            _ if line == 0 => blank(&out[..close]),
            _ => {
                let before = out[..line - 1].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
                // A line that opens a block as written ended the paragraph
                // before it (no code span runs on into it), so it must
                // still once blanked.
                let opened_block = self.html.is_none() && self.ends_paragraph(line);
                blank(&out[line..close]) && (opened_block || blank(&out[before..line - 1]))
            }
        }
    }

    /// Blanks `from..to`, keeping line ends and, on each line after the
    /// first, the block quote markers the comment is inside.
    fn blank(&mut self, from: usize, to: usize) {
        let mut i = from;
        while i < to {
            if self.b[i] == b'\n' {
                i += 1;
                let (_, after) = self.quote_markers_up_to(i, self.quotes);
                i = after.max(i);
                continue;
            }
            self.out[i] = b' ';
            i += 1;
        }
    }

    /// [`Scan::quote_markers`], reading at most `most` markers.
    fn quote_markers_up_to(&self, start: usize, most: usize) -> (usize, usize) {
        let end = line_end(self.b, start);
        let (mut quotes, mut at) = (0, start);
        while quotes < most {
            let (p, col) = skip_indent(self.b, at, end, 0);
            if col > 3 || p >= end || self.b[p] != b'>' {
                break;
            }
            quotes += 1;
            at = p + 1;
            if at < end && self.b[at] == b' ' {
                at += 1;
            }
        }
        (quotes, at)
    }

    /// Text after a comment that opened a block, on the comment's last
    /// line: the blank bytes before it end with a line end and the
    /// containers' continuation (`> ` for each block quote, spaces to the
    /// list item's content), so that it starts its block rather than being
    /// indented into code. Left as it is when there is no room.
    fn realign(&mut self, close: usize) {
        let b = self.b;
        let end = line_end(b, close);
        let (text, _) = skip_indent(b, close, end, 0);
        if text >= end {
            return;
        }
        let line = self.out[..close].iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
        let mut prefix = "> ".repeat(self.quotes).into_bytes();
        prefix.resize(prefix.len() + self.lists.last().copied().unwrap_or(0), b' ');
        // The blank bytes just before the text on this line.
        let blank_from =
            (line..text).rev().take_while(|&i| self.out[i] == b' ').last().unwrap_or(text);
        if text - blank_from < prefix.len() + 1 {
            return;
        }
        let at = text - prefix.len();
        self.out[at - 1] = b'\n';
        self.out[at..text].copy_from_slice(&prefix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

    /// The byte ranges CommonMark (pulldown-cmark, as `markdown.rs`
    /// configures it) reads as code.
    fn code_ranges(text: &str) -> Vec<Range<usize>> {
        code_ranges_of(text, true)
    }

    /// [`code_ranges`], with indented code or not.
    fn code_ranges_of(text: &str, indented: bool) -> Vec<Range<usize>> {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_SMART_PUNCTUATION;
        let mut out = Vec::new();
        let mut block: Option<usize> = None;
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) if !indented => {}
                Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
                Event::End(TagEnd::CodeBlock) => out.extend(block.take().map(|s| s..range.end)),
                Event::Code(_) => out.push(range),
                _ => {}
            }
        }
        out
    }

    /// Every marker left outside code in the blanked text, and every byte
    /// of code the blanking changed: both must be none.
    fn leaks(text: &str) -> Vec<String> {
        let blanked = blank(text);
        let out = &*blanked.text;
        assert_eq!(out.len(), text.len());
        let code = code_ranges(out);
        let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
        let mut found = Vec::new();
        for marker in ["<!--", "%%"] {
            for (at, _) in out.match_indices(marker) {
                if !in_code(at) && !out[..at].ends_with('\\') {
                    found.push(format!("{marker} left at {at}"));
                }
            }
        }
        // No comment opens inside a code span or fenced code, as
        // CommonMark reads the text as written, and such code outside
        // every comment is never changed. CommonMark can say so only of
        // HTML comments inside a line: an Obsidian one, one over several
        // lines or one that leaves a blank line may change what is code
        // after it, and what is indented code depends on what is around
        // it, comments included.
        let written = code_ranges_of(text, false);
        let blank_lines = |t: &str| t.split('\n').map(|l| l.trim().is_empty()).collect::<Vec<_>>();
        let html_only = blanked
            .comments
            .iter()
            .all(|c| text[c.clone()].starts_with("<!--") && !text[c.clone()].contains('\n'))
            && blank_lines(text) == blank_lines(out);
        for c in blanked.comments.iter().filter(|_| html_only) {
            if written.iter().any(|r| r.contains(&c.start)) {
                found.push(format!("a comment opens in code at {}", c.start));
            }
        }
        let in_comment = |i: usize| blanked.comments.iter().any(|c| c.contains(&i));
        for r in written.iter().filter(|_| html_only) {
            if r.clone().any(|i| !in_comment(i) && out.as_bytes()[i] != text.as_bytes()[i]) {
                found.push(format!("code changed at {r:?}"));
            }
        }
        found
    }

    #[test]
    fn comments_of_both_kinds_inline_and_over_lines_are_blanked() {
        for (text, want) in [
            ("a <!-- x --> b", "a            b"),
            ("a %%x%% b", "a       b"),
            ("a <!-- x\ny --> b", "a       \n      b"),
            ("a %%x\n\ny%% b", "a    \n\n   \nb"),
            ("a <!----> b <!--> c <!---> d", "a         b       c        d"),
            ("<!-- x --> %%<!-- y%%z", "          \n         \nz"),
        ] {
            let b = blank(text);
            assert_eq!(b.text, want, "{text:?}");
            assert!(b.unclosed.is_empty());
        }
    }

    #[test]
    fn markers_in_code_and_escaped_markers_are_text() {
        for text in [
            "`<!-- x -->` and ``a ` %%b%% ` c``",
            "```\n<!-- x -->\n%% y %%\n```",
            "~~~~ info\n<!--\n~~~\nstill code %%\n~~~~",
            "Para.\n\n    <!-- indented code -->",
            "- item\n\n      <!-- code in the item -->",
            "> ```\n> <!-- code in a quote -->\n> ```",
            "\\<!-- escaped --> and \\%% escaped",
        ] {
            let b = blank(text);
            assert_eq!(b.text, text, "{text:?}");
            assert!(b.comments.is_empty(), "{text:?}");
        }
        // Not code: a list item's paragraph indented under it, a lazy
        // continuation, a backtick run never closed.
        for text in ["- item\n\n    <!-- x -->", "Para\n    <!-- x -->", "`open <!-- x -->"] {
            assert_eq!(blank(text).comments.len(), 1, "{text:?}");
            assert!(leaks(text).is_empty(), "{text:?}: {:?}", leaks(text));
        }
    }

    #[test]
    fn an_unclosed_comment_runs_to_the_end_and_is_reported() {
        let b = blank("Keep.\n\n<!-- draft\nnot this\n\nnor this");
        assert_eq!(b.text.trim_end(), "Keep.");
        assert_eq!(b.unclosed, [(7..11, Kind::Html)]);
        let b = blank("Keep %% and not\nthis");
        assert_eq!(b.text.trim_end(), "Keep");
        assert_eq!(b.unclosed, [(5..7, Kind::Obsidian)]);
    }

    #[test]
    fn text_after_a_comment_that_opens_a_block_starts_the_block() {
        for (text, want) in [
            ("<!-- note --> Text", "             \nText"),
            ("%%note%% Text", "        \nText"),
            ("> <!-- note --> Text", ">            \n> Text"),
            ("- <!-- note --> Text", "-            \n  Text"),
            ("<!-- a\nb --> Text", "      \n     \nText"),
            // An HTML comment opening a line ends the paragraph before it,
            // as CommonMark reads it; an Obsidian one does not.
            ("Para\n<!-- note --> more", "Para\n             \nmore"),
            ("Para\n%%note%% more", "Para\n         more"),
        ] {
            assert_eq!(blank(text).text, want, "{text:?}");
            assert!(code_ranges(&blank(text).text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn a_comment_over_quoted_lines_keeps_the_quote() {
        let b = blank("> a <!-- x\n> y --> b");
        assert_eq!(b.text, "> a       \n>       b");
    }

    /// Lines that mix comments, code and containers.
    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "text",
            "",
            "<!-- c -->",
            "<!--",
            "-->",
            "%%",
            "a %% b %% c",
            "```",
            "~~~",
            "    indented <!-- i -->",
            "- item <!-- l -->",
            "  - nested %% n %%",
            "1. one",
            "> quote <!-- q",
            "> %%",
            "`code <!-- x -->` %% y %%",
            "``a ` b`` <!-- z -->",
            "# heading <!-- h -->",
            "\\<!-- escaped -->",
            "<div>",
            "| a | <!-- t --> |",
            "  ```",
            "   <!-- c --> after",
            "* * *",
            "\t<!-- tab -->",
            "<pre>",
            "</pre> %% p %%",
            "text --> %%%",
            "~~~ %%",
            "1) a <!-- o",
            "> > nested <!-- n -->",
            "    ```",
            "- ```\n  code <!-- k -->\n  ```",
            "  <!-- under a list item --> x",
            "<span>`</span> <!-- s -->",
            "%%",
        ])
    }

    proptest! {
        // A fixed seed, so that a run is repeatable (it passed 600,000
        // random cases when written).
        #![proptest_config(ProptestConfig {
            cases: 5000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20261202),
            ..ProptestConfig::default()
        })]
        #[test]
        fn no_marker_is_left_outside_code_and_no_code_is_changed(
            lines in prop::collection::vec(line(), 1..10)
        ) {
            let text = lines.join("\n");
            let found = leaks(&text);
            prop_assert!(found.is_empty(), "{:?}: {:?}\n{:?}", text, found, blank(&text).text);
        }
    }
}
