//! Hodgkin-Huxley neurons driven by Poisson spike trains, from one neuron to
//! a network.
//!
//! - [`model`]: the HH membrane with the questioner's parameters (units: mV,
//!   ms, uF/cm^2, mS/cm^2, uA/cm^2), rate functions with their removable
//!   singularities evaluated as limits, the resting state.
//! - [`single`]: one neuron, integrated by forward Euler (the questioner's),
//!   exponential Euler (Rush-Larsen) or RK4, driven by a current and Poisson
//!   pulses; spikes as interpolated upward threshold crossings; blow-up
//!   detected and reported on dt.
//! - [`poisson`]: the drive made cheap: the transmitted pulses of N sources in
//!   one step are Binomial(N, rate·dt·p) exactly, one draw per step whatever
//!   N; per-source trains (geometric gaps) for rasters.
//! - [`spikes`]: threshold crossings, rates and interval statistics.
//! - [`network`]: Brian2's COBAHH benchmark (4000 HH neurons, conductance
//!   synapses, exponential Euler), parallel and reproducible from a seed.
//! - [`mod@reference`]: the questioner's per-step scan of every spike, ported.
//!
//! ```
//! use numlab_core::neuron::{simulate, Config, Method};
//! // 100 ms at 10 uA/cm^2, no synaptic input, RK4.
//! let cfg = Config { current: 10.0, input: None, duration: 100.0, method: Method::Rk4, ..Config::default() };
//! let run = simulate(&cfg)?;
//! assert!(run.spikes_ms.len() >= 5);
//! # Ok::<(), numlab_core::NumlabError>(())
//! ```
//!
//! ## Which integrator
//! Forward Euler needs dt <= about 0.05 ms on these parameters and is first
//! order; exponential Euler is first order too but stays stable at steps
//! several times larger (what Brian2 and NEURON-style codes use); RK4 is
//! fourth order and the choice for accurate spike times at dt = 0.01-0.05 ms.
//!
//! ## Limits
//! Checked before a run starts, each refused by name with
//! [`NumlabError::AboveLimit`](crate::NumlabError::AboveLimit):
//! at most [`MAX_SOURCES`] (1e7) sources of a kind, one pulse of at most
//! [`MAX_PULSE_MV`] (1000 mV; the inhibitory one is `k_inh` times the
//! weight), a [`Binomial`] table of at most [`MAX_BINOMIAL_TABLE`] entries,
//! [`single::MAX_STEPS`] (5e9) steps, [`single::MAX_RECORDED_STEPS`] (4e6)
//! recorded steps, [`MAX_TRAIN_SPIKES`] spikes in per-source trains; for a
//! network [`MAX_NEURONS`] neurons, [`MAX_SYNAPSES`] synapses,
//! [`MAX_NEURON_STEPS`] (1e11) neuron updates and [`MAX_RECORDED_SPIKES`]
//! (2e7) recorded spikes (unrecorded spikes are only counted). A run that
//! leaves the model's range (|V| > 1000 mV) names its cause: the input, a
//! current outside [`safe_currents`] ([-283.7, 316.3] uA/cm^2 for the default
//! membrane, where V provably stays in range), or else dt.
//!
//! ## References
//! Hodgkin & Huxley (1952), J. Physiol. 117, 500-544 (eqs. 26 and Table 3,
//! here shifted to a -65 mV rest). Brette et al. (2007), J. Comput. Neurosci.
//! 23, 349-398, benchmark 3 (COBAHH). Rush & Larsen (1978), IEEE Trans.
//! Biomed. Eng. 25, 389-392.

pub mod model;
pub mod network;
pub mod poisson;
pub mod reference;
pub mod single;
pub mod spikes;

pub use model::{x_over_one_minus_exp, Currents, HhParams, Rates, State};
pub use network::{
    CobaParams, Network, NetworkConfig, NetworkRun, MAX_NEURONS, MAX_NEURON_STEPS,
    MAX_RECORDED_SPIKES, MAX_SYNAPSES,
};
pub use poisson::{
    counts_per_step, source_trains, Binomial, PoissonInput, SourceSpike, MAX_BINOMIAL_TABLE,
    MAX_PULSE_MV, MAX_SOURCES, MAX_TRAIN_SPIKES,
};
pub use single::{safe_currents, simulate, simulate_with_progress, step, Config, Method, Run};
pub use spikes::{upward_crossings, SpikeStats};

