//! A backend wrapper that polishes raster output: text and filled circles.
//!
//! plotters 0.3.7 rasterises `ab_glyph` text one glyph at a time at whole-pixel
//! positions and without the glyphs' left side bearings, which gives uneven
//! letter spacing ("up wind"), and draws small filled circles as plus signs.
//! [`PolishedBackend`] wraps any pixel backend and redraws those two things
//! properly; everything else goes straight to the wrapped backend.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use crate::font::DEJAVU_SANS;

/// plotters' text size convention: a style of size `s` is drawn with an em of
/// `s / 1.24` pixels (this is the `font-size` its SVG backend writes).
pub(crate) const PLOTTERS_EM_RATIO: f64 = 1.24;

/// Wraps a pixel backend (such as plotters' `BitMapBackend`) so that text is
/// drawn with the bundled DejaVu Sans at sub-pixel glyph positions, with
/// kerning and side bearings, at the same size and anchor as plotters' SVG
/// backend would place it; and filled circles (series markers) are drawn
/// anti-aliased. [`crate::Figure::to_png_bytes`] uses it; wrap your own
/// backend with it when drawing numlab charts into a bitmap yourself:
///
/// ```
/// use numlab_plot::plotters::prelude::*;
/// use numlab_plot::{draw_chart, Chart, PolishedBackend};
///
/// let mut rgb = vec![0u8; 400 * 300 * 3];
/// {
///     let backend = PolishedBackend::new(BitMapBackend::with_buffer(&mut rgb, (400, 300)));
///     let root = backend.into_drawing_area();
///     draw_chart(&Chart::new("empty"), &root)?;
///     root.present().map_err(|e| numlab_plot::PlotError::Draw(e.to_string()))?;
/// }
/// # Ok::<(), numlab_plot::PlotError>(())
/// ```
pub struct PolishedBackend<DB: DrawingBackend> {
    inner: DB,
    font: Option<FontRef<'static>>,
}

impl<DB: DrawingBackend> PolishedBackend<DB> {
    /// Wraps `inner`.
    pub fn new(inner: DB) -> Self {
        // The bundled font always parses (a unit test checks it); if it ever
        // did not, text falls back to plotters' own rendering.
        let font = FontRef::try_from_slice(DEJAVU_SANS).ok();
        PolishedBackend { inner, font }
    }

    /// Returns the wrapped backend.
    pub fn into_inner(self) -> DB {
        self.inner
    }
}

/// Pixel coverage of a polyline stroked `width` px wide (pixel centres at
/// integer coordinates), one entry per pixel inside `size`, sorted by row
/// then column so drawing order, and so the output, is deterministic.
fn stroke_coverage(points: &[BackendCoord], width: u32, size: (u32, u32)) -> Vec<(i32, i32, f64)> {
    let half = f64::from(width.max(1)) / 2.0;
    let reach = half.ceil() as i32 + 1;
    let (w, h) = (size.0 as i32, size.1 as i32);
    let mut cells: Vec<(i32, i32, f64)> = Vec::new();
    for seg in points.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        let (ax, ay) = (f64::from(a.0), f64::from(a.1));
        let (dx, dy) = (f64::from(b.0) - ax, f64::from(b.1) - ay);
        let len2 = dx * dx + dy * dy;
        let x0 = (a.0.min(b.0).saturating_sub(reach)).max(0);
        let x1 = (a.0.max(b.0).saturating_add(reach)).min(w - 1);
        let y0 = (a.1.min(b.1).saturating_sub(reach)).max(0);
        let y1 = (a.1.max(b.1).saturating_add(reach)).min(h - 1);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (px, py) = (f64::from(x) - ax, f64::from(y) - ay);
                let t = if len2 > 0.0 {
                    ((px * dx + py * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (ex, ey) = (px - t * dx, py - t * dy);
                let d = (ex * ex + ey * ey).sqrt();
                let c = (half + 0.5 - d).clamp(0.0, 1.0);
                if c > 0.0 {
                    cells.push((y, x, c));
                }
            }
        }
    }
    cells.sort_unstable_by_key(|c| (c.0, c.1));
    let mut out: Vec<(i32, i32, f64)> = Vec::with_capacity(cells.len());
    for (y, x, c) in cells {
        match out.last_mut() {
            Some(last) if last.0 == x && last.1 == y => last.2 = last.2.max(c),
            _ => out.push((x, y, c)),
        }
    }
    out
}

/// One laid-out line of text: glyphs with their pen positions, in pixels.
struct Layout {
    scale: PxScale,
    glyphs: Vec<(GlyphId, f32)>,
    width: f32,
    em: f32,
    x_height: f32,
    cap_height: f32,
}

