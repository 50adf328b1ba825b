//! The command line: the explorer by default, and subcommands for quick lookups.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::data::cite::{
    CiteFormat, JsonCopy, JsonDateBasis, article_label, citation, date_mark, date_stated,
    json_copy, json_date_basis, markdown_article_label, md,
};
use crate::data::date::PartialDate;
use crate::data::load::problems::LoadError;
use crate::data::load::write::to_json;
use crate::data::load::{Loaded, load_builtin, load_file};
use crate::data::model::{Event, Timeline, date_span};
use crate::data::text::{escaped, message_lines, sanitize, sanitize_lines};
use crate::explorer::app::App;
use crate::explorer::ui::Theme;
use crate::query::index::SearchIndex;
use crate::query::matcher::{Matcher, Selection};
use crate::query::parse::{Field, Query, Term, TermKind};
use crate::query::rank::search;
use crate::session::local;

#[derive(Debug, Parser)]
#[command(
    name = "annals",
    version,
    about = "A terminal timeline explorer: a chronology, the article behind each event, and a fuzzy filter.",
    long_about = "A terminal timeline explorer. With no command, opens the explorer on the built-in \
chronology of Russia, Iran and China (2001–2025), or on the timeline given with --data. \
The commands answer the same questions from the shell.",
    after_help = "Queries: space-separated terms must all match. `actor:NAME` and `topic:NAME` restrict a term; \
`2017`, `2017-08` or `2017..2021` restrict dates; `!term` excludes.\n\
Exit status: 0 found, 1 nothing found, 2 usage or data error."
)]
pub struct Cli {
    /// Load this timeline file instead of the built-in chronology.
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// When to use colour. `auto` uses it on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Explorer: capture the mouse (wheel scrolls, click selects). Toggle with `m`.
    #[arg(long)]
    pub mouse: bool,
    /// Explorer: start on this event id, or on the first event on or after this date
    /// (an event lasts until its end date, and one dated "2021" all of 2021).
    #[arg(long, value_name = "DATE|ID")]
    pub goto: Option<String>,
    /// Explorer: start with this filter.
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct ListFilters {
    /// Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only events on or before this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only events with this actor (name, alias or abbreviation). Repeat to require several.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Vec<String>,
    /// Only events with this topic. Repeat to require several.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find events, best first, with the same query language as the explorer's filter.
    Search {
        /// Terms; all must match for a full match.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Only events that match every term, as the explorer's filter shows them.
        #[arg(long)]
        all_terms: bool,
        /// Print JSON (the keys README.md lists) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The chronology in order, optionally narrowed.
    List {
        #[command(flatten)]
        filters: ListFilters,
        /// Print JSON (the keys README.md lists) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One event in full, with its sources and where each quote sits in its article.
    Show {
        /// The event's id, as `list --json` or `search --json` give it.
        id: String,
        /// Print JSON (the keys README.md lists) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A citation ready to paste (the explorer's `y` copies the same text).
    Cite {
        /// The event's id, as `list --json` or `search --json` give it.
        id: String,
        /// Plain text, Markdown (as the explorer's `Y` copies it) or JSON.
        #[arg(long, value_enum, default_value_t = CiteFormat::Plain)]
        format: CiteFormat,
        /// Which source to cite, from 1.
        #[arg(long, default_value_t = 1)]
        source: usize,
    },
    /// Actors with their aliases and event counts.
    Actors {
        /// Print JSON (the keys README.md lists) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Topics with their aliases and event counts.
    Topics {
        /// Print JSON (the keys README.md lists) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Validate a timeline file (default: --data, or the built-in chronology).
    Check { file: Option<PathBuf> },
    /// Write the chronology as JSON (a timeline file --data loads back), CSV or Markdown.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[command(flatten)]
        filters: ListFilters,
    },
    /// Shell completions.
    Completions { shell: clap_complete::Shell },
    /// The manual page, in roff.
    Man,
}

/// Exit statuses.
const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const BAD: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap quotes the arguments it rejects as they are, control characters and
        // all: report the error found in escaped copies of them instead.
        Err(e) if e.use_stderr() => match Cli::try_parse_from(std::env::args_os().map(escaped_arg))
        {
            Err(shown) => shown.exit(),
            Ok(_) => {
                let _ = write!(io::stderr(), "{}", message_lines(&e.render().to_string()));
                return ExitCode::from(BAD);
            }
        },
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`annals list | head -1`): nothing to report.
        Err(e) if is_broken_pipe(&*e) => ExitCode::from(FOUND),
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}", message_lines(&e.to_string()));
            ExitCode::from(BAD)
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        let io = match err.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            Some(csv::ErrorKind::Io(io)) => Some(io),
            _ => err.downcast_ref::<io::Error>(),
        };
        if io.is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Output styling for the subcommands: colour only on a terminal, never with NO_COLOR.
struct Out {
    color: bool,
    buf: io::BufWriter<io::Stdout>,
}

impl Out {
    fn paint(&self, text: &str, sgr: &str) -> String {
        let text = sanitize(text);
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }
    fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.buf, "{text}")
    }
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_tty && !no_color_env() && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
        }
    }
}

