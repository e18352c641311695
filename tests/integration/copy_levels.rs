//! Numbered copies for recipients of different levels: a recipients file
//! may give a name a handling level of its own (`Name | level`); that
//! recipient's copy is made from the book made for that level (what
//! `--audience` makes), so nothing above it reaches the copy's file. The
//! copies are numbered in one run across levels, and the register says
//! each copy's level.

use crate::common::*;
use crate::pdf;

/// The token a restricted finding carries in its id, title and body.
const TOKEN: &str = "wqcopylevel";

/// The basic fixture with levels, a finding for meeting use and a
/// restricted finding carrying the token, and a recipients file: a public guest, a restricted reader and
/// one with no level of their own (the book's audience).
fn project() -> TestProject {
    let p = TestProject::from_fixture("basic");
    p.write("data/levels.yaml", LEVELS);
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("issue: sovereignty\n", "issue: sovereignty\nhandling: meeting\n")
    });
    p.write("data/findings/meeting/04-secret.md", secret());
    p.write(
        "names.txt",
        "# the table\nAnn Guest | public\nRex Reader|restricted\n\nNo Level Given\n",
    );
    p
}

/// A restricted finding, carrying the token in its id, title and body.
fn secret() -> String {
    format!(
        "---\nid: {TOKEN}-finding\ntitle: Title {TOKEN}\ndate: 2012-09-19\nthemes: [alpha]\n\
         source: meeting\nref: para. 4\nperspective: pakistan\nissue: sovereignty\n\
         handling: restricted\n---\nBody {TOKEN} text.\n"
    )
}

fn pages(text: &str) -> Vec<String> {
    text.split('\u{c}').filter(|p| !p.trim().is_empty()).map(str::to_string).collect()
}

