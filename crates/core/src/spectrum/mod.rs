//! Spectra of real signals: NumPy's `fftfreq`/`rfftfreq`, forward and inverse
//! transforms, amplitude and phase spectra with their scaling named, windows,
//! the estimate of a tone between bins, exact rebuild and low-pass.
//!
//! # Which one to use
//!
//! - The amplitude of each frequency in signal units: [`amplitude_spectrum`]
//!   (one-sided, rectangular window), or [`SpectrumOptions`] for a window, the
//!   two-sided form or the continuous-transform density.
//! - One sinusoid's frequency, amplitude and phase between bins:
//!   [`estimate_tone`].
//! - Rebuild a signal from its spectrum, whole or low-passed: [`RealDft`]
//!   ([`RealDft::rebuild`], [`RealDft::keep_top`], [`RealDft::keep_above`],
//!   and the questioner's explicit cosine sum [`RealDft::rebuild_sum`]).
//! - The raw transforms: [`rfft`], [`irfft`], [`fft`], [`ifft`], with NumPy's
//!   sign, order and normalisation (`norm="backward"`).
//!
//! # Convention
//!
//! ```text
//! X_k = Σ_{j=0}^{N-1} x_j e^{-2πi jk/N}         (no factor on the forward transform)
//! x_j = (1/N) Σ_{k=0}^{N-1} X_k e^{2πi jk/N}     (1/N on the inverse)
//! f_k = k / (N dt)                              (Hz, dt in seconds)
//! ```
//!
//! Output order is NumPy's: [`rfft`] returns k = 0..=N/2 (N/2 rounded down);
//! [`fft`] returns k = 0..N-1, the upper half being the negative frequencies
//! (see [`fftfreq`]).
//!
//! # Scaling of amplitude spectra
//!
//! | [`Scaling`] | [`Sides`] | value at bin k | reads as |
//! |---|---|---|---|
//! | `Amplitude` | `Two` | \|X_k\| / N | half the amplitude of a cosine at ±f_k (each sign carries half) |
//! | `Amplitude` | `One` | 2\|X_k\| / N for 0 < k < N/2; \|X_k\| / N at k = 0 and (even N) k = N/2 | the amplitude A of `A cos(2π f_k t + φ)`; the mean at k = 0 |
//! | `Density` | either | \|X_k\| · dt | \|X(f_k)\| of the continuous Fourier transform (signal units × s), the same at ±f, not doubled |
//!
//! DC and Nyquist are single bins, not pairs ±f, so they are not doubled. A
//! window w divides the values by its coherent gain mean(w), so an on-bin
//! sinusoid reads its amplitude whatever the window ([`Window`]). Phases are
//! `arg X_k` in radians, the φ of `cos(2π f_k t + φ)` with t = 0 at the first
//! sample. Exact for every N (odd, even, prime): tested for N = 1..1000 and
//! several large N against the naive sums of [`mod@reference`].
//!
//! Rebuilding: summing `(|X_k|/N) cos(2π f_k t + φ_k)` over **all** N bins
//! (both signs of f) gives the signal back; the one-sided factor 2 belongs
//! only to the sum over k >= 0 — putting it into the two-sided sum doubles the
//! signal (the questioner's error, with π and df on top).
//!
//! # Plans
//!
//! Transforms run on realfft and RustFFT; plans are cached per length for the
//! life of the process (see the `transform` module's source: one `Mutex`
//! around both planners, held only to fetch a plan).

mod polar;
mod rebuild;
pub mod reference;
mod tone;
pub(crate) mod transform;
mod window;

pub use rebuild::{LowPass, RealDft};
pub use rustfft::num_complex::{self, Complex64};
pub use tone::{estimate_tone, Tone, TONE_AMPLITUDE_BOUND, TONE_BIN_BOUND, TONE_PHASE_BOUND};
pub use transform::{fft, fftfreq, ifft, irfft, rfft, rfftfreq};
pub use window::Window;

use crate::error::{check, num, sig3, NumlabError, Result};

/// One-sided (f >= 0) or two-sided (every `fftfreq` bin) spectrum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sides {
    /// f = 0 ..= fs/2, N/2 + 1 values.
    #[default]
    One,
    /// All N bins in NumPy's `fftfreq` order: 0, positive, then negative.
    Two,
}

