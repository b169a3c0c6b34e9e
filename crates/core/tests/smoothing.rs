//! numlab-core smoothing against SciPy fixtures, the reference module, the
//! questioner's code, and the invariants of a normalised Gaussian filter.

mod common;

use common::*;
use numlab_core::signals;
use numlab_core::smoothing::{
    gaussian_filter1d, gaussian_flatten, nadaraya_watson, reference, Cutoff, EdgeMode,
    GaussianSmoother, Grid, Method, RECURSIVE_MAX_ERROR,
};
use numlab_core::NumlabError;

const EXACT: [Method; 4] = [Method::Auto, Method::Direct, Method::Sliding, Method::Fft];

fn smoother(
    sigma: f64,
    truncate: f64,
    mode: EdgeMode,
    cval: f64,
    method: Method,
) -> GaussianSmoother {
    GaussianSmoother::new(sigma)
        .and_then(|s| s.with_truncate(truncate))
        .and_then(|s| s.with_cval(cval))
        .unwrap()
        .with_mode(mode)
        .with_method(method)
}

/// Every SciPy mode, every exact method, against `scipy.ndimage.gaussian_filter1d`
/// (fixtures made by scripts/make-fixtures), within 1e-12 of max|y|.
#[test]
fn scipy_fixtures_every_mode_every_method() {
    let fx = fixture("smoothing_scipy.json");
    let cases = fx["cases"].as_array().expect("cases");
    assert!(cases.len() > 100, "only {} cases", cases.len());
    let mut modes_seen = std::collections::HashSet::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mode: EdgeMode = case["mode"].as_str().unwrap().parse().unwrap();
        let sigma = case["sigma"].as_f64().unwrap();
        let truncate = case["truncate"].as_f64().unwrap();
        let cval = case["cval"].as_f64().unwrap();
        let input = floats(&case["input"]);
        let want = floats(&case["output"]);
        let scale = max_abs(&input).max(1e-300);
        modes_seen.insert(mode);
        // Our radius is SciPy's.
        let plan = smoother(sigma, truncate, mode, cval, Method::Direct)
            .plan(1.0)
            .unwrap();
        assert_eq!(
            plan.kernel().left as u64,
            case["radius"].as_u64().unwrap(),
            "{name}: radius"
        );
        for m in EXACT {
            let got = smoother(sigma, truncate, mode, cval, m)
                .smooth_uniform(&input, 1.0)
                .unwrap();
            let err = max_abs_diff(&got, &want) / scale;
            assert!(
                err <= EXACT_REL,
                "{name} method {m}: error {err:e} of max|y|"
            );
        }
        // The SciPy-named function gives the same.
        let got = gaussian_filter1d(&input, sigma, mode, cval, truncate).unwrap();
        assert!(
            max_abs_diff(&got, &want) / scale <= EXACT_REL,
            "{name}: gaussian_filter1d"
        );
    }
    assert_eq!(modes_seen.len(), 5, "fixtures must cover every SciPy mode");
}

/// Each method against the reference direct sum over many n, sigmas, modes and seeds.
#[test]
fn methods_agree_with_the_reference_sum() {
    for &seed in &SEEDS {
        for &n in &[1usize, 2, 3, 5, 16, 17, 33, 100, 257, 1000, 4099] {
            let y = signals::uniform(n, -4.0, 4.0, seed ^ n as u64).unwrap();
            for &sigma in &[0.4, 1.0, 2.5, 7.0, 30.0, 120.0] {
                for mode in EdgeMode::ALL {
                    let radius = (4.0 * sigma + 0.5f64).floor() as usize;
                    let want = reference::gaussian_filter_direct(&y, sigma, radius, mode, 0.75);
                    for m in EXACT {
                        let got = smoother(sigma, 4.0, mode, 0.75, m)
                            .smooth_uniform(&y, 1.0)
                            .unwrap();
                        let err = max_abs_diff(&got, &want) / max_abs(&y);
                        assert!(
                            err <= EXACT_REL,
                            "seed {seed} n {n} sigma {sigma} {mode} {m}: {err:e}"
                        );
                    }
                }
            }
        }
    }
}

