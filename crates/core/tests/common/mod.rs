//! Shared by the integration tests: tolerances, seeds, fixture loading.
#![allow(dead_code)]

/// Exact methods against SciPy or the direct sum, relative to max|y| (the bound).
pub const EXACT_REL: f64 = 1e-12;
/// The questioner's call against their code: absolute.
pub const SEED_ABS: f64 = 1e-12;

/// Named seeds of the randomised sweeps.
pub const SEEDS: [u64; 3] = [11, 2024, 987_654_321];

pub fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Loads a JSON fixture from tests/fixtures.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}
