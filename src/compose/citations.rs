//! The book's citations set in its style, in the order the templates
//! print them: each finding's provenance and then the citations in its
//! body, chapter by chapter (or item by item), then each source's "Cited
//! as" in the source list; and the source list itself. The order matters:
//! a numeric style numbers sources by first citation, a note style says
//! "ibid.", and year suffixes are given across the book. Pure.

use hayagriva::citationberg::IndependentStyle;

use super::view::{BookView, FindingView};
use crate::cite::{Cite, Citer, Form, Styles};
use crate::corpus::markdown::{self, Inline};
use crate::corpus::model::Entry;

/// Sets every citation of `book` and its source list, from the
/// bibliographic `entries` of its sources.
pub(super) fn set(
    book: &mut BookView,
    entries: &[Entry],
    cite: &IndependentStyle,
    list: &IndependentStyle,
) {
    let yaml = crate::corpus::bibliography::library_yaml(entries);
    // Every entry was read by hayagriva at load; a library that still
    // fails leaves the citations as written.
    let Ok(library) = hayagriva::io::from_yaml_str(&yaml) else { return };
    let styles = Styles { cite, list, prose: book.style.prose };
    let mut citer = Citer::new(library, styles);
    let notes = book.style.notes;

    // Where each place's text goes, in the order the places were cited.
    let mut findings: Vec<&mut FindingView> = Vec::new();
    for theme in &mut book.themes {
        findings.extend(theme.findings.iter_mut());
    }
    if let Some(meeting) = &mut book.meeting {
        for item in &mut meeting.agenda {
            findings.extend(item.findings.iter_mut());
        }
    }
    // Two walks in one order: each place cited, then its text set.
    let mut provenance = Vec::new();
    let mut in_text = Vec::new();
    for f in &mut findings {
        let source = Cite {
            key: f.source_key.clone(),
            locator: f.r#ref.clone(),
            keep: true,
            form: Form::Normal,
        };
        provenance.push(citer.cite(vec![(None, source)]));
        markdown::each_inline(&mut f.body, &mut |inline| {
            let Inline::Cite { items, .. } = inline else { return };
            let cites = items
                .iter()
                .map(|i| {
                    let form = Form::named(i.form);
                    let cite =
                        Cite { key: i.key.clone(), locator: i.locator.clone(), keep: false, form };
                    (i.prefix.clone(), cite)
                })
                .collect();
            in_text.push(citer.cite(cites));
        });
    }
    let mut cited_as = Vec::new();
    if !notes {
        for s in &book.sources {
            let cite = Cite { key: s.key.clone(), locator: None, keep: false, form: Form::Normal };
            cited_as.push(citer.cite(vec![(None, cite)]));
        }
    }

    let mut done = citer.finish();
    let mut in_text = in_text.into_iter();
    for (f, place) in findings.into_iter().zip(provenance) {
        f.cited = done.take(place);
        markdown::each_inline(&mut f.body, &mut |inline| {
            if let Inline::Cite { shown, .. } = inline
                && let Some(place) = in_text.next()
            {
                *shown = done.take(place);
            }
        });
    }
    for (s, place) in book.sources.iter_mut().zip(cited_as) {
        s.cited = done.take(place);
    }
    book.bibliography = std::mem::take(&mut done.list);
}
