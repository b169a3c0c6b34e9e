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
//!
//! ## Arrays
//!
//! 2-D data is [`ndarray`] (re-exported, so one dependency brings a matching
//! version): grids go in as [`ArrayView2<f64>`](ndarray::ArrayView2) (any
//! layout, a transposed or strided view included) and come out as
//! [`Array2<f64>`](ndarray::Array2) of shape `(rows, cols)`, as NumPy has
//! them. 1-D inputs stay `&[f64]`, as SciPy takes any array: an `Array1` or a
//! standard-layout `ArrayView1` passes as `.as_slice().unwrap()`.
//!
//! ```
//! use numlab_core::ndarray::{s, Array1, Array2};
//! use numlab_core::density::gaussian_filter2d;
//! use numlab_core::smoothing::{gaussian_filter1d, EdgeMode};
//!
//! // 1-D: an Array1 is a slice.
//! let x = Array1::<f64>::linspace(0.0, 1.0, 101);
//! let y = x.mapv(|v| (6.0 * v).sin());
//! let smooth = gaussian_filter1d(y.as_slice().unwrap(), 2.0, EdgeMode::Reflect, 0.0, 4.0)?;
//! assert_eq!(smooth.len(), 101);
//!
//! // 2-D: a (rows, cols) array in, a (rows, cols) array out.
//! let mut img = Array2::<f64>::zeros((40, 60));
//! img[[20, 30]] = 1.0;
//! let blurred = gaussian_filter2d(img.view(), 2.0, 4.0, EdgeMode::Reflect, 0.0)?;
//! assert_eq!(blurred.dim(), (40, 60));
//! assert!((blurred.sum() - 1.0).abs() < 1e-12);
//! let centre_row = blurred.slice(s![20, ..]);
//! assert_eq!(centre_row.len(), 60);
//! # Ok::<(), numlab_core::NumlabError>(())
//! ```

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
pub use ndarray;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
