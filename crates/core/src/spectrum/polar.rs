//! Magnitude and phase of many complex numbers, fast.
//!
//! `f64::atan2` and `f64::hypot` are libm calls with branches the compiler
//! cannot vectorise; over a million coefficients they cost more than the FFT.
//! [`atan2`] here is fdlibm's `atan` (its polynomial and its atan(0.5),
//! atan(1) split constants), reduced by the octant of (x, y) and written
//! without data-dependent branches so the loop vectorises; the magnitude is
//! `sqrt(re² + im²)`, with `hypot` taking over where the squares would
//! overflow or underflow. Both are within 2 ulp of
//! libm (test `polar_matches_libm`), and both follow libm's signed-zero
//! conventions (`atan2(±0, -0) = ±π`).

use rustfft::num_complex::Complex64;

// fdlibm s_atan.c: atan(x) = x - x(s1 + s2) on |x| < 7/16 with these
// coefficients; atan(0.5) and atan(1) as hi + lo. The digits are fdlibm's,
// kept as published (clippy: excessive_precision).
#[allow(clippy::excessive_precision)]
const AT: [f64; 11] = [
    3.333_333_333_333_293_180_27e-01,
    -1.999_999_999_987_648_324_76e-01,
    1.428_571_427_250_346_637_11e-01,
    -1.111_111_040_546_235_578_80e-01,
    9.090_887_133_436_506_561_96e-02,
    -7.691_876_205_044_829_994_95e-02,
    6.661_073_137_387_531_206_69e-02,
    -5.833_570_133_790_573_486_45e-02,
    4.976_877_994_615_932_360_17e-02,
    -3.653_157_274_421_691_552_70e-02,
    1.628_582_011_536_578_236_23e-02,
];
#[allow(clippy::excessive_precision)]
const ATAN_HALF_HI: f64 = 4.636_476_090_008_060_935_15e-01;
#[allow(clippy::excessive_precision)]
const ATAN_HALF_LO: f64 = 2.269_877_745_296_168_709_24e-17;
const ATAN_ONE_HI: f64 = std::f64::consts::FRAC_PI_4;
#[allow(clippy::excessive_precision)]
const ATAN_ONE_LO: f64 = 3.061_616_997_868_383_017_93e-17;
const PI_HI: f64 = std::f64::consts::PI;
#[allow(clippy::excessive_precision)]
const PI_LO: f64 = 1.224_646_799_147_353_207_17e-16;
const HALF_PI_HI: f64 = std::f64::consts::FRAC_PI_2;
#[allow(clippy::excessive_precision)]
const HALF_PI_LO: f64 = 6.123_233_995_736_766_035_87e-17;

/// atan(s / b) for 0 <= s <= b, b > 0 (fdlibm's reduction at 7/16 and 11/16,
/// with the reduced argument formed from s and b directly: one division, and
/// 2s - b, s - b exact there).
#[inline(always)]
fn atan_ratio(s: f64, b: f64) -> f64 {
    let low = 16.0 * s < 7.0 * b;
    let mid = 16.0 * s < 11.0 * b;
    let num = if low {
        s
    } else if mid {
        2.0 * s - b
    } else {
        s - b
    };
    let den = if low {
        b
    } else if mid {
        2.0 * b + s
    } else {
        s + b
    };
    let hi = if low {
        0.0
    } else if mid {
        ATAN_HALF_HI
    } else {
        ATAN_ONE_HI
    };
    let lo = if low {
        0.0
    } else if mid {
        ATAN_HALF_LO
    } else {
        ATAN_ONE_LO
    };
    let z = num / den;
    let z2 = z * z;
    let w = z2 * z2;
    let s1 = z2 * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
    let s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
    hi - ((z * (s1 + s2) - lo) - z)
}

/// `y.atan2(x)` for finite x, y, within 2 ulp; `atan2(±0, ±0)` as libm.
#[inline(always)]
pub(crate) fn atan2(y: f64, x: f64) -> f64 {
    let ax = x.abs();
    let ay = y.abs();
    let swap = ay > ax;
    let small = if swap { ax } else { ay };
    let big = if swap { ay } else { ax };
    // big = 0 only when both are zero: atan(0 / 1) = 0 then (π for x = -0,
    // below). A select, not a branch, so the loop vectorises.
    let big = if big > 0.0 { big } else { 1.0 };
    let r = atan_ratio(small, big);
    // Octant: past 45° take π/2 - r; left half-plane take π - r.
    let r = if swap {
        HALF_PI_HI - (r - HALF_PI_LO)
    } else {
        r
    };
    let r = if x.is_sign_negative() {
        PI_HI - (r - PI_LO)
    } else {
        r
    };
    r.copysign(y)
}

/// |c|: `sqrt(re² + im²)`, or `hypot` where that would overflow or lose
/// precision to underflow.
#[cfg(test)]
fn magnitude(c: Complex64) -> f64 {
    let s = c.re * c.re + c.im * c.im;
    if needs_hypot(s) {
        c.re.hypot(c.im)
    } else {
        s.sqrt()
    }
}

