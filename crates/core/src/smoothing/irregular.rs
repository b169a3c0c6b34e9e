//! Nadaraya-Watson Gaussian kernel regression on sorted, irregular x.
//!
//! ```text
//! ŷ(x_i) = Σ_j w_ij y_j / Σ_j w_ij,   w_ij = exp(-(x_j - x_i)² / (2σ²)),   |x_j - x_i| <= cut
//! ```
//!
//! Distances are in x units, so the kernel is the same Gaussian wherever the
//! points are dense or sparse. The window of each point is found with two
//! pointers that only move forward (x sorted), so the work is proportional to n
//! times the number of points inside a window. Each pair inside a block of
//! outputs is evaluated once, w_ij = w_ji added to both ends, with a
//! vectorised exponential ([`crate::fastmath`]). Blocks have a fixed length, so
//! the result does not depend on the number of threads.

use crate::fastmath::exp1;
#[cfg(target_arch = "x86_64")]
use crate::fastmath::avx2::exp4;
use crate::parallel;

/// Outputs per independent block (fixed, so results do not depend on threads).
const BLOCK: usize = 1 << 13;
const LANES: usize = 4;

/// Computes the regression for every point. `x` sorted ascending and finite;
/// `cut` the largest |x_j - x_i| kept (x units); `skip_nan` leaves out
/// non-finite y (else they spread, as in a plain sum). An output whose window
/// holds no finite y (with `skip_nan`) is NaN.
pub(crate) fn nadaraya_watson_sorted(x: &[f64], y: &[f64], sigma: f64, cut: f64, skip_nan: bool, out: &mut [f64]) {
    let scale = -0.5 / (sigma * sigma);
    let skip = skip_nan && y.iter().any(|v| !v.is_finite());
    parallel::for_each_chunk(out, BLOCK, |start, part| {
        if skip {
            block::<true>(x, y, scale, cut, start, part);
        } else {
            block::<false>(x, y, scale, cut, start, part);
        }
    });
}

fn block<const SKIP: bool>(x: &[f64], y: &[f64], scale: f64, cut: f64, start: usize, part: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { block_avx2::<SKIP>(x, y, scale, cut, start, part) };
            return;
        }
    }
    block_any::<SKIP>(x, y, scale, cut, start, part);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn block_avx2<const SKIP: bool>(x: &[f64], y: &[f64], scale: f64, cut: f64, start: usize, part: &mut [f64]) {
    block_generic::<SKIP, Avx2>(x, y, scale, cut, start, part);
}

fn block_any<const SKIP: bool>(x: &[f64], y: &[f64], scale: f64, cut: f64, start: usize, part: &mut [f64]) {
    block_generic::<SKIP, Portable>(x, y, scale, cut, start, part);
}

/// The pair sums, by plain arithmetic or by AVX2; both give the same bits.
trait Sides {
    /// Σ w_j y_j and Σ w_j m_j over j in [j0, j1).
    fn one_side<const SKIP: bool>(x: &[f64], y: &[f64], xi: f64, scale: f64, j0: usize, j1: usize) -> (f64, f64);
    /// As `one_side`, and adds w_j y_i, w_j m_i to the sums of j (at `j - start`).
    #[allow(clippy::too_many_arguments)]
    fn both_sides<const SKIP: bool>(
        x: &[f64],
        y: &[f64],
        xi: f64,
        yi: f64,
        mi: f64,
        scale: f64,
        j0: usize,
        j1: usize,
        start: usize,
        num: &mut [f64],
        den: &mut [f64],
    ) -> (f64, f64);
}

struct Portable;
#[cfg(target_arch = "x86_64")]
struct Avx2;

/// The value and the weight factor of sample j: (y, 1), or (0, 0) for a
/// skipped non-finite y.
#[inline(always)]
fn sample<const SKIP: bool>(y: f64) -> (f64, f64) {
    if SKIP && !y.is_finite() {
        (0.0, 0.0)
    } else {
        (y, 1.0)
    }
}

#[inline(always)]
fn block_generic<const SKIP: bool, S: Sides>(x: &[f64], y: &[f64], scale: f64, cut: f64, start: usize, part: &mut [f64]) {
    let n = x.len();
    let end = start + part.len();
    let mut num = vec![0.0f64; part.len()];
    let mut den = vec![0.0f64; part.len()];
    // Two pointers: lo = first j with x_i - x_j <= cut, hi = first j with x_j - x_i > cut.
    let mut lo = start;
    let mut hi = start;
    for i in start..end {
        let xi = x[i];
        let (yi, mi) = sample::<SKIP>(y[i]);
        while lo > 0 && xi - x[lo - 1] <= cut {
            lo -= 1;
        }
        while xi - x[lo] > cut {
            lo += 1;
        }
        if hi <= i {
            hi = i + 1;
        }
        while hi < n && x[hi] - xi <= cut {
            hi += 1;
        }
        let li = i - start;
        num[li] += yi;
        den[li] += mi;
        // Left neighbours before the block: this point's sums only (the pair's
        // other end belongs to an earlier block).
        let (a, b) = S::one_side::<SKIP>(x, y, xi, scale, lo.min(start), start.min(i));
        // Right neighbours inside the block: both ends.
        let both_end = hi.min(end);
        let (c, d) = S::both_sides::<SKIP>(x, y, xi, yi, mi, scale, i + 1, both_end, start, &mut num, &mut den);
        // Right neighbours past the block: this point's sums only.
        let (e, f) = S::one_side::<SKIP>(x, y, xi, scale, both_end.max(i + 1), hi);
        num[li] += (a + c) + e;
        den[li] += (b + d) + f;
    }
    for ((o, a), d) in part.iter_mut().zip(&num).zip(&den) {
        *o = if *d > 0.0 { a / d } else { f64::NAN };
    }
}

