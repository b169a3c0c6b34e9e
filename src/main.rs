//! `numlab`: the command line of the numlab workbench.
//!
//! Every subcommand reads the user's own data (CSV, header row allowed,
//! columns by name or 0-based index), prints to stdout or writes `--output`
//! atomically, and on bad input prints one line to stderr and exits 2.

mod density_cmd;
mod lag_cmd;
mod neuron_cmd;
mod output;
mod progress;
mod smooth_stream;
mod spectrum_cmd;
mod table;
mod wave_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use numlab_core::smoothing::{gaussian_flatten, Cutoff, EdgeMode, GaussianSmoother, Method};
use numlab_studies::bench;

use output::{emit, outln};
use table::{npy_bytes, table_bytes, Columns, Header};

#[derive(Parser)]
#[command(
    name = "numlab",
    version,
    about = "numlab: fast, correct answers to six classic NumPy/SciPy questions",
    long_about = "numlab: fast, correct answers to six classic NumPy/SciPy questions.\n\nExamples:\n  numlab figures --out figures\n  numlab smooth data.csv --sigma 10 --mode nearest --output smoothed.csv\n  numlab spectrum pulse.csv --column signal --dt 0.001 --window hann --output spectrum.csv\n  numlab lowpass pulse.csv --keep 16 --output rebuilt.csv\n  numlab lag a.csv b.csv --rate 20000 --max-lag 0.5\n  numlab neuron --excitatory 4000 --inhibitory 1000 --output trace.csv\n  numlab network --duration 1000 --output spikes.csv\n  numlab density points.csv --size 256x256 --method gauss --sigma 10 --output heat.png\n  numlab bench smooth-uniform-1e6-s10"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every study's figures (SVG and PNG) and summary.md.
    ///
    /// Example: numlab figures --study smoothing --out figures
    Figures(FiguresArgs),
    /// Gaussian smoothing of y over x from a CSV file (study 01).
    ///
    /// Uniform x runs the filter with SciPy's edge modes (default reflect);
    /// irregular x runs the Nadaraya-Watson regression with distances in x
    /// units. `--method seed` is the questioner's GaussianFlattenData call with
    /// their arguments (--reach, --sigma, --phi, --amplitude).
    ///
    /// A file of 8 MB or more, one column or two with x a uniform grid, on
    /// the direct sum or the FFT (auto, direct, fft) streams in bounded
    /// memory, read two or three times (check, check x, smooth) with the
    /// bytes of the whole-file path; irregular x, sliding, recursive, seed,
    /// and --skip-nan on a signal with missing values read the whole file
    /// into memory.
    ///
    /// Example: numlab smooth data.csv --x time --y signal --sigma 0.5 --mode nearest --output out.csv
    Smooth(SmoothArgs),
    /// Amplitude and phase spectrum of a sampled signal from a CSV file (study 02).
    ///
    /// Output header frequency,amplitude,phase (Hz, signal units, radians).
    /// One-sided by default: 2|X_k|/N for 0 < f < fs/2, |X_k|/N at DC and (even
    /// N) Nyquist, so a cosine A cos(2πft + φ) reads A and φ. Two-sided:
    /// |X_k|/N at every fftfreq bin, NumPy order. A window's coherent gain is
    /// divided out.
    ///
    /// Example: numlab spectrum data.csv --column volts --rate 1000 --window hann --output spectrum.csv
    Spectrum(spectrum_cmd::SpectrumArgs),
    /// Low-pass a signal by its DFT: keep the K largest |X_k| or those above a threshold, rebuild exactly (study 02).
    ///
    /// Output header index,original,rebuilt, as many rows as the input (odd
    /// lengths included). Keeping every coefficient (--keep N/2+1 or
    /// --threshold 0) gives the input back to rounding.
    ///
    /// Example: numlab lowpass data.csv --column volts --keep 16 --output rebuilt.csv
    Lowpass(spectrum_cmd::LowpassArgs),
    /// Time the canonical workloads of BENCHMARKS.md in-process.
    ///
    /// Warm-up, then the median of repeated runs; inputs are built outside the
    /// timing, and each workload's accuracy is checked after it.
    ///
    /// Example: numlab bench smooth-uniform-1e6-s10 --json
    Bench(BenchArgs),
    /// Convergence study of the staggered leapfrog for p_t + u_x = 0,
    /// u_t + p_x = 0 (study 03): errors of p at T and of u at T + dt/2 on
    /// each grid, pairwise and least-squares orders.
    ///
    /// Example: numlab wave --cfl 0.5 --t-end 1 --grids 32,64,128,256 --init naive --json
    Wave(wave_cmd::WaveArgs),
    /// The delay between two recordings of one process by cross-correlation (study 04).
    ///
    /// A positive delay means b is a delayed copy of a, b(t) = a(t - delay):
    /// prints "b lags a by D s (d samples)", or "a lags b by ..." when a is
    /// the later one. Means are removed; the peak is searched within
    /// --max-lag and refined below one sample. Both recordings are read
    /// whole into memory (the correlation needs all of them).
    ///
    /// Example: numlab lag mic1.csv mic2.csv --rate 20000 --max-lag 0.5 --subsample accurate
    Lag(lag_cmd::LagArgs),
    /// One Hodgkin-Huxley neuron driven by a current and Poisson pulses (study 05).
    ///
    /// Starts from the resting state at zero current and applies the current
    /// and the inputs from t = 0. Prints the spike times (or --json), writes
    /// the trace t,V,m,h,n,I_Na,I_K,I_L with --output.
    ///
    /// Example: numlab neuron --current 3 --excitatory 4000 --inhibitory 1000 --rate 10 --p 0.5 --output trace.csv
    Neuron(neuron_cmd::NeuronArgs),
    /// Brian2's COBAHH network: 4000 HH neurons, p = 0.02, conductance synapses (study 05).
    ///
    /// Exponential Euler at dt = 0.1 ms on every core, reproducible from
    /// --seed; prints the mean rate and the speed against real time.
    ///
    /// Example: numlab network --duration 1000 --seed 2007 --output spikes.csv
    Network(neuron_cmd::NetworkArgs),
    /// A density heat-map of the points of a CSV file (study 06): histogram,
    /// Gaussian blur, box sums, kNN or KDE, correct at any zoom.
    ///
    /// Example: numlab density points.csv --size 256x256 --view -0.5,-0.5,0.5,0.5 --method gauss --sigma 10 --output heat.png --overlay
    Density(density_cmd::DensityArgs),
    /// Reads columns of a CSV file and prints the row count and each column's
    /// sum: the reader alone, timed end to end by `scripts/bench-peers`
    /// (workload csv-read-1e7). Hidden from the command list.
    #[command(hide = true)]
    ReadCsv(ReadCsvArgs),
}

