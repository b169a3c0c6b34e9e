//! Splitting work across the machine's cores with scoped threads.
//!
//! Work is cut into chunks whose boundaries depend only on the problem size,
//! never on the number of threads, so every result is the same bit for bit
//! whatever machine runs it. Threads take the next chunk when they finish one,
//! so a core slowed by other work takes fewer chunks; which thread computes a
//! chunk never changes its result.

use std::sync::{Mutex, OnceLock};

/// The number of worker threads: `NUMLAB_THREADS` if set to a positive
/// integer, otherwise the machine's available parallelism.
pub fn num_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("NUMLAB_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// Calls `f(start, chunk)` for consecutive chunks of `out` of length `chunk_len`
/// (the last may be shorter), spread over the worker threads. `start` is the
/// index of the chunk's first element in `out`. Runs on the calling thread when
/// there is only one chunk or one thread; otherwise the calling thread works
/// too, alongside `threads - 1` scoped threads.
pub fn for_each_chunk<F>(out: &mut [f64], chunk_len: usize, f: F)
where
    F: Fn(usize, &mut [f64]) + Sync,
{
    let chunk_len = chunk_len.max(1);
    let n_chunks = out.len().div_ceil(chunk_len);
    let threads = num_threads().min(n_chunks);
    if threads <= 1 {
        for (c, chunk) in out.chunks_mut(chunk_len).enumerate() {
            f(c * chunk_len, chunk);
        }
        return;
    }
    // Chunks are handed out in order, one at a time; each is `&mut` to one
    // part of `out`, so no two threads ever share an element.
    let queue = Mutex::new(out.chunks_mut(chunk_len).enumerate());
    let work = || loop {
        // `f` runs outside the lock, so the lock cannot be poisoned by it;
        // take the queue back in any case.
        let next = match queue.lock() {
            Ok(mut q) => q.next(),
            Err(poisoned) => poisoned.into_inner().next(),
        };
        let Some((c, chunk)) = next else { break };
        f(c * chunk_len, chunk);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
}

/// [`for_each_chunk`] over two slices at once: `f(start, a_chunk, b_chunk)`
/// gets the chunks of `a` and `b` that start at the same index. The chunks of
/// the shorter slice run out first; the longer's remaining chunks come with
/// an empty partner.
pub fn for_each_chunk_pair<T, U, F>(a: &mut [T], b: &mut [U], chunk_len: usize, f: F)
where
    T: Send,
    U: Send,
    F: Fn(usize, &mut [T], &mut [U]) + Sync,
{
    let chunk_len = chunk_len.max(1);
    let n_chunks = a.len().max(b.len()).div_ceil(chunk_len);
    let threads = num_threads().min(n_chunks);
    let mut pairs: Vec<(usize, &mut [T], &mut [U])> = Vec::with_capacity(n_chunks);
    let mut ai = a.chunks_mut(chunk_len);
    let mut bi = b.chunks_mut(chunk_len);
    for c in 0..n_chunks {
        pairs.push((
            c * chunk_len,
            ai.next().unwrap_or_default(),
            bi.next().unwrap_or_default(),
        ));
    }
    if threads <= 1 {
        for (start, x, y) in pairs {
            f(start, x, y);
        }
        return;
    }
    let queue = Mutex::new(pairs.into_iter());
    let work = || loop {
        let next = match queue.lock() {
            Ok(mut q) => q.next(),
            Err(poisoned) => poisoned.into_inner().next(),
        };
        let Some((start, x, y)) = next else { break };
        f(start, x, y);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
}

/// Runs `fa` and `fb`, on two threads when more than one is allowed, and
/// returns both results. Which thread runs which closure never changes what
/// they compute. A panic in either is passed on to the caller.
pub fn join<A, B, FA, FB>(fa: FA, fb: FB) -> (A, B)
where
    A: Send,
    B: Send,
    FA: FnOnce() -> A + Send,
    FB: FnOnce() -> B + Send,
{
    if num_threads() < 2 {
        return (fa(), fb());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(fb);
        let a = fa();
        match handle.join() {
            Ok(b) => (a, b),
            Err(payload) => std::panic::resume_unwind(payload),
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_chunk_once_with_its_start() {
        for (n, len) in [(0, 3), (1, 3), (10, 3), (1000, 7), (64, 64), (65, 64)] {
            let mut out = vec![-1.0; n];
            super::for_each_chunk(&mut out, len, |start, part| {
                assert!(part.len() <= len && (part.len() == len || start + part.len() == n));
                for (k, v) in part.iter_mut().enumerate() {
                    assert_eq!(*v, -1.0);
                    *v = (start + k) as f64;
                }
            });
            assert!(out.iter().enumerate().all(|(i, &v)| v == i as f64));
        }
    }
}
