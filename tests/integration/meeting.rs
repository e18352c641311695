//! Meeting books: the meeting first (the steering brief: purpose,
//! objectives, key points, agenda; then who is at the table and one
//! section per item), the background last; findings
//! filed under the first item that draws on them; bad meetings reported
//! where they are.

use crate::common::*;

const MEETING: [&str; 2] = ["--meeting", "round-two"];

/// The contents page's entries: title and page number, in order.
fn contents(built: &brief::Artifact) -> Vec<(String, usize)> {
    let pages = built.rendered.text();
    let page = pages.iter().find(|p| p.lines().any(|l| l.trim() == "Contents")).expect("contents");
    page.lines()
        .filter_map(|line| {
            let (title, rest) = line.split_once(" ..")?;
            let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
            Some((title.trim().to_string(), digits.parse().ok()?))
        })
        .collect()
}

/// The printed page number of the page that holds `line` as a line of its
/// own, after the contents and the agenda.
fn page_of(built: &brief::Artifact, line: &str, after: usize) -> usize {
    let pages = built.rendered.text();
    let index = (after..pages.len())
        .find(|&i| pages[i].lines().any(|l| l.trim() == line))
        .unwrap_or_else(|| panic!("{line:?} is on no page"));
    // The cover is unnumbered; the contents page is page 1.
    index
}

#[test]
fn a_meeting_book_puts_the_meeting_first_and_the_background_last() {
    let built = must_make(&fixture("meeting"), &MEETING);
    let titles: Vec<String> = contents(&built).into_iter().map(|(t, _)| t).collect();
    let major = [
        "Steering brief",
        "Who is at the table",
        "Agenda items",
        "Timeline",
        "Issue matrix",
        "Sources",
    ];
    let order: Vec<&str> =
        titles.iter().map(String::as_str).filter(|t| major.contains(t)).collect();
    assert_eq!(order, major, "{titles:?}");
    // The steering brief opens the book, who is at the table follows it.
    let pages: Vec<(String, usize)> = contents(&built);
    let page = |title: &str| pages.iter().find(|(t, _)| t == title).unwrap().1;
    assert_eq!(page("Steering brief"), 1);
    assert!(page("Who is at the table") <= 2, "{pages:?}");
    assert!(!titles.iter().any(|t| t.contains("Participants and authors")), "{titles:?}");
    let text = laid_out(&built);
    assert_printed(&text, "Example: fixture round two");
    assert_printed(&text, "No comment before the communiqué.");
}

#[test]
fn each_item_holds_exactly_what_it_draws_on_and_a_shared_finding_is_printed_once() {
    let built = must_make(&fixture("meeting"), &MEETING);
    let meeting = built.book.meeting.as_ref().expect("a meeting book");
    let ids = |i: usize| -> Vec<&str> {
        meeting.agenda[i].findings.iter().map(|f| f.id.as_str()).collect()
    };
    assert_eq!(ids(0), ["hostile", "both-themes", "undated"]);
    assert!(ids(1).is_empty() && ids(2).is_empty());
    let both = meeting.agenda[0].findings[1].number;
    let refs: Vec<usize> = meeting.agenda[1].see_also.iter().map(|c| c.number).collect();
    // (The second item draws on `both-themes` by id and by its theme.)
    assert_eq!(refs, [both], "cross-referenced once, from the second item");
    assert!(meeting.agenda[2].see_also.is_empty());
    // Printed once as a finding, named once more by the cross-reference.
    let text = built.rendered.text().join("\n");
    assert_eq!(text.matches("A finding on two themes").count(), 2, "{text}");
    assert_printed(&laid_out(&built), "(printed under item 1, Alpha first) p.");
    // An item that draws on nothing has no findings part: an empty part
    // is left out, not announced.
    assert_not_printed(&laid_out(&built), "The corpus holds no finding for this item.");
    // The positions on the issues its findings feed, in the matrix's
    // order of parties.
    let positions = &meeting.agenda[1].positions;
    assert_eq!(positions.len(), 1);
    let parties: Vec<&str> = positions[0].cells.iter().map(|c| c.party.as_str()).collect();
    assert_eq!(parties, built.book.matrix.parties);
    assert!(positions[0].cells.iter().any(|c| c.ours && c.party == "Pakistan"));
    // What they may raise, most likely first.
    let raise: Vec<&str> = meeting.agenda[0].raise.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(raise, ["They will ask about strikes.", "They may ask about beta."]);
}

