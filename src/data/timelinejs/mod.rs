//! Knight Lab's TimelineJS formats: its JSON and its spreadsheet template saved
//! as CSV, read leniently (everything usable is loaded and everything skipped is
//! named with its place) and written back.

pub mod csv_read;
pub mod dates;
pub mod json_read;
pub mod write;

use rustc_hash::FxHashMap as HashMap;

use crate::data::date::PartialDate;
use crate::data::html;
use crate::data::load::format::{RawEra, RawEvent, RawTimeline};
use crate::data::load::problems::{Problem, Warnings};
use crate::data::model::{Background, Media, TitleSlide};
use crate::data::text::{is_forbidden_control, may_hold_control};

/// The spreadsheet template's columns, in its order, as its header row names them:
/// what the CSV reader looks for and the CSV writer writes.
pub const TEMPLATE_COLUMNS: [&str; 19] = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Alt Text",
    "Type",
    "Group",
    "Background",
];

/// The formats `--data` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Annals,
    TimelineJs,
    TimelineJsCsv,
}

/// What a file's content looks like, from its first bytes and its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Format(DataFormat),
    /// TimelineJS2's `{"timeline": {"date": [...]}}`, which TimelineJS3 no longer reads.
    LegacyTimelineJs2,
}

/// Tells the formats apart by content, not by file name: JSON starts with `{`
/// and TimelineJS JSON has `start_date`; anything else is taken for CSV.
pub fn sniff(text: &str) -> Sniffed {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !body.starts_with('{') {
        let header = body.lines().next().unwrap_or("");
        return if header.contains("Year")
            || header.contains("Headline")
            || header.contains("Start Date")
        {
            Sniffed::Format(DataFormat::TimelineJsCsv)
        } else {
            Sniffed::Format(DataFormat::Annals)
        };
    }
    let after_brace = body[1..].trim_start();
    if after_brace.starts_with("\"timeline\"") {
        return Sniffed::LegacyTimelineJs2;
    }
    let finder = memchr::memmem::Finder::new("\"start_date\"");
    if finder.find(body.as_bytes()).is_some() {
        Sniffed::Format(DataFormat::TimelineJs)
    } else {
        Sniffed::Format(DataFormat::Annals)
    }
}

/// One event as both TimelineJS formats give it, before it becomes annals' own.
#[derive(Debug, Default)]
pub(crate) struct Slide {
    pub place: String,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub headline: String,
    pub text: String,
    pub media: Option<Media>,
    pub group: Option<String>,
    pub display_date: Option<String>,
    pub background: Option<Background>,
    pub unique_id: Option<String>,
    pub autolink: Option<bool>,
}

/// Gathers slides, eras and problems, then makes the annals timeline from them.
#[derive(Default)]
pub(crate) struct Builder {
    pub title: Option<String>,
    pub title_slide: Option<TitleSlide>,
    pub events: Vec<Slide>,
    pub eras: Vec<Slide>,
    /// What was skipped or changed, each with its place.
    pub warnings: Warnings,
}

/// Notes what was skipped or changed, with its place.
pub(crate) fn warn(
    warnings: &mut Warnings,
    place: &str,
    message: impl Into<String>,
    hint: Option<&str>,
) {
    warnings.push(Problem {
        place: place.to_string(),
        message: message.into(),
        hint: hint.map(str::to_string),
    });
}

impl Builder {
    pub fn warn(&mut self, place: &str, message: impl Into<String>, hint: Option<&str>) {
        warn(&mut self.warnings, place, message, hint);
    }

    /// The annals timeline: ids as TimelineJS makes them, events without a start
    /// date left out (each named), text cleaned of control characters.
    pub fn finish(mut self, name: &str) -> (RawTimeline, Warnings) {
        let mut ids = UniqueIds::default();
        let slides = std::mem::take(&mut self.events);
        let mut events = Vec::with_capacity(slides.len());
        for s in slides {
            if let Some(mut e) = raw_event(s, &mut self.warnings) {
                e.id = ids.claim(&e.id);
                events.push(e);
            }
        }
        let eras = raw_eras(std::mem::take(&mut self.eras), &mut self.warnings);
        let (title, title_slide) = title_of(
            self.title.take(),
            self.title_slide.take(),
            name,
            &mut self.warnings,
        );
        let raw = RawTimeline {
            title,
            title_slide,
            articles: Vec::new(),
            actors: Vec::new(),
            topics: Vec::new(),
            eras,
            events,
        };
        (raw, self.warnings)
    }
}

