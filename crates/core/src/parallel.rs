//! Splitting work across the machine's cores with scoped threads.
//!
//! Work is cut into chunks whose boundaries depend only on the problem size,
//! never on the number of threads, so every result is the same bit for bit
//! whatever machine runs it.

use std::sync::OnceLock;

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
/// there is only one chunk or one thread.
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
    // Contiguous runs of chunks per thread keep each thread's memory local.
    let per_thread = n_chunks.div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        for (t, run) in out.chunks_mut(per_thread * chunk_len).enumerate() {
            scope.spawn(move || {
                let base = t * per_thread * chunk_len;
                for (c, chunk) in run.chunks_mut(chunk_len).enumerate() {
                    f(base + c * chunk_len, chunk);
                }
            });
        }
    });
}
