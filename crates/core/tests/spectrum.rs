//! numlab-core spectrum against the naive DFT of the reference module (every
//! N from 1 to 1000 and several large N), NumPy/SciPy fixtures
//! (`scripts/fixtures/spectrum_fixtures.py`), identities (Parseval, rebuild),
//! pure tones on and off the bin grid, and every error path.

mod common;

use std::f64::consts::PI;

use common::{fixture, floats, max_abs, max_abs_diff, SEEDS};
use numlab_core::signals;
use numlab_core::spectrum::{
    amplitude_spectrum, estimate_tone, fft, fftfreq, ifft, irfft, reference, rfft, rfftfreq,
    Complex64, RealDft, Scaling, Sides, SpectrumOptions, Window, TONE_AMPLITUDE_BOUND,
    TONE_BIN_BOUND, TONE_PHASE_BOUND,
};
use numlab_core::NumlabError;

/// Tolerances, relative to the scale named at each use.
mod tol {
    /// FFT against the naive sum, per unit of Σ|x_j| (the bound of both sums' rounding).
    pub const DFT: f64 = 1e-14;
    /// Against NumPy (pocketfft), per unit of Σ|x_j|.
    pub const NUMPY: f64 = 1e-14;
    /// Rebuilt signals, per unit of max|x|.
    pub const REBUILD: f64 = 1e-14;
    /// The explicit cosine sum at the samples, per unit of Σ|x_j| / n... × n terms.
    pub const COSINE_SUM: f64 = 1e-13;
    /// Parseval's identity, relative.
    pub const PARSEVAL: f64 = 1e-13;
    /// Amplitude and phase of an on-bin tone, relative to the amplitude.
    pub const ON_BIN: f64 = 1e-13;
    /// scipy.stats.skewnorm.pdf, relative.
    pub const SKEWNORM: f64 = 1e-13;
    /// The same for shape != 0, limited by statrs' erfc (see the test).
    pub const SKEWNORM_STATRS: f64 = 3e-10;
}

fn signal(n: usize, seed: u64) -> Vec<f64> {
    signals::uniform(n, -4.0, 4.0, seed).unwrap()
}

fn l1(x: &[f64]) -> f64 {
    x.iter()
        .map(|v| v.abs())
        .sum::<f64>()
        .max(f64::MIN_POSITIVE)
}

