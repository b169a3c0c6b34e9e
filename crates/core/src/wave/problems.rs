//! Test problems with known solutions, the initialisations of u, and the
//! exact solution sampled on the staggered grid.

use std::f64::consts::PI;

use crate::error::{NumlabError, Result};

/// A test problem of the system `p_t + u_x = 0, u_t + p_x = 0` on `[0, L)`,
/// periodic. Every solution is `u = f(x + t) + g(x - t)`,
/// `p = -f(x + t) + g(x - t)`, with f and g L-periodic; a problem is the pair
/// (f, g), written with `s` in the units of x:
///
/// | problem | f(s) | g(s) | p(x, 0) | u(x, 0) |
/// |---|---|---|---|---|
/// | `Standing` | -cos(2πs/L) | 0 | cos(2πx/L) | -cos(2πx/L) |
/// | `General` | cos(2πs/L) | 2 sin(6πs/L) | -cos(2πx/L) + 2 sin(6πx/L) | cos(2πx/L) + 2 sin(6πx/L) |
///
/// `Standing` is the questioner's case (their name; it is a single wave
/// travelling to the left, p = cos(2π(x + t)), u = -p). `General` is the
/// answer's suggestion, with waves in both directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Problem {
    /// The questioner's p0 = cos(2πx), u0 = -cos(2πx) (one left-moving wave).
    Standing,
    /// f = cos(2πs), g = 2 sin(6πs): waves in both directions.
    #[default]
    General,
}

/// One Fourier term `a cos(2πms/L) + b sin(2πms/L)` of f or g.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mode {
    pub m: u32,
    pub a: f64,
    pub b: f64,
}

impl Problem {
    /// Both problems.
    pub const ALL: [Problem; 2] = [Problem::Standing, Problem::General];

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Problem::Standing => "standing",
            Problem::General => "general",
        }
    }

    /// The Fourier terms of f and of g.
    pub(crate) fn modes(self) -> (&'static [Mode], &'static [Mode]) {
        const STANDING_F: [Mode; 1] = [Mode {
            m: 1,
            a: -1.0,
            b: 0.0,
        }];
        const GENERAL_F: [Mode; 1] = [Mode {
            m: 1,
            a: 1.0,
            b: 0.0,
        }];
        const GENERAL_G: [Mode; 1] = [Mode {
            m: 3,
            a: 0.0,
            b: 2.0,
        }];
        match self {
            Problem::Standing => (&STANDING_F, &[]),
            Problem::General => (&GENERAL_F, &GENERAL_G),
        }
    }

    fn eval(modes: &[Mode], s: f64, length: f64) -> f64 {
        modes
            .iter()
            .map(|md| {
                let k = 2.0 * PI * f64::from(md.m) / length;
                md.a * (k * s).cos() + md.b * (k * s).sin()
            })
            .sum()
    }

    /// f(s) on a domain of length `length`.
    pub fn f(self, s: f64, length: f64) -> f64 {
        Self::eval(self.modes().0, s, length)
    }

    /// g(s) on a domain of length `length`.
    pub fn g(self, s: f64, length: f64) -> f64 {
        Self::eval(self.modes().1, s, length)
    }

    /// The exact p(x, t) = -f(x + t) + g(x - t).
    pub fn p(self, x: f64, t: f64, length: f64) -> f64 {
        -self.f(x + t, length) + self.g(x - t, length)
    }

    /// The exact u(x, t) = f(x + t) + g(x - t).
    pub fn u(self, x: f64, t: f64, length: f64) -> f64 {
        self.f(x + t, length) + self.g(x - t, length)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Problem {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        Problem::ALL
            .into_iter()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| NumlabError::UnknownName {
                name: "problem",
                value: s.to_string(),
                expected: "standing, general",
            })
    }
}

/// How u is set at (x + dx/2, dt/2) before the first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Init {
    /// The exact solution u(x_j + dx/2, dt/2).
    Exact,
    /// Taylor step from the initial data only (second order):
    /// `u0(x_{j+½}) - (c/2)(p0(x_{j+1}) - p0(x_j)) + (c²/8)(u0(x_{j+3/2}) - 2u0(x_{j+½}) + u0(x_{j-½}))`.
    #[default]
    Taylor,
    /// u(x_j + dx/2, 0) used as u at dt/2, the questioner's start (first order
    /// in time: the O(dt) mismatch travels with the solution forever).
    Naive,
}

