//! What a careless or hostile corpus tries, and what brief must do about
//! it: every file under findings/ is a finding or a reported problem,
//! nothing outside the corpus is read, diagnostics point where the user
//! must look (one root cause, one error), and whatever `check` passes
//! builds. Each test names the class it guards.

use crate::common::*;

const DATE: [&str; 2] = ["--date", "2026-11-23"];

/// A finding file with the fixture's sources and themes.
fn finding(id: &str, title: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\ndate: 2012-09-19\nthemes: [alpha]\nsource: meeting\nref: para. 9\n---\n{body}\n"
    )
}

fn build(p: &TestProject, args: &[&str]) -> Ran {
    p.run(&[args, &DATE[..], &["--diagnostic-format", "short"]].concat())
}

// ---- Every file under findings/ is a finding or a reported problem ----

#[test]
fn findings_in_any_case_of_extension_and_in_linked_folders_are_read() {
    let p = TestProject::from_fixture("basic");
    p.write("data/findings/meeting/10-upper.MD", finding("upper", "Upper-case extension", "Body."));
    p.write("data/findings/meeting/11-long.markdown", finding("long", "Long extension", "Body."));
    p.write("shared-notes/12-linked.md", finding("linked", "In a linked folder", "Body."));
    // A folder linked from inside the corpus to another place inside it.
    std::fs::rename(p.path().join("shared-notes"), p.path().join("data/shared-notes")).unwrap();
    std::os::unix::fs::symlink("../shared-notes", p.path().join("data/findings/linked")).unwrap();
    p.write("data/findings/meeting/notes.txt", "scratch");
    p.write("data/findings/meeting/map.png", b"\x89PNG");
    p.check().must_report(
        0,
        &[
            "data: ok: 7 findings (1 image file beside them)",
            "data/findings/meeting/notes.txt:1:1: warning: not a finding",
        ],
    );
}

// ---- The corpus boundary ----