#[test]
fn the_agenda_gives_the_page_each_item_starts_on() {
    let built = must_make(&fixture("meeting"), &MEETING);
    let pages = built.rendered.text();
    let agenda_index =
        (1..pages.len()).find(|&i| pages[i].lines().any(|l| l.trim() == "AGENDA")).unwrap();
    let agenda: Vec<&str> = pages[agenda_index].lines().map(str::trim).collect();
    for (number, title) in [(1, "Alpha first"), (2, "Then beta"), (3, "Nothing to draw on")] {
        // The page follows the title on its line, or (under a time and
        // lead) on a line of its own.
        let at = agenda.iter().position(|l| l.contains(title)).unwrap_or_else(|| panic!("{title}"));
        let after = &agenda[at][agenda[at].find(title).unwrap() + title.len()..];
        let listed: usize = std::iter::once(after)
            .chain(
                agenda[at + 1..].iter().copied().filter(|l| l.chars().all(|c| c.is_ascii_digit())),
            )
            .find_map(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("no page for {title}: {agenda:?}"));
        let starts = page_of(&built, &format!("{number}. {title}"), agenda_index + 1);
        assert_eq!(listed, starts, "{title}");
    }
}

#[test]
fn who_is_at_the_table_by_side_and_surname_with_role_and_where_else_they_appear() {
    let p = seated_meeting();
    let built = must_make(&p.path().join("data"), &MEETING);
    let meeting = built.book.meeting.as_ref().unwrap();
    // Our side first, then the other parties' in their order, then those
    // whose side is not recorded; by surname within each.
    let names: Vec<&str> = meeting.attendees.iter().map(|a| a.person.name.as_str()).collect();
    assert_eq!(names, ["Safiya Aftab", "Zed Abbasi", "Asad Durrani", "Nadia Newcomer"]);
    let sides: Vec<Option<&str>> = meeting.attendees.iter().map(|a| a.side.as_deref()).collect();
    assert_eq!(sides, [Some("Pakistan (ours)"), Some("United States"), None, None]);
    let roles: Vec<Option<&str>> = meeting.attendees.iter().map(|a| a.role.as_deref()).collect();
    assert_eq!(roles, [Some("Chair"), None, None, None]);
    assert_eq!(meeting.attendees[1].also_in, ["Fixture meeting (2012)"]);
    assert!(meeting.attendees[3].also_in.is_empty(), "new to the corpus");
    // Printed in the table: a side column, the role under the name.
    let text = laid_out(&built);
    assert_printed(&text, "Ms. Safiya Aftab Chair");
    assert_printed(&text, "Pakistan (ours)");
}

#[test]
fn key_points_list_exactly_the_key_findings_selected() {
    let built = must_make(&fixture("meeting"), &MEETING);
    let points: Vec<(usize, &str)> =
        built.book.key_points.iter().map(|p| (p.number, p.summary.as_str())).collect();
    assert_eq!(points, [(1, "The hostile finding in one line.")]);
    // Theme books have them too.
    let theme_book = must_make(&fixture("meeting"), &["--theme", "beta"]);
    assert!(theme_book.book.key_points.is_empty(), "the key finding is not on beta");
    let theme_book = must_make(&fixture("meeting"), &["--theme", "alpha"]);
    assert_eq!(theme_book.book.key_points.len(), 1);
}

