//! The page: what a finding's body looks like once laid out. Wide tables fit
//! the text block without overprinting, long words and URLs break inside
//! the margins yet copy out exactly, every script the corpus may hold has a
//! glyph, and the matrix legend shows every assessment's shape.

use crate::common::{self, LEFT_MARGIN, RIGHT_MARGIN, Run, items, lines, squash};
use brief::render::Rendered;

/// One-sided margins (style.typ): 27 mm left, 20 mm right.
/// The body type's size (style.typ), in points.
const BODY: f64 = 10.5;
/// Rounding slack for "inside the text block", in points.
const SLACK: f64 = 0.5;

/// Renders one finding with `body`; no Typst warning allowed.
#[track_caller]
fn must_render(body: &str) -> Rendered {
    common::must_render_body(body)
}

/// Asserts that the finding's text lies inside the text block of the
/// one-sided page, on every page from its title to the next section. The
/// finding's number, which hangs in the margin by design, is left out.
/// (`Rendered::extents` counts the cover and the hanging number, so it
/// can only check for the wider margin tests/safety.rs uses.)
#[track_caller]
fn assert_inside_the_text_block(rendered: &Rendered) {
    let (runs, _) = items(rendered);
    let title = runs.iter().find(|r| r.text == "Finding under test").expect("the finding's title");
    let after = |r: &Run, than: &Run| (r.page, r.y) > (than.page, than.y);
    let next_section =
        runs.iter().find(|r| after(r, title) && r.size >= 18.0).expect("a section after it");
    let width = rendered.extents()[0].width;
    for run in &runs {
        if after(title, run) || !after(next_section, run) {
            continue;
        }
        let hanging = run.page == title.page && (run.y - title.y).abs() < 0.5 && run.x < title.x;
        // A hyphen at a line's end hangs a little into the margin, as
        // Typst sets justified text (optical margin alignment).
        let hyphen = run.text.chars().all(|c| matches!(c, '\u{ad}' | '-' | '‐'));
        let overhang = if hyphen { run.size / 2.0 } else { 0.0 };
        assert!(
            (hanging || run.x >= LEFT_MARGIN - SLACK)
                && run.x + run.width <= width - RIGHT_MARGIN + SLACK + overhang,
            "text runs into the margin (text block {LEFT_MARGIN:.1}..{:.1}): {run:?}",
            width - RIGHT_MARGIN
        );
    }
}

/// Asserts that no two runs on one line overlap: nothing is overprinted.
#[track_caller]
fn assert_nothing_overprinted(runs: &[Run]) {
    for line in lines(runs) {
        for pair in line.windows(2) {
            assert!(
                pair[1].x >= pair[0].x + pair[0].width - 0.01,
                "{:?} overprints {:?}",
                pair[1].text,
                pair[0].text
            );
        }
    }
}

/// Asserts that `values` appear in the laid-out text in this order.
#[track_caller]
fn assert_in_order(rendered: &Rendered, values: &[String]) {
    let text = squash(&rendered.text().join("\n"));
    let mut from = 0;
    for value in values {
        let value = squash(value);
        match text[from..].find(&value) {
            Some(at) => from += at + value.len(),
            None => panic!("{value:?} is not printed after what comes before it"),
        }
    }
}

/// `n` with thousands separators: 3702 -> "3,702".
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A Markdown table.
fn markdown_table(head: &[String], rule: &str, rows: &[Vec<String>]) -> String {
    let row = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut table = row(head);
    table += &format!("|{}|\n", vec![rule; head.len()].join("|"));
    for r in rows {
        table += &row(r);
    }
    table
}

#[test]
fn an_eighteen_column_table_of_figures_fits_with_every_figure_apart() {
    let head: Vec<String> = (2001..=2018).map(|y| format!("FY{y}")).collect();
    let rows: Vec<Vec<String>> =
        (0..4u32).map(|r| (0..18u32).map(|c| grouped(1234 * (c + 3) + 17 * r)).collect()).collect();
    assert_eq!(rows[0][0], "3,702");
    let body = format!("Figures by year.\n\n{}", markdown_table(&head, "---:", &rows));
    let rendered = must_render(&body);
    assert_inside_the_text_block(&rendered);
    let (runs, _) = items(&rendered);
    assert_nothing_overprinted(&runs);
    // Each row is one line of type holding its 18 figures as 18 runs, in
    // order, in type smaller than the body's 10 pt.
    let lines = lines(&runs);
    for row in rows.iter().chain([&head]) {
        let line = lines
            .iter()
            .find(|l| l.iter().any(|r| r.text == row[0]))
            .unwrap_or_else(|| panic!("{:?} is not a run of its own", row[0]));
        let texts: Vec<&str> = line.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, *row, "a row's cells, left to right");
        assert!(line.iter().all(|r| r.size < 9.0), "the table is set smaller: {line:?}");
    }
    // Extracted from the PDF, a row's figures come out apart and in order,
    // on one line.
    let text = crate::pdf::text(&rendered.pdf);
    for row in &rows {
        let found = text.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words.windows(row.len()).any(|w| w == row.as_slice())
        });
        assert!(found, "row {row:?} does not extract as separate values:\n{text}");
    }
}

