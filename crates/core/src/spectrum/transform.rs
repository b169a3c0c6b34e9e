//! Forward and inverse transforms on realfft / RustFFT, with plans cached per
//! length, and NumPy's `fftfreq` / `rfftfreq`.
//!
//! # Plan cache
//!
//! One process-wide cache keeps the plans of recently used lengths (an `Arc`
//! each), so a length is planned once and later calls of that length reuse
//! it, as NumPy's and SciPy's FFTs reuse theirs. The cache is bounded: it
//! holds at most [`PLAN_CACHE_BYTES`] of plans (a plan's twiddle tables take
//! about 16 bytes per point), dropping the least recently used first, and a
//! plan larger than that is built for its call and freed after it (a caller
//! that transforms one long length again and again keeps its plan in an
//! object, such as [`crate::xcorr::Correlator`]). The lock is held only while
//! an `Arc` is fetched or inserted; plans are built and run outside it, so
//! threads transform concurrently. The copy of a real input that realfft
//! overwrites lives in a per-thread buffer reused across calls (up to
//! [`KEEP_INPUT_MAX`] samples); outputs and scratch are allocated per call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex64;
use rustfft::{Fft, FftPlanner};

use crate::error::{check, Result};

/// The most the plan cache keeps.
pub const PLAN_CACHE_BYTES: usize = 32 << 20;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    R2c,
    C2r,
    Forward,
    Inverse,
}

#[derive(Clone)]
enum Plan {
    R2c(Arc<dyn RealToComplex<f64>>),
    C2r(Arc<dyn ComplexToReal<f64>>),
    Complex(Arc<dyn Fft<f64>>),
}

struct Entry {
    plan: Plan,
    bytes: usize,
    used: u64,
}

#[derive(Default)]
struct PlanCache {
    map: HashMap<(Kind, usize), Entry>,
    bytes: usize,
    clock: u64,
}

static CACHE: Mutex<Option<PlanCache>> = Mutex::new(None);

/// The memory a plan of `n` points holds, about: the twiddles of a complex
/// transform of n (realfft: of n/2, plus its own n/4).
fn plan_bytes(kind: Kind, n: usize) -> usize {
    match kind {
        Kind::R2c | Kind::C2r => 12 * n,
        Kind::Forward | Kind::Inverse => 16 * n,
    }
}

fn build(kind: Kind, n: usize) -> Plan {
    match kind {
        Kind::R2c => Plan::R2c(RealFftPlanner::new().plan_fft_forward(n)),
        Kind::C2r => Plan::C2r(RealFftPlanner::new().plan_fft_inverse(n)),
        Kind::Forward => Plan::Complex(FftPlanner::new().plan_fft_forward(n)),
        Kind::Inverse => Plan::Complex(FftPlanner::new().plan_fft_inverse(n)),
    }
}

/// The plan of `kind` and length `n`: from the cache, or built (and kept
/// when it fits the cache's budget).
fn plan(kind: Kind, n: usize) -> Plan {
    let bytes = plan_bytes(kind, n);
    {
        // A panic cannot leave the cache half-updated (entries are inserted
        // whole), so a poisoned cache is still a valid cache.
        let mut guard = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        let cache = guard.get_or_insert_with(PlanCache::default);
        cache.clock += 1;
        let now = cache.clock;
        if let Some(e) = cache.map.get_mut(&(kind, n)) {
            e.used = now;
            return e.plan.clone();
        }
    }
    let plan = build(kind, n);
    if bytes <= PLAN_CACHE_BYTES {
        let mut guard = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        let cache = guard.get_or_insert_with(PlanCache::default);
        while cache.bytes + bytes > PLAN_CACHE_BYTES {
            let Some(oldest) = cache
                .map
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| *k)
            else {
                break;
            };
            if let Some(e) = cache.map.remove(&oldest) {
                cache.bytes -= e.bytes;
            }
        }
        let used = cache.clock;
        if let Some(old) = cache.map.insert(
            (kind, n),
            Entry {
                plan: plan.clone(),
                bytes,
                used,
            },
        ) {
            cache.bytes -= old.bytes;
        }
        cache.bytes += bytes;
    }
    plan
}

