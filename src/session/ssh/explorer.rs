//! A visitor's explorer on an SSH channel: the same run loop as the local
//! terminal, on its own thread, with the channel as its terminal. Input comes
//! from the connection's handler; frames go out through one sender task per
//! channel, which waits for the visitor's SSH window, so a visitor who stops
//! reading holds at most one frame on the server, and `--max-waiting-output` of
//! anything else. Input not yet acted on is held up to `--max-pending-input`.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::cursor;
use crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::EnterAlternateScreen;
use ratatui::Terminal;
use ratatui::layout::Size;
use russh::ChannelWriteHalf;
use russh::server::Msg as RusshMsg;
use terminput::{Event, KeyCode, KeyModifiers};
use tokio::sync::mpsc as async_mpsc;

use super::limits::SessionGuard;
use super::{Shared, now};
use crate::explorer::app::App;
use crate::explorer::ui::Theme;
use crate::session::compact::CompactBackend;
use crate::session::input::InputDecoder;
use crate::session::run_loop::{Driver, Ending, Mailbox, Msg, TICK, Term, TerminalSession};

/// How long the rest of an escape sequence may take to arrive.
const SEQUENCE_WAIT: Duration = Duration::from_millis(50);

/// What goes to a channel's sender task.
enum Out {
    Bytes(Vec<u8>),
    /// The session is over: send the exit status, then close.
    Finish(u32),
}

/// Shared between a session's thread and its sender task.
#[derive(Default)]
struct OutState {
    /// A frame is on its way and the next must wait.
    busy: AtomicBool,
    /// Output was thrown away; the screen must be repainted whole.
    lost: AtomicBool,
}

/// The channel as the explorer's terminal output: bytes are gathered until a
/// flush, then handed to the sender task, one frame at a time.
pub struct ChannelOut {
    buffer: Vec<u8>,
    state: Arc<OutState>,
    tx: async_mpsc::UnboundedSender<Out>,
    /// `--max-waiting-output`.
    max_waiting: usize,
    peer: SocketAddr,
    /// The log has said this visitor's output was dropped: once a session.
    logged: bool,
}

impl Write for ChannelOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.state.busy.load(Ordering::SeqCst) {
            // Wait for the frame on its way; drop what would grow past a bound.
            if self.buffer.len() > self.max_waiting {
                self.buffer = Vec::new();
                self.state.lost.store(true, Ordering::SeqCst);
                if !std::mem::replace(&mut self.logged, true) {
                    eprintln!(
                        "{} {} is not reading: output past {} bytes dropped; they get the latest screen when they read again (--max-waiting-output)",
                        now(),
                        self.peer,
                        self.max_waiting
                    );
                }
            }
            return Ok(());
        }
        self.state.busy.store(true, Ordering::SeqCst);
        let bytes = std::mem::take(&mut self.buffer);
        self.tx
            .send(Out::Bytes(bytes))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl ChannelOut {
    /// The last bytes of a session, sent whatever is on its way, then the close.
    fn finish(&mut self, status: u32) {
        let bytes = std::mem::take(&mut self.buffer);
        let _ = self.tx.send(Out::Bytes(bytes));
        let _ = self.tx.send(Out::Finish(status));
    }
}

/// Sends a session's output as the visitor's window allows, and tells the run
/// loop when it may draw again.
async fn send_out(
    write: ChannelWriteHalf<RusshMsg>,
    mut rx: async_mpsc::UnboundedReceiver<Out>,
    state: Arc<OutState>,
    wake: async_mpsc::UnboundedSender<Msg>,
    sent: Arc<AtomicU64>,
) {
    while let Some(out) = rx.recv().await {
        match out {
            Out::Bytes(bytes) => {
                let n = bytes.len() as u64;
                if !bytes.is_empty() && write.data_bytes(bytes).await.is_err() {
                    // The visitor is gone: the run loop hears it from the handler.
                    let _ = wake.send(Msg::Stop(Ending::HungUp));
                    return;
                }
                sent.fetch_add(n, Ordering::Relaxed);
                state.busy.store(false, Ordering::SeqCst);
                let _ = wake.send(Msg::Writable);
            }
            Out::Finish(status) => {
                let _ = write.exit_status(status).await;
                let _ = write.eof().await;
                let _ = write.close().await;
                return;
            }
        }
    }
}

