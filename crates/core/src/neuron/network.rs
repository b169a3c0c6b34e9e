//! A network of HH neurons: Brian2's COBAHH benchmark (Brette et al. 2007,
//! benchmark 3), parallel across cores and reproducible from a seed.
//!
//! Units: V in mV, time in ms, conductances in nS, capacitance in pF
//! (nS · mV = pA, pA / pF = mV/ms).
//!
//! ```text
//! C dv/dt = g_l (E_l - v) + g_e (E_e - v) + g_i (E_i - v)
//!           - g_Na m³h (v - E_Na) - g_Kd n⁴ (v - E_K)
//! dx/dt   = α_x (1 - x) - β_x x,   dg_e/dt = -g_e/τ_e,   dg_i/dt = -g_i/τ_i
//! α_m = 0.32 (13 - v + V_T) / (exp((13 - v + V_T)/4) - 1)
//! β_m = 0.28 (v - V_T - 40) / (exp((v - V_T - 40)/5) - 1)
//! α_h = 0.128 exp((17 - v + V_T)/18)     β_h = 4 / (1 + exp((40 - v + V_T)/5))
//! α_n = 0.032 (15 - v + V_T) / (exp((15 - v + V_T)/5) - 1)
//! β_n = 0.5 exp((10 - v + V_T)/40)
//! ```
//!
//! Integration as Brian2's `exponential_euler`: every variable is advanced
//! exactly over the step with the others (and the rates) frozen at their
//! values at the start of the step. A neuron spikes when v > -20 mV and at
//! least 3 ms (30 steps) have passed since its last spike; the spike is
//! stamped with the step's start time (as Brian2 does) and adds w_e (or w_i)
//! to g_e (g_i) of every target, seen from the next step on. Connections:
//! each (source, target) pair independently with probability 0.02, self
//! pairs included (Brian2's `connect(p=0.02)`). Start: v = E_l + 5 ξ - 5 mV,
//! g_e = (1.5 ξ + 4) · 10 nS, g_i = (12 ξ + 20) · 10 nS with ξ standard
//! normal, m = h = n = 0 (Brian2's defaults).
//!
//! Determinism: the neurons are split into contiguous ranges, one per
//! thread; each neuron's update depends only on its own state, and each
//! target receives its inputs in increasing source order whatever the split,
//! so a run gives the same bits on any number of threads. The parts advance
//! in lock-step, one rayon pass per step (the end of the pass is the step's
//! only synchronisation; a panic in a part reaches the caller).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{check, num, NumlabError, Result};
use crate::fastmath::exp1;

/// The most neurons a network may have: 2^22 (4,194,304; about 100 bytes of
/// state each).
pub const MAX_NEURONS: u64 = 1 << 22;

/// The most synapses a network may expect (n² p): 2^27 (134,217,728; 4 bytes
/// each, twice: the table and the threads' shares).
pub const MAX_SYNAPSES: f64 = (1u64 << 27) as f64;

/// The most neuron updates (neurons × steps) one run may take: 1e11, about
/// 20 minutes on two cores (COBAHH's 4000 neurons for 2.5e7 steps, 2500 s of
/// biological time at dt = 0.1 ms).
pub const MAX_NEURON_STEPS: f64 = 1e11;

/// The most spikes a run records (with [`NetworkConfig::record`]):
/// 20,000,000, 16 bytes each while running (320 MB). A run that would record
/// more stops with [`NumlabError::AboveLimit`] on `duration` when it gets
/// there; without recording only the count is kept, in constant memory.
pub const MAX_RECORDED_SPIKES: u64 = 20_000_000;

/// The time step at which a run too long is blamed on its duration rather
/// than on dt: the COBAHH benchmark's 0.1 ms.
const USUAL_DT: f64 = 0.1;

