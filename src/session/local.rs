//! The local terminal: raw mode on the alternate screen, the tty's bytes read as
//! they come, signals, and suspending with job control. It always gives the
//! terminal back, whichever way the explorer ends.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use super::compact::CompactBackend;
use super::filter_pool::FilterPool;
use super::input::InputDecoder;
use super::job;
use super::run_loop::{Driver, Ending, Mailbox, Msg, TerminalSession, drive};
use crate::data::progress::{PROGRESS, Phase, Snapshot};
use crate::data::text::sanitize;
use crate::explorer::app::App;
use crate::explorer::ui::Theme;
use crate::query::index::SearchIndex;
use terminput::Event;

type Term = super::run_loop::Term<BufWriter<Stdout>>;

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
        let _ = super::leave_screen(&mut io::stdout());
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

/// The process's own terminal, with the flags its signal handlers set.
struct LocalTerminal {
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: end; the number of the last one.
    stop: Arc<AtomicUsize>,
    /// SIGTSTP: suspend.
    suspend: Arc<AtomicBool>,
}

impl TerminalSession for LocalTerminal {
    type Out = BufWriter<Stdout>;

    fn ending(&mut self) -> Option<Ending> {
        match self.stop.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(Ending::Signal(sig as i32)),
        }
    }

    fn take_suspend_request(&mut self) -> bool {
        self.suspend.swap(false, Ordering::SeqCst)
    }

    /// Gives the terminal back and stops the job, as Ctrl-z does in a shell; on
    /// `fg`, takes the terminal again and repaints it whole. With no shell to come
    /// back to, stopping would be for good: the explorer stays and says why.
    fn suspend(&mut self, term: &mut Term, app: &mut App) -> io::Result<()> {
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
}

/// How a local explorer session turned out.
pub enum Outcome {
    Ended(Ending),
    /// Loading failed; the message says why. The terminal is already given back.
    Failed(String),
}

/// Loading that takes longer than this gets a loading screen; quicker loads go
/// straight to the first frame, without a flash.
const LOADING_SCREEN_AFTER: Duration = Duration::from_millis(60);

/// Takes the terminal at once, loads with `load` on a worker thread while a
/// loading screen says how far it has got (q or Ctrl-c cancels), then runs the
/// explorer until it ends. `title` names what is loading.
pub fn run(
    title: String,
    load: impl FnOnce() -> Result<App, String> + Send + 'static,
    opts: Options,
) -> io::Result<Outcome> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the explorer needs a terminal; to print the chronology use `annals list`, or `annals search QUERY`",
        ));
    }
    let stop = Arc::new(AtomicUsize::new(0));
    for sig in STOP_SIGNALS {
        let flag = Arc::clone(&stop);
        // SAFETY: the handler only stores to an atomic.
        unsafe {
            signal_hook::low_level::register(sig, move || {
                flag.store(sig as usize, Ordering::SeqCst)
            })
        }?;
    }
    // `kill -TSTP` (or a job-control shell) asks for a suspend: do it the way
    // Ctrl-z does, giving the terminal back first.
    let suspend = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&suspend))?;
    install_panic_hook();
    let (loaded_tx, loaded) = mpsc::channel();
    std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            let _ = loaded_tx.send(load());
        })?;
    let session = LocalTerminal {
        stop: Arc::clone(&stop),
        suspend,
    };
    let result = setup(opts.mouse)
        .and_then(|mut term| {
            let (tx, inbox) = mpsc::channel();
            spawn_signal_wakeup(tx.clone())?;
            spawn_input(tx.clone());
            let (mut app, early) =
                match wait_for_load(&mut term, &title, &loaded, &inbox, &stop, &opts.theme)? {
                    Waited::Loaded(app, early) => (*app, early),
                    Waited::Over(outcome) => return Ok(outcome),
                };
            app.mouse = opts.mouse;
            if !app.matcher.index.has_words() {
                // The list is usable now; words follow when their index is built.
                let (timeline, tx) = (Arc::clone(&app.timeline), tx.clone());
                std::thread::Builder::new()
                    .name("index".into())
                    .spawn(move || {
                        let index = SearchIndex::build(&timeline);
                        PROGRESS.phase(Phase::Done);
                        let _ = tx.send(Msg::IndexReady(Arc::new(index)));
                    })?;
            }
            let pool =
                FilterPool::start(Arc::clone(&app.timeline), Arc::clone(&app.matcher.index), 1);
            let filter = pool.client(Mailbox::Thread(tx));
            let mut driver = Driver::new(session, term, app, opts.theme, filter);
            // Keys typed while loading act once the list is there.
            let ending = match driver.handle(Msg::Input(early, 0)) {
                Ok(Some(ending)) => Ok(ending),
                Ok(None) => drive(&mut driver, &inbox),
                Err(e) => Err(e),
            };
            // The process ends next: freeing a large timeline piece by piece would
            // only delay the exit.
            std::mem::forget(driver);
            ending.map(Outcome::Ended)
        })
        .or_else(|e| unless_hung_up(e, &stop).map(Outcome::Ended));
    restore();
    result
}

