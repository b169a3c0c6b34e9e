//! A vectorised exponential for the inner loops of kernel sums.
//!
//! `f64::exp` is a libm call the compiler cannot vectorise; kernel sums
//! evaluate one per pair of points, so it dominates their cost. [`exp1`]
//! computes exp(t) with plain arithmetic (Cody-Waite range reduction and a
//! degree-12 Taylor polynomial); on x86-64 with AVX2, [`avx2::exp4`] does the
//! same operations, in the same order, on four lanes at once, so both give the
//! same bits. Relative error below 4e-16 against `f64::exp` on [-745, 0.5]
//! (test `fast_exp_accuracy`). Arguments below -700 return exp(-700) ≈ 1e-304
//! (kernel weights that small never matter); arguments must be <= 0.5.
//!
//! The kernel sums themselves use a cheaper variant (crate-internal
//! `exp_table`): exp(t) = 2^(k/16) exp(r) with a 16-entry table and a degree-6
//! polynomial on |r| <= ln2/32, with fused multiply-adds where the CPU has
//! them; eight lanes per instruction with AVX-512 (table lookup by permute),
//! four with AVX2 (by gather), the same bits either way and in the portable
//! code with FMA. Relative error below 3e-16 (test `table_exp_accuracy`).

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split so that k * LN2_HI is exact for |k| < 2^20 (fdlibm's constants).
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;
const LOWEST: f64 = -700.0;
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

/// Multiply-add, fused or not: the one operation in which the instruction
/// sets differ. Kernels generic over it give the same bits on every CPU that
/// runs the same variant.
pub(crate) trait MulAdd {
    /// a * b + c.
    fn mul_add(a: f64, b: f64, c: f64) -> f64;
}

/// One rounding: `f64::mul_add`, used only where the CPU has an FMA
/// instruction (x86-64 with FMA checked at run time, aarch64 always).
pub(crate) struct Fused;
/// Two roundings: a multiply, then an add (every other CPU).
pub(crate) struct Separate;

impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f64, b: f64, c: f64) -> f64 {
        a.mul_add(b, c)
    }
}

impl MulAdd for Separate {
    #[inline(always)]
    fn mul_add(a: f64, b: f64, c: f64) -> f64 {
        a * b + c
    }
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
const MAGIC16: f64 = 422_212_465_065_984.0;
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

/// exp(t) for `t <= 0.5` by a 16-entry table and a degree-7 polynomial: about
/// about half the work of [`exp1`], relative error below 3e-16 (test
/// `table_exp_accuracy`). With [`Fused`] it gives the same bits as the AVX2 and
/// AVX-512 versions used by the kernel sums (`exp_table_avx2`,
/// `exp_table_avx512` in `crate::smoothing`); with [`Separate`] it may differ
/// from them in the last bit. With `CLAMP`, arguments below -700 return
/// exp(-700); without it, the caller guarantees `t >= -700` (anything below
/// gives an unspecified value, never a panic).
#[inline(always)]
pub(crate) fn exp_table<M: MulAdd, const CLAMP: bool>(t: f64) -> f64 {
    let t = if CLAMP && t < LOWEST { LOWEST } else { t };
    // exp(t) = 2^(k/16) exp(r), k = round(16 t / ln 2), r = t - (k/16) ln 2
    // (k/16 has at most 15 significant bits, so (k/16) LN2_HI is exact).
    let shifted = M::mul_add(t, LOG2E, MAGIC16);
    let k16 = shifted - MAGIC16;
    let r = M::mul_add(-k16, LN2_HI, t);
    let r = M::mul_add(-k16, LN2_LO, r);
    let k = shifted.to_bits().wrapping_sub(MAGIC16.to_bits()) as i64;
    let tab = EXP2_SIXTEENTHS[(k & 15) as usize];
    let mut p = TABLE_POLY[0];
    for &c in &TABLE_POLY[1..] {
        p = M::mul_add(p, r, c);
    }
    let v = M::mul_add(tab, r * p, tab);
    // v in [0.97, 1.98] and k >= -16158, so v * 2^(k >> 4) is normal and
    // adding the exponent to v's bits is exact.
    f64::from_bits((v.to_bits() as i64).wrapping_add((k >> 4) << 52) as u64)
}

/// Whether every value is finite (no NaN, no ±inf): a branch-free scan, in
/// blocks so a bad value still stops it early; about ten times faster than
/// `iter().all(f64::is_finite)`, which tests and branches one value at a time.
pub(crate) fn all_finite(values: &[f64]) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            return unsafe { all_finite_avx2(values) };
        }
    }
    all_finite_any(values)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn all_finite_avx2(values: &[f64]) -> bool {
    all_finite_any(values)
}

