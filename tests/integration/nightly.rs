//! The nightly job's promises, through the `brief` binary: `--if-changed`
//! never trusts a PDF its record was not written for, written files get
//! the mode the user's umask allows, a file in the way is named, an empty
//! theme name is refused, `--emit-typ` carries the images, and `brief
//! watch` rebuilds on an edit (brief.toml too) and only then.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use crate::common::TestProject;

const DATE: [&str; 2] = ["--date", "2026-11-23"];
/// The finding both alpha and beta books hold.
const BOTH: &str = "data/findings/meeting/02-both.md";
/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
/// The longest any one build may take before a watch test gives up.
const BUILD_LIMIT: Duration = Duration::from_secs(60);

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    [&["--theme", "alpha"][..], &DATE, extra].concat()
}

/// Two runs of one book with different inputs (A: the fixture, B: after an
/// edit) rename their PDF and their record in either order. Whichever
/// pair is left on disk, a later `--if-changed` run rebuilds unless the
/// PDF is the one its record was written for.
#[test]
fn issue_1_if_changed_rebuilds_a_pdf_left_beside_another_runs_record() {
    let p = TestProject::from_fixture("basic");
    let run = args(&["--if-changed"]);
    let record = "out/.alpha.pdf.inputs";
    let (edit_to_b, edit_to_a) =
        (("It bears on", "It now bears on"), ("It now bears on", "It bears on"));
    p.run(&run).must_exit(0);
    let (pdf_a, record_a) = (p.read("out/alpha.pdf"), p.read(record));
    p.edit(BOTH, |t| t.replace(edit_to_b.0, edit_to_b.1));
    assert_eq!(p.run(&run).must_exit(0).stdout, "out/alpha.pdf\n");
    let (pdf_b, record_b) = (p.read("out/alpha.pdf"), p.read(record));
    assert_ne!(pdf_a, pdf_b);

    // The corpus is at B: run A's PDF renamed last, beside run B's record.
    p.write("out/alpha.pdf", &pdf_a).write(record, &record_b);
    let ran = p.run(&run);
    ran.must_exit(0);
    assert_eq!(ran.stdout, "out/alpha.pdf\n", "rebuilt, not unchanged: {}", ran.stderr);
    assert!(ran.stderr.starts_with("brief: wrote out/alpha.pdf ("), "{}", ran.stderr);
    assert_eq!(p.read("out/alpha.pdf"), pdf_b);

    // The corpus is at A: run B's PDF beside run A's record (A's record
    // renamed last).
    p.edit(BOTH, |t| t.replace(edit_to_a.0, edit_to_a.1));
    p.write("out/alpha.pdf", &pdf_b).write(record, &record_a);
    assert_eq!(p.run(&run).must_exit(0).stdout, "out/alpha.pdf\n");
    assert_eq!(p.read("out/alpha.pdf"), pdf_a);

    // A PDF and its own record: unchanged.
    let ran = p.run(&run);
    ran.must_exit(0);
    assert_eq!(
        (ran.stdout.as_str(), ran.stderr.as_str()),
        ("", "brief: unchanged out/alpha.pdf\n")
    );
}

#[cfg(unix)]
fn mode(p: &TestProject, relative: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p.path().join(relative)).unwrap().permissions().mode() & 0o777
}

/// A new file gets what the umask allows; a replaced file keeps its mode.
#[cfg(unix)]
#[test]
fn issue_2_written_files_honour_the_umask_and_keep_a_replaced_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    let p = TestProject::from_fixture("basic");
    p.run_with_umask("027", &args(&[])).must_exit(0);
    assert_eq!(mode(&p, "out/alpha.pdf"), 0o640);
    assert_eq!(mode(&p, "out/.alpha.pdf.inputs"), 0o640);
    assert_eq!(mode(&p, "out"), 0o750);
    p.run_with_umask("022", &args(&["--out", "shared/alpha.pdf"])).must_exit(0);
    assert_eq!(mode(&p, "shared/alpha.pdf"), 0o644);

    // A restricted book stays restricted when rebuilt, whatever the umask.
    let restricted = std::fs::Permissions::from_mode(0o600);
    std::fs::set_permissions(p.path().join("out/alpha.pdf"), restricted).unwrap();
    let before = p.read("out/alpha.pdf");
    p.edit(BOTH, |t| t.replace("It bears on", "It now bears on"));
    p.run_with_umask("022", &args(&[])).must_exit(0);
    assert_ne!(p.read("out/alpha.pdf"), before, "rebuilt");
    assert_eq!(mode(&p, "out/alpha.pdf"), 0o600);
}

