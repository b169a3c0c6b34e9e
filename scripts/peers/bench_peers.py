"""Side-by-side timings: numlab (`numlab bench`) against its Python peers.

Run it through scripts/bench-peers, which builds the release binary, supplies
the pinned environment (scripts/python-env) and unsets OPENBLAS_CORETYPE /
OPENBLAS_L2_SIZE for this process only.

    scripts/bench-peers [--json] [--self-inputs] [--no-build] [WORKLOAD|GLOB ...]

Protocol, per workload, all in one run: `numlab bench --write-inputs DIR NAMES`
writes the inputs once (DIR/NAME.json naming little-endian float64 .npy files);
then for each workload `numlab bench --json NAME` times ours, and right after it
the peer is timed here on the very same arrays: one warm-up call (whose output
is checked: right length, finite), then repeated calls until at least
--min-runs runs and --min-time seconds have passed; median and min are
reported. Input loading is outside the timed region. The ratio is
peer median / ours median; the goal is the one of shared/BENCHMARKS.md.

--self-inputs makes the inputs here with numpy (same shapes and parameters,
other values) instead of asking the binary; ours is then timed only if the
binary exists. Useful while the Rust side is not built.

Adding a workload (later studies)
---------------------------------
1. Put its goal (the ">= N" of BENCHMARKS.md) in GOALS if it is not there.
2. Write a peer function `f(inp) -> callable` that takes an `Inputs`
   (inp.params: dict from NAME.json, inp.x: ndarray or None, inp.y: ndarray)
   and returns a zero-argument function doing one timed run and returning its
   result; do plans or set-up that the peer would also reuse outside it.
3. Write a self-inputs maker `g(rng) -> Inputs` with the workload's shapes.
4. Register: `register("NAME", "peer label", f, g)` (optionally goal=,
   check=(inp, out) -> None raising on a bad output). A workload may have
   several peers: register it again with another label.
The default selection is every registered workload that `numlab bench --list`
knows (every registered one with --self-inputs).

End-to-end file workloads (csv-read-1e7, ...) are registered differently:
scripts/peers/csv_peers.py makes (and caches) an input file, names numlab's
command line, which is timed as a process, and the peers, functions
`f(path, out_dir) -> callable` timed in this process. Add one there with
register_file(FileWorkload(...), [(label, f, check), ...]).
"""

import argparse
import fnmatch
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Goals (peer median / ours median) from shared/BENCHMARKS.md.
GOALS = {
    "smooth-uniform-1e6-s10": 10,
    "smooth-uniform-1e6-s100": 40,
    "smooth-uniform-1e6-s1000": 300,
    "smooth-uniform-1e7-s100": 40,
    "smooth-seed-1e4": 300,
    "smooth-irregular-1e5-s10": 10,
    "smooth-irregular-1e6-s10": 10,
    "rfft-2p20": 1.5,
    "rfft-1e6": 1.5,
    "amplitude-spectrum-1e6": 2,
    "leapfrog-1e6x1000": 10,
    "convergence-sweep": 20,
    "xcorr-lag-1e5": 5,
    "xcorr-lag-1e6": 5,
    "xcorr-lag-1e7": 5,
    "hh-poisson-5000": 50,
    "cobahh-4000": 5,
    "density-30k-256": 10,
    "density-1e6-1024": 10,
    "kde-30k-256": 2000,  # vs scipy gaussian_kde; >= 1 vs KDEpy FFTKDE
    # End to end from a file (scripts/peers/csv_peers.py).
    "csv-read-1e7": 1.5,  # vs polars.read_csv
    "density-csv-1e7-512": 2,
    "smooth-csv-1e6": 5,
}


@dataclass
class Inputs:
    workload: str
    params: dict
    x: Optional[np.ndarray]
    y: np.ndarray


@dataclass
class Peer:
    workload: str
    label: str
    prepare: Callable  # Inputs -> (() -> result)
    self_inputs: Callable  # np.random.Generator -> Inputs
    goal: Optional[float] = None
    check: Optional[Callable] = None  # (Inputs, result) -> None, raises


REGISTRY = {}  # workload name -> [Peer, ...]


def register(workload, label, prepare, self_inputs, goal=None, check=None):
    if goal is None:
        goal = GOALS.get(workload)
    REGISTRY.setdefault(workload, []).append(
        Peer(workload, label, prepare, self_inputs, goal, check))