/// The real-to-complex plan of length `n` (n >= 1).
pub(crate) fn r2c_plan(n: usize) -> Arc<dyn RealToComplex<f64>> {
    match plan(Kind::R2c, n) {
        Plan::R2c(p) => p,
        _ => RealFftPlanner::new().plan_fft_forward(n),
    }
}

/// The complex-to-real plan of length `n` (n >= 1).
pub(crate) fn c2r_plan(n: usize) -> Arc<dyn ComplexToReal<f64>> {
    match plan(Kind::C2r, n) {
        Plan::C2r(p) => p,
        _ => RealFftPlanner::new().plan_fft_inverse(n),
    }
}

/// The complex plan of length `n` (n >= 1), forward or inverse.
pub(crate) fn complex_plan(n: usize, inverse: bool) -> Arc<dyn Fft<f64>> {
    let kind = if inverse {
        Kind::Inverse
    } else {
        Kind::Forward
    };
    match plan(kind, n) {
        Plan::Complex(p) => p,
        _ => build_complex(n, inverse),
    }
}

fn build_complex(n: usize, inverse: bool) -> Arc<dyn Fft<f64>> {
    if inverse {
        FftPlanner::new().plan_fft_inverse(n)
    } else {
        FftPlanner::new().plan_fft_forward(n)
    }
}

/// `numpy.fft.rfft(x)`: the DFT `X_k = Σ_n x_n e^{-2πi kn/N}` for
/// k = 0..=N/2 (N/2 rounded down, so N/2 + 1 values), unnormalised.
///
/// ```
/// use numlab_core::spectrum::rfft;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let X = rfft(&x)?;
/// // numpy.fft.rfft([1, 2, 3, 4.]) -> [10.+0.j, -2.+2.j, -2.+0.j]
/// assert_eq!(X.len(), 3);
/// assert!((X[1].re + 2.0).abs() < 1e-15 && (X[1].im - 2.0).abs() < 1e-15);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `x`; NaN or infinite values.
pub fn rfft(x: &[f64]) -> Result<Vec<Complex64>> {
    check::min_len("x", x, 1)?;
    check::all_finite("x", x)?;
    Ok(rfft_unchecked(x))
}

/// Inputs up to this many samples are copied into a buffer kept per thread
/// (realfft overwrites its input); longer ones get a buffer of their own, so
/// at most 16 MiB (8 MiB of input, 8 MiB of coefficients) stays allocated
/// per thread that transforms.
pub const KEEP_INPUT_MAX: usize = 1 << 20;

thread_local! {
    static INPUT: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`rfft`] without the checks (x non-empty; non-finite values propagate).
///
/// The copy of `x` that realfft consumes goes into a per-thread buffer that
/// is reused from call to call: a fresh multi-megabyte buffer on every call
/// costs a page fault per 4 KiB, which tripled the time of a 2^20-point
/// transform on a virtual machine.
pub(crate) fn rfft_unchecked(x: &[f64]) -> Vec<Complex64> {
    if x.len() > KEEP_INPUT_MAX {
        return rfft_owned(x.to_vec());
    }
    INPUT.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            buffer.extend_from_slice(x);
            rfft_in_place(&mut buffer)
        }
        // Only reachable by re-entry on this thread, which nothing here does.
        Err(_) => rfft_owned(x.to_vec()),
    })
}

/// [`rfft_unchecked`] of a buffer the caller gives up (it is overwritten).
pub(crate) fn rfft_owned(mut x: Vec<f64>) -> Vec<Complex64> {
    rfft_in_place(&mut x)
}

fn rfft_in_place(input: &mut [f64]) -> Vec<Complex64> {
    let mut output = vec![Complex64::new(0.0, 0.0); input.len() / 2 + 1];
    rfft_in_place_into(input, &mut output);
    output
}

