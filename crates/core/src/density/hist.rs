//! 2-D histograms with NumPy's bins, counted in parallel.
//!
//! NumPy's `histogram2d` with a range and bin counts takes the edges
//! `linspace(lo, hi, n + 1)` (edge i = i·step + lo, the last one exactly hi)
//! and bins by `searchsorted(edges, v, side="right")`: bins are half-open
//! `[e_i, e_{i+1})`, the last one closed on the right, and values outside
//! `[lo, hi]` (NaN included) fall in no bin. Here a bin index comes from one
//! multiply by a precomputed scale, then is moved by at most one to the bin
//! whose edges (NumPy's, computed the same way) really hold the value, so the
//! counts are NumPy's exactly, at the cost of two comparisons.
//!
//! Points are split into one contiguous part per thread (at least 2^15
//! points a part; a single part is counted on the calling thread), each
//! counted into its own `u32` histogram; integer sums do not depend on the
//! split, so the result is the same whatever the number of threads.
//!
//! The cell indices of a block of 256 points are computed first, then the
//! counts incremented. On AVX-512 and on AVX2 (`simd/x86/avx2_density.rs`:
//! four points at a time, the same operations as [`Axis::bin_fast`] in
//! 64-bit lanes) the indices are vector code, and the AVX2 kernel prefetches
//! each point's cell as its index is known, so the cache misses of the
//! increments overlap the block's arithmetic.

use super::{check_size, Density, Grid, Points, View};
use crate::error::{check, NumlabError, Result};

/// NumPy's `linspace(lo, hi, n + 1)`.
pub(crate) fn edges(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    crate::signals::linspace(lo, hi, n + 1)
}

/// Bins of one axis: `bin(v)` is NumPy's bin of `v`, or `None` outside.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    lo: f64,
    hi: f64,
    scale: f64,
    /// `n - 1` as f64.
    last: f64,
    n: usize,
    edges: Vec<f64>,
}

impl Axis {
    pub(crate) fn new(lo: f64, hi: f64, n: usize) -> Self {
        Axis {
            lo,
            hi,
            scale: n as f64 / (hi - lo),
            last: (n - 1) as f64,
            n,
            edges: edges(lo, hi, n),
        }
    }

    /// Branch-free [`bin`](Self::bin): `(bin, inside)`; the bin is
    /// meaningless (but in range) when `inside` is false. Points inside and
    /// outside a zoomed view alternate at random, so every step is a
    /// min/max/compare (no branch to mispredict).
    #[inline(always)]
    pub(crate) fn bin_fast(&self, v: f64) -> (usize, bool) {
        let inside = (v >= self.lo) & (v <= self.hi);
        // f64::max/min are branch-free, NaN gives 0. Through i64: one
        // conversion instruction (f64 to u64 takes several).
        let b0 = ((v - self.lo) * self.scale).max(0.0).min(self.last) as i64 as usize;
        let down = usize::from(v < self.edges[b0]);
        let up = usize::from(v >= self.edges[b0 + 1]);
        // For inside v: down only when b0 >= 1 (v >= lo = edges[0]), and up
        // at b0 = n - 1 only for v = hi, which stays in the last bin.
        // Plain arithmetic rather than selects, which the compiler may turn
        // into branches: s <= n; the last bin is closed; never below 0.
        let s = b0 + up;
        let s = s - usize::from(s == self.n);
        (s - (down & usize::from(s > 0)), inside)
    }

    /// The numbers the AVX-512 binning reads.
    #[cfg(target_arch = "x86_64")]
    fn bins(&self) -> crate::simd::Bins {
        crate::simd::Bins {
            lo: self.lo,
            hi: self.hi,
            scale: self.scale,
            last: self.last,
            n: self.n,
        }
    }

    /// NumPy's bin of `v`, or `None` outside (NaN included).
    #[cfg(test)]
    pub(crate) fn bin(&self, v: f64) -> Option<usize> {
        // Also rejects NaN.
        if !(v >= self.lo && v <= self.hi) {
            return None;
        }
        if v == self.hi {
            return Some(self.n - 1);
        }
        let mut b = (((v - self.lo) * self.scale) as usize).min(self.n - 1);
        // The edges NumPy compares with; the guess is off by at most one.
        if v < self.edges[b] {
            b -= 1;
        } else if v >= self.edges[b + 1] {
            b += 1;
        }
        Some(b)
    }
}

