//! The run loop: owns the terminal, turns terminal events into actions, performs
//! the effects `App::update` asks for, and always gives the terminal back.

use std::collections::VecDeque;
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::layout::Position;

use terminput::{Event, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind, ScrollDirection};

use super::compact::CompactBackend;
use super::input::InputDecoder;
use super::job;
use crate::explorer::app::{Action, App, Effect, View, filter_view};
use crate::explorer::keys::{action_for, pressed};
use crate::explorer::ui::{Panes, Theme, list_rows, panes, render};
use crate::query::matcher::{Matcher, Selection};

type Term = Terminal<CompactBackend<BufWriter<Stdout>>>;

/// Set while the terminal is in raw mode on the alternate screen, so that
/// restoring happens once, whichever way the program ends.
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub struct Options {
    pub theme: Theme,
    pub mouse: bool,
}

/// Leaves the alternate screen and raw mode. Safe to call more than once, and
/// errors are ignored: on a dropped connection there may be no terminal left.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        // A frame cut short (a panic mid-write) may leave a sequence open: CAN ends
        // it, then the update and the colours are closed before leaving.
        let _ = execute!(
            out,
            Print("\x18"),
            EndSynchronizedUpdate,
            SetAttribute(Attribute::Reset),
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        // A panic on a worker thread would otherwise leave the loop drawing onto the
        // restored screen.
        std::process::exit(101);
    }));
}

fn setup(mouse: bool) -> io::Result<Term> {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
    enter(&mut out, mouse)?;
    Terminal::new(CompactBackend::new(out)?)
}

/// Raw mode on the alternate screen: at start-up, and again after a suspend.
fn enter(out: &mut impl Write, mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        out,
        EnterAlternateScreen,
        cursor::Hide,
        EnableBracketedPaste
    )?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Gives the terminal back and stops the job, as Ctrl-z does in a shell; on `fg`,
/// takes the terminal again and repaints it whole. With no shell to come back to,
/// stopping would be for good: the explorer stays and says why.
fn suspend(term: &mut Term, app: &mut App) -> io::Result<()> {
    if !job::has_job_control() {
        app.status = Some("cannot suspend: no shell with job control started annals".into());
        return Ok(());
    }
    term.backend_mut().flush()?;
    restore();
    job::stop_job();
    enter(term.backend_mut(), app.mouse)?;
    term.clear()
}

pub fn run(mut app: App, opts: Options) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the explorer needs a terminal; to print the chronology use `annals list`, or `annals search QUERY`",
        ));
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    // `kill -TSTP` (or a job-control shell) asks for a suspend: do it the way
    // Ctrl-z does, giving the terminal back first.
    let stop_asked = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&stop_asked))?;
    install_panic_hook();
    app.mouse = opts.mouse;
    let result = setup(opts.mouse)
        .and_then(|mut term| {
            let signals = Signals {
                stop: &stop,
                suspend: &stop_asked,
            };
            event_loop(&mut term, &mut app, &opts.theme, signals)
        })
        .or_else(|e| unless_hung_up(e, &stop));
    restore();
    // The process ends next: freeing a large timeline piece by piece would only
    // delay the exit.
    std::mem::forget(app);
    result
}

fn draw(term: &mut Term, app: &App, theme: &Theme) -> io::Result<()> {
    queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| render(f, app, theme))?;
    queue!(term.backend_mut(), EndSynchronizedUpdate)?;
    term.backend_mut().flush()
}

/// What wakes the run loop.
enum Msg {
    Input(Vec<Event>),
    InputFailed(io::Error),
    Filtered(u64, View),
    /// A signal arrived: the loop looks at the flags at once.
    Signal,
}

/// Filters on a worker thread, so typing never waits for matching. Only the newest
/// request is worked on; an older one is abandoned between terms.
struct FilterWorker {
    requests: mpsc::Sender<(u64, Selection)>,
    latest: Arc<AtomicU64>,
}

