//! The 1-D staggered leapfrog: grid, state, steps, energy, errors.

use super::kernel;
use super::problems::{ExactTables, Init, Problem};
use crate::error::{check, NumlabError, Result};

/// The most cells a 1-D grid may have: 2^24 (16,777,216). A run takes
/// about 24 bytes a cell (the fields, the exact solution's tables, the
/// error pass): 400 MB at this limit, per grid computed at once.
pub const MAX_CELLS: usize = 1 << 24;

/// A periodic grid of `n` cells on `[0, length)`: `dx = length / n`, p points
/// `x_j = j dx`, u points `x_j + dx/2`, j = 0..n-1 (no duplicated end point).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Grid1d {
    n: usize,
    length: f64,
    dx: f64,
}

impl Grid1d {
    /// `n` cells on `[0, length)`.
    ///
    /// # Errors
    /// `n < 2` or `n >` [`MAX_CELLS`]; `length` not finite or <= 0.
    pub fn new(n: usize, length: f64) -> Result<Self> {
        if n < 2 {
            return Err(NumlabError::invalid("n", n as f64, "must be >= 2 cells"));
        }
        if n > MAX_CELLS {
            return Err(NumlabError::invalid(
                "n",
                n as f64,
                "must be <= 16777216 cells (2^24: a run takes about 24 bytes a cell, 400 MB)",
            ));
        }
        check::positive("length", length)?;
        Ok(Grid1d {
            n,
            length,
            dx: length / n as f64,
        })
    }

    /// Number of cells.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Domain length L (x units).
    pub fn length(&self) -> f64 {
        self.length
    }

    /// Cell size L / n.
    pub fn dx(&self) -> f64 {
        self.dx
    }

    /// The p points `j dx`.
    pub fn x_p(&self) -> Vec<f64> {
        (0..self.n).map(|j| j as f64 * self.dx).collect()
    }

    /// The u points `(j + ½) dx`.
    pub fn x_u(&self) -> Vec<f64> {
        (0..self.n).map(|j| (j as f64 + 0.5) * self.dx).collect()
    }
}

/// Checks a CFL number: finite, > 0 and <= `limit`.
pub(crate) fn check_cfl(cfl: f64, limit: f64, expected: &'static str) -> Result<()> {
    if !(cfl.is_finite() && cfl > 0.0 && cfl <= limit) {
        return Err(NumlabError::invalid("cfl", cfl, expected));
    }
    Ok(())
}

/// Errors of p and u against the exact solution, each at its own time and
/// place: `l2` is the grid L2 norm `sqrt(dx Σ e_j²)`, `max` the max norm.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FieldErrors {
    /// Grid L2 error of p at t = k dt.
    pub l2_p: f64,
    /// Grid L2 error of u at t = (k + ½) dt.
    pub l2_u: f64,
    /// Max error of p.
    pub max_p: f64,
    /// Max error of u.
    pub max_u: f64,
}

/// The L2 error of p and u after one step, as recorded by
/// [`Leapfrog1d::advance_recording`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ErrorSample {
    /// Time of p (k dt); u is at `t_p + dt/2`.
    pub t_p: f64,
    /// Grid L2 error of p at t_p.
    pub l2_p: f64,
    /// Grid L2 error of u at t_p + dt/2.
    pub l2_u: f64,
}

/// The state of the staggered leapfrog for `p_t + u_x = 0, u_t + p_x = 0`:
/// after k steps, `p[j] ≈ p(j dx, k dt)` and `u[j] ≈ u((j + ½) dx, (k + ½) dt)`.
///
/// One step (c = dt/dx, indices periodic), the questioner's arithmetic:
///
/// ```text
/// p_j ← p_j + c (u_{j-1} - u_j)        (p_t = -u_x)
/// u_j ← u_j + c (p_j - p_{j+1})        (u_t = -p_x, with the new p)
/// ```
///
/// Updates are in place; stepping allocates nothing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Leapfrog1d {
    grid: Grid1d,
    dt: f64,
    cfl: f64,
    p: Vec<f64>,
    u: Vec<f64>,
    steps: u64,
}

