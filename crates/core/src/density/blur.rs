//! Separable Gaussian blur of a grid, on study 01's kernel and paths.
//!
//! The row pass runs study 01's planned 1-D filter ([`UniformPlan`]: the
//! vectorised direct sum, or overlap-save FFT for long kernels) on every row.
//! The column pass, on the direct path, never transposes: it works on strips
//! of 16 columns and four output rows at once, `out[r][c..c+16] = Σ_k
//! w_k·in[r + k][c..c+16]`, so the inner loop is contiguous SIMD, each strip
//! row loaded serves four outputs, and the strip stays in L1 (a full-width
//! pass would stream every row from L2 once per tap). One fused multiply-add
//! per tap (`f64::mul_add`, one rounding, on every [`crate::simd`] path). On the FFT path the columns are
//! transposed, filtered as rows and transposed back. Rows and row blocks are spread over the threads by size
//! only, so results do not depend on the thread count.
//!
//! The density's blur of the histogram parts (`blur_valid_parts`, direct
//! path) runs columns first, fused, in one parallel pass: the output rows are
//! cut into chunks by size only (one chunk, on the calling thread, for grids
//! up to 128 x 128 cells); a chunk's column pass reads the u32 counts of the
//! parts, sums them exactly and writes the chunk's column results into a
//! pooled buffer, and its row pass (the operations of study 01's direct sum,
//! called directly, not as a nested parallel pass) writes the output rows.
//! The column pass has explicit kernels: AVX-512 (`simd/x86/avx512.rs`,
//! bands of four rows, strips of 16 columns) and AVX2
//! (`simd/x86/avx2_density.rs`: strips of 8 columns, eight accumulators in
//! the sixteen registers, the columns in panels of 64 so the rows that
//! successive bands share stay cached); both do per cell the generic code's
//! fused multiply-adds in its order, so every path gives the same bits. On
//! the AVX2 path a chunk's full bands of four rows take one fused kernel
//! instead (`simd/x86/avx2_blur.rs`: the column pass converts each count
//! once per panel and keeps the band's rows interleaved, so that the row
//! pass can share its loads between neighbouring columns), with the same
//! operations per cell. The output is written once, chunk by chunk, never
//! zeroed first (`simd::vec_written_by`).

use crate::error::{check, NumlabError, Result};
use crate::simd::{self, Simd};
use crate::smoothing::{source_index, Cutoff, EdgeMode, Kernel, Method, UniformPlan};
use crate::threads;
use ndarray::{Array2, ArrayView2};

/// A separable Gaussian blur planned once: sigma in cells (the same in x and
/// y), the kernel cut at `int(truncate·sigma + 0.5)` cells as in SciPy.
#[derive(Debug, Clone)]
pub struct GridBlur {
    plan: UniformPlan,
    sigma: f64,
    truncate: f64,
    radius: usize,
    /// Planned by `Auto`: lines shorter than 4x the kernel take the direct sum.
    auto: bool,
}

impl GridBlur {
    /// Plans the blur. `method`: `Auto` (direct sum up to 81 taps, FFT
    /// beyond, as study 01, and the direct sum along lines shorter than four
    /// kernels, where one FFT block would be mostly padding), `Direct` or `Fft`.
    ///
    /// # Errors
    /// sigma or truncate not finite or <= 0; a kernel radius beyond 2^26
    /// cells; `Sliding` or `Recursive` (1-D only).
    pub fn new(sigma: f64, truncate: f64, method: Method) -> Result<Self> {
        check::positive("sigma", sigma)?;
        let cutoff = Cutoff::Truncate(truncate).validate()?;
        if matches!(method, Method::Sliding | Method::Recursive) {
            return Err(NumlabError::Unsupported(format!(
                "method {method} is not offered for grids: use auto, direct or fft"
            )));
        }
        let radius = cutoff.radius(sigma)?;
        let plan = UniformPlan::new(Kernel::symmetric(sigma, radius)?, method)?;
        Ok(GridBlur {
            plan,
            sigma,
            truncate,
            radius,
            auto: method == Method::Auto,
        })
    }

    /// Sigma in cells.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Where the kernel is cut, in sigmas.
    pub fn truncate(&self) -> f64 {
        self.truncate
    }

    /// The kernel radius in cells (taps = 2·radius + 1).
    pub fn radius(&self) -> usize {
        self.radius
    }

    /// The method that runs (`Direct` or `Fft`).
    pub fn method(&self) -> Method {
        self.plan.method()
    }

    /// The sampled 1-D kernel (normalised to sum 1).
    pub fn kernel(&self) -> &Kernel {
        self.plan.kernel()
    }

