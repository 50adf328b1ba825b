//! TimelineJS3 JSON, read as TimelineJS itself reads it (its TimelineConfig and
//! TLDate): a title slide, events, eras; date parts as numbers or numeric
//! strings; unknown keys ignored. Each event is read on its own, so one bad event
//! is named with its line and column and the rest still load.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::dates::{Part, Parts};
use super::{Builder, Slide, warn};
use crate::data::load::format::RawTimeline;
use crate::data::load::problems::{Problem, Warnings};
use crate::data::model::{Background, Media, TitleSlide};

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow, default)]
    events: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    title: Option<&'a RawValue>,
    #[serde(borrow, default)]
    eras: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize, Default)]
struct JsonSlide {
    #[serde(default)]
    start_date: Option<JsonDate>,
    #[serde(default)]
    end_date: Option<JsonDate>,
    #[serde(default)]
    text: Option<JsonText>,
    #[serde(default)]
    media: Option<LenientMedia>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    display_date: Option<String>,
    #[serde(default)]
    background: Option<LenientBackground>,
    #[serde(default)]
    unique_id: Option<String>,
    #[serde(default)]
    autolink: Option<bool>,
}

#[derive(Deserialize, Default)]
struct JsonText {
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// Media as TimelineJS reads it: url and the documented keys, others ignored.
#[derive(Deserialize, Default)]
struct LenientMedia {
    #[serde(default)]
    url: String,
    caption: Option<String>,
    credit: Option<String>,
    thumbnail: Option<String>,
    alt: Option<String>,
    title: Option<String>,
    link: Option<String>,
    link_target: Option<String>,
}

impl LenientMedia {
    /// The media, if it has the url TimelineJS requires.
    fn kept(self) -> Option<Media> {
        (!self.url.trim().is_empty()).then_some(Media {
            url: self.url,
            caption: self.caption,
            credit: self.credit,
            thumbnail: self.thumbnail,
            alt: self.alt,
            title: self.title,
            link: self.link,
            link_target: self.link_target,
        })
    }
}

/// TimelineJS keeps url, alt and color and ignores the rest.
#[derive(Deserialize, Default)]
struct LenientBackground {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default)]
    alt: Option<String>,
}

#[derive(Deserialize, Default)]
struct JsonDate {
    #[serde(default)]
    year: JsonPart,
    #[serde(default)]
    month: JsonPart,
    #[serde(default)]
    day: JsonPart,
    #[serde(default)]
    hour: JsonPart,
    #[serde(default)]
    minute: JsonPart,
    #[serde(default)]
    second: JsonPart,
    #[serde(default)]
    display_date: Option<String>,
}

/// A date part: a number (2001.7 is 2001, as TimelineJS's parseInt makes it), a
/// numeric string (" 2001 ", "-500", "" for none), or null.
#[derive(Default)]
struct JsonPart(Option<Part>);

impl<'de> Deserialize<'de> for JsonPart {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(JsonPart(Some(match v {
            serde_json::Value::Null => Part::Missing,
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Part::Number(i),
                None => match n.as_f64() {
                    Some(f) if f.is_finite() && f.abs() < 9e15 => Part::Number(f.trunc() as i64),
                    _ => Part::Bad(n.to_string()),
                },
            },
            serde_json::Value::String(s) => Part::from_text(&s, false),
            other => Part::Bad(other.to_string()),
        })))
    }
}

impl JsonDate {
    fn parts(&self) -> Parts {
        let p = |j: &JsonPart| j.0.clone().unwrap_or(Part::Missing);
        Parts {
            year: p(&self.year),
            month: p(&self.month),
            day: p(&self.day),
            hour: p(&self.hour),
            minute: p(&self.minute),
            second: p(&self.second),
        }
    }
}

/// Line starts, to turn a byte offset into line:column when a problem needs one.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }

    fn place(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, offset - self.starts[line - 1] + 1)
    }
}

/// Where a piece of the document starts, as "file:line:column".
struct Places<'a> {
    name: &'a str,
    text: &'a str,
    lines: std::cell::OnceCell<Lines>,
}

impl Places<'_> {
    /// The place of the byte `offset` bytes into `raw`.
    fn at(&self, raw: &RawValue, offset: usize) -> String {
        let base = raw.get().as_ptr() as usize - self.text.as_ptr() as usize;
        let (line, col) = self
            .lines
            .get_or_init(|| Lines::of(self.text))
            .place(base + offset);
        format!("{}:{line}:{col}", self.name)
    }
}

/// How far into `text` a serde error inside it is.
fn error_offset(text: &str, e: &serde_json::Error) -> usize {
    let lines = Lines::of(text);
    let offset = lines.starts[(e.line().max(1) - 1).min(lines.starts.len() - 1)]
        + e.column().saturating_sub(1);
    offset.min(text.len())
}

/// Which list a slide is in, for its place and messages.
#[derive(Clone, Copy)]
pub(crate) enum SlideList {
    Events,
    Eras,
}

/// The `i`th slide of a list, read from its JSON `text`; `at` gives the place
/// ("file:line:column") of a byte offset in `text`. `None`, with a warning,
/// for a slide that cannot be read or has no start date. `Err` if `text` is
/// not JSON at all, which makes the whole document unreadable.
pub(crate) fn read_slide(
    text: &str,
    list: SlideList,
    i: usize,
    at: &dyn Fn(usize) -> String,
    w: &mut Warnings,
) -> Result<Option<Slide>, NotJson> {
    let key = match list {
        SlideList::Events => "events",
        SlideList::Eras => "eras",
    };
    match serde_json::from_str::<JsonSlide>(text) {
        Ok(s) => Ok(to_slide(w, s, format!("{} ({key}[{i}])", at(0)))),
        Err(e) if !e.is_data() || !is_json(text) => Err(NotJson),
        Err(e) => {
            let place = format!("{} ({key}[{i}])", at(error_offset(text, &e)));
            match list {
                SlideList::Events => warn(
                    w,
                    &place,
                    format!("this event cannot be read and is left out: {e}"),
                    Some("text goes in quotes, dates are objects such as {\"year\": 2001}"),
                ),
                SlideList::Eras => warn(
                    w,
                    &place,
                    format!("this era cannot be read and is left out: {e}"),
                    None,
                ),
            }
            Ok(None)
        }
    }
}

