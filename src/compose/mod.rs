//! Stage 3, compose: a selection to the [`BookView`] the templates read.
//!
//! Pure: no I/O, no clock (the "as of" date comes in as an argument). Everything here is ordered by a total order with an
//! explicit tie-breaker, so the same corpus gives the same book.

mod annex;
mod edition;
pub mod filing;
mod matrix;
pub mod meeting;
mod strip;
mod style;
mod timeline;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use annex::surname;
pub use filing::{Filing, FindingRef};
pub use style::{CSL_VPATH, StyleView};

use crate::corpus::markdown::Block;
use crate::corpus::model::{Finding, SHARED, Source};
use crate::date::PartialDate;
use crate::select::Selection;
use crate::settings::BookSettings;
use filing::{finding_label, source_label};

/// Everything the templates show, as one serialisable value.
#[derive(Debug, Serialize)]
pub struct BookView {
    /// Cover and document metadata.
    pub meta: MetaView,
    /// The at-a-glance page.
    pub glance: GlanceView,
    /// The key judgements among the book's findings, in book order.
    pub key_points: Vec<KeyPointView>,
    /// For a meeting's book: the meeting's own pages.
    pub meeting: Option<meeting::MeetingView>,
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
    /// The edition, for a book that has editions.
    pub edition: Option<EditionView>,
    /// The bibliography of the sources cited, in hayagriva's YAML: what
    /// Typst's `bibliography()` formats (empty when there is none).
    pub bibliography: String,
    /// The citation style.
    pub style: StyleView,
    /// The glossary's terms that the book's text uses, sorted.
    pub abbreviations: Vec<AbbreviationView>,
}

/// A book's edition: its number and date, and what changed since the one
/// before (none for a first edition).
#[derive(Debug, Serialize)]
pub struct EditionView {
    /// Its number.
    pub number: u32,
    /// When it was first made: "1 December 2026".
    pub date: String,
    /// What changed since the edition before.
    pub since: Option<ChangesView>,
    /// The edition record, as embedded in the PDF (`edition.json`).
    pub record: String,
    /// Whether the PDF may carry it: not PDF/A-2b, which allows no
    /// attachment but a PDF/A file (the record is still kept beside it).
    pub embed: bool,
}

/// The "What changed since edition N" page.
#[derive(Debug, Serialize)]
pub struct ChangesView {
    /// The edition compared with.
    pub edition: u32,
    /// Its date, as printed.
    pub date: String,
    /// One group per kind of change that happened, in a fixed order.
    pub groups: Vec<ChangeGroupView>,
}

/// "New findings", "Revised findings", "Withdrawn findings", "New events"...
#[derive(Debug, Serialize)]
pub struct ChangeGroupView {
    /// The group's heading.
    pub heading: String,
    /// Its entries.
    pub entries: Vec<ChangeEntryView>,
}

/// One changed item: linked to where it now is, unless withdrawn.
#[derive(Debug, Serialize)]
pub struct ChangeEntryView {
    /// Its title.
    pub title: String,
    /// The label it is printed under; none for a withdrawn item.
    pub label: Option<String>,
    /// A finding's number in this book.
    pub number: Option<usize>,
}

/// One abbreviation on the book's Abbreviations page.
#[derive(Debug, Serialize)]
pub struct AbbreviationView {
    /// The term: `ISI`.
    pub term: String,
    /// What it stands for.
    pub expansion: String,
    /// A remark from the sources.
    pub note: Option<String>,
}

/// The organisation a book is made for, as brief.toml names it.
#[derive(Debug, Serialize)]
pub struct BrandView {
    /// Its name.
    pub organisation: Option<String>,
    /// The virtual path of its logo.
    pub logo: Option<String>,
    /// The accent colour, `#rrggbb`.
    pub accent: Option<String>,
    /// The cover's footer line.
    pub footer: Option<String>,
}

