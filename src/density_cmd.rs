//! `numlab density`: a density heat-map of the user's points (study 06).

use std::path::{Path, PathBuf};

use clap::Args;
use numlab_core::density::{
    box_density, colorize, gaussian_density, histogram2d, kde_grid, knn_density, Bandwidth,
    Colormap, Density, HistogramCounter, KdeMethod, KnnFunction, View,
};
use numlab_core::NumlabError;

use crate::output::{check_output, note, outln, print, write_output};
use crate::table::{npy_grid_bytes, push_float, Columns, Header};

/// Arguments of `numlab density`.
#[derive(Args)]
pub struct DensityArgs {
    /// CSV file of points (header row allowed), or a NumPy .npy array of
    /// shape (n, k), float64 or float32, columns picked by index.
    #[arg(value_name = "POINTS.csv|POINTS.npy")]
    input: String,
    /// The first row is a header even if a name looks like a number (without this, a first row of text is a header and one that mixes numbers and text is an error).
    #[arg(long)]
    header: bool,
    /// Column of x (name or 0-based index); default the first.
    #[arg(long = "x", value_name = "COL")]
    x_col: Option<String>,
    /// Column of y (name or 0-based index); default the second.
    #[arg(long = "y", value_name = "COL")]
    y_col: Option<String>,
    /// Grid size in cells, W x H (columns x rows), e.g. 256x256: at most
    /// 33554432 cells (2^25, e.g. 8192x4096), the padding for a blur's reach
    /// included; for a PNG at most 67108864 pixels.
    #[arg(
        long,
        value_name = "WxH",
        default_value = "256x256",
        allow_hyphen_values = true
    )]
    size: String,
    /// The view X0,Y0,X1,Y1 in data units; default the points' bounds.
    #[arg(long, value_name = "X0,Y0,X1,Y1", allow_hyphen_values = true)]
    view: Option<String>,
    /// hist (counts, numpy.histogram2d), gauss (counts blurred by a Gaussian
    /// of --sigma px), box (--passes box sums of the radius whose variance
    /// matches --sigma), knn (k-nearest-neighbour density, per unit area),
    /// kde (Gaussian KDE, per unit area). hist, gauss and box stream the
    /// file in bounded memory (without --view, reading it twice: bounds,
    /// then counts); knn and kde, and --overlay, need all the points in
    /// memory.
    #[arg(long, value_name = "METHOD", default_value = "gauss")]
    method: String,
    /// Gaussian sigma in pixels (cells), for gauss and box; its reach (4 sigma,
    /// or passes x the box radius) pads the grid and counts toward the cell limit.
    #[arg(
        long,
        value_name = "PX",
        default_value_t = 10.0,
        allow_hyphen_values = true
    )]
    sigma: f64,
    /// Box-sum passes, for box: at most 64.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 4,
        allow_hyphen_values = true
    )]
    passes: usize,
    /// Neighbours, for knn: at most the number of points, and k x cells at
    /// most 134217728 (2^27 neighbour visits, about 20 s).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 5,
        allow_hyphen_values = true
    )]
    k: usize,
    /// KDE bandwidth: scott, silverman (the same in 2-D), or a factor
    /// (kernel covariance = factor² × the points' covariance, as SciPy's bw_method),
    /// small or large enough that this covariance stays representable. A KDE
    /// may take at most 2^32 kernel evaluations (about 20 s): the exact sum,
    /// used when the bandwidth dwarfs the view, costs points x cells.
    #[arg(
        long,
        value_name = "RULE|VALUE",
        default_value = "scott",
        allow_hyphen_values = true
    )]
    bandwidth: String,
    /// OUT.png (viridis heat-map, one pixel per cell), OUT.csv or OUT.npy
    /// (H rows by W columns, row 0 = lowest y); default CSV on stdout.
    #[arg(long, value_name = "OUT.png|OUT.csv|OUT.npy")]
    output: Option<PathBuf>,
    /// Draw the points on top of the PNG.
    #[arg(long)]
    overlay: bool,
}

/// The library's error, led by the flag that set the parameter it names.
fn flag_error(e: NumlabError) -> String {
    let flag = match (&e, e.parameter()) {
        (NumlabError::TooShort { .. }, _) => None,
        (_, Some("sigma" | "truncate" | "radius")) => Some("--sigma"),
        (_, Some("bandwidth")) => Some("--bandwidth"),
        (_, Some("k")) => Some("--k"),
        (_, Some("passes")) => Some("--passes"),
        (_, Some("width" | "height" | "cells")) => Some("--size"),
        (_, Some(n)) if n.starts_with("view") => Some("--view"),
        _ => None,
    };
    match flag {
        Some(f) => e.for_option(f),
        None => e.to_string(),
    }
}

