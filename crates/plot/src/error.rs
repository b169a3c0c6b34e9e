//! The one error type of `numlab-plot`.

use std::path::PathBuf;

/// Everything that can go wrong while describing, drawing or saving a figure.
///
/// Each variant carries the offending values so that the message alone says
/// what to fix. Drawing never panics on bad input; it returns one of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// A figure with no chart at all.
    #[error("the figure has no chart to draw")]
    EmptyFigure,

    /// A figure (or drawing area) with a zero width or height, in pixels.
    #[error("figure size {width}x{height} px: width and height must both be at least 1")]
    ZeroSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },

    /// A figure larger than [`crate::MAX_PIXELS`] pixels in total.
    #[error("figure size {width}x{height} px exceeds the limit of {max_pixels} pixels")]
    TooLarge {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
        /// The largest allowed `width * height`.
        max_pixels: u64,
    },

    /// The grid of a multi-panel figure has fewer cells than there are charts.
    #[error("a {rows}x{cols} grid has too few cells for {charts} charts")]
    GridTooSmall {
        /// Rows of the grid.
        rows: usize,
        /// Columns of the grid.
        cols: usize,
        /// Number of charts in the figure.
        charts: usize,
    },

    /// A panel too small to hold axes, labels and a plotting area.
    #[error(
        "each panel is {width}x{height} px, smaller than the minimum \
         {min_width}x{min_height} px: enlarge the figure or use fewer rows/columns"
    )]
    PanelTooSmall {
        /// Panel width in pixels.
        width: u32,
        /// Panel height in pixels.
        height: u32,
        /// Minimum panel width in pixels.
        min_width: u32,
        /// Minimum panel height in pixels.
        min_height: u32,
    },

    /// An explicit axis range that is empty, reversed, not finite, or not
    /// positive on a logarithmic axis.
    #[error("invalid {axis} range ({min}, {max}) on a {scale} axis: {reason}")]
    InvalidRange {
        /// `"x"` or `"y"`.
        axis: &'static str,
        /// Lower bound, in data units.
        min: f64,
        /// Upper bound, in data units.
        max: f64,
        /// `"linear"` or `"log10"`.
        scale: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A reference-slope marker that cannot be drawn.
    #[error(
        "invalid reference slope (slope {slope}, anchor ({anchor_x}, {anchor_y}), \
         span {span_decades}): {reason}"
    )]
    InvalidReferenceSlope {
        /// The slope, in decades per decade on log-log axes.
        slope: f64,
        /// Anchor x, in data units.
        anchor_x: f64,
        /// Anchor y, in data units.
        anchor_y: f64,
        /// The extent along x (decades on a log axis, data units on a linear one).
        span_decades: f64,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// `xs` and `ys` of a series have different lengths (see [`crate::Series::try_line`]).
    #[error("series {label:?}: xs has {xs} values but ys has {ys}")]
    LengthMismatch {
        /// Label of the series.
        label: String,
        /// Length of `xs`.
        xs: usize,
        /// Length of `ys`.
        ys: usize,
    },

    /// The bundled font could not be registered with plotters.
    #[error("cannot register the bundled font {name}: {reason}")]
    Font {
        /// Font file name.
        name: &'static str,
        /// What went wrong.
        reason: String,
    },

    /// An image whose pixel buffer does not hold width x height RGB pixels.
    #[error("image of {width}x{height} cells needs {width}*{height}*3 bytes of RGB, got {bytes}")]
    ImageSize {
        /// Cells per row.
        width: usize,
        /// Rows.
        height: usize,
        /// Bytes given.
        bytes: usize,
    },

    /// plotters reported an error while drawing.
    #[error("drawing failed: {0}")]
    Draw(String),

    /// The PNG encoder failed.
    #[error("PNG encoding of a {width}x{height} image failed: {reason}")]
    Encode {
        /// Image width in pixels.
        width: u32,
        /// Image height in pixels.
        height: u32,
        /// The encoder's message.
        reason: String,
    },

    /// A path that names no file (for example `""` or `"dir/.."`).
    #[error("{path:?} does not name a file")]
    InvalidPath {
        /// The path given.
        path: PathBuf,
    },

    /// Writing an output file failed; the destination was left untouched.
    #[error("cannot write {path:?}: {source}")]
    Io {
        /// The destination path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Turns any plotters error (they all implement `Display`) into [`PlotError::Draw`].
pub(crate) fn draw_err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}
