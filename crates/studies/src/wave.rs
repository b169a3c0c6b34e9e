//! Study 03: staggered leapfrog for the 1-D wave system, and a convergence
//! study done right.
//!
//! A user integrates `p_t + u_x = 0, u_t + p_x = 0` with a staggered leapfrog
//! on a periodic grid (NumPy slicing) and asks how to show second order. Their
//! grid `linspace(0, 1, NX)` duplicates the end point (dx = 1/(NX-1)), u is
//! started at the p points and time 0 instead of (x + dx/2, dt/2), and each
//! error is taken against the exact solution one step too early. This study
//! ports their code ([`reference::questioner_run`]), measures what it
//! measures, and runs the corrected study: errors at each field's own time
//! and place, least-squares orders over the questioner's grids, the three
//! starts on the general problem, the error history, a snapshot and the 2-D
//! scheme.

use numlab_core::wave::{
    convergence_2d, fitted_order, reference, ConvergenceStudy, ConvergenceTable,
    ConvergenceTable2d, Init, Leapfrog1d, Problem,
};
use numlab_plot::{Chart, Figure, LegendPosition, ReferenceSlope, Scale, Series};

use crate::display::Table;
use crate::{NamedFigure, Result, StudyOutput};

/// The questioner's CFL number.
pub const THEIR_CFL: f64 = 0.3;
/// The questioner's end time.
pub const THEIR_T_END: f64 = 2.0;

/// The questioner's grids: NX = 50, 100, ..., 950.
pub fn their_grids() -> Vec<usize> {
    (1..=19).map(|k| 50 * k).collect()
}

fn fmt_order(o: Option<f64>) -> String {
    o.map_or_else(|| "-".into(), |o| format!("{o:.3}"))
}

/// A convergence table for people: text (`Display`), markdown, HTML.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Convergence {
    /// The core result.
    pub result: ConvergenceTable,
}

impl Convergence {
    /// Runs `ConvergenceStudy::new(grids, cfl, t_end)` with `init` on `problem`.
    ///
    /// # Errors
    /// Those of [`ConvergenceStudy::new`] (empty grids, n < 2, cfl, t_end).
    pub fn run(
        grids: &[usize],
        cfl: f64,
        t_end: f64,
        init: Init,
        problem: Problem,
    ) -> Result<Self> {
        let result = ConvergenceStudy::new(grids.to_vec(), cfl, t_end)?
            .with_init(init)
            .with_problem(problem)
            .run()?;
        Ok(Convergence { result })
    }

    /// The questioner's setup (CFL 0.3, T = 2, NX = 50..950) with `init` on `problem`.
    ///
    /// # Errors
    /// None in practice.
    pub fn their_setup(init: Init, problem: Problem) -> Result<Self> {
        Self::run(&their_grids(), THEIR_CFL, THEIR_T_END, init, problem)
    }

    /// One row per grid, with the pairwise orders.
    pub fn table(&self) -> Table {
        let r = &self.result;
        let mut t = Table::new([
            "n",
            "dx",
            "dt",
            "steps",
            "L2 error p",
            "L2 error u",
            "max error p",
            "max error u",
            "order p",
            "order u",
        ]);
        for (i, l) in r.levels.iter().enumerate() {
            let (op, ou) = if i == 0 {
                ("".into(), "".into())
            } else {
                (
                    fmt_order(r.pairwise_l2_p[i - 1]),
                    fmt_order(r.pairwise_l2_u[i - 1]),
                )
            };
            t.row([
                l.n.to_string(),
                format!("{:.4e}", l.dx),
                format!("{:.4e}", l.dt),
                l.steps.to_string(),
                format!("{:.3e}", l.error_l2_p),
                format!("{:.3e}", l.error_l2_u),
                format!("{:.3e}", l.error_max_p),
                format!("{:.3e}", l.error_max_u),
                op,
                ou,
            ]);
        }
        t.row([
            "fitted".to_string(),
            String::new(),
            String::new(),
            String::new(),
            fmt_order(r.order_l2_p),
            fmt_order(r.order_l2_u),
            fmt_order(r.order_max_p),
            fmt_order(r.order_max_u),
            String::new(),
            String::new(),
        ]);
        t
    }

