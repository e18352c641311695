//! Every CommonMark 0.31.2 spec example and every GFM spec and extension
//! example, through the real converter and the embedded compiler (issue 4):
//! all of them compile in one book, without a warning, and the text of each
//! (its expected HTML with the tags dropped) is printed in its own part of
//! the book, in order.
//!
//! The examples are test data in ../shared/testdata/commonmark/: where
//! that is missing (build.rs looks), the test is reported as ignored.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::{self, squash};
use brief::compose::compose;
use brief::corpus::Corpus;
use brief::corpus::markdown;
use brief::corpus::model::{Finding, Source, Theme};
use brief::render::{RenderOptions, Templates, render};
use brief::select::{Query, select};
use brief::settings::BookSettings;

#[derive(serde::Deserialize)]
struct Example {
    example: u32,
    markdown: String,
    html: String,
    #[serde(default)]
    source: Option<String>,
}

/// Examples whose text we knowingly do not print in their own place, and
/// why. Each is still compiled.
const TREATED_DIFFERENTLY: &[(&str, &str)] = &[
    (
        "gx0023",
        "footnotes are set at the foot of the page, after the examples that follow; \
         their text is checked on the page instead",
    ),
    // Drafting comments never reach a book (corpus/comments.rs): what an
    // HTML comment holds is not printed, and text after a comment that
    // opens a block is Markdown, not the rest of a raw HTML block.
    ("cm0177", "`*bar*` after a comment that opens a block is set as emphasis"),
    ("gf0146", "`*bar*` after a comment that opens a block is set as emphasis"),
    ("gf0645", "a comment (as CommonMark 0.31 reads it) is not printed"),
    ("gf0646", "`<!-->` and `<!-- foo--->` are comments (CommonMark 0.31), not printed"),
    ("gx0022", "the HTML comments are not printed"),
];

fn load(file: &str) -> Vec<Example> {
    let path = common::root().join("../shared/testdata/commonmark").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The text a reader sees in the expected HTML: tags dropped, entities
/// decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
    }
    out.push_str(rest);
    let mut decoded = String::new();
    let mut rest = out.as_str();
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 12);
        let entity = end.map(|e| &rest[1..e]);
        let ch = match entity {
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("amp") => Some('&'),
            Some("quot") => Some('"'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (ch, end) {
            (Some(c), Some(e)) => {
                decoded.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// Typographic quotes, dashes and ellipses back to the ASCII pulldown-cmark's
/// smart punctuation makes them from.
fn ascii_punctuation(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '“' | '”' => "\"".to_string(),
            '‘' | '’' => "'".to_string(),
            '–' => "--".to_string(),
            '—' => "---".to_string(),
            '…' => "...".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Whether every character of `needle` occurs in `hay`, in order.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

fn marker(key: &str) -> String {
    format!("Example {key} starts")
}

/// Every example, keyed `cm` (CommonMark), `gf` (GFM spec) or `gx` (GFM
/// extensions) and its number.
fn examples() -> BTreeMap<String, Example> {
    let mut examples: BTreeMap<String, Example> = BTreeMap::new();
    for e in load("spec.json") {
        examples.insert(format!("cm{:04}", e.example), e);
    }
    for e in load("gfm.json") {
        let prefix = if e.source.as_deref() == Some("test/extensions.txt") { "gx" } else { "gf" };
        examples.insert(format!("{prefix}{:04}", e.example), e);
    }
    assert_eq!(examples.len(), 652 + 701);
    examples
}

/// A corpus of one theme and one source, a finding per example (titled
/// by its marker), as the real converter makes them.
fn corpus_of(examples: &BTreeMap<String, Example>) -> Corpus {
    let findings = examples
        .iter()
        .map(|(key, e)| Finding {
            id: key.clone(),
            title: marker(key),
            date: None,
            themes: vec!["spec".into()],
            source: "spec".into(),
            reference: None,
            perspective: None,
            issue: None,
            summary: None,
            key: false,
            handling: None,
            cites: vec![],
            body: markdown::convert(&e.markdown, &mut |_, _| None),
            path: PathBuf::from(key),
        })
        .collect();
    Corpus {
        themes: vec![Theme {
            id: "spec".into(),
            title: "Spec".into(),
            description: "Examples.".into(),
            aliases: vec![],
        }],
        sources: vec![Source {
            id: "spec".into(),
            short: "Spec".into(),
            title: None,
            kind: "spec".into(),
            organisation: None,
            place: None,
            date: None,
            r#abstract: "The examples.".into(),
            note: None,
            handling: None,
            seed: None,
        }],
        findings,
        ..Default::default()
    }
}

/// The book of every example through the embedded compiler, which must
/// compile it without a warning.
fn must_render(corpus: &Corpus) -> brief::render::Rendered {
    let visible = corpus.visible_to(None);
    let selection = select(&visible, Query::default());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let settings = BookSettings {
        title: Some("Spec".into()),
        handling: Some("Test".into()),
        ..Default::default()
    };
    let book = compose(&selection, &settings, as_of);
    let options = RenderOptions {
        templates: Templates::default(),
        corpus_dir: common::root(),
        images: Default::default(),
        as_of,
        ident: "spec".into(),
        standard: None,
        brand: Default::default(),
        fonts: brief::render::fonts::Fonts::shipped(),
    };
    let rendered =
        render(&book, &options).unwrap_or_else(|e| panic!("the examples do not compile: {e:?}"));
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    rendered
}

#[test]
#[cfg_attr(
    not(shared_testdata),
    ignore = "needs ../shared/testdata (the CommonMark and GFM spec examples)"
)]
fn every_spec_example_compiles_and_prints_its_text() {
    let examples = examples();
    let rendered = must_render(&corpus_of(&examples));

    // Split the findings part of the book at each example's marker.
    let text = squash(&rendered.text().join("\n"));
    let start = text.find(&squash("Findings by theme")).unwrap();
    let text = &text[start..];
    let keys: Vec<&String> = examples.keys().collect();
    let mut failures = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let from = text.find(&squash(&marker(key))).unwrap_or_else(|| panic!("{key} not printed"));
        let to =
            keys.get(i + 1).map_or(text.len(), |next| text.find(&squash(&marker(next))).unwrap());
        // Smart punctuation is on: compare typographic marks as the ASCII
        // they were written as.
        let segment = ascii_punctuation(&text[from..to]);
        let expected = squash(&html_text(&examples[*key].html));
        if !is_subsequence(&expected, &segment)
            && !TREATED_DIFFERENTLY.iter().any(|(k, _)| k == key)
        {
            failures.push(format!("{key}: expected {expected:?}\n  printed {segment:?}"));
        }
    }
    // The footnote example: each definition's text is on the page.
    for note in [
        "Some bolded footnote definition.",
        "Blockquotes can be in a footnote.",
        "this is now a code block (8 spaces indentation)",
    ] {
        assert!(text.contains(&squash(note)), "footnote text missing: {note}");
    }
    eprintln!(
        "{} examples compiled; {} printed in place, {} treated differently",
        keys.len(),
        keys.len() - TREATED_DIFFERENTLY.len(),
        TREATED_DIFFERENTLY.len()
    );
    assert!(failures.is_empty(), "{} examples lost text:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn html_text_drops_tags_and_decodes_entities() {
    assert_eq!(
        html_text("<p>a &lt;b&gt; &amp; &quot;c&quot; &#35; &#x41;</p>\n"),
        "a <b> & \"c\" # A\n"
    );
    assert!(is_subsequence("ace", "abcde") && !is_subsequence("aec", "abcde"));
}