#[inline(always)]
fn all_finite_any(values: &[f64]) -> bool {
    // |v| < inf is false for NaN and ±inf.
    values
        .chunks(2048)
        .all(|c| c.iter().fold(true, |ok, v| ok & (v.abs() < f64::INFINITY)))
}

/// AVX2 versions; callers check `is_x86_feature_detected!("avx2")`.
#[cfg(target_arch = "x86_64")]
pub mod avx2 {
    use super::*;
    use std::arch::x86_64::*;

    /// exp of four lanes; the same operations as [`exp1`].
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub unsafe fn exp4(t: __m256d) -> __m256d {
        let t = _mm256_max_pd(t, _mm256_set1_pd(LOWEST));
        let magic = _mm256_set1_pd(MAGIC);
        let shifted = _mm256_add_pd(_mm256_mul_pd(t, _mm256_set1_pd(LOG2E)), magic);
        let kf = _mm256_sub_pd(shifted, magic);
        let k = _mm256_sub_epi64(_mm256_castpd_si256(shifted), _mm256_castpd_si256(magic));
        let scale = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_add_epi64(
            k,
            _mm256_set1_epi64x(1023),
        )));
        let r = _mm256_sub_pd(
            _mm256_sub_pd(t, _mm256_mul_pd(kf, _mm256_set1_pd(LN2_HI))),
            _mm256_mul_pd(kf, _mm256_set1_pd(LN2_LO)),
        );
        let mut p = _mm256_set1_pd(POLY[0]);
        for &c in &POLY[1..] {
            p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(c));
        }
        _mm256_mul_pd(p, scale)
    }

    /// [`exp_table::<Fused, CLAMP>`](super::exp_table) of four lanes, the same bits.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) unsafe fn exp_table4<const CLAMP: bool>(t: __m256d) -> __m256d {
        let t = if CLAMP {
            _mm256_max_pd(t, _mm256_set1_pd(LOWEST))
        } else {
            t
        };
        let magic = _mm256_set1_pd(MAGIC16);
        let shifted = _mm256_fmadd_pd(t, _mm256_set1_pd(LOG2E), magic);
        let k16 = _mm256_sub_pd(shifted, magic);
        let r = _mm256_fnmadd_pd(k16, _mm256_set1_pd(LN2_HI), t);
        let r = _mm256_fnmadd_pd(k16, _mm256_set1_pd(LN2_LO), r);
        let k = _mm256_sub_epi64(_mm256_castpd_si256(shifted), _mm256_castpd_si256(magic));
        let index = _mm256_and_si256(k, _mm256_set1_epi64x(15));
        // Indices are in 0..16, inside the table.
        let tab = _mm256_i64gather_pd::<8>(EXP2_SIXTEENTHS.as_ptr(), index);
        let mut p = _mm256_set1_pd(TABLE_POLY[0]);
        for &c in &TABLE_POLY[1..] {
            p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(c));
        }
        let v = _mm256_fmadd_pd(tab, _mm256_mul_pd(r, p), tab);
        // AVX2 has no 64-bit arithmetic shift: k >> 4 = ((k + 2^15) >>> 4) - 2^11
        // for k >= -2^15 (here k >= -16158).
        let biased = _mm256_srli_epi64::<4>(_mm256_add_epi64(k, _mm256_set1_epi64x(1 << 15)));
        let e = _mm256_slli_epi64::<52>(_mm256_sub_epi64(biased, _mm256_set1_epi64x(1 << 11)));
        _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(v), e))
    }
}

