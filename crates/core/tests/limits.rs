//! The documented limits of numlab-core (issue 13, parts 3 to 5): every
//! size, count and cost is checked before anything is allocated or run, and
//! refused with an error naming the parameter, its value and the limit; a
//! run that leaves its model's range names what drove it there; scaled
//! recordings give the same delay; spacings whose derived quantities would
//! overflow or underflow are refused by name.
//!
//! Without the bounds several of these calls would take gigabytes or run for
//! minutes; with them each returns at once, so no test here is timed.

mod common;

use numlab_core::density::{
    box_density, check_padded, check_size, gaussian_density, histogram2d, kde_grid, knn_density,
    Bandwidth, Kde, KdeMethod, KnnFunction, View, MAX_BOX_PASSES, MAX_CELLS, MAX_KNN_WORK,
};
use numlab_core::neuron::{
    safe_currents, simulate, Binomial, Config, HhParams, Method, Network, NetworkConfig,
    PoissonInput, MAX_NEURONS, MAX_SOURCES,
};
use numlab_core::signals;
use numlab_core::smoothing::Cutoff;
use numlab_core::spectrum::{SpectrumOptions, Window};
use numlab_core::wave::{
    check_work, convergence_2d, ConvergenceStudy, Init, MAX_CELLS as WAVE_CELLS,
};
use numlab_core::xcorr::{DelayEstimator, Subsample, Weighting};
use numlab_core::NumlabError;

/// The parameter an `AboveLimit` error names, and its value and limit.
fn above<T: std::fmt::Debug>(r: Result<T, NumlabError>) -> (&'static str, String, String) {
    match r {
        Err(NumlabError::AboveLimit {
            name, value, limit, ..
        }) => (name, value, limit),
        other => panic!("expected AboveLimit, got {other:?}"),
    }
}

