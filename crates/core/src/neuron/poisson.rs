//! Poisson input: per-step transmitted-pulse counts drawn from their exact
//! binomial distribution, and per-source spike trains for rasters.
//!
//! A source fires in a step of length dt (ms) with probability
//! q = rate · dt / 1000 (rate in Hz; the questioner's Bernoulli-per-step
//! model), and each spike is transmitted with probability p. The sources are
//! independent, so the number of transmitted pulses of N sources in a step is
//! exactly Binomial(N, q·p): one draw per step replaces a scan of every
//! source, and the cost does not grow with N.

use rand::Rng;

use crate::error::{check, num, NumlabError, Result};

/// The most Poisson sources of one kind (excitatory or inhibitory) a drive
/// may have: 10,000,000. A cortical neuron receives 1e3 to 1e5 synapses; the
/// pulse table of [`Binomial`] grows as the square root of the count, and a
/// count beyond the limit only drives the membrane out of its range.
pub const MAX_SOURCES: u64 = 10_000_000;

/// The largest jump one pulse may make, in mV: the model's range, |V| <=
/// [`super::single::BLOW_UP_MV`]. An inhibitory pulse jumps `k_inh` times
/// as far, so `|weight_mv| · max(1, k_inh)` must stay within it.
pub const MAX_PULSE_MV: f64 = 1000.0;

/// The most spikes [`source_trains`] draws (expected `n_sources · q ·
/// steps`): 20,000,000, 16 bytes each (320 MB).
pub const MAX_TRAIN_SPIKES: u64 = 20_000_000;

/// The most entries the table of a [`Binomial`] may hold: 2^22 (64 MiB of
/// probabilities and cumulative sums). The table spans about ±8.9 standard
/// deviations, so n·p·(1 - p) must stay below about 5.6e10.
pub const MAX_BINOMIAL_TABLE: usize = 1 << 22;

/// Binomial(n, p) by inversion of a precomputed table of its CDF.
///
/// The pmf is built outward from the mode by the exact ratios
/// pmf(k+1)/pmf(k) = (n-k)/(k+1) · p/(1-p), cut where it falls below 1e-17
/// of the mode's value (the tail left out has mass below 1e-15), and
/// normalised. A draw is one uniform and a search of the table: O(1) for the
/// small means of synaptic input (mean 0.2 for 4,000 sources at 10 Hz,
/// dt = 0.01 ms, p = 0.5), O(log) for large means; never a normal
/// approximation.
#[derive(Debug, Clone, PartialEq)]
pub struct Binomial {
    n: u64,
    p: f64,
    /// The smallest value in the table.
    lo: u64,
    /// cdf[i] = P(X <= lo + i); the last entry is exactly 1.
    cdf: Vec<f64>,
}

