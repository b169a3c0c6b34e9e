//! Drawing charts and figures into any plotters backend.

use plotters::chart::SeriesAnno;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axis::{resolve_range, ticks, to_plot, AxisCoord};
use crate::clip::{clip_polyline, clip_segment, split_runs, Rect};
use crate::error::draw_err;
use crate::font::{ensure_fonts, FONT_FAMILY};
use crate::model::{check_grid, check_size, Chart, Figure, LegendPosition, Series, SeriesKind};
use crate::raster::PLOTTERS_EM_RATIO;
use crate::style::*;
use crate::PlotError;

/// Draws one chart into `area`, filling it (white background, title, axes,
/// grid, series, reference slope, legend).
///
/// Generic over the backend: the same call feeds an SVG string, a PNG buffer
/// or a notebook cell.
///
/// # Errors
/// [`PlotError::ZeroSize`] or [`PlotError::PanelTooSmall`] for an area too
/// small to hold a chart, [`PlotError::InvalidRange`] and
/// [`PlotError::InvalidReferenceSlope`] for bad chart settings,
/// [`PlotError::Draw`] if the backend fails.
pub fn draw_chart<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    ensure_fonts()?;
    let (w, h) = area.dim_in_pixel();
    check_size(w, h)?;
    check_panel(w, h)?;
    let prepared = prepare(chart)?;
    area.fill(&BACKGROUND).map_err(draw_err)?;
    render(&prepared, area)
}

/// Draws a figure (optional title, then its charts on a `rows` x `cols`
/// grid, row by row) into `area`. The figure's own `width`/`height` are not
/// used: the area decides the size.
///
/// Every chart is checked before anything is drawn.
///
/// # Errors
/// [`PlotError::EmptyFigure`], [`PlotError::GridTooSmall`],
/// [`PlotError::ZeroSize`], [`PlotError::PanelTooSmall`], and the errors of
/// [`draw_chart`].
pub fn draw_figure<DB: DrawingBackend>(
    figure: &Figure,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    ensure_fonts()?;
    check_grid(figure)?;
    let (w, h) = area.dim_in_pixel();
    check_size(w, h)?;
    let prepared = figure
        .charts
        .iter()
        .map(prepare)
        .collect::<Result<Vec<_>, _>>()?;

    let title = figure.title.as_deref().filter(|t| !t.is_empty());
    let title_h = match title {
        Some(t) => title_height(area, t, FIGURE_TITLE_PX)?,
        None => 0,
    };
    let (rows, cols) = (figure.rows, figure.cols);
    // check_grid guarantees rows, cols >= 1; u32::try_from caps huge grids.
    let cell_w = w / u32::try_from(cols).unwrap_or(u32::MAX);
    let cell_h = h.saturating_sub(title_h) / u32::try_from(rows).unwrap_or(u32::MAX);
    check_panel(cell_w, cell_h)?;

    area.fill(&BACKGROUND).map_err(draw_err)?;
    let body = match title {
        Some(t) => draw_title(area, t, FIGURE_TITLE_PX)?,
        None => area.clone(),
    };
    let cells = body.split_evenly((rows, cols));
    for (p, cell) in prepared.iter().zip(cells.iter()) {
        render(p, cell)?;
    }
    Ok(())
}

fn check_panel(width: u32, height: u32) -> Result<(), PlotError> {
    if width < MIN_PANEL_WIDTH || height < MIN_PANEL_HEIGHT {
        return Err(PlotError::PanelTooSmall {
            width,
            height,
            min_width: MIN_PANEL_WIDTH,
            min_height: MIN_PANEL_HEIGHT,
        });
    }
    Ok(())
}

/// A text style whose em is `px` pixels (in SVG `font-size="px"`).
pub(crate) fn text_style(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT_FAMILY, px * PLOTTERS_EM_RATIO).into_font()).color(&TEXT)
}

/// Space taken by a title line of `px` pixels, padding included.
fn title_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    px: f64,
) -> Result<u32, PlotError> {
    let (_, th) = area
        .estimate_text_size(text, &text_style(px))
        .map_err(draw_err)?;
    Ok(TITLE_TOP + th + TITLE_BOTTOM)
}

