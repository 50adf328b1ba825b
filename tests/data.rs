//! The built-in chronology itself: every quote verbatim where it says it is, dates
//! valid and in order, every name used, the seed articles intact, precision kept in
//! every output, and a lossless round trip through the timeline format.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use annals::data::date::{PartialDate, Precision};
use annals::data::load::write::to_json;
use annals::data::load::{InlineOnly, load_builtin, load_file, load_str};
use annals::data::model::Timeline;
use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn builtin() -> Timeline {
    load_builtin()
        .expect("the built-in chronology loads")
        .timeline
}

/// assets/timeline.json as plain JSON, read from disk rather than through the loader.
fn raw() -> Value {
    let text = std::fs::read_to_string(root().join("assets/timeline.json")).unwrap();
    serde_json::from_str(&text).expect("assets/timeline.json is JSON")
}

fn annals(args: &[&str]) -> String {
    let out = Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "annals {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn the_builtin_chronology_loads_without_warnings() {
    let loaded = load_builtin().unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.to_string()).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn every_quote_is_verbatim_and_its_byte_range_slices_back_to_it() {
    let t = builtin();
    let mut quotes = 0;
    for e in &t.events {
        for s in &e.sources {
            let text = &t.articles[s.article].text;
            assert!(!s.quote().trim().is_empty(), "{}: empty quote", e.id);
            assert!(
                text.contains(s.quote()),
                "{}: quote not verbatim in {}: {:?}",
                e.id,
                t.articles[s.article].id,
                s.quote()
            );
            assert!(
                s.start < s.end && s.end <= text.len(),
                "{}: bad range",
                e.id
            );
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            assert_eq!(&text[s.start..s.end], s.quote(), "{}: range", e.id);
            quotes += 1;
        }
    }
    assert!(quotes >= t.events.len());
}

/// The same, independently of the loader: the raw quote strings against the files on disk.
#[test]
fn every_raw_quote_is_in_the_seed_file_its_article_points_to() {
    let raw = raw();
    let assets = root().join("assets");
    let mut texts = BTreeMap::new();
    for a in raw["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let file = a["file"].as_str().expect("built-in articles are files");
        let text = std::fs::read_to_string(assets.join(file)).unwrap();
        texts.insert(id, text);
    }
    for e in raw["events"].as_array().unwrap() {
        for s in e["sources"].as_array().unwrap() {
            let article = s["article"].as_str().unwrap();
            let quote = s["quote"].as_str().unwrap();
            let text = texts
                .get(article)
                .unwrap_or_else(|| panic!("{}: unknown article {article}", e["id"]));
            assert!(
                text.contains(quote),
                "{}: not verbatim in {article}: {quote:?}",
                e["id"]
            );
        }
    }
}

#[test]
fn every_date_is_valid_and_written_at_its_own_precision() {
    let raw = raw();
    let check = |what: String, text: &str| {
        let d = PartialDate::parse(text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.to_string(), text, "{what} does not round-trip");
        d
    };
    for e in raw["events"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let start = check(format!("{id} date"), e["date"].as_str().unwrap());
        if let Some(end) = e.get("end").and_then(Value::as_str) {
            let end = check(format!("{id} end"), end);
            assert!(
                end.last_moment() >= start.first_moment(),
                "{id} ends before it starts"
            );
        }
    }
    for a in raw["articles"].as_array().unwrap() {
        if let Some(p) = a.get("published").and_then(Value::as_str) {
            check(format!("article {} published", a["id"]), p);
        }
    }
    for era in raw["eras"].as_array().unwrap() {
        let start = check(format!("era {}", era["id"]), era["start"].as_str().unwrap());
        // An era still running has a null end.
        if let Some(end) = era["end"].as_str() {
            let end = check(format!("era {}", era["id"]), end);
            assert!(
                end.last_moment() >= start.first_moment(),
                "era {} ends early",
                era["id"]
            );
        }
    }
}

