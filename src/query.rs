//! The query language and matching, shared by the explorer's filter and the CLI.
//!
//! Terms are space-separated and must all match (as in fzf). A free term matches
//! fuzzily against actor and topic names and aliases and against headline words,
//! and as a word prefix against summaries and quotes. `actor:`/`topic:` restrict a
//! term to one field; `2017`, `2017-08` or `2017..2021` restrict dates; `!` negates.
//!
//! Matching goes through a word index built once at load, so its cost follows the
//! vocabulary and the size of the answer rather than the text of every event.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::data::date::PartialDate;
use crate::data::model::{Event, Timeline};
use crate::data::text::{
    fold, fold_into, fold_with_map, for_each_word, spelling_variant, word_spans, words,
};
use rustc_hash::FxHashMap;

// ---------- parsing ----------

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Any,
    Actor,
    Topic,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermKind {
    Text {
        field: Field,
        folded: String,
        words: Vec<String>,
    },
    Dates {
        from: Option<PartialDate>,
        to: Option<PartialDate>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub kind: TermKind,
    pub negated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// The most characters a query may have. Real filters are a few words; matching
/// cost grows with every term and every letter, so past these limits a query is
/// refused rather than left to run for seconds.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The most terms (words separated by spaces) a query may have.
pub const MAX_TERMS: usize = 32;
/// The most characters one term may have.
pub const MAX_TERM_CHARS: usize = 64;

/// Why a query is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooLarge {
    Chars(usize),
    Terms(usize),
    Term { chars: usize },
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooLarge::Chars(n) => write!(
                f,
                "the query has {n} characters; at most {MAX_QUERY_CHARS} are allowed"
            ),
            TooLarge::Terms(n) => write!(
                f,
                "the query has {n} terms; at most {MAX_TERMS} are allowed"
            ),
            TooLarge::Term { chars } => write!(
                f,
                "a term of the query has {chars} characters; at most {MAX_TERM_CHARS} are allowed"
            ),
        }
    }
}

/// Counts what the limits bound, one character at a time, so that typing can be
/// stopped at the first character that would go past one.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuerySize {
    chars: usize,
    terms: usize,
    term_chars: usize,
}

impl QuerySize {
    pub fn of(text: &str) -> Self {
        let mut size = QuerySize::default();
        for c in text.chars() {
            size.push(c);
        }
        size
    }

    fn push(&mut self, c: char) {
        self.chars += 1;
        if c.is_whitespace() {
            self.term_chars = 0;
        } else {
            if self.term_chars == 0 {
                self.terms += 1;
            }
            self.term_chars += 1;
        }
    }

    fn over(&self) -> Option<TooLarge> {
        if self.chars > MAX_QUERY_CHARS {
            Some(TooLarge::Chars(self.chars))
        } else if self.terms > MAX_TERMS {
            Some(TooLarge::Terms(self.terms))
        } else if self.term_chars > MAX_TERM_CHARS {
            Some(TooLarge::Term {
                chars: self.term_chars,
            })
        } else {
            None
        }
    }

    /// How many bytes of `more` fit after the text measured so far, and, when not
    /// all of them do, the limit the next character would break.
    pub fn fitting(mut self, more: &str) -> (usize, Option<TooLarge>) {
        for (at, c) in more.char_indices() {
            self.push(c);
            if let Some(why) = self.over() {
                return (at, Some(why));
            }
        }
        (more.len(), None)
    }
}

/// A date or a range of dates as typed: `2017`, `2017-08-05`, `2017..2021`, `..2005`, `2020..`.
fn parse_date_range(text: &str) -> Option<(Option<PartialDate>, Option<PartialDate>)> {
    if let Some((a, b)) = text.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(PartialDate::parse(a).ok()?)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(PartialDate::parse(b).ok()?)
        };
        if from.is_none() && to.is_none() {
            return None;
        }
        Some((from, to))
    } else {
        let d = PartialDate::parse(text).ok()?;
        Some((Some(d), Some(d)))
    }
}

impl Term {
    /// A plain word to look for anywhere (not a date, a field restriction or a negation):
    /// the terms that search ranks by.
    fn is_free_text(&self) -> bool {
        !self.negated
            && matches!(
                self.kind,
                TermKind::Text {
                    field: Field::Any,
                    ..
                }
            )
    }
}

/// A term matching text, in one field or any: folded, a possessive cut to its noun
/// ("Zarif's" looks for "zarif"). None when it holds no word.
fn text_term(field: Field, text: &str, negated: bool) -> Option<Term> {
    let mut folded = fold(text);
    if folded.len() > 3 && folded.ends_with("'s") {
        folded.truncate(folded.len() - 2);
    }
    let ws = words(&folded);
    if ws.is_empty() {
        return None;
    }
    Some(Term {
        kind: TermKind::Text {
            field,
            folded,
            words: ws,
        },
        negated,
    })
}