const TITLE_TOP: u32 = 10;
const TITLE_BOTTOM: u32 = 6;

/// Draws a centred title at the top of `area`; returns the area below it.
fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    px: f64,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let h = title_height(area, text, px)?;
    let (w, _) = area.dim_in_pixel();
    let style = text_style(px).pos(Pos::new(HPos::Center, VPos::Top));
    let x = i32::try_from(w / 2).unwrap_or(i32::MAX);
    area.draw_text(text, &style, (x, TITLE_TOP as i32))
        .map_err(draw_err)?;
    Ok(area.split_vertically(h).1)
}

/// One series, resolved: colour, width, visible pieces in plot space.
struct PreparedSeries<'c> {
    series: &'c Series,
    color: RGBColor,
    width: u32,
    /// Clipped polylines (lines only).
    pieces: Vec<Vec<(f64, f64)>>,
    /// Visible markers (points only).
    markers: Vec<(f64, f64)>,
}

struct PreparedReference<'c> {
    segment: ((f64, f64), (f64, f64)),
    label: &'c str,
}

/// A chart with its ranges fixed and its data mapped, clipped and coloured.
/// Preparing cannot depend on pixels, so a figure checks every chart before
/// drawing any.
struct Prepared<'c> {
    chart: &'c Chart,
    rect: Rect,
    series: Vec<PreparedSeries<'c>>,
    reference: Option<PreparedReference<'c>>,
}

fn prepare(chart: &Chart) -> Result<Prepared<'_>, PlotError> {
    let (xs, ys) = (chart.x_scale, chart.y_scale);
    let map = |(x, y): (f64, f64)| Some((to_plot(xs, x)?, to_plot(ys, y)?));
    let runs: Vec<Vec<Vec<(f64, f64)>>> = chart
        .series
        .iter()
        .map(|s| split_runs(&s.points, map))
        .collect();

    // The reference line in plot space (unclipped), checked.
    let reference = chart
        .reference_slope
        .as_ref()
        .map(|r| {
            let bad = |reason: &'static str| PlotError::InvalidReferenceSlope {
                slope: r.slope,
                anchor_x: r.anchor.0,
                anchor_y: r.anchor.1,
                span_decades: r.span_decades,
                reason,
            };
            if !(r.slope.is_finite() && r.span_decades.is_finite()) {
                return Err(bad("slope and span must be finite"));
            }
            if r.span_decades == 0.0 {
                return Err(bad("span must not be zero"));
            }
            let a = map(r.anchor)
                .ok_or_else(|| bad("anchor must be finite, and positive on a logarithmic axis"))?;
            let b = (a.0 + r.span_decades, a.1 + r.slope * r.span_decades);
            if !(b.0.is_finite() && b.1.is_finite()) {
                return Err(bad("the line's end point is not finite"));
            }
            Ok((a, b, r.label.as_str()))
        })
        .transpose()?;

    let all = || runs.iter().flatten().flatten().copied();
    let has_data = all().next().is_some();
    let ref_points: Vec<(f64, f64)> = match (&reference, has_data) {
        (Some((a, b, _)), false) => vec![*a, *b],
        _ => Vec::new(),
    };
    let points = || all().chain(ref_points.iter().copied());

    if let Some(img) = &chart.image {
        img.validate()?;
        if xs != crate::Scale::Linear || ys != crate::Scale::Linear {
            return Err(PlotError::InvalidRange {
                axis: "x",
                min: img.x_range.0,
                max: img.x_range.1,
                scale: "log10",
                reason: "an image is drawn on linear axes only",
            });
        }
    }
    // An image's extent is the default range.
    let x_given = chart.x_range.or(chart.image.as_ref().map(|i| i.x_range));
    let y_given = chart.y_range.or(chart.image.as_ref().map(|i| i.y_range));
    // With one range given, fit the other to the data visible inside it.
    let x_explicit = x_given
        .map(|(a, b)| resolve_range("x", xs, Some((a, b)), std::iter::empty()))
        .transpose()?;
    let y_explicit = y_given
        .map(|(a, b)| resolve_range("y", ys, Some((a, b)), std::iter::empty()))
        .transpose()?;
    let within = |v: f64, r: Option<(f64, f64)>| r.is_none_or(|(lo, hi)| v >= lo && v <= hi);
    let (x0, x1) = match x_explicit {
        Some(r) => r,
        None => resolve_range(
            "x",
            xs,
            None,
            points().filter(|p| within(p.1, y_explicit)).map(|p| p.0),
        )?,
    };
    let (y0, y1) = match y_explicit {
        Some(r) => r,
        None => resolve_range(
            "y",
            ys,
            None,
            points()
                .filter(|p| within(p.0, Some((x0, x1))))
                .map(|p| p.1),
        )?,
    };
    let rect = Rect { x0, x1, y0, y1 };

    let colors = assign_colors(&chart.series);
    let series = chart
        .series
        .iter()
        .zip(runs)
        .zip(colors)
        .map(|((s, runs), color)| {
            let lines = matches!(s.kind, SeriesKind::Line | SeriesKind::LinePoints);
            let marks = matches!(s.kind, SeriesKind::Points | SeriesKind::LinePoints);
            let pieces = if lines {
                runs.iter().flat_map(|r| clip_polyline(r, &rect)).collect()
            } else {
                Vec::new()
            };
            let markers = if marks {
                runs.iter()
                    .flatten()
                    .copied()
                    .filter(|p| rect.contains(*p))
                    .collect()
            } else {
                Vec::new()
            };
            PreparedSeries {
                series: s,
                color,
                width: s.width.clamp(MIN_LINE_WIDTH, MAX_LINE_WIDTH),
                pieces,
                markers,
            }
        })
        .collect();

    let reference = reference.and_then(|(a, b, label)| {
        clip_segment(a, b, &rect).map(|segment| PreparedReference { segment, label })
    });

    Ok(Prepared {
        chart,
        rect,
        series,
        reference,
    })
}

