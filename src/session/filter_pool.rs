//! Filtering off the sessions' threads. A small pool of workers takes the newest
//! request of each session; a request superseded before it starts is dropped, and
//! one superseded while it runs is abandoned between terms. One visitor's filter
//! therefore never waits behind another's stale ones, and the number of threads
//! matching at once stays bounded however many sessions there are.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};

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

struct Queue {
    jobs: Mutex<VecDeque<Job>>,
    ready: Condvar,
    /// The index to match with; replaced when a word index built in the
    /// background is ready.
    index: RwLock<Arc<SearchIndex>>,
    /// Requests that need words while the index has none: they are answered when
    /// it arrives, the newest of each session only.
    held: Mutex<Vec<Job>>,
}

pub struct FilterPool {
    queue: Arc<Queue>,
}

impl FilterPool {
    /// Starts `workers` threads over one shared index. Each keeps its own small
    /// cache of term matches, valid for every session since the index is shared.
    pub fn start(timeline: Arc<Timeline>, index: Arc<SearchIndex>, workers: usize) -> Self {
        let queue = Arc::new(Queue {
            jobs: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
            index: RwLock::new(Arc::clone(&index)),
            held: Mutex::new(Vec::new()),
        });
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
                    let current =
                        Arc::clone(&queue.index.read().unwrap_or_else(|e| e.into_inner()));
                    if !Arc::ptr_eq(&current, &matcher.index) {
                        matcher = Matcher::with_index(current);
                    }
                    if !matcher.index.has_words() && job.selection.query.needs_words() {
                        let mut held = queue.held.lock().unwrap_or_else(|e| e.into_inner());
                        held.retain(|j| !Arc::ptr_eq(&j.latest, &job.latest));
                        held.push(job);
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
    /// Matches with `index` from now on, and answers the requests that waited
    /// for its words.
    pub fn set_index(&self, index: Arc<SearchIndex>) {
        *self.queue.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        let held = std::mem::take(&mut *self.queue.held.lock().unwrap_or_else(|e| e.into_inner()));
        let mut jobs = self.queue.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.extend(held);
        self.queue.ready.notify_all();
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::load_builtin;
    use crate::query::parse::Query;
    use std::time::Duration;

    fn selection(q: &str) -> Selection {
        Selection {
            query: Query::parse(q),
            ..Selection::default()
        }
    }

    /// Before the word index is built, names and dates are answered at once, and a
    /// word waits for the index instead of matching nothing.
    #[test]
    fn words_wait_for_the_word_index_and_names_do_not() {
        let timeline = Arc::new(load_builtin().unwrap().timeline);
        let fields = Arc::new(SearchIndex::build_fields(&timeline));
        let pool = FilterPool::start(Arc::clone(&timeline), fields, 1);
        let (tx, rx) = std::sync::mpsc::channel();
        let client = pool.client(Mailbox::Thread(tx));
        let answer = |rx: &std::sync::mpsc::Receiver<Msg>, wait: u64| match rx
            .recv_timeout(Duration::from_millis(wait))
        {
            Ok(Msg::Filtered(generation, view)) => Some((generation, view.visible.len())),
            _ => None,
        };
        client.request(1, selection("actor:khatami"));
        let (generation, found) = answer(&rx, 5000).expect("a name is answered at once");
        assert_eq!(generation, 1);
        assert!(found > 0);
        client.request(2, selection("khatami"));
        assert_eq!(answer(&rx, 300), None, "a word was answered without words");
        client.set_index(Arc::new(SearchIndex::build(&timeline)));
        let (generation, found) = answer(&rx, 5000).expect("answered once the words are in");
        assert_eq!(generation, 2);
        assert!(found > 0);
    }
}
