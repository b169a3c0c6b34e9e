//! Gaussian smoothing of y(x): uniform and irregular x, SciPy's edge modes,
//! exact and O(n) methods, and the questioner's call made fast.
//!
//! # Which one to use
//!
//! - Samples on a uniform grid, SciPy semantics: [`gaussian_filter1d`], or a
//!   [`GaussianSmoother`] with [`GaussianSmoother::smooth_uniform`] (sigma in x
//!   units, any edge mode, any method). Equal to
//!   `scipy.ndimage.gaussian_filter1d(y, sigma, mode=..., truncate=...)` within
//!   1e-12 of max|y| for every exact method.
//! - Points (x, y) with x irregular: [`nadaraya_watson`] (kernel regression with
//!   the distances in x units), or [`GaussianSmoother::smooth_xy`], which
//!   detects a uniform grid and otherwise uses the regression.
//! - The questioner's `GaussianFlattenData(x, y, reach, sigma, phi, amplitude)`
//!   with the same arguments and output: [`gaussian_flatten`].
//!
//! # The kernel
//!
//! ```text
//! ŷ_i = Σ_j w(x_j - x_i) y_j / Σ_j w(x_j - x_i),    w(d) = exp(-d² / (2σ²))
//! ```
//!
//! cut off at |d| <= truncate·σ ([`Cutoff::Truncate`], 4 by default; on a
//! uniform grid the radius is `int(truncate·σ/dx + 0.5)` samples as in SciPy)
//! or where w falls below reach × peak ([`Cutoff::Reach`]). On a uniform grid
//! the denominator is constant away from the ends, which is why the filter is a
//! convolution there and the edge mode decides what happens near the ends.
//!
//! # Methods on a uniform grid
//!
//! | [`Method`] | cost per output | error vs the direct sum |
//! |---|---|---|
//! | `Direct` | one multiply-add per tap (vectorised, all cores) | none (the reference order) |
//! | `Sliding` | about 16 complex updates, whatever sigma | ~1e-15 of max\|y\| (see the `sliding` module) |
//! | `Fft` | O(log taps) (overlap-save) | FFT rounding, ~1e-15 |
//! | `Recursive` | 12 multiply-adds, whatever sigma | up to [`RECURSIVE_MAX_ERROR`] of max\|y\| |
//! | `Auto` | `Direct` up to [`AUTO_DIRECT_MAX_TAPS`] taps, else `Fft` | exact |
//!
//! `Recursive` approximates the untruncated Gaussian and runs only when asked
//! for. On a given machine, results are bit-identical across runs and thread
//! counts. Between machines they may differ in the last bits (~1e-16 of
//! max|y|): `Direct` and [`nadaraya_watson`] use fused multiply-adds where the
//! CPU has them (x86-64 with FMA, aarch64), and the FFT library picks
//! instruction-set-specific kernels.
//!
//! # Missing values
//!
//! With [`GaussianSmoother::with_skip_nan`], NaN (and ±inf) samples are left out
//! and the remaining weights renormalised (normalised convolution); without
//! it, they spread over every window that holds them, as in SciPy.

mod direct;
mod fft;
mod irregular;
mod kernel;
mod recursive;
pub mod reference;
mod seed;
mod sliding;
mod stream;
mod uniform;

pub use kernel::{extend, source_index, Cutoff, EdgeMode, Kernel};
pub use recursive::MAX_ERROR as RECURSIVE_MAX_ERROR;
pub use stream::UniformStream;
pub use uniform::{UniformPlan, AUTO_DIRECT_MAX_TAPS};

use crate::error::{check, NumlabError, Result};

/// How the uniform-grid filter is computed (see the table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// `Direct` for short kernels, `Fft` for long ones.
    #[default]
    Auto,
    /// The direct sum over the kernel's taps.
    Direct,
    /// Sliding trigonometric sums: exact to ~1e-15, cost independent of sigma.
    Sliding,
    /// Overlap-save FFT convolution.
    Fft,
    /// Young-van Vliet recursive filter: O(n), approximate.
    Recursive,
}

impl Method {
    /// Every method, in documentation order.
    pub const ALL: [Method; 5] = [
        Method::Auto,
        Method::Direct,
        Method::Sliding,
        Method::Fft,
        Method::Recursive,
    ];

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Direct => "direct",
            Method::Sliding => "sliding",
            Method::Fft => "fft",
            Method::Recursive => "recursive",
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
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| NumlabError::UnknownName {
                name: "method",
                value: s.to_string(),
                expected: "auto, direct, sliding, fft, recursive",
            })
    }
}

/// The grid a result was computed on.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Grid {
    /// Uniform spacing `dx` (x units); the filter ran in samples.
    Uniform {
        /// The spacing.
        dx: f64,
    },
    /// Irregular x: Nadaraya-Watson regression.
    Irregular,
}

