//! The canonical benchmark workloads of `BENCHMARKS.md`, timed in-process.
//!
//! Inputs come from fixed seeds and are built outside the timed region; the
//! timed call is the public API a user calls (plans included, as the peers
//! build theirs inside the call). Every workload checks its accuracy against
//! the reference after timing; a workload counts only when it is accurate.

use numlab_core::signals;
use numlab_core::smoothing::{
    gaussian_flatten, nadaraya_watson, reference, Cutoff, EdgeMode, GaussianSmoother, Method,
};

use crate::timing::{self, Timing};
use crate::Result;

/// The seed of every workload's inputs.
pub const SEED: u64 = 20_240_601;

/// A workload's inputs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Inputs {
    /// Sample positions, when the workload has them.
    pub x: Option<Vec<f64>>,
    /// Values.
    pub y: Vec<f64>,
    /// Parameters, as the peer script reads them.
    pub params: serde_json::Value,
}

/// One benchmark workload.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// Name as in BENCHMARKS.md.
    pub name: &'static str,
    /// What it does.
    pub about: &'static str,
    /// Largest accepted error (see `error_kind`).
    pub tolerance: f64,
    /// How the error is measured.
    pub error_kind: &'static str,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Uniform { n: usize, sigma: f64 },
    Seed { n: usize },
    Irregular { n: usize, sigma: f64 },
}

/// Every workload, in BENCHMARKS.md order.
pub const WORKLOADS: &[Workload] = &[
    uniform("smooth-uniform-1e6-s10", 1_000_000, 10.0),
    uniform("smooth-uniform-1e6-s100", 1_000_000, 100.0),
    uniform("smooth-uniform-1e6-s1000", 1_000_000, 1000.0),
    uniform("smooth-uniform-1e7-s100", 10_000_000, 100.0),
    Workload {
        name: "smooth-seed-1e4",
        about:
            "the questioner's call, x = 0..n-1, n = 1e4, sigma 100, reach 0.001, phi 0, amplitude 1",
        tolerance: 1e-12,
        error_kind: "max abs diff to the questioner's version (ported)",
        kind: Kind::Seed { n: 10_000 },
    },
    irregular("smooth-irregular-1e5-s10", 100_000, 10.0),
    irregular("smooth-irregular-1e6-s10", 1_000_000, 10.0),
];

const fn uniform(name: &'static str, n: usize, sigma: f64) -> Workload {
    Workload {
        name,
        about: "gaussian_filter1d of seeded uniform(-4, 4) values, mode nearest, truncate 4",
        tolerance: 1e-10,
        error_kind: "max abs diff to the direct sum / max|y|",
        kind: Kind::Uniform { n, sigma },
    }
}

const fn irregular(name: &'static str, n: usize, sigma: f64) -> Workload {
    Workload {
        name,
        about: "Nadaraya-Watson on sorted seeded uniform x in [0, n), cut at 4 sigma",
        tolerance: 1e-10,
        error_kind: "max abs diff to the windowed direct sum (libm exp) / max|y|",
        kind: Kind::Irregular { n, sigma },
    }
}

/// Looks a workload up by name.
pub fn find(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// A measured workload.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measurement {
    /// Name.
    pub workload: String,
    /// Median (s).
    pub median_s: f64,
    /// Fastest (s).
    pub min_s: f64,
    /// Timed runs.
    pub runs: usize,
    /// The measured error (see `error_kind`).
    pub error: f64,
    /// The accepted error.
    pub tolerance: f64,
    /// error <= tolerance.
    pub accurate: bool,
}

impl Workload {
    /// The inputs, from [`SEED`].
    ///
    /// # Errors
    /// None in practice (the generators accept these ranges).
    pub fn inputs(&self) -> Result<Inputs> {
        Ok(match self.kind {
            Kind::Uniform { n, sigma } => Inputs {
                x: None,
                y: signals::uniform(n, -4.0, 4.0, SEED)?,
                params: serde_json::json!({"sigma": sigma, "truncate": 4.0, "mode": "nearest"}),
            },
            Kind::Seed { n } => Inputs {
                x: Some(signals::arange(n)),
                y: signals::uniform(n, -4.0, 4.0, SEED)?,
                params: serde_json::json!({"sigma": 100.0, "reach": 0.001, "phi": 0.0, "amplitude": 1.0}),
            },
            Kind::Irregular { n, sigma } => Inputs {
                x: Some(signals::sorted_uniform(n, 0.0, n as f64, SEED + 1)?),
                y: signals::uniform(n, -4.0, 4.0, SEED)?,
                params: serde_json::json!({"sigma": sigma, "truncate": 4.0}),
            },
        })
    }

    /// One run of numlab on the inputs.
    ///
    /// # Errors
    /// The algorithm's (none for the workloads' inputs).
    pub fn run(&self, inputs: &Inputs) -> Result<Vec<f64>> {
        let x = inputs.x.as_deref().unwrap_or(&[]);
        Ok(match self.kind {
            Kind::Uniform { sigma, .. } => GaussianSmoother::new(sigma)?
                .with_mode(EdgeMode::Nearest)
                .smooth_uniform(&inputs.y, 1.0)?,
            Kind::Seed { .. } => gaussian_flatten(x, &inputs.y, 0.001, 100.0, 0.0, 1.0)?,
            Kind::Irregular { sigma, .. } => {
                nadaraya_watson(x, &inputs.y, sigma, Cutoff::Truncate(4.0), false)?
            }
        })
    }

    /// The error of `output` against the reference.
    ///
    /// # Errors
    /// The reference's (none for the workloads' inputs).
    pub fn error(&self, inputs: &Inputs, output: &[f64]) -> Result<f64> {
        let ymax = inputs.y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let diff = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .map(|(u, v)| (u - v).abs())
                .fold(0.0, f64::max)
        };
        Ok(match self.kind {
            Kind::Uniform { sigma, .. } => {
                let exact = GaussianSmoother::new(sigma)?
                    .with_mode(EdgeMode::Nearest)
                    .with_method(Method::Direct)
                    .smooth_uniform(&inputs.y, 1.0)?;
                diff(output, &exact) / ymax
            }
            Kind::Seed { .. } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                diff(
                    output,
                    &reference::seed_vectorised(x, &inputs.y, 0.001, 100.0, 0.0, 1.0),
                )
            }
            Kind::Irregular { sigma, .. } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                diff(
                    output,
                    &reference::nadaraya_watson_windowed(x, &inputs.y, sigma, 4.0 * sigma),
                ) / ymax
            }
        })
    }

    /// Builds the inputs, times numlab (warm-up, then at least 5 runs and
    /// about `budget_s` seconds), and checks the accuracy.
    ///
    /// # Errors
    /// The algorithm's (none for the workloads' inputs).
    pub fn measure(&self, budget_s: f64) -> Result<Measurement> {
        let inputs = self.inputs()?;
        let mut failure = None;
        let t: Timing = timing::measure(
            || {
                if let Err(e) = self.run(&inputs) {
                    failure = Some(e);
                }
            },
            5,
            1000,
            budget_s,
        );
        if let Some(e) = failure {
            return Err(e);
        }
        let output = self.run(&inputs)?;
        let error = self.error(&inputs, &output)?;
        Ok(Measurement {
            workload: self.name.to_string(),
            median_s: t.median_s,
            min_s: t.min_s,
            runs: t.runs,
            error,
            tolerance: self.tolerance,
            accurate: error <= self.tolerance,
        })
    }
}
