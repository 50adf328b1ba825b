//! Safe to cite, over the whole built-in chronology: no citation or attribution, in
//! any format, gives a copy's words to the original outlet; every date the cited
//! article does not state is marked; every caveat travels with its quote; and the
//! data behind these claims (date words, copy signs) is in the seed files verbatim.

use std::collections::BTreeMap;
use std::path::PathBuf;

use annals::data::cite::{CiteFormat, citation, date_mark, date_stated};
use annals::data::date::Precision;
use annals::data::load::load_builtin;
use annals::data::model::{DateBasisKind, Timeline};
use assert_cmd::Command;
use serde_json::Value;

fn builtin() -> Timeline {
    load_builtin().unwrap().timeline
}

fn annals(args: &[&str]) -> String {
    let out = Command::cargo_bin("annals")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "annals {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&annals(args)).unwrap()
}

/// Every place in `text` where a copied article's outlet is named without being
/// called a copy of its report ("Fox News" alone, or "Fox News, 2025-01").
fn outlets_named_alone(t: &Timeline, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for a in t.articles.iter().filter(|a| a.copy.is_some()) {
        let outlet = a
            .outlet
            .as_deref()
            .expect("the built-in copies name their outlet");
        let language = a.copy.as_ref().unwrap().language.as_deref();
        let lead = match language {
            Some(l) => format!("copy of a {l}-language "),
            None => "copy of a ".to_string(),
        };
        for (at, _) in text.match_indices(outlet) {
            // Between curly quote marks are the article's own words ("told Newsweek").
            let opened = text[..at].matches('“').count() > text[..at].matches('”').count();
            if opened {
                continue;
            }
            let called_a_copy =
                text[..at].ends_with(&lead) && text[at + outlet.len()..].starts_with(" report");
            if !called_a_copy {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(0, |(i, _)| i);
                found.push(text[from..(at + outlet.len())].to_string());
            }
        }
    }
    found
}

fn assert_no_outlet_alone(t: &Timeline, what: &str, text: &str) {
    let alone = outlets_named_alone(t, text);
    assert!(
        alone.is_empty(),
        "{what} names an outlet for a copy's words: {alone:#?}"
    );
}

/// Every event, every source: the citation in each format, as `annals cite`, `y`
/// and `Y` give it.
fn every_citation(t: &Timeline) -> Vec<(String, usize, CiteFormat, String)> {
    let mut all = Vec::new();
    for e in &t.events {
        for i in 0..e.sources.len() {
            for f in [CiteFormat::Plain, CiteFormat::Markdown, CiteFormat::Json] {
                all.push((e.id.to_string(), i, f, citation(t, e, i, f)));
            }
        }
    }
    all
}

#[test]
fn no_citation_gives_a_copys_words_to_the_outlet() {
    let t = builtin();
    let mut copies = 0;
    for (id, i, format, text) in every_citation(&t) {
        let e = &t.events[t.event_by_id(&id).unwrap()];
        let article = &t.articles[e.sources[i].article];
        let what = format!("cite {id} --source {} --format {format:?}", i + 1);
        if format == CiteFormat::Json {
            let v: Value = serde_json::from_str(&text).unwrap();
            // `outlet` names the original's outlet; what is printed is the attribution.
            for key in ["attribution", "date_mark"] {
                assert_no_outlet_alone(&t, &what, v[key].as_str().unwrap_or(""));
            }
            assert_eq!(v["copy"].is_null(), article.copy.is_none(), "{what}");
        } else {
            assert_no_outlet_alone(&t, &what, &text);
        }
        if article.copy.is_some() {
            copies += 1;
            assert!(text.contains("copy of a"), "{what}: {text}");
        }
    }
    assert!(copies > 100, "only {copies} citations of copies checked");
}

#[test]
fn the_cli_cites_as_the_library_does_for_every_source_and_format() {
    // `annals cite` prints what `citation` gives: spot the events with the most sources.
    let t = builtin();
    for id in [
        "2025-01-17-putin-pezeshkian-sign-treaty",
        "2022-02-24-russia-invades-ukraine",
        "2020-07-iran-china-draft-deal-leak",
    ] {
        let e = &t.events[t.event_by_id(id).unwrap()];
        for i in 0..e.sources.len() {
            let n = (i + 1).to_string();
            for (name, format) in [
                ("plain", CiteFormat::Plain),
                ("markdown", CiteFormat::Markdown),
                ("json", CiteFormat::Json),
            ] {
                let out = annals(&["cite", id, "--source", &n, "--format", name]);
                assert_eq!(
                    out.trim_end(),
                    citation(&t, e, i, format),
                    "{id} {n} {name}"
                );
            }
        }
    }
}

