//! Completions of names: the hidden `brief complete KIND` prints the
//! project's themes, meetings, standing books and handling levels, or the
//! citation styles, from any folder of the project; the scripts
//! `brief completions SHELL` writes ask it for the arguments that take
//! them (bash, zsh, fish); and bash, given its script, completes them.

use std::path::Path;

use crate::common::{LEVELS, TestProject, run_in};

/// The meeting fixture with handling levels and two standing books.
fn project() -> TestProject {
    let p = TestProject::from_fixture("meeting");
    p.write("data/levels.yaml", LEVELS);
    p.write(
        "brief.toml",
        "[[book]]\nname = \"next-round\"\nmeeting = \"round-two\"\n\n[[book]]\nname = \"alpha-book\"\nthemes = [\"alpha\"]\n",
    );
    p
}

#[track_caller]
fn names(dir: &Path, kind: &str) -> Vec<String> {
    let ran = run_in(dir, &["complete", kind]);
    ran.must_exit(0);
    assert_eq!(ran.stderr, "", "complete {kind} prints nothing but names");
    ran.stdout.lines().map(String::from).collect()
}

#[test]
fn complete_names_what_each_argument_takes_from_any_folder_of_the_project() {
    let p = project();
    let inner = p.path().join("data/findings");
    for dir in [p.path(), inner.as_path()] {
        assert_eq!(names(dir, "themes"), ["alpha", "beta", "gamma"]);
        assert_eq!(names(dir, "meetings"), ["round-two"]);
        assert_eq!(names(dir, "books"), ["alpha-book", "next-round"]);
        let levels = names(dir, "levels");
        assert!(!levels.is_empty() && levels.iter().all(|l| LEVELS.contains(&format!("id: {l}"))));
    }
    let styles = names(p.path(), "styles");
    assert!(styles.iter().any(|s| s == "chicago-author-date") && styles.iter().any(|s| s == "apa"));
    // Outside a project: no names, and no error.
    let nowhere = tempfile::tempdir().unwrap();
    assert!(names(nowhere.path(), "themes").is_empty());
    assert!(names(nowhere.path(), "books").is_empty());
    // Hidden from the help and the manual.
    let help = run_in(p.path(), &["--help"]).stdout;
    assert!(!help.contains("complete ") && help.contains("completions"), "{help}");
}

#[test]
fn the_scripts_ask_brief_complete_for_each_kind_of_name() {
    let p = project();
    for shell in ["bash", "zsh", "fish"] {
        let ran = run_in(p.path(), &["completions", shell]);
        ran.must_exit(0);
        for kind in ["themes", "meetings", "books", "styles", "levels"] {
            let asks = match shell {
                "zsh" => format!("_brief_names {kind}'"),
                "fish" => format!("(brief complete {kind} 2>/dev/null)"),
                _ => format!("kind={kind}"),
            };
            assert!(ran.stdout.contains(&asks), "{shell}: no {asks:?}");
        }
    }
}

/// Runs bash's completion of `line` (the word under the cursor last) with
/// the script `brief completions bash` writes, `brief` on the PATH.
fn bash_completes(dir: &Path, script: &Path, line: &[&str]) -> Vec<String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_brief")).parent().unwrap();
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n_brief_names brief '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        words.join(" "),
        line.len() - 1,
        line.join(" "),
        line[line.len() - 1],
        line[line.len().saturating_sub(2)],
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .current_dir(dir)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env_remove("BRIEF_DATA")
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn bash_completes_themes_meetings_books_and_styles() {
    if std::process::Command::new("bash").arg("-c").arg("true").output().is_err() {
        eprintln!("no bash here: the script is checked by the test above only");
        return;
    }
    let p = project();
    let script = p.path().join("brief.bash");
    std::fs::write(&script, run_in(p.path(), &["completions", "bash"]).stdout).unwrap();
    assert_eq!(bash_completes(p.path(), &script, &["brief", "--theme", "a"]), ["alpha"]);
    assert_eq!(
        bash_completes(p.path(), &script, &["brief", "build", "-t", ""]),
        ["alpha", "beta", "gamma"]
    );
    assert_eq!(bash_completes(p.path(), &script, &["brief", "--meeting", "r"]), ["round-two"]);
    assert_eq!(bash_completes(p.path(), &script, &["brief", "build", "n"]), ["next-round"]);
    assert_eq!(
        bash_completes(p.path(), &script, &["brief", "build", "--csl", "chicago-author"]),
        ["chicago-author-date"]
    );
    // Flags are still clap's.
    let flags = bash_completes(p.path(), &script, &["brief", "build", "--dup"]);
    assert_eq!(flags, ["--duplex"]);
}