/// The reference itself on known values: a 3-point kernel by hand.
#[test]
fn reference_known_values() {
    // sigma = 1, radius 1: weights e^-0.5, 1, e^-0.5 normalised.
    let e = (-0.5f64).exp();
    let (w0, w1) = (1.0 / (1.0 + 2.0 * e), e / (1.0 + 2.0 * e));
    let y = [1.0, 2.0, 4.0];
    let got = reference::gaussian_filter_direct(&y, 1.0, 1, EdgeMode::Nearest, 0.0);
    let want = [
        w1 * 1.0 + w0 * 1.0 + w1 * 2.0,
        w1 * 1.0 + w0 * 2.0 + w1 * 4.0,
        w1 * 2.0 + w0 * 4.0 + w1 * 4.0,
    ];
    assert!(max_abs_diff(&got, &want) < 1e-15);
    let got = reference::gaussian_filter_direct(&y, 1.0, 1, EdgeMode::Renormalize, 0.0);
    assert!((got[0] - (w0 * 1.0 + w1 * 2.0) / (w0 + w1)).abs() < 1e-15);
    // scipy.ndimage.gaussian_filter1d([1., 2, 3, 4, 5], 1) = [1.42704095, 2.06782203, 3., 3.93217797, 4.57295905]
    let got =
        gaussian_filter1d(&[1.0, 2.0, 3.0, 4.0, 5.0], 1.0, EdgeMode::Reflect, 0.0, 4.0).unwrap();
    let want = [1.42704095, 2.06782203, 3.0, 3.93217797, 4.57295905];
    assert!(max_abs_diff(&got, &want) < 1e-8, "{got:?}");
}

#[test]
fn a_constant_stays_constant() {
    let y = vec![2.5; 300];
    for &sigma in &[0.5, 3.0, 40.0, 500.0] {
        for mode in [
            EdgeMode::Reflect,
            EdgeMode::Mirror,
            EdgeMode::Nearest,
            EdgeMode::Wrap,
            EdgeMode::Renormalize,
        ] {
            for m in EXACT {
                let got = smoother(sigma, 4.0, mode, 0.0, m)
                    .smooth_uniform(&y, 1.0)
                    .unwrap();
                assert!(
                    got.iter().all(|v| (v - 2.5).abs() < 1e-12),
                    "sigma {sigma} {mode} {m}"
                );
            }
        }
        // constant mode with cval equal to the constant, too.
        let got = smoother(sigma, 4.0, EdgeMode::Constant, 2.5, Method::Auto)
            .smooth_uniform(&y, 1.0)
            .unwrap();
        assert!(got.iter().all(|v| (v - 2.5).abs() < 1e-12));
    }
}

#[test]
fn wrap_keeps_the_sum() {
    let y = signals::uniform(500, -4.0, 4.0, SEEDS[0]).unwrap();
    let total: f64 = y.iter().sum();
    for &sigma in &[1.0, 10.0, 300.0] {
        for m in EXACT {
            let got = smoother(sigma, 4.0, EdgeMode::Wrap, 0.0, m)
                .smooth_uniform(&y, 1.0)
                .unwrap();
            let s: f64 = got.iter().sum();
            assert!(
                (s - total).abs() < 1e-10,
                "sigma {sigma} {m}: {s} vs {total}"
            );
        }
    }
}

#[test]
fn mirror_and_reflect_keep_symmetry() {
    let half = signals::uniform(150, -4.0, 4.0, SEEDS[1]).unwrap();
    let mut y = half.clone();
    y.extend(half.iter().rev());
    for mode in [EdgeMode::Reflect, EdgeMode::Mirror] {
        for &sigma in &[2.0, 25.0, 400.0] {
            let got = smoother(sigma, 4.0, mode, 0.0, Method::Direct)
                .smooth_uniform(&y, 1.0)
                .unwrap();
            let n = got.len();
            for i in 0..n / 2 {
                assert!(
                    (got[i] - got[n - 1 - i]).abs() < 1e-12,
                    "{mode} sigma {sigma} at {i}"
                );
            }
        }
    }
}

