//! Nadaraya-Watson Gaussian kernel regression on sorted, irregular x.
//!
//! ```text
//! ŷ(x_i) = Σ_j w_ij y_j / Σ_j w_ij,   w_ij = exp(-(x_j - x_i)² / (2σ²)),   |x_j - x_i| <= cut
//! ```
//!
//! Distances are in x units, so the kernel is the same Gaussian wherever the
//! points are dense or sparse. x is sorted, so each window is contiguous: the
//! work is proportional to n times the number of points inside a window.
//!
//! Outputs are computed in blocks of fixed length (so the result does not
//! depend on the number of threads). Inside a block each pair is evaluated
//! once, w_ij = w_ji added to both ends; pairs that reach outside the block are
//! evaluated by each block for its own end. Rows go four at a time: their
//! right neighbours are visited in groups of eight from the first row's next
//! point (each group of x and y loaded once for the four), with a
//! table-driven vectorised exponential ([`crate::fastmath`]); a lane is in a
//! window when |x_j - x_i| <= cut, tested on the same difference the weight
//! uses, and the scan stops at the first group that reaches past the last
//! row's window. 84 % of the lanes evaluated are inside a window (1e5 points
//! at unit density, sigma = 10, cut at 4 sigma).
//!
//! Instruction sets: AVX-512 (eight lanes per instruction) or AVX2 (four) with
//! FMA on x86-64, chosen at run time, and portable code elsewhere. The FMA
//! variants (and the portable code on aarch64) give the same bits; the portable
//! code without FMA rounds differently in the last bits. On a given machine the
//! result is always the same.

use crate::fastmath::{exp_table, Fused, MulAdd, Separate};
use crate::threads;

/// Outputs per independent block (fixed, so results do not depend on threads).
const BLOCK: usize = 2048;
/// Lanes per group of neighbours.
const W: usize = 8;
/// Eight lanes of the portable code.
type Group = [f64; W];

/// Computes the regression for every point. `x` sorted ascending and finite;
/// `cut` the largest |x_j - x_i| kept (x units); `skip_nan` leaves out
/// non-finite y (else they spread, as in a plain sum). An output whose window
/// holds no finite y (with `skip_nan`) is NaN.
pub(crate) fn nadaraya_watson_sorted(
    x: &[f64],
    y: &[f64],
    sigma: f64,
    cut: f64,
    skip_nan: bool,
    out: &mut [f64],
) {
    nadaraya_watson_with(Isa::detect(), x, y, sigma, cut, skip_nan, out);
}

/// The kernels available on this machine, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isa {
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// Portable code with `f64::mul_add` (hardware FMA required).
    #[cfg_attr(not(any(test, target_arch = "aarch64")), allow(dead_code))]
    PortableFused,
    /// Portable code, separate multiply and add.
    Portable,
}

impl Isa {
    fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("fma") && has!("avx512f") {
                return Isa::Avx512;
            }
            if has!("fma") && has!("avx2") {
                return Isa::Avx2;
            }
        }
        #[cfg(target_arch = "aarch64")]
        {
            return Isa::PortableFused;
        }
        #[allow(unreachable_code)]
        Isa::Portable
    }
}

