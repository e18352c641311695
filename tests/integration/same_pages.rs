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
