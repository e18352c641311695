//! What the book's first page and the opening of its findings say of the
//! whole: its counts and span, the charts by theme and by year, and the
//! key judgements. Pure.

use super::filing::{Filing, finding_label};
use super::view::{
    GlanceView, KeyPointView, MatrixView, ThemeCountView, ThemeView, YearChartView, YearColumnView,
};
use crate::corpus::model::Source;
use crate::date::PartialDate;
use crate::select::Selection;

/// At most this many columns: a longer span groups years.
const YEAR_COLUMNS: i32 = 16;
/// At most this many series: the sources after them are gathered as one.
const YEAR_SERIES: usize = 4;

/// The counts, span and charts of the book.
pub(super) fn glance(
    selection: &Selection,
    themes: &[ThemeView],
    matrix: &MatrixView,
) -> GlanceView {
    GlanceView {
        findings: selection.findings.len(),
        events: selection.events.len(),
        sources: selection.sources.len(),
        issues: matrix.rows.len(),
        span: span(selection),
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
        per_year: per_year(selection),
        withheld: selection.withheld,
    }
}

/// The key judgements among the book's findings, in book order.
pub(super) fn key_points(selection: &Selection, filing: &Filing) -> Vec<KeyPointView> {
    let mut points: Vec<KeyPointView> = selection
        .findings
        .iter()
        .filter(|f| f.key)
        .filter_map(|f| {
            let number = filing.number(&f.id)?;
            let summary = f.summary.clone().unwrap_or_else(|| f.title.clone());
            Some(KeyPointView { number, label: finding_label(number), summary })
        })
        .collect();
    points.sort_by_key(|p| p.number);
    points
}

/// The earliest to the latest date of the dated findings and events.
fn span(selection: &Selection) -> Option<String> {
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
    span.map(|(a, b)| crate::date::span(a, b))
}

/// The dated findings by year and source; see [`YearChartView`].
fn per_year(selection: &Selection) -> YearChartView {
    let dated: Vec<(i32, &str)> = selection
        .findings
        .iter()
        .filter_map(|f| Some((f.date?.year_part(), f.source.as_str())))
        .collect();
    let (Some(first), Some(last)) =
        (dated.iter().map(|d| d.0).min(), dated.iter().map(|d| d.0).max())
    else {
        return YearChartView { series: Vec::new(), columns: Vec::new(), most: 0 };
    };
    // The sources that have dated findings, in source-list order.
    let sources: Vec<&Source> =
        selection.sources.iter().copied().filter(|s| dated.iter().any(|d| d.1 == s.id)).collect();
    let gathered = sources.len() > YEAR_SERIES;
    let named = if gathered { YEAR_SERIES - 1 } else { sources.len() };
    let mut series: Vec<String> = sources[..named].iter().map(|s| s.short.clone()).collect();
    if gathered {
        series.push(format!("{} other sources", sources.len() - named));
    }
    let series_of =
        |source: &str| sources[..named].iter().position(|s| s.id == source).unwrap_or(named);
    let years = last - first + 1;
    let width = (years + YEAR_COLUMNS - 1) / YEAR_COLUMNS;
    let mut columns: Vec<YearColumnView> = (0..(years + width - 1) / width)
        .map(|i| {
            let (from, to) = (first + i * width, (first + i * width + width - 1).min(last));
            let label = match (from == to, from / 100 == to / 100) {
                (true, _) => from.to_string(),
                (false, true) => format!("{from}–{:02}", to.rem_euclid(100)),
                (false, false) => format!("{from}–{to}"),
            };
            YearColumnView { label, counts: vec![0; series.len()], total: 0 }
        })
        .collect();
    for (year, source) in dated {
        let column = &mut columns[((year - first) / width) as usize];
        column.counts[series_of(source)] += 1;
        column.total += 1;
    }
    let most = columns.iter().map(|c| c.total).max().unwrap_or(0);
    YearChartView { series, columns, most }
}
