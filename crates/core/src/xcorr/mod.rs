//! Cross-correlation and the time shift between two recordings.
//!
//! Two devices record the same process without a common clock; the delay
//! between the recordings is the lag at which their cross-correlation peaks.
//! This module holds:
//!
//! - [`correlate`] / [`correlate_with`]: `scipy.signal.correlate` for real
//!   1-D signals, modes full, same and valid, computed directly or by FFT
//!   ([`Method`]), and [`correlation_lags`] (`scipy.signal.correlation_lags`).
//! - [`correlate_normalized`]: coefficients in [-1, 1], normalised globally
//!   or over each lag's overlap ([`Normalization`]).
//! - [`DelayEstimator`]: the delay in samples and seconds, which signal leads,
//!   the coefficient and a confidence, with a bounded search, sub-sample
//!   refinement ([`Subsample`]), windows, a band-pass and GCC-PHAT weighting.
//! - [`bandpass`], [`remove_mean`]: the preprocessing on its own.
//! - [`mod@reference`]: plain O(nm) loops, and the answers' `lag_finder` and
//!   `detect_phase_shift` ported.
//!
//! # Conventions
//!
//! `correlate(a, b)` follows SciPy: `c[ℓ] = Σ_n a[n + ℓ] b[n]` for the lags
//! ℓ of [`Mode::first_lag`] onward. If b is a copy of a delayed by d samples,
//! `b[n] = a[n - d]`, then `correlate(a, b)` peaks at ℓ = -d (SciPy's own
//! example: `lag == -100` for `y = [100 samples, x]`).
//!
//! A **delay** is reported the other way round, as the question asks it: a
//! positive delay means b is a delayed copy of a, `b(t) = a(t - delay)`: b
//! lags a, a leads. [`Delay`] says so in words too ([`Leader`]).

mod delay;
mod direct;
pub(crate) mod fft;
mod packed;
mod preprocess;
pub mod reference;

pub use delay::{Correlogram, Delay, DelayEstimator, Leader, Subsample, Weighting};
pub use preprocess::{bandpass, remove_mean};

use crate::error::{check, NumlabError, Result};

crate::simd::dispatch!(fn first_max_on(x: &[f64]) -> (usize, f64) => first_max_widest);

#[inline(always)]
fn first_max_widest<S: crate::simd::Simd>(_: S, x: &[f64]) -> (usize, f64) {
    first_max_generic(x)
}

/// The largest value (-inf for none; NaN never counts), in eight lanes so
/// that the comparisons vectorise.
#[inline(always)]
pub(crate) fn largest_generic(x: &[f64]) -> f64 {
    let mut lanes = [f64::NEG_INFINITY; 8];
    let mut blocks = x.chunks_exact(8);
    for block in &mut blocks {
        for (l, &v) in lanes.iter_mut().zip(block) {
            *l = if v > *l { v } else { *l };
        }
    }
    lanes
        .iter()
        .chain(blocks.remainder())
        .fold(f64::NEG_INFINITY, |m, &v| if v > m { v } else { m })
}

/// The first index of the largest value and the value (usize::MAX and -inf
/// when nothing beats -inf; NaN never does): the maximum in eight lanes
/// (vectorised), then its first place.
#[inline(always)]
pub(crate) fn first_max_generic(x: &[f64]) -> (usize, f64) {
    let largest = largest_generic(x);
    if largest == f64::NEG_INFINITY {
        return (usize::MAX, largest);
    }
    let at = x.iter().position(|&v| v == largest).unwrap_or(usize::MAX);
    (at, largest)
}