/// Recursive: within its documented bound against the untruncated Gaussian.
#[test]
fn recursive_error_bound() {
    let noise = signals::uniform(6000, -4.0, 4.0, SEEDS[2]).unwrap();
    let mut impulse = vec![0.0; 6001];
    impulse[3000] = 1.0;
    let step: Vec<f64> = (0..6000)
        .map(|i| if i < 3000 { -1.0 } else { 1.0 })
        .collect();
    for &sigma in &[2.0, 3.0, 10.0, 31.0, 100.0, 300.0, 1000.0] {
        for y in [&noise, &impulse, &step] {
            let exact = smoother(sigma, 8.0, EdgeMode::Nearest, 0.0, Method::Fft)
                .smooth_uniform(y, 1.0)
                .unwrap();
            let got = smoother(sigma, 4.0, EdgeMode::Nearest, 0.0, Method::Recursive)
                .smooth_uniform(y, 1.0)
                .unwrap();
            let err = max_abs_diff(&got, &exact) / max_abs(y);
            assert!(err <= RECURSIVE_MAX_ERROR, "sigma {sigma}: {err}");
            if sigma >= 10.0 {
                assert!(err <= 0.02, "sigma {sigma}: {err}");
            }
        }
    }
    // And it is not the exact filter: the bound is not vacuous.
    let exact = smoother(10.0, 8.0, EdgeMode::Nearest, 0.0, Method::Fft)
        .smooth_uniform(&noise, 1.0)
        .unwrap();
    let got = smoother(10.0, 4.0, EdgeMode::Nearest, 0.0, Method::Recursive)
        .smooth_uniform(&noise, 1.0)
        .unwrap();
    assert!(max_abs_diff(&got, &exact) / max_abs(&noise) > 1e-4);
}

#[test]
fn cutoff_radius_matches_scipy_and_reach() {
    // SciPy: int(truncate * sigma + 0.5)
    assert_eq!(Cutoff::Truncate(4.0).radius(10.0).unwrap(), 40);
    assert_eq!(Cutoff::Truncate(4.0).radius(0.3).unwrap(), 1);
    assert_eq!(Cutoff::Truncate(1.5).radius(2.5).unwrap(), 4);
    // reach 0.1 at sigma 10: 10 sqrt(2 ln 10) = 21.46 -> 21 samples
    assert_eq!(Cutoff::Reach(0.1).radius(10.0).unwrap(), 21);
    let k = (-0.5f64 * (21.0f64 / 10.0).powi(2)).exp();
    let k1 = (-0.5f64 * (22.0f64 / 10.0).powi(2)).exp();
    assert!(k >= 0.1 && k1 < 0.1);
}

#[test]
fn uniform_x_in_other_units() {
    // x in seconds with dx = 0.01: sigma 0.05 s is 5 samples.
    let y = signals::uniform(400, -1.0, 1.0, SEEDS[0]).unwrap();
    let x: Vec<f64> = (0..400).map(|i| i as f64 * 0.01).collect();
    let s = GaussianSmoother::new(0.05)
        .unwrap()
        .with_mode(EdgeMode::Nearest);
    let got = s.smooth_xy(&x, &y).unwrap();
    assert!(matches!(got.grid, Grid::Uniform { dx } if (dx - 0.01).abs() < 1e-15));
    let want = gaussian_filter1d(&y, 5.0, EdgeMode::Nearest, 0.0, 4.0).unwrap();
    assert!(max_abs_diff(&got.values, &want) < 1e-12);
}

#[test]
fn irregular_x_is_kernel_regression() {
    for &seed in &SEEDS {
        let x = signals::sorted_uniform(2000, 0.0, 500.0, seed).unwrap();
        let y = signals::uniform(2000, -4.0, 4.0, seed + 1).unwrap();
        for &sigma in &[0.05, 1.0, 7.5, 60.0] {
            for cutoff in [
                Cutoff::Truncate(4.0),
                Cutoff::Truncate(1.0),
                Cutoff::Reach(0.01),
            ] {
                let got = nadaraya_watson(&x, &y, sigma, cutoff, false).unwrap();
                let want = reference::nadaraya_watson_direct(&x, &y, sigma, cutoff.distance(sigma));
                assert!(
                    max_abs_diff(&got, &want) / 4.0 <= EXACT_REL,
                    "seed {seed} sigma {sigma} {cutoff:?}"
                );
            }
        }
        // smooth_xy picks the regression on irregular x.
        let s = GaussianSmoother::new(5.0)
            .unwrap()
            .smooth_xy(&x, &y)
            .unwrap();
        assert_eq!(s.grid, Grid::Irregular);
    }
    // A sigma so small that 1/sigma² overflows still weighs equal x as 1.
    let x = [0.0, 1.0, 1.0, 5.0];
    let y = [1.0, 2.0, 4.0, 3.0];
    for sigma in [1e-300, 1e-160] {
        let got = nadaraya_watson(&x, &y, sigma, Cutoff::Truncate(4.0), false).unwrap();
        assert_eq!(got, [1.0, 3.0, 3.0, 3.0], "sigma {sigma}");
    }
    // Duplicate x values are allowed and weigh equally.
    let x = [0.0, 1.0, 1.0, 2.0];
    let y = [0.0, 1.0, 3.0, 2.0];
    let got = nadaraya_watson(&x, &y, 1.0, Cutoff::Truncate(4.0), false).unwrap();
    let want = reference::nadaraya_watson_direct(&x, &y, 1.0, 4.0);
    assert!(max_abs_diff(&got, &want) < 1e-15);
    assert!((got[1] - got[2]).abs() < 1e-15);
}