/// Explicit colours are kept; the others take, in order, the palette entries
/// no explicit colour claims (cycling through the whole palette when those
/// run out).
fn assign_colors(series: &[Series]) -> Vec<RGBColor> {
    let taken: Vec<usize> = series
        .iter()
        .filter_map(|s| s.color.map(|c| c % PALETTE.len()))
        .collect();
    let free: Vec<usize> = (0..PALETTE.len()).filter(|i| !taken.contains(i)).collect();
    let mut next = 0usize;
    series
        .iter()
        .map(|s| match s.color {
            Some(c) => palette_color(c),
            None => {
                let i = if free.is_empty() {
                    next
                } else {
                    free[next % free.len()]
                };
                next += 1;
                palette_color(i)
            }
        })
        .collect()
}

fn tick_target(pixels: u32, per_label: u32) -> usize {
    (pixels / per_label).clamp(2, 10) as usize
}

fn render<DB: DrawingBackend>(
    p: &Prepared<'_>,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    let chart = p.chart;
    let body = if chart.title.is_empty() {
        area.clone()
    } else {
        draw_title(area, &chart.title, CHART_TITLE_PX)?
    };
    let (bw, bh) = body.dim_in_pixel();

    let tick_style = text_style(TICK_LABEL_PX);
    let desc_style = text_style(AXIS_LABEL_PX);
    let legend_style = text_style(LEGEND_PX);
    let size =
        |text: &str, style: &TextStyle| body.estimate_text_size(text, style).map_err(draw_err);

    let xt = ticks(
        chart.x_scale,
        p.rect.x0,
        p.rect.x1,
        tick_target(bw.saturating_sub(120), 110),
    );
    let yt = ticks(
        chart.y_scale,
        p.rect.y0,
        p.rect.y1,
        tick_target(bh.saturating_sub(80), 60),
    );

    // Label areas sized to their content: tick distance (10 px), labels,
    // a gap, the rotated/plain axis description.
    let mut y_label_w = 0;
    for v in &yt.major {
        y_label_w = y_label_w.max(size(&yt.label(*v), &tick_style)?.0);
    }
    let (_, tick_h) = size("0123456789", &tick_style)?;
    let (_, desc_h) = size("Ag", &desc_style)?;
    let y_area = 10
        + y_label_w
        + 6
        + if chart.y_label.is_empty() {
            0
        } else {
            desc_h + 12
        };
    let x_area = 10
        + tick_h
        + 4
        + if chart.x_label.is_empty() {
            0
        } else {
            desc_h + 12
        };

    // Room for a colour bar: gap, bar, tick marks and labels.
    let bar = match chart.image.as_ref().and_then(|i| i.colorbar.as_ref()) {
        Some(c) => {
            let bt = ticks(
                crate::Scale::Linear,
                c.min,
                c.max.max(c.min + f64::MIN_POSITIVE),
                5,
            );
            let mut label_w = 0;
            for v in &bt.major {
                label_w = label_w.max(size(&bt.label(*v), &tick_style)?.0);
            }
            Some((c, bt, label_w))
        }
        None => None,
    };
    let right = match &bar {
        Some((c, _, lw)) => {
            let label = if c.label.is_empty() { 0 } else { 8 + desc_h };
            24 + COLORBAR_GAP + COLORBAR_WIDTH + 8 + lw + label
        }
        None => 24,
    };
    let x_spec = AxisCoord::new(p.rect.x0, p.rect.x1, &xt);
    let y_spec = AxisCoord::new(p.rect.y0, p.rect.y1, &yt);
    let mut cc = ChartBuilder::on(&body)
        .margin_top(if chart.title.is_empty() { 14 } else { 4 })
        .margin_right(right)
        .margin_left(8)
        .margin_bottom(6)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_spec, y_spec)
        .map_err(draw_err)?;

    let x_fmt = |v: &f64| xt.label(*v);
    let y_fmt = |v: &f64| yt.label(*v);
    {
        let mut mesh = cc.configure_mesh();
        mesh.bold_line_style(GRID_MAJOR.stroke_width(1))
            .light_line_style(GRID_MINOR.stroke_width(1))
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(5)
            .label_style(tick_style.clone())
            .axis_desc_style(desc_style.clone())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt);
        if !chart.x_label.is_empty() {
            mesh.x_desc(chart.x_label.as_str());
        }
        if !chart.y_label.is_empty() {
            mesh.y_desc(chart.y_label.as_str());
        }
        mesh.draw().map_err(draw_err)?;
    }
    if let Some(img) = &chart.image {
        draw_image(&cc, img)?;
    }
    if let Some((c, bt, _)) = &bar {
        draw_colorbar(
            &cc,
            &body,
            c,
            bt,
            &tick_style,
            &desc_style,
            bar.as_ref().map_or(0, |b| b.2),
        )?;
    }
    // Frame the plotting area on the top and right too.
    {
        let r = &p.rect;
        cc.draw_series(std::iter::once(PathElement::new(
            vec![(r.x0, r.y1), (r.x1, r.y1), (r.x1, r.y0)],
            AXIS.stroke_width(1),
        )))
        .map_err(draw_err)?;
    }

    if let Some(r) = &p.reference {
        let (a, b) = r.segment;
        cc.draw_series(DashedLineSeries::new(
            vec![a, b],
            8,
            5,
            REFERENCE.stroke_width(2),
        ))
        .map_err(draw_err)?;
    }

    let show_legend =
        chart.legend != LegendPosition::Hidden && chart.series.iter().any(|s| !s.label.is_empty());
    for s in &p.series {
        draw_series_into(&mut cc, s, show_legend)?;
    }

    if let Some(r) = &p.reference {
        draw_reference_label(&cc, r)?;
    }

    if show_legend {
        let labels: Vec<&str> = p
            .series
            .iter()
            .map(|s| s.series.label.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        let mut legend_w = 0;
        for l in &labels {
            legend_w = legend_w.max(size(l, &legend_style)?.0);
        }
        let (_, line_h) = size("Ag", &legend_style)?;
        let box_w = legend_w + LEGEND_SWATCH + 2 * LEGEND_MARGIN;
        let box_h = (line_h as f64 * 1.25 * labels.len() as f64) as u32 + 2 * LEGEND_MARGIN;
        let (pw, ph) = cc.plotting_area().dim_in_pixel();
        let position = match chart.legend {
            LegendPosition::UpperLeft => SeriesLabelPosition::UpperLeft,
            LegendPosition::UpperRight => SeriesLabelPosition::UpperRight,
            LegendPosition::LowerLeft => SeriesLabelPosition::LowerLeft,
            LegendPosition::LowerRight => SeriesLabelPosition::LowerRight,
            LegendPosition::Auto | LegendPosition::Hidden => {
                best_corner(p, (box_w, box_h), (pw, ph))
            }
        };
        cc.configure_series_labels()
            .position(position)
            .margin(LEGEND_MARGIN)
            .legend_area_size(LEGEND_SWATCH)
            .label_font(legend_style.clone())
            .background_style(BACKGROUND.mix(0.88).filled())
            .border_style(LEGEND_BORDER.stroke_width(1))
            .draw()
            .map_err(draw_err)?;
    }
    Ok(())
}