/// The index of the largest value, the first of equals (NumPy's `argmax`);
/// `None` for an empty slice. NaN values are never the largest (NumPy would
/// return the first NaN). Long slices are scanned in fixed chunks on the
/// worker threads; the result does not depend on their number.
///
/// ```
/// use numlab_core::xcorr::argmax;
/// assert_eq!(argmax(&[1.0, 3.0, 2.0, 3.0]), Some(1));
/// assert_eq!(argmax(&[]), None);
/// ```
pub fn argmax(x: &[f64]) -> Option<usize> {
    const CHUNK: usize = 1 << 15;
    if x.is_empty() {
        return None;
    }
    let chunks = x.len().div_ceil(CHUNK);
    let mut found = vec![0.0; 2 * chunks];
    let isa = crate::simd::isa();
    crate::threads::for_each_chunk(&mut found, 2, |start, slot| {
        let c = start / 2;
        let part = &x[c * CHUNK..((c + 1) * CHUNK).min(x.len())];
        let (i, v) = first_max_on(isa, part);
        slot[0] = if i == usize::MAX {
            f64::NAN
        } else {
            (c * CHUNK + i) as f64
        };
        slot[1] = v;
    });
    let mut best: Option<(usize, f64)> = None;
    for pair in found.chunks(2) {
        if pair[0].is_nan() {
            continue;
        }
        if best.is_none_or(|(_, v)| pair[1] > v) {
            best = Some((pair[0] as usize, pair[1]));
        }
    }
    // Every value NaN: the first index, as a plain scan finds nothing larger.
    Some(best.map_or(0, |(i, _)| i))
}

/// Frees the small working buffers that numlab-core keeps between calls
/// (at most 64 MiB in all: the blurs' and the short transforms' scratch).
/// The buffers of long correlations are never kept behind the caller's
/// back: a [`Correlator`] holds them, and dropping it frees them.
pub fn release_buffers() {
    crate::alloc::release_pooled();
}

/// Which part of the full correlation to return (SciPy's `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every lag where the signals overlap: `len_a + len_b - 1` values.
    #[default]
    Full,
    /// `len_a` values, centred on the full correlation as SciPy centres them.
    Same,
    /// Only the lags where the shorter signal lies wholly inside the longer:
    /// `|len_a - len_b| + 1` values.
    Valid,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 3] = [Mode::Full, Mode::Same, Mode::Valid];

    /// The lowercase name, as SciPy spells it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Same => "same",
            Mode::Valid => "valid",
        }
    }

    /// The number of values [`correlate`] returns in this mode.
    pub fn output_len(self, len_a: usize, len_b: usize) -> usize {
        match self {
            Mode::Full => len_a + len_b - 1,
            Mode::Same => len_a,
            Mode::Valid => len_a.abs_diff(len_b) + 1,
        }
    }

    /// The lag of the first value [`correlate`] returns in this mode; the
    /// others follow one by one. For `Same` this is where SciPy's
    /// `correlate` takes its centred slice: `-(len_b / 2)`.
    pub fn first_lag(self, len_a: usize, len_b: usize) -> i64 {
        match self {
            Mode::Full => -(len_b as i64 - 1),
            Mode::Same => -((len_b / 2) as i64),
            Mode::Valid => (len_a as i64 - len_b as i64).min(0),
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(Mode::Full),
            "same" => Ok(Mode::Same),
            "valid" => Ok(Mode::Valid),
            _ => Err(NumlabError::UnknownName {
                name: "mode",
                value: s.to_string(),
                expected: "full, same, valid",
            }),
        }
    }
}

/// How [`correlate_with`] computes the sums (SciPy's `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Direct when the number of multiply-adds is small against the FFT's
    /// cost, FFT otherwise.
    #[default]
    Auto,
    /// One dot product per lag: exact to rounding of each sum, O(n m).
    Direct,
    /// Zero-padded real FFTs: O((n + m) log(n + m)); the error is FFT
    /// rounding, about 1e-16 · log2(n + m) of `sqrt(Σa² Σb²)`.
    Fft,
}

