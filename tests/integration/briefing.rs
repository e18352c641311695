//! The page as a busy reader meets it (issue 25): a first page that says
//! what matters, the subject as the cover's largest line, findings set on
//! a measure that reads, no near-empty pages and no label cut from what
//! it labels, positions said once, marks inside what a printer prints,
//! running heads that name the part, one quote style.

use crate::common::*;
use brief::render::Rendered;

/// The top and bottom page margins (style.typ), in points.
const TOP: f64 = 32.0 * 72.0 / 25.4;
const BOTTOM: f64 = 22.0 * 72.0 / 25.4;
/// 8 mm, in points: the least distance of a mark from a page's edge.
const EIGHT_MM: f64 = 8.0 * 72.0 / 25.4;
/// The sizes of a finding's title, of a theme's or agenda item's heading
/// and of a section's (style.typ), and of a part's label (keypoints.typ).
const FINDING_TITLE: f64 = 11.0;
const PART_HEADING: f64 = 13.5;
const SECTION_HEADING: f64 = 18.0;
const LABEL: f64 = 8.5;

/// Each page's width and height, in points.
fn sizes(rendered: &Rendered) -> Vec<(f64, f64)> {
    let pages = rendered.document.pages().iter();
    pages.map(|p| (p.frame.width().to_pt(), p.frame.height().to_pt())).collect()
}

/// The runs of each page's body (between the head and the foot), top to
/// bottom; index 0 is the cover.
fn body(rendered: &Rendered) -> Vec<Vec<Run>> {
    let sizes = sizes(rendered);
    let mut pages: Vec<Vec<Run>> = sizes.iter().map(|_| Vec::new()).collect();
    for run in items(rendered).0 {
        let height = sizes[run.page - 1].1;
        if run.y > TOP && run.y < height - BOTTOM {
            pages[run.page - 1].push(run);
        }
    }
    for page in &mut pages {
        page.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    }
    pages
}

/// Whether a run is set at `size` (to a hundredth of a point).
fn at(run: &Run, size: f64) -> bool {
    (run.size - size).abs() < 0.01
}

/// The page (0-based) a finding's title is printed on.
fn page_of_finding(rendered: &Rendered, title: &str) -> usize {
    let pages = body(rendered);
    let start: String = title.chars().take(16).collect();
    pages
        .iter()
        .position(|p| p.iter().any(|r| at(r, FINDING_TITLE) && r.text.starts_with(&start)))
        .unwrap_or_else(|| panic!("{title} is not printed"))
}

#[test]
fn a_theme_book_opens_with_its_key_judgements_assessments_and_dates() {
    let built = must_make(&shipped(), &["--theme", "afghanistan"]);
    let pages = built.rendered.text();
    let first = squash(&pages[1]);
    assert_printed(&first, "Summary");
    assert_printed(&first, "All dates");
    // Each key judgement in a line, with its finding's number and the
    // folio of its page (the cover has none: page 2 is folio 1).
    assert!(!built.book.key_points.is_empty());
    let themes = &built.book.themes;
    for point in &built.book.key_points {
        let finding = themes.iter().flat_map(|t| &t.findings).find(|f| f.number == point.number);
        let folio = page_of_finding(&built.rendered, &finding.unwrap().title);
        assert_printed(&first, &point.summary);
        assert_printed(&first, &format!("(finding {}) p. {folio}", point.number));
    }
    // Each issue of the matrix with its assessment, in a line.
    assert!(!built.book.matrix.rows.is_empty());
    for row in &built.book.matrix.rows {
        let word = serde_json::to_value(row.assessment).unwrap();
        assert_printed(&first, &format!("{}: {}", row.title, word.as_str().unwrap()));
    }
    // No apparatus counted as news, no section that says it is empty.
    assert_not_printed(&first, "people in the annex");
    assert_not_printed(&laid_out(&built), "No finding in this book is marked");
}