/// A smoothed series and how it was made.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Smoothed {
    /// The smoothed values, one per input point.
    pub values: Vec<f64>,
    /// Uniform or irregular x.
    pub grid: Grid,
    /// The method that ran (never `Auto`).
    pub method: Method,
    /// The edge mode that applied.
    pub mode: EdgeMode,
}

/// Gaussian smoothing options, validated when set; apply with
/// [`smooth_uniform`](Self::smooth_uniform) or [`smooth_xy`](Self::smooth_xy),
/// or [`plan`](Self::plan) once and apply many times.
///
/// ```
/// use numlab_core::smoothing::{EdgeMode, GaussianSmoother};
/// let y: Vec<f64> = (0..100).map(|i| ((i * 37) % 11) as f64).collect();
/// let s = GaussianSmoother::new(3.0)?.with_mode(EdgeMode::Nearest).smooth_uniform(&y, 1.0)?;
/// assert_eq!(s.len(), y.len());
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GaussianSmoother {
    sigma: f64,
    cutoff: Cutoff,
    mode: Option<EdgeMode>,
    cval: f64,
    method: Method,
    skip_nan: bool,
}

impl GaussianSmoother {
    /// Sigma in x units (samples when dx = 1); cut at 4 sigma, SciPy's default
    /// mode (`reflect`) on uniform x, method `Auto`.
    ///
    /// # Errors
    /// `sigma` not finite or <= 0.
    pub fn new(sigma: f64) -> Result<Self> {
        check::positive("sigma", sigma)?;
        Ok(GaussianSmoother {
            sigma,
            cutoff: Cutoff::default(),
            mode: None,
            cval: 0.0,
            method: Method::Auto,
            skip_nan: false,
        })
    }

    /// Cut at `truncate` sigmas. Errors: not finite or <= 0.
    pub fn with_truncate(mut self, truncate: f64) -> Result<Self> {
        self.cutoff = Cutoff::Truncate(truncate).validate()?;
        Ok(self)
    }

    /// Cut where the kernel falls below `reach` x peak. Errors: outside (0, 1).
    pub fn with_reach(mut self, reach: f64) -> Result<Self> {
        self.cutoff = Cutoff::Reach(reach).validate()?;
        Ok(self)
    }

    /// Any [`Cutoff`], validated.
    pub fn with_cutoff(mut self, cutoff: Cutoff) -> Result<Self> {
        self.cutoff = cutoff.validate()?;
        Ok(self)
    }