#[test]
fn links_out_of_the_corpus_are_refused_and_never_shown() {
    let p = TestProject::from_fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        finding("secret", "SECRET-LINE", "TOP-SECRET"),
    )
    .unwrap();
    std::fs::write(
        outside.path().join("themes.yaml"),
        "- id: alpha\n  title: SECRET-THEMES\n  description: x\n",
    )
    .unwrap();
    let findings = p.path().join("data/findings/meeting");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), findings.join("09-secret.md"))
        .unwrap();
    std::os::unix::fs::symlink("/etc/passwd", findings.join("08-passwd.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.path().join("data/findings/elsewhere")).unwrap();
    std::fs::remove_file(p.path().join("data/themes.yaml")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("themes.yaml"),
        p.path().join("data/themes.yaml"),
    )
    .unwrap();
    p.check().must_report(
        1,
        &[
            "data/findings/meeting/09-secret.md:1:1: error: leads outside the corpus directory",
            "data/findings/meeting/08-passwd.md:1:1: error: leads outside the corpus directory",
            "data/findings/elsewhere:1:1: error: leads outside the corpus directory",
            "data/themes.yaml:1:1: error: leads outside the corpus directory",
        ],
    );
    let human = p.run(&["check"]).stderr;
    for secret in ["SECRET", "root:", "TOP-SECRET"] {
        assert!(!human.contains(secret), "{secret} leaked:\n{human}");
    }
}

#[test]
fn a_finding_that_cannot_be_read_exits_3() {
    let p = TestProject::from_fixture("basic");
    let findings = p.path().join("data/findings/meeting");
    std::os::unix::fs::symlink("no-such-file.md", findings.join("07-dangling.md")).unwrap();
    p.check()
        .must_report(3, &["data/findings/meeting/07-dangling.md:1:1: error: cannot read file"]);
    build(&p, &[]).must_exit(3);
}

#[test]
fn only_web_and_mail_links_are_live_in_the_pdf() {
    let p = TestProject::from_fixture("basic");
    p.write(
        "data/findings/meeting/09-links.md",
        finding(
            "links",
            "Links",
            "[web](https://example.org/a) [js](javascript:alert(1)) [file](file:///etc/passwd) [mail](mailto:a@example.org)",
        ),
    );
    p.check().must_report(
        0,
        &["data/findings/meeting/09-links.md:9:30: warning: link `javascript:alert(1)` is not a web or mail link"],
    );
    let built = must_make_lenient(&p.path().join("data"), &["--theme", "alpha"]);
    let urls = link_urls(&built.rendered);
    assert!(urls.contains(&"https://example.org/a".to_string()), "{urls:?}");
    assert!(urls.contains(&"mailto:a@example.org".to_string()), "{urls:?}");
    assert!(
        urls.iter().all(|u| !u.starts_with("javascript:") && !u.starts_with("file:")),
        "{urls:?}"
    );
    // (A web address the text hides is printed after it; the others are
    // not links, and their addresses are not printed.)
    assert_printed(&laid_out(&built), "web (https://example.org/a) js file mail");
}

/// Every URL a link annotation of the laid-out document points to.
fn link_urls(rendered: &brief::render::Rendered) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    use typst::model::Destination;
    fn walk(frame: &Frame, out: &mut Vec<String>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Link(Destination::Url(url), _) => out.push(url.as_str().to_string()),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for page in rendered.document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

// ---- Typography ----

#[test]
fn corpus_text_gets_typographic_quotes_but_code_stays_literal() {
    let p = TestProject::from_fixture("basic");
    p.write(
        "data/findings/meeting/09-quotes.md",
        finding(
            "quotes",
            "'\"No peace\" at the expense of Pakistan -- it''s a view'",
            "They said \"at the expense of Pakistan\" -- it's old... `say \"x\" -- y`",
        ),
    );
    let built = must_make_lenient(&p.path().join("data"), &["--theme", "alpha"]);
    let text = built.rendered.text().join("\n");
    assert!(text.contains("“No peace” at the expense of Pakistan – it’s a view"), "{text}");
    assert!(text.contains("“at the expense of Pakistan” – it’s old…"), "{text}");
    assert!(text.contains("say \"x\" -- y"), "code stays literal:\n{text}");
}

#[test]
fn a_character_no_font_has_is_a_located_warning() {
    let p = TestProject::from_fixture("basic");
    p.write(
        "data/findings/meeting/09-scripts.md",
        finding("scripts", "Scripts", "中巴经济走廊 नमस्ते שלום বাংলা ✓ 😀 and Korean 한국어."),
    );
    let ran = p.check();
    ran.must_exit(0);
    let warnings: Vec<&str> =
        ran.stderr.lines().filter(|l| l.contains("warning: no font has")).collect();
    assert_eq!(
        warnings,
        [
            "data/findings/meeting/09-scripts.md:9:41: warning: no font has `한` (U+D55C): it would print as an empty box",
            "data/findings/meeting/09-scripts.md:9:42: warning: no font has `국` (U+AD6D): it would print as an empty box",
            "data/findings/meeting/09-scripts.md:9:43: warning: no font has `어` (U+C5B4): it would print as an empty box",
        ],
        "{}",
        ran.stderr
    );
}

// ---- If check passes, the build succeeds ----

#[test]
fn deep_nesting_builds_and_is_reported() {
    let p = TestProject::from_fixture("basic");
    let lists: String = (0..18).map(|i| format!("{}- list level {i}\n", "  ".repeat(i))).collect();
    let quotes = format!("{} quoted deep", ">".repeat(24));
    let marks = |i: usize| if i.is_multiple_of(2) { "*" } else { "_" };
    let open: String = (0..30).map(|i| format!("{}w{i} ", marks(i))).collect();
    let close: String = (0..30).rev().map(|i| format!(" w{i}{}", marks(i))).collect();
    let emphasis = format!("{open}emphasised{close}");
    p.write("data/findings/meeting/09-lists.md", finding("lists", "Lists", &lists));
    p.write("data/findings/meeting/10-quotes.md", finding("quotes", "Quotes", &quotes));
    p.write("data/findings/meeting/11-emph.md", finding("emph", "Emphasis", &emphasis));
    p.write(
        "data/findings/meeting/12-huge.md",
        finding("huge", "Huge", &format!("{}end", ">".repeat(20_000))),
    );
    let ran = p.check();
    ran.must_exit(0);
    for file in ["09-lists.md:", "10-quotes.md:", "11-emph.md:", "12-huge.md:"] {
        assert!(
            ran.stderr
                .lines()
                .any(|l| l.contains(file) && l.contains("warning: nested more than 8 levels")),
            "{file}: {}",
            ran.stderr
        );
    }
    build(&p, &["--theme", "alpha"]).must_exit(0);
    // (Its one-line snippet would fill the test's output.)
    std::fs::remove_file(p.path().join("data/findings/meeting/12-huge.md")).unwrap();
    let built = must_make_lenient(&p.path().join("data"), &["--theme", "alpha"]);
    let text = laid_out(&built);
    for needle in ["list level 0", "list level 17", "quoted deep", "emphasised"] {
        assert_printed(&text, needle);
    }
}

#[test]
fn images_typst_cannot_decode_are_found_by_check_at_the_finding() {
    let p = TestProject::from_fixture("basic");
    let png = include_bytes!("../fixtures/one-pixel.png");
    p.write("data/findings/meeting/good.png", png);
    p.write("data/findings/meeting/cut.png", &png[..png.len() / 2]);
    p.write("data/findings/meeting/scan.tiff", b"II*\x00\x08\x00\x00\x00");
    p.write("data/findings/meeting/scan.bmp", b"BM\x46\x00\x00\x00\x00\x00");
    p.write(
        "data/findings/meeting/09-images.md",
        finding(
            "images",
            "Images",
            "![fine](good.png)\n\n![cut](cut.png)\n\n![tiff](scan.tiff)\n\n![bmp](scan.bmp)",
        ),
    );
    let expected = [(11, "cut.png"), (13, "scan.tiff"), (15, "scan.bmp")].map(|(line, image)| {
        format!("data/findings/meeting/09-images.md:{line}:1: error: image `findings/meeting/{image}` cannot be placed")
    });
    let ran = p.check();
    ran.must_report(1, &expected.each_ref().map(String::as_str));
    assert!(!ran.stderr.contains("good.png"), "{}", ran.stderr);
    let built = build(&p, &["--theme", "alpha"]);
    built.must_exit(1);
    assert!(!built.stderr.contains("templates failed"), "{}", built.stderr);
}

#[test]
fn an_accessible_book_builds_with_skipped_headings_and_images_without_alt() {
    let p = TestProject::from_fixture("basic");
    let png = include_bytes!("../fixtures/one-pixel.png");
    p.write("data/findings/meeting/dot.png", png);
    p.write(
        "data/findings/meeting/09-ua.md",
        finding("ua", "Accessible", "# Top\n\n### Skipped a level\n\nText.\n\n![](dot.png)\n"),
    );
    p.check().must_report(
        0,
        &["data/findings/meeting/09-ua.md:15:1: warning: image `dot.png` has no alt text"],
    );
    build(&p, &["--theme", "alpha", "--pdf-standard", "ua-1", "--out", "ua.pdf"]).must_exit(0);
}

// ---- Diagnostics point where the user must look ----

#[test]
fn yaml_mistakes_are_located_where_they_are() {
    let p = TestProject::from_fixture("basic");
    let f = "data/findings/meeting";
    p.write(format!("{f}/20-nul.md").as_str(), "---\nid: nul\ntitle: A \u{0} title\ndate: 2012\nthemes: [alpha]\nsource: meeting\nref: x\n---\nBody.\n");
    p.write(format!("{f}/21-dup.md").as_str(), "---\nid: dup\ntitle: One\ndate: 2012\ntitle: Two\nthemes: [alpha]\nsource: meeting\nref: x\n---\nBody.\n");
    p.write(
        format!("{f}/22-tab.md").as_str(),
        "---\nid: tab\ntitle: T\ndate: 2012\nthemes:\n\t- alpha\nsource: meeting\n---\nBody.\n",
    );
    p.write(format!("{f}/23-colon.md").as_str(), "---\nid: colon\ntitle: Afghanistan: the endgame\ndate: 2012\nthemes: [alpha]\nsource: meeting\n---\nBody.\n");
    p.write(
        "data/participants.yaml",
        format!(
            "{}- id: bad\n  source: meeting\n  role: participant\n  name: [not, text]\n",
            std::fs::read_to_string(p.path().join("data/participants.yaml")).unwrap()
        ),
    );
    let ran = p.check();
    ran.must_report(
        1,
        &[
            "data/findings/meeting/20-nul.md:3:10: error: control character U+0000 is not allowed here",
            "data/findings/meeting/21-dup.md:5:1: error: `title` is given twice",
        ],
    );
    assert!(!ran.stderr.contains("[0]."), "{}", ran.stderr);
    p.run(&["check"]).must_report(
        1,
        &[
            "= hint: YAML indents with spaces, not tabs",
            "= hint: a value that contains `: ` must be in quotes",
        ],
    );
}

#[test]
fn one_root_cause_gives_one_error() {
    // A source that does not parse: the findings citing it are not also
    // reported as citing an unknown source.
    let p = TestProject::from_fixture("basic");
    p.edit("data/sources.yaml", |t| {
        t.replacen(
            "  kind: consultation report\n",
            "  kind: consultation report\n  kindd: typo\n",
            1,
        )
    });
    let ran = p.check();
    ran.must_exit(1);
    let errors: Vec<&str> = ran.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{}", ran.stderr);
    assert!(errors[0].contains("sources.yaml:5:3: error: unknown field `kindd`"), "{}", ran.stderr);
    p.run(&["check"])
        .must_report(1, &["= hint: 8 references to what this file defines are not checked"]);

    // A syntax error in themes.yaml: one error, not one per reference.
    let p = TestProject::from_fixture("basic");
    p.edit("data/themes.yaml", |t| {
        t.replacen("aliases: [first, a-theme]", "aliases: [first, a-theme", 1)
    });
    let ran = p.check();
    ran.must_exit(1);
    let errors = ran.stderr.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 1, "{}", ran.stderr);
}

#[test]
fn every_field_rule_of_the_data_readme_is_checked() {
    let p = TestProject::from_fixture("basic");
    p.write("data/findings/meeting/09-blank.md", finding("blank", "''", "Body."));
    p.edit("data/events.yaml", |t| {
        t.replace("  date_note: The paper gives no month.\n", "")
            .replace("  themes: [gamma]\n", "  themes: []\n")
    });
    p.edit("data/participants.yaml", |t| t.replacen("name: Zed Abbasi", "name: \"  \"", 1));
    p.edit("data/themes.yaml", |t| {
        t.replace("aliases: [first, a-theme]", "aliases: [First, a-theme]")
    });
    p.check().must_report(
        1,
        &[
            "data/findings/meeting/09-blank.md:3:8: error: `title` is empty",
            "data/events.yaml:20:15: error: `date_note` is required when `date_basis` is `general-knowledge`",
            "data/events.yaml:24:11: error: invalid `themes`: an event needs at least one theme",
            "data/participants.yaml:5:9: error: `name` is empty",
            "data/themes.yaml:4:13: error: invalid `aliases`: alias `First` must be lowercase",
        ],
    );
}

#[test]
fn an_alias_where_an_id_belongs_names_the_id() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("themes: [beta, alpha]", "themes: [beta, first]")
    });
    p.run(&["check"])
        .must_report(1, &["= hint: `first` is an alias of `alpha`; write the id `alpha` here"]);
}

