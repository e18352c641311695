//! Every brief.toml mistake is located at its own key and exits 1, the
//! files it names (logo, `.csl` style) included, whether `check` or a
//! build meets it; the same mistake made with a flag is the flag's (a
//! usage or I/O error, with no place in brief.toml).

use crate::common::TestProject;

const SHORT: [&str; 2] = ["--diagnostic-format", "short"];

/// The `brief.toml:LINE:COL: error:` lines of a run's stderr.
fn located(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("brief.toml:") && l.contains(": error: ")).collect()
}

#[track_caller]
fn must_locate(p: &TestProject, args: &[&str], expected: &[&str]) {
    let ran = p.run(args);
    ran.must_exit(1);
    let lines = located(&ran.stderr);
    assert_eq!(lines.len(), expected.len(), "{}", ran.stderr);
    for (line, want) in lines.iter().zip(expected) {
        assert!(line.starts_with(want), "{line:?} does not start with {want:?}\n{}", ran.stderr);
    }
}

#[test]
fn a_meeting_an_audience_and_a_logo_are_each_located_at_their_own_key() {
    let p = TestProject::from_fixture("basic");
    p.write(
        "brief.toml",
        "[[book]]\nname = \"one\"\nmeeting = \"no-such-meeting\"\n\n[[book]]\nname = \"two\"\nthemes = [\"alpha\"]\naudience = \"nobody\"\nlogo = \"brand/missing.png\"\n",
    );
    let expected = [
        "brief.toml:3:11: error: unknown meeting `no-such-meeting`",
        "brief.toml:8:12: error:",
        "brief.toml:9:8: error: invalid `logo`: ",
    ];
    must_locate(&p, &["check", "--diagnostic-format", "short"], &expected);
    let build = ["build", "--all", "--date", "2026-11-23", SHORT[0], SHORT[1]];
    let ran = p.run(&build);
    ran.must_exit(1);
    // A build stops each book at its first problem; check reports them all.
    for want in &expected[..2] {
        assert!(located(&ran.stderr).iter().any(|l| l.starts_with(want)), "{}", ran.stderr);
    }
    assert!(!p.path().join("out/one.pdf").exists() && !p.path().join("out/two.pdf").exists());
}

#[test]
fn a_default_logo_outside_the_project_spoils_an_ad_hoc_book_at_its_key() {
    let outside = tempfile::tempdir().unwrap();
    let logo = outside.path().join("logo.png");
    std::fs::copy(crate::common::root().join("tests/fixtures/one-pixel.png"), &logo).unwrap();
    let p = TestProject::from_fixture("basic");
    p.write("brief.toml", format!("[defaults]\nhandling = \"x\"\nlogo = {:?}\n", logo));
    let args = ["--theme", "alpha", "--date", "2026-11-23", SHORT[0], SHORT[1]];
    must_locate(&p, &args, &["brief.toml:3:8: error: invalid `logo`: "]);
    let ran = p.run(&args);
    assert!(ran.stderr.contains("lies outside the project directory"), "{}", ran.stderr);
    must_locate(&p, &["check", SHORT[0], SHORT[1]], &["brief.toml:3:8: error: invalid `logo`: "]);
}

#[test]
fn the_same_mistake_made_with_a_flag_is_the_flags() {
    let p = TestProject::from_fixture("basic");
    let ran = p.run(&["--theme", "alpha", "--logo", "brand/missing.png", SHORT[0], SHORT[1]]);
    ran.must_exit(3);
    assert!(located(&ran.stderr).is_empty(), "{}", ran.stderr);
    assert!(ran.stderr.contains("brand/missing.png"), "{}", ran.stderr);
    // A flag overrides brief.toml's value, and its problem is not located.
    p.write("brief.toml", "[defaults]\naudience = \"nobody\"\n");
    let ran = p.run(&["--theme", "alpha", "--audience", "nobody-either"]);
    ran.must_exit(2);
    assert!(ran.stderr.contains("nobody-either"), "{}", ran.stderr);
    assert!(located(&ran.stderr).is_empty(), "{}", ran.stderr);
}