impl Query {
    /// Parses a query within the limits, or says which one it breaks, counting the
    /// whole query (not only up to the limit) so the message gives its real size.
    pub fn parse_limited(input: &str) -> Result<Query, TooLarge> {
        let chars = input.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(TooLarge::Chars(chars));
        }
        let tokens = input.split_whitespace();
        let terms = tokens.clone().count();
        if terms > MAX_TERMS {
            return Err(TooLarge::Terms(terms));
        }
        if let Some(chars) = tokens
            .map(|t| t.chars().count())
            .find(|&n| n > MAX_TERM_CHARS)
        {
            return Err(TooLarge::Term { chars });
        }
        Ok(Query::parse(input))
    }

    /// Parses a query as typed, whatever its size: callers that take a query from a
    /// user go through `parse_limited`.
    pub fn parse(input: &str) -> Query {
        let terms = input
            .split_whitespace()
            .filter_map(Self::parse_term)
            .collect();
        Query { terms }
    }

    fn parse_term(token: &str) -> Option<Term> {
        let (negated, body) = match token.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, token),
        };
        if body.is_empty() {
            return None;
        }
        let lower = body.to_lowercase();
        let (field, rest) = if let Some(r) = lower
            .strip_prefix("actor:")
            .or_else(|| lower.strip_prefix("a:"))
        {
            (Field::Actor, r)
        } else if let Some(r) = lower
            .strip_prefix("topic:")
            .or_else(|| lower.strip_prefix("t:"))
        {
            (Field::Topic, r)
        } else {
            (Field::Any, lower.as_str())
        };
        if field == Field::Any
            && let Some((from, to)) = parse_date_range(rest)
        {
            return Some(Term {
                kind: TermKind::Dates { from, to },
                negated,
            });
        }
        text_term(field, rest, negated)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// A term that matches only actors (or only topics), from text that may hold spaces.
    pub fn field_term(field: Field, text: &str) -> Option<Term> {
        text_term(field, text.trim(), false)
    }

    /// Text terms (not negated), for highlighting.
    pub fn highlight_words(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter(|t| !t.negated)
            .filter_map(|t| match &t.kind {
                TermKind::Text { words, .. } => Some(words.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

// ---------- sets of events ----------

/// A set of event indices as a bitset; iteration is in chronological order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSet {
    bits: Vec<u64>,
    len: usize,
}

impl EventSet {
    pub fn empty(len: usize) -> Self {
        Self {
            bits: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn full(len: usize) -> Self {
        let mut s = Self {
            bits: vec![!0; len.div_ceil(64)],
            len,
        };
        s.trim();
        s
    }

    fn trim(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.bits.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }

    fn insert(&mut self, i: usize) {
        self.bits[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn extend(&mut self, ids: &[u32]) {
        for &i in ids {
            self.insert(i as usize);
        }
    }

    fn union_with(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a |= b;
        }
    }

    fn intersect_with(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= b;
        }
    }

    fn subtract(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= !b;
        }
    }

    pub fn count(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

// ---------- the index ----------

/// How well a term fits a name. Higher is better; `None` is no match.
pub fn name_score(matcher: &SkimMatcherV2, term: &str, name: &str) -> Option<i64> {
    if name == term {
        return Some(1000);
    }
    if name.starts_with(term) {
        return Some(800);
    }
    let name_words = words(name);
    // "zarifs" (a possessive typed without its apostrophe) still names Zarif.
    let singular = term.strip_suffix('s').filter(|t| t.len() >= 3);
    if name_words
        .iter()
        .any(|w| w.starts_with(term) || Some(w.as_str()) == singular)
        || (term.contains(' ') && name.contains(term))
    {
        return Some(600);
    }
    fuzzy_in(matcher, term, name).map(|(s, _)| s.min(500))
}

/// A name with one letter wrong ("Lavrof", "Grajewsky"), as a last resort when a
/// term fits no name at all: one edit for words up to six letters, two beyond.
fn misspelt_name(term: &str, name: &str) -> bool {
    let n = term.chars().count();
    if n < 5 || term.contains(' ') {
        return false;
    }
    let limit = if n <= 6 { 1 } else { 2 };
    words(name)
        .iter()
        .any(|w| w.len() >= 4 && strsim::damerau_levenshtein(term, w) <= limit)
}

/// A fuzzy match that stays compact: the matched characters may spread over at most
/// about twice the term's length, so a term never matches letters scattered over a
/// long text. Terms shorter than three characters only match as prefixes.
fn fuzzy_in(matcher: &SkimMatcherV2, term: &str, text: &str) -> Option<(i64, Vec<usize>)> {
    let n = term.chars().count();
    if n < 3 {
        return None;
    }
    let (score, idx) = matcher.fuzzy_indices(text, term)?;
    let span = idx.last()? - idx.first()? + 1;
    (span <= 2 * n + 1).then_some((score, idx))
}

/// The index of a range of events, built on one thread.
struct Partial {
    ids: FxHashMap<String, u32>,
    headline_postings: Vec<Vec<u32>>,
    body_postings: Vec<Vec<u32>>,
    actor_events: Vec<Vec<u32>>,
    topic_events: Vec<Vec<u32>>,
    spans: Vec<(NaiveDate, NaiveDate)>,
}

impl Partial {
    /// Indexes events `range`; their words too, unless `words` is false.
    fn build(t: &Timeline, range: std::ops::Range<usize>, words: bool) -> Partial {
        let mut p = Partial {
            ids: FxHashMap::default(),
            headline_postings: Vec::new(),
            body_postings: Vec::new(),
            actor_events: vec![Vec::new(); t.actors.len()],
            topic_events: vec![Vec::new(); t.topics.len()],
            spans: Vec::with_capacity(range.len()),
        };
        let (mut folded, mut word) = (String::new(), String::new());
        for i in range {
            let e = &t.events[i];
            let ei = i as u32;
            for &a in &e.actors {
                p.actor_events[a].push(ei);
            }
            for &x in &e.topics {
                p.topic_events[x].push(ei);
            }
            p.spans.push((e.date.first_day(), e.last_day()));
            if !words {
                continue;
            }
            fold_into(&e.headline, &mut folded);
            for_each_word(&folded, &mut word, |w| {
                for w in std::iter::once(w).chain(spelling_variant(w)) {
                    let id = p.word_id(w);
                    push_unique(&mut p.headline_postings[id], ei);
                }
            });
            let body = std::iter::once(e.summary.as_str())
                .chain(e.sources.iter().map(|s| s.quote.as_str()));
            for text in body {
                fold_into(text, &mut folded);
                for_each_word(&folded, &mut word, |w| {
                    for w in std::iter::once(w).chain(spelling_variant(w)) {
                        let id = p.word_id(w);
                        push_unique(&mut p.body_postings[id], ei);
                    }
                });
            }
        }
        p
    }

    fn word_id(&mut self, w: &str) -> usize {
        if let Some(&id) = self.ids.get(w) {
            return id as usize;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.headline_postings.push(Vec::new());
        self.body_postings.push(Vec::new());
        id as usize
    }

    /// Adds the index of later events.
    fn append(&mut self, later: Partial) {
        for (w, id) in later.ids {
            let mine = self.word_id(&w);
            self.headline_postings[mine].extend_from_slice(&later.headline_postings[id as usize]);
            self.body_postings[mine].extend_from_slice(&later.body_postings[id as usize]);
        }
        for (mine, theirs) in self.actor_events.iter_mut().zip(later.actor_events) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.topic_events.iter_mut().zip(later.topic_events) {
            mine.extend(theirs);
        }
        self.spans.extend(later.spans);
    }
}

pub struct SearchIndex {
    events: usize,
    actor_names: Vec<Vec<String>>,
    topic_names: Vec<Vec<String>>,
    actor_events: Vec<Vec<u32>>,
    topic_events: Vec<Vec<u32>>,
    /// Sorted distinct folded words of headlines, summaries and quotes.
    vocab: Vec<String>,
    headline_postings: Vec<Vec<u32>>,
    body_postings: Vec<Vec<u32>>,
    /// Vocabulary entries that occur in some headline (fuzzy matching runs on these).
    headline_vocab: Vec<u32>,
    spans: Vec<(NaiveDate, NaiveDate)>,
    matcher: SkimMatcherV2,
}

/// What one text term matched in the vocabulary.
#[derive(Debug, Clone, Default)]
struct TermHits {
    actors: Vec<(usize, i64)>,
    topics: Vec<(usize, i64)>,
}

fn push_unique(list: &mut Vec<u32>, e: u32) {
    if list.last() != Some(&e) {
        list.push(e);
    }
}

impl SearchIndex {
    pub fn build(t: &Timeline) -> Self {
        Self::build_with(t, true)
    }

    /// An index for dates, actors and topics only, without the word vocabulary:
    /// enough for field queries, and much quicker to build on a large timeline.
    pub fn build_fields(t: &Timeline) -> Self {
        Self::build_with(t, false)
    }

    fn build_with(t: &Timeline, words: bool) -> Self {
        let names = |name: &str, aliases: &[String]| -> Vec<String> {
            std::iter::once(name)
                .chain(aliases.iter().map(String::as_str))
                .map(fold)
                .collect()
        };
        let actor_names = t
            .actors
            .iter()
            .map(|a| names(&a.name, &a.aliases))
            .collect();
        let topic_names = t
            .topics
            .iter()
            .map(|x| names(&x.name, &x.aliases))
            .collect();
        // Two halves of the events are indexed at once, then joined: the second
        // half's events all come later, so its postings simply follow the first's.
        let half = t.events.len() / 2;
        let (mut part, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| Partial::build(t, half..t.events.len(), words));
            (
                Partial::build(t, 0..half, words),
                second.join().expect("indexing does not panic"),
            )
        });
        part.append(second);
        let Partial {
            ids,
            mut headline_postings,
            mut body_postings,
            actor_events,
            topic_events,
            spans,
        } = part;
        // Sort the vocabulary and carry the postings along.
        let mut order: Vec<(String, u32)> = ids.into_iter().collect();
        order.sort_unstable();
        let mut vocab = Vec::with_capacity(order.len());
        let mut hp = Vec::with_capacity(order.len());
        let mut bp = Vec::with_capacity(order.len());
        let mut headline_vocab = Vec::new();
        for (w, id) in order {
            let h = std::mem::take(&mut headline_postings[id as usize]);
            if !h.is_empty() {
                headline_vocab.push(vocab.len() as u32);
            }
            vocab.push(w);
            hp.push(h);
            bp.push(std::mem::take(&mut body_postings[id as usize]));
        }
        SearchIndex {
            events: t.events.len(),
            actor_names,
            topic_names,
            actor_events,
            topic_events,
            vocab,
            headline_postings: hp,
            body_postings: bp,
            headline_vocab,
            spans,
            matcher: SkimMatcherV2::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.events
    }

    pub fn is_empty(&self) -> bool {
        self.events == 0
    }

    pub fn matcher(&self) -> &SkimMatcherV2 {
        &self.matcher
    }

    fn best_name(&self, names: &[String], term: &str) -> Option<i64> {
        names
            .iter()
            .filter_map(|n| name_score(&self.matcher, term, n))
            .max()
    }

    /// Actors and topics whose name or alias the term fits.
    fn term_hits(&self, field: &Field, folded: &str) -> TermHits {
        let mut hits = TermHits::default();
        if *field != Field::Topic {
            hits.actors = (self.actor_names.iter().enumerate())
                .filter_map(|(i, n)| self.best_name(n, folded).map(|s| (i, s)))
                .collect();
        }
        if *field != Field::Actor {
            hits.topics = (self.topic_names.iter().enumerate())
                .filter_map(|(i, n)| self.best_name(n, folded).map(|s| (i, s)))
                .collect();
        }
        if hits.actors.is_empty() && hits.topics.is_empty() {
            let misspelt = |names: &Vec<Vec<String>>| -> Vec<(usize, i64)> {
                (names.iter().enumerate())
                    .filter(|(_, ns)| ns.iter().any(|n| misspelt_name(folded, n)))
                    .map(|(i, _)| (i, 300))
                    .collect()
            };
            if *field != Field::Topic {
                hits.actors = misspelt(&self.actor_names);
            }
            if *field != Field::Actor {
                hits.topics = misspelt(&self.topic_names);
            }
        }
        // Fuzzy fits are a fallback for names the term does not spell: when it is a
        // name, an alias or a word of one, "usa" must not also reach Russia, "putin"
        // Sputnik, or "mir" Military.
        if hits
            .actors
            .iter()
            .chain(&hits.topics)
            .any(|&(_, s)| s >= 600)
        {
            hits.actors.retain(|&(_, s)| s >= 600);
            hits.topics.retain(|&(_, s)| s >= 600);
        }
        hits
    }

    /// The vocabulary entries a term word reaches: every word it begins, plus
    /// headline words it fits fuzzily (compactly).
    fn word_matches(&self, word: &str) -> (std::ops::Range<usize>, Vec<usize>) {
        let start = self.vocab.partition_point(|w| w.as_str() < word);
        let end = start + self.vocab[start..].partition_point(|w| w.starts_with(word));
        let fuzzy = if word.chars().count() >= 4 {
            self.headline_vocab
                .iter()
                .map(|&i| i as usize)
                .filter(|i| !(start..end).contains(i))
                .filter(|&i| fuzzy_in(&self.matcher, word, &self.vocab[i]).is_some())
                .collect()
        } else {
            Vec::new()
        };
        (start..end, fuzzy)
    }

    /// Events that one term matches, ignoring its negation.
    fn term_set(&self, term: &Term) -> EventSet {
        let mut set = EventSet::empty(self.events);
        match &term.kind {
            TermKind::Dates { from, to } => {
                let lo = from.map(|d| d.first_day()).unwrap_or(NaiveDate::MIN);
                let hi = to.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX);
                for (i, (s, e)) in self.spans.iter().enumerate() {
                    if *s <= hi && *e >= lo {
                        set.insert(i);
                    }
                }
            }
            TermKind::Text {
                field,
                folded,
                words,
            } => {
                let hits = self.term_hits(field, folded);
                for (a, _) in &hits.actors {
                    set.extend(&self.actor_events[*a]);
                }
                for (x, _) in &hits.topics {
                    set.extend(&self.topic_events[*x]);
                }
                if *field == Field::Any {
                    set.union_with(&self.words_set(words));
                }
            }
        }
        set
    }

    /// Events holding every word (as a prefix, or fuzzily in a headline word).
    fn words_set(&self, words: &[String]) -> EventSet {
        let mut all: Option<EventSet> = None;
        for w in words {
            let mut s = EventSet::empty(self.events);
            let (prefix, fuzzy) = self.word_matches(w);
            for i in prefix {
                s.extend(&self.headline_postings[i]);
                s.extend(&self.body_postings[i]);
            }
            for i in fuzzy {
                s.extend(&self.headline_postings[i]);
            }
            match &mut all {
                Some(a) => a.intersect_with(&s),
                None => all = Some(s),
            }
        }
        all.unwrap_or_else(|| EventSet::empty(self.events))
    }

    fn actor_set(&self, actors: &[usize]) -> EventSet {
        let mut s = EventSet::empty(self.events);
        for &a in actors {
            s.extend(&self.actor_events[a]);
        }
        s
    }

    fn topic_set(&self, topics: &[usize]) -> EventSet {
        let mut s = EventSet::empty(self.events);
        for &x in topics {
            s.extend(&self.topic_events[x]);
        }
        s
    }

    /// The known word or name closest to a word that matched nothing, for a
    /// "did you mean" (one edit for short words, two for longer ones).
    fn suggest(&self, word: &str) -> Option<String> {
        let limit = if word.chars().count() <= 4 { 1 } else { 2 };
        // Names are few, so their words are split out; the vocabulary is only borrowed.
        let name_words: Vec<String> = (self.actor_names.iter().chain(&self.topic_names))
            .flatten()
            .flat_map(|n| words(n))
            .collect();
        (self.vocab.iter().chain(&name_words))
            .map(String::as_str)
            .filter(|w| w.len() >= 3 && *w != word)
            .map(|w| (strsim::damerau_levenshtein(word, w), w))
            .filter(|(d, _)| *d <= limit)
            .min()
            .map(|(_, w)| w.to_string())
    }

    /// A suggestion for each word of the query that on its own matches nothing.
    pub fn suggestions(&self, query: &Query) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for term in query.terms.iter().filter(|t| !t.negated) {
            let TermKind::Text { words, .. } = &term.kind else {
                continue;
            };
            // A number has no spelling to correct ("2017" is not a typo of "201").
            for w in words
                .iter()
                .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
            {
                let single = Term {
                    kind: TermKind::Text {
                        field: Field::Any,
                        folded: w.clone(),
                        words: vec![w.clone()],
                    },
                    negated: false,
                };
                if self.term_set(&single).count() == 0
                    && let Some(s) = self.suggest(w)
                {
                    out.push((w.clone(), s));
                }
            }
        }
        out
    }

    /// Each actor's name and aliases, folded.
    pub fn folded_actor_names(&self) -> &[Vec<String>] {
        &self.actor_names
    }

    /// Each topic's name and aliases, folded.
    pub fn folded_topic_names(&self) -> &[Vec<String>] {
        &self.topic_names
    }

    pub fn actor_count(&self, a: usize) -> usize {
        self.actor_events[a].len()
    }

    pub fn topic_count(&self, x: usize) -> usize {
        self.topic_events[x].len()
    }
}

/// Evaluates queries, remembering each term's events so that typing one more
/// term, or going back, does not redo the others.
pub struct Matcher {
    pub index: Arc<SearchIndex>,
    cache: HashMap<Term, EventSet>,
}

/// What narrows the chronology: the query plus the actors and topics picked
/// (any picked actor, and any picked topic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub query: Query,
    pub actors: Vec<usize>,
    pub topics: Vec<usize>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.query.is_empty() && !self.has_picks()
    }

    /// Whether actors or topics are picked.
    pub fn has_picks(&self) -> bool {
        !self.actors.is_empty() || !self.topics.is_empty()
    }
}

const CACHE_LIMIT: usize = 256;

impl Matcher {
    pub fn new(t: &Timeline) -> Self {
        Self::with_index(Arc::new(SearchIndex::build(t)))
    }

    /// A matcher over an index another matcher already built (for a worker thread).
    pub fn with_index(index: Arc<SearchIndex>) -> Self {
        Matcher {
            index,
            cache: HashMap::new(),
        }
    }

    /// Forgets the remembered terms (benchmarks use it to measure cold keystrokes).
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    fn cached(&mut self, term: &Term) -> &EventSet {
        // A negated term shares its set with the plain one.
        let key = Term {
            negated: false,
            ..term.clone()
        };
        if !self.cache.contains_key(&key) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let set = self.index.term_set(&key);
            self.cache.insert(key.clone(), set);
        }
        &self.cache[&key]
    }

    pub fn evaluate(&mut self, sel: &Selection) -> EventSet {
        self.evaluate_unless(sel, || false)
            .expect("never cancelled")
    }

    /// Evaluates, giving up between terms (returning `None`) once `cancelled` says so:
    /// a newer keystroke has made this answer useless.
    pub fn evaluate_unless(
        &mut self,
        sel: &Selection,
        cancelled: impl Fn() -> bool,
    ) -> Option<EventSet> {
        let n = self.index.len();
        let mut result = EventSet::full(n);
        for term in &sel.query.terms {
            if cancelled() {
                return None;
            }
            let negated = term.negated;
            let set = self.cached(term);
            if negated {
                result.subtract(set);
            } else {
                result.intersect_with(set);
            }
        }
        if !sel.actors.is_empty() {
            result.intersect_with(&self.index.actor_set(&sel.actors));
        }
        if !sel.topics.is_empty() {
            result.intersect_with(&self.index.topic_set(&sel.topics));
        }
        Some(result)
    }
}

// ---------- ranking (CLI search) ----------

/// How an event answers a query: how many of its terms it matched (restrictions
/// included, so all of them is `query.terms.len()`), and how well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rank {
    pub matched: usize,
    pub score: f64,
}