use crate::error::{check, Result};

/// Firing rate (Hz) against a constant current, no synaptic input: for each
/// current (uA/cm^2) a run of `duration` ms from rest at zero current, and
/// the rate of the spikes in the second half of the run, (k - 1) / (t_k - t_1)
/// over its k spikes (0 with fewer than 2: an onset spike or two that die
/// out count as no repetitive firing).
///
/// # Errors
/// Any current not finite; those of [`simulate`].
pub fn fi_curve(currents: &[f64], duration: f64, dt: f64, method: Method) -> Result<Vec<f64>> {
    check::all_finite("currents", currents)?;
    check::positive("duration", duration)?;
    currents
        .iter()
        .map(|&i| {
            let run = simulate(&Config {
                current: i,
                input: None,
                duration,
                dt,
                method,
                record: false,
                ..Config::default()
            })?;
            let half = run.steps as f64 * dt / 2.0;
            let late: Vec<f64> = run
                .spikes_ms
                .iter()
                .copied()
                .filter(|&t| t >= half)
                .collect();
            Ok(match (late.first(), late.last()) {
                (Some(a), Some(b)) if late.len() >= 2 && b > a => {
                    (late.len() - 1) as f64 / ((b - a) / 1000.0)
                }
                _ => 0.0,
            })
        })
        .collect()
}

/// The repetitive-firing threshold (uA/cm^2): the smallest current in
/// [lo, hi] whose [`fi_curve`] rate is above zero, by bisection to `tol`.
///
/// # Errors
/// lo >= hi, tol <= 0, no firing at hi or firing at lo; those of [`simulate`].
pub fn rheobase(lo: f64, hi: f64, tol: f64, duration: f64, dt: f64, method: Method) -> Result<f64> {
    check::finite("lo", lo)?;
    check::finite("hi", hi)?;
    check::positive("tol", tol)?;
    let fires = |i: f64| -> Result<bool> { Ok(fi_curve(&[i], duration, dt, method)?[0] > 0.0) };
    if lo >= hi || fires(lo)? || !fires(hi)? {
        return Err(crate::NumlabError::invalid(
            "hi",
            hi,
            "must bracket the threshold: no repetitive firing at lo, firing at hi, lo < hi",
        ));
    }
    let (mut a, mut b) = (lo, hi);
    while b - a > tol {
        let mid = 0.5 * (a + b);
        if fires(mid)? {
            b = mid;
        } else {
            a = mid;
        }
    }
    Ok(b)
}

/// Errors of V at `t_end` (ms) for each step in `dts` (ms), one method, from
/// rest at zero current with `current` (uA/cm^2) applied and no input,
/// against RK4 at dt = 1e-4 ms (whose own error there is below 1e-12 mV on
/// smooth stretches). Each dt must divide `t_end` to 1e-9.
///
/// # Errors
/// A dt that does not divide t_end; those of [`simulate`].
pub fn step_errors(method: Method, current: f64, t_end: f64, dts: &[f64]) -> Result<Vec<f64>> {
    let end_v = |m: Method, dt: f64| -> Result<f64> {
        let k = t_end / dt;
        if (k - k.round()).abs() > 1e-9 * k.max(1.0) {
            return Err(crate::NumlabError::invalid("dt", dt, "must divide t_end"));
        }
        let run = simulate(&Config {
            method: m,
            dt,
            duration: t_end,
            current,
            input: None,
            record: true,
            ..Config::default()
        })?;
        Ok(*run.v.last().unwrap_or(&f64::NAN))
    };
    let exact = end_v(Method::Rk4, 1e-4)?;
    dts.iter()
        .map(|&dt| Ok((end_v(method, dt)? - exact).abs()))
        .collect()
}

/// The least-squares slope of log(error) against log(dt): the observed order.
pub fn fitted_order(dts: &[f64], errors: &[f64]) -> f64 {
    let pts: Vec<(f64, f64)> = dts
        .iter()
        .zip(errors)
        .filter(|(d, e)| **d > 0.0 && **e > 0.0)
        .map(|(d, e)| (d.ln(), e.ln()))
        .collect();
    let n = pts.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    sxy / sxx
}
