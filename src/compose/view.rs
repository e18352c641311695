//! The template API: every `*View` type, the [`BookView`] the templates
//! read as JSON and all its parts. Plain serialisable data, no I/O; the
//! other files of `compose` make these values.
//!
//! A field added, renamed or removed here changes what every template
//! sees (and the book JSON the snapshot tests keep).

use serde::Serialize;

use super::filing::FindingRef;
use crate::corpus::markdown::Block;
use crate::corpus::model::{Assessment, Likelihood, Role};
use crate::select::Withheld;

/// Everything the templates show, as one serialisable value.
#[derive(Debug, Serialize)]
pub struct BookView {
    /// Cover and document metadata.
    pub meta: MetaView,
    /// The book's counts, span and charts.
    pub glance: GlanceView,
    /// The key judgements among the book's findings, in book order.
    pub key_points: Vec<KeyPointView>,
    /// For a meeting's book: the meeting's own pages.
    pub meeting: Option<MeetingView>,
    /// Findings grouped by theme.
    pub themes: Vec<ThemeView>,
    /// Events and dated findings in order.
    pub timeline: Vec<TimelineRowView>,
    /// The issue matrix.
    pub matrix: MatrixView,
    /// People, grouped by meeting or paper.
    pub annex: Vec<AnnexGroupView>,
    /// The sources cited.
    pub sources: Vec<SourceView>,
    /// The edition, for a book that has editions.
    pub edition: Option<EditionView>,
    /// The source list, set in the book's style (every source of the
    /// book, cited or not).
    pub bibliography: crate::cite::List,
    /// The citation style.
    pub style: StyleView,
    /// The glossary's terms that the book's text uses, sorted.
    pub abbreviations: Vec<AbbreviationView>,
    /// Every finding the book prints, by id: its number and label, for
    /// links between findings (an Obsidian note's `[[Note]]`).
    pub targets: std::collections::BTreeMap<String, FindingRef>,
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
    /// A note on the numbering, when it starts afresh.
    pub note: Option<String>,
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
    /// A finding's number in this book (for a withdrawn one, the number
    /// it had, not issued again).
    pub number: Option<usize>,
    /// For a revised item, what changed ("summary and body revised").
    pub detail: Option<String>,
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
    /// The font family of the text, if not brief's.
    pub font: Option<String>,
    /// The font family of headings and the small type, if not brief's.
    pub heading_font: Option<String>,
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
    /// What kind of book: "Briefing book" or "Meeting brief", a small
    /// line above the title.
    pub kicker: String,
    /// The cover's largest line: the subject (the themes, "All themes" or
    /// the meeting's title), or the title brief.toml gives the book.
    pub title: String,
    /// The subject, under a title of brief.toml's that differs from it.
    pub subtitle: Option<String>,
    /// The PDF's subject line: "Briefing book on …; as of …".
    pub description: String,
    /// The cover's facts, label and value: the meeting's date and venue,
    /// the dates covered when a range is set, the edition, "as of".
    pub facts: Vec<[String; 2]>,
    /// The running head's words (short enough for one line).
    pub running: String,
    /// The organisation's look: name, logo, accent colour, cover footer.
    pub brand: BrandView,
    /// The meeting's and the selected themes' titles (PDF keywords).
    pub keywords: Vec<String>,
    /// The date range, e.g. "2011–June 2019" or "all dates".
    pub range: String,
    /// Whether a date range was set.
    pub ranged: bool,
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

/// The book's counts, span and charts (the summary and the findings' opening).
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
    /// Earliest to latest date of the dated findings and events.
    pub span: Option<String>,
    /// Findings in the book whose source gives no date.
    pub undated: usize,
    /// Findings left out only because they are undated and a range was set.
    pub undated_left_out: usize,
    /// Findings per theme.
    pub per_theme: Vec<ThemeCountView>,
    /// The dated findings by year (or run of years) and source.
    pub per_year: YearChartView,
    /// What the audience's level kept out, by kind (counts only).
    pub withheld: Withheld,
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

/// A theme's bar in the chart of findings by theme.
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
    /// The citation of its source, with the reference, in the book's
    /// style: the provenance line's first part.
    pub cited: Vec<crate::cite::Piece>,
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
    /// How the book's style cites it ("Cited as"); empty for a note
    /// style, whose citations are notes.
    pub cited: Vec<crate::cite::Piece>,
}

