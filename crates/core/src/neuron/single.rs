//! One HH neuron driven by a constant current and Poisson pulses.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::model::{HhParams, Rates, State};
use super::poisson::{counts_per_step, source_trains, Binomial, PoissonInput, SourceSpike};
use super::spikes::upward_crossings;
use crate::error::{check, num, NumlabError, Result};

/// The time integrator of the membrane equations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Method {
    /// Forward Euler on all four variables (the questioner's): order 1;
    /// too large a dt blows up, which [`simulate`] detects.
    Euler,
    /// Exponential Euler (Rush-Larsen): each gate, and V with the gates held,
    /// solved exactly over the step with frozen rates; order 1, stable for
    /// much larger steps.
    ExpEuler,
    /// Classic fourth-order Runge-Kutta: order 4.
    Rk4,
}

impl Method {
    /// All three, in the order above.
    pub const ALL: [Method; 3] = [Method::Euler, Method::ExpEuler, Method::Rk4];

    /// The command-line name: `euler`, `exp-euler`, `rk4`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Euler => "euler",
            Method::ExpEuler => "exp-euler",
            Method::Rk4 => "rk4",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "euler" => Ok(Method::Euler),
            "exp-euler" | "exponential-euler" | "rush-larsen" => Ok(Method::ExpEuler),
            "rk4" => Ok(Method::Rk4),
            _ => Err(NumlabError::UnknownName {
                name: "method",
                value: s.to_string(),
                expected: "euler, exp-euler, rk4",
            }),
        }
    }
}

/// One step of `method` of length `dt` (ms) at applied current `i_app` (uA/cm^2).
///
/// Always inlined: [`simulate`]'s loop is fastest with it (and the
/// derivatives) in place, whatever other callers there are.
#[inline(always)]
pub fn step(p: &HhParams, s: &State, i_app: f64, dt: f64, method: Method) -> State {
    match method {
        Method::Euler => {
            let d = p.derivative(s, i_app);
            State {
                v: s.v + dt * d.v,
                m: s.m + dt * d.m,
                h: s.h + dt * d.h,
                n: s.n + dt * d.n,
            }
        }
        Method::ExpEuler => {
            let r = Rates::at(s.v);
            let gate = |x: f64, a: f64, b: f64| {
                let k = a + b;
                let inf = a / k;
                inf + (x - inf) * (-dt * k).exp()
            };
            let gna = p.g_na * s.m * s.m * s.m * s.h;
            let gk = p.g_k * s.n * s.n * s.n * s.n;
            let g = gna + gk + p.g_l;
            let v = if g > 0.0 {
                let vinf = (i_app + gna * p.e_na + gk * p.e_k + p.g_l * p.e_l) / g;
                vinf + (s.v - vinf) * (-dt * g / p.c_m).exp()
            } else {
                s.v + dt * i_app / p.c_m
            };
            State {
                v,
                m: gate(s.m, r.alpha_m, r.beta_m),
                h: gate(s.h, r.alpha_h, r.beta_h),
                n: gate(s.n, r.alpha_n, r.beta_n),
            }
        }
        Method::Rk4 => {
            let add = |a: &State, k: &State, f: f64| State {
                v: a.v + f * k.v,
                m: a.m + f * k.m,
                h: a.h + f * k.h,
                n: a.n + f * k.n,
            };
            let k1 = p.derivative(s, i_app);
            let k2 = p.derivative(&add(s, &k1, dt / 2.0), i_app);
            let k3 = p.derivative(&add(s, &k2, dt / 2.0), i_app);
            let k4 = p.derivative(&add(s, &k3, dt), i_app);
            State {
                v: s.v + dt / 6.0 * (k1.v + 2.0 * k2.v + 2.0 * k3.v + k4.v),
                m: s.m + dt / 6.0 * (k1.m + 2.0 * k2.m + 2.0 * k3.m + k4.m),
                h: s.h + dt / 6.0 * (k1.h + 2.0 * k2.h + 2.0 * k3.h + k4.h),
                n: s.n + dt / 6.0 * (k1.n + 2.0 * k2.n + 2.0 * k3.n + k4.n),
            }
        }
    }
}

