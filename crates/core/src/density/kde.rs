//! Gaussian kernel density estimation in 2-D, as `scipy.stats.gaussian_kde`.
//!
//! ```text
//! f(q) = (1/n) Σ_i exp(-½ (q - p_i)ᵀ S⁻¹ (q - p_i)) / (2π √det S),   S = factor² · cov(p)
//! ```
//!
//! `cov(p)` is the points' covariance with divisor n - 1 (`numpy.cov`), the
//! cross term included, and `factor` is Scott's n^(-1/6) or Silverman's
//! (n (d + 2) / 4)^(-1/(d + 4)), which in two dimensions is the same number,
//! n^(-1/6) (SciPy's `scotts_factor` and `silverman_factor` with d = 2), or a
//! given value (SciPy's scalar `bw_method`). f is a density per unit area (data
//! units⁻²) and integrates to 1 over the plane.
//!
//! # The exact sum and the fast path
//!
//! [`KdeMethod::Exact`] sums every point at every cell centre (n × cells
//! exponentials, vectorised, all cores): the reference. [`KdeMethod::Fast`]
//! splits the kernel in two Gaussians, S = S₁ + S₂ with S₂ diagonal:
//!
//! 1. spread each point onto a lattice of nodes every d cells (d = 1..8,
//!    aligned with the cell centres, extended by the reach of S₂) with the
//!    narrow kernel S₁ = [[α·a, b], [b, α·c]] (the whole cross term b, a
//!    share α of the variances), evaluated exactly at the nodes (separably,
//!    two batches of vectorised exponentials per point), cut at 5.5 of its
//!    standard deviations in x and y;
//! 2. blur that lattice by S₂ = diag((1-α)·a, (1-α)·c), separable, cut at 6
//!    sigma, with study 01's direct sum along rows (one kernel per phase of
//!    the output cell against the lattice when d > 1) and the strip column
//!    pass of [`super::GridBlur`];
//! 3. the result is the density at every cell centre of the view.
//!
//! Step 2 is the trapezoid rule for the convolution K₁ * K₂ = K, whose error
//! (Poisson summation) is the Fourier transform of the integrand at 2π per
//! node: below exp(-½ (2π)² λ) relative, λ the smallest eigenvalue of
//! (S₁⁻¹ + S₂⁻¹)⁻¹ in nodes², held >= 0.9, so 2e-8 per alias. With the cuts,
//! the error is below about 2e-7 of the value (the test bound is 1e-6 of the
//! peak; 4e-8 measured on the benchmark). α and d are chosen by a cost model
//! among those that meet the bound; α = 1 (no blur: the exact kernel, cut,
//! on the cells) wins when the bandwidth is below about a cell, and the exact
//! sum when the bandwidth dwarfs the view.

use std::str::FromStr;

use super::{check_size, Density, Grid, Points, View};
use crate::error::{check, num, sig3, NumlabError, Result};
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::fastmath::{exp1, exp_table};
use crate::simd::{self, Simd};
use crate::smoothing::{Kernel, Method, UniformPlan};
use crate::threads;

/// Where the spreading kernel is cut, in its standard deviations along x and
/// y (the box keeps all but 8e-8 of each point's mass).
const SPREAD_CUT: f64 = 5.5;
/// The largest correlation of S₁ spread by the separable box: its cross
/// factors exp(-B·i·j) then stay below e^400.
const BOX_MAX_RHO: f64 = 0.8;
/// Sigmas where the blur kernels are cut.
const BLUR_CUT: f64 = 6.0;
/// The coarsest lattice tried: nodes every 1..=8 cells.
const MAX_DECIMATION: usize = 8;
/// The smallest eigenvalue of (S₁⁻¹ + S₂⁻¹)⁻¹ in nodes² (quadrature error
/// exp(-½ (2π)² · 0.9) = 2e-8).
const QUAD_MIN: f64 = 0.9;

/// The most work one KDE call may take, in kernel evaluations of the exact
/// sum (points × cells or queries): 2^32 (4,294,967,296), about 20 seconds
/// on two cores. The fast path's cost is counted in the same units; it is
/// the exact sum, when the bandwidth dwarfs the view, that reaches it.
pub const MAX_KDE_WORK: f64 = 4_294_967_296.0;

/// How the bandwidth is chosen.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "rule", content = "factor", rename_all = "lowercase")]
pub enum Bandwidth {
    /// Scott's rule, n^(-1/(d+4)) = n^(-1/6) (SciPy's default).
    Scott,
    /// Silverman's rule, (n (d+2)/4)^(-1/(d+4)); in 2-D equal to Scott's.
    Silverman,
    /// A given factor: the kernel covariance is factor² × the data's (SciPy's scalar `bw_method`).
    Factor(f64),
}

impl FromStr for Bandwidth {
    type Err = NumlabError;
    /// `scott`, `silverman`, or a number (the factor).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "scott" => Ok(Bandwidth::Scott),
            "silverman" => Ok(Bandwidth::Silverman),
            t => match t.parse::<f64>() {
                Ok(v) => {
                    check::positive("bandwidth", v)?;
                    Ok(Bandwidth::Factor(v))
                }
                Err(_) => Err(NumlabError::UnknownName {
                    name: "bandwidth",
                    value: s.to_string(),
                    expected: "scott, silverman, or a factor > 0",
                }),
            },
        }
    }
}