#[test]
fn the_shipped_example_meeting_builds_and_files_every_finding_once() {
    let built = must_make(&shipped(), &["--meeting", "pugwash-followup-example"]);
    let meeting = built.book.meeting.as_ref().unwrap();
    assert!(meeting.title.starts_with("Example"), "says plainly it is an example");
    assert_eq!(meeting.agenda.len(), 4);
    let mut numbers: Vec<usize> =
        meeting.agenda.iter().flat_map(|i| i.findings.iter().map(|f| f.number)).collect();
    let printed = numbers.len();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), printed, "no finding printed twice");
    assert_eq!(numbers, (1..=printed).collect::<Vec<_>>());
    assert!(meeting.agenda.iter().any(|i| !i.see_also.is_empty()), "a shared finding");
    let key: Vec<usize> = built.book.key_points.iter().map(|p| p.number).collect();
    let corpus = brief::corpus::load(&shipped()).unwrap().corpus;
    let is_key = |id: &str| corpus.findings.iter().any(|c| c.id == id && c.key);
    let mut expected: Vec<usize> = meeting
        .agenda
        .iter()
        .flat_map(|i| &i.findings)
        .filter(|f| is_key(&f.id))
        .map(|f| f.number)
        .collect();
    expected.sort_unstable();
    assert_eq!(key, expected);
}

// ---- Bad meetings ----

#[test]
fn an_unknown_meeting_is_a_usage_error_listing_the_known_ones() {
    let p = TestProject::from_fixture("meeting");
    p.run(&["--meeting", "round-tow"]).must_report(
        2,
        &[
            "error: unknown meeting `round-tow`: did you mean `round-two`?\n",
            "known meetings:\n",
            "round-two                    Example: fixture round two\n",
        ],
    );
    // In brief.toml it is located there, and the book fails alone.
    p.write("brief.toml", "[[book]]\nname = \"m\"\nmeeting = \"round-tow\"\n\n[[book]]\nname = \"a\"\nthemes = [\"alpha\"]\n");
    let unknown = "brief.toml:3:11: error: unknown meeting `round-tow`";
    let ran = p.run(&["build", "--all", "--date", "2026-11-23", "--diagnostic-format", "short"]);
    assert_eq!(ran.must_report(1, &[unknown]).stdout, "out/a.pdf\n");
    p.check().must_report(1, &[unknown]);
}

#[test]
fn every_bad_meeting_reference_is_located_with_a_suggestion() {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace("themes: [alpha]", "themes: [alpah]")
            .replace("issues: [sovereignty]", "issues: [sovereignity]")
            .replace("findings: [both-themes]", "findings: [both-theme]")
            .replace(
                "attendees: [asad, zed, aftab, newcomer]",
                "attendees: [asad, zedd, aftab, newcomer]",
            )
            .replace("from: \"2030\"", "from: \"2030-13\"")
            .replace("our_side: pakistan", "our_side: pakistn")
    });
    p.check().must_report(
        1,
        &[
            "data/meetings.yaml:12:13: error: unknown party `pakistn`",
            "data/meetings.yaml:13:21: error: unknown participant `zedd`",
            "data/meetings.yaml:28:16: error: unknown theme `alpah`",
            "data/meetings.yaml:38:16: error: unknown issue `sovereignity`",
            "data/meetings.yaml:33:18: error: unknown finding `both-theme`",
            "data/meetings.yaml:39:14: error: invalid `from`: `2030-13` is not a real date",
        ],
    );
    p.run(&["check"]).must_report(
        1,
        &[
            "= hint: did you mean `alpha`?",
            "= hint: did you mean `sovereignty`?",
            "= hint: did you mean `both-themes`?",
            "= hint: did you mean `zed`?",
        ],
    );
}

#[test]
fn an_item_that_draws_on_nothing_is_a_warning_and_the_book_builds() {
    let p = TestProject::from_fixture("meeting");
    p.check().must_report(
        0,
        &["data/meetings.yaml:35:14: warning: agenda item `Nothing to draw on` draws on no finding"],
    );
    let ran = p.run(&["--meeting", "round-two", "--date", "2026-11-23"]);
    ran.must_exit(0);
    assert_eq!(ran.stdout, "out/round-two.pdf\n");
}