impl Binomial {
    /// Binomial(n, p).
    ///
    /// # Errors
    /// `p` outside [0, 1] or not finite; a table beyond
    /// [`MAX_BINOMIAL_TABLE`] entries (n·p·(1 - p) above about 5.6e10),
    /// [`NumlabError::AboveLimit`] on `n`, refused before it is built.
    pub fn new(n: u64, p: f64) -> Result<Self> {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(NumlabError::invalid("p", p, "must be in [0, 1]"));
        }
        // The table runs from the mode to where the pmf falls below 1e-17 of
        // it, about z = sqrt(2 ln 1e17) = 8.85 standard deviations each way
        // (fewer on the short side of a skewed law): refuse what would not fit.
        let var = n as f64 * p * (1.0 - p);
        let span = 2.0 * 8.9 * var.sqrt() + 64.0;
        if span > MAX_BINOMIAL_TABLE as f64 {
            let max_var = ((MAX_BINOMIAL_TABLE as f64 - 64.0) / 17.8).powi(2);
            return Err(NumlabError::above(
                "n",
                n,
                format!("{} trials at p = {}", num((max_var / (p * (1.0 - p))).floor()), num(p)),
                format!(
                    "the table of Binomial(n, p) spans ±8.9 standard deviations, about {} entries here; at most {MAX_BINOMIAL_TABLE}",
                    num(span.round())
                ),
            ));
        }
        if n == 0 || p == 0.0 {
            return Ok(Binomial {
                n,
                p,
                lo: 0,
                cdf: vec![1.0],
            });
        }
        if p == 1.0 {
            return Ok(Binomial {
                n,
                p,
                lo: n,
                cdf: vec![1.0],
            });
        }
        let nf = n as f64;
        let odds = p / (1.0 - p);
        let mode = (((nf + 1.0) * p).floor() as u64).min(n);
        const CUT: f64 = 1e-17;
        let mut up = Vec::new();
        let mut w = 1.0;
        let mut k = mode;
        while k < n {
            w *= (nf - k as f64) / (k as f64 + 1.0) * odds;
            k += 1;
            if w < CUT {
                break;
            }
            up.push(w);
        }
        let mut down = Vec::new();
        let mut w = 1.0;
        let mut k = mode;
        while k > 0 {
            w *= k as f64 / (nf - k as f64 + 1.0) / odds;
            k -= 1;
            if w < CUT {
                break;
            }
            down.push(w);
        }
        let lo = mode - down.len() as u64;
        let mut pmf: Vec<f64> = down.into_iter().rev().collect();
        pmf.push(1.0);
        pmf.extend(up);
        let total: f64 = pmf.iter().sum();
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = pmf
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        if let Some(last) = cdf.last_mut() {
            *last = 1.0;
        }
        Ok(Binomial { n, p, lo, cdf })
    }

    /// n.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// p.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// The probability of `k` as held in the table (0 outside it).
    pub fn pmf(&self, k: u64) -> f64 {
        if k < self.lo {
            return 0.0;
        }
        let i = (k - self.lo) as usize;
        match i {
            0 => self.cdf[0],
            _ if i < self.cdf.len() => self.cdf[i] - self.cdf[i - 1],
            _ => 0.0,
        }
    }

    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        if self.cdf.len() == 1 {
            return self.lo;
        }
        let u: f64 = rng.random();
        let i = if self.cdf.len() <= 16 {
            let mut i = 0;
            while i + 1 < self.cdf.len() && u >= self.cdf[i] {
                i += 1;
            }
            i
        } else {
            self.cdf
                .partition_point(|&c| c <= u)
                .min(self.cdf.len() - 1)
        };
        self.lo + i as u64
    }
}

/// The Poisson drive of one neuron: N_e excitatory and N_i inhibitory
/// sources at `rate_hz`, each spike transmitted with probability `p`; a
/// transmitted excitatory pulse makes V jump by `weight_mv` (mV), an
/// inhibitory one by `-k_inh · weight_mv`.
///
/// The questioner's code adds C_m·G_ex·(pulses) to C dV/dt for one step of
/// forward Euler, so their jump was G_ex · dt = 0.01 mV at dt = 0.01 ms (a
/// delta pulse evaluated as 1 instead of 1/dt): it shrinks with dt. Here a
/// pulse is an instantaneous jump of `weight_mv`, the same at every dt; the
/// questioner's literal drive is `weight_mv = G_ex · dt`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PoissonInput {
    /// Excitatory sources N_e.
    pub n_exc: u64,
    /// Inhibitory sources N_i.
    pub n_inh: u64,
    /// Firing rate of every source (Hz).
    pub rate_hz: f64,
    /// Transmission probability p of each spike.
    pub p: f64,
    /// Voltage jump of one excitatory pulse (mV), the questioner's G_ex.
    pub weight_mv: f64,
    /// Inhibitory pulses weigh `k_inh` times as much, with the opposite sign (their K).
    pub k_inh: f64,
}

