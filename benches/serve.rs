//! Many visitors on one `annals serve`: per-keystroke latency seen at the client,
//! server memory beside the single-user explorer's, dropped sessions, the time
//! from TCP connect to the first complete frame, and bytes per keystroke on the
//! wire (SSH's own overhead included). The clients run on the same machine as
//! the server and share its cores.
//!
//!     cargo bench --bench serve              # 64 sessions on 100,000 events
//!     cargo bench --bench serve -- 16        # 16 sessions
//!     cargo bench --bench serve -- 64 10000  # 64 sessions on 10,000 events

#[path = "synth.rs"]
mod synth;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const COLS: u32 = 120;
const ROWS: u32 = 40;
/// Each visitor types at 5 keys a second.
const KEY_GAP: Duration = Duration::from_millis(200);

fn binary() -> PathBuf {
    let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/annals");
    assert!(
        release.exists(),
        "build the server first: cargo build --release"
    );
    release
}

fn timeline(events: usize) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/synthetic/serve-{events}"));
    let file = dir.join("timeline.json");
    if !file.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let spec = synth::Spec {
            events,
            articles: (events / 10).min(10_000),
            article_bytes: 3_000,
            seed: 1,
            inline: false,
        };
        synth::write(&dir, &spec).unwrap();
    }
    file
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The single-user explorer's peak RSS on the same file, after its first frame.
fn single_user_rss(data: &Path) -> u64 {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS as u16,
            cols: COLS as u16,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(binary());
    cmd.arg("--data");
    cmd.arg(data);
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    let pid = child.process_id().unwrap();
    let mut reader = pty.master.try_clone_reader().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
            if n == 0 {
                break;
            }
            s.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while !String::from_utf8_lossy(&seen.lock().unwrap()).contains("events")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let rss = rss_kib(pid);
    let _ = child.kill();
    rss
}

/// Counts the bytes a client reads off its TCP socket: SSH's framing, MACs and
/// padding included.
struct Counted {
    inner: tokio::net::TcpStream,
    read: Arc<AtomicU64>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        let n = (buf.filled().len() - before) as u64;
        self.read.fetch_add(n, Ordering::Relaxed);
        r
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

#[derive(Default)]
struct Outcome {
    connect_to_frame: Option<Duration>,
    latencies: Vec<Duration>,
    wire_bytes_per_key: Vec<u64>,
    payload_bytes_per_key: Vec<u64>,
    dropped: bool,
}

/// One visitor: connect, wait for the first complete frame, then type a filter one
/// character at a time and move through the list, timing each key until the
/// first frame that answers it.
async fn visitor(port: u16, keys: Vec<String>) -> Outcome {
    let mut outcome = Outcome::default();
    let started = Instant::now();
    let read = Arc::new(AtomicU64::new(0));
    let Ok(socket) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        outcome.dropped = true;
        return outcome;
    };
    let _ = socket.set_nodelay(true);
    let stream = Counted {
        inner: socket,
        read: Arc::clone(&read),
    };
    let config = Arc::new(client::Config::default());
    let Ok(mut handle) = client::connect_stream(config, stream, Trusting).await else {
        outcome.dropped = true;
        return outcome;
    };
    let _ = handle.authenticate_none("bench").await;
    let Ok(mut channel) = handle.channel_open_session().await else {
        outcome.dropped = true;
        return outcome;
    };
    let _ = channel
        .request_pty(true, "xterm-256color", COLS, ROWS, 0, 0, &[])
        .await;
    let _ = channel.request_shell(true).await;
    let mut screen = vt100::Parser::new(ROWS as u16, COLS as u16, 0);
    while !screen.screen().contents().contains("events") {
        match tokio::time::timeout(Duration::from_secs(30), channel.wait()).await {
            Ok(Some(ChannelMsg::Data { data })) => screen.process(&data),
            Ok(Some(_)) => {}
            _ => {
                outcome.dropped = true;
                return outcome;
            }
        }
    }
    outcome.connect_to_frame = Some(started.elapsed());
    for key in keys {
        tokio::time::sleep(KEY_GAP).await;
        let wire_before = read.load(Ordering::Relaxed);
        let sent = Instant::now();
        if channel.data(key.as_bytes()).await.is_err() {
            outcome.dropped = true;
            return outcome;
        }
        let mut payload = 0u64;
        // The first frame that answers the key.
        loop {
            match tokio::time::timeout(Duration::from_secs(10), channel.wait()).await {
                Ok(Some(ChannelMsg::Data { data })) => {
                    payload += data.len() as u64;
                    screen.process(&data);
                    outcome.latencies.push(sent.elapsed());
                    break;
                }
                Ok(Some(_)) => {}
                _ => {
                    outcome.dropped = true;
                    return outcome;
                }
            }
        }
        // Whatever else the key led to (the filter's answer) before the next key.
        let settle = tokio::time::Instant::now() + KEY_GAP / 2;
        while let Ok(Some(msg)) = tokio::time::timeout_at(settle, channel.wait()).await {
            if let ChannelMsg::Data { data } = msg {
                payload += data.len() as u64;
                screen.process(&data);
            }
        }
        outcome.payload_bytes_per_key.push(payload);
        outcome
            .wire_bytes_per_key
            .push(read.load(Ordering::Relaxed) - wire_before);
    }
    let _ = channel.data(&b"q"[..]).await;
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(10), channel.wait()).await {
        if matches!(msg, ChannelMsg::ExitStatus { .. }) {
            break;
        }
    }
    outcome
}

