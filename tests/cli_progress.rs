//! Progress bars: work that runs longer than about a second shows one on
//! stderr when stderr is a terminal, and nothing when it is not.
//!
//! The terminal is `script -qc` (util-linux), which runs the command on a
//! pseudo-terminal and copies what it draws to its own stdout; without
//! `script` the terminal half is skipped.

mod common;

use common::scratch;

/// Whether `script` (util-linux) is here.
fn have_script() -> bool {
    std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `numlab args` on a pseudo-terminal: what it drew (stdout and
/// stderr together), and how long it ran.
fn on_terminal(dir: &std::path::Path, args: &str) -> (String, std::time::Duration) {
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_numlab"));
    let start = std::time::Instant::now();
    let o = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    let took = start.elapsed();
    assert!(o.status.success(), "{}", common::stderr(&o));
    (common::stdout(&o), took)
}

/// `numlab network` for 2 s of biological time (20,000 steps; about 0.5 s
/// of work on two cores): with stderr a file, stderr stays empty; on a
/// terminal, a run that takes over two and a half seconds draws the bar
/// (`network [====>   ] 12,345/20,000 steps`), then clears it before the
/// result line. A faster machine, finishing within the second, shows none
/// and checks nothing here.
#[test]
fn network_bar_on_a_terminal_only() {
    let dir = scratch("progress-network");
    let o = common::numlab(&dir, &["network", "--duration", "2000"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(o.stderr.is_empty(), "{}", common::stderr(&o));
    assert!(common::stdout(&o).starts_with("COBAHH: 4000 neurons"));
    if !have_script() {
        eprintln!("no `script` here: the terminal half is skipped");
        return;
    }
    let (drawn, took) = on_terminal(&dir, "network --duration 2000");
    assert!(drawn.contains("COBAHH: 4000 neurons"), "{drawn}");
    if took.as_secs_f64() > 2.5 {
        assert!(drawn.contains("network ["), "{drawn}");
        assert!(drawn.contains("/20,000 steps"), "{drawn}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A whole-file read that takes long enough shows `reading FILE [...]` by
/// bytes on a terminal, nothing with stderr redirected; a quick one shows
/// nothing even on a terminal.
#[test]
fn read_bar_on_a_terminal_only() {
    let dir = scratch("progress-read");
    // 2e6 rows, 2 columns (40 MB): a second or more on a loaded machine.
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("big.csv")).unwrap());
        out.write_all(b"a,b\n").unwrap();
        for i in 0..2_000_000u64 {
            writeln!(out, "{}.{:06},{}", i, (i * 7919) % 1_000_000, i % 977).unwrap();
        }
        out.flush().unwrap();
    }
    common::write_csv(&dir, "small.csv", "a,b\n1,2\n3,4\n");
    for file in ["big.csv", "small.csv"] {
        let o = common::numlab(&dir, &["read-csv", file]);
        assert!(o.status.success(), "{}", common::stderr(&o));
        assert!(o.stderr.is_empty(), "{file}: {}", common::stderr(&o));
    }
    if !have_script() {
        eprintln!("no `script` here: the terminal half is skipped");
        return;
    }
    let (drawn, _) = on_terminal(&dir, "read-csv small.csv");
    assert!(!drawn.contains("reading"), "{drawn}");
    let (drawn, took) = on_terminal(&dir, "read-csv big.csv");
    assert!(drawn.contains("2000000 rows"), "{drawn}");
    if took.as_secs_f64() > 2.5 {
        assert!(drawn.contains("reading big.csv ["), "{drawn}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A computation without a count (`density --method knn` on a large grid,
/// a few seconds of work) shows a spinner on a terminal once it has run for
/// a second, cleared before the result line; with stderr a file, nothing.
#[test]
fn density_spinner_on_a_terminal_only() {
    let dir = scratch("progress-knn");
    let mut text = String::from("x,y\n");
    let mut state: u64 = 0x6b6e_6e5f_7370_696e;
    for _ in 0..20_000 {
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        };
        let (x, y) = (next(), next());
        text.push_str(&format!("{x},{y}\n"));
    }
    common::write_csv(&dir, "pts.csv", &text);
    let args = [
        "density",
        "pts.csv",
        "--method",
        "knn",
        "--k",
        "128",
        "--size",
        "1024x1024",
        "--output",
        "k.npy",
    ];
    let o = common::numlab(&dir, &args);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(o.stderr.is_empty(), "{}", common::stderr(&o));
    if !have_script() {
        eprintln!("no `script` here: the terminal half is skipped");
        return;
    }
    let (drawn, took) = on_terminal(&dir, &args.join(" "));
    assert!(drawn.contains("wrote k.npy"), "{drawn}");
    if took.as_secs_f64() > 2.5 {
        assert!(drawn.contains("density --method knn"), "{drawn}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
