//! Transform lengths, and the FFT route of the delay estimator: both spectra
//! at once on two threads, their (weighted) product, and an inverse
//! transform split in two halves that also run on two threads. The plain
//! correlation of [`super::correlate`] takes the leaner route of
//! [`super::packed`], which never needs the two spectra apart.
//!
//! A linear correlation of n and m samples has n + m - 1 values. Zero-padded
//! to a length `len >= n + m - 1`, the circular correlation of the padded
//! signals equals the linear one (nothing wraps onto anything), so three real
//! transforms of `len` samples give every lag at once. `len` is the smallest
//! multiple of 4 of the form 2^a 3^b 5^c: RustFFT is fastest on such lengths,
//! and the factor 4 lets the inverse split into two half-length transforms.

use rustfft::num_complex::Complex64;

use crate::alloc;
use crate::spectrum::transform::{c2r_plan, r2c_plan};
use crate::threads;

/// The smallest multiple of 4 that is `>= n` and has no prime factor above 5.
pub(crate) fn smallest_fast_len(n: usize) -> usize {
    let n = n.max(4);
    let mut best = n.next_power_of_two().max(4);
    let mut p5 = 1usize;
    while p5 < best {
        let mut p35 = p5;
        while p35 < best {
            let mut v = p35 * 4;
            while v < n {
                v *= 2;
            }
            best = best.min(v);
            p35 *= 3;
        }
        p5 *= 5;
    }
    best
}

/// The transform length for `n` samples: a multiple of 4 with no prime factor
/// above 5, at most 6 % above the smallest such length, chosen for speed.
/// RustFFT's radix-5 and radix-3 passes are slower than its radix-2 ones
/// (measured: 2.1 ns per point at 200,000 = 2^6 5^5, 1.7 at 209,952 =
/// 2^5 3^8, 1.6 at 204,800 = 2^13 5^2), so each factor 5 counts as 10 % and
/// each factor 3 as 4 % more work per point. From 2^22 points on the
/// transforms are bound by memory traffic and the length is what counts
/// (a transform of 2^21 5 and one of 2^20 5 took 125 ms, of 2^9 3^9 and
/// 2^8 3^9 117 ms, of 2^7 5^7 and 2^6 5^7 123 ms): 2 % and 0.5 % there.
pub(crate) fn fast_len(n: usize) -> usize {
    let smallest = smallest_fast_len(n);
    let limit = smallest + smallest / 16;
    let (per5, per3) = if smallest >= 1 << 22 {
        (0.02, 0.005)
    } else {
        (0.1, 0.04)
    };
    let cost = |l: usize| {
        let count = |mut r: usize, p: usize| {
            let mut e = 0;
            while r.is_multiple_of(p) {
                r /= p;
                e += 1;
            }
            e as f64
        };
        l as f64 * (1.0 + per5 * count(l, 5) + per3 * count(l, 3))
    };
    let mut best = smallest;
    let mut p5 = 1usize;
    while p5 <= limit {
        let mut p35 = p5;
        while p35 <= limit {
            // Every multiple of 4 · p35 by a power of two in [smallest, limit].
            let mut v = p35 * 4;
            while v < smallest {
                v *= 2;
            }
            if v <= limit && cost(v) < cost(best) {
                best = v;
            }
            p35 *= 3;
        }
        p5 *= 5;
    }
    best
}

/// `x` placed at `offset` in `len` zeros, and its real DFT (`len / 2 + 1`
/// values). The first buffer held the padded input, which the transform
/// overwrites: it comes back as working space. Needs `offset + x.len() <= len`.
pub(crate) fn padded_spectrum(x: &[f64], offset: usize, len: usize) -> (Vec<f64>, Vec<Complex64>) {
    let plan = r2c_plan(len);
    let mut input = alloc::take_f64(len);
    input[..offset].fill(0.0);
    input[offset..offset + x.len()].copy_from_slice(x);
    input[offset + x.len()..].fill(0.0);
    let mut out = alloc::take_complex(len / 2 + 1);
    let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_scratch_len()];
    // The buffers are sized from `len`, the plan's length: cannot fail.
    let _ = plan.process_with_scratch(&mut input, &mut out, &mut scratch);
    (input, out)
}

/// The spectra of `x` at `x_offset` and `y` at `y_offset`, both padded to
/// `len`, computed on two threads, each with its spent input buffer.
pub(crate) fn spectra_pair(
    x: &[f64],
    x_offset: usize,
    y: &[f64],
    y_offset: usize,
    len: usize,
) -> Spectra {
    let ((x_buf, x_spec), (y_buf, y_spec)) = threads::join(
        || padded_spectrum(x, x_offset, len),
        || padded_spectrum(y, y_offset, len),
    );
    Spectra {
        len,
        x: x_spec,
        y: y_spec,
        x_buf,
        y_buf,
    }
}