/// Whether a text word begins with the typed word, in either spelling.
fn fits(text_word: &str, typed: &str) -> bool {
    text_word.starts_with(typed)
        || spelling_variant(text_word).is_some_and(|v| v.starts_with(typed))
}

fn text_word_score(text_words: &[String], word: &str) -> bool {
    text_words.iter().any(|w| fits(w, word))
}

/// Whether the text holds the typed word whole, in either spelling.
fn holds(text_words: &[String], word: &str) -> bool {
    text_words
        .iter()
        .any(|w| w == word || spelling_variant(w) == Some(word))
}

/// A free query term as ranking needs it, worked out once per search rather than
/// once per event.
struct FreeTerm<'q> {
    /// The events the term matches.
    events: EventSet,
    words: &'q [String],
    /// The actors and topics it fits.
    hits: TermHits,
}

/// A query prepared for ranking events.
struct Ranking<'q> {
    /// Restrictions (dates, `actor:`, `topic:`, negations) count as matched: every
    /// candidate already meets them.
    restrictions: usize,
    free: Vec<FreeTerm<'q>>,
    /// The free words as typed: side by side in a text, they are the strongest
    /// sign of the fact sought.
    phrase: Vec<&'q str>,
}

impl<'q> Ranking<'q> {
    fn new(m: &mut Matcher, query: &'q Query) -> Self {
        let free: Vec<FreeTerm> = query
            .terms
            .iter()
            .filter_map(|term| match &term.kind {
                TermKind::Text {
                    field,
                    folded,
                    words,
                } if term.is_free_text() => Some(FreeTerm {
                    events: m.cached(term).clone(),
                    words,
                    hits: m.index.term_hits(field, folded),
                }),
                _ => None,
            })
            .collect();
        let phrase = free
            .iter()
            .flat_map(|t| t.words.iter().map(String::as_str))
            .collect();
        Ranking {
            restrictions: query.terms.len() - free.len(),
            free,
            phrase,
        }
    }
}

