//! Results do not depend on the number of worker threads: the CLI run with
//! NUMLAB_THREADS = 1 and 3 writes the same bytes (chunk boundaries depend only
//! on the sizes, never on the threads).

mod common;

use std::process::Command;

use common::*;
use numlab_core::signals;

fn run(dir: &std::path::Path, threads: &str, args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .env("NUMLAB_THREADS", threads)
        .output()
        .expect("the numlab binary runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

#[test]
fn one_or_three_threads_give_the_same_bytes() {
    let dir = scratch("threads");
    let n = 200_000;
    let y = signals::uniform(n, -4.0, 4.0, 17).unwrap();
    let xi = signals::sorted_uniform(n, 0.0, n as f64, 18).unwrap();
    let uniform: String = y.iter().map(|v| format!("{v:?}\n")).collect();
    std::fs::write(dir.join("uniform.csv"), uniform).unwrap();
    let irregular: String = xi
        .iter()
        .zip(&y)
        .map(|(a, b)| format!("{a:?},{b:?}\n"))
        .collect();
    std::fs::write(dir.join("irregular.csv"), irregular).unwrap();
    let cases: &[&[&str]] = &[
        &[
            "smooth",
            "uniform.csv",
            "--sigma",
            "3",
            "--method",
            "direct",
        ],
        &["smooth", "uniform.csv", "--sigma", "30", "--method", "fft"],
        &[
            "smooth",
            "uniform.csv",
            "--sigma",
            "30",
            "--method",
            "sliding",
        ],
        &["smooth", "irregular.csv", "--sigma", "5"],
        // Study 02: the transform and the parallel polar pass.
        &["spectrum", "uniform.csv", "--rate", "1000"],
        // Study 04: the FFT route of the correlation (both halves, the last
        // butterfly on two threads).
        &[
            "lag",
            "uniform.csv",
            "irregular.csv",
            "--rate",
            "1000",
            "--column",
            "0",
            "--json",
        ],
    ];
    for args in cases {
        let one = run(&dir, "1", args);
        let three = run(&dir, "3", args);
        assert!(
            one.len() > n * 10 || args[0] == "lag",
            "{args:?}: short output"
        );
        assert!(
            one == three,
            "{args:?}: output differs between 1 and 3 threads"
        );
    }
}

/// Study 03: the convergence levels run in parallel, and the blocked
/// leapfrog splits each grid into tiles.
#[test]
fn wave_tables_do_not_depend_on_threads() {
    let dir = scratch("threads-wave");
    let args = [
        "wave",
        "--grids",
        "50,100,200,60000",
        "--t-end",
        "0.05",
        "--json",
    ];
    let one = run(&dir, "1", &args);
    let three = run(&dir, "3", &args);
    assert!(one.len() > 100);
    assert!(one == three, "wave output differs between 1 and 3 threads");
}

#[test]
fn network_spikes_do_not_depend_on_threads() {
    let dir = scratch("threads-network");
    let mut files = Vec::new();
    for threads in ["1", "3"] {
        let out = format!("spikes-{threads}.csv");
        run(
            &dir,
            threads,
            &["network", "--duration", "150", "--output", &out],
        );
        files.push(std::fs::read(dir.join(&out)).unwrap());
    }
    assert!(files[0].len() > 1000, "few spikes");
    assert!(
        files[0] == files[1],
        "spikes differ between 1 and 3 threads"
    );
}

#[test]
fn density_grids_do_not_depend_on_threads() {
    let dir = scratch("threads-density");
    let n = 200_000;
    let x = signals::uniform(n, -2.0, 2.0, 31).unwrap();
    let y = signals::normal(n, 0.7, 32).unwrap();
    let text: String = x
        .iter()
        .zip(&y)
        .map(|(a, b)| format!("{a:?},{b:?}\n"))
        .collect();
    std::fs::write(dir.join("points.csv"), text).unwrap();
    for method in ["hist", "gauss", "box", "kde"] {
        let mut outs = Vec::new();
        for threads in ["1", "3"] {
            let out = format!("{method}-{threads}.npy");
            run(
                &dir,
                threads,
                &[
                    "density",
                    "points.csv",
                    "--size",
                    "300x200",
                    "--view",
                    "-1,-1,1,1",
                    "--method",
                    method,
                    "--output",
                    &out,
                ],
            );
            outs.push(std::fs::read(dir.join(&out)).unwrap());
        }
        assert!(outs[0].len() > 300 * 200 * 8, "{method}: short output");
        assert!(
            outs[0] == outs[1],
            "{method}: grids differ between 1 and 3 threads"
        );
    }
}

/// `numlab smooth` of a file over 8 MB streams (two columns on a uniform
/// x; the direct sum, and the FFT whose blocks the threads share): the
/// same bytes on 1 and 3 threads.
#[test]
fn streamed_smooth_does_not_depend_on_threads() {
    let dir = scratch("threads-stream");
    let n = 500_000;
    let y = signals::uniform(n, -4.0, 4.0, 19).unwrap();
    let text: String = y
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:?},{v:?}\n", i as f64 * 0.25))
        .collect();
    std::fs::write(dir.join("xy.csv"), text).unwrap();
    assert!(std::fs::metadata(dir.join("xy.csv")).unwrap().len() > 8 << 20);
    for sigma in ["1", "30"] {
        let args = ["smooth", "xy.csv", "--sigma", sigma, "--mode", "wrap"];
        let one = run(&dir, "1", &args);
        let three = run(&dir, "3", &args);
        assert!(one.len() > n * 10, "{args:?}: short output");
        assert!(
            one == three,
            "{args:?}: output differs between 1 and 3 threads"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