/// The register, parsed back: its header and rows.
fn register(p: &TestProject, dir: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = p.read(&format!("{dir}/register.csv"));
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

#[test]
fn each_copy_is_made_for_its_recipients_level() {
    let p = project();
    p.run(&["check"]).must_exit(0);
    let date = ["--date", "2026-11-23"];
    p.run(&[&["--copies-for", "names.txt", "--out", "c.pdf"][..], &date].concat()).must_exit(0);
    let (header, rows) = register(&p, "c");
    assert_eq!(header, ["copy", "recipient", "level", "file", "sha256"]);
    let cells: Vec<[&str; 4]> = rows.iter().map(|r| [r[0].as_str(), &r[1], &r[2], &r[3]]).collect();
    assert_eq!(
        cells,
        [
            ["1", "Ann Guest", "public", "copy-01.pdf"],
            ["2", "Rex Reader", "restricted", "copy-02.pdf"],
            ["3", "No Level Given", "", "copy-03.pdf"],
        ]
    );
    let read = |file: &str| {
        let path = p.path().join("c").join(file);
        (pdf::text_of(&path), pdf::searchable(&std::fs::read(&path).unwrap()))
    };
    // The public guest's copy: nothing restricted in its text or its bytes.
    let (text, raw) = read("copy-01.pdf");
    assert!(!text.to_lowercase().contains(TOKEN), "the public copy's text names it");
    assert!(!pdf::mentions(&raw, TOKEN), "the public copy's bytes name it");
    assert!(!text.contains("RESTRICTED"), "the public copy's banner");
    // The copies for the restricted reader and the book's own audience
    // hold it (so the searches above can fail), in the text and the
    // outline.
    for file in ["copy-02.pdf", "copy-03.pdf"] {
        let (text, raw) = read(file);
        assert!(text.to_lowercase().contains(TOKEN), "{file} lacks the restricted finding");
        assert!(pdf::mentions(&raw, TOKEN), "{file}'s outline names it");
    }
    // "of N" counts every recipient, whatever their level, on every page.
    for (file, mark) in [
        ("copy-01.pdf", "Copy 1 of 3 · Ann Guest"),
        ("copy-02.pdf", "Copy 2 of 3 · Rex Reader"),
        ("copy-03.pdf", "Copy 3 of 3 · No Level Given"),
    ] {
        let text = read(file).0;
        assert!(pages(&text).iter().all(|page| page.contains(mark)), "{file}: {text}");
    }
    // The public copy is the book made for the public audience, marked.
    p.run(&[&["--audience", "public", "--out", "pub.pdf"][..], &date].concat()).must_exit(0);
    let public = pages(&pdf::text_of(&p.path().join("pub.pdf")));
    let copy = pages(&read("copy-01.pdf").0);
    assert_eq!(copy.len(), public.len());
    for (n, (page, plain)) in copy.iter().zip(&public).enumerate() {
        let without: String =
            page.replace("Copy 1 of 3 · Ann Guest", "").split_whitespace().collect();
        assert_eq!(without, plain.split_whitespace().collect::<String>(), "page {}", n + 1);
    }
}

/// A meeting's book (a book with editions) with copies at several levels
/// keeps one edition record per level, as `--audience` does, and each
/// copy carries its own level's.
#[test]
fn each_level_of_copies_keeps_its_own_edition_record() {
    let p = TestProject::from_fixture("meeting");
    p.write("data/levels.yaml", LEVELS);
    p.write("data/findings/meeting/04-secret.md", secret());
    p.write("names.txt", "Ann Guest | public\nRex Reader | restricted\nNo Level Given\n");
    p.run(&["check"]).must_exit(0);
    let build = |date: &str| {
        let args = ["--meeting", "round-two", "--copies-for", "names.txt", "--date", date];
        p.run(&args).must_exit(0);
    };
    build("2026-11-23");
    let record = |file: &str| String::from_utf8(p.read(file)).unwrap();
    let public = record("out/round-two.public.edition.json");
    assert!(public.contains("\"audience\": \"public\""), "{public}");
    assert!(!public.to_lowercase().contains(TOKEN), "{public}");
    assert!(record("out/round-two.restricted.edition.json").contains(TOKEN));
    assert!(record("out/round-two.edition.json").contains(TOKEN), "the book's own audience");
    let inside = pdf::attachment(&p.path().join("out/round-two/copy-01.pdf"), "edition.json");
    assert_eq!(String::from_utf8(inside).unwrap(), public, "the public copy's own record");
    // Without a recipient at the book's own audience, no record of it.
    p.write("names.txt", "Ann Guest | public\n");
    std::fs::remove_file(p.path().join("out/round-two.edition.json")).unwrap();
    p.edit("data/findings/meeting/01-hostile.md", |t| t.replace("in one line", "now in a line"));
    build("2026-11-24");
    assert!(!p.path().join("out/round-two.edition.json").exists(), "no one has that edition");
    assert!(!p.path().join("out/round-two/copy-02.pdf").exists(), "the stale copies are removed");
    let public: serde_json::Value =
        serde_json::from_slice(&p.read("out/round-two.public.edition.json")).unwrap();
    assert_eq!(public["edition"], 2, "the public level's history goes on");
}

#[test]
fn an_unknown_level_is_located_in_the_recipients_file() {
    let p = project();
    p.write("names.txt", "Ann Guest | public\nRex Reader | restrictd\n");
    let ran = p.run(&["--copies-for", "names.txt", "--diagnostic-format", "short"]);
    ran.must_report(2, &["names.txt:2:14: error: unknown handling level `restrictd`"]);
    // Printed in full, with the suggestion.
    let ran = p.run(&["--copies-for", "names.txt"]);
    ran.must_report(2, &["┌─ names.txt:2:14", "= hint: did you mean `restricted`?\n"]);
    assert!(!p.path().join("out").exists(), "nothing is written");
}

#[test]
fn a_level_above_the_books_audience_is_refused() {
    let p = project();
    let args =
        ["--audience", "meeting", "--copies-for", "names.txt", "--diagnostic-format", "short"];
    let ran = p.run(&args);
    ran.must_report(
        2,
        &["names.txt:3:12: error: invalid `level`: `restricted` is above the book's audience `meeting`"],
    );
    assert!(!p.path().join("out").exists(), "nothing is written");
    // At or below the book's audience, the same recipients get copies.
    p.write("names.txt", "Ann Guest | public\nMo Member | meeting\n");
    p.run(&[&args[..4], &["--date", "2026-11-23", "--out", "m.pdf"]].concat()).must_exit(0);
    let (_, rows) = register(&p, "m");
    let levels: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(levels, ["public", "meeting"]);
    let text = pdf::text_of(&p.path().join("m/copy-02.pdf"));
    assert!(!text.to_lowercase().contains(TOKEN) && text.contains("FOR MEETING USE"), "{text}");
}

/// A folder of copies an earlier brief wrote, whose register has no
/// `level` column, is still brief's own: its copies are written over.
#[test]
fn a_register_from_before_levels_is_still_briefs() {
    let p = project();
    p.write("one.txt", "Ann Guest | public\n");
    p.write("c/copy-01.pdf", "an earlier copy");
    let sha = "a".repeat(64);
    p.write("c/register.csv", format!("copy,recipient,file,sha256\n1,Ann,copy-01.pdf,{sha}\n"));
    p.run(&["--copies-for", "one.txt", "--out", "c.pdf", "--date", "2026-11-23"]).must_exit(0);
    assert!(p.read("c/copy-01.pdf").starts_with(b"%PDF"), "the listed copy is written over");
    assert_eq!(register(&p, "c").1[0][2], "public");
}
