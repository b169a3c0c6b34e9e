"""Writes notebooks/05-hodgkin-huxley-poisson.ipynb (cells without outputs).

The notebook is kept as this list of cells so its text reviews as a diff;
run `python3 scripts/notebook-src/make_05.py` after editing.
"""
from nbwrite import write

CELLS = [
    ("md", """# 05 · A Hodgkin-Huxley neuron driven by Poisson spike trains, from one neuron to a network

**The question.** A user simulates one Hodgkin-Huxley neuron that receives delta pulses from 100
presynaptic Poisson neurons (80 excitatory, 20 inhibitory, each spike transmitted with probability p).
It works, but it crawls as the number of inputs grows toward the 5,000 of a paper. An answer promises
real time for 4,000 neurons with 128 inputs each on a GPU.

This notebook runs their scenario, shows where the time goes (every step scans every input spike of
the whole run), replaces the scan by one exact binomial draw per step, checks the neuron itself
(integrators, the f-I curve), and ends with Brian2's 4,000-neuron COBAHH network running faster than
real time on two cores. The computations live in `numlab-core` (`neuron`) and `numlab-studies`; the
cells only call them.

Times in this notebook are measured when it runs: the committed outputs show the times of the machine
that last ran it (those cells carry the tag `timing`); every other output is the same on any machine."""),
    ("code", """:dep numlab-studies = { path = "../crates/studies" }"""),
    ("md", """`numlab-studies` re-exports `numlab_core` and `numlab_plot`, so this one `:dep` loads all three."""),
    ("code", """use numlab_studies::numlab_core::neuron::{reference, simulate, Binomial, Config, HhParams, Method, Network, NetworkConfig, NetworkRun, PoissonInput, Rates, Run, State};
use numlab_studies::neuron::*;"""),
    ("md", """## The model, with their parameters

C_m = 1 uF/cm², g_Na = 120, g_K = 36, g_L = 0.3 mS/cm², E_Na = 50, E_K = -77, E_L = -54.387 mV and the
usual rate functions (V in mV, t in ms, currents in uA/cm²). α_m = 0.1 (V+40)/(1 - e^(-(V+40)/10)) is
0/0 at V = -40 mV, and α_n at -55 mV; numlab evaluates x/(1 - e^(-x)) through `expm1`, with its limit
at 0. The neuron starts from its resting state at zero current (their `ic` is a rounded version of it)."""),
    ("code", """let rest: State = HhParams::default().resting_state(0.0)?;
println!("rest: V = {:.4} mV, m = {:.4}, h = {:.4}, n = {:.4}", rest.v, rest.m, rest.h, rest.n);
println!("alpha_m(-40) = {}, alpha_n(-55) = {}", Rates::at(-40.0).alpha_m, Rates::at(-55.0).alpha_n);"""),
    ("md", """## Their scenario

I_app = 3 uA/cm², 80 + 20 sources at 10 Hz, p = 0.5, 300 ms at dt = 0.01 ms, forward Euler, as their
code. One thing in their code changes the physics: the synaptic current C_m·G_ex·(pulses) is added to
dV/dt for one Euler step, so each pulse moves V by G_ex·dt = 0.01 mV, a jump that shrinks when dt does.
A delta pulse of weight w is a jump of w; numlab applies jumps of +1 mV (their G_ex = 1) and -4 mV
(K = 4) after each step. Their three panels, and the raster of the inputs that drove this run (figures
of many spikes are shown as PNG images, `.in_png()`: an SVG would hold one element per spike):"""),
    ("code", """let theirs: Run = their_run(80, 20)?;
their_figure(&theirs, 80, 20, 1).in_png()"""),
    ("md", """## Why it crawls, and the fix

Their `I_syn` keeps every spike of every source for the whole run in one list and, at each step,
compares every entry with the current time (and draws a transmission flag per entry when one matches).
The work per step grows with sources × rate × duration, so 5,000 inputs cost 50 times 100.

But the number of pulses that arrive in one step is all the neuron needs. Each source fires in a step
with probability q = rate·dt/1000, and each spike passes with probability p, independently: the count
from N sources is **Binomial(N, q·p)**, exactly. One draw per step replaces the scan, and the cost no
longer depends on N. numlab's `Binomial` inverts a precomputed CDF table (mean 0.2 here, so a draw is
one uniform and one comparison); no normal approximation."""),
    ("code", """let b: Binomial = Binomial::new(4000, 10.0 * 0.01 / 1000.0 * 0.5)?;
println!("P(0) = {:.6}, P(1) = {:.6}, P(2) = {:.6}, P(3) = {:.2e}", b.pmf(0), b.pmf(1), b.pmf(2), b.pmf(3));"""),
    ("md", """Their scan (ported to Rust, so the comparison is about the algorithm, not the language) against one
draw per step, for 100, 1,000 and 5,000 inputs (times measured on the machine that last ran this notebook):"""),
    ("code", """let timings: Timings = Timings::run(&[100, 1000, 5000])?;
for i in 0..timings.inputs.len() {
    println!("{:>5} inputs: their scan {:>9.2} ms, numlab {:.2} ms", timings.inputs[i], timings.theirs_s[i] * 1e3, timings.ours_s[i] * 1e3);
}
timings.figure()"""),
    ("md", """## 5,000 inputs

The same neuron with 4,000 excitatory and 1,000 inhibitory inputs (every 10th source in the raster).
The mean drive is balanced (4,000 × 1 mV against 1,000 × 4 mV), but the fluctuations grow with N and
make the neuron fire."""),
    ("code", """let big: Run = their_run(4000, 1000)?;
their_figure(&big, 4000, 1000, 10).in_png()"""),
    ("md", """Output rate against the number of inputs (80 % excitatory, mean over five 1 s runs):"""),
    ("code", """RateVsInputs::run(&[100, 200, 500, 1000, 2000, 5000, 10_000], 5)?.figure()"""),
    ("md", """## The integrators

Forward Euler (theirs) and exponential Euler (Rush-Larsen: each gate, and V with the gates frozen,
solved exactly over the step) are first order; RK4 is fourth order. Errors of V after 1 ms under
10 uA/cm², against RK4 at dt = 1e-4 ms. Forward Euler and RK4 blow up at dt = 0.1 ms on a spiking
neuron; numlab detects it and reports an error naming dt."""),
    ("code", """let orders: Orders = Orders::run()?;
orders.figure()"""),
    ("code", """match simulate(&Config { dt: 0.1, current: 10.0, input: None, ..Config::default() }) {
    Ok(_) => println!("ran"),
    Err(e) => println!("refused: {e}"),
}"""),
    ("md", """## The f-I curve

Firing rate against a constant current from rest (RK4, dt 0.01 ms): repetitive firing starts abruptly
between 6.2 and 6.3 uA/cm², the classic type II onset."""),
    ("code", """let fi: FiCurve = FiCurve::run()?;
println!("threshold: {:.3} uA/cm^2", fi.threshold);
fi.figure()"""),
    ("md", """## A network faster than real time

Brian2's COBAHH benchmark (Brette et al. 2007): 3,200 excitatory and 800 inhibitory HH neurons,
connection probability 0.02, exponential conductance synapses, exponential Euler at dt = 0.1 ms.
numlab keeps the state as structure-of-arrays, updates each thread's neurons with vectorised
exponentials, and adds each step's spikes to the targets' conductances in source order, so a run is the
same bit for bit on any number of threads. Brian2 2.9 gives a mean rate of 36.8 ± 2.0 Hz over seeds."""),
    ("code", """let net: Network = Network::new(NetworkConfig::default())?;
let start: std::time::Instant = std::time::Instant::now();
let run: NetworkRun = net.run()?;
let secs: f64 = start.elapsed().as_secs_f64();
println!("{} synapses; 1 s of network time in {:.3} s ({:.1}x real time); mean rate {:.2} Hz", net.synapses(), secs, 1.0 / secs, run.mean_rate_hz());"""),
    ("code", """network_figure(&run, 200)?.in_png()"""),
    ("md", """## What to take away

- **Count, don't scan.** Independent Poisson sources need only the number of pulses per step, which has
  an exact binomial law: one draw per step, whatever the number of inputs.
- **A delta pulse is a jump.** Adding it as a current for one Euler step makes its size depend on dt.
- **Pick the integrator for the job.** Forward Euler is first order and blows up above about 0.05 ms;
  exponential Euler is stable at the network's 0.1 ms; RK4 gives spike times to 1e-4 ms at dt = 0.01 ms
  (tested against SciPy's `solve_ivp` at rtol 1e-12).
- **Networks need layout, not a GPU.** Structure-of-arrays, vectorised exponentials and a sparse
  connectivity run 4,000 HH neurons faster than real time on two cores.

From the command line: `numlab neuron --excitatory 4000 --inhibitory 1000 --output trace.csv` and
`numlab network --duration 1000 --output spikes.csv`."""),
]

# The code cells whose outputs are measured times (tag `timing`), by their first characters.
TIMING = [
    'let timings: Timings',
    'let net: Network',
]

write(CELLS, "05-hodgkin-huxley-poisson.ipynb", timing=TIMING)
