//! The inner loops of the 1-D scheme: one periodic step, the temporally
//! blocked advance, and the step fused with the error norms.
//!
//! Every path applies the same two expressions to every cell,
//! `p_j + c * (u_{j-1} - u_j)` and `u_j + c * (p_j - p_{j+1})`, each as a
//! subtraction and one fused multiply-add (`c.mul_add(a - b, x)`, rounded
//! once), in an order that respects the dependencies, so every path gives the
//! same bits as [`step`] repeated. On x86-64 the paths are compiled with FMA
//! where the CPU has it; elsewhere `f64::mul_add` is the C library's `fma`,
//! slower but the same bits.
//!
//! # Temporal blocking
//!
//! One step streams both fields through memory once: for 1e6 cells that is
//! 16 MB a step, past the caches, so stepping a large grid step by step is
//! memory-bound. [`advance`] instead does many steps per trip through
//! memory:
//!
//! 1. **Blocks.** The steps are cut into an even number of blocks of at
//!    most [`BLOCK_STEPS`] (about equal; an even number so the result ends
//!    in p and u without a final copy). Each block reads the fields and
//!    writes the fields `k` steps later into a second pair of arrays; the
//!    pairs swap after each block.
//! 2. **Tiles and halos.** Within a block the ring is cut into tiles of
//!    [`TILE`] cells (boundaries fixed by n alone). A cell after k steps
//!    depends only on the cells at most k away before them (one cell per
//!    step each side), so a tile is computed from a copy of itself plus `k`
//!    cells on each side (periodic indices: the first and last tiles wrap
//!    around the ring). In the copy, which is a line, not a ring, the end
//!    cells lack a neighbour and go stale, one more cell per step; after k
//!    steps the stale cells have just reached the halo's inner edge and the
//!    tile's own cells are exact. Tiles only read the old arrays, so they run
//!    on all cores (rayon) in any order; the halo cells are computed twice,
//!    a cost of `2 k / (TILE / 4)` (8 % here, see below for the 4).
//! 3. **Lanes.** The tile is cut into four sub-tiles of `q = TILE / 4`
//!    cells, each copied with its own halo into one lane of a scratch line
//!    of `[f64; 4]`: cell i of the line holds cell i of the four copies. One
//!    four-lane vector operation then steps four cells that lie q apart,
//!    and the neighbours j - 1 and j + 1 are the previous and next vector,
//!    with no shuffling between lanes.
//! 4. **Fused sweeps.** The scratch line (about 280 KiB) sits in the
//!    second-level cache; it is stepped [`DEPTH`] steps per pass, as a
//!    wavefront: while the pass moves right one cell, level s + 1 (the
//!    fields after s + 1 steps) trails level s by one cell, which is where
//!    its inputs are ready. Per cell loaded, for D = 3:
//!
//!    ```text
//!    load      p⁰ᵢ, u⁰ᵢ
//!    level 1   p¹ᵢ   = p⁰ᵢ   + c (u⁰ᵢ₋₁ - u⁰ᵢ)      u¹ᵢ₋₁ = u⁰ᵢ₋₁ + c (p¹ᵢ₋₁ - p¹ᵢ)
//!    level 2   p²ᵢ₋₁ = p¹ᵢ₋₁ + c (u¹ᵢ₋₂ - u¹ᵢ₋₁)    u²ᵢ₋₂ = u¹ᵢ₋₂ + c (p²ᵢ₋₂ - p²ᵢ₋₁)
//!    level 3   p³ᵢ₋₂ = p²ᵢ₋₂ + c (u²ᵢ₋₃ - u²ᵢ₋₂)    u³ᵢ₋₃ = u²ᵢ₋₃ + c (p³ᵢ₋₃ - p³ᵢ₋₂)
//!    store     p³ᵢ₋₃, u³ᵢ₋₃
//!    ```
//!
//!    Every value on the right was computed in this iteration or the one
//!    before and is carried in a register (`uc`, `pc` in [`fused_sweep`]),
//!    so p and u go through the cache once per D steps, and the ALU, not
//!    the memory, sets the pace. The stores land D cells behind the loads,
//!    in place. The pass starts with nothing carried (zeros): the first
//!    cells of each level come out wrong, but those are the line's left end
//!    cells that go stale anyway, and the last D cells keep their old
//!    values (the right end's stale cells): exactly the one cell per step
//!    of item 2. A block of k steps is k / D such sweeps and one or two
//!    shorter ones.
//!
//! Each cell that reaches the output is computed by the same expressions
//! from the same inputs as in [`step`], so the bits are those of the
//! step-by-step loop whatever the tile, block, depth or thread count (the
//! tests check many awkward sizes against [`super::reference::advance_loop`]).
//! On the AVX2 path the sweep is `simd::Avx2::leapfrog_sweep` (intrinsics,
//! `simd/x86/avx2_wave.rs`): the compiler vectorises the generic sweep
//! along the line instead of across the lanes, with shuffles.
//!
//! Measured (2026-12-08, AMD EPYC Zen 3 at 2.45 GHz, AVX2, 1e6 cells x 1000
//! steps): the sweep costs 0.16 ns per cell and step on one core, against
//! 0.42 ns for line steps over the same data in L2 (one step per pass,
//! loads and stores from L2 set the pace). The whole advance on one thread
//! (`NUMLAB_THREADS=1 numlab bench leapfrog-1e6x1000`, alternated with the
//! previous build on a loaded machine): 212-214 ms against 570-613 ms for
//! line tiles stepped one step per pass; about 200 ms of CPU time on two
//! threads together.
//! Tiles of 12,288-32,768 cells and blocks of 167-500 steps all came within
//! 5 % of each other; D = 2 is about as fast, D = 4 and more slower (the
//! chain through the levels gets longer than the CPU can overlap).
//!
//! On the AVX-512 path the older route runs: the tile is copied as one line
//! (TILE 12,288) and stepped two steps per pass by
//! `simd::Avx512::line_steps` (eight consecutive cells a vector, neighbours
//! by lane shifts; measured 80 ms on two cores of an AVX-512 machine). The
//! lane route has not been timed on such a machine, so it does not replace
//! it yet; both give the step-by-step bits.