fn parse_size(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("--size {s}: expected WxH with W, H >= 1 (e.g. 256x256)");
    let (w, h) = s
        .to_ascii_lowercase()
        .split_once('x')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .ok_or_else(bad)?;
    let w: usize = w.parse().map_err(|_| bad())?;
    let h: usize = h.parse().map_err(|_| bad())?;
    if w == 0 || h == 0 {
        return Err(bad());
    }
    Ok((w, h))
}

fn parse_view(s: &str) -> Result<View, String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("--view {s}: expected four numbers X0,Y0,X1,Y1"))?;
    if v.len() != 4 {
        return Err(format!(
            "--view {s}: expected four numbers X0,Y0,X1,Y1, got {}",
            v.len()
        ));
    }
    View::new(v[0], v[1], v[2], v[3]).map_err(flag_error)
}

/// The box radius whose `passes` passes have the variance of a Gaussian of
/// `sigma` cells: one box of width 2r+1 has variance r(r+1)/3.
pub fn box_radius(sigma: f64, passes: usize) -> usize {
    let v = sigma * sigma / passes.max(1) as f64;
    ((-1.0 + (1.0 + 12.0 * v).sqrt()) / 2.0).round().max(0.0) as usize
}

fn csv_grid(d: &Density) -> Vec<u8> {
    let g = &d.grid;
    let mut s = Vec::with_capacity(g.values.len() * 20);
    for row in g.values.rows() {
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                s.push(b',');
            }
            push_float(&mut s, *v);
        }
        s.push(b'\n');
    }
    s
}

fn png_grid(d: &Density, x: &[f64], y: &[f64], overlay: bool) -> Result<Vec<u8>, String> {
    let g = &d.grid;
    let hi = g
        .values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, &v| m.max(v));
    let mut rgb = colorize(g.values.view(), Colormap::Viridis, 0.0, hi);
    let (width, height) = (g.width(), g.height());
    if overlay {
        let (hx, hy) = (g.view.cell_width(width), g.view.cell_height(height));
        for (&a, &b) in x.iter().zip(y) {
            let c = ((a - g.view.x0) / hx).floor();
            let r = ((b - g.view.y0) / hy).floor();
            if !(c >= 0.0 && r >= 0.0 && c < width as f64 && r < height as f64) {
                continue;
            }
            // Image rows run from the top; a white dot with a dark centre.
            let (c, r) = (c as usize, height - 1 - r as usize);
            for (dr, dc, col) in [
                (0isize, 0isize, [0u8, 0, 0]),
                (-1, 0, [255, 255, 255]),
                (1, 0, [255, 255, 255]),
                (0, -1, [255, 255, 255]),
                (0, 1, [255, 255, 255]),
            ] {
                let (rr, cc) = (r as isize + dr, c as isize + dc);
                if rr >= 0 && cc >= 0 && (rr as usize) < height && (cc as usize) < width {
                    let k = (rr as usize * width + cc as usize) * 3;
                    if dr != 0 || dc != 0 {
                        // Keep neighbours' centres dark when points crowd.
                        if rgb[k..k + 3] == [0, 0, 0] {
                            continue;
                        }
                    }
                    rgb[k..k + 3].copy_from_slice(&col);
                }
            }
        }
    }
    numlab_studies::numlab_plot::rgb_to_png(&rgb, width as u32, height as u32)
        .map_err(|e| e.to_string())
}

