//! Plain-data descriptions of charts and figures.
//!
//! Everything here is owned, `Clone` and `Debug`, and built from plain values,
//! so a notebook cell (which cannot use macros nor keep borrows alive) can
//! build a figure in one expression and hand it around.

use crate::style::{DEFAULT_HEIGHT, DEFAULT_WIDTH};
use crate::PlotError;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SeriesKind {
    /// A polyline through the points, in order (broken at NaN/inf points).
    #[default]
    Line,
    /// A filled circle at each point.
    Points,
    /// Both a polyline and a marker at each point.
    LinePoints,
}

/// One data series of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text; an empty label leaves the series out of the legend.
    pub label: String,
    /// `(x, y)` pairs in data units. Non-finite pairs are skipped (a line is
    /// broken there), and so are non-positive values on a logarithmic axis.
    pub points: Vec<(f64, f64)>,
    /// Line, markers or both.
    pub kind: SeriesKind,
    /// Index into [`crate::PALETTE`] (cycling); `None` takes the next colour
    /// not claimed by another series of the chart.
    pub color: Option<usize>,
    /// Line width in pixels, clamped to 1..=12 when drawn. Markers have a
    /// radius of `width + 1` pixels.
    pub width: u32,
}

impl Series {
    /// A series from ready-made `(x, y)` pairs.
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>, kind: SeriesKind) -> Self {
        Series {
            label: label.into(),
            points,
            kind,
            color: None,
            width: 2,
        }
    }

    /// A line through `(xs[i], ys[i])`. If the slices differ in length the
    /// extra values are ignored; use [`Series::try_line`] to get an error instead.
    pub fn line(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        Self::new(label, zip(xs, ys), SeriesKind::Line)
    }

    /// Markers at `(xs[i], ys[i])`. If the slices differ in length the extra
    /// values are ignored; use [`Series::try_points`] to get an error instead.
    pub fn points(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        Self::new(label, zip(xs, ys), SeriesKind::Points)
    }

    /// A line with a marker at every point; extra values are ignored as in
    /// [`Series::line`].
    pub fn line_points(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        Self::new(label, zip(xs, ys), SeriesKind::LinePoints)
    }

    /// Like [`Series::line`], but slices of different lengths are an error.
    ///
    /// # Errors
    /// [`PlotError::LengthMismatch`] when `xs.len() != ys.len()`.
    pub fn try_line(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Result<Self, PlotError> {
        let label = label.into();
        check_lengths(&label, xs, ys)?;
        Ok(Self::new(label, zip(xs, ys), SeriesKind::Line))
    }

    /// Like [`Series::points`], but slices of different lengths are an error.
    ///
    /// # Errors
    /// [`PlotError::LengthMismatch`] when `xs.len() != ys.len()`.
    pub fn try_points(label: impl Into<String>, xs: &[f64], ys: &[f64]) -> Result<Self, PlotError> {
        let label = label.into();
        check_lengths(&label, xs, ys)?;
        Ok(Self::new(label, zip(xs, ys), SeriesKind::Points))
    }

    /// Uses palette colour `i` (cycling through [`crate::PALETTE`]).
    pub fn with_color(mut self, i: usize) -> Self {
        self.color = Some(i);
        self
    }

    /// Sets the line width in pixels (clamped to 1..=12 when drawn).
    pub fn with_width(mut self, w: u32) -> Self {
        self.width = w;
        self
    }

    /// Sets how the series is drawn.
    pub fn with_kind(mut self, kind: SeriesKind) -> Self {
        self.kind = kind;
        self
    }
}

fn zip(xs: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
    xs.iter().copied().zip(ys.iter().copied()).collect()
}

fn check_lengths(label: &str, xs: &[f64], ys: &[f64]) -> Result<(), PlotError> {
    if xs.len() == ys.len() {
        Ok(())
    } else {
        Err(PlotError::LengthMismatch {
            label: label.to_string(),
            xs: xs.len(),
            ys: ys.len(),
        })
    }
}

/// Axis scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scale {
    /// Uniform in data units.
    #[default]
    Linear,
    /// Uniform in `log10` of the data; non-positive values are not drawn.
    Log10,
}

impl Scale {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log10 => "log10",
        }
    }
}

/// A straight reference line of a given slope, drawn grey and dashed with a
/// label beside it: the classic "O(n²)" guide of a convergence plot.
///
/// The line is straight in the chart's axes. It starts at `anchor` and runs
/// `span_decades` along x (negative runs to the left); on a logarithmic x axis
/// the span is in decades, on a linear one in data units. Over that run y
/// changes by `slope * span_decades`, in decades on a logarithmic y axis and in
/// data units on a linear one. So on log-log axes `slope = -2` shows
/// `y ∝ x⁻²`. Parts outside the plotting area are clipped.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceSlope {
    /// Slope in axis units (decades per decade on log-log axes).
    pub slope: f64,
    /// Start point, in data units.
    pub anchor: (f64, f64),
    /// Extent along x (decades on a log axis, data units on a linear axis).
    pub span_decades: f64,
    /// Text drawn beside the line, e.g. `"O(n²)"` or `"slope 2"`.
    pub label: String,
}