/// A key judgement, one line.
#[derive(Debug, Serialize)]
pub struct KeyPointView {
    /// The finding's number.
    pub number: usize,
    /// The finding's label.
    pub label: String,
    /// Its one-line summary.
    pub summary: String,
}

/// Cover and metadata.
#[derive(Debug, Serialize)]
pub struct MetaView {
    /// Book title.
    pub title: String,
    /// Selected theme titles, or "All themes"; for a meeting, its date and
    /// venue.
    pub subtitle: String,
    /// The cover's facts, label and value: themes, dates, "as of".
    pub facts: Vec<[String; 2]>,
    /// The running head's words (short enough for one line).
    pub running: String,
    /// The organisation's look: name, logo, accent colour, cover footer.
    pub brand: BrandView,
    /// Selected theme ids (PDF keywords).
    pub keywords: Vec<String>,
    /// The date range, e.g. "2011 – June 2019" or "all dates".
    pub range: String,
    /// "23 November 2026".
    pub as_of: String,
    /// The same date as numbers, for the PDF's metadata.
    pub as_of_ymd: [u32; 3],
    /// Handling line: the banner, when the corpus defines levels.
    pub handling: String,
    /// The highest included level's banner, printed at the top and bottom
    /// of every page; `None` when the corpus defines no levels.
    pub banner: Option<String>,
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
    /// The dated findings by year (or run of years) and source.
    pub per_year: YearChartView,
    /// What the audience's level kept out, by kind (counts only).
    pub withheld: crate::select::Withheld,
}

/// The chart of dated findings by year and source.
#[derive(Debug, Serialize)]
pub struct YearChartView {
    /// The series, one per source (the last may gather the rest), in the
    /// order of the source list.
    pub series: Vec<String>,
    /// A column per year (or run of years) from the first dated finding
    /// to the last, empty ones included, so gaps show.
    pub columns: Vec<YearColumnView>,
    /// The most findings in one column.
    pub most: usize,
}

/// One column of the year chart.
#[derive(Debug, Serialize)]
pub struct YearColumnView {
    /// "2011", or "2001–05" when a column holds several years.
    pub label: String,
    /// Findings per series.
    pub counts: Vec<usize>,
    /// Their sum.
    pub total: usize,
}

/// At most this many columns: a longer span groups years.
const YEAR_COLUMNS: i32 = 16;
/// At most this many series: the sources after them are gathered as one.
const YEAR_SERIES: usize = 4;

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
    /// The finding's label.
    pub label: String,
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
    /// Its label, for links to it.
    pub label: String,
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
    /// The source's citation key: its entry in the bibliography.
    pub source_key: String,
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
    /// `new` or `revised` since the edition before: marked in the margin.
    pub change: Option<&'static str>,
}

/// A source in the list of sources.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// Label for links.
    pub label: String,
    /// Citation key: the source's entry in the bibliography.
    pub key: String,
    /// Its handling level's banner, if it has one.
    pub handling: Option<String>,
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
    /// The book's findings from this source.
    pub findings: Vec<FindingRef>,
}

/// Composes the book: `settings` are the book's (layered), `as_of` the
/// date it is made on.
pub fn compose(selection: &Selection, settings: &BookSettings, as_of: NaiveDate) -> BookView {
    compose_edition(selection, settings, as_of, None)
}