#[derive(Args)]
struct ReadCsvArgs {
    /// CSV file, or a NumPy .npy file (float64 or float32, shape (n,) or (n, k)).
    input: String,
    /// Columns to read, by name or 0-based index, comma-separated (default all).
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    /// The first row is a header.
    #[arg(long)]
    header: bool,
}

#[derive(Args)]
struct FiguresArgs {
    /// A study to run (id or number, e.g. smoothing or 01); repeat for several; default all.
    #[arg(long = "study", value_name = "ID")]
    studies: Vec<String>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "figures")]
    out: PathBuf,
}

#[derive(Args)]
struct SmoothArgs {
    /// CSV file: header row allowed; default x and y are the first two columns; a single column is y with x = 0..n-1. Or a NumPy .npy file (float64 or float32, shape (n,) or (n, k); columns by index).
    input: String,
    /// Kernel width in x units (in samples for --method seed).
    #[arg(long, allow_hyphen_values = true)]
    sigma: f64,
    /// Cut the kernel at this many sigmas (default 4; SciPy's truncate).
    #[arg(long, conflicts_with = "reach", allow_hyphen_values = true)]
    truncate: Option<f64>,
    /// Cut the kernel where it falls below this fraction of its peak, in (0, 1).
    #[arg(long, allow_hyphen_values = true)]
    reach: Option<f64>,
    /// Edge mode on uniform x: reflect, mirror, nearest, wrap, constant, renormalize (default reflect; irregular x always renormalizes).
    #[arg(long)]
    mode: Option<String>,
    /// Fill value of --mode constant.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    cval: f64,
    /// auto, direct, sliding, fft, recursive, or seed (the questioner's call).
    #[arg(long, default_value = "auto")]
    method: String,
    /// The questioner's phi (only with --method seed).
    #[arg(long, allow_hyphen_values = true)]
    phi: Option<f64>,
    /// The questioner's amplitude (only with --method seed).
    #[arg(long, allow_hyphen_values = true)]
    amplitude: Option<f64>,
    /// The first row is a header even if a name looks like a number (without this, a first row of text is a header and one that mixes numbers and text is an error).
    #[arg(long)]
    header: bool,
    /// The x column, by name or 0-based index.
    #[arg(long = "x", value_name = "COL")]
    x_col: Option<String>,
    /// The y column, by name or 0-based index.
    #[arg(long = "y", value_name = "COL")]
    y_col: Option<String>,
    /// Leave out NaN values (and empty cells) and renormalise, instead of spreading them.
    #[arg(long)]
    skip_nan: bool,
    /// Write the result here instead of stdout: CSV with header
    /// x,y,smoothed, or, for a name ending in .npy, a float64 array of shape
    /// (n, 3) with those columns.
    #[arg(long, value_name = "OUT.csv|OUT.npy")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct BenchArgs {
    /// Workloads to run (default all); see --list.
    names: Vec<String>,
    /// One JSON object per line: {"workload", "median_s", "min_s", "runs", ...}.
    #[arg(long)]
    json: bool,
    /// List the workloads and exit.
    #[arg(long)]
    list: bool,
    /// Write each workload's inputs as NPY files and a JSON description into DIR, then exit.
    #[arg(long, value_name = "DIR")]
    write_inputs: Option<PathBuf>,
    /// Seconds to spend timing each workload (at least 5 runs).
    #[arg(long, default_value_t = 1.0, allow_hyphen_values = true)]
    budget: f64,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                return match output::print(e.render().to_string().as_bytes()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(msg) => {
                        output::error(&msg);
                        ExitCode::from(2)
                    }
                };
            }
            // clap's message spans lines (the arguments, then usage): keep the
            // message part on one line.
            let text = e.render().to_string();
            let message: Vec<&str> = text
                .lines()
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .map(str::trim)
                // clap's tip to write `-- -x` does not apply: values may start with '-'.
                .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
                .collect();
            let message = message.join(" ");
            output::error(&format!(
                "{} (see numlab --help)",
                message.trim_start_matches("error: ")
            ));
            return ExitCode::from(2);
        }
    };
    // NUMLAB_SIMD names a code path the CPU must offer (numlab_core::simd).
    if let Err(e) = numlab_core::simd::from_env() {
        output::error(&e.to_string());
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Figures(a) => figures(a),
        Command::Smooth(a) => smooth(a),
        Command::Spectrum(a) => spectrum_cmd::spectrum(a),
        Command::Lowpass(a) => spectrum_cmd::lowpass(a),
        Command::Bench(a) => run_bench(a),
        Command::Wave(a) => wave_cmd::run(a),
        Command::Lag(a) => lag_cmd::run(a),
        Command::Neuron(a) => neuron_cmd::neuron(a),
        Command::Network(a) => neuron_cmd::network(a),
        Command::Density(a) => density_cmd::run(a),
        Command::ReadCsv(a) => read_csv(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            output::error(&msg);
            ExitCode::from(2)
        }
    }
}

