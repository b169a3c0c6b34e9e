//! Exponentials for the inner loops of kernel sums.
//!
//! `f64::exp` is a libm call the compiler cannot vectorise; kernel sums
//! evaluate one per pair of points, so it dominates their cost. [`exp1`]
//! computes exp(t) with plain arithmetic (Cody-Waite range reduction and a
//! degree-12 Taylor polynomial, separate multiplies and adds), which the
//! compiler vectorises in loops on every [`crate::simd`] path with the same
//! bits. Relative error below 4e-16 against `f64::exp` on [-745, 0.5] (test
//! `fast_exp_accuracy`). Arguments below -700 return exp(-700) ≈ 1e-304
//! (kernel weights that small never matter); arguments must be <= 0.5.
//!
//! The kernel sums themselves use a cheaper variant (crate-internal
//! `exp_table`): exp(t) = 2^(k/16) exp(r) with a 16-entry table and a
//! degree-6 polynomial for exp(r) on |r| <= ln2/32, every multiply-add fused
//! (`f64::mul_add`, one rounding). Its vector versions, eight lanes with
//! AVX-512 (table lookup by permute) and four with AVX2 (by gather), live in
//! [`crate::simd`] and give the same bits on every path. Relative error below
//! 3e-16 (test `table_exp_accuracy`).

