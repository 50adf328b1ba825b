//! `annals serve`: the program is the SSH server. Each visitor gets their own
//! explorer over one timeline loaded once and shared read-only, or one lookup by
//! exec; nothing else (no shell, no files, no forwarding). Every limit has a flag.

mod exec;
mod explorer;
mod handler;
pub mod host_key;
pub mod limits;

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use russh::keys::ssh_key::PublicKey;
use russh::server::Config;
use russh::{MethodKind, MethodSet};
use tokio::net::TcpListener;

use self::handler::{Connection, ConnectionLog};
use self::limits::{Limits, Sessions, Startups};
use super::filter_pool::FilterPool;
use super::run_loop::{Ending, Mailbox, Msg};
use crate::data::model::Timeline;
use crate::data::text::escaped;
use crate::explorer::app::App;
use crate::query::index::SearchIndex;

/// Runs one lookup command (`search khatami`) for a visitor: the words after
/// `ssh host`, standard output and error, and whether to colour. Returns the
/// exit status. The command line layer supplies it, with its own parser.
pub type Lookup = dyn Fn(&[String], &mut dyn Write, &mut dyn Write, bool) -> u8 + Send + Sync;

/// Where every visitor's explorer starts.
#[derive(Debug, Clone, Default)]
pub struct StartPoint {
    pub goto: Option<String>,
    pub filter: Option<String>,
    pub mouse: bool,
    pub color: bool,
}

pub struct ServeOptions {
    pub listen: String,
    pub host_key: PathBuf,
    pub authorized_keys: Option<PathBuf>,
    pub limits: Limits,
    pub start: StartPoint,
}

/// What every connection and session of the server shares.
pub struct Shared {
    pub timeline: Arc<Timeline>,
    pub index: Arc<SearchIndex>,
    pub pool: FilterPool,
    pub limits: Limits,
    pub start: StartPoint,
    pub sessions: Arc<Sessions>,
    pub startups: Arc<Startups>,
    pub authorized_keys: Option<Vec<PublicKey>>,
    pub lookup: Box<Lookup>,
    pub runtime: tokio::runtime::Handle,
    /// Set when the server is asked to stop.
    pub stopping: AtomicBool,
    /// The inbox of every running explorer, to tell each the server is stopping.
    running: Mutex<HashMap<u64, Mailbox>>,
    next_id: AtomicU64,
}

impl Shared {
    /// A visitor's explorer, over the shared index, at the server's starting point.
    fn new_app(&self) -> App {
        let mut app = App::with_index(Arc::clone(&self.timeline), Arc::clone(&self.index));
        if let Some(filter) = &self.start.filter {
            app.set_filter(filter);
        }
        if let Some(goto) = &self.start.goto {
            // Checked when the server started: it cannot fail here.
            let _ = app.goto(goto);
        }
        app
    }

    fn register(&self, inbox: Mailbox) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, inbox);
        id
    }

    fn unregister(&self, id: u64) {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }

    fn stop_all(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        for inbox in self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
        {
            inbox.send(Msg::Stop(Ending::Shutdown));
        }
    }

    fn explorers(&self) -> usize {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The time, for the log.
fn now() -> String {
    let now: chrono::DateTime<chrono::Utc> = SystemTime::now().into();
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Text from a client as the log shows it: escaped, quoted and cut short.
fn shown(text: &str, most: usize) -> String {
    let cut: String = text.chars().take(most).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("\"{}{more}\"", escaped(&cut).replace('"', "\\\""))
}

fn read_authorized_keys(path: &PathBuf) -> io::Result<Vec<PublicKey>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::other(format!("--authorized-keys {}: {e}", path.display())))?;
    let mut keys = Vec::new();
    for (i, entry) in russh::keys::ssh_key::AuthorizedKeys::new(&text).enumerate() {
        let entry = entry.map_err(|e| {
            io::Error::other(format!(
                "--authorized-keys {}: entry {}: {e}",
                path.display(),
                i + 1
            ))
        })?;
        keys.push(entry.public_key().clone());
    }
    if keys.is_empty() {
        return Err(io::Error::other(format!(
            "--authorized-keys {}: no keys in the file, so nobody could connect",
            path.display()
        )));
    }
    Ok(keys)
}

