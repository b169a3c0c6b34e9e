//! Study 05: a Hodgkin-Huxley neuron driven by Poisson spike trains, from one
//! neuron to a network.
//!
//! A user drives one HH neuron with delta pulses from 100 Poisson sources
//! (80 excitatory, 20 inhibitory, each spike transmitted with probability p)
//! and the run crawls as the inputs grow toward 5,000: every step scans the
//! whole list of input spikes. The pulses that arrive in one step from N
//! independent sources are Binomial(N, rate·dt·p) in number, exactly, so one
//! draw per step replaces the scan and the cost no longer grows with N. The
//! study shows the questioner's figure (V; I_Na, I_K, I_L; m, h, n) with an
//! input raster, the same with 5,000 inputs, the f-I curve with the
//! repetitive-firing threshold, the output rate against the number of inputs,
//! the integrators' orders, and Brian2's 4000-neuron COBAHH network run faster
//! than real time.

use numlab_core::neuron::{
    fi_curve, fitted_order, reference, rheobase, simulate, step_errors, Config, HhParams, Method,
    Network, NetworkConfig, NetworkRun, PoissonInput, Run,
};
use numlab_plot::{Chart, Figure, LegendPosition, ReferenceSlope, Scale, Series};

use crate::display::Table;
use crate::timing::{self, human};
use crate::{NamedFigure, Result, StudyOutput};

/// The seed of the study's inputs.
pub const SEED: u64 = 5;

/// Every `k`-th sample (plots of 30,001-sample traces stay light).
fn every(v: &[f64], k: usize) -> Vec<f64> {
    v.iter().step_by(k).copied().collect()
}

/// The questioner's scenario with `n_exc` + `n_inh` inputs: I_app 3 uA/cm^2,
/// 10 Hz, p 0.5, pulses +1 mV / -4 mV, 300 ms at dt 0.01 ms, forward Euler,
/// traces recorded and per-source trains kept for the raster.
pub fn their_config(n_exc: u64, n_inh: u64) -> Config {
    Config {
        input: Some(PoissonInput {
            n_exc,
            n_inh,
            ..PoissonInput::default()
        }),
        seed: SEED,
        raster: true,
        ..Config::default()
    }
}

/// Runs [`their_config`].
///
/// # Errors
/// None in practice.
pub fn their_run(n_exc: u64, n_inh: u64) -> Result<Run> {
    Ok(simulate(&their_config(n_exc, n_inh))?)
}

/// The questioner's three panels (V; I_Na, I_K, I_L; m, h, n) and an input
/// raster (every `raster_every`-th source, transmitted spikes blue,
/// failed ones orange).
pub fn their_figure(run: &Run, n_exc: u64, n_inh: u64, raster_every: u32) -> Figure {
    let k = 5;
    let t = every(&run.t(), k);
    let [ina, ik, il] = run.currents(&HhParams::default());
    let v = Chart::new(format!(
        "Hodgkin-Huxley neuron, I_app = 3 uA/cm², {} + {} Poisson inputs at 10 Hz, p = 0.5: {} spikes",
        n_exc,
        n_inh,
        run.spikes_ms.len()
    ))
    .with_labels("t (ms)", "V (mV)")
    .with_series(Series::line("", &t, &every(&run.v, k)).with_color(6));
    let cur = Chart::new("Ionic currents")
        .with_labels("t (ms)", "current (uA/cm²)")
        .with_legend(LegendPosition::UpperRight)
        .with_series(Series::line("I_Na", &t, &every(&ina, k)).with_color(4))
        .with_series(Series::line("I_K", &t, &every(&ik, k)).with_color(3))
        .with_series(Series::line("I_L", &t, &every(&il, k)).with_color(6));
    let gates = Chart::new("Gating variables")
        .with_labels("t (ms)", "gating value")
        .with_y_range(0.0, 1.0)
        .with_legend(LegendPosition::UpperRight)
        .with_series(Series::line("m", &t, &every(&run.m, k)).with_color(5))
        .with_series(Series::line("h", &t, &every(&run.h, k)).with_color(2))
        .with_series(Series::line("n", &t, &every(&run.n, k)).with_color(1));
    let mut tx = (Vec::new(), Vec::new());
    let mut lost = (Vec::new(), Vec::new());
    for s in &run.raster {
        if s.source % raster_every.max(1) != 0 {
            continue;
        }
        let pt = if s.transmitted { &mut tx } else { &mut lost };
        pt.0.push(s.step as f64 * run.dt);
        pt.1.push(s.source as f64);
    }
    let shown = if raster_every > 1 {
        format!(", every {raster_every}th source")
    } else {
        String::new()
    };
    let raster = Chart::new(format!(
        "Input raster (sources 0-{} excitatory, {}-{} inhibitory{shown})",
        n_exc.saturating_sub(1),
        n_exc,
        (n_exc + n_inh).saturating_sub(1)
    ))
    .with_labels("t (ms)", "source")
    .with_x_range(0.0, run.steps as f64 * run.dt)
    .with_y_range(-0.5, (n_exc + n_inh) as f64)
    .with_legend(LegendPosition::UpperRight)
    .with_series(
        Series::points("transmitted", &tx.0, &tx.1)
            .with_color(0)
            .with_width(1),
    )
    .with_series(
        Series::points("not transmitted", &lost.0, &lost.1)
            .with_color(3)
            .with_width(1),
    );
    Figure::grid(vec![v, cur, gates, raster], 4, 1, 1100, 1300)
}

