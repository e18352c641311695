//! Citations and the list of sources, formatted by hayagriva (the engine
//! Typst's own `cite` and `bibliography` use) before the book is laid out,
//! and handed to the templates as finished text.
//!
//! Typst can format citations itself, but only while it lays the book out:
//! a citation's text is known only after a first pass has found every
//! citation, so every page that holds one is laid out again. At 1,000
//! findings that second pass was most of a build. Here the same engine,
//! with the same style, locale and order of citations, formats them all up
//! front; the templates set the pieces (`rich` in style.typ).
//!
//! What the templates did with Typst's output is done here too: a cited
//! locator (`para. 13`) is kept on one line; a note style's citation is a
//! footnote; a style with no prose form of its own sets `@key says` as the
//! author and then the citation; and the book has one quote style, so the
//! single quotes of the en-GB locale become double ones.
//!
//! Pure: no I/O.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    self, Display, FontStyle, FontVariant, FontWeight, IndependentStyle, LocaleCode, StyleClass,
    TextDecoration, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, ElemMeta, Formatting, LocatorPayload, SpecificLocator, TransparentLocator,
};
use serde::Serialize;

/// A piece of finished text, as the templates set it (`rich` in
/// style.typ). In JSON: a string, or an object whose keys say which.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Piece {
    /// Plain text; a single space is a word space (one a footnote
    /// marker after it takes away, as Typst's markup space).
    Text(String),
    /// Text in a style: any of `italic`, `smallcaps`, `bold`, `light`,
    /// `underline`, `sup`, `sub`, applied in that order.
    Styled {
        /// The text.
        text: String,
        /// The styles.
        style: Vec<&'static str>,
    },
    /// A web link.
    Link {
        /// Where to.
        url: String,
        /// The link text.
        body: Vec<Piece>,
    },
    /// A link to the source list's entry with this label.
    Goto {
        /// The entry's label.
        to: String,
        /// The link text.
        body: Vec<Piece>,
    },
    /// A block of its own (`block`), or an indented one (`indent`).
    Display {
        /// `block` or `indent`.
        display: &'static str,
        /// Its content.
        body: Vec<Piece>,
    },
    /// Kept on one line.
    Keep {
        /// What is kept together.
        keep: Vec<Piece>,
    },
    /// A footnote: a note style's citation.
    Note {
        /// The note's text.
        note: Vec<Piece>,
    },
}

/// How a work is cited: the forms of Typst's `cite`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// `[@a]`: the style's citation.
    Normal,
    /// `@a says`: fit for running text.
    Prose,
    /// The author alone.
    Author,
    /// `[-@a]`: the year alone, set in brackets.
    Year,
}

impl Form {
    /// The form a Markdown citation names (`normal`, `prose`, `year`).
    pub fn named(name: &str) -> Form {
        match name {
            "prose" => Form::Prose,
            "year" => Form::Year,
            "author" => Form::Author,
            _ => Form::Normal,
        }
    }

    fn purpose(self) -> Option<CitePurpose> {
        match self {
            Form::Normal => None,
            Form::Prose => Some(CitePurpose::Prose),
            Form::Author => Some(CitePurpose::Author),
            Form::Year => Some(CitePurpose::Year),
        }
    }
}

/// One work cited.
#[derive(Clone, Debug)]
pub struct Cite {
    /// The citation key.
    pub key: String,
    /// Where in the work (`para. 13`), set as written.
    pub locator: Option<String>,
    /// Whether the locator is kept on one line.
    pub keep: bool,
    /// The form.
    pub form: Form,
}

/// The styles a book's citations are formatted in.
pub struct Styles<'a> {
    /// The style of the citations.
    pub cite: &'a IndependentStyle,
    /// The style of the source list (the citations' unless they have no
    /// bibliography).
    pub list: &'a IndependentStyle,
    /// Whether the citation style's prose form says more than the author
    /// (if not, `@key says` is set as the author and then the citation).
    pub prose: bool,
}

/// The source list, formatted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct List {
    /// Whether entries hang: every line but the first indented.
    pub hanging: bool,
    /// The entries, in the style's order.
    pub entries: Vec<ListEntry>,
}

