//! Study 06: density heat-maps of scattered points, at any zoom, at any size.
//!
//! A user wants a heat-map overlay of 30,000 points at 256x256 in about a
//! second, right when zoomed in and out. They compared `numpy.histogram2d`, a
//! distance-weighted sum, a function of the 5 nearest points by KD-tree (20 s),
//! and two answers: box sums by a summed-area table (0.5 s in pure Python) and
//! a Gaussian filter of the histogram (350 ms). This study reproduces their
//! 2x2 comparison on their 1,000 points (data on [-2, 2]², view [-0.5, 0.5]²)
//! with numlab's versions, timed, then at 30,000 and 1,000,000 points; shows
//! why the borders of a zoomed view need the points outside it; and adds a
//! Gaussian KDE with Scott's bandwidth, exact and fast.

use numlab_core::density::{
    box_density, colorize, gaussian_density, gaussian_filter2d, histogram2d, kde_grid, knn_density,
    Bandwidth, Colormap, Density, Grid, Kde, KdeMethod, KnnFunction, View,
};
use numlab_core::ndarray::{s, ArrayView2, Zip};
use numlab_core::signals;
use numlab_core::smoothing::EdgeMode;
use numlab_plot::{Chart, Figure, Image, Series};

use crate::display::Table;
use crate::timing::{self, human};
use crate::{NamedFigure, Result, StudyOutput};

/// The seed of the questioner's uniform points.
pub const SEED_POINTS: u64 = 606;
/// The seed of the clustered points of the KDE figure.
pub const SEED_CLUSTERS: u64 = 6060;

/// The questioner's data range, [-2, 2]².
pub fn data_view() -> View {
    View {
        x0: -2.0,
        y0: -2.0,
        x1: 2.0,
        y1: 2.0,
    }
}

/// The questioner's view, [-0.5, 0.5]².
pub fn their_view() -> View {
    View {
        x0: -0.5,
        y0: -0.5,
        x1: 0.5,
        y1: 0.5,
    }
}

/// `n` points uniform on [-2, 2]², as the questioner made them (x, y).
///
/// # Errors
/// None in practice (the generator accepts the range).
pub fn their_points(n: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    Ok((
        signals::uniform(n, -2.0, 2.0, SEED_POINTS)?,
        signals::uniform(n, -2.0, 2.0, SEED_POINTS + 1)?,
    ))
}

/// `n` points from three correlated Gaussian clusters (the KDE figure).
///
/// # Errors
/// None in practice.
pub fn clustered_points(n: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    let a = signals::normal(n, 1.0, SEED_CLUSTERS)?;
    let b = signals::normal(n, 1.0, SEED_CLUSTERS + 1)?;
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for (i, (u, v)) in a.iter().zip(&b).enumerate() {
        let (cx, cy, sx, sy, rho) = match i % 5 {
            0 | 1 => (-0.8, -0.5, 0.35, 0.25, 0.6),
            2 | 3 => (0.7, 0.6, 0.3, 0.45, -0.4),
            _ => (0.9, -1.0, 0.6, 0.15, 0.0),
        };
        x.push(cx + sx * u);
        y.push(cy + sy * (rho * u + (1.0f64 - rho * rho).sqrt() * v));
    }
    Ok((x, y))
}

/// The points inside a view (for the overlay).
fn visible(x: &[f64], y: &[f64], v: &View) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter(|(a, b)| **a > v.x0 && **a < v.x1 && **b > v.y0 && **b < v.y1)
        .map(|(a, b)| (*a, *b))
        .unzip()
}

/// The largest |a - b| over two grids of one shape (NaN ignored, 0 when
/// every difference is NaN).
///
/// # Panics
/// The shapes differ.
pub fn max_abs_diff(a: ArrayView2<f64>, b: ArrayView2<f64>) -> f64 {
    Zip::from(a)
        .and(b)
        .fold(0.0, |m, x, y| f64::max(m, (x - y).abs()))
}

/// A heat-map panel: the grid in viridis from 0 to its maximum, a colour bar,
/// and the points on top (black dots) when given.
pub fn heat_chart(title: &str, grid: &Grid, unit: &str, points: Option<(&[f64], &[f64])>) -> Chart {
    let hi = grid
        .values
        .fold(0.0f64, |m, &v| if v.is_finite() { m.max(v) } else { m });
    heat_chart_scaled(title, grid, unit, points, hi)
}

