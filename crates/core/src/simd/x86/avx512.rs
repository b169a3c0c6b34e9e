//! The AVX-512 path: eight f64 lanes, FMA, mask registers; and the three
//! kernels written for AVX-512 only (the blur's fused column pass, the
//! histogram's cell indices, the leapfrog's register-blocked line steps),
//! moved here unchanged from their modules (2026-12: the AMD Zen 3
//! machines that moved them lack AVX-512, so there this file was compiled but
//! not run). On an AVX-512 machine the path tests (`cargo test`) run it and
//! compare it with the scalar code bit for bit.

use std::arch::x86_64::*;

use crate::fastmath::{
    exp_table, EXP2_SIXTEENTHS, LN2_HI, LN2_LO, LOG2E, LOWEST, MAGIC16, TABLE_POLY,
};
use crate::simd::{Isa, Simd};

/// The token of [`Isa::Avx512`]: proof that the CPU has AVX-512F,
/// AVX-512VL, AVX2 and FMA.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx512(());

impl Avx512 {
    /// The token, if the CPU has AVX-512F, AVX-512VL, AVX2 and FMA.
    #[inline(always)]
    pub(crate) fn new() -> Option<Avx512> {
        Isa::Avx512.is_available().then_some(Avx512(()))
    }

    /// The blur's column pass on the sum of `P` count grids for one band of
    /// four output rows, strips of 16 columns in registers (see
    /// `column_strips`); false, having done nothing, for another shape.
    #[inline(always)]
    pub(crate) fn column_strips<const P: usize>(
        self,
        parts: [&Vec<u32>; P],
        w: usize,
        row0: usize,
        weights: &[f64],
        out: &mut [f64],
    ) -> bool {
        // SAFETY: `self` proves every feature `column_strips` is compiled with.
        unsafe { column_strips(parts, w, row0, weights, out) }
    }

    /// Adds the counts of the points in the whole blocks of 256 into `h`
    /// (row-major, `width` columns, `width <= u32::MAX`); returns how many
    /// points that was.
    #[inline(always)]
    pub(crate) fn hist_cells(
        self,
        x: &[f64],
        y: &[f64],
        ax: &Bins,
        ay: &Bins,
        width: usize,
        h: &mut [u32],
    ) -> usize {
        // SAFETY: `self` proves every feature `hist_cells` is compiled with.
        unsafe { hist_cells(x, y, ax, ay, width, h) }
    }

    /// `steps` leapfrog line steps in registers (see `line_steps`); false,
    /// having done nothing, unless the fields are whole blocks of 8 cells, at
    /// least two.
    #[inline(always)]
    pub(crate) fn line_steps(self, p: &mut [f64], u: &mut [f64], c: f64, steps: usize) -> bool {
        // SAFETY: `self` proves every feature `line_steps` is compiled with.
        unsafe { line_steps(p, u, c, steps) }
    }
}

/// The numbers of one histogram axis that the AVX-512 binning reads (the
/// histogram's `Axis`): range, cells per unit, last cell as f64, cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bins {
    /// Lower edge.
    pub(crate) lo: f64,
    /// Upper edge.
    pub(crate) hi: f64,
    /// Cells per unit, n / (hi - lo).
    pub(crate) scale: f64,
    /// n - 1 as f64.
    pub(crate) last: f64,
    /// Cells.
    pub(crate) n: usize,
}

