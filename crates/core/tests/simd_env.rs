//! A bad `NUMLAB_SIMD` in a program that uses the library directly (a
//! notebook kernel) is not fatal: the kernels run on the best path the CPU
//! offers, with the same results. Its own test binary, since the variable is
//! read once per process.

use numlab_core::simd::{self, Isa};
use numlab_core::smoothing::{gaussian_filter1d, EdgeMode};

#[test]
fn a_bad_numlab_simd_falls_back_to_the_best_path() {
    // Set before any kernel runs (this binary's only test).
    std::env::set_var(simd::ENV_VAR, "bogus");
    assert!(
        simd::from_env().is_err(),
        "the CLI's check still refuses it"
    );
    assert_eq!(simd::isa(), Isa::best());

    // A kernel still runs and gives the direct sum (nearest edges).
    let y: Vec<f64> = (0..2000)
        .map(|i| ((i * 7919) % 1000) as f64 / 250.0 - 2.0)
        .collect();
    let (sigma, truncate) = (3.0f64, 4.0f64);
    let got = gaussian_filter1d(&y, sigma, EdgeMode::Nearest, 0.0, truncate).unwrap();
    let r = (truncate * sigma + 0.5) as i64;
    let w: Vec<f64> = (-r..=r)
        .map(|k| (-(k * k) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = w.iter().sum();
    let n = y.len() as i64;
    let peak = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (i, g) in got.iter().enumerate() {
        let want: f64 = (-r..=r)
            .map(|k| w[(k + r) as usize] * y[(i as i64 + k).clamp(0, n - 1) as usize])
            .sum::<f64>()
            / total;
        assert!((g - want).abs() <= 1e-12 * peak, "{i}: {g} against {want}");
    }
}
