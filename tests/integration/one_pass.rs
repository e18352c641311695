//! `brief check` is one pass: every independent problem is reported in
//! one run, each once, and at its cause. A problem in a finding's front
//! matter hides neither the rest of that front matter, nor its body, nor
//! a duplicate of its id; what follows from a problem (a meeting's
//! reference to a finding that did not parse) is not reported again.

use crate::common::{Ran, TestProject};

/// The `error:` and `warning:` lines of a short-format run.
fn problems(ran: &Ran) -> Vec<&str> {
    ran.stderr.lines().filter(|l| l.contains(": error: ") || l.contains(": warning: ")).collect()
}

/// The meeting fixture with three broken findings: one with a bad date
/// and a citation typo in its body, which the meeting names; one with a
/// `#` slip that also repeats the first one's id; one whose front matter
/// is not YAML, with a citation typo in its body, which the meeting also
/// names.
fn three_broken_findings() -> TestProject {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("date: 2012-09-19", "date: 2012-09-31")
            .replace("It bears on", "As the meeting said [@meetin], it bears on")
    });
    p.write(
        "data/findings/paper/02-copy.md",
        "---\nid: both-themes\ntitle: A copy\ndate: 2013\nthemes: [#alpha]\nsource: paper\nref: Abstract\n---\nText.\n",
    );
    p.write(
        "data/findings/paper/03-syntax.md",
        "---\nid: not-yaml\ntitle: [unclosed\ndate: 2013\n---\nAs the paper says [@papr].\n",
    );
    p.edit("data/meetings.yaml", |t| {
        t.replace("findings: [both-themes]", "findings: [both-themes, not-yaml]")
    });
    p
}

#[test]
fn two_mistakes_in_one_file_and_one_in_another_are_each_reported_once_in_one_run() {
    let p = three_broken_findings();
    let ran = p.check();
    ran.must_exit(1);
    let expected = [
        "data/findings/meeting/02-both.md:4:7: error: invalid `date`: `2012-09-31` is not a real date",
        "data/findings/meeting/02-both.md:11:23: error: unknown citation key `meetin`: no source has this id",
        "data/findings/paper/02-copy.md:5:10: error: `#alpha` is read as a comment: in YAML, `#` starts a comment",
        "data/findings/paper/03-syntax.md:4:5: error: did not find expected ',' or ']', while parsing a flow sequence",
        "data/findings/paper/03-syntax.md:6:21: error: unknown citation key `papr`: no source has this id",
        "data/findings/paper/02-copy.md:2:5: error: duplicate finding id `both-themes` (first defined in data/findings/meeting/02-both.md:2)",
    ];
    let found = problems(&ran);
    for want in expected {
        let times = found.iter().filter(|l| l.starts_with(want)).count();
        assert_eq!(times, 1, "{want:?} is reported {times} times:\n{}", ran.stderr);
    }
    // Nothing else: no meeting reference to the broken findings is
    // unknown, no agenda item draws on nothing because of them.
    let others: Vec<&&str> =
        found.iter().filter(|l| !expected.iter().any(|want| l.starts_with(want))).collect();
    assert!(
        others.iter().all(|l| l.contains("Nothing to draw on")),
        "reported besides the mistakes: {others:#?}"
    );
    assert!(ran.stderr.contains("error: the corpus has 6 errors"), "{}", ran.stderr);
    // The meeting's reference to the finding that gave none is counted at
    // that finding's problem.
    p.run(&["check"]).must_report(
        1,
        &["= hint: 1 reference to what this file defines is not checked until this is fixed"],
    );
}

#[test]
fn a_hashtag_slip_is_hinted_where_it_is_written() {
    let p = TestProject::from_fixture("basic");
    p.edit("data/findings/paper/01-undated.md", |t| {
        t.replace("themes: [alpha]", "tags: [#alpha, #beta]")
    });
    let ran = p.run(&["check"]);
    ran.must_report(
        1,
        &[
            "= hint: write `alpha` without the `#`, or in quotes (\"#alpha\") if the `#` belongs to it",
            "= hint: write `beta` without the `#`, or in quotes (\"#beta\") if the `#` belongs to it",
        ],
    );
    let short = p.check();
    let found = problems(&short);
    assert_eq!(
        found,
        [
            "data/findings/paper/01-undated.md:5:8: error: `#alpha` is read as a comment: in YAML, `#` starts a comment",
            "data/findings/paper/01-undated.md:5:16: error: `#beta` is read as a comment: in YAML, `#` starts a comment",
        ],
        "{}",
        short.stderr
    );
}

#[test]
fn once_the_mistakes_are_mended_the_corpus_checks() {
    let p = three_broken_findings();
    p.edit("data/findings/meeting/02-both.md", |t| {
        t.replace("2012-09-31", "2012-09-19").replace("[@meetin]", "[@meeting]")
    });
    p.edit("data/findings/paper/02-copy.md", |t| {
        t.replace("[#alpha]", "[alpha]").replace("id: both-themes", "id: copy")
    });
    p.edit("data/findings/paper/03-syntax.md", |t| {
        t.replace("[unclosed", "Closed\nthemes: [beta]\nsource: paper\nref: Abstract")
            .replace("[@papr]", "[@paper]")
    });
    p.check().must_exit(0);
}