/// The f-I curve: rates (Hz) of repetitive firing for currents 0..20 uA/cm^2
/// (step 0.25), and the threshold by bisection to 0.005 uA/cm^2. RK4 at
/// dt = 0.01 ms, 500 ms per current, rate over the last 250 ms.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FiCurve {
    /// Currents (uA/cm^2).
    pub currents: Vec<f64>,
    /// Rates (Hz).
    pub rates: Vec<f64>,
    /// The repetitive-firing threshold (uA/cm^2).
    pub threshold: f64,
}

impl FiCurve {
    /// Computes it.
    ///
    /// # Errors
    /// None in practice.
    pub fn run() -> Result<Self> {
        let currents: Vec<f64> = (0..=80).map(|k| k as f64 * 0.25).collect();
        let rates = fi_curve(&currents, 500.0, 0.01, Method::Rk4)?;
        let threshold = rheobase(6.0, 6.5, 0.005, 500.0, 0.01, Method::Rk4)?;
        Ok(FiCurve {
            currents,
            rates,
            threshold,
        })
    }

    /// The figure, with the threshold marked.
    pub fn figure(&self) -> Figure {
        let top = self.rates.iter().cloned().fold(0.0, f64::max) * 1.05;
        let chart = Chart::new(format!(
            "f-I curve from rest (RK4, dt 0.01 ms): repetitive firing from I = {:.3} uA/cm²",
            self.threshold
        ))
        .with_labels(
            "I_app (uA/cm²)",
            "firing rate (Hz), spikes in the last 250 of 500 ms",
        )
        .with_legend(LegendPosition::LowerRight)
        .with_series(Series::line_points("rate", &self.currents, &self.rates).with_color(0))
        .with_series(
            Series::line(
                format!("threshold {:.3}", self.threshold),
                &[self.threshold, self.threshold],
                &[0.0, top],
            )
            .with_color(5),
        );
        Figure::single(chart, 1000, 600)
    }
}

/// Output rate against the number of inputs (80 % excitatory), I_app 3,
/// the questioner's drive otherwise, 1 s per seed, mean over seeds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RateVsInputs {
    /// Total inputs N_e + N_i.
    pub inputs: Vec<u64>,
    /// Mean output rate (Hz).
    pub rates: Vec<f64>,
    /// Seeds averaged.
    pub seeds: u64,
}

