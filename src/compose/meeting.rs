//! A meeting's book: the purpose, the agenda with each item's points to
//! make, the positions on its issues and the findings behind it, and who
//! is at the table. Pure.
//!
//! Agenda items claim findings as theme chapters do: a finding drawn on by
//! several items is printed under the first and cross-referenced from the
//! others ([`Filing`]).

use super::annex::{person, sort_key};
use super::chapters::{cross_refs, finding_view};
use super::filing::Filing;
use crate::corpus::markdown;
use crate::corpus::model::{AgendaItem, Finding, Meeting, Participant};
use crate::date::PartialDate;
use crate::select::Selection;

// The meeting's views, also reachable here, where they were defined
// before `view.rs` held every view.
pub use super::view::{
    AgendaItemView, AttendeeView, MeetingView, PositionCellView, PositionView, RaiseView,
};

/// Files the selected findings under the agenda items that draw on them.
pub(super) fn file_by_item<'c>(
    selection: &Selection<'c>,
    order: impl Fn(&Finding, &Finding) -> std::cmp::Ordering,
) -> Filing<'c> {
    let items = &selection.items;
    let home = |f: &Finding| items.iter().position(|drawn| drawn.iter().any(|d| d.id == f.id));
    Filing::new(&selection.findings, items.len(), home, order)
}

/// The meeting's pages.
pub(super) fn compose(selection: &Selection, meeting: &Meeting, filing: &Filing) -> MeetingView {
    let corpus = selection.corpus;
    let our_side = meeting.our_side.as_deref();
    let mut agenda: Vec<AgendaItemView> = (0..meeting.agenda.len())
        .map(|index| agenda_item(selection, meeting, filing, index))
        .collect();
    print_positions_once(&mut agenda);
    MeetingView {
        id: meeting.id.clone(),
        title: meeting.title.clone(),
        date: meeting.date.map(PartialDate::display),
        venue: meeting.venue.clone(),
        purpose: markdown::convert(&meeting.purpose, &mut |_, _| None),
        objectives: markdown::convert(&meeting.objectives, &mut |_, _| None),
        press: meeting.press.clone(),
        our_side: our_side.and_then(|id| corpus.party(id)).map(|p| p.title.clone()),
        agenda,
        attendees: attendees(selection, meeting),
    }
}

/// The agenda item at `index` and its briefing: the findings filed under
/// it, those it draws on that an earlier item prints, the positions on
/// its issues, and how many of its findings are withheld.
fn agenda_item(
    selection: &Selection,
    meeting: &Meeting,
    filing: &Filing,
    index: usize,
) -> AgendaItemView {
    let item = &meeting.agenda[index];
    let drawn = &selection.items[index];
    let findings =
        filing.sections[index].iter().map(|f| finding_view(selection, filing, f)).collect();
    let elsewhere = filing
        .claimed_elsewhere(index, &selection.findings, |f| drawn.iter().any(|d| d.id == f.id));
    let see_also = cross_refs(filing, &elsewhere, |home| {
        format!("item {}, {}", home + 1, meeting.agenda[home].title)
    });
    let mut raise: Vec<RaiseView> = item
        .raise
        .iter()
        .map(|r| RaiseView {
            text: r.text.clone(),
            likelihood: r.likelihood,
            response: r.response.clone(),
        })
        .collect();
    raise.sort_by_key(|r| r.likelihood);
    AgendaItemView {
        number: index + 1,
        label: format!("item-{}", index + 1),
        title: item.title.clone(),
        time: item.time.clone(),
        lead: item.lead.clone(),
        objective: markdown::convert(&item.objective, &mut |_, _| None),
        points: markdown::convert(&item.points, &mut |_, _| None),
        raise,
        positions: positions(selection, meeting, item, drawn),
        findings,
        see_also,
        withheld: selection.count_withheld(&|f| item.draws(f)),
    }
}

