//! Writing a timeline as TimelineJS3 JSON and as the spreadsheet template's CSV.
//! Dates keep their own precision (no invented month or day). An event that
//! quotes articles gets a text made of its summary, each quote as a blockquote
//! and its source line, HTML-escaped; an event's own HTML text goes out as it
//! came in.

use serde_json::{Map, Value, json};

use crate::data::cite::{article_label, date_mark};
use crate::data::date::{PartialDate, TimeOfDay};
use crate::data::html::escape;
use crate::data::model::{Event, Media, Timeline};
use crate::data::text::spreadsheet_text;

/// TimelineJS's human scale ends here; past it only the cosmological one places dates.
const HUMAN_YEARS: std::ops::RangeInclusive<i64> = -271_820..=275_759;

fn date_object(d: &PartialDate) -> Value {
    let mut m = Map::new();
    m.insert("year".into(), json!(d.year));
    if let Some(v) = d.month {
        m.insert("month".into(), json!(v));
    }
    if let Some(v) = d.day {
        m.insert("day".into(), json!(v));
    }
    if let Some(t) = d.time {
        m.insert("hour".into(), json!(t.hour));
        if let Some(v) = t.minute {
            m.insert("minute".into(), json!(v));
        }
        if let Some(v) = t.second {
            m.insert("second".into(), json!(v));
        }
    }
    Value::Object(m)
}

/// The event's text as HTML: its own text when it has one, else its summary,
/// quotes and sources; then the actors and the topics after the first.
/// The headline as TimelineJS shows it: its own HTML, or its text escaped.
fn headline_html(e: &Event) -> String {
    match &e.headline_html {
        Some(h) => h.to_string(),
        None => escape(&e.headline).into_owned(),
    }
}

pub fn event_html(t: &Timeline, e: &Event) -> String {
    let mut html = String::new();
    if !e.summary.trim().is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(&e.summary)));
    }
    if let Some(own) = &e.text {
        html.push_str(own);
    }
    for (i, s) in e.sources.iter().enumerate() {
        html.push_str(&format!("<blockquote>{}</blockquote>", escape(s.quote())));
        let mut line = format!("— {}", article_label(t, s.article));
        if let Some(mark) = date_mark(t, e, i) {
            line.push_str(&format!(" ({mark})"));
        }
        if let Some(c) = &s.caveat {
            line.push_str(&format!(". Caveat: {c}"));
        }
        html.push_str(&format!("<p>{}</p>", escape(&line)));
    }
    let actors = t.actor_names(e);
    let topics = t.topic_names(e);
    let mut roles = Vec::new();
    if !actors.is_empty() {
        roles.push(format!("Actors: {}", actors.join(", ")));
    }
    // The first topic is the group; the rest would be lost without a line here.
    let rest_topics = if e.group.is_none() {
        topics.get(1..).unwrap_or(&[])
    } else {
        &topics[..]
    };
    if !rest_topics.is_empty() {
        roles.push(format!("Topics: {}", rest_topics.join(", ")));
    }
    if !roles.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(&roles.join(". "))));
    }
    html
}

/// The group TimelineJS shows the event in: its own, or its first topic.
fn group_of(t: &Timeline, e: &Event) -> Option<String> {
    e.group
        .as_deref()
        .map(str::to_string)
        .or_else(|| e.topics.first().map(|&k| t.topics[k].name.clone()))
}

fn slide(t: &Timeline, e: &Event) -> Value {
    let mut m = Map::new();
    m.insert("start_date".into(), date_object(&e.date));
    if let Some(end) = e.end.filter(|end| *end != e.date) {
        m.insert("end_date".into(), date_object(&end));
    }
    m.insert(
        "text".into(),
        json!({"headline": headline_html(e), "text": event_html(t, e)}),
    );
    if let Some(media) = &e.media {
        m.insert("media".into(), json!(media.as_ref()));
    }
    if let Some(g) = group_of(t, e) {
        m.insert("group".into(), json!(g));
    }
    if let Some(d) = &e.display_date {
        m.insert("display_date".into(), json!(d));
    }
    if let Some(b) = &e.background {
        m.insert("background".into(), json!(b.as_ref()));
    }
    if let Some(a) = e.autolink {
        m.insert("autolink".into(), json!(a));
    }
    m.insert("unique_id".into(), json!(e.id));
    Value::Object(m)
}

/// The timeline's last date: where an era still running is said to end.
fn last_date(t: &Timeline) -> Option<PartialDate> {
    t.events.iter().map(Event::last_date).max()
}