/// A visitor's channel as a terminal session of the run loop.
struct SshTerminal {
    shared: Arc<Shared>,
    state: Arc<OutState>,
    started: Instant,
    /// When the visitor last sent input, in milliseconds since `started`.
    last_input: Arc<AtomicU64>,
    input: Arc<InputState>,
}

impl TerminalSession for SshTerminal {
    type Out = ChannelOut;

    fn ending(&mut self) -> Option<Ending> {
        let limits = &self.shared.limits;
        let now = self.started.elapsed();
        let idle = now.saturating_sub(Duration::from_millis(
            self.last_input.load(Ordering::SeqCst),
        ));
        if self.shared.stopping.load(Ordering::SeqCst) {
            Some(Ending::Shutdown)
        } else if now >= limits.max_session_time {
            Some(Ending::TooLong)
        } else if idle >= limits.idle_timeout {
            Some(Ending::Idle)
        } else {
            None
        }
    }

    fn suspend(&mut self, _term: &mut Term<ChannelOut>, app: &mut App) -> io::Result<()> {
        app.status = Some("suspending is not available over SSH; q ends the session".into());
        Ok(())
    }

    fn can_draw(&mut self) -> bool {
        !self.state.busy.load(Ordering::SeqCst)
    }

    fn take_lost(&mut self) -> bool {
        !self.state.busy.load(Ordering::SeqCst) && self.state.lost.swap(false, Ordering::SeqCst)
    }

    fn input_done(&mut self, bytes: usize) {
        self.input.pending.fetch_sub(bytes, Ordering::SeqCst);
    }

    fn writable(&mut self, term: &mut Term<ChannelOut>) -> io::Result<()> {
        if !self.state.busy.load(Ordering::SeqCst) {
            term.backend_mut().flush()?;
        }
        Ok(())
    }
}

/// How an explorer starts for a visitor.
pub struct Start {
    pub size: Size,
    pub color: bool,
    pub mouse: bool,
}

/// What the handler and the flush timer share of a session's input.
struct InputState {
    inbox: async_mpsc::UnboundedSender<Msg>,
    /// The decoder, and the bytes fed to it since it last gave events: those
    /// events' cost, whatever part of them was junk or an unfinished sequence.
    decoder: Mutex<(InputDecoder, usize)>,
    /// Counts pieces of input, so a late flush knows whether more came.
    fed: AtomicU64,
    /// A flush of an unfinished sequence is scheduled.
    flush_due: AtomicBool,
    /// Bytes behind the events handed to the run loop and not yet acted on.
    pending: AtomicUsize,
    /// `--max-pending-input`.
    limit: usize,
    /// Input is being dropped, and the visitor has been told; until some is taken.
    dropping: AtomicBool,
    /// The log has said this visitor's input was dropped: once a session.
    logged: AtomicBool,
    peer: SocketAddr,
}

impl InputState {
    /// Hands events that came from `bytes` bytes to the run loop, unless that
    /// would hold more than the limit: then they are dropped, whole, the visitor
    /// reads why in their status line, and the log says so once. A Ctrl-c among
    /// them still goes through: however much is dropped, the visitor can quit.
    fn offer(&self, mut events: Vec<Event>, bytes: usize) {
        if events.is_empty() {
            return;
        }
        let taken = self
            .pending
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n.saturating_add(bytes) <= self.limit).then_some(n + bytes)
            })
            .is_ok();
        if taken {
            self.dropping.store(false, Ordering::SeqCst);
            let _ = self.inbox.send(Msg::Input(events, bytes));
            return;
        }
        events.retain(is_ctrl_c);
        if !events.is_empty() {
            let _ = self.inbox.send(Msg::Input(events, 0));
        }
        if !self.dropping.swap(true, Ordering::SeqCst) {
            let note = format!(
                "too much input at once: what came past {} bytes was dropped",
                self.limit
            );
            let _ = self.inbox.send(Msg::Note(note));
        }
        if !self.logged.swap(true, Ordering::SeqCst) {
            eprintln!(
                "{} {} sent input faster than it was acted on: past {} bytes waiting, it is dropped (--max-pending-input)",
                now(),
                self.peer,
                self.limit
            );
        }
    }

    /// Nothing more came soon: what the decoder holds is taken as it is.
    fn flush(&self) {
        let mut events = Vec::new();
        let bytes = {
            let mut guard = self.decoder.lock().unwrap_or_else(|e| e.into_inner());
            let (decoder, held) = &mut *guard;
            decoder.flush(&mut events);
            std::mem::take(held)
        };
        self.offer(events, bytes);
    }
}