/// Two padded spectra and the two `len`-sample buffers their transforms
/// left behind (reused by [`Spectra::correlation`], so no fresh memory is
/// touched after the forward transforms).
pub(crate) struct Spectra {
    pub(crate) len: usize,
    pub(crate) x: Vec<Complex64>,
    pub(crate) y: Vec<Complex64>,
    x_buf: Vec<f64>,
    y_buf: Vec<f64>,
}

/// Chunk length of the elementwise passes: large enough to pay for a thread.
const PASS_CHUNK: usize = 1 << 16;
/// Chunk length of the parity split, whose complex arithmetic costs more per
/// element (a 52,488-element split took 160 us on one thread).
const SPLIT_CHUNK: usize = 1 << 13;

impl Spectra {
    /// The circular correlation `c[j] = scale · Σ_k X_k conj(Y_k) e^{2πijk/len}`
    /// (= `scale · len · Σ_n x[n + j] y[n]`, indices mod len), samples
    /// `0..keep`. Consumes the spectra.
    ///
    /// The inverse is split by parity of j: with H = len/2,
    /// `c_{2j} = IDFT_H(S_k + conj(S_{H-k}))` and
    /// `c_{2j+1} = IDFT_H((S_k - conj(S_{H-k})) w^k)`, `w = e^{2πi/len}`,
    /// using `S_{k+H} = conj(S_{H-k})` for a real sequence; the product
    /// S = X conj(Y) is formed on the fly. The two half-length inverses run on
    /// two threads; which thread runs which never changes the result.
    pub(crate) fn correlation(self, scale: f64, keep: usize) -> Vec<f64> {
        let Spectra {
            len,
            x: mut sx,
            y: mut sy,
            x_buf,
            y_buf: mut halves,
        } = self;
        alloc::give_f64(x_buf);
        debug_assert!(len % 4 == 0 && keep <= len);
        let h = len / 2;
        let mid = h / 2;
        let twiddle = Twiddles::cached(len);
        {
            let (x_lo, x_hi) = sx.split_at_mut(mid);
            let (y_lo, y_hi) = sy.split_at_mut(mid);
            let (xh, yh): (&[Complex64], &[Complex64]) = (x_hi, y_hi);
            // k < H/2 reads S_k (written back at k, never read again) and
            // S_{H-k} with H - k > H/2 (never written): the split is in place,
            // odd half into x, even half into y.
            threads::for_each_chunk_pair(x_lo, y_lo, SPLIT_CHUNK, |start, xs, ys| {
                for (i, (xv, yv)) in xs.iter_mut().zip(ys.iter_mut()).enumerate() {
                    let k = start + i;
                    let sk = *xv * yv.conj() * scale;
                    let j = h - k - mid;
                    let sh = (xh[j] * yh[j].conj() * scale).conj();
                    *yv = sk + sh;
                    *xv = (sk - sh) * twiddle.get(k);
                }
            });
            let sm = x_hi[0] * y_hi[0].conj() * scale;
            y_hi[0] = sm + sm.conj();
            x_hi[0] = (sm - sm.conj()) * twiddle.get(mid);
        }
        let q = mid + 1;
        for v in [&mut sx, &mut sy] {
            v[0].im = 0.0;
            v[q - 1].im = 0.0;
        }
        {
            let (even, odd) = halves.split_at_mut(h);
            threads::join(
                || inverse_half(&mut sy[..q], even),
                || inverse_half(&mut sx[..q], odd),
            );
        }
        alloc::give_complex(sx);
        alloc::give_complex(sy);
        let (even, odd) = halves.split_at(h);
        let out = if keep < 1 << 20 {
            // Short: one pass on this thread, no zero-fill, no thread start-up.
            let mut out = Vec::with_capacity(keep);
            out.extend(even.iter().zip(odd).flat_map(|(&e, &o)| [e, o]).take(keep));
            out
        } else {
            let mut out = alloc::zeroed(keep);
            threads::for_each_chunk(&mut out, PASS_CHUNK, |start, part| {
                // PASS_CHUNK is even, so every chunk starts on an even sample.
                for (i, v) in part.iter_mut().enumerate() {
                    let j = start + i;
                    *v = if j % 2 == 0 { even[j / 2] } else { odd[j / 2] };
                }
            });
            out
        };
        alloc::give_f64(halves);
        out
    }
}

fn inverse_half(spectrum: &mut [Complex64], out: &mut [f64]) {
    let plan = c2r_plan(out.len());
    let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_scratch_len()];
    // Sizes come from the plan's length and the imaginary parts that realfft
    // checks were zeroed by the caller: cannot fail.
    let _ = plan.process_with_scratch(spectrum, out, &mut scratch);
}