pub(crate) const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split so that k * LN2_HI is exact for |k| < 2^20 (fdlibm's constants).
pub(crate) const LN2_HI: f64 = 6.931_471_803_691_238e-1;
pub(crate) const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// The lowest argument; below it the exponentials return exp(-700).
pub(crate) const LOWEST: f64 = -700.0;
/// 1/12!, 1/11!, ..., 1/2!, 1, 1: Horner coefficients of exp on |r| <= ln2/2.
const POLY: [f64; 13] = [
    1.0 / 479_001_600.0,
    1.0 / 39_916_800.0,
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
    1.0,
    1.0,
];

/// exp(t) for `t <= 0.5`.
#[inline(always)]
pub fn exp1(t: f64) -> f64 {
    let t = if t < LOWEST { LOWEST } else { t };
    let shifted = t * LOG2E + MAGIC;
    let kf = shifted - MAGIC;
    let k = shifted.to_bits().wrapping_sub(MAGIC.to_bits());
    let scale = f64::from_bits(k.wrapping_add(1023) << 52);
    let r = (t - kf * LN2_HI) - kf * LN2_LO;
    let mut p = POLY[0];
    for &c in &POLY[1..] {
        p = p * r + c;
    }
    p * scale
}

/// 2^(j/16) for j = 0..15, each correctly rounded.
pub(crate) const EXP2_SIXTEENTHS: [f64; 16] = [
    1.0,
    1.044_273_782_427_413_8,
    1.090_507_732_665_257_7,
    1.138_788_634_756_691_6,
    1.189_207_115_002_721,
    1.241_857_812_073_484,
    1.296_839_554_651_009_6,
    1.354_255_546_936_892_7,
    std::f64::consts::SQRT_2,
    1.476_826_145_939_499_3,
    1.542_210_825_407_940_7,
    1.610_490_331_949_254_3,
    1.681_792_830_507_429,
    1.756_252_160_373_299_5,
    1.834_008_086_409_342_4,
    1.915_206_561_397_147_4,
];

/// 1.5 * 2^48: adding it rounds t / ln 2 to a multiple of 1/16, k/16, with k
/// in the low mantissa bits (k mod 16 in the lowest four).
pub(crate) const MAGIC16: f64 = 422_212_465_065_984.0;
/// (exp(r) - 1) / r on |r| <= ln2/32 to 1.5e-17 relative (in exp(r)), Horner
/// order: the Taylor terms up to r^7/8!, with the r^6 and r^7 terms folded
/// into the lower ones by Chebyshev economisation on that interval.
pub(crate) const TABLE_POLY: [f64; 6] = [
    0.001_388_909_253_142_205_1,
    0.008_333_472_973_927_501,
    0.041_666_666_661_889_29,
    0.166_666_666_642_097_3,
    0.500_000_000_000_000_3,
    1.000_000_000_000_000_7,
];

/// exp(t) for `t <= 0.5` by a 16-entry table and a degree-6 polynomial
/// (`1 + r p(r)`, p of degree 5 in [`TABLE_POLY`]): about half the work of
/// [`exp1`], relative error below 3e-16 (test `table_exp_accuracy`). Every
/// multiply-add is fused (`f64::mul_add`), as in the AVX2 and AVX-512
/// versions in [`crate::simd`], which give the same bits. With `CLAMP`,
/// arguments below -700 return exp(-700); without it, the caller guarantees
/// `t >= -700` (anything below gives an unspecified value, never a panic).
#[inline(always)]
pub(crate) fn exp_table<const CLAMP: bool>(t: f64) -> f64 {
    let t = if CLAMP && t < LOWEST { LOWEST } else { t };
    // exp(t) = 2^(k/16) exp(r), k = round(16 t / ln 2), r = t - (k/16) ln 2
    // (k/16 has at most 15 significant bits, so (k/16) LN2_HI is exact).
    let shifted = t.mul_add(LOG2E, MAGIC16);
    let k16 = shifted - MAGIC16;
    let r = (-k16).mul_add(LN2_HI, t);
    let r = (-k16).mul_add(LN2_LO, r);
    let k = shifted.to_bits().wrapping_sub(MAGIC16.to_bits()) as i64;
    let tab = EXP2_SIXTEENTHS[(k & 15) as usize];
    let mut p = TABLE_POLY[0];
    for &c in &TABLE_POLY[1..] {
        p = p.mul_add(r, c);
    }
    let v = tab.mul_add(r * p, tab);
    // v in [0.97, 1.98] and k >= -16158, so v * 2^(k >> 4) is normal and
    // adding the exponent to v's bits is exact.
    f64::from_bits((v.to_bits() as i64).wrapping_add((k >> 4) << 52) as u64)
}

/// Whether every value is finite (no NaN, no ±inf): a branch-free scan, in
/// blocks so a bad value still stops it early; about ten times faster than
/// `iter().all(f64::is_finite)`, which tests and branches one value at a time.
pub(crate) fn all_finite(values: &[f64]) -> bool {
    all_finite_on(crate::simd::isa(), values)
}

crate::simd::dispatch!(fn all_finite_on(values: &[f64]) -> bool => all_finite_any, max = Avx2);

#[inline(always)]
fn all_finite_any<S: crate::simd::Simd>(_: S, values: &[f64]) -> bool {
    // |v| < inf is false for NaN and ±inf.
    values
        .chunks(2048)
        .all(|c| c.iter().fold(true, |ok, v| ok & (v.abs() < f64::INFINITY)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> Vec<f64> {
        let n = 200_000;
        (0..=n)
            .map(|i| {
                (-745.0 * (i as f64 / n as f64).powi(3) + 1e-6 * ((i * 7919) % 1000) as f64)
                    .min(0.5)
            })
            .collect()
    }

    #[test]
    fn fast_exp_accuracy() {
        let mut worst = 0.0f64;
        for t in args() {
            let want = t.max(LOWEST).exp();
            worst = worst.max(((exp1(t) - want) / want).abs());
        }
        assert!(worst < 4e-16, "worst relative error {worst:e}");
        assert_eq!(exp1(-1e6), exp1(-700.0));
        assert_eq!(exp1(0.0), 1.0);
    }

    #[test]
    fn all_finite_finds_every_bad_value() {
        let mut v = vec![1.5; 5000];
        assert!(all_finite(&v) && all_finite(&[]));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for i in [0, 7, 2047, 2048, 4999] {
                v[i] = bad;
                assert!(!all_finite(&v), "{bad} at {i}");
                v[i] = f64::MAX;
                assert!(all_finite(&v));
            }
        }
    }

    #[test]
    fn table_exp_accuracy() {
        let f = exp_table::<true>;
        let mut worst = 0.0f64;
        for t in args() {
            let want = t.max(LOWEST).exp();
            worst = worst.max(((f(t) - want) / want).abs());
        }
        assert!(worst < 3e-16, "worst relative error {worst:e}");
        assert_eq!(f(-1e6), f(-700.0));
        assert_eq!(f(0.0), 1.0);
    }

    /// The vector versions of the table exponential (every path) give the
    /// scalar bits, and so does `all_finite`.
    #[test]
    fn paths_agree() {
        use crate::simd::{assert_same_bits_on_every_path, Isa, Simd};
        #[inline(always)]
        fn exp_generic<S: Simd>(s: S, t: &mut [f64]) {
            s.exp_table_in_place(t);
        }
        crate::simd::dispatch!(fn exp_on(t: &mut [f64]) => exp_generic);
        let t = args();
        let want = assert_same_bits_on_every_path("exp_table", |isa| {
            let mut v = t.clone();
            exp_on(isa, &mut v);
            v
        });
        for (a, &t) in want.iter().zip(&t) {
            assert_eq!(a.to_bits(), exp_table::<true>(t).to_bits(), "t = {t}");
        }
        let mut v = vec![1.5; 5000];
        v[4321] = f64::NAN;
        assert!(!assert_same_bits_on_every_path("all_finite", |isa: Isa| {
            all_finite_on(isa, &v)
        }));
    }
}
