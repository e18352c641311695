//! Links to places in the book, pointed once the book is laid out.
//!
//! A link to a label needs the label's place, which the layout engine
//! knows only after a pass over the whole book: in the first pass it has
//! none, so a linked text differs between the passes and every page that
//! holds one is laid out again. The templates therefore set such a link
//! (`goto` in style.typ) as a link to a placeholder address, [`PREFIX`]
//! followed by the label's name, which is the same in every pass. Once
//! the book is laid out, [`resolve`] points each one at its label's
//! place, with the words a screen reader says for it, as Typst would have
//! done; a link whose label the book does not hold is set unlinked.
//!
//! A folio (the number of the page a label is on) is set the same way,
//! where it ends a line set flush right (`folio-right`): a link to
//! [`PAGE_PREFIX`] and the label, around a two-figure placeholder that
//! [`resolve`] replaces with the folio's figures, shaped in the
//! placeholder's font, moving the linked text so that it ends where it
//! ended.
//!
//! No text of the corpus can make such an address: only `http`, `https`
//! and `mailto` links of the corpus become links (`LIVE_SCHEMES`).

use std::collections::{HashMap, HashSet};

use ecow::{EcoString, EcoVec, eco_format};
use rayon::prelude::*;
use typst::foundations::{Content, Label};
use typst::introspection::{Introspector, Location, Tag};
use typst::layout::{Abs, Em, Frame, FrameItem, Point};
use typst::model::{Destination, Document, HeadingElem, LinkMarker};
use typst::syntax::Span;
use typst::text::{FontInstance, Glyph};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

/// The address a placeholder link starts with; the templates are given
/// it as `sys.inputs.brief-goto`.
pub const PREFIX: &str = "x-brief-goto:";

/// The address a placeholder folio's link starts with; the templates are
/// given it as `sys.inputs.brief-page`.
pub const PAGE_PREFIX: &str = "x-brief-page:";

/// The figures a placeholder folio is set with: two, so that the first
/// shows the spacing between letters and the last the spacing after the
/// last letter (none: Typst does not space a run's last glyph).
const PLACEHOLDER: &str = "00";

/// The document with every placeholder link pointed at its label's place
/// (or unlinked), and the same document if it has none.
pub fn resolve(document: PagedDocument) -> PagedDocument {
    let _scope = typst_timing::TimingScope::new("resolve links");
    // Page by page, in parallel. A link whose label is missing may end on
    // a later page than it starts (its tags are both taken out): those
    // ends are taken out in a second walk, over the pages already pointed.
    let pointed: Vec<(Option<Frame>, HashSet<Location>)> = document
        .pages()
        .par_iter()
        .map(|page| {
            let mut targets = Targets::new(&document);
            let frame = targets.pointed(&page.frame);
            (frame, targets.missing)
        })
        .collect();
    if pointed.iter().all(|(frame, _)| frame.is_none()) {
        return document;
    }
    let mut missing = HashSet::new();
    let mut pages: EcoVec<Page> = EcoVec::with_capacity(pointed.len());
    for (page, (frame, unlinked)) in document.pages().iter().zip(pointed) {
        missing.extend(unlinked);
        pages.push(match frame {
            Some(frame) => Page { frame, ..page.clone() },
            None => page.clone(),
        });
    }
    if !missing.is_empty() {
        let mut targets = Targets::new(&document);
        targets.missing = missing;
        for page in pages.make_mut() {
            if let Some(frame) = targets.pointed(&page.frame) {
                page.frame = frame;
            }
        }
    }
    PagedDocument::new(pages, document.info().clone())
}

/// The label a placeholder address names.
fn placeholder(url: &str) -> Option<&str> {
    url.strip_prefix(PREFIX).or_else(|| url.strip_prefix(PAGE_PREFIX))
}

/// The label a link's tag names, if the link is a placeholder: Typst
/// gives a link to an address the address as its words.
fn marker_label(content: &Content) -> Option<&str> {
    let marker = content.to_packed::<LinkMarker>()?;
    placeholder(marker.alt.as_deref()?)
}