/// [`compose`], for the edition `record` of a book: the cover names it,
/// the changes page lists what changed since the edition before, and new
/// and revised findings are marked.
pub fn compose_edition(
    selection: &Selection,
    settings: &BookSettings,
    as_of: NaiveDate,
    record: Option<&crate::changes::Record>,
) -> BookView {
    // Sources rank in corpus order (the timeline uses it too).
    let ranks: BTreeMap<&str, usize> =
        selection.corpus.sources.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let order = book_order(&ranks);
    // A meeting's book files its findings under the agenda items; any
    // other book under its themes.
    let (filing, meeting, themes, annex) = match selection.meeting {
        Some(m) => {
            let filing = meeting::file_by_item(selection, order);
            let view = meeting::compose(selection, m, &filing);
            (filing, Some(view), Vec::new(), Vec::new())
        }
        None => {
            let filing = file_by_theme(selection, order);
            let themes = theme_chapters(selection, &filing);
            (filing, None, themes, annex::compose(selection))
        }
    };
    let timeline = timeline::compose(selection, &filing, &ranks);
    let matrix = matrix::compose(selection, &filing);
    let sources = sources(selection, &filing);
    let glance = glance(selection, &themes, &matrix);
    let meta = meta(selection, settings, as_of);
    let key_points = key_points(selection, &filing);
    let corpus = selection.corpus;
    // A corpus built in memory may have no records: each source then has
    // the record its fields imply, as loading would give it.
    let records: Vec<crate::corpus::model::Entry> = selection
        .sources
        .iter()
        .map(|s| match corpus.records.get(&s.id) {
            Some(r) => r.clone(),
            None => crate::corpus::bibliography::source_entry(
                s,
                &corpus.participants,
                std::path::Path::new("sources.yaml"),
            ),
        })
        .collect();
    let bibliography = crate::corpus::bibliography::library_yaml(&records);
    let prose_cited = selection
        .findings
        .iter()
        .any(|f| crate::corpus::markdown::citations(&f.body).iter().any(|c| c.form == "prose"));
    let style = StyleView::from_settings(settings, prose_cited);
    let mut book = BookView {
        meta,
        glance,
        key_points,
        meeting,
        themes,
        timeline,
        matrix,
        annex,
        sources,
        edition: None,
        bibliography,
        style,
        abbreviations: Vec::new(),
    };
    if let Some(record) = record {
        let embed = settings.pdf_standard != Some(crate::settings::PdfStandard::A2b);
        edition::mark(&mut book, selection, &filing, record, embed);
    }
    if let Some(glossary) = &corpus.glossary {
        book.abbreviations = abbreviations(&book, &records, glossary);
    }
    book
}

/// The glossary's terms that occur in what the book prints: every text of
/// the composed book (not its ids, labels, links or settings) and the
/// bibliographic records of its sources.
fn abbreviations(
    book: &BookView,
    records: &[crate::corpus::model::Entry],
    glossary: &crate::corpus::glossary::Glossary,
) -> Vec<AbbreviationView> {
    const NOT_PRINTED: [&str; 21] = [
        "label",
        "record",
        "id",
        "kind",
        "url",
        "src",
        "lang",
        "source_label",
        "source_key",
        "key",
        "keywords",
        "paper",
        "accent",
        "logo",
        "bibliography",
        "style",
        "as_of_ymd",
        "form",
        "align",
        "type",
        "serial-number",
    ];
    fn walk_json<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk_json(v, out)),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if !NOT_PRINTED.contains(&k.as_str()) {
                        walk_json(v, out);
                    }
                }
            }
            _ => {}
        }
    }
    fn walk_yaml(value: &serde_yaml::Value, out: &mut Vec<String>) {
        match value {
            serde_yaml::Value::String(s) => out.push(s.clone()),
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| walk_yaml(v, out)),
            serde_yaml::Value::Mapping(map) => {
                for (k, v) in map {
                    if !k.as_str().is_some_and(|k| NOT_PRINTED.contains(&k) || k == "date") {
                        walk_yaml(v, out);
                    }
                }
            }
            _ => {}
        }
    }
    let json = serde_json::to_value(book).expect("a BookView always serialises");
    let mut texts = Vec::new();
    walk_json(&json, &mut texts);
    let mut record_texts = Vec::new();
    for r in records {
        walk_yaml(&r.yaml, &mut record_texts);
    }
    texts.extend(record_texts.iter().map(String::as_str));
    glossary
        .used(&texts)
        .into_iter()
        .map(|t| AbbreviationView {
            term: t.term.clone(),
            expansion: t.expansion.clone(),
            note: t.note.clone(),
        })
        .collect()
}

