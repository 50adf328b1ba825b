//! Where a moment sits on the ruler: a fixed number of buckets spread over the
//! events' span, evenly when the events spread over it, or by the logarithm of
//! the time before the last event when most of them crowd its recent end (a few
//! billion years before a few modern events). Counts are kept per bucket, so
//! memory follows the bucket count, never the number of years.

use crate::data::date::{Moment, PartialDate, days_in_month, is_leap};
use crate::data::model::Timeline;

/// The events' span in buckets for counting, with the scale that places them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearBuckets {
    /// The span's ends, as fractional years.
    pub start: f64,
    pub end: f64,
    /// Placed by the logarithm of the years before `end`, not evenly.
    pub log: bool,
    pub count: usize,
}

/// Spans this long or longer are shown in whole years, from the first year's
/// start to the last year's end; shorter ones in their own moments (with 2%
/// room either side, so they stay under one year).
const WHOLE_YEARS: f64 = 0.95;

/// From this many years on, each bucket is one year (or an even share of them),
/// so a year's events fill its columns; fewer years are placed by the moment.
const YEAR_BUCKETS_FROM: f64 = 10.0;

impl YearBuckets {
    /// More than any ruler has columns.
    pub const MAX: usize = 1024;

    /// An even scale over whole years `first..=last`.
    pub fn spanning(first: i64, last: i64) -> Self {
        Self::between(first as f64, last.max(first) as f64 + 1.0, false)
    }

    fn between(start: f64, end: f64, log: bool) -> Self {
        let years = end - start;
        let count = if !log && years >= YEAR_BUCKETS_FROM && years == years.round() {
            (years as usize).min(Self::MAX)
        } else {
            Self::MAX
        };
        YearBuckets {
            start,
            end,
            log,
            count,
        }
    }

    /// The scale for a timeline: from its first moment to its last (end dates
    /// included), logarithmic when an even one would squash most events into
    /// the last hundredth of a long span.
    pub fn of_timeline(t: &Timeline) -> Self {
        let Some(first) = t.events.first() else {
            return Self::spanning(2000, 2000);
        };
        let start = first.date.first_moment().as_years();
        let end = (t.events.iter())
            .map(|e| e.last_moment().as_years())
            .fold(start, f64::max);
        let span = end - start;
        if span >= WHOLE_YEARS {
            let (first, last) = (start.floor(), (end.ceil() - 1.0).max(start.floor()));
            let recent = end - span / 100.0;
            let crowded = (t.events.iter())
                .filter(|e| midpoint(&e.date) >= recent)
                .count();
            // Most events in the last hundredth, and some well before it.
            let log = span >= 10_000.0 && crowded * 2 > t.events.len() && crowded < t.events.len();
            return Self::between(first, last + 1.0, log);
        }
        // An afternoon or a few days: a little room either side, at least a minute.
        let pad = (span * 0.02).max(1.0 / (365.0 * 24.0 * 60.0));
        Self::between(start - pad, end + pad, false)
    }

    /// Where fractional year `at` falls, from 0 (the start) to 1 (the end).
    pub fn position(&self, at: f64) -> f64 {
        let span = self.end - self.start;
        if span <= 0.0 {
            return 0.5;
        }
        let p = if self.log {
            let ago = (self.end - at).max(0.0);
            1.0 - (1.0 + ago).ln() / (1.0 + span).ln()
        } else {
            (at - self.start) / span
        };
        p.clamp(0.0, 1.0)
    }

    /// The fractional year at position `p` (0 to 1): the inverse of `position`.
    pub fn at(&self, p: f64) -> f64 {
        let span = self.end - self.start;
        if self.log {
            self.end - ((1.0 - p) * (1.0 + span).ln()).exp() + 1.0
        } else {
            self.start + p * span
        }
    }

    /// The bucket of fractional year `at`, if it is within the span.
    pub fn of_years(&self, at: f64) -> Option<usize> {
        if !(self.start..=self.end).contains(&at) {
            return None;
        }
        let b = (self.position(at) * self.count as f64) as usize;
        Some(b.min(self.count - 1))
    }

    /// The bucket of a date: the middle of its span ("2021" is mid-year).
    pub fn of_date(&self, d: &PartialDate) -> Option<usize> {
        self.of_years(midpoint(d))
    }

    /// The first and last whole years the span touches.
    pub fn years(&self) -> (i64, i64) {
        (
            self.start.floor() as i64,
            (self.end.ceil() as i64 - 1).max(self.start.floor() as i64),
        )
    }
}

