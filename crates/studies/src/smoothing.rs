//! Study 01: Gaussian smoothing of XY data.
//!
//! A user smooths 1,000-10,000 points with a hand-written Gaussian kernel loop
//! that takes seconds and asks for a function that takes the same arguments
//! and is faster. This study reproduces their two scenarios with their
//! arguments, checks that [`gaussian_flatten`] gives their output, times their
//! two versions (ported to Rust, O(n²)) against numlab's methods, shows the
//! regression that is right on irregular x, and what each edge mode does.

use numlab_core::signals;
use numlab_core::smoothing::{
    gaussian_flatten, nadaraya_watson, reference, Cutoff, EdgeMode, GaussianSmoother, Method,
};
use numlab_plot::{Chart, Figure, LegendPosition, ReferenceSlope, Scale, Series};

use crate::display::Table;
use crate::timing::{self, human};
use crate::{NamedFigure, Result, StudyOutput};

/// The seed of the questioner's first scenario's data.
pub const SEED_SCENARIO_1: u64 = 1001;
/// The seed of the second scenario's data.
pub const SEED_SCENARIO_2: u64 = 3073;
/// The seed of the irregular-x example.
pub const SEED_IRREGULAR: u64 = 42;
/// The seed of the edge-mode example.
pub const SEED_EDGES: u64 = 7;
/// The seed of the timing and accuracy sweeps.
pub const SEED_SWEEP: u64 = 2024;

/// One of the questioner's runs: `x = 0..n-1`, `y` uniform in [-4, 4).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scenario {
    /// Label for tables.
    pub name: String,
    /// Sample positions 0..n-1.
    pub x: Vec<f64>,
    /// Values uniform in [-4, 4).
    pub y: Vec<f64>,
    /// Their `reachPercentage`.
    pub reach: f64,
    /// Their `sigma` (samples).
    pub sigma: f64,
    /// Their `phi`.
    pub phi: f64,
    /// Their `amplitude`.
    pub amplitude: f64,
}

impl Scenario {
    /// `n` points uniform in [-4, 4) from `seed`, with their arguments.
    ///
    /// # Errors
    /// Only if the seeded generator refuses its range (it does not).
    pub fn new(name: &str, n: usize, sigma: f64, reach: f64, seed: u64) -> Result<Self> {
        Ok(Scenario {
            name: name.to_string(),
            x: signals::arange(n),
            y: signals::uniform(n, -4.0, 4.0, seed)?,
            reach,
            sigma,
            phi: 0.0,
            amplitude: 1.0,
        })
    }

    /// Their first script: 1,000 points, sigma 10, reach 0.1.
    pub fn first() -> Result<Self> {
        Self::new(
            "1,000 points, sigma 10, reach 0.1",
            1000,
            10.0,
            0.1,
            SEED_SCENARIO_1,
        )
    }

    /// Their second script: 3,073 points, sigma 100, reach 0.001.
    pub fn second() -> Result<Self> {
        Self::new(
            "3,073 points, sigma 100, reach 0.001",
            3073,
            100.0,
            0.001,
            SEED_SCENARIO_2,
        )
    }

    /// numlab's call with their arguments.
    ///
    /// # Errors
    /// As [`gaussian_flatten`].
    pub fn ours(&self) -> Result<Vec<f64>> {
        Ok(gaussian_flatten(
            &self.x,
            &self.y,
            self.reach,
            self.sigma,
            self.phi,
            self.amplitude,
        )?)
    }

    /// Their improved version, ported.
    pub fn theirs(&self) -> Vec<f64> {
        reference::seed_vectorised(
            &self.x,
            &self.y,
            self.reach,
            self.sigma,
            self.phi,
            self.amplitude,
        )
    }
}

/// The same call, theirs and ours, with times.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// The scenario.
    pub scenario: Scenario,
    /// numlab's output.
    pub ours: Vec<f64>,
    /// The output of their improved version (ported).
    pub theirs: Vec<f64>,
    /// max |ours - theirs|.
    pub max_abs_diff: f64,
    /// numlab's median time (s).
    pub ours_s: f64,
    /// Their original loop version, ported, one run (s).
    pub loop_port_s: f64,
    /// Their improved version, ported, one run (s).
    pub vectorised_port_s: f64,
}

