//! The lookups through the real binary: `list`, `show`, `cite`, `actors` and `topics`,
//! as text and as JSON with exactly the documented keys.

#[path = "common/cli.rs"]
mod cli;

use std::collections::{BTreeMap, BTreeSet};

use annals::data::date::PartialDate;
use annals::data::model::Timeline;
use cli::*;
use serde_json::{Value, json};

// ---------- the JSON shape ----------

const EVENT_KEYS: &[&str] = &[
    "id",
    "date",
    "end",
    "date_note",
    "headline",
    "summary",
    "actors",
    "topics",
    "sources",
    "date_basis",
];
const SOURCE_KEYS: &[&str] = &[
    "article",
    "title",
    "outlet",
    "published",
    "quote",
    "start",
    "end",
    "published_inferred",
    "published_note",
    "copy",
    "attribution",
    "caveat",
    "date_stated",
    "date_mark",
];

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Asserts the documented shape of one event, and that each source's byte range
/// slices its quote out of the article.
fn assert_event_shape(e: &Value, t: &Timeline) {
    assert_eq!(keys(e), EVENT_KEYS.iter().copied().collect(), "{e:#}");
    let id = e["id"].as_str().unwrap();
    let event = &t.events[t.event_by_id(id).expect("a known id")];
    assert_eq!(e["date"], event.date.to_string());
    assert!(e["end"].is_null() || e["end"].is_string());
    assert!(e["date_note"].is_null() || e["date_note"].is_string());
    assert_eq!(names(&e["actors"]), t.actor_names(event));
    assert_eq!(names(&e["topics"]), t.topic_names(event));
    let sources = e["sources"].as_array().unwrap();
    assert_eq!(sources.len(), event.sources.len());
    for s in sources {
        assert_eq!(keys(s), SOURCE_KEYS.iter().copied().collect(), "{s:#}");
        let article = t
            .articles
            .iter()
            .find(|a| a.id == s["article"].as_str().unwrap())
            .unwrap();
        assert_eq!(s["title"], article.title.as_str());
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&article.text[start..end], s["quote"].as_str().unwrap());
        assert!(s["outlet"].is_null() || s["outlet"].is_string());
        assert!(s["published"].is_null() || s["published"].is_string());
    }
}

#[test]
fn json_events_have_exactly_the_documented_keys() {
    let t = builtin();
    let list = ok_json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), t.events.len());
    for e in list.as_array().unwrap() {
        assert_event_shape(e, &t);
    }
    for e in ok_json(&["search", "treaty", "--json"]).as_array().unwrap() {
        assert_event_shape(e, &t);
    }
    let show = ok_json(&[
        "show",
        "2001-03-12-russia-iran-cooperation-agreement",
        "--json",
    ]);
    assert_event_shape(&show, &t);
    // `outlet` still names the original's outlet; `copy` and `attribution` say the
    // words are a copy's.
    assert_eq!(show["sources"][0]["outlet"], "Newsweek");
    assert_eq!(show["sources"][0]["published"], "2020-07");
    assert_eq!(show["sources"][0]["published_inferred"], true);
    assert_eq!(
        show["sources"][0]["copy"]["kinds"],
        json!(["republication", "paraphrase"])
    );
    assert_eq!(
        show["sources"][0]["attribution"],
        format!("{NEWSWEEK}, {NEWSWEEK_COPY}")
    );
    assert_eq!(show["sources"][0]["date_stated"], true);
    assert_eq!(show["sources"][0]["date_mark"], Value::Null);
    assert_eq!(show["date_basis"]["kind"], "stated");
    assert_eq!(
        show["date_basis"]["says"],
        json!([{"article": "newsweek-2020-iran-seeks-deals", "words": "signed on March 12, 2001"}])
    );
}

// ---------- list ----------

#[test]
fn list_shows_the_whole_chronology_by_year() {
    let t = builtin();
    let out = ok(&["list"]);
    let years: Vec<&str> = out.lines().filter(|l| l.starts_with("── ")).collect();
    let mut expected: Vec<String> = t
        .events
        .iter()
        .map(|e| format!("── {} ──", e.date.year))
        .collect();
    expected.dedup();
    assert_eq!(years, expected);
    for e in &t.events {
        assert!(out.contains(&*e.headline), "{} missing", e.id);
    }
    let json = ok_json(&["list", "--json"]);
    let want: Vec<&str> = t.events.iter().map(|e| &*e.id).collect();
    assert_eq!(ids(&json), want);
}