    /// The valid part of the blur of a `(height, width)` array: the
    /// `(height - 2R, width - 2R)` cells whose whole window lies in the
    /// input, R = [`radius`](Self::radius). Any layout (a transposed or
    /// strided view is read row by row, never copied whole).
    ///
    /// # Errors
    /// An array no larger than 2R in either direction.
    pub fn blur_valid(&self, values: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let (height, width) = values.dim();
        let out = match values.as_slice() {
            Some(flat) => self.valid(width, height, |row, buf| {
                buf.copy_from_slice(&flat[row * width..(row + 1) * width])
            })?,
            None => self.valid(width, height, |row, buf| {
                for (b, &v) in buf.iter_mut().zip(values.row(row)) {
                    *b = v;
                }
            })?,
        };
        let r = 2 * self.radius;
        Ok(Array2::from_shape_vec((height - r, width - r), out)
            .expect("the valid part has (height - 2R, width - 2R) cells"))
    }

    /// The valid part of the blur of a `(height, width)` grid of integer
    /// counts, with the bits of [`gaussian_density`](super::gaussian_density)
    /// for the same counts (however they were summed: a caller that counts
    /// points a batch at a time, in bounded memory, gets the whole-array
    /// result). Any layout.
    ///
    /// # Errors
    /// As [`blur_valid`](Self::blur_valid): a grid no larger than 2R in
    /// either direction.
    pub fn blur_valid_counts(&self, counts: Array2<u32>) -> Result<Array2<f64>> {
        let (height, width) = counts.dim();
        let len = counts.len();
        let flat: Vec<u32> = if counts.is_standard_layout() {
            // Row-major already: the buffer itself, or the part of it an
            // owned array cut from a larger one uses.
            match counts.into_raw_vec_and_offset() {
                (v, Some(0)) if v.len() == len => v,
                (v, Some(o)) if o + len <= v.len() => v[o..o + len].to_vec(),
                _ => Vec::new(),
            }
        } else {
            counts.iter().copied().collect()
        };
        let out = self.blur_valid_parts(std::slice::from_ref(&flat), width, height)?;
        let r = 2 * self.radius;
        Array2::from_shape_vec((height - r, width - r), out).map_err(|_| NumlabError::TooShort {
            name: "grid side (cells)",
            len: width.min(height),
            min: r + 1,
        })
    }

    /// [`blur_valid`](Self::blur_valid) of the sum of integer histograms
    /// (summed row by row as the row pass loads them).
    pub(crate) fn blur_valid_parts(
        &self,
        parts: &[Vec<u32>],
        width: usize,
        height: usize,
    ) -> Result<Vec<f64>> {
        let r = self.plan.kernel().left;
        if width <= 2 * r || height <= 2 * r {
            return Err(NumlabError::TooShort {
                name: "grid side (cells)",
                len: if width <= 2 * r { width } else { height },
                min: 2 * r + 1,
            });
        }
        // The route depends on the plan and the grid only, never on the CPU
        // or the number of parts (threads), so every path gives the same bits.
        if self.plan.method() != Method::Fft && width > 2 * self.radius && !parts.is_empty() {
            let isa = simd::isa();
            if parts.len() <= 4 {
                return Ok(columns_first_parts(isa, &self.plan, parts, width, height));
            }
            // More parts than the fused kernel takes: their exact sum as one
            // part (the two-pass route below only if a cell overflows u32).
            if let Some(sum) = sum_parts(parts) {
                return Ok(columns_first_parts(isa, &self.plan, &[sum], width, height));
            }
        }
        self.valid(width, height, |row, buf| {
            let base = row * width;
            buf.fill(0.0);
            for p in parts {
                for (b, &c) in buf.iter_mut().zip(&p[base..base + width]) {
                    *b += f64::from(c);
                }
            }
        })
    }

    fn valid<F>(&self, width: usize, height: usize, load_row: F) -> Result<Vec<f64>>
    where
        F: Fn(usize, &mut [f64]) + Sync,
    {
        separable_valid(&self.plan, &self.plan, width, height, self.auto, load_row)
    }
}

