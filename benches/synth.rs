//! A deterministic generator of synthetic timelines in annals' own format, for
//! benchmarks and scale tests. Same seed, same output, byte for byte.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// splitmix64: small, fast and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "sha", "ta", "vel", "dor", "an", "is", "ul", "ber", "gan", "zi", "lo", "mar",
    "nev", "os", "pra", "qui", "ros", "sen", "tor", "ur", "vin", "wa", "yel", "zor", "hal", "kem",
    "lin", "dra", "fel",
];

const COMMON: &[&str] = &[
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "on",
    "for",
    "with",
    "after",
    "before",
    "over",
    "amid",
    "as",
    "new",
    "talks",
    "deal",
    "agreement",
    "meeting",
    "summit",
    "minister",
    "president",
    "talks",
    "sanctions",
    "trade",
    "energy",
    "gas",
    "oil",
    "pipeline",
    "arms",
    "drones",
    "missiles",
    "nuclear",
    "security",
    "border",
    "corridor",
    "railway",
    "port",
    "bank",
    "payments",
    "currency",
    "election",
    "parliament",
    "protest",
    "court",
    "ruling",
    "visit",
    "treaty",
    "alliance",
    "cooperation",
    "investment",
    "loan",
    "exports",
    "imports",
    "tariffs",
    "shipping",
    "grain",
    "wheat",
    "water",
    "dam",
    "power",
    "grid",
    "cyber",
    "satellite",
    "space",
    "research",
    "university",
    "media",
    "press",
    "report",
    "officials",
    "said",
    "says",
    "signed",
    "agreed",
    "rejected",
    "announced",
    "warned",
    "billion",
    "million",
    "percent",
    "year",
    "month",
    "week",
    "capital",
    "region",
    "province",
];

const TOPICS: &[&str] = &[
    "Energy",
    "Oil",
    "Natural gas",
    "Pipelines",
    "Arms trade",
    "Drones",
    "Missiles",
    "Nuclear programme",
    "Sanctions",
    "Trade",
    "Finance",
    "Payment systems",
    "Transport",
    "Rail corridors",
    "Shipping",
    "Security",
    "Intelligence",
    "Diplomacy",
    "Treaties",
    "Elections",
    "Protests",
    "Human rights",
    "Courts",
    "Media",
    "Cyber",
    "Space",
    "Agriculture",
    "Water",
    "Health",
    "Migration",
    "Border disputes",
    "Investment",
    "Debt",
    "Currency",
    "Tourism",
    "Education",
    "Culture",
    "Sport",
    "Climate",
    "Mining",
];

pub fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect()
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub struct Names {
    pub countries: Vec<String>,
    pub people: Vec<(String, String)>,
    pub orgs: Vec<String>,
    pub cities: Vec<String>,
    pub vocab: Vec<String>,
}

pub fn names(rng: &mut Rng) -> Names {
    let countries = (0..60).map(|_| cap(&word(rng, 2)) + "ia").collect();
    let people = (0..240)
        .map(|_| (cap(&word(rng, 2)), cap(&word(rng, 3))))
        .collect();
    let orgs = (0..40)
        .map(|i| {
            format!(
                "{} {}",
                cap(&word(rng, 2)),
                ["Council", "Union", "Bank", "Forum", "Institute"][i % 5]
            )
        })
        .collect();
    let cities = (0..120).map(|_| cap(&word(rng, 3))).collect();
    let vocab = (0..6000).map(|i| word(rng, 2 + i % 3)).collect();
    Names {
        countries,
        people,
        orgs,
        cities,
        vocab,
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn sentence(rng: &mut Rng, n: &Names) -> String {
    let mut s = String::new();
    let len = 12 + rng.below(14);
    for i in 0..len {
        let w: String = match rng.below(10) {
            0 => rng.pick(&n.countries).clone(),
            1 => rng.pick(&n.people).1.clone(),
            2 => rng.pick(&n.cities).clone(),
            3..=5 => rng.pick(COMMON).to_string(),
            _ => rng.pick(&n.vocab).clone(),
        };
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&if i == 0 { cap(&w) } else { w });
    }
    if rng.below(4) == 0 {
        let _ = write!(s, ", worth {} billion dollars", 1 + rng.below(400));
    }
    s.push('.');
    s
}

/// An article of about `bytes` bytes: paragraphs of sentences.
pub fn article(rng: &mut Rng, n: &Names, bytes: usize) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut total = 0;
    while total < bytes {
        let s = sentence(rng, n);
        total += s.len() + 1;
        sentences.push(s);
    }
    sentences
}

