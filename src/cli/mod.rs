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
use std::time::Duration;

use clap::{CommandFactory, Parser};

use self::args::{Cli, ColorChoice, Command, ServeArgs};
use self::export::cmd_export;
use self::lookup::{check, cmd_cite, cmd_list, cmd_names, cmd_search, cmd_show};
use self::man::manual;
use self::output::{Out, use_color};
use crate::data::load::problems::{LoadError, MAX_WARNINGS, Warnings};
use crate::data::load::{Loaded, load_builtin, load_path};
use crate::data::model::Timeline;
use crate::data::progress::PROGRESS;
use crate::data::text::{escaped, message_lines};
use crate::data::timelinejs::DataFormat;
use crate::explorer::app::App;
use crate::explorer::ui::Theme;
use crate::query::index::SearchIndex;
use crate::query::parse::Query;
use crate::session::local;
use crate::session::run_loop::Ending;
use crate::session::ssh::{self, Lookup, ServeOptions, StartPoint, limits::Limits};

/// Exit statuses.
pub(super) const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const BAD: u8 = 2;

/// The program's arguments, with a search's year ranges taken as terms.
fn arguments() -> Vec<std::ffi::OsString> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args
        .iter()
        .map(|a| a.to_str().map(str::to_string))
        .collect()
    {
        Some(text) => args::year_terms_last(text)
            .into_iter()
            .map(Into::into)
            .collect(),
        None => args,
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(arguments()) {
        Ok(cli) => cli,
        // clap quotes the arguments it rejects as they are, control characters and
        // all: report the error found in escaped copies of them instead.
        Err(e) if e.use_stderr() => {
            match Cli::try_parse_from(arguments().into_iter().map(escaped_arg)) {
                Err(shown) => shown.exit(),
                Ok(_) => {
                    let _ = write!(io::stderr(), "{}", message_lines(&e.render().to_string()));
                    return ExitCode::from(BAD);
                }
            }
        }
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

/// Where the timeline comes from, as --data, --data-format and --max-data-size say.
#[derive(Debug, Clone)]
pub(super) struct DataSource {
    pub path: Option<PathBuf>,
    pub format: Option<DataFormat>,
    pub max_bytes: u64,
}

impl DataSource {
    fn of(cli: &Cli) -> DataSource {
        DataSource {
            path: cli.data.clone(),
            format: cli.data_format.map(|f| f.format()),
            max_bytes: cli.max_data_size,
        }
    }
}

pub(super) fn load(data: &DataSource) -> Result<Loaded, LoadError> {
    match &data.path {
        Some(p) => load_path(p, data.format, data.max_bytes),
        None => load_builtin(),
    }
}

/// Loads as `load` does; on a terminal, a load that takes more than half a second
/// gets a progress line on stderr, cleared when it is done. Never into a pipe.
pub(super) fn load_with_progress(data: &DataSource) -> Result<Loaded, LoadError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;
    if !io::stderr().is_terminal() {
        return load(data);
    }
    let done = Arc::new(AtomicBool::new(false));
    let watching = Arc::clone(&done);
    let shower = std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(500) {
            if watching.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} loading: {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        while !watching.load(Ordering::SeqCst) {
            bar.set_message(PROGRESS.snapshot().line());
            bar.tick();
            std::thread::sleep(Duration::from_millis(100));
        }
        bar.finish_and_clear();
    });
    let loaded = load(data);
    done.store(true, Ordering::SeqCst);
    let _ = shower.join();
    loaded
}

/// Warnings shown before a command's output; `annals check` shows them all.
const WARNINGS_SHOWN: usize = 10;

pub(super) fn warn(loaded: &Loaded, all: bool) {
    warn_all(&loaded.warnings, all);
}

