//! `ssh host search khatami`: one lookup, answered as the local command answers
//! it, with its output on the channel and its exit status. The command line is
//! split as a shell would split it, but no shell runs.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use russh::ChannelWriteHalf;
use russh::server::Msg;

use super::Shared;
use super::limits::SessionGuard;

/// The longest command line taken.
const MAX_COMMAND_BYTES: usize = 4096;

/// Splits an exec request's command line into words, as `sh` would, quotes and
/// all; nothing is expanded.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    if line.len() > MAX_COMMAND_BYTES {
        return Err(format!(
            "the command is {} bytes long; at most {MAX_COMMAND_BYTES} are taken",
            line.len()
        ));
    }
    shell_words::split(line).map_err(|e| format!("cannot read the command: {e}"))
}

/// Output to the channel in pieces, each sent as the visitor's window allows:
/// a long export is streamed, not gathered in memory.
struct ChannelWriter {
    write: Arc<ChannelWriteHalf<Msg>>,
    /// None for standard output; Some(1) for standard error.
    ext: Option<u32>,
    buffer: Vec<u8>,
    runtime: tokio::runtime::Handle,
    sent: Arc<AtomicU64>,
}

const PIECE: usize = 32 * 1024;

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= PIECE {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.buffer);
        let n = bytes.len() as u64;
        let write = &self.write;
        let sent = match self.ext {
            None => self.runtime.block_on(write.data_bytes(bytes)),
            Some(ext) => self.runtime.block_on(write.extended_data_bytes(ext, bytes)),
        };
        sent.map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))?;
        self.sent.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }
}

/// Runs the lookup on its own thread and closes the channel with its status.
pub fn run(
    shared: Arc<Shared>,
    write: ChannelWriteHalf<Msg>,
    words: Vec<String>,
    color: bool,
    guard: SessionGuard,
    sent: Arc<AtomicU64>,
) {
    let write = Arc::new(write);
    let runtime = shared.runtime.clone();
    let writer = |ext| ChannelWriter {
        write: Arc::clone(&write),
        ext,
        buffer: Vec::new(),
        runtime: runtime.clone(),
        sent: Arc::clone(&sent),
    };
    let (mut out, mut err) = (writer(None), writer(Some(1)));
    let work = move || {
        let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (shared.lookup)(&words, &mut out, &mut err, color)
        }))
        .unwrap_or_else(|_| {
            let _ = writeln!(err, "annals: this lookup hit an internal error; sorry");
            101
        });
        let _ = out.flush();
        let _ = err.flush();
        runtime.block_on(async {
            let _ = write.exit_status(status as u32).await;
            let _ = write.eof().await;
            let _ = write.close().await;
        });
        drop(guard);
    };
    std::thread::Builder::new()
        .name("lookup".into())
        .spawn(work)
        .expect("a lookup thread starts");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_is_split_as_a_shell_would_without_expanding() {
        assert_eq!(
            split("search 'maximum pressure' --limit 3").unwrap(),
            ["search", "maximum pressure", "--limit", "3"]
        );
        assert_eq!(split("cite $HOME").unwrap(), ["cite", "$HOME"]);
        assert!(split("search 'unclosed").is_err());
        assert!(split(&"x".repeat(MAX_COMMAND_BYTES + 1)).is_err());
    }

    proptest::proptest! {
        #![proptest_config(crate::fuzz_cases(3000))]

        /// Any command line a client sends: split or refused, never a panic, and
        /// never more words than it has bytes.
        #[test]
        fn any_command_line_is_split_or_refused(line in "\\PC{0,200}|[ '\"\\\\a-z$`]{0,60}") {
            if let Ok(words) = split(&line) {
                proptest::prop_assert!(words.len() <= line.len());
            }
        }
    }
}