/// [`heat_chart`] with the colour scale from 0 to `hi` (to compare panels).
pub fn heat_chart_scaled(
    title: &str,
    grid: &Grid,
    unit: &str,
    points: Option<(&[f64], &[f64])>,
    hi: f64,
) -> Chart {
    let hi = if hi > 0.0 && hi.is_finite() { hi } else { 1.0 };
    let rgb = colorize(grid.values.view(), Colormap::Viridis, 0.0, hi);
    let colors: Vec<[u8; 3]> = (0..256)
        .map(|i| Colormap::Viridis.rgb((i as f64 + 0.5) / 256.0))
        .collect();
    let v = grid.view;
    let mut chart = Chart::new(title).with_labels("x", "y").with_image(
        Image::new(grid.width(), grid.height(), rgb, (v.x0, v.x1), (v.y0, v.y1))
            .with_colorbar(unit, 0.0, hi, colors),
    );
    if let Some((px, py)) = points {
        chart = chart.with_series(Series::points("", px, py).with_color(6).with_width(1));
    }
    chart
}

/// The questioner's four methods on one point set, numlab's versions, timed.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Number of points (all of them, on [-2, 2]²).
    pub n: usize,
    /// `histogram2d` with their 10 x 10 bins over the view.
    pub hist: Density,
    /// Their 5-nearest function (dfactor 70, min(v, 1)) at 256 x 256 cell centres.
    pub knn: Density,
    /// Their Gaussian filter: sigma 20 px at 256 x 256, points outside the view included.
    pub gauss: Density,
    /// Their box sum: radius 15 px, 4 passes, at 256 x 256.
    pub boxed: Density,
    /// Median times (s): hist, knn, gauss, box.
    pub times: [f64; 4],
    /// Whether the panels draw the visible points.
    pub overlay: bool,
    x: Vec<f64>,
    y: Vec<f64>,
}

impl Comparison {
    /// Runs the four methods on `n` of the questioner's points, timing each
    /// (median of repeated runs, about `budget_s` each).
    ///
    /// # Errors
    /// None for these inputs.
    pub fn run(n: usize, budget_s: f64) -> Result<Self> {
        let (x, y) = their_points(n)?;
        let v = their_view();
        let questioner = KnnFunction::Questioner { dfactor: 70.0 };
        let hist = histogram2d(&x, &y, v, 10, 10)?;
        let knn = knn_density(&x, &y, v, 256, 256, 5, questioner)?;
        let gauss = gaussian_density(&x, &y, v, 256, 256, 20.0, 4.0)?;
        let boxed = box_density(&x, &y, v, 256, 256, 15, 4)?;
        let mut knn_clipped = knn.clone();
        knn_clipped.grid.values.mapv_inplace(|val| val.min(1.0));
        let t = |f: &mut dyn FnMut()| timing::measure(f, 3, 200, budget_s).median_s;
        let times = [
            t(&mut || {
                let _ = std::hint::black_box(histogram2d(&x, &y, v, 10, 10));
            }),
            t(&mut || {
                let _ = std::hint::black_box(knn_density(&x, &y, v, 256, 256, 5, questioner));
            }),
            t(&mut || {
                let _ = std::hint::black_box(gaussian_density(&x, &y, v, 256, 256, 20.0, 4.0));
            }),
            t(&mut || {
                let _ = std::hint::black_box(box_density(&x, &y, v, 256, 256, 15, 4));
            }),
        ];
        Ok(Comparison {
            n,
            hist,
            knn: knn_clipped,
            gauss,
            boxed,
            times,
            overlay: n <= 50_000,
            x,
            y,
        })
    }

    /// The 2x2 figure, each panel titled with its method and measured time.
    pub fn figure(&self) -> Figure {
        let v = their_view();
        let vis = visible(&self.x, &self.y, &v);
        let pts = self.overlay.then_some((vis.0.as_slice(), vis.1.as_slice()));
        let charts = vec![
            heat_chart(
                &format!("histogram2d, 10 x 10 bins: {}", human(self.times[0])),
                &self.hist.grid,
                "points per bin",
                pts,
            ),
            heat_chart(
                &format!("5 nearest by KD-tree (kiddo): {}", human(self.times[1])),
                &self.knn.grid,
                "mean exp(-70 d²)",
                pts,
            ),
            heat_chart(
                &format!("Gaussian filter, σ = 20 px: {}", human(self.times[2])),
                &self.gauss.grid,
                "points per pixel",
                pts,
            ),
            heat_chart(
                &format!("box sums, r = 15 px, 4 passes: {}", human(self.times[3])),
                &self.boxed.grid,
                "points per pixel",
                pts,
            ),
        ];
        Figure::grid(charts, 2, 2, 1100, 1000).with_title(format!(
            "{} points on [-2, 2]², view [-0.5, 0.5]², 256 x 256 px (numlab, this machine)",
            thousands(self.n)
        ))
    }
}

