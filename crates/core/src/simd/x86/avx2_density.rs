//! The density kernels written for AVX2 (four f64 lanes, sixteen vector
//! registers): the blur's fused column pass on the histogram parts and the
//! histogram's cell indices, reached through the [`Avx2`] token (the AVX-512
//! path has its own in `avx512.rs`). Each does the same operations in the
//! same order as the generic code it replaces (`density::blur::vertical_parts`,
//! `density::hist::count_into_generic`), so every path gives the same bits;
//! the path tests compare them.

use std::arch::x86_64::*;

use super::{Avx2, Bins};

impl Avx2 {
    /// The blur's column pass on the sum of `P` count grids for the full
    /// bands of four output rows in `out` (see `column_strips`); returns the
    /// rows done (0 for a shape it does not handle).
    #[inline(always)]
    pub(crate) fn column_strips<const P: usize>(
        self,
        parts: [&Vec<u32>; P],
        w: usize,
        row0: usize,
        weights: &[f64],
        out: &mut [f64],
    ) -> usize {
        // SAFETY: `self` proves AVX2 and FMA, every feature `column_strips` is compiled with.
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
        // SAFETY: `self` proves AVX2 and FMA, every feature `hist_cells` is compiled with.
        unsafe { hist_cells(x, y, ax, ay, width, h) }
    }
}

/// Columns per strip: two vectors of four.
const STRIP: usize = 8;
/// Output rows per band (`density::blur::ROWS_AT_ONCE`).
const ROWS_AT_ONCE: usize = 4;
/// Columns per panel: the rows of a panel's bands (taps + 3 rows of 64
/// columns, 8 bytes a cell with two parts: 43 KB at 81 taps) stay cached
/// while the bands go down the panel.
const PANEL: usize = 64;
/// 2^52: its bits OR-ed onto a u32 give the f64 2^52 + u32, exactly.
const TWO52: i64 = 0x4330_0000_0000_0000;