/// Computes the density and writes it.
pub fn run(a: DensityArgs) -> Result<(), String> {
    check_output(a.output.as_ref())?;
    let (w, h) = parse_size(&a.size)?;
    // The sizes are refused before the points are read.
    numlab_core::density::check_size(w, h).map_err(flag_error)?;
    let view = a.view.as_deref().map(parse_view).transpose()?;
    let out_kind = match &a.output {
        None => "csv",
        Some(p) => match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => "png",
            Some("csv") => "csv",
            Some("npy") => "npy",
            _ => {
                return Err(format!(
                    "--output {}: the name must end in .png, .csv or .npy",
                    p.display()
                ))
            }
        },
    };
    if a.overlay && out_kind != "png" {
        return Err("--overlay draws the points on a PNG: use --output OUT.png".into());
    }
    let max_pixels = numlab_studies::numlab_plot::MAX_PIXELS;
    if out_kind == "png" && (w as u64).saturating_mul(h as u64) > max_pixels {
        return Err(format!(
            "--size {}: at most {max_pixels} pixels for a PNG (one pixel per cell; use .npy or .csv for larger grids)",
            a.size
        ));
    }
    let keys = vec![
        a.x_col.clone().unwrap_or_else(|| "0".into()),
        a.y_col.clone().unwrap_or_else(|| "1".into()),
    ];
    // hist, gauss and box stream the points (bounded memory); anything the stream
    // declines (and every error) takes the whole-file path below, which
    // words the message.
    if matches!(a.method.as_str(), "hist" | "gauss" | "box") && !a.overlay {
        if let Some((d, n)) = streamed(&a, &keys, view, w, h) {
            return finish(&a, out_kind, &d, n, &[], &[]);
        }
    }
    let table = Columns::read_keys(&a.input, Header::from_flag(a.header), &|_| keys.clone())?;
    if table.values.len() < 2 && (a.x_col.is_none() || a.y_col.is_none()) {
        return Err(format!(
            "{}: needs two columns (x and y) of points",
            a.input
        ));
    }
    let x = table.column(a.x_col.as_deref().unwrap_or("0"), "--x")?;
    let y = table.column(a.y_col.as_deref().unwrap_or("1"), "--y")?;
    let view = match view {
        Some(v) => v,
        None => View::bounds(x, y).map_err(|e| {
            format!("the points' bounds make no view ({e}): give --view X0,Y0,X1,Y1")
        })?,
    };
    let spinner = crate::progress::Spinner::new(&format!("density --method {}", a.method));
    let d = match a.method.as_str() {
        "hist" => histogram2d(x, y, view, w, h),
        "gauss" => gaussian_density(x, y, view, w, h, a.sigma, 4.0),
        "box" => {
            if !(a.sigma.is_finite() && a.sigma > 0.0) {
                return Err(flag_error(NumlabError::InvalidParameter {
                    name: "sigma",
                    value: a.sigma,
                    expected: "must be finite and > 0",
                }));
            }
            let radius = box_radius(a.sigma, a.passes);
            // Named by --sigma as given (the radius is derived from it).
            let pad = radius.saturating_mul(a.passes);
            if a.passes <= numlab_core::density::MAX_BOX_PASSES {
                numlab_core::density::check_padded(
                    w,
                    h,
                    pad,
                    "sigma",
                    a.sigma,
                    pad as f64 / a.sigma,
                    "px of sigma",
                )
                .map_err(flag_error)?;
            }
            box_density(x, y, view, w, h, radius, a.passes)
        }
        "knn" => knn_density(x, y, view, w, h, a.k, KnnFunction::Density),
        "kde" => {
            let bandwidth: Bandwidth = a.bandwidth.parse().map_err(flag_error)?;
            kde_grid(x, y, view, w, h, bandwidth, KdeMethod::Fast)
        }
        m => {
            return Err(format!(
                "--method {m}: expected hist, gauss, box, knn or kde"
            ));
        }
    }
    .map_err(flag_error)?;
    drop(spinner);
    finish(&a, out_kind, &d, x.len(), x, y)
}

/// Writes the density (to --output, or stdout) and says what was written;
/// `n` points were read, `x`, `y` are the points for --overlay.
fn finish(
    a: &DensityArgs,
    out_kind: &str,
    d: &Density,
    n: usize,
    x: &[f64],
    y: &[f64],
) -> Result<(), String> {
    let bytes = match out_kind {
        "png" => png_grid(d, x, y, a.overlay)?,
        "npy" => npy_grid_bytes(&d.grid.values),
        _ => csv_grid(d),
    };
    if d.nonfinite > 0 {
        note(&format!(
            "{} of {} points skipped (NaN or inf in x or y)",
            d.nonfinite, n
        ));
    }
    match &a.output {
        Some(path) => {
            write_output(path, &bytes)?;
            outln!("{}", summary(&a.method, path, d, n));
            Ok(())
        }
        None => print(&bytes),
    }
}

