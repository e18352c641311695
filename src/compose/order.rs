//! The order findings are printed in: by date, source and file name,
//! numbers in names compared by value. Pure.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::corpus::model::Finding;

/// The order findings are printed in within a section: dated before
/// undated, by date, by source, then in file-name order (which keeps a
/// document's own order; see data/README.md), then by id.
pub(super) fn book_order<'r>(
    ranks: &'r BTreeMap<&str, usize>,
) -> impl Fn(&Finding, &Finding) -> Ordering + 'r {
    let source_rank = |id: &str| ranks.get(id).copied().unwrap_or(usize::MAX);
    move |a: &Finding, b: &Finding| {
        (a.date.is_none(), a.date, source_rank(&a.source))
            .cmp(&(b.date.is_none(), b.date, source_rank(&b.source)))
            .then_with(|| natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy()))
            .then_with(|| a.id.cmp(&b.id))
    }
}

/// Compares strings so that digit runs compare as numbers: "para. 2" sorts
/// before "para. 10".
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (a[..da].trim_start_matches('0'), b[..db].trim_start_matches('0'));
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut names =
            vec!["f/p-10.md", "f/p-2.md", "f/p-1.md", "f/p-00-summary.md", "f/p-02x.md"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["f/p-00-summary.md", "f/p-1.md", "f/p-2.md", "f/p-02x.md", "f/p-10.md"]);
    }
}
