//! "Did you mean": the nearest known name to a mistyped one, as just
//! suggests recipes. Pure.

/// The candidate nearest to `given` within an edit distance below 3; ties
/// go to the earlier candidate.
///
/// ```
/// assert_eq!(brief::suggest::nearest("afghanstan", ["india", "afghanistan"]), Some("afghanistan"));
/// assert_eq!(brief::suggest::nearest("zzzz", ["india"]), None);
/// ```
pub fn nearest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(given, c), c))
        .filter(|(d, _)| *d < 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The hint to print for a mistyped name: "did you mean `x`?", or, when
/// none is near, the names after `list` (e.g. "known: a, b"); `None` when
/// there are no names.
pub fn hint<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    list: &str,
) -> Option<String> {
    match nearest(given, candidates.clone()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            (!all.is_empty()).then(|| format!("{list}: {}", all.join(", ")))
        }
    }
}