fn is_ctrl_c(event: &Event) -> bool {
    event
        .as_key()
        .is_some_and(|k| k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CTRL))
}

/// The handler's side of a running explorer: where the visitor's bytes go.
pub struct ExplorerInput {
    state: Arc<InputState>,
    last_input: Arc<AtomicU64>,
    started: Instant,
    runtime: tokio::runtime::Handle,
}

impl ExplorerInput {
    /// Bytes the visitor typed. Every byte goes through the decoder, so that a
    /// sequence or a paste is never cut; the events it gives are dropped whole
    /// while more than `--max-pending-input` waits: a flood costs bounded memory.
    pub fn data(&self, bytes: &[u8]) {
        self.last_input
            .store(self.started.elapsed().as_millis() as u64, Ordering::SeqCst);
        let state = &self.state;
        let mut events = Vec::new();
        let (waiting, cost) = {
            let mut guard = state.decoder.lock().unwrap_or_else(|e| e.into_inner());
            let (decoder, held) = &mut *guard;
            decoder.feed(bytes, &mut events);
            *held += bytes.len();
            let cost = if events.is_empty() {
                0
            } else {
                std::mem::take(held)
            };
            (decoder.has_pending(), cost)
        };
        let piece = state.fed.fetch_add(1, Ordering::SeqCst) + 1;
        state.offer(events, cost);
        // Give the rest of a sequence a moment; then take what came as it is. One
        // timer a session at most, however many pieces a client sends.
        if waiting && !state.flush_due.swap(true, Ordering::SeqCst) {
            let state = Arc::clone(state);
            self.runtime.spawn(async move {
                let mut seen = piece;
                loop {
                    tokio::time::sleep(SEQUENCE_WAIT).await;
                    let now = state.fed.load(Ordering::SeqCst);
                    if now == seen {
                        break;
                    }
                    seen = now;
                }
                state.flush_due.store(false, Ordering::SeqCst);
                state.flush();
            });
        }
    }

    pub fn resize(&self, size: Size) {
        let _ = self.state.inbox.send(Msg::Resize(size));
    }

    /// The visitor closed the channel or the connection.
    pub fn close(&self) {
        let _ = self.state.inbox.send(Msg::Stop(Ending::HungUp));
    }
}

/// Starts a visitor's explorer as a task on the server's threads. `ended` is
/// called with how it ended, after the visitor's terminal has been put back and
/// the channel closed.
pub fn start(
    shared: Arc<Shared>,
    peer: SocketAddr,
    write: ChannelWriteHalf<RusshMsg>,
    start: Start,
    guard: SessionGuard,
    sent: Arc<AtomicU64>,
    ended: impl FnOnce(Ending) + Send + 'static,
) -> ExplorerInput {
    let (inbox_tx, inbox) = async_mpsc::unbounded_channel();
    let (out_tx, out_rx) = async_mpsc::unbounded_channel();
    let state = Arc::new(OutState::default());
    let runtime = shared.runtime.clone();
    runtime.spawn(send_out(
        write,
        out_rx,
        Arc::clone(&state),
        inbox_tx.clone(),
        sent,
    ));
    let started = Instant::now();
    let limit = shared.limits.max_pending_input;
    let input = ExplorerInput {
        state: Arc::new(InputState {
            inbox: inbox_tx.clone(),
            // A paste is held up to the same limit before it goes on in pieces.
            decoder: Mutex::new((InputDecoder::with_paste_limit(limit), 0)),
            fed: AtomicU64::new(0),
            flush_due: AtomicBool::new(false),
            pending: AtomicUsize::new(0),
            limit,
            dropping: AtomicBool::new(false),
            logged: AtomicBool::new(false),
            peer,
        }),
        last_input: Arc::new(AtomicU64::new(0)),
        started,
        runtime: runtime.clone(),
    };
    let session = SshTerminal {
        shared: Arc::clone(&shared),
        state: Arc::clone(&state),
        started,
        last_input: Arc::clone(&input.last_input),
        input: Arc::clone(&input.state),
    };
    let id = shared.register(Mailbox::Task(inbox_tx.clone()));
    let out = ChannelOut {
        buffer: Vec::new(),
        state,
        tx: out_tx,
        max_waiting: shared.limits.max_waiting_output,
        peer,
        logged: false,
    };
    runtime.spawn(async move {
        // The session's place is given back before its channel closes, so a
        // visitor who reconnects at once finds it free.
        let release = move |ending: Ending| {
            shared.unregister(id);
            drop(guard);
            ended(ending);
        };
        run_explorer(session, out, start, inbox, Mailbox::Task(inbox_tx), release).await;
    });
    input
}