/// One entry of the source list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// Its label: where citations link to.
    pub label: String,
    /// A first field set in a column of its own (a numeric style's `[1]`).
    pub prefix: Option<Vec<Piece>>,
    /// The entry.
    pub body: Vec<Piece>,
}

/// The label of a source's entry in the source list.
pub fn entry_label(key: &str) -> String {
    format!("entry-{key}")
}

/// The English locale files of those Typst ships, decoded once per
/// process: the book is British English, and its fallbacks (`en`, then
/// `en-US`) are English too. Decoding all sixty-odd took longer than
/// formatting a thousand citations; a file that does not name an English
/// tag anywhere is not decoded.
pub fn locales() -> &'static [citationberg::Locale] {
    static LOCALES: OnceLock<Vec<citationberg::Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        hayagriva::archive::LOCALES
            .iter()
            .filter(|bytes| bytes.windows(3).any(|w| w == b"en-"))
            .filter_map(|bytes| ciborium::from_reader::<citationberg::Locale, _>(*bytes).ok())
            .filter(|l| l.lang.as_ref().is_some_and(|code| code.0.starts_with("en")))
            .collect()
    })
}

/// The book's locale: British English, as the templates set the text.
fn locale() -> LocaleCode {
    LocaleCode("en-GB".into())
}

/// One place in the book that holds citations: what is set there, in
/// order.
enum Part {
    /// Text set as written.
    Text(String),
    /// A citation group (an index into the requests), in a wrapper.
    Group(usize, Wrap),
}

/// What a group is set in.
#[derive(Clone, Copy)]
enum Wrap {
    /// Nothing.
    None,
    /// A box: kept on one line (and kept apart from the next group).
    Keep,
    /// Brackets (`[-@a]`'s year).
    Brackets,
}

/// The citations of a book, gathered in the order the book prints them,
/// then formatted together: numbers, "ibid." and year suffixes depend on
/// that order and on all the others.
pub struct Citer<'a> {
    library: hayagriva::Library,
    styles: Styles<'a>,
    groups: Vec<Vec<Cite>>,
    places: Vec<Vec<Part>>,
}

/// A place's index, to take its text from [`Cited`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place(usize);

/// Every place's text, and the source list.
pub struct Cited {
    places: Vec<Vec<Piece>>,
    /// The source list, every entry of the library in it.
    pub list: List,
}

impl Cited {
    /// The text of a place.
    pub fn take(&mut self, place: Place) -> Vec<Piece> {
        std::mem::take(&mut self.places[place.0])
    }
}

impl<'a> Citer<'a> {
    /// A citer for the works of `library` (in the order the source list
    /// holds them before the style sorts it).
    pub fn new(library: hayagriva::Library, styles: Styles<'a>) -> Self {
        Citer { library, styles, groups: Vec::new(), places: Vec::new() }
    }

    /// A place that cites `items`, with the text written before each
    /// (`see` in `[see @a]`). Items follow one another in one group, as
    /// Typst groups adjacent citations, unless text or a form of their own
    /// keeps them apart.
    pub fn cite(&mut self, items: Vec<(Option<String>, Cite)>) -> Place {
        let mut parts = Vec::new();
        let mut open: Option<usize> = None;
        for (prefix, cite) in items {
            if let Some(prefix) = prefix {
                parts.push(Part::Text(prefix));
                parts.push(Part::Text(" ".into()));
                open = None;
            }
            let plain_prose = cite.form == Form::Prose && !self.styles.prose;
            if plain_prose {
                let author = Cite { form: Form::Author, locator: None, ..cite.clone() };
                parts.push(Part::Group(self.group(vec![author]), Wrap::Keep));
                parts.push(Part::Text(" ".into()));
                let normal = Cite { form: Form::Normal, ..cite };
                let g = self.group(vec![normal]);
                parts.push(Part::Group(g, Wrap::None));
                open = Some(g);
            } else if cite.form == Form::Year {
                parts.push(Part::Group(self.group(vec![cite]), Wrap::Brackets));
                open = None;
            } else if let Some(g) = open {
                self.groups[g].push(cite);
            } else {
                let g = self.group(vec![cite]);
                parts.push(Part::Group(g, Wrap::None));
                open = Some(g);
            }
        }
        self.places.push(parts);
        Place(self.places.len() - 1)
    }

