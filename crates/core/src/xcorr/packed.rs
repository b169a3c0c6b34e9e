//! The plain correlation of two real signals by half- and quarter-length
//! complex transforms, computed in two halves that meet only at the end.
//!
//! Both signals go into one complex sequence z = αx + iβy, zero-padded to
//! N (a multiple of 4), with α and β powers of two that give both parts
//! about the same energy (so neither is lost in the other's rounding, and
//! the scaling itself rounds nothing). Its spectrum splits by the parity of
//! the bin (decimation in frequency), with H = N/2 and w = e^{2πi/N}:
//!
//! ```text
//! Z_{2k}   = DFT_H(z_m + z_{m+H})_k
//! Z_{2k+1} = DFT_H((z_m - z_{m+H}) w^-m)_k
//! ```
//!
//! With W = conj(Z_{N-k}), the spectra of the two signals are
//! X_k = (Z_k + W)/(2α) and Y_k = (Z_k - W)/(2iβ), so the cross-spectrum is
//!
//! ```text
//! S_k = X_k conj(Y_k) = i (Z_k + W) conj(Z_k - W) / (4αβ),
//! ```
//!
//! which needs only bins k and N-k, of the same parity. The correlation
//! c = IDFT_N(S) is real, so its samples taken in pairs, u_l = c_{2l} +
//! i c_{2l+1}, are the length-H inverse of
//!
//! ```text
//! U_k = (S_k + S_{k+H}) + i (S_k - S_{k+H}) w^k,   k < H,
//! ```
//!
//! (k, k + H, N - k and N - k - H all have k's parity, H being even), and
//! that inverse splits by the parity of k (decimation in time), with
//! Q = N/4 and v = w^2:
//!
//! ```text
//! u_l = E_l + v^l O_l,   u_{l+Q} = E_l - v^l O_l,
//! E = IDFT_Q(U_{2r}),    O = IDFT_Q(U_{2r+1}).
//! ```
//!
//! Everything of even parity comes from Z's even bins and everything of odd
//! parity from its odd bins: one thread folds, transforms, pairs up and
//! inverts the even half while another does the odd half, and the two only
//! meet for the last butterfly, which writes c. That is two complex
//! transforms of N/2 and two of N/4 (RustFFT's fastest kind) where three real
//! transforms of N would each be a complex transform of N/2 plus a pass of
//! their own.

use std::sync::Arc;

use rustfft::num_complex::Complex64;
use rustfft::Fft;

use super::fft::Twiddles;
use crate::simd::{Simd, Slots, Written};
use crate::spectrum::transform::complex_plan;
use crate::threads;

/// Values per block of the elementwise kernels: the twiddle tables' fine
/// step, so one coarse entry serves a whole block.
const BLOCK: usize = 64;

/// The two signals, each placed at an offset in the padded length, and the
/// powers of two that balance them.
struct Sources<'a> {
    x: &'a [f64],
    x_offset: usize,
    y: &'a [f64],
    y_offset: usize,
    alpha: f64,
    beta: f64,
}

/// Where the two signals sit in the padded length and which samples of the
/// circular correlation are wanted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// `x` starts here in `len` zeros.
    pub(crate) x_offset: usize,
    /// `y` starts here in `len` zeros.
    pub(crate) y_offset: usize,
    /// The output is multiplied by this.
    pub(crate) scale: f64,
    /// The first sample returned.
    pub(crate) start: usize,
    /// How many samples are returned.
    pub(crate) keep: usize,
    /// Also find the index of the first largest sample returned.
    pub(crate) peak: bool,
}

/// One parity's buffers: the fold and its transforms (H values), and the
/// transforms' scratch.
struct Half {
    buf: Vec<Complex64>,
    scratch: Vec<Complex64>,
}

/// The plans, twiddle tables and working buffers of the route for one padded
/// length, kept between calls by their owner (a [`super::Correlator`]) or
/// made for one call. A buffer is always written in full before it is read
/// (the fold writes every value), so nothing of an earlier call can leak
/// into a later one.
pub(crate) struct Work {
    len: usize,
    forward: Arc<dyn Fft<f64>>,
    inverse: Arc<dyn Fft<f64>>,
    tw_n: Arc<Twiddles>,
    tw_h: Arc<Twiddles>,
    halves: [Half; 2],
}