/// The folded words of an event's headline, summary and quotes.
struct EventWords {
    head: Vec<String>,
    summary: Vec<String>,
    quotes: Vec<String>,
}

impl EventWords {
    fn of(e: &Event) -> Self {
        EventWords {
            head: words(&fold(&e.headline)),
            summary: words(&fold(&e.summary)),
            quotes: e
                .sources
                .iter()
                .flat_map(|s| words(&fold(&s.quote)))
                .collect(),
        }
    }
}

/// Scores one candidate event (it meets the restrictions) for a query: free terms
/// are counted and scored.
fn rank_event(ranking: &Ranking, matcher: &SkimMatcherV2, e: &Event, event: usize) -> Rank {
    let text = EventWords::of(e);
    let mut rank = Rank {
        matched: ranking.restrictions,
        score: 0.0,
    };
    for t in ranking.free.iter().filter(|t| t.events.contains(event)) {
        rank.matched += 1;
        rank.score += free_term_score(matcher, e, &text, t.words, &t.hits);
    }
    let phrase = &ranking.phrase;
    if phrase.len() >= 2 {
        if contains_phrase(&text.head, phrase) {
            rank.score += 3.0;
        } else if contains_phrase(&text.summary, phrase) || contains_phrase(&text.quotes, phrase) {
            rank.score += 2.0;
        }
    }
    rank
}