impl ReferenceSlope {
    /// A reference line of `slope` from `anchor`, `span_decades` long along x.
    pub fn new(
        slope: f64,
        anchor: (f64, f64),
        span_decades: f64,
        label: impl Into<String>,
    ) -> Self {
        ReferenceSlope {
            slope,
            anchor,
            span_decades,
            label: label.into(),
        }
    }
}

/// Where the legend goes inside the plotting area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LegendPosition {
    /// The corner that covers the fewest data points.
    #[default]
    Auto,
    /// Top left corner.
    UpperLeft,
    /// Top right corner.
    UpperRight,
    /// Bottom left corner.
    LowerLeft,
    /// Bottom right corner.
    LowerRight,
    /// No legend, even if series have labels.
    Hidden,
}

/// A colour bar beside an [`Image`]: the colours from `min` (bottom) to
/// `max` (top), with ticks and a label.
#[derive(Clone, Debug, PartialEq)]
pub struct ColorBar {
    /// Text above the bar, units included (e.g. `"points per cell"`).
    pub label: String,
    /// The value of the lowest colour.
    pub min: f64,
    /// The value of the highest colour.
    pub max: f64,
    /// The colours, lowest first (e.g. the 256 entries of viridis).
    pub colors: Vec<[u8; 3]>,
}

/// A raster drawn in data coordinates under the series: a heat-map.
///
/// `rgb` holds `height` rows of `width` pixels, 3 bytes each, the first row
/// at the top (`y_range.1`); the raster covers `x_range` × `y_range` in data
/// units and is resampled (nearest cell) to the plotting area's pixels, in
/// PNG and SVG alike (SVG embeds it as a PNG), the same bytes on every run.
/// Drawn on linear axes only.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Cells per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Row-major RGB, top row first.
    pub rgb: Vec<u8>,
    /// (left, right) in data units.
    pub x_range: (f64, f64),
    /// (bottom, top) in data units.
    pub y_range: (f64, f64),
    /// An optional colour bar on the right of the panel.
    pub colorbar: Option<ColorBar>,
}

impl Image {
    /// A raster of `width` × `height` cells over `x_range` × `y_range`.
    pub fn new(
        width: usize,
        height: usize,
        rgb: Vec<u8>,
        x_range: (f64, f64),
        y_range: (f64, f64),
    ) -> Self {
        Image {
            width,
            height,
            rgb,
            x_range,
            y_range,
            colorbar: None,
        }
    }

    /// Adds a colour bar.
    pub fn with_colorbar(
        mut self,
        label: impl Into<String>,
        min: f64,
        max: f64,
        colors: Vec<[u8; 3]>,
    ) -> Self {
        self.colorbar = Some(ColorBar {
            label: label.into(),
            min,
            max,
            colors,
        });
        self
    }

    pub(crate) fn validate(&self) -> Result<(), PlotError> {
        let want = self
            .width
            .checked_mul(self.height)
            .and_then(|c| c.checked_mul(3));
        if self.width == 0 || self.height == 0 || want != Some(self.rgb.len()) {
            return Err(PlotError::ImageSize {
                width: self.width,
                height: self.height,
                bytes: self.rgb.len(),
            });
        }
        for (axis, (a, b)) in [("x", self.x_range), ("y", self.y_range)] {
            if !(a.is_finite() && b.is_finite() && b > a) {
                return Err(PlotError::InvalidRange {
                    axis,
                    min: a,
                    max: b,
                    scale: "linear",
                    reason: "an image needs a finite extent with min < max",
                });
            }
        }
        if let Some(c) = &self.colorbar {
            if c.colors.is_empty() || !(c.min.is_finite() && c.max.is_finite() && c.max >= c.min) {
                return Err(PlotError::InvalidRange {
                    axis: "colour bar",
                    min: c.min,
                    max: c.max,
                    scale: "linear",
                    reason: "a colour bar needs colours and a finite range with min <= max",
                });
            }
        }
        Ok(())
    }
}

/// One panel: axes, series, optional reference slope and legend.
///
/// Ranges default to the data bounds with a 4 % margin (in decades on a log
/// axis), ignoring non-finite values and, on log axes, non-positive ones.
/// The legend is drawn when some series has a non-empty label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    /// Title above the plotting area; empty for none.
    pub title: String,
    /// x-axis description, units included (e.g. `"n (samples)"`).
    pub x_label: String,
    /// y-axis description, units included.
    pub y_label: String,
    /// Data series, drawn in order (later ones on top).
    pub series: Vec<Series>,
    /// x-axis scale.
    pub x_scale: Scale,
    /// y-axis scale.
    pub y_scale: Scale,
    /// Explicit x range in data units; `None` fits the data.
    pub x_range: Option<(f64, f64)>,
    /// Explicit y range in data units; `None` fits the data.
    pub y_range: Option<(f64, f64)>,
    /// Optional reference-slope guide.
    pub reference_slope: Option<ReferenceSlope>,
    /// Legend placement.
    pub legend: LegendPosition,
    /// A raster (heat-map) under the series; the axis ranges default to its extent.
    pub image: Option<Image>,
}

