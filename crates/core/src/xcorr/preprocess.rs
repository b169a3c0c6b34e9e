//! Preprocessing before a correlation: mean removal and an FFT band-pass.

use crate::error::{check, NumlabError, Result};
use crate::spectrum::transform::{irfft_unchecked, rfft_unchecked};

/// `x - mean(x)`, the mean summed pairwise-free in one pass (exact enough:
/// the mean of n values carries n ulps of error at worst).
pub(crate) fn centred(x: &[f64]) -> Vec<f64> {
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    x.iter().map(|v| v - mean).collect()
}

/// Subtracts the mean of `x` in place (as [`centred`]).
pub(crate) fn centre_in_place(x: &mut [f64]) {
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    for v in x.iter_mut() {
        *v -= mean;
    }
}

/// 2^k as an f64, for |k| <= 1022.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Multiplies `x` in place by the power of two that brings its largest
/// magnitude into [1, 2). Only exponents change, so the scaling is exact
/// (short of values more than 2^1022 below the largest, which fall into the
/// subnormal range): correlations, peaks and every ratio of the scaled signal
/// are those of any power-of-two multiple of it, bit for bit, and sums of
/// squares neither overflow (amplitudes near 1e300) nor underflow (near
/// 1e-300). A signal of zeros (or with a non-finite value) is left alone.
pub(crate) fn scale_to_unit(x: &mut [f64]) {
    let max = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return;
    }
    // The binary exponent of max: from the bits for normal numbers, after a
    // lift by 2^64 for subnormal ones.
    let exponent = |v: f64| ((v.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let e = if max.is_normal() {
        exponent(max)
    } else {
        exponent(max * pow2(64)) - 64
    };
    if e == 0 {
        return;
    }
    // -e lies in -1023..=1074: two factors, each within range.
    let (f1, f2) = (pow2(-e / 2), pow2(-e - (-e / 2)));
    for v in x.iter_mut() {
        *v = *v * f1 * f2;
    }
}

/// `x - mean(x)`.
///
/// # Errors
/// Empty `x`; NaN or infinite values.
pub fn remove_mean(x: &[f64]) -> Result<Vec<f64>> {
    check::min_len("x", x, 1)?;
    check::all_finite("x", x)?;
    Ok(centred(x))
}

/// An ideal band-pass by FFT mask: the DFT of `x` (its own length, no
/// padding) with every bin whose frequency lies outside `[low, high]` Hz set
/// to zero, transformed back. Bin k has frequency `k · rate / n`.
///
/// The mask treats `x` as one period of a periodic signal, so a recording
/// whose ends differ rings near its ends after filtering; a window applied
/// after the band-pass ([`super::DelayEstimator::with_window`]) hides that. With
/// `low > 0` the mean is removed too (bin 0 is outside the band).
///
/// ```
/// use numlab_core::xcorr::bandpass;
/// // 5 Hz and 40 Hz tones at 100 Hz for 1 s: keep 20..50 Hz.
/// let x: Vec<f64> = (0..100)
///     .map(|i| {
///         let t = i as f64 / 100.0;
///         (2.0 * std::f64::consts::PI * 5.0 * t).sin() + (2.0 * std::f64::consts::PI * 40.0 * t).cos()
///     })
///     .collect();
/// let y = bandpass(&x, 100.0, 20.0, 50.0)?;
/// for (i, v) in y.iter().enumerate() {
///     let t = i as f64 / 100.0;
///     assert!((v - (2.0 * std::f64::consts::PI * 40.0 * t).cos()).abs() < 1e-12);
/// }
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `x`; NaN or infinite values; `rate` not finite and > 0; `low` not
/// finite and >= 0, or at or above rate / 2; `high` not finite and > `low`.
pub fn bandpass(x: &[f64], rate: f64, low: f64, high: f64) -> Result<Vec<f64>> {
    check::min_len("x", x, 1)?;
    check::all_finite("x", x)?;
    check::positive("rate", rate)?;
    check_band(low, high)?;
    if low >= 0.5 * rate {
        return Err(NumlabError::invalid(
            "low",
            low,
            "the band must start below the Nyquist frequency, rate / 2",
        ));
    }
    Ok(bandpass_unchecked(x, rate, low, high))
}

pub(crate) fn check_band(low: f64, high: f64) -> Result<()> {
    if !(low.is_finite() && low >= 0.0) {
        return Err(NumlabError::invalid(
            "low",
            low,
            "must be finite and >= 0 Hz",
        ));
    }
    if !(high.is_finite() && high > low) {
        return Err(NumlabError::invalid(
            "high",
            high,
            "must be finite and above the band's low edge",
        ));
    }
    Ok(())
}

pub(crate) fn bandpass_unchecked(x: &[f64], rate: f64, low: f64, high: f64) -> Vec<f64> {
    let n = x.len();
    let mut spectrum = rfft_unchecked(x);
    let df = rate / n as f64;
    for (k, c) in spectrum.iter_mut().enumerate() {
        let f = k as f64 * df;
        if f < low || f > high {
            *c = rustfft::num_complex::Complex64::new(0.0, 0.0);
        }
    }
    irfft_unchecked(&spectrum, n)
}
