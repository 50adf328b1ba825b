//! Fuzzing on the stable toolchain: property tests that throw random input at the
//! loader and the query, each held to what must always be true, and the query to a
//! naive scan that states its meaning plainly. Every harness runs a few thousand
//! cases in `cargo test`; `bash benches/fuzz.sh` runs them long and reports speed.
//! (The input decoder's and the SSH exec line's harnesses sit beside their code.)

use annals::data::load::{InlineOnly, load_str};
use annals::data::model::Timeline;
use annals::query::matcher::{Matcher, Selection};
use annals::query::parse::Query;
use proptest::prelude::*;

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

/// A small valid timeline, the seed the byte mutations start from.
const SEED: &str = r#"{"title":"t","actors":[{"id":"putin","name":"Vladimir Putin","kind":"person","aliases":["Putin"]}],
"topics":[{"id":"energy","name":"Energy"}],
"articles":[{"id":"a","title":"A","text":"Putin met Khatami on March 12, 2001, in Moscow."}],
"eras":[{"id":"x","name":"X","start":"2000","end":"2004"}],
"events":[{"id":"e1","date":"2001-03-12","end":"2001-03","headline":"Putin and Khatami","summary":"They met.",
"actors":["putin"],"topics":["energy"],"sources":[{"article":"a","quote":"met Khatami"}]}]}"#;

/// What every outcome of loading must be: a timeline, or an error that says where.
fn check_outcome(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(()); // the loader takes text; not-UTF-8 files are refused before it
    };
    match load_str(text, "fuzz.json", &InlineOnly) {
        Ok(loaded) => {
            prop_assert!(!loaded.timeline.events.is_empty() || text.contains("\"events\""));
        }
        Err(e) => {
            prop_assert!(!e.problems.is_empty(), "an error with no problem: {e}");
            for p in &e.problems {
                prop_assert!(!p.place.is_empty(), "a problem with no place: {p}");
            }
            let shown = e.to_string();
            prop_assert!(!shown.contains('\u{1b}'), "a raw escape in: {shown:?}");
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let byte = prop_oneof![
        Just(b'"'),
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b','),
        Just(b':'),
        Just(b'\\'),
        Just(0x1b),
        Just(b'-'),
        Just(b'0'),
        any::<u8>()
    ];
    let edit = prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Replace(i, b)),
    ];
    proptest::collection::vec(edit, 1..8)
}

proptest! {
    #![proptest_config(cases(2000))]

    /// The valid seed with a few bytes changed: never a panic, and an error always
    /// says where.
    #[test]
    fn the_loader_survives_any_edit_of_a_valid_timeline(edits in edits()) {
        let mut bytes = SEED.as_bytes().to_vec();
        for e in edits {
            let n = bytes.len().max(1);
            match e {
                Edit::Insert(i, b) => bytes.insert(i % (n + 1).min(bytes.len() + 1), b),
                Edit::Delete(i) if !bytes.is_empty() => { bytes.remove(i % n); }
                Edit::Replace(i, b) if !bytes.is_empty() => bytes[i % n] = b,
                _ => {}
            }
        }
        check_outcome(&bytes)?;
    }

    /// JSON of any shape, with the field names a timeline uses: wrong types, missing
    /// and extra fields, deep nesting.
    #[test]
    fn the_loader_survives_any_json_shape(v in json_value(4)) {
        check_outcome(serde_json::to_string(&v).unwrap().as_bytes())?;
    }
}