/// The transform of `input` (overwritten) into `output` (n/2 + 1 long).
fn rfft_in_place_into(input: &mut [f64], output: &mut [Complex64]) {
    let plan = r2c_plan(input.len());
    let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_scratch_len()];
    // Lengths come from the plan's own length n (and the caller sized
    // output to n/2 + 1): process cannot fail.
    let _ = plan.process_with_scratch(input, output, &mut scratch);
}

thread_local! {
    static COEFFS: std::cell::RefCell<Vec<Complex64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Calls `f` with the transform of `x` held in a per-thread buffer (for
/// results derived from the coefficients, which need not keep them): no
/// fresh multi-megabyte buffer per call, as in [`rfft_unchecked`].
pub(crate) fn with_rfft<T>(x: &[f64], f: impl FnOnce(&[Complex64]) -> T) -> T {
    let m = x.len() / 2 + 1;
    if x.len() > KEEP_INPUT_MAX {
        return f(&rfft_owned(x.to_vec()));
    }
    COEFFS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut out) => {
            out.clear();
            out.resize(m, Complex64::new(0.0, 0.0));
            INPUT.with(|inp| match inp.try_borrow_mut() {
                Ok(mut buffer) => {
                    buffer.clear();
                    buffer.extend_from_slice(x);
                    rfft_in_place_into(&mut buffer, &mut out);
                }
                Err(_) => rfft_in_place_into(&mut x.to_vec(), &mut out),
            });
            f(&out)
        }
        // Only reachable if `f` itself transforms on this thread.
        Err(_) => f(&rfft_unchecked(x)),
    })
}

/// `numpy.fft.irfft(X, n)`: the real signal of length `n` whose [`rfft`] is
/// `X`, normalised by 1/n (NumPy's default `norm="backward"`):
/// `x_j = (1/n) Σ_{k=0}^{n-1} X_k e^{2πi jk/n}`, with X_{n-k} = conj(X_k).
/// `X` must hold n/2 + 1 values; the imaginary parts of X_0 and (even n)
/// X_{n/2} are ignored, as NumPy does. Passing `n` explicitly is what keeps an
/// odd length: n = 2m - 1 and n = 2m - 2 both have m coefficients.
///
/// # Errors
/// n = 0; `X` not n/2 + 1 long; NaN or infinite parts.
pub fn irfft(spectrum: &[Complex64], n: usize) -> Result<Vec<f64>> {
    check_len_for(spectrum, n)?;
    check_complex_finite("spectrum", spectrum)?;
    Ok(irfft_unchecked(spectrum, n))
}

/// [`irfft`] without the checks (lengths right).
pub(crate) fn irfft_unchecked(spectrum: &[Complex64], n: usize) -> Vec<f64> {
    let plan = c2r_plan(n);
    let mut input = spectrum.to_vec();
    input[0].im = 0.0;
    if n & 1 == 0 {
        input[n / 2].im = 0.0;
    }
    let mut output = vec![0.0; n];
    let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_scratch_len()];
    // Lengths come from the plan, and the imaginary parts realfft checks are
    // zeroed above: process cannot fail.
    let _ = plan.process_with_scratch(&mut input, &mut output, &mut scratch);
    let scale = 1.0 / n as f64;
    for v in &mut output {
        *v *= scale;
    }
    output
}

fn check_len_for(spectrum: &[Complex64], n: usize) -> Result<()> {
    if n == 0 {
        return Err(crate::NumlabError::invalid(
            "n",
            0.0,
            "the signal length must be >= 1",
        ));
    }
    if spectrum.len() != n / 2 + 1 {
        return Err(crate::NumlabError::LengthMismatch {
            a_name: "spectrum",
            a_len: spectrum.len(),
            b_name: "n / 2 + 1",
            b_len: n / 2 + 1,
        });
    }
    Ok(())
}