impl Work {
    /// The work of padded length `len` (a multiple of 4, at least 4).
    pub(crate) fn new(len: usize) -> Self {
        debug_assert!(len >= 4 && len.is_multiple_of(4));
        let (h, q) = (len / 2, len / 4);
        let forward = complex_plan(h, false);
        let inverse = complex_plan(q, true);
        let scratch = forward
            .get_inplace_scratch_len()
            .max(inverse.get_inplace_scratch_len());
        let zero = Complex64::new(0.0, 0.0);
        let half = || Half {
            buf: vec![zero; h],
            scratch: vec![zero; scratch],
        };
        Work {
            len,
            forward,
            inverse,
            tw_n: Twiddles::cached(len),
            tw_h: Twiddles::cached(h),
            halves: [half(), half()],
        }
    }

    /// The padded length.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// The circular correlation `c[j] = scale · len · Σ_n xp[n + j] yp[n]`
/// (indices mod `len`, `xp` being `x` placed at `route.x_offset` in `len`
/// zeros, `yp` likewise), samples `route.start..route.start + route.keep`,
/// with `len = work.len()`. Needs both signals inside `len`.
///
/// `energies`: Σx² and Σy² if the caller has them (see [`energies`]). With
/// `route.peak`, also the index (into the samples returned) of the first
/// largest value, as [`super::argmax`] would give it.
pub(crate) fn correlation(
    work: &mut Work,
    x: &[f64],
    y: &[f64],
    route: &Route,
    energies: Option<(f64, f64)>,
) -> (Vec<f64>, Option<usize>) {
    let len = work.len;
    debug_assert!(route.x_offset + x.len() <= len && route.y_offset + y.len() <= len);
    debug_assert!(route.start + route.keep <= len);
    let (ex, ey) = energies.unwrap_or_else(|| self::energies(x, y));
    let src = Sources {
        x,
        x_offset: route.x_offset,
        y,
        y_offset: route.y_offset,
        alpha: balancing_factor(x, ex),
        beta: balancing_factor(y, ey),
    };
    // 1/(4αβ) undoes the balancing; divided in turn so that it overflows
    // only when the correlation itself would.
    let f = route.scale / 4.0 / src.alpha / src.beta;
    let Work {
        forward,
        inverse,
        tw_n,
        tw_h,
        halves: [even, odd],
        ..
    } = work;
    let plans = Plans {
        forward: &**forward,
        inverse: &**inverse,
        tw_n,
        tw_h,
    };
    threads::join(
        || half(&src, len, 0, f, &plans, even),
        || half(&src, len, 1, f, &plans, odd),
    );
    combine(
        &even.buf[..len / 4],
        &odd.buf[..len / 4],
        len,
        route.start,
        route.keep,
        tw_h,
        route.peak,
    )
}

/// Σx² and Σy², on two threads for signals of more than 2^20 values in all
/// (below that a join costs about what it saves: two vectorised passes over
/// 1.6 MB take tens of microseconds). Finite exactly when
/// every value is finite and the sum does not overflow, so the caller can
/// use them as its check for NaN and infinity.
pub(crate) fn energies(x: &[f64], y: &[f64]) -> (f64, f64) {
    let isa = crate::simd::isa();
    if x.len() + y.len() < 1 << 20 {
        (sum_of_squares_on(isa, x), sum_of_squares_on(isa, y))
    } else {
        threads::join(|| sum_of_squares_on(isa, x), || sum_of_squares_on(isa, y))
    }
}

crate::simd::dispatch!(pub(crate) fn sum_of_squares_on(v: &[f64]) -> f64 => sum_of_squares_generic);

/// Summed in 32 independent lanes (four AVX-512 registers), so the adds
/// do not wait for each other, then pairwise.
#[inline(always)]
fn sum_of_squares_generic<S: Simd>(_: S, v: &[f64]) -> f64 {
    let mut acc = [0.0f64; 32];
    let mut blocks = v.chunks_exact(32);
    for block in &mut blocks {
        for (a, &x) in acc.iter_mut().zip(block) {
            *a += x * x;
        }
    }
    let mut width = 16;
    while width > 0 {
        for k in 0..width {
            acc[k] += acc[k + width];
        }
        width /= 2;
    }
    acc[0] + blocks.remainder().iter().map(|x| x * x).sum::<f64>()
}

/// A power of two near 1/‖v‖ (1/max|v| if Σv² is not a normal number; 1
/// for all zeros).
fn balancing_factor(v: &[f64], energy: f64) -> f64 {
    let exponent = if energy.is_normal() {
        0.5 * energy.log2()
    } else {
        let largest = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        if largest == 0.0 {
            return 1.0;
        }
        largest.log2()
    };
    let e = (-exponent.round()).clamp(-1000.0, 1000.0) as i32;
    2f64.powi(e)
}

/// The plans and tables both halves read.
struct Plans<'a> {
    forward: &'a dyn Fft<f64>,
    inverse: &'a dyn Fft<f64>,
    tw_n: &'a Twiddles,
    tw_h: &'a Twiddles,
}

