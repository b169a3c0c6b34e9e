//! Smoothing a long signal a block at a time, in memory that does not grow
//! with its length: [`UniformStream`].
//!
//! Both methods a whole-signal filter runs by default are local: the direct
//! sum gives each output from its own window only, and the overlap-save FFT
//! cuts the signal into blocks at fixed offsets from its first sample (block
//! `b` transforms samples `b * step..b * step + fft_len`, zero-padded past
//! the end), each block's outputs a function of those samples alone. So a
//! stream that keeps the same windows, or the same blocks, gives the bits of
//! [`UniformPlan::apply`] on the whole signal, however the signal arrives.
//! Only the last `left + right + 1` samples (or one FFT block of them) and,
//! for the edges, the first ones and, for `wrap`, the last `left` given up
//! front, are kept.

use super::kernel::{extend, source_index, EdgeMode};
use super::uniform::UniformPlan;
use super::Method;
use crate::error::{NumlabError, Result};

/// A [`UniformPlan`] applied to a signal of known length `n` that arrives in
/// blocks ([`feed`](Self::feed)), the outputs handed back in order as soon as
/// their window (or FFT block) has arrived, the last ones by
/// [`finish`](Self::finish).
///
/// The outputs equal `plan.apply(y, mode, cval, false)` on the whole signal
/// bit for bit, for every edge mode and any cut into blocks. The plan must
/// run the direct sum or the FFT ([`Method::Direct`], [`Method::Fft`], or
/// `Auto` resolved to either); the sliding and recursive methods carry
/// state along the whole signal. NaN and infinities spread over their
/// windows as in `apply` without `skip_nan`.
///
/// `apply` takes the direct sum for every output of a signal that holds a
/// NaN or an infinity anywhere, whatever the plan: a stream of an FFT plan
/// must be told so up front ([`with_non_finite`](Self::with_non_finite),
/// from a first pass over the data), and refuses a non-finite sample it was
/// not told of.
///
/// `wrap` needs the last samples before the first: give the last
/// `min(n, kernel.left)` samples to [`new`](Self::new) (a first pass over the
/// data); the other modes ignore them.
///
/// ```
/// use numlab_core::smoothing::{EdgeMode, GaussianSmoother, UniformStream};
/// let y: Vec<f64> = (0..1000).map(|i| (i as f64 / 30.0).sin()).collect();
/// let plan = GaussianSmoother::new(3.0)?.plan(1.0)?;
/// let want = plan.apply(&y, EdgeMode::Reflect, 0.0, false)?;
/// let mut s = UniformStream::new(&plan, y.len(), EdgeMode::Reflect, 0.0, &[])?;
/// let mut got = Vec::new();
/// for block in y.chunks(77) {
///     s.feed(block, &mut got)?;
/// }
/// s.finish(&mut got)?;
/// assert_eq!(got, want);
/// // A wide kernel runs the FFT, block for block as on the whole signal.
/// let wide = GaussianSmoother::new(40.0)?.plan(1.0)?;
/// let want = wide.apply(&y, EdgeMode::Wrap, 0.0, false)?;
/// let last = &y[y.len() - wide.kernel().left..];
/// let mut s = UniformStream::new(&wide, y.len(), EdgeMode::Wrap, 0.0, last)?;
/// let mut got = Vec::new();
/// for block in y.chunks(300) {
///     s.feed(block, &mut got)?;
/// }
/// s.finish(&mut got)?;
/// assert_eq!(got, want);
/// # Ok::<(), numlab_core::NumlabError>(())
/// ```
#[derive(Debug)]
pub struct UniformStream<'p> {
    plan: &'p UniformPlan,
    n: usize,
    mode: EdgeMode,
    cval: f64,
    /// The last `kernel.left` samples (wrap only).
    last: Vec<f64>,
    /// The first `left + right + 1` samples (the edges' sources).
    first: Vec<f64>,
    /// Samples `base..received`.
    buf: Vec<f64>,
    base: usize,
    received: usize,
    /// The next output to hand back.
    next: usize,
    /// `cum[j] = w_0 + ... + w_{j-1}` (renormalize).
    cum: Vec<f64>,
    /// Every output by the direct sum (the plan's method, or what `apply`
    /// falls back to).
    direct: bool,
}