fn load(data: &Option<PathBuf>) -> Result<Loaded, LoadError> {
    match data {
        Some(p) => load_file(p),
        None => load_builtin(),
    }
}

/// Warnings shown before a command's output; `annals check` shows them all.
const WARNINGS_SHOWN: usize = 10;

fn warn(loaded: &Loaded, all: bool) {
    let mut err = io::stderr();
    let shown = if all { usize::MAX } else { WARNINGS_SHOWN };
    for w in loaded.warnings.iter().take(shown) {
        let _ = writeln!(err, "warning: {w}");
    }
    let more = loaded.warnings.len().saturating_sub(shown);
    if more > 0 {
        let _ = writeln!(
            err,
            "warning: … and {more} more; `annals check FILE` lists them all"
        );
    }
}

pub fn run(cli: Cli) -> Result<u8, Box<dyn std::error::Error>> {
    let stdout_tty = io::stdout().is_terminal();
    let mut out = Out {
        color: use_color(cli.color, stdout_tty),
        buf: io::BufWriter::new(io::stdout()),
    };
    let command = match cli.command {
        Some(Command::Completions { shell }) => {
            // clap_complete panics when it cannot write, so write the script ourselves.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "annals", &mut script);
            out.buf.write_all(&script)?;
            out.buf.flush()?;
            return Ok(FOUND);
        }
        Some(Command::Man) => {
            manual(&mut out.buf)?;
            out.buf.flush()?;
            return Ok(FOUND);
        }
        Some(Command::Check { file }) => return check(file.or(cli.data), &mut out),
        Some(c) => c,
        None => {
            let loaded = load(&cli.data)?;
            warn(&loaded, false);
            let warnings = loaded.warnings.len();
            let mut app = App::new(Arc::new(loaded.timeline));
            if warnings > 0 {
                // The alternate screen hides stderr: say it where the user looks.
                app.status = Some(format!(
                    "{warnings} warning(s) loading the timeline; `annals check` lists them"
                ));
            }
            if let Some(f) = &cli.filter {
                Query::parse_limited(f).map_err(|e| format!("error: --filter: {e}"))?;
                app.set_filter(f);
            }
            if let Some(g) = &cli.goto {
                app.goto(g).map_err(|e| format!("error: --goto: {e}"))?;
            }
            let color = use_color(cli.color, stdout_tty);
            crossterm::style::force_color_output(color);
            local::run(
                app,
                local::Options {
                    theme: Theme { color },
                    mouse: cli.mouse,
                },
            )
            .map_err(|e| format!("error: {e}"))?;
            return Ok(FOUND);
        }
    };
    let loaded = load(&cli.data)?;
    warn(&loaded, false);
    let t = &loaded.timeline;
    let code = match command {
        Command::Search {
            query,
            limit,
            all_terms,
            json,
        } => {
            let query = query.join(" ");
            cmd_search(t, &query, limit as usize, all_terms, json, &mut out)?
        }
        Command::List { filters, json } => cmd_list(t, &filters, json, &mut out)?,
        Command::Show { id, json } => cmd_show(t, &id, json, &mut out)?,
        Command::Cite { id, format, source } => cmd_cite(t, &id, format, source, &mut out)?,
        Command::Actors { json } => cmd_names(t, true, json, &mut out)?,
        Command::Topics { json } => cmd_names(t, false, json, &mut out)?,
        Command::Export { format, filters } => cmd_export(t, format, &filters, &mut out)?,
        Command::Check { .. } | Command::Completions { .. } | Command::Man => {
            unreachable!("handled above")
        }
    };
    out.buf.flush()?;
    Ok(code)
}

