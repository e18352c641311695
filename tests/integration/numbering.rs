//! Finding numbers hold across editions, and edition history only moves
//! forward: a number printed in one edition of a book means the same
//! finding in the next (a new finding takes the next number, a withdrawn
//! one's is not issued again); `--since` an older edition compares with
//! it but never numbers the book backwards; a record read back that brief
//! could not have written is set aside.

use std::collections::BTreeMap;

use crate::common::*;

fn standing() -> TestProject {
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", "[[book]]\nname = \"alpha\"\ntitle = \"Alpha\"\nthemes = [\"alpha\"]\n");
    p
}

fn build(p: &TestProject, date: &str, extra: &[&str]) -> Ran {
    let ran = p.run(&[&["build", "--all", "--date", date][..], extra].concat());
    ran.must_exit(0);
    ran
}

fn record(p: &TestProject) -> serde_json::Value {
    serde_json::from_slice(&p.read("out/alpha.edition.json")).unwrap()
}

/// Each finding's number in the record beside the book.
fn numbers(p: &TestProject) -> BTreeMap<String, u64> {
    let record = record(p);
    let items = record["items"].as_array().unwrap().iter();
    let findings = items.filter(|i| i["kind"] == "finding");
    findings.map(|i| (i["id"].as_str().unwrap().into(), i["number"].as_u64().unwrap())).collect()
}

/// Each finding's number as the book printed it (the view the templates
/// got), made in process the way the build made it.
fn printed(p: &TestProject, date: &str) -> BTreeMap<String, usize> {
    let data = p.path().join("data");
    let argv = ["brief", "--data", data.to_str().unwrap(), "--all", "--date", date];
    let cli = <brief::cli::Cli as clap::Parser>::try_parse_from(argv).unwrap();
    let request = cli.build.into_request(|| unreachable!(), brief::project::load).unwrap();
    let built = brief::make(&request).unwrap();
    let findings = built.book.themes.iter().flat_map(|t| &t.findings);
    findings.map(|f| (f.id.clone(), f.number)).collect()
}

fn finding(id: &str, date: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Finding {id}\ndate: {date}\nthemes: [alpha]\nsource: meeting\nref: para. 9\n---\nBody of {id}.\n"
    )
}

#[test]
fn edition_two_after_an_insertion_prints_every_finding_under_its_edition_one_number() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let first = numbers(&p);
    assert_eq!(first.len(), 3, "{first:?}");
    // A finding that sorts first in the book, and one withdrawn.
    p.write("data/findings/meeting/00-earlier.md", finding("earlier", "2001-01-01"));
    build(&p, "2026-12-01", &[]);
    let second = numbers(&p);
    assert_eq!(record(&p)["edition"], 2);
    for (id, number) in &first {
        assert_eq!(second.get(id), Some(number), "{id} kept its number");
    }
    assert_eq!(second["earlier"], 4, "the next number, though printed first");
    let shown = printed(&p, "2026-12-01");
    for (id, number) in &second {
        assert_eq!(shown.get(id).map(|n| *n as u64), Some(*number), "{id} as printed");
    }
    // Withdraw one; a newer finding never takes its number.
    let gone = first.iter().find(|(_, n)| **n == 2).unwrap().0.clone();
    let file = std::fs::read_dir(p.path().join("data/findings/meeting"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| std::fs::read_to_string(f).unwrap().contains(&format!("id: {gone}\n")))
        .unwrap();
    std::fs::remove_file(file).unwrap();
    p.write("data/findings/meeting/05-later.md", finding("later", "2012-10-01"));
    build(&p, "2026-12-02", &[]);
    let third = numbers(&p);
    assert_eq!(third["later"], 5);
    assert!(!third.values().any(|n| *n == 2), "{third:?}");
    let withdrawn = &record(&p)["since"]["withdrawn"][0];
    assert_eq!(
        (withdrawn["id"].as_str(), withdrawn["number"].as_u64()),
        (Some(gone.as_str()), Some(2))
    );
}

#[test]
fn since_an_older_edition_never_numbers_the_book_backwards() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    std::fs::copy(p.path().join("out/alpha.pdf"), p.path().join("edition-1.pdf")).unwrap();
    for (i, date) in ["2026-11-24", "2026-11-25"].iter().enumerate() {
        p.write(
            &format!("data/findings/meeting/0{}-new.md", 5 + i),
            finding(&format!("new{i}"), "2012-10-01"),
        );
        build(&p, date, &[]);
    }
    assert_eq!(record(&p)["edition"], 3);
    p.write("data/findings/meeting/09-more.md", finding("more", "2012-10-01"));
    // (`--since` names one book: the theme's, made at the standing book's
    // path.)
    let since = ["--theme", "alpha", "--date", "2026-11-26", "--since", "edition-1.pdf"];
    p.run(&since).must_exit(0);
    let now = record(&p);
    assert_eq!(now["edition"], 4, "after the latest edition, not the one compared with");
    assert_eq!(now["since"]["edition"], 1, "compared with edition 1");
    assert_eq!(numbers(&p)["more"], 6);
}

#[test]
fn a_record_brief_could_not_have_written_is_set_aside() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let good = record(&p);
    for (field, value) in [
        ("edition", serde_json::json!(4294967295u64)),
        ("edition", serde_json::json!(0)),
        ("date", serde_json::json!("2026-13-45")),
        ("numbered", serde_json::json!(1)),
    ] {
        let mut forged = good.clone();
        forged[field] = value.clone();
        p.write("out/alpha.edition.json", serde_json::to_vec(&forged).unwrap());
        // Without the PDF's own copy to fall back on.
        std::fs::remove_file(p.path().join("out/alpha.pdf")).unwrap();
        let ran = build(&p, "2026-11-24", &[]);
        assert!(
            ran.stderr.contains("not an edition record brief wrote"),
            "{field}={value}: {}",
            ran.stderr
        );
        assert_eq!(record(&p)["edition"], 1, "{field}={value}");
    }
}

#[test]
fn the_first_edition_after_a_record_without_numbers_numbers_afresh_and_says_so() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let mut old = record(&p);
    old["format"] = "brief-edition/1".into();
    old.as_object_mut().unwrap().remove("numbered");
    for item in old["items"].as_array_mut().unwrap() {
        let item = item.as_object_mut().unwrap();
        item.remove("number");
        item.remove("parts");
    }
    p.write("out/alpha.edition.json", serde_json::to_vec(&old).unwrap());
    p.write("data/findings/meeting/00-earlier.md", finding("earlier", "2001-01-01"));
    build(&p, "2026-12-01", &[]);
    let now = record(&p);
    assert_eq!(
        (now["edition"].as_u64(), now["since"]["renumbered"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(numbers(&p)["earlier"], 1, "afresh, in book order");
}
