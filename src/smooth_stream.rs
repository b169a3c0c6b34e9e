//! `numlab smooth` of a long file in memory that does not grow with its
//! length.
//!
//! A file of at least [`STREAM_FROM`] bytes whose uniform-grid filter runs
//! the direct sum or the FFT (`--method auto`, `direct` or `fft`) streams,
//! one column (y, x = 0..n-1) or two (x and y): a first pass checks every
//! row (so an error leaves no output, as the whole-file path), counts them,
//! keeps the first and last x and the last samples `--mode wrap` needs; for
//! two columns a second pass checks that x is a uniform grid by the test of
//! the whole-file path ([`UniformGrid`], the test of `uniform_spacing`);
//! the last pass feeds a [`UniformStream`] (the overlap-save blocks of the
//! whole signal for the FFT) and writes the rows as they come out, through
//! a temporary file renamed over `--output` at the end (or to stdout). The
//! bytes are those of the whole-file path. Everything else (a smaller file,
//! irregular or unsorted x, the sliding or recursive method, `--skip-nan` on
//! a signal with missing values, any error) takes the whole-file path,
//! which words the errors.

use std::cell::Cell;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use numlab_core::smoothing::{
    Cutoff, EdgeMode, GaussianSmoother, Method, UniformGrid, UniformPlan, UniformStream,
};

use crate::output;
use crate::table::{push_float, Columns, Header};
use crate::SmoothArgs;

/// Files from this many bytes stream (tests make it small).
pub(crate) static STREAM_FROM: AtomicU64 = AtomicU64::new(8 << 20);

/// Rows formatted per task of the writer.
const ROWS_PER_TASK: usize = 1 << 14;

/// The most y samples the first pass of a two-column file keeps for `--mode
/// wrap` (the kernel's left half, unknown until x's step is): 32 MB.
const WRAP_TAIL_MAX: usize = 1 << 22;

/// What the first pass learnt.
struct Scan {
    n: usize,
    /// First, second and last x (two columns).
    x0: f64,
    x1: f64,
    x_last: f64,
    /// x finite and sorted so far.
    x_ok: bool,
    /// Some y is NaN or infinite.
    bad: bool,
    /// The last y samples (at most `keep`).
    tail: Vec<f64>,
    keep: usize,
}

impl Scan {
    /// The next x values (call before [`take_y`](Self::take_y) of their rows).
    fn take_x(&mut self, x: &[f64]) {
        for (k, &v) in x.iter().enumerate() {
            let i = self.n + k;
            match i {
                0 => self.x0 = v,
                1 => self.x1 = v,
                _ => {}
            }
            self.x_ok &= v.is_finite() && (i == 0 || v >= self.x_last);
            self.x_last = v;
        }
    }

    /// The next y values.
    fn take_y(&mut self, y: &[f64]) {
        self.n += y.len();
        self.bad |= !y.iter().all(|v| v.is_finite());
        self.tail
            .extend_from_slice(&y[y.len().saturating_sub(self.keep)..]);
        if self.tail.len() > 2 * self.keep.max(1 << 12) {
            self.tail.drain(..self.tail.len() - self.keep);
        }
    }
}

