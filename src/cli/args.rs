//! The arguments and subcommands, as clap parses them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data::cite::CiteFormat;
use crate::data::load::DEFAULT_MAX_DATA_BYTES;
use crate::data::timelinejs::DataFormat;
use crate::session::ssh::limits::{
    DEFAULT_MAX_PENDING_INPUT, DEFAULT_MAX_WAITING_OUTPUT, MIN_BYTE_LIMIT,
};

#[derive(Debug, Parser)]
#[command(
    name = "annals",
    version,
    about = "A terminal timeline explorer: a chronology, the article behind each event, and a fuzzy filter.",
    long_about = "A terminal timeline explorer. With no command, opens the explorer on the built-in \
chronology of Russia, Iran and China (2001–2025), or on the timeline given with --data. \
The commands answer the same questions from the shell.",
    after_help = "Queries: space-separated terms must all match. `actor:NAME`, `topic:NAME` and `group:NAME` restrict a term; \
`2017`, `2017-08` or `2017..2021` restrict dates; `!term` excludes.\n\
Exit status: 0 found, 1 nothing found, 2 usage or data error; the explorer ends with 0 on q or Ctrl-c, and 128 + n on signal n."
)]
pub struct Cli {
    /// Load this timeline file instead of the built-in chronology.
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Read --data as this format instead of the one its content shows.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub data_format: Option<DataFormatArg>,
    /// The largest timeline file (or standard input) read, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_DATA_BYTES)]
    pub max_data_size: u64,
    /// When to use colour. `auto` uses it on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Explorer (and every visitor's, with `serve`): capture the mouse (wheel
    /// scrolls, click selects). Toggle with `m`.
    #[arg(long, global = true)]
    pub mouse: bool,
    /// Explorer: start on this event id, or on the first event on or after this date
    /// (an event lasts until its end date, and one dated "2021" all of 2021).
    #[arg(
        long,
        global = true,
        value_name = "DATE|ID",
        allow_hyphen_values = true
    )]
    pub goto: Option<String>,
    /// Explorer: start with this filter.
    #[arg(long, global = true, value_name = "QUERY")]
    pub filter: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options that take the next word as their value: a word after one of them is
/// not a query term.
const TAKES_A_VALUE: [&str; 7] = [
    "--data",
    "--data-format",
    "--max-data-size",
    "--color",
    "--goto",
    "--filter",
    "--limit",
];

/// The words with `search`'s terms that start with a minus and a digit (year
/// ranges such as `-500..-44`) moved after a `--`, where clap takes them as terms
/// rather than as unknown options. No option of annals starts with a digit.
pub fn year_terms_last(args: Vec<String>) -> Vec<String> {
    let Some(search) = args.iter().position(|a| a == "search") else {
        return args;
    };
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    if end < search {
        return args;
    }
    let is_year_term = |i: usize| {
        let a = args[i].as_bytes();
        i > search
            && i < end
            && a.len() > 1
            && a[0] == b'-'
            && a[1].is_ascii_digit()
            && !TAKES_A_VALUE.contains(&args[i - 1].as_str())
    };
    let moved: Vec<usize> = (0..args.len()).filter(|&i| is_year_term(i)).collect();
    if moved.is_empty() {
        return args;
    }
    let mut out: Vec<String> = (0..end)
        .filter(|i| !moved.contains(i))
        .map(|i| args[i].clone())
        .collect();
    out.push("--".into());
    out.extend(moved.iter().map(|&i| args[i].clone()));
    out.extend(args.into_iter().skip(end + 1));
    out
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
    /// TimelineJS3 JSON, for a web timeline.
    #[value(name = "timelinejs")]
    TimelineJs,
    /// The TimelineJS spreadsheet template's columns, for a Google Sheet.
    #[value(name = "timelinejs-csv")]
    TimelineJsCsv,
}

