//! Helpers for the command-line tests (tests/cli_*.rs): the real binary run with
//! arguments, the checks every successful or failing run must pass, `search` as a
//! reader types it, and a small timeline of one's own (a bakery) in its own directory.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

use annals::data::load::load_builtin;
use annals::data::model::Timeline;
use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

pub fn builtin() -> Timeline {
    load_builtin().unwrap().timeline
}

pub fn annals() -> Command {
    let mut c = Command::cargo_bin("annals").unwrap();
    c.env_remove("NO_COLOR");
    c
}

pub fn run(args: &[&str]) -> Output {
    annals().args(args).output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// Runs a command that must succeed with nothing on stderr; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "annals {args:?}: {}",
        text(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "annals {args:?} wrote to stderr: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

pub fn ok_json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("annals {args:?}: {e}:\n{out}"))
}

/// Runs a command that must fail with `code`, nothing on stdout, a message on stderr
/// and no panic; returns stderr.
pub fn fails(code: i32, args: &[&str]) -> String {
    let out = run(args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "annals {args:?}: {err}");
    assert!(
        out.stdout.is_empty(),
        "annals {args:?} wrote to stdout: {}",
        text(&out.stdout)
    );
    assert!(!err.trim().is_empty(), "annals {args:?}: no message");
    assert!(!err.contains("panicked"), "annals {args:?} panicked: {err}");
    err
}

pub fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// `search QUERY --json --limit N`, as the reader types the words.
pub fn search(query: &str, limit: usize) -> Vec<Value> {
    let mut args = vec!["search"];
    args.extend(query.split_whitespace());
    let limit = limit.to_string();
    args.extend(["--json", "--limit", &limit]);
    let out = run(&args);
    match out.status.code() {
        Some(0) => serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone(),
        Some(1) => Vec::new(),
        c => panic!("search {query:?} exited {c:?}: {}", text(&out.stderr)),
    }
}

pub fn top(query: &str) -> Value {
    search(query, 1)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("search {query:?} found nothing"))
}

pub fn has_actor(e: &Value, name: &str) -> bool {
    names(&e["actors"]).contains(&name)
}

/// A small timeline of the reader's own, written next to its article file.
pub struct UserTimeline {
    pub dir: TempDir,
}

impl UserTimeline {
    pub fn new(v: &Value) -> UserTimeline {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.json"),
            serde_json::to_string_pretty(v).unwrap(),
        )
        .unwrap();
        UserTimeline { dir }
    }

    pub fn path(&self) -> String {
        self.dir.path().join("mine.json").display().to_string()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub const BAKERY_TEXT: &str = "The bakery on Elm Street opened in May 1998. \
Its sourdough won a regional prize in 2003, and the owner, Marta Ruiz, retired in 2019.";

pub fn bakery() -> Value {
    json!({
        "title": "A bakery",
        "articles": [{ "id": "gazette", "title": "Elm Street Gazette", "outlet": "Gazette",
                       "published": "2020", "text": BAKERY_TEXT }],
        "actors": [{ "id": "marta", "name": "Marta Ruiz", "kind": "person", "aliases": ["Ruiz"] }],
        "topics": [{ "id": "bread", "name": "Bread", "aliases": ["sourdough"] }],
        "events": [
            { "id": "opening", "date": "1998-05", "headline": "The bakery opens on Elm Street",
              "summary": "A new bakery.", "actors": ["marta"], "topics": ["bread"],
              "sources": [{ "article": "gazette", "quote": "The bakery on Elm Street opened in May 1998." }] },
            { "id": "prize", "date": "2003", "headline": "Sourdough wins a regional prize",
              "summary": "Recognition.", "actors": ["marta"], "topics": ["bread"],
              "sources": [{ "article": "gazette", "quote": "Its sourdough won a regional prize in 2003" }] },
            { "id": "retirement", "date": "2019", "headline": "Marta Ruiz retires",
              "summary": "The owner steps back.", "actors": ["marta"], "topics": ["bread"],
              "sources": [{ "article": "gazette", "quote": "the owner, Marta Ruiz, retired in 2019" }] }
        ]
    })
}

// Built-in names that tests in more than one file look for.
pub const KHATAMI: &str = "2001-03-12-russia-iran-cooperation-agreement";
pub const NEWSWEEK: &str =
    "Iran Seeks Deals with Russia and China To Build Coalition to Resist U.S.";
pub const NEWSWEEK_COPY: &str =
    "quoted from a republished, paraphrased copy of a Newsweek report, 2020-07 (date inferred)";
