//! What the Markdown converter noticed in a finding's body, as
//! diagnostics: a citation of no known source (with the nearest key),
//! nesting set flat, links that are not live, images without alt text,
//! tables too wide. No I/O here.

use std::ops::Range;
use std::path::Path;

use super::file::Split;
use super::keys::SourceKeys;
use super::markdown::{MAX_NESTING, Notice};
use crate::diag::{Diagnostic, Problem};

/// The diagnostics of a finding's notices, in order: `split` is the
/// finding file the body was taken from, `keys` the source keys its
/// citations were checked against.
pub(super) fn diagnostics(
    path: &Path,
    split: &Split,
    notices: Vec<(Range<usize>, Notice)>,
    keys: &SourceKeys,
) -> Vec<Diagnostic> {
    let warning = |range, problem| Some(Diagnostic::error(path, range, problem).warning());
    notices
        .into_iter()
        .filter_map(|(range, notice)| {
            let range = first_line(split, range);
            match notice {
                Notice::UnknownCitation(key, bracketed) => {
                    unknown_citation(path, range, key, bracketed, keys)
                }
                Notice::TooDeep => warning(range, Problem::TooDeep(MAX_NESTING)),
                Notice::NotLive(url) => warning(range, Problem::NotLive(url)),
                Notice::NoAlt(url) => warning(range, Problem::NoAlt(url)),
                Notice::TableTooWide(percent) => warning(range, Problem::TableTooWide(percent)),
                Notice::Unfaithful(why) => warning(range, Problem::Unfaithful(why)),
                Notice::UnclosedComment(kind) => {
                    let message = super::comments::UNCLOSED;
                    let hint = format!("close it with `{}`", kind.closer());
                    Some(
                        Diagnostic::error(path, range, Problem::Syntax(message.into()))
                            .warning()
                            .with_hint(hint),
                    )
                }
            }
        })
        .collect()
}

/// Where in the file a notice at `range` of the body points: the first
/// line of what was changed, not all of it.
fn first_line(split: &Split, range: Range<usize>) -> Range<usize> {
    let line_end = split.body[range.start..].find('\n').map_or(range.end, |n| range.start + n);
    let offset = split.body_offset;
    offset + range.start..offset + range.end.min(line_end.max(range.start + 1))
}

/// A citation of `key`, which names no source: an error, with the
/// nearest key or the list of keys; none for `@word` in running text that
/// is near no key, which is most likely not meant as a citation (a
/// handle, `@label`): it prints as text, unreported.
fn unknown_citation(
    path: &Path,
    range: Range<usize>,
    key: String,
    bracketed: bool,
    keys: &SourceKeys,
) -> Option<Diagnostic> {
    let d = Diagnostic::error(path, range, Problem::UnknownCitation(key.clone()));
    match (keys.nearest(&key), bracketed) {
        (Some(near), _) => Some(
            d.with_hint(format!("did you mean `{near}`? (write `\\@{key}` for the text itself)")),
        ),
        (None, true) => Some(
            d.with_hint(
                crate::suggest::hint(&key, keys.names(), "the source ids are")
                    .unwrap_or_else(|| "the corpus has no source".into()),
            ),
        ),
        (None, false) => None,
    }
}
