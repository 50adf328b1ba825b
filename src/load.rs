//! Reading a timeline file: parsing, validation, and finding every quote in its article.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{Actor, ActorKind, Article, Era, Event, PartialDate, Source, Timeline, Topic};
use crate::provenance::{
    RawCopy, RawDateBasis, check_copy, check_date_basis, raw_copy, raw_date_basis,
};
use crate::text::{
    escaped, fold, is_apostrophe, is_dash, is_forbidden_control, is_quote_mark, word_byte_spans,
    words,
};

/// Problems listed in one pass before we stop collecting.
pub const MAX_PROBLEMS: usize = 50;

/// The built-in chronology, compiled in so a copied binary needs no other files.
pub const BUILTIN_PATH: &str = "assets/timeline.json";
const BUILTIN_JSON: &str = include_str!("../assets/timeline.json");
const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "../seeds/000_683aedb01be609ab.txt",
        include_str!("../seeds/000_683aedb01be609ab.txt"),
    ),
    (
        "../seeds/001_938a4a52600d664a.txt",
        include_str!("../seeds/001_938a4a52600d664a.txt"),
    ),
    (
        "../seeds/002_f2cd5574a8b9dd70.txt",
        include_str!("../seeds/002_f2cd5574a8b9dd70.txt"),
    ),
    (
        "../seeds/003_39dbd394bf72ebd5.txt",
        include_str!("../seeds/003_39dbd394bf72ebd5.txt"),
    ),
    (
        "../seeds/004_ad05a5b9e179a1c7.txt",
        include_str!("../seeds/004_ad05a5b9e179a1c7.txt"),
    ),
];

// ---------- the file format ----------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeline {
    pub title: String,
    #[serde(default)]
    pub articles: Vec<RawArticle>,
    #[serde(default)]
    pub actors: Vec<RawActor>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<RawEra>,
    pub events: Vec<RawEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The text gives no date: `published` was worked out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub published_inferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<RawCopy>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEra {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub start: String,
    /// Required, and null for an era still running: a forgotten end stays an error.
    #[serde(deserialize_with = "Option::deserialize")]
    pub end: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: String,
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<RawDateBasis>,
    pub headline: String,
    pub summary: String,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    pub sources: Vec<RawSource>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: String,
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

// ---------- problems ----------

/// One thing wrong with a timeline file, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub place: String,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", escaped(&self.place), escaped(&self.message))?;
        if let Some(h) = &self.hint {
            write!(f, "\n    hint: {}", escaped(h))?;
        }
        Ok(())
    }
}

/// A timeline that could not be loaded: every problem found, in one pass.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// Problems found beyond `MAX_PROBLEMS`, not listed.
    pub more: usize,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len() + self.more;
        let plural = if n == 1 { "" } else { "s" };
        writeln!(
            f,
            "error: {} is not a valid timeline ({n} problem{plural}):",
            escaped(&self.file)
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        if self.more > 0 {
            writeln!(
                f,
                "  … and {} more; fix these and run `annals check` again",
                self.more
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A loaded timeline plus what was odd but allowed.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub timeline: Timeline,
    pub warnings: Vec<Problem>,
}

#[derive(Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub(crate) fn push(
        &mut self,
        place: impl Into<String>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem {
                place: place.into(),
                message: message.into(),
                hint,
            });
        } else {
            self.more += 1;
        }
    }

    /// Like `push`, but the hint is worked out only if the problem fits in this list:
    /// some hints scan a whole article, and a bad file can have thousands of problems.
    /// (Each validation thread keeps its own list, so up to one list's worth per
    /// thread is worked out before `absorb` keeps the first.)
    pub(crate) fn push_with(
        &mut self,
        place: impl Into<String>,
        message: impl Into<String>,
        hint: impl FnOnce() -> Option<String>,
    ) {
        let hint = if self.list.len() < MAX_PROBLEMS {
            hint()
        } else {
            None
        };
        self.push(place, message, hint);
    }

    /// How many problems have been found, listed or not.
    pub(crate) fn len(&self) -> usize {
        self.list.len() + self.more
    }

    /// Adds problems found in a separate pass (events are checked on several
    /// threads), so the whole load keeps one cap on what is listed.
    fn absorb(&mut self, other: Problems) {
        for p in other.list {
            self.push(p.place, p.message, p.hint);
        }
        self.more += other.more;
    }
}