fn warn_all(warnings: &Warnings, all: bool) {
    let mut err = io::stderr();
    let shown = if all { usize::MAX } else { WARNINGS_SHOWN };
    let mut printed = 0;
    for w in warnings.iter().take(shown) {
        let _ = writeln!(err, "warning: {w}");
        printed += 1;
    }
    let more = warnings.len() - printed;
    if more > 0 && all {
        let _ = writeln!(
            err,
            "warning: … and {more} more, not kept (a file keeps {MAX_WARNINGS} warnings)"
        );
    } else if more > 0 {
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
        buf: Box::new(io::BufWriter::new(io::stdout())),
        err: Box::new(io::stderr()),
    };
    explorer_options_only_for_the_explorer(&cli)?;
    let source = DataSource::of(&cli);
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
        Some(Command::Check { file }) => {
            let mut source = source;
            source.path = file.or(source.path);
            return check(source, &mut out);
        }
        Some(Command::Schema) => {
            out.line(&crate::data::load::format::schema_json())?;
            out.buf.flush()?;
            return Ok(FOUND);
        }
        Some(Command::Serve(args)) => {
            let start = StartPoint {
                goto: cli.goto.clone(),
                filter: cli.filter.clone(),
                mouse: cli.mouse,
                color: cli.color != ColorChoice::Never,
            };
            return serve(&source, args, start);
        }
        Some(c) => c,
        None => {
            if let Some(f) = &cli.filter {
                Query::parse_limited(f).map_err(|e| format!("error: --filter: {e}"))?;
            }
            let title = source
                .path
                .as_ref()
                .map_or("the built-in chronology".into(), |p| {
                    p.display().to_string()
                });
            // Warnings are printed once the terminal is given back: on the
            // alternate screen they would be lost, or garble it.
            let warnings = Arc::new(std::sync::Mutex::new(None));
            let kept = Arc::clone(&warnings);
            let (filter, goto) = (cli.filter.clone(), cli.goto.clone());
            let load_app = move || -> Result<App, String> {
                let loaded = load(&source).map_err(|e| e.to_string())?;
                let count = loaded.warnings.len();
                let timeline = Arc::new(loaded.timeline);
                // The list is usable once the events are checked: the word index
                // is built in the background, unless the starting filter needs it.
                let needs_words = filter
                    .as_deref()
                    .is_some_and(|f| Query::parse(f).needs_words());
                let mut app = if needs_words {
                    App::new(timeline)
                } else {
                    App::with_index(
                        Arc::clone(&timeline),
                        Arc::new(SearchIndex::build_fields(&timeline)),
                    )
                };
                if count > 0 {
                    app.status = Some(format!(
                        "{count} warning(s) loading the timeline; `annals check` lists them"
                    ));
                }
                *kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(loaded.warnings);
                if let Some(f) = &filter {
                    app.set_filter(f);
                }
                if let Some(g) = &goto {
                    app.goto(g).map_err(|e| format!("error: --goto: {e}"))?;
                }
                Ok(app)
            };
            let color = use_color(cli.color, stdout_tty);
            crossterm::style::force_color_output(color);
            let outcome = local::run(
                title,
                load_app,
                local::Options {
                    theme: Theme { color },
                    mouse: cli.mouse,
                },
            )
            .map_err(|e| format!("error: {e}"))?;
            if let Some(list) = warnings.lock().unwrap_or_else(|e| e.into_inner()).take() {
                warn_all(&list, false);
            }
            return match outcome {
                local::Outcome::Failed(message) => Err(message.into()),
                // A signal ends with the shell's convention, 128 + its number, so a
                // caller can tell it from a quit.
                local::Outcome::Ended(Ending::Signal(sig)) => Ok((128 + sig).clamp(0, 255) as u8),
                local::Outcome::Ended(_) => Ok(FOUND),
            };
        }
    };
    let loaded = load_with_progress(&source)?;
    warn(&loaded, false);
    let code = run_lookup(&loaded.timeline, command, &mut out)?;
    out.buf.flush()?;
    Ok(code)
}