impl RateVsInputs {
    /// Computes it for `inputs` totals.
    ///
    /// # Errors
    /// None in practice.
    pub fn run(inputs: &[u64], seeds: u64) -> Result<Self> {
        let rates = inputs
            .iter()
            .map(|&n| {
                let mut sum = 0.0;
                for s in 0..seeds {
                    let r = simulate(&Config {
                        input: Some(PoissonInput {
                            n_exc: n * 4 / 5,
                            n_inh: n - n * 4 / 5,
                            ..PoissonInput::default()
                        }),
                        duration: 1000.0,
                        seed: 1000 + s,
                        record: false,
                        ..Config::default()
                    })?;
                    sum += r.rate_hz();
                }
                Ok(sum / seeds as f64)
            })
            .collect::<Result<Vec<f64>>>()?;
        Ok(RateVsInputs {
            inputs: inputs.to_vec(),
            rates,
            seeds,
        })
    }

    /// The figure.
    pub fn figure(&self) -> Figure {
        let x: Vec<f64> = self.inputs.iter().map(|&n| n as f64).collect();
        let chart = Chart::new(format!(
            "Output rate against the number of inputs (80 % excitatory, 10 Hz, p 0.5, +1/-4 mV, I_app 3; mean of {} runs of 1 s)",
            self.seeds
        ))
        .with_labels("inputs N_e + N_i", "output rate (Hz)")
        .with_scales(Scale::Log10, Scale::Linear)
        .with_series(Series::line_points("", &x, &self.rates).with_color(0));
        Figure::single(chart, 1000, 600)
    }
}

/// Errors of V(1 ms) under 10 uA/cm^2 for the three integrators.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Orders {
    /// (method, dts, errors, fitted order).
    pub rows: Vec<(Method, Vec<f64>, Vec<f64>, f64)>,
}

impl Orders {
    /// Computes it.
    ///
    /// # Errors
    /// None in practice.
    pub fn run() -> Result<Self> {
        let dts = [0.04, 0.02, 0.01, 0.005, 0.0025];
        let rows = Method::ALL
            .into_iter()
            .map(|m| {
                let e = step_errors(m, 10.0, 1.0, &dts)?;
                let o = fitted_order(&dts, &e);
                Ok((m, dts.to_vec(), e, o))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Orders { rows })
    }

    /// The log-log figure with a reference slope 4 (the first-order lines are parallel to each other).
    pub fn figure(&self) -> Figure {
        let mut chart = Chart::new("Integrator orders: error of V at t = 1 ms (I_app 10, from rest) against RK4 at dt 1e-4 ms")
            .with_labels("dt (ms)", "|V - V_ref| (mV)")
            .with_log_log()
            .with_legend(LegendPosition::LowerRight);
        for (i, (m, d, e, o)) in self.rows.iter().enumerate() {
            chart = chart.with_series(
                Series::line_points(format!("{m} (order {o:.2})"), d, e).with_color(i),
            );
        }
        if let Some((_, d, e, _)) = self.rows.last() {
            chart = chart.with_reference_slope(ReferenceSlope::new(
                4.0,
                (d[d.len() - 1], e[e.len() - 1] * 0.4),
                3.0,
                "O(dt⁴)",
            ));
        }
        Figure::single(chart, 1000, 650)
    }
}

/// The network figure: a raster of the first `shown` neurons and the
/// population rate in 2 ms bins.
///
/// # Errors
/// None in practice.
pub fn network_figure(run: &NetworkRun, shown: u32) -> Result<Figure> {
    let (mut te, mut ne, mut ti, mut ni) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let n_exc = 3200u32;
    let half = shown / 2;
    for (&t, &j) in run.times_ms.iter().zip(&run.neurons) {
        // The first half from the excitatory, the second from the inhibitory.
        if j < half {
            te.push(t);
            ne.push(j as f64);
        } else if j >= n_exc && j < n_exc + (shown - half) {
            ti.push(t);
            ni.push((j - n_exc + half) as f64);
        }
    }
    let raster = Chart::new(format!(
        "COBAHH network, 4000 HH neurons: raster of {half} excitatory (0-{}) and {} inhibitory (3200-) neurons",
        half.saturating_sub(1),
        shown - half
    ))
    .with_labels("t (ms)", "neuron (shown)")
    .with_x_range(0.0, run.duration_ms)
    .with_y_range(-0.5, shown as f64)
    .with_series(Series::points("", &te, &ne).with_color(0).with_width(1))
    .with_series(Series::points("", &ti, &ni).with_color(5).with_width(1));
    let (bt, rate) = run.population_rate(2.0)?;
    let pop = Chart::new(format!(
        "Population rate (2 ms bins): mean {:.2} Hz per neuron",
        run.mean_rate_hz()
    ))
    .with_labels("t (ms)", "rate (Hz per neuron)")
    .with_x_range(0.0, run.duration_ms)
    .with_series(Series::line("", &bt, &rate).with_color(0));
    Ok(Figure::grid(vec![raster, pop], 2, 1, 1100, 900))
}

/// Times (s) of the questioner's scan (ported) and ours for `inputs` totals
/// (80 % excitatory), their scenario otherwise.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timings {
    /// Total inputs.
    pub inputs: Vec<u64>,
    /// Their scan, one run (s).
    pub theirs_s: Vec<f64>,
    /// Ours, median (s).
    pub ours_s: Vec<f64>,
}

