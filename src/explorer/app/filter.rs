//! The filter: typing it, running it (here or on a worker thread), and taking its answer.

use crate::data::model::Timeline;
use crate::query::matcher::{Matcher, Selection};
use crate::query::parse::{Query, QuerySize};
use crate::query::set::EventSet;

use super::{Action, App, Effect, Mode, Row, one_line};

/// The chronology as narrowed by a filter: matching events, the rows that show
/// them under year headings, and matches per year for the ruler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Matching events in chronological order.
    pub visible: Vec<u32>,
    pub rows: Vec<Row>,
    /// Row index of each visible event.
    pub event_rows: Vec<u32>,
    /// Matches per bucket of years (see [`YearBuckets`]).
    pub match_counts: Vec<u32>,
    /// For an empty result: (typed word, known word) pairs to suggest.
    pub suggestions: Vec<(String, String)>,
}

pub use crate::data::timescale::YearBuckets;

/// Matches a selection and builds its view, with suggestions when nothing matches:
/// what the filter worker runs, and what the app runs itself when not deferred.
/// `None` when `cancelled` says a newer selection has made the answer useless.
pub fn filter_view(
    matcher: &mut Matcher,
    t: &Timeline,
    selection: &Selection,
    buckets: YearBuckets,
    cancelled: impl Fn() -> bool,
) -> Option<View> {
    let set = if selection.is_empty() {
        EventSet::full(t.events.len())
    } else {
        matcher.evaluate_unless(selection, cancelled)?
    };
    let mut view = build_view(t, &set, buckets);
    if view.visible.is_empty() {
        view.suggestions = matcher.index.suggestions(&selection.query);
    }
    Some(view)
}

/// Builds the view of a set of events. Costs one pass over the matches, so it runs
/// where the matching runs (a worker thread in the explorer).
pub fn build_view(t: &Timeline, set: &EventSet, buckets: YearBuckets) -> View {
    let mut v = View {
        match_counts: vec![0; buckets.count],
        ..View::default()
    };
    let mut year = None;
    for e in set.iter() {
        let y = t.events[e].date.year;
        if year != Some(y) {
            v.rows.push(Row::Year(y));
            year = Some(y);
        }
        v.visible.push(e as u32);
        v.event_rows.push(v.rows.len() as u32);
        v.rows.push(Row::Event(e as u32));
        let bucket = buckets.of_date(&t.events[e].date);
        if let Some(c) = bucket.and_then(|b| v.match_counts.get_mut(b)) {
            *c += 1;
        }
    }
    v
}

impl App {
    pub(super) fn filter_key(&mut self, action: Action) {
        match action {
            Action::Insert(c) => self.type_in(c.encode_utf8(&mut [0; 4])),
            Action::Type(s) => self.type_in(&s),
            Action::Paste(s) => self.type_in(&one_line(&s)),
            Action::Backspace => {
                self.input.pop();
            }
            Action::DeleteWord => {
                let keep = self.input.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
                self.input.truncate(keep);
            }
            Action::ClearInput => self.input.clear(),
            Action::Accept => {
                self.mode = Mode::Browse { article: false };
                return;
            }
            Action::Back => {
                self.input.clear();
                self.mode = Mode::Browse { article: false };
            }
            Action::Down => return self.move_by(1),
            Action::Up => return self.move_by(-1),
            _ => return,
        }
        self.apply_input();
    }

    /// Adds typed text to the filter, as much of it as the query's limits allow,
    /// and says why the rest was not taken.
    fn type_in(&mut self, text: &str) {
        let (fits, refused) = QuerySize::of(&self.input).fitting(text);
        self.input.push_str(&text[..fits]);
        if let Some(why) = refused {
            self.status = Some(format!("{why}: the filter takes no more"));
        }
    }

    pub(super) fn apply_input(&mut self) {
        let query = Query::parse(&self.input);
        if query != self.selection.query {
            self.selection.query = query;
            self.refilter();
        }
    }

    pub(super) fn clear_filter(&mut self) {
        self.input.clear();
        self.selection = Selection::default();
        self.refilter();
        self.status = Some("filter cleared".into());
    }

    /// Recomputes the matching events, keeping the selection or moving it to the
    /// nearest match in time. Deferred, it asks for the answer as an effect.
    pub(super) fn refilter(&mut self) {
        self.generation += 1;
        if self.deferred {
            self.filtering = true;
            self.outbox.push(Effect::Filter {
                generation: self.generation,
                selection: self.selection.clone(),
            });
            return;
        }
        let view = filter_view(
            &mut self.matcher,
            &self.timeline,
            &self.selection,
            self.buckets,
            || false,
        )
        .expect("never cancelled");
        self.apply_view(self.generation, view);
    }

    /// Whether keys should wait for the filter's answer before they act: they would
    /// move or act on a list that is about to change. Typing a filter never waits.
    pub fn awaits_view(&self) -> bool {
        self.filtering && self.mode != Mode::Filter
    }