pub(crate) fn check_complex_finite(name: &'static str, v: &[Complex64]) -> Result<()> {
    match v
        .iter()
        .position(|c| !(c.re.is_finite() && c.im.is_finite()))
    {
        Some(index) => Err(crate::NumlabError::NonFinite {
            name,
            index,
            value: if v[index].re.is_finite() {
                v[index].im
            } else {
                v[index].re
            },
        }),
        None => Ok(()),
    }
}

/// `numpy.fft.fft(x)` of a complex sequence: `X_k = Σ_n x_n e^{-2πi kn/N}`,
/// unnormalised, in NumPy's order (k = 0..N-1; see [`fftfreq`]).
///
/// # Errors
/// Empty `x`; NaN or infinite parts.
pub fn fft(x: &[Complex64]) -> Result<Vec<Complex64>> {
    complex_transform(x, false)
}

/// `numpy.fft.ifft(X)`: `x_j = (1/N) Σ_k X_k e^{2πi jk/N}`.
///
/// # Errors
/// Empty `X`; NaN or infinite parts.
pub fn ifft(spectrum: &[Complex64]) -> Result<Vec<Complex64>> {
    let mut out = complex_transform(spectrum, true)?;
    let scale = 1.0 / out.len() as f64;
    for v in &mut out {
        *v *= scale;
    }
    Ok(out)
}

fn complex_transform(x: &[Complex64], inverse: bool) -> Result<Vec<Complex64>> {
    if x.is_empty() {
        return Err(crate::NumlabError::TooShort {
            name: "x",
            len: 0,
            min: 1,
        });
    }
    check_complex_finite("x", x)?;
    let plan = complex_plan(x.len(), inverse);
    let mut buffer = x.to_vec();
    let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_inplace_scratch_len()];
    plan.process_with_scratch(&mut buffer, &mut scratch);
    Ok(buffer)
}

/// `numpy.fft.fftfreq(n, d)`: the frequencies (cycles per unit of `d`, Hz when
/// `d` is in seconds) of the bins of an n-point [`fft`], in NumPy's order:
/// `[0, 1, ..., ceil(n/2)-1, -floor(n/2), ..., -1] / (n d)`. Computed as NumPy
/// does (`k * (1 / (n d))`), so the values are the same bits.
///
/// # Errors
/// n = 0; `d` not finite or <= 0.
pub fn fftfreq(n: usize, d: f64) -> Result<Vec<f64>> {
    check_n(n)?;
    check::positive("d", d)?;
    let val = 1.0 / (n as f64 * d);
    let positive = (n - 1) / 2 + 1;
    Ok((0..n)
        .map(|i| {
            let k = if i < positive {
                i as f64
            } else {
                -((n - i) as f64)
            };
            k * val
        })
        .collect())
}

/// `numpy.fft.rfftfreq(n, d)`: the n/2 + 1 non-negative frequencies of an
/// n-point [`rfft`], `k / (n d)` for k = 0..=n/2, computed as NumPy does.
///
/// # Errors
/// n = 0; `d` not finite or <= 0.
pub fn rfftfreq(n: usize, d: f64) -> Result<Vec<f64>> {
    check_n(n)?;
    check::positive("d", d)?;
    Ok(rfftfreq_unchecked(n, d))
}

pub(crate) fn rfftfreq_unchecked(n: usize, d: f64) -> Vec<f64> {
    let mut f = vec![0.0; n / 2 + 1];
    rfftfreq_fill(n, d, &mut f);
    f
}

/// Writes `rfftfreq(n, d)` into `out` (n/2 + 1 long).
pub(crate) fn rfftfreq_fill(n: usize, d: f64, out: &mut [f64]) {
    let val = 1.0 / (n as f64 * d);
    for (k, f) in out.iter_mut().enumerate() {
        *f = k as f64 * val;
    }
}

fn check_n(n: usize) -> Result<()> {
    if n == 0 {
        return Err(crate::NumlabError::invalid(
            "n",
            0.0,
            "the number of samples must be >= 1",
        ));
    }
    Ok(())
}
