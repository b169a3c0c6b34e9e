//! The default look: white background, Okabe-Ito colours, light grid,
//! 14-18 px DejaVu Sans.

use plotters::style::RGBColor;

/// The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), ordered
/// for lines on white: blue, vermillion, bluish green, orange, reddish purple,
/// sky blue, black, yellow. Safe for the common forms of colour blindness.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(230, 159, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// The palette colour for index `i`, cycling past the end.
pub fn palette_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Default figure width in pixels (pleasant in a README and a notebook).
pub const DEFAULT_WIDTH: u32 = 900;
/// Default figure height in pixels.
pub const DEFAULT_HEIGHT: u32 = 560;

pub(crate) const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
pub(crate) const TEXT: RGBColor = RGBColor(34, 34, 34);
pub(crate) const AXIS: RGBColor = RGBColor(90, 90, 90);
pub(crate) const GRID_MAJOR: RGBColor = RGBColor(222, 222, 222);
pub(crate) const GRID_MINOR: RGBColor = RGBColor(244, 244, 244);
pub(crate) const REFERENCE: RGBColor = RGBColor(110, 110, 110);
pub(crate) const LEGEND_BORDER: RGBColor = RGBColor(200, 200, 200);

/// Font sizes: the em in pixels (SVG `font-size`).
pub(crate) const FIGURE_TITLE_PX: f64 = 18.0;
pub(crate) const CHART_TITLE_PX: f64 = 17.0;
pub(crate) const AXIS_LABEL_PX: f64 = 15.0;
pub(crate) const TICK_LABEL_PX: f64 = 14.0;
pub(crate) const LEGEND_PX: f64 = 14.0;
pub(crate) const ANNOTATION_PX: f64 = 14.0;

/// Series line widths are clamped to this range (pixels).
pub(crate) const MIN_LINE_WIDTH: u32 = 1;
pub(crate) const MAX_LINE_WIDTH: u32 = 12;

/// Smallest panel that still holds axes, tick labels and a plotting area.
pub(crate) const MIN_PANEL_WIDTH: u32 = 160;
pub(crate) const MIN_PANEL_HEIGHT: u32 = 120;
