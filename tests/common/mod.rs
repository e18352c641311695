//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use brief::cli::{BuildRequest, Cli};
use clap::Parser;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped corpus.
pub fn shipped() -> PathBuf {
    root().join("data")
}

/// A fixture corpus.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name).join("data")
}

/// A build request as the command line would make it, with a fixed date.
#[track_caller]
pub fn must_request(data: &Path, args: &[&str]) -> BuildRequest {
    let mut argv = vec!["brief", "--data", data.to_str().unwrap()];
    if !args.contains(&"--date") {
        argv.extend(["--date", "2026-11-23"]);
    }
    let cli = Cli::try_parse_from(argv.iter().chain(args)).expect("valid arguments");
    cli.build
        .into_request(|| unreachable!("the date is fixed"), |_| unreachable!("one book"))
        .expect("a valid request")
}

/// Runs the pipeline up to the PDF, writing nothing; no warnings allowed.
#[track_caller]
pub fn must_make(data: &Path, args: &[&str]) -> brief::Built {
    let built = brief::make(&must_request(data, args)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(built.rendered.warnings.is_empty(), "Typst warnings: {:?}", built.rendered.warnings);
    built
}

/// Text with whitespace and hyphens removed, so line breaks and
/// hyphenation in the layout do not matter.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{ad}' | '\u{200b}'))
        .collect()
}

/// The whole laid-out text of a book, squashed.
pub fn laid_out(built: &brief::Built) -> String {
    squash(&built.rendered.text.join("\n"))
}

/// Asserts the book's laid-out text contains `needle` (squashed).
#[track_caller]
pub fn assert_printed(text: &str, needle: &str) {
    assert!(text.contains(&squash(needle)), "not printed: {needle:?}");
}

/// Asserts the book's laid-out text does not contain `needle` (squashed).
#[track_caller]
pub fn assert_not_printed(text: &str, needle: &str) {
    assert!(!text.contains(&squash(needle)), "printed but should not be: {needle:?}");
}