/// How well one free term fits an event it matches. Hits in actors, topics and
/// headline outrank hits in the summary and quotes.
fn free_term_score(
    matcher: &SkimMatcherV2,
    e: &Event,
    text: &EventWords,
    ws: &[String],
    hits: &TermHits,
) -> f64 {
    let best_of = |found: &[(usize, i64)], mine: &[usize]| {
        (found.iter())
            .filter(|(i, _)| mine.contains(i))
            .map(|(_, s)| *s)
            .max()
    };
    let actor = best_of(&hits.actors, &e.actors);
    let topic = best_of(&hits.topics, &e.topics);
    let mut best: f64 = 0.0;
    // Each further field that holds the term adds a little, to break ties.
    let mut fields = actor.is_some() as u32 + topic.is_some() as u32;
    if let Some(s) = actor.max(topic) {
        // An exact name or alias beats a word of a longer name, which beats a fuzzy fit.
        best = best.max(match s {
            1000.. => 7.0,
            800.. => 5.5,
            600.. => 5.0,
            _ => 4.0,
        });
    }
    let head = &text.head;
    if ws.iter().all(|w| text_word_score(head, w)) {
        fields += 1;
        let exact = ws.iter().all(|w| holds(head, w));
        best = best.max(if exact { 6.0 } else { 5.0 });
    } else if ws.iter().all(|w| {
        head.iter()
            .any(|h| h.starts_with(w.as_str()) || fuzzy_in(matcher, w, h).is_some())
    }) {
        best = best.max(4.0);
    }
    if ws.iter().all(|w| text_word_score(&text.summary, w)) {
        fields += 1;
        let exact = ws.iter().all(|w| holds(&text.summary, w));
        best = best.max(if exact { 2.5 } else { 2.0 });
    }
    if ws.iter().all(|w| text_word_score(&text.quotes, w)) {
        fields += 1;
        let exact = ws.iter().all(|w| holds(&text.quotes, w));
        best = best.max(if exact { 2.0 } else { 1.5 });
    }
    best + 0.2 * fields.saturating_sub(1) as f64
}

