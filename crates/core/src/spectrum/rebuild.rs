//! The real DFT of a signal kept with its length and sample spacing: exact
//! rebuild, the explicit sum of cosines, and low-pass by threshold or top K.

use rustfft::num_complex::Complex64;

use super::transform::{irfft_unchecked, rfft_unchecked, rfftfreq_unchecked};
use crate::error::{check, NumlabError, Result};

/// The one-sided DFT of a real signal of `n` samples spaced `dt` seconds:
/// `coefficients[k] = X_k = Σ_j x_j e^{-2πi jk/n}` for k = 0..=n/2 (what
/// `numpy.fft.rfft` returns), at frequency k / (n dt) Hz.
///
/// ```
/// use numlab_core::spectrum::RealDft;
/// let x: Vec<f64> = (0..9).map(|i| (i as f64 * 0.7).sin()).collect();
/// let dft = RealDft::new(&x, 0.01)?;
/// let back = dft.rebuild();                 // odd n = 9 keeps all 9 samples
/// assert_eq!(back.len(), 9);
/// assert!(x.iter().zip(&back).all(|(a, b)| (a - b).abs() < 1e-15));
/// let low = dft.keep_top(2)?;               // the 2 largest |X_k| only
/// assert_eq!(low.kept.len(), 2);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RealDft {
    /// Number of samples of the signal.
    pub n: usize,
    /// Sample spacing (s).
    pub dt: f64,
    /// X_0 ..= X_{n/2} (n/2 + 1 values, signal units × samples); serialised
    /// as `[re, im]` pairs.
    #[serde(serialize_with = "pairs")]
    pub coefficients: Vec<Complex64>,
}

/// A low-passed DFT: the coefficients kept, the others set to zero.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LowPass {
    /// The indices k kept, ascending. Each stands for the frequency pair
    /// ±k/(n dt) (k = 0 and, for even n, k = n/2 are single frequencies).
    pub kept: Vec<usize>,
    /// The DFT with every other coefficient zero.
    pub dft: RealDft,
}

fn pairs<S: serde::Serializer>(v: &[Complex64], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for c in v {
        seq.serialize_element(&[c.re, c.im])?;
    }
    seq.end()
}

impl LowPass {
    /// The rebuilt signal, n samples (see [`RealDft::rebuild`]).
    pub fn rebuild(&self) -> Vec<f64> {
        self.dft.rebuild()
    }
}

impl RealDft {
    /// The DFT of `x`, sampled every `dt` seconds.
    ///
    /// # Errors
    /// Empty `x`; NaN or infinite values; values so large that the DFT
    /// overflows (n max|x| >= 1e307); `dt` not finite or <= 0.
    pub fn new(x: &[f64], dt: f64) -> Result<Self> {
        check::min_len("x", x, 1)?;
        check::all_finite("x", x)?;
        super::check_magnitude(x)?;
        check::positive("dt", dt)?;
        Ok(RealDft {
            n: x.len(),
            dt,
            coefficients: rfft_unchecked(x),
        })
    }

    /// The frequency of each coefficient (Hz): `numpy.fft.rfftfreq(n, dt)`.
    pub fn frequencies(&self) -> Vec<f64> {
        rfftfreq_unchecked(self.n, self.dt)
    }

    /// The exact inverse, `numpy.fft.irfft(X, n)`: n samples (odd n included),
    /// equal to the signal to within rounding (about 1e-16 × max|x| × log n).
    pub fn rebuild(&self) -> Vec<f64> {
        irfft_unchecked(&self.coefficients, self.n)
    }