/// `1000000` as `1,000,000`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Zoom: the density of three nested views, each binned with the points
/// around it (numlab), against binning only the points inside the view and
/// blurring with zero outside (what the questioner's first Gaussian filter
/// answer did before their fix).
#[derive(Debug, Clone)]
pub struct Zoom {
    /// The views, widest first.
    pub views: Vec<View>,
    /// numlab's density of each view.
    pub ours: Vec<Grid>,
    /// The histogram of the points inside each view, blurred with zeros outside.
    pub inside_only: Vec<Grid>,
    /// Largest |ours - the same cells cut from a 4x wider view| / peak, per zoom step.
    pub crop_error: f64,
    /// Largest |inside_only - ours| / peak over the innermost view.
    pub border_error: f64,
}

impl Zoom {
    /// 30,000 of the questioner's points, views of width 4 (all the data), 1
    /// (theirs) and 0.25 around the origin, 128 x 128 px each, sigma 6 px.
    ///
    /// # Errors
    /// None for these inputs.
    pub fn run() -> Result<Self> {
        let (x, y) = their_points(30_000)?;
        let (cx, cy) = (0.0, 0.0);
        let views: Vec<View> = [2.0, 0.5, 0.125]
            .iter()
            .map(|h| View::new(cx - h, cy - h, cx + h, cy + h))
            .collect::<numlab_core::Result<_>>()?;
        let size = 128;
        let sigma = 6.0;
        let mut ours = Vec::new();
        let mut inside_only = Vec::new();
        for v in &views {
            let d = gaussian_density(&x, &y, *v, size, size, sigma, 4.0)?;
            let h = histogram2d(&x, &y, *v, size, size)?;
            let blurred =
                gaussian_filter2d(h.grid.values.view(), sigma, 4.0, EdgeMode::Constant, 0.0)?;
            inside_only.push(Grid::new(h.grid.view, blurred));
            ours.push(d.grid);
        }
        // The innermost view equals the same cells of a view 4x as wide.
        let mut crop_error: f64 = 0.0;
        for w in ours.windows(2).zip(&views[1..]) {
            let (pair, v) = w;
            let wide_view = View::new(
                v.x0 - 1.5 * (v.x1 - v.x0),
                v.y0 - 1.5 * (v.y1 - v.y0),
                v.x1 + 1.5 * (v.x1 - v.x0),
                v.y1 + 1.5 * (v.y1 - v.y0),
            )?;
            let wide = gaussian_density(&x, &y, wide_view, 4 * size, 4 * size, sigma, 4.0)?;
            // The view's cells in the wide grid: rows and columns 1.5 size on.
            let at = 3 * size / 2;
            let cut = wide.grid.values.slice(s![at..at + size, at..at + size]);
            let e = max_abs_diff(pair[1].values.view(), cut) / wide.grid.max();
            crop_error = crop_error.max(e);
        }
        let last = ours.len() - 1;
        let peak = ours[last].max();
        let border_error =
            max_abs_diff(ours[last].values.view(), inside_only[last].values.view()) / peak;
        Ok(Zoom {
            views,
            ours,
            inside_only,
            crop_error,
            border_error,
        })
    }

    /// 2 x 3 panels: numlab on top, inside-only below, zooming in left to right.
    pub fn figure(&self) -> Figure {
        let mut charts = Vec::new();
        for (label, grids) in [
            ("points around the view", &self.ours),
            ("points inside the view only", &self.inside_only),
        ] {
            for ((g, v), top) in grids.iter().zip(&self.views).zip(&self.ours) {
                charts.push(heat_chart_scaled(
                    &format!("width {}: {label}", v.x1 - v.x0),
                    g,
                    "points per pixel",
                    None,
                    top.max(),
                ));
            }
        }
        Figure::grid(charts, 2, 3, 1500, 900)
            .with_title("Zooming in (σ = 6 px, 128 x 128 px): the bottom row's borders darken because the points just outside are missing")
    }
}

