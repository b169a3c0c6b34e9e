//! End-to-end rendering tests: SVG and PNG output, determinism, bad input.

use numlab_plot::{
    draw_chart, Chart, Figure, LegendPosition, PlotError, ReferenceSlope, Scale, Series, SeriesKind,
};

const W: u32 = 900;
const H: u32 = 560;
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn sine_chart() -> Chart {
    let x: Vec<f64> = (0..100).map(|i| i as f64 * 0.1).collect();
    let y: Vec<f64> = x.iter().map(|t| t.sin()).collect();
    let z: Vec<f64> = x.iter().map(|t| 0.5 * t.cos()).collect();
    Chart::new("Sine & cosine <test>")
        .with_labels("t (s)", "y (a.u.)")
        .with_series(Series::line("sin t", &x, &y))
        .with_series(Series::points("cos t / 2", &x, &z))
}

fn convergence_chart() -> Chart {
    let n: Vec<f64> = (0..8).map(|k| 16.0 * 2f64.powi(k)).collect();
    let e: Vec<f64> = n.iter().map(|n| 4.0 / (n * n)).collect();
    Chart::new("Convergence")
        .with_labels("n", "error")
        .with_log_log()
        .with_series(Series::line_points("leapfrog", &n, &e))
        .with_reference_slope(ReferenceSlope::new(-2.0, (40.0, 1e-4), 1.0, "O(n⁻²)"))
}