#[test]
fn a_meeting_book_opens_with_the_steering_brief_then_who_is_at_the_table() {
    let built = must_make(&shipped(), &["--meeting", "pugwash-followup-example"]);
    let meeting = built.book.meeting.as_ref().unwrap();
    let pages: Vec<String> = built.rendered.text().iter().map(|p| squash(p)).collect();
    let steering = &pages[1];
    for label in ["Steering brief", "PURPOSE", "OBJECTIVES", "KEY JUDGEMENTS", "AGENDA"] {
        assert_printed(steering, label);
    }
    for point in &built.book.key_points {
        assert_printed(steering, &point.summary);
    }
    // The agenda with the page each item starts on (its heading's page;
    // the cover has no folio, so page index i is folio i).
    let runs = body(&built.rendered);
    let starts = |number: usize, title: &str| {
        let heading = format!("{number}. {}", title.split(' ').next().unwrap());
        runs.iter()
            .position(|p| p.iter().any(|r| at(r, PART_HEADING) && r.text.starts_with(&heading)))
    };
    for item in &meeting.agenda {
        let folio = starts(item.number, &item.title).unwrap();
        assert_printed(steering, &format!("{}{}{folio}", item.number, item.title));
    }
    // Who is at the table comes next, before the first item, with each
    // person's side and role where the corpus records them.
    let table = pages.iter().position(|p| p.contains("Whoisatthetable")).unwrap();
    let item = starts(1, &meeting.agenda[0].title).unwrap();
    assert!(table <= 2 && table <= item, "who is at the table on page {table}, item 1 on {item}");
    assert_printed(&pages[table], "Pakistan(ours)");
    assert_printed(&pages[table], "Convenor(Pugwash)");
    assert!(meeting.attendees.iter().any(|a| a.side.is_some()));
}

/// The largest line of the cover and the text of every run at its size.
fn largest_on_cover(built: &brief::Artifact) -> String {
    let (runs, _) = items(&built.rendered);
    let cover: Vec<&Run> = runs.iter().filter(|r| r.page == 1).collect();
    let largest = cover.iter().map(|r| r.size).fold(0.0, f64::max);
    cover.iter().filter(|r| at(r, largest)).map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ")
}

#[test]
fn the_cover_s_largest_line_is_the_subject_said_once() {
    let theme = must_make(&shipped(), &["--theme", "afghanistan"]);
    assert_eq!(largest_on_cover(&theme), "Afghanistan");
    let cover = squash(&theme.rendered.text()[0]);
    assert_eq!(cover.matches("Afghanistan").count(), 1, "{cover}");
    assert_printed(&cover, "BRIEFING BOOK");
    assert_not_printed(&cover, "brief");
    let meeting = must_make(&shipped(), &["--meeting", "pugwash-followup-example"]);
    let title = &meeting.book.meeting.as_ref().unwrap().title;
    assert_eq!(squash(&largest_on_cover(&meeting)), squash(title));
    // A standing book's own title leads, with the subject under it, when
    // it differs from the subject; when it is the subject, it is said once.
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", "[[book]]\nname = \"a\"\ntitle = \"Alpha matters\"\nthemes = [\"alpha\"]\n\n[[book]]\nname = \"b\"\ntitle = \"Board pack\"\nthemes = [\"alpha\"]\n");
    p.run(&["build", "--all", "--date", "2026-11-23"]).must_exit(0);
    let cover = |name: &str| {
        let text = crate::pdf::text_of(&p.path().join(format!("out/{name}.pdf")));
        squash(text.split('\u{c}').next().unwrap())
    };
    assert_eq!(cover("a").matches("Alphamatters").count(), 1, "{}", cover("a"));
    assert!(cover("b").contains("BoardpackAlphamatters"), "{}", cover("b"));
}