impl Timings {
    /// Measures.
    ///
    /// # Errors
    /// None in practice.
    pub fn run(inputs: &[u64]) -> Result<Self> {
        let mut theirs_s = Vec::new();
        let mut ours_s = Vec::new();
        for &n in inputs {
            let cfg = Config {
                input: Some(PoissonInput {
                    n_exc: n * 4 / 5,
                    n_inh: n - n * 4 / 5,
                    ..PoissonInput::default()
                }),
                seed: SEED,
                ..Config::default()
            };
            let (r, s) = timing::once(|| reference::questioner_run(&cfg));
            r?;
            theirs_s.push(s);
            let mut failure = None;
            let t = timing::measure(
                || {
                    if let Err(e) = simulate(&cfg) {
                        failure = Some(e);
                    }
                },
                5,
                200,
                0.2,
            );
            if let Some(e) = failure {
                return Err(e.into());
            }
            ours_s.push(t.median_s);
        }
        Ok(Timings {
            inputs: inputs.to_vec(),
            theirs_s,
            ours_s,
        })
    }

    /// Log-log time against inputs.
    pub fn figure(&self) -> Figure {
        let x: Vec<f64> = self.inputs.iter().map(|&n| n as f64).collect();
        let chart = Chart::new("300 ms of one HH neuron at dt 0.01 ms (measured on this machine)")
            .with_labels("inputs N_e + N_i", "time (s)")
            .with_log_log()
            .with_legend(LegendPosition::UpperLeft)
            .with_series(
                Series::line_points(
                    "the questioner's scan of every spike (ported to Rust)",
                    &x,
                    &self.theirs_s,
                )
                .with_color(5),
            )
            .with_series(
                Series::line_points("numlab: one binomial draw per step", &x, &self.ours_s)
                    .with_color(0),
            );
        Figure::single(chart, 1000, 600)
    }
}