const LEGEND_MARGIN: u32 = 8;
const COLORBAR_GAP: u32 = 14;
const COLORBAR_WIDTH: u32 = 18;

/// The plotting area's pixel box (absolute): x range, y range (half-open).
fn plot_box<DB: DrawingBackend>(cc: &Ctx<'_, DB>) -> (i32, i32, i32, i32) {
    let (xr, yr) = cc.plotting_area().get_pixel_range();
    (xr.start, xr.end, yr.start, yr.end)
}

/// Resamples the image (nearest cell) to the pixels it covers inside the
/// plotting area and blits it there.
fn draw_image<DB: DrawingBackend>(cc: &Ctx<'_, DB>, img: &crate::Image) -> Result<(), PlotError> {
    let (bx0, bx1, by0, by1) = plot_box(cc);
    let (ex0, ex1) = img.x_range;
    let (ey0, ey1) = img.y_range;
    // Pixel positions of the extent's corners (y grows downwards).
    let (px0, py0) = cc.backend_coord(&(ex0, ey1));
    let (px1, py1) = cc.backend_coord(&(ex1, ey0));
    let (fx0, fy0, fx1, fy1) = (
        f64::from(px0),
        f64::from(py0),
        f64::from(px1),
        f64::from(py1),
    );
    let x_lo = px0.max(bx0);
    let x_hi = px1.min(bx1);
    let y_lo = py0.max(by0);
    let y_hi = py1.min(by1);
    if x_hi <= x_lo || y_hi <= y_lo || fx1 <= fx0 || fy1 <= fy0 {
        return Ok(());
    }
    let (w, h) = ((x_hi - x_lo) as usize, (y_hi - y_lo) as usize);
    let mut buf = Vec::with_capacity(w * h * 3);
    let cols: Vec<usize> = (x_lo..x_hi)
        .map(|px| {
            let t = (f64::from(px) + 0.5 - fx0) / (fx1 - fx0);
            ((t * img.width as f64).floor().max(0.0) as usize).min(img.width - 1)
        })
        .collect();
    for py in y_lo..y_hi {
        let t = (f64::from(py) + 0.5 - fy0) / (fy1 - fy0);
        let row = ((t * img.height as f64).floor().max(0.0) as usize).min(img.height - 1);
        for &c in &cols {
            let k = (row * img.width + c) * 3;
            buf.extend_from_slice(&img.rgb[k..k + 3]);
        }
    }
    let area = cc.plotting_area().strip_coord_spec();
    let element =
        BitMapElement::with_owned_buffer((x_lo - bx0, y_lo - by0), (w as u32, h as u32), buf)
            .ok_or_else(|| PlotError::Draw("image buffer of the wrong size".into()))?;
    area.draw(&element).map_err(draw_err)
}