impl Leapfrog1d {
    /// Zero fields on `grid` with time step `dt` (time units).
    ///
    /// # Errors
    /// `dt` not finite or <= 0; `cfl = dt/dx > 1` (unstable: the error names `cfl`).
    pub fn new(grid: Grid1d, dt: f64) -> Result<Self> {
        check::positive("dt", dt)?;
        let cfl = dt / grid.dx;
        // dt = T/K from `steps_to` may give dt/dx = 1 + 1 ulp at c = 1: allow rounding.
        check_cfl(
            cfl,
            1.0 + 1e-12,
            "must be <= 1 (the CFL limit of the staggered leapfrog)",
        )?;
        Ok(Leapfrog1d {
            grid,
            dt,
            cfl,
            p: vec![0.0; grid.n],
            u: vec![0.0; grid.n],
            steps: 0,
        })
    }

    /// `n` cells on `[0, length)` with `dt = cfl dx`.
    ///
    /// # Errors
    /// As [`Grid1d::new`]; `cfl` not finite, <= 0 or > 1.
    pub fn with_cfl(n: usize, length: f64, cfl: f64) -> Result<Self> {
        let grid = Grid1d::new(n, length)?;
        check_cfl(
            cfl,
            1.0,
            "must be finite, > 0 and <= 1 (the CFL limit of the staggered leapfrog)",
        )?;
        Self::new(grid, cfl * grid.dx)
    }

    /// Sets p(0) and u(dt/2) for `problem`, initialised by `init`; resets the step count.
    pub fn initialise(&mut self, problem: Problem, init: Init) {
        let (n, l, dx, dt, c) = (
            self.grid.n,
            self.grid.length,
            self.grid.dx,
            self.dt,
            self.cfl,
        );
        for (j, p) in self.p.iter_mut().enumerate() {
            *p = problem.p(j as f64 * dx, 0.0, l);
        }
        let xu = |j: usize| (j as f64 + 0.5) * dx;
        match init {
            Init::Exact => {
                for (j, u) in self.u.iter_mut().enumerate() {
                    *u = problem.u(xu(j), 0.5 * dt, l);
                }
            }
            Init::Naive => {
                for (j, u) in self.u.iter_mut().enumerate() {
                    *u = problem.u(xu(j), 0.0, l);
                }
            }
            Init::Taylor => {
                let u0: Vec<f64> = (0..n).map(|j| problem.u(xu(j), 0.0, l)).collect();
                for j in 0..n {
                    let (jm, jp) = ((j + n - 1) % n, (j + 1) % n);
                    self.u[j] = u0[j] - 0.5 * c * (self.p[jp] - self.p[j])
                        + 0.125 * c * c * (u0[jp] - 2.0 * u0[j] + u0[jm]);
                }
            }
        }
        self.steps = 0;
    }

    /// A scheme for `problem` on `n` cells of `[0, length)`, `dt = cfl dx`, initialised.
    ///
    /// # Errors
    /// As [`with_cfl`](Self::with_cfl).
    pub fn for_problem(
        n: usize,
        length: f64,
        cfl: f64,
        problem: Problem,
        init: Init,
    ) -> Result<Self> {
        let mut s = Self::with_cfl(n, length, cfl)?;
        s.initialise(problem, init);
        Ok(s)
    }

    /// Replaces the fields: `p` at the current p time, `u` at the u time.
    ///
    /// # Errors
    /// Lengths other than n; non-finite values.
    pub fn set_fields(&mut self, p: &[f64], u: &[f64]) -> Result<()> {
        check::same_len("p", p, "grid cells", &self.p)?;
        check::same_len("u", u, "grid cells", &self.u)?;
        check::all_finite("p", p)?;
        check::all_finite("u", u)?;
        self.p.copy_from_slice(p);
        self.u.copy_from_slice(u);
        Ok(())
    }

    /// The grid.
    pub fn grid(&self) -> &Grid1d {
        &self.grid
    }
    /// Time step (time units).
    pub fn dt(&self) -> f64 {
        self.dt
    }
    /// The CFL number dt/dx in use.
    pub fn cfl(&self) -> f64 {
        self.cfl
    }
    /// p at the p points, time [`t_p`](Self::t_p).
    pub fn p(&self) -> &[f64] {
        &self.p
    }
    /// u at the u points, time [`t_u`](Self::t_u).
    pub fn u(&self) -> &[f64] {
        &self.u
    }
    /// Steps taken since the initialisation.
    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// The time of p: steps × dt.
    pub fn t_p(&self) -> f64 {
        self.steps as f64 * self.dt
    }
    /// The time of u: (steps + ½) dt.
    pub fn t_u(&self) -> f64 {
        (self.steps as f64 + 0.5) * self.dt
    }