// A meeting's pages.

/// The meeting's own pages.
#[derive(Debug, Serialize)]
pub struct MeetingView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When, as written, if known.
    pub date: Option<String>,
    /// Where, if known.
    pub venue: Option<String>,
    /// What the meeting is.
    pub purpose: Vec<Block>,
    /// What we want from it.
    pub objectives: Vec<Block>,
    /// The press line, if any.
    pub press: Option<String>,
    /// Our side's title, if the meeting names one.
    pub our_side: Option<String>,
    /// The agenda.
    pub agenda: Vec<AgendaItemView>,
    /// Who is at the table, by surname.
    pub attendees: Vec<AttendeeView>,
}

/// One agenda item and its briefing.
#[derive(Debug, Serialize)]
pub struct AgendaItemView {
    /// Its number in the agenda, from 1.
    pub number: usize,
    /// The label of its section, for the agenda's page numbers and links.
    pub label: String,
    /// Its title.
    pub title: String,
    /// When in the day.
    pub time: Option<String>,
    /// Who leads it.
    pub lead: Option<String>,
    /// What it is for.
    pub objective: Vec<Block>,
    /// The points to make.
    pub points: Vec<Block>,
    /// What the other side may raise, most likely first.
    pub raise: Vec<RaiseView>,
    /// The positions on the issues it touches.
    pub positions: Vec<PositionView>,
    /// The findings printed here.
    pub findings: Vec<FindingView>,
    /// Findings it draws on that are printed under an earlier item.
    pub see_also: Vec<CrossRefView>,
    /// How many findings it draws on are withheld from this audience
    /// (counted, never named).
    pub withheld: usize,
}

/// A point the other side may raise.
#[derive(Debug, Serialize)]
pub struct RaiseView {
    /// What.
    pub text: String,
    /// `certain`, `likely` or `possible`.
    pub likelihood: Likelihood,
    /// Our response or line to take, if written.
    pub response: Option<String>,
}

/// The recorded positions on one issue.
#[derive(Debug, Serialize)]
pub struct PositionView {
    /// The issue.
    pub issue: String,
    /// The question at stake.
    pub question: Option<String>,
    /// Converging, diverging or mixed.
    pub assessment: Assessment,
    /// Each party's position, in the matrix's order.
    pub cells: Vec<PositionCellView>,
    /// The label of the issue's full positions: printed in full under
    /// the first item that draws on the issue, summarised in a line (with
    /// this label's page) under any later one.
    pub label: String,
    /// Whether this item prints the positions in full.
    pub full: bool,
}

/// One party's position on an issue.
#[derive(Debug, Serialize)]
pub struct PositionCellView {
    /// The party.
    pub party: String,
    /// Its position as recorded, if the corpus records one.
    pub position: Option<String>,
    /// Whether the party is our side.
    pub ours: bool,
}

/// Someone at the table.
#[derive(Debug, Serialize)]
pub struct AttendeeView {
    /// As listed.
    pub person: PersonView,
    /// The party whose side they are on ("Pakistan (ours)"), if recorded.
    pub side: Option<String>,
    /// Their role at the meeting, if recorded.
    pub role: Option<String>,
    /// The other sources and meetings of the corpus that name them.
    pub also_in: Vec<String>,
}

// The timeline.