/// The events whose dates overlap [from, to], computed from the library.
fn overlapping(t: &Timeline, from: &str, to: &str) -> Vec<String> {
    let lo = PartialDate::parse(from).unwrap().first_moment();
    let hi = PartialDate::parse(to).unwrap().last_moment();
    t.events
        .iter()
        .filter(|e| e.date.first_moment() <= hi && e.end.unwrap_or(e.date).last_moment() >= lo)
        .map(|e| e.id.to_string())
        .collect()
}

#[test]
fn list_from_and_to_keep_events_that_overlap_the_range() {
    let t = builtin();
    for (from, to) in [
        ("2024", "2024"),
        ("2021-06", "2022-03"),
        ("2017-08-03", "2017-08-05"),
        ("2025-01-17", "2025-01-17"),
        ("2001", "2010"),
    ] {
        let got = ids(&ok_json(&["list", "--from", from, "--to", to, "--json"]));
        assert_eq!(got, overlapping(&t, from, to), "--from {from} --to {to}");
        assert!(!got.is_empty());
    }
    // A year-only event overlaps any part of its year.
    let got = ids(&ok_json(&[
        "list", "--from", "2021-06", "--to", "2021-07", "--json",
    ]));
    assert!(
        got.contains(&"2021-china-iran-25-year-pact".to_string()),
        "{got:?}"
    );
    // Open-ended.
    let from = ids(&ok_json(&["list", "--from", "2025-01-12", "--json"]));
    assert!(from.iter().all(|id| id.starts_with("2025-01")), "{from:?}");
    let to = ids(&ok_json(&["list", "--to", "2011", "--json"]));
    assert_eq!(
        to,
        [
            "2001-03-12-russia-iran-cooperation-agreement",
            "2011-syria-civil-war-russia-backs-assad"
        ]
    );
    fails(1, &["list", "--from", "2030"]);
    // One date per flag: a range, or a bad month, is an error that names the flag.
    for (flag, bad) in [("--from", "2017..2019"), ("--to", "2021-13")] {
        let err = fails(2, &["list", flag, bad]);
        assert!(err.contains(flag) && err.contains(bad), "{err}");
    }
    let err = fails(2, &["list", "--from", "2024", "--to", "2020"]);
    assert!(err.contains("--from 2024 is after --to 2020"), "{err}");
    // The same year both ways is one year, not a reversed range.
    ok(&["list", "--from", "2017-08", "--to", "2017"]);
}

/// Events naming `id` in `field` ("actors" or "topics"), from the library.
fn naming(t: &Timeline, field: &str, index: usize) -> Vec<String> {
    t.events
        .iter()
        .filter(|e| {
            if field == "actors" {
                e.actors.contains(&index)
            } else {
                e.topics.contains(&index)
            }
        })
        .map(|e| e.id.to_string())
        .collect()
}

