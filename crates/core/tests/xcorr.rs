//! numlab-core xcorr against SciPy fixtures (`scripts/fixtures/xcorr_fixtures.py`),
//! the plain double loop, exact shifts of known signals, and every error path.

mod common;

use common::{fixture, floats};
use numlab_core::signals;
use numlab_core::spectrum::Window;
use numlab_core::xcorr::{
    bandpass, correlate, correlate_argmax, correlate_normalized, correlate_with, correlation_lags,
    reference, remove_mean, DelayEstimator, Leader, Method, Mode, Normalization, Subsample,
    Weighting,
};
use numlab_core::NumlabError;

/// Against SciPy, relative to sqrt(Σa² Σb²) (the bound of every value).
const SCIPY_REL: f64 = 1e-12;
/// Fractional delays by the accurate refinement, noise-free band-limited
/// signals (the bound), in samples.
const ACCURATE_SAMPLES: f64 = 1e-3;
/// The parabolic refinement's bias on the same signals, in samples (the
/// measured worst case is documented on `Subsample`).
const PARABOLIC_SAMPLES: f64 = 0.08;

fn energy(a: &[f64], b: &[f64]) -> f64 {
    let e = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    (e(a) * e(b)).sqrt()
}

fn mode_of(name: &str) -> Mode {
    name.parse().unwrap()
}

