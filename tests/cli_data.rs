//! A timeline in and out through the real binary: `check`, `--data` with a timeline of
//! one's own, `export` to JSON, CSV and Markdown, and what exported output may carry.

#[path = "common/cli.rs"]
mod cli;

use cli::*;
use serde_json::json;

// ---------- check ----------

#[test]
fn check_the_builtin_chronology() {
    let t = builtin();
    let out = ok(&["check"]);
    assert!(
        out.starts_with(&format!(
            "ok: the built-in chronology: {} events, {} articles",
            t.events.len(),
            t.articles.len()
        )),
        "{out}"
    );
    assert!(out.contains("quotes found verbatim"));
}

#[test]
fn check_a_valid_file_of_ones_own() {
    let mine = UserTimeline::new(&bakery());
    let out = ok(&["check", &mine.path()]);
    assert!(
        out.starts_with(&format!("ok: {}: 3 events", mine.path())),
        "{out}"
    );
    // `check` with no file checks --data.
    let out = ok(&["--data", &mine.path(), "check"]);
    assert!(out.contains("3 events"), "{out}");
}

// ---------- export ----------

#[test]
fn export_json_loads_back_to_the_same_events() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("exported.json");
    std::fs::write(&file, ok(&["export", "--format", "json"])).unwrap();
    let file = file.display().to_string();
    ok(&["check", &file]);
    // Identical, article ids and byte ranges included.
    assert_eq!(
        ok(&["--data", &file, "list", "--json"]),
        ok(&["list", "--json"])
    );
    assert_eq!(
        ok(&["--data", &file, "search", "gas", "pipeline", "--json"]),
        ok(&["search", "gas", "pipeline", "--json"])
    );
    assert_eq!(
        ok(&["--data", &file, "actors", "--json"]),
        ok(&["actors", "--json"])
    );
    // A second export of the export is the same file.
    assert_eq!(
        ok(&["--data", &file, "export", "--format", "json"]),
        ok(&["export", "--format", "json"])
    );
}

#[test]
fn export_with_filters_keeps_only_those_events_and_their_articles() {
    let v = ok_json(&["export", "--format", "json", "--actor", "Zarif"]);
    let events = v["events"].as_array().unwrap();
    assert_eq!(
        ids(&v["events"]),
        ["2020-07-21-zarif-moscow-treaty-renewal"]
    );
    let articles: Vec<&str> = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(articles, ["newsweek-2020-iran-seeks-deals"]);
    assert!(v["articles"][0]["text"].is_string() && v["articles"][0].get("file").is_none());
    assert_eq!(events[0]["date"], "2020-07-21");
    // It is a timeline of its own.
    let mine = UserTimeline::new(&v);
    let out = ok(&["--data", &mine.path(), "list"]);
    assert!(out.contains("Zarif in Moscow"), "{out}");
    fails(1, &["export", "--format", "json", "--from", "2030"]);
}

#[test]
fn export_csv_has_one_row_per_event() {
    let t = builtin();
    let out = ok(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "date",
            "end",
            "date_note",
            "headline",
            "summary",
            "actors",
            "topics",
            "articles",
            "quotes",
            "caveats",
            "date_marks"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), t.events.len());
    for (row, e) in rows.iter().zip(&t.events) {
        assert_eq!(&row[0], &*e.id);
        assert_eq!(&row[1], e.date.to_string());
        assert_eq!(&row[4], &*e.headline);
        assert_eq!(&row[5], &*e.summary);
        assert_eq!(&row[6], t.actor_names(e).join("; "));
        let quotes: Vec<&str> = e.sources.iter().map(|s| s.quote()).collect();
        assert_eq!(&row[9], quotes.join("\n"));
        assert_eq!(row[8].lines().count(), e.sources.len());
    }
}

