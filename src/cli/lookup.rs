//! The lookup commands: search, list, show, cite, actors and topics, and check.

use std::io::Write;

use serde::Serialize;

use super::args::ListFilters;
use super::output::{Out, json_event, print_event, print_json};
use super::{DataSource, FOUND, nothing, warn};
use crate::data::cite::{CiteFormat, citation};
use crate::data::date::{PartialDate, year_label};
use crate::data::model::{Event, Timeline};
use crate::data::text::{sanitize, sanitize_lines};
use crate::query::index::SearchIndex;
use crate::query::matcher::{Matcher, Selection};
use crate::query::parse::{Field, Query, Term, TermKind};
use crate::query::rank::search;

/// "; did you mean …?" for the words of a query that match nothing, or nothing.
fn did_you_mean(m: &Matcher, q: &Query) -> String {
    let hints: Vec<String> = m
        .index
        .suggestions(q)
        .into_iter()
        .map(|(w, s)| format!("\"{s}\" for \"{w}\""))
        .collect();
    if hints.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", hints.join(", "))
    }
}

/// `all_terms` leaves out events that match only some terms.
pub(super) fn cmd_search(
    t: &Timeline,
    query: &str,
    limit: usize,
    all_terms: bool,
    json: bool,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let q = Query::parse_limited(query).map_err(|e| format!("error: {e}; shorten the query"))?;
    if q.is_empty() {
        return Err(format!(
            "error: the query \"{query}\" has no terms; try `annals search khatami`"
        )
        .into());
    }
    let mut m = Matcher::new(t);
    let results = search(&mut m, t, &q);
    let full_terms = q.terms.len();
    let shown: Vec<_> = results
        .iter()
        .filter(|(_, rank)| !all_terms || rank.matched == full_terms)
        .take(limit)
        .collect();
    if shown.is_empty() {
        let note = if !results.is_empty() {
            // Only --all-terms leaves results out.
            let n = results.len();
            let some = if n == 1 {
                "event matches"
            } else {
                "events match"
            };
            format!("; {n} {some} some of its terms (leave out --all-terms to see them)")
        } else {
            did_you_mean(&m, &q)
        };
        return Ok(nothing(out, &format!("no events match \"{query}\"{note}")));
    }
    if json {
        let v: Vec<_> = shown
            .iter()
            .map(|(i, _)| json_event(t, &t.events[*i]))
            .collect();
        print_json(out, &v)?;
        return Ok(FOUND);
    }
    let mut partial_heading = false;
    for (i, rank) in shown {
        if rank.matched < full_terms && !partial_heading {
            out.line(&out.paint("— events matching only some terms —", "2"))?;
            partial_heading = true;
        }
        print_event(out, t, &t.events[*i], false)?;
        out.line("")?;
    }
    Ok(FOUND)
}

fn list_query(f: &ListFilters) -> Result<Query, String> {
    let mut q = Query::default();
    // One date each: the start of --from and the end of --to bound the events.
    let date = |flag: &str, s: &str| {
        PartialDate::parse(s.trim()).map_err(|e| format!("error: {flag}: {e}"))
    };
    if f.from.is_some() || f.to.is_some() {
        let from = f.from.as_deref().map(|s| date("--from", s)).transpose()?;
        let to = f.to.as_deref().map(|s| date("--to", s)).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from.first_moment() > to.last_moment()
        {
            return Err(format!(
                "error: --from {from} is after --to {to}; give the earlier date to --from"
            ));
        }
        q.terms.push(Term {
            kind: TermKind::Dates { from, to },
            negated: false,
        });
    }
    for a in &f.actor {
        q.terms
            .push(Query::field_term(Field::Actor, a).ok_or("error: --actor needs a name")?);
    }
    for x in &f.topic {
        q.terms
            .push(Query::field_term(Field::Topic, x).ok_or("error: --topic needs a name")?);
    }
    for g in &f.group {
        q.terms
            .push(Query::field_term(Field::Group, g).ok_or("error: --group needs a name")?);
    }
    Ok(q)
}

pub(super) fn filtered(t: &Timeline, f: &ListFilters) -> Result<Vec<usize>, String> {
    let q = list_query(f)?;
    if q.is_empty() {
        return Ok((0..t.events.len()).collect());
    }
    // Dates, actors, topics and groups need no word index.
    let mut m = Matcher::with_index(std::sync::Arc::new(SearchIndex::build_fields(t)));
    Ok(m.evaluate(&Selection {
        query: q,
        ..Default::default()
    })
    .iter()
    .collect())
}

