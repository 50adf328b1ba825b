//! Explorer state and the actions that change it. `update` does no I/O: what must
//! reach the outside world (a copy to the clipboard, quitting) comes back as effects.

use std::cell::Cell;
use std::sync::Arc;

use crate::data::cite::{CiteFormat, citation};
use crate::data::date::{DateError, PartialDate};
use crate::data::model::{Timeline, date_span};
use crate::data::text::fold;
use crate::query::index::name_score;
use crate::query::matcher::{Matcher, Selection};
use crate::query::parse::{MAX_TERM_CHARS, Query, QuerySize};
use crate::query::set::EventSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Hand the terminal back to the shell until `fg`.
    Suspend,
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    PrevYear,
    NextYear,
    ToggleFocus,
    OpenArticle,
    ShowQuote,
    OpenFilter,
    Back,
    Accept,
    OpenActorPicker,
    OpenTopicPicker,
    PickerToggle,
    PickerClear,
    CopyCitation,
    CopyMarkdown,
    ToggleHelp,
    PrevSource,
    NextSource,
    ToggleMouse,
    Insert(char),
    /// Characters typed in one burst, inserted at once.
    Type(String),
    Paste(String),
    Backspace,
    DeleteWord,
    ClearInput,
    /// Mouse wheel over the list (`true`) or the article.
    Scroll {
        list: bool,
        lines: i32,
    },
    /// A click on a row of the list, counted from the top of the list area.
    ClickRow(usize),
    /// The terminal changed size (or the explorer started): the list now has this many rows.
    Resize {
        list_rows: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    Copy(String),
    SetMouse(bool),
    /// Filter off the UI thread; the answer comes back through `App::apply_view`.
    Filter {
        generation: u64,
        selection: Selection,
    },
}

/// The chronology as narrowed by a filter: matching events, the rows that show
/// them under year headings, and matches per year for the ruler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Matching events in chronological order.
    pub visible: Vec<u32>,
    pub rows: Vec<Row>,
    /// Row index of each visible event.
    pub event_rows: Vec<u32>,
    /// Matches per year, from the first year of the timeline.
    pub match_counts: Vec<u32>,
    /// For an empty result: (typed word, known word) pairs to suggest.
    pub suggestions: Vec<(String, String)>,
}

/// Matches a selection and builds its view, with suggestions when nothing matches:
/// what the filter worker runs, and what the app runs itself when not deferred.
/// `None` when `cancelled` says a newer selection has made the answer useless.
pub fn filter_view(
    matcher: &mut Matcher,
    t: &Timeline,
    selection: &Selection,
    first_year: i32,
    years: usize,
    cancelled: impl Fn() -> bool,
) -> Option<View> {
    let set = if selection.is_empty() {
        EventSet::full(t.events.len())
    } else {
        matcher.evaluate_unless(selection, cancelled)?
    };
    let mut view = build_view(t, &set, first_year, years);
    if view.visible.is_empty() {
        view.suggestions = matcher.index.suggestions(&selection.query);
    }
    Some(view)
}

/// Builds the view of a set of events. Costs one pass over the matches, so it runs
/// where the matching runs (a worker thread in the explorer).
pub fn build_view(t: &Timeline, set: &EventSet, first_year: i32, years: usize) -> View {
    let mut v = View {
        match_counts: vec![0; years],
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
        if let Some(c) = v.match_counts.get_mut((y - first_year) as usize) {
            *c += 1;
        }
    }
    v
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Actors,
    Topics,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Browsing; `article` is true when the article pane has the focus.
    Browse {
        article: bool,
    },
    Filter,
    Picker(PickerKind),
    Help,
}

/// A row of the chronology: a year heading or an event (index into the timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Year(i32),
    Event(u32),
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub input: String,
    /// Entries shown, best first: indices into actors or topics.
    pub entries: Vec<usize>,
    pub cursor: usize,
}

/// What the renderer reports back: sizes it laid out, so paging and scrolling
/// move by what the user actually sees.
#[derive(Debug, Default)]
pub struct Viewport {
    pub article_height: Cell<usize>,
    pub article_lines: Cell<usize>,
    /// Rows of the help screen, and how far it can scroll.
    pub help_height: Cell<usize>,
    pub help_max: Cell<usize>,
    /// Where the article pane's view starts after following the quote.
    pub article_resolved: Cell<usize>,
    /// The article the pane showed last.
    pub article_shown: Cell<Option<usize>>,
}

