//! The explorer's run loop, over any terminal session: it takes input events,
//! turns them into actions, carries out the effects `App::update` asks for, and
//! draws a frame when something changed and the terminal can take one. A session
//! (the local terminal, a visitor's SSH channel) supplies the input and the output
//! and decides what only it can: when to end, and whether it can suspend.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::mpsc;
use std::time::Duration;

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::layout::{Position, Size};
use terminput::{Event, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind, ScrollDirection};

use super::compact::CompactBackend;
use super::filter_pool::FilterClient;
use crate::explorer::app::{Action, App, Effect, View};
use crate::explorer::keys::{action_for, pressed};
use crate::explorer::ui::{Panes, Theme, list_rows, panes, render};
use crate::query::index::SearchIndex;
use crate::query::matcher::Matcher;
use std::sync::Arc;

pub type Term<W> = Terminal<CompactBackend<W>>;

/// What wakes a session's run loop.
pub enum Msg {
    /// Decoded input, and how many bytes it came from.
    Input(Vec<Event>, usize),
    /// The input side closed: a hang-up, or a visitor gone.
    InputClosed(io::Error),
    /// The terminal's new size, where the session is told rather than asks.
    Resize(Size),
    Filtered(u64, View),
    /// The word index, built in the background after a large load.
    IndexReady(Arc<SearchIndex>),
    /// Something for the session to look at (a signal): `ending` is asked at once.
    Wake,
    /// The output side caught up and can take a frame.
    Writable,
    /// Something the session tells the user in the status line.
    Note(String),
    /// End now.
    Stop(Ending),
}

/// Where a session's messages go: the channel a thread blocks on, or the one a
/// task awaits.
#[derive(Clone)]
pub enum Mailbox {
    Thread(mpsc::Sender<Msg>),
    Task(tokio::sync::mpsc::UnboundedSender<Msg>),
}

impl Mailbox {
    /// Sends, and says whether anyone was still there to receive it.
    pub fn send(&self, msg: Msg) -> bool {
        match self {
            Mailbox::Thread(tx) => tx.send(msg).is_ok(),
            Mailbox::Task(tx) => tx.send(msg).is_ok(),
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// q or Ctrl-c.
    Quit,
    /// A signal asked the process to stop.
    Signal(i32),
    /// The terminal or the visitor went away.
    HungUp,
    /// No input for the idle timeout.
    Idle,
    /// The session reached its longest allowed time.
    TooLong,
    /// The server is stopping.
    Shutdown,
}

impl Ending {
    pub fn describe(self) -> &'static str {
        match self {
            Ending::Quit => "quit",
            Ending::Signal(_) => "signal",
            Ending::HungUp => "client went away",
            Ending::Idle => "idle timeout",
            Ending::TooLong => "maximum session time",
            Ending::Shutdown => "server stopping",
        }
    }
}

/// What differs between terminals: when to end, suspending, and how fast the
/// output side takes frames.
pub trait TerminalSession {
    type Out: Write;

    /// Asked whenever the loop wakes: the reason to end now, if there is one.
    fn ending(&mut self) -> Option<Ending>;

    /// A suspend asked for from outside the keys (SIGTSTP).
    fn take_suspend_request(&mut self) -> bool {
        false
    }

    /// Ctrl-z: give the terminal back for a while, or say in the status line why not.
    fn suspend(&mut self, term: &mut Term<Self::Out>, app: &mut App) -> io::Result<()>;

    /// Whether a frame may be written now: a terminal that stops reading has at
    /// most one frame waiting.
    fn can_draw(&mut self) -> bool {
        true
    }

    /// Whether output was thrown away, so the next frame must repaint everything.
    fn take_lost(&mut self) -> bool {
        false
    }

    /// Input of this many bytes (as `Msg::Input` counted them) has been acted on.
    fn input_done(&mut self, _bytes: usize) {}

    /// The loop is about to wait for input; sessions that pace output send what waits.
    fn writable(&mut self, _term: &mut Term<Self::Out>) -> io::Result<()> {
        Ok(())
    }
}

fn draw<W: Write>(term: &mut Term<W>, app: &App, theme: &Theme) -> io::Result<()> {
    queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| render(f, app, theme))?;
    queue!(term.backend_mut(), EndSynchronizedUpdate)?;
    term.backend_mut().flush()
}

