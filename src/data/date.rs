//! Dates at their own precision: a year, a month or a day, parsed from what a
//! timeline file or a query writes, and never shown more precisely than known.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A date known to a year, a month or a day. It never invents precision:
/// "2021" stays "2021" wherever it is shown or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    /// 1–12 when known. `None` sorts before any month, so a year-only date
    /// comes before the dated events of that year.
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape(String),
    #[error("\"{0}\" has no month {1}: months run from 01 to 12")]
    Month(String, u32),
    #[error("\"{0}\" is not a day of the calendar")]
    Day(String),
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    pub fn parse(text: &str) -> Result<Self, DateError> {
        let shape = || DateError::Shape(text.to_string());
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if digits(y, 4) => Ok(Self::year(y.parse().map_err(|_| shape())?)),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let (year, month) = (
                    y.parse().map_err(|_| shape())?,
                    m.parse().map_err(|_| shape())?,
                );
                if !(1..=12).contains(&month) {
                    return Err(DateError::Month(text.to_string(), month));
                }
                Ok(Self {
                    year,
                    month: Some(month as u8),
                    day: None,
                })
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                let year = y.parse().map_err(|_| shape())?;
                let month: u32 = m.parse().map_err(|_| shape())?;
                let day: u32 = d.parse().map_err(|_| shape())?;
                if !(1..=12).contains(&month) {
                    return Err(DateError::Month(text.to_string(), month));
                }
                NaiveDate::from_ymd_opt(year, month, day)
                    .ok_or_else(|| DateError::Day(text.to_string()))?;
                Ok(Self {
                    year,
                    month: Some(month as u8),
                    day: Some(day as u8),
                })
            }
            _ => Err(shape()),
        }
    }

    /// The first calendar day the date may mean (for range tests only, never for display).
    pub fn first_day(&self) -> NaiveDate {
        let m = self.month.unwrap_or(1) as u32;
        let d = self.day.unwrap_or(1) as u32;
        NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The last calendar day the date may mean.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m as u32, d as u32),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m as u32 + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// Days since the common era of the first day, used to measure distance in time.
    pub fn ordinal(&self) -> i64 {
        self.first_day().num_days_from_ce() as i64
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_precision_when_shown() {
        assert_eq!(PartialDate::parse("2021").unwrap().to_string(), "2021");
        assert_eq!(
            PartialDate::parse("2017-08").unwrap().to_string(),
            "2017-08"
        );
        assert_eq!(
            PartialDate::parse("2001-03-12").unwrap().to_string(),
            "2001-03-12"
        );
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
        assert!(PartialDate::parse("2024-02-29").is_ok());
    }

    #[test]
    fn year_only_sorts_before_dated_events_of_that_year() {
        let y = PartialDate::parse("2021").unwrap();
        let m = PartialDate::parse("2021-01").unwrap();
        let d = PartialDate::parse("2021-01-01").unwrap();
        assert!(y < m && m < d);
        assert!(PartialDate::parse("2020-12-31").unwrap() < y);
    }

    #[test]
    fn a_month_covers_its_whole_month() {
        let m = PartialDate::parse("2024-02").unwrap();
        assert_eq!(m.first_day().to_string(), "2024-02-01");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(
            PartialDate::parse("2021").unwrap().last_day().to_string(),
            "2021-12-31"
        );
    }
}
