//! Numbered copies: one PDF per recipient, each marked on every page with
//! its number and recipient, and a register that matches the files.

use crate::common::*;
use sha2::{Digest, Sha256};

fn pages_text(pdf: &std::path::Path) -> Vec<String> {
    crate::pdf::text_of(pdf)
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The register, parsed back: (copy, recipient, file, sha256) per row
/// (each copy's level is tested in copy_levels.rs).
fn register(p: &TestProject, dir: &str) -> Vec<[String; 4]> {
    let bytes = p.read(&format!("{dir}/register.csv"));
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["copy", "recipient", "level", "file", "sha256"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            [0, 1, 3, 4].map(|i| r[i].to_string())
        })
        .collect()
}

#[test]
fn each_attendee_gets_a_copy_marked_on_every_page_and_the_register_matches() {
    let p = TestProject::from_fixture("meeting");
    let ran =
        p.run(&["--meeting", "round-two", "--copies-for", "attendees", "--date", "2026-11-23"]);
    ran.must_exit(0);
    let rows = register(&p, "out/round-two");
    let names: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names.len(), 4, "one copy per attendee: {names:?}");
    p.run(&["--meeting", "round-two", "--date", "2026-11-23", "--out", "plain.pdf"]).must_exit(0);
    let plain = pages_text(&p.path().join("plain.pdf"));
    for (i, [copy, name, file, sha]) in rows.iter().enumerate() {
        assert_eq!(copy, &(i + 1).to_string());
        assert_eq!(file, &format!("copy-{:02}.pdf", i + 1));
        let path = p.path().join("out/round-two").join(file);
        let bytes = std::fs::read(&path).unwrap();
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(&digest, sha, "the register's hash is the file's");
        let mark = format!("Copy {} of 4 · {name}", i + 1);
        let pages = pages_text(&path);
        assert_eq!(pages.len(), plain.len());
        for (n, (page, unmarked)) in pages.iter().zip(&plain).enumerate() {
            assert_eq!(page.matches(&mark).count(), 1, "page {} of {file}: {page}", n + 1);
            // Only the mark differs from the book made without copies.
            let without: String = page.replace(&mark, "").split_whitespace().collect();
            let plain: String = unmarked.split_whitespace().collect();
            assert_eq!(without, plain, "page {} of {file}", n + 1);
        }
    }
    assert!(!p.path().join("out/round-two.pdf").exists(), "only the copies are written");
    // The same inputs make the same copies.
    let before = p.read("out/round-two/copy-02.pdf");
    p.run(&["--meeting", "round-two", "--copies-for", "attendees", "--date", "2026-11-23"])
        .must_exit(0);
    assert_eq!(p.read("out/round-two/copy-02.pdf"), before);
}

#[test]
fn copies_for_a_list_of_names_quote_them_in_the_register() {
    let p = TestProject::from_fixture("basic");
    p.write("names.txt", "# the table\nDr A. Writer, Jr.\n\n\"Sam\" Reader\n");
    p.run(&["--theme", "alpha", "--copies-for", "names.txt", "--date", "2026-11-23"]).must_exit(0);
    let rows = register(&p, "out/alpha");
    let names: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["Dr A. Writer, Jr.", "\"Sam\" Reader"]);
    let first = pages_text(&p.path().join("out/alpha/copy-01.pdf"));
    assert!(first.iter().all(|page| page.contains("Copy 1 of 2 · Dr A. Writer, Jr.")));
    // Fewer recipients the next time: the earlier run's extra copies go.
    p.write("names.txt", "Only One\n");
    p.run(&["--theme", "alpha", "--copies-for", "names.txt", "--date", "2026-11-23"]).must_exit(0);
    assert!(!p.path().join("out/alpha/copy-02.pdf").exists(), "a stale copy is left");
    assert_eq!(register(&p, "out/alpha").len(), 1);
    // A name a spreadsheet would run as a formula is quoted.
    p.write("names.txt", "=HYPERLINK(\"x\")\n");
    p.run(&["--theme", "alpha", "--copies-for", "names.txt", "--date", "2026-11-23"]).must_exit(0);
    assert_eq!(register(&p, "out/alpha")[0][1], "'=HYPERLINK(\"x\")");
    // Attendees need a meeting; an empty list names no one.
    p.run(&["--theme", "alpha", "--copies-for", "attendees"])
        .must_report(2, &["error: --copies-for attendees needs a meeting's book (--meeting ID)\n"]);
    p.write("none.txt", "# nobody\n");
    p.run(&["--theme", "alpha", "--copies-for", "none.txt"]).must_exit(2);
    p.run(&["--theme", "alpha", "--copies-for", "missing.txt"]).must_exit(3);
}