/// Options that set up the explorer mean nothing to a lookup: given with one,
/// they are a mistake worth saying (`--goto` with `list` was silently ignored).
fn explorer_options_only_for_the_explorer(cli: &Cli) -> Result<(), String> {
    let lookup = !matches!(cli.command, None | Some(Command::Serve(_)));
    let given = [
        ("--goto", cli.goto.is_some()),
        ("--filter", cli.filter.is_some()),
        ("--mouse", cli.mouse),
    ];
    match given.iter().find(|(_, on)| *on) {
        Some((flag, _)) if lookup => Err(format!(
            "error: {flag} sets up the explorer (or `serve`); a command does not take it. For \
             a lookup, put the query in the command: `annals search QUERY`, `annals list --from DATE`"
        )),
        _ => Ok(()),
    }
}

/// Answers one lookup command from a loaded timeline: what `annals search …` and
/// the others print, and what a visitor's `ssh host search …` gets.
fn run_lookup(
    t: &Timeline,
    command: Command,
    out: &mut Out,
) -> Result<u8, Box<dyn std::error::Error>> {
    let code = match command {
        Command::Search {
            query,
            limit,
            all_terms,
            json,
        } => {
            let query = query.join(" ");
            cmd_search(t, &query, limit as usize, all_terms, json, out)?
        }
        Command::List { filters, json } => cmd_list(t, &filters, json, out)?,
        Command::Show { id, json } => cmd_show(t, &id, json, out)?,
        Command::Cite { id, format, source } => cmd_cite(t, &id, format, source, out)?,
        Command::Actors { json } => cmd_names(t, true, json, out)?,
        Command::Topics { json } => cmd_names(t, false, json, out)?,
        Command::Export { format, filters } => cmd_export(t, format, &filters, out)?,
        Command::Check { .. }
        | Command::Schema
        | Command::Completions { .. }
        | Command::Man
        | Command::Serve(_) => {
            unreachable!("not a lookup")
        }
    };
    Ok(code)
}

/// The lookups a visitor may run over SSH, by name.
const SSH_LOOKUPS: [&str; 7] = [
    "search", "list", "show", "cite", "actors", "topics", "export",
];

/// A visitor's exec request: the words after `ssh host`, through the same parser
/// as the local command line. Only lookups run, on the served timeline; nothing
/// that names a file, and nothing else.
fn ssh_lookup(
    t: &Timeline,
    words: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> u8 {
    let args = std::iter::once("annals".to_string()).chain(words.iter().cloned());
    let cli = match Cli::try_parse_from(args::year_terms_last(args.collect())) {
        Ok(cli) => cli,
        Err(e) => {
            let text = message_lines(&e.render().to_string());
            return if e.use_stderr() {
                let _ = write!(err, "annals: {text}");
                BAD
            } else {
                let _ = write!(out, "{text}");
                FOUND
            };
        }
    };
    let refuse = |err: &mut dyn Write, why: &str| {
        let _ = writeln!(err, "annals: {why}");
        BAD
    };
    if cli.data.is_some() {
        return refuse(
            err,
            "--data is not available over SSH: this server serves one timeline",
        );
    }
    if let Err(e) = explorer_options_only_for_the_explorer(&cli) {
        return refuse(err, e.trim_start_matches("error: "));
    }
    let Some(command) = cli.command else {
        return refuse(
            err,
            "connect with `ssh -t` for the explorer, or name a lookup: search, list, show, cite, actors, topics or export",
        );
    };
    let name = format!("{command:?}")
        .split([' ', '(', '{'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    if !SSH_LOOKUPS.contains(&name.as_str()) {
        let why = format!(
            "`{name}` is not available over SSH; the lookups are search, list, show, cite, actors, topics and export"
        );
        return refuse(err, &why);
    }
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => color,
    };
    let mut shown = Out {
        color,
        buf: Box::new(&mut *out),
        err: Box::new(&mut *err),
    };
    let code = match run_lookup(t, command, &mut shown) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(shown.err, "{}", message_lines(&e.to_string()));
            BAD
        }
    };
    let _ = shown.buf.flush();
    code
}