/// Counts per cell of a `width` × `height` grid over `view`, as one `u32`
/// histogram per part of the points (sum them for the counts), and the
/// number of points with a NaN or infinite coordinate (counted a block at a
/// time as the block is binned, while its coordinates are cached: no pass
/// of its own over the points).
pub(crate) fn count_parts(
    x: &[f64],
    y: &[f64],
    view: &View,
    width: usize,
    height: usize,
) -> (Vec<Vec<u32>>, usize) {
    let ax = Axis::new(view.x0, view.x1, width);
    let ay = Axis::new(view.y0, view.y1, height);
    let n = x.len();
    // A part counts at most 2^31 points, so u32 never overflows.
    let min_part = 1usize << 15;
    let parts = crate::threads::num_threads()
        .min(n.div_ceil(min_part))
        .max(n.div_ceil(1 << 31))
        .max(1);
    let per = n.div_ceil(parts);
    let isa = crate::simd::isa();
    let count = |lo: usize, hi: usize| -> (Vec<u32>, usize) {
        let mut h = crate::alloc::pool::take_zeroed_u32(width * height);
        let mut nonfinite = 0;
        for (xs, ys) in x[lo..hi]
            .chunks(COUNT_BLOCK)
            .zip(y[lo..hi].chunks(COUNT_BLOCK))
        {
            count_into_on(isa, xs, ys, &ax, &ay, width, &mut h);
            nonfinite += count_nonfinite_on(isa, xs, ys);
        }
        (h, nonfinite)
    };
    if parts == 1 {
        // One part: counted on the calling thread (no worker to wake).
        let (h, nonfinite) = count(0, n);
        return (vec![h], nonfinite);
    }
    let counted = crate::threads::map(parts, |p| count(p * per, ((p + 1) * per).min(n)));
    let nonfinite = counted.iter().map(|c| c.1).sum();
    (counted.into_iter().map(|c| c.0).collect(), nonfinite)
}

/// Points binned at a time by [`count_parts`] before their non-finite
/// coordinates are counted: 2 x 64 KiB of coordinates, still in L2.
const COUNT_BLOCK: usize = 1 << 13;

crate::simd::dispatch!(fn count_nonfinite_on(x: &[f64], y: &[f64]) -> usize => count_nonfinite_generic);

/// How many of the points `(x[i], y[i])` have a NaN or infinite coordinate.
#[inline(always)]
fn count_nonfinite_generic<S: crate::simd::Simd>(_: S, x: &[f64], y: &[f64]) -> usize {
    x.iter()
        .zip(y)
        .map(|(a, b)| usize::from(!(a.is_finite() & b.is_finite())))
        .sum()
}

/// Adds the points' counts into `h` (row-major, `width` columns), in blocks:
/// first every cell index of a block (arithmetic only), then the increments,
/// so that their cache misses overlap instead of waiting on the arithmetic.
fn count_into(x: &[f64], y: &[f64], ax: &Axis, ay: &Axis, width: usize, h: &mut [u32]) {
    count_into_on(crate::simd::isa(), x, y, ax, ay, width, h);
}

crate::simd::dispatch!(fn count_into_on(
    x: &[f64],
    y: &[f64],
    ax: &Axis,
    ay: &Axis,
    width: usize,
    h: &mut [u32]
) => count_into_widest);

