//! Reading and writing TimelineJS: its JSON and its spreadsheet CSV, as a user
//! runs them through the binary.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs")
        .join(name)
        .display()
        .to_string()
}

fn annals(args: &[&str]) -> Output {
    Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn annals_stdin(args: &[&str], input: &[u8]) -> Output {
    Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .write_stdin(input.to_vec())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn timelinejs_json_loads_with_every_skipped_event_named_by_line_and_column() {
    let file = fixture("history.json");
    let o = annals(&["check", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("history.json:38:5 (events[4])"), "{e}");
    assert!(e.contains("start_date.month: '13' is not a month"), "{e}");
    assert!(
        e.contains("(events[5])") && e.contains("has no start_date"),
        "{e}"
    );
    assert!(out(&o).contains("4 events"), "{}", out(&o));
}

#[test]
fn timelinejs_json_dates_run_from_deep_time_to_a_minute_in_timelinejs_numbering() {
    let o = annals(&["--data", &fixture("history.json"), "list"]);
    let text = out(&o);
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing from\n{text}"))
    };
    assert!(pos("13.8 billion years ago") < pos("44-03-15 BCE"));
    assert!(pos("44-03-15 BCE") < pos("Summer 1969") || pos("44-03-15 BCE") < pos("First steps"));
    let o = annals(&[
        "--data",
        &fixture("history.json"),
        "list",
        "--from",
        "-100",
        "--to",
        "-1",
    ]);
    let text = out(&o);
    assert!(
        text.contains("Ides of March") && !text.contains("Moon"),
        "{text}"
    );
    let o = annals(&[
        "--data",
        &fixture("history.json"),
        "search",
        "--",
        "-50..-40",
    ]);
    assert!(out(&o).contains("Ides of March"), "{}", out(&o));
}

#[test]
fn list_and_search_select_timelinejs_groups() {
    let data = fixture("history.json");
    let o = annals(&["--data", &data, "list", "--group", "space"]);
    let text = out(&o);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        text.contains("First steps") || text.contains("Summer 1969"),
        "{text}"
    );
    assert!(
        !text.contains("Ides of March") && !text.contains("universe"),
        "{text}"
    );
    // Fuzzy, as topic names are; and the query's g: form agrees.
    let o = annals(&["--data", &data, "list", "--group", "cosmo"]);
    assert!(out(&o).contains("The universe begins"), "{}", out(&o));
    let o = annals(&["--data", &data, "search", "g:rome"]);
    assert!(out(&o).contains("Ides of March"), "{}", out(&o));
    // No such group: nothing found, exit 1.
    let o = annals(&["--data", &data, "list", "--group", "zzzz"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}

#[test]
fn ids_follow_timelinejs_and_an_event_without_sources_shows_its_text_and_credit() {
    let file = fixture("history.json");
    let o = annals(&["--data", &file, "show", "ides"]);
    assert!(out(&o).contains("Ides of March"), "{}", out(&o));
    let o = annals(&["--data", &file, "show", "the-universe-begins-2"]);
    assert!(out(&o).contains("duplicate headline"), "{}", out(&o));
    let o = annals(&["--data", &file, "cite", "first-steps-on-the-moon"]);
    let c = out(&o);
    assert!(
        c.contains("NASA ©") && c.contains("https://example.org/moon"),
        "{c}"
    );
    assert!(!c.contains('“'), "no quote is invented: {c}");
}

fn events_by_id(doc: &Value) -> Vec<(String, Value)> {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["unique_id"].as_str().unwrap().to_string(), e.clone()))
        .collect()
}

#[test]
fn a_headline_with_markup_is_shown_as_text_and_written_back_as_html() {
    let doc = r#"{"events": [{"start_date": {"year": 1912, "month": 4, "day": 15},
        "text": {"headline": "The <i>Titanic</i> sinks &amp; 1,500 die"}}]}"#;
    let (_dir, file) = temp_file("t.json", doc.as_bytes());
    let o = annals(&["--data", &file, "export", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let own: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        own["events"][0]["headline"],
        "The Titanic sinks & 1,500 die"
    );
    assert_eq!(
        own["events"][0]["headline_html"],
        "The <i>Titanic</i> sinks &amp; 1,500 die"
    );
    let o = annals(&["--data", &file, "export", "--format", "timelinejs"]);
    let back: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        back["events"][0]["text"]["headline"],
        "The <i>Titanic</i> sinks &amp; 1,500 die"
    );
    let o = annals(&["--data", &file, "export", "--format", "timelinejs-csv"]);
    assert!(out(&o).contains("The <i>Titanic</i> sinks &amp; 1,500 die"));
    let o = annals(&["--data", &file, "list"]);
    assert!(
        out(&o).contains("The Titanic sinks & 1,500 die"),
        "{}",
        out(&o)
    );
}