/// A file where a directory must be, or a directory where the PDF must
/// go: exit 3, naming the path and what is in the way; nothing touched.
#[test]
fn issue_3_a_file_in_the_way_is_named_and_exits_3() {
    let p = TestProject::from_fixture("basic");
    p.write("out", "a file, not a folder");
    let ran = p.run(&args(&[]));
    ran.must_exit(3);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr,
        "error: out: a file is in the way: writing `out/alpha.pdf` needs a directory here\n"
    );
    let ran = p.run(&args(&["--out", "out/deeper/alpha.pdf"]));
    ran.must_exit(3);
    assert_eq!(
        ran.stderr,
        "error: out: a file is in the way: writing `out/deeper/alpha.pdf` needs a directory here\n"
    );
    assert_eq!(p.read("out"), b"a file, not a folder");

    std::fs::create_dir_all(p.path().join("book.pdf/inside")).unwrap();
    let ran = p.run(&args(&["--out", "book.pdf"]));
    ran.must_exit(3);
    assert_eq!(
        ran.stderr,
        "error: book.pdf: a directory is in the way: the file cannot replace it\n"
    );

    p.write("typ", "a file");
    let ran = p.run(&args(&["--out", "ok.pdf", "--emit-typ", "typ"]));
    ran.must_exit(3);
    assert_eq!(
        ran.stderr,
        "error: typ: a file is in the way: writing `typ/brief.json` needs a directory here\n"
    );
    assert!(!p.path().join("ok.pdf").exists(), "a failed run writes no PDF");

    // Read, not written, but named the same way: templates from a file.
    let ran = p.run(&args(&["--out", "ok.pdf", "--templates", "typ"]));
    ran.must_exit(3);
    assert_eq!(
        ran.stderr,
        "error: typ: is a file: templates are read from a directory of `.typ` files\n"
    );
}

/// `-t ""`, `--theme ,`, a trailing comma: a usage error, not every theme.
#[test]
fn issue_4_an_empty_theme_name_is_a_usage_error() {
    let p = TestProject::from_fixture("basic");
    for given in [&["-t", ""][..], &["--theme", ","], &["--theme", "alpha,"], &["-t", " "]] {
        let ran = p.run(&[given, &DATE].concat());
        ran.must_exit(2);
        assert_eq!(ran.stdout, "", "{given:?}");
        assert!(
            ran.stderr.starts_with(
                "error: a theme name is empty (an empty `--theme`, or a stray comma in a list)\nknown themes:\n  alpha"
            ),
            "{given:?}: {}",
            ran.stderr
        );
    }
    assert!(!p.path().join("out").exists(), "nothing was built");

    // In brief.toml: that book fails at the value, the others are made.
    p.write("brief.toml", "[[book]]\nname = \"empty\"\nthemes = [\"\"]\n\n[[book]]\nname = \"a\"\nthemes = [\"alpha\"]\n");
    let ran = p.run(&[&["build", "--all", "--diagnostic-format", "short"][..], &DATE].concat());
    ran.must_report(1, &["brief.toml:3:10: error: invalid `themes`: a theme name is empty\n"]);
    assert_eq!(ran.stdout, "out/a.pdf\n");
}

