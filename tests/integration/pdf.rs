//! Reading the PDFs brief writes, in Rust, where the tests used poppler
//! and qpdf: the text a reader copies out (pdftotext), the fonts
//! (pdffonts), the attachments (pdfdetach) and everything a search for a
//! leaked string must look at (`qpdf --qdf`: every stream decompressed,
//! every string of every object). hayro-syntax reads the objects and
//! streams; hayro-interpret runs the page content and maps each glyph to
//! its text through the font's ToUnicode CMap. Both are Typst's own PDF
//! readers, already built with it, and they are not brief's code.
//!
//! Each reader is proven against poppler and qpdf (pdf_control.rs): on a
//! committed book with their output beside it, and live on a fresh book
//! where the tools are installed. So a reader weaker than the tools it
//! replaced cannot let a test pass that they would have failed.

use std::collections::VecDeque;
use std::path::Path;

use hayro_interpret::font::Glyph;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, interpret_page,
};
use hayro_syntax::Pdf;
use hayro_syntax::content::TypedIter;
use hayro_syntax::content::ops::TypedInstruction;
use hayro_syntax::object::{Array, Dict, MaybeRef, Name, Object, Stream, String as PdfString};
use hayro_syntax::page::Resources;
use kurbo::{Affine, BezPath, Point, Rect};

/// Opens a PDF.
#[track_caller]
fn open(pdf: &[u8]) -> Pdf {
    Pdf::new(pdf.to_vec()).unwrap_or_else(|e| panic!("not a PDF that can be read: {e:?}"))
}

/// A glyph as drawn: its text, where it starts and ends on its baseline
/// and how large it is, in points up from the bottom left of the page.
struct Placed {
    text: String,
    x: f64,
    end: f64,
    y: f64,
    size: f64,
}

/// The glyphs of a page, in the order its content draws them, with the
/// text each marked-content sequence with an /ActualText stands for in
/// place of the glyphs it holds (as poppler reads it: Typst writes one
/// where a glyph's ToUnicode entry cannot say what it stands for).
#[derive(Default)]
struct Glyphs {
    drawn: Vec<Placed>,
    /// The marked-content sequences still to begin, in the order
    /// hayro-interpret begins them: their tag and /ActualText.
    to_begin: VecDeque<(Vec<u8>, Option<String>)>,
    /// The sequences begun and not ended: the /ActualText and the number
    /// of glyphs drawn before.
    open: Vec<(Option<String>, usize)>,
}

impl<'a> Device<'a> for Glyphs {
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        // Glyph space is 1000 units to the em.
        let to_page = transform * glyph_transform;
        let origin = to_page * Point::ZERO;
        let advance = match glyph {
            Glyph::Outline(outline) => f64::from(outline.advance_width().unwrap_or(0.0)),
            Glyph::Type3(_) => 0.0,
        };
        let text = match glyph.as_unicode() {
            Some(BfString::Char(c)) => c.to_string(),
            Some(BfString::String(s)) => s,
            None => '\u{fffd}'.to_string(),
        };
        self.drawn.push(Placed {
            text,
            x: origin.x,
            end: (to_page * Point::new(advance, 0.0)).x,
            y: origin.y,
            size: (to_page * Point::new(0.0, 1000.0) - origin).hypot(),
        });
    }
    fn begin_marked_content(&mut self, tag: &[u8], _: Option<i32>) {
        let (expected, actual) = self.to_begin.pop_front().unwrap_or_default();
        assert_eq!(expected, tag, "marked content out of step with the content stream");
        self.open.push((actual, self.drawn.len()));
    }
    fn end_marked_content(&mut self) {
        let Some((Some(actual), from)) = self.open.pop() else { return };
        let inside = self.drawn.split_off(from);
        if let (Some(first), Some(last)) = (inside.first(), inside.last()) {
            let (x, y, size, end) = (first.x, first.y, first.size, last.end);
            self.drawn.push(Placed { text: actual, x, end, y, size });
        }
    }
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// The text of a PDF as a reader copies it out, laid out as pdftotext
/// does: a line per line of type, top to bottom, words apart, right-to-
/// left words in reading order, and a form feed after each page.
pub fn text(pdf: &[u8]) -> String {
    let mut out = String::new();
    for (glyphs, _) in glyphs_by_page(pdf) {
        for line in lines(glyphs) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\u{c}');
    }
    out
}