#[test]
fn a_wide_left_aligned_text_table_fits_the_text_block() {
    let words = [
        "Counterinsurgency",
        "Reconciliation",
        "Internationalisation",
        "Decentralisation",
        "Accountability",
        "Implementation",
        "Responsibilities",
        "Parliamentarians",
    ];
    let head: Vec<String> = words.iter().map(|w| format!("{w} heading")).collect();
    let rows: Vec<Vec<String>> = (0..3)
        .map(|r| {
            words
                .iter()
                .enumerate()
                .map(|(c, w)| format!("{w}{r}{c} and **strengthening** of `institutions_{c}`"))
                .collect()
        })
        .collect();
    let body = markdown_table(&head, ":---", &rows);
    let rendered = must_render(&body);
    assert_inside_the_text_block(&rendered);
    let (runs, _) = items(&rendered);
    assert_nothing_overprinted(&runs);
    let mut values: Vec<String> = head.clone();
    for row in &rows {
        values.extend(row.iter().map(|c| c.replace(['*', '`'], "")));
    }
    assert_in_order(&rendered, &values);
    // Every word is whole on one line: no column is narrower than its
    // widest word.
    for row in &rows {
        for (c, cell) in row.iter().enumerate() {
            let word = cell.split(' ').next().unwrap();
            assert!(runs.iter().any(|r| r.text.contains(word)), "{word} is split");
            let code = format!("institutions_{c}");
            assert!(runs.iter().any(|r| r.text == code), "{code} is split");
        }
    }
}

#[test]
fn a_table_whose_widest_words_fit_keeps_its_type_and_squeezes_no_word() {
    // Three columns of prose beside one long word: Typst's own share-out
    // would give the word's column less than the word.
    let prose = "the consultation heard that positions had hardened on both sides since 2011";
    let word = "Telecommunications";
    let head: Vec<String> = ["Term", "One", "Two", "Three"].map(String::from).to_vec();
    let rows = vec![vec![word.to_string(), prose.into(), prose.into(), prose.into()]];
    let rendered = must_render(&markdown_table(&head, "---", &rows));
    assert_inside_the_text_block(&rendered);
    let (runs, _) = items(&rendered);
    assert_nothing_overprinted(&runs);
    let run = runs.iter().find(|r| r.text == word).expect("the long word is one run");
    assert_eq!(run.size, BODY, "a table that can fit keeps the body type");
    // A small table is set exactly as before: body type, natural widths.
    let small = must_render("| Side | View |\n|:--|--:|\n| Pakistan | no |\n");
    let (runs, _) = items(&small);
    let pakistan = runs.iter().find(|r| r.text == "Pakistan").unwrap();
    let no = runs.iter().find(|r| r.text == "no").unwrap();
    assert_eq!(pakistan.size, BODY);
    // Natural widths: the columns are no wider than their text and padding.
    assert!(no.x + no.width - pakistan.x < 80.0, "{pakistan:?} {no:?}");
}

#[test]
fn long_urls_and_hashes_break_inside_the_margins_and_copy_out_exactly() {
    let url = format!(
        "https://example.org/archive/2012/pugwash-islamabad/report?id={}&part=",
        "0123456789abcdef".repeat(2)
    );
    let url = format!("{url}{}", "x".repeat(120 - url.len()));
    assert_eq!(url.len(), 120);
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert_eq!(hash.len(), 64);
    let body = format!(
        "See [the record]({url}) and the plain address {url} as well as <{url}>.\n\n\
         The digest is `{hash}` in the manifest.\n\n\
         پاکستان {url} پاکستان\n"
    );
    let rendered = must_render(&body);
    assert_inside_the_text_block(&rendered);
    // The layout broke them: no line is long enough to hold either.
    let (runs, _) = items(&rendered);
    let lines = lines(&runs);
    let joined: Vec<String> =
        lines.iter().map(|l| l.iter().map(|r| r.text.as_str()).collect()).collect();
    assert!(joined.iter().all(|l| !l.contains(&url)), "the URL never breaks");
    // Laid out, nothing is added between the characters (no zero-width
    // space), so joining the lines gives them back; the URL among Urdu
    // keeps its left-to-right order.
    let laid_out: String = rendered.text().join("").replace('\n', "");
    assert!(!laid_out.contains('\u{200b}'), "a zero-width space is set");
    // (Three as written, and the address the link's text hides, after it.)
    assert_eq!(laid_out.matches(url.as_str()).count(), 4, "{laid_out}");
    assert!(laid_out.contains(hash));
    // What a reader copies out of the PDF is the URL and the hash exactly.
    let text = crate::pdf::text(&rendered.pdf);
    let joined = text.replace('\n', "");
    assert!(!text.contains('\u{200b}'), "a zero-width space is extracted");
    assert_eq!(joined.matches(url.as_str()).count(), 4, "the URL does not extract whole:\n{text}");
    assert!(joined.contains(hash), "the hash does not extract whole:\n{text}");
}