impl Method {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Direct => "direct",
            Method::Fft => "fft",
        }
    }

    /// The method [`Method::Auto`] picks for `lags` lags of signals of
    /// `len_a` and `len_b` samples.
    pub fn resolve(self, len_a: usize, len_b: usize, lags: usize) -> Method {
        match self {
            Method::Auto => {
                let direct = lags as f64 * len_a.min(len_b) as f64;
                let len = fft::fast_len(len_a + len_b - 1) as f64;
                // A rough cost model, not a tuned crossover: the FFT route
                // takes the work of three real transforms of L (about
                // L log2 L butterflies each) plus a few passes over the
                // data, while a vectorised multiply-add is a few times
                // cheaper than a butterfly. Both routes are exact to
                // rounding, so the choice only affects speed.
                if direct <= 2.0 * len * len.log2() {
                    Method::Direct
                } else {
                    Method::Fft
                }
            }
            m => m,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Method::Auto),
            "direct" => Ok(Method::Direct),
            "fft" => Ok(Method::Fft),
            _ => Err(NumlabError::UnknownName {
                name: "method",
                value: s.to_string(),
                expected: "auto, direct, fft",
            }),
        }
    }
}

/// `scipy.signal.correlate(a, b, mode)` for real signals, [`Method::Auto`].
///
/// `c[i] = Σ_n a[n + ℓ] b[n]` with `ℓ = mode.first_lag(len_a, len_b) + i`,
/// the sum over every n where both indices are in range.
///
/// ```
/// use numlab_core::xcorr::{correlate, correlation_lags, Mode};
/// let a = [1.0, 2.0, 3.0];
/// let b = [0.0, 1.0, 0.5];
/// // scipy.signal.correlate(a, b) -> [0.5, 2. , 3.5, 3. , 0. ]
/// let c = correlate(&a, &b, Mode::Full)?;
/// assert_eq!(c, vec![0.5, 2.0, 3.5, 3.0, 0.0]);
/// assert_eq!(correlation_lags(3, 3, Mode::Full)?, vec![-2, -1, 0, 1, 2]);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `a` or `b`; NaN or infinite values.
pub fn correlate(a: &[f64], b: &[f64], mode: Mode) -> Result<Vec<f64>> {
    correlate_with(a, b, mode, Method::Auto)
}

/// [`correlate`] with the method chosen.
///
/// # Errors
/// Empty `a` or `b`; NaN or infinite values.
pub fn correlate_with(a: &[f64], b: &[f64], mode: Mode, method: Method) -> Result<Vec<f64>> {
    crate::threads::on_worker(|| {
        let energies = checked_energies(a, b)?;
        Ok(correlate_checked(a, b, mode, method, Some(energies), false, None).0)
    })
}

/// Σa² and Σb² of two non-empty signals of finite values (else the error
/// naming the signal). The sums are finite exactly when every value is
/// (short of an overflow of the sum): one vectorised pass per signal checks
/// the input and gives the FFT route the energies it balances the signals by.
fn checked_energies(a: &[f64], b: &[f64]) -> Result<(f64, f64)> {
    check::min_len("a", a, 1)?;
    check::min_len("b", b, 1)?;
    let (ea, eb) = packed::energies(a, b);
    if !ea.is_finite() {
        check::all_finite("a", a)?;
    }
    if !eb.is_finite() {
        check::all_finite("b", b)?;
    }
    Ok((ea, eb))
}

