//! The canonical benchmark workloads of `BENCHMARKS.md`, timed in-process.
//!
//! Inputs come from fixed seeds and are built outside the timed region; the
//! timed call is the public API a user calls (plans included, as the peers
//! build theirs inside the call). The FFT workloads (`rfft-*`,
//! `amplitude-spectrum-*`) are the exception: numlab-core caches FFT plans
//! per length, as NumPy's pocketfft does, so their plan is built by the
//! warm-up run, outside the timing, and the timed runs reuse it (the input
//! copy, output and scratch buffers are allocated and timed on every run).
//! Every workload checks its accuracy against the reference after timing; a
//! workload counts only when it is accurate.

use numlab_core::density;
use numlab_core::signals;
use numlab_core::smoothing::{
    gaussian_flatten, nadaraya_watson, reference, Cutoff, EdgeMode, GaussianSmoother, Method,
};
use numlab_core::spectrum::{self, Complex64};

use crate::timing::{self, Timing};
use crate::wave::bench_support as wave_bench;
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
    Rfft { n: usize },
    AmplitudeSpectrum { n: usize, dt: f64 },
    Leapfrog { n: usize, steps: u64, cfl: f64 },
    ConvergenceSweep,
    Xcorr { n: usize },
    HhPoisson,
    Cobahh,
    Density { n: usize, size: usize, sigma: f64 },
    Kde { n: usize, size: usize },
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
    rfft("rfft-2p20", 1 << 20),
    rfft("rfft-1e6", 1_000_000),
    Workload {
        name: "amplitude-spectrum-1e6",
        about: "amplitude_spectrum: one-sided amplitude (2|X_k|/n, DC and Nyquist |X_k|/n), phase and rfftfreq of 1e6 seeded uniform(-4, 4) values, dt = 1e-3 s (plan cached, built before the timing)",
        tolerance: 1e-12,
        error_kind: "max |A e^{iφ} - reference| over 12 bins × n/2 / ||y||₂ (reference: O(n) DFT sum per bin); frequencies exact",
        kind: Kind::AmplitudeSpectrum { n: 1_000_000, dt: 1e-3 },
    },
    Workload {
        name: "leapfrog-1e6x1000",
        about: "staggered leapfrog, 1e6 cells of [0, 1), 1000 steps, CFL 0.3, periodic, general problem (inputs: p then u)",
        tolerance: 0.0,
        error_kind: "max abs diff of p and u to the plain step-by-step loop (bit-identical expected)",
        kind: Kind::Leapfrog { n: 1_000_000, steps: 1000, cfl: 0.3 },
    },
    Workload {
        name: "convergence-sweep",
        about: "the questioner's sweep NX = 50..950, CFL 0.3, T = 2, their problem, exact start, L2 errors of p and u after every step",
        tolerance: 1e-9,
        error_kind: "max relative diff of the final recorded L2 errors to the direct evaluation (libm cos per point)",
        kind: Kind::ConvergenceSweep,
    },
    xcorr("xcorr-lag-1e5", 100_000),
    xcorr("xcorr-lag-1e6", 1_000_000),
    xcorr("xcorr-lag-1e7", 10_000_000),
    Workload {
        name: "hh-poisson-5000",
        about: "one HH neuron (the questioner's), I_app 3 uA/cm^2, 4000 excitatory + 1000 inhibitory Poisson inputs at 10 Hz, p 0.5, jumps +1/-4 mV, 300 ms, dt 0.01 ms, forward Euler, V, m, h, n recorded every step; pulses drawn per step from Binomial(N, rate dt p)",
        tolerance: 5.0,
        error_kind: "|transmitted excitatory pulses - 6000| / binomial sd (the drive's law), and the trace must be finite (else inf)",
        kind: Kind::HhPoisson,
    },
    Workload {
        name: "cobahh-4000",
        about: "Brian2's COBAHH: 4000 HH neurons, p 0.02, conductance synapses, exponential Euler, dt 0.1 ms, 1 s; network built (connectivity, start) and run inside the timing, on every core",
        tolerance: 1.0,
        error_kind: "|mean rate - Brian2's mean over 6 seeds| / max(10 % of it, 3 sd over seeds) (crates/core/tests/fixtures/cobahh_brian2.json)",
        kind: Kind::Cobahh,
    },
    Workload {
        name: "density-30k-256",
        about: "gaussian_density: 30,000 seeded uniform points on [0, 1]², view [0, 1]², 256x256 histogram (padded by the kernel radius) + Gaussian blur sigma 10 px, truncate 4 (x, y inputs)",
        tolerance: 1e-10,
        error_kind: "max abs diff to the direct convolution of the padded histogram (plain separable loops) / peak",
        kind: Kind::Density { n: 30_000, size: 256, sigma: 10.0 },
    },
    Workload {
        name: "density-1e6-1024",
        about: "gaussian_density: 1e6 seeded uniform points on [0, 1]², 1024x1024, sigma 10 px, truncate 4",
        tolerance: 1e-10,
        error_kind: "max abs diff to the direct convolution of the padded histogram (plain separable loops) / peak",
        kind: Kind::Density { n: 1_000_000, size: 1024, sigma: 10.0 },
    },
    Workload {
        name: "kde-30k-256",
        about: "kde_grid: Gaussian KDE of 30,000 seeded uniform points on [0, 1]², 256x256 cell centres of [0, 1]², Scott's factor on the full covariance, fast path",
        tolerance: 1e-6,
        error_kind: "max abs diff to the exact direct sum over every point at every cell / peak",
        kind: Kind::Kde { n: 30_000, size: 256 },
    },
];

