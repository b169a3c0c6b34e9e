"""Writes notebooks/02-fft-amplitude.ipynb (cells without outputs).

The notebook is kept as this list of cells so its text reviews as a diff;
run `python3 scripts/notebook-src/make_02.py` after editing.
"""
from nbwrite import write

CELLS = [
    ("md", """# 02 · The amplitude of an FFT, and rebuilding a skew-normal pulse

**The question.** A user samples an asymmetric Gaussian (a skew-normal density) on t = 0..10 s with
N = 4096 points, takes `numpy.fft.fft`, and rebuilds the signal as a sum of complex exponentials, one per
frequency. The rebuild has the right shape but the wrong height, and they only got it "somewhat right" by
multiplying by a number found by hand. What they really want to know: **how many frequencies are needed to
reproduce the signal**, and what their amplitudes are.

This notebook ports their code, shows what each factor in it does, states the scaling conventions, rebuilds
the pulse exactly, low-passes it, measures the error against the number of frequencies kept, and finds a
second, smaller mistake in their time grid. The computations live in the `numlab-studies` and
`numlab-core` crates; the cells only call them."""),
    ("code", """:dep numlab-studies = { path = "../crates/studies" }"""),
    ("md", """`numlab-studies` re-exports `numlab_core` (the algorithms) and `numlab_plot` (the figures), so one
`:dep` loads all three at the versions the workspace locks."""),
    ("code", """use numlab_studies::numlab_core::spectrum::{amplitude_spectrum, estimate_tone, LowPass, RealDft, Spectrum, SpectrumOptions, Tone, Window};
use numlab_studies::spectrum::{Pulse, Rebuild, RebuildError, Spectra, TimeGrid, N};"""),
    ("md", """## Their code, ported

Their script: `t = np.linspace(0, 10, 4096)`, `dt = (t1 - t0)/N`, the pulse `skewnorm.pdf(t, a=0, loc=t[N/2])`.
Then

    data_fft = fft(data) * np.pi           # × π
    amp = 2/N * np.abs(data_fft)           # × 2/N
    rebuild += amp[i] * df * exp(i(2π freq[i] t + phase[i]))   # × df, over every fftfreq bin

`Rebuild::run` ports that (`reference::questioner_rebuild`) and compares it with the forum answer's sum,
|X_k|/N over every bin and nothing else."""),
    ("code", """let pulse: Pulse = Pulse::symmetric()?;
let rebuild: Rebuild = Rebuild::run(pulse.clone())?;
rebuild"""),
    ("code", """rebuild.figure()"""),
    ("md", """## What the factors do

The inverse DFT is `x_j = (1/N) Σ_k X_k e^{2πi jk/N}`: summed over **all** N bins, the amplitude of each term is
|X_k|/N and nothing else. Their three factors multiply that by π · 2 · df, and their df is
`freq[1] - freq[0] = 1/(N·dt) = 1/T = 0.1 Hz`:"""),
    ("code", """let df: f64 = 1.0 / (N as f64 * pulse.dt);
println!("df = {df} Hz;  π × 2 × df = {}", std::f64::consts::PI * 2.0 * df);
println!("measured: their rebuild = {:.10} × the right one", rebuild.measured_ratio);"""),
    ("md", """So their rebuild is 0.628 times the signal, and the factor changes with the length of the window
(df = 1/T). The 0.16 they found by hand stands in place of df: π × 2 × 0.16 = 1.0053, a rebuild 0.53 %
too high, with a residual shaped like the pulse and proportional to its height whatever T, which is what
they describe. The value that cancels their π and 2 exactly is 1/(2π) = 0.159.

Each factor has a story. π has none. `df` turns a sum into an integral: `|X_k|·dt` estimates the continuous
Fourier transform and `Σ … df` integrates it back, but then the `dt` must be there too (dt · df = 1/N).
The 2 belongs to the **one-sided** spectrum: for a real signal X_{N-k} = conj(X_k), so the pair ±f_k makes
one cosine of amplitude 2|X_k|/N. Summed over both signs of frequency, as they do, the 2 doubles the signal.
DC and (for even N) Nyquist are single bins and are never doubled.

## The amplitude spectrum, with its scaling named

`amplitude_spectrum(x, dt)` returns the one-sided spectrum: 2|X_k|/N for 0 < f < fs/2 and |X_k|/N at DC and
Nyquist, so a cosine `A cos(2πft + φ)` on a bin reads A and φ. `SpectrumOptions` gives the two-sided |X_k|/N,
the continuous-transform density |X_k|·dt, and windows. The spectrum of a Gaussian is a Gaussian: it falls
as exp(−2π²f²σ²) and is gone into a floor by 1 Hz; the skewed pulse's falls more slowly."""),
    ("code", """let skewed: Pulse = Pulse::skewed()?;
let spectra: Spectra = Spectra::run(&[&pulse, &skewed])?;
spectra"""),
    ("code", """spectra.figure()"""),
    ("md", """## A tone between bins

A sinusoid whose frequency falls between two bins leaks into both, and the largest bin under-reads it (by up
to 36 % without a window). A flat-top window keeps the error under 0.11 %; `estimate_tone` fits the exact
Hann-window response to the two bins around the peak and recovers frequency, amplitude and phase to about
1e-12. Here 3 cos(2π · 50.3 t + 0.5), sampled at 1 kHz for 1 s (1 Hz bins):"""),
    ("code", """let tone: Vec<f64> = (0..1000).map(|j| 3.0 * (2.0 * std::f64::consts::PI * 50.3 * j as f64 * 1e-3 + 0.5).cos()).collect();
let plain: Spectrum = amplitude_spectrum(&tone, 1e-3)?;
let flat: Spectrum = SpectrumOptions::new(1e-3)?.with_window(Window::FlatTop).compute(&tone)?;
let est: Tone = estimate_tone(&tone, 1e-3)?;
println!("largest bin, no window:  {:.6}", plain.amplitude.iter().cloned().fold(0.0, f64::max));
println!("largest bin, flat-top:   {:.6}", flat.amplitude.iter().cloned().fold(0.0, f64::max));
println!("estimate_tone:           {est}");"""),
    ("md", """## How many frequencies?

Their real question. Keep the K coefficients of largest |X_k| (each a ±f pair; K = 1 is the mean), zero the
rest, and invert exactly. The forum answer's threshold on |X_k| keeps the same kind of set: for a smooth
pulse it is always a compact range of the lowest frequencies, an ideal low-pass. The error falls like the
spectrum, then meets a floor near 1e-7: the pulse is cut at the ends of the window, where it is still
1.5e-6, and the FFT sees the kinks of its periodic extension."""),
    ("code", """let errors: RebuildError = RebuildError::run(&[&pulse, &skewed])?;
errors"""),
    ("code", """errors.figure()"""),
    ("md", """By hand, with `RealDft`: the transform, the top 16 coefficients, the exact inverse (N samples, odd N
included)."""),
    ("code", """let dft: RealDft = RealDft::new(&pulse.data, pulse.dt)?;
let low: LowPass = dft.keep_top(16)?;
let rebuilt: Vec<f64> = low.rebuild();
let worst: f64 = rebuilt.iter().zip(&pulse.data).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
println!("kept bins {:?}", low.kept);
println!("max |rebuild - signal| = {worst:.2e} with {} of {} coefficients", low.kept.len(), dft.len());"""),
    ("md", """## The time grid

One more thing in their script: `np.linspace(0, 10, 4096)` includes both ends, so its step is T/(N−1), while
`dt = (t1 - t0)/N` is T/N. The frequencies then belong to a different grid than the samples, and the sum of
cosines evaluated at their t drifts off by up to 4e-4 (half a sample at the centre). Sampling at j·T/N, or
using `dt = t[1] - t[0]`, brings it down to rounding."""),
    ("code", """let grid: TimeGrid = TimeGrid::run(0.0)?;
grid"""),
    ("code", """grid.figure()"""),
    ("md", """## On your own data

    numlab spectrum data.csv --column volts --rate 1000 --window hann --output spectrum.csv
    numlab lowpass data.csv --column volts --keep 16 --output rebuilt.csv

The first writes `frequency,amplitude,phase` (Hz, signal units, radians) with the one-sided scaling above;
the second writes `index,original,rebuilt`. `numlab bench rfft-2p20 rfft-1e6 amplitude-spectrum-1e6` and
`scripts/bench-peers` time the transforms against NumPy, side by side."""),
]


write(CELLS, "02-fft-amplitude.ipynb")