use super::problems::ExactTables;
use crate::simd::{Isa, Simd};

/// Cells per tile of the blocked advance (four sub-tiles of 4,096 cells):
/// the scratch lines of p and u with halos of up to 192 cells take 280 KiB,
/// inside a 512 KiB L2 cache.
pub(crate) const TILE: usize = 16384;
/// Cells per tile on the AVX-512 route (one line: p and u with halos about
/// 200 KiB). Measured on 1e6 cells x 1000 steps, 2 threads (median), on an
/// AVX-512 machine: tiles of 1536 cells and 96 steps 99 ms, 6144/96 88 ms,
/// 8192/192 85 ms, 12288/192 80 ms, 12288/256 78 ms, 24576/192 81 ms.
const AVX512_TILE: usize = 12288;
/// Most steps per block of the blocked advance.
pub(crate) const BLOCK_STEPS: usize = 192;
/// Grids smaller than this are stepped directly (they fit in cache anyway).
const BLOCKED_MIN_N: usize = 49152;
/// Vector lanes of the blocked route: a tile is cut into `LANES` sub-tiles
/// stepped side by side, sub-tile l in lane l.
const LANES: usize = 4;
/// One cell of each of the `LANES` sub-tiles.
type Lanes = [f64; LANES];
/// Steps per fused sweep (the values carried for all levels, 2 D vectors,
/// stay in the 16 vector registers of AVX2).
const DEPTH: usize = 3;

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

// At most AVX2, as before this layer.
crate::simd::dispatch!(fn step_many_on(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) => step_ring_many, max = Avx2);

/// `c.mul_add(a - b, x)` in each lane.
#[inline(always)]
fn upd(c: f64, a: Lanes, b: Lanes, x: Lanes) -> Lanes {
    [
        c.mul_add(a[0] - b[0], x[0]),
        c.mul_add(a[1] - b[1], x[1]),
        c.mul_add(a[2] - b[2], x[2]),
        c.mul_add(a[3] - b[3], x[3]),
    ]
}

/// `D` line steps of the `LANES` lines held lane by lane in `p` and `u`, in
/// one wavefront sweep (module docs, item 4). Cells more than `D` from the
/// ends (and, as for `D` line steps, every cell whose inputs were) come out
/// as after `D` line steps; the end cells go stale.
#[inline(always)]
fn fused_sweep<const D: usize>(p: &mut [Lanes], u: &mut [Lanes], c: f64) {
    let len = p.len().min(u.len());
    let (p, u) = (&mut p[..len], &mut u[..len]);
    let z = [0.0; LANES];
    // Before level s + 1 (s = 0..D) steps cell x: uc[s] is u after s steps
    // at x - 1, pc[s] is p after s + 1 steps at x - 1.
    let mut uc = [z; D];
    let mut pc = [z; D];
    for i in 0..len {
        // p and u after s steps at x = i - s (here s = 0).
        let (mut ap, mut au) = (p[i], u[i]);
        for s in 0..D {
            let np = upd(c, uc[s], au, ap); // p after s + 1 steps at x
            let nu = upd(c, pc[s], np, uc[s]); // u after s + 1 steps at x - 1
            uc[s] = au;
            ap = pc[s];
            pc[s] = np;
            au = nu;
            // Now ap, au: p and u after s + 1 steps at x - 1 (the next level's x).
        }
        if i >= D {
            p[i - D] = ap;
            u[i - D] = au;
        }
    }
}