impl Sides {
    /// `one` or `two`.
    pub fn name(self) -> &'static str {
        match self {
            Sides::One => "one",
            Sides::Two => "two",
        }
    }
}

impl std::fmt::Display for Sides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Sides {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "one" | "1" | "one-sided" | "onesided" => Ok(Sides::One),
            "two" | "2" | "two-sided" | "twosided" => Ok(Sides::Two),
            _ => Err(NumlabError::UnknownName {
                name: "sides",
                value: s.to_string(),
                expected: "one, two",
            }),
        }
    }
}

/// What the values of an amplitude spectrum mean (table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scaling {
    /// Sinusoid amplitudes in signal units.
    #[default]
    Amplitude,
    /// |X_k| · dt: the continuous Fourier transform's magnitude (signal units × s).
    Density,
}

impl Scaling {
    /// `amplitude` or `density`.
    pub fn name(self) -> &'static str {
        match self {
            Scaling::Amplitude => "amplitude",
            Scaling::Density => "density",
        }
    }
}

impl std::fmt::Display for Scaling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Scaling {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "amplitude" => Ok(Scaling::Amplitude),
            "density" => Ok(Scaling::Density),
            _ => Err(NumlabError::UnknownName {
                name: "scaling",
                value: s.to_string(),
                expected: "amplitude, density",
            }),
        }
    }
}

/// An amplitude and phase spectrum with the convention that made it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Spectrum {
    /// Frequencies (Hz): `rfftfreq(n, dt)` one-sided, `fftfreq(n, dt)` two-sided.
    pub frequency: Vec<f64>,
    /// Amplitudes (signal units; signal units × s for `Density`).
    pub amplitude: Vec<f64>,
    /// Phases arg X_k (radians).
    pub phase: Vec<f64>,
    /// Number of samples.
    pub n: usize,
    /// Sample spacing (s).
    pub dt: f64,
    /// One- or two-sided.
    pub sides: Sides,
    /// Amplitude or density.
    pub scaling: Scaling,
    /// The window applied.
    pub window: Window,
}

/// How to compute an amplitude spectrum: sample spacing, window, sides,
/// scaling; validated when built.
///
/// ```
/// use numlab_core::spectrum::{Sides, SpectrumOptions, Window};
/// // 3 cos(2π 50 t + 0.5) sampled at 1 kHz for 0.2 s: bin 10 exactly.
/// let x: Vec<f64> = (0..200).map(|j| 3.0 * (2.0 * std::f64::consts::PI * 50.0 * j as f64 * 1e-3 + 0.5).cos()).collect();
/// let s = SpectrumOptions::new(1e-3)?.with_window(Window::Hann).compute(&x)?;
/// assert!((s.frequency[10] - 50.0).abs() < 1e-12);
/// assert!((s.amplitude[10] - 3.0).abs() < 1e-12 && (s.phase[10] - 0.5).abs() < 1e-12);
/// let two = SpectrumOptions::new(1e-3)?.with_sides(Sides::Two).compute(&x)?;
/// assert!((two.amplitude[10] - 1.5).abs() < 1e-12 && (two.amplitude[190] - 1.5).abs() < 1e-12);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SpectrumOptions {
    dt: f64,
    /// The rate the spacing came from ([`SpectrumOptions::from_rate`]), so
    /// that errors name what the caller gave.
    #[serde(skip)]
    rate: Option<f64>,
    window: Window,
    sides: Sides,
    scaling: Scaling,
}

impl SpectrumOptions {
    /// Samples every `dt` seconds; one-sided, amplitude scaling, rectangular window.
    ///
    /// # Errors
    /// `dt` not finite or <= 0. (A dt so small that 1/dt overflows, or so
    /// large that the frequency step 1/(n dt) underflows, is refused by
    /// [`compute`](Self::compute), which knows n.)
    pub fn new(dt: f64) -> Result<Self> {
        check::positive("dt", dt)?;
        Ok(SpectrumOptions {
            dt,
            rate: None,
            window: Window::Rectangular,
            sides: Sides::One,
            scaling: Scaling::Amplitude,
        })
    }