impl Simd for Avx512 {
    const ISA: Isa = Isa::Avx512;
    type F64x8 = __m512d;
    type Mask8 = __mmask8;
    #[inline(always)]
    fn splat(self, v: f64) -> __m512d {
        // SAFETY: `self` proves AVX-512F (as for every intrinsic below).
        unsafe { _mm512_set1_pd(v) }
    }
    #[inline(always)]
    fn load(self, s: &[f64]) -> __m512d {
        // SAFETY: AVX-512F (`self`); reads eight f64, all inside `s[..8]` (bounds-checked).
        unsafe { _mm512_loadu_pd(s[..8].as_ptr()) }
    }
    #[inline(always)]
    fn store(self, s: &mut [f64], v: __m512d) {
        // SAFETY: AVX-512F (`self`); writes eight f64, all inside `s[..8]` (bounds-checked).
        unsafe { _mm512_storeu_pd(s[..8].as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn mask(self, lo: usize, hi: usize) -> __mmask8 {
        (((1u32 << hi) - 1) & !((1u32 << lo) - 1)) as u8
    }
    #[inline(always)]
    fn within(self, k: __mmask8, d: __m512d, cut: __m512d) -> __mmask8 {
        // SAFETY: AVX-512F (`self`).
        unsafe { _mm512_mask_cmp_pd_mask::<_CMP_LE_OQ>(k, d, cut) }
    }
    #[inline(always)]
    fn and(self, a: __mmask8, b: __mmask8) -> __mmask8 {
        a & b
    }
    #[inline(always)]
    fn top(self, k: __mmask8) -> bool {
        k & 0x80 != 0
    }
    #[inline(always)]
    fn sub(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: AVX-512F (`self`).
        unsafe { _mm512_sub_pd(a, b) }
    }
    #[inline(always)]
    fn weight<const CLAMP: bool>(self, d: __m512d, scale: __m512d) -> __m512d {
        // SAFETY: AVX-512F and FMA (`self`), all `exp_table8` needs.
        unsafe { exp_table8::<CLAMP>(_mm512_mul_pd(_mm512_mul_pd(d, d), scale)) }
    }
    #[inline(always)]
    fn fma_on(self, k: __mmask8, a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        // SAFETY: AVX-512F (`self`).
        unsafe { _mm512_mask3_fmadd_pd(a, b, c, k) }
    }
    #[inline(always)]
    fn add_on(self, k: __mmask8, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: AVX-512F (`self`).
        unsafe { _mm512_mask_add_pd(a, k, a, b) }
    }
    #[inline(always)]
    fn sum(self, v: __m512d) -> f64 {
        // SAFETY: AVX-512F (`self`).
        unsafe {
            let s4 = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd::<1>(v));
            let s2 = _mm_add_pd(_mm256_castpd256_pd128(s4), _mm256_extractf128_pd::<1>(s4));
            _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)))
        }
    }
    #[inline(always)]
    fn exp_table_in_place(self, t: &mut [f64]) {
        // SAFETY: AVX-512F and FMA (`self`), the features of `exp_table_slice`.
        unsafe { exp_table_slice(t) }
    }
    #[inline(always)]
    fn avx512(self) -> Option<Avx512> {
        Some(self)
    }
}

/// `exp_table::<CLAMP>` of eight lanes, the same bits.
#[inline]
#[target_feature(enable = "avx512f,fma")]
fn exp_table8<const CLAMP: bool>(t: __m512d) -> __m512d {
    let t = if CLAMP {
        _mm512_max_pd(t, _mm512_set1_pd(LOWEST))
    } else {
        t
    };
    let magic = _mm512_set1_pd(MAGIC16);
    let shifted = _mm512_fmadd_pd(t, _mm512_set1_pd(LOG2E), magic);
    let k16 = _mm512_sub_pd(shifted, magic);
    let r = _mm512_fnmadd_pd(k16, _mm512_set1_pd(LN2_HI), t);
    let r = _mm512_fnmadd_pd(k16, _mm512_set1_pd(LN2_LO), r);
    let bits = _mm512_castpd_si512(shifted);
    // The permute reads the low four bits of each lane: k mod 16.
    // SAFETY: reads the sixteen f64 of the table, eight at a time.
    let (lo_half, hi_half) = unsafe {
        (
            _mm512_loadu_pd(EXP2_SIXTEENTHS.as_ptr()),
            _mm512_loadu_pd(EXP2_SIXTEENTHS[8..].as_ptr()),
        )
    };
    let tab = _mm512_permutex2var_pd(lo_half, bits, hi_half);
    let mut p = _mm512_set1_pd(TABLE_POLY[0]);
    for &c in &TABLE_POLY[1..] {
        p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(c));
    }
    let v = _mm512_fmadd_pd(tab, _mm512_mul_pd(r, p), tab);
    // v 2^floor(k / 16): exact, as in `exp_table`.
    _mm512_scalef_pd(v, k16)
}

