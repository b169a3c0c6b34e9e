//! Working memory: zeroed output buffers and a small bounded pool of
//! scratch buffers.
//!
//! A large `vec![0.0; n]` comes straight from the kernel (glibc maps anything
//! above 32 MiB afresh on every call, and gives smaller freed blocks back
//! when they pile up at the top of the heap), and the first write to each
//! 4 KiB page then takes a page fault: 20,000 of them for 1e7 samples, which
//! cost more system time than the smoothing itself. [`zeroed`] asks the
//! kernel, on Linux, to back such outputs with transparent huge pages
//! (`madvise(MADV_HUGEPAGE)`, honoured when
//! `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`):
//! one fault per 2 MiB. Measured on 2026-12-04 (README, "Huge pages"),
//! interleaved runs of the same build with and without the advice:
//! smooth-uniform-1e7-s100 46-66 ms against 98-105 ms, amplitude-spectrum-1e6
//! 13-17 ms against 20-21 ms, and no stall. Only the pages' backing changes,
//! never the values. The correlation's long output is not advised: there the
//! kernel compacted memory at fault time and stalled a 1e7-sample run at
//! 372 ms.
//!
//! Large working buffers that are worth keeping between calls belong to an
//! object the caller holds (for example [`crate::xcorr::Correlator`]); the
//! pool below keeps at most 64 MiB in all once a call has returned.

/// Buffers at least this large (bytes) are advised; smaller ones are usually
/// recycled by the allocator and already resident.
#[cfg(target_os = "linux")]
const HUGE_MIN_BYTES: usize = 2 << 20;

/// A zero-filled vector of `n` values, backed by huge pages where the system
/// offers them (see the module docs).
pub(crate) fn zeroed(n: usize) -> Vec<f64> {
    let v = vec![0.0f64; n];
    #[cfg(target_os = "linux")]
    advise_huge(&v);
    v
}

/// [`zeroed`] for complex values (spectra).
pub(crate) fn zeroed_complex(n: usize) -> Vec<rustfft::num_complex::Complex64> {
    let v = vec![rustfft::num_complex::Complex64::new(0.0, 0.0); n];
    #[cfg(target_os = "linux")]
    advise_huge(&v);
    v
}

/// [`zeroed`] for `u32` (cell indices of the density binning).
pub(crate) fn zeroed_u32(n: usize) -> Vec<u32> {
    let v = vec![0u32; n];
    #[cfg(target_os = "linux")]
    advise_huge(&v);
    v
}

/// `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned pages inside `v`, for
/// buffers of at least [`HUGE_MIN_BYTES`] (the call itself lives in
/// `simd/os.rs`, with the other platform calls of the SIMD layer).
#[cfg(target_os = "linux")]
fn advise_huge<T>(v: &[T]) {
    if std::mem::size_of_val(v) >= HUGE_MIN_BYTES {
        crate::simd::advise_huge_pages(v);
    }
}

/// The pooled buffers under the names the density code uses (see
/// [`take_f64`] for the pool): large temporaries (the row pass of a 2-D blur,
/// per-thread histograms) would otherwise be fresh pages every call, which the
/// kernel zeroes and maps one fault at a time (a third of a 1e6-point,
/// 1024 x 1024 density).
pub(crate) mod pool {
    /// A buffer of `n` f64 with unspecified contents.
    pub(crate) fn take_f64(n: usize) -> Vec<f64> {
        super::take_f64(n)
    }

    /// Returns a buffer taken with [`take_f64`] (or any other).
    pub(crate) fn give_f64(v: Vec<f64>) {
        super::give_f64(v);
    }

    /// A zeroed buffer of `n` u32.
    pub(crate) fn take_zeroed_u32(n: usize) -> Vec<u32> {
        let mut v = super::take(&super::POOL_U32, n, super::zeroed_u32, 0);
        v.fill(0);
        v
    }

    /// Returns a buffer taken with [`take_zeroed_u32`].
    pub(crate) fn give_u32(v: Vec<u32>) {
        super::give(&super::POOL_U32, v);
    }
}

/// Working buffers kept between calls, so that repeated blurs and transforms
/// do not pay for fresh pages (a page fault and a page clear per 4 KiB)
/// every time: at most [`POOL_MAX_BYTES`] of reals, [`POOL_MAX_U32_BYTES`] of
/// u32 counts and [`POOL_MAX_COMPLEX_BYTES`] of complex values are kept (64 MiB
/// in all) (the largest buffers are dropped first),
/// buffers under 4,096 values are not kept at all, and [`release_pooled`]
/// frees them. A buffer taken with `take_f64` or `take_complex` holds stale
/// values: each caller writes every element before it reads it (the u32
/// buffers are zeroed when taken).
pub(crate) const POOL_MAX_BYTES: usize = 32 << 20;
/// The complex pool's limit: the working buffers of a correlation of two
/// 1e5-sample signals fit; longer ones belong to a [`crate::xcorr::Correlator`].
pub(crate) const POOL_MAX_COMPLEX_BYTES: usize = 16 << 20;
/// The u32 pool's limit: the per-thread counts of a 1024 x 1024 histogram fit.
pub(crate) const POOL_MAX_U32_BYTES: usize = 16 << 20;