/// The median number of characters in a full line of findings text: the
/// body-size serif lines of the findings pages that fill the measure.
fn median_full_line(built: &brief::Artifact) -> usize {
    let pages = body(&built.rendered);
    let mut counts = Vec::new();
    let findings =
        &pages[page_of_finding(&built.rendered, &built.book.themes[0].findings[0].title)..];
    for page in findings {
        let serif: Vec<Run> =
            page.iter().filter(|r| at(r, 10.5) && r.family == "Noto Serif").cloned().collect();
        let lines = lines(&serif);
        let widths: Vec<f64> = lines
            .iter()
            .map(|l| l.iter().map(|r| r.x + r.width).fold(0.0, f64::max) - l[0].x)
            .collect();
        let measure = widths.iter().copied().fold(0.0, f64::max);
        for (line, width) in lines.iter().zip(widths) {
            if width > measure - 2.0 {
                counts.push(line.iter().map(|r| r.text.chars().count()).sum::<usize>());
            }
        }
    }
    assert!(counts.len() > 50, "too few full lines to judge: {}", counts.len());
    counts.sort_unstable();
    counts[counts.len() / 2]
}

#[test]
fn a_full_line_of_findings_holds_60_to_80_characters_on_a4_and_letter() {
    for paper in ["a4", "us-letter"] {
        let built = must_make(&shipped(), &["--paper", paper]);
        let median = median_full_line(&built);
        assert!((60..=80).contains(&median), "{paper}: {median} characters a full line");
    }
}

/// The pages that close a theme chapter or an agenda item: the next page
/// opens another part, or (for the last part) the section after the
/// parts while this page's head names a part.
fn part_ends(built: &brief::Artifact, pages: &[Vec<Run>]) -> Vec<usize> {
    let (runs, _) = items(&built.rendered);
    let head = |i: usize| -> String {
        squash(
            &runs
                .iter()
                .filter(|r| r.page == i + 1 && r.y < TOP)
                .map(|r| r.text.as_str())
                .collect::<String>(),
        )
    };
    let mut parts: Vec<String> = built.book.themes.iter().map(|t| squash(&t.title)).collect();
    if let Some(m) = &built.book.meeting {
        parts.extend(m.agenda.iter().map(|i| squash(&format!("{}. {}", i.number, i.title))));
    }
    let opens = |i: usize, size: f64| pages[i].first().is_some_and(|r| at(r, size));
    (0..pages.len().saturating_sub(1))
        .filter(|&i| {
            opens(i + 1, PART_HEADING)
                || (opens(i + 1, SECTION_HEADING)
                    && parts.iter().any(|p| head(i).ends_with(p.as_str())))
        })
        .collect()
}

/// Asserts that every page but the cover, a chapter's or item's last and
/// the book's last is at least a third full, and that no heading, label
/// or finding title ends a page.
#[track_caller]
fn assert_pages_are_full(built: &brief::Artifact, what: &str) {
    let pages = body(&built.rendered);
    let heights = sizes(&built.rendered);
    let ends = part_ends(built, &pages);
    for (i, page) in pages.iter().enumerate().skip(1) {
        let Some(last) = page.last() else { panic!("{what}: page {} is empty", i + 1) };
        let text_height = heights[i].1 - TOP - BOTTOM;
        let full = (last.y - TOP) / text_height;
        let exempt = ends.contains(&i) || i + 1 == pages.len();
        assert!(exempt || full > 1.0 / 3.0, "{what}: page {} is {:.0}% full", i + 1, full * 100.0);
        let stranded = [FINDING_TITLE, PART_HEADING, SECTION_HEADING].iter().any(|&s| at(last, s))
            || (at(last, LABEL) && last.text.chars().all(|c| !c.is_lowercase()));
        assert!(!stranded, "{what}: page {} ends with {:?}", i + 1, last.text);
    }
}

#[test]
fn no_page_is_near_empty_and_no_label_is_cut_from_what_it_labels() {
    for (what, args) in [
        ("theme book", vec!["--theme", "afghanistan"]),
        ("all themes", vec![]),
        ("meeting book", vec!["--meeting", "pugwash-followup-example"]),
        ("US letter", vec!["--paper", "us-letter"]),
    ] {
        assert_pages_are_full(&must_make(&shipped(), &args), what);
    }
}

