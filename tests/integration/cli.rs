//! The `brief` binary as a user and a nightly job see it: stdout, stderr,
//! exit codes, files written and files left alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn brief(dir: &Path, args: &[&str]) -> Ran {
    run_in(dir, args)
}

/// A temporary project holding a copy of a fixture corpus as `data/`.
fn project(fixture_name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), &dir.path().join("data"));
    dir
}

/// The files in a directory, but for the inputs record brief keeps beside
/// each PDF; a stray temporary file would show.
fn visible_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".pdf.inputs"))
        .collect();
    names.sort();
    names
}

#[test]
fn build_writes_the_default_path_and_prints_only_it() {
    let dir = project("basic");
    let out = brief(dir.path(), &["--theme", "first", "--date", "2026-11-23"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "out/alpha.pdf\n");
    let pdf = fs::read(dir.path().join("out/alpha.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    assert_eq!(visible_files(&dir.path().join("out")), ["alpha.pdf"]);
}

#[test]
fn output_is_reproducible_from_any_directory() {
    let dir = project("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let a = dir.path().join("a/book.pdf");
    let b = elsewhere.path().join("b/book.pdf");
    let run = |cwd: &Path, out: &PathBuf| {
        let o = brief(
            cwd,
            &[
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--date",
                "2026-11-23",
            ],
        );
        assert_eq!(o.code, Some(0), "{}", o.stderr);
        assert_eq!(o.stdout.trim_end(), out.to_str().unwrap());
    };
    run(dir.path(), &a);
    run(elsewhere.path(), &b);
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    // SOURCE_DATE_EPOCH fixes the date as --date does.
    let c = dir.path().join("c/book.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["--data", data.to_str().unwrap(), "--out", c.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1795392000") // 2026-11-23T00:00:00Z
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read(&a).unwrap(), fs::read(&c).unwrap());
}

#[test]
fn usage_errors_exit_2_and_say_what_is_accepted() {
    let dir = project("basic");
    let known = ["known themes:\n", "alpha ", "beta ", "gamma "];
    let unknown = "error: unknown theme `alpah`: did you mean `alpha`?\n";
    brief(dir.path(), &["--theme", "alpah"]).must_report(2, &[&[unknown][..], &known].concat());
    brief(dir.path(), &["--from", "2011-13"]).must_report(
        2,
        &["error: invalid value '2011-13' for '--from <DATE>': `2011-13` is not a real date\n"],
    );
    brief(dir.path(), &["--to", "June"]).must_report(
        2,
        &["error: invalid value 'June' for '--to <DATE>': `June` is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD"],
    );
    let out = brief(dir.path(), &["--from", "2019", "--to", "2011"]);
    assert_eq!(out.code, Some(2));
    let out = brief(dir.path(), &["--no-such-flag"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    assert!(!dir.path().join("out").exists(), "nothing written on a usage error");
}

#[test]
fn a_bad_edit_names_file_and_line_and_keeps_the_old_pdf() {
    let dir = project("basic");
    let ok = brief(dir.path(), &["--theme", "alpha", "--date", "2026-11-23"]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    let pdf = dir.path().join("out/alpha.pdf");
    let before = fs::read(&pdf).unwrap();

    let finding = dir.path().join("data/findings/meeting/02-both.md");
    let text = fs::read_to_string(&finding).unwrap();
    fs::write(&finding, text.replace("themes: [beta, alpha]", "themes: [beta, alhpa]")).unwrap();
    let out = brief(
        dir.path(),
        &["--theme", "alpha", "--date", "2026-11-24", "--diagnostic-format", "short"],
    );
    out.must_report(1, &["data/findings/meeting/02-both.md:5:16: error: unknown theme `alhpa`"]);
    assert!(out.stdout.is_empty());
    assert_eq!(fs::read(&pdf).unwrap(), before, "the old PDF is untouched");
    assert_eq!(
        visible_files(&dir.path().join("out")),
        ["alpha.pdf"],
        "no temporary file is left behind"
    );
}

#[test]
fn check_reports_every_problem_at_once() {
    let dir = project("basic");
    let data = dir.path().join("data");
    brief(dir.path(), &["check"]).must_report(0, &["data: ok: 4 findings"]);

    // One of each kind of problem, each in its own file.
    let f = data.join("findings/meeting");
    fs::write(f.join("10-bad-date.md"), "---\nid: bad-date\ntitle: T\ndate: 2011-02-30\nthemes: [alpha]\nsource: meeting\n---\nBody.\n").unwrap();
    fs::write(
        f.join("11-dup.md"),
        "---\nid: hostile\ntitle: T\ndate: 2012\nthemes: [alpha]\nsource: meeting\n---\nBody.\n",
    )
    .unwrap();
    fs::write(
        f.join("12-missing.md"),
        "---\nid: missing\ndate: 2012\nthemes: [alpha]\nsource: meeting\n---\nBody.\n",
    )
    .unwrap();
    fs::write(
        f.join("13-typo.md"),
        "---\nid: typo\ntitle: T\ndate: 2012\nthemes: [alpha]\nsource: meetin\n---\nBody.\n",
    )
    .unwrap();
    fs::write(f.join("19-field.md"), "---\nid: field\ntitle: T\ndate: 2012\nthemes: [alpha]\nsource: meeting\nisue: x\n---\nBody.\n").unwrap();
    fs::write(
        f.join("14-empty.md"),
        "---\nid: empty\ntitle: T\ndate: 2012\nthemes: [alpha]\nsource: meeting\n---\n\n",
    )
    .unwrap();
    fs::write(f.join("15-latin1.md"), b"---\nid: latin1\ntitle: caf\xe9\ndate: 2012\nthemes: [alpha]\nsource: meeting\n---\nBody.\n").unwrap();
    fs::write(f.join("16-crlf-bom.md"), "\u{feff}---\r\nid: crlf\r\ntitle: T\r\ndate: 2012\r\nthemes: [alpha]\r\nsource: meeting\r\nref: para. 4\r\n---\r\nFine.\r\n").unwrap();
    fs::write(f.join("17-yaml.md"), "---\nid: yaml\ntitle: [unclosed\n---\nBody.\n").unwrap();
    fs::write(f.join("18-no-front-matter.md"), "Just text.\n").unwrap();

    // Several problems in one file are reported together.
    fs::write(
        f.join("20-several.md"),
        "---\nid: several\ntitle: T\ndate: 2011-13\nthemes: [alpha]\nsource: meeting\nisue: x\n---\nBody.\n",
    )
    .unwrap();

    let out = brief(dir.path(), &["check", "--diagnostic-format", "short"]);
    out.must_report(
        1,
        &[
            "data/findings/meeting/10-bad-date.md:4:7: error: invalid `date`",
            "data/findings/meeting/11-dup.md:2:5: error: duplicate finding id `hostile` (first defined in data/findings/meeting/01-hostile.md:2)\n",
            "data/findings/meeting/12-missing.md:2:5: error: missing field `title`",
            "data/findings/meeting/13-typo.md:6:9: error: unknown source `meetin`",
            "data/findings/meeting/19-field.md:7:1: error: unknown field `isue`",
            "data/findings/meeting/14-empty.md:7:1: error: the finding has an empty body",
            "data/findings/meeting/15-latin1.md:3:11: error: file is not valid UTF-8",
            "data/findings/meeting/17-yaml.md:4:1: error: did not find expected ',' or ']'",
            "data/findings/meeting/18-no-front-matter.md:1:1: error: missing front matter",
            "data/findings/meeting/20-several.md:7:1: error: unknown field `isue`",
            "data/findings/meeting/20-several.md:4:7: error: invalid `date`: `2011-13` is not a real date",
        ],
    );
    assert!(!out.stderr.contains("16-crlf-bom.md"), "a BOM and CRLF are accepted:\n{}", out.stderr);
    // A hint for each typo, and a snippet of the line.
    brief(dir.path(), &["check"]).must_report(
        1,
        &["= hint: did you mean `meeting`?", "= hint: did you mean `issue`?", "6 │ source: meetin"],
    );

    // The build refuses to render and writes nothing.
    let build = brief(dir.path(), &["--date", "2026-11-23"]);
    assert_eq!(build.code, Some(1));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn template_errors_point_into_the_template() {
    let dir = project("basic");
    let templates = dir.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("cover.typ"), "#let cover(meta) = {\n  meta.no-such-field\n}\n")
        .unwrap();
    let out = brief(
        dir.path(),
        &["--templates", "templates", "--date", "2026-11-23", "--diagnostic-format", "short"],
    );
    out.must_report(
        1,
        &["templates/cover.typ:2:8: error: dictionary does not contain key \"no-such-field\""],
    );
    assert!(!dir.path().join("out").exists());
}

const PROJECT: &str = r#"
[[book]]
name = "alpha"
themes = ["alpha"]

[[book]]
name = "beta-letter"
title = "Beta on letter paper"
themes = ["beta"]
paper = "us-letter"

[[book]]
name = "everything"
duplex = true
watermark = "DRAFT"
"#;

#[test]
fn build_all_builds_every_standing_book_in_one_run() {
    let dir = project("basic");
    fs::write(dir.path().join("brief.toml"), PROJECT).unwrap();
    let out = brief(dir.path(), &["build", "--all", "--date", "2026-11-23"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let printed = &out.stdout;
    let mut written: Vec<&str> = printed.lines().collect();
    written.sort();
    assert_eq!(written, ["out/alpha.pdf", "out/beta-letter.pdf", "out/everything.pdf"]);
    let err = &out.stderr;
    assert_eq!(
        err.lines().filter(|l| l.contains("] ") && l.contains("wrote out/")).count(),
        3,
        "{err}"
    );
    // Each book is what the same flags give on their own (a one-off book
    // has an edition only when compared with one).
    let single = brief(
        dir.path(),
        &[
            "--theme",
            "alpha",
            "--out",
            "single.pdf",
            "--date",
            "2026-11-23",
            "--since",
            "out/alpha.pdf",
        ],
    );
    assert_eq!(single.code, Some(0));
    let alone = fs::read(dir.path().join("single.pdf")).unwrap();
    let together = fs::read(dir.path().join("out/alpha.pdf")).unwrap();
    assert_eq!(alone.len(), together.len(), "same content, different PDF identifier only");

    let quiet = brief(dir.path(), &["build", "--all", "--quiet", "--date", "2026-11-23"]);
    assert_eq!(quiet.code, Some(0));
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    assert_eq!(quiet.stdout.lines().count(), 3);

    // A bad book is reported, located in brief.toml; the others are still
    // built; exit 1, as for every brief.toml mistake.
    fs::write(
        dir.path().join("brief.toml"),
        format!("{PROJECT}\n[[book]]\nname = \"bad\"\nthemes = [\"nope\"]\n"),
    )
    .unwrap();
    let args = ["build", "--all", "--date", "2026-11-24", "--diagnostic-format", "short"];
    let nope = "brief.toml:19:10: error: unknown theme `nope`";
    let out = brief(dir.path(), &args);
    out.must_report(1, &["brief: bad: failed", nope]);
    assert_eq!(out.stdout.lines().count(), 3);

    // `check` looks at the standing books too.
    brief(dir.path(), &["check", "--diagnostic-format", "short"]).must_report(1, &[nope]);

    // A typo in brief.toml is named by line.
    fs::write(dir.path().join("brief.toml"), "[[book]]\nname = \"a\"\nthemse = [\"alpha\"]\n")
        .unwrap();
    let out = brief(dir.path(), &["build", "--all", "--diagnostic-format", "short"]);
    out.must_report(1, &["brief.toml:3:1: error: unknown field `themse`"]);
}

#[test]
fn if_changed_skips_unchanged_books_and_rebuilds_changed_ones() {
    let dir = project("basic");
    fs::write(dir.path().join("brief.toml"), PROJECT).unwrap();
    let args = ["build", "--all", "--if-changed", "--date", "2026-11-23"];
    assert_eq!(brief(dir.path(), &args).code, Some(0));
    let before =
        |name: &str| fs::metadata(dir.path().join("out").join(name)).unwrap().modified().unwrap();
    let (alpha, beta) = (before("alpha.pdf"), before("beta-letter.pdf"));
    assert!(dir.path().join("out/.alpha.pdf.inputs").exists());

    // Nothing changed: nothing is rebuilt.
    let out = brief(dir.path(), &args);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(out.stderr.matches("unchanged").count(), 3, "{}", out.stderr);

    // A finding only on gamma changes: only the book of every theme is
    // rebuilt.
    let gamma = dir.path().join("data/findings/meeting/03-out-of-theme.md");
    fs::write(
        &gamma,
        fs::read_to_string(&gamma)
            .unwrap()
            .replace("Not in an alpha book.", "Still not in an alpha book."),
    )
    .unwrap();
    let out = brief(dir.path(), &args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "out/everything.pdf\n");
    assert_eq!((before("alpha.pdf"), before("beta-letter.pdf")), (alpha, beta));

    // A finding on alpha and beta changes: those two are rebuilt.
    let finding = dir.path().join("data/findings/meeting/02-both.md");
    fs::write(
        &finding,
        fs::read_to_string(&finding).unwrap().replace("It bears on", "It now bears on"),
    )
    .unwrap();
    let out = brief(dir.path(), &args);
    let printed = &out.stdout;
    let mut rebuilt: Vec<&str> = printed.lines().collect();
    rebuilt.sort();
    assert_eq!(rebuilt, ["out/alpha.pdf", "out/beta-letter.pdf", "out/everything.pdf"]);
    assert_ne!(before("beta-letter.pdf"), beta);

    // A different date is a different book.
    let out = brief(dir.path(), &["build", "--all", "--if-changed", "--date", "2026-11-24"]);
    assert_eq!(out.stdout.lines().count(), 3);

    // Changing one finding changes the PDF.
    let a = fs::read(dir.path().join("out/beta-letter.pdf")).unwrap();
    fs::write(&finding, fs::read_to_string(&finding).unwrap().replace("now bears", "still bears"))
        .unwrap();
    assert_eq!(brief(dir.path(), &["build", "--all", "--date", "2026-11-24"]).code, Some(0));
    assert_ne!(a, fs::read(dir.path().join("out/beta-letter.pdf")).unwrap());
}

#[test]
fn pdf_standards_are_declared() {
    let dir = project("basic");
    let build = |args: &[&str]| {
        let out = brief(dir.path(), &[&["--date", "2026-11-23"], args].concat());
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        fs::read(dir.path().join(out.stdout.trim_end())).unwrap()
    };
    let archival = build(&["--out", "a.pdf", "--pdf-standard", "a-2b"]);
    assert!(String::from_utf8_lossy(&archival).contains("pdfaid:part"), "PDF/A metadata");
    let accessible = build(&["--out", "ua.pdf", "--pdf-standard", "ua-1"]);
    assert!(String::from_utf8_lossy(&accessible).contains("pdfuaid:part"), "PDF/UA metadata");
    let plain = build(&["--out", "plain.pdf"]);
    assert!(!String::from_utf8_lossy(&plain).contains("pdfaid:part"));
}

#[test]
fn watch_rebuilds_when_a_finding_changes() {
    use std::io::{BufRead, BufReader};
    let dir = project("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["watch", "--theme", "alpha", "--date", "2026-11-23", "--timings"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The build's "rebuilt:" line (what it redid), once it is done.
    let mut next_build = || {
        let mut redone = String::new();
        loop {
            let line = lines.next().expect("brief watch ended").unwrap();
            if let Some(rest) = line.strip_prefix("brief: rebuilt: ") {
                redone = rest.to_string();
            }
            if line.contains("watch: built in") {
                return redone;
            }
        }
    };
    // "read 9 files, 9 changed; parsed 4 finding file(s); composed 3
    // findings, 3 differently; laid out 7 pages, 7 differently; exported 7"
    let numbers = |line: &str| -> Vec<usize> {
        line.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect()
    };
    let first = numbers(&next_build());
    assert_eq!(first.len(), 8, "{first:?}");
    assert_eq!(first[0], first[1], "the first build reads every file anew: {first:?}");
    assert!(first[2] > 0, "and parses every finding: {first:?}");
    assert_eq!((first[3], first[5]), (first[4], first[6]), "and makes all anew: {first:?}");
    let before = fs::read(dir.path().join("out/alpha.pdf")).unwrap();
    let finding = dir.path().join("data/findings/meeting/02-both.md");
    fs::write(
        &finding,
        fs::read_to_string(&finding).unwrap().replace("It bears on", "It now bears on"),
    )
    .unwrap();
    let redone = next_build();
    child.kill().unwrap();
    child.wait().unwrap();
    let rebuilt = fs::read(dir.path().join("out/alpha.pdf")).unwrap();
    assert_ne!(rebuilt, before, "the rebuild wrote the change");
    // It says what it redid: one file changed and parsed again, one
    // finding composed anew, only some pages changed, and every page
    // exported (typst-pdf exports a document whole).
    let again = numbers(&redone);
    assert_eq!(again[0], first[0], "{redone}");
    assert_eq!((again[1], again[2]), (1, 1), "{redone}");
    assert_eq!((again[3], again[4]), (first[3], 1), "{redone}");
    assert!(again[6] >= 1 && again[6] < again[5], "{redone}");
    assert_eq!(again[7], again[5], "{redone}");
    // The warm rebuild gives the bytes a cold build of the same inputs gives.
    let cold =
        brief(dir.path(), &["--theme", "alpha", "--date", "2026-11-23", "--out", "cold.pdf"]);
    assert_eq!(cold.code, Some(0));
    assert!(
        fs::read(dir.path().join("cold.pdf")).unwrap() == rebuilt,
        "rebuild and cold build differ"
    );
}

/// Every row of the README's exit-code table.
#[test]
fn each_exit_code_of_the_table() {
    let p = TestProject::from_fixture("basic");
    let date = ["--date", "2026-11-23"];
    // 0: written.
    p.run(&[&["--theme", "alpha"][..], &date].concat()).must_exit(0);
    // 1: the corpus is wrong.
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("themes: [beta, alpha]", "themes: [beta, alhpa]")
    });
    let ran = p.run(&[&["--diagnostic-format", "short"][..], &date].concat());
    ran.must_report(1, &["data/findings/meeting/02-both.md:5:16: error: unknown theme `alhpa`"]);
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("alhpa", "alpha"));
    // 1: brief.toml is wrong, reported as brief.toml's.
    p.write("brief.toml", "[defaults]\npaper = \"a5\"\n");
    let ran = p.run(&[&["--diagnostic-format", "short"][..], &date].concat());
    ran.must_report(
        1,
        &["brief.toml:2:9: error: invalid `paper`", "error: brief.toml has 1 error"],
    );
    fs::remove_file(p.path().join("brief.toml")).unwrap();
    // 1: a template is wrong.
    p.write("look/cover.typ", "#let cover(meta) = meta.nothing\n");
    p.run(&[&["--templates", "look"][..], &date].concat()).must_exit(1);
    // 2: bad usage.
    p.run(&["--theme", "nope"]).must_exit(2);
    p.run(&["build", "--all"]).must_exit(2);
    // 3: a file cannot be written: the output's directory is a file.
    let ran = p.run(&[&["--out", "data/themes.yaml/book.pdf"][..], &date].concat());
    ran.must_report(3, &["error: data/themes.yaml: a file is in the way: writing `data/themes.yaml/book.pdf` needs a directory here\n"]);
    // 3: a corpus directory that cannot be read.
    p.run(&["--data", "no-such-dir"]).must_exit(3);
}

/// Build, edit, build again: the book follows the edit, and a bad edit
/// keeps the last good PDF byte for byte.
#[test]
fn edit_steps_rebuild_and_keep_the_last_good_pdf() {
    let p = TestProject::from_fixture("basic");
    let args = ["--theme", "alpha", "--date", "2026-11-23"];
    p.run(&args).must_exit(0);
    let first = p.read("out/alpha.pdf");
    p.edit("data/findings/meeting/02-both.md", |t| format!("{t}\nA sentence added later.\n"));
    p.run(&args).must_exit(0);
    let second = p.read("out/alpha.pdf");
    assert_ne!(first, second, "the edit reached the PDF");
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("title:", "titel:"));
    p.run(&args).must_exit(1);
    assert_eq!(p.read("out/alpha.pdf"), second, "a bad edit leaves the last good PDF");
}

/// `--trace` writes Typst's timing trace as Chrome trace JSON, each event
/// tied to template code named by its template file and line.
#[test]
fn trace_writes_typsts_timing_trace() {
    let dir = project("basic");
    let out = brief(dir.path(), &["--theme", "alpha", "--date", "2026-11-23", "--trace", "t.json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(dir.path().join("t.json")).unwrap()).unwrap();
    let names: Vec<&str> = events.iter().filter_map(|e| e["name"].as_str()).collect();
    for scope in ["compile", "layout document", "pdf"] {
        assert!(names.contains(&scope), "no `{scope}` in the trace");
    }
    let begins = events.iter().filter(|e| e["ph"] == "B").count();
    assert_eq!(begins * 2, events.len(), "every scope begins and ends");
    assert!(
        events.iter().any(|e| e["args"]["file"] == "templates/findings.typ"
            && e["args"]["line"].as_u64().is_some_and(|l| l > 0)),
        "spans are named by template and line"
    );
}