/// The middle of a date's span, as a fractional year.
pub fn midpoint(d: &PartialDate) -> f64 {
    (d.first_moment().as_years() + d.last_moment().as_years()) / 2.0
}

/// A fractional year as a moment (to the second), for labels.
pub fn moment_of(at: f64) -> Moment {
    let year = at.floor() as i64;
    let len = if is_leap(year) { 366.0 } else { 365.0 };
    let seconds = ((at - year as f64) * len * 86_400.0).round() as i64;
    let seconds = seconds.clamp(0, len as i64 * 86_400 - 1);
    Moment {
        year,
        day_of_year: (seconds / 86_400) as u16,
        second_of_day: (seconds % 86_400) as u32,
    }
}

/// Month (1–12) and day (1–31) of a moment.
pub fn month_day(m: &Moment) -> (u8, u8) {
    let mut day = m.day_of_year;
    for month in 1..=12u8 {
        let len = days_in_month(m.year, month) as u16;
        if day < len {
            return (month, day as u8 + 1);
        }
        day -= len;
    }
    (12, 31)
}

#[cfg(test)]
mod tests {
    use super::YearBuckets;
    use crate::data::load::{InlineOnly, load_str};
    use crate::data::model::Timeline;

    /// A timeline of events on these dates (annals JSON, no sources).
    fn dated(dates: &[&str]) -> Timeline {
        let events: Vec<String> = (dates.iter().enumerate())
            .map(|(i, d)| format!(r#"{{"id":"e{i}","date":"{d}","headline":"E{i}","text":"t"}}"#))
            .collect();
        let json = format!(r#"{{"title":"t","events":[{}]}}"#, events.join(","));
        load_str(&json, "t", &InlineOnly).unwrap().timeline
    }

    /// The bucket of each event, as a share of the buckets (0 to 99).
    fn percent(t: &Timeline) -> Vec<usize> {
        let b = YearBuckets::of_timeline(t);
        (t.events.iter())
            .map(|e| b.of_date(&e.date).unwrap() * 100 / b.count)
            .collect()
    }

    #[test]
    fn an_afternoon_spreads_over_the_ruler_by_the_minute() {
        let t = dated(&[
            "2024-06-19 13:00",
            "2024-06-19 14:30",
            "2024-06-19 15:00",
            "2024-06-19 17:00",
        ]);
        let p = percent(&t);
        assert!(!YearBuckets::of_timeline(&t).log);
        assert!(p[0] < 5 && p[3] > 94, "{p:?}");
        // 14:30 and 15:00 are half an hour apart: an eighth of a four-hour span.
        assert!(
            (35..40).contains(&p[1]) && (47..52).contains(&p[2]),
            "{p:?}"
        );
    }

    #[test]
    fn a_few_days_fall_on_their_own_days() {
        let p = percent(&dated(&["2021-03-01", "2021-03-02", "2021-03-04"]));
        assert!(p[0] < p[1] && p[1] < p[2], "{p:?}");
        assert!((30..40).contains(&p[1]), "{p:?}");
    }

    #[test]
    fn decades_and_bce_years_are_even_whole_years() {
        let t = dated(&["1990", "2000", "2010", "2019"]);
        let b = YearBuckets::of_timeline(&t);
        assert_eq!((b.years(), b.log), ((1990, 2019), false));
        // Three decades: one bucket a year, so a year's events fill its columns.
        let years: Vec<usize> = (t.events.iter())
            .map(|e| b.of_date(&e.date).unwrap())
            .collect();
        assert_eq!((b.count, years), (30, vec![0, 10, 20, 29]));
        let t = dated(&["-500", "-44-03-15", "0014"]);
        let b = YearBuckets::of_timeline(&t);
        assert_eq!(b.years(), (-500, 14));
        let p = percent(&t);
        assert!(p[0] == 0 && (88..90).contains(&p[1]) && p[2] == 99, "{p:?}");
    }

    #[test]
    fn deep_time_with_modern_events_is_logarithmic_and_keeps_them_apart() {
        let t = dated(&[
            "-13800000000",
            "-4500000000",
            "-66000000",
            "1969-07-20",
            "2001",
            "2024",
        ]);
        let b = YearBuckets::of_timeline(&t);
        assert!(b.log);
        assert_eq!(b.count, YearBuckets::MAX);
        let p = percent(&t);
        // An even scale would put the last four in one column; here each has its own.
        let mut distinct = p.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), p.len(), "{p:?}");
        assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
        // And the inverse of the scale gives back a place.
        let mid = b.at(0.5);
        assert!((b.position(mid) - 0.5).abs() < 1e-9);
    }
}
