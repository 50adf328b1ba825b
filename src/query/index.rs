//! The word index, built once at load, so that matching costs follow the vocabulary
//! and the size of the answer rather than the text of every event.

use crate::data::date::Moment;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rustc_hash::FxHashMap;

use super::parse::{Field, MAX_TERM_CHARS, Query, Term, TermKind};
use super::set::EventSet;
use crate::data::model::Timeline;
use crate::data::text::{fold, fold_into, for_each_word, spelling_variant, words};

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
pub(super) fn fuzzy_in(
    matcher: &SkimMatcherV2,
    term: &str,
    text: &str,
) -> Option<(i64, Vec<usize>)> {
    let n = term.chars().count();
    if n < 3 {
        return None;
    }
    let (score, idx) = matcher.fuzzy_indices(text, term)?;
    let span = idx.last()? - idx.first()? + 1;
    (span <= 2 * n + 1).then_some((score, idx))
}

/// The longest word the index keeps whole. A query term is never longer, so a
/// longer word is found by the same prefixes from its first characters alone; and
/// one hostile 10 MB "word" no longer costs its size many times over in the index,
/// in fuzzy matching and in "did you mean".
pub const MAX_INDEXED_CHARS: usize = MAX_TERM_CHARS;

/// The longest name (of an actor or topic, folded) matched in full.
const MAX_NAME_CHARS: usize = 256;

