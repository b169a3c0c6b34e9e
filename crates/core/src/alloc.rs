//! Output buffers for large results.
//!
//! A large `vec![0.0; n]` comes straight from the kernel (glibc maps anything
//! above 32 MiB afresh on every call), and the first write to each 4 KiB page
//! then takes a page fault: 20,000 of them for 1e7 samples, which cost more
//! system time than the smoothing itself. [`zeroed`] asks the kernel, on Linux,
//! to back such buffers with transparent huge pages (`madvise(MADV_HUGEPAGE)`,
//! honoured when `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or
//! `madvise`): one fault per 2 MiB. Elsewhere, or if the kernel declines, it is
//! a plain `vec![0.0; n]`. Only the pages' backing changes, never the values.

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

/// [`zeroed`] for `u32` (cell indices of the density binning).
pub(crate) fn zeroed_u32(n: usize) -> Vec<u32> {
    let v = vec![0u32; n];
    #[cfg(target_os = "linux")]
    advise_huge(&v);
    v
}

/// Scratch buffers kept between calls: large temporaries (the row pass of
/// a 2-D blur, per-thread histograms) would otherwise be fresh pages every
/// call, which the kernel zeroes and maps one fault at a time (a third of a
/// 1e6-point, 1024 x 1024 density). Taken buffers have unspecified contents
/// (or zeros with [`take_zeroed_u32`]); at most [`POOL_MAX`] of each kind are kept.
pub(crate) mod pool {
    use std::sync::Mutex;

    /// Buffers kept per kind.
    pub(crate) const POOL_MAX: usize = 4;

    static F64: Mutex<Vec<Vec<f64>>> = Mutex::new(Vec::new());
    static U32: Mutex<Vec<Vec<u32>>> = Mutex::new(Vec::new());

    fn take<T: Copy + Default>(
        pool: &Mutex<Vec<Vec<T>>>,
        n: usize,
        fresh: impl FnOnce(usize) -> Vec<T>,
    ) -> Vec<T> {
        let found = {
            let mut p = match pool.lock() {
                Ok(p) => p,
                Err(e) => e.into_inner(),
            };
            // The smallest buffer that is large enough.
            let best = p
                .iter()
                .enumerate()
                .filter(|(_, v)| v.capacity() >= n)
                .min_by_key(|(_, v)| v.capacity())
                .map(|(i, _)| i);
            best.map(|i| p.swap_remove(i))
        };
        match found {
            Some(mut v) => {
                // Contents are unspecified; resize only fills the new tail.
                v.truncate(n);
                v.resize(n, T::default());
                v
            }
            None => fresh(n),
        }
    }

    fn give<T>(pool: &Mutex<Vec<Vec<T>>>, v: Vec<T>) {
        if v.capacity() < 1 << 16 {
            return;
        }
        let mut p = match pool.lock() {
            Ok(p) => p,
            Err(e) => e.into_inner(),
        };
        if p.len() < POOL_MAX {
            p.push(v);
        }
    }

    /// A buffer of `n` f64 with unspecified contents.
    pub(crate) fn take_f64(n: usize) -> Vec<f64> {
        take(&F64, n, super::zeroed)
    }

    /// Returns a buffer taken with [`take_f64`] (or any other).
    pub(crate) fn give_f64(v: Vec<f64>) {
        give(&F64, v);
    }

    /// A zeroed buffer of `n` u32.
    pub(crate) fn take_zeroed_u32(n: usize) -> Vec<u32> {
        let mut v = take(&U32, n, super::zeroed_u32);
        v.fill(0);
        v
    }

    /// Returns a buffer taken with [`take_zeroed_u32`].
    pub(crate) fn give_u32(v: Vec<u32>) {
        give(&U32, v);
    }
}

/// `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned pages inside `v`.
#[cfg(target_os = "linux")]
fn advise_huge<T>(v: &[T]) {
    const HUGE: usize = 2 << 20;
    let bytes = std::mem::size_of_val(v);
    if bytes < HUGE_MIN_BYTES {
        return;
    }
    let start = v.as_ptr() as usize;
    let first = start.next_multiple_of(HUGE);
    let last = (start + bytes) / HUGE * HUGE;
    if last > first {
        // SAFETY: [first, last) lies inside the allocation of `v`, which this
        // process owns; MADV_HUGEPAGE only changes how the kernel backs those
        // pages (their contents are kept), so no Rust-visible state changes.
        // A failure (e.g. THP disabled) leaves the buffer as it was: ignored.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pooled_buffers_have_the_asked_length_and_u32_ones_are_zero() {
        use super::pool::*;
        let mut a = take_zeroed_u32(1 << 17);
        a.fill(7);
        give_u32(a);
        for n in [1 << 16, 1 << 17, 3 << 16] {
            let b = take_zeroed_u32(n);
            assert_eq!(b.len(), n);
            assert!(b.iter().all(|&v| v == 0));
            give_u32(b);
        }
        let f = take_f64(100_000);
        assert_eq!(f.len(), 100_000);
        give_f64(f);
        assert_eq!(take_f64(5).len(), 5);
    }

    #[test]
    fn zeroed_is_zero() {
        for n in [0, 1, 1000, 1 << 20, 5_000_001] {
            let v = super::zeroed(n);
            assert_eq!(v.len(), n);
            assert!(v.iter().all(|&x| x == 0.0));
        }
    }
}
