//! Validation of a parsed timeline into the model: every problem found in one pass,
//! events checked on every core. The same checks serve a file parsed whole and
//! one read piece by piece (`streamed`).

use crate::data::progress::PROGRESS;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::checks::{check_id, check_line, check_text, parse_date, positions, suggest};
use super::format::{RawActor, RawArticle, RawEra, RawEvent, RawTimeline, RawTopic};
use super::problems::{LoadError, Problem, Problems, Warnings};
use super::quotes::{find_quote, quote_hint};
use super::{FileSource, Loaded};
use crate::data::date::PartialDate;
use crate::data::model::{Actor, Article, Era, Event, Media, Source, Timeline, TitleSlide, Topic};
use crate::data::provenance::{check_copy, check_date_basis};

pub(super) fn validate(
    raw: RawTimeline,
    name: &str,
    files: &dyn FileSource,
) -> Result<Loaded, LoadError> {
    let mut problems = Problems::default();
    check_title(&mut problems, &raw.title, raw.title_slide.as_ref());
    let mut records = Records::default();
    for (i, a) in raw.articles.into_iter().enumerate() {
        records.add_article(i, a, files, &mut problems);
    }
    records.actors = check_actors(raw.actors, &mut problems);
    records.topics = check_topics(raw.topics, &mut problems);
    records.eras = validate_eras(&raw.eras, &mut problems);
    let checked = validate_events(raw.events, &EventContext::new(&records));
    finish(
        Head {
            title: raw.title,
            title_slide: raw.title_slide,
        },
        records,
        checked,
        problems,
        name,
    )
}

/// The timeline's title and title slide.
pub(super) struct Head {
    pub title: String,
    pub title_slide: Option<TitleSlide>,
}

pub(super) fn check_title(problems: &mut Problems, title: &str, slide: Option<&TitleSlide>) {
    check_text(problems, "title", "the title", title);
    if let Some(slide) = slide {
        if let Some(t) = &slide.text {
            check_text(problems, "title_slide", "the text", t);
        }
        if let Some(m) = &slide.media {
            check_media(problems, "title_slide", m);
        }
    }
}

/// The records events refer to, checked.
#[derive(Default)]
pub(super) struct Records {
    /// `None` where an article has a problem.
    pub articles: Vec<Option<Article>>,
    /// Every article's id as written, with or without problems.
    article_ids: Vec<String>,
    seen_articles: HashSet<String>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
    pub eras: Vec<Era>,
}

/// Makes the timeline, or says every problem: those of the records first, then
/// duplicate event ids in file order, then each event's own.
pub(super) fn finish(
    head: Head,
    records: Records,
    checked: Checked,
    mut problems: Problems,
    name: &str,
) -> Result<Loaded, LoadError> {
    let Checked {
        mut events,
        problems: event_problems,
        warnings,
    } = checked;
    let mut seen = HashSet::default();
    for (i, e) in events.iter().enumerate() {
        let fresh = seen.insert(&*e.id);
        check_id(
            &mut problems,
            "event",
            || event_place(i, &e.id),
            &e.id,
            fresh,
        );
    }
    drop(seen);
    problems.absorb(event_problems);
    if !problems.list.is_empty() {
        return Err(LoadError {
            file: name.to_string(),
            problems: problems.list,
            more: problems.more,
        });
    }
    sort_in_place(&mut events);
    let articles = records
        .articles
        .into_iter()
        .map(|a| a.expect("articles without problems are loaded"))
        .collect();
    Ok(Loaded {
        timeline: Timeline {
            title: head.title,
            title_slide: head.title_slide,
            articles,
            actors: records.actors,
            topics: records.topics,
            eras: records.eras,
            events,
        },
        warnings,
    })
}