impl<'p> UniformStream<'p> {
    /// A stream of `n` samples through `plan` with edge mode `mode` (`cval`
    /// the fill of `constant`); `last` holds the signal's last
    /// `min(n, plan.kernel().left)` samples when `mode` is `wrap`.
    ///
    /// # Errors
    /// `n == 0`; a plan that runs neither the direct sum nor the FFT;
    /// `wrap` without its `last` samples.
    pub fn new(
        plan: &'p UniformPlan,
        n: usize,
        mode: EdgeMode,
        cval: f64,
        last: &[f64],
    ) -> Result<Self> {
        if n == 0 {
            return Err(NumlabError::TooShort {
                name: "y",
                len: 0,
                min: 1,
            });
        }
        if !matches!(plan.method(), Method::Direct | Method::Fft) {
            return Err(NumlabError::Unsupported(format!(
                "a stream runs the direct sum or the FFT; this plan runs method {}",
                plan.method()
            )));
        }
        let k = plan.kernel();
        let need = n.min(k.left);
        if mode == EdgeMode::Wrap && last.len() != need {
            return Err(NumlabError::LengthMismatch {
                a_name: "last",
                a_len: last.len(),
                b_name: "min(n, kernel left)",
                b_len: need,
            });
        }
        let mut cum = Vec::with_capacity(k.weights.len() + 1);
        cum.push(0.0);
        let mut s = 0.0;
        for &v in &k.weights {
            s += v;
            cum.push(s);
        }
        Ok(UniformStream {
            plan,
            n,
            mode,
            cval,
            last: if mode == EdgeMode::Wrap {
                last.to_vec()
            } else {
                Vec::new()
            },
            first: Vec::new(),
            buf: Vec::new(),
            base: 0,
            received: 0,
            next: 0,
            cum,
            direct: plan.method() == Method::Direct || plan.short_direct(n),
        })
    }

    /// Whether the signal holds a NaN or an infinity somewhere: then, as
    /// `apply` does, every output is the direct sum, whatever the plan.
    /// Without it, a stream of an FFT plan refuses a non-finite sample.
    /// Call before the first [`feed`](Self::feed).
    pub fn with_non_finite(mut self, some: bool) -> Self {
        if some {
            self.direct = true;
        }
        self
    }

    /// Takes the next samples of the signal and appends to `out` every
    /// output whose window has now arrived.
    ///
    /// # Errors
    /// More than `n` samples in all.
    pub fn feed(&mut self, block: &[f64], out: &mut Vec<f64>) -> Result<()> {
        if self.received + block.len() > self.n {
            return Err(NumlabError::LengthMismatch {
                a_name: "samples fed",
                a_len: self.received + block.len(),
                b_name: "n",
                b_len: self.n,
            });
        }
        if !self.direct && !crate::fastmath::all_finite(block) {
            return Err(NumlabError::Unsupported(
                "a NaN or infinite sample in a stream not told of it (with_non_finite): the whole-signal filter would have taken the direct sum".into(),
            ));
        }
        let k = self.plan.kernel();
        let taps = k.left + k.right + 1;
        if self.first.len() < taps {
            let take = (taps - self.first.len()).min(block.len());
            self.first.extend_from_slice(&block[..take]);
        }
        self.buf.extend_from_slice(block);
        self.received += block.len();
        if self.n <= taps {
            // Short: the whole signal at the end, as `apply` does it.
            return Ok(());
        }
        self.emit(out);
        Ok(())
    }

