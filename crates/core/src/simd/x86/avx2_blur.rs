//! The density blur's fused chunk on AVX2 (four f64 lanes, sixteen vector
//! registers): the column pass and then the row pass of a chunk of output
//! rows, four rows (a band) at a time, the intermediate kept band-interleaved
//! (for each column, the band's four rows side by side in one vector).
//!
//! Why that layout: the row pass is `out[c] = w_0·x[c] + Σ_{k=1..r}
//! w_k·(x[c-k] + x[c+k])`. Along a row, four neighbouring outputs in one
//! vector need a new unaligned pair of loads per tap and output vector, and
//! the loads, not the arithmetic, set the pace. With a band's rows in the
//! lanes, output column `c` is one vector and the value `x[c-k]` that it
//! needs at tap `k` is the value that column `c+1` needs at tap `k+1`: taken
//! two taps at a time, eight columns share their loads (18 loads for 16
//! fused multiply-adds and 16 adds instead of 32). The column pass fills the
//! layout from its accumulators (a 4 x 4 transpose per strip), and the row
//! pass transposes its results back into rows as it stores them.
//!
//! The counts are converted to f64 (the parts summed exactly, as integers)
//! once per panel of columns, by the first band that reads a row, inside
//! its multiply-add loop, instead of once per tap.
//!
//! Per output cell the operations are the generic code's, in its order
//! (`density::blur::vertical_parts` then `row_pass_generic`): the column
//! value `acc = fma(w_k, x_k, acc)` for k ascending from `acc = 0`, the row
//! value `w_0·x[c]` then `fma(w_k, x[c-k] + x[c+k], acc)` for k ascending.
//! So every path gives the same bits; the path tests compare them.

use std::arch::x86_64::*;

use super::Avx2;

/// Output rows per band: the lanes of a vector.
const BAND: usize = 4;
/// Columns per panel of the column pass: the counts of a panel's rows are
/// converted once into a scratch that stays in L2 (chunk rows + taps - 1
/// rows of 96 f64: 110 KB for 64 rows and 81 taps) while the bands go down it.
const PANEL: usize = 96;
/// Vectors per strip of the column pass: three, twelve accumulators (with
/// eight, each accumulator's multiply-add waits on the one before it, four
/// cycles of latency, as long as the eight take on the two FMA units; twelve
/// leave slack).
const NV: usize = 3;
/// Columns per strip of the column pass.
const STRIP: usize = 4 * NV;
/// Output columns the row pass computes together (eight accumulators).
const GROUP: usize = 8;
/// 2^52: its bits OR-ed onto an integer below 2^52 give the f64 2^52 + it.
const TWO52: i64 = 0x4330_0000_0000_0000;

impl Avx2 {
    /// The fused blur of the full bands of four output rows in `out` (rows
    /// of `width - 2r`, r = `weights.len() / 2`, the kernel symmetric)
    /// from the sum of the `P` count grids (rows of `width`), output row 0
    /// of `out` being row `row0` of the column pass. `scratch` is working
    /// memory, any contents (grown here if shorter than
    /// [`blur_bands_scratch`]). Returns the output rows done: a multiple of
    /// four, 0 for a shape this kernel does not take (fewer than four taps,
    /// an even number of taps, output rows narrower than a strip, more than
    /// four parts).
    #[inline(always)]
    pub(crate) fn blur_bands<const P: usize>(
        self,
        parts: [&Vec<u32>; P],
        width: usize,
        row0: usize,
        weights: &[f64],
        out: &mut [f64],
        scratch: &mut Vec<f64>,
    ) -> usize {
        let taps = weights.len();
        let r = taps / 2;
        if P == 0 || P > 4 || taps < BAND || taps.is_multiple_of(2) || width < 2 * r + STRIP {
            return 0;
        }
        let n = width - 2 * r;
        let bands = out.len() / n / BAND;
        if bands == 0 {
            return 0;
        }
        let rows_in = bands * BAND + taps - 1;
        // Every count read: rows row0 .. row0 + rows_in, all columns.
        let need = (row0 + rows_in) * width;
        for p in &parts {
            assert!(p.len() >= need, "rows beyond the histogram");
        }
        let panel_len = rows_in * PANEL;
        let band_len = bands * width * BAND;
        if scratch.len() < panel_len + band_len + LINE {
            scratch.resize(panel_len + band_len + LINE, 0.0);
        }
        // Both parts from a cache-line boundary (PANEL is a multiple of a
        // line): no vector load or store below straddles two lines.
        let skip = scratch.as_ptr().align_offset(LINE * 8).min(LINE);
        let (panel, tb) = scratch[skip..].split_at_mut(panel_len);
        for p0 in (0..width).step_by(PANEL) {
            let pw = PANEL.min(width - p0);
            // SAFETY: `self` proves AVX2 and FMA, the features these are
            // compiled with; the bounds they rely on are checked above
            // (parts), and by the sizes of `panel` and `tb` made here.
            unsafe { column_panel(parts, width, row0, p0, pw, bands, weights, panel, tb) };
        }
        for b in 0..bands {
            let band = &tb[b * width * BAND..(b + 1) * width * BAND];
            let rows = &mut out[b * BAND * n..(b + 1) * BAND * n];
            // SAFETY: as above; `band` holds `width` columns of four rows
            // and `rows` four rows of `n`.
            unsafe { row_band(band, width, &weights[r..], rows) };
        }
        bands * BAND
    }
}