/// The colour bar right of the plotting area: the colours bottom to top,
/// a frame, ticks with labels, the label above.
fn draw_colorbar<DB: DrawingBackend>(
    cc: &Ctx<'_, DB>,
    body: &DrawingArea<DB, Shift>,
    c: &crate::ColorBar,
    bt: &crate::axis::Ticks,
    tick_style: &TextStyle,
    desc_style: &TextStyle,
    label_w: u32,
) -> Result<(), PlotError> {
    let (_, bx1, by0, by1) = plot_box(cc);
    let (ox, oy) = {
        let (xr, yr) = body.get_pixel_range();
        (xr.start, yr.start)
    };
    let x0 = bx1 + COLORBAR_GAP as i32;
    let (h, w) = ((by1 - by0).max(1) as usize, COLORBAR_WIDTH as usize);
    let n = c.colors.len();
    let mut buf = Vec::with_capacity(w * h * 3);
    for r in 0..h {
        // Top row = highest colour, bottom row = lowest.
        let t = if h > 1 {
            (h - 1 - r) as f64 / (h - 1) as f64
        } else {
            0.0
        };
        let k = ((t * n as f64).floor() as usize).min(n - 1);
        for _ in 0..w {
            buf.extend_from_slice(&c.colors[k]);
        }
    }
    let element = BitMapElement::with_owned_buffer((x0 - ox, by0 - oy), (w as u32, h as u32), buf)
        .ok_or_else(|| PlotError::Draw("colour bar buffer of the wrong size".into()))?;
    body.draw(&element).map_err(draw_err)?;
    let frame = Rectangle::new(
        [(x0 - ox, by0 - oy), (x0 - ox + w as i32, by1 - oy)],
        AXIS.stroke_width(1),
    );
    body.draw(&frame).map_err(draw_err)?;
    let span = c.max - c.min;
    let style = tick_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
    for v in &bt.major {
        let t = if span > 0.0 { (v - c.min) / span } else { 0.0 };
        if !(-1e-9..=1.0 + 1e-9).contains(&t) {
            continue;
        }
        let y = by1 - oy - (t * (by1 - by0) as f64).round() as i32;
        let xr = x0 - ox + w as i32;
        body.draw(&PathElement::new(
            vec![(xr, y), (xr + 4, y)],
            AXIS.stroke_width(1),
        ))
        .map_err(draw_err)?;
        body.draw_text(&bt.label(*v), &style, (xr + 7, y))
            .map_err(draw_err)?;
    }
    if !c.label.is_empty() {
        // Rotated to read upwards, right of the tick labels, centred on the bar.
        let style = desc_style
            .clone()
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let x = x0 - ox + w as i32 + 8 + label_w as i32 + 8;
        body.draw_text(&c.label, &style, (x, (by0 + by1) / 2 - oy))
            .map_err(draw_err)?;
    }
    Ok(())
}
const LEGEND_SWATCH: u32 = 30;

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<AxisCoord, AxisCoord>>;

