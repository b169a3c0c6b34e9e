"""Writes notebooks/06-point-density.ipynb (cells without outputs).

The notebook is kept as this list of cells so its text reviews as a diff;
run `python3 scripts/notebook-src/make_06.py` after editing.
"""
from nbwrite import write

CELLS = [
    ("md", """# 06 · Density heat-maps of scattered points, at any zoom, at any size

**The question.** A user wants map overlays that show hot-spots: a 256 x 256 heat-map of 30,000
points in about a second, right both zoomed out and zoomed in. `numpy.histogram2d` looked crude, a
distance-weighted sum over every point was O(n) per pixel, and a function of the 5 nearest points by
KD-tree took 20 seconds. The answers proposed box sums by a summed-area table (0.5 s in pure Python)
and a Gaussian filter of the histogram (350 ms).

This notebook redraws their 2x2 comparison with numlab's versions of the four methods, timed, at
1,000, 30,000 and 1,000,000 points; shows what goes wrong at the borders of a zoomed view and how
padding fixes it; and adds what they did not have, a Gaussian kernel density estimate with a bandwidth
rule, exact and fast. The computations live in `numlab-core` (`density`) and `numlab-studies`; the cells
only call them.

Times in this notebook are measured when it runs: the committed outputs show the times of the machine
that last ran it (those cells carry the tag `timing`); every other output is the same on any machine."""),
    ("code", """:dep numlab-studies = { path = "../crates/studies" }
:dep ndarray-npy = { version = "0.10", default-features = false }"""),
    ("md", """`numlab-studies` re-exports `numlab_core` and `numlab_plot`, so its `:dep` loads all three. The
second `:dep`, ndarray-npy, saves arrays as NumPy `.npy` files (near the end). It is locked without default
features (no `.npz`, no zip), as a project's `Cargo.toml` would have it: `ndarray-npy = { version =
"0.10", default-features = false }`. It is loaded here rather than where it is used because a crate
added later makes evcxr rebuild the crates whose features it changes, and the variables of their
types are lost."""),
    ("code", """use numlab_studies::numlab_core::density::{histogram2d, Density, GridBlur, View};
use numlab_studies::numlab_core::smoothing::Method;
use numlab_studies::density::*;"""),
    ("md", """## One convention first

Every grid is H rows by W columns, row 0 the *lowest* y, column 0 the lowest x: exactly
`numpy.histogram2d(y, x, bins=(H, W), range=[[y0, y1], [x0, x1]])` (y first!), which `imshow(...,
origin="lower")` draws the right way up. Bins are half-open, the last one closed on the right, and
points outside the range (or NaN) fall in no bin: the same counts as NumPy, edges included."""),
    ("code", """let x: Vec<f64> = vec![0.0, 0.5, 1.0, 2.0, f64::NAN];
let y: Vec<f64> = vec![0.0, 0.0, 1.0, 0.5, 0.5];
let h: Density = histogram2d(&x, &y, View::new(0.0, 0.0, 1.0, 1.0)?, 2, 2)?;
println!("row 0 (low y): {:?}", h.grid.values.row(0).to_vec());
println!("row 1 (high y): {:?}", h.grid.values.row(1).to_vec());
println!("skipped for NaN/inf: {}", h.nonfinite);"""),
    ("md", """## Their comparison, 1,000 points

Their data: 1,000 points uniform on [-2, 2]², viewed through [-0.5, 0.5]² (about 60 points visible).
The panels, numlab's versions with their parameters: `histogram2d` with their 10 x 10 bins; their
5-nearest function (the mean of exp(-70 d²) over the 5 nearest, capped at 1) on a kiddo KD-tree at
every pixel; the Gaussian filter of the histogram with their sigma of 20 px; the box sums with their
radius 15 px and 4 passes. Each title holds the time measured on the machine that last ran this notebook."""),
    ("code", """let small: Comparison = Comparison::run(1000, 0.05)?;
small.figure()"""),
    ("md", """The histogram is blocky because its bins are 0.1 wide; the other three are smooth estimates of the same
density. The Gaussian filter and the 4-pass box sum look alike: 4 passes of a box of radius r have
the variance of a Gaussian of sigma² = 4 r(r+1)/3. At 30,000 points, the count they cared about (shown
as a PNG, `.in_png()`: the thousands of dots in view would make a large SVG):"""),
    ("code", """let medium: Comparison = Comparison::run(30_000, 0.1)?;
medium.figure().in_png()"""),
    ("md", """And at a million points: binning is O(n), the blur O(pixels × taps), so the smoothing methods stay
in milliseconds; the kNN query count does not grow with n, only its depth."""),
    ("code", """let large: Comparison = Comparison::run(1_000_000, 0.2)?;
large.figure()"""),
    ("md", """## Their reported times beside ours

The answers timed 30,000 uniform points at 256 x 256 in Python. The same calls in numlab (the box sum
with the answer's N = 5, i.e. r = 2, and 4 passes; the Gaussian with sigma 10 px):"""),
    ("code", """ReportedScenario::measure(0.2)?"""),
    ("md", """## Zoom: why the borders need the points outside the view

A blur of a histogram binned only inside the view treats everything outside as empty, so the borders
of a zoomed-in view fade even where points are dense just outside; SciPy's default `reflect` mode
instead mirrors the inside. numlab bins the points into the view grown by the kernel's reach (its
radius for the Gaussian, passes × radius for the box sums), smooths that, and keeps the view. Then a
view's density equals the same cells cut from any larger view, to rounding:"""),
    ("code", """let zoom: Zoom = Zoom::run()?;
println!("view vs the same cells of a 4x wider view: {:.1e} of the peak", zoom.crop_error);
println!("inside-only binning, innermost view: off by {:.0}% of the peak at the borders", 100.0 * zoom.border_error);"""),
    ("md", """Top row: numlab; bottom row: the points inside each view only, blurred with zeros outside; the same
colour scale per column. Zooming in from all the data (width 4) to width 0.25:"""),
    ("code", """zoom.figure()"""),
    ("md", """The questioner's own code pads too little: their box sums pad the image by 2r for 4 passes, which
reach 4r; their Gaussian filter pads by r = 20 px for a sigma of 20 px, where SciPy's kernel (truncate
4) reaches 80 px. numlab pads by the reach itself:"""),
    ("code", """let blur: GridBlur = GridBlur::new(20.0, 4.0, Method::Auto)?;
println!("Gaussian sigma 20 px: kernel radius {} px (their padding: 20 px)", blur.radius());
println!("box sums r = 15 px x 4 passes: reach {} px (their padding: {} px)", 4 * 15, 2 * 15);"""),
    ("md", """## A true density: Gaussian KDE with a bandwidth rule

A blur of counts depends on the pixel size; a kernel density estimate is a density per unit area that
integrates to 1, with a bandwidth from the data. numlab follows `scipy.stats.gaussian_kde`: kernel
covariance = factor² × the points' covariance (cross term included), Scott's factor n^(-1/6) (in 2-D
Silverman's is the same number). The exact sum costs n × pixels exponentials; the fast path splits the
kernel into a narrow Gaussian (spread exactly onto the pixel lattice) and a wide diagonal one (study
01's separable blur), with a quadrature error far below the bound of 1e-6 of the peak:"""),
    ("code", """let kde: KdeStudy = KdeStudy::run()?;
println!("factor {:.4}, kernel sigmas {:?}", kde.kde.factor, kde.kde.sigmas());
println!("fast vs exact: {:.1e} of the peak; mass in the view {:.6}", kde.fast_error, kde.mass);"""),
    ("md", """Three correlated clusters, 30,000 points, every 31st drawn:"""),
    ("code", """kde.figure()"""),
    ("md", """## The grid is an ndarray array

`Density.grid.values` is an ndarray `Array2<f64>` of shape `(H, W)`, `dim() == (rows, cols)`, in the
orientation above: `values[[r, c]]` is the cell of row r (y) and column c (x), `.row(r)` a line of
constant y, `.column(c)` one of constant x, and slicing, sums along an axis and arithmetic are
ndarray's (`numlab_core::ndarray` re-exports the crate, so no second version comes in). Their 30,000
points, Gaussian filter of σ 10 px on 256 x 256 px: the row through y = 0, a profile over x, and the
total, close to the number of points in the view (the blur keeps mass, less what crosses the border):"""),
    ("code", """use numlab_studies::numlab_core::density::{gaussian_density, gaussian_filter2d};
use numlab_studies::numlab_core::ndarray::{s, Array2, Axis};
use numlab_studies::numlab_core::smoothing::EdgeMode;
let points: (Vec<f64>, Vec<f64>) = their_points(30_000)?; // (x, y)
let heat: Density = gaussian_density(&points.0, &points.1, their_view(), 256, 256, 10.0, 4.0)?;
println!("heat.grid.values.dim() = {:?} (rows = y bins, columns = x bins)", heat.grid.values.dim());
println!("row 128 (y = 0), every 32nd column: {:.3}", heat.grid.values.slice(s![128, ..;32]));
println!("column sums (a profile over x), every 32nd: {:.1}", heat.grid.values.sum_axis(Axis(0)).slice(s![..;32]));
let inside: usize = points.0.iter().zip(&points.1).filter(|&(a, b)| a.abs() < 0.5 && b.abs() < 0.5).count();
println!("sum over the view: {:.1} (points in the view: {inside})", heat.grid.values.sum());"""),
    ("md", """A grid of your own goes in the same way: build an `Array2`, pass a view. `gaussian_filter2d` is
SciPy's `ndimage.gaussian_filter` on a 2-D array (the same edge modes) and takes any view, a slice or
the transpose `.t()` included, without a copy made by the caller:"""),
    ("code", """let mut img: Array2<f64> = Array2::zeros((64, 96)); // np.zeros((64, 96))
img[[32, 48]] = 1.0;
let blurred: Array2<f64> = gaussian_filter2d(img.view(), 3.0, 4.0, EdgeMode::Reflect, 0.0)?;
println!("{:?}, sum {:.15}", blurred.dim(), blurred.sum());
println!("row 32, columns 44..53: {:.4}", blurred.slice(s![32, 44..53]));
let turned: Array2<f64> = gaussian_filter2d(img.t(), 3.0, 4.0, EdgeMode::Reflect, 0.0)?;
println!("the transpose in: {:?}, equal to blurred.t(): {}", turned.dim(), turned == blurred.t());"""),
    ("md", """## Saving a grid for NumPy

ndarray-npy (the second `:dep` of the first cell) writes `.npy` files. The file goes to the system's
temporary folder (`std::env::temp_dir()`), not into the repository. `numpy.load` gives a float64 array
of shape `(256, 256)`, oriented as `numpy.histogram2d(y, x)`; the `.npy` header is text and says so:"""),
    ("code", """use ndarray_npy::{read_npy, write_npy};
let dir: std::path::PathBuf = std::env::temp_dir().join("numlab-notebooks");
std::fs::create_dir_all(&dir)?;
let file: std::path::PathBuf = dir.join("06-density.npy");
write_npy(&file, &heat.grid.values)?;
let bytes: Vec<u8> = std::fs::read(&file)?;
let header_len: usize = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
println!("06-density.npy: {} bytes, header {}", bytes.len(), String::from_utf8_lossy(&bytes[10..10 + header_len]).trim_end());
let back: Array2<f64> = read_npy(&file)?;
println!("read back equal: {}", back == heat.grid.values);"""),
    ("md", """## On your own data

```sh
numlab density points.csv --x lon --y lat --size 512x512 --view -0.5,-0.5,0.5,0.5 --method gauss --sigma 10 --output heat.png --overlay
numlab density points.csv --method hist --size 100x80 --output counts.npy      # numpy.histogram2d(y, x, bins=(80, 100))
numlab density points.csv --method kde --bandwidth scott --output kde.csv
```

From Rust: `gaussian_density(x, y, view, w, h, sigma_px, 4.0)`, `box_density`, `knn_density`,
`kde_grid(x, y, view, w, h, Bandwidth::Scott, KdeMethod::Fast)`, each giving an `Array2<f64>` in
`.grid.values`; `numlab figures --study density` writes this study's figures and summary."""),
]

# The code cells whose outputs are measured times (tag `timing`), by their first characters.
TIMING = [
    'let small: Comparison',
    'let medium: Comparison',
    'let large: Comparison',
    'ReportedScenario::measure',
]

write(CELLS, "06-point-density.ipynb", timing=TIMING)
