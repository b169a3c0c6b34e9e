//! Splitting work across the machine's cores.
//!
//! The helpers are persistent worker threads (`num_threads() - 1` of them,
//! started on first use), not threads spawned per call: starting a thread
//! costs about 50 µs on a small virtual machine, as much as a whole pass over
//! a million values. A worker that has just finished a task spins for
//! 100 µs, then keeps looking for a millisecond while yielding the CPU to
//! any other thread that wants it, and then sleeps, so the next parallel pass
//! of the same computation starts within microseconds. The calling thread always works
//! too, and it never waits for a helper that has not started: when the
//! helpers are asleep or busy (a parallel call made from inside another, or
//! from several threads at once) the caller simply does all the work itself.
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
    pool::with_helpers(&work, work);
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
    pool::with_helpers(&work, work);
}

/// `[f(0), f(1), ..., f(n - 1)]`, computed on the worker threads (each index
/// once, handed out in order as threads come free). Which thread computes an
/// index never changes its value.
pub fn map<T, F>(n: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    if n <= 1 || num_threads() < 2 {
        return (0..n).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if i >= n {
            break;
        }
        let v = f(i);
        match slots[i].lock() {
            Ok(mut slot) => *slot = Some(v),
            Err(poisoned) => *poisoned.into_inner() = Some(v),
        }
    };
    pool::with_helpers(&work, work);
    // Every index was taken, and every taker has finished: all slots hold
    // their value.
    slots
        .into_iter()
        .filter_map(|m| match m.into_inner() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        })
        .collect()
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
    // Whoever gets to `fb` first runs it: a helper, or this thread once `fa`
    // is done (so a helper that is slow to wake never holds the call up).
    let fb = Mutex::new(Some(fb));
    let b = Mutex::new(None);
    let run_b = || {
        let taken = match fb.lock() {
            Ok(mut f) => f.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(f) = taken {
            let v = f();
            match b.lock() {
                Ok(mut slot) => *slot = Some(v),
                Err(poisoned) => *poisoned.into_inner() = Some(v),
            }
        }
    };
    let a = pool::with_helpers(&run_b, || {
        let a = fa();
        run_b();
        a
    });
    let b = match b.into_inner() {
        Ok(v) => v,
        Err(poisoned) => poisoned.into_inner(),
    };
    match b {
        Some(b) => (a, b),
        // `fb` ran (it was taken) but left no result: it panicked, and
        // `with_helpers` has already passed the panic on. Not reachable.
        None => unreachable!("parallel::join: the second closure neither ran nor panicked"),
    }
}

mod pool {
    //! One task at a time, broadcast to the helpers; the caller works too and
    //! waits only for helpers that actually joined in.
    //!
    //! `state` packs the task's number (epoch, high 32 bits), a "closed" bit
    //! and the count of helpers running it. A helper joins a task by raising
    //! the count, which it can only do while the task is open; the caller
    //! closes the task when its own share is done and then waits for the
    //! count to fall to zero. After that no helper can reach the task, so it
    //! may live on the caller's stack.

    use std::any::Any;
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
    use std::time::{Duration, Instant};

    type Task = &'static (dyn Fn() + Sync);

    const EPOCH: u64 = 1 << 32;
    const CLOSED: u64 = 1 << 31;
    const RUNNING: u64 = CLOSED - 1;
    /// How long an idle helper spins on the CPU,
    const SPIN: Duration = Duration::from_micros(100);
    /// and then keeps looking while yielding the CPU to any other thread
    /// that wants it (other threads of the program must not wait for an
    /// idle helper), before it sleeps.
    const YIELD: Duration = Duration::from_millis(1);

    struct Pool {
        helpers: AtomicUsize,
        state: AtomicU64,
        task: AtomicPtr<Task>,
        busy: AtomicBool,
        sleepers: AtomicUsize,
        lock: Mutex<()>,
        wake: Condvar,
        panic: Mutex<Option<Box<dyn Any + Send>>>,
    }

