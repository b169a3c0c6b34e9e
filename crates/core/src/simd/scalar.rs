//! The portable path: eight-lane groups as arrays, `f64::mul_add` for every
//! fused multiply-add. No `unsafe`.

use super::{Isa, Simd};
use crate::fastmath::exp_table;

/// The token of the portable path ([`Isa::Scalar`]), valid on every CPU.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scalar;

const W: usize = 8;

impl Simd for Scalar {
    const ISA: Isa = Isa::Scalar;
    type F64x8 = [f64; W];
    type Mask8 = u32;
    #[inline(always)]
    fn splat(self, v: f64) -> [f64; W] {
        [v; W]
    }
    #[inline(always)]
    fn load(self, s: &[f64]) -> [f64; W] {
        let mut g = [0.0; W];
        g.copy_from_slice(&s[..W]);
        g
    }
    #[inline(always)]
    fn store(self, s: &mut [f64], v: [f64; W]) {
        s[..W].copy_from_slice(&v);
    }
    #[inline(always)]
    fn mask(self, lo: usize, hi: usize) -> u32 {
        ((1u32 << hi) - 1) & !((1u32 << lo) - 1)
    }
    #[inline(always)]
    fn within(self, k: u32, d: [f64; W], cut: [f64; W]) -> u32 {
        let mut on = 0;
        for l in 0..W {
            on |= u32::from(d[l] <= cut[l]) << l;
        }
        k & on
    }
    #[inline(always)]
    fn and(self, a: u32, b: u32) -> u32 {
        a & b
    }
    #[inline(always)]
    fn top(self, k: u32) -> bool {
        k & (1 << (W - 1)) != 0
    }
    #[inline(always)]
    fn sub(self, a: [f64; W], b: [f64; W]) -> [f64; W] {
        let mut r = [0.0; W];
        for l in 0..W {
            r[l] = a[l] - b[l];
        }
        r
    }
    #[inline(always)]
    fn weight<const CLAMP: bool>(self, d: [f64; W], scale: [f64; W]) -> [f64; W] {
        let mut w = [0.0; W];
        for l in 0..W {
            w[l] = exp_table::<CLAMP>(d[l] * d[l] * scale[l]);
        }
        w
    }
    #[inline(always)]
    fn fma_on(self, k: u32, a: [f64; W], b: [f64; W], c: [f64; W]) -> [f64; W] {
        let mut r = c;
        for l in 0..W {
            if k & (1 << l) != 0 {
                r[l] = a[l].mul_add(b[l], c[l]);
            }
        }
        r
    }
    #[inline(always)]
    fn add_on(self, k: u32, a: [f64; W], b: [f64; W]) -> [f64; W] {
        let mut r = a;
        for l in 0..W {
            if k & (1 << l) != 0 {
                r[l] = a[l] + b[l];
            }
        }
        r
    }
    #[inline(always)]
    fn sum(self, v: [f64; W]) -> f64 {
        ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]))
    }
    #[inline(always)]
    fn exp_table_in_place(self, t: &mut [f64]) {
        for v in t.iter_mut() {
            *v = exp_table::<true>(v.min(700.0));
        }
    }
}
