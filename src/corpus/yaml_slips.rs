//! The commonest YAML slip of a newcomer, found before the parser sees
//! it: a value written `#word` (`themes: [#water]`, `- #water`), which
//! YAML reads as a comment, so the value is lost and a flow list is left
//! unclosed (the parser then complains at the closing `---`). Each is
//! reported where it is written, and the text read as meant.
//!
//! No I/O; works on text already read.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use crate::diag::{Diagnostic, Problem};

/// `yaml` (found at `offset` in the file `shown`) with each `#` of a
/// `#word` value made a space, so that it reads as meant (offsets are
/// kept), and a diagnostic at each.
pub(super) fn mend<'a>(
    yaml: &'a str,
    offset: usize,
    shown: &Path,
) -> (Cow<'a, str>, Vec<Diagnostic>) {
    let found = slips(yaml);
    if found.is_empty() {
        return (Cow::Borrowed(yaml), Vec::new());
    }
    let mut bytes = yaml.as_bytes().to_vec();
    let diagnostics = found
        .into_iter()
        .map(|range| {
            bytes[range.start] = b' ';
            let word = &yaml[range.clone()];
            let bare = &word[1..];
            let at = offset + range.start..offset + range.end;
            Diagnostic::error(shown, at, Problem::HashComment(word.to_string())).with_hint(format!(
                "write `{bare}` without the `#`, or in quotes (\"{word}\") if the `#` belongs to it"
            ))
        })
        .collect();
    (Cow::Owned(String::from_utf8(bytes).expect("an ASCII byte replaced")), diagnostics)
}

/// The ranges of the `#word`s of `yaml` that stand where a value starts
/// (after `key: `, `- `, `[`, `{` or `,`) and that YAML reads as a comment.
/// A comment of prose (`# the themes`, `#the themes`) is not one, nor a
/// comment after `key:` whose value follows on the lines below, nor
/// anything inside quotes or a block scalar.
fn slips(yaml: &str) -> Vec<Range<usize>> {
    let lines: Vec<(usize, &str)> = yaml
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    let mut quote: Option<u8> = None;
    for (i, &(start, line)) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(opened) = block {
            if line.trim().is_empty() || indent > opened {
                continue;
            }
            block = None;
        }
        let bytes = line.as_bytes();
        // The last byte that was not a space, if any on this line.
        let mut last: Option<u8> = None;
        let mut j = 0;
        while j < bytes.len() {
            let b = bytes[j];
            match quote {
                Some(b'"') if b == b'\\' => j += 1,
                Some(b'\'') if b == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b' ' || b == b'\t' => {}
                None if b == b'#'
                    && (j == 0
                        || bytes[j - 1] == b' '
                        || bytes[j - 1] == b'\t'
                        || starts_value(last)) =>
                {
                    let below = last == Some(b':') && continues_below(&lines[i + 1..], indent);
                    if starts_value(last) && !below {
                        out.extend(
                            hashtags(&line[j..])
                                .into_iter()
                                .map(|r| start + j + r.start..start + j + r.end),
                        );
                    }
                    break;
                }
                None if (b == b'"' || b == b'\'') && (last.is_none() || starts_value(last)) => {
                    quote = Some(b)
                }
                None if (b == b'|' || b == b'>') && last == Some(b':') => {
                    let rest = line[j + 1..].split(" #").next().unwrap_or("");
                    if rest.trim().chars().all(|c| matches!(c, '-' | '+' | '0'..='9')) {
                        block = Some(indent);
                        break;
                    }
                }
                None => {}
            }
            if quote.is_none() && !matches!(b, b' ' | b'\t') {
                // `-` and `:` start a value only before a space.
                let spaced = bytes.get(j + 1).is_none_or(|n| *n == b' ' || *n == b'\t');
                last = match b {
                    b'-' | b':' if !spaced => Some(b'x'),
                    _ => Some(b),
                };
            } else if quote.is_some() {
                last = Some(b'"');
            }
            j += 1;
        }
    }
    out
}

/// Whether a value starts after the byte `last` (the last one of the line
/// that was not a space).
fn starts_value(last: Option<u8>) -> bool {
    matches!(last, Some(b':' | b'-' | b'[' | b'{' | b','))
}

/// Whether the value of a key whose line is indented by `indent`
/// continues on the lines below (a block list or mapping under it).
fn continues_below(below: &[(usize, &str)], indent: usize) -> bool {
    let next = below.iter().map(|(_, l)| *l).find(|l| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#')
    });
    next.is_some_and(|l| {
        let own = l.len() - l.trim_start_matches(' ').len();
        own > indent || own == indent && l.trim_start().starts_with("- ")
    })
}

/// The ranges of the `#word`s in a comment, if the comment is nothing
/// else (`#water]`, `#water, #ice]`, `#water #ice`): none for prose.
fn hashtags(comment: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for token in comment.split_inclusive([' ', ',', '\t']) {
        let start = at;
        at += token.len();
        let word = token.trim_end_matches([' ', ',', '\t']).trim_end_matches([']', '}']);
        if word.is_empty() {
            continue;
        }
        let tag = word.strip_prefix('#').filter(|rest| {
            rest.chars().next().is_some_and(char::is_alphanumeric)
                && rest.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
        });
        if tag.is_none() {
            return Vec::new();
        }
        out.push(start..start + word.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(yaml: &str) -> Vec<&str> {
        slips(yaml).into_iter().map(|r| &yaml[r]).collect()
    }

    #[test]
    fn hashtag_values_are_slips() {
        assert_eq!(found("id: a\nthemes: [#water]\n"), ["#water"]);
        assert_eq!(found("tags: [#water, #ice]\n"), ["#water", "#ice"]);
        assert_eq!(found("themes:\n  - #water\n  - ice\n"), ["#water"]);
        assert_eq!(found("source: #meeting\nid: a\n"), ["#meeting"]);
        assert_eq!(found("tags: {#x}\n"), ["#x"]);
    }

    #[test]
    fn comments_are_not_slips() {
        assert!(found("# a comment\nid: a # the id\n").is_empty());
        assert!(found("#todo\nid: a\n").is_empty());
        assert!(found("id: a #todo\n").is_empty());
        assert!(found("themes: #the themes\n  - water\n").is_empty());
        assert!(found("themes: #list\n- water\n").is_empty());
        assert!(found("themes: [ # water and ice\n  water ]\n").is_empty());
        assert!(found("title: \"[#water]\"\nsummary: '- #x'\n").is_empty());
        assert!(found("summary: |\n  - #water\n  [#ice]\nid: a\n").is_empty());
        assert!(found("title: Meeting#3\nid: a-#b\n").is_empty());
    }

    #[test]
    fn mending_keeps_offsets_and_reports_each() {
        let yaml = "id: a\nthemes: [#water, #ice]\n";
        let (mended, diagnostics) = mend(yaml, 4, Path::new("f.md"));
        assert_eq!(mended, "id: a\nthemes: [ water,  ice]\n");
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(diagnostics[0].range, 4 + 15..4 + 21);
        assert_eq!(diagnostics[0].problem, Problem::HashComment("#water".into()));
        assert_eq!(
            diagnostics[0].hints,
            ["write `water` without the `#`, or in quotes (\"#water\") if the `#` belongs to it"]
        );
    }
}
