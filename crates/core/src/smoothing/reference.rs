//! Naive, obviously correct versions, public so tests, benchmarks and the
//! timing figure can use them.
//!
//! - [`seed_loop`] and [`seed_vectorised`]: faithful ports of the questioner's
//!   two versions of `GaussianFlattenData` (the original loops, and the
//!   version after the forum's fixes), with their O(n) scans per point kept.
//!   They are the baseline the study times, not code to use.
//! - [`gaussian_filter_direct`]: SciPy's `gaussian_filter1d` as a plain double
//!   loop, one output at a time.
//! - [`nadaraya_watson_direct`]: the kernel regression summing over all pairs.

use super::kernel::{source_index, EdgeMode, Kernel};

/// The questioner's Gaussian: `amplitude cos(phi) exp(-((x - mu)/sigma)²/2)`.
fn gaussian_value(x: f64, mu: f64, sigma: f64, phi: f64, amplitude: f64) -> f64 {
    (amplitude * phi.cos()) * (-((x - mu) / sigma).powi(2) / 2.0).exp()
}

/// The questioner's inverse: the two x where the Gaussian equals `level`.
fn gaussian_inverse(level: f64, mu: f64, sigma: f64, phi: f64, amplitude: f64) -> [f64; 2] {
    let x = sigma * (-2.0 * (level / (amplitude * phi.cos())).ln()).sqrt() + mu;
    [x, mu - (x - mu)]
}

/// Port of the original loop version: the window ends are found by scanning
/// all of `x` for the closest value, then scanning again for its index; the
/// kernel is filled, normalised and applied in three loops.
pub fn seed_loop(
    x: &[f64],
    y: &[f64],
    reach: f64,
    sigma: f64,
    phi: f64,
    amplitude: f64,
) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    // Linear scan for the closest value (first on ties).
    let closest_value = |base: f64| -> f64 {
        let mut best = 0;
        let mut best_diff = (base - x[0]).abs();
        for (idx, &v) in x.iter().enumerate().skip(1) {
            let d = (base - v).abs();
            if d < best_diff {
                best_diff = d;
                best = idx;
            }
        }
        x[best]
    };
    // Linear scan for the first index holding a value (-1 when absent).
    let find = |value: f64| -> isize {
        x.iter()
            .position(|&v| v == value)
            .map_or(-1, |p| p as isize)
    };
    for i in 0..n {
        let centre = x[i];
        let edges = gaussian_inverse(
            gaussian_value(0.0, 0.0, sigma, phi, amplitude) * reach,
            0.0,
            sigma,
            phi,
            amplitude,
        );
        let hi = find(closest_value(centre + edges[0]));
        let lo = find(closest_value(centre + edges[1]));
        let count = (hi - lo).max(0) as usize;
        let lo = lo.max(0) as usize;
        let mut window = vec![0.0; count];
        let mut kernel = vec![0.0; count];
        for j in 0..count {
            window[j] = y[j + lo];
            kernel[j] = gaussian_value(j as f64, (i - lo) as f64, sigma, phi, amplitude);
        }
        let sum: f64 = kernel.iter().sum();
        for k in kernel.iter_mut() {
            *k /= sum;
        }
        let mut products = vec![0.0; count];
        for j in 0..count {
            products[j] = window[j] * kernel[j];
        }
        out[i] = products.iter().sum();
    }
    out
}

