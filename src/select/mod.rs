//! Stage 2, select: which findings, events, issues, sources and people a
//! book holds. Pure: no I/O, no clock.

use std::collections::BTreeSet;

use crate::corpus::Corpus;
use crate::corpus::model::{Event, Finding, Issue, Meeting, Participant, Source, Theme};
use crate::date::DateRange;
use crate::diag::{Diagnostic, Problem};

mod audience;

pub use audience::Visible;

/// What part of the corpus a book covers, as asked for (theme ids or
/// aliases as typed; resolved against the corpus into a [`Query`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every theme.
    #[default]
    All,
    /// Any of these themes (ids or aliases).
    Themes(Vec<String>),
    /// A meeting's book: what its agenda draws on.
    Meeting(String),
}

impl Scope {
    /// The scope of `--theme`s (none: every theme) or a `--meeting`.
    pub fn of(themes: Vec<String>, meeting: Option<String>) -> Scope {
        match (meeting, themes.is_empty()) {
            (Some(id), _) => Scope::Meeting(id),
            (None, true) => Scope::All,
            (None, false) => Scope::Themes(themes),
        }
    }

    /// The meeting's id, for a meeting's book.
    pub fn meeting(&self) -> Option<&str> {
        match self {
            Scope::Meeting(id) => Some(id),
            _ => None,
        }
    }
}

/// What a book is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Canonical theme ids; empty means every theme (or, for a meeting,
    /// the themes its agenda draws on).
    pub themes: Vec<String>,
    /// The dates to include.
    pub range: DateRange,
    /// A meeting's id: the book is that meeting's, its findings what the
    /// agenda items draw on.
    pub meeting: Option<String>,
    /// The audience's handling rank: nothing above it is selected. `None`
    /// selects every level.
    pub audience: Option<usize>,
}

/// The part of a corpus one book holds, each list in corpus order, all of
/// it visible to the book's audience.
#[derive(Debug)]
pub struct Selection<'c> {
    /// The corpus as the book's audience may see it, for lookups.
    pub corpus: &'c Corpus,
    /// The query it answers.
    pub query: Query,
    /// Selected themes, in taxonomy order.
    pub themes: Vec<&'c Theme>,
    /// Findings with a selected theme, dated within the range.
    pub findings: Vec<&'c Finding>,
    /// Events with a selected theme that overlap the range.
    pub events: Vec<&'c Event>,
    /// Issues fed by a selected finding.
    pub issues: Vec<&'c Issue>,
    /// Sources cited by a selected finding or event.
    pub sources: Vec<&'c Source>,
    /// People attached to a selected source.
    pub participants: Vec<&'c Participant>,
    /// Findings on the themes left out only because they are undated and a
    /// date range was given.
    pub undated_left_out: usize,
    /// The meeting, for a meeting's book.
    pub meeting: Option<&'c Meeting>,
    /// For a meeting's book: per agenda item, the selected findings it
    /// draws on, in corpus order.
    pub items: Vec<Vec<&'c Finding>>,
    /// What the audience's level kept out: counts only.
    pub withheld: Withheld,
    /// The highest handling rank among what is selected (`None` when the
    /// corpus defines no levels).
    pub highest: Option<usize>,
    /// The findings the book would hold but its audience may not see:
    /// only ever counted ([`Selection::count_withheld`]).
    withheld_findings: Vec<&'c Finding>,
    /// What the audience may see, and what it may not.
    visible: &'c Visible<'c>,
}

impl Selection<'_> {
    /// How many of the findings the book would hold, but its audience may
    /// not see, `which` picks: a count, never the findings.
    pub fn count_withheld(&self, which: &dyn Fn(&Finding) -> bool) -> usize {
        self.withheld_findings.iter().filter(|f| which(f)).count()
    }

    /// Whether the corpus has a finding with this id that the audience may
    /// not see.
    pub fn withholds_finding(&self, id: &str) -> bool {
        self.visible.held.findings.iter().any(|f| f.id == id)
    }

    /// Whether the corpus has an event with this id that the audience may
    /// not see.
    pub fn withholds_event(&self, id: &str) -> bool {
        self.visible.held.events.iter().any(|e| e.id == id)
    }

    /// Whether the corpus has an issue row with this id that the audience
    /// may not see.
    pub fn withholds_issue(&self, id: &str) -> bool {
        self.visible.held.issues.contains(id)
    }
}

