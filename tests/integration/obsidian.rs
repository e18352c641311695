//! Notes as analysts keep them in Obsidian (issue 26): a vault of our own
//! (tests/fixtures/obsidian, marked a vault by its `.obsidian` folder)
//! written in Obsidian's syntax builds with none of that syntax printed
//! outside code, its images at their widths, its links between findings
//! as links with numbers and pages, and its comments nowhere in the PDF;
//! what cannot be printed faithfully is a `check` warning at its place.

use crate::common::*;
use crate::pdf;
use brief::corpus::markdown::{self, Block, Flavour, Inline};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::Destination;

fn vault() -> std::path::PathBuf {
    fixture("obsidian")
}

/// The code line of grid-outages, which keeps its marks as written.
const CODE: &str = "[[not a link]], ==not a highlight==, #not-a-tag";

#[test]
fn a_vault_builds_with_none_of_its_syntax_printed_outside_code() {
    let built = must_make(&vault(), &[]);
    let text = laid_out(&built);
    // Code keeps its marks...
    assert_printed(&text, CODE);
    // ...and nothing else shows Obsidian's syntax.
    let rest = text.replace(&squash(CODE), "");
    for syntax in [
        "[[",
        "]]",
        "![[",
        "[!",
        "==",
        "^[",
        "%%",
        "<u>",
        "</u>",
        "<kbd>",
        "<mark>",
        "<sub>",
        "#status",
        "^gauge",
        "^observer",
        "|300",
    ] {
        assert!(!rest.contains(&squash(syntax)), "printed literally: {syntax:?}");
    }
    // Math is typeset: no TeX, no dollar.
    for tex in ["$", "\\frac", "\\sum", "P_{", "{3}"] {
        assert!(!rest.contains(&squash(tex)), "printed literally: {tex:?}");
    }
    // What they stand for is printed.
    for shown in [
        "Readings taken by one observer",
        "A second gauge upstream would check the first.",
        "The notes do not say which hour.",
        "From “River levels fell through the dry season”",
        "Readings were taken at dawn",
    ] {
        assert_printed(&text, shown);
    }
}

#[test]
fn the_tree_holds_callouts_highlights_notes_and_html_as_nodes() {
    let built = must_make(&vault(), &[]);
    let json = serde_json::to_value(&built.book).unwrap();
    let all = json.to_string();
    for kind in [
        "\"kind\":\"callout\"",
        "\"callout\":\"warning\"",
        "\"callout\":\"tip\"",
        "\"kind\":\"mark\"",
        "\"kind\":\"underline\"",
        "\"kind\":\"sub\"",
        "\"kind\":\"super\"",
        "\"kind\":\"kbd\"",
        "\"kind\":\"embed\"",
        "\"kind\":\"xref\"",
        "\"width\":300",
    ] {
        assert!(all.contains(kind), "no {kind} in the book's JSON");
    }
}

/// The text runs of a book set in the math font, and whether each is on a
/// line of its own (no run of another font within 5 pt of its baseline,
/// which a fraction's figures in running text are).
fn math_runs(built: &brief::Artifact) -> Vec<(String, bool)> {
    let (runs, _) = items(&built.rendered);
    let math = |r: &Run| r.family == "New Computer Modern Math";
    runs.iter()
        .filter(|r| math(r))
        .map(|r| {
            let alone =
                !runs.iter().any(|o| !math(o) && o.page == r.page && (o.y - r.y).abs() < 5.0);
            (r.text.clone(), alone)
        })
        .collect()
}

