//! The delay between two recordings: a bounded peak search on the (weighted)
//! cross-correlation, refined below one sample.

use rustfft::num_complex::Complex64;

use super::{direct, fft, preprocess, Method, Prefix};
use crate::error::{check, num, sig3, NumlabError, Result};
use crate::spectrum::Window;

/// How the cross-spectrum is weighted before the peak search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    /// The plain cross-correlation: the maximum-likelihood choice for a
    /// broadband signal in white noise.
    #[default]
    Cc,
    /// GCC-PHAT: every frequency weighted to unit magnitude, so only phase
    /// counts. A strong tone or hum, which makes the plain correlation a
    /// broad, periodic ridge, no longer dominates; the peak is one sample
    /// wide. Weak, noisy bands count as much as strong ones, so on a clean
    /// broadband signal in white noise it is less accurate than `Cc`.
    Phat,
}

impl Weighting {
    /// The lowercase name (`cc`, `phat`).
    pub fn name(self) -> &'static str {
        match self {
            Weighting::Cc => "cc",
            Weighting::Phat => "phat",
        }
    }
}

impl std::fmt::Display for Weighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Weighting {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "cc" | "xcorr" => Ok(Weighting::Cc),
            "phat" | "gccphat" => Ok(Weighting::Phat),
            _ => Err(NumlabError::UnknownName {
                name: "method",
                value: s.to_string(),
                expected: "cc, phat",
            }),
        }
    }
}

/// How the integer peak is refined below one sample.
///
/// Measured bias (`crates/core/tests/xcorr.rs` and the study's figure:
/// noise-free band-limited noise, 0.05..0.4 of the sampling rate, 4,096
/// samples, delays from 0 to 200.3 samples): `Parabolic` is off by up to 0.07
/// sample (near zero at whole and half samples, largest near a quarter);
/// `Accurate` by at most 3e-4 sample, 7e-5 with a Hann window (1.3e-4 on the
/// study's 8,192 samples; what remains comes from the ends of the
/// recordings, where they do not overlap). Both
/// assume the peak is a peak of the signal's correlation; for a pure tone of
/// a few periods, the window's envelope pulls the peak toward zero lag, and
/// the tone's phase ([`crate::spectrum::estimate_tone`]) is the better
/// measure of a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subsample {
    /// Whole samples only.
    None,
    /// The vertex of the parabola through the peak and its two neighbours:
    /// cheap, biased toward whole samples for sharp peaks.
    #[default]
    Parabolic,
    /// The maximum of the band-limited (trigonometric) interpolant of the
    /// correlation, `r(τ) = (1/L) Σ_k S_k e^{2πikτ/L}` over the
    /// cross-spectrum S of the zero-padded signals, found by safeguarded
    /// Newton steps between the peak's neighbours. It is exact for the
    /// correlation samples themselves and unbiased for band-limited signals;
    /// each step costs O(L).
    Accurate,
}

impl Subsample {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Subsample::None => "none",
            Subsample::Parabolic => "parabolic",
            Subsample::Accurate => "accurate",
        }
    }
}

impl std::fmt::Display for Subsample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Subsample {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "integer" => Ok(Subsample::None),
            "parabolic" | "parabola" => Ok(Subsample::Parabolic),
            "accurate" | "sinc" | "bandlimited" => Ok(Subsample::Accurate),
            _ => Err(NumlabError::UnknownName {
                name: "subsample",
                value: s.to_string(),
                expected: "none, parabolic, accurate",
            }),
        }
    }
}

/// Which recording leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Leader {
    /// a leads: b is a delayed copy of a (delay > 0).
    A,
    /// b leads: a is a delayed copy of b (delay < 0).
    B,
    /// Neither: the delay is zero (below 1e-6 sample).
    None,
}

impl Leader {
    /// `a`, `b` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Leader::A => "a",
            Leader::B => "b",
            Leader::None => "none",
        }
    }
}