/// Full cross-correlation of two seeded signals (x = a, y = b), then the lag
/// of its peak.
const fn xcorr(name: &'static str, n: usize) -> Workload {
    Workload {
        name,
        about: "xcorr::correlate(a, b, full) of two seeded signals of n samples (inputs: x = a, y = b = a delayed by n/10 samples plus noise), then the lag of its peak",
        tolerance: 1e-12,
        error_kind: "max |c - direct sum| over 13 lags / sqrt(Σa² Σb²); the peak's lag must be -n/10 (else the error is infinite)",
        kind: Kind::Xcorr { n },
    }
}

/// The configuration of `hh-poisson-5000`.
pub fn hh_poisson_config() -> numlab_core::neuron::Config {
    use numlab_core::neuron::{Config, Method, PoissonInput};
    Config {
        method: Method::Euler,
        dt: 0.01,
        duration: 300.0,
        current: 3.0,
        input: Some(PoissonInput {
            n_exc: 4000,
            n_inh: 1000,
            ..PoissonInput::default()
        }),
        seed: SEED,
        record: true,
        ..Config::default()
    }
}

/// Brian2's COBAHH mean rate over seeds: (mean, sd) in Hz, from the committed fixture.
pub fn brian2_cobahh_rate() -> (f64, f64) {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../../core/tests/fixtures/cobahh_brian2.json"))
            .unwrap_or_default();
    (
        v["mean_hz"].as_f64().unwrap_or(f64::NAN),
        v["sd_hz"].as_f64().unwrap_or(f64::NAN),
    )
}

/// The FFT workloads' plans are cached per length by numlab-core (as NumPy's
/// pocketfft caches its plans), so the warm-up run builds the plan and the
/// timed runs reuse it; input copy, output and scratch allocation are timed.
const fn rfft(name: &'static str, n: usize) -> Workload {
    Workload {
        name,
        about: "numlab_core::spectrum::rfft of seeded uniform(-4, 4) values (plan cached, built before the timing)",
        tolerance: 1e-12,
        error_kind: "max |X_k - reference| over 12 bins / ||y||₂ (reference: O(n) DFT sum per bin)",
        kind: Kind::Rfft { n },
    }
}

/// The bins spot-checked against the O(n) DFT sum: both ends and a spread.
fn check_bins(m: usize) -> Vec<usize> {
    let mut k: Vec<usize> = [
        0,
        1,
        2,
        3,
        m / 7,
        m / 5,
        m / 3,
        m / 2,
        2 * m / 3,
        m - 3,
        m - 2,
        m - 1,
    ]
    .into_iter()
    .filter(|&k| k < m)
    .collect();
    k.sort_unstable();
    k.dedup();
    k
}

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

