//! Explorer state and the actions that change it. `update` does no I/O: what must
//! reach the outside world (a copy to the clipboard, quitting) comes back as effects.

mod filter;
mod list;
mod picker;

pub use filter::{View, YearBuckets, build_view, filter_view};

use crate::data::progress::{PROGRESS, Phase};
use std::cell::Cell;
use std::sync::Arc;

use crate::data::cite::{CiteFormat, citation};
use crate::data::date::{DateError, PartialDate};
use crate::data::model::{Timeline, date_span};
use crate::query::index::SearchIndex;
use crate::query::matcher::{Matcher, Selection};

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
    OpenGroupPicker,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Actors,
    Topics,
    Groups,
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
    Year(i64),
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
    /// Events per bucket of years in the whole timeline (the view has the matches').
    pub bucket_counts: Vec<u32>,
    pub buckets: YearBuckets,
    /// Filter on a worker (the explorer) or right away (tests, benchmarks).
    pub deferred: bool,
    /// Bumped at every change of the selection; a late answer for an older one is dropped.
    pub generation: u64,
    /// A filter answer is on its way.
    pub filtering: bool,
    outbox: Vec<Effect>,
}

/// Pasted text on one line: line breaks and tabs separate words; other controls go.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl App {
    pub fn new(timeline: Arc<Timeline>) -> Self {
        PROGRESS.phase(Phase::Indexing);
        let index = Arc::new(SearchIndex::build(&timeline));
        PROGRESS.phase(Phase::Done);
        Self::with_index(timeline, index)
    }

    /// An explorer over an index built once and shared, as every visitor of
    /// `annals serve` shares the server's.
    pub fn with_index(timeline: Arc<Timeline>, index: Arc<SearchIndex>) -> Self {
        let matcher = Matcher::with_index(index);
        let buckets = YearBuckets::of_timeline(&timeline);
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
            bucket_counts: Vec::new(),
            buckets,
            deferred: false,
            generation: 0,
            filtering: false,
            outbox: Vec::new(),
        };
        app.viewport.article_height.set(20);
        app.refilter();
        app.bucket_counts = app.view.match_counts.clone();
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
                if found.last_moment() < date.first_moment() {
                    self.status = Some(format!(
                        "nothing on or after {date}; showing the last event"
                    ));
                } else if found.date.first_moment() > date.last_moment() {
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
    pub fn year_range(&self) -> (i64, i64) {
        self.buckets.years()
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
            // Most timelines have no groups: the hint would only lead to an empty picker.
            Action::OpenGroupPicker => !self.matcher.index.groups().is_empty(),
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
            Action::OpenGroupPicker => self.open_picker(PickerKind::Groups),
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

    pub(super) fn app() -> App {
        App::new(Arc::new(load_builtin().unwrap().timeline))
    }

    pub(super) fn type_text(a: &mut App, text: &str) {
        for c in text.chars() {
            a.update(Action::Insert(c));
        }
    }

    pub(super) fn headline(app: &App) -> String {
        app.timeline.events[app.selected().unwrap()]
            .headline
            .to_string()
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
            assert_eq!(
                &*a.timeline.events[a.selected().unwrap()].id,
                id,
                "{target}"
            );
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
        assert_eq!(&*a.timeline.events[a.selected().unwrap()].id, "year");
        assert_eq!(a.status, None, "June 2021 is inside the timeline");
        a.goto("2021-01-20").unwrap();
        assert_eq!(&*a.timeline.events[a.selected().unwrap()].id, "year");
        a.goto("2022").unwrap();
        assert_eq!(&*a.timeline.events[a.selected().unwrap()].id, "feb");
        assert!(
            a.status
                .as_deref()
                .unwrap()
                .starts_with("nothing on or after 2022")
        );
        a.goto("2020-09").unwrap();
        assert_eq!(&*a.timeline.events[a.selected().unwrap()].id, "year");
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
        let shown: Vec<_> = crate::explorer::keys::hints(&a.mode, |x| a.offers(x))
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
    fn copy_gives_a_citation_with_the_quote() {
        let mut a = app();
        let effects = a.update(Action::CopyCitation);
        let Effect::Copy(text) = &effects[0] else {
            panic!("{effects:?}")
        };
        let e = &a.timeline.events[0];
        assert!(text.contains("2001-03-12") && text.contains(e.sources[0].quote()));
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
