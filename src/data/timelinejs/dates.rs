//! Dates as TimelineJS writes them: parts that are numbers or numeric strings,
//! spreadsheet years with thousands separators, times such as "2:30 PM", and the
//! older template's one-cell dates.

use crate::data::date::{PartialDate, TimeOfDay};

/// One date part as found: absent (or blank), a whole number, or text that is
/// not a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Missing,
    Number(i64),
    Bad(String),
}

impl Part {
    /// A cell or JSON string: blank is missing, "-500" and " 2001 " are numbers.
    /// `commas` lets a spreadsheet year be written "-15,000".
    pub fn from_text(text: &str, commas: bool) -> Part {
        let t = text.trim();
        if t.is_empty() {
            return Part::Missing;
        }
        let digits: String = if commas {
            t.chars()
                .filter(|c| *c != ',' && !c.is_whitespace())
                .collect()
        } else {
            t.to_string()
        };
        let (sign, body) = match digits.strip_prefix('-') {
            Some(b) => (-1, b),
            None => (1, digits.as_str()),
        };
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Part::Bad(t.to_string());
        }
        body.parse::<i64>()
            .map(|n| Part::Number(sign * n))
            .unwrap_or_else(|_| Part::Bad(t.to_string()))
    }
}

/// The parts of one date, as a TimelineJS date object or a row's cells hold them.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    pub year: Part,
    pub month: Part,
    pub day: Part,
    pub hour: Part,
    pub minute: Part,
    pub second: Part,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            year: Part::Missing,
            month: Part::Missing,
            day: Part::Missing,
            hour: Part::Missing,
            minute: Part::Missing,
            second: Part::Missing,
        }
    }
}

/// Why a date could not be read: the part (as a spreadsheet names its column)
/// and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartError {
    pub part: &'static str,
    pub message: String,
}

impl Parts {
    /// The date at the precision the parts give. Finer parts without the coarser
    /// ones they need (a day without a month) are errors, not guesses.
    pub fn to_date(&self) -> Result<Option<PartialDate>, PartError> {
        let num = |p: &Part, part: &'static str, what: &str| -> Result<Option<i64>, PartError> {
            match p {
                Part::Missing => Ok(None),
                Part::Number(n) => Ok(Some(*n)),
                Part::Bad(t) => Err(PartError {
                    part,
                    message: format!("'{t}' is not {what}: write a whole number"),
                }),
            }
        };
        let Some(year) = num(&self.year, "year", "a year")? else {
            return Ok(None);
        };
        let ranged = |v: Option<i64>, part: &'static str, lo: i64, hi: i64, what: &str| match v {
            Some(n) if !(lo..=hi).contains(&n) => Err(PartError {
                part,
                message: format!("'{n}' is not {what}"),
            }),
            _ => Ok(v.map(|n| n as u8)),
        };
        let month = ranged(
            num(&self.month, "month", "a month")?,
            "month",
            1,
            12,
            "a month",
        )?;
        let day = ranged(
            num(&self.day, "day", "a day")?,
            "day",
            1,
            31,
            "a day of the month",
        )?;
        let hour = ranged(
            num(&self.hour, "hour", "an hour")?,
            "hour",
            0,
            23,
            "an hour (0–23)",
        )?;
        let minute = ranged(
            num(&self.minute, "minute", "a minute")?,
            "minute",
            0,
            59,
            "a minute (0–59)",
        )?;
        let second = ranged(
            num(&self.second, "second", "a second")?,
            "second",
            0,
            59,
            "a second (0–59)",
        )?;
        if day.is_some() && month.is_none() {
            return Err(PartError {
                part: "day",
                message: "has a day but no month".into(),
            });
        }
        let time = match (hour, minute, second) {
            (None, None, None) => None,
            (Some(h), m, s) => Some(TimeOfDay {
                hour: h,
                minute: m.or(s.map(|_| 0)),
                second: s,
            }),
            (None, _, _) => {
                return Err(PartError {
                    part: "hour",
                    message: "has minutes or seconds but no hour".into(),
                });
            }
        };
        if time.is_some() && day.is_none() {
            return Err(PartError {
                part: "time",
                message: "has a time of day but no day".into(),
            });
        }
        PartialDate::from_parts(year, month, day, time)
            .map(Some)
            .ok_or_else(|| PartError {
                part: if year.abs() > crate::data::date::MAX_YEAR_MAGNITUDE {
                    "year"
                } else {
                    "day"
                },
                message: match (month, day) {
                    (Some(m), Some(d)) if year.abs() <= crate::data::date::MAX_YEAR_MAGNITUDE => {
                        format!("{year}-{m:02} has no day {d}")
                    }
                    _ => format!("'{year}' is further from now than a timeline can reach"),
                },
            })
    }
}

