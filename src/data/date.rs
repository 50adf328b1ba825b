//! Dates at their own precision: a year, a month, a day or a time of day, from
//! deep time to one afternoon, parsed from what a timeline file or a query
//! writes, and never shown more precisely than known.
//!
//! Years follow TimelineJS's numbering, which is what its users type: year 0
//! exists and year -44 is "44 BCE". There is no conversion to or from any other
//! numbering. Years reach far past chrono's range, so no date here is a chrono
//! date: comparisons use [`Moment`], a plain ordered point.

use std::fmt;

/// The widest year a timeline may hold: past the age of the universe either way,
/// and small enough that sums of years never overflow.
pub const MAX_YEAR_MAGNITUDE: i64 = 1_000_000_000_000;

/// Years before this are shown as "… years ago", as TimelineJS's cosmological scale does.
const YEARS_AGO_BEFORE: i64 = -99_999;

/// A time of day, known to the hour, the minute or the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay {
    pub hour: u8,
    pub minute: Option<u8>,
    pub second: Option<u8>,
}

/// A date known to a year, a month, a day or a time of that day. It never invents
/// precision: "2021" stays "2021" wherever it is shown or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i64,
    /// 1–12 when known. `None` sorts before any month, so a year-only date
    /// comes before the dated events of that year.
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// Only with a day.
    pub time: Option<TimeOfDay>,
}

/// A point in time, for ordering and for measuring: the first or last moment a
/// [`PartialDate`] may mean. Never shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Moment {
    pub year: i64,
    /// 0-based day of the year.
    pub day_of_year: u16,
    pub second_of_day: u32,
}

impl Moment {
    pub const MIN: Moment = Moment {
        year: i64::MIN,
        day_of_year: 0,
        second_of_day: 0,
    };
    pub const MAX: Moment = Moment {
        year: i64::MAX,
        day_of_year: u16::MAX,
        second_of_day: u32::MAX,
    };

    /// Years as a fraction, for placing on a scale.
    pub fn as_years(&self) -> f64 {
        let len = if is_leap(self.year) { 366.0 } else { 365.0 };
        self.year as f64 + (self.day_of_year as f64 + self.second_of_day as f64 / 86_400.0) / len
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "\"{0}\" is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM (a year before 1 as -44)"
    )]
    Shape(String),
    #[error("\"{0}\" has no month {1}: months run from 01 to 12")]
    Month(String, u32),
    #[error("\"{0}\" is not a day of the calendar")]
    Day(String),
    #[error("\"{0}\" is not a time of day: hours run 0–23, minutes and seconds 0–59")]
    Time(String),
    #[error("\"{0}\" is further from now than a timeline can reach (a trillion years)")]
    Range(String),
}

pub fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

pub fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn day_of_year(year: i64, month: u8, day: u8) -> u16 {
    (1..month)
        .map(|m| days_in_month(year, m) as u16)
        .sum::<u16>()
        + day as u16
        - 1
}

impl PartialDate {
    pub fn year(year: i64) -> Self {
        Self {
            year,
            month: None,
            day: None,
            time: None,
        }
    }

    /// A date from its parts, checked: the month and day must exist, and a time
    /// needs a day.
    pub fn from_parts(
        year: i64,
        month: Option<u8>,
        day: Option<u8>,
        time: Option<TimeOfDay>,
    ) -> Option<Self> {
        if year.abs() > MAX_YEAR_MAGNITUDE
            || month.is_some_and(|m| !(1..=12).contains(&m))
            || (day.is_some() && month.is_none())
            || (time.is_some() && day.is_none())
        {
            return None;
        }
        if let (Some(m), Some(d)) = (month, day)
            && !(1..=days_in_month(year, m)).contains(&d)
        {
            return None;
        }
        if let Some(t) = time
            && (t.hour > 23
                || t.minute.is_some_and(|m| m > 59)
                || t.second.is_some_and(|s| s > 59)
                || (t.second.is_some() && t.minute.is_none()))
        {
            return None;
        }
        Some(Self {
            year,
            month,
            day,
            time,
        })
    }

