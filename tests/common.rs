//! Helpers of the end-to-end tests: run the binary, make scratch folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `numlab` with arguments in `dir`.
pub fn numlab(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_numlab"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the numlab binary runs")
}

/// A fresh, empty scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("numlab-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses CSV text with a header into (header, columns).
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect();
    let mut cols = vec![Vec::new(); header.len()];
    for l in lines {
        for (c, v) in cols.iter_mut().zip(l.split(',')) {
            c.push(
                v.parse::<f64>()
                    .unwrap_or_else(|_| panic!("not a number: {v}")),
            );
        }
    }
    (header, cols)
}

/// Writes a CSV file into a scratch folder.
pub fn write_csv(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("scratch file");
}

/// max |a - b| over paired values (equal lengths asserted).
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