impl Comparison {
    /// Runs both on `scenario` and times them.
    ///
    /// # Errors
    /// As [`gaussian_flatten`].
    pub fn run(scenario: Scenario) -> Result<Self> {
        let s = &scenario;
        let ours = s.ours()?;
        let (theirs, vectorised_port_s) = timing::once(|| s.theirs());
        let (_, loop_port_s) =
            timing::once(|| reference::seed_loop(&s.x, &s.y, s.reach, s.sigma, s.phi, s.amplitude));
        let t = timing::measure(|| s.ours(), 5, 200, 0.2);
        let max_abs_diff = max_abs_diff(&ours, &theirs);
        Ok(Comparison {
            scenario,
            ours,
            theirs,
            max_abs_diff,
            ours_s: t.median_s,
            loop_port_s,
            vectorised_port_s,
        })
    }

    /// The comparison as a table: times and the largest difference.
    pub fn table(&self) -> Table {
        let mut t = Table::new(["", "value"]);
        t.row(["scenario".to_string(), self.scenario.name.clone()]);
        t.row([
            "their original loops (Rust port), one run".to_string(),
            human(self.loop_port_s),
        ]);
        t.row([
            "their improved version (Rust port), one run".to_string(),
            human(self.vectorised_port_s),
        ]);
        t.row([
            "numlab gaussian_flatten, median".to_string(),
            human(self.ours_s),
        ]);
        t.row([
            "speed-up over their improved version".to_string(),
            format!("{:.0}x", self.vectorised_port_s / self.ours_s),
        ]);
        t.row([
            "max |numlab - theirs|".to_string(),
            format!("{:.1e}", self.max_abs_diff),
        ]);
        t
    }

    /// Shows [`table`](Self::table) in an evcxr notebook cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }

    /// Their plot: original and flattened data, numlab's time in the title.
    pub fn figure(&self) -> Figure {
        let s = &self.scenario;
        let chart = Chart::new(format!(
            "{}: {} (numlab, same call)",
            s.name,
            human(self.ours_s)
        ))
        .with_labels("x (sample index)", "y")
        .with_series(Series::line("Original Data", &s.x, &s.y).with_width(1))
        .with_series(Series::line("Flattened Data", &s.x, &self.ours).with_width(2))
        .with_legend(LegendPosition::UpperRight);
        Figure::single(chart, 900, 500)
    }
}

/// max |a - b| over paired values.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
}

/// One row of the time-against-n sweep.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScalingRow {
    /// What ran.
    pub label: String,
    /// Number of points.
    pub n: usize,
    /// Median time (s).
    pub seconds: f64,
}

/// Time against n for their two versions (ported) and numlab's methods.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Scaling {
    /// All measurements.
    pub rows: Vec<ScalingRow>,
}

/// The labels of the sweep, in legend order.
pub const SCALING_LABELS: [&str; 8] = [
    "their loop version (Rust port)",
    "their improved version (Rust port)",
    "numlab gaussian_flatten (same call)",
    "numlab direct",
    "numlab fft",
    "numlab sliding",
    "numlab recursive",
    "numlab Nadaraya-Watson, irregular x",
];

