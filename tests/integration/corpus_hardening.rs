//! The corpus's hardening: drafting comments never reach a book, every
//! YAML key is located where it is written, one bad record spoils only
//! itself, `\@` stays text, and an attendee is listed once.

use crate::common::TestProject;

/// The `path:line:column: error: message` lines `brief check` prints.
fn errors(p: &TestProject) -> Vec<String> {
    lines_of(p, ": error: ")
}

/// The `path:line:column: warning: message` lines `brief check` prints.
fn warnings(p: &TestProject) -> Vec<String> {
    lines_of(p, ": warning: ")
}

fn lines_of(p: &TestProject, severity: &str) -> Vec<String> {
    let ran = p.run(&["check", "--diagnostic-format", "short"]);
    ran.stderr
        .lines()
        .filter(|l| l.starts_with("data/") && l.contains(severity))
        .map(str::to_string)
        .collect()
}

/// Asserts `brief check` reports exactly these errors, each given by the
/// start of its line (`path:line:column: error: message`).
#[track_caller]
fn must_report(p: &TestProject, expected: &[&str]) {
    let found = errors(p);
    let ok = found.len() == expected.len()
        && found.iter().zip(expected).all(|(line, want)| line.starts_with(want));
    assert!(ok, "expected {expected:#?}\nfound {found:#?}");
}

// Class 1: drafting comments never reach a book.

/// A finding whose body holds drafting comments of every kind, each with a
/// token of its own, between text that is printed.
const COMMENTED: &str = "---
id: commented
title: A finding with drafting notes
date: 2012-09-19
themes: [alpha]
source: meeting
ref: para. 4
---
Shown first <!-- ZQXHTMLINLINE --> and shown second.

<!--
ZQXHTMLBLOCK, over
several lines
-->

Shown third %%ZQXOBSINLINE%% and shown fourth.

%%
ZQXOBSBLOCK
%%

<!-- ZQXLEADING --> Shown fifth, at a block's start.

- A list item <!-- ZQXINLIST -->
  %% ZQXINLIST2 %% shown sixth.

Code keeps its markers: `<!-- kept inline -->` and

```
%% kept fenced %%
```
";

/// Every token the comments hold.
const TOKENS: [&str; 9] = [
    "ZQXHTMLINLINE",
    "ZQXHTMLBLOCK",
    "ZQXOBSINLINE",
    "ZQXOBSBLOCK",
    "ZQXLEADING",
    "ZQXINLIST",
    "ZQXMEETINGPURPOSE",
    "ZQXAGENDAPOINTS",
    "ZQXOBJECTIVE",
];

/// The meeting fixture with [`COMMENTED`], and comments in the meeting's
/// Markdown fields.
fn commented_project() -> TestProject {
    let p = TestProject::from_fixture("meeting");
    p.write("data/findings/meeting/04-commented.md", COMMENTED);
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "    An example meeting that exists only in tests.",
            "    An example meeting <!-- ZQXMEETINGPURPOSE --> that exists only in tests.",
        )
        .replace("        - Say it twice.", "        - Say it twice. %% ZQXAGENDAPOINTS %%")
        .replace(
            "      objective: Set out where we stand on alpha.",
            "      objective: Set out where we stand <!-- ZQXOBJECTIVE --> on alpha.",
        )
    });
    p
}

#[test]
fn a_drafting_comment_reaches_neither_the_page_nor_the_pdf() {
    let p = commented_project();
    let built = crate::common::must_make(&p.path().join("data"), &["--meeting", "round-two"]);
    let text = crate::common::laid_out(&built);
    for shown in [
        "Shown first and shown second.",
        "Shown third and shown fourth.",
        "Shown fifth",
        "shown sixth",
        "An example meeting that exists only in tests.",
        "Set out where we stand on alpha.",
    ] {
        crate::common::assert_printed(&text, shown);
    }
    for token in TOKENS {
        crate::common::assert_not_printed(&text, token);
        let bytes = token.as_bytes();
        assert!(
            !built.rendered.pdf.windows(bytes.len()).any(|w| w == bytes),
            "{token} in the PDF's bytes"
        );
    }
    // Text after a comment that opens a block is a paragraph, not code.
    let shown_fifth = built.rendered.text().join("\n");
    assert!(shown_fifth.contains("Shown fifth, at a block"), "{shown_fifth}");
}

#[test]
fn a_drafting_comment_is_not_in_the_emitted_typst() {
    let p = commented_project();
    let ran = p.run(&[
        "--meeting",
        "round-two",
        "--date",
        "2026-11-23",
        "--emit-typ",
        "typ",
        "--out",
        "out/m.pdf",
    ]);
    ran.must_exit(0);
    let mut files = Vec::new();
    let mut dirs = vec![p.path().join("typ")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("brief.json")), "{files:?}");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for token in TOKENS {
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "{token} in {}",
                file.display()
            );
        }
    }
    let json = std::fs::read_to_string(p.path().join("typ/brief.json")).unwrap();
    assert!(json.contains("Shown first"), "the finding is in the book");
}