/// Whether the words occur consecutively, each as a prefix of a text word.
fn contains_phrase(text: &[String], phrase: &[&str]) -> bool {
    text.windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(t, p)| fits(t, p)))
}

/// Every event that meets the query's restrictions and matches at least one free term.
fn candidates(m: &mut Matcher, query: &Query) -> EventSet {
    let restrictions = Query {
        terms: query
            .terms
            .iter()
            .filter(|t| !t.is_free_text())
            .cloned()
            .collect(),
    };
    let mut candidates = m.evaluate(&Selection {
        query: restrictions,
        ..Default::default()
    });
    let mut free = query.terms.iter().filter(|t| t.is_free_text()).peekable();
    if free.peek().is_some() {
        let mut any = EventSet::empty(m.index.len());
        for term in free {
            any.union_with(m.cached(term));
        }
        candidates.intersect_with(&any);
    }
    candidates
}

/// Search results, best first: events matching every term come before events
/// matching only some. Returns (event, rank) pairs.
pub fn search(m: &mut Matcher, t: &Timeline, query: &Query) -> Vec<(usize, Rank)> {
    let candidates = candidates(m, query);
    let ranking = Ranking::new(m, query);
    let matcher = m.index.matcher();
    let mut out: Vec<(usize, Rank)> = candidates
        .iter()
        .map(|i| (i, rank_event(&ranking, matcher, &t.events[i], i)))
        .collect();
    out.sort_by(|a, b| {
        b.1.matched
            .cmp(&a.1.matched)
            .then(b.1.score.total_cmp(&a.1.score))
            .then(a.0.cmp(&b.0))
    });
    out
}

