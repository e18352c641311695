//! What brief sets after layout (issue 28): links to places in the book,
//! folios that end a flush-right line, running heads and feet. The
//! templates leave these to brief when it compiles them; compiled by the
//! layout engine alone (the document `--emit-typ` writes, without brief's
//! inputs), they ask the engine, which sets them in its later passes.
//! Both must give the same pages: every run of text the same, at the same
//! place, and every link leading to the same place.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::model::Destination;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::common::*;

/// The document `--emit-typ` wrote to `dir`, served as the typst CLI
/// serves it (`--root dir --font-path dir/fonts`), with no inputs.
struct Emitted {
    dir: PathBuf,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Emitted {
    fn new(dir: &Path) -> Self {
        let mut fonts = Vec::new();
        let mut folders = vec![dir.join("fonts")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "ttf" || e == "otf") {
                    fonts.extend(Font::iter(Bytes::new(std::fs::read(&path).unwrap())));
                }
            }
        }
        // In the order the typst CLI finds them: by path.
        let book = FontBook::from_fonts(&fonts);
        Emitted {
            dir: dir.to_path_buf(),
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(book),
            fonts,
        }
    }
}

impl World for Emitted {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        let path = VirtualPath::new("/templates/main.typ").unwrap();
        RootedPath::new(VirtualRoot::Project, path).intern()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let text = String::from_utf8(self.file(id)?.to_vec()).unwrap();
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = self.dir.join(id.vpath().get_with_slash().trim_start_matches('/'));
        std::fs::read(&path).map(Bytes::new).map_err(|_| FileError::NotFound(path))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(2026, 11, 23)
    }
}

/// A glyph on a page: its page, its place (in hundredths of a point) and
/// the text it stands for.
type Glyph = (usize, i64, i64, String);

/// A link on a line of a page: its page, the line's place, the page (and
/// place) it leads to, where it starts and where it ends.
type Link = (usize, i64, Option<(usize, i64)>, i64, i64);

fn at(length: Abs) -> i64 {
    (length.to_pt() * 100.0).round() as i64
}

/// Every glyph and every link of a document, page by page, in order on
/// the page. (Glyphs, not runs of text: where a run of text ends is the
/// layout engine's business.)
fn pages(document: &PagedDocument) -> (Vec<Glyph>, Vec<Link>) {
    fn walk(
        doc: &PagedDocument,
        page: usize,
        frame: &Frame,
        origin: Point,
        out: &mut (Vec<Glyph>, Vec<Link>),
    ) {
        for (pos, item) in frame.items() {
            let pos = origin + *pos;
            match item {
                FrameItem::Group(group) => walk(doc, page, &group.frame, pos, out),
                FrameItem::Text(text) => {
                    let mut x = pos.x;
                    for glyph in &text.glyphs {
                        let stands_for = text.text[glyph.range()].to_string();
                        out.0.push((
                            page,
                            at(pos.y),
                            at(x + glyph.x_offset.at(text.size)),
                            stands_for,
                        ));
                        x += glyph.x_advance.at(text.size);
                    }
                }
                FrameItem::Link(dest, size) => {
                    let to = match dest {
                        Destination::Location(location) => doc
                            .introspector()
                            .position(*location)
                            .map(|p| (p.page.get(), at(p.point.y))),
                        _ => None,
                    };
                    out.1.push((page, at(pos.y), to, at(pos.x), at(pos.x + size.x)));
                }
                _ => {}
            }
        }
    }
    let mut out = (Vec::new(), Vec::new());
    for (i, page) in document.pages().iter().enumerate() {
        walk(document, i + 1, &page.frame, Point::zero(), &mut out);
    }
    out.0.sort();
    // A link over text set in several runs is a link for each run: one
    // link from the first's start to the last's end.
    out.1.sort();
    out.1.dedup_by(|next, link| {
        let joins = (next.0, next.1, next.2) == (link.0, link.1, link.2) && next.3 <= link.4 + 1;
        if joins {
            link.4 = link.4.max(next.4);
        }
        joins
    });
    out
}

/// Builds the book with `args` from `data` as brief does, and as the
/// layout engine alone does from the document brief emits; both pages.
fn both(data: &Path, args: &[&str]) -> [(Vec<Glyph>, Vec<Link>); 2] {
    let built = must_make(data, args);
    let dir = tempfile::tempdir().unwrap();
    let emitted = dir.path().join("typ");
    let mut argv = vec!["--data", data.to_str().unwrap(), "--date", "2026-11-23"];
    argv.extend(args);
    argv.extend(["--out", "book.pdf", "--emit-typ", "typ"]);
    run_in(dir.path(), &argv).must_exit(0);
    let world = Emitted::new(&emitted);
    let engine =
        typst::compile::<PagedDocument>(&world).output.expect("the emitted document compiles");
    [pages(&built.rendered.document), pages(&engine)]
}

#[track_caller]
fn assert_same_pages(data: &Path, args: &[&str]) {
    let [(brief_glyphs, brief_links), (engine_glyphs, engine_links)] = both(data, args);
    let text: String = brief_glyphs.iter().map(|g| g.3.as_str()).collect();
    assert!(
        text.contains("FOR MEETING USE") && text.contains("As of"),
        "the heads and feet are set"
    );
    assert!(brief_links.iter().any(|l| l.2.is_some()), "links lead somewhere");
    let differ: Vec<_> =
        brief_glyphs.iter().zip(&engine_glyphs).filter(|(a, b)| a != b).take(5).collect();
    assert!(differ.is_empty(), "glyphs differ (brief, engine): {differ:#?}");
    assert_eq!(brief_glyphs.len(), engine_glyphs.len(), "as many glyphs");
    let differ: Vec<_> =
        brief_links.iter().zip(&engine_links).filter(|(a, b)| a != b).take(5).collect();
    assert!(differ.is_empty(), "links differ (brief, engine): {differ:#?}");
    assert_eq!(brief_links.len(), engine_links.len(), "as many links");
}

#[test]
fn the_shipped_theme_book_is_set_as_the_layout_engine_sets_it() {
    assert_same_pages(&shipped(), &["--theme", "afghanistan"]);
}

#[test]
fn a_meeting_book_is_set_as_the_layout_engine_sets_it() {
    assert_same_pages(&shipped(), &["--meeting", "pugwash-followup-example"]);
}

#[test]
fn a_two_sided_book_is_set_as_the_layout_engine_sets_it() {
    // Blank pages before parts, heads mirrored on left-hand pages.
    assert_same_pages(&shipped(), &["--duplex"]);
}

/// A `heads.typ` of the user's that fails, or lays out fewer pages than
/// the book has, is an error in that template; nothing is written.
#[test]
fn a_heads_template_that_fails_or_misses_pages_is_an_error_in_it() {
    let project = TestProject::from_fixture("basic");
    let args = ["--templates", "look", "--date", "2026-11-23", "--diagnostic-format", "short"];
    project.write("look/heads.typ", "#page[]\n");
    project.run(&args).must_report(
        1,
        &["look/heads.typ:1:1: error: heads.typ laid out 1 pages of running heads for a book of 6: it must lay out one for each page"],
    );
    project.write("look/heads.typ", "#let pages = json(\"/pages.json\")\n#pages.no-such-field\n");
    project.run(&args).must_report(
        1,
        &["look/heads.typ:2:8: error: dictionary does not contain key \"no-such-field\""],
    );
    assert!(!project.path().join("out").exists());
}
