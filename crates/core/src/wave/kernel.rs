//! The inner loops of the 1-D scheme: one periodic step, the temporally
//! blocked advance, and the step fused with the error norms.
//!
//! Every path applies the same two expressions to every cell,
//! `p_j + c * (u_{j-1} - u_j)` and `u_j + c * (p_j - p_{j+1})`, each as a
//! subtraction and one fused multiply-add (`c.mul_add(a - b, x)`, rounded
//! once), in an order that respects the dependencies, so every path gives the
//! same bits as [`step`] repeated. On x86-64 the paths are compiled with FMA
//! where the CPU has it; elsewhere `f64::mul_add` is the C library's `fma`,
//! slower but the same bits. The fused form is about 25 % faster than a
//! separate multiply and add on the blocked path (measured: 80 ms -> 65 ms
//! for 1e6 cells x 1000 steps on two cores).
//!
//! # Temporal blocking
//!
//! Streaming both fields through memory once per step makes a large grid
//! memory-bound. [`advance`] instead cuts the ring into tiles of
//! [`TILE`] cells and advances each tile up to [`BLOCK_STEPS`] steps while it
//! sits in the second-level cache (an even number of blocks, so the result
//! ends in p and u without a final copy): the tile is copied with a halo of
//! `BLOCK_STEPS + 1` cells on each side (periodic indices) into a scratch
//! buffer, stepped there as a line (the halo's outer cells go stale, one cell
//! per step, and never reach the tile), and its cells are written to a second
//! pair of arrays. Tiles only read the old arrays, so they run on all cores
//! with no ordering between them; the two pairs swap after each block. The
//! redundant halo work costs `2 (BLOCK_STEPS + 1) / TILE` of the total.

use super::problems::ExactTables;

/// Cells per tile of the blocked advance: p and u of a tile and its halo fill
/// about 200 KiB, inside a 1 MiB L2 cache. Measured on 1e6 cells x 1000 steps,
/// 2 threads (median): tiles of 1536 cells and 96 steps 99 ms, 6144/96 88 ms,
/// 8192/192 85 ms, 12288/192 80 ms, 12288/256 78 ms, 24576/192 81 ms.
pub(crate) const TILE: usize = 12288;
/// Steps per block of the blocked advance.
pub(crate) const BLOCK_STEPS: usize = 192;
/// Grids smaller than this are stepped directly (they fit in cache anyway).
const BLOCKED_MIN_N: usize = 4 * TILE;

#[inline(always)]
fn update_p_line(p: &mut [f64], u: &[f64], c: f64) {
    // p_j for j = 1..m-1: p_j + c (u_{j-1} - u_j).
    let m = p.len().min(u.len());
    if m < 2 {
        return;
    }
    for ((pj, a), b) in p[1..m].iter_mut().zip(&u[..m - 1]).zip(&u[1..m]) {
        *pj = c.mul_add(*a - *b, *pj);
    }
}

#[inline(always)]
fn update_u_line(p: &[f64], u: &mut [f64], c: f64) {
    // u_j for j = 0..m-2: u_j + c (p_j - p_{j+1}).
    let m = p.len().min(u.len());
    if m < 2 {
        return;
    }
    for ((uj, a), b) in u[..m - 1].iter_mut().zip(&p[..m - 1]).zip(&p[1..m]) {
        *uj = c.mul_add(*a - *b, *uj);
    }
}

#[inline(always)]
fn step_ring(p: &mut [f64], u: &mut [f64], c: f64) {
    let n = p.len().min(u.len());
    if n == 0 {
        return;
    }
    // p_0 reads u_{n-1} (old) before any u changes.
    p[0] = c.mul_add(u[n - 1] - u[0], p[0]);
    update_p_line(p, u, c);
    update_u_line(p, u, c);
    // u_{n-1} reads p_{n-1} and p_0 (both new).
    u[n - 1] = c.mul_add(p[n - 1] - p[0], u[n - 1]);
}

/// One periodic step in place (fields of equal length).
pub(crate) fn step(p: &mut [f64], u: &mut [f64], c: f64) {
    #[cfg(target_arch = "x86_64")]
    {
        if has_fma() {
            // SAFETY: the CPU supports FMA (checked just above).
            unsafe { x86::step_ring_fma(p, u, c) };
            return;
        }
    }
    step_ring(p, u, c);
}

/// The CPU has fused multiply-add (x86-64).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn has_fma() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

#[inline(always)]
fn step_ring_many(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
    for _ in 0..steps {
        step_ring(p, u, c);
    }
}