/// The estimated delay of b against a.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delay {
    /// The delay in samples: positive when b lags a, `b(t) = a(t - delay)`.
    pub delay_samples: f64,
    /// The delay in seconds, `delay_samples / rate`.
    pub delay_s: f64,
    /// Which recording leads.
    pub leader: Leader,
    /// The whole-sample lag of the correlation peak.
    pub peak_lag: i64,
    /// The Pearson coefficient of the raw overlapping samples, aligned at
    /// `peak_lag`: 1 for a delayed copy, near 0 for unrelated signals.
    pub coefficient: f64,
    /// How clearly the peak stands out, in [0, 1]: `(r_peak - r_next) /
    /// r_peak`, where `r_next` is the highest correlation in the searched
    /// lags outside the peak's own lobe (the run of values falling away from
    /// it on both sides). Near 0 for a periodic signal, whose correlation has
    /// other peaks almost as high one period away; 1 when nothing else is
    /// positive; 0 when the lobe fills the whole search (a bound of a few
    /// lags leaves nothing to compare with).
    pub confidence: f64,
    /// The peak is at the edge of the searched lags (`±max_lag`): the true
    /// delay may lie beyond the bound.
    pub at_search_edge: bool,
}

impl Delay {
    fn new(
        delay_samples: f64,
        rate: f64,
        peak_lag: i64,
        coefficient: f64,
        confidence: f64,
        at_search_edge: bool,
    ) -> Self {
        let leader = if delay_samples.abs() < 1e-6 {
            Leader::None
        } else if delay_samples > 0.0 {
            Leader::A
        } else {
            Leader::B
        };
        Delay {
            delay_samples,
            delay_s: delay_samples / rate,
            leader,
            peak_lag,
            coefficient,
            confidence,
            at_search_edge,
        }
    }
}

impl std::fmt::Display for Delay {
    /// `b lags a by 0.012300000 s (12.3000 samples)`, or the reverse, or
    /// `a and b are aligned`: seconds to 1e-9, samples to 1e-4 (the fields
    /// hold the full values).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (s, n) = (self.delay_s.abs(), self.delay_samples.abs());
        match self.leader {
            Leader::A => write!(f, "b lags a by {s:.9} s ({n:.4} samples)"),
            Leader::B => write!(f, "a lags b by {s:.9} s ({n:.4} samples)"),
            Leader::None => write!(f, "a and b are aligned (0 s)"),
        }
    }
}

/// The correlation searched for the peak, for plotting: `values[i]` belongs
/// to lag `first_lag + i` (samples, b against a).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Correlogram {
    /// The lag of `values[0]`.
    pub first_lag: i64,
    /// For [`Weighting::Cc`], the correlation of the preprocessed signals
    /// divided by `sqrt(Σa² Σb²)` (in [-1, 1]); for [`Weighting::Phat`], the
    /// GCC-PHAT function (1 at a perfect, noise-free match).
    pub values: Vec<f64>,
}

/// Estimates the delay between two recordings sampled at the same rate.
///
/// The steps, each optional but the search:
/// 1. the mean removed from both signals (on by default);
/// 2. a band-pass ([`super::bandpass`], off by default);
/// 3. a window (rectangular, i.e. none, by default);
/// 4. the cross-correlation of b against a, plain or GCC-PHAT weighted
///    ([`Weighting`]), over lags `-max_lag..=max_lag` (every lag where the
///    signals overlap by default), direct or by FFT, whichever is cheaper;
/// 5. the whole-sample peak, refined below one sample ([`Subsample`],
///    parabolic by default).
///
/// ```
/// use numlab_core::xcorr::{DelayEstimator, Leader};
/// // SciPy's example: y is x with 100 samples in front, i.e. x delayed.
/// let x = numlab_core::signals::normal(1000, 1.0, 7)?;
/// let mut y = numlab_core::signals::normal(100, 1.0, 8)?;
/// y.extend_from_slice(&x);
/// let d = DelayEstimator::new(1000.0)?.estimate(&x, &y)?;
/// assert_eq!(d.peak_lag, 100);
/// assert_eq!(d.leader, Leader::A); // y (b) lags x (a)
/// assert!((d.delay_s - 0.1).abs() < 1e-3);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DelayEstimator {
    rate: f64,
    max_lag: Option<f64>,
    weighting: Weighting,
    window: Window,
    band: Option<(f64, f64)>,
    subsample: Subsample,
    remove_mean: bool,
    method: Method,
}

