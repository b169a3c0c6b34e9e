//! Density of scattered points on a grid: 2-D histograms, Gaussian blur and
//! box sums of the histogram, k-nearest-neighbour density and Gaussian kernel
//! density estimates, at any zoom and any size.
//!
//! # Orientation, stated once
//!
//! Every grid here is `height` rows by `width` columns, an
//! [`Array2<f64>`](ndarray::Array2) of shape `(height, width)`:
//! `values[[row, col]]`. Row 0 is the lowest y bin, rows ascend in y;
//! column 0 is the lowest x bin, columns ascend in x. That is exactly
//! `numpy.histogram2d(y, x, bins=(height, width), range=[[y0, y1], [x0, x1]])`
//! (note y first), and what `imshow(grid, origin="lower")` draws the right
//! way up. Cell `(row, col)` covers `[x0 + col·hx, x0 + (col+1)·hx) ×
//! [y0 + row·hy, y0 + (row+1)·hy)` with `hx = (x1 - x0)/width`,
//! `hy = (y1 - y0)/height`; smooth estimates (blur, box, kNN, KDE) are values
//! at the cell centres `(x0 + (col + ½)·hx, y0 + (row + ½)·hy)`.
//!
//! # Which one to use
//!
//! | function | what it gives | cost |
//! |---|---|---|
//! | [`histogram2d`] | counts per cell, NumPy's bins exactly | O(n) |
//! | [`gaussian_density`] | the histogram blurred by a Gaussian of `sigma` pixels (counts per cell) | O(n + cells × taps) |
//! | [`box_density`] | the histogram smoothed by `passes` box sums (summed-area table) | O(n + cells × passes) |
//! | [`knn_density`] | k-nearest-neighbour density (KD-tree), or the questioner's 5-nearest function | O(cells × log n) |
//! | [`kde_grid`], [`kde_points`] | Gaussian KDE, a density per unit area integrating to 1, Scott's / Silverman's bandwidth as SciPy computes it | fast path O(n + cells × taps); exact path O(n × cells) |
//!
//! For a heat-map overlay at any zoom, [`gaussian_density`] is the answer to
//! the question (milliseconds for a million points); [`kde_grid`] when the
//! values must be a calibrated density with a bandwidth rule.
//!
//! # Zoom: points outside the view count
//!
//! A blur or box sum of a histogram binned only inside the view drops the
//! points just outside it, so the borders of a zoomed-in view come out too
//! dark (and SciPy's `reflect` mode mirrors the inside instead). Here every
//! smoothing bins the points into the view extended by the kernel's reach
//! (its radius for the Gaussian, `passes × radius` for the box sums), smooths
//! that, and keeps the view: a view's density equals the same cells cut from
//! the density of any larger view with the same cells (test
//! `zoom_equals_crop`). KDE and kNN use every point wherever it lies.
//!
//! # Limits
//!
//! Checked before anything is computed, each refused by name with
//! [`NumlabError::AboveLimit`]: at most [`MAX_CELLS`] (2^25) cells, the
//! padding for a kernel's reach included (an error on `sigma` or `radius`
//! when the padding is what crosses it); at most [`MAX_BOX_PASSES`] (64)
//! box passes; k × cells at most [`MAX_KNN_WORK`] (2^27) neighbour visits;
//! a KDE of at most [`MAX_KDE_WORK`] (2^32) kernel evaluations (the exact
//! sum, which the fast path falls back to when the bandwidth dwarfs the
//! view, costs points × cells); a KDE factor whose covariance factor² ×
//! cov(points) would under- or overflow is refused on `bandwidth`.
//!
//! # Bad input
//!
//! Points with a NaN or infinite coordinate are skipped and counted (the
//! `nonfinite` field of [`Density`]); as in NumPy, they fall in no bin. An
//! empty point set (or one with no finite point), a view of zero or negative
//! area or non-finite bounds, zero bins, a non-positive sigma, radius or
//! bandwidth, and k larger than the number of points are errors
//! ([`NumlabError`]) naming the parameter and its value.

