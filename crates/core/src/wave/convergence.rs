//! Convergence studies: errors over a list of grids at fixed CFL, observed orders.

use super::problems::{Init, Problem};
use super::scheme::{check_cfl, ErrorSample, Grid1d, Leapfrog1d};
use crate::error::{check, num, sig3, NumlabError, Result};

/// The number of steps K and the step dt = T / K that land exactly on the end
/// time `t_end` with a CFL number <= `cfl`: `K = ceil(T / (cfl dx))` (a ratio
/// within 1e-9 of an integer counts as that integer when that keeps
/// dt/dx <= cfl (1 + 1e-12), so rounding in T/(c dx) never adds a step).
/// A ratio too large for `u64` saturates; [`check_work`] refuses it.
pub fn steps_to(t_end: f64, cfl: f64, dx: f64) -> (u64, f64) {
    let r = t_end / (cfl * dx);
    let near = r.round();
    let k = if (r - near).abs() <= 1e-9 * r.max(1.0) && near >= 1.0 && r / near <= 1.0 + 1e-12 {
        near
    } else {
        r.ceil()
    }
    .max(1.0);
    (k as u64, t_end / k)
}

/// The largest number of cell updates (cells x steps) one grid may take:
/// 1e12, hours of computing, so a mistyped end time or CFL is refused rather
/// than run.
pub const MAX_CELL_STEPS: f64 = 1e12;

/// The most error samples a level records with
/// [`ConvergenceStudy::with_history`]: 10,000,000 steps (24 bytes each, 240 MB).
pub const MAX_HISTORY: u64 = 10_000_000;

/// The CFL number at which a run too long is blamed on the end time or the
/// grid rather than on the CFL number.
const USUAL_CFL: f64 = 0.5;

/// Refuses a run on a periodic grid of `n` cells a side (`dims` = 1 or 2,
/// `n^dims` cells) of length `length`, to `t_end` at CFL `cfl`
/// (`t_end / (cfl dx)` steps), beyond [`MAX_CELL_STEPS`] cell updates.
///
/// The error names the parameter to change: `cfl` when the run would fit at
/// CFL 0.5 (its limit, the smallest CFL that fits, in the message), else
/// `t_end` when it would fit with `t_end = length` (one transit), else `n`
/// (with the most cells a side that fit).
///
/// # Errors
/// [`NumlabError::OutOfRange`] for `cfl`, [`NumlabError::AboveLimit`] for
/// `t_end` or `n`.
pub fn check_work(n: usize, dims: i32, length: f64, t_end: f64, cfl: f64) -> Result<()> {
    let nf = n as f64;
    let cells = nf.powi(dims);
    let steps_at = |t: f64, c: f64| (t * nf / (c * length)).ceil().max(1.0);
    let steps = steps_at(t_end, cfl);
    let work = cells * steps;
    if work <= MAX_CELL_STEPS {
        return Ok(());
    }
    let big = |v: f64| {
        if v.is_finite() {
            sig3(v)
        } else {
            "more than 1.8e308".to_string()
        }
    };
    let why = format!(
        "{} cells x {} steps of t_end / (cfl dx) = {} cell updates, at most 1e12 (hours of computing)",
        num(cells),
        big(steps),
        big(work)
    );
    if cells * steps_at(t_end, USUAL_CFL) <= MAX_CELL_STEPS {
        let least = cells * t_end * nf / (length * MAX_CELL_STEPS);
        return Err(NumlabError::OutOfRange {
            name: "cfl",
            value: num(cfl),
            why: format!("at least {} on {n} cells: {why}", sig3(least)),
        });
    }
    if cells * steps_at(length, cfl) <= MAX_CELL_STEPS {
        let most = MAX_CELL_STEPS * cfl * length / (cells * nf);
        return Err(NumlabError::above(
            "t_end",
            num(t_end),
            format!("{} on {n} cells", sig3(most)),
            why,
        ));
    }
    let most = (MAX_CELL_STEPS * cfl * length / t_end).powf(1.0 / (dims + 1) as f64);
    Err(NumlabError::above(
        "n",
        n,
        format!(
            "{} cells a side at this t_end and cfl",
            num(most.floor().max(1.0))
        ),
        why,
    ))
}

