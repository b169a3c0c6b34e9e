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
use crate::simd::{self, Isa, Simd};
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
    run_on(simd::isa(), ext, kernel, out);
}

simd::dispatch!(fn run_on(ext: &[f64], kernel: &Kernel, out: &mut [f64]) => run_widest);

/// [`run`] with blocks of four vectors of the path (16 lanes on the scalar
/// path); the block does not change the bits.
#[inline(always)]
fn run_widest<S: Simd>(_: S, ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    match S::ISA {
        Isa::Avx512 => run::<64>(ext, kernel, out),
        Isa::Avx2 => run::<32>(ext, kernel, out),
        Isa::Scalar => run::<16>(ext, kernel, out),
    }
}

/// The sums in blocks of `BLOCK` outputs (held in registers).
#[inline(always)]
fn run<const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    if kernel.is_symmetric() {
        symmetric::<BLOCK>(ext, kernel, out);
    } else {
        general::<BLOCK>(ext, kernel, out);
    }
}

/// `out[i] = w0 * ext[c] + sum_{k=1..r} w_k * (ext[c - k] + ext[c + k])`, `c = i + r`.
#[inline(always)]
fn symmetric<const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
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
                acc[l] = f64::mul_add(wk, lo[l] + hi[l], acc[l]);
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let c = idx + r;
        let mut acc = w[0] * ext[c];
        for k in 1..=r {
            acc = f64::mul_add(w[k], ext[c - k] + ext[c + k], acc);
        }
        *o = acc;
    }
}

/// `out[i] = sum_j w_j * ext[i + j]` for any window.
#[inline(always)]
fn general<const BLOCK: usize>(ext: &[f64], kernel: &Kernel, out: &mut [f64]) {
    let w = &kernel.weights;
    let n = out.len();
    let mut i = 0;
    while i + BLOCK <= n {
        let mut acc = [0.0f64; BLOCK];
        for (j, &wj) in w.iter().enumerate() {
            let x = &ext[i + j..i + j + BLOCK];
            for l in 0..BLOCK {
                acc[l] = f64::mul_add(wj, x[l], acc[l]);
            }
        }
        out[i..i + BLOCK].copy_from_slice(&acc);
        i += BLOCK;
    }
    for (o, idx) in out[i..].iter_mut().zip(i..) {
        let mut acc = 0.0;
        for (j, &wj) in w.iter().enumerate() {
            acc = f64::mul_add(wj, ext[idx + j], acc);
        }
        *o = acc;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path gives the bits of the scalar path, whatever the block
    /// (vector width).
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
            let want = crate::simd::assert_same_bits_on_every_path("direct", |isa| {
                run(&|o| run_on(isa, &y, &kernel, o))
            });
            for block in [
                run(&|o| super::run::<16>(&y, &kernel, o)),
                run(&|o| super::run::<64>(&y, &kernel, o)),
            ] {
                assert_eq!(block, want);
            }
        }
    }
}
