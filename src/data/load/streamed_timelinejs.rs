//! TimelineJS JSON and CSV read from a file piece by piece, as `streamed` reads
//! annals JSON: slides are read on this thread, then made into events and
//! checked in batches on every core. Ids are made unique afterwards, in file
//! order, as TimelineJS makes them.

use std::io::Read;

use rustc_hash::FxHashSet as HashSet;

use super::parallel::in_batches;
use super::pieces::{Pieces, Stop};
use super::problems::{LoadError, Problems, Warnings};
use super::validate::{
    Checked, EventContext, Head, Records, check_title, finish, validate_chunk, validate_eras,
};
use super::{Loaded, no_usable_event};
use crate::data::timelinejs::csv_read::{Rows, RowsEnd};
use crate::data::timelinejs::json_read::{SlideList, read_slide, read_title, warn_no_events};
use crate::data::timelinejs::{Builder, Slide, UniqueIds, raw_eras, raw_event, title_of};

/// One event of TimelineJS JSON as read: its text and where it starts.
struct JsonEvent {
    text: Box<str>,
    line: usize,
    column: usize,
}

pub(super) fn load_json(
    pieces: &mut Pieces<impl Read>,
    name: &str,
) -> Result<Result<Loaded, LoadError>, Stop> {
    pieces.open()?;
    let mut warnings = Warnings::default();
    let (mut title, mut title_slide) = (None, None);
    let mut era_slides = Vec::new();
    let mut keys = HashSet::default();
    let mut checked = None;
    let mut event_count = 0;
    let mut records = Records::default();
    while let Some(key) = pieces.next_member()? {
        if !keys.insert(key.clone()) {
            return Err(Stop::Unexpected);
        }
        match key.as_str() {
            "title" => {
                let text = utf8(pieces.value()?)?.to_string();
                let (line, column) = pieces.last_place();
                if text != "null" {
                    let at = |o| place(name, line, column, &text, o);
                    (title, title_slide) =
                        read_title(&text, &at, &mut warnings).map_err(|_| Stop::Unexpected)?;
                }
            }
            "events" if pieces.open_array()? => {
                let ctx = EventContext::new(&records);
                let next = || -> Result<_, Stop> {
                    let Some(bytes) = pieces.next_element()? else {
                        return Ok(None);
                    };
                    let size = bytes.len();
                    let text = Box::from(utf8(bytes)?);
                    let (line, column) = pieces.last_place();
                    event_count += 1;
                    Ok(Some((JsonEvent { text, line, column }, size)))
                };
                let work = |first: usize, items: Vec<JsonEvent>| {
                    let mut w = Warnings::default();
                    let mut raw = Vec::with_capacity(items.len());
                    for (k, e) in items.iter().enumerate() {
                        let at = |o| place(name, e.line, e.column, &e.text, o);
                        let slide =
                            read_slide(&e.text, SlideList::Events, first + k, &at, &mut w).ok()?;
                        if let Some(r) = slide.and_then(|s| raw_event(s, &mut w)) {
                            raw.push(r);
                        }
                    }
                    Some(with_warnings(w, validate_chunk(first, raw, &ctx)))
                };
                checked = Some(events_in_batches(next, work)?);
            }
            "eras" if pieces.open_array()? => {
                let mut i = 0;
                while let Some(bytes) = pieces.next_element()? {
                    let text = utf8(bytes)?.to_string();
                    let (line, column) = pieces.last_place();
                    let at = |o| place(name, line, column, &text, o);
                    let slide = read_slide(&text, SlideList::Eras, i, &at, &mut warnings);
                    if let Some(s) = slide.map_err(|_| Stop::Unexpected)? {
                        era_slides.push(s);
                    }
                    i += 1;
                }
            }
            // TimelineJS reads no other key; null is no events or eras.
            "events" | "eras" if pieces.value()? != b"null" => return Err(Stop::Unexpected),
            // Read only to be sure it is JSON, and UTF-8, as the whole file must be.
            _ => {
                serde_json::from_str::<serde::de::IgnoredAny>(utf8(pieces.value()?)?)
                    .map_err(|_| Stop::Unexpected)?;
            }
        }
    }
    pieces.close()?;
    if event_count == 0 {
        warn_no_events(name, &mut warnings);
    }
    let mut era_problems = Problems::default();
    records.eras = validate_eras(&raw_eras(era_slides, &mut warnings), &mut era_problems);
    let (title, title_slide) = title_of(title, title_slide, name, &mut warnings);
    Ok(finish_timelinejs(
        Head { title, title_slide },
        records,
        checked.unwrap_or_default(),
        (warnings, era_problems),
        name,
    ))
}