// ---------- where article files come from ----------

/// Reads the article files a timeline names, relative to the timeline.
pub trait FileSource {
    fn read(&self, relative: &str) -> Result<String, String>;
}

/// Files on disk, next to the timeline file.
pub struct DiskFiles {
    pub base: PathBuf,
}

/// Larger than any article; a `file` this big is a mistake (or a device).
const MAX_ARTICLE_BYTES: u64 = 64 << 20;

impl FileSource for DiskFiles {
    fn read(&self, relative: &str) -> Result<String, String> {
        if Path::new(relative).is_absolute() {
            return Err(format!("{relative} is an absolute path"));
        }
        let path = self.base.join(relative);
        let cannot = |e: std::io::Error| format!("cannot read {}: {}", path.display(), e);
        // Checked on the open file, so what is read is what was checked. Opening
        // without blocking: a FIFO would otherwise wait for a writer.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&path)
            .map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            return Err(format!(
                "{} is not a regular file; point `file` at the article's text",
                path.display()
            ));
        }
        let mut bytes = Vec::with_capacity(meta.len().min(MAX_ARTICLE_BYTES) as usize);
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, MAX_ARTICLE_BYTES + 1),
            &mut bytes,
        )
        .map_err(cannot)?;
        if bytes.len() as u64 > MAX_ARTICLE_BYTES {
            return Err(format!(
                "{} is larger than the {} MB an article file may be",
                path.display(),
                MAX_ARTICLE_BYTES >> 20
            ));
        }
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not UTF-8 text (bad byte at offset {}); convert it with `iconv -t UTF-8`",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// For a self-contained timeline, whose articles all carry their text inline:
/// any `file` is an error.
pub struct InlineOnly;

impl FileSource for InlineOnly {
    fn read(&self, relative: &str) -> Result<String, String> {
        Err(format!(
            "{relative}: this timeline is read as text, so articles must give their text inline"
        ))
    }
}

/// The seed articles compiled into the binary.
pub struct BuiltinFiles;

impl FileSource for BuiltinFiles {
    fn read(&self, relative: &str) -> Result<String, String> {
        BUILTIN_FILES
            .iter()
            .find(|(p, _)| *p == relative)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| format!("{relative} is not among the built-in articles"))
    }
}

// ---------- entry points ----------

pub fn load_builtin() -> Result<Loaded, LoadError> {
    load_str(BUILTIN_JSON, BUILTIN_PATH, &BuiltinFiles)
}

pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        single(
            &name,
            &name,
            format!("cannot read the file: {e}"),
            Some("check the path given to --data or check".into()),
        )
    })?;
    let json = String::from_utf8(bytes).map_err(|e| {
        single(
            &name,
            &name,
            format!(
                "not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            Some("save the file as UTF-8".into()),
        )
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // The file's text is let go before validation, so the two never peak together.
    let raw = parse(&json, &name)?;
    drop(json);
    validate(raw, &name, &DiskFiles { base })
}

fn single(file: &str, place: &str, message: String, hint: Option<String>) -> LoadError {
    LoadError {
        file: file.to_string(),
        problems: vec![Problem {
            place: place.to_string(),
            message,
            hint,
        }],
        more: 0,
    }
}

/// A timeline for tests: events (id, date, end) that each quote the one article,
/// whose text is "q", and these eras.
#[cfg(test)]
pub(crate) fn dated_timeline(
    events: &[(&str, &str, Option<&str>)],
    eras: serde_json::Value,
) -> Timeline {
    let events: Vec<_> = events
        .iter()
        .map(|&(id, date, end)| {
            let mut e = serde_json::json!({"id": id, "date": date, "headline": "h", "summary": "s",
                "sources": [{"article": "a", "quote": "q"}]});
            if let Some(end) = end {
                e["end"] = end.into();
            }
            e
        })
        .collect();
    let json = serde_json::json!({"title": "t", "articles": [{"id": "a", "title": "A", "text": "q"}],
        "eras": eras, "events": events});
    load_str(&json.to_string(), "t", &InlineOnly)
        .unwrap()
        .timeline
}

/// Parses and validates timeline JSON. `name` is used in messages.
pub fn load_str(json: &str, name: &str, files: &dyn FileSource) -> Result<Loaded, LoadError> {
    validate(parse(json, name)?, name, files)
}

fn parse(json: &str, name: &str) -> Result<RawTimeline, LoadError> {
    if json.trim().is_empty() {
        return Err(single(
            name,
            name,
            "the file is empty".into(),
            Some("a timeline is a JSON object; README.md shows a small one to start from".into()),
        ));
    }
    serde_json::from_str(json).map_err(|e| {
        let place = format!("{name}:{}:{}", e.line(), e.column());
        let hint = if e.is_eof() {
            "the file ends before its JSON does: it may have been cut short".into()
        } else {
            json_hint(&e.to_string())
        };
        single(name, &place, e.to_string(), Some(hint))
    })
}

fn json_hint(message: &str) -> String {
    if message.contains("unknown field") {
        "check the spelling; the fields are listed under \"The timeline file\" in README.md".into()
    } else if message.contains("missing field") {
        "add the field; README.md lists the required ones".into()
    } else if message.contains("invalid type") {
        "this field has the wrong type: text goes in quotes, lists in [ ]; README.md shows each field".into()
    } else if message.contains("unknown variant") && message.contains("`country`") {
        "an actor's kind is one of country, person, organization".into()
    } else if message.contains("unknown variant") {
        "use one of the values the message lists; README.md describes each".into()
    } else {
        "fix the JSON syntax at that line and column".into()
    }
}

// ---------- validation ----------

/// Where the first control character is, if any. Scans bytes: C0 controls and DEL
/// are single bytes, C1 controls are 0xC2 followed by 0x80–0x9F in UTF-8, and the
/// bidirectional controls start with 0xE2.
fn first_control(text: &str) -> Option<(usize, char)> {
    if !text.as_bytes().chunks(64).any(suspicious_block) {
        return None;
    }
    text.char_indices().find(|(_, c)| is_forbidden_control(*c))
}

/// Whether a block may hold a control character. Written as an OR-reduction
/// without branches so that the compiler vectorizes it.
fn suspicious_block(block: &[u8]) -> bool {
    let mut acc = 0u8;
    for &b in block {
        let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        acc |= (c0 | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)) as u8;
    }
    acc != 0
}

/// For one-line fields (ids, names, headlines, titles): no line breaks or tabs either,
/// which would break one-line output and Markdown.
pub(crate) fn check_line(problems: &mut Problems, place: &str, field: &str, text: &str) {
    if let Some(i) = text.find(['\n', '\r', '\t']) {
        problems.push(
            place,
            format!("{field} holds a line break or tab at byte {i}"),
            Some("keep it on one line".into()),
        );
    }
    check_controls(problems, place, field, text);
}

/// For text that may run over lines: line ends are \n or \r\n.
pub(crate) fn check_text(problems: &mut Problems, place: &str, field: &str, text: &str) {
    let bytes = text.as_bytes();
    // A carriage return ends a line only before a line feed; alone, it sends a
    // terminal back to the line's start to write over it (in CSV output, say).
    if let Some(i) = memchr::memchr_iter(b'\r', bytes).find(|&i| bytes.get(i + 1) != Some(&b'\n')) {
        problems.push(
            place,
            format!("{field} holds a carriage return without a line feed at byte {i}"),
            Some("end lines with \\n (or \\r\\n)".into()),
        );
    }
    check_controls(problems, place, field, text);
}

fn check_controls(problems: &mut Problems, place: &str, field: &str, text: &str) {
    if let Some((i, c)) = first_control(text) {
        problems.push(
            place,
            format!(
                "{field} holds the control character U+{:04X} at byte {i}",
                c as u32
            ),
            Some("remove it: control and escape characters are not allowed in a timeline".into()),
        );
    }
}

/// Finds a quote in an article, byte for byte, exactly as `str::find` would. Long
/// quotes are found by their first bytes and then compared whole, which is much
/// cheaper than building a searcher for the whole quote. Every occurrence of the
/// prefix is tried, overlapping ones too: an earlier partial match may overlap the
/// real one.
pub(crate) fn find_quote(text: &str, quote: &str) -> Option<usize> {
    const PREFIX: usize = 24;
    let (hay, needle) = (text.as_bytes(), quote.as_bytes());
    if needle.len() <= PREFIX {
        return memchr::memmem::find(hay, needle);
    }
    let prefix = memchr::memmem::Finder::new(&needle[..PREFIX]);
    let mut from = 0;
    while let Some(found) = prefix.find(&hay[from..]) {
        let at = from + found;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn check_id<'a>(
    problems: &mut Problems,
    seen: &mut HashSet<&'a str>,
    kind: &str,
    place: impl Fn() -> String,
    id: &'a str,
) {
    if id.trim().is_empty() {
        problems.push(
            place(),
            format!("{kind} has an empty id"),
            Some("give it a short unique id".into()),
        );
    } else if !seen.insert(id) {
        problems.push(
            place(),
            format!("duplicate {kind} id \"{id}\""),
            Some("ids must be unique; rename one".into()),
        );
    }
    if first_control(id).is_some() || id.contains(['\n', '\r', '\t']) {
        check_line(problems, &place(), "the id", id);
    }
}

fn parse_date(
    problems: &mut Problems,
    place: &str,
    field: &str,
    text: &str,
) -> Option<PartialDate> {
    match PartialDate::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(
                place,
                format!("{field}: {e}"),
                Some(
                    "dates keep only what is known: \"2021\", \"2021-03\" or \"2021-03-12\"".into(),
                ),
            );
            None
        }
    }
}