    /// Shows the table in an evcxr cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }
}

impl std::fmt::Display for Convergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.result.fmt(f)
    }
}

/// The error-against-dx chart of one field for several starts.
fn convergence_chart(title: &str, field: char, runs: &[(Init, &ConvergenceTable)]) -> Chart {
    let mut chart = Chart::new(title)
        .with_labels("dx", format!("grid L2 error of {field}"))
        .with_log_log()
        .with_legend(LegendPosition::LowerRight);
    let mut anchor = None;
    for (i, (init, t)) in runs.iter().enumerate() {
        let dx = t.dx();
        let e = if field == 'p' {
            t.error_l2_p()
        } else {
            t.error_l2_u()
        };
        let order = if field == 'p' {
            t.order_l2_p
        } else {
            t.order_l2_u
        };
        if *init == Init::Exact {
            anchor = Some((dx[dx.len() - 1], e[e.len() - 1] * 0.25));
        }
        chart = chart.with_series(
            Series::line_points(
                format!("{init} start (order {})", fmt_order(order)),
                &dx,
                &e,
            )
            .with_color(i),
        );
    }
    if let Some(a) = anchor {
        chart = chart.with_reference_slope(ReferenceSlope::new(2.0, a, 1.2, "O(dx²)"));
    }
    chart
}

/// The three starts on the general problem at one end time.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Starts {
    /// End time.
    pub t_end: f64,
    /// (init, table) for exact, Taylor, naive.
    pub runs: Vec<(Init, ConvergenceTable)>,
}

impl Starts {
    /// Runs the three starts on the general problem over `grids` at `cfl`, `t_end`.
    ///
    /// # Errors
    /// Those of [`ConvergenceStudy::new`].
    pub fn run(grids: &[usize], cfl: f64, t_end: f64) -> Result<Self> {
        let runs = Init::ALL
            .into_iter()
            .map(|init| {
                Ok((
                    init,
                    Convergence::run(grids, cfl, t_end, init, Problem::General)?.result,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Starts { t_end, runs })
    }

    /// Charts for p and u.
    pub fn charts(&self, label: &str) -> Vec<Chart> {
        let runs: Vec<(Init, &ConvergenceTable)> = self.runs.iter().map(|(i, t)| (*i, t)).collect();
        vec![
            convergence_chart(&format!("p at T = {} ({label})", self.t_end), 'p', &runs),
            convergence_chart(&format!("u at T + dt/2 ({label})"), 'u', &runs),
        ]
    }

    /// Fitted orders per start.
    pub fn table(&self) -> Table {
        let mut t = Table::new([
            "start",
            "order L2 p",
            "order L2 u",
            "order max p",
            "order max u",
        ]);
        for (init, r) in &self.runs {
            t.row([
                init.to_string(),
                fmt_order(r.order_l2_p),
                fmt_order(r.order_l2_u),
                fmt_order(r.order_max_p),
                fmt_order(r.order_max_u),
            ]);
        }
        t
    }

    /// Shows the table in an evcxr cell.
    pub fn evcxr_display(&self) {
        self.table().evcxr_display();
    }
}

/// The convergence figure: error against dx for p and u, three starts,
/// the questioner's setup (T = 2) on top and T = 0.3 below.
pub fn convergence_figure(at_their_t: &Starts, at_other_t: &Starts) -> Figure {
    let mut charts = at_their_t.charts("NX = 50..950, CFL 0.3");
    charts.extend(at_other_t.charts("NX = 50..950, CFL 0.3"));
    Figure::grid(charts, 2, 2, 1200, 980).with_title(
        "Staggered leapfrog, general problem: grid L2 error against dx for three starts of u",
    )
}

/// The questioner's own measurement, ported: their final errors against their dx.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TheirMeasurement {
    /// Their NX.
    pub nx: Vec<usize>,
    /// Their dx = 1/(NX-1).
    pub dx: Vec<f64>,
    /// Their last `errorsp` entry per NX.
    pub last_p: Vec<f64>,
    /// Their last `errorsu` entry.
    pub last_u: Vec<f64>,
    /// Least-squares order of `last_p` against dx.
    pub order_p: Option<f64>,
    /// Least-squares order of `last_u`.
    pub order_u: Option<f64>,
}

impl TheirMeasurement {
    /// Runs the port on their grids with their problem (`Standing`) or the general one.
    pub fn run(problem: Problem) -> Self {
        let runs: Vec<_> = their_grids()
            .into_iter()
            .map(|nx| reference::questioner_run(nx, THEIR_CFL, THEIR_T_END, 1.0, problem))
            .collect();
        let dx: Vec<f64> = runs.iter().map(|r| r.dx).collect();
        let last = |f: fn(&reference::QuestionerRun) -> &Vec<f64>| -> Vec<f64> {
            runs.iter()
                .map(|r| f(r).last().copied().unwrap_or(f64::NAN))
                .collect()
        };
        let last_p = last(|r| &r.errors_p);
        let last_u = last(|r| &r.errors_u);
        TheirMeasurement {
            nx: runs.iter().map(|r| r.nx).collect(),
            order_p: fitted_order(&dx, &last_p),
            order_u: fitted_order(&dx, &last_u),
            dx,
            last_p,
            last_u,
        }
    }
}

/// The L2 errors after every step on one grid, for the three starts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct History {
    /// Cells.
    pub n: usize,
    /// (init, times of p, L2 error of p, L2 error of u).
    #[allow(clippy::type_complexity)]
    pub runs: Vec<(Init, Vec<f64>, Vec<f64>, Vec<f64>)>,
}

impl History {
    /// n cells, CFL 0.3, T = 2, general problem.
    ///
    /// # Errors
    /// n < 2.
    pub fn run(n: usize) -> Result<Self> {
        let mut runs = Vec::new();
        for init in Init::ALL {
            let s = ConvergenceStudy::new(vec![n], THEIR_CFL, THEIR_T_END)?
                .with_init(init)
                .with_history(true);
            let level = s.level(n)?;
            let t = level.history.iter().map(|h| h.t_p).collect();
            let p = level.history.iter().map(|h| h.l2_p).collect();
            let u = level.history.iter().map(|h| h.l2_u).collect();
            runs.push((init, t, p, u));
        }
        Ok(History { n, runs })
    }

