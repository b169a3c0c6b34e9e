//! Overlap-save convolution with real FFTs (realfft on RustFFT).
//!
//! The signal is cut into segments of `fft_len` samples that overlap by
//! `len(kernel) - 1`; each segment is transformed, multiplied by the kernel's
//! spectrum and transformed back, and the samples untouched by wrap-around are
//! kept. `fft_len` is the power of two at least four times the kernel, so the
//! cost per output is O(log len(kernel)), nearly flat in sigma; the error is
//! FFT rounding, about 1e-16 x log2(fft_len) of max|y|.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

use super::kernel::Kernel;
use crate::threads;

/// A planned overlap-save filter for one kernel.
#[derive(Clone)]
pub(crate) struct OverlapSave {
    taps: usize,
    fft_len: usize,
    spectrum: Vec<Complex<f64>>,
    forward: Arc<dyn RealToComplex<f64>>,
    inverse: Arc<dyn ComplexToReal<f64>>,
}

impl std::fmt::Debug for OverlapSave {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OverlapSave")
            .field("taps", &self.taps)
            .field("fft_len", &self.fft_len)
            .finish()
    }
}

impl OverlapSave {
    pub(crate) fn new(kernel: &Kernel) -> Self {
        let taps = kernel.len();
        // Measured on 1e6 samples: 4x the kernel, at least 1024, is within a few
        // percent of the best block for every kernel from 9 to 8001 taps.
        let fft_len = (4 * taps).next_power_of_two().max(1024);
        let mut planner = RealFftPlanner::<f64>::new();
        let forward = planner.plan_fft_forward(fft_len);
        let inverse = planner.plan_fft_inverse(fft_len);
        // Correlation = convolution with the reversed kernel; 1/fft_len folded in.
        let mut h = forward.make_input_vec();
        for (j, &w) in kernel.weights.iter().rev().enumerate() {
            h[j] = w / fft_len as f64;
        }
        let mut spectrum = forward.make_output_vec();
        let mut scratch = forward.make_scratch_vec();
        // Buffers come from the plan itself, so their lengths are right.
        let _ = forward.process_with_scratch(&mut h, &mut spectrum, &mut scratch);
        OverlapSave {
            taps,
            fft_len,
            spectrum,
            forward,
            inverse,
        }
    }

    /// Outputs per block: block `b` of a valid correlation gives outputs
    /// `b * step..(b + 1) * step` from `ext[b * step..b * step + fft_len]`
    /// (zero-padded past the end of `ext`), whatever else `ext` holds.
    pub(crate) fn step(&self) -> usize {
        self.fft_len - self.taps + 1
    }

    /// The samples one block transforms.
    pub(crate) fn fft_len(&self) -> usize {
        self.fft_len
    }

    /// Valid correlation: `ext.len() == out.len() + taps - 1`.
    pub(crate) fn correlate_valid(&self, ext: &[f64], out: &mut [f64]) {
        let step = self.step();
        // About 64K samples of transforms per chunk (at most 16 blocks): enough
        // to pay for a thread and its scratch, small enough that long kernels
        // (32K-point blocks) still give the threads several chunks to share.
        // Blocks start at multiples of `step` whatever the chunk, so the
        // chunking never changes the result.
        let chunk = step * (65_536 / self.fft_len).clamp(1, 16);
        threads::for_each_chunk(out, chunk, |start, part| {
            let mut input = self.forward.make_input_vec();
            let mut spec = self.forward.make_output_vec();
            let mut scratch_f = self.forward.make_scratch_vec();
            let mut scratch_i = self.inverse.make_scratch_vec();
            for (b, dst) in part.chunks_mut(step).enumerate() {
                let s = start + b * step;
                let avail = (ext.len() - s).min(self.fft_len);
                input[..avail].copy_from_slice(&ext[s..s + avail]);
                input[avail..].fill(0.0);
                let _ = self
                    .forward
                    .process_with_scratch(&mut input, &mut spec, &mut scratch_f);
                for (x, h) in spec.iter_mut().zip(&self.spectrum) {
                    *x *= h;
                }
                // Real input: the DC and Nyquist bins are real; clear rounding residue.
                spec[0].im = 0.0;
                if let Some(last) = spec.last_mut() {
                    last.im = 0.0;
                }
                let _ = self
                    .inverse
                    .process_with_scratch(&mut spec, &mut input, &mut scratch_i);
                dst.copy_from_slice(&input[self.taps - 1..self.taps - 1 + dst.len()]);
            }
        });
    }
}