// ---------- highlighting ----------

/// Char indices of `text` to highlight for the query's words: word prefixes, or a
/// compact fuzzy match inside one word. Used only for rows on screen.
pub fn highlight(matcher: &SkimMatcherV2, text: &str, words_to_find: &[&str]) -> Vec<usize> {
    if words_to_find.is_empty() {
        return Vec::new();
    }
    let (chars, map) = fold_with_map(text);
    let mut out = Vec::new();
    for (s, e) in word_spans(&chars) {
        // Words are matched without their apostrophes: where each letter is.
        let letters: Vec<usize> = (s..e).filter(|&k| chars[k] != '\'').collect();
        let word: String = letters.iter().map(|&k| chars[k]).collect();
        let variant = spelling_variant(&word);
        for w in words_to_find {
            if variant.is_some_and(|v| v.starts_with(w)) {
                out.extend((s..e).map(|k| map[k]));
            } else if word.starts_with(w) {
                // The prefix's letters and any apostrophe between them.
                if let Some(&last) = letters.get(w.chars().count().wrapping_sub(1)) {
                    out.extend((s..=last).map(|k| map[k]));
                }
            } else if let Some((_, idx)) = fuzzy_in(matcher, w, &word) {
                out.extend(idx.iter().filter_map(|&k| letters.get(k)).map(|&k| map[k]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::{InlineOnly, load_str};

    fn timeline() -> Timeline {
        let json = r#"{"title":"t",
          "articles":[{"id":"a","title":"A","text":"Zarif’s trip. The gas pipeline could carry 50 billion cubic meters. Rogozin met Dehghan in Tehran."}],
          "actors":[{"id":"zarif","name":"Mohammad Javad Zarif","kind":"person","aliases":["Javid Zarif"]},
                    {"id":"rogozin","name":"Dmitry Rogozin","kind":"person"},
                    {"id":"pez","name":"Masoud Pezeshkian","kind":"person","aliases":["Peseschkian"]}],
          "topics":[{"id":"energy","name":"Energy","aliases":["gas","oil"]},{"id":"arms","name":"Arms","aliases":["weapons"]}],
          "events":[
            {"id":"e1","date":"2017-08","headline":"Rogozin in Tehran for arms talks","summary":"Weapons deal.","actors":["rogozin"],"topics":["arms"],"sources":[{"article":"a","quote":"Rogozin met Dehghan"}]},
            {"id":"e2","date":"2020-07-21","headline":"Zarif arrives in Moscow","summary":"Seeks renewal.","actors":["zarif"],"topics":[],"sources":[{"article":"a","quote":"Zarif’s trip"}]},
            {"id":"e3","date":"2025-01-17","headline":"Pipeline price unsettled","summary":"Up to 50 billion cubic meters of gas a year.","actors":["pez"],"topics":["energy"],"sources":[{"article":"a","quote":"The gas pipeline could carry 50 billion cubic meters."}]}
          ]}"#;
        load_str(json, "t", &InlineOnly).unwrap().timeline
    }

    fn ids(q: &str) -> Vec<String> {
        let t = timeline();
        let mut m = Matcher::new(&t);
        let set = m.evaluate(&Selection {
            query: Query::parse(q),
            ..Default::default()
        });
        set.iter().map(|i| t.events[i].id.clone()).collect()
    }

    #[test]
    fn the_fields_only_index_answers_field_and_date_queries_alike() {
        let t = crate::data::load::load_builtin().unwrap().timeline;
        let mut full = Matcher::new(&t);
        let mut fields = Matcher::with_index(Arc::new(SearchIndex::build_fields(&t)));
        for q in [
            "actor:putin",
            "topic:oil 2001..2021",
            "actor:lavrof",
            "!topic:sanctions 2025",
            "actor:xi topic:nuclear",
        ] {
            let sel = Selection {
                query: Query::parse(q),
                ..Default::default()
            };
            let want: Vec<usize> = full.evaluate(&sel).iter().collect();
            assert!(!want.is_empty(), "{q}");
            assert_eq!(
                fields.evaluate(&sel).iter().collect::<Vec<_>>(),
                want,
                "{q}"
            );
        }
    }

    #[test]
    fn queries_past_the_limits_are_refused_and_typing_stops_at_the_limit() {
        let many = "w ".repeat(10_000);
        assert_eq!(Query::parse_limited(&many), Err(TooLarge::Chars(20_000)));
        let terms = "w ".repeat(MAX_TERMS + 1);
        assert_eq!(
            Query::parse_limited(&terms),
            Err(TooLarge::Terms(MAX_TERMS + 1))
        );
        let long = "x".repeat(100_000);
        assert!(Query::parse_limited(&long).is_err());
        let word = "y".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(
            Query::parse_limited(&word),
            Err(TooLarge::Term {
                chars: MAX_TERM_CHARS + 1
            })
        );
        assert!(Query::parse_limited("actor:putin 2001..2005 !gas").is_ok());
        // Typing: what fits is taken, up to the first character past a limit.
        let (fits, why) = QuerySize::of("ab").fitting(&"c".repeat(100));
        assert_eq!(fits, MAX_TERM_CHARS - 2);
        assert_eq!(
            why,
            Some(TooLarge::Term {
                chars: MAX_TERM_CHARS + 1
            })
        );
        let (fits, why) = QuerySize::of("").fitting("é ".repeat(40).as_str());
        assert_eq!(fits, "é ".repeat(MAX_TERMS).len());
        assert_eq!(why, Some(TooLarge::Terms(MAX_TERMS + 1)));
        assert_eq!(QuerySize::of("").fitting("a b"), (3, None));
    }

    #[test]
    fn abbreviations_find_people() {
        assert_eq!(ids("rgzn"), ["e1"]);
        assert_eq!(ids("pezesh"), ["e3"]);
        assert_eq!(ids("PESESCHKIAN"), ["e3"]);
    }

    #[test]
    fn all_terms_must_match() {
        assert_eq!(ids("gas pipeline"), ["e3"]);
        assert_eq!(ids("gas rogozin"), Vec::<String>::new());
    }

    #[test]
    fn curly_and_straight_apostrophes_meet() {
        assert_eq!(ids("zarif's"), ["e2"]);
    }

    #[test]
    fn scattered_letters_are_not_a_match() {
        // p..i..p..e..l..i..n..e occur in order in e1's and e2's text, but far apart.
        assert_eq!(ids("pipeline"), ["e3"]);
    }

    #[test]
    fn fields_dates_and_negation() {
        assert_eq!(ids("actor:zarif"), ["e2"]);
        assert_eq!(ids("topic:weapons"), ["e1"]);
        assert_eq!(ids("2017..2020"), ["e1", "e2"]);
        assert_eq!(ids("2025"), ["e3"]);
        assert_eq!(ids("!2025"), ["e1", "e2"]);
        assert_eq!(ids("..2017"), ["e1"]);
    }

    #[test]
    fn search_ranks_full_matches_first() {
        let t = timeline();
        let mut m = Matcher::new(&t);
        let r = search(&mut m, &t, &Query::parse("gas tehran"));
        let order: Vec<&str> = r.iter().map(|(i, _)| t.events[*i].id.as_str()).collect();
        assert_eq!(order.len(), 2);
        assert!(r[0].1.matched == 1 && r[1].1.matched == 1);
        let r = search(&mut m, &t, &Query::parse("rogozin tehran"));
        assert_eq!(t.events[r[0].0].id, "e1");
        assert_eq!(r[0].1.matched, 2);
    }

    #[test]
    fn highlights_prefixes_in_original_text() {
        let m = SkimMatcherV2::default();
        let h = highlight(&m, "Zarif’s Moscow trip", &["zarifs", "mos"]);
        assert_eq!(h, vec![0, 1, 2, 3, 4, 5, 6, 8, 9, 10]);
    }

    #[test]
    fn a_fuzzy_highlight_after_an_apostrophe_marks_the_letters_it_matched() {
        let m = SkimMatcherV2::default();
        // "ourke" is inside the word, so it is a fuzzy match in "o'rourke".
        let text: Vec<char> = "O'Rourke visits".chars().collect();
        let h = highlight(&m, &text.iter().collect::<String>(), &["ourke"]);
        let marked: String = h.iter().map(|&i| text[i]).collect();
        assert_eq!(marked.to_lowercase(), "ourke");
    }

    #[test]
    fn a_greek_word_ending_in_capital_sigma_is_found_however_it_is_typed() {
        let json = r#"{"title":"t",
          "articles":[{"id":"a","title":"A","text":"ΟΔΟΣ blocked"}],
          "events":[{"id":"e1","date":"2020","headline":"ΟΔΟΣ blocked","summary":"s","sources":[{"article":"a","quote":"ΟΔΟΣ"}]}]}"#;
        let t = load_str(json, "t", &InlineOnly).unwrap().timeline;
        for q in ["ΟΔΟΣ", "οδος", "οδοσ", "Οδος"] {
            let set = Matcher::new(&t).evaluate(&Selection {
                query: Query::parse(q),
                ..Default::default()
            });
            assert_eq!(set.count(), 1, "{q}");
        }
    }

    #[test]
    fn a_misspelt_name_still_finds_its_person() {
        assert_eq!(ids("rogozim"), ["e1"]);
        assert_eq!(ids("pezeshkain"), ["e3"]);
        // But only as a last resort: a real word is not bent into a name.
        assert_eq!(ids("tehran"), ["e1"]);
    }

    #[test]
    fn suggestions_for_words_that_match_nothing() {
        let t = timeline();
        let m = Matcher::new(&t);
        let s = m.index.suggestions(&Query::parse("pipelime zzzzzz"));
        assert_eq!(s, vec![("pipelime".to_string(), "pipeline".to_string())]);
        // "2017-13" is no date, so its parts are words; numbers get no suggestion:
        // "2017" is not a typo of "201".
        let json = r#"{"title":"t","articles":[{"id":"a","title":"A","text":"Room 201 opened."}],
          "events":[{"id":"e","date":"2020","headline":"Room 201 opens","summary":"s","sources":[{"article":"a","quote":"Room 201"}]}]}"#;
        let t = load_str(json, "t", &InlineOnly).unwrap().timeline;
        let m = Matcher::new(&t);
        assert!(m.index.suggestions(&Query::parse("2017-13")).is_empty());
        let s = m.index.suggestions(&Query::parse("rooom"));
        assert_eq!(s, vec![("rooom".to_string(), "room".to_string())]);
    }
}