/// Least-squares slope of ln(error) against ln(dx): the observed order.
/// `None` when fewer than two pairs have a finite, positive error and dx.
pub fn fitted_order(dx: &[f64], error: &[f64]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = dx
        .iter()
        .zip(error)
        .filter(|(h, e)| h.is_finite() && **h > 0.0 && e.is_finite() && **e > 0.0)
        .map(|(h, e)| (h.ln(), e.ln()))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let m = pts.len() as f64;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / m, b + y / m));
    let (sxy, sxx) = pts.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    if sxx <= 0.0 {
        return None;
    }
    Some(sxy / sxx)
}

/// Orders between successive grids: `ln(e_i / e_{i+1}) / ln(dx_i / dx_{i+1})`.
pub fn pairwise_orders(dx: &[f64], error: &[f64]) -> Vec<Option<f64>> {
    dx.windows(2)
        .zip(error.windows(2))
        .map(|(h, e)| {
            let o = (e[0] / e[1]).ln() / (h[0] / h[1]).ln();
            o.is_finite().then_some(o)
        })
        .collect()
}

/// A convergence study of the 1-D staggered leapfrog: for each grid n, run
/// from t = 0 to `t_end` at CFL <= `cfl` (see [`steps_to`]) and measure the
/// errors of p at `t_end` and of u at `t_end + dt/2`, in the grid L2 and max
/// norms. Space and time are refined together.
///
/// ```
/// use numlab_core::wave::{ConvergenceStudy, Init, Problem};
/// let table = ConvergenceStudy::new(vec![32, 64, 128], 0.5, 1.0)?
///     .with_init(Init::Exact)
///     .with_problem(Problem::General)
///     .run()?;
/// let order = table.order_l2_p.unwrap();
/// assert!((order - 2.0).abs() < 0.1, "{order}");
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConvergenceStudy {
    grids: Vec<usize>,
    cfl: f64,
    t_end: f64,
    length: f64,
    init: Init,
    problem: Problem,
    history: bool,
}

impl ConvergenceStudy {
    /// Grids (cell counts), CFL number, end time; L = 1, Taylor start, general problem.
    ///
    /// # Errors
    /// An empty grid list; any n < 2; `cfl` not finite, <= 0 or > 1;
    /// `t_end` not finite or <= 0.
    pub fn new(grids: Vec<usize>, cfl: f64, t_end: f64) -> Result<Self> {
        if grids.is_empty() {
            return Err(NumlabError::TooShort {
                name: "grids",
                len: 0,
                min: 1,
            });
        }
        if let Some(&n) = grids.iter().find(|&&n| n < 2) {
            return Err(NumlabError::invalid("n", n as f64, "must be >= 2 cells"));
        }
        check_cfl(
            cfl,
            1.0,
            "must be finite, > 0 and <= 1 (the CFL limit of the staggered leapfrog)",
        )?;
        check::positive("t_end", t_end)?;
        Ok(ConvergenceStudy {
            grids,
            cfl,
            t_end,
            length: 1.0,
            init: Init::Taylor,
            problem: Problem::General,
            history: false,
        })
    }

    /// Domain length L (x units).
    ///
    /// # Errors
    /// Not finite or <= 0.
    pub fn with_length(mut self, length: f64) -> Result<Self> {
        check::positive("length", length)?;
        self.length = length;
        Ok(self)
    }

