//! Smoothing on a uniform grid: the plan, the edge modes, the methods.

use super::direct;
use super::fft::OverlapSave;
use super::kernel::{extend, source_index, EdgeMode, Kernel};
use super::recursive;
use super::sliding::SlidingPlan;
use super::Method;
use crate::error::{NumlabError, Result};

/// Kernels with at most this many taps go to the direct sum under `Auto`,
/// longer ones to the FFT: the measured crossover on 1e6 samples (x86-64 with
/// AVX-512 and FMA, medians on one core). 73 taps take 2.5 ms direct and
/// 2.8 ms by FFT; 81 taps (sigma = 10 at truncate 4) tie at 2.7-2.8 ms (1.5 ms
/// on two cores), and the direct sum is exact; 89 taps take 3.0 ms direct and
/// 2.8 ms by FFT. On CPUs without AVX-512 the direct sum is slower and the true
/// crossover lower.
pub const AUTO_DIRECT_MAX_TAPS: usize = 81;

/// A filter planned once for a kernel window and a method, applied to any
/// number of signals. Costly set-up (the sliding sums' phasor table, the FFT
/// plans and the kernel spectrum) happens here, once.
#[derive(Debug, Clone)]
pub struct UniformPlan {
    kernel: Kernel,
    method: Method,
    sliding: Option<SlidingPlan>,
    /// Built on first use, so a signal shorter than the kernel never plans it.
    fft: std::sync::OnceLock<OverlapSave>,
    /// Resolved from `Method::Auto` (then signals shorter than the kernel
    /// take the direct sum).
    auto: bool,
}

impl UniformPlan {
    /// Plans `method` for `kernel`. `Method::Auto` resolves here, by the
    /// kernel's length: the direct sum up to [`AUTO_DIRECT_MAX_TAPS`] taps,
    /// the FFT beyond (faster than the sliding sums on every size measured);
    /// and, by the signal's length when applied, the direct sum for a signal
    /// shorter than the kernel (its cost n × taps is then below the FFT's).
    pub fn new(kernel: Kernel, method: Method) -> Result<Self> {
        let resolved = match method {
            Method::Auto if kernel.len() <= AUTO_DIRECT_MAX_TAPS => Method::Direct,
            Method::Auto => Method::Fft,
            m => m,
        };
        let sliding = match resolved {
            Method::Sliding => Some(SlidingPlan::new(&kernel).ok_or_else(|| {
                NumlabError::Unsupported(format!(
                    "method sliding needs a window of at most about 14 sigmas; this one reaches {} samples at sigma = {} samples: use method fft or direct",
                    kernel.left.max(kernel.right),
                    kernel.sigma
                ))
            })?),
            _ => None,
        };
        Ok(UniformPlan {
            kernel,
            method: resolved,
            sliding,
            fft: std::sync::OnceLock::new(),
            auto: method == Method::Auto,
        })
    }

    /// The method that runs (never `Auto`).
    pub fn method(&self) -> Method {
        self.method
    }

    /// The sampled kernel.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// Whether [`apply`](Self::apply) on `n` samples runs the direct sum
    /// for every output although the plan names another method (`Auto`
    /// resolved to the FFT, on a signal shorter than the kernel).
    pub(crate) fn short_direct(&self, n: usize) -> bool {
        self.auto && n < self.kernel.len()
    }

    /// The overlap-save filter of an FFT plan (built on first use).
    pub(crate) fn overlap_save(&self) -> &OverlapSave {
        self.fft.get_or_init(|| OverlapSave::new(&self.kernel))
    }

    /// Valid correlation with the planned method; `Recursive` is not a
    /// correlation with the truncated kernel and is handled by the caller.
    pub(crate) fn correlate_valid(&self, ext: &[f64], out: &mut [f64], force_direct: bool) {
        if force_direct {
            return direct::correlate_valid(ext, &self.kernel, out);
        }
        match (&self.sliding, self.method) {
            (Some(s), _) => s.correlate_valid(ext, out),
            (_, Method::Fft) => self.overlap_save().correlate_valid(ext, out),
            _ => direct::correlate_valid(ext, &self.kernel, out),
        }
    }

    /// `out[i] = Σ_k w_k ỹ[i + k]`, ỹ the signal extended by `mode` (with
    /// `fill` for the constant fill), without copying the interior.
    fn correlate_extended(
        &self,
        y: &[f64],
        mode: EdgeMode,
        fill: f64,
        out: &mut [f64],
        force_direct: bool,
    ) {
        let n = y.len();
        let (l, r) = (self.kernel.left, self.kernel.right);
        let ext_range = |from: isize, to: isize| -> Vec<f64> {
            (from..to)
                .map(|j| source_index(j, n, mode).map_or(fill, |s| y[s]))
                .collect()
        };
        if n <= l + r + 1 {
            let ext = extend(y, mode, fill, l, r);
            return self.correlate_valid(&ext, out, force_direct);
        }
        let (head, rest) = out.split_at_mut(l);
        let (middle, tail) = rest.split_at_mut(n - l - r);
        if l > 0 {
            let ext = ext_range(-(l as isize), (l + r) as isize);
            self.correlate_valid(&ext, head, force_direct);
        }
        self.correlate_valid(y, middle, force_direct);
        if r > 0 {
            let ext = ext_range((n - r - l) as isize, (n + r) as isize);
            self.correlate_valid(&ext, tail, force_direct);
        }
    }

