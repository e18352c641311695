//! Stage 3, compose: a selection to the [`BookView`] the templates read.
//!
//! Pure: no I/O, no clock (the "as of" date comes in through
//! [`BookOptions`]). Everything here is ordered by a total order with an
//! explicit tie-breaker, so the same corpus gives the same book.

mod annex;
mod matrix;
mod timeline;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use annex::surname;

use crate::corpus::date::PartialDate;
use crate::corpus::markdown::Block;
use crate::corpus::model::{Finding, SHARED};
use crate::select::Selection;

/// Book-level settings that are not part of the selection.
#[derive(Clone, Debug)]
pub struct BookOptions {
    /// The cover title.
    pub title: String,
    /// The handling line, e.g. "For meeting use".
    pub handling: String,
    /// The "as of" date.
    pub as_of: NaiveDate,
    /// Paper size name, as Typst knows it ("a4", "us-letter").
    pub paper: String,
    /// Whether major sections start on a right-hand page.
    pub duplex: bool,
    /// Text set across every page, if any.
    pub watermark: Option<String>,
}

/// Everything the templates show, as one serialisable value.
#[derive(Debug, Serialize)]
pub struct BookView {
    /// Cover and document metadata.
    pub meta: MetaView,
    /// The at-a-glance page.
    pub glance: GlanceView,
    /// Findings grouped by theme.
    pub themes: Vec<ThemeView>,
    /// Events and dated findings in order.
    pub timeline: Vec<timeline::TimelineRowView>,
    /// The issue matrix.
    pub matrix: matrix::MatrixView,
    /// People, grouped by meeting or paper.
    pub annex: Vec<annex::AnnexGroupView>,
    /// The sources cited.
    pub sources: Vec<SourceView>,
}

/// Cover and metadata.
#[derive(Debug, Serialize)]
pub struct MetaView {
    /// Book title.
    pub title: String,
    /// Selected theme titles, or "All themes".
    pub subtitle: String,
    /// Selected theme ids (PDF keywords).
    pub keywords: Vec<String>,
    /// The date range, e.g. "2011 – June 2019" or "all dates".
    pub range: String,
    /// "23 November 2026".
    pub as_of: String,
    /// The same date as numbers, for the PDF's metadata.
    pub as_of_ymd: [u32; 3],
    /// Handling line.
    pub handling: String,
    /// Paper size.
    pub paper: String,
    /// Major sections on right-hand pages.
    pub duplex: bool,
    /// Watermark text.
    pub watermark: Option<String>,
}

/// Counts for the at-a-glance page.
#[derive(Debug, Serialize)]
pub struct GlanceView {
    /// Findings in the book.
    pub findings: usize,
    /// Timeline events in the book.
    pub events: usize,
    /// Sources cited.
    pub sources: usize,
    /// Issue-matrix rows.
    pub issues: usize,
    /// People in the annex.
    pub participants: usize,
    /// Earliest to latest date of the dated findings and events.
    pub span: Option<String>,
    /// Findings in the book whose source gives no date.
    pub undated: usize,
    /// Findings left out only because they are undated and a range was set.
    pub undated_left_out: usize,
    /// Findings per theme.
    pub per_theme: Vec<ThemeCountView>,
    /// Issue rows by assessment: converging, diverging, mixed.
    pub assessments: [usize; 3],
}

/// A theme's line on the at-a-glance page.
#[derive(Debug, Serialize)]
pub struct ThemeCountView {
    /// Theme title.
    pub title: String,
    /// Findings filed under it.
    pub findings: usize,
    /// Findings filed elsewhere that also bear on it.
    pub see_also: usize,
}

/// A theme's chapter.
#[derive(Debug, Serialize)]
pub struct ThemeView {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// One line on what it covers.
    pub description: String,
    /// Findings filed under this theme.
    pub findings: Vec<FindingView>,
    /// Findings filed under another theme that also bear on this one.
    pub see_also: Vec<CrossRefView>,
}

/// A pointer to a finding filed elsewhere.
#[derive(Debug, Serialize)]
pub struct CrossRefView {
    /// The finding's number.
    pub number: usize,
    /// Its title.
    pub title: String,
    /// The theme it is filed under.
    pub home: String,
}