/// Each page's glyphs as drawn, and the page's width and height.
fn glyphs_by_page(pdf: &[u8]) -> Vec<(Vec<Placed>, (f64, f64))> {
    let pdf = open(pdf);
    let cache = InterpreterCache::new();
    let mut out = Vec::new();
    for page in pdf.pages().iter() {
        let settings = InterpreterSettings { render_annotations: false, ..Default::default() };
        let bbox = Rect::new(0.0, 0.0, 1.0, 1.0);
        let mut context = Context::new(Affine::IDENTITY, bbox, &cache, pdf.xref(), settings);
        let mut glyphs = Glyphs::default();
        let content = page.page_stream().unwrap_or_default();
        marked_content(content, page.resources(), &mut glyphs.to_begin);
        interpret_page(page, &mut context, &mut glyphs);
        assert!(glyphs.to_begin.is_empty(), "marked content that was not drawn");
        let media = page.media_box();
        out.push((glyphs.drawn, (media.width(), media.height())));
    }
    out
}

/// A line of type as placed on its page (1-based): its text, where it
/// starts and ends and its baseline, in points up from the bottom left,
/// its size, and the page's width and height.
#[derive(Debug)]
pub struct Line {
    pub page: usize,
    pub text: String,
    pub x: f64,
    pub end: f64,
    pub y: f64,
    pub size: f64,
    pub width: f64,
    pub height: f64,
}

/// Every line of type of a PDF, page by page, top to bottom.
pub fn placed_lines(pdf: &[u8]) -> Vec<Line> {
    let mut out = Vec::new();
    for (i, (glyphs, (width, height))) in glyphs_by_page(pdf).into_iter().enumerate() {
        for line in grouped(glyphs) {
            out.push(Line {
                page: i + 1,
                text: line.iter().map(|g| g.text.as_str()).collect(),
                x: line[0].x,
                end: line.iter().map(|g| g.end).fold(f64::MIN, f64::max),
                y: line[0].y,
                size: line.iter().map(|g| g.size).fold(0.0, f64::max),
                width,
                height,
            });
        }
    }
    out
}

/// The text of a PDF file; see [`text`].
#[track_caller]
pub fn text_of(pdf: &Path) -> String {
    text(&std::fs::read(pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display())))
}