impl Scaling {
    /// Measures every label at each n (their ports only up to `port_max_n`,
    /// since they are O(n²)). Smoothing parameters: their second scenario
    /// (sigma 100 samples, reach 0.001) for the same call; sigma 100, truncate
    /// 4, mode reflect for numlab's filters; sigma 100 x units on sorted
    /// uniform x for the regression.
    ///
    /// # Errors
    /// Any refusal of the algorithms (none for these inputs).
    pub fn measure(ns: &[usize], port_max_n: usize, budget_s: f64) -> Result<Self> {
        let mut rows = Vec::new();
        let sigma = 100.0;
        for &n in ns {
            let x = signals::arange(n);
            let y = signals::uniform(n, -4.0, 4.0, SEED_SWEEP)?;
            let xi = signals::sorted_uniform(n, 0.0, n as f64, SEED_SWEEP + 1)?;
            let mut push = |label: &str, seconds: f64| {
                rows.push(ScalingRow {
                    label: label.to_string(),
                    n,
                    seconds,
                })
            };
            if n <= port_max_n {
                let (_, t) = timing::once(|| reference::seed_loop(&x, &y, 0.001, sigma, 0.0, 1.0));
                push(SCALING_LABELS[0], t);
                let (_, t) =
                    timing::once(|| reference::seed_vectorised(&x, &y, 0.001, sigma, 0.0, 1.0));
                push(SCALING_LABELS[1], t);
            }
            let t = timing::measure(
                || gaussian_flatten(&x, &y, 0.001, sigma, 0.0, 1.0),
                3,
                100,
                budget_s,
            );
            push(SCALING_LABELS[2], t.median_s);
            for (k, m) in [
                Method::Direct,
                Method::Fft,
                Method::Sliding,
                Method::Recursive,
            ]
            .into_iter()
            .enumerate()
            {
                let s = GaussianSmoother::new(sigma)?.with_method(m);
                let t = timing::measure(|| s.smooth_uniform(&y, 1.0), 3, 100, budget_s);
                push(SCALING_LABELS[3 + k], t.median_s);
            }
            let t = timing::measure(
                || nadaraya_watson(&xi, &y, sigma, Cutoff::Truncate(4.0), false),
                3,
                100,
                budget_s,
            );
            push(SCALING_LABELS[7], t.median_s);
        }
        Ok(Scaling { rows })
    }

    /// The rows of one label as (n, seconds).
    pub fn series(&self, label: &str) -> (Vec<f64>, Vec<f64>) {
        self.rows
            .iter()
            .filter(|r| r.label == label)
            .map(|r| (r.n as f64, r.seconds))
            .unzip()
    }

    /// Log-log time against n with an O(n²) guide.
    pub fn figure(&self) -> Figure {
        let mut chart =
            Chart::new("Time against n: their O(n²) scans against numlab (sigma = 100 samples)")
                .with_labels("n (points)", "time (s)")
                .with_log_log()
                .with_legend(LegendPosition::UpperLeft);
        // Their versions in warm colours, numlab's in cool ones.
        const COLORS: [usize; 8] = [1, 4, 0, 2, 3, 5, 6, 7];
        for (label, color) in SCALING_LABELS.iter().zip(COLORS) {
            let (n, t) = self.series(label);
            if !n.is_empty() {
                chart = chart.with_series(Series::line_points(*label, &n, &t).with_color(color));
            }
        }
        let (n, t) = self.series(SCALING_LABELS[1]);
        if let (Some(&n0), Some(&t0)) = (n.first(), t.first()) {
            chart =
                chart.with_reference_slope(ReferenceSlope::new(2.0, (n0, t0 * 0.2), 1.5, "O(n²)"));
        }
        Figure::single(chart, 1000, 620)
    }

    /// Shows [`table`](Self::table) in an evcxr notebook cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }

    /// The measurements as a table (n in columns).
    pub fn table(&self) -> Table {
        let mut ns: Vec<usize> = self.rows.iter().map(|r| r.n).collect();
        ns.sort_unstable();
        ns.dedup();
        let mut t = Table::new(
            std::iter::once("method".to_string()).chain(ns.iter().map(|n| format!("n = {n}"))),
        );
        for label in SCALING_LABELS {
            let cells = ns.iter().map(|&n| {
                self.rows
                    .iter()
                    .find(|r| r.label == label && r.n == n)
                    .map_or("—".to_string(), |r| human(r.seconds))
            });
            t.row(std::iter::once(label.to_string()).chain(cells));
        }
        t
    }
}

/// The irregular-x example: dense points on the left, sparse on the right.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Irregular {
    /// Positions, sorted, denser near 0.
    pub x: Vec<f64>,
    /// The noiseless function at x.
    pub truth: Vec<f64>,
    /// Noisy values.
    pub y: Vec<f64>,
    /// Sigma: x units for the regression, samples for their call.
    pub sigma: f64,
    /// Their call (the kernel on index distance).
    pub seed_call: Vec<f64>,
    /// Nadaraya-Watson with sigma in x units.
    pub regression: Vec<f64>,
    /// RMS error of their call against the truth.
    pub seed_rms: f64,
    /// RMS error of the regression against the truth.
    pub regression_rms: f64,
}

