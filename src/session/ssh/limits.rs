//! The server's limits on connections and sessions, counted with guards that give
//! their place back when dropped, whichever way a connection or session ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::layout::Size;

/// Every limit the server keeps, each set by a flag of `annals serve`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Sessions (channels running the explorer or a lookup) in all.
    pub max_sessions: usize,
    /// Sessions from one client address.
    pub max_per_address: usize,
    /// Connections still in the handshake or authentication.
    pub max_startups: usize,
    /// Time to finish the handshake and authentication.
    pub login_grace_time: Duration,
    /// Time without input from the visitor before a session ends.
    pub idle_timeout: Duration,
    /// Longest a session may last.
    pub max_session_time: Duration,
    /// Input a session holds before acting on it, in bytes: past it, more is
    /// dropped rather than queued.
    pub max_pending_input: usize,
    /// Output held for a visitor who stops reading, beyond the frame on its way,
    /// in bytes: past it, that output is dropped and the screen repainted whole
    /// once they read again.
    pub max_waiting_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sessions: 64,
            max_per_address: 8,
            max_startups: 16,
            login_grace_time: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(15 * 60),
            max_session_time: Duration::from_secs(2 * 60 * 60),
            max_pending_input: DEFAULT_MAX_PENDING_INPUT,
            max_waiting_output: DEFAULT_MAX_WAITING_OUTPUT,
        }
    }
}

/// `--max-pending-input`: a flood past this is dropped rather than queued.
pub const DEFAULT_MAX_PENDING_INPUT: usize = 1 << 20;

/// `--max-waiting-output`: enough for many clipboard copies made while the
/// visitor's window is full.
pub const DEFAULT_MAX_WAITING_OUTPUT: usize = 64 * 1024;

/// The least either byte limit may be set to: a pasted line, or a copied
/// citation, must fit.
pub const MIN_BYTE_LIMIT: u64 = 4096;

/// The largest terminal a visitor may claim. Every cell costs memory in each of
/// a session's screen buffers, and a client can claim 65535x65535.
pub const MAX_COLUMNS: u16 = 400;
pub const MAX_ROWS: u16 = 200;

/// A size a client claims, brought within what the server draws.
pub fn clamp_size(cols: u32, rows: u32) -> Size {
    Size {
        width: cols.clamp(1, MAX_COLUMNS as u32) as u16,
        height: rows.clamp(1, MAX_ROWS as u32) as u16,
    }
}

/// Connections not yet authenticated.
#[derive(Debug, Default)]
pub struct Startups {
    count: AtomicUsize,
}

impl Startups {
    /// A place for a new connection, unless `max` are already starting.
    pub fn try_enter(self: &Arc<Self>, max: usize) -> Option<StartupGuard> {
        let taken = self
            .count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .is_ok();
        taken.then(|| StartupGuard {
            startups: Arc::clone(self),
            left: AtomicBool::new(false),
        })
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// Held while a connection is starting; `leave` (on authentication) or dropping
/// it frees the place, once.
#[derive(Debug)]
pub struct StartupGuard {
    startups: Arc<Startups>,
    left: AtomicBool,
}

impl StartupGuard {
    pub fn leave(&self) {
        if !self.left.swap(true, Ordering::SeqCst) {
            self.startups.count.fetch_sub(1, Ordering::SeqCst);
        }
    }

    pub fn has_left(&self) -> bool {
        self.left.load(Ordering::SeqCst)
    }
}

impl Drop for StartupGuard {
    fn drop(&mut self) {
        self.leave();
    }
}

/// Sessions running, in all and per client address.
#[derive(Debug, Default)]
pub struct Sessions {
    by_address: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// Why a session was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Full {
    Server(usize),
    Address(usize),
}

impl std::fmt::Display for Full {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Full::Server(n) => write!(f, "server full: {n} sessions are running; try again later"),
            Full::Address(n) => write!(
                f,
                "server full: {n} sessions are running from your address; close one and try again"
            ),
        }
    }
}

impl Sessions {
    pub fn try_start(
        self: &Arc<Self>,
        address: IpAddr,
        limits: &Limits,
    ) -> Result<SessionGuard, Full> {
        let mut guard = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
        let (total, by_address) = &mut *guard;
        if *total >= limits.max_sessions {
            return Err(Full::Server(*total));
        }
        let mine = by_address.entry(address).or_insert(0);
        if *mine >= limits.max_per_address {
            return Err(Full::Address(*mine));
        }
        *mine += 1;
        *total += 1;
        Ok(SessionGuard {
            sessions: Arc::clone(self),
            address,
        })
    }

    pub fn running(&self) -> usize {
        self.by_address.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}

/// Held while a session runs.
#[derive(Debug)]
pub struct SessionGuard {
    sessions: Arc<Sessions>,
    address: IpAddr,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        let mut guard = self
            .sessions
            .by_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (total, by_address) = &mut *guard;
        *total -= 1;
        if let Some(n) = by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_capped_in_all_and_per_address_and_freed_on_drop() {
        let limits = Limits {
            max_sessions: 3,
            max_per_address: 2,
            ..Limits::default()
        };
        let sessions = Arc::new(Sessions::default());
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let first = sessions.try_start(a, &limits).unwrap();
        let _second = sessions.try_start(a, &limits).unwrap();
        assert_eq!(
            sessions.try_start(a, &limits).unwrap_err(),
            Full::Address(2)
        );
        let _third = sessions.try_start(b, &limits).unwrap();
        assert_eq!(sessions.try_start(b, &limits).unwrap_err(), Full::Server(3));
        drop(first);
        assert_eq!(sessions.running(), 2);
        assert!(sessions.try_start(a, &limits).is_ok());
    }

    #[test]
    fn startups_are_capped_and_a_place_is_given_back_once() {
        let startups = Arc::new(Startups::default());
        let one = startups.try_enter(2).unwrap();
        let two = startups.try_enter(2).unwrap();
        assert!(startups.try_enter(2).is_none());
        one.leave();
        one.leave();
        drop(one);
        assert_eq!(startups.count(), 1);
        drop(two);
        assert_eq!(startups.count(), 0);
    }

    #[test]
    fn a_claimed_size_is_clamped() {
        assert_eq!(clamp_size(65535, 65535), Size::new(MAX_COLUMNS, MAX_ROWS));
        assert_eq!(clamp_size(0, 0), Size::new(1, 1));
        assert_eq!(clamp_size(120, 40), Size::new(120, 40));
    }

    proptest::proptest! {
        #![proptest_config(crate::fuzz_cases(2000))]

        /// Whatever size a pty request or window-change claims, what is drawn is
        /// at least 1x1 and at most the limit.
        #[test]
        fn any_claimed_size_is_drawable(cols in proptest::prelude::any::<u32>(), rows in proptest::prelude::any::<u32>()) {
            let size = clamp_size(cols, rows);
            proptest::prop_assert!((1..=MAX_COLUMNS).contains(&size.width));
            proptest::prop_assert!((1..=MAX_ROWS).contains(&size.height));
        }
    }
}
