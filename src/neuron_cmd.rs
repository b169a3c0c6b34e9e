//! `numlab neuron` and `numlab network`: one HH neuron under Poisson input,
//! and the COBAHH network (study 05).

use std::path::PathBuf;

use clap::Args;
use numlab_core::neuron::{
    simulate_with_progress, Config, Method, Network, NetworkConfig, PoissonInput,
};

use crate::output::{check_output, outln, write_output};
use crate::table::{float, table_bytes};

/// Arguments of `numlab neuron`.
#[derive(Args)]
pub struct NeuronArgs {
    /// Applied current I_app (uA/cm^2), on from t = 0. Within [-283.7, 316.3]
    /// (g_L x (±1000 mV - E_L)) V provably stays in the model's ±1000 mV; a
    /// current outside it that drives V beyond is refused by name.
    #[arg(
        long,
        value_name = "UA_PER_CM2",
        default_value_t = 3.0,
        allow_hyphen_values = true
    )]
    current: f64,
    /// Excitatory Poisson sources N_e, at most 10000000.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 80,
        allow_hyphen_values = true
    )]
    excitatory: i64,
    /// Inhibitory Poisson sources N_i (each pulse weighs -4 x --weight, the questioner's K), at most 10000000.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20,
        allow_hyphen_values = true
    )]
    inhibitory: i64,
    /// Firing rate of every source (Hz).
    #[arg(
        long,
        value_name = "HZ",
        default_value_t = 10.0,
        allow_hyphen_values = true
    )]
    rate: f64,
    /// Transmission probability of each spike, in [0, 1].
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.5,
        allow_hyphen_values = true
    )]
    p: f64,
    /// Voltage jump of one excitatory pulse (mV; the questioner's G_ex); |W| <= 250 mV,
    /// so that an inhibitory pulse (-4 x W) stays within the model's ±1000 mV.
    #[arg(
        long,
        value_name = "MV",
        default_value_t = 1.0,
        allow_hyphen_values = true
    )]
    weight: f64,
    /// Duration (ms): at most 5e9 steps of --dt; with --output at most 4e6
    /// recorded steps (40000 ms at dt 0.01).
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 300.0,
        allow_hyphen_values = true
    )]
    duration: f64,
    /// Time step (ms).
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 0.01,
        allow_hyphen_values = true
    )]
    dt: f64,
    /// Integrator: euler (the questioner's), exp-euler (Rush-Larsen) or rk4.
    #[arg(long, value_name = "METHOD", default_value = "euler")]
    method: String,
    /// Spike threshold (mV): upward crossings, interpolated within the step.
    #[arg(
        long,
        value_name = "MV",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    threshold: f64,
    /// Seed of the input's random stream.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 5,
        allow_hyphen_values = true
    )]
    seed: u64,
    /// Write the trace t,V,m,h,n,I_Na,I_K,I_L (ms, mV, 1, uA/cm^2) to this
    /// CSV file, or, for a name ending in .npy, as a float64 array of shape
    /// (steps + 1, 8) with those columns.
    #[arg(long, value_name = "TRACE.csv|TRACE.npy")]
    output: Option<PathBuf>,
    /// Print {"spikes_ms": [...], "rate_hz", "steps"}.
    #[arg(long)]
    json: bool,
}

/// Arguments of `numlab network`.
#[derive(Args)]
pub struct NetworkArgs {
    /// Biological time to simulate (ms): at most 2500000 (1e11 neuron updates
    /// of 4000 neurons at dt 0.1 ms, about 20 minutes); with --output the run
    /// stops once it has recorded 20000000 spikes. Without --output only the
    /// spike count is kept.
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 1000.0,
        allow_hyphen_values = true
    )]
    duration: f64,
    /// Seed of the connectivity and the initial state.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 2007,
        allow_hyphen_values = true
    )]
    seed: u64,
    /// Write the spikes t,neuron (ms, 0-based index; 0..3199 excitatory) to
    /// this CSV file, or, for a name ending in .npy, as a float64 array of
    /// shape (spikes, 2) with those columns.
    #[arg(long, value_name = "SPIKES.csv|SPIKES.npy")]
    output: Option<PathBuf>,
    /// Print {"mean_rate_hz", "spikes", "neurons", "synapses", "duration_ms", "steps", "seconds"}.
    #[arg(long)]
    json: bool,
}