/// The valid part of a separable correlation: every row of the `width` ×
/// `height` input (delivered by `load_row(row, buf)`) filtered by `plan_x`,
/// then every column by `plan_y` (both symmetric kernels); the output is
/// `(width - 2·rx)` × `(height - 2·ry)`, r the kernels' radii. With
/// `short_direct`, lines shorter than four kernels take the direct sum
/// whatever the plans say.
pub(crate) fn separable_valid<F>(
    plan_x: &UniformPlan,
    plan_y: &UniformPlan,
    width: usize,
    height: usize,
    short_direct: bool,
    load_row: F,
) -> Result<Vec<f64>>
where
    F: Fn(usize, &mut [f64]) + Sync,
{
    let (rx, ry) = (plan_x.kernel().left, plan_y.kernel().left);
    let direct_x = short_direct && width < 4 * plan_x.kernel().len();
    let direct_y = short_direct && height < 4 * plan_y.kernel().len();
    if width <= 2 * rx || height <= 2 * ry {
        return Err(NumlabError::TooShort {
            name: "grid side (cells)",
            len: if width <= 2 * rx { width } else { height },
            min: 2 * rx.max(ry) + 1,
        });
    }
    let (w, h) = (width - 2 * rx, height - 2 * ry);
    // Row pass: height rows of w outputs (every value written: a pooled buffer).
    let mut rows = crate::alloc::pool::take_f64(height * w);
    let rows_per_chunk = (1usize << 16).div_ceil(width).max(1);
    threads::for_each_chunk(&mut rows, rows_per_chunk * w, |start, part| {
        let mut buf = vec![0.0; width];
        for (k, out) in part.chunks_mut(w).enumerate() {
            load_row(start / w + k, &mut buf);
            plan_x.correlate_valid(&buf, out, direct_x);
        }
    });
    // Column pass.
    let mut out = crate::alloc::zeroed(h * w);
    if plan_y.method() == Method::Fft && !direct_y {
        let t = transpose(&rows, height, w);
        let mut tout = crate::alloc::zeroed(w * h);
        let cols_per_chunk = (1usize << 16).div_ceil(height).max(1);
        threads::for_each_chunk(&mut tout, cols_per_chunk * h, |start, part| {
            for (k, o) in part.chunks_mut(h).enumerate() {
                let c = start / h + k;
                plan_y.correlate_valid(&t[c * height..(c + 1) * height], o, false);
            }
        });
        out = transpose(&tout, w, h);
    } else {
        let weights = &plan_y.kernel().weights;
        let out_rows_per_chunk =
            ((1usize << 15).div_ceil(w * weights.len()).max(1)).next_multiple_of(ROWS_AT_ONCE);
        threads::for_each_chunk(&mut out, out_rows_per_chunk * w, |start, part| {
            vertical_dispatch(&rows, w, start / w, weights, part);
        });
    }
    crate::alloc::pool::give_f64(rows);
    Ok(out)
}

/// The cell-by-cell sum of the parts, or `None` if a cell's count
/// overflows u32.
fn sum_parts(parts: &[Vec<u32>]) -> Option<Vec<u32>> {
    let (first, rest) = parts.split_first()?;
    let mut sum = first.clone();
    for p in rest {
        for (s, &c) in sum.iter_mut().zip(p) {
            *s = s.checked_add(c)?;
        }
    }
    Some(sum)
}

/// The valid blur of the sum of integer histograms, columns first and fused:
/// the output rows are cut into chunks (by size only); for each chunk the
/// column pass reads the counts straight from the parts (summed and
/// converted to f64 as loaded, no f64 copy of the grid) into a chunk buffer,
/// and the row pass turns that buffer into the chunk's output rows. No
/// full-size intermediate grid is written or read back. Every output cell is
/// computed by the same operations whatever the chunking, so results do not
/// depend on the thread count. The plan must be symmetric and direct (the
/// row pass is the direct sum, [`row_pass_generic`]).
///
/// One parallel pass, and none when the whole blur is one chunk (grids up
/// to [`SERIAL_MAX_CELLS`] output cells): then it runs on the calling thread,
/// which on these small grids costs less than waking a second one.
fn columns_first_parts(
    isa: simd::Isa,
    plan: &UniformPlan,
    parts: &[Vec<u32>],
    width: usize,
    height: usize,
) -> Vec<f64> {
    let r = plan.kernel().left;
    let (w, h) = (width - 2 * r, height - 2 * r);
    let weights = &plan.kernel().weights;
    let out_rows_per_chunk = if h * w <= SERIAL_MAX_CELLS {
        h
    } else {
        // 2^16 output cells a chunk (64 rows of 1024: the halo of 2R rows
        // each chunk's column pass also reads is a smaller share than with
        // 32), and at least four chunks.
        (1usize << 16).div_ceil(w).min(h.div_ceil(4)).max(1)
    }
    .next_multiple_of(ROWS_AT_ONCE);
    let chunk = |start: usize, part: &mut [f64]| {
        let row0 = start / w;
        let n_rows = part.len() / w;
        // The AVX2 path blurs the full bands of four rows in one fused
        // kernel (`simd::Avx2::blur_bands`); the rest (every row on the
        // other paths) takes the column pass, then the row pass.
        let mut done = 0;
        #[cfg(target_arch = "x86_64")]
        if isa == simd::Isa::Avx2 {
            if let Some(v) = simd::Avx2::new() {
                let mut scratch = crate::alloc::pool::take_f64(simd::blur_bands_scratch(
                    n_rows,
                    width,
                    weights.len(),
                ));
                done = match parts {
                    [a] => v.blur_bands([a], width, row0, weights, part, &mut scratch),
                    [a, b] => v.blur_bands([a, b], width, row0, weights, part, &mut scratch),
                    [a, b, c] => v.blur_bands([a, b, c], width, row0, weights, part, &mut scratch),
                    [a, b, c, d] => {
                        v.blur_bands([a, b, c, d], width, row0, weights, part, &mut scratch)
                    }
                    _ => unreachable!("one to four parts, checked by the caller"),
                };
                crate::alloc::pool::give_f64(scratch);
            }
        }
        if done == n_rows {
            return;
        }
        let (row0, part) = (row0 + done, &mut part[done * w..]);
        let n_rows = n_rows - done;
        let mut cols = crate::alloc::pool::take_f64(n_rows * width);
        match parts {
            [a] => column_pass_on(isa, [a], width, row0, weights, &mut cols),
            [a, b] => column_pass_on(isa, [a, b], width, row0, weights, &mut cols),
            [a, b, c] => column_pass_on(isa, [a, b, c], width, row0, weights, &mut cols),
            [a, b, c, d] => column_pass_on(isa, [a, b, c, d], width, row0, weights, &mut cols),
            _ => unreachable!("one to four parts, checked by the caller"),
        }
        row_pass_on(isa, &cols, width, plan.kernel(), part);
        crate::alloc::pool::give_f64(cols);
    };
    // The output is written once, never zeroed first (a pass over 8 MB on
    // one thread for a 1024 x 1024 grid): each chunk is blurred into a
    // pooled buffer and copied into its unwritten part of the output
    // (`simd::vec_written_by`), while it is still cached.
    let chunk_len = out_rows_per_chunk * w;
    let (out, ()) = simd::vec_written_by(h * w, |all| {
        let mut items = Vec::new();
        let (mut rest, mut start) = (all, 0);
        while rest.remaining() > chunk_len {
            let (a, b) = rest.split_at(chunk_len);
            items.push((start, Some(a), None));
            (rest, start) = (b, start + chunk_len);
        }
        items.push((start, Some(rest), None));
        let run = |item: &mut ChunkSlots<'_>| fill_chunk(item, &chunk);
        if let [one] = &mut items[..] {
            run(one);
        } else {
            threads::for_each_item(&mut items, run);
        }
        let all = items
            .into_iter()
            .filter_map(|(_, _, written)| written)
            .reduce(|a, b| a.join(b))
            .expect("at least one chunk");
        (all, ())
    });
    out
}