#[derive(Clone, Copy)]
pub struct Spec {
    pub events: usize,
    pub articles: usize,
    pub article_bytes: usize,
    pub seed: u64,
    /// Write article text inline (`text`) instead of one file per article.
    pub inline: bool,
}

/// Writes a timeline to `dir/timeline.json` (and `dir/articles/*.txt` unless inline).
/// Returns the path of the JSON file.
pub fn write(dir: &Path, spec: &Spec) -> std::io::Result<std::path::PathBuf> {
    let json = generate(spec, |i, text| {
        if spec.inline {
            return None;
        }
        let rel = format!("articles/{i:06}.txt");
        let path = dir.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).ok();
        std::fs::write(&path, text).ok();
        Some(rel)
    });
    let path = dir.join("timeline.json");
    std::fs::write(&path, json)?;
    Ok(path)
}

/// Generates the timeline JSON. `place` may store an article's text elsewhere
/// and return the relative path to use as `file`; `None` keeps the text inline.
pub fn generate(spec: &Spec, mut place: impl FnMut(usize, &str) -> Option<String>) -> String {
    let mut rng = Rng::new(spec.seed);
    let n = names(&mut rng);
    let mut out = String::with_capacity(spec.events * 700 + spec.articles * 200);
    out.push_str("{\n\"title\": \"Synthetic timeline\",\n\"articles\": [\n");
    let mut article_sentences: Vec<Vec<String>> = Vec::with_capacity(spec.articles);
    for i in 0..spec.articles {
        let sentences = article(&mut rng, &n, spec.article_bytes);
        let text = sentences.join(" ");
        let title = sentence(&mut rng, &n);
        let source = match place(i, &text) {
            Some(rel) => format!("\"file\": {}", json_str(&rel)),
            None => format!("\"text\": {}", json_str(&text)),
        };
        let _ = writeln!(
            out,
            "{{\"id\": \"a{i}\", {source}, \"title\": {}, \"outlet\": \"Wire {}\", \"published\": \"{}\"}}{}",
            json_str(&title),
            i % 17,
            1990 + i % 35,
            if i + 1 < spec.articles { "," } else { "" }
        );
        // Keep a few sentences per article for quotes; memory stays small.
        article_sentences.push(sentences.into_iter().take(8).collect());
    }
    out.push_str("],\n\"actors\": [\n");
    let mut actors = Vec::new();
    for c in &n.countries {
        actors.push(format!(
            "{{\"id\": \"c-{}\", \"name\": {}, \"kind\": \"country\", \"aliases\": [{}]}}",
            c.to_lowercase(),
            json_str(c),
            json_str(&(c.to_string() + "n Republic"))
        ));
    }
    for (f, l) in &n.people {
        actors.push(format!(
            "{{\"id\": \"p-{}-{}\", \"name\": {}, \"kind\": \"person\", \"role\": \"Minister\", \"aliases\": [{}]}}",
            f.to_lowercase(),
            l.to_lowercase(),
            json_str(&format!("{f} {l}")),
            json_str(l)
        ));
    }
    for o in &n.orgs {
        actors.push(format!(
            "{{\"id\": \"o-{}\", \"name\": {}, \"kind\": \"organization\", \"aliases\": []}}",
            o.to_lowercase().replace(' ', "-"),
            json_str(o)
        ));
    }
    actors.dedup();
    let actor_ids: Vec<String> = actors
        .iter()
        .map(|a| a.split('"').nth(3).unwrap().to_string())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<(String, String)> = actors
        .into_iter()
        .zip(actor_ids)
        .filter(|(_, id)| seen.insert(id.clone()))
        .collect();
    out.push_str(
        &unique
            .iter()
            .map(|(a, _)| a.as_str())
            .collect::<Vec<_>>()
            .join(",\n"),
    );
    out.push_str("\n],\n\"topics\": [\n");
    let topic_ids: Vec<String> = TOPICS
        .iter()
        .map(|t| t.to_lowercase().replace(' ', "-"))
        .collect();
    let topics: Vec<String> = TOPICS
        .iter()
        .zip(&topic_ids)
        .map(|(t, id)| {
            format!(
                "{{\"id\": \"{id}\", \"name\": {}, \"aliases\": [{}]}}",
                json_str(t),
                json_str(&t.to_lowercase())
            )
        })
        .collect();
    out.push_str(&topics.join(",\n"));
    out.push_str("\n],\n\"events\": [\n");
    let ids: Vec<&str> = unique.iter().map(|(_, id)| id.as_str()).collect();
    let span_days = 35 * 365;
    for i in 0..spec.events {
        // Spread evenly over 1990–2024, in order.
        let day = i * span_days / spec.events.max(1);
        let year = 1990 + day / 365;
        let doy = day % 365;
        let (month, dom) = ((doy / 31).min(11) + 1, (doy % 28) + 1);
        let date = match rng.below(10) {
            0 => format!("{year}"),
            1 | 2 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{dom:02}"),
        };
        let who = rng.pick(&n.people);
        let other = rng.pick(&n.people);
        let topic = rng.below(TOPICS.len());
        let headline = format!(
            "{} meets {} in {} on {}",
            who.1,
            other.1,
            rng.pick(&n.cities),
            TOPICS[topic].to_lowercase()
        );
        let summary = format!("{} {}", sentence(&mut rng, &n), sentence(&mut rng, &n));
        let a = rng.below(spec.articles.max(1));
        let quote = rng.pick(&article_sentences[a]).clone();
        let mut actor_list = vec![
            format!("\"p-{}-{}\"", who.0.to_lowercase(), who.1.to_lowercase()),
            format!("\"{}\"", ids[rng.below(60)]),
        ];
        let third = format!("\"{}\"", ids[rng.below(ids.len())]);
        if !actor_list.contains(&third) {
            actor_list.push(third);
        }
        actor_list.dedup();
        let mut topic_list = vec![format!("\"{}\"", topic_ids[topic])];
        let t2 = format!("\"{}\"", topic_ids[rng.below(topic_ids.len())]);
        if t2 != topic_list[0] {
            topic_list.push(t2);
        }
        let _ = writeln!(
            out,
            "{{\"id\": \"e{i}\", \"date\": \"{date}\", \"headline\": {}, \"summary\": {}, \"actors\": [{}], \"topics\": [{}], \"sources\": [{{\"article\": \"a{a}\", \"quote\": {}}}]}}{}",
            json_str(&headline),
            json_str(&summary),
            actor_list.join(", "),
            topic_list.join(", "),
            json_str(&quote),
            if i + 1 < spec.events { "," } else { "" }
        );
    }
    out.push_str("]\n}\n");
    out
}

