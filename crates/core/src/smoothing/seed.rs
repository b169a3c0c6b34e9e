//! The questioner's call, `GaussianFlattenData(x, y, reach, sigma, phi, amplitude)`,
//! made fast without changing its output.
//!
//! What their code computes, for each i:
//!
//! ```text
//! edge = sigma * sqrt(-2 ln(peak * reach / (amplitude cos phi))),   peak = amplitude cos phi
//! hi   = first index of the x closest to x_i + edge     (ties: the lower index)
//! lo   = first index of the x closest to x_i - edge
//! out_i = Σ_{t=lo}^{hi-1} y_t g(t - i) / Σ_{t=lo}^{hi-1} g(t - i),   g(d) = exp(-(d/σ)²/2)
//! ```
//!
//! Three quirks are kept, because the point is the same output:
//! - the window excludes its right end `hi`, so it is one sample short on the
//!   right, and the last point's window does not hold the point itself;
//! - the kernel is evaluated on the *index* distance t - i, while the window is
//!   chosen in x units: on irregular x the two disagree (use
//!   [`nadaraya_watson`](super::nadaraya_watson) for the right regression);
//! - an empty window (lo == hi, e.g. a single point) gives 0.
//!
//! `amplitude * cos(phi)` cancels; it only matters when it is 0, where their
//! formula divides 0 by 0 (an error here).
//!
//! Their cost is O(n) per point to find the window ends (a scan of all x),
//! O(n²) in all. Here the ends come from two pointers that walk x once, and
//! runs of points whose windows have the same offsets (all the interior of a
//! uniform grid) go through the planned uniform filter.

use super::kernel::Kernel;
use super::uniform::UniformPlan;
use super::Method;
use crate::error::Result;

/// Outputs computed one by one rather than as part of a run below this run length.
const MIN_RUN: usize = 32;

/// The index of the value of `x` (sorted) closest to `target`, the first such
/// index on ties, as `argmin(|x - target|)` followed by the first index holding
/// that value.
#[cfg(test)]
pub(crate) fn closest_index(x: &[f64], target: f64) -> usize {
    let n = x.len();
    let p = x.partition_point(|&v| v < target);
    let best = if p == 0 {
        0
    } else if p == n {
        n - 1
    } else {
        let dl = (target - x[p - 1]).abs();
        let dr = (target - x[p]).abs();
        if dl <= dr {
            p - 1
        } else {
            p
        }
    };
    // First index holding that value (duplicates in x).
    x.partition_point(|&v| v < x[best])
}

/// `first_of[k]`: the first index holding the value x[k] (x sorted).
fn first_occurrences(x: &[f64]) -> Vec<usize> {
    let mut first = vec![0usize; x.len()];
    for k in 1..x.len() {
        first[k] = if x[k] == x[k - 1] { first[k - 1] } else { k };
    }
    first
}

/// As [`closest_index`], for targets that never decrease between calls:
/// `p` (the first index with x[p] >= target) only moves forward.
fn closest_from(x: &[f64], first_of: &[usize], target: f64, p: &mut usize) -> usize {
    let n = x.len();
    while *p < n && x[*p] < target {
        *p += 1;
    }
    let best = if *p == 0 {
        0
    } else if *p == n {
        n - 1
    } else {
        let dl = (target - x[*p - 1]).abs();
        let dr = (target - x[*p]).abs();
        if dl <= dr {
            *p - 1
        } else {
            *p
        }
    };
    first_of[best]
}

/// The edge distance exactly as the questioner computes it (x units).
pub(crate) fn edge_distance(reach: f64, sigma: f64, phi: f64, amplitude: f64) -> f64 {
    let scale = amplitude * phi.cos();
    // Their GetGaussianValueY(0, 0, ...) = scale * exp(-0) = scale, exactly.
    let peak = scale;
    let level = peak * reach;
    sigma * (-2.0 * (level / scale).ln()).sqrt() + 0.0
}

/// The fast seed-compatible smoother; inputs validated by the caller.
pub(crate) fn flatten(
    x: &[f64],
    y: &[f64],
    reach: f64,
    sigma: f64,
    phi: f64,
    amplitude: f64,
) -> Result<Vec<f64>> {
    let n = x.len();
    let edge = edge_distance(reach, sigma, phi, amplitude);
    // Window ends for every point. The targets x_i ± edge grow with i, so one
    // pointer per end walks forward once over x (O(n) in all).
    let first_of = first_occurrences(x);
    let mut lo = vec![0usize; n];
    let mut hi = vec![0usize; n];
    let mut p_hi = 0;
    let mut p_lo = 0;
    for i in 0..n {
        hi[i] = closest_from(x, &first_of, x[i] + edge, &mut p_hi);
        lo[i] = closest_from(x, &first_of, x[i] + (0.0 - edge), &mut p_lo);
    }
    // g(d) for every index distance d a window reaches.
    let reach_max = (0..n)
        .map(|i| (i - lo[i]).max(hi[i].saturating_sub(i)))
        .max()
        .unwrap_or(0);
    let table: Vec<f64> = (0..=reach_max)
        .map(|d| {
            let z = d as f64 / sigma;
            (-0.5 * z * z).exp()
        })
        .collect();
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        // A run of points whose window has the same offsets (lo - i, hi - i).
        let (dl, dh) = (i - lo[i], hi[i] as isize - i as isize);
        let mut e = i + 1;
        while e < n && e - lo[e] == dl && hi[e] as isize - e as isize == dh {
            e += 1;
        }
        let taps = hi[i] - lo[i];
        if e - i >= MIN_RUN && taps > 0 && dh >= 1 {
            // out[t] for t in i..e is a valid correlation over offsets -dl ..= dh-1.
            let kernel = Kernel::window(sigma, dl, (dh - 1) as usize)?;
            let plan = UniformPlan::new(kernel, Method::Auto)?;
            let ext = &y[lo[i]..hi[e - 1]];
            plan.correlate_valid(ext, &mut out[i..e], false);
        } else {
            for t in i..e {
                out[t] = one_point(y, t, lo[t], hi[t], &table);
            }
        }
        i = e;
    }
    Ok(out)
}

/// One output: Σ y_t g(t - i) / Σ g(t - i) over lo <= t < hi, with
/// `g[d] = g(d)` tabulated; 0 for an empty window.
fn one_point(y: &[f64], i: usize, lo: usize, hi: usize, g: &[f64]) -> f64 {
    if hi <= lo {
        return 0.0;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for (t, &yt) in y.iter().enumerate().take(hi).skip(lo) {
        let w = g[t.abs_diff(i)];
        num += yt * w;
        den += w;
    }
    num / den
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_matches_a_scan_with_ties_and_duplicates() {
        let x = [0.0, 1.0, 1.0, 2.0, 4.0, 4.0, 4.0, 7.5];
        let first_of = first_occurrences(&x);
        let scan = |t: f64| {
            // argmin |x - t|, first on ties, then the first index of that value.
            let mut best = 0;
            for k in 1..x.len() {
                if (t - x[k]).abs() < (t - x[best]).abs() {
                    best = k;
                }
            }
            x.iter().position(|&v| v == x[best]).unwrap_or(0)
        };
        let mut p = 0;
        for k in 0..=100 {
            let t = -1.0 + 0.1 * k as f64;
            assert_eq!(closest_index(&x, t), scan(t), "t = {t}");
            assert_eq!(closest_from(&x, &first_of, t, &mut p), scan(t), "t = {t}");
        }
        // A tie halfway between 2 and 4 picks the lower index, as argmin does.
        assert_eq!(closest_index(&x, 3.0), 3);
    }
}