    /// Smooths `y` with edge mode `mode` (`cval` used by `Constant`). With
    /// `skip_nan`, non-finite samples are left out and the weights of the rest
    /// renormalised (normalised convolution); an output whose whole window is
    /// missing is NaN. Without it, non-finite samples spread over the windows
    /// that hold them, as in SciPy (every method then runs the direct sum).
    pub fn apply_into(
        &self,
        y: &[f64],
        mode: EdgeMode,
        cval: f64,
        skip_nan: bool,
        out: &mut [f64],
    ) -> Result<()> {
        if y.is_empty() {
            return Err(NumlabError::TooShort {
                name: "y",
                len: 0,
                min: 1,
            });
        }
        if out.len() != y.len() {
            return Err(NumlabError::LengthMismatch {
                a_name: "out",
                a_len: out.len(),
                b_name: "y",
                b_len: y.len(),
            });
        }
        let has_bad = !crate::fastmath::all_finite(y);
        if self.method == Method::Recursive {
            return self.apply_recursive(y, mode, cval, skip_nan && has_bad, out);
        }
        let fill = if mode == EdgeMode::Constant {
            cval
        } else {
            0.0
        };
        let short = self.auto && y.len() < self.kernel.len();
        if skip_nan && has_bad {
            let clean: Vec<f64> = y
                .iter()
                .map(|&v| if v.is_finite() { v } else { 0.0 })
                .collect();
            let mask: Vec<f64> = y
                .iter()
                .map(|&v| if v.is_finite() { 1.0 } else { 0.0 })
                .collect();
            let mask_fill = if mode == EdgeMode::Constant { 1.0 } else { 0.0 };
            let mut den = vec![0.0; y.len()];
            self.correlate_extended(&clean, mode, fill, out, short);
            self.correlate_extended(&mask, mode, mask_fill, &mut den, short);
            let floor = 0.5
                * self
                    .kernel
                    .weights
                    .iter()
                    .cloned()
                    .fold(f64::INFINITY, f64::min);
            for (o, d) in out.iter_mut().zip(&den) {
                *o = if *d >= floor { *o / *d } else { f64::NAN };
            }
            return Ok(());
        }
        self.correlate_extended(y, mode, fill, out, has_bad || short);
        if mode == EdgeMode::Renormalize {
            self.renormalize(out);
        }
        Ok(())
    }

    /// Owned-result twin of [`apply_into`](Self::apply_into).
    pub fn apply(&self, y: &[f64], mode: EdgeMode, cval: f64, skip_nan: bool) -> Result<Vec<f64>> {
        let mut out = crate::alloc::zeroed(y.len());
        self.apply_into(y, mode, cval, skip_nan, &mut out)?;
        Ok(out)
    }

    /// Divides zero-padded sums by the weight that fell inside the signal.
    fn renormalize(&self, out: &mut [f64]) {
        let n = out.len();
        let (l, r) = (self.kernel.left, self.kernel.right);
        let w = &self.kernel.weights;
        // cum[j] = w[0] + ... + w[j-1]
        let mut cum = Vec::with_capacity(w.len() + 1);
        cum.push(0.0);
        let mut s = 0.0;
        for &v in w {
            s += v;
            cum.push(s);
        }
        let inside = |i: usize| -> f64 {
            // offsets k with 0 <= i + k < n, i.e. j = k + l in [l - i, l + n - 1 - i]
            let j0 = l.saturating_sub(i);
            let j1 = (l + n - 1 - i).min(l + r);
            cum[j1 + 1] - cum[j0]
        };
        let edge = (l.max(r)).min(n);
        for i in (0..edge).chain(n.saturating_sub(edge).max(edge)..n) {
            out[i] /= inside(i);
        }
    }

    fn apply_recursive(
        &self,
        y: &[f64],
        mode: EdgeMode,
        cval: f64,
        skip_nan: bool,
        out: &mut [f64],
    ) -> Result<()> {
        let sigma = self.kernel.sigma;
        let pad = recursive::padding(sigma);
        let n = y.len();
        let run = |values: &[f64], mode: EdgeMode, fill: f64| -> Vec<f64> {
            let mut ext = extend(values, mode, fill, pad, pad);
            recursive::filter_in_place(&mut ext, sigma);
            ext.drain(..pad);
            ext.truncate(n);
            ext
        };
        let fill = if mode == EdgeMode::Constant {
            cval
        } else {
            0.0
        };
        let needs_den = skip_nan || mode == EdgeMode::Renormalize;
        let num = if skip_nan {
            let clean: Vec<f64> = y
                .iter()
                .map(|&v| if v.is_finite() { v } else { 0.0 })
                .collect();
            run(&clean, mode, fill)
        } else {
            run(y, mode, fill)
        };
        if needs_den {
            let mask: Vec<f64> = y
                .iter()
                .map(|&v| if v.is_finite() || !skip_nan { 1.0 } else { 0.0 })
                .collect();
            let mask_fill = if mode == EdgeMode::Constant { 1.0 } else { 0.0 };
            let den = run(&mask, mode, mask_fill);
            for ((o, a), d) in out.iter_mut().zip(&num).zip(&den) {
                *o = if *d > 1e-6 { a / d } else { f64::NAN };
            }
        } else {
            out.copy_from_slice(&num);
        }
        Ok(())
    }
}
