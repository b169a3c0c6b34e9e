//! Seeded test signals shared by the studies, the tests and the benchmarks.
//!
//! Every generator takes an explicit seed and uses ChaCha8, whose output is
//! fixed by its specification, so the same seed gives the same numbers on every
//! machine and every version of numlab.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{check, NumlabError, Result};

/// A ChaCha8 generator from a seed.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `n` values uniform in [low, high), like `numpy.random.uniform(low, high, n)`
/// (not the same stream as NumPy's).
///
/// # Errors
/// low or high not finite, or low >= high.
pub fn uniform(n: usize, low: f64, high: f64, seed: u64) -> Result<Vec<f64>> {
    check::finite("low", low)?;
    check::finite("high", high)?;
    if low >= high {
        return Err(NumlabError::invalid(
            "high",
            high,
            "must be greater than low",
        ));
    }
    let mut r = rng(seed);
    Ok((0..n)
        .map(|_| low + (high - low) * r.random::<f64>())
        .collect())
}

/// `n` sorted values uniform in [low, high): irregular sample positions.
///
/// # Errors
/// As [`uniform`].
pub fn sorted_uniform(n: usize, low: f64, high: f64, seed: u64) -> Result<Vec<f64>> {
    let mut x = uniform(n, low, high, seed)?;
    x.sort_by(f64::total_cmp);
    Ok(x)
}

/// `np.linspace(start, stop, n)` (endpoint included), as NumPy computes it:
/// ndarray's [`Array1::linspace`](ndarray::Array1::linspace) (`start + i·step`)
/// with the last point set to `stop` exactly, as NumPy sets it (ndarray's
/// last point can miss `stop` by an ulp).
///
/// ```
/// let t = numlab_core::signals::linspace(0.0, 1.0, 5);
/// assert_eq!(t, [0.0, 0.25, 0.5, 0.75, 1.0]);
/// ```
pub fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    let mut v = ndarray::Array1::linspace(start, stop, n).to_vec();
    if n > 1 {
        v[n - 1] = stop;
    }
    v
}

/// 0, 1, ..., n-1 as f64 (NumPy's `arange(n)`).
pub fn arange(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}

/// `n` values normal with mean 0 and standard deviation `sd` (Box-Muller on
/// the seeded ChaCha8 stream).
///
/// # Errors
/// sd not finite or negative.
pub fn normal(n: usize, sd: f64, seed: u64) -> Result<Vec<f64>> {
    if !(sd.is_finite() && sd >= 0.0) {
        return Err(NumlabError::invalid("sd", sd, "must be finite and >= 0"));
    }
    let mut r = rng(seed);
    let mut out = Vec::with_capacity(n + 1);
    while out.len() < n {
        // u1 in (0, 1] so ln(u1) is finite.
        let u1 = 1.0 - r.random::<f64>();
        let u2 = r.random::<f64>();
        let rad = (-2.0 * u1.ln()).sqrt() * sd;
        let ang = 2.0 * std::f64::consts::PI * u2;
        out.push(rad * ang.cos());
        out.push(rad * ang.sin());
    }
    out.truncate(n);
    Ok(out)
}

/// The skew-normal probability density at each `t` (`scipy.stats.skewnorm.pdf(t, a=shape, loc=location, scale=scale)`):
///
/// ```text
/// f(t) = (2 / scale) φ(z) Φ(shape · z),   z = (t - location) / scale
/// ```
///
/// with φ and Φ the standard normal pdf and cdf (statrs' `Normal`). Shape 0
/// is the normal density; positive shapes lean the tail to the right.
/// Accuracy: shape 0 to rounding; otherwise that of statrs 0.18's erfc,
/// about 1e-10 relative against `scipy.stats.skewnorm.pdf` (measured over the
/// fixtures of `crates/core/tests/spectrum.rs`).
/// `t`, `location` and `scale` in the same units (seconds in study 02); the
/// density is in 1/units. Non-finite `t` give NaN.
///
/// ```
/// use numlab_core::signals::skew_normal_pdf;
/// // scipy.stats.skewnorm.pdf(0.0, a=0) = 1/sqrt(2π)
/// let f = skew_normal_pdf(&[0.0], 0.0, 1.0, 0.0)?;
/// assert!((f[0] - 0.3989422804014327).abs() < 1e-16);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// `location` or `shape` not finite; `scale` not finite or <= 0.
pub fn skew_normal_pdf(t: &[f64], location: f64, scale: f64, shape: f64) -> Result<Vec<f64>> {
    use statrs::distribution::{Continuous, ContinuousCDF, Normal};
    check::finite("location", location)?;
    check::positive("scale", scale)?;
    check::finite("shape", shape)?;
    let std = Normal::standard();
    Ok(t.iter()
        .map(|&t| {
            let z = (t - location) / scale;
            2.0 / scale * std.pdf(z) * std.cdf(shape * z)
        })
        .collect())
}