fn nadaraya_watson_with(
    isa: Isa,
    x: &[f64],
    y: &[f64],
    sigma: f64,
    cut: f64,
    skip_nan: bool,
    out: &mut [f64],
) {
    let scale = -0.5 / (sigma * sigma);
    let skip = skip_nan && !crate::fastmath::all_finite(y);
    threads::for_each_chunk(out, BLOCK, |start, part| {
        let mut b = Block::new(x, y, cut, start, part.len(), skip);
        match (isa, skip) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::detect` chose Avx512 because the CPU has AVX-512F and FMA
            // (tests only pass it under the same check).
            (Isa::Avx512, false) => unsafe { rows_avx512::<false>(&mut b, x, y, scale, cut) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            (Isa::Avx512, true) => unsafe { rows_avx512::<true>(&mut b, x, y, scale, cut) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::detect` chose Avx2 because the CPU has AVX2 and FMA.
            (Isa::Avx2, false) => unsafe { rows_avx2::<false>(&mut b, x, y, scale, cut) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            (Isa::Avx2, true) => unsafe { rows_avx2::<true>(&mut b, x, y, scale, cut) },
            (Isa::PortableFused, false) => rows::<Portable<Fused>, false>(&mut b, x, y, scale, cut),
            (Isa::PortableFused, true) => rows::<Portable<Fused>, true>(&mut b, x, y, scale, cut),
            (Isa::Portable, false) => rows::<Portable<Separate>, false>(&mut b, x, y, scale, cut),
            (Isa::Portable, true) => rows::<Portable<Separate>, true>(&mut b, x, y, scale, cut),
        }
        b.finish(part);
    });
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn rows_avx512<const SKIP: bool>(b: &mut Block, x: &[f64], y: &[f64], scale: f64, cut: f64) {
    rows::<Avx512, SKIP>(b, x, y, scale, cut);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn rows_avx2<const SKIP: bool>(b: &mut Block, x: &[f64], y: &[f64], scale: f64, cut: f64) {
    rows::<Avx2, SKIP>(b, x, y, scale, cut);
}

/// One block's points and sums, in a local numbering: global index j is
/// local `j + pre - start`, `pre` a multiple of 8.
struct Block {
    start: usize,
    len: usize,
    /// The first point of the first row's window.
    first: usize,
    pre: usize,
    /// x of every point any window of the block reaches, padded with -inf
    /// before and +inf after (never inside a window).
    xs: Vec<f64>,
    /// y (0 for a skipped value and in the padding).
    ys: Vec<f64>,
    /// 1 for a counted value, 0 for a skipped one (only with skip).
    ms: Vec<f64>,
    /// Σ w y and Σ w m of each point of the block.
    num: Vec<f64>,
    den: Vec<f64>,
}

impl Block {
    fn new(x: &[f64], y: &[f64], cut: f64, start: usize, len: usize, skip: bool) -> Block {
        let end = start + len;
        // The first point of the first window and one past the last window.
        let mut first = start;
        while first > 0 && x[start] - x[first - 1] <= cut {
            first -= 1;
        }
        let mut last = end;
        while last < x.len() && x[last] - x[end - 1] <= cut {
            last += 1;
        }
        let pre = (start - first).div_ceil(W) * W;
        // Local positions of `first` and `last`; a group of padding after it.
        let (a, z) = (first + pre - start, last + pre - start);
        let size = z + W;
        let mut xs = vec![f64::INFINITY; size];
        let mut ys = vec![0.0; size];
        xs[..a].fill(f64::NEG_INFINITY);
        xs[a..z].copy_from_slice(&x[first..last]);
        ys[a..z].copy_from_slice(&y[first..last]);
        let mut ms = Vec::new();
        if skip {
            ms = vec![0.0; size];
            for (v, m) in ys[a..z].iter_mut().zip(&mut ms[a..z]) {
                if v.is_finite() {
                    *m = 1.0;
                } else {
                    *v = 0.0;
                }
            }
        }
        Block {
            start,
            len,
            first,
            pre,
            xs,
            ys,
            ms,
            num: vec![0.0; size],
            den: vec![0.0; size],
        }
    }

    fn local(&self, j: usize) -> usize {
        j + self.pre - self.start
    }

    fn finish(&self, part: &mut [f64]) {
        let (num, den) = (&self.num[self.pre..], &self.den[self.pre..]);
        for ((o, &n), &d) in part.iter_mut().zip(num).zip(den).take(self.len) {
            *o = if d > 0.0 { n / d } else { f64::NAN };
        }
    }
}

/// Eight lanes of f64 and the operations the row sums need. Every variant
/// rounds the same way (FMA variants) lane by lane, and reduces in the same
/// order.
///
/// SAFETY contract of every method: the CPU supports the variant's
/// instruction set (checked before [`rows`] runs).
trait Lanes {
    type V: Copy;
    type K: Copy;
    unsafe fn splat(v: f64) -> Self::V;
    /// The first eight values of `s` (which must hold at least eight).
    unsafe fn load(s: &[f64]) -> Self::V;
    /// Into the first eight values of `s` (which must hold at least eight).
    unsafe fn store(s: &mut [f64], v: Self::V);
    /// Lanes `lo..hi` on (empty when lo >= hi; both at most 8).
    unsafe fn mask(lo: usize, hi: usize) -> Self::K;
    /// The lanes of `k` where `d <= cut`.
    unsafe fn within(k: Self::K, d: Self::V, cut: Self::V) -> Self::K;
    /// Lanes on in both.
    unsafe fn and(a: Self::K, b: Self::K) -> Self::K;
    /// Whether lane 7 is on.
    unsafe fn top(k: Self::K) -> bool;
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    /// exp(d² scale), clamped below at exp(-700) with `CLAMP` (else only
    /// right for d² scale >= -700).
    unsafe fn weight<const CLAMP: bool>(d: Self::V, scale: Self::V) -> Self::V;
    /// a * b + c where `k` is on, c elsewhere.
    unsafe fn fma_on(k: Self::K, a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// a + b where `k` is on, a elsewhere.
    unsafe fn add_on(k: Self::K, a: Self::V, b: Self::V) -> Self::V;
    /// ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)).
    unsafe fn sum(v: Self::V) -> f64;
}

/// Rows handled together: their neighbours overlap, so each group of x and y
/// is loaded once for all of them and their exponentials run side by side.
const ROWS: usize = 4;

/// The regression rows of one block.
#[inline(always)]
fn rows<L: Lanes, const SKIP: bool>(b: &mut Block, x: &[f64], y: &[f64], scale: f64, cut: f64) {
    // Inside a window d² scale >= cut² scale; the exponential needs clamping
    // only when that can fall below -700 (cut beyond 37 sigma). Lanes outside
    // a window are masked off whatever their value.
    if scale * cut * cut >= EXP_SAFE {
        rows_with::<L, SKIP, false>(b, x, y, scale, cut);
    } else {
        rows_with::<L, SKIP, true>(b, x, y, scale, cut);
    }
}

/// The lowest exponent the unclamped exponential takes (with a margin for
/// the rounding of d² scale).
const EXP_SAFE: f64 = -699.0;

#[inline(always)]
fn rows_with<L: Lanes, const SKIP: bool, const CLAMP: bool>(
    b: &mut Block,
    x: &[f64],
    y: &[f64],
    scale: f64,
    cut: f64,
) {
    let (start, end) = (b.start, b.start + b.len);
    let mut i = start;
    while i + ROWS <= end {
        batch::<L, SKIP, CLAMP, ROWS>(b, x, y, scale, cut, i);
        i += ROWS;
    }
    while i < end {
        batch::<L, SKIP, CLAMP, 1>(b, x, y, scale, cut, i);
        i += 1;
    }
}

/// Rows `i..i + R` (all inside the block).
#[inline(always)]
fn batch<L: Lanes, const SKIP: bool, const CLAMP: bool, const R: usize>(
    b: &mut Block,
    x: &[f64],
    y: &[f64],
    scale: f64,
    cut: f64,
    i: usize,
) {
    let start = b.start;
    let li = b.local(i);
    let local_end = b.pre + b.len;
    // SAFETY (every `L::` call below): `rows` runs only for the instruction
    // set its caller checked (see `nadaraya_watson_with`).
    unsafe {
        let (vscale, vcut) = (L::splat(scale), L::splat(cut));
        let all = L::mask(0, W);
        let mut xi = [L::splat(0.0); R];
        let mut yi = [L::splat(0.0); R];
        let mut mi = [L::splat(0.0); R];
        let mut own = [(0.0, 0.0); R];
        let mut an = [L::splat(0.0); R];
        let mut ad = [L::splat(0.0); R];
        for r in 0..R {
            let row = i + r;
            let (yv, mv) = if SKIP && !y[row].is_finite() {
                (0.0, 0.0)
            } else {
                (y[row], 1.0)
            };
            own[r] = (yv, mv);
            xi[r] = L::splat(x[row]);
            yi[r] = L::splat(yv);
            mi[r] = L::splat(mv);
            // Left neighbours before the block (whole groups, since `pre` is
            // a multiple of 8): this point's sums only.
            if b.first < start && x[row] - x[start - 1] <= cut {
                for o in ((b.first + b.pre - start) / W * W..b.pre).step_by(W) {
                    let d = L::sub(xi[r], L::load(&b.xs[o..]));
                    let k = L::within(all, d, vcut);
                    let w = L::weight::<CLAMP>(d, vscale);
                    an[r] = L::fma_on(k, w, L::load(&b.ys[o..]), an[r]);
                    ad[r] = if SKIP {
                        L::fma_on(k, w, L::load(&b.ms[o..]), ad[r])
                    } else {
                        L::add_on(k, ad[r], w)
                    };
                }
            }
        }
        // Right neighbours, eight at a time from the first row's next point
        // until past the last row's window: both ends inside the block, this
        // point's sums only past it. The padding (+inf) ends every window.
        let mut o = li + 1;
        loop {
            let xg = L::load(&b.xs[o..]);
            let yg = L::load(&b.ys[o..]);
            let inside = L::mask(0, local_end.saturating_sub(o).min(W));
            let mut num = L::load(&b.num[o..]);
            let mut den = L::load(&b.den[o..]);
            let mut more = false;
            for r in 0..R {
                // Row r starts after itself: lane r of the first group.
                let after = L::mask(if o == li + 1 { r } else { 0 }, W);
                let d = L::sub(xg, xi[r]);
                let k = L::within(after, d, vcut);
                if r + 1 == R {
                    more = L::top(k);
                }
                let w = L::weight::<CLAMP>(d, vscale);
                an[r] = L::fma_on(k, w, yg, an[r]);
                let both = L::and(k, inside);
                num = L::fma_on(both, w, yi[r], num);
                if SKIP {
                    ad[r] = L::fma_on(k, w, L::load(&b.ms[o..]), ad[r]);
                    den = L::fma_on(both, w, mi[r], den);
                } else {
                    ad[r] = L::add_on(k, ad[r], w);
                    den = L::add_on(both, den, w);
                }
            }
            L::store(&mut b.num[o..], num);
            L::store(&mut b.den[o..], den);
            if !more {
                break;
            }
            o += W;
        }
        for r in 0..R {
            let l = li + r;
            let (yv, mv) = own[r];
            b.num[l] += yv + L::sum(an[r]);
            b.den[l] += mv + L::sum(ad[r]);
        }
    }
}

/// Portable lanes; `M` fused only where the CPU has FMA.
struct Portable<M>(std::marker::PhantomData<M>);

impl<M: MulAdd> Lanes for Portable<M> {
    type V = Group;
    type K = u32;
    #[inline(always)]
    unsafe fn splat(v: f64) -> Group {
        [v; W]
    }
    #[inline(always)]
    unsafe fn load(s: &[f64]) -> Group {
        let mut g = [0.0; W];
        g.copy_from_slice(&s[..W]);
        g
    }
    #[inline(always)]
    unsafe fn store(s: &mut [f64], v: Group) {
        s[..W].copy_from_slice(&v);
    }
    #[inline(always)]
    unsafe fn mask(lo: usize, hi: usize) -> u32 {
        ((1u32 << hi) - 1) & !((1u32 << lo) - 1)
    }
    #[inline(always)]
    unsafe fn within(k: u32, d: Group, cut: Group) -> u32 {
        let mut on = 0;
        for l in 0..W {
            on |= u32::from(d[l] <= cut[l]) << l;
        }
        k & on
    }
    #[inline(always)]
    unsafe fn and(a: u32, b: u32) -> u32 {
        a & b
    }
    #[inline(always)]
    unsafe fn top(k: u32) -> bool {
        k & (1 << (W - 1)) != 0
    }
    #[inline(always)]
    unsafe fn sub(a: Group, b: Group) -> Group {
        let mut r = [0.0; W];
        for l in 0..W {
            r[l] = a[l] - b[l];
        }
        r
    }
    #[inline(always)]
    unsafe fn weight<const CLAMP: bool>(d: Group, scale: Group) -> Group {
        let mut w = [0.0; W];
        for l in 0..W {
            w[l] = exp_table::<M, CLAMP>(d[l] * d[l] * scale[l]);
        }
        w
    }
    #[inline(always)]
    unsafe fn fma_on(k: u32, a: Group, b: Group, c: Group) -> Group {
        let mut r = c;
        for l in 0..W {
            if k & (1 << l) != 0 {
                r[l] = M::mul_add(a[l], b[l], c[l]);
            }
        }
        r
    }
    #[inline(always)]
    unsafe fn add_on(k: u32, a: Group, b: Group) -> Group {
        let mut r = a;
        for l in 0..W {
            if k & (1 << l) != 0 {
                r[l] = a[l] + b[l];
            }
        }
        r
    }
    #[inline(always)]
    unsafe fn sum(v: Group) -> f64 {
        ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]))
    }
}