    /// Takes a filter's answer, unless a newer selection has been asked for since.
    pub fn apply_view(&mut self, generation: u64, view: View) {
        if generation != self.generation {
            return;
        }
        self.filtering = false;
        let before = self.selected().or(self.shown_event);
        self.view = view;
        match before {
            Some(e) => self.select_nearest(e),
            None => self.move_to(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::explorer::app::tests::{app, headline, type_text};
    use crate::explorer::app::{Action, Effect, Mode};
    use crate::query::matcher::Matcher;
    use crate::query::set::EventSet;
    use std::sync::Arc;

    #[test]
    fn typing_filters_live_and_esc_clears() {
        let mut a = app();
        let all = a.view.visible.len();
        a.update(Action::OpenFilter);
        type_text(&mut a, "rogozin");
        assert!(a.view.visible.len() < all && !a.view.visible.is_empty());
        assert!(
            a.view
                .visible
                .iter()
                .all(|&e| a.timeline.events[e as usize].date.year == 2017)
        );
        a.update(Action::Back);
        assert_eq!(a.view.visible.len(), all);
        assert_eq!(a.mode, Mode::Browse { article: false });
    }

    #[test]
    fn enter_keeps_the_filter() {
        let mut a = app();
        a.update(Action::OpenFilter);
        a.update(Action::Paste("khatami".into()));
        a.update(Action::Accept);
        assert_eq!(a.mode, Mode::Browse { article: false });
        assert!(a.filter_active());
        assert!(
            headline(&a).to_lowercase().contains("agreement")
                || a.timeline.events[a.selected().unwrap()].date.year == 2001
        );
    }

    #[test]
    fn a_filter_that_briefly_matches_nothing_keeps_the_place() {
        let mut a = app();
        a.goto("2017-08-05").unwrap();
        let sworn = a.selected().unwrap();
        a.update(Action::NextSource);
        assert_eq!(a.source, 1);
        a.set_filter("sworn qq");
        assert_eq!(a.selected(), None);
        a.set_filter("sworn");
        assert_eq!(a.selected(), Some(sworn), "back where the reader was");
        assert_eq!(a.source, 1, "on the same source");
        a.set_filter("zzzqqq");
        a.set_filter("");
        assert_eq!(
            a.selected(),
            Some(sworn),
            "clearing the filter comes back too"
        );
    }

    #[test]
    fn esc_clears_typed_text_before_picks() {
        let mut a = app();
        a.update(Action::OpenActorPicker);
        type_text(&mut a, "putin");
        a.update(Action::PickerToggle);
        a.update(Action::Back);
        assert_eq!(a.selection.actors.len(), 1);
        a.set_filter("treaty");
        a.update(Action::Accept);
        a.update(Action::Back);
        assert_eq!((a.input.as_str(), a.selection.actors.len()), ("", 1));
        assert!(a.filter_active(), "the pick still filters");
        a.update(Action::Back);
        assert!(!a.filter_active() && a.selection.actors.is_empty());
        // Text alone goes in one Esc.
        a.set_filter("treaty");
        a.update(Action::Accept);
        a.update(Action::Back);
        assert!(!a.filter_active());
    }

    #[test]
    fn selection_moves_to_the_nearest_match_in_time() {
        let mut a = app();
        a.goto("2017-08").unwrap();
        let before = a.timeline.events[a.selected().unwrap()].date;
        a.set_filter("pezeshkian");
        let after = a.timeline.events[a.selected().unwrap()].date;
        assert!(after.year >= 2024, "{before} -> {after}");
        a.set_filter("");
        a.goto("2001").unwrap();
        a.set_filter("khatami");
        assert_eq!(a.timeline.events[a.selected().unwrap()].date.year, 2001);
    }

    #[test]
    fn an_empty_result_keeps_the_app_usable() {
        let mut a = app();
        a.set_filter("zzzzqqq");
        assert!(a.view.visible.is_empty() && a.selected().is_none());
        a.update(Action::Down);
        a.update(Action::Bottom);
        assert!(a.update(Action::CopyCitation).is_empty());
    }

    #[test]
    fn refining_the_filter_keeps_the_source_being_read() {
        let mut a = app();
        a.goto("2017-08-05").unwrap();
        a.update(Action::NextSource);
        assert_eq!(a.source, 1);
        a.set_filter("sworn");
        assert_eq!(
            a.timeline.events[a.selected().unwrap()].date.to_string(),
            "2017-08-05"
        );
        assert_eq!(a.source, 1, "the same event keeps its source");
        a.set_filter("");
        a.update(Action::Down);
        assert_eq!(a.source, 0, "another event starts at its first source");
    }

    #[test]
    fn pasted_lines_become_words() {
        let mut a = app();
        a.update(Action::OpenFilter);
        a.update(Action::Paste("gas\npipeline\t".into()));
        assert_eq!(a.input, "gas pipeline ");
    }

    #[test]
    fn deferred_filtering_asks_and_drops_stale_answers() {
        let mut a = app();
        a.deferred = true;
        let all = a.view.visible.len();
        a.update(Action::OpenFilter);
        let first = a.update(Action::Insert('x'));
        let second = a.update(Action::Insert('i'));
        let Some(Effect::Filter { generation: g1, .. }) = first.last().cloned() else {
            panic!("{first:?}")
        };
        let Some(Effect::Filter {
            generation: g2,
            selection,
        }) = second.last().cloned()
        else {
            panic!("{second:?}")
        };
        assert!(g2 > g1 && a.filtering);
        assert!(!a.awaits_view(), "typing in the filter bar never waits");
        assert_eq!(a.view.visible.len(), all, "the list waits for the answer");
        a.update(Action::Accept);
        assert!(a.awaits_view(), "keys for the list wait for the list");
        // The answer to the older keystroke arrives late and is dropped.
        let mut m = Matcher::with_index(Arc::clone(&a.matcher.index));
        let old = build_view(
            &a.timeline,
            &EventSet::empty(a.timeline.events.len()),
            a.buckets,
        );
        a.apply_view(g1, old);
        assert_eq!(a.view.visible.len(), all);
        let set = m.evaluate(&selection);
        let view = build_view(&a.timeline, &set, a.buckets);
        a.apply_view(g2, view);
        assert!(!a.filtering && !a.awaits_view());
        assert!(a.view.visible.len() < all && !a.view.visible.is_empty());
    }
}