/// The positions on the issues an agenda item touches: those it names,
/// then those its `drawn` findings feed; each party's position, our
/// side's last.
fn positions(
    selection: &Selection,
    meeting: &Meeting,
    item: &AgendaItem,
    drawn: &[&Finding],
) -> Vec<PositionView> {
    let corpus = selection.corpus;
    let our_side = meeting.our_side.as_deref();
    let mut issues: Vec<&str> = item.issues.iter().map(String::as_str).collect();
    for f in drawn {
        if let Some(issue) = f.issue.as_deref()
            && !issues.contains(&issue)
        {
            issues.push(issue);
        }
    }
    issues
        .iter()
        .filter_map(|id| corpus.issue(id))
        .map(|issue| {
            let cells: Vec<PositionCellView> = corpus
                .parties
                .iter()
                .map(|party| PositionCellView {
                    party: party.title.clone(),
                    position: issue.position(&party.id).map(str::to_string),
                    ours: our_side == Some(party.id.as_str()),
                })
                .collect();
            PositionView {
                issue: issue.title.clone(),
                question: issue.question.clone(),
                assessment: issue.assessment,
                cells,
                label: format!("positions-{}", issue.id),
                full: true,
            }
        })
        .collect()
}

/// Each issue's positions in full once, under the first item that draws
/// on it; a later item summarises them in a line and points there.
fn print_positions_once(agenda: &mut [AgendaItemView]) {
    let mut printed = std::collections::BTreeSet::new();
    for position in agenda.iter_mut().flat_map(|item| &mut item.positions) {
        position.full = printed.insert(position.label.clone());
    }
}

/// The attendees, our side's first, then each party's in the parties'
/// order, then those whose side is not recorded; by surname within each
/// (honorifics ignored). Each with their role at the meeting and the other
/// places the corpus names them: the sources that list someone of the same
/// name, and the other meetings that seat them.
fn attendees(selection: &Selection, meeting: &Meeting) -> Vec<AttendeeView> {
    let corpus = selection.corpus;
    let seat = |p: &Participant| meeting.attendees.iter().find(|a| a.id == p.id);
    let side_rank = |side: Option<&str>| match side {
        None => usize::MAX,
        Some(s) if meeting.our_side.as_deref() == Some(s) => 0,
        Some(s) => 1 + corpus.parties.iter().position(|p| p.id == s).unwrap_or(0),
    };
    let mut people: Vec<&Participant> = selection.participants.clone();
    people
        .sort_by_cached_key(|p| (side_rank(seat(p).and_then(|a| a.side.as_deref())), sort_key(p)));
    people
        .into_iter()
        .map(|p| {
            let seat = seat(p);
            let side = seat.and_then(|a| a.side.as_deref()).and_then(|id| {
                let title = &corpus.party(id)?.title;
                Some(if meeting.our_side.as_deref() == Some(id) {
                    format!("{title} (ours)")
                } else {
                    title.clone()
                })
            });
            AttendeeView {
                person: person(p),
                side,
                role: seat.and_then(|a| a.role.clone()),
                also_in: also_in(selection, meeting, p),
            }
        })
        .collect()
}

/// The other sources and meetings of the corpus, that the book's audience
/// may know of, that name someone of `p`'s name.
fn also_in(selection: &Selection, meeting: &Meeting, p: &Participant) -> Vec<String> {
    let corpus = selection.corpus;
    let same = |a: &Participant, b: &Participant| a.name.to_lowercase() == b.name.to_lowercase();
    let audience = selection.query.audience.unwrap_or(usize::MAX);
    let shown = |source: &str| corpus.rank_of(None, source) <= audience;
    let mut also_in: Vec<String> = Vec::new();
    for other in corpus.participants.iter().filter(|o| same(o, p) && shown(&o.source)) {
        if let Some(source) = corpus.source(&other.source) {
            also_in.push(source.short.clone());
        }
    }
    for m in corpus.meetings.iter().filter(|m| m.id != meeting.id) {
        let seated =
            m.attendees.iter().filter_map(|a| corpus.participant(a)).filter(|o| shown(&o.source));
        if seated.into_iter().any(|o| same(o, p)) {
            also_in.push(m.title.clone());
        }
    }
    also_in.dedup();
    also_in
}