fn suggest(ids: &HashMap<&str, usize>, wanted: &str) -> Option<String> {
    let wanted_f = fold(wanted);
    let best = ids
        .keys()
        .filter(|k| {
            let k = fold(k);
            k.contains(&wanted_f) || wanted_f.contains(&k) || common_prefix(&k, &wanted_f) >= 3
        })
        .min_by_key(|k| (k.len().abs_diff(wanted.len()), k.to_string()));
    best.map(|b| format!("did you mean \"{b}\"? Otherwise declare \"{wanted}\" in the timeline"))
}

/// Each item's position, by its id.
fn positions<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
    items.iter().enumerate().map(|(i, x)| (id(x), i)).collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn validate(raw: RawTimeline, name: &str, files: &dyn FileSource) -> Result<Loaded, LoadError> {
    let mut problems = Problems::default();
    check_text(&mut problems, "title", "the title", &raw.title);

    let articles = validate_articles(&raw.articles, files, &mut problems);
    let article_ids = positions(&raw.articles, |x| x.id.as_str());

    let mut seen = HashSet::default();
    let mut actors = Vec::with_capacity(raw.actors.len());
    for (i, a) in raw.actors.iter().enumerate() {
        let place = format!("actor \"{}\" (actors[{i}])", a.id);
        check_id(&mut problems, &mut seen, "actor", || place.clone(), &a.id);
        check_names(&mut problems, &place, &a.name, &a.aliases);
        if let Some(r) = &a.role {
            check_line(&mut problems, &place, "the role", r);
        }
        actors.push(Actor {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind,
            role: a.role.clone(),
            aliases: a.aliases.clone(),
        });
    }
    let actor_ids = positions(&raw.actors, |x| x.id.as_str());

    let mut seen = HashSet::default();
    let mut topics = Vec::with_capacity(raw.topics.len());
    for (i, t) in raw.topics.iter().enumerate() {
        let place = format!("topic \"{}\" (topics[{i}])", t.id);
        check_id(&mut problems, &mut seen, "topic", || place.clone(), &t.id);
        check_names(&mut problems, &place, &t.name, &t.aliases);
        topics.push(Topic {
            id: t.id.clone(),
            name: t.name.clone(),
            aliases: t.aliases.clone(),
        });
    }
    let topic_ids = positions(&raw.topics, |x| x.id.as_str());

    let eras = validate_eras(&raw.eras, &mut problems);

    // Ids first, in file order, so a duplicate is reported where it is.
    let mut seen = HashSet::default();
    for (i, e) in raw.events.iter().enumerate() {
        check_id(
            &mut problems,
            &mut seen,
            "event",
            || event_place(i, &e.id),
            &e.id,
        );
    }
    let ctx = EventContext {
        articles: &articles,
        article_ids: &article_ids,
        actor_ids: &actor_ids,
        topic_ids: &topic_ids,
    };
    let Checked {
        mut events,
        problems: event_problems,
        warnings,
    } = validate_events(raw.events, &ctx);
    problems.absorb(event_problems);

    if !problems.list.is_empty() {
        return Err(LoadError {
            file: name.to_string(),
            problems: problems.list,
            more: problems.more,
        });
    }
    // Stable: events on the same date keep the file's order.
    events.sort_by_key(|e: &Event| e.date);
    let articles = articles
        .into_iter()
        .map(|a| a.expect("articles without problems are loaded"))
        .collect();
    Ok(Loaded {
        timeline: Timeline {
            title: raw.title,
            articles,
            actors,
            topics,
            eras,
            events,
        },
        warnings,
    })
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

fn validate_articles(
    raw: &[RawArticle],
    files: &dyn FileSource,
    problems: &mut Problems,
) -> Vec<Option<Article>> {
    let mut seen = HashSet::default();
    raw.iter()
        .enumerate()
        .map(|(i, a)| {
            let place = format!("article \"{}\" (articles[{i}])", a.id);
            check_id(problems, &mut seen, "article", || place.clone(), &a.id);
            check_line(problems, &place, "the title", &a.title);
            if let Some(o) = &a.outlet {
                check_line(problems, &place, "the outlet", o);
            }
            let published = a.published.as_deref().and_then(|p| parse_date(problems, &place, "published", p));
            if let Some(n) = &a.published_note {
                check_line(problems, &place, "the published_note", n);
            }
            if a.published_inferred && a.published.is_none() {
                problems.push(&place, "says published_inferred but gives no published date", Some("add the date worked out, or drop published_inferred".into()));
            }
            let text = match (&a.file, &a.text) {
                (Some(_), Some(_)) => {
                    problems.push(&place, "has both \"file\" and \"text\"", Some("keep one of them".into()));
                    None
                }
                (None, None) => {
                    problems.push(&place, "has neither \"file\" nor \"text\"", Some("give the article's text inline or a file path relative to the timeline".into()));
                    None
                }
                (Some(f), None) => match files.read(f) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        problems.push(&place, e, Some("fix the \"file\" path; it is relative to the timeline file".into()));
                        None
                    }
                },
                (None, Some(t)) => Some(t.clone()),
            }?;
            check_text(problems, &place, "the text", &text);
            let copy = a.copy.as_ref().map(|c| check_copy(problems, &place, c, &text));
            Some(Article {
                id: a.id.clone(),
                file: a.file.clone(),
                title: a.title.clone(),
                outlet: a.outlet.clone(),
                published,
                published_inferred: a.published_inferred,
                published_note: a.published_note.clone(),
                copy,
                text: Arc::from(text),
            })
        })
        .collect()
}

