//! Ranking search results for the CLI: full matches first, then by how well.

use fuzzy_matcher::skim::SkimMatcherV2;

use super::index::{TermHits, fuzzy_in};
use super::matcher::{Matcher, Selection};
use super::parse::{Query, TermKind};
use super::set::EventSet;
use crate::data::model::{Event, Timeline};
use crate::data::text::{fold, spelling_variant, words};

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
                .flat_map(|s| words(&fold(s.quote())))
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

#[cfg(test)]
mod tests {

    use crate::query::tests::timeline;

    use crate::query::matcher::Matcher;
    use crate::query::parse::Query;
    use crate::query::rank::search;

    #[test]
    fn search_ranks_full_matches_first() {
        let t = timeline();
        let mut m = Matcher::new(&t);
        let r = search(&mut m, &t, &Query::parse("gas tehran"));
        let order: Vec<&str> = r.iter().map(|(i, _)| &*t.events[*i].id).collect();
        assert_eq!(order.len(), 2);
        assert!(r[0].1.matched == 1 && r[1].1.matched == 1);
        let r = search(&mut m, &t, &Query::parse("rogozin tehran"));
        assert_eq!(&*t.events[r[0].0].id, "e1");
        assert_eq!(r[0].1.matched, 2);
    }
}
