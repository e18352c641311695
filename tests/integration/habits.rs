//! The habits users bring: sharded nightly runs, machine-readable runs,
//! the paper names Pandoc and LaTeX users type.

use std::collections::BTreeSet;

use crate::common::*;

/// A project with seven standing books over the fixture's themes.
fn seven_books() -> TestProject {
    let p = TestProject::from_fixture("basic");
    let mut toml = String::new();
    for (i, theme) in
        ["alpha", "beta", "gamma", "alpha", "beta", "gamma", "alpha"].iter().enumerate()
    {
        toml.push_str(&format!("[[book]]\nname = \"b{i}\"\nthemes = [\"{theme}\"]\n\n"));
    }
    p.write("brief.toml", toml);
    p
}

/// The books a run wrote, from its JSON lines (each parsed back).
fn written(ran: &Ran) -> Vec<String> {
    ran.stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert_eq!(v["outcome"], "written", "{line}");
            assert!(v["pages"].as_u64().unwrap() > 0, "{line}");
            assert_eq!(v["errors"], 0, "{line}");
            assert!(v["seconds"].as_f64().is_some(), "{line}");
            let name = v["name"].as_str().unwrap().to_string();
            assert_eq!(v["path"], format!("out/{name}.pdf"), "{line}");
            name
        })
        .collect()
}

#[test]
fn shards_are_disjoint_and_cover_every_book() {
    let p = seven_books();
    let all: BTreeSet<String> = (0..7).map(|i| format!("b{i}")).collect();
    for n in [1, 2, 3, 7] {
        let mut seen = BTreeSet::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let ran = p.run(&[
                "build",
                "--all",
                "--shard",
                &shard,
                "--json",
                "--quiet",
                "--date",
                "2026-11-23",
            ]);
            ran.must_exit(0);
            for name in written(&ran) {
                assert!(seen.insert(name.clone()), "{name} in two shards of {n}");
            }
        }
        assert_eq!(seen, all, "the shards of {n} cover every book");
    }
    // The slice a book falls in is fixed by its name: the first 8 bytes
    // of its SHA-256, mod N, plus 1 (python3: int.from_bytes(
    // hashlib.sha256(b"b1").digest()[:8], "big") % 3 + 1 == 2).
    let ran = p.run(&["build", "--all", "--shard", "2/3", "--json", "--date", "2026-11-23"]);
    let mut names = written(&ran);
    names.sort();
    assert_eq!(names, ["b1", "b3", "b6"]);
    for bad in ["0/3", "4/3", "3", "a/b"] {
        let expected =
            format!("error: invalid value '{bad}' for '--shard <K/N>': `{bad}` is not a shard");
        p.run(&["build", "--all", "--shard", bad]).must_report(2, &[&expected]);
    }
    p.run(&["--shard", "1/2"]).must_exit(2);
}

#[test]
fn json_lines_report_failures_for_a_scheduler_to_alert_on() {
    let p = seven_books();
    p.edit("brief.toml", |t| format!("{t}[[book]]\nname = \"bad\"\nthemes = [\"nope\"]\n"));
    let ran = p.run(&["build", "--all", "--json", "--quiet", "--date", "2026-11-23"]);
    ran.must_exit(1);
    let lines: Vec<serde_json::Value> =
        ran.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 8);
    let bad = lines.iter().find(|v| v["name"] == "bad").unwrap();
    assert_eq!(
        (bad["outcome"].as_str(), bad["errors"].as_u64(), bad["path"].is_null()),
        (Some("failed"), Some(1), true)
    );
    // A second run with --if-changed: every good book is `unchanged`.
    let ran =
        p.run(&["build", "--all", "--json", "--if-changed", "--quiet", "--date", "2026-11-23"]);
    let unchanged = ran
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["outcome"] == "unchanged")
        .count();
    assert_eq!(unchanged, 7);
}