impl Init {
    /// The three initialisations.
    pub const ALL: [Init; 3] = [Init::Exact, Init::Taylor, Init::Naive];

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Init::Exact => "exact",
            Init::Taylor => "taylor",
            Init::Naive => "naive",
        }
    }
}

impl std::fmt::Display for Init {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Init {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        Init::ALL
            .into_iter()
            .find(|m| m.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| NumlabError::UnknownName {
                name: "init",
                value: s.to_string(),
                expected: "exact, taylor, naive",
            })
    }
}

/// The exact solution of a problem sampled on the p points `x_j = j dx` and
/// the u points `x_j + dx/2` of an n-cell grid, at any time, from tables of
/// cos and sin of the grid points: `cos(k(x + t)) = cos kx cos kt - sin kx sin kt`
/// turns each evaluation into two multiply-adds per Fourier term and cell.
/// Agrees with [`Problem::p`] / [`Problem::u`] to ~1e-15.
/// (m, cos at p points, sin at p points, cos at u points, sin at u points).
type Term = (u32, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

#[derive(Debug, Clone)]
pub(crate) struct ExactTables {
    /// Per distinct wavenumber m: (m, cos table at p points, sin at p points, cos at u points, sin at u points).
    terms: Vec<Term>,
    f: &'static [Mode],
    g: &'static [Mode],
    length: f64,
}

impl ExactTables {
    pub(crate) fn new(problem: Problem, n: usize, length: f64) -> Self {
        let (f, g) = problem.modes();
        let mut ms: Vec<u32> = f.iter().chain(g).map(|md| md.m).collect();
        ms.sort_unstable();
        ms.dedup();
        let terms = ms
            .into_iter()
            .map(|m| {
                // Angles from integer positions, so the tables are exact to
                // rounding whatever n: 2π m j / n and 2π m (j + ½) / n.
                let angle = |twice_j: usize| {
                    let r = (u64::from(m) * twice_j as u64) % (2 * n as u64);
                    PI * r as f64 / n as f64
                };
                let cp: Vec<f64> = (0..n).map(|j| angle(2 * j).cos()).collect();
                let sp: Vec<f64> = (0..n).map(|j| angle(2 * j).sin()).collect();
                let cu: Vec<f64> = (0..n).map(|j| angle(2 * j + 1).cos()).collect();
                let su: Vec<f64> = (0..n).map(|j| angle(2 * j + 1).sin()).collect();
                (m, cp, sp, cu, su)
            })
            .collect();
        ExactTables {
            terms,
            f,
            g,
            length,
        }
    }

    /// Coefficients (alpha_m, beta_m) per table term so that the field equals
    /// `Σ alpha_m cos(k_m x) + beta_m sin(k_m x)` at time t;
    /// `sign_f` = -1 for p, +1 for u.
    pub(crate) fn coefficients(&self, t: f64, sign_f: f64, out: &mut Vec<(f64, f64)>) {
        out.clear();
        for (m, ..) in &self.terms {
            let k = 2.0 * PI * f64::from(*m) / self.length;
            let (s, c) = (k * t).sin_cos();
            let mut alpha = 0.0;
            let mut beta = 0.0;
            // a cos(k(x + τ)) + b sin(k(x + τ)) = (a cos kτ + b sin kτ) cos kx + (b cos kτ - a sin kτ) sin kx
            for md in self.f.iter().filter(|md| md.m == *m) {
                alpha += sign_f * (md.a * c + md.b * s);
                beta += sign_f * (md.b * c - md.a * s);
            }
            // g(x - t): τ = -t.
            for md in self.g.iter().filter(|md| md.m == *m) {
                alpha += md.a * c - md.b * s;
                beta += md.b * c + md.a * s;
            }
            out.push((alpha, beta));
        }
    }

    /// (cos, sin) tables of term `i` at the p points (`u_points` false) or the u points.
    pub(crate) fn table(&self, i: usize, u_points: bool) -> (&[f64], &[f64]) {
        let t = &self.terms[i];
        if u_points {
            (&t.3, &t.4)
        } else {
            (&t.1, &t.2)
        }
    }
}