/// `t[k] = exp_table::<true>(min(t[k], 700))`, eight lanes at a time.
#[target_feature(enable = "avx512f,fma")]
fn exp_table_slice(t: &mut [f64]) {
    let mut chunks = t.chunks_exact_mut(8);
    for c in &mut chunks {
        // SAFETY: reads and writes the eight f64 of `c`.
        unsafe {
            let x = _mm512_min_pd(_mm512_loadu_pd(c.as_ptr()), _mm512_set1_pd(700.0));
            _mm512_storeu_pd(c.as_mut_ptr(), exp_table8::<true>(x));
        }
    }
    for v in chunks.into_remainder() {
        *v = exp_table::<true>(v.min(700.0));
    }
}

/// Columns per strip of the blur's column pass (`density::blur::STRIP`).
const STRIP: usize = 16;
/// Output rows per band (`density::blur::ROWS_AT_ONCE`).
const ROWS_AT_ONCE: usize = 4;

/// The blur's column pass on the sum of `u32` parts for full strips of
/// [`ROWS_AT_ONCE`] output rows and [`STRIP`] columns (the accumulators
/// stay in eight registers), the same operations in the same order as the
/// generic code (`density::blur::vertical_parts`). Returns false, having
/// done nothing, when the shape is not one it handles.
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
fn column_strips<const P: usize>(
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) -> bool {
    let taps = weights.len();
    let rows = out.len() / w;
    let full = w / STRIP * STRIP;
    if rows != ROWS_AT_ONCE || taps < ROWS_AT_ONCE || full == 0 {
        return false;
    }
    // Every row read below: row0 .. row0 + taps + 3, all columns < full.
    let need = (row0 + taps + ROWS_AT_ONCE - 1) * w;
    for p in &parts {
        assert!(p.len() >= need, "rows beyond the histogram");
    }
    // SAFETY: every pointer read is inside a part (asserted above, see
    // below) and every `get_unchecked` index m - 3..=m is below taps.
    unsafe {
        let ptrs: [*const u32; P] = std::array::from_fn(|k| parts[k].as_ptr());
        // SAFETY (all loads): base + 16 <= need <= every part's length, asserted above.
        let load = |base: usize| -> [__m512d; 2] {
            let q = ptrs[0].add(base);
            let mut lo = _mm512_cvtepu32_pd(_mm256_loadu_si256(q.cast()));
            let mut hi = _mm512_cvtepu32_pd(_mm256_loadu_si256(q.add(8).cast()));
            for p in &ptrs[1..] {
                let q = p.add(base);
                lo = _mm512_add_pd(lo, _mm512_cvtepu32_pd(_mm256_loadu_si256(q.cast())));
                hi = _mm512_add_pd(hi, _mm512_cvtepu32_pd(_mm256_loadu_si256(q.add(8).cast())));
            }
            [lo, hi]
        };
        let mut col = 0;
        while col < full {
            let z = _mm512_setzero_pd();
            let mut acc = [[z; 2]; ROWS_AT_ONCE];
            for m in 0..ROWS_AT_ONCE - 1 {
                let x = load((row0 + m) * w + col);
                for o in 0..=m {
                    let wk = _mm512_set1_pd(weights[m - o]);
                    acc[o][0] = _mm512_fmadd_pd(wk, x[0], acc[o][0]);
                    acc[o][1] = _mm512_fmadd_pd(wk, x[1], acc[o][1]);
                }
            }
            let (mut a0l, mut a0h, mut a1l, mut a1h) = (acc[0][0], acc[0][1], acc[1][0], acc[1][1]);
            let (mut a2l, mut a2h, mut a3l, mut a3h) = (acc[2][0], acc[2][1], acc[3][0], acc[3][1]);
            for m in ROWS_AT_ONCE - 1..taps {
                let [xl, xh] = load((row0 + m) * w + col);
                let w0 = _mm512_set1_pd(*weights.get_unchecked(m));
                let w1 = _mm512_set1_pd(*weights.get_unchecked(m - 1));
                let w2 = _mm512_set1_pd(*weights.get_unchecked(m - 2));
                let w3 = _mm512_set1_pd(*weights.get_unchecked(m - 3));
                a0l = _mm512_fmadd_pd(w0, xl, a0l);
                a0h = _mm512_fmadd_pd(w0, xh, a0h);
                a1l = _mm512_fmadd_pd(w1, xl, a1l);
                a1h = _mm512_fmadd_pd(w1, xh, a1h);
                a2l = _mm512_fmadd_pd(w2, xl, a2l);
                a2h = _mm512_fmadd_pd(w2, xh, a2h);
                a3l = _mm512_fmadd_pd(w3, xl, a3l);
                a3h = _mm512_fmadd_pd(w3, xh, a3h);
            }
            acc = [[a0l, a0h], [a1l, a1h], [a2l, a2h], [a3l, a3h]];
            for m in taps..taps + ROWS_AT_ONCE - 1 {
                let x = load((row0 + m) * w + col);
                for o in m + 1 - taps..ROWS_AT_ONCE {
                    let wk = _mm512_set1_pd(weights[m - o]);
                    acc[o][0] = _mm512_fmadd_pd(wk, x[0], acc[o][0]);
                    acc[o][1] = _mm512_fmadd_pd(wk, x[1], acc[o][1]);
                }
            }
            for (o, a) in acc.iter().enumerate() {
                let dst = &mut out[o * w + col..o * w + col + STRIP];
                _mm512_storeu_pd(dst.as_mut_ptr(), a[0]);
                _mm512_storeu_pd(dst.as_mut_ptr().add(8), a[1]);
            }
            col += STRIP;
        }
        if full < w {
            // The last, narrower strip: the generic code on those columns only.
            for o in 0..ROWS_AT_ONCE {
                for c in full..w {
                    let mut a = 0.0;
                    for (k, &wk) in weights.iter().enumerate() {
                        let base = (row0 + o + k) * w + c;
                        let mut x = f64::from(parts[0][base]);
                        for p in &parts[1..] {
                            x += f64::from(p[base]);
                        }
                        a = wk.mul_add(x, a);
                    }
                    out[o * w + c] = a;
                }
            }
        }
    }
    true
}