/// Like `must_make`, but Typst warnings are allowed (the corpus under test
/// may be odd on purpose).
fn must_make_lenient(data: &std::path::Path, args: &[&str]) -> brief::Artifact {
    brief::make(&must_request(data, args)).unwrap_or_else(|e| panic!("{e:?}"))
}

// ---- brief.toml and nightly runs ----

/// A bad [[book]] fails alone, located in brief.toml, and the run exits 1
/// (every brief.toml mistake does); the good book is still written.
#[test]
fn a_bad_standing_book_fails_alone() {
    let p = TestProject::from_fixture("broken-project");
    let ran = p.run(&["build", "--all", "--date", "2026-11-23", "--diagnostic-format", "short"]);
    ran.must_report(
        1,
        &[
            "brief.toml:12:6: error: the range ends before it starts: `from` 2019 is after `to` 2011",
            "brief.toml:16:1: error: unknown field `themse`",
            "brief.toml:20:9: error: invalid `paper`",
            "brief.toml:24:10: error: unknown theme `alpah`",
            "brief.toml:27:8: error: invalid `name`",
            "brief: reversed: failed",
            "error: 5 of 6 books failed",
        ],
    );
    assert_eq!(ran.stdout, "out/good.pdf\n");
    // An ad-hoc book is not held back by a bad standing book.
    p.run(&["--theme", "alpha", "--date", "2026-11-23"]).must_exit(0);
}

