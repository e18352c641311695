//! Everyday use (issue 27): standing books built by name with every
//! per-book option, ad-hoc books that never take a standing book's place,
//! a state directory that a fresh runner restores, shards that stay put,
//! commands run from any folder of a project, and a manual that ships.

use std::collections::BTreeMap;

use crate::common::*;

const DATE: &[&str] = &["--date", "2026-11-23"];

/// The basic fixture with two standing books: `alpha` (its theme alone)
/// and `both` (alpha and beta).
fn project() -> TestProject {
    let p = TestProject::from_fixture("basic");
    p.write(
        "brief.toml",
        "[[book]]\nname = \"alpha\"\ntitle = \"Alpha\"\nthemes = [\"alpha\"]\n\n[[book]]\nname = \"both\"\nthemes = [\"alpha\", \"beta\"]\n",
    );
    p
}

fn run(p: &TestProject, args: &[&str]) -> Ran {
    let args: Vec<&str> = args.iter().chain(DATE).copied().collect();
    p.run(&args)
}

fn json(p: &TestProject, relative: &str) -> serde_json::Value {
    serde_json::from_slice(&p.read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn exists(p: &TestProject, relative: &str) -> bool {
    p.path().join(relative).exists()
}

// ---- Standing books by name ----

#[test]
fn build_name_makes_that_book_alone_and_an_unknown_name_is_a_usage_error() {
    let p = project();
    let ran = run(&p, &["build", "alpha"]);
    ran.must_exit(0);
    assert_eq!(ran.stdout, "out/alpha.pdf\n");
    assert!(!exists(&p, "out/both.pdf"), "only the book named");
    assert_eq!(json(&p, "out/alpha.edition.json")["book"], "alpha");
    run(&p, &["build", "alpah"]).must_report(
        2,
        &["error: brief.toml: no standing book is named `alpah`: did you mean `alpha`?"],
    );
    // A name is a standing book, not a selection: no themes beside it.
    p.run(&["build", "alpha", "--theme", "beta"]).must_exit(2);
}

#[test]
fn build_name_with_copies_for_makes_that_books_copies() {
    let p = project();
    p.write("names.txt", "Dr A. Reader\nMs B. Writer\n");
    run(&p, &["build", "alpha", "--copies-for", "names.txt"]).must_exit(0);
    for copy in ["out/alpha/copy-01.pdf", "out/alpha/copy-02.pdf", "out/alpha/register.csv"] {
        assert!(exists(&p, copy), "{copy}");
    }
    let register = String::from_utf8(p.read("out/alpha/register.csv")).unwrap();
    assert!(register.contains("Ms B. Writer"), "{register}");
    // The copies follow the standing book: its edition record, by its name.
    assert_eq!(json(&p, "out/alpha.edition.json")["book"], "alpha");
    // --copies-for names one book's recipients: not every book's.
    p.run(&["build", "--all", "--copies-for", "names.txt"]).must_exit(2);
}

#[test]
fn copies_for_is_a_book_setting_relative_to_the_project() {
    let p = project();
    p.edit("brief.toml", |t| {
        t.replace("title = \"Alpha\"", "title = \"Alpha\"\ncopies-for = \"lists/names.txt\"")
    });
    p.write("lists/names.txt", "Dr A. Reader\n");
    // Run from a folder below the project: the file is still the project's.
    let below = p.path().join("data/findings");
    let ran = run_in(&below, &["build", "--all", "--date", "2026-11-23"]);
    ran.must_exit(0);
    assert!(exists(&p, "out/alpha/copy-01.pdf"), "{}", ran.stderr);
    assert!(exists(&p, "out/both.pdf"), "the other book is a book");
    // `check` reads the recipients file as the build would.
    std::fs::remove_file(p.path().join("lists/names.txt")).unwrap();
    p.check().must_report(3, &["error: lists/names.txt: No such file"]);
    // In [defaults] it would give every book the same recipients.
    p.write("brief.toml", "[defaults]\ncopies-for = \"attendees\"\n");
    p.check().must_report(1, &["brief.toml:2:14: error: invalid `copies-for`"]);
}

#[test]
fn build_name_with_since_compares_with_that_printed_copy() {
    let p = project();
    run(&p, &["build", "alpha"]).must_exit(0);
    std::fs::copy(p.path().join("out/alpha.pdf"), p.path().join("printed.pdf")).unwrap();
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    p.run(&["build", "alpha", "--date", "2026-12-01"]).must_exit(0);
    assert_eq!(json(&p, "out/alpha.edition.json")["edition"], 2);
    p.edit("data/findings/paper/01-undated.md", |t| format!("{t}\nOne more line.\n"));
    p.run(&["build", "alpha", "--since", "printed.pdf", "--date", "2026-12-08"]).must_exit(0);
    let record = json(&p, "out/alpha.edition.json");
    assert_eq!(record["edition"], 3, "the number follows the latest edition");
    assert_eq!(record["since"]["edition"], 1, "compared with the printed copy");
    // Two books cannot both be compared with one PDF.
    p.run(&["build", "alpha", "both", "--since", "printed.pdf"]).must_report(
        2,
        &["error: --since compares one book with an earlier edition of it: name one book"],
    );
}

// ---- An ad-hoc book never takes a standing book's place ----

#[test]
fn an_ad_hoc_book_at_a_standing_books_path_leaves_its_pdf_and_record_alone() {
    let p = project();
    // A standing book `beta` that holds more than the theme `beta`.
    p.edit("brief.toml", |t| {
        format!("{t}\n[[book]]\nname = \"beta\"\nthemes = [\"beta\", \"alpha\"]\n")
    });
    run(&p, &["build", "--all"]).must_exit(0);
    let (pdf, record) = (p.read("out/beta.pdf"), p.read("out/beta.edition.json"));
    let stamp = p.read("out/.beta.pdf.inputs");
    for args in [&["--theme", "beta"][..], &["--theme", "beta", "--out", "out/beta.pdf"]] {
        run(&p, args).must_report(
            2,
            &[
                "error: out/beta.pdf: is where the standing book `beta` of brief.toml goes",
                "= hint: build that book with `brief build beta`, or write this one elsewhere with --out FILE",
            ],
        );
        assert_eq!(p.read("out/beta.pdf"), pdf, "the standing PDF is untouched");
        assert_eq!(p.read("out/beta.edition.json"), record, "its record is untouched");
        assert_eq!(p.read("out/.beta.pdf.inputs"), stamp, "its stamp is untouched");
    }
    // Elsewhere, the ad-hoc book is made and keeps its own record there.
    run(&p, &["--theme", "beta", "--out", "mine/beta.pdf", "--since", "out/beta.pdf"]).must_exit(0);
    assert!(exists(&p, "mine/beta.edition.json"));
    assert_eq!(p.read("out/beta.pdf"), pdf);
    assert_eq!(p.read("out/beta.edition.json"), record);
}

#[test]
fn an_ad_hoc_book_that_selects_what_a_standing_book_selects_is_that_book() {
    let p = project();
    let ran = run(&p, &["--theme", "ALPHA"]);
    ran.must_exit(0);
    assert!(
        ran.stderr.contains("out/alpha.pdf is the standing book `alpha` of brief.toml"),
        "{}",
        ran.stderr
    );
    let adopted = p.read("out/alpha.pdf");
    assert_eq!(json(&p, "out/alpha.edition.json")["edition"], 1);
    run(&p, &["build", "alpha"]).must_exit(0);
    assert_eq!(p.read("out/alpha.pdf"), adopted, "the same book, byte for byte");
    assert_eq!(json(&p, "out/alpha.edition.json")["edition"], 1, "and the same edition");
}

// ---- The state directory ----

#[test]
fn a_fresh_runner_with_the_state_directory_restored_makes_edition_two() {
    let p = project();
    p.edit("brief.toml", |t| format!("state = \"state\"\n\n{t}"));
    run(&p, &["build", "--all", "--if-changed"]).must_exit(0);
    assert_eq!(json(&p, "state/alpha.edition.json")["edition"], 1);
    assert!(exists(&p, "state/alpha.inputs"), "the --if-changed stamp is kept there too");
    assert!(!exists(&p, "out/alpha.edition.json") && !exists(&p, "out/.alpha.pdf.inputs"));
    let unchanged = run(&p, &["build", "--all", "--if-changed"]);
    assert!(unchanged.stderr.contains("unchanged out/alpha.pdf"), "{}", unchanged.stderr);

    // A fresh runner: the project checked out again, the state restored
    // (from a cache, an artifact, a volume), out/ empty.
    let fresh = project();
    fresh.edit("brief.toml", |t| format!("state = \"state\"\n\n{t}"));
    copy_dir(&p.path().join("state"), &fresh.path().join("state"));
    fresh.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    fresh.run(&["build", "--all", "--date", "2026-12-01"]).must_exit(0);
    let record = json(&fresh, "state/alpha.edition.json");
    assert_eq!(
        (record["edition"].as_u64(), record["since"]["edition"].as_u64()),
        (Some(2), Some(1))
    );
    // Without it, the same runner starts again at edition 1.
    let forgetful = project();
    forgetful
        .edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    forgetful.run(&["build", "--all", "--date", "2026-12-01"]).must_exit(0);
    assert_eq!(json(&forgetful, "out/alpha.edition.json")["edition"], 1);
}

#[test]
fn the_highest_edition_of_the_record_files_wins() {
    let p = project();
    run(&p, &["build", "alpha"]).must_exit(0);
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("It bears on", "It now bears on"));
    p.run(&["build", "alpha", "--date", "2026-12-01"]).must_exit(0);
    // Edition 2 beside the PDF; a state directory restored from an older
    // cache holds edition 1.
    let second = p.read("out/alpha.edition.json");
    let mut first: serde_json::Value = serde_json::from_slice(&second).unwrap();
    first["edition"] = 1.into();
    first["since"] = serde_json::Value::Null;
    first["date"] = "2026-11-23".into();
    p.write("state/alpha.edition.json", serde_json::to_vec(&first).unwrap());
    p.edit("data/findings/paper/01-undated.md", |t| format!("{t}\nOne more line.\n"));
    p.run(&["build", "alpha", "--state", "state", "--date", "2026-12-08"]).must_exit(0);
    assert_eq!(json(&p, "state/alpha.edition.json")["edition"], 3, "never back to an older number");
    assert_eq!(p.read("out/alpha.edition.json"), second, "the file beside is left as it was");
}

#[test]
fn the_state_directory_is_never_over_the_corpus_and_never_holds_an_ad_hoc_book() {
    let p = project();
    let before = p.read("data/themes.yaml");
    for state in ["data", "data/findings/state", "."] {
        let ran = run(&p, &["build", "alpha", "--state", state]);
        ran.must_exit(2);
        assert!(ran.stderr.contains("the state directory"), "{state}: {}", ran.stderr);
    }
    assert_eq!(p.read("data/themes.yaml"), before);
    assert!(!exists(&p, "out/alpha.pdf"), "nothing written");
    run(&p, &["--theme", "beta", "--state", "state", "--out", "state/beta.edition.json"])
        .must_report(2, &["error: state/beta.edition.json: is inside the state directory state"]);
    // `check` finds it in brief.toml, so the build it passes succeeds.
    p.edit("brief.toml", |t| format!("state = \"data/findings/x\"\n{t}"));
    p.check().must_report(1, &["brief.toml:1:9: error: invalid `state`: is inside the corpus"]);
    assert!(!exists(&p, "data/findings/x"));
}

// ---- Shards ----

/// The shard of each book of `p`, for `n` shards, as the runs say.
fn shards(p: &TestProject, n: usize) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let ran = run(p, &["build", "--all", "--shard", &shard, "--json", "--quiet"]);
        ran.must_exit(0);
        for line in ran.stdout.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let name = v["name"].as_str().unwrap().to_string();
            assert!(found.insert(name, k).is_none(), "a book in two shards");
        }
    }
    found
}