#[test]
fn paper_names_as_users_type_them() {
    let p = TestProject::from_fixture("basic");
    for paper in ["letter", "Letter", "US-LETTER", "A4", "a4"] {
        let out = format!("{paper}.pdf");
        p.run(&["--paper", paper, "--date", "2026-11-23", "--out", &out]).must_exit(0);
    }
    assert_eq!(p.read("letter.pdf"), p.read("US-LETTER.pdf"));
    assert_eq!(p.read("A4.pdf"), p.read("a4.pdf"));
    assert_ne!(p.read("A4.pdf"), p.read("letter.pdf"));
    p.write("brief.toml", "[defaults]\npaper = \"letter\"\n");
    p.run(&["--date", "2026-11-23", "--out", "toml.pdf"]).must_exit(0);
    assert_eq!(p.read("toml.pdf"), p.read("letter.pdf"));
}

#[test]
fn completions_and_a_man_page_name_every_flag() {
    let p = TestProject::from_fixture("basic");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let ran = p.run(&["completions", shell]);
        ran.must_exit(0);
        for flag in ["theme", "meeting", "shard", "pdf-standard", "if-changed"] {
            assert!(ran.stdout.contains(flag), "{shell} completion lacks {flag}");
        }
    }
    let ran = p.run(&["man"]);
    ran.must_exit(0);
    assert!(
        ran.stdout.starts_with(".ie") && ran.stdout.contains(".TH brief 1"),
        "{}",
        &ran.stdout[..200]
    );
    for flag in ["\\-\\-theme", "\\-\\-meeting", "\\-\\-watermark"] {
        assert!(ran.stdout.contains(flag), "man page lacks {flag}");
    }
    p.run(&["completions", "tcsh"]).must_exit(2);
}

/// A reader that goes away (`brief build --all | head -1`) does not crash
/// the run: every book is still written.
#[test]
fn a_closed_stdout_is_not_a_crash() {
    let p = seven_books();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--all", "--date", "2026-11-23", "--quiet"])
        .current_dir(p.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for i in 0..7 {
        assert!(p.path().join(format!("out/b{i}.pdf")).exists(), "b{i}");
    }
}

#[test]
fn list_shows_what_the_corpus_holds_as_json_and_columns() {
    let p = TestProject::from_fixture("meeting");
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let ran = p.run(&[&["list"][..], args, &["--json"]].concat());
        ran.must_exit(0);
        serde_json::from_str::<serde_json::Value>(ran.stdout.trim())
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let themes = json(&["themes"]);
    let ids: Vec<&str> = themes.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["alpha", "beta", "gamma"]);
    assert_eq!(themes[0]["findings"], 3);
    let findings = json(&["findings", "--theme", "beta"]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["id"], "both-themes");
    assert_eq!(findings[0]["themes"], serde_json::json!(["beta", "alpha"]));
    assert_eq!(
        json(&["findings", "--from", "2012", "--to", "2012"]).len(),
        3,
        "the undated one is out"
    );
    assert_eq!(json(&["findings"])[0]["key"], true);
    let events = json(&["events", "--from", "2011", "--to", "2011"]);
    assert_eq!(events.iter().map(|e| e["id"].as_str().unwrap()).collect::<Vec<_>>(), ["raid"]);
    assert_eq!(json(&["sources"])[1]["date"], serde_json::Value::Null);
    assert_eq!(json(&["issues"])[0]["findings"], 3);
    assert_eq!(json(&["participants"]).len(), 4);
    let meetings = json(&["meetings"]);
    assert_eq!(
        (meetings[0]["id"].as_str(), meetings[0]["items"].as_u64()),
        (Some("round-two"), Some(3))
    );
    // Not a terminal: a header and tab-separated rows; the count on stderr.
    let ran = p.run(&["list", "themes"]);
    assert_eq!(ran.stdout.lines().next(), Some("ID\tTITLE\tFINDINGS"));
    assert_eq!(ran.stdout.lines().nth(1), Some("alpha\tAlpha matters\t3"));
    assert_eq!(ran.stderr.lines().last(), Some("3 themes"), "the count ends stderr");
    p.run(&["list", "themes", "--theme", "nope"]).must_exit(2);
    p.run(&["list", "nothing"]).must_exit(2);
}