#[test]
fn correlate_equals_scipy_in_every_mode_and_method() {
    let fx = fixture("xcorr_scipy.json");
    let mut checked = 0;
    for case in fx["cases"].as_array().unwrap() {
        if case["kind"] != "correlate" {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let a = floats(&case["a"]);
        let b = floats(&case["b"]);
        let scale = energy(&a, &b);
        for mode in ["full", "same", "valid"] {
            for scipy_method in ["direct", "fft"] {
                let want = floats(&case[format!("{mode}_{scipy_method}")]);
                for method in [Method::Auto, Method::Direct, Method::Fft] {
                    let got = correlate_with(&a, &b, mode_of(mode), method).unwrap();
                    assert_eq!(got.len(), want.len(), "{name} {mode} {method}");
                    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                        assert!(
                            (g - w).abs() <= SCIPY_REL * scale,
                            "{name} {mode} {method} vs scipy {scipy_method} [{i}]: {g} vs {w}"
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 300, "only {checked} comparisons");
}

#[test]
fn correlation_lags_equal_scipy() {
    let fx = fixture("xcorr_scipy.json");
    let mut checked = 0;
    for case in fx["cases"].as_array().unwrap() {
        if case["kind"] != "lags" {
            continue;
        }
        let (n, m) = (
            case["n"].as_u64().unwrap() as usize,
            case["m"].as_u64().unwrap() as usize,
        );
        for mode in ["full", "same", "valid"] {
            let want: Vec<i64> = case[mode]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            assert_eq!(
                correlation_lags(n, m, mode_of(mode)).unwrap(),
                want,
                "{n} {m} {mode}"
            );
            checked += 1;
            // Mode::first_lag is where correlate's output really starts; it
            // agrees with SciPy's lags except for `same` with n odd, m even.
            let first = mode_of(mode).first_lag(n, m);
            if mode == "same" && n % 2 == 1 && m % 2 == 0 {
                assert_eq!(first, want[0] - 1, "{n} {m}");
            } else {
                assert_eq!(first, want[0], "{n} {m} {mode}");
            }
        }
    }
    assert!(checked >= 240);
}

#[test]
fn first_lag_is_where_the_output_starts() {
    // A unit impulse in a at index i and in b at index 0: the correlation is
    // 1 at lag i only.
    for (n, m) in [(5, 4), (3, 6), (6, 6), (7, 7), (9, 2), (2, 9)] {
        for i in 0..n {
            let mut a = vec![0.0; n];
            a[i] = 1.0;
            let mut b = vec![0.0; m];
            b[0] = 1.0;
            for mode in Mode::ALL {
                let c = correlate(&a, &b, mode).unwrap();
                let first = mode.first_lag(n, m);
                for (k, v) in c.iter().enumerate() {
                    let lag = first + k as i64;
                    let want = if lag == i as i64 { 1.0 } else { 0.0 };
                    assert!((v - want).abs() < 1e-12, "{n} {m} {mode} lag {lag}");
                }
            }
        }
    }
}

#[test]
fn long_signals_by_fft_equal_the_direct_sums() {
    for &(n, m) in &[(20_000usize, 20_000usize), (30_011, 4_096), (777, 50_000)] {
        let a = signals::normal(n, 1.0, 5).unwrap();
        let b = signals::uniform(m, -2.0, 3.0, 6).unwrap();
        let fft = correlate_with(&a, &b, Mode::Full, Method::Fft).unwrap();
        let first = Mode::Full.first_lag(n, m);
        let scale = energy(&a, &b);
        for k in (0..fft.len()).step_by(997) {
            let lag = first + k as i64;
            let want: f64 = (0..m)
                .filter_map(|j| {
                    let i = j as i64 + lag;
                    (i >= 0 && (i as usize) < n).then(|| a[i as usize] * b[j])
                })
                .sum();
            assert!(
                (fft[k] - want).abs() <= SCIPY_REL * scale,
                "{n} {m} lag {lag}"
            );
        }
    }
}

#[test]
fn scipy_example_gives_lag_minus_100() {
    let fx = fixture("xcorr_scipy.json");
    let case = fx["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "scipy-example")
        .unwrap();
    let (x, y) = (floats(&case["x"]), floats(&case["y"]));
    assert_eq!(case["lag"], -100);
    let c = correlate(&x, &y, Mode::Full).unwrap();
    let lags = correlation_lags(x.len(), y.len(), Mode::Full).unwrap();
    assert_eq!(lags[reference::argmax(&c)], -100);
    // The delay is reported the other way: y is x delayed by 100 samples.
    let d = DelayEstimator::new(1.0).unwrap().estimate(&x, &y).unwrap();
    assert_eq!(d.peak_lag, 100);
    assert_eq!(d.leader, Leader::A);
    assert!(
        (d.delay_samples - 100.0).abs() < 0.05,
        "{}",
        d.delay_samples
    );
    assert!((d.coefficient - 1.0).abs() < 1e-12);
    assert!(d.confidence > 0.8, "{}", d.confidence);
}

#[test]
fn phase_shift_answer_ported_and_refined() {
    let fx = fixture("xcorr_scipy.json");
    let case = fx["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "phase-shift")
        .unwrap();
    let n = case["N"].as_u64().unwrap() as usize;
    let l = case["L"].as_f64().unwrap();
    let r2d = 180.0 / std::f64::consts::PI;
    let phi = reference::linspace(0.0, l, n);
    let x: Vec<f64> = phi.iter().map(|p| 0.5 * p.sin()).collect();
    let y: Vec<f64> = phi.iter().map(|p| 2.0 * (p + 50.0 / r2d).sin()).collect();
    let w = floats(&case["window"]);
    let xw: Vec<f64> = x.iter().zip(&w).map(|(a, b)| a * b).collect();
    let yw: Vec<f64> = y.iter().zip(&w).map(|(a, b)| a * b).collect();
    let raw = reference::detect_phase_shift(&phi, &x, &y) * r2d;
    let windowed = reference::detect_phase_shift(&phi, &xw, &yw) * r2d;
    assert!(
        (raw - case["raw_deg"].as_f64().unwrap()).abs() < 1e-9,
        "{raw}"
    );
    assert!(
        (windowed - case["windowed_deg"].as_f64().unwrap()).abs() < 1e-9,
        "{windowed}"
    );
    // Ours: y leads x (x lags y), so the delay of y against x is negative.
    let dphi = phi[1] - phi[0];
    let est = DelayEstimator::new(1.0 / dphi)
        .unwrap()
        .with_window(Window::Hann)
        .with_subsample(Subsample::Accurate);
    let d = est.estimate(&x, &y).unwrap();
    assert_eq!(d.leader, Leader::B);
    let deg = -d.delay_s * r2d;
    // Five periods of a pure tone: the correlation's envelope (the window's
    // autocorrelation) pulls its peak toward zero lag, so even the exact
    // maximum of the interpolated correlation sits below 50 degrees.
    assert!((deg - 49.42).abs() < 0.01, "{deg}");
    // For a pure tone the shift is a phase: study 02's off-bin tone estimate
    // gives it to rounding.
    let tx = numlab_core::spectrum::estimate_tone(&x, dphi).unwrap();
    let ty = numlab_core::spectrum::estimate_tone(&y, dphi).unwrap();
    let shift = (ty.phase - tx.phase) * r2d;
    assert!((shift - 50.0).abs() < 1e-6, "{shift}");
}

#[test]
fn noisy_sine_of_the_first_answer() {
    // 5 periods of a 1 Hz sine at 1024 Hz plus N(0, 5) noise; y1 = y[sr:4sr],
    // y2 = y[:3sr]: y2 is y1 one second later.
    let sr = 1024usize;
    let period = reference::linspace(0.0, 2.0 * std::f64::consts::PI, sr);
    let noise = signals::normal(5 * sr, 5.0, 1024).unwrap();
    let y: Vec<f64> = (0..5 * sr)
        .map(|i| period[i % sr].sin() + noise[i])
        .collect();
    let (y1, y2) = (&y[sr..4 * sr], &y[..3 * sr]);
    let theirs = reference::lag_finder(y1, y2, sr as f64);
    // Their axis reads (1024 + 1536) * 3 / 3071 - 1.5 for the 1024-sample peak.
    let want = -1.5 + 2560.0 * 3.0 / 3071.0;
    assert!((theirs.delay - want).abs() < 1e-12, "{}", theirs.delay);
    let d = DelayEstimator::new(sr as f64)
        .unwrap()
        .with_subsample(Subsample::None)
        .estimate(y1, y2)
        .unwrap();
    assert_eq!(d.peak_lag, 1024);
    assert_eq!(d.delay_s, 1.0);
    assert_eq!(d.leader, Leader::A);
    assert_eq!(
        d.to_string(),
        "b lags a by 1.000000000 s (1024.0000 samples)"
    );
}

#[test]
fn whole_sample_shifts_both_ways_are_exact() {
    let n = 5000;
    let base = signals::normal(n + 600, 1.0, 77).unwrap();
    for d in [-300i64, -17, -1, 0, 1, 2, 250, 299] {
        // b[i] = a[i - d]: both cut from one long signal.
        let a = &base[300..300 + n];
        let s = (300 - d) as usize;
        let b = &base[s..s + n];
        for sub in [Subsample::None, Subsample::Parabolic, Subsample::Accurate] {
            for method in [Method::Direct, Method::Fft] {
                let est = DelayEstimator::new(1000.0)
                    .unwrap()
                    .with_subsample(sub)
                    .with_method(method)
                    .with_max_lag(0.4)
                    .unwrap();
                let got = est.estimate(a, b).unwrap();
                assert_eq!(got.peak_lag, d, "{d} {sub} {method}");
                let tol = if sub == Subsample::None { 0.0 } else { 0.05 };
                assert!(
                    (got.delay_samples - d as f64).abs() <= tol,
                    "{d} {sub}: {}",
                    got.delay_samples
                );
                let leader = match d.signum() {
                    1 => Leader::A,
                    -1 => Leader::B,
                    _ => Leader::None,
                };
                if sub == Subsample::None {
                    assert_eq!(got.leader, leader);
                    assert_eq!(got.delay_s, d as f64 / 1000.0);
                }
                assert!((got.coefficient - 1.0).abs() < 1e-9);
            }
            // Swapping the recordings flips the sign.
            let back = DelayEstimator::new(1000.0)
                .unwrap()
                .with_subsample(sub)
                .estimate(b, a)
                .unwrap();
            assert_eq!(back.peak_lag, -d);
        }
    }
}

#[test]
fn fractional_delays_of_band_limited_signals() {
    let mut worst_accurate: f64 = 0.0;
    let mut worst_hann: f64 = 0.0;
    let mut worst_parabolic: f64 = 0.0;
    let mut worst_phat: f64 = 0.0;
    for (i, delay) in [0.0, 0.1, 0.25, 0.5, 0.73, 3.3, -12.61, 40.999, 200.3]
        .iter()
        .enumerate()
    {
        let (a, b) = signals::delayed_pair(4096, 0.05, 0.4, *delay, 100 + i as u64).unwrap();
        let est = DelayEstimator::new(1.0).unwrap();
        let err = |e: DelayEstimator| (e.estimate(&a, &b).unwrap().delay_samples - delay).abs();
        worst_accurate = worst_accurate.max(err(est.clone().with_subsample(Subsample::Accurate)));
        worst_hann = worst_hann.max(err(est
            .clone()
            .with_subsample(Subsample::Accurate)
            .with_window(Window::Hann)));
        worst_parabolic = worst_parabolic.max(err(est.clone()));
        let phat = est
            .with_weighting(Weighting::Phat)
            .with_subsample(Subsample::Accurate);
        let peak = phat.estimate(&a, &b).unwrap().peak_lag as f64;
        assert!(
            (peak - delay).abs() <= 0.5 + 1e-9,
            "phat peak {peak} for {delay}"
        );
        worst_phat = worst_phat.max(err(phat));
    }
    assert!(
        worst_accurate <= ACCURATE_SAMPLES,
        "accurate: {worst_accurate}"
    );
    // The documented figure (Subsample::Accurate): at most 3e-4 sample here.
    assert!(worst_accurate <= 4e-4, "accurate: {worst_accurate}");
    // A window tapers the recordings' ends, where they differ: less bias.
    assert!(
        worst_hann <= ACCURATE_SAMPLES / 5.0,
        "accurate + hann: {worst_hann}"
    );
    assert!(
        worst_parabolic <= PARABOLIC_SAMPLES,
        "parabolic: {worst_parabolic}"
    );
    // The parabola is biased: worse than the accurate method by far.
    assert!(worst_parabolic > 50.0 * worst_accurate);
    // PHAT whitens the bands outside the signal's, where only the
    // truncation's leakage lives: whole samples right, fractions poor.
    assert!(worst_phat < 0.25, "phat: {worst_phat}");
}

#[test]
fn phat_finds_the_delay_under_a_strong_hum() {
    // A weak broadband signal under a 50 Hz hum 30 times stronger, at 8 kHz.
    let rate = 8000.0;
    let n = 16_000;
    let (a0, b0) = signals::delayed_pair(n, 0.01, 0.45, 123.0, 9).unwrap();
    let hum = |i: usize, shift: f64| {
        30.0 * (2.0 * std::f64::consts::PI * 50.0 * (i as f64 - shift) / rate).sin()
    };
    let a: Vec<f64> = (0..n).map(|i| a0[i] + hum(i, 0.0)).collect();
    let b: Vec<f64> = (0..n).map(|i| b0[i] + hum(i, 123.0)).collect();
    let d = DelayEstimator::new(rate)
        .unwrap()
        .with_weighting(Weighting::Phat)
        .with_max_lag(0.1)
        .unwrap()
        .estimate(&a, &b)
        .unwrap();
    assert_eq!(d.peak_lag, 123);
    // The plain correlation is a ridge of the hum's period (160 samples):
    // its peak lands on the wrong lag.
    let plain = DelayEstimator::new(rate)
        .unwrap()
        .with_max_lag(0.1)
        .unwrap()
        .estimate(&a, &b)
        .unwrap();
    assert_ne!(plain.peak_lag, 123, "{plain:?}");
    // The band-pass above the hum does it too, with the plain correlation.
    let d = DelayEstimator::new(rate)
        .unwrap()
        .with_band(200.0, 3600.0)
        .unwrap()
        .with_window(Window::Hann)
        .estimate(&a, &b)
        .unwrap();
    assert_eq!(d.peak_lag, 123);
}

#[test]
fn normalised_coefficients() {
    let a = signals::normal(300, 2.0, 3).unwrap();
    let b: Vec<f64> = signals::uniform(200, -1.0, 5.0, 4).unwrap();
    let global = correlate_normalized(&a, &b, Mode::Full, Normalization::Global).unwrap();
    let over = correlate_normalized(&a, &b, Mode::Full, Normalization::Overlap).unwrap();
    let a0 = remove_mean(&a).unwrap();
    let b0 = remove_mean(&b).unwrap();
    let raw = correlate(&a0, &b0, Mode::Full).unwrap();
    let scale = energy(&a0, &b0);
    let first = Mode::Full.first_lag(300, 200);
    for (k, (g, o)) in global.iter().zip(&over).enumerate() {
        assert!((g - raw[k] / scale).abs() < 1e-12);
        assert!((-1.0..=1.0).contains(o));
        let lag = first + k as i64;
        // Pearson over the overlap, from its definition.
        let pairs: Vec<(f64, f64)> = (0..200)
            .filter_map(|j| {
                let i = j as i64 + lag;
                (0..300).contains(&i).then(|| (a[i as usize], b[j]))
            })
            .collect();
        if pairs.len() >= 3 {
            let c = pairs.len() as f64;
            let ma = pairs.iter().map(|p| p.0).sum::<f64>() / c;
            let mb = pairs.iter().map(|p| p.1).sum::<f64>() / c;
            let sab: f64 = pairs.iter().map(|p| (p.0 - ma) * (p.1 - mb)).sum();
            let saa: f64 = pairs.iter().map(|p| (p.0 - ma).powi(2)).sum();
            let sbb: f64 = pairs.iter().map(|p| (p.1 - mb).powi(2)).sum();
            let want = sab / (saa * sbb).sqrt();
            assert!((o - want).abs() < 1e-9, "lag {lag}: {o} vs {want}");
        }
    }
}

#[test]
fn bandpass_keeps_only_its_band() {
    let rate = 1000.0;
    let x: Vec<f64> = (0..1000)
        .map(|i| {
            let t = i as f64 / rate;
            3.0 + (2.0 * std::f64::consts::PI * 10.0 * t).sin()
                + 0.5 * (2.0 * std::f64::consts::PI * 120.0 * t).cos()
                + 0.25 * (2.0 * std::f64::consts::PI * 400.0 * t).sin()
        })
        .collect();
    let y = bandpass(&x, rate, 50.0, 200.0).unwrap();
    for (i, v) in y.iter().enumerate() {
        let t = i as f64 / rate;
        assert!((v - 0.5 * (2.0 * std::f64::consts::PI * 120.0 * t).cos()).abs() < 1e-12);
    }
}

#[test]
fn bad_input_is_an_error_naming_the_parameter() {
    let ok = [1.0, 2.0, 0.5, -1.0];
    let est = DelayEstimator::new(100.0).unwrap();
    let err = |r: Result<numlab_core::xcorr::Delay, NumlabError>| r.unwrap_err().to_string();
    assert!(matches!(
        correlate(&[], &ok, Mode::Full),
        Err(NumlabError::TooShort { name: "a", .. })
    ));
    assert!(matches!(
        correlate(&ok, &[], Mode::Full),
        Err(NumlabError::TooShort { name: "b", .. })
    ));
    assert!(matches!(
        correlate(&[1.0, f64::NAN], &ok, Mode::Same),
        Err(NumlabError::NonFinite {
            name: "a",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        correlate(&ok, &[f64::INFINITY], Mode::Valid),
        Err(NumlabError::NonFinite { name: "b", .. })
    ));
    assert!(correlation_lags(0, 3, Mode::Full).is_err());
    assert!(correlation_lags(3, 0, Mode::Full).is_err());
    for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = DelayEstimator::new(rate).unwrap_err().to_string();
        assert!(e.contains("rate"), "{e}");
    }
    for lag in [-0.1, f64::NAN, f64::INFINITY] {
        let e = est.clone().with_max_lag(lag).unwrap_err().to_string();
        assert!(e.contains("max_lag"), "{e}");
    }
    // 4 samples at 100 Hz: lags up to 0.03 s exist.
    assert!(est
        .clone()
        .with_max_lag(0.03)
        .unwrap()
        .estimate(&ok, &ok)
        .is_ok());
    let e = err(est.clone().with_max_lag(0.05).unwrap().estimate(&ok, &ok));
    assert!(e.contains("max_lag"), "{e}");
    assert!(err(est.estimate(&[1.0], &ok)).contains("a is too short"));
    assert!(err(est.estimate(&ok, &[])).contains("b is too short"));
    assert!(err(est.estimate(&[1.0, f64::NAN], &ok)).contains("a[1]"));
    let e = err(est.estimate(&ok, &[2.0, 2.0, 2.0]));
    assert!(e.contains("b is constant"), "{e}");
    assert!(matches!(
        correlate_normalized(&[5.0; 4], &ok, Mode::Full, Normalization::Global),
        Err(NumlabError::Constant { name: "a", .. })
    ));
    assert!(est
        .clone()
        .with_band(-1.0, 10.0)
        .unwrap_err()
        .to_string()
        .contains("low"));
    assert!(est
        .clone()
        .with_band(10.0, 10.0)
        .unwrap_err()
        .to_string()
        .contains("high"));
    assert!(est
        .clone()
        .with_band(1.0, f64::NAN)
        .unwrap_err()
        .to_string()
        .contains("high"));
    // A band above every frequency of the signal leaves nothing to correlate.
    let e = err(est
        .clone()
        .with_band(49.0, 50.0)
        .unwrap()
        .estimate(&[1.0, 2.0, 0.5], &ok));
    assert!(e.contains("constant") && e.contains("band-pass"), "{e}");
    assert!(bandpass(&ok, 0.0, 1.0, 2.0)
        .unwrap_err()
        .to_string()
        .contains("rate"));
    assert!(bandpass(&[], 1.0, 0.1, 0.2).is_err());
    assert!(remove_mean(&[f64::NAN]).is_err());
    assert!("sideways"
        .parse::<Mode>()
        .unwrap_err()
        .to_string()
        .contains("mode"));
    assert!("fast".parse::<Method>().is_err());
    assert!("xyz"
        .parse::<Weighting>()
        .unwrap_err()
        .to_string()
        .contains("cc, phat"));
    assert!("cubic"
        .parse::<Subsample>()
        .unwrap_err()
        .to_string()
        .contains("subsample"));
    assert!(signals::delayed_pair(0, 0.1, 0.2, 1.0, 1).is_err());
    assert!(signals::delayed_pair(10, 0.3, 0.2, 1.0, 1).is_err());
    assert!(signals::delayed_pair(10, 0.1, 0.2, f64::NAN, 1).is_err());
    assert!(signals::delayed_pair(10, 0.1, 0.2, 1e12, 1).is_err());
}

#[test]
fn bounds_windows_and_bands_are_honoured() {
    let base = signals::normal(3000, 1.0, 8).unwrap();
    // b = a delayed by 50 samples; a shorter than b.
    let a = &base[100..600];
    let b = &base[50..2050];
    let est = DelayEstimator::new(1000.0).unwrap();
    assert_eq!(est.estimate(a, b).unwrap().peak_lag, 50);
    // A tapering window over recordings of different lengths would pull the
    // peak toward the lag that lines the windows up: refused.
    let e = est
        .clone()
        .with_window(Window::Hann)
        .estimate(a, b)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("equal length") && e.contains("500") && e.contains("2000"),
        "{e}"
    );
    // Refinement stays inside the bound, and a search of a few lags has
    // nothing to compare its peak with.
    for sub in [Subsample::Parabolic, Subsample::Accurate] {
        let d = est
            .clone()
            .with_max_lag(0.0)
            .unwrap()
            .with_subsample(sub)
            .estimate(a, b)
            .unwrap();
        assert_eq!(d.delay_samples, 0.0, "{sub}");
        assert!(d.at_search_edge);
        let d = est
            .clone()
            .with_max_lag(0.001)
            .unwrap()
            .with_subsample(sub)
            .estimate(a, b)
            .unwrap();
        assert!(
            d.delay_samples.abs() <= 1.0 && d.confidence == 0.0,
            "{sub}: {d:?}"
        );
    }
    // A band above the Nyquist frequency is the band's error, not a signal's.
    let e = est
        .clone()
        .with_band(600.0, 700.0)
        .unwrap()
        .estimate(a, b)
        .unwrap_err();
    assert!(
        matches!(e, NumlabError::InvalidParameter { name: "low", .. }),
        "{e}"
    );
    assert!(bandpass(a, 1000.0, 500.0, 600.0).is_err());
}

#[test]
fn argmax_is_numpys_first_maximum() {
    assert_eq!(numlab_core::xcorr::argmax(&[]), None);
    assert_eq!(numlab_core::xcorr::argmax(&[f64::NAN, f64::NAN]), Some(0));
    assert_eq!(numlab_core::xcorr::argmax(&[-1.0, f64::NAN, -0.5]), Some(2));
    for (n, seed) in [
        (1usize, 1u64),
        (7, 2),
        (1000, 3),
        (600_000, 4),
        (1_000_003, 5),
    ] {
        // Values on a coarse grid: many ties, the first must win.
        let x: Vec<f64> = signals::uniform(n, 0.0, 50.0, seed)
            .unwrap()
            .iter()
            .map(|v| v.floor())
            .collect();
        assert_eq!(
            numlab_core::xcorr::argmax(&x),
            Some(reference::argmax(&x)),
            "{n}"
        );
    }
}

#[test]
fn correlate_argmax_is_correlate_then_argmax() {
    // Every mode, both routes, odd and even lengths, long enough for the FFT
    // route's two threads: the same values as `correlate_with` and NumPy's
    // first maximum of them.
    for (na, nb, seed) in [
        (1usize, 1usize, 1u64),
        (5, 4, 2),
        (300, 1000, 3),
        (20_001, 15_000, 4),
        (100_000, 100_000, 5),
    ] {
        let a = signals::normal(na, 1.0, seed).unwrap();
        let b = signals::normal(nb, 1.0, seed + 100).unwrap();
        for mode in [Mode::Full, Mode::Same, Mode::Valid] {
            for method in [Method::Direct, Method::Fft, Method::Auto] {
                if method == Method::Direct && na * nb > 1 << 24 {
                    continue;
                }
                let (c, peak) = correlate_argmax(&a, &b, mode, method).unwrap();
                assert_eq!(c, correlate_with(&a, &b, mode, method).unwrap());
                assert_eq!(
                    Some(peak),
                    numlab_core::xcorr::argmax(&c),
                    "{na} {nb} {mode}"
                );
            }
        }
    }
    // Ties: a constant signal against one sample gives equal values; the
    // first index wins.
    let (c, peak) = correlate_argmax(&[2.0; 9], &[0.5], Mode::Full, Method::Direct).unwrap();
    assert_eq!((c, peak), (vec![1.0; 9], 0));
    // The peak of the SciPy example: b is a shifted by 100 samples.
    let a = signals::normal(1000, 1.0, 9).unwrap();
    let mut b = vec![0.0; 100];
    b.extend_from_slice(&a[..900]);
    let (_, peak) = correlate_argmax(&a, &b, Mode::Full, Method::Fft).unwrap();
    assert_eq!(Mode::Full.first_lag(1000, 1000) + peak as i64, -100);
    // Bad input as for `correlate`.
    assert!(matches!(
        correlate_argmax(&[], &[1.0], Mode::Full, Method::Auto),
        Err(NumlabError::TooShort { name: "a", .. })
    ));
    assert!(matches!(
        correlate_argmax(&[1.0, 2.0], &[0.0, f64::NAN], Mode::Full, Method::Fft),
        Err(NumlabError::NonFinite {
            name: "b",
            index: 1,
            ..
        })
    ));
}

#[test]
fn results_do_not_depend_on_the_method_route() {
    // The peak search by direct sums and by FFT finds the same lag and the
    // same refined delay to rounding.
    let (a, b) = signals::delayed_pair(3000, 0.02, 0.3, 57.4, 5).unwrap();
    let est = DelayEstimator::new(1.0)
        .unwrap()
        .with_max_lag(200.0)
        .unwrap();
    let d1 = est
        .clone()
        .with_method(Method::Direct)
        .estimate(&a, &b)
        .unwrap();
    let d2 = est.with_method(Method::Fft).estimate(&a, &b).unwrap();
    assert_eq!(d1.peak_lag, d2.peak_lag);
    assert!((d1.delay_samples - d2.delay_samples).abs() < 1e-9);
}

#[test]
fn small_and_odd_shapes_never_panic() {
    // Every combination of short lengths, bounds and options returns a
    // result or a typed error.
    let mut count = 0;
    for na in 2..7usize {
        for nb in 2..7usize {
            let a = signals::uniform(na, -1.0, 1.0, na as u64).unwrap();
            let b = signals::uniform(nb, -1.0, 1.0, 100 + nb as u64).unwrap();
            for max_lag in [None, Some(0.0), Some(1.0), Some(3.0)] {
                for sub in [Subsample::None, Subsample::Parabolic, Subsample::Accurate] {
                    for weighting in [Weighting::Cc, Weighting::Phat] {
                        for window in [Window::Rectangular, Window::Hann] {
                            let mut est = DelayEstimator::new(1.0)
                                .unwrap()
                                .with_subsample(sub)
                                .with_weighting(weighting)
                                .with_window(window);
                            if let Some(m) = max_lag {
                                est = est.with_max_lag(m).unwrap();
                            }
                            match est.estimate(&a, &b) {
                                Ok(d) => {
                                    assert!(d.delay_samples.is_finite());
                                    assert!((-1.0..=1.0).contains(&d.coefficient));
                                    assert!((0.0..=1.0).contains(&d.confidence));
                                    if let Some(m) = max_lag {
                                        assert!(d.peak_lag.abs() as f64 <= m);
                                    }
                                }
                                Err(e) => assert!(!e.to_string().is_empty()),
                            }
                            count += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(count, 25 * 4 * 3 * 2 * 2);
}