/// An argument with its control characters written as escapes (`\\u001b`).
fn escaped_arg(arg: std::ffi::OsString) -> std::ffi::OsString {
    // Not UTF-8: clap would print it lossily, controls and all.
    escaped(&arg.to_string_lossy()).into_owned().into()
}

/// One manual page: the options, every subcommand with its own options, and the
/// explorer's keys (clap_mangen alone would point at an annals-search(1) and so on,
/// which do not exist).
fn manual(w: &mut impl Write) -> io::Result<()> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    writeln!(w, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = format!("annals {}", sub.get_name());
        let sub = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        writeln!(w, ".SS \"{name}\"")?;
        let mut part = Vec::new();
        sub.render_synopsis_section(&mut part)?;
        sub.render_description_section(&mut part)?;
        sub.render_options_section(&mut part)?;
        // Their own section headings would split the page: each becomes a paragraph.
        for line in String::from_utf8_lossy(&part).lines() {
            writeln!(
                w,
                "{}",
                if line.starts_with(".SH ") {
                    ".PP"
                } else {
                    line
                }
            )?;
        }
    }
    writeln!(w, ".SH KEYS")?;
    writeln!(w, "In the explorer (the same table as the help screen, ?):")?;
    let mut context = None;
    for b in crate::explorer::keys::BINDINGS {
        if context != Some(b.context) {
            context = Some(b.context);
            writeln!(w, ".SS \"{}\"", b.context.title())?;
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.name()).collect();
        writeln!(w, ".TP\n\\fB{}\\fR", roff_text(&keys.join(" ")))?;
        writeln!(w, "{}", roff_text(b.help))?;
    }
    man.render_extra_section(w)?;
    man.render_version_section(w)
}

/// Text safe in a roff line: backslashes doubled, hyphens as minus signs, and a
/// leading dot or quote kept from being read as a request.
fn roff_text(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

fn nothing(what: &str) -> u8 {
    let _ = writeln!(io::stderr(), "{}", message_lines(what));
    NOT_FOUND
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
struct JsonEvent<'a> {
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
}

fn json_event<'a>(t: &'a Timeline, e: &'a Event) -> JsonEvent<'a> {
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
                    quote: &s.quote,
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
    }
}

fn print_json<T: Serialize>(out: &mut Out, v: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out.buf, v)?;
    writeln!(out.buf)
}

// ---------- text output ----------

