//! The one SIMD and platform layer of numlab-core: CPU detection, the
//! choice of code path, every `target_feature` and intrinsic, and the
//! crate's only home of `unsafe`: the CPU-specific code, the one OS call
//! (`os.rs`, the huge-page advice of `crate::alloc`) and the one
//! uninitialised buffer (`fill.rs`, an output written in parts on several
//! threads, checked to be written in full). No `unsafe` block exists
//! outside this module.
//!
//! # Paths
//!
//! | [`Isa`] | CPU features | `NUMLAB_SIMD=` |
//! |---|---|---|
//! | [`Isa::Scalar`] | none (portable Rust, any CPU) | `scalar` |
//! | [`Isa::Avx2`] | x86-64 AVX2 and FMA | `avx2` |
//! | [`Isa::Avx512`] | x86-64 AVX-512F, AVX-512VL, AVX2 and FMA | `avx512` |
//!
//! The CPU is examined once per process ([`Isa::best`]); [`isa`] is the path
//! the kernels take: the best one, or the one named by the environment
//! variable `NUMLAB_SIMD` (`scalar`, `avx2`, `avx512` or `auto`, the default).
//! A path the CPU lacks is refused ([`from_env`] returns the error; the
//! `numlab` command line prints it on one line and exits 2).
//!
//! # One rounding policy
//!
//! Every fused multiply-add in the kernels is a correctly rounded `mul_add`
//! on every path: `f64::mul_add` in the portable code (one FMA instruction
//! where the CPU has FMA, the C library's `fma` elsewhere) and the FMA
//! instructions in the vector code. Rust never contracts `a * b + c` into an
//! FMA, so plain arithmetic rounds the same everywhere too. Sums are reduced
//! in a fixed order that does not depend on the vector width. So every path
//! gives the same bits; the tests run each kernel on every path the CPU
//! offers and compare them with [`Isa::Scalar`].
//!
//! # Writing a kernel
//!
//! A kernel is written once, as safe, `#[inline(always)]` code generic over
//! a `Simd` token (the first argument; crate-internal), and declared with the
//! crate-internal `dispatch!` macro:
//!
//! ```ignore
//! #[inline(always)]
//! fn total_generic<S: Simd>(_: S, x: &[f64]) -> f64 { /* plain loops */ }
//!
//! simd::dispatch!(fn total(x: &[f64]) -> f64 => total_generic);
//! // called as `total(simd::isa(), x)`
//! ```
//!
//! The macro compiles the generic code once per path, with that path's
//! `target_feature`s on, so the compiler vectorises plain loops with the
//! path's instructions, and calls the one [`Isa`] asks for. Code that needs
//! explicit vectors uses the token's methods (`Simd`'s eight-lane groups and
//! table exponential) or, for the few AVX-512-only kernels, the methods of
//! the `Avx512` token it gets from `Simd::avx512`. A token exists only on a
//! CPU that has its features, which makes those methods safe to call. The
//! intrinsics live in `simd/x86/` (`avx2.rs`, `avx512.rs`); `simd/scalar.rs`
//! is the portable path.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use crate::error::{NumlabError, Result};

mod fill;
mod os;
mod scalar;
#[cfg(target_arch = "x86_64")]
mod x86;

pub(crate) use fill::{vec_written_by, Slots, Written};
#[cfg(target_os = "linux")]
pub(crate) use os::advise_huge_pages;

pub(crate) use scalar::Scalar;
#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{blur_bands_scratch, Avx2, Avx512, Bins};

/// The environment variable that forces a code path.
pub const ENV_VAR: &str = "NUMLAB_SIMD";

/// A code path: the instruction sets the vector kernels may use. Ordered
/// from the narrowest to the widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    /// Portable Rust, no CPU-specific instructions (`f64::mul_add` for fused
    /// multiply-adds).
    Scalar,
    /// x86-64 with AVX2 and FMA: four f64 lanes.
    Avx2,
    /// x86-64 with AVX-512F, AVX-512VL, AVX2 and FMA: eight f64 lanes.
    Avx512,
}

impl Isa {
    /// Every path, narrowest first.
    pub const ALL: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512];

    /// The name `NUMLAB_SIMD` takes for this path.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// The CPU features the path needs.
    pub fn features(self) -> &'static str {
        match self {
            Isa::Scalar => "none",
            Isa::Avx2 => "avx2, fma",
            Isa::Avx512 => "avx512f, avx512vl, avx2, fma",
        }
    }

    /// The widest path this CPU offers, detected once per process.
    pub fn best() -> Isa {
        static BEST: OnceLock<Isa> = OnceLock::new();
        *BEST.get_or_init(detect)
    }

    /// Whether this CPU offers the path (every path up to [`Isa::best`]).
    pub fn is_available(self) -> bool {
        self <= Isa::best()
    }

    /// The paths this CPU offers, narrowest first.
    pub fn available() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.is_available()).collect()
    }

    /// This path, or `cap` if that is narrower.
    pub fn at_most(self, cap: Isa) -> Isa {
        self.min(cap)
    }
}