#[test]
fn events_are_in_chronological_order_in_the_file() {
    // The loader sorts, so the loaded order proves nothing: the file itself is
    // kept in order, so the loader's sort changes nothing.
    let t = builtin();
    let raw = raw();
    let file_order: Vec<&str> = raw["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let loaded_order: Vec<&str> = t.events.iter().map(|e| &*e.id).collect();
    assert_eq!(file_order, loaded_order);
}

#[test]
fn the_chronology_runs_from_the_2001_agreement_to_the_2025_treaty() {
    let t = builtin();
    let first = t.events.first().unwrap();
    assert_eq!(first.date.to_string(), "2001-03-12");
    assert_eq!(first.date.precision(), Precision::Day);
    assert!(first.headline.contains("Khatami"), "{}", first.headline);

    let last = t.events.last().unwrap();
    assert_eq!(last.date.to_string(), "2025-01-17");
    let h = last.headline.to_lowercase();
    assert!(
        h.contains("treaty") || h.contains("strategic partnership"),
        "the last event should be the treaty signing: {}",
        last.headline
    );
    assert!(h.contains("sign"), "{}", last.headline);
}

#[test]
fn every_event_has_actors_topics_and_sources_and_there_are_enough() {
    let t = builtin();
    assert!(t.events.len() >= 30, "only {} events", t.events.len());
    for e in &t.events {
        assert!(!e.actors.is_empty(), "{} names no actor", e.id);
        assert!(!e.topics.is_empty(), "{} names no topic", e.id);
        assert!(!e.sources.is_empty(), "{} cites no source", e.id);
        assert!(!e.headline.trim().is_empty(), "{} has no headline", e.id);
        assert!(!e.summary.trim().is_empty(), "{} has no summary", e.id);
    }
}

#[test]
fn every_declared_actor_topic_and_article_is_used() {
    let t = builtin();
    for (i, a) in t.actors.iter().enumerate() {
        assert!(
            t.events.iter().any(|e| e.actors.contains(&i)),
            "actor {} is declared but no event names it",
            a.id
        );
    }
    for (i, x) in t.topics.iter().enumerate() {
        assert!(
            t.events.iter().any(|e| e.topics.contains(&i)),
            "topic {} is declared but no event names it",
            x.id
        );
    }
    for (i, a) in t.articles.iter().enumerate() {
        assert!(
            t.events
                .iter()
                .any(|e| e.sources.iter().any(|s| s.article == i)),
            "article {} is never cited",
            a.id
        );
    }
}

fn seed_files() -> BTreeSet<String> {
    std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "SHA256SUMS")
        .collect()
}

#[test]
fn seed_checksums_match_sha256sums() {
    let sums = std::fs::read_to_string(root().join("seeds/SHA256SUMS")).unwrap();
    let mut listed = BTreeSet::new();
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (hex, name) = line
            .split_once("  ")
            .unwrap_or_else(|| panic!("not a sha256sum line: {line:?}"));
        let bytes = std::fs::read(root().join("seeds").join(name)).unwrap();
        let actual: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(actual, hex, "seeds/{name} does not match SHA256SUMS");
        listed.insert(name.to_string());
    }
    assert_eq!(listed, seed_files(), "SHA256SUMS must list every seed file");
}

#[test]
fn the_seed_files_are_exactly_the_articles_the_timeline_points_to() {
    let raw = raw();
    let assets = root().join("assets");
    let seeds = root().join("seeds").canonicalize().unwrap();
    let mut pointed = BTreeSet::new();
    for a in raw["articles"].as_array().unwrap() {
        let file = a["file"].as_str().unwrap();
        let path = assets
            .join(file)
            .canonicalize()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            path.parent(),
            Some(seeds.as_path()),
            "{file} is not in seeds/"
        );
        pointed.insert(path.file_name().unwrap().to_str().unwrap().to_string());
    }
    assert_eq!(pointed, seed_files());

    // And the text compiled into the binary is the text on disk.
    let t = builtin();
    for a in &t.articles {
        let file = a
            .file
            .as_deref()
            .expect("built-in articles keep their file");
        let disk = std::fs::read_to_string(assets.join(file)).unwrap();
        assert!(
            *a.text == *disk,
            "{}: compiled text differs from {file}",
            a.id
        );
    }
}

/// Events whose date (or end) is known only to the year, or only to the month.
fn imprecise(t: &Timeline) -> (Vec<&str>, Vec<&str>) {
    let mut years = Vec::new();
    let mut months = Vec::new();
    for e in &t.events {
        match e.date.precision() {
            Precision::Year => years.push(&*e.id),
            Precision::Month => months.push(&*e.id),
            Precision::Day | Precision::Time => {}
        }
    }
    (years, months)
}

/// Strings an output must never hold: a year-only or month-only date padded to a day.
fn invented_days(t: &Timeline) -> Vec<String> {
    let mut out = BTreeSet::new();
    for e in &t.events {
        for d in std::iter::once(e.date).chain(e.end) {
            match d.precision() {
                Precision::Year => {
                    out.insert(format!("{}-01-01", d.year));
                    out.insert(format!("{}-01", d.year));
                }
                Precision::Month => {
                    out.insert(format!("{d}-01"));
                }
                Precision::Day | Precision::Time => {}
            }
        }
    }
    // A padded form that is also a real date in the data is not an invention.
    for e in &t.events {
        out.remove(&e.date.to_string());
    }
    for a in &t.articles {
        if let Some(p) = a.published {
            out.remove(&p.to_string());
        }
    }
    out.into_iter().collect()
}