    /// The outputs whose windows are in (none past `n - right`).
    fn emit(&mut self, out: &mut Vec<f64>) {
        let (l, r) = (self.plan.kernel().left, self.plan.kernel().right);
        let n = self.n;
        if self.next == 0 && l > 0 {
            if self.received < l + r + 1 {
                return;
            }
            let ext: Vec<f64> = (-(l as isize)..(l + r) as isize)
                .map(|j| self.ext(j))
                .collect();
            let mut head = vec![0.0; l];
            self.plan.correlate_valid(&ext, &mut head, self.direct);
            self.push(out, &head, 0);
            self.next = l;
        }
        let end = if self.direct {
            (self.received.saturating_sub(r)).min(n - r)
        } else {
            self.fft_end()
        };
        if end > self.next {
            let from = self.next - l - self.base;
            let mut part = vec![0.0; end - self.next];
            if self.direct {
                self.plan
                    .correlate_valid(&self.buf[from..end + r - self.base], &mut part, true);
            } else {
                // The blocks of the whole signal's middle (`apply` runs it
                // from sample 0): `part` starts on a block, every block in
                // it has its `fft_len` samples here or reaches the end.
                self.plan
                    .overlap_save()
                    .correlate_valid(&self.buf[from..self.received - self.base], &mut part);
            }
            let start = self.next;
            self.push(out, &part, start);
            self.next = end;
        }
        // Keep what the next outputs and the far edge need.
        let keep_from = self.next.saturating_sub(l + 1).max(self.base);
        if keep_from - self.base > self.buf.len() / 2 && keep_from > self.base {
            self.buf.drain(..keep_from - self.base);
            self.base = keep_from;
        }
    }

    /// The end of the outputs whose FFT blocks have all arrived: block `b`
    /// of the middle gives outputs `left + b * step..` (at most to
    /// `n - right`) from samples `b * step..b * step + fft_len` (at most to
    /// `n`).
    fn fft_end(&self) -> usize {
        let (l, r) = (self.plan.kernel().left, self.plan.kernel().right);
        let n = self.n;
        let os = self.plan.overlap_save();
        let (step, len) = (os.step(), os.fft_len());
        let m = self.next - l;
        let middle = n - l - r;
        if self.received == n {
            return n - r;
        }
        if self.received < m + len {
            return self.next;
        }
        let blocks = (self.received - m - len) / step + 1;
        l + (m + blocks * step).min(middle)
    }

    /// The extended signal at `j` (`-left <= j < n + right`) from what is kept.
    fn ext(&self, j: isize) -> f64 {
        let fill = if self.mode == EdgeMode::Constant {
            self.cval
        } else {
            0.0
        };
        match source_index(j, self.n, self.mode) {
            None => fill,
            Some(s) if s >= self.base && s < self.received => self.buf[s - self.base],
            Some(s) if s < self.first.len() => self.first[s],
            Some(s) => self.last[s + self.last.len() - self.n],
        }
    }

    /// Appends outputs `start..` to `out`, renormalised at the edges when
    /// the mode says so (as `apply` does).
    fn push(&self, out: &mut Vec<f64>, values: &[f64], start: usize) {
        if self.mode != EdgeMode::Renormalize {
            out.extend_from_slice(values);
            return;
        }
        let n = self.n;
        let (l, r) = (self.plan.kernel().left, self.plan.kernel().right);
        let edge = l.max(r).min(n);
        let lo_end = edge;
        let hi_start = n.saturating_sub(edge).max(edge);
        for (i, &v) in (start..).zip(values) {
            if i < lo_end || i >= hi_start {
                let j0 = l.saturating_sub(i);
                let j1 = (l + n - 1 - i).min(l + r);
                out.push(v / (self.cum[j1 + 1] - self.cum[j0]));
            } else {
                out.push(v);
            }
        }
    }