#[test]
fn show_list_search_and_every_export_attribute_copies_as_copies() {
    let t = builtin();
    for e in &t.events {
        let show = annals(&["show", &e.id]);
        // Summaries and notes are our own words ("tells Newsweek"); check the
        // attribution and date lines.
        let attributions: String = show
            .lines()
            // A source's lines are indented by 14 ("— Title…", "date: …"); the
            // event's own date note, by 12.
            .filter(|l| l.starts_with("              — ") || l.starts_with("              date:"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_no_outlet_alone(&t, &format!("show {}", e.id), &attributions);
    }
    let search = json(&["search", "iran", "--limit", "100", "--json"]);
    for (what, events) in [
        ("list --json", json(&["list", "--json"])),
        ("search --json", search),
    ] {
        for e in events.as_array().unwrap() {
            for s in e["sources"].as_array().unwrap() {
                for key in ["attribution", "date_mark"] {
                    assert_no_outlet_alone(&t, what, s[key].as_str().unwrap_or(""));
                }
                assert!(
                    !s["copy"].is_null()
                        || s["attribution"]
                            .as_str()
                            .unwrap()
                            .contains(s["title"].as_str().unwrap())
                );
            }
        }
    }
    let csv = annals(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        assert_no_outlet_alone(&t, "export csv articles", &row[8]);
        assert_no_outlet_alone(&t, "export csv date_marks", &row[11]);
    }
    let markdown = annals(&["export", "--format", "markdown"]);
    let sources: String = markdown
        .lines()
        .filter(|l| l.starts_with("  > — ") || l.starts_with("  > *Date:*"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_no_outlet_alone(&t, "export markdown", &sources);
    // The JSON export keeps the copy, so a reloaded timeline cites the same way.
    let export = json(&["export", "--format", "json"]);
    for a in export["articles"].as_array().unwrap() {
        let builtin = t.articles.iter().find(|b| b.id == a["id"]).unwrap();
        assert_eq!(a["copy"].is_null(), builtin.copy.is_none(), "{}", a["id"]);
        assert_eq!(
            a["published_inferred"].as_bool().unwrap_or(false),
            builtin.published_inferred
        );
    }
}

#[test]
fn the_three_copies_are_declared_as_what_they_are() {
    let t = builtin();
    let article = |id: &str| t.articles.iter().find(|a| a.id == id).unwrap();
    let phrase = |id: &str| annals::data::cite::copy_phrase(article(id)).unwrap_or_default();
    assert_eq!(
        phrase("fox-news-2025-partnership-treaty"),
        "a machine-paraphrased copy of a Fox News report"
    );
    assert_eq!(
        phrase("newsweek-2020-iran-seeks-deals"),
        "a republished, paraphrased copy of a Newsweek report"
    );
    assert_eq!(
        phrase("stern-dpa-2025-strategic-partnership"),
        "a machine-translated, republished copy of a German-language Stern (dpa) report"
    );
    // The other two are no one's copy, and say no outlet they cannot name.
    assert!(article("iran-china-agreements-2023").copy.is_none());
    assert!(article("russia-iran-weapons-column-2017").copy.is_none());
    // Every publication date is worked out: none of the five texts carries one.
    for a in &t.articles {
        assert!(
            a.published_inferred,
            "{}: published is not marked inferred",
            a.id
        );
        assert!(
            a.published_note.is_some(),
            "{}: no note on how published was inferred",
            a.id
        );
        assert!(
            annals::data::cite::article_label(
                &t,
                t.articles.iter().position(|b| b.id == a.id).unwrap()
            )
            .ends_with("(date inferred)")
        );
    }
    // 16 or 17 January both fit the Fox piece, and the dpa report gives no day.
    for id in [
        "fox-news-2025-partnership-treaty",
        "stern-dpa-2025-strategic-partnership",
    ] {
        assert_eq!(
            article(id).published.unwrap().precision(),
            Precision::Month,
            "{id}"
        );
    }
    // No note still treats those inferred dates as established.
    for e in &t.events {
        let note = e.date_note.as_deref().unwrap_or("");
        assert!(!note.contains("piece of 16 January"), "{}: {note}", e.id);
        assert!(!note.contains("report of 17 January"), "{}: {note}", e.id);
    }
}

/// The seed files, by article id, read from disk rather than through the loader.
fn seed_texts() -> BTreeMap<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("assets/timeline.json")).unwrap())
            .unwrap();
    raw["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let file = root.join("assets").join(a["file"].as_str().unwrap());
            (
                a["id"].as_str().unwrap().to_string(),
                std::fs::read_to_string(file).unwrap(),
            )
        })
        .collect()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[test]
fn every_builtin_date_has_a_basis_whose_words_are_in_the_article() {
    let t = builtin();
    let texts = seed_texts();
    let mut kinds = BTreeMap::new();
    for e in &t.events {
        let b = e
            .date_basis
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no date_basis", e.id));
        *kinds.entry(b.kind.as_str()).or_insert(0) += 1;
        for w in &b.says {
            let id = &t.articles[w.article].id;
            assert!(
                texts[id].contains(&w.words),
                "{}: {:?} is not in {id}",
                e.id,
                w.words
            );
        }
        match b.kind {
            DateBasisKind::Stated => {
                // "Stated" is true: the words hold the date at its precision.
                let words = &b.says[0].words;
                assert!(
                    words.contains(&e.date.year.to_string()),
                    "{}: {words:?}",
                    e.id
                );
                if let Some(m) = e.date.month {
                    assert!(
                        words.contains(MONTHS[m as usize - 1]),
                        "{}: {words:?}",
                        e.id
                    );
                }
                if let Some(d) = e.date.day {
                    assert!(words.contains(&format!(" {d},")), "{}: {words:?}", e.id);
                }
                assert!(
                    e.sources.iter().any(|s| s.article == b.says[0].article),
                    "{}",
                    e.id
                );
            }
            DateBasisKind::WorkedOut => assert!(!b.says.is_empty(), "{}", e.id),
            DateBasisKind::Record => {
                assert!(b.reference.is_some() || !b.says.is_empty(), "{}", e.id)
            }
        }
    }
    // 17 dates come from the record, as the read-through found.
    assert_eq!(kinds.get("record"), Some(&17), "{kinds:?}");
}

#[test]
fn the_outside_dates_carry_the_references_the_read_through_gave() {
    let t = builtin();
    for (id, reference) in [
        (
            "2020-07-16-putin-rouhani-phone-call",
            "Kremlin readout, “Telephone conversation with President of Iran Hassan Rouhani”, 16 July 2020",
        ),
        (
            "2020-07-21-zarif-moscow-treaty-renewal",
            "reports of 21 July 2020 (e.g. IFP News)",
        ),
        (
            "2017-08-02-trump-signs-sanctions-law",
            "White House signing statement, 2 August 2017",
        ),
        ("2017-08-05-rouhani-second-term", "Iran Daily and others"),
        ("2022-06-iran-applies-to-join-brics", "Mehr News, TRT World"),
        (
            "2024-06-18-blinken-russia-in-desperation",
            "reports of 18 June 2024 (with Stoltenberg in Washington)",
        ),
        (
            "2024-09-10-blinken-iran-missiles-to-russia",
            "ITV, Al-Monitor",
        ),
        (
            "2024-11-russia-iran-link-payment-systems",
            "Valdai Club and others",
        ),
        (
            "2025-01-kellogg-maximum-pressure",
            "Reuters, 11–12 January 2025",
        ),
        (
            "2025-01-sullivan-adversaries-weaker",
            "CNN, 12 January 2025",
        ),
    ] {
        let e = &t.events[t.event_by_id(id).unwrap()];
        let b = e.date_basis.as_ref().unwrap();
        assert_eq!(b.kind, DateBasisKind::Record, "{id}");
        assert_eq!(b.reference.as_deref(), Some(reference), "{id}");
    }
    let cite = annals(&["cite", "2020-07-16-putin-rouhani-phone-call"]);
    assert!(
        cite.starts_with("2020-07-16 (date: Kremlin readout, “Telephone conversation with President of Iran Hassan Rouhani”, 16 July 2020; the article says “in a conversation Thursday”) — "),
        "{cite}"
    );
}

#[test]
fn every_date_the_cited_article_does_not_state_is_marked_in_every_format() {
    let t = builtin();
    let (mut marked, mut unmarked) = (0, 0);
    for (id, i, format, text) in every_citation(&t) {
        let e = &t.events[t.event_by_id(&id).unwrap()];
        let stated = date_stated(e, i).expect("every built-in event has a date basis");
        let what = format!("cite {id} --source {} --format {format:?}", i + 1);
        let mark = date_mark(&t, e, i);
        assert_eq!(mark.is_none(), stated, "{what}");
        let first = text.lines().next().unwrap();
        match format {
            CiteFormat::Plain => assert_eq!(
                first.starts_with(&format!("{} (date: ", e.date)),
                !stated,
                "{what}: {first}"
            ),
            CiteFormat::Markdown => assert_eq!(
                first.starts_with(&format!("**{} (date: ", e.date)),
                !stated,
                "{what}: {first}"
            ),
            CiteFormat::Json => {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["date_stated"], stated, "{what}");
                assert_eq!(v["date_mark"].is_null(), stated, "{what}");
            }
        }
        if stated { unmarked += 1 } else { marked += 1 }
    }
    assert!(
        marked > 150 && unmarked > 10,
        "{marked} marked, {unmarked} not"
    );
    // `--source N` answers for source N: the signing is worked out from the Fox
    // piece, so the dpa report's citation says so and the Fox one does not repeat it.
    let id = "2025-01-17-putin-pezeshkian-sign-treaty";
    let dpa = annals(&["cite", id, "--source", "1"]);
    assert!(dpa.starts_with("2025-01-17 (date: worked out from a machine-paraphrased copy of a Fox News report, 2025-01 (date inferred), which says “On Friday”; the article says “During his visit to Moscow”) — "), "{dpa}");
    let fox = annals(&["cite", id, "--source", "4"]);
    assert!(
        fox.starts_with("2025-01-17 (date: worked out; the article says “On Friday”) — "),
        "{fox}"
    );
}