fn draw_series_into<'a, DB: DrawingBackend + 'a>(
    cc: &mut Ctx<'a, DB>,
    s: &PreparedSeries<'_>,
    show_legend: bool,
) -> Result<(), PlotError> {
    let line_style = s.color.stroke_width(s.width);
    let radius = s.width + 1;
    let fill = s.color.filled();
    let mut labelled = false;
    let label = if show_legend {
        s.series.label.as_str()
    } else {
        ""
    };
    let kind = s.series.kind;

    let annotate = |anno: &mut SeriesAnno<'a, DB>| {
        anno.label(label);
        match kind {
            SeriesKind::Line => {
                anno.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], line_style));
            }
            SeriesKind::Points => {
                anno.legend(move |(x, y)| Circle::new((x + 11, y), radius, fill));
            }
            SeriesKind::LinePoints => {
                anno.legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (22, 0)], line_style)
                        + Circle::new((11, 0), radius, fill)
                });
            }
        }
    };

    for piece in &s.pieces {
        let anno = cc
            .draw_series(LineSeries::new(piece.iter().copied(), line_style))
            .map_err(draw_err)?;
        if !labelled && !label.is_empty() {
            annotate(anno);
            labelled = true;
        }
    }
    if !s.markers.is_empty() {
        let anno = cc
            .draw_series(s.markers.iter().map(|p| Circle::new(*p, radius, fill)))
            .map_err(draw_err)?;
        if !labelled && !label.is_empty() {
            annotate(anno);
            labelled = true;
        }
    }
    if !labelled && !label.is_empty() {
        // Nothing visible, but the series still belongs in the legend.
        let anno = cc
            .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
            .map_err(draw_err)?;
        annotate(anno);
    }
    Ok(())
}