fn json_value(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let key = prop_oneof![
        Just("title"),
        Just("events"),
        Just("articles"),
        Just("actors"),
        Just("topics"),
        Just("eras"),
        Just("id"),
        Just("date"),
        Just("end"),
        Just("headline"),
        Just("summary"),
        Just("sources"),
        Just("article"),
        Just("quote"),
        Just("text"),
        Just("name"),
        Just("kind"),
        Just("start"),
        Just("x")
    ]
    .prop_map(String::from);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9 \\-]{0,12}".prop_map(Value::String),
        Just(Value::String("2001-03-12".into())),
    ];
    leaf.prop_recursive(depth, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

// ---------- the query against a naive scan ----------

const WORDS: [&str; 8] = [
    "gas", "gasket", "pipe", "pipeline", "treaty", "tread", "oil", "moscow",
];

#[derive(Debug, Clone)]
struct SmallEvent {
    year: i32,
    headline: Vec<usize>,
    summary: Vec<usize>,
}

fn small_timeline() -> impl Strategy<Value = Vec<SmallEvent>> {
    let words = || proptest::collection::vec(0..WORDS.len(), 1..4);
    proptest::collection::vec(
        (2000..2010i32, words(), words()).prop_map(|(year, headline, summary)| SmallEvent {
            year,
            headline,
            summary,
        }),
        1..12,
    )
}

fn text(ws: &[usize]) -> String {
    ws.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")
}

fn build(events: &[SmallEvent]) -> Timeline {
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.year);
    let article: String = sorted
        .iter()
        .map(|e| format!("{}. ", text(&e.summary)))
        .collect();
    let events: Vec<serde_json::Value> = sorted
        .iter()
        .enumerate()
        .map(|(i, e)| {
            serde_json::json!({
                "id": format!("e{i}"), "date": e.year.to_string(),
                "headline": text(&e.headline), "summary": text(&e.summary),
                "sources": [{"article": "a", "quote": text(&e.summary)}]
            })
        })
        .collect();
    let json = serde_json::json!({
        "title": "t", "actors": [], "topics": [],
        "articles": [{"id": "a", "title": "A", "text": article}],
        "events": events,
    });
    load_str(&json.to_string(), "small", &InlineOnly)
        .expect("a generated timeline loads")
        .timeline
}

