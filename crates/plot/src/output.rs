//! Rendering figures to SVG text, PNG bytes, files and notebook cells.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::prelude::*;

use crate::base64::base64_encode;
use crate::draw::draw_figure;
use crate::error::draw_err;
use crate::font::ensure_fonts;
use crate::model::Figure;
use crate::raster::PolishedBackend;
use crate::PlotError;

impl Figure {
    /// Renders the figure as an SVG document (`width` x `height` px).
    ///
    /// The output is the same, byte for byte, on every run and machine.
    ///
    /// # Errors
    /// See [`Figure::validate`] and [`crate::draw_figure`].
    pub fn to_svg_string(&self) -> Result<String, PlotError> {
        ensure_fonts()?;
        self.validate()?;
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (self.width, self.height)).into_drawing_area();
            draw_figure(self, &root)?;
            root.present().map_err(draw_err)?;
        }
        // plotters 0.3.7 embeds rasters as `data:png;base64,...`; browsers
        // and notebook viewers expect the MIME type `image/png`.
        if svg.contains("\"data:png;base64,") {
            svg = svg.replace("\"data:png;base64,", "\"data:image/png;base64,");
        }
        Ok(svg)
    }

    /// Renders the figure into a row-major RGB buffer, 3 bytes per pixel,
    /// `width * height * 3` bytes long.
    ///
    /// # Errors
    /// See [`Figure::validate`] and [`crate::draw_figure`].
    pub fn to_rgb_bytes(&self) -> Result<Vec<u8>, PlotError> {
        ensure_fonts()?;
        self.validate()?;
        // validate() bounds width * height by MAX_PIXELS (2^26), so this fits.
        let len = self.width as usize * self.height as usize * 3;
        let mut buf = vec![0u8; len];
        {
            let backend = BitMapBackend::with_buffer(&mut buf, (self.width, self.height));
            let root = PolishedBackend::new(backend).into_drawing_area();
            draw_figure(self, &root)?;
            root.present().map_err(draw_err)?;
        }
        Ok(buf)
    }

    /// Renders the figure as a PNG image (8-bit RGB), encoded in memory.
    ///
    /// The text is drawn with the bundled DejaVu Sans, so the bytes are the
    /// same on every run and machine.
    ///
    /// # Errors
    /// See [`Figure::to_rgb_bytes`]; [`PlotError::Encode`] if encoding fails.
    pub fn to_png_bytes(&self) -> Result<Vec<u8>, PlotError> {
        let rgb = self.to_rgb_bytes()?;
        encode_png(&rgb, self.width, self.height)
    }

    /// Writes [`Figure::to_svg_string`] to `path` atomically: the figure is
    /// rendered first, then written to a temporary file in the same folder
    /// and renamed over `path`, so no half-written file is ever left.
    ///
    /// # Errors
    /// Rendering errors, [`PlotError::InvalidPath`], [`PlotError::Io`].
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let svg = self.to_svg_string()?;
        write_atomic(path.as_ref(), svg.as_bytes())
    }

    /// Writes [`Figure::to_png_bytes`] to `path` atomically (see
    /// [`Figure::save_svg`]).
    ///
    /// # Errors
    /// Rendering errors, [`PlotError::InvalidPath`], [`PlotError::Io`].
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let png = self.to_png_bytes()?;
        write_atomic(path.as_ref(), &png)
    }

    /// The text the evcxr Jupyter kernel reads as rich output: the SVG
    /// between `EVCXR_BEGIN_CONTENT image/svg+xml` and `EVCXR_END_CONTENT`.
    ///
    /// # Errors
    /// See [`Figure::to_svg_string`].
    pub fn to_evcxr_content(&self) -> Result<String, PlotError> {
        let svg = self.to_svg_string()?;
        Ok(format!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            svg.trim_end()
        ))
    }

    /// Shows the figure in an evcxr Jupyter notebook: evcxr calls this on
    /// the value of a cell's last expression. On error, prints the error
    /// message as the cell's text output instead (it cannot return it).
    pub fn evcxr_display(&self) {
        print_evcxr(self.to_evcxr_content());
    }

    /// Wraps the figure so that a notebook cell shows it as a PNG image
    /// instead of an SVG document (see [`PngFigure`]): for figures whose SVG
    /// would be large, such as rasters and scatters of thousands of points.
    ///
    /// ```
    /// use numlab_plot::{Chart, Figure, Series};
    ///
    /// let xs: Vec<f64> = (0..5000).map(|i| (i as f64 * 0.37).sin()).collect();
    /// let ys: Vec<f64> = (0..5000).map(|i| (i as f64 * 0.73).cos()).collect();
    /// let figure = Figure::single(Chart::new("5,000 points").with_series(Series::points("p", &xs, &ys)), 600, 400);
    /// let png = figure.clone().in_png();
    /// assert!(png.to_evcxr_content()?.starts_with("EVCXR_BEGIN_CONTENT image/png\n"));
    /// assert_eq!(png.to_png_bytes()?, figure.to_png_bytes()?);
    /// # Ok::<(), numlab_plot::PlotError>(())
    /// ```
    pub fn in_png(self) -> PngFigure {
        PngFigure { figure: self }
    }
}

