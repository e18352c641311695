//! The positive controls of the tests' PDF readers (pdf.rs): whatever
//! poppler and qpdf find in a book brief made, the readers find too, so
//! that a test that searches a PDF with them (for text that must be
//! printed, or a string that must not leak) is at least as strict as it
//! was with the tools. Twice over: on a book committed in tests/pdf-control
//! with the tools' output beside it (made by its regenerate.sh), always;
//! and live on a book made now, where the tools are on PATH (build.rs; CI
//! installs them) and reported as ignored where they are not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{TestProject, root};
use crate::pdf;

/// The committed control: tests/pdf-control/book.* .
fn control(extension: &str) -> PathBuf {
    root().join("tests/pdf-control").join(format!("book.{extension}"))
}

#[track_caller]
fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that the reader's text holds every word of poppler's, page by
/// page and as often: each as a word, or else as words poppler joined
/// (it prints the cell `3 + 0` as `3+0`). Poppler's own marks around
/// right-to-left words (U+202A to U+202E) are not the PDF's and are left
/// out.
#[track_caller]
fn assert_finds_every_word(ours: &str, poppler: &str) {
    let theirs: Vec<&str> = poppler.split('\u{c}').collect();
    let pages: Vec<&str> = ours.split('\u{c}').collect();
    assert_eq!(pages.len(), theirs.len(), "pages (with the end after the last)");
    let mut checked = 0;
    for (number, (page, theirs)) in pages.iter().zip(&theirs).enumerate() {
        let words: Vec<&str> = page.split_whitespace().collect();
        let mut left: BTreeMap<&str, usize> = BTreeMap::new();
        for word in &words {
            *left.entry(word).or_default() += 1;
        }
        let joined = |word: &str| {
            (0..words.len()).any(|i| {
                let mut run = String::new();
                words[i..].iter().any(|w| {
                    run.push_str(w);
                    run == word || !word.starts_with(&run)
                }) && run == word
            })
        };
        let mut missing = Vec::new();
        for word in theirs.split_whitespace() {
            let word: String =
                word.chars().filter(|c| !('\u{202a}'..='\u{202e}').contains(c)).collect();
            match left.get_mut(word.as_str()) {
                Some(n) if *n > 0 => *n -= 1,
                _ if joined(&word) => {}
                _ => missing.push(word),
            }
            checked += 1;
        }
        assert!(
            missing.is_empty(),
            "page {}: poppler reads {missing:?}, we do not:\n{page}",
            number + 1
        );
    }
    assert!(checked > 100, "only {checked} words compared");
}

/// The fonts pdffonts lists: name and whether embedded.
fn listed_fonts(pdffonts: &str) -> Vec<(String, bool)> {
    let mut fonts: Vec<(String, bool)> = pdffonts
        .lines()
        .skip(2)
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            (columns[0].to_string(), columns[columns.len() - 5] == "yes")
        })
        .collect();
    fonts.sort();
    fonts
}

/// Asserts that the reader finds the fonts pdffonts lists, no more, no less.
#[track_caller]
fn assert_same_fonts(pdf: &[u8], pdffonts: &str) {
    let ours: Vec<(String, bool)> =
        pdf::fonts(pdf).into_iter().map(|f| (f.name, f.embedded)).collect();
    let theirs = listed_fonts(pdffonts);
    assert!(theirs.len() > 5 && theirs.iter().all(|(_, embedded)| *embedded), "{theirs:?}");
    assert_eq!(ours, theirs);
}

/// The names `pdfdetach -list` gives.
fn detached_names(list: &str) -> Vec<String> {
    let names: Vec<String> =
        list.lines().skip(1).map(|l| l.split_once(": ").unwrap().1.to_string()).collect();
    assert!(list.starts_with(&format!("{} embedded files", names.len())), "{list}");
    names
}

/// Runs of four or more ASCII letters and digits, as regenerate.sh takes
/// them from qpdf's output, and how often each occurs.
fn ascii_words(bytes: &[u8]) -> BTreeMap<&[u8], usize> {
    let mut counts = BTreeMap::new();
    for word in bytes.split(|b| !b.is_ascii_alphanumeric()).filter(|w| w.len() >= 4) {
        *counts.entry(word).or_default() += 1;
    }
    counts
}

