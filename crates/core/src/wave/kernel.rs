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
use crate::simd::Simd;

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
    step_on(crate::simd::isa(), p, u, c);
}

// At most AVX2: as before this layer (one step was built for FMA only).
crate::simd::dispatch!(fn step_on(p: &mut [f64], u: &mut [f64], c: f64) => step_generic, max = Avx2);

#[inline(always)]
fn step_generic<S: Simd>(_: S, p: &mut [f64], u: &mut [f64], c: f64) {
    step_ring(p, u, c);
}

#[inline(always)]
fn step_ring_many<S: Simd>(_: S, p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
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

/// One tile of `steps` line steps; on the AVX-512 path by
/// `simd::Avx512::line_steps` (the same operations per cell, p and u in
/// registers for two steps at a time).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn advance_tile<S: Simd>(
    s: S,
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
    #[cfg(target_arch = "x86_64")]
    let done = s.avx512().is_some_and(|v| v.line_steps(sp, su, c, steps));
    #[cfg(not(target_arch = "x86_64"))]
    let done = {
        let _ = s;
        false
    };
    if !done {
        for _ in 0..steps {
            update_p_line(sp, su, c);
            update_u_line(sp, su, c);
        }
    }
    out_p.copy_from_slice(&sp[h..h + w]);
    out_u.copy_from_slice(&su[h..h + w]);
}

crate::simd::dispatch!(fn advance_tile_on(
    p: &[f64],
    u: &[f64],
    c: f64,
    steps: usize,
    start: usize,
    out_p: &mut [f64],
    out_u: &mut [f64],
    sp: &mut Vec<f64>,
    su: &mut Vec<f64>
) => advance_tile);

// At most AVX2, as before this layer.
crate::simd::dispatch!(fn step_many_on(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) => step_ring_many, max = Avx2);

/// `steps` periodic steps in place; bit-identical to [`step`] repeated.
pub(crate) fn advance(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
    let n = p.len().min(u.len());
    if n < BLOCKED_MIN_N || steps < 4 {
        step_many_on(crate::simd::isa(), p, u, c, steps);
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
        let isa = crate::simd::isa();
        crate::threads::for_each_chunk_pair(dst_p, dst_u, TILE, |start, tp, tu| {
            let mut sp = Vec::with_capacity(TILE + 2 * BLOCK_STEPS + 2);
            let mut su = Vec::with_capacity(TILE + 2 * BLOCK_STEPS + 2);
            advance_tile_on(isa, src_p, src_u, c, k, start, tp, tu, &mut sp, &mut su);
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

#[cfg(test)]
mod path_tests {
    use super::*;
    use crate::simd::assert_same_bits_on_every_path;

    fn fields(n: usize) -> (Vec<f64>, Vec<f64>) {
        let p = (0..n).map(|i| (i as f64 * 0.013).sin()).collect();
        let u = (0..n).map(|i| (i as f64 * 0.007).cos()).collect();
        (p, u)
    }

    /// One step, many steps and the blocked tiles (AVX-512: line steps in
    /// registers) give the scalar bits on every path.
    #[test]
    fn steps_agree_on_every_path() {
        let c = 0.3;
        for n in [5, 64, 1001] {
            assert_same_bits_on_every_path("step", |isa| {
                let (mut p, mut u) = fields(n);
                step_on(isa, &mut p, &mut u, c);
                (p, u)
            });
            assert_same_bits_on_every_path("steps", |isa| {
                let (mut p, mut u) = fields(n);
                step_many_on(isa, &mut p, &mut u, c, 7);
                (p, u)
            });
        }
        let n = 4096;
        let (p, u) = fields(n);
        for (steps, start, w) in [(5, 0, 512), (8, 1000, 777), (1, 4000, 96)] {
            assert_same_bits_on_every_path("tile", |isa| {
                let (mut op, mut ou) = (vec![0.0; w], vec![0.0; w]);
                let (mut sp, mut su) = (Vec::new(), Vec::new());
                advance_tile_on(
                    isa, &p, &u, c, steps, start, &mut op, &mut ou, &mut sp, &mut su,
                );
                (op, ou)
            });
        }
    }
}