/// The most the twiddle-table cache keeps.
const TWIDDLE_CACHE_BYTES: usize = 8 << 20;

/// `e^{2πik/len}` as the product of two exactly computed table entries
/// (k = 64 q + r), so no error accumulates along k.
pub(crate) struct Twiddles {
    pub(crate) fine: [Complex64; 64],
    pub(crate) coarse: Vec<Complex64>,
}

impl Twiddles {
    /// The table of `len`, built once per length (like the FFT plans) and
    /// shared. The cache keeps at most [`TWIDDLE_CACHE_BYTES`] of tables
    /// (about 1/8 byte per point: 1.25 MB for 1e7 points); when a new table
    /// would not fit, the older ones are dropped.
    pub(crate) fn cached(len: usize) -> std::sync::Arc<Twiddles> {
        use std::collections::HashMap;
        use std::sync::{Arc, Mutex, PoisonError};
        static CACHE: Mutex<Option<HashMap<usize, Arc<Twiddles>>>> = Mutex::new(None);
        let bytes = |t: &Twiddles| std::mem::size_of_val(t) + 16 * t.coarse.len();
        if let Some(t) = CACHE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .and_then(|c| c.get(&len))
        {
            return Arc::clone(t);
        }
        let t = Arc::new(Twiddles::new(len));
        if bytes(&t) <= TWIDDLE_CACHE_BYTES {
            let mut guard = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
            let cache = guard.get_or_insert_with(HashMap::new);
            let held: usize = cache.values().map(|t| bytes(t)).sum();
            if held + bytes(&t) > TWIDDLE_CACHE_BYTES {
                cache.clear();
            }
            cache.insert(len, Arc::clone(&t));
        }
        t
    }

    fn new(len: usize) -> Self {
        let angle = |k: usize| {
            let (s, c) = (2.0 * std::f64::consts::PI * (k as f64) / len as f64).sin_cos();
            Complex64::new(c, s)
        };
        let mut fine = [Complex64::new(0.0, 0.0); 64];
        for (r, f) in fine.iter_mut().enumerate() {
            *f = angle(r);
        }
        let coarse = (0..len / 128 + 2).map(|q| angle(64 * q)).collect();
        Twiddles { fine, coarse }
    }

    #[inline]
    fn get(&self, k: usize) -> Complex64 {
        self.coarse[k / 64] * self.fine[k % 64]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_lengths() {
        for n in [1usize, 3, 4, 5, 9, 13, 100, 199_999, 1_999_999, 19_999_999] {
            let l = smallest_fast_len(n);
            assert!(l >= n && l.is_multiple_of(4), "{n} -> {l}");
            let mut r = l;
            for p in [2, 3, 5] {
                while r.is_multiple_of(p) {
                    r /= p;
                }
            }
            assert_eq!(r, 1, "{n} -> {l}");
            // Nothing smaller qualifies.
            for c in (n.max(4)..l).filter(|c| c % 4 == 0) {
                let mut r = c;
                for p in [2, 3, 5] {
                    while r.is_multiple_of(p) {
                        r /= p;
                    }
                }
                assert_ne!(r, 1, "{n}: {c} < {l} also qualifies");
            }
        }
        assert_eq!(smallest_fast_len(199_999), 200_000);
        assert_eq!(smallest_fast_len(19_999_999), 20_000_000);
        // The length used: 5-smooth, a multiple of 4, within 6 %, fewer 5s.
        for n in [1usize, 7, 100, 1000, 199_999, 1_999_999, 19_999_999] {
            let (s, l) = (smallest_fast_len(n), fast_len(n));
            assert!(l >= s && l <= s + s / 16 && l % 4 == 0, "{n}: {l}");
        }
        assert_eq!(fast_len(199_999), 204_800);
        assert_eq!(fast_len(19_999_999), 20_155_392);
    }

    #[test]
    fn split_inverse_is_the_circular_correlation() {
        for len in [4usize, 8, 12, 60, 1000, 4096] {
            let x: Vec<f64> = (0..len).map(|i| ((i * 7919) % 31) as f64 - 15.0).collect();
            let y: Vec<f64> = (0..len)
                .map(|i| ((i * 104_729) % 17) as f64 - 8.0)
                .collect();
            let c = spectra_pair(&x, 0, &y, 0, len).correlation(1.0 / len as f64, len - 1);
            assert_eq!(c.len(), len - 1);
            for (j, v) in c.iter().enumerate() {
                let want: f64 = (0..len).map(|n| x[(n + j) % len] * y[n]).sum();
                assert!(
                    (v - want).abs() < 1e-9 * len as f64,
                    "len {len} j {j}: {v} vs {want}"
                );
            }
        }
    }
}
