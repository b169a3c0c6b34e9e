//! `numlab density --method hist|box` streams its points: the peak resident
//! memory of the process stays bounded whatever the file's length.
//!
//! This file holds only these tests: the peak is read with
//! `getrusage(RUSAGE_CHILDREN)`, which covers every child this test process
//! has waited for.

mod common;

use common::{numlab, scratch, stderr};

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

/// The largest resident set of any child waited for so far, in bytes.
fn peak_child_rss() -> u64 {
    // SAFETY: getrusage writes the struct it is given; zeroed is a valid
    // rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss as u64 * 1024
}

fn density_peak(n: usize, name: &str) -> u64 {
    let dir = scratch(name);
    let input = dir.join("points.csv");
    write_points(&input, n);
    let o = numlab(
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
    assert!(o.status.success(), "{}", stderr(&o));
    let peak = peak_child_rss();
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