impl DelayEstimator {
    /// An estimator for signals sampled at `rate` Hz, with the defaults above.
    ///
    /// # Errors
    /// `rate` not finite and > 0; a rate so high that the sample period
    /// 1/rate is not a normal number (above about 4.5e307 Hz,
    /// [`NumlabError::OutOfRange`]). A rate so low that a delay in seconds
    /// overflows is refused by [`DelayEstimator::estimate`], which knows the
    /// recordings' length.
    pub fn new(rate: f64) -> Result<Self> {
        check::positive("rate", rate)?;
        if !(1.0 / rate).is_normal() {
            return Err(NumlabError::OutOfRange {
                name: "rate",
                value: num(rate),
                why: if (1.0 / rate).is_infinite() {
                    format!(
                        "the sample period 1/rate overflows; at least {} Hz",
                        sig3(1.0 / f64::MAX)
                    )
                } else {
                    format!(
                        "the sample period 1/rate = {:e} s underflows; at most {} Hz",
                        1.0 / rate,
                        sig3(1.0 / f64::MIN_POSITIVE)
                    )
                },
            });
        }
        Ok(DelayEstimator {
            rate,
            max_lag: None,
            weighting: Weighting::Cc,
            window: Window::Rectangular,
            band: None,
            subsample: Subsample::Parabolic,
            remove_mean: true,
            method: Method::Auto,
        })
    }