#[test]
fn inline_and_display_math_are_typeset_as_equations() {
    let built = must_make(&vault(), &[]);
    let math = math_runs(&built);
    let text = |alone: bool| -> String {
        math.iter().filter(|m| m.1 == alone).map(|m| m.0.as_str()).collect::<Vec<_>>().join(" ")
    };
    // `$\frac{3}{8}$` and `$P$` in running text, on lines of prose, in
    // the math font (𝑃 is the mathematical italic P)...
    assert_eq!(text(false), "3 8 𝑃", "{math:?}");
    // ...and `$$P_{max} = \sum_{i=1}^{n} p_i$$` on lines of its own, though
    // Markdown wrote it inside a paragraph.
    assert_eq!(squash(&text(true)), "𝑃𝑚𝑎𝑥=∑𝑛𝑖=1𝑝𝑖", "{math:?}");
    // The text copies out of the PDF as the formula's symbols, line by
    // line of type (scripts and limits on lines of their own, as
    // pdftotext reads them too), never as TeX; and the sentence goes on
    // after the display formula without a stray space.
    let copied = pdf::text(&built.rendered.pdf);
    for line in ["𝑛", "𝑃 = ∑ 𝑝", "𝑚𝑎𝑥 𝑖", "𝑖=1"] {
        assert!(copied.contains(&format!("\n{line}\n")), "{line:?} in {copied}");
    }
    assert!(!copied.contains("\\sum") && !copied.contains("frac"), "{copied}");
    assert!(copied.contains("\nthat fell short most evenings"), "{copied}");
    // The TeX is each formula's alternative text.
    let json = serde_json::to_value(&built.book).unwrap().to_string();
    assert!(json.contains(r#""tex":"\\frac{3}{8}""#), "{json}");
    assert!(json.contains(r#""kind":"math","tex":"P_{max} = \\sum_{i=1}^{n} p_i""#), "{json}");
}

/// Every image of the laid-out book: its page and width in points.
fn images(built: &brief::Artifact) -> Vec<(usize, f64)> {
    fn walk(frame: &Frame, page: usize, out: &mut Vec<(usize, f64)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, page, out),
                FrameItem::Image(_, size, _) => out.push((page, size.x.to_pt())),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in built.rendered.document.pages().iter().enumerate() {
        walk(&page.frame, i + 1, &mut out);
    }
    out
}

#[test]
fn an_embedded_image_is_found_by_name_and_set_at_its_width() {
    let built = must_make(&vault(), &[]);
    // `![[river-gauge.png|…|300]]` names a file in attachments/, not
    // beside the note: 300 CSS pixels are 225 pt.
    let found = images(&built);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!((found[0].1 - 225.0).abs() < 0.01, "{found:?}");
}

/// Every link to a place in the document: the page it is on and the page
/// it leads to (from 1).
fn internal_links(built: &brief::Artifact) -> Vec<(usize, usize)> {
    fn walk(frame: &Frame, page: usize, out: &mut Vec<(usize, Destination)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, page, out),
                FrameItem::Link(dest, _) => out.push((page, dest.clone())),
                _ => {}
            }
        }
    }
    let doc = &built.rendered.document;
    let mut links = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, i + 1, &mut links);
    }
    let _ = Point::zero();
    links
        .into_iter()
        .filter_map(|(from, dest)| match dest {
            Destination::Location(loc) => {
                Some((from, doc.introspector().position(loc)?.page.get()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn links_between_findings_are_links_with_number_and_page() {
    let built = must_make(&vault(), &[]);
    let text = laid_out(&built);
    // By title, by alias, by id with a label, by id and heading.
    assert_printed(&text, "Dam storage (finding 2, p. 2)");
    assert_printed(&text, "River levels fell through the dry season (finding 1, p. 1)");
    assert_printed(&text, "the grid notes (finding 3, p. 3)");
    assert_printed(&text, "Grid outages followed the low river (finding 3, p. 3)");
    // Each is a link into the document, to the page it names.
    let pages = built.rendered.text();
    let page_of = |s: &str| 1 + pages.iter().position(|p| squash(p).contains(&squash(s))).unwrap();
    let links = internal_links(&built);
    let from_first = page_of("The survey links the drop");
    let to_dam = page_of("The upper reservoir was kept near full");
    assert!(
        links.iter().filter(|(from, to)| *from == from_first && *to == to_dam).count() >= 2,
        "no link from page {from_first} to page {to_dam}: {links:?}"
    );
}

#[test]
fn comments_are_in_neither_the_text_nor_the_bytes() {
    let built = must_make(&vault(), &[]);
    let text = laid_out(&built);
    let bytes = pdf::searchable(&built.rendered.pdf);
    for comment in ["ask Sara", "read twice", "week 5 figure", "still missing"] {
        assert_not_printed(&text, comment);
        assert!(!pdf::mentions(&bytes, comment), "{comment:?} is in the PDF's bytes");
    }
}

#[test]
fn a_withheld_finding_is_never_named_by_a_link_to_it() {
    let built = must_make(&vault(), &["--audience", "public"]);
    let text = laid_out(&built);
    // The link with a label of its own prints the label; the one without
    // prints nothing of the finding.
    assert_printed(&text, "and a site report say why");
    let bytes = pdf::searchable(&built.rendered.pdf);
    for name in ["switching yard", "Keld", "restricted-site"] {
        assert_not_printed(&text, name);
        assert!(!pdf::mentions(&bytes, name), "{name:?} is in the PDF's bytes");
    }
    // For everyone, the same link is a cross-reference.
    let text = laid_out(&must_make(&vault(), &[]));
    assert_printed(&text, "The switching yard at Keld (finding 4");
}

#[test]
fn check_warns_at_what_it_cannot_print_faithfully() {
    let project = TestProject::from_fixture("obsidian");
    project.edit("data/findings/field-notes/02-dam-storage.md", |t| {
        t.replace("as the operators confirmed.", "as [[Nowhere]] and <blink>this</blink> say.")
    });
    project.check().must_report(
        0,
        &[
            "data/findings/field-notes/02-dam-storage.md:10:32: warning: this link names no finding",
            "data/findings/field-notes/02-dam-storage.md:10:48: warning: brief does not set HTML's `<blink>`",
            "data/findings/field-notes/03-grid-outages.md:22:1: warning: a `mermaid` block is drawn by an Obsidian plugin",
        ],
    );
}

#[test]
fn an_embed_cycle_is_an_error_at_the_embed() {
    let project = TestProject::from_fixture("obsidian");
    project.edit("data/findings/field-notes/04-restricted-site.md", |t| {
        format!("{t}\n![[grid-outages]]\n")
    });
    project.edit("data/findings/field-notes/03-grid-outages.md", |t| {
        t.replace("Where it comes from:", "![[restricted-site]]\n\nWhere it comes from:")
    });
    project.check().must_report(
        1,
        &[
            "data/findings/field-notes/03-grid-outages.md:12:1: error: this embed makes a cycle",
            "data/findings/field-notes/04-restricted-site.md:12:1: error: this embed makes a cycle",
        ],
    );
}

#[test]
fn the_setting_in_brief_toml_turns_obsidian_off_and_on() {
    // Off: the vault's syntax is CommonMark text.
    let project = TestProject::from_fixture("obsidian");
    project.write("brief.toml", "[corpus]\nobsidian = false\n");
    let built = must_make(&project.path().join("data"), &[]);
    assert_printed(&laid_out(&built), "[[Dam storage]]");
    // On, without a `.obsidian` folder anywhere.
    let project = TestProject::from_fixture("basic");
    project.edit("data/findings/meeting/02-both.md", |t| format!("{t}\n==marked==\n"));
    let text = laid_out(&must_make(&project.path().join("data"), &[]));
    assert_printed(&text, "==marked==");
    project.write("brief.toml", "[corpus]\nobsidian = true\n");
    let text = laid_out(&must_make(&project.path().join("data"), &[]));
    assert_not_printed(&text, "==marked==");
    assert_printed(&text, "marked");
    // A value that is not a boolean is an error at its place.
    project.write("brief.toml", "[corpus]\nobsidian = \"yes\"\n");
    project.check().must_report(1, &["brief.toml:2:12: error:"]);
}

#[test]
fn the_same_note_reads_otherwise_in_each_flavour() {
    let md = "A [[Note|label]] ==hi== ^[note] #tag <u>u</u>";
    let common = markdown::convert_flavoured(md, &mut |_, _| None, None, Flavour::CommonMark);
    assert_eq!(
        markdown::plain_text(&common.blocks),
        "A [[Note|label]] ==hi== ^[note] #tag <u>u</u>"
    );
    let obsidian = markdown::convert_flavoured(md, &mut |_, _| None, None, Flavour::Obsidian);
    let Block::Para { c } = &obsidian.blocks[0] else { panic!("{:?}", obsidian.blocks) };
    assert!(matches!(&c[1], Inline::Xref { own: true, .. }), "{c:?}");
    assert!(c.iter().any(|i| matches!(i, Inline::Mark { .. })), "{c:?}");
    assert!(c.iter().any(|i| matches!(i, Inline::Note { .. })), "{c:?}");
    assert!(c.iter().any(|i| matches!(i, Inline::Underline { .. })), "{c:?}");
    assert!(!markdown::plain_text(&obsidian.blocks).contains("#tag"));
}

/// A note as Obsidian writes its properties: no id or title, aliases as
/// one string, dates with times, tags that are themes in any case and
/// tags that are not, and the properties Obsidian and its plugins add.
const VAULT_NOTE: &str = "---
aliases: the hall
tags: [energy, status/draft, \"#Water\"]
date: 2024-05-12T09:30
created: 2024-05-12T09:30:00
modified: 2024-05-14
cssclasses: [wide]
publish: false
permalink: turbine-hall
description: A note on the turbine hall.
source: field-notes
ref: Week 7
---
The turbine hall ran two of its four sets through May.
";

#[test]
fn a_vault_front_matter_with_obsidian_properties_passes_check() {
    let project = TestProject::from_fixture("obsidian");
    project.write("data/findings/field-notes/05-Turbine Hall.md", VAULT_NOTE);
    // Passes, saying which id is made from a file name.
    project.check().must_report(
        0,
        &["data/findings/field-notes/05-Turbine Hall.md:1:1: warning: this note has no `id`: it is `turbine-hall`"],
    );
    let listed = project.run(&["list", "findings", "--json"]);
    listed.must_exit(0);
    let rows: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let row = rows.as_array().unwrap().iter().find(|r| r["id"] == "turbine-hall").expect("listed");
    assert_eq!(row["title"], "Turbine Hall");
    assert_eq!(row["date"], "2024-05-12");
    assert_eq!(row["themes"], serde_json::json!(["energy", "water"]));
    // A link may name it by its alias.
    project.edit("data/findings/field-notes/02-dam-storage.md", |t| {
        t.replace("as the operators confirmed.", "as [[the hall]] confirmed.")
    });
    let text = laid_out(&must_make(&project.path().join("data"), &[]));
    assert_printed(&text, "Turbine Hall (finding");
    // A typo is still an error, not taken for a property.
    project.edit("data/findings/field-notes/05-Turbine Hall.md", |t| t.replace("ref:", "reff:"));
    project.check().must_report(
        1,
        &["data/findings/field-notes/05-Turbine Hall.md:12:1: error: unknown field `reff`"],
    );
}