fn max_cdiff(a: &[Complex64], b: &[Complex64]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

fn tone(n: usize, dt: f64, f: f64, amp: f64, phase: f64) -> Vec<f64> {
    (0..n)
        .map(|j| amp * (2.0 * PI * f * j as f64 * dt + phase).cos())
        .collect()
}

/// Wrapped phase difference in (-π, π].
fn dphase(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(2.0 * PI);
    if d > PI {
        d - 2.0 * PI
    } else {
        d
    }
}

/// rfft, irfft, fft, ifft, both amplitude spectra and the rebuild against the
/// O(n²) sums for every n = 1..=1000 (odd, even, prime).
#[test]
fn every_n_from_1_to_1000_against_the_naive_dft() {
    let mut worst = [0.0f64; 5];
    for n in 1..=1000usize {
        let x = signal(n, n as u64);
        let scale = l1(&x);
        let want = reference::dft_real(&x);
        let got = rfft(&x).unwrap();
        assert_eq!(got.len(), n / 2 + 1, "n = {n}: rfft length");
        let e = max_cdiff(&got, &want) / scale;
        worst[0] = worst[0].max(e);
        assert!(e <= tol::DFT, "n = {n}: rfft error {e:e}");

        // Complex transform of a complex signal.
        let z: Vec<Complex64> = x
            .iter()
            .zip(x.iter().rev())
            .map(|(&a, &b)| Complex64::new(a, 0.5 * b))
            .collect();
        let e = max_cdiff(&fft(&z).unwrap(), &reference::dft(&z)) / (1.5 * scale);
        worst[1] = worst[1].max(e);
        assert!(e <= tol::DFT, "n = {n}: fft error {e:e}");
        let back = ifft(&fft(&z).unwrap()).unwrap();
        assert!(
            max_cdiff(&back, &z) <= tol::REBUILD * 8.0 * (1.0 + (n as f64).log2()),
            "n = {n}: ifft"
        );

        // Exact inverse keeps every sample (odd n too).
        let x_back = irfft(&got, n).unwrap();
        assert_eq!(x_back.len(), n);
        let e = max_abs_diff(&x_back, &x) / 4.0;
        worst[2] = worst[2].max(e);
        assert!(
            e <= tol::REBUILD * (1.0 + (n as f64).log2()),
            "n = {n}: irfft error {e:e}"
        );

        // One-sided amplitude against its definition; two-sided |X_k|/n.
        let s = amplitude_spectrum(&x, 1.0).unwrap();
        let e = max_abs_diff(&s.amplitude, &reference::one_sided_amplitude(&x)) * n as f64 / scale;
        worst[3] = worst[3].max(e);
        assert!(
            e <= 2.0 * tol::DFT,
            "n = {n}: one-sided amplitude error {e:e}"
        );
        let two = SpectrumOptions::new(1.0)
            .unwrap()
            .with_sides(Sides::Two)
            .compute(&x)
            .unwrap();
        assert_eq!(two.amplitude.len(), n);
        let naive2: Vec<f64> = reference::dft(
            &x.iter()
                .map(|&v| Complex64::new(v, 0.0))
                .collect::<Vec<_>>(),
        )
        .iter()
        .map(|c| c.norm() / n as f64)
        .collect();
        let e = max_abs_diff(&two.amplitude, &naive2) * n as f64 / scale;
        worst[4] = worst[4].max(e);
        assert!(
            e <= 2.0 * tol::DFT,
            "n = {n}: two-sided amplitude error {e:e}"
        );
        assert_eq!(two.frequency, fftfreq(n, 1.0).unwrap());
    }
    eprintln!(
        "worst errors (rfft, fft, irfft, one-sided, two-sided): {:?}",
        worst.map(|e| format!("{e:.1e}"))
    );
}

/// Large lengths (powers of two, a prime, 10^5 and 10^6): spot bins against
/// the O(n) sum of each bin, Parseval, and the exact rebuild.
#[test]
fn large_n_spot_bins_parseval_and_rebuild() {
    for (i, &n) in [65_536usize, 65_537, 100_000, 1 << 20, 1_000_000]
        .iter()
        .enumerate()
    {
        let x = signal(n, SEEDS[i % SEEDS.len()]);
        let scale = l1(&x);
        let dft = RealDft::new(&x, 1e-3).unwrap();
        let m = dft.len();
        for k in [0, 1, 2, 3, 7, m / 3, m / 2, m - 2, m - 1] {
            let want = reference::dft_bin(&x, k);
            let e = (dft.coefficients[k] - want).norm() / scale;
            assert!(e <= tol::DFT, "n = {n}, k = {k}: error {e:e}");
        }
        // Parseval: Σ x² = (1/n) Σ_{all k} |X_k|².
        let energy: f64 = x.iter().map(|v| v * v).sum();
        let spectral: f64 = dft
            .coefficients
            .iter()
            .enumerate()
            .map(|(k, c)| if k == 0 || 2 * k == n { 1.0 } else { 2.0 } * c.norm_sqr())
            .sum::<f64>()
            / n as f64;
        assert!(
            ((spectral - energy) / energy).abs() <= tol::PARSEVAL,
            "n = {n}: Parseval"
        );
        let back = dft.rebuild();
        assert_eq!(back.len(), n);
        assert!(
            max_abs_diff(&back, &x) <= tol::REBUILD * 4.0 * (n as f64).log2(),
            "n = {n}: rebuild"
        );
    }
}

/// Parseval for every small n and both parities, with the amplitude spectrum:
/// Σ x²/n = A_0² + Σ A_k²/2 (+ A_{n/2}² for even n).
#[test]
fn parseval_with_one_sided_amplitudes() {
    for n in 1..=257usize {
        let x = signal(n, 77 + n as u64);
        let s = amplitude_spectrum(&x, 0.1).unwrap();
        let power: f64 = x.iter().map(|v| v * v).sum::<f64>() / n as f64;
        let m = s.amplitude.len();
        let from_spectrum: f64 = s
            .amplitude
            .iter()
            .enumerate()
            .map(|(k, a)| {
                if k == 0 || (n % 2 == 0 && k == m - 1) {
                    a * a
                } else {
                    a * a / 2.0
                }
            })
            .sum();
        assert!(
            ((from_spectrum - power) / power).abs() <= tol::PARSEVAL,
            "n = {n}"
        );
    }
}

/// numpy.fft.rfft, rfftfreq and the one-sided amplitude and phase, from the fixtures.
#[test]
fn numpy_fixtures_rfft_frequencies_amplitude_phase() {
    let fx = fixture("spectrum_numpy.json");
    let cases = fx["cases"].as_array().unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for case in cases {
        let kind = case["kind"].as_str().unwrap();
        let name = case["name"].as_str().unwrap();
        *counts.entry(kind.to_string()).or_insert(0) += 1;
        match kind {
            "rfft" => {
                let x = floats(&case["x"]);
                let n = x.len();
                let d = case["d"].as_f64().unwrap();
                let want: Vec<Complex64> = floats(&case["re"])
                    .into_iter()
                    .zip(floats(&case["im"]))
                    .map(|(r, i)| Complex64::new(r, i))
                    .collect();
                let got = rfft(&x).unwrap();
                let e = max_cdiff(&got, &want) / l1(&x);
                assert!(e <= tol::NUMPY, "{name}: rfft error {e:e}");
                // NumPy's k * (1/(n d)): the same bits.
                assert_eq!(rfftfreq(n, d).unwrap(), floats(&case["rfftfreq"]), "{name}");
                let s = amplitude_spectrum(&x, d).unwrap();
                assert_eq!(s.frequency, floats(&case["rfftfreq"]), "{name}");
                let e = max_abs_diff(&s.amplitude, &floats(&case["amplitude"])) * n as f64 / l1(&x);
                assert!(e <= 2.0 * tol::NUMPY, "{name}: amplitude error {e:e}");
                // Phase, weighted by |X| (a phase of a near-zero value is noise).
                for (k, (p, q)) in s.phase.iter().zip(floats(&case["phase"])).enumerate() {
                    let e = dphase(*p, q).abs() * want[k].norm() / l1(&x);
                    assert!(e <= 2.0 * tol::NUMPY, "{name}: phase {k}: {p} vs {q}");
                }
            }
            "freq" => {
                let n = case["n"].as_u64().unwrap() as usize;
                let d = case["d"].as_f64().unwrap();
                assert_eq!(fftfreq(n, d).unwrap(), floats(&case["fftfreq"]), "{name}");
                assert_eq!(rfftfreq(n, d).unwrap(), floats(&case["rfftfreq"]), "{name}");
            }
            "window" => {
                let w: Window = case["window"].as_str().unwrap().parse().unwrap();
                let x = floats(&case["x"]);
                let n = x.len();
                let e = max_abs_diff(&w.values(n), &floats(&case["values"]));
                assert!(e <= 1e-15, "{name}: window values {e:e}");
                let s = SpectrumOptions::new(1.0)
                    .unwrap()
                    .with_window(w)
                    .compute(&x)
                    .unwrap();
                let e = max_abs_diff(&s.amplitude, &floats(&case["amplitude"])) / max_abs(&x);
                assert!(e <= 1e-13, "{name}: windowed amplitude {e:e}");
            }
            "skewnorm" => {
                let t = floats(&case["t"]);
                let got = signals::skew_normal_pdf(
                    &t,
                    case["location"].as_f64().unwrap(),
                    case["scale"].as_f64().unwrap(),
                    case["shape"].as_f64().unwrap(),
                )
                .unwrap();
                for (k, (g, w)) in got.iter().zip(floats(&case["pdf"])).enumerate() {
                    // Φ(shape·z) = erfc(-shape·z/√2)/2 by statrs 0.18, whose
                    // erf/erfc are good to ~1e-10 relative (1e-10 at erfc(0.5),
                    // 8e-11 at erfc(3), against libm and SciPy's ndtr); shape 0
                    // needs only Φ(0) = 1/2 and is exact to rounding.
                    let shape = case["shape"].as_f64().unwrap();
                    let rel = if shape == 0.0 {
                        tol::SKEWNORM
                    } else {
                        tol::SKEWNORM_STATRS
                    };
                    assert!(
                        (g - w).abs() <= rel * w.abs() + 1e-300,
                        "{name}: t = {}: {g:e} vs scipy {w:e}",
                        t[k]
                    );
                }
            }
            "questioner" => {
                // Their script: t = linspace(0, 10, 4096), dt = 10/4096.
                let n = case["n"].as_u64().unwrap() as usize;
                let (t0, t1) = (case["t0"].as_f64().unwrap(), case["t1"].as_f64().unwrap());
                let dt = case["dt"].as_f64().unwrap();
                let t: Vec<f64> = (0..n)
                    .map(|i| t0 + (t1 - t0) * i as f64 / (n - 1) as f64)
                    .collect();
                let data =
                    signals::skew_normal_pdf(&t, t[n / 2], 1.0, case["shape"].as_f64().unwrap())
                        .unwrap();
                let index: Vec<usize> = case["index"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
                    .collect();
                let tk: Vec<f64> = index.iter().map(|&i| t[i]).collect();
                let dk: Vec<f64> = index.iter().map(|&i| data[i]).collect();
                let want = floats(&case["data"]);
                let rel = if case["shape"].as_f64().unwrap() == 0.0 {
                    tol::SKEWNORM
                } else {
                    tol::SKEWNORM_STATRS
                };
                for (g, w) in dk.iter().zip(&want) {
                    assert!(
                        (g - w).abs() <= rel * w.abs() + 1e-300,
                        "{name}: data {g:e} vs {w:e}"
                    );
                }
                let theirs = reference::questioner_rebuild(&data, &tk, dt);
                let e = max_abs_diff(&theirs, &floats(&case["rebuild"]));
                // Our pulse differs from SciPy's by statrs' erfc (shape != 0).
                let tol_rebuild = if rel == tol::SKEWNORM { 1e-12 } else { 1e-9 };
                assert!(e <= tol_rebuild, "{name}: their rebuild {e:e}");
                let right = reference::cosine_sum_rebuild(&data, &tk, dt);
                let e = max_abs_diff(&right, &floats(&case["corrected"]));
                assert!(e <= tol_rebuild, "{name}: corrected rebuild {e:e}");
                // π · 2 · df with df = 1/(N dt) = 0.1.
                assert_eq!(case["factor"].as_f64().unwrap(), PI * 2.0 * 0.1);
                // Their rebuild is the right one times that factor, at any t.
                let ratio = max_abs_diff(
                    &theirs,
                    &right.iter().map(|v| v * PI * 0.2).collect::<Vec<_>>(),
                );
                assert!(ratio <= 1e-12, "{name}: factor");
            }
            other => panic!("unknown fixture kind {other}"),
        }
    }
    assert!(
        counts["rfft"] >= 20 && counts["freq"] >= 40 && counts["window"] >= 12,
        "{counts:?}"
    );
    assert_eq!(counts["questioner"], 2);
}

/// Skew-normal known values: shape 0 is the normal pdf; the pdf integrates to 1;
/// f(loc) = φ(0)·2/scale·Φ(0) = φ(0)/scale for any shape.
#[test]
fn skew_normal_known_values() {
    let f = signals::skew_normal_pdf(&[0.0, 1.0, -2.0], 0.0, 1.0, 0.0).unwrap();
    // 1/sqrt(2π) e^{-x²/2}
    for (&v, x) in f.iter().zip([0.0f64, 1.0, -2.0]) {
        let want = (-x * x / 2.0).exp() / (2.0 * PI).sqrt();
        assert!((v - want).abs() <= 1e-16, "{x}: {v} vs {want}");
    }
    let g = signals::skew_normal_pdf(&[3.0], 3.0, 2.0, 7.5).unwrap();
    assert!((g[0] - 0.3989422804014327 / 2.0).abs() <= 1e-16);
    // Integral by the trapezoid rule on a fine grid.
    let t: Vec<f64> = (0..=40_000).map(|i| -10.0 + i as f64 * 5e-4).collect();
    let p = signals::skew_normal_pdf(&t, 1.0, 1.5, -4.0).unwrap();
    let integral = p.iter().sum::<f64>() * 5e-4;
    assert!((integral - 1.0).abs() < 1e-9, "{integral}");
    assert!(signals::skew_normal_pdf(&[0.0], 0.0, 0.0, 1.0).is_err());
    assert!(signals::skew_normal_pdf(&[0.0], f64::NAN, 1.0, 1.0).is_err());
    assert!(signals::skew_normal_pdf(&[0.0], 0.0, 1.0, f64::INFINITY).is_err());
}

/// The rebuilds: exact inverse, the explicit cosine sum at the samples, and
/// low-pass keeping everything, all give the signal back; odd n keeps its length.
#[test]
fn rebuild_identities() {
    for &n in &[1usize, 2, 3, 4, 5, 17, 64, 101, 255, 256] {
        let x = signal(n, 5 + n as u64);
        let dt = 0.01;
        let dft = RealDft::new(&x, dt).unwrap();
        let exact = dft.rebuild();
        assert_eq!(exact.len(), n);
        assert!(
            max_abs_diff(&exact, &x) <= tol::REBUILD * 8.0 * (1.0 + (n as f64).log2()),
            "n = {n}"
        );
        let t: Vec<f64> = (0..n).map(|j| j as f64 * dt).collect();
        let sum = dft.rebuild_sum(&t);
        assert!(
            max_abs_diff(&sum, &x) <= tol::COSINE_SUM * l1(&x),
            "n = {n}: cosine sum"
        );
        // The forum answer's two-sided sum is the same sum.
        let two_sided = reference::cosine_sum_rebuild(&x, &t, dt);
        assert!(
            max_abs_diff(&two_sided, &sum) <= tol::COSINE_SUM * l1(&x),
            "n = {n}: two-sided sum"
        );
        let all = dft.keep_top(dft.len()).unwrap();
        assert_eq!(all.kept, (0..dft.len()).collect::<Vec<_>>());
        assert_eq!(all.rebuild(), exact);
        assert_eq!(dft.keep_above(0.0).unwrap().rebuild(), exact);
        let none = dft.keep_top(0).unwrap();
        assert!(none.kept.is_empty() && none.rebuild().iter().all(|&v| v == 0.0));
    }
}

/// Low-pass of a Gaussian pulse: the top K coefficients are the K lowest
/// frequencies, the error falls with K, and a threshold keeps the same set as
/// the top K of the same size.
#[test]
fn lowpass_of_a_gaussian_pulse() {
    let n = 4096;
    let dt = 10.0 / n as f64;
    let t: Vec<f64> = (0..n).map(|j| j as f64 * dt).collect();
    let x = signals::skew_normal_pdf(&t, 5.0, 1.0, 0.0).unwrap();
    let dft = RealDft::new(&x, dt).unwrap();
    let mut last = f64::INFINITY;
    for k in [1usize, 2, 4, 8, 12, 16] {
        let low = dft.keep_top(k).unwrap();
        assert_eq!(low.kept, (0..k).collect::<Vec<_>>(), "K = {k}");
        let err = max_abs_diff(&low.rebuild(), &x);
        assert!(err < last, "K = {k}: {err:e} after {last:e}");
        last = err;
        let threshold = dft.coefficients[k - 1].norm();
        assert_eq!(
            dft.keep_above(threshold).unwrap().kept,
            low.kept,
            "K = {k}: threshold"
        );
    }
    // 16 frequencies (0 to 1.5 Hz): the pulse's spectrum falls as
    // exp(-2π²f²), down to the floor set by its ends (the pulse is cut at
    // ±5σ, where it is 1.5e-6, so the periodic signal has kinks there).
    assert!(last < 1e-6, "{last:e}");
}

/// A pure tone on a bin reads its amplitude and phase exactly with every window.
#[test]
fn on_bin_tone_amplitude_and_phase_every_window() {
    for &(n, k, amp, phase) in &[
        (64usize, 5usize, 1.0, 0.3),
        (100, 17, 3.5, -2.0),
        (101, 50, 0.25, 1.0),
        (4096, 409, 2.0, 3.0),
        (997, 3, 7.0, -0.7),
    ] {
        let dt = 1e-3;
        let f = k as f64 / (n as f64 * dt);
        let x = tone(n, dt, f, amp, phase);
        // A window spreads a tone over its main lobe (a_j: j bins each side);
        // skip windows whose lobe reaches the tone's image at -k.
        let image_distance = (2 * k).min(n - 2 * k);
        for w in Window::ALL
            .into_iter()
            .filter(|w| w.coefficients().len() <= image_distance)
        {
            let s = SpectrumOptions::new(dt)
                .unwrap()
                .with_window(w)
                .compute(&x)
                .unwrap();
            assert!((s.frequency[k] - f).abs() <= 1e-12 * f, "{w} n = {n}");
            assert!(
                (s.amplitude[k] - amp).abs() <= tol::ON_BIN * amp * n as f64 / 64.0,
                "{w} n = {n}: {} vs {amp}",
                s.amplitude[k]
            );
            assert!(
                dphase(s.phase[k], phase).abs() <= tol::ON_BIN * n as f64,
                "{w} n = {n}: phase {} vs {phase}",
                s.phase[k]
            );
        }
        // Two-sided: half the amplitude at +f and at -f, opposite phases.
        let s = SpectrumOptions::new(dt)
            .unwrap()
            .with_sides(Sides::Two)
            .compute(&x)
            .unwrap();
        assert!((s.amplitude[k] - amp / 2.0).abs() <= tol::ON_BIN * amp * n as f64 / 64.0);
        assert!((s.amplitude[n - k] - amp / 2.0).abs() <= tol::ON_BIN * amp * n as f64 / 64.0);
        assert!((s.frequency[n - k] + f).abs() <= 1e-12 * f);
        assert!(dphase(s.phase[n - k], -phase).abs() <= tol::ON_BIN * n as f64);
        // Density: |X_k| dt = amp/2 · n dt (the transform of a tone over T = n dt).
        let s = SpectrumOptions::new(dt)
            .unwrap()
            .with_scaling(Scaling::Density)
            .compute(&x)
            .unwrap();
        assert!((s.amplitude[k] - amp / 2.0 * n as f64 * dt).abs() <= 1e-12 * amp * n as f64 * dt);
    }
    // DC and Nyquist are single bins: not doubled.
    let n = 16;
    let x: Vec<f64> = (0..n)
        .map(|j| 1.5 + 0.75 * if j % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let s = amplitude_spectrum(&x, 1.0).unwrap();
    assert!((s.amplitude[0] - 1.5).abs() < 1e-15 && (s.amplitude[n / 2] - 0.75).abs() < 1e-15);
    assert!(s.amplitude[1..n / 2].iter().all(|a| a.abs() < 1e-15));
}

/// Off-bin tones: the plain spectrum peak loses up to 36 % (rectangular), the
/// flat-top window keeps it within 0.1 %, and estimate_tone recovers
/// frequency, amplitude and phase within its documented bounds.
#[test]
fn off_bin_tone_within_the_documented_bound() {
    // Half a bin off: the classic scalloping losses.
    let n = 4096;
    let x = tone(n, 1.0, 100.5 / n as f64, 1.0, 0.0);
    let loss = |w: Window| {
        let s = SpectrumOptions::new(1.0)
            .unwrap()
            .with_window(w)
            .compute(&x)
            .unwrap();
        1.0 - s.amplitude[100].max(s.amplitude[101])
    };
    assert!(
        (loss(Window::Rectangular) - 0.3634).abs() < 2e-3,
        "{}",
        loss(Window::Rectangular)
    );
    assert!(
        (loss(Window::Hann) - 0.1511).abs() < 2e-3,
        "{}",
        loss(Window::Hann)
    );
    assert!(
        (loss(Window::Hamming) - 0.1822).abs() < 2e-3,
        "{}",
        loss(Window::Hamming)
    );
    assert!(
        (loss(Window::Blackman) - 0.1190).abs() < 2e-3,
        "{}",
        loss(Window::Blackman)
    );
    assert!(
        loss(Window::FlatTop).abs() < 1.2e-3,
        "{}",
        loss(Window::FlatTop)
    );

    let mut worst = [0.0f64; 3];
    let mut count = 0;
    for &n in &[64usize, 100, 257, 1000, 4096] {
        for (i, &frac) in [0.0, 0.1, 0.25, 0.5, 0.73, 0.99].iter().enumerate() {
            for &base in &[2.5f64, 3.0, 10.0, n as f64 / 4.0, n as f64 / 2.0 - 3.0] {
                let bin = base.floor() + frac + if base.fract() != 0.0 { 0.5 } else { 0.0 };
                if bin < 2.5 || bin > n as f64 / 2.0 - 2.5 {
                    continue;
                }
                let dt = 2e-3;
                let f = bin / (n as f64 * dt);
                let (amp, phase) = (0.5 + i as f64, -3.0 + i as f64);
                let x = tone(n, dt, f, amp, phase);
                let t = estimate_tone(&x, dt).unwrap();
                let e = [
                    (t.bin - bin).abs(),
                    (t.amplitude - amp).abs() / amp,
                    dphase(t.phase, phase).abs(),
                ];
                for (w, e) in worst.iter_mut().zip(e) {
                    *w = w.max(e);
                }
                assert!(
                    (t.frequency - f).abs() <= TONE_BIN_BOUND / (n as f64 * dt),
                    "n {n} bin {bin}: {t}"
                );
                assert!(e[0] <= TONE_BIN_BOUND, "n {n} bin {bin}: {t}");
                assert!(e[1] <= TONE_AMPLITUDE_BOUND, "n {n} bin {bin}: {t}");
                assert!(e[2] <= TONE_PHASE_BOUND, "n {n} bin {bin}: {t}");
                count += 1;
            }
        }
    }
    eprintln!(
        "estimate_tone worst errors over {count} tones: bin {:.1e}, amplitude {:.1e}, phase {:.1e}",
        worst[0], worst[1], worst[2]
    );
    assert!(count > 100);
}

/// Every bad input returns a typed error naming the parameter.
#[test]
fn error_paths() {
    let x = signal(16, 1);
    let mut bad = x.clone();
    bad[3] = f64::NAN;
    let mut inf = x.clone();
    inf[5] = f64::NEG_INFINITY;
    assert!(matches!(
        rfft(&[]),
        Err(NumlabError::TooShort {
            name: "x",
            len: 0,
            min: 1
        })
    ));
    assert!(matches!(
        rfft(&bad),
        Err(NumlabError::NonFinite {
            name: "x",
            index: 3,
            ..
        })
    ));
    assert!(matches!(
        amplitude_spectrum(&inf, 1.0),
        Err(NumlabError::NonFinite { index: 5, .. })
    ));
    assert!(matches!(
        amplitude_spectrum(&[], 1.0),
        Err(NumlabError::TooShort { .. })
    ));
    for dt in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(
            matches!(
                amplitude_spectrum(&x, dt),
                Err(NumlabError::InvalidParameter { name: "dt", .. })
            ),
            "dt = {dt}"
        );
        assert!(matches!(
            RealDft::new(&x, dt),
            Err(NumlabError::InvalidParameter { name: "dt", .. })
        ));
        assert!(matches!(
            fftfreq(4, dt),
            Err(NumlabError::InvalidParameter { name: "d", .. })
        ));
        assert!(matches!(
            rfftfreq(4, dt),
            Err(NumlabError::InvalidParameter { name: "d", .. })
        ));
    }
    assert!(matches!(
        SpectrumOptions::from_rate(0.0),
        Err(NumlabError::InvalidParameter { name: "rate", .. })
    ));
    assert!(matches!(
        fftfreq(0, 1.0),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    assert!(matches!(
        rfftfreq(0, 1.0),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    assert!(matches!(
        RealDft::new(&[], 1.0),
        Err(NumlabError::TooShort { .. })
    ));
    assert!(matches!(
        RealDft::new(&bad, 1.0),
        Err(NumlabError::NonFinite { index: 3, .. })
    ));
    let dft = RealDft::new(&x, 1.0).unwrap();
    let e = dft.keep_top(10).unwrap_err();
    assert!(
        matches!(
            e,
            NumlabError::TooLarge {
                name: "k",
                value: 10,
                available: 9,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("k = 10") && e.to_string().contains('9'),
        "{e}"
    );
    for t in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            dft.keep_above(t),
            Err(NumlabError::InvalidParameter {
                name: "threshold",
                ..
            })
        ));
    }
    let e = "kaiser".parse::<Window>().unwrap_err();
    assert!(
        matches!(&e, NumlabError::UnknownName { name: "window", value, .. } if value == "kaiser")
    );
    assert!(e.to_string().contains("hann"), "{e}");
    assert_eq!("Hann".parse::<Window>().unwrap(), Window::Hann);
    assert_eq!("flat-top".parse::<Window>().unwrap(), Window::FlatTop);
    assert_eq!("boxcar".parse::<Window>().unwrap(), Window::Rectangular);
    assert!(matches!(
        "three".parse::<Sides>(),
        Err(NumlabError::UnknownName { name: "sides", .. })
    ));
    assert!(matches!(
        "power".parse::<Scaling>(),
        Err(NumlabError::UnknownName {
            name: "scaling",
            ..
        })
    ));
    // irfft: length must match n/2 + 1, n >= 1, finite parts.
    let spec = rfft(&x).unwrap();
    assert!(matches!(
        irfft(&spec, 15),
        Err(NumlabError::LengthMismatch { .. })
    ));
    assert!(matches!(
        irfft(&spec, 0),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    assert_eq!(irfft(&spec, 17).unwrap().len(), 17);
    let mut nan_spec = spec.clone();
    nan_spec[2].im = f64::NAN;
    assert!(matches!(
        irfft(&nan_spec, 16),
        Err(NumlabError::NonFinite {
            name: "spectrum",
            index: 2,
            ..
        })
    ));
    assert!(matches!(fft(&[]), Err(NumlabError::TooShort { .. })));
    assert!(matches!(
        ifft(&nan_spec),
        Err(NumlabError::NonFinite { index: 2, .. })
    ));
    // estimate_tone
    assert!(matches!(
        estimate_tone(&x[..7], 1.0),
        Err(NumlabError::TooShort { min: 8, .. })
    ));
    assert!(matches!(
        estimate_tone(&bad, 1.0),
        Err(NumlabError::NonFinite { .. })
    ));
    assert!(matches!(
        estimate_tone(&x, -1.0),
        Err(NumlabError::InvalidParameter { name: "dt", .. })
    ));
    assert!(matches!(
        estimate_tone(&[0.0; 32], 1.0),
        Err(NumlabError::Unsupported(_))
    ));
}

/// irfft ignores the imaginary parts of DC and (even n) Nyquist, as NumPy does.
#[test]
fn irfft_ignores_imaginary_dc_and_nyquist() {
    let x = signal(10, 3);
    let mut spec = rfft(&x).unwrap();
    spec[0].im = 5.0;
    spec[5].im = -2.0;
    assert!(max_abs_diff(&irfft(&spec, 10).unwrap(), &x) < 1e-14);
    // For odd n the last coefficient is a pair, so its imaginary part counts.
    let x = signal(11, 3);
    let spec = rfft(&x).unwrap();
    assert!(spec[5].im != 0.0);
    assert!(max_abs_diff(&irfft(&spec, 11).unwrap(), &x) < 1e-14);
}

/// Inputs whose spectrum would overflow, or whose frequencies would, are
/// refused by name; a one-sample window is [1.0] as in SciPy.
#[test]
fn overflow_and_one_sample_windows() {
    let big = vec![1e306; 100];
    assert!(matches!(
        SpectrumOptions::new(1.0).unwrap().compute(&big),
        Err(NumlabError::InvalidParameter { name: "x", .. })
    ));
    assert!(matches!(
        RealDft::new(&big, 1.0),
        Err(NumlabError::InvalidParameter { name: "x", .. })
    ));
    assert!(matches!(
        SpectrumOptions::new(1e-320)
            .unwrap()
            .compute(&[1.0, 2.0, 3.0]),
        Err(NumlabError::InvalidParameter { name: "dt", .. })
    ));
    for w in [
        Window::Rectangular,
        Window::Hann,
        Window::Hamming,
        Window::Blackman,
        Window::FlatTop,
    ] {
        assert_eq!(w.values(1), vec![1.0], "{w:?}");
        // A single sample reads its own value whatever the window.
        let s = SpectrumOptions::new(1.0)
            .unwrap()
            .with_window(w)
            .compute(&[1.5])
            .unwrap();
        assert!(
            (s.amplitude[0] - 1.5).abs() < 1e-15,
            "{w:?}: {}",
            s.amplitude[0]
        );
    }
}
