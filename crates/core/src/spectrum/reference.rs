//! Naive, obviously correct versions, public so tests, benchmarks and the
//! study can use them.
//!
//! - [`dft`], [`dft_real`], [`dft_bin`]: the DFT as its defining O(n²) sum,
//!   with twiddles `e^{-2πi (jk mod n)/n}` (the index product reduced exactly
//!   in integers, so every twiddle is within an ulp or two).
//! - [`one_sided_amplitude`]: the one-sided amplitude from its definition.
//! - [`questioner_rebuild`]: a port of the questioner's `fft_own` + `rebuild`
//!   with their factors (π, 2/N, df), and [`cosine_sum_rebuild`], the forum
//!   answer's correction (|X|/N only), both summing over every `fftfreq` bin.

use std::f64::consts::PI;

use rustfft::num_complex::Complex64;

/// `e^{-2πi m/n}` for m in 0..n.
fn twiddles(n: usize) -> Vec<Complex64> {
    (0..n)
        .map(|m| {
            let a = -2.0 * PI * m as f64 / n as f64;
            Complex64::new(a.cos(), a.sin())
        })
        .collect()
}

/// `X_k = Σ_j x_j e^{-2πi jk/n}` for k = 0..n-1, by the O(n²) sum.
pub fn dft(x: &[Complex64]) -> Vec<Complex64> {
    let n = x.len();
    let tw = twiddles(n);
    (0..n)
        .map(|k| {
            x.iter()
                .enumerate()
                .map(|(j, &v)| v * tw[(j * k) % n])
                .sum()
        })
        .collect()
}

/// [`dft`] of a real signal, k = 0..=n/2 (what `rfft` returns).
pub fn dft_real(x: &[f64]) -> Vec<Complex64> {
    let n = x.len();
    let tw = twiddles(n);
    (0..n / 2 + 1)
        .map(|k| {
            x.iter()
                .enumerate()
                .map(|(j, &v)| tw[(j * k) % n] * v)
                .sum()
        })
        .collect()
}

/// One DFT coefficient X_k of a real signal, O(n), each twiddle computed from
/// `(jk mod n)` (for spot checks of long transforms).
pub fn dft_bin(x: &[f64], k: usize) -> Complex64 {
    let n = x.len() as u128;
    let mut re = 0.0;
    let mut im = 0.0;
    for (j, &v) in x.iter().enumerate() {
        let m = (j as u128 * k as u128) % n;
        let a = -2.0 * PI * m as f64 / n as f64;
        re += v * a.cos();
        im += v * a.sin();
    }
    Complex64::new(re, im)
}

/// `(1/n) Σ_k X_k e^{2πi jk/n}` by the O(n²) sum.
pub fn idft(spectrum: &[Complex64]) -> Vec<Complex64> {
    let n = spectrum.len();
    let tw = twiddles(n);
    (0..n)
        .map(|j| {
            spectrum
                .iter()
                .enumerate()
                .map(|(k, &v)| v * tw[(j * k) % n].conj())
                .sum::<Complex64>()
                / n as f64
        })
        .collect()
}

/// The one-sided amplitude of a real signal from the definition: |X_0|/n,
/// 2|X_k|/n for 0 < k < n/2, and |X_{n/2}|/n at Nyquist when n is even.
pub fn one_sided_amplitude(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    dft_real(x)
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if k == 0 || 2 * k == n {
                c.norm() / n as f64
            } else {
                2.0 * c.norm() / n as f64
            }
        })
        .collect()
}

/// The questioner's `fft_own` and `rebuild`, ported: `freq = fftfreq(N, dt)`,
/// `X = fft(data) * π`, `amp = 2/N |X|`, `phase = angle(X)`, then
/// `Σ_i amp_i · df · exp(i(2π freq_i t + phase_i))` over every bin with
/// `df = freq[1] - freq[0]`, real part. Their three factors multiply the
/// right 1/N scaling by π · 2 · df. `t` in seconds; O(N × len(t)).
/// Needs N >= 2 (df is `freq[1] - freq[0]`); N < 2 returns NaN.
pub fn questioner_rebuild(data: &[f64], t: &[f64], dt: f64) -> Vec<f64> {
    let n = data.len();
    if n < 2 {
        return vec![f64::NAN; t.len()];
    }
    let spectrum = full_fft(data);
    let freq = numpy_fftfreq(n, dt);
    let df = freq[1] - freq[0];
    let amp: Vec<f64> = spectrum
        .iter()
        .map(|c| 2.0 / n as f64 * (c * PI).norm())
        .collect();
    let phase: Vec<f64> = spectrum.iter().map(|c| (c * PI).arg()).collect();
    sum_exponentials(&amp, &phase, &freq, df, t)
}

/// The forum answer's correction of [`questioner_rebuild`]: `amp = |X|/N`,
/// no other factor, summed over every `fftfreq` bin (both signs).
pub fn cosine_sum_rebuild(data: &[f64], t: &[f64], dt: f64) -> Vec<f64> {
    let n = data.len();
    if n == 0 {
        return vec![f64::NAN; t.len()];
    }
    let spectrum = full_fft(data);
    let freq = numpy_fftfreq(n, dt);
    let amp: Vec<f64> = spectrum.iter().map(|c| c.norm() / n as f64).collect();
    let phase: Vec<f64> = spectrum.iter().map(|c| c.arg()).collect();
    sum_exponentials(&amp, &phase, &freq, 1.0, t)
}

fn sum_exponentials(amp: &[f64], phase: &[f64], freq: &[f64], factor: f64, t: &[f64]) -> Vec<f64> {
    t.iter()
        .map(|&t| {
            amp.iter()
                .zip(phase)
                .zip(freq)
                .map(|((&a, &p), &f)| a * factor * (2.0 * PI * f * t + p).cos())
                .sum()
        })
        .collect()
}

/// The full complex DFT of real data (by the crate's FFT; the sums above are
/// the point of these ports, not the transform).
fn full_fft(data: &[f64]) -> Vec<Complex64> {
    let c: Vec<Complex64> = data.iter().map(|&v| Complex64::new(v, 0.0)).collect();
    // Finite data of length >= 1 cannot fail; NaN data gives NaN sums.
    super::fft(&c).unwrap_or_else(|_| vec![Complex64::new(f64::NAN, f64::NAN); data.len()])
}

fn numpy_fftfreq(n: usize, d: f64) -> Vec<f64> {
    super::fftfreq(n, d).unwrap_or_else(|_| vec![f64::NAN; n])
}
