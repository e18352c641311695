//! Editions: a standing book's next build compares with its last edition,
//! numbers the new one, lists what changed and marks it in the body; the
//! record travels inside the PDF and beside it.

use crate::common::*;
use crate::pdf;

/// The basic fixture with one standing book, `alpha`.
fn standing() -> TestProject {
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", "[[book]]\nname = \"alpha\"\ntitle = \"Alpha\"\nthemes = [\"alpha\"]\n");
    p
}

fn build(p: &TestProject, date: &str, extra: &[&str]) -> Ran {
    let mut args = vec!["build", "--all", "--date", date];
    args.extend_from_slice(extra);
    let ran = p.run(&args);
    ran.must_exit(0);
    ran
}

/// The record kept beside the book.
fn record(p: &TestProject) -> serde_json::Value {
    serde_json::from_slice(&p.read("out/alpha.edition.json")).unwrap()
}

/// The record inside a PDF, read from its EmbeddedFiles as pdfdetach
/// does (pdf.rs; not brief's own reader).
fn embedded(pdf: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&pdf::attachment(pdf, "edition.json")).unwrap()
}

/// The ids of one kind of change in a record's `since`.
fn changed(record: &serde_json::Value, change: &str) -> Vec<String> {
    record["since"][change]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}:{}", r["kind"].as_str().unwrap(), r["id"].as_str().unwrap()))
        .collect()
}

#[test]
fn an_edit_makes_edition_two_with_exactly_that_finding_revised() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let first = record(&p);
    assert_eq!((first["edition"].as_u64(), first["since"].is_null()), (Some(1), true));
    let pdf = p.path().join("out/alpha.pdf");
    assert_eq!(embedded(&pdf), first, "the record inside the PDF is the one beside it");
    let text = pdf::text_of(&pdf);
    // (The edition's date is the "as of" date beside it, so not repeated.)
    assert!(squash(&text).contains("Edition1Asof23November2026"), "the cover names the edition");
    assert!(!text.contains("What changed since"), "a first edition has no changes page");

    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    build(&p, "2026-12-01", &[]);
    let second = record(&p);
    assert_eq!(second["edition"], 2);
    assert_eq!(second["date"], "2026-12-01");
    assert_eq!(changed(&second, "revised"), ["finding:both-themes"]);
    assert_eq!(changed(&second, "new"), Vec::<String>::new());
    assert_eq!(second["since"]["withdrawn"].as_array().unwrap().len(), 0);
    let text = pdf::text_of(&pdf);
    assert!(squash(&text).contains("Edition2Asof1December2026"));
    assert!(text.contains("What changed since edition 1 (23 November 2026)"));
    assert!(text.contains("Revised findings"));
    assert_eq!(text.matches("REVISED").count(), 1, "one finding is marked");
    assert!(!text.contains("NEW"));
    // The book the templates got marks that finding alone.
    let data = p.path().join("data");
    let argv = ["brief", "--data", data.to_str().unwrap(), "--all", "--date", "2026-12-01"];
    let cli = <brief::cli::Cli as clap::Parser>::try_parse_from(argv).unwrap();
    let request = cli.build.into_request(|| unreachable!(), brief::project::load).unwrap();
    let built = brief::make(&request).unwrap();
    let marked: Vec<(&str, &str)> = built
        .book
        .themes
        .iter()
        .flat_map(|t| t.findings.iter())
        .filter_map(|f| f.change.map(|c| (f.id.as_str(), c)))
        .collect();
    assert_eq!(marked, [("both-themes", "revised")]);
    let since = built.book.edition.as_ref().unwrap().since.as_ref().unwrap();
    let entry = &since.groups[0].entries[0];
    let revised =
        built.book.themes.iter().flat_map(|t| &t.findings).find(|f| f.id == "both-themes");
    let revised = revised.unwrap();
    assert_eq!(
        (entry.label.as_deref(), entry.number),
        (Some(revised.label.as_str()), Some(revised.number)),
        "the entry links to where the finding now is"
    );
}

#[test]
fn a_deletion_is_listed_as_withdrawn_and_an_addition_as_new() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    std::fs::remove_file(p.path().join("data/findings/meeting/01-hostile.md")).unwrap();
    p.write(
        "data/findings/meeting/05-new.md",
        "---\nid: fresh\ntitle: A fresh finding\ndate: 2012-09-19\nthemes: [alpha]\nsource: meeting\nref: para. 5\n---\nNew text.\n",
    );
    build(&p, "2026-12-01", &[]);
    let second = record(&p);
    assert_eq!(second["edition"], 2);
    assert_eq!(changed(&second, "new"), ["finding:fresh"]);
    let withdrawn = &second["since"]["withdrawn"];
    assert_eq!(withdrawn.as_array().unwrap().len(), 1);
    assert_eq!(withdrawn[0]["id"], "hostile");
    let text = pdf::text_of(&p.path().join("out/alpha.pdf"));
    assert!(text.contains("Withdrawn findings"));
    assert!(text.contains("New findings"));
    assert_eq!(text.matches("NEW").count(), 1);
}