/// How [`Kde::grid`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KdeMethod {
    /// The split-kernel fast path (see the module docs), or the exact sum when
    /// that is cheaper.
    #[default]
    Fast,
    /// The direct sum over every point at every cell centre.
    Exact,
}

/// A fitted 2-D Gaussian KDE: the finite points and the kernel covariance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Kde {
    /// The bandwidth factor (kernel covariance = factor² × data covariance).
    pub factor: f64,
    /// The points' covariance [[var x, cov xy], [cov xy, var y]] (divisor n - 1).
    pub data_covariance: [[f64; 2]; 2],
    /// The kernel covariance factor² × data covariance (data units²).
    pub covariance: [[f64; 2]; 2],
    /// Finite points used.
    pub n: usize,
    /// Points skipped for a NaN/inf coordinate.
    pub nonfinite: usize,
    #[serde(skip)]
    x: Vec<f64>,
    #[serde(skip)]
    y: Vec<f64>,
}

impl Kde {
    /// Fits the KDE: the covariance of the finite points and the factor.
    ///
    /// # Errors
    /// Fewer than 2 finite points; a non-positive or non-finite factor; a
    /// singular covariance (all points on a line), which SciPy refuses too;
    /// a factor so small or large that the kernel covariance factor² ×
    /// cov(points) is not representable (its determinant under- or
    /// overflows; [`NumlabError::OutOfRange`] on `bandwidth`).
    pub fn new(x: &[f64], y: &[f64], bandwidth: Bandwidth) -> Result<Self> {
        let pts = Points::new(x, y)?;
        let (x, y) = pts.finite();
        let n = x.len();
        if n < 2 {
            return Err(NumlabError::TooShort {
                name: "finite points (x, y)",
                len: n,
                min: 2,
            });
        }
        let nf = n as f64;
        let factor = match bandwidth {
            Bandwidth::Scott => nf.powf(-1.0 / 6.0),
            Bandwidth::Silverman => (nf * (2.0 + 2.0) / 4.0).powf(-1.0 / (2.0 + 4.0)),
            Bandwidth::Factor(f) => {
                check::positive("bandwidth", f)?;
                f
            }
        };
        let mx = x.iter().sum::<f64>() / nf;
        let my = y.iter().sum::<f64>() / nf;
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (a, b) in x.iter().zip(&y) {
            let (dx, dy) = (a - mx, b - my);
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        let d = nf - 1.0;
        let data_covariance = [[sxx / d, sxy / d], [sxy / d, syy / d]];
        // A usable covariance: variances and determinant normal numbers, the
        // determinant not lost to rounding against the variances' product.
        let usable = |c: &[[f64; 2]; 2]| {
            let det = c[0][0] * c[1][1] - c[0][1] * c[0][1];
            let scale = c[0][0] * c[1][1];
            det.is_normal() && det > 1e-12 * scale && scale.is_finite() && scale > 0.0
        };
        if !usable(&data_covariance) {
            return Err(NumlabError::Unsupported(format!(
                "the points' covariance is singular (var x = {}, var y = {}, cov = {}): they lie on a line, and a 2-D Gaussian KDE needs them spread in both directions",
                data_covariance[0][0], data_covariance[1][1], data_covariance[0][1]
            )));
        }
        let f2 = factor * factor;
        let covariance = [
            [data_covariance[0][0] * f2, data_covariance[0][1] * f2],
            [data_covariance[1][0] * f2, data_covariance[1][1] * f2],
        ];
        if !usable(&covariance) {
            // det(f² C) = f⁴ det C must stay a normal number, and so must
            // the product of the variances: the factors that allow it.
            let c = &data_covariance;
            let det = c[0][0] * c[1][1] - c[0][1] * c[0][1];
            let lo = (f64::MIN_POSITIVE / det).sqrt().sqrt() * 1.01;
            let hi = (f64::MAX / (c[0][0] * c[1][1])).sqrt().sqrt() / 1.01;
            return Err(NumlabError::OutOfRange {
                name: "bandwidth",
                value: num(factor),
                why: format!(
                    "the kernel covariance factor² x cov(points) (var x = {}, var y = {}) under- or overflows; for these points the factor must lie between {} and {}",
                    c[0][0] * f2,
                    c[1][1] * f2,
                    sig3(lo),
                    sig3(hi)
                ),
            });
        }
        Ok(Kde {
            factor,
            data_covariance,
            covariance,
            n,
            nonfinite: pts.nonfinite,
            x,
            y,
        })
    }

    /// The kernel's standard deviations along x and y (data units).
    pub fn sigmas(&self) -> (f64, f64) {
        (self.covariance[0][0].sqrt(), self.covariance[1][1].sqrt())
    }

    /// The inverse covariance and the normalisation 1/(n·2π·√det S).
    fn precision(&self) -> ([f64; 3], f64) {
        let s = &self.covariance;
        let det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
        let p = [s[1][1] / det, -s[0][1] / det, s[0][0] / det];
        (
            p,
            1.0 / (self.n as f64 * 2.0 * std::f64::consts::PI * det.sqrt()),
        )
    }

    /// The density at arbitrary points (the exact sum), data units⁻².
    ///
    /// # Errors
    /// Mismatched `qx`, `qy`; points × queries above [`MAX_KDE_WORK`]
    /// ([`NumlabError::AboveLimit`] on `queries`).
    pub fn at(&self, qx: &[f64], qy: &[f64]) -> Result<Vec<f64>> {
        check::same_len("qx", qx, "qy", qy)?;
        let work = self.n as f64 * qx.len() as f64;
        if work > MAX_KDE_WORK {
            return Err(NumlabError::above(
                "queries",
                qx.len(),
                format!("{} queries for {} points", num((MAX_KDE_WORK / self.n as f64).floor()), self.n),
                format!(
                    "the exact sum evaluates points x queries = {} kernels, at most 2^32 (about 20 s)",
                    num(work)
                ),
            ));
        }
        let (p, norm) = self.precision();
        let mut out = crate::alloc::zeroed(qx.len());
        threads::for_each_chunk(&mut out, 64, |start, part| {
            for (i, o) in part.iter_mut().enumerate() {
                let (cx, cy) = (qx[start + i], qy[start + i]);
                *o = if cx.is_finite() && cy.is_finite() {
                    exact_sum(&self.x, &self.y, cx, cy, p) * norm
                } else {
                    f64::NAN
                };
            }
        });
        Ok(out)
    }

    /// The density at the cell centres of a `width` × `height` grid over
    /// `view` (data units⁻²; rows ascend in y, see the module docs).
    ///
    /// # Errors
    /// Zero bins; a grid beyond [`super::MAX_CELLS`]; work beyond
    /// [`MAX_KDE_WORK`] ([`NumlabError::AboveLimit`] on `cells`), refused
    /// before it starts.
    pub fn grid(&self, view: View, width: usize, height: usize, method: KdeMethod) -> Result<Grid> {
        check_size(width, height)?;
        let exact_cost = 4.0 * self.n as f64 * width as f64 * height as f64;
        let (plan, cost) = match method {
            KdeMethod::Exact => (None, exact_cost),
            KdeMethod::Fast => self.plan_fast(&view, width, height),
        };
        if cost > 4.0 * MAX_KDE_WORK {
            let cells = width as f64 * height as f64;
            let (sx, sy) = self.sigmas();
            return Err(NumlabError::above(
                "cells",
                format!("{width}x{height}"),
                format!(
                    "about {} cells for {} points with this view and bandwidth",
                    sig3((cells * 4.0 * MAX_KDE_WORK / cost).floor()),
                    self.n
                ),
                format!(
                    "the KDE would take about {} kernel evaluations{}, at most 2^32 (about 20 s); the kernel spans {} x {} cells",
                    sig3(cost / 4.0),
                    if plan.is_none() { " of the exact sum" } else { "" },
                    sig3(sx / view.cell_width(width)),
                    sig3(sy / view.cell_height(height))
                ),
            ));
        }
        let values = match plan {
            Some(plan) => self.fast_grid(&view, width, height, &plan)?,
            None => self.exact_grid(&view, width, height),
        };
        Ok(Grid::from_rows(view, width, height, values))
    }

    /// How [`KdeMethod::Fast`] would compute this grid: `None` for the exact
    /// sum, else (α, cells per lattice node, blur radii in nodes x and y).
    pub fn fast_split(
        &self,
        view: View,
        width: usize,
        height: usize,
    ) -> Option<(f64, usize, usize, usize)> {
        self.plan_fast(&view, width, height)
            .0
            .map(|p| (p.alpha, p.d, p.rx, p.ry))
    }

    fn exact_grid(&self, view: &View, width: usize, height: usize) -> Vec<f64> {
        let (cx, cy) = (view.x_centers(width), view.y_centers(height));
        let (p, norm) = self.precision();
        let mut out = crate::alloc::zeroed(width * height);
        threads::for_each_chunk(&mut out, 64, |start, part| {
            for (i, o) in part.iter_mut().enumerate() {
                let k = start + i;
                *o = exact_sum(&self.x, &self.y, cx[k % width], cy[k / width], p) * norm;
            }
        });
        out
    }

    /// Chooses α (and the paddings) by cost, or `None` for the exact sum;
    /// with the chosen route's cost (4 units per exact kernel evaluation).
    fn plan_fast(&self, view: &View, width: usize, height: usize) -> (Option<FastPlan>, f64) {
        let (hx, hy) = (view.cell_width(width), view.cell_height(height));
        let s = &self.covariance;
        // Covariance in cells².
        let a = s[0][0] / (hx * hx);
        let b = s[0][1] / (hx * hy);
        let c = s[1][1] / (hy * hy);
        let (n, w, h) = (self.n as f64, width as f64, height as f64);
        let exact_cost = 4.0 * n * w * h;
        // Spreading: the separable box (two short exponential batches per
        // point, then one multiply-add per node) when S₁'s correlation is at
        // most 0.8; else one exponential per node of the ellipse.
        let spread_cost = |s1: [f64; 3]| -> (f64, bool) {
            let det = s1[0] * s1[2] - s1[1] * s1[1];
            let rho1 = (s1[1] / (s1[0] * s1[2]).sqrt()).abs();
            if rho1 <= BOX_MAX_RHO {
                let bx = 2.0 * SPREAD_CUT * s1[0].sqrt() + 1.0;
                let by = 2.0 * SPREAD_CUT * s1[2].sqrt() + 1.0;
                (n * (bx * by + 4.0 * (bx + by) + 40.0), true)
            } else {
                let area = std::f64::consts::PI * SPREAD_CUT * SPREAD_CUT * det.sqrt();
                (
                    n * (8.0 * area + 2.0 * SPREAD_CUT * s1[2].sqrt() * 20.0 + 40.0),
                    false,
                )
            }
        };
        let mut best: Option<(f64, FastPlan)> = None;
        // α = 1: the exact kernel, cut, spread on the view's own lattice.
        {
            let (cost, boxed) = spread_cost([a, b, c]);
            if cost.is_finite() {
                best = Some((
                    cost,
                    FastPlan {
                        alpha: 1.0,
                        boxed,
                        s1: [a, b, c],
                        sigma2: (0.0, 0.0),
                        rx: 0,
                        ry: 0,
                        d: 1,
                    },
                ));
            }
        }
        let rho = (b / (a * c).sqrt()).abs();
        if rho < 0.999 {
            for k in 0..200 {
                // α from just above |ρ| towards 1, geometrically.
                let t = 1e-4f64.powf(1.0 - k as f64 / 200.0);
                let alpha = rho + (1.0 - rho) * t;
                if alpha >= 1.0 {
                    continue;
                }
                let s1 = [alpha * a, b, alpha * c];
                let det1 = s1[0] * s1[2] - b * b;
                if det1 <= 0.0 {
                    continue;
                }
                let (d1, d2) = ((1.0 - alpha) * a, (1.0 - alpha) * c);
                // M = S1⁻¹ + S2⁻¹; need 1/λmax(M) >= QUAD_MIN.
                let m = [s1[2] / det1 + 1.0 / d1, -b / det1, s1[0] / det1 + 1.0 / d2];
                let tr = m[0] + m[2];
                let disc = ((m[0] - m[2]) * (m[0] - m[2]) + 4.0 * m[1] * m[1]).sqrt();
                let lmax = 0.5 * (tr + disc);
                if !(lmax.is_finite() && 1.0 / lmax >= QUAD_MIN) {
                    continue;
                }
                let lmin_c = 1.0 / lmax;
                let (sx, sy) = (d1.sqrt(), d2.sqrt());
                // The lattice may be coarser than the cells (d cells per
                // node) while the quadrature bound holds at its spacing.
                for dec in 1..=MAX_DECIMATION {
                    let df = dec as f64;
                    if lmin_c / (df * df) < QUAD_MIN {
                        break;
                    }
                    let rx = (BLUR_CUT * sx / df).ceil() as usize + 1;
                    let ry = (BLUR_CUT * sy / df).ceil() as usize + 1;
                    let gw = (w / df).ceil() + 2.0 * rx as f64;
                    let gh = (h / df).ceil() + 2.0 * ry as f64;
                    if gw * gh > super::MAX_CELLS as f64 {
                        continue;
                    }
                    let blur = gh * w * (2.0 * rx as f64 + 1.0)
                        + h * w * (2.0 * ry as f64 + 1.0)
                        + gw * gh;
                    let s1c = [s1[0] / (df * df), s1[1] / (df * df), s1[2] / (df * df)];
                    let (spread, boxed) = spread_cost(s1c);
                    let cost = spread + blur;
                    if best.as_ref().is_none_or(|(bc, _)| cost < *bc) {
                        best = Some((
                            cost,
                            FastPlan {
                                alpha,
                                boxed,
                                s1,
                                sigma2: (sx, sy),
                                rx,
                                ry,
                                d: dec,
                            },
                        ));
                    }
                }
            }
        }
        match best {
            Some((cost, plan)) if cost < exact_cost => (Some(plan), cost),
            _ => (None, exact_cost),
        }
    }

    fn fast_grid(
        &self,
        view: &View,
        width: usize,
        height: usize,
        plan: &FastPlan,
    ) -> Result<Vec<f64>> {
        let (hx, hy) = (view.cell_width(width), view.cell_height(height));
        let norm = 1.0 / (self.n as f64 * hx * hy);
        if plan.alpha >= 1.0 {
            // The exact kernel, cut, spread onto the cell centres.
            let u: Vec<f64> = self.x.iter().map(|&v| (v - view.x0) / hx - 0.5).collect();
            let v: Vec<f64> = self.y.iter().map(|&t| (t - view.y0) / hy - 0.5).collect();
            let mut values = if plan.boxed {
                spread_box(&u, &v, plan.s1, width, height)
            } else {
                spread(&u, &v, plan.s1, width, height)
            };
            for o in &mut values {
                *o *= norm;
            }
            return Ok(values);
        }
        // Lattice node (i, j) sits at cell coordinates (d·i - d·rx, d·j - d·ry).
        let (d, rx, ry) = (plan.d, plan.rx, plan.ry);
        let df = d as f64;
        let (gw, gh) = (width.div_ceil(d) + 2 * rx, height.div_ceil(d) + 2 * ry);
        let u: Vec<f64> = self
            .x
            .iter()
            .map(|&v| ((v - view.x0) / hx - 0.5) / df + rx as f64)
            .collect();
        let v: Vec<f64> = self
            .y
            .iter()
            .map(|&t| ((t - view.y0) / hy - 0.5) / df + ry as f64)
            .collect();
        let s1 = [
            plan.s1[0] / (df * df),
            plan.s1[1] / (df * df),
            plan.s1[2] / (df * df),
        ];
        let lattice = if plan.boxed {
            spread_box(&u, &v, s1, gw, gh)
        } else {
            spread(&u, &v, s1, gw, gh)
        };
        // The spread values are densities per node²; per cell² divide by d².
        let norm = norm / (df * df);
        let phases_x = phase_plans(plan.sigma2.0, d, rx)?;
        let phases_y: Vec<Vec<f64>> = phase_weights(plan.sigma2.1, d, ry);
        // Row pass: every lattice row to `width` outputs, phase by phase.
        // Every value is written (all phases cover all columns): a pooled buffer.
        let mut rows = crate::alloc::pool::take_f64(gh * width);
        let rows_per_chunk = (1usize << 15).div_ceil(width).max(1);
        threads::for_each_chunk(&mut rows, rows_per_chunk * width, |start, part| {
            let mut tmp = vec![0.0; width.div_ceil(d)];
            for (k, out) in part.chunks_mut(width).enumerate() {
                let r = start / width + k;
                let src = &lattice[r * gw..(r + 1) * gw];
                for (phi, p) in phases_x.iter().enumerate() {
                    let n_out = (width - phi).div_ceil(d);
                    let taps = p.kernel().len();
                    p.correlate_valid(&src[..n_out + taps - 1], &mut tmp[..n_out], true);
                    for (kk, &val) in tmp[..n_out].iter().enumerate() {
                        out[d * kk + phi] = val;
                    }
                }
            }
        });
        // Column pass: output rows d·k + φ from lattice rows k.. with phase φ's weights.
        let mut values = crate::alloc::zeroed(height * width);
        for (phi, wts) in phases_y.iter().enumerate() {
            let n_out = (height - phi.min(height)).div_ceil(d);
            if n_out == 0 {
                continue;
            }
            let mut out = vec![0.0; n_out * width];
            let out_rows_per_chunk = (1usize << 15)
                .div_ceil(width * wts.len())
                .max(1)
                .next_multiple_of(4);
            threads::for_each_chunk(&mut out, out_rows_per_chunk * width, |start, part| {
                super::blur::vertical_dispatch(&rows, width, start / width, wts, part);
            });
            for (kk, row) in out.chunks(width).enumerate() {
                let r = d * kk + phi;
                for (o, &val) in values[r * width..(r + 1) * width].iter_mut().zip(row) {
                    *o = val * norm;
                }
            }
        }
        crate::alloc::pool::give_f64(rows);
        Ok(values)
    }
}

/// The blur weights of phase φ = 0..d of a lattice with d cells per node:
/// output cell d·k + φ takes lattice nodes k + t, t = 0..=2r, at distance
/// d·(r - t) + φ cells, each weighted d·N(distance; σ) (the trapezoid rule
/// at spacing d, exact to exp(-2π²σ²/d²)).
fn phase_weights(sigma: f64, d: usize, r: usize) -> Vec<Vec<f64>> {
    let c = d as f64 / ((2.0 * std::f64::consts::PI).sqrt() * sigma);
    (0..d)
        .map(|phi| {
            (0..=2 * r)
                .map(|t| {
                    let dist = d as f64 * (r as f64 - t as f64) + phi as f64;
                    c * (-0.5 * (dist / sigma) * (dist / sigma)).exp()
                })
                .collect()
        })
        .collect()
}

/// [`phase_weights`] as study 01 plans for the direct row pass (phase 0 is
/// symmetric; the others take the general path).
fn phase_plans(sigma: f64, d: usize, r: usize) -> Result<Vec<UniformPlan>> {
    phase_weights(sigma, d, r)
        .into_iter()
        .enumerate()
        .map(|(phi, weights)| {
            let (left, right) = if phi == 0 { (r, r) } else { (2 * r, 0) };
            let raw_sum = weights.iter().sum();
            UniformPlan::new(
                Kernel {
                    sigma: sigma / d as f64,
                    left,
                    right,
                    weights,
                    raw_sum,
                },
                Method::Direct,
            )
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
struct FastPlan {
    alpha: f64,
    /// Spread by the separable box ([`spread_box`]) rather than by rows.
    boxed: bool,
    /// S₁ in cells²: [xx, xy, yy].
    s1: [f64; 3],
    /// Sigmas of S₂ in cells.
    sigma2: (f64, f64),
    rx: usize,
    ry: usize,
    /// Cells per lattice node (1 = the cells themselves).
    d: usize,
}

/// Σ_i K₁(node - p_i) on a `gw` × `gh` lattice (cells), K₁ the normalised
/// Gaussian of covariance `s1` = [xx, xy, yy] cut at Mahalanobis radius
/// [`SPREAD_CUT`]. Rows are cut into bands spread over the threads; each band
/// adds the points that reach it in input order, so the result does not
/// depend on the thread count.
fn spread(u: &[f64], v: &[f64], s1: [f64; 3], gw: usize, gh: usize) -> Vec<f64> {
    let det = s1[0] * s1[2] - s1[1] * s1[1];
    let (pa, pb, pc) = (s1[2] / det, -s1[1] / det, s1[0] / det);
    let norm = 1.0 / (2.0 * std::f64::consts::PI * det.sqrt());
    let r2 = SPREAD_CUT * SPREAD_CUT;
    let reach_y = SPREAD_CUT * s1[2].sqrt();
    let band = 16usize;
    let bands = gh.div_ceil(band);
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); bands];
    let row_range = |vp: f64| -> Option<(usize, usize)> {
        let lo = (vp - reach_y).ceil().max(0.0);
        let hi = (vp + reach_y).floor().min(gh as f64 - 1.0);
        (lo <= hi).then_some((lo as usize, hi as usize))
    };
    let reach_x = SPREAD_CUT * s1[0].sqrt();
    for (i, (&up, &vp)) in u.iter().zip(v).enumerate() {
        if up + reach_x < 0.0 || up - reach_x > gw as f64 - 1.0 {
            continue;
        }
        if let Some((lo, hi)) = row_range(vp) {
            for list in &mut lists[lo / band..=hi / band] {
                list.push(i as u32);
            }
        }
    }
    let mut out = crate::alloc::zeroed(gw * gh);
    // A's "B/A" and the conditional precision along y.
    let shift = pb / pa;
    let pc_cond = pc - pb * pb / pa;
    threads::for_each_chunk(&mut out, band * gw, |start, part| {
        let row0 = start / gw;
        let rows = part.len() / gw;
        let mut t = Vec::new();
        for &i in &lists[row0 / band] {
            let (up, vp) = (u[i as usize], v[i as usize]);
            let Some((lo, hi)) = row_range(vp) else {
                continue;
            };
            for j in lo.max(row0)..=hi.min(row0 + rows - 1) {
                let dy = j as f64 - vp;
                let q = pc_cond * dy * dy;
                if q > r2 {
                    continue;
                }
                let s = up - shift * dy;
                let half = ((r2 - q) / pa).sqrt();
                let i0 = (s - half).ceil().max(0.0);
                let i1 = (s + half).floor().min(gw as f64 - 1.0);
                if i0 > i1 {
                    continue;
                }
                let (i0, i1) = (i0 as usize, i1 as usize);
                let row = &mut part[(j - row0) * gw..(j - row0 + 1) * gw];
                t.clear();
                t.extend((i0..=i1).map(|k| {
                    let dx = k as f64 - s;
                    -0.5 * (pa * dx * dx + q)
                }));
                exp_in_place(&mut t);
                for (o, e) in row[i0..=i1].iter_mut().zip(&t) {
                    *o += e * norm;
                }
            }
        }
    });
    out
}

/// [`spread`] by a separable factorisation over the bounding box of the
/// cut: with dx = dx₀ + i, dy = dy₀ + j (i, j the node offsets from the box's
/// corner),
///
/// ```text
/// -½(A dx² + 2B dx dy + C dy²) = [-½A dx² - B dx dy₀] + [-½C dy² - B dx₀ j] + [-B i j]
/// ```
///
/// so each weight is U_i · V_j · T_ij: two batches of exponentials per point
/// (vectorised), a table T shared by all points, and one multiply-add per
/// node. Needs |ρ(S₁)| <= [`BOX_MAX_RHO`] so that no factor overflows.
fn spread_box(u: &[f64], v: &[f64], s1: [f64; 3], gw: usize, gh: usize) -> Vec<f64> {
    let det = s1[0] * s1[2] - s1[1] * s1[1];
    let (pa, pb, pc) = (s1[2] / det, -s1[1] / det, s1[0] / det);
    let norm = 1.0 / (2.0 * std::f64::consts::PI * det.sqrt());
    let (ex, ey) = (SPREAD_CUT * s1[0].sqrt(), SPREAD_CUT * s1[2].sqrt());
    // Box rows padded to whole vectors: the nodes past the cut get their
    // (tiny, exact) weights, and every row is full SIMD lanes.
    let bx = ((2.0 * ex).floor() as usize + 1).next_multiple_of(8);
    let by = (2.0 * ey).floor() as usize + 1;
    let table: Vec<f64> = (0..by)
        .flat_map(|j| (0..bx).map(move |i| (-pb * i as f64 * j as f64).exp()))
        .collect();
    let band = 16usize;
    let bands = gh.div_ceil(band);
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); bands];
    // The box's corner node (i0, j0), possibly outside the lattice.
    let corner = |up: f64, vp: f64| ((up - ex).ceil(), (vp - ey).ceil());
    for (k, (&up, &vp)) in u.iter().zip(v).enumerate() {
        let (i0, j0) = corner(up, vp);
        if i0 + bx as f64 <= 0.0
            || i0 > gw as f64 - 1.0
            || j0 + by as f64 <= 0.0
            || j0 > gh as f64 - 1.0
        {
            continue;
        }
        let lo = j0.max(0.0) as usize;
        let hi = ((j0 + by as f64 - 1.0).min(gh as f64 - 1.0)) as usize;
        for list in &mut lists[lo / band..=hi / band] {
            list.push(k as u32);
        }
    }
    let mut out = crate::alloc::zeroed(gw * gh);
    let box_ = SpreadBox {
        u,
        v,
        pa,
        pb,
        pc,
        norm,
        ex,
        ey,
        bx,
        by,
        table: &table,
        gw,
    };
    threads::for_each_chunk(&mut out, band * gw, |start, part| {
        box_.band(&lists[(start / gw) / band], start / gw, part);
    });
    out
}