/// The scratch [`Avx2::blur_bands`] uses for `rows` output rows of a grid
/// `width` columns wide and a kernel of `taps` taps.
pub(crate) const fn blur_bands_scratch(rows: usize, width: usize, taps: usize) -> usize {
    (rows + taps) * PANEL + rows * width + LINE
}

/// f64 per cache line.
const LINE: usize = 8;
const _: () = assert!(PANEL.is_multiple_of(LINE));

/// The 4 x 4 transpose: lane l of vector i to lane i of vector l.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn transpose4(a: [__m256d; 4]) -> [__m256d; 4] {
    let t0 = _mm256_unpacklo_pd(a[0], a[1]);
    let t1 = _mm256_unpackhi_pd(a[0], a[1]);
    let t2 = _mm256_unpacklo_pd(a[2], a[3]);
    let t3 = _mm256_unpackhi_pd(a[2], a[3]);
    [
        _mm256_permute2f128_pd::<0x20>(t0, t2),
        _mm256_permute2f128_pd::<0x20>(t1, t3),
        _mm256_permute2f128_pd::<0x31>(t0, t2),
        _mm256_permute2f128_pd::<0x31>(t1, t3),
    ]
}

/// The column pass of one panel (`pw` columns from `p0`) for every band,
/// into `tb` band-interleaved: band `b`, column `c`, row `o` at
/// `tb[(b·width + c)·4 + o]`. The counts (rows from `row0`, the parts
/// summed) are converted to f64 as the first band that needs a row loads
/// it, inside its multiply-add loop, and kept in `panel` (row `i` of the
/// panel at `panel[i·PANEL..]`) for the bands after it.
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx2,fma")]
fn column_panel<const P: usize>(
    parts: [&Vec<u32>; P],
    width: usize,
    row0: usize,
    p0: usize,
    pw: usize,
    bands: usize,
    weights: &[f64],
    panel: &mut [f64],
    tb: &mut [f64],
) {
    let taps = weights.len();
    let rows_in = bands * BAND + taps - 1;
    assert!(panel.len() >= rows_in * PANEL && pw <= PANEL && p0 + pw <= width);
    assert!(tb.len() >= bands * width * BAND);
    for p in &parts {
        assert!(p.len() >= (row0 + rows_in) * width);
    }
    let full = pw / STRIP * STRIP;
    let magic = _mm256_set1_epi64x(TWO52);
    let magic_pd = _mm256_castsi256_pd(magic);
    let ptrs: [*const u32; P] = std::array::from_fn(|k| parts[k].as_ptr());
    let kept = panel.as_mut_ptr();
    // Four counts from `at` (summed over the parts) as f64. At most four
    // parts of u32 sum below 2^34 in u64 lanes, so 2^52 + sum is exact.
    let count4 = |at: usize| -> __m256d {
        // SAFETY: at + 4 <= (row0 + rows_in)·width, every part's length
        // (asserted above): callers pass at = (row0 + i)·width + p0 + col,
        // i < rows_in, col + 4 <= full <= pw, p0 + pw <= width.
        unsafe {
            let mut s = _mm256_cvtepu32_epi64(_mm_loadu_si128(ptrs[0].add(at).cast()));
            for p in &ptrs[1..] {
                s = _mm256_add_epi64(s, _mm256_cvtepu32_epi64(_mm_loadu_si128(p.add(at).cast())));
            }
            _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(s, magic)), magic_pd)
        }
    };
    let wt = |k: usize| -> __m256d { _mm256_set1_pd(weights[k]) };
    for b in 0..bands {
        // Rows below this one were converted by an earlier band.
        let fresh_from = if b == 0 { 0 } else { taps - 1 };
        let mut c = 0;
        while c < full {
            // Row b·4 + m of the panel, columns c..c + STRIP.
            let x = |m: usize| -> [__m256d; NV] {
                let i = b * BAND + m;
                // SAFETY (both arms): i < rows_in and c + STRIP <= PANEL,
                // so i·PANEL + c + STRIP <= `panel`'s length (asserted above).
                if m >= fresh_from {
                    let at = (row0 + i) * width + p0 + c;
                    if c == 0 {
                        // This row's counts of the next panel, asked for
                        // now so they are cached when that panel starts
                        // (rows are far apart: no hardware prefetcher
                        // sees them coming). A prefetch reads nothing and
                        // cannot fault; the address is only computed.
                        for p in &ptrs {
                            for line in (0..PANEL).step_by(16) {
                                _mm_prefetch::<_MM_HINT_T0>(
                                    p.wrapping_add(at + PANEL + line).cast(),
                                );
                            }
                        }
                    }
                    let v: [__m256d; NV] = std::array::from_fn(|q| count4(at + 4 * q));
                    for (q, v) in v.iter().enumerate() {
                        unsafe { _mm256_storeu_pd(kept.add(i * PANEL + c + 4 * q), *v) };
                    }
                    v
                } else {
                    std::array::from_fn(|q| unsafe {
                        _mm256_loadu_pd(kept.add(i * PANEL + c + 4 * q))
                    })
                }
            };
            let z = _mm256_setzero_pd();
            let mut acc = [[z; NV]; BAND];
            // Ramp-up rows feed outputs 0..=m only.
            for m in 0..BAND - 1 {
                let xv = x(m);
                for (o, a) in acc.iter_mut().enumerate().take(m + 1) {
                    let wk = wt(m - o);
                    for q in 0..NV {
                        a[q] = _mm256_fmadd_pd(wk, xv[q], a[q]);
                    }
                }
            }
            for m in BAND - 1..taps {
                let xv = x(m);
                for (o, a) in acc.iter_mut().enumerate() {
                    let wk = wt(m - o);
                    for q in 0..NV {
                        a[q] = _mm256_fmadd_pd(wk, xv[q], a[q]);
                    }
                }
            }
            // Ramp-down rows feed the last outputs only.
            for m in taps..taps + BAND - 1 {
                let xv = x(m);
                for (o, a) in acc.iter_mut().enumerate().skip(m + 1 - taps) {
                    let wk = wt(m - o);
                    for q in 0..NV {
                        a[q] = _mm256_fmadd_pd(wk, xv[q], a[q]);
                    }
                }
            }
            for q in 0..NV {
                let t = transpose4([acc[0][q], acc[1][q], acc[2][q], acc[3][q]]);
                let dst = &mut tb
                    [(b * width + p0 + c + 4 * q) * BAND..(b * width + p0 + c + 4 * q + 4) * BAND];
                for (l, v) in t.iter().enumerate() {
                    // SAFETY: `dst` holds four columns of four f64.
                    unsafe { _mm256_storeu_pd(dst.as_mut_ptr().add(l * BAND), *v) };
                }
            }
            c += STRIP;
        }
        // The last, narrower strip: the same operations, one cell at a time.
        for c in full..pw {
            for o in 0..BAND {
                let mut a = 0.0;
                for (k, &wk) in weights.iter().enumerate() {
                    let at = (row0 + b * BAND + o + k) * width + p0 + c;
                    let x: u64 = parts.iter().map(|p| u64::from(p[at])).sum();
                    a = wk.mul_add(x as f64, a);
                }
                tb[(b * width + p0 + c) * BAND + o] = a;
            }
        }
    }
}

