//! The direct route: one dot product per lag, lags shared among the threads.

use crate::threads;

/// `Σ_n x[n + lag] y[n]` over the n where both indices are in range.
#[inline]
pub(crate) fn at_lag(x: &[f64], y: &[f64], lag: i64) -> f64 {
    let (xs, ys) = if lag >= 0 {
        let l = lag as usize;
        if l >= x.len() {
            return 0.0;
        }
        (&x[l..], y)
    } else {
        let l = lag.unsigned_abs() as usize;
        if l >= y.len() {
            return 0.0;
        }
        (x, &y[l..])
    };
    dot(xs, ys)
}

/// The dot product of the common length of `a` and `b`, summed in eight
/// independent lanes (vectorised by the compiler) and then pairwise.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (u, v) in (&mut ca).zip(&mut cb) {
        for k in 0..8 {
            acc[k] += u[k] * v[k];
        }
    }
    let mut tail = 0.0;
    for (u, v) in ca.remainder().iter().zip(cb.remainder()) {
        tail += u * v;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// `out[i] = Σ_n x[n + lag] y[n]` for `lag = first_lag + i`.
pub(crate) fn lags_into(x: &[f64], y: &[f64], first_lag: i64, out: &mut [f64]) {
    // Chunks of lags sized so that each holds about 2^20 multiply-adds.
    let overlap = x.len().min(y.len()).max(1);
    let chunk = (1usize << 20).div_ceil(overlap).clamp(16, 1 << 14);
    threads::for_each_chunk(out, chunk, |start, part| {
        for (i, v) in part.iter_mut().enumerate() {
            *v = at_lag(x, y, first_lag + (start + i) as i64);
        }
    });
}