#[test]
fn every_caveat_appears_with_its_quote_wherever_it_is_shown() {
    let t = builtin();
    let list = json(&["list", "--json"]);
    let csv = annals(&["export", "--format", "csv"]);
    let csv_rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let markdown = annals(&["export", "--format", "markdown"]);
    let export = json(&["export", "--format", "json"]);
    let mut caveats = 0;
    for (k, e) in t.events.iter().enumerate() {
        let show = annals(&["show", &e.id]);
        for (i, s) in e.sources.iter().enumerate() {
            let Some(caveat) = &s.caveat else { continue };
            caveats += 1;
            let what = format!("{} source {}", e.id, i + 1);
            for format in [CiteFormat::Plain, CiteFormat::Markdown] {
                let cite = citation(&t, e, i, format);
                let md = annals::data::cite::md(caveat);
                assert!(
                    cite.contains(caveat) || cite.contains(md.as_ref()),
                    "{what} {format:?}: {cite}"
                );
            }
            let cite: Value = serde_json::from_str(&citation(&t, e, i, CiteFormat::Json)).unwrap();
            assert_eq!(cite["caveat"], caveat.as_str(), "{what}");
            // show prints the caveat right after the quote's attribution.
            let quote_at = show.find(s.quote()).unwrap();
            assert!(
                show[quote_at..].contains(&format!("caveat: {caveat}")),
                "{what}:\n{show}"
            );
            assert_eq!(list[k]["sources"][i]["caveat"], caveat.as_str(), "{what}");
            assert_eq!(
                csv_rows[k][10].split('\n').nth(i),
                Some(caveat.as_str()),
                "{what}"
            );
            assert!(
                markdown.contains(&format!("  > *Caveat:* {}", annals::data::cite::md(caveat))),
                "{what}"
            );
            assert_eq!(
                export["events"][k]["sources"][i]["caveat"],
                caveat.as_str(),
                "{what}"
            );
        }
    }
    assert!(caveats >= 20, "only {caveats} caveats");
}

