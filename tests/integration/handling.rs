//! Handling levels: a book built for an audience leaves out everything
//! above its level, says how much without naming it, and nothing of it
//! reaches the file: not the text, the outline, the link targets, the
//! metadata nor the attachments.

use crate::common::*;
use crate::pdf;

/// The token a restricted finding carries in its id, title and body.
const TOKEN: &str = "zqxsecret";

/// The basic fixture with levels: `both-themes` is for meeting use, a new
/// finding on the matrix's issue is restricted, and so is the source of a
/// new timeline event.
fn with_levels() -> TestProject {
    let p = TestProject::from_fixture("basic");
    p.write("data/levels.yaml", LEVELS);
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("issue: sovereignty\n", "issue: sovereignty\nhandling: meeting\n")
    });
    p.write(
        "data/findings/meeting/04-secret.md",
        format!(
            "---\nid: {TOKEN}-finding\ntitle: Title {TOKEN}\ndate: 2012-09-19\nthemes: [alpha]\n\
             source: meeting\nref: para. 4\nperspective: pakistan\nissue: sovereignty\n\
             handling: restricted\n---\nBody {TOKEN} text.\n"
        ),
    );
    p
}

/// What can be read out of a PDF: its text, and everything a search of
/// the file must look at (every stream decompressed, every string of every
/// object, the attachments: at least what `qpdf --qdf` lays open). Both
/// readers are proven against poppler and qpdf in pdf_control.rs.
fn readable(pdf: &std::path::Path) -> (String, Vec<u8>) {
    (pdf::text_of(pdf), pdf::searchable(&std::fs::read(pdf).unwrap()))
}

#[test]
fn nothing_above_the_audience_reaches_the_file() {
    let p = with_levels();
    p.run(&["check"]).must_exit(0);
    // The control: built for everyone, the token is in the text and in
    // the file's own strings (the outline), so the searches below can fail.
    p.run(&["--date", "2026-11-23", "--out", "all.pdf"]).must_exit(0);
    let (text, raw) = readable(&p.path().join("all.pdf"));
    assert!(text.to_lowercase().contains(TOKEN));
    assert!(pdf::mentions(&raw, TOKEN), "the control's outline names the finding");
    assert!(text.contains("RESTRICTED"), "the banner is the highest level included");

    for (audience, banner, withheld) in
        [("meeting", "FOR MEETING USE", "1 finding"), ("public", "PUBLIC", "2 findings")]
    {
        let out = format!("{audience}.pdf");
        p.run(&["--date", "2026-11-23", "--audience", audience, "--out", &out]).must_exit(0);
        let (text, raw) = readable(&p.path().join(&out));
        assert!(!text.to_lowercase().contains(TOKEN), "{audience}: the text names it");
        assert!(!pdf::mentions(&raw, TOKEN), "{audience}: the file's bytes name it");
        assert!(!text.contains("RESTRICTED"), "{audience}");
        // The banner, at the head and the foot of every page.
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert!(pages.len() > 3);
        for (i, page) in pages.iter().enumerate() {
            assert!(page.matches(banner).count() >= 2, "{audience} page {}: {page}", i + 1);
        }
        assert!(
            text.contains(&format!("{withheld} above {banner}")),
            "{audience}: the cover counts what was withheld"
        );
        // The matrix row the restricted finding fed says so, unlinked.
        assert!(text.contains("1 finding withheld"), "{audience}: {text}");
    }
}

#[test]
fn a_withheld_finding_is_counted_in_the_book_never_numbered() {
    let p = with_levels();
    let data = p.path().join("data");
    let open = must_make(&data, &[]);
    let meeting = must_make(&data, &["--audience", "meeting"]);
    let ids = |b: &brief::Artifact| -> Vec<String> {
        b.book.themes.iter().flat_map(|t| t.findings.iter().map(|f| f.id.clone())).collect()
    };
    assert!(ids(&open).iter().any(|id| id.contains(TOKEN)));
    assert!(!ids(&meeting).iter().any(|id| id.contains(TOKEN)));
    // Numbers run on without a gap where the withheld finding was.
    let numbers: Vec<usize> =
        meeting.book.themes.iter().flat_map(|t| t.findings.iter().map(|f| f.number)).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
    assert_eq!(meeting.book.glance.withheld.findings, 1);
    assert_eq!(meeting.book.glance.findings, open.book.glance.findings - 1);
    let row = &meeting.book.matrix.rows[0];
    assert_eq!(row.cells.iter().map(|c| c.withheld).sum::<usize>(), 1);
    assert_eq!(meeting.book.meta.banner.as_deref(), Some("For meeting use"));
    // The JSON the templates get holds no trace of it.
    let json = String::from_utf8(brief::render::book_json(&meeting.book)).unwrap();
    assert!(!json.to_lowercase().contains(TOKEN));
}

