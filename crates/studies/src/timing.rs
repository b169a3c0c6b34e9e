//! Wall-clock timing: a warm-up run, then the median of repeated runs.

use std::time::Instant;

/// Measured times of repeated runs, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Timing {
    /// Median run time (s).
    pub median_s: f64,
    /// Fastest run (s).
    pub min_s: f64,
    /// Number of timed runs.
    pub runs: usize,
}

/// Runs `f` once to warm up, then repeatedly until `budget_s` seconds have
/// passed and at least `min_runs` runs are done (at most `max_runs`).
/// The result of each run goes through `std::hint::black_box`.
pub fn measure<T, F: FnMut() -> T>(
    mut f: F,
    min_runs: usize,
    max_runs: usize,
    budget_s: f64,
) -> Timing {
    std::hint::black_box(f());
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < max_runs.max(1)
        && (times.len() < min_runs.max(1) || start.elapsed().as_secs_f64() < budget_s)
    {
        let t = Instant::now();
        std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let mid = times.len() / 2;
    let median_s = if times.len() % 2 == 1 {
        times[mid]
    } else {
        0.5 * (times[mid - 1] + times[mid])
    };
    Timing {
        median_s,
        min_s: times[0],
        runs: times.len(),
    }
}

/// One timed run, no warm-up (for the slow baselines).
pub fn once<T, F: FnOnce() -> T>(f: F) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

/// A duration in s for tables: `8.1 s`, `152 ms`, `41.3 µs`.
pub fn human(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "—".to_string();
    }
    let (v, unit) = if seconds >= 1.0 {
        (seconds, "s")
    } else if seconds >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if seconds >= 1e-6 {
        (seconds * 1e6, "µs")
    } else {
        (seconds * 1e9, "ns")
    };
    if v >= 100.0 {
        format!("{v:.0} {unit}")
    } else if v >= 10.0 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.2} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(human(8.123), "8.12 s");
        assert_eq!(human(0.152), "152 ms");
        assert_eq!(human(4.13e-5), "41.3 µs");
        assert_eq!(human(f64::NAN), "—");
    }

    #[test]
    fn measure_counts_runs() {
        let t = measure(|| 1 + 1, 5, 5, 0.0);
        assert_eq!(t.runs, 5);
        assert!(t.min_s <= t.median_s);
    }
}
