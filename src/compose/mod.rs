//! Stage 3, compose: a selection to the [`BookView`] the templates read.
//!
//! Pure: no I/O, no clock (the "as of" date comes in as an argument). Everything here is ordered by a total order with an
//! explicit tie-breaker, so the same corpus gives the same book.
//!
//! `view.rs` holds the template API, every `*View` type; each other file
//! makes one part of it (the cover, the chapters, the timeline...) and
//! imports the views, never this file.

mod abbreviations;
mod annex;
mod chapters;
mod citations;
mod cover;
mod edition;
pub mod filing;
mod glance;
mod matrix;
pub mod meeting;
mod order;
mod sources;
mod strip;
mod style;
mod timeline;
mod view;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use hayagriva::citationberg::IndependentStyle;

pub use annex::surname;
pub use filing::{Filing, FindingRef};
pub use order::natural_cmp;
pub use style::CSL_VPATH;
pub use view::*;

use crate::select::Selection;
use crate::settings::{BookSettings, PdfStandard};

/// Composes the book: `settings` are the book's (layered), `as_of` the
/// date it is made on.
pub fn compose(selection: &Selection, settings: &BookSettings, as_of: NaiveDate) -> BookView {
    compose_edition(selection, settings, as_of, None, None)
}

/// The findings of a book in the order it prints them: the order a first
/// edition numbers them in.
pub fn finding_order<'c>(selection: &Selection<'c>) -> Vec<&'c str> {
    let filing = file(selection, &source_ranks(selection));
    filing.sections.iter().flatten().map(|f| f.id.as_str()).collect()
}

/// Sources rank in corpus order (the timeline uses it too).
fn source_ranks<'c>(selection: &Selection<'c>) -> BTreeMap<&'c str, usize> {
    selection.corpus.sources.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect()
}

/// Where each finding is printed: a meeting's book files its findings
/// under the agenda items, any other book under its themes.
fn file<'c>(selection: &Selection<'c>, ranks: &BTreeMap<&str, usize>) -> Filing<'c> {
    let order = order::book_order(ranks);
    match selection.meeting {
        Some(_) => meeting::file_by_item(selection, order),
        None => chapters::file_by_theme(selection, order),
    }
}

/// [`compose`], for the edition `record` of a book: the cover names it,
/// the changes page lists what changed since the edition before, and new
/// and revised findings are marked. `csl` is the book's own style file,
/// parsed, and its name for the reader, when its settings name one.
pub fn compose_edition(
    selection: &Selection,
    settings: &BookSettings,
    as_of: NaiveDate,
    record: Option<&crate::edition::Record>,
    csl: Option<(&str, &IndependentStyle)>,
) -> BookView {
    let ranks = source_ranks(selection);
    let mut filing = file(selection, &ranks);
    // An edition's findings keep the numbers its record gives them.
    if let Some(record) = record {
        let numbers: BTreeMap<&str, u32> = record
            .items
            .iter()
            .filter(|i| i.kind == crate::edition::Kind::Finding)
            .filter_map(|i| Some((i.id.as_str(), i.number?)))
            .collect();
        filing.renumber(|id| numbers.get(id).copied());
    }
    let (meeting, themes, annex) = match selection.meeting {
        Some(m) => (Some(meeting::compose(selection, m, &filing)), Vec::new(), Vec::new()),
        None => {
            let themes = chapters::theme_chapters(selection, &filing);
            (None, themes, annex::compose(selection))
        }
    };
    let timeline = timeline::compose(selection, &filing, &ranks);
    let matrix = matrix::compose(selection, &filing);
    let entries = sources::entries(selection);
    let styles = style::styles(settings, csl, style::prose_cited(selection));
    let mut book = BookView {
        meta: cover::meta(selection, settings, as_of),
        glance: glance::glance(selection, &themes, &matrix),
        key_points: glance::key_points(selection, &filing),
        meeting,
        themes,
        timeline,
        matrix,
        annex,
        sources: sources::sources(selection, &filing),
        edition: None,
        bibliography: Default::default(),
        style: styles.view,
        abbreviations: Vec::new(),
        targets: filing
            .sections
            .iter()
            .flatten()
            .filter_map(|f| {
                let number = filing.number(&f.id)?;
                Some((f.id.clone(), FindingRef { number, label: filing::finding_label(number) }))
            })
            .collect(),
    };
    citations::set(&mut book, &entries, &styles.cite, &styles.list);
    if let Some(record) = record {
        let embed = settings.pdf_standard != Some(PdfStandard::A2b);
        edition::mark(&mut book, selection, &filing, record, embed);
    }
    if let Some(glossary) = &selection.corpus.glossary {
        book.abbreviations = abbreviations::abbreviations(&book, &entries, glossary);
    }
    book
}
