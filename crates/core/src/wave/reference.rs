//! Naive, obviously correct versions, public so tests, benchmarks and the
//! study can use them.
//!
//! - [`questioner_step`] and [`questioner_run`]: a faithful port of the
//!   questioner's NumPy code: the grid `linspace(0, L, NX)` with the end
//!   point duplicated (so dx = L/(NX-1) and only NX-1 cells are distinct),
//!   the slicing step with `p[0] = p[-1]`, `u[-1] = u[0]` for periodicity,
//!   u started from u(x, 0) at the p points, and the errors appended after
//!   each step against the exact solution at the loop's `time` (the time
//!   *before* the step). It is the baseline the study times and explains, not
//!   code to use.
//! - [`step_loop`] and [`advance_loop`]: the periodic step of
//!   [`Leapfrog1d`](super::Leapfrog1d) as one plain loop per field with
//!   modular indices; every fast path must give the same bits.

use super::problems::Problem;

/// The questioner's `leapfrog_step`, slice for slice:
/// `p[1:] += c (u[:-1] - u[1:]); p[0] = p[-1]; u[:-1] += c (p[:-1] - p[1:]); u[-1] = u[0]`.
pub fn questioner_step(p: &mut [f64], u: &mut [f64], cfl: f64) {
    let n = p.len().min(u.len());
    if n < 2 {
        return;
    }
    // NumPy evaluates the right-hand side into a temporary first.
    let du: Vec<f64> = (0..n - 1).map(|j| cfl * (u[j] - u[j + 1])).collect();
    for (pj, d) in p[1..n].iter_mut().zip(&du) {
        *pj += d;
    }
    p[0] = p[n - 1];
    let dp: Vec<f64> = (0..n - 1).map(|j| cfl * (p[j] - p[j + 1])).collect();
    for (uj, d) in u[..n - 1].iter_mut().zip(&dp) {
        *uj += d;
    }
    u[n - 1] = u[0];
}

/// One run of the questioner's loop for one `NX`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionerRun {
    /// Their NX (points of `linspace(0, L, NX)`, end point included).
    pub nx: usize,
    /// Their dx = L/(NX-1).
    pub dx: f64,
    /// dt = CFL dx.
    pub dt: f64,
    /// `len(arange(0, T, dt))` steps.
    pub steps: usize,
    /// The loop's `time` values (the time before each step).
    pub times: Vec<f64>,
    /// Their `errorsp`: sqrt(dx) ||p - p_exact(x, time)||₂ after each step.
    pub errors_p: Vec<f64>,
    /// Their `errorsu`, the same for u against u_exact(x, time).
    pub errors_u: Vec<f64>,
    /// p at the end.
    pub p: Vec<f64>,
    /// u at the end.
    pub u: Vec<f64>,
}

/// The questioner's loop for one NX on `[0, length]`, their initial data from
/// `problem` (theirs is [`Problem::Standing`]). `nx >= 2` and finite positive
/// `cfl`, `t_end`, `length` are the caller's to ensure (this is a port, not
/// an API); other values give empty or meaningless output, never a panic.
pub fn questioner_run(
    nx: usize,
    cfl: f64,
    t_end: f64,
    length: f64,
    problem: Problem,
) -> QuestionerRun {
    let nx = nx.max(2);
    // np.linspace(0, L, NX): i * step, last point set to L.
    let step = length / (nx - 1) as f64;
    let mut x: Vec<f64> = (0..nx).map(|i| i as f64 * step).collect();
    x[nx - 1] = length;
    let dx = x[1] - x[0];
    let dt = cfl * dx;
    // np.arange(0, T, dt): ceil(T/dt) values i*dt.
    let count = (t_end / dt).ceil();
    let count = if count.is_finite() && count > 0.0 {
        count as usize
    } else {
        0
    };
    let times: Vec<f64> = (0..count).map(|i| i as f64 * dt).collect();
    let mut p: Vec<f64> = x.iter().map(|&x| problem.p(x, 0.0, length)).collect();
    let mut u: Vec<f64> = x.iter().map(|&x| problem.u(x, 0.0, length)).collect();
    let mut errors_p = Vec::with_capacity(count);
    let mut errors_u = Vec::with_capacity(count);
    for &time in &times {
        questioner_step(&mut p, &mut u, cfl);
        let ep: f64 = p
            .iter()
            .zip(&x)
            .map(|(v, &x)| (v - problem.p(x, time, length)).powi(2))
            .sum();
        let eu: f64 = u
            .iter()
            .zip(&x)
            .map(|(v, &x)| (v - problem.u(x, time, length)).powi(2))
            .sum();
        errors_p.push(ep.sqrt() * dx.sqrt());
        errors_u.push(eu.sqrt() * dx.sqrt());
    }
    QuestionerRun {
        nx,
        dx,
        dt,
        steps: count,
        times,
        errors_p,
        errors_u,
        p,
        u,
    }
}

/// One periodic step of the corrected scheme, one plain loop per field with
/// modular indices: `p_j += c (u_{j-1} - u_j)` for all j, then
/// `u_j += c (p_j - p_{j+1})` with the new p, each update one fused
/// multiply-add (`c.mul_add(a - b, x)`) as in the fast paths.
pub fn step_loop(p: &mut [f64], u: &mut [f64], cfl: f64) {
    let n = p.len().min(u.len());
    if n == 0 {
        return;
    }
    let old_last = u[n - 1];
    for j in (0..n).rev() {
        let um = if j == 0 { old_last } else { u[j - 1] };
        p[j] = cfl.mul_add(um - u[j], p[j]);
    }
    for j in 0..n {
        let pp = p[(j + 1) % n];
        u[j] = cfl.mul_add(p[j] - pp, u[j]);
    }
}

/// `steps` calls of [`step_loop`].
pub fn advance_loop(p: &mut [f64], u: &mut [f64], cfl: f64, steps: u64) {
    for _ in 0..steps {
        step_loop(p, u, cfl);
    }
}