#[test]
fn adding_a_book_at_the_top_moves_no_other_book_to_another_shard() {
    let p = TestProject::from_fixture("basic");
    let books: String = (0..6)
        .map(|i| {
            format!("[[book]]\nname = \"b{i}\"\nthemes = [\"{}\"]\n\n", ["alpha", "beta"][i % 2])
        })
        .collect();
    p.write("brief.toml", &books);
    let before = shards(&p, 3);
    assert_eq!(before.len(), 6, "every book in a shard");
    p.write("brief.toml", format!("[[book]]\nname = \"new\"\nthemes = [\"alpha\"]\n\n{books}"));
    let mut after = shards(&p, 3);
    assert!(after.remove("new").is_some());
    assert_eq!(after, before, "no book moved");
}

// ---- Any folder of a project ----

#[test]
fn commands_run_from_a_subfolder_find_the_project() {
    let p = project();
    let below = p.path().join("data/findings/meeting");
    let ran = run_in(&below, &["check"]);
    ran.must_exit(0);
    assert!(ran.stderr.starts_with("../../../data: ok: "), "{}", ran.stderr);
    let ran = run_in(&below, &["build", "alpha", "--date", "2026-11-23"]);
    ran.must_exit(0);
    assert_eq!(ran.stdout, "../../../out/alpha.pdf\n", "paths are relative to where it ran");
    assert!(exists(&p, "out/alpha.pdf"));
    let ran = run_in(&below, &["list", "themes", "--json"]);
    ran.must_exit(0);
    assert!(ran.stdout.contains("\"alpha\""), "{}", ran.stdout);
    // A path on the command line is the current folder's.
    run_in(&below, &["--theme", "beta", "--out", "here.pdf", "--date", "2026-11-23"]).must_exit(0);
    assert!(below.join("here.pdf").exists());
    // Outside any project: what to do, not "data: No such file".
    let nowhere = tempfile::tempdir().unwrap();
    run_in(nowhere.path(), &["check"]).must_report(
        2,
        &[
            "error: no brief project here",
            "= hint: run brief inside a project (or any folder below it), give --data DIR, or start a project with `brief init DIR`",
        ],
    );
}