#[cfg(target_arch = "x86_64")]
struct Avx512;

#[cfg(target_arch = "x86_64")]
impl Lanes for Avx512 {
    type V = std::arch::x86_64::__m512d;
    type K = std::arch::x86_64::__mmask8;
    #[inline(always)]
    unsafe fn splat(v: f64) -> Self::V {
        std::arch::x86_64::_mm512_set1_pd(v)
    }
    #[inline(always)]
    unsafe fn load(s: &[f64]) -> Self::V {
        // SAFETY: reads eight f64, all inside `s[..8]` (bounds-checked).
        std::arch::x86_64::_mm512_loadu_pd(s[..W].as_ptr())
    }
    #[inline(always)]
    unsafe fn store(s: &mut [f64], v: Self::V) {
        // SAFETY: writes eight f64, all inside `s[..8]` (bounds-checked).
        std::arch::x86_64::_mm512_storeu_pd(s[..W].as_mut_ptr(), v)
    }
    #[inline(always)]
    unsafe fn mask(lo: usize, hi: usize) -> Self::K {
        (((1u32 << hi) - 1) & !((1u32 << lo) - 1)) as u8
    }
    #[inline(always)]
    unsafe fn within(k: Self::K, d: Self::V, cut: Self::V) -> Self::K {
        use std::arch::x86_64::*;
        _mm512_mask_cmp_pd_mask::<_CMP_LE_OQ>(k, d, cut)
    }
    #[inline(always)]
    unsafe fn and(a: Self::K, b: Self::K) -> Self::K {
        a & b
    }
    #[inline(always)]
    unsafe fn top(k: Self::K) -> bool {
        k & 0x80 != 0
    }
    #[inline(always)]
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V {
        std::arch::x86_64::_mm512_sub_pd(a, b)
    }
    #[inline(always)]
    unsafe fn weight<const CLAMP: bool>(d: Self::V, scale: Self::V) -> Self::V {
        use std::arch::x86_64::*;
        crate::fastmath::avx512::exp_table8::<CLAMP>(_mm512_mul_pd(_mm512_mul_pd(d, d), scale))
    }
    #[inline(always)]
    unsafe fn fma_on(k: Self::K, a: Self::V, b: Self::V, c: Self::V) -> Self::V {
        std::arch::x86_64::_mm512_mask3_fmadd_pd(a, b, c, k)
    }
    #[inline(always)]
    unsafe fn add_on(k: Self::K, a: Self::V, b: Self::V) -> Self::V {
        std::arch::x86_64::_mm512_mask_add_pd(a, k, a, b)
    }
    #[inline(always)]
    unsafe fn sum(v: Self::V) -> f64 {
        use std::arch::x86_64::*;
        let s4 = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd::<1>(v));
        let s2 = _mm_add_pd(_mm256_castpd256_pd128(s4), _mm256_extractf128_pd::<1>(s4));
        _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)))
    }
}

