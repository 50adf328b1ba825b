//! The program as a shell meets it, through the real binary: completions, the manual,
//! help, bad arguments and their exit statuses, colour rules on a pipe and on a
//! terminal, output that cannot be written, and messages that quote what was typed.

#[path = "common/cli.rs"]
mod cli;
mod common;

use std::process::{Output, Stdio};

use cli::*;

// ---------- completions, man, help ----------

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = ok(&["completions", shell]);
        assert!(out.len() > 200, "{shell}: {out}");
        assert!(out.contains("annals"), "{shell}");
        assert!(out.contains("search") && out.contains("export"), "{shell}");
    }
}

#[test]
fn man_page_is_roff() {
    let out = ok(&["man"]);
    assert!(out.contains(".TH"), "{out}");
    assert!(out.contains("annals"));
    assert!(
        out.contains("\\-\\-data") || out.contains("--data"),
        "{out}"
    );
    // One page: each command's options are in it, not in pages that do not exist.
    assert!(!out.contains("annals\\-search(1)"), "{out}");
    for section in [".SS \"annals search\"", ".SS \"annals export\"", ".SH KEYS"] {
        assert!(out.contains(section), "no {section}:\n{out}");
    }
    assert!(
        out.contains("\\-\\-from"),
        "list's options are there: {out}"
    );
    assert!(out.contains("Ctrl\\-z"), "the key table is there: {out}");
}

#[test]
fn help_and_version() {
    let out = ok(&["--help"]);
    assert!(out.contains("Usage: annals"), "{out}");
    assert!(out.contains("Exit status"), "{out}");
    let out = ok(&["--version"]);
    assert!(out.starts_with("annals "), "{out}");
    ok(&["search", "--help"]);
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        vec!["frobnicate"],
        vec!["search"],
        vec!["search", "!"],
        vec!["search", "x", "--limit", "ten"],
        vec!["list", "--bogus"],
        vec!["list", "--from", "yesterday"],
        vec!["list", "--to", "2023-02-30"],
        vec!["list", "--actor", ""],
        vec!["list", "--topic", "  "],
        vec!["--color", "sometimes", "list"],
        vec!["show"],
        vec!["cite", KHATAMI, "--format", "pdf"],
        vec!["export"],
        vec!["export", "--format", "yaml"],
        vec!["completions", "tcsh"],
        vec!["completions"],
        vec!["--data", "/nonexistent/timeline.json", "list"],
        vec!["check", "/nonexistent/timeline.json"],
    ] {
        fails(2, &args);
    }
    let err = fails(2, &["list", "--from", "yesterday"]);
    assert!(err.contains("\"yesterday\" is not a date"), "{err}");
}

/// An explorer option with a lookup was silently ignored (`--goto 2025-02-30 list`
/// exited 0): now it is an error that says what the option is for.
#[test]
fn explorer_options_with_a_lookup_are_an_error() {
    for args in [
        vec!["--goto", "2025-02-30", "list"],
        vec!["--filter", "putin", "search", "khatami"],
        vec!["--mouse", "topics"],
    ] {
        let err = fails(2, &args);
        assert!(err.contains("sets up the explorer"), "{args:?}: {err}");
    }
}

#[test]
fn arguments_quoted_in_messages_cannot_act_on_the_terminal() {
    let cases: [(i32, &[&str]); 4] = [
        (2, &["show", "x\u{1b}]0;pwned\u{7}"]),
        (1, &["search", "zz\u{1b}[2J"]),
        (2, &["--goto", "\u{1b}[2J"]),
        // clap's own message about a bad value. On a pipe clap strips the escape
        // itself, so this case cannot fail here; the e2e test
        // `a_bad_argument_quoted_on_a_terminal_is_escaped` checks it on a terminal.
        (2, &["--color", "\u{1b}[31m"]),
    ];
    for (code, args) in cases {
        let err = fails(code, args);
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{7}'),
            "{args:?}: {err:?}"
        );
    }
    let err = fails(2, &["show", "x\u{1b}[2J"]);
    assert!(
        err.contains("x\\u001b[2J"),
        "shows where the escape was: {err}"
    );
}

// ---------- colour ----------