    /// Search only delays with `|delay| <= seconds`.
    ///
    /// # Errors
    /// `seconds` negative or not finite. (Longer than the signals is
    /// reported by [`DelayEstimator::estimate`], which knows their length.)
    pub fn with_max_lag(mut self, seconds: f64) -> Result<Self> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(NumlabError::invalid(
                "max_lag",
                seconds,
                "must be finite and >= 0 seconds",
            ));
        }
        self.max_lag = Some(seconds);
        Ok(self)
    }

    /// The cross-spectrum's weighting.
    pub fn with_weighting(mut self, weighting: Weighting) -> Self {
        self.weighting = weighting;
        self
    }

    /// A window applied to both signals after the mean removal and band-pass
    /// (periodic form, [`Window::values`]). The recordings must then be of
    /// equal length: [`DelayEstimator::estimate`] refuses others.
    pub fn with_window(mut self, window: Window) -> Self {
        self.window = window;
        self
    }

    /// A band-pass from `low` to `high` Hz before the correlation.
    ///
    /// # Errors
    /// `low` not finite and >= 0; `high` not finite and > `low`.
    pub fn with_band(mut self, low: f64, high: f64) -> Result<Self> {
        preprocess::check_band(low, high)?;
        self.band = Some((low, high));
        Ok(self)
    }

    /// The sub-sample refinement.
    pub fn with_subsample(mut self, subsample: Subsample) -> Self {
        self.subsample = subsample;
        self
    }

    /// Keep the means (they are removed by default).
    pub fn keep_mean(mut self) -> Self {
        self.remove_mean = false;
        self
    }

    /// Force the direct or FFT route for the plain correlation (GCC-PHAT is
    /// always computed by FFT).
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// The sampling rate, Hz.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// The delay of `b` against `a`.
    ///
    /// Each recording is scaled by a power of two (exactly) before it is
    /// correlated, so the delay, coefficient and confidence of `s·a, s·b`
    /// are those of `a, b` for any scale s whose samples are representable:
    /// bit for bit when s is a power of two.
    ///
    /// # Errors
    /// `a` or `b` shorter than 2 samples; NaN or infinite values; a constant
    /// signal (or one the band-pass leaves empty: no peak exists); `max_lag`
    /// longer than the longer signal; a rate so low that the longest delay,
    /// (samples - 1) / rate seconds, overflows ([`NumlabError::OutOfRange`]
    /// on `rate`).
    pub fn estimate(&self, a: &[f64], b: &[f64]) -> Result<Delay> {
        let search = self.search(a, b)?;
        let peak = search.peak();
        let frac = match self.subsample {
            Subsample::None => 0.0,
            Subsample::Parabolic => search.parabolic(peak),
            Subsample::Accurate => search.accurate(peak),
        };
        let coefficient = raw_coefficient(a, b, peak);
        let confidence = search.confidence(peak);
        let at_edge = peak == search.lo || peak == search.lo + search.values.len() as i64 - 1;
        let (np, nq) = (b.len() as i64, a.len() as i64);
        // The ends of the full lag range are not an artificial bound.
        let at_bound = at_edge && peak != -(nq - 1) && peak != np - 1;
        // The refinement never leaves the searched lags.
        let hi = search.lo + search.values.len() as i64 - 1;
        let delay = (peak as f64 + frac).clamp(search.lo as f64, hi as f64);
        Ok(Delay::new(
            delay,
            self.rate,
            peak,
            coefficient,
            confidence,
            at_bound,
        ))
    }

    /// The correlation the peak is searched in (see [`Correlogram`]).
    ///
    /// # Errors
    /// As [`DelayEstimator::estimate`].
    pub fn correlogram(&self, a: &[f64], b: &[f64]) -> Result<Correlogram> {
        let search = self.search(a, b)?;
        let scale = match self.weighting {
            Weighting::Cc => 1.0 / search.energy,
            Weighting::Phat => 1.0,
        };
        Ok(Correlogram {
            first_lag: search.lo,
            values: search.values.iter().map(|v| v * scale).collect(),
        })
    }

    fn search(&self, a: &[f64], b: &[f64]) -> Result<Search> {
        check::min_len("a", a, 2)?;
        check::min_len("b", b, 2)?;
        check::all_finite("a", a)?;
        check::all_finite("b", b)?;
        let why = "two recordings that vary are needed for a correlation peak";
        super::check_varies("a", a, why)?;
        super::check_varies("b", b, why)?;
        let (na, nb) = (a.len() as i64, b.len() as i64);
        let longest_s = (na.max(nb) - 1) as f64 / self.rate;
        if !longest_s.is_finite() {
            return Err(NumlabError::OutOfRange {
                name: "rate",
                value: num(self.rate),
                why: format!(
                    "the longest delay between these recordings, {} samples / rate, overflows in seconds; at least {} Hz",
                    na.max(nb) - 1,
                    sig3((na.max(nb) - 1) as f64 / f64::MAX * 1.01)
                ),
            });
        }
        // Lags of b against a: b[n + ℓ] with a[n], ℓ in -(na - 1)..=nb - 1.
        let (mut lo, mut hi) = (-(na - 1), nb - 1);
        if let Some(seconds) = self.max_lag {
            let longest = na.max(nb) - 1;
            let k = (seconds * self.rate * (1.0 + 1e-12)).floor();
            if k > longest as f64 {
                return Err(NumlabError::invalid(
                    "max_lag",
                    seconds,
                    "must not exceed the longer signal's duration, (samples - 1) / rate seconds",
                ));
            }
            let k = k as i64;
            lo = lo.max(-k);
            hi = hi.min(k);
        }
        if self.window != Window::Rectangular && a.len() != b.len() {
            // Each window would taper its own recording, and the product of
            // two tapers centred apart pulls the peak toward the lag that
            // lines the centres up: a wrong delay with no warning.
            return Err(NumlabError::Unsupported(format!(
                "a {} window needs recordings of equal length (a has {} samples, b has {}): cut both to the same span, or use the rectangular window",
                self.window.name(),
                a.len(),
                b.len()
            )));
        }
        if let Some((low, _)) = self.band {
            if low >= 0.5 * self.rate {
                return Err(NumlabError::invalid(
                    "low",
                    low,
                    "the band must start below the Nyquist frequency, rate / 2",
                ));
            }
        }
        let p = self.prepare("b", b)?;
        let q = self.prepare("a", a)?;
        let energy = (direct::dot(&p, &p) * direct::dot(&q, &q)).sqrt();
        let count = (hi - lo + 1) as usize;
        let need_spectrum =
            self.weighting == Weighting::Phat || self.subsample == Subsample::Accurate;
        let route = match self.weighting {
            Weighting::Phat => Method::Fft,
            Weighting::Cc => self.method.resolve(p.len(), q.len(), count),
        };
        let mut search = Search {
            lo,
            values: Vec::new(),
            p,
            q,
            energy,
            spectrum: None,
            circular: None,
        };
        if route == Method::Fft || need_spectrum {
            search.transform(self.weighting, self.subsample == Subsample::Accurate);
        }
        search.values = match (&search.circular, route) {
            (Some(c), Method::Fft) => (lo..=hi).map(|l| circular_at(c, l)).collect(),
            _ => {
                let mut out = vec![0.0; count];
                direct::lags_into(&search.p, &search.q, lo, &mut out);
                out
            }
        };
        Ok(search)
    }

    fn prepare(&self, name: &'static str, x: &[f64]) -> Result<Vec<f64>> {
        // Scaled to unit size first (exactly), so that neither the mean nor
        // the energies over- or underflow; again after the mean is gone.
        let mut y = x.to_vec();
        preprocess::scale_to_unit(&mut y);
        if self.remove_mean {
            preprocess::centre_in_place(&mut y);
            preprocess::scale_to_unit(&mut y);
        }
        if let Some((low, high)) = self.band {
            y = preprocess::bandpass_unchecked(&y, self.rate, low, high);
        }
        if self.window != Window::Rectangular {
            let w = self.window.values(y.len());
            for (v, w) in y.iter_mut().zip(w) {
                *v *= w;
            }
        }
        if y.iter().all(|&v| v == 0.0) {
            return Err(NumlabError::Constant {
                name,
                value: 0.0,
                why: "nothing is left after the band-pass and window: there is no correlation peak",
            });
        }
        Ok(y)
    }
}

