//! Bad timeline files, through the real binary, both as `annals check FILE` and as
//! `annals --data FILE list`: what the checks of a well-formed file catch. References
//! to nothing, impossible events and dates, quotes and date bases not in the article,
//! many problems at once, and what loads with only a warning. Each rejected file ends
//! in exit status 2 and a message naming the file and the place (see `rejected` in
//! tests/common/timeline_files.rs).

#[path = "common/timeline_files.rs"]
mod timeline_files;

use annals::data::load::problems::MAX_PROBLEMS;
use serde_json::{Value, json};
use timeline_files::*;

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
