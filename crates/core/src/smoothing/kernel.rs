//! The sampled Gaussian kernel and the extension of a signal past its ends.

use crate::error::{check, num, sig3, NumlabError, Result};

/// The largest kernel radius, in samples (2^26: a kernel of 1 GiB).
pub const MAX_RADIUS: usize = 1 << 26;

/// How far the kernel reaches, in units of sigma or as a fraction of its peak.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Cutoff {
    /// Keep offsets with |d| <= truncate * sigma (SciPy's `truncate`). On a
    /// uniform grid the radius is `int(truncate * sigma / dx + 0.5)` samples,
    /// exactly as `scipy.ndimage.gaussian_filter1d` rounds it.
    Truncate(f64),
    /// Keep kernel values >= reach * peak, i.e. |d| <= sigma * sqrt(-2 ln reach)
    /// (the questioner's `reachPercentage`, a fraction in (0, 1)).
    Reach(f64),
}

impl Default for Cutoff {
    fn default() -> Self {
        Cutoff::Truncate(4.0)
    }
}

impl Cutoff {
    /// Checks the value: truncate finite and > 0, reach in the open interval (0, 1).
    pub fn validate(self) -> Result<Self> {
        match self {
            Cutoff::Truncate(t) => {
                if !(t.is_finite() && t > 0.0) {
                    return Err(NumlabError::invalid(
                        "truncate",
                        t,
                        "must be finite and > 0 (in sigmas)",
                    ));
                }
            }
            Cutoff::Reach(r) => {
                if !(r > 0.0 && r < 1.0) {
                    return Err(NumlabError::invalid(
                        "reach",
                        r,
                        "must lie strictly between 0 and 1 (a fraction of the kernel's peak)",
                    ));
                }
            }
        }
        Ok(self)
    }

    /// The cut-off distance in the units of `sigma`.
    pub fn distance(self, sigma: f64) -> f64 {
        match self {
            Cutoff::Truncate(t) => t * sigma,
            Cutoff::Reach(r) => sigma * (-2.0 * r.ln()).sqrt(),
        }
    }

    /// The radius in samples on a uniform grid, for sigma in samples.
    ///
    /// `Truncate`: `int(truncate * sigma + 0.5)` (SciPy). `Reach`: the largest
    /// integer k with exp(-k^2 / (2 sigma^2)) >= reach.
    ///
    /// # Errors
    /// A radius beyond 2^26 samples: on `truncate` when sigma would fit
    /// at the default truncate of 4 ([`NumlabError::AboveLimit`], with the
    /// largest truncate that fits), else on `sigma`.
    pub fn radius(self, sigma_samples: f64) -> Result<usize> {
        let r = match self {
            Cutoff::Truncate(t) => (t * sigma_samples + 0.5).floor(),
            Cutoff::Reach(_) => self.distance(sigma_samples).floor(),
        };
        if !(r.is_finite() && r <= MAX_RADIUS as f64) {
            if let Cutoff::Truncate(t) = self {
                if 4.0 * sigma_samples + 0.5 <= MAX_RADIUS as f64 {
                    return Err(NumlabError::above(
                        "truncate",
                        num(t),
                        format!(
                            "{} sigmas at sigma = {} samples",
                            sig3((MAX_RADIUS as f64 - 0.5) / sigma_samples),
                            num(sigma_samples)
                        ),
                        "the kernel's radius, truncate x sigma, is at most 2^26 samples; a kernel that wide averages the whole signal",
                    ));
                }
            }
            return Err(NumlabError::invalid(
                "sigma",
                sigma_samples,
                "(in samples) gives a kernel radius beyond 2^26 samples; a kernel that wide averages the whole signal: use a smaller sigma",
            ));
        }
        Ok(r as usize)
    }
}

/// Edge handling on a uniform grid: how the signal continues past its ends.
///
/// The first five are `scipy.ndimage`'s modes, with SciPy's meaning for any
/// radius, also a radius longer than the signal:
///
/// ```text
/// reflect      d c b a | a b c d | d c b a     (half-sample symmetric; SciPy's default)
/// mirror         d c b | a b c d | c b a       (whole-sample symmetric)
/// nearest      a a a a | a b c d | d d d d
/// wrap         a b c d | a b c d | a b c d
/// constant     k k k k | a b c d | k k k k     (k = cval)
/// renormalize          | a b c d |             (kernel cut at the ends and renormalised)
/// ```
///
/// `Renormalize` is the Nadaraya-Watson estimate with the truncated kernel:
/// near an end the weights that fall outside are dropped and the rest are
/// divided by their sum. It is what the questioner's code does, and what
/// [`nadaraya_watson`](super::nadaraya_watson) does on irregular x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeMode {
    /// Half-sample symmetric extension (SciPy's default).
    #[default]
    Reflect,
    /// Whole-sample symmetric extension.
    Mirror,
    /// Repeat the end values.
    Nearest,
    /// Periodic extension.
    Wrap,
    /// Fill with a constant (`cval`, 0 by default).
    Constant,
    /// No extension; the kernel is cut at the ends and renormalised.
    Renormalize,
}