/// Where the labels of the laid-out book are.
struct Targets<'a> {
    document: &'a PagedDocument,
    /// Each label a placeholder names, or `None` if the book does not
    /// hold it.
    found: HashMap<EcoString, Option<Target>>,
    /// The tags of placeholder links whose label the book does not hold.
    missing: HashSet<Location>,
}

/// A label's place in the laid-out book.
#[derive(Clone)]
struct Target {
    location: Location,
    /// The words for a link to it.
    words: EcoString,
    /// The folio of its page.
    folio: u64,
}

/// What becomes of an item of a frame.
enum Edit {
    /// A frame inside it, pointed.
    Frame(Frame),
    /// A link, pointed at a place.
    Dest(Location),
    /// A placeholder folio's link, pointed at a place; the folio.
    Folio(Location, u64),
    /// A link's tag, with new words.
    Tag(Content),
    /// A link or a tag to nowhere, taken out.
    Drop,
}

impl<'a> Targets<'a> {
    /// No label found yet.
    fn new(document: &'a PagedDocument) -> Self {
        Targets { document, found: HashMap::new(), missing: HashSet::new() }
    }

    /// The place of the element a label names; `None` if the book holds
    /// no such label.
    fn find(&self, name: &str) -> Option<Target> {
        let label = Label::new(PicoStr::intern(name))?;
        let introspector = self.document.introspector();
        let element = introspector.query_label(label).ok()?;
        let location = element.location()?;
        let page = introspector.page(location)?;
        let folio =
            self.document.pages().get(page.get() - 1).map_or(page.get() as u64, |p| p.number);
        // As Typst words a link to a place, "Page 12", a heading's title
        // first.
        let words = match element.to_packed::<HeadingElem>() {
            Some(heading) => eco_format!("{}, page {folio}", heading.body.plain_text().trim()),
            None => eco_format!("Page {folio}"),
        };
        Some(Target { location, words, folio })
    }

    /// A label's place, found once.
    fn get(&mut self, name: &str) -> Option<&Target> {
        if !self.found.contains_key(name) {
            let found = self.find(name);
            self.found.insert(name.into(), found);
        }
        self.found[name].as_ref()
    }

    /// The frame with its placeholder links and folios pointed, and those
    /// in the frames inside it; `None` if it holds none. A link whose
    /// label is missing loses its annotation and both its tags (which may
    /// lie in other frames: a link broken across lines), so its text
    /// stands unlinked. Only the frames that change are copied.
    fn pointed(&mut self, frame: &Frame) -> Option<Frame> {
        let mut edits: Vec<(usize, Edit)> = Vec::new();
        for (i, (_, item)) in frame.items().enumerate() {
            let edit = match item {
                FrameItem::Group(group) => self.pointed(&group.frame).map(Edit::Frame),
                FrameItem::Link(Destination::Url(url), _) => {
                    let folio = url.starts_with(PAGE_PREFIX);
                    placeholder(url).map(|name| match self.get(name) {
                        Some(t) if folio => Edit::Folio(t.location, t.folio),
                        Some(t) => Edit::Dest(t.location),
                        None => Edit::Drop,
                    })
                }
                FrameItem::Tag(Tag::Start(content, _)) => marker_label(content).map(|name| {
                    match self.get(name).map(|t| t.words.clone()) {
                        Some(words) => {
                            let mut marker =
                                content.to_packed::<LinkMarker>().expect("a link's tag").clone();
                            marker.alt = Some(words);
                            Edit::Tag(marker.pack())
                        }
                        None => {
                            self.missing.extend(content.location());
                            Edit::Drop
                        }
                    }
                }),
                FrameItem::Tag(Tag::End(at, ..)) => self.missing.contains(at).then_some(Edit::Drop),
                _ => None,
            };
            edits.extend(edit.map(|edit| (i, edit)));
        }
        if edits.is_empty() {
            return None;
        }
        let mut items = Vec::with_capacity(frame.items().len());
        let mut folios = Vec::new();
        let mut edits = edits.into_iter().peekable();
        for (i, (pos, item)) in frame.items().enumerate() {
            let mut item = item.clone();
            match (edits.next_if(|(at, _)| *at == i).map(|(_, edit)| edit), &mut item) {
                (None, _) => {}
                (Some(Edit::Drop), _) => continue,
                (Some(Edit::Frame(pointed)), FrameItem::Group(group)) => group.frame = pointed,
                (Some(Edit::Dest(location)), FrameItem::Link(dest, _)) => {
                    *dest = Destination::Location(location);
                }
                (Some(Edit::Folio(location, folio)), FrameItem::Link(dest, _)) => {
                    *dest = Destination::Location(location);
                    folios.push((items.len(), folio));
                }
                (Some(Edit::Tag(content)), FrameItem::Tag(Tag::Start(old, _))) => *old = content,
                (Some(_), _) => unreachable!("an edit is made for an item of its kind"),
            }
            items.push((*pos, item));
        }
        for (link, folio) in folios {
            set_folio(&mut items, link, folio);
        }
        let mut frame = frame.clone();
        frame.clear();
        frame.push_multiple(items);
        Some(frame)
    }
}