/// What a query means, scanned plainly: every term must hold; a word term holds
/// when a word of the headline, summary or quote begins with it (terms of up to
/// three letters, which match by prefix only); `!` negates; a year range holds
/// when the event's year is inside it.
fn naive(t: &Timeline, terms: &[(bool, NaiveTerm)]) -> Vec<usize> {
    (0..t.events.len())
        .filter(|&i| {
            let e = &t.events[i];
            let words: Vec<&str> = e
                .headline
                .split(' ')
                .chain(e.summary.split(' '))
                .chain(e.sources.iter().flat_map(|s| s.quote().split(' ')))
                .collect();
            terms.iter().all(|(negated, term)| {
                let holds = match term {
                    NaiveTerm::Prefix(p) => words.iter().any(|w| w.starts_with(p.as_str())),
                    NaiveTerm::Years(a, b) => (*a..=*b).contains(&e.date.year),
                };
                holds != *negated
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
enum NaiveTerm {
    Prefix(String),
    Years(i64, i64),
}

fn query_terms() -> impl Strategy<Value = Vec<(bool, NaiveTerm)>> {
    let prefix = (0..WORDS.len(), 1..=3usize)
        .prop_map(|(w, n)| NaiveTerm::Prefix(WORDS[w].chars().take(n).collect()));
    let years = (2000..2010i64, 0..4i64).prop_map(|(a, d)| NaiveTerm::Years(a, a + d));
    let term = prop_oneof![3 => prefix, 1 => years];
    proptest::collection::vec((proptest::bool::weighted(0.2), term), 1..4)
}

proptest! {
    #![proptest_config(cases(2000))]

    #[test]
    fn the_filter_matches_what_a_naive_scan_finds(
        events in small_timeline(),
        terms in query_terms(),
    ) {
        let t = build(&events);
        let typed: Vec<String> = terms
            .iter()
            .map(|(neg, term)| {
                let body = match term {
                    NaiveTerm::Prefix(p) => p.clone(),
                    NaiveTerm::Years(a, b) => format!("{a}..{b}"),
                };
                if *neg { format!("!{body}") } else { body }
            })
            .collect();
        let query = Query::parse_limited(&typed.join(" ")).unwrap();
        let mut m = Matcher::new(&t);
        let selection = Selection { query, ..Default::default() };
        let found: Vec<usize> = m.evaluate(&selection).iter().collect();
        prop_assert_eq!(found, naive(&t, &terms), "query {:?}", typed);
    }

    /// Any text typed as a query: parsing and matching never panic, and a query
    /// within the limits is never refused.
    #[test]
    fn any_typed_query_is_parsed_and_matched_without_panic(typed in "\\PC{0,80}") {
        let t = build(&[SmallEvent { year: 2001, headline: vec![0, 2], summary: vec![4] }]);
        let mut m = Matcher::new(&t);
        if let Ok(query) = Query::parse_limited(&typed) {
            let selection = Selection { query, ..Default::default() };
            let _ = m.evaluate(&selection);
        }
    }
}

// ---------- a file read piece by piece loads as the same bytes read whole ----------

/// Loads `bytes` twice: from a file, which is read piece by piece, and whole
/// from memory. The two must agree: the same timeline and warnings (in any
/// order), or both an error with the same problems.
fn same_either_way(bytes: &[u8], file_name: &str) -> Result<(), TestCaseError> {
    use annals::data::load::{load_bytes, load_path};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file_name);
    std::fs::write(&path, bytes).unwrap();
    let name = path.display().to_string();
    let streamed = load_path(&path, None, 1 << 20);
    let whole = load_bytes(bytes.to_vec(), &name, Some(dir.path().to_path_buf()), None);
    let sorted = |ps: &[annals::data::load::problems::Problem]| {
        let mut v: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
        v.sort();
        v
    };
    match (streamed, whole) {
        (Ok(s), Ok(w)) => {
            prop_assert!(s.timeline == w.timeline, "the timelines differ");
            let listed =
                |l: &annals::data::load::Loaded| l.warnings.iter().cloned().collect::<Vec<_>>();
            prop_assert_eq!(sorted(&listed(&s)), sorted(&listed(&w)));
            prop_assert_eq!(s.warnings.len(), w.warnings.len());
        }
        (Err(s), Err(w)) => {
            if s.more == 0 && w.more == 0 {
                prop_assert_eq!(sorted(&s.problems), sorted(&w.problems));
            }
            for p in &s.problems {
                prop_assert!(!p.place.is_empty(), "a problem with no place: {}", p);
            }
            let shown = s.to_string();
            prop_assert!(!shown.contains('\u{1b}'), "a raw escape in: {:?}", shown);
        }
        (s, w) => prop_assert!(false, "piece by piece: {:?}\nwhole: {:?}", s.err(), w.err()),
    }
    Ok(())
}

fn edited(seed: &[u8], edits: Vec<Edit>) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for e in edits {
        let n = bytes.len().max(1);
        match e {
            Edit::Insert(i, b) => bytes.insert(i % (n + 1).min(bytes.len() + 1), b),
            Edit::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % n);
            }
            Edit::Replace(i, b) if !bytes.is_empty() => bytes[i % n] = b,
            _ => {}
        }
    }
    bytes
}

/// The seed with its events before the records they name, as a hand-made file
/// may have them: they are held until the end of the file.
const SEED_EVENTS_FIRST: &str = r#"{"events":[{"id":"e1","date":"2001-03-12","headline":"Putin and Khatami","summary":"They met.",
"actors":["putin"],"topics":["energy"],"sources":[{"article":"a","quote":"met Khatami"}]},
{"id":"e2","date":"2000","headline":"Before","sources":[{"article":"a","quote":"Moscow"}]}],
"title":"t","actors":[{"id":"putin","name":"Vladimir Putin","kind":"person","aliases":["Putin"]}],
"topics":[{"id":"energy","name":"Energy"}],
"articles":[{"id":"a","title":"A","text":"Putin met Khatami on March 12, 2001, in Moscow."}]}"#;

const TIMELINEJS_SEED: &str = r#"{"title": {"text": {"headline": "Town", "text": "<p>Ours</p>"}},
 "events": [{"start_date": {"year": "1901", "month": 5, "day": 3, "hour": 14}, "text": {"headline": "Market", "text": "<p>Stalls &amp; carts</p>"}, "group": "Trade"},
  {"start_date": {"year": -44}, "end_date": {"year": -43}, "text": {"headline": "Ides"}, "unique_id": "ides", "media": {"url": "https://example.org/a.jpg", "credit": "Me"}},
  {"text": {"headline": "No date"}},
  {"start_date": {"year": 1901}, "text": {"headline": "Market"}}],
 "eras": [{"start_date": {"year": 1850}, "end_date": {"year": 1914}, "text": {"headline": "Railways"}}],
 "scale": "human"}"#;