/// `annals serve`: loads the timeline, then serves it until stopped.
fn serve(
    data: &DataSource,
    args: ServeArgs,
    start: StartPoint,
) -> Result<u8, Box<dyn std::error::Error>> {
    let mut log = io::stderr();
    let what = data
        .path
        .as_ref()
        .map_or("the built-in chronology".into(), |p| {
            p.display().to_string()
        });
    let _ = writeln!(log, "loading {}", escaped(&what));
    let loaded = load(data)?;
    warn(&loaded, false);
    let timeline = Arc::new(loaded.timeline);
    // Checked once here, so that every visitor's explorer can start there.
    let mut probe = App::new(Arc::clone(&timeline));
    if let Some(f) = &start.filter {
        Query::parse_limited(f).map_err(|e| format!("error: --filter: {e}"))?;
        probe.set_filter(f);
    }
    if let Some(g) = &start.goto {
        probe.goto(g).map_err(|e| format!("error: --goto: {e}"))?;
    }
    drop(probe);
    let host_key = match args.host_key {
        Some(path) => path,
        None => ssh::host_key::default_path().ok_or(
            "error: no --host-key given, and neither XDG_STATE_HOME nor HOME is set to keep one under",
        )?,
    };
    let limits = Limits {
        max_sessions: args.max_sessions as usize,
        max_per_address: args.max_per_address as usize,
        max_startups: args.max_startups as usize,
        login_grace_time: Duration::from_secs(args.login_grace_time),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        max_session_time: Duration::from_secs(args.max_session_time),
        max_pending_input: usize::try_from(args.max_pending_input).unwrap_or(usize::MAX),
        max_waiting_output: usize::try_from(args.max_waiting_output).unwrap_or(usize::MAX),
    };
    let options = ServeOptions {
        listen: args.listen,
        host_key,
        authorized_keys: args.authorized_keys,
        limits,
        start,
    };
    let served = Arc::clone(&timeline);
    let lookup: Box<Lookup> =
        Box::new(move |words, out, err, color| ssh_lookup(&served, words, out, err, color));
    ssh::serve(timeline, options, lookup, &mut log).map_err(|e| format!("error: {e}"))?;
    Ok(FOUND)
}

/// An argument with its control characters written as escapes (`\\u001b`).
fn escaped_arg(arg: std::ffi::OsString) -> std::ffi::OsString {
    // Not UTF-8: clap would print it lossily, controls and all.
    escaped(&arg.to_string_lossy()).into_owned().into()
}

fn nothing(out: &mut Out, what: &str) -> u8 {
    let _ = writeln!(out.err, "{}", message_lines(what));
    NOT_FOUND
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::load_builtin;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("search".to_string()),
            Just("list".to_string()),
            Just("show".to_string()),
            Just("cite".to_string()),
            Just("export".to_string()),
            Just("serve".to_string()),
            Just("check".to_string()),
            Just("--data".to_string()),
            Just("--format".to_string()),
            Just("--json".to_string()),
            Just("--limit".to_string()),
            Just("--from".to_string()),
            Just("--goto".to_string()),
            Just("--help".to_string()),
            Just("khatami".to_string()),
            Just("2001".to_string()),
            "\\PC{0,12}",
            "[\\x00-\\x1f\\x7f]{1,3}",
        ]
    }

    proptest! {
        #![proptest_config(crate::fuzz_cases(1500))]

        /// Whatever words a visitor's exec request carries: an answer with a
        /// status of 0, 1 or 2, never a panic, never a raw escape, and never a
        /// file read (`--data` and `check` are refused).
        #[test]
        fn any_exec_request_is_answered_safely(words in proptest::collection::vec(word(), 0..6)) {
            static TIMELINE: std::sync::OnceLock<Timeline> = std::sync::OnceLock::new();
            let t = TIMELINE.get_or_init(|| load_builtin().unwrap().timeline);
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let status = ssh_lookup(t, &words, &mut out, &mut err, false);
            prop_assert!(status <= 2, "status {status}");
            prop_assert!(!out.contains(&0x1b) && !err.contains(&0x1b));
            let named_data = words.iter().take_while(|w| *w != "--").any(|w| w.starts_with("--data"));
            // A file is never read: only help may answer with success.
            if named_data && status == 0 {
                prop_assert!(String::from_utf8_lossy(&out).contains("Usage:"));
            }
        }
    }
}
