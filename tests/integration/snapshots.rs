//! The contract, as snapshots a person reviews (insta; committed under
//! tests/snapshots/, and a change fails until it is accepted): the
//! composed book JSON the templates read, and the diagnostics brief prints
//! for each broken fixture.

use std::process::Command;

use crate::common::*;

/// The book JSON for the shipped corpus's main job: every field the
/// templates may use, as they get it.
#[test]
fn book_json_of_the_afghanistan_book() {
    let built = must_make(&shipped(), &["--theme", "afghanistan"]);
    let json = serde_json::to_string_pretty(&built.book).unwrap();
    insta::assert_snapshot!(json);
}

/// The fixture with a bit of every shape (tables, tasks, notes, hostile
/// text, cross-references).
#[test]
fn book_json_of_the_basic_fixture() {
    let built = must_make(&fixture("basic"), &[]);
    let json = serde_json::to_string_pretty(&built.book).unwrap();
    insta::assert_snapshot!(json);
}

/// `brief check` run in a fixture project; its stderr and exit code.
fn check(fixture_name: &str, format: &str) -> String {
    let dir = fixture_dir(fixture_name);
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--diagnostic-format", format])
        .current_dir(&dir)
        .env_remove("BRIEF_DATA")
        .output()
        .unwrap();
    format!("exit: {:?}\n{}", out.status.code(), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn diagnostics_of_broken_findings() {
    insta::assert_snapshot!("broken_findings_short", check("broken-findings", "short"));
    insta::assert_snapshot!("broken_findings_human", check("broken-findings", "human"));
}

#[test]
fn diagnostics_of_a_broken_project_file() {
    insta::assert_snapshot!("broken_project_short", check("broken-project", "short"));
    insta::assert_snapshot!("broken_project_human", check("broken-project", "human"));
}