/// Decodes a PNG into (width, height, RGB bytes).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Checks that `svg` is one balanced `<svg>` element: every opening tag is
/// closed, in order, and nothing follows the root.
fn assert_balanced_svg(svg: &str) {
    assert!(
        svg.starts_with("<svg"),
        "starts with {:?}",
        &svg[..20.min(svg.len())]
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    let mut closed_root = false;
    while let Some(start) = rest.find('<') {
        assert!(!closed_root, "content after the root element");
        let end = rest[start..].find('>').expect("unterminated tag") + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("closing tag without opening tag");
            assert_eq!(open, name.trim(), "mismatched closing tag");
            closed_root = stack.is_empty();
        } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            stack.push(name);
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    assert!(closed_root, "no root element");
    assert!(rest.trim().is_empty(), "trailing text {rest:?}");
}

#[test]
fn svg_is_balanced_and_has_title_text() {
    let svg = Figure::single(sine_chart(), W, H).to_svg_string().unwrap();
    assert_balanced_svg(&svg);
    assert!(svg.contains(r#"width="900" height="560""#));
    // Escaped title, axis labels and legend entries are all there as text.
    assert!(
        svg.contains("Sine &amp; cosine &lt;test&gt;"),
        "title missing"
    );
    for text in ["t (s)", "y (a.u.)", "sin t", "cos t / 2"] {
        assert!(svg.contains(text), "{text:?} missing");
    }
    assert!(
        svg.contains(r##"stroke="#0072B2""##),
        "first palette colour unused"
    );
}

#[test]
fn png_has_signature_size_and_drawn_title() {
    let fig = Figure::single(sine_chart(), W, H);
    let bytes = fig.to_png_bytes().unwrap();
    assert_eq!(bytes[..8], PNG_SIGNATURE);
    let (w, h, rgb) = decode_png(&bytes);
    assert_eq!((w, h), (W, H));
    assert_eq!(rgb.len(), (W * H * 3) as usize);
    // The title band (top 40 px, middle third) holds dark text pixels, which
    // only the bundled font can have drawn; its corners stay white.
    let pixel = |x: u32, y: u32| {
        let i = ((y * W + x) * 3) as usize;
        (rgb[i], rgb[i + 1], rgb[i + 2])
    };
    let dark = (0..40)
        .flat_map(|y| (W / 3..2 * W / 3).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let (r, g, b) = pixel(x, y);
            r < 128 && g < 128 && b < 128
        })
        .count();
    assert!(dark > 100, "only {dark} dark pixels in the title band");
    assert_eq!(pixel(2, 2), (255, 255, 255));
    assert_eq!(pixel(W - 3, H - 3), (255, 255, 255));
    // The PNG is the RGB render, encoded losslessly.
    assert_eq!(rgb, fig.to_rgb_bytes().unwrap());
}

#[test]
fn renders_are_byte_identical() {
    let fig = Figure::grid(vec![sine_chart(), convergence_chart()], 1, 2, 1200, 500)
        .with_title("Two panels");
    assert_eq!(fig.to_svg_string().unwrap(), fig.to_svg_string().unwrap());
    assert_eq!(fig.to_png_bytes().unwrap(), fig.to_png_bytes().unwrap());
    // A clone renders the same too (no hidden state).
    assert_eq!(
        fig.clone().to_png_bytes().unwrap(),
        fig.to_png_bytes().unwrap()
    );
}

#[test]
fn log_log_with_reference_slope_draws() {
    let fig = Figure::single(convergence_chart(), W, H);
    let svg = fig.to_svg_string().unwrap();
    assert_balanced_svg(&svg);
    assert!(svg.contains("O(n⁻²)"), "reference label missing");
    assert!(
        svg.contains("10⁻³") || svg.contains("10⁻⁴"),
        "decade labels missing"
    );
    let (w, h, _) = decode_png(&fig.to_png_bytes().unwrap());
    assert_eq!((w, h), (W, H));
}

#[test]
fn every_scale_combination_and_kind_draws() {
    let x: Vec<f64> = (1..50).map(|i| i as f64).collect();
    let y: Vec<f64> = x.iter().map(|v| v * v).collect();
    for xs in [Scale::Linear, Scale::Log10] {
        for ys in [Scale::Linear, Scale::Log10] {
            for kind in [SeriesKind::Line, SeriesKind::Points, SeriesKind::LinePoints] {
                let chart = Chart::new("combo")
                    .with_scales(xs, ys)
                    .with_series(Series::line("x²", &x, &y).with_kind(kind))
                    .with_reference_slope(ReferenceSlope::new(2.0, (2.0, 4.0), 1.0, "slope 2"));
                let fig = Figure::single(chart, 400, 300);
                fig.to_svg_string().unwrap();
                fig.to_png_bytes().unwrap();
            }
        }
    }
}

#[test]
fn multi_panel_grid_with_empty_cells() {
    let charts = vec![sine_chart(), convergence_chart(), Chart::new("empty")];
    let fig = Figure::grid(charts, 2, 3, 1500, 900).with_title("2x3");
    let (w, h, _) = decode_png(&fig.to_png_bytes().unwrap());
    assert_eq!((w, h), (1500, 900));
}

#[test]
fn zero_size_is_an_error() {
    for (w, h) in [(0, 560), (900, 0), (0, 0)] {
        let fig = Figure::single(sine_chart(), w, h);
        assert!(matches!(
            fig.to_svg_string(),
            Err(PlotError::ZeroSize { width, height }) if (width, height) == (w, h)
        ));
        assert!(matches!(
            fig.to_png_bytes(),
            Err(PlotError::ZeroSize { .. })
        ));
    }
    let huge = Figure::single(sine_chart(), 100_000, 100_000);
    assert!(matches!(
        huge.to_png_bytes(),
        Err(PlotError::TooLarge { .. })
    ));
}

#[test]
fn tiny_panels_are_an_error_not_a_panic() {
    for (w, h) in [(1, 1), (50, 40), (159, 300)] {
        let fig = Figure::single(sine_chart(), w, h);
        assert!(matches!(
            fig.to_png_bytes(),
            Err(PlotError::PanelTooSmall { .. })
        ));
        assert!(matches!(
            fig.to_svg_string(),
            Err(PlotError::PanelTooSmall { .. })
        ));
    }
    let fig = Figure::grid(vec![sine_chart(); 6], 2, 3, 400, 200);
    assert!(matches!(
        fig.to_svg_string(),
        Err(PlotError::PanelTooSmall { .. })
    ));
}

#[test]
fn grid_too_small_and_empty_figure_are_errors() {
    let fig = Figure::grid(vec![sine_chart(); 3], 1, 2, W, H);
    assert!(matches!(
        fig.to_svg_string(),
        Err(PlotError::GridTooSmall {
            rows: 1,
            cols: 2,
            charts: 3
        })
    ));
    let fig = Figure::grid(vec![sine_chart()], 0, 2, W, H);
    assert!(matches!(
        fig.to_png_bytes(),
        Err(PlotError::GridTooSmall { .. })
    ));
    let fig = Figure::grid(vec![sine_chart()], usize::MAX, usize::MAX, W, H);
    assert!(fig.to_svg_string().is_err());
    let fig = Figure::grid(Vec::new(), 2, 2, W, H);
    assert!(matches!(fig.to_svg_string(), Err(PlotError::EmptyFigure)));
}

#[test]
fn empty_and_non_finite_data_draw_an_empty_chart() {
    let nan = [f64::NAN; 5];
    let charts = vec![
        Chart::new("no series"),
        Chart::new("empty series").with_series(Series::line("empty", &[], &[])),
        Chart::new("all NaN").with_series(Series::line("nan", &nan, &nan)),
        Chart::new("infinities").with_series(Series::points(
            "inf",
            &[f64::INFINITY, f64::NEG_INFINITY, 1.0],
            &[1.0, 2.0, f64::NAN],
        )),
        Chart::new("log of non-positive")
            .with_log_log()
            .with_series(Series::line("neg", &[-1.0, 0.0, 2.0], &[1.0, -3.0, 0.0])),
        Chart::new("single point").with_series(Series::line_points("one", &[3.0], &[3.0])),
        Chart::new("constant log")
            .with_log_log()
            .with_series(Series::line("flat", &[1.0, 10.0], &[5.0, 5.0])),
    ];
    for chart in charts {
        let title = chart.title.clone();
        let fig = Figure::single(chart, 500, 350);
        let svg = fig
            .to_svg_string()
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(svg.contains(&title));
        fig.to_png_bytes()
            .unwrap_or_else(|e| panic!("{title}: {e}"));
    }
}

#[test]
fn nan_breaks_lines_and_out_of_range_data_is_clipped() {
    let x = [1.0, 2.0, f64::NAN, 4.0, 5.0, 6.0];
    let y = [1.0, 2.0, 3.0, 4.0, 1e9, 6.0];
    let chart = Chart::new("clip")
        .with_series(Series::line("broken", &x, &y))
        .with_y_range(0.0, 10.0);
    let svg = Figure::single(chart, 500, 350).to_svg_string().unwrap();
    // Pieces 1-2 and 4-(top edge), (top edge)-6: NaN breaks, 1e9 is clipped.
    let series: Vec<Vec<(i32, i32)>> = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| p.contains(r##"stroke="#0072B2""##))
        .map(|p| {
            let start = p.find("points=\"").expect("points attribute") + 8;
            let end = start + p[start..].find('"').expect("closing quote");
            p[start..end]
                .split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect();
    // Three pieces in the plot, plus the legend swatch.
    assert_eq!(series.len(), 4, "{series:?}");
    for (x, y) in series.iter().flatten() {
        assert!(
            (0..500).contains(x) && (0..350).contains(y),
            "({x}, {y}) escapes"
        );
    }
}

#[test]
fn bad_ranges_and_reference_slopes_are_errors() {
    let base = sine_chart();
    let cases = [
        base.clone().with_x_range(1.0, 1.0),
        base.clone().with_x_range(2.0, 1.0),
        base.clone().with_y_range(f64::NAN, 1.0),
        base.clone().with_log_log().with_x_range(0.0, 10.0),
        base.clone().with_log_log().with_y_range(-1.0, 10.0),
    ];
    for chart in cases {
        let r = Figure::single(chart, W, H).to_svg_string();
        assert!(matches!(r, Err(PlotError::InvalidRange { .. })), "{r:?}");
    }
    let slopes = [
        ReferenceSlope::new(f64::NAN, (1.0, 1.0), 1.0, "nan"),
        ReferenceSlope::new(1.0, (1.0, 1.0), 0.0, "zero span"),
        ReferenceSlope::new(1.0, (-1.0, 1.0), 1.0, "negative anchor on log"),
        ReferenceSlope::new(1e308, (1.0, 1.0), 10.0, "overflow"),
    ];
    for s in slopes {
        let chart = convergence_chart().with_reference_slope(s.clone());
        let r = Figure::single(chart, W, H).to_png_bytes();
        assert!(
            matches!(r, Err(PlotError::InvalidReferenceSlope { .. })),
            "{}: {r:?}",
            s.label
        );
    }
}

#[test]
fn try_constructors_report_length_mismatch() {
    let e = Series::try_line("a", &[1.0, 2.0], &[1.0]).unwrap_err();
    assert!(matches!(e, PlotError::LengthMismatch { xs: 2, ys: 1, .. }));
    assert!(Series::try_points("b", &[1.0], &[1.0]).is_ok());
    // The lenient constructors keep the common prefix.
    assert_eq!(
        Series::line("c", &[1.0, 2.0, 3.0], &[5.0]).points,
        vec![(1.0, 5.0)]
    );
}

#[test]
fn legend_positions_and_hidden_legend() {
    for legend in [
        LegendPosition::Auto,
        LegendPosition::UpperLeft,
        LegendPosition::UpperRight,
        LegendPosition::LowerLeft,
        LegendPosition::LowerRight,
    ] {
        let svg = Figure::single(sine_chart().with_legend(legend), 600, 400)
            .to_svg_string()
            .unwrap();
        assert!(svg.contains("sin t"), "{legend:?}");
    }
    let hidden = Figure::single(sine_chart().with_legend(LegendPosition::Hidden), 600, 400)
        .to_svg_string()
        .unwrap();
    assert!(!hidden.contains("sin t"));
    // No labels, no legend: the same drawing as with the legend hidden.
    let unlabelled = Chart::new("u").with_series(Series::line("", &[0.0, 1.0], &[0.0, 1.0]));
    let auto = Figure::single(unlabelled.clone(), 600, 400)
        .to_svg_string()
        .unwrap();
    let hidden = Figure::single(unlabelled.with_legend(LegendPosition::Hidden), 600, 400)
        .to_svg_string()
        .unwrap();
    assert_eq!(auto, hidden);
}

#[test]
fn evcxr_content_wraps_the_svg() {
    let fig = Figure::single(sine_chart(), 600, 400);
    let content = fig.to_evcxr_content().unwrap();
    assert!(content.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
    assert!(content.ends_with("</svg>\nEVCXR_END_CONTENT"));
}

#[test]
fn draw_chart_works_on_any_backend() {
    use numlab_plot::plotters::prelude::*;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 480)).into_drawing_area();
        let (left, right) = root.split_horizontally(320);
        draw_chart(&sine_chart(), &left).unwrap();
        draw_chart(&convergence_chart(), &right).unwrap();
    }
    assert_balanced_svg(&svg);
    let mut rgb = vec![0u8; 640 * 480 * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (640, 480)).into_drawing_area();
        draw_chart(&convergence_chart(), &root).unwrap();
    }
    assert!(rgb.iter().any(|&b| b != 255));
}

#[test]
fn save_writes_atomically() {
    let dir = std::env::temp_dir().join(format!("numlab-plot-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fig = Figure::single(convergence_chart(), 500, 350);
    let png = dir.join("c.png");
    let svg = dir.join("c.svg");
    fig.save_png(&png).unwrap();
    fig.save_svg(&svg).unwrap();
    assert_eq!(std::fs::read(&png).unwrap(), fig.to_png_bytes().unwrap());
    assert_eq!(
        std::fs::read_to_string(&svg).unwrap(),
        fig.to_svg_string().unwrap()
    );
    // A failed render leaves the existing file untouched and no temp file.
    let bad = Figure::single(convergence_chart(), 0, 350);
    assert!(bad.save_png(&png).is_err());
    assert_eq!(std::fs::read(&png).unwrap(), fig.to_png_bytes().unwrap());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // A missing folder is an I/O error that names the path.
    let err = fig.save_svg(dir.join("missing/x.svg")).unwrap_err();
    assert!(matches!(&err, PlotError::Io { path, .. } if path.ends_with("missing/x.svg")));
    assert!(err.to_string().contains("missing"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn smallest_panels_with_long_labels_do_not_panic() {
    let x = [1e-7, 2e-7, 3e-7];
    let y = [-1.234e-5, 5.0e-6, 1.5e-5];
    let chart = Chart::new("A long title that does not fit in a small panel at all")
        .with_labels(
            "a long x description (units)",
            "a long y description (units)",
        )
        .with_series(Series::line_points(
            "a long legend entry for a tiny chart",
            &x,
            &y,
        ));
    for (w, h) in [(160, 120), (161, 133), (200, 120), (160, 400), (1000, 120)] {
        for c in [
            chart.clone(),
            chart.clone().with_scales(Scale::Log10, Scale::Log10),
        ] {
            let fig = Figure::single(c, w, h);
            fig.to_svg_string().unwrap();
            fig.to_png_bytes().unwrap();
        }
    }
}

#[test]
fn extreme_values_draw_or_fail_cleanly() {
    let cases: Vec<(Scale, Vec<f64>)> = vec![
        (Scale::Log10, vec![1e-300, 1e300]),
        (Scale::Log10, vec![5e-324, 1e-320]),
        (Scale::Log10, vec![1.0, 1.0 + 1e-15]),
        (Scale::Linear, vec![1e-300, 2e-300]),
        (Scale::Linear, vec![1e15, 1e15 + 0.25]),
        (Scale::Linear, vec![-1e300, 1e300]),
        (Scale::Linear, vec![f64::MIN_POSITIVE, -f64::MIN_POSITIVE]),
        (Scale::Linear, vec![1e12, 3e12]),
    ];
    for (scale, ys) in cases {
        let xs: Vec<f64> = (0..ys.len()).map(|i| i as f64 + 1.0).collect();
        let chart = Chart::new("extreme")
            .with_scales(Scale::Linear, scale)
            .with_series(Series::line_points("y", &xs, &ys));
        let fig = Figure::single(chart, 500, 350);
        match fig.to_png_bytes() {
            Ok(png) => assert_eq!(png[..8], PNG_SIGNATURE),
            Err(e) => assert!(matches!(e, PlotError::InvalidRange { .. }), "{ys:?}: {e}"),
        }
    }
}

/// A 4 x 3 heat-map: column c, row r (from the top) has colour (60 c, 80 r, 200).
fn image_chart() -> Chart {
    let (w, h) = (4usize, 3usize);
    let mut rgb = Vec::new();
    for r in 0..h {
        for c in 0..w {
            rgb.extend_from_slice(&[60 * c as u8, 80 * r as u8, 200]);
        }
    }
    let colors: Vec<[u8; 3]> = (0..=255u8).map(|v| [v, v, 255 - v]).collect();
    Chart::new("Heat-map")
        .with_labels("x", "y")
        .with_image(
            numlab_plot::Image::new(w, h, rgb, (0.0, 4.0), (0.0, 3.0))
                .with_colorbar("count", 0.0, 12.0, colors),
        )
        .with_series(Series::points("", &[0.5], &[2.5]).with_color(6))
}

#[test]
fn image_fills_its_extent_cell_by_cell_and_is_deterministic() {
    let fig = Figure::single(image_chart(), 600, 450);
    let png = fig.to_png_bytes().unwrap();
    assert_eq!(png, fig.to_png_bytes().unwrap());
    let svg = fig.to_svg_string().unwrap();
    assert_eq!(svg, fig.to_svg_string().unwrap());
    assert!(svg.contains("<image") && svg.contains("data:image/png;base64,"));
    let (w, _, rgb) = decode_png(&png);
    let px = |x: u32, y: u32| {
        let k = ((y * w + x) * 3) as usize;
        [rgb[k], rgb[k + 1], rgb[k + 2]]
    };
    // The image's pixel box: from the top-left cell's colour to the
    // bottom-right cell's.
    let find = |colour: [u8; 3]| -> Vec<(u32, u32)> {
        (0..450)
            .flat_map(|y| (0..600).map(move |x| (x, y)))
            .filter(|&(x, y)| px(x, y) == colour)
            .collect()
    };
    let tl = find([0, 0, 200]);
    let br = find([180, 160, 200]);
    let x0 = tl.iter().map(|p| p.0).min().unwrap();
    let y0 = tl.iter().map(|p| p.1).min().unwrap();
    let x1 = br.iter().map(|p| p.0).max().unwrap();
    let y1 = br.iter().map(|p| p.1).max().unwrap();
    assert!(
        x1 - x0 > 300 && y1 - y0 > 250,
        "the image fills the plotting area"
    );
    // Sample the centre of each cell (away from the grid and the marker).
    for r in 0..3u32 {
        for c in 0..4u32 {
            let x = x0 + (x1 - x0) * (2 * c + 1) / 8;
            let y = y0 + (y1 - y0) * (2 * r + 1) / 6;
            if r == 0 && c == 0 {
                continue; // the marker
            }
            assert_eq!(
                px(x, y),
                [60 * c as u8, 80 * r as u8, 200],
                "cell ({r}, {c})"
            );
        }
    }
    // The colour bar: its top is the highest colour, its bottom the lowest.
    let bar_x = x1 + 14 + 9;
    assert_eq!(px(bar_x, y0), [255, 255, 0]);
    assert_eq!(px(bar_x, y1), [0, 0, 255]);
}

#[test]
fn bad_images_are_errors() {
    let bad = Chart::new("").with_image(numlab_plot::Image::new(
        2,
        2,
        vec![0; 11],
        (0.0, 1.0),
        (0.0, 1.0),
    ));
    assert!(matches!(
        Figure::single(bad, 400, 300).to_svg_string(),
        Err(PlotError::ImageSize {
            width: 2,
            height: 2,
            bytes: 11
        })
    ));
    let flat = Chart::new("").with_image(numlab_plot::Image::new(
        1,
        1,
        vec![0; 3],
        (1.0, 1.0),
        (0.0, 1.0),
    ));
    assert!(matches!(
        Figure::single(flat, 400, 300).to_png_bytes(),
        Err(PlotError::InvalidRange { .. })
    ));
    let log = image_chart().with_log_log();
    assert!(Figure::single(log, 400, 300).to_png_bytes().is_err());
}