/// How often the loop looks at `ending` when nothing else wakes it: a signal or
/// a server stopping wakes it at once, so this only paces the timeouts. An idle
/// session costs one wake-up a second.
pub const TICK: Duration = Duration::from_secs(1);

/// The explorer on one terminal, handling one message at a time. A session's
/// own loop feeds it: the local terminal blocks on a channel (`drive`), and an
/// SSH session is a task on the server's few threads, so a thousand idle
/// visitors cost no thread each.
pub struct Driver<S: TerminalSession> {
    pub session: S,
    pub term: Term<S::Out>,
    pub app: App,
    theme: Theme,
    filter: FilterClient,
    waiting: VecDeque<Event>,
    /// Bytes of input taken from the inbox whose keys may still wait in `waiting`:
    /// given back to the session (`input_done`) once none wait.
    held: usize,
    dirty: bool,
    fitted: Option<Size>,
    /// Lets the end-to-end tests prove that a panic gives the terminal back.
    test_panic: bool,
}

impl<S: TerminalSession> Driver<S> {
    pub fn new(
        session: S,
        term: Term<S::Out>,
        mut app: App,
        theme: Theme,
        filter: FilterClient,
    ) -> Self {
        app.deferred = true;
        Driver {
            session,
            term,
            app,
            theme,
            filter,
            waiting: VecDeque::new(),
            held: 0,
            dirty: true,
            fitted: None,
            test_panic: std::env::var_os("ANNALS_TEST_PANIC").is_some(),
        }
    }

    /// Before waiting for the next message: ends if the session must, and draws a
    /// frame if something changed and the terminal can take it.
    pub fn settle(&mut self) -> io::Result<Option<Ending>> {
        let Driver {
            session, term, app, ..
        } = self;
        if let Some(ending) = session.ending() {
            return Ok(Some(ending));
        }
        if session.take_suspend_request() {
            session.suspend(term, app)?;
            self.dirty = true;
        }
        if session.take_lost() {
            // What was dropped may have switched the mouse: say again which it is.
            if app.mouse {
                queue!(term.backend_mut(), EnableMouseCapture)?;
            } else {
                queue!(term.backend_mut(), DisableMouseCapture)?;
            }
            term.clear()?;
            self.dirty = true;
        }
        if self.dirty && session.can_draw() {
            // Fit the list to the screen before drawing: at start-up, and after a
            // resize. Only a new size is worked out; most frames follow a key.
            let size = term.size()?;
            if self.fitted != Some(size) {
                self.fitted = Some(size);
                let rows = list_rows(size.into(), app);
                if rows != app.list_rows {
                    app.update(Action::Resize { list_rows: rows });
                }
            }
            draw(term, app, &self.theme)?;
            self.dirty = false;
            if self.test_panic {
                panic!("ANNALS_TEST_PANIC is set: panicking on purpose");
            }
        }
        session.writable(term)?;
        Ok(None)
    }

    /// Handles one message. Messages already waiting should all be handled before
    /// the next `settle`, so that a burst of keys (or a paste) costs one frame.
    pub fn handle(&mut self, msg: Msg) -> io::Result<Option<Ending>> {
        let Driver {
            session,
            term,
            app,
            filter,
            waiting,
            ..
        } = self;
        match msg {
            Msg::Input(events, bytes) => {
                self.dirty = true;
                for ev in events {
                    // Ctrl-c and Ctrl-z mean the same in every mode: they never wait.
                    if let Event::Key(k) = ev
                        && is_urgent(app, &k)
                    {
                        if handle(session, term, app, filter, Event::Key(k))? == Flow::Quit {
                            return Ok(Some(Ending::Quit));
                        }
                    } else {
                        waiting.push_back(ev);
                    }
                }
                self.held += bytes;
            }
            Msg::InputClosed(e) => return Err(e),
            Msg::Resize(size) => {
                term.backend_mut().set_size(size);
                self.dirty = true;
            }
            Msg::Filtered(generation, view) => {
                app.apply_view(generation, view);
                self.dirty = true;
            }
            Msg::IndexReady(index) => {
                app.matcher = Matcher::with_index(Arc::clone(&index));
                filter.set_index(index);
                self.dirty = true;
            }
            Msg::Wake => self.dirty = true,
            Msg::Writable => {}
            Msg::Note(text) => {
                app.status = Some(text);
                self.dirty = true;
            }
            Msg::Stop(ending) => return Ok(Some(ending)),
        }
        if let Some(ending) = session.ending() {
            return Ok(Some(ending));
        }
        if drain(session, term, app, filter, waiting)? == Flow::Quit {
            return Ok(Some(Ending::Quit));
        }
        // Keys waiting for a filter's answer are input not yet acted on too.
        if waiting.is_empty() && self.held > 0 {
            session.input_done(std::mem::take(&mut self.held));
        }
        Ok(None)
    }
}