pub struct App {
    pub timeline: Arc<Timeline>,
    pub matcher: Matcher,
    pub selection: Selection,
    pub input: String,
    pub mode: Mode,
    /// The mode to go back to from help.
    pub previous_mode: Mode,
    /// The events the selection lets through, as rows.
    pub view: View,
    /// Position in `view.visible`.
    pub cursor: usize,
    pub list_offset: usize,
    /// Rows the list pane has on screen, set by `Action::Resize`.
    pub list_rows: usize,
    pub source: usize,
    pub help_scroll: usize,
    /// The event the source pane was last set up for: the last one selected.
    shown_event: Option<usize>,
    /// Scroll position of the article pane; `None` follows the quote.
    pub article_offset: Option<usize>,
    pub picker: Picker,
    pub status: Option<String>,
    pub mouse: bool,
    pub viewport: Viewport,
    /// Events per year in the whole timeline (the view has the matches').
    pub year_counts: Vec<u32>,
    pub first_year: i32,
    /// Filter on a worker (the explorer) or right away (tests, benchmarks).
    pub deferred: bool,
    /// Bumped at every change of the selection; a late answer for an older one is dropped.
    pub generation: u64,
    /// A filter answer is on its way.
    pub filtering: bool,
    outbox: Vec<Effect>,
}

/// Pasted text on one line: line breaks and tabs separate words; other controls go.
fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Rows kept between the cursor and the list's edge when scrolling.
const SCROLL_MARGIN: usize = 3;

impl App {
    pub fn new(timeline: Arc<Timeline>) -> Self {
        let matcher = Matcher::new(&timeline);
        let (first_year, last_year) = timeline.year_span().unwrap_or((2000, 2000));
        // Sized here; counted by the first, unfiltered view below.
        let year_counts = vec![0; (last_year - first_year + 1) as usize];
        let mut app = App {
            timeline,
            matcher,
            selection: Selection::default(),
            input: String::new(),
            mode: Mode::Browse { article: false },
            previous_mode: Mode::Browse { article: false },
            view: View::default(),
            cursor: 0,
            list_offset: 0,
            list_rows: 20,
            source: 0,
            shown_event: None,
            help_scroll: 0,
            article_offset: None,
            picker: Picker::default(),
            status: None,
            mouse: false,
            viewport: Viewport::default(),
            year_counts,
            first_year,
            deferred: false,
            generation: 0,
            filtering: false,
            outbox: Vec::new(),
        };
        app.viewport.article_height.set(20);
        app.refilter();
        app.year_counts = app.view.match_counts.clone();
        app
    }

    /// The selected event, if any event matches.
    pub fn selected(&self) -> Option<usize> {
        self.view.visible.get(self.cursor).map(|&e| e as usize)
    }

    pub fn filter_active(&self) -> bool {
        !self.selection.is_empty()
    }

    /// Starts with a filter typed in.
    pub fn set_filter(&mut self, text: &str) {
        self.input = text.to_string();
        self.apply_input();
    }

    /// Selects the event with this id, or the first event that reaches this date.
    pub fn goto(&mut self, target: &str) -> Result<(), String> {
        let event = match self.timeline.event_by_id(target) {
            Some(i) => i,
            None => {
                let date = PartialDate::parse(target).map_err(|e| match e {
                    DateError::Shape(_) => format!("no event has the id or date \"{target}\""),
                    e => e.to_string(),
                })?;
                let near = self
                    .timeline
                    .event_near(&date)
                    .ok_or("the timeline has no events")?;
                let found = &self.timeline.events[near];
                if found.last_day() < date.first_day() {
                    self.status = Some(format!(
                        "nothing on or after {date}; showing the last event"
                    ));
                } else if found.date.first_day() > date.last_day() {
                    self.status = Some(format!("nothing in {date}; showing the next event"));
                }
                near
            }
        };
        self.select_nearest(event);
        Ok(())
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = self.dispatch(action);
        effects.append(&mut self.outbox);
        effects
    }

    fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        // A resize is not the user's answer to a message: the message stays.
        if let Action::Resize { list_rows } = action {
            self.list_rows = list_rows;
            self.scroll_list();
            return Vec::new();
        }
        self.status = None;
        match (&self.mode, action) {
            (_, Action::Quit) => return vec![Effect::Quit],
            (_, Action::Suspend) => return vec![Effect::Suspend],
            (_, Action::Resize { .. }) => {}
            (Mode::Help, a) => self.help_key(a),
            (_, Action::ToggleHelp) => {
                self.previous_mode = self.mode.clone();
                self.mode = Mode::Help;
            }
            (_, Action::ToggleMouse) => {
                self.mouse = !self.mouse;
                self.status = Some(format!(
                    "mouse {}",
                    if self.mouse {
                        "on: wheel scrolls, click selects"
                    } else {
                        "off: select text with the mouse again"
                    }
                ));
                return vec![Effect::SetMouse(self.mouse)];
            }
            (_, Action::CopyCitation) => return self.copy_citation(CiteFormat::Plain),
            (_, Action::CopyMarkdown) => return self.copy_citation(CiteFormat::Markdown),
            (Mode::Filter, a) => self.filter_key(a),
            (Mode::Picker(kind), a) => {
                let kind = *kind;
                self.picker_key(kind, a)
            }
            (Mode::Browse { article }, a) => {
                let article = *article;
                self.browse_key(article, a)
            }
        }
        Vec::new()
    }

    /// The years the ruler spans: those of the events, end dates included.
    pub fn year_range(&self) -> (i32, i32) {
        (
            self.first_year,
            self.first_year + self.year_counts.len().saturating_sub(1) as i32,
        )
    }

    /// Whether `action` has something to act on now: with no event selected there is
    /// no article to open or citation to copy, and one source has none to switch to.
    pub fn offers(&self, action: &Action) -> bool {
        let sources = self
            .selected()
            .map_or(0, |e| self.timeline.events[e].sources.len());
        match action {
            Action::OpenArticle
            | Action::ToggleFocus
            | Action::CopyCitation
            | Action::CopyMarkdown
            | Action::ShowQuote => sources > 0,
            Action::NextSource | Action::PrevSource => sources > 1,
            // Help that fits, or is at its end, has nothing more to scroll to.
            Action::Down | Action::PageDown if self.mode == Mode::Help => {
                self.help_scroll < self.viewport.help_max.get()
            }
            _ => true,
        }
    }

    fn browse_key(&mut self, article: bool, action: Action) {
        match action {
            Action::OpenFilter => self.mode = Mode::Filter,
            Action::OpenActorPicker => self.open_picker(PickerKind::Actors),
            Action::OpenTopicPicker => self.open_picker(PickerKind::Topics),
            Action::ToggleFocus | Action::OpenArticle if !self.offers(&action) => {}
            Action::ToggleFocus => self.mode = Mode::Browse { article: !article },
            Action::OpenArticle => self.mode = Mode::Browse { article: true },
            Action::NextSource => self.cycle_source(1),
            Action::PrevSource => self.cycle_source(-1),
            Action::ShowQuote => self.article_offset = None,
            Action::Scroll { list: true, lines } => self.move_by(lines as isize),
            Action::Scroll { list: false, lines } => self.scroll_article(lines as isize),
            Action::ClickRow(r) => self.click_row(r),
            Action::Back if article => self.mode = Mode::Browse { article: false },
            Action::Back => {
                if self.selection.has_picks() && !self.selection.query.is_empty() {
                    // Picks take more work to make than text: one Esc at a time.
                    self.input.clear();
                    self.apply_input();
                    self.status = Some("filter text cleared; Esc again clears the picks".into());
                } else if self.filter_active() {
                    self.clear_filter();
                }
            }
            a if article => self.article_key(a),
            a => self.list_key(a),
        }
    }

    fn list_key(&mut self, action: Action) {
        let page = self.list_rows.max(2) as isize - 1;
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_rows(page),
            Action::PageUp => self.move_rows(-page),
            Action::HalfPageDown => self.move_rows(page / 2 + 1),
            Action::HalfPageUp => self.move_rows(-(page / 2 + 1)),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(self.view.visible.len().saturating_sub(1)),
            Action::NextYear => self.jump_year(true),
            Action::PrevYear => self.jump_year(false),
            _ => {}
        }
    }

    /// Scrolls the help screen; any other key closes it.
    fn help_key(&mut self, action: Action) {
        let page = self.viewport.help_height.get().max(2) - 1;
        let max = self.viewport.help_max.get();
        self.help_scroll = match action {
            Action::Down => (self.help_scroll + 1).min(max),
            Action::Up => self.help_scroll.saturating_sub(1),
            Action::PageDown => (self.help_scroll + page).min(max),
            Action::PageUp => self.help_scroll.saturating_sub(page),
            // The wheel scrolls the help, wherever the pointer is.
            Action::Scroll { lines, .. } => self
                .help_scroll
                .saturating_add_signed(lines as isize)
                .min(max),
            _ => {
                self.mode = self.previous_mode.clone();
                0
            }
        };
    }

    fn article_key(&mut self, action: Action) {
        let page = self.viewport.article_height.get().max(2) as isize - 1;
        match action {
            Action::Down => self.scroll_article(1),
            Action::Up => self.scroll_article(-1),
            Action::PageDown => self.scroll_article(page),
            Action::PageUp => self.scroll_article(-page),
            Action::HalfPageDown => self.scroll_article(page / 2 + 1),
            Action::HalfPageUp => self.scroll_article(-(page / 2 + 1)),
            Action::Top => self.article_offset = Some(0),
            Action::Bottom => self.scroll_article(isize::MAX / 2),
            _ => {}
        }
    }

    fn scroll_article(&mut self, by: isize) {
        let from = self
            .article_offset
            .unwrap_or(self.viewport.article_resolved.get());
        let max = self
            .viewport
            .article_lines
            .get()
            .saturating_sub(self.viewport.article_height.get());
        self.article_offset = Some(from.saturating_add_signed(by).min(max));
    }

    fn filter_key(&mut self, action: Action) {
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

    fn apply_input(&mut self) {
        let query = Query::parse(&self.input);
        if query != self.selection.query {
            self.selection.query = query;
            self.refilter();
        }
    }

    fn clear_filter(&mut self) {
        self.input.clear();
        self.selection = Selection::default();
        self.refilter();
        self.status = Some("filter cleared".into());
    }

    // ---------- pickers ----------

    fn open_picker(&mut self, kind: PickerKind) {
        self.picker = Picker::default();
        self.mode = Mode::Picker(kind);
        self.refresh_picker(kind);
    }

    /// Names, event counts and whether picked, for the picker's entries.
    pub fn picker_entry(&self, kind: PickerKind, i: usize) -> (&str, usize, bool) {
        match kind {
            PickerKind::Actors => (
                &self.timeline.actors[i].name,
                self.matcher.index.actor_count(i),
                self.selection.actors.contains(&i),
            ),
            PickerKind::Topics => (
                &self.timeline.topics[i].name,
                self.matcher.index.topic_count(i),
                self.selection.topics.contains(&i),
            ),
        }
    }

    fn refresh_picker(&mut self, kind: PickerKind) {
        let term = fold(self.picker.input.trim());
        let index = &self.matcher.index;
        let names = match kind {
            PickerKind::Actors => index.folded_actor_names(),
            PickerKind::Topics => index.folded_topic_names(),
        };
        let m = self.matcher.index.matcher();
        let mut scored: Vec<(i64, usize, usize)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, ns)| {
                let score = if term.is_empty() {
                    Some(0)
                } else {
                    ns.iter().filter_map(|n| name_score(m, &term, n)).max()
                }?;
                Some((score, self.picker_entry(kind, i).1, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        self.picker.entries = scored.into_iter().map(|(_, _, i)| i).collect();
        self.picker.cursor = self
            .picker
            .cursor
            .min(self.picker.entries.len().saturating_sub(1));
    }

    /// Adds typed text to the picker's search, up to the length of one query term.
    fn pick_in(&mut self, text: &str) {
        let room = MAX_TERM_CHARS.saturating_sub(self.picker.input.chars().count());
        let taken: String = text.chars().take(room).collect();
        if taken.len() < text.len() {
            self.status = Some(format!(
                "a name to pick is at most {MAX_TERM_CHARS} characters: the search takes no more"
            ));
        }
        self.picker.input.push_str(&taken);
    }

    fn picker_key(&mut self, kind: PickerKind, action: Action) {
        match action {
            Action::Insert(c) => self.pick_in(c.encode_utf8(&mut [0; 4])),
            Action::Type(s) => self.pick_in(&s),
            Action::Paste(s) => self.pick_in(&one_line(&s)),
            Action::Backspace => {
                self.picker.input.pop();
            }
            Action::ClearInput => self.picker.input.clear(),
            Action::Down => {
                self.picker.cursor =
                    (self.picker.cursor + 1).min(self.picker.entries.len().saturating_sub(1));
                return;
            }
            Action::Up => {
                self.picker.cursor = self.picker.cursor.saturating_sub(1);
                return;
            }
            Action::PickerToggle => {
                if let Some(&i) = self.picker.entries.get(self.picker.cursor) {
                    let list = match kind {
                        PickerKind::Actors => &mut self.selection.actors,
                        PickerKind::Topics => &mut self.selection.topics,
                    };
                    match list.iter().position(|&x| x == i) {
                        Some(p) => {
                            list.remove(p);
                        }
                        None => list.push(i),
                    }
                    self.refilter();
                }
                return;
            }
            Action::PickerClear => {
                match kind {
                    PickerKind::Actors => self.selection.actors.clear(),
                    PickerKind::Topics => self.selection.topics.clear(),
                }
                self.refilter();
                return;
            }
            Action::Back | Action::Accept => {
                self.mode = Mode::Browse { article: false };
                return;
            }
            _ => return,
        }
        self.picker.cursor = 0;
        self.refresh_picker(kind);
    }

    // ---------- the list ----------

    /// Recomputes the matching events, keeping the selection or moving it to the
    /// nearest match in time. Deferred, it asks for the answer as an effect.
    fn refilter(&mut self) {
        self.generation += 1;
        if self.deferred {
            self.filtering = true;
            self.outbox.push(Effect::Filter {
                generation: self.generation,
                selection: self.selection.clone(),
            });
            return;
        }
        let years = self.year_counts.len();
        let view = filter_view(
            &mut self.matcher,
            &self.timeline,
            &self.selection,
            self.first_year,
            years,
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

    /// Selects `event` if it is visible, else the visible event nearest to it in time.
    fn select_nearest(&mut self, event: usize) {
        if self.view.visible.is_empty() {
            return self.move_to(0);
        }
        let pos = self.view.visible.partition_point(|&v| (v as usize) < event);
        let target = if self.view.visible.get(pos) == Some(&(event as u32)) {
            pos
        } else {
            let day = self.timeline.events[event].date.ordinal();
            let dist = |p: usize| {
                (self.timeline.events[self.view.visible[p] as usize]
                    .date
                    .ordinal()
                    - day)
                    .abs()
            };
            match (
                pos.checked_sub(1),
                (pos < self.view.visible.len()).then_some(pos),
            ) {
                (Some(a), Some(b)) => {
                    if dist(a) <= dist(b) {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => 0,
            }
        };
        self.move_to(target);
    }

    fn move_by(&mut self, by: isize) {
        let last = self.view.visible.len().saturating_sub(1);
        self.move_to(self.cursor.saturating_add_signed(by).min(last));
    }

    fn move_to(&mut self, pos: usize) {
        self.cursor = pos.min(self.view.visible.len().saturating_sub(1));
        // A new event starts on its first source, scrolled to its quote; the same
        // event (say, after refining the filter) keeps where the reader was.
        // With nothing selected (a filter that matches nothing), the last event stays
        // remembered, for the selection to come back to.
        if let Some(e) = self.selected()
            && self.shown_event != Some(e)
        {
            self.shown_event = Some(e);
            self.source = 0;
            self.article_offset = None;
        }
        self.scroll_list();
    }

    /// Keeps the cursor's row in view with some context above and below. When it
    /// must scroll, the list moves by at least half a page, so stepping row by row
    /// redraws the list once per half page rather than on every key: over SSH
    /// that is most of what a keystroke costs.
    fn scroll_list(&mut self) {
        let height = self.list_rows.max(1);
        let Some(&row) = self.view.event_rows.get(self.cursor) else {
            self.list_offset = 0;
            return;
        };
        let row = row as usize;
        let margin = SCROLL_MARGIN.min(height.saturating_sub(1) / 2);
        // Show the year heading right above the first event of a year.
        let top_row = if row > 0 && matches!(self.view.rows[row - 1], Row::Year(_)) {
            row - 1
        } else {
            row
        };
        // The jump stops where the cursor would enter the other margin, or the next
        // step would scroll straight back.
        let jump = height / 2;
        let lowest = (row + margin + 1).saturating_sub(height);
        let highest = top_row.saturating_sub(margin);
        if top_row < self.list_offset + margin {
            let jumped = self.list_offset.saturating_sub(jump).max(lowest);
            self.list_offset = highest.min(jumped);
        } else if row + margin >= self.list_offset + height {
            let jumped = (self.list_offset + jump).min(highest);
            self.list_offset = lowest.max(jumped);
        }
        let max_offset = self.view.rows.len().saturating_sub(height);
        self.list_offset = self.list_offset.min(max_offset);
    }

    /// Moves by screen rows (year headings count), to the event at or past that row.
    fn move_rows(&mut self, by: isize) {
        let Some(&row) = self.view.event_rows.get(self.cursor) else {
            return;
        };
        let target = (row as usize).saturating_add_signed(by) as u32;
        let pos = if by >= 0 {
            self.view.event_rows.partition_point(|&r| r < target)
        } else {
            self.view
                .event_rows
                .partition_point(|&r| r <= target)
                .saturating_sub(1)
        };
        self.move_to(pos.min(self.view.visible.len().saturating_sub(1)));
    }

    fn jump_year(&mut self, forward: bool) {
        let Some(e) = self.selected() else { return };
        let year = self.timeline.events[e].date.year;
        let events = &self.timeline.events;
        let target = if forward {
            self.view
                .visible
                .partition_point(|&v| events[v as usize].date.year <= year)
        } else {
            let start = self
                .view
                .visible
                .partition_point(|&v| events[v as usize].date.year < year);
            if start < self.cursor {
                // Mid-year: first to the start of this year, as `{` does in a text.
                return self.move_to(start);
            }
            match start.checked_sub(1) {
                Some(prev) => {
                    let py = events[self.view.visible[prev] as usize].date.year;
                    self.view
                        .visible
                        .partition_point(|&v| events[v as usize].date.year < py)
                }
                None => 0,
            }
        };
        if target < self.view.visible.len() {
            self.move_to(target);
        }
    }

    fn click_row(&mut self, row: usize) {
        if let Some(Row::Event(e)) = self.view.rows.get(self.list_offset + row) {
            let e = *e;
            if let Ok(pos) = self.view.visible.binary_search(&e) {
                self.move_to(pos);
            }
        }
    }

    fn cycle_source(&mut self, by: isize) {
        let Some(e) = self.selected() else { return };
        let n = self.timeline.events[e].sources.len();
        if n > 1 {
            self.source = (self.source as isize + by).rem_euclid(n as isize) as usize;
            self.article_offset = None;
            self.status = Some(format!("source {} of {}", self.source + 1, n));
        } else {
            self.status = Some("this event has one source".into());
        }
    }

    fn copy_citation(&mut self, format: CiteFormat) -> Vec<Effect> {
        let Some(e) = self.selected() else {
            self.status = Some("nothing to copy: no event is selected".into());
            return Vec::new();
        };
        let event = &self.timeline.events[e];
        let text = citation(&self.timeline, event, self.source, format);
        let kind = if format == CiteFormat::Markdown {
            "Markdown citation"
        } else {
            "citation"
        };
        self.status = Some(format!(
            "copied {kind}: {} — {}",
            date_span(event),
            event.headline
        ));
        vec![Effect::Copy(text)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::{dated_timeline, load_builtin};

    fn app() -> App {
        App::new(Arc::new(load_builtin().unwrap().timeline))
    }

    fn type_text(a: &mut App, text: &str) {
        for c in text.chars() {
            a.update(Action::Insert(c));
        }
    }

    fn headline(app: &App) -> String {
        app.timeline.events[app.selected().unwrap()]
            .headline
            .clone()
    }

    #[test]
    fn starts_on_the_first_event_and_end_reaches_the_last() {
        let mut a = app();
        assert_eq!(a.cursor, 0);
        assert_eq!(
            a.timeline.events[a.selected().unwrap()].date.to_string(),
            "2001-03-12"
        );
        a.update(Action::Bottom);
        assert_eq!(a.selected(), Some(a.timeline.events.len() - 1));
        a.update(Action::Down);
        assert_eq!(
            a.selected(),
            Some(a.timeline.events.len() - 1),
            "stays at the end"
        );
    }

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
    fn goto_a_date_inside_an_event_s_span_selects_that_event() {
        let t = dated_timeline(
            &[("war", "2011-03", Some("2024")), ("later", "2025-01", None)],
            serde_json::json!([]),
        );
        let mut a = App::new(Arc::new(t));
        for (target, id) in [
            ("2015", "war"),
            ("2024-06", "war"),
            ("2024-12-31", "war"),
            ("2025", "later"),
        ] {
            a.goto(target).unwrap();
            assert_eq!(a.timeline.events[a.selected().unwrap()].id, id, "{target}");
            assert_eq!(a.status, None, "{target}");
        }
    }

    #[test]
    fn goto_a_date_that_a_year_long_event_spans_selects_that_event() {
        let t = dated_timeline(
            &[
                ("early", "2020-05", None),
                ("year", "2021", None),
                ("jan", "2021-01-10", None),
                ("feb", "2021-02-10", None),
            ],
            serde_json::json!([]),
        );
        let mut a = App::new(Arc::new(t));
        a.goto("2021-06").unwrap();
        assert_eq!(a.timeline.events[a.selected().unwrap()].id, "year");
        assert_eq!(a.status, None, "June 2021 is inside the timeline");
        a.goto("2021-01-20").unwrap();
        assert_eq!(a.timeline.events[a.selected().unwrap()].id, "year");
        a.goto("2022").unwrap();
        assert_eq!(a.timeline.events[a.selected().unwrap()].id, "feb");
        assert!(
            a.status
                .as_deref()
                .unwrap()
                .starts_with("nothing on or after 2022")
        );
        a.goto("2020-09").unwrap();
        assert_eq!(a.timeline.events[a.selected().unwrap()].id, "year");
        assert_eq!(
            a.status.as_deref(),
            Some("nothing in 2020-09; showing the next event")
        );
        assert_eq!(
            a.goto("2021-02-30").unwrap_err(),
            "\"2021-02-30\" is not a day of the calendar"
        );
        assert_eq!(
            a.goto("tomorrow").unwrap_err(),
            "no event has the id or date \"tomorrow\""
        );
    }

    #[test]
    fn with_nothing_selected_there_is_no_article_to_open_or_source_to_switch() {
        let mut a = app();
        // The first event cites one article.
        assert_eq!(a.timeline.events[0].sources.len(), 1);
        assert!(a.offers(&Action::OpenArticle) && !a.offers(&Action::NextSource));
        a.set_filter("zzzzqqq");
        a.update(Action::Accept);
        assert_eq!(a.selected(), None);
        assert!(!a.offers(&Action::OpenArticle) && !a.offers(&Action::CopyCitation));
        a.update(Action::OpenArticle);
        assert_eq!(
            a.mode,
            Mode::Browse { article: false },
            "Enter does nothing"
        );
        let shown: Vec<_> = crate::keys::hints(&a.mode, |x| a.offers(x))
            .into_iter()
            .map(|(_, h)| h)
            .collect();
        assert!(
            shown
                .iter()
                .all(|h| !h.contains("article") && !h.contains("cit")),
            "{shown:?}"
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
    fn year_jumps_land_on_the_first_event_of_a_year() {
        let mut a = app();
        a.update(Action::NextYear);
        let y1 = a.timeline.events[a.selected().unwrap()].date.year;
        assert!(y1 > 2001);
        a.update(Action::NextYear);
        a.update(Action::PrevYear);
        let e = a.selected().unwrap();
        assert_eq!(a.timeline.events[e].date.year, y1);
        assert!(e == 0 || a.timeline.events[e - 1].date.year < y1);
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
    fn picking_an_actor_narrows_the_list() {
        let mut a = app();
        a.update(Action::OpenActorPicker);
        type_text(&mut a, "putin");
        let first = a.picker.entries[0];
        assert_eq!(a.timeline.actors[first].name, "Vladimir Putin");
        a.update(Action::PickerToggle);
        assert_eq!(a.view.visible.len(), a.matcher.index.actor_count(first));
        a.update(Action::PickerToggle);
        assert_eq!(a.view.visible.len(), a.timeline.events.len());
    }

    #[test]
    fn copy_gives_a_citation_with_the_quote() {
        let mut a = app();
        let effects = a.update(Action::CopyCitation);
        let Effect::Copy(text) = &effects[0] else {
            panic!("{effects:?}")
        };
        let e = &a.timeline.events[0];
        assert!(text.contains("2001-03-12") && text.contains(&e.sources[0].quote));
        assert!(a.status.as_deref().unwrap().starts_with("copied citation"));
    }

    #[test]
    fn help_returns_to_where_it_was_opened() {
        let mut a = app();
        a.update(Action::ToggleFocus);
        a.update(Action::ToggleHelp);
        assert_eq!(a.mode, Mode::Help);
        a.viewport.help_max.set(5);
        a.update(Action::Down);
        assert_eq!(
            (a.mode.clone(), a.help_scroll),
            (Mode::Help, 1),
            "j scrolls the help"
        );
        a.update(Action::Scroll {
            list: true,
            lines: 3,
        });
        assert_eq!(
            (a.mode.clone(), a.help_scroll),
            (Mode::Help, 4),
            "so does the wheel"
        );
        assert!(a.offers(&Action::Down), "one row more to see");
        a.update(Action::Down);
        assert!(!a.offers(&Action::Down), "at the end, no scroll hint");
        a.update(Action::Scroll {
            list: false,
            lines: -9,
        });
        assert_eq!(a.help_scroll, 0);
        assert!(a.offers(&Action::Down));
        a.update(Action::Back);
        assert_eq!(a.mode, Mode::Browse { article: true });
        assert_eq!(a.help_scroll, 0);
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
    fn a_resize_keeps_the_status_message_and_the_selection_in_view() {
        let mut a = app();
        a.update(Action::Bottom);
        a.status = Some("2 warning(s) loading the timeline".into());
        a.update(Action::Resize { list_rows: 5 });
        assert!(a.status.is_some(), "the message is still there");
        let row = a.view.event_rows[a.cursor] as usize;
        assert!(row >= a.list_offset && row < a.list_offset + 5);
        a.update(Action::Down);
        assert!(a.status.is_none(), "a key answers the message");
    }

    #[test]
    fn paging_moves_by_screen_rows() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 11 });
        a.update(Action::PageDown);
        // Ten rows down from the 2001 row, year headings counted.
        let row = a.view.event_rows[a.cursor] as usize;
        assert!((10..=11).contains(&row), "row {row}");
        a.update(Action::PageUp);
        assert_eq!(a.cursor, 0);
    }

    #[test]
    fn brace_goes_to_the_start_of_the_year_first() {
        let mut a = app();
        a.goto("2017-08-05").unwrap();
        a.update(Action::PrevYear);
        let e = a.selected().unwrap();
        assert_eq!(a.timeline.events[e].date.year, 2017);
        assert!(a.timeline.events[e - 1].date.year < 2017);
        a.update(Action::PrevYear);
        assert_eq!(a.timeline.events[a.selected().unwrap()].date.year, 2011);
    }

    #[test]
    fn pasted_lines_become_words() {
        let mut a = app();
        a.update(Action::OpenFilter);
        a.update(Action::Paste("gas\npipeline\t".into()));
        assert_eq!(a.input, "gas pipeline ");
    }

    #[test]
    fn the_cursor_stays_in_view_with_context() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 10 });
        for _ in 0..20 {
            a.update(Action::Down);
            let row = a.view.event_rows[a.cursor] as usize;
            assert!(row >= a.list_offset && row < a.list_offset + 10);
        }
    }

    #[test]
    fn the_list_scrolls_by_half_a_page_not_a_row_at_a_time() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 20 });
        let mut offsets = vec![a.list_offset];
        for _ in 0..30 {
            a.update(Action::Down);
            if a.list_offset != *offsets.last().unwrap() {
                offsets.push(a.list_offset);
            }
        }
        let steps: Vec<usize> = offsets.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.len() >= 2, "{offsets:?}");
        assert!(steps.iter().all(|&s| s >= 10), "{offsets:?}");
        // And back up the same way.
        let before = a.list_offset;
        while a.list_offset == before {
            a.update(Action::Up);
        }
        assert!(before - a.list_offset >= 10);
    }

    #[test]
    fn the_list_never_scrolls_against_the_step_and_stays_put_unmoved() {
        for height in 3..40 {
            let mut a = app();
            a.update(Action::Resize { list_rows: height });
            for (step, forward) in [(Action::Down, true), (Action::Up, false)] {
                for _ in 0..a.view.visible.len() {
                    let before = a.list_offset;
                    a.update(step.clone());
                    let row = a.view.event_rows[a.cursor] as usize;
                    assert!(
                        row >= a.list_offset && row < a.list_offset + height,
                        "height {height}"
                    );
                    if forward {
                        assert!(a.list_offset >= before, "height {height}: scrolled back up");
                    } else {
                        assert!(
                            a.list_offset <= before,
                            "height {height}: scrolled back down"
                        );
                    }
                    // Asking again without moving changes nothing (a click, a resize).
                    if height >= 8 {
                        let settled = a.list_offset;
                        a.scroll_list();
                        assert_eq!(a.list_offset, settled, "height {height}");
                    }
                }
            }
        }
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
            a.first_year,
            a.year_counts.len(),
        );
        a.apply_view(g1, old);
        assert_eq!(a.view.visible.len(), all);
        let set = m.evaluate(&selection);
        let view = build_view(&a.timeline, &set, a.first_year, a.year_counts.len());
        a.apply_view(g2, view);
        assert!(!a.filtering && !a.awaits_view());
        assert!(a.view.visible.len() < all && !a.view.visible.is_empty());
    }

    #[test]
    fn shift_y_copies_markdown() {
        let mut a = app();
        let effects = a.update(Action::CopyMarkdown);
        let Effect::Copy(text) = &effects[0] else {
            panic!("{effects:?}")
        };
        assert!(
            text.starts_with("**2001-03-12**") && text.contains("\n> "),
            "{text}"
        );
        assert!(
            a.status
                .as_deref()
                .unwrap()
                .starts_with("copied Markdown citation")
        );
    }
}
