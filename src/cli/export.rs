//! `annals export`: the chronology, or part of it, as JSON, CSV or Markdown.

use std::io::{self, Write};

use super::args::{ExportFormat, ListFilters};
use super::lookup::filtered;
use super::output::Out;
use super::{FOUND, nothing};
use crate::data::cite::{article_label, date_mark, markdown_article_label, md};
use crate::data::load::write::to_json;
use crate::data::model::{Timeline, date_span};
use crate::data::text::{json_without_invisibles, sanitize_lines, spreadsheet_text};
use crate::data::timelinejs;

/// The subset of the timeline holding these events, with only the articles they cite.
fn subset(t: &Timeline, events: &[usize]) -> Timeline {
    let mut used = vec![false; t.articles.len()];
    for &i in events {
        for s in &t.events[i].sources {
            used[s.article] = true;
        }
    }
    let mut remap = vec![usize::MAX; t.articles.len()];
    let mut articles = Vec::new();
    for (i, a) in t.articles.iter().enumerate() {
        if used[i] {
            remap[i] = articles.len();
            articles.push(a.clone());
        }
    }
    let events = events
        .iter()
        .map(|&i| {
            let mut e = t.events[i].clone();
            e.sources
                .iter_mut()
                .for_each(|s| s.article = remap[s.article]);
            e
        })
        .collect();
    Timeline {
        title: t.title.clone(),
        title_slide: t.title_slide.clone(),
        articles,
        actors: t.actors.clone(),
        topics: t.topics.clone(),
        eras: t.eras.clone(),
        events,
    }
}

pub(super) fn cmd_export(
    t: &Timeline,
    format: ExportFormat,
    f: &ListFilters,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let events = filtered(t, f)?;
    if events.is_empty() {
        return Ok(nothing(out, "no events match these filters"));
    }
    let sub = subset(t, &events);
    // Invisible format characters never reach the output as they are: JSON
    // escapes them exactly, CSV cells and Markdown show a stand-in.
    match format {
        ExportFormat::Json => out.line(&json_without_invisibles(to_json(&sub)))?,
        ExportFormat::Csv => export_csv(&sub, &mut out.buf)?,
        ExportFormat::Markdown => {
            let mut text = Vec::new();
            export_markdown(&sub, &mut text)?;
            let text = String::from_utf8(text).expect("the timeline's text is UTF-8");
            out.buf.write_all(sanitize_lines(&text).as_bytes())?;
        }
        ExportFormat::TimelineJs => {
            out.line(&json_without_invisibles(timelinejs::write::to_json(&sub)))?
        }
        ExportFormat::TimelineJsCsv => timelinejs::write::to_csv(&sub, &mut out.buf)?,
    }
    Ok(FOUND)
}

fn export_csv(t: &Timeline, w: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "id",
        "date",
        "end",
        "date_note",
        "headline",
        "summary",
        "actors",
        "topics",
        "articles",
        "quotes",
        "caveats",
        "date_marks",
    ])?;
    for e in &t.events {
        let articles: Vec<String> = e
            .sources
            .iter()
            .map(|s| article_label(t, s.article))
            .collect();
        let quotes: Vec<&str> = e.sources.iter().map(|s| s.quote()).collect();
        // One line per source, as in `articles`; a source with none has an empty line.
        let caveats: Vec<&str> = e
            .sources
            .iter()
            .map(|s| s.caveat.as_deref().unwrap_or(""))
            .collect();
        let marks: Vec<String> = (0..e.sources.len())
            .map(|i| date_mark(t, e, i).unwrap_or_default())
            .collect();
        let text = [
            e.date_note.as_deref().unwrap_or(""),
            &e.headline,
            &e.summary,
            &t.actor_names(e).join("; "),
            &t.topic_names(e).join("; "),
            &articles.join("\n"),
            &quotes.join("\n"),
            &lines_or_empty(&caveats),
            &lines_or_empty(&marks),
        ]
        .map(|cell| spreadsheet_text(cell).into_owned());
        // The id is text too; the dates are left alone: `-0044` is a year.
        let record = [
            spreadsheet_text(&e.id).into_owned(),
            e.date.to_string(),
            e.end.map(|d| d.to_string()).unwrap_or_default(),
        ];
        csv.write_record(record.iter().chain(&text))?;
    }
    csv.flush()?;
    Ok(())
}

/// Lines joined with newlines, or nothing when every line is empty.
fn lines_or_empty<S: AsRef<str>>(lines: &[S]) -> String {
    if lines.iter().all(|l| l.as_ref().is_empty()) {
        String::new()
    } else {
        lines
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn export_markdown(t: &Timeline, w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "# {}\n", md(&t.title))?;
    let mut year = None;
    for e in &t.events {
        if year != Some(e.date.year) {
            year = Some(e.date.year);
            writeln!(w, "## {}\n", e.date.year)?;
        }
        writeln!(w, "- **{}** — {}  ", date_span(e), md(&e.headline))?;
        writeln!(w, "  {}  ", md(&e.summary))?;
        if let Some(n) = &e.date_note {
            writeln!(w, "  *Date:* {}  ", md(n))?;
        }
        writeln!(
            w,
            "  *Actors:* {} · *Topics:* {}",
            md(&t.actor_names(e).join(", ")),
            md(&t.topic_names(e).join(", "))
        )?;
        for (i, s) in e.sources.iter().enumerate() {
            writeln!(
                w,
                "\n  > {}\n  > — {}",
                md(s.quote()),
                markdown_article_label(t, s.article)
            )?;
            if let Some(c) = &s.caveat {
                writeln!(w, "  >\n  > *Caveat:* {}", md(c))?;
            }
            if let Some(mark) = date_mark(t, e, i) {
                writeln!(w, "  >\n  > *Date:* {}", md(&mark))?;
            }
        }
        writeln!(w)?;
    }
    Ok(())
}