/// How many items of each kind the audience's level kept out of a book.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Withheld {
    /// Findings.
    pub findings: usize,
    /// Timeline events.
    pub events: usize,
    /// Sources.
    pub sources: usize,
}

impl Withheld {
    /// All of them.
    pub fn total(&self) -> usize {
        self.findings + self.events + self.sources
    }
}

/// A theme name that names no theme of the corpus. An empty name (`-t ""`,
/// a stray comma in `--theme a,,b`, `themes = [""]`) names none either:
/// it is refused rather than read as "every theme".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", self.headline(), self.details())]
pub struct UnknownTheme {
    /// The name as given, trimmed; empty for an empty name.
    pub given: String,
    /// The nearest id or alias, if one is near.
    pub suggestion: Option<String>,
    /// Every theme: id, title and aliases, in taxonomy order.
    pub known: Vec<(String, String, Vec<String>)>,
}

impl UnknownTheme {
    /// The problem as a diagnostic at `at` in `path` (where a standing
    /// book's `themes` are, in brief.toml).
    pub fn diagnostic(&self, path: &std::path::Path, at: std::ops::Range<usize>) -> Diagnostic {
        let problem = if self.is_empty_name() {
            Problem::BadValue { field: "themes", message: "a theme name is empty".into() }
        } else {
            Problem::UnknownRef { kind: "theme", given: self.given.clone() }
        };
        let d = Diagnostic::error(path, at, problem);
        match &self.suggestion {
            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
            None => d,
        }
    }

    /// Whether the name given was empty (or only blanks).
    pub fn is_empty_name(&self) -> bool {
        self.given.is_empty()
    }

    fn headline(&self) -> String {
        if self.is_empty_name() {
            "a theme name is empty (an empty `--theme`, or a stray comma in a list)".into()
        } else {
            format!("unknown theme `{}`", self.given)
        }
    }

    fn details(&self) -> String {
        let mut text = String::new();
        if let Some(best) = &self.suggestion {
            text.push_str(&format!(": did you mean `{best}`?"));
        }
        text.push_str("\nknown themes:");
        for (id, title, aliases) in &self.known {
            text.push_str(&format!("\n  {id:<14} {title}"));
            if !aliases.is_empty() {
                text.push_str(&format!(" (also: {})", aliases.join(", ")));
            }
        }
        text
    }
}

/// Resolves theme names as typed (ids or aliases, any case, comma lists
/// already split) to canonical ids, in taxonomy order without repeats.
///
/// ```
/// use brief::corpus::{Corpus, model::Theme};
/// let theme = |id: &str, aliases: &[&str]| Theme {
///     id: id.into(), title: id.into(), description: String::new(),
///     aliases: aliases.iter().map(|a| a.to_string()).collect(),
/// };
/// let corpus = Corpus { themes: vec![theme("afghanistan", &["afpak"]), theme("drones", &[])], ..Default::default() };
/// let given = ["Drones".to_string(), "AFPAK".to_string()];
/// assert_eq!(brief::select::resolve_themes(&corpus, &given).unwrap(), ["afghanistan", "drones"]);
/// let err = brief::select::resolve_themes(&corpus, &["afghanstan".to_string()]).unwrap_err();
/// assert_eq!(err.suggestion.as_deref(), Some("afghanistan"));
/// ```
pub fn resolve_themes(corpus: &Corpus, given: &[String]) -> Result<Vec<String>, UnknownTheme> {
    let mut wanted = Vec::new();
    for name in given.iter().map(|g| g.trim()) {
        let lower = name.to_lowercase();
        // An empty name matches nothing and suggests nothing.
        let found = corpus.themes.iter().find(|t| {
            !name.is_empty()
                && (t.id.to_lowercase() == lower
                    || t.aliases.iter().any(|a| a.to_lowercase() == lower))
        });
        match found {
            Some(theme) => wanted.push(theme.id.as_str()),
            None => {
                let names = corpus.themes.iter().flat_map(|t| {
                    std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(String::as_str))
                });
                return Err(UnknownTheme {
                    given: name.to_string(),
                    suggestion: crate::suggest::nearest(&lower, names)
                        .filter(|_| !name.is_empty())
                        .map(str::to_string),
                    known: corpus
                        .themes
                        .iter()
                        .map(|t| (t.id.clone(), t.title.clone(), t.aliases.clone()))
                        .collect(),
                });
            }
        }
    }
    Ok(corpus
        .themes
        .iter()
        .filter(|t| wanted.contains(&t.id.as_str()))
        .map(|t| t.id.clone())
        .collect())
}