/// One parity's share, from the fold to E (parity 0) or O (parity 1) in
/// the first Q values of `work.buf`.
fn half(src: &Sources<'_>, len: usize, parity: usize, f: f64, plans: &Plans<'_>, work: &mut Half) {
    let (fs, is) = (
        plans.forward.get_inplace_scratch_len(),
        plans.inverse.get_inplace_scratch_len(),
    );
    let q = len / 4;
    let buf = &mut work.buf;
    fold_on(crate::simd::isa(), src, parity, buf, plans.tw_n);
    plans
        .forward
        .process_with_scratch(buf, &mut work.scratch[..fs]);
    pair_up_on(crate::simd::isa(), buf, parity, f, plans.tw_h, plans.tw_n);
    plans
        .inverse
        .process_with_scratch(&mut buf[..q], &mut work.scratch[..is]);
}

/// The first index and the value of the largest value seen (index
/// usize::MAX: none yet; NaN never counts).
#[derive(Debug, Clone, Copy)]
struct Peak {
    index: usize,
    value: f64,
}

impl Peak {
    const NONE: Peak = Peak {
        index: usize::MAX,
        value: f64::NEG_INFINITY,
    };

    /// The better of two: the larger value, or the smaller index of equals.
    fn or(self, other: Peak) -> Peak {
        if other.index == usize::MAX {
            self
        } else if self.index == usize::MAX
            || other.value > self.value
            || (other.value == self.value && other.index < self.index)
        {
            other
        } else {
            self
        }
    }
}

/// The last butterfly: `c` from E and O, samples `start..start + keep`,
/// and with `peak` the index (into those samples) of their first largest
/// value.
///
/// Each of two threads takes a fixed half of the output (the same half on
/// every call), so the memory it writes stays in its core's cache from one
/// call to the next, and the peak is found in the values it has just
/// computed: no second pass over the output.
fn combine(
    even: &[Complex64],
    odd: &[Complex64],
    len: usize,
    start: usize,
    keep: usize,
    tw_h: &Twiddles,
    peak: bool,
) -> (Vec<f64>, Option<usize>) {
    let (h, q) = (len / 2, len / 4);
    // The second thread starts at l = split (a multiple of BLOCK, for the
    // twiddle table), writing c from 2·split and from H + 2·split.
    let split = (q / 2) / BLOCK * BLOCK;
    let window = peak.then_some((start, start + keep));
    let isa = crate::simd::isa();
    // Written without being zeroed first; each thread fills its parts in
    // full and hands back their receipts (see `simd::vec_written_by`).
    let (mut out, (first, second)) = crate::simd::vec_written_by(len, |all| {
        let (lo, hi) = all.split_at(h);
        let (lo_a, lo_b) = lo.split_at(2 * split);
        let (hi_a, hi_b) = hi.split_at(2 * split);
        let ((first, lo_a, hi_a), (second, lo_b, hi_b)) = threads::join(
            || butterfly_part(isa, even, odd, 0, h, lo_a, hi_a, tw_h, window),
            || butterfly_part(isa, even, odd, split, h, lo_b, hi_b, tw_h, window),
        );
        (lo_a.join(lo_b).join(hi_a.join(hi_b)), (first, second))
    });
    out.truncate(start + keep);
    if start > 0 {
        out.drain(..start);
    }
    let found = first.or(second);
    let index = peak.then(|| {
        if found.index == usize::MAX {
            // Nothing beats -inf: NumPy's argmax gives the first index.
            0
        } else {
            found.index - start
        }
    });
    (out, index)
}