/// A chunk of the output: its first index, its unwritten part, then the
/// receipt for that part once written.
type ChunkSlots<'id> = (
    usize,
    Option<simd::Slots<'id, f64>>,
    Option<simd::Written<'id>>,
);

/// Runs `chunk(start, buf)` for the chunk's part into a pooled buffer and
/// copies that into the part, keeping the receipt.
fn fill_chunk<'id>(item: &mut ChunkSlots<'id>, chunk: &impl Fn(usize, &mut [f64])) {
    let mut slots = item.1.take().expect("each chunk is blurred once");
    let len = slots.remaining();
    // From a cache-line boundary (8 f64), so that the kernels' vector
    // stores of rows that start there do not straddle two lines.
    let mut buf = crate::alloc::pool::take_f64(len + 8);
    let skip = buf.as_ptr().align_offset(64).min(8);
    let part = &mut buf[skip..skip + len];
    chunk(item.0, part);
    slots.push_slice(part);
    crate::alloc::pool::give_f64(buf);
    item.2 = Some(slots.finish());
}

/// Output grids up to this many cells (128 x 128) are blurred on the calling
/// thread in one chunk: there waking a worker costs more than the half of
/// the work it would take. (The 256 x 256 density of the benchmarks is
/// faster on two threads when the second core is free: 0.56 ms against
/// 0.87 ms, 2026-12-08, AVX2.)
const SERIAL_MAX_CELLS: usize = 1 << 14;

simd::dispatch!(fn column_pass_on<const P: usize>(
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64]
) => column_pass_widest);

/// The column pass of output rows `row0..` (as many as `out` holds, rows of
/// `w`) on the sum of the parts: by the AVX2 kernel on that path
/// (`simd::Avx2::column_strips`, every full band of four rows, panel by
/// panel), then band by band by [`vertical_parts_widest`]. The same
/// operations per cell on every path.
#[inline(always)]
fn column_pass_widest<S: Simd, const P: usize>(
    s: S,
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) {
    let n_rows = out.len() / w;
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    if S::ISA == simd::Isa::Avx2 {
        if let Some(v) = simd::Avx2::new() {
            i = v.column_strips(parts, w, row0, weights, &mut out[..n_rows * w]);
        }
    }
    while i < n_rows {
        let rows = ROWS_AT_ONCE.min(n_rows - i);
        vertical_parts_widest(
            s,
            parts,
            w,
            row0 + i,
            weights,
            &mut out[i * w..(i + rows) * w],
        );
        i += rows;
    }
}

simd::dispatch!(fn row_pass_on(src: &[f64], width: usize, kernel: &Kernel, out: &mut [f64]) => row_pass_generic);