/// The per-band work of [`spread_box`], compiled for the CPU's vector units.
struct SpreadBox<'a> {
    u: &'a [f64],
    v: &'a [f64],
    pa: f64,
    pb: f64,
    pc: f64,
    norm: f64,
    ex: f64,
    ey: f64,
    bx: usize,
    by: usize,
    table: &'a [f64],
    gw: usize,
}

impl SpreadBox<'_> {
    fn band(&self, list: &[u32], row0: usize, part: &mut [f64]) {
        band_on(simd::isa(), self, list, row0, part);
    }

    #[inline(always)]
    fn band_generic<S: Simd>(&self, s: S, list: &[u32], row0: usize, part: &mut [f64]) {
        let SpreadBox {
            u,
            v,
            pa,
            pb,
            pc,
            norm,
            ex,
            ey,
            bx,
            by,
            table,
            gw,
        } = *self;
        let rows = part.len() / gw;
        let corner = |up: f64, vp: f64| ((up - ex).ceil(), (vp - ey).ceil());
        // Padded to whole vectors: the batches then run without a scalar tail.
        let mut ux = vec![0.0; bx.next_multiple_of(8)];
        let mut vy = vec![0.0; by.next_multiple_of(8)];
        for &k in list {
            let (up, vp) = (u[k as usize], v[k as usize]);
            let (i0, j0) = corner(up, vp);
            let (dx0, dy0) = (i0 - up, j0 - vp);
            for (i, e) in ux.iter_mut().enumerate() {
                let dx = dx0 + i as f64;
                *e = -0.5 * pa * dx * dx - pb * dx * dy0;
            }
            for (j, e) in vy.iter_mut().enumerate() {
                let dy = dy0 + j as f64;
                *e = -0.5 * pc * dy * dy - pb * dx0 * j as f64;
            }
            // exp(min(t, 700)) by the table exponential (relative error
            // below 3e-16), eight lanes with AVX-512, four with AVX2.
            s.exp_table_in_place(&mut ux);
            s.exp_table_in_place(&mut vy);
            // Rows of the box inside this band, columns inside the lattice.
            let (i0, j0) = (i0 as isize, j0 as isize);
            let jlo = (row0 as isize - j0).max(0) as usize;
            let jhi = ((row0 + rows) as isize - j0).min(by as isize);
            let ilo = (-i0).max(0) as usize;
            let ihi = (gw as isize - i0).min(bx as isize);
            if jhi <= jlo as isize || ihi <= ilo as isize {
                continue;
            }
            let (jhi, ihi) = (jhi as usize, ihi as usize);
            for j in jlo..jhi {
                let r = (j0 + j as isize) as usize - row0;
                let row = &mut part[r * gw..(r + 1) * gw];
                let vj = vy[j] * norm;
                let t = &table[j * bx..(j + 1) * bx];
                let base = (i0 + ilo as isize) as usize;
                for ((o, &ui), &tij) in row[base..base + (ihi - ilo)]
                    .iter_mut()
                    .zip(&ux[ilo..ihi])
                    .zip(&t[ilo..ihi])
                {
                    *o += vj * (ui * tij);
                }
            }
        }
    }
}