    fn group(&mut self, cites: Vec<Cite>) -> usize {
        self.groups.push(cites);
        self.groups.len() - 1
    }

    /// Formats every citation and the source list.
    pub fn finish(self) -> Cited {
        let Citer { library, styles, groups, places } = self;
        let locales = locales();
        let mut driver = BibliographyDriver::new();
        let mut formed = Vec::with_capacity(groups.len());
        let mut requests = 0;
        // A citation is formatted once for all the places where it reads
        // the same: a book cites its few sources a thousand times, and the
        // engine's work grows with every citation. Where it stands can
        // matter ("ibid.", a shorter form after the first): in a style
        // that tests it, the key also holds whether the work was cited
        // before and whether the citation just before was of it (and with
        // what locator); a group of several works, or a note style's
        // citation (its note number counts), is formatted every time.
        let positions = position_dependent(styles.cite);
        let notes = styles.cite.settings.class == StyleClass::Note;
        let mut seen: HashMap<Signature, usize> = HashMap::new();
        let mut cited: HashSet<&str> = HashSet::new();
        let mut previous: Option<&[Cite]> = None;
        for group in &groups {
            let signature = signature(group, positions, &cited, previous);
            cited.extend(group.iter().map(|c| c.key.as_str()));
            previous = Some(group);
            if !notes && let Some(at) = signature.as_ref().and_then(|s| seen.get(s)) {
                formed.push(Some(*at));
                continue;
            }
            let items = items(&library, group);
            // A key the library lacks was reported at load; its citation is
            // set as the key.
            if items.len() != group.len() || items.is_empty() {
                formed.push(None);
                continue;
            }
            formed.push(Some(requests));
            if let Some(signature) = signature {
                seen.insert(signature, requests);
            }
            requests += 1;
            driver.citation(CitationRequest::new(
                items,
                styles.cite,
                Some(locale()),
                locales,
                None,
            ));
        }
        // Every source is listed, cited or not.
        for entry in library.iter() {
            let item = CitationItem::new(entry, None, None, true, None);
            driver.citation(CitationRequest::new(
                vec![item],
                styles.list,
                Some(locale()),
                locales,
                None,
            ));
        }
        let rendered =
            driver.finish(BibliographyRequest::new(styles.list, Some(locale()), locales));
        let shown: Vec<Vec<Piece>> = groups
            .iter()
            .zip(&formed)
            .map(|(group, at)| match at {
                Some(i) => {
                    let ctx = Context { group };
                    let mut pieces = quotes(ctx.children(&rendered.citations[*i].citation, true));
                    if notes && group.iter().all(|c| c.form == Form::Normal) {
                        pieces = vec![Piece::Note { note: pieces }];
                    }
                    pieces
                }
                None => {
                    let keys: Vec<_> = group.iter().map(|c| format!("@{}", c.key)).collect();
                    vec![Piece::Text(keys.join("; "))]
                }
            })
            .collect();
        let places = places.into_iter().map(|parts| assemble(parts, &shown)).collect();
        let list = rendered.bibliography.map(|b| list(&b)).unwrap_or_default();
        Cited { places, list }
    }
}

/// A group's works as hayagriva cites them (those the library has).
fn items<'l>(
    library: &'l hayagriva::Library,
    group: &[Cite],
) -> Vec<CitationItem<'l, hayagriva::Entry>> {
    group
        .iter()
        .filter_map(|c| {
            let entry = library.get(&c.key)?;
            let locator = c.locator.as_ref().map(|l| {
                let payload = LocatorPayload::Transparent(TransparentLocator::new(l.clone()));
                SpecificLocator(Locator::Custom, payload)
            });
            Some(CitationItem::new(entry, locator, None, false, c.form.purpose()))
        })
        .collect()
}