/// `--actor NAME` finds exactly the events naming that actor, for every name and
/// alias; the same for topics. Aliases that are also words of another name reach that
/// one too, which is listed here.
#[test]
fn list_actor_and_topic_filters_find_exactly_the_named_events() {
    let t = builtin();
    // alias -> why it also reaches other names
    let overlaps: BTreeMap<&str, &str> = [
        ("exports", "Oil has the alias \"oil exports\""),
        (
            "BRI",
            "a prefix of BRICS, an alias of Multilateral organizations",
        ),
        (
            "deal",
            "\"arms deal\" and \"Iran nuclear deal\" are aliases too",
        ),
    ]
    .into();
    let mut failures = Vec::new();
    let mut check = |flag: &str, field: &str, index: usize, term: &str, exact: bool| {
        let want = naming(&t, field, index);
        let out = run(&["list", flag, term, "--json"]);
        let got = if out.status.success() {
            ids(&serde_json::from_slice(&out.stdout).unwrap())
        } else {
            Vec::new()
        };
        let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
        let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
        if !missing.is_empty() || (exact && !extra.is_empty()) {
            failures.push(format!(
                "{flag} {term:?}: missing {missing:?}, extra {extra:?}"
            ));
        }
    };
    let actors: Vec<_> = t.actors.iter().map(|a| (&a.name, &a.aliases)).collect();
    let topics: Vec<_> = t.topics.iter().map(|x| (&x.name, &x.aliases)).collect();
    for (flag, key, entries) in [("--actor", "actors", actors), ("--topic", "topics", topics)] {
        for (i, (name, aliases)) in entries.into_iter().enumerate() {
            check(flag, key, i, name, true);
            for alias in aliases {
                check(flag, key, i, alias, !overlaps.contains_key(alias.as_str()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn list_repeated_filters_must_all_hold() {
    let both = ok_json(&[
        "list",
        "--actor",
        "Putin",
        "--actor",
        "Pezeshkian",
        "--json",
    ]);
    assert!(!both.as_array().unwrap().is_empty());
    for e in both.as_array().unwrap() {
        assert!(has_actor(e, "Vladimir Putin") && has_actor(e, "Masoud Pezeshkian"));
    }
    let mixed = ok_json(&[
        "list", "--actor", "Iran", "--topic", "gas", "--from", "2025", "--json",
    ]);
    for e in mixed.as_array().unwrap() {
        assert!(has_actor(e, "Iran"));
        assert!(names(&e["topics"]).contains(&"Natural gas and pipelines"));
        assert!(e["date"].as_str().unwrap().starts_with("2025"));
    }
    fails(1, &["list", "--actor", "Khatami", "--from", "2020"]);
}

#[test]
fn list_lines_headlines_up_after_a_date_span_and_omits_empty_actor_lists() {
    let mut v = bakery();
    v["events"][0]["end"] = json!("2019");
    v["events"][1]["actors"] = json!([]);
    let mine = UserTimeline::new(&v);
    let run = annals()
        .args(["--data", &mine.path(), "list"])
        .output()
        .unwrap();
    let out = text(&run.stdout);
    let column = |headline: &str| {
        let line = out.lines().find(|l| l.contains(headline)).unwrap();
        line[..line.find(headline).unwrap()].chars().count()
    };
    assert!(out.contains("1998-05 – 2019  The bakery opens"), "{out}");
    assert_eq!(
        column("The bakery opens"),
        column("Sourdough wins"),
        "{out}"
    );
    assert_eq!(
        column("Sourdough wins"),
        column("Marta Ruiz retires"),
        "{out}"
    );
    assert!(!out.contains("[]"), "{out}");
}

// ---------- show ----------

#[test]
fn show_prints_the_event_in_full_with_byte_ranges() {
    let t = builtin();
    let e = t.events.iter().find(|e| e.date_note.is_some()).unwrap();
    let out = ok(&["show", &e.id]);
    assert_eq!(out.lines().next().unwrap(), &*e.id);
    assert!(out.contains(&*e.headline));
    assert!(out.contains(&*e.summary));
    assert!(out.contains(&format!("date: {}", e.date_note.as_ref().unwrap())));
    for s in &e.sources {
        assert!(out.contains(&format!("“{}”", s.quote())), "{out}");
        let range = format!(
            "[{}, bytes {}–{}]",
            t.articles[s.article].id, s.start, s.end
        );
        assert!(out.contains(&range), "{range} missing:\n{out}");
    }
}

#[test]
fn show_json_is_one_event() {
    let t = builtin();
    let v = ok_json(&["show", "2025-01-17-gas-pipeline-50-bcm", "--json"]);
    assert_event_shape(&v, &t);
    assert_eq!(v["sources"].as_array().unwrap().len(), 3);
}

#[test]
fn show_an_unknown_id_exits_2_and_suggests() {
    let err = fails(2, &["show", "2001-03-12"]);
    assert!(err.contains("no event has the id \"2001-03-12\""), "{err}");
    assert!(
        err.contains("2001-03-12-russia-iran-cooperation-agreement"),
        "{err}"
    );
    let err = fails(2, &["show", "nothing-like-this"]);
    assert!(err.contains("annals search"), "{err}");
    fails(2, &["show", "nothing-like-this", "--json"]);
}

// ---------- cite ----------

#[test]
fn cite_plain() {
    let out = ok(&["cite", KHATAMI]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "2001-03-12 — Putin and Khatami sign landmark Russia–Iran cooperation deal"
    );
    assert!(lines[1].starts_with("“a landmark deal") && lines[1].ends_with('”'));
    assert_eq!(lines[2], format!("— {NEWSWEEK}, {NEWSWEEK_COPY}"));
    assert_eq!(ok(&["cite", KHATAMI, "--format", "plain"]), out);
}

#[test]
fn cite_markdown() {
    let out = ok(&["cite", KHATAMI, "--format", "markdown"]);
    assert!(
        out.starts_with("**2001-03-12** — Putin and Khatami"),
        "{out}"
    );
    assert!(out.contains("\n> a landmark deal"), "{out}");
    assert!(
        out.contains(&format!("— *{NEWSWEEK}*, {NEWSWEEK_COPY}")),
        "{out}"
    );
}

#[test]
fn cite_json_and_a_chosen_source() {
    let v = ok_json(&["cite", KHATAMI, "--format", "json"]);
    let k: BTreeSet<&str> = keys(&v);
    let want: BTreeSet<&str> = [
        "id",
        "date",
        "end",
        "headline",
        "quote",
        "article",
        "title",
        "outlet",
        "published",
        "published_inferred",
        "published_note",
        "copy",
        "attribution",
        "caveat",
        "date_basis",
        "date_stated",
        "date_mark",
        "credit",
        "link",
        "group",
    ]
    .into();
    assert_eq!(k, want);
    assert_eq!(v["id"], KHATAMI);
    assert_eq!(v["article"], "newsweek-2020-iran-seeks-deals");
    assert_eq!(v["published"], "2020-07");

    let t = builtin();
    let e = &t.events[t.event_by_id("2025-01-17-gas-pipeline-50-bcm").unwrap()];
    let v = ok_json(&["cite", &e.id, "--format", "json", "--source", "2"]);
    assert_eq!(v["quote"], e.sources[1].quote());
    let out = ok(&["cite", &e.id, "--source", "3"]);
    assert!(out.contains(e.sources[2].quote()));
}

#[test]
fn cite_a_source_out_of_range_exits_2() {
    for n in ["0", "2", "99"] {
        let err = fails(2, &["cite", KHATAMI, "--source", n]);
        assert!(err.contains("--source takes 1 to 1"), "{err}");
    }
    fails(2, &["cite", "no-such-event"]);
    fails(2, &["cite", KHATAMI, "--source", "-1"]);
}

// ---------- actors and topics ----------

#[test]
fn actors_json_has_counts_and_aliases() {
    let t = builtin();
    let v = ok_json(&["actors", "--json"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), t.actors.len());
    let mut last = usize::MAX;
    for r in rows {
        let k = keys(r);
        assert!(
            k.is_subset(&["id", "name", "kind", "role", "aliases", "events"].into()),
            "{r:#}"
        );
        assert!(k.is_superset(&["id", "name", "kind", "aliases", "events"].into()));
        let i = t.actors.iter().position(|a| a.id == r["id"]).unwrap();
        let a = &t.actors[i];
        assert_eq!(r["name"], a.name.as_str());
        assert_eq!(r["kind"], a.kind.as_str());
        assert_eq!(r["role"].as_str(), a.role.as_deref());
        assert_eq!(names(&r["aliases"]), a.aliases);
        let count = r["events"].as_u64().unwrap() as usize;
        assert_eq!(count, naming(&t, "actors", i).len(), "{}", a.id);
        assert!(count <= last, "most events first");
        last = count;
    }
    let putin = rows.iter().find(|r| r["id"] == "vladimir-putin").unwrap();
    assert!(names(&putin["aliases"]).contains(&"Putin"));
}

#[test]
fn topics_json_has_counts_and_aliases() {
    let t = builtin();
    let v = ok_json(&["topics", "--json"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), t.topics.len());
    for r in rows {
        assert_eq!(keys(r), ["id", "name", "aliases", "events"].into(), "{r:#}");
        let i = t.topics.iter().position(|x| x.id == r["id"]).unwrap();
        assert_eq!(names(&r["aliases"]), t.topics[i].aliases);
        assert_eq!(
            r["events"].as_u64().unwrap() as usize,
            naming(&t, "topics", i).len()
        );
    }
}

#[test]
fn actors_and_topics_as_text() {
    let out = ok(&["actors"]);
    let iran = out.lines().next().unwrap();
    assert!(iran.trim_start().starts_with(char::is_numeric), "{out}");
    assert!(
        out.contains("Vladimir Putin — President of Russia"),
        "{out}"
    );
    assert!(out.contains("aka Putin"), "{out}");
    let out = ok(&["topics"]);
    assert!(out.contains("Natural gas and pipelines"), "{out}");
    assert!(out.contains("aka gas, pipeline"), "{out}");
}