    /// Samples at `rate` Hz (dt = 1 / rate).
    ///
    /// # Errors
    /// `rate` not finite or <= 0; a rate whose spacing 1/rate or whose
    /// highest frequency overflows or underflows ([`NumlabError::OutOfRange`]
    /// on `rate`).
    pub fn from_rate(rate: f64) -> Result<Self> {
        check::positive("rate", rate)?;
        let options = SpectrumOptions {
            dt: 1.0 / rate,
            rate: Some(rate),
            window: Window::Rectangular,
            sides: Sides::One,
            scaling: Scaling::Amplitude,
        };
        options.check_sampling(1)?;
        Ok(options)
    }

    /// Checks that the quantities derived from the spacing are normal,
    /// finite numbers for `n` samples: dt itself, the highest frequency
    /// 1/(2 dt) and the frequency step 1/(n dt). The error names `rate`
    /// when the spacing came from a rate, else `dt`, with the range allowed.
    fn check_sampling(&self, n: usize) -> Result<()> {
        let dt = self.dt;
        let step = 1.0 / (n as f64 * dt);
        if dt.is_normal() && (1.0 / dt).is_finite() && step.is_normal() {
            return Ok(());
        }
        let what = if !dt.is_finite() {
            "the spacing 1/rate overflows".to_string()
        } else if !(1.0 / dt).is_finite() || !dt.is_normal() {
            match self.rate {
                Some(_) => format!("the spacing 1/rate = {dt:e} s underflows"),
                None => "1/dt overflows, and with it the frequencies up to 1/(2 dt)".to_string(),
            }
        } else if step == 0.0 {
            format!("the frequency step 1/(n dt) for n = {n} samples underflows to 0, so every frequency would read 0")
        } else {
            format!(
                "the frequency step 1/(n dt) for n = {n} samples, {step:e} Hz, underflows (subnormal)"
            )
        };
        // dt in [1/MAX, 1/(n MIN_POSITIVE)], rate in [n MIN_POSITIVE, MAX]
        // (and rate at most 1/MIN_POSITIVE for a normal dt).
        let samples = if n > 1 {
            format!(" for {n} samples")
        } else {
            String::new()
        };
        Err(match self.rate {
            None if !(1.0 / dt).is_finite() => NumlabError::invalid(
                "dt",
                dt,
                "is too small: 1/dt overflows, and with it the frequencies up to 1/(2 dt); dt must be at least 5.6e-309 s",
            ),
            Some(rate) => NumlabError::OutOfRange {
                name: "rate",
                value: num(rate),
                why: format!(
                    "{what}; the rate must lie between {} and {} Hz{samples}",
                    sig3(n as f64 * f64::MIN_POSITIVE * 1.01),
                    sig3(1.0 / f64::MIN_POSITIVE / 1.01)
                ),
            },
            None => NumlabError::OutOfRange {
                name: "dt",
                value: num(dt),
                why: format!(
                    "{what}; dt must lie between {} and {} s{samples}",
                    sig3(1.0 / f64::MAX * 1.01),
                    sig3(1.0 / (n as f64 * f64::MIN_POSITIVE) / 1.01)
                ),
            },
        })
    }

    /// The window.
    pub fn with_window(mut self, window: Window) -> Self {
        self.window = window;
        self
    }

    /// One- or two-sided.
    pub fn with_sides(mut self, sides: Sides) -> Self {
        self.sides = sides;
        self
    }

    /// Amplitude or density.
    pub fn with_scaling(mut self, scaling: Scaling) -> Self {
        self.scaling = scaling;
        self
    }

    /// The sample spacing (s).
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// The spectrum of `x`.
    ///
    /// # Errors
    /// Empty `x`; NaN or infinite values; values so large that the DFT
    /// overflows (n max|x| >= 1e307); a spacing so large that the frequency
    /// step 1/(n dt) underflows, where every frequency would read 0
    /// ([`NumlabError::OutOfRange`] on `dt`, or on `rate` when built by
    /// [`from_rate`](Self::from_rate)).
    pub fn compute(&self, x: &[f64]) -> Result<Spectrum> {
        check::min_len("x", x, 1)?;
        check::all_finite("x", x)?;
        check_magnitude(x)?;
        let n = x.len();
        self.check_sampling(n)?;
        match self.window {
            Window::Rectangular => transform::with_rfft(x, |c| self.spectrum_of(c, n, 1.0)),
            w => {
                let values = w.values(n);
                let gain = values.iter().sum::<f64>() / n as f64;
                let xw: Vec<f64> = x.iter().zip(&values).map(|(a, b)| a * b).collect();
                transform::with_rfft(&xw, |c| self.spectrum_of(c, n, gain))
            }
        }
    }

