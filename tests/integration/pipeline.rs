//! The whole pipeline, corpus to laid-out pages, on the shipped corpus and
//! on fixtures (issue 2). Assertions are on the text as laid out.

use crate::common::*;

#[test]
fn afghanistan_book_from_the_shipped_corpus() {
    let built = must_make(&shipped(), &["--theme", "afghanistan"]);
    let text = laid_out(&built);
    let pages: Vec<String> = built.rendered.text().iter().map(|p| squash(p)).collect();

    // The cover carries the kind of book, its subject, the date and the
    // marking, and no page number or running head; no "all dates".
    assert_printed(&pages[0], "BRIEFING BOOK");
    assert_printed(&pages[0], "Afghanistan");
    assert_not_printed(&pages[0], "all dates");
    assert_printed(&pages[0], "23 November 2026");
    assert_printed(&pages[0], "FOR MEETING USE");
    for section in [
        "Summary",
        "Contents",
        "Findings by theme",
        "Timeline",
        "Issue matrix",
        "Participants and authors",
        "Sources",
    ] {
        assert_printed(&text, section);
    }
    // Running head and page numbers on every page after the cover.
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert!(page.contains("FORMEETINGUSEAfghanistan"), "no running head on page {}", i + 1);
        assert!(page.contains(&format!("{}", i)), "no page number on page {}", i + 1);
    }

    let margin = 15.0 * 72.0 / 25.4;
    for (i, page) in built.rendered.extents().iter().enumerate() {
        assert!(
            page.left >= margin && page.right <= page.width - margin,
            "page {}: {page:?}",
            i + 1
        );
    }

    let book = &built.book;
    let in_book: Vec<&str> =
        book.themes.iter().flat_map(|t| &t.findings).map(|f| f.id.as_str()).collect();
    // Findings on Afghanistan are in; para. 7 (nuclear narrative) is not.
    assert!(in_book.contains(&"pugwash-2012-17") && in_book.contains(&"pugwash-2012-20"));
    assert!(!in_book.contains(&"pugwash-2012-07"));
    let corpus = brief::corpus::load(&shipped()).unwrap().corpus;
    for f in &corpus.findings {
        let on_theme = f.themes.iter().any(|t| t == "afghanistan");
        assert_eq!(in_book.contains(&f.id.as_str()), on_theme, "{}", f.id);
        if on_theme {
            assert_printed(&text, &f.title);
        }
    }
    // Numbered 1..n in book order.
    let numbers: Vec<usize> =
        book.themes.iter().flat_map(|t| &t.findings).map(|f| f.number).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());

    // The timeline, matrix and annex are not empty; the annex is sorted by
    // surname, ignoring honorifics, and printed in that order.
    assert!(!book.timeline.is_empty() && !book.matrix.rows.is_empty() && !book.annex.is_empty());
    assert_printed(&text, "2 May 2011");
    let pugwash = book.annex.iter().find(|g| g.source.starts_with("Pugwash")).unwrap();
    assert_eq!(pugwash.people.len(), 29);
    let surnames: Vec<String> = pugwash.people.iter().map(|p| p.surname.to_lowercase()).collect();
    assert!(surnames.windows(2).all(|w| w[0] <= w[1]), "{surnames:?}");
    assert_eq!(pugwash.people[0].name, "Athar Abbas");
    let annex_text = &text[text.find("Participantsandauthors").unwrap()..];
    let positions: Vec<usize> =
        pugwash.people.iter().map(|p| annex_text.find(&squash(&p.name)).expect(&p.name)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "annex not printed in surname order");
}

#[test]
fn date_range_keeps_only_overlapping_dated_items() {
    let built = must_make(
        &shipped(),
        &["--theme", "afghanistan,drones", "--from", "2011", "--to", "2011-12"],
    );
    let book = &built.book;
    // The consultation (2012) and the undated sources fall outside.
    assert!(book.themes.iter().all(|t| t.findings.is_empty()));
    assert!(book.glance.undated_left_out > 0);
    assert!(!book.timeline.is_empty());
    for row in &book.timeline {
        assert!(row.date.contains("2011"), "{} is outside 2011", row.date);
    }
    let text = laid_out(&built);
    assert_printed(&text, "2 May 2011");
    assert_not_printed(&text, "Operation Anaconda");
    assert_printed(&text, "2011 – December 2011");
    // (A range of years alone is closed up: 1955–1965.)
}

#[test]
fn hostile_text_is_printed_literally() {
    let built = must_make(&fixture("basic"), &["--theme", "alpha"]);
    let text = laid_out(&built);
    for needle in [
        "Hostile #text $x$ @ref <b> \\ and ڈیورنڈ",
        // Prose gets typographic quotes (code spans keep straight ones).
        "#import “/etc/passwd” and #read(“/etc/hostname”)",
        "$ sum_(i=1)^n i $ and @label and <tag> and a backslash \\ here.",
        "#set text(fill: red)",
        "]] [[ // /* */ = not a heading.",
    ] {
        assert_printed(&text, needle);
    }
    // Right-to-left words are laid out right to left, so runs of several
    // words come in visual order: check word by word.
    for word in "پاکستان اور امریکہ کے تعلقات العلاقات الباكستانية الأمريكية".split(' ')
    {
        assert_printed(&text, word);
    }
    // Nothing was read from outside the corpus.
    assert!(!text.contains("root:x:0"));
}