impl Chart {
    /// An empty linear chart with a title.
    pub fn new(title: impl Into<String>) -> Self {
        Chart {
            title: title.into(),
            ..Chart::default()
        }
    }

    /// Sets the axis descriptions.
    pub fn with_labels(mut self, x_label: impl Into<String>, y_label: impl Into<String>) -> Self {
        self.x_label = x_label.into();
        self.y_label = y_label.into();
        self
    }

    /// Sets the x-axis description.
    pub fn with_x_label(mut self, x_label: impl Into<String>) -> Self {
        self.x_label = x_label.into();
        self
    }

    /// Sets the y-axis description.
    pub fn with_y_label(mut self, y_label: impl Into<String>) -> Self {
        self.y_label = y_label.into();
        self
    }

    /// Appends a series.
    pub fn with_series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// Sets both axis scales.
    pub fn with_scales(mut self, x_scale: Scale, y_scale: Scale) -> Self {
        self.x_scale = x_scale;
        self.y_scale = y_scale;
        self
    }

    /// Log10 scales on both axes.
    pub fn with_log_log(self) -> Self {
        self.with_scales(Scale::Log10, Scale::Log10)
    }

    /// Sets the x range in data units.
    pub fn with_x_range(mut self, min: f64, max: f64) -> Self {
        self.x_range = Some((min, max));
        self
    }

    /// Sets the y range in data units.
    pub fn with_y_range(mut self, min: f64, max: f64) -> Self {
        self.y_range = Some((min, max));
        self
    }

    /// Adds a reference-slope guide.
    pub fn with_reference_slope(mut self, reference: ReferenceSlope) -> Self {
        self.reference_slope = Some(reference);
        self
    }

    /// Sets the legend placement.
    pub fn with_legend(mut self, legend: LegendPosition) -> Self {
        self.legend = legend;
        self
    }

    /// Draws `image` under the series (a heat-map); unset axis ranges take its extent.
    pub fn with_image(mut self, image: Image) -> Self {
        self.image = Some(image);
        self
    }

    /// Renders this chart alone at the default size for the evcxr Jupyter
    /// kernel (see [`Figure::evcxr_display`]).
    pub fn evcxr_display(&self) {
        Figure::single(self.clone(), DEFAULT_WIDTH, DEFAULT_HEIGHT).evcxr_display();
    }

    /// This chart alone at the default size, shown by a notebook cell as a
    /// PNG image (see [`Figure::in_png`]).
    pub fn in_png(self) -> crate::PngFigure {
        Figure::single(self, DEFAULT_WIDTH, DEFAULT_HEIGHT).in_png()
    }
}

/// A figure: one or more charts laid out on a grid, with a size in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Charts, filling the grid row by row.
    pub charts: Vec<Chart>,
    /// Grid rows (at least 1).
    pub rows: usize,
    /// Grid columns (at least 1).
    pub cols: usize,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Optional title above the whole grid.
    pub title: Option<String>,
}

impl Figure {
    /// A figure holding one chart.
    pub fn single(chart: Chart, width: u32, height: u32) -> Self {
        Figure {
            charts: vec![chart],
            rows: 1,
            cols: 1,
            width,
            height,
            title: None,
        }
    }

    /// A `rows` x `cols` grid of charts (filled row by row).
    pub fn grid(charts: Vec<Chart>, rows: usize, cols: usize, width: u32, height: u32) -> Self {
        Figure {
            charts,
            rows,
            cols,
            width,
            height,
            title: None,
        }
    }

    /// Sets the figure title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Appends a chart (grow `rows`/`cols` to make room for it).
    pub fn with_chart(mut self, chart: Chart) -> Self {
        self.charts.push(chart);
        self
    }

    /// Checks the size and the grid without drawing.
    ///
    /// # Errors
    /// [`PlotError::ZeroSize`], [`PlotError::TooLarge`],
    /// [`PlotError::EmptyFigure`], [`PlotError::GridTooSmall`].
    pub fn validate(&self) -> Result<(), PlotError> {
        check_size(self.width, self.height)?;
        check_grid(self)
    }
}

/// The largest figure, in pixels (`width * height`), this crate renders:
/// 64 megapixels, 192 MiB of RGB buffer.
pub const MAX_PIXELS: u64 = 1 << 26;

pub(crate) fn check_size(width: u32, height: u32) -> Result<(), PlotError> {
    if width == 0 || height == 0 {
        return Err(PlotError::ZeroSize { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PlotError::TooLarge {
            width,
            height,
            max_pixels: MAX_PIXELS,
        });
    }
    Ok(())
}

pub(crate) fn check_grid(figure: &Figure) -> Result<(), PlotError> {
    if figure.charts.is_empty() {
        return Err(PlotError::EmptyFigure);
    }
    let cells = figure.rows.saturating_mul(figure.cols);
    if figure.rows == 0 || figure.cols == 0 || cells < figure.charts.len() {
        return Err(PlotError::GridTooSmall {
            rows: figure.rows,
            cols: figure.cols,
            charts: figure.charts.len(),
        });
    }
    Ok(())
}
