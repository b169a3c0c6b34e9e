//! Study 04: the time shift between two recordings, by cross-correlation.

use numlab_core::signals;
use numlab_core::xcorr::{correlate, reference, Mode};

use crate::Result;

/// The benchmark workloads' inputs, run and accuracy check
/// (`xcorr-lag-1e5`, `-1e6`, `-1e7`).
pub mod bench_support {
    use super::*;

    /// a: n standard normal values; b: a delayed by n/10 samples, plus
    /// normal noise of standard deviation 0.5 (fresh noise before the delay).
    ///
    /// # Errors
    /// None in practice.
    pub fn inputs(n: usize, seed: u64) -> Result<(Vec<f64>, Vec<f64>)> {
        let a = signals::normal(n, 1.0, seed)?;
        let noise = signals::normal(n, 0.5, seed + 1)?;
        let d = n / 10;
        let b = (0..n)
            .map(|i| if i >= d { a[i - d] + noise[i] } else { 2.0 * noise[i] })
            .collect();
        Ok((a, b))
    }

    /// The full correlation and the lag of its peak (SciPy's
    /// `correlate` + `correlation_lags` + `argmax`).
    ///
    /// # Errors
    /// Empty or non-finite inputs.
    pub fn run(a: &[f64], b: &[f64]) -> Result<(Vec<f64>, i64)> {
        let c = correlate(a, b, Mode::Full)?;
        let lag = Mode::Full.first_lag(a.len(), b.len()) + reference::argmax(&c) as i64;
        Ok((c, lag))
    }

    /// The largest difference to the direct sums at 13 lags spread over the
    /// range, relative to `sqrt(Σa² Σb²)`; infinite when the peak is not at
    /// `expected_lag` or the output has the wrong length.
    pub fn error(a: &[f64], b: &[f64], output: &[f64], expected_lag: i64) -> f64 {
        let (n, m) = (a.len(), b.len());
        let full = n + m - 1;
        if output.len() != full + 1 || output[full] != expected_lag as f64 {
            return f64::INFINITY;
        }
        let energy = (a.iter().map(|v| v * v).sum::<f64>() * b.iter().map(|v| v * v).sum::<f64>()).sqrt();
        let first = Mode::Full.first_lag(n, m);
        let mut picks: Vec<usize> = (0..=12).map(|k| k * (full - 1) / 12).collect();
        picks.push((expected_lag - first) as usize);
        picks
            .into_iter()
            .map(|i| {
                let lag = first + i as i64;
                let direct: f64 = (0..m)
                    .filter_map(|j| {
                        let k = j as i64 + lag;
                        (k >= 0 && (k as usize) < n).then(|| a[k as usize] * b[j])
                    })
                    .sum();
                (output[i] - direct).abs() / energy
            })
            .fold(0.0, f64::max)
    }
}