#[test]
fn every_script_and_symbol_has_a_glyph() {
    let samples = [
        ("中巴经济走廊", "Noto Sans CJK SC"),
        ("नमस्ते", "Noto Sans Devanagari"),
        ("שלום", "Noto Sans Hebrew"),
        ("বাংলা", "Noto Sans Bengali"),
        ("✓", "Noto Sans Symbols2"),
        ("😀", "Noto Emoji"),
        ("پاکستان", "Noto Naskh Arabic"),
    ];
    let body = samples
        .iter()
        .map(|(s, _)| format!("Text {s} and **{s}** and `{s}`."))
        .collect::<Vec<_>>()
        .join("\n\n");
    for (sample, _) in &samples {
        assert!(brief::render::fonts::uncovered(sample).is_empty(), "{sample}");
    }
    let rendered = must_render(&body);
    let (runs, _) = items(&rendered);
    let tofu: Vec<&Run> = runs.iter().filter(|r| r.tofu).collect();
    assert!(tofu.is_empty(), "missing glyphs: {tofu:?}");
    for (sample, family) in samples {
        let first = sample.chars().next().unwrap().to_string();
        let set_in: Vec<&str> =
            runs.iter().filter(|r| r.text.contains(&first)).map(|r| r.family.as_str()).collect();
        assert!(set_in.len() >= 3, "{sample} is set {} times", set_in.len());
        assert!(set_in.iter().all(|f| *f == family), "{sample} is set in {set_in:?}");
    }
}

#[test]
fn the_matrix_legend_shows_the_shape_of_every_assessment() {
    let built = common::must_make(&common::fixture("basic"), &[]);
    let (runs, shapes) = items(&built.rendered);
    let heading = runs.iter().find(|r| r.text == "Issue matrix" && r.size > 15.0).unwrap();
    for word in ["converging", "diverging", "mixed"] {
        // The legend is the first small text naming the word on the page.
        let run = runs
            .iter()
            .find(|r| {
                r.page == heading.page
                    && r.size < 9.0
                    && r.text.trim_matches(|c: char| c.is_whitespace() || "·.".contains(c)) == word
            })
            .unwrap_or_else(|| panic!("no legend entry {word:?}"));
        let shape = shapes.iter().find(|s| {
            s.page == run.page
                && s.right <= run.x + 0.5
                && s.right >= run.x - run.size
                && s.left >= run.x - 2.0 * run.size
                && s.top < run.y
                && s.bottom > run.y - run.size
        });
        assert!(shape.is_some(), "no shape before {word:?} in the legend");
    }
}

#[test]
fn odd_tables_fit_and_break_nothing() {
    let cjk = "中巴经济走廊".repeat(12);
    let many: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    let body = format!(
        "| Note | Code |\n|---|---|\n| a claim[^n] | `code` |\n| ![alt](missing.png) | [link](https://x.org) |\n\
         | {cjk} | پاکستان اور امریکہ |\n| x | y | z |\n|  |  |\n\n\
         | Alone |\n|---|\n\n{}\n[^n]: The note.\n",
        markdown_table(&many, "---", std::slice::from_ref(&many))
    );
    let rendered = must_render(&body);
    assert_inside_the_text_block(&rendered);
    let (runs, _) = items(&rendered);
    assert_nothing_overprinted(&runs);
    // Chinese breaks between characters, so its table keeps the body type.
    let chinese = runs.iter().find(|r| r.text.contains('中')).unwrap();
    assert_eq!(chinese.size, BODY, "{chinese:?}");
    assert_in_order(&rendered, &many);
    assert_in_order(&rendered, &["The note.".to_string()]);
}