/// Phrases a summary quotes in single quotes ("renders it as 'most strain'"): an
/// opening mark follows a space or bracket, a closing one comes before no letter,
/// so "Russia's" is no quote.
fn single_quoted(summary: &str) -> Vec<&str> {
    let mut phrases = Vec::new();
    let mut rest = summary;
    let mut before = ' ';
    while let Some(at) = rest.find('\'') {
        let prev = rest[..at].chars().last().unwrap_or(before);
        let after = &rest[at + 1..];
        if prev.is_whitespace() || prev == '(' {
            let close = after
                .char_indices()
                .find(|&(i, c)| c == '\'' && !after[i + 1..].starts_with(char::is_alphanumeric));
            if let Some((end, _)) = close {
                phrases.push(&after[..end]);
                rest = &after[end + 1..];
                before = '\'';
                continue;
            }
        }
        rest = after;
        before = '\'';
    }
    phrases
}

#[test]
fn single_quoted_phrases_are_told_from_apostrophes() {
    assert_eq!(
        single_quoted(
            "Russia's pact; the paraphrase says 'help pact' and Kim the 'supreme chief'."
        ),
        ["help pact", "supreme chief"]
    );
}

#[test]
fn what_a_summary_says_about_a_copys_quote_is_a_caveat_on_that_quote() {
    let t = builtin();
    let mut tied = 0;
    for e in &t.events {
        for phrase in single_quoted(&e.summary) {
            for s in &e.sources {
                // A phrase the article itself puts in quote marks is a term, not a garble.
                let the_articles_term = s.quote().contains(&format!("“{phrase}”"));
                if t.articles[s.article].copy.is_none()
                    || !s.quote().contains(phrase)
                    || the_articles_term
                {
                    continue;
                }
                let caveat = s.caveat.as_deref().unwrap_or("");
                assert!(
                    caveat.contains(phrase),
                    "{}: the summary's '{phrase}' is not in the caveat of “{}”",
                    e.id,
                    s.quote()
                );
                tied += 1;
            }
        }
    }
    assert!(tied >= 10, "only {tied} phrases tied to caveats");
}

