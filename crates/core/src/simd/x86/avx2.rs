//! The AVX2 path: four f64 lanes, FMA.

use std::arch::x86_64::*;

use super::FIRST_LANES;
use crate::fastmath::{
    exp_table, EXP2_SIXTEENTHS, LN2_HI, LN2_LO, LOG2E, LOWEST, MAGIC16, TABLE_POLY,
};
use crate::simd::{Isa, Simd};

/// The token of [`Isa::Avx2`]: proof that the CPU has AVX2 and FMA.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2(());

impl Avx2 {
    /// The token, if the CPU has AVX2 and FMA.
    #[inline(always)]
    pub(crate) fn new() -> Option<Avx2> {
        Isa::Avx2.is_available().then_some(Avx2(()))
    }
}

/// Eight lanes as two vectors: lanes 0..4 and 4..8.
type V = (__m256d, __m256d);

impl Simd for Avx2 {
    const ISA: Isa = Isa::Avx2;
    type F64x8 = V;
    type Mask8 = V;
    #[inline(always)]
    fn splat(self, v: f64) -> V {
        // SAFETY: `self` proves AVX2 (as for every intrinsic below).
        let s = unsafe { _mm256_set1_pd(v) };
        (s, s)
    }
    #[inline(always)]
    fn load(self, s: &[f64]) -> V {
        let g = &s[..8];
        // SAFETY: AVX2 (`self`); reads the eight f64 of `g`.
        unsafe {
            (
                _mm256_loadu_pd(g.as_ptr()),
                _mm256_loadu_pd(g[4..].as_ptr()),
            )
        }
    }
    #[inline(always)]
    fn store(self, s: &mut [f64], v: V) {
        let g = &mut s[..8];
        // SAFETY: AVX2 (`self`); writes the eight f64 of `g`.
        unsafe {
            _mm256_storeu_pd(g.as_mut_ptr(), v.0);
            _mm256_storeu_pd(g[4..].as_mut_ptr(), v.1);
        }
    }
    #[inline(always)]
    fn mask(self, lo: usize, hi: usize) -> V {
        let (on, off) = (&FIRST_LANES[hi], &FIRST_LANES[lo]);
        // SAFETY: AVX2 (`self`); reads the eight i64 of each table row.
        unsafe {
            let m0 = _mm256_andnot_si256(
                _mm256_loadu_si256(off.as_ptr().cast()),
                _mm256_loadu_si256(on.as_ptr().cast()),
            );
            let m1 = _mm256_andnot_si256(
                _mm256_loadu_si256(off[4..].as_ptr().cast()),
                _mm256_loadu_si256(on[4..].as_ptr().cast()),
            );
            (_mm256_castsi256_pd(m0), _mm256_castsi256_pd(m1))
        }
    }
    #[inline(always)]
    fn within(self, k: V, d: V, cut: V) -> V {
        // SAFETY: AVX2 (`self`).
        unsafe {
            (
                _mm256_and_pd(k.0, _mm256_cmp_pd::<_CMP_LE_OQ>(d.0, cut.0)),
                _mm256_and_pd(k.1, _mm256_cmp_pd::<_CMP_LE_OQ>(d.1, cut.1)),
            )
        }
    }
    #[inline(always)]
    fn and(self, a: V, b: V) -> V {
        // SAFETY: AVX2 (`self`).
        unsafe { (_mm256_and_pd(a.0, b.0), _mm256_and_pd(a.1, b.1)) }
    }
    #[inline(always)]
    fn top(self, k: V) -> bool {
        // SAFETY: AVX2 (`self`).
        unsafe { _mm256_movemask_pd(k.1) & 0b1000 != 0 }
    }
    #[inline(always)]
    fn sub(self, a: V, b: V) -> V {
        // SAFETY: AVX2 (`self`).
        unsafe { (_mm256_sub_pd(a.0, b.0), _mm256_sub_pd(a.1, b.1)) }
    }
    #[inline(always)]
    fn weight<const CLAMP: bool>(self, d: V, scale: V) -> V {
        // SAFETY: AVX2 and FMA (`self`), all `exp_table4` needs.
        unsafe {
            (
                exp_table4::<CLAMP>(_mm256_mul_pd(_mm256_mul_pd(d.0, d.0), scale.0)),
                exp_table4::<CLAMP>(_mm256_mul_pd(_mm256_mul_pd(d.1, d.1), scale.1)),
            )
        }
    }
    #[inline(always)]
    fn fma_on(self, k: V, a: V, b: V, c: V) -> V {
        // SAFETY: AVX2 and FMA (`self`).
        unsafe {
            (
                _mm256_blendv_pd(c.0, _mm256_fmadd_pd(a.0, b.0, c.0), k.0),
                _mm256_blendv_pd(c.1, _mm256_fmadd_pd(a.1, b.1, c.1), k.1),
            )
        }
    }
    #[inline(always)]
    fn add_on(self, k: V, a: V, b: V) -> V {
        // SAFETY: AVX2 (`self`).
        unsafe {
            (
                _mm256_blendv_pd(a.0, _mm256_add_pd(a.0, b.0), k.0),
                _mm256_blendv_pd(a.1, _mm256_add_pd(a.1, b.1), k.1),
            )
        }
    }
    #[inline(always)]
    fn sum(self, v: V) -> f64 {
        // SAFETY: AVX2 (`self`).
        unsafe {
            let s4 = _mm256_add_pd(v.0, v.1);
            let s2 = _mm_add_pd(_mm256_castpd256_pd128(s4), _mm256_extractf128_pd::<1>(s4));
            _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)))
        }
    }
    #[inline(always)]
    fn exp_table_in_place(self, t: &mut [f64]) {
        // SAFETY: AVX2 and FMA (`self`), the features of `exp_table_slice`.
        unsafe { exp_table_slice(t) }
    }
}

/// `exp_table::<true>` of four lanes, the same bits.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_table4<const CLAMP: bool>(t: __m256d) -> __m256d {
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
    // SAFETY: the indices are in 0..16, inside the table.
    let tab = unsafe { _mm256_i64gather_pd::<8>(EXP2_SIXTEENTHS.as_ptr(), index) };
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

/// `t[k] = exp_table::<true>(min(t[k], 700))`, four lanes at a time.
#[target_feature(enable = "avx2,fma")]
fn exp_table_slice(t: &mut [f64]) {
    let mut chunks = t.chunks_exact_mut(4);
    for c in &mut chunks {
        // SAFETY: reads and writes the four f64 of `c`.
        unsafe {
            let x = _mm256_min_pd(_mm256_loadu_pd(c.as_ptr()), _mm256_set1_pd(700.0));
            _mm256_storeu_pd(c.as_mut_ptr(), exp_table4::<true>(x));
        }
    }
    for v in chunks.into_remainder() {
        *v = exp_table::<true>(v.min(700.0));
    }
}