impl EdgeMode {
    /// Every mode, in documentation order.
    pub const ALL: [EdgeMode; 6] = [
        EdgeMode::Reflect,
        EdgeMode::Mirror,
        EdgeMode::Nearest,
        EdgeMode::Wrap,
        EdgeMode::Constant,
        EdgeMode::Renormalize,
    ];
    /// The SciPy modes (those `gaussian_filter1d` accepts).
    pub const SCIPY: [EdgeMode; 5] = [
        EdgeMode::Reflect,
        EdgeMode::Mirror,
        EdgeMode::Nearest,
        EdgeMode::Wrap,
        EdgeMode::Constant,
    ];

    /// The lowercase name, as SciPy spells it.
    pub fn name(self) -> &'static str {
        match self {
            EdgeMode::Reflect => "reflect",
            EdgeMode::Mirror => "mirror",
            EdgeMode::Nearest => "nearest",
            EdgeMode::Wrap => "wrap",
            EdgeMode::Constant => "constant",
            EdgeMode::Renormalize => "renormalize",
        }
    }
}

impl std::fmt::Display for EdgeMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for EdgeMode {
    type Err = NumlabError;
    /// Parses SciPy's names (and `grid-wrap`, `grid-mirror`, `grid-constant`,
    /// SciPy's aliases that mean the same for a 1-D filter).
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "reflect" | "grid-mirror" => EdgeMode::Reflect,
            "mirror" => EdgeMode::Mirror,
            "nearest" => EdgeMode::Nearest,
            "wrap" | "grid-wrap" => EdgeMode::Wrap,
            "constant" | "grid-constant" => EdgeMode::Constant,
            "renormalize" | "renormalise" => EdgeMode::Renormalize,
            _ => {
                return Err(NumlabError::UnknownName {
                    name: "mode",
                    value: s.to_string(),
                    expected: "reflect, mirror, nearest, wrap, constant, renormalize",
                })
            }
        })
    }
}

/// Where sample `j` (any integer) of the extended signal comes from, for a
/// signal of length `n >= 1`: `Some(index)` into the signal, or `None` for the
/// constant fill (and for `Renormalize`, where nothing lies outside).
pub fn source_index(j: isize, n: usize, mode: EdgeMode) -> Option<usize> {
    let ni = n as isize;
    if (0..ni).contains(&j) {
        return Some(j as usize);
    }
    match mode {
        EdgeMode::Nearest => Some(if j < 0 { 0 } else { n - 1 }),
        EdgeMode::Wrap => Some(j.rem_euclid(ni) as usize),
        EdgeMode::Reflect => {
            let p = j.rem_euclid(2 * ni);
            Some(if p < ni { p } else { 2 * ni - 1 - p } as usize)
        }
        EdgeMode::Mirror => {
            if n == 1 {
                return Some(0);
            }
            let period = 2 * ni - 2;
            let p = j.rem_euclid(period);
            Some(if p < ni { p } else { period - p } as usize)
        }
        EdgeMode::Constant | EdgeMode::Renormalize => None,
    }
}

/// The signal extended by `left` samples before and `right` after, following
/// `mode` (`fill` where nothing is copied: cval, or 0 for `Renormalize`).
pub fn extend(y: &[f64], mode: EdgeMode, fill: f64, left: usize, right: usize) -> Vec<f64> {
    let n = y.len();
    let mut ext = Vec::with_capacity(n + left + right);
    ext.extend((0..left).map(|t| {
        let j = t as isize - left as isize;
        source_index(j, n, mode).map_or(fill, |s| y[s])
    }));
    ext.extend_from_slice(y);
    ext.extend((0..right).map(|t| {
        let j = (n + t) as isize;
        source_index(j, n, mode).map_or(fill, |s| y[s])
    }));
    ext
}

/// A Gaussian kernel sampled at integer offsets `-left ..= right` (samples),
/// normalised to sum 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    /// Sigma in samples.
    pub sigma: f64,
    /// Offsets reach this far to the left (samples).
    pub left: usize,
    /// Offsets reach this far to the right (samples).
    pub right: usize,
    /// `weights[j]` is the weight of offset `j - left`; they sum to 1.
    pub weights: Vec<f64>,
    /// The sum of the unnormalised values exp(-k^2 / (2 sigma^2)).
    pub raw_sum: f64,
}

impl Kernel {
    /// The symmetric kernel of radius `radius` samples.
    pub fn symmetric(sigma: f64, radius: usize) -> Result<Self> {
        Self::window(sigma, radius, radius)
    }

    /// A kernel over offsets `-left ..= right` (samples).
    pub fn window(sigma: f64, left: usize, right: usize) -> Result<Self> {
        check::positive("sigma", sigma)?;
        let len = left
            .checked_add(right)
            .and_then(|v| v.checked_add(1))
            .ok_or_else(|| NumlabError::invalid("sigma", sigma, "gives a kernel too long"))?;
        let mut weights: Vec<f64> = (0..len)
            .map(|j| {
                let k = j as f64 - left as f64;
                (-0.5 * (k / sigma) * (k / sigma)).exp()
            })
            .collect();
        let raw_sum: f64 = weights.iter().sum();
        for w in &mut weights {
            *w /= raw_sum;
        }
        Ok(Kernel {
            sigma,
            left,
            right,
            weights,
            raw_sum,
        })
    }

    /// The number of taps, `left + right + 1`.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Never true: a kernel holds at least its centre tap.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// True when `left == right` (the weights are then symmetric).
    pub fn is_symmetric(&self) -> bool {
        self.left == self.right
    }
}