    /// Error against time, log y.
    pub fn figure(&self) -> Figure {
        let mut chart = Chart::new(format!(
            "Grid L2 error against time, n = {}, CFL 0.3, general problem (p solid, u dotted)",
            self.n
        ))
        .with_labels("t (p time; u is dt/2 later)", "grid L2 error")
        .with_scales(Scale::Linear, Scale::Log10)
        .with_legend(LegendPosition::LowerRight);
        for (i, (init, t, p, u)) in self.runs.iter().enumerate() {
            chart = chart
                .with_series(Series::line(format!("p, {init} start"), t, p).with_color(i))
                .with_series(
                    // Every 8th step, so the dots stay apart.
                    Series::points(
                        format!("u, {init} start"),
                        &t.iter().step_by(8).copied().collect::<Vec<f64>>(),
                        &u.iter().step_by(8).copied().collect::<Vec<f64>>(),
                    )
                    .with_color(i),
                );
        }
        Figure::single(chart, 1100, 560)
    }
}

/// p and u at T on a coarse grid against the exact solution.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Snapshot {
    /// p points.
    pub x_p: Vec<f64>,
    /// u points.
    pub x_u: Vec<f64>,
    /// p at T (Taylor start).
    pub p: Vec<f64>,
    /// u at T + dt/2 (Taylor start).
    pub u: Vec<f64>,
    /// u at T + dt/2 (naive start).
    pub u_naive: Vec<f64>,
    /// Fine x for the exact curves.
    pub x_fine: Vec<f64>,
    /// Exact p at T.
    pub p_exact: Vec<f64>,
    /// Exact u at T + dt/2.
    pub u_exact: Vec<f64>,
    /// T.
    pub t_p: f64,
    /// T + dt/2.
    pub t_u: f64,
}

