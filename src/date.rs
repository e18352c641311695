//! Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with the precision kept.
//!
//! Pure: no clock, no I/O. The corpus, the CLI's `--from`/`--to` and the
//! timeline all share this one type.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A date known to the precision its writer gave: a year, a month or a day.
///
/// Ordering is by the first day the date covers, then by precision (a year
/// sorts before a month in it, a month before a day), so sorts are total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a date string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error(
        "`{0}` is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2011, 2019-06, 2011-05-02)"
    )]
    Malformed(String),
    /// Well formed, but no such day or month exists (`2011-02-30`, `2011-13`).
    #[error("`{0}` is not a real date")]
    Impossible(String),
}

impl PartialDate {
    /// A year-precision date.
    pub fn year(year: i32) -> Self {
        Self { year, month: None, day: None }
    }

    /// A day-precision date taken from a calendar date.
    pub fn from_naive(date: NaiveDate) -> Self {
        Self { year: date.year(), month: Some(date.month() as u8), day: Some(date.day() as u8) }
    }

    /// The first day this date covers (1 January for a bare year).
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(
            self.year,
            self.month.unwrap_or(1) as u32,
            self.day.unwrap_or(1) as u32,
        )
        .expect("validated on construction")
    }

    /// The last day this date covers (31 December for a bare year).
    pub fn last_day(self) -> NaiveDate {
        match (self.month, self.day) {
            (_, Some(_)) => self.first_day(),
            (Some(m), None) => {
                let (y, m) = if m == 12 { (self.year + 1, 1) } else { (self.year, m as u32 + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid month").pred_opt().expect("not MIN")
            }
            (None, None) => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid year"),
        }
    }

    /// The year part.
    pub fn year_part(self) -> i32 {
        self.year
    }

    /// The date at most to the month: "2 May 2011" as May 2011.
    pub fn month_of(self) -> PartialDate {
        PartialDate { day: None, ..self }
    }

    /// A human rendering at the date's own precision: "2018", "May 2011",
    /// "2 May 2011".
    pub fn display(self) -> String {
        let month = |m: u8| MONTHS[m as usize - 1];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month(m), self.year),
            (Some(m), None) => format!("{} {}", month(m), self.year),
            _ => self.year.to_string(),
        }
    }
}

/// A span of dates as printed: "1955–1965" (a closed en dash between
/// years), "2011 – June 2019" (a spaced one when an end has words), or one
/// date when both ends are the same.
pub fn span(start: PartialDate, end: PartialDate) -> String {
    let (a, b) = (start.display(), end.display());
    if start == end {
        a
    } else if a.contains(' ') || b.contains(' ') {
        format!("{a} – {b}")
    } else {
        format!("{a}–{b}")
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let malformed = || DateError::Malformed(text.to_string());
        let mut parts = text.split('-');
        let number = |part: Option<&str>, len: usize| -> Result<Option<u32>, DateError> {
            match part {
                None => Ok(None),
                Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| malformed())?))
                }
                Some(_) => Err(malformed()),
            }
        };
        let year = number(parts.next(), 4)?.ok_or_else(malformed)?;
        let month = number(parts.next(), 2)?;
        let day = number(parts.next(), 2)?;
        if parts.next().is_some() {
            return Err(malformed());
        }
        let date =
            Self { year: year as i32, month: month.map(|m| m as u8), day: day.map(|d| d as u8) };
        let valid_month = month.is_none_or(|m| (1..=12).contains(&m));
        if !valid_month
            || NaiveDate::from_ymd_opt(date.year, month.unwrap_or(1), day.unwrap_or(1)).is_none()
        {
            return Err(DateError::Impossible(text.to_string()));
        }
        Ok(date)
    }
}

impl fmt::Display for PartialDate {
    /// The ISO-like form it was written in: `2011`, `2011-05`, `2011-05-02`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// An inclusive span of days, from the first day of one partial date to the
/// last day of another; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    /// Earliest date included, if bounded.
    pub from: Option<PartialDate>,
    /// Latest date included, if bounded.
    pub to: Option<PartialDate>,
}

impl DateRange {
    /// Whether neither end is bounded.
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Whether an item dated `start` (and ending at `end`, if it is a span)
    /// shares at least one day with this range.
    ///
    /// ```
    /// use brief::date::{DateRange, PartialDate};
    /// let range = DateRange { from: Some("2011".parse().unwrap()), to: Some("2019-06".parse().unwrap()) };
    /// assert!(range.overlaps("2011-05-02".parse().unwrap(), None));
    /// assert!(range.overlaps("2019".parse().unwrap(), None)); // 2019 overlaps January–June 2019
    /// assert!(!range.overlaps("2019-07".parse().unwrap(), None));
    /// assert!(range.overlaps("1980".parse().unwrap(), Some("2012".parse().unwrap())));
    /// ```
    pub fn overlaps(&self, start: PartialDate, end: Option<PartialDate>) -> bool {
        let end = end.unwrap_or(start);
        self.from.is_none_or(|from| end.last_day() >= from.first_day())
            && self.to.is_none_or(|to| start.first_day() <= to.last_day())
    }

