//! The audience, applied once: what a handling level may see of a corpus.
//! Everything above the level is taken out here, before any book is
//! selected from it, so that no view, list, count, copy or command built
//! on [`Visible::corpus`] can print it, however it looks things up. What
//! was taken out is kept only to be counted (the documented "N withheld"
//! notes) and to be recognised by id (an earlier edition's item now above
//! the audience is counted, never named). Pure.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::corpus::Corpus;
use crate::corpus::model::{Event, Finding, Meeting, Source};

/// A corpus as an audience may see it.
#[derive(Debug)]
pub struct Visible<'c> {
    /// The corpus with every item above the audience taken out: findings,
    /// events, sources (and their bibliography records), the people those
    /// sources list, issue rows and single positions, meetings, agenda
    /// items and what the other side may raise.
    pub corpus: Cow<'c, Corpus>,
    /// The audience's rank; `None` sees everything.
    pub audience: Option<usize>,
    /// What was taken out, to count and to recognise.
    pub(super) held: Held<'c>,
}

/// What an audience may not see.
#[derive(Debug, Default)]
pub(super) struct Held<'c> {
    pub(super) findings: Vec<&'c Finding>,
    pub(super) events: Vec<&'c Event>,
    pub(super) sources: Vec<&'c Source>,
    /// Issue rows taken out (their own level, or only withheld findings
    /// feed them).
    pub(super) issues: BTreeSet<String>,
}

impl Corpus {
    /// What an audience of rank `audience` may see (everything for none).
    pub fn visible_to(&self, audience: Option<usize>) -> Visible<'_> {
        let Some(rank) = audience else {
            return Visible { corpus: Cow::Borrowed(self), audience, held: Held::default() };
        };
        let mut held = Held::default();
        let mut seen = self.clone();
        let (shown, hidden) = split(&self.findings, |f| self.finding_rank(f) <= rank);
        held.findings = hidden;
        seen.findings = shown.into_iter().cloned().collect();
        // Links and embeds between findings (Obsidian's) never name one
        // the audience may not see.
        let withheld: BTreeSet<&str> = held.findings.iter().map(|f| f.id.as_str()).collect();
        if !withheld.is_empty() {
            let is_withheld = |id: &str| withheld.contains(id);
            for f in &mut seen.findings {
                crate::corpus::vault::withhold(&mut f.body, &is_withheld);
            }
        }
        let (shown, hidden) = split(&self.events, |e| self.event_rank(e) <= rank);
        held.events = hidden;
        seen.events = shown.into_iter().cloned().collect();
        let source_shown = |id: &str| self.rank_of(None, id) <= rank;
        let (shown, hidden) = split(&self.sources, |s| source_shown(&s.id));
        held.sources = hidden;
        seen.sources = shown.into_iter().cloned().collect();
        // The clone's index of sources by position is the whole corpus's.
        seen.source_index = Default::default();
        seen.records.retain(|id, _| source_shown(id));
        seen.participants.retain(|p| source_shown(&p.source));
        let level = |own: Option<&str>| own.and_then(|id| self.level_rank(id)).unwrap_or(0) <= rank;
        let above = |f: &Finding| self.finding_rank(f) > rank;
        seen.issues.retain(|i| {
            let shown = level(i.handling.as_deref()) && !self.issue_withheld(&i.id, &above);
            if !shown {
                held.issues.insert(i.id.clone());
            }
            shown
        });
        for issue in &mut seen.issues {
            let hidden: Vec<_> = issue
                .positions
                .keys()
                .filter(|party| party.as_str().is_some_and(|p| !level(issue.position_level(p))))
                .cloned()
                .collect();
            for party in hidden {
                issue.positions.remove(&party);
            }
        }
        seen.meetings.retain(|m| level(m.handling.as_deref()));
        let attending: BTreeSet<String> = seen.participants.iter().map(|p| p.id.clone()).collect();
        for meeting in &mut seen.meetings {
            narrow(meeting, &level, &attending);
        }
        Visible { corpus: Cow::Owned(seen), audience, held }
    }
}

/// A meeting as the audience may see it: its agenda items, what may be
/// raised under them and its attendees at or below the level.
fn narrow(
    meeting: &mut Meeting,
    level: &dyn Fn(Option<&str>) -> bool,
    attending: &BTreeSet<String>,
) {
    meeting.agenda.retain(|item| level(item.handling.as_deref()));
    for item in &mut meeting.agenda {
        item.raise.retain(|r| level(r.handling.as_deref()));
    }
    meeting.attendees.retain(|a| attending.contains(&a.id));
}

/// The items `shown` keeps, and the others.
fn split<T>(items: &[T], shown: impl Fn(&T) -> bool) -> (Vec<&T>, Vec<&T>) {
    items.iter().partition(|item| shown(item))
}
