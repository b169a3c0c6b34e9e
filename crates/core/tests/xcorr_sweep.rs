//! The FFT route of the correlation against the correlation by definition
//! (`xcorr::reference::correlate`, the plain double loop) for every length
//! of `a` from 1 to 4,096, in every mode and both signal orders, with the
//! readable realfft route (`reference::correlate_realfft`) checked on the
//! way; and a `Correlator` that reuses its buffers gives the free
//! functions' bits.

use numlab_core::xcorr::{correlate_argmax, correlate_with, reference, Correlator, Method, Mode};

/// Relative to sqrt(Σa² Σb²), the bound of every correlation value.
const REL: f64 = 1e-12;
const SEED: u64 = 0x0004_0960_5eed;

/// Values in [-1, 1) from a 64-bit LCG (the top 53 bits).
fn signal(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        })
        .collect()
}

fn energy(a: &[f64], b: &[f64]) -> f64 {
    let e = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    (e(a) * e(b)).sqrt()
}

/// `mode`'s part of the full correlation.
fn part(full: &[f64], n: usize, m: usize, mode: Mode) -> &[f64] {
    let first = (mode.first_lag(n, m) + m as i64 - 1) as usize;
    &full[first..first + mode.output_len(n, m)]
}

#[test]
fn fft_route_equals_the_definition_for_every_length_to_4096() {
    let mut checked = 0;
    for n in 1..=4096usize {
        // Partners of every relation to n: shorter, equal, longer, tiny.
        let m = match n % 4 {
            0 => n,
            1 => n.div_ceil(3),
            2 => 1 + n % 7,
            _ => n + 1 + n % 5,
        };
        let a = signal(n, SEED + n as u64);
        let b = signal(m, SEED ^ (n as u64) << 20);
        let bound = REL * energy(&a, &b).max(f64::MIN_POSITIVE);
        // correlate(b, a) at lag k is correlate(a, b) at lag -k.
        let full_ab = reference::correlate(&a, &b, Mode::Full);
        let full_ba: Vec<f64> = full_ab.iter().rev().copied().collect();
        for (x, y, full) in [(&a, &b, &full_ab), (&b, &a, &full_ba)] {
            let (nx, ny) = (x.len(), y.len());
            for mode in [Mode::Full, Mode::Same, Mode::Valid] {
                let want = part(full, nx, ny, mode);
                let got = correlate_with(x, y, mode, Method::Fft).unwrap();
                assert_eq!(got.len(), want.len(), "n {nx}, m {ny}, {mode}");
                for (i, (g, w)) in got.iter().zip(want).enumerate() {
                    assert!(
                        (g - w).abs() <= bound,
                        "n {nx}, m {ny}, {mode} [{i}]: {g} vs {w} (bound {bound:e})"
                    );
                }
                // The readable realfft route, on every 64th length.
                if nx % 64 == 1 {
                    let plain = reference::correlate_realfft(x, y, mode);
                    for (i, (p, w)) in plain.iter().zip(want).enumerate() {
                        assert!(
                            (p - w).abs() <= bound,
                            "realfft route, n {nx}, m {ny}, {mode} [{i}]"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4096 * 2 * 3);
}

#[test]
fn a_correlator_reuses_its_buffers_without_leaking_old_values() {
    for (n, m) in [
        (1000usize, 1000usize),
        (999, 37),
        (4, 4096),
        (20_000, 15_000),
    ] {
        for method in [Method::Fft, Method::Auto, Method::Direct] {
            for mode in [Mode::Full, Mode::Same, Mode::Valid] {
                let mut c = Correlator::new(n, m, mode, method).unwrap();
                for round in 0..3u64 {
                    // Very different scales from round to round: a stale
                    // value of the last call would stand out.
                    let s = [1.0, 1e-150, 1e150][round as usize];
                    let a: Vec<f64> = signal(n, round).iter().map(|v| v * s).collect();
                    let b = signal(m, round + 99);
                    let want = correlate_argmax(&a, &b, mode, method).unwrap();
                    let got = c.correlate_argmax(&a, &b).unwrap();
                    assert!(
                        got.0
                            .iter()
                            .map(|v| v.to_bits())
                            .eq(want.0.iter().map(|v| v.to_bits())),
                        "{n} {m} {mode} {method} round {round}"
                    );
                    assert_eq!(got.1, want.1);
                    assert_eq!(
                        c.correlate(&a, &b).unwrap(),
                        correlate_with(&a, &b, mode, method).unwrap()
                    );
                }
            }
        }
    }
    // Wrong lengths and bad values are errors naming the signal.
    let mut c = Correlator::new(10, 5, Mode::Full, Method::Fft).unwrap();
    let e = c.correlate(&[0.0; 9], &[0.0; 5]).unwrap_err().to_string();
    assert!(e.contains("a has 9"), "{e}");
    let mut bad = vec![1.0; 5];
    bad[2] = f64::NAN;
    let e = c.correlate(&[1.0; 10], &bad).unwrap_err().to_string();
    assert!(e.contains("b[2]"), "{e}");
    assert!(Correlator::new(0, 5, Mode::Full, Method::Fft).is_err());
}
