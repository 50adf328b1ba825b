//! Bad timeline files, through the real binary, both as `annals check FILE` and as
//! `annals --data FILE list`: control characters and escape sequences, wherever the
//! file puts them. They are refused and described, never echoed, so a file cannot act
//! on the terminal of whoever checks it (see `rejected` in
//! tests/common/timeline_files.rs).

#[path = "common/timeline_files.rs"]
mod timeline_files;

use serde_json::{Value, json};
use timeline_files::*;

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
