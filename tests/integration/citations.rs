//! Sources the way analysts keep them (issue 14): citation styles, Zotero
//! and BibTeX exports, Pandoc citations in findings, abbreviations.

use crate::common::*;
use brief::corpus::markdown::{Block, Inline};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::Destination;

fn citations_data() -> std::path::PathBuf {
    fixture("citations")
}

/// The squashed text of the page whose text contains `marker`.
#[track_caller]
fn page_with(built: &brief::Artifact, marker: &str) -> (usize, String) {
    let pages = built.rendered.text();
    let index = pages
        .iter()
        .position(|p| squash(p).contains(&squash(marker)))
        .unwrap_or_else(|| panic!("no page holds {marker:?}"));
    (index, squash(&pages[index]))
}

/// Every link to a place in the document: the page it is on, and the page
/// and height it leads to.
fn internal_links(built: &brief::Artifact) -> Vec<(usize, usize, f64)> {
    fn walk(frame: &Frame, origin: Point, page: usize, out: &mut Vec<(usize, Destination)>) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, origin + *pos, page, out),
                FrameItem::Link(dest, _) => out.push((page, dest.clone())),
                _ => {}
            }
        }
    }
    let doc = &built.rendered.document;
    let mut links = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, Point::zero(), i, &mut links);
    }
    links
        .into_iter()
        .filter_map(|(from, dest)| match dest {
            Destination::Location(loc) => {
                let at = doc.introspector().position(loc)?;
                Some((from, at.page.get() - 1, at.point.y.to_pt()))
            }
            _ => None,
        })
        .collect()
}

/// The baseline of the first text run on `page` (from 0) that starts with
/// `text`.
#[track_caller]
fn run_baseline(built: &brief::Artifact, page: usize, text: &str) -> f64 {
    let (runs, _) = items(&built.rendered);
    runs.iter()
        .find(|r| r.page == page + 1 && r.text.starts_with(text))
        .map(|r| r.y)
        .unwrap_or_else(|| panic!("no run {text:?} on page {}", page + 1))
}