    /// Reads the written form: `2021`, `2021-03`, `2021-03-12`, `2021-03-12 14:30`
    /// (or with `T`), `-44`, `-44-03-15`, `-13800000000`. A year from 1 on has at
    /// least four digits, so a bare "21" is no date.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let shape = || DateError::Shape(text.to_string());
        let (date_part, time_part) = match text.find([' ', 'T']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let (negative, unsigned) = match date_part.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, date_part),
        };
        let parts: Vec<&str> = unsigned.split('-').collect();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let year_text = parts[0];
        if !digits(year_text) || (!negative && year_text.len() < 4) || parts.len() > 3 {
            return Err(shape());
        }
        if parts[1..].iter().any(|p| p.len() != 2 || !digits(p)) {
            return Err(shape());
        }
        let magnitude: i64 = year_text
            .parse()
            .map_err(|_| DateError::Range(text.to_string()))?;
        if magnitude > MAX_YEAR_MAGNITUDE {
            return Err(DateError::Range(text.to_string()));
        }
        let year = if negative { -magnitude } else { magnitude };
        let month: Option<u8> = parts.get(1).map(|m| m.parse().unwrap_or(0));
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError::Month(text.to_string(), m as u32));
        }
        let day: Option<u8> = parts.get(2).map(|d| d.parse().unwrap_or(0));
        if let (Some(m), Some(d)) = (month, day)
            && !(1..=days_in_month(year, m)).contains(&d)
        {
            return Err(DateError::Day(text.to_string()));
        }
        let time = match time_part {
            None => None,
            Some(_) if day.is_none() => return Err(shape()),
            Some(t) => Some(parse_clock(t).ok_or_else(|| DateError::Time(text.to_string()))?),
        };
        Ok(Self {
            year,
            month,
            day,
            time,
        })
    }

    /// The first moment the date may mean (for ordering and ranges, never for display).
    pub fn first_moment(&self) -> Moment {
        let (m, d) = (self.month.unwrap_or(1), self.day.unwrap_or(1));
        let second = self.time.map_or(0, |t| {
            t.hour as u32 * 3600 + t.minute.unwrap_or(0) as u32 * 60 + t.second.unwrap_or(0) as u32
        });
        Moment {
            year: self.year,
            day_of_year: day_of_year(self.year, m, d),
            second_of_day: second,
        }
    }

    /// The last moment the date may mean.
    pub fn last_moment(&self) -> Moment {
        let m = self.month.unwrap_or(12);
        let d = self.day.unwrap_or_else(|| days_in_month(self.year, m));
        let second = match self.time {
            None => 86_399,
            Some(t) => {
                let base = t.hour as u32 * 3600;
                match (t.minute, t.second) {
                    (None, _) => base + 3599,
                    (Some(mi), None) => base + mi as u32 * 60 + 59,
                    (Some(mi), Some(s)) => base + mi as u32 * 60 + s as u32,
                }
            }
        };
        Moment {
            year: self.year,
            day_of_year: day_of_year(self.year, m, d),
            second_of_day: second,
        }
    }

    /// Days from year 0 to the first day, used to measure distance in time.
    pub fn ordinal(&self) -> f64 {
        self.first_moment().as_years() * 365.2425
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.time) {
            (_, _, Some(_)) => Precision::Time,
            (_, Some(_), None) => Precision::Day,
            (Some(_), None, None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The form a timeline file and a query write: `-44-03-15`, `2024-06-19 14:30`.
    /// `Display` gives the form shown to a reader.
    pub fn iso(&self) -> String {
        let mut s = if self.year < 0 {
            format!("-{}", self.year.unsigned_abs())
        } else {
            format!("{:04}", self.year)
        };
        self.push_month_day_time(&mut s);
        s
    }

    fn push_month_day_time(&self, s: &mut String) {
        use std::fmt::Write;
        if let Some(m) = self.month {
            let _ = write!(s, "-{m:02}");
        }
        if let Some(d) = self.day {
            let _ = write!(s, "-{d:02}");
        }
        if let Some(t) = self.time {
            let _ = write!(s, " {:02}", t.hour);
            match t.minute {
                Some(m) => {
                    let _ = write!(s, ":{m:02}");
                }
                None => s.push('h'),
            }
            if let Some(sec) = t.second {
                let _ = write!(s, ":{sec:02}");
            }
        }
    }
}

/// Reads `14:30`, `14:30:05`, `14h` (an hour alone) as written by [`PartialDate::iso`].
fn parse_clock(text: &str) -> Option<TimeOfDay> {
    let num = |s: &str| -> Option<u8> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let time = if let Some(h) = text.strip_suffix('h') {
        TimeOfDay {
            hour: num(h)?,
            minute: None,
            second: None,
        }
    } else {
        let mut parts = text.split(':');
        let hour = num(parts.next()?)?;
        let minute = Some(num(parts.next()?)?);
        let second = match parts.next() {
            Some(s) => Some(num(s)?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        TimeOfDay {
            hour,
            minute,
            second,
        }
    };
    PartialDate::from_parts(2000, Some(1), Some(1), Some(time)).map(|_| time)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

/// "13.8 billion years ago", "65 million years ago", "250,000 years ago".
pub fn years_ago(year: i64) -> String {
    let ago = year.unsigned_abs() as f64;
    let scaled = |n: f64, unit: &str| {
        let v = ago / n;
        if v >= 100.0 || (v - v.round()).abs() < 0.05 {
            format!("{} {unit} years ago", v.round())
        } else {
            format!("{v:.1} {unit} years ago")
        }
    };
    if ago >= 1e9 {
        scaled(1e9, "billion")
    } else if ago >= 1e6 {
        scaled(1e6, "million")
    } else {
        format!("{} years ago", thousands(year.unsigned_abs()))
    }
}

/// A count with thousands separators: 1,500,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a year is shown: "2021", "44 BCE", "13.8 billion years ago".
pub fn year_label(year: i64) -> String {
    if year < YEARS_AGO_BEFORE {
        years_ago(year)
    } else if year < 0 {
        format!("{} BCE", year.unsigned_abs())
    } else if year > 275_759 {
        format!("year {}", thousands(year as u64))
    } else {
        format!("{year:04}")
    }
}

impl fmt::Display for PartialDate {
    /// The form shown: as written from year 0 on, "44-03-15 BCE" before it, and
    /// "13.8 billion years ago" in deep time (where months mean nothing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < YEARS_AGO_BEFORE {
            return f.write_str(&years_ago(self.year));
        }
        if self.year >= 0 {
            return f.write_str(&self.iso());
        }
        let mut s = self.year.unsigned_abs().to_string();
        self.push_month_day_time(&mut s);
        write!(f, "{s} BCE")
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_precision_when_shown() {
        for text in [
            "2021",
            "2017-08",
            "2001-03-12",
            "2024-06-19 14:30",
            "2024-06-19 14:30:05",
            "2024-06-19 14h",
        ] {
            assert_eq!(PartialDate::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            PartialDate::parse("2024-06-19T14:30").unwrap().iso(),
            "2024-06-19 14:30"
        );
    }

    #[test]
    fn years_before_one_keep_timelinejs_numbering() {
        let caesar = PartialDate::parse("-44-03-15").unwrap();
        assert_eq!(caesar.year, -44);
        assert_eq!(caesar.to_string(), "44-03-15 BCE");
        assert_eq!(caesar.iso(), "-44-03-15");
        assert_eq!(PartialDate::parse("-44").unwrap().to_string(), "44 BCE");
        assert_eq!(PartialDate::year(0).to_string(), "0000");
        assert!(PartialDate::parse("-1").unwrap() < PartialDate::year(0));
    }

    #[test]
    fn deep_time_is_shown_as_years_ago_and_sorts() {
        let big_bang = PartialDate::parse("-13800000000").unwrap();
        assert_eq!(big_bang.to_string(), "13.8 billion years ago");
        assert_eq!(
            PartialDate::year(-65_000_000).to_string(),
            "65 million years ago"
        );
        assert_eq!(PartialDate::year(-250_000).to_string(), "250,000 years ago");
        assert!(big_bang < PartialDate::year(-65_000_000));
        assert!(big_bang.last_moment() < PartialDate::year(-4_500_000_000).first_moment());
        assert!(PartialDate::parse("-99999999999999").is_err());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            PartialDate::parse("2023-02-30"),
            Err(DateError::Day(_))
        ));
        assert!(matches!(
            PartialDate::parse("2023-13"),
            Err(DateError::Month(_, 13))
        ));
        assert!(matches!(
            PartialDate::parse("2023-00-10"),
            Err(DateError::Month(_, 0))
        ));
        assert!(matches!(PartialDate::parse("21"), Err(DateError::Shape(_))));
        assert!(matches!(
            PartialDate::parse("2021-3-1"),
            Err(DateError::Shape(_))
        ));
        assert!(matches!(
            PartialDate::parse("2021-03-01 25:00"),
            Err(DateError::Time(_))
        ));
        assert!(matches!(
            PartialDate::parse("2021 14:00"),
            Err(DateError::Shape(_))
        ));
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(
            PartialDate::parse("-4-02-29").is_ok(),
            "year -4 is a leap year"
        );
    }

    #[test]
    fn year_only_sorts_before_dated_events_of_that_year() {
        let y = PartialDate::parse("2021").unwrap();
        let m = PartialDate::parse("2021-01").unwrap();
        let d = PartialDate::parse("2021-01-01").unwrap();
        let t = PartialDate::parse("2021-01-01 09:00").unwrap();
        assert!(y < m && m < d && d < t);
        assert!(PartialDate::parse("2020-12-31").unwrap() < y);
    }

    #[test]
    fn a_date_covers_its_whole_span() {
        let m = PartialDate::parse("2024-02").unwrap();
        let last_of_feb = PartialDate::parse("2024-02-29 23:59:59").unwrap();
        assert_eq!(m.last_moment(), last_of_feb.last_moment());
        let afternoon = PartialDate::parse("2024-06-19 14h").unwrap();
        assert!(
            afternoon.last_moment()
                >= PartialDate::parse("2024-06-19 14:59")
                    .unwrap()
                    .first_moment()
        );
        assert!(
            afternoon.last_moment()
                < PartialDate::parse("2024-06-19 15:00")
                    .unwrap()
                    .first_moment()
        );
    }
}