#[test]
fn an_unknown_level_is_located_and_an_unknown_audience_refused() {
    let p = with_levels();
    p.edit("data/findings/meeting/04-secret.md", |t| {
        t.replace("handling: restricted", "handling: restriced")
    });
    p.check().must_report(
        1,
        &["data/findings/meeting/04-secret.md:10:11: error: unknown handling level `restriced`"],
    );
    p.run(&["check"]).must_report(1, &["= hint: did you mean `restricted`?"]);
    p.edit("data/findings/meeting/04-secret.md", |t| {
        t.replace("handling: restriced", "handling: restricted")
    });
    p.run(&["--audience", "secret"]).must_report(
        2,
        &[
            "error: unknown handling level `secret`",
            "known levels, lowest first: public, meeting, restricted\n",
        ],
    );
    // A standing book's audience is checked by `brief check`.
    p.write("brief.toml", "[[book]]\nname = \"b\"\naudience = \"secrt\"\n");
    p.run(&["check"]).must_report(1, &["error: unknown handling level `secrt`"]);
}

/// A standing book's edition record, inside the PDF and beside it, names
/// nothing withheld: no id, title or hash of it.
#[test]
fn the_edition_record_names_nothing_withheld() {
    let p = with_levels();
    p.write("brief.toml", "[[book]]\nname = \"m\"\naudience = \"meeting\"\n");
    p.run(&["build", "--all", "--date", "2026-11-23"]).must_exit(0);
    let beside = String::from_utf8(p.read("out/m.meeting.edition.json")).unwrap();
    assert!(beside.contains("\"audience\": \"meeting\""), "{beside}");
    assert!(beside.contains("both-themes"), "what is included is named");
    assert!(!beside.to_lowercase().contains(TOKEN), "{beside}");
    let inside = pdf::attachment(&p.path().join("out/m.pdf"), "edition.json");
    assert_eq!(String::from_utf8(inside).unwrap(), beside);
    let (_, raw) = readable(&p.path().join("out/m.pdf"));
    assert!(!pdf::mentions(&raw, TOKEN));
}

/// What comes from a restricted source is restricted: its findings and
/// events, and a finding whose body cites it, so that no book lists or
/// cites a source it withholds.
#[test]
fn a_restricted_source_withholds_what_draws_on_it() {
    let p = with_levels();
    p.edit("data/sources.yaml", |t| {
        t.replace("- id: paper\n", "- id: paper\n  handling: restricted\n")
    });
    p.edit("data/findings/meeting/01-hostile.md", |t| {
        format!("{t}\nAs the paper says [@paper].\n")
    });
    p.run(&["check"]).must_exit(0);
    let data = p.path().join("data");
    let open = must_make(&data, &[]);
    assert!(open.book.sources.iter().any(|s| s.key == "paper"));
    let meeting = must_make(&data, &["--audience", "meeting"]);
    assert!(meeting.book.sources.iter().all(|s| s.key != "paper"), "the source is not listed");
    let ids: Vec<&str> =
        meeting.book.themes.iter().flat_map(|t| &t.findings).map(|f| f.id.as_str()).collect();
    assert!(!ids.contains(&"hostile"), "the finding citing it is withheld: {ids:?}");
    assert!(!ids.contains(&"undated"), "the finding from it is withheld: {ids:?}");
    let withheld = meeting.book.glance.withheld;
    assert_eq!((withheld.findings, withheld.sources), (3, 1), "{withheld:?}");
    assert!(
        meeting.book.timeline.iter().all(|r| r.source.as_deref() != Some("Undated fixture paper"))
    );
}

