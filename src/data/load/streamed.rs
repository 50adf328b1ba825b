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
    // Events read before the records they name: their bytes as one document,
    // `{"events":[…]}`, read again once the records are known.
    let mut held = Held::default();
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
                    held.push(b"{\"events\":[");
                    let mut first = true;
                    each(pieces, |bytes| {
                        if !first {
                            held.push(b",");
                        }
                        first = false;
                        held.push(bytes);
                        Ok(())
                    })?;
                    held.push(b"]}");
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
            let mut again = Pieces::new(held, u64::MAX, Default::default());
            again.open()?;
            again.next_member()?;
            if !again.open_array()? {
                return Err(Stop::Unexpected);
            }
            let ctx = EventContext::new(&records);
            check_events(|| Ok(again.next_element()?.map(Box::from)), &ctx)?
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

/// Bytes kept in blocks, and let go block by block as they are read again: so
/// that a million tiny events cost what their bytes do, and the bytes already
/// checked are not kept beside the events made of them.
#[derive(Default)]
struct Held {
    blocks: std::collections::VecDeque<Vec<u8>>,
    /// How much of the first block has been read again.
    taken: usize,
}

impl Held {
    const BLOCK: usize = 1 << 20;

    fn push(&mut self, bytes: &[u8]) {
        match self.blocks.back_mut() {
            Some(last) if last.len() + bytes.len() <= last.capacity() => {
                last.extend_from_slice(bytes)
            }
            _ => {
                let mut block = Vec::with_capacity(bytes.len().max(Self::BLOCK));
                block.extend_from_slice(bytes);
                self.blocks.push_back(block);
            }
        }
    }
}

impl Read for Held {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let Some(front) = self.blocks.front_mut() else {
            return Ok(0);
        };
        let rest = &front[self.taken..];
        let n = rest.len().min(out.len());
        out[..n].copy_from_slice(&rest[..n]);
        self.taken += n;
        if self.taken == front.len() {
            self.blocks.pop_front();
            self.taken = 0;
        }
        Ok(n)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A million tiny events are held in their bytes, not a million allocations,
    /// and read back as they were.
    #[test]
    fn held_events_cost_their_bytes() {
        let mut held = Held::default();
        for _ in 0..1_000_000 {
            held.push(b"{},");
        }
        let capacity: usize = held.blocks.iter().map(Vec::capacity).sum();
        assert!(capacity <= 3_000_000 + Held::BLOCK, "{capacity}");
        let mut back = Vec::new();
        held.read_to_end(&mut back).unwrap();
        assert_eq!(back.len(), 3_000_000);
        assert!(back.chunks(3).all(|c| c == b"{},"));
    }
}