// ---- The manual ----

#[test]
fn the_man_page_has_the_sections_a_man_page_has_and_names_no_missing_page() {
    let p = project();
    let ran = p.run(&["man"]);
    ran.must_exit(0);
    let page = &ran.stdout;
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
        "SEE ALSO",
    ] {
        let header = format!(".SH \"{section}\"");
        let plain = format!(".SH {section}\n");
        assert!(page.contains(&header) || page.contains(&plain), "no {section} section");
    }
    assert!(!page.contains("brief\\-build(1)") && !page.contains("brief-build"), "a phantom page");
    for needle in [
        "BRIEF_DATA",
        "SOURCE_DATE_EPOCH",
        "brief.toml",
        "\\fBbrief build\\fR [\\fINAME\\fR]...",
        "\\-\\-copies\\-for",
    ] {
        assert!(page.contains(needle), "the page lacks {needle}");
    }
}

// ---- watch ----

/// A watch says what it watches and how to stop; a build writing the
/// state directory inside the watched corpus (`--data .`) starts no
/// rebuild.
#[test]
fn watch_says_what_it_watches_and_the_state_directory_starts_no_rebuild() {
    let p = TestProject::with_corpus_at_root("basic");
    p.write(
        "brief.toml",
        "state = \"state\"\n\n[[book]]\nname = \"alpha\"\nthemes = [\"alpha\"]\n",
    );
    let mut watch = p.watch(&["alpha", "--data", ".", "--date", "2026-11-23"]);
    watch.must_build_within(std::time::Duration::from_secs(60));
    let said = watch.stderr();
    assert!(said.contains("brief: watching ") && said.contains("press Ctrl-C to stop"), "{said}");
    assert!(!p.path().join("state").exists(), "a watch's drafts record nothing");
    run(&p, &["build", "--all", "--data", "."]).must_exit(0);
    assert!(p.path().join("state/alpha.edition.json").exists());
    let rebuilt = watch.builds_within(std::time::Duration::from_secs(3));
    assert_eq!(rebuilt, 0, "the state written started a rebuild:\n{}", watch.stderr());
}

