//! Content is data (issue 4): whatever a finding holds is printed as
//! written, never run, and nothing outside the corpus is ever read.

use std::fs;

use crate::common::{self, assert_printed, squash};
use brief::corpus::markdown::{self, plain_text};
use proptest::prelude::*;

/// Renders one body through the real converter, templates and compiler;
/// returns the converted plain text and the laid-out text.
fn render_body(body: &str) -> (String, String) {
    let (plain, rendered) = render_one(body);
    (plain, rendered.text().join("\n"))
}

fn render_one(body: &str) -> (String, brief::render::Rendered) {
    let plain = plain_text(&markdown::convert(body, &mut |_, _| None));
    (plain, common::must_render_body(body))
}

/// Characters that are not drawn: controls, invisible format characters and
/// the Hangul fillers (all default-ignorable code points).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}')
        || matches!(c, '\u{ad}' | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fffd}')
}

fn markdownish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("#"),
        Just("*"),
        Just("_"),
        Just("`"),
        Just("$"),
        Just("@"),
        Just("<"),
        Just(">"),
        Just("\\"),
        Just("["),
        Just("]"),
        Just("("),
        Just(")"),
        Just("|"),
        Just("- "),
        Just("1. "),
        Just("\n"),
        Just("\n\n"),
        Just(" "),
        Just("    "),
        Just("#import \"x\""),
        Just("#read(\"/etc/passwd\")"),
        Just("#{1/0}"),
        Just("$ x^2 $"),
        Just("<lbl>"),
        Just("@ref"),
        Just("```"),
        Just("~~"),
        Just("[^1]"),
        Just("\n[^1]: note"),
        Just("| a | b |\n|---|---|\n"),
        Just("> "),
        Just("&amp;"),
        Just("&#0;"),
        Just("پاکستان"),
        Just("العربية"),
        Just("word"),
        Just("https://x.org/?q=a&b=%20#f"),
        Just("\u{202e}"),
        Just("\u{0}"),
        Just(
            "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        ),
    ];
    prop::collection::vec(token, 1..40).prop_map(|t| t.concat())
}

proptest! {
    // A fixed seed keeps CI deterministic; set PROPTEST_CASES and change
    // the seed locally to explore further.
    #![proptest_config(ProptestConfig {
        cases: 40,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x62_7269_6566),
        ..ProptestConfig::default()
    })]

    /// Markdown-shaped hostile text: never a panic, never a compile error,
    /// and the converted text is all printed.
    #[test]
    fn markdownish_text_compiles_and_is_printed(body in markdownish()) {
        let (plain, printed) = render_body(&body);
        let printed = squash(&printed);
        // Control and invisible formatting characters (bidi controls,
        // joiners) are not drawn; every other character is, as many times
        // as written. Right-to-left runs are laid out in visual order, so
        // count characters rather than compare order.
        let count = |text: &str| {
            let mut counts = std::collections::BTreeMap::new();
            for c in text.chars().filter(|c| !invisible(*c)) {
                *counts.entry(c).or_insert(0) += 1;
            }
            counts
        };
        let printed = count(&printed);
        for (c, n) in count(&squash(&plain)) {
            prop_assert!(printed.get(&c).copied().unwrap_or(0) >= n, "lost {:?} from {:?}", c, plain);
        }
    }

    /// Arbitrary Unicode, the same way.
    #[test]
    fn arbitrary_text_compiles(body in "\\PC{0,200}") {
        let (plain, printed) = render_body(&body);
        let printed = squash(&printed);
        for c in squash(&plain).chars().filter(|c| c.is_alphanumeric() && !invisible(*c)) {
            prop_assert!(printed.contains(c), "lost {:?}", c);
        }
    }
}

#[test]
fn typst_syntax_in_a_finding_is_printed_not_run() {
    let body = r#"#read("/etc/passwd") #include "/etc/passwd" #import "@preview/cetz:0.2.0": * #image("/etc/passwd") #panic("boom") #let x = 1 #x $ x $ <l> @l"#;
    let (_, printed) = render_body(body);
    // Prose quotes are typographic; every other character is as written.
    let straight: String =
        printed.chars().map(|c| if matches!(c, '“' | '”') { '"' } else { c }).collect();
    assert_printed(&squash(&straight), body);
    assert!(printed.contains("#read(“/etc/passwd”)"), "{printed}");
    assert!(!printed.contains("root:"), "a file was read");
}

