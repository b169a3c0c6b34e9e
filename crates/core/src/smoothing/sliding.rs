//! Sliding trigonometric sums: an exact-to-rounding Gaussian whose cost does
//! not grow with sigma.
//!
//! # The idea
//!
//! On the window `-L <= k <= R` (samples) the Gaussian g(k) = exp(-k²/(2σ²))
//! equals its periodisation with a period P > max(L, R) up to the aliases
//! g(k ± P), and the periodisation is, by Poisson's summation formula, a
//! Fourier series whose coefficients are samples of the Gaussian's transform:
//!
//! ```text
//! Σₙ g(k + nP) = c₀ + Σ_{m≥1} c_m cos(ω m k),   ω = 2π/P,
//! c₀ = σ√(2π)/P,   c_m = 2σ√(2π)/P · exp(-(ω m σ)²/2).
//! ```
//!
//! Keeping m = 1..K and choosing P = max(L, R) + ασ with α(ρ + α) = 2π(K + 1),
//! ρ = max(L, R)/σ, makes both the dropped aliases (≈ 2 e^{-α²/2}) and the
//! dropped harmonics (≈ e^{-α²/2}) smaller than 1e-15 of the peak. With
//! truncate = 4, K = 16 gives α = 8.52 and an error of about 1e-16.
//!
//! Each harmonic's windowed sum T_m(i) = Σ_k y[i+k] e^{iωmk} slides along the
//! signal in O(1): T_m(i+1) = e^{-iωm} (T_m(i) - e^{-iωmL} y[i-L] + e^{iωm(R+1)} y[i+R+1]).
//! So every output costs O(K), whatever sigma is; only the start of each block
//! of [`block_len`] outputs sums its window directly, which bounds the growth of
//! rounding error and lets blocks run on separate cores.
//!
//! # References
//!
//! - D. Charalampidis, "Recursive implementation of the Gaussian filter using
//!   truncated cosine functions", IEEE Trans. Signal Process. 64(14), 2016
//!   (the cosine-series idea at low order; here the order is chosen for full
//!   double precision).
//! - K. Sugimoto and S. Kamata, "Fast Gaussian filter with second-order shift
//!   property of DCT-5", ICIP 2013.

use super::kernel::Kernel;
use crate::simd::{self, Simd};
use crate::threads;

/// Lane counts the sliding loop is compiled for (number of harmonics K).
const LANE_CHOICES: [usize; 4] = [8, 16, 32, 64];
/// The target bound on the kernel approximation, relative to its peak.
const TARGET: f64 = 1e-15;

/// A planned sliding-sum filter for one kernel window.
#[derive(Debug, Clone)]
pub(crate) struct SlidingPlan {
    left: usize,
    right: usize,
    /// Number of harmonics (a multiple of 8, one of `LANE_CHOICES`).
    k: usize,
    /// DC weight, including the 1/raw_sum normalisation.
    c0: f64,
    /// Harmonic weights c_m / raw_sum, m = 1..=k.
    c: Vec<f64>,
    z_re: Vec<f64>,
    z_im: Vec<f64>,
    a_re: Vec<f64>,
    a_im: Vec<f64>,
    b_re: Vec<f64>,
    b_im: Vec<f64>,
    /// cos(ω m (j - left)) and sin(...) for j = 0..=left+right, m = 1..=k, row-major by j.
    tab_re: Vec<f64>,
    tab_im: Vec<f64>,
}

/// The harmonic count and the alias margin α for a window of reach `rho` sigmas,
/// or `None` when no lane choice reaches the target accuracy.
fn choose_k(rho: f64) -> Option<(usize, f64)> {
    let need = (-2.0 * (TARGET / 2.0).ln()).sqrt();
    LANE_CHOICES.iter().find_map(|&k| {
        let alpha =
            0.5 * (-rho + (rho * rho + 8.0 * std::f64::consts::PI * (k as f64 + 1.0)).sqrt());
        (alpha >= need).then_some((k, alpha))
    })
}

/// Outputs per block: long enough that the block's initial direct sum costs
/// little, short enough that rounding error stays near 1e-14.
pub(crate) fn block_len(window: usize) -> usize {
    (2 * window).clamp(8192, 1 << 17)
}