/// [`fused_sweep`]; on the AVX2 path by `simd::Avx2::leapfrog_sweep` (the
/// same operations per cell, in registers).
#[inline(always)]
fn sweep<S: Simd, const D: usize>(_: S, p: &mut [Lanes], u: &mut [Lanes], c: f64) {
    #[cfg(target_arch = "x86_64")]
    if S::ISA == Isa::Avx2 {
        if let Some(v) = crate::simd::Avx2::new() {
            v.leapfrog_sweep::<D>(p, u, c);
            return;
        }
    }
    fused_sweep::<D>(p, u, c);
}

/// Fills `dst` with `len` cells of `LANES` lines: line l is cells
/// `first + l q .. first + l q + len` of the ring `src` (periodic indices).
#[inline(always)]
fn fill_lanes(src: &[f64], first: usize, q: usize, len: usize, dst: &mut Vec<Lanes>) {
    let n = src.len();
    dst.clear();
    dst.resize(len, [0.0; LANES]);
    for l in 0..LANES {
        let mut i = (first + l * q) % n;
        let mut k = 0;
        while k < len {
            let run = (len - k).min(n - i);
            for (d, s) in dst[k..k + run].iter_mut().zip(&src[i..i + run]) {
                d[l] = *s;
            }
            k += run;
            i = (i + run) % n;
        }
    }
}

/// Cells `h .. h + q` of line l into `out[l q ..]`, as far as `out` goes.
#[inline(always)]
fn drain_lanes(src: &[Lanes], h: usize, q: usize, out: &mut [f64]) {
    for (l, chunk) in out.chunks_mut(q).enumerate() {
        for (o, s) in chunk.iter_mut().zip(&src[h..]) {
            *o = s[l];
        }
    }
}

/// One tile of the blocked advance: cells `start .. start + out_p.len()`
/// of p and u after `steps` steps, from the ring fields `p` and `u` (equal
/// lengths, the tile at most n cells).
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
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(v) = s.avx512() {
        line_tile(v, p, u, c, steps, start, out_p, out_u);
        return;
    }
    let n = p.len();
    let w = out_p.len();
    if n == 0 || w == 0 {
        return;
    }
    // Four sub-tiles of q cells (the last ones may reach past the tile:
    // computed, not written), each with a halo of `steps` cells a side.
    let q = w.div_ceil(LANES);
    let h = steps;
    let len = q + 2 * h;
    let first = (start + n - h % n) % n;
    let (mut sp, mut su) = (Vec::new(), Vec::new());
    fill_lanes(p, first, q, len, &mut sp);
    fill_lanes(u, first, q, len, &mut su);
    let mut left = steps;
    while left >= DEPTH {
        sweep::<S, DEPTH>(s, &mut sp, &mut su, c);
        left -= DEPTH;
    }
    if left >= 2 {
        sweep::<S, 2>(s, &mut sp, &mut su, c);
        left -= 2;
    }
    if left == 1 {
        sweep::<S, 1>(s, &mut sp, &mut su, c);
    }
    drain_lanes(&sp, h, q, out_p);
    drain_lanes(&su, h, q, out_u);
}

crate::simd::dispatch!(fn advance_tile_on(
    p: &[f64],
    u: &[f64],
    c: f64,
    steps: usize,
    start: usize,
    out_p: &mut [f64],
    out_u: &mut [f64]
) => advance_tile);

/// The AVX-512 route's tile (module docs): the tile and a halo of
/// `steps + 1` cells a side copied as one line, rounded up to whole blocks
/// of 8 cells, stepped by `simd::Avx512::line_steps`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn line_tile(
    v: crate::simd::Avx512,
    p: &[f64],
    u: &[f64],
    c: f64,
    steps: usize,
    start: usize,
    out_p: &mut [f64],
    out_u: &mut [f64],
) {
    let n = p.len();
    let (h, w) = (steps + 1, out_p.len());
    if n == 0 || w == 0 {
        return;
    }
    let m = (w + 2 * h).div_ceil(8) * 8;
    let (mut sp, mut su) = (Vec::with_capacity(m), Vec::with_capacity(m));
    // Source index of scratch cell 0: start - h (mod n).
    let mut i = (start + n - h % n) % n;
    while sp.len() < m {
        let run = (m - sp.len()).min(n - i);
        sp.extend_from_slice(&p[i..i + run]);
        su.extend_from_slice(&u[i..i + run]);
        i = (i + run) % n;
    }
    if !v.line_steps(&mut sp, &mut su, c, steps) {
        for _ in 0..steps {
            update_p_line(&mut sp, &su, c);
            update_u_line(&sp, &mut su, c);
        }
    }
    out_p.copy_from_slice(&sp[h..h + w]);
    out_u.copy_from_slice(&su[h..h + w]);
}