    /// How u is initialised.
    pub fn with_init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }

    /// The test problem.
    pub fn with_problem(mut self, problem: Problem) -> Self {
        self.problem = problem;
        self
    }

    /// Also record the L2 errors of p and u after every step (in [`Level::history`]).
    pub fn with_history(mut self, history: bool) -> Self {
        self.history = history;
        self
    }

    /// The grids.
    pub fn grids(&self) -> &[usize] {
        &self.grids
    }

    /// Checks one grid's size and work before anything is allocated:
    /// [`Grid1d::new`], [`check_work`], and with the history at most
    /// [`MAX_HISTORY`] steps. Returns the grid, the steps and dt.
    fn plan(&self, n: usize) -> Result<(Grid1d, u64, f64)> {
        let grid = Grid1d::new(n, self.length)?;
        check_work(n, 1, self.length, self.t_end, self.cfl)?;
        let (steps, dt) = steps_to(self.t_end, self.cfl, grid.dx());
        if self.history && steps > MAX_HISTORY {
            let most = MAX_HISTORY as f64 * self.cfl * grid.dx();
            return Err(NumlabError::above(
                "t_end",
                num(self.t_end),
                format!("{} on {n} cells with the error history", sig3(most)),
                format!(
                    "the history records one sample of 24 bytes per step, at most {MAX_HISTORY} steps; here {steps}"
                ),
            ));
        }
        Ok((grid, steps, dt))
    }

    /// Runs one grid.
    ///
    /// # Errors
    /// As [`Grid1d::new`] (already checked by `new`); a run beyond
    /// [`MAX_CELL_STEPS`] ([`check_work`]); a history beyond [`MAX_HISTORY`]
    /// steps (on `t_end`).
    pub fn level(&self, n: usize) -> Result<Level> {
        let (grid, steps, dt) = self.plan(n)?;
        let mut s = Leapfrog1d::new(grid, dt)?;
        s.initialise(self.problem, self.init);
        let history = if self.history {
            s.advance_recording(self.problem, steps)
        } else {
            s.advance(steps);
            Vec::new()
        };
        let e = s.errors(self.problem);
        Ok(Level {
            n,
            dx: grid.dx(),
            dt,
            steps,
            cfl: s.cfl(),
            error_l2_p: e.l2_p,
            error_l2_u: e.l2_u,
            error_max_p: e.max_p,
            error_max_u: e.max_u,
            history,
        })
    }

    /// Runs every grid (on all cores, largest first) and fits the orders.
    ///
    /// # Errors
    /// As [`level`](Self::level), for every grid before any is run.
    pub fn run(&self) -> Result<ConvergenceTable> {
        self.run_with_progress(&|_, _| {})
    }

    /// [`run`](Self::run), calling `progress(done, total)` as each grid
    /// finishes, in units of cell updates (cells x steps; for a progress
    /// bar, the result does not depend on it).
    ///
    /// # Errors
    /// As [`run`](Self::run).
    pub fn run_with_progress(
        &self,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<ConvergenceTable> {
        // Largest first: its limits bind the whole list.
        let mut sizes = self.grids.clone();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        let mut total = 0u64;
        for n in sizes {
            let (_, steps, _) = self.plan(n)?;
            total = total.saturating_add(steps.saturating_mul(n as u64));
        }
        let done_work = std::sync::atomic::AtomicU64::new(0);
        // Largest grids first, so the long levels start early; each level is
        // computed the same way whichever thread runs it.
        let mut order: Vec<usize> = (0..self.grids.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.grids[i]));
        let done = crate::threads::map(order.len(), |k| {
            let n = self.grids[order[k]];
            let level = self.level(n);
            let work = self
                .plan(n)
                .map_or(0, |(_, steps, _)| steps.saturating_mul(n as u64));
            let now = done_work.fetch_add(work, std::sync::atomic::Ordering::Relaxed) + work;
            progress(now, total);
            (order[k], level)
        });
        let mut results: Vec<Option<Result<Level>>> = vec![None; self.grids.len()];
        for (i, r) in done {
            results[i] = Some(r);
        }
        let mut levels = Vec::with_capacity(self.grids.len());
        for r in results {
            match r {
                Some(l) => levels.push(l?),
                None => {
                    return Err(NumlabError::Unsupported(
                        "a convergence level did not finish".into(),
                    ))
                }
            }
        }
        Ok(ConvergenceTable::from_levels(
            levels,
            self.cfl,
            self.t_end,
            self.init,
            self.problem,
        ))
    }
}

/// One grid of a convergence study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Level {
    /// Cells.
    pub n: usize,
    /// Cell size L/n.
    pub dx: f64,
    /// Time step T/K.
    pub dt: f64,
    /// Steps K.
    pub steps: u64,
    /// The CFL number used, dt/dx (<= the requested one).
    pub cfl: f64,
    /// Grid L2 error of p at T.
    pub error_l2_p: f64,
    /// Grid L2 error of u at T + dt/2.
    pub error_l2_u: f64,
    /// Max error of p at T.
    pub error_max_p: f64,
    /// Max error of u at T + dt/2.
    pub error_max_u: f64,
    /// L2 errors after every step, when asked for ([`ConvergenceStudy::with_history`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ErrorSample>,
}