/// The row pass: each row of `src` (rows of `width`) correlated with the
/// symmetric `kernel` into the matching row of `out` (rows of `width - 2r`),
/// by the operations of study 01's direct sum (`smoothing::direct`):
/// `out[i] = w_0·x[c] + Σ_{k=1..r} w_k·(x[c-k] + x[c+k])`, c = i + r, one
/// `mul_add` per k in ascending order, blocks of 32 outputs in registers.
#[inline(always)]
fn row_pass_generic<S: Simd>(_: S, src: &[f64], width: usize, kernel: &Kernel, out: &mut [f64]) {
    const BLOCK: usize = 32;
    let r = kernel.left;
    let wts = &kernel.weights[r..];
    let n = width - 2 * r;
    for (ext, out) in src.chunks_exact(width).zip(out.chunks_exact_mut(n)) {
        let mut i = 0;
        while i + BLOCK <= n {
            let mut acc = [0.0f64; BLOCK];
            let centre = &ext[i + r..i + r + BLOCK];
            for l in 0..BLOCK {
                acc[l] = wts[0] * centre[l];
            }
            for k in 1..=r {
                let lo = &ext[i + r - k..i + r - k + BLOCK];
                let hi = &ext[i + r + k..i + r + k + BLOCK];
                let wk = wts[k];
                for l in 0..BLOCK {
                    acc[l] = f64::mul_add(wk, lo[l] + hi[l], acc[l]);
                }
            }
            out[i..i + BLOCK].copy_from_slice(&acc);
            i += BLOCK;
        }
        for (o, idx) in out[i..].iter_mut().zip(i..) {
            let c = idx + r;
            let mut acc = wts[0] * ext[c];
            for k in 1..=r {
                acc = f64::mul_add(wts[k], ext[c - k] + ext[c + k], acc);
            }
            *o = acc;
        }
    }
}

/// [`vertical_parts`] for one band of at most [`ROWS_AT_ONCE`] output rows,
/// by the AVX-512 kernel for full bands where the path has it
/// (`simd::Avx512::column_strips`: the same operations in the same order,
/// the accumulators in registers).
#[inline(always)]
fn vertical_parts_widest<S: Simd, const P: usize>(
    s: S,
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(v) = s.avx512() {
        if v.column_strips(parts, w, row0, weights, out) {
            return;
        }
    }
    let _ = s;
    vertical_parts(parts, w, row0, weights, out);
}

/// `STRIP` counts of row `row` from column `col` (`width` of them, the rest
/// zero), the parts summed in f64 (exact: integers below 2^53).
#[inline(always)]
fn load_counts<const P: usize>(parts: [&Vec<u32>; P], base: usize, width: usize) -> [f64; STRIP] {
    let mut x = [0.0f64; STRIP];
    if width == STRIP {
        let p0 = &parts[0][base..base + STRIP];
        for l in 0..STRIP {
            x[l] = f64::from(p0[l]);
        }
        for p in &parts[1..] {
            let p = &p[base..base + STRIP];
            for l in 0..STRIP {
                x[l] += f64::from(p[l]);
            }
        }
    } else {
        for p in &parts {
            for l in 0..width {
                x[l] += f64::from(p[base + l]);
            }
        }
    }
    x
}

/// [`vertical`] on the sum of `u32` parts (`w` columns each): output rows
/// `row0..` of the column pass into `out` (rows of `w`).
#[inline(always)]
fn vertical_parts<const P: usize>(
    parts: [&Vec<u32>; P],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) {
    let taps = weights.len();
    let rows = out.len() / w;
    let mut col = 0;
    while col < w {
        let width = STRIP.min(w - col);
        let mut acc = [[0.0f64; STRIP]; ROWS_AT_ONCE];
        if rows == ROWS_AT_ONCE && taps >= ROWS_AT_ONCE {
            for m in 0..ROWS_AT_ONCE - 1 {
                let x = load_counts(parts, (row0 + m) * w + col, width);
                for o in 0..=m {
                    let wk = weights[m - o];
                    for l in 0..STRIP {
                        acc[o][l] = f64::mul_add(wk, x[l], acc[o][l]);
                    }
                }
            }
            for m in ROWS_AT_ONCE - 1..taps {
                let x = load_counts(parts, (row0 + m) * w + col, width);
                let (w0, w1, w2, w3) = (weights[m], weights[m - 1], weights[m - 2], weights[m - 3]);
                for l in 0..STRIP {
                    acc[0][l] = f64::mul_add(w0, x[l], acc[0][l]);
                    acc[1][l] = f64::mul_add(w1, x[l], acc[1][l]);
                    acc[2][l] = f64::mul_add(w2, x[l], acc[2][l]);
                    acc[3][l] = f64::mul_add(w3, x[l], acc[3][l]);
                }
            }
            for m in taps..taps + ROWS_AT_ONCE - 1 {
                let x = load_counts(parts, (row0 + m) * w + col, width);
                for o in m + 1 - taps..ROWS_AT_ONCE {
                    let wk = weights[m - o];
                    for l in 0..STRIP {
                        acc[o][l] = f64::mul_add(wk, x[l], acc[o][l]);
                    }
                }
            }
        } else {
            for (o, a) in acc.iter_mut().enumerate().take(rows) {
                for (k, &wk) in weights.iter().enumerate() {
                    let x = load_counts(parts, (row0 + o + k) * w + col, width);
                    for l in 0..STRIP {
                        a[l] = f64::mul_add(wk, x[l], a[l]);
                    }
                }
            }
        }
        for (o, a) in acc.iter().enumerate().take(rows) {
            out[o * w + col..o * w + col + width].copy_from_slice(&a[..width]);
        }
        col += width;
    }
}

