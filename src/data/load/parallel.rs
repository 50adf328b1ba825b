//! Work on every core while this thread reads: items go out in batches as they
//! are read, and the results come back in the order of the file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

/// Bytes of items per batch: enough to keep a core busy, few enough that the
/// batches in flight stay a few megabytes.
const BATCH_BYTES: usize = 256 << 10;
const BATCH_ITEMS: usize = 1024;

/// Runs `work` on batches of the items `next` gives (each with its size in
/// bytes), on every core. `work` gets the index of its batch's first item, and
/// gives `None` to stop everything. The results come in order; `Ok(None)` if
/// `work` stopped, `Err` if `next` failed.
pub(crate) fn in_batches<I: Send, O: Send, E>(
    mut next: impl FnMut() -> Result<Option<(I, usize)>, E>,
    work: impl Fn(usize, Vec<I>) -> Option<O> + Sync,
) -> Result<Option<Vec<O>>, E> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<I>)>(workers);
    let receiver = Mutex::new(receiver);
    let done = Mutex::new(Vec::new());
    let stopped = AtomicBool::new(false);
    let read = std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let job = receiver.lock().expect("no worker panics").recv();
                    let Ok((first, items)) = job else { break };
                    if stopped.load(Ordering::Relaxed) {
                        continue;
                    }
                    match work(first, items) {
                        Some(out) => done.lock().expect("no worker panics").push((first, out)),
                        None => stopped.store(true, Ordering::Relaxed),
                    }
                }
            });
        }
        let mut batch = Vec::new();
        let (mut bytes, mut count, mut first) = (0usize, 0, 0);
        let read = loop {
            if stopped.load(Ordering::Relaxed) {
                break Ok(());
            }
            match next() {
                Err(e) => break Err(e),
                Ok(None) => break Ok(()),
                Ok(Some((item, size))) => {
                    batch.push(item);
                    bytes = bytes.saturating_add(size);
                    count += 1;
                    if bytes >= BATCH_BYTES || batch.len() >= BATCH_ITEMS {
                        let full = std::mem::take(&mut batch);
                        let _ = sender.send((first, full));
                        first = count;
                        bytes = 0;
                    }
                }
            }
        };
        if read.is_ok() && !batch.is_empty() {
            let _ = sender.send((first, batch));
        }
        drop(sender);
        read
    });
    read?;
    if stopped.load(Ordering::Relaxed) {
        return Ok(None);
    }
    let mut done = done.into_inner().expect("no worker panics");
    done.sort_unstable_by_key(|(first, _)| *first);
    Ok(Some(done.into_iter().map(|(_, out)| out).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order() {
        let mut n = 0;
        let out = in_batches(
            || {
                n += 1;
                Ok::<_, ()>((n <= 5000).then_some((n, 100)))
            },
            |first, items: Vec<i32>| Some((first, items)),
        )
        .unwrap()
        .unwrap();
        let all: Vec<i32> = out.iter().flat_map(|(_, v)| v.clone()).collect();
        assert_eq!(all, (1..=5000).collect::<Vec<_>>());
        let mut expected_first = 0;
        for (first, items) in &out {
            assert_eq!(*first, expected_first);
            expected_first += items.len();
        }
    }

    #[test]
    fn work_or_reading_can_stop_it() {
        let mut n = 0;
        let stopped = in_batches(
            || {
                n += 1;
                Ok::<_, ()>((n <= 5000).then_some((n, 100)))
            },
            |first, _: Vec<i32>| (first < 2000).then_some(()),
        );
        assert_eq!(stopped, Ok(None));
        let mut n = 0;
        let failed = in_batches(
            || {
                n += 1;
                if n > 3000 {
                    Err("bad")
                } else {
                    Ok(Some((n, 1)))
                }
            },
            |_, _: Vec<i32>| Some(()),
        );
        assert_eq!(failed, Err("bad"));
    }
}