pub(super) fn load_csv(input: impl Read, name: &str) -> Result<Result<Loaded, LoadError>, Stop> {
    let mut b = Builder::default();
    let mut rows = match Rows::new(input, name, &mut b) {
        Ok(rows) => Some(rows),
        Err(RowsEnd::NotUtf8) => return Err(Stop::Unexpected),
        Err(RowsEnd::Broken) => None,
    };
    let records = Records::default();
    let ctx = EventContext::new(&records);
    let next = || -> Result<_, Stop> {
        let Some(r) = rows.as_mut() else {
            return Ok(None);
        };
        match r.next_event(&mut b) {
            Ok(Some(slide)) => {
                let size = slide.headline.len() + slide.text.len() + 64;
                Ok(Some((slide, size)))
            }
            Ok(None) | Err(RowsEnd::Broken) => Ok(None),
            Err(RowsEnd::NotUtf8) => Err(Stop::Unexpected),
        }
    };
    let work = |first: usize, slides: Vec<Slide>| {
        let mut w = Warnings::default();
        let raw: Vec<_> = slides
            .into_iter()
            .filter_map(|s| raw_event(s, &mut w))
            .collect();
        Some(with_warnings(w, validate_chunk(first, raw, &ctx)))
    };
    let checked = events_in_batches(next, work)?;
    drop(ctx);
    let mut records = records;
    let mut warnings = std::mem::take(&mut b.warnings);
    let mut era_problems = Problems::default();
    records.eras = validate_eras(
        &raw_eras(std::mem::take(&mut b.eras), &mut warnings),
        &mut era_problems,
    );
    let (title, title_slide) = title_of(b.title.take(), b.title_slide.take(), name, &mut warnings);
    Ok(finish_timelinejs(
        Head { title, title_slide },
        records,
        checked,
        (warnings, era_problems),
        name,
    ))
}

fn events_in_batches<I: Send>(
    next: impl FnMut() -> Result<Option<(I, usize)>, Stop>,
    work: impl Fn(usize, Vec<I>) -> Option<Checked> + Sync,
) -> Result<Checked, Stop> {
    let parts = in_batches(next, work)?.ok_or(Stop::Unexpected)?;
    let mut checked = Checked::concat(parts);
    let mut ids = UniqueIds::default();
    for e in &mut checked.events {
        e.id = ids.claim(&e.id).into();
    }
    Ok(checked)
}

/// The warnings of making events go before those of checking them.
fn with_warnings(mut made: Warnings, mut checked: Checked) -> Checked {
    made.append(std::mem::take(&mut checked.warnings));
    checked.warnings = made;
    checked
}

/// The timeline, with the warnings of reading before the rest; no usable
/// event is an error that lists why each was left out.
fn finish_timelinejs(
    head: Head,
    records: Records,
    checked: Checked,
    (mut warnings, era_problems): (Warnings, Problems),
    name: &str,
) -> Result<Loaded, LoadError> {
    if checked.events.is_empty() {
        warnings.append(checked.warnings);
        return Err(no_usable_event(warnings, name));
    }
    let mut problems = Problems::default();
    check_title(&mut problems, &head.title, head.title_slide.as_ref());
    problems.absorb(era_problems);
    let mut loaded = finish(head, records, checked, problems, name)?;
    warnings.append(std::mem::take(&mut loaded.warnings));
    loaded.warnings = warnings;
    Ok(loaded)
}

fn utf8(bytes: &[u8]) -> Result<&str, Stop> {
    std::str::from_utf8(bytes).map_err(|_| Stop::Unexpected)
}

/// "file:line:column" of the byte `offset` into `text`, which starts at `line`
/// and `column`.
fn place(name: &str, line: usize, column: usize, text: &str, offset: usize) -> String {
    let before = &text.as_bytes()[..offset.min(text.len())];
    match memchr::memrchr(b'\n', before) {
        None => format!("{name}:{line}:{}", column + before.len()),
        Some(last) => {
            let lines = memchr::memchr_iter(b'\n', before).count();
            format!("{name}:{}:{}", line + lines, before.len() - last)
        }
    }
}