fn has_esc(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

const COLOURED: &[&[&str]] = &[
    &["list"],
    &["search", "Khatami"],
    &["show", KHATAMI],
    &["actors"],
    &["topics"],
];

#[test]
fn output_to_a_pipe_has_no_escape_bytes_by_default() {
    for args in COLOURED {
        assert!(!has_esc(ok(args).as_bytes()), "{args:?}");
    }
    for args in [
        &["cite", KHATAMI][..],
        &["list", "--json"],
        &["export", "--format", "markdown"],
        &["completions", "bash"],
    ] {
        assert!(!has_esc(ok(args).as_bytes()), "{args:?}");
    }
}

#[test]
fn color_always_colours_a_pipe_but_never_json() {
    for args in COLOURED {
        let mut a = vec!["--color", "always"];
        a.extend_from_slice(args);
        assert!(has_esc(ok(&a).as_bytes()), "{a:?}");
        // An explicit --color always wins over NO_COLOR, as no-color.org asks.
        let out = annals().env("NO_COLOR", "1").args(&a).output().unwrap();
        assert!(has_esc(&out.stdout), "NO_COLOR {a:?}");
    }
    for args in [
        &["list", "--json"][..],
        &["search", "Khatami", "--json"],
        &["show", KHATAMI, "--json"],
        &["cite", KHATAMI, "--format", "json"],
        &["export", "--format", "json"],
        &["export", "--format", "csv"],
        &["export", "--format", "markdown"],
    ] {
        let mut a = vec!["--color", "always"];
        a.extend_from_slice(args);
        assert!(!has_esc(ok(&a).as_bytes()), "{a:?}");
    }
}

#[test]
fn no_color_and_color_never_keep_a_pipe_plain() {
    for args in COLOURED {
        let mut a = vec!["--color", "auto"];
        a.extend_from_slice(args);
        let out = annals().env("NO_COLOR", "1").args(&a).output().unwrap();
        assert!(out.status.success());
        assert!(!has_esc(&out.stdout), "NO_COLOR {a:?}");
        let mut a = vec!["--color", "never"];
        a.extend_from_slice(args);
        assert!(!has_esc(ok(&a).as_bytes()), "{a:?}");
    }
}

/// Runs annals on a pseudo-terminal and returns everything it wrote.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let (status, out) = common::Session::start(args, env, 200, 50).finish();
    assert!(
        status.success(),
        "annals {args:?} on a terminal: {status:?}"
    );
    out
}

#[test]
fn on_a_terminal_auto_colours_unless_no_color_or_dumb() {
    let coloured = on_a_terminal(&["list"], &[]);
    assert!(has_esc(&coloured), "{}", String::from_utf8_lossy(&coloured));
    assert!(String::from_utf8_lossy(&coloured).contains("Putin and Khatami"));
    for (args, env) in [
        (&["list"][..], &[("NO_COLOR", "1")][..]),
        (&["search", "Khatami"], &[("NO_COLOR", "1")]),
        (&["list"], &[("TERM", "dumb")]),
        (&["--color", "never", "list"], &[]),
    ] {
        let out = on_a_terminal(args, env);
        assert!(
            !has_esc(&out),
            "annals {args:?} with {env:?}:\n{}",
            String::from_utf8_lossy(&out)
        );
        assert!(String::from_utf8_lossy(&out).contains("Khatami"));
    }
}

// ---------- output that cannot be written ----------

/// A std Command, for a stdout that is not a pipe to the test.
fn plain_command() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_annals"));
    c.env_remove("NO_COLOR").stderr(Stdio::piped());
    c
}

/// Runs annals with stdout a pipe whose reader has already gone.
fn with_closed_stdout(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    plain_command()
        .args(args)
        .stdout(Stdio::from(writer))
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["search", "Iran"],
        &["show", KHATAMI],
        &["export", "--format", "csv"],
        &["export", "--format", "json"],
        &["completions", "bash"],
        &["man"],
    ] {
        let out = with_closed_stdout(args);
        let err = text(&out.stderr);
        assert!(
            !err.contains("panicked"),
            "annals {args:?} | (closed): {err}"
        );
        assert!(err.is_empty(), "annals {args:?} | (closed): {err}");
        assert_eq!(out.status.code(), Some(0), "annals {args:?}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_is_reported() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("Linux has /dev/full");
    for args in [
        &["list"][..],
        &["export", "--format", "csv"],
        &["completions", "zsh"],
        &["man"],
    ] {
        let out = plain_command()
            .args(args)
            .stdout(Stdio::from(full.try_clone().unwrap()))
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "annals {args:?} > /dev/full: {err}"
        );
        assert!(err.contains("No space left"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