#[test]
fn export_csv_quotes_commas_quotes_and_newlines() {
    let tricky = "He said \"no\", then\nleft, twice";
    let mut v = bakery();
    v["events"][0]["summary"] = json!(tricky);
    v["events"][0]["headline"] = json!("Opens, at last");
    let mine = UserTimeline::new(&v);
    let out = ok(&["--data", &mine.path(), "export", "--format", "csv"]);
    assert!(
        out.contains("\"He said \"\"no\"\", then\nleft, twice\""),
        "summary not quoted as RFC 4180 wants:\n{out}"
    );
    assert!(out.contains(",\"Opens, at last\","), "{out}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][5], tricky);
    assert_eq!(&rows[0][4], "Opens, at last");
    assert_eq!(&rows[0][1], "1998-05");
    assert_eq!(&rows[1][1], "2003");
}

#[test]
fn export_markdown() {
    let t = builtin();
    let out = ok(&["export", "--format", "markdown"]);
    assert!(out.starts_with(&format!("# {}\n", t.title)), "{out}");
    assert!(out.contains("\n## 2001\n"));
    assert!(out.contains(
        "- **2001-03-12** — Putin and Khatami sign landmark Russia–Iran cooperation deal"
    ));
    assert!(out.contains("  > a landmark deal involving oil"));
    // The same label as `cite --format markdown`: only the title in italics.
    assert!(
        out.contains(&format!("  > — *{NEWSWEEK}*, {NEWSWEEK_COPY}\n")),
        "{out}"
    );
    assert!(out.contains("*Actors:* Russia, Iran, Vladimir Putin, Mohammad Khatami"));
    let items = out.lines().filter(|l| l.starts_with("- **")).count();
    assert_eq!(items, t.events.len());
    let years = out.lines().filter(|l| l.starts_with("## ")).count();
    let mut distinct: Vec<i64> = t.events.iter().map(|e| e.date.year).collect();
    distinct.dedup();
    assert_eq!(years, distinct.len());
}

/// Markdown characters in the data are text, not markup: a title with `*` and a
/// headline with `_` and `<` come out as written when the Markdown is rendered.
#[test]
fn markdown_output_escapes_markup_in_the_data() {
    let mut v = bakery();
    v["articles"][0]["title"] = json!("Elm *Street* Gazette");
    v["events"][0]["headline"] = json!("The bakery_opens <today>");
    let mine = UserTimeline::new(&v);
    let cite = ok(&[
        "--data",
        &mine.path(),
        "cite",
        "opening",
        "--format",
        "markdown",
    ]);
    assert!(cite.contains("— The bakery\\_opens \\<today\\>"), "{cite}");
    assert!(
        cite.contains("— *Elm \\*Street\\* Gazette*, Gazette, 2020"),
        "{cite}"
    );
    let export = ok(&["--data", &mine.path(), "export", "--format", "markdown"]);
    assert!(
        export.contains("— The bakery\\_opens \\<today\\>  "),
        "{export}"
    );
    assert!(export.contains("*Elm \\*Street\\* Gazette*"), "{export}");
    // Plain text stays as it is.
    let plain = ok(&["--data", &mine.path(), "cite", "opening"]);
    assert!(plain.contains("The bakery_opens <today>"), "{plain}");
}

// ---------- a timeline of one's own ----------

#[test]
fn data_flag_uses_ones_own_timeline() {
    let mine = UserTimeline::new(&bakery());
    let p = mine.path();
    let found = ok_json(&["--data", &p, "search", "sourdough", "--json"]);
    assert_eq!(ids(&found)[0], "prize");
    assert_eq!(found[0]["date"], "2003");
    let err = fails(1, &["--data", &p, "search", "Khatami"]);
    assert!(err.contains("Khatami"));
    let list = ok(&["--data", &p, "list"]);
    assert!(
        list.contains("── 1998 ──") && list.contains("1998-05"),
        "{list}"
    );
    assert!(!list.contains("Putin"), "{list}");
    let ids_in_order = ids(&ok_json(&["--data", &p, "list", "--json"]));
    assert_eq!(ids_in_order, ["opening", "prize", "retirement"]);
    let show = ok(&["--data", &p, "show", "retirement"]);
    assert!(show.contains("Marta Ruiz retires"), "{show}");
    let q = "the owner, Marta Ruiz, retired in 2019";
    let start = BAKERY_TEXT.find(q).unwrap();
    assert!(
        show.contains(&format!("[gazette, bytes {}–{}]", start, start + q.len())),
        "{show}"
    );
    let list = ok(&["--data", &p, "list", "--actor", "Ruiz", "--from", "2000"]);
    assert!(!list.contains("1998"), "{list}");
    // Article files are read relative to the timeline file, wherever it is run from.
    let mut v = bakery();
    v["articles"][0] =
        json!({ "id": "gazette", "title": "Elm Street Gazette", "file": "gazette.txt" });
    let mine = UserTimeline::new(&v);
    std::fs::write(mine.file("gazette.txt"), BAKERY_TEXT).unwrap();
    let out = annals()
        .current_dir(std::env::temp_dir())
        .args(["--data", &mine.path(), "show", "prize"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

// ---------- what output may carry ----------

#[test]
fn csv_text_cells_that_a_spreadsheet_would_run_are_quoted_but_dates_are_not() {
    let mut v = bakery();
    v["events"][0]["date"] = json!("-0044");
    v["events"][0]["headline"] = json!("=HYPERLINK(\"http://x\",\"y\")");
    v["events"][0]["summary"] = json!("+1 loaf");
    v["actors"][0]["name"] = json!("@marta");
    let mine = UserTimeline::new(&v);
    let out = ok(&["--data", &mine.path(), "export", "--format", "csv"]);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&rows[0][1], "44 BCE", "a date cell is left alone");
    assert_eq!(&rows[0][4], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(&rows[0][5], "'+1 loaf");
    assert_eq!(&rows[0][6], "'@marta");

    let out = ok(&[
        "--data",
        &mine.path(),
        "export",
        "--format",
        "timelinejs-csv",
    ]);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let first = rows
        .iter()
        .find(|r| r[0].starts_with('-'))
        .expect("the year -44");
    assert_eq!(&first[0], "-44");
    assert_eq!(&first[9], "'=HYPERLINK(\"http://x\",\"y\")");
    // annals reads its own spreadsheet back as it was.
    let csv_file = mine.file("mine.csv");
    std::fs::write(&csv_file, &out).unwrap();
    let back = ok_json(&["--data", csv_file.to_str().unwrap(), "list", "--json"]);
    assert!(
        back.as_array()
            .unwrap()
            .iter()
            .any(|e| e["headline"] == "=HYPERLINK(\"http://x\",\"y\")"),
        "{back}"
    );
}

#[test]
fn invisible_marks_from_the_file_never_reach_the_output_raw() {
    const MARKS: [char; 5] = ['\u{200E}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{200B}'];
    let mut v = bakery();
    let marked: String = MARKS.iter().map(|m| format!("x{m}")).collect();
    v["events"][0]["headline"] = json!(format!("Opens {marked}"));
    v["events"][0]["summary"] = json!(format!("New {marked}"));
    v["topics"][0]["name"] = json!(format!("Bread {marked}"));
    // A joiner inside an emoji sequence is kept: it only joins its neighbours.
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
    v["actors"][0]["name"] = json!(format!("Marta {family}"));
    let mine = UserTimeline::new(&v);
    let data = mine.path();
    for args in [
        vec!["search", "opens"],
        vec!["show", "opening"],
        vec!["topics"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "markdown"],
        vec!["export", "--format", "timelinejs"],
        vec!["export", "--format", "timelinejs-csv"],
    ] {
        let out = ok(&[&["--data", data.as_str()][..], &args].concat());
        assert!(
            !out.contains(MARKS),
            "annals {args:?} printed a mark raw:\n{out:?}"
        );
    }
    assert!(ok(&["--data", &data, "show", "opening"]).contains(family));
    // JSON keeps the marks exactly, as escapes.
    let json = ok_json(&["--data", &data, "export", "--format", "json"]);
    assert_eq!(json["events"][0]["headline"], format!("Opens {marked}"));
}
