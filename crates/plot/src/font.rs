//! The bundled font, registered once with plotters' `ab_glyph` text renderer.
//!
//! plotters' `ttf` feature (system fonts) stays off: every glyph of every PNG
//! comes from DejaVu Sans, embedded in the binary, so figures look the same on
//! any machine. SVG output names the family `sans-serif` and lets the viewer
//! pick its own sans-serif font; the text layout (anchors, label widths) is
//! computed with DejaVu Sans's metrics in both cases.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use crate::PlotError;

/// DejaVu Sans (Bitstream Vera licence with public-domain DejaVu changes; see
/// `fonts/LICENSE-DejaVu.txt` in this crate).
pub(crate) const DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

const DEJAVU_SANS_NAME: &str = "DejaVuSans.ttf";

/// The font family that every numlab text style uses.
pub const FONT_FAMILY: &str = "sans-serif";

/// Families registered with the bundled font. `sans-serif` is the one numlab
/// uses; `serif` and `monospace` are mapped to the same face so that code
/// drawing with plotters directly (through [`crate::plotters`]) never fails
/// with "font unavailable".
const FAMILIES: [&str; 4] = ["sans-serif", "serif", "monospace", "DejaVu Sans"];

static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the bundled DejaVu Sans with plotters, once per process.
///
/// Every drawing entry point of this crate calls it first; call it yourself
/// before drawing text with plotters directly. Later calls are free.
///
/// # Errors
/// [`PlotError::Font`] if plotters rejects the font data (it cannot for the
/// bundled file; the error exists so that this never panics).
pub fn ensure_fonts() -> Result<(), PlotError> {
    let outcome = REGISTERED.get_or_init(|| {
        // Other styles (bold, italic) fall back to `Normal` inside plotters.
        for family in FAMILIES {
            // plotters' `InvalidFont` carries no message and no Display.
            register_font(family, FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "plotters' ab_glyph rejected the font data".to_string())?;
        }
        Ok(())
    });
    outcome.clone().map_err(|reason| PlotError::Font {
        name: DEJAVU_SANS_NAME,
        reason,
    })
}