    fn pool() -> &'static Pool {
        static POOL: OnceLock<&'static Pool> = OnceLock::new();
        POOL.get_or_init(|| {
            let pool: &'static Pool = Box::leak(Box::new(Pool {
                helpers: AtomicUsize::new(0),
                // Closed: nothing to join before the first task.
                state: AtomicU64::new(CLOSED),
                task: AtomicPtr::new(std::ptr::null_mut()),
                busy: AtomicBool::new(false),
                sleepers: AtomicUsize::new(0),
                lock: Mutex::new(()),
                wake: Condvar::new(),
                panic: Mutex::new(None),
            }));
            let mut started = 0;
            for i in 1..super::num_threads() {
                let spawned = std::thread::Builder::new()
                    .name(format!("numlab-{i}"))
                    .spawn(move || helper(pool));
                if spawned.is_err() {
                    break;
                }
                started += 1;
            }
            pool.helpers.store(started, Ordering::Relaxed);
            pool
        })
    }

    fn helper(pool: &'static Pool) {
        let mut seen = 0u64;
        let mut idle_since = Instant::now();
        let mut spins = 0u32;
        loop {
            let s = pool.state.load(Ordering::Acquire);
            if s / EPOCH != seen {
                seen = s / EPOCH;
                if join_task(pool, s, seen) {
                    // SAFETY: the task is open and counts this helper, so the
                    // caller keeps it alive until the count is lowered below.
                    let task: Task = unsafe { *pool.task.load(Ordering::Acquire) };
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(task)) {
                        *pool.panic.lock().unwrap_or_else(PoisonError::into_inner) = Some(payload);
                    }
                    pool.state.fetch_sub(1, Ordering::Release);
                }
                idle_since = Instant::now();
                spins = 0;
                continue;
            }
            spins = spins.wrapping_add(1);
            if !spins.is_multiple_of(64) {
                std::hint::spin_loop();
                continue;
            }
            let idle = idle_since.elapsed();
            if idle < SPIN {
                std::hint::spin_loop();
                continue;
            }
            if idle < YIELD {
                std::thread::yield_now();
                continue;
            }
            let mut guard = pool.lock.lock().unwrap_or_else(PoisonError::into_inner);
            pool.sleepers.fetch_add(1, Ordering::SeqCst);
            while pool.state.load(Ordering::SeqCst) / EPOCH == seen {
                guard = pool
                    .wake
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            pool.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Counts this helper into task `epoch` if it is still open.
    fn join_task(pool: &Pool, mut s: u64, epoch: u64) -> bool {
        loop {
            if s / EPOCH != epoch || s & CLOSED != 0 {
                return false;
            }
            match pool
                .state
                .compare_exchange_weak(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => return true,
                Err(now) => s = now,
            }
        }
    }

    /// Closes the task and waits for the helpers in it: by `finish`, or
    /// when the caller's own share unwinds, on drop.
    struct Close<'p> {
        pool: &'p Pool,
        done: bool,
    }

    impl Close<'_> {
        /// Waits for the helpers, hands the pool back and returns a helper's
        /// panic, if any.
        fn finish(&mut self) -> Option<Box<dyn Any + Send>> {
            self.done = true;
            let pool = self.pool;
            pool.state.fetch_or(CLOSED, Ordering::AcqRel);
            let mut spins = 0u32;
            while pool.state.load(Ordering::Acquire) & RUNNING != 0 {
                spins = spins.wrapping_add(1);
                if spins < 1 << 16 {
                    std::hint::spin_loop();
                } else {
                    std::thread::yield_now();
                }
            }
            pool.task.store(std::ptr::null_mut(), Ordering::Relaxed);
            let panicked = pool
                .panic
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            pool.busy.store(false, Ordering::Release);
            panicked
        }
    }

    impl Drop for Close<'_> {
        fn drop(&mut self) {
            if !self.done {
                // Unwinding already: a helper's panic is dropped.
                let _ = self.finish();
            }
        }
    }

    /// Offers `task` to the helpers and runs `own` on this thread; returns
    /// when `own` is done and every helper that took up `task` has finished
    /// it. `task` runs on zero or more helpers, so it must share out its
    /// work itself (and leave nothing for them to do once `own` returns).
    /// When the pool is in use or has no helpers, only `own` runs.
    pub(super) fn with_helpers<R>(task: &(dyn Fn() + Sync), own: impl FnOnce() -> R) -> R {
        let pool = pool();
        if pool.helpers.load(Ordering::Relaxed) == 0 || pool.busy.swap(true, Ordering::Acquire) {
            return own();
        }
        // SAFETY: `Close` below keeps this frame (and so `task`) alive until
        // no helper can reach it any more; the lifetime is only erased for
        // the trip through the atomic pointer.
        let erased: Task = unsafe { std::mem::transmute::<&(dyn Fn() + Sync), Task>(task) };
        pool.task
            .store(&erased as *const Task as *mut Task, Ordering::Relaxed);
        let epoch = pool.state.load(Ordering::Relaxed) / EPOCH + 1;
        pool.state.store((epoch % EPOCH) * EPOCH, Ordering::SeqCst);
        if pool.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = pool.lock.lock().unwrap_or_else(PoisonError::into_inner);
            pool.wake.notify_all();
        }
        let mut close = Close { pool, done: false };
        let result = own();
        if let Some(payload) = close.finish() {
            resume_unwind(payload);
        }
        result
    }
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

    #[test]
    fn join_returns_both_results_and_nests() {
        for _ in 0..200 {
            let (a, (b, c)) = super::join(
                || (0..1000u64).sum::<u64>(),
                || super::join(|| 7u64, || (1..=10u64).product::<u64>()),
            );
            assert_eq!((a, b, c), (499_500, 7, 3_628_800));
        }
    }

    #[test]
    fn callers_on_many_threads_each_get_every_chunk() {
        // Several threads use the pool at once: one gets the helpers, the
        // others run alone; every call still does all of its own work.
        std::thread::scope(|scope| {
            for t in 0..4 {
                scope.spawn(move || {
                    for round in 0..50 {
                        let mut out = vec![0.0; 10_000 + t * 100 + round];
                        super::for_each_chunk(&mut out, 512, |start, part| {
                            for (k, v) in part.iter_mut().enumerate() {
                                *v = (start + k) as f64 * 2.0;
                            }
                        });
                        assert!(out.iter().enumerate().all(|(i, &v)| v == 2.0 * i as f64));
                    }
                });
            }
        });
    }

    #[test]
    fn a_panic_in_either_closure_reaches_the_caller() {
        for first in [true, false] {
            let caught = std::panic::catch_unwind(|| {
                super::join(
                    || {
                        if first {
                            panic!("first");
                        }
                        1
                    },
                    || {
                        if !first {
                            panic!("second");
                        }
                        2
                    },
                )
            });
            assert!(caught.is_err());
            // The pool is free again afterwards.
            assert_eq!(super::join(|| 3, || 4), (3, 4));
        }
    }

    #[test]
    fn map_gives_every_index_in_order() {
        for n in [0usize, 1, 2, 3, 17, 1000] {
            let v = super::map(n, |i| i * i);
            assert_eq!(v, (0..n).map(|i| i * i).collect::<Vec<_>>());
        }
        // Nested inside another parallel call: runs on the caller alone.
        let (a, b) = super::join(|| super::map(5, |i| i + 1), || super::map(3, |i| 2 * i));
        assert_eq!((a, b), (vec![1, 2, 3, 4, 5], vec![0, 2, 4]));
    }
}
