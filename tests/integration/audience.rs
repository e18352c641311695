//! The audience is applied at one place (`select::Visible`), so every
//! kind of printed item carries a level and nothing above a book's
//! audience reaches any view of it: an issue row or one party's position,
//! a meeting, an agenda item (its objective, points, what may be raised),
//! one thing they may raise, the copies' recipients, and `brief list`.
//! Each test puts a token in every field of a withheld item and searches
//! the laid-out text and the whole view handed to the templates for it.

use crate::common::*;

const LEVELS: &str = "- id: public\n  banner: Public\n- id: restricted\n  banner: Restricted\n";
const TOKEN: &str = "qjvhidden";

/// The meeting fixture with two levels; a restricted issue row, a
/// restricted position on the public row, a restricted agenda item and a
/// restricted thing they may raise, a restricted source with an
/// attendee, each carrying the token.
fn project() -> TestProject {
    let p = TestProject::from_fixture("meeting");
    p.write("data/levels.yaml", LEVELS);
    p.edit("data/issues.yaml", |t| {
        let t = t.replace(
            "    us: Strikes are needed against sanctuaries.\n",
            &format!("    us:\n      text: Per our roundtable notes {TOKEN} position.\n      handling: restricted\n"),
        );
        format!(
            "{t}- id: {TOKEN}-issue\n  title: Title {TOKEN}\n  question: Question {TOKEN}?\n  themes: [alpha]\n  \
             positions:\n    pakistan: Position {TOKEN}.\n  assessment: mixed\n  rationale: Rationale {TOKEN}.\n  handling: restricted\n"
        )
    });
    p.edit("data/meetings.yaml", |t| {
        let t = t.replace(
            "        - text: They will ask about strikes.\n          likelihood: certain\n",
            &format!("        - text: They will ask about strikes.\n          likelihood: certain\n        - text: Raise {TOKEN}.\n          likelihood: likely\n          handling: restricted\n"),
        );
        format!(
            "{t}    - title: Item {TOKEN}\n      objective: Objective {TOKEN}.\n      points: |\n        - Point {TOKEN}.\n      \
             raise:\n        - text: Also {TOKEN}.\n          likelihood: possible\n      themes: [alpha]\n      issues: [{TOKEN}-issue]\n      handling: restricted\n"
        )
    });
    p.edit("data/sources.yaml", |t| {
        format!("{t}- id: {TOKEN}-source\n  short: Short {TOKEN}\n  kind: note\n  date: 2013\n  abstract: Abstract {TOKEN}.\n  seed: none (a test fixture)\n  handling: restricted\n")
    });
    p.edit("data/participants.yaml", |t| {
        format!("{t}- id: {TOKEN}-person\n  source: {TOKEN}-source\n  role: participant\n  name: Name {TOKEN}\n")
    });
    p.write(
        "data/findings/meeting/09-hidden.md",
        format!(
            "---\nid: {TOKEN}-finding\ntitle: Title {TOKEN}\ndate: 2012-09-19\nthemes: [alpha]\n\
             source: {TOKEN}-source\nref: para. 1\nissue: {TOKEN}-issue\n---\nBody {TOKEN}.\n"
        ),
    );
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "attendees: [asad, zed, aftab, newcomer]",
            &format!("attendees: [asad, zed, aftab, newcomer, {TOKEN}-person]"),
        )
    });
    p
}

/// The laid-out text and the view the templates were handed.
fn seen(p: &TestProject, args: &[&str]) -> (String, String) {
    let built = must_make(&p.path().join("data"), args);
    let view = serde_json::to_string(&built.book).unwrap();
    (laid_out(&built), view)
}

#[test]
fn a_public_meeting_book_holds_nothing_restricted_in_any_field() {
    let p = project();
    let (text, view) = seen(&p, &["--meeting", "round-two", "--audience", "public"]);
    assert!(!view.contains(TOKEN), "the view holds the token");
    assert_not_printed(&text, TOKEN);
    // What is public on the same rows and items is still there.
    assert_printed(&text, "Strikes violate sovereignty.");
    assert_printed(&text, "They will ask about strikes.");
    // The same book for everyone holds all of it.
    let (text, view) = seen(&p, &["--meeting", "round-two"]);
    assert!(view.contains(&format!("Objective {TOKEN}")), "the unrestricted book");
    assert_printed(&text, &format!("Raise {TOKEN}."));
}

#[test]
fn a_public_theme_book_prints_no_restricted_row_or_position() {
    let p = project();
    let (text, view) = seen(&p, &["--theme", "alpha", "--audience", "public"]);
    assert!(!view.contains(TOKEN), "the view holds the token");
    assert_not_printed(&text, TOKEN);
}

#[test]
fn a_meeting_above_the_audience_has_no_book_for_it() {
    let p = project();
    p.edit("data/meetings.yaml", |t| {
        t.replacen("  our_side: pakistan\n", "  our_side: pakistan\n  handling: restricted\n", 1)
    });
    let ran = p.run(&["--meeting", "round-two", "--audience", "public", "--date", "2026-11-23"]);
    ran.must_exit(2);
    assert!(ran.stderr.contains("is above the audience `public`"), "{}", ran.stderr);
    assert!(!ran.stderr.contains("Objective"), "{}", ran.stderr);
}

#[test]
fn copies_and_their_register_follow_the_audience() {
    let p = project();
    let args = ["--meeting", "round-two", "--audience", "public", "--copies-for", "attendees"];
    p.run(&[&args[..], &["--date", "2026-11-23", "--out", "out/m.pdf"]].concat()).must_exit(0);
    let register = String::from_utf8(p.read("out/m/register.csv")).unwrap();
    assert!(!register.contains(TOKEN), "{register}");
    assert_eq!(register.lines().count(), 1 + 4, "four public attendees:\n{register}");
    assert!(!p.path().join("out/m/copy-05.pdf").exists());
}

#[test]
fn list_follows_the_audience_given_or_the_projects() {
    let p = project();
    for what in ["findings", "issues", "sources"] {
        let all = p.run(&["list", what]);
        all.must_exit(0);
        assert!(all.stdout.contains(TOKEN), "{what}: {}{}", all.stdout, all.stderr);
    }
    for args in [
        &["list", "findings", "--audience", "public"][..],
        &["list", "issues", "--audience", "public"],
        &["list", "sources", "--audience", "public"],
    ] {
        let ran = p.run(args);
        ran.must_exit(0);
        assert!(
            !ran.stdout.contains(TOKEN) && !ran.stderr.contains(TOKEN),
            "{args:?}: {}",
            ran.stdout
        );
    }
    p.write("brief.toml", "[defaults]\naudience = \"public\"\n");
    let ran = p.run(&["list", "participants"]);
    ran.must_exit(0);
    assert!(!ran.stdout.contains(TOKEN), "{}", ran.stdout);
}