/// [`correlate_with`] and the index of the correlation's largest value, the
/// first of equals ([`argmax`] of it; the lag of the peak is
/// `mode.first_lag(len_a, len_b)` plus the index). SciPy's recipe for the
/// lag of the peak, `correlate`, `correlation_lags` and `argmax`, in one
/// call: on the FFT route the peak is found while the correlation is
/// written, so the output is not read a second time.
///
/// ```
/// use numlab_core::xcorr::{correlate_argmax, Method, Mode};
/// let a = [0.0, 1.0, 0.5, 0.0];
/// let b = [1.0, 0.5, 0.0, 0.0];
/// let (c, peak) = correlate_argmax(&a, &b, Mode::Full, Method::Auto)?;
/// assert_eq!(c.len(), 7);
/// // a is b one sample later: the peak is at lag 1.
/// assert_eq!(Mode::Full.first_lag(4, 4) + peak as i64, 1);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `a` or `b`; NaN or infinite values.
pub fn correlate_argmax(
    a: &[f64],
    b: &[f64],
    mode: Mode,
    method: Method,
) -> Result<(Vec<f64>, usize)> {
    crate::threads::on_worker(|| {
        let energies = checked_energies(a, b)?;
        let (c, peak) = correlate_checked(a, b, mode, method, Some(energies), true, None);
        Ok((c, peak.unwrap_or(0)))
    })
}

pub(crate) fn correlate_unchecked(a: &[f64], b: &[f64], mode: Mode, method: Method) -> Vec<f64> {
    correlate_checked(a, b, mode, method, None, false, None).0
}

/// `energies`: Σa² and Σb², when the caller has them; with `peak`, also the
/// output's [`argmax`]. `work`: the FFT route's plans and buffers when the
/// caller keeps them (a [`Correlator`]); else they are made for this call.
fn correlate_checked(
    a: &[f64],
    b: &[f64],
    mode: Mode,
    method: Method,
    energies: Option<(f64, f64)>,
    peak: bool,
    work: Option<&mut packed::Work>,
) -> (Vec<f64>, Option<usize>) {
    let (n, m) = (a.len(), b.len());
    let count = mode.output_len(n, m);
    let first = mode.first_lag(n, m);
    match method.resolve(n, m, count) {
        Method::Direct => {
            let mut out = vec![0.0; count];
            direct::lags_into(a, b, first, &mut out);
            let found = if peak { argmax(&out) } else { None };
            (out, found)
        }
        _ => {
            // a placed after m - 1 zeros: the circular correlation's index k
            // is then the full correlation's index k (lag k - (m - 1)), so
            // nothing needs rotating afterwards.
            let len = fft::fast_len(n + m - 1);
            let route = packed::Route {
                x_offset: m - 1,
                y_offset: 0,
                scale: 1.0 / len as f64,
                start: (first + (m as i64 - 1)) as usize,
                keep: count,
                peak,
            };
            match work {
                Some(w) if w.len() == len => packed::correlation(w, a, b, &route, energies),
                _ => packed::correlation(&mut packed::Work::new(len), a, b, &route, energies),
            }
        }
    }
}

/// Repeated correlations of signals of the same two lengths, in one mode:
/// the FFT route's plans and working buffers are made once and kept until
/// the `Correlator` is dropped (as realfft's plans keep their scratch), so
/// later calls touch no fresh memory but their output. The free functions
/// ([`correlate_with`], [`correlate_argmax`]) make and free them on every
/// call; use a `Correlator` for many delays of one length.
///
/// ```
/// use numlab_core::xcorr::{correlate_argmax, Correlator, Method, Mode};
/// let a: Vec<f64> = (0..1000).map(|i| ((i * i) % 7) as f64).collect();
/// let b: Vec<f64> = a[3..].to_vec();
/// let mut c = Correlator::new(a.len(), b.len(), Mode::Full, Method::Fft)?;
/// let (values, peak) = c.correlate_argmax(&a, &b)?;
/// assert_eq!((values, peak), correlate_argmax(&a, &b, Mode::Full, Method::Fft)?);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
pub struct Correlator {
    len_a: usize,
    len_b: usize,
    mode: Mode,
    method: Method,
    work: Option<packed::Work>,
}

