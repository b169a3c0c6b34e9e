//! Hostile input end to end (issue 13, parts 3 to 5): sizes and counts that
//! would take gigabytes or run for minutes are refused at once, on one line
//! naming the option as typed, the value and the limit, with exit status 2;
//! results that would come out silently wrong (overflowing energies,
//! underflowing frequencies) are either right or refused by name.
//!
//! Every refusal here used to cost seconds to minutes, gigabytes or an
//! aborted process; with the bounds in place each answer is immediate, so
//! the tests just check the answer (no timing).

mod common;

use common::*;
use numlab_core::signals;

/// Runs `args` in `dir` and checks a refusal: exit 2, one line on stderr,
/// `numlab: error: ` first, containing every needle, and none of `not`.
/// Returns the line.
fn refused(dir: &std::path::Path, args: &[&str], needles: &[&str], not: &[&str]) -> String {
    let o = numlab(dir, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with("numlab: error: "), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: '{n}' not in {err}");
    }
    for n in not {
        assert!(!err.contains(n), "{args:?}: '{n}' in {err}");
    }
    assert!(stdout(&o).is_empty(), "{args:?} printed {}", stdout(&o));
    err
}

#[test]
fn neuron_source_counts_weights_and_durations_are_bounded_by_name() {
    let dir = scratch("limits-neuron");
    // Took 2 GB and 3 s, then blamed --dt; aborted the process on a failed
    // allocation for the largest i64.
    refused(
        &dir,
        &["neuron", "--excitatory", "1000000000000000000"],
        &["--excitatory 1000000000000000000: at most 10000000 sources"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--excitatory", "9223372036854775807"],
        &["--excitatory 9223372036854775807: at most 10000000 sources"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--inhibitory", "20000000"],
        &["--inhibitory 20000000: at most 10000000 sources"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--weight", "1e300"],
        &["--weight 1e300: at most 250 mV"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--weight", "-251"],
        &["--weight -251: at most 250 mV"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--duration", "1e12"],
        &["--duration 1e12: at most 50000000 ms at dt = 0.01 ms"],
        &["--dt"],
    );
    refused(
        &dir,
        &["neuron", "--duration", "1e7", "--output", "trace.csv"],
        &["--duration 10000000: at most 40000 ms recorded at dt = 0.01 ms"],
        &["--dt"],
    );
    assert!(!dir.join("trace.csv").exists());
    // At the limits the run goes.
    let o = numlab(
        &dir,
        &[
            "neuron",
            "--excitatory",
            "0",
            "--inhibitory",
            "0",
            "--weight",
            "250",
            "--duration",
            "5",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn neuron_blow_ups_name_the_drive_not_dt() {
    let dir = scratch("limits-neuron-drive");
    // 10 million sources put ~500 pulses of 1 mV into every 0.01 ms step.
    refused(
        &dir,
        &["neuron", "--excitatory", "10000000"],
        &[
            "--excitatory 10000000: the input drove V out of the model's ±1000 mV range",
            "pulses moved V by",
        ],
        &["--dt"],
    );
    // A pulse of 200 mV (an inhibitory one of 800 mV).
    refused(
        &dir,
        &["neuron", "--weight", "200"],
        &[
            "--weight 200: the input drove V out",
            "more than an action potential",
        ],
        &["--dt"],
    );
    // Currents that hold V beyond ±1000 mV, whatever the integrator.
    for method in ["euler", "exp-euler", "rk4"] {
        for current in ["1e300", "-1000", "50000"] {
            refused(
                &dir,
                &["neuron", "--current", current, "--method", method],
                &[
                    &format!("--current {current}: outside [-283.7, 316.3] uA/cm^2"),
                    "±1000 mV",
                ],
                &["--dt"],
            );
        }
    }
    // A current the model holds but forward Euler at this dt cannot: dt.
    refused(
        &dir,
        &["neuron", "--current", "-100"],
        &["--dt: invalid dt = 0.01", "blew up", "exp-euler"],
        &["--current"],
    );
    let o = numlab(
        &dir,
        &[
            "neuron",
            "--current",
            "-100",
            "--method",
            "exp-euler",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    refused(
        &dir,
        &["neuron", "--current", "10", "--dt", "0.2"],
        &["--dt: invalid dt = 0.2", "blew up"],
        &["--current"],
    );
}

#[test]
fn network_work_is_bounded_and_unrecorded_spikes_are_only_counted() {
    let dir = scratch("limits-network");
    refused(
        &dir,
        &["network", "--duration", "1e9"],
        &["--duration 1e9: at most 2500000 ms", "neuron updates"],
        &["--dt"],
    );
    refused(
        &dir,
        &["network", "--duration", "1e9", "--output", "spikes.csv"],
        &["--duration 1e9: at most 2500000 ms"],
        &[],
    );
    assert!(!dir.join("spikes.csv").exists());
    // Without --output the count (and so the rate) is that of a recorded run.
    let want = numlab_core::neuron::Network::new(numlab_core::neuron::NetworkConfig {
        duration: 50.0,
        ..Default::default()
    })
    .unwrap()
    .run()
    .unwrap();
    let o = numlab(&dir, &["network", "--duration", "50", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["spikes"], want.times_ms.len());
    assert_eq!(v["spikes"], want.spike_count);
    assert_eq!(v["mean_rate_hz"], want.mean_rate_hz());
}

#[test]
fn wave_grids_and_run_lengths_name_the_option_given() {
    let dir = scratch("limits-wave");
    // Took 2.3 GB.
    refused(
        &dir,
        &["wave", "--grids", "100000000", "--t-end", "1e-12"],
        &["--grids", "n = 100000000", "must be <= 16777216 cells"],
        &[],
    );
    // Blamed on a --t-end never given.
    refused(
        &dir,
        &["wave", "--cfl", "1e-308"],
        &[
            "--cfl 1e-308: at least 1.81e-6 on 950 cells",
            "at most 1e12",
        ],
        &["--t-end"],
    );
    refused(
        &dir,
        &["wave", "--t-end", "1e300"],
        &["--t-end 1e300: at most 332000 on 950 cells", "at most 1e12"],
        &["--cfl"],
    );
    refused(
        &dir,
        &["wave", "--grids", "50,10000000"],
        &["--grids 10000000: at most 387298 cells a side"],
        &["--t-end", "--cfl"],
    );
}

#[test]
fn density_sizes_passes_and_neighbours_are_bounded_before_computing() {
    let dir = scratch("limits-density");
    let (x, y) = (
        signals::uniform(100_000, -1.0, 1.0, 41).unwrap(),
        signals::uniform(100_000, -1.0, 1.0, 42).unwrap(),
    );
    let mut text = String::from("x,y\n");
    for (a, b) in x.iter().zip(&y) {
        text.push_str(&format!("{a:?},{b:?}\n"));
    }
    write_csv(&dir, "pts.csv", &text);
    // 3.9 GB (and an abort with CSV on stdout); 3 s of computing before the
    // PNG's pixel limit.
    for out in [None, Some("heat.png"), Some("heat.npy"), Some("heat.csv")] {
        let mut args = vec!["density", "pts.csv", "--size", "16000x16000"];
        if let Some(o) = out {
            args.extend(["--output", o]);
        }
        refused(
            &dir,
            &args,
            &["--size 16000x16000: at most 33554432 cells"],
            &[],
        );
    }
    // Ran without end.
    refused(
        &dir,
        &[
            "density",
            "pts.csv",
            "--method",
            "box",
            "--passes",
            "10000000000",
        ],
        &["--passes 10000000000: at most 64 passes"],
        &[],
    );
    // Ran for about ten minutes on 1e5 points.
    refused(
        &dir,
        &["density", "pts.csv", "--method", "knn", "--k", "50000"],
        &["--k 50000: at most 2048 neighbours on 65536 cells"],
        &[],
    );
    refused(
        &dir,
        &["density", "pts.csv", "--method", "knn", "--k", "200000"],
        &["--k", "200000", "100000"],
        &[],
    );
    // Blamed on --size.
    refused(
        &dir,
        &["density", "pts.csv", "--sigma", "1e6"],
        &["--sigma 1000000: at most 692 px of sigma on a 256x256 grid"],
        &["--size"],
    );
    refused(
        &dir,
        &["density", "pts.csv", "--method", "box", "--sigma", "1e6"],
        &["--sigma 1000000: at most"],
        &["--size"],
    );
    // Blamed on a singular covariance.
    refused(
        &dir,
        &[
            "density",
            "pts.csv",
            "--method",
            "kde",
            "--bandwidth",
            "1e-200",
        ],
        &["--bandwidth 1e-200: the kernel covariance", "between"],
        &["singular"],
    );
    refused(
        &dir,
        &[
            "density",
            "pts.csv",
            "--method",
            "kde",
            "--bandwidth",
            "1e200",
        ],
        &["--bandwidth 1e200: the kernel covariance"],
        &["singular"],
    );
    // A bandwidth that dwarfs the view needs the exact sum: 6.5e9 kernels
    // (half a minute) refused by the work bound.
    refused(
        &dir,
        &[
            "density",
            "pts.csv",
            "--method",
            "kde",
            "--view",
            "-0.001,-0.001,0.001,0.001",
            "--output",
            "kde.npy",
        ],
        &["--size 256x256: at most about", "kernel evaluations"],
        &[],
    );
    for f in ["heat.png", "heat.npy", "heat.csv", "kde.npy"] {
        assert!(!dir.join(f).exists(), "{f} was written");
    }
}

/// time,signal CSV of `x` (shortest round-trip decimals: exact).
fn signal_csv(x: &[f64]) -> String {
    let mut text = String::from("time,signal\n");
    for (j, v) in x.iter().enumerate() {
        text.push_str(&format!("{j},{v:?}\n"));
    }
    text
}

#[test]
fn lag_is_the_same_at_any_amplitude() {
    let dir = scratch("limits-lag-scale");
    let (a, b) = signals::delayed_pair(4000, 0.02, 0.3, 37.3, 11).unwrap();
    let run = |tag: &str, s: f64| -> serde_json::Value {
        let sa: Vec<f64> = a.iter().map(|v| v * s).collect();
        let sb: Vec<f64> = b.iter().map(|v| v * s).collect();
        write_csv(&dir, &format!("a{tag}.csv"), &signal_csv(&sa));
        write_csv(&dir, &format!("b{tag}.csv"), &signal_csv(&sb));
        let o = numlab(
            &dir,
            &[
                "lag",
                &format!("a{tag}.csv"),
                &format!("b{tag}.csv"),
                "--rate",
                "1000",
                "--subsample",
                "accurate",
                "--json",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{tag}: {}", stderr(&o));
        serde_json::from_str(stdout(&o).trim()).unwrap()
    };
    let unit = run("1", 1.0);
    let d = unit["delay_samples"].as_f64().unwrap();
    assert!((d - 37.3).abs() < 0.01, "{d}");
    // The raw overlap at the whole-sample peak of a 0.3-sample shift.
    assert!(unit["coefficient"].as_f64().unwrap() > 0.9);
    // Powers of two scale exactly: the same answer to the bit. 2^996 is
    // about 6.7e299 (energies overflowed); 2^256 about 1.2e77 (the
    // coefficient read 0); 2^-1000 about 9.3e-302 (products underflowed).
    for (tag, s) in [
        ("p996", 2f64.powi(996)),
        ("p256", 2f64.powi(256)),
        ("m600", 2f64.powi(-600)),
        ("m1000", 2f64.powi(-500) * 2f64.powi(-500)),
    ] {
        assert_eq!(run(tag, s), unit, "scale 2^{tag}");
    }
    // Other scales round each sample once: the same delay to rounding.
    for (tag, s) in [("e300", 1e300), ("e77", 1e77), ("em300", 1e-300)] {
        let got = run(tag, s);
        for key in ["delay_samples", "coefficient", "confidence"] {
            let (g, w) = (got[key].as_f64().unwrap(), unit[key].as_f64().unwrap());
            assert!((g - w).abs() < 1e-9, "scale {s}: {key} {g} vs {w}");
        }
        assert_eq!(got["peak_lag"], unit["peak_lag"]);
        assert_eq!(got["leader"], unit["leader"]);
    }
}

#[test]
fn rates_and_spacings_whose_derived_values_overflow_are_refused() {
    let dir = scratch("limits-rates");
    let x = signals::normal(1000, 1.0, 5).unwrap();
    write_csv(&dir, "x.csv", &signal_csv(&x));
    // Printed every frequency as 0.
    refused(
        &dir,
        &["spectrum", "x.csv", "--dt", "1e308"],
        &[
            "--dt 1e308: the frequency step 1/(n dt) for n = 1000 samples underflows",
            "dt must lie between",
        ],
        &[],
    );
    // Reported as `dt = inf`.
    refused(
        &dir,
        &["spectrum", "x.csv", "--rate", "5e-324"],
        &["--rate 5e-324: the spacing 1/rate overflows"],
        &["dt = inf", "--dt"],
    );
    refused(
        &dir,
        &["spectrum", "x.csv", "--rate", "1e-306"],
        &["--rate 1e-306:", "the rate must lie between"],
        &["--dt"],
    );
    // Printed `inf s`.
    refused(
        &dir,
        &["lag", "x.csv", "x.csv", "--rate", "1e-308"],
        &["--rate 1e-308: the longest delay", "overflows"],
        &[],
    );
    refused(
        &dir,
        &["lag", "x.csv", "x.csv", "--rate", "1e308"],
        &["--rate 1e308: the sample period 1/rate", "underflows"],
        &[],
    );
    // Reported as `dt = inf` once.
    refused(
        &dir,
        &["lag", "x.csv", "x.csv", "--rate", "5e-324"],
        &["--rate 5e-324: the sample period 1/rate overflows"],
        &["inf"],
    );
    // Near the edges the answers are finite and right.
    let o = numlab(&dir, &["spectrum", "x.csv", "--dt", "1e300"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, cols) = parse_csv(&stdout(&o));
    assert_eq!(cols[0][1], 1.0 / (1000.0 * 1e300));
    assert!(cols[0].iter().all(|f| f.is_finite()));
}

#[test]
fn smoothing_truncate_is_blamed_on_truncate() {
    let dir = scratch("limits-smooth");
    write_csv(&dir, "s.csv", "x,y\n0,1\n1,2\n2,3\n3,1\n");
    refused(
        &dir,
        &["smooth", "s.csv", "--sigma", "1", "--truncate", "1e308"],
        &["--truncate 1e308: at most 67100000 sigmas at sigma = 1 samples"],
        &["invalid sigma"],
    );
    // A sigma too wide at the default truncate is still sigma's.
    refused(
        &dir,
        &["smooth", "s.csv", "--sigma", "1e300"],
        &["invalid sigma = 1e300"],
        &["truncate"],
    );
}