/// [`count_into_generic`], with the cell indices of eight points at a time
/// on the AVX-512 path (`simd::Avx512::hist_cells`: the same operations as
/// [`Axis::bin_fast`]).
#[inline(always)]
fn count_into_widest<S: crate::simd::Simd>(
    s: S,
    x: &[f64],
    y: &[f64],
    ax: &Axis,
    ay: &Axis,
    width: usize,
    h: &mut [u32],
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(v) = s.avx512() {
        if width <= u32::MAX as usize {
            let n = x.len().min(y.len());
            let done = v.hist_cells(x, y, &ax.bins(), &ay.bins(), width, h);
            count_into_generic(&x[done..n], &y[done..n], ax, ay, width, h);
            return;
        }
    }
    #[cfg(target_arch = "x86_64")]
    if S::ISA == crate::simd::Isa::Avx2 && width <= u32::MAX as usize {
        if let Some(v) = crate::simd::Avx2::new() {
            let n = x.len().min(y.len());
            let done = v.hist_cells(x, y, &ax.bins(), &ay.bins(), width, h);
            count_into_generic(&x[done..n], &y[done..n], ax, ay, width, h);
            return;
        }
    }
    let _ = s;
    count_into_generic(x, y, ax, ay, width, h);
}

#[inline(always)]
fn count_into_generic(x: &[f64], y: &[f64], ax: &Axis, ay: &Axis, width: usize, h: &mut [u32]) {
    const BLOCK: usize = 256;
    let mut idx = [0usize; BLOCK];
    let mut add = [0u32; BLOCK];
    for (xs, ys) in x.chunks(BLOCK).zip(y.chunks(BLOCK)) {
        for (k, (&a, &b)) in xs.iter().zip(ys).enumerate() {
            let (c, cin) = ax.bin_fast(a);
            let (r, rin) = ay.bin_fast(b);
            idx[k] = r * width + c;
            // Adds 0 for points outside: no branch.
            add[k] = u32::from(cin & rin);
        }
        for (&i, &v) in idx[..xs.len()].iter().zip(&add) {
            h[i] += v;
        }
    }
}

/// The counts as f64: the parts summed (and returned to the scratch pool).
pub(crate) fn merge_parts(parts: Vec<Vec<u32>>, cells: usize) -> Vec<f64> {
    let mut out = crate::alloc::zeroed(cells);
    for p in &parts {
        for (o, &c) in out.iter_mut().zip(p) {
            *o += f64::from(c);
        }
    }
    release_parts(parts);
    out
}

/// Gives per-thread histograms back to the scratch pool.
pub(crate) fn release_parts(parts: Vec<Vec<u32>>) {
    for p in parts {
        crate::alloc::pool::give_u32(p);
    }
}

/// `numpy.histogram2d(y, x, bins=(height, width), range=[[y0, y1], [x0, x1]])`:
/// counts per cell, `height` rows (y bins ascending) by `width` columns (x
/// bins ascending). Points outside the view, and points with a NaN or
/// infinite coordinate, fall in no bin (the latter are counted in
/// [`Density::nonfinite`]).
///
/// ```
/// use numlab_core::density::{histogram2d, View};
/// let x = [0.0, 0.5, 1.0, 2.0];
/// let y = [0.0, 0.0, 1.0, 0.5];
/// let h = histogram2d(&x, &y, View::new(0.0, 0.0, 1.0, 1.0)?, 2, 2)?;
/// // numpy.histogram2d(y, x, bins=(2, 2), range=[[0, 1], [0, 1]])[0]
/// //   -> [[1, 1], [0, 1]]: 0.5 opens the second x bin, 1.0 closes the last.
/// assert_eq!(h.grid.values, numlab_core::ndarray::array![[1.0, 1.0], [0.0, 1.0]]);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Empty or mismatched x and y; no finite point; zero bins; a grid beyond
/// [`super::MAX_CELLS`].
pub fn histogram2d(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
) -> Result<Density> {
    let pts = Points::lengths(x, y)?;
    check_size(width, height)?;
    let (parts, nonfinite) = count_parts(pts.x, pts.y, &view, width, height);
    let grid = Grid::from_rows(view, width, height, merge_parts(parts, width * height));
    Points::some_finite(x.len(), nonfinite)?;
    Ok(Density { grid, nonfinite })
}