    /// Appends the last outputs (all of them for a signal no longer than
    /// the kernel).
    ///
    /// # Errors
    /// Fewer than `n` samples fed.
    pub fn finish(mut self, out: &mut Vec<f64>) -> Result<()> {
        if self.received != self.n {
            return Err(NumlabError::LengthMismatch {
                a_name: "samples fed",
                a_len: self.received,
                b_name: "n",
                b_len: self.n,
            });
        }
        let k = self.plan.kernel();
        let (l, r) = (k.left, k.right);
        let n = self.n;
        if n <= l + r + 1 {
            let fill = if self.mode == EdgeMode::Constant {
                self.cval
            } else {
                0.0
            };
            let ext = extend(&self.buf, self.mode, fill, l, r);
            let mut all = vec![0.0; n];
            self.plan.correlate_valid(&ext, &mut all, self.direct);
            self.push(out, &all, 0);
            return Ok(());
        }
        self.emit(out);
        if r > 0 {
            let ext: Vec<f64> = ((n - r - l) as isize..(n + r) as isize)
                .map(|j| self.ext(j))
                .collect();
            let mut tail = vec![0.0; r];
            self.plan.correlate_valid(&ext, &mut tail, self.direct);
            self.push(out, &tail, n - r);
            self.next = n;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smoothing::{GaussianSmoother, Kernel};

    /// Every edge mode, signals shorter and longer than the kernel, blocks
    /// of 1, sigma-sized, odd and whole: the bits of `apply`.
    #[test]
    fn blocks_equal_whole_signal() {
        let Ok(mut y) = crate::signals::uniform(2000, -3.0, 3.0, 17) else {
            panic!("signal")
        };
        y[700] = f64::NAN;
        y[1500] = f64::INFINITY;
        let plans = [
            GaussianSmoother::new(3.0).and_then(|s| s.plan(1.0)),
            GaussianSmoother::new(10.0).and_then(|s| s.plan(1.0)),
            Kernel::window(2.5, 7, 11).and_then(|k| UniformPlan::new(k, Method::Direct)),
            Kernel::window(1.5, 0, 5).and_then(|k| UniformPlan::new(k, Method::Direct)),
            Kernel::window(1.5, 4, 0).and_then(|k| UniformPlan::new(k, Method::Direct)),
        ];
        let modes = EdgeMode::ALL;
        for plan in plans {
            let Ok(plan) = plan else { panic!("plan") };
            let taps = plan.kernel().len();
            for n in [1, 2, taps - 1, taps, taps + 1, taps + 2, 2 * taps + 3, 2000] {
                let y = &y[..n.min(y.len())];
                for mode in modes {
                    let Ok(want) = plan.apply(y, mode, 0.25, false) else {
                        panic!("apply")
                    };
                    let last = &y[n - n.min(plan.kernel().left)..];
                    for block in [1, 3, 10, 41, 64, 1000, n] {
                        let Ok(mut s) = UniformStream::new(&plan, n, mode, 0.25, last) else {
                            panic!("new")
                        };
                        let mut got = Vec::new();
                        for b in y.chunks(block) {
                            assert!(s.feed(b, &mut got).is_ok());
                        }
                        assert!(s.finish(&mut got).is_ok());
                        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&got), bits(&want), "{mode} n {n} block {block}");
                    }
                }
            }
        }
    }