#[test]
fn a_tasks_box_and_a_notes_number_stay_on_their_texts_line() {
    let rendered = must_render(
        "- [x] a done task\n- [ ] an open task\n\nA claim.[^n]\n\n[^n]: The note text.\n",
    );
    let (runs, shapes) = items(&rendered);
    for task in ["a done task", "an open task"] {
        let run = runs.iter().find(|r| r.text == task).expect(task);
        let boxed = shapes.iter().any(|s| {
            s.page == run.page
                && s.right <= run.x
                && s.right >= run.x - run.size
                && s.top < run.y
                && s.bottom > run.y - run.size
        });
        assert!(boxed, "the box of {task:?} is not on its line");
    }
    let note = runs.iter().find(|r| r.text == "The note text.").expect("the note");
    let number = runs.iter().find(|r| {
        r.page == note.page && r.text == "1" && r.x < note.x && (r.y - note.y).abs() < note.size
    });
    assert!(number.is_some(), "the note's number is not on the line of its text");
}

/// Asserts that no line is set over another: of two runs on one page that
/// share any of their width, the lower one's letters start below the
/// upper one's descenders (with room for accents and descenders, as a
/// fraction of the size).
#[track_caller]
fn assert_no_line_set_over_another(runs: &[Run]) {
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            if a.page != b.page || a.text.trim().is_empty() || b.text.trim().is_empty() {
                continue;
            }
            // A formula's scripts and limits are set over each other.
            if [a, b].iter().any(|r| r.family.contains("Math")) {
                continue;
            }
            let shared = a.x.max(b.x) < (a.x + a.width).min(b.x + b.width) - 0.5;
            let (upper, lower) = if a.y <= b.y { (a, b) } else { (b, a) };
            let apart = lower.y - upper.y;
            let needed = 0.7 * lower.size + 0.2 * upper.size;
            assert!(
                !shared || apart >= needed || apart < 0.5,
                "page {}: {:?} (baseline {:.1}) is set over {:?} (baseline {:.1})",
                a.page,
                lower.text,
                lower.y,
                upper.text,
                upper.y
            );
        }
    }
}

/// The shipped books and the fixtures, every page: no line set over
/// another (a source's heading once overprinted the last line of the note
/// before it: a block set with no space above starts at the last baseline
/// of the text before it).
#[test]
fn no_line_of_a_shipped_book_is_set_over_another() {
    use crate::common::{fixture, must_make, shipped};
    let shipped_books =
        [&["--theme", "afghanistan"][..], &["--meeting", "pugwash-followup-example"], &[]];
    let books = shipped_books.iter().map(|args| (shipped(), *args));
    let fixtures = ["basic", "citations", "obsidian", "zotero"].map(|f| (fixture(f), &[][..]));
    for (data, args) in books.chain(fixtures) {
        let built = must_make(&data, args);
        let (runs, _) = items(&built.rendered);
        assert_no_line_set_over_another(&runs);
    }
}

/// A book of `count` one-line findings in theme alpha, from the basic
/// fixture (which has events, so a timeline follows the findings): the
/// text of each page.
fn pages_of_a_book_of(count: usize) -> Vec<String> {
    let p = common::TestProject::from_fixture("basic");
    for i in 0..count {
        p.write(
            &format!("data/findings/many/{i:03}.md"),
            format!(
                "---\nid: many-{i}\ntitle: Finding in a long book {i}\ndate: 2012\nthemes: [alpha]\nsource: paper\nref: p. 1\n---\nA short body, number {i}.\n"
            ),
        );
    }
    let built = common::must_make(&p.path().join("data"), &["--theme", "alpha"]);
    built.rendered.text()
}

/// The page the timeline opens on, and whether anything comes before its
/// heading there (the marking and the running head aside).
fn timeline_page(pages: &[String]) -> (usize, bool) {
    let heading = |p: &String| p.lines().position(|l| l.trim() == "Timeline");
    let at = pages.iter().position(|p| heading(p).is_some()).expect("a timeline");
    (at, heading(&pages[at]) > Some(2))
}

#[test]
fn a_long_book_opens_its_reference_part_on_a_page_of_its_own_and_a_short_one_does_not() {
    // 100 findings or more make a long book: its timeline opens a page,
    // wherever the last finding ends (at these counts, it ends at
    // different heights of its page); a short book's follows its last
    // finding.
    for count in [100, 103, 106, 109] {
        let (at, shared) = timeline_page(&pages_of_a_book_of(count));
        assert!(at > 0 && !shared, "{count} findings: the timeline opens page {} alone", at + 1);
    }
    let (_, shared) = timeline_page(&pages_of_a_book_of(3));
    assert!(shared, "the short book's timeline shares the last finding's page");
}