mod blur;
mod boxsum;
mod colormap;
mod hist;
mod kde;
mod knn;
pub mod reference;

pub use blur::{gaussian_filter2d, GridBlur};
use boxsum::box_sum_passes as box_sum_rows;
pub use colormap::{colorize, viridis, Colormap};
pub use hist::{histogram2d, HistogramCounter};
pub use kde::{kde_grid, kde_points, Bandwidth, Kde, KdeMethod, MAX_KDE_WORK};
pub use knn::{knn_density, KnnFunction, MAX_KNN_WORK};

use crate::error::{check, num, sig3, NumlabError, Result};
use ndarray::{s, Array2, ArrayView2, ArrayViewMut2};

/// `passes` box sums of radius `radius` cells over a 2-D array (rows are y,
/// columns x), in place; zero outside the array. With `normalise`, every
/// pass divides by (2r+1)², so the sum over an unbounded grid is kept. Any
/// layout: a view that is not in standard (row-major) layout is summed in a
/// standard-layout copy and written back.
///
/// ```
/// use numlab_core::density::box_sum_passes;
/// use numlab_core::ndarray::{s, Array2};
/// let mut g = Array2::<f64>::zeros((5, 5));
/// g[[2, 2]] = 9.0; // the centre of a 5 x 5 grid
/// box_sum_passes(g.view_mut(), 1, 1, true)?;
/// assert_eq!(g.slice(s![1, 1..4]).to_vec(), [1.0, 1.0, 1.0]); // a 3 x 3 block of 9 / 9
/// assert_eq!(g[[0, 0]], 0.0);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// None today beyond those of the kernel (kept a `Result` for the checks).
pub fn box_sum_passes(
    mut values: ArrayViewMut2<'_, f64>,
    radius: usize,
    passes: usize,
    normalise: bool,
) -> Result<()> {
    let (height, width) = values.dim();
    if let Some(flat) = values.as_slice_mut() {
        return box_sum_rows(flat, width, height, radius, passes, normalise);
    }
    let mut flat: Vec<f64> = values.iter().copied().collect();
    box_sum_rows(&mut flat, width, height, radius, passes, normalise)?;
    values.zip_mut_with(
        &ArrayView2::from_shape((height, width), &flat).expect("same shape"),
        |v, &s| *v = s,
    );
    Ok(())
}

/// The largest grid, in cells, padding for a kernel's reach included: 2^25
/// (33,554,432, e.g. 8192 x 4096 or 5792 x 5792). Computing a density takes
/// about 24 bytes a cell (counts, result, the blur's lines): 800 MB at this
/// limit.
pub const MAX_CELLS: usize = 1 << 25;

/// The most box-sum passes [`box_density`] runs: 64. Three or four passes are
/// already close to a Gaussian; each pass costs a sweep of the grid.
pub const MAX_BOX_PASSES: usize = 64;

/// A rectangle of the plane, in data units: `[x0, x1] × [y0, y1]`, with
/// `x0 < x1` and `y0 < y1`, all finite.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct View {
    /// Left edge (data units).
    pub x0: f64,
    /// Bottom edge (data units).
    pub y0: f64,
    /// Right edge (data units).
    pub x1: f64,
    /// Top edge (data units).
    pub y1: f64,
}

impl View {
    /// A view `[x0, x1] × [y0, y1]`.
    ///
    /// # Errors
    /// A non-finite bound; `x1 <= x0` or `y1 <= y0` (zero or negative area).
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Result<Self> {
        for (name, v) in [
            ("view x0", x0),
            ("view y0", y0),
            ("view x1", x1),
            ("view y1", y1),
        ] {
            check::finite(name, v)?;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w > 0.0 && w.is_finite()) {
            return Err(NumlabError::invalid(
                "view width x1 - x0",
                w,
                "must be finite and > 0 (a view of zero area has no cells)",
            ));
        }
        if !(h > 0.0 && h.is_finite()) {
            return Err(NumlabError::invalid(
                "view height y1 - y0",
                h,
                "must be finite and > 0 (a view of zero area has no cells)",
            ));
        }
        Ok(View { x0, y0, x1, y1 })
    }