/// The formats --data reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormatArg {
    /// annals' own JSON (see `annals schema`).
    Annals,
    /// TimelineJS3 JSON.
    #[value(name = "timelinejs")]
    TimelineJs,
    /// The TimelineJS spreadsheet template saved as CSV.
    #[value(name = "timelinejs-csv")]
    TimelineJsCsv,
}

impl DataFormatArg {
    pub fn format(self) -> DataFormat {
        match self {
            DataFormatArg::Annals => DataFormat::Annals,
            DataFormatArg::TimelineJs => DataFormat::TimelineJs,
            DataFormatArg::TimelineJsCsv => DataFormat::TimelineJsCsv,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ListFilters {
    /// Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD; -44 is 44 BCE).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Only events on or before this date.
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Only events with this actor (name, alias or abbreviation). Repeat to require several.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Vec<String>,
    /// Only events with this topic. Repeat to require several.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only events in this group (a TimelineJS group). Repeat to require several.
    #[arg(long, value_name = "GROUP")]
    pub group: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one (the log says which).
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
    pub listen: String,
    /// The server's ed25519 host key, made there on the first start (mode 0600).
    /// Default: $XDG_STATE_HOME/annals/ssh_host_ed25519_key, else under ~/.local/state.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// Let in only the public keys in this file (OpenSSH authorized_keys format).
    /// Without it, anyone may connect.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: Option<PathBuf>,
    /// Sessions (an explorer or a lookup) running at once, in all.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sessions: u32,
    /// Sessions running at once from one client address.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_per_address: u32,
    /// Connections still in the handshake or logging in; past it, new ones are closed at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_startups: u32,
    /// Seconds a connection has to finish the handshake and log in.
    #[arg(long, default_value_t = 20, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub login_grace_time: u64,
    /// Seconds without input from a visitor before their session ends.
    #[arg(long, default_value_t = 900, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Longest a session may last, in seconds.
    #[arg(long, default_value_t = 7200, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_session_time: u64,
    /// Bytes of a visitor's input held before it is acted on; past it, more is
    /// dropped (a flood or an over-long paste), and the visitor and the log are told.
    #[arg(long, default_value_t = DEFAULT_MAX_PENDING_INPUT as u64, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(MIN_BYTE_LIMIT..))]
    pub max_pending_input: u64,
    /// Bytes of output held for a visitor who stops reading, beyond the frame on its
    /// way; past it, that output is dropped and they get the latest screen instead.
    #[arg(long, default_value_t = DEFAULT_MAX_WAITING_OUTPUT as u64, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(MIN_BYTE_LIMIT..))]
    pub max_waiting_output: u64,
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
    /// Serve the explorer over SSH: every visitor gets their own, with no account
    /// and no shell (see README, "Serving demos over SSH").
    Serve(ServeArgs),
    /// The JSON Schema of annals' own timeline format, for an editor to check and complete with.
    Schema,
    /// Shell completions.
    Completions { shell: clap_complete::Shell },
    /// The manual page, in roff.
    Man,
}

#[cfg(test)]
mod year_term_tests {
    use super::year_terms_last;

    fn moved(args: &str) -> String {
        year_terms_last(args.split(' ').map(str::to_string).collect()).join(" ")
    }

    #[test]
    fn year_ranges_in_a_search_become_terms() {
        assert_eq!(moved("annals search -50..-40"), "annals search -- -50..-40");
        assert_eq!(
            moved("annals search caesar -44 --json"),
            "annals search caesar --json -- -44"
        );
        assert_eq!(
            moved("annals search a -- -5 b -9"),
            "annals search a -- -5 b -9"
        );
        assert_eq!(moved("annals search x -- -5"), "annals search x -- -5");
        assert_eq!(moved("annals search -3 -- -5"), "annals search -- -3 -5");
        // Not a term: an option's value, another command, a real option.
        assert_eq!(
            moved("annals search --limit -5 x"),
            "annals search --limit -5 x"
        );
        assert_eq!(moved("annals list --from -500"), "annals list --from -500");
        assert_eq!(moved("annals search -x"), "annals search -x");
    }
}
