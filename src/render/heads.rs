//! Running heads and feet, set once the book is laid out.
//!
//! A page's head names the section it belongs to and its foot the folio,
//! which the layout engine knows only after a pass over the whole book:
//! laid out with the book, every head and foot would be laid out again in
//! a second pass. The templates therefore give each page that has them
//! only a mark (`<running-page>`, `running` in style.typ, given
//! `sys.inputs.brief-heads`). Once the book is laid out, brief tells
//! `heads.typ` what it needs of each page (its folio, where the headings
//! and parts are) as `/pages.json`; `heads.typ` lays out a page of head and
//! foot for each page of the book in one pass, and each is set on its
//! page, as a numbered copy's mark is (`copies.rs`). A book whose
//! templates mark no page (its running heads laid out with it) is left as
//! it is.

use ecow::{EcoString, EcoVec};
use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::{Bytes, Label, NativeElement, Selector, StyleChain};
use typst::introspection::{Introspector, Tag};
use typst::layout::{Frame, FrameItem};
use typst::model::{Document as _, HeadingElem};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

use super::{BriefWorld, RenderOptions, typst_diagnostics};
use crate::diag::{Diagnostic, Files, Problem};

/// What the laid-out book says of its pages (`/pages.json`).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Laid {
    pages: Vec<PageFacts>,
    heads: Vec<Head>,
    part_ends: Vec<usize>,
    part_starts: Vec<usize>,
}

/// A page: whether it has a running head and foot, and its folio.
#[derive(Serialize)]
struct PageFacts {
    running: bool,
    folio: u64,
}

/// A heading of level 1 or 2: its page (from 1), its text, and whether
/// it is outlined.
#[derive(Serialize)]
struct Head {
    page: usize,
    text: EcoString,
    outlined: bool,
}

/// `document` with its running heads and feet set, laid out by
/// `heads.typ` in a world serving `book` (the book's JSON); the warnings
/// of that layout. Errors are Typst's, located in the templates, or a
/// `heads.typ` that does not lay out a page for each page of the book.
pub fn set(
    document: PagedDocument,
    book: Bytes,
    options: &RenderOptions,
    files: &mut Files,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let _scope = typst_timing::TimingScope::new("running heads");
    let Some(laid) = laid(&document) else { return Ok((document, Vec::new())) };
    let pages = serde_json::to_vec(&laid).expect("the pages serialise");
    let world = BriefWorld::for_heads(book, pages, options);
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let mut warned = typst_diagnostics(&world, &warnings, files);
    let heads = match output {
        Ok(heads) => heads,
        Err(errors) => {
            warned.extend(typst_diagnostics(&world, &errors, files));
            return Err(warned);
        }
    };
    if heads.pages().len() != document.pages().len() {
        let name = super::world::HEADS;
        let path = options.templates.shown(name);
        if let Some(text) = options.templates.file(name) {
            files.insert(path.clone(), String::from_utf8_lossy(&text).into());
        }
        let problem = Problem::Typst(format!(
            "{name} laid out {} pages of running heads for a book of {}: it must lay out one for each page",
            heads.pages().len(),
            document.pages().len()
        ));
        warned.push(Diagnostic::error(path, 0..0, problem));
        return Err(warned);
    }
    let pages: EcoVec<Page> = document
        .pages()
        .iter()
        .zip(heads.pages())
        .zip(&laid.pages)
        .map(|((page, heads), facts)| {
            match facts.running.then(|| with_heads(&page.frame, &heads.frame)).flatten() {
                Some(frame) => Page { frame, ..page.clone() },
                None => page.clone(),
            }
        })
        .collect();
    Ok((PagedDocument::new(pages, document.info().clone()), warned))
}

/// A marked page's frame with the head and foot of `heads` (a page of
/// heads.typ) set on it, in the order Typst sets a page's: the head where
/// the page's mark is (before the text), the foot last; `None` if the
/// mark is not where a header holds it. Of `heads`, what lies in the top
/// half of the page is the head.
fn with_heads(page: &Frame, heads: &Frame) -> Option<Frame> {
    // After the mark's item, and the tags that close it.
    let mark = page.items().position(|(_, item)| holds_mark(item))?;
    let items: Vec<_> = page.items().cloned().collect();
    let at = mark
        + 1
        + items[mark + 1..].iter().take_while(|(_, i)| matches!(i, FrameItem::Tag(_))).count();
    let (head, foot): (Vec<_>, Vec<_>) =
        heads.items().cloned().partition(|(pos, _)| pos.y < heads.height() / 2.0);
    let mut frame = page.clone();
    frame.clear();
    frame.push_multiple(
        items[..at].iter().cloned().chain(head).chain(items[at..].iter().cloned()).chain(foot),
    );
    Some(frame)
}

/// Whether a page's item is the mark of a page with a running head, or
/// the header that holds it.
fn holds_mark(item: &FrameItem) -> bool {
    let is_mark = |item: &FrameItem| matches!(item, FrameItem::Tag(Tag::Start(content, _)) if content.label() == Some(mark()));
    match item {
        FrameItem::Group(group) => group.frame.items().any(|(_, item)| is_mark(item)),
        item => is_mark(item),
    }
}

/// The label of the mark (`<running-page>`).
fn mark() -> Label {
    label("running-page")
}

fn label(name: &str) -> Label {
    Label::new(PicoStr::intern(name)).expect("a label")
}

/// What `heads.typ` is told of the laid-out book; `None` if no page is
/// marked for a running head.
fn laid(document: &PagedDocument) -> Option<Laid> {
    let introspector = document.introspector();
    let pages_of = |label: Label| -> Vec<usize> {
        introspector
            .query(&Selector::Label(label))
            .iter()
            .filter_map(|mark| introspector.page(mark.location()?))
            .map(|page| page.get())
            .collect()
    };
    let running = pages_of(mark());
    if running.is_empty() {
        return None;
    }
    let mut marked = vec![false; document.pages().len()];
    for page in running {
        marked[page - 1] = true;
    }
    let pages = document
        .pages()
        .iter()
        .zip(marked)
        .map(|(page, running)| PageFacts { running, folio: page.number })
        .collect();
    let heads = introspector
        .query(&HeadingElem::ELEM.select())
        .iter()
        .filter_map(|content| {
            let heading = content.to_packed::<HeadingElem>()?;
            let level = heading.resolve_level(StyleChain::default()).get();
            (level <= 2).then_some(())?;
            Some(Head {
                page: introspector.page(content.location()?)?.get(),
                text: heading.body.plain_text(),
                outlined: heading.outlined.get(StyleChain::default()),
            })
        })
        .collect();
    Some(Laid {
        pages,
        heads,
        part_ends: pages_of(label("part-end")),
        part_starts: pages_of(label("part-start")),
    })
}