crate::simd::dispatch!(fn fold_on(src: &Sources<'_>, parity: usize, buf: &mut [Complex64], tw_n: &Twiddles) => fold_generic);
crate::simd::dispatch!(fn pair_up_on(buf: &mut [Complex64], parity: usize, f: f64, tw_h: &Twiddles, tw_n: &Twiddles) => pair_up_generic);
crate::simd::dispatch!(fn butterfly_on(
    even: &[Complex64],
    odd: &[Complex64],
    l0: usize,
    h: usize,
    lo: &mut Slots<'_, f64>,
    hi: &mut Slots<'_, f64>,
    tw_h: &Twiddles,
    window: Option<(usize, usize)>
) -> Peak => butterfly_generic);

/// [`butterfly_on`] into two unwritten parts, with their receipts.
#[allow(clippy::too_many_arguments)]
fn butterfly_part<'id>(
    isa: crate::simd::Isa,
    even: &[Complex64],
    odd: &[Complex64],
    l0: usize,
    h: usize,
    mut lo: Slots<'id, f64>,
    mut hi: Slots<'id, f64>,
    tw_h: &Twiddles,
    window: Option<(usize, usize)>,
) -> (Peak, Written<'id>, Written<'id>) {
    let peak = butterfly_on(isa, even, odd, l0, h, &mut lo, &mut hi, tw_h, window);
    (peak, lo.finish(), hi.finish())
}

static ZEROS: [f64; BLOCK] = [0.0; BLOCK];

/// The values at positions `pos..pos + n` of `v` placed at `offset` in
/// zeros: a slice of `v` when they all fall inside it, else a copy in `tmp`.
#[inline(always)]
fn window<'a>(
    v: &'a [f64],
    offset: usize,
    pos: usize,
    n: usize,
    tmp: &'a mut [f64; BLOCK],
) -> &'a [f64] {
    let first = offset.max(pos);
    let end = (offset + v.len()).min(pos + n);
    if first == pos && end == pos + n {
        return &v[pos - offset..pos - offset + n];
    }
    if first >= end {
        return &ZEROS[..n];
    }
    let out = &mut tmp[..n];
    out.fill(0.0);
    if first < end {
        out[first - pos..end - pos].copy_from_slice(&v[first - offset..end - offset]);
    }
    out
}

/// `buf[m] = z_m + z_{m+H}` (parity 0) or `(z_m - z_{m+H}) w^-m` (parity 1),
/// m < H = `buf.len()`.
#[inline(always)]
fn fold_generic<S: Simd>(
    _: S,
    src: &Sources<'_>,
    parity: usize,
    buf: &mut [Complex64],
    tw_n: &Twiddles,
) {
    let h = buf.len();
    let (alpha, beta) = (src.alpha, src.beta);
    let fr: [f64; BLOCK] = std::array::from_fn(|j| tw_n.fine[j].re);
    let fi: [f64; BLOCK] = std::array::from_fn(|j| tw_n.fine[j].im);
    let (mut t0, mut t1, mut t2, mut t3) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
    for (b, out) in buf.chunks_mut(BLOCK).enumerate() {
        let (m0, n) = (b * BLOCK, out.len());
        let xl = window(src.x, src.x_offset, m0, n, &mut t0);
        let xh = window(src.x, src.x_offset, m0 + h, n, &mut t1);
        let yl = window(src.y, src.y_offset, m0, n, &mut t2);
        let yh = window(src.y, src.y_offset, m0 + h, n, &mut t3);
        let (xl, xh, yl, yh) = (&xl[..n], &xh[..n], &yl[..n], &yh[..n]);
        let lanes = out.iter_mut().zip(xl.iter().zip(xh)).zip(yl.iter().zip(yh));
        if parity == 0 {
            for ((o, (&a, &b)), (&c, &d)) in lanes {
                *o = Complex64::new(alpha * (a + b), beta * (c + d));
            }
        } else {
            let c = tw_n.coarse[m0 / BLOCK];
            for (((o, (&a, &b)), (&y0, &y1)), (&f_re, &f_im)) in lanes.zip(fr.iter().zip(&fi)) {
                // t = w^m; (re + i im) conj(t).
                let (tr, ti) = cmul(c.re, c.im, f_re, f_im);
                let (r, i) = cmul(alpha * (a - b), beta * (y0 - y1), tr, -ti);
                *o = Complex64::new(r, i);
            }
        }
    }
}