#[test]
fn a_comment_marker_inside_code_is_printed_as_written() {
    let p = commented_project();
    let built = crate::common::must_make(&p.path().join("data"), &["--meeting", "round-two"]);
    let text = crate::common::laid_out(&built);
    crate::common::assert_printed(&text, "<!-- kept inline -->");
    crate::common::assert_printed(&text, "%% kept fenced %%");
}

#[test]
fn an_unclosed_comment_is_a_warning_where_it_opens() {
    let p = TestProject::from_fixture("meeting");
    let head = COMMENTED.split("Shown first").next().unwrap();
    for (opener, column) in [("<!--", 14), ("%%", 14)] {
        let body = format!("Shown first.\n\nShown second {opener} ZQXUNCLOSED\n\nnever closed.\n");
        p.write("data/findings/meeting/04-unclosed.md", format!("{head}{body}"));
        let found = warnings(&p);
        let unclosed: Vec<&String> = found.iter().filter(|w| w.contains("never closed")).collect();
        let want = format!(
            "data/findings/meeting/04-unclosed.md:11:{column}: warning: this comment is never closed"
        );
        assert!(unclosed.len() == 1 && unclosed[0].starts_with(&want), "{found:#?}");
        // All that follows it is left out; what comes before is printed.
        let built = crate::common::must_make(&p.path().join("data"), &[]);
        let text = crate::common::laid_out(&built);
        crate::common::assert_printed(&text, "Shown first.");
        crate::common::assert_printed(&text, "Shown second");
        crate::common::assert_not_printed(&text, "ZQXUNCLOSED");
        crate::common::assert_not_printed(&text, "never closed.");
    }
}

#[test]
fn an_unclosed_comment_in_a_meeting_is_a_warning_at_its_field() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace("    An example meeting that", "    An example meeting <!-- ZQXOPEN that")
            .replace("        - Say it twice.", "        - Say it %% twice.")
    });
    let found = warnings(&p);
    let unclosed: Vec<&String> = found.iter().filter(|w| w.contains("never closed")).collect();
    assert_eq!(unclosed.len(), 2, "{found:#?}");
    assert!(
        unclosed[0].starts_with("data/meetings.yaml:7:12: warning: this comment"),
        "{unclosed:?}"
    );
    assert!(
        unclosed[1].starts_with("data/meetings.yaml:20:7: warning: this comment"),
        "{unclosed:?}"
    );
}

// Class 2: every key is located at its own line and column.

#[test]
fn an_unknown_key_in_an_indented_list_is_located_at_itself() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/events.yaml", |t| {
        t.lines()
            .map(|l| format!("  {}\n", l.replace("title: A dated raid", "titel: A dated raid")))
            .collect()
    });
    must_report(&p, &["data/events.yaml:9:5: error: unknown field `titel`"]);
}

#[test]
fn an_unknown_key_in_an_agenda_item_is_located_at_itself() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| t.replace("      time: \"09:30\"", "      tiem: \"09:30\""));
    must_report(&p, &["data/meetings.yaml:17:7: error: unknown field `tiem`"]);
}

#[test]
fn an_unknown_key_in_a_raise_entry_is_located_at_itself() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace("          likelihood: certain", "          likelyhood: certain")
    });
    must_report(&p, &["data/meetings.yaml:27:11: error: unknown field `likelyhood`"]);
}

#[test]
fn an_unknown_key_in_a_flow_mapping_is_located_at_itself() {
    let p = TestProject::from_fixture("meeting");
    let early = "{id: early, date: 2001, title: An early event, themes: [alpha], source: paper, ref: Abstract}";
    let raid = "{id: raid, date: 2011-05-02, titel: A dated raid, themes: [alpha], source: meeting, ref: para. 1}";
    p.write("data/events.yaml", format!("- {early}\n- {raid}\n"));
    must_report(&p, &["data/events.yaml:2:32: error: unknown field `titel`"]);
    p.write("data/events.yaml", format!("[{early},\n {raid}]\n"));
    must_report(&p, &["data/events.yaml:2:31: error: unknown field `titel`"]);
}

#[test]
fn a_bad_value_deep_in_an_agenda_item_is_located_at_it() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "        - text: They will ask",
            "        - {text: Seven, likelihood: [x]}\n        - text: They will ask",
        )
    });
    must_report(&p, &["data/meetings.yaml:26:37: error: agenda[0].raise[1].likelihood: "]);
}

// Class 3: one bad record spoils only itself.

/// The citations fixture with a finding whose source is `source`.
fn citing(source: &str) -> TestProject {
    let p = TestProject::from_fixture("citations");
    p.write(
        "data/findings/report/02-other.md",
        format!("---\nid: other\ntitle: Other\ndate: 2015\nthemes: [alpha]\nsource: {source}\nref: p. 2\n---\nBody.\n"),
    );
    p
}

#[test]
fn a_duplicate_bibtex_key_is_one_error_at_the_second_entry() {
    let p = citing("khan2019");
    p.edit("data/sources.bib", |t| {
        format!("{t}\n@book{{durrani2012,\n  title = {{Again}},\n  author = {{Doe, Jane}},\n  date = {{2013}},\n}}\n")
    });
    must_report(&p, &["data/sources.bib:21:7: error: duplicate citation key id `durrani2012`"]);
}