#[test]
fn nadaraya_watson_on_a_uniform_grid_is_renormalize() {
    let y = signals::uniform(700, -4.0, 4.0, SEEDS[1]).unwrap();
    let x = signals::arange(700);
    let nw = nadaraya_watson(&x, &y, 6.0, Cutoff::Truncate(4.0), false).unwrap();
    let rn = smoother(6.0, 4.0, EdgeMode::Renormalize, 0.0, Method::Direct)
        .smooth_uniform(&y, 1.0)
        .unwrap();
    assert!(max_abs_diff(&nw, &rn) < 1e-12);
}

#[test]
fn skip_nan_is_normalised_convolution() {
    let mut y = signals::uniform(400, -4.0, 4.0, SEEDS[2]).unwrap();
    for i in [0usize, 7, 8, 9, 200, 399] {
        y[i] = f64::NAN;
    }
    y[50] = f64::INFINITY;
    let bad = |i: usize| !y[i].is_finite();
    let sigma = 3.0;
    let r = 12isize;
    for mode in EdgeMode::ALL {
        // Expected: Σ w y over finite samples / Σ w over finite samples (constant fill counts).
        let want: Vec<f64> = (0..400isize)
            .map(|i| {
                let (mut num, mut den) = (0.0, 0.0);
                for k in -r..=r {
                    let w = (-0.5 * (k as f64 / sigma).powi(2)).exp();
                    match numlab_core::smoothing::source_index(i + k, 400, mode) {
                        Some(s) if !bad(s) => {
                            num += w * y[s];
                            den += w;
                        }
                        None if mode == EdgeMode::Constant => {
                            num += w * 0.5;
                            den += w;
                        }
                        _ => {}
                    }
                }
                num / den
            })
            .collect();
        for m in EXACT {
            let got = smoother(sigma, 4.0, mode, 0.5, m)
                .with_skip_nan(true)
                .smooth_uniform(&y, 1.0)
                .unwrap();
            assert!(max_abs_diff(&got, &want) < 1e-11, "{mode} {m}");
        }
    }
    // Without skip_nan, NaN spreads exactly over the windows that hold it (SciPy).
    let got = smoother(sigma, 4.0, EdgeMode::Nearest, 0.0, Method::Fft)
        .smooth_uniform(&y, 1.0)
        .unwrap();
    assert!(got[200 - 12].is_nan() && got[200 + 12].is_nan());
    assert!(got[200 - 13].is_finite() || (7..=9).contains(&(200 - 13)));
    assert!(got[120].is_finite());
    // A window with nothing finite is NaN.
    let all_nan = vec![f64::NAN; 10];
    let got = smoother(1.0, 4.0, EdgeMode::Reflect, 0.0, Method::Auto)
        .with_skip_nan(true)
        .smooth_uniform(&all_nan, 1.0)
        .unwrap();
    assert!(got.iter().all(|v| v.is_nan()));
}

/// The questioner's call against their Python code (fixtures from
/// scripts/make-fixtures) and against the Rust ports of both versions.
#[test]
fn seed_call_matches_the_questioners_code() {
    let fx = fixture("smoothing_seed.json");
    let cases = fx["cases"].as_array().expect("cases");
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let y = floats(&case["y"]);
        let (reach, sigma) = (
            case["reach"].as_f64().unwrap(),
            case["sigma"].as_f64().unwrap(),
        );
        let (phi, amp) = (
            case["phi"].as_f64().unwrap(),
            case["amplitude"].as_f64().unwrap(),
        );
        let want = floats(&case["output"]);
        let got = gaussian_flatten(&x, &y, reach, sigma, phi, amp).unwrap();
        assert!(
            max_abs_diff(&got, &want) <= SEED_ABS,
            "{name}: fast vs Python"
        );
        let port = reference::seed_loop(&x, &y, reach, sigma, phi, amp);
        assert!(
            max_abs_diff(&port, &want) <= SEED_ABS,
            "{name}: loop port vs Python"
        );
        let port = reference::seed_vectorised(&x, &y, reach, sigma, phi, amp);
        assert!(
            max_abs_diff(&port, &want) <= SEED_ABS,
            "{name}: vectorised port vs Python"
        );
    }
}

