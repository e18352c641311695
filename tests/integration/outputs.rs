//! brief never writes over or removes a file it did not write: an output
//! (the book, `--trace`, `--emit-typ`, the copies' folder) pointed at a
//! file the book is made from is refused; numbered copies go only into a
//! new folder or one brief made, and only the copies its register lists
//! are replaced or removed.

use crate::common::TestProject;

const DATE: [&str; 2] = ["--date", "2026-11-23"];

#[track_caller]
fn must_refuse(p: &TestProject, args: &[&str], unchanged: &str, says: &str) {
    let before = p.read(unchanged);
    let ran = p.run(&[args, &DATE[..]].concat());
    ran.must_exit(2);
    assert!(ran.stderr.contains(says), "{}", ran.stderr);
    assert!(p.read(unchanged) == before, "{unchanged} was written over");
}

#[test]
fn an_output_pointed_at_an_input_is_refused() {
    let p = TestProject::from_fixture("basic");
    let finding = "data/findings/meeting/01-hostile.md";
    must_refuse(&p, &["-t", "alpha", "-o", finding], finding, "is a file the book is made from");
    must_refuse(&p, &["-t", "alpha", "--trace", "data/themes.yaml"], "data/themes.yaml", "--trace");
    must_refuse(&p, &["-t", "alpha", "--emit-typ", "data"], "data/themes.yaml", "--emit-typ");
    p.run(&[&["-t", "alpha", "-o", "out/a.pdf"][..], &DATE[..]].concat()).must_exit(0);
    must_refuse(
        &p,
        &["-t", "alpha", "-o", "out/a.pdf", "--trace", "out/a.pdf"],
        "out/a.pdf",
        "--trace",
    );
}

#[test]
fn copies_go_only_into_a_folder_brief_made() {
    let p = TestProject::from_fixture("meeting");
    let copies = ["--meeting", "round-two", "--copies-for", "attendees", "-o", "out/m.pdf"];
    p.write("out/m/register.csv", "mine\n");
    must_refuse(&p, &copies, "out/m/register.csv", "not written by brief");
    std::fs::remove_file(p.path().join("out/m/register.csv")).unwrap();
    p.write("out/m/copy-01.pdf", "my own file");
    must_refuse(&p, &copies, "out/m/copy-01.pdf", "not written by brief");
}

#[test]
fn a_rerun_removes_only_the_copies_its_register_lists() {
    let p = TestProject::from_fixture("basic");
    p.write("three.txt", "One\nTwo\nThree\n");
    p.write("two.txt", "One\nTwo\n");
    let run = |who: &str| {
        let args = ["-t", "alpha", "--copies-for", who, "-o", "out/b.pdf"];
        p.run(&[&args[..], &DATE[..]].concat()).must_exit(0);
    };
    run("three.txt");
    assert!(p.path().join("out/b/copy-03.pdf").exists());
    p.write("out/b/copy-99.pdf", "the user's");
    p.write("out/b/notes.txt", "the user's notes");
    run("two.txt");
    assert!(!p.path().join("out/b/copy-03.pdf").exists(), "the stale copy brief wrote");
    assert_eq!(p.read("out/b/copy-99.pdf"), b"the user's");
    assert_eq!(p.read("out/b/notes.txt"), b"the user's notes");
}

#[test]
fn a_failed_write_to_standard_output_is_a_failed_run() {
    let p = TestProject::from_fixture("basic");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["completions", "bash"])
        .current_dir(p.path())
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(3), "{}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn a_recipients_file_may_start_with_a_byte_order_mark() {
    let p = TestProject::from_fixture("basic");
    p.write("who.txt", "\u{feff}One\nTwo\n");
    let args = ["-t", "alpha", "--copies-for", "who.txt", "-o", "out/b.pdf"];
    p.run(&[&args[..], &DATE[..]].concat()).must_exit(0);
    let register = String::from_utf8(p.read("out/b/register.csv")).unwrap();
    assert!(register.contains("\n1,One,,copy-01.pdf,"), "{register}");
}
