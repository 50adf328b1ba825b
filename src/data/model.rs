//! Pure data types: the validated timeline, its events, articles, actors and topics.

use std::sync::Arc;

use crate::data::date::{Moment, PartialDate};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
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
    /// The article's text, shared: the quote is not copied.
    pub text: Arc<str>,
    pub start: usize,
    pub end: usize,
    /// A doubt about the quote (a figure, a misquote), shown wherever it is.
    pub caveat: Option<String>,
}

impl Source {
    /// The quoted words, exactly as the article has them.
    pub fn quote(&self) -> &str {
        &self.text[self.start..self.end]
    }
}

/// Where an event's date comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
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

/// A picture, video or page that illustrates an event, as TimelineJS gives it.
/// `caption` and `credit` may hold HTML, kept as written.
#[derive(
    Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where a click on the media leads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_target: Option<String>,
}

/// A slide's background in TimelineJS: an image or a colour. Kept to write it back.
#[derive(
    Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Background {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// The opening slide of a TimelineJS timeline: its text and picture.
#[derive(
    Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct TitleSlide {
    /// HTML, kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Box<str>,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub date_note: Option<Box<str>>,
    /// Where the date comes from; optional in a user's timeline. Boxed, as
    /// most events of a large timeline have none.
    pub date_basis: Option<Box<DateBasis>>,
    pub headline: Box<str>,
    /// The headline as TimelineJS HTML, where it had markup: kept to write back.
    pub headline_html: Option<Box<str>>,
    pub summary: Box<str>,
    /// Indices into `Timeline::actors`. (Boxed slices, not vectors: a large
    /// timeline holds many events, and each list is made once.)
    pub actors: Box<[usize]>,
    /// Indices into `Timeline::topics`.
    pub topics: Box<[usize]>,
    /// Quotes from articles; empty for an event that tells its own story in
    /// `text` and `media`, as a TimelineJS event does.
    pub sources: Box<[Source]>,
    /// The event's own text, as HTML (a TimelineJS slide's text), kept as written.
    pub text: Option<Box<str>>,
    pub media: Option<Box<Media>>,
    /// A TimelineJS group: a row of its own, apart from the topics.
    pub group: Option<Box<str>>,
    /// Shown instead of the date; the date still orders the events.
    pub display_date: Option<Box<str>>,
    pub background: Option<Box<Background>>,
    /// TimelineJS's autolink, kept only to write it back.
    pub autolink: Option<bool>,
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

    /// The last moment the event covers.
    pub fn last_moment(&self) -> Moment {
        self.last_date().last_moment()
    }

    /// The date as shown: the timeline's own wording where it sets one.
    pub fn shown_date(&self) -> String {
        match &self.display_date {
            Some(d) => d.to_string(),
            None => date_span(self),
        }
    }
}

/// A validated timeline. Events are in chronological order, so an event's
/// index is its place in time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub title: String,
    pub title_slide: Option<TitleSlide>,
    pub articles: Vec<Article>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
    pub eras: Vec<Era>,
    pub events: Vec<Event>,
}

impl Timeline {
    pub fn event_by_id(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| &*e.id == id)
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
            .is_some_and(|e| e.date.first_moment() <= date.last_moment())
        {
            return Some(next);
        }
        let first = date.first_moment();
        let len = self.events.len();
        self.events[..next]
            .iter()
            .position(|e| e.last_moment() >= first)
            .or((next < len).then_some(next))
            .or(len.checked_sub(1))
    }

    /// The first and last years the events cover, end dates included. Reads every
    /// event: work it out once.
    pub fn year_span(&self) -> Option<(i64, i64)> {
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

    /// The groups events name, in order of first use.
    pub fn groups(&self) -> Vec<&str> {
        let mut seen = rustc_hash::FxHashSet::default();
        self.events
            .iter()
            .filter_map(|e| e.group.as_deref())
            .filter(|g| seen.insert(*g))
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
    /// Each byte of an event is paid for every event of a large timeline:
    /// 100,000 events hold 24 MB of these alone (README's memory table).
    #[test]
    fn an_event_stays_small() {
        assert!(std::mem::size_of::<super::Event>() <= 256);
    }
}
