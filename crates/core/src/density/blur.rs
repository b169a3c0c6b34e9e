//! Separable Gaussian blur of a grid, on study 01's kernel and paths.
//!
//! The row pass runs study 01's planned 1-D filter ([`UniformPlan`]: the
//! vectorised direct sum, or overlap-save FFT for long kernels) on every row.
//! The column pass, on the direct path, never transposes: it works on strips
//! of 16 columns and four output rows at once, `out[r][c..c+16] = Σ_k
//! w_k·in[r + k][c..c+16]`, so the inner loop is contiguous SIMD, each strip
//! row loaded serves four outputs, and the strip stays in L1 (a full-width
//! pass would stream every row from L2 once per tap). One fused multiply-add
//! per tap where the CPU has FMA. On the FFT path the columns are
//! transposed, filtered as rows and transposed back. Rows and row blocks are spread over the threads by size
//! only, so results do not depend on the thread count.

use crate::error::{check, NumlabError, Result};
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::fastmath::Fused;
use crate::fastmath::{MulAdd, Separate};
use crate::parallel;
use crate::smoothing::{source_index, Cutoff, EdgeMode, Kernel, Method, UniformPlan};

/// A separable Gaussian blur planned once: sigma in cells (the same in x and
/// y), the kernel cut at `int(truncate·sigma + 0.5)` cells as in SciPy.
#[derive(Debug, Clone)]
pub struct GridBlur {
    plan: UniformPlan,
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
            radius,
            auto: method == Method::Auto,
        })
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

    /// The valid part of the blur of a `width` × `height` grid (row-major):
    /// the `(width - 2R)` × `(height - 2R)` cells whose whole window lies in
    /// the input, R = [`radius`](Self::radius).
    ///
    /// # Errors
    /// `values.len() != width * height`; a grid no larger than 2R in either
    /// direction.
    pub fn blur_valid(&self, values: &[f64], width: usize, height: usize) -> Result<Vec<f64>> {
        if values.len() != width.saturating_mul(height) {
            return Err(NumlabError::LengthMismatch {
                a_name: "values",
                a_len: values.len(),
                b_name: "width x height",
                b_len: width.saturating_mul(height),
            });
        }
        self.valid(width, height, |row, buf| {
            buf.copy_from_slice(&values[row * width..(row + 1) * width])
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
    parallel::for_each_chunk(&mut rows, rows_per_chunk * w, |start, part| {
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
        parallel::for_each_chunk(&mut tout, cols_per_chunk * h, |start, part| {
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
        parallel::for_each_chunk(&mut out, out_rows_per_chunk * w, |start, part| {
            vertical_dispatch(&rows, w, start / w, weights, part);
        });
    }
    crate::alloc::pool::give_f64(rows);
    Ok(out)
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
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX-512F and FMA, checked just above.
            unsafe { vertical_avx512(src, w, row0, weights, out) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            unsafe { vertical_avx2(src, w, row0, weights, out) };
            return;
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        vertical::<Fused>(src, w, row0, weights, out);
        return;
    }
    #[allow(unreachable_code)]
    vertical::<Separate>(src, w, row0, weights, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn vertical_avx512(src: &[f64], w: usize, row0: usize, weights: &[f64], out: &mut [f64]) {
    vertical::<Fused>(src, w, row0, weights, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn vertical_avx2(src: &[f64], w: usize, row0: usize, weights: &[f64], out: &mut [f64]) {
    vertical::<Fused>(src, w, row0, weights, out);
}

/// Columns per strip of the column pass: a strip of (taps + 3) rows stays in
/// L1 for every kernel up to ~300 taps.
const STRIP: usize = 16;
/// Output rows computed together: each strip row loaded is used by all of them.
const ROWS_AT_ONCE: usize = 4; // the main loop of `vertical` names four rows

/// Output rows `row0..` of the column pass, `out[i][c] = Σ_k w_k·src[row0 + i + k][c]`,
/// by strips of [`STRIP`] columns and [`ROWS_AT_ONCE`] output rows held in
/// registers, so every loaded strip row serves four outputs and the strip
/// (taps + 3 rows of 128 bytes) stays in L1.
#[inline(always)]
fn vertical<M: MulAdd>(src: &[f64], w: usize, row0: usize, weights: &[f64], out: &mut [f64]) {
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
                            acc[o][l] = M::mul_add(wk, x[l], acc[o][l]);
                        }
                    }
                }
                for m in ROWS_AT_ONCE - 1..taps {
                    let base = (row0 + i + m) * w + col;
                    let x = &src[base..base + STRIP];
                    let (w0, w1, w2, w3) =
                        (weights[m], weights[m - 1], weights[m - 2], weights[m - 3]);
                    for l in 0..STRIP {
                        acc[0][l] = M::mul_add(w0, x[l], acc[0][l]);
                        acc[1][l] = M::mul_add(w1, x[l], acc[1][l]);
                        acc[2][l] = M::mul_add(w2, x[l], acc[2][l]);
                        acc[3][l] = M::mul_add(w3, x[l], acc[3][l]);
                    }
                }
                for m in taps..taps + ROWS_AT_ONCE - 1 {
                    let base = (row0 + i + m) * w + col;
                    let x = &src[base..base + STRIP];
                    for o in m + 1 - taps..ROWS_AT_ONCE {
                        let wk = weights[m - o];
                        for l in 0..STRIP {
                            acc[o][l] = M::mul_add(wk, x[l], acc[o][l]);
                        }
                    }
                }
            } else {
                for (o, a) in acc.iter_mut().enumerate().take(rows) {
                    for (k, &wk) in weights.iter().enumerate() {
                        let base = (row0 + i + o + k) * w + col;
                        for l in 0..width {
                            a[l] = M::mul_add(wk, src[base + l], a[l]);
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
/// truncate=truncate)` of a `width` × `height` grid (row-major, sigma in
/// cells in both directions): the grid extended by `mode` on every side
/// (study 01's [`source_index`]), then blurred. `Renormalize` is refused
/// (it is a 1-D regression).
///
/// # Errors
/// Bad sigma, truncate or cval; `values.len() != width * height`; an empty
/// grid; mode `renormalize`.
pub fn gaussian_filter2d(
    values: &[f64],
    width: usize,
    height: usize,
    sigma: f64,
    truncate: f64,
    mode: EdgeMode,
    cval: f64,
) -> Result<Vec<f64>> {
    check::finite("cval", cval)?;
    if mode == EdgeMode::Renormalize {
        return Err(NumlabError::Unsupported(
            "mode renormalize is not offered for grids: use reflect, mirror, nearest, wrap or constant".into(),
        ));
    }
    if width == 0 || height == 0 || values.len() != width * height {
        return Err(NumlabError::LengthMismatch {
            a_name: "values",
            a_len: values.len(),
            b_name: "width x height",
            b_len: width.saturating_mul(height),
        });
    }
    let blur = GridBlur::new(sigma, truncate, Method::Auto)?;
    let r = blur.radius() as isize;
    let (we, he) = (width + 2 * r as usize, height + 2 * r as usize);
    super::check_size(we, he, 0, 0)?;
    let mut ext = vec![0.0; we * he];
    for (i, row) in ext.chunks_mut(we).enumerate() {
        let sr = source_index(i as isize - r, height, mode);
        for (j, v) in row.iter_mut().enumerate() {
            let sc = source_index(j as isize - r, width, mode);
            *v = match (sr, sc) {
                (Some(a), Some(b)) => values[a * width + b],
                _ => cval,
            };
        }
    }
    blur.blur_valid(&ext, we, he)
}