impl FilterWorker {
    fn spawn(app: &App, results: mpsc::Sender<Msg>) -> Self {
        let (requests, rx) = mpsc::channel::<(u64, Selection)>();
        let latest = Arc::new(AtomicU64::new(0));
        let mut matcher = Matcher::with_index(Arc::clone(&app.matcher.index));
        let timeline = Arc::clone(&app.timeline);
        let (first_year, years) = (app.first_year, app.year_counts.len());
        let current = Arc::clone(&latest);
        std::thread::spawn(move || {
            while let Ok(mut request) = rx.recv() {
                if let Some(newer) = rx.try_iter().last() {
                    request = newer;
                }
                let (generation, selection) = request;
                let stale = || current.load(Ordering::SeqCst) != generation;
                let view = filter_view(
                    &mut matcher,
                    &timeline,
                    &selection,
                    first_year,
                    years,
                    stale,
                );
                let Some(view) = view.filter(|_| !stale()) else {
                    continue;
                };
                if results.send(Msg::Filtered(generation, view)).is_err() {
                    return;
                }
            }
        });
        FilterWorker { requests, latest }
    }

    fn request(&self, generation: u64, selection: Selection) {
        self.latest.store(generation, Ordering::SeqCst);
        let _ = self.requests.send((generation, selection));
    }
}

/// How long the rest of an escape sequence may take to arrive before what came is
/// given up on (a lone Esc at the end of a read is the Esc key at once).
const SEQUENCE_WAIT_MS: i32 = 50;

/// Reads the terminal's bytes on its own thread, as they come, however many, and
/// decodes them with the same decoder an SSH session uses. (crossterm's reader
/// stalled on a burst of more than 1,024 bytes until the next key.)
fn spawn_input(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        let mut decoder = InputDecoder::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let mut events = Vec::new();
            let result = read_tty(&mut buf, decoder.has_pending());
            match result {
                Ok(Some(n)) => decoder.feed(&buf[..n], &mut events),
                Ok(None) => decoder.flush(&mut events),
                Err(e) => {
                    let _ = tx.send(Msg::InputFailed(e));
                    return;
                }
            }
            if !events.is_empty() && tx.send(Msg::Input(events)).is_err() {
                return;
            }
        }
    });
}

/// One read of standard input: Some(bytes read), or None when `waiting` and nothing
/// came within `SEQUENCE_WAIT_MS`. End of input (a hang-up) is an error.
fn read_tty(buf: &mut [u8], waiting: bool) -> io::Result<Option<usize>> {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        let timeout = if waiting { SEQUENCE_WAIT_MS } else { -1 };
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut fds, 1, timeout) };
        if ready < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if ready == 0 {
            return Ok(None);
        }
        // SAFETY: reads at most buf.len() bytes into buf.
        let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
        match n {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n if n > 0 => return Ok(Some(n as usize)),
            _ => {
                let e = io::Error::last_os_error();
                if !matches!(
                    e.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
                ) {
                    return Err(e);
                }
            }
        }
    }
}

