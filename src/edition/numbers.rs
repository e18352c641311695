//! Finding numbers that hold across editions. A number printed in one
//! edition of a book, for one audience, means the same finding in the
//! next: a finding keeps the number the last edition gave it, a new one
//! takes the next number never issued (in book order), and a withdrawn
//! finding's number is not issued again. A first edition, or the first
//! after an edition that recorded no numbers, numbers in book order.
//! Pure.

use std::collections::BTreeMap;

use super::{FORMAT, Kind, Record};

/// The number of each finding of a book.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Numbers {
    by_id: BTreeMap<String, u32>,
    /// The highest number issued, now or before.
    pub highest: u32,
    /// The edition before recorded no numbers: these start afresh.
    pub afresh: bool,
}

impl Numbers {
    /// The numbers of the findings `order` lists (in book order), after
    /// the edition `last` (if any).
    pub fn assign<'a>(last: Option<&Record>, order: impl IntoIterator<Item = &'a str>) -> Numbers {
        let kept: BTreeMap<&str, u32> = last
            .into_iter()
            .flat_map(|r| &r.items)
            .filter(|i| i.kind == Kind::Finding)
            .filter_map(|i| Some((i.id.as_str(), i.number?)))
            .collect();
        let issued = last.map_or(0, |r| r.numbered.max(kept.values().copied().max().unwrap_or(0)));
        let mut numbers = Numbers {
            by_id: BTreeMap::new(),
            highest: issued,
            afresh: last.is_some_and(|r| r.format != FORMAT),
        };
        for id in order {
            let number = match kept.get(id) {
                Some(&n) => n,
                None => {
                    numbers.highest += 1;
                    numbers.highest
                }
            };
            numbers.by_id.insert(id.to_string(), number);
        }
        numbers
    }

    /// A finding's number.
    pub fn of(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Item;

    fn record(numbered: u32, items: &[(&str, Option<u32>)]) -> Record {
        let item = |(id, number): &(&str, Option<u32>)| Item {
            kind: Kind::Finding,
            id: id.to_string(),
            title: id.to_string(),
            hash: String::new(),
            number: *number,
            parts: BTreeMap::new(),
        };
        Record {
            format: FORMAT.into(),
            book: "b".into(),
            edition: 1,
            date: "2026-11-01".into(),
            audience: None,
            since: None,
            items: items.iter().map(item).collect(),
            numbered,
        }
    }

    #[test]
    fn a_first_edition_numbers_in_book_order() {
        let n = Numbers::assign(None, ["c", "a", "b"]);
        assert_eq!((n.of("c"), n.of("a"), n.of("b"), n.highest), (Some(1), Some(2), Some(3), 3));
        assert!(!n.afresh);
    }

    #[test]
    fn numbers_hold_a_new_finding_takes_the_next_and_a_withdrawn_one_is_not_reissued() {
        let last = record(4, &[("a", Some(1)), ("b", Some(2)), ("c", Some(3)), ("d", Some(4))]);
        // `x` is inserted between a and b; `c` is withdrawn.
        let n = Numbers::assign(Some(&last), ["a", "x", "b", "d", "y"]);
        assert_eq!(n.of("a"), Some(1));
        assert_eq!(n.of("b"), Some(2));
        assert_eq!(n.of("d"), Some(4));
        assert_eq!((n.of("x"), n.of("y")), (Some(5), Some(6)));
        assert_eq!(n.highest, 6);
        // The next edition, after `y` is withdrawn, never issues 6 again.
        let after = record(6, &[("a", Some(1)), ("x", Some(5))]);
        assert_eq!(Numbers::assign(Some(&after), ["a", "z"]).of("z"), Some(7));
    }

    #[test]
    fn an_edition_that_recorded_no_numbers_is_followed_by_fresh_ones() {
        let old =
            Record { format: "brief-edition/1".into(), ..record(0, &[("a", None), ("b", None)]) };
        let n = Numbers::assign(Some(&old), ["b", "a"]);
        assert_eq!((n.of("b"), n.of("a")), (Some(1), Some(2)));
        assert!(n.afresh);
    }
}