pub(super) fn cmd_list(
    t: &Timeline,
    f: &ListFilters,
    json: bool,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let events = filtered(t, f)?;
    if events.is_empty() {
        return Ok(nothing(out, "no events match these filters"));
    }
    if json {
        let v: Vec<_> = events
            .iter()
            .map(|&i| json_event(t, &t.events[i]))
            .collect();
        print_json(out, &v)?;
        return Ok(FOUND);
    }
    // Headlines line up after the longest date, which a span ("2011-03 – 2024") sets.
    let dates: Vec<String> = events
        .iter()
        .map(|&i| sanitize(&t.events[i].shown_date()).into_owned())
        .collect();
    let date_width = dates
        .iter()
        .map(|d| d.chars().count())
        .max()
        .unwrap_or(0)
        .max(10);
    let mut year = None;
    for (&i, date) in events.iter().zip(&dates) {
        let e = &t.events[i];
        if year != Some(e.date.year) {
            year = Some(e.date.year);
            out.line(&out.paint(&format!("── {} ──", year_label(e.date.year)), "1"))?;
        }
        let date = out.paint(&format!("{date:<date_width$}"), "32");
        let actors = t.actor_names(e).join(", ");
        let line = if actors.is_empty() {
            format!("{date}  {}", sanitize(&e.headline))
        } else {
            let actors = out.paint(&format!("[{actors}]"), "35");
            format!("{date}  {}  {actors}", sanitize(&e.headline))
        };
        out.line(&line)?;
    }
    Ok(FOUND)
}

fn find_event<'a>(t: &'a Timeline, id: &str) -> Result<&'a Event, String> {
    t.event_by_id(id).map(|i| &t.events[i]).ok_or_else(|| {
        let close: Vec<&str> = t
            .events
            .iter()
            .map(|e| &*e.id)
            .filter(|e| e.contains(id) || id.contains(e))
            .take(3)
            .collect();
        let hint = if close.is_empty() {
            "run `annals list --json` or `annals search` to find ids".to_string()
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        format!("error: no event has the id \"{id}\"; {hint}")
    })
}

pub(super) fn cmd_show(
    t: &Timeline,
    id: &str,
    json: bool,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let e = find_event(t, id)?;
    if json {
        print_json(out, &json_event(t, e))?;
    } else {
        out.line(&out.paint(&e.id, "2"))?;
        print_event(out, t, e, true)?;
    }
    Ok(FOUND)
}

pub(super) fn cmd_cite(
    t: &Timeline,
    id: &str,
    format: CiteFormat,
    source: usize,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let e = find_event(t, id)?;
    // An event without quoted sources is cited as a whole, by its credit and link.
    if source == 0 || source > e.sources.len().max(1) {
        return Err(format!(
            "error: event \"{id}\" has {} source(s); --source takes 1 to {}",
            e.sources.len(),
            e.sources.len()
        )
        .into());
    }
    let text = citation(t, e, source - 1, format);
    out.line(&sanitize_lines(&text))?;
    Ok(FOUND)
}

#[derive(Serialize)]
struct JsonName<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    aliases: &'a [String],
    events: usize,
}

pub(super) fn cmd_names(
    t: &Timeline,
    actors: bool,
    json: bool,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    // Counting needs one pass over the events, not the search index.
    let mut counts = vec![
        0;
        if actors {
            t.actors.len()
        } else {
            t.topics.len()
        }
    ];
    for e in &t.events {
        for &i in if actors { &e.actors } else { &e.topics } {
            counts[i] += 1;
        }
    }
    let mut rows: Vec<JsonName> = if actors {
        t.actors
            .iter()
            .enumerate()
            .map(|(i, a)| JsonName {
                id: &a.id,
                name: &a.name,
                kind: Some(a.kind.as_str()),
                role: a.role.as_deref(),
                aliases: &a.aliases,
                events: counts[i],
            })
            .collect()
    } else {
        t.topics
            .iter()
            .enumerate()
            .map(|(i, x)| JsonName {
                id: &x.id,
                name: &x.name,
                kind: None,
                role: None,
                aliases: &x.aliases,
                events: counts[i],
            })
            .collect()
    };
    rows.sort_by(|a, b| b.events.cmp(&a.events).then(a.name.cmp(b.name)));
    if rows.is_empty() {
        return Ok(nothing(
            out,
            if actors {
                "the timeline declares no actors"
            } else {
                "the timeline declares no topics"
            },
        ));
    }
    if json {
        print_json(out, &rows)?;
        return Ok(FOUND);
    }
    for r in rows {
        let mut line = format!("{:>4}  {}", r.events, out.paint(r.name, "1"));
        if let Some(role) = r.role {
            line.push_str(&format!(" — {}", sanitize(role)));
        } else if let Some(k) = r.kind {
            line.push_str(&format!(" ({k})"));
        }
        if !r.aliases.is_empty() {
            line.push_str(&format!(
                "  {}",
                out.paint(&format!("aka {}", r.aliases.join(", ")), "2")
            ));
        }
        out.line(&line)?;
    }
    Ok(FOUND)
}

pub(super) fn check(file: DataSource, out: &mut Out) -> Result<u8, Box<dyn std::error::Error>> {
    let name = file
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the built-in chronology".into());
    let loaded = super::load_with_progress(&file)?;
    warn(&loaded, true);
    let t = &loaded.timeline;
    let quotes: usize = t.events.iter().map(|e| e.sources.len()).sum();
    let warned = if loaded.warnings.is_empty() {
        String::new()
    } else {
        format!(" ({} warnings above)", loaded.warnings.len())
    };
    out.line(&format!(
        "ok: {name}: {} events, {} articles, {} actors, {} topics; all {quotes} quotes found verbatim{warned}",
        t.events.len(),
        t.articles.len(),
        t.actors.len(),
        t.topics.len()
    ))?;
    out.buf.flush()?;
    Ok(FOUND)
}
