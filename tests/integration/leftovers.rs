//! Issue 24's leftovers, one test a class: a drafting comment in any text
//! of a YAML file or front matter never reaches a book; one bad glossary
//! term spoils only itself; a damaged record beside a PDF is a warning
//! when the PDF's own is used instead; and an error Typst meets in a file
//! of the user's names that file.

use crate::common::*;
use crate::pdf;

// Class 1: a comment in a text field is taken out at load, for every view.

/// Each token sits in a comment in a text field that reaches a page.
const FIELD_TOKENS: [&str; 12] = [
    "ZQYRESPONSE",
    "ZQYROLE",
    "ZQYTHEME",
    "ZQYTITLE",
    "ZQYPOSITION",
    "ZQYRATIONALE",
    "ZQYPRESS",
    "ZQYRAISE",
    "ZQYEVENT",
    "ZQYNOTE",
    "ZQYGLOSSARY",
    "ZQYSUMMARY",
];

/// The meeting fixture with a comment in each of those fields, inline and
/// block, HTML and Obsidian.
fn commented_fields() -> TestProject {
    let p = seated_meeting();
    let edits: [(&str, &str, &str); 11] = [
        ("themes.yaml", "The first theme.", "The first <!-- ZQYTHEME --> theme."),
        (
            "issues.yaml",
            "Strikes violate sovereignty.",
            "Strikes violate %% ZQYPOSITION %% sovereignty.",
        ),
        (
            "issues.yaml",
            "The two positions are opposed.",
            "The two positions <!--ZQYRATIONALE--> are opposed.",
        ),
        (
            "meetings.yaml",
            "No comment before the communiqué.",
            "No comment <!-- ZQYPRESS --> before the communiqué.",
        ),
        ("meetings.yaml", "They may ask about beta.", "They may ask %%ZQYRAISE%% about beta."),
        ("meetings.yaml", "we say so plainly.", "we say so <!-- ZQYRESPONSE --> plainly."),
        ("meetings.yaml", "role: Chair", "role: Chair <!-- ZQYROLE -->"),
        ("events.yaml", "title: A dated raid", "title: A dated <!-- ZQYEVENT --> raid"),
        (
            "sources.yaml",
            "  abstract: A meeting that exists only in tests.\n",
            "  abstract: A meeting that exists only in tests.\n  note: |\n    Noted once.\n    <!--\n    ZQYNOTE\n    -->\n    Noted twice.\n",
        ),
        (
            "findings/meeting/02-both.md",
            "title: A finding on two themes",
            "title: A finding on <!-- ZQYTITLE --> two themes\nsummary: Summed %% ZQYSUMMARY %% up.",
        ),
        ("findings/meeting/02-both.md", "It bears on", "The ISI says it bears on"),
    ];
    for (file, from, to) in edits {
        p.edit(&format!("data/{file}"), |t| t.replace(from, to));
    }
    p.write(
        "data/glossary.yaml",
        "terms:\n  - term: ISI\n    expansion: Inter-Services <!-- ZQYGLOSSARY --> Intelligence\n",
    );
    p
}

#[test]
fn a_comment_in_a_text_field_reaches_neither_page_nor_pdf_nor_emitted_typst() {
    let p = commented_fields();
    let data = p.path().join("data");
    let books =
        [must_make(&data, &["--meeting", "round-two"]), must_make(&data, &["--theme", "alpha"])];
    let text: String = books.iter().map(laid_out).collect();
    for shown in [
        "The first theme.",
        "A finding on two themes",
        "Strikes violate sovereignty.",
        "The two positions are opposed.",
        "No comment before the communiqué.",
        "They may ask about beta.",
        "Strikes violate our sovereignty; we say so plainly.",
        "Chair",
        "A dated raid",
        "Noted once.",
        "Noted twice.",
        "Inter-Services Intelligence",
    ] {
        assert_printed(&text, shown);
    }
    for book in &books {
        let bytes = pdf::searchable(&book.rendered.pdf);
        for token in FIELD_TOKENS {
            assert_not_printed(&laid_out(book), token);
            assert!(!pdf::mentions(&bytes, token), "{token} in the PDF's bytes");
        }
    }
    for (i, book) in [["--meeting", "round-two"], ["--theme", "alpha"]].iter().enumerate() {
        let dir = format!("typ{i}");
        let mut args = vec!["--date", "2026-11-23", "--emit-typ", &dir, "--out"];
        let out = format!("out/{i}.pdf");
        args.extend([out.as_str(), book[0], book[1]]);
        p.run(&args).must_exit(0);
        for file in files_under(&p.path().join(&dir)) {
            let bytes = std::fs::read(&file).unwrap();
            for token in FIELD_TOKENS {
                assert!(!pdf::mentions(&bytes, token), "{token} in {}", file.display());
            }
        }
    }
}

/// Every file under `dir`.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let (mut files, mut dirs) = (Vec::new(), vec![dir.to_path_buf()]);
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("brief.json")), "{files:?}");
    files
}

// Class 2: one bad glossary term spoils only itself.

