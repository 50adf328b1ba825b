//! Every kind of bad timeline file, through the real binary, both as `annals check FILE`
//! and as `annals --data FILE list`: exit status 2, a message on stderr naming the file
//! and the place, never a panic, and never a raw escape sequence on the terminal.

use std::path::{Path, PathBuf};
use std::process::Output;

use annals::data::load::problems::MAX_PROBLEMS;
use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

const ARTICLE: &str = "One two three. Putin met Khatami on March 12, 2001 in Moscow. \
Gas, oil and arms were on the table. Four five six.";

/// A valid timeline with one article, two actors, one topic and the given events.
fn timeline(events: Value) -> Value {
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

fn event(id: &str) -> Value {
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
fn valid() -> Value {
    timeline(json!([event("e1")]))
}

/// The valid timeline with one thing changed, so a test states only that change.
fn with_change(change: impl FnOnce(&mut Value)) -> Value {
    let mut v = valid();
    change(&mut v);
    v
}

/// A timeline file in its own directory, kept alive with the directory.
struct Case {
    _dir: TempDir,
    path: PathBuf,
}

impl Case {
    fn text(name: &str, text: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Case { _dir: dir, path }
    }

    fn json(name: &str, v: &Value) -> Case {
        Case::text(name, &serde_json::to_string_pretty(v).unwrap())
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap()
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }
}

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .env_remove("NO_COLOR")
        // Bad input must end in a message, never a wait.
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the file through `check` and through `--data … list`, asserts it is rejected
/// properly both times, and returns the stderr of `check`.
fn rejected(case: &Case, needles: &[&str]) -> String {
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
fn rejects_change(change: impl FnOnce(&mut Value), needles: &[&str]) -> String {
    rejected(&Case::json("bad.json", &with_change(change)), needles)
}

// ---------- the JSON itself ----------

#[test]
fn json_syntax_error_is_placed_at_line_and_column() {
    let case = Case::text(
        "syntax.json",
        "{\n  \"title\": \"t\",\n  \"events\": [ }\n}\n",
    );
    let err = rejected(&case, &["expected value"]);
    // file:line:column, with the line of the stray brace.
    let place = format!("{}:3:", case.name());
    let at = err
        .find(&place)
        .unwrap_or_else(|| panic!("no {place} in:\n{err}"));
    let column: String = err[at + place.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(column, "15", "{err}");
}

#[test]
fn truncated_json_is_an_error_not_a_panic() {
    let full = serde_json::to_string_pretty(&valid()).unwrap();
    let case = Case::text("truncated.json", &full[..full.len() / 2]);
    rejected(&case, &["EOF", "cut short"]);
}

#[test]
fn an_empty_timeline_file_is_named_as_empty() {
    for text in ["", "\n  \n"] {
        rejected(&Case::text("empty.json", text), &["the file is empty"]);
    }
}

#[test]
fn unknown_field_typo_is_named_and_placed() {
    let v = with_change(|t| {
        let e = &mut t["events"][0];
        let h = e.as_object_mut().unwrap().remove("headline").unwrap();
        e["headlin"] = h;
    });
    let case = Case::json("typo.json", &v);
    let source = std::fs::read_to_string(&case.path).unwrap();
    let line = source
        .lines()
        .position(|l| l.contains("\"headlin\""))
        .unwrap()
        + 1;
    rejected(
        &case,
        &[
            "unknown field `headlin`",
            "`headline`",
            &format!("{}:{line}:", case.name()),
        ],
    );
}

#[test]
fn missing_required_field_is_named() {
    rejects_change(
        |t| {
            t["events"][0].as_object_mut().unwrap().remove("headline");
        },
        &["missing field `headline`"],
    );
}

#[test]
fn unknown_actor_kind_is_explained() {
    rejects_change(
        |t| t["actors"][0]["kind"] = json!("people"),
        &["unknown variant `people`", "country, person, organization"],
    );
}

#[test]
fn a_timeline_file_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let case = Case {
        path: dir.path().join("nowhere.json"),
        _dir: dir,
    };
    rejected(&case, &["cannot read"]);
}

#[test]
fn a_timeline_file_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.json");
    std::fs::write(&path, b"{\"title\": \"Caf\xe9\", \"events\": []}").unwrap();
    let case = Case { _dir: dir, path };
    rejected(&case, &["not UTF-8", "offset 14"]);
}

// ---------- references ----------

#[test]
fn unknown_actor_id_suggests_the_declared_one() {
    rejects_change(
        |t| t["events"][0]["actors"] = json!(["putn"]),
        &[
            "event \"e1\" (events[0])",
            "unknown actor id \"putn\"",
            "did you mean \"putin\"",
        ],
    );
}

#[test]
fn unknown_topic_id() {
    rejects_change(
        |t| t["events"][0]["topics"] = json!(["energie"]),
        &[
            "event \"e1\" (events[0])",
            "unknown topic id \"energie\"",
            "did you mean \"energy\"",
        ],
    );
}

#[test]
fn unknown_article_id() {
    rejects_change(
        |t| t["events"][0]["sources"][0]["article"] = json!("b"),
        &[
            "event \"e1\" (events[0]), sources[0]",
            "unknown article id \"b\"",
        ],
    );
}

#[test]
fn the_same_actor_twice_in_one_event() {
    rejects_change(
        |t| t["events"][0]["actors"] = json!(["putin", "putin"]),
        &["event \"e1\"", "names the actor \"putin\" twice"],
    );
}

#[test]
fn duplicate_event_id() {
    rejects_change(
        |t| t["events"].as_array_mut().unwrap().push(event("e1")),
        &["event \"e1\" (events[1])", "duplicate event id \"e1\""],
    );
}

#[test]
fn duplicate_actor_id() {
    rejects_change(
        |t| t["actors"][1]["id"] = json!("putin"),
        &["actors[1]", "duplicate actor id \"putin\""],
    );
}

// ---------- events ----------

#[test]
fn empty_headline() {
    rejects_change(
        |t| t["events"][0]["headline"] = json!("   "),
        &["event \"e1\" (events[0])", "empty headline"],
    );
}

#[test]
fn an_event_that_cites_nothing_and_tells_nothing() {
    rejects_change(
        |t| {
            t["events"][0]["sources"] = json!([]);
            t["events"][0]["summary"] = json!(" ");
        },
        &[
            "event \"e1\"",
            "cites no article and has no text of its own",
        ],
    );
}

#[test]
fn end_before_start() {
    rejects_change(
        |t| {
            t["events"][0]["date"] = json!("2021-05");
            t["events"][0]["end"] = json!("2021-04-30");
        },
        &[
            "event \"e1\" (events[0])",
            "ends (2021-04-30) before it starts (2021-05)",
        ],
    );
}

#[test]
fn impossible_day_of_the_month() {
    rejects_change(
        |t| t["events"][0]["date"] = json!("2023-02-30"),
        &[
            "event \"e1\" (events[0])",
            "\"2023-02-30\" is not a day of the calendar",
        ],
    );
}

#[test]
fn month_thirteen() {
    rejects_change(
        |t| t["events"][0]["date"] = json!("2023-13"),
        &["event \"e1\" (events[0])", "\"2023-13\" has no month 13"],
    );
    rejects_change(
        |t| t["events"][0]["end"] = json!("2023-13-01"),
        &["end: \"2023-13-01\" has no month 13"],
    );
}

#[test]
fn a_date_in_the_wrong_shape() {
    for bad in ["12 March 2001", "2001-3-12", "01", "2001/03/12", ""] {
        rejects_change(
            |t| t["events"][0]["date"] = json!(bad),
            &[&format!("\"{bad}\" is not a date"), "YYYY-MM-DD"],
        );
    }
}

#[test]
fn an_impossible_published_date_on_an_article() {
    rejects_change(
        |t| t["articles"][0]["published"] = json!("2025-02-29"),
        &["article \"a\" (articles[0])", "not a day of the calendar"],
    );
}

#[test]
fn an_era_that_ends_before_it_starts() {
    rejects_change(
        |t| t["eras"] = json!([{ "id": "x", "name": "X", "start": "2005", "end": "2004-12" }]),
        &[
            "era \"x\" (eras[0])",
            "ends (2004-12) before it starts (2005)",
        ],
    );
}

// ---------- articles ----------

#[test]
fn article_file_missing() {
    rejects_change(
        |t| t["articles"][0] = json!({ "id": "a", "title": "A", "file": "texts/gone.txt" }),
        &["article \"a\" (articles[0])", "cannot read", "gone.txt"],
    );
}

#[test]
fn article_file_not_utf8() {
    let v = with_change(|t| {
        t["articles"][0] = json!({ "id": "a", "title": "A", "file": "latin1.txt" });
    });
    let case = Case::json("latin1.json", &v);
    std::fs::write(
        case.dir().join("latin1.txt"),
        b"Putin met Khatami in M\xfcnchen",
    )
    .unwrap();
    rejected(
        &case,
        &[
            "article \"a\" (articles[0])",
            "latin1.txt is not UTF-8",
            "offset 22",
        ],
    );
}

#[test]
fn article_file_found_relative_to_the_timeline() {
    // The good case next to the bad ones: a file beside the timeline loads.
    let v = with_change(|t| {
        t["articles"][0] = json!({ "id": "a", "title": "A", "file": "texts/a.txt" });
    });
    let case = Case::json("good.json", &v);
    std::fs::create_dir(case.dir().join("texts")).unwrap();
    std::fs::write(case.dir().join("texts/a.txt"), ARTICLE).unwrap();
    let out = run(&["check", &case.name()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn article_with_both_file_and_text() {
    let v = with_change(|t| t["articles"][0]["file"] = json!("a.txt"));
    let case = Case::json("both.json", &v);
    std::fs::write(case.dir().join("a.txt"), ARTICLE).unwrap();
    rejected(
        &case,
        &[
            "article \"a\" (articles[0])",
            "has both \"file\" and \"text\"",
        ],
    );
}

#[test]
fn article_with_neither_file_nor_text() {
    rejects_change(
        |t| t["articles"][0] = json!({ "id": "a", "title": "A" }),
        &["article \"a\"", "has neither \"file\" nor \"text\""],
    );
}

#[test]
fn quote_not_found_shows_the_closest_passage() {
    rejects_change(
        |t| t["events"][0]["sources"][0]["quote"] = json!("Putin meets Khatami on 12 March 2001"),
        &[
            "event \"e1\" (events[0]), sources[0]",
            "the quote is not in article \"a\"",
            "closest passage",
            "\"Putin met Khatami on March 12, 2001",
        ],
    );
}

#[test]
fn a_quote_with_different_apostrophes_is_not_verbatim() {
    rejects_change(
        |t| {
            t["articles"][0]["text"] = json!("Zarif’s arrival in Moscow.");
            t["events"][0]["sources"][0]["quote"] = json!("Zarif's arrival");
        },
        &["the quote is not in article \"a\"", "Zarif’s arrival"],
    );
}

// ---------- control characters and escape sequences ----------

/// Asserts that a control character put in `field` by `change` is rejected and
/// described, not echoed.
fn control_rejected(change: impl FnOnce(&mut Value), field: &str, code: &str) -> String {
    rejects_change(
        change,
        &[
            &format!("{field} holds the control character {code}"),
            "control and escape characters are not allowed",
        ],
    )
}

#[test]
fn csi_escape_sequence_in_a_headline() {
    let err = control_rejected(
        |t| t["events"][0]["headline"] = json!("Red \u{1b}[31malert\u{1b}[0m"),
        "the headline",
        "U+001B",
    );
    assert!(err.contains("event \"e1\" (events[0])"), "{err}");
}

#[test]
fn osc_sequence_in_a_summary() {
    control_rejected(
        |t| t["events"][0]["summary"] = json!("Title \u{1b}]0;pwned\u{7} here"),
        "the summary",
        "U+001B",
    );
}

#[test]
fn c1_csi_in_a_headline_and_a_summary() {
    control_rejected(
        |t| t["events"][0]["headline"] = json!("a \u{9b}31m b"),
        "the headline",
        "U+009B",
    );
    control_rejected(
        |t| t["events"][0]["summary"] = json!("a \u{9b}2J b"),
        "the summary",
        "U+009B",
    );
}

#[test]
fn bare_controls_in_a_summary_and_a_date_note() {
    control_rejected(
        |t| t["events"][0]["summary"] = json!("bell \u{7} here"),
        "the summary",
        "U+0007",
    );
    control_rejected(
        |t| t["events"][0]["summary"] = json!("delete \u{7f} here"),
        "the summary",
        "U+007F",
    );
    control_rejected(
        |t| t["events"][0]["date_note"] = json!("back\u{8}space"),
        "the date_note",
        "U+0008",
    );
}

#[test]
fn a_lone_carriage_return_is_rejected_but_crlf_line_ends_load() {
    rejects_change(
        |t| t["events"][0]["summary"] = json!("Treaty signed\rTreaty REJECTED"),
        &[
            "the summary holds a carriage return without a line feed at byte 13",
            "end lines with",
        ],
    );
    let v = with_change(|t| {
        t["articles"][0]["text"] = json!("Putin met Khatami.\r\nThey talked.\r\n");
        t["events"][0]["summary"] = json!("One line.\r\nAnother.");
    });
    let case = Case::json("crlf.json", &v);
    let out = run(&["check", &case.name()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn escape_sequences_in_an_article_text() {
    let err = control_rejected(
        |t| {
            t["articles"][0]["text"] =
                json!("Putin met Khatami. \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J")
        },
        "the text",
        "U+001B",
    );
    assert!(err.contains("article \"a\" (articles[0])"), "{err}");

    control_rejected(
        |t| t["articles"][0]["text"] = json!("Putin met Khatami. \u{9b}1;1H"),
        "the text",
        "U+009B",
    );
}

#[test]
fn escape_sequences_in_an_article_file() {
    let v = with_change(|t| {
        t["articles"][0] = json!({ "id": "a", "title": "A", "file": "a.txt" });
    });
    let case = Case::json("file-esc.json", &v);
    std::fs::write(
        case.dir().join("a.txt"),
        "Putin met Khatami.\n\u{1b}[31mred\u{1b}[0m\n",
    )
    .unwrap();
    rejected(
        &case,
        &[
            "article \"a\"",
            "the text holds the control character U+001B",
        ],
    );
}

#[test]
fn an_article_file_must_be_a_regular_file_named_relative_to_the_timeline() {
    let with_file = |file: &str| {
        with_change(|t| t["articles"][0] = json!({ "id": "a", "title": "A", "file": file }))
    };
    rejected(
        &Case::json("abs.json", &with_file("/dev/zero")),
        &[
            "/dev/zero is an absolute path",
            "relative to the timeline file",
        ],
    );
    let case = Case::json("dir.json", &with_file("."));
    rejected(&case, &["is not a regular file"]);
    let case = Case::json("dev.json", &with_file("zero.txt"));
    std::os::unix::fs::symlink("/dev/zero", case.dir().join("zero.txt")).unwrap();
    rejected(&case, &["zero.txt is not a regular file"]);
    // A FIFO with no writer: opening it must not wait for one.
    let case = Case::json("fifo.json", &with_file("fifo.txt"));
    let fifo = std::ffi::CString::new(case.dir().join("fifo.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    rejected(&case, &["fifo.txt is not a regular file"]);
}

#[test]
fn control_characters_in_names_titles_and_eras() {
    control_rejected(
        |t| t["actors"][0]["aliases"] = json!(["Pu\u{1b}[1mtin"]),
        "an alias",
        "U+001B",
    );
    control_rejected(
        |t| t["topics"][0]["name"] = json!("Ener\u{9b}gy"),
        "the name",
        "U+009B",
    );
    control_rejected(
        |t| t["articles"][0]["title"] = json!("\u{1b}]0;x\u{7}"),
        "the title",
        "U+001B",
    );
    control_rejected(
        |t| t["title"] = json!("My \u{1b}[5mtimeline"),
        "the title",
        "U+001B",
    );
    control_rejected(
        |t| {
            t["eras"] = json!([{ "id": "x", "name": "X", "group": "I\u{1b}[7mran",
                                 "start": "2001", "end": "2002" }]);
        },
        "the group",
        "U+001B",
    );
}

/// Text from the file that a message quotes back (an id, an unknown name, a bad date)
/// is escaped, so the message cannot carry the sequence to the terminal either.
#[test]
fn messages_that_quote_the_file_escape_control_characters() {
    let err = control_rejected(
        |t| t["events"][0]["id"] = json!("e\u{1b}[2J1"),
        "the id",
        "U+001B",
    );
    assert!(err.contains("event \"e\\u001b[2J1\""), "{err}");

    // A right-to-left override would make the message read backwards.
    let err = rejects_change(
        |t| t["events"][0]["actors"] = json!(["nitup\u{202e}"]),
        &["unknown actor id"],
    );
    assert!(err.contains("\"nitup\\u202e\""), "{err}");

    let err = rejects_change(
        |t| t["events"][0]["actors"] = json!(["\u{1b}]0;x\u{7}"]),
        &["unknown actor id"],
    );
    assert!(err.contains("\"\\u001b]0;x\\u0007\""), "{err}");

    let err = rejects_change(
        |t| t["events"][0]["date"] = json!("\u{9b}31m"),
        &["is not a date"],
    );
    assert!(err.contains("\\u009b31m"), "{err}");

    let err = rejects_change(
        |t| {
            let e = &mut t["events"][0];
            let h = e.as_object_mut().unwrap().remove("headline").unwrap();
            e["head\u{1b}line"] = h;
        },
        &["unknown field"],
    );
    assert!(err.contains("head\\u001bline"), "{err}");
}

#[test]
fn a_raw_control_byte_inside_a_json_string_is_a_syntax_error() {
    let case = Case::text("raw.json", "{\"title\": \"a\u{1b}[31mb\", \"events\": []}");
    rejected(
        &case,
        &["control character", &format!("{}:1:", case.name())],
    );
}

// ---------- many problems ----------

#[test]
fn many_problems_are_all_listed_in_one_run() {
    let v = timeline(json!([
        event("e1"),
        {
            "id": "e2", "date": "2023-02-30", "headline": "Second", "summary": "s",
            "actors": ["putn"], "topics": ["energy"],
            "sources": [{ "article": "a", "quote": "Putin met Khatami" }]
        },
        {
            "id": "e3", "date": "2001", "headline": "Third", "summary": "s",
            "actors": ["iran"], "topics": ["energy"],
            "sources": [{ "article": "a", "quote": "gas and oil" }]
        }
    ]));
    let err = rejected(
        &Case::json("many.json", &v),
        &[
            "(3 problems)",
            "event \"e2\" (events[1]): date: \"2023-02-30\" is not a day of the calendar",
            "event \"e2\" (events[1]): unknown actor id \"putn\"",
            "event \"e3\" (events[2]), sources[0]: the quote is not in article \"a\"",
        ],
    );
    assert!(
        !err.contains("e1\""),
        "the good event is not blamed:\n{err}"
    );
}

#[test]
fn a_file_with_200_bad_events_reports_a_capped_list() {
    let events: Vec<Value> = (0..200)
        .map(|i| {
            let mut e = event(&format!("e{i}"));
            e["date"] = json!("2023-02-30");
            e
        })
        .collect();
    let err = rejected(
        &Case::json("cap.json", &timeline(Value::Array(events))),
        &[
            "(200 problems)",
            "event \"e0\" (events[0])",
            &format!("… and {} more", 200 - MAX_PROBLEMS),
        ],
    );
    let listed = err
        .lines()
        .filter(|l| l.contains("is not a day of the calendar"))
        .count();
    assert_eq!(listed, MAX_PROBLEMS, "{err}");
    assert!(!err.contains("event \"e199\""), "{err}");
}

// ---------- allowed, with a warning ----------

#[test]
fn an_event_without_actors_or_topics_loads_with_a_warning() {
    let v = with_change(|t| {
        let e = t["events"][0].as_object_mut().unwrap();
        e.remove("actors");
        e.remove("topics");
    });
    let case = Case::json("bare.json", &v);
    for args in [
        vec!["check".to_string(), case.name()],
        vec!["--data".to_string(), case.name(), "list".to_string()],
    ] {
        let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "annals {args:?}: {err}");
        assert!(
            err.contains("warning: event \"e1\" (events[0]): names no actors"),
            "{err}"
        );
        assert!(
            err.contains("warning: event \"e1\" (events[0]): names no topics"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.stdout.is_empty());
    }
    let out = run(&["--data", &case.name(), "list"]);
    assert!(text(&out.stdout).contains("Putin meets Khatami"));
}

#[test]
fn many_warnings_are_capped_except_by_check() {
    let events: Vec<Value> = (0..30)
        .map(|i| {
            let mut e = event(&format!("e{i}"));
            e.as_object_mut().unwrap().remove("actors");
            e
        })
        .collect();
    let case = Case::json("bare.json", &timeline(Value::Array(events)));
    let warnings = |args: &[&str]| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "annals {args:?}");
        text(&out.stderr)
    };
    let err = warnings(&["--data", &case.name(), "list"]);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("names no actors"))
            .count(),
        10,
        "{err}"
    );
    assert!(
        err.contains("… and 20 more; `annals check FILE` lists them all"),
        "{err}"
    );
    let err = warnings(&["check", &case.name()]);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("names no actors"))
            .count(),
        30,
        "{err}"
    );
    assert!(!err.contains("more;"), "{err}");
}

/// A verbatim quote after an overlapping partial match of its first bytes was
/// reported missing, and the whole timeline failed to load.
#[test]
fn a_verbatim_quote_after_an_overlapping_partial_match_loads() {
    let case = Case::text(
        "overlap.json",
        r#"{"title":"t","actors":[],"topics":[],
 "articles":[{"id":"a","title":"A","text":"Russia and Iran, Russia and Iran, Russia and China agreed."}],
 "events":[{"id":"e1","date":"2001","headline":"h","summary":"s",
            "sources":[{"article":"a","quote":"Russia and Iran, Russia and China agreed."}]}]}"#,
    );
    let out = run(&["check", &case.name()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["--data", &case.name(), "cite", "e1"]);
    assert!(
        text(&out.stdout).contains("Russia and Iran, Russia and China agreed."),
        "{}",
        text(&out.stderr)
    );
}

// ---------- where words and dates come from ----------

#[test]
fn an_era_without_an_end_is_an_error_but_a_null_end_is_still_running() {
    rejects_change(
        |t| t["eras"] = json!([{ "id": "x", "name": "X", "start": "2005" }]),
        &["missing field `end`"],
    );
    let open = with_change(|t| {
        t["eras"] = json!([{ "id": "x", "name": "X", "start": "2005", "end": null }])
    });
    let case = Case::json("open.json", &open);
    let out = run(&["--data", &case.name(), "export", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(export["eras"][0]["end"], Value::Null);
}

#[test]
fn an_unknown_copy_kind_lists_the_kinds() {
    rejects_change(
        |t| t["articles"][0]["copy"] = json!({ "kinds": ["summary"] }),
        &[
            "unknown variant `summary`",
            "republication",
            "use one of the values",
        ],
    );
}

#[test]
fn a_copy_that_says_nothing_or_contradicts_itself() {
    rejects_change(
        |t| t["articles"][0]["copy"] = json!({ "kinds": [] }),
        &["article \"a\" (articles[0])", "copy.kinds is empty"],
    );
    rejects_change(
        |t| {
            t["articles"][0]["copy"] =
                json!({ "kinds": ["republication"], "machine": true, "language": "German" })
        },
        &[
            "copy.machine is set, but the copy is neither a paraphrase nor a translation",
            "copy.language is given, but the copy is not a translation",
        ],
    );
}

#[test]
fn a_copy_sign_not_in_the_article() {
    rejects_change(
        |t| {
            t["articles"][0]["copy"] =
                json!({ "kinds": ["paraphrase"], "signs": ["Putin met Khatemi"] })
        },
        &[
            "article \"a\" (articles[0]), copy.signs[0]: the sign is not in the article's text",
            "closest passage",
        ],
    );
}

#[test]
fn published_inferred_needs_a_published_date() {
    rejects_change(
        |t| t["articles"][0]["published_inferred"] = json!(true),
        &["says published_inferred but gives no published date"],
    );
}

#[test]
fn date_basis_words_not_in_the_article_are_placed_like_a_quote() {
    rejects_change(
        |t| {
            t["events"][0]["date_basis"] = json!({ "kind": "stated", "says": [{ "article": "a", "words": "on March 12, 2002" }] })
        },
        &[
            "event \"e1\" (events[0]), date_basis, says[0]: the words are not in article \"a\"",
            "hint: the closest passage in the article is:",
        ],
    );
}

#[test]
fn a_date_basis_with_an_unknown_kind_article_or_misplaced_reference() {
    rejects_change(
        |t| t["events"][0]["date_basis"] = json!({ "kind": "guessed" }),
        &[
            "unknown variant `guessed`",
            "stated",
            "worked_out",
            "record",
        ],
    );
    rejects_change(
        |t| {
            t["events"][0]["date_basis"] =
                json!({ "kind": "record", "says": [{ "article": "nope", "words": "x" }] })
        },
        &["date_basis, says[0]: unknown article id \"nope\""],
    );
    rejects_change(
        |t| t["events"][0]["date_basis"] = json!({ "kind": "worked_out", "reference": "Reuters" }),
        &[
            "a worked_out date names no article",
            "a worked_out date has a reference",
        ],
    );
}

#[test]
fn a_stated_date_must_be_stated_in_an_article_the_event_cites() {
    rejects_change(
        |t| {
            t["articles"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "id": "b", "title": "B", "text": "on 12 March 2001" }));
            t["events"][0]["date_basis"] = json!({ "kind": "stated", "says": [{ "article": "b", "words": "on 12 March 2001" }] });
        },
        &["the date is stated in article \"b\", which the event does not cite"],
    );
}

#[test]
fn a_caveat_may_not_hide_a_control_character() {
    rejects_change(
        |t| t["events"][0]["sources"][0]["caveat"] = json!("doubt\u{1b}[2J"),
        &[
            "sources[0]",
            "the caveat holds the control character U+001B",
        ],
    );
}

// ---------- encodings and the shape of the file ----------

/// A file of these bytes, in its own directory.
fn bytes_case(name: &str, bytes: &[u8]) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    Case { _dir: dir, path }
}

#[test]
fn a_utf8_byte_order_mark_is_read_past() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(serde_json::to_vec(&valid()).unwrap());
    let case = bytes_case("bom.json", &bytes);
    let out = run(&["check", &case.name()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_utf16_file_is_named_as_utf16_with_how_to_convert_it() {
    let json = serde_json::to_string(&valid()).unwrap();
    let utf16le: Vec<u8> = json.encode_utf16().flat_map(u16::to_le_bytes).collect();
    // With its byte-order mark, it is read, as the TimelineJS readers read it, and said.
    let marked = bytes_case("marked.json", &[&[0xff, 0xfe][..], &utf16le].concat());
    let out = run(&["check", &marked.name()]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("read as UTF-16LE") && err.contains("iconv -f UTF-16LE -t UTF-8"),
        "{err}"
    );
    // Without one, it is refused by name, not as a JSON syntax error.
    let unmarked = bytes_case("unmarked.json", &utf16le);
    let err = rejected(&unmarked, &["UTF-16LE", "iconv -f UTF-16LE -t UTF-8"]);
    assert!(!err.contains("key must be a string"), "{err}");
}

#[test]
fn a_huge_value_is_cut_in_the_message() {
    let huge = "y".repeat(100_000);
    for change in [
        Box::new(|t: &mut Value| t["actors"][0]["kind"] = json!(huge)) as Box<dyn Fn(&mut Value)>,
        Box::new(|t: &mut Value| t["events"][0]["actors"] = json!([huge])),
        Box::new(|t: &mut Value| t["events"][0]["media"] = json!({ huge.as_str(): "x" })),
    ] {
        let err = rejected(&Case::json("huge.json", &with_change(change)), &["yyyy…"]);
        assert!(
            err.len() < 2_000,
            "{} bytes of stderr:\n{}",
            err.len(),
            &err[..500]
        );
    }
}

#[test]
fn records_written_as_arrays_without_field_names_are_refused() {
    // The whole timeline as a positional array.
    let err = rejected(
        &Case::text("arrays.json", r#"["t", null, [], [], [], [], []]"#),
        &[
            "expected the timeline: an object with named fields",
            "a list of bare values names no fields",
        ],
    );
    assert!(
        !err.contains("RawTimeline") && !err.contains("struct"),
        "{err}"
    );
    // One record deep inside, which loaded as valid before.
    let err = rejects_change(
        |t| t["events"][0]["sources"] = json!([["a", "Putin met Khatami"]]),
        &["expected a source: an object with named fields"],
    );
    assert!(!err.contains("RawSource"), "{err}");
    rejects_change(
        |t| t["actors"][0] = json!(["putin", "Vladimir Putin", "person"]),
        &["expected an actor"],
    );
}

#[test]
fn a_proc_file_that_claims_no_size_is_refused_without_reading_on() {
    let case = Case {
        _dir: tempfile::tempdir().unwrap(),
        path: "/proc/self/pagemap".into(),
    };
    // It reports 0 bytes, then refuses a 1-byte read: an error at once, not 2 GB read.
    let started = std::time::Instant::now();
    rejected(&case, &["/proc/self/pagemap:"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