#[test]
fn zotero_csl_json_and_bibtex_exports_both_load() {
    let loaded = brief::corpus::load(&citations_data()).unwrap();
    assert!(!brief::diag::has_errors(&loaded.diagnostics), "{:?}", loaded.diagnostics);
    let corpus = &loaded.corpus;
    let ids: Vec<&str> = corpus.sources.iter().map(|s| s.id.as_str()).collect();
    // sources.yaml first, then what only the files hold, in file order.
    assert_eq!(ids, ["round", "durrani2012", "khan2019", "ahmed2020", "unhcr2015"]);
    // Matched by key: brief's own fields from sources.yaml, the rest from
    // the BibTeX record.
    let durrani = corpus.source("durrani2012").unwrap();
    assert_eq!(durrani.short, "Durrani report (2012)");
    assert_eq!(durrani.handling.as_deref(), Some("participants"));
    assert_eq!(durrani.note.as_deref(), Some("The fixture’s note on the report."));
    assert_eq!(durrani.title.as_deref(), Some("Tribal Areas and the Durand Line"));
    assert_eq!(durrani.date.map(|d| d.to_string()).as_deref(), Some("2012-03"));
    assert_eq!(durrani.kind, "Working paper");
    // From the Zotero CSL-JSON export.
    let ahmed = corpus.source("ahmed2020").unwrap();
    assert_eq!(ahmed.short, "Corridors and Debt");
    assert_eq!(ahmed.r#abstract, "A fixture article on corridors.");
    assert_eq!(ahmed.date.map(|d| d.to_string()).as_deref(), Some("2020-06"));
    let record = &corpus.records["ahmed2020"];
    assert_eq!(record.text("type").as_deref(), Some("article"));
    let library = hayagriva::io::from_yaml_str(&brief::corpus::bibliography::library_yaml(
        corpus.records.values(),
    ))
    .unwrap();
    assert_eq!(library.len(), 5);
    let unhcr = library.get("unhcr2015").unwrap();
    assert_eq!(unhcr.authors().unwrap()[0].name, "United Nations High Commissioner for Refugees");
}

#[test]
fn the_same_book_in_two_styles_differs_as_the_styles_say() {
    let chicago = must_make(&citations_data(), &[]);
    let ieee = must_make(&citations_data(), &["--csl", "ieee"]);
    assert_eq!(chicago.book.style.csl, "chicago-author-date");
    assert_eq!(ieee.book.style.csl, "ieee");

    // Provenance: author and year with the finding's `ref` as locator, or
    // the entry's number with it.
    let (_, c_findings) = page_with(&chicago, "The report’s view");
    let (_, i_findings) = page_with(&ieee, "The report’s view");
    // A finding's date is printed when it says more than the citation's.
    assert_printed(&c_findings, "(Durrani and Rahim 2012, section 3)");
    assert_not_printed(&c_findings, "(Durrani and Rahim 2012, section 3) · March 2012");
    assert_printed(&c_findings, "(Fixture Institute 2012, para. 3)");
    assert_printed(&i_findings, "[1, section 3]");
    assert_printed(&i_findings, "[2, para. 3]");
    assert_not_printed(&c_findings, "[1, section 3]");
    assert_not_printed(&i_findings, "Durrani and Rahim 2012");

    // The source list: Chicago sorts by author, names the family name
    // first and puts the year after the names; IEEE numbers by first
    // citation, with initials, and the date last.
    let (_, c_list) = page_with(&chicago, "Cited as:");
    let (_, i_list) = page_with(&ieee, "Cited as:");
    // (The citation locale's single quotes are set as the body's double
    // ones: one quote style a book.)
    let c_entries = [
        "Ahmed, Sara, and Min Lee. 2020. “Corridors and Debt”. Fixture Quarterly 12 (3): 45–67.",
        "Durrani, Asad, and Raana Rahim. 2012. Tribal Areas and the Durand Line. Working paper.",
        "Fixture Institute. 2012. A Fixture Round Table. Consultation report.",
    ];
    let i_entries = [
        "[1] A. Durrani and R. Rahim, “Tribal Areas and the Durand Line”, Rawalpindi, Working paper, Mar. 2012.",
        "[2] Fixture Institute, “A Fixture Round Table”, consultation report, Sep. 2012.",
        "[3] S. Ahmed and M. Lee, “Corridors and Debt”, Fixture Quarterly, vol. 12, no. 3, pp. 45–67, Jun. 2020",
    ];
    for (list, entries) in [(&c_list, c_entries), (&i_list, i_entries)] {
        let at: Vec<usize> = entries
            .iter()
            .map(|e| list.find(&squash(e)).unwrap_or_else(|| panic!("not in the list: {e}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "out of the style's order: {at:?}");
    }
    assert_not_printed(&c_list, "[1]");
    assert_not_printed(&i_list, "Durrani, Asad, and Raana Rahim. 2012.");
}

#[test]
fn a_citation_in_a_finding_prints_the_styles_citation_with_its_locator_and_links_to_the_entry() {
    let built = must_make(&citations_data(), &[]);
    let (findings_page, text) = page_with(&built, "What the ISI said");
    // `[@durrani2012, p. 12]`, `[see @ahmed2020; @round, para. 4]`,
    // `@khan2019 says`, `[-@ahmed2020]`.
    assert_printed(&text, "a working paper (Durrani and Rahim 2012, p. 12) and a Track II");
    assert_printed(&text, "see (Ahmed and Lee 2020; Fixture Institute 2012, para. 4).");
    assert_printed(&text, "As Khan (2019) says, the corridor matters; (2020) agrees.");

    // Each citation links to its entry in the source list.
    let (list_page, _) = page_with(&built, "Cited as:");
    let entry_baseline = run_baseline(&built, list_page, "Durrani,");
    let links = internal_links(&built);
    let to_entry = links.iter().filter(|(from, to, y)| {
        // A link leads to the entry's top, a line above its baseline.
        *from == findings_page && *to == list_page && (0.0..15.0).contains(&(entry_baseline - y))
    });
    // The provenance line of finding 1 and the citation in finding 2.
    assert!(to_entry.count() >= 2, "links from page {}: {links:?}", findings_page + 1);
}

#[test]
fn text_that_only_looks_like_a_citation_stays_text() {
    let built = must_make(&citations_data(), &[]);
    let (_, text) = page_with(&built, "What the ISI said");
    assert_printed(&text, "Write to someone@example.org, or [@durrani2012] in code, or @khan2019.");
    let corpus = brief::corpus::load(&citations_data()).unwrap().corpus;
    let cited = corpus.findings.iter().find(|f| f.id == "cited").unwrap();
    assert_eq!(cited.cites, ["durrani2012", "ahmed2020", "round", "khan2019", "ahmed2020"]);
    let Block::Para { c } = &cited.body[2] else { panic!("{:?}", cited.body[2]) };
    assert!(c.iter().all(|i| !matches!(i, Inline::Cite { .. })), "{c:?}");
    // Typst syntax and math in a BibTeX title print as written.
    let (_, list) = page_with(&built, "Cited as:");
    // (In the body's double quotes: one quote style a book.)
    assert_printed(&list, "“Hostile $x$ Titles #set and $1 + 1$”");
}

#[test]
fn unknown_keys_and_malformed_files_give_located_errors() {
    let project = TestProject::from_fixture("citations");
    let finding = "data/findings/round/01-cited.md";
    project.edit(finding, |t| {
        t.replace("[@durrani2012, p. 12]", "[@durani2012, p. 12]")
            .replace("@khan2019 says", "@khan2091 says")
    });
    project.check().must_report(
        1,
        &[
            &format!(
                "{finding}:9:38: error: unknown citation key `durani2012`: no source has this id"
            ),
            &format!("{finding}:12:5: error: unknown citation key `khan2091`"),
        ],
    );
    let hints = ["= hint: did you mean `durrani2012`?", "= hint: did you mean `khan2019`?"];
    project.run(&["check"]).must_report(1, &hints);

    let project = TestProject::from_fixture("citations");
    project.write("data/sources.bib", "@report{durrani2012,\n  title = {Unclosed,\n  year = {2012},\n\n@article{khan2019, title = {T}, date = {2019}}\n");
    project.check().must_report(1, &["data/sources.bib:5:1: error: malformed BibTeX"]);

    let project = TestProject::from_fixture("citations");
    project.edit("data/sources.json", |t| {
        t.replacen("\"volume\": \"12\",", "\"volume\": \"12\",,", 1)
    });
    project.check().must_report(1, &["data/sources.json:7:20: error: malformed CSL-JSON"]);

    let project = TestProject::from_fixture("citations");
    project.edit("data/sources.json", |t| t.replace("\"id\": \"unhcr2015\",", ""));
    project.check().must_report(1, &["data/sources.json:17:3: error: a CSL-JSON item has no `id`"]);
}

#[test]
fn the_abbreviations_page_holds_exactly_the_terms_used() {
    let built = must_make(&citations_data(), &[]);
    let terms: Vec<&str> = built.book.abbreviations.iter().map(|a| a.term.as_str()).collect();
    // ISI in a title, CPEC in a body; FATF is in the glossary but not in
    // the book, UNHCR only in a record the book does not list.
    assert_eq!(terms, ["CPEC", "ISI"]);
    let (_, page) = page_with(&built, "Inter-Services Intelligence");
    assert_printed(&page, "Abbreviations");
    assert_printed(&page, "CPEC China–Pakistan Economic Corridor");
    assert_printed(&page, "ISI Inter-Services Intelligence A fixture note.");
    assert_not_printed(&laid_out(&built), "Financial Action Task Force");

    // `check` asks for the capital words the glossary lacks, at their
    // place, once per finding; ignored words and known terms are fine.
    let project = TestProject::from_fixture("citations");
    project.edit("data/findings/report/01-report.md", |t| {
        t.replace("discusses CPEC.", "discusses CPEC and the TTP.\n\nThe TTP again, and II.")
    });
    let ran = project.check();
    ran.must_exit(0);
    let warnings: Vec<&str> = ran.stderr.lines().filter(|l| l.contains("warning")).collect();
    // A malformed or repeated term is an error at its line.
    let bad = TestProject::from_fixture("citations");
    let glossary = "terms:\n  - term: ISI\n    expansion: x\n  - term: TTP\n    expansoin: y\n";
    bad.write("data/glossary.yaml", glossary);
    bad.check().must_report(1, &["data/glossary.yaml:5:5: error: unknown field `expansoin`"]);
    bad.write(
        "data/glossary.yaml",
        glossary.replace("TTP", "ISI").replace("expansoin", "expansion"),
    );
    bad.check().must_report(1, &["data/glossary.yaml:4:11: error: duplicate glossary term id `ISI` (first defined in data/glossary.yaml:2)"]);
    assert_eq!(
        warnings,
        [
            "data/findings/report/01-report.md:9:35: warning: `TTP` looks like an abbreviation but is not in glossary.yaml"
        ]
    );
}

#[test]
fn the_style_comes_from_brief_toml_or_a_csl_file_inside_the_project() {
    let project = TestProject::from_fixture("citations");
    project.write("brief.toml", "[defaults]\ncsl = \"house.csl\"\n");
    project.run(&["--emit-typ", "typ"]).must_exit(0);
    let json: serde_json::Value = serde_json::from_slice(&project.read("typ/brief.json")).unwrap();
    assert_eq!(json["style"]["csl"], "/brand/style.csl");
    assert_eq!(json["style"]["list"], "/brand/style.csl");
    // The emitted document is complete: its style is beside it.
    assert_eq!(project.read("typ/brand/style.csl"), project.read("house.csl"));

    // A style with no bibliography: the list falls back, and says so.
    let built = must_make(
        &citations_data(),
        &["--csl", root().join("tests/fixtures/citations/citations-only.csl").to_str().unwrap()],
    );
    let (_, list) = page_with(&built, "Cited as:");
    assert_printed(&list, "The citation style (citations-only.csl) formats citations only");
    assert_printed(&list, "Durrani, Asad, and Raana Rahim. 2012.");
    let (_, findings) = page_with(&built, "What the ISI said");
    assert_printed(&findings, "«Durrani, Rahim at p. 12»");
    // No prose form: the author, then the citation.
    assert_printed(&findings, "As Khan «Khan» says");

    // Outside the project: refused, nothing read.
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("tests/fixtures/citations/house.csl"), outside.path().join("x.csl"))
        .unwrap();
    let path = outside.path().join("x.csl");
    let ran = project.run(&["--csl", path.to_str().unwrap()]);
    ran.must_report(
        2,
        &[&format!("error: csl {}: lies outside the project directory", path.display())],
    );

    // A name Typst does not ship: at its place in brief.toml, with the
    // nearest name.
    project.write("brief.toml", "[defaults]\ncsl = \"chicago-author-dat\"\n");
    project.check().must_report(
        1,
        &["brief.toml:2:7: error: invalid `csl`: `chicago-author-dat` is neither a citation style Typst ships nor a .csl file: did you mean `chicago-author-date`?\n"],
    );
    // And on the command line, a usage error.
    project.run(&["--csl", "iee"]).must_report(
        2,
        &["error: invalid value 'iee' for '--csl <FILE|NAME>': `iee` is neither a citation style Typst ships nor a .csl file: did you mean `ieee`?\n"],
    );
}

#[test]
fn a_zotero_citation_key_keeps_its_form() {
    // Better BibTeX's keys are camel case; a source with such a key may
    // still get brief's own fields in sources.yaml.
    let project = TestProject::from_fixture("citations");
    for file in [
        "data/sources.yaml",
        "data/sources.bib",
        "data/findings/round/01-cited.md",
        "data/findings/report/01-report.md",
    ] {
        project.edit(file, |t| t.replace("durrani2012", "durraniTribalAreas2012"));
    }
    let ran = project.check();
    ran.must_exit(0);
    assert!(!ran.stderr.contains("error"), "{}", ran.stderr);
    // A key that is no bibliography file's keeps the id rule.
    project.edit("data/sources.yaml", |t| t.replace("id: round", "id: Round"));
    project.check().must_report(1, &["data/sources.yaml:3:7: error: invalid `id`"]);
}