/// Eight lanes of the histogram's `Axis::bin_fast` (the same operations: NumPy's edges
/// recomputed as `i·step + lo` exactly as `edges` does, unfused): the bins
/// as u32 lanes and the inside mask.
#[inline]
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
fn bins(ax: &Bins, v: __m512d) -> (__m256i, __mmask8) {
    let lo = _mm512_set1_pd(ax.lo);
    let hi = _mm512_set1_pd(ax.hi);
    let inside = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(v, lo) & _mm512_cmp_pd_mask::<_CMP_LE_OQ>(v, hi);
    let t = _mm512_mul_pd(_mm512_sub_pd(v, lo), _mm512_set1_pd(ax.scale));
    // max(NaN, 0) = 0 as f64::max: maxpd returns its second operand on NaN.
    let t = _mm512_min_pd(
        _mm512_max_pd(t, _mm512_setzero_pd()),
        _mm512_set1_pd(ax.last),
    );
    let b0 = _mm512_cvttpd_epi32(t);
    let step = _mm512_set1_pd((ax.hi - ax.lo) / ax.n as f64);
    let e0 = _mm512_add_pd(_mm512_mul_pd(_mm512_cvtepi32_pd(b0), step), lo);
    let b1 = _mm256_add_epi32(b0, _mm256_set1_epi32(1));
    let n = _mm256_set1_epi32(ax.n as i32);
    let e1 = _mm512_add_pd(_mm512_mul_pd(_mm512_cvtepi32_pd(b1), step), lo);
    let last_edge = _mm256_cmpeq_epi32_mask(b1, n);
    let e1 = _mm512_mask_blend_pd(last_edge, e1, hi);
    let down = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(v, e0);
    let up = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(v, e1);
    let one = _mm256_set1_epi32(1);
    let s = _mm256_mask_add_epi32(b0, up, b0, one);
    let s = _mm256_mask_sub_epi32(s, _mm256_cmpeq_epi32_mask(s, n), s, one);
    let pos = _mm256_cmpgt_epi32_mask(s, _mm256_setzero_si256());
    (_mm256_mask_sub_epi32(s, down & pos, s, one), inside)
}

