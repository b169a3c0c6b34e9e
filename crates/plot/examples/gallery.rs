//! Renders a few sample figures (PNG and SVG) into a folder, for eyeballing
//! the default style: `cargo run -p numlab-plot --example gallery -- OUT_DIR`.

use numlab_plot::{Chart, Figure, LegendPosition, PlotError, ReferenceSlope, Scale, Series};

fn main() -> Result<(), PlotError> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "gallery".to_string());
    std::fs::create_dir_all(&out).map_err(|source| PlotError::Io {
        path: out.clone().into(),
        source,
    })?;
    let path = |name: &str| std::path::Path::new(&out).join(name);

    // A linear chart with three series.
    let x: Vec<f64> = (0..200).map(|i| i as f64 * 0.05).collect();
    let noisy: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, t)| t.sin() + 0.25 * ((i * 7919 % 101) as f64 / 50.0 - 1.0))
        .collect();
    let smooth: Vec<f64> = x.iter().map(|t| t.sin()).collect();
    let lines = Chart::new("Gaussian smoothing of a noisy sine")
        .with_labels("t (s)", "y (a.u.)")
        .with_series(Series::points("noisy samples", &x, &noisy).with_width(1))
        .with_series(Series::line("smoothed, σ = 0.3 s", &x, &smooth))
        .with_series(
            Series::line(
                "truth",
                &x,
                &x.iter().map(|t| t.sin() * 0.9).collect::<Vec<_>>(),
            )
            .with_width(1),
        );
    Figure::single(lines.clone(), 900, 560).save_png(path("lines.png"))?;
    Figure::single(lines.clone(), 900, 560).save_svg(path("lines.svg"))?;

    // Log-log convergence with a reference slope.
    let n: Vec<f64> = (0..8).map(|k| 16.0 * 2f64.powi(k)).collect();
    let e2: Vec<f64> = n.iter().map(|n| 4.0 / (n * n)).collect();
    let e1: Vec<f64> = n.iter().map(|n| 0.8 / n).collect();
    let conv = Chart::new("Leapfrog convergence")
        .with_labels("grid points n", "max |error|")
        .with_log_log()
        .with_series(Series::line_points("leapfrog", &n, &e2))
        .with_series(Series::line_points("upwind", &n, &e1))
        .with_reference_slope(ReferenceSlope::new(-2.0, (40.0, 4e-4), 1.2, "O(n⁻²)"));
    Figure::single(conv.clone(), 900, 560).save_png(path("loglog.png"))?;

    // Timing-like semilog chart and a 2x3 grid.
    let sizes: Vec<f64> = (4..=20).map(|k| 2f64.powi(k)).collect();
    let t_fft: Vec<f64> = sizes.iter().map(|n| 2e-8 * n * n.log2()).collect();
    let t_direct: Vec<f64> = sizes.iter().map(|n| 1e-9 * n * n).collect();
    let timing = Chart::new("Correlation: direct vs FFT")
        .with_labels("n (samples)", "time (s)")
        .with_log_log()
        .with_series(Series::line_points("direct", &sizes, &t_direct))
        .with_series(Series::line_points("FFT", &sizes, &t_fft));
    let semi = Chart::new("Spike-rate decay")
        .with_labels("t (ms)", "rate (Hz)")
        .with_scales(Scale::Linear, Scale::Log10)
        .with_series(Series::line(
            "rate",
            &x,
            &x.iter()
                .map(|t| 50.0 * (-t / 3.0).exp())
                .collect::<Vec<_>>(),
        ));
    let narrow = Chart::new("Narrow log range")
        .with_labels("x", "y")
        .with_log_log()
        .with_legend(LegendPosition::LowerRight)
        .with_series(Series::line("y = x", &[2.0, 60.0], &[2.0, 60.0]));
    let empty = Chart::new("No data").with_labels("x", "y");
    let grid = Figure::grid(
        vec![lines, conv, timing.clone(), semi, narrow, empty],
        2,
        3,
        1500,
        900,
    )
    .with_title("numlab studies at a glance");
    grid.save_png(path("grid.png"))?;
    Figure::single(timing, 900, 560).save_png(path("timing.png"))?;
    println!("wrote figures to {out}");
    Ok(())
}