/// The first `most` characters of `text`.
fn capped(text: &str, most: usize) -> &str {
    match text.char_indices().nth(most) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The index of a range of events, built on one thread.
struct Partial {
    ids: FxHashMap<String, u32>,
    headline_postings: Vec<Vec<u32>>,
    body_postings: Vec<Vec<u32>>,
    actor_events: Vec<Vec<u32>>,
    topic_events: Vec<Vec<u32>>,
    group_events: Vec<Vec<u32>>,
    spans: Vec<(Moment, Moment)>,
}

impl Partial {
    /// Indexes events `range`; their words too, unless `words` is false.
    /// `groups` numbers the timeline's group names.
    fn build(
        t: &Timeline,
        range: std::ops::Range<usize>,
        words: bool,
        groups: &FxHashMap<&str, usize>,
    ) -> Partial {
        let mut p = Partial {
            ids: FxHashMap::default(),
            headline_postings: Vec::new(),
            body_postings: Vec::new(),
            actor_events: vec![Vec::new(); t.actors.len()],
            topic_events: vec![Vec::new(); t.topics.len()],
            group_events: vec![Vec::new(); groups.len()],
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
            if let Some(g) = e.group.as_deref().and_then(|g| groups.get(g)) {
                p.group_events[*g].push(ei);
            }
            p.spans.push((e.date.first_moment(), e.last_moment()));
            if !words {
                continue;
            }
            fold_into(&e.headline, &mut folded);
            for_each_word(&folded, &mut word, |w| {
                let w = capped(w, MAX_INDEXED_CHARS);
                for w in std::iter::once(w).chain(spelling_variant(w)) {
                    let id = p.word_id(w);
                    push_unique(&mut p.headline_postings[id], ei);
                }
            });
            let body = std::iter::once(&*e.summary).chain(e.sources.iter().map(|s| s.quote()));
            for text in body {
                fold_into(text, &mut folded);
                for_each_word(&folded, &mut word, |w| {
                    let w = capped(w, MAX_INDEXED_CHARS);
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
        for (mine, theirs) in self.group_events.iter_mut().zip(later.group_events) {
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
    /// The groups events name, as written, in order of first use.
    groups: Vec<String>,
    /// Each group's name folded, as a one-name list like the actors' and topics'.
    group_names: Vec<Vec<String>>,
    group_events: Vec<Vec<u32>>,
    /// Sorted distinct folded words of headlines, summaries and quotes.
    vocab: Vec<String>,
    headline_postings: Vec<Vec<u32>>,
    body_postings: Vec<Vec<u32>>,
    /// Vocabulary entries that occur in some headline (fuzzy matching runs on these).
    headline_vocab: Vec<u32>,
    spans: Vec<(Moment, Moment)>,
    matcher: SkimMatcherV2,
    /// Whether the words of headlines, summaries and quotes were indexed.
    words: bool,
}

/// What one text term matched in the vocabulary.
#[derive(Debug, Clone, Default)]
pub(super) struct TermHits {
    pub(super) actors: Vec<(usize, i64)>,
    pub(super) topics: Vec<(usize, i64)>,
    pub(super) groups: Vec<(usize, i64)>,
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
                .map(|n| capped(&fold(n), MAX_NAME_CHARS).to_string())
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
        let groups: Vec<String> = t.groups().into_iter().map(str::to_string).collect();
        let group_names = groups
            .iter()
            .map(|g| vec![capped(&fold(g), MAX_NAME_CHARS).to_string()])
            .collect();
        let group_ids: FxHashMap<&str, usize> = (groups.iter().enumerate())
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        // Two halves of the events are indexed at once, then joined: the second
        // half's events all come later, so its postings simply follow the first's.
        let half = t.events.len() / 2;
        let (mut part, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| Partial::build(t, half..t.events.len(), words, &group_ids));
            (
                Partial::build(t, 0..half, words, &group_ids),
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
            group_events,
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
            groups,
            group_names,
            group_events,
            vocab,
            headline_postings: hp,
            body_postings: bp,
            headline_vocab,
            spans,
            matcher: SkimMatcherV2::default(),
            words,
        }
    }

    pub fn len(&self) -> usize {
        self.events
    }

    /// Whether words can be searched: false for `build_fields`'s index, which a
    /// large timeline starts with while its word index is built.
    pub fn has_words(&self) -> bool {
        self.words
    }

    pub fn is_empty(&self) -> bool {
        self.events == 0
    }

    pub fn matcher(&self) -> &SkimMatcherV2 {
        &self.matcher
    }

    /// The names (each a list of name and aliases) that fit a term, with their
    /// scores; `misspelt` accepts a letter or two wrong instead.
    fn fitting_names(
        names: &[Vec<String>],
        term: &str,
        misspelt: bool,
        m: &SkimMatcherV2,
    ) -> Vec<(usize, i64)> {
        (names.iter().enumerate())
            .filter_map(|(i, ns)| {
                let score = if misspelt {
                    ns.iter().any(|n| misspelt_name(term, n)).then_some(300)
                } else {
                    ns.iter().filter_map(|n| name_score(m, term, n)).max()
                };
                score.map(|s| (i, s))
            })
            .collect()
    }

    /// Actors, topics and groups whose name (or alias) the term fits; a free term
    /// tries all three, a field term only its own. Misspellings are a last resort.
    pub(super) fn term_hits(&self, field: &Field, folded: &str) -> TermHits {
        let wants = |f: Field| *field == Field::Any || *field == f;
        let by = |misspelt: bool| {
            let fit =
                |names: &[Vec<String>]| Self::fitting_names(names, folded, misspelt, &self.matcher);
            let mut hits = TermHits::default();
            if wants(Field::Actor) {
                hits.actors = fit(&self.actor_names);
            }
            if wants(Field::Topic) {
                hits.topics = fit(&self.topic_names);
            }
            if wants(Field::Group) {
                hits.groups = fit(&self.group_names);
            }
            hits
        };
        let mut hits = by(false);
        if hits.actors.is_empty() && hits.topics.is_empty() && hits.groups.is_empty() {
            hits = by(true);
        }
        // Fuzzy fits are a fallback for names the term does not spell: when it is a
        // name, an alias or a word of one, "usa" must not also reach Russia, "putin"
        // Sputnik, or "mir" Military.
        if hits
            .actors
            .iter()
            .chain(&hits.topics)
            .chain(&hits.groups)
            .any(|&(_, s)| s >= 600)
        {
            hits.actors.retain(|&(_, s)| s >= 600);
            hits.topics.retain(|&(_, s)| s >= 600);
            hits.groups.retain(|&(_, s)| s >= 600);
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
    pub(super) fn term_set(&self, term: &Term) -> EventSet {
        let mut set = EventSet::empty(self.events);
        match &term.kind {
            TermKind::Dates { from, to } => {
                let lo = from.map(|d| d.first_moment()).unwrap_or(Moment::MIN);
                let hi = to.map(|d| d.last_moment()).unwrap_or(Moment::MAX);
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
                for (g, _) in &hits.groups {
                    set.extend(&self.group_events[*g]);
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

    pub(super) fn actor_set(&self, actors: &[usize]) -> EventSet {
        let mut s = EventSet::empty(self.events);
        for &a in actors {
            s.extend(&self.actor_events[a]);
        }
        s
    }

    pub(super) fn topic_set(&self, topics: &[usize]) -> EventSet {
        let mut s = EventSet::empty(self.events);
        for &x in topics {
            s.extend(&self.topic_events[x]);
        }
        s
    }

    pub(super) fn group_set(&self, groups: &[usize]) -> EventSet {
        let mut s = EventSet::empty(self.events);
        for &g in groups {
            s.extend(&self.group_events[g]);
        }
        s
    }

    /// The known word or name closest to a word that matched nothing, for a
    /// "did you mean" (one edit for short words, two for longer ones).
    fn suggest(&self, word: &str) -> Option<String> {
        let limit = if word.chars().count() <= 4 { 1 } else { 2 };
        // Names are few, so their words are split out; the vocabulary is only borrowed.
        let name_words: Vec<String> = (self.actor_names.iter())
            .chain(&self.topic_names)
            .chain(&self.group_names)
            .flatten()
            .flat_map(|n| words(n))
            .collect();
        let length = word.chars().count();
        (self.vocab.iter().chain(&name_words))
            .map(String::as_str)
            .filter(|w| w.len() >= 3 && *w != word)
            // No fewer edits than the lengths differ by: skip those cheaply.
            .filter(|w| w.chars().count().abs_diff(length) <= limit)
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

    /// Each group's name folded (one name each, for the picker's matching).
    pub fn folded_group_names(&self) -> &[Vec<String>] {
        &self.group_names
    }

    /// The groups events name, as written, in order of first use.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// A group's name as the timeline writes it.
    pub fn group_name(&self, g: usize) -> &str {
        &self.groups[g]
    }

    pub fn group_count(&self, g: usize) -> usize {
        self.group_events[g].len()
    }

    pub fn actor_count(&self, a: usize) -> usize {
        self.actor_events[a].len()
    }

    pub fn topic_count(&self, x: usize) -> usize {
        self.topic_events[x].len()
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_INDEXED_CHARS, MAX_TERM_CHARS};
    use crate::data::load::{InlineOnly, load_str};
    use crate::data::text::{fold, words};
    use crate::query::tests::{ids, timeline};

    use crate::query::index::SearchIndex;
    use crate::query::matcher::{Matcher, Selection};
    use crate::query::parse::Query;

    use std::sync::Arc;

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

    /// e1 and e3 in "Field Notes", e2 in "Diplomacy".
    fn grouped() -> Vec<Vec<String>> {
        let mut t = timeline();
        t.events[0].group = Some("Field Notes".into());
        t.events[1].group = Some("Diplomacy".into());
        t.events[2].group = Some("Field Notes".into());
        let mut m = Matcher::new(&t);
        [
            "group:field",
            "g:notes",
            "g:diplomcy",
            "!g:diplomacy",
            "group:tehran",
            "diplomacy",
        ]
        .iter()
        .map(|q| {
            let sel = Selection {
                query: Query::parse(q),
                ..Default::default()
            };
            m.evaluate(&sel)
                .iter()
                .map(|i| t.events[i].id.to_string())
                .collect()
        })
        .collect()
    }

    #[test]
    fn group_terms_match_group_names_by_prefix_word_and_fuzzily() {
        let found = grouped();
        assert_eq!(found[0], ["e1", "e3"], "group:field");
        assert_eq!(found[1], ["e1", "e3"], "g:notes, a word of the name");
        assert_eq!(found[2], ["e2"], "g:diplomcy, fuzzily");
        assert_eq!(found[3], ["e1", "e3"], "!g:diplomacy");
        // A group term looks at groups only: "Tehran" is in e1's headline.
        assert!(found[4].is_empty(), "group:tehran");
        // A free term reaches groups as it reaches actors and topics.
        assert_eq!(found[5], ["e2"], "diplomacy");
    }

    #[test]
    fn picked_groups_narrow_like_picked_topics() {
        let mut t = timeline();
        t.events[1].group = Some("Diplomacy".into());
        t.events[2].group = Some("Energy talks".into());
        let mut m = Matcher::new(&t);
        assert_eq!(m.index.groups(), ["Diplomacy", "Energy talks"]);
        let picked = |m: &mut Matcher, groups: Vec<usize>| -> Vec<usize> {
            m.evaluate(&Selection {
                groups,
                ..Default::default()
            })
            .iter()
            .collect()
        };
        assert_eq!(picked(&mut m, vec![1]), [2]);
        assert_eq!(picked(&mut m, vec![0, 1]), [1, 2]);
        // A timeline without groups has none to offer.
        assert!(Matcher::new(&timeline()).index.groups().is_empty());
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

    /// One 1 MB "word" in a headline is indexed by its first characters: the index
    /// holds no word longer than a query term, and prefixes still find the event.
    #[test]
    fn a_huge_word_is_indexed_by_its_first_characters() {
        let mut t = timeline();
        let huge = format!("zq{}", "x".repeat(1 << 20));
        t.events[0].headline = format!("{huge} treaty").into();
        let m = Matcher::new(&t);
        assert!(
            m.index
                .vocab
                .iter()
                .all(|w| w.chars().count() <= MAX_INDEXED_CHARS)
        );
        let bytes: usize = m.index.vocab.iter().map(String::len).sum();
        assert!(bytes < 64 * 1024, "the vocabulary holds {bytes} bytes");
        let found = |q: &str| {
            m.index
                .words_set(&words(&fold(q)))
                .iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(found("zqxxx"), [0]);
        assert_eq!(found(&huge[..MAX_TERM_CHARS]), [0]);
        // Nothing to correct it to costs no quadratic work either.
        assert!(m.index.suggestions(&Query::parse("zqxxxxy")).len() <= 1);
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