/// Puts `folio` in place of the placeholder figures that end the text of
/// the link at `items[link]`, shaped in the placeholder's font and spaced
/// as it is, and moves the link and its text so that it ends where it
/// ended (a folio is set flush right). A link whose text holds no
/// placeholder is left as it is.
fn set_folio(items: &mut [(Point, FrameItem)], link: usize, folio: u64) {
    let (at, FrameItem::Link(_, size)) = &items[link] else { return };
    let (start, end) = (at.x, at.x + size.x);
    // The text of a link starts where its link does, and each of its
    // runs lies inside it; the placeholder ends the last.
    let runs: Vec<usize> = (0..items.len())
        .filter(|&i| match &items[i] {
            (pos, FrameItem::Text(text)) => {
                pos.x >= start - EPSILON && pos.x + text.width() <= end + EPSILON
            }
            _ => false,
        })
        .collect();
    let Some(&last) = runs.last() else { return };
    let FrameItem::Text(text) = &mut items[last].1 else { unreachable!("a text run") };
    let figures = PLACEHOLDER.chars().count();
    if !text.text.ends_with(PLACEHOLDER) || text.glyphs.len() < figures {
        return;
    }
    let placeholder = text.glyphs.split_off(text.glyphs.len() - figures);
    text.text.truncate(text.text.len() - PLACEHOLDER.len());
    // Letter spacing (`tracking`) is in a glyph's advance; a run's last
    // glyph has none.
    let spacing =
        |glyph: &Glyph| glyph.x_advance - text.font.x_advance(glyph.id).unwrap_or(glyph.x_advance);
    let (between, after) = (spacing(&placeholder[0]), spacing(&placeholder[figures - 1]));
    let number = folio.to_string();
    let mut glyphs = shape(&text.font, &number, text.text.len(), placeholder[0].span);
    let count = glyphs.len();
    for (i, glyph) in glyphs.iter_mut().enumerate() {
        glyph.x_advance += if i + 1 == count { after } else { between };
    }
    let width = |glyphs: &[Glyph]| glyphs.iter().map(|g| g.x_advance).sum::<Em>().at(text.size);
    let shift = width(&placeholder) - width(&glyphs);
    text.glyphs.extend(glyphs);
    text.text.push_str(&number);
    for i in runs.into_iter().chain([link]) {
        items[i].0.x += shift;
    }
    if let (_, FrameItem::Link(_, size)) = &mut items[link] {
        size.x -= shift;
    }
}

/// How far two lengths of a laid-out line may differ and be the same.
const EPSILON: Abs = Abs::raw(0.01);