/// The study: figures and summary.
///
/// # Errors
/// None in practice.
pub fn run() -> Result<StudyOutput> {
    let theirs = their_run(80, 20)?;
    let big = their_run(4000, 1000)?;
    let fi = FiCurve::run()?;
    let rvi = RateVsInputs::run(&[100, 200, 500, 1000, 2000, 5000, 10_000], 5)?;
    let orders = Orders::run()?;
    let net = Network::new(NetworkConfig::default())?;
    let net_run = net.run()?;
    // Warm runs (the first one above paid for page faults): median of 3.
    let net_s = timing::measure(|| net.run(), 3, 3, 0.0).median_s;
    let timings = Timings::run(&[100, 1000, 5000])?;
    let (b_mean, b_sd) = crate::bench::brian2_cobahh_rate();

    let figures = vec![
        NamedFigure {
            name: "05-questioner-100-inputs".into(),
            figure: their_figure(&theirs, 80, 20, 1)
                .with_title("The questioner's scenario: 100 inputs (80 excitatory, 20 inhibitory)"),
        },
        NamedFigure {
            name: "05-questioner-5000-inputs".into(),
            figure: their_figure(&big, 4000, 1000, 10)
                .with_title("The same with 5,000 inputs (4,000 excitatory, 1,000 inhibitory)"),
        },
        NamedFigure {
            name: "05-fi-curve".into(),
            figure: fi.figure(),
        },
        NamedFigure {
            name: "05-rate-vs-inputs".into(),
            figure: rvi.figure(),
        },
        NamedFigure {
            name: "05-integrator-orders".into(),
            figure: orders.figure(),
        },
        NamedFigure {
            name: "05-network".into(),
            figure: network_figure(&net_run, 200)?,
        },
        NamedFigure {
            name: "05-timing-vs-inputs".into(),
            figure: timings.figure(),
        },
    ];

    let mut ord = Table::new(["integrator", "fitted order", "error at dt 0.01 ms (mV)"]);
    for (m, _, e, o) in &orders.rows {
        ord.row([m.to_string(), format!("{o:.2}"), format!("{:.2e}", e[2])]);
    }
    let mut rates = Table::new(["inputs", "output rate (Hz)"]);
    for (n, r) in rvi.inputs.iter().zip(&rvi.rates) {
        rates.row([n.to_string(), format!("{r:.1}")]);
    }
    let mut times = Table::new([
        "inputs",
        "the questioner's scan (ported to Rust)",
        "numlab",
        "speed-up",
    ]);
    for i in 0..timings.inputs.len() {
        times.row([
            timings.inputs[i].to_string(),
            human(timings.theirs_s[i]),
            human(timings.ours_s[i]),
            format!("{:.0}x", timings.theirs_s[i] / timings.ours_s[i]),
        ]);
    }
    let summary = format!(
        "## 05 Hodgkin-Huxley neuron driven by Poisson spike trains\n\n\
         The questioner's scenario (I_app 3 uA/cm², 80 + 20 inputs at 10 Hz, p 0.5, pulses +1 / -4 mV, 300 ms, dt 0.01 ms, forward Euler): \
         {} spikes; with 5,000 inputs: {} spikes. Their code evaluates the delta pulse as 1 inside one Euler step, \
         so each pulse moved V by G_ex·dt = 0.01 mV (a jump that shrinks with dt); here a pulse is a jump of its weight in mV.\n\n\
         Repetitive firing from rest starts at I = {:.3} uA/cm² (bisection to 0.005, RK4 dt 0.01 ms, 500 ms).\n\n\
         Integrator orders (V at 1 ms under 10 uA/cm², dt 0.04 to 0.0025 ms):\n\n{}\n\
         Output rate against inputs (80 % excitatory, mean of 5 runs of 1 s):\n\n{}\n\
         COBAHH network (4000 neurons, {} synapses, seed 2007, 1 s): mean rate {:.3} Hz per neuron; \
         Brian2 2.9 over 6 seeds: {:.2} ± {:.2} Hz.\n\n\
         ### Measured on this machine\n\n\
         300 ms of one neuron, the questioner's drive with N inputs:\n\n{}\n\
         The COBAHH network: 1 s of biological time in {} on {} threads (median of 3 warm runs), {:.1}x real time.\n",
        theirs.spikes_ms.len(),
        big.spikes_ms.len(),
        fi.threshold,
        ord.to_markdown(),
        rates.to_markdown(),
        net.synapses(),
        net_run.mean_rate_hz(),
        b_mean,
        b_sd,
        times.to_markdown(),
        human(net_s),
        numlab_core::threads::num_threads(),
        net_run.duration_ms / 1000.0 / net_s,
    );
    Ok(StudyOutput {
        number: "05",
        id: "neuron",
        figures,
        summary,
    })
}