/// An event slide as annals' raw event, its id (the slide's unique_id, or one
/// made from its headline) not yet made unique; `None` without a start date.
pub(crate) fn raw_event(s: Slide, w: &mut Warnings) -> Option<RawEvent> {
    let date = s.start?;
    let written = clean_line(w, &s.place, s.headline);
    let headline = clean_line(w, &s.place, html::inline_text(&written));
    let headline_html = html::has_markup(&written).then_some(written);
    let id = s
        .unique_id
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| slug(&headline));
    let end = s.end.filter(|&e| {
        if e.last_moment() < date.first_moment() {
            warn(
                w,
                &s.place,
                format!("ends ({e}) before it starts ({date}); the end is left out"),
                Some("swap or correct the dates"),
            );
            false
        } else {
            e != date
        }
    });
    let text = clean_text(w, &s.place, s.text);
    let media = s.media.map(|m| clean_media(w, &s.place, m));
    Some(RawEvent {
        id,
        date: date.iso(),
        end: end.map(|e| e.iso()),
        date_note: None,
        date_basis: None,
        headline: if headline.is_empty() {
            "(untitled)".into()
        } else {
            headline
        },
        headline_html,
        summary: String::new(),
        actors: Vec::new(),
        topics: Vec::new(),
        sources: Vec::new(),
        // Kept even when empty: the event tells its own story, if only in its headline.
        text: Some(text),
        media,
        group: s
            .group
            .map(|g| clean_line(w, &s.place, html::inline_text(&g)))
            .filter(|g| !g.is_empty()),
        display_date: s
            .display_date
            .map(|d| clean_line(w, &s.place, html::inline_text(&d)))
            .filter(|d| !d.is_empty()),
        background: s.background,
        autolink: s.autolink,
    })
}

/// The era slides as annals' eras, with ids made from their names.
pub(crate) fn raw_eras(slides: Vec<Slide>, w: &mut Warnings) -> Vec<RawEra> {
    let mut era_ids = UniqueIds::default();
    let mut eras = Vec::new();
    for (k, s) in slides.into_iter().enumerate() {
        let Some(start) = s.start else { continue };
        let name = clean_line(w, &s.place, html::inline_text(&s.headline));
        let name = if name.is_empty() {
            format!("Era {}", k + 1)
        } else {
            name
        };
        let end = match s.end {
            Some(e) if e.last_moment() < start.first_moment() => {
                warn(
                    w,
                    &s.place,
                    format!(
                        "the era ends ({e}) before it starts ({start}); it is kept as still running"
                    ),
                    Some("swap or correct the dates"),
                );
                None
            }
            Some(e) => Some(e.iso()),
            None => {
                warn(
                    w,
                    &s.place,
                    "the era has no end date; it is kept as still running",
                    Some("TimelineJS needs an end date on every era"),
                );
                None
            }
        };
        eras.push(RawEra {
            id: era_ids.claim(&slug(&name)),
            name,
            group: None,
            start: start.iso(),
            end,
        });
    }
    eras
}

/// The timeline's title (the title slide's headline, or the file's name) and
/// title slide, cleaned.
pub(crate) fn title_of(
    title: Option<String>,
    slide: Option<TitleSlide>,
    name: &str,
    w: &mut Warnings,
) -> (String, Option<TitleSlide>) {
    let title = title
        .map(|t| html::inline_text(&t))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            std::path::Path::new(name)
                .file_stem()
                .map_or("Timeline".into(), |s| s.to_string_lossy().into_owned())
        });
    let title = clean_line(w, "title", title);
    let slide = slide.map(|mut t| {
        t.text = t.text.map(|x| clean_text(w, "title", x));
        t.media = t.media.map(|m| clean_media(w, "title", m));
        t
    });
    (title, slide)
}

/// Drops control characters (which could act on a terminal) and makes every
/// line end a line feed, saying so once per field. Text with none of them is
/// kept as it is, not copied.
fn clean_text(w: &mut Warnings, place: &str, text: String) -> String {
    if !text.contains('\r') && !may_hold_control(&text) {
        return text;
    }
    let mut dropped = false;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            c if is_forbidden_control(c) => dropped = true,
            c => out.push(c),
        }
    }
    if dropped {
        warn(
            w,
            place,
            "held control characters, which were left out",
            Some("remove them from the file"),
        );
    }
    out
}

