//! Sources as Zotero exports them (issue 26): Better BibTeX's `.bib` and
//! Zotero's own CSL-JSON, in tests/fixtures/zotero, each case as those
//! exports write it.

use crate::common::*;

fn book() -> String {
    laid_out(&must_make(&fixture("zotero"), &[]))
}

/// `author = {{Government of India} and {Government of Pakistan}}`: two
/// institutions, each a whole name, not "India" and "Pakistan".
#[test]
fn a_brace_protected_corporate_author_stays_whole() {
    let text = book();
    assert_printed(&text, "(Government of India and Government of Pakistan 1960)");
    assert_printed(&text, "Government of India, and Government of Pakistan. 1960.");
    assert_not_printed(&text, "(India and Pakistan");
}

/// The same author in the same year, or undated, is told apart by a
/// letter, in the citations and in the source list alike.
#[test]
fn one_author_s_works_of_one_year_or_none_are_told_apart() {
    let text = book();
    assert_printed(&text, "(Obsidian, n.d.-a; b)");
    assert_printed(&text, "Cited as: (Obsidian, n.d.-b)");
    assert_printed(&text, "Obsidian. n.d.-a. “Monday Note”.");
    assert_printed(&text, "(Khan 2012a; 2012b)");
    assert_not_printed(&text, "(Obsidian, n.d.)");
}

/// Zotero's own CSL-JSON keys each item by its URI in `id` and carries the
/// citation key in `citation-key`: findings cite by the key. A range of
/// dates is kept as its start, and `check` says so.
#[test]
fn a_zotero_csl_json_item_is_cited_by_its_citation_key() {
    let text = book();
    assert_printed(&text, "(Ahmed 2019, p. 4)");
    assert_not_printed(&text, "zotero.org");
    let ran = run_in(&fixture_dir("zotero"), &["check"]);
    ran.must_exit(0);
    let warning = "warning: item `ahmedGlacierMelt2019`: `issued` is a range (2019-03 to 2019-05)";
    assert!(ran.stderr.contains(warning), "{}", ran.stderr);
    assert!(ran.stderr.contains("sources.json:2:3"), "{}", ran.stderr);
}

/// A source's kind, when only the export gives it, is a reader's word:
/// "Document" for BibTeX's `misc`, never "Misc".
#[test]
fn a_source_s_kind_is_a_reader_s_word() {
    let text = book();
    assert_printed(&text, "Kind: Document");
    assert_printed(&text, "Kind: Report");
    assert_not_printed(&text, "Kind: Misc");
}