#[test]
fn init_scaffolds_a_project_that_checks_and_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run_in(dir.path(), &["init", "new-project"]);
    ran.must_exit(0);
    assert_eq!(ran.stdout.lines().count(), brief::cmd::init::SCAFFOLD.len());
    let project = dir.path().join("new-project");
    assert_eq!(
        std::fs::read_to_string(project.join(".gitignore")).unwrap().lines().last(),
        Some("out/")
    );
    // It passes check with nothing to warn about, and builds.
    let ran = run_in(&project, &["check"]);
    ran.must_exit(0);
    assert_eq!(ran.stderr.lines().count(), 1, "no warning: {}", ran.stderr);
    let ran = run_in(&project, &["build", "--all", "--date", "2026-11-23"]);
    assert_eq!(ran.must_exit(0).stdout, "out/example.pdf\n");
    run_in(&project, &["--meeting", "example-meeting", "--date", "2026-11-23"]).must_exit(0);
    // A directory with anything in it is refused, and nothing is written.
    let before = std::fs::read_to_string(project.join("brief.toml")).unwrap();
    let ran = run_in(dir.path(), &["init", "new-project"]);
    ran.must_report(
        2,
        &["error: new-project: not empty: `brief init` writes only into an empty or new directory"],
    );
    assert!(ran.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(project.join("brief.toml")).unwrap(), before);
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    run_in(&other, &["init"]).must_exit(2);
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1, "nothing written");
    // The current directory, when empty, works.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    run_in(&empty, &["init"]).must_exit(0);
    assert!(empty.join("data/themes.yaml").exists());
}

/// A data/ folder opened as an Obsidian vault: findings may carry
/// Obsidian's `tags` (as their themes) and `aliases`; the rest stays strict.
#[test]
fn obsidian_properties_are_accepted_where_they_fit() {
    let p = TestProject::from_fixture("basic");
    let note = |themes_line: &str| {
        format!(
            "---\nid: vault-note\ntitle: From a vault\ndate: 2012\n{themes_line}\nsource: meeting\nref: para. 5\naliases: [Vault note]\n---\nBody.\n"
        )
    };
    p.write("data/findings/meeting/09-vault.md", note("tags: [alpha, beta]"));
    let ran = p.run(&["list", "findings", "--theme", "beta", "--json"]);
    ran.must_exit(0);
    let found: serde_json::Value = serde_json::from_str(ran.stdout.trim()).unwrap();
    let note_json =
        found.as_array().unwrap().iter().find(|f| f["id"] == "vault-note").cloned().unwrap();
    assert_eq!(note_json["themes"], serde_json::json!(["alpha", "beta"]));
    // An unknown tag is reported at its line, as an unknown theme.
    p.write("data/findings/meeting/09-vault.md", note("tags: [alpah]"));
    p.check()
        .must_report(1, &["data/findings/meeting/09-vault.md:5:8: error: unknown theme `alpah`"]);
    // Other Obsidian keys are not findings' fields: still errors.
    p.write("data/findings/meeting/09-vault.md", note("tags: [alpha]\ncssclasses: [wide]"));
    p.check().must_report(
        1,
        &["data/findings/meeting/09-vault.md:6:1: error: unknown field `cssclasses`"],
    );
}

#[test]
fn colour_follows_color_and_v_prints_timings() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("themes: [beta, alpha]", "themes: [beta, alhpa]")
    });
    let escape = "\u{1b}[";
    assert!(p.run(&["check", "--color", "always"]).stderr.contains(escape));
    assert!(!p.run(&["check", "--color", "never"]).stderr.contains(escape));
    assert!(!p.run(&["check"]).stderr.contains(escape), "not a terminal: no colour");
    p.run(&["check", "--color", "sometimes"]).must_exit(2);
    p.edit("data/findings/meeting/02-both.md", |t| t.replace("alhpa", "alpha"));
    p.run(&["-v", "--date", "2026-11-23"]).must_report(0, &["brief: timings: load "]);
}

