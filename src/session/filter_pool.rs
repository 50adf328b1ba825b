//! Filtering off the sessions' threads. A small pool of workers takes the newest
//! request of each session; a request superseded before it starts is dropped, and
//! one superseded while it runs is abandoned between terms. One visitor's filter
//! therefore never waits behind another's stale ones, and the number of threads
//! matching at once stays bounded however many sessions there are.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use super::run_loop::{Mailbox, Msg};
use crate::data::model::Timeline;
use crate::explorer::app::{YearBuckets, filter_view};
use crate::query::index::SearchIndex;
use crate::query::matcher::{Matcher, Selection};

struct Job {
    generation: u64,
    selection: Selection,
    /// The session's newest generation: a job that is not it is stale.
    latest: Arc<AtomicU64>,
    reply: Mailbox,
}

#[derive(Default)]
struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    ready: Condvar,
}

pub struct FilterPool {
    queue: Arc<Queue>,
}

impl FilterPool {
    /// Starts `workers` threads over one shared index. Each keeps its own small
    /// cache of term matches, valid for every session since the index is shared.
    pub fn start(timeline: Arc<Timeline>, index: Arc<SearchIndex>, workers: usize) -> Self {
        let queue = Arc::new(Queue::default());
        let buckets = YearBuckets::of_timeline(&timeline);
        for n in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            let timeline = Arc::clone(&timeline);
            let mut matcher = Matcher::with_index(Arc::clone(&index));
            let work = move || {
                loop {
                    let job = {
                        let mut jobs = queue.jobs.lock().unwrap_or_else(|e| e.into_inner());
                        loop {
                            if let Some(job) = jobs.pop_front() {
                                break job;
                            }
                            jobs = queue.ready.wait(jobs).unwrap_or_else(|e| e.into_inner());
                        }
                    };
                    let stale = || job.latest.load(Ordering::SeqCst) != job.generation;
                    if stale() {
                        continue;
                    }
                    let view = filter_view(&mut matcher, &timeline, &job.selection, buckets, stale);
                    if let Some(view) = view.filter(|_| !stale()) {
                        job.reply.send(Msg::Filtered(job.generation, view));
                    }
                }
            };
            std::thread::Builder::new()
                .name(format!("filter-{n}"))
                .spawn(work)
                .expect("a filter thread starts");
        }
        FilterPool { queue }
    }

    /// A handle for one session, whose answers come back through `reply`.
    pub fn client(&self, reply: Mailbox) -> FilterClient {
        FilterClient {
            queue: Arc::clone(&self.queue),
            latest: Arc::new(AtomicU64::new(0)),
            reply,
        }
    }
}

/// One session's way to the pool.
pub struct FilterClient {
    queue: Arc<Queue>,
    latest: Arc<AtomicU64>,
    reply: Mailbox,
}

impl FilterClient {
    /// Asks for a filter; any older request of this session still queued is
    /// replaced, so the queue holds at most one request per session.
    pub fn request(&self, generation: u64, selection: Selection) {
        self.latest.store(generation, Ordering::SeqCst);
        let mut jobs = self.queue.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.retain(|j| !Arc::ptr_eq(&j.latest, &self.latest));
        jobs.push_back(Job {
            generation,
            selection,
            latest: Arc::clone(&self.latest),
            reply: self.reply.clone(),
        });
        self.queue.ready.notify_one();
    }
}

impl Drop for FilterClient {
    /// A session that ends abandons what it asked for.
    fn drop(&mut self) {
        self.latest.store(u64::MAX, Ordering::SeqCst);
        let mut jobs = self.queue.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.retain(|j| !Arc::ptr_eq(&j.latest, &self.latest));
    }
}
