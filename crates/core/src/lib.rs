//! numlab-core: the algorithms of numlab's six studies. No plotting, no file I/O.
//!
//! One module per topic, each with its fast paths and a `reference` submodule
//! holding the naive, obviously correct versions it is tested against.
//!
//! | module | holds |
//! |---|---|
//! | [`smoothing`] | Gaussian smoothing of y(x): uniform and irregular x, SciPy's edge modes, exact and O(n) methods, the questioner's call |
//! | [`spectrum`] | fftfreq/rfftfreq, transforms with cached plans, amplitude and phase spectra with stated scaling, windows, off-bin tones, exact rebuild and low-pass |
//! | [`density`] | 2-D histograms (NumPy's bins), Gaussian blur and box sums that are right at any zoom, kNN density (KD-tree), Gaussian KDE exact and fast, viridis |
//! | [`wave`] | staggered leapfrog for the 1-D wave system (and 2-D), initialisation, error norms, convergence studies, the questioner's scheme ported |
//! | [`xcorr`] | cross-correlation with SciPy's modes and lags, normalised coefficients, the delay between two recordings with sub-sample refinement, band-pass and GCC-PHAT |
//! | [`neuron`] | Hodgkin-Huxley neurons: integrators, exact binomial Poisson drive, spike detection, the COBAHH network |
//! | [`signals`] | seeded test signals shared by studies, tests and benchmarks; the skew-normal pdf |
//! | [`error`] | the crate's one error enum |
//!
//! Conventions: slices in, owned results out; costly set-up planned once
//! ([`smoothing::UniformPlan`]); bad input returns a [`NumlabError`] naming the
//! parameter and its value, never a panic; randomness from explicit seeds.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub(crate) mod alloc;
pub mod density;
pub mod error;
pub mod fastmath;
pub mod neuron;
pub mod signals;
pub mod simd;
pub mod smoothing;
pub mod spectrum;
pub mod threads;
pub mod wave;
pub mod xcorr;

pub use error::{NumlabError, Result};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