#[test]
fn timelinejs_json_round_trips_through_annals() {
    let file = fixture("history.json");
    let o = annals(&["--data", &file, "export", "--format", "timelinejs"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let doc: Value = serde_json::from_str(&out(&o)).unwrap();
    let events = events_by_id(&doc);
    assert_eq!(events.len(), 4);
    let moon = &events
        .iter()
        .find(|(id, _)| id == "first-steps-on-the-moon")
        .unwrap()
        .1;
    assert_eq!(
        moon["start_date"],
        serde_json::json!({"year": 1969, "month": 7, "day": 20, "hour": 20, "minute": 17})
    );
    assert_eq!(
        moon["end_date"],
        serde_json::json!({"year": 1969, "month": 7, "day": 21})
    );
    assert!(
        moon["text"]["text"]
            .as_str()
            .unwrap()
            .starts_with("<p>Read <a href=\"https://example.org/apollo\">")
    );
    assert_eq!(moon["media"]["credit"], "<b>NASA</b> &copy;");
    assert_eq!(moon["group"], "Space");
    assert_eq!(moon["display_date"], "Summer 1969");
    let year_only = &events
        .iter()
        .find(|(id, _)| id == "the-universe-begins-2")
        .unwrap()
        .1;
    assert_eq!(
        year_only["start_date"],
        serde_json::json!({"year": 2001}),
        "no month or day is invented"
    );
    assert_eq!(doc["scale"], "cosmological");
    assert_eq!(doc["eras"].as_array().unwrap().len(), 2);
    // Written back out and read again, nothing changes.
    let (_dir, again) = temp_file("again.json", out(&o).as_bytes());
    let o2 = annals(&["--data", &again, "export", "--format", "timelinejs"]);
    assert_eq!(
        events_by_id(&serde_json::from_str(&out(&o2)).unwrap()),
        events
    );
}

#[test]
fn the_csv_template_reads_every_row_type_and_names_bad_cells() {
    let file = fixture("template.csv");
    let o = annals(&["check", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("template.csv row 7, column Month: '13' is not a month"),
        "{e}"
    );
    assert!(e.contains("template.csv row 8: has no Year"), "{e}");
    let o = annals(&["--data", &file, "list"]);
    let text = out(&o);
    assert!(
        text.contains("15,000 years ago") || text.contains("15000 BCE"),
        "{text}"
    );
    assert!(
        text.contains("1901-05-03 14:30") && text.contains("Early May"),
        "{text}"
    );
    let o = annals(&["--data", &file, "show", "market-opens"]);
    let shown = out(&o);
    assert!(shown.contains("Stalls & carts"), "{shown}");
    assert!(
        !shown.contains("<p>") && !shown.contains("&amp;"),
        "{shown}"
    );
}

#[test]
fn csv_to_annals_json_and_back_is_stable() {
    let o = annals(&[
        "--data",
        &fixture("template.csv"),
        "export",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let first = out(&o);
    let (_dir, path) = temp_file("t.json", first.as_bytes());
    let o = annals(&["--data", &path, "export", "--format", "json"]);
    assert_eq!(out(&o), first);
    let doc: Value = serde_json::from_str(&first).unwrap();
    let market = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "market-opens")
        .unwrap();
    assert_eq!(market["date"], "1901-05-03 14:30");
    assert_eq!(market["media"]["credit"], "Town archive");
    assert_eq!(market["group"], "Trade");
    assert_eq!(market["text"], "<p>Stalls &amp; carts,\nover two lines</p>");
}

#[test]
fn the_builtin_chronology_goes_to_timelinejs_and_back() {
    let o = annals(&["export", "--format", "timelinejs"]);
    let doc: Value = serde_json::from_str(&out(&o)).unwrap();
    let n = doc["events"].as_array().unwrap().len();
    let first = &doc["events"][0];
    assert!(
        first["text"]["text"]
            .as_str()
            .unwrap()
            .contains("<blockquote>")
    );
    assert!(
        doc["eras"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.get("end_date").is_some())
    );
    let (_dir, path) = temp_file("tl.json", out(&o).as_bytes());
    let o = annals(&["--data", &path, "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let listed = out(&annals(&["list"]));
    for (a, b) in out(&o)
        .lines()
        .filter(|l| l.starts_with("── "))
        .zip(listed.lines().filter(|l| l.starts_with("── ")))
    {
        assert_eq!(a, b, "the years survive");
    }
    let o = annals(&["--data", &path, "check"]);
    assert!(out(&o).contains(&format!("{n} events")), "{}", out(&o));
    // The CSV template too.
    let o = annals(&["export", "--format", "timelinejs-csv"]);
    let (_dir2, csv) = temp_file("tl.csv", &o.stdout);
    let o = annals(&["--data", &csv, "check"]);
    assert!(
        out(&o).contains(&format!("{n} events")),
        "{}{}",
        out(&o),
        err(&o)
    );
}

#[test]
fn standard_input_and_forced_formats_work_and_legacy_files_are_named() {
    let json = std::fs::read(fixture("history.json")).unwrap();
    let o = annals_stdin(&["--data", "-", "show", "ides"], &json);
    assert!(out(&o).contains("Ides of March"), "{}", err(&o));
    let o = annals_stdin(&["--data", "-", "--max-data-size", "100", "list"], &json);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--max-data-size"), "{}", err(&o));
    let o = annals_stdin(&["--data", "-", "--data-format", "annals", "list"], &json);
    assert_eq!(
        o.status.code(),
        Some(2),
        "read as annals JSON, it is not valid"
    );
    let o = annals_stdin(
        &["--data", "-", "list"],
        br#"{"timeline": {"headline": "x", "date": []}}"#,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("TimelineJS2"), "{}", err(&o));
    let o = annals_stdin(&["--data", "-", "list"], b"Year,Headline\n,nothing dated\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("no event that can be shown"),
        "{}",
        err(&o)
    );
}

#[test]
fn a_windows_1252_spreadsheet_is_decoded_not_garbled() {
    let bytes = b"Year,Headline,Text\r\n1999,Caf\xe9 opens,\x93Quoted\x94 in the paper\r\n";
    let (_dir, path) = temp_file("excel.csv", bytes);
    let o = annals(&["--data", &path, "show", "café-opens"]);
    let text = out(&o);
    assert!(
        text.contains("Café opens") && text.contains("“Quoted”"),
        "{text}{}",
        err(&o)
    );
    assert!(err(&o).contains("Windows-1252"), "{}", err(&o));
}

#[test]
fn a_thousand_row_spreadsheet_loads_whole() {
    let mut csv = String::from("Year,Month,Day,Time,Headline,Text,Group\n");
    for i in 0..1000 {
        csv.push_str(&format!(
            "{},{},{},{}:{:02},Event {i},\"<p>Row {i} &amp; more</p>\",G{}\n",
            -500 + i as i64,
            i % 12 + 1,
            i % 28 + 1,
            i % 24,
            i % 60,
            i % 7
        ));
    }
    let (_dir, path) = temp_file("big.csv", csv.as_bytes());
    let o = annals(&["--data", &path, "check"]);
    assert!(out(&o).contains("1000 events"), "{}{}", out(&o), err(&o));
    let o = annals(&["--data", &path, "show", "event-999"]);
    assert!(out(&o).contains("Row 999 & more"), "{}", out(&o));
}

#[test]
fn schema_describes_annals_own_format() {
    let o = annals(&["schema"]);
    let schema: Value = serde_json::from_str(&out(&o)).unwrap();
    let props = &schema["properties"];
    assert!(
        props.get("events").is_some() && props.get("title_slide").is_some(),
        "{schema}"
    );
    let text = out(&o);
    for key in ["display_date", "group", "media", "sources", "date_basis"] {
        assert!(text.contains(&format!("\"{key}\"")), "{key} missing");
    }
}