/// The largest number of steps one run takes (5e9: 50,000 s at dt = 0.01 ms,
/// about a minute of computing).
pub const MAX_STEPS: u64 = 5_000_000_000;

/// The most steps a run records traces for: 4,000,000 (40 s at dt =
/// 0.01 ms). The four traces take 8 bytes each per step, 128 MB at this
/// limit; a caller writing them as text needs several times that.
pub const MAX_RECORDED_STEPS: u64 = 4_000_000;

/// The time step at which [`Config::steps`] blames the duration rather than
/// dt for too many steps: the questioner's 0.01 ms.
const USUAL_DT: f64 = 0.01;

/// An input jump (mV) larger than the swing of an action potential (about
/// 100 mV), one pulse's or a step's on average: beyond what the model
/// describes as synaptic input, so a blow-up with one is blamed on the input.
const BIG_JUMP_MV: f64 = 100.0;

/// |V| above this (mV), or a gate outside [-1, 2], or a non-finite value,
/// means the integration blew up: dt is too large for the method.
pub const BLOW_UP_MV: f64 = 1000.0;

/// The blow-up error, naming dt.
pub(crate) fn blow_up(dt: f64) -> NumlabError {
    NumlabError::invalid(
        "dt",
        dt,
        "too large for the integrator: the solution blew up (|V| > 1000 mV, a gate outside [-1, 2], or not finite); take a smaller dt or --method exp-euler",
    )
}

#[inline]
pub(crate) fn blown(s: &State) -> bool {
    !(s.v.abs() <= BLOW_UP_MV
        && s.m >= -1.0
        && s.m <= 2.0
        && s.h >= -1.0
        && s.h <= 2.0
        && s.n >= -1.0
        && s.n <= 2.0)
}

/// A simulation of one neuron.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Config {
    /// The membrane.
    pub params: HhParams,
    /// Integrator.
    pub method: Method,
    /// Time step (ms).
    pub dt: f64,
    /// Duration (ms); the run takes round(duration/dt) steps.
    pub duration: f64,
    /// Applied current I_app (uA/cm^2), on from t = 0.
    pub current: f64,
    /// Poisson drive, if any.
    pub input: Option<PoissonInput>,
    /// Spike threshold (mV) for upward crossings.
    pub threshold: f64,
    /// Seed of the input's ChaCha8 stream.
    pub seed: u64,
    /// Record V, m, h, n at every step (otherwise only spikes are kept).
    pub record: bool,
    /// Draw per-source spike trains (for a raster) instead of per-step binomial counts.
    pub raster: bool,
    /// Start state; `None` is the resting state at zero current.
    pub start: Option<State>,
}

impl Default for Config {
    /// The questioner's scenario: I_app = 3 uA/cm^2, their 100 inputs at 10 Hz,
    /// p = 0.5, 300 ms at dt = 0.01 ms, forward Euler, threshold 0 mV, traces recorded.
    fn default() -> Self {
        Config {
            params: HhParams::default(),
            method: Method::Euler,
            dt: 0.01,
            duration: 300.0,
            current: 3.0,
            input: Some(PoissonInput::default()),
            threshold: 0.0,
            seed: 5,
            record: true,
            raster: false,
            start: None,
        }
    }
}

/// What a run gives.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Run {
    /// Time step (ms).
    pub dt: f64,
    /// Steps taken; recorded traces hold steps + 1 values (t = 0 included).
    pub steps: u64,
    /// V (mV) at t_i = i·dt, when recorded.
    pub v: Vec<f64>,
    /// m at t_i, when recorded.
    pub m: Vec<f64>,
    /// h at t_i, when recorded.
    pub h: Vec<f64>,
    /// n at t_i, when recorded.
    pub n: Vec<f64>,
    /// Spike times (ms): upward threshold crossings, interpolated within the step.
    pub spikes_ms: Vec<f64>,
    /// The per-source trains (excitatory sources 0..N_e, inhibitory N_e..N_e+N_i), when asked for.
    pub raster: Vec<SourceSpike>,
    /// Transmitted excitatory pulses in total.
    pub pulses_exc: u64,
    /// Transmitted inhibitory pulses in total.
    pub pulses_inh: u64,
}