fn print_event(out: &mut Out, t: &Timeline, e: &Event, full: bool) -> io::Result<()> {
    let date = out.paint(&format!("{:<10}", date_span(e)), "32");
    let head = out.paint(&e.headline, "1");
    out.line(&format!("{date}  {head}"))?;
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
        out.line(&format!("            “{}”", out.paint(&s.quote, "3")))?;
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
fn cmd_search(
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
        return Ok(nothing(&format!("no events match \"{query}\"{note}")));
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
            && from.first_day() > to.last_day()
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
    Ok(q)
}

fn filtered(t: &Timeline, f: &ListFilters) -> Result<Vec<usize>, String> {
    let q = list_query(f)?;
    if q.is_empty() {
        return Ok((0..t.events.len()).collect());
    }
    // Dates, actors and topics need no word index.
    let mut m = Matcher::with_index(std::sync::Arc::new(SearchIndex::build_fields(t)));
    Ok(m.evaluate(&Selection {
        query: q,
        ..Default::default()
    })
    .iter()
    .collect())
}

fn cmd_list(
    t: &Timeline,
    f: &ListFilters,
    json: bool,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let events = filtered(t, f)?;
    if events.is_empty() {
        return Ok(nothing("no events match these filters"));
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
    let dates: Vec<String> = events.iter().map(|&i| date_span(&t.events[i])).collect();
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
            out.line(&out.paint(&format!("── {} ──", e.date.year), "1"))?;
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
            .map(|e| e.id.as_str())
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

fn cmd_show(
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

fn cmd_cite(
    t: &Timeline,
    id: &str,
    format: CiteFormat,
    source: usize,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let e = find_event(t, id)?;
    if source == 0 || source > e.sources.len() {
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

fn cmd_names(
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
        return Ok(nothing(if actors {
            "the timeline declares no actors"
        } else {
            "the timeline declares no topics"
        }));
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

fn check(file: Option<PathBuf>, out: &mut Out) -> Result<u8, Box<dyn std::error::Error>> {
    let name = file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the built-in chronology".into());
    let loaded = load(&file)?;
    warn(&loaded, true);
    let t = &loaded.timeline;
    let quotes: usize = t.events.iter().map(|e| e.sources.len()).sum();
    out.line(&format!(
        "ok: {name}: {} events, {} articles, {} actors, {} topics; all {quotes} quotes found verbatim",
        t.events.len(),
        t.articles.len(),
        t.actors.len(),
        t.topics.len()
    ))?;
    out.buf.flush()?;
    Ok(FOUND)
}

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
        articles,
        actors: t.actors.clone(),
        topics: t.topics.clone(),
        eras: t.eras.clone(),
        events,
    }
}

fn cmd_export(
    t: &Timeline,
    format: ExportFormat,
    f: &ListFilters,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let events = filtered(t, f)?;
    if events.is_empty() {
        return Ok(nothing("no events match these filters"));
    }
    let sub = subset(t, &events);
    match format {
        ExportFormat::Json => out.line(&to_json(&sub))?,
        ExportFormat::Csv => export_csv(&sub, &mut out.buf)?,
        ExportFormat::Markdown => export_markdown(&sub, out)?,
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
        let quotes: Vec<&str> = e.sources.iter().map(|s| s.quote.as_str()).collect();
        // One line per source, as in `articles`; a source with none has an empty line.
        let caveats: Vec<&str> = e
            .sources
            .iter()
            .map(|s| s.caveat.as_deref().unwrap_or(""))
            .collect();
        let marks: Vec<String> = (0..e.sources.len())
            .map(|i| date_mark(t, e, i).unwrap_or_default())
            .collect();
        csv.write_record([
            e.id.as_str(),
            &e.date.to_string(),
            &e.end.map(|d| d.to_string()).unwrap_or_default(),
            e.date_note.as_deref().unwrap_or(""),
            &e.headline,
            &e.summary,
            &t.actor_names(e).join("; "),
            &t.topic_names(e).join("; "),
            &articles.join("\n"),
            &quotes.join("\n"),
            &lines_or_empty(&caveats),
            &lines_or_empty(&marks),
        ])?;
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

fn export_markdown(t: &Timeline, out: &mut Out) -> io::Result<()> {
    writeln!(out.buf, "# {}\n", md(&t.title))?;
    let mut year = None;
    for e in &t.events {
        if year != Some(e.date.year) {
            year = Some(e.date.year);
            writeln!(out.buf, "## {}\n", e.date.year)?;
        }
        writeln!(out.buf, "- **{}** — {}  ", date_span(e), md(&e.headline))?;
        writeln!(out.buf, "  {}  ", md(&e.summary))?;
        if let Some(n) = &e.date_note {
            writeln!(out.buf, "  *Date:* {}  ", md(n))?;
        }
        writeln!(
            out.buf,
            "  *Actors:* {} · *Topics:* {}",
            md(&t.actor_names(e).join(", ")),
            md(&t.topic_names(e).join(", "))
        )?;
        for (i, s) in e.sources.iter().enumerate() {
            writeln!(
                out.buf,
                "\n  > {}\n  > — {}",
                md(&s.quote),
                markdown_article_label(t, s.article)
            )?;
            if let Some(c) = &s.caveat {
                writeln!(out.buf, "  >\n  > *Caveat:* {}", md(c))?;
            }
            if let Some(mark) = date_mark(t, e, i) {
                writeln!(out.buf, "  >\n  > *Date:* {}", md(&mark))?;
            }
        }
        writeln!(out.buf)?;
    }
    Ok(())
}