/// The histogram's `count_into_generic` with the cell indices of eight
/// points at a time, for the whole blocks of 256 points; returns the number
/// of points counted (the caller counts the rest).
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
fn hist_cells(x: &[f64], y: &[f64], ax: &Bins, ay: &Bins, width: usize, h: &mut [u32]) -> usize {
    const BLOCK: usize = 256;
    let mut idx = [0u64; BLOCK];
    let mut add = [0u32; BLOCK];
    let wv = _mm512_set1_epi64(width as i64);
    let n = x.len().min(y.len());
    let full = n / BLOCK * BLOCK;
    let mut start = 0;
    while start < full {
        for k in (0..BLOCK).step_by(8) {
            // SAFETY: start + k + 8 <= full <= n.
            let (vx, vy) = unsafe {
                (
                    _mm512_loadu_pd(x.as_ptr().add(start + k)),
                    _mm512_loadu_pd(y.as_ptr().add(start + k)),
                )
            };
            let (c, cin) = bins(ax, vx);
            let (r, rin) = bins(ay, vy);
            let i = _mm512_add_epi64(
                _mm512_mul_epu32(_mm512_cvtepu32_epi64(r), wv),
                _mm512_cvtepu32_epi64(c),
            );
            let a = _mm256_maskz_set1_epi32(cin & rin, 1);
            // SAFETY: k + 8 <= BLOCK: eight u64 of `idx`, eight u32 of `add`.
            unsafe {
                _mm512_storeu_si512(idx.as_mut_ptr().add(k).cast(), i);
                _mm256_storeu_si256(add.as_mut_ptr().add(k).cast(), a);
            }
        }
        for (&i, &v) in idx.iter().zip(&add) {
            h[i as usize] += v;
        }
        start += BLOCK;
    }
    full
}

/// [prev7, cur0..cur6]: each lane's left neighbour.
#[inline]
#[target_feature(enable = "avx512f")]
fn back(cur: __m512d, prev: __m512d) -> __m512d {
    _mm512_castsi512_pd(_mm512_alignr_epi64::<7>(
        _mm512_castpd_si512(cur),
        _mm512_castpd_si512(prev),
    ))
}

/// [cur1..cur7, next0]: each lane's right neighbour.
#[inline]
#[target_feature(enable = "avx512f")]
fn fwd(next: __m512d, cur: __m512d) -> __m512d {
    _mm512_castsi512_pd(_mm512_alignr_epi64::<1>(
        _mm512_castpd_si512(next),
        _mm512_castpd_si512(cur),
    ))
}

/// `x + c (a - b)` as `fma(c, a - b, x)`, the scalar code's `c.mul_add(a - b, x)`.
#[inline]
#[target_feature(enable = "avx512f,fma")]
fn upd(x: __m512d, cv: __m512d, a: __m512d, b: __m512d) -> __m512d {
    _mm512_fmadd_pd(cv, _mm512_sub_pd(a, b), x)
}