impl Run {
    /// t_i = i·dt (ms) for every recorded sample.
    pub fn t(&self) -> Vec<f64> {
        (0..self.v.len()).map(|i| i as f64 * self.dt).collect()
    }

    /// The firing rate over the run (Hz).
    pub fn rate_hz(&self) -> f64 {
        self.spikes_ms.len() as f64 / (self.steps as f64 * self.dt / 1000.0)
    }

    /// I_Na, I_K, I_L (uA/cm^2) at every recorded sample.
    pub fn currents(&self, p: &HhParams) -> [Vec<f64>; 3] {
        let mut out = [
            Vec::with_capacity(self.v.len()),
            Vec::with_capacity(self.v.len()),
            Vec::with_capacity(self.v.len()),
        ];
        for i in 0..self.v.len() {
            let c = p.currents(&State {
                v: self.v[i],
                m: self.m[i],
                h: self.h[i],
                n: self.n[i],
            });
            out[0].push(c.i_na);
            out[1].push(c.i_k);
            out[2].push(c.i_l);
        }
        out
    }
}

impl Config {
    /// The number of steps: round(duration / dt).
    ///
    /// # Errors
    /// dt not finite or <= 0; duration not finite or < 0; more than [`MAX_STEPS`].
    pub fn steps(&self) -> Result<u64> {
        check::positive("dt", self.dt)?;
        if !(self.duration.is_finite() && self.duration >= 0.0) {
            return Err(NumlabError::invalid(
                "duration",
                self.duration,
                "must be finite and >= 0 (ms)",
            ));
        }
        let k = (self.duration / self.dt).round();
        if k > MAX_STEPS as f64 {
            // Blame the duration when it is too long even at the usual
            // 0.01 ms step, else the step.
            if self.duration / USUAL_DT > MAX_STEPS as f64 {
                return Err(NumlabError::above(
                    "duration",
                    num(self.duration),
                    format!(
                        "{} ms at dt = {} ms",
                        num(MAX_STEPS as f64 * self.dt),
                        num(self.dt)
                    ),
                    "a run takes at most 5e9 steps of duration / dt",
                ));
            }
            return Err(NumlabError::invalid(
                "dt",
                self.dt,
                "too small for the duration: more than 5e9 steps",
            ));
        }
        Ok(k as u64)
    }

    /// Checks everything.
    ///
    /// # Errors
    /// As [`steps`](Self::steps), [`HhParams::validate`], [`PoissonInput::validate`];
    /// current or threshold not finite; a start state that is not finite;
    /// more than [`MAX_RECORDED_STEPS`] steps with `record` or `raster`
    /// ([`NumlabError::AboveLimit`] on `duration`).
    pub fn validate(&self) -> Result<u64> {
        self.params.validate()?;
        let steps = self.steps()?;
        check::finite("current", self.current)?;
        check::finite("threshold", self.threshold)?;
        if (self.record || self.raster) && steps > MAX_RECORDED_STEPS {
            return Err(NumlabError::above(
                "duration",
                num(self.duration),
                format!(
                    "{} ms recorded at dt = {} ms",
                    num(MAX_RECORDED_STEPS as f64 * self.dt),
                    num(self.dt)
                ),
                "a recorded trace holds at most 4e6 steps; shorten the duration, raise dt, or do not record the trace",
            ));
        }
        if let Some(s) = &self.start {
            check::all_finite("start", &[s.v, s.m, s.h, s.n])?;
        }
        if let Some(inp) = &self.input {
            inp.validate()?;
            inp.step_probability(self.dt)?;
        }
        Ok(steps)
    }
}