/// From the transformed fold (Z at bins of one parity: `buf[i]` = Z_{2i +
/// parity}), U_{2r + parity} into `buf[r]`, r < Q, in place.
///
/// S at bin 2i + parity comes from `buf[i]` and its mirror `buf[M(i)]`,
/// M(i) = (H - parity - i) mod H. U[r] needs S(r) and S(r + Q); its partner
/// r' = (Q - parity - r) mod Q needs conj(S(r + Q)) and conj(S(r)) (S is
/// Hermitian), and w^{2r' + parity} = -conj(w^{2r + parity}), so each pair
/// costs two S and one twiddle, and reads exactly the four values
/// `buf[r]`, `buf[r']`, `buf[r + Q]`, `buf[r' + Q]` that it overwrites or
/// leaves for nobody. Pairs with r <= r' are done; a pair with r = r'
/// (r = 0 for parity 0, and the middle) writes only U[r].
#[inline(always)]
fn pair_up_generic<S: Simd>(
    _: S,
    buf: &mut [Complex64],
    parity: usize,
    f: f64,
    tw_h: &Twiddles,
    tw_n: &Twiddles,
) {
    let h = buf.len();
    let q = h / 2;
    // w^{2r + parity} = v^r w^parity, v = w^2 the step of the table of H.
    let w = if parity == 1 {
        tw_n.fine[1]
    } else {
        Complex64::new(1.0, 0.0)
    };
    let fine: [Complex64; BLOCK] = std::array::from_fn(|j| {
        if parity == 1 {
            tw_h.fine[j] * w
        } else {
            tw_h.fine[j]
        }
    });
    let fr: [f64; BLOCK] = std::array::from_fn(|j| fine[j].re);
    let fi: [f64; BLOCK] = std::array::from_fn(|j| fine[j].im);
    let last = (q - parity) / 2;
    // Declared once, not zeroed per block: a block of n < BLOCK values
    // leaves stale values after the first n, and only the first n results
    // are written back.
    let zero = Complex64::new(0.0, 0.0);
    let (mut a0, mut a1, mut b0, mut b1) =
        ([zero; BLOCK], [zero; BLOCK], [zero; BLOCK], [zero; BLOCK]);
    let (mut u, mut p) = ([zero; BLOCK], [zero; BLOCK]);
    let mut r0 = 0;
    while r0 <= last {
        let n = BLOCK.min(last + 1 - r0);
        // a0 = buf[r], b0 = buf[r + Q] (ascending); a1 = buf[M(r)] and
        // b1 = buf[M(r + Q)] (descending from `top` and `top_b`), where
        // M(r) = H - parity - r is H, meaning 0, only for r = 0 of parity 0;
        // M(r + Q) = Q - parity - r never wraps.
        let top = h - parity - r0;
        let top_b = q - parity - r0;
        for (d, s) in a0.iter_mut().zip(&buf[r0..r0 + n]) {
            *d = *s;
        }
        for (d, s) in b0.iter_mut().zip(&buf[r0 + q..r0 + q + n]) {
            *d = *s;
        }
        if top == h {
            a1[0] = buf[0];
            for (d, s) in a1[1..n].iter_mut().zip(buf[h + 1 - n..h].iter().rev()) {
                *d = *s;
            }
        } else {
            for (d, s) in a1[..n].iter_mut().zip(buf[top + 1 - n..=top].iter().rev()) {
                *d = *s;
            }
        }
        for (d, s) in b1[..n]
            .iter_mut()
            .zip(buf[top_b + 1 - n..=top_b].iter().rev())
        {
            *d = *s;
        }
        let c = tw_h.coarse[r0 / BLOCK];
        for j in 0..BLOCK {
            let (s1r, s1i) = cross(a0[j].re, a0[j].im, a1[j].re, a1[j].im, f);
            let (s2r, s2i) = cross(b0[j].re, b0[j].im, b1[j].re, b1[j].im, f);
            let (sr, si) = (s1r + s2r, s1i + s2i);
            let (mr, mi) = (s1r - s2r, s1i - s2i);
            let (tr, ti) = cmul(c.re, c.im, fr[j], fi[j]);
            let (mtr, mti) = cmul(mr, mi, tr, ti);
            // U[r] = P + i M t; U[r'] = conj(P) + i conj(M t).
            u[j] = Complex64::new(sr - mti, si + mtr);
            p[j] = Complex64::new(sr + mti, mtr - si);
        }
        // The partners r' = Q - parity - r first (for r = 0 of parity 0 that
        // is Q, a value nobody reads again; for r = r' the direct value must
        // win), then the U[r].
        for (d, s) in buf[top_b + 1 - n..=top_b].iter_mut().rev().zip(&p[..n]) {
            *d = *s;
        }
        buf[r0..r0 + n].copy_from_slice(&u[..n]);
        r0 += BLOCK;
    }
}

