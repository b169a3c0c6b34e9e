//! Helpers of the end-to-end tests: run the binary, make scratch folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
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

/// The files of `dir`, by name, with their bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// summary.md without its measured sections (from a "### Measured on this
/// machine" heading to the next study marker): the part every run and every
/// CPU path must reproduce byte for byte.
pub fn deterministic_part(summary: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in summary.lines() {
        if line.starts_with("### Measured on this machine") {
            skipping = true;
        }
        if line.starts_with("<!-- end study") {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