impl SlidingPlan {
    /// Plans the filter for `kernel`, or `None` when the window is so long in
    /// sigmas (truncate beyond about 14) that 64 harmonics do not suffice.
    pub(crate) fn new(kernel: &Kernel) -> Option<Self> {
        let sigma = kernel.sigma;
        let reach = kernel.left.max(kernel.right) as f64;
        let (k, alpha) = choose_k(reach / sigma)?;
        let period = reach + alpha * sigma;
        let omega = 2.0 * std::f64::consts::PI / period;
        let amp = sigma * (2.0 * std::f64::consts::PI).sqrt() / period / kernel.raw_sum;
        let c: Vec<f64> = (1..=k)
            .map(|m| {
                let x = omega * m as f64 * sigma;
                2.0 * amp * (-0.5 * x * x).exp()
            })
            .collect();
        let phase = |m: usize, j: i64| omega * (m as f64 * j as f64);
        let (left, right) = (kernel.left as i64, kernel.right as i64);
        let cis = |m: usize, j: i64| {
            let a = phase(m, j);
            (a.cos(), a.sin())
        };
        let mut plan = SlidingPlan {
            left: kernel.left,
            right: kernel.right,
            k,
            c0: amp,
            c,
            z_re: Vec::with_capacity(k),
            z_im: Vec::with_capacity(k),
            a_re: Vec::with_capacity(k),
            a_im: Vec::with_capacity(k),
            b_re: Vec::with_capacity(k),
            b_im: Vec::with_capacity(k),
            tab_re: Vec::with_capacity(kernel.len() * k),
            tab_im: Vec::with_capacity(kernel.len() * k),
        };
        for m in 1..=k {
            let (zr, zi) = cis(m, -1);
            let (ar, ai) = cis(m, -left);
            let (br, bi) = cis(m, right + 1);
            plan.z_re.push(zr);
            plan.z_im.push(zi);
            plan.a_re.push(ar);
            plan.a_im.push(ai);
            plan.b_re.push(br);
            plan.b_im.push(bi);
        }
        for j in -left..=right {
            for m in 1..=k {
                let (re, im) = cis(m, j);
                plan.tab_re.push(re);
                plan.tab_im.push(im);
            }
        }
        Some(plan)
    }

    fn window(&self) -> usize {
        self.left + self.right + 1
    }

    /// Valid correlation with the planned kernel: `ext.len() == out.len() + window - 1`.
    pub(crate) fn correlate_valid(&self, ext: &[f64], out: &mut [f64]) {
        debug_assert_eq!(ext.len() + 1, out.len() + self.window());
        let block = block_len(self.window());
        threads::for_each_chunk(out, block, |start, part| {
            let ext_part = &ext[start..start + part.len() + self.window() - 1];
            self.dispatch(ext_part, part);
        });
    }

    fn dispatch(&self, ext: &[f64], out: &mut [f64]) {
        block_on(simd::isa(), self, ext, out);
    }

    #[inline(always)]
    fn block_any(&self, ext: &[f64], out: &mut [f64]) {
        match self.k {
            8 => self.block::<8>(ext, out),
            16 => self.block::<16>(ext, out),
            32 => self.block::<32>(ext, out),
            _ => self.block::<64>(ext, out),
        }
    }

    /// One block: direct sums for the first output, then the sliding update.
    #[inline(always)]
    #[allow(clippy::needless_range_loop)]
    fn block<const K: usize>(&self, ext: &[f64], out: &mut [f64]) {
        let n = out.len();
        if n == 0 {
            return;
        }
        let win = self.window();
        let arr = |v: &[f64]| -> [f64; K] {
            let mut a = [0.0; K];
            a.copy_from_slice(&v[..K]);
            a
        };
        let (c, z_re, z_im) = (arr(&self.c), arr(&self.z_re), arr(&self.z_im));
        let (a_re, a_im, b_re, b_im) = (
            arr(&self.a_re),
            arr(&self.a_im),
            arr(&self.b_re),
            arr(&self.b_im),
        );

        // The first window, summed directly.
        let mut t_re = [0.0f64; K];
        let mut t_im = [0.0f64; K];
        let mut t0 = 0.0f64;
        for j in 0..win {
            let y = ext[j];
            t0 += y;
            let row_re = &self.tab_re[j * K..(j + 1) * K];
            let row_im = &self.tab_im[j * K..(j + 1) * K];
            for m in 0..K {
                t_re[m] += y * row_re[m];
                t_im[m] += y * row_im[m];
            }
        }

        for i in 0..n {
            // Output: c0 T0 + Σ c_m Re T_m, summed in a fixed order.
            let mut acc = [0.0f64; 4];
            for v in 0..K / 4 {
                for l in 0..4 {
                    acc[l] += c[4 * v + l] * t_re[4 * v + l];
                }
            }
            out[i] = self.c0 * t0 + ((acc[0] + acc[1]) + (acc[2] + acc[3]));
            if i + 1 == n {
                break;
            }
            // Slide: drop ext[i] (offset -left), add ext[i + win] (offset right + 1), rotate.
            let yl = ext[i];
            let yr = ext[i + win];
            t0 += yr - yl;
            for m in 0..K {
                let u_re = t_re[m] - a_re[m] * yl + b_re[m] * yr;
                let u_im = t_im[m] - a_im[m] * yl + b_im[m] * yr;
                t_re[m] = z_re[m] * u_re - z_im[m] * u_im;
                t_im[m] = z_re[m] * u_im + z_im[m] * u_re;
            }
        }
    }
}

// At most AVX2, as before this layer: its AVX-512 build was never measured.
simd::dispatch!(fn block_on(plan: &SlidingPlan, ext: &[f64], out: &mut [f64]) => block_generic, max = Avx2);

#[inline(always)]
fn block_generic<S: Simd>(_: S, plan: &SlidingPlan, ext: &[f64], out: &mut [f64]) {
    plan.block_any(ext, out);
}