/// One line: line breaks and tabs become spaces.
fn clean_line(w: &mut Warnings, place: &str, text: String) -> String {
    let text = clean_text(w, place, text);
    if !text.contains(['\n', '\t']) && text.trim().len() == text.len() {
        return text;
    }
    let line: String = text
        .chars()
        .map(|c| if matches!(c, '\n' | '\t') { ' ' } else { c })
        .collect();
    line.trim().to_string()
}

fn clean_media(w: &mut Warnings, place: &str, mut m: Media) -> Media {
    m.url = clean_line(w, place, std::mem::take(&mut m.url));
    for f in [
        &mut m.caption,
        &mut m.credit,
        &mut m.thumbnail,
        &mut m.alt,
        &mut m.title,
        &mut m.link,
        &mut m.link_target,
    ] {
        if let Some(v) = f.take() {
            let v = clean_text(w, place, v);
            *f = (!v.trim().is_empty()).then_some(v);
        }
    }
    m
}

/// TimelineJS's id from a headline: lower case, words joined by dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(64);
    // A dash is due before the next letter or digit; it counts toward the length.
    let mut dash = false;
    let mut take = |c: char| {
        if c.is_alphanumeric() {
            if dash {
                out.push('-');
                dash = false;
            }
            out.push(c);
        } else if !out.is_empty() {
            dash = true;
        }
        out.len() + dash as usize >= 60
    };
    'chars: for c in text.chars() {
        // ASCII, most of every headline, without the general case's iterator.
        if c.is_ascii() {
            if take(c.to_ascii_lowercase()) {
                break;
            }
        } else {
            for lower in c.to_lowercase() {
                if take(lower) {
                    break 'chars;
                }
            }
        }
    }
    if out.is_empty() { "event".into() } else { out }
}

/// Hands out ids, appending -2, -3 to repeats as TimelineJS does.
#[derive(Default)]
pub(crate) struct UniqueIds {
    used: HashMap<String, usize>,
}

impl UniqueIds {
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let mut n = self.used.get(base).copied().unwrap_or(0);
        loop {
            n += 1;
            let candidate = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            if !self.used.contains_key(&candidate) || (n == 1 && candidate == base) {
                self.used.insert(base.to_string(), n);
                self.used.entry(candidate.clone()).or_insert(1);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slug as first written, the plain way: ids must not change.
    fn slug_as_first_written(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            if out.len() >= 60 {
                break;
            }
        }
        let out = out.trim_end_matches('-');
        if out.is_empty() {
            "event".into()
        } else {
            out.to_string()
        }
    }

    #[test]
    fn slugs_are_what_they_always_were() {
        let long = format!("{} b", "a".repeat(59));
        let cases = [
            "The Ides of March!",
            "  --Élan vital: İstanbul's ŞEHİR  ",
            "!!!",
            "",
            long.as_str(),
            &"ab ".repeat(40),
            &"İ".repeat(40),
            "Zoë & Chloë — 2001/03/12",
        ];
        for text in cases {
            assert_eq!(slug(text), slug_as_first_written(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_headline_slugs_as_it_always_did(text in "\\PC{0,130}|[a-zİß -]{0,130}") {
            proptest::prop_assert_eq!(slug(&text), slug_as_first_written(&text));
        }
    }

    #[test]
    fn ids_follow_headlines_with_numbers_for_repeats() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim(&slug("The Ides of March!")), "the-ides-of-march");
        assert_eq!(ids.claim(&slug("The Ides of March")), "the-ides-of-march-2");
        assert_eq!(ids.claim("the-ides-of-march-3"), "the-ides-of-march-3");
        assert_eq!(ids.claim(&slug("the ides of march")), "the-ides-of-march-4");
        assert_eq!(slug("¿?"), "event");
    }

    #[test]
    fn recognises_the_formats_by_content() {
        assert_eq!(
            sniff(r#"{"title":"t","events":[{"id":"a","date":"2001"}]}"#),
            Sniffed::Format(DataFormat::Annals)
        );
        assert_eq!(
            sniff(r#" {"events":[{"start_date":{"year":1}}]}"#),
            Sniffed::Format(DataFormat::TimelineJs)
        );
        assert_eq!(
            sniff(r#"{"timeline":{"date":[]}}"#),
            Sniffed::LegacyTimelineJs2
        );
        assert_eq!(
            sniff("\u{feff}Year,Month,Day,Headline\n"),
            Sniffed::Format(DataFormat::TimelineJsCsv)
        );
    }
}