/// An item that rises above a standing book's audience between editions
/// is counted on the changes page, never named there or in the record.
#[test]
fn a_finding_reclassified_above_the_audience_is_counted_not_named() {
    let p = with_levels();
    std::fs::remove_file(p.path().join("data/findings/meeting/04-secret.md")).unwrap();
    p.write("brief.toml", "[[book]]\nname = \"pub\"\naudience = \"meeting\"\n");
    p.edit("data/findings/meeting/01-hostile.md", |t| {
        t.replace("title: \"Hostile", &format!("title: \"{TOKEN} Hostile"))
    });
    p.run(&["build", "--all", "--date", "2026-11-23"]).must_exit(0);
    assert!(String::from_utf8(p.read("out/pub.meeting.edition.json")).unwrap().contains(TOKEN));
    p.edit("data/findings/meeting/01-hostile.md", |t| {
        t.replace("issue: sovereignty\n", "issue: sovereignty\nhandling: restricted\n")
    });
    p.run(&["build", "--all", "--date", "2026-12-01"]).must_exit(0);
    let record = String::from_utf8(p.read("out/pub.meeting.edition.json")).unwrap();
    assert!(!record.to_lowercase().contains(TOKEN), "{record}");
    assert!(record.contains("\"withheld\": 1"), "{record}");
    let (text, raw) = readable(&p.path().join("out/pub.pdf"));
    assert!(!text.to_lowercase().contains(TOKEN) && !pdf::mentions(&raw, TOKEN));
    assert!(text.contains("1 item of the edition before is now above this book"), "{text}");
}

/// A meeting's attendee listed only by a restricted source is withheld.
#[test]
fn an_attendee_from_a_restricted_source_is_withheld() {
    let p = TestProject::from_fixture("meeting");
    p.write("data/levels.yaml", LEVELS);
    let participants = String::from_utf8(p.read("data/participants.yaml")).unwrap();
    let sources = String::from_utf8(p.read("data/sources.yaml")).unwrap();
    p.write(
        "data/sources.yaml",
        format!("{sources}\n- id: secret-source\n  short: {TOKEN} briefing\n  kind: meeting\n  date: unknown\n  abstract: Restricted.\n  seed: none.txt\n  handling: restricted\n"),
    );
    p.write(
        "data/participants.yaml",
        format!("{participants}\n- id: mole\n  source: secret-source\n  role: participant\n  name: {TOKEN} Mole\n"),
    );
    p.edit("data/meetings.yaml", |t| t.replace("attendees: [asad,", "attendees: [mole, asad,"));
    p.run(&["check"]).must_exit(0);
    let data = p.path().join("data");
    let open = must_make(&data, &["--meeting", "round-two"]);
    assert!(laid_out(&open).to_lowercase().contains(TOKEN));
    let book = must_make(&data, &["--meeting", "round-two", "--audience", "meeting"]);
    assert!(!laid_out(&book).to_lowercase().contains(TOKEN));
    let json = String::from_utf8(brief::render::book_json(&book.book)).unwrap();
    assert!(!json.to_lowercase().contains(TOKEN));
}

/// A standing book built for another audience keeps its own edition
/// history: going back to the first audience continues its numbering.
#[test]
fn each_audience_has_its_own_edition_history() {
    let p = with_levels();
    p.write("brief.toml", "[[book]]\nname = \"b\"\naudience = \"meeting\"\n");
    let build = |date: &str, extra: &[&str]| {
        let mut args = vec!["build", "--all", "--date", date];
        args.extend_from_slice(extra);
        p.run(&args).must_exit(0);
    };
    build("2026-11-23", &[]);
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    build("2026-11-24", &[]);
    let edition = |file: &str| -> u64 {
        let v: serde_json::Value = serde_json::from_slice(&p.read(file)).unwrap();
        v["edition"].as_u64().unwrap()
    };
    assert_eq!(edition("out/b.meeting.edition.json"), 2);
    build("2026-11-25", &["--audience", "public"]);
    assert_eq!(edition("out/b.public.edition.json"), 1);
    build("2026-11-26", &[]);
    assert_eq!(edition("out/b.meeting.edition.json"), 2, "the history was kept");
}
