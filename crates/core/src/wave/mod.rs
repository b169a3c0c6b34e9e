//! Staggered leapfrog for the 1-D first-order wave system, its
//! initialisation, error norms and convergence studies (and the same scheme
//! in 2-D).
//!
//! # The system and its signs
//!
//! ```text
//! p_t + u_x = 0,    u_t + p_x = 0,    x in [0, L) periodic
//! u = f(x + t) + g(x - t),    p = -f(x + t) + g(x - t)
//! ```
//!
//! These are the signs of the questioner's step `p[1:] += c (u[:-1] - u[1:])`
//! (p_t = -u_x) and `u[:-1] += c (p[:-1] - p[1:])` (u_t = -p_x): f moves to
//! the left with p = -u, g to the right with p = u. The test problems
//! ([`Problem`]) are written as (f, g): the questioner's `standing` case is
//! f = -cos(2πs), g = 0 (p0 = cos 2πx, u0 = -cos 2πx), the `general` one the
//! answer's f = cos(2πs), g = 2 sin(6πs) (on `[0, L)`, s is scaled by 1/L).
//!
//! # Grid and staggering
//!
//! n cells, `dx = L/n`, periodic with no duplicated end point: p lives at
//! `x_j = j dx` and integer steps `t_k = k dt`; u lives at `x_j + dx/2` and
//! half steps `(k + ½) dt`. One step with `c = dt/dx` (see [`Leapfrog1d`]):
//!
//! ```text
//! p_j^{k+1}   = p_j^k       + c (u_{j-1}^{k+½} - u_j^{k+½})
//! u_j^{k+3/2} = u_j^{k+½}   + c (p_j^{k+1}     - p_{j+1}^{k+1})
//! ```
//!
//! in place, with no allocation per step. Errors are measured at each field's
//! own time and place: p against p(x_j, k dt), u against
//! u(x_j + dx/2, (k + ½) dt), in the grid L2 norm `sqrt(dx Σ e_j²)` and the
//! max norm ([`FieldErrors`]).
//!
//! # Starting u at (x + dx/2, dt/2)
//!
//! - [`Init::Exact`]: u(x_j + dx/2, dt/2) from the known solution.
//! - [`Init::Taylor`]: from the initial data only, `u(dt/2) = u0 - (dt/2) p0_x +
//!   (dt²/8) u0_xx + O(dt³)`, with the derivatives as centred differences on
//!   the grid (second order).
//! - [`Init::Naive`]: u(x_j + dx/2, 0) used as u at dt/2: the questioner's
//!   error in time (their code also put u at x_j instead of x_j + dx/2, which
//!   the port in [`mod@reference`] keeps). The start is then off by `(dt/2) u_t = -(dt/2) p_x`, an O(dt)
//!   perturbation `(0, δu)` that the (non-dissipative) scheme carries forever,
//!   split into a left- and a right-moving half:
//!   `δp(x, t) = (δu(x - t) - δu(x + t))/2`, `δu(x, t) = (δu(x - t) + δu(x + t))/2`.
//!   With 1-periodic data and 2T a whole number the halves meet again, so δp
//!   vanishes and δu does not. Measured on the general problem at CFL 0.3
//!   (least-squares L2 orders, asserted in the tests): T = 2 and the
//!   questioner's NX = 50..950, p 2.001 but u 1.415 (the pairwise order of u
//!   falls towards 1: 1.20 on 512 -> 1024 cells); T = 0.3 and 64..1024
//!   cells, p 1.141 and u 1.126. Exact and Taylor starts give 2.000 ± 0.002.
//!
//! # The end time and the CFL limit
//!
//! A convergence study hits the end time exactly: `K = ceil(T / (c dx))` steps
//! of `dt = T / K` ([`steps_to`]), so the CFL number used is `T/(K dx) <= c`.
//! The scheme is stable for `c <= 1`; `c > 1` is refused with an error naming
//! `cfl`. At `c = 1` it is exact on this system (each step moves f and g one
//! cell, which is what the exact solution does), which the tests check to
//! rounding over many steps. For `c < 1` the discrete energy
//! `E = dx Σ [p_j² + u_j² - c p_j (u_j - u_{j-1})]` ([`Leapfrog1d::energy`]) is
//! conserved to rounding and bounds both fields.
//!
//! # Observed order
//!
//! [`fitted_order`] is the least-squares slope of ln(error) against ln(dx)
//! over all grids; [`pairwise_orders`] the slopes between successive grids.
//! [`ConvergenceStudy`] runs a list of grids at fixed CFL and returns a
//! [`ConvergenceTable`] (`Display`, `serde::Serialize`).
//!
//! # Limits
//!
//! Checked for every grid of a study before any runs, each refused by name:
//! at most [`MAX_CELLS`] (2^24) cells a grid in 1-D and [`MAX_SIDE`] (4096)
//! a side in 2-D; at most [`MAX_CELL_STEPS`] (1e12) cell updates a grid
//! ([`check_work`], which names `cfl` when a usual CFL would fit, else
//! `t_end`, else the grid); with the error history at most [`MAX_HISTORY`]
//! (1e7) steps.
//!
//! # Speed
//!
//! [`Leapfrog1d::advance`] advances large grids in cache-sized tiles several
//! steps at a time (temporal blocking, on all cores) and gives the same bits
//! as [`Leapfrog1d::step`] repeated. [`Leapfrog1d::advance_recording`]
//! records the L2 errors after every step, evaluating the exact solution from
//! cos/sin tables of the grid (angle addition) instead of calling cos and sin
//! per cell and step.
//!
//! # References
//!
//! - The forum answer's initialisation (its Taylor expansion, eq. for
//!   u(0.5 dt, x)) and test problem, third post of the seed questions.
//! - Yee, K. (1966), "Numerical solution of initial boundary value problems
//!   involving Maxwell's equations in isotropic media", IEEE Trans. Antennas
//!   Propag. 14(3), 302-307: the staggered scheme and its CFL limit.

mod convergence;
mod kernel;
mod problems;
pub mod reference;
mod scheme;
mod two_d;

pub use convergence::{
    check_work, fitted_order, pairwise_orders, steps_to, ConvergenceStudy, ConvergenceTable, Level,
    MAX_CELL_STEPS, MAX_HISTORY,
};
pub use problems::{Init, Problem};
pub use scheme::{ErrorSample, FieldErrors, Grid1d, Leapfrog1d, MAX_CELLS};
pub use two_d::{
    convergence_2d, exact_2d, ConvergenceTable2d, Leapfrog2d, Level2d, CFL_LIMIT_2D, MAX_SIDE,
};