fn assert_no_invented_days(what: &str, output: &str, t: &Timeline) {
    for padded in invented_days(t) {
        // Only dates as whole tokens: "2021-01" must not match inside "2021-01-xx" text.
        let found = output.match_indices(&padded).any(|(i, _)| {
            let after = output[i + padded.len()..].chars().next();
            !matches!(after, Some(c) if c.is_ascii_digit() || c == '-')
        });
        assert!(
            !found,
            "{what} shows {padded}, a precision the data does not have"
        );
    }
}

#[test]
fn a_year_only_date_stays_year_only_in_list_show_and_export() {
    let t = builtin();
    let (years, months) = imprecise(&t);
    assert!(years.contains(&"2021-china-iran-25-year-pact"), "{years:?}");
    assert!(!months.is_empty());

    let list: Value = serde_json::from_str(&annals(&["list", "--json"])).unwrap();
    for e in list.as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let want = t.events[t.event_by_id(id).unwrap()].date.to_string();
        assert_eq!(e["date"], want.as_str(), "list --json date of {id}");
    }
    let pact = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "2021-china-iran-25-year-pact")
        .unwrap();
    assert_eq!(pact["date"], "2021");

    let show: Value =
        serde_json::from_str(&annals(&["show", "2021-china-iran-25-year-pact", "--json"])).unwrap();
    assert_eq!(show["date"], "2021");
    assert_eq!(show["end"], Value::Null);

    let export: Value = serde_json::from_str(&annals(&["export", "--format", "json"])).unwrap();
    for e in export["events"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let want = t.events[t.event_by_id(id).unwrap()].date.to_string();
        assert_eq!(e["date"], want.as_str(), "export json date of {id}");
    }

    let csv = annals(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut rows = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let want = t.events[t.event_by_id(&row[0]).unwrap()].date.to_string();
        assert_eq!(&row[1], want, "export csv date of {}", &row[0]);
        rows += 1;
    }
    assert_eq!(rows, t.events.len());

    let markdown = annals(&["export", "--format", "markdown"]);
    assert!(
        markdown.contains("- **2021** — China and Iran sign 25-year"),
        "{markdown}"
    );

    let plain_list = annals(&["list"]);
    let plain_show = annals(&["show", "2021-china-iran-25-year-pact"]);
    let cite = annals(&["cite", "2021-china-iran-25-year-pact", "--format", "json"]);
    let cite: Value = serde_json::from_str(&cite).unwrap();
    assert_eq!(cite["date"], "2021");
    for (what, output) in [
        ("list --json", serde_json::to_string(&list).unwrap()),
        ("show --json", serde_json::to_string(&show).unwrap()),
        ("export json", serde_json::to_string(&export).unwrap()),
        ("export csv", csv),
        ("export markdown", markdown),
        ("list", plain_list),
        ("show", plain_show),
    ] {
        assert_no_invented_days(what, &output, &t);
    }
}

#[test]
fn to_json_then_load_gives_the_same_timeline() {
    let t = builtin();
    let json = to_json(&t);
    let back = load_str(&json, "round-trip.json", &InlineOnly)
        .expect("an exported timeline loads")
        .timeline;
    // The export inlines article text, so only where the text came from differs.
    let mut expected = t.clone();
    for a in &mut expected.articles {
        a.file = None;
    }
    assert_eq!(back, expected);
    // Nothing else is lost: writing the reloaded timeline gives the same file.
    assert_eq!(to_json(&back), json);
}

#[test]
fn to_json_written_to_a_file_loads_back_the_same() {
    let t = builtin();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timeline.json");
    std::fs::write(&path, to_json(&t)).unwrap();
    let loaded = load_file(&path).expect("the exported file loads");
    assert!(loaded.warnings.is_empty());
    let back = loaded.timeline;
    assert_eq!(back.events, t.events);
    assert_eq!(back.actors, t.actors);
    assert_eq!(back.topics, t.topics);
    assert_eq!(back.eras, t.eras);
    assert_eq!(back.title, t.title);
    assert_eq!(back.articles.len(), t.articles.len());
    for (a, b) in back.articles.iter().zip(&t.articles) {
        assert_eq!((&a.id, &a.title, &a.outlet), (&b.id, &b.title, &b.outlet));
        assert_eq!(a.published, b.published);
        assert_eq!(a.text, b.text);
    }
}

/// README.md's key table is the program's own key table, so the two cannot drift.
#[test]
fn readme_lists_every_key_binding() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = annals::explorer::keys::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's key table differs; replace it with:\n{table}"
    );
}
