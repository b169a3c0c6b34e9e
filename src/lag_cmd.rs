//! `numlab lag` (study 04): the delay between two recordings.

use clap::Args;
use numlab_core::spectrum::Window;
use numlab_core::xcorr::{DelayEstimator, Subsample, Weighting};
use numlab_core::NumlabError;

use crate::output::print;
use crate::spectrum_cmd::{read_signal, signal};

#[derive(Args)]
pub struct LagArgs {
    /// Recording a (CSV: header row allowed; the signal is --column, by default the only column or else column 1). Or a NumPy .npy file (float64 or float32, shape (n,) or (n, k); columns by index).
    a: String,
    /// Recording b, sampled at the same rate.
    b: String,
    /// Sampling rate of both recordings, Hz: the sample period 1/rate and the
    /// longest delay (samples - 1)/rate s must be normal, finite numbers.
    /// Amplitudes of any size (1e-300 to 1e300) give the same delay.
    #[arg(long, value_name = "HZ", allow_hyphen_values = true)]
    rate: f64,
    /// The first row is a header even if a name looks like a number (without this, a first row of text is a header and one that mixes numbers and text is an error).
    #[arg(long)]
    header: bool,
    /// The signal column in both files, by name or 0-based index.
    #[arg(long, value_name = "COL")]
    column: Option<String>,
    /// Search only delays up to this many seconds either way (default: every lag where the recordings overlap).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    max_lag: Option<f64>,
    /// cc (plain cross-correlation) or phat (GCC-PHAT: for signals dominated by tones or hum).
    #[arg(long, default_value = "cc", value_name = "cc|phat")]
    method: String,
    /// Window applied to both after the mean is removed: rectangular (default), hann, hamming, blackman, flattop.
    #[arg(long, default_value = "rectangular", value_name = "NAME")]
    window: String,
    /// Band-pass before correlating, as LOW,HIGH in Hz (FFT mask).
    #[arg(long, value_name = "LOW,HIGH", allow_hyphen_values = true)]
    band: Option<String>,
    /// Refinement below one sample: none, parabolic (default) or accurate (band-limited interpolation of the correlation).
    #[arg(
        long,
        default_value = "parabolic",
        value_name = "none|parabolic|accurate"
    )]
    subsample: String,
    /// JSON {"delay_s", "delay_samples", "leader", "coefficient", ...} instead of the sentence.
    #[arg(long)]
    json: bool,
}

fn flag(e: NumlabError) -> String {
    let name = match &e {
        NumlabError::InvalidParameter { name, .. } | NumlabError::OutOfRange { name, .. } => {
            Some(*name)
        }
        _ => None,
    };
    match name {
        Some("rate") => e.for_option("--rate"),
        Some("max_lag") => e.for_option("--max-lag"),
        Some("low") | Some("high") => e.for_option("--band"),
        _ => e.to_string(),
    }
}

pub fn run(a: LagArgs) -> Result<(), String> {
    let weighting: Weighting = a
        .method
        .parse()
        .map_err(|e: NumlabError| format!("--method: {e}"))?;
    let window: Window = a
        .window
        .parse()
        .map_err(|e: NumlabError| format!("--window: {e}"))?;
    let subsample: Subsample = a
        .subsample
        .parse()
        .map_err(|e: NumlabError| format!("--subsample: {e}"))?;
    let mut est = DelayEstimator::new(a.rate)
        .map_err(flag)?
        .with_weighting(weighting)
        .with_window(window)
        .with_subsample(subsample);
    if let Some(s) = a.max_lag {
        est = est.with_max_lag(s).map_err(flag)?;
    }
    if let Some(band) = &a.band {
        let parts: Vec<&str> = band.split(',').map(str::trim).collect();
        let parse = |s: &str| s.parse::<f64>().ok();
        let (low, high) = match parts.as_slice() {
            [l, h] => match (parse(l), parse(h)) {
                (Some(l), Some(h)) => (l, h),
                _ => {
                    return Err(format!(
                        "--band: '{band}' is not LOW,HIGH in Hz (e.g. 100,4000)"
                    ))
                }
            },
            _ => {
                return Err(format!(
                    "--band: '{band}' is not LOW,HIGH in Hz (e.g. 100,4000)"
                ))
            }
        };
        est = est.with_band(low, high).map_err(flag)?;
    }
    let ta = read_signal(&a.a, a.header, a.column.as_deref())?;
    let tb = read_signal(&a.b, a.header, a.column.as_deref())?;
    let (xa, what_a) = signal(&ta, a.column.as_deref())?;
    let (xb, what_b) = signal(&tb, a.column.as_deref())?;
    let spinner = crate::progress::Spinner::new("lag: correlating");
    let d = est.estimate(xa, xb);
    drop(spinner);
    let d = d.map_err(|e| {
        // Name the file a signal-level error is about.
        let text = flag(e.clone());
        match &e {
            NumlabError::TooShort { name: "a", .. }
            | NumlabError::NonFinite { name: "a", .. }
            | NumlabError::Constant { name: "a", .. } => format!("{what_a}: {text}"),
            NumlabError::TooShort { name: "b", .. }
            | NumlabError::NonFinite { name: "b", .. }
            | NumlabError::Constant { name: "b", .. } => format!("{what_b}: {text}"),
            _ => text,
        }
    })?;
    let text = if a.json {
        let mut t = serde_json::to_string(&d).map_err(|e| e.to_string())?;
        t.push('\n');
        t
    } else {
        let line = d.to_string();
        let mut t = format!(
            "{line}\ncoefficient {:.4} (Pearson of the aligned overlap), confidence {:.3} (peak margin over the next highest)\n",
            d.coefficient, d.confidence
        );
        if d.at_search_edge {
            t.push_str("note: the peak is at the edge of --max-lag; the delay may lie beyond it\n");
        }
        t
    };
    print(text.as_bytes())
}