#[test]
fn images_outside_the_corpus_are_errors_naming_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("findings")).unwrap();
    fs::write(data.join("themes.yaml"), "- id: t\n  title: T\n  description: D.\n").unwrap();
    fs::write(
        data.join("sources.yaml"),
        "- id: s\n  short: S\n  kind: k\n  date: 2012\n  abstract: A.\n",
    )
    .unwrap();
    fs::write(dir.path().join("secret.png"), b"not for the book").unwrap();
    let finding = |name: &str, body: &str| {
        fs::write(
            data.join("findings").join(name),
            format!(
                "---\nid: {}\ntitle: T\ndate: 2012\nthemes: [t]\nsource: s\n---\n{body}\n",
                name.trim_end_matches(".md")
            ),
        )
        .unwrap()
    };
    finding("up.md", "![secret](../../secret.png)");
    finding("abs.md", "![passwd](/etc/passwd)");
    finding("gone.md", "![gone](nothing-here.png)");
    let loaded = brief::corpus::load(&data).unwrap();
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == brief::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.path.file_name().unwrap().to_string_lossy(), d.problem))
        .collect();
    assert_eq!(
        errors,
        [
            "abs.md: image `/etc/passwd` is an absolute path: images must lie inside the corpus directory",
            "gone.md: image `nothing-here.png` does not exist",
            "up.md: image `../../secret.png` lies outside the corpus directory",
        ]
    );
    assert!(loaded.images.is_empty(), "no outside file is served");
}

#[test]
fn long_words_urls_and_code_wrap_inside_the_margins() {
    let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(6);
    let url = format!("https://example.org/{}?q={}&r=%20", "a/b-c_d.e".repeat(20), "x".repeat(80));
    let body = format!(
        "{word} and <{url}> and [a link]({url}).\n\n`{code}`\n\n```\n{code} {code}\n```\n\n| {word} | b |\n|---|---|\n| {url} | c |\n",
        code = "let_a_very_long_identifier_that_never_ends_".repeat(5)
    );
    let (_, rendered) = render_one(&body);
    let margin = 15.0 * 72.0 / 25.4; // every margin is at least 20 mm
    for (i, page) in rendered.extents().iter().enumerate() {
        assert!(
            page.left >= margin && page.right <= page.width - margin,
            "page {} text runs into the margin: {page:?}",
            i + 1
        );
    }
    let printed = squash(&rendered.text().join(""));
    assert!(printed.contains(&squash(&word)), "the long word is printed whole");
}

/// Math is the one place a note's text becomes Typst, and only as math
/// (issue 26): TeX that tries anything else, or too much, is printed as
/// written with a warning, never run, never reads a file, never hangs.
#[test]
fn hostile_math_is_printed_as_its_tex_and_never_run() {
    use brief::corpus::markdown::{Flavour, Notice, convert_flavoured};
    let nested = format!("{}x{}", "{".repeat(200), "}".repeat(200));
    let scripts = format!("x{}2", "^".repeat(300));
    let refused = [
        r"\input{/etc/passwd}",
        r#"#import "x""#,
        r#"#read("/etc/passwd")"#,
        r#""\u{41}""#,
        r"a \\ b",
        r"\frac{1}",
        r"\mathbb{R} \newcommand{\x}{y}",
        &nested,
        &scripts,
    ];
    // Unbalanced braces are not math to the parser: text, as written.
    let unbalanced = [r"{x", r"x}", r"x}{", r"\sqrt{x"];
    let mut body: String = refused.iter().map(|tex| format!("Refused ${tex}$ here.\n\n")).collect();
    body.extend(unbalanced.iter().map(|tex| format!("Text ${tex}$ here.\n\n")));
    // A string in math is text, whatever it says.
    body.push_str(r#"Converted $\text{#read("/etc/passwd") \u0041}$ and $$\frac{1}{2}$$ too."#);
    let converted = convert_flavoured(&body, &mut |_, _| None, None, Flavour::Obsidian);
    let warned: Vec<&str> = converted
        .notices
        .iter()
        .filter(|(_, n)| matches!(n, Notice::Unfaithful(why) if why.contains("printed as its TeX")))
        .map(|(range, _)| &body[range.clone()])
        .collect();
    let expected: Vec<String> = refused.iter().map(|tex| format!("${tex}$")).collect();
    assert_eq!(warned, expected, "one warning at each refused formula");
    let rendered = common::must_render_flavoured(&body, Flavour::Obsidian);
    let printed = squash(&rendered.text().join("\n"));
    for tex in refused.iter().chain(&unbalanced) {
        let tex = squash(&format!("${tex}$"));
        assert!(printed.contains(&tex), "not printed as written: {tex:.40}… in {printed}");
    }
    assert!(printed.contains(&squash(r#"#read("/etc/passwd") \u0041"#)), "{printed}");
    assert!(printed.contains("Converted#read"), "the text formula is typeset, without its $");
    assert!(!printed.contains("root:"), "a file was read");
    assert!(!printed.contains("\\frac{1}{2}"), "the display formula is typeset");
}