enum Waited {
    /// The explorer, and the keys typed while it loaded.
    Loaded(Box<App>, Vec<Event>),
    Over(Outcome),
}

/// Shows the loading screen (after a moment, so a quick load shows none) until
/// the explorer is loaded, or q, Ctrl-c or a signal ends it.
fn wait_for_load(
    term: &mut Term,
    title: &str,
    loaded: &mpsc::Receiver<Result<App, String>>,
    inbox: &mpsc::Receiver<Msg>,
    stop: &AtomicUsize,
    theme: &Theme,
) -> io::Result<Waited> {
    let started = Instant::now();
    let mut early = Vec::new();
    loop {
        match loaded.recv_timeout(Duration::from_millis(20)) {
            Ok(Ok(app)) => return Ok(Waited::Loaded(Box::new(app), early)),
            Ok(Err(message)) => return Ok(Waited::Over(Outcome::Failed(message))),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Ok(Waited::Over(Outcome::Failed(
                    "error: loading stopped unexpectedly".into(),
                )));
            }
        }
        match stop.load(Ordering::SeqCst) {
            0 => {}
            sig => return Ok(Waited::Over(Outcome::Ended(Ending::Signal(sig as i32)))),
        }
        for msg in inbox.try_iter() {
            match msg {
                Msg::Input(events, _) => {
                    for ev in events {
                        if cancels_loading(&ev) {
                            return Ok(Waited::Over(Outcome::Ended(Ending::Quit)));
                        }
                        early.push(ev);
                    }
                }
                Msg::InputClosed(e) => return Err(e),
                _ => {}
            }
        }
        if started.elapsed() >= LOADING_SCREEN_AFTER {
            let snapshot = PROGRESS.snapshot();
            term.draw(|f| loading_screen(f, title, &snapshot, started.elapsed(), theme))?;
            std::thread::sleep(Duration::from_millis(80));
        }
    }
}

/// q, Ctrl-c or Esc while loading: there is nothing yet to go back to.
fn cancels_loading(ev: &Event) -> bool {
    use terminput::{KeyCode, KeyModifiers};
    let Event::Key(k) = ev else { return false };
    matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
        || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CTRL))
}

fn loading_screen(
    f: &mut ratatui::Frame,
    title: &str,
    progress: &Snapshot,
    elapsed: Duration,
    theme: &Theme,
) {
    use ratatui::layout::{Constraint, Flex, Layout};
    use ratatui::widgets::{Block, Borders, Paragraph};
    let width = f.area().width.min(70);
    let [row] = Layout::vertical([Constraint::Length(6)])
        .flex(Flex::Center)
        .areas(f.area());
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    let lines = [
        format!(" {}", progress.line()),
        format!(" {:.1} s", elapsed.as_secs_f64()),
        String::new(),
        " q or Ctrl-c cancels".to_string(),
    ];
    let border = if theme.color {
        ratatui::style::Style::default().fg(ratatui::style::Color::Cyan)
    } else {
        ratatui::style::Style::default()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(format!(" Loading {} ", sanitize(title)));
    f.render_widget(Paragraph::new(lines.join("\n")).block(block), area);
}

/// Signals that end the explorer. Besides the usual four, those whose default
/// action would kill the process with the terminal still raw.
const STOP_SIGNALS: [i32; 11] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
    signal_hook::consts::SIGALRM,
    signal_hook::consts::SIGVTALRM,
    signal_hook::consts::SIGPROF,
    signal_hook::consts::SIGXCPU,
    signal_hook::consts::SIGXFSZ,
];

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
            let mut bytes = 0;
            match read_tty(&mut buf, decoder.has_pending()) {
                Ok(Some(n)) => {
                    bytes = n;
                    decoder.feed(&buf[..n], &mut events);
                }
                Ok(None) => decoder.flush(&mut events),
                Err(e) => {
                    let _ = tx.send(Msg::InputClosed(e));
                    return;
                }
            }
            if !events.is_empty() && tx.send(Msg::Input(events, bytes)).is_err() {
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
    let mut signals = signal_hook::iterator::Signals::new(
        STOP_SIGNALS.iter().copied().chain([SIGTSTP, SIGWINCH]),
    )?;
    std::thread::spawn(move || {
        for _ in signals.forever() {
            if tx.send(Msg::Wake).is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// A terminal that hangs up both fails a read or write and sends SIGHUP, in either
/// order. A hang-up is the end of a session, not an error, so wait a moment for the
/// signal and end as SIGHUP ends: quietly.
fn unless_hung_up(e: io::Error, stop: &AtomicUsize) -> io::Result<Ending> {
    std::thread::sleep(Duration::from_millis(100));
    match stop.load(Ordering::SeqCst) {
        0 => Err(e),
        sig => Ok(Ending::Signal(sig as i32)),
    }
}