impl Sides for Portable {
/// Σ w_j y_j and Σ w_j over j in [j0, j1).
#[inline(always)]
    fn one_side<const SKIP: bool>(x: &[f64], y: &[f64], xi: f64, scale: f64, j0: usize, j1: usize) -> (f64, f64) {
    let mut an = [0.0f64; LANES];
    let mut ad = [0.0f64; LANES];
    if j1 <= j0 {
        return (0.0, 0.0);
    }
    let xs = &x[j0..j1];
    let ys = &y[j0..j1];
    let mut xc = xs.chunks_exact(LANES);
    let mut yc = ys.chunks_exact(LANES);
    for (xq, yq) in (&mut xc).zip(&mut yc) {
        let mut t = [0.0f64; LANES];
        for l in 0..LANES {
            let dx = xq[l] - xi;
            t[l] = scale * dx * dx;
        }
        let w = t.map(exp1);
        for l in 0..LANES {
            let (yj, mj) = sample::<SKIP>(yq[l]);
            an[l] += w[l] * yj;
            ad[l] += w[l] * mj;
        }
    }
    let mut sn = (an[0] + an[1]) + (an[2] + an[3]);
    let mut sd = (ad[0] + ad[1]) + (ad[2] + ad[3]);
    for (&xj, &yj) in xc.remainder().iter().zip(yc.remainder()) {
        let dx = xj - xi;
        let w = exp1(scale * dx * dx);
        let (yj, mj) = sample::<SKIP>(yj);
        sn += w * yj;
        sd += w * mj;
    }
    (sn, sd)
}

/// Like [`one_side`], and adds w_j y_i, w_j m_i to the sums of j (inside the block).
#[inline(always)]
    fn both_sides<const SKIP: bool>(
    x: &[f64],
    y: &[f64],
    xi: f64,
    yi: f64,
    mi: f64,
    scale: f64,
    j0: usize,
    j1: usize,
    start: usize,
    num: &mut [f64],
    den: &mut [f64],
) -> (f64, f64) {
    let mut an = [0.0f64; LANES];
    let mut ad = [0.0f64; LANES];
    if j1 <= j0 {
        return (0.0, 0.0);
    }
    let xs = &x[j0..j1];
    let ys = &y[j0..j1];
    let ns = &mut num[j0 - start..j1 - start];
    let ds = &mut den[j0 - start..j1 - start];
    let mut xc = xs.chunks_exact(LANES);
    let mut yc = ys.chunks_exact(LANES);
    let mut nc = ns.chunks_exact_mut(LANES);
    let mut dc = ds.chunks_exact_mut(LANES);
    for (((xq, yq), nq), dq) in (&mut xc).zip(&mut yc).zip(&mut nc).zip(&mut dc) {
        let mut t = [0.0f64; LANES];
        for l in 0..LANES {
            let dx = xq[l] - xi;
            t[l] = scale * dx * dx;
        }
        let w = t.map(exp1);
        for l in 0..LANES {
            let (yj, mj) = sample::<SKIP>(yq[l]);
            an[l] += w[l] * yj;
            ad[l] += w[l] * mj;
            nq[l] += w[l] * yi;
            dq[l] += w[l] * mi;
        }
    }
    let mut sn = (an[0] + an[1]) + (an[2] + an[3]);
    let mut sd = (ad[0] + ad[1]) + (ad[2] + ad[3]);
    let rem = xc.remainder().len();
    let (nr, dr) = (nc.into_remainder(), dc.into_remainder());
    for r in 0..rem {
        let dx = xc.remainder()[r] - xi;
        let w = exp1(scale * dx * dx);
        let (yj, mj) = sample::<SKIP>(yc.remainder()[r]);
        sn += w * yj;
        sd += w * mj;
        nr[r] += w * yi;
        dr[r] += w * mi;
    }
    (sn, sd)
}
}