#[test]
fn a_date_must_be_written_in_full() {
    let p = TestProject::from_fixture("basic");
    p.run(&["--date", "26-1-1"]).must_report(
        2,
        &["error: invalid value '26-1-1' for '--date <YYYY-MM-DD>': `26-1-1` is not a date: expected YYYY-MM-DD"],
    );
}

/// A table that would need type too small to read is a located warning
/// (it is still set inside the text block, never overprinted).
#[test]
fn a_table_too_wide_to_read_is_a_located_warning() {
    let p = TestProject::from_fixture("basic");
    let row = |n: usize| {
        format!("|{}\n", (0..n).map(|i| format!(" {} |", 10_000 + i)).collect::<String>())
    };
    let wide = |n: usize| format!("Figures:\n\n{}|{}\n{}", row(n), " ---: |".repeat(n), row(n));
    p.write("data/findings/meeting/09-wide.md", finding("wide", "Wide", &wide(40)));
    p.write("data/findings/meeting/10-fits.md", finding("fits", "Fits", &wide(18)));
    let ran = p.check();
    ran.must_exit(0);
    let warned: Vec<&str> =
        ran.stderr.lines().filter(|l| l.contains("too wide for the page")).collect();
    assert_eq!(warned.len(), 1, "{}", ran.stderr);
    assert!(
        warned[0]
            .starts_with("data/findings/meeting/09-wide.md:11:1: warning: this table is too wide"),
        "{}",
        warned[0]
    );
    build(&p, &["--theme", "alpha"]).must_exit(0);
}
