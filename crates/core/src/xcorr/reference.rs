//! Plain versions to test against, and the answers' two recipes ported.
//!
//! - [`correlate`]: the defining double loop, O(n m), no tricks.
//! - [`correlate_realfft`]: the textbook FFT route, written for reading:
//!   both signals zero-padded to one length, realfft forward, X·conj(Y),
//!   realfft inverse, the wanted lags cut out. The fast route
//!   (`xcorr::packed`) must agree with it and with [`correlate`].
//! - [`lag_finder`]: the first answer's recipe: `correlate(y2, y1, 'same')`
//!   divided by the two zero-lag energies, read against
//!   `linspace(-n/2/sr, n/2/sr, n)`. That axis steps by `n / ((n - 1) sr)`,
//!   not `1 / sr`, and starts half a step early for even n, so a peak at lag
//!   ℓ samples reads `(ℓ + 1/2) n / ((n - 1) sr)` seconds: 0.83 sample too
//!   much for a 1 s lag in 3,072 samples at 1,024 Hz (1.0008 s).
//! - [`detect_phase_shift`]: the second answer's recipe, `argmax` of
//!   `correlate(x, y, 'same')` read against `linspace(-L/2, L/2, N)`:
//!   whole samples only.

use super::{correlate_unchecked, Method, Mode};

/// `scipy.signal.correlate(a, b, mode)` by its definition: for each output
/// lag ℓ, `Σ_n a[n + ℓ] b[n]` in index order. Panics on empty input (it is a
/// test oracle, not an API).
pub fn correlate(a: &[f64], b: &[f64], mode: Mode) -> Vec<f64> {
    let (n, m) = (a.len(), b.len());
    let first = mode.first_lag(n, m);
    (0..mode.output_len(n, m))
        .map(|i| {
            let lag = first + i as i64;
            let mut s = 0.0;
            for (j, &bj) in b.iter().enumerate() {
                let k = j as i64 + lag;
                if k >= 0 && (k as usize) < n {
                    s += a[k as usize] * bj;
                }
            }
            s
        })
        .collect()
}

/// `scipy.signal.correlate(a, b, mode, method="fft")` the plain way, on
/// realfft: `a` and `b` zero-padded to `L >= n + m - 1`, their real DFTs
/// `A` and `B`, `c = irfft(A · conj(B)) / L`; lag ℓ then sits at index
/// `ℓ mod L`. Panics on empty input (a test oracle, not an API).
pub fn correlate_realfft(a: &[f64], b: &[f64], mode: Mode) -> Vec<f64> {
    use realfft::RealFftPlanner;
    use rustfft::num_complex::Complex64;
    let (n, m) = (a.len(), b.len());
    let len = (n + m - 1).next_power_of_two().max(2);
    let mut planner = RealFftPlanner::<f64>::new();
    let (forward, inverse) = (planner.plan_fft_forward(len), planner.plan_fft_inverse(len));
    let spectrum = |x: &[f64]| {
        let mut padded = vec![0.0; len];
        padded[..x.len()].copy_from_slice(x);
        let mut out = forward.make_output_vec();
        // The buffers come from the plan's own length: cannot fail.
        let _ = forward.process(&mut padded, &mut out);
        out
    };
    let (sa, sb) = (spectrum(a), spectrum(b));
    let mut product: Vec<Complex64> = sa.iter().zip(&sb).map(|(x, y)| x * y.conj()).collect();
    // The DC and Nyquist bins of a real signal's product are real.
    product[0].im = 0.0;
    if let Some(last) = product.last_mut() {
        last.im = 0.0;
    }
    let mut c = vec![0.0; len];
    // As above; and the DC and Nyquist imaginary parts were zeroed.
    let _ = inverse.process(&mut product, &mut c);
    let first = mode.first_lag(n, m);
    (0..mode.output_len(n, m))
        .map(|i| c[(first + i as i64).rem_euclid(len as i64) as usize] / len as f64)
        .collect()
}

pub use crate::signals::linspace;

/// The first index of the largest value (NumPy's `argmax`).
pub fn argmax(x: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in x.iter().enumerate() {
        if v > x[best] {
            best = i;
        }
    }
    best
}

/// What [`lag_finder`] returns: its delay and the curve it plots.
#[derive(Debug, Clone)]
pub struct LagFinder {
    /// `delay_arr[argmax(corr)]`, in seconds; positive when y2 is behind y1.
    pub delay: f64,
    /// The delay axis, `linspace(-0.5 n / sr, 0.5 n / sr, n)`.
    pub delay_arr: Vec<f64>,
    /// The normalised correlation.
    pub corr: Vec<f64>,
}

/// The first answer's `lag_finder(y1, y2, sr)`, ported (y1 and y2 of equal
/// length n, as in the answer). Panics on empty input.
pub fn lag_finder(y1: &[f64], y2: &[f64], sr: f64) -> LagFinder {
    let n = y1.len();
    let c12 = correlate_unchecked(y2, y1, Mode::Same, Method::Auto);
    let c11 = correlate_unchecked(y1, y1, Mode::Same, Method::Auto);
    let c22 = correlate_unchecked(y2, y2, Mode::Same, Method::Auto);
    let scale = (c11[n / 2] * c22[n / 2]).sqrt();
    let corr: Vec<f64> = c12.iter().map(|v| v / scale).collect();
    let delay_arr = linspace(-0.5 * n as f64 / sr, 0.5 * n as f64 / sr, n);
    let delay = delay_arr[argmax(&corr)];
    LagFinder {
        delay,
        delay_arr,
        corr,
    }
}

/// The second answer's `detect_phase_shift(t, x, y)`, ported: the shift in
/// units of t (radians in the answer) by which y leads x, to whole samples.
pub fn detect_phase_shift(t: &[f64], x: &[f64], y: &[f64]) -> f64 {
    let n = t.len();
    let l = t[n - 1] - t[0];
    let cc = correlate_unchecked(x, y, Mode::Same, Method::Auto);
    linspace(-0.5 * l, 0.5 * l, n)[argmax(&cc)]
}