/// Each buffer remembers the thread that gave it back: a thread gets its
/// own buffers first, which are likelier to still be in its core's cache
/// (a buffer last written on another core costs a transfer per cache line).
struct Pool<T> {
    bufs: Vec<(std::thread::ThreadId, Vec<T>)>,
    max_bytes: usize,
}

impl<T> Pool<T> {
    const fn new(max_bytes: usize) -> Self {
        Pool {
            bufs: Vec::new(),
            max_bytes,
        }
    }
    fn bytes(&self) -> usize {
        self.bufs
            .iter()
            .map(|(_, b)| b.capacity() * std::mem::size_of::<T>())
            .sum()
    }
}

static POOL_F64: std::sync::Mutex<Pool<f64>> = std::sync::Mutex::new(Pool::new(POOL_MAX_BYTES));
static POOL_C64: std::sync::Mutex<Pool<rustfft::num_complex::Complex64>> =
    std::sync::Mutex::new(Pool::new(POOL_MAX_COMPLEX_BYTES));
static POOL_U32: std::sync::Mutex<Pool<u32>> = std::sync::Mutex::new(Pool::new(POOL_MAX_U32_BYTES));

fn lock<T>(m: &std::sync::Mutex<Pool<T>>) -> std::sync::MutexGuard<'_, Pool<T>> {
    // The pool is only a cache: a poisoned one still holds valid buffers.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Takes the smallest pooled buffer that holds `n` values, sized to `n`
/// (stale contents), or a fresh zeroed one.
fn take<T: Clone>(
    pool: &std::sync::Mutex<Pool<T>>,
    n: usize,
    fresh: impl FnOnce(usize) -> Vec<T>,
    fill: T,
) -> Vec<T> {
    if n == 0 {
        // Not worth a pooled buffer (which would then be missing for a
        // caller who needs one).
        return Vec::new();
    }
    let found = {
        let mut p = lock(pool);
        let me = std::thread::current().id();
        let best = p
            .bufs
            .iter()
            .enumerate()
            .filter(|(_, (_, b))| b.capacity() >= n)
            .min_by_key(|(_, (owner, b))| (*owner != me, b.capacity()))
            .map(|(i, _)| i);
        best.map(|i| p.bufs.swap_remove(i).1)
    };
    match found {
        Some(mut v) => {
            v.truncate(n);
            v.resize(n, fill);
            v
        }
        None => fresh(n),
    }
}

/// Returns a buffer to the pool; the largest are dropped first when the pool
/// would exceed its limit.
fn give<T>(pool: &std::sync::Mutex<Pool<T>>, v: Vec<T>) {
    give_as(pool, v, std::thread::current().id());
}

fn give_as<T>(pool: &std::sync::Mutex<Pool<T>>, v: Vec<T>, me: std::thread::ThreadId) {
    let mut p = lock(pool);
    if v.capacity() * std::mem::size_of::<T>() > p.max_bytes || v.capacity() < 1 << 12 {
        return;
    }
    p.bufs.push((me, v));
    while p.bytes() > p.max_bytes {
        let largest = p
            .bufs
            .iter()
            .enumerate()
            .max_by_key(|(_, (_, b))| b.capacity())
            .map(|(i, _)| i);
        match largest {
            Some(i) => drop(p.bufs.swap_remove(i)),
            None => break,
        }
    }
}

/// A buffer of `n` reals with stale contents (see the pool's docs).
pub(crate) fn take_f64(n: usize) -> Vec<f64> {
    take(&POOL_F64, n, zeroed, 0.0)
}

/// A buffer of `n` complex values with stale contents.
pub(crate) fn take_complex(n: usize) -> Vec<rustfft::num_complex::Complex64> {
    take(
        &POOL_C64,
        n,
        zeroed_complex,
        rustfft::num_complex::Complex64::new(0.0, 0.0),
    )
}

/// Gives a buffer back to the pool.
pub(crate) fn give_f64(v: Vec<f64>) {
    give(&POOL_F64, v);
}

/// Gives a complex buffer back to the pool.
pub(crate) fn give_complex(v: Vec<rustfft::num_complex::Complex64>) {
    give(&POOL_C64, v);
}

/// Frees every pooled buffer.
pub(crate) fn release_pooled() {
    lock(&POOL_F64).bufs.clear();
    lock(&POOL_C64).bufs.clear();
    lock(&POOL_U32).bufs.clear();
}