#[cfg(target_arch = "x86_64")]
struct Avx2;

/// Lane masks: the first n lanes on, n = 0..=8.
#[cfg(target_arch = "x86_64")]
static FIRST_LANES: [[i64; W]; W + 1] = {
    let mut t = [[0i64; W]; W + 1];
    let mut n = 0;
    while n <= W {
        let mut l = 0;
        while l < n {
            t[n][l] = -1;
            l += 1;
        }
        n += 1;
    }
    t
};

#[cfg(target_arch = "x86_64")]
impl Lanes for Avx2 {
    /// Lanes 0..4 and 4..8.
    type V = (std::arch::x86_64::__m256d, std::arch::x86_64::__m256d);
    type K = (std::arch::x86_64::__m256d, std::arch::x86_64::__m256d);
    #[inline(always)]
    unsafe fn splat(v: f64) -> Self::V {
        let s = std::arch::x86_64::_mm256_set1_pd(v);
        (s, s)
    }
    #[inline(always)]
    unsafe fn load(s: &[f64]) -> Self::V {
        use std::arch::x86_64::*;
        let g = &s[..W];
        // SAFETY: reads the eight f64 of `g`.
        (
            _mm256_loadu_pd(g.as_ptr()),
            _mm256_loadu_pd(g[4..].as_ptr()),
        )
    }
    #[inline(always)]
    unsafe fn store(s: &mut [f64], v: Self::V) {
        use std::arch::x86_64::*;
        let g = &mut s[..W];
        // SAFETY: writes the eight f64 of `g`.
        _mm256_storeu_pd(g.as_mut_ptr(), v.0);
        _mm256_storeu_pd(g[4..].as_mut_ptr(), v.1);
    }
    #[inline(always)]
    unsafe fn mask(lo: usize, hi: usize) -> Self::K {
        use std::arch::x86_64::*;
        let (on, off) = (&FIRST_LANES[hi], &FIRST_LANES[lo]);
        // SAFETY: reads the eight i64 of each table row.
        let m0 = _mm256_andnot_si256(
            _mm256_loadu_si256(off.as_ptr().cast()),
            _mm256_loadu_si256(on.as_ptr().cast()),
        );
        let m1 = _mm256_andnot_si256(
            _mm256_loadu_si256(off[4..].as_ptr().cast()),
            _mm256_loadu_si256(on[4..].as_ptr().cast()),
        );
        (_mm256_castsi256_pd(m0), _mm256_castsi256_pd(m1))
    }
    #[inline(always)]
    unsafe fn within(k: Self::K, d: Self::V, cut: Self::V) -> Self::K {
        use std::arch::x86_64::*;
        (
            _mm256_and_pd(k.0, _mm256_cmp_pd::<_CMP_LE_OQ>(d.0, cut.0)),
            _mm256_and_pd(k.1, _mm256_cmp_pd::<_CMP_LE_OQ>(d.1, cut.1)),
        )
    }
    #[inline(always)]
    unsafe fn and(a: Self::K, b: Self::K) -> Self::K {
        use std::arch::x86_64::*;
        (_mm256_and_pd(a.0, b.0), _mm256_and_pd(a.1, b.1))
    }
    #[inline(always)]
    unsafe fn top(k: Self::K) -> bool {
        std::arch::x86_64::_mm256_movemask_pd(k.1) & 0b1000 != 0
    }
    #[inline(always)]
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V {
        use std::arch::x86_64::*;
        (_mm256_sub_pd(a.0, b.0), _mm256_sub_pd(a.1, b.1))
    }
    #[inline(always)]
    unsafe fn weight<const CLAMP: bool>(d: Self::V, scale: Self::V) -> Self::V {
        use crate::fastmath::avx2::exp_table4;
        use std::arch::x86_64::*;
        (
            exp_table4::<CLAMP>(_mm256_mul_pd(_mm256_mul_pd(d.0, d.0), scale.0)),
            exp_table4::<CLAMP>(_mm256_mul_pd(_mm256_mul_pd(d.1, d.1), scale.1)),
        )
    }
    #[inline(always)]
    unsafe fn fma_on(k: Self::K, a: Self::V, b: Self::V, c: Self::V) -> Self::V {
        use std::arch::x86_64::*;
        (
            _mm256_blendv_pd(c.0, _mm256_fmadd_pd(a.0, b.0, c.0), k.0),
            _mm256_blendv_pd(c.1, _mm256_fmadd_pd(a.1, b.1, c.1), k.1),
        )
    }
    #[inline(always)]
    unsafe fn add_on(k: Self::K, a: Self::V, b: Self::V) -> Self::V {
        use std::arch::x86_64::*;
        (
            _mm256_blendv_pd(a.0, _mm256_add_pd(a.0, b.0), k.0),
            _mm256_blendv_pd(a.1, _mm256_add_pd(a.1, b.1), k.1),
        )
    }
    #[inline(always)]
    unsafe fn sum(v: Self::V) -> f64 {
        use std::arch::x86_64::*;
        let s4 = _mm256_add_pd(v.0, v.1);
        let s2 = _mm_add_pd(_mm256_castpd256_pd128(s4), _mm256_extractf128_pd::<1>(s4));
        _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let x = crate::signals::sorted_uniform(n, 0.0, n as f64 / 3.0, seed).unwrap_or_default();
        let mut y = crate::signals::uniform(n, -4.0, 4.0, seed + 1).unwrap_or_default();
        y[n / 2] = f64::NAN;
        y[BLOCK + 3] = f64::INFINITY;
        (x, y)
    }