impl Default for PoissonInput {
    /// The questioner's drive: 80 + 20 sources at 10 Hz, p = 0.5, G_ex = 1 mV, K = 4.
    fn default() -> Self {
        PoissonInput {
            n_exc: 80,
            n_inh: 20,
            rate_hz: 10.0,
            p: 0.5,
            weight_mv: 1.0,
            k_inh: 4.0,
        }
    }
}

impl PoissonInput {
    /// A checked drive from signed counts (as a command line gives them).
    ///
    /// # Errors
    /// Negative counts (`excitatory`, `inhibitory`), rate negative or not
    /// finite, p outside [0, 1], weight or k_inh not finite, k_inh < 0;
    /// [`NumlabError::AboveLimit`] for more than [`MAX_SOURCES`] sources of a
    /// kind or a pulse beyond [`MAX_PULSE_MV`] (`|weight| · max(1, k_inh)`).
    pub fn new(
        n_exc: i64,
        n_inh: i64,
        rate_hz: f64,
        p: f64,
        weight_mv: f64,
        k_inh: f64,
    ) -> Result<Self> {
        for (name, n) in [("excitatory", n_exc), ("inhibitory", n_inh)] {
            if n < 0 {
                return Err(NumlabError::invalid(name, n as f64, "must be a count >= 0"));
            }
        }
        let s = PoissonInput {
            n_exc: n_exc as u64,
            n_inh: n_inh as u64,
            rate_hz,
            p,
            weight_mv,
            k_inh,
        };
        s.validate()?;
        Ok(s)
    }

    /// Checks the fields.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn validate(&self) -> Result<()> {
        if !(self.rate_hz.is_finite() && self.rate_hz >= 0.0) {
            return Err(NumlabError::invalid(
                "rate",
                self.rate_hz,
                "must be finite and >= 0 (Hz)",
            ));
        }
        if !(self.p.is_finite() && (0.0..=1.0).contains(&self.p)) {
            return Err(NumlabError::invalid("p", self.p, "must be in [0, 1]"));
        }
        check::finite("weight", self.weight_mv)?;
        if !(self.k_inh.is_finite() && self.k_inh >= 0.0) {
            return Err(NumlabError::invalid(
                "k_inh",
                self.k_inh,
                "must be finite and >= 0",
            ));
        }
        for (name, n) in [("excitatory", self.n_exc), ("inhibitory", self.n_inh)] {
            if n > MAX_SOURCES {
                return Err(NumlabError::above(
                    name,
                    n,
                    format!("{MAX_SOURCES} sources"),
                    "a neuron receives 1e3 to 1e5 synapses; the per-step pulse table grows with the count",
                ));
            }
        }
        let k = self.k_inh.max(1.0);
        if self.weight_mv.abs() * k > MAX_PULSE_MV {
            return Err(NumlabError::above(
                "weight",
                num(self.weight_mv),
                format!("{} mV", num(MAX_PULSE_MV / k)),
                format!(
                    "one pulse moves V by the weight, an inhibitory one by {} x the weight, and V must stay within the model's ±{} mV",
                    num(self.k_inh),
                    num(MAX_PULSE_MV)
                ),
            ));
        }
        Ok(())
    }

    /// The probability q = rate · dt / 1000 that a source fires in a step of `dt` ms.
    ///
    /// # Errors
    /// q > 1 (rate · dt too large for one spike per step), reported on `dt`.
    pub fn step_probability(&self, dt: f64) -> Result<f64> {
        let q = self.rate_hz * dt / 1000.0;
        if q > 1.0 {
            return Err(NumlabError::invalid(
                "dt",
                dt,
                "too large for the input rate: rate * dt / 1000 must be <= 1 (one spike per source and step)",
            ));
        }
        Ok(q)
    }

    /// The per-step samplers of transmitted excitatory and inhibitory pulses.
    ///
    /// # Errors
    /// As [`step_probability`](Self::step_probability).
    pub fn samplers(&self, dt: f64) -> Result<(Binomial, Binomial)> {
        self.validate()?;
        let qp = self.step_probability(dt)? * self.p;
        Ok((
            Binomial::new(self.n_exc, qp)?,
            Binomial::new(self.n_inh, qp)?,
        ))
    }
}

