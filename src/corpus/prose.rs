//! Typographic punctuation for the corpus's plain-text fields (titles,
//! summaries, positions, abstracts): the same rules pulldown-cmark's smart
//! punctuation applies to finding bodies, so a book never mixes straight
//! and curly quotes. Pure.

/// Curly quotes and apostrophes, en and em dashes, and ellipses.
///
/// ```
/// use brief::corpus::prose::smarten;
/// assert_eq!(smarten(r#""No free lunch" -- it's 1990s... or---not"#), "“No free lunch” – it’s 1990s… or—not");
/// assert_eq!(smarten("'quoted' (\"inner\")"), "‘quoted’ (“inner”)");
/// ```
pub fn smarten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = out.chars().last();
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{‘“—–/".contains(p));
        match c {
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 3;
                } else {
                    out.push('–');
                    i += 2;
                }
                continue;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 3;
                continue;
            }
            '"' => out.push(if opens { '“' } else { '”' }),
            '\'' => {
                let next_is_word = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                out.push(if opens && next_is_word { '‘' } else { '’' })
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Smartens a field in place.
pub fn smarten_in(text: &mut String) {
    if text.contains(['"', '\'', '-', '.']) {
        *text = smarten(text);
    }
}

/// Smartens an optional field in place.
pub fn smarten_opt(text: &mut Option<String>) {
    if let Some(text) = text {
        smarten_in(text);
    }
}