/// Smooths and writes `a` by streaming; `None` when it takes the
/// whole-file path instead (nothing has been written then).
pub(crate) fn run(a: &SmoothArgs) -> Option<Result<(), String>> {
    if a.method == "seed" || a.phi.is_some() || a.amplitude.is_some() {
        return None;
    }
    let size = std::fs::metadata(&a.input).ok()?.len();
    if size < STREAM_FROM.load(Ordering::Relaxed) {
        return None;
    }
    let method: Method = a.method.parse().ok()?;
    let cutoff = match (a.truncate, a.reach) {
        (_, Some(r)) => Cutoff::Reach(r),
        (Some(t), None) => Cutoff::Truncate(t),
        (None, None) => Cutoff::default(),
    };
    let mode: EdgeMode = match &a.mode {
        Some(m) => m.parse().ok()?,
        None => EdgeMode::default(),
    };
    let smoother = GaussianSmoother::new(a.sigma)
        .ok()?
        .with_cutoff(cutoff)
        .ok()?
        .with_cval(a.cval)
        .ok()?
        .with_method(method);
    let streams = |plan: &UniformPlan| matches!(plan.method(), Method::Direct | Method::Fft);
    let header = Header::from_flag(a.header);
    // The columns as the whole-file path picks them: one column is y (x =
    // 0..n-1) unless --x is given; otherwise x and y.
    let x_key = a.x_col.clone().unwrap_or_else(|| "0".into());
    let one_key = a.y_col.clone().unwrap_or_else(|| "0".into());
    let y_key = a.y_col.clone().unwrap_or_else(|| "1".into());
    let two = Cell::new(false);
    let keys = |width: usize| match width {
        1 if a.x_col.is_none() => vec![one_key.clone()],
        _ => {
            two.set(true);
            vec![x_key.clone(), y_key.clone()]
        }
    };
    // Pass 1: every row checked, counted; x's ends; the last samples kept
    // for wrap (a one-column kernel's left half; for two columns, twice
    // that at the step of the first two points, checked below).
    let one_left = smoother.plan(1.0).ok()?.kernel().left;
    let mut scan = Scan {
        n: 0,
        x0: 0.0,
        x1: 0.0,
        x_last: 0.0,
        x_ok: true,
        bad: false,
        tail: Vec::new(),
        keep: if mode == EdgeMode::Wrap { one_left } else { 0 },
    };
    let rows = Columns::stream_with(&a.input, header, &keys, &mut |cols| {
        if two.get() {
            let had = scan.n;
            scan.take_x(cols[0]);
            if had < 2 && had + cols[0].len() >= 2 && mode == EdgeMode::Wrap {
                let left = smoother.plan(scan.x1 - scan.x0).ok()?.kernel().left;
                scan.keep = (2 * left + 64).min(WRAP_TAIL_MAX);
            }
            scan.take_y(cols[1]);
        } else {
            scan.take_y(cols[0]);
        }
        Some(())
    })?;
    let n = scan.n;
    if rows != n || (a.skip_nan && scan.bad) {
        return None;
    }
    let two = two.get();
    let plan = if two {
        if !scan.x_ok {
            return None;
        }
        let grid = UniformGrid::from_ends(scan.x0, scan.x_last, n)?;
        let plan = smoother.plan(grid.dx()).ok()?;
        if !streams(&plan) {
            return None;
        }
        // Pass 2: x on the grid, by the whole-file path's test.
        let mut i = 0usize;
        let x_only = |_: usize| vec![x_key.clone()];
        let checked = Columns::stream_with(&a.input, header, &x_only, &mut |cols| {
            let fits = cols[0]
                .iter()
                .enumerate()
                .all(|(k, &v)| grid.fits(i + k, v));
            i += cols[0].len();
            fits.then_some(())
        });
        if checked != Some(n) {
            return None;
        }
        plan
    } else {
        let plan = smoother.plan(1.0).ok()?;
        if !streams(&plan) {
            return None;
        }
        plan
    };
    let left = plan.kernel().left;
    if mode == EdgeMode::Wrap && scan.tail.len() < n.min(left) {
        return None;
    }
    let last = match mode {
        EdgeMode::Wrap => scan.tail[scan.tail.len() - n.min(left)..].to_vec(),
        _ => Vec::new(),
    };
    drop(scan.tail);
    // The last pass: the rows written as the smoother hands them back.
    let mut write = |w: &mut dyn Write| -> std::io::Result<()> {
        let stream = UniformStream::new(&plan, n, mode, a.cval, &last)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut stream = stream.with_non_finite(scan.bad);
        w.write_all(b"x,y,smoothed\n")?;
        let (mut pending_x, mut pending, mut out, mut row) =
            (Vec::new(), Vec::new(), Vec::new(), 0usize);
        let mut failed: Option<std::io::Error> = None;
        let mut put = |pending_x: &mut Vec<f64>,
                       pending: &mut Vec<f64>,
                       out: &mut Vec<f64>,
                       row: &mut usize| {
            let k = out.len();
            let x = if two { Some(&pending_x[..k]) } else { None };
            let text = rows_text(*row, x, &pending[..k], out);
            *row += k;
            pending.drain(..k);
            if two {
                pending_x.drain(..k);
            }
            out.clear();
            w.write_all(&text)
        };
        let again = Columns::stream_with(&a.input, header, &keys, &mut |cols| {
            let y = cols[cols.len() - 1];
            if two {
                pending_x.extend_from_slice(cols[0]);
            }
            pending.extend_from_slice(y);
            stream.feed(y, &mut out).ok()?;
            if let Err(e) = put(&mut pending_x, &mut pending, &mut out, &mut row) {
                failed = Some(e);
                return None;
            }
            Some(())
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if again != Some(n) {
            return Err(std::io::Error::other(format!(
                "{} changed while it was read",
                a.input
            )));
        }
        stream
            .finish(&mut out)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        put(&mut pending_x, &mut pending, &mut out, &mut row)
    };
    Some(match &a.output {
        Some(path) => numlab_studies::files::write_file_with(path, &mut write)
            .map_err(|e| format!("--output {e}")),
        None => {
            let mut sink = Stdout;
            write(&mut sink).map_err(|e| e.to_string())
        }
    })
}

/// Rows `first..` of `x,y,smoothed` (x as read, or the row number), as
/// `csv_bytes` writes them, formatted on every core.
fn rows_text(first: usize, x: Option<&[f64]>, y: &[f64], s: &[f64]) -> Vec<u8> {
    use rayon::prelude::*;
    let parts: Vec<Vec<u8>> = numlab_core::threads::install(|| {
        y.par_chunks(ROWS_PER_TASK)
            .zip(s.par_chunks(ROWS_PER_TASK))
            .enumerate()
            .map(|(t, (y, s))| {
                let mut out = Vec::with_capacity(y.len() * 48);
                let at = t * ROWS_PER_TASK;
                for (i, (&v, &w)) in y.iter().zip(s).enumerate() {
                    let xv = match x {
                        Some(x) => x[at + i],
                        None => (first + at + i) as f64,
                    };
                    push_float(&mut out, xv);
                    out.push(b',');
                    push_float(&mut out, v);
                    out.push(b',');
                    push_float(&mut out, w);
                    out.push(b'\n');
                }
                out
            })
            .collect()
    });
    parts.concat()
}

/// Standard output through [`output::print`] (a closed pipe ends the
/// command quietly).
struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        output::print(buf).map_err(std::io::Error::other)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: SmoothArgs,
    }

    /// The tests below set the statics one at a time.
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// Smooths `input` with `extra` flags streamed (`None` if the stream
    /// declined) and read whole: the two outputs' bytes (the whole-file
    /// path's error message in place of its output).
    fn run_both(dir: &std::path::Path, input: &str, extra: &[&str]) -> (Option<Vec<u8>>, Vec<u8>) {
        let (sa, sb) = (dir.join("a.csv"), dir.join("b.csv"));
        let mut argv = vec!["t", input];
        argv.extend_from_slice(extra);
        let out_a = ["--output", sa.to_str().unwrap()];
        let out_b = ["--output", sb.to_str().unwrap()];
        let a = Cli::parse_from(argv.iter().chain(&out_a)).args;
        STREAM_FROM.store(0, Ordering::Relaxed);
        let streamed = run(&a).map(|r| {
            r.unwrap();
            std::fs::read(&sa).unwrap()
        });
        let b = Cli::parse_from(argv.iter().chain(&out_b)).args;
        STREAM_FROM.store(u64::MAX, Ordering::Relaxed);
        match crate::smooth(b) {
            Ok(()) => (streamed, std::fs::read(&sb).unwrap()),
            Err(e) => (streamed, e.into_bytes()),
        }
    }

    const MODES: [&str; 6] = [
        "reflect",
        "mirror",
        "nearest",
        "wrap",
        "constant",
        "renormalize",
    ];

    /// The streamed output is the whole-file output byte for byte, every
    /// edge mode, with stream blocks that cut lines anywhere, on the direct
    /// sum and (sigma 30) on a signal with NaN that the FFT plan takes by
    /// the direct sum; what the stream declines (the sliding and recursive
    /// methods, --skip-nan with a gap) it leaves untouched.
    #[test]
    fn streamed_equals_whole_file() {
        let _lock = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let dir = std::env::temp_dir().join(format!("numlab-smooth-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.csv");
        let mut text = String::from("volts\r\n");
        for i in 0..3000 {
            match i % 701 {
                9 => text.push_str("\r\n"),
                10 => text.push_str("nan\r\n"),
                _ => text.push_str(&format!("{:.6}\r\n", (i as f64 * 0.37).sin() * 1e3)),
            }
        }
        text.push_str("\r\n");
        std::fs::write(&input, &text).unwrap();
        let inp = input.to_str().unwrap().to_string();
        for block in [5, 333, 1 << 20] {
            crate::table::STREAM_BLOCK.store(block, Ordering::Relaxed);
            for mode in MODES {
                for sigma in ["0.5", "3", "10", "30"] {
                    let (s, w) = run_both(
                        &dir,
                        &inp,
                        &["--sigma", sigma, "--mode", mode, "--cval", "0.25"],
                    );
                    assert!(s.as_ref() == Some(&w), "{mode} sigma {sigma} block {block}");
                }
            }
        }
        crate::table::STREAM_BLOCK.store(crate::table::scan_block(), Ordering::Relaxed);
        for declined in [
            &["--sigma", "3", "--method", "sliding"][..],
            &["--sigma", "3", "--method", "recursive"],
            &["--sigma", "3", "--skip-nan"],
        ] {
            let (s, _) = run_both(&dir, &inp, declined);
            assert!(s.is_none(), "{declined:?}");
        }
        STREAM_FROM.store(8 << 20, Ordering::Relaxed);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Wide kernels (the FFT under `--method auto`, and `--method fft` on a
    /// short one) and two-column files on a uniform x stream, byte for byte
    /// the whole-file output (x written back as read), every edge mode,
    /// blocks cutting lines and FFT blocks anywhere; x off the grid by the
    /// whole-file test (one point of many), irregular or unsorted, is left
    /// to the whole-file path.
    #[test]
    fn wide_kernels_and_two_columns_stream() {
        let _lock = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let dir =
            std::env::temp_dir().join(format!("numlab-smooth-stream2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let n = 6000;
        let y = |i: usize| (i as f64 * 0.37).sin() * 1e3 + (i as f64 * 0.011).cos();
        let write = |name: &str, x: &dyn Fn(usize) -> Option<String>| -> String {
            let p = dir.join(name);
            let mut text = String::new();
            for i in 0..n {
                match x(i) {
                    Some(x) => text.push_str(&format!("{x},{:.6}\n", y(i))),
                    None => text.push_str(&format!("{:.6}\n", y(i))),
                }
            }
            std::fs::write(&p, &text).unwrap();
            p.to_str().unwrap().to_string()
        };
        let one = write("one.csv", &|_| None);
        let half = write("half.csv", &|i| Some(format!("{}", i as f64 * 0.5 - 3.0)));
        let stamps = write("stamps.csv", &|i| {
            Some(format!("{:.3}", 1.7e9 + i as f64 * 1e-3))
        });
        for block in [7, 1000, 1 << 20] {
            crate::table::STREAM_BLOCK.store(block, Ordering::Relaxed);
            for mode in MODES {
                let cases: [(&str, &[&str]); 6] = [
                    (&one, &["--sigma", "30"]),
                    (&one, &["--sigma", "2", "--method", "fft"]),
                    (&half, &["--sigma", "2"]),
                    (&half, &["--sigma", "40"]),
                    (&stamps, &["--sigma", "0.005", "--x", "0", "--y", "1"]),
                    (&stamps, &["--sigma", "0.05", "--method", "fft"]),
                ];
                for (input, flags) in cases {
                    let mut flags = flags.to_vec();
                    flags.extend(["--mode", mode, "--cval", "0.25"]);
                    let (s, w) = run_both(&dir, input, &flags);
                    assert!(s.as_ref() == Some(&w), "{input} {flags:?} block {block}");
                }
            }
        }
        crate::table::STREAM_BLOCK.store(1000, Ordering::Relaxed);
        // One x a little off the grid (5e-6 of a step, over the 1e-6 the
        // whole-file test allows), near the end: the first pass cannot see
        // it, the second declines.
        let off = write("off.csv", &|i| {
            Some(format!(
                "{}",
                i as f64 * 0.5 + if i == n - 3 { 2.5e-6 } else { 0.0 }
            ))
        });
        let wavy = write("wavy.csv", &|i| {
            Some(format!("{}", i as f64 + 0.3 * (i as f64).sin()))
        });
        let unsorted = write("unsorted.csv", &|i| {
            Some(format!("{}", if i == 10 { 0.0 } else { i as f64 }))
        });
        for input in [&off, &wavy, &unsorted] {
            let (s, w) = run_both(&dir, input, &["--sigma", "2"]);
            assert!(s.is_none(), "{input}");
            let w = String::from_utf8(w).unwrap();
            assert_eq!(w.contains("must be sorted"), input == &unsorted, "{w}");
        }
        // Just within the tolerance: on the grid, streamed.
        let near = write("near.csv", &|i| {
            Some(format!(
                "{}",
                i as f64 * 0.5 + if i == n - 3 { 2e-7 } else { 0.0 }
            ))
        });
        let (s, w) = run_both(&dir, &near, &["--sigma", "2"]);
        assert!(s.as_ref() == Some(&w));
        crate::table::STREAM_BLOCK.store(crate::table::scan_block(), Ordering::Relaxed);
        STREAM_FROM.store(8 << 20, Ordering::Relaxed);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
