//! The cover and the PDF's metadata: title, subtitle, the cover's facts,
//! the running head, the brand, the handling banner, the page setup.
//! Pure: the "as of" date comes in as an argument.

use chrono::{Datelike, NaiveDate};

use super::view::{BrandView, MetaView};
use crate::corpus::model::Meeting;
use crate::date::PartialDate;
use crate::select::Selection;
use crate::settings::BookSettings;

/// The cover and the PDF's metadata. The cover's largest line is the
/// book's subject (its themes, or the meeting); "Briefing book" or
/// "Meeting brief" is a small line above it. A `title` set in brief.toml
/// that differs from the subject leads, with the subject under it.
pub(super) fn meta(selection: &Selection, settings: &BookSettings, as_of: NaiveDate) -> MetaView {
    let range = selection.query.range.display();
    let ranged = !selection.query.range.is_open();
    let as_of_text = PartialDate::from_naive(as_of).display();
    let (kicker, subject, mut facts) = match selection.meeting {
        Some(m) => ("Meeting brief", m.title.clone(), meeting_facts(m, ranged, &range)),
        None => {
            let facts = if ranged {
                vec![["Dates covered".to_string(), range.clone()]]
            } else {
                Vec::new()
            };
            ("Briefing book", themes_line(selection), facts)
        }
    };
    facts.push(["As of".into(), as_of_text.clone()]);
    let description = match selection.meeting {
        Some(_) => format!("Meeting brief: {subject}"),
        None if selection.query.themes.is_empty() => "Briefing book on all themes".to_string(),
        None => format!("Briefing book on {subject}"),
    };
    let (title, subtitle) = match settings.title.as_deref() {
        Some(own) if own != subject && own != crate::settings::DEFAULT_TITLE => {
            (own.to_string(), Some(subject))
        }
        _ => (subject, None),
    };
    let levels = &selection.corpus.levels;
    let banner = selection.highest.map(|rank| levels[rank].banner.clone());
    facts.extend(withheld_fact(selection));
    MetaView {
        kicker: kicker.to_string(),
        running: title.clone(),
        title,
        subtitle,
        description: format!("{description}; as of {as_of_text}"),
        facts,
        brand: brand(settings),
        keywords: selection
            .meeting
            .map(|m| m.title.clone())
            .into_iter()
            .chain(selection.themes.iter().map(|t| t.title.clone()))
            .collect(),
        range,
        ranged,
        as_of: as_of_text,
        as_of_ymd: [as_of.year() as u32, as_of.month(), as_of.day()],
        handling: banner.clone().unwrap_or_else(|| settings.handling().to_string()),
        banner,
        paper: settings.paper().typst_name().to_string(),
        duplex: settings.duplex(),
        watermark: settings.watermark.clone(),
    }
}

/// The selected themes' titles, or "All themes" when none was asked for.
fn themes_line(selection: &Selection) -> String {
    let all_themes = selection.query.themes.is_empty();
    if all_themes && selection.meeting.is_none() {
        "All themes".to_string()
    } else {
        selection.themes.iter().map(|t| t.title.as_str()).collect::<Vec<_>>().join(" · ")
    }
}

/// A meeting book's cover facts: when and where it is (what is known),
/// and the findings' dates when a range is set.
fn meeting_facts(m: &Meeting, ranged: bool, range: &str) -> Vec<[String; 2]> {
    let mut facts = Vec::new();
    if let Some(date) = m.date {
        facts.push(["Date".to_string(), date.display()]);
    }
    if let Some(venue) = &m.venue {
        facts.push(["Venue".into(), venue.clone()]);
    }
    if ranged {
        facts.push(["Findings dated".into(), range.to_string()]);
    }
    facts
}

/// The cover fact that says what the audience's level kept out ("2
/// findings, 1 event above RESTRICTED"), if anything.
fn withheld_fact(selection: &Selection) -> Option<[String; 2]> {
    let withheld = selection.withheld;
    if withheld.total() == 0 {
        return None;
    }
    let levels = &selection.corpus.levels;
    let above = selection.query.audience.map_or(String::new(), |r| levels[r].banner.to_uppercase());
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
    Some(["Withheld".into(), format!("{} above {above}", kinds.join(", "))])
}

/// The organisation's look, as the settings give it.
fn brand(settings: &BookSettings) -> BrandView {
    BrandView {
        organisation: settings.organisation.clone(),
        logo: settings.logo.as_deref().map(crate::settings::logo_vpath),
        accent: settings.accent.clone(),
        footer: settings.footer.clone(),
        font: settings.font.clone(),
        heading_font: settings.heading_font.clone(),
    }
}