impl Correlator {
    /// Plans the correlation of signals of lengths `len_a` and `len_b`.
    ///
    /// # Errors
    /// A length of zero.
    pub fn new(len_a: usize, len_b: usize, mode: Mode, method: Method) -> Result<Self> {
        for (name, len) in [("a", len_a), ("b", len_b)] {
            if len == 0 {
                return Err(NumlabError::TooShort { name, len, min: 1 });
            }
        }
        let count = mode.output_len(len_a, len_b);
        let method = method.resolve(len_a, len_b, count);
        let work =
            (method != Method::Direct).then(|| packed::Work::new(fft::fast_len(len_a + len_b - 1)));
        Ok(Correlator {
            len_a,
            len_b,
            mode,
            method,
            work,
        })
    }

    /// The energies of `a` and `b` when they have the planned lengths and
    /// finite values.
    fn checked(len_a: usize, len_b: usize, a: &[f64], b: &[f64]) -> Result<(f64, f64)> {
        if a.len() != len_a || b.len() != len_b {
            let (name, len, planned) = if a.len() != len_a {
                ("a", a.len(), len_a)
            } else {
                ("b", b.len(), len_b)
            };
            return Err(NumlabError::LengthMismatch {
                a_name: name,
                a_len: len,
                b_name: "the length the Correlator was planned for",
                b_len: planned,
            });
        }
        checked_energies(a, b)
    }

    /// [`correlate_with`] of `a` and `b` in the planned mode and method.
    ///
    /// # Errors
    /// Lengths other than planned; NaN or infinite values.
    pub fn correlate(&mut self, a: &[f64], b: &[f64]) -> Result<Vec<f64>> {
        let (mode, method) = (self.mode, self.method);
        let (len_a, len_b) = (self.len_a, self.len_b);
        let work = self.work.as_mut();
        crate::threads::on_worker(|| {
            let energies = Self::checked(len_a, len_b, a, b)?;
            Ok(correlate_checked(a, b, mode, method, Some(energies), false, work).0)
        })
    }

    /// [`correlate_argmax`] of `a` and `b` in the planned mode and method.
    ///
    /// # Errors
    /// Lengths other than planned; NaN or infinite values.
    pub fn correlate_argmax(&mut self, a: &[f64], b: &[f64]) -> Result<(Vec<f64>, usize)> {
        let (mode, method) = (self.mode, self.method);
        let (len_a, len_b) = (self.len_a, self.len_b);
        let work = self.work.as_mut();
        crate::threads::on_worker(|| {
            let energies = Self::checked(len_a, len_b, a, b)?;
            let (c, peak) = correlate_checked(a, b, mode, method, Some(energies), true, work);
            Ok((c, peak.unwrap_or(0)))
        })
    }
}

/// `scipy.signal.correlation_lags(len_a, len_b, mode)`: the lag of each value
/// of `correlate(a, b, mode)`, as SciPy computes it.
///
/// For `Full` and `Valid`, and for `Same` except as noted, these are
/// `mode.first_lag(len_a, len_b)` onward. SciPy's `correlation_lags` centres
/// `Same` on the middle of the full lags, while its `correlate` centres the
/// output on the middle of the full correlation; the two disagree by one lag
/// when `len_a` is odd and `len_b` even (e.g. 5 and 4: SciPy's lags start at
/// -1, its correlation at lag -2). This function returns SciPy's lags in every
/// case; [`Mode::first_lag`] gives the lag that [`correlate`] (and SciPy's
/// `correlate`) actually puts first.
///
/// # Errors
/// `len_a` or `len_b` zero.
pub fn correlation_lags(len_a: usize, len_b: usize, mode: Mode) -> Result<Vec<i64>> {
    if len_a == 0 {
        return Err(NumlabError::TooShort {
            name: "len_a",
            len: 0,
            min: 1,
        });
    }
    if len_b == 0 {
        return Err(NumlabError::TooShort {
            name: "len_b",
            len: 0,
            min: 1,
        });
    }
    let (n, m) = (len_a as i64, len_b as i64);
    let range = |lo: i64, count: i64| (lo..lo + count).collect::<Vec<i64>>();
    Ok(match mode {
        Mode::Full => range(-(m - 1), n + m - 1),
        Mode::Same => {
            // SciPy: lags = arange(-m + 1, n); mid = lags.size // 2;
            // lags[mid - n // 2 : mid + n // 2 (+ 1 if n is odd)].
            let mid = (n + m - 1) / 2;
            range(-(m - 1) + mid - n / 2, n)
        }
        Mode::Valid => {
            if n >= m {
                range(0, n - m + 1)
            } else {
                range(n - m, m - n + 1)
            }
        }
    })
}