#[test]
fn a_malformed_glossary_term_is_an_error_at_it_and_the_others_are_kept() {
    let good = "terms:\n  - term: ISI\n    expansion: Inter-Services Intelligence\n";
    let tail = "  - term: CPEC\n    expansion: China-Pakistan Economic Corridor\nignore: [II]\n";
    for (bad, at) in [
        (
            "  - term: TTP\n    expansoin: Tehrik\n",
            "data/glossary.yaml:5:5: error: unknown field `expansoin`",
        ),
        (
            "  - term: TTP\n    expansion: [Tehrik]\n",
            "data/glossary.yaml:5:16: error: expansion: invalid type",
        ),
        ("  - term: TTP\n    expansion: \"Tehrik\n", "data/glossary.yaml:5:16: error: "),
    ] {
        let p = TestProject::from_fixture("citations");
        p.write("data/glossary.yaml", format!("{good}{bad}{tail}"));
        // The finding uses TTP: the bad term is not asked for again.
        p.edit("data/findings/report/01-report.md", |t| {
            t.replace("discusses CPEC.", "discusses CPEC and the TTP.")
        });
        let ran = p.check();
        ran.must_report(1, &[at]);
        let errors = ran.stderr.lines().filter(|l| l.contains(": error: ")).count();
        let warnings = ran.stderr.lines().filter(|l| l.contains(": warning: ")).count();
        assert_eq!((errors, warnings), (1, 0), "{}", ran.stderr);
        let loaded = brief::corpus::load(&p.path().join("data")).unwrap();
        let glossary = loaded.corpus.glossary.expect("the glossary is kept");
        let terms: Vec<&str> = glossary.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["ISI", "CPEC"], "{bad}");
        assert!(glossary.ignore.iter().any(|i| i == "II"));
        // A build stops at a corpus error, as for any other file.
        p.run(&["--date", "2026-11-23", "--diagnostic-format", "short"]).must_report(1, &[at]);
    }
}

// Class 3: a record beside a PDF that gives way to the PDF's own says so.

#[test]
fn a_damaged_or_forged_record_beside_the_pdf_is_a_warning_naming_it() {
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", "[[book]]\nname = \"alpha\"\ntitle = \"Alpha\"\nthemes = [\"alpha\"]\n");
    let build = |date: &str| {
        let ran = p.run(&["build", "--all", "--date", date]);
        ran.must_exit(0);
        ran
    };
    build("2026-11-23");
    let record: serde_json::Value =
        serde_json::from_slice(&p.read("out/alpha.edition.json")).unwrap();
    let mut forged = record.clone();
    forged["edition"] = serde_json::json!(0);
    let damaged = [
        ("{ not json".to_string(), "not an edition record brief can read"),
        (forged.to_string(), "not an edition record brief wrote: edition 0 is not between 1 and"),
    ];
    for (edition, (bytes, why)) in (2..).zip(damaged) {
        p.write("out/alpha.edition.json", bytes);
        p.edit("data/findings/meeting/02-both.md", |t| format!("{t}\nRevision {edition}.\n"));
        let ran = build(&format!("2026-12-0{edition}"));
        let want = format!("warning: out/alpha.edition.json: {why}");
        let line = ran.stderr.lines().find(|l| l.starts_with(&want));
        let line = line.unwrap_or_else(|| panic!("no warning {want:?}:\n{}", ran.stderr));
        assert!(line.ends_with("the record inside out/alpha.pdf is used instead"), "{line}");
        assert!(!ran.stderr.contains("making edition 1"), "{}", ran.stderr);
        // The PDF's own record counted: the edition follows it.
        let now: serde_json::Value =
            serde_json::from_slice(&p.read("out/alpha.edition.json")).unwrap();
        assert_eq!(now["edition"], edition, "{}", ran.stderr);
    }
}

// Class 4: an error Typst meets in a file of the user's names that file.

/// A file that says it is a PDF and is not one: brief's check of images
/// lets it through, Typst cannot load it.
const NOT_A_PDF: &str = "%PDF-1.7\nthis is not a PDF at all\n";

#[test]
fn an_engine_error_in_a_users_file_names_that_file() {
    // An image a finding shows.
    let p = TestProject::from_fixture("basic");
    p.write("data/findings/meeting/maps/broken.pdf", NOT_A_PDF);
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("It bears on", "![A map](maps/broken.pdf)\n\nIt bears on")
    });
    let ran = p.run(&["--date", "2026-11-23", "--diagnostic-format", "short"]);
    ran.must_report(1, &["data/findings/meeting/maps/broken.pdf:1:1: error: failed to load PDF"]);
    let line = ran.stderr.lines().find(|l| l.contains("failed to load PDF")).unwrap();
    assert!(line.contains("in data/findings/meeting/maps/broken.pdf)"), "{line}");
    assert!(!line.contains("corpus/"), "a virtual path: {line}");
    let ran = p.run(&["--date", "2026-11-23"]);
    assert!(ran.stderr.contains("shown by the finding `both-themes`"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("read by the template at templates/markdown.typ:"),
        "{}",
        ran.stderr
    );

    // The logo brief.toml names.
    let p = TestProject::from_fixture("basic");
    p.write("art/house-logo.pdf", NOT_A_PDF);
    p.write("brief.toml", "[defaults]\nlogo = \"art/house-logo.pdf\"\n");
    let ran = p.run(&["--date", "2026-11-23", "--diagnostic-format", "short"]);
    ran.must_report(1, &["art/house-logo.pdf:1:1: error: failed to load PDF"]);
    assert!(!ran.stderr.contains("brand/logo.pdf"), "a virtual path:\n{}", ran.stderr);
}

#[test]
fn an_engine_error_in_a_template_says_so_and_names_the_book() {
    let p = TestProject::from_fixture("basic");
    p.run(&["templates", "export", "look"]).must_exit(0);
    p.edit("look/cover.typ", |t| format!("{t}\n#let broken = 1 + \"one\"\n"));
    let ran = p.run(&["--date", "2026-11-23", "--templates", "look", "--theme", "alpha"]);
    let line = ran.stderr.lines().find(|l| l.contains("an error in a template"));
    let line = line.unwrap_or_else(|| panic!("not said to be a template's:\n{}", ran.stderr));
    assert!(line.contains("look/cover.typ:"), "{line}");
    assert!(line.contains("setting the book `"), "{line}");
    ran.must_exit(1);
}