/// Runs the explorer until it ends, blocking on `inbox`, and says why.
pub fn drive<S: TerminalSession>(
    driver: &mut Driver<S>,
    inbox: &mpsc::Receiver<Msg>,
) -> io::Result<Ending> {
    loop {
        if let Some(ending) = driver.settle()? {
            return Ok(ending);
        }
        let first = match inbox.recv_timeout(TICK) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Ending::HungUp),
        };
        for msg in std::iter::once(first).chain(inbox.try_iter()) {
            if let Some(ending) = driver.handle(msg)? {
                return Ok(ending);
            }
        }
    }
}

/// Acts on the keys that wait, in order. Keys act on the list on screen: while a
/// new filter's answer is on its way they wait for it, except one that quits,
/// which needs no list. Typing in the filter bar never waits, and a run of typed
/// characters is inserted at once, so a burst costs one filter, not one a key.
fn drain<S: TerminalSession>(
    session: &mut S,
    term: &mut Term<S::Out>,
    app: &mut App,
    filter: &FilterClient,
    waiting: &mut VecDeque<Event>,
) -> io::Result<Flow> {
    loop {
        let Some(ev) = waiting.pop_front() else {
            return Ok(Flow::Go);
        };
        let mut events: Vec<Event> = match ev {
            Event::Key(k) => pressed(&app.mode, k).into_iter().map(Event::Key).collect(),
            ev => vec![ev],
        };
        if events.is_empty() {
            continue;
        }
        let first = events.remove(0);
        // An Esc split from Alt-key may start a filter: the key after it waits too.
        for rest in events.into_iter().rev() {
            waiting.push_front(rest);
        }
        let quits =
            matches!(&first, Event::Key(k) if action_for(&app.mode, k) == Some(Action::Quit));
        if app.awaits_view() && !quits {
            waiting.push_front(first);
            return Ok(Flow::Go);
        }
        let action = match typed_char(app, &first) {
            Some(c) => {
                let mut text = String::from(c);
                while let Some(next) = waiting.front().and_then(|ev| typed_char(app, ev)) {
                    text.push(next);
                    waiting.pop_front();
                }
                Some(if text.chars().count() == 1 {
                    Action::Insert(c)
                } else {
                    Action::Type(text)
                })
            }
            None => action_for_event(term, app, first)?,
        };
        if let Some(action) = action
            && act(session, term, app, filter, action)? == Flow::Quit
        {
            return Ok(Flow::Quit);
        }
    }
}

/// The character a key types into the filter or a picker, if it is one.
fn typed_char(app: &App, ev: &Event) -> Option<char> {
    let Event::Key(k) = ev else { return None };
    match action_for(&app.mode, k) {
        Some(Action::Insert(c)) if k.kind != KeyEventKind::Release => Some(c),
        _ => None,
    }
}

/// A control key that quits or suspends: it acts at once, even while other keys
/// wait for a filter's answer.
fn is_urgent(app: &App, key: &KeyEvent) -> bool {
    key.modifiers.contains(terminput::KeyModifiers::CTRL)
        && matches!(
            action_for(&app.mode, key),
            Some(Action::Quit | Action::Suspend)
        )
}

/// Turns one input event into an action and carries out what it leads to.
fn handle<S: TerminalSession>(
    session: &mut S,
    term: &mut Term<S::Out>,
    app: &mut App,
    filter: &FilterClient,
    ev: Event,
) -> io::Result<Flow> {
    match action_for_event(term, app, ev)? {
        Some(action) => act(session, term, app, filter, action),
        None => Ok(Flow::Go),
    }
}