/// Runs one neuron: starts from `cfg.start` (default: the resting state at
/// zero current), applies the current and the inputs from t = 0. In each step
/// the membrane is advanced by `cfg.method`, then the step's transmitted
/// pulses move V by their weights. Spikes are upward crossings of
/// `cfg.threshold`.
///
/// # Errors
/// Bad configuration (see [`Config::validate`]); a run that leaves the
/// model's range |V| <= [`BLOW_UP_MV`], named by its cause: the input
/// ([`NumlabError::OutOfRange`] on `excitatory`, `inhibitory` or `weight`),
/// a current outside [`safe_currents`] (on `current`), or else dt too large
/// for the method ([`NumlabError::InvalidParameter`] on `dt`).
pub fn simulate(cfg: &Config) -> Result<Run> {
    simulate_observed(cfg, |_, _| {})
}

/// [`simulate`], calling `progress(done, steps)` every 65,536 steps (for a
/// progress bar; the result does not depend on it).
///
/// # Errors
/// As [`simulate`].
pub fn simulate_with_progress(cfg: &Config, progress: &dyn Fn(u64, u64)) -> Result<Run> {
    simulate_observed(cfg, progress)
}

/// The loop of [`simulate`], generic in its observer so that `simulate`'s
/// (which does nothing) leaves the loop as it was.
fn simulate_observed(cfg: &Config, progress: impl Fn(u64, u64)) -> Result<Run> {
    let steps = cfg.validate()?;
    let p = cfg.params;
    let mut s = match cfg.start {
        Some(s) => s,
        None => p.resting_state(0.0)?,
    };
    let dt = cfg.dt;
    let record = cfg.record;
    let cap = if record { steps as usize + 1 } else { 0 };
    let mut run = Run {
        dt,
        steps,
        v: Vec::with_capacity(cap),
        m: Vec::with_capacity(cap),
        h: Vec::with_capacity(cap),
        n: Vec::with_capacity(cap),
        spikes_ms: Vec::new(),
        raster: Vec::new(),
        pulses_exc: 0,
        pulses_inh: 0,
    };
    if record {
        run.v.push(s.v);
        run.m.push(s.m);
        run.h.push(s.h);
        run.n.push(s.n);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    // Per-step pulse counts: binomial draws, or from per-source trains.
    let mut trains_exc = Vec::new();
    let mut trains_inh = Vec::new();
    let samplers = match (&cfg.input, cfg.raster) {
        (Some(inp), false) => Some(inp.samplers(dt)?),
        (Some(inp), true) => {
            let q = inp.step_probability(dt)?;
            let e = source_trains(inp.n_exc, q, inp.p, steps, &mut rng)?;
            let mut i = source_trains(inp.n_inh, q, inp.p, steps, &mut rng)?;
            trains_exc = counts_per_step(&e, steps as usize);
            trains_inh = counts_per_step(&i, steps as usize);
            for sp in &mut i {
                sp.source += inp.n_exc as u32;
            }
            let mut all = e;
            all.extend(i);
            all.sort_unstable_by_key(|s| (s.step, s.source));
            run.raster = all;
            None
        }
        (None, _) => None,
    };
    let (w_exc, w_inh) = cfg
        .input
        .map_or((0.0, 0.0), |i| (i.weight_mv, -i.k_inh * i.weight_mv));
    let has_input = cfg.input.is_some();
    let thr = cfg.threshold;
    for k in 0..steps {
        if k & 0xffff == 0xffff {
            progress(k, steps);
        }
        let prev = s.v;
        s = step(&p, &s, cfg.current, dt, cfg.method);
        if has_input {
            let (ne, ni) = match &samplers {
                Some((be, bi)) => (be.sample(&mut rng), bi.sample(&mut rng)),
                None => (trains_exc[k as usize] as u64, trains_inh[k as usize] as u64),
            };
            if ne | ni != 0 {
                s.v += w_exc * ne as f64 + w_inh * ni as f64;
                run.pulses_exc += ne;
                run.pulses_inh += ni;
            }
        }
        if blown(&s) {
            return Err(failure(cfg, k));
        }
        if prev < thr && s.v >= thr {
            run.spikes_ms
                .push(dt * (k as f64 + (thr - prev) / (s.v - prev)));
        }
        if record {
            run.v.push(s.v);
            run.m.push(s.m);
            run.h.push(s.h);
            run.n.push(s.n);
        }
    }
    debug_assert!(!record || run.spikes_ms == upward_crossings(&run.v, 0.0, dt, thr));
    Ok(run)
}

/// The currents (uA/cm^2) that provably keep V within ±[`BLOW_UP_MV`]:
/// with every gate in [0, 1], V is drawn toward a weighted mean of E_Na,
/// E_K and E_L + I/g_L, so `-g_L (1000 + E_L) <= I <= g_L (1000 - E_L)`
/// keeps the exact solution in range (the reversals lying within it). For
/// the default membrane, [-283.7, 316.3].
pub fn safe_currents(p: &HhParams) -> (f64, f64) {
    (-p.g_l * (BLOW_UP_MV + p.e_l), p.g_l * (BLOW_UP_MV - p.e_l))
}

/// The error of a run that left the model's range on step `k` (0-based):
/// the run replayed to that step (the same draws from the seed, the same
/// arithmetic, so the same state and the step's pulses), then
/// [`diagnose`]d. The stepping loop keeps and hands over nothing for it:
/// anything it did slowed the benchmarked loop by about 15 %.
#[cold]
#[inline(never)]
fn failure(cfg: &Config, k: u64) -> NumlabError {
    enum Draws {
        Binomial(Binomial, Binomial),
        Counts(Vec<u32>, Vec<u32>),
        Nothing,
    }
    let replay = || -> Result<NumlabError> {
        let p = cfg.params;
        let dt = cfg.dt;
        let mut s = match cfg.start {
            Some(s) => s,
            None => p.resting_state(0.0)?,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let total = cfg.steps()?;
        let draws = match (&cfg.input, cfg.raster) {
            (Some(inp), false) => {
                let (be, bi) = inp.samplers(dt)?;
                Draws::Binomial(be, bi)
            }
            (Some(inp), true) => {
                let q = inp.step_probability(dt)?;
                let e = source_trains(inp.n_exc, q, inp.p, total, &mut rng)?;
                let i = source_trains(inp.n_inh, q, inp.p, total, &mut rng)?;
                Draws::Counts(
                    counts_per_step(&e, total as usize),
                    counts_per_step(&i, total as usize),
                )
            }
            (None, _) => Draws::Nothing,
        };
        let (w_exc, w_inh) = cfg
            .input
            .map_or((0.0, 0.0), |i| (i.weight_mv, -i.k_inh * i.weight_mv));
        let mut pulses = (0, 0);
        for j in 0..=k {
            s = step(&p, &s, cfg.current, dt, cfg.method);
            pulses = match &draws {
                Draws::Binomial(be, bi) => (be.sample(&mut rng), bi.sample(&mut rng)),
                Draws::Counts(e, i) => (e[j as usize] as u64, i[j as usize] as u64),
                Draws::Nothing => (0, 0),
            };
            let (ne, ni) = pulses;
            if ne | ni != 0 {
                s.v += w_exc * ne as f64 + w_inh * ni as f64;
            }
        }
        Ok(diagnose(cfg, s, pulses, k + 1))
    };
    replay().unwrap_or_else(|e| e)
}

/// Names what drove a run out of range at the end of step `steps_done`
/// (state `after`, with `pulses` transmitted in that step): the input, when
/// the step's pulses pushed V out, or a single pulse or the mean jump of a
/// step is larger than an action potential's swing; the current, when it
/// lies outside [`safe_currents`] and drives V out of range on its own under
/// the unconditionally stable exponential Euler step within the run's
/// duration; else dt (the exact solution stays in range, so the integrator
/// is too coarse). Runs only on the error path: the stepping loop keeps
/// nothing for it.
#[cold]
#[inline(never)]
fn diagnose(cfg: &Config, after: State, pulses: (u64, u64), steps_done: u64) -> NumlabError {
    let p = &cfg.params;
    let t = steps_done as f64 * cfg.dt;
    let inp = cfg.input.unwrap_or_default();
    let (w_e, w_i) = (inp.weight_mv, -inp.k_inh * inp.weight_mv);
    let qp = inp.rate_hz * cfg.dt / 1000.0 * inp.p;
    let (mean_e, mean_i) = (inp.n_exc as f64 * qp, inp.n_inh as f64 * qp);
    let input_blame = |why_step: String| -> NumlabError {
        // The kind that moves V most; its weight when one pulse is larger
        // than an action potential, else its number of sources.
        let inhibitory = mean_i * w_i.abs() > mean_e * w_e.abs();
        let (name, value) = if w_e.abs().max(w_i.abs()) >= BIG_JUMP_MV {
            ("weight", num(inp.weight_mv))
        } else if inhibitory {
            ("inhibitory", inp.n_inh.to_string())
        } else {
            ("excitatory", inp.n_exc.to_string())
        };
        NumlabError::OutOfRange {
            name,
            value,
            why: format!(
                "the input drove V out of the model's ±{} mV range at t = {} ms: {why_step}; on average {} excitatory pulses of {} mV and {} inhibitory pulses of {} mV per step of {} ms (fewer sources, a lower rate, p or weight keep V in range)",
                num(BLOW_UP_MV),
                num(t),
                num((mean_e * 1000.0).round() / 1000.0),
                num(w_e),
                num((mean_i * 1000.0).round() / 1000.0),
                num(w_i),
                num(cfg.dt)
            ),
        }
    };
    let (ne, ni) = pulses;
    let jump = w_e * ne as f64 + w_i * ni as f64;
    // The pulses change only V: the state before them.
    let membrane = State {
        v: after.v - jump,
        ..after
    };
    if ne | ni != 0 && !blown(&membrane) {
        return input_blame(format!(
            "{ne} excitatory and {ni} inhibitory pulses moved V by {} mV in one step",
            num(jump.round())
        ));
    }
    let mean_jump = mean_e * w_e.abs() + mean_i * w_i.abs();
    let largest = w_e.abs().max(w_i.abs());
    if cfg.input.is_some() && largest >= BIG_JUMP_MV {
        return input_blame(format!(
            "one pulse moves V by up to {} mV, more than an action potential's swing of about 100 mV",
            num(largest)
        ));
    }
    if cfg.input.is_some() && mean_jump >= BIG_JUMP_MV {
        return input_blame(format!(
            "the pulses move V by {} mV a step on average, more than an action potential's swing of about 100 mV",
            num(mean_jump.round())
        ));
    }
    let (lo, hi) = safe_currents(p);
    let i = cfg.current;
    if !(lo..=hi).contains(&i) {
        // Does the current alone, integrated by the unconditionally stable
        // exponential Euler step, leave the range within the run? V settles
        // within 30 of its slowest time constants C/g_L (100 ms for the
        // default membrane), so no longer is tried.
        let mut s = match cfg.start {
            Some(s) => s,
            None => p.resting_state(0.0).unwrap_or(after),
        };
        let settle = (30.0 * p.c_m / p.g_l / cfg.dt).ceil().min(1e12) as u64;
        let limit = settle
            .max(2 * steps_done)
            .min(cfg.steps().unwrap_or(0))
            .max(1);
        for k in 0..limit {
            s = step(p, &s, i, cfg.dt, Method::ExpEuler);
            if blown(&s) {
                return NumlabError::OutOfRange {
                    name: "current",
                    value: num(i),
                    why: format!(
                        "outside [{}, {}] uA/cm^2 (g_L x (±{} mV - E_L)) a current can hold V beyond the model's ±{} mV range, and this one drives it there by t = {} ms",
                        num((lo * 10.0).round() / 10.0),
                        num((hi * 10.0).round() / 10.0),
                        num(BLOW_UP_MV),
                        num(BLOW_UP_MV),
                        num((k + 1) as f64 * cfg.dt)
                    ),
                };
            }
        }
    }
    // The current keeps V in range: an integrator that still blew up is too
    // coarse. (The exponential Euler step moves V toward a weighted mean of
    // the reversals and E_L + I/g_L, so for it only pulses remain.)
    if cfg.method != Method::ExpEuler || cfg.input.is_none() {
        return blow_up(cfg.dt);
    }
    input_blame("the membrane could not follow the pulses".into())
}
