//! Seeded test signals shared by the studies, the tests and the benchmarks.
//!
//! Every generator takes an explicit seed and uses ChaCha8, whose output is
//! fixed by its specification, so the same seed gives the same numbers on every
//! machine and every version of numlab.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{check, NumlabError, Result};

/// A ChaCha8 generator from a seed.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `n` values uniform in [low, high), like `numpy.random.uniform(low, high, n)`
/// (not the same stream as NumPy's).
///
/// # Errors
/// low or high not finite, or low >= high.
pub fn uniform(n: usize, low: f64, high: f64, seed: u64) -> Result<Vec<f64>> {
    check::finite("low", low)?;
    check::finite("high", high)?;
    if low >= high {
        return Err(NumlabError::invalid("high", high, "must be greater than low"));
    }
    let mut r = rng(seed);
    Ok((0..n).map(|_| low + (high - low) * r.random::<f64>()).collect())
}

/// `n` sorted values uniform in [low, high): irregular sample positions.
///
/// # Errors
/// As [`uniform`].
pub fn sorted_uniform(n: usize, low: f64, high: f64, seed: u64) -> Result<Vec<f64>> {
    let mut x = uniform(n, low, high, seed)?;
    x.sort_by(f64::total_cmp);
    Ok(x)
}

/// 0, 1, ..., n-1 as f64 (NumPy's `arange(n)`).
pub fn arange(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}