#[test]
fn each_issue_s_positions_are_printed_in_full_once_in_a_meeting_book() {
    let built = must_make(&shipped(), &["--meeting", "pugwash-followup-example"]);
    let meeting = built.book.meeting.as_ref().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut repeats = 0;
    for position in meeting.agenda.iter().flat_map(|i| &i.positions) {
        assert_eq!(position.full, seen.insert(position.label.clone()), "{}", position.issue);
        repeats += usize::from(!position.full);
    }
    assert!(repeats > 0, "the shipped meeting draws on an issue twice");
    // On the page: each position's text once under the items, once more
    // in the matrix at most.
    let text = laid_out(&built);
    for row in &built.book.matrix.rows {
        for cell in row.cells.iter().filter_map(|c| c.position.as_deref()) {
            let times = text.matches(&squash(cell)).count();
            assert!(times <= 2, "printed {times} times: {cell}");
        }
    }
    assert_printed(&text, "positions in full under an earlier item. p.");
}

#[test]
fn the_marking_is_centred_at_head_and_foot_of_every_page_8_mm_inside() {
    for args in [vec!["--theme", "afghanistan"], vec!["--theme", "afghanistan", "--duplex"]] {
        let built = must_make(&shipped(), &args);
        let sizes = sizes(&built.rendered);
        let (runs, _) = items(&built.rendered);
        for (i, (width, height)) in sizes.iter().enumerate() {
            let marks: Vec<&Run> =
                runs.iter().filter(|r| r.page == i + 1 && r.text == "FOR MEETING USE").collect();
            assert_eq!(marks.len(), 2, "{args:?}: page {} has {} markings", i + 1, marks.len());
            for mark in marks {
                let centre = mark.x + mark.width / 2.0;
                assert!((centre - width / 2.0).abs() < 1.0, "page {}: off centre", i + 1);
                assert!(mark.y - mark.size > EIGHT_MM && mark.y < height - EIGHT_MM);
                assert!(at(mark, 9.0), "one style on every page: {mark:?}");
            }
        }
    }
}

#[test]
fn a_copy_s_mark_is_centred_8_mm_inside_the_top_edge() {
    let p = TestProject::from_fixture("meeting");
    p.run(&["--meeting", "round-two", "--date", "2026-11-23", "--copies-for", "attendees"])
        .must_exit(0);
    let copy = std::fs::read(p.path().join("out/round-two/copy-01.pdf")).unwrap();
    let lines = crate::pdf::placed_lines(&copy);
    let marks: Vec<_> = lines.iter().filter(|l| l.text.starts_with("Copy 1 of 4")).collect();
    let pages = lines.iter().map(|l| l.page).max().unwrap();
    assert_eq!(marks.len(), pages, "a mark on every page, the cover included");
    for mark in marks {
        let centre = (mark.x + mark.end) / 2.0;
        assert!((centre - mark.width / 2.0).abs() < 1.0, "off centre: {mark:?}");
        // Baseline from the bottom edge: the top of its type 8 mm or more
        // below the top edge.
        assert!(mark.height - mark.y - mark.size > EIGHT_MM, "too near the top: {mark:?}");
    }
}

#[test]
fn folios_sit_outside_and_running_heads_name_the_part() {
    let built = must_make(&shipped(), &[]);
    let (runs, _) = items(&built.rendered);
    let sizes = sizes(&built.rendered);
    for (i, (width, height)) in sizes.iter().enumerate().skip(1) {
        let folio = runs
            .iter()
            .find(|r| r.page == i + 1 && r.y > height - BOTTOM && r.text == i.to_string())
            .unwrap_or_else(|| panic!("no folio on page {}", i + 1));
        assert!(folio.x + folio.width > width - 20.0 * 72.0 / 25.4 - 1.0, "page {}", i + 1);
    }
    // A page inside a theme chapter names the theme in its head.
    let pages = body(&built.rendered);
    for theme in &built.book.themes {
        let Some(last) = theme.findings.last() else { continue };
        let page = page_of_finding(&built.rendered, &last.title);
        let head: String = runs
            .iter()
            .filter(|r| r.page == page + 1 && r.y < TOP)
            .map(|r| r.text.as_str())
            .collect();
        assert!(
            squash(&head).contains(&squash(&theme.title)) || pages[page].is_empty(),
            "page {}: {head}",
            page + 1
        );
    }
}