/// The glyphs of `figures` in `font`, as a text item's glyphs that start
/// at byte `offset` of its text.
fn shape(font: &FontInstance, figures: &str, offset: usize, span: (Span, u16)) -> Vec<Glyph> {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(figures);
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    let shaped = rustybuzz::shape(font.rusty(), &[], buffer);
    let em = |units: i32| font.to_em(units);
    let infos = shaped.glyph_infos();
    // A glyph stands for the text from its cluster to the next one's.
    let ends = infos.iter().skip(1).map(|info| info.cluster as usize).chain([figures.len()]);
    infos
        .iter()
        .zip(shaped.glyph_positions())
        .zip(ends)
        .map(|((info, pos), end)| Glyph {
            id: info.glyph_id as u16,
            x_advance: em(pos.x_advance),
            x_offset: em(pos.x_offset),
            y_advance: em(pos.y_advance),
            y_offset: em(pos.y_offset),
            range: (offset + info.cluster as usize) as u16..(offset + end) as u16,
            span,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::NaiveDate;

    use super::*;
    use crate::render::{BriefWorld, RenderOptions, Templates, fonts::Fonts};

    /// The probe `source`, compiled as brief compiles a book (with its
    /// inputs), not yet resolved.
    fn compile(source: &str) -> PagedDocument {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("probe.typ"), source).unwrap();
        let options = RenderOptions {
            templates: Templates::with_overrides(dir.path()).unwrap(),
            corpus_dir: dir.path().to_path_buf(),
            images: BTreeSet::new(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            ident: "test".into(),
            standard: None,
            brand: BTreeMap::new(),
            fonts: Fonts::shipped(),
        };
        let world = BriefWorld::with_main(b"{}".to_vec(), &options, "probe.typ");
        typst::compile::<PagedDocument>(&world).output.expect("the probe compiles")
    }

    /// Pages with a heading labelled `<here>`, a placeholder link to it,
    /// one to a label nowhere (long enough to run from one page to the
    /// next) and a web link, laid out and resolved.
    fn laid_out() -> PagedDocument {
        let document = compile(
            r#"#set page(width: 80mm, height: 24mm, margin: 4mm)
#let goto(target, body) = link(sys.inputs.brief-goto + str(target), body)
= Target <here>
#goto(<here>)[to the target], then
#goto(<nowhere>)[to a place the book does not hold, in words enough to run over more than one line, and more than one page, since the page is short],
and #link("https://example.org")[the web].
"#,
        );
        // The link to nowhere runs from one page to the next.
        let on_pages = |name: &str| -> Vec<usize> {
            let placeholders = |page: &Page| {
                let (mut links, mut tags) = (Vec::new(), Vec::new());
                walk(&page.frame, &mut links, &mut tags);
                links
                    .iter()
                    .filter(|d| matches!(d, Destination::Url(u) if placeholder(u) == Some(name)))
                    .count()
            };
            (0..document.pages().len())
                .filter(|&i| placeholders(&document.pages()[i]) > 0)
                .collect()
        };
        assert_eq!(on_pages("here"), [0]);
        assert_eq!(on_pages("nowhere"), [0, 1]);
        resolve(document)
    }

    /// A tag in a frame: where it is, whether it starts (or ends) there,
    /// and a link's words.
    type Seen = (Location, bool, Option<EcoString>);

    /// The links of a frame (with their destinations) and its tags.
    fn walk(frame: &Frame, links: &mut Vec<Destination>, tags: &mut Vec<Seen>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, links, tags),
                FrameItem::Link(dest, _) => links.push(dest.clone()),
                FrameItem::Tag(Tag::Start(content, _)) => {
                    let words = content.to_packed::<LinkMarker>().and_then(|m| m.alt.clone());
                    tags.push((content.location().unwrap(), true, words));
                }
                FrameItem::Tag(Tag::End(at, ..)) => tags.push((*at, false, None)),
                _ => {}
            }
        }
    }

    #[test]
    fn a_placeholder_link_leads_to_its_label_and_one_to_nowhere_is_unlinked() {
        let document = laid_out();
        let (mut links, mut tags) = (Vec::new(), Vec::new());
        for page in document.pages() {
            walk(&page.frame, &mut links, &mut tags);
        }
        let here = Label::new(PicoStr::intern("here")).unwrap();
        let target = document.introspector().query_label(here).unwrap().location().unwrap();
        let web = Destination::Url(typst::model::Url::new("https://example.org").unwrap());
        links.dedup(); // (a link over two lines is two)
        assert_eq!(links, [Destination::Location(target), web]);
        // The link's words, as a screen reader says them; the tags of the
        // link to nowhere are gone, both ends, though they lie on two lines.
        let words: Vec<_> = tags.iter().filter_map(|(_, _, w)| w.as_deref()).collect();
        assert_eq!(words, ["Target, page 1", "https://example.org"]);
        let starts: HashSet<_> = tags.iter().filter(|t| t.1).map(|t| t.0).collect();
        let ends: HashSet<_> = tags.iter().filter(|t| !t.1).map(|t| t.0).collect();
        assert_eq!(starts, ends, "every tag that starts ends, and no other");
        // The text of the link to nowhere stays, and the PDF is made.
        let text: String =
            document.pages().iter().map(|p| crate::render::read_page(&p.frame).0).collect();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("then to a place the book does not hold, in words enough to run over more than one line, and"), "{text}");
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).expect("a tagged PDF");
    }

    /// Each text run of a frame and the frames inside it, with where it
    /// starts and ends on the page.
    fn runs(frame: &Frame, at: Point, out: &mut Vec<(String, Abs, Abs)>) {
        for (pos, item) in frame.items() {
            let pos = at + *pos;
            match item {
                FrameItem::Group(group) => runs(&group.frame, pos, out),
                FrameItem::Text(text) => {
                    out.push((text.text.to_string(), pos.x, pos.x + text.width()))
                }
                _ => {}
            }
        }
    }

    #[test]
    fn a_placeholder_folio_becomes_its_page_number_and_ends_where_it_ended() {
        // Folios of two figures and one, flush right (at 76 mm) on page
        // 1, the targets on pages 12 and 1; one letter-spaced; then the
        // first two as Typst sets them.
        let document = resolve(compile(
            r#"#set page(width: 80mm, height: 60mm, margin: 4mm)
#let folio(target) = align(right, link(sys.inputs.brief-page + str(target), text(font: "Noto Sans")[p.#sym.space.nobreak#"00"]))
= Near <near>
#folio(<far>)
#folio(<near>)
#text(tracking: 2pt, folio(<far>))
#align(right, text(font: "Noto Sans")[p.#sym.space.nobreak\12])
#align(right, text(font: "Noto Sans", tracking: 2pt)[p.#sym.space.nobreak\12])
#for _ in range(11) { pagebreak() }
= Far <far>
"#,
        ));
        let mut found = Vec::new();
        runs(&document.pages()[0].frame, Point::zero(), &mut found);
        let folios: Vec<_> = found.iter().filter(|(text, ..)| text.starts_with("p.")).collect();
        let texts: Vec<_> = folios.iter().map(|(text, ..)| text.as_str()).collect();
        assert_eq!(texts, ["p.\u{a0}12", "p.\u{a0}1", "p.\u{a0}12", "p.\u{a0}12", "p.\u{a0}12"]);
        // Each ends flush right, as the placeholder did, and is as wide as
        // Typst sets it, letter-spaced or not.
        let right = Abs::mm(76.0);
        for (_, _, end) in &folios {
            assert!((*end - right).abs() < Abs::pt(0.01), "{end:?}");
        }
        let width = |i: usize| folios[i].2 - folios[i].1;
        assert!((width(0) - width(3)).abs() < Abs::pt(0.01), "{folios:?}");
        assert!((width(2) - width(4)).abs() < Abs::pt(0.01), "{folios:?}");
        assert!(width(2) > width(0) + Abs::pt(5.0), "{folios:?}");
        assert!(folios[0].1 < folios[1].1);
        // Each is linked to its target's place, the link as wide as its
        // text; the text reads as written.
        let (mut links, mut tags) = (Vec::new(), Vec::new());
        walk(&document.pages()[0].frame, &mut links, &mut tags);
        let place = |name: &str| {
            let label = Label::new(PicoStr::intern(name)).unwrap();
            document.introspector().query_label(label).unwrap().location().unwrap()
        };
        let (far, near) =
            (Destination::Location(place("far")), Destination::Location(place("near")));
        assert_eq!(links, [far.clone(), near, far]);
        let words: Vec<_> = tags.iter().filter_map(|(_, _, w)| w.as_deref()).collect();
        assert_eq!(words, ["Far, page 12", "Near, page 1", "Far, page 12"]);
        let (text, _) = crate::render::read_page(&document.pages()[0].frame);
        assert!(text.contains("p.\u{a0}12") && text.contains("p.\u{a0}1"), "{text}");
        let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).expect("a PDF");
        assert!(!pdf.is_empty());
    }
}
