//! A pseudo-terminal harness: runs the real binary, feeds it keys, and reads
//! the screen through a terminal emulator (vt100). It also counts the bytes the
//! program writes, which is what a demo over SSH pays for.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

pub const TIMEOUT: Duration = Duration::from_secs(10);

impl Session {
    pub fn start(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Session {
        Self::start_program(env!("CARGO_BIN_EXE_annals"), args, env, cols, rows)
    }

    /// Like `start`, with arguments that need not be UTF-8.
    pub fn start_os(args: &[std::ffi::OsString], cols: u16, rows: u16) -> Session {
        Self::start_program(env!("CARGO_BIN_EXE_annals"), args, &[], cols, rows)
    }

    /// Runs another program in the pseudo-terminal: a shell that starts annals, say.
    pub fn start_program<S: AsRef<OsStr>>(
        program: &str,
        args: &[S],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn annals");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            reader: Some(reader),
            child,
            master: Some(pty.master),
            writer: Some(writer),
            parser,
            raw,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .as_ref()
            .expect("the terminal is open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Waits until the screen satisfies `pred`, and returns it.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// Waits until output has been quiet for `quiet`, and returns the byte count so far.
    pub fn settle(&self, quiet: Duration) -> usize {
        let mut last = self.raw_len();
        let mut since = Instant::now();
        let start = Instant::now();
        while since.elapsed() < quiet && start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.raw_len();
            if now != last {
                last = now;
                since = Instant::now();
            }
        }
        last
    }

    pub fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        self.raw
            .lock()
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle)
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain what the program wrote last.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("annals did not exit; the screen was:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the program to exit and returns everything it wrote (the reader
    /// stops when the terminal's other side closes).
    pub fn finish(mut self) -> (portable_pty::ExitStatus, Vec<u8>) {
        let status = self.wait_exit();
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the reader thread");
        }
        let raw = self.raw.lock().unwrap().clone();
        (status, raw)
    }

    pub fn signal(&self, sig: &str) {
        let pid = self.child.process_id().expect("pid").to_string();
        let ok = std::process::Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig} {pid}");
    }

    /// Row index of the first screen row containing `text`.
    pub fn row_of(&self, text: &str) -> Option<u16> {
        self.screen()
            .lines()
            .position(|l| l.contains(text))
            .map(|r| r as u16)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