fn figures(a: FiguresArgs) -> Result<(), String> {
    let ids: Vec<String> = if a.studies.is_empty() {
        numlab_studies::STUDIES
            .iter()
            .map(|(_, id, _)| id.to_string())
            .collect()
    } else {
        a.studies
    };
    // Resolve every name before running anything.
    for id in &ids {
        if !numlab_studies::STUDIES
            .iter()
            .any(|(n, s, _)| s == id || n == id)
        {
            let known: Vec<&str> = numlab_studies::STUDIES.iter().map(|(_, s, _)| *s).collect();
            return Err(format!(
                "--study {id}: unknown study (expected one of {})",
                known.join(", ")
            ));
        }
    }
    // Every study runs before anything is written; then the whole set is
    // moved into --out at once, or nothing is.
    let mut outputs = Vec::with_capacity(ids.len());
    for id in ids {
        let start = std::time::Instant::now();
        let out = numlab_studies::run_study(&id).map_err(|e| e.to_string())?;
        outln!(
            "{} {}: {} figures ({:.1} s)",
            out.number,
            out.id,
            out.figures.len(),
            start.elapsed().as_secs_f64()
        );
        outputs.push(out);
    }
    let written =
        numlab_studies::write_outputs(&outputs, &a.out).map_err(|e| format!("--out {e}"))?;
    outln!("wrote {} files in {}", written.len(), a.out.display());
    Ok(())
}

