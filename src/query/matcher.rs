//! Evaluating a selection (a query plus picked actors and topics) to a set of events.

use std::collections::HashMap;
use std::sync::Arc;

use super::index::SearchIndex;
use super::parse::{Query, Term};
use super::set::EventSet;
use crate::data::model::Timeline;

/// Evaluates queries, remembering each term's events so that typing one more
/// term, or going back, does not redo the others.
pub struct Matcher {
    pub index: Arc<SearchIndex>,
    cache: HashMap<Term, EventSet>,
}

/// What narrows the chronology: the query plus the actors, topics and groups
/// picked (any picked actor, and any picked topic, and any picked group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub query: Query,
    pub actors: Vec<usize>,
    pub topics: Vec<usize>,
    /// Indices into the index's groups (`SearchIndex::group_name`).
    pub groups: Vec<usize>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.query.is_empty() && !self.has_picks()
    }

    /// Whether actors, topics or groups are picked.
    pub fn has_picks(&self) -> bool {
        !self.actors.is_empty() || !self.topics.is_empty() || !self.groups.is_empty()
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

    pub(super) fn cached(&mut self, term: &Term) -> &EventSet {
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
        if !sel.groups.is_empty() {
            result.intersect_with(&self.index.group_set(&sel.groups));
        }
        Some(result)
    }
}