/// One spike of a source train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SourceSpike {
    /// The step it falls in (time = step · dt, ms).
    pub step: u32,
    /// The source index (0-based).
    pub source: u32,
    /// Whether it was transmitted (probability p).
    pub transmitted: bool,
}

/// The spike trains of `n_sources` independent sources over `steps` steps:
/// each fires in a step with probability `q`, each spike transmitted with
/// probability `p`. Gaps between a source's spikes are drawn as geometric
/// variables (the exact law of the Bernoulli-per-step model), so the cost is
/// O(spikes), not O(sources × steps). Sorted by (step, source).
///
/// # Errors
/// `q` or `p` outside [0, 1]; more than u32::MAX sources or steps; more than
/// [`MAX_TRAIN_SPIKES`] spikes expected (`n_sources · q · steps`,
/// [`NumlabError::AboveLimit`] on `steps`), refused before any is drawn.
pub fn source_trains<R: Rng + ?Sized>(
    n_sources: u64,
    q: f64,
    p: f64,
    steps: u64,
    rng: &mut R,
) -> Result<Vec<SourceSpike>> {
    if !(q.is_finite() && (0.0..=1.0).contains(&q)) {
        return Err(NumlabError::invalid("q", q, "must be in [0, 1]"));
    }
    if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
        return Err(NumlabError::invalid("p", p, "must be in [0, 1]"));
    }
    for (name, v) in [("sources", n_sources), ("steps", steps)] {
        if v > u32::MAX as u64 {
            return Err(NumlabError::TooLarge {
                name,
                value: v as usize,
                available: u32::MAX as usize,
                what: "indices are 32-bit",
            });
        }
    }
    let expected = n_sources as f64 * q * steps as f64;
    if expected > MAX_TRAIN_SPIKES as f64 {
        return Err(NumlabError::above(
            "steps",
            steps,
            format!(
                "{} steps for {n_sources} sources at q = {}",
                num((MAX_TRAIN_SPIKES as f64 / (n_sources as f64 * q)).floor()),
                num(q)
            ),
            format!(
                "about {} spikes expected, 16 bytes each; at most {MAX_TRAIN_SPIKES}",
                num(expected.round())
            ),
        ));
    }
    let mut out = Vec::new();
    if q == 0.0 {
        return Ok(out);
    }
    let ln_miss = (-q).ln_1p();
    for src in 0..n_sources {
        // The first spike falls in step g - 1, g ~ Geometric(q) on 1, 2, ...
        let mut step: u64 = 0;
        loop {
            let gap = if q == 1.0 {
                1
            } else {
                // u in (0, 1]: floor(ln u / ln(1-q)) is Geometric(q) - 1.
                let u = 1.0 - rng.random::<f64>();
                let g = (u.ln() / ln_miss).floor();
                if g >= (steps + 1) as f64 {
                    break;
                }
                g as u64 + 1
            };
            step += gap;
            if step > steps {
                break;
            }
            let transmitted = p == 1.0 || (p > 0.0 && rng.random::<f64>() < p);
            out.push(SourceSpike {
                step: (step - 1) as u32,
                source: src as u32,
                transmitted,
            });
        }
    }
    out.sort_unstable_by_key(|s| (s.step, s.source));
    Ok(out)
}

/// Transmitted pulses per step (length `steps`) of a sorted train list.
pub fn counts_per_step(trains: &[SourceSpike], steps: usize) -> Vec<u32> {
    let mut c = vec![0u32; steps];
    for s in trains {
        if s.transmitted && (s.step as usize) < steps {
            c[s.step as usize] += 1;
        }
    }
    c
}
