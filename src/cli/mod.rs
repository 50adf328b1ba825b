//! The command line: the explorer by default, and subcommands for quick lookups,
//! export, and the manual and completions.

pub mod args;
mod export;
mod lookup;
mod man;
mod output;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser};

use self::args::{Cli, Command};
use self::export::cmd_export;
use self::lookup::{check, cmd_cite, cmd_list, cmd_names, cmd_search, cmd_show};
use self::man::manual;
use self::output::{Out, use_color};
use crate::data::load::problems::LoadError;
use crate::data::load::{Loaded, load_builtin, load_file};
use crate::data::text::{escaped, message_lines};
use crate::explorer::app::App;
use crate::explorer::ui::Theme;
use crate::query::parse::Query;
use crate::session::local;

/// Exit statuses.
pub(super) const FOUND: u8 = 0;
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

pub(super) fn load(data: &Option<PathBuf>) -> Result<Loaded, LoadError> {
    match data {
        Some(p) => load_file(p),
        None => load_builtin(),
    }
}

/// Warnings shown before a command's output; `annals check` shows them all.
const WARNINGS_SHOWN: usize = 10;

pub(super) fn warn(loaded: &Loaded, all: bool) {
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

pub(super) fn nothing(what: &str) -> u8 {
    let _ = writeln!(io::stderr(), "{}", message_lines(what));
    NOT_FOUND
}