/// One finding as printed.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// Its number in the book.
    pub number: usize,
    /// Corpus id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Date as written ("19 September 2012"), if known.
    pub date: Option<String>,
    /// Source short title.
    pub source: String,
    /// Label of the source's entry in the list of sources.
    pub source_label: String,
    /// Paragraph, page or section.
    pub r#ref: Option<String>,
    /// Whose view, as a title ("Pakistan", "Shared").
    pub perspective: Option<String>,
    /// The issue-matrix row it feeds.
    pub issue: Option<String>,
    /// The other selected themes it bears on.
    pub also: Vec<String>,
    /// The body.
    pub body: Vec<Block>,
}

/// A source in the list of sources.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// Label for links.
    pub label: String,
    /// Short title.
    pub short: String,
    /// Full title, if stated.
    pub title: Option<String>,
    /// Kind of document.
    pub kind: String,
    /// Organisation, if stated.
    pub organisation: Option<String>,
    /// Place, if stated.
    pub place: Option<String>,
    /// Date, if stated.
    pub date: Option<String>,
    /// Authors, from the participants with role author.
    pub authors: Vec<String>,
    /// Abstract.
    pub r#abstract: String,
    /// Caveats.
    pub note: Option<String>,
    /// Numbers of the book's findings from this source.
    pub findings: Vec<usize>,
}

