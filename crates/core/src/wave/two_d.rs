//! The same scheme in 2-D: `p_t + u_x + v_y = 0, u_t + p_x = 0, v_t + p_y = 0`
//! on the periodic square `[0, L)²` with n × n cells (dx = dy = L/n).
//!
//! ```text
//! p[i,j] at (i dx, j dx),  u[i,j] at ((i+½) dx, j dx),  v[i,j] at (i dx, (j+½) dx)
//! p_ij ← p_ij + c (u_{i-1,j} - u_ij) + c (v_{i,j-1} - v_ij)
//! u_ij ← u_ij + c (p_ij - p_{i+1,j})          (new p)
//! v_ij ← v_ij + c (p_ij - p_{i,j+1})
//! ```
//!
//! u and v live at half steps. Stable for c = dt/dx <= 1/√2. The test
//! solution is the standing mode (k = 2π/L, ω = √2 k)
//! `p = cos kx cos ky cos ωt`, `u = (k/ω) sin kx cos ky sin ωt`,
//! `v = (k/ω) cos kx sin ky sin ωt`.
//!
//! The fields are read as [`ArrayView2`]s of shape `(n, n)` indexed `[i, j]`
//! = (x index, y index) (NumPy's `meshgrid(..., indexing="ij")`; row-major,
//! j fastest): [`p`](Leapfrog2d::p) at the nodes `(i dx, j dx)`,
//! [`u`](Leapfrog2d::u) at `((i+½) dx, j dx)`, [`v`](Leapfrog2d::v) at
//! `(i dx, (j+½) dx)`. The domain is periodic, so each staggered field also
//! has n × n values (the face at x = L is the one at x = 0). A row
//! `p().row(i)` is the line x = i dx; the centre line y = L/2 (n even) is
//! `p().column(n / 2)`.

use std::f64::consts::{PI, SQRT_2};

use super::convergence::{fitted_order, steps_to};
use super::problems::Init;
use super::scheme::check_cfl;
use crate::error::{check, NumlabError, Result};
use ndarray::ArrayView2;

/// The 2-D CFL limit 1/√2.
pub const CFL_LIMIT_2D: f64 = std::f64::consts::FRAC_1_SQRT_2;

fn exact(x: f64, y: f64, t: f64, length: f64) -> (f64, f64, f64) {
    let k = 2.0 * PI / length;
    let w = SQRT_2 * k;
    let (sx, cx) = (k * x).sin_cos();
    let (sy, cy) = (k * y).sin_cos();
    let (st, ct) = (w * t).sin_cos();
    (cx * cy * ct, k / w * sx * cy * st, k / w * cx * sy * st)
}

/// The exact standing mode at (x, y, t): (p, u, v).
pub fn exact_2d(x: f64, y: f64, t: f64, length: f64) -> (f64, f64, f64) {
    exact(x, y, t, length)
}

/// State of the 2-D staggered leapfrog on n × n cells.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Leapfrog2d {
    n: usize,
    length: f64,
    dx: f64,
    dt: f64,
    cfl: f64,
    p: Vec<f64>,
    u: Vec<f64>,
    v: Vec<f64>,
    steps: u64,
}

/// The most cells a side of a 2-D grid: 4096 (2^24 cells, as
/// [`super::MAX_CELLS`] in 1-D; three fields of 8 bytes, 400 MB).
pub const MAX_SIDE: usize = 4096;

fn too_large(n: usize) -> NumlabError {
    NumlabError::invalid(
        "n",
        n as f64,
        "must be <= 4096 cells a side (2^24 cells: three n x n fields of 8 bytes, 400 MB)",
    )
}

