"""Writes notebooks/01-gaussian-smoothing.ipynb (cells without outputs).

The notebook is kept as this list of cells so its text reviews as a diff;
run `python3 scripts/notebook-src/make_01.py` after editing.
"""
from nbwrite import write

CELLS = [
    ("md", """# 01 · Gaussian smoothing of XY data, fast and right

**The question.** A user smooths 1,000 to 10,000 points with a hand-written Gaussian kernel loop.
It takes about 8 seconds for 1,000 points and more than 10 minutes for 10,000. They ask for a
function that *takes the same arguments* (a reach percentage, sigma, and the Gaussian's phi and
amplitude) and runs faster.

This notebook follows their code to the reason it is slow, gives the call with the same arguments and
the same output, and then does what a careful SciPy user would want: the right regression on
irregular x, the edge modes, and methods whose cost does not depend on sigma. The computations live
in the `numlab-studies` and `numlab-core` crates; the cells only call them.

Times in this notebook are measured when it runs: the committed outputs show the times of the machine
that last ran it (those cells carry the tag `timing`); every other output is the same on any machine."""),
    ("code", """:dep numlab-studies = { path = "../crates/studies" }
:dep ndarray-npy = { version = "0.10", default-features = false }"""),
    ("md", """`numlab-studies` re-exports `numlab_core` (the algorithms) and `numlab_plot` (the figures), so one
`:dep` loads all three at the versions the workspace locks. The second `:dep`, ndarray-npy, saves
arrays as NumPy `.npy` files (near the end). It is locked without default
features (no `.npz`, no zip), as a project's `Cargo.toml` would have it: `ndarray-npy = { version =
"0.10", default-features = false }`. It is loaded here rather than where it is used because a crate
added later makes evcxr rebuild the crates whose features it changes, and the variables of their
types are lost."""),
    ("code", """use numlab_studies::numlab_core::signals;
use numlab_studies::numlab_core::smoothing::{gaussian_flatten, nadaraya_watson, reference, Cutoff};
use numlab_studies::smoothing::*;
use numlab_studies::timing;"""),
    ("md", """## Their approach, ported

Their first script: `x = 0..999`, `y` uniform in [-4, 4], `sigma = 10`, `reachPercentage = 0.1`,
`phi = 0`, `amplitude = 1`. For **each** point it

1. computes the distance `edge = sigma·sqrt(-2 ln reach)` where the kernel falls to `reach` of its peak
   (`amplitude·cos(phi)` cancels here, unless it is 0: then the formula divides 0 by 0);
2. scans **all** of x for the value closest to `x_i + edge`, then scans again for that value's index,
   and the same for `x_i - edge`;
3. fills a kernel over the window, normalises it and sums.

Step 2 is O(n) per point, so the whole is O(n²) before any arithmetic, and in Python every step of
every scan is an interpreted loop iteration: that is where the 8 seconds go. `reference::seed_loop` is
a faithful Rust port of that loop version; Rust removes the interpreter's constant, not the n²."""),
    ("code", """let first: Scenario = Scenario::first()?;
let started = std::time::Instant::now();
let theirs: Vec<f64> = reference::seed_loop(&first.x, &first.y, first.reach, first.sigma, first.phi, first.amplitude);
let t_loop: f64 = started.elapsed().as_secs_f64();
println!("their loop version, ported to Rust, n = {}: {}", first.x.len(), timing::human(t_loop));"""),
    ("md", """## The same call, fast

`gaussian_flatten(x, y, reach, sigma, phi, amplitude)` takes their arguments and returns their output.
It finds the window ends with two pointers that walk x once, and sends each run of points whose windows
have the same shape (all the interior of a uniform grid) through a planned convolution. The table
compares it with their improved version (the forum's fix, also ported) on the same data."""),
    ("code", """let cmp: Comparison = Comparison::run(Scenario::first()?)?;
println!("max |ours - their loop version| = {:.1e}", max_abs_diff(&cmp.ours, &theirs));
cmp"""),
    ("md", """Their plot, with our time in the title (the figure is SVG from `numlab-plot`):"""),
    ("code", """cmp.figure()"""),
    ("md", """## Time against n

Their two versions grow as n² (the dashed guide); numlab's methods grow as n. The ports run only up to
n = 3,000 here to keep the notebook quick; `numlab figures` measures them to 10,000."""),
    ("code", """let scaling: Scaling = Scaling::measure(&[100, 300, 1_000, 3_000, 10_000, 100_000], 3_000, 0.05)?;
scaling"""),
    ("md", """On log-log axes a power law is a straight line; the slope is the exponent. Their versions climb with
slope 2, ours with slope 1, so the gap widens tenfold for every tenfold n (`numlab figures` measures
their ports up to n = 10,000, where the gap is two to three orders of magnitude):"""),
    ("code", """scaling.figure()"""),
    ("md", """## What their window convention does

Their window runs from the index closest to `x_i - edge` **up to but not including** the index closest
to `x_i + edge`. With `edge = 21.46` on integer x, that is offsets -21 to +20: one sample short on the
right. Smoothing an impulse at index 50 shows it. The output at `50 + k` is the weight the point
`50 + k` gives to the impulse. Their kernel gives weight at offset +21 (the impulse is the left end of
that point's window) and none at -21 (the impulse is the excluded right end; zero up to the rounding of
the convolution, about 1e-18). The symmetric regression
`nadaraya_watson` with the same cut-off treats both sides alike. Their last point's window does not
even hold the point itself."""),
    ("code", """let x: Vec<f64> = signals::arange(101);
let mut impulse: Vec<f64> = vec![0.0; 101];
impulse[50] = 1.0;
let theirs_impulse: Vec<f64> = gaussian_flatten(&x, &impulse, 0.1, 10.0, 0.0, 1.0)?;
let symmetric: Vec<f64> = nadaraya_watson(&x, &impulse, 10.0, Cutoff::Reach(0.1), false)?;
println!("offset   their weight   symmetric weight");
for k in [-22i64, -21, -20, 0, 20, 21, 22] {
    let i = (50 + k) as usize;
    println!("{k:>6}   {:>12.2e}   {:>16.2e}", theirs_impulse[i], symmetric[i]);
};"""),
    ("md", """## Irregular x: distances must be in x units

Their kernel is evaluated on the *index* distance `j - i`, while the window is chosen in x units. On a
uniform grid the two agree. On irregular x they do not: where points are dense, `sigma = 20` samples
spans a short stretch of x; where they are sparse, a long one. The Nadaraya-Watson regression puts the
distance in x units,

    ŷ(x_i) = Σ_j w_ij y_j / Σ_j w_ij,   w_ij = exp(-(x_j - x_i)² / (2σ²)),

so the kernel has the same width everywhere. Here 300 noisy samples of `sin(2πx/250)` are ten times
denser on the left than on the right."""),
    ("code", """let irregular: Irregular = Irregular::run()?;
irregular"""),
    ("md", """Their call follows the noise where the points are dense (sigma = 20 samples is a short stretch of x
there) and flattens the wave where they are sparse (20 samples span most of a period); the regression
keeps the same width in x everywhere:"""),
    ("code", """irregular.figure()"""),
    ("md", """## Edge modes

Near the ends part of the kernel falls outside the data, and something must stand in for the missing
samples. SciPy's `gaussian_filter1d` offers five modes and numlab has all five, equal to SciPy within
1e-12 of max|y| (tested against fixtures SciPy made). numlab adds `renormalize`, which drops the
missing weights and divides by the rest: that is what the questioner's code does at the ends, and what
the regression does everywhere."""),
    ("code", """let edges: EdgeModes = EdgeModes::run()?;
edges.figure()"""),
    ("md", """## Methods, and how exact they are

On a uniform grid the filter is a convolution. `Direct` sums the taps; `Fft` uses overlap-save
convolution, whose cost grows only with the logarithm of the kernel length; `Sliding` keeps 16
trigonometric running sums, so its cost does not depend on sigma at all; `Recursive` is the
Young-van Vliet IIR filter, O(n) for any sigma but only accurate to about a percent. `Auto` (the
default) takes `Direct` for short kernels and `Fft` for long ones. Errors against the direct sum,
relative to max|y|:"""),
    ("code", """let errors: MethodError = MethodError::run()?;
errors"""),
    ("md", """The exact methods sit at the level of rounding (1e-16 to 1e-14) for every sigma; the recursive filter's
error is a property of its third-order approximation, largest for small sigma:"""),
    ("code", """errors.figure()"""),
    ("md", """## From NumPy-style arrays

A NumPy user holds arrays; the Rust crate for them is ndarray, which `numlab_core::ndarray` re-exports
(one version for numlab and the notebook). numlab's 1-D functions take `&[f64]`, as SciPy takes any
array: an `Array1` (or a view in standard layout) passes as `.as_slice().unwrap()`, and the `Vec<f64>`
that comes back becomes an array again with `Array1::from`. A strided view, such as every other sample
`y.slice(s![..;2])`, has no slice: `.to_vec()` it first. Here `np.linspace`, a ufunc and noise, smoothed
by `gaussian_filter1d` (SciPy's arguments: sigma, mode, cval, truncate):"""),
    ("code", """use numlab_studies::numlab_core::ndarray::{s, Array1};
use numlab_studies::numlab_core::smoothing::{gaussian_filter1d, EdgeMode};
let t: Array1<f64> = Array1::linspace(0.0, 1.0, 1001); // np.linspace(0, 1, 1001)
let clean: Array1<f64> = t.mapv(|v| (2.0 * std::f64::consts::PI * 3.0 * v).sin());
let noisy: Array1<f64> = &clean + &Array1::from(signals::uniform(1001, -0.5, 0.5, 1)?);
let smooth: Array1<f64> = Array1::from(gaussian_filter1d(noisy.as_slice().unwrap(), 10.0, EdgeMode::Reflect, 0.0, 4.0)?);
{
    let rms = |a: &Array1<f64>| (a - &clean).mapv(|e| e * e).mean().unwrap().sqrt();
    println!("rms error against the clean sine: noisy {:.4}, smoothed {:.4}", rms(&noisy), rms(&smooth));
}
println!("every 100th smoothed value: {:.3}", smooth.slice(s![..;100]));
println!("every other sample as a slice: {:?}", noisy.slice(s![..;2]).as_slice());"""),
    ("md", """To hand the result back to NumPy, ndarray-npy (the second `:dep` of the first cell) writes a
`.npy` file. It goes to the system's temporary folder (`std::env::temp_dir()`), not into the
repository; `numpy.load` reads it as a float64 array of shape `(1001,)`, which its text header states:"""),
    ("code", """use ndarray_npy::{read_npy, write_npy};
let dir: std::path::PathBuf = std::env::temp_dir().join("numlab-notebooks");
std::fs::create_dir_all(&dir)?;
let file: std::path::PathBuf = dir.join("01-smoothed.npy");
write_npy(&file, &smooth)?;
let bytes: Vec<u8> = std::fs::read(&file)?;
let header_len: usize = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
println!("01-smoothed.npy: {} bytes, header {}", bytes.len(), String::from_utf8_lossy(&bytes[10..10 + header_len]).trim_end());
let back: Array1<f64> = read_npy(&file)?;
println!("read back equal: {}", back == smooth);"""),
    ("md", """## On your own data

    numlab smooth data.csv --x time --y volts --sigma 0.01 --mode nearest --output smoothed.csv
    numlab smooth data.csv --method seed --reach 0.1 --sigma 10 --phi 0 --amplitude 1

The first runs SciPy's filter (uniform x) or the regression (irregular x); the second is the
questioner's call. `numlab bench` and `scripts/bench-peers` time the canonical workloads against SciPy,
side by side."""),
]


# The code cells whose outputs are measured times (tag `timing`), by their first characters.
TIMING = [
    'let first: Scenario = Scenario::first()?;\nlet started',
    'let cmp: Comparison',
    'cmp.figure()',
    'let scaling: Scaling',
    'scaling.figure()',
]

write(CELLS, "01-gaussian-smoothing.ipynb", timing=TIMING)