fn action_for_event<W: Write>(
    term: &mut Term<W>,
    app: &App,
    ev: Event,
) -> io::Result<Option<Action>> {
    Ok(match ev {
        // Only the mouse needs the layout, so only a mouse event asks for the size.
        Event::Mouse(m) => panes(term.size()?.into(), app).and_then(|p| mouse_action(p, m)),
        ev => to_action(app, ev),
    })
}

fn act<S: TerminalSession>(
    session: &mut S,
    term: &mut Term<S::Out>,
    app: &mut App,
    filter: &FilterClient,
    action: Action,
) -> io::Result<Flow> {
    for effect in app.update(action) {
        if perform(session, term, effect, filter, app)? == Flow::Quit {
            return Ok(Flow::Quit);
        }
    }
    Ok(Flow::Go)
}

#[derive(PartialEq)]
enum Flow {
    Go,
    Quit,
}

/// Carries out what the app asked for: the only I/O an action leads to. The
/// clipboard (OSC 52) and the mouse are asked of the terminal itself, so they work
/// the same on any session.
fn perform<S: TerminalSession>(
    session: &mut S,
    term: &mut Term<S::Out>,
    effect: Effect,
    filter: &FilterClient,
    app: &mut App,
) -> io::Result<Flow> {
    match effect {
        Effect::Quit => return Ok(Flow::Quit),
        Effect::Suspend => session.suspend(term, app)?,
        Effect::Copy(text) => {
            queue!(
                term.backend_mut(),
                CopyToClipboard::to_clipboard_from(text.as_bytes())
            )?;
            term.backend_mut().flush()?;
        }
        Effect::SetMouse(true) => execute!(term.backend_mut(), EnableMouseCapture)?,
        Effect::SetMouse(false) => execute!(term.backend_mut(), DisableMouseCapture)?,
        Effect::Filter {
            generation,
            selection,
        } => filter.request(generation, selection),
    }
    Ok(Flow::Go)
}

/// The action for a key or a paste. (Mouse events go through `mouse_action`; a
/// resize is fitted by the next frame, see `drive`.)
fn to_action(app: &App, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => action_for(&app.mode, &k),
        Event::Paste(text) => Some(Action::Paste(text)),
        _ => None,
    }
}