#[test]
fn an_inserted_blank_page_keeps_its_marking_and_nothing_else() {
    let built = must_make(&shipped(), &["--duplex", "--paper", "us-letter"]);
    let pages = built.rendered.text();
    let blank: Vec<usize> =
        (1..pages.len()).filter(|&i| body(&built.rendered)[i].is_empty()).collect();
    assert!(!blank.is_empty(), "a two-sided book of several themes has blank pages");
    for i in blank {
        assert_eq!(squash(&pages[i]), "FORMEETINGUSEFORMEETINGUSE", "page {}", i + 1);
    }
}

#[test]
fn a_book_has_one_quote_style() {
    // The shipped corpus quotes with double quotes; the citation locale's
    // single ones (Chicago's titles in the list of sources) follow them.
    let built = must_make(&shipped(), &[]);
    let text = built.rendered.text().join("\n");
    assert!(text.contains('“'));
    assert!(!text.contains('‘'), "a single opening quote is printed");
}

#[test]
fn what_they_may_raise_carries_our_response() {
    let p = seated_meeting();
    let built = must_make(&p.path().join("data"), &["--meeting", "round-two"]);
    let text = laid_out(&built);
    assert_printed(&text, "CERTAIN They will ask about strikes.");
    assert_printed(&text, "Response: Strikes violate our sovereignty; we say so plainly.");
    let raise = &built.book.meeting.as_ref().unwrap().agenda[0].raise;
    assert_eq!(raise.iter().filter(|r| r.response.is_some()).count(), 1);
}

#[test]
fn a_source_with_neither_title_nor_author_is_cited_by_its_short_name() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/sources.yaml", |t| {
        format!("{t}- id: anon\n  short: Ministry note on transit\n  kind: report\n  date: 2011\n  abstract: A note.\n  seed: none (a test fixture)\n")
    });
    p.write(
        "data/findings/meeting/04-anon.md",
        "---\nid: anon-finding\ntitle: From an anonymous note\ndate: 2011\nthemes: [gamma]\nsource: anon\nref: para. 2\n---\nA claim.\n",
    );
    let built = must_make(&p.path().join("data"), &["--theme", "gamma"]);
    // (Chicago sets a title in title case.)
    let text = laid_out(&built).to_lowercase();
    assert_printed(&text, "(ministry note on transit 2011, para. 2)");
    assert_not_printed(&text, "(report 2011");
}

#[test]
fn the_timeline_records_findings_a_row_a_month() {
    let built = must_make(&shipped(), &[]);
    let rows: Vec<_> = built.book.timeline.iter().filter(|r| r.kind == "findings").collect();
    let months: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.date.as_str()).collect();
    assert_eq!(months.len(), rows.len(), "one row a month");
    // Each dated finding is in one row, under its month: no row is dated
    // to a day ("19 September 2012"), only to a month or a year.
    let in_rows: usize = rows.iter().map(|r| r.findings.len()).sum();
    let corpus = brief::corpus::load(&shipped()).unwrap().corpus;
    let with_date = corpus.findings.iter().filter(|f| f.date.is_some()).count();
    assert_eq!(in_rows, with_date);
    assert!(with_date > rows.len(), "several findings share a month");
    for row in rows {
        let by_day = row.date.starts_with(|c: char| c.is_ascii_digit()) && row.date.len() > 4;
        assert!(!by_day, "a row a day: {}", row.date);
    }
}

#[test]
fn a_link_s_address_is_printed_where_the_text_hides_it() {
    let rendered = must_render_body(
        "See [the report](https://example.org/report), <https://example.org/plain> and [a note](#n).\n",
    );
    let text = squash(&rendered.text().join("\n"));
    assert!(text.contains(&squash("See the report (https://example.org/report),")), "{text}");
    // An address already shown, or a link inside the book, is not repeated.
    assert_eq!(text.matches("example.org/plain").count(), 1, "{text}");
    assert!(text.contains(&squash("and a note.")), "{text}");
}