impl Snapshot {
    /// n cells, CFL 0.3, T = 2, general problem.
    ///
    /// # Errors
    /// n < 2.
    pub fn run(n: usize) -> Result<Self> {
        let study = ConvergenceStudy::new(vec![n], THEIR_CFL, THEIR_T_END)?;
        let level = study.level(n)?;
        let mk = |init: Init| -> Result<Leapfrog1d> {
            let mut s = Leapfrog1d::new(numlab_core::wave::Grid1d::new(n, 1.0)?, level.dt)?;
            s.initialise(Problem::General, init);
            s.advance(level.steps);
            Ok(s)
        };
        let a = mk(Init::Taylor)?;
        let b = mk(Init::Naive)?;
        let x_fine: Vec<f64> = (0..=600).map(|i| i as f64 / 600.0).collect();
        let (t_p, t_u) = (a.t_p(), a.t_u());
        Ok(Snapshot {
            x_p: a.grid().x_p(),
            x_u: a.grid().x_u(),
            p: a.p().to_vec(),
            u: a.u().to_vec(),
            u_naive: b.u().to_vec(),
            p_exact: x_fine
                .iter()
                .map(|&x| Problem::General.p(x, t_p, 1.0))
                .collect(),
            u_exact: x_fine
                .iter()
                .map(|&x| Problem::General.u(x, t_u, 1.0))
                .collect(),
            x_fine,
            t_p,
            t_u,
        })
    }

    /// Two panels: p and u with the exact curves.
    pub fn figure(&self) -> Figure {
        let n = self.x_p.len();
        let p = Chart::new(format!("p at t = {} on {n} cells (Taylor start)", self.t_p))
            .with_labels("x", "p")
            .with_series(Series::line("exact", &self.x_fine, &self.p_exact).with_color(6))
            .with_series(Series::points("leapfrog, at x_j", &self.x_p, &self.p).with_color(0));
        let u = Chart::new(format!(
            "u at t = {:.4} (T + dt/2), at x_j + dx/2",
            self.t_u
        ))
        .with_labels("x", "u")
        .with_series(Series::line("exact", &self.x_fine, &self.u_exact).with_color(6))
        .with_series(Series::points("Taylor start", &self.x_u, &self.u).with_color(0))
        .with_series(Series::points("naive start", &self.x_u, &self.u_naive).with_color(2));
        Figure::grid(vec![p, u], 1, 2, 1200, 480)
            .with_title("Solution snapshot against the exact solution, general problem, CFL 0.3")
    }
}

/// The 2-D scheme's convergence (exact start, CFL 0.5, T = 1).
///
/// # Errors
/// None in practice.
pub fn convergence_2d_table() -> Result<ConvergenceTable2d> {
    Ok(convergence_2d(
        &[16, 32, 64, 128, 256],
        0.5,
        1.0,
        Init::Exact,
    )?)
}

/// Error against dx for p, u and v of the 2-D scheme.
pub fn figure_2d(t: &ConvergenceTable2d) -> Figure {
    let dx: Vec<f64> = t.levels.iter().map(|l| l.dx).collect();
    let col =
        |f: fn(&numlab_core::wave::Level2d) -> f64| t.levels.iter().map(f).collect::<Vec<f64>>();
    let e_p = col(|l| l.error_l2_p);
    let chart = Chart::new("2-D staggered leapfrog (p, u, v), standing mode, CFL 0.5, T = 1")
        .with_labels("dx = dy", "grid L2 error")
        .with_log_log()
        .with_legend(LegendPosition::LowerRight)
        .with_series(
            Series::line_points(format!("p (order {})", fmt_order(t.order_l2_p)), &dx, &e_p)
                .with_color(0),
        )
        .with_series(
            Series::line_points(
                format!("u (order {})", fmt_order(t.order_l2_u)),
                &dx,
                &col(|l| l.error_l2_u),
            )
            .with_color(1),
        )
        .with_series(
            Series::points(
                format!("v (order {})", fmt_order(t.order_l2_v)),
                &dx,
                &col(|l| l.error_l2_v),
            )
            .with_color(2),
        )
        .with_reference_slope(ReferenceSlope::new(
            2.0,
            (dx[dx.len() - 1], e_p[e_p.len() - 1] * 0.25),
            1.2,
            "O(dx²)",
        ));
    Figure::single(chart, 1000, 620)
}