#[test]
fn no_change_keeps_the_edition_and_the_bytes() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let first = p.read("out/alpha.pdf");
    build(&p, "2026-11-23", &["--if-changed"])
        .must_report(0, &["brief: alpha: unchanged out/alpha.pdf\n"]);
    build(&p, "2026-11-23", &[]);
    assert_eq!(p.read("out/alpha.pdf"), first, "rebuilt to the byte");
    assert_eq!(record(&p)["edition"], 1);
    // An edition 2 made again with nothing changed is edition 2 again,
    // with its changes page.
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    build(&p, "2026-12-01", &[]);
    let second = p.read("out/alpha.pdf");
    build(&p, "2026-12-01", &[]);
    assert_eq!(p.read("out/alpha.pdf"), second);
    assert_eq!(record(&p)["edition"], 2);
}

#[test]
fn since_compares_with_a_kept_copy_and_refuses_what_is_not_brief_s() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    std::fs::copy(p.path().join("out/alpha.pdf"), p.path().join("printed.pdf")).unwrap();
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    build(&p, "2026-11-30", &[]);
    p.edit("data/findings/meeting/01-hostile.md", |t| t.replace("Literal:", "Literally:"));
    build(&p, "2026-12-01", &[]);
    assert_eq!(record(&p)["edition"], 3);
    // Against the copy printed at edition 1, both edits are revisions.
    let ran = p.run(&[
        "--theme",
        "alpha",
        "--date",
        "2026-12-01",
        "--since",
        "printed.pdf",
        "--out",
        "vs1.pdf",
    ]);
    ran.must_exit(0);
    let vs1 = embedded(&p.path().join("vs1.pdf"));
    assert_eq!(vs1["edition"], 2);
    assert_eq!(changed(&vs1, "revised"), ["finding:both-themes", "finding:hostile"]);
    // A PDF that is not brief's, and a damaged one: clear errors.
    std::fs::write(p.path().join("other.pdf"), minimal_pdf()).unwrap();
    let ran = p.run(&["--theme", "alpha", "--since", "other.pdf", "--out", "x.pdf"]);
    ran.must_report(2, &["error: --since other.pdf: holds no brief edition record"]);
    let mut damaged = p.read("printed.pdf");
    damaged.truncate(damaged.len() / 3);
    p.write("damaged.pdf", &damaged);
    let ran = p.run(&["--theme", "alpha", "--since", "damaged.pdf", "--out", "x.pdf"]);
    ran.must_report(2, &["error: --since damaged.pdf: not a PDF that can be read"]);
    assert!(!p.path().join("x.pdf").exists());
    // Found automatically, a damaged record is a warning: edition 1 again.
    p.write("out/alpha.edition.json", "{ not json");
    p.write("out/alpha.pdf", &damaged);
    build(&p, "2026-12-02", &[]).must_report(
        0,
        &["warning: out/alpha.edition.json: not an edition record brief can read (key must be a string at line 1 column 3); making edition 1\n"],
    );
    assert_eq!(record(&p)["edition"], 1);
}

/// A valid one-page PDF with no attachment, written by hand.
fn minimal_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

#[test]
fn an_archival_edition_is_pdf_a_3b_with_its_record_and_pdf_a_2b_keeps_it_beside() {
    let p = standing();
    build(&p, "2026-11-23", &["--pdf-standard", "a-3b"]);
    let pdf = p.path().join("out/alpha.pdf");
    assert_eq!(embedded(&pdf), record(&p));
    let bytes = std::fs::read(&pdf).unwrap();
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "declares PDF/A-3");
    // PDF/A-2b allows no attachment but a PDF/A file: the record is kept
    // beside the PDF only.
    build(&p, "2026-11-23", &["--pdf-standard", "a-2b"]);
    let attached = pdf::attachments(&std::fs::read(&pdf).unwrap());
    assert!(
        attached.is_empty(),
        "nothing attached: {:?}",
        attached.iter().map(|a| &a.0).collect::<Vec<_>>()
    );
    assert_eq!(record(&p)["edition"], 1);
}

/// `--since` with an edition of another book is refused, naming both.
#[test]
fn since_refuses_another_book_s_edition() {
    let p = standing();
    build(&p, "2026-11-23", &[]);
    let ran = p.run(&["--theme", "beta", "--since", "out/alpha.pdf", "--out", "b.pdf"]);
    ran.must_report(2, &["error: --since out/alpha.pdf: is an edition of `alpha`, not of `beta`"]);
    assert!(!p.path().join("b.pdf").exists());
}