/// Writes the reference label beside the middle of its line, on the side
/// facing up, so that it reads like a caption of the guide.
fn draw_reference_label<DB: DrawingBackend>(
    cc: &Ctx<'_, DB>,
    r: &PreparedReference<'_>,
) -> Result<(), PlotError> {
    if r.label.is_empty() {
        return Ok(());
    }
    let (a, b) = r.segment;
    let pa = cc.backend_coord(&a);
    let pb = cc.backend_coord(&b);
    let (dx, dy) = (f64::from(pb.0 - pa.0), f64::from(pb.1 - pa.1));
    let len = (dx * dx + dy * dy).sqrt();
    // Unit normal pointing up on screen (pixel y grows downwards).
    let (mut nx, mut ny) = if len > 0.0 {
        (dy / len, -dx / len)
    } else {
        (0.0, -1.0)
    };
    if ny > 0.0 {
        nx = -nx;
        ny = -ny;
    }
    let off = 8.0;
    let h = if nx < -0.2 {
        HPos::Right
    } else if nx > 0.2 {
        HPos::Left
    } else {
        HPos::Center
    };
    let style = text_style(ANNOTATION_PX)
        .color(&REFERENCE)
        .pos(Pos::new(h, VPos::Bottom));
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let element = EmptyElement::at(mid)
        + Text::new(
            r.label.to_string(),
            ((nx * off).round() as i32, (ny * off).round() as i32),
            style,
        );
    cc.plotting_area().draw(&element).map_err(draw_err)
}

/// The legend corner covering the fewest drawn points (lines sampled along
/// their length); ties go to upper right, upper left, lower left, lower right.
fn best_corner(
    p: &Prepared<'_>,
    (box_w, box_h): (u32, u32),
    (pw, ph): (u32, u32),
) -> SeriesLabelPosition {
    let r = &p.rect;
    let fw = (f64::from(box_w) + 10.0) / f64::from(pw.max(1));
    let fh = (f64::from(box_h) + 10.0) / f64::from(ph.max(1));
    let frac = |(x, y): (f64, f64)| ((x - r.x0) / (r.x1 - r.x0), (y - r.y0) / (r.y1 - r.y0));
    let mut samples: Vec<(f64, f64)> = Vec::new();
    for s in &p.series {
        samples.extend(s.markers.iter().map(|q| frac(*q)));
        for piece in &s.pieces {
            for w in piece.windows(2) {
                let (a, b) = (frac(w[0]), frac(w[1]));
                for k in 0..8 {
                    let t = f64::from(k) / 8.0;
                    samples.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            if let Some(last) = piece.last() {
                samples.push(frac(*last));
            }
        }
    }
    if let Some(rf) = &p.reference {
        let (a, b) = (frac(rf.segment.0), frac(rf.segment.1));
        for k in 0..=16 {
            let t = f64::from(k) / 16.0;
            samples.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    // (position, x test, y test) in fractions of the plotting area (y up).
    let corners: [(SeriesLabelPosition, bool, bool); 4] = [
        (SeriesLabelPosition::UpperRight, true, true),
        (SeriesLabelPosition::UpperLeft, false, true),
        (SeriesLabelPosition::LowerLeft, false, false),
        (SeriesLabelPosition::LowerRight, true, false),
    ];
    let count = |right: bool, upper: bool| {
        samples
            .iter()
            .filter(|(x, y)| {
                let in_x = if right { *x >= 1.0 - fw } else { *x <= fw };
                let in_y = if upper { *y >= 1.0 - fh } else { *y <= fh };
                in_x && in_y
            })
            .count()
    };
    let mut best = (SeriesLabelPosition::UpperRight, usize::MAX);
    for (pos, right, upper) in corners {
        let c = count(right, upper);
        if c < best.1 {
            best = (pos, c);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_skip_explicit_ones() {
        let s = |c: Option<usize>| Series {
            color: c,
            ..Series::line("", &[], &[])
        };
        let got = assign_colors(&[s(None), s(Some(1)), s(None), s(Some(9))]);
        assert_eq!(got, vec![PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[1]]);
    }
}