/// The study: figures and summary.
///
/// # Errors
/// None in practice.
pub fn run() -> Result<StudyOutput> {
    let grids = their_grids();
    let at_2 = Starts::run(&grids, THEIR_CFL, THEIR_T_END)?;
    let at_03 = Starts::run(&grids, THEIR_CFL, 0.3)?;
    let standing: Vec<(Init, Convergence)> = Init::ALL
        .into_iter()
        .map(|i| Ok((i, Convergence::their_setup(i, Problem::Standing)?)))
        .collect::<Result<_>>()?;
    let theirs = TheirMeasurement::run(Problem::Standing);
    let theirs_general = TheirMeasurement::run(Problem::General);
    let history = History::run(200)?;
    let snapshot = Snapshot::run(40)?;
    let two_d = convergence_2d_table()?;

    let figures = vec![
        NamedFigure {
            name: "03-convergence".into(),
            figure: convergence_figure(&at_2, &at_03),
        },
        NamedFigure {
            name: "03-error-vs-time".into(),
            figure: history.figure(),
        },
        NamedFigure {
            name: "03-snapshot".into(),
            figure: snapshot.figure(),
        },
        NamedFigure {
            name: "03-convergence-2d".into(),
            figure: figure_2d(&two_d),
        },
    ];

    let mut orders = Table::new([
        "setup",
        "problem",
        "start",
        "order L2 p",
        "order L2 u",
        "what it measures",
    ]);
    orders.row([
        "questioner's code, ported (their grid dx = 1/(NX-1), their start, error at the pre-step time)".to_string(),
        "standing (theirs)".into(),
        "naive (u0 at x_j, t = 0)".into(),
        fmt_order(theirs.order_p),
        fmt_order(theirs.order_u),
        "mostly the one-step time lag of the comparison: p after a step against the exact p a step earlier, O(dt)".into(),
    ]);
    orders.row([
        "questioner's code, ported".to_string(),
        "general".into(),
        "naive".into(),
        fmt_order(theirs_general.order_p),
        fmt_order(theirs_general.order_u),
        "the same lag plus the wrong start on waves in both directions".into(),
    ]);
    for (i, c) in &standing {
        orders.row([
            "corrected, CFL 0.3, T = 2, NX = 50..950".to_string(),
            "standing".into(),
            i.to_string(),
            fmt_order(c.result.order_l2_p),
            fmt_order(c.result.order_l2_u),
            if *i == Init::Naive {
                "the O(dt) start error: at T = 2 (whole periods) it cancels in p, not in u".into()
            } else {
                "the scheme's order at each field's own time and place".into()
            },
        ]);
    }
    for (starts, t) in [(&at_2, "2"), (&at_03, "0.3")] {
        for (i, r) in &starts.runs {
            orders.row([
                format!("corrected, CFL 0.3, T = {t}, NX = 50..950"),
                "general".into(),
                i.to_string(),
                fmt_order(r.order_l2_p),
                fmt_order(r.order_l2_u),
                if *i == Init::Naive && t == "2" {
                    "the O(dt) start error: at T = 2 (whole periods) it cancels in p, not in u"
                        .into()
                } else if *i == Init::Naive {
                    "the O(dt) start error, in both fields (tends to order 1)".into()
                } else {
                    "second order".into()
                },
            ]);
        }
    }
    orders.row([
        "2-D scheme, CFL 0.5, T = 1, n = 16..256".to_string(),
        "standing mode".into(),
        "exact".into(),
        fmt_order(two_d.order_l2_p),
        format!(
            "{} (v {})",
            fmt_order(two_d.order_l2_u),
            fmt_order(two_d.order_l2_v)
        ),
        "second order in 2-D".into(),
    ]);

    let summary = format!(
        "## 03 Staggered leapfrog for the 1-D wave system\n\n\
         Fitted orders are least-squares slopes of log(grid L2 error) against log(dx) over all grids; \
         p is compared at T, u at T + dt/2 and x + dx/2 (the questioner's port: at their loop's time and x).\n\n{}\n\
         The questioner's first grid: their final p error {:.3e} at NX = 50; corrected with the Taylor start: {:.3e}.\n",
        orders.to_markdown(),
        theirs.last_p[0],
        standing[1].1.result.levels[0].error_l2_p,
    );
    Ok(StudyOutput {
        number: "03",
        id: "wave",
        figures,
        summary,
    })
}

