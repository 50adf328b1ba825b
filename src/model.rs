//! Pure data types: dates at their own precision, and the validated timeline.

use std::fmt;
use std::sync::Arc;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Country,
    Person,
    Organization,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Country => "country",
            ActorKind::Person => "person",
            ActorKind::Organization => "organization",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: String,
    /// Where the text came from, relative to the timeline file, if it was a file.
    pub file: Option<String>,
    pub title: String,
    /// The outlet whose report it is; for a copy, the original's outlet.
    pub outlet: Option<String>,
    pub published: Option<PartialDate>,
    /// The text gives no publication date: `published` was worked out.
    pub published_inferred: bool,
    /// How `published` was worked out, or why it cannot be closer.
    pub published_note: Option<String>,
    /// Set when the text is not the outlet's own words.
    pub copy: Option<ArticleCopy>,
    /// Shared by every event that cites the article.
    pub text: Arc<str>,
}

/// How a text was made from someone else's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyKind {
    Republication,
    Paraphrase,
    Translation,
}

impl CopyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Republication => "republication",
            CopyKind::Paraphrase => "paraphrase",
            CopyKind::Translation => "translation",
        }
    }
}

/// An article whose text is a copy of a report: its words are not the outlet's.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCopy {
    /// One or more, in the order the copy was made ("republication", "paraphrase").
    pub kinds: Vec<CopyKind>,
    /// Made by a machine (a spinner or a translation engine).
    pub machine: bool,
    /// The language of the original report, when it was translated.
    pub language: Option<String>,
    /// Passages of the text that show it is a copy, each found verbatim.
    pub signs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub role: Option<String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Era {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub start: PartialDate,
    /// `None` while the era is still running.
    pub end: Option<PartialDate>,
}

/// A quote in an article, with its byte range in the article's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub article: usize,
    pub quote: String,
    pub start: usize,
    pub end: usize,
    /// A doubt about the quote (a figure, a misquote), shown wherever it is.
    pub caveat: Option<String>,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasisKind {
    /// An article states the date at its precision.
    Stated,
    /// The date follows from an article's words (a weekday, "last year").
    WorkedOut,
    /// The date is taken from the public record, not from the articles.
    Record,
}

impl DateBasisKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasisKind::Stated => "stated",
            DateBasisKind::WorkedOut => "worked_out",
            DateBasisKind::Record => "record",
        }
    }
}

/// What an article says about an event's date, in its own words.
#[derive(Debug, Clone, PartialEq)]
pub struct DateWords {
    pub article: usize,
    pub words: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateBasis {
    pub kind: DateBasisKind,
    /// For a stated or worked-out date, the first entry is the article that gives
    /// it; the others (and any for a date from the record) say what an article
    /// has about the date.
    pub says: Vec<DateWords>,
    /// For a date from the record: where it comes from.
    pub reference: Option<String>,
}

impl DateBasis {
    /// The article that states or gives the date, if an article does.
    pub fn giving_article(&self) -> Option<usize> {
        match self.kind {
            DateBasisKind::Record => None,
            _ => self.says.first().map(|w| w.article),
        }
    }

    /// What `article` says about the date, if the basis quotes it.
    pub fn words_in(&self, article: usize) -> Option<&str> {
        self.says
            .iter()
            .find(|w| w.article == article)
            .map(|w| w.words.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub date_note: Option<String>,
    /// Where the date comes from; optional in a user's timeline.
    pub date_basis: Option<DateBasis>,
    pub headline: String,
    pub summary: String,
    /// Indices into `Timeline::actors`.
    pub actors: Vec<usize>,
    /// Indices into `Timeline::topics`.
    pub topics: Vec<usize>,
    pub sources: Vec<Source>,
}

impl Event {
    /// Whether the event spans time: it has an end other than its date.
    pub fn spans(&self) -> bool {
        self.end.is_some_and(|end| end != self.date)
    }

    /// The date the event runs until: its end, or its date.
    pub fn last_date(&self) -> PartialDate {
        self.end.unwrap_or(self.date)
    }

    /// The last day the event covers.
    pub fn last_day(&self) -> NaiveDate {
        self.last_date().last_day()
    }
}

/// A validated timeline. Events are in chronological order, so an event's
/// index is its place in time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub title: String,
    pub articles: Vec<Article>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
    pub eras: Vec<Era>,
    pub events: Vec<Event>,
}

impl Timeline {
    pub fn event_by_id(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id == id)
    }

    /// The first event dated on or after `date`. When none starts within `date`
    /// itself, an earlier event that spans it comes first ("2021" spans June 2021,
    /// and so does "2020 – 2022").
    /// The last event if no event reaches `date`.
    pub fn event_near(&self, date: &PartialDate) -> Option<usize> {
        let next = self.events.partition_point(|e| e.date < *date);
        if self
            .events
            .get(next)
            .is_some_and(|e| e.date.first_day() <= date.last_day())
        {
            return Some(next);
        }
        let first = date.first_day();
        let len = self.events.len();
        self.events[..next]
            .iter()
            .position(|e| e.last_day() >= first)
            .or((next < len).then_some(next))
            .or(len.checked_sub(1))
    }

    /// The first and last years the events cover, end dates included. Reads every
    /// event: work it out once.
    pub fn year_span(&self) -> Option<(i32, i32)> {
        let first = self.events.first()?.date.year;
        let last = self.events.iter().map(|e| e.last_date().year).max()?;
        Some((first, last))
    }

    pub fn actor_names(&self, event: &Event) -> Vec<&str> {
        event
            .actors
            .iter()
            .map(|&a| self.actors[a].name.as_str())
            .collect()
    }

    pub fn topic_names(&self, event: &Event) -> Vec<&str> {
        event
            .topics
            .iter()
            .map(|&t| self.topics[t].name.as_str())
            .collect()
    }
}

/// How an event's date range is written: "2017-08" or "2017-08 – 2018".
pub fn date_span(event: &Event) -> String {
    if event.spans() {
        format!("{} – {}", event.date, event.last_date())
    } else {
        event.date.to_string()
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