/// A spreadsheet time: "14:30", "14:30:05", "2:30 PM", "2:30 p.m.", "1430", "14.30".
pub fn parse_time(text: &str) -> Option<TimeOfDay> {
    let t = text.trim().to_ascii_lowercase();
    let (clock, pm) = match ["p.m.", "pm", "p"].iter().find_map(|s| t.strip_suffix(s)) {
        Some(c) => (c.trim(), Some(true)),
        None => match ["a.m.", "am", "a"].iter().find_map(|s| t.strip_suffix(s)) {
            Some(c) => (c.trim(), Some(false)),
            None => (t.as_str(), None),
        },
    };
    let parts: Vec<&str> = if clock.contains(':') {
        clock.split(':').collect()
    } else if clock.contains('.') {
        clock.split('.').collect()
    } else if (3..=4).contains(&clock.len()) && clock.bytes().all(|b| b.is_ascii_digit()) {
        let (h, m) = clock.split_at(clock.len() - 2);
        vec![h, m]
    } else {
        vec![clock]
    };
    let num = |s: &str| -> Option<u8> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut hour = num(parts.first()?)?;
    // "2 PM" or "14" alone is known to the hour.
    let minute = match parts.get(1) {
        Some(m) => Some(num(m)?),
        None => None,
    };
    // Fractions of a second are finer than annals keeps.
    let second = match parts.get(2) {
        Some(s) => Some(num(s.split([',', '.']).next().unwrap_or(""))?),
        None => None,
    };
    if parts.len() > 3 {
        return None;
    }
    match pm {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) if hour != 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let time = TimeOfDay {
        hour,
        minute,
        second,
    };
    let fits = hour <= 23 && minute.is_none_or(|m| m <= 59) && second.is_none_or(|s| s <= 59);
    (fits && !(second.is_some() && minute.is_none())).then_some(time)
}

/// The older template's one-cell dates: "2001", "2001-03", "2001-03-12", "-500",
/// "3/12/2001" (month first) with an optional time, and "3/2001".
pub fn parse_v1_date(text: &str) -> Option<PartialDate> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(rest) = t.strip_prefix('-')
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return PartialDate::from_parts(-rest.parse::<i64>().ok()?, None, None, None);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return PartialDate::from_parts(t.parse().ok()?, None, None, None);
    }
    if let Ok(d) = PartialDate::parse(t) {
        return Some(d);
    }
    let (date, time) = match t.split_once(' ') {
        Some((d, rest)) => (d, Some(rest)),
        None => (t, None),
    };
    let nums: Vec<i64> = date
        .split('/')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let small = |n: i64, hi: i64| (1..=hi).contains(&n).then_some(n as u8);
    let (year, month, day) = match nums.as_slice() {
        [m, y] => (*y, Some(small(*m, 12)?), None),
        [m, d, y] => (*y, Some(small(*m, 12)?), Some(small(*d, 31)?)),
        _ => return None,
    };
    let time = match time {
        Some(t) => Some(parse_time(t)?),
        None => None,
    };
    PartialDate::from_parts(year, month, day, time.filter(|_| day.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Option<String> {
        parse_time(text).map(|t| {
            PartialDate::from_parts(2000, Some(1), Some(1), Some(t))
                .unwrap()
                .iso()[11..]
                .to_string()
        })
    }

    #[test]
    fn reads_spreadsheet_times() {
        assert_eq!(time("14:30").as_deref(), Some("14:30"));
        assert_eq!(time("2:30 PM").as_deref(), Some("14:30"));
        assert_eq!(time("2:30 p.m.").as_deref(), Some("14:30"));
        assert_eq!(time("12:05 am").as_deref(), Some("00:05"));
        assert_eq!(time("14:30:05").as_deref(), Some("14:30:05"));
        assert_eq!(time("1430").as_deref(), Some("14:30"));
        assert_eq!(time("25:00"), None);
        assert_eq!(time("13:00 PM"), None);
        assert_eq!(time("noon"), None);
    }

    #[test]
    fn reads_years_with_separators_and_rejects_words() {
        assert_eq!(Part::from_text("-15,000", true), Part::Number(-15_000));
        assert_eq!(Part::from_text(" 2001 ", false), Part::Number(2001));
        assert_eq!(Part::from_text("", false), Part::Missing);
        assert_eq!(Part::from_text("March", false), Part::Bad("March".into()));
        assert_eq!(Part::from_text("1,500", false), Part::Bad("1,500".into()));
    }

    #[test]
    fn parts_make_dates_at_their_precision() {
        let parts = Parts {
            year: Part::Number(2024),
            month: Part::Number(6),
            day: Part::Number(19),
            hour: Part::Number(14),
            minute: Part::Number(30),
            ..Parts::default()
        };
        assert_eq!(parts.to_date().unwrap().unwrap().iso(), "2024-06-19 14:30");
        let bad = Parts {
            year: Part::Number(2024),
            month: Part::Number(13),
            ..Parts::default()
        };
        assert_eq!(bad.to_date().unwrap_err().message, "'13' is not a month");
        let feb = Parts {
            year: Part::Number(2023),
            month: Part::Number(2),
            day: Part::Number(30),
            ..Parts::default()
        };
        assert!(feb.to_date().is_err());
    }

    #[test]
    fn reads_the_older_one_cell_dates() {
        let d = |t: &str| parse_v1_date(t).map(|d| d.iso());
        assert_eq!(d("2001").as_deref(), Some("2001"));
        assert_eq!(d("-500").as_deref(), Some("-500"));
        assert_eq!(d("3/12/2001").as_deref(), Some("2001-03-12"));
        assert_eq!(d("3/2001").as_deref(), Some("2001-03"));
        assert_eq!(d("3/12/2001 2:30 PM").as_deref(), Some("2001-03-12 14:30"));
        assert_eq!(d("soon"), None);
    }
}