#[test]
fn the_doubts_the_read_through_found_travel_with_their_quotes() {
    let t = builtin();
    let caveat = |id: &str, quote: &str| {
        let e = &t.events[t.event_by_id(id).unwrap()];
        let s = e
            .sources
            .iter()
            .find(|s| s.quote().contains(quote))
            .unwrap();
        s.caveat.clone().unwrap_or_default()
    };
    assert!(caveat("2020-07-iran-china-draft-deal-leak", "$400 million").contains("$400 billion"));
    assert!(
        caveat(
            "2017-08-02-trump-signs-sanctions-law",
            "Russia, Iran and North Korea"
        )
        .contains("“China, Russia, and North Korea”")
    );
    assert!(caveat("2021-iran-joins-sco", "permanent member").contains("July 2023"));
    let out = annals(&[
        "cite",
        "2020-07-iran-china-draft-deal-leak",
        "--source",
        "2",
    ]);
    assert!(out.ends_with("Caveat: Doubtful figure: the deal was widely reported elsewhere as worth up to $400 billion over 25 years, not $400 million.\n"), "{out}");
}

#[test]
fn the_read_throughs_corrections_are_in_the_data() {
    let t = builtin();
    let event = |id: &str| &t.events[t.event_by_id(id).unwrap()];
    let sco = event("2021-iran-joins-sco");
    assert!(!sco.headline.contains("brought into"), "{}", sco.headline);
    assert!(sco.headline.contains("accession"), "{}", sco.headline);
    let trade = event("2025-01-17-trade-four-billion");
    assert!(
        trade
            .headline
            .contains("Russian media put it at $4 billion"),
        "{}",
        trade.headline
    );
    assert!(
        event("2023-02-14-xi-raisi-sign-20-agreements")
            .summary
            .contains("not the contents")
            || event("2023-02-14-xi-raisi-sign-20-agreements")
                .summary
                .contains("does not list what the agreements cover")
    );
    let kellogg = event("2025-01-kellogg-maximum-pressure")
        .date_note
        .clone()
        .unwrap();
    assert!(
        kellogg.contains("11 January 2025") && !kellogg.contains("defensible"),
        "{kellogg}"
    );
    let sullivan = event("2025-01-sullivan-adversaries-weaker")
        .date_note
        .clone()
        .unwrap();
    assert!(
        sullivan.contains("12 January 2025") && sullivan.contains("22 December 2024"),
        "{sullivan}"
    );
    let zarif = event("2020-07-21-zarif-moscow-treaty-renewal");
    assert!(
        zarif
            .sources
            .iter()
            .any(|s| s.quote().contains("not made public"))
    );
    assert!(zarif.summary.contains("not made public"));
    let has_actor =
        |id: &str, actor: &str| event(id).actors.iter().any(|&a| t.actors[a].id == actor);
    assert!(has_actor(
        "2017-08-rogozin-dehghan-arms-talks",
        "united-states"
    ));
    assert!(has_actor(
        "2017-08-tentative-military-technical-agreement",
        "united-states"
    ));
    assert!(has_actor("2020-07-16-putin-rouhani-phone-call", "syria"));
    for (actor, alias) in [
        ("vesalius-college", "Brussels"),
        ("npc", "Great Hall of the People"),
        ("ncri", "Iranian opposition"),
        ("sco", "Shanghai Five"),
    ] {
        let a = t.actors.iter().find(|a| a.id == actor).unwrap();
        assert!(
            !a.aliases.iter().any(|x| x == alias),
            "{actor} still has the alias {alias}"
        );
    }
    let pezeshkian = t
        .eras
        .iter()
        .find(|e| e.id == "pezeshkian-presidency")
        .unwrap();
    assert_eq!(pezeshkian.end, None);
    let export = json(&["export", "--format", "json"]);
    let era = export["eras"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "pezeshkian-presidency")
        .unwrap();
    assert_eq!(era["end"], Value::Null);
}