/// Port of the questioner's improved version: the closest value by one
/// `argmin(|x - base|)` pass (an allocated difference array, as NumPy makes),
/// its index by `where(x == value)[0]`, then slices and whole-array kernel
/// arithmetic. Still O(n) per point.
pub fn seed_vectorised(
    x: &[f64],
    y: &[f64],
    reach: f64,
    sigma: f64,
    phi: f64,
    amplitude: f64,
) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    let closest_value = |base: f64| -> f64 {
        let diffs: Vec<f64> = x.iter().map(|&v| (v - base).abs()).collect();
        let mut best = 0;
        for (idx, &d) in diffs.iter().enumerate() {
            if d < diffs[best] {
                best = idx;
            }
        }
        x[best]
    };
    let first_where = |value: f64| -> usize {
        let hits: Vec<usize> = x
            .iter()
            .enumerate()
            .filter(|(_, &v)| v == value)
            .map(|(k, _)| k)
            .collect();
        hits[0]
    };
    for i in 0..n {
        let centre = x[i];
        let edges = gaussian_inverse(
            gaussian_value(0.0, 0.0, sigma, phi, amplitude) * reach,
            0.0,
            sigma,
            phi,
            amplitude,
        );
        let hi = first_where(closest_value(centre + edges[0]));
        let lo = first_where(closest_value(centre + edges[1]));
        let count = hi.saturating_sub(lo);
        let window = &y[lo..lo + count];
        let kernel: Vec<f64> = (0..count)
            .map(|j| gaussian_value(j as f64, (i - lo) as f64, sigma, phi, amplitude))
            .collect();
        let sum: f64 = kernel.iter().sum();
        out[i] = window.iter().zip(&kernel).map(|(w, k)| w * (k / sum)).sum();
    }
    out
}

/// `scipy.ndimage.gaussian_filter1d(y, sigma, mode=mode, cval=cval, truncate=...)`
/// for a kernel radius `radius` (samples), one output at a time. `Renormalize`
/// divides by the weight that falls inside the signal.
pub fn gaussian_filter_direct(
    y: &[f64],
    sigma: f64,
    radius: usize,
    mode: EdgeMode,
    cval: f64,
) -> Vec<f64> {
    let n = y.len();
    let r = radius as isize;
    let weight = |k: isize| (-0.5 * (k as f64 / sigma).powi(2)).exp();
    let total: f64 = (-r..=r).map(weight).sum();
    (0..n as isize)
        .map(|i| {
            let mut num = 0.0;
            let mut den = 0.0;
            for k in -r..=r {
                let w = weight(k) / total;
                match source_index(i + k, n, mode) {
                    Some(s) => {
                        num += w * y[s];
                        den += w;
                    }
                    None if mode == EdgeMode::Constant => num += w * cval,
                    None => {}
                }
            }
            if mode == EdgeMode::Renormalize {
                num / den
            } else {
                num
            }
        })
        .collect()
}

/// Valid correlation with a kernel, one output at a time.
pub fn correlate_valid_direct(ext: &[f64], kernel: &Kernel) -> Vec<f64> {
    let m = kernel.len();
    (0..ext.len() + 1 - m)
        .map(|i| {
            kernel
                .weights
                .iter()
                .enumerate()
                .map(|(j, w)| w * ext[i + j])
                .sum()
        })
        .collect()
}

/// Nadaraya-Watson over all pairs with |x_j - x_i| <= cut (x units).
pub fn nadaraya_watson_direct(x: &[f64], y: &[f64], sigma: f64, cut: f64) -> Vec<f64> {
    x.iter()
        .map(|&xi| {
            let mut num = 0.0;
            let mut den = 0.0;
            for (&xj, &yj) in x.iter().zip(y) {
                let d = xj - xi;
                if d.abs() <= cut {
                    let w = (-0.5 * (d / sigma).powi(2)).exp();
                    num += w * yj;
                    den += w;
                }
            }
            num / den
        })
        .collect()
}

/// Nadaraya-Watson over the window |x_j - x_i| <= cut of sorted x, with
/// `f64::exp`, one output at a time: O(n × window), for checking the fast path
/// on inputs too large for [`nadaraya_watson_direct`].
pub fn nadaraya_watson_windowed(x: &[f64], y: &[f64], sigma: f64, cut: f64) -> Vec<f64> {
    let n = x.len();
    let mut lo = 0;
    (0..n)
        .map(|i| {
            while x[i] - x[lo] > cut {
                lo += 1;
            }
            let mut num = 0.0;
            let mut den = 0.0;
            let mut j = lo;
            while j < n && x[j] - x[i] <= cut {
                let w = (-0.5 * ((x[j] - x[i]) / sigma).powi(2)).exp();
                num += w * y[j];
                den += w;
                j += 1;
            }
            num / den
        })
        .collect()
}