pub fn to_json(t: &Timeline) -> String {
    let events: Vec<Value> = t.events.iter().map(|e| slide(t, e)).collect();
    let last = last_date(t);
    let eras: Vec<Value> = t
        .eras
        .iter()
        .map(|era| {
            let end = era
                .end
                .or(last)
                .map(|d| d.max(era.start))
                .unwrap_or(era.start);
            json!({"start_date": date_object(&era.start), "end_date": date_object(&end),
                   "text": {"headline": escape(&era.name)}})
        })
        .collect();
    let mut title = Map::new();
    let slide = t.title_slide.clone().unwrap_or_default();
    title.insert(
        "text".into(),
        json!({"headline": escape(&t.title), "text": slide.text.unwrap_or_default()}),
    );
    if let Some(m) = slide.media {
        title.insert("media".into(), json!(m));
    }
    if let Some(b) = slide.background {
        title.insert("background".into(), json!(b));
    }
    let deep = t.events.iter().any(|e| !HUMAN_YEARS.contains(&e.date.year));
    let doc = json!({
        "title": Value::Object(title),
        "events": events,
        "eras": eras,
        "scale": if deep { "cosmological" } else { "human" },
    });
    serde_json::to_string_pretty(&doc).expect("JSON values always serialize")
}

fn clock(t: &TimeOfDay) -> String {
    match (t.minute, t.second) {
        (None, _) => t.hour.to_string(),
        (Some(m), None) => format!("{}:{m:02}", t.hour),
        (Some(m), Some(s)) => format!("{}:{m:02}:{s:02}", t.hour),
    }
}

fn date_cells(d: Option<&PartialDate>) -> [String; 4] {
    let Some(d) = d else {
        return Default::default();
    };
    [
        d.year.to_string(),
        d.month.map(|m| m.to_string()).unwrap_or_default(),
        d.day.map(|m| m.to_string()).unwrap_or_default(),
        d.time.as_ref().map(clock).unwrap_or_default(),
    ]
}

fn media_cells(m: Option<&Media>) -> [String; 5] {
    let Some(m) = m else {
        return Default::default();
    };
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        m.url.clone(),
        s(&m.credit),
        s(&m.caption),
        s(&m.thumbnail),
        s(&m.alt),
    ]
}

/// The spreadsheet template's rows: the title, the events, then the eras.
pub fn to_csv(t: &Timeline, w: impl std::io::Write) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(super::TEMPLATE_COLUMNS)?;
    let row = |start: Option<&PartialDate>,
               end: Option<&PartialDate>,
               display: &str,
               headline: &str,
               text: &str,
               media: Option<&Media>,
               kind: &str,
               group: &str,
               background: &str| {
        let mut r: Vec<String> = Vec::with_capacity(19);
        r.extend(date_cells(start));
        r.extend(date_cells(end));
        // Every cell after the dates is text a spreadsheet must not run.
        let text_cells = [display, headline, text]
            .into_iter()
            .map(String::from)
            .chain(media_cells(media))
            .chain([kind, group, background].map(String::from));
        r.extend(text_cells.map(|c| spreadsheet_text(&c).into_owned()));
        r
    };
    let slide = t.title_slide.clone().unwrap_or_default();
    let bg = |b: Option<&crate::data::model::Background>| {
        b.and_then(|b| b.url.clone().or_else(|| b.color.clone()))
            .unwrap_or_default()
    };
    out.write_record(row(
        None,
        None,
        "",
        &t.title,
        slide.text.as_deref().unwrap_or(""),
        slide.media.as_ref(),
        "title",
        "",
        &bg(slide.background.as_ref()),
    ))?;
    for e in &t.events {
        out.write_record(row(
            Some(&e.date),
            e.end.as_ref().filter(|end| **end != e.date),
            e.display_date.as_deref().unwrap_or(""),
            e.headline_html.as_deref().unwrap_or(&e.headline),
            &event_html(t, e),
            e.media.as_deref(),
            "",
            &group_of(t, e).unwrap_or_default(),
            &bg(e.background.as_deref()),
        ))?;
    }
    let last = last_date(t);
    for era in &t.eras {
        let end = era.end.or(last).map(|d| d.max(era.start));
        out.write_record(row(
            Some(&era.start),
            end.as_ref(),
            "",
            &era.name,
            "",
            None,
            "era",
            "",
            "",
        ))?;
    }
    out.flush()?;
    Ok(())
}