/// `--emit-typ DIR` holds every image the book shows, at the path the
/// templates read it from, and no other image of the corpus: the book
/// compiled from DIR alone is the book brief wrote.
#[test]
fn issue_5_emit_typ_writes_the_images_the_book_shows() {
    let p = TestProject::from_fixture("basic");
    p.write("data/findings/meeting/maps/map.png", PNG);
    p.write("data/findings/meeting/gamma.png", PNG);
    p.edit(BOTH, |t| format!("{t}\n![A map of the region](maps/map.png)\n"));
    p.edit("data/findings/meeting/03-out-of-theme.md", |t| {
        format!("{t}\n![Not in an alpha book](gamma.png)\n")
    });
    p.run(&args(&["--emit-typ", "typ"])).must_exit(0);
    assert_eq!(p.read("typ/corpus/findings/meeting/maps/map.png"), PNG);
    assert!(!p.path().join("typ/corpus/findings/meeting/gamma.png").exists(), "not this book's");
    let json = p.read("typ/brief.json");
    assert!(String::from_utf8_lossy(&json).contains("\"/corpus/findings/meeting/maps/map.png\""));

    // What the typst CLI would be given: DIR's templates, DIR's JSON and
    // DIR/corpus as the root of `/corpus/...`.
    let typ = p.path().join("typ");
    let options = brief::render::RenderOptions {
        templates: brief::render::Templates::with_overrides(&typ.join("templates")).unwrap(),
        corpus_dir: typ.join("corpus"),
        images: BTreeSet::from([PathBuf::from("findings/meeting/maps/map.png")]),
        as_of: "2026-11-23".parse().unwrap(),
        ident: "alpha".into(),
        standard: None,
        brand: Default::default(),
        fonts: brief::render::fonts::Fonts::shipped(),
    };
    let rendered = brief::render::render_json(json, &options).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    assert!(rendered.pdf == p.read("out/alpha.pdf"), "the emitted document is the same book");
}

/// `--data .`: the corpus is the project directory, so out/ (or the PDF
/// itself) lies inside the watched tree. One build, then quiet until an
/// edit.
#[test]
fn issue_6_watch_with_the_output_inside_the_corpus_builds_once() {
    for out in [None, Some("alpha.pdf")] {
        let p = TestProject::with_corpus_at_root("basic");
        let mut argv = vec!["--data", ".", "--theme", "alpha", "--date", "2026-11-23"];
        argv.extend(out.iter().flat_map(|o| ["--out", *o]));
        let mut watch = p.watch(&argv);
        watch.must_build_within(BUILD_LIMIT);
        let pdf = out.unwrap_or("out/alpha.pdf");
        assert!(p.path().join(pdf).exists(), "{pdf}: {}", watch.stderr());
        let idle = watch.builds_within(Duration::from_secs(3));
        assert_eq!(idle, 0, "rebuilt with no edit ({out:?}):\n{}", watch.stderr());
        // And an edit still rebuilds.
        let before = p.read(pdf);
        p.edit("findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
        watch.must_build_within(BUILD_LIMIT);
        assert_ne!(p.read(pdf), before, "the rebuild wrote the edit");
        assert!(!watch.stderr().contains("error"), "{}", watch.stderr());
    }
}

/// brief.toml is read again before every build: an edit to it rebuilds
/// the book, which is then the book a fresh run makes.
#[test]
fn issue_6_watch_rebuilds_when_brief_toml_changes() {
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", "[defaults]\nhandling = \"For meeting use\"\n");
    let mut watch = p.watch(&args(&[]));
    watch.must_build_within(BUILD_LIMIT);
    let before = p.read("out/alpha.pdf");
    p.edit("brief.toml", |t| format!("{t}watermark = \"DRAFT\"\n"));
    watch.must_build_within(BUILD_LIMIT);
    let after = p.read("out/alpha.pdf");
    drop(watch);
    assert_ne!(after, before, "the watermark reached the PDF");
    p.run(&args(&["--out", "fresh.pdf"])).must_exit(0);
    assert!(p.read("fresh.pdf") == after, "the watch's book is a fresh run's");
}

/// An editor that saves by writing a temporary file and renaming it over
/// the finding, again and again, never ends the watch: it keeps building,
/// and builds the last save.
#[test]
fn watch_survives_saves_by_rename() {
    let p = TestProject::from_fixture("basic");
    let mut watch = p.watch(&["--theme", "alpha", "--date", "2026-11-23"]);
    watch.must_build_within(std::time::Duration::from_secs(60));
    let finding = p.path().join("data/findings/meeting/02-both.md");
    let original = std::fs::read_to_string(&finding).unwrap();
    for i in 0..40 {
        let temp = p.path().join(format!("data/findings/meeting/.02-both.md.swp{i}"));
        std::fs::write(&temp, original.replace("It bears on", &format!("Save {i}: it bears on")))
            .unwrap();
        std::fs::rename(&temp, &finding).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    watch.must_build_within(std::time::Duration::from_secs(60));
    // The watch is still there, and settles on the last save.
    let _ = watch.builds_within(std::time::Duration::from_secs(2));
    std::fs::write(&finding, original.replace("It bears on", "Final: it bears on")).unwrap();
    watch.must_build_within(std::time::Duration::from_secs(60));
}