#[test]
fn fixture_book_has_cross_references_tables_tasks_and_footnotes() {
    let built = must_make(&fixture("basic"), &["--theme", "alpha", "--theme", "BETA"]);
    let book = &built.book;
    let ids: Vec<Vec<&str>> =
        book.themes.iter().map(|t| t.findings.iter().map(|f| f.id.as_str()).collect()).collect();
    // A finding on two selected themes is filed once, under the first of
    // its own themes (its most relevant), and cross-referenced from the other.
    assert_eq!(ids, [vec!["hostile", "undated"], vec!["both-themes"]]);
    assert_eq!(book.themes[0].see_also.len(), 1);
    assert_eq!(
        (book.themes[0].see_also[0].number, book.themes[0].see_also[0].home.as_str()),
        (3, "Beta matters")
    );
    assert!(book.themes[1].see_also.is_empty());
    let text = laid_out(&built);
    assert_not_printed(&text, "Only about gamma");
    for needle in [
        "Side",
        "View",
        "a done task",
        "an open task",
        "The footnote text.",
        "Strikes violate sovereignty.",
        "Diverging",
    ] {
        assert_printed(&text, needle);
    }
    // The annex: surname order, honorifics ignored (Abbasi, Aftab, Durrani).
    let meeting = &book.annex[0];
    let names: Vec<&str> = meeting.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Zed Abbasi", "Safiya Aftab", "Asad Durrani"]);
    // Matrix cells cite findings by number, by perspective.
    let row = &book.matrix.rows[0];
    let numbers = |refs: &[brief::compose::FindingRef]| -> Vec<usize> {
        refs.iter().map(|r| r.number).collect()
    };
    assert_eq!(
        (numbers(&row.cells[0].cites), numbers(&row.cells[1].cites), numbers(&row.common)),
        (vec![1], vec![3], vec![2])
    );
    assert_eq!(row.cells[1].cites[0].label, "f-3", "labels come with the data");
}

#[test]
fn same_inputs_give_identical_bytes() {
    let a = must_make(&fixture("basic"), &[]);
    let b = must_make(&fixture("basic"), &[]);
    assert_eq!(a.rendered.pdf, b.rendered.pdf);
    let c = brief::make(&must_request(&fixture("basic"), &["--date", "2026-11-24"])).unwrap();
    assert_ne!(a.rendered.pdf, c.rendered.pdf, "the as-of date is part of the output");
}

#[test]
fn paper_sizes_duplex_and_watermark() {
    let a4 = must_make(&fixture("basic"), &[]);
    let letter = must_make(&fixture("basic"), &["--paper", "us-letter"]);
    assert!((a4.rendered.extents()[0].width - 595.28).abs() < 0.1);
    assert!((letter.rendered.extents()[0].width - 612.0).abs() < 0.1);

    let duplex = must_make(&fixture("basic"), &["--duplex", "--watermark", "DRAFT"]);
    let pages: Vec<String> = duplex.rendered.text().iter().map(|p| squash(p)).collect();
    // The back of the cover is blank but for the watermark and the
    // marking; the summary opens on a right-hand page, and so does each
    // theme chapter.
    assert_eq!(pages[1], "DRAFTFORMEETINGUSEFORMEETINGUSE");
    assert!(pages[2].contains("Summary"), "{}", pages[2]);
    for theme in &duplex.book.themes {
        let title = squash(&format!("{}{}", theme.title, theme.description));
        let first = pages.iter().position(|p| p.contains(&title)).unwrap();
        assert_eq!(first % 2, 0, "{} starts on page {}, a left-hand page", theme.title, first + 1);
    }
    assert!(pages.iter().all(|p| p.contains("DRAFT")), "the watermark is on every page");
    assert!(duplex.rendered.pages() > a4.rendered.pages());
}

/// A reload (a watch's rebuild) parses only the finding files whose text,
/// or the set of source keys their citations are checked against,
/// changed; and gives what a load from scratch gives.
#[test]
fn a_reload_parses_only_the_findings_whose_text_or_keys_changed() {
    use brief::corpus::{Loaded, Parses, load, load_with};
    let p = TestProject::from_fixture("basic");
    let data = p.path().join("data");
    let parses = Parses::default();
    let shown = |loaded: &Loaded| format!("{:?} {:?}", loaded.corpus.findings, loaded.diagnostics);
    let first = load_with(&data, &parses).unwrap();
    let all = first.corpus.findings.len();
    assert!(all >= 3);
    assert_eq!(parses.fresh(), all);
    let again = load_with(&data, &parses).unwrap();
    assert_eq!(parses.fresh(), 0, "nothing changed");
    assert_eq!(shown(&again), shown(&first));
    // An edit: that file alone is parsed again, and the corpus is what a
    // load from scratch makes of it.
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    let after = load_with(&data, &parses).unwrap();
    assert_eq!(parses.fresh(), 1);
    assert_eq!(shown(&after), shown(&load(&data).unwrap()));
    assert_ne!(shown(&after), shown(&first));
    // A new source changes what every citation is checked against.
    p.edit("data/sources.yaml", |t| format!("{t}\n- id: added\n  title: Added\n  kind: report\n"));
    let widened = load_with(&data, &parses).unwrap();
    assert_eq!(parses.fresh(), all, "the keys changed");
    assert_eq!(shown(&widened), shown(&load(&data).unwrap()));
}
