//! The leapfrog's fused line sweep (`wave::kernel`) on four lanes in AVX2
//! registers.
//!
//! The generic code of the sweep is right on this path too, but the
//! compiler vectorises it along the line (each vector four consecutive
//! cells, with lane shuffles for the neighbours and transposes for the
//! loads) instead of across the four lanes; here each `[f64; 4]` cell is
//! one `__m256d`, and the values carried between cells stay in registers.

use std::arch::x86_64::*;

use super::Avx2;

impl Avx2 {
    /// `D` line steps of the four lines held lane by lane in `p` and `u`
    /// (cell i of line l is `p[i][l]`), in one sweep: the same operations
    /// per cell as `wave::kernel::fused_sweep`, the same bits.
    #[inline(always)]
    pub(crate) fn leapfrog_sweep<const D: usize>(
        self,
        p: &mut [[f64; 4]],
        u: &mut [[f64; 4]],
        c: f64,
    ) {
        // SAFETY: `self` proves AVX2 and FMA, the features of `sweep`.
        unsafe { sweep::<D>(p, u, c) }
    }
}

/// See [`Avx2::leapfrog_sweep`] and `wave::kernel::fused_sweep`: level s + 1
/// of the sweep steps the cell one left of level s, from values carried in
/// `uc` and `pc`; the cell that leaves the last level is stored D cells
/// behind the one loaded.
#[target_feature(enable = "avx2,fma")]
fn sweep<const D: usize>(p: &mut [[f64; 4]], u: &mut [[f64; 4]], c: f64) {
    let len = p.len().min(u.len());
    let cv = _mm256_set1_pd(c);
    let z = _mm256_setzero_pd();
    let mut uc = [z; D];
    let mut pc = [z; D];
    for i in 0..len {
        // SAFETY: AVX2 (the function's features); reads the four f64 of p[i] and u[i].
        let (mut ap, mut au) = unsafe {
            (
                _mm256_loadu_pd(p[i].as_ptr()),
                _mm256_loadu_pd(u[i].as_ptr()),
            )
        };
        for s in 0..D {
            // c.mul_add(a - b, x), lane by lane.
            let np = _mm256_fmadd_pd(cv, _mm256_sub_pd(uc[s], au), ap);
            let nu = _mm256_fmadd_pd(cv, _mm256_sub_pd(pc[s], np), uc[s]);
            uc[s] = au;
            ap = pc[s];
            pc[s] = np;
            au = nu;
        }
        if i >= D {
            // SAFETY: AVX2; writes the four f64 of p[i - D] and u[i - D].
            unsafe {
                _mm256_storeu_pd(p[i - D].as_mut_ptr(), ap);
                _mm256_storeu_pd(u[i - D].as_mut_ptr(), au);
            }
        }
    }
}
