//! Spike detection and firing statistics.

use crate::error::{check, Result};

/// Times (ms) of the upward crossings of `threshold` (mV) by the sampled
/// trace `v` (mV) at t_i = t0 + i·dt: where `v[i-1] < threshold <= v[i]`, the
/// crossing time is interpolated linearly within the step.
pub fn upward_crossings(v: &[f64], t0: f64, dt: f64, threshold: f64) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 1..v.len() {
        let (a, b) = (v[i - 1], v[i]);
        if a < threshold && b >= threshold {
            out.push(t0 + dt * ((i - 1) as f64 + (threshold - a) / (b - a)));
        }
    }
    out
}

/// Firing statistics of a spike train.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SpikeStats {
    /// Number of spikes.
    pub count: usize,
    /// count / duration (Hz).
    pub rate_hz: f64,
    /// Mean interspike interval (ms); NaN with fewer than 2 spikes.
    pub mean_isi_ms: f64,
    /// Standard deviation of the intervals (ms, population); NaN with fewer than 2 spikes.
    pub sd_isi_ms: f64,
    /// Coefficient of variation sd/mean of the intervals; NaN with fewer than 2 spikes.
    pub cv_isi: f64,
}

impl SpikeStats {
    /// Statistics of `spikes_ms` observed over `duration_ms`.
    ///
    /// # Errors
    /// `duration_ms` not finite or <= 0.
    pub fn new(spikes_ms: &[f64], duration_ms: f64) -> Result<Self> {
        check::positive("duration", duration_ms)?;
        let count = spikes_ms.len();
        let isi: Vec<f64> = spikes_ms.windows(2).map(|w| w[1] - w[0]).collect();
        let (mean, sd) = if isi.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            let m = isi.iter().sum::<f64>() / isi.len() as f64;
            let var = isi.iter().map(|d| (d - m) * (d - m)).sum::<f64>() / isi.len() as f64;
            (m, var.sqrt())
        };
        Ok(SpikeStats {
            count,
            rate_hz: count as f64 / (duration_ms / 1000.0),
            mean_isi_ms: mean,
            sd_isi_ms: sd,
            cv_isi: sd / mean,
        })
    }
}