/// Sorts events by date, those on the same date in the file's order, without
/// the buffer of half the events a stable sort would take.
fn sort_in_place(events: &mut [Event]) {
    if events.is_sorted_by_key(|e| e.date) {
        return;
    }
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_unstable_by_key(|&i| (events[i].date, i));
    // The event for place k is at order[k]: follow each cycle, swapping it in.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            events.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

fn check_names(problems: &mut Problems, place: &str, name: &str, aliases: &[String]) {
    if name.trim().is_empty() {
        problems.push(
            place,
            "has an empty name",
            Some("give it the name a reader would search for".into()),
        );
    }
    check_line(problems, place, "the name", name);
    for a in aliases {
        check_line(problems, place, "an alias", a);
    }
}

pub(super) fn check_actors(raw: Vec<RawActor>, problems: &mut Problems) -> Vec<Actor> {
    let mut seen = HashSet::default();
    for (i, a) in raw.iter().enumerate() {
        let place = format!("actor \"{}\" (actors[{i}])", a.id);
        let fresh = seen.insert(a.id.as_str());
        check_id(problems, "actor", || place.clone(), &a.id, fresh);
        check_names(problems, &place, &a.name, &a.aliases);
        if let Some(r) = &a.role {
            check_line(problems, &place, "the role", r);
        }
    }
    drop(seen);
    raw.into_iter()
        .map(|a| Actor {
            id: a.id,
            name: a.name,
            kind: a.kind,
            role: a.role,
            aliases: a.aliases,
        })
        .collect()
}

pub(super) fn check_topics(raw: Vec<RawTopic>, problems: &mut Problems) -> Vec<Topic> {
    let mut seen = HashSet::default();
    for (i, t) in raw.iter().enumerate() {
        let place = format!("topic \"{}\" (topics[{i}])", t.id);
        let fresh = seen.insert(t.id.as_str());
        check_id(problems, "topic", || place.clone(), &t.id, fresh);
        check_names(problems, &place, &t.name, &t.aliases);
    }
    drop(seen);
    raw.into_iter()
        .map(|t| Topic {
            id: t.id,
            name: t.name,
            aliases: t.aliases,
        })
        .collect()
}

impl Records {
    /// Checks the `i`th article and keeps it, its text moved rather than copied.
    pub(super) fn add_article(
        &mut self,
        i: usize,
        a: RawArticle,
        files: &dyn FileSource,
        problems: &mut Problems,
    ) {
        let place = format!("article \"{}\" (articles[{i}])", a.id);
        let fresh = self.seen_articles.insert(a.id.clone());
        check_id(problems, "article", || place.clone(), &a.id, fresh);
        self.article_ids.push(a.id.clone());
        let article = check_article(&place, a, files, problems);
        self.articles.push(article);
    }
}

fn check_article(
    place: &str,
    a: RawArticle,
    files: &dyn FileSource,
    problems: &mut Problems,
) -> Option<Article> {
    check_line(problems, place, "the title", &a.title);
    if let Some(o) = &a.outlet {
        check_line(problems, place, "the outlet", o);
    }
    let published = a
        .published
        .as_deref()
        .and_then(|p| parse_date(problems, place, "published", p));
    if let Some(n) = &a.published_note {
        check_line(problems, place, "the published_note", n);
    }
    if a.published_inferred && a.published.is_none() {
        problems.push(
            place,
            "says published_inferred but gives no published date",
            Some("add the date worked out, or drop published_inferred".into()),
        );
    }
    let text = match (&a.file, a.text) {
        (Some(_), Some(_)) => {
            problems.push(
                place,
                "has both \"file\" and \"text\"",
                Some("keep one of them".into()),
            );
            None
        }
        (None, None) => {
            problems.push(
                place,
                "has neither \"file\" nor \"text\"",
                Some(
                    "give the article's text inline or a file path relative to the timeline".into(),
                ),
            );
            None
        }
        (Some(f), None) => match files.read(f) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(
                    place,
                    e,
                    Some("fix the \"file\" path; it is relative to the timeline file".into()),
                );
                None
            }
        },
        (None, Some(t)) => Some(t),
    }?;
    check_text(problems, place, "the text", &text);
    let copy = a
        .copy
        .as_ref()
        .map(|c| check_copy(problems, place, c, &text));
    Some(Article {
        id: a.id,
        file: a.file,
        title: a.title,
        outlet: a.outlet,
        published,
        published_inferred: a.published_inferred,
        published_note: a.published_note,
        copy,
        text: Arc::from(text),
    })
}