    fn spectrum_of(&self, coeffs: &[Complex64], n: usize, gain: f64) -> Result<Spectrum> {
        // Windows of n = 1 or 2 samples may be all zero (Hann): nothing to
        // correct by, so report the uncorrected values.
        let gain = if gain > 0.0 { gain } else { 1.0 };
        let base = match self.scaling {
            Scaling::Amplitude => 1.0 / (n as f64 * gain),
            Scaling::Density => self.dt / gain,
        };
        let m = coeffs.len();
        let len = match self.sides {
            Sides::One => m,
            Sides::Two => n,
        };
        // Huge-page-backed outputs: a million-value spectrum otherwise spends
        // more time in page faults than in the FFT (see crate::alloc).
        let mut amplitude = crate::alloc::zeroed(len);
        let mut phase = crate::alloc::zeroed(len);
        polar(coeffs, base, &mut amplitude[..m], &mut phase[..m]);
        let frequency = match self.sides {
            Sides::One => {
                if self.scaling == Scaling::Amplitude {
                    // Pairs ±f_k count twice; DC and (even n) Nyquist are single bins.
                    let last_pair = if n & 1 == 0 { m - 1 } else { m };
                    for a in amplitude.iter_mut().take(last_pair).skip(1) {
                        *a *= 2.0;
                    }
                }
                let mut f = crate::alloc::zeroed(m);
                transform::rfftfreq_fill(n, self.dt, &mut f);
                f
            }
            Sides::Two => {
                // X_{n-k} = conj(X_k): same amplitude, opposite phase.
                for i in m..n {
                    amplitude[i] = amplitude[n - i];
                    phase[i] = -phase[n - i];
                }
                fftfreq(n, self.dt)?
            }
        };
        Ok(Spectrum {
            frequency,
            amplitude,
            phase,
            n,
            dt: self.dt,
            sides: self.sides,
            scaling: self.scaling,
            window: self.window,
        })
    }
}

/// The one-sided amplitude spectrum of `x` sampled every `dt` seconds, with
/// phases and frequencies: `SpectrumOptions::new(dt)?.compute(x)`.
///
/// ```
/// use numlab_core::spectrum::amplitude_spectrum;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let s = amplitude_spectrum(&x, 0.5)?;
/// // numpy: X = rfft(x) = [10, -2+2j, -2]; amplitudes [10/4, 2·|X_1|/4, |X_2|/4]
/// assert_eq!(s.frequency, [0.0, 0.5, 1.0]);
/// assert!((s.amplitude[0] - 2.5).abs() < 1e-15 && (s.amplitude[2] - 0.5).abs() < 1e-15);
/// assert!((s.amplitude[1] - 2f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `x`; NaN or infinite values; `dt` not finite or <= 0.
pub fn amplitude_spectrum(x: &[f64], dt: f64) -> Result<Spectrum> {
    SpectrumOptions::new(dt)?.compute(x)
}

/// `amplitude[k] = |X_k| · scale`, `phase[k] = arg X_k`, over the worker
/// threads for long spectra (each value depends on its own coefficient only,
/// so results do not depend on the thread count).
fn polar(coeffs: &[Complex64], scale: f64, amplitude: &mut [f64], phase: &mut [f64]) {
    const CHUNK: usize = 1 << 15;
    let threads = crate::threads::num_threads();
    if threads <= 1 || coeffs.len() < 2 * CHUNK {
        polar::polar_into(coeffs, scale, amplitude, phase);
        return;
    }
    // Chunks much smaller than a thread's share: a helper that comes late
    // (asleep since the last parallel pass) still takes part of the work.
    crate::threads::for_each_chunk_pair(amplitude, phase, CHUNK, |start, a, p| {
        polar::polar_into(&coeffs[start..start + a.len()], scale, a, p);
    });
}

/// Refuses signals whose DFT could overflow: |X_k| <= n max|x| must stay
/// finite (below 1e307), or amplitudes and rebuilds come out infinite.
pub(crate) fn check_magnitude(x: &[f64]) -> Result<()> {
    let max = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max * x.len() as f64 >= 1e307 {
        return Err(NumlabError::invalid(
            "x",
            max,
            "is too large: n × max|x| must stay below 1e307 so that the DFT does not overflow",
        ));
    }
    Ok(())
}