/// `--method hist`, `gauss` or `box` with the points streamed from the file, block
/// by block, in bounded memory: without --view a first pass finds the
/// bounds. Counts are summed as exact integers, so the result is the
/// whole-file result bit for bit. `None` where the whole-file path must run
/// (a file the stream declines, any error, no finite point, bad --sigma or
/// --passes: that path words the message in its order).
fn streamed(
    a: &DensityArgs,
    keys: &[String],
    view: Option<View>,
    w: usize,
    h: usize,
) -> Option<(Density, usize)> {
    let header = Header::from_flag(a.header);
    let view = match view {
        Some(v) => v,
        None => {
            let (mut x0, mut x1, mut y0, mut y1) =
                (f64::INFINITY, -f64::INFINITY, f64::INFINITY, -f64::INFINITY);
            let mut finite = false;
            Columns::stream(&a.input, header, keys, &mut |cols| {
                for (&p, &q) in cols[0].iter().zip(cols[1]) {
                    if p.is_finite() && q.is_finite() {
                        x0 = x0.min(p);
                        x1 = x1.max(p);
                        y0 = y0.min(q);
                        y1 = y1.max(q);
                        finite = true;
                    }
                }
                Some(())
            })?;
            if !finite {
                return None;
            }
            // As View::bounds: the same bounds, the same refusal.
            View::new(x0, y0, x1, y1).ok()?
        }
    };
    // The grid the points are counted on: the view, or for box the view
    // padded by passes x radius cells (as box_density pads it).
    let mut blur = None;
    let (pad, radius) = match a.method.as_str() {
        "gauss" => {
            // As gaussian_density: the blur planned, its reach checked.
            let b = numlab_core::density::GridBlur::new(
                a.sigma,
                4.0,
                numlab_core::smoothing::Method::Auto,
            )
            .ok()?;
            let pad = b.radius();
            numlab_core::density::check_padded(w, h, pad, "sigma", a.sigma, 4.0, "px of sigma")
                .ok()?;
            blur = Some(b);
            (pad, 0)
        }
        "box" => {
            if !(a.sigma.is_finite() && a.sigma > 0.0)
                || a.passes == 0
                || a.passes > numlab_core::density::MAX_BOX_PASSES
            {
                return None;
            }
            let radius = box_radius(a.sigma, a.passes);
            let pad = radius.saturating_mul(a.passes);
            numlab_core::density::check_padded(
                w,
                h,
                pad,
                "radius",
                radius as f64,
                a.passes as f64,
                "cells of radius",
            )
            .ok()?;
            (pad, radius)
        }
        _ => (0, 0),
    };
    let (hx, hy) = (view.cell_width(w), view.cell_height(h));
    let counted = View {
        x0: view.x0 - pad as f64 * hx,
        x1: view.x1 + pad as f64 * hx,
        y0: view.y0 - pad as f64 * hy,
        y1: view.y1 + pad as f64 * hy,
    };
    let (wp, hp) = (w + 2 * pad, h + 2 * pad);
    // Each block of rows is counted on the thread that read it, into a
    // counter taken from a shared pool (at most one per thread at a time)
    // and put back; the counts are integers, so which counter saw which
    // block does not change a bit of the sum.
    let fresh = || HistogramCounter::new(counted, wp, hp).ok();
    let pool: std::sync::Mutex<Vec<HistogramCounter>> = std::sync::Mutex::new(vec![fresh()?]);
    let take = || pool.lock().ok()?.pop().or_else(fresh);
    let count = |cols: &[&[f64]]| -> Option<()> {
        let mut c = take()?;
        let added = c.add(cols[0], cols[1]).ok();
        pool.lock().ok()?.push(c);
        added
    };
    let n = Columns::stream_map(&a.input, header, keys, &count, &mut |done| done)?;
    let mut counters = pool.into_inner().ok()?.into_iter();
    let mut all = counters.next()?;
    for c in counters {
        all.merge(&c).ok()?;
    }
    let nonfinite = all.nonfinite();
    // None when no point is finite (the whole-file route words the error).
    let mut counts = all.finish().ok()?.grid.values;
    let grid = if let Some(blur) = blur {
        // Exact integer counts (as the whole-file path holds them).
        let counts: Vec<u32> = counts
            .iter()
            .map(|&c| (c <= f64::from(u32::MAX)).then_some(c as u32))
            .collect::<Option<_>>()?;
        let counts = numlab_core::ndarray::Array2::from_shape_vec((hp, wp), counts).ok()?;
        numlab_core::density::Grid::new(view, blur.blur_valid_counts(counts).ok()?)
    } else if pad > 0 || a.method == "box" {
        numlab_core::density::box_sum_passes(counts.view_mut(), radius, a.passes, true).ok()?;
        let full = numlab_core::density::Grid::new(counted, counts);
        let mut cropped = full.crop(pad, pad, h, w).ok()?;
        cropped.view = view;
        cropped
    } else {
        numlab_core::density::Grid::new(view, counts)
    };
    Some((Density { grid, nonfinite }, n))
}