/// The key judgements among the book's findings, in book order.
fn key_points(selection: &Selection, filing: &Filing) -> Vec<KeyPointView> {
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

/// The order findings are printed in within a section: dated before
/// undated, by date, by source, then in file-name order (which keeps a
/// document's own order; see data/README.md), then by id.
fn book_order<'r>(
    ranks: &'r BTreeMap<&str, usize>,
) -> impl Fn(&Finding, &Finding) -> Ordering + 'r {
    let source_rank = |id: &str| ranks.get(id).copied().unwrap_or(usize::MAX);
    move |a: &Finding, b: &Finding| {
        (a.date.is_none(), a.date, source_rank(&a.source))
            .cmp(&(b.date.is_none(), b.date, source_rank(&b.source)))
            .then_with(|| natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy()))
            .then_with(|| a.id.cmp(&b.id))
    }
}

/// Files each finding under its first selected theme.
fn file_by_theme<'c>(
    selection: &Selection<'c>,
    order: impl Fn(&Finding, &Finding) -> Ordering,
) -> Filing<'c> {
    let home = |f: &Finding| {
        f.themes.iter().find_map(|t| selection.themes.iter().position(|s| s.id == *t))
    };
    Filing::new(&selection.findings, selection.themes.len(), home, order)
}

/// One finding as printed.
fn finding_view(selection: &Selection, filing: &Filing, f: &Finding) -> FindingView {
    let corpus = selection.corpus;
    let selected = |id: &str| selection.themes.iter().find(|t| t.id == id);
    let number = filing.number(&f.id).expect("a printed finding is filed");
    FindingView {
        number,
        label: finding_label(number),
        id: f.id.clone(),
        title: f.title.clone(),
        date: f.date.map(PartialDate::display),
        source: corpus.source(&f.source).map_or_else(|| f.source.clone(), |s| s.short.clone()),
        source_label: source_label(&f.source),
        source_key: f.source.clone(),
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
            .skip_while(|t| selected(t).is_none())
            .skip(1)
            .filter_map(|t| selected(t).map(|t| t.title.clone()))
            .collect(),
        body: f.body.clone(),
        change: None,
    }
}

/// A chapter per selected theme: the findings filed under it, and those
/// filed elsewhere that also bear on it.
fn theme_chapters(selection: &Selection, filing: &Filing) -> Vec<ThemeView> {
    selection
        .themes
        .iter()
        .enumerate()
        .map(|(index, theme)| {
            let findings =
                filing.sections[index].iter().map(|f| finding_view(selection, filing, f)).collect();
            let see_also = filing
                .claimed_elsewhere(index, &selection.findings, |f| f.themes.contains(&theme.id))
                .into_iter()
                .map(|f| {
                    let number = filing.number(&f.id).expect("filed");
                    let home = filing.home(&f.id).expect("filed");
                    CrossRefView {
                        number,
                        label: finding_label(number),
                        title: f.title.clone(),
                        home: selection.themes[home].title.clone(),
                    }
                })
                .collect();
            ThemeView {
                id: theme.id.clone(),
                title: theme.title.clone(),
                description: theme.description.clone(),
                findings,
                see_also,
            }
        })
        .collect()
}

