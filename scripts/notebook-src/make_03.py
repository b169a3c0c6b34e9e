"""Writes notebooks/03-leapfrog-convergence.ipynb (cells without outputs).

The notebook is kept as this list of cells so its text reviews as a diff;
run `python3 scripts/notebook-src/make_03.py` after editing.
"""
from nbwrite import write

CELLS = [
    ("md", """# 03 · Staggered leapfrog for the 1-D wave system: a convergence study done right

**The question.** A user integrates the first-order system p_t + u_x = 0, u_t + p_x = 0 on a periodic
interval with a staggered leapfrog written with NumPy slicing, and wants to show that it is second order
in space and time. They are unsure whether the scheme is right and which norm to plot.

This notebook follows their code path, names the three things that make their measurement misleading
(the grid, the start of u, the time at which errors are taken), runs the corrected study on their
grids, and ends with what a convergence test has to assert. The computations live in `numlab-core`
(`wave`) and `numlab-studies`; the cells only call them."""),
    ("code", """:dep numlab-studies = { path = "../crates/studies" }
:dep ndarray-npy = { version = "0.10", default-features = false }"""),
    ("md", """`numlab-studies` re-exports `numlab_core` and `numlab_plot`, so its `:dep` loads all three. The
second `:dep`, ndarray-npy, saves arrays as NumPy `.npy` files (near the end). It is locked without default
features (no `.npz`, no zip), as a project's `Cargo.toml` would have it: `ndarray-npy = { version =
"0.10", default-features = false }`. It is loaded here rather than where it is used because a crate
added later makes evcxr rebuild the crates whose features it changes, and the variables of their
types are lost."""),
    ("code", """use numlab_studies::numlab_core::wave::{reference, ConvergenceStudy, Init, Leapfrog1d, Problem};
use numlab_studies::wave::*;"""),
    ("md", """## Their code path, ported

Their step is `p[1:] += c (u[:-1] - u[1:])`, then `p[0] = p[-1]`, then `u[:-1] += c (p[:-1] - p[1:])`,
then `u[-1] = u[0]`, with c = dt/dx = 0.3. Read as differences, p_t = -u_x and u_t = -p_x: the system
above, with u living between the p points. `reference::questioner_run` ports their whole script: the grid
`linspace(0, 1, NX)`, the start `u = u0(x)`, and after each step the error against the exact solution at
the loop's `time`."""),
    ("code", """let run: reference::QuestionerRun = reference::questioner_run(50, 0.3, 2.0, 1.0, Problem::Standing);
println!("NX = {}: dx = {:.6} (1/49 = {:.6}), {} steps", run.nx, run.dx, 1.0 / 49.0, run.steps);
println!("p[0] == p[NX-1]: {}  (the end point is duplicated)", run.p[0] == run.p[49]);
println!("their final L2 error of p: {:.3e}", run.errors_p[run.errors_p.len() - 1]);"""),
    ("md", """## What is wrong in it

1. **The grid.** `linspace(0, 1, NX)` holds both 0 and 1, the same point of a periodic interval, so
   there are NX - 1 distinct cells and dx = 1/(NX - 1). Nothing breaks, but the copy `p[0] = p[-1]`
   is bookkeeping for a point that should not be there. numlab uses n cells, dx = L/n, no copy.
2. **The start of u.** In a staggered leapfrog u lives at (x + dx/2, t + dt/2). The first p update
   needs u at dt/2, so u must be started at (x_j + dx/2, dt/2): from the exact solution, or by a Taylor
   step u(dt/2) ≈ u0 - (dt/2) p0_x + (dt²/8) u0_xx from the initial data. Their `u = u0(x)` is at the
   wrong place and time: an O(dx) error in the data.
3. **The comparison.** The error is appended after the step, against the exact solution at the
   loop's `time`, the time *before* the step; and u is compared at x, not x + dx/2. That lag alone is
   an O(dt) error, so their measurement sees first order whatever the scheme does.

Their fitted order, from the final errors over NX = 50..950:"""),
    ("code", """let theirs: TheirMeasurement = TheirMeasurement::run(Problem::Standing);
println!("their setup: order p {:.3}, order u {:.3}", theirs.order_p.unwrap_or(f64::NAN), theirs.order_u.unwrap_or(f64::NAN));"""),
    ("md", """## The corrected study

`ConvergenceStudy` runs each grid from 0 to T at fixed CFL, so space and time are refined together. It
hits T exactly with K = ceil(T/(c dx)) steps of dt = T/K (the CFL number used is then <= c), compares p
at (x_j, T) and u at (x_j + dx/2, T + dt/2), in the grid L2 norm sqrt(dx Σ e²) and the max norm, and
fits the order by least squares of log error against log dx over all grids. Their grids, CFL and T, the
Taylor start, and the answer's general problem u = f(x + t) + g(x - t), p = -f(x + t) + g(x - t) with
f = cos 2πs, g = 2 sin 6πs (signs matched to the system):"""),
    ("code", """let taylor: Convergence = Convergence::their_setup(Init::Taylor, Problem::General)?;
taylor"""),
    ("md", """## Three starts

The exact and Taylor starts give order 2.00 for both fields. The naive start (u(x + dx/2, 0) used as
u at dt/2, their mistake without the grid one) is off by (dt/2) p_x, an O(dt) error that the
non-dissipative scheme carries forever, split into a left- and a right-moving wave. At T = 2 (whole
periods of the 1-periodic data) the two halves meet again: the perturbation cancels in p and stays in
u. At T = 0.3 it shows in both. An end time at a whole period can hide a bug."""),
    ("code", """let at_2: Starts = Starts::run(&their_grids(), 0.3, 2.0)?;
let at_03: Starts = Starts::run(&their_grids(), 0.3, 0.3)?;
at_03"""),
    ("md", """Log-log, with the O(dx²) guide: parallel lines are second order."""),
    ("code", """convergence_figure(&at_2, &at_03)"""),
    ("md", """## Error against time, one grid

With the exact or Taylor start the error grows smoothly from rounding (phase error accumulating); the
naive start begins with an O(dt) error in u that oscillates between p and u as the two waves pass."""),
    ("code", """History::run(200)?.figure()"""),
    ("md", """## The solution itself

40 cells at T = 2 against the exact solution; u is drawn at its own points x_j + dx/2 and time
T + dt/2."""),
    ("code", """Snapshot::run(40)?.figure()"""),
    ("md", """## The CFL limit, exactness at c = 1, and the discrete energy

c > 1 is refused (the error names `cfl`). At c = 1 each step moves f and g by exactly one cell, which is
the exact solution: the error stays at rounding. For c < 1 the scheme conserves
E = dx Σ [p_j² + u_j² - c p_j (u_j - u_{j-1})] to rounding, and E bounds both fields."""),
    ("code", """match Leapfrog1d::with_cfl(100, 1.0, 1.2) {
    Ok(_) => println!("accepted?"),
    Err(e) => println!("refused: {e}"),
}
let mut exact_run: Leapfrog1d = Leapfrog1d::for_problem(64, 1.0, 1.0, Problem::General, Init::Exact)?;
exact_run.advance(10_000);
println!("c = 1, 10,000 steps: max error of p {:.1e}", exact_run.errors(Problem::General).max_p);
let mut s: Leapfrog1d = Leapfrog1d::for_problem(64, 1.0, 0.9, Problem::General, Init::Taylor)?;
let e0: f64 = s.energy();
s.advance(100_000);
println!("c = 0.9, 100,000 steps: relative energy change {:.1e}", (s.energy() - e0) / e0);"""),
    ("md", """## Beyond the question: 2-D

The same scheme for p_t + u_x + v_y = 0, u_t + p_x = 0, v_t + p_y = 0 on a staggered square grid (u at
(x + dx/2, y), v at (x, y + dy/2), both at half steps), stable for c <= 1/√2, on a standing mode:"""),
    ("code", """figure_2d(&convergence_2d_table()?)"""),
    ("md", """The fields of a 2-D run are ndarray views (`numlab_core::ndarray` re-exports the crate): `p()`,
`u()` and `v()` are `ArrayView2<f64>` of shape `(n, n)` indexed `[i, j]` = (x index, y index), NumPy's
`meshgrid(..., indexing="ij")`; p at the nodes (i dx, j dx), u at ((i + ½) dx, j dx), v at
(i dx, (j + ½) dx), the periodic faces at x = 1 or y = 1 being those at 0. A row `p().row(i)` is the
line x = i dx; the centre line y = 1/2 is the column `p().column(n / 2)` (or the row `n / 2` of the
transpose `p().t()`, the orientation `imshow` expects). On 64 x 64 cells at CFL 0.5, T = 1, against
the exact standing mode along that line:"""),
    ("code", """use numlab_studies::numlab_core::ndarray::{s, Array1, Array2};
use numlab_studies::numlab_core::wave::{exact_2d, steps_to, Leapfrog2d};
let n: usize = 64;
let (steps, dt): (u64, f64) = steps_to(1.0, 0.5, 1.0 / n as f64);
let mut run_2d: Leapfrog2d = Leapfrog2d::new(n, 1.0, dt, Init::Exact)?;
for _ in 0..steps {
    run_2d.step();
}
let t_2d: f64 = steps as f64 * dt;
{
    let p = run_2d.p(); // a view: borrowed from the run, not copied
    println!("p {:?}, u {:?}, v {:?} after {} steps, t = {t_2d}", p.dim(), run_2d.u().dim(), run_2d.v().dim(), run_2d.steps());
    let centre = p.column(n / 2);
    let exact: Array1<f64> = (0..n).map(|i| exact_2d(i as f64 / n as f64, 0.5, t_2d, 1.0).0).collect();
    let err: f64 = (&centre - &exact).mapv(f64::abs).fold(0.0, |m, &e| m.max(e));
    println!("centre line y = 1/2: max |p - exact| = {err:.2e}");
    println!("every 8th point from x = 1/16: {:.4}", centre.slice(s![4..;8]));
    println!("the same line as row n/2 of p.t(): {}", p.t().row(n / 2) == centre);
};"""),
    ("md", """To look at a field in NumPy, save it with ndarray-npy (the second `:dep` of the first cell). The
file goes to the system's temporary folder (`std::env::temp_dir()`), not into the repository;
`numpy.load` gives p as a float64 array of shape `(64, 64)`, `p[i, j]` at (i dx, j dx):"""),
    ("code", """use ndarray_npy::{read_npy, write_npy};
let dir: std::path::PathBuf = std::env::temp_dir().join("numlab-notebooks");
std::fs::create_dir_all(&dir)?;
let file: std::path::PathBuf = dir.join("03-wave-p.npy");
write_npy(&file, &run_2d.p())?;
let bytes: Vec<u8> = std::fs::read(&file)?;
let header_len: usize = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
println!("03-wave-p.npy: {} bytes, header {}", bytes.len(), String::from_utf8_lossy(&bytes[10..10 + header_len]).trim_end());
let back: Array2<f64> = read_npy(&file)?;
println!("read back equal: {}", back == run_2d.p());"""),
    ("md", """## What a convergence test must assert

- **The observed order, not a small error**: the least-squares slope over several grids (here all 19 of
  theirs) within a tight band, [1.95, 2.05], with space and time refined together at fixed CFL.
- **Each field at its own time and place**: p at (x_j, T), u at (x_j + dx/2, T + dt/2). Comparing a
  step early or half a cell off measures the comparison, not the scheme.
- **A problem that can fail**: waves in both directions, and an end time that is not a whole period;
  the naive start passes for p at T = 2 and fails at T = 0.3.
- **Invariants**: exactness at c = 1, the conserved discrete energy for c < 1, refusal of c > 1.
- **Fast paths against the plain loop**, bit for bit (numlab's blocked `advance` is tested that way).

From the command line: `numlab wave --cfl 0.3 --t-end 2 --init naive --json` prints the table as JSON;
`numlab figures --study wave` writes the figures and the summary."""),
]

write(CELLS, "03-leapfrog-convergence.ipynb")
