//! The timeline's picture: where each row's mark sits on a strip of years.
//! Pure: no I/O; positions are fractions of a strip's width, so the
//! templates only scale them.
//!
//! A date covers the days its precision gives (a year is a span of that
//! year, a month of that month, a day a point); an event with an end spans
//! to the last day of its end. A long selection breaks into strips of at
//! most [`YEARS_PER_STRIP`] years, aligned to decades so that strips start
//! on round years.

use chrono::Datelike;

use super::view::MarkView;
use crate::date::PartialDate;

/// The most years one strip shows.
pub const YEARS_PER_STRIP: i32 = 20;

/// A date's place in years: the year plus the fraction of it gone before
/// the day starts.
fn position(day: chrono::NaiveDate) -> f64 {
    let days = if day.leap_year() { 366.0 } else { 365.0 };
    f64::from(day.year()) + f64::from(day.ordinal0()) / days
}

/// Rounded to 1/100,000 of the strip, so the JSON is short and stable.
fn round(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

/// The strips' years: one strip if the years fit, else decade-aligned
/// strips of [`YEARS_PER_STRIP`] years, cut to the first and last year.
pub fn strip_of(year: i32, first: i32, last: i32) -> (usize, [i32; 2]) {
    if last - first < YEARS_PER_STRIP {
        return (0, [first, last]);
    }
    let base = first - first.rem_euclid(10);
    let index = (year - base).div_euclid(YEARS_PER_STRIP);
    let start = base + index * YEARS_PER_STRIP;
    (index as usize, [start.max(first), (start + YEARS_PER_STRIP - 1).min(last)])
}

/// The marks for `spans` (each a start and an end date), in their order.
/// Strips without any mark are simply not referred to.
pub fn marks(spans: &[(PartialDate, PartialDate)]) -> Vec<MarkView> {
    let Some(first) = spans.iter().map(|(s, _)| s.year_part()).min() else {
        return Vec::new();
    };
    let last = spans.iter().map(|(_, e)| e.last_day().year()).max().expect("not empty");
    spans
        .iter()
        .map(|&(start, end)| {
            let (strip, axis) = strip_of(start.year_part(), first, last);
            let origin = f64::from(axis[0]);
            let length = f64::from(axis[1] + 1 - axis[0]);
            let begin = position(start.first_day());
            // The end of the last day covered.
            let stop = position(end.last_day().succ_opt().expect("not the last date"));
            let point = start == end && start.first_day() == start.last_day();
            let from = round((begin - origin) / length);
            let to = if point { from } else { round(((stop - origin) / length).min(1.0)) };
            MarkView { strip, axis, from, to, point, continues: stop > origin + length }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_year_is_a_span_and_a_day_a_point() {
        let m = marks(&[(d("2001"), d("2001")), (d("2011-05-02"), d("2011-05-02"))]);
        assert_eq!(m[0].axis, [2001, 2011]);
        assert_eq!((m[0].from, m[0].point), (0.0, false));
        assert!((m[0].to - 1.0 / 11.0).abs() < 1e-3, "{}", m[0].to);
        assert!(m[1].point && m[1].from == m[1].to);
        let want = (10.0 + 121.0 / 365.0) / 11.0;
        assert!((m[1].from - want).abs() < 1e-4, "{} vs {want}", m[1].from);
    }

    #[test]
    fn one_year_fills_the_strip() {
        let m = marks(&[(d("2011"), d("2011"))]);
        assert_eq!((m[0].axis, m[0].from, m[0].to), ([2011, 2011], 0.0, 1.0));
        let m = marks(&[(d("2011-07"), d("2011-07"))]);
        assert_eq!(m[0].axis, [2011, 2011]);
        assert!((m[0].from - 181.0 / 365.0).abs() < 1e-4);
    }

    #[test]
    fn long_selections_break_into_decade_aligned_strips() {
        let m = marks(&[(d("1955"), d("1965")), (d("1980"), d("1989")), (d("2022"), d("2022"))]);
        assert_eq!((m[0].strip, m[0].axis), (0, [1955, 1969]));
        assert_eq!((m[1].strip, m[1].axis), (1, [1970, 1989]));
        assert_eq!((m[2].strip, m[2].axis), (3, [2010, 2022]));
        // A span past its strip's end is cut there and says so.
        let m = marks(&[(d("1960"), d("1985")), (d("2019"), d("2019"))]);
        assert_eq!((m[0].to, m[0].continues), (1.0, true));
    }
}
