//! Spectral windows, periodic (DFT-even) as `scipy.signal.get_window` makes
//! them by default, and their coherent gain.

use crate::error::{NumlabError, Result};

/// A window applied to the samples before the transform.
///
/// All are sums of cosines, periodic (`sym=False` in SciPy):
///
/// ```text
/// w_n = Σ_j (-1)^j a_j cos(2π j n / N),   n = 0..N-1
/// ```
///
/// | window | a_0, a_1, ... | coherent gain (large N) | worst on-grid amplitude loss of a tone between bins |
/// |---|---|---|---|
/// | `Rectangular` | 1 | 1 | 36 % |
/// | `Hann` | 0.5, 0.5 | 0.5 | 15 % |
/// | `Hamming` | 0.54, 0.46 | 0.54 | 18 % |
/// | `Blackman` | 0.42, 0.5, 0.08 | 0.42 | 11 % |
/// | `FlatTop` | SciPy's `flattop`: 0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368 | 0.2156 | 0.11 % |
///
/// Amplitudes are divided by the coherent gain (the mean of w), so an on-bin
/// sinusoid reads its amplitude whatever the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    /// No window (all ones).
    #[default]
    Rectangular,
    /// Hann (raised cosine).
    Hann,
    /// Hamming.
    Hamming,
    /// Blackman.
    Blackman,
    /// Flat-top (SciPy's coefficients): amplitudes of tones between bins read
    /// within 0.11 %.
    FlatTop,
}

impl Window {
    /// Every window, in documentation order.
    pub const ALL: [Window; 5] = [
        Window::Rectangular,
        Window::Hann,
        Window::Hamming,
        Window::Blackman,
        Window::FlatTop,
    ];

    /// The lowercase name (`flattop` for [`Window::FlatTop`]).
    pub fn name(self) -> &'static str {
        match self {
            Window::Rectangular => "rectangular",
            Window::Hann => "hann",
            Window::Hamming => "hamming",
            Window::Blackman => "blackman",
            Window::FlatTop => "flattop",
        }
    }

    /// The cosine-sum coefficients a_j.
    pub fn coefficients(self) -> &'static [f64] {
        match self {
            Window::Rectangular => &[1.0],
            Window::Hann => &[0.5, 0.5],
            Window::Hamming => &[0.54, 0.46],
            Window::Blackman => &[0.42, 0.5, 0.08],
            Window::FlatTop => &[
                0.21557895,
                0.41663158,
                0.277263158,
                0.083578947,
                0.006947368,
            ],
        }
    }

    /// The n window values (periodic form). A single sample gets `[1.0]`,
    /// as `scipy.signal.get_window(name, 1)` returns for every window.
    pub fn values(self, n: usize) -> Vec<f64> {
        if n == 1 {
            return vec![1.0];
        }
        let a = self.coefficients();
        (0..n)
            .map(|i| {
                let mut w = 0.0;
                for (j, &aj) in a.iter().enumerate() {
                    // (j i) mod n keeps the argument in [0, 2π) exactly.
                    let phase = ((j * i) % n.max(1)) as f64 / n as f64;
                    let c = (2.0 * std::f64::consts::PI * phase).cos();
                    w += if j % 2 == 0 { aj * c } else { -aj * c };
                }
                w
            })
            .collect()
    }

    /// The coherent gain of n samples: mean(w), the factor by which the window
    /// scales an on-bin sinusoid's DFT coefficient.
    pub fn coherent_gain(self, n: usize) -> f64 {
        if n == 0 {
            return 1.0;
        }
        self.values(n).iter().sum::<f64>() / n as f64
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Window {
    type Err = NumlabError;
    fn from_str(s: &str) -> Result<Self> {
        let key = s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
        let found = match key.as_str() {
            "rectangular" | "boxcar" | "rect" | "none" => Some(Window::Rectangular),
            "hann" | "hanning" => Some(Window::Hann),
            "hamming" => Some(Window::Hamming),
            "blackman" => Some(Window::Blackman),
            "flattop" => Some(Window::FlatTop),
            _ => None,
        };
        found.ok_or_else(|| NumlabError::UnknownName {
            name: "window",
            value: s.to_string(),
            expected: "rectangular (boxcar), hann, hamming, blackman, flattop",
        })
    }
}