/// `brief templates export DIR` gives a designer the shipped templates;
/// passing them back unchanged makes the same PDF, and an edit shows.
#[test]
fn exported_templates_round_trip() {
    let p = TestProject::from_fixture("basic");
    p.run(&["templates", "export", "look"]).must_exit(0);
    let shipped = std::fs::read_dir(root().join("templates")).unwrap().count();
    assert_eq!(std::fs::read_dir(p.path().join("look")).unwrap().count(), shipped);
    p.run(&["--date", "2026-11-23", "--out", "plain.pdf"]).must_exit(0);
    p.run(&["--date", "2026-11-23", "--out", "same.pdf", "--templates", "look"]).must_exit(0);
    assert_eq!(p.read("plain.pdf"), p.read("same.pdf"));
    p.edit("look/style.typ", |t| t.replace("rgb(\"#1f3a5f\")", "rgb(\"#7a1f1f\")"));
    p.run(&["--date", "2026-11-23", "--out", "red.pdf", "--templates", "look"]).must_exit(0);
    assert_ne!(p.read("plain.pdf"), p.read("red.pdf"));
    // Never over what is there.
    p.run(&["templates", "export", "look"]).must_exit(2);
}

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#7a1f1f"/></svg>"##;

/// Branding without Typst: brief.toml names the organisation, its logo,
/// accent colour, cover footer and handling line; the book shows them.
#[test]
fn a_brand_from_brief_toml_reaches_the_cover() {
    let p = TestProject::from_fixture("basic");
    p.write("brand/logo.svg", LOGO);
    p.write(
        "brief.toml",
        "[defaults]\norganisation = \"Institute of Example Studies\"\nlogo = \"brand/logo.svg\"\naccent = \"#7A1F1F\"\nfooter = \"Prepared by the secretariat.\"\nhandling = \"Restricted\"\n",
    );
    p.run(&["check"]).must_exit(0);
    let built = brief::make(
        &<brief::cli::Cli as clap::Parser>::try_parse_from([
            "brief",
            "--data",
            p.path().join("data").to_str().unwrap(),
            "--date",
            "2026-11-23",
        ])
        .unwrap()
        .build
        .into_request(|| unreachable!(), brief::project::load)
        .unwrap(),
    )
    .unwrap();
    let brand = &built.book.meta.brand;
    assert_eq!(brand.organisation.as_deref(), Some("Institute of Example Studies"));
    assert_eq!(
        (brand.logo.as_deref(), brand.accent.as_deref()),
        (Some("/brand/logo.svg"), Some("#7a1f1f"))
    );
    let cover = &built.rendered.text()[0];
    for text in ["RESTRICTED", "Institute of Example Studies", "Prepared by the secretariat."] {
        assert!(cover.contains(text), "{text} not on the cover:\n{cover}");
    }
    fn images(frame: &typst::layout::Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                typst::layout::FrameItem::Group(g) => images(&g.frame),
                typst::layout::FrameItem::Image(..) => 1,
                _ => 0,
            })
            .sum()
    }
    let images = images(&built.rendered.document.pages()[0].frame);
    assert!(images >= 1, "the logo is drawn on the cover");
    // The accessible book still builds (the logo has alt text).
    p.run(&["--date", "2026-11-23", "--pdf-standard", "ua-1", "--out", "ua.pdf"]).must_exit(0);
    // A colour that is not one, a logo outside the project: refused.
    p.edit("brief.toml", |t| t.replace("#7A1F1F", "crimson"));
    p.check().must_report(1, &["brief.toml:4:10: error: invalid `accent`"]);
    p.edit("brief.toml", |t| t.replace("crimson", "#7A1F1F"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("logo.svg"), LOGO).unwrap();
    let ran = p.run(&[
        "--date",
        "2026-11-23",
        "--logo",
        outside.path().join("logo.svg").to_str().unwrap(),
        "--accent",
        "#123456",
    ]);
    let logo = outside.path().join("logo.svg");
    ran.must_report(
        2,
        &[&format!("error: logo {}: lies outside the project directory", logo.display())],
    );
}