/// The view [0, 1]² of the density workloads.
fn unit_view() -> Result<density::View> {
    Ok(density::View::new(0.0, 0.0, 1.0, 1.0)?)
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
            Kind::Rfft { n } => Inputs {
                x: None,
                y: signals::uniform(n, -4.0, 4.0, SEED)?,
                params: serde_json::json!({"n": n}),
            },
            Kind::AmplitudeSpectrum { n, dt } => Inputs {
                x: None,
                y: signals::uniform(n, -4.0, 4.0, SEED)?,
                params: serde_json::json!({"dt": dt}),
            },
            Kind::Leapfrog { n, steps, cfl } => Inputs {
                x: None,
                y: wave_bench::leapfrog_inputs(n, cfl)?,
                params: serde_json::json!({"n": n, "steps": steps, "cfl": cfl, "length": 1.0}),
            },
            Kind::Xcorr { n } => {
                let (a, b) = crate::xcorr::bench_support::inputs(n, SEED)?;
                Inputs {
                    x: Some(a),
                    y: b,
                    params: serde_json::json!({"n": n, "delay": n / 10, "mode": "full"}),
                }
            }
            Kind::ConvergenceSweep => Inputs {
                x: None,
                y: Vec::new(),
                params: serde_json::json!({"nx": crate::wave::their_grids(), "cfl": 0.3, "t_end": 2.0}),
            },
            Kind::HhPoisson => Inputs {
                x: None,
                y: Vec::new(),
                params: serde_json::json!({"n_exc": 4000, "n_inh": 1000, "rate_hz": 10.0, "p": 0.5,
                    "weight_mv": 1.0, "k_inh": 4.0, "current": 3.0, "duration_ms": 300.0, "dt_ms": 0.01}),
            },
            Kind::Cobahh => Inputs {
                x: None,
                y: Vec::new(),
                params: serde_json::json!({"duration_ms": 1000.0, "dt_ms": 0.1}),
            },
            Kind::Density { n, size, sigma } => Inputs {
                x: Some(signals::uniform(n, 0.0, 1.0, SEED)?),
                y: signals::uniform(n, 0.0, 1.0, SEED + 1)?,
                params: serde_json::json!({"view": [0.0, 0.0, 1.0, 1.0], "width": size, "height": size, "sigma": sigma, "truncate": 4.0}),
            },
            Kind::Kde { n, size } => Inputs {
                x: Some(signals::uniform(n, 0.0, 1.0, SEED)?),
                y: signals::uniform(n, 0.0, 1.0, SEED + 1)?,
                params: serde_json::json!({"view": [0.0, 0.0, 1.0, 1.0], "width": size, "height": size, "bandwidth": "scott"}),
            },
        })
    }

    /// One run of numlab on the inputs. The FFT workloads return their
    /// complex output as interleaved (re, im) pairs, and the amplitude
    /// spectrum as amplitude, then phase, then frequency; the timed run
    /// ([`measure`](Self::measure)) skips that flattening.
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
            Kind::Rfft { .. } => spectrum::rfft(&inputs.y)?
                .iter()
                .flat_map(|c| [c.re, c.im])
                .collect(),
            Kind::AmplitudeSpectrum { dt, .. } => {
                let s = spectrum::amplitude_spectrum(&inputs.y, dt)?;
                [s.amplitude, s.phase, s.frequency].concat()
            }
            Kind::Leapfrog { steps, cfl, .. } => {
                let s = wave_bench::leapfrog_run(&inputs.y, cfl, steps)?;
                [s.p(), s.u()].concat()
            }
            Kind::ConvergenceSweep => wave_bench::sweep_run(&crate::wave::their_grids(), 0.3, 2.0)?,
            Kind::Xcorr { .. } => {
                let (c, lag) = crate::xcorr::bench_support::run(x, &inputs.y)?;
                let mut out = c;
                out.push(lag as f64);
                out
            }
            Kind::HhPoisson => {
                let r = numlab_core::neuron::simulate(&hh_poisson_config())?;
                let mut v = r.v;
                v.push(r.pulses_exc as f64);
                v
            }
            Kind::Cobahh => {
                let net = numlab_core::neuron::Network::new(
                    numlab_core::neuron::NetworkConfig::default(),
                )?;
                vec![net.run()?.mean_rate_hz()]
            }
            Kind::Density { size, sigma, .. } => {
                density::gaussian_density(x, &inputs.y, unit_view()?, size, size, sigma, 4.0)?
                    .grid
                    .into_vec()
            }
            Kind::Kde { size, .. } => density::kde_grid(
                x,
                &inputs.y,
                unit_view()?,
                size,
                size,
                density::Bandwidth::Scott,
                density::KdeMethod::Fast,
            )?
            .grid
            .into_vec(),
        })
    }

    /// The call that is timed: [`run`](Self::run) without reshaping outputs.
    fn timed_run(&self, inputs: &Inputs) -> Result<()> {
        match self.kind {
            Kind::Rfft { .. } => {
                std::hint::black_box(spectrum::rfft(&inputs.y)?);
            }
            Kind::AmplitudeSpectrum { dt, .. } => {
                std::hint::black_box(spectrum::amplitude_spectrum(&inputs.y, dt)?);
            }
            Kind::Leapfrog { steps, cfl, .. } => {
                std::hint::black_box(wave_bench::leapfrog_run(&inputs.y, cfl, steps)?);
            }
            Kind::Xcorr { .. } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                std::hint::black_box(crate::xcorr::bench_support::run(x, &inputs.y)?);
            }
            _ => {
                std::hint::black_box(self.run(inputs)?);
            }
        }
        Ok(())
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
            Kind::Rfft { .. } => {
                let y = &inputs.y;
                let norm = y.iter().map(|v| v * v).sum::<f64>().sqrt();
                let m = y.len() / 2 + 1;
                if output.len() != 2 * m {
                    return Ok(f64::INFINITY);
                }
                check_bins(m)
                    .into_iter()
                    .map(|k| {
                        let got = Complex64::new(output[2 * k], output[2 * k + 1]);
                        (got - spectrum::reference::dft_bin(y, k)).norm()
                    })
                    .fold(0.0, f64::max)
                    / norm
            }
            Kind::Leapfrog { steps, cfl, .. } => {
                wave_bench::leapfrog_error(&inputs.y, cfl, steps, output)
            }
            Kind::ConvergenceSweep => {
                wave_bench::sweep_error(&crate::wave::their_grids(), 0.3, 2.0, output)?
            }
            Kind::Xcorr { n } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                crate::xcorr::bench_support::error(x, &inputs.y, output, -((n / 10) as i64))
            }
            Kind::HhPoisson => {
                // Output: V at every step, then the excitatory pulse count.
                let Some((&pulses, v)) = output.split_last() else {
                    return Ok(f64::INFINITY);
                };
                if v.len() != 30_001 || v.iter().any(|x| !x.is_finite()) {
                    return Ok(f64::INFINITY);
                }
                let q = 10.0 * 0.01 / 1000.0 * 0.5;
                let mean = 4000.0 * 30_000.0 * q;
                (pulses - mean).abs() / (mean * (1.0 - q)).sqrt()
            }
            Kind::Cobahh => {
                let (mean, sd) = brian2_cobahh_rate();
                match output.first() {
                    Some(r) => (r - mean).abs() / (0.1 * mean).max(3.0 * sd),
                    None => f64::INFINITY,
                }
            }
            Kind::Density { size, sigma, .. } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                let r = (4.0 * sigma + 0.5) as usize;
                let padded = density::View::new(
                    -(r as f64) / size as f64,
                    -(r as f64) / size as f64,
                    1.0 + r as f64 / size as f64,
                    1.0 + r as f64 / size as f64,
                )?;
                let (wp, hp) = (size + 2 * r, size + 2 * r);
                let counts = density::histogram2d(x, &inputs.y, padded, wp, hp)?
                    .grid
                    .into_vec();
                let kernel = numlab_core::smoothing::Kernel::symmetric(sigma, r)?;
                let want =
                    density::reference::blur_separable_direct(&counts, wp, hp, &kernel.weights);
                let peak = want.iter().cloned().fold(0.0, f64::max);
                if output.len() != want.len() {
                    return Ok(f64::INFINITY);
                }
                diff(output, &want) / peak
            }
            Kind::Kde { size, .. } => {
                let x = inputs.x.as_deref().unwrap_or(&[]);
                let want = density::Kde::new(x, &inputs.y, density::Bandwidth::Scott)?
                    .grid(unit_view()?, size, size, density::KdeMethod::Exact)?
                    .into_vec();
                let peak = want.iter().cloned().fold(0.0, f64::max);
                if output.len() != want.len() {
                    return Ok(f64::INFINITY);
                }
                diff(output, &want) / peak
            }
            Kind::AmplitudeSpectrum { dt, .. } => {
                let y = &inputs.y;
                let n = y.len();
                let norm = y.iter().map(|v| v * v).sum::<f64>().sqrt();
                let m = n / 2 + 1;
                if output.len() != 3 * m {
                    return Ok(f64::INFINITY);
                }
                let (amp, rest) = output.split_at(m);
                let (phase, freq) = rest.split_at(m);
                if freq != spectrum::rfftfreq(n, dt)?.as_slice() {
                    return Ok(f64::INFINITY);
                }
                check_bins(m)
                    .into_iter()
                    .map(|k| {
                        let x = spectrum::reference::dft_bin(y, k);
                        let single = k == 0 || 2 * k == n;
                        let a = if single { 1.0 } else { 2.0 } / n as f64;
                        let got = Complex64::from_polar(amp[k], phase[k]);
                        (got - x * a).norm() * (n as f64 / 2.0)
                    })
                    .fold(0.0, f64::max)
                    / norm
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
                if let Err(e) = self.timed_run(&inputs) {
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