#[test]
fn seed_call_matches_the_ports_on_many_inputs() {
    for &seed in &SEEDS {
        for &n in &[1usize, 2, 3, 50, 999, 3073] {
            let x = signals::arange(n);
            let y = signals::uniform(n, -4.0, 4.0, seed).unwrap();
            for &(reach, sigma) in &[
                (0.1, 10.0),
                (0.001, 100.0),
                (0.5, 2.5),
                (0.99, 3.0),
                (0.3, 0.4),
            ] {
                let got = gaussian_flatten(&x, &y, reach, sigma, 0.0, 1.0).unwrap();
                let want = reference::seed_loop(&x, &y, reach, sigma, 0.0, 1.0);
                assert!(
                    max_abs_diff(&got, &want) <= SEED_ABS,
                    "n {n} reach {reach} sigma {sigma}"
                );
            }
        }
        // Irregular x with duplicates.
        let mut x = signals::sorted_uniform(800, 0.0, 300.0, seed).unwrap();
        for i in (10..800).step_by(37) {
            x[i] = x[i - 1];
        }
        let y = signals::uniform(800, -4.0, 4.0, seed + 7).unwrap();
        let got = gaussian_flatten(&x, &y, 0.05, 4.0, 1.2, -2.0).unwrap();
        let want = reference::seed_vectorised(&x, &y, 0.05, 4.0, 1.2, -2.0);
        assert!(max_abs_diff(&got, &want) <= SEED_ABS);
    }
}

#[test]
fn seed_quirks_are_kept() {
    // The last point's window excludes the point itself (their right end is open).
    let x = signals::arange(100);
    let mut y = vec![0.0; 100];
    y[99] = 1.0;
    let got = gaussian_flatten(&x, &y, 0.1, 10.0, 0.0, 1.0).unwrap();
    assert_eq!(got[99], 0.0);
    // A single point has an empty window: 0.
    assert_eq!(
        gaussian_flatten(&[3.0], &[5.0], 0.1, 10.0, 0.0, 1.0).unwrap(),
        vec![0.0]
    );
}