/// Queries a user would type, as actor and topic names, headline words and abbreviations.
pub fn queries(seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let n = names(&mut rng);
    let (f, l) = &n.people[3];
    let abbrev: String = l
        .chars()
        .step_by(2)
        .take(4)
        .collect::<String>()
        .to_lowercase();
    vec![
        l.to_lowercase(),
        format!("{} {}", f.to_lowercase(), l.to_lowercase()),
        n.countries[5].to_lowercase(),
        "pipeline".into(),
        "sanctions trade".into(),
        format!("{} gas", n.countries[7].to_lowercase()),
        abbrev,
        "nuclear programme".into(),
        format!("{} meets", n.people[10].1.to_lowercase()),
        "payment systems".into(),
    ]
}

/// A timeline of `events` events and `articles` articles of about 3 KB, text inline, as JSON.
pub fn inline_json(events: usize, articles: usize) -> String {
    generate(
        &Spec {
            events,
            articles,
            article_bytes: 3_000,
            seed: 1,
            inline: true,
        },
        |_, _| None,
    )
}

/// The same timeline, loaded.
pub fn timeline(events: usize, articles: usize) -> annals::data::model::Timeline {
    annals::data::load::load_str(
        &inline_json(events, articles),
        "synthetic",
        &annals::data::load::InlineOnly,
    )
    .expect("synthetic data loads")
    .timeline
}

/// One event of a synthetic TimelineJS timeline, written as JSON or as the
/// spreadsheet template's CSV from the same values.
pub struct TimelineJsEvent {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// Hour and minute, for one event in four.
    pub time: Option<(u32, u32)>,
    /// A later year, for one event in eight.
    pub end_year: Option<i64>,
    pub headline: String,
    /// HTML, as TimelineJS slides hold it: a paragraph, an entity and a link.
    pub text: String,
    pub group: String,
    /// Media URL, caption and credit, for one event in five.
    pub media: Option<(String, String, String)>,
}