fn validate_eras(raw: &[RawEra], problems: &mut Problems) -> Vec<Era> {
    let mut seen = HashSet::default();
    let mut eras = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let place = format!("era \"{}\" (eras[{i}])", e.id);
        check_id(problems, &mut seen, "era", || place.clone(), &e.id);
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
                && end.last_day() < start.first_day()
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

struct EventContext<'a> {
    articles: &'a [Option<Article>],
    article_ids: &'a HashMap<&'a str, usize>,
    actor_ids: &'a HashMap<&'a str, usize>,
    topic_ids: &'a HashMap<&'a str, usize>,
}

impl EventContext<'_> {
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
struct Checked {
    events: Vec<Event>,
    problems: Problems,
    warnings: Vec<Problem>,
}

/// Validates events on every core: finding quotes is most of the work of loading.
fn validate_events(events: Vec<RawEvent>, ctx: &EventContext) -> Checked {
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
    let mut all = Checked::default();
    for part in results {
        all.events.extend(part.events);
        all.problems.absorb(part.problems);
        all.warnings.extend(part.warnings);
    }
    all
}

fn validate_chunk(base: usize, chunk: Vec<RawEvent>, ctx: &EventContext) -> Checked {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let mut events = Vec::with_capacity(chunk.len());
    for (k, e) in chunk.into_iter().enumerate() {
        let place = event_place(base + k, &e.id);
        if let Some(ev) = validate_event(e, &place, ctx, &mut problems) {
            if ev.actors.is_empty() {
                warnings.push(Problem {
                    place: place.clone(),
                    message: "names no actors".into(),
                    hint: Some("add actor ids so the filter can find it".into()),
                });
            }
            if ev.topics.is_empty() {
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

fn validate_event(
    e: RawEvent,
    place: &str,
    ctx: &EventContext,
    problems: &mut Problems,
) -> Option<Event> {
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
        && x.last_day() < d.first_day()
    {
        problems.push(
            place,
            format!("ends ({x}) before it starts ({d})"),
            Some("swap or correct the dates".into()),
        );
    }
    let actors = resolve(problems, place, "actor", ctx.actor_ids, &e.actors);
    let topics = resolve(problems, place, "topic", ctx.topic_ids, &e.topics);
    if e.sources.is_empty() {
        problems.push(
            place,
            "cites no article",
            Some("add a source: {\"article\": ID, \"quote\": \"words from the article\"}".into()),
        );
    }
    let mut sources = Vec::with_capacity(e.sources.len());
    for (j, s) in e.sources.into_iter().enumerate() {
        let splace = format!("{place}, sources[{j}]");
        let Some(&ai) = ctx.article_ids.get(s.article.as_str()) else {
            problems.push_with(
                &splace,
                format!("unknown article id \"{}\"", s.article),
                || suggest(ctx.article_ids, &s.article),
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
                quote: s.quote,
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
        .and_then(|b| check_date_basis(problems, place, b, &cited, ctx.article_ids, ctx.articles));
    Some(Event {
        id: e.id,
        date: date?,
        end,
        date_note: e.date_note,
        date_basis,
        headline: e.headline,
        summary: e.summary,
        actors,
        topics,
        sources,
    })
}

/// How to fix a quote the article does not have: the passage it nearly matches,
/// and, when the two look the same, which character differs.
pub(crate) fn quote_hint(text: &str, quote: &str) -> String {
    let Some((from, to)) = closest_span(text, quote) else {
        return "copy the words exactly as the article has them".into();
    };
    let passage = &text[from..to];
    // As many characters as the quote has, from where the passage starts.
    let same_length: String = text[from..].chars().take(quote.chars().count()).collect();
    if let Some((at, article, quoted)) = look_alike(&same_length, quote) {
        return format!(
            "the article has U+{:04X} ({}) where the quote has U+{:04X} ({}), at character {} \
             of the quote; they look alike, so copy the article's words: \"{}\"",
            article as u32,
            char_name(article),
            quoted as u32,
            char_name(quoted),
            at + 1,
            shortened(&same_length)
        );
    }
    format!(
        "the closest passage in the article is: \"{}\"; copy the words exactly",
        shortened(passage)
    )
}

/// Where `passage` and `quote` first differ, when every difference is between
/// characters that read the same: kinds of space, apostrophe, quote mark or dash.
fn look_alike(passage: &str, quote: &str) -> Option<(usize, char, char)> {
    if passage.chars().count() != quote.chars().count() {
        return None;
    }
    let kind = |c: char| {
        if c.is_whitespace() {
            Some(' ')
        } else if is_apostrophe(c) {
            Some('\'')
        } else if is_quote_mark(c) {
            Some('"')
        } else if is_dash(c) {
            Some('-')
        } else {
            None
        }
    };
    let mut first = None;
    for (i, (a, q)) in passage.chars().zip(quote.chars()).enumerate() {
        if a == q {
            continue;
        }
        if kind(a).is_none() || kind(a) != kind(q) {
            return None;
        }
        first.get_or_insert((i, a, q));
    }
    first
}

/// A plain name for the look-alike characters a hint may point at.
fn char_name(c: char) -> &'static str {
    match c {
        ' ' => "a space",
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{2009}' => "a thin space",
        '\'' => "a straight apostrophe",
        '\u{2019}' => "a curly apostrophe",
        '"' => "a straight quote mark",
        '\u{201C}' | '\u{201D}' => "a curly quote mark",
        '-' => "a hyphen",
        '\u{2013}' => "an en dash",
        '\u{2014}' => "an em dash",
        '\n' => "a line break",
        _ => "a look-alike",
    }
}

/// At most 200 characters of a passage, for a message.
fn shortened(passage: &str) -> String {
    let short: String = passage.chars().take(200).collect();
    if short.len() < passage.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Byte range of the run of the article's words that shares the most words with
/// the quote, so a near miss can be fixed by copying it.
fn closest_span(text: &str, quote: &str) -> Option<(usize, usize)> {
    let quote_words = words(&fold(quote));
    let qlen = quote_words.len().max(1);
    let qwords: HashSet<String> = quote_words.into_iter().collect();
    if qwords.is_empty() {
        return None;
    }
    let spans = word_byte_spans(text);
    // A word counts when it is in the quote or shares its first four letters with a
    // quote word, so a typo still points at the right passage.
    let near = |w: &String| {
        qwords
            .iter()
            .any(|q| q == w || (common_prefix(q, w) >= 4.min(q.len()).min(w.len()) && q.len() >= 4))
    };
    let hits: Vec<bool> = spans
        .iter()
        .map(|&(s, e)| words(&fold(&text[s..e])).iter().any(near))
        .collect();
    let mut best = (0usize, 0usize);
    let mut count = 0;
    for i in 0..hits.len() {
        count += hits[i] as usize;
        if i >= qlen {
            count -= hits[i - qlen] as usize;
        }
        if count > best.0 {
            best = (count, i.saturating_sub(qlen - 1));
        }
    }
    if best.0 == 0 {
        return None;
    }
    let from = spans[best.1].0;
    let to = spans[(best.1 + qlen - 1).min(spans.len() - 1)].1;
    Some((from, to))
}

// ---------- writing a timeline back out ----------

/// A self-contained timeline file (article text inline) that loads back unchanged.
fn to_raw(t: &Timeline) -> RawTimeline {
    RawTimeline {
        title: t.title.clone(),
        articles: t
            .articles
            .iter()
            .map(|a| RawArticle {
                id: a.id.clone(),
                file: None,
                text: Some(a.text.to_string()),
                title: a.title.clone(),
                outlet: a.outlet.clone(),
                published: a.published.map(|d| d.to_string()),
                published_inferred: a.published_inferred,
                published_note: a.published_note.clone(),
                copy: a.copy.as_ref().map(raw_copy),
            })
            .collect(),
        actors: t
            .actors
            .iter()
            .map(|a| RawActor {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind,
                role: a.role.clone(),
                aliases: a.aliases.clone(),
            })
            .collect(),
        topics: t
            .topics
            .iter()
            .map(|x| RawTopic {
                id: x.id.clone(),
                name: x.name.clone(),
                aliases: x.aliases.clone(),
            })
            .collect(),
        eras: t
            .eras
            .iter()
            .map(|e| RawEra {
                id: e.id.clone(),
                name: e.name.clone(),
                group: e.group.clone(),
                start: e.start.to_string(),
                end: e.end.map(|d| d.to_string()),
            })
            .collect(),
        events: t
            .events
            .iter()
            .map(|e| RawEvent {
                id: e.id.clone(),
                date: e.date.to_string(),
                end: e.end.map(|d| d.to_string()),
                date_note: e.date_note.clone(),
                date_basis: e.date_basis.as_ref().map(|b| raw_date_basis(t, b)),
                headline: e.headline.clone(),
                summary: e.summary.clone(),
                actors: e.actors.iter().map(|&a| t.actors[a].id.clone()).collect(),
                topics: e.topics.iter().map(|&x| t.topics[x].id.clone()).collect(),
                sources: e
                    .sources
                    .iter()
                    .map(|s| RawSource {
                        article: t.articles[s.article].id.clone(),
                        quote: s.quote.clone(),
                        caveat: s.caveat.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn to_json(t: &Timeline) -> String {
    serde_json::to_string_pretty(&to_raw(t)).expect("a timeline always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn minimal(event: &str) -> String {
        format!(
            r#"{{"title":"t","articles":[{{"id":"a","text":"Putin met Khatami on March 12, 2001.","title":"A"}}],
            "actors":[{{"id":"putin","name":"Vladimir Putin","kind":"person","aliases":[]}}],
            "topics":[{{"id":"energy","name":"Energy"}}],
            "events":[{event}]}}"#
        )
    }

    /// Text over a small vocabulary, where partial matches overlap the real one often.
    fn wordy() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["Russia ", "and ", "Iran", ", ", "Iran, ", "a", "é"]),
            0..60,
        )
        .prop_map(|words| words.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        #[test]
        fn the_quote_finder_agrees_with_str_find(text in wordy(), cut in 0usize..400, len in 0usize..200, other in wordy()) {
            // A real quote (a slice of the text) and an arbitrary one.
            let chars: Vec<char> = text.chars().collect();
            let start = cut.min(chars.len());
            let end = (start + len).min(chars.len());
            let real: String = chars[start..end].iter().collect();
            proptest::prop_assert_eq!(find_quote(&text, &real), text.find(real.as_str()));
            proptest::prop_assert_eq!(find_quote(&text, &other), text.find(other.as_str()));
        }
    }

    #[test]
    fn a_quote_is_found_after_an_overlapping_partial_match() {
        let text = "Russia and Iran, Russia and Iran, Russia and China agreed.";
        let quote = "Russia and Iran, Russia and China agreed.";
        assert_eq!(find_quote(text, quote), text.find(quote));
        assert!(find_quote(text, quote).is_some());
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
    fn warns_on_events_without_actors_or_topics() {
        let json = minimal(
            r#"{"id":"e","date":"2001","headline":"h","summary":"s","sources":[{"article":"a","quote":"Putin"}]}"#,
        );
        let loaded = load_str(&json, "t.json", &InlineOnly).unwrap();
        assert_eq!(loaded.warnings.len(), 2);
    }

    #[test]
    fn absorbed_problems_keep_the_cap_and_count_the_rest() {
        let problems = |n: usize, more: usize| {
            let mut p = Problems::default();
            for i in 0..n {
                p.push(format!("p{i}"), "m", None);
            }
            p.more += more;
            p
        };
        let mut all = problems(MAX_PROBLEMS - 1, 0);
        all.absorb(problems(3, 5));
        assert_eq!(all.list.len(), MAX_PROBLEMS);
        assert_eq!(all.list[MAX_PROBLEMS - 1].place, "p0");
        assert_eq!(all.more, 2 + 5);
    }

    #[test]
    fn closest_passage_points_at_the_near_miss() {
        let text = "One two three. The cat sat on the mat today.";
        let (from, to) = closest_span(text, "the cat sit on the mat").unwrap();
        let p = &text[from..to];
        assert!(p.starts_with("The cat sat on the mat"), "{p}");
    }

    #[test]
    fn a_quote_that_differs_only_by_a_look_alike_is_told_which_character() {
        let text = "Moscow. Putin\u{a0}met Khatami\u{2019}s team today.";
        let hint = quote_hint(text, "Putin met Khatami's team today.");
        assert!(
            hint.starts_with(
                "the article has U+00A0 (a no-break space) where the quote has U+0020 (a space), at character 6"
            ),
            "{hint}"
        );
        // Other words are a near miss, shown as one.
        let hint = quote_hint(text, "Putin met Khatami's crew.");
        assert!(hint.starts_with("the closest passage"), "{hint}");
    }
}