/// What makes two citations read the same: the works, locators and forms,
/// and, where the style tests positions, where the citation stands.
type Signature = (Vec<(String, Option<String>, Form)>, Option<(bool, u8)>);

/// A group's [`Signature`], or `None` when it must be formatted where it
/// stands (several works, in a style that tests positions). `cited`: the
/// works cited before it; `previous`: the group just before.
fn signature(
    group: &[Cite],
    positions: bool,
    cited: &HashSet<&str>,
    previous: Option<&[Cite]>,
) -> Option<Signature> {
    let works = group.iter().map(|c| (c.key.clone(), c.locator.clone(), c.form)).collect();
    if !positions {
        return Some((works, None));
    }
    let [cite] = group else { return None };
    let first = !cited.contains(cite.key.as_str());
    // 0: not right after itself; 1: ibid; 2: ibid with another locator.
    let ibid = match previous {
        Some([before]) if before.key == cite.key => 1 + u8::from(before.locator != cite.locator),
        _ => 0,
    };
    Some((works, Some((first, ibid))))
}

/// Whether a style's citations depend on where they stand: a `position`
/// test ("ibid.", "subsequent") anywhere in it.
fn position_dependent(style: &IndependentStyle) -> bool {
    citationberg::Style::Independent(style.clone())
        .to_xml()
        .map_or(true, |xml| xml.contains("position="))
}

/// A place's text: its parts, with each group as the style set it.
fn assemble(parts: Vec<Part>, shown: &[Vec<Piece>]) -> Vec<Piece> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Text(t) => out.push(Piece::Text(t)),
            Part::Group(g, Wrap::None) => out.extend(shown[g].iter().cloned()),
            Part::Group(g, Wrap::Keep) => out.push(Piece::Keep { keep: shown[g].clone() }),
            Part::Group(g, Wrap::Brackets) => {
                out.push(Piece::Text("(".into()));
                out.extend(shown[g].iter().cloned());
                out.push(Piece::Text(")".into()));
            }
        }
    }
    out
}

/// The source list, from hayagriva's.
fn list(rendered: &hayagriva::RenderedBibliography) -> List {
    let ctx = Context { group: &[] };
    let entries = rendered
        .items
        .iter()
        .map(|item| {
            let mut prefix = item.first_field.as_ref().map(|f| ctx.child(f, None, false));
            let body = ctx.children_into(&item.content, Some(&mut prefix), false);
            ListEntry {
                label: entry_label(&item.key),
                prefix: prefix.map(quotes),
                body: quotes(body),
            }
        })
        .collect();
    List { hanging: rendered.hanging_indent, entries }
}

/// What hayagriva's elements are set against: the citations of the group
/// (for their locators and the entries they link to).
struct Context<'g> {
    group: &'g [Cite],
}