fn mouse_action(p: Panes, m: MouseEvent) -> Option<Action> {
    let at = Position::new(m.column, m.row);
    // The list's side: left of the article when they share the screen, and
    // everything when the list is alone.
    // (An article alone starts at the left edge, so nothing is left of it.)
    let in_list = p.article.is_none_or(|article| m.column < article.x);
    match m.kind {
        MouseEventKind::Scroll(ScrollDirection::Down) => Some(Action::Scroll {
            list: in_list,
            lines: 3,
        }),
        MouseEventKind::Scroll(ScrollDirection::Up) => Some(Action::Scroll {
            list: in_list,
            lines: -3,
        }),
        // Reading beside the list hides it: a click anywhere on its side brings it back.
        MouseEventKind::Down(_) if in_list && p.reading => Some(Action::Back),
        MouseEventKind::Down(_) => {
            let rows = p.list_rows()?;
            rows.contains(at)
                .then(|| Action::ClickRow((m.row - rows.y) as usize))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::load_builtin;
    use ratatui::layout::Rect;
    use std::sync::Arc;
    use terminput::{KeyCode, KeyModifiers};
    use terminput::{KeyEvent, MouseButton};

    /// Keys that wait for a filter's answer are input not yet acted on: the
    /// session hears they are done only once they have acted, so that a limit on
    /// pending input (`annals serve --max-pending-input`) covers them too.
    #[test]
    fn keys_waiting_for_a_filter_count_as_pending_input_until_they_act() {
        use crate::query::index::SearchIndex;
        use crate::session::filter_pool::FilterPool;
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Probe(Arc<AtomicUsize>);
        impl TerminalSession for Probe {
            type Out = Vec<u8>;
            fn ending(&mut self) -> Option<Ending> {
                None
            }
            fn suspend(&mut self, _: &mut Term<Vec<u8>>, _: &mut App) -> io::Result<()> {
                Ok(())
            }
            fn input_done(&mut self, bytes: usize) {
                self.0.fetch_add(bytes, Ordering::SeqCst);
            }
        }
        let timeline = Arc::new(load_builtin().unwrap().timeline);
        let index = Arc::new(SearchIndex::build(&timeline));
        let pool = FilterPool::start(Arc::clone(&timeline), Arc::clone(&index), 1);
        let (tx, rx) = mpsc::channel();
        let done = Arc::new(AtomicUsize::new(0));
        let term = Terminal::new(CompactBackend::with_size(Vec::new(), 120, 40)).unwrap();
        let mut driver = Driver::new(
            Probe(Arc::clone(&done)),
            term,
            App::with_index(timeline, index),
            Theme { color: false },
            pool.client(Mailbox::Thread(tx)),
        );
        let key = |code| Event::Key(KeyEvent::new(code));
        // A filter typed and kept, then two keys for the list it is about to show.
        let typed = ['/', 'r', 'o']
            .map(KeyCode::Char)
            .into_iter()
            .chain([KeyCode::Enter, KeyCode::Char('j'), KeyCode::Char('j')])
            .map(key)
            .collect();
        assert!(driver.handle(Msg::Input(typed, 6)).unwrap().is_none());
        assert_eq!(done.load(Ordering::SeqCst), 0, "the j's wait for the list");
        while done.load(Ordering::SeqCst) == 0 {
            let answer = rx
                .recv_timeout(Duration::from_secs(10))
                .expect("the filter's answer");
            driver.handle(answer).unwrap();
        }
        assert_eq!(done.load(Ordering::SeqCst), 6);
        assert!(driver.waiting.is_empty());
    }

    #[test]
    fn only_control_keys_that_quit_or_suspend_skip_the_wait() {
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c)).modifiers(KeyModifiers::CTRL);
        let plain = |c| KeyEvent::new(KeyCode::Char(c));
        assert!(is_urgent(&app, &ctrl('c')) && is_urgent(&app, &ctrl('z')));
        // q quits only while browsing, so it waits its turn behind earlier keys.
        assert!(!is_urgent(&app, &plain('q')));
        app.mode = crate::explorer::app::Mode::Filter;
        assert!(is_urgent(&app, &ctrl('c')));
        assert!(!is_urgent(&app, &ctrl('w')));
    }

    fn click(column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    #[test]
    fn a_click_anywhere_beside_an_opened_article_brings_the_list_back() {
        use crate::explorer::app::Mode;
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let screen = Rect::new(0, 0, 120, 40);
        let at = |app: &App, x, y| mouse_action(panes(screen, app).unwrap(), click(x, y));
        // Browsing: a click selects the row under it, and only on the list, whose
        // rows start under the ruler, its two era bands and the list's border.
        assert_eq!(at(&app, 10, 7), Some(Action::ClickRow(2)));
        assert_eq!(at(&app, 10, 30), None, "the details under the list");
        // Reading: the whole left side is the way back, the sources part too.
        app.update(Action::OpenArticle);
        for row in [7, 30] {
            assert_eq!(at(&app, 10, row), Some(Action::Back));
        }
        assert_eq!(at(&app, 90, 7), None, "the article side");
        let before = app.selected();
        app.update(Action::Back);
        assert_eq!(app.mode, Mode::Browse { article: false });
        assert_eq!(app.selected(), before, "the click selects nothing");
    }

    #[test]
    fn on_a_narrow_screen_the_wheel_scrolls_whatever_shows() {
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let screen = Rect::new(0, 0, 80, 24);
        let wheel = |app: &App| {
            let m = MouseEvent {
                kind: MouseEventKind::Scroll(ScrollDirection::Down),
                ..click(70, 12)
            };
            mouse_action(panes(screen, app).unwrap(), m)
        };
        assert_eq!(
            wheel(&app),
            Some(Action::Scroll {
                list: true,
                lines: 3
            })
        );
        app.update(Action::OpenArticle);
        assert_eq!(
            wheel(&app),
            Some(Action::Scroll {
                list: false,
                lines: 3
            })
        );
    }
}