/// AVX-512 versions; callers check `is_x86_feature_detected!` for `avx512f`
/// and `fma`.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use super::*;
    use std::arch::x86_64::*;

    /// [`exp_table::<Fused, CLAMP>`](super::exp_table) of eight lanes, the same bits.
    ///
    /// # Safety
    /// The CPU must support AVX-512F and FMA.
    #[inline]
    #[target_feature(enable = "avx512f,fma")]
    pub(crate) unsafe fn exp_table8<const CLAMP: bool>(t: __m512d) -> __m512d {
        let t = if CLAMP {
            _mm512_max_pd(t, _mm512_set1_pd(LOWEST))
        } else {
            t
        };
        let magic = _mm512_set1_pd(MAGIC16);
        let shifted = _mm512_fmadd_pd(t, _mm512_set1_pd(LOG2E), magic);
        let k16 = _mm512_sub_pd(shifted, magic);
        let r = _mm512_fnmadd_pd(k16, _mm512_set1_pd(LN2_HI), t);
        let r = _mm512_fnmadd_pd(k16, _mm512_set1_pd(LN2_LO), r);
        let bits = _mm512_castpd_si512(shifted);
        // The permute reads the low four bits of each lane: k mod 16.
        let lo_half = _mm512_loadu_pd(EXP2_SIXTEENTHS.as_ptr());
        let hi_half = _mm512_loadu_pd(EXP2_SIXTEENTHS[8..].as_ptr());
        let tab = _mm512_permutex2var_pd(lo_half, bits, hi_half);
        let mut p = _mm512_set1_pd(TABLE_POLY[0]);
        for &c in &TABLE_POLY[1..] {
            p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(c));
        }
        let v = _mm512_fmadd_pd(tab, _mm512_mul_pd(r, p), tab);
        // v 2^floor(k / 16): exact, as in `exp_table`.
        _mm512_scalef_pd(v, k16)
    }
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
        for (name, f) in [
            ("fused", exp_table::<Fused, true> as fn(f64) -> f64),
            ("separate", exp_table::<Separate, true>),
        ] {
            let mut worst = 0.0f64;
            for t in args() {
                let want = t.max(LOWEST).exp();
                worst = worst.max(((f(t) - want) / want).abs());
            }
            assert!(worst < 3e-16, "{name}: worst relative error {worst:e}");
            assert_eq!(f(-1e6), f(-700.0));
            assert_eq!(f(0.0), 1.0);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn table_exp_vectors_match_scalar_bits() {
        use std::arch::is_x86_feature_detected as has;
        use std::arch::x86_64::*;
        if !has!("fma") {
            return;
        }
        for c in args().chunks_exact(8) {
            let want: Vec<u64> = c
                .iter()
                .map(|&t| exp_table::<Fused, true>(t).to_bits())
                .collect();
            if has!("avx2") {
                let mut got = [0.0f64; 8];
                // SAFETY: AVX2 and FMA checked above; loads and stores of four f64 within the arrays.
                unsafe {
                    _mm256_storeu_pd(
                        got.as_mut_ptr(),
                        exp_table4_wrapper(_mm256_loadu_pd(c.as_ptr())),
                    );
                    _mm256_storeu_pd(
                        got[4..].as_mut_ptr(),
                        exp_table4_wrapper(_mm256_loadu_pd(c[4..].as_ptr())),
                    );
                }
                assert_eq!(
                    got.map(f64::to_bits).as_slice(),
                    want.as_slice(),
                    "avx2 {c:?}"
                );
            }
            if has!("avx512f") {
                let mut got = [0.0f64; 8];
                // SAFETY: AVX-512F and FMA checked above; load and store of eight f64 within the arrays.
                unsafe { exp_table8_wrapper(c, &mut got) };
                assert_eq!(
                    got.map(f64::to_bits).as_slice(),
                    want.as_slice(),
                    "avx512 {c:?}"
                );
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn exp_table4_wrapper(t: std::arch::x86_64::__m256d) -> std::arch::x86_64::__m256d {
        avx2::exp_table4::<true>(t)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,fma")]
    unsafe fn exp_table8_wrapper(t: &[f64], out: &mut [f64; 8]) {
        use std::arch::x86_64::*;
        _mm512_storeu_pd(
            out.as_mut_ptr(),
            avx512::exp_table8::<true>(_mm512_loadu_pd(t[..8].as_ptr())),
        );
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_exp_matches_scalar_bits() {
        use std::arch::x86_64::*;
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        for c in args().chunks_exact(4) {
            let mut got = [0.0f64; 4];
            // SAFETY: AVX2 checked above; loads and stores of four f64 within the arrays.
            unsafe {
                let v = exp4_wrapper(_mm256_loadu_pd(c.as_ptr()));
                _mm256_storeu_pd(got.as_mut_ptr(), v);
            }
            for l in 0..4 {
                assert_eq!(got[l].to_bits(), exp1(c[l]).to_bits(), "t = {}", c[l]);
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn exp4_wrapper(t: std::arch::x86_64::__m256d) -> std::arch::x86_64::__m256d {
        avx2::exp4(t)
    }
}