/// The library's error, led by the flag that set the parameter it names.
fn flag_error(e: numlab_core::NumlabError) -> String {
    let flag = match e.parameter() {
        Some("dt") => Some("--dt"),
        Some("duration") => Some("--duration"),
        Some("current") => Some("--current"),
        Some("excitatory") => Some("--excitatory"),
        Some("inhibitory") => Some("--inhibitory"),
        Some("rate") => Some("--rate"),
        Some("p") => Some("--p"),
        Some("weight") => Some("--weight"),
        Some("threshold") => Some("--threshold"),
        Some("method") => Some("--method"),
        _ => None,
    };
    // Only the user's own options are named (not, say, the membrane's "g_na").
    match (flag, &e) {
        (
            Some(f),
            numlab_core::NumlabError::InvalidParameter { .. }
            | numlab_core::NumlabError::UnknownName { .. }
            | numlab_core::NumlabError::AboveLimit { .. }
            | numlab_core::NumlabError::OutOfRange { .. },
        ) => e.for_option(f),
        _ => e.to_string(),
    }
}

/// Runs one neuron.
pub fn neuron(a: NeuronArgs) -> Result<(), String> {
    check_output(a.output.as_ref())?;
    let method: Method = a.method.parse().map_err(flag_error)?;
    let input = PoissonInput::new(a.excitatory, a.inhibitory, a.rate, a.p, a.weight, 4.0)
        .map_err(flag_error)?;
    let cfg = Config {
        method,
        dt: a.dt,
        duration: a.duration,
        current: a.current,
        input: Some(input),
        threshold: a.threshold,
        seed: a.seed,
        record: a.output.is_some(),
        ..Config::default()
    };
    let progress = crate::progress::Progress::steps("neuron", 0, "steps");
    let run = simulate_with_progress(&cfg, &|done, total| progress.update(done, total))
        .map_err(flag_error)?;
    drop(progress);
    if let Some(path) = &a.output {
        let t = run.t();
        let [ina, ik, il] = run.currents(&cfg.params);
        let text = table_bytes(
            Some(path),
            &["t", "V", "m", "h", "n", "I_Na", "I_K", "I_L"],
            &[&t, &run.v, &run.m, &run.h, &run.n, &ina, &ik, &il],
        );
        write_output(path, &text)?;
    }
    if a.json {
        let v = serde_json::json!({
            "spikes_ms": run.spikes_ms,
            "rate_hz": run.rate_hz(),
            "steps": run.steps,
        });
        outln!("{v}");
    } else {
        let times: Vec<String> = run.spikes_ms.iter().map(|&t| float(t)).collect();
        outln!(
            "{} spikes in {} ms ({} Hz), {} steps of {} ms ({}); {} excitatory and {} inhibitory pulses transmitted\nspike times (ms): {}",
            run.spikes_ms.len(),
            float(run.steps as f64 * run.dt),
            float(run.rate_hz()),
            run.steps,
            float(run.dt),
            method,
            run.pulses_exc,
            run.pulses_inh,
            times.join(" ")
        );
    }
    Ok(())
}

/// Runs the COBAHH network.
pub fn network(a: NetworkArgs) -> Result<(), String> {
    check_output(a.output.as_ref())?;
    let duration_flag = |e: numlab_core::NumlabError| match e.parameter() {
        Some("duration") => e.for_option("--duration"),
        _ => e.to_string(),
    };
    let net = Network::new(NetworkConfig {
        duration: a.duration,
        seed: a.seed,
        // Without --output only the count is needed (for the mean rate).
        record: a.output.is_some(),
        ..NetworkConfig::default()
    })
    .map_err(duration_flag)?;
    let start = std::time::Instant::now();
    let progress = crate::progress::Progress::steps("network", 0, "steps");
    let run = net
        .run_with_progress(&|done, total| progress.update(done, total))
        .map_err(duration_flag)?;
    drop(progress);
    let seconds = start.elapsed().as_secs_f64();
    if let Some(path) = &a.output {
        let neurons: Vec<f64> = run.neurons.iter().map(|&j| j as f64).collect();
        let text = table_bytes(Some(path), &["t", "neuron"], &[&run.times_ms, &neurons]);
        write_output(path, &text)?;
    }
    if a.json {
        let v = serde_json::json!({
            "mean_rate_hz": run.mean_rate_hz(),
            "spikes": run.spike_count,
            "neurons": run.n_neurons,
            "synapses": net.synapses(),
            "duration_ms": run.duration_ms,
            "steps": run.steps,
            "seconds": seconds,
        });
        outln!("{v}");
    } else {
        outln!(
            "COBAHH: {} neurons, {} synapses, {} ms in {:.3} s ({:.1}x real time on {} threads): {} spikes, mean rate {:.3} Hz",
            run.n_neurons,
            net.synapses(),
            float(run.duration_ms),
            seconds,
            if seconds > 0.0 { run.duration_ms / 1000.0 / seconds } else { f64::INFINITY },
            numlab_core::threads::num_threads(),
            run.spike_count,
            run.mean_rate_hz()
        );
    }
    Ok(())
}