/// Selects what a book on `query` holds, from what its audience may see
/// (the query's audience is the one `visible` was made for).
pub fn select<'v>(visible: &'v Visible<'_>, mut query: Query) -> Selection<'v> {
    query.audience = visible.audience;
    let corpus: &'v Corpus = &visible.corpus;
    let meeting = query.meeting.as_deref().and_then(|id| corpus.meeting(id));
    let all = query.themes.is_empty() && meeting.is_none();
    let scope = Subject { query: &query, meeting, all };
    let (findings, undated_left_out) = findings(corpus, &scope);
    let held = &visible.held;
    let withheld_findings: Vec<&'v Finding> =
        held.findings.iter().copied().filter(|f| scope.holds(f)).collect();

    let theme_ids = theme_ids(&query, meeting, &findings);
    let on_theme = |themes: &[String]| all || themes.iter().any(|t| theme_ids.contains(t.as_str()));
    let themes =
        corpus.themes.iter().filter(|t| all || theme_ids.contains(t.id.as_str())).collect();
    let in_view = |e: &Event| on_theme(&e.themes) && query.range.overlaps(e.date, e.end);
    let events = corpus.events.iter().filter(|e| in_view(e)).collect::<Vec<_>>();

    let issues = issues(corpus, meeting, &findings);

    let cited: BTreeSet<&str> = findings
        .iter()
        .map(|f| f.source.as_str())
        .chain(events.iter().map(|e| e.source.as_str()))
        .collect();
    let sources = sources(corpus, &findings, &cited);
    let withheld = Withheld {
        findings: withheld_findings.len(),
        events: held.events.iter().filter(|e| in_view(e)).count(),
        // A source above the level can only be cited by withheld items.
        sources: held
            .sources
            .iter()
            .filter(|s| withheld_findings.iter().any(|f| f.source == s.id))
            .count(),
    };
    let highest = (!corpus.levels.is_empty()).then(|| {
        findings
            .iter()
            .map(|f| corpus.finding_rank(f))
            .chain(events.iter().map(|e| corpus.event_rank(e)))
            .chain(sources.iter().map(|s| corpus.rank_of(None, &s.id)))
            .max()
            .unwrap_or(0)
    });
    let participants = match meeting {
        Some(m) => m.attendees.iter().filter_map(|id| corpus.participant(id)).collect(),
        None => corpus.participants.iter().filter(|p| cited.contains(p.source.as_str())).collect(),
    };
    let items = meeting
        .map(|m| {
            m.agenda
                .iter()
                .map(|item| findings.iter().copied().filter(|f| item.draws(f)).collect())
                .collect()
        })
        .unwrap_or_default();

    Selection {
        corpus,
        query,
        themes,
        findings,
        events,
        issues,
        sources,
        participants,
        undated_left_out,
        meeting,
        items,
        withheld,
        highest,
        withheld_findings,
        visible,
    }
}

/// The themes a book is about: the query's, or, for a meeting's book,
/// those its agenda and the findings it draws on are on.
fn theme_ids<'a>(
    query: &'a Query,
    meeting: Option<&'a Meeting>,
    findings: &[&'a Finding],
) -> BTreeSet<&'a str> {
    match meeting {
        Some(m) => m
            .agenda
            .iter()
            .flat_map(|item| item.themes.iter().map(String::as_str))
            .chain(findings.iter().flat_map(|f| f.themes.iter().map(String::as_str)))
            .collect(),
        None => query.themes.iter().map(String::as_str).collect(),
    }
}

/// The issue rows a book holds: those its findings feed, and those its
/// meeting's agenda names. (Sets keep this linear in the corpus size.)
fn issues<'c>(
    corpus: &'c Corpus,
    meeting: Option<&Meeting>,
    findings: &[&Finding],
) -> Vec<&'c Issue> {
    let fed: BTreeSet<&str> =
        findings
            .iter()
            .filter_map(|f| f.issue.as_deref())
            .chain(meeting.into_iter().flat_map(|m| {
                m.agenda.iter().flat_map(|item| item.issues.iter().map(String::as_str))
            }))
            .collect();
    corpus.issues.iter().filter(|i| fed.contains(i.id.as_str())).collect()
}

/// What a query's book is about: its themes or meeting, and its range.
struct Subject<'q> {
    query: &'q Query,
    meeting: Option<&'q Meeting>,
    all: bool,
}

