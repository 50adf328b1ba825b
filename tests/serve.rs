//! `annals serve` end to end: the real binary as the server, russh's client (and,
//! where it is installed, OpenSSH's) as visitors, the screen read through vt100.

mod common;
#[path = "common/ssh.rs"]
mod ssh;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::client;
use russh::{ChannelMsg, Disconnect};
use ssh::{Server, Trusting, Visitor, WAIT, connect, exec};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn local(args: &[&str]) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_gets_the_whole_explorer_and_q_ends_only_their_session() {
    let server = Server::start(&[]);
    let mut v = Visitor::open(server.port, 120, 40).await;
    v.until("the first frame", |v| {
        let t = v.text();
        t.contains("March 12, 2001") && t.contains("▶ 2001-03-12") && t.contains("44 events")
    })
    .await;
    v.send("G").await;
    v.wait_text("▶ 2025-01-17").await;
    v.send("/rogozin").await;
    let filtered = v
        .until("the filtered list", |v| {
            let t = v.text();
            t.contains("of 44 events") && !t.contains("filtering")
        })
        .await;
    assert!(filtered.contains("Rogozin in Tehran"), "{filtered}");
    v.send("\r").await;
    v.wait_text("(Esc clears)").await;
    v.send("?").await;
    v.wait_text("Filter (typing)").await;
    v.send("?").await;
    v.channel.window_change(100, 30, 0, 0).await.unwrap();
    v.screen.screen_mut().set_size(30, 100);
    v.until("a relayout at 100x30", |v| {
        v.text()
            .lines()
            .any(|l| l.contains("Rogozin in Tehran") && l.chars().count() <= 100)
    })
    .await;
    // Ctrl-z cannot suspend a server's session: it says so and stays.
    v.send("\x1a").await;
    v.wait_text("suspending is not available over SSH").await;
    v.send("q").await;
    assert_eq!(v.wait_end().await, 0);
    assert!(
        !v.screen.screen().alternate_screen(),
        "the terminal is put back"
    );
    v.leave().await;
    // The server is still there for the next visitor.
    let mut next = Visitor::open(server.port, 80, 24).await;
    next.wait_text("2001-03-12").await;
    let log = server.wait_log("reason=quit").await;
    assert!(log.contains("connect 127.0.0.1:"), "{log}");
    assert!(log.contains("user=\"visitor\""), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_answers_a_lookup_as_the_local_command_does() {
    let server = Server::start(&[]);
    for (command, args) in [
        ("search khatami", vec!["search", "khatami"]),
        (
            "cite 2001-03-12-russia-iran-cooperation-agreement --format markdown",
            vec![
                "cite",
                "2001-03-12-russia-iran-cooperation-agreement",
                "--format",
                "markdown",
            ],
        ),
        ("search zzzzqqq", vec!["search", "zzzzqqq"]),
        ("topics", vec!["topics"]),
    ] {
        let (out, _, status) = exec(server.port, command).await;
        let (expected, code) = local(&args);
        assert_eq!(out, expected, "{command}");
        assert_eq!(status.map(|s| s as i32), code, "{command}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_but_the_explorer_and_lookups_is_refused() {
    let server = Server::start(&[]);
    for command in [
        "bash -c id",
        "check /etc/passwd",
        "--data /etc/passwd list",
        "list --data=/etc/passwd",
        "serve",
        "man",
        "completions bash",
    ] {
        let (out, err, status) = exec(server.port, command).await;
        assert!(out.is_empty(), "{command}: {out}");
        assert_eq!(status, Some(2), "{command}: {err}");
        assert!(err.starts_with("annals: "), "{command}: {err}");
    }
    let handle = connect(server.port).await;
    // A subsystem (sftp) is refused.
    let mut channel = handle.channel_open_session().await.unwrap();
    channel.request_subsystem(true, "sftp").await.unwrap();
    let mut refused = false;
    while let Ok(Some(msg)) = tokio::time::timeout(WAIT, channel.wait()).await {
        refused |= matches!(msg, ChannelMsg::Failure);
    }
    assert!(refused, "the sftp subsystem was not refused");
    // Port forwarding both ways is refused.
    assert!(
        handle
            .channel_open_direct_tcpip("127.0.0.1", server.port as u32, "127.0.0.1", 1)
            .await
            .is_err()
    );
    assert!(handle.tcpip_forward("127.0.0.1", 0).await.is_err());
    // No pty: one line saying to use ssh -t, then status 1.
    let mut channel = handle.channel_open_session().await.unwrap();
    channel.request_shell(true).await.unwrap();
    let (mut err, mut status) = (Vec::new(), None);
    while let Ok(Some(msg)) = tokio::time::timeout(WAIT, channel.wait()).await {
        match msg {
            ChannelMsg::ExtendedData { data, .. } => err.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    assert!(String::from_utf8_lossy(&err).contains("ssh -t"));
    assert_eq!(status, Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_caps_say_server_full() {
    let server = Server::start(&["--max-sessions", "2", "--max-per-address", "1"]);
    let mut first = Visitor::open(server.port, 80, 24).await;
    first.wait_text("2001-03-12").await;
    let mut second = Visitor::open(server.port, 80, 24).await;
    assert_eq!(second.wait_end().await, 1);
    let said = String::from_utf8_lossy(&second.raw).to_string();
    assert!(
        said.contains("server full") && said.contains("your address"),
        "{said}"
    );
    // A lookup is a session too.
    let (_, err, status) = exec(server.port, "topics").await;
    assert_eq!(status, Some(1));
    assert!(err.contains("server full"), "{err}");
    // The place is given back when a session ends.
    first.send("q").await;
    first.wait_end().await;
    let mut third = Visitor::open(server.port, 80, 24).await;
    third.wait_text("2001-03-12").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_never_finishes_the_handshake_is_dropped() {
    let server = Server::start(&["--login-grace-time", "1", "--max-startups", "1"]);
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    // Past --max-startups, a new connection is closed at once, before any banner.
    let mut second = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(WAIT, second.read(&mut buf))
        .await
        .unwrap()
        .unwrap_or(0);
    assert_eq!(
        n,
        0,
        "the extra connection got {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    // The silent one is closed after the grace time.
    let mut seen = Vec::new();
    loop {
        let n = tokio::time::timeout(WAIT, silent.read(&mut buf))
            .await
            .unwrap()
            .unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(String::from_utf8_lossy(&seen).starts_with("SSH-2.0-"));
    server.wait_log("reason=login grace time").await;
    // And its place is free again.
    let mut v = Visitor::open(server.port, 80, 24).await;
    v.wait_text("2001-03-12").await;
    let _ = silent.write_all(b"x").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_visitor_is_let_go_but_output_does_not_count_as_activity() {
    let server = Server::start(&["--idle-timeout", "2"]);
    let mut v = Visitor::open(server.port, 80, 24).await;
    v.wait_text("2001-03-12").await;
    let started = Instant::now();
    // Keys keep it alive...
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        v.send("j").await;
    }
    assert!(!v.closed);
    // ...and without them it ends, with a line that says why.
    assert_eq!(v.wait_end().await, 1);
    assert!(started.elapsed() >= Duration::from_secs(4));
    let said = String::from_utf8_lossy(&v.raw).to_string();
    assert!(said.contains("no input for"), "{said}");
    v.leave().await;
    server.wait_log("reason=idle timeout").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_sizes_floods_and_vanishing_clients_are_contained() {
    let server = Server::start(&["--max-sessions", "1"]);
    let mut v = Visitor::open(server.port, 65535, 65535).await;
    v.until("a first frame", |v| v.raw.len() > 1000).await;
    v.channel.window_change(65535, 65535, 0, 0).await.unwrap();
    // A 1 MB paste without bracketed paste marks, then Ctrl-c: it still quits.
    let flood = "j".repeat(1 << 20);
    v.channel.data(flood.as_bytes()).await.unwrap();
    v.send("\x03").await;
    assert_eq!(v.wait_end().await, 0);
    let rss = server.rss_kib();
    assert!(
        rss < 200 * 1024,
        "server RSS {rss} KiB after a 65535x65535 window and a 1 MB paste"
    );
    // A client killed mid-session frees its place (the cap is one session).
    let mut gone = Visitor::open(server.port, 120, 40).await;
    gone.wait_text("2001-03-12").await;
    gone.send("G").await;
    drop(gone);
    server.wait_log("reason=client went away").await;
    let mut next = Visitor::open(server.port, 80, 24).await;
    next.wait_text("2001-03-12").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_puts_back_every_visitor_s_terminal_and_exits_0() {
    let mut server = Server::start(&[]);
    let mut visitors = Vec::new();
    for _ in 0..3 {
        let mut v = Visitor::open(server.port, 80, 24).await;
        v.wait_text("2001-03-12").await;
        visitors.push(v);
    }
    let stopped = Instant::now();
    server.signal("TERM");
    for v in &mut visitors {
        v.wait_end().await;
        assert!(
            !v.screen.screen().alternate_screen(),
            "alternate screen left on"
        );
        let raw = String::from_utf8_lossy(&v.raw).to_string();
        assert!(raw.contains("\x1b[?25h"), "cursor not shown again");
        assert!(raw.contains("the server is stopping"), "{raw:?}");
    }
    let status = server.wait_exit(Duration::from_secs(3));
    assert_eq!(status.code(), Some(0));
    assert!(
        stopped.elapsed() < Duration::from_secs(2),
        "{:?}",
        stopped.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_host_key_is_kept_with_mode_0600_and_reused() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start(&[]);
    let first = server.wait_log("host key SHA256:").await;
    let fingerprint = |log: &str| {
        log.lines()
            .find_map(|l| l.split("host key ").nth(1))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    let key = server.dir().join("host_key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(first.contains("(new)"));
    let mut server = server;
    let dir = server.dir.take().unwrap();
    drop(server);
    let again = Server::start_in(dir, &[]);
    let second = again.wait_log("host key SHA256:").await;
    assert_eq!(fingerprint(&first), fingerprint(&second));
    assert!(!second.contains("(new)"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_authorized_keys_only_those_keys_get_in() {
    use russh::keys::ssh_key::private::Ed25519Keypair;
    use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg};
    let dir = tempfile::tempdir().unwrap();
    let allowed = PrivateKey::from(Ed25519Keypair::from_seed(&[7; 32]));
    let other = PrivateKey::from(Ed25519Keypair::from_seed(&[8; 32]));
    let file = dir.path().join("authorized_keys");
    std::fs::write(&file, allowed.public_key().to_openssh().unwrap()).unwrap();
    let server = Server::start(&["--authorized-keys", file.to_str().unwrap()]);
    let config = Arc::new(client::Config::default());
    let try_key = |key: PrivateKey| {
        let config = Arc::clone(&config);
        async move {
            let mut h = client::connect(config, ("127.0.0.1", server.port), Trusting)
                .await
                .unwrap();
            // Refused, and offered only keys: never a password someone could type.
            match h.authenticate_none("v").await.unwrap() {
                client::AuthResult::Failure {
                    remaining_methods, ..
                } => assert_eq!(&*remaining_methods, &[russh::MethodKind::PublicKey]),
                client::AuthResult::Success => panic!("let in without a key"),
            }
            let key = PrivateKeyWithHashAlg::new(Arc::new(key), None);
            let ok = h.authenticate_publickey("v", key).await.unwrap().success();
            let _ = h.disconnect(Disconnect::ByApplication, "", "").await;
            ok
        }
    };
    assert!(!try_key(other).await);
    let fp = allowed
        .public_key()
        .fingerprint(HashAlg::Sha256)
        .to_string();
    assert!(try_key(allowed).await);
    server.wait_log(&fp).await;
}

/// A panic in one visitor's session ends that session, and the server goes on.
#[tokio::test(flavor = "multi_thread")]
async fn a_panic_ends_one_session_not_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("host_key");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(&key)
        .env("ANNALS_TEST_PANIC", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.split("listening on ").nth(1) {
                let _ = tx.send(at.rsplit(':').next().unwrap().parse::<u16>().unwrap());
            }
        }
    });
    let port = rx.recv_timeout(WAIT).unwrap();
    let mut v = Visitor::open(port, 80, 24).await;
    let status = v.wait_end().await;
    assert_ne!(status, 0);
    assert!(!v.screen.screen().alternate_screen());
    // The server still answers.
    let (out, _, status) = exec(port, "topics").await;
    assert_eq!(status, Some(0));
    assert!(out.contains("Sanctions"));
    let _ = child.kill();
    let _ = child.wait();
}

/// OpenSSH is what visitors use: its client in a pseudo-terminal sees the explorer,
/// and q ends the session with status 0.
#[test]
fn the_real_openssh_client_gets_the_explorer() {
    if Command::new("ssh").arg("-V").output().is_err() {
        // .ci/run installs openssh-client; elsewhere say plainly what was skipped.
        assert!(
            std::env::var_os("CI").is_none(),
            "ssh is not installed on CI"
        );
        eprintln!("skipped: no ssh client on this machine");
        return;
    }
    let server = Server::start(&[]);
    let known = server.dir().join("known_hosts");
    let port = server.port.to_string();
    let mut s = common::Session::start_program(
        "ssh",
        &[
            "-tt",
            "-p",
            &port,
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            &format!("UserKnownHostsFile={}", known.display()),
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityFile=/dev/null",
            "-F",
            "/dev/null",
            "127.0.0.1",
        ],
        &[],
        120,
        40,
    );
    // A frame may arrive in pieces: wait for all of it.
    s.wait_for("the first frame", |sc| {
        sc.contains("March 12, 2001") && sc.contains("44 events")
    });
    s.send("G");
    s.wait_text("▶ 2025-01-17");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_at_the_maximum_session_time_even_with_input() {
    let server = Server::start(&["--max-session-time", "2"]);
    let mut v = Visitor::open(server.port, 80, 24).await;
    v.wait_text("2001-03-12").await;
    let started = Instant::now();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        v.send("j").await;
    }
    assert_eq!(v.wait_end().await, 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    let said = String::from_utf8_lossy(&v.raw).to_string();
    assert!(said.contains("sessions last at most"), "{said}");
}

/// A visitor who stops reading: the server keeps at most a frame for them, however
/// much they type, and when they read again they get the latest screen.
#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_who_stops_reading_costs_bounded_memory_and_gets_the_latest_screen() {
    let server = Server::start(&[]);
    let mut v = Visitor::open(server.port, 200, 60).await;
    v.wait_text("2001-03-12").await;
    let before = server.rss_kib();
    // Not reading: every key below makes a frame the client does not take.
    for i in 0..3000 {
        let key = if i % 2 == 0 { "G" } else { "g" };
        v.send(key).await;
    }
    v.send("G").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let grew = server.rss_kib().saturating_sub(before);
    assert!(
        grew < 16 * 1024,
        "the server grew {grew} KiB for a client that does not read"
    );
    // Reading again: the screen ends on the last key's state.
    v.wait_text("▶ 2025-01-17").await;
    v.send("q").await;
    assert_eq!(v.wait_end().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn colour_is_decided_per_visitor() {
    let server = Server::start(&[]);
    // Any cell drawn in a colour of its own.
    let coloured = |v: &Visitor| {
        let screen = v.screen.screen();
        let (rows, cols) = screen.size();
        (0..rows).any(|r| {
            (0..cols).any(|c| {
                screen.cell(r, c).is_some_and(|cell| {
                    cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default
                })
            })
        })
    };
    let mut plain = {
        let handle = connect(server.port).await;
        let channel = handle.channel_open_session().await.unwrap();
        channel.set_env(true, "NO_COLOR", "1").await.unwrap();
        channel
            .request_pty(true, "xterm-256color", 120, 40, 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(true).await.unwrap();
        Visitor {
            _handle: handle,
            channel,
            screen: vt100::Parser::new(40, 120, 0),
            raw: Vec::new(),
            exit: None,
            closed: false,
        }
    };
    plain.wait_text("March 12, 2001").await;
    assert!(!coloured(&plain), "NO_COLOR was sent, yet colour came");
    let mut other = Visitor::open(server.port, 120, 40).await;
    other.wait_text("March 12, 2001").await;
    assert!(coloured(&other), "the next visitor lost colour");
    drop(server);
    let never = Server::start(&["--color", "never"]);
    let mut v = Visitor::open(never.port, 120, 40).await;
    v.wait_text("March 12, 2001").await;
    assert!(!coloured(&v), "--color never, yet colour came");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_visitor_starts_where_serve_says_and_y_copies_to_their_clipboard() {
    let server = Server::start(&["--filter", "rogozin", "--goto", "2017"]);
    let mut v = Visitor::open(server.port, 120, 40).await;
    let first = v
        .until("the filtered start", |v| v.text().contains("of 44 events"))
        .await;
    assert!(first.contains("Rogozin in Tehran"), "{first}");
    v.send("y").await;
    v.wait_text("copied citation").await;
    assert!(
        String::from_utf8_lossy(&v.raw).contains("\x1b]52;c;"),
        "no OSC 52 reached the visitor"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn what_a_client_chose_is_escaped_in_the_log_and_no_password_is_asked() {
    let server = Server::start(&[]);
    let config = Arc::new(client::Config::default());
    let mut h = client::connect(config, ("127.0.0.1", server.port), Trusting)
        .await
        .unwrap();
    assert!(
        h.authenticate_none("\x1b[31mevil\x07")
            .await
            .unwrap()
            .success()
    );
    let _ = h.disconnect(Disconnect::ByApplication, "", "").await;
    let log = server.wait_log("disconnect").await;
    assert!(log.contains("\\u001b[31mevil\\u0007"), "{log}");
    assert!(!log.contains('\x1b'), "a raw escape reached the log");
}

#[test]
fn an_authorized_keys_file_with_no_key_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("authorized_keys");
    std::fs::write(&empty, "# nobody\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(dir.path().join("key"))
        .arg("--authorized-keys")
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no keys in the file"), "{err}");
}

/// `--max-pending-input`: input past the limit, not yet acted on, is dropped whole
/// (a run of keys or a bracketed paste alike, never cut in the middle); the visitor
/// reads why, the log says so once, the session goes on taking keys, and a Ctrl-c
/// in a dropped flood still quits.
#[tokio::test(flavor = "multi_thread")]
async fn input_past_max_pending_input_is_dropped_and_the_session_goes_on() {
    let server = Server::start(&["--max-pending-input", "4096"]);
    let mut v = Visitor::open(server.port, 120, 40).await;
    v.wait_text("▶ 2001-03-12").await;
    // 6,000 j's pasted without bracketed paste marks, in one piece: past the
    // limit, so not one of them moves the selection.
    v.channel.data(&[b'j'; 6000][..]).await.unwrap();
    let told = v.wait_text("too much input at once").await;
    assert!(told.contains("▶ 2001-03-12"), "{told}");
    // Keys within the limit are taken as ever.
    v.send("j").await;
    v.wait_text("▶ 2011").await;
    // A bracketed paste into the filter longer than the limit: none of it arrives.
    v.send("/").await;
    let long = format!("\x1b[200~{}\x1b[201~", "rogozin ".repeat(700));
    v.channel.data(long.as_bytes()).await.unwrap();
    let told = v.wait_text("too much input at once").await;
    assert!(!told.contains("rogozin"), "{told}");
    v.send("rogozin").await;
    v.until("the filtered list", |v| {
        let t = v.text();
        t.contains("Rogozin in Tehran") && t.contains("of 44 events")
    })
    .await;
    // A Ctrl-c in a piece that is dropped still ends the session.
    let mut flood = vec![b'j'; 6000];
    flood.push(0x03);
    v.channel.data(&flood[..]).await.unwrap();
    assert_eq!(v.wait_end().await, 0);
    v.leave().await;
    let log = server.wait_log("reason=quit").await;
    assert_eq!(
        log.matches("--max-pending-input").count(),
        1,
        "one line a session, however often input is dropped:\n{log}"
    );
}

/// `--max-waiting-output`: a visitor whose client stops reading, and who goes on
/// typing, costs the server the frame on its way and at most the limit besides.
/// Here each `y` writes a clipboard copy (OSC 52) that must wait. Within the limit
/// the copies wait and arrive; past it they are dropped, the log says so once, and
/// when the client reads again it gets the latest screen, with the mouse as the
/// visitor last set it.
#[tokio::test(flavor = "multi_thread")]
async fn output_for_a_visitor_who_stops_reading_is_held_up_to_max_waiting_output() {
    const LIMIT: usize = 4096;
    let server = Server::start(&["--max-waiting-output", &LIMIT.to_string()]);
    let (handle, reading) = ssh::connect_stoppable(server.port, 4096).await;
    let mut v = Visitor::open_on(handle, 200, 60).await;
    v.wait_text("▶ 2001-03-12").await;
    let copy = b"\x1b]52;";
    let copies = |bytes: &[u8]| bytes.windows(copy.len()).filter(|w| w == copy).count();
    // Stops reading, then draws whole new articles: the 4 KiB window the client
    // granted runs out, and a frame stays on its way.
    let stop_until_stuck = async |v: &mut Visitor| {
        v.send("gG").await;
        v.until("the copy's status gone", |v| {
            let t = v.text();
            t.contains("▶ 2025-01-17") && !t.contains("copied citation")
        })
        .await;
        reading.stop();
        let before = v.raw.len();
        for key in ["g", "G", "g", "G"] {
            v.send(key).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        before
    };
    let latest = |v: &Visitor| {
        let t = v.text();
        t.contains("▶ 2025-01-17") && t.contains("copied citation")
    };
    // One copy of the last event's citation while reading, to know its size.
    v.send("Gy").await;
    v.until("a copy", |v| copies(&v.raw) == 1).await;
    let start = v.raw.windows(copy.len()).position(|w| w == copy).unwrap();
    // It ends with ST (Esc \\) or BEL.
    let one = v.raw[start + 2..]
        .iter()
        .position(|&b| b == 0x07 || b == b'\\')
        .unwrap()
        + 3;
    assert!(
        2 * one < LIMIT && 40 * one > 2 * LIMIT,
        "a copy is {one} bytes"
    );
    // Two copies fit: they wait, and arrive.
    let before = stop_until_stuck(&mut v).await;
    v.send("yy").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    reading.resume();
    v.until("the latest screen", latest).await;
    assert_eq!(copies(&v.raw[before..]), 2);
    assert!(!server.log().contains("is not reading"), "{}", server.log());
    // Forty do not: what would grow past the limit is dropped.
    let before = stop_until_stuck(&mut v).await;
    for _ in 0..20 {
        v.send("y").await;
    }
    server.wait_log("is not reading").await;
    // The mouse switched on meanwhile is dropped with the copies after it.
    v.send("m").await;
    for _ in 0..20 {
        v.send("y").await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    reading.resume();
    v.until("the latest screen", latest).await;
    let copies = copies(&v.raw[before..]);
    // Copies made before the window ran out may come too; the rest is the limit's.
    assert!(
        copies * one <= 2 * LIMIT,
        "{copies} copies of {one} bytes reached the visitor"
    );
    assert_ne!(
        v.screen.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "the mouse, switched on while output was dropped, is off"
    );
    v.send("q").await;
    assert_eq!(v.wait_end().await, 0);
    v.leave().await;
    let log = server.wait_log("reason=quit").await;
    assert_eq!(log.matches("--max-waiting-output").count(), 1, "{log}");
}

#[test]
fn the_byte_limits_refuse_values_below_4096() {
    for flag in ["--max-pending-input", "--max-waiting-output"] {
        let out = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["serve", "--listen", "127.0.0.1:0", flag, "100"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && err.contains("4096"), "{err}");
    }
}