impl Irregular {
    /// RMS errors against the noiseless curve.
    pub fn table(&self) -> Table {
        let mut t = Table::new(["smoother", "RMS error against the truth"]);
        t.row([
            "numlab nadaraya_watson (kernel on x distance)".to_string(),
            format!("{:.4}", self.regression_rms),
        ]);
        t.row([
            "their call (kernel on index distance)".to_string(),
            format!("{:.4}", self.seed_rms),
        ]);
        t
    }

    /// Shows [`table`](Self::table) in an evcxr notebook cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }

    /// 300 points at x = 1000 u², u uniform: 10 times denser at the left end.
    ///
    /// # Errors
    /// Only on refused inputs (none).
    pub fn run() -> Result<Self> {
        let n = 300;
        let u = signals::sorted_uniform(n, 0.0, 1.0, SEED_IRREGULAR)?;
        let x: Vec<f64> = u.iter().map(|u| 1000.0 * u * u).collect();
        let truth: Vec<f64> = x
            .iter()
            .map(|&x| (2.0 * std::f64::consts::PI * x / 250.0).sin())
            .collect();
        let noise = signals::normal(n, 0.3, SEED_IRREGULAR + 1)?;
        let y: Vec<f64> = truth.iter().zip(&noise).map(|(t, e)| t + e).collect();
        let sigma = 20.0;
        let seed_call = gaussian_flatten(&x, &y, 0.001, sigma, 0.0, 1.0)?;
        let regression = nadaraya_watson(&x, &y, sigma, Cutoff::Reach(0.001), false)?;
        let rms = |v: &[f64]| {
            (v.iter()
                .zip(&truth)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
                / n as f64)
                .sqrt()
        };
        Ok(Irregular {
            seed_rms: rms(&seed_call),
            regression_rms: rms(&regression),
            x,
            truth,
            y,
            sigma,
            seed_call,
            regression,
        })
    }

    /// Points, truth and both smoothers.
    pub fn figure(&self) -> Figure {
        let chart = Chart::new(format!(
            "Irregular x, sigma = {}: kernel on x distance (RMS error {:.3}) vs on index distance (RMS error {:.3})",
            self.sigma, self.regression_rms, self.seed_rms
        ))
        .with_labels("x (dense on the left, sparse on the right)", "y")
        .with_series(Series::points("noisy samples", &self.x, &self.y).with_color(5))
        .with_series(Series::line("truth sin(2πx/250)", &self.x, &self.truth).with_color(6).with_width(2))
        .with_series(Series::line("their call: kernel on index distance", &self.x, &self.seed_call).with_color(1).with_width(2))
        .with_series(Series::line("numlab nadaraya_watson: kernel on x distance", &self.x, &self.regression).with_color(2).with_width(2))
        .with_legend(LegendPosition::LowerLeft);
        Figure::single(chart, 1000, 560)
    }
}

/// The edge-mode example: a trend plus a wave plus noise, 60 samples.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EdgeModes {
    /// Sample index.
    pub x: Vec<f64>,
    /// Values.
    pub y: Vec<f64>,
    /// Sigma (samples).
    pub sigma: f64,
    /// The constant of `constant` mode.
    pub cval: f64,
    /// One smoothed series per mode, in [`EdgeMode::ALL`] order.
    pub smoothed: Vec<(EdgeMode, Vec<f64>)>,
}