    /// The bounding box of the finite points (NumPy's default range).
    ///
    /// # Errors
    /// No finite point; all x (or all y) equal, a view of zero area.
    pub fn bounds(x: &[f64], y: &[f64]) -> Result<Self> {
        let pts = Points::new(x, y)?;
        let (mut x0, mut x1, mut y0, mut y1) =
            (f64::INFINITY, -f64::INFINITY, f64::INFINITY, -f64::INFINITY);
        for (&a, &b) in pts.x.iter().zip(pts.y) {
            if a.is_finite() && b.is_finite() {
                x0 = x0.min(a);
                x1 = x1.max(a);
                y0 = y0.min(b);
                y1 = y1.max(b);
            }
        }
        View::new(x0, y0, x1, y1)
    }

    /// The x of each of `width` column centres (data units).
    pub fn x_centers(&self, width: usize) -> Vec<f64> {
        let h = self.cell_width(width);
        (0..width).map(|c| self.x0 + (c as f64 + 0.5) * h).collect()
    }

    /// The y of each of `height` row centres (data units).
    pub fn y_centers(&self, height: usize) -> Vec<f64> {
        let h = self.cell_height(height);
        (0..height)
            .map(|r| self.y0 + (r as f64 + 0.5) * h)
            .collect()
    }

    /// Cell width `(x1 - x0) / width` (data units).
    pub fn cell_width(&self, width: usize) -> f64 {
        (self.x1 - self.x0) / width as f64
    }

    /// Cell height `(y1 - y0) / height` (data units).
    pub fn cell_height(&self, height: usize) -> f64 {
        (self.y1 - self.y0) / height as f64
    }

    /// The view grown by `cols` cells of `width` left and right and `rows`
    /// cells of `height` below and above.
    pub(crate) fn padded(&self, width: usize, height: usize, cols: usize, rows: usize) -> View {
        let (hx, hy) = (self.cell_width(width), self.cell_height(height));
        View {
            x0: self.x0 - cols as f64 * hx,
            x1: self.x1 + cols as f64 * hx,
            y0: self.y0 - rows as f64 * hy,
            y1: self.y1 + rows as f64 * hy,
        }
    }
}

impl std::fmt::Display for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {}] x [{}, {}]", self.x0, self.x1, self.y0, self.y1)
    }
}

/// A grid of values over a view: `values` is an [`Array2`] of shape
/// `(height, width)` (rows are y bins, columns x bins), row 0 at the lowest y
/// (see the module docs for the orientation): what
/// `numpy.histogram2d(y, x)` gives. Slice it with ndarray
/// (`grid.values.row(r)`, `grid.values[[r, c]]`, `grid.values.slice(s![..])`).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The area covered.
    pub view: View,
    /// The values, shape `(height, width)`.
    pub values: Array2<f64>,
}

impl serde::Serialize for Grid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Grid", 4)?;
        st.serialize_field("width", &self.width())?;
        st.serialize_field("height", &self.height())?;
        st.serialize_field("view", &self.view)?;
        st.serialize_field("values", &self.values.iter().collect::<Vec<_>>())?;
        st.end()
    }
}

impl Grid {
    /// A grid of `values` (shape `(height, width)`) over `view`.
    pub fn new(view: View, values: Array2<f64>) -> Grid {
        Grid { view, values }
    }

    /// A grid from row-major values (`values[row * width + col]`).
    ///
    /// # Panics
    /// `values.len() != width * height` (internal callers only).
    pub(crate) fn from_rows(view: View, width: usize, height: usize, values: Vec<f64>) -> Grid {
        let values = Array2::from_shape_vec((height, width), values)
            .expect("grid values match width x height");
        Grid { view, values }
    }