/// Asserts that what the reader lays open for a search holds every word
/// qpdf's uncompressed output holds, at least as often (so a string
/// qpdf decodes counts even where its words also occur elsewhere).
#[track_caller]
fn assert_lays_open_what_qpdf_does(pdf: &[u8], qdf_words: &[(usize, &str)]) {
    let searchable = pdf::searchable(pdf);
    let ours = ascii_words(&searchable);
    let missing: Vec<String> = qdf_words
        .iter()
        .filter_map(|(n, w)| {
            let found = ours.get(w.as_bytes()).copied().unwrap_or(0);
            (found < *n).then(|| format!("{w} ({n} times, we see {found})"))
        })
        .collect();
    assert!(qdf_words.len() > 1000, "only {} words", qdf_words.len());
    assert!(missing.is_empty(), "qpdf --qdf shows {} words we do not: {missing:?}", missing.len());
}

#[test]
fn the_text_reader_finds_every_word_pdftotext_found() {
    let pdf = std::fs::read(control("pdf")).unwrap();
    let ours = pdf::text(&pdf);
    assert_finds_every_word(&ours, &read_text(&control("pdftotext.txt")));
    // What the words are: CID fonts' ToUnicode maps, an /ActualText, Urdu
    // and Arabic in reading order, a font added with font-path.
    for expected in
        ["Hostile #text $x$ @ref <b> \\ and ڈیورنڈ", "پاکستان اور امریکہ", "\u{2060}2", "თბილისი"]
    {
        assert!(ours.contains(expected), "{expected:?} not in:\n{ours}");
    }
}

#[test]
fn the_font_reader_finds_what_pdffonts_lists() {
    let pdf = std::fs::read(control("pdf")).unwrap();
    assert_same_fonts(&pdf, &read_text(&control("pdffonts.txt")));
}

#[test]
fn the_attachment_reader_finds_what_pdfdetach_finds() {
    let pdf = std::fs::read(control("pdf")).unwrap();
    let found = pdf::attachments(&pdf);
    let names: Vec<&String> = found.iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        detached_names(&read_text(&control("pdfdetach.txt"))).iter().collect::<Vec<_>>()
    );
    assert_eq!(found[0].1, std::fs::read(control("edition.json")).unwrap());
}

#[test]
fn the_search_lays_open_everything_qpdf_does() {
    let pdf = std::fs::read(control("pdf")).unwrap();
    let listed = read_text(&control("qdf-words.txt"));
    let words: Vec<(usize, &str)> = listed
        .lines()
        .map(|line| line.split_once(' ').map(|(n, w)| (n.parse().unwrap(), w)).unwrap())
        .collect();
    assert_lays_open_what_qpdf_does(&pdf, &words);
    // Among them: the outline, the XMP metadata, the attachment, the
    // structure tree's text, the ToUnicode maps.
    let searchable = pdf::searchable(&pdf);
    for needle in ["Briefing book", "Hostile", "pdfuaid", "\"edition\": 1", "beginbfchar"] {
        assert!(pdf::mentions(&searchable, needle), "{needle}");
    }
    // A word whose only other place is a UTF-16 string (the outline's
    // Georgian title) is among the words qpdf shows: the search must
    // decode strings to see it as often.
    // (Once in the attachment, and in two UTF-16 strings: the outline's
    // /Title and the structure tree's /T of the heading.)
    assert!(words.contains(&(3, "Zugdidi")), "the control holds what it should");
}

/// The control book made now (the recipe of regenerate.sh), in `p`.
fn fresh_book(p: &TestProject) -> PathBuf {
    p.edit("data/findings/paper/01-undated.md", |t| {
        let titled = t.replace(
            "title: An undated finding\n",
            "title: An undated finding from Zugdidi, ზუგდიდი\n",
        );
        format!("{titled}\nTbilisi: თბილისი.\n")
    });
    crate::common::copy_dir(&root().join("tests/fixtures/fonts"), &p.path().join("fonts"));
    let toml = "[defaults]\nfont-path = \"fonts\"\n\n[[book]]\nname = \"control\"\nthemes = [\"alpha\"]\npdf-standard = \"ua-1\"\n";
    p.write("brief.toml", toml);
    p.run(&["build", "--all", "--date", "2026-11-23"]).must_exit(0);
    p.path().join("out/control.pdf")
}