def check_same_length_finite(inp, out):
    out = np.asarray(out)
    if out.shape != inp.y.shape:
        raise AssertionError("peer output shape %s != input shape %s" % (out.shape, inp.y.shape))
    if not np.all(np.isfinite(out)):
        raise AssertionError("peer output has non-finite values")


# ---------------------------------------------------------------------------
# Study 01: Gaussian smoothing

def peer_gaussian_filter1d(inp):
    from scipy import ndimage
    p = inp.params
    sigma, truncate, mode = float(p["sigma"]), float(p["truncate"]), str(p["mode"])
    y = inp.y
    return lambda: ndimage.gaussian_filter1d(y, sigma, mode=mode, truncate=truncate)


def peer_seed_numpy(inp):
    import seed_smoothing
    p = inp.params
    args = (float(p["reach"]), float(p["sigma"]), float(p["phi"]), float(p["amplitude"]))
    x, y = inp.x, inp.y
    return lambda: seed_smoothing.flatten_numpy(x, y, *args)


def nw_offset_loop(x, y, sigma, truncate):
    """Nadaraya-Watson smoothing of y over sorted x, NumPy "offset loop".

    result_i = sum_j w_ij y_j / sum_j w_ij with w_ij = exp(-(x_j - x_i)^2 /
    (2 sigma^2)) for |x_j - x_i| <= truncate*sigma, else 0. For each offset
    k = 1..K (K = the most neighbours any point has within the cut on one
    side) the weights of the pairs (i, i+k) are computed at once and added to
    both ends of each pair.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    cut = truncate * sigma
    num = y.copy()
    den = np.ones(n)
    if n < 2:
        return num / den
    k_max = int(np.max(np.searchsorted(x, x + cut, side="right") - np.arange(n))) - 1
    # x[i] + cut rounds; make K exact for the |dx| <= cut test used below.
    while k_max + 1 < n and np.any(x[k_max + 1:] - x[:n - k_max - 1] <= cut):
        k_max += 1
    while k_max > 0 and not np.any(x[k_max:] - x[:n - k_max] <= cut):
        k_max -= 1
    scale = -0.5 / (sigma * sigma)
    for k in range(1, k_max + 1):
        dx = x[k:] - x[:-k]
        w = dx * dx
        w *= scale
        np.exp(w, out=w)
        w *= dx <= cut
        den[:-k] += w
        den[k:] += w
        num[:-k] += w * y[k:]
        num[k:] += w * y[:-k]
    return num / den


def nw_brute_force(x, y, sigma, truncate):
    dx = x[None, :] - x[:, None]
    w = np.exp(-dx * dx / (2.0 * sigma * sigma)) * (np.abs(dx) <= truncate * sigma)
    return (w @ y) / w.sum(axis=1)


def self_test_offset_loop():
    rng = np.random.default_rng(7)
    for n, width, sigma, truncate in [(300, 300.0, 10.0, 4.0), (200, 20.0, 0.7, 2.5),
                                      (50, 5.0, 3.0, 1.0), (1, 1.0, 1.0, 4.0), (2, 1.0, 1.0, 4.0)]:
        x = np.sort(rng.uniform(0.0, width, n))
        x[n // 3: n // 3 + 2] = x[n // 3]  # a duplicate
        y = rng.uniform(-4.0, 4.0, n)
        a = nw_offset_loop(x, y, sigma, truncate)
        b = nw_brute_force(x, y, sigma, truncate)
        err = float(np.max(np.abs(a - b)))
        assert err <= 1e-12 * max(1.0, float(np.max(np.abs(y)))), (n, sigma, err)


def peer_nw_offset_loop(inp):
    p = inp.params
    sigma, truncate = float(p["sigma"]), float(p["truncate"])
    x, y = inp.x, inp.y
    return lambda: nw_offset_loop(x, y, sigma, truncate)


def uniform_inputs(name, n, sigma):
    def make(rng):
        return Inputs(name, {"sigma": sigma, "truncate": 4.0, "mode": "nearest"},
                      None, rng.uniform(-4.0, 4.0, n))
    return make


def seed_inputs(name, n):
    def make(rng):
        return Inputs(name, {"sigma": 100.0, "reach": 0.001, "phi": 0.0, "amplitude": 1.0},
                      np.arange(n, dtype=float), rng.uniform(-4.0, 4.0, n))
    return make


def irregular_inputs(name, n, sigma):
    def make(rng):
        x = np.sort(rng.uniform(0.0, float(n), n))
        return Inputs(name, {"sigma": sigma, "truncate": 4.0}, x, rng.uniform(-4.0, 4.0, n))
    return make


for _name, _n, _sigma in [("smooth-uniform-1e6-s10", 10**6, 10.0),
                          ("smooth-uniform-1e6-s100", 10**6, 100.0),
                          ("smooth-uniform-1e6-s1000", 10**6, 1000.0),
                          ("smooth-uniform-1e7-s100", 10**7, 100.0)]:
    register(_name, "scipy.ndimage.gaussian_filter1d", peer_gaussian_filter1d,
             uniform_inputs(_name, _n, _sigma), check=check_same_length_finite)
register("smooth-seed-1e4", "questioner's numpy version", peer_seed_numpy,
         seed_inputs("smooth-seed-1e4", 10**4), check=check_same_length_finite)
for _name, _n in [("smooth-irregular-1e5-s10", 10**5), ("smooth-irregular-1e6-s10", 10**6)]:
    register(_name, "numpy offset loop (Nadaraya-Watson)", peer_nw_offset_loop,
             irregular_inputs(_name, _n, 10.0), check=check_same_length_finite)



# ---------------------------------------------------------------------------
# Study 02: FFT amplitude

def peer_rfft(inp):
    y = inp.y
    return lambda: np.fft.rfft(y)


def peer_amplitude_spectrum(inp):
    """One-sided amplitude (2|X|/n, DC and even-n Nyquist |X|/n), phase, frequencies."""
    y = inp.y
    n = len(y)
    dt = float(inp.params["dt"])

    def run():
        X = np.fft.rfft(y)
        amp = np.abs(X) * (2.0 / n)
        amp[0] /= 2.0
        if n % 2 == 0:
            amp[-1] /= 2.0
        return amp, np.angle(X), np.fft.rfftfreq(n, dt)
    return run


def check_rfft(inp, out):
    out = np.asarray(out)
    if out.shape != (len(inp.y) // 2 + 1,):
        raise AssertionError("rfft output shape %s" % (out.shape,))
    if not np.all(np.isfinite(out)):
        raise AssertionError("rfft output has non-finite values")


def check_amplitude_spectrum(inp, out):
    m = len(inp.y) // 2 + 1
    for a in out:
        if np.shape(a) != (m,) or not np.all(np.isfinite(a)):
            raise AssertionError("amplitude spectrum output: shape or non-finite values")


def rfft_inputs(name, n):
    def make(rng):
        return Inputs(name, {"n": n}, None, rng.uniform(-4.0, 4.0, n))
    return make


def spectrum_inputs(name, n, dt):
    def make(rng):
        return Inputs(name, {"dt": dt}, None, rng.uniform(-4.0, 4.0, n))
    return make


# numpy's pocketfft caches plans per length, so after the warm-up call the
# timed calls reuse the plan, as numlab's do.
register("rfft-2p20", "numpy.fft.rfft", peer_rfft, rfft_inputs("rfft-2p20", 2**20), check=check_rfft)
register("rfft-1e6", "numpy.fft.rfft", peer_rfft, rfft_inputs("rfft-1e6", 10**6), check=check_rfft)
register("amplitude-spectrum-1e6", "numpy rfft + abs/angle/rfftfreq", peer_amplitude_spectrum,
         spectrum_inputs("amplitude-spectrum-1e6", 10**6, 1e-3), check=check_amplitude_spectrum)

# Study 03: the questioner's numpy slicing leapfrog (scripts/peers/wave_peers.py).
import wave_peers  # noqa: E402

wave_peers.register_all(register, Inputs)

# Study 04: SciPy's FFT correlation, lags and argmax (scripts/peers/xcorr_peers.py).
import xcorr_peers  # noqa: E402

xcorr_peers.register_all(register, Inputs)

# Study 05: Brian2 (cython, warm) and the questioner's scan (scripts/peers/neuron_peers.py).
import neuron_peers  # noqa: E402

neuron_peers.register_all(register, Inputs)

# Study 06: density heat-maps and KDE (scripts/peers/density_peers.py).
import density_peers  # noqa: E402

density_peers.register_all(register, Inputs)

# Issue 17: end to end from a CSV file (scripts/peers/csv_peers.py).
import csv_peers  # noqa: E402

FILE_REGISTRY = {}  # workload name -> (FileWorkload, [(label, prepare, check), ...])


def register_file(workload, peers):
    FILE_REGISTRY[workload.name] = (workload, peers)


csv_peers.register_all(register_file)

SELF_TESTS = [self_test_offset_loop]


# ---------------------------------------------------------------------------
# Harness

def load_npy(path):
    arr = np.load(path, allow_pickle=False)
    if arr.dtype != np.dtype("<f8") or arr.ndim != 1:
        raise ValueError("%s: expected 1-D little-endian float64, got %s %s" % (path, arr.dtype, arr.shape))
    return arr


def load_inputs(directory, name):
    with open(os.path.join(directory, name + ".json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("workload") != name:
        raise ValueError("%s.json names workload %r" % (name, meta.get("workload")))
    x = None if meta.get("x") is None else load_npy(os.path.join(directory, meta["x"]))
    y = load_npy(os.path.join(directory, meta["y"]))
    if x is not None and x.shape != y.shape:
        raise ValueError("%s: x and y lengths differ (%d, %d)" % (name, len(x), len(y)))
    return Inputs(name, dict(meta.get("params") or {}), x, y)


def time_runs(fn, min_time, min_runs, max_runs=1000):
    times = []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < min_time):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


class Ours:
    """The numlab binary, run with the caller's original OPENBLAS_* settings."""

    def __init__(self, binary, restore_env):
        self.binary = binary
        self.env = dict(os.environ)
        self.env.update(restore_env)

    def run(self, args, capture=True):
        return subprocess.run([self.binary] + args, env=self.env, check=True, text=True,
                              stdout=subprocess.PIPE if capture else None)

    def available(self):
        if not self.binary or not os.access(self.binary, os.X_OK):
            return False
        try:
            return bool(self.names())
        except (subprocess.CalledProcessError, OSError):
            return False

    def names(self):
        # One name per line; anything after the first tab/space is a description.
        return [ln.split()[0] for ln in self.run(["bench", "--list"]).stdout.splitlines() if ln.strip()]

    def write_inputs(self, directory, names):
        self.run(["bench", "--write-inputs", directory] + names)

    def bench(self, name):
        out = self.run(["bench", "--json", name]).stdout
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("{"):
                obj = json.loads(line)
                if obj.get("workload") == name:
                    return obj
        raise RuntimeError("numlab bench --json %s printed no result for it" % name)


