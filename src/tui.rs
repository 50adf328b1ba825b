//! The run loop: owns the terminal, turns terminal events into actions, performs
//! the effects `App::update` asks for, and always gives the terminal back.

use std::collections::VecDeque;
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseEvent, MouseEventKind,
};
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::layout::Position;

use crate::app::{Action, App, Effect, View, filter_view};
use crate::compact::CompactBackend;
use crate::job;
use crate::keys::{action_for, pressed};
use crate::query::{Matcher, Selection};
use crate::ui::{Panes, Theme, list_rows, panes, render};

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
    Input(Event),
    InputFailed(io::Error),
    Filtered(u64, View),
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

/// Reads terminal input on its own thread. crossterm keeps retrying a terminal
/// that has hung up, so reading must not block the loop that watches for SIGHUP.
fn spawn_input(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(ev) => Msg::Input(ev),
                Err(e) => Msg::InputFailed(e),
            };
            let failed = matches!(msg, Msg::InputFailed(_));
            if tx.send(msg).is_err() || failed {
                return;
            }
        }
    });
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
            // resize, even one that came before the input thread was listening.
            // Only a new size is worked out; most frames follow a key.
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
            match msg {
                // Ctrl-c and Ctrl-z mean the same in every mode: they never wait.
                Msg::Input(Event::Key(k)) if is_urgent(app, &k) => {
                    if handle(term, app, &filter, Event::Key(k))? == Flow::Quit {
                        return Ok(());
                    }
                }
                Msg::Input(ev) => waiting.push_back(ev),
                Msg::InputFailed(e) => return Err(e),
                Msg::Filtered(generation, view) => app.apply_view(generation, view),
            }
            // Keys act on the list on screen: while a new filter's answer is on its
            // way, they wait for it, in order. Typing in the filter bar never waits.
            while !app.awaits_view() {
                let Some(ev) = waiting.pop_front() else { break };
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
                if handle(term, app, &filter, first)? == Flow::Quit {
                    return Ok(());
                }
            }
            dirty = true;
        }
    }
}

/// A control key that quits or suspends: it acts at once, even while other keys
/// wait for a filter's answer.
fn is_urgent(app: &App, key: &crossterm::event::KeyEvent) -> bool {
    key.modifiers
        .contains(crossterm::event::KeyModifiers::CONTROL)
        && matches!(
            action_for(&app.mode, key),
            Some(Action::Quit | Action::Suspend)
        )
}

/// Turns one input event into an action and carries out what it leads to.
fn handle(term: &mut Term, app: &mut App, filter: &FilterWorker, ev: Event) -> io::Result<Flow> {
    let action = match ev {
        // Only the mouse needs the layout, so only a mouse event asks for the size.
        Event::Mouse(m) => panes(term.size()?.into(), app).and_then(|p| mouse_action(p, m)),
        ev => to_action(app, ev),
    };
    let Some(action) = action else {
        return Ok(Flow::Go);
    };
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
        MouseEventKind::ScrollDown => Some(Action::Scroll {
            list: in_list,
            lines: 3,
        }),
        MouseEventKind::ScrollUp => Some(Action::Scroll {
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
    use crate::load::load_builtin;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton};
    use ratatui::layout::Rect;

    #[test]
    fn only_control_keys_that_quit_or_suspend_skip_the_wait() {
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let plain = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert!(is_urgent(&app, &ctrl('c')) && is_urgent(&app, &ctrl('z')));
        // q quits only while browsing, so it waits its turn behind earlier keys.
        assert!(!is_urgent(&app, &plain('q')));
        app.mode = crate::app::Mode::Filter;
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
        use crate::app::Mode;
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
                kind: MouseEventKind::ScrollDown,
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