/// The parameter an `OutOfRange` error names, and its message.
fn out_of_range<T: std::fmt::Debug>(r: Result<T, NumlabError>) -> (&'static str, String) {
    match r {
        Err(e @ NumlabError::OutOfRange { name, .. }) => (name, e.to_string()),
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

#[test]
fn limit_errors_read_with_the_option_and_the_value() {
    let e = NumlabError::AboveLimit {
        name: "k",
        value: "50000".into(),
        limit: "2048 neighbours".into(),
        why: "work".into(),
    };
    assert_eq!(e.to_string(), "k = 50000: at most 2048 neighbours (work)");
    assert_eq!(
        e.for_option("--k"),
        "--k 50000: at most 2048 neighbours (work)"
    );
    assert_eq!(e.parameter(), Some("k"));
    let e = NumlabError::InvalidParameter {
        name: "dt",
        value: 0.0,
        expected: "must be > 0",
    };
    assert_eq!(e.for_option("--dt"), "--dt: invalid dt = 0.0: must be > 0");
}

#[test]
fn binomial_tables_are_bounded_before_they_are_built() {
    // 1e18 sources at the synaptic q p: the table would hold 1.2e8 entries.
    let (name, value, _) = above(Binomial::new(1_000_000_000_000_000_000, 5e-5));
    assert_eq!((name, value.as_str()), ("n", "1000000000000000000"));
    let (name, value, limit) = above(Binomial::new(u64::MAX, 0.5));
    assert_eq!((name, value.as_str()), ("n", "18446744073709551615"));
    assert!(limit.contains("trials at p = 0.5"), "{limit}");
    // The largest count the drive allows, at the largest q p: a small table,
    // and draws with the right mean.
    let b = Binomial::new(MAX_SOURCES, 0.5).unwrap();
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
    let mean = (0..2000).map(|_| b.sample(&mut rng) as f64).sum::<f64>() / 2000.0;
    // sd of the mean: sqrt(2.5e6 / 2000) = 35.
    assert!((mean - 5e6).abs() < 200.0, "{mean}");
}

#[test]
fn poisson_drives_are_bounded_by_name() {
    let max = MAX_SOURCES as i64;
    assert!(PoissonInput::new(max, max, 10.0, 0.5, 1.0, 4.0).is_ok());
    let (name, value, limit) = above(PoissonInput::new(max + 1, 20, 10.0, 0.5, 1.0, 4.0));
    assert_eq!((name, value.as_str()), ("excitatory", "10000001"));
    assert_eq!(limit, "10000000 sources");
    let (name, _, _) = above(PoissonInput::new(80, i64::MAX, 10.0, 0.5, 1.0, 4.0));
    assert_eq!(name, "inhibitory");
    // One pulse within ±1000 mV, the inhibitory one k_inh times the weight.
    assert!(PoissonInput::new(80, 20, 10.0, 0.5, 250.0, 4.0).is_ok());
    assert!(PoissonInput::new(80, 20, 10.0, 0.5, -250.0, 4.0).is_ok());
    let (name, value, limit) = above(PoissonInput::new(80, 20, 10.0, 0.5, 250.5, 4.0));
    assert_eq!(
        (name, value.as_str(), limit.as_str()),
        ("weight", "250.5", "250 mV")
    );
    assert!(PoissonInput::new(80, 20, 10.0, 0.5, 1000.0, 0.5).is_ok());
    let (_, _, limit) = above(PoissonInput::new(80, 20, 10.0, 0.5, 1e300, 0.5));
    assert_eq!(limit, "1000 mV");
}

#[test]
fn safe_currents_keep_v_in_range_and_others_are_named_when_they_leave_it() {
    let p = HhParams::default();
    let (lo, hi) = safe_currents(&p);
    // -g_L (1000 + E_L) and g_L (1000 - E_L), E_L = -54.387 mV, g_L = 0.3.
    assert!((lo - -0.3 * (1000.0 - 54.387)).abs() < 1e-9, "{lo}");
    assert!((hi - 0.3 * 1054.387).abs() < 1e-9, "{hi}");
    let quiet = Config {
        input: None,
        duration: 200.0,
        record: false,
        ..Config::default()
    };
    // At the bounds the (stable) exponential Euler run stays in range.
    for current in [lo, hi] {
        let r = simulate(&Config {
            current,
            method: Method::ExpEuler,
            ..quiet.clone()
        });
        assert!(r.is_ok(), "{current}: {r:?}");
    }
    // Beyond them, whatever the integrator, the current is named.
    for method in Method::ALL {
        for current in [1e300, -1000.0, -300.0, 5e4] {
            let (name, msg) = out_of_range(simulate(&Config {
                current,
                method,
                ..quiet.clone()
            }));
            assert_eq!(name, "current", "{method} {current}: {msg}");
            assert!(msg.contains("[-283.7, 316.3]"), "{msg}");
        }
    }
    // A current the model holds, too much for forward Euler at dt = 0.01.
    assert!(matches!(
        simulate(&Config {
            current: -100.0,
            ..quiet.clone()
        }),
        Err(NumlabError::InvalidParameter { name: "dt", .. })
    ));
    assert!(simulate(&Config {
        current: -100.0,
        method: Method::ExpEuler,
        ..quiet.clone()
    })
    .is_ok());
}

#[test]
fn inputs_that_drive_v_out_of_range_are_named() {
    let base = Config {
        record: false,
        duration: 50.0,
        ..Config::default()
    };
    let with = |n_exc: u64, n_inh: u64, weight_mv: f64| Config {
        input: Some(PoissonInput {
            n_exc,
            n_inh,
            weight_mv,
            ..PoissonInput::default()
        }),
        ..base.clone()
    };
    // 500 pulses of 1 mV per 0.01 ms step, excitatory or inhibitory.
    let (name, msg) = out_of_range(simulate(&with(10_000_000, 20, 1.0)));
    assert_eq!(name, "excitatory", "{msg}");
    assert!(msg.contains("pulses moved V by"), "{msg}");
    let (name, msg) = out_of_range(simulate(&with(80, 10_000_000, 1.0)));
    assert_eq!(name, "inhibitory", "{msg}");
    // Pulses larger than an action potential.
    let (name, msg) = out_of_range(simulate(&with(80, 20, 200.0)));
    assert_eq!(name, "weight", "{msg}");
    assert!(msg.contains("one pulse moves V by up to 800 mV"), "{msg}");
    // The diagnosis replays the run from the seed; with per-source trains
    // too it finds the failing step's pulses.
    let (name, msg) = out_of_range(simulate(&Config {
        raster: true,
        duration: 1.0,
        ..with(10_000_000, 20, 1.0)
    }));
    assert_eq!(name, "excitatory", "{msg}");
    assert!(msg.contains("pulses moved V by"), "{msg}");
    // The questioner's drive runs.
    assert!(simulate(&base).is_ok());
}

#[test]
fn run_lengths_are_bounded_on_the_parameter_to_change() {
    let base = Config {
        input: None,
        record: false,
        ..Config::default()
    };
    let (name, value, limit) = above(
        Config {
            duration: 1e12,
            ..base.clone()
        }
        .steps(),
    );
    assert_eq!((name, value.as_str()), ("duration", "1e12"));
    assert_eq!(limit, "50000000 ms at dt = 0.01 ms");
    // A usual duration at a tiny step: the step.
    assert!(matches!(
        Config {
            dt: 1e-9,
            ..base.clone()
        }
        .steps(),
        Err(NumlabError::InvalidParameter { name: "dt", .. })
    ));
    // Recorded traces: at most 4e6 steps.
    let (name, _, limit) = above(simulate(&Config {
        duration: 40_000.02,
        record: true,
        ..base.clone()
    }));
    assert_eq!(name, "duration");
    assert_eq!(limit, "40000 ms recorded at dt = 0.01 ms");
}

#[test]
fn networks_are_bounded_and_count_without_recording() {
    let cfg = NetworkConfig {
        duration: 100.0,
        ..NetworkConfig::default()
    };
    let recorded = Network::new(cfg.clone()).unwrap().run().unwrap();
    let counted = Network::new(NetworkConfig {
        record: false,
        ..cfg.clone()
    })
    .unwrap()
    .run()
    .unwrap();
    assert!(recorded.spike_count > 100);
    assert_eq!(recorded.spike_count, recorded.times_ms.len() as u64);
    assert_eq!(counted.spike_count, recorded.spike_count);
    assert!(counted.times_ms.is_empty() && counted.neurons.is_empty());
    assert_eq!(counted.mean_rate_hz(), recorded.mean_rate_hz());
    // 1e11 neuron updates: 2.5e7 steps of 4000 neurons.
    let (name, value, limit) = above(Network::new(NetworkConfig {
        duration: 1e9,
        ..cfg.clone()
    }));
    assert_eq!(
        (name, value.as_str(), limit.as_str()),
        ("duration", "1e9", "2500000 ms")
    );
    assert!(Network::new(NetworkConfig {
        duration: 2_500_000.0,
        ..cfg.clone()
    })
    .is_ok());
    let (name, _, _) = above(Network::new(NetworkConfig {
        dt: 1e-6,
        ..cfg.clone()
    }));
    assert_eq!(name, "dt");
    let (name, _, _) = above(Network::new(NetworkConfig {
        n_exc: MAX_NEURONS,
        n_inh: 1,
        ..cfg.clone()
    }));
    assert_eq!(name, "neurons");
    let (name, _, _) = above(Network::new(NetworkConfig {
        n_exc: 100_000,
        p_connect: 0.5,
        duration: 1.0,
        ..cfg.clone()
    }));
    assert_eq!(name, "synapses");
}

#[test]
fn wave_work_names_cfl_t_end_or_the_grid() {
    // 1e12 cell updates: n cells x t_end n / (cfl L) steps.
    assert!(check_work(1000, 1, 1.0, 2.0, 0.5).is_ok());
    let (name, msg) = out_of_range(check_work(50, 1, 1.0, 2.0, 1e-308));
    assert_eq!(name, "cfl");
    // The least CFL: 50 x 2 x 50 / 1e12 = 5e-9.
    assert!(msg.contains("at least 5e-9 on 50 cells"), "{msg}");
    let (name, value, limit) = above(check_work(50, 1, 1.0, 1e300, 0.3));
    assert_eq!((name, value.as_str()), ("t_end", "1e300"));
    // 1e12 x 0.3 / 2500 = 1.2e8.
    assert_eq!(limit, "120000000 on 50 cells");
    let (name, value, limit) = above(check_work(10_000_000, 1, 1.0, 2.0, 0.3));
    assert_eq!((name, value.as_str()), ("n", "10000000"));
    // sqrt(1e12 x 0.3 / 2) = 387298.
    assert!(limit.starts_with("387298 cells a side"), "{limit}");
    // Every grid of a study is checked, the largest first, before any runs.
    let study = ConvergenceStudy::new(vec![50, 100, WAVE_CELLS + 1], 0.3, 2.0).unwrap();
    assert!(matches!(
        study.run(),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    let (name, _, limit) = above(
        ConvergenceStudy::new(vec![4], 1.0, 1e8)
            .unwrap()
            .with_history(true)
            .run(),
    );
    assert_eq!(name, "t_end");
    assert!(limit.contains("with the error history"), "{limit}");
    assert!(matches!(
        convergence_2d(&[8, 5000], 0.5, 0.1, Init::Exact),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
}

#[test]
fn density_sizes_reaches_passes_neighbours_and_kde_work_are_bounded() {
    let x = signals::uniform(2000, -1.0, 1.0, 3).unwrap();
    let y = signals::uniform(2000, -1.0, 1.0, 4).unwrap();
    let v = View::new(-1.0, -1.0, 1.0, 1.0).unwrap();
    // Cells: 16000 x 16000 took 3.9 GB.
    let (name, value, limit) = above(histogram2d(&x, &y, v, 16000, 16000));
    assert_eq!((name, value.as_str()), ("cells", "16000x16000"));
    assert_eq!(limit, format!("{MAX_CELLS} cells"));
    assert!(check_size(8192, 4096).is_ok());
    assert!(check_size(8192, 4097).is_err());
    // The blur's reach: 4 sigma on each side.
    let (name, value, limit) = above(gaussian_density(&x, &y, v, 256, 256, 1e6, 4.0));
    assert_eq!((name, value.as_str()), ("sigma", "1000000"));
    assert_eq!(limit, "692 px of sigma on a 256x256 grid");
    // (256 + 2 x 2768)^2 = 33,547,264 <= 2^25: sigma = 692 fits.
    assert!(check_padded(256, 256, 2768, "sigma", 692.0, 4.0, "px").is_ok());
    assert!(check_padded(256, 256, 2770, "sigma", 692.5, 4.0, "px").is_err());
    // Box passes: 1e10 passes ran without end.
    let (name, _, limit) = above(box_density(&x, &y, v, 64, 64, 1, 10_000_000_000));
    assert_eq!(name, "passes");
    assert_eq!(limit, format!("{MAX_BOX_PASSES} passes"));
    assert!(box_density(&x, &y, v, 64, 64, 1, MAX_BOX_PASSES).is_ok());
    let (name, _, _) = above(box_density(&x, &y, v, 256, 256, 1_000_000, 4));
    assert_eq!(name, "radius");
    // kNN: k x cells.
    let (name, value, limit) = above(knn_density(
        &x,
        &y,
        v,
        4096,
        4096,
        1000,
        KnnFunction::Density,
    ));
    assert_eq!((name, value.as_str()), ("k", "1000"));
    assert_eq!(
        limit,
        format!(
            "{} neighbours on 16777216 cells",
            MAX_KNN_WORK / (4096 * 4096)
        )
    );
    assert!(limit.starts_with("8 "), "{limit}");
    assert!(knn_density(&x, &y, v, 64, 64, 2000, KnnFunction::Density).is_ok());
    // KDE: a factor whose covariance underflows or overflows is named.
    for f in [1e-200, 1e-80, 1e80, 1e200] {
        let (name, msg) = out_of_range(Kde::new(&x, &y, Bandwidth::Factor(f)));
        assert_eq!(name, "bandwidth", "{msg}");
        assert!(msg.contains("must lie between"), "{msg}");
    }
    assert!(Kde::new(&x, &y, Bandwidth::Factor(1e-70)).is_ok());
    assert!(Kde::new(&x, &y, Bandwidth::Factor(1e70)).is_ok());
    // Points on a line are still the points' fault.
    assert!(matches!(
        Kde::new(&x, &x, Bandwidth::Scott),
        Err(NumlabError::Unsupported(_))
    ));
    // The exact sum over a view the bandwidth dwarfs: 2000 points x 2^22
    // cells = 8.4e9 kernels, above 2^32.
    let tiny = View::new(-1e-4, -1e-4, 1e-4, 1e-4).unwrap();
    let (name, value, _) = above(kde_grid(
        &x,
        &y,
        tiny,
        2048,
        2048,
        Bandwidth::Scott,
        KdeMethod::Fast,
    ));
    assert_eq!((name, value.as_str()), ("cells", "2048x2048"));
    let (name, _, _) = above(kde_grid(
        &x,
        &y,
        v,
        2048,
        2048,
        Bandwidth::Scott,
        KdeMethod::Exact,
    ));
    assert_eq!(name, "cells");
    // The same view on a grid it can afford runs, and matches the exact sum.
    let fast = kde_grid(&x, &y, tiny, 16, 16, Bandwidth::Scott, KdeMethod::Fast).unwrap();
    let exact = kde_grid(&x, &y, tiny, 16, 16, Bandwidth::Scott, KdeMethod::Exact).unwrap();
    let peak = exact.grid.max();
    let diff = common::max_abs_diff(
        fast.grid.values.as_slice().unwrap(),
        exact.grid.values.as_slice().unwrap(),
    );
    assert!(diff <= 1e-6 * peak, "{diff} vs {peak}");
}

#[test]
fn truncate_and_sigma_are_told_apart() {
    let (name, value, limit) = above(Cutoff::Truncate(1e308).radius(1.0));
    assert_eq!((name, value.as_str()), ("truncate", "1e308"));
    assert_eq!(limit, "67100000 sigmas at sigma = 1 samples");
    assert!(matches!(
        Cutoff::Truncate(4.0).radius(1e300),
        Err(NumlabError::InvalidParameter { name: "sigma", .. })
    ));
    assert_eq!(Cutoff::Truncate(4.0).radius(10.0).unwrap(), 40);
}

#[test]
fn spectrum_spacings_whose_frequencies_over_or_underflow_are_named() {
    let x = signals::normal(1000, 1.0, 9).unwrap();
    let (name, msg) = out_of_range(SpectrumOptions::new(1e308).unwrap().compute(&x));
    assert_eq!(name, "dt", "{msg}");
    assert!(msg.contains("underflows to 0"), "{msg}");
    let (name, msg) = out_of_range(SpectrumOptions::from_rate(5e-324));
    assert_eq!(name, "rate", "{msg}");
    assert!(!msg.contains("dt = inf"), "{msg}");
    let (name, _) = out_of_range(SpectrumOptions::from_rate(1e-306).unwrap().compute(&x));
    assert_eq!(name, "rate");
    let (name, _) = out_of_range(SpectrumOptions::from_rate(1e308));
    assert_eq!(name, "rate");
    // At the edges the frequencies are right: k / (n dt).
    let s = SpectrumOptions::new(1e300).unwrap().compute(&x).unwrap();
    assert_eq!(s.frequency[1], 1.0 / (1000.0 * 1e300));
    assert_eq!(s.frequency[500], 500.0 * (1.0 / (1000.0 * 1e300)));
    let s = SpectrumOptions::from_rate(1e-300)
        .unwrap()
        .compute(&x)
        .unwrap();
    assert!(s.frequency[1] > 0.0 && s.frequency[1].is_normal());
}

/// Every estimator configuration the scale test runs.
fn estimators() -> Vec<DelayEstimator> {
    let base = DelayEstimator::new(1000.0).unwrap();
    let mut out = Vec::new();
    for sub in [Subsample::None, Subsample::Parabolic, Subsample::Accurate] {
        for w in [Weighting::Cc, Weighting::Phat] {
            out.push(base.clone().with_subsample(sub).with_weighting(w));
        }
    }
    out.push(base.clone().with_window(Window::Hann));
    out.push(base.clone().with_band(20.0, 300.0).unwrap());
    out.push(base.clone().with_max_lag(0.1).unwrap());
    out.push(base.clone().keep_mean());
    out
}

#[test]
fn delays_of_scaled_recordings_are_those_of_the_originals() {
    let (a, b) = signals::delayed_pair(3000, 0.02, 0.3, 41.7, 5).unwrap();
    // An offset too, so the mean removal works at every scale.
    let a: Vec<f64> = a.iter().map(|v| v + 0.25).collect();
    let scaled = |x: &[f64], s: f64| -> Vec<f64> { x.iter().map(|v| v * s).collect() };
    for est in estimators() {
        let want = est.estimate(&a, &b).unwrap();
        assert!((want.delay_samples - 41.7).abs() < 0.5, "{want:?}");
        // Powers of two, bit for bit: 2^996 (energies overflowed), 2^256
        // (the coefficient read 0), 2^-600 and 2^-1000 (products underflowed).
        for s in [
            2f64.powi(996),
            2f64.powi(256),
            2f64.powi(-600),
            2f64.powi(-500) * 2f64.powi(-500),
        ] {
            let got = est.estimate(&scaled(&a, s), &scaled(&b, s)).unwrap();
            assert_eq!(got, want, "{est:?} at scale {s:e}");
        }
        // Each recording on its own scale.
        let got = est
            .estimate(&scaled(&a, 2f64.powi(900)), &scaled(&b, 2f64.powi(-900)))
            .unwrap();
        assert_eq!(got, want, "{est:?} at scales 2^900, 2^-900");
        // Decimal scales round every sample once.
        for s in [1e300, 1e77, 1e-165, 1e-300] {
            let got = est.estimate(&scaled(&a, s), &scaled(&b, s)).unwrap();
            assert_eq!(got.peak_lag, want.peak_lag, "{est:?} at {s:e}");
            assert!(
                (got.delay_samples - want.delay_samples).abs() < 1e-9,
                "{est:?} at {s:e}: {} vs {}",
                got.delay_samples,
                want.delay_samples
            );
            assert!((got.coefficient - want.coefficient).abs() < 1e-12);
            assert!((got.confidence - want.confidence).abs() < 1e-9);
        }
    }
    // The correlogram is normalised the same way.
    let est = DelayEstimator::new(1000.0).unwrap();
    let s = 2f64.powi(1000);
    assert_eq!(
        est.correlogram(&scaled(&a, s), &scaled(&b, s)).unwrap(),
        est.correlogram(&a, &b).unwrap()
    );
}

#[test]
fn rates_whose_periods_or_delays_overflow_are_named() {
    let (a, b) = signals::delayed_pair(1000, 0.02, 0.3, 10.0, 5).unwrap();
    let (name, msg) = out_of_range(DelayEstimator::new(1e-308).unwrap().estimate(&a, &b));
    assert_eq!(name, "rate", "{msg}");
    assert!(msg.contains("overflows"), "{msg}");
    let (name, msg) = out_of_range(DelayEstimator::new(1e308));
    assert_eq!(name, "rate", "{msg}");
    // Near the edges the delay in seconds is finite and right.
    let d = DelayEstimator::new(1e-300)
        .unwrap()
        .estimate(&a, &b)
        .unwrap();
    assert!(d.delay_s.is_finite());
    assert!((d.delay_s - d.delay_samples * 1e300).abs() <= 1e-12 * d.delay_s.abs());
    let d = DelayEstimator::new(4e307)
        .unwrap()
        .estimate(&a, &b)
        .unwrap();
    assert!(d.delay_s > 0.0 && d.delay_s.is_finite());
}