fn is_invalid(r: Result<impl std::fmt::Debug, NumlabError>, param: &str) -> bool {
    match r {
        Err(NumlabError::InvalidParameter { name, .. }) => name == param,
        _ => false,
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let y = [1.0, 2.0, 3.0];
    let x = [0.0, 1.0, 2.0];
    assert!(matches!(
        GaussianSmoother::new(1.0).unwrap().smooth_uniform(&[], 1.0),
        Err(NumlabError::TooShort { name: "y", .. })
    ));
    for s in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(is_invalid(GaussianSmoother::new(s), "sigma"), "sigma {s}");
        assert!(is_invalid(
            gaussian_flatten(&x, &y, 0.1, s, 0.0, 1.0),
            "sigma"
        ));
    }
    for t in [0.0, -2.0, f64::NAN] {
        assert!(is_invalid(
            GaussianSmoother::new(1.0).unwrap().with_truncate(t),
            "truncate"
        ));
    }
    for r in [0.0, 1.0, 1.5, -0.1, f64::NAN] {
        assert!(is_invalid(
            GaussianSmoother::new(1.0).unwrap().with_reach(r),
            "reach"
        ));
        assert!(is_invalid(
            gaussian_flatten(&x, &y, r, 1.0, 0.0, 1.0),
            "reach"
        ));
    }
    assert!(is_invalid(
        GaussianSmoother::new(1.0).unwrap().with_cval(f64::NAN),
        "cval"
    ));
    assert!(is_invalid(
        GaussianSmoother::new(1.0).unwrap().smooth_uniform(&y, 0.0),
        "dx"
    ));
    assert!(matches!(
        GaussianSmoother::new(1.0)
            .unwrap()
            .smooth_xy(&x, &[1.0, 2.0]),
        Err(NumlabError::LengthMismatch {
            a_len: 3,
            b_len: 2,
            ..
        })
    ));
    assert!(matches!(
        GaussianSmoother::new(1.0)
            .unwrap()
            .smooth_xy(&[0.0, f64::NAN, 2.0], &y),
        Err(NumlabError::NonFinite {
            name: "x",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        GaussianSmoother::new(1.0)
            .unwrap()
            .smooth_xy(&[0.0, 2.0, 1.0], &y),
        Err(NumlabError::Unsorted {
            name: "x",
            index: 2,
            ..
        })
    ));
    assert!(matches!(
        nadaraya_watson(&[0.0, 2.0, 1.0], &y, 1.0, Cutoff::Truncate(4.0), false),
        Err(NumlabError::Unsorted { .. })
    ));
    assert!(matches!(
        nadaraya_watson(&[], &[], 1.0, Cutoff::Truncate(4.0), false),
        Err(NumlabError::TooShort { .. })
    ));
    // The questioner's formula divides by amplitude * cos(phi).
    assert!(is_invalid(
        gaussian_flatten(&x, &y, 0.1, 1.0, 0.0, 0.0),
        "amplitude"
    ));
    assert!(is_invalid(
        gaussian_flatten(&x, &y, 0.1, 1.0, f64::NAN, 1.0),
        "phi"
    ));
    // cos(pi/2) = 6e-17 times a tiny amplitude underflows to 0: their divisor.
    assert!(is_invalid(
        gaussian_flatten(&x, &y, 0.1, 1.0, std::f64::consts::FRAC_PI_2, 1e-310),
        "amplitude"
    ));
    // ... while cos(pi/2) with amplitude 1 is a valid (tiny) scale that cancels.
    let ok = gaussian_flatten(&x, &y, 0.1, 1.0, std::f64::consts::FRAC_PI_2, 1.0).unwrap();
    let plain = gaussian_flatten(&x, &y, 0.1, 1.0, 0.0, 1.0).unwrap();
    assert!(ok.iter().zip(&plain).all(|(a, b)| (a - b).abs() < 1e-12));
    assert!(is_invalid(
        gaussian_flatten(&x, &y, 0.1, 1.0, 0.0, f64::INFINITY),
        "amplitude"
    ));
    // Irregular x refuses a SciPy mode and the fast methods.
    let xi = [0.0, 1.0, 5.0];
    assert!(matches!(
        GaussianSmoother::new(1.0)
            .unwrap()
            .with_mode(EdgeMode::Wrap)
            .smooth_xy(&xi, &y),
        Err(NumlabError::Unsupported(_))
    ));
    assert!(matches!(
        GaussianSmoother::new(1.0)
            .unwrap()
            .with_method(Method::Fft)
            .smooth_xy(&xi, &y),
        Err(NumlabError::Unsupported(_))
    ));
    // Names.
    assert!(matches!(
        "sideways".parse::<EdgeMode>(),
        Err(NumlabError::UnknownName { name: "mode", .. })
    ));
    assert!(matches!(
        "magic".parse::<Method>(),
        Err(NumlabError::UnknownName { name: "method", .. })
    ));
    // Sliding sums refuse windows too long in sigmas, by name.
    assert!(matches!(
        GaussianSmoother::new(2.0)
            .unwrap()
            .with_truncate(100.0)
            .unwrap()
            .with_method(Method::Sliding)
            .smooth_uniform(&y, 1.0),
        Err(NumlabError::Unsupported(_))
    ));
    // Messages name the parameter and the value.
    let msg = GaussianSmoother::new(-3.0).unwrap_err().to_string();
    assert!(msg.contains("sigma") && msg.contains("-3"), "{msg}");
}

#[test]
fn results_are_identical_run_to_run() {
    // Thread counts are compared end to end (tests/threads.rs runs the CLI
    // with NUMLAB_THREADS = 1 and 3): the count is read once per process.
    let y = signals::uniform(300_000, -4.0, 4.0, SEEDS[0]).unwrap();
    for m in [Method::Direct, Method::Sliding, Method::Fft] {
        let a = smoother(20.0, 4.0, EdgeMode::Nearest, 0.0, m)
            .smooth_uniform(&y, 1.0)
            .unwrap();
        let b = smoother(20.0, 4.0, EdgeMode::Nearest, 0.0, m)
            .smooth_uniform(&y, 1.0)
            .unwrap();
        assert_eq!(a, b, "{m}");
    }
}