    /// The values row-major (`[row * width + col]`), without a copy when
    /// they are in standard layout (as every grid made here is).
    pub fn into_vec(self) -> Vec<f64> {
        let len = self.values.len();
        if self.values.is_standard_layout() {
            // Standard layout: the values are contiguous from the offset.
            let (mut v, offset) = self.values.into_raw_vec_and_offset();
            let start = offset.unwrap_or(0);
            v.truncate(start + len);
            v.drain(..start);
            return v;
        }
        self.values.iter().copied().collect()
    }

    /// Columns (x bins).
    pub fn width(&self) -> usize {
        self.values.ncols()
    }

    /// Rows (y bins).
    pub fn height(&self) -> usize {
        self.values.nrows()
    }

    /// The largest value (0 for an all-zero grid; NaN values are ignored).
    pub fn max(&self) -> f64 {
        self.values.iter().fold(0.0f64, |m, &v| m.max(v))
    }

    /// The x of each column's centre (data units).
    pub fn x_centers(&self) -> Vec<f64> {
        self.view.x_centers(self.width())
    }

    /// The y of each row's centre (data units).
    pub fn y_centers(&self) -> Vec<f64> {
        self.view.y_centers(self.height())
    }

    /// The sub-grid of `rows` × `cols` cells starting at `(row0, col0)`: the
    /// slice `values.slice(s![row0..row0 + rows, col0..col0 + cols])` over
    /// its part of the view.
    ///
    /// # Errors
    /// The block does not fit inside the grid.
    pub fn crop(&self, row0: usize, col0: usize, rows: usize, cols: usize) -> Result<Grid> {
        let (height, width) = self.values.dim();
        if row0 + rows > height || col0 + cols > width || rows == 0 || cols == 0 {
            return Err(NumlabError::Unsupported(format!(
                "crop of {rows} x {cols} cells at ({row0}, {col0}) does not fit a {height} x {width} grid"
            )));
        }
        let (hx, hy) = (self.view.cell_width(width), self.view.cell_height(height));
        let view = View {
            x0: self.view.x0 + col0 as f64 * hx,
            x1: self.view.x0 + (col0 + cols) as f64 * hx,
            y0: self.view.y0 + row0 as f64 * hy,
            y1: self.view.y0 + (row0 + rows) as f64 * hy,
        };
        let values = self
            .values
            .slice(s![row0..row0 + rows, col0..col0 + cols])
            .to_owned();
        Ok(Grid { view, values })
    }
}

/// A density on a grid and how many points were skipped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Density {
    /// The values (see each function for their units).
    pub grid: Grid,
    /// Points skipped because a coordinate was NaN or infinite.
    pub nonfinite: usize,
}

/// The checked point set: equal lengths, at least one point, at least one
/// finite point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Points<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    /// Points with a NaN/inf coordinate.
    pub nonfinite: usize,
}

impl<'a> Points<'a> {
    pub(crate) fn new(x: &'a [f64], y: &'a [f64]) -> Result<Self> {
        check::min_len("x", x, 1)?;
        check::same_len("x", x, "y", y)?;
        let nonfinite = x
            .iter()
            .zip(y)
            .filter(|(a, b)| !(a.is_finite() && b.is_finite()))
            .count();
        if nonfinite == x.len() {
            return Err(NumlabError::TooShort {
                name: "finite points (x, y)",
                len: 0,
                min: 1,
            });
        }
        Ok(Points { x, y, nonfinite })
    }

    /// The checks of [`new`](Self::new) but the last, for a caller that
    /// counts the non-finite points itself (as it bins them) and then calls
    /// [`some_finite`](Self::some_finite); `nonfinite` is left 0.
    pub(crate) fn lengths(x: &'a [f64], y: &'a [f64]) -> Result<Self> {
        check::min_len("x", x, 1)?;
        check::same_len("x", x, "y", y)?;
        Ok(Points { x, y, nonfinite: 0 })
    }