/// One line of the timeline.
#[derive(Debug, Serialize, PartialEq)]
pub struct TimelineRowView {
    /// Its label, for the links from the strip's marks to it.
    pub label: String,
    /// The event's id; none for a line of findings.
    pub event: Option<String>,
    /// Where the strip above the table draws it.
    pub mark: MarkView,
    /// The date as written: "2018", "May 2011", "2 May 2011", or a span.
    pub date: String,
    /// `event`, or `findings` for the findings a source recorded that day.
    pub kind: &'static str,
    /// Event title, or the source's short title.
    pub title: String,
    /// What happened.
    pub summary: Option<String>,
    /// Where it is mentioned (source short title).
    pub source: Option<String>,
    /// Paragraph, page or section.
    pub r#ref: Option<String>,
    /// Whether the date comes from the public record, not the source.
    pub general_knowledge: bool,
    /// Why the date is what it is.
    pub date_note: Option<String>,
    /// The findings on this line.
    pub findings: Vec<FindingRef>,
}

/// Where one timeline row is drawn.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarkView {
    /// The strip (0, 1, …) it is drawn on.
    pub strip: usize,
    /// The strip's first and last year (both shown whole).
    pub axis: [i32; 2],
    /// Where it starts, as a fraction of the strip's width.
    pub from: f64,
    /// Where it ends (the same as `from` for a point).
    pub to: f64,
    /// A single day: drawn as a point, not a bar.
    pub point: bool,
    /// It runs on past the strip's last year.
    pub continues: bool,
}

// The issue matrix.

/// The matrix.
#[derive(Debug, Serialize)]
pub struct MatrixView {
    /// Column titles, one per party.
    pub parties: Vec<String>,
    /// One row per issue.
    pub rows: Vec<MatrixRowView>,
}

/// One issue.
#[derive(Debug, Serialize)]
pub struct MatrixRowView {
    /// The issue's id.
    pub id: String,
    /// Its row's label, for links to it.
    pub label: String,
    /// Issue title.
    pub title: String,
    /// The question at stake.
    pub question: Option<String>,
    /// `converging`, `diverging` or `mixed`.
    pub assessment: Assessment,
    /// Why.
    pub rationale: Option<String>,
    /// One cell per party, in column order.
    pub cells: Vec<CellView>,
    /// Findings on the issue held by both sides or by no named party.
    pub common: Vec<FindingRef>,
    /// How many of those are withheld from this audience.
    pub common_withheld: usize,
}

/// A party's position on an issue.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// The position as the documents state it, if recorded.
    pub position: Option<String>,
    /// The findings that record it.
    pub cites: Vec<FindingRef>,
    /// How many findings recording it are withheld from this audience:
    /// printed as "withheld", never linked.
    pub withheld: usize,
}

// The participant annex.

/// The people of one source.
#[derive(Debug, Serialize)]
pub struct AnnexGroupView {
    /// Source short title.
    pub source: String,
    /// Kind of source.
    pub kind: String,
    /// Its date, if stated.
    pub date: Option<String>,
    /// The people, by surname.
    pub people: Vec<PersonView>,
}

/// One person.
#[derive(Debug, Serialize)]
pub struct PersonView {
    /// As listed.
    pub honorific: Option<String>,
    /// Name without honorific.
    pub name: String,
    /// The sort key shown in small caps or used for indexing.
    pub surname: String,
    /// Current post(s).
    pub affiliation: Option<String>,
    /// Former roles.
    pub former: Vec<String>,
    /// Participant or author.
    pub role: Role,
}

// The citation style.

/// The citation style of the source list and the citations.
#[derive(Debug, Serialize)]
pub struct StyleView {
    /// The style of the citations: a name Typst knows, or the virtual path
    /// of the book's `.csl` file.
    pub csl: String,
    /// The style of the source list: `csl`, unless that style has no
    /// bibliography (it only formats citations); then the default style.
    pub list: String,
    /// Said under the source list when `list` is not `csl`.
    pub note: Option<String>,
    /// Whether the style sets a citation in running text (`@key says`) as
    /// something more than the author's name; if not, such a citation is
    /// set as the author followed by the normal citation.
    pub prose: bool,
    /// Whether the style puts citations in notes (`chicago-notes`): the
    /// source list then does not show "Cited as", which would be a note.
    pub notes: bool,
}