    /// The edge mode (uniform x only; irregular x always renormalises).
    pub fn with_mode(mut self, mode: EdgeMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The fill value of `EdgeMode::Constant`. Errors: not finite.
    pub fn with_cval(mut self, cval: f64) -> Result<Self> {
        check::finite("cval", cval)?;
        self.cval = cval;
        Ok(self)
    }

    /// The method on a uniform grid.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Leave out NaN/inf samples and renormalise instead of spreading them.
    pub fn with_skip_nan(mut self, skip: bool) -> Self {
        self.skip_nan = skip;
        self
    }

    /// Sigma in x units.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The cut-off.
    pub fn cutoff(&self) -> Cutoff {
        self.cutoff
    }

    /// The kernel on a uniform grid of spacing `dx` (x units), planned for the
    /// method. Plan once, then [`UniformPlan::apply`] to many signals.
    ///
    /// # Errors
    /// `dx` not finite or <= 0; a kernel too long to hold.
    pub fn plan(&self, dx: f64) -> Result<UniformPlan> {
        check::positive("dx", dx)?;
        let sigma_samples = self.sigma / dx;
        check::positive("sigma / dx", sigma_samples)?;
        let radius = self.cutoff.radius(sigma_samples)?;
        UniformPlan::new(Kernel::symmetric(sigma_samples, radius)?, self.method)
    }

    /// Smooths samples `y` on a uniform grid of spacing `dx` (x units).
    ///
    /// # Errors
    /// Empty `y`; bad `dx`.
    pub fn smooth_uniform(&self, y: &[f64], dx: f64) -> Result<Vec<f64>> {
        check::min_len("y", y, 1)?;
        let plan = self.plan(dx)?;
        plan.apply(y, self.mode.unwrap_or_default(), self.cval, self.skip_nan)
    }

    /// Smooths y over x. Uniform x (see [`uniform_spacing`]) runs the uniform filter with the edge mode (default
    /// `reflect`); irregular x runs [`nadaraya_watson`] (the mode must then be
    /// unset or `renormalize`, and the method `auto` or `direct`). A single
    /// point is a uniform grid with dx = 1.
    ///
    /// # Errors
    /// Empty or mismatched inputs; NaN/inf or unsorted x; a SciPy edge mode or
    /// a fast method asked for on irregular x.
    pub fn smooth_xy(&self, x: &[f64], y: &[f64]) -> Result<Smoothed> {
        check::min_len("x", x, 1)?;
        check::same_len("x", x, "y", y)?;
        check::all_finite("x", x)?;
        check::sorted("x", x)?;
        match uniform_spacing(x) {
            Some(dx) => {
                let plan = self.plan(dx)?;
                let mode = self.mode.unwrap_or_default();
                let values = plan.apply(y, mode, self.cval, self.skip_nan)?;
                Ok(Smoothed {
                    values,
                    grid: Grid::Uniform { dx },
                    method: plan.method(),
                    mode,
                })
            }
            None => {
                if let Some(mode) = self.mode.filter(|&m| m != EdgeMode::Renormalize) {
                    return Err(NumlabError::Unsupported(format!(
                        "mode {mode} needs uniform x, but x is irregular: irregular x uses the kernel regression (mode renormalize)"
                    )));
                }
                if !matches!(self.method, Method::Auto | Method::Direct) {
                    return Err(NumlabError::Unsupported(format!(
                        "method {} needs uniform x, but x is irregular: use method auto or direct",
                        self.method
                    )));
                }
                let values = nadaraya_watson(x, y, self.sigma, self.cutoff, self.skip_nan)?;
                Ok(Smoothed {
                    values,
                    grid: Grid::Irregular,
                    method: Method::Direct,
                    mode: EdgeMode::Renormalize,
                })
            }
        }
    }
}

/// The spacing of `x` if it is a uniform grid (sorted, finite, n >= 2, every
/// point within 1e-6 of a step, plus the rounding of f64 at the size of x, of
/// x_0 + i dx), `Some(1.0)` for a single point.
pub fn uniform_spacing(x: &[f64]) -> Option<f64> {
    let n = x.len();
    if n == 1 {
        return Some(1.0);
    }
    if n == 0 {
        return None;
    }
    let grid = UniformGrid::from_ends(x[0], x[n - 1], n)?;
    x.iter()
        .enumerate()
        .all(|(i, &v)| grid.fits(i, v))
        .then_some(grid.dx())
}

/// The test of [`uniform_spacing`] one point at a time, for x that arrives
/// in pieces (a file read twice: its ends and length first, then every
/// point): the grid of `n >= 2` points from `first` to `last`, and whether
/// point `i` lies on it. `x` is uniform exactly when every point fits.
///
/// ```
/// use numlab_core::smoothing::{uniform_spacing, UniformGrid};
/// let x = [10.0, 10.5, 11.0, 11.5000001];
/// let grid = UniformGrid::from_ends(x[0], x[3], x.len()).unwrap();
/// let fits = x.iter().enumerate().all(|(i, &v)| grid.fits(i, v));
/// assert_eq!(fits.then_some(grid.dx()), uniform_spacing(&x));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UniformGrid {
    x0: f64,
    dx: f64,
    tol: f64,
}

impl UniformGrid {
    /// The grid of `n` points from `first` to `last`; `None` for fewer than
    /// two points or a step that is not finite and positive.
    pub fn from_ends(first: f64, last: f64, n: usize) -> Option<Self> {
        if n < 2 {
            return None;
        }
        let dx = (last - first) / (n - 1) as f64;
        if !(dx.is_finite() && dx > 0.0) {
            return None;
        }
        // 1e-6 of a step, plus the resolution of f64 at the magnitude of x
        // (timestamps such as 1.7e9 s sampled every millisecond).
        let tol = 1e-6 * dx + 4.0 * f64::EPSILON * first.abs().max(last.abs());
        Some(UniformGrid { x0: first, dx, tol })
    }

    /// The step.
    pub fn dx(&self) -> f64 {
        self.dx
    }

    /// Whether point `i` at `v` lies on the grid.
    #[inline]
    pub fn fits(&self, i: usize, v: f64) -> bool {
        (v - (self.x0 + i as f64 * self.dx)).abs() <= self.tol
    }
}

/// SciPy's `gaussian_filter1d(y, sigma, mode=mode, cval=cval, truncate=truncate)`
/// for sigma in samples, by the `Auto` method.
///
/// ```
/// use numlab_core::smoothing::{gaussian_filter1d, EdgeMode};
/// let y = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let s = gaussian_filter1d(&y, 1.0, EdgeMode::Reflect, 0.0, 4.0)?;
/// // scipy.ndimage.gaussian_filter1d([1, 2, 3, 4, 5.], 1) -> [1.4269, 2.0821, 3., 3.9179, 4.5731]
/// assert!((s[0] - 1.42704095).abs() < 1e-6 && (s[2] - 3.0).abs() < 1e-12);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty `y`; sigma or truncate not finite or <= 0; cval not finite.
pub fn gaussian_filter1d(
    y: &[f64],
    sigma: f64,
    mode: EdgeMode,
    cval: f64,
    truncate: f64,
) -> Result<Vec<f64>> {
    GaussianSmoother::new(sigma)?
        .with_truncate(truncate)?
        .with_mode(mode)
        .with_cval(cval)?
        .smooth_uniform(y, 1.0)
}