/// The blur's column pass on the sum of `u32` parts for the full bands of
/// [`ROWS_AT_ONCE`] output rows in `out` (rows of `w`), strips of [`STRIP`]
/// columns (eight accumulators in registers, a strip row loaded once for
/// the four output rows), the columns in panels of [`PANEL`] so that the
/// rows a panel's bands share stay in L1/L2 from band to band. Per output,
/// `acc = fma(w_k, x_k, acc)` for k ascending from `acc = 0`, x_k the
/// parts' counts summed (exactly: integers, summed as u64 and converted
/// once), as the generic code does. Returns the number of output rows done
/// (a multiple of four; 0 when the shape is not one it handles).
#[target_feature(enable = "avx2,fma")]
fn column_strips<const P: usize>(
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) -> usize {
    let taps = weights.len();
    let bands = out.len() / w / ROWS_AT_ONCE;
    let rows = bands * ROWS_AT_ONCE;
    let full = w / STRIP * STRIP;
    if P == 0 || P > 4 || bands == 0 || taps < ROWS_AT_ONCE || full == 0 {
        return 0;
    }
    // Every row read below: row0 .. row0 + rows + taps - 1, all columns < w.
    let need = (row0 + rows + taps - 1) * w;
    for p in &parts {
        assert!(p.len() >= need, "rows beyond the histogram");
    }
    let ptrs: [*const u32; P] = std::array::from_fn(|k| parts[k].as_ptr());
    let magic = _mm256_set1_epi64x(TWO52);
    let magic_pd = _mm256_castsi256_pd(magic);
    // Four counts from `base` (summed over the parts) as f64. At most four
    // parts of u32 sum below 2^34 in u64 lanes, so 2^52 + sum is exact.
    let load4 = |base: usize| -> __m256d {
        // SAFETY: base + 4 <= need <= every part's length (asserted above;
        // callers pass base = row·w + col with row < row0 + rows + taps - 1
        // and col + 8 <= full <= w).
        unsafe {
            let mut s = _mm256_cvtepu32_epi64(_mm_loadu_si128(ptrs[0].add(base).cast()));
            for p in &ptrs[1..] {
                s = _mm256_add_epi64(
                    s,
                    _mm256_cvtepu32_epi64(_mm_loadu_si128(p.add(base).cast())),
                );
            }
            _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(s, magic)), magic_pd)
        }
    };
    let load = |base: usize| -> [__m256d; 2] { [load4(base), load4(base + 4)] };
    let wt = |k: usize| -> __m256d {
        // SAFETY: every k passed below is < taps (m - 3 ..= m with m < taps,
        // or m - o in the ramps).
        _mm256_set1_pd(unsafe { *weights.get_unchecked(k) })
    };
    let mut panel = 0;
    while panel < full {
        let panel_end = (panel + PANEL).min(full);
        for band in 0..bands {
            let r0 = row0 + band * ROWS_AT_ONCE;
            let out = &mut out[band * ROWS_AT_ONCE * w..(band + 1) * ROWS_AT_ONCE * w];
            let mut col = panel;
            while col < panel_end {
                let z = _mm256_setzero_pd();
                let mut acc = [[z; 2]; ROWS_AT_ONCE];
                for m in 0..ROWS_AT_ONCE - 1 {
                    let x = load((r0 + m) * w + col);
                    for (o, a) in acc.iter_mut().enumerate().take(m + 1) {
                        let wk = wt(m - o);
                        a[0] = _mm256_fmadd_pd(wk, x[0], a[0]);
                        a[1] = _mm256_fmadd_pd(wk, x[1], a[1]);
                    }
                }
                let (mut a0l, mut a0h, mut a1l, mut a1h) =
                    (acc[0][0], acc[0][1], acc[1][0], acc[1][1]);
                let (mut a2l, mut a2h, mut a3l, mut a3h) =
                    (acc[2][0], acc[2][1], acc[3][0], acc[3][1]);
                for m in ROWS_AT_ONCE - 1..taps {
                    let [xl, xh] = load((r0 + m) * w + col);
                    let w0 = wt(m);
                    a0l = _mm256_fmadd_pd(w0, xl, a0l);
                    a0h = _mm256_fmadd_pd(w0, xh, a0h);
                    let w1 = wt(m - 1);
                    a1l = _mm256_fmadd_pd(w1, xl, a1l);
                    a1h = _mm256_fmadd_pd(w1, xh, a1h);
                    let w2 = wt(m - 2);
                    a2l = _mm256_fmadd_pd(w2, xl, a2l);
                    a2h = _mm256_fmadd_pd(w2, xh, a2h);
                    let w3 = wt(m - 3);
                    a3l = _mm256_fmadd_pd(w3, xl, a3l);
                    a3h = _mm256_fmadd_pd(w3, xh, a3h);
                }
                acc = [[a0l, a0h], [a1l, a1h], [a2l, a2h], [a3l, a3h]];
                for m in taps..taps + ROWS_AT_ONCE - 1 {
                    let x = load((r0 + m) * w + col);
                    for (o, a) in acc.iter_mut().enumerate().skip(m + 1 - taps) {
                        let wk = wt(m - o);
                        a[0] = _mm256_fmadd_pd(wk, x[0], a[0]);
                        a[1] = _mm256_fmadd_pd(wk, x[1], a[1]);
                    }
                }
                for (o, a) in acc.iter().enumerate() {
                    let dst = &mut out[o * w + col..o * w + col + STRIP];
                    // SAFETY: `dst` holds eight f64.
                    unsafe {
                        _mm256_storeu_pd(dst.as_mut_ptr(), a[0]);
                        _mm256_storeu_pd(dst.as_mut_ptr().add(4), a[1]);
                    }
                }
                col += STRIP;
            }
        }
        panel = panel_end;
    }
    if full < w {
        // The last, narrower strip: the generic code's operations on those columns.
        for o in 0..rows {
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
    rows
}

/// Four lanes of the histogram's `Axis::bin_fast` (the same operations:
/// NumPy's edges recomputed as `i·step + lo` exactly as `edges` does,
/// unfused, the last edge `hi`), in 64-bit lanes: the bins and the inside
/// mask (all ones or zero).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn bins(ax: &Bins, v: __m256d) -> (__m256i, __m256i) {
    let lo = _mm256_set1_pd(ax.lo);
    let hi = _mm256_set1_pd(ax.hi);
    let inside = _mm256_and_pd(
        _mm256_cmp_pd::<_CMP_GE_OQ>(v, lo),
        _mm256_cmp_pd::<_CMP_LE_OQ>(v, hi),
    );
    let t = _mm256_mul_pd(_mm256_sub_pd(v, lo), _mm256_set1_pd(ax.scale));
    // max(NaN, 0) = 0 as f64::max: maxpd returns its second operand on NaN.
    let t = _mm256_min_pd(
        _mm256_max_pd(t, _mm256_setzero_pd()),
        _mm256_set1_pd(ax.last),
    );
    let b0 = _mm256_cvttpd_epi32(t);
    let step = _mm256_set1_pd((ax.hi - ax.lo) / ax.n as f64);
    let e0 = _mm256_add_pd(_mm256_mul_pd(_mm256_cvtepi32_pd(b0), step), lo);
    let b1 = _mm_add_epi32(b0, _mm_set1_epi32(1));
    let e1 = _mm256_add_pd(_mm256_mul_pd(_mm256_cvtepi32_pd(b1), step), lo);
    let n = _mm256_set1_epi64x(ax.n as i64);
    let b0 = _mm256_cvtepi32_epi64(b0);
    let b1 = _mm256_cvtepi32_epi64(b1);
    let last_edge = _mm256_castsi256_pd(_mm256_cmpeq_epi64(b1, n));
    let e1 = _mm256_blendv_pd(e1, hi, last_edge);
    let down = _mm256_castpd_si256(_mm256_cmp_pd::<_CMP_LT_OQ>(v, e0));
    let up = _mm256_castpd_si256(_mm256_cmp_pd::<_CMP_GE_OQ>(v, e1));
    // Masks are -1 where true: s = b0 + up, then - (s == n), then
    // - (down & s > 0).
    let s = _mm256_sub_epi64(b0, up);
    let s = _mm256_add_epi64(s, _mm256_cmpeq_epi64(s, n));
    let pos = _mm256_cmpgt_epi64(s, _mm256_setzero_si256());
    (
        _mm256_add_epi64(s, _mm256_and_si256(down, pos)),
        _mm256_castpd_si256(inside),
    )
}