simd::dispatch!(fn band_on(
    sb: &SpreadBox<'_>,
    list: &[u32],
    row0: usize,
    part: &mut [f64]
) => band_widest);

#[inline(always)]
fn band_widest<S: Simd>(s: S, sb: &SpreadBox<'_>, list: &[u32], row0: usize, part: &mut [f64]) {
    sb.band_generic(s, list, row0, part);
}

/// `t[k] = exp(t[k])` for t <= 0.5 ([`exp1`], the same bits in every lane).
fn exp_in_place(t: &mut [f64]) {
    exp_in_place_on(simd::isa(), t);
}

simd::dispatch!(fn exp_in_place_on(t: &mut [f64]) => exp_in_place_generic);

#[inline(always)]
fn exp_in_place_generic<S: Simd>(_: S, t: &mut [f64]) {
    for v in t.iter_mut() {
        *v = exp1(*v);
    }
}

/// Σ_i exp(-½ dᵀ P d), d = (cx - x_i, cy - y_i), P = [xx, xy, yy]: the exact
/// sum, lanes of 8 points (vectorised), the lanes added in a fixed order.
fn exact_sum(x: &[f64], y: &[f64], cx: f64, cy: f64, p: [f64; 3]) -> f64 {
    exact_sum_on(simd::isa(), x, y, cx, cy, p)
}

