//! The text of the pages, as snapshots (issue 28): what a reader sees in
//! the shipped books and in the citations fixture in each style the tests
//! use, page by page. The snapshots were recorded from the books built
//! when Typst still formatted the citations itself; brief now formats them
//! in Rust (`src/cite`), and the pages must read the same. A change to
//! what a page says shows here as a diff a person reviews.

use crate::common::*;

/// Every page's text, numbered, with runs of spaces made one.
fn pages(data: &std::path::Path, args: &[&str]) -> String {
    let built = must_make(data, args);
    let mut out = String::new();
    for (i, page) in built.rendered.text().iter().enumerate() {
        out.push_str(&format!("--- page {} ---\n", i + 1));
        for line in page.lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn the_shipped_theme_book() {
    insta::assert_snapshot!(pages(&shipped(), &["--theme", "afghanistan"]));
}

#[test]
fn the_shipped_meeting_book() {
    insta::assert_snapshot!(pages(&shipped(), &["--meeting", "pugwash-followup-example"]));
}

#[test]
fn the_citations_fixture_in_the_default_style() {
    insta::assert_snapshot!(pages(&fixture("citations"), &[]));
}

#[test]
fn the_citations_fixture_in_a_numeric_style() {
    insta::assert_snapshot!(pages(&fixture("citations"), &["--csl", "ieee"]));
}

#[test]
fn the_citations_fixture_in_a_note_style() {
    insta::assert_snapshot!(pages(&fixture("citations"), &["--csl", "chicago-notes"]));
}

#[test]
fn the_citations_fixture_in_apa() {
    insta::assert_snapshot!(pages(&fixture("citations"), &["--csl", "apa"]));
}

#[test]
fn the_citations_fixture_in_a_style_of_its_own() {
    let project = TestProject::from_fixture("citations");
    project.write("brief.toml", "[defaults]\ncsl = \"house.csl\"\n");
    insta::assert_snapshot!(pages(&project.path().join("data"), &[]));
}

#[test]
fn the_citations_fixture_in_a_style_without_a_bibliography() {
    let csl = root().join("tests/fixtures/citations/citations-only.csl");
    insta::assert_snapshot!(pages(&fixture("citations"), &["--csl", csl.to_str().unwrap()]));
}

/// The one difference from the pages Typst set: a note style's notes
/// had the locale's single quotes, as Typst's show rule on a citation did
/// not reach its note; now the whole book has double ones.
#[test]
fn a_note_style_has_the_book_s_quotes_in_its_notes() {
    let text = pages(&fixture("citations"), &["--csl", "chicago-notes"]);
    assert!(text.contains("“Corridors and Debt”"), "{text}");
    assert!(!text.contains('‘'), "{text}");
}

/// The contents is built from the book, not from the headings laid out
/// (so that it need not wait for a layout pass): it must list exactly
/// the sections, themes, items and groups the book prints, in order,
/// each with the page it is on.
#[test]
fn the_contents_lists_every_section_with_its_page() {
    use typst::foundations::{NativeElement, StyleChain};
    use typst::introspection::Introspector;
    use typst::model::HeadingElem;
    let edition = TestProject::from_fixture("basic");
    edition.write("brief.toml", "[[book]]\nname = \"alpha\"\nthemes = [\"alpha\"]\n");
    edition.run(&["build", "--all", "--date", "2026-11-01"]).must_exit(0);
    let since = edition.path().join("out/alpha.pdf");
    edition.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("Footnoted claim.", "A revised claim.")
    });
    let books = [
        must_make(&shipped(), &["--theme", "afghanistan"]),
        must_make(&shipped(), &["--meeting", "pugwash-followup-example"]),
        must_make(&shipped(), &[]),
        must_make(
            &edition.path().join("data"),
            &["--theme", "alpha", "--since", since.to_str().unwrap()],
        ),
    ];
    let mut changes = false;
    for built in &books {
        let doc = &built.rendered.document;
        let heads: Vec<(String, usize)> = doc
            .introspector()
            .query(&HeadingElem::ELEM.select())
            .iter()
            .filter_map(|h| {
                let packed = h.to_packed::<HeadingElem>()?;
                let level = packed.resolve_level(StyleChain::default()).get();
                let outlined = packed.outlined.get(StyleChain::default());
                let page = doc.introspector().position(h.location()?)?.page.get();
                (outlined && level <= 2).then(|| (squash(&packed.body.plain_text()), page))
            })
            .collect();
        let pages = built.rendered.text();
        let contents_page =
            pages.iter().position(|p| p.contains("Contents")).expect("a contents page");
        // The contents' lines: a title, dot leaders, a page number (a
        // title may wrap over two lines).
        let mut listed = Vec::new();
        let mut pending = String::new();
        for line in
            pages[contents_page..].concat().lines().skip_while(|l| !l.contains("Contents")).skip(1)
        {
            let Some((title, page)) = line.split_once(" ..") else {
                if listed.len() == heads.len() {
                    break;
                }
                pending.push_str(line);
                continue;
            };
            let page: usize = page.trim_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
            listed.push((squash(&format!("{pending}{title}")), page));
            pending.clear();
        }
        let folio_offset = heads[0].1 - listed[0].1;
        let listed: Vec<_> = listed.into_iter().map(|(t, p)| (t, p + folio_offset)).collect();
        assert_eq!(listed, heads, "{:?}", built.book.meta.title);
        changes |= heads.iter().any(|(t, _)| t.starts_with("Whatchanged"));
    }
    assert!(changes, "an edition 2 lists its changes page");
}