/// A band-limited random signal and a copy delayed by a fractional number of
/// samples: `(a, b)` with `b(t) = a(t - delay)` exactly, as two recordings of
/// one process would be.
///
/// Both are `n` samples of one periodic signal whose period P (the smallest
/// multiple of 4 with factors 2, 3, 5 that is at least `2n + 2|delay|`) is
/// longer than anything compared: its spectrum has a standard normal
/// complex value at every frequency `k / P` (cycles per sample) inside
/// `[low, high]` and zero elsewhere, so the signal is band-limited and the
/// delayed copy is exact (each frequency's phase turned by
/// `-2π k delay / P`). Scaled to unit RMS over the period.
///
/// ```
/// use numlab_core::signals::delayed_pair;
/// let (a, b) = delayed_pair(1000, 0.05, 0.4, 10.0, 1)?;
/// // A whole-sample delay is a plain shift.
/// assert!((b[10] - a[0]).abs() < 1e-12 && (b[999] - a[989]).abs() < 1e-12);
/// // Unit RMS (over the period; about 1 over the n samples).
/// let rms = (a.iter().map(|v| v * v).sum::<f64>() / 1000.0).sqrt();
/// assert!((rms - 1.0).abs() < 0.1, "{rms}");
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// `n` = 0; `low`, `high` not in `0 <= low < high <= 0.5` (cycles per
/// sample); `delay` not finite or so large that the period would exceed 2^28
/// samples.
pub fn delayed_pair(
    n: usize,
    low: f64,
    high: f64,
    delay: f64,
    seed: u64,
) -> Result<(Vec<f64>, Vec<f64>)> {
    use crate::spectrum::Complex64;
    if n == 0 {
        return Err(NumlabError::TooShort {
            name: "n",
            len: 0,
            min: 1,
        });
    }
    if !(low.is_finite() && (0.0..0.5).contains(&low)) {
        return Err(NumlabError::invalid(
            "low",
            low,
            "must be in [0, 0.5) cycles per sample",
        ));
    }
    if !(high.is_finite() && high > low && high <= 0.5) {
        return Err(NumlabError::invalid(
            "high",
            high,
            "must be above low and at most 0.5 cycles per sample",
        ));
    }
    let span = 2.0 * n as f64 + 2.0 * delay.abs();
    if !(delay.is_finite() && span <= (1u64 << 28) as f64) {
        return Err(NumlabError::invalid(
            "delay",
            delay,
            "must be finite and small enough for a period of at most 2^28 samples",
        ));
    }
    let period = crate::xcorr::fft::smallest_fast_len(span.ceil() as usize);
    let mut r = rng(seed);
    let mut gauss = || {
        let u1 = 1.0 - r.random::<f64>();
        let u2 = r.random::<f64>();
        let rad = (-2.0 * u1.ln()).sqrt();
        (
            rad * (2.0 * std::f64::consts::PI * u2).cos(),
            rad * (2.0 * std::f64::consts::PI * u2).sin(),
        )
    };
    let m = period / 2 + 1;
    let mut sa = vec![Complex64::new(0.0, 0.0); m];
    let mut sb = vec![Complex64::new(0.0, 0.0); m];
    let mut power = 0.0;
    for k in 1..m - 1 {
        let f = k as f64 / period as f64;
        if f < low || f > high {
            continue;
        }
        let (re, im) = gauss();
        let c = Complex64::new(re, im);
        // Turn by -2π k delay / P, the phase reduced exactly for whole delays.
        let whole = delay.trunc();
        let whole_turns = (k as i128 * whole as i128).rem_euclid(period as i128) as f64;
        let turns = (whole_turns + k as f64 * (delay - whole)) / period as f64;
        sa[k] = c;
        sb[k] = c * Complex64::from_polar(1.0, -2.0 * std::f64::consts::PI * turns);
        power += 2.0 * c.norm_sqr();
    }
    if power == 0.0 {
        return Err(NumlabError::invalid(
            "high",
            high,
            "the band [low, high] holds no frequency of the period; widen it",
        ));
    }
    // Parseval: irfft (which divides by P) has Σ x² = power / P over the
    // period, so RMS = sqrt(power) / P.
    let scale = period as f64 / power.sqrt();
    let mut a = crate::spectrum::transform::irfft_unchecked(&sa, period);
    let mut b = crate::spectrum::transform::irfft_unchecked(&sb, period);
    a.truncate(n);
    b.truncate(n);
    for v in a.iter_mut().chain(b.iter_mut()) {
        *v *= scale;
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_in_range() {
        let a = uniform(1000, -4.0, 4.0, 1).unwrap();
        assert_eq!(a, uniform(1000, -4.0, 4.0, 1).unwrap());
        assert_ne!(a, uniform(1000, -4.0, 4.0, 2).unwrap());
        assert!(a.iter().all(|v| (-4.0..4.0).contains(v)));
        let mean = a.iter().sum::<f64>() / 1000.0;
        assert!(mean.abs() < 0.3, "mean {mean}");
        let s = sorted_uniform(100, 0.0, 1.0, 3).unwrap();
        assert!(s.windows(2).all(|w| w[0] <= w[1]));
        assert!(uniform(3, 1.0, 1.0, 0).is_err());
    }

    #[test]
    fn normal_moments() {
        let v = normal(100_001, 2.0, 5).unwrap();
        assert_eq!(v.len(), 100_001);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
        // Standard errors: 2/sqrt(n) = 0.0063 for the mean, about 0.018 for the variance of 4.
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 4.0).abs() < 0.09, "var {var}");
        assert!(normal(3, -1.0, 0).is_err());
    }
}