/// The marked-content sequences of a content stream, in the order
/// hayro-interpret begins them: each with its tag and /ActualText, and
/// those of each form XObject where the stream draws it.
fn marked_content(
    content: &[u8],
    resources: &Resources,
    out: &mut VecDeque<(Vec<u8>, Option<String>)>,
) {
    let mut ops = TypedIter::new(content);
    while let Some(op) = ops.next() {
        match op {
            TypedInstruction::BeginMarkedContent(bmc) => out.push_back((bmc.0.to_vec(), None)),
            TypedInstruction::BeginMarkedContentWithProperties(bdc) => {
                let properties = match bdc.1 {
                    Object::Dict(dict) => Some(dict.clone()),
                    Object::Name(name) => resources.properties.get::<Dict>(name.as_ref()),
                    _ => None,
                };
                let actual = properties.and_then(|p| p.get::<PdfString>(b"ActualText"));
                out.push_back((bdc.0.to_vec(), actual.map(|a| decode(a.as_bytes()))));
            }
            TypedInstruction::XObject(x) => {
                let Some(form) = resources.get_x_object(x.0) else { continue };
                if form.dict().get::<Name>(b"Subtype").is_some_and(|s| s.as_ref() == b"Form") {
                    let own = form.dict().get::<Dict>(b"Resources").unwrap_or_default();
                    let inner = Resources::from_parent(own, resources.clone());
                    marked_content(&form.decoded().expect("a form that decodes"), &inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Glyphs made into lines: those on one baseline, left to right.
fn lines(glyphs: Vec<Placed>) -> Vec<String> {
    grouped(glyphs).iter().map(|line| reading_order(words(line))).collect()
}

/// Glyphs grouped by line of type, top to bottom, each left to right.
fn grouped(mut glyphs: Vec<Placed>) -> Vec<Vec<Placed>> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut lines: Vec<Vec<Placed>> = Vec::new();
    for glyph in glyphs {
        match lines.last_mut() {
            Some(line) if (line[0].y - glyph.y).abs() < 0.25 * line[0].size.min(glyph.size) => {
                line.push(glyph)
            }
            _ => lines.push(vec![glyph]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line's pieces of text left to right, with a space where the glyphs
/// stand apart (more than a tenth of an em, poppler's measure) and no
/// space glyph says so.
fn words(line: &[Placed]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, glyph) in line.iter().enumerate() {
        if let Some(before) = i.checked_sub(1).map(|b| &line[b]) {
            let apart = glyph.x - before.end > glyph.size.min(before.size) / 10.0;
            let spaced = before.text.ends_with(char::is_whitespace)
                || glyph.text.starts_with(char::is_whitespace);
            if apart && !spaced {
                out.push(" ".into());
            }
        }
        out.push(glyph.text.clone());
    }
    out
}

/// Whether a character is written right to left (Hebrew, Arabic, their
/// presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{590}'..='\u{8ff}' | '\u{fb1d}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
}

/// A line's pieces, left to right, in reading order: each run of right-to-
/// left pieces (with the spaces between them) reversed.
fn reading_order(mut pieces: Vec<String>) -> String {
    let rtl = |p: &String| p.chars().any(is_rtl);
    let mut i = 0;
    while i < pieces.len() {
        if !rtl(&pieces[i]) {
            i += 1;
            continue;
        }
        let mut end = i;
        for (j, piece) in pieces.iter().enumerate().skip(i + 1) {
            if rtl(piece) {
                end = j;
            } else if !piece.chars().all(char::is_whitespace) {
                break;
            }
        }
        pieces[i..=end].reverse();
        i = end + 1;
    }
    pieces.concat().trim_end().to_string()
}

/// A font as pdffonts lists it: its name, type and whether the PDF
/// carries the font program.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Font {
    /// `/BaseFont`, with its subset tag (`ABCDEF+DejaVuSans`).
    pub name: String,
    /// `/Subtype`: `Type0`, `TrueType`, `Type3`, …
    pub kind: String,
    /// Whether the font program is embedded (Type 3 fonts always are).
    pub embedded: bool,
}

/// Every font of a PDF: each font dictionary but the descendants of a
/// Type 0 font, which pdffonts lists as part of their parent.
pub fn fonts(pdf: &[u8]) -> Vec<Font> {
    let pdf = open(pdf);
    let mut fonts = Vec::new();
    for object in pdf.objects() {
        let Object::Dict(dict) = object else { continue };
        let name =
            |key: &[u8]| dict.get::<Name>(key).map(|n| String::from_utf8_lossy(&n).into_owned());
        let kind = name(b"Subtype").unwrap_or_default();
        if name(b"Type").as_deref() != Some("Font") || kind.starts_with("CIDFontType") {
            continue;
        }
        let descriptor = match dict.get::<Array>(b"DescendantFonts") {
            Some(descendants) => {
                descendants.iter::<Dict>().next().and_then(|d| d.get::<Dict>(b"FontDescriptor"))
            }
            None => dict.get::<Dict>(b"FontDescriptor"),
        };
        let carried = descriptor.is_some_and(|d| {
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.contains_key(k))
        });
        let embedded = kind == "Type3" || carried;
        fonts.push(Font {
            name: name(b"BaseFont").unwrap_or_else(|| "[none]".into()),
            kind,
            embedded,
        });
    }
    fonts.sort();
    fonts
}

/// The files attached to a PDF, by name, as pdfdetach lists them: the
/// document's EmbeddedFiles name tree, each file specification's `/UF`
/// (or `/F`) name and its `/EF` stream, decoded.
pub fn attachments(pdf: &[u8]) -> Vec<(String, Vec<u8>)> {
    fn walk(node: &Dict, out: &mut Vec<(String, Vec<u8>)>) {
        for kid in node.get::<Array>(b"Kids").iter().flat_map(|kids| kids.iter::<Dict>()) {
            walk(&kid, out);
        }
        let Some(names) = node.get::<Array>(b"Names") else { return };
        for spec in names.iter::<Object>().skip(1).step_by(2).filter_map(Object::into_dict) {
            let name = spec.get::<PdfString>(b"UF");
            let name = name.or_else(|| spec.get(b"F")).map(|s| decode(s.as_bytes()));
            let file = spec.get::<Dict>(b"EF").and_then(|ef| ef.get::<Stream>(b"F"));
            let bytes = file.map(|f| f.decoded().expect("an attachment that decodes").to_vec());
            out.push((name.unwrap_or_default(), bytes.unwrap_or_default()));
        }
    }
    let pdf = open(pdf);
    let catalog: Dict = pdf.xref().get(pdf.xref().root_id()).expect("a catalog");
    let mut out = Vec::new();
    if let Some(tree) = catalog.get::<Dict>(b"Names").and_then(|n| n.get::<Dict>(b"EmbeddedFiles"))
    {
        walk(&tree, &mut out);
    }
    out
}

/// The bytes of the file attached to a PDF under `name`.
#[track_caller]
pub fn attachment(pdf: &Path, name: &str) -> Vec<u8> {
    let all = attachments(&std::fs::read(pdf).unwrap());
    let found = all.iter().find(|(n, _)| n == name);
    found.unwrap_or_else(|| panic!("{} has no attachment {name}", pdf.display())).1.clone()
}

/// A PDF text string as text: UTF-16BE after its byte order mark, or
/// else PDFDocEncoding (taken as Latin-1, which it matches for text).
pub fn decode(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => char::decode_utf16(
            utf16.chunks(2).map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])),
        )
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect(),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Everything in a PDF that a search for a leaked string must look at:
/// its bytes as written, then every object's strings (also decoded to
/// UTF-8), names and streams (decompressed: page content, ToUnicode
/// CMaps, XMP metadata, attachments, object streams and fonts), the
/// objects inside object streams included. This is at least what
/// `qpdf --qdf --object-streams=disable` writes out.
pub fn searchable(pdf: &[u8]) -> Vec<u8> {
    fn add(object: Object, out: &mut Vec<u8>) {
        match object {
            Object::String(s) => {
                out.extend_from_slice(s.as_bytes());
                out.push(b'\n');
                out.extend_from_slice(decode(s.as_bytes()).as_bytes());
            }
            Object::Name(name) => out.extend_from_slice(&name),
            Object::Dict(dict) => add_dict(&dict, out),
            Object::Array(array) => {
                for item in array.raw_iter() {
                    if let MaybeRef::NotRef(item) = item {
                        add(item, out);
                    }
                }
            }
            Object::Stream(stream) => {
                add_dict(stream.dict(), out);
                let data = stream.decoded().expect("every stream decodes");
                out.extend_from_slice(&data);
            }
            _ => {}
        }
        out.push(b'\n');
    }
    fn add_dict(dict: &Dict, out: &mut Vec<u8>) {
        for (key, value) in dict.entries() {
            out.extend_from_slice(&key);
            out.push(b' ');
            if let MaybeRef::NotRef(value) = value {
                add(value, out);
            }
        }
    }
    let mut out = pdf.to_vec();
    for object in open(pdf).objects() {
        add(object, &mut out);
    }
    out
}

/// Whether `needle` occurs in `haystack` as ASCII or as UTF-16BE (how PDF
/// text strings such as bookmarks and metadata may be written), any case.
pub fn mentions(haystack: &[u8], needle: &str) -> bool {
    let lower: Vec<u8> = haystack.iter().map(u8::to_ascii_lowercase).collect();
    let ascii = needle.to_lowercase().into_bytes();
    let utf16: Vec<u8> = ascii.iter().flat_map(|&b| [0, b]).collect();
    [ascii, utf16].iter().any(|n| lower.windows(n.len()).any(|w| w == n.as_slice()))
}