/// The value of a circular correlation buffer at lag `l` (negative lags wrap).
fn circular_at(c: &[f64], l: i64) -> f64 {
    if l >= 0 {
        c[l as usize]
    } else {
        c[(c.len() as i64 + l) as usize]
    }
}

/// The Pearson coefficient of a[n] and b[n + lag] over their overlap (each
/// scaled by a power of two first, which leaves it unchanged but keeps the
/// sums of squares and their product in range).
fn raw_coefficient(a: &[f64], b: &[f64], lag: i64) -> f64 {
    let unit = |x: &[f64]| {
        let mut y = x.to_vec();
        preprocess::scale_to_unit(&mut y);
        preprocess::centre_in_place(&mut y);
        preprocess::scale_to_unit(&mut y);
        y
    };
    let a0 = unit(a);
    let b0 = unit(b);
    let sab = direct::at_lag(&b0, &a0, lag);
    super::overlap_coefficient(sab, &Prefix::new(&b0), &Prefix::new(&a0), lag)
}

struct Search {
    /// The first searched lag; `values[i]` is lag `lo + i`.
    lo: i64,
    values: Vec<f64>,
    /// Preprocessed b and a.
    p: Vec<f64>,
    q: Vec<f64>,
    /// sqrt(Σp² Σq²).
    energy: f64,
    /// The (weighted) cross-spectrum S = P conj(Q) and its length L.
    spectrum: Option<(Vec<Complex64>, usize)>,
    /// Its inverse / L: the correlation at every lag, circularly.
    circular: Option<Vec<f64>>,
}

impl Search {
    fn transform(&mut self, weighting: Weighting, keep_spectrum: bool) {
        let len = fft::fast_len(self.p.len() + self.q.len() - 1);
        let mut sp = fft::spectra_pair(&self.p, 0, &self.q, 0, len);
        if weighting == Weighting::Phat {
            let largest =
                sp.x.iter()
                    .zip(&sp.y)
                    .map(|(x, y)| (x * y.conj()).norm())
                    .fold(0.0, f64::max);
            // Bins at rounding level stay (almost) zero instead of being
            // blown up to unit magnitude.
            let floor = largest * 1e-12;
            for (x, y) in sp.x.iter_mut().zip(sp.y.iter_mut()) {
                let s = *x * y.conj();
                *x = s / s.norm().max(floor);
                *y = Complex64::new(1.0, 0.0);
            }
        }
        if keep_spectrum {
            let s = sp.x.iter().zip(&sp.y).map(|(x, y)| x * y.conj()).collect();
            self.spectrum = Some((s, len));
        }
        self.circular = Some(sp.correlation(1.0 / len as f64, len));
    }

    /// The lag of the largest value (the first, if several are equal).
    fn peak(&self) -> i64 {
        self.lo + super::argmax(&self.values).unwrap_or(0) as i64
    }

    /// The correlation at any lag where the signals overlap, searched or not.
    fn at(&self, lag: i64) -> Option<f64> {
        let (np, nq) = (self.p.len() as i64, self.q.len() as i64);
        if lag <= -nq || lag >= np {
            return None;
        }
        let i = lag - self.lo;
        if i >= 0 && (i as usize) < self.values.len() {
            return Some(self.values[i as usize]);
        }
        Some(match &self.circular {
            Some(c) => circular_at(c, lag),
            None => direct::at_lag(&self.p, &self.q, lag),
        })
    }