    /// The plain double loop, libm's exp (floored at exp(-700), as the
    /// kernel sums: a weight never underflows to 0).
    fn naive(x: &[f64], y: &[f64], sigma: f64, cut: f64, skip: bool) -> Vec<f64> {
        (0..x.len())
            .map(|i| {
                let (mut num, mut den) = (0.0, 0.0);
                for j in 0..x.len() {
                    if (x[j] - x[i]).abs() <= cut && (!skip || y[j].is_finite()) {
                        let w = (-0.5 * ((x[j] - x[i]) / sigma).powi(2)).max(-700.0).exp();
                        num += w * y[j];
                        den += w;
                    }
                }
                if den > 0.0 {
                    num / den
                } else {
                    f64::NAN
                }
            })
            .collect()
    }

    /// Against the double loop, with and without skipped values, across
    /// block boundaries, with clustered and isolated points.
    #[test]
    fn matches_the_double_loop() {
        let (mut x, y) = inputs(2 * BLOCK + 77, 11);
        // A cluster of equal x and a lone far point.
        for v in &mut x[1000..1040] {
            *v = 333.25;
        }
        let n = x.len();
        x[n - 1] += 1e3;
        for skip in [false, true] {
            for (sigma, sigmas) in [(0.3, 4.0), (2.0, 4.0), (0.1, 40.0)] {
                let mut got = vec![0.0; n];
                nadaraya_watson_sorted(&x, &y, sigma, sigmas * sigma, skip, &mut got);
                let want = naive(&x, &y, sigma, sigmas * sigma, skip);
                for (i, (a, b)) in got.iter().zip(&want).enumerate() {
                    assert!(
                        a.is_nan() == b.is_nan(),
                        "skip {skip} sigma {sigma} i {i}: {a} vs {b}"
                    );
                    assert!(
                        a.is_nan() || a == b || (a - b).abs() <= 1e-12,
                        "skip {skip} sigma {sigma} i {i}: {a} vs {b}"
                    );
                }
            }
        }
    }

