//! `NUMLAB_SIMD`: every code path gives the same bits. The portable path
//! reproduces the committed figures (made on AVX-512 machines) byte for
//! byte, every path the CPU offers gives the same command output, and a path
//! the CPU lacks is refused with one line and exit status 2.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use numlab_core::simd::Isa;

/// Runs `numlab` in `dir` with `NUMLAB_SIMD=simd`.
fn numlab_on(simd: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .env("NUMLAB_SIMD", simd)
        .output()
        .expect("the numlab binary runs")
}

/// `NUMLAB_SIMD=scalar numlab figures --out DIR`: every figure whose name
/// does not contain `timing`, and summary.md outside its measured sections,
/// byte-identical to the committed ones. (The longest test: every study, with
/// the timing figures, on the portable path.)
#[test]
fn scalar_path_reproduces_the_committed_figures() {
    let dir = scratch("simd-scalar-figures");
    let o = numlab_on("scalar", &dir, &["figures", "--out", "scalar"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let committed = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("figures"));
    let got = files(&dir.join("scalar"));
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let mut compared = 0;
    for (name, bytes) in &committed {
        if name.contains("timing") {
            continue;
        }
        if name == "summary.md" {
            assert_eq!(
                deterministic_part(&String::from_utf8_lossy(&got[name])),
                deterministic_part(&String::from_utf8_lossy(bytes)),
                "summary.md outside its measured sections"
            );
        } else {
            assert!(
                got[name] == *bytes,
                "{name} differs from the committed figure"
            );
        }
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} files compared");
}

/// The same commands on every path this CPU offers print and write the same
/// bytes as on the scalar path: smoothing (irregular and uniform x, every
/// method), spectra, densities (histogram, blur, box, KDE), the delay
/// between two recordings, the leapfrog study and the COBAHH network.
#[test]
fn every_path_gives_the_same_output() {
    let dir = scratch("simd-paths");
    // Irregular x (Nadaraya-Watson) with a NaN, and uniform x.
    let n = 5000;
    let mut irregular = String::from("x,y\n");
    let mut uniform = String::from("x,y\n");
    let mut points = String::from("x,y\n");
    let mut a = String::from("a\n");
    let mut b = String::from("b\n");
    let mut x = 0.0;
    for i in 0..n {
        let f = i as f64;
        x += 0.2 + 0.8 * ((f * 0.618_033_988_7).fract());
        let y = (f * 0.013).sin() + 0.3 * ((f * 0.754_877_666).fract() - 0.5);
        let yv = if i == 777 {
            "nan".to_string()
        } else {
            format!("{y}")
        };
        irregular.push_str(&format!("{x},{yv}\n"));
        uniform.push_str(&format!("{i},{y}\n"));
        let (px, py) = (
            (f * 0.381_966).fract(),
            (f * 0.127_43 + 0.2 * (f * 0.01).sin()).fract(),
        );
        points.push_str(&format!("{px},{py}\n"));
        let s = |t: f64| (t * 0.021).sin() * (-((t - 2500.0) / 900.0).powi(2)).exp();
        a.push_str(&format!("{}\n", s(f)));
        b.push_str(&format!(
            "{}\n",
            s(f - 37.0) + 0.01 * ((f * 0.91).fract() - 0.5)
        ));
    }
    for (name, text) in [
        ("irregular.csv", &irregular),
        ("uniform.csv", &uniform),
        ("points.csv", &points),
        ("a.csv", &a),
        ("b.csv", &b),
    ] {
        write_csv(&dir, name, text);
    }
    let runs: Vec<Vec<&str>> = vec![
        vec!["smooth", "irregular.csv", "--sigma", "3", "--skip-nan"],
        vec![
            "smooth",
            "irregular.csv",
            "--sigma",
            "0.5",
            "--truncate",
            "40",
        ],
        vec![
            "smooth",
            "uniform.csv",
            "--sigma",
            "4",
            "--method",
            "direct",
        ],
        vec![
            "smooth",
            "uniform.csv",
            "--sigma",
            "40",
            "--method",
            "sliding",
        ],
        vec!["smooth", "uniform.csv", "--sigma", "40", "--method", "fft"],
        vec![
            "smooth",
            "uniform.csv",
            "--sigma",
            "100",
            "--reach",
            "0.001",
            "--method",
            "seed",
        ],
        vec!["spectrum", "uniform.csv", "--dt", "0.001", "--json"],
        vec![
            "density",
            "points.csv",
            "--size",
            "64x48",
            "--method",
            "hist",
            "--output",
            "OUT.csv",
        ],
        vec![
            "density",
            "points.csv",
            "--size",
            "300x200",
            "--sigma",
            "5",
            "--output",
            "OUT.csv",
        ],
        vec![
            "density",
            "points.csv",
            "--size",
            "64x64",
            "--method",
            "box",
            "--output",
            "OUT.csv",
        ],
        vec![
            "density",
            "points.csv",
            "--size",
            "64x64",
            "--method",
            "kde",
            "--output",
            "OUT.csv",
        ],
        vec![
            "lag",
            "a.csv",
            "b.csv",
            "--rate",
            "1000",
            "--subsample",
            "accurate",
            "--json",
        ],
        vec!["wave", "--grids", "16", "--json"],
        vec!["network", "--duration", "20", "--json"],
    ];
    let paths = Isa::available();
    for args in &runs {
        let mut outputs = Vec::new();
        for isa in &paths {
            let _ = std::fs::remove_file(dir.join("OUT.csv"));
            let o = numlab_on(isa.name(), &dir, args);
            assert!(o.status.success(), "{args:?} on {isa}: {}", stderr(&o));
            let written = std::fs::read(dir.join("OUT.csv")).unwrap_or_default();
            // Timings in JSON reports are the only bytes allowed to differ.
            outputs.push((without_timings(&stdout(&o)), written));
        }
        for (isa, got) in paths.iter().zip(&outputs).skip(1) {
            assert!(got == &outputs[0], "{args:?}: {isa} differs from scalar");
        }
    }
}

/// JSON and text output without the fields that hold measured times.
fn without_timings(text: &str) -> String {
    text.split(',')
        .filter(|f| !f.contains("seconds") && !f.contains("_s\"") && !f.contains("elapsed"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A path the CPU lacks, or a name that is no path, is refused on one line
/// naming the variable and the value, with exit status 2; `auto` and every
/// offered path run.
#[test]
fn unknown_or_missing_paths_are_refused() {
    let dir = scratch("simd-refused");
    let mut refused = vec!["sse9".to_string(), "AVX2".to_string()];
    refused.extend(
        Isa::ALL
            .iter()
            .filter(|i| !i.is_available())
            .map(|i| i.name().to_string()),
    );
    for value in &refused {
        let o = numlab_on(value, &dir, &["bench", "--list"]);
        assert_eq!(o.status.code(), Some(2), "NUMLAB_SIMD={value}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("NUMLAB_SIMD") && err.contains(value.as_str()),
            "{err}"
        );
        assert!(o.stdout.is_empty());
    }
    let mut offered: Vec<String> = Isa::available()
        .iter()
        .map(|i| i.name().to_string())
        .collect();
    offered.push("auto".to_string());
    for value in &offered {
        let o = numlab_on(value, &dir, &["bench", "--list"]);
        assert!(o.status.success(), "NUMLAB_SIMD={value}: {}", stderr(&o));
    }
}