/// Copies cells `start - h .. start - h + m` (periodic indices) of p and u
/// into the scratch buffers, h = steps + 1, m = w + 2h rounded up to 8.
#[inline(always)]
fn fill_scratch(
    p: &[f64],
    u: &[f64],
    steps: usize,
    start: usize,
    w: usize,
    sp: &mut Vec<f64>,
    su: &mut Vec<f64>,
) {
    let n = p.len();
    let h = steps + 1;
    // A multiple of 8 cells (the AVX-512 sweep's blocks); the right halo is >= h.
    let m = (w + 2 * h).div_ceil(8) * 8;
    sp.clear();
    su.clear();
    // Source index of scratch cell 0: start - h (mod n).
    let first = (start + n - h % n) % n;
    let mut i = first;
    let mut left = m;
    while left > 0 {
        let run = left.min(n - i);
        sp.extend_from_slice(&p[i..i + run]);
        su.extend_from_slice(&u[i..i + run]);
        left -= run;
        i = (i + run) % n;
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn advance_tile(
    p: &[f64],
    u: &[f64],
    c: f64,
    steps: usize,
    start: usize,
    out_p: &mut [f64],
    out_u: &mut [f64],
    sp: &mut Vec<f64>,
    su: &mut Vec<f64>,
) {
    fill_scratch(p, u, steps, start, out_p.len(), sp, su);
    let (h, w) = (steps + 1, out_p.len());
    for _ in 0..steps {
        update_p_line(sp, su, c);
        update_u_line(sp, su, c);
    }
    out_p.copy_from_slice(&sp[h..h + w]);
    out_u.copy_from_slice(&su[h..h + w]);
}

#[allow(clippy::too_many_arguments)]
fn advance_tile_dispatch(
    p: &[f64],
    u: &[f64],
    c: f64,
    steps: usize,
    start: usize,
    out_p: &mut [f64],
    out_u: &mut [f64],
    sp: &mut Vec<f64>,
    su: &mut Vec<f64>,
) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") && has_fma() {
            // SAFETY: the CPU supports AVX-512F and FMA (checked above).
            unsafe { x86::advance_tile_avx512(p, u, c, steps, start, out_p, out_u, sp, su) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") && has_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked above).
            unsafe { x86::advance_tile_avx2(p, u, c, steps, start, out_p, out_u, sp, su) };
            return;
        }
    }
    advance_tile(p, u, c, steps, start, out_p, out_u, sp, su);
}

fn step_many_dispatch(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && has_fma() {
            // SAFETY: the CPU supports AVX2 and FMA (checked above).
            unsafe { x86::step_ring_many_avx2(p, u, c, steps) };
            return;
        }
    }
    step_ring_many(p, u, c, steps);
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn step_ring_many_avx2(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
        super::step_ring_many(p, u, c, steps);
    }

    #[target_feature(enable = "fma")]
    pub(super) unsafe fn step_ring_fma(p: &mut [f64], u: &mut [f64], c: f64) {
        super::step_ring(p, u, c);
    }

    #[target_feature(enable = "avx2,fma")]
    #[allow(clippy::too_many_arguments)]
    pub(super) unsafe fn advance_tile_avx2(
        p: &[f64],
        u: &[f64],
        c: f64,
        steps: usize,
        start: usize,
        out_p: &mut [f64],
        out_u: &mut [f64],
        sp: &mut Vec<f64>,
        su: &mut Vec<f64>,
    ) {
        super::advance_tile(p, u, c, steps, start, out_p, out_u, sp, su);
    }

    #[target_feature(enable = "avx512f,fma")]
    #[allow(clippy::too_many_arguments)]
    pub(super) unsafe fn advance_tile_avx512(
        p: &[f64],
        u: &[f64],
        c: f64,
        steps: usize,
        start: usize,
        out_p: &mut [f64],
        out_u: &mut [f64],
        sp: &mut Vec<f64>,
        su: &mut Vec<f64>,
    ) {
        super::fill_scratch(p, u, steps, start, out_p.len(), sp, su);
        line_steps_avx512(sp, su, c, steps);
        let (h, w) = (steps + 1, out_p.len());
        out_p.copy_from_slice(&sp[h..h + w]);
        out_u.copy_from_slice(&su[h..h + w]);
    }

    /// [prev7, cur0..cur6]: each lane's left neighbour.
    #[inline(always)]
    unsafe fn back(cur: __m512d, prev: __m512d) -> __m512d {
        _mm512_castsi512_pd(_mm512_alignr_epi64::<7>(
            _mm512_castpd_si512(cur),
            _mm512_castpd_si512(prev),
        ))
    }

    /// [cur1..cur7, next0]: each lane's right neighbour.
    #[inline(always)]
    unsafe fn fwd(next: __m512d, cur: __m512d) -> __m512d {
        _mm512_castsi512_pd(_mm512_alignr_epi64::<1>(
            _mm512_castpd_si512(next),
            _mm512_castpd_si512(cur),
        ))
    }

    /// `x + c (a - b)` as `fma(c, a - b, x)`, the scalar paths' `c.mul_add(a - b, x)`.
    #[inline(always)]
    unsafe fn upd(x: __m512d, cv: __m512d, a: __m512d, b: __m512d) -> __m512d {
        _mm512_fmadd_pd(cv, _mm512_sub_pd(a, b), x)
    }

    /// `steps` line steps over blocks of 8 cells, two steps per pass: in
    /// pass order, block i gets step s's p update, block i-1 step s's u
    /// update (it needs block i's new p), block i-1 step s+1's p update and
    /// block i-2 step s+1's u update, all fed from registers, so p and u are
    /// loaded and stored once per two steps. Per cell the same operations as
    /// the plain loops. The two end cells lack a neighbour and compute
    /// nonsense, which (like the plain line step's stale ends) reaches only
    /// one cell further per step, never past the halo.
    #[target_feature(enable = "avx512f,fma")]
    unsafe fn line_steps_avx512(p: &mut [f64], u: &mut [f64], c: f64, steps: usize) {
        let m = p.len().min(u.len());
        let nb = m / 8;
        if nb < 2 || nb * 8 != m {
            for _ in 0..steps {
                super::update_p_line(p, u, c);
                super::update_u_line(p, u, c);
            }
            return;
        }
        let pp = p.as_mut_ptr();
        let up = u.as_mut_ptr();
        let cv = _mm512_set1_pd(c);
        // SAFETY (every load and store below): blocks k < nb lie inside p and u (m = 8 nb).
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
}

