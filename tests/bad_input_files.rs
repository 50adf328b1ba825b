//! Bad timeline files, through the real binary, both as `annals check FILE` and as
//! `annals --data FILE list`: the file itself. JSON that does not parse or has the
//! wrong shape, text that is not UTF-8, article files that are missing or wrong.
//! Each ends in exit status 2 and a message naming the file and the place (see
//! `rejected` in tests/common/timeline_files.rs).

#[path = "common/timeline_files.rs"]
mod timeline_files;

use serde_json::{Value, json};
use timeline_files::*;

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