simd::dispatch!(fn exact_sum_on(x: &[f64], y: &[f64], cx: f64, cy: f64, p: [f64; 3]) -> f64 => exact_sum_generic);

#[inline(always)]
fn exact_sum_generic<S: Simd>(_: S, x: &[f64], y: &[f64], cx: f64, cy: f64, p: [f64; 3]) -> f64 {
    const L: usize = 8;
    let (a, b, c) = (-0.5 * p[0], -p[1], -0.5 * p[2]);
    let term = |xi: f64, yi: f64| {
        let dx = cx - xi;
        let dy = cy - yi;
        let t = (a * dx).mul_add(dx, (b * dx).mul_add(dy, c * dy * dy));
        exp_table::<true>(t)
    };
    let mut acc = [0.0f64; L];
    let n = x.len() / L * L;
    for (xs, ys) in x[..n].chunks_exact(L).zip(y[..n].chunks_exact(L)) {
        for l in 0..L {
            acc[l] += term(xs[l], ys[l]);
        }
    }
    for (k, (&xi, &yi)) in x[n..].iter().zip(&y[n..]).enumerate() {
        acc[k] += term(xi, yi);
    }
    let mut s = 0.0;
    for v in acc {
        s += v;
    }
    s
}

/// Gaussian KDE at the cell centres of a `width` × `height` grid over
/// `view`: a density per unit area (data units⁻²) that integrates to 1 (see
/// the module docs of [`Kde`] for the bandwidth and the methods).
///
/// ```
/// use numlab_core::density::{kde_grid, Bandwidth, KdeMethod, View};
/// let x: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64 / 101.0).collect();
/// let y: Vec<f64> = (0..200).map(|i| ((i * 53) % 97) as f64 / 97.0).collect();
/// let view = View::new(-1.0, -1.0, 2.0, 2.0)?;
/// let d = kde_grid(&x, &y, view, 96, 96, Bandwidth::Scott, KdeMethod::Fast)?;
/// let cell = (3.0 / 96.0) * (3.0 / 96.0);
/// let mass: f64 = d.grid.values.iter().sum::<f64>() * cell;
/// assert!((mass - 1.0).abs() < 1e-6);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// See [`Kde::new`] and [`Kde::grid`].
pub fn kde_grid(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
    bandwidth: Bandwidth,
    method: KdeMethod,
) -> Result<Density> {
    let kde = Kde::new(x, y, bandwidth)?;
    let grid = kde.grid(view, width, height, method)?;
    Ok(Density {
        grid,
        nonfinite: kde.nonfinite,
    })
}