/// `--open` hands the PDF written to the system's viewer (here a stand-in
/// `xdg-open` first on PATH).
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_hands_the_pdf_to_the_viewer() {
    use std::os::unix::fs::PermissionsExt;
    let p = project();
    let bin = p.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let viewer = bin.join("xdg-open");
    std::fs::write(&viewer, "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/opened\"\n").unwrap();
    std::fs::set_permissions(&viewer, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["--theme", "beta", "--out", "beta.pdf", "--open", "--date", "2026-11-23"])
        .current_dir(p.path())
        .env("PATH", path)
        .env_remove("BRIEF_DATA")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    // The viewer runs on its own; give it a moment.
    let opened = bin.join("opened");
    for _ in 0..50 {
        if opened.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(std::fs::read_to_string(opened).unwrap().trim(), "beta.pdf");
}

// ---- cron ----

/// The README's crontab line, as cron runs it: `sh -c` with nothing in
/// the environment but `PATH=/usr/bin:/bin`, brief named by its full path.
#[cfg(unix)]
#[test]
fn the_cron_line_works_in_crons_environment() {
    let p = project();
    let line = format!(
        "cd '{}' && '{}' build --all --if-changed --quiet >> brief.log 2>&1",
        p.path().display(),
        env!("CARGO_BIN_EXE_brief")
    );
    let status = std::process::Command::new("/bin/sh")
        .args(["-c", &line])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .status()
        .unwrap();
    let log = String::from_utf8(p.read("brief.log")).unwrap();
    assert!(status.success(), "{log}");
    let mut written: Vec<&str> = log.lines().collect();
    written.sort();
    assert_eq!(written, ["out/alpha.pdf", "out/both.pdf"], "the paths, and nothing else");
    assert!(exists(&p, "out/alpha.pdf") && exists(&p, "out/both.pdf"));
}

// ---- Small things ----

#[test]
fn list_names_styles_and_font_families_and_each_findings_file_and_level() {
    let nowhere = tempfile::tempdir().unwrap();
    let ran = run_in(nowhere.path(), &["list", "styles"]);
    ran.must_exit(0);
    assert!(ran.stdout.lines().any(|l| l == "chicago-author-date"), "{}", ran.stdout);
    assert!(ran.stderr.ends_with(" citation styles\n"), "{}", ran.stderr);
    let ran = run_in(nowhere.path(), &["list", "fonts", "--json"]);
    ran.must_exit(0);
    assert!(ran.stdout.contains("{\"name\":\"Noto Serif\"}"), "{}", ran.stdout);
    // A style named by its start gets every name it starts.
    let p = project();
    run(&p, &["--theme", "beta", "--csl", "chicago"]).must_report(
        2,
        &["error: invalid value 'chicago' for '--csl <FILE|NAME>': `chicago` is neither a citation style Typst ships nor a .csl file: did you mean one of `chicago-author-date`, `chicago-fullnotes`"],
    );
    // Findings with their file (relative to where brief runs) and level.
    let below = p.path().join("data/findings");
    let ran = run_in(&below, &["list", "findings", "--json"]);
    ran.must_exit(0);
    let findings: serde_json::Value = serde_json::from_str(ran.stdout.trim()).unwrap();
    let hostile = findings.as_array().unwrap().iter().find(|f| f["id"] == "hostile").unwrap();
    assert_eq!(hostile["path"], "../../data/findings/meeting/01-hostile.md");
    assert!(hostile["handling"].is_null(), "no levels.yaml, no level");
    assert_eq!(ran.stderr.lines().last(), Some("4 findings"));
    let ran = run_in(&below, &["list", "findings", "--theme", "beta"]);
    assert_eq!(ran.stderr.lines().last(), Some("1 finding"), "one, not `1 findings`");
}