impl EdgeModes {
    /// Smooths the example with every mode.
    ///
    /// # Errors
    /// Only on refused inputs (none).
    pub fn run() -> Result<Self> {
        let n = 60;
        let x = signals::arange(n);
        let noise = signals::normal(n, 0.25, SEED_EDGES)?;
        let y: Vec<f64> = x
            .iter()
            .zip(&noise)
            .map(|(&i, e)| 1.0 + 0.05 * i + (i / 6.0).sin() + e)
            .collect();
        let sigma = 4.0;
        let cval = 0.0;
        let smoothed = EdgeMode::ALL
            .into_iter()
            .map(|m| {
                let s = GaussianSmoother::new(sigma)?.with_mode(m).with_cval(cval)?;
                Ok((m, s.smooth_uniform(&y, 1.0)?))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(EdgeModes {
            x,
            y,
            sigma,
            cval,
            smoothed,
        })
    }

    /// Six panels, one per mode.
    pub fn figure(&self) -> Figure {
        let charts = self
            .smoothed
            .iter()
            .map(|(m, s)| {
                let what = match m {
                    EdgeMode::Reflect => "reflect (SciPy default): d c b a | a b c d",
                    EdgeMode::Mirror => "mirror: d c b | a b c d",
                    EdgeMode::Nearest => "nearest: a a a | a b c d",
                    EdgeMode::Wrap => "wrap: b c d | a b c d",
                    EdgeMode::Constant => "constant (cval 0): 0 0 0 | a b c d",
                    EdgeMode::Renormalize => "renormalize: kernel cut and rescaled",
                };
                Chart::new(what)
                    .with_labels("sample", "y")
                    .with_series(Series::points("", &self.x, &self.y).with_color(5))
                    .with_series(
                        Series::line(m.name(), &self.x, s)
                            .with_color(1)
                            .with_width(2),
                    )
                    .with_y_range(-0.5, 5.5)
                    .with_legend(LegendPosition::Hidden)
            })
            .collect();
        Figure::grid(charts, 2, 3, 1200, 700).with_title(format!(
            "Edge modes, sigma = {} samples, truncate 4 (radius 16)",
            self.sigma
        ))
    }
}

/// Error of each method against the direct sum, over sigma.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MethodError {
    /// Sigmas (samples).
    pub sigmas: Vec<f64>,
    /// (method, max |method - direct| / max |y| at each sigma).
    pub errors: Vec<(Method, Vec<f64>)>,
}

impl MethodError {
    /// 20,000 samples uniform in [-4, 4); reflect mode. `Recursive` is compared
    /// with the direct sum at truncate 8 (it approximates the untruncated
    /// Gaussian); the others at truncate 4.
    ///
    /// # Errors
    /// Only on refused inputs (none).
    pub fn run() -> Result<Self> {
        let y = signals::uniform(20_000, -4.0, 4.0, SEED_SWEEP)?;
        let ymax = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let sigmas = vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];
        let mut errors = Vec::new();
        for m in [Method::Sliding, Method::Fft, Method::Recursive] {
            let mut e = Vec::new();
            for &s in &sigmas {
                let truncate = if m == Method::Recursive { 8.0 } else { 4.0 };
                let exact = GaussianSmoother::new(s)?
                    .with_truncate(truncate)?
                    .with_method(Method::Direct)
                    .smooth_uniform(&y, 1.0)?;
                let got = GaussianSmoother::new(s)?
                    .with_method(m)
                    .smooth_uniform(&y, 1.0)?;
                // A floor keeps exact agreement visible on the log axis.
                e.push((max_abs_diff(&got, &exact) / ymax).max(1e-17));
            }
            errors.push((m, e));
        }
        Ok(MethodError { sigmas, errors })
    }

    /// The errors as a table (sigma in columns).
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            std::iter::once("method".to_string())
                .chain(self.sigmas.iter().map(|s| format!("σ = {s}"))),
        );
        for (m, e) in &self.errors {
            t.row(
                std::iter::once(m.name().to_string()).chain(e.iter().map(|v| format!("{v:.0e}"))),
            );
        }
        t
    }

    /// Shows [`table`](Self::table) in an evcxr notebook cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }

    /// Log-log error against sigma.
    pub fn figure(&self) -> Figure {
        let mut chart =
            Chart::new("Error against the direct sum, relative to max|y| (20,000 samples)")
                .with_labels("sigma (samples)", "max error / max|y|")
                .with_scales(Scale::Log10, Scale::Log10)
                .with_y_range(1e-17, 1.0)
                .with_legend(LegendPosition::UpperRight);
        for (k, (m, e)) in self.errors.iter().enumerate() {
            chart =
                chart.with_series(Series::line_points(m.name(), &self.sigmas, e).with_color(k + 1));
        }
        Figure::single(chart, 900, 520)
    }
}