impl Context<'_> {
    fn children(&self, elems: &ElemChildren, citation: bool) -> Vec<Piece> {
        self.children_into(elems, None, citation)
    }

    /// As Typst shows them: a citation's leading space is Typst's to set,
    /// so it is trimmed; `left-margin` elements go to `prefix`.
    fn children_into(
        &self,
        elems: &ElemChildren,
        mut prefix: Option<&mut Option<Vec<Piece>>>,
        citation: bool,
    ) -> Vec<Piece> {
        let mut out = Vec::new();
        for (i, elem) in elems.0.iter().enumerate() {
            out.extend(self.child(elem, prefix.as_deref_mut(), citation && i == 0));
        }
        out
    }

    fn child(
        &self,
        elem: &ElemChild,
        prefix: Option<&mut Option<Vec<Piece>>>,
        trim_start: bool,
    ) -> Vec<Piece> {
        match elem {
            ElemChild::Text(f) => {
                let text = if trim_start { f.text.trim_start() } else { f.text.as_str() };
                vec![styled(text.to_string(), &f.formatting)]
            }
            ElemChild::Elem(e) => self.elem(e, prefix),
            // Math: the entries' `$` are escaped at load, so this is text
            // a style made; set as written, never evaluated.
            ElemChild::Markup(m) => vec![Piece::Text(m.clone())],
            ElemChild::Link { text, url } => {
                vec![Piece::Link { url: url.clone(), body: vec![styled_of(text)] }]
            }
            ElemChild::Transparent { cite_idx, format } => {
                let Some(cite) = self.group.get(*cite_idx) else { return Vec::new() };
                let Some(locator) = &cite.locator else { return Vec::new() };
                let piece = styled(locator.clone(), format);
                if cite.keep { vec![Piece::Keep { keep: vec![piece] }] } else { vec![piece] }
            }
        }
    }

    fn elem(&self, elem: &hayagriva::Elem, prefix: Option<&mut Option<Vec<Piece>>>) -> Vec<Piece> {
        let block = matches!(elem.display, Some(Display::Block | Display::Indent));
        let mut prefix = prefix;
        let body = self.children_into(
            &elem.children,
            if block { None } else { prefix.as_deref_mut() },
            false,
        );
        let mut pieces = match elem.display {
            Some(Display::Block) => vec![Piece::Display { display: "block", body }],
            Some(Display::Indent) => vec![Piece::Display { display: "indent", body }],
            Some(Display::LeftMargin) => match prefix {
                Some(prefix) => {
                    prefix.get_or_insert_with(Vec::new).extend(body);
                    return Vec::new();
                }
                None => body,
            },
            _ => body,
        };
        if let Some(ElemMeta::Entry(i)) = elem.meta
            && let Some(cite) = self.group.get(i)
        {
            pieces = vec![Piece::Goto { to: entry_label(&cite.key), body: pieces }];
        }
        pieces
    }
}

fn styled_of(f: &hayagriva::Formatted) -> Piece {
    styled(f.text.clone(), &f.formatting)
}

/// Text in hayagriva's formatting.
fn styled(text: String, format: &Formatting) -> Piece {
    let mut style = Vec::new();
    if format.font_style == FontStyle::Italic {
        style.push("italic");
    }
    if format.font_variant == FontVariant::SmallCaps {
        style.push("smallcaps");
    }
    match format.font_weight {
        FontWeight::Bold => style.push("bold"),
        FontWeight::Light => style.push("light"),
        FontWeight::Normal => {}
    }
    if format.text_decoration == TextDecoration::Underline {
        style.push("underline");
    }
    match format.vertical_align {
        VerticalAlign::Sup => style.push("sup"),
        VerticalAlign::Sub => style.push("sub"),
        VerticalAlign::None | VerticalAlign::Baseline => {}
    }
    if style.is_empty() { Piece::Text(text) } else { Piece::Styled { text, style } }
}

/// One quote style per book: a pair of single quotes (the en-GB locale's)
/// becomes a pair of double ones, within each run of text in one style,
/// as a show rule on the text would. Only a pair: the ’ of "Pakistan’s"
/// is an apostrophe, followed by a letter. Adjacent runs in one style are
/// joined first.
fn quotes(pieces: Vec<Piece>) -> Vec<Piece> {
    static PAIR: OnceLock<regex::Regex> = OnceLock::new();
    let pair = PAIR.get_or_init(|| regex::Regex::new("‘([^‘’]+(?:’\\p{L}[^‘’]*)*)’").unwrap());
    let fix = |t: &mut String| {
        if t.contains('‘') {
            *t = pair.replace_all(t, "“$1”").into_owned();
        }
    };
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (Some(Piece::Styled { text: a, style: s }), Piece::Styled { text: b, style: t })
                if *s == t =>
            {
                a.push_str(&b)
            }
            (_, piece) => out.push(piece),
        }
    }
    for piece in &mut out {
        match piece {
            Piece::Text(t) | Piece::Styled { text: t, .. } => fix(t),
            Piece::Link { body, .. }
            | Piece::Goto { body, .. }
            | Piece::Display { body, .. }
            | Piece::Keep { keep: body }
            | Piece::Note { note: body } => *body = quotes(std::mem::take(body)),
        }
    }
    out
}

