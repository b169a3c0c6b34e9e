//! Threads: rayon, and nothing else.
//!
//! Every parallel pass of numlab-core goes through the few functions here,
//! each a thin layer over rayon (`par_chunks_mut`, `into_par_iter`, `join`).
//! rayon's workers spin briefly, then sleep, and cannot deadlock (rayon-core's
//! `sleep/README.md` explains how); a panic in any task reaches the caller.
//!
//! Which pool runs the work:
//! - called from inside a rayon pool (a notebook, another library that
//!   parallelises with rayon), numlab works on that pool: no second set of
//!   threads;
//! - otherwise on rayon's global pool, which `NUMLAB_THREADS=N` sizes when
//!   numlab is the first to use it; if the program built the global pool
//!   itself with another size, numlab builds its own pool of N threads.
//!
//! Work is cut into chunks whose boundaries depend only on the problem size,
//! never on the number of threads or on which thread takes a chunk, so every
//! result is the same bit for bit on any machine and any `NUMLAB_THREADS`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use rayon::prelude::*;

/// The pool numlab runs on when called from outside any rayon pool.
enum Pool {
    /// rayon's global pool.
    Global,
    /// A pool of `NUMLAB_THREADS` threads, when the global one has another size.
    Own(rayon::ThreadPool),
}

/// `NUMLAB_THREADS` when set to a positive integer.
fn requested() -> Option<usize> {
    std::env::var("NUMLAB_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let Some(n) = requested() else {
            return Pool::Global;
        };
        if rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .is_ok()
        {
            return Pool::Global;
        }
        // The program built the global pool first: keep to it when it has
        // the size asked for, otherwise run numlab on a pool of that size.
        if rayon::current_thread_index().is_none() && rayon::current_num_threads() == n {
            return Pool::Global;
        }
        match rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("numlab-{i}"))
            .build()
        {
            Ok(p) => Pool::Own(p),
            Err(_) => Pool::Global,
        }
    })
}

/// Test hook: set to k > 0, the k-th chunk that a parallel pass hands to a
/// thread from then on panics (and the hook resets to 0). Lets a test prove
/// that a panic inside a kernel reaches its caller instead of hanging the
/// other threads. Costs one relaxed load per chunk when unset.
#[doc(hidden)]
pub static PANIC_AT_CHUNK: AtomicUsize = AtomicUsize::new(0);

#[inline]
fn test_hook() {
    if PANIC_AT_CHUNK.load(Ordering::Relaxed) != 0
        && PANIC_AT_CHUNK.fetch_update(Ordering::AcqRel, Ordering::Acquire, |k| k.checked_sub(1))
            == Ok(1)
    {
        panic!("numlab test hook: a worker panicked (threads::PANIC_AT_CHUNK)");
    }
}

/// Runs `f` on numlab's pool (see the module docs): in place when the caller
/// is already a rayon worker or numlab uses the global pool.
pub fn install<R, F>(f: F) -> R
where
    R: Send,
    F: FnOnce() -> R + Send,
{
    match pool() {
        Pool::Own(p) if rayon::current_thread_index().is_none() => p.install(f),
        _ => f(),
    }
}

/// Runs `f` on a worker thread of numlab's pool (in place when the caller is
/// one already). A computation made of several parallel passes, run this
/// way, hands work to the pool once instead of once per pass: from a thread
/// outside the pool each pass would be queued into it and waited for.
pub fn on_worker<R, F>(f: F) -> R
where
    R: Send,
    F: FnOnce() -> R + Send,
{
    install(|| {
        if rayon::current_thread_index().is_some() {
            f()
        } else {
            rayon::scope(|_| f())
        }
    })
}

/// The number of threads numlab's parallel passes run on.
pub fn num_threads() -> usize {
    install(rayon::current_num_threads)
}

