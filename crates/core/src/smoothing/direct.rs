//! The direct sum: every output is the dot product of the kernel with its window.
//!
//! Cost: `len(kernel)` multiply-adds per output (half that many multiplies for a
//! symmetric kernel). Outputs are computed in blocks of [`BLOCK`] so the inner
//! loop runs over contiguous memory and vectorises; the operation order for one
//! output does not depend on the block, the thread or the instruction set, so
//! results are identical on every machine.

use super::kernel::Kernel;
use crate::parallel;

/// Outputs per inner block (held in registers).
const BLOCK: usize = 16;

/// Valid correlation: `out[i] = sum_j weights[j] * ext[i + j]`, for
/// `ext.len() == out.len() + kernel.len() - 1`.
pub(crate) fn correlate_valid(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    debug_assert_eq!(ext.len() + 1, out.len() + kernel.len());
    let work = out.len().saturating_mul(kernel.len());
    let chunk = if work < 1 << 18 { out.len().max(1) } else { 1 << 14 };
    parallel::for_each_chunk(out, chunk, |start, part| {
        let ext_part = &ext[start..start + part.len() + kernel.len() - 1];
        dispatch(ext_part, kernel, part);
    });
}

fn dispatch(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { run_avx2(ext, kernel, out) };
            return;
        }
    }
    run(ext, kernel, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_avx2(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    run(ext, kernel, out);
}

#[inline(always)]
fn run(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    if kernel.is_symmetric() {
        symmetric(ext, kernel, out);
    } else {
        general(ext, kernel, out);
    }
}

/// out[i] = w0 * ext[c] + sum_{k=1..r} w_k * (ext[c - k] + ext[c + k]), c = i + r.
#[inline(always)]
fn symmetric(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
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
                acc[l] += wk * (lo[l] + hi[l]);
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let c = idx + r;
        let mut acc = w[0] * ext[c];
        for k in 1..=r {
            acc += w[k] * (ext[c - k] + ext[c + k]);
        }
        *o = acc;
    }
}

/// out[i] = sum_j w_j * ext[i + j] for any window.
#[inline(always)]
fn general(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    let w = &kernel.weights;
    let n = out.len();
    let mut i = 0;
    while i + BLOCK <= n {
        let mut acc = [0.0f64; BLOCK];
        for (j, &wj) in w.iter().enumerate() {
            let x = &ext[i + j..i + j + BLOCK];
            for l in 0..BLOCK {
                acc[l] += wj * x[l];
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let mut acc = 0.0;
        for (j, &wj) in w.iter().enumerate() {
            acc += wj * ext[idx + j];
        }
        *o = acc;
    }
}