pub(super) fn validate_eras(raw: &[RawEra], problems: &mut Problems) -> Vec<Era> {
    let mut seen = HashSet::default();
    let mut eras = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let place = format!("era \"{}\" (eras[{i}])", e.id);
        let fresh = seen.insert(e.id.as_str());
        check_id(problems, "era", || place.clone(), &e.id, fresh);
        check_line(problems, &place, "the name", &e.name);
        if let Some(g) = &e.group {
            check_text(problems, &place, "the group", g);
        }
        let start = parse_date(problems, &place, "start", &e.start);
        let end = match &e.end {
            Some(text) => parse_date(problems, &place, "end", text).map(Some),
            None => Some(None),
        };
        if let (Some(start), Some(end)) = (start, end) {
            if let Some(end) = end
                && end.last_moment() < start.first_moment()
            {
                problems.push(
                    &place,
                    format!("ends ({end}) before it starts ({start})"),
                    Some("swap or correct the dates".into()),
                );
            }
            eras.push(Era {
                id: e.id.clone(),
                name: e.name.clone(),
                group: e.group.clone(),
                start,
                end,
            });
        }
    }
    eras
}

/// What an event is checked against: the articles, and every id it may name.
pub(super) struct EventContext<'a> {
    articles: &'a [Option<Article>],
    article_ids: HashMap<&'a str, usize>,
    actor_ids: HashMap<&'a str, usize>,
    topic_ids: HashMap<&'a str, usize>,
}

impl<'a> EventContext<'a> {
    pub(super) fn new(records: &'a Records) -> Self {
        EventContext {
            articles: &records.articles,
            article_ids: positions(&records.article_ids, |x| x.as_str()),
            actor_ids: positions(&records.actors, |x| x.id.as_str()),
            topic_ids: positions(&records.topics, |x| x.id.as_str()),
        }
    }

    fn id_of(&self, article: usize) -> &str {
        self.articles[article]
            .as_ref()
            .map_or("", |a| a.id.as_str())
    }
}

fn resolve(
    problems: &mut Problems,
    place: &str,
    kind: &str,
    ids: &HashMap<&str, usize>,
    wanted: &[String],
) -> Vec<usize> {
    let mut out = Vec::with_capacity(wanted.len());
    for w in wanted {
        match ids.get(w.as_str()) {
            Some(&i) if !out.contains(&i) => out.push(i),
            Some(_) => problems.push(
                place,
                format!("names the {kind} \"{w}\" twice"),
                Some("remove the repeat".into()),
            ),
            None => problems.push_with(place, format!("unknown {kind} id \"{w}\""), || {
                suggest(ids, w)
            }),
        }
    }
    out
}

fn event_place(i: usize, id: &str) -> String {
    format!("event \"{id}\" (events[{i}])")
}

/// What validating some events gives: the good ones, their problems and warnings.
#[derive(Default)]
pub(super) struct Checked {
    pub events: Vec<Event>,
    pub problems: Problems,
    pub warnings: Warnings,
}

impl Checked {
    /// The parts one after another, the events in one list of their exact size:
    /// growing it by doubling would hold up to twice the events' bytes.
    pub(super) fn concat(parts: Vec<Checked>) -> Checked {
        let mut all = Checked::default();
        all.events
            .reserve_exact(parts.iter().map(|p| p.events.len()).sum());
        for part in parts {
            all.events.extend(part.events);
            all.problems.absorb(part.problems);
            all.warnings.append(part.warnings);
        }
        all
    }
}

/// Validates events on every core: finding quotes is most of the work of loading.
pub(super) fn validate_events(events: Vec<RawEvent>, ctx: &EventContext) -> Checked {
    PROGRESS.checking(events.len() as u64);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let per = events.len().div_ceil(threads).max(4096);
    let mut chunks = Vec::new();
    let mut rest = events;
    let mut base = 0;
    while rest.len() > per {
        let tail = rest.split_off(per);
        chunks.push((base, rest));
        base += per;
        rest = tail;
    }
    chunks.push((base, rest));
    let results: Vec<Checked> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|(base, chunk)| scope.spawn(move || validate_chunk(base, chunk, ctx)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("validation does not panic"))
            .collect()
    });
    Checked::concat(results)
}

/// Validates events from the `base`th on, each into an event (even one with
/// problems, so that every id is there to check).
pub(super) fn validate_chunk(
    base: usize,
    chunk: impl IntoIterator<Item = RawEvent>,
    ctx: &EventContext,
) -> Checked {
    let mut problems = Problems::default();
    let mut warnings = Warnings::default();
    let chunk = chunk.into_iter();
    let mut events = Vec::with_capacity(chunk.size_hint().0);
    for (k, e) in chunk.enumerate() {
        PROGRESS.checked(1);
        let place = event_place(base + k, &e.id);
        {
            let ev = validate_event(e, &place, ctx, &mut problems);
            // An event that tells its own story (from TimelineJS) has no actors to name.
            let sourced = !ev.sources.is_empty();
            if sourced && ev.actors.is_empty() {
                warnings.push(Problem {
                    place: place.clone(),
                    message: "names no actors".into(),
                    hint: Some("add actor ids so the filter can find it".into()),
                });
            }
            if sourced && ev.topics.is_empty() {
                warnings.push(Problem {
                    place,
                    message: "names no topics".into(),
                    hint: Some("add topic ids so the filter can find it".into()),
                });
            }
            events.push(ev);
        }
    }
    Checked {
        events,
        problems,
        warnings,
    }
}

