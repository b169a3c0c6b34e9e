//! `numlab density --method hist|gauss|box` streams its points and `numlab
//! smooth` a long signal (one column, or two on a uniform x; the direct sum
//! or the FFT): the peak resident memory of the process stays bounded
//! whatever the file's length, and the output is the whole-file output.
//!
//! The peak of each child is read with `wait4`, which reports that child's
//! own resource use (tests run side by side in this process). A child's
//! peak starts at this process's own peak (Linux carries the spawning
//! memory's high-water mark across exec), so no test here holds much
//! memory: the streamed output's bytes are checked in
//! `tests/cli_stream_bytes.rs`, a process of its own.

mod common;

use common::scratch;

/// Seed of the points.
const SEED: u64 = 0x7273_735f_7465_7374;

/// A CSV file `x,y` of `n` seeded points in (-4, 4)², six decimals.
fn write_points(path: &std::path::Path, n: usize) {
    use std::io::Write;
    let mut state = SEED;
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64 * 8.0 - 4.0
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"x,y\n").unwrap();
    let mut line = String::new();
    for _ in 0..n {
        line.clear();
        let (x, y) = (next(), next());
        line.push_str(&format!("{x:.6},{y:.6}\n"));
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// Runs numlab with `args` in `dir` (stdout and stderr to files there) and
/// returns its success, its stderr and its peak resident memory in bytes.
fn run_peak(dir: &std::path::Path, args: &[&str]) -> (bool, String, u64) {
    let err_path = dir.join("stderr.txt");
    // wait4 below reaps the child (std's wait would lose its rusage).
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(dir.join("stdout.txt")).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("the numlab binary runs");
    let mut status = 0;
    // SAFETY: wait4 writes the status and the struct it is given; zeroed is
    // a valid rusage; the pid is our own child, not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let err = std::fs::read_to_string(&err_path).unwrap_or_default();
    (ok, err, usage.ru_maxrss as u64 * 1024)
}

fn density_peak(n: usize, name: &str) -> u64 {
    let dir = scratch(name);
    let input = dir.join("points.csv");
    write_points(&input, n);
    let (ok, err, peak) = run_peak(
        &dir,
        &[
            "density",
            input.to_str().unwrap(),
            "--size",
            "512x512",
            "--method",
            "hist",
            "--view",
            "-4,-4,4,4",
            "--output",
            "h.npy",
        ],
    );
    assert!(ok, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    peak
}

/// 3e6 points (57 MB of text): read whole, the file and its two columns
/// would take over 100 MB; streamed, the process stays under 80 MB.
#[test]
fn density_hist_streams_3e6_points() {
    let peak = density_peak(3_000_000, "stream-3e6");
    assert!(peak < 80 << 20, "peak resident memory {} MB", peak >> 20);
}

/// The figure: 1e7 points (190 MB of text) under 100 MB plus the
/// 512x512 grid (2 MB). Slow in a debug build: run with
/// `cargo test --release --test cli_stream -- --ignored`.
#[test]
#[ignore]
fn density_hist_streams_1e7_points() {
    let peak = density_peak(10_000_000, "stream-1e7");
    eprintln!(
        "peak resident memory: {:.1} MB",
        peak as f64 / (1 << 20) as f64
    );
    assert!(
        peak < (100 << 20) + 512 * 512 * 8,
        "peak resident memory {} MB",
        peak >> 20
    );
}

/// A one-column CSV file of `n` seeded samples, six decimals, with a header.
fn write_signal(path: &std::path::Path, n: usize) {
    use std::io::Write;
    let mut state = SEED ^ 0x5157;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"volts\n").unwrap();
    let mut line = String::new();
    for _ in 0..n {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let v = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        line.clear();
        line.push_str(&format!("{:.6}\n", v * 2.0 - 1.0));
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// A two-column CSV file `t,v` of `n` seeded samples on the uniform grid
/// t = 100 + i / 1000 (three decimals), v with six.
fn write_xy(path: &std::path::Path, n: usize) {
    use std::io::Write;
    let mut state = SEED ^ 0x7879;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"t,v\n").unwrap();
    let mut line = String::new();
    for i in 0..n {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let v = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        line.clear();
        line.push_str(&format!(
            "{:.3},{:.6}\n",
            100.0 + i as f64 / 1000.0,
            v * 2.0 - 1.0
        ));
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// The peak resident memory of `numlab smooth` on `n` samples (one column,
/// or two with `two`) with `flags`, and the output's first rows checked.
fn smooth_peak(n: usize, name: &str, two: bool, flags: &[&str]) -> u64 {
    let dir = scratch(name);
    let input = dir.join("signal.csv");
    match two {
        true => write_xy(&input, n),
        false => write_signal(&input, n),
    }
    let mut args = vec!["smooth", input.to_str().unwrap()];
    args.extend_from_slice(flags);
    args.extend(["--output", "out.csv"]);
    let (ok, err, peak) = run_peak(&dir, &args);
    assert!(ok, "{err}");
    // Read a line at a time: a large allocation here would stay in this
    // process and could be counted in the next child's peak.
    use std::io::BufRead;
    let out = std::io::BufReader::new(std::fs::File::open(dir.join("out.csv")).unwrap());
    let mut lines = 0;
    for (i, line) in out.lines().enumerate() {
        let line = line.unwrap();
        match (i, two) {
            (0, _) => assert_eq!(line, "x,y,smoothed"),
            (1, false) => assert!(line.starts_with("0.0,")),
            (1, true) => assert!(line.starts_with("100.0,")),
            (2, true) => assert!(line.starts_with("100.001,")),
            _ => {}
        }
        lines += 1;
    }
    assert_eq!(lines, n + 1);
    let _ = std::fs::remove_dir_all(&dir);
    peak
}

/// `numlab smooth` of a one-column file streams: three times the samples
/// (1e6 and 3e6, 9.5 and 28 MB of text; read whole, the larger would take
/// about 300 MB) take the same memory to within 16 MB, and under 80 MB.
#[test]
fn smooth_memory_does_not_grow_with_length() {
    smooth_peaks(1_000_000, 3_000_000);
}

/// The same from 3e6 to 1e7 samples (95 MB of text, about 1 GB read
/// whole); both files are longer than one 16 MB window of the reader, the
/// part of the peak that grows with a short file. Slow in a debug build:
/// run with `cargo test --release --test cli_stream -- --ignored`.
#[test]
#[ignore]
fn smooth_memory_does_not_grow_to_1e7() {
    smooth_peaks(3_000_000, 10_000_000);
}

/// Two columns on a uniform x stream too (the grid checked in a pass of
/// its own): 1e6 and 3e6 rows (22 and 66 MB of text; read whole the larger
/// would take about 400 MB) within 16 MB of each other, under 80 MB.
#[test]
fn smooth_two_columns_memory_does_not_grow() {
    smooth_peaks_with(1_000_000, 3_000_000, true, &["--sigma", "0.005"]);
}

/// A wide kernel (sigma 100 samples, 801 taps: the FFT under `--method
/// auto`) streams too, block by block as the whole-signal FFT.
#[test]
fn smooth_wide_kernel_memory_does_not_grow() {
    smooth_peaks_with(
        1_000_000,
        3_000_000,
        false,
        &["--sigma", "100", "--mode", "reflect"],
    );
}

/// The same to 1e7 rows, two columns and the wide kernel (`--ignored`).
#[test]
#[ignore]
fn smooth_two_columns_and_wide_kernel_to_1e7() {
    smooth_peaks_with(3_000_000, 10_000_000, true, &["--sigma", "0.005"]);
    smooth_peaks_with(3_000_000, 10_000_000, false, &["--sigma", "100"]);
}

fn smooth_peaks(small_n: usize, large_n: usize) {
    smooth_peaks_with(small_n, large_n, false, &["--sigma", "5", "--mode", "wrap"]);
}

fn smooth_peaks_with(small_n: usize, large_n: usize, two: bool, flags: &[&str]) {
    let small = smooth_peak(small_n, &format!("smooth-{small_n}-{two}"), two, flags);
    let large = smooth_peak(large_n, &format!("smooth-{large_n}-{two}"), two, flags);
    eprintln!(
        "smooth {flags:?} (two columns: {two}) peak resident memory: {:.1} MB ({small_n} samples), {:.1} MB ({large_n})",
        small as f64 / (1 << 20) as f64,
        large as f64 / (1 << 20) as f64
    );
    assert!(
        large < small + (16 << 20),
        "{} MB vs {} MB",
        large >> 20,
        small >> 20
    );
    assert!(large < 80 << 20, "peak resident memory {} MB", large >> 20);
}