/// A 2-D histogram counted a block of points at a time: the bins and counts
/// of [`histogram2d`] on all the points at once, for inputs that never sit
/// in memory whole (the command line's streaming `numlab density`).
///
/// Give each thread its own counter and [`merge`](Self::merge) them at the
/// end: counts are integers, so neither the order of the blocks nor the
/// order of the merges changes a bit of the result.
///
/// ```
/// use numlab_core::density::{histogram2d, HistogramCounter, View};
/// let (x, y) = ([0.1, 0.6, 0.9, 5.0, f64::NAN], [0.2, 0.2, 0.7, 0.5, 0.5]);
/// let view = View::new(0.0, 0.0, 1.0, 1.0)?;
/// let mut a = HistogramCounter::new(view, 2, 2)?;
/// let mut b = HistogramCounter::new(view, 2, 2)?;
/// a.add(&x[..2], &y[..2])?;
/// b.add(&x[2..], &y[2..])?;
/// a.merge(&b)?;
/// let whole = histogram2d(&x, &y, view, 2, 2)?;
/// let streamed = a.finish()?;
/// assert_eq!(streamed.grid.values, whole.grid.values);
/// assert_eq!(streamed.nonfinite, 1);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HistogramCounter {
    ax: Axis,
    ay: Axis,
    view: View,
    width: usize,
    height: usize,
    /// Counts of the points added since the last spill into `total`.
    counts: Vec<u32>,
    /// Points added to `counts` since then (kept at most `spill_at`, so no
    /// cell can overflow).
    pending: usize,
    /// [`Self::SPILL`] (smaller in the tests, to exercise the spills).
    spill_at: usize,
    /// Spilled counts, exact as f64 up to 2^53 per cell.
    total: Vec<f64>,
    points: usize,
    nonfinite: usize,
}

impl HistogramCounter {
    /// Points counted into the `u32` cells before they are spilled.
    const SPILL: usize = 1 << 31;

    /// An empty `width` × `height` histogram over `view`.
    ///
    /// # Errors
    /// As [`check_size`]: zero bins, or a grid beyond
    /// [`MAX_CELLS`](super::MAX_CELLS).
    pub fn new(view: View, width: usize, height: usize) -> Result<Self> {
        check_size(width, height)?;
        Ok(HistogramCounter {
            ax: Axis::new(view.x0, view.x1, width),
            ay: Axis::new(view.y0, view.y1, height),
            view,
            width,
            height,
            counts: vec![0; width * height],
            pending: 0,
            spill_at: Self::SPILL,
            total: Vec::new(),
            points: 0,
            nonfinite: 0,
        })
    }

    /// Counts the points `(x[i], y[i])`: each in its bin, or in none when it
    /// lies outside the view or has a NaN or infinite coordinate (those are
    /// counted in [`nonfinite`](Self::nonfinite)). Empty blocks are fine.
    ///
    /// # Errors
    /// [`NumlabError::LengthMismatch`](crate::NumlabError::LengthMismatch)
    /// when `x` and `y` differ in length (nothing is counted).
    pub fn add(&mut self, x: &[f64], y: &[f64]) -> Result<()> {
        check::same_len("x", x, "y", y)?;
        self.nonfinite += x
            .iter()
            .zip(y)
            .filter(|(a, b)| !(a.is_finite() && b.is_finite()))
            .count();
        self.points += x.len();
        let piece = self.spill_at.div_ceil(2);
        for (xs, ys) in x.chunks(piece).zip(y.chunks(piece)) {
            if self.pending + xs.len() > self.spill_at {
                self.spill();
            }
            count_into(xs, ys, &self.ax, &self.ay, self.width, &mut self.counts);
            self.pending += xs.len();
        }
        Ok(())
    }

    /// Adds the counts of `other`, a counter of the same grid.
    ///
    /// # Errors
    /// [`NumlabError::InvalidParameter`](crate::NumlabError::InvalidParameter)
    /// on `other` when its view or size differs from this one's.
    pub fn merge(&mut self, other: &HistogramCounter) -> Result<()> {
        if other.view != self.view || other.width != self.width || other.height != self.height {
            return Err(NumlabError::invalid(
                "other",
                (other.width * other.height) as f64,
                "must count the same view and grid size",
            ));
        }
        if self.pending + other.pending > self.spill_at {
            self.spill();
        }
        for (c, &o) in self.counts.iter_mut().zip(&other.counts) {
            *c += o;
        }
        self.pending += other.pending;
        if !other.total.is_empty() {
            self.spill();
            for (t, &o) in self.total.iter_mut().zip(&other.total) {
                *t += o;
            }
        }
        self.points += other.points;
        self.nonfinite += other.nonfinite;
        Ok(())
    }

