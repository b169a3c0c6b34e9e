//! The x86-64 paths: the tokens [`Avx2`] and [`Avx512`], made only after the
//! CPU check of [`Isa::best`](super::Isa::best), and their intrinsics.
//!
//! Token methods are `#[inline(always)]` and carry no `target_feature`
//! themselves: they are inlined into the kernels that [`dispatch!`] compiles
//! with the path's features, where the intrinsics become single
//! instructions. Each `unsafe` block below calls intrinsics (or
//! `#[target_feature]` functions) whose features the token proves.
//!
//! [`dispatch!`]: super::dispatch

mod avx2;
mod avx2_blur;
mod avx2_density;
mod avx2_wave;
mod avx512;

pub(crate) use avx2::Avx2;
pub(crate) use avx2_blur::blur_bands_scratch;
pub(crate) use avx512::{Avx512, Bins};

/// Lane masks: the first n lanes on, n = 0..=8 (the AVX2 `mask`).
static FIRST_LANES: [[i64; 8]; 9] = {
    let mut t = [[0i64; 8]; 9];
    let mut n = 0;
    while n <= 8 {
        let mut l = 0;
        while l < n {
            t[n][l] = -1;
            l += 1;
        }
        n += 1;
    }
    t
};
