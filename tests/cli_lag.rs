//! `numlab lag` end to end on CSV files: the sentence and the JSON agree with
//! the library, the sign convention holds both ways, and bad input gives one
//! line on stderr and exit 2.

mod common;

use common::*;
use numlab_core::signals;
use numlab_core::xcorr::{DelayEstimator, Subsample};

/// time,signal CSV of `x` at `rate`.
fn csv(x: &[f64], rate: f64) -> String {
    let mut text = String::from("time,signal\n");
    for (j, v) in x.iter().enumerate() {
        text.push_str(&format!("{:?},{v:?}\n", j as f64 / rate));
    }
    text
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim()).unwrap()
}

#[test]
fn recovers_a_fractional_delay_both_ways() {
    let dir = scratch("lag-both-ways");
    let rate = 8000.0;
    let (a, b) = signals::delayed_pair(8000, 0.01, 0.4, 123.4, 7).unwrap();
    write_csv(&dir, "a.csv", &csv(&a, rate));
    write_csv(&dir, "b.csv", &csv(&b, rate));
    let args = [
        "--rate",
        "8000",
        "--max-lag",
        "0.05",
        "--subsample",
        "accurate",
    ];
    let o = numlab(
        &dir,
        &[&["lag", "a.csv", "b.csv"][..], &args[..], &["--json"][..]].concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let want = DelayEstimator::new(rate)
        .unwrap()
        .with_max_lag(0.05)
        .unwrap()
        .with_subsample(Subsample::Accurate)
        .estimate(&a, &b)
        .unwrap();
    // The same computation (the binary may be built with another opt-level:
    // equal to rounding).
    assert!((v["delay_samples"].as_f64().unwrap() - want.delay_samples).abs() < 1e-9);
    assert!((v["delay_samples"].as_f64().unwrap() - 123.4).abs() < 1e-3);
    assert!((v["delay_s"].as_f64().unwrap() - 123.4 / rate).abs() < 1e-6);
    assert_eq!(v["leader"], "a");
    // Pearson at the whole-sample lag 123: 0.4 sample off on a broadband
    // signal, so well below 1.
    assert!((v["coefficient"].as_f64().unwrap() - want.coefficient).abs() < 1e-9);
    // Swapped: a lags b.
    let o = numlab(&dir, &[&["lag", "b.csv", "a.csv"][..], &args[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stdout(&o).lines().next().unwrap().to_string();
    assert!(first.starts_with("a lags b by 0.01542"), "{first}");
    assert!(first.contains("(123.399"), "{first}");
    let o = numlab(
        &dir,
        &[&["lag", "b.csv", "a.csv"][..], &args[..], &["--json"][..]].concat(),
    );
    let v = json(&o);
    assert_eq!(v["leader"], "b");
    assert!((v["delay_samples"].as_f64().unwrap() + 123.4).abs() < 1e-3);
}

#[test]
fn aligned_recordings_and_whole_samples() {
    let dir = scratch("lag-aligned");
    let a = signals::normal(2000, 1.0, 3).unwrap();
    write_csv(&dir, "a.csv", &csv(&a, 100.0));
    let o = numlab(
        &dir,
        &[
            "lag",
            "a.csv",
            "a.csv",
            "--rate",
            "100",
            "--subsample",
            "none",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().next().unwrap(),
        "a and b are aligned (0 s)"
    );
    // A single-column file, the column named, phat and a window.
    let b: Vec<f64> = (0..2000)
        .map(|i| if i >= 25 { a[i - 25] } else { 0.0 })
        .collect();
    let mut text = String::from("v\n");
    for v in &b {
        text.push_str(&format!("{v:?}\n"));
    }
    write_csv(&dir, "b.csv", &text);
    let o = numlab(
        &dir,
        &[
            "lag",
            "a.csv",
            "b.csv",
            "--rate",
            "100",
            "--column",
            "0",
            "--method",
            "phat",
            "--window",
            "hann",
            "--subsample",
            "none",
            "--json",
        ],
    );
    // --column 0 of a.csv is its time column: the lag of b against time is
    // meaningless but valid; name the signal column to get it right.
    assert!(o.status.success(), "{}", stderr(&o));
    write_csv(&dir, "a1.csv", &{
        let mut t = String::from("v\n");
        for v in &a {
            t.push_str(&format!("{v:?}\n"));
        }
        t
    });
    let o = numlab(
        &dir,
        &[
            "lag",
            "a1.csv",
            "b.csv",
            "--rate",
            "100",
            "--method",
            "phat",
            "--window",
            "hann",
            "--subsample",
            "none",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["delay_samples"].as_f64().unwrap(), 25.0);
    assert_eq!(v["delay_s"].as_f64().unwrap(), 0.25);
    assert_eq!(v["leader"], "a");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = scratch("lag-bad");
    let a = signals::normal(500, 1.0, 3).unwrap();
    write_csv(&dir, "a.csv", &csv(&a, 100.0));
    write_csv(&dir, "flat.csv", "v\n2\n2\n2\n2\n");
    write_csv(&dir, "nan.csv", "v\n1\nnan\n2\n");
    for (args, needle) in [
        (vec!["lag", "a.csv", "a.csv"], "--rate"),
        (vec!["lag", "a.csv", "a.csv", "--rate", "0"], "--rate"),
        (vec!["lag", "a.csv", "a.csv", "--rate", "-5"], "--rate"),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--max-lag", "-1"],
            "--max-lag",
        ),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--max-lag", "10"],
            "--max-lag",
        ),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--method", "fast"],
            "--method",
        ),
        (
            vec![
                "lag", "a.csv", "a.csv", "--rate", "100", "--window", "kaiser",
            ],
            "--window",
        ),
        (
            vec![
                "lag",
                "a.csv",
                "a.csv",
                "--rate",
                "100",
                "--subsample",
                "cubic",
            ],
            "--subsample",
        ),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--band", "10"],
            "--band",
        ),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--band", "30,10"],
            "--band",
        ),
        (
            vec!["lag", "a.csv", "missing.csv", "--rate", "100"],
            "missing.csv",
        ),
        (
            vec!["lag", "a.csv", "flat.csv", "--rate", "100"],
            "constant",
        ),
        (vec!["lag", "nan.csv", "a.csv", "--rate", "100"], "nan.csv"),
        (
            vec!["lag", "a.csv", "a.csv", "--rate", "100", "--column", "zz"],
            "zz",
        ),
    ] {
        let o = numlab(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn one_or_three_threads_give_the_same_bytes() {
    let dir = scratch("lag-threads");
    let (a, b) = signals::delayed_pair(300_000, 0.01, 0.4, 1234.56, 11).unwrap();
    write_csv(&dir, "a.csv", &csv(&a, 20_000.0));
    write_csv(&dir, "b.csv", &csv(&b, 20_000.0));
    for extra in [
        &["--subsample", "accurate"][..],
        &["--method", "phat", "--max-lag", "0.2"][..],
    ] {
        let args = [
            &["lag", "a.csv", "b.csv", "--rate", "20000", "--json"][..],
            extra,
        ]
        .concat();
        let outs: Vec<Vec<u8>> = ["1", "3"]
            .iter()
            .map(|t| {
                let o = std::process::Command::new(env!("CARGO_BIN_EXE_numlab"))
                    .args(&args)
                    .current_dir(&dir)
                    .env("NUMLAB_THREADS", t)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                o.stdout
            })
            .collect();
        assert_eq!(outs[0], outs[1], "{args:?}");
    }
}