impl std::fmt::Display for Isa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The widest path the CPU has (the x86-64 feature checks run here only).
fn detect() -> Isa {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        let avx2 = has!("avx2") && has!("fma");
        if avx2 && has!("avx512f") && has!("avx512vl") {
            return Isa::Avx512;
        }
        if avx2 {
            return Isa::Avx2;
        }
    }
    Isa::Scalar
}

/// Parses a `NUMLAB_SIMD` value: `auto` (or empty) is the best path this
/// CPU offers; a named path must be one it offers.
///
/// # Errors
/// [`NumlabError::UnknownName`] for another name;
/// [`NumlabError::SimdUnavailable`] for a path the CPU lacks.
pub fn parse(value: &str) -> Result<Isa> {
    let isa = match value.trim() {
        "" | "auto" => return Ok(Isa::best()),
        "scalar" => Isa::Scalar,
        "avx2" => Isa::Avx2,
        "avx512" => Isa::Avx512,
        other => {
            return Err(NumlabError::UnknownName {
                name: ENV_VAR,
                value: other.to_string(),
                expected: "scalar, avx2, avx512, auto",
            })
        }
    };
    if isa.is_available() {
        Ok(isa)
    } else {
        Err(NumlabError::SimdUnavailable {
            variable: ENV_VAR,
            value: isa.name(),
            features: isa.features(),
            offered: Isa::available()
                .iter()
                .map(|i| i.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}

/// The path chosen for this process: `NUMLAB_SIMD` if set (read once), else
/// the best the CPU offers.
///
/// # Errors
/// As [`parse`], for a bad `NUMLAB_SIMD` (a value that is not UTF-8 is an
/// unknown name).
pub fn from_env() -> Result<Isa> {
    static CHOSEN: OnceLock<Result<Isa>> = OnceLock::new();
    CHOSEN
        .get_or_init(|| match std::env::var_os(ENV_VAR) {
            None => Ok(Isa::best()),
            Some(v) => parse(&v.to_string_lossy()),
        })
        .clone()
}

/// The path the kernels take ([`from_env`]). Kernels ask for it on every
/// call: after the first, one relaxed atomic load.
///
/// A `NUMLAB_SIMD` that names a path this CPU lacks, or no path, is not
/// fatal here (a notebook kernel must not die of it): one line on stderr
/// says so, and the best path the CPU offers runs (every path gives the same
/// bits, so only the speed differs). A program that wants to refuse it
/// checks [`from_env`] first (the `numlab` command line does, and exits 2
/// with the message).
#[inline]
pub fn isa() -> Isa {
    match CHOSEN_ISA.load(Ordering::Relaxed) {
        1 => Isa::Scalar,
        2 => Isa::Avx2,
        3 => Isa::Avx512,
        _ => first_isa(),
    }
}

/// [`isa`]'s answer, 0 until the first call.
static CHOSEN_ISA: AtomicU8 = AtomicU8::new(0);

#[cold]
fn first_isa() -> Isa {
    let isa = match from_env() {
        Ok(isa) => isa,
        Err(e) => {
            let best = Isa::best();
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| eprintln!("numlab: {e}; running the {} path instead", best.name()));
            best
        }
    };
    let code = match isa {
        Isa::Scalar => 1,
        Isa::Avx2 => 2,
        Isa::Avx512 => 3,
    };
    CHOSEN_ISA.store(code, Ordering::Relaxed);
    isa
}

/// A proof that the CPU has a path's features, and the operations the
/// kernels need beyond plain loops. Only this module makes tokens
/// ([`Scalar`] on any CPU, [`Avx2`] and [`Avx512`] after the CPU check), so
/// the methods are safe. Every implementation gives the same bits.
///
/// The eight-lane group operations (`F64x8`, `Mask8`) are those of the
/// irregular-x kernel sums ([`crate::smoothing`]): lanes are combined in a
/// fixed order, whatever the vector width.
pub(crate) trait Simd: Copy + Send + Sync + 'static {
    /// The path this token stands for.
    const ISA: Isa;
    /// Eight f64 lanes.
    type F64x8: Copy;
    /// A mask of eight lanes.
    type Mask8: Copy;
    /// Every lane `v`.
    fn splat(self, v: f64) -> Self::F64x8;
    /// The first eight values of `s` (which must hold at least eight; panics otherwise).
    fn load(self, s: &[f64]) -> Self::F64x8;
    /// Into the first eight values of `s` (which must hold at least eight; panics otherwise).
    fn store(self, s: &mut [f64], v: Self::F64x8);
    /// Lanes `lo..hi` on (empty when lo >= hi; both at most 8).
    fn mask(self, lo: usize, hi: usize) -> Self::Mask8;
    /// The lanes of `k` where `d <= cut`.
    fn within(self, k: Self::Mask8, d: Self::F64x8, cut: Self::F64x8) -> Self::Mask8;
    /// Lanes on in both.
    fn and(self, a: Self::Mask8, b: Self::Mask8) -> Self::Mask8;
    /// Whether lane 7 is on.
    fn top(self, k: Self::Mask8) -> bool;
    /// a - b.
    fn sub(self, a: Self::F64x8, b: Self::F64x8) -> Self::F64x8;
    /// exp(d² scale) by [`exp_table`](crate::fastmath), clamped below at
    /// exp(-700) with `CLAMP` (else only right for d² scale >= -700).
    fn weight<const CLAMP: bool>(self, d: Self::F64x8, scale: Self::F64x8) -> Self::F64x8;
    /// a * b + c (one rounding) where `k` is on, c elsewhere.
    fn fma_on(self, k: Self::Mask8, a: Self::F64x8, b: Self::F64x8, c: Self::F64x8) -> Self::F64x8;
    /// a + b where `k` is on, a elsewhere.
    fn add_on(self, k: Self::Mask8, a: Self::F64x8, b: Self::F64x8) -> Self::F64x8;
    /// ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)).
    fn sum(self, v: Self::F64x8) -> f64;
    /// `t[k] = exp(min(t[k], 700))` by the table exponential, clamped below
    /// at exp(-700).
    fn exp_table_in_place(self, t: &mut [f64]);
    /// The AVX-512 token, on that path only (for the AVX-512-only kernels).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn avx512(self) -> Option<Avx512> {
        None
    }
}

/// Declares a kernel dispatched over the paths: `fn NAME(ARGS) -> RET =>
/// GENERIC` defines `fn NAME(isa: Isa, ARGS) -> RET`, which runs
/// `GENERIC(token, ARGS)` compiled for `isa`'s instruction sets (a path the
/// CPU lacks runs the scalar code; [`isa`] never returns one). `GENERIC` is
/// an `#[inline(always)]` function whose first parameter is a [`Simd`]
/// token. An optional `, max = Avx2` caps the path (for kernels that gain
/// nothing from AVX-512). Const generic parameters are allowed.
macro_rules! dispatch {
    (
        $(#[$meta:meta])*
        $vis:vis fn $name:ident $(<$(const $c:ident: $ct:ty),+>)? ($($arg:ident: $ty:ty),* $(,)?)
        $(-> $ret:ty)? => $generic:expr $(, max = $max:ident)?
    ) => {
        $(#[$meta])*
        #[allow(clippy::too_many_arguments)]
        $vis fn $name $(<$(const $c: $ct),+>)? (
            isa: $crate::simd::Isa,
            $($arg: $ty),*
        ) $(-> $ret)? {
            $(let isa = isa.at_most($crate::simd::Isa::$max);)?
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
                #[allow(clippy::too_many_arguments, dead_code)]
                fn avx512 $(<$(const $c: $ct),+>)? (
                    s: $crate::simd::Avx512,
                    $($arg: $ty),*
                ) $(-> $ret)? {
                    $generic(s, $($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                #[allow(clippy::too_many_arguments)]
                fn avx2 $(<$(const $c: $ct),+>)? (
                    s: $crate::simd::Avx2,
                    $($arg: $ty),*
                ) $(-> $ret)? {
                    $generic(s, $($arg),*)
                }
                if isa == $crate::simd::Isa::Avx512 {
                    if let Some(s) = $crate::simd::Avx512::new() {
                        // SAFETY: the token exists, so the CPU has every
                        // feature `avx512` is compiled with.
                        return unsafe { avx512 $(::<$($c),+>)? (s, $($arg),*) };
                    }
                }
                if isa >= $crate::simd::Isa::Avx2 {
                    if let Some(s) = $crate::simd::Avx2::new() {
                        // SAFETY: the token exists, so the CPU has every
                        // feature `avx2` is compiled with.
                        return unsafe { avx2 $(::<$($c),+>)? (s, $($arg),*) };
                    }
                }
            }
            $generic($crate::simd::Scalar, $($arg),*)
        }
    };
}
pub(crate) use dispatch;

/// Runs `f` on every path this CPU offers (scalar first) and checks that each
/// result has the bits of the scalar one; returns the scalar result.
#[cfg(test)]
pub(crate) fn assert_same_bits_on_every_path<T, F>(what: &str, f: F) -> T
where
    T: PartialEq + std::fmt::Debug + Bits,
    F: Fn(Isa) -> T,
{
    let want = f(Isa::Scalar);
    for isa in Isa::available().into_iter().skip(1) {
        let got = f(isa);
        assert!(
            got.bits() == want.bits(),
            "{what}: {isa} differs from scalar: {got:?} vs {want:?}"
        );
    }
    want
}

/// The bit patterns of a result (so NaN compares equal to itself).
#[cfg(test)]
pub(crate) trait Bits {
    /// Every f64 as its bits, other values as they are.
    fn bits(&self) -> Vec<u64>;
}

#[cfg(test)]
impl Bits for f64 {
    fn bits(&self) -> Vec<u64> {
        vec![self.to_bits()]
    }
}

#[cfg(test)]
impl Bits for Vec<f64> {
    fn bits(&self) -> Vec<u64> {
        self.iter().map(|v| v.to_bits()).collect()
    }
}

#[cfg(test)]
impl Bits for bool {
    fn bits(&self) -> Vec<u64> {
        vec![u64::from(*self)]
    }
}

#[cfg(test)]
impl Bits for Vec<u32> {
    fn bits(&self) -> Vec<u64> {
        self.iter().map(|&v| u64::from(v)).collect()
    }
}

#[cfg(test)]
impl<A: Bits, B: Bits> Bits for (A, B) {
    fn bits(&self) -> Vec<u64> {
        let mut v = self.0.bits();
        v.extend(self.1.bits());
        v
    }
}

#[cfg(test)]
impl Bits for usize {
    fn bits(&self) -> Vec<u64> {
        vec![*self as u64]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for isa in Isa::available() {
            assert_eq!(parse(isa.name()), Ok(isa));
        }
        assert_eq!(parse("auto"), Ok(Isa::best()));
        assert!(matches!(
            parse("sse9"),
            Err(NumlabError::UnknownName { name: ENV_VAR, .. })
        ));
        for isa in Isa::ALL.into_iter().filter(|i| !i.is_available()) {
            let e = parse(isa.name()).unwrap_err();
            let text = e.to_string();
            assert!(
                text.contains("NUMLAB_SIMD") && text.contains(isa.name()),
                "{text}"
            );
        }
    }

    #[test]
    fn tokens_exist_exactly_on_available_paths() {
        assert!(Isa::Scalar.is_available());
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(Avx2::new().is_some(), Isa::Avx2.is_available());
            assert_eq!(Avx512::new().is_some(), Isa::Avx512.is_available());
        }
    }

    /// The eight-lane group operations and the table exponential give the
    /// bits of the scalar token on every path.
    #[test]
    fn group_operations_agree() {
        let t: Vec<f64> = (0..1003)
            .map(|i| -745.0 * ((i as f64) / 1000.0).powi(3) + 0.5e-3 * (i % 7) as f64)
            .chain([800.0, -1e6, 0.0])
            .collect();
        assert_same_bits_on_every_path("exp_table_in_place", |isa| {
            let mut v = t.clone();
            exp_in_place(isa, &mut v);
            v
        });
        assert_same_bits_on_every_path("groups", |isa| groups(isa, &t));
    }

    #[inline(always)]
    fn exp_in_place_generic<S: Simd>(s: S, t: &mut [f64]) {
        s.exp_table_in_place(t);
    }
    dispatch!(fn exp_in_place(t: &mut [f64]) => exp_in_place_generic);

    #[inline(always)]
    fn groups_generic<S: Simd>(s: S, t: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; t.len() + 8];
        let (scale, cut) = (s.splat(-0.3), s.splat(2.0));
        for (o, c) in t.chunks_exact(8).enumerate() {
            let d = s.sub(s.load(c), s.splat(0.25));
            let k = s.within(s.mask(o % 3, 8 - o % 2), d, cut);
            let w = s.weight::<true>(d, scale);
            let f = s.fma_on(k, w, d, s.splat(1.5));
            let g = s.add_on(s.and(k, s.mask(1, 7)), f, w);
            s.store(&mut out[o..], g);
            out[o] += s.sum(g) + f64::from(u8::from(s.top(k)));
        }
        out
    }
    dispatch!(fn groups(t: &[f64]) -> Vec<f64> => groups_generic);
}
