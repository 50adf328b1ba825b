//! How the subcommands print: colour when wanted, JSON shapes, and events as text.

use std::io::{self, Write};

use serde::Serialize;

use super::args::ColorChoice;
use crate::data::cite::{
    JsonCopy, JsonDateBasis, article_label, date_mark, date_stated, json_copy, json_date_basis,
};
use crate::data::html::{inline_text, to_terminal};
use crate::data::model::{Event, Media, Timeline};
use crate::data::text::sanitize;

/// Output styling for the subcommands: colour only on a terminal, never with NO_COLOR.
pub(super) struct Out<'w> {
    pub(super) color: bool,
    pub(super) buf: Box<dyn Write + 'w>,
    /// Where "nothing found" and the like go: stderr, or a visitor's channel.
    pub(super) err: Box<dyn Write + 'w>,
}

impl Out<'_> {
    pub(super) fn paint(&self, text: &str, sgr: &str) -> String {
        let text = sanitize(text);
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }
    pub(super) fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.buf, "{text}")
    }
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub(super) fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_tty && !no_color_env() && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        }
    }
}

// ---------- JSON shapes (stable; documented in README.md) ----------

#[derive(Serialize)]
struct JsonSource<'a> {
    article: &'a str,
    title: &'a str,
    outlet: Option<&'a str>,
    published: Option<String>,
    quote: &'a str,
    start: usize,
    end: usize,
    published_inferred: bool,
    published_note: Option<&'a str>,
    copy: Option<JsonCopy<'a>>,
    attribution: String,
    caveat: Option<&'a str>,
    date_stated: Option<bool>,
    date_mark: Option<String>,
}

#[derive(Serialize)]
pub(super) struct JsonEvent<'a> {
    id: &'a str,
    date: String,
    end: Option<String>,
    date_note: Option<&'a str>,
    headline: &'a str,
    summary: &'a str,
    actors: Vec<&'a str>,
    topics: Vec<&'a str>,
    sources: Vec<JsonSource<'a>>,
    date_basis: Option<JsonDateBasis<'a>>,
    /// The event's own text, as HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<&'a Media>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<&'a str>,
}

pub(super) fn json_event<'a>(t: &'a Timeline, e: &'a Event) -> JsonEvent<'a> {
    JsonEvent {
        id: &e.id,
        date: e.date.to_string(),
        end: e.end.map(|d| d.to_string()),
        date_note: e.date_note.as_deref(),
        headline: &e.headline,
        summary: &e.summary,
        actors: t.actor_names(e),
        topics: t.topic_names(e),
        sources: e
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let a = &t.articles[s.article];
                JsonSource {
                    article: &a.id,
                    title: &a.title,
                    outlet: a.outlet.as_deref(),
                    published: a.published.map(|d| d.to_string()),
                    quote: s.quote(),
                    start: s.start,
                    end: s.end,
                    published_inferred: a.published_inferred,
                    published_note: a.published_note.as_deref(),
                    copy: json_copy(a),
                    attribution: article_label(t, s.article),
                    caveat: s.caveat.as_deref(),
                    date_stated: date_stated(e, i),
                    date_mark: date_mark(t, e, i),
                }
            })
            .collect(),
        date_basis: json_date_basis(t, e),
        text: e.text.as_deref(),
        media: e.media.as_deref(),
        group: e.group.as_deref(),
        display_date: e.display_date.as_deref(),
    }
}

pub(super) fn print_json<T: Serialize>(out: &mut Out, v: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out.buf, v)?;
    writeln!(out.buf)
}

// ---------- text output ----------

pub(super) fn print_event(out: &mut Out, t: &Timeline, e: &Event, full: bool) -> io::Result<()> {
    let date = out.paint(&format!("{:<10}", sanitize(&e.shown_date())), "32");
    let head = out.paint(&sanitize(&e.headline), "1");
    out.line(&format!("{date}  {head}"))?;
    if e.sources.is_empty() {
        return print_own_text(out, e, full);
    }
    let actors = t.actor_names(e).join(", ");
    let topics = t.topic_names(e).join(", ");
    out.line(&format!("            actors: {}", out.paint(&actors, "35")))?;
    out.line(&format!("            topics: {}", out.paint(&topics, "35")))?;
    out.line(&format!("            {}", sanitize(&e.summary)))?;
    if full && let Some(n) = &e.date_note {
        out.line(&format!("            date: {}", sanitize(n)))?;
    }
    if full && let Some(b) = &e.date_basis {
        out.line(&format!(
            "            date basis: {}",
            sanitize(&basis_line(t, b))
        ))?;
    }
    let shown = if full { e.sources.len() } else { 1 };
    for (i, s) in e.sources.iter().enumerate().take(shown) {
        let label = article_label(t, s.article);
        out.line(&format!("            “{}”", out.paint(s.quote(), "3")))?;
        let pos = if full {
            format!(
                " [{}, bytes {}–{}]",
                t.articles[s.article].id, s.start, s.end
            )
        } else {
            String::new()
        };
        out.line(&format!("              — {}{}", sanitize(&label), pos))?;
        if let Some(c) = &s.caveat {
            let caveat = out.paint(&format!("caveat: {c}"), "33");
            out.line(&format!("              {caveat}"))?;
        }
        if let Some(mark) = date_mark(t, e, i) {
            out.line(&format!("              {}", sanitize(&mark)))?;
        }
    }
    Ok(())
}

/// An event that tells its own story: its group, its text as terminal text
/// (links numbered under it), then the media's caption, credit and link.
fn print_own_text(out: &mut Out, e: &Event, full: bool) -> io::Result<()> {
    const INDENT: &str = "            ";
    if let Some(g) = &e.group {
        out.line(&format!("{INDENT}group: {}", out.paint(&sanitize(g), "35")))?;
    }
    if full && e.display_date.is_some() {
        out.line(&format!("{INDENT}date: {}", e.date))?;
    }
    if !e.summary.is_empty() {
        out.line(&format!("{INDENT}{}", sanitize(&e.summary)))?;
    }
    if let Some(text) = &e.text {
        let text = to_terminal(text, 72);
        let lines: Vec<&str> = text.lines().collect();
        let shown = if full {
            lines.len()
        } else {
            lines.len().min(3)
        };
        for l in &lines[..shown] {
            out.line(&format!("{INDENT}{l}"))?;
        }
    }
    if full && let Some(m) = &e.media {
        for (label, value) in [("caption", &m.caption), ("credit", &m.credit)] {
            if let Some(v) = value {
                out.line(&format!("{INDENT}{label}: {}", sanitize(&inline_text(v))))?;
            }
        }
        let link = m.link.as_deref().unwrap_or(&m.url);
        out.line(&format!("{INDENT}link: {}", sanitize(link)))?;
    }
    Ok(())
}

/// "record: Kremlin readout; Newsweek copy says “Thursday”": the whole basis of a
/// date, for `show`.
fn basis_line(t: &Timeline, b: &crate::data::model::DateBasis) -> String {
    let mut line = b.kind.as_str().replace('_', " ");
    if let Some(r) = &b.reference {
        line.push_str(&format!(" ({r})"));
    }
    for w in &b.says {
        line.push_str(&format!(
            "; {} says “{}”",
            t.articles[w.article].id, w.words
        ));
    }
    line
}