/// A Gaussian KDE of clustered points: exact against fast, Scott's bandwidth.
#[derive(Debug, Clone)]
pub struct KdeStudy {
    /// The fitted KDE (factor, covariances).
    pub kde: Kde,
    /// The fast path's grid.
    pub grid: Grid,
    /// Largest |fast - exact| / peak on this grid.
    pub fast_error: f64,
    /// Σ values × cell area (≈ 1).
    pub mass: f64,
    x: Vec<f64>,
    y: Vec<f64>,
}

impl KdeStudy {
    /// 30,000 clustered points, 256 x 256 over [-3, 3] x [-2.5, 2.5].
    ///
    /// # Errors
    /// None for these inputs.
    pub fn run() -> Result<Self> {
        let (x, y) = clustered_points(30_000)?;
        let v = View::new(-3.0, -2.5, 3.0, 2.5)?;
        let kde = Kde::new(&x, &y, Bandwidth::Scott)?;
        let grid = kde.grid(v, 256, 256, KdeMethod::Fast)?;
        let exact = kde.grid(v, 256, 256, KdeMethod::Exact)?;
        let peak = exact.max();
        let fast_error = max_abs_diff(grid.values.view(), exact.values.view()) / peak;
        let mass = grid.values.sum() * v.cell_width(256) * v.cell_height(256);
        Ok(KdeStudy {
            kde,
            grid,
            fast_error,
            mass,
            x,
            y,
        })
    }

    /// The KDE panel, titled with its bandwidth, a sample of the points on top.
    pub fn figure(&self) -> Figure {
        let (sx, sy) = self.kde.sigmas();
        let rho = self.kde.covariance[0][1] / (sx * sy);
        let step = 31;
        let px: Vec<f64> = self.x.iter().step_by(step).copied().collect();
        let py: Vec<f64> = self.y.iter().step_by(step).copied().collect();
        let chart = heat_chart(
            &format!(
                "Gaussian KDE, Scott's factor n^(-1/6) = {:.4}: kernel σx = {:.3}, σy = {:.3}, ρ = {:.2}",
                self.kde.factor, sx, sy, rho
            ),
            &self.grid,
            "density (per unit area)",
            Some((&px, &py)),
        );
        Figure::single(chart, 1000, 820)
            .with_title("30,000 clustered points (every 31st drawn), 256 x 256 cell centres")
    }
}

/// The answers' reported scenario (30,000 uniform points, 256 x 256) with
/// numlab, timed: Gaussian filter σ 10 px, box sums r = 2 px × 4 passes
/// (the answer's N = 5), the 5-nearest function, the KDE (fast path).
#[derive(Debug, Clone, Copy)]
pub struct ReportedScenario {
    /// Gaussian blur (s).
    pub gauss_s: f64,
    /// Box sums (s).
    pub box_s: f64,
    /// 5 nearest by KD-tree (s).
    pub knn_s: f64,
    /// Gaussian KDE, fast path (s).
    pub kde_s: f64,
}

impl ReportedScenario {
    /// The answers' reported times beside numlab's.
    pub fn table(&self) -> Table {
        let mut t = Table::new(["30,000 points, 256 x 256", "the answers reported", "numlab"]);
        t.row([
            "Gaussian filter of the histogram (σ 10 px)".to_string(),
            "350 ms".to_string(),
            human(self.gauss_s),
        ]);
        t.row([
            "box sums by summed-area table (N = 5, 4 passes)".to_string(),
            "0.5 s (pure Python)".to_string(),
            human(self.box_s),
        ]);
        t.row([
            "function of the 5 nearest by KD-tree".to_string(),
            "20 s".to_string(),
            human(self.knn_s),
        ]);
        t.row([
            "Gaussian KDE, Scott's bandwidth (fast path)".to_string(),
            "—".to_string(),
            human(self.kde_s),
        ]);
        t
    }

    /// Shows [`table`](Self::table) in an evcxr notebook cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }

    /// Times each call (median over about `budget_s`).
    ///
    /// # Errors
    /// None for these inputs.
    pub fn measure(budget_s: f64) -> Result<Self> {
        let x = signals::uniform(30_000, 0.0, 1.0, SEED_POINTS)?;
        let y = signals::uniform(30_000, 0.0, 1.0, SEED_POINTS + 1)?;
        let v = View::new(0.0, 0.0, 1.0, 1.0)?;
        let t = |f: &mut dyn FnMut()| timing::measure(f, 3, 500, budget_s).median_s;
        Ok(ReportedScenario {
            gauss_s: t(&mut || {
                let _ = std::hint::black_box(gaussian_density(&x, &y, v, 256, 256, 10.0, 4.0));
            }),
            box_s: t(&mut || {
                let _ = std::hint::black_box(box_density(&x, &y, v, 256, 256, 2, 4));
            }),
            knn_s: t(&mut || {
                let _ = std::hint::black_box(knn_density(
                    &x,
                    &y,
                    v,
                    256,
                    256,
                    5,
                    KnnFunction::Questioner { dfactor: 70.0 },
                ));
            }),
            kde_s: t(&mut || {
                let _ = std::hint::black_box(kde_grid(
                    &x,
                    &y,
                    v,
                    256,
                    256,
                    Bandwidth::Scott,
                    KdeMethod::Fast,
                ));
            }),
        })
    }
}

/// Runs the study: figures and the summary section.
///
/// # Errors
/// Any refusal of the algorithms (none for the study's inputs).
pub fn run() -> Result<StudyOutput> {
    let small = Comparison::run(1000, 0.05)?;
    let medium = Comparison::run(30_000, 0.1)?;
    let large = Comparison::run(1_000_000, 0.3)?;
    let zoom = Zoom::run()?;
    let kde = KdeStudy::run()?;
    let reported = ReportedScenario::measure(0.2)?;

    let figures = vec![
        NamedFigure {
            name: "06-questioner-1000-timing".into(),
            figure: small.figure(),
        },
        NamedFigure {
            name: "06-questioner-30000-timing".into(),
            figure: medium.figure(),
        },
        NamedFigure {
            name: "06-questioner-1000000-timing".into(),
            figure: large.figure(),
        },
        NamedFigure {
            name: "06-zoom".into(),
            figure: zoom.figure(),
        },
        NamedFigure {
            name: "06-kde".into(),
            figure: kde.figure(),
        },
    ];

    let mut s = String::from("## 06 Density of irregularly spaced points\n\n");
    s.push_str("Grids are H rows by W columns, row 0 the lowest y: `histogram2d` equals `numpy.histogram2d(y, x, bins=(H, W), range=[[y0, y1], [x0, x1]])` count for count (fixtures with points on every bin edge and outside the range).\n\n");
    s.push_str(&format!(
        "Zoom: a view's blurred density equals the same cells cut from a view 4x as wide to {:.0e} of the peak (points around the view are binned with it). Binning only the points inside the innermost view (width 0.25) and blurring with zeros outside is off by {:.0}% of the peak at its borders.\n\n",
        zoom.crop_error.max(1e-17),
        100.0 * zoom.border_error
    ));
    let (sx, sy) = kde.kde.sigmas();
    s.push_str(&format!(
        "Gaussian KDE of 30,000 clustered points on 256 x 256 cells, Scott's factor {:.4} (the same as Silverman's in 2-D), kernel σx = {:.4}, σy = {:.4}, cross term included: the fast path is within {:.1e} of the peak of the exact sum (bound 1e-6); the grid's mass Σ f·cell area = {:.6}.\n\n",
        kde.kde.factor, sx, sy, kde.fast_error, kde.mass
    ));
    s.push_str("### Measured on this machine\n\n");
    let t = reported.table();
    s.push_str(&t.to_markdown());
    s.push_str("\nThe questioner's 2x2 comparison (view [-0.5, 0.5]², 256 x 256 px; histogram 10 x 10 bins as they drew it):\n\n");
    let mut c = Table::new([
        "points",
        "histogram2d",
        "5 nearest (KD-tree)",
        "Gaussian filter σ 20 px",
        "box sums r 15 px x 4",
    ]);
    for cmp in [&small, &medium, &large] {
        c.row([
            thousands(cmp.n),
            human(cmp.times[0]),
            human(cmp.times[1]),
            human(cmp.times[2]),
            human(cmp.times[3]),
        ]);
    }
    s.push_str(&c.to_markdown());
    Ok(StudyOutput {
        number: "06",
        id: "density",
        figures,
        summary: s,
    })
}
