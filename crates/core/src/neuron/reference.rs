//! The questioner's approach, ported: the slow baseline the fast path is
//! measured against.
//!
//! Their code draws every source's spikes for the whole run up front (one
//! uniform per source and step), keeps them in one list, and at every step
//! scans the whole list twice (excitatory and inhibitory part) for spikes at
//! the current time, drawing a transmission flag for every listed spike of
//! that kind when one matches. The cost per step grows with the number of
//! spikes in the run, so the run is O(steps × sources × rate × duration).
//! Forward Euler, as theirs; the pulse is applied as a jump of `weight_mv`
//! (see [`PoissonInput`](super::PoissonInput) for their dt-dependent jump).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::State;
use super::single::{blow_up, blown, step, Config, Method, Run};
use crate::error::Result;

/// Runs `cfg` the questioner's way (forward Euler whatever `cfg.method`
/// says; traces recorded). Same law of the input as [`super::simulate`],
/// different random stream.
///
/// # Errors
/// As [`super::simulate`].
pub fn questioner_run(cfg: &Config) -> Result<Run> {
    let steps = cfg.validate()?;
    let p = cfg.params;
    let dt = cfg.dt;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    // Their poisson_spikes: (source id, step) for every source and step.
    let mut ids: Vec<u64> = Vec::new();
    let mut at: Vec<u64> = Vec::new();
    let (n_exc, p_tx, w_e, w_i) = match &cfg.input {
        Some(inp) => {
            let q = inp.step_probability(dt)?;
            for src in 0..inp.n_exc + inp.n_inh {
                for k in 0..steps {
                    if rng.random::<f64>() < q {
                        ids.push(src);
                        at.push(k);
                    }
                }
            }
            (inp.n_exc, inp.p, inp.weight_mv, -inp.k_inh * inp.weight_mv)
        }
        None => (0, 0.0, 0.0, 0.0),
    };
    let mut s: State = match cfg.start {
        Some(s) => s,
        None => p.resting_state(0.0)?,
    };
    let mut run = Run {
        dt,
        steps,
        v: vec![s.v],
        m: vec![s.m],
        h: vec![s.h],
        n: vec![s.n],
        spikes_ms: Vec::new(),
        raster: Vec::new(),
        pulses_exc: 0,
        pulses_inh: 0,
    };
    for k in 0..steps {
        // Their I_syn(spks, t): scan the excitatory spikes, then the inhibitory.
        let mut ne = 0u64;
        let mut ni = 0u64;
        for (inhibitory, w_count) in [(false, &mut ne), (true, &mut ni)] {
            // Their `delta == t` over the whole list, then `sum(delta) > 0`.
            let mut any = false;
            for (&id, &kk) in ids.iter().zip(&at) {
                if (id >= n_exc) == inhibitory {
                    any |= kk == k;
                }
            }
            if any {
                // One transmission flag per listed spike of this kind.
                for (&id, &kk) in ids.iter().zip(&at) {
                    if (id >= n_exc) == inhibitory {
                        let h = rng.random::<f64>() < p_tx;
                        if h && kk == k {
                            *w_count += 1;
                        }
                    }
                }
            }
        }
        let prev = s.v;
        s = step(&p, &s, cfg.current, dt, Method::Euler);
        s.v += w_e * ne as f64 + w_i * ni as f64;
        run.pulses_exc += ne;
        run.pulses_inh += ni;
        if blown(&s) {
            return Err(blow_up(dt));
        }
        if prev < cfg.threshold && s.v >= cfg.threshold {
            run.spikes_ms
                .push(dt * (k as f64 + (cfg.threshold - prev) / (s.v - prev)));
        }
        run.v.push(s.v);
        run.m.push(s.m);
        run.h.push(s.h);
        run.n.push(s.n);
    }
    Ok(run)
}
