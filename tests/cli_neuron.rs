//! `numlab neuron` and `numlab network` end to end: the trace header and
//! values (equal to the library's), the JSON shape, and bad flags (one line
//! on stderr, exit 2, no output file).

mod common;

use common::*;
use numlab_core::neuron::{simulate, Config, Method, Network, NetworkConfig, PoissonInput};

#[test]
fn neuron_trace_and_json_equal_the_library() {
    let dir = scratch("neuron-trace");
    let args = [
        "neuron",
        "--current",
        "3",
        "--excitatory",
        "400",
        "--inhibitory",
        "100",
        "--rate",
        "10",
        "--p",
        "0.5",
        "--weight",
        "1",
        "--duration",
        "50",
        "--dt",
        "0.01",
        "--method",
        "rk4",
        "--threshold",
        "0",
        "--seed",
        "9",
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["--output", "trace.csv"]);
    let o = numlab(&dir, &with_out);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.join("trace.csv")).unwrap();
    let (header, cols) = parse_csv(&text);
    assert_eq!(header, ["t", "V", "m", "h", "n", "I_Na", "I_K", "I_L"]);
    let cfg = Config {
        current: 3.0,
        input: Some(PoissonInput {
            n_exc: 400,
            n_inh: 100,
            ..PoissonInput::default()
        }),
        duration: 50.0,
        method: Method::Rk4,
        seed: 9,
        ..Config::default()
    };
    let want = simulate(&cfg).unwrap();
    assert_eq!(cols[0].len(), 5001);
    assert_eq!(cols[1], want.v, "V column is the library's, every digit");
    assert_eq!(cols[4], want.n);
    let [ina, _, il] = want.currents(&cfg.params);
    assert_eq!(cols[5], ina);
    assert_eq!(cols[7], il);
    // Starts at rest at zero current: V = -65.0 mV within 0.01.
    assert!((cols[1][0] + 65.0).abs() < 0.01);

    let mut with_json = args.to_vec();
    with_json.push("--json");
    let o = numlab(&dir, &with_json);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["rate_hz", "spikes_ms", "steps"]);
    assert_eq!(v["steps"].as_u64().unwrap(), 5000);
    let spikes: Vec<f64> = v["spikes_ms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(spikes.len(), want.spikes_ms.len());
    assert!(max_abs_diff(&spikes, &want.spikes_ms) < 1e-12);
    assert!((v["rate_hz"].as_f64().unwrap() - want.rate_hz()).abs() < 1e-9);
    // Human output names the count.
    let o = numlab(&dir, &args);
    assert!(stdout(&o).starts_with(&format!("{} spikes in 50.0 ms", want.spikes_ms.len())));
}

#[test]
fn network_json_and_spikes_file() {
    let dir = scratch("network");
    let o = numlab(
        &dir,
        &[
            "network",
            "--duration",
            "200",
            "--seed",
            "3",
            "--output",
            "spikes.csv",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let want = Network::new(NetworkConfig {
        duration: 200.0,
        seed: 3,
        ..NetworkConfig::default()
    })
    .unwrap()
    .run()
    .unwrap();
    assert_eq!(v["spikes"].as_u64().unwrap() as usize, want.times_ms.len());
    assert_eq!(v["neurons"].as_u64().unwrap(), 4000);
    assert_eq!(v["steps"].as_u64().unwrap(), 2000);
    assert!((v["mean_rate_hz"].as_f64().unwrap() - want.mean_rate_hz()).abs() < 1e-9);
    let (header, cols) = parse_csv(&std::fs::read_to_string(dir.join("spikes.csv")).unwrap());
    assert_eq!(header, ["t", "neuron"]);
    assert_eq!(cols[0], want.times_ms);
    let neurons: Vec<f64> = want.neurons.iter().map(|&j| j as f64).collect();
    assert_eq!(cols[1], neurons);
}

#[test]
fn bad_flags_are_one_line_errors_and_leave_no_file() {
    let dir = scratch("neuron-bad");
    for (args, needle) in [
        (vec!["neuron", "--dt", "0"], "--dt"),
        (vec!["neuron", "--dt", "-0.01"], "--dt"),
        (vec!["neuron", "--dt", "0.2", "--current", "10"], "blew up"),
        (vec!["neuron", "--excitatory", "-1"], "--excitatory"),
        (vec!["neuron", "--inhibitory", "-1"], "--inhibitory"),
        (vec!["neuron", "--p", "1.5"], "--p"),
        (vec!["neuron", "--rate", "-3"], "--rate"),
        (vec!["neuron", "--rate", "nan"], "--rate"),
        (vec!["neuron", "--weight", "inf"], "--weight"),
        (vec!["neuron", "--current", "nan"], "--current"),
        (vec!["neuron", "--duration", "-5"], "--duration"),
        (vec!["neuron", "--method", "leapfrog"], "--method"),
        (vec!["neuron", "--excitatory", "many"], "excitatory"),
        (vec!["network", "--duration", "-1"], "--duration"),
        (vec!["neuron", "--duration", "1e7"], "--duration"),
    ] {
        let mut a = args.clone();
        a.extend(["--output", "out.csv"]);
        let o = numlab(&dir, &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("numlab: "), "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!dir.join("out.csv").exists(), "{args:?} left a file");
    }
}