fn smooth(a: SmoothArgs) -> Result<(), String> {
    output::check_output(a.output.as_ref())?;
    // A long one-column file on the direct sum streams (bounded memory),
    // to CSV; an NPY output is built in memory.
    if !a.output.as_ref().is_some_and(|p| table::is_npy(p)) {
        if let Some(done) = smooth_stream::run(&a) {
            return done;
        }
    }
    // The columns used (as picked below); the others are checked, not kept.
    let keys = |width: usize| match (&a.x_col, &a.y_col) {
        (None, yc) if width == 1 => vec![yc.clone().unwrap_or_else(|| "0".into())],
        (xc, yc) => vec![
            xc.clone().unwrap_or_else(|| "0".into()),
            yc.clone().unwrap_or_else(|| "1".into()),
        ],
    };
    let table = Columns::read_keys(&a.input, Header::from_flag(a.header), &keys)?;
    let (x, y): (Vec<f64>, &[f64]) = match (&a.x_col, &a.y_col) {
        // A single column is y, with x = 0..n-1 (also when named by --y).
        (None, yc) if table.values.len() == 1 => {
            let y = table.column(yc.as_deref().unwrap_or("0"), "--y")?;
            (numlab_core::signals::arange(y.len()), y)
        }
        (xc, yc) => {
            let y = table.column(yc.as_deref().unwrap_or("1"), "--y")?;
            let x = table.column(xc.as_deref().unwrap_or("0"), "--x")?.to_vec();
            (x, y)
        }
    };
    let smoothed = if a.method == "seed" {
        if a.truncate.is_some() {
            return Err("--truncate does not apply to --method seed (it cuts by --reach)".into());
        }
        if a.mode.is_some() || a.skip_nan {
            return Err("--mode and --skip-nan do not apply to --method seed (the questioner's call renormalises at the ends and has no NaN handling)".into());
        }
        let reach = a
            .reach
            .ok_or("--method seed needs --reach (the questioner's reachPercentage, in (0, 1))")?;
        gaussian_flatten(
            &x,
            y,
            reach,
            a.sigma,
            a.phi.unwrap_or(0.0),
            a.amplitude.unwrap_or(1.0),
        )
        .map_err(|e| e.to_string())?
    } else {
        if a.phi.is_some() || a.amplitude.is_some() {
            return Err("--phi and --amplitude only apply to --method seed (they cancel in the normalisation)".into());
        }
        let method: Method = a.method.parse().map_err(|e: numlab_core::NumlabError| {
            format!(
                "--method {}: expected auto, direct, sliding, fft, recursive or seed ({e})",
                a.method
            )
        })?;
        let cutoff = match (a.truncate, a.reach) {
            (_, Some(r)) => Cutoff::Reach(r),
            (Some(t), None) => Cutoff::Truncate(t),
            (None, None) => Cutoff::default(),
        };
        let cutoff_flag = if a.reach.is_some() {
            "--reach"
        } else {
            "--truncate"
        };
        let mut s = GaussianSmoother::new(a.sigma)
            .map_err(|e| format!("--sigma: {e}"))?
            .with_cutoff(cutoff)
            .map_err(|e| format!("{cutoff_flag}: {e}"))?
            .with_cval(a.cval)
            .map_err(|e| format!("--cval: {e}"))?
            .with_method(method)
            .with_skip_nan(a.skip_nan);
        if let Some(m) = &a.mode {
            let mode: EdgeMode = m
                .parse()
                .map_err(|e: numlab_core::NumlabError| e.to_string())?;
            s = s.with_mode(mode);
        }
        s.smooth_xy(&x, y)
            .map_err(|e| match e.parameter() {
                Some("truncate") => e.for_option("--truncate"),
                _ => e.to_string(),
            })?
            .values
    };
    let text = table_bytes(
        a.output.as_ref(),
        &["x", "y", "smoothed"],
        &[&x, y, &smoothed],
    );
    emit(a.output.as_ref(), &text)
}

