//! How far loading has got, for whoever shows it: the explorer's loading screen,
//! a lookup's progress line on stderr. Loading happens once per process, so one
//! shared record serves; its counters are only ever read to be shown.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use super::date::thousands;

/// The steps of loading, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Reading,
    Parsing,
    Checking,
    Indexing,
    Done,
}

impl Phase {
    fn from_u8(n: u8) -> Phase {
        match n {
            1 => Phase::Reading,
            2 => Phase::Parsing,
            3 => Phase::Checking,
            4 => Phase::Indexing,
            5 => Phase::Done,
            _ => Phase::Starting,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Phase::Starting => "starting",
            Phase::Reading => "reading the file",
            Phase::Parsing => "parsing",
            Phase::Checking => "checking events and quotes",
            Phase::Indexing => "building the word index",
            Phase::Done => "ready",
        }
    }
}

pub struct LoadProgress {
    phase: AtomicU8,
    bytes_read: AtomicU64,
    bytes_total: AtomicU64,
    events_checked: AtomicU64,
    events_total: AtomicU64,
}

/// What a progress display shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub phase: Phase,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub events_checked: u64,
    pub events_total: u64,
}

pub static PROGRESS: LoadProgress = LoadProgress {
    phase: AtomicU8::new(0),
    bytes_read: AtomicU64::new(0),
    bytes_total: AtomicU64::new(0),
    events_checked: AtomicU64::new(0),
    events_total: AtomicU64::new(0),
};

impl LoadProgress {
    pub fn phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    pub fn reading(&self, total: u64) {
        self.bytes_total.store(total, Ordering::Relaxed);
        self.bytes_read.store(0, Ordering::Relaxed);
        self.events_checked.store(0, Ordering::Relaxed);
        self.phase(Phase::Reading);
    }

    pub fn read(&self, n: u64) {
        self.bytes_read.fetch_add(n, Ordering::Relaxed);
    }

    pub fn checking(&self, total: u64) {
        self.events_total.store(total, Ordering::Relaxed);
        self.events_checked.store(0, Ordering::Relaxed);
        self.phase(Phase::Checking);
    }

    pub fn checked(&self, n: u64) {
        self.events_checked.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            phase: Phase::from_u8(self.phase.load(Ordering::Relaxed)),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_total: self.bytes_total.load(Ordering::Relaxed),
            events_checked: self.events_checked.load(Ordering::Relaxed),
            events_total: self.events_total.load(Ordering::Relaxed),
        }
    }
}

impl Snapshot {
    /// One line for a person: "checking events and quotes: 120,000 of 500,000".
    pub fn line(&self) -> String {
        let mb = |n: u64| format!("{:.1} MB", n as f64 / 1e6);
        match self.phase {
            // A file read piece by piece is checked as it is read.
            Phase::Reading if self.bytes_total > 0 && self.events_checked > 0 => format!(
                "reading and checking: {} of {}, {} events checked",
                mb(self.bytes_read),
                mb(self.bytes_total),
                thousands(self.events_checked)
            ),
            Phase::Reading if self.bytes_total > 0 => format!(
                "{}: {} of {}",
                self.phase.describe(),
                mb(self.bytes_read),
                mb(self.bytes_total)
            ),
            Phase::Reading => format!("{}: {}", self.phase.describe(), mb(self.bytes_read)),
            Phase::Checking => format!(
                "{}: {} of {}",
                self.phase.describe(),
                thousands(self.events_checked),
                thousands(self.events_total)
            ),
            phase => phase.describe().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_reads_as_a_line() {
        let s = Snapshot {
            phase: Phase::Checking,
            bytes_read: 0,
            bytes_total: 0,
            events_checked: 120_000,
            events_total: 1_500_000,
        };
        assert_eq!(s.line(), "checking events and quotes: 120,000 of 1,500,000");
        let r = Snapshot {
            phase: Phase::Reading,
            bytes_read: 2_500_000,
            bytes_total: 405_000_000,
            events_checked: 0,
            ..s
        };
        assert_eq!(r.line(), "reading the file: 2.5 MB of 405.0 MB");
        let streamed = Snapshot {
            events_checked: 3_000,
            ..r
        };
        assert_eq!(
            streamed.line(),
            "reading and checking: 2.5 MB of 405.0 MB, 3,000 events checked"
        );
    }
}