    /// Every instruction set the machine has gives the bits of the portable
    /// FMA code (and the portable code without FMA stays within rounding).
    #[test]
    fn instruction_sets_agree() {
        let (x, y) = inputs(3 * BLOCK + 123, 7);
        let mut isas = vec![Isa::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("fma") {
                isas.push(Isa::PortableFused);
                if has!("avx2") {
                    isas.push(Isa::Avx2);
                }
                if has!("avx512f") {
                    isas.push(Isa::Avx512);
                }
            }
        }
        for skip in [false, true] {
            // The last cut-off (45 sigma) takes the clamped exponential.
            for (sigma, sigmas) in [(0.4, 4.0), (3.0, 4.0), (0.2, 45.0)] {
                let run = |isa| {
                    let mut out = vec![0.0; x.len()];
                    nadaraya_watson_with(isa, &x, &y, sigma, sigmas * sigma, skip, &mut out);
                    out
                };
                let want = run(Isa::Portable);
                for &isa in &isas[1..] {
                    let got = run(isa);
                    let fused = run(isas[1]);
                    for (i, (a, b)) in got.iter().zip(&want).enumerate() {
                        assert!(
                            a.is_nan() == b.is_nan(),
                            "{isa:?} skip {skip} sigma {sigma} i {i}"
                        );
                        assert!(
                            a.is_nan() || a == b || (a - b).abs() <= 1e-14,
                            "{isa:?} skip {skip} i {i}: {a} vs {b}"
                        );
                        assert_eq!(a.to_bits(), fused[i].to_bits(), "{isa:?} skip {skip} i {i}");
                    }
                }
            }
        }
    }
}
