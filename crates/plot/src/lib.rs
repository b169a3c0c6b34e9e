//! numlab's figures: plain-data charts drawn with [plotters] into SVG, PNG
//! and evcxr notebook cells, with a bundled font.
//!
//! A [`Chart`] is one panel (series, axis scales, ranges, an optional
//! [`ReferenceSlope`], a legend, an optional [`Image`] heat-map with a
//! colour bar); a [`Figure`] lays charts out on a grid and
//! has a size in pixels. Both are owned plain data (`Clone`, `Debug`), built
//! with ordinary values, so notebook cells, which cannot use macros nor keep
//! borrows alive, can build them in one expression.
//!
//! ```
//! use numlab_plot::{Chart, Figure, ReferenceSlope, Series};
//!
//! let n: Vec<f64> = (1..=6).map(|k| 10f64.powi(k)).collect();
//! let err: Vec<f64> = n.iter().map(|n| 3.0 / (n * n)).collect();
//! let chart = Chart::new("Convergence of the leapfrog scheme")
//!     .with_labels("grid points n", "max error")
//!     .with_log_log()
//!     .with_series(Series::line_points("leapfrog", &n, &err))
//!     .with_reference_slope(ReferenceSlope::new(-2.0, (1e2, 1e-2), 3.0, "O(n⁻²)"));
//! let figure = Figure::single(chart, 900, 560);
//!
//! let svg = figure.to_svg_string()?;
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("Convergence of the leapfrog scheme"));
//! // figure.save_png("convergence.png")?;   // atomic: temp file, then rename
//! # Ok::<(), numlab_plot::PlotError>(())
//! ```
//!
//! # Drawing into any backend
//!
//! [`draw_chart`] and [`draw_figure`] take a plotters
//! `&DrawingArea<DB, Shift>` for any backend `DB`, so one function feeds an
//! SVG file, a PNG file and a notebook cell. [`Figure::to_svg_string`],
//! [`Figure::to_png_bytes`], [`Figure::save_svg`] and [`Figure::save_png`]
//! wrap the common cases; [`Figure::evcxr_display`] (and
//! [`Chart::evcxr_display`]) makes a figure the rich output of an evcxr
//! Jupyter cell, as SVG; [`Figure::in_png`] (and [`Chart::in_png`]) shows it
//! as a PNG image instead ([`PngFigure`]), for figures of so many points that
//! their SVG would be large.
//!
//! # Text and reproducibility
//!
//! PNG text is rasterised from DejaVu Sans, embedded in the crate and
//! registered with plotters' `ab_glyph` renderer by [`ensure_fonts`];
//! plotters' `ttf` feature (system fonts) stays off, so figures render the
//! same without any font installed. SVG text names `sans-serif` and is laid
//! out with DejaVu Sans metrics. Rendering the same figure twice gives the
//! same bytes, in SVG and in PNG.
//!
//! # Defaults
//!
//! White background, the colour-blind-safe Okabe-Ito [`PALETTE`], a light
//! grid, 14-18 px text, 2 px lines. Axis ranges fit the data with a small
//! margin (in decades on a logarithmic axis); non-finite points, and
//! non-positive ones on a logarithmic axis, are skipped and break lines.
//! Log axes label decades as `10ᵏ` with minor ticks at 2..9, or 1-2-5 values
//! when less than two decades are shown. Data outside the ranges is clipped.
//!
//! # Errors
//!
//! Nothing here panics on bad input: zero sizes, empty figures, grids with
//! too few cells, bad ranges or reference slopes return a [`PlotError`]
//! naming the offending values. Empty series and all-NaN data draw an empty
//! chart.

#![warn(missing_docs)]

/// The plotters version this crate draws with, re-exported so that callers
/// (and notebooks) never load a second, mismatched plotters.
pub use plotters;

mod axis;
mod base64;
mod clip;
mod draw;
mod error;
mod font;
mod model;
mod output;
mod raster;
mod style;

pub use base64::base64_encode;
pub use draw::{draw_chart, draw_figure};
pub use error::PlotError;
pub use font::{ensure_fonts, FONT_FAMILY};
pub use model::{
    Chart, ColorBar, Figure, Image, LegendPosition, ReferenceSlope, Scale, Series, SeriesKind,
    MAX_PIXELS,
};
pub use output::{rgb_to_png, PngFigure};
pub use raster::PolishedBackend;
pub use style::{palette_color, DEFAULT_HEIGHT, DEFAULT_WIDTH, PALETTE};