/// The plain text of pieces, as a reader copies it.
pub fn plain(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) | Piece::Styled { text: t, .. } => out.push_str(t),
            Piece::Link { body, .. }
            | Piece::Goto { body, .. }
            | Piece::Display { body, .. }
            | Piece::Keep { keep: body }
            | Piece::Note { note: body } => out.push_str(&plain(body)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> hayagriva::Library {
        let yaml = "a:\n  type: article\n  title: A Title\n  author: Khan, Imran\n  date: 2019\n  parent:\n    type: periodical\n    title: A Journal\nb:\n  type: book\n  title: B\n  author: Ahmed, Sara\n  date: 2020\n";
        hayagriva::io::from_yaml_str(yaml).unwrap()
    }

    fn style(name: &str) -> IndependentStyle {
        match hayagriva::archive::ArchivedStyle::by_name(name).unwrap().get() {
            citationberg::Style::Independent(s) => s,
            _ => unreachable!(),
        }
    }

    fn cite(key: &str, locator: Option<&str>, form: Form) -> Cite {
        Cite { key: key.into(), locator: locator.map(String::from), keep: true, form }
    }

    #[test]
    fn citations_are_numbered_in_the_order_the_book_prints_them() {
        let ieee = style("ieee");
        let styles = Styles { cite: &ieee, list: &ieee, prose: true };
        let mut citer = Citer::new(library(), styles);
        let first = citer.cite(vec![(None, cite("b", Some("p. 3"), Form::Normal))]);
        let second = citer.cite(vec![(None, cite("a", None, Form::Normal))]);
        let mut done = citer.finish();
        assert_eq!(plain(&done.take(first)), "[1, p. 3]");
        assert_eq!(plain(&done.take(second)), "[2]");
        assert_eq!(done.list.entries.len(), 2);
        assert!(done.list.entries.iter().all(|e| e.prefix.is_some()));
    }

    #[test]
    fn where_a_citation_stands_is_part_of_what_it_reads_in_a_style_that_tests_it() {
        assert!(position_dependent(&style("chicago-notes")));
        let (a, b) = (cite("a", Some("p. 3"), Form::Normal), cite("b", None, Form::Normal));
        let none = HashSet::new();
        let seen_a: HashSet<&str> = ["a"].into();
        let first = signature(std::slice::from_ref(&a), true, &none, None).unwrap();
        let again =
            signature(std::slice::from_ref(&a), true, &seen_a, Some(std::slice::from_ref(&b)));
        let ibid =
            signature(std::slice::from_ref(&a), true, &seen_a, Some(std::slice::from_ref(&a)));
        assert_eq!(first.1, Some((true, 0)));
        assert_eq!(again.unwrap().1, Some((false, 0)));
        assert_eq!(ibid.unwrap().1, Some((false, 1)));
        assert_eq!(signature(&[a.clone(), b.clone()], true, &none, None), None);
        assert_eq!(signature(&[a, b], false, &none, None).unwrap().1, None);
    }

    #[test]
    fn a_citation_formatted_once_is_set_wherever_it_stands() {
        let chicago = style("chicago-author-date");
        let styles = Styles { cite: &chicago, list: &chicago, prose: true };
        let mut citer = Citer::new(library(), styles);
        let places: Vec<_> = (0..3)
            .flat_map(|_| [cite("a", Some("p. 3"), Form::Normal), cite("b", None, Form::Normal)])
            .map(|c| citer.cite(vec![(None, c)]))
            .collect();
        let mut done = citer.finish();
        let texts: Vec<_> = places.into_iter().map(|p| plain(&done.take(p))).collect();
        assert_eq!(texts[0], "(Khan 2019, p. 3)");
        assert_eq!(texts[1], "(Ahmed 2020)");
        assert_eq!(texts[2..], [&texts[..2], &texts[..2]].concat()[..4]);
    }

    #[test]
    fn only_the_english_locales_are_decoded() {
        let codes: Vec<&str> =
            locales().iter().filter_map(|l| l.lang.as_ref()).map(|c| c.0.as_str()).collect();
        assert!(codes.contains(&"en-GB") && codes.contains(&"en-US"), "{codes:?}");
        assert!(codes.iter().all(|c| c.starts_with("en")), "{codes:?}");
    }
}