fn summary(method: &str, path: &Path, d: &Density, n: usize) -> String {
    format!(
        "wrote {}: {} x {} cells ({method}), view {}, {} points, {} skipped (NaN/inf)",
        path.display(),
        d.grid.width(),
        d.grid.height(),
        d.grid.view,
        n,
        d.nonfinite
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: DensityArgs,
    }

    /// The streamed hist and box densities equal the whole-file ones bit
    /// for bit, with and without --view, at block sizes that cut rows and
    /// numbers anywhere; files the stream declines say so.
    #[test]
    fn streamed_equals_whole_file() {
        let path = std::env::temp_dir().join(format!("numlab-stream-{}.csv", std::process::id()));
        let p = path.to_str().unwrap().to_string();
        let mut state: u64 = 0x7374_7265_616d_3131;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut text = String::from("a,x,y\r\n");
        for i in 0..20_000 {
            let (x, y) = (next() * 2.2 - 1.1, next() * 2.0 - 1.0);
            match i % 997 {
                5 => text.push_str(&format!("{i},nan,{y:.6}\r\n")),
                6 => text.push_str(&format!("{i},,{y}\r\n")),
                7 => text.push_str(&format!("{i},{x:e},inf\r\n")),
                _ => text.push_str(&format!("{i},{x:.6},{y:.17}\r\n")),
            }
        }
        text.push_str("\r\n\r\n");
        std::fs::write(&path, &text).unwrap();
        let whole = Columns::read(&p, Header::Detect).unwrap();
        let (x, y) = (
            whole.column("x", "--x").unwrap(),
            whole.column("y", "--y").unwrap(),
        );
        let keys = vec!["x".to_string(), "y".to_string()];
        for block in [61, 4096, 1 << 20] {
            crate::table::STREAM_BLOCK.store(block, std::sync::atomic::Ordering::Relaxed);
            for (method, view) in [
                ("hist", Some("-1,-1,1,1")),
                ("hist", None),
                ("box", Some("-0.5,-1,1,0.25")),
                ("box", None),
                ("gauss", Some("-0.5,-1,1,0.25")),
                ("gauss", None),
            ] {
                let mut argv = vec![
                    "t",
                    p.as_str(),
                    "--method",
                    method,
                    "--sigma",
                    "2.5",
                    "--passes",
                    "3",
                ];
                if let Some(v) = view {
                    argv.extend(["--view", v]);
                }
                let a = Cli::parse_from(argv).args;
                let view = a.view.as_deref().map(parse_view).transpose().unwrap();
                let (w, h) = (37, 23);
                let (d, n) = streamed(&a, &keys, view, w, h).expect("streamed");
                let view = view.unwrap_or_else(|| View::bounds(x, y).unwrap());
                let want = match method {
                    "hist" => histogram2d(x, y, view, w, h).unwrap(),
                    "gauss" => gaussian_density(x, y, view, w, h, 2.5, 4.0).unwrap(),
                    _ => box_density(x, y, view, w, h, box_radius(2.5, 3), 3).unwrap(),
                };
                assert_eq!(n, x.len());
                assert_eq!(d.nonfinite, want.nonfinite);
                assert_eq!(d.grid.view, want.grid.view);
                let bits = |g: &numlab_core::ndarray::Array2<f64>| {
                    g.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                };
                assert_eq!(d.grid.values.dim(), want.grid.values.dim());
                assert_eq!(
                    bits(&d.grid.values),
                    bits(&want.grid.values),
                    "{method} {block}"
                );
            }
        }
        crate::table::STREAM_BLOCK.store(1 << 24, std::sync::atomic::Ordering::Relaxed);
        // A quoted cell: the stream declines, the whole-file path reads it.
        std::fs::write(&path, "x,y\n1,2\n\"3\",4\n").unwrap();
        let a = Cli::parse_from(["t", p.as_str(), "--method", "hist"]).args;
        assert!(streamed(&a, &["0".into(), "1".into()], None, 4, 4).is_none());
        let _ = std::fs::remove_file(&path);
    }
}