    /// One step, the plain loop.
    pub fn step(&mut self) {
        kernel::step(&mut self.p, &mut self.u, self.cfl);
        self.steps += 1;
    }

    /// `steps` steps: bit-identical to calling [`step`](Self::step) that many
    /// times, but with large grids advanced in cache-sized tiles over several
    /// steps at once (temporal blocking) on all cores.
    pub fn advance(&mut self, steps: u64) {
        kernel::advance(&mut self.p, &mut self.u, self.cfl, steps);
        self.steps += steps;
    }

    /// The discrete energy conserved by the scheme (exactly, up to rounding):
    ///
    /// ```text
    /// E = dx Σ_j [ p_j² + u_j² - c p_j (u_j - u_{j-1}) ]     (p at k dt, u at (k+½) dt)
    /// ```
    ///
    /// For c < 1 it is positive definite, `E >= (1 - c) dx Σ (p_j² + u_j²)`,
    /// so conservation bounds both fields.
    pub fn energy(&self) -> f64 {
        let n = self.grid.n;
        let c = self.cfl;
        let mut e = 0.0;
        for j in 0..n {
            let um = self.u[(j + n - 1) % n];
            let (p, u) = (self.p[j], self.u[j]);
            e += p * p + u * u - c * p * (u - um);
        }
        e * self.grid.dx
    }

    /// Errors against `problem`'s exact solution at each field's own time and place.
    pub fn errors(&self, problem: Problem) -> FieldErrors {
        let (l, dx) = (self.grid.length, self.grid.dx);
        let (tp, tu) = (self.t_p(), self.t_u());
        let (mut s_p, mut s_u, mut m_p, mut m_u) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for j in 0..self.grid.n {
            let x = j as f64 * dx;
            let ep = self.p[j] - problem.p(x, tp, l);
            let eu = self.u[j] - problem.u(x + 0.5 * dx, tu, l);
            s_p += ep * ep;
            s_u += eu * eu;
            m_p = m_p.max(ep.abs());
            m_u = m_u.max(eu.abs());
        }
        FieldErrors {
            l2_p: (s_p * dx).sqrt(),
            l2_u: (s_u * dx).sqrt(),
            max_p: m_p,
            max_u: m_u,
        }
    }

    /// `steps` steps, recording the grid L2 errors of p and u against
    /// `problem` after every step (the error of the exact solution is
    /// evaluated from tables, two multiply-adds per Fourier term and cell,
    /// fused with the update).
    pub fn advance_recording(&mut self, problem: Problem, steps: u64) -> Vec<ErrorSample> {
        let tables = ExactTables::new(problem, self.grid.n, self.grid.length);
        let mut out = Vec::with_capacity(steps as usize);
        let mut co_p = Vec::new();
        let mut co_u = Vec::new();
        let mut scratch = vec![0.0; self.grid.n];
        for _ in 0..steps {
            let tp = (self.steps + 1) as f64 * self.dt;
            tables.coefficients(tp, -1.0, &mut co_p);
            tables.coefficients(tp + 0.5 * self.dt, 1.0, &mut co_u);
            let (sp, su) = kernel::step_with_errors(
                &mut self.p,
                &mut self.u,
                self.cfl,
                &tables,
                &co_p,
                &co_u,
                &mut scratch,
            );
            self.steps += 1;
            out.push(ErrorSample {
                t_p: tp,
                l2_p: (sp * self.grid.dx).sqrt(),
                l2_u: (su * self.grid.dx).sqrt(),
            });
        }
        out
    }

    /// The exact p at the p points and u at the u points, at the current times.
    pub fn exact(&self, problem: Problem) -> (Vec<f64>, Vec<f64>) {
        let (l, dx) = (self.grid.length, self.grid.dx);
        let p = (0..self.grid.n)
            .map(|j| problem.p(j as f64 * dx, self.t_p(), l))
            .collect();
        let u = (0..self.grid.n)
            .map(|j| problem.u((j as f64 + 0.5) * dx, self.t_u(), l))
            .collect();
        (p, u)
    }
}