#[test]
fn a_malformed_bibtex_record_spoils_only_itself() {
    let p = citing("khan2019");
    let original = String::from_utf8(p.read("data/sources.bib")).unwrap();
    for broken in [
        "@article{broken2020,\n  title = Missing braces here,\n  date = {2020},\n}\n\n",
        "@article{broken2020,\n  title = {Unclosed,\n  date = {2020},\n}\n\n",
    ] {
        let bib = original.replace("@article{khan2019", &format!("{broken}@article{{khan2019"));
        p.write("data/sources.bib", bib);
        let found = errors(&p);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].starts_with("data/sources.bib:1"), "{found:#?}");
        assert!(found[0].contains("malformed BibTeX"), "{found:#?}");
    }
}

#[test]
fn a_malformed_csl_json_item_spoils_only_itself() {
    let p = citing("unhcr2015");
    p.edit("data/sources.json", |t| {
        t.replace("\"title\": \"Corridors and Debt\",", "\"title\": \"Corridors and Debt\"")
    });
    must_report(&p, &["data/sources.json:6:5: error: malformed CSL-JSON"]);
}

#[test]
fn a_bad_csl_json_item_is_reported_once() {
    let p = citing("unhcr2015");
    p.edit("data/sources.json", |t| {
        t.replace("\"publisher\": \"UNHCR\",", "\"publisher\": [\"UNHCR\"],")
    });
    must_report(
        &p,
        &["data/sources.json:17:3: error: item `unhcr2015`: `publisher` must be a string"],
    );
}

#[test]
fn a_yaml_syntax_error_spoils_only_its_entry() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/events.yaml", |t| {
        t.replace("  themes: [alpha, beta]", "  themes: [alpha, beta")
            .replace("  themes: [gamma]", "  themes: [gamm]")
    });
    let found = errors(&p);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("data/events.yaml:1"), "{found:#?}");
    assert!(
        found[1].starts_with("data/events.yaml:25:12: error: unknown theme `gamm`"),
        "{found:#?}"
    );
}

#[test]
fn a_control_character_spoils_only_its_entry() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/events.yaml", |t| {
        t.replace("title: A dated raid", "title: A dated\u{7}raid")
            .replace("  themes: [gamma]", "  themes: [gamm]")
    });
    must_report(
        &p,
        &[
            "data/events.yaml:9:17: error: control character U+0007",
            "data/events.yaml:25:12: error: unknown theme `gamm`",
        ],
    );
}

#[test]
fn a_broken_meeting_is_not_reported_again_by_its_participants() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| t.replace("  venue: Islamabad", "  venu: Islamabad"));
    must_report(&p, &["data/meetings.yaml:6:3: error: unknown field `venu`"]);
}

// Class 6: an attendee is listed once.

#[test]
fn an_attendee_listed_twice_is_an_error_at_the_second() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "attendees: [asad, zed, aftab, newcomer]",
            "attendees: [asad, zed, aftab, newcomer, zed]",
        )
    });
    must_report(
        &p,
        &["data/meetings.yaml:13:43: error: invalid `attendees`: `zed` is listed twice"],
    );
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "attendees: [asad, zed, aftab, newcomer, zed]",
            "attendees:\n    - asad\n    - zed\n    - aftab\n    - newcomer\n    - asad",
        )
    });
    must_report(
        &p,
        &["data/meetings.yaml:18:7: error: invalid `attendees`: `asad` is listed twice"],
    );
}

// Class 4: `\@` is text, on every pass.

#[test]
fn an_escaped_at_sign_is_printed_as_written_and_cites_nothing() {
    let p = TestProject::from_fixture("citations");
    p.write(
        "data/findings/round/02-escaped.md",
        "---\nid: escaped\ntitle: Escaped handles\ndate: 2012-09-19\nthemes: [alpha]\nsource: round\nref: para. 5\n---\nEscaped: [see \\@ahmed2020], [\\@unhcr2015, p. 3], \\@notacitation, \\@durrani2012 and @khan2019 \\[p. 33] here; and [see \\@nosuchkey].\n",
    );
    let found = errors(&p);
    assert!(found.is_empty(), "{found:#?}");
    let built = crate::common::must_make(&p.path().join("data"), &[]);
    let text = crate::common::laid_out(&built);
    crate::common::assert_printed(
        &text,
        "Escaped: [see @ahmed2020], [@unhcr2015, p. 3], @notacitation, @durrani2012 and Khan (2019) [p. 33] here; and [see @nosuchkey].",
    );
    // Not a citation on a later pass either: the finding cites only khan2019.
    let book = serde_json::to_string(&built.book).unwrap();
    let at = book.find("Escaped: ").expect("the finding is in the book");
    let finding = &book[at..at + book[at..].find("\"kind\":\"para\"").unwrap_or(book.len() - at)];
    assert_eq!(finding.matches("\"kind\":\"cite\"").count(), 1, "{finding}");
}
