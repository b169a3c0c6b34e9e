//! The one error type of numlab-core.
//!
//! Every fallible function of the crate returns [`Result<T>`]. Variants carry
//! the name of the offending parameter and its value, so a message reads on its
//! own: `invalid sigma = -1: must be finite and > 0`.

/// Errors returned by numlab-core. Marked `#[non_exhaustive]`: later studies add
/// variants, so match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NumlabError {
    /// An input sequence that must hold at least `min` values holds `len`.
    #[error("{name} is too short: {len} value(s), at least {min} needed")]
    TooShort {
        /// The parameter, e.g. `"y"`.
        name: &'static str,
        /// Its length.
        len: usize,
        /// The least length accepted.
        min: usize,
    },
    /// Two sequences that must have the same length do not.
    #[error("length mismatch: {a_name} has {a_len} value(s) but {b_name} has {b_len}")]
    LengthMismatch {
        /// First parameter name.
        a_name: &'static str,
        /// Its length.
        a_len: usize,
        /// Second parameter name.
        b_name: &'static str,
        /// Its length.
        b_len: usize,
    },
    /// A value that must be finite is NaN or infinite.
    #[error("{name}[{index}] = {value:?} is not finite")]
    NonFinite {
        /// The parameter, e.g. `"x"`.
        name: &'static str,
        /// The index of the first bad element.
        index: usize,
        /// The bad value.
        value: f64,
    },
    /// A sequence that must be sorted ascending is not.
    #[error("{name} must be sorted ascending, but {name}[{index}] = {value} < {name}[{prev_index}] = {prev}")]
    Unsorted {
        /// The parameter, e.g. `"x"`.
        name: &'static str,
        /// Index of the first element out of order.
        index: usize,
        /// Its value.
        value: f64,
        /// Index of the element before it.
        prev_index: usize,
        /// That element's value.
        prev: f64,
    },
    /// A scalar parameter outside its allowed range.
    #[error("invalid {name} = {value:?}: {expected}")]
    InvalidParameter {
        /// The parameter, e.g. `"sigma"`.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is allowed, e.g. `"must be finite and > 0"`.
        expected: &'static str,
    },
    /// A named option that is not one of the known names.
    #[error("unknown {name} '{value}': expected one of {expected}")]
    UnknownName {
        /// The option, e.g. `"mode"`.
        name: &'static str,
        /// The name given.
        value: String,
        /// The accepted names, e.g. `"reflect, mirror, nearest, wrap, constant, renormalize"`.
        expected: &'static str,
    },
    /// A count larger than what is available.
    #[error("{name} = {value} is too large: only {available} available ({what})")]
    TooLarge {
        /// The parameter, e.g. `"k"`.
        name: &'static str,
        /// The count given.
        value: usize,
        /// The most accepted.
        available: usize,
        /// What is being counted.
        what: &'static str,
    },
    /// A signal whose samples are all equal where the computation needs them
    /// to vary (a correlation coefficient, a correlation peak).
    #[error("{name} is constant (every sample is {value:?}): {why}")]
    Constant {
        name: &'static str,
        value: f64,
        why: &'static str,
    },
    /// A combination of options that cannot work together.
    #[error("{0}")]
    Unsupported(String),
}

/// `Result` with [`NumlabError`].
pub type Result<T> = std::result::Result<T, NumlabError>;

impl NumlabError {
    /// Shorthand for [`NumlabError::InvalidParameter`].
    pub(crate) fn invalid(name: &'static str, value: f64, expected: &'static str) -> Self {
        NumlabError::InvalidParameter {
            name,
            value,
            expected,
        }
    }
}

/// Checks shared by every module: lengths, finiteness, ranges.
pub(crate) mod check {
    use super::{NumlabError, Result};

    /// `values.len() >= min`.
    pub fn min_len(name: &'static str, values: &[f64], min: usize) -> Result<()> {
        if values.len() < min {
            return Err(NumlabError::TooShort {
                name,
                len: values.len(),
                min,
            });
        }
        Ok(())
    }

    /// Same length.
    pub fn same_len(
        a_name: &'static str,
        a: &[f64],
        b_name: &'static str,
        b: &[f64],
    ) -> Result<()> {
        if a.len() != b.len() {
            return Err(NumlabError::LengthMismatch {
                a_name,
                a_len: a.len(),
                b_name,
                b_len: b.len(),
            });
        }
        Ok(())
    }

    /// Every value finite.
    pub fn all_finite(name: &'static str, values: &[f64]) -> Result<()> {
        // v * 0 is NaN exactly when v is NaN or infinite. Summed in eight
        // independent lanes the test vectorises (a plain `position` scan
        // costs a compare and a branch per value); the first offending
        // index is only looked for when there is one.
        let mut lanes = [0.0f64; 8];
        let mut blocks = values.chunks_exact(8);
        for block in &mut blocks {
            for (l, v) in lanes.iter_mut().zip(block) {
                *l += v * 0.0;
            }
        }
        let tail = blocks.remainder().iter().fold(0.0, |acc, v| acc + v * 0.0);
        if lanes.iter().sum::<f64>() + tail == 0.0 {
            return Ok(());
        }
        match values.iter().position(|v| !v.is_finite()) {
            Some(index) => Err(NumlabError::NonFinite {
                name,
                index,
                value: values[index],
            }),
            None => Ok(()),
        }
    }

    /// Sorted ascending (ties allowed). NaN must have been rejected before.
    pub fn sorted(name: &'static str, values: &[f64]) -> Result<()> {
        for i in 1..values.len() {
            if values[i] < values[i - 1] {
                return Err(NumlabError::Unsorted {
                    name,
                    index: i,
                    value: values[i],
                    prev_index: i - 1,
                    prev: values[i - 1],
                });
            }
        }
        Ok(())
    }

    /// Finite and strictly positive.
    pub fn positive(name: &'static str, value: f64) -> Result<()> {
        if !(value.is_finite() && value > 0.0) {
            return Err(NumlabError::invalid(name, value, "must be finite and > 0"));
        }
        Ok(())
    }

    /// Finite.
    pub fn finite(name: &'static str, value: f64) -> Result<()> {
        if !value.is_finite() {
            return Err(NumlabError::invalid(name, value, "must be finite"));
        }
        Ok(())
    }
}