fn layout(font: &FontRef<'static>, text: &str, size: f64) -> Layout {
    let em = (size / PLOTTERS_EM_RATIO) as f32;
    let upem = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em * font.height_unscaled() / upem);
    let scaled = font.as_scaled(scale);
    let mut glyphs = Vec::with_capacity(text.len());
    let mut caret = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        glyphs.push((id, caret));
        caret += scaled.h_advance(id);
        prev = Some(id);
    }
    // Heights of 'x' and 'H' (neither has a descender), in pixels.
    let glyph_height = |c: char, fallback: f32| {
        font.outline(font.glyph_id(c))
            .map(|o| (o.bounds.max.y - o.bounds.min.y).abs() * em / upem)
            .unwrap_or(fallback * em)
    };
    let x_height = glyph_height('x', 0.55);
    let cap_height = glyph_height('H', 0.73);
    Layout {
        scale,
        glyphs,
        width: caret,
        em,
        x_height,
        cap_height,
    }
}

impl<DB: DrawingBackend> DrawingBackend for PolishedBackend<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    /// Paths are drawn anti-aliased (round joins and caps), except 1 px
    /// horizontal/vertical ones (grid, axes, frames), which stay crisp.
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let width = style.stroke_width();
        let axis_aligned = points
            .windows(2)
            .all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1);
        if points.len() < 2 || (width <= 1 && axis_aligned) {
            return self.inner.draw_path(points, style);
        }
        let (w, h) = self.get_size();
        for (x, y, coverage) in stroke_coverage(&points, width, (w, h)) {
            self.inner.draw_pixel(
                (x, y),
                BackendColor {
                    alpha: color.alpha * coverage,
                    rgb: color.rgb,
                },
            )?;
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// Filled circles are drawn with coverage-based anti-aliasing.
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if !fill || radius == 0 || color.alpha == 0.0 {
            return self.inner.draw_circle(center, radius, style, fill);
        }
        let (w, h) = self.get_size();
        let r = f64::from(radius);
        let reach = i32::try_from(radius).unwrap_or(i32::MAX).saturating_add(1);
        // Only the part of the disc's bounding box inside the image.
        let x0 = center.0.saturating_sub(reach).max(0);
        let x1 = center.0.saturating_add(reach).min(w as i32 - 1);
        let y0 = center.1.saturating_sub(reach).max(0);
        let y1 = center.1.saturating_add(reach).min(h as i32 - 1);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (dx, dy) = (
                    f64::from(x) - f64::from(center.0),
                    f64::from(y) - f64::from(center.1),
                );
                let d = (dx * dx + dy * dy).sqrt();
                let coverage = (r + 0.5 - d).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    self.inner.draw_pixel(
                        (x, y),
                        BackendColor {
                            alpha: color.alpha * coverage,
                            rgb: color.rgb,
                        },
                    )?;
                }
            }
        }
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        match &self.font {
            Some(font) => {
                let l = layout(font, text, style.size());
                Ok((l.width.ceil() as u32, l.em.ceil() as u32))
            }
            None => self.inner.estimate_text_size(text, style),
        }
    }

    /// Text anchored close to how plotters' SVG backend places it: the
    /// baseline sits 0.76 em below a top anchor, half a cap height below a
    /// centre anchor (so digits centre on a tick) and half an x-height above
    /// a bottom anchor.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let Some(font) = self.font.clone() else {
            return self.inner.draw_text(text, style, pos);
        };
        let l = layout(&font, text, style.size());
        let anchor = style.anchor();
        let x0 = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -l.width / 2.0,
            HPos::Right => -l.width,
        };
        let baseline = match anchor.v_pos {
            VPos::Top => 0.76 * l.em,
            VPos::Center => 0.5 * l.cap_height,
            VPos::Bottom => -0.5 * l.x_height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for &(id, caret) in &l.glyphs {
            let glyph = id.with_scale_and_position(l.scale, point(x0 + caret, baseline));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                let (bx, by) = (b.min.x as i32, b.min.y as i32);
                outline.draw(|x, y, c| pixels.push((bx + x as i32, by + y as i32, c)));
            }
        }
        for (x, y, c) in pixels {
            let c = f64::from(c.clamp(0.0, 1.0));
            if c <= 0.0 {
                continue;
            }
            let (dx, dy) = trans.transform(x, y);
            let (px, py) = (pos.0.saturating_add(dx), pos.1.saturating_add(dy));
            if px < 0 || py < 0 || px >= w as i32 || py >= h as i32 {
                continue;
            }
            self.inner.draw_pixel(
                (px, py),
                BackendColor {
                    alpha: color.alpha * c,
                    rgb: color.rgb,
                },
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_parses_and_lays_out() {
        let font = FontRef::try_from_slice(DEJAVU_SANS).expect("bundled font parses");
        let l = layout(&font, "upwind", 14.0 * PLOTTERS_EM_RATIO);
        assert!((l.em - 14.0).abs() < 1e-4);
        // DejaVu Sans is about 0.6 em per lower-case letter.
        assert!(
            l.width > 6.0 * 14.0 * 0.45 && l.width < 6.0 * 14.0 * 0.75,
            "{}",
            l.width
        );
        assert!(
            l.x_height > 0.45 * 14.0 && l.x_height < 0.65 * 14.0,
            "{}",
            l.x_height
        );
        assert!(
            l.cap_height > 0.65 * 14.0 && l.cap_height < 0.8 * 14.0,
            "{}",
            l.cap_height
        );
    }
}