/// Composes the book.
pub fn compose(selection: &Selection, options: &BookOptions) -> BookView {
    let corpus = selection.corpus;
    let selected_theme = |id: &str| selection.themes.iter().find(|t| t.id == id);

    // File each finding under its first selected theme, then number them in
    // book order. Sources rank in corpus order (the timeline uses it too).
    let ranks: BTreeMap<&str, usize> =
        corpus.sources.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let source_rank = |id: &str| ranks.get(id).copied().unwrap_or(usize::MAX);
    let mut filed: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    for finding in &selection.findings {
        let home =
            finding.themes.iter().find_map(|t| selection.themes.iter().position(|s| s.id == *t));
        if let Some(home) = home {
            filed.entry(home).or_default().push(finding);
        }
    }
    // Within a theme: dated before undated, by date, by source, then in
    // file-name order (which keeps a document's own order; see
    // data/README.md), then by id.
    for findings in filed.values_mut() {
        findings.sort_by(|a, b| {
            (a.date.is_none(), a.date, source_rank(&a.source))
                .cmp(&(b.date.is_none(), b.date, source_rank(&b.source)))
                .then_with(|| natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy()))
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    let mut numbers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut home_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (home, findings) in &filed {
        for f in findings {
            let next = numbers.len() + 1;
            numbers.insert(&f.id, next);
            home_of.insert(&f.id, *home);
        }
    }

    let finding_view = |f: &Finding| FindingView {
        number: numbers[f.id.as_str()],
        id: f.id.clone(),
        title: f.title.clone(),
        date: f.date.map(PartialDate::display),
        source: corpus.source(&f.source).map_or_else(|| f.source.clone(), |s| s.short.clone()),
        source_label: source_label(&f.source),
        r#ref: f.reference.clone(),
        perspective: f.perspective.as_deref().map(|p| match corpus.party(p) {
            Some(party) => party.title.clone(),
            None if p == SHARED => "Shared".to_string(),
            None => p.to_string(),
        }),
        issue: f.issue.as_deref().and_then(|i| corpus.issue(i)).map(|i| i.title.clone()),
        also: f
            .themes
            .iter()
            .skip_while(|t| selected_theme(t).is_none())
            .skip(1)
            .filter_map(|t| selected_theme(t).map(|t| t.title.clone()))
            .collect(),
        body: f.body.clone(),
    };

    let themes: Vec<ThemeView> = selection
        .themes
        .iter()
        .enumerate()
        .map(|(index, theme)| {
            let findings: Vec<FindingView> =
                filed.get(&index).into_iter().flatten().map(|f| finding_view(f)).collect();
            let mut see_also: Vec<CrossRefView> = selection
                .findings
                .iter()
                .filter(|f| home_of.get(f.id.as_str()).is_some_and(|h| *h != index))
                .filter(|f| f.themes.contains(&theme.id))
                .map(|f| CrossRefView {
                    number: numbers[f.id.as_str()],
                    title: f.title.clone(),
                    home: selection.themes[home_of[f.id.as_str()]].title.clone(),
                })
                .collect();
            see_also.sort_by_key(|c| c.number);
            ThemeView {
                id: theme.id.clone(),
                title: theme.title.clone(),
                description: theme.description.clone(),
                findings,
                see_also,
            }
        })
        .collect();

    let timeline = timeline::compose(selection, &numbers, &ranks);
    let matrix = matrix::compose(selection, &numbers);
    let annex = annex::compose(selection);
    let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for f in &selection.findings {
        by_source.entry(f.source.as_str()).or_default().push(numbers[f.id.as_str()]);
    }
    let sources = selection
        .sources
        .iter()
        .map(|s| {
            let mut findings = by_source.remove(s.id.as_str()).unwrap_or_default();
            findings.sort_unstable();
            SourceView {
                label: source_label(&s.id),
                short: s.short.clone(),
                title: s.title.clone(),
                kind: s.kind.clone(),
                organisation: s.organisation.clone(),
                place: s.place.clone(),
                date: s.date.map(PartialDate::display),
                authors: annex::authors(corpus, &s.id),
                r#abstract: s.r#abstract.clone(),
                note: s.note.clone(),
                findings,
            }
        })
        .collect();

    let dated = selection
        .findings
        .iter()
        .filter_map(|f| f.date.map(|d| (d, d)))
        .chain(selection.events.iter().map(|e| (e.date, e.end())));
    let span =
        dated.fold(None, |acc: Option<(PartialDate, PartialDate)>, (start, end)| match acc {
            None => Some((start, end)),
            Some((a, b)) => {
                Some((a.min(start), if end.last_day() > b.last_day() { end } else { b }))
            }
        });
    let span = span.map(|(a, b)| {
        if a.year_part() == b.year_part() && a == b {
            a.display()
        } else {
            format!("{} – {}", a.display(), b.display())
        }
    });

    let glance = GlanceView {
        findings: selection.findings.len(),
        events: selection.events.len(),
        sources: selection.sources.len(),
        issues: matrix.rows.len(),
        participants: selection.participants.len(),
        span,
        undated: selection.findings.iter().filter(|f| f.date.is_none()).count(),
        undated_left_out: selection.undated_left_out,
        per_theme: themes
            .iter()
            .map(|t| ThemeCountView {
                title: t.title.clone(),
                findings: t.findings.len(),
                see_also: t.see_also.len(),
            })
            .collect(),
        assessments: matrix.assessment_counts(),
    };

    let all_themes = selection.query.themes.is_empty();
    let meta = MetaView {
        title: options.title.clone(),
        subtitle: if all_themes {
            "All themes".to_string()
        } else {
            selection.themes.iter().map(|t| t.title.as_str()).collect::<Vec<_>>().join(" · ")
        },
        keywords: selection.themes.iter().map(|t| t.id.clone()).collect(),
        range: selection.query.range.display(),
        as_of: PartialDate::from_naive(options.as_of).display(),
        as_of_ymd: [options.as_of.year() as u32, options.as_of.month(), options.as_of.day()],
        handling: options.handling.clone(),
        paper: options.paper.clone(),
        duplex: options.duplex,
        watermark: options.watermark.clone(),
    };

    BookView { meta, glance, themes, timeline, matrix, annex, sources }
}

/// The Typst label of a source's entry.
fn source_label(id: &str) -> String {
    format!("src-{id}")
}

/// Compares strings so that digit runs compare as numbers: "para. 2" sorts
/// before "para. 10".
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (a[..da].trim_start_matches('0'), b[..db].trim_start_matches('0'));
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut names =
            vec!["f/p-10.md", "f/p-2.md", "f/p-1.md", "f/p-00-summary.md", "f/p-02x.md"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["f/p-00-summary.md", "f/p-1.md", "f/p-2.md", "f/p-02x.md", "f/p-10.md"]);
    }
}