/// Benchmark helpers for `leapfrog-*` and `convergence-sweep` (see [`crate::bench`]).
pub mod bench_support {
    use numlab_core::wave::{reference, ConvergenceStudy, Grid1d, Init, Leapfrog1d, Problem};

    use crate::Result;

    /// Initial p (at x_j) then u (at x_j + dx/2, dt/2, exact) of the general
    /// problem on n cells of [0, 1) at CFL `cfl`, as one vector of 2n values.
    ///
    /// # Errors
    /// n < 2 or a bad cfl.
    pub fn leapfrog_inputs(n: usize, cfl: f64) -> Result<Vec<f64>> {
        let s = Leapfrog1d::for_problem(n, 1.0, cfl, Problem::General, Init::Exact)?;
        Ok([s.p(), s.u()].concat())
    }

    /// Advances the state given as p ++ u by `steps` steps; returns the scheme.
    ///
    /// # Errors
    /// Odd or short input; a bad cfl.
    pub fn leapfrog_run(pu: &[f64], cfl: f64, steps: u64) -> Result<Leapfrog1d> {
        let n = pu.len() / 2;
        let grid = Grid1d::new(n, 1.0)?;
        let mut s = Leapfrog1d::new(grid, cfl * grid.dx())?;
        s.set_fields(&pu[..n], &pu[n..2 * n])?;
        s.advance(steps);
        Ok(s)
    }

    /// Max |difference| between `out` (p ++ u) and the plain loop from `pu`.
    pub fn leapfrog_error(pu: &[f64], cfl: f64, steps: u64, out: &[f64]) -> f64 {
        let n = pu.len() / 2;
        let (mut p, mut u) = (pu[..n].to_vec(), pu[n..2 * n].to_vec());
        let grid = match Grid1d::new(n, 1.0) {
            Ok(g) => g,
            Err(_) => return f64::INFINITY,
        };
        // The scheme's c is dt/dx with dt = cfl dx, as in `leapfrog_run`.
        let c = cfl * grid.dx() / grid.dx();
        reference::advance_loop(&mut p, &mut u, c, steps);
        let want = [p, u].concat();
        if want.len() != out.len() {
            return f64::INFINITY;
        }
        want.iter()
            .zip(out)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    }

    /// The sweep: the questioner's NX list, CFL 0.3, T = 2, their problem,
    /// exact start, L2 errors of p and u after every step. Returns the final
    /// recorded L2 errors of p, then of u, per grid.
    ///
    /// # Errors
    /// None for valid parameters.
    pub fn sweep_run(grids: &[usize], cfl: f64, t_end: f64) -> Result<Vec<f64>> {
        let t = ConvergenceStudy::new(grids.to_vec(), cfl, t_end)?
            .with_init(Init::Exact)
            .with_problem(Problem::Standing)
            .with_history(true)
            .run()?;
        let last = |f: fn(&numlab_core::wave::ErrorSample) -> f64| -> Vec<f64> {
            t.levels
                .iter()
                .map(|l| l.history.last().map_or(f64::NAN, f))
                .collect()
        };
        Ok([last(|h| h.l2_p), last(|h| h.l2_u)].concat())
    }

    /// Max relative difference between the sweep's final recorded errors and
    /// the errors evaluated directly (libm cos per point) after the same run.
    ///
    /// # Errors
    /// None for valid parameters.
    pub fn sweep_error(grids: &[usize], cfl: f64, t_end: f64, out: &[f64]) -> Result<f64> {
        let t = ConvergenceStudy::new(grids.to_vec(), cfl, t_end)?
            .with_init(Init::Exact)
            .with_problem(Problem::Standing)
            .run()?;
        let want: Vec<f64> = [t.error_l2_p(), t.error_l2_u()].concat();
        if want.len() != out.len() {
            return Ok(f64::INFINITY);
        }
        Ok(want
            .iter()
            .zip(out)
            .map(|(a, b)| (a - b).abs() / a.abs().max(1e-300))
            .fold(0.0, f64::max))
    }
}