/// The families every text run of a book is set in.
fn families(built: &brief::Artifact) -> std::collections::BTreeSet<String> {
    fn walk(frame: &typst::layout::Frame, out: &mut std::collections::BTreeSet<String>) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.insert(t.font.info().family.clone());
                }
                _ => {}
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for page in built.rendered.document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// `font` and `heading-font` (brief.toml or flags) set the book's faces,
/// a family `brief list fonts` lists, in any case; one it does not list
/// is an error at its key, with the nearest family, or a usage error when
/// a flag names it.
#[test]
fn font_settings_set_the_faces_and_an_unknown_family_is_located() {
    let p = TestProject::from_fixture("basic");
    p.write(
        "brief.toml",
        "[defaults]\nfont = \"Noto Sans Mono\"\nheading-font = \"noto sans mono\"\n",
    );
    p.run(&["check"]).must_exit(0);
    let request = |extra: &[&str]| {
        let data = p.path().join("data");
        let mut args = vec!["brief", "--data", data.to_str().unwrap(), "--date", "2026-11-23"];
        args.extend(extra);
        <brief::cli::Cli as clap::Parser>::try_parse_from(args)
            .unwrap()
            .build
            .into_request(|| unreachable!(), brief::project::load)
            .unwrap()
    };
    let mono = families(&brief::make(&request(&[])).unwrap());
    assert!(mono.contains("Noto Sans Mono"), "{mono:?}");
    assert!(!mono.contains("Noto Serif") && !mono.contains("Noto Sans"), "{mono:?}");
    // A flag comes first; without a setting the shipped faces are used.
    let serif = families(&brief::make(&request(&["--heading-font", "Noto Serif"])).unwrap());
    assert!(serif.contains("Noto Serif") && !serif.contains("Noto Sans"), "{serif:?}");
    p.write("brief.toml", "[defaults]\nhandling = \"x\"\n");
    let shipped = families(&brief::make(&request(&[])).unwrap());
    assert!(shipped.contains("Noto Serif") && shipped.contains("Noto Sans"), "{shipped:?}");

    p.write("brief.toml", "[defaults]\nfont = \"Noto Serf\"\n");
    p.check().must_report(1, &["brief.toml:2:8: error: invalid `font`: no font family `Noto Serf`: did you mean `Noto Serif`? `brief list fonts` lists the families"]);
    p.run(&["--date", "2026-11-23"]).must_exit(1);
    p.write("brief.toml", "[defaults]\nhandling = \"x\"\n");
    p.run(&["--date", "2026-11-23", "--heading-font", "Garamond"]).must_report(
        2,
        &["error: --heading-font no font family `Garamond`: `brief list fonts` lists the families"],
    );
}

