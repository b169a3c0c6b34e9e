//! numlab-core: the algorithms of numlab's six studies. No plotting, no file I/O.
//!
//! One module per topic, each with its fast paths and a `reference` submodule
//! holding the naive, obviously correct versions it is tested against.
//!
//! | module | holds |
//! |---|---|
//! | [`smoothing`] | Gaussian smoothing of y(x): uniform and irregular x, SciPy's edge modes, exact and O(n) methods, the questioner's call |
//! | [`signals`] | seeded test signals shared by studies, tests and benchmarks |
//! | [`error`] | the crate's one error enum |
//!
//! Conventions: slices in, owned results out; costly set-up planned once
//! ([`smoothing::UniformPlan`]); bad input returns a [`NumlabError`] naming the
//! parameter and its value, never a panic; randomness from explicit seeds.

pub mod error;
pub mod fastmath;
pub mod parallel;
pub mod signals;
pub mod smoothing;

pub use error::{NumlabError, Result};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
