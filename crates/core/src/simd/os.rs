//! The crate's one operating-system call: the huge-page advice that
//! `crate::alloc` gives large zeroed outputs (its module docs say why and
//! what it measured). Here because it is `unsafe` (a raw `libc` call), and
//! this layer is the crate's only home of `unsafe`.

/// `madvise(MADV_HUGEPAGE)` on the whole 2 MiB pages inside `v` (nothing if
/// there are none). Only how the kernel backs those pages changes, never
/// their contents; a refusal (THP disabled, an old kernel) is ignored.
#[cfg(target_os = "linux")]
pub(crate) fn advise_huge_pages<T>(v: &[T]) {
    const HUGE: usize = 2 << 20;
    let start = v.as_ptr() as usize;
    let first = start.next_multiple_of(HUGE);
    let last = (start + std::mem::size_of_val(v)) / HUGE * HUGE;
    if last > first {
        // SAFETY: [first, last) lies inside the allocation of `v`, which this
        // process owns and which stays alive for the call (it is borrowed);
        // MADV_HUGEPAGE only changes how the kernel backs those pages (their
        // contents are kept), so no Rust-visible state changes. A failure
        // leaves the buffer as it was: the return value is ignored.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}