impl Leapfrog2d {
    /// n × n cells on `[0, length)²`, step `dt`, initialised with the standing mode.
    ///
    /// # Errors
    /// n < 2 or n > [`MAX_SIDE`]; length or dt not finite or <= 0; dt/dx > 1/√2 (names `cfl`).
    pub fn new(n: usize, length: f64, dt: f64, init: Init) -> Result<Self> {
        if n < 2 {
            return Err(NumlabError::invalid("n", n as f64, "must be >= 2 cells"));
        }
        if n > MAX_SIDE {
            return Err(too_large(n));
        }
        check::positive("length", length)?;
        check::positive("dt", dt)?;
        let dx = length / n as f64;
        let cfl = dt / dx;
        check_cfl(
            cfl,
            CFL_LIMIT_2D * (1.0 + 1e-12),
            "must be <= 1/√2 (the 2-D CFL limit)",
        )?;
        let mut s = Leapfrog2d {
            n,
            length,
            dx,
            dt,
            cfl,
            p: vec![0.0; n * n],
            u: vec![0.0; n * n],
            v: vec![0.0; n * n],
            steps: 0,
        };
        for i in 0..n {
            for j in 0..n {
                let (x, y) = (i as f64 * dx, j as f64 * dx);
                s.p[i * n + j] = exact(x, y, 0.0, length).0;
                let tu = if init == Init::Exact { 0.5 * dt } else { 0.0 };
                s.u[i * n + j] = exact(x + 0.5 * dx, y, tu, length).1;
                s.v[i * n + j] = exact(x, y + 0.5 * dx, tu, length).2;
            }
        }
        if init == Init::Taylor {
            // u(dt/2) ≈ u(0) - (dt/2) p_x: the first-order Taylor term is enough
            // for a second-order scheme (the error it leaves is O(dt²)).
            let (p, c) = (&s.p, cfl);
            for i in 0..n {
                let ip = (i + 1) % n;
                for j in 0..n {
                    let jp = (j + 1) % n;
                    s.u[i * n + j] -= 0.5 * c * (p[ip * n + j] - p[i * n + j]);
                    s.v[i * n + j] -= 0.5 * c * (p[i * n + jp] - p[i * n + j]);
                }
            }
        }
        Ok(s)
    }

    /// The CFL number dt/dx.
    pub fn cfl(&self) -> f64 {
        self.cfl
    }

    /// Steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Cells per side.
    pub fn n(&self) -> usize {
        self.n
    }

    /// p at the nodes `(i dx, j dx)`, shape `(n, n)`, at t = steps dt.
    pub fn p(&self) -> ArrayView2<'_, f64> {
        self.field(&self.p)
    }

    /// u at the x faces `((i+½) dx, j dx)`, shape `(n, n)` (periodic), at
    /// t = (steps + ½) dt.
    pub fn u(&self) -> ArrayView2<'_, f64> {
        self.field(&self.u)
    }

    /// v at the y faces `(i dx, (j+½) dx)`, shape `(n, n)` (periodic), at
    /// t = (steps + ½) dt.
    pub fn v(&self) -> ArrayView2<'_, f64> {
        self.field(&self.v)
    }

    fn field<'a>(&self, values: &'a [f64]) -> ArrayView2<'a, f64> {
        ArrayView2::from_shape((self.n, self.n), values).expect("n x n field")
    }

    /// One step in place.
    pub fn step(&mut self) {
        let (n, c) = (self.n, self.cfl);
        let (p, u, v) = (&mut self.p, &self.u, &self.v);
        for i in 0..n {
            let im = (i + n - 1) % n;
            for j in 0..n {
                let jm = (j + n - 1) % n;
                let k = i * n + j;
                p[k] += c * (u[im * n + j] - u[k]) + c * (v[i * n + jm] - v[k]);
            }
        }
        let (p, u, v) = (&self.p, &mut self.u, &mut self.v);
        for i in 0..n {
            let ip = (i + 1) % n;
            for j in 0..n {
                let jp = (j + 1) % n;
                let k = i * n + j;
                u[k] += c * (p[k] - p[ip * n + j]);
                v[k] += c * (p[k] - p[i * n + jp]);
            }
        }
        self.steps += 1;
    }

    /// Grid L2 errors `sqrt(dx² Σ e²)` of (p, u, v), each at its own time and place.
    pub fn errors_l2(&self) -> (f64, f64, f64) {
        let (n, dx, l) = (self.n, self.dx, self.length);
        let tp = self.steps as f64 * self.dt;
        let tu = tp + 0.5 * self.dt;
        let (mut sp, mut su, mut sv) = (0.0, 0.0, 0.0);
        for i in 0..n {
            for j in 0..n {
                let (x, y) = (i as f64 * dx, j as f64 * dx);
                let k = i * n + j;
                let ep = self.p[k] - exact(x, y, tp, l).0;
                let eu = self.u[k] - exact(x + 0.5 * dx, y, tu, l).1;
                let ev = self.v[k] - exact(x, y + 0.5 * dx, tu, l).2;
                sp += ep * ep;
                su += eu * eu;
                sv += ev * ev;
            }
        }
        let a = dx * dx;
        ((sp * a).sqrt(), (su * a).sqrt(), (sv * a).sqrt())
    }
}