/// The list of sources, each with the book's findings from it.
fn sources(selection: &Selection, filing: &Filing) -> Vec<SourceView> {
    let mut by_source: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &selection.findings {
        by_source.entry(f.source.as_str()).or_default().push(f);
    }
    selection
        .sources
        .iter()
        .map(|s| SourceView {
            label: source_label(&s.id),
            key: s.id.clone(),
            // The level's banner, as every page prints it.
            handling: s.handling.as_deref().and_then(|id| {
                selection.corpus.levels.iter().find(|l| l.id == id).map(|l| l.banner.clone())
            }),
            short: s.short.clone(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            organisation: s.organisation.clone(),
            place: s.place.clone(),
            date: s.date.map(PartialDate::display),
            authors: annex::authors(selection.corpus, &s.id),
            r#abstract: s.r#abstract.clone(),
            note: s.note.clone(),
            findings: filing.cites(by_source.remove(s.id.as_str()).unwrap_or_default()),
        })
        .collect()
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

/// The counts of the at-a-glance page.
fn glance(selection: &Selection, themes: &[ThemeView], matrix: &matrix::MatrixView) -> GlanceView {
    GlanceView {
        findings: selection.findings.len(),
        events: selection.events.len(),
        sources: selection.sources.len(),
        issues: matrix.rows.len(),
        participants: selection.participants.len(),
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
        assessments: matrix.assessment_counts(),
        per_year: per_year(selection),
        withheld: selection.withheld,
    }
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

/// The cover and the PDF's metadata.
fn meta(selection: &Selection, settings: &BookSettings, as_of: NaiveDate) -> MetaView {
    let all_themes = selection.query.themes.is_empty();
    let themes = if all_themes && selection.meeting.is_none() {
        "All themes".to_string()
    } else {
        selection.themes.iter().map(|t| t.title.as_str()).collect::<Vec<_>>().join(" · ")
    };
    let range = selection.query.range.display();
    let as_of_text = PartialDate::from_naive(as_of).display();
    let (title, subtitle, facts) = match selection.meeting {
        Some(m) => {
            let when = m.date.map_or_else(|| "date not stated".to_string(), PartialDate::display);
            let mut facts = vec![["Meeting".to_string(), when.clone()]];
            if let Some(venue) = &m.venue {
                facts.push(["Venue".into(), venue.clone()]);
            }
            facts.push(["Findings dated".into(), range.clone()]);
            facts.push(["As of".into(), as_of_text.clone()]);
            let title = settings.title.clone().unwrap_or_else(|| m.title.clone());
            let subtitle = match &m.venue {
                Some(venue) => format!("Meeting briefing · {when} · {venue}"),
                None => format!("Meeting briefing · {when}"),
            };
            (title, subtitle, facts)
        }
        None => {
            let facts = vec![
                ["Themes".to_string(), themes.clone()],
                ["Dates covered".into(), range.clone()],
                ["As of".into(), as_of_text.clone()],
            ];
            (settings.title().to_string(), themes.clone(), facts)
        }
    };
    let mut facts = facts;
    let levels = &selection.corpus.levels;
    let banner = selection.highest.map(|rank| levels[rank].banner.clone());
    let withheld = selection.withheld;
    if withheld.total() > 0 {
        let above =
            selection.query.audience.map_or(String::new(), |r| levels[r].banner.to_uppercase());
        let mut kinds = Vec::new();
        for (n, one, many) in [
            (withheld.findings, "finding", "findings"),
            (withheld.events, "event", "events"),
            (withheld.sources, "source", "sources"),
        ] {
            match n {
                0 => {}
                1 => kinds.push(format!("1 {one}")),
                n => kinds.push(format!("{n} {many}")),
            }
        }
        facts.push(["Withheld".into(), format!("{} above {above}", kinds.join(", "))]);
    }
    let running = match selection.meeting {
        Some(_) => title.clone(),
        None => format!("{title} · {subtitle}"),
    };
    let brand = BrandView {
        organisation: settings.organisation.clone(),
        logo: settings.logo.as_deref().map(crate::settings::logo_vpath),
        accent: settings.accent.clone(),
        footer: settings.footer.clone(),
    };
    MetaView {
        title,
        subtitle,
        facts,
        running,
        brand,
        keywords: selection
            .meeting
            .map(|m| m.id.clone())
            .into_iter()
            .chain(selection.themes.iter().map(|t| t.id.clone()))
            .collect(),
        range,
        as_of: as_of_text,
        as_of_ymd: [as_of.year() as u32, as_of.month(), as_of.day()],
        handling: banner.clone().unwrap_or_else(|| settings.handling().to_string()),
        banner,
        paper: settings.paper().typst_name().to_string(),
        duplex: settings.duplex(),
        watermark: settings.watermark.clone(),
    }
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
