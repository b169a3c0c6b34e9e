//! `numlab spectrum` and `numlab lowpass` (study 02).

use std::path::PathBuf;

use clap::Args;
use numlab_core::spectrum::{RealDft, Sides, SpectrumOptions, Window};

use crate::output::{check_output, emit};
use crate::table::{is_npy, npy_table_bytes, push_float, table_bytes, Columns, Header};

#[derive(Args)]
pub struct SpectrumArgs {
    /// CSV file: header row allowed; the signal is --column, by default the only column or else column 1 (column 0 being time). Or a NumPy .npy file (float64 or float32, shape (n,) or (n, k); columns by index).
    input: String,
    /// The signal column, by name or 0-based index.
    #[arg(long, value_name = "COL")]
    column: Option<String>,
    /// The first row is a header even if a name looks like a number (without this, a first row of text is a header and one that mixes numbers and text is an error).
    #[arg(long)]
    header: bool,
    /// Sample spacing in seconds: 1/dt and the frequency step 1/(N dt) must be
    /// normal, finite numbers (dt at least 5.6e-309 s, and e.g. at most 4.4e304 s
    /// for 1000 samples).
    #[arg(
        long,
        value_name = "DT",
        allow_hyphen_values = true,
        required_unless_present = "rate",
        conflicts_with = "rate"
    )]
    dt: Option<f64>,
    /// Sampling rate in Hz (dt = 1 / rate), with the same bounds as --dt.
    #[arg(long, value_name = "HZ", allow_hyphen_values = true)]
    rate: Option<f64>,
    /// rectangular (default), hann, hamming, blackman, flattop; amplitudes are corrected by the window's coherent gain.
    #[arg(long, default_value = "rectangular", value_name = "NAME")]
    window: String,
    /// one (f = 0..fs/2: 2|X_k|/N, DC and Nyquist |X_k|/N) or two (every fftfreq bin, NumPy order: |X_k|/N).
    #[arg(long, default_value = "one", value_name = "one|two")]
    sides: String,
    /// Write here instead of stdout: CSV frequency,amplitude,phase (or JSON
    /// with --json), or, for a name ending in .npy, a float64 array of shape
    /// (bins, 3) with those columns.
    #[arg(long, value_name = "OUT.csv|OUT.npy")]
    output: Option<PathBuf>,
    /// JSON (frequency, amplitude, phase arrays and the convention) instead of CSV.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct LowpassArgs {
    /// CSV file: header row allowed; the signal is --column, by default the only column or else column 1 (column 0 being time). Or a NumPy .npy file (float64 or float32, shape (n,) or (n, k); columns by index).
    input: String,
    /// Keep the K largest |X_k| of the one-sided DFT (K <= N/2 + 1; each a frequency pair ±f, DC and Nyquist single).
    #[arg(
        long,
        value_name = "K",
        allow_hyphen_values = true,
        conflicts_with = "threshold",
        required_unless_present = "threshold"
    )]
    keep: Option<usize>,
    /// Keep the coefficients with |X_k| >= T (|X_k| as numpy.fft.rfft returns it: signal units × samples).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// The signal column, by name or 0-based index.
    #[arg(long, value_name = "COL")]
    column: Option<String>,
    /// The first row is a header even if a name looks like a number (without this, a first row of text is a header and one that mixes numbers and text is an error).
    #[arg(long)]
    header: bool,
    /// Write the result here instead of stdout: CSV index,original,rebuilt,
    /// or, for a name ending in .npy, a float64 array of shape (n, 3) with
    /// those columns.
    #[arg(long, value_name = "OUT.csv|OUT.npy")]
    output: Option<PathBuf>,
}

/// The signal column (--column, else the only column, else column 1) and a
/// prefix naming it for messages.
pub(crate) fn signal<'a>(
    table: &'a Columns,
    column: Option<&str>,
) -> Result<(&'a [f64], String), String> {
    let key = match column {
        Some(c) => c,
        None if table.values.len() == 1 => "0",
        None => "1",
    };
    let values = table.column(key, "--column")?;
    let name = table
        .names
        .iter()
        .position(|n| n == key)
        .or_else(|| key.parse::<usize>().ok())
        .and_then(|k| table.names.get(k))
        .map_or(key, String::as_str);
    Ok((values, format!("{}, column '{name}'", table.path)))
}