/// `spec.events` TimelineJS events, deterministic for the seed.
pub fn timelinejs_events(spec: &Spec) -> Vec<TimelineJsEvent> {
    let mut rng = Rng::new(spec.seed);
    let n = names(&mut rng);
    let groups: Vec<String> = (0..12).map(|_| cap(&word(&mut rng, 3))).collect();
    (0..spec.events)
        .map(|i| {
            let year = 1800 + rng.below(226) as i64;
            let headline = sentence(&mut rng, &n);
            let headline = headline[..headline.len().min(90)].trim_end().to_string();
            let text = format!(
                "<p>{} &amp; {}</p><p>See <a href=\"https://example.org/e/{i}\">the record</a>.</p>",
                sentence(&mut rng, &n),
                sentence(&mut rng, &n)
            );
            TimelineJsEvent {
                year,
                month: 1 + rng.below(12) as u32,
                day: 1 + rng.below(28) as u32,
                time: (rng.below(4) == 0).then(|| (rng.below(24) as u32, rng.below(60) as u32)),
                end_year: (rng.below(8) == 0).then(|| year + 1 + rng.below(5) as i64),
                headline,
                text,
                group: rng.pick(&groups).clone(),
                media: (rng.below(5) == 0).then(|| {
                    (
                        format!("https://example.org/m/{i}.jpg"),
                        format!("<i>{}</i>", rng.pick(&n.cities)),
                        format!("{} / Wire", rng.pick(&n.people).1),
                    )
                }),
            }
        })
        .collect()
}

/// A TimelineJS3 JSON document of the events.
pub fn timelinejs_json(events: &[TimelineJsEvent]) -> String {
    let mut out = String::with_capacity(events.len() * 600);
    out.push_str(
        "{\"title\": {\"text\": {\"headline\": \"Synthetic timeline\"}},\n\"events\": [\n",
    );
    for (i, e) in events.iter().enumerate() {
        let mut start = format!(
            "\"year\": {}, \"month\": {}, \"day\": {}",
            e.year, e.month, e.day
        );
        if let Some((h, m)) = e.time {
            let _ = write!(start, ", \"hour\": {h}, \"minute\": {m}");
        }
        let _ = write!(out, "{{\"start_date\": {{{start}}}, ");
        if let Some(end) = e.end_year {
            let _ = write!(out, "\"end_date\": {{\"year\": {end}}}, ");
        }
        let _ = write!(
            out,
            "\"text\": {{\"headline\": {}, \"text\": {}}}, \"group\": {}",
            json_str(&e.headline),
            json_str(&e.text),
            json_str(&e.group)
        );
        if let Some((url, caption, credit)) = &e.media {
            let _ = write!(
                out,
                ", \"media\": {{\"url\": {}, \"caption\": {}, \"credit\": {}}}",
                json_str(url),
                json_str(caption),
                json_str(credit)
            );
        }
        out.push_str(if i + 1 < events.len() { "},\n" } else { "}\n" });
    }
    out.push_str("]}\n");
    out
}

/// The events as the TimelineJS spreadsheet template saved as CSV.
pub fn timelinejs_csv(events: &[TimelineJsEvent]) -> String {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(events.len() * 500));
    // The reader's own list of the template's columns, so the two cannot drift.
    w.write_record(annals::data::timelinejs::TEMPLATE_COLUMNS)
        .unwrap();
    w.write_record([
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Synthetic timeline",
        "",
        "",
        "",
        "",
        "",
        "",
        "title",
        "",
        "",
    ])
    .unwrap();
    for e in events {
        let time = e
            .time
            .map(|(h, m)| format!("{h:02}:{m:02}"))
            .unwrap_or_default();
        let end = e.end_year.map(|y| y.to_string()).unwrap_or_default();
        let (url, caption, credit) = e.media.clone().unwrap_or_default();
        w.write_record([
            e.year.to_string().as_str(),
            &e.month.to_string(),
            &e.day.to_string(),
            &time,
            &end,
            "",
            "",
            "",
            "",
            &e.headline,
            &e.text,
            &url,
            &credit,
            &caption,
            "",
            "",
            "",
            &e.group,
            "",
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}