/// The COBAHH model's parameters (Brian2's example values).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CobaParams {
    /// Membrane capacitance (pF): 1 uF/cm^2 on 20,000 um^2.
    pub c_pf: f64,
    /// Leak conductance (nS).
    pub g_l: f64,
    /// Leak reversal (mV).
    pub e_l: f64,
    /// Potassium reversal (mV).
    pub e_k: f64,
    /// Sodium reversal (mV).
    pub e_na: f64,
    /// Maximal sodium conductance (nS).
    pub g_na: f64,
    /// Maximal potassium conductance (nS).
    pub g_kd: f64,
    /// V_T, the rate functions' offset (mV).
    pub v_t: f64,
    /// Excitatory synaptic time constant (ms).
    pub tau_e: f64,
    /// Inhibitory synaptic time constant (ms).
    pub tau_i: f64,
    /// Excitatory reversal (mV).
    pub e_e: f64,
    /// Inhibitory reversal (mV).
    pub e_i: f64,
    /// Excitatory weight (nS).
    pub w_e: f64,
    /// Inhibitory weight (nS).
    pub w_i: f64,
    /// Spike threshold (mV).
    pub threshold: f64,
    /// Refractory period (ms).
    pub refractory: f64,
}

impl Default for CobaParams {
    fn default() -> Self {
        CobaParams {
            c_pf: 200.0,
            g_l: 10.0,
            e_l: -60.0,
            e_k: -90.0,
            e_na: 50.0,
            g_na: 20_000.0,
            g_kd: 6_000.0,
            v_t: -63.0,
            tau_e: 5.0,
            tau_i: 10.0,
            e_e: 0.0,
            e_i: -80.0,
            w_e: 6.0,
            w_i: 67.0,
            threshold: -20.0,
            refractory: 3.0,
        }
    }
}

/// A network run's set-up.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NetworkConfig {
    /// The neuron and synapse parameters.
    pub params: CobaParams,
    /// Excitatory neurons (the first ones).
    pub n_exc: u64,
    /// Inhibitory neurons (the last ones).
    pub n_inh: u64,
    /// Connection probability of each ordered pair.
    pub p_connect: f64,
    /// Time step (ms).
    pub dt: f64,
    /// Duration (ms); round(duration/dt) steps.
    pub duration: f64,
    /// Seed of the connectivity and the initial state.
    pub seed: u64,
    /// Keep every spike's time and neuron (else only their number, in
    /// constant memory; see [`MAX_RECORDED_SPIKES`]).
    pub record: bool,
}

impl Default for NetworkConfig {
    /// COBAHH: 3200 + 800 neurons, p = 0.02, dt = 0.1 ms, 1 s, spikes recorded.
    fn default() -> Self {
        NetworkConfig {
            params: CobaParams::default(),
            n_exc: 3200,
            n_inh: 800,
            p_connect: 0.02,
            dt: 0.1,
            duration: 1000.0,
            seed: 2007,
            record: true,
        }
    }
}

/// The spikes of a network run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NetworkRun {
    /// Neurons.
    pub n_neurons: usize,
    /// Duration simulated (ms).
    pub duration_ms: f64,
    /// Steps taken.
    pub steps: u64,
    /// Spikes fired (recorded or not).
    pub spike_count: u64,
    /// Spike times (ms), sorted by time, then neuron; empty unless recorded.
    pub times_ms: Vec<f64>,
    /// The neuron of each spike; empty unless recorded.
    pub neurons: Vec<u32>,
}

impl NetworkRun {
    /// Mean firing rate per neuron (Hz).
    pub fn mean_rate_hz(&self) -> f64 {
        if self.n_neurons == 0 || self.duration_ms <= 0.0 {
            return 0.0;
        }
        self.spike_count as f64 / self.n_neurons as f64 / (self.duration_ms / 1000.0)
    }