impl Subject<'_> {
    /// Whether a finding is on the book's subject.
    fn covers(&self, f: &Finding) -> bool {
        match self.meeting {
            Some(m) => m.agenda.iter().any(|item| item.draws(f)),
            None => self.all || f.themes.iter().any(|t| self.query.themes.contains(t)),
        }
    }

    /// Whether a finding is dated within the range (an undated one only
    /// when the range is open).
    fn in_range(&self, f: &Finding) -> bool {
        match f.date {
            Some(date) => self.query.range.overlaps(date, None),
            None => self.query.range.is_open(),
        }
    }

    /// Whether the book would hold the finding, were it visible.
    fn holds(&self, f: &Finding) -> bool {
        self.covers(f) && self.in_range(f)
    }
}

/// The findings of the query's scope and range, and how many undated
/// ones on its subject a closed range left out.
fn findings<'c>(corpus: &'c Corpus, scope: &Subject) -> (Vec<&'c Finding>, usize) {
    let on_subject = corpus.findings.iter().filter(|f| scope.covers(f));
    let (findings, out): (Vec<&Finding>, Vec<&Finding>) =
        on_subject.partition(|f| scope.in_range(f));
    (findings, out.iter().filter(|f| f.date.is_none()).count())
}

/// The sources the book lists: those `cited` by its findings and events,
/// and those the findings' bodies cite.
fn sources<'c>(
    corpus: &'c Corpus,
    findings: &[&Finding],
    cited: &BTreeSet<&str>,
) -> Vec<&'c Source> {
    let listed: BTreeSet<&str> = cited
        .iter()
        .copied()
        .chain(findings.iter().flat_map(|f| f.cites.iter().map(String::as_str)))
        .collect();
    corpus.sources.iter().filter(|s| listed.contains(s.id.as_str())).collect()
}

/// An audience (`--audience`, `audience =`) that names no handling level.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown handling level `{given}`{}", self.details())]
pub struct UnknownLevel {
    /// The id as given.
    pub given: String,
    /// The corpus's levels, lowest first.
    pub known: Vec<String>,
}