/// How [`correlate_normalized`] scales the correlation into [-1, 1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalization {
    /// Both signals made zero-mean over their whole length, the correlation
    /// divided by `sqrt(Σa² Σb²)`. A lag whose overlap is short gets a small
    /// value: the estimate is biased toward zero lag by the overlap's length
    /// (the usual "biased" cross-correlation of statistics). The peak value is
    /// 1 only for identical signals at lag 0.
    #[default]
    Global,
    /// The Pearson coefficient of the overlapping samples at each lag: mean
    /// and energy taken over the overlap only. A delayed, truncated copy
    /// reads 1 at its lag whatever the overlap's length; lags whose overlap
    /// is constant in either signal (one sample, say) read 0. Few samples
    /// make a noisy coefficient: bound the lags to those with long overlaps.
    Overlap,
}

impl Normalization {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Normalization::Global => "global",
            Normalization::Overlap => "overlap",
        }
    }
}

/// The correlation coefficient of `a` and `b` at each lag of `mode` (the lags
/// of [`correlate`]), in [-1, 1].
///
/// ```
/// use numlab_core::xcorr::{correlate_normalized, Mode, Normalization};
/// let a = [0.0, 1.0, 0.0, -1.0, 0.0, 2.0];
/// let b = [10.0, 11.0, 10.0, 9.0];
/// // b is a[0..4] + 10: its overlap with a at lag 0 is a perfect match.
/// let c = correlate_normalized(&a, &b, Mode::Valid, Normalization::Overlap)?;
/// assert!((c[0] - 1.0).abs() < 1e-12);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `a` or `b`; NaN or infinite values; a constant `a` or `b` (no
/// coefficient exists).
pub fn correlate_normalized(
    a: &[f64],
    b: &[f64],
    mode: Mode,
    normalization: Normalization,
) -> Result<Vec<f64>> {
    check::min_len("a", a, 1)?;
    check::min_len("b", b, 1)?;
    check::all_finite("a", a)?;
    check::all_finite("b", b)?;
    let why = "a correlation coefficient needs a signal that varies";
    check_varies("a", a, why)?;
    check_varies("b", b, why)?;
    let a0 = preprocess::centred(a);
    let b0 = preprocess::centred(b);
    let mut c = correlate_unchecked(&a0, &b0, mode, Method::Auto);
    let first = mode.first_lag(a.len(), b.len());
    match normalization {
        Normalization::Global => {
            let scale = 1.0 / (direct::dot(&a0, &a0) * direct::dot(&b0, &b0)).sqrt();
            for v in &mut c {
                *v = (*v * scale).clamp(-1.0, 1.0);
            }
        }
        Normalization::Overlap => {
            let pa = Prefix::new(&a0);
            let pb = Prefix::new(&b0);
            for (i, v) in c.iter_mut().enumerate() {
                *v = overlap_coefficient(*v, &pa, &pb, first + i as i64);
            }
        }
    }
    Ok(c)
}

/// An error if every sample of `x` is equal.
pub(crate) fn check_varies(name: &'static str, x: &[f64], why: &'static str) -> Result<()> {
    if x.iter().all(|&v| v == x[0]) {
        return Err(NumlabError::Constant {
            name,
            value: x[0],
            why,
        });
    }
    Ok(())
}