    /// The explicit sum of cosines the questioner wrote, with the right
    /// scaling, at any times `t` (s, t = 0 at the first sample):
    ///
    /// ```text
    /// x(t) = Σ_{k over all n DFT bins} (|X_k| / n) cos(2π f_k t + φ_k)
    ///      = |X_0|/n cos φ_0 + Σ_{k=1}^{⌊(n-1)/2⌋} (2|X_k|/n) cos(2π f_k t + φ_k)
    ///        [+ |X_{n/2}|/n cos(π t/dt + φ_{n/2}) for even n]
    /// ```
    ///
    /// with f_k from `fftfreq(n, dt)` and φ_k = arg X_k. The negative
    /// frequencies pair with the positive ones (X_{n-k} = conj X_k), which is
    /// where the one-sided factor 2 comes from: it belongs to the one-sided sum
    /// only. At t = j dt it equals [`rebuild`](Self::rebuild) within rounding;
    /// between samples it is the trigonometric interpolant (periodic with
    /// period n dt). Cost O(n × len(t)). Non-finite t give NaN.
    pub fn rebuild_sum(&self, t: &[f64]) -> Vec<f64> {
        let n = self.n;
        let inv_n = 1.0 / n as f64;
        let freqs = self.frequencies();
        // One-sided amplitudes and phases.
        let terms: Vec<(f64, f64, f64)> = self
            .coefficients
            .iter()
            .zip(&freqs)
            .enumerate()
            .filter(|(_, (c, _))| c.re != 0.0 || c.im != 0.0)
            .map(|(k, (c, &f))| {
                let single = k == 0 || (n & 1 == 0 && k == n / 2);
                let a = if single { 1.0 } else { 2.0 } * c.norm() * inv_n;
                (a, f, c.arg())
            })
            .collect();
        let two_pi = 2.0 * std::f64::consts::PI;
        t.iter()
            .map(|&t| {
                terms
                    .iter()
                    .map(|&(a, f, phi)| a * (two_pi * f * t + phi).cos())
                    .sum()
            })
            .collect()
    }

    /// Number of coefficients, n/2 + 1 (each a frequency pair ±f except DC
    /// and, for even n, Nyquist).
    pub fn len(&self) -> usize {
        self.coefficients.len()
    }

    /// Never true (a DFT holds at least X_0).
    pub fn is_empty(&self) -> bool {
        self.coefficients.is_empty()
    }

    /// Keeps the coefficients with |X_k| >= `threshold` (|X_k| as
    /// `numpy.fft.rfft` returns it, signal units × samples; the forum
    /// answer's `data_fft[np.abs(data_fft) < threshold] = 0`), zeroes the rest.
    ///
    /// # Errors
    /// `threshold` NaN, infinite or < 0.
    pub fn keep_above(&self, threshold: f64) -> Result<LowPass> {
        if !(threshold.is_finite() && threshold >= 0.0) {
            return Err(NumlabError::invalid(
                "threshold",
                threshold,
                "must be finite and >= 0 (a bound on |X_k|)",
            ));
        }
        let kept: Vec<usize> = (0..self.len())
            .filter(|&k| self.coefficients[k].norm() >= threshold)
            .collect();
        Ok(self.keep_indices(kept))
    }

    /// Keeps the `k` coefficients of largest |X_k| (ties to the lower
    /// frequency), zeroes the rest. For a smooth pulse they are the k lowest
    /// frequencies: an ideal low-pass.
    ///
    /// # Errors
    /// `k` larger than the n/2 + 1 coefficients available.
    pub fn keep_top(&self, k: usize) -> Result<LowPass> {
        if k > self.len() {
            return Err(NumlabError::TooLarge {
                name: "k",
                value: k,
                available: self.len(),
                what: "coefficients n/2 + 1 of the one-sided DFT",
            });
        }
        let mag: Vec<f64> = self.coefficients.iter().map(|c| c.norm()).collect();
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| mag[b].total_cmp(&mag[a]).then(a.cmp(&b)));
        let mut kept = order[..k].to_vec();
        kept.sort_unstable();
        Ok(self.keep_indices(kept))
    }

    fn keep_indices(&self, kept: Vec<usize>) -> LowPass {
        let mut coefficients = vec![Complex64::new(0.0, 0.0); self.len()];
        for &k in &kept {
            coefficients[k] = self.coefficients[k];
        }
        LowPass {
            kept,
            dft: RealDft {
                n: self.n,
                dt: self.dt,
                coefficients,
            },
        }
    }
}