/// (ar + i ai)(br + i bi), with fused multiply-adds (exactly rounded on
/// every CPU, so all compiled versions agree).
#[inline(always)]
fn cmul(ar: f64, ai: f64, br: f64, bi: f64) -> (f64, f64) {
    (ar.mul_add(br, -(ai * bi)), ar.mul_add(bi, ai * br))
}

/// f · i (Z + conj(M)) conj(Z - conj(M)) for Z = zr + i zi, M = mr + i mi.
#[inline(always)]
fn cross(zr: f64, zi: f64, mr: f64, mi: f64, f: f64) -> (f64, f64) {
    let (gr, gi) = (zr + mr, zi - mi);
    let (dr, di) = (zr - mr, zi + mi);
    (f * gr.mul_add(di, -(gi * dr)), f * gr.mul_add(dr, gi * di))
}

/// u_l = E_l + v^l O_l into `lo` and u_{l+Q} = E_l - v^l O_l into `hi`, as
/// (re, im) pairs, for l from `l0` (a multiple of BLOCK): `lo` holds c from
/// 2·l0 and `hi` from H + 2·l0. Returns the peak of the values whose index
/// in c falls in `window`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn butterfly_generic<S: Simd>(
    _: S,
    even: &[Complex64],
    odd: &[Complex64],
    l0: usize,
    h: usize,
    lo: &mut Slots<'_, f64>,
    hi: &mut Slots<'_, f64>,
    tw_h: &Twiddles,
    window: Option<(usize, usize)>,
) -> Peak {
    let fr: [f64; BLOCK] = std::array::from_fn(|j| tw_h.fine[j].re);
    let fi: [f64; BLOCK] = std::array::from_fn(|j| tw_h.fine[j].im);
    // The peaks of the `lo` and of the `hi` values, each visited in
    // increasing order of index (so a block takes over only with a strictly
    // larger value, and the first of equals stays).
    let mut peaks = [Peak::NONE; 2];
    // `lo` and `hi` are as long as each other, an even number of values.
    // `sum` and `diff` are declared once: a short last block uses only
    // their first 2n values, all of them written first.
    let (mut sum, mut diff) = ([0.0; 2 * BLOCK], [0.0; 2 * BLOCK]);
    let mut l = l0;
    while lo.remaining() > 0 {
        let n = BLOCK.min(lo.remaining() / 2);
        let c = tw_h.coarse[l / BLOCK];
        let (e, o) = (&even[l..l + n], &odd[l..l + n]);
        for j in 0..n {
            let (tr, ti) = cmul(c.re, c.im, fr[j], fi[j]);
            let (or, oi) = cmul(o[j].re, o[j].im, tr, ti);
            sum[2 * j] = e[j].re + or;
            sum[2 * j + 1] = e[j].im + oi;
            diff[2 * j] = e[j].re - or;
            diff[2 * j + 1] = e[j].im - oi;
        }
        lo.push_slice(&sum[..2 * n]);
        hi.push_slice(&diff[..2 * n]);
        if let Some(window) = window {
            look(&mut peaks[0], &sum[..2 * n], 2 * l, window);
            look(&mut peaks[1], &diff[..2 * n], h + 2 * l, window);
        }
        l += BLOCK;
    }
    peaks[0].or(peaks[1])
}