/// Serves `timeline` until SIGTERM or SIGINT; returns once every visitor has been
/// told and their terminal put back (at most about two seconds).
pub fn serve(
    timeline: Arc<Timeline>,
    options: ServeOptions,
    lookup: Box<Lookup>,
    log: &mut dyn Write,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let authorized_keys = options
        .authorized_keys
        .as_ref()
        .map(read_authorized_keys)
        .transpose()?;
    let (key, made) = host_key::load_or_create(&options.host_key)?;
    let fingerprint = host_key::fingerprint(&key);
    let started = Instant::now();
    let _ = writeln!(
        log,
        "{} loading the word index of {} events",
        now(),
        timeline.events.len()
    );
    let index = Arc::new(SearchIndex::build(&timeline));
    let pool = FilterPool::start(
        Arc::clone(&timeline),
        Arc::clone(&index),
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    );
    let _ = writeln!(
        log,
        "{} ready in {} ms",
        now(),
        started.elapsed().as_millis()
    );
    let shared = Arc::new(Shared {
        timeline,
        index,
        pool,
        limits: options.limits.clone(),
        start: options.start.clone(),
        sessions: Arc::new(Sessions::default()),
        startups: Arc::new(Startups::default()),
        authorized_keys,
        lookup,
        runtime: runtime.handle().clone(),
        stopping: AtomicBool::new(false),
        running: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(0),
    });
    let mut methods = MethodSet::empty();
    if shared.authorized_keys.is_none() {
        methods.push(MethodKind::None);
    }
    methods.push(MethodKind::PublicKey);
    let config = Arc::new(Config {
        methods,
        keys: vec![key],
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        // A connection with no session still ends, a while after the idle time
        // (sessions end themselves at the idle time, with a goodbye).
        inactivity_timeout: Some(options.limits.idle_timeout + Duration::from_secs(30)),
        ..Config::default()
    });
    let listener = runtime
        .block_on(TcpListener::bind(&options.listen))
        .map_err(|e| io::Error::other(format!("--listen {}: {e}", options.listen)))?;
    let address = listener.local_addr()?;
    let made = if made { " (new)" } else { "" };
    let _ = writeln!(log, "{} host key {fingerprint}{made}", now());
    let _ = writeln!(log, "{} listening on {address}", now());
    let _ = log.flush();
    runtime.block_on(accept_until_stopped(listener, config, Arc::clone(&shared)))?;
    // Every visitor is told, and their terminal put back, before the process ends.
    shared.stop_all();
    let deadline = Instant::now() + Duration::from_millis(1500);
    while shared.sessions.running() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the goodbyes leave the sockets.
    std::thread::sleep(Duration::from_millis(100));
    let _ = writeln!(log, "{} stopped", now());
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

async fn accept_until_stopped(
    listener: TcpListener,
    config: Arc<Config>,
    shared: Arc<Shared>,
) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            accepted = listener.accept() => {
                let Ok((socket, peer)) = accepted else { continue };
                let Some(startup) = shared.startups.try_enter(shared.limits.max_startups) else {
                    // Too many connections still logging in: close this one at once.
                    eprintln!("{} refused {peer}: {} connections still starting", now(), shared.limits.max_startups);
                    drop(socket);
                    continue;
                };
                tokio::spawn(connection(socket, peer, Arc::clone(&config), Arc::clone(&shared), startup));
            }
        }
    }
    let _ = shared.explorers();
    Ok(())
}

/// One connection, from the handshake to the last channel, with its log lines.
async fn connection(
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    config: Arc<Config>,
    shared: Arc<Shared>,
    startup: limits::StartupGuard,
) {
    eprintln!("{} connect {peer}", now());
    // Frames are small and wanted at once: no waiting to fill a packet.
    let _ = socket.set_nodelay(true);
    let sent = Arc::new(AtomicU64::new(0));
    let log = Arc::new(Mutex::new(ConnectionLog {
        peer,
        started: Instant::now(),
        sent: Arc::clone(&sent),
        user: None,
        key: None,
        ended: None,
        closed: "closed by client",
    }));
    let startup = Arc::new(startup);
    let handler = Connection::new(
        Arc::clone(&shared),
        peer,
        Arc::clone(&startup),
        Arc::clone(&log),
        sent,
    );
    let grace = shared.limits.login_grace_time;
    let handshake = russh::server::run_stream(config, socket, handler);
    let outcome = match tokio::time::timeout(grace, handshake).await {
        Err(_) => Err("login grace time"),
        Ok(Err(_)) => Err("handshake failed"),
        Ok(Ok(running)) => {
            let handle = running.handle();
            let in_time = {
                let startup = Arc::clone(&startup);
                async move {
                    tokio::time::sleep(grace).await;
                    if !startup.has_left() {
                        let _ = handle
                            .disconnect(
                                russh::Disconnect::ByApplication,
                                "login grace time is over".into(),
                                "".into(),
                            )
                            .await;
                        return;
                    }
                    std::future::pending::<()>().await
                }
            };
            tokio::select! {
                result = running => result.map_err(|_| "connection lost"),
                _ = in_time => Err("login grace time"),
            }
        }
    };
    drop(startup);
    if let Err(why) = outcome {
        log.lock().unwrap_or_else(|e| e.into_inner()).closed = why;
    }
}