/// Reads a signal file, converting only the column that [`signal`] picks.
pub(crate) fn read_signal(
    path: &str,
    header: bool,
    column: Option<&str>,
) -> Result<Columns, String> {
    let keys = |width: usize| {
        vec![match column {
            Some(c) => c.to_string(),
            None if width == 1 => "0".to_string(),
            None => "1".to_string(),
        }]
    };
    Columns::read_keys(path, Header::from_flag(header), &keys)
}

pub fn spectrum(a: SpectrumArgs) -> Result<(), String> {
    check_output(a.output.as_ref())?;
    let window: Window = a
        .window
        .parse()
        .map_err(|e: numlab_core::NumlabError| format!("--window: {e}"))?;
    let sides: Sides = a
        .sides
        .parse()
        .map_err(|e: numlab_core::NumlabError| format!("--sides: {e}"))?;
    let options = match (a.dt, a.rate) {
        (Some(dt), _) => SpectrumOptions::new(dt).map_err(|e| e.for_option("--dt"))?,
        (None, Some(rate)) => {
            SpectrumOptions::from_rate(rate).map_err(|e| e.for_option("--rate"))?
        }
        (None, None) => return Err("give the sampling as --dt DT (seconds) or --rate HZ".into()),
    };
    if a.json && a.output.as_ref().is_some_and(|p| is_npy(p)) {
        return Err(
            "--json writes JSON text, not an .npy array: drop --json or name the output .json"
                .into(),
        );
    }
    let table = read_signal(&a.input, a.header, a.column.as_deref())?;
    let (x, what) = signal(&table, a.column.as_deref())?;
    let s = options
        .with_window(window)
        .with_sides(sides)
        .compute(x)
        .map_err(|e| match e.parameter() {
            Some("dt") => e.for_option("--dt"),
            Some("rate") => e.for_option("--rate"),
            _ => format!("{what}: {e}"),
        })?;
    let text = if a.json {
        let mut t = serde_json::to_string(&s).map_err(|e| e.to_string())?;
        t.push('\n');
        t.into_bytes()
    } else {
        table_bytes(
            a.output.as_ref(),
            &["frequency", "amplitude", "phase"],
            &[&s.frequency, &s.amplitude, &s.phase],
        )
    };
    emit(a.output.as_ref(), &text)
}

pub fn lowpass(a: LowpassArgs) -> Result<(), String> {
    check_output(a.output.as_ref())?;
    let table = read_signal(&a.input, a.header, a.column.as_deref())?;
    let (x, what) = signal(&table, a.column.as_deref())?;
    // The sample spacing does not change the rebuilt samples.
    let dft = RealDft::new(x, 1.0).map_err(|e| format!("{what}: {e}"))?;
    let low = match (a.keep, a.threshold) {
        (Some(k), _) => dft.keep_top(k).map_err(|e| format!("--keep: {e}"))?,
        (None, Some(t)) => dft.keep_above(t).map_err(|e| format!("--threshold: {e}"))?,
        (None, None) => return Err("give --keep K or --threshold T".into()),
    };
    let rebuilt = low.rebuild();
    if a.output.as_ref().is_some_and(|p| is_npy(p)) {
        let index: Vec<f64> = (0..x.len()).map(|i| i as f64).collect();
        return emit(a.output.as_ref(), &npy_table_bytes(&[&index, x, &rebuilt]));
    }
    let mut text = Vec::with_capacity(48 * x.len() + 32);
    text.extend_from_slice(b"index,original,rebuilt\n");
    for (i, (v, r)) in x.iter().zip(&rebuilt).enumerate() {
        text.extend_from_slice(i.to_string().as_bytes());
        text.push(b',');
        push_float(&mut text, *v);
        text.push(b',');
        push_float(&mut text, *r);
        text.push(b'\n');
    }
    emit(a.output.as_ref(), &text)
}