    /// FFT plans (`Auto` resolved to it, and `Fft` asked for on short and
    /// one-sided kernels): the overlap-save blocks of the whole signal, fed
    /// in blocks that cut them anywhere (one sample, a block step and its
    /// neighbours, an FFT length), every edge mode, signals shorter than the
    /// kernel, of one block and of many, with and without a NaN: the bits
    /// of `apply`.
    #[test]
    fn fft_blocks_equal_whole_signal() {
        let Ok(mut y) = crate::signals::uniform(12_345, -3.0, 3.0, 29) else {
            panic!("signal")
        };
        let plans = [
            GaussianSmoother::new(30.0).and_then(|s| s.plan(1.0)),
            GaussianSmoother::new(2.0)
                .map(|s| s.with_method(Method::Fft))
                .and_then(|s| s.plan(1.0)),
            Kernel::window(25.0, 90, 10).and_then(|k| UniformPlan::new(k, Method::Fft)),
            Kernel::window(1.5, 0, 5).and_then(|k| UniformPlan::new(k, Method::Fft)),
        ];
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for plan in plans {
            let Ok(plan) = plan else { panic!("plan") };
            assert_eq!(plan.method(), Method::Fft);
            let taps = plan.kernel().len();
            let (step, len) = (plan.overlap_save().step(), plan.overlap_save().fft_len());
            for nan in [false, true] {
                if nan {
                    y[4321] = f64::NAN;
                }
                for n in [
                    1,
                    taps - 1,
                    taps,
                    taps + 1,
                    len - 1,
                    len + taps,
                    3 * step + taps - 1,
                    3 * step + taps,
                    12_345,
                ] {
                    let y = &y[..n];
                    let bad = !y.iter().all(|v| v.is_finite());
                    for mode in EdgeMode::ALL {
                        let Ok(want) = plan.apply(y, mode, 0.25, false) else {
                            panic!("apply")
                        };
                        let last = &y[n - n.min(plan.kernel().left)..];
                        for block in [1, 7, step - 1, step, step + 1, len, 4096, n] {
                            if block == 1 && n > 2 * len {
                                continue;
                            }
                            let Ok(s) = UniformStream::new(&plan, n, mode, 0.25, last) else {
                                panic!("new")
                            };
                            let mut s = s.with_non_finite(bad);
                            let mut got = Vec::new();
                            for b in y.chunks(block) {
                                assert!(s.feed(b, &mut got).is_ok());
                            }
                            assert!(s.finish(&mut got).is_ok());
                            assert_eq!(
                                bits(&got),
                                bits(&want),
                                "{mode} n {n} block {block} taps {taps} nan {nan}"
                            );
                        }
                    }
                }
            }
        }
        // Not told of a NaN, an FFT stream refuses it.
        let Ok(plan) = GaussianSmoother::new(30.0).and_then(|s| s.plan(1.0)) else {
            panic!("plan")
        };
        let Ok(mut s) = UniformStream::new(&plan, 5000, EdgeMode::Reflect, 0.0, &[]) else {
            panic!("new")
        };
        let mut out = Vec::new();
        assert!(s.feed(&y[..3000], &mut out).is_ok());
        assert!(s.feed(&[1.0, f64::INFINITY], &mut out).is_err());
    }

    #[test]
    fn refuses_what_it_cannot_stream() {
        for method in [Method::Sliding, Method::Recursive] {
            let Ok(plan) = GaussianSmoother::new(30.0)
                .map(|s| s.with_method(method))
                .and_then(|s| s.plan(1.0))
            else {
                panic!("plan")
            };
            assert!(UniformStream::new(&plan, 10, EdgeMode::Reflect, 0.0, &[]).is_err());
        }
        let Ok(plan) = GaussianSmoother::new(2.0).and_then(|s| s.plan(1.0)) else {
            panic!("plan")
        };
        assert!(UniformStream::new(&plan, 0, EdgeMode::Reflect, 0.0, &[]).is_err());
        assert!(UniformStream::new(&plan, 100, EdgeMode::Wrap, 0.0, &[1.0]).is_err());
        let Ok(mut s) = UniformStream::new(&plan, 3, EdgeMode::Reflect, 0.0, &[]) else {
            panic!("new")
        };
        let mut out = Vec::new();
        assert!(s.feed(&[1.0, 2.0, 3.0, 4.0], &mut out).is_err());
        assert!(s.feed(&[1.0, 2.0], &mut out).is_ok());
        assert!(s.finish(&mut out).is_err());
    }
}