/// Wakes the run loop for a signal, so that a stop or a resize acts at once rather
/// than at the next key; the handlers themselves only set flags.
fn spawn_signal_wakeup(tx: mpsc::Sender<Msg>) -> io::Result<()> {
    use signal_hook::consts::*;
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGWINCH])?;
    std::thread::spawn(move || {
        for _ in signals.forever() {
            if tx.send(Msg::Signal).is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// Flags the signal handlers set, for the run loop to act on.
struct Signals<'a> {
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end.
    stop: &'a AtomicBool,
    /// SIGTSTP: suspend.
    suspend: &'a AtomicBool,
}

fn event_loop(term: &mut Term, app: &mut App, theme: &Theme, signals: Signals) -> io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let filter = FilterWorker::spawn(app, tx.clone());
    app.deferred = true;
    spawn_signal_wakeup(tx.clone())?;
    spawn_input(tx);
    let mut dirty = true;
    let mut fitted = None;
    let mut waiting = VecDeque::new();
    // Lets the end-to-end tests prove that a panic gives the terminal back.
    let test_panic = std::env::var_os("ANNALS_TEST_PANIC").is_some();
    loop {
        if signals.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if signals.suspend.swap(false, Ordering::SeqCst) {
            suspend(term, app)?;
            dirty = true;
        }
        if dirty {
            // Fit the list to the screen before drawing: at start-up, and after a
            // resize. Only a new size is worked out; most frames follow a key.
            let size = term.size()?;
            if fitted != Some(size) {
                fitted = Some(size);
                let rows = list_rows(size.into(), app);
                if rows != app.list_rows {
                    app.update(Action::Resize { list_rows: rows });
                }
            }
            draw(term, app, theme)?;
            dirty = false;
            if test_panic {
                panic!("ANNALS_TEST_PANIC is set: panicking on purpose");
            }
        }
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Handle everything already waiting before drawing again, so a burst of
        // keys (or a paste) costs one frame.
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            dirty = true;
            match msg {
                Msg::Input(events) => {
                    for ev in events {
                        // Ctrl-c and Ctrl-z mean the same in every mode: they never wait.
                        if let Event::Key(k) = ev
                            && is_urgent(app, &k)
                        {
                            if handle(term, app, &filter, Event::Key(k))? == Flow::Quit {
                                return Ok(());
                            }
                        } else {
                            waiting.push_back(ev);
                        }
                    }
                }
                Msg::InputFailed(e) => return Err(e),
                Msg::Filtered(generation, view) => app.apply_view(generation, view),
                Msg::Signal => {}
            }
            if signals.stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            if drain(term, app, &filter, &mut waiting)? == Flow::Quit {
                return Ok(());
            }
        }
    }
}

/// Acts on the keys that wait, in order. Keys act on the list on screen: while a
/// new filter's answer is on its way they wait for it, except one that quits,
/// which needs no list. Typing in the filter bar never waits, and a run of typed
/// characters is inserted at once, so a burst costs one filter, not one a key.
fn drain(
    term: &mut Term,
    app: &mut App,
    filter: &FilterWorker,
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
            && act(term, app, filter, action)? == Flow::Quit
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
fn handle(term: &mut Term, app: &mut App, filter: &FilterWorker, ev: Event) -> io::Result<Flow> {
    match action_for_event(term, app, ev)? {
        Some(action) => act(term, app, filter, action),
        None => Ok(Flow::Go),
    }
}

fn action_for_event(term: &mut Term, app: &App, ev: Event) -> io::Result<Option<Action>> {
    Ok(match ev {
        // Only the mouse needs the layout, so only a mouse event asks for the size.
        Event::Mouse(m) => panes(term.size()?.into(), app).and_then(|p| mouse_action(p, m)),
        ev => to_action(app, ev),
    })
}

fn act(term: &mut Term, app: &mut App, filter: &FilterWorker, action: Action) -> io::Result<Flow> {
    for effect in app.update(action) {
        if perform(term, effect, filter, app)? == Flow::Quit {
            return Ok(Flow::Quit);
        }
    }
    Ok(Flow::Go)
}

/// A terminal that hangs up both fails a read or write and sends SIGHUP, in either
/// order. A hang-up is the end of a session, not an error, so wait a moment for the
/// signal and end as SIGHUP ends: quietly.
fn unless_hung_up(e: io::Error, stop: &AtomicBool) -> io::Result<()> {
    std::thread::sleep(Duration::from_millis(100));
    if stop.load(Ordering::SeqCst) {
        Ok(())
    } else {
        Err(e)
    }
}

#[derive(PartialEq)]
enum Flow {
    Go,
    Quit,
}

/// Carries out what the app asked for: the only I/O an action leads to.
fn perform(
    term: &mut Term,
    effect: Effect,
    filter: &FilterWorker,
    app: &mut App,
) -> io::Result<Flow> {
    match effect {
        Effect::Quit => return Ok(Flow::Quit),
        Effect::Suspend => suspend(term, app)?,
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
/// resize is fitted by the next frame, see `event_loop`.)
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
    use terminput::{KeyCode, KeyModifiers, MouseButton};

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