    /// Whether the range ends before it starts.
    pub fn is_reversed(&self) -> bool {
        matches!((self.from, self.to), (Some(from), Some(to)) if from.first_day() > to.last_day())
    }

    /// "2011 – June 2019", "from May 2011", "until 2019", or "all dates".
    pub fn display(&self) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) => span(a, b),
            (Some(a), None) => format!("from {}", a.display()),
            (None, Some(b)) => format!("until {}", b.display()),
            (None, None) => "all dates".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn must_parse(text: &str) -> PartialDate {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_each_precision_and_displays_it_as_written() {
        assert_eq!(must_parse("2018").display(), "2018");
        assert_eq!(must_parse("2011-05").display(), "May 2011");
        assert_eq!(must_parse("2011-05-02").display(), "2 May 2011");
        assert_eq!(must_parse("2011-05-02").to_string(), "2011-05-02");
        assert_eq!(must_parse("2011-05").to_string(), "2011-05");
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        for bad in [
            "",
            "11",
            "2011-5",
            "2011-05-2",
            "2011/05",
            "2011-05-02-01",
            "20110",
            "May 2011",
            "-2011",
        ] {
            assert!(matches!(bad.parse::<PartialDate>(), Err(DateError::Malformed(_))), "{bad}");
        }
        for bad in ["2011-13", "2011-00", "2011-02-30", "2019-02-29", "2011-04-31", "2011-01-00"] {
            assert!(matches!(bad.parse::<PartialDate>(), Err(DateError::Impossible(_))), "{bad}");
        }
        assert!("2020-02-29".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn spans_cover_the_whole_period() {
        let feb = must_parse("2020-02");
        assert_eq!(feb.first_day(), NaiveDate::from_ymd_opt(2020, 2, 1).unwrap());
        assert_eq!(feb.last_day(), NaiveDate::from_ymd_opt(2020, 2, 29).unwrap());
        let dec = must_parse("2011-12");
        assert_eq!(dec.last_day(), NaiveDate::from_ymd_opt(2011, 12, 31).unwrap());
        assert_eq!(must_parse("2011").last_day(), NaiveDate::from_ymd_opt(2011, 12, 31).unwrap());
    }

    #[test]
    fn overlap_is_inclusive_at_both_ends_and_respects_precision() {
        let range =
            DateRange { from: Some(must_parse("2011-05-02")), to: Some(must_parse("2012")) };
        assert!(range.overlaps(must_parse("2011-05-02"), None));
        assert!(range.overlaps(must_parse("2011-05"), None), "May 2011 contains 2 May");
        assert!(range.overlaps(must_parse("2011"), None));
        assert!(!range.overlaps(must_parse("2011-05-01"), None));
        assert!(range.overlaps(must_parse("2012-12-31"), None));
        assert!(!range.overlaps(must_parse("2013-01-01"), None));
        assert!(
            range.overlaps(must_parse("2001"), Some(must_parse("2011-06"))),
            "a span reaching in"
        );
        assert!(!range.overlaps(must_parse("2001"), Some(must_parse("2011-04"))));
        let open = DateRange::default();
        assert!(open.is_open() && open.overlaps(must_parse("1947"), None));
        let from_only = DateRange { from: Some(must_parse("2018")), to: None };
        assert!(!from_only.overlaps(must_parse("2017-12-31"), None));
        assert!(from_only.overlaps(must_parse("2030"), None));
    }

    #[test]
    fn order_is_chronological_then_by_precision() {
        let mut dates: Vec<PartialDate> =
            ["2011-05-02", "2011", "2011-05", "2010-12-31", "2011-01-01"].map(must_parse).to_vec();
        dates.sort_by_key(|d| (d.first_day(), *d));
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown, ["2010-12-31", "2011", "2011-01-01", "2011-05", "2011-05-02"]);
    }

    #[test]
    fn ranges_display_readably() {
        let r = DateRange { from: Some(must_parse("2011")), to: Some(must_parse("2019-06")) };
        assert_eq!(r.display(), "2011 – June 2019");
        assert_eq!(DateRange::default().display(), "all dates");
    }
}
