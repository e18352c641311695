//! The book's citations set in its style, in the order the templates
//! print them: each finding's provenance and then the citations in its
//! body, chapter by chapter (or item by item), then each source's "Cited
//! as" in the source list; and the source list itself. The order matters:
//! a numeric style numbers sources by first citation, a note style says
//! "ibid.", and year suffixes are given across the book. Pure.

use hayagriva::citationberg::IndependentStyle;

use super::view::{BookView, FindingView};
use crate::cite::{Cite, Citer, Form, Place, Styles};
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
    let mut provenance = Vec::new();
    let mut in_text: Vec<(Place, &mut Inline)> = Vec::new();
    for f in findings {
        let source = Cite {
            key: f.source_key.clone(),
            locator: f.r#ref.clone(),
            keep: true,
            form: Form::Normal,
        };
        provenance.push((citer.cite(vec![(None, source)]), &mut f.cited));
        for inline in markdown::citations_mut(&mut f.body) {
            let Inline::Cite { items, .. } = &*inline else { continue };
            let cites = items
                .iter()
                .map(|i| {
                    let form = Form::named(i.form);
                    let cite =
                        Cite { key: i.key.clone(), locator: i.locator.clone(), keep: false, form };
                    (i.prefix.clone(), cite)
                })
                .collect();
            in_text.push((citer.cite(cites), inline));
        }
    }
    let mut cited_as = Vec::new();
    if !notes {
        for s in &mut book.sources {
            let cite = Cite { key: s.key.clone(), locator: None, keep: false, form: Form::Normal };
            cited_as.push((citer.cite(vec![(None, cite)]), &mut s.cited));
        }
    }

    let mut done = citer.finish();
    for (place, out) in provenance.into_iter().chain(cited_as) {
        *out = done.take(place);
    }
    for (place, inline) in in_text {
        if let Inline::Cite { shown, .. } = inline {
            *shown = done.take(place);
        }
    }
    book.bibliography = std::mem::take(&mut done.list);
}
