//! Timeline files for the bad-input tests (tests/bad_input_*.rs): a valid timeline to
//! change one thing in, a file of it in its own directory, and `rejected`, which runs
//! a file through the real binary, both as `annals check FILE` and as `annals --data
//! FILE list`, and asserts each rejects it properly: exit status 2, a message on stderr
//! naming the file and the place, never a panic, and never a raw escape sequence on
//! the terminal.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

pub const ARTICLE: &str = "One two three. Putin met Khatami on March 12, 2001 in Moscow. \
Gas, oil and arms were on the table. Four five six.";

/// A valid timeline with one article, two actors, one topic and the given events.
pub fn timeline(events: Value) -> Value {
    json!({
        "title": "A test timeline",
        "articles": [{ "id": "a", "title": "Article A", "text": ARTICLE }],
        "actors": [
            { "id": "putin", "name": "Vladimir Putin", "kind": "person" },
            { "id": "iran", "name": "Iran", "kind": "country" }
        ],
        "topics": [{ "id": "energy", "name": "Energy" }],
        "events": events
    })
}

pub fn event(id: &str) -> Value {
    json!({
        "id": id,
        "date": "2001-03-12",
        "headline": "Putin meets Khatami",
        "summary": "They talk about gas.",
        "actors": ["putin"],
        "topics": ["energy"],
        "sources": [{ "article": "a", "quote": "Putin met Khatami" }]
    })
}

/// The smallest valid timeline: one event, citing the one article.
pub fn valid() -> Value {
    timeline(json!([event("e1")]))
}

/// The valid timeline with one thing changed, so a test states only that change.
pub fn with_change(change: impl FnOnce(&mut Value)) -> Value {
    let mut v = valid();
    change(&mut v);
    v
}

/// A timeline file in its own directory, kept alive with the directory.
pub struct Case {
    pub _dir: TempDir,
    pub path: PathBuf,
}

impl Case {
    pub fn text(name: &str, text: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Case { _dir: dir, path }
    }

    pub fn json(name: &str, v: &Value) -> Case {
        Case::text(name, &serde_json::to_string_pretty(v).unwrap())
    }

    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap()
    }

    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

pub fn run(args: &[&str]) -> Output {
    Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .env_remove("NO_COLOR")
        // Bad input must end in a message, never a wait.
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the file through `check` and through `--data … list`, asserts it is rejected
/// properly both times, and returns the stderr of `check`.
pub fn rejected(case: &Case, needles: &[&str]) -> String {
    let file = case.name();
    let mut first = None;
    for args in [vec!["check", file.as_str()], vec!["--data", &file, "list"]] {
        let out = run(&args);
        let err = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "annals {args:?} should exit 2; stderr:\n{err}"
        );
        assert!(
            out.stdout.is_empty(),
            "annals {args:?} wrote to stdout: {}",
            text(&out.stdout)
        );
        assert!(
            !err.contains("panicked"),
            "annals {args:?} panicked:\n{err}"
        );
        assert!(
            err.contains(&file),
            "annals {args:?}: stderr does not name {file}:\n{err}"
        );
        assert!(
            !out.stderr.contains(&0x1b),
            "annals {args:?}: raw ESC on stderr:\n{err:?}"
        );
        assert!(
            !err.contains('\u{9b}') && !err.contains('\u{7}'),
            "annals {args:?}: raw C1/BEL on stderr:\n{err:?}"
        );
        assert!(
            !err.contains(annals::data::text::is_bidi_control),
            "annals {args:?}: raw bidirectional control on stderr:\n{err:?}"
        );
        for n in needles {
            assert!(
                err.contains(n),
                "annals {args:?}: stderr lacks {n:?}:\n{err}"
            );
        }
        first.get_or_insert(err);
    }
    first.unwrap()
}

/// Asserts that the valid timeline with `change` made is rejected and that the
/// message holds every one of `needles`; returns the stderr of `check`.
pub fn rejects_change(change: impl FnOnce(&mut Value), needles: &[&str]) -> String {
    rejected(&Case::json("bad.json", &with_change(change)), needles)
}