    /// Population rate (Hz per neuron) in bins of `bin_ms`: (bin start times, rates).
    ///
    /// # Errors
    /// `bin_ms` not finite or <= 0; more than 10,000,000 bins
    /// ([`NumlabError::AboveLimit`] on `bin`).
    pub fn population_rate(&self, bin_ms: f64) -> Result<(Vec<f64>, Vec<f64>)> {
        check::positive("bin", bin_ms)?;
        const MAX_BINS: f64 = 1e7;
        let bins = (self.duration_ms / bin_ms).ceil();
        if bins > MAX_BINS {
            return Err(NumlabError::above(
                "bin",
                num(bin_ms),
                format!("{} bins", num(MAX_BINS)),
                format!("{} ms in bins of {} ms", num(self.duration_ms), num(bin_ms)),
            ));
        }
        let nb = (bins as usize).max(1);
        let mut c = vec![0.0; nb];
        for &t in &self.times_ms {
            let b = ((t / bin_ms) as usize).min(nb - 1);
            c[b] += 1.0;
        }
        let scale = 1000.0 / bin_ms / self.n_neurons.max(1) as f64;
        Ok((
            (0..nb).map(|b| b as f64 * bin_ms).collect(),
            c.into_iter().map(|x| x * scale).collect(),
        ))
    }
}

/// A built network: connectivity and initial state, ready to run.
#[derive(Debug, Clone)]
pub struct Network {
    cfg: NetworkConfig,
    steps: u64,
    /// CSR by source: targets of source j are targets[ptr[j]..ptr[j+1]], ascending.
    ptr: Vec<usize>,
    targets: Vec<u32>,
    v0: Vec<f64>,
    ge0: Vec<f64>,
    gi0: Vec<f64>,
}