/// Fonts: `--font-path` (and `font-path` in brief.toml) adds fonts beside
/// the shipped ones. A character only the added font has is a warning,
/// naming the file and line, until the font is added; then it is drawn in
/// that font and copies out of the PDF as written. A file that only looks
/// like a font is an error naming it.
#[test]
fn an_added_font_draws_what_the_shipped_ones_cannot() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/findings/paper/01-undated.md", |t| format!("{t}\nTbilisi: თბილისი.\n"));
    let line = String::from_utf8(p.read("data/findings/paper/01-undated.md"))
        .unwrap()
        .lines()
        .position(|l| l.contains("თბილისი"))
        .unwrap()
        + 1;
    let warning =
        format!("data/findings/paper/01-undated.md:{line}:10: warning: no font has `თ` (U+10D7)");
    p.check().must_report(0, &[&warning]);

    let fonts = p.path().join("fonts");
    copy_dir(&root().join("tests/fixtures/fonts"), &fonts);
    let ran = p.run(&["check", "--font-path", "fonts"]);
    ran.must_exit(0);
    assert!(!ran.stderr.contains("no font has"), "{}", ran.stderr);
    p.write("brief.toml", "[defaults]\nfont-path = \"fonts\"\n");
    let ran = p.run(&["--date", "2026-11-23", "--out", "georgian.pdf"]);
    ran.must_exit(0);
    assert!(!ran.stderr.contains("no font has"), "{}", ran.stderr);
    let pdf = p.path().join("georgian.pdf");
    assert!(crate::pdf::text_of(&pdf).contains("თბილისი"));
    let fonts = crate::pdf::fonts(&std::fs::read(&pdf).unwrap());
    assert!(fonts.iter().any(|f| f.name.contains("DejaVuSans") && f.embedded), "{fonts:?}");
    // The fonts are inputs: the same book without them is another book.
    let emitted = p.path().join("emitted");
    p.run(&["--date", "2026-11-23", "--out", "again.pdf", "--emit-typ", "emitted"]).must_exit(0);
    assert!(emitted.join("fonts/added/DejaVuSans-Georgian.ttf").is_file());

    // The flag of `build` is the book's setting, as brief.toml's is.
    p.write("brief.toml", "");
    let ran =
        p.run(&["build", "--date", "2026-11-23", "--out", "flag.pdf", "--font-path", "fonts"]);
    ran.must_exit(0);
    assert!(!ran.stderr.contains("no font has"), "{}", ran.stderr);
    p.run(&["build", "--font-path", "no-such-dir", "--out", "x.pdf"]).must_exit(3);
    p.write("brief.toml", "[defaults]\nfont-path = \"fonts\"\n");
    // Not a font, though named like one: refused, naming the file.
    p.write("fonts/broken.ttf", "not a font");
    let ran = p.run(&["--date", "2026-11-23", "--out", "broken.pdf"]);
    ran.must_report(3, &["error: fonts/broken.ttf: is not a font"]);
    assert!(!p.path().join("broken.pdf").exists());
    p.run(&["check"]).must_exit(3);
}

/// Runs brief under a pseudo-terminal (util-linux `script`), as a user at
/// a terminal would (so with a TERM, whatever the test runner has), and
/// returns what the terminal showed.
fn on_a_terminal(p: &TestProject, env: &[(&str, &str)], args: &str) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_brief"));
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(p.path())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .output()
        .expect("util-linux `script` runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Progress: on a terminal, `build --all` shows books done of total (in
/// colour unless NO_COLOR); not with --quiet, and nothing of it when
/// stderr is not a terminal.
#[test]
fn progress_shows_on_a_terminal_only() {
    let p = seven_books();
    let shown = on_a_terminal(&p, &[], "build --all --date 2026-11-23");
    assert!(shown.contains("/7 books"), "{shown}");
    assert!(shown.contains("\u{1b}[36m"), "the bar is coloured: {shown}");
    let plain = on_a_terminal(&p, &[("NO_COLOR", "1")], "build --all --date 2026-11-23");
    assert!(plain.contains("/7 books"), "{plain}");
    assert!(!plain.contains("\u{1b}[36m"), "NO_COLOR: {plain}");
    let quiet = on_a_terminal(&p, &[], "build --all --quiet --date 2026-11-23");
    assert!(!quiet.contains("books"), "{quiet}");
    assert_eq!(quiet.lines().filter(|l| l.contains("out/b")).count(), 7, "{quiet}");
    let piped = p.run(&["build", "--all", "--date", "2026-11-23"]);
    piped.must_exit(0);
    assert!(
        !piped.stderr.contains("books") && !piped.stderr.contains('\u{1b}'),
        "{}",
        piped.stderr
    );
    assert_eq!(piped.stderr.lines().filter(|l| l.contains("wrote out/b")).count(), 7);
}