/// One grid of a 2-D convergence study.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Level2d {
    /// Cells per side.
    pub n: usize,
    /// Cell size.
    pub dx: f64,
    /// Time step.
    pub dt: f64,
    /// Steps.
    pub steps: u64,
    /// L2 error of p at T.
    pub error_l2_p: f64,
    /// L2 error of u at T + dt/2.
    pub error_l2_u: f64,
    /// L2 error of v at T + dt/2.
    pub error_l2_v: f64,
}

/// A 2-D convergence table with least-squares orders.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConvergenceTable2d {
    /// CFL number requested.
    pub cfl: f64,
    /// End time.
    pub t_end: f64,
    /// Initialisation of u and v.
    pub init: Init,
    /// Rows.
    pub levels: Vec<Level2d>,
    /// Fitted order of p.
    pub order_l2_p: Option<f64>,
    /// Fitted order of u.
    pub order_l2_u: Option<f64>,
    /// Fitted order of v.
    pub order_l2_v: Option<f64>,
}

/// Runs the 2-D scheme on each n × n grid of `[0, 1)²` up to `t_end` at CFL <= `cfl`.
///
/// # Errors
/// Empty `grids`; n < 2 or n > [`MAX_SIDE`]; cfl outside (0, 1/√2]; t_end
/// not finite or <= 0; a run beyond [`super::MAX_CELL_STEPS`]
/// ([`super::check_work`]), every grid checked before any is run.
pub fn convergence_2d(
    grids: &[usize],
    cfl: f64,
    t_end: f64,
    init: Init,
) -> Result<ConvergenceTable2d> {
    if grids.is_empty() {
        return Err(NumlabError::TooShort {
            name: "grids",
            len: 0,
            min: 1,
        });
    }
    check_cfl(
        cfl,
        CFL_LIMIT_2D,
        "must be finite, > 0 and <= 1/√2 (the 2-D CFL limit)",
    )?;
    check::positive("t_end", t_end)?;
    // Every grid checked before any runs, largest first (its limits bind).
    let mut sizes = grids.to_vec();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    for n in sizes {
        if n < 2 {
            return Err(NumlabError::invalid("n", n as f64, "must be >= 2 cells"));
        }
        if n > MAX_SIDE {
            return Err(too_large(n));
        }
        super::convergence::check_work(n, 2, 1.0, t_end, cfl)?;
    }
    let mut levels = Vec::new();
    for &n in grids {
        let dx = 1.0 / n as f64;
        let (steps, dt) = steps_to(t_end, cfl, dx);
        let mut s = Leapfrog2d::new(n, 1.0, dt, init)?;
        for _ in 0..steps {
            s.step();
        }
        let (ep, eu, ev) = s.errors_l2();
        levels.push(Level2d {
            n,
            dx,
            dt,
            steps,
            error_l2_p: ep,
            error_l2_u: eu,
            error_l2_v: ev,
        });
    }
    let dx: Vec<f64> = levels.iter().map(|l| l.dx).collect();
    let col = |f: fn(&Level2d) -> f64| levels.iter().map(f).collect::<Vec<f64>>();
    Ok(ConvergenceTable2d {
        cfl,
        t_end,
        init,
        order_l2_p: fitted_order(&dx, &col(|l| l.error_l2_p)),
        order_l2_u: fitted_order(&dx, &col(|l| l.error_l2_u)),
        order_l2_v: fitted_order(&dx, &col(|l| l.error_l2_v)),
        levels,
    })
}
