//! A panic inside a parallel kernel reaches the caller, and nothing hangs:
//! the test hook `threads::PANIC_AT_CHUNK` makes one chunk of a real kernel
//! panic on whatever thread runs it. Its own test binary, so that the hook
//! touches no other test.

use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use numlab_core::smoothing::{EdgeMode, GaussianSmoother, Method};
use numlab_core::threads::PANIC_AT_CHUNK;

/// Runs `f` on its own thread and waits at most a second for its outcome:
/// `Some(true)` when it panicked, `Some(false)` when it returned, `None`
/// when it hung.
fn outcome(f: impl FnOnce() + Send + 'static) -> Option<bool> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(r.is_err());
    });
    rx.recv_timeout(Duration::from_secs(1)).ok()
}

#[test]
fn a_panic_in_a_kernel_reaches_the_caller_within_a_second() {
    let y: Vec<f64> = (0..2_000_000usize)
        .map(|i| ((i * 7919) % 101) as f64)
        .collect();
    let smooth = move || {
        let s = GaussianSmoother::new(5.0)
            .unwrap()
            .with_mode(EdgeMode::Nearest)
            .with_method(Method::Direct)
            .smooth_uniform(&y, 1.0)
            .unwrap();
        assert_eq!(s.len(), 2_000_000);
    };
    // The kernel works without the hook...
    let ok = smooth.clone();
    assert_eq!(
        outcome(ok),
        Some(false),
        "the smoothing itself failed or hung"
    );
    // ...and with it, the panic of its third chunk comes back to the caller.
    PANIC_AT_CHUNK.store(3, Ordering::SeqCst);
    assert_eq!(outcome(smooth.clone()), Some(true), "no panic, or it hung");
    assert_eq!(PANIC_AT_CHUNK.load(Ordering::SeqCst), 0);
    // The pool is still usable afterwards.
    assert_eq!(outcome(smooth), Some(false));
}
