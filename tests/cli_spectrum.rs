//! `numlab spectrum` and `numlab lowpass` end to end on CSV files: results
//! equal the library's, values round-trip, keeping every coefficient gives
//! the input back, and bad input gives one line on stderr, exit 2, and no
//! output file.

mod common;

use std::f64::consts::PI;

use common::*;
use numlab_core::signals;
use numlab_core::spectrum::{RealDft, Sides, SpectrumOptions, Window};

/// time,signal CSV of a two-tone signal sampled at 1 kHz.
fn two_tones(n: usize) -> (String, Vec<f64>) {
    let x: Vec<f64> = (0..n)
        .map(|j| {
            let t = j as f64 * 1e-3;
            0.5 + 3.0 * (2.0 * PI * 50.0 * t + 0.5).cos()
                + 0.25 * (2.0 * PI * 120.0 * t - 1.0).cos()
        })
        .collect();
    let mut text = String::from("time,signal\n");
    for (j, v) in x.iter().enumerate() {
        text.push_str(&format!("{:?},{v:?}\n", j as f64 * 1e-3));
    }
    (text, x)
}

#[test]
fn one_sided_spectrum_reads_amplitudes_and_phases() {
    let dir = scratch("spectrum-one");
    let (text, x) = two_tones(1000);
    write_csv(&dir, "in.csv", &text);
    let o = numlab(
        &dir,
        &[
            "spectrum", "in.csv", "--column", "signal", "--dt", "0.001", "--output", "out.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let (header, cols) = parse_csv(&std::fs::read_to_string(dir.join("out.csv")).unwrap());
    assert_eq!(header, ["frequency", "amplitude", "phase"]);
    assert_eq!(cols[0].len(), 501);
    // 1 Hz bins: the tones sit on bins 50 and 120; DC is the mean.
    assert!((cols[0][50] - 50.0).abs() < 1e-12 && (cols[0][500] - 500.0).abs() < 1e-9);
    assert!((cols[1][0] - 0.5).abs() < 1e-12);
    assert!((cols[1][50] - 3.0).abs() < 1e-12 && (cols[2][50] - 0.5).abs() < 1e-12);
    assert!((cols[1][120] - 0.25).abs() < 1e-12 && (cols[2][120] + 1.0).abs() < 1e-11);
    // Equal to the library, bit for bit (shortest round-trip floats).
    let s = SpectrumOptions::new(1e-3).unwrap().compute(&x).unwrap();
    assert_eq!(cols[0], s.frequency);
    assert_eq!(cols[1], s.amplitude);
    assert_eq!(cols[2], s.phase);
}

#[test]
fn rate_window_two_sided_and_json() {
    let dir = scratch("spectrum-two");
    let (text, x) = two_tones(999);
    write_csv(&dir, "in.csv", &text);
    // --rate is 1/dt; column 1 is the default when there are several.
    let o = numlab(
        &dir,
        &[
            "spectrum", "in.csv", "--rate", "1000", "--window", "hann", "--sides", "two",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, cols) = parse_csv(&stdout(&o));
    assert_eq!(cols[0].len(), 999);
    let s = SpectrumOptions::new(1e-3)
        .unwrap()
        .with_window(Window::Hann)
        .with_sides(Sides::Two)
        .compute(&x)
        .unwrap();
    assert!(max_abs_diff(&cols[1], &s.amplitude) == 0.0);
    assert!(
        cols[0][998] < 0.0,
        "negative frequencies last, as numpy.fft.fftfreq"
    );
    let o = numlab(&dir, &["spectrum", "in.csv", "--dt", "0.001", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["sides"], "one");
    assert_eq!(v["window"], "rectangular");
    assert_eq!(v["amplitude"].as_array().unwrap().len(), 500);
    // A single-column file without a header.
    let only: String = x.iter().map(|v| format!("{v:?}\n")).collect();
    write_csv(&dir, "only.csv", &only);
    let o = numlab(&dir, &["spectrum", "only.csv", "--dt", "0.001"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, c) = parse_csv(&stdout(&o));
    assert_eq!(
        c[1],
        SpectrumOptions::new(1e-3)
            .unwrap()
            .compute(&x)
            .unwrap()
            .amplitude
    );
}

#[test]
fn lowpass_keep_all_gives_the_input_back_and_keep_k_equals_the_library() {
    let dir = scratch("lowpass");
    for n in [255usize, 256] {
        let t: Vec<f64> = (0..n).map(|j| j as f64 * 10.0 / n as f64).collect();
        let x = signals::skew_normal_pdf(&t, 5.0, 1.0, 4.0).unwrap();
        let text: String = std::iter::once("t,pulse\n".to_string())
            .chain(t.iter().zip(&x).map(|(a, b)| format!("{a:?},{b:?}\n")))
            .collect();
        write_csv(&dir, "in.csv", &text);
        let all = (n / 2 + 1).to_string();
        let o = numlab(
            &dir,
            &["lowpass", "in.csv", "--keep", &all, "--output", "out.csv"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = std::fs::read_to_string(dir.join("out.csv")).unwrap();
        assert!(
            out.starts_with("index,original,rebuilt\n0,"),
            "{}",
            &out[..40]
        );
        let (header, cols) = parse_csv(&out);
        assert_eq!(header, ["index", "original", "rebuilt"]);
        assert_eq!(cols[0].len(), n, "odd n keeps its last sample");
        assert_eq!(cols[0], signals::arange(n));
        assert_eq!(cols[1], x);
        assert!(
            max_abs_diff(&cols[2], &x) < 1e-15,
            "keep all: {:e}",
            max_abs_diff(&cols[2], &x)
        );
        let o = numlab(&dir, &["lowpass", "in.csv", "--threshold", "0"]);
        assert!(max_abs_diff(&parse_csv(&stdout(&o)).1[2], &x) < 1e-15);
        // Top 12 and a threshold, equal to the library.
        let dft = RealDft::new(&x, 1.0).unwrap();
        let o = numlab(
            &dir,
            &["lowpass", "in.csv", "--column", "pulse", "--keep", "12"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            parse_csv(&stdout(&o)).1[2],
            dft.keep_top(12).unwrap().rebuild()
        );
        let o = numlab(&dir, &["lowpass", "in.csv", "--threshold", "0.01"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            parse_csv(&stdout(&o)).1[2],
            dft.keep_above(0.01).unwrap().rebuild()
        );
    }
}

/// Every error: exit code 2, one line on stderr naming the problem, no output file.
#[test]
fn bad_input_exits_2_with_one_line_and_no_output() {
    let dir = scratch("spectrum-errors");
    write_csv(&dir, "ok.csv", "t,v\n0,1\n1,2\n2,3\n3,4\n");
    write_csv(&dir, "nan.csv", "t,v\n0,1\n1,nan\n2,3\n");
    write_csv(&dir, "gap.csv", "t,v\n0,1\n1,\n2,3\n");
    write_csv(&dir, "inf.csv", "v\n1\ninf\n");
    write_csv(&dir, "text.csv", "t,v\n0,1\n1,abc\n");
    write_csv(&dir, "empty.csv", "");
    write_csv(&dir, "header-only.csv", "t,v\n");
    let cases: &[(&[&str], &str)] = &[
        (&["spectrum", "ok.csv", "--dt", "0"], "dt"),
        (&["spectrum", "ok.csv", "--dt", "-1"], "dt"),
        (&["spectrum", "ok.csv", "--dt", "nan"], "dt"),
        (&["spectrum", "ok.csv", "--rate", "0"], "rate"),
        (&["spectrum", "ok.csv", "--rate", "-5"], "rate"),
        (&["spectrum", "ok.csv"], "--dt"),
        (
            &["spectrum", "ok.csv", "--dt", "1", "--rate", "1"],
            "--rate",
        ),
        (
            &["spectrum", "ok.csv", "--dt", "1", "--window", "kaiser"],
            "kaiser",
        ),
        (
            &["spectrum", "ok.csv", "--dt", "1", "--sides", "three"],
            "three",
        ),
        (
            &["spectrum", "ok.csv", "--dt", "1", "--column", "nope"],
            "nope",
        ),
        (&["spectrum", "nan.csv", "--dt", "1"], "NaN"),
        (&["spectrum", "gap.csv", "--dt", "1"], "NaN"),
        (&["spectrum", "inf.csv", "--dt", "1"], "inf"),
        (&["spectrum", "text.csv", "--dt", "1"], "abc"),
        (&["spectrum", "empty.csv", "--dt", "1"], "empty"),
        (&["spectrum", "header-only.csv", "--dt", "1"], "no data"),
        (&["spectrum", "missing.csv", "--dt", "1"], "missing.csv"),
        (&["lowpass", "ok.csv", "--keep", "4"], "k = 4"),
        (&["lowpass", "ok.csv", "--keep", "-1"], "--keep"),
        (&["lowpass", "ok.csv", "--threshold", "-1"], "threshold"),
        (&["lowpass", "ok.csv", "--threshold", "nan"], "threshold"),
        (&["lowpass", "ok.csv"], "--keep"),
        (
            &["lowpass", "ok.csv", "--keep", "1", "--threshold", "1"],
            "--threshold",
        ),
        (&["lowpass", "nan.csv", "--keep", "1"], "NaN"),
        (&["lowpass", "ok.csv", "--keep", "1", "--column", "9"], "9"),
    ];
    for (args, needle) in cases {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--output", "out.csv"]);
        let o = numlab(&dir, &full);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: {err:?} should name {needle}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}");
        assert!(
            !dir.join("out.csv").exists(),
            "{args:?} left an output file"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{args:?} left a temporary file");
    }
}