/// Running sums of x and x², for sums over any index range.
pub(crate) struct Prefix {
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
}

impl Prefix {
    pub(crate) fn new(x: &[f64]) -> Self {
        let mut sum = Vec::with_capacity(x.len() + 1);
        let mut sum_sq = Vec::with_capacity(x.len() + 1);
        let (mut s, mut q) = (0.0, 0.0);
        sum.push(0.0);
        sum_sq.push(0.0);
        for &v in x {
            s += v;
            q += v * v;
            sum.push(s);
            sum_sq.push(q);
        }
        Prefix { sum, sum_sq }
    }

    /// (Σ x, Σ x²) over `lo..hi`.
    fn range(&self, lo: usize, hi: usize) -> (f64, f64) {
        (
            self.sum[hi] - self.sum[lo],
            self.sum_sq[hi] - self.sum_sq[lo],
        )
    }
}

/// The Pearson coefficient over the overlap of a and b at `lag`, given the
/// raw cross sum `sab = Σ a[n + lag] b[n]` over that overlap.
pub(crate) fn overlap_coefficient(sab: f64, pa: &Prefix, pb: &Prefix, lag: i64) -> f64 {
    let (na, nb) = (pa.sum.len() - 1, pb.sum.len() - 1);
    // b indices lo..hi, a indices lo + lag..hi + lag.
    let lo = (-lag).max(0) as usize;
    let hi = (na as i64 - lag).min(nb as i64);
    if hi <= lo as i64 {
        return 0.0;
    }
    let hi = hi as usize;
    let count = (hi - lo) as f64;
    let a_lo = (lo as i64 + lag) as usize;
    let (sa, saa) = pa.range(a_lo, a_lo + (hi - lo));
    let (sb, sbb) = pb.range(lo, hi);
    let va = saa - sa * sa / count;
    let vb = sbb - sb * sb / count;
    // Variances at rounding level (a constant overlap) have no coefficient.
    let tiny = 1e-13;
    if va <= tiny * saa.max(f64::MIN_POSITIVE) || vb <= tiny * sbb.max(f64::MIN_POSITIVE) {
        return 0.0;
    }
    ((sab - sa * sb / count) / (va * vb).sqrt()).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {

    /// The maximum scan and the energies agree on every path.
    #[test]
    fn scans_agree_on_every_path() {
        let mut x: Vec<f64> = (0..10_007)
            .map(|i| ((i * 7919) % 10_009) as f64 - 5000.0)
            .collect();
        x[77] = f64::NAN;
        crate::simd::assert_same_bits_on_every_path("first_max", |isa| {
            let (i, v) = first_max_on(isa, &x);
            (i, v)
        });
        x[77] = 0.25;
        crate::simd::assert_same_bits_on_every_path("energies", |isa| {
            packed::sum_of_squares_on(isa, &x)
        });
    }
    use super::*;

    #[test]
    fn modes_agree_with_the_plain_loops() {
        for (n, m) in [
            (1, 1),
            (1, 5),
            (5, 1),
            (7, 3),
            (3, 7),
            (8, 8),
            (9, 4),
            (4, 9),
            (50, 23),
        ] {
            let a: Vec<f64> = (0..n).map(|i| ((i * 37 + 5) % 11) as f64 - 4.5).collect();
            let b: Vec<f64> = (0..m).map(|i| ((i * 13 + 2) % 7) as f64 - 2.0).collect();
            for mode in Mode::ALL {
                let want = reference::correlate(&a, &b, mode);
                for method in [Method::Direct, Method::Fft] {
                    let got = correlate_with(&a, &b, mode, method).unwrap();
                    assert_eq!(got.len(), want.len(), "{n} {m} {mode} {method}");
                    for (g, w) in got.iter().zip(&want) {
                        assert!((g - w).abs() < 1e-11, "{n} {m} {mode} {method}: {g} vs {w}");
                    }
                }
            }
        }
    }
}