/// Nadaraya-Watson regression of y over sorted x, distances in x units:
/// ŷ_i = Σ_j w_ij y_j / Σ_j w_ij with w_ij = exp(-(x_j - x_i)²/(2σ²)) over
/// |x_j - x_i| <= the cut-off distance. Work ∝ n × points per window.
///
/// # Errors
/// Empty or mismatched inputs; NaN/inf or unsorted x; bad sigma or cut-off.
pub fn nadaraya_watson(
    x: &[f64],
    y: &[f64],
    sigma: f64,
    cutoff: Cutoff,
    skip_nan: bool,
) -> Result<Vec<f64>> {
    check::min_len("x", x, 1)?;
    check::same_len("x", x, "y", y)?;
    check::positive("sigma", sigma)?;
    check::all_finite("x", x)?;
    check::sorted("x", x)?;
    let cutoff = cutoff.validate()?;
    let mut out = crate::alloc::zeroed(x.len());
    // A cut beyond the span of x keeps every pair; capping it keeps the
    // window scans finite when truncate * sigma overflows to infinity.
    let cut = cutoff.distance(sigma).min(x[x.len() - 1] - x[0]);
    if (0.5 / (sigma * sigma)).is_finite() {
        irregular::nadaraya_watson_sorted(x, y, sigma, cut, skip_nan, &mut out);
    } else {
        // sigma below ~1e-154: 1/sigma² overflows, so the fast path's
        // -d²/(2σ²) would be 0 × inf for equal x. Sum exp(-(d/σ)²/2) directly.
        let mut lo = 0;
        for (i, o) in out.iter_mut().enumerate() {
            while x[i] - x[lo] > cut {
                lo += 1;
            }
            let (mut num, mut den) = (0.0, 0.0);
            for j in lo..x.len() {
                let d = x[j] - x[i];
                if d > cut {
                    break;
                }
                if skip_nan && !y[j].is_finite() {
                    continue;
                }
                let w = (-0.5 * (d / sigma) * (d / sigma)).exp();
                num += w * y[j];
                den += w;
            }
            *o = if den > 0.0 { num / den } else { f64::NAN };
        }
    }
    Ok(out)
}

/// The questioner's `GaussianFlattenData(x, y, reach, sigma, phi, amplitude)`:
/// the same arguments and the same output (within 1e-12), quirks included
/// (see [`seed_notes`]), without the O(n²) scans.
///
/// - `reach`: the fraction of the peak below which kernel values are dropped, in (0, 1).
/// - `sigma`: the Gaussian's width, in samples (their kernel uses index distance).
/// - `phi`, `amplitude`: their Gaussian's `amplitude * cos(phi)` factor, which
///   cancels; it must not be 0.
///
/// # Errors
/// Empty or mismatched inputs; NaN/inf or unsorted x; reach outside (0, 1);
/// sigma not finite or <= 0; amplitude * cos(phi) = 0 or not finite (their
/// formula divides by it).
pub fn gaussian_flatten(
    x: &[f64],
    y: &[f64],
    reach: f64,
    sigma: f64,
    phi: f64,
    amplitude: f64,
) -> Result<Vec<f64>> {
    validate_seed(x, y, reach, sigma, phi, amplitude)?;
    seed::flatten(x, y, reach, sigma, phi, amplitude)
}

/// The checks of [`gaussian_flatten`], shared with the reference ports' callers.
pub fn validate_seed(
    x: &[f64],
    y: &[f64],
    reach: f64,
    sigma: f64,
    phi: f64,
    amplitude: f64,
) -> Result<()> {
    check::min_len("x", x, 1)?;
    check::same_len("x", x, "y", y)?;
    check::all_finite("x", x)?;
    check::sorted("x", x)?;
    Cutoff::Reach(reach).validate()?;
    check::positive("sigma", sigma)?;
    check::finite("phi", phi)?;
    check::finite("amplitude", amplitude)?;
    // cos(phi) of a finite f64 is never exactly 0 (cos(pi/2) = 6e-17), but
    // the product can underflow to 0 or overflow: their divisor.
    let scale = amplitude * phi.cos();
    if scale == 0.0 || !scale.is_finite() {
        return Err(NumlabError::invalid(
            "amplitude",
            amplitude,
            "times cos(phi) must be a nonzero finite number (the questioner's formula divides by amplitude * cos(phi); here it is 0 or overflows)",
        ));
    }
    Ok(())
}

#[doc = include_str!("seed_notes.md")]
pub mod seed_notes {}
