//! The book's citation style, as the templates need it: which style sets
//! the citations and which the source list, and whether the style has a
//! prose form (`Khan (2019) says`). Pure: a style is looked up among those
//! Typst ships, or given already parsed, and parsed once a book.

use hayagriva::citationberg::{IndependentStyle, Style};

use super::view::StyleView;
use crate::corpus::markdown;
use crate::select::Selection;
use crate::settings::{BookSettings, DEFAULT_CSL};

/// The virtual path a book's own `.csl` file is served at.
pub const CSL_VPATH: &str = "/brand/style.csl";

impl StyleView {
    /// The view of a parsed style served as `csl`; `shown` names it for
    /// the reader.
    pub fn for_style(
        csl: String,
        shown: &str,
        style: &IndependentStyle,
        prose_cited: bool,
    ) -> StyleView {
        let prose = !prose_cited || has_prose(style);
        let notes = style.settings.class == hayagriva::citationberg::StyleClass::Note;
        if style.bibliography.is_some() {
            return StyleView { list: csl.clone(), csl, note: None, prose, notes };
        }
        let note = format!(
            "The citation style ({shown}) formats citations only; this list is set in the {DEFAULT_CSL} style."
        );
        StyleView { csl, list: DEFAULT_CSL.into(), note: Some(note), prose, notes }
    }
}

/// A style Typst ships, parsed.
fn archived(name: &str) -> Option<IndependentStyle> {
    match hayagriva::archive::ArchivedStyle::by_name(name)?.get() {
        Style::Independent(style) => Some(style),
        Style::Dependent(_) => None,
    }
}

/// A book's citation styles, parsed once: the citations', the source
/// list's, and the view the templates and the reader get of them.
pub(super) struct Styles {
    pub cite: IndependentStyle,
    pub list: IndependentStyle,
    pub view: StyleView,
}

/// The styles a book's citations and its source list are set in: the
/// book's own style file (`custom`, parsed, with its name for the
/// reader) or the style its settings name, and for the list the default
/// style when that one formats citations only. Whether the style has a
/// prose form is only worked out when the book has a citation in running
/// text (`prose_cited`): it takes longer than composing the book.
pub(super) fn styles(
    settings: &BookSettings,
    custom: Option<(&str, &IndependentStyle)>,
    prose_cited: bool,
) -> Styles {
    let default = || archived(DEFAULT_CSL).expect("the default style is shipped");
    let named = || settings.csl_name().and_then(|name| Some((name, archived(name)?)));
    let (served, shown, cite) = match (custom, named()) {
        (Some((shown, style)), _) => (CSL_VPATH, shown, style.clone()),
        (None, Some((name, style))) => (name, name, style),
        (None, None) => (DEFAULT_CSL, DEFAULT_CSL, default()),
    };
    let view = StyleView::for_style(served.into(), shown, &cite, prose_cited);
    let list = if cite.bibliography.is_some() { cite.clone() } else { default() };
    Styles { cite, list, view }
}

/// Whether a finding of the book cites a source in running text (`@key
/// says`): only then does it matter whether the style has a prose form.
pub(super) fn prose_cited(selection: &Selection) -> bool {
    selection
        .findings
        .iter()
        .any(|f| markdown::citations(&f.body).iter().any(|c| c.form == "prose"))
}

/// Whether a style's prose citation says more than the author: it is
/// rendered, by the same engine Typst uses, for a made-up work.
fn has_prose(style: &IndependentStyle) -> bool {
    let yaml = "probe:\n  type: book\n  title: Probe\n  author: Zzyzx, Ann\n  date: 2000\n";
    let Ok(library) = hayagriva::io::from_yaml_str(yaml) else { return true };
    let Some(entry) = library.get("probe") else { return true };
    let locales = crate::cite::locales();
    let mut driver = hayagriva::BibliographyDriver::new();
    let item = hayagriva::CitationItem::with_entry(entry).kind(hayagriva::CitePurpose::Prose);
    driver.citation(hayagriva::CitationRequest::from_items(vec![item], style, locales));
    let rendered = driver.finish(hayagriva::BibliographyRequest::new(style, None, locales));
    let Some(citation) = rendered.citations.first() else { return true };
    let mut text = String::new();
    if citation.citation.write_buf(&mut text, hayagriva::BufWriteFormat::Plain).is_err() {
        return true;
    }
    text.replace("Zzyzx", "").chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_styles_are_looked_up() {
        let view = |name: &str| {
            let csl = Some(crate::settings::CitationStyle::Named(name.into()));
            let settings = BookSettings { csl, ..Default::default() };
            styles(&settings, None, true).view
        };
        let chicago = view("chicago-author-date");
        assert_eq!((chicago.list.as_str(), chicago.prose), ("chicago-author-date", true));
        assert!(view("ieee").prose);
        assert!(view("chicago-notes").notes && !chicago.notes);
        let alphanumeric = view("alphanumeric");
        assert_eq!(alphanumeric.list, crate::settings::DEFAULT_CSL);
        assert!(alphanumeric.note.unwrap().contains("formats citations only"));
    }
}