/// Takes the first largest of `values` (c from index `at`) inside `window`
/// into `peak` if it is larger than the peak so far. (A function, not a
/// closure: closures do not inherit the caller's target features.)
#[inline(always)]
fn look(peak: &mut Peak, values: &[f64], at: usize, (from, to): (usize, usize)) {
    let (first, end) = (from.max(at), to.min(at + values.len()));
    if first >= end {
        return;
    }
    let part = &values[first - at..end - at];
    let largest = super::largest_generic(part);
    if largest > peak.value {
        if let Some(i) = part.iter().position(|&v| v == largest) {
            *peak = Peak {
                index: first + i,
                value: largest,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Σ_n xp[(n + j) mod len] yp[n], by the definition.
    fn circular(x: &[f64], xo: usize, y: &[f64], yo: usize, len: usize) -> Vec<f64> {
        let place = |v: &[f64], o: usize| {
            let mut p = vec![0.0; len];
            p[o..o + v.len()].copy_from_slice(v);
            p
        };
        let (xp, yp) = (place(x, xo), place(y, yo));
        (0..len)
            .map(|j| (0..len).map(|n| xp[(n + j) % len] * yp[n]).sum())
            .collect()
    }

    #[test]
    fn equals_the_circular_correlation_by_definition() {
        // Lengths with one and several blocks, Q odd and even; signals at
        // offsets that straddle the middle; scales far apart.
        for (len, nx, xo, ny, yo, sx, sy) in [
            (4usize, 2usize, 1usize, 3usize, 0usize, 1.0, 1.0),
            (8, 5, 3, 4, 0, 1.0, 1e-3),
            (12, 7, 5, 6, 1, 3.0, 1.0),
            (20, 10, 9, 11, 0, 1e6, 1e-6),
            (260, 130, 129, 131, 0, 1.0, 1.0),
            (516, 300, 100, 200, 50, 2.0, 7.0),
            (1000, 501, 499, 500, 0, 1.0, 1.0),
            (4100, 2100, 2000, 2000, 0, 1e-200, 1e150),
        ] {
            let x: Vec<f64> = (0..nx)
                .map(|i| sx * (((i * 7919) % 31) as f64 - 15.0))
                .collect();
            let y: Vec<f64> = (0..ny)
                .map(|i| sy * (((i * 104_729) % 17) as f64 - 8.0))
                .collect();
            let want = circular(&x, xo, &y, yo, len);
            let norm = |v: &[f64], s: f64| {
                s.abs() * v.iter().map(|a| (a / s) * (a / s)).sum::<f64>().sqrt()
            };
            let bound = 1e-14 * len as f64 * norm(&x, sx) * norm(&y, sy);
            for (start, keep) in [(0, len), (1, len - 3), (len / 2 - 1, 3)] {
                let mut route = Route {
                    x_offset: xo,
                    y_offset: yo,
                    scale: 1.0 / len as f64,
                    start,
                    keep,
                    peak: true,
                };
                let mut work = Work::new(len);
                let (got, peak) = correlation(&mut work, &x, &y, &route, None);
                assert_eq!(got.len(), keep);
                assert_eq!(peak, super::super::argmax(&got), "len {len} start {start}");
                route.peak = false;
                // The same work again: nothing of the first call leaks in.
                let (plain, none) = correlation(&mut work, &x, &y, &route, None);
                assert_eq!((plain, none), (got.clone(), None));
                for (i, v) in got.iter().enumerate() {
                    let w = want[start + i];
                    assert!(
                        (v - w).abs() <= bound,
                        "len {len} j {}: {v} vs {w} (bound {bound})",
                        start + i
                    );
                }
            }
        }
    }

    #[test]
    fn energies_that_overflow_still_balance() {
        // Σa² overflows (values near 1e200) while every value is finite: the
        // energies are infinite, the input is valid, and the balancing falls
        // back on the largest magnitude.
        use super::super::{correlate_with, Method, Mode};
        let a: Vec<f64> = (0..3000)
            .map(|i| 1e200 * (((i * 7919) % 31) as f64 - 15.0))
            .collect();
        let b: Vec<f64> = (0..2000)
            .map(|i| 1e-190 * (((i * 104_729) % 17) as f64 - 8.0))
            .collect();
        assert!(energies(&a, &b).0.is_infinite());
        let fft = correlate_with(&a, &b, Mode::Full, Method::Fft).unwrap();
        let direct = correlate_with(&a, &b, Mode::Full, Method::Direct).unwrap();
        let scale = 15.0 * 1e200 * 8.0 * 1e-190 * 2000.0;
        for (f, d) in fft.iter().zip(&direct) {
            assert!((f - d).abs() <= 1e-13 * scale, "{f} vs {d}");
        }
        // A NaN is still refused, by name and index.
        let mut bad = b.clone();
        bad[1234] = f64::NAN;
        let err = correlate_with(&a, &bad, Mode::Full, Method::Fft).unwrap_err();
        assert!(err.to_string().contains("b"), "{err}");
        assert!(err.to_string().contains("1234"), "{err}");
    }

    #[test]
    fn zeros_give_zeros() {
        let route = Route {
            x_offset: 3,
            y_offset: 0,
            scale: 0.125,
            start: 0,
            keep: 8,
            peak: true,
        };
        let got = correlation(&mut Work::new(8), &[0.0; 5], &[0.0; 4], &route, None);
        assert_eq!(got, (vec![0.0; 8], Some(0)));
    }
}