fn percentile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn median_u64(v: &mut [u64]) -> u64 {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sessions = args.first().copied().unwrap_or(64);
    let events = args.get(1).copied().unwrap_or(100_000);
    let data = timeline(events);
    println!(
        "{sessions} sessions, {events} events, {COLS}x{ROWS}; clients and server share {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let single = single_user_rss(&data);

    let dir = tempfile::tempdir().unwrap();
    let mut server: Child = Command::new(binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(dir.path().join("key"))
        .arg("--data")
        .arg(&data)
        .args([
            "--max-sessions",
            &sessions.to_string(),
            "--max-per-address",
            &sessions.to_string(),
        ])
        .args(["--max-startups", &sessions.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.split("listening on ").nth(1) {
                let _ = tx.send(at.rsplit(':').next().unwrap().parse::<u16>().unwrap());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server starts");
    let idle_rss = rss_kib(server.id());

    // What each visitor types: a filter, a character at a time, then moves.
    let words = synth::queries(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..sessions {
            let word = &words[i % words.len()];
            let mut keys: Vec<String> = std::iter::once("/".to_string())
                .chain(word.chars().map(String::from))
                .collect();
            keys.push("\r".into());
            keys.extend(["j", "j", "k", "G", "g", "\x1b"].map(String::from));
            // Spread the arrivals over the first second.
            let delay = Duration::from_millis((i * 1000 / sessions.max(1)) as u64);
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                visitor(port, keys).await
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let peak_rss = rss_kib(server.id());
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();

    let dropped = outcomes.iter().filter(|o| o.dropped).count();
    let mut latencies: Vec<Duration> = outcomes.iter().flat_map(|o| o.latencies.clone()).collect();
    let mut first: Vec<Duration> = outcomes.iter().filter_map(|o| o.connect_to_frame).collect();
    let mut wire: Vec<u64> = outcomes
        .iter()
        .flat_map(|o| o.wire_bytes_per_key.clone())
        .collect();
    let mut payload: Vec<u64> = outcomes
        .iter()
        .flat_map(|o| o.payload_bytes_per_key.clone())
        .collect();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("keystrokes timed: {}", latencies.len());
    println!(
        "per-keystroke latency (key sent → first frame back): median {}, p95 {}, worst {}",
        ms(percentile(&mut latencies, 0.5)),
        ms(percentile(&mut latencies, 0.95)),
        ms(percentile(&mut latencies, 1.0))
    );
    println!(
        "TCP connect → first complete frame: median {}, worst {}",
        ms(percentile(&mut first, 0.5)),
        ms(percentile(&mut first, 1.0))
    );
    println!(
        "bytes per keystroke: median {} on the wire (SSH included), {} of terminal output",
        median_u64(&mut wire),
        median_u64(&mut payload)
    );
    let per_session = peak_rss.saturating_sub(single) as f64 / sessions as f64 / 1024.0;
    println!(
        "server peak RSS {:.1} MiB (idle before visitors {:.1} MiB); single-user explorer {:.1} MiB; {:.2} MiB per session over the single user",
        peak_rss as f64 / 1024.0,
        idle_rss as f64 / 1024.0,
        single as f64 / 1024.0,
        per_session
    );
    println!("sessions dropped: {dropped} of {sessions}");
}