/// `steps` periodic steps in place; bit-identical to [`step`] repeated.
pub(crate) fn advance(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
    let n = p.len().min(u.len());
    if n < BLOCKED_MIN_N || steps < 4 {
        step_many_dispatch(p, u, c, steps);
        return;
    }
    let mut q = crate::alloc::zeroed(n);
    let mut v = crate::alloc::zeroed(n);
    // An even number of blocks of about equal length (at most BLOCK_STEPS)
    // ends in p and u themselves, without a final copy.
    let blocks = steps.div_ceil(BLOCK_STEPS as u64).next_multiple_of(2);
    let block_steps = steps.div_ceil(blocks).max(1);
    let (mut src_is_pu, mut left) = (true, steps);
    while left > 0 {
        let k = (left.min(block_steps)) as usize;
        let (src_p, src_u, dst_p, dst_u): (&[f64], &[f64], &mut [f64], &mut [f64]) = if src_is_pu {
            (&*p, &*u, &mut q[..], &mut v[..])
        } else {
            (&q[..], &v[..], &mut *p, &mut *u)
        };
        // One task per tile: a tile's values depend only on the source
        // fields, never on which thread computes it.
        crate::threads::for_each_chunk_pair(dst_p, dst_u, TILE, |start, tp, tu| {
            let mut sp = Vec::with_capacity(TILE + 2 * BLOCK_STEPS + 2);
            let mut su = Vec::with_capacity(TILE + 2 * BLOCK_STEPS + 2);
            advance_tile_dispatch(src_p, src_u, c, k, start, tp, tu, &mut sp, &mut su);
        });
        src_is_pu = !src_is_pu;
        left -= k as u64;
    }
    if !src_is_pu {
        p.copy_from_slice(&q);
        u.copy_from_slice(&v);
    }
}

/// One periodic step, returning Σ (p_j - p_exact)² and Σ (u_j - u_exact)²
/// with the exact fields from `tables` and the coefficients `co_p`, `co_u`
/// (p at its new time, u at its new time). `scratch` holds n values.
pub(crate) fn step_with_errors(
    p: &mut [f64],
    u: &mut [f64],
    c: f64,
    tables: &ExactTables,
    co_p: &[(f64, f64)],
    co_u: &[(f64, f64)],
    scratch: &mut [f64],
) -> (f64, f64) {
    step(p, u, c);
    let sp = sum_sq_error(p, tables, co_p, false, scratch);
    let su = sum_sq_error(u, tables, co_u, true, scratch);
    (sp, su)
}

/// Σ (f_j - exact_j)², accumulated in 4 lanes in a fixed order.
fn sum_sq_error(
    f: &[f64],
    tables: &ExactTables,
    co: &[(f64, f64)],
    u_points: bool,
    ex: &mut [f64],
) -> f64 {
    let n = f.len();
    let ex = &mut ex[..n];
    ex.iter_mut().for_each(|v| *v = 0.0);
    for (i, &(a, b)) in co.iter().enumerate() {
        let (cs, sn) = tables.table(i, u_points);
        for ((o, c), s) in ex.iter_mut().zip(cs).zip(sn) {
            *o += a * c + b * s;
        }
    }
    let mut acc = [0.0f64; 4];
    let mut fc = f.chunks_exact(4);
    let mut ec = ex.chunks_exact(4);
    for (a, b) in (&mut fc).zip(&mut ec) {
        for k in 0..4 {
            let e = a[k] - b[k];
            acc[k] += e * e;
        }
    }
    for (a, b) in fc.remainder().iter().zip(ec.remainder()) {
        let e = a - b;
        acc[0] += e * e;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}