fn validate_event(e: RawEvent, place: &str, ctx: &EventContext, problems: &mut Problems) -> Event {
    check_line(problems, place, "the headline", &e.headline);
    check_text(problems, place, "the summary", &e.summary);
    if let Some(n) = &e.date_note {
        check_line(problems, place, "the date_note", n);
    }
    if e.headline.trim().is_empty() {
        problems.push(
            place,
            "has an empty headline",
            Some("write a one-line headline".into()),
        );
    }
    let date = parse_date(problems, place, "date", &e.date);
    let end = e
        .end
        .as_deref()
        .and_then(|d| parse_date(problems, place, "end", d));
    if let (Some(d), Some(x)) = (date, end)
        && x.last_moment() < d.first_moment()
    {
        problems.push(
            place,
            format!("ends ({x}) before it starts ({d})"),
            Some("swap or correct the dates".into()),
        );
    }
    let actors = resolve(problems, place, "actor", &ctx.actor_ids, &e.actors);
    let topics = resolve(problems, place, "topic", &ctx.topic_ids, &e.topics);
    let tells_itself = !e.summary.trim().is_empty() || e.text.is_some() || e.media.is_some();
    if e.sources.is_empty() && !tells_itself {
        problems.push(
            place,
            "cites no article and has no text of its own",
            Some("add a source: {\"article\": ID, \"quote\": \"words from the article\"}, or a \"summary\" or \"text\"".into()),
        );
    }
    check_own_text(problems, place, &e);
    let mut sources = Vec::with_capacity(e.sources.len());
    for (j, s) in e.sources.into_iter().enumerate() {
        let splace = format!("{place}, sources[{j}]");
        let Some(&ai) = ctx.article_ids.get(s.article.as_str()) else {
            problems.push_with(
                &splace,
                format!("unknown article id \"{}\"", s.article),
                || suggest(&ctx.article_ids, &s.article),
            );
            continue;
        };
        let Some(article) = &ctx.articles[ai] else {
            continue;
        };
        if s.quote.trim().is_empty() {
            problems.push(
                &splace,
                "has an empty quote",
                Some("quote the words of the article that support the event".into()),
            );
            continue;
        }
        if let Some(c) = &s.caveat {
            check_text(problems, &splace, "the caveat", c);
        }
        match find_quote(&article.text, &s.quote) {
            Some(start) => sources.push(Source {
                article: ai,
                start,
                end: start + s.quote.len(),
                text: Arc::clone(&article.text),
                caveat: s.caveat,
            }),
            None => {
                problems.push_with(
                    &splace,
                    format!("the quote is not in article \"{}\"", s.article),
                    || Some(quote_hint(&article.text, &s.quote)),
                );
            }
        }
    }
    let cited: Vec<&str> = sources.iter().map(|s| ctx.id_of(s.article)).collect();
    let date_basis = e
        .date_basis
        .as_ref()
        .and_then(|b| check_date_basis(problems, place, b, &cited, &ctx.article_ids, ctx.articles));
    Event {
        id: e.id.into(),
        // A date with a problem fails the load; a stand-in keeps the event's id.
        date: date.unwrap_or(PartialDate::year(0)),
        end,
        date_note: e.date_note.map(String::into_boxed_str),
        date_basis: date_basis.map(Box::new),
        headline: e.headline.into(),
        headline_html: e.headline_html.map(String::into_boxed_str),
        summary: e.summary.into(),
        actors: actors.into_boxed_slice(),
        topics: topics.into_boxed_slice(),
        sources: sources.into_boxed_slice(),
        text: e.text.map(String::into_boxed_str),
        media: e.media.map(Box::new),
        group: e.group.map(String::into_boxed_str),
        display_date: e.display_date.map(String::into_boxed_str),
        background: e.background.map(Box::new),
        autolink: e.autolink,
    }
}