impl UnknownLevel {
    /// The problem as a diagnostic at `at` in `path` (a standing book, in
    /// brief.toml).
    pub fn diagnostic(&self, path: &std::path::Path, at: std::ops::Range<usize>) -> Diagnostic {
        let problem = Problem::UnknownRef { kind: "handling level", given: self.given.clone() };
        let d = Diagnostic::error(path, at, problem);
        match crate::suggest::hint(&self.given, self.known.iter().map(String::as_str), "known") {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }

    fn details(&self) -> String {
        if self.known.is_empty() {
            return "\nthe corpus defines no handling levels (data/levels.yaml)".into();
        }
        let mut text =
            match crate::suggest::nearest(&self.given, self.known.iter().map(String::as_str)) {
                Some(best) => format!(": did you mean `{best}`?"),
                None => String::new(),
            };
        text.push_str(&format!("\nknown levels, lowest first: {}", self.known.join(", ")));
        text
    }
}

/// The rank of the audience level `id` (any case), or an error listing
/// the known ones.
pub fn resolve_audience(corpus: &Corpus, id: &str) -> Result<usize, UnknownLevel> {
    corpus.levels.iter().position(|l| l.id.eq_ignore_ascii_case(id.trim())).ok_or_else(|| {
        UnknownLevel {
            given: id.to_string(),
            known: corpus.levels.iter().map(|l| l.id.clone()).collect(),
        }
    })
}

/// A meeting id that names no meeting of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown meeting `{given}`{}", self.details())]
pub struct UnknownMeeting {
    /// The id as given.
    pub given: String,
    /// The known meetings: id and title.
    pub known: Vec<(String, String)>,
}

impl UnknownMeeting {
    /// The problem as a diagnostic at `at` in `path` (a standing book's
    /// `meeting`, in brief.toml).
    pub fn diagnostic(&self, path: &std::path::Path, at: std::ops::Range<usize>) -> Diagnostic {
        let problem = Problem::UnknownRef { kind: "meeting", given: self.given.clone() };
        let ids = self.known.iter().map(|(id, _)| id.as_str());
        let d = Diagnostic::error(path, at, problem);
        match crate::suggest::hint(&self.given, ids, "known") {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }

    fn details(&self) -> String {
        let ids = self.known.iter().map(|(id, _)| id.as_str());
        let mut text = match crate::suggest::nearest(&self.given, ids) {
            Some(best) => format!(": did you mean `{best}`?"),
            None => String::new(),
        };
        if self.known.is_empty() {
            text.push_str("\nthe corpus has no meetings (data/meetings.yaml)");
        } else {
            text.push_str("\nknown meetings:");
            for (id, title) in &self.known {
                text.push_str(&format!("\n  {id:<28} {title}"));
            }
        }
        text
    }
}

/// The meeting with this id, or an error listing the known ones.
pub fn resolve_meeting<'c>(corpus: &'c Corpus, id: &str) -> Result<&'c Meeting, UnknownMeeting> {
    corpus.meeting(id).ok_or_else(|| UnknownMeeting {
        given: id.to_string(),
        known: corpus.meetings.iter().map(|m| (m.id.clone(), m.title.clone())).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::model::Theme;

    fn theme(id: &str, aliases: &[&str]) -> Theme {
        Theme {
            id: id.into(),
            title: id.into(),
            description: String::new(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn finding(id: &str, themes: &[&str], date: Option<&str>) -> Finding {
        Finding {
            id: id.into(),
            title: id.into(),
            date: date.map(|d| d.parse().unwrap()),
            themes: themes.iter().map(|t| t.to_string()).collect(),
            source: "s".into(),
            ..Default::default()
        }
    }

    fn corpus() -> Corpus {
        Corpus {
            themes: vec![
                theme("afghanistan", &["afpak", "Taliban"]),
                theme("drones", &["sovereignty"]),
                theme("india", &[]),
            ],
            findings: vec![
                finding("a", &["afghanistan"], Some("2012-09-19")),
                finding("b", &["drones", "afghanistan"], Some("2011")),
                finding("c", &["india"], Some("2019-02")),
                finding("d", &["afghanistan"], None),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn themes_match_ids_and_aliases_case_insensitively_in_taxonomy_order() {
        let c = corpus();
        let given =
            ["india".to_string(), "TALIBAN".into(), "Sovereignty".into(), "afghanistan".into()];
        assert_eq!(resolve_themes(&c, &given).unwrap(), ["afghanistan", "drones", "india"]);
    }

    #[test]
    fn unknown_themes_list_the_known_ones_and_suggest() {
        let err = resolve_themes(&corpus(), &["dron".to_string()]).unwrap_err().to_string();
        assert!(err.starts_with("unknown theme `dron`: did you mean `drones`?"), "{err}");
        assert!(err.contains("afghanistan") && err.contains("also: afpak, Taliban"), "{err}");
        let err = resolve_themes(&corpus(), &["zzzzzzz".to_string()]).unwrap_err().to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn an_empty_theme_name_is_refused_not_read_as_every_theme() {
        for given in [vec![""], vec!["", ""], vec!["india", " "], vec!["drones", "", "india"]] {
            let given: Vec<String> = given.into_iter().map(String::from).collect();
            let err = resolve_themes(&corpus(), &given).unwrap_err();
            assert!(err.is_empty_name(), "{given:?}");
            assert_eq!(err.suggestion, None);
            let text = err.to_string();
            assert!(
                text.starts_with("a theme name is empty (an empty `--theme`, or a stray comma"),
                "{text}"
            );
            assert!(text.contains("\nknown themes:\n  afghanistan"), "{text}");
        }
        assert!(resolve_themes(&corpus(), &[]).unwrap().is_empty(), "no names: every theme");
    }

    #[test]
    fn several_themes_mean_any_of_them() {
        let c = corpus();
        let v = c.visible_to(None);
        let s = select(
            &v,
            Query { themes: vec!["drones".into(), "india".into()], ..Default::default() },
        );
        let ids: Vec<&str> = s.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn a_range_keeps_overlapping_dates_and_drops_undated() {
        let c = corpus();
        let range =
            DateRange { from: Some("2011-06".parse().unwrap()), to: Some("2012".parse().unwrap()) };
        let v = c.visible_to(None);
        let s = select(&v, Query { themes: vec!["afghanistan".into()], range, ..Query::default() });
        let ids: Vec<&str> = s.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "2011 overlaps June 2011 onwards");
        assert_eq!(s.undated_left_out, 1);
        let s = select(&v, Query { themes: vec!["afghanistan".into()], ..Query::default() });
        assert_eq!(s.findings.len(), 3, "without a range, undated findings are in");
    }
}
