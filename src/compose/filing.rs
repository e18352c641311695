//! Filing: sections claim findings; the first section to claim a finding
//! files (prints) it and numbers it, every other claiming section refers
//! to it. Theme chapters use it today; a meeting's agenda items can use it
//! the same way. Pure.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::model::Finding;

/// A reference to a finding printed somewhere in the book: its number and
/// the label of the place it is printed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingRef {
    /// The finding's number in the book.
    pub number: usize,
    /// The Typst label of the finding (`f-12`).
    pub label: String,
}

/// The Typst label of the finding numbered `number`: the one place finding
/// labels are made.
pub fn finding_label(number: usize) -> String {
    format!("f-{number}")
}

/// The Typst label of a source's entry in the list of sources.
pub fn source_label(id: &str) -> String {
    format!("src-{id}")
}

/// Where each finding of a book is printed, and its number.
#[derive(Debug)]
pub struct Filing<'c> {
    /// Per section, the findings it prints, in print order.
    pub sections: Vec<Vec<&'c Finding>>,
    numbers: BTreeMap<&'c str, usize>,
    homes: BTreeMap<&'c str, usize>,
}

impl<'c> Filing<'c> {
    /// Files `findings` into `sections` sections: `home` names the section
    /// that prints a finding (none: the finding is not in the book), and
    /// `order` sorts a section. Numbers run through the sections in order.
    pub fn new(
        findings: &[&'c Finding],
        sections: usize,
        home: impl Fn(&Finding) -> Option<usize>,
        order: impl Fn(&Finding, &Finding) -> Ordering,
    ) -> Self {
        let mut filed: Vec<Vec<&Finding>> = vec![Vec::new(); sections];
        for finding in findings {
            if let Some(section) = home(finding) {
                filed[section].push(finding);
            }
        }
        let mut numbers = BTreeMap::new();
        let mut homes = BTreeMap::new();
        for (section, findings) in filed.iter_mut().enumerate() {
            findings.sort_by(|a, b| order(a, b));
            for f in findings.iter() {
                numbers.insert(f.id.as_str(), numbers.len() + 1);
                homes.insert(f.id.as_str(), section);
            }
        }
        Self { sections: filed, numbers, homes }
    }

    /// Gives each filed finding the number `number` says it has (an
    /// edition's record), keeping its own where it says none.
    pub fn renumber(&mut self, number: impl Fn(&str) -> Option<u32>) {
        for (id, n) in self.numbers.iter_mut() {
            if let Some(given) = number(id) {
                *n = given as usize;
            }
        }
    }

    /// The number of a filed finding.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.numbers.get(id).copied()
    }

    /// A reference to a filed finding.
    pub fn cite(&self, id: &str) -> Option<FindingRef> {
        self.number(id).map(|number| FindingRef { number, label: finding_label(number) })
    }

    /// References to findings, sorted by number; unfiled ones are skipped.
    pub fn cites<'f>(&self, findings: impl IntoIterator<Item = &'f Finding>) -> Vec<FindingRef> {
        let mut refs: Vec<FindingRef> =
            findings.into_iter().filter_map(|f| self.cite(&f.id)).collect();
        refs.sort();
        refs
    }

    /// The section a finding is printed in.
    pub fn home(&self, id: &str) -> Option<usize> {
        self.homes.get(id).copied()
    }

    /// The findings `section` claims but another section prints, by
    /// number.
    pub fn claimed_elsewhere(
        &self,
        section: usize,
        findings: &[&'c Finding],
        claims: impl Fn(&Finding) -> bool,
    ) -> Vec<&'c Finding> {
        let mut found: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| self.home(&f.id).is_some_and(|h| h != section) && claims(f))
            .collect();
        found.sort_by_key(|f| self.number(&f.id));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, themes: &[&str]) -> Finding {
        Finding {
            id: id.into(),
            title: id.into(),
            date: None,
            themes: themes.iter().map(|t| t.to_string()).collect(),
            source: "s".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_first_claim_files_and_numbers_the_rest_refer() {
        let all = [finding("b", &["y", "x"]), finding("a", &["x"]), finding("c", &["z"])];
        let findings: Vec<&Finding> = all.iter().collect();
        let sections = ["x", "y"];
        let home = |f: &Finding| f.themes.iter().find_map(|t| sections.iter().position(|s| s == t));
        let filing = Filing::new(&findings, 2, home, |a, b| a.id.cmp(&b.id));
        let ids = |s: &[&Finding]| s.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&filing.sections[0]), ["a"]);
        assert_eq!(ids(&filing.sections[1]), ["b"]);
        assert_eq!(
            (filing.number("a"), filing.number("b"), filing.number("c")),
            (Some(1), Some(2), None)
        );
        let elsewhere =
            filing.claimed_elsewhere(0, &findings, |f| f.themes.iter().any(|t| t == "x"));
        assert_eq!(ids(&elsewhere), ["b"]);
        assert_eq!(filing.cite("b").unwrap().label, "f-2");
    }
}
