//! `numlab smooth` of a long one-column file in memory that does not grow
//! with its length.
//!
//! A one-column file of at least [`STREAM_FROM`] bytes, smoothed by the
//! direct sum (`--method auto` with at most 81 taps, or `--method direct`),
//! is read twice, a block at a time ([`Columns::stream_with`]): a first pass
//! checks every row (so an error leaves no output, as the whole-file path),
//! counts them, and keeps the last samples `--mode wrap` needs; the second
//! feeds a [`UniformStream`] and writes the rows as they come out, through a
//! temporary file renamed over `--output` at the end (or to stdout). The
//! bytes are those of the whole-file path. Everything else (a smaller file,
//! two columns, the FFT, sliding or recursive method, `--skip-nan` on a
//! signal with missing values, any error) takes the whole-file path, which
//! words the errors.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use numlab_core::smoothing::{Cutoff, EdgeMode, GaussianSmoother, Method, UniformStream};

use crate::output;
use crate::table::{push_float, Columns, Header};
use crate::SmoothArgs;

/// Files from this many bytes stream (tests make it small).
pub(crate) static STREAM_FROM: AtomicU64 = AtomicU64::new(8 << 20);

/// Rows formatted per task of the writer.
const ROWS_PER_TASK: usize = 1 << 14;

/// Smooths and writes `a` by streaming; `None` when it takes the
/// whole-file path instead (nothing has been written then).
pub(crate) fn run(a: &SmoothArgs) -> Option<Result<(), String>> {
    if a.method == "seed" || a.x_col.is_some() {
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
    if a.phi.is_some() || a.amplitude.is_some() {
        return None;
    }
    let plan = GaussianSmoother::new(a.sigma)
        .ok()?
        .with_cutoff(cutoff)
        .ok()?
        .with_cval(a.cval)
        .ok()?
        .with_method(method)
        .plan(1.0)
        .ok()?;
    if plan.method() != Method::Direct {
        return None;
    }
    let header = Header::from_flag(a.header);
    let y_key = a.y_col.clone().unwrap_or_else(|| "0".into());
    let keys = |width: usize| match width {
        1 => vec![y_key.clone()],
        _ => Vec::new(),
    };
    // Pass 1: every row checked, counted; the last samples kept for wrap.
    let left = plan.kernel().left;
    let (mut n, mut bad) = (0usize, false);
    let mut last: Vec<f64> = Vec::new();
    let rows = Columns::stream_with(&a.input, header, &keys, &mut |cols| {
        let y = cols[0];
        n += y.len();
        bad |= !y.iter().all(|v| v.is_finite());
        last.extend_from_slice(&y[y.len().saturating_sub(left)..]);
        if last.len() > 2 * left {
            last.drain(..last.len() - left);
        }
        Some(())
    })?;
    if rows != n || (a.skip_nan && bad) {
        return None;
    }
    let last = last[last.len() - n.min(left)..].to_vec();
    // Pass 2: the rows written as the smoother hands them back.
    let mut write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut stream = UniformStream::new(&plan, n, mode, a.cval, &last)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        w.write_all(b"x,y,smoothed\n")?;
        let (mut pending, mut out, mut row) = (Vec::new(), Vec::new(), 0usize);
        let mut failed: Option<std::io::Error> = None;
        let mut put = |pending: &mut Vec<f64>, out: &mut Vec<f64>, row: &mut usize| {
            let k = out.len();
            let text = rows_text(*row, &pending[..k], out);
            *row += k;
            pending.drain(..k);
            out.clear();
            w.write_all(&text)
        };
        let again = Columns::stream_with(&a.input, header, &keys, &mut |cols| {
            pending.extend_from_slice(cols[0]);
            stream.feed(cols[0], &mut out).ok()?;
            if let Err(e) = put(&mut pending, &mut out, &mut row) {
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
        put(&mut pending, &mut out, &mut row)
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

/// Rows `first..` of `x,y,smoothed` (x the row number), as `csv_bytes`
/// writes them, formatted on every core.
fn rows_text(first: usize, y: &[f64], s: &[f64]) -> Vec<u8> {
    use rayon::prelude::*;
    let parts: Vec<Vec<u8>> = numlab_core::threads::install(|| {
        y.par_chunks(ROWS_PER_TASK)
            .zip(s.par_chunks(ROWS_PER_TASK))
            .enumerate()
            .map(|(t, (y, s))| {
                let mut out = Vec::with_capacity(y.len() * 48);
                for (i, (&v, &w)) in y.iter().zip(s).enumerate() {
                    push_float(&mut out, (first + t * ROWS_PER_TASK + i) as f64);
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

    /// The streamed output is the whole-file output byte for byte, every
    /// edge mode, with stream blocks that cut lines anywhere; what the
    /// stream declines (two columns, the FFT, --skip-nan with a gap) it
    /// leaves untouched.
    #[test]
    fn streamed_equals_whole_file() {
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
        let run_both = |extra: &[&str]| -> (Option<Vec<u8>>, Vec<u8>) {
            let (sa, sb) = (dir.join("a.csv"), dir.join("b.csv"));
            let mut argv = vec!["t", inp.as_str()];
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
            crate::smooth(b).unwrap();
            (streamed, std::fs::read(&sb).unwrap())
        };
        for block in [5, 333, 1 << 20] {
            crate::table::STREAM_BLOCK.store(block, Ordering::Relaxed);
            for mode in [
                "reflect",
                "mirror",
                "nearest",
                "wrap",
                "constant",
                "renormalize",
            ] {
                for sigma in ["0.5", "3", "10"] {
                    let (s, w) = run_both(&["--sigma", sigma, "--mode", mode, "--cval", "0.25"]);
                    assert!(s.as_ref() == Some(&w), "{mode} sigma {sigma} block {block}");
                }
            }
        }
        crate::table::STREAM_BLOCK.store(crate::table::scan_block(), Ordering::Relaxed);
        for declined in [
            &["--sigma", "30"][..],
            &["--sigma", "3", "--method", "fft"],
            &["--sigma", "3", "--skip-nan"],
        ] {
            let (s, _) = run_both(declined);
            assert!(s.is_none(), "{declined:?}");
        }
        STREAM_FROM.store(8 << 20, Ordering::Relaxed);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
