//! `watch` follows every file a book is made from, not only the corpus
//! and brief.toml: a logo kept outside data/ and a font added to the
//! book's font directory each make it rebuild.

use std::time::Duration;

use crate::common::TestProject;

const BUILD_LIMIT: Duration = Duration::from_secs(60);

fn logo(fill: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"{fill}\"/></svg>"
    )
}

#[test]
fn watch_rebuilds_when_the_logo_or_an_added_font_changes() {
    let p = TestProject::from_fixture("basic");
    p.write("brand/logo.svg", logo("#000000"));
    std::fs::create_dir_all(p.path().join("brand/fonts")).unwrap();
    p.write("brief.toml", "[defaults]\nlogo = \"brand/logo.svg\"\nfont-path = \"brand/fonts\"\n");
    let mut watch = p.watch(&["--theme", "alpha", "--date", "2026-11-23"]);
    watch.must_build_within(BUILD_LIMIT);
    let first = p.read("out/alpha.pdf");
    assert_eq!(watch.builds_within(Duration::from_secs(2)), 0, "{}", watch.stderr());

    p.write("brand/logo.svg", logo("#7a1f1f"));
    watch.must_build_within(BUILD_LIMIT);
    assert_ne!(p.read("out/alpha.pdf"), first, "the new logo is in the book");
    assert_eq!(watch.builds_within(Duration::from_secs(2)), 0, "{}", watch.stderr());

    let font = crate::common::root().join("tests/fixtures/fonts/DejaVuSans-Georgian.ttf");
    std::fs::copy(font, p.path().join("brand/fonts/DejaVuSans-Georgian.ttf")).unwrap();
    watch.must_build_within(BUILD_LIMIT);
    assert!(!watch.stderr().contains("error"), "{}", watch.stderr());
}

/// What a build writes beside the corpus (`--emit-typ`, `--trace` into
/// the corpus folder) is never an input: the watch builds once, then
/// waits.
#[test]
fn watch_does_not_rebuild_on_what_it_writes() {
    let p = TestProject::from_fixture("basic");
    let args = [
        "--theme",
        "alpha",
        "--date",
        "2026-11-23",
        "--emit-typ",
        "data/typ",
        "--trace",
        "data/trace.json",
    ];
    let mut watch = p.watch(&args);
    watch.must_build_within(BUILD_LIMIT);
    assert!(p.path().join("data/typ/brief.json").exists(), "{}", watch.stderr());
    assert_eq!(watch.builds_within(Duration::from_secs(3)), 0, "{}", watch.stderr());
}
