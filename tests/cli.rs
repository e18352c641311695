//! The `brief` binary as a user and a nightly job see it: stdout, stderr,
//! exit codes, files written and files left alone.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn brief(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("BRIEF_DATA")
        .output()
        .expect("brief runs")
}

/// A temporary project holding a copy of a fixture corpus as `data/`.
fn project(fixture_name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), &dir.path().join("data"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn build_writes_the_default_path_and_prints_only_it() {
    let dir = project("basic");
    let out = brief(dir.path(), &["--theme", "first", "--date", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "out/alpha.pdf\n");
    let pdf = fs::read(dir.path().join("out/alpha.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
    let leftovers: Vec<_> =
        fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["alpha.pdf"]);
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
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim_end(), out.to_str().unwrap());
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
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read(&a).unwrap(), fs::read(&c).unwrap());
}

#[test]
fn usage_errors_exit_2_and_say_what_is_accepted() {
    let dir = project("basic");
    let out = brief(dir.path(), &["--theme", "alpah"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown theme `alpah`") && err.contains("did you mean `alpha`?"),
        "{err}"
    );
    assert!(err.contains("beta") && err.contains("gamma"), "lists the known themes: {err}");

    let out = brief(dir.path(), &["--from", "2011-13"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a real date"), "{}", stderr(&out));
    let out = brief(dir.path(), &["--to", "June"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("YYYY, YYYY-MM or YYYY-MM-DD"));
    let out = brief(dir.path(), &["--from", "2019", "--to", "2011"]);
    assert_eq!(out.status.code(), Some(2));
    let out = brief(dir.path(), &["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(!dir.path().join("out").exists(), "nothing written on a usage error");
}

#[test]
fn a_bad_edit_names_file_and_line_and_keeps_the_old_pdf() {
    let dir = project("basic");
    let ok = brief(dir.path(), &["--theme", "alpha", "--date", "2026-11-23"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let pdf = dir.path().join("out/alpha.pdf");
    let before = fs::read(&pdf).unwrap();

    let finding = dir.path().join("data/findings/meeting/02-both.md");
    let text = fs::read_to_string(&finding).unwrap();
    fs::write(&finding, text.replace("themes: [beta, alpha]", "themes: [beta, alhpa]")).unwrap();
    let out = brief(
        dir.path(),
        &["--theme", "alpha", "--date", "2026-11-24", "--diagnostic-format", "short"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("data/findings/meeting/02-both.md:5:"), "{err}");
    assert!(err.contains("unknown theme `alhpa`"), "{err}");
    assert!(stdout(&out).is_empty());
    assert_eq!(fs::read(&pdf).unwrap(), before, "the old PDF is untouched");
    let names: Vec<_> =
        fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["alpha.pdf"], "no temporary file is left behind");
}

#[test]
fn check_reports_every_problem_at_once() {
    let dir = project("basic");
    let data = dir.path().join("data");
    let ok = brief(dir.path(), &["check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stderr(&ok).contains("ok: 4 findings"), "{}", stderr(&ok));

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
    fs::write(f.join("16-crlf-bom.md"), "\u{feff}---\r\nid: crlf\r\ntitle: T\r\ndate: 2012\r\nthemes: [alpha]\r\nsource: meeting\r\n---\r\nFine.\r\n").unwrap();
    fs::write(f.join("17-yaml.md"), "---\nid: yaml\ntitle: [unclosed\n---\nBody.\n").unwrap();
    fs::write(f.join("18-no-front-matter.md"), "Just text.\n").unwrap();

    let out = brief(dir.path(), &["check", "--diagnostic-format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "10-bad-date.md:4:7: error: invalid `date`",
        "11-dup.md:2:5: error: duplicate finding id `hostile` (first defined in",
        "12-missing.md:2:5: error: missing field `title`",
        "13-typo.md:6:9: error: unknown source `meetin`",
        "19-field.md:7:1: error: unknown field `isue`",
        "14-empty.md:",
        "15-latin1.md:3:11: error: file is not valid UTF-8",
        "17-yaml.md:",
        "18-no-front-matter.md:1:1: error: missing front matter",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("16-crlf-bom.md"), "a BOM and CRLF are accepted:\n{err}");
    let human = stderr(&brief(dir.path(), &["check"]));
    assert!(
        human.contains("did you mean `meeting`?") && human.contains("did you mean `issue`?"),
        "{human}"
    );
    assert!(human.contains("source: meetin"), "a snippet of the line is shown:\n{human}");

    // The build refuses to render and writes nothing.
    let build = brief(dir.path(), &["--date", "2026-11-23"]);
    assert_eq!(build.status.code(), Some(1));
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
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/cover.typ:2:"), "{err}");
    assert!(!dir.path().join("out").exists());
}