    /// The last check of [`new`](Self::new): some point of the `len` is finite.
    pub(crate) fn some_finite(len: usize, nonfinite: usize) -> Result<()> {
        if nonfinite == len {
            return Err(NumlabError::TooShort {
                name: "finite points (x, y)",
                len: 0,
                min: 1,
            });
        }
        Ok(())
    }

    pub(crate) fn finite_len(&self) -> usize {
        self.x.len() - self.nonfinite
    }

    /// The finite points, copied.
    pub(crate) fn finite(&self) -> (Vec<f64>, Vec<f64>) {
        self.x
            .iter()
            .zip(self.y)
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| (*a, *b))
            .unzip()
    }
}

/// Checks a grid size before anything is computed: both at least 1 and at
/// most [`MAX_CELLS`] cells.
///
/// # Errors
/// [`NumlabError::InvalidParameter`] on `width` or `height` for zero bins;
/// [`NumlabError::AboveLimit`] on `cells` (the value written `WxH`).
pub fn check_size(width: usize, height: usize) -> Result<()> {
    if width == 0 {
        return Err(NumlabError::invalid("width", 0.0, "must be at least 1 bin"));
    }
    if height == 0 {
        return Err(NumlabError::invalid(
            "height",
            0.0,
            "must be at least 1 bin",
        ));
    }
    match width.checked_mul(height) {
        Some(c) if c <= MAX_CELLS => Ok(()),
        _ => Err(NumlabError::above(
            "cells",
            format!("{width}x{height}"),
            format!("{MAX_CELLS} cells"),
            "a density takes about 24 bytes a cell while it is computed, 800 MB at the limit",
        )),
    }
}

/// Checks a grid size ([`check_size`]) and the grid padded by `pad` cells on
/// each side for a kernel's reach: at most [`MAX_CELLS`] cells.
///
/// # Errors
/// As [`check_size`]; a padded grid beyond [`MAX_CELLS`]:
/// [`NumlabError::AboveLimit`] on the parameter that sets the reach (`name`
/// = `value`, with `pad` = `per_unit` × the parameter), whose limit is given
/// in `unit`.
pub fn check_padded(
    width: usize,
    height: usize,
    pad: usize,
    name: &'static str,
    value: f64,
    per_unit: f64,
    unit: &str,
) -> Result<()> {
    check_size(width, height)?;
    let cells = width
        .checked_add(pad.saturating_mul(2))
        .zip(height.checked_add(pad.saturating_mul(2)))
        .and_then(|(w, h)| w.checked_mul(h));
    if cells.is_some_and(|c| c <= MAX_CELLS) {
        return Ok(());
    }
    // The largest pad r with (w + 2r)(h + 2r) <= MAX_CELLS.
    let (w, h) = (width as f64, height as f64);
    let r = ((-(w + h) + ((w + h) * (w + h) - 4.0 * (w * h - MAX_CELLS as f64)).sqrt()) / 4.0)
        .floor()
        .max(0.0);
    Err(NumlabError::above(
        name,
        num(value),
        format!("{} {unit} on a {width}x{height} grid", sig3(r / per_unit)),
        format!(
            "its reach pads the grid by {pad} cells on each side, and a padded grid holds at most {MAX_CELLS} cells"
        ),
    ))
}