/// A tool's standard output, which must succeed.
#[track_caller]
fn tool(name: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new(name).args(args).output().expect("the tool runs");
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The same comparisons, live, on a book made now, for text, fonts and
/// attachments.
#[test]
#[cfg_attr(not(pdf_tools), ignore = "needs poppler-utils and qpdf on PATH (build.rs looks)")]
fn the_readers_find_what_poppler_finds_in_a_fresh_book() {
    let p = TestProject::from_fixture("basic");
    let path = fresh_book(&p);
    let pdf = std::fs::read(&path).unwrap();
    let path = path.as_os_str();
    assert_finds_every_word(&pdf::text(&pdf), &tool("pdftotext", &[path, "-".as_ref()]));
    assert_same_fonts(&pdf, &tool("pdffonts", &[path]));
    let names = detached_names(&tool("pdfdetach", &["-list".as_ref(), path]));
    let saved = p.path().join("saved.json");
    tool(
        "pdfdetach",
        &["-savefile".as_ref(), "edition.json".as_ref(), "-o".as_ref(), saved.as_os_str(), path],
    );
    let found = pdf::attachments(&pdf);
    assert_eq!(found.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), names);
    assert_eq!(found[0].1, std::fs::read(saved).unwrap());
}

/// The words of qpdf's uncompressed output as regenerate.sh takes them:
/// its hex strings decoded (UTF-16 after a byte order mark) and its name
/// escapes (`#2f`), without what it adds (its comments, an `endobj` for
/// every object, the lengths of the streams it uncompressed, its
/// cross-reference table).
fn qdf_words(qdf: &[u8]) -> Vec<(String, usize)> {
    let end = qdf.windows(6).rposition(|w| w == b"\nxref\n").unwrap();
    let lines: Vec<&[u8]> = qdf[..end].split(|b| *b == b'\n').collect();
    let mut text = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let length =
            i > 0 && lines[i - 1].ends_with(b" 0 obj") && line.iter().all(u8::is_ascii_digit);
        if !line.starts_with(b"%") && *line != b"endobj" && !length {
            text.extend_from_slice(&unescaped(line));
            text.push(b'\n');
        }
    }
    ascii_words(&text)
        .into_iter()
        .map(|(w, n)| (String::from_utf8_lossy(w).into_owned(), n))
        .collect()
}

/// A line of qpdf's output with its hex strings and name escapes decoded.
fn unescaped(line: &[u8]) -> Vec<u8> {
    let hex = |digits: &[u8]| -> Vec<u8> {
        let digits: Vec<u8> =
            digits.iter().filter_map(|b| char::from(*b).to_digit(16)).map(|d| d as u8).collect();
        digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)).collect()
    };
    let mut out = Vec::new();
    let (mut i, mut in_name) = (0, false);
    while i < line.len() {
        // A name runs from a `/` to PDF white space or a delimiter.
        in_name = line[i] == b'/' || in_name && !b"\0\t\x0c\r /<>[](){}%".contains(&line[i]);
        let opens = line[i] == b'<' && (i == 0 || line[i - 1] != b'<');
        let inner = line[i + 1..].iter().position(|b| *b == b'>').map(|n| &line[i + 1..i + 1 + n]);
        let string = inner.filter(|s| {
            opens && s.iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
        });
        let escape = line
            .get(i + 1..i + 3)
            .filter(|e| in_name && line[i] == b'#' && e.iter().all(u8::is_ascii_hexdigit));
        if let Some(digits) = string {
            out.extend_from_slice(pdf::decode(&hex(digits)).as_bytes());
            i += digits.len() + 2;
        } else if let Some(digits) = escape {
            out.extend(hex(digits));
            i += 3;
        } else {
            out.push(line[i]);
            i += 1;
        }
    }
    out
}

/// The search, live: on a book made now, every word `qpdf --qdf` shows.
#[test]
#[cfg_attr(not(pdf_tools), ignore = "needs poppler-utils and qpdf on PATH (build.rs looks)")]
fn the_search_lays_open_what_qpdf_does_in_a_fresh_book() {
    let p = TestProject::from_fixture("basic");
    let path = fresh_book(&p);
    let qdf = p.path().join("qdf.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .args([&path, &qdf])
        .status()
        .unwrap();
    assert!(status.success() || status.code() == Some(3), "qpdf failed");
    let words = qdf_words(&std::fs::read(&qdf).unwrap());
    let words: Vec<(usize, &str)> = words.iter().map(|(w, n)| (*n, w.as_str())).collect();
    assert_lays_open_what_qpdf_does(&std::fs::read(&path).unwrap(), &words);
}
