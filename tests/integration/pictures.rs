//! The pictures (issue 17): the timeline's strip places each event at the
//! x its date gives, its labels never overlap, and selections of one
//! event, one year and sixty years all build; the chart of findings by
//! year stacks as its counts say.

use crate::common::*;

/// A4's text block: the measure (style.typ).
const TEXT_WIDTH: f64 = 132.0 * 72.0 / 25.4;
/// The strip's axis stops short of the right edge by this much
/// (timeline.typ: `calc.min(100pt, width / 4)`), and a label starts this
/// far right of its mark.
const ROOM: f64 = if TEXT_WIDTH / 4.0 < 100.0 { TEXT_WIDTH / 4.0 } else { 100.0 };
const GAP: f64 = 3.0;

/// The strip's labels: the 7 pt runs on the timeline's first page.
fn labels(built: &brief::Artifact) -> Vec<Run> {
    let all = items(&built.rendered).0;
    let page = all.iter().find(|r| r.text == "Timeline" && r.size >= 18.0).expect("timeline").page;
    all.into_iter().filter(|r| r.page == page && (r.size - 7.0).abs() < 0.01).collect()
}

#[test]
fn each_event_sits_at_the_x_its_date_gives() {
    let built = must_make(&fixture("basic"), &[]);
    let labels = labels(&built);
    let span = TEXT_WIDTH - ROOM;
    // The fixture's dated rows run from 2001 to 2019: one strip of 19 years.
    let expected = [
        ("An early event", 0.0),
        ("A dated raid", (10.0 + 121.0 / 365.0) / 19.0),
        ("A later event", (18.0 + 31.0 / 365.0) / 19.0),
    ];
    // (A label's first run starts it; a † is set with the last word.)
    for (title, fraction) in expected {
        let start = title.rsplit_once(' ').unwrap().0;
        let run = labels.iter().find(|r| r.text.starts_with(start)).expect(title);
        let want = LEFT_MARGIN + fraction * span + GAP;
        assert!((run.x - want).abs() < 0.5, "{title}: x {} but its date gives {want}", run.x);
    }
    // The † event is marked as in the table, the † on its last word's line.
    let later = labels.iter().find(|r| r.text.starts_with("A later")).unwrap();
    let dagger = labels.iter().find(|r| r.text.contains("event †")).expect("the † with its word");
    assert!((dagger.y - later.y).abs() < 0.5, "{later:?} {dagger:?}");
}

/// Asserts that no two label runs overlap (boxes from baseline up by the
/// size, down by a fifth of it).
#[track_caller]
fn assert_no_overlap(labels: &[Run]) {
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let apart_x = a.x + a.width <= b.x + 0.01 || b.x + b.width <= a.x + 0.01;
            let apart_y = (a.y - b.y).abs() >= a.size * 1.2 - 0.01;
            assert!(apart_x || apart_y, "labels overlap: {a:?} and {b:?}");
        }
    }
}

#[test]
fn labels_never_overlap_in_the_shipped_books() {
    for args in [&["--theme", "afghanistan"][..], &[], &["--meeting", "pugwash-followup-example"]] {
        let built = must_make(&shipped(), args);
        let labels = labels(&built);
        assert!(labels.len() > 10, "{args:?}: only {} labels", labels.len());
        assert_no_overlap(&labels);
    }
}

/// A copy of the basic fixture with `events` as its events.yaml.
fn with_events(events: &str) -> TestProject {
    let project = TestProject::from_fixture("basic");
    project.write("data/events.yaml", events);
    project
}

fn event(id: &str, date: &str, end: Option<&str>) -> String {
    let end = end.map_or_else(String::new, |e| format!("  end: {e}\n"));
    format!(
        "- id: {id}\n  date: {date}\n{end}  title: Event {id} with a fairly long title here\n  themes: [alpha]\n  source: paper\n  ref: Abstract\n"
    )
}

