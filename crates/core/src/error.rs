//! The one error type of numlab-core.
//!
//! Every fallible function of the crate returns [`Result<T>`]. Variants carry
//! the name of the offending parameter and its value, so a message reads on its
//! own: `invalid sigma = -1: must be finite and > 0`. Sizes, counts and costs
//! beyond a documented limit are [`NumlabError::AboveLimit`] (`excitatory =
//! 1000000000000000000: at most 10000000 sources (...)`), refused before any
//! work; [`NumlabError::for_option`] puts the command-line option in front.

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
        /// The signal, e.g. `"a"`.
        name: &'static str,
        /// Its one value.
        value: f64,
        /// Why that cannot be, e.g. what needs the signal to vary.
        why: &'static str,
    },
    /// A combination of options that cannot work together.
    #[error("{0}")]
    Unsupported(String),
    /// A size, count or cost above a documented limit. Refused before
    /// anything is allocated or computed, or, for what only a run can tell
    /// (spikes recorded, a current that drives the model out of range), as
    /// soon as the limit is crossed.
    #[error("{name} = {value}: at most {limit} ({why})")]
    AboveLimit {
        /// The parameter, e.g. `"excitatory"`.
        name: &'static str,
        /// The value given, as written, e.g. `"1000000000000000000"`.
        value: String,
        /// The limit with its unit, e.g. `"10000000 sources"`.
        limit: String,
        /// What the limit protects or why the value crosses it.
        why: String,
    },
    /// A parameter whose value the computation cannot take, with the numbers
    /// that say why: a value below what a work limit allows, or the input
    /// that drove a run out of the range where its model holds.
    #[error("{name} = {value}: {why}")]
    OutOfRange {
        /// The parameter to blame, e.g. `"cfl"` or `"excitatory"`.
        name: &'static str,
        /// Its value, as written.
        value: String,
        /// What it crosses, with the numbers.
        why: String,
    },
    /// A code path forced by an environment variable (`NUMLAB_SIMD`) that
    /// this CPU lacks ([`crate::simd`]).
    #[error("{variable}={value}: this CPU does not offer that path (it needs {features}); it offers {offered}")]
    SimdUnavailable {
        /// The variable, `"NUMLAB_SIMD"`.
        variable: &'static str,
        /// The path asked for, e.g. `"avx512"`.
        value: &'static str,
        /// The CPU features that path needs.
        features: &'static str,
        /// The paths this CPU offers, e.g. `"scalar, avx2"`.
        offered: String,
    },
}

/// `Result` with [`NumlabError`].
pub type Result<T> = std::result::Result<T, NumlabError>;

impl NumlabError {
    /// The parameter the error names, if it names one.
    pub fn parameter(&self) -> Option<&'static str> {
        match self {
            NumlabError::TooShort { name, .. }
            | NumlabError::NonFinite { name, .. }
            | NumlabError::Unsorted { name, .. }
            | NumlabError::InvalidParameter { name, .. }
            | NumlabError::UnknownName { name, .. }
            | NumlabError::TooLarge { name, .. }
            | NumlabError::Constant { name, .. }
            | NumlabError::AboveLimit { name, .. }
            | NumlabError::OutOfRange { name, .. } => Some(name),
            NumlabError::LengthMismatch { a_name, .. } => Some(a_name),
            NumlabError::SimdUnavailable { variable, .. } => Some(variable),
            NumlabError::Unsupported(_) => None,
        }
    }

    /// The message led by the command-line option that set the parameter,
    /// on one line: `--excitatory 1000000000000000000: at most 10000000
    /// sources (...)` for a limit, `--dt: invalid dt = 0: ...` otherwise.
    pub fn for_option(&self, option: &str) -> String {
        match self {
            NumlabError::AboveLimit {
                value, limit, why, ..
            } => format!("{option} {value}: at most {limit} ({why})"),
            NumlabError::OutOfRange { value, why, .. } => format!("{option} {value}: {why}"),
            e => format!("{option}: {e}"),
        }
    }

    /// Shorthand for [`NumlabError::AboveLimit`].
    pub(crate) fn above(
        name: &'static str,
        value: impl std::fmt::Display,
        limit: impl std::fmt::Display,
        why: impl Into<String>,
    ) -> Self {
        NumlabError::AboveLimit {
            name,
            value: value.to_string(),
            limit: limit.to_string(),
            why: why.into(),
        }
    }

    /// Shorthand for [`NumlabError::InvalidParameter`].
    pub(crate) fn invalid(name: &'static str, value: f64, expected: &'static str) -> Self {
        NumlabError::InvalidParameter {
            name,
            value,
            expected,
        }
    }
}

/// A number for a message, shortest: whole numbers below 1e9 as integers
/// (`10000000`), larger whole numbers with an exponent (`1e12`, `2.5e10`),
/// others as Rust prints them (`0.01`, `1e300`, `1e-308`).
pub(crate) fn num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 {
        if v.abs() < 1e9 {
            format!("{v:.0}")
        } else {
            format!("{v:e}")
        }
    } else {
        format!("{v:?}")
    }
}

/// A number to three significant digits, for limits derived from others
/// (`1.3e-8`, `2890`).
pub(crate) fn sig3(v: f64) -> String {
    match format!("{v:.2e}").parse::<f64>() {
        Ok(r) => num(r),
        Err(_) => num(v),
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