fn standard_normal(r: &mut ChaCha8Rng) -> f64 {
    // Box-Muller, one value per pair of uniforms (simple and exact in law).
    let u1 = 1.0 - r.random::<f64>();
    let u2 = r.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl Network {
    /// Builds the connectivity and the initial state from `cfg.seed`.
    ///
    /// # Errors
    /// Parameters not finite; capacitance, time constants or dt <= 0;
    /// weights or conductances < 0; p_connect outside [0, 1]; duration < 0;
    /// [`NumlabError::AboveLimit`] for more than [`MAX_NEURONS`] neurons,
    /// [`MAX_SYNAPSES`] expected synapses or [`MAX_NEURON_STEPS`] neuron
    /// updates (on `duration`, or on `dt` when the duration would fit at
    /// dt = 0.1 ms), all refused before anything is built.
    pub fn new(cfg: NetworkConfig) -> Result<Self> {
        let p = &cfg.params;
        check::positive("c_pf", p.c_pf)?;
        check::positive("tau_e", p.tau_e)?;
        check::positive("tau_i", p.tau_i)?;
        check::positive("dt", cfg.dt)?;
        for (name, g) in [
            ("g_l", p.g_l),
            ("g_na", p.g_na),
            ("g_kd", p.g_kd),
            ("w_e", p.w_e),
            ("w_i", p.w_i),
            ("refractory", p.refractory),
        ] {
            if !(g.is_finite() && g >= 0.0) {
                return Err(NumlabError::invalid(name, g, "must be finite and >= 0"));
            }
        }
        for (name, e) in [
            ("e_l", p.e_l),
            ("e_k", p.e_k),
            ("e_na", p.e_na),
            ("v_t", p.v_t),
            ("e_e", p.e_e),
            ("e_i", p.e_i),
            ("threshold", p.threshold),
        ] {
            check::finite(name, e)?;
        }
        if !(cfg.p_connect.is_finite() && (0.0..=1.0).contains(&cfg.p_connect)) {
            return Err(NumlabError::invalid(
                "p_connect",
                cfg.p_connect,
                "must be in [0, 1]",
            ));
        }
        if !(cfg.duration.is_finite() && cfg.duration >= 0.0) {
            return Err(NumlabError::invalid(
                "duration",
                cfg.duration,
                "must be finite and >= 0 (ms)",
            ));
        }
        let n64 = cfg.n_exc.saturating_add(cfg.n_inh);
        if n64 > MAX_NEURONS {
            return Err(NumlabError::above(
                "neurons",
                n64,
                format!("{MAX_NEURONS} neurons"),
                "each neuron's state takes about 100 bytes",
            ));
        }
        let n = n64 as usize;
        let k = (cfg.duration / cfg.dt).round();
        let work = k * n.max(1) as f64;
        if work > MAX_NEURON_STEPS {
            let at_usual = cfg.duration / USUAL_DT * n.max(1) as f64;
            let why = format!(
                "{} neurons x {} steps of {} ms = {} neuron updates, at most 1e11 (about 20 minutes of computing)",
                n,
                num(k),
                num(cfg.dt),
                num(work)
            );
            if at_usual > MAX_NEURON_STEPS {
                return Err(NumlabError::above(
                    "duration",
                    num(cfg.duration),
                    format!(
                        "{} ms",
                        num((MAX_NEURON_STEPS / n.max(1) as f64).floor() * cfg.dt)
                    ),
                    why,
                ));
            }
            return Err(NumlabError::above(
                "dt",
                num(cfg.dt),
                format!("a run of {} neuron updates", num(MAX_NEURON_STEPS)),
                why,
            ));
        }
        let expected = n as f64 * n as f64 * cfg.p_connect;
        if expected > MAX_SYNAPSES {
            return Err(NumlabError::above(
                "synapses",
                num(expected.round()),
                format!("{} expected synapses (n^2 p)", num(MAX_SYNAPSES)),
                "each synapse takes 8 bytes",
            ));
        }
        // Connectivity: stream 0; initial state: stream 1.
        let mut rc = ChaCha8Rng::seed_from_u64(cfg.seed);
        rc.set_stream(0);
        let mut ptr = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity((expected * 1.05) as usize + 16);
        ptr.push(0);
        let pc = cfg.p_connect;
        let ln_miss = (-pc).ln_1p();
        for _src in 0..n {
            if pc >= 1.0 {
                targets.extend(0..n as u32);
            } else if pc > 0.0 {
                // Geometric skips between successive targets.
                let mut j: f64 = -1.0;
                loop {
                    let u = 1.0 - rc.random::<f64>();
                    j += 1.0 + (u.ln() / ln_miss).floor();
                    if j >= n as f64 {
                        break;
                    }
                    targets.push(j as u32);
                }
            }
            ptr.push(targets.len());
        }
        let mut ri = ChaCha8Rng::seed_from_u64(cfg.seed);
        ri.set_stream(1);
        let mut v0 = Vec::with_capacity(n);
        let mut ge0 = Vec::with_capacity(n);
        let mut gi0 = Vec::with_capacity(n);
        for _ in 0..n {
            v0.push(p.e_l + standard_normal(&mut ri) * 5.0 - 5.0);
        }
        for _ in 0..n {
            ge0.push((standard_normal(&mut ri) * 1.5 + 4.0) * 10.0);
        }
        for _ in 0..n {
            gi0.push((standard_normal(&mut ri) * 12.0 + 20.0) * 10.0);
        }
        Ok(Network {
            steps: k as u64,
            cfg,
            ptr,
            targets,
            v0,
            ge0,
            gi0,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &NetworkConfig {
        &self.cfg
    }

    /// Number of synapses.
    pub fn synapses(&self) -> usize {
        self.targets.len()
    }

    /// The targets of neuron `j` (ascending); empty for j out of range.
    pub fn targets_of(&self, j: usize) -> &[u32] {
        if j + 1 >= self.ptr.len() {
            return &[];
        }
        &self.targets[self.ptr[j]..self.ptr[j + 1]]
    }

    /// Runs on [`crate::threads::num_threads`] threads.
    ///
    /// # Errors
    /// dt too large (blow-up detected, reported on `dt`).
    pub fn run(&self) -> Result<NetworkRun> {
        self.run_with_threads(crate::threads::num_threads())
    }

    /// Runs on `threads` threads (at least 1; the result does not depend on it).
    ///
    /// # Errors
    /// As [`run`](Self::run).
    pub fn run_with_threads(&self, threads: usize) -> Result<NetworkRun> {
        self.run_observed(threads, &|_, _| {})
    }

    /// [`run`](Self::run), calling `progress(done, steps)` after each time
    /// step (for a progress bar; the result does not depend on it).
    ///
    /// # Errors
    /// As [`run`](Self::run).
    pub fn run_with_progress(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<NetworkRun> {
        self.run_observed(crate::threads::num_threads(), progress)
    }

    fn run_observed(
        &self,
        threads: usize,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<NetworkRun> {
        let n = self.v0.len();
        let parts = threads.clamp(1, n.max(1));
        // Contiguous ranges, multiples of 8 neurons (SIMD lanes).
        let per = n.div_ceil(parts).div_ceil(8) * 8;
        let mut parts: Vec<Part> = crate::threads::map(parts, |t| {
            self.part(((t * per).min(n), ((t + 1) * per).min(n)))
        });
        // The spikes of the last step, part by part (ascending neurons).
        let mut spiked: Vec<Vec<u32>> = vec![Vec::new(); parts.len()];
        let (mut seen, mut full_at, mut failed) = (0u64, None, false);
        // Lock-step through rayon: one parallel pass per step, in which each
        // part takes the last step's spikes into its own targets, then
        // advances its neurons and lists who spiked; the end of the pass is
        // the only synchronisation. Run on one worker of the pool, so that a
        // step costs a join, not a hand-over from outside the pool.
        crate::threads::on_worker(|| {
            for k in 0..self.steps {
                crate::threads::for_each_item(&mut parts, |part| self.step(part, k, &spiked));
                for (part, list) in parts.iter_mut().zip(spiked.iter_mut()) {
                    std::mem::swap(&mut part.out, list);
                    seen += list.len() as u64;
                    failed |= part.bad;
                }
                if failed {
                    break;
                }
                if self.cfg.record && seen > MAX_RECORDED_SPIKES {
                    full_at = Some(k + 1);
                    break;
                }
                progress(k + 1, self.steps);
            }
        });
        if let Some(k) = full_at {
            return Err(NumlabError::above(
                "duration",
                num(self.cfg.duration),
                format!("{MAX_RECORDED_SPIKES} recorded spikes"),
                format!(
                    "the run had recorded more spikes than that by t = {} ms; shorten the duration or do not record the spikes",
                    num(k as f64 * self.cfg.dt)
                ),
            ));
        }
        if failed {
            return Err(super::single::blow_up(self.cfg.dt));
        }
        let spike_count = parts.iter().map(|p| p.share.count).sum();
        let mut all: Vec<(u64, u32)> = parts.into_iter().flat_map(|p| p.share.spikes).collect();
        all.sort_unstable();
        Ok(NetworkRun {
            n_neurons: n,
            duration_ms: self.steps as f64 * self.cfg.dt,
            steps: self.steps,
            spike_count,
            times_ms: all.iter().map(|&(k, _)| k as f64 * self.cfg.dt).collect(),
            neurons: all.iter().map(|&(_, j)| j).collect(),
        })
    }

    /// The neurons `lo..hi` at the start, with their share of every
    /// source's targets.
    fn part(&self, (lo, hi): (usize, usize)) -> Part {
        let p = self.cfg.params;
        let dt = self.cfg.dt;
        let len = hi - lo;
        let mut ptr = Vec::with_capacity(self.ptr.len());
        let mut targets: Vec<u32> = Vec::new();
        ptr.push(0usize);
        for j in 0..self.ptr.len().saturating_sub(1) {
            let row = &self.targets[self.ptr[j]..self.ptr[j + 1]];
            let a = row.partition_point(|&x| (x as usize) < lo);
            let b = row.partition_point(|&x| (x as usize) < hi);
            targets.extend(row[a..b].iter().map(|&x| x - lo as u32));
            ptr.push(targets.len());
        }
        let k_e = (-dt / p.tau_e).exp();
        let k_i = (-dt / p.tau_i).exp();
        Part {
            lo,
            st: Block {
                v: self.v0[lo..hi].to_vec(),
                m: vec![0.0; len],
                h: vec![0.0; len],
                n: vec![0.0; len],
                ge: self.ge0[lo..hi].to_vec(),
                gi: self.gi0[lo..hi].to_vec(),
            },
            last: vec![i64::MIN / 2; len],
            ptr,
            targets,
            consts: Consts::new(&p, dt, k_e, k_i),
            out: Vec::new(),
            bad: false,
            share: Share::default(),
        }
    }

    /// Step `k` of one part: the spikes of step k - 1 (`spiked`, every
    /// part's, in order of neurons) into its own targets, then its neurons'
    /// update and their spikes into `part.out`.
    fn step(&self, part: &mut Part, k: u64, spiked: &[Vec<u32>]) {
        let p = &self.cfg.params;
        let n_exc = self.cfg.n_exc as usize;
        let st = &mut part.st;
        for list in spiked {
            for &j in list {
                let j = j as usize;
                let row = &part.targets[part.ptr[j]..part.ptr[j + 1]];
                if j < n_exc {
                    for &x in row {
                        st.ge[x as usize] += p.w_e;
                    }
                } else {
                    for &x in row {
                        st.gi[x as usize] += p.w_i;
                    }
                }
            }
        }
        update(st, &part.consts);
        let refr = (p.refractory / self.cfg.dt).round() as i64;
        let (thr, lo, record) = (p.threshold, part.lo, self.cfg.record);
        part.out.clear();
        for (i, (&v, last)) in st.v.iter().zip(part.last.iter_mut()).enumerate() {
            // NaN fails this comparison too.
            if v.abs().partial_cmp(&1000.0) != Some(std::cmp::Ordering::Less) {
                part.bad = true;
            }
            if v > thr && k as i64 - *last >= refr {
                *last = k as i64;
                part.out.push((lo + i) as u32);
                part.share.count += 1;
                if record {
                    part.share.spikes.push((k, (lo + i) as u32));
                }
            }
        }
    }
}

/// One part of the network: its neurons, their last spikes, its targets of
/// every source (`targets[ptr[j]..ptr[j + 1]]`, offsets from `lo`), and what
/// its run gives.
struct Part {
    lo: usize,
    st: Block,
    last: Vec<i64>,
    ptr: Vec<usize>,
    targets: Vec<u32>,
    consts: Consts,
    /// Who spiked in the step just taken.
    out: Vec<u32>,
    bad: bool,
    share: Share,
}

/// What one part's run gives: its neurons' spikes (step, neuron) when
/// recorded, and their number.
#[derive(Default)]
struct Share {
    spikes: Vec<(u64, u32)>,
    count: u64,
}

/// A part's neurons, structure of arrays.
struct Block {
    v: Vec<f64>,
    m: Vec<f64>,
    h: Vec<f64>,
    n: Vec<f64>,
    ge: Vec<f64>,
    gi: Vec<f64>,
}

#[derive(Clone, Copy)]
struct Consts {
    dt: f64,
    inv_c: f64,
    g_l: f64,
    gle_l: f64,
    e_e: f64,
    e_i: f64,
    g_na: f64,
    e_na: f64,
    g_kd: f64,
    e_k: f64,
    v_t: f64,
    k_e: f64,
    k_i: f64,
}

impl Consts {
    fn new(p: &CobaParams, dt: f64, k_e: f64, k_i: f64) -> Self {
        Consts {
            dt,
            inv_c: 1.0 / p.c_pf,
            g_l: p.g_l,
            gle_l: p.g_l * p.e_l,
            e_e: p.e_e,
            e_i: p.e_i,
            g_na: p.g_na,
            e_na: p.e_na,
            g_kd: p.g_kd,
            e_k: p.e_k,
            v_t: p.v_t,
            k_e,
            k_i,
        }
    }
}

/// exp on [-700, 700] by plain arithmetic (vectorises); see [`exp1`].
#[inline(always)]
fn fexp(x: f64) -> f64 {
    exp1(x.min(700.0))
}

/// The denominator of y / (e^y - 1) (Brian2's 1/exprel(y)): e^y - 1, or
/// 1 near y = 0 where [`exprel_num`] takes the series instead.
#[inline(always)]
fn exprel_den(y: f64) -> f64 {
    if y.abs() < 1e-5 {
        1.0
    } else {
        fexp(y) - 1.0
    }
}

/// y / (e^y - 1) from `inv_den` = 1 / [`exprel_den`]`(y)`; the series
/// 1 - y/2 + y²/12 near 0 (error below 1e-21 there).
#[inline(always)]
fn exprel_num(y: f64, inv_den: f64) -> f64 {
    if y.abs() < 1e-5 {
        1.0 - 0.5 * y + y * y / 12.0
    } else {
        y * inv_den
    }
}

/// Exponential Euler for one neuron (all variables from the old values).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn neuron_step(
    c: &Consts,
    v: &mut f64,
    m: &mut f64,
    h: &mut f64,
    n: &mut f64,
    ge: &mut f64,
    gi: &mut f64,
) {
    let (vv, mm, hh, nn, gge, ggi) = (*v, *m, *h, *n, *ge, *gi);
    let u = vv - c.v_t;
    // The three y/(e^y - 1) and 4/(1 + e^y) share one division: with
    // r = 1/(d1 d2 d3 d4), 1/d1 = d2 d3 d4 r and so on (every d is >= 1e-5
    // in magnitude and below e^40 for |v| < 1000 mV, so no overflow).
    let y_am = (13.0 - u) * 0.25;
    let y_bm = (u - 40.0) * 0.2;
    let y_an = (15.0 - u) * 0.2;
    let d_am = exprel_den(y_am);
    let d_bm = exprel_den(y_bm);
    let d_an = exprel_den(y_an);
    let d_bh = 1.0 + fexp((40.0 - u) * 0.2);
    let p12 = d_am * d_bm;
    let p34 = d_an * d_bh;
    let r = 1.0 / (p12 * p34);
    let a_m = 1.28 * exprel_num(y_am, d_bm * p34 * r);
    let b_m = 1.4 * exprel_num(y_bm, d_am * p34 * r);
    let a_n = 0.16 * exprel_num(y_an, d_bh * p12 * r);
    let b_h = 4.0 * (d_an * p12 * r);
    let a_h = 0.128 * fexp((17.0 - u) * (1.0 / 18.0));
    let b_n = 0.5 * fexp((10.0 - u) * 0.025);
    // The gates' 1/(α+β) share one division too.
    let s_m = a_m + b_m;
    let s_h = a_h + b_h;
    let s_n = a_n + b_n;
    let q = 1.0 / (s_m * s_h * s_n);
    let gate = |x: f64, a: f64, s: f64, inv_s: f64| {
        let inf = a * inv_s;
        inf + (x - inf) * fexp(-c.dt * s)
    };
    let gna = c.g_na * mm * mm * mm * hh;
    let gk = c.g_kd * nn * nn * nn * nn;
    let g = c.g_l + gge + ggi + gna + gk;
    let vinf = (c.gle_l + gge * c.e_e + ggi * c.e_i + gna * c.e_na + gk * c.e_k) / g;
    *v = vinf + (vv - vinf) * fexp(-c.dt * g * c.inv_c);
    *m = gate(mm, a_m, s_m, s_h * s_n * q);
    *h = gate(hh, a_h, s_h, s_m * s_n * q);
    *n = gate(nn, a_n, s_n, s_m * s_h * q);
    *ge = gge * c.k_e;
    *gi = ggi * c.k_i;
}

#[inline(always)]
fn update_generic<S: crate::simd::Simd>(_: S, b: &mut Block, c: &Consts) {
    let len = b.v.len();
    let (v, m, h, n) = (
        &mut b.v[..len],
        &mut b.m[..len],
        &mut b.h[..len],
        &mut b.n[..len],
    );
    let (ge, gi) = (&mut b.ge[..len], &mut b.gi[..len]);
    for i in 0..len {
        neuron_step(
            c, &mut v[i], &mut m[i], &mut h[i], &mut n[i], &mut ge[i], &mut gi[i],
        );
    }
}

/// The same operations as `update_generic`, in the same order (no fused
/// multiply-adds: Rust never contracts), on the path's lanes: the same bits.
fn update(b: &mut Block, c: &Consts) {
    update_on(crate::simd::isa(), b, c);
}

crate::simd::dispatch!(fn update_on(b: &mut Block, c: &Consts) => update_generic);