const CSV_SEED: &str = "Year,Month,Day,Time,End Year,Headline,Text,Media,Type,Group\n\
,,,,,Our town,\"<p>Written here.</p>\",,title,\n\
\"-15,000\",,,,,Cave paintings,First art,,,Art\n\
1850,,,,1914,Railway age,,,era,\n\
1901,5,3,2:30 PM,,Market opens,\"<p>Stalls &amp; carts,\nall day</p>\",https://example.org/m.jpg,,Trade\n\
1901,13,,,,Bad month,,,,\n\
2024,6,19,14:30,,Afternoon,,,,\n";

proptest! {
    #![proptest_config(cases(500))]

    #[test]
    fn annals_json_loads_the_same_piece_by_piece(edits in edits()) {
        same_either_way(&edited(SEED.as_bytes(), edits), "t.json")?;
    }

    #[test]
    fn annals_json_with_events_first_loads_the_same_piece_by_piece(edits in edits()) {
        same_either_way(&edited(SEED_EVENTS_FIRST.as_bytes(), edits), "t.json")?;
    }

    #[test]
    fn timelinejs_json_loads_the_same_piece_by_piece(edits in edits()) {
        same_either_way(&edited(TIMELINEJS_SEED.as_bytes(), edits), "t.json")?;
    }

    #[test]
    fn timelinejs_csv_loads_the_same_piece_by_piece(edits in edits()) {
        same_either_way(&edited(CSV_SEED.as_bytes(), edits), "t.csv")?;
    }

    #[test]
    fn any_json_shape_loads_the_same_piece_by_piece(v in json_value(4)) {
        same_either_way(serde_json::to_string_pretty(&v).unwrap().as_bytes(), "t.json")?;
    }
}

// ---------- TimelineJS's HTML, as the terminal shows it ----------

fn html_piece() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<ul><li>".to_string()),
        Just("</li></ul>".to_string()),
        Just("<a href=\"https://example.org/x\">".to_string()),
        Just("</a>".to_string()),
        Just("<br>".to_string()),
        Just("&amp;".to_string()),
        Just("&#x1b;".to_string()),
        Just("&#27;[31m".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{9b}".to_string()),
        Just("<script>".to_string()),
        Just("<".to_string()),
        Just("&".to_string()),
        "[a-zé€ ]{0,12}",
        "\\PC{0,6}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(cases(2000))]

    /// Any HTML a TimelineJS slide may hold, in any of its fields: never a
    /// panic, and no control character (an escape sequence's start, raw or as an
    /// entity) in what the terminal is given.
    #[test]
    fn any_html_reaches_the_terminal_without_controls(html in html_piece(), width in 1usize..120) {
        use annals::data::html::to_terminal;
        let no_controls = |text: &str| !text.chars().any(|c| c.is_control() && c != '\n');
        let shown = to_terminal(&html, width);
        prop_assert!(no_controls(&shown), "{:?} from {:?}", shown, html);
        let slide = serde_json::json!({"events": [{
            "start_date": {"year": 2001},
            "text": {"headline": html, "text": html},
            "group": html, "display_date": html,
            "media": {"url": "https://example.org/m.jpg", "caption": html, "credit": html}}]});
        let loaded = annals::data::load::load_bytes(
            slide.to_string().into_bytes(), "t.json", None, None);
        if let Ok(loaded) = loaded {
            let e = &loaded.timeline.events[0];
            for field in [Some(&*e.headline), e.group.as_deref(), e.display_date.as_deref()].into_iter().flatten() {
                prop_assert!(no_controls(field) && !field.contains('\n'), "{:?} from {:?}", field, html);
            }
            let text = to_terminal(e.text.as_deref().unwrap_or(""), width);
            prop_assert!(no_controls(&text), "{:?} from {:?}", text, html);
        }
    }
}
