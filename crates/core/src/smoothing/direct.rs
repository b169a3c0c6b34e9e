//! The direct sum: every output is the dot product of the kernel with its window.
//!
//! Cost: `len(kernel)` multiply-adds per output (half that many multiplies for a
//! symmetric kernel). Outputs are computed in blocks (64 with AVX-512, 32 with
//! AVX2, 16 otherwise: as many as the vector registers hold) so the inner loop
//! runs over contiguous memory and vectorises; the operation order for one
//! output does not depend on the block, the thread or the vector width.
//!
//! On x86-64 CPUs with FMA (and AVX2 or AVX-512) and on aarch64, each step is
//! one fused multiply-add, `acc = fma(w_k, lo + hi, acc)`; elsewhere it is a
//! multiply and an add, which rounds once more. The two differ in the last
//! bits (about 1e-16 of max|y|); on a given machine the result is always the
//! same, and AVX2 and AVX-512 give the same bits.

use super::kernel::Kernel;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::fastmath::Fused;
use crate::fastmath::{MulAdd, Separate};
use crate::threads;

/// Valid correlation: `out[i] = sum_j weights[j] * ext[i + j]`, for
/// `ext.len() == out.len() + kernel.len() - 1`.
pub(crate) fn correlate_valid(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    debug_assert_eq!(ext.len() + 1, out.len() + kernel.len());
    let work = out.len().saturating_mul(kernel.len());
    let chunk = if work < 1 << 18 {
        out.len().max(1)
    } else {
        1 << 14
    };
    threads::for_each_chunk(out, chunk, |start, part| {
        let ext_part = &ext[start..start + part.len() + kernel.len() - 1];
        dispatch(ext_part, kernel, part);
    });
}

fn dispatch(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX-512F and FMA, checked just above.
            unsafe { run_avx512(ext, kernel, out) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            unsafe { run_avx2(ext, kernel, out) };
            return;
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        // Every aarch64 CPU has FMA.
        run::<Fused, 16>(ext, kernel, out);
        return;
    }
    #[allow(unreachable_code)]
    run::<Separate, 16>(ext, kernel, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn run_avx512(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    run::<Fused, 64>(ext, kernel, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    run::<Fused, 32>(ext, kernel, out);
}

/// The sums in blocks of `BLOCK` outputs (held in registers).
#[inline(always)]
fn run<M: MulAdd, const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    if kernel.is_symmetric() {
        symmetric::<M, BLOCK>(ext, kernel, out);
    } else {
        general::<M, BLOCK>(ext, kernel, out);
    }
}

/// `out[i] = w0 * ext[c] + sum_{k=1..r} w_k * (ext[c - k] + ext[c + k])`, `c = i + r`.
#[inline(always)]
fn symmetric<M: MulAdd, const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    let r = kernel.left;
    let w = &kernel.weights[r..];
    let n = out.len();
    let mut i = 0;
    while i + BLOCK <= n {
        let mut acc = [0.0f64; BLOCK];
        let centre = &ext[i + r..i + r + BLOCK];
        for l in 0..BLOCK {
            acc[l] = w[0] * centre[l];
        }
        for k in 1..=r {
            let lo = &ext[i + r - k..i + r - k + BLOCK];
            let hi = &ext[i + r + k..i + r + k + BLOCK];
            let wk = w[k];
            for l in 0..BLOCK {
                acc[l] = M::mul_add(wk, lo[l] + hi[l], acc[l]);
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let c = idx + r;
        let mut acc = w[0] * ext[c];
        for k in 1..=r {
            acc = M::mul_add(w[k], ext[c - k] + ext[c + k], acc);
        }
        *o = acc;
    }
}

/// `out[i] = sum_j w_j * ext[i + j]` for any window.
#[inline(always)]
fn general<M: MulAdd, const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    let w = &kernel.weights;
    let n = out.len();
    let mut i = 0;
    while i + BLOCK <= n {
        let mut acc = [0.0f64; BLOCK];
        for (j, &wj) in w.iter().enumerate() {
            let x = &ext[i + j..i + j + BLOCK];
            for l in 0..BLOCK {
                acc[l] = M::mul_add(wj, x[l], acc[l]);
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let mut acc = 0.0;
        for (j, &wj) in w.iter().enumerate() {
            acc = M::mul_add(wj, ext[idx + j], acc);
        }
        *o = acc;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The FMA variants give the same bits whatever the block (vector width);
    /// the portable sum without FMA stays within rounding of them.
    #[test]
    fn instruction_sets_agree() {
        let y = crate::signals::uniform(1000, -4.0, 4.0, 3).unwrap_or_default();
        for kernel in [
            Kernel::symmetric(3.0, 12),
            Kernel::window(2.5, 7, 11),
            Kernel::symmetric(10.0, 40),
        ] {
            let Ok(kernel) = kernel else { panic!("kernel") };
            let n = y.len() + 1 - kernel.len();
            let run = |f: &dyn Fn(&mut [f64])| {
                let mut out = vec![0.0; n];
                f(&mut out);
                out
            };
            let want = run(&|o| super::run::<Fused, 16>(&y, &kernel, o));
            let separate = run(&|o| super::run::<Separate, 16>(&y, &kernel, o));
            assert!(want
                .iter()
                .zip(&separate)
                .all(|(a, b)| (a - b).abs() <= 1e-14));
            #[cfg(target_arch = "x86_64")]
            {
                use std::arch::is_x86_feature_detected as has;
                if has!("fma") && has!("avx2") {
                    // SAFETY: AVX2 and FMA checked just above.
                    let got = run(&|o| unsafe { run_avx2(&y, &kernel, o) });
                    assert_eq!(got, want);
                }
                if has!("fma") && has!("avx512f") {
                    // SAFETY: AVX-512F and FMA checked just above.
                    let got = run(&|o| unsafe { run_avx512(&y, &kernel, o) });
                    assert_eq!(got, want);
                }
            }
        }
    }
}
