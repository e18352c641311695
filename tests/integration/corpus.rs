//! The shipped corpus: its invariants and its coverage of the three seed
//! documents (issue 3).

use std::collections::BTreeSet;

use crate::common::shipped;
use brief::corpus::{self, model::Role};
use brief::select::{Query, select};

fn must_load() -> corpus::Loaded {
    let loaded = corpus::load(&shipped()).unwrap();
    assert!(
        loaded.diagnostics.is_empty(),
        "the shipped corpus has problems:\n{}",
        brief::diag::render(
            &loaded.files,
            &loaded.diagnostics,
            brief::diag::DiagnosticFormat::Short
        )
    );
    loaded
}

#[test]
fn shipped_corpus_is_clean_and_every_reference_resolves() {
    let loaded = must_load();
    let c = &loaded.corpus;
    // Ids unique within each kind.
    let unique = |ids: Vec<&str>| ids.len() == ids.iter().collect::<BTreeSet<_>>().len();
    assert!(unique(c.findings.iter().map(|f| f.id.as_str()).collect()));
    assert!(unique(c.events.iter().map(|e| e.id.as_str()).collect()));
    assert!(unique(c.participants.iter().map(|p| p.id.as_str()).collect()));
    // Every reference resolves (validation checks these too; this states
    // the invariant independently of it).
    for f in &c.findings {
        assert!(!f.themes.is_empty(), "{} has no theme", f.id);
        assert!(f.themes.iter().all(|t| c.theme(t).is_some()), "{}", f.id);
        assert!(c.source(&f.source).is_some(), "{}", f.id);
        assert!(f.issue.as_deref().is_none_or(|i| c.issue(i).is_some()), "{}", f.id);
        assert!(f.reference.is_some(), "{} has no ref", f.id);
        assert!(!brief::corpus::markdown::plain_text(&f.body).trim().is_empty(), "{}", f.id);
    }
    for e in &c.events {
        assert!(
            c.source(&e.source).is_some() && e.themes.iter().all(|t| c.theme(t).is_some()),
            "{}",
            e.id
        );
    }
    for p in &c.participants {
        assert!(c.source(&p.source).is_some(), "{}", p.id);
    }
    for i in &c.issues {
        assert!(
            i.positions.keys().all(|k| k.as_str().is_some_and(|k| c.party(k).is_some())),
            "{}",
            i.id
        );
    }
}

#[test]
fn covers_the_consultation_article_and_paper() {
    let c = must_load().corpus;
    let refs: BTreeSet<u32> = c
        .findings
        .iter()
        .filter(|f| f.source == "pugwash-2012")
        .filter_map(|f| f.reference.as_deref()?.strip_prefix("para. ")?.parse().ok())
        .collect();
    assert_eq!(refs, (1..=35).collect(), "one finding per numbered paragraph");
    let numbered = c
        .findings
        .iter()
        .filter(|f| {
            f.source == "pugwash-2012"
                && f.reference.as_deref().is_some_and(|r| r.starts_with("para. "))
        })
        .count();
    assert_eq!(numbered, 35);
    assert!(c.findings.iter().any(|f| f.reference.as_deref() == Some("Summary, para. 1")));

    let count = |source: &str, role: Role| {
        c.participants.iter().filter(|p| p.source == source && p.role == role).count()
    };
    assert_eq!(count("pugwash-2012", Role::Participant), 29);
    assert_eq!(count("usip-paper", Role::Author), 4);
    assert!(c.events.len() >= 15, "{} events", c.events.len());
    for section in [
        "Abstract",
        "Section 1",
        "Section 2",
        "Section 3",
        "Recommendations, both states",
        "Recommendations, the United States",
        "Recommendations, what Pakistan needed",
        "Conclusion",
    ] {
        assert!(
            c.findings.iter().any(|f| f.source == "conflicts-2008-2019"
                && f.reference.as_deref().is_some_and(|r| r.starts_with(section))),
            "no article finding from {section}"
        );
    }
    assert!(c.findings.iter().filter(|f| f.source == "usip-paper").count() >= 4);
}

#[test]
fn unknown_stays_unknown() {
    let c = must_load().corpus;
    // The seeds give no date for the article or the paper, and no authors
    // for the article: the corpus must not guess them.
    assert_eq!(c.source("conflicts-2008-2019").unwrap().date, None);
    assert_eq!(c.source("usip-paper").unwrap().date, None);
    assert!(!c.participants.iter().any(|p| p.source == "conflicts-2008-2019"));
    assert!(c.findings.iter().filter(|f| f.source != "pugwash-2012").all(|f| f.date.is_none()));
    assert_eq!(
        c.source("pugwash-2012").unwrap().date.map(|d| d.to_string()).as_deref(),
        Some("2012-09-19")
    );
}

#[test]
fn every_theme_yields_a_book_and_afghanistan_a_full_one() {
    let c = must_load().corpus;
    for theme in &c.themes {
        let v = c.visible_to(None);
        let s = select(&v, Query { themes: vec![theme.id.clone()], ..Default::default() });
        assert!(s.findings.len() >= 3, "theme {} has {} findings", theme.id, s.findings.len());
    }
    let v = c.visible_to(None);
    let s = select(&v, Query { themes: vec!["afghanistan".into()], ..Default::default() });
    assert!(!s.events.is_empty() && !s.issues.is_empty() && !s.participants.is_empty());
}
