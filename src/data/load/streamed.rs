//! annals JSON read from a file piece by piece (see `pieces`): each article is
//! checked as it is read, and the events are parsed and checked in batches on
//! every core as they are read. Neither the file's text nor all of its raw
//! events are held at once, so loading needs about what the loaded timeline does.
//!
//! Events come before the articles, actors or topics they name only in a
//! hand-made file; they are then held as read until the end of the file.

use std::io::Read;

use rustc_hash::FxHashSet as HashSet;
use serde::de::DeserializeOwned;

use super::format::{RawArticle, RawEra, RawEvent};
use super::objects::ObjectsOnly;
use super::parallel::in_batches;
use super::pieces::{Pieces, Stop};
use super::problems::{LoadError, Problems};
use super::validate::{
    Checked, EventContext, Head, Records, check_actors, check_title, check_topics, finish,
    validate_chunk, validate_eras,
};
use super::{FileSource, Loaded};
use crate::data::model::TitleSlide;

/// The loaded timeline, or its problems; `Err` when the file must be read
/// whole to say what is wrong with it, or could not be read.
pub(super) fn load_streamed(
    pieces: &mut Pieces<impl Read>,
    name: &str,
    files: &dyn FileSource,
) -> Result<Result<Loaded, LoadError>, Stop> {
    pieces.open()?;
    let mut problems = Problems::default();
    let mut records = Records::default();
    let mut title: Option<String> = None;
    let mut title_slide: Option<TitleSlide> = None;
    let mut keys = HashSet::default();
    let mut checked: Option<Checked> = None;
    let mut held: Vec<Box<[u8]>> = Vec::new();
    while let Some(key) = pieces.next_member()? {
        if !keys.insert(key.clone()) {
            return Err(Stop::Unexpected);
        }
        match key.as_str() {
            "title" => title = Some(parse(pieces.value()?)?),
            "title_slide" => title_slide = parse(pieces.value()?)?,
            "articles" => {
                let mut i = 0;
                each(pieces, |bytes| {
                    records.add_article(i, parse::<RawArticle>(bytes)?, files, &mut problems);
                    i += 1;
                    Ok(())
                })?;
            }
            "actors" => records.actors = check_actors(collect(pieces)?, &mut problems),
            "topics" => records.topics = check_topics(collect(pieces)?, &mut problems),
            "eras" => records.eras = validate_eras(&collect::<RawEra>(pieces)?, &mut problems),
            "events" => {
                let named = ["articles", "actors", "topics"];
                if named.iter().all(|k| keys.contains(*k)) {
                    if !pieces.open_array()? {
                        return Err(Stop::Unexpected);
                    }
                    let ctx = EventContext::new(&records);
                    checked = Some(check_events(
                        || Ok(pieces.next_element()?.map(Box::from)),
                        &ctx,
                    )?);
                } else {
                    each(pieces, |bytes| {
                        held.push(Box::from(bytes));
                        Ok(())
                    })?;
                }
            }
            _ => return Err(Stop::Unexpected),
        }
    }
    pieces.close()?;
    let (Some(title), true) = (title, keys.contains("events")) else {
        return Err(Stop::Unexpected);
    };
    let checked = match checked {
        Some(c) => c,
        None => {
            let mut held = held.into_iter();
            check_events(|| Ok(held.next()), &EventContext::new(&records))?
        }
    };
    let mut head_problems = Problems::default();
    check_title(&mut head_problems, &title, title_slide.as_ref());
    head_problems.absorb(problems);
    let head = Head { title, title_slide };
    Ok(finish(head, records, checked, head_problems, name))
}

/// Parses and checks events on every core, as `next` gives them.
fn check_events(
    mut next: impl FnMut() -> Result<Option<Box<[u8]>>, Stop>,
    ctx: &EventContext,
) -> Result<Checked, Stop> {
    let parts = in_batches(
        || {
            Ok(next()?.map(|b| {
                let size = b.len();
                (b, size)
            }))
        },
        |first, items: Vec<Box<[u8]>>| {
            let raw: Result<Vec<RawEvent>, Stop> = items.iter().map(|b| parse(b)).collect();
            Some(validate_chunk(first, raw.ok()?, ctx))
        },
    )?
    .ok_or(Stop::Unexpected)?;
    Ok(Checked::concat(parts))
}

/// Calls `f` with each element of the array member being read.
fn each(
    pieces: &mut Pieces<impl Read>,
    mut f: impl FnMut(&[u8]) -> Result<(), Stop>,
) -> Result<(), Stop> {
    if !pieces.open_array()? {
        return Err(Stop::Unexpected);
    }
    while let Some(bytes) = pieces.next_element()? {
        f(bytes)?;
    }
    Ok(())
}

fn collect<T: DeserializeOwned>(pieces: &mut Pieces<impl Read>) -> Result<Vec<T>, Stop> {
    let mut out = Vec::new();
    each(pieces, |bytes| {
        out.push(parse(bytes)?);
        Ok(())
    })?;
    Ok(out)
}

/// One piece, read as the whole-file parse would read it: records from objects only.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Stop> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = T::deserialize(ObjectsOnly(&mut reader)).map_err(|_| Stop::Unexpected)?;
    reader.end().map_err(|_| Stop::Unexpected)?;
    Ok(value)
}