/// `steps` periodic steps in place; bit-identical to [`step`] repeated.
pub(crate) fn advance(p: &mut [f64], u: &mut [f64], c: f64, steps: u64) {
    let isa = crate::simd::isa();
    let n = p.len().min(u.len());
    if n < BLOCKED_MIN_N || steps < 4 {
        step_many_on(isa, p, u, c, steps);
        return;
    }
    let tile = if isa == Isa::Avx512 {
        AVX512_TILE
    } else {
        TILE
    };
    advance_blocked(isa, p, u, c, steps, tile, BLOCK_STEPS as u64);
}

/// The blocked advance (module docs) with tiles of `tile` cells and blocks
/// of at most `block` steps, on path `isa`: the bits of [`step`] repeated
/// for any tile, block and n (the fields of equal length).
fn advance_blocked(
    isa: Isa,
    p: &mut [f64],
    u: &mut [f64],
    c: f64,
    steps: u64,
    tile: usize,
    block: u64,
) {
    let n = p.len().min(u.len());
    let (p, u) = (&mut p[..n], &mut u[..n]);
    if n == 0 || steps == 0 {
        return;
    }
    let mut q = crate::alloc::zeroed(n);
    let mut v = crate::alloc::zeroed(n);
    // An even number of blocks of about equal length (at most `block`)
    // ends in p and u themselves, without a final copy.
    let blocks = steps.div_ceil(block.max(1)).next_multiple_of(2);
    let block_steps = steps.div_ceil(blocks).max(1);
    let (mut src_is_pu, mut left) = (true, steps);
    while left > 0 {
        let k = left.min(block_steps) as usize;
        let (src_p, src_u, dst_p, dst_u): (&[f64], &[f64], &mut [f64], &mut [f64]) = if src_is_pu {
            (&*p, &*u, &mut q[..], &mut v[..])
        } else {
            (&q[..], &v[..], &mut *p, &mut *u)
        };
        // One task per tile: a tile's values depend only on the source
        // fields, never on which thread computes it.
        crate::threads::for_each_chunk_pair(dst_p, dst_u, tile, |start, tp, tu| {
            advance_tile_on(isa, src_p, src_u, c, k, start, tp, tu);
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
    use crate::wave::reference;

    fn fields(n: usize) -> (Vec<f64>, Vec<f64>) {
        let p = (0..n).map(|i| (i as f64 * 0.013).sin()).collect();
        let u = (0..n).map(|i| (i as f64 * 0.007).cos()).collect();
        (p, u)
    }

    /// One step, many steps and the blocked tiles (AVX-512: line steps in
    /// registers, the other paths lanes) give the scalar bits on every path.
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
        for (steps, start, w) in [(5, 0, 512), (8, 1000, 777), (1, 4000, 96), (13, 4090, 3)] {
            assert_same_bits_on_every_path("tile", |isa| {
                let (mut op, mut ou) = (vec![0.0; w], vec![0.0; w]);
                advance_tile_on(isa, &p, &u, c, steps, start, &mut op, &mut ou);
                (op, ou)
            });
        }
    }

    /// A tile's cells are those of the whole ring after the same steps.
    #[test]
    fn a_tile_is_the_ring_stepped() {
        let c = 0.7;
        let n = 3000;
        let (p, u) = fields(n);
        for (steps, start, w) in [
            (1, 0, 1),
            (4, 2999, 1),
            (7, 10, 400),
            (40, 2900, 100),
            (3, 5, 2),
        ] {
            let (mut rp, mut ru) = (p.clone(), u.clone());
            reference::advance_loop(&mut rp, &mut ru, c, steps as u64);
            for isa in Isa::available() {
                let (mut op, mut ou) = (vec![0.0; w], vec![0.0; w]);
                advance_tile_on(isa, &p, &u, c, steps, start, &mut op, &mut ou);
                assert!(
                    op == rp[start..start + w] && ou == ru[start..start + w],
                    "{isa}: steps {steps} start {start} w {w}"
                );
            }
        }
    }

    /// The blocked advance equals the step-by-step reference bit for bit for
    /// awkward sizes: n of 1-3 cells, n smaller than one tile, n not a
    /// multiple of the tile (a short last tile, down to 1 cell), tiles of
    /// 1-3 cells (sub-tiles narrower than the four lanes), step counts not
    /// a multiple of the block or of the sweep depth, blocks of 1 step, an
    /// odd number of blocks, and more steps than cells (halos wider than
    /// the ring).
    #[test]
    fn blocked_route_equals_the_reference_for_awkward_sizes() {
        let c = 0.7;
        let ns = [1, 2, 3, 5, 8, 31, 100, 257, 1000, 4097];
        let tiles = [1, 2, 3, 4, 7, 64, 100, 1000, 4096];
        let steps_blocks: [(u64, u64); 11] = [
            (1, 192),
            (2, 1),
            (3, 2),
            (4, 4),
            (5, 3),
            (7, 192),
            (10, 4),
            (11, 5),
            (29, 6),
            (47, 16),
            (301, 96),
        ];
        for n in ns {
            let (p0, u0) = fields(n);
            for &(steps, block) in &steps_blocks {
                let (mut rp, mut ru) = (p0.clone(), u0.clone());
                reference::advance_loop(&mut rp, &mut ru, c, steps);
                for tile in tiles {
                    if tile > 2 * n.max(64) || (steps > 50 && n * steps as usize / tile > 40_000) {
                        continue;
                    }
                    for isa in Isa::available() {
                        let (mut p, mut u) = (p0.clone(), u0.clone());
                        advance_blocked(isa, &mut p, &mut u, c, steps, tile, block);
                        assert!(
                            p == rp && u == ru,
                            "{isa}: n {n} steps {steps} block {block} tile {tile}"
                        );
                    }
                }
            }
        }
    }

    /// Each fused sweep depth gives the cells of that many line steps.
    #[test]
    fn fused_sweeps_equal_line_steps() {
        let c = 0.45;
        let len = 200;
        let (a, b) = fields(LANES * len);
        let lanes = |f: &[f64]| -> Vec<Lanes> {
            (0..len)
                .map(|i| std::array::from_fn(|l| f[l * len + i]))
                .collect()
        };
        let (lp, lu) = (lanes(&a), lanes(&b));
        let mut want_p = lp.clone();
        let mut want_u = lu.clone();
        for d in 1..=6usize {
            // d line steps of each lane, one cell of each lane at a time.
            let mut cp: Vec<Vec<f64>> = (0..LANES)
                .map(|l| lp.iter().map(|v| v[l]).collect())
                .collect();
            let mut cu: Vec<Vec<f64>> = (0..LANES)
                .map(|l| lu.iter().map(|v| v[l]).collect())
                .collect();
            for l in 0..LANES {
                for _ in 0..d {
                    update_p_line(&mut cp[l], &cu[l], c);
                    update_u_line(&cp[l], &mut cu[l], c);
                }
            }
            for i in 0..len {
                want_p[i] = std::array::from_fn(|l| cp[l][i]);
                want_u[i] = std::array::from_fn(|l| cu[l][i]);
            }
            assert_same_bits_on_every_path("sweep", |isa| {
                let (mut p, mut u) = (lp.clone(), lu.clone());
                sweep_on(isa, &mut p, &mut u, c, d);
                // The exact cells: d from each end.
                let flat =
                    |v: &[Lanes]| -> Vec<f64> { v[d..len - d].iter().flatten().copied().collect() };
                let (fp, fu) = (flat(&p), flat(&u));
                assert!(
                    fp == flat(&want_p) && fu == flat(&want_u),
                    "{isa}: depth {d}"
                );
                (fp, fu)
            });
        }
    }

    #[inline(always)]
    fn sweep_generic<S: Simd>(s: S, p: &mut [Lanes], u: &mut [Lanes], c: f64, d: usize) {
        match d {
            1 => sweep::<S, 1>(s, p, u, c),
            2 => sweep::<S, 2>(s, p, u, c),
            3 => sweep::<S, 3>(s, p, u, c),
            4 => sweep::<S, 4>(s, p, u, c),
            5 => sweep::<S, 5>(s, p, u, c),
            _ => sweep::<S, 6>(s, p, u, c),
        }
    }
    crate::simd::dispatch!(fn sweep_on(p: &mut [Lanes], u: &mut [Lanes], c: f64, d: usize) => sweep_generic);
}
