//! The cover and the PDF's metadata: title, subtitle, the cover's facts,
//! the running head, the brand, the handling banner, the page setup.
//! Pure: the "as of" date comes in as an argument.

use chrono::{Datelike, NaiveDate};

use super::view::{BrandView, MetaView};
use crate::corpus::model::Meeting;
use crate::date::PartialDate;
use crate::select::Selection;
use crate::settings::BookSettings;

/// The cover and the PDF's metadata.
pub(super) fn meta(selection: &Selection, settings: &BookSettings, as_of: NaiveDate) -> MetaView {
    let range = selection.query.range.display();
    let as_of_text = PartialDate::from_naive(as_of).display();
    let (title, subtitle, mut facts) = match selection.meeting {
        Some(m) => meeting_cover(m, settings, &range, &as_of_text),
        None => {
            let themes = themes_line(selection);
            let facts = vec![
                ["Themes".to_string(), themes.clone()],
                ["Dates covered".into(), range.clone()],
                ["As of".into(), as_of_text.clone()],
            ];
            (settings.title().to_string(), themes, facts)
        }
    };
    let levels = &selection.corpus.levels;
    let banner = selection.highest.map(|rank| levels[rank].banner.clone());
    facts.extend(withheld_fact(selection));
    let running = match selection.meeting {
        Some(_) => title.clone(),
        None => format!("{title} · {subtitle}"),
    };
    MetaView {
        title,
        subtitle,
        facts,
        running,
        brand: brand(settings),
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

/// The selected themes' titles, or "All themes" when none was asked for.
fn themes_line(selection: &Selection) -> String {
    let all_themes = selection.query.themes.is_empty();
    if all_themes && selection.meeting.is_none() {
        "All themes".to_string()
    } else {
        selection.themes.iter().map(|t| t.title.as_str()).collect::<Vec<_>>().join(" · ")
    }
}

/// A meeting book's title, subtitle and cover facts: when and where it
/// is, the findings' dates (`range`) and the "as of" date.
fn meeting_cover(
    m: &Meeting,
    settings: &BookSettings,
    range: &str,
    as_of: &str,
) -> (String, String, Vec<[String; 2]>) {
    let when = m.date.map_or_else(|| "date not stated".to_string(), PartialDate::display);
    let mut facts = vec![["Meeting".to_string(), when.clone()]];
    if let Some(venue) = &m.venue {
        facts.push(["Venue".into(), venue.clone()]);
    }
    facts.push(["Findings dated".into(), range.to_string()]);
    facts.push(["As of".into(), as_of.to_string()]);
    let title = settings.title.clone().unwrap_or_else(|| m.title.clone());
    let subtitle = match &m.venue {
        Some(venue) => format!("Meeting briefing · {when} · {venue}"),
        None => format!("Meeting briefing · {when}"),
    };
    (title, subtitle, facts)
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
    }
}
