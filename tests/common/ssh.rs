//! The harness for `annals serve`'s tests: the real binary as the server, with its
//! log, and russh's client as visitors, each screen read through vt100. A
//! visitor's client can stop reading and resume (`connect_stoppable`).

#![allow(dead_code)]

use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use russh::client::{self, Handle};
use russh::{ChannelMsg, Disconnect};
use tempfile::TempDir;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

pub const WAIT: Duration = Duration::from_secs(15);

/// A running `annals serve` on a free port, with its log.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: Arc<Mutex<Vec<String>>>,
    pub dir: Option<TempDir>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, args)
    }

    pub fn start_in(dir: TempDir, args: &[&str]) -> Server {
        let key = dir.path().join("host_key");
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
            .arg(&key)
            .args(args)
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.split("listening on ").nth(1) {
                    let _ = tx.send(at.rsplit(':').next().unwrap().parse::<u16>().unwrap());
                }
                lines.lock().unwrap().push(line);
            }
        });
        let port = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no 'listening on' in the log: {:?}", log.lock().unwrap()));
        Server {
            child,
            port,
            log,
            dir: Some(dir),
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.as_ref().unwrap().path()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits for a line of the log, without holding up the clients' tasks.
    pub async fn wait_log(&self, what: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let log = self.log();
            if log.contains(what) {
                return log;
            }
            assert!(Instant::now() < deadline, "no {what:?} in the log:\n{log}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn signal(&self, sig: &str) {
        Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap();
    }

    pub fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit in {within:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub async fn connect(port: u16) -> Handle<Trusting> {
    let config = Arc::new(client::Config::default());
    let handle = client::connect(config, ("127.0.0.1", port), Trusting)
        .await
        .expect("connect");
    log_in(handle).await
}

async fn log_in(mut handle: Handle<Trusting>) -> Handle<Trusting> {
    let auth = handle.authenticate_none("visitor").await.unwrap();
    assert!(auth.success(), "anyone may connect by default");
    handle
}

/// Whether a client reads its socket. Stopped, it reads nothing, so it grants
/// the server no more of its SSH window, while what it sends still goes out: a
/// visitor whose terminal froze, or whose link stalled one way.
#[derive(Default)]
pub struct Reading {
    stopped: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Reading {
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        self.stopped.store(false, Ordering::SeqCst);
        if let Some(waker) = self.waker.lock().unwrap().take() {
            waker.wake();
        }
    }
}

/// A client's socket that reads only while `Reading` says so.
struct Stoppable {
    socket: TcpStream,
    reading: Arc<Reading>,
}

impl AsyncRead for Stoppable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.reading.stopped.load(Ordering::SeqCst) {
            *self.reading.waker.lock().unwrap() = Some(cx.waker().clone());
            // Resumed in between: read after all.
            if self.reading.stopped.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        Pin::new(&mut self.socket).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stoppable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_shutdown(cx)
    }
}

/// A connection whose reading the test stops and resumes. The client grants a
/// window of `window` bytes, so the server runs out of it soon once reading stops.
pub async fn connect_stoppable(port: u16, window: u32) -> (Handle<Trusting>, Arc<Reading>) {
    let reading = Arc::new(Reading::default());
    let socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let stream = Stoppable {
        socket,
        reading: Arc::clone(&reading),
    };
    let config = Arc::new(client::Config {
        window_size: window,
        ..client::Config::default()
    });
    let handle = client::connect_stream(config, stream, Trusting)
        .await
        .expect("connect");
    (log_in(handle).await, reading)
}

/// A visitor's explorer: a pty channel whose output feeds a vt100 screen.
pub struct Visitor {
    // Kept so the connection stays up: dropping it is how a visitor vanishes.
    pub _handle: Handle<Trusting>,
    pub channel: russh::Channel<client::Msg>,
    pub screen: vt100::Parser,
    pub raw: Vec<u8>,
    pub exit: Option<u32>,
    pub closed: bool,
}

impl Visitor {
    pub async fn open(port: u16, cols: u32, rows: u32) -> Visitor {
        Self::open_on(connect(port).await, cols, rows).await
    }

    /// The explorer on a connection already made.
    pub async fn open_on(handle: Handle<Trusting>, cols: u32, rows: u32) -> Visitor {
        let channel = handle.channel_open_session().await.unwrap();
        channel
            .request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(true).await.unwrap();
        Visitor {
            _handle: handle,
            channel,
            // The server draws at most 400x200, whatever the client claims.
            screen: vt100::Parser::new(rows.min(200) as u16, cols.min(400) as u16, 0),
            raw: Vec::new(),
            exit: None,
            closed: false,
        }
    }

    /// Closes the connection, as `ssh` does when its session ends.
    pub async fn leave(self) {
        let _ = self
            ._handle
            .disconnect(Disconnect::ByApplication, "", "")
            .await;
    }

    pub async fn send(&self, keys: &str) {
        self.channel.data(keys.as_bytes()).await.unwrap();
    }

    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Reads the channel until `done` holds of the visitor, or fails with the screen.
    pub async fn until(&mut self, what: &str, done: impl Fn(&Visitor) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.channel.wait()).await;
            match msg {
                Err(_) => panic!("waited for {what}; the screen:\n{}", self.text()),
                Ok(None) => {
                    self.closed = true;
                    if !done(self) {
                        panic!(
                            "the channel closed before {what}; the screen:\n{}",
                            self.text()
                        );
                    }
                }
                Ok(Some(ChannelMsg::Data { data }))
                | Ok(Some(ChannelMsg::ExtendedData { data, .. })) => {
                    self.raw.extend_from_slice(&data);
                    self.screen.process(&data);
                }
                Ok(Some(ChannelMsg::ExitStatus { exit_status })) => self.exit = Some(exit_status),
                Ok(Some(ChannelMsg::Close)) => self.closed = true,
                Ok(Some(_)) => {}
            }
        }
        self.text()
    }

    pub async fn wait_text(&mut self, text: &str) -> String {
        self.until(text, |v| v.text().contains(text)).await
    }

    pub async fn wait_end(&mut self) -> u32 {
        self.until("the end of the session", |v| v.closed && v.exit.is_some())
            .await;
        self.exit.unwrap()
    }
}

/// Output and exit status of one exec request.
pub async fn exec(port: u16, command: &str) -> (String, String, Option<u32>) {
    let handle = connect(port).await;
    let mut channel = handle.channel_open_session().await.unwrap();
    channel.exec(true, command).await.unwrap();
    let (mut out, mut err, mut status) = (Vec::new(), Vec::new(), None);
    while let Ok(Some(msg)) = tokio::time::timeout(WAIT, channel.wait()).await {
        match msg {
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExtendedData { data, .. } => err.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        status,
    )
}