/// The result of a [`ConvergenceStudy`]: one [`Level`] per grid, the orders
/// between successive grids and the least-squares orders over all grids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConvergenceTable {
    /// The requested CFL number.
    pub cfl: f64,
    /// End time T.
    pub t_end: f64,
    /// How u was initialised.
    pub init: Init,
    /// The test problem.
    pub problem: Problem,
    /// One row per grid, in the order given.
    pub levels: Vec<Level>,
    /// Order of the L2 error of p between level i and i+1.
    pub pairwise_l2_p: Vec<Option<f64>>,
    /// Order of the L2 error of u between level i and i+1.
    pub pairwise_l2_u: Vec<Option<f64>>,
    /// Least-squares order of the L2 error of p over all grids.
    pub order_l2_p: Option<f64>,
    /// Least-squares order of the L2 error of u.
    pub order_l2_u: Option<f64>,
    /// Least-squares order of the max error of p.
    pub order_max_p: Option<f64>,
    /// Least-squares order of the max error of u.
    pub order_max_u: Option<f64>,
}

impl ConvergenceTable {
    /// Orders from levels.
    pub fn from_levels(
        levels: Vec<Level>,
        cfl: f64,
        t_end: f64,
        init: Init,
        problem: Problem,
    ) -> Self {
        let col = |f: fn(&Level) -> f64| levels.iter().map(f).collect::<Vec<f64>>();
        let dx = col(|l| l.dx);
        let (lp, lu) = (col(|l| l.error_l2_p), col(|l| l.error_l2_u));
        let (mp, mu) = (col(|l| l.error_max_p), col(|l| l.error_max_u));
        ConvergenceTable {
            cfl,
            t_end,
            init,
            problem,
            pairwise_l2_p: pairwise_orders(&dx, &lp),
            pairwise_l2_u: pairwise_orders(&dx, &lu),
            order_l2_p: fitted_order(&dx, &lp),
            order_l2_u: fitted_order(&dx, &lu),
            order_max_p: fitted_order(&dx, &mp),
            order_max_u: fitted_order(&dx, &mu),
            levels,
        }
    }

    /// dx of every level.
    pub fn dx(&self) -> Vec<f64> {
        self.levels.iter().map(|l| l.dx).collect()
    }
    /// L2 error of p of every level.
    pub fn error_l2_p(&self) -> Vec<f64> {
        self.levels.iter().map(|l| l.error_l2_p).collect()
    }
    /// L2 error of u of every level.
    pub fn error_l2_u(&self) -> Vec<f64> {
        self.levels.iter().map(|l| l.error_l2_u).collect()
    }
}

fn fmt_order(o: Option<f64>) -> String {
    o.map_or_else(|| "-".to_string(), |o| format!("{o:.3}"))
}

impl std::fmt::Display for ConvergenceTable {
    /// An aligned text table: one row per grid with the errors and the
    /// pairwise L2 orders, then the fitted orders.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "staggered leapfrog, problem {}, init {}, CFL {}, T = {}",
            self.problem, self.init, self.cfl, self.t_end
        )?;
        writeln!(
            f,
            "{:>7} {:>11} {:>11} {:>7} {:>11} {:>11} {:>11} {:>11} {:>8} {:>8}",
            "n",
            "dx",
            "dt",
            "steps",
            "L2 err p",
            "L2 err u",
            "max err p",
            "max err u",
            "order p",
            "order u"
        )?;
        for (i, l) in self.levels.iter().enumerate() {
            let (op, ou) = if i == 0 {
                (String::new(), String::new())
            } else {
                (
                    fmt_order(self.pairwise_l2_p[i - 1]),
                    fmt_order(self.pairwise_l2_u[i - 1]),
                )
            };
            writeln!(
                f,
                "{:>7} {:>11.4e} {:>11.4e} {:>7} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>8} {:>8}",
                l.n, l.dx, l.dt, l.steps, l.error_l2_p, l.error_l2_u, l.error_max_p, l.error_max_u, op, ou
            )?;
        }
        write!(
            f,
            "fitted order (least squares over all grids): L2 p {}, L2 u {}, max p {}, max u {}",
            fmt_order(self.order_l2_p),
            fmt_order(self.order_l2_u),
            fmt_order(self.order_max_p),
            fmt_order(self.order_max_u)
        )
    }
}