    fn parabolic(&self, peak: i64) -> f64 {
        let (Some(l), Some(c), Some(r)) = (self.at(peak - 1), self.at(peak), self.at(peak + 1))
        else {
            return 0.0;
        };
        let curvature = l - 2.0 * c + r;
        if curvature >= 0.0 {
            return 0.0;
        }
        (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
    }

    fn accurate(&self, peak: i64) -> f64 {
        let Some((s, len)) = &self.spectrum else {
            return self.parabolic(peak);
        };
        let interp = Interpolant { s, len: *len };
        let (mut lo, mut hi) = (peak as f64 - 1.0, peak as f64 + 1.0);
        // The maximum lies where r' falls through zero between the peak's
        // neighbours; without that sign change there is nothing to refine.
        if interp.derivatives(lo).0 <= 0.0 || interp.derivatives(hi).0 >= 0.0 {
            return self.parabolic(peak);
        }
        let mut tau = peak as f64 + self.parabolic(peak);
        for _ in 0..60 {
            let (d1, d2) = interp.derivatives(tau);
            if d1 > 0.0 {
                lo = tau;
            } else {
                hi = tau;
            }
            let newton = if d2 < 0.0 { tau - d1 / d2 } else { f64::NAN };
            let next = if newton > lo && newton < hi {
                newton
            } else {
                0.5 * (lo + hi)
            };
            let step = (next - tau).abs();
            tau = next;
            if step < 1e-12 || hi - lo < 1e-12 {
                break;
            }
        }
        tau - peak as f64
    }

    fn confidence(&self, peak: i64) -> f64 {
        let v = &self.values;
        let i = (peak - self.lo) as usize;
        let top = v[i];
        if top <= 0.0 {
            return 0.0;
        }
        let mut left = i;
        while left > 0 && v[left - 1] < v[left] {
            left -= 1;
        }
        let mut right = i;
        while right + 1 < v.len() && v[right + 1] < v[right] {
            right += 1;
        }
        if left == 0 && right + 1 == v.len() {
            // The peak's lobe is the whole search: nothing to compare with.
            return 0.0;
        }
        let next = v[..left]
            .iter()
            .chain(&v[right + 1..])
            .fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        if next <= 0.0 {
            return 1.0;
        }
        ((top - next) / top).clamp(0.0, 1.0)
    }
}

/// The band-limited interpolant of a circular correlation from its
/// half spectrum: `r(τ) = (1/L) [S_0 + 2 Σ_{0<k<L/2} Re(S_k e^{iω_k τ})
/// + S_{L/2} cos(πτ)]`, `ω_k = 2πk/L`.
struct Interpolant<'a> {
    s: &'a [Complex64],
    len: usize,
}

impl Interpolant<'_> {
    /// (r'(τ), r''(τ)), up to the common positive factor 2/L.
    fn derivatives(&self, tau: f64) -> (f64, f64) {
        let len = self.len;
        let half = len / 2;
        let theta = 2.0 * std::f64::consts::PI * tau.rem_euclid(len as f64) / len as f64;
        // e^{iθk} = e^{iθ·64q} e^{iθr} for k = 64q + r, each factor computed
        // directly so no error builds up along k.
        let mut fine = [Complex64::new(0.0, 0.0); 64];
        for (r, f) in fine.iter_mut().enumerate() {
            let (sn, cs) = (theta * r as f64).sin_cos();
            *f = Complex64::new(cs, sn);
        }
        let step = 2.0 * std::f64::consts::PI / len as f64;
        let tau_whole = tau.floor() as i64;
        let tau_frac = tau - tau_whole as f64;
        let (mut d1, mut d2) = (0.0, 0.0);
        for (q, block) in self.s[..half].chunks(64).enumerate() {
            // 64 q τ reduced modulo L before the angle is formed: the whole
            // part of τ in exact integer arithmetic, the fraction in f64.
            let k0 = (64 * q) as i128;
            let whole = (k0 * tau_whole as i128).rem_euclid(len as i128) as f64;
            let turns = (whole + k0 as f64 * tau_frac).rem_euclid(len as f64);
            let (sn, cs) = (2.0 * std::f64::consts::PI * turns / len as f64).sin_cos();
            let coarse = Complex64::new(cs, sn);
            let (mut b1, mut b2) = (0.0, 0.0);
            for (r, sk) in block.iter().enumerate() {
                let k = 64 * q + r;
                if k == 0 {
                    continue;
                }
                let w = step * k as f64;
                let z = *sk * coarse * fine[r];
                // d/dτ Re(S e^{iωτ}) = -ω Im(S e^{iωτ}); d² = -ω² Re(...).
                b1 -= w * z.im;
                b2 -= w * w * z.re;
            }
            d1 += b1;
            d2 += b2;
        }
        // The Nyquist term S_{L/2} cos(πτ) enters with half the weight.
        let nyq = self.s[half].re;
        let pi = std::f64::consts::PI;
        d1 += 0.5 * (-pi * nyq * (pi * tau).sin());
        d2 += 0.5 * (-pi * pi * nyq * (pi * tau).cos());
        (d1, d2)
    }
}