/// The Gaussian-blurred histogram: counts binned into the view extended by
/// the kernel radius `int(truncate·sigma + 0.5)` cells (SciPy's rounding),
/// blurred by a separable Gaussian of `sigma` cells (study 01's kernel and
/// direct or FFT paths, [`GridBlur`]), the view cut out. Values are counts
/// per cell, smoothed: they sum to the number of points when every point and
/// its kernel lie inside the view.
///
/// ```
/// use numlab_core::density::{gaussian_density, View};
/// let x = [0.3, 0.5, 0.52, 0.7];
/// let y = [0.4, 0.5, 0.49, 0.6];
/// let d = gaussian_density(&x, &y, View::new(0.0, 0.0, 1.0, 1.0)?, 64, 64, 2.0, 4.0)?;
/// assert_eq!((d.grid.width(), d.grid.height()), (64, 64));
/// assert!((d.grid.values.iter().sum::<f64>() - 4.0).abs() < 1e-9);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
///
/// # Errors
/// See the module docs; truncate not finite or <= 0.
pub fn gaussian_density(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
    sigma: f64,
    truncate: f64,
) -> Result<Density> {
    // The padding is checked before the kernel is built (a wide one is large).
    check::positive("sigma", sigma)?;
    let radius = crate::smoothing::Cutoff::Truncate(truncate)
        .validate()?
        .radius(sigma)?;
    check_padded(
        width,
        height,
        radius,
        "sigma",
        sigma,
        truncate,
        "px of sigma",
    )?;
    let blur = GridBlur::new(sigma, truncate, crate::smoothing::Method::Auto)?;
    gaussian_density_with(x, y, view, width, height, &blur)
}

/// [`gaussian_density`] with a planned blur (method chosen there).
///
/// # Errors
/// See [`gaussian_density`].
pub fn gaussian_density_with(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
    blur: &GridBlur,
) -> Result<Density> {
    // The non-finite points are counted as they are binned (no pass of
    // their own), so the last check of `Points::new` comes after the count.
    let pts = Points::lengths(x, y)?;
    let r = blur.radius();
    check_padded(
        width,
        height,
        r,
        "sigma",
        blur.sigma(),
        blur.truncate(),
        "px of sigma",
    )?;
    let (wp, hp) = (width + 2 * r, height + 2 * r);
    let padded = view.padded(width, height, r, r);
    let (counts, nonfinite) = hist::count_parts(pts.x, pts.y, &padded, wp, hp);
    if let Err(e) = Points::some_finite(x.len(), nonfinite) {
        hist::release_parts(counts);
        return Err(e);
    }
    let values = blur.blur_valid_parts(&counts, wp, hp);
    hist::release_parts(counts);
    let values = values?;
    Ok(Density {
        grid: Grid::from_rows(view, width, height, values),
        nonfinite,
    })
}

/// The histogram smoothed by `passes` box sums of radius `radius` cells (a
/// (2r+1)² window, by a summed-area table), each pass divided by (2r+1)² so
/// mass is kept: values are counts per cell. Points are binned into the view
/// extended by `passes × radius` cells, so the view is exact at any zoom.
/// `passes` = 3 or 4 is close to a Gaussian of sigma² = passes·r(r+1)/3.
///
/// # Errors
/// See the module docs; `passes` = 0 or above [`MAX_BOX_PASSES`]; a padding
/// of `passes × radius` cells that takes the grid beyond [`MAX_CELLS`]
/// (on `radius`).
pub fn box_density(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
    radius: usize,
    passes: usize,
) -> Result<Density> {
    let pts = Points::new(x, y)?;
    if passes == 0 {
        return Err(NumlabError::invalid("passes", 0.0, "must be at least 1"));
    }
    if passes > MAX_BOX_PASSES {
        return Err(NumlabError::above(
            "passes",
            passes,
            format!("{MAX_BOX_PASSES} passes"),
            "each pass sweeps the whole grid, and three or four are already close to a Gaussian",
        ));
    }
    let pad = radius.saturating_mul(passes);
    check_padded(
        width,
        height,
        pad,
        "radius",
        radius as f64,
        passes as f64,
        "cells of radius",
    )?;
    let (wp, hp) = (width + 2 * pad, height + 2 * pad);
    let padded = view.padded(width, height, pad, pad);
    let mut grid = hist::merge_parts(hist::count_parts(pts.x, pts.y, &padded, wp, hp).0, wp * hp);
    box_sum_rows(&mut grid, wp, hp, radius, passes, true)?;
    let full = Grid::from_rows(padded, wp, hp, grid);
    let mut cropped = full.crop(pad, pad, height, width)?;
    cropped.view = view;
    Ok(Density {
        grid: cropped,
        nonfinite: pts.nonfinite,
    })
}
