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
    fn zeroed_is_zero() {
        for n in [0, 1, 1000, 1 << 20, 5_000_001] {
            let v = super::zeroed(n);
            assert_eq!(v.len(), n);
            assert!(v.iter().all(|&x| x == 0.0));
        }
    }
}