/// A [`Figure`] that an evcxr Jupyter cell shows as a PNG image
/// (`image/png`), made by [`Figure::in_png`] or [`Chart::in_png`].
///
/// An SVG grows with every point drawn; a PNG grows with the picture's
/// detail and size only, so a raster of tens of thousands of spikes stays a
/// few tens of kilobytes. The PNG is [`Figure::to_png_bytes`], the same bytes
/// as [`Figure::save_png`] writes: drawn with the bundled DejaVu Sans, the
/// same on every run and machine.
///
/// [`Chart::in_png`]: crate::Chart::in_png
#[derive(Clone, Debug, PartialEq)]
pub struct PngFigure {
    /// The figure drawn.
    pub figure: Figure,
}

impl PngFigure {
    /// The figure as PNG bytes ([`Figure::to_png_bytes`]).
    ///
    /// # Errors
    /// See [`Figure::to_png_bytes`].
    pub fn to_png_bytes(&self) -> Result<Vec<u8>, PlotError> {
        self.figure.to_png_bytes()
    }

    /// The text the evcxr Jupyter kernel reads as rich output: the PNG in
    /// base64 (RFC 4648, one line) between `EVCXR_BEGIN_CONTENT image/png`
    /// and `EVCXR_END_CONTENT`.
    ///
    /// # Errors
    /// See [`Figure::to_png_bytes`].
    pub fn to_evcxr_content(&self) -> Result<String, PlotError> {
        let png = self.to_png_bytes()?;
        Ok(format!(
            "EVCXR_BEGIN_CONTENT image/png\n{}\nEVCXR_END_CONTENT",
            base64_encode(&png)
        ))
    }

    /// Shows the figure as a PNG image in an evcxr Jupyter notebook (evcxr
    /// calls this on the value of a cell's last expression). On error,
    /// prints the error message as the cell's text output instead.
    pub fn evcxr_display(&self) {
        print_evcxr(self.to_evcxr_content());
    }
}

impl From<Figure> for PngFigure {
    fn from(figure: Figure) -> Self {
        figure.in_png()
    }
}

/// Prints evcxr rich content, or the error as the cell's text output.
fn print_evcxr(content: Result<String, PlotError>) {
    match content {
        Ok(content) => println!("{content}"),
        Err(e) => println!("EVCXR_BEGIN_CONTENT text/plain\nnumlab-plot: {e}\nEVCXR_END_CONTENT"),
    }
}

/// Encodes a row-major 8-bit RGB buffer (`width * height * 3` bytes, top
/// row first) as PNG, deterministically (fixed filter and compression
/// settings, no time stamps): for rasters written as they are, such as a
/// heat-map at one pixel per cell.
///
/// # Errors
/// [`PlotError::ZeroSize`], [`PlotError::ImageSize`] for a buffer of the
/// wrong length, [`PlotError::Encode`].
pub fn rgb_to_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    crate::model::check_size(width, height)?;
    if rgb.len() as u64 != u64::from(width) * u64::from(height) * 3 {
        return Err(PlotError::ImageSize {
            width: width as usize,
            height: height as usize,
            bytes: rgb.len(),
        });
    }
    encode_png(rgb, width, height)
}

/// Encodes an 8-bit RGB buffer as PNG (deterministic: fixed filter and
/// compression settings, no time stamps).
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let fail = |e: png::EncodingError| PlotError::Encode {
        width,
        height,
        reason: e.to_string(),
    };
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.write_image_data(rgb).map_err(fail)?;
        writer.finish().map_err(fail)?;
    }
    Ok(out)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to a fresh temporary file beside `path`, syncs it, then
/// renames it onto `path`. On any error the temporary file is removed and
/// `path` is left as it was.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PlotError> {
    let invalid = || PlotError::InvalidPath {
        path: path.to_path_buf(),
    };
    let name = path.file_name().ok_or_else(invalid)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |source: std::io::Error| PlotError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = dir.join(tmp_name);

    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        // Best effort: the temporary file may not even exist.
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_cleans_up() {
        let dir = std::env::temp_dir().join(format!("numlab-plot-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("a.txt");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        // A missing folder is an I/O error naming the path, not a panic.
        let missing = dir.join("no/such/dir/b.svg");
        assert!(matches!(
            write_atomic(&missing, b"x"),
            Err(PlotError::Io { .. })
        ));
        assert!(matches!(
            write_atomic(Path::new(""), b"x"),
            Err(PlotError::InvalidPath { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }
}