/// The explorer's life on a channel: set the terminal up, run, put it back. A
/// panic ends this session only: it is caught here, and the visitor's terminal
/// is still put back.
async fn run_explorer(
    session: SshTerminal,
    out: ChannelOut,
    start: Start,
    mut inbox: async_mpsc::UnboundedReceiver<Msg>,
    reply: Mailbox,
    release: impl FnOnce(Ending),
) {
    let shared = Arc::clone(&session.shared);
    let backend = CompactBackend::with_size(out, start.size.width, start.size.height);
    let Ok(mut term) = Terminal::new(backend) else {
        return release(Ending::HungUp);
    };
    let out = term.backend_mut();
    if execute!(
        out,
        EnterAlternateScreen,
        cursor::Hide,
        EnableBracketedPaste
    )
    .is_err()
        || (start.mouse && execute!(out, EnableMouseCapture).is_err())
    {
        return release(Ending::HungUp);
    }
    let mut app = shared.new_app();
    app.mouse = start.mouse;
    let filter = shared.pool.client(reply);
    let theme = Theme { color: start.color };
    let mut driver = Driver::new(session, term, app, theme, filter);
    let caught = |step: &mut dyn FnMut() -> io::Result<Option<Ending>>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(step))
    };
    // Each step is short (a key, a frame); between steps the task waits.
    let outcome: Result<io::Result<Ending>, _> = loop {
        match caught(&mut || driver.settle()) {
            Ok(Ok(Some(ending))) => break Ok(Ok(ending)),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => break Ok(Err(e)),
            Err(panic) => break Err(panic),
        }
        let first = match tokio::time::timeout(TICK, inbox.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => break Ok(Ok(Ending::HungUp)),
            Err(_) => continue,
        };
        let mut next = Some(first);
        let mut done = None;
        while let Some(msg) = next.take() {
            let mut msg = Some(msg);
            match caught(&mut || driver.handle(msg.take().expect("one message"))) {
                Ok(Ok(Some(ending))) => done = Some(Ok(Ok(ending))),
                Ok(Ok(None)) => next = inbox.try_recv().ok(),
                Ok(Err(e)) => done = Some(Ok(Err(e))),
                Err(panic) => done = Some(Err(panic)),
            }
        }
        if let Some(done) = done {
            break done;
        }
    };
    let (ending, goodbye) = match outcome {
        Ok(Ok(ending)) => (ending, goodbye(ending, &shared)),
        Ok(Err(_)) => (Ending::HungUp, None),
        Err(_) => (
            Ending::HungUp,
            Some("annals: this session hit an internal error and ended; sorry".to_string()),
        ),
    };
    let out = driver.term.backend_mut().writer_mut();
    let _ = crate::session::leave_screen(out);
    if let Some(line) = goodbye {
        let _ = write!(out, "{line}\r\n");
    }
    let status = if ending == Ending::Quit { 0 } else { 1 };
    release(ending);
    out.finish(status);
}
/// The line a visitor reads when the server, not they, ended the session.
fn goodbye(ending: Ending, shared: &Shared) -> Option<String> {
    let minutes = |d: Duration| d.as_secs().div_ceil(60);
    match ending {
        Ending::Shutdown => Some("annals: the server is stopping; goodbye".into()),
        Ending::Idle => Some(format!(
            "annals: no input for {} min; the session has ended",
            minutes(shared.limits.idle_timeout)
        )),
        Ending::TooLong => Some(format!(
            "annals: sessions last at most {} min; this one has ended",
            minutes(shared.limits.max_session_time)
        )),
        _ => None,
    }
}
