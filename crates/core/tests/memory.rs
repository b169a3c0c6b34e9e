//! Memory the caller can see: after a 1e7-sample correlation and a
//! 1e7-sample smoothing through the free functions, less than 64 MiB stays
//! resident (no process-wide pool holds the working buffers, plans or
//! outputs of long signals). One test in its own binary, so no other test's
//! memory is counted.
#![cfg(target_os = "linux")]

use numlab_core::smoothing::{EdgeMode, GaussianSmoother};
use numlab_core::xcorr::{correlate_argmax, Method, Mode};

const N: usize = 10_000_000;
const BUDGET: usize = 64 << 20;

/// Resident memory of this process, bytes (VmRSS of /proc/self/status).
fn resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS line");
    kb * 1024
}

#[test]
fn long_calls_leave_less_than_64_mib_behind() {
    let a: Vec<f64> = (0..N).map(|i| ((i * 7919) % 1013) as f64 - 506.0).collect();
    let b: Vec<f64> = a[..N - 1000].to_vec();
    // Touch the thread pool and the small caches once, so that their fixed
    // cost (thread stacks, small plans) is not counted.
    let _ = correlate_argmax(&a[..1000], &b[..500], Mode::Full, Method::Fft).unwrap();
    let _ = GaussianSmoother::new(3.0)
        .unwrap()
        .smooth_uniform(&a[..1000], 1.0)
        .unwrap();
    let before = resident();

    let (c, peak) = correlate_argmax(&a, &b, Mode::Full, Method::Auto).unwrap();
    assert_eq!(c.len(), 2 * N - 1001);
    assert_eq!(Mode::Full.first_lag(N, N - 1000) + peak as i64, 0);
    drop(c);
    let s = GaussianSmoother::new(100.0)
        .unwrap()
        .with_mode(EdgeMode::Nearest)
        .smooth_uniform(&a, 1.0)
        .unwrap();
    assert_eq!(s.len(), N);
    drop(s);

    let after = resident();
    let kept = after.saturating_sub(before);
    assert!(
        kept < BUDGET,
        "{} MiB stayed resident after the calls returned ({} MiB before, {} MiB after)",
        kept >> 20,
        before >> 20,
        after >> 20
    );
}