/// `src` (`rows` × `cols`) transposed to `cols` × `rows`, in cache blocks.
fn transpose(src: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut dst = crate::alloc::zeroed(rows * cols);
    const B: usize = 32;
    for r0 in (0..rows).step_by(B) {
        for c0 in (0..cols).step_by(B) {
            for r in r0..(r0 + B).min(rows) {
                for c in c0..(c0 + B).min(cols) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
        }
    }
    dst
}

pub(crate) fn vertical_dispatch(
    src: &[f64],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) {
    vertical_on(simd::isa(), src, w, row0, weights, out);
}

simd::dispatch!(fn vertical_on(src: &[f64], w: usize, row0: usize, weights: &[f64], out: &mut [f64]) => vertical_generic);

#[inline(always)]
fn vertical_generic<S: Simd>(
    _: S,
    src: &[f64],
    w: usize,
    row0: usize,
    weights: &[f64],
    out: &mut [f64],
) {
    vertical(src, w, row0, weights, out);
}

/// Columns per strip of the column pass: a strip of (taps + 3) rows stays in
/// L1 for every kernel up to ~300 taps.
const STRIP: usize = 16;
/// Output rows computed together: each strip row loaded is used by all of them.
const ROWS_AT_ONCE: usize = 4; // the main loop of `vertical` names four rows
                               // `simd::Avx512::column_strips` is written for these two.
const _: () = assert!(STRIP == 16 && ROWS_AT_ONCE == 4);

/// Output rows `row0..` of the column pass, `out[i][c] = Σ_k w_k·src[row0 + i + k][c]`,
/// by strips of [`STRIP`] columns and [`ROWS_AT_ONCE`] output rows held in
/// registers, so every loaded strip row serves four outputs and the strip
/// (taps + 3 rows of 128 bytes) stays in L1.
#[inline(always)]
fn vertical(src: &[f64], w: usize, row0: usize, weights: &[f64], out: &mut [f64]) {
    let taps = weights.len();
    let n_rows = out.len() / w;
    let mut col = 0;
    while col < w {
        let width = STRIP.min(w - col);
        let mut i = 0;
        while i < n_rows {
            let rows = ROWS_AT_ONCE.min(n_rows - i);
            let mut acc = [[0.0f64; STRIP]; ROWS_AT_ONCE];
            if width == STRIP && rows == ROWS_AT_ONCE && taps >= ROWS_AT_ONCE {
                // Ramp-up rows feed outputs 0..=m only, ramp-down rows the
                // last ones; the middle rows feed all four, without branches.
                for m in 0..ROWS_AT_ONCE - 1 {
                    let base = (row0 + i + m) * w + col;
                    let x = &src[base..base + STRIP];
                    for o in 0..=m {
                        let wk = weights[m - o];
                        for l in 0..STRIP {
                            acc[o][l] = f64::mul_add(wk, x[l], acc[o][l]);
                        }
                    }
                }
                for m in ROWS_AT_ONCE - 1..taps {
                    let base = (row0 + i + m) * w + col;
                    let x = &src[base..base + STRIP];
                    let (w0, w1, w2, w3) =
                        (weights[m], weights[m - 1], weights[m - 2], weights[m - 3]);
                    for l in 0..STRIP {
                        acc[0][l] = f64::mul_add(w0, x[l], acc[0][l]);
                        acc[1][l] = f64::mul_add(w1, x[l], acc[1][l]);
                        acc[2][l] = f64::mul_add(w2, x[l], acc[2][l]);
                        acc[3][l] = f64::mul_add(w3, x[l], acc[3][l]);
                    }
                }
                for m in taps..taps + ROWS_AT_ONCE - 1 {
                    let base = (row0 + i + m) * w + col;
                    let x = &src[base..base + STRIP];
                    for o in m + 1 - taps..ROWS_AT_ONCE {
                        let wk = weights[m - o];
                        for l in 0..STRIP {
                            acc[o][l] = f64::mul_add(wk, x[l], acc[o][l]);
                        }
                    }
                }
            } else {
                for (o, a) in acc.iter_mut().enumerate().take(rows) {
                    for (k, &wk) in weights.iter().enumerate() {
                        let base = (row0 + i + o + k) * w + col;
                        for l in 0..width {
                            a[l] = f64::mul_add(wk, src[base + l], a[l]);
                        }
                    }
                }
            }
            for (o, a) in acc.iter().enumerate().take(rows) {
                out[(i + o) * w + col..(i + o) * w + col + width].copy_from_slice(&a[..width]);
            }
            i += rows;
        }
        col += width;
    }
}

/// `scipy.ndimage.gaussian_filter(values, sigma, mode=mode, cval=cval,
/// truncate=truncate)` of a 2-D array (sigma in cells along both axes): the
/// array extended by `mode` on every side (study 01's [`source_index`]),
/// then blurred; the result has the input's shape, in standard layout. Any
/// layout in (a transposed view gives the transpose of the filter of the
/// original, as in SciPy). `Renormalize` is refused (it is a 1-D
/// regression).
///
/// ```
/// use numlab_core::density::gaussian_filter2d;
/// use numlab_core::ndarray::Array2;
/// use numlab_core::smoothing::EdgeMode;
/// let a = Array2::from_shape_fn((3, 4), |(r, c)| (r * 4 + c) as f64);
/// let f = gaussian_filter2d(a.t(), 1.0, 4.0, EdgeMode::Reflect, 0.0)?;
/// assert_eq!(f.dim(), (4, 3));
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// Bad sigma, truncate or cval; an empty array; mode `renormalize`.
pub fn gaussian_filter2d(
    values: ArrayView2<'_, f64>,
    sigma: f64,
    truncate: f64,
    mode: EdgeMode,
    cval: f64,
) -> Result<Array2<f64>> {
    let (height, width) = values.dim();
    check::finite("cval", cval)?;
    if mode == EdgeMode::Renormalize {
        return Err(NumlabError::Unsupported(
            "mode renormalize is not offered for grids: use reflect, mirror, nearest, wrap or constant".into(),
        ));
    }
    if width == 0 || height == 0 {
        return Err(NumlabError::TooShort {
            name: "values (rows and columns)",
            len: 0,
            min: 1,
        });
    }
    let blur = GridBlur::new(sigma, truncate, Method::Auto)?;
    let r = blur.radius() as isize;
    super::check_padded(width, height, r as usize, "sigma", sigma, truncate, "px")?;
    let (we, he) = (width + 2 * r as usize, height + 2 * r as usize);
    let mut ext = vec![0.0; we * he];
    for (i, row) in ext.chunks_mut(we).enumerate() {
        let sr = source_index(i as isize - r, height, mode);
        for (j, v) in row.iter_mut().enumerate() {
            let sc = source_index(j as isize - r, width, mode);
            *v = match (sr, sc) {
                (Some(a), Some(b)) => values[[a, b]],
                _ => cval,
            };
        }
    }
    blur.blur_valid(ArrayView2::from_shape((he, we), &ext).expect("extended shape"))
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use crate::simd::assert_same_bits_on_every_path;

    /// Both column passes give the scalar bits on every path, on full bands
    /// of four rows, short bands and narrow last strips.
    #[test]
    fn column_passes_agree_on_every_path() {
        let weights: Vec<f64> = (0..9)
            .map(|k| 1.0 / (1.0 + (k as f64 - 4.0).powi(2)))
            .collect();
        for (w, rows) in [
            (37, 4),
            (32, 4),
            (5, 3),
            (16, 1),
            (150, 11),
            (67, 8),
            (8, 5),
        ] {
            let h = rows + weights.len() - 1;
            let src: Vec<f64> = (0..w * h)
                .map(|i| ((i * 7919) % 1013) as f64 / 7.0)
                .collect();
            assert_same_bits_on_every_path(&format!("vertical {w}x{rows}"), |isa| {
                let mut out = vec![0.0; w * rows];
                vertical_on(isa, &src, w, 0, &weights, &mut out);
                out
            });
            let a: Vec<u32> = (0..w * h).map(|i| ((i * 31) % 17) as u32).collect();
            let b: Vec<u32> = (0..w * h).map(|i| ((i * 13) % 5) as u32).collect();
            let want = assert_same_bits_on_every_path(&format!("parts {w}x{rows}"), |isa| {
                let mut out = vec![0.0; w * rows];
                column_pass_on(isa, [&a, &b], w, 0, &weights, &mut out);
                out
            });
            // The sum of the parts through the f64 column pass: the same bits.
            let sum: Vec<f64> = a
                .iter()
                .zip(&b)
                .map(|(&x, &y)| f64::from(x) + f64::from(y))
                .collect();
            let mut out = vec![0.0; w * rows];
            vertical_on(crate::simd::Isa::Scalar, &sum, w, 0, &weights, &mut out);
            assert_eq!(out, want);
        }
    }

    /// The fused blur of count parts (on AVX2 its own kernel,
    /// `simd::Avx2::blur_bands`: band-interleaved columns, panels, the
    /// narrow last strip, the last output columns one at a time, rows left
    /// over after the full bands) gives the scalar bits on every path, for
    /// one to four parts and kernels of odd and even radius.
    #[test]
    fn fused_blur_agrees_on_every_path() {
        for (sigma, width, height, n_parts) in [
            (1.5, 23, 19, 1),
            (2.0, 150, 41, 2),
            (3.0, 227, 70, 3),
            (1.0, 13, 30, 4),
            (2.5, 109, 29, 2),
            (0.8, 40, 13, 1),
        ] {
            let plan = UniformPlan::new(
                Kernel::symmetric(sigma, (4.0 * sigma + 0.5) as usize).unwrap(),
                Method::Direct,
            )
            .unwrap();
            let parts: Vec<Vec<u32>> = (0..n_parts)
                .map(|p| {
                    (0..width * height)
                        .map(|i| (((i + 7 * p) * 7919) % 13) as u32 * (p as u32 + 1))
                        .collect()
                })
                .collect();
            let got = assert_same_bits_on_every_path(
                &format!("fused {width}x{height} {n_parts}"),
                |isa| columns_first_parts(isa, &plan, &parts, width, height),
            );
            // The two passes one after the other on the summed counts: the same bits.
            let sum: Vec<f64> = (0..width * height)
                .map(|i| parts.iter().map(|p| f64::from(p[i])).sum())
                .collect();
            let r = plan.kernel().left;
            let (w, h) = (width - 2 * r, height - 2 * r);
            let mut cols = vec![0.0; h * width];
            vertical_on(
                crate::simd::Isa::Scalar,
                &sum,
                width,
                0,
                &plan.kernel().weights,
                &mut cols,
            );
            let mut want = vec![0.0; h * w];
            for (row, o) in want.chunks_mut(w).enumerate() {
                plan.correlate_valid(&cols[row * width..(row + 1) * width], o, true);
            }
            assert_eq!(got, want, "{width}x{height}");
        }
    }

    /// The row pass gives the bits of study 01's direct sum (the row pass
    /// it replaced) on every path, rows long and short.
    #[test]
    fn row_pass_is_the_direct_sum_on_every_path() {
        let plan = UniformPlan::new(Kernel::symmetric(3.0, 12).unwrap(), Method::Direct).unwrap();
        for width in [25, 26, 57, 100, 331] {
            let rows = 3;
            let src: Vec<f64> = (0..width * rows)
                .map(|i| ((i * 7919) % 1013) as f64 / 7.0)
                .collect();
            let n = width - 24;
            let got = assert_same_bits_on_every_path(&format!("rows {width}"), |isa| {
                let mut out = vec![0.0; n * rows];
                row_pass_on(isa, &src, width, plan.kernel(), &mut out);
                out
            });
            let mut want = vec![0.0; n * rows];
            for (r, o) in want.chunks_mut(n).enumerate() {
                plan.correlate_valid(&src[r * width..(r + 1) * width], o, true);
            }
            assert_eq!(got, want);
        }
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;

    /// One count in the middle of the grid blurs to the outer product of
    /// the kernel's weights; the same counts in a transposed (non-standard)
    /// array give the transposed result, bit for bit.
    #[test]
    fn counts_blur_to_the_kernel_and_any_layout_agrees() {
        let blur = GridBlur::new(1.5, 4.0, Method::Direct).unwrap();
        let r = blur.radius();
        let (h, w) = (2 * r + 5, 2 * r + 9);
        let mut counts = Array2::<u32>::zeros((h, w));
        counts[[r + 2, r + 4]] = 3;
        let out = blur.blur_valid_counts(counts.clone()).unwrap();
        assert_eq!(out.dim(), (5, 9));
        let k = &blur.kernel().weights;
        for ((i, j), &v) in out.indexed_iter() {
            // Output (i, j) sees the count at offset (2 - i, 4 - j) of its window.
            let (di, dj) = (r as isize + 2 - i as isize, r as isize + 4 - j as isize);
            let expect =
                if (0..k.len() as isize).contains(&di) && (0..k.len() as isize).contains(&dj) {
                    3.0 * k[di as usize] * k[dj as usize]
                } else {
                    0.0
                };
            assert!(
                (v - expect).abs() <= 1e-15,
                "({i}, {j}): {v} against {expect}"
            );
        }
        let mut t = Array2::<u32>::zeros((w, h));
        t[[r + 4, r + 2]] = 3;
        let t = t.reversed_axes();
        assert!(!t.is_standard_layout());
        let from_t = blur.blur_valid_counts(t).unwrap();
        assert_eq!(from_t.as_slice().unwrap(), out.as_slice().unwrap());
    }

    /// A grid no larger than 2R in either direction is refused, not cut
    /// below zero.
    #[test]
    fn counts_smaller_than_the_kernel_are_refused() {
        let blur = GridBlur::new(2.0, 4.0, Method::Auto).unwrap();
        let r = blur.radius();
        for (h, w) in [
            (2 * r, 4 * r),
            (4 * r, 2 * r),
            (0, 4 * r),
            (2 * r + 1, 2 * r + 1),
        ] {
            let got = blur.blur_valid_counts(Array2::<u32>::zeros((h, w)));
            if h > 2 * r && w > 2 * r {
                assert_eq!(got.unwrap().dim(), (h - 2 * r, w - 2 * r));
            } else {
                assert!(
                    matches!(got, Err(NumlabError::TooShort { .. })),
                    "{h} x {w}: {got:?}"
                );
            }
        }
    }
}