def environment(unset_note):
    import scipy
    env = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "machine": platform.machine(),
        "unset_for_peer": unset_note or "",
    }
    try:
        import threadpoolctl
        env["threadpools"] = [
            {k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for d in threadpoolctl.threadpool_info()]
    except ImportError:
        env["threadpools"] = "threadpoolctl not installed"
    return env


def env_line(env):
    pools = env["threadpools"]
    if isinstance(pools, list):
        pools = "; ".join("%s %s %s, %s threads" % (p["internal_api"], p["version"],
                                                     p["architecture"], p["num_threads"])
                          for p in pools) or "none loaded"
    line = ("Environment: Python %s, numpy %s, scipy %s, %s CPUs (%s usable), %s; threadpools: %s"
            % (env["python"], env["numpy"], env["scipy"], env["cpu_count"], env["cpus_usable"],
               env["machine"], pools))
    if env["unset_for_peer"]:
        line += "; unset for the peer process: %s" % env["unset_for_peer"]
    return line


def fmt_time(s):
    if s is None:
        return "n/a"
    if s >= 1.0:
        return "%.2f s" % s
    if s >= 1e-3:
        return "%.3g ms" % (s * 1e3)
    return "%.3g us" % (s * 1e6)


def select(patterns, known):
    if not patterns:
        return list(known)
    chosen = []
    for pat in patterns:
        hits = [n for n in known if fnmatch.fnmatchcase(n, pat)]
        if not hits:
            raise SystemExit("bench-peers: no workload matches %r (known to both sides: %s)"
                             % (pat, ", ".join(known)))
        chosen += [h for h in hits if h not in chosen]
    return chosen


def run_file_workload(name, ours, args):
    """One end-to-end workload: numlab's process, then each peer in-process."""
    import shutil
    workload, peers = FILE_REGISTRY[name]
    print("  %s: input file (made once, then cached) ..." % name, file=sys.stderr, flush=True)
    path = workload.make_file()
    out = tempfile.mkdtemp(prefix="numlab-bench-out-")
    rows = []
    try:
        ours_times = None
        if ours is not None:
            ours_times = csv_peers.time_ours(ours.binary, ours.env, workload.ours_args(path, out),
                                             time_runs, args.min_time, args.min_runs)
        for label, prepare, check in peers:
            fn = prepare(path, out)
            res = fn()  # warm-up (numba compiles), and proof that the peer runs
            if check:
                check(path, res)
            del res
            times = time_runs(fn, args.min_time, args.min_runs)
            goal = GOALS.get(name) if label == peers[0][0] else None
            row = {
                "workload": name,
                "peer": label,
                "peer_median_s": statistics.median(times),
                "peer_min_s": min(times),
                "peer_runs": len(times),
                "ours_median_s": statistics.median(ours_times) if ours_times else None,
                "ours_min_s": min(ours_times) if ours_times else None,
                "ours_runs": len(ours_times) if ours_times else None,
                "goal": goal,
                "inputs": "cached file %s; ours timed as a process: numlab %s"
                          % (path, " ".join(workload.ours_args(path, "OUT"))),
            }
            row["ratio"] = (row["peer_median_s"] / row["ours_median_s"]
                            if row["ours_median_s"] else None)
            row["goal_met"] = (row["ratio"] >= goal
                               if row["ratio"] is not None and goal is not None else None)
            rows.append(row)
            if args.json:
                print(json.dumps(row, sort_keys=True), flush=True)
            else:
                print("  %s: peer %s %s (%d runs), ours %s (end to end)"
                      % (name, label, fmt_time(row["peer_median_s"]), row["peer_runs"],
                         fmt_time(row["ours_median_s"])), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="Time numlab and its Python peers side by side.")
    ap.add_argument("workloads", nargs="*", metavar="WORKLOAD",
                    help="names or globs (default: every registered workload numlab knows)")
    ap.add_argument("--json", action="store_true",
                    help="one JSON object per workload and peer on stdout (environment on stderr)")
    ap.add_argument("--self-inputs", action="store_true",
                    help="make the inputs here with numpy instead of numlab bench --write-inputs")
    ap.add_argument("--bin", default=None, help="path of the numlab binary")
    ap.add_argument("--inputs-dir", default=None, help="keep the written inputs in this directory")
    ap.add_argument("--min-time", type=float, default=1.0, help="seconds of timed runs per peer (1.0)")
    ap.add_argument("--min-runs", type=int, default=3, help="runs at least (3)")
    ap.add_argument("--seed", type=int, default=20240601, help="seed for --self-inputs")
    ap.add_argument("--list", action="store_true", help="list the registered workloads and peers")
    args = ap.parse_args(argv)

    if args.list:
        for name, peers in REGISTRY.items():
            for p in peers:
                print("%s\t%s\tgoal >= %s" % (name, p.label, p.goal))
        for name, (_, peers) in FILE_REGISTRY.items():
            for label, _, _ in peers:
                print("%s\t%s\tgoal >= %s (end to end)" % (name, label, GOALS.get(name)))
        return 0

    for test in SELF_TESTS:
        test()

    restore = {}
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        val = os.environ.get("NUMLAB_BENCH_ORIG_" + var)
        if val is not None:
            restore[var] = val
    unset_note = ", ".join("%s (was %s)" % kv for kv in restore.items())
    ours = Ours(args.bin, restore)
    have_ours = ours.available()
    if not have_ours and not args.self_inputs:
        raise SystemExit("bench-peers: `%s bench --list` names no workload; build it (cargo build --release) "
                         "or use --self-inputs" % args.bin)

    known = list(REGISTRY)
    skipped = []
    if have_ours:
        ours_names = set(ours.names())
        skipped = [n for n in known if n not in ours_names]
    # Globs pick among the workloads both sides know; an exact name must be known to both.
    exact = [w for w in args.workloads if not any(c in w for c in "*?[")]
    for w in exact:
        if w in FILE_REGISTRY:
            continue
        if w not in REGISTRY:
            raise SystemExit("bench-peers: no peer registered for %r (known: %s)"
                             % (w, ", ".join(list(REGISTRY) + list(FILE_REGISTRY))))
        if have_ours and not args.self_inputs and w not in ours_names:
            raise SystemExit("bench-peers: numlab bench does not know %s" % w)
    if have_ours and not args.self_inputs:
        known = [n for n in known if n in ours_names]
    # End-to-end workloads run only when named (their files take a while to make).
    names = select(args.workloads, known + [n for n in FILE_REGISTRY if n in args.workloads])

    env = environment(unset_note)
    log = sys.stderr if args.json else sys.stdout
    if args.json:
        print(json.dumps({"environment": env}, sort_keys=True), file=sys.stderr)
    if skipped and not args.workloads:
        print("(registered but not in `numlab bench --list`: %s)" % ", ".join(skipped), file=sys.stderr)

    tmp = None
    inputs_dir = args.inputs_dir
    if not args.self_inputs:
        if inputs_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="numlab-bench-inputs-")
            inputs_dir = tmp.name
        os.makedirs(inputs_dir, exist_ok=True)
        in_process = [n for n in names if n not in FILE_REGISTRY]
        if in_process:
            ours.write_inputs(inputs_dir, in_process)

    rows = []
    try:
        for name in names:
            if name in FILE_REGISTRY:
                rows += run_file_workload(name, ours if have_ours else None, args)
                continue
            for peer in REGISTRY[name]:
                if args.self_inputs:
                    inp = peer.self_inputs(np.random.default_rng([args.seed, zlib.crc32(name.encode())]))
                else:
                    inp = load_inputs(inputs_dir, name)
                ours_res = None
                if have_ours and (not args.self_inputs or name in ours_names):
                    ours_res = ours.bench(name)
                fn = peer.prepare(inp)
                out = fn()  # warm-up, and proof that the peer runs on these inputs
                if peer.check:
                    peer.check(inp, out)
                del out
                times = time_runs(fn, args.min_time, args.min_runs)
                row = {
                    "workload": name,
                    "peer": peer.label,
                    "peer_median_s": statistics.median(times),
                    "peer_min_s": min(times),
                    "peer_runs": len(times),
                    "ours_median_s": ours_res["median_s"] if ours_res else None,
                    "ours_min_s": ours_res["min_s"] if ours_res else None,
                    "ours_runs": ours_res["runs"] if ours_res else None,
                    "goal": peer.goal,
                    "inputs": "self" if args.self_inputs else "numlab --write-inputs",
                }
                row["ratio"] = (row["peer_median_s"] / row["ours_median_s"]
                                if ours_res and row["ours_median_s"] else None)
                row["goal_met"] = (row["ratio"] >= peer.goal
                                   if row["ratio"] is not None and peer.goal is not None else None)
                if ours_res:
                    row["ours"] = ours_res
                rows.append(row)
                if args.json:
                    print(json.dumps(row, sort_keys=True), flush=True)
                else:
                    print("  %s: peer %s (%d runs), ours %s" % (name, fmt_time(row["peer_median_s"]),
                                                              row["peer_runs"], fmt_time(row["ours_median_s"])),
                          file=sys.stderr, flush=True)
                del inp, fn
    finally:
        if tmp is not None:
            tmp.cleanup()

    if not args.json:
        print(file=log)
        print("| workload | peer | peer median | ours median | ratio peer/ours | goal |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            ratio = "n/a" if r["ratio"] is None else "%.3g" % r["ratio"]
            goal = "n/a" if r["goal"] is None else ">= %g" % r["goal"]
            if r["goal_met"] is not None:
                goal += " (met)" if r["goal_met"] else " (missed)"
            print("| %s | %s | %s | %s | %s | %s |" % (r["workload"], r["peer"], fmt_time(r["peer_median_s"]),
                                                       fmt_time(r["ours_median_s"]), ratio, goal))
        print()
        print(env_line(env))
        if args.self_inputs:
            print("Inputs: made by numpy (--self-inputs), same shapes and parameters as numlab's.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