/// `steps` line steps of the leapfrog (`wave::kernel`) over blocks of 8 cells, two steps per pass: in
/// pass order, block i gets step s's p update, block i-1 step s's u
/// update (it needs block i's new p), block i-1 step s+1's p update and
/// block i-2 step s+1's u update, all fed from registers, so p and u are
/// loaded and stored once per two steps. Per cell the same operations as
/// the plain loops. The two end cells lack a neighbour and compute
/// nonsense, which (like the plain line step's stale ends) reaches only
/// one cell further per step, never past the halo. Returns false, having
/// done nothing, unless the fields are whole blocks, at least two.
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
fn line_steps(p: &mut [f64], u: &mut [f64], c: f64, steps: usize) -> bool {
    let m = p.len().min(u.len());
    let nb = m / 8;
    if nb < 2 || nb * 8 != m {
        return false;
    }
    let pp = p.as_mut_ptr();
    let up = u.as_mut_ptr();
    let cv = _mm512_set1_pd(c);
    // SAFETY (every load and store below): blocks k < nb lie inside p and u (m = 8 nb).
    unsafe {
        for _ in 0..steps / 2 {
            let u0 = _mm512_loadu_pd(up);
            let p0 = _mm512_loadu_pd(pp);
            let mut su_prev = u0; // u block i-1, level s
            let mut sp_prev = upd(p0, cv, back(u0, u0), u0); // p block i-1, level s+1
            let mut tu_prev = _mm512_setzero_pd(); // u block i-2, level s+1
            let mut tp_prev = _mm512_setzero_pd(); // p block i-2, level s+2
            for i in 1..nb {
                let ui = _mm512_loadu_pd(up.add(8 * i));
                let pi = _mm512_loadu_pd(pp.add(8 * i));
                let pin = upd(pi, cv, back(ui, su_prev), ui);
                let u1 = upd(su_prev, cv, sp_prev, fwd(pin, sp_prev));
                let left = if i == 1 {
                    back(u1, u1)
                } else {
                    back(u1, tu_prev)
                };
                let p2 = upd(sp_prev, cv, left, u1);
                _mm512_storeu_pd(pp.add(8 * (i - 1)), p2);
                if i >= 2 {
                    let u2 = upd(tu_prev, cv, tp_prev, fwd(p2, tp_prev));
                    _mm512_storeu_pd(up.add(8 * (i - 2)), u2);
                }
                tu_prev = u1;
                tp_prev = p2;
                su_prev = ui;
                sp_prev = pin;
            }
            let u_last = upd(su_prev, cv, sp_prev, fwd(sp_prev, sp_prev));
            let p2 = upd(sp_prev, cv, back(u_last, tu_prev), u_last);
            _mm512_storeu_pd(pp.add(8 * (nb - 1)), p2);
            let u2 = upd(tu_prev, cv, tp_prev, fwd(p2, tp_prev));
            _mm512_storeu_pd(up.add(8 * (nb - 2)), u2);
            let u2 = upd(u_last, cv, p2, fwd(p2, p2));
            _mm512_storeu_pd(up.add(8 * (nb - 1)), u2);
        }
        if steps % 2 == 1 {
            let u0 = _mm512_loadu_pd(up);
            let p0 = _mm512_loadu_pd(pp);
            let p0n = upd(p0, cv, back(u0, u0), u0);
            _mm512_storeu_pd(pp, p0n);
            let (mut prev_u, mut prev_p) = (u0, p0n);
            for k in 1..nb {
                let uk = _mm512_loadu_pd(up.add(8 * k));
                let pk = _mm512_loadu_pd(pp.add(8 * k));
                let pkn = upd(pk, cv, back(uk, prev_u), uk);
                _mm512_storeu_pd(pp.add(8 * k), pkn);
                let un = upd(prev_u, cv, prev_p, fwd(pkn, prev_p));
                _mm512_storeu_pd(up.add(8 * (k - 1)), un);
                prev_u = uk;
                prev_p = pkn;
            }
            let un = upd(prev_u, cv, prev_p, fwd(prev_p, prev_p));
            _mm512_storeu_pd(up.add(8 * (nb - 1)), un);
        }
    }
    true
}