#[test]
fn one_event_one_year_and_sixty_years_build() {
    // One event, and the fixture's findings out of range: one mark.
    let one = with_events(&event("only", "2011-05-02", None));
    let built = must_make(&one.path().join("data"), &["--from", "2011-05", "--to", "2011-05"]);
    assert_eq!(built.book.timeline.len(), 1);
    assert_eq!(built.book.timeline[0].mark.axis, [2011, 2011]);
    // One year, crowded: months on the axis, labels still apart.
    let days: String =
        (1..=12).map(|m| event(&format!("m{m}"), &format!("2011-{m:02}-15"), None)).collect();
    let year = with_events(&days);
    let built = must_make(&year.path().join("data"), &["--from", "2011", "--to", "2011"]);
    let labels = labels(&built);
    assert!(labels.iter().any(|r| r.text == "Jan") && labels.iter().any(|r| r.text == "Dec"));
    assert_no_overlap(&labels);
    // Sixty years: three strips of twenty.
    let many: String = (0..60)
        .map(|i| event(&format!("y{i}"), &format!("{}", 1960 + i), (i == 5).then_some("1985")))
        .collect();
    let sixty = with_events(&many);
    let built = must_make(&sixty.path().join("data"), &["--from", "1960", "--to", "2019"]);
    let strips: std::collections::BTreeSet<[i32; 2]> =
        built.book.timeline.iter().map(|r| r.mark.axis).collect();
    assert_eq!(strips.into_iter().collect::<Vec<_>>(), [[1960, 1979], [1980, 1999], [2000, 2019]]);
    let cut = built.book.timeline.iter().find(|r| r.title.starts_with("Event y5 ")).unwrap();
    assert!(cut.mark.continues && cut.mark.to == 1.0);
    assert_no_overlap(&labels_of_all_pages(&built));
}

fn labels_of_all_pages(built: &brief::Artifact) -> Vec<Run> {
    items(&built.rendered).0.into_iter().filter(|r| (r.size - 7.0).abs() < 0.01).collect()
}

#[test]
fn undated_findings_are_not_drawn_and_the_timeline_says_so() {
    let built = must_make(&fixture("basic"), &[]);
    let book = &built.book;
    assert!(book.glance.undated > 0);
    // Only dated rows are on the timeline, so only they get a mark.
    assert!(book.timeline.iter().all(|r| r.date.chars().any(|c| c.is_ascii_digit())));
    let text = laid_out(&built);
    assert_printed(&text, "The one finding with no date is not drawn.");
}

/// The year chart: a column per year from the first dated finding to the
/// last, empty years kept; each column's count above its stack, centred
/// on its year; stacks as tall as their counts say; undated findings not
/// drawn, and said so.
#[test]
fn the_year_chart_has_a_column_per_year_and_stacks_as_tall_as_its_count() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("date: 2012-09-19", "date: 2010"));
    p.edit("data/findings/meeting/03-out-of-theme.md", |t| {
        t.replace("date: 2012-09-19", "date: 2010-03")
    });
    p.edit("data/findings/meeting/01-hostile.md", |t| t.replace("date: 2012-09-19", "date: 2013"));
    let built = must_make(&p.path().join("data"), &[]);
    let chart = &built.book.glance.per_year;
    let labels: Vec<&str> = chart.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["2010", "2011", "2012", "2013"]);
    assert_eq!(chart.columns.iter().map(|c| c.total).collect::<Vec<_>>(), [2, 0, 0, 1]);
    assert_eq!(chart.series, ["Fixture meeting (2012)"]);

    let (runs, shapes) = items(&built.rendered);
    let page =
        runs.iter().find(|r| r.text == "Findings by year").expect("the chart's heading").page;
    let on_page = |text: &str| {
        runs.iter()
            .find(|r| r.page == page && r.text == text && r.size < 8.0)
            .unwrap_or_else(|| panic!("{text} is not printed small on page {page}"))
    };
    let centre = |r: &Run| r.x + r.width / 2.0;
    let years: Vec<&Run> = labels.iter().map(|l| on_page(l)).collect();
    assert!(years.windows(2).all(|w| w[0].x < w[1].x), "years run left to right");
    let (two, one) = (on_page("2"), on_page("1"));
    assert!((centre(two) - centre(years[0])).abs() < 1.0, "2 sits over 2010");
    assert!((centre(one) - centre(years[3])).abs() < 1.0, "1 sits over 2013");
    // The stack under each count: the shapes between the count and the axis.
    let stack = |count: &Run, year: &Run| -> f64 {
        let x = centre(year);
        shapes
            .iter()
            .filter(|s| s.page == page && s.left < x && x < s.right)
            .filter(|s| s.top > count.y && s.bottom < year.y - year.size)
            .map(|s| s.bottom - s.top)
            .sum()
    };
    let (tall, short) = (stack(two, years[0]), stack(one, years[3]));
    assert!(short > 0.0 && (tall / short - 2.0).abs() < 0.1, "heights {tall} and {short}");
    assert_printed(&laid_out(&built), "The one undated finding is not drawn.");
}