/// Calls `f(start, chunk)` for consecutive chunks of `out` of length
/// `chunk_len` (the last may be shorter), in parallel. `start` is the index
/// of the chunk's first element in `out`.
pub fn for_each_chunk<T, F>(out: &mut [T], chunk_len: usize, f: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync + Send,
{
    let chunk_len = chunk_len.max(1);
    install(|| {
        out.par_chunks_mut(chunk_len)
            .enumerate()
            .for_each(|(c, chunk)| {
                test_hook();
                f(c * chunk_len, chunk)
            });
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
    F: Fn(usize, &mut [T], &mut [U]) + Sync + Send,
{
    let chunk_len = chunk_len.max(1);
    let n_chunks = a.len().max(b.len()).div_ceil(chunk_len);
    let mut ai = a.chunks_mut(chunk_len);
    let mut bi = b.chunks_mut(chunk_len);
    let pairs: Vec<(usize, &mut [T], &mut [U])> = (0..n_chunks)
        .map(|c| {
            (
                c * chunk_len,
                ai.next().unwrap_or_default(),
                bi.next().unwrap_or_default(),
            )
        })
        .collect();
    install(|| {
        pairs.into_par_iter().for_each(|(start, x, y)| {
            test_hook();
            f(start, x, y)
        });
    });
}

/// Calls `f` on every item of `items`, in parallel (one task per item).
pub fn for_each_item<T, F>(items: &mut [T], f: F)
where
    T: Send,
    F: Fn(&mut T) + Sync + Send,
{
    install(|| {
        items.par_iter_mut().for_each(|item| {
            test_hook();
            f(item)
        });
    });
}

/// `[f(0), f(1), ..., f(n - 1)]`, computed in parallel.
pub fn map<T, F>(n: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| {
                test_hook();
                f(i)
            })
            .collect()
    })
}

/// Runs `fa` and `fb`, potentially in parallel (`rayon::join`), and returns
/// both results. A panic in either is passed on to the caller.
pub fn join<A, B, FA, FB>(fa: FA, fb: FB) -> (A, B)
where
    A: Send,
    B: Send,
    FA: FnOnce() -> A + Send,
    FB: FnOnce() -> B + Send,
{
    install(|| rayon::join(fa, fb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chunk_once_with_its_start() {
        for (n, len) in [(0usize, 3usize), (1, 1), (10, 3), (1000, 7), (4096, 4096)] {
            let mut out = vec![0.0; n];
            for_each_chunk(&mut out, len, |start, chunk| {
                for (k, v) in chunk.iter_mut().enumerate() {
                    *v += (start + k) as f64;
                }
            });
            assert!(
                out.iter().enumerate().all(|(i, &v)| v == i as f64),
                "{n} {len}"
            );
        }
    }

    #[test]
    fn chunk_pairs_cover_the_longer_slice() {
        let mut a = vec![0usize; 10];
        let mut b = vec![0usize; 4];
        for_each_chunk_pair(&mut a, &mut b, 3, |start, x, y| {
            for (k, v) in x.iter_mut().enumerate() {
                *v = start + k;
            }
            for (k, v) in y.iter_mut().enumerate() {
                *v = 100 + start + k;
            }
        });
        assert_eq!(a, (0..10).collect::<Vec<_>>());
        assert_eq!(b, [100, 101, 102, 103]);
    }

    #[test]
    fn join_and_map_give_every_result_in_order() {
        let (a, b) = join(|| join(|| 1, || 2), || map(5, |i| i * i));
        assert_eq!(a, (1, 2));
        assert_eq!(b, [0, 1, 4, 9, 16]);
        assert!(num_threads() >= 1);
    }

    #[test]
    fn a_panic_in_any_task_reaches_the_caller() {
        let r = std::panic::catch_unwind(|| {
            let mut out = vec![0.0; 1000];
            for_each_chunk(&mut out, 10, |start, _| {
                if start == 500 {
                    panic!("chunk at 500");
                }
            });
        });
        assert!(r.is_err());
        assert!(std::panic::catch_unwind(|| join(|| 1, || -> i32 { panic!("b") })).is_err());
        assert!(
            std::panic::catch_unwind(|| map(8, |i| if i == 7 { panic!("7") } else { i })).is_err()
        );
    }
}