    /// Points given to [`add`](Self::add) so far (all of them, inside the
    /// view or not).
    pub fn points(&self) -> usize {
        self.points
    }

    /// Points so far with a NaN or infinite coordinate.
    pub fn nonfinite(&self) -> usize {
        self.nonfinite
    }

    /// Moves the `u32` counts into the f64 totals.
    fn spill(&mut self) {
        if self.total.is_empty() {
            self.total = vec![0.0; self.counts.len()];
        }
        for (t, c) in self.total.iter_mut().zip(self.counts.iter_mut()) {
            *t += f64::from(*c);
            *c = 0;
        }
        self.pending = 0;
    }

    /// The histogram: what [`histogram2d`] gives on every point added.
    ///
    /// # Errors
    /// [`NumlabError::TooShort`](crate::NumlabError::TooShort) on `finite
    /// points (x, y)` when no finite point was added, as [`histogram2d`].
    pub fn finish(mut self) -> Result<Density> {
        if self.points == self.nonfinite {
            return Err(NumlabError::TooShort {
                name: "finite points (x, y)",
                len: 0,
                min: 1,
            });
        }
        self.spill();
        let values = ndarray::Array2::from_shape_vec((self.height, self.width), self.total)
            .map_err(|_| {
                NumlabError::invalid("width", self.width as f64, "must match the counts")
            })?;
        Ok(Density {
            grid: Grid::new(self.view, values),
            nonfinite: self.nonfinite,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::density::{histogram2d, HistogramCounter, View};

    /// Blocks of every size, counted by three counters (one of them
    /// spilling every few points) and merged in either order, give
    /// `histogram2d`'s counts of all the points, bit for bit.
    #[test]
    fn counter_blocks_equal_the_whole() {
        let mut state = 0x6869_7374_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let view = View::new(-1.0, -0.5, 1.0, 0.5).unwrap();
        let n = 5000;
        let (mut x, mut y): (Vec<f64>, Vec<f64>) = (0..n)
            .map(|_| (next() * 2.4 - 1.2, next() * 1.2 - 0.6))
            .unzip();
        // Edges, outside, NaN and inf.
        x[..6].copy_from_slice(&[-1.0, 1.0, 0.0, f64::NAN, f64::INFINITY, 2.0]);
        y[..6].copy_from_slice(&[-0.5, 0.5, 0.5, 0.0, 0.0, f64::NEG_INFINITY]);
        let whole = histogram2d(&x, &y, view, 37, 23).unwrap();
        for order in [false, true] {
            let mut c: Vec<HistogramCounter> = (0..3)
                .map(|_| HistogramCounter::new(view, 37, 23).unwrap())
                .collect();
            c[1].spill_at = 7;
            let (mut i, mut k) = (0, 0);
            while i < n {
                let len = (k * 37 % 311).min(n - i);
                c[k % 3].add(&x[i..i + len], &y[i..i + len]).unwrap();
                (i, k) = (i + len, k + 1);
            }
            let (first, rest) = if order { (2, [0, 1]) } else { (0, [1, 2]) };
            let mut all = c[first].clone();
            for r in rest {
                all.merge(&c[r]).unwrap();
            }
            assert_eq!(all.points(), n);
            let got = all.finish().unwrap();
            assert_eq!(got.nonfinite, whole.nonfinite);
            assert_eq!(got.nonfinite, 3);
            assert_eq!(got.grid.values, whole.grid.values);
            assert_eq!(got.grid.view, whole.grid.view);
        }
    }

    /// Refusals: lengths, another grid, no finite point, zero bins.
    #[test]
    fn counter_refusals() {
        let view = View::new(0.0, 0.0, 1.0, 1.0).unwrap();
        let mut c = HistogramCounter::new(view, 4, 4).unwrap();
        assert!(c.add(&[0.5, 0.5], &[0.5]).is_err());
        assert_eq!(c.points(), 0);
        let other = HistogramCounter::new(view, 4, 5).unwrap();
        assert!(c.merge(&other).is_err());
        c.add(&[f64::NAN], &[0.5]).unwrap();
        assert!(c.clone().finish().is_err());
        assert!(HistogramCounter::new(view, 0, 4).is_err());
        c.add(&[0.25], &[0.75]).unwrap();
        let d = c.finish().unwrap();
        assert_eq!(d.grid.values.iter().sum::<f64>(), 1.0);
        assert_eq!(d.grid.values[[3, 1]], 1.0);
    }

    /// The cell counts are the same on every path (AVX-512: eight points'
    /// cells at a time), for points inside, outside, on edges and NaN.
    #[test]
    fn counts_agree_on_every_path() {
        let ax = Axis::new(-1.0, 2.0, 37);
        let ay = Axis::new(0.0, 1.0, 21);
        let n = 3 * 256 + 45;
        let x: Vec<f64> = (0..n)
            .map(|i| match i % 11 {
                0 => f64::NAN,
                1 => 2.0,
                2 => -1.0,
                _ => -1.5 + 4.0 * ((i * 7919) % 1000) as f64 / 1000.0,
            })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| -0.2 + 1.4 * ((i * 104_729) % 997) as f64 / 997.0)
            .collect();
        crate::simd::assert_same_bits_on_every_path("counts", |isa| {
            let mut h = vec![0u32; 37 * 21];
            count_into_on(isa, &x, &y, &ax, &ay, 37, &mut h);
            h
        });
    }
    use super::*;

    #[test]
    fn vector_counts_equal_scalar_counts() {
        // Edges, their neighbours, outside values, NaN and infinities, in
        // more than one block of points (the SIMD path and its remainder).
        let (w, h) = (7, 5);
        let (ax, ay) = (Axis::new(-0.5, 0.5, w), Axis::new(0.1, 0.9, h));
        let pick = |e: &[f64], extra: &[f64]| -> Vec<f64> {
            let mut v: Vec<f64> = e
                .iter()
                .flat_map(|&v| [v, v.next_down(), v.next_up()])
                .collect();
            v.extend_from_slice(extra);
            v
        };
        let extra = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -3.0, 3.0, 0.3];
        let vx = pick(&edges(-0.5, 0.5, w), &extra);
        let vy = pick(&edges(0.1, 0.9, h), &extra);
        let n = 1000;
        let x: Vec<f64> = (0..n).map(|i| vx[(i * 7) % vx.len()]).collect();
        let y: Vec<f64> = (0..n).map(|i| vy[(i * 13 + i / 3) % vy.len()]).collect();
        let mut got = vec![0u32; w * h];
        count_into(&x, &y, &ax, &ay, w, &mut got);
        let mut want = vec![0u32; w * h];
        for (&a, &b) in x.iter().zip(&y) {
            if let (Some(c), Some(r)) = (ax.bin(a), ay.bin(b)) {
                want[r * w + c] += 1;
            }
        }
        assert_eq!(got, want);
    }

    #[test]
    fn axis_matches_searchsorted() {
        let ax = Axis::new(-0.5, 0.5, 10);
        let e = edges(-0.5, 0.5, 10);
        for (i, &v) in e.iter().enumerate() {
            let want = if i == 10 { 9 } else { i };
            assert_eq!(ax.bin(v), Some(want), "edge {i} = {v}");
            if i > 0 {
                let below = v.next_down();
                if below >= -0.5 {
                    assert_eq!(ax.bin(below), Some(i - 1));
                }
            }
        }
        assert_eq!(ax.bin(f64::NAN), None);
        assert_eq!(ax.bin(0.5000000001), None);
        assert_eq!(ax.bin(-0.5000000001), None);
        // The branch-free version agrees everywhere, edges and outside included.
        let mut vals: Vec<f64> = e
            .iter()
            .flat_map(|&v| [v, v.next_down(), v.next_up()])
            .collect();
        vals.extend([
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -3.0,
            3.0,
            0.123456789,
        ]);
        for v in vals {
            let (b, inside) = ax.bin_fast(v);
            assert_eq!(inside.then_some(b), ax.bin(v), "v = {v}");
        }
    }
}