fn read_csv(a: ReadCsvArgs) -> Result<(), String> {
    let keys = |width: usize| match a.columns.is_empty() {
        true => (0..width).map(|k| k.to_string()).collect(),
        false => a.columns.clone(),
    };
    let table = Columns::read_keys(&a.input, Header::from_flag(a.header), &keys)?;
    let keys = keys(table.values.len());
    let cols = keys
        .iter()
        .map(|key| table.column(key, "--columns"))
        .collect::<Result<Vec<_>, _>>()?;
    // Each column summed in row order (the same sum as a loop over the
    // rows), the columns at once on the pool's threads.
    let sums = numlab_core::threads::map(cols.len(), |k| cols[k].iter().sum::<f64>());
    let mut line = format!("{} rows", cols.first().map_or(0, |c| c.len()));
    for (key, sum) in keys.iter().zip(&sums) {
        line.push_str(&format!("; {key}: sum {sum}"));
    }
    outln!("{line}");
    // The columns' memory handed back on the pool's threads at once too.
    let Columns { mut values, .. } = table;
    numlab_core::threads::for_each_item(&mut values, |v| *v = Vec::new());
    Ok(())
}

fn run_bench(a: BenchArgs) -> Result<(), String> {
    if a.list {
        for w in bench::WORKLOADS {
            outln!("{}\t{}", w.name, w.about);
        }
        return Ok(());
    }
    if !(a.budget.is_finite() && a.budget >= 0.0) {
        return Err(format!(
            "--budget {}: must be a finite number of seconds >= 0",
            a.budget
        ));
    }
    let selected: Vec<&bench::Workload> = if a.names.is_empty() {
        bench::WORKLOADS.iter().collect()
    } else {
        a.names
            .iter()
            .map(|n| {
                bench::find(n)
                    .ok_or_else(|| format!("unknown workload '{n}' (see numlab bench --list)"))
            })
            .collect::<Result<_, _>>()?
    };
    if let Some(dir) = a.write_inputs {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("--write-inputs {}: {e}", dir.display()))?;
        // Errors name the flag that chose the folder.
        let write_output = |path: &std::path::Path, bytes: &[u8]| {
            numlab_studies::files::write_file(path, bytes)
                .map_err(|e| format!("--write-inputs {e}"))
        };
        for w in selected {
            let inputs = w.inputs().map_err(|e| e.to_string())?;
            let x_name = inputs.x.as_ref().map(|_| format!("{}.x.npy", w.name));
            if let (Some(x), Some(name)) = (&inputs.x, &x_name) {
                write_output(&dir.join(name), &npy_bytes(x))?;
            }
            let y_name = format!("{}.y.npy", w.name);
            write_output(&dir.join(&y_name), &npy_bytes(&inputs.y))?;
            let desc = serde_json::json!({"workload": w.name, "params": inputs.params, "x": x_name, "y": y_name});
            write_output(
                &dir.join(format!("{}.json", w.name)),
                desc.to_string().as_bytes(),
            )?;
        }
        return Ok(());
    }
    if !a.json {
        outln!(
            "{:<28} {:>12} {:>12} {:>5} {:>10}  accurate",
            "workload",
            "median",
            "min",
            "runs",
            "error"
        );
    }
    for w in selected {
        let m = w.measure(a.budget).map_err(|e| e.to_string())?;
        if a.json {
            outln!("{}", serde_json::to_string(&m).map_err(|e| e.to_string())?);
        } else {
            outln!(
                "{:<28} {:>12} {:>12} {:>5} {:>10.1e}  {}",
                m.workload,
                numlab_studies::timing::human(m.median_s),
                numlab_studies::timing::human(m.min_s),
                m.runs,
                m.error,
                if m.accurate { "yes" } else { "NO" }
            );
        }
    }
    Ok(())
}
