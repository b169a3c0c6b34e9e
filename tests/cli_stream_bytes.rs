//! `numlab smooth` of files over the 8 MB from which it streams gives the
//! bytes of the whole-file path. (Apart from `tests/cli_stream.rs`: the
//! large buffers here would raise the peak memory its children report.)

mod common;

use common::scratch;

/// Seed of the samples.
const SEED: u64 = 0x7273_735f_7465_7374;

/// A one-column CSV file of `n` seeded samples, six decimals, with a header.
fn write_signal(path: &std::path::Path, n: usize) {
    use std::io::Write;
    let mut state = SEED ^ 0x5157;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"volts\n").unwrap();
    for _ in 0..n {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let v = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        writeln!(out, "{:.6}", v * 2.0 - 1.0).unwrap();
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
    for i in 0..n {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let v = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        writeln!(out, "{:.3},{:.6}", 100.0 + i as f64 / 1000.0, v * 2.0 - 1.0).unwrap();
    }
    out.flush().unwrap();
}

/// What the whole-file path writes for a file: its columns parsed by
/// `str::parse` (the reader's values), smoothed by `smooth_xy` (x = 0..n-1
/// for one column), each value as `{:?}` writes it (the bytes of the
/// writer).
fn whole_file_bytes(text: &str, sigma: f64, mode: &str, method: &str) -> Vec<u8> {
    use numlab_core::smoothing::{EdgeMode, GaussianSmoother, Method};
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    let two = head.contains(',');
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (i, l) in lines.enumerate() {
        match l.split_once(',') {
            Some((a, b)) if two => {
                x.push(a.parse::<f64>().unwrap());
                y.push(b.parse::<f64>().unwrap());
            }
            _ => {
                x.push(i as f64);
                y.push(l.parse::<f64>().unwrap());
            }
        }
    }
    let s = GaussianSmoother::new(sigma)
        .unwrap()
        .with_method(method.parse::<Method>().unwrap())
        .with_mode(mode.parse::<EdgeMode>().unwrap())
        .smooth_xy(&x, &y)
        .unwrap();
    let mut out = String::from("x,y,smoothed\n");
    for i in 0..x.len() {
        out.push_str(&format!("{:?},{:?},{:?}\n", x[i], y[i], s.values[i]));
    }
    out.into_bytes()
}

/// Files over the 8 MB from which `numlab smooth` streams: two columns on a
/// uniform x, by the direct sum and by the FFT (a kernel of 401 taps), and
/// one column by the FFT (241 taps), in several edge modes, give the bytes
/// of the whole-file path (x written back as read); two columns with one x
/// off the grid near the end (found by the second pass) give the
/// whole-file path's regression.
#[test]
fn smooth_streams_the_whole_file_bytes() {
    let dir = scratch("smooth-stream-bytes");
    let n = 600_000;
    let (xy, one, off) = (dir.join("xy.csv"), dir.join("one.csv"), dir.join("off.csv"));
    write_xy(&xy, n);
    write_signal(&one, 1_000_000);
    let text = std::fs::read_to_string(&xy).unwrap();
    // The 4th row from the end 0.4 of a step later: off the grid.
    let mut rows: Vec<&str> = text.lines().collect();
    let moved = format!("{:.4},0.5", 100.0 + (n - 4) as f64 / 1000.0 + 0.0004);
    rows[n - 3] = &moved;
    std::fs::write(&off, rows.join("\n") + "\n").unwrap();
    for f in [&xy, &one, &off] {
        assert!(std::fs::metadata(f).unwrap().len() > 8 << 20);
    }
    let cases: [(&std::path::Path, &str, &str, &str); 6] = [
        (&xy, "0.003", "wrap", "auto"),
        (&xy, "0.003", "renormalize", "direct"),
        (&xy, "0.05", "reflect", "auto"),
        (&xy, "0.05", "constant", "fft"),
        (&one, "30", "mirror", "auto"),
        (&off, "0.003", "renormalize", "auto"),
    ];
    for (input, sigma, mode, method) in cases {
        let o = common::numlab(
            &dir,
            &[
                "smooth",
                input.to_str().unwrap(),
                "--sigma",
                sigma,
                "--mode",
                mode,
                "--method",
                method,
                "--output",
                "out.csv",
            ],
        );
        assert!(o.status.success(), "{}", common::stderr(&o));
        assert!(o.stderr.is_empty(), "{}", common::stderr(&o));
        let text = std::fs::read_to_string(input).unwrap();
        let want = whole_file_bytes(&text, sigma.parse().unwrap(), mode, method);
        let got = std::fs::read(dir.join("out.csv")).unwrap();
        assert!(got == want, "{input:?} sigma {sigma} {mode} {method}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