/// The histogram's `count_into_generic` with the cell indices of four
/// points at a time, for the whole blocks of 256 points; returns the number
/// of points counted (the caller counts the rest).
#[target_feature(enable = "avx2,fma")]
fn hist_cells(x: &[f64], y: &[f64], ax: &Bins, ay: &Bins, width: usize, h: &mut [u32]) -> usize {
    const BLOCK: usize = 256;
    let mut idx = [0u64; BLOCK];
    let mut add = [0u64; BLOCK];
    let wv = _mm256_set1_epi64x(width as i64);
    let one = _mm256_set1_epi64x(1);
    let n = x.len().min(y.len());
    let full = n / BLOCK * BLOCK;
    let mut start = 0;
    while start < full {
        for k in (0..BLOCK).step_by(4) {
            // SAFETY: start + k + 4 <= full <= n.
            let (vx, vy) = unsafe {
                (
                    _mm256_loadu_pd(x.as_ptr().add(start + k)),
                    _mm256_loadu_pd(y.as_ptr().add(start + k)),
                )
            };
            let (c, cin) = bins(ax, vx);
            let (r, rin) = bins(ay, vy);
            // r < 2^32 and width <= u32::MAX: the low halves hold them.
            let i = _mm256_add_epi64(_mm256_mul_epu32(r, wv), c);
            let a = _mm256_and_si256(_mm256_and_si256(cin, rin), one);
            // SAFETY: k + 4 <= BLOCK: four u64 of `idx` and of `add`.
            unsafe {
                _mm256_storeu_si256(idx.as_mut_ptr().add(k).cast(), i);
                _mm256_storeu_si256(add.as_mut_ptr().add(k).cast(), a);
            }
            // The cells' cache lines, asked for now so that their misses
            // overlap the arithmetic of the rest of the block.
            for &c in &idx[k..k + 4] {
                // A prefetch reads nothing and cannot fault; the address is
                // computed without dereferencing.
                _mm_prefetch::<_MM_HINT_T0>(h.as_ptr().wrapping_add(c as usize).cast());
            }
        }
        for (&i, &v) in idx.iter().zip(&add) {
            h[i as usize] += v as u32;
        }
        start += BLOCK;
    }
    full
}