/// Whether `text` is JSON at all. A type error stops serde before the end, so
/// a piece it could not read as a slide is checked whole.
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// A piece of a document that is not JSON.
#[derive(Debug)]
pub(crate) struct NotJson;

/// The title slide, read from its JSON `text`: the title and the rest of the slide.
pub(crate) fn read_title(
    text: &str,
    at: &dyn Fn(usize) -> String,
    w: &mut Warnings,
) -> Result<(Option<String>, Option<TitleSlide>), NotJson> {
    match serde_json::from_str::<JsonSlide>(text) {
        Ok(t) => {
            let text = t.text.unwrap_or_default();
            let slide = Some(TitleSlide {
                text: text.text.filter(|t| !t.trim().is_empty()),
                media: t.media.and_then(LenientMedia::kept),
                background: t.background.map(background),
            })
            .filter(|s| s.text.is_some() || s.media.is_some() || s.background.is_some());
            Ok((text.headline, slide))
        }
        Err(e) if !e.is_data() || !is_json(text) => Err(NotJson),
        Err(e) => {
            warn(
                w,
                &at(error_offset(text, &e)),
                format!("the title slide cannot be read: {e}"),
                Some("TimelineJS's title is an object with text and media"),
            );
            Ok((None, None))
        }
    }
}

/// Says that a document has no events, as TimelineJS needs at least one.
pub(crate) fn warn_no_events(name: &str, w: &mut Warnings) {
    warn(
        w,
        name,
        "has no \"events\"",
        Some("TimelineJS needs at least one event"),
    );
}

/// Reads TimelineJS JSON into annals' raw form, with everything skipped or
/// changed as warnings. A document that is not JSON at all is one problem.
pub fn read(text: &str, name: &str) -> Result<(RawTimeline, Warnings), Problem> {
    let doc: Document = serde_json::from_str(text).map_err(|e| Problem {
        place: format!("{name}:{}:{}", e.line(), e.column()),
        message: e.to_string(),
        hint: Some("fix the JSON syntax at that line and column".into()),
    })?;
    let places = Places {
        name,
        text,
        lines: std::cell::OnceCell::new(),
    };
    let mut b = Builder::default();
    // The title was read as JSON already.
    if let Some(title) = doc.title
        && let Ok(read) = read_title(title.get(), &|o| places.at(title, o), &mut b.warnings)
    {
        (b.title, b.title_slide) = read;
    }
    let events = doc.events.unwrap_or_default();
    if events.is_empty() {
        warn_no_events(name, &mut b.warnings);
    }
    for (i, raw) in events.into_iter().enumerate() {
        let at = |o| places.at(raw, o);
        // Each event was read as JSON already.
        if let Ok(Some(s)) = read_slide(raw.get(), SlideList::Events, i, &at, &mut b.warnings) {
            b.events.push(s);
        }
    }
    for (i, raw) in doc.eras.unwrap_or_default().into_iter().enumerate() {
        let at = |o| places.at(raw, o);
        if let Ok(Some(s)) = read_slide(raw.get(), SlideList::Eras, i, &at, &mut b.warnings) {
            b.eras.push(s);
        }
    }
    Ok(b.finish(name))
}

fn background(b: LenientBackground) -> Background {
    Background {
        url: b.url,
        color: b.color,
        alt: b.alt,
    }
}

/// The slide, or `None` (with a warning) when it has no start date to place it.
fn to_slide(w: &mut Warnings, s: JsonSlide, place: String) -> Option<Slide> {
    let Some(start) = &s.start_date else {
        warn(
            w,
            &place,
            "has no start_date and is left out (TimelineJS skips it too)",
            Some("add \"start_date\": {\"year\": …}"),
        );
        return None;
    };
    let start_date = match start.parts().to_date() {
        Ok(Some(d)) => d,
        Ok(None) => {
            warn(
                w,
                &place,
                "its start_date has no year; the event is left out",
                Some("add \"year\" to start_date"),
            );
            return None;
        }
        Err(e) => {
            warn(
                w,
                &place,
                format!(
                    "start_date.{}: {}; the event is left out",
                    e.part, e.message
                ),
                Some("date parts are whole numbers: {\"year\": 2001, \"month\": 3}"),
            );
            return None;
        }
    };
    let end = match s.end_date.as_ref().map(|d| d.parts().to_date()) {
        None | Some(Ok(None)) => None,
        Some(Ok(Some(d))) => Some(d),
        Some(Err(e)) => {
            warn(
                w,
                &place,
                format!("end_date.{}: {}; the end is left out", e.part, e.message),
                None,
            );
            None
        }
    };
    let text = s.text.unwrap_or_default();
    let display_date = s
        .display_date
        .or_else(|| start.display_date.clone())
        .filter(|d| !d.trim().is_empty());
    Some(Slide {
        place,
        start: Some(start_date),
        end,
        headline: text.headline.unwrap_or_default(),
        text: text.text.unwrap_or_default(),
        media: s.media.and_then(LenientMedia::kept),
        group: s.group,
        display_date,
        background: s.background.map(background),
        unique_id: s.unique_id,
        autolink: s.autolink,
    })
}