/// Gaussian KDE of the points (x, y) evaluated at (qx, qy), by the exact
/// sum: `scipy.stats.gaussian_kde(np.vstack([x, y]), bw_method)(np.vstack([qx, qy]))`.
/// A query with a NaN/inf coordinate gives NaN.
///
/// # Errors
/// See [`Kde::new`]; mismatched qx, qy.
pub fn kde_points(
    x: &[f64],
    y: &[f64],
    qx: &[f64],
    qy: &[f64],
    bandwidth: Bandwidth,
) -> Result<Vec<f64>> {
    Kde::new(x, y, bandwidth)?.at(qx, qy)
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use crate::simd::assert_same_bits_on_every_path;

    /// The exact sum and both exponentials give the scalar bits on every path.
    #[test]
    fn kernels_agree_on_every_path() {
        let x: Vec<f64> = (0..1003)
            .map(|i| ((i * 7919) % 1009) as f64 / 1009.0)
            .collect();
        let y: Vec<f64> = (0..1003)
            .map(|i| ((i * 104_729) % 997) as f64 / 997.0)
            .collect();
        for p in [[50.0, 3.0, 40.0], [5000.0, -100.0, 900.0]] {
            assert_same_bits_on_every_path("exact_sum", |isa| {
                exact_sum_on(isa, &x, &y, 0.4, 0.6, p)
            });
        }
        let t: Vec<f64> = (0..1003)
            .map(|i| -745.0 * (i as f64 / 1003.0).powi(2) + 0.5)
            .collect();
        assert_same_bits_on_every_path("exp1", |isa| {
            let mut v = t.clone();
            exp_in_place_on(isa, &mut v);
            v
        });
    }
}