/// re² + im² out of the range where its square root is within an ulp.
#[inline(always)]
fn needs_hypot(s: f64) -> bool {
    !((1e-290..1e290).contains(&s) || s == 0.0)
}

/// `amplitude[k] = |c_k| · scale`, `phase[k] = arg c_k` (radians). Runs an
/// AVX2 build of the same code on the AVX2 and AVX-512 paths of
/// [`crate::simd`] (same operations, same results: Rust does not contract
/// a·b + c into an FMA).
pub(crate) fn polar_into(c: &[Complex64], scale: f64, amplitude: &mut [f64], phase: &mut [f64]) {
    polar_into_on(crate::simd::isa(), c, scale, amplitude, phase);
}

// At most AVX2, as before this layer.
crate::simd::dispatch!(fn polar_into_on(
    c: &[Complex64],
    scale: f64,
    amplitude: &mut [f64],
    phase: &mut [f64]
) => polar_into_generic, max = Avx2);

#[inline(always)]
fn polar_into_generic<S: crate::simd::Simd>(
    _: S,
    c: &[Complex64],
    scale: f64,
    amplitude: &mut [f64],
    phase: &mut [f64],
) {
    for (c, p) in c.iter().zip(phase.iter_mut()) {
        *p = atan2(c.im, c.re);
    }
    // Branch-free first (vectorises), then hypot where needed (rare).
    let mut any = false;
    for (c, a) in c.iter().zip(amplitude.iter_mut()) {
        let s = c.re * c.re + c.im * c.im;
        any |= needs_hypot(s);
        *a = s.sqrt() * scale;
    }
    if any {
        for (c, a) in c.iter().zip(amplitude.iter_mut()) {
            if needs_hypot(c.re * c.re + c.im * c.im) {
                *a = c.re.hypot(c.im) * scale;
            }
        }
    }
}

#[cfg(test)]
mod tests {

    /// Amplitude and phase are the same on every path, hypot cases included.
    #[test]
    fn polar_agrees_on_every_path() {
        let c: Vec<Complex64> = (0..1037)
            .map(|i| {
                let f = i as f64;
                let s = if i % 97 == 0 {
                    1e-160
                } else if i % 89 == 0 {
                    1e160
                } else {
                    1.0
                };
                Complex64::new(s * (f * 0.37).sin(), s * (f * 0.11).cos() - 0.2)
            })
            .collect();
        crate::simd::assert_same_bits_on_every_path("polar", |isa| {
            let (mut a, mut p) = (vec![0.0; c.len()], vec![0.0; c.len()]);
            polar_into_on(isa, &c, 0.5, &mut a, &mut p);
            (a, p)
        });
    }
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        let (ia, ib) = (a.to_bits() as i64, b.to_bits() as i64);
        if (ia < 0) != (ib < 0) {
            return u64::MAX;
        }
        ia.abs_diff(ib)
    }

    #[test]
    fn polar_matches_libm() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut worst = (0u64, 0u64);
        for i in 0..2_000_000 {
            let scale = 10f64.powi((i % 40) - 20);
            let (x, y) = (
                (next() - 0.5) * scale,
                (next() - 0.5) * scale * if i % 3 == 0 { 1e-3 } else { 1.0 },
            );
            let a = atan2(y, x);
            let e = ulps(a, y.atan2(x));
            worst.0 = worst.0.max(e);
            assert!(e <= 2, "atan2({y:e}, {x:e}) = {a:e}, libm {:e}", y.atan2(x));
            let m = magnitude(Complex64::new(x, y));
            let e = ulps(m, x.hypot(y));
            worst.1 = worst.1.max(e);
            assert!(e <= 2, "|{x:e} + {y:e}i| = {m:e}, hypot {:e}", x.hypot(y));
        }
        // Exact octant boundaries, signed zeros, and extremes.
        for &(y, x) in &[
            (0.0, 0.0),
            (-0.0, 0.0),
            (0.0, -0.0),
            (-0.0, -0.0),
            (1.0, 1.0),
            (-1.0, 1.0),
            (1.0, -1.0),
            (-1.0, -1.0),
            (0.0, -3.0),
            (-0.0, -3.0),
            (3.0, 0.0),
            (-3.0, -0.0),
            (1e-300, 1e300),
            (1e300, -1e-300),
            (5e-324, 1.0),
            (0.4375, 1.0),
            (0.6875, 1.0),
            (1.0, 0.4375),
            (1e200, 1e200),
        ] {
            let a = atan2(y, x);
            assert!(
                ulps(a, y.atan2(x)) <= 2,
                "atan2({y:e}, {x:e}) = {a:e}, libm {:e}",
                y.atan2(x)
            );
            let m = magnitude(Complex64::new(x, y));
            assert!(
                ulps(m, x.hypot(y)) <= 2,
                "|{x:e} + {y:e}i| = {m:e}, hypot {:e}",
                x.hypot(y)
            );
        }
        eprintln!("worst ulps: atan2 {}, magnitude {}", worst.0, worst.1);
    }
}