/// The row pass of one band (`band`: `width` columns of four rows) into
/// four rows of `n = width - 2r` of `rows`, `wts` = the kernel's weights
/// from the centre out (r + 1 of them).
#[target_feature(enable = "avx2,fma")]
fn row_band(band: &[f64], width: usize, wts: &[f64], rows: &mut [f64]) {
    let r = wts.len() - 1;
    let n = width - 2 * r;
    assert!(band.len() >= width * BAND && rows.len() >= BAND * n && r >= 1);
    let t = |c: usize| -> __m256d {
        // SAFETY: every column c passed below is < width (the outputs'
        // windows o + r - k .. o + r + k lie in 0..width for o < n, k <= r),
        // and `band` holds `width` columns of four (asserted above).
        unsafe { _mm256_loadu_pd(band.as_ptr().add(c * BAND)) }
    };
    let w0 = _mm256_set1_pd(wts[0]);
    let mut o0 = 0;
    while o0 + GROUP <= n {
        let a = o0 + r;
        let mut acc: [__m256d; GROUP] = std::array::from_fn(|j| _mm256_mul_pd(w0, t(a + j)));
        let mut k = 1;
        // Two taps at a time: output j's x[c-k-1] is output j-1's x[c-k],
        // its x[c+k+1] output j+1's x[c+k] (c = a + j).
        while k < r {
            let wk = _mm256_set1_pd(wts[k]);
            let wk1 = _mm256_set1_pd(wts[k + 1]);
            let mut l_prev = t(a - k - 1);
            let mut h_cur = t(a + k);
            for (j, acc) in acc.iter_mut().enumerate() {
                let l = t(a + j - k);
                let h_next = t(a + j + k + 1);
                *acc = in_order(_mm256_fmadd_pd(wk, _mm256_add_pd(l, h_cur), *acc));
                *acc = in_order(_mm256_fmadd_pd(wk1, _mm256_add_pd(l_prev, h_next), *acc));
                l_prev = l;
                h_cur = h_next;
            }
            k += 2;
        }
        if k == r {
            let wk = _mm256_set1_pd(wts[k]);
            for (j, acc) in acc.iter_mut().enumerate() {
                *acc = _mm256_fmadd_pd(wk, _mm256_add_pd(t(a + j - k), t(a + j + k)), *acc);
            }
        }
        for half in 0..GROUP / BAND {
            let v = transpose4([
                acc[half * BAND],
                acc[half * BAND + 1],
                acc[half * BAND + 2],
                acc[half * BAND + 3],
            ]);
            for (q, row) in v.iter().enumerate() {
                let dst = &mut rows[q * n + o0 + half * BAND..q * n + o0 + (half + 1) * BAND];
                // SAFETY: `dst` holds four f64.
                unsafe { _mm256_storeu_pd(dst.as_mut_ptr(), *row) };
            }
        }
        o0 += GROUP;
    }
    // The last columns, one at a time: the same operations.
    for o in o0..n {
        let a = o + r;
        let mut acc = _mm256_mul_pd(w0, t(a));
        for (k, &wk) in wts.iter().enumerate().skip(1) {
            let wk = _mm256_set1_pd(wk);
            acc = _mm256_fmadd_pd(wk, _mm256_add_pd(t(a - k), t(a + k)), acc);
        }
        let mut v = [0.0; BAND];
        // SAFETY: `v` holds four f64.
        unsafe { _mm256_storeu_pd(v.as_mut_ptr(), acc) };
        for (q, &x) in v.iter().enumerate() {
            rows[q * n + o] = x;
        }
    }
}

/// `v`, unchanged, through an empty `asm!` block: a point the compiler
/// keeps in program order with the other such points. The row pass passes
/// each accumulator through it after each multiply-add, so the two taps of
/// a pair stay together per output column, as written; left to itself, the
/// compiler does the first tap for all eight columns, then the second, and
/// then holds more vectors than there are registers (the spills cost more
/// than the loads the pairing saves). No instruction is emitted.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn in_order(mut v: __m256d) -> __m256d {
    // SAFETY: the template is empty (a comment): it reads and writes
    // nothing but the one register it is given, which it leaves as it is,
    // and touches no memory, stack or flags, as the options declare.
    unsafe {
        std::arch::asm!("/* {0} */", inout(ymm_reg) v, options(nomem, nostack, preserves_flags));
    }
    v
}