/// The fields an event carries from TimelineJS: no control characters in any.
fn check_own_text(problems: &mut Problems, place: &str, e: &RawEvent) {
    if let Some(t) = &e.text {
        check_text(problems, place, "the text", t);
    }
    if let Some(h) = &e.headline_html {
        check_line(problems, place, "the headline_html", h);
    }
    if let Some(g) = &e.group {
        check_line(problems, place, "the group", g);
    }
    if let Some(d) = &e.display_date {
        check_line(problems, place, "the display_date", d);
    }
    if let Some(m) = &e.media {
        check_media(problems, place, m);
    }
    if let Some(b) = &e.background {
        for v in [&b.url, &b.color, &b.alt].into_iter().flatten() {
            check_line(problems, place, "the background", v);
        }
    }
}

pub(super) fn check_media(problems: &mut Problems, place: &str, m: &Media) {
    check_line(problems, place, "the media url", &m.url);
    let fields = [
        &m.caption,
        &m.credit,
        &m.thumbnail,
        &m.alt,
        &m.title,
        &m.link,
        &m.link_target,
    ];
    for v in fields.into_iter().flatten() {
        check_text(problems, place, "a media field", v);
    }
}

#[cfg(test)]
mod tests {
    use crate::data::load::{InlineOnly, load_str};

    fn minimal(event: &str) -> String {
        format!(
            r#"{{"title":"t","articles":[{{"id":"a","text":"Putin met Khatami on March 12, 2001.","title":"A"}}],
            "actors":[{{"id":"putin","name":"Vladimir Putin","kind":"person","aliases":[]}}],
            "topics":[{{"id":"energy","name":"Energy"}}],
            "events":[{event}]}}"#
        )
    }

    #[test]
    fn finds_quote_positions() {
        let json = minimal(
            r#"{"id":"e","date":"2001-03-12","headline":"h","summary":"s","actors":["putin"],"topics":["energy"],"sources":[{"article":"a","quote":"met Khatami"}]}"#,
        );
        let t = load_str(&json, "t.json", &InlineOnly).unwrap().timeline;
        let s = &t.events[0].sources[0];
        assert_eq!(&t.articles[0].text[s.start..s.end], "met Khatami");
    }

    #[test]
    fn lists_every_problem_in_one_pass() {
        let json = minimal(
            r#"{"id":"e","date":"2001-02-30","headline":" ","summary":"s","actors":["putn"],"topics":["oil"],"sources":[{"article":"a","quote":"met Khatemi"}]}"#,
        );
        let err = load_str(&json, "t.json", &InlineOnly).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("not a day of the calendar"), "{text}");
        assert!(text.contains("empty headline"), "{text}");
        assert!(text.contains("unknown actor id \"putn\""), "{text}");
        assert!(text.contains("did you mean \"putin\""), "{text}");
        assert!(text.contains("unknown topic id \"oil\""), "{text}");
        assert!(text.contains("closest passage"), "{text}");
        assert!(text.contains("met Khatami"), "{text}");
    }

    #[test]
    fn events_sort_by_date_keeping_the_file_order_of_a_date() {
        let dates = ["2001", "2000-05", "2001-01-02", "2000", "1999-12-31"];
        let events: Vec<(String, &str)> = (0..300)
            .map(|i| (format!("e{i}"), dates[(i * 7 + i / 3) % dates.len()]))
            .collect();
        let spec: Vec<(&str, &str, Option<&str>)> = events
            .iter()
            .map(|(id, d)| (id.as_str(), *d, None))
            .collect();
        let t = crate::data::load::dated_timeline(&spec, serde_json::json!([]));
        let mut expected: Vec<(crate::data::date::PartialDate, usize)> = events
            .iter()
            .enumerate()
            .map(|(i, (_, d))| (crate::data::date::PartialDate::parse(d).unwrap(), i))
            .collect();
        expected.sort();
        let got: Vec<&str> = t.events.iter().map(|e| &*e.id).collect();
        let want: Vec<&str> = expected
            .iter()
            .map(|&(_, i)| events[i].0.as_str())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn warns_on_events_without_actors_or_topics() {
        let json = minimal(
            r#"{"id":"e","date":"2001","headline":"h","summary":"s","sources":[{"article":"a","quote":"Putin"}]}"#,
        );
        let loaded = load_str(&json, "t.json", &InlineOnly).unwrap();
        assert_eq!(loaded.warnings.len(), 2);
    }
}