/// Runs the study: figures and the summary section.
///
/// # Errors
/// Any refusal of the algorithms (none for the study's inputs).
pub fn run() -> Result<StudyOutput> {
    let first = Comparison::run(Scenario::first()?)?;
    let second = Comparison::run(Scenario::second()?)?;
    let ten_k = Comparison::run(Scenario::new(
        "10,000 points, sigma 10, reach 0.1",
        10_000,
        10.0,
        0.1,
        SEED_SCENARIO_1,
    )?)?;
    let scaling = Scaling::measure(
        &[100, 300, 1000, 3000, 10_000, 100_000, 1_000_000],
        10_000,
        0.05,
    )?;
    let irregular = Irregular::run()?;
    let edges = EdgeModes::run()?;
    let errors = MethodError::run()?;

    let mut figures = vec![
        NamedFigure {
            name: "01-questioner-1000-timing".into(),
            figure: first.figure(),
        },
        NamedFigure {
            name: "01-questioner-3073-timing".into(),
            figure: second.figure(),
        },
        NamedFigure {
            name: "01-time-vs-n-timing".into(),
            figure: scaling.figure(),
        },
    ];
    figures.push(NamedFigure {
        name: "01-irregular-x".into(),
        figure: irregular.figure(),
    });
    figures.push(NamedFigure {
        name: "01-edge-modes".into(),
        figure: edges.figure(),
    });
    figures.push(NamedFigure {
        name: "01-method-error".into(),
        figure: errors.figure(),
    });

    let mut summary = String::from("## 01 Gaussian smoothing of XY data\n\n");
    summary.push_str("Same arguments, same output: `numlab_core::smoothing::gaussian_flatten(x, y, reach, sigma, phi, amplitude)` against the questioner's improved version ported to Rust (`reference::seed_vectorised`).\n\n");
    let mut fidelity = Table::new(["scenario", "max abs difference"]);
    for c in [&first, &second, &ten_k] {
        fidelity.row([c.scenario.name.clone(), format!("{:.1e}", c.max_abs_diff)]);
    }
    summary.push_str(&fidelity.to_markdown());
    summary.push_str(&format!(
        "\nIrregular x (300 points, 10 times denser on the left, sigma = 20): RMS error against the noiseless curve {:.4} for the kernel on x distance (`nadaraya_watson`), {:.4} for the questioner's kernel on index distance.\n\n",
        irregular.regression_rms, irregular.seed_rms
    ));
    let err = errors.table();
    summary.push_str("Largest error against the direct sum, relative to max|y| (20,000 samples; `recursive` against the untruncated Gaussian):\n\n");
    summary.push_str(&err.to_markdown());
    summary.push_str("\n### Measured on this machine\n\n");
    let mut t = Table::new([
        "scenario",
        "they reported",
        "their code, ported to Rust",
        "numlab, same call",
    ]);
    t.row([
        "1,000 points, sigma 10, reach 0.1, original loops".to_string(),
        "~8 s".to_string(),
        human(first.loop_port_s),
        human(first.ours_s),
    ]);
    t.row([
        "1,000 points, sigma 10, reach 0.1, after their fix".to_string(),
        "~0.15 s".to_string(),
        human(first.vectorised_port_s),
        human(first.ours_s),
    ]);
    t.row([
        "10,000 points, sigma 10, reach 0.1, after their fix".to_string(),
        "~1.75 s".to_string(),
        human(ten_k.vectorised_port_s),
        human(ten_k.ours_s),
    ]);
    t.row([
        "3,073 points, sigma 100, reach 0.001, after their fix".to_string(),
        "—".to_string(),
        human(second.vectorised_port_s),
        human(second.ours_s),
    ]);
    summary.push_str(&t.to_markdown());
    summary.push_str("\nThe ports keep their algorithm (a scan of all x per window end, O(n²)) but not Python's interpreter, so they run far faster than the times reported; `scripts/bench-peers` times their NumPy version itself.\n\nTime against n (the figure 01-time-vs-n-timing): sigma = 100 samples for every row; reach 0.001 for their versions and `gaussian_flatten`, truncate 4 and mode reflect for numlab's filters, sorted uniform x for the regression. Their two ports are one run each (they are slow); numlab's rows are medians of repeated runs.\n\n");
    summary.push_str(&scaling.table().to_markdown());
    Ok(StudyOutput {
        number: "01",
        id: "smoothing",
        figures,
        summary,
    })
}