#[cfg(target_arch = "x86_64")]
impl Sides for Avx2 {
    #[inline(always)]
    fn one_side<const SKIP: bool>(x: &[f64], y: &[f64], xi: f64, scale: f64, j0: usize, j1: usize) -> (f64, f64) {
        use std::arch::x86_64::*;
        if j1 <= j0 {
            return (0.0, 0.0);
        }
        let m = j1 - j0;
        let full = m - m % LANES;
        let mut an = [0.0f64; LANES];
        let mut ad = [0.0f64; LANES];
        // SAFETY: only reached from `block_avx2`, which runs on AVX2 CPUs;
        // every load reads x[j..j+4] or y[j..j+4] with j + 4 <= j1 <= len.
        unsafe {
            let (mut vn, mut vd) = (_mm256_setzero_pd(), _mm256_setzero_pd());
            let (vxi, vscale) = (_mm256_set1_pd(xi), _mm256_set1_pd(scale));
            let mut j = j0;
            while j < j0 + full {
                let dx = _mm256_sub_pd(_mm256_loadu_pd(x.as_ptr().add(j)), vxi);
                let w = exp4(_mm256_mul_pd(_mm256_mul_pd(vscale, dx), dx));
                let (yj, mj) = sample4::<SKIP>(_mm256_loadu_pd(y.as_ptr().add(j)));
                vn = _mm256_add_pd(vn, _mm256_mul_pd(w, yj));
                vd = _mm256_add_pd(vd, _mm256_mul_pd(w, mj));
                j += LANES;
            }
            _mm256_storeu_pd(an.as_mut_ptr(), vn);
            _mm256_storeu_pd(ad.as_mut_ptr(), vd);
        }
        let mut sn = (an[0] + an[1]) + (an[2] + an[3]);
        let mut sd = (ad[0] + ad[1]) + (ad[2] + ad[3]);
        for j in j0 + full..j1 {
            let dx = x[j] - xi;
            let w = exp1(scale * dx * dx);
            let (yj, mj) = sample::<SKIP>(y[j]);
            sn += w * yj;
            sd += w * mj;
        }
        (sn, sd)
    }

    #[inline(always)]
    fn both_sides<const SKIP: bool>(
        x: &[f64],
        y: &[f64],
        xi: f64,
        yi: f64,
        mi: f64,
        scale: f64,
        j0: usize,
        j1: usize,
        start: usize,
        num: &mut [f64],
        den: &mut [f64],
    ) -> (f64, f64) {
        use std::arch::x86_64::*;
        if j1 <= j0 {
            return (0.0, 0.0);
        }
        let m = j1 - j0;
        let full = m - m % LANES;
        let mut an = [0.0f64; LANES];
        let mut ad = [0.0f64; LANES];
        assert!(j1 - start <= num.len() && j1 - start <= den.len() && j1 <= x.len() && j1 <= y.len());
        // SAFETY: AVX2 as in `one_side`; j + 4 <= j1, and j1 - start is within
        // num and den (asserted above).
        unsafe {
            let (mut vn, mut vd) = (_mm256_setzero_pd(), _mm256_setzero_pd());
            let (vxi, vscale) = (_mm256_set1_pd(xi), _mm256_set1_pd(scale));
            let (vyi, vmi) = (_mm256_set1_pd(yi), _mm256_set1_pd(mi));
            let mut j = j0;
            while j < j0 + full {
                let dx = _mm256_sub_pd(_mm256_loadu_pd(x.as_ptr().add(j)), vxi);
                let w = exp4(_mm256_mul_pd(_mm256_mul_pd(vscale, dx), dx));
                let (yj, mj) = sample4::<SKIP>(_mm256_loadu_pd(y.as_ptr().add(j)));
                vn = _mm256_add_pd(vn, _mm256_mul_pd(w, yj));
                vd = _mm256_add_pd(vd, _mm256_mul_pd(w, mj));
                let pn = num.as_mut_ptr().add(j - start);
                let pd = den.as_mut_ptr().add(j - start);
                _mm256_storeu_pd(pn, _mm256_add_pd(_mm256_loadu_pd(pn), _mm256_mul_pd(w, vyi)));
                _mm256_storeu_pd(pd, _mm256_add_pd(_mm256_loadu_pd(pd), _mm256_mul_pd(w, vmi)));
                j += LANES;
            }
            _mm256_storeu_pd(an.as_mut_ptr(), vn);
            _mm256_storeu_pd(ad.as_mut_ptr(), vd);
        }
        let mut sn = (an[0] + an[1]) + (an[2] + an[3]);
        let mut sd = (ad[0] + ad[1]) + (ad[2] + ad[3]);
        for j in j0 + full..j1 {
            let dx = x[j] - xi;
            let w = exp1(scale * dx * dx);
            let (yj, mj) = sample::<SKIP>(y[j]);
            sn += w * yj;
            sd += w * mj;
            num[j - start] += w * yi;
            den[j - start] += w * mi;
        }
        (sn, sd)
    }
}

/// Four lanes of [`sample`]: (y, 1) where y is finite, (0, 0) where skipped.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn sample4<const SKIP: bool>(y: std::arch::x86_64::__m256d) -> (std::arch::x86_64::__m256d, std::arch::x86_64::__m256d) {
    use std::arch::x86_64::*;
    if SKIP {
        // y - y is 0 for finite y, NaN for NaN and ±inf.
        let finite = _mm256_cmp_pd::<_CMP_EQ_OQ>(_mm256_sub_pd(y, y), _mm256_setzero_pd());
        (_mm256_and_pd(finite, y), _mm256_and_pd(finite, _mm256_set1_pd(1.0)))
    } else {
        (y, _mm256_set1_pd(1.0))
    }
}
