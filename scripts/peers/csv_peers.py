"""End-to-end file workloads (issue 17): `csv-read-1e7`,
`density-csv-1e7-512`, `smooth-csv-1e6`. Imported and registered by
bench_peers.py.

Unlike the in-process workloads, these start from a CSV file on disk, made
once from a fixed seed and cached outside the repository
($NUMLAB_BENCH_CACHE, default ~/.cache/numlab-bench; the name carries the
seed and a format version). numlab is timed as a process, from start to its
output written (subprocess.run of the release binary, median of repeated
runs); the peers in one warm Python process (one untimed warm-up call, so
numba has compiled datashader's kernels). The page cache is warm for both.

- csv-read-1e7: the two columns of a 190 MB CSV of 1e7 points `x,y` (six
  decimals, standard normal). Ours: `numlab read-csv FILE --columns x,y`, a
  hidden subcommand that reads the columns with the reader every command
  uses and prints the row count and each column's sum (so the values are
  used). Peers: polars.read_csv and pandas.read_csv of the same file.
- density-csv-1e7-512: ours `numlab density FILE --size 512x512 --method hist
  --view -4,-4,4,4 --output h.npy`; peer pandas.read_csv + datashader
  Canvas(512, 512, [-4, 4], [-4, 4]).points(count) + numpy.save.
- smooth-csv-1e6: a 1e6-row CSV `x,y` (x = 0..n-1, y seeded uniform(-4, 4)
  with six decimals); ours `numlab smooth FILE --sigma 10 --mode nearest
  --output out.csv`; peer pandas.read_csv + scipy.ndimage.gaussian_filter1d
  (sigma 10, mode nearest, truncate 4) + DataFrame.to_csv (x,y,smoothed).
"""

import os
import subprocess
import tempfile

import numpy as np

SEED = 20261207
FORMAT = "v1"  # bump when the file's contents change

VIEW = (-4.0, -4.0, 4.0, 4.0)


def cache_dir():
    d = os.environ.get("NUMLAB_BENCH_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "numlab-bench")
    os.makedirs(d, exist_ok=True)
    return d


def _cached(name, write):
    """The cached file `name`, written by write(path) when missing (atomic)."""
    path = os.path.join(cache_dir(), name)
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".csv")
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return path


def _write_points(path, n=10_000_000):
    rng = np.random.default_rng([SEED, 1])
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("x,y\n")
        step = 1_000_000
        for start in range(0, n, step):
            m = min(step, n - start)
            xy = rng.standard_normal((m, 2))
            np.savetxt(f, xy, fmt="%.6f", delimiter=",")


def _write_signal(path, n=1_000_000):
    rng = np.random.default_rng([SEED, 2])
    y = rng.uniform(-4.0, 4.0, n)
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("x,y\n")
        np.savetxt(f, np.column_stack([np.arange(n, dtype=float), y]), fmt=("%d", "%.6f"),
                   delimiter=",")


def points_file():
    return _cached("points-1e7-%d-%s.csv" % (SEED, FORMAT), _write_points)


def signal_file():
    return _cached("signal-1e6-%d-%s.csv" % (SEED, FORMAT), _write_signal)


class FileWorkload:
    """A workload timed end to end: a cached input file, numlab's command
    line (a function of the file and an output folder), and the peers."""

    def __init__(self, name, make_file, ours_args, about):
        self.name = name
        self.make_file = make_file
        self.ours_args = ours_args
        self.about = about


FILE_WORKLOADS = {}


def _out_dir():
    return tempfile.mkdtemp(prefix="numlab-bench-out-")


def peer_polars_read(path, out):
    import polars as pl
    return lambda: pl.read_csv(path)


def peer_pandas_read(path, out):
    import pandas as pd
    return lambda: pd.read_csv(path)


def peer_pandas_datashader(path, out):
    import datashader as ds
    import pandas as pd
    x0, y0, x1, y1 = VIEW
    canvas = ds.Canvas(plot_width=512, plot_height=512, x_range=(x0, x1), y_range=(y0, y1))
    target = os.path.join(out, "h.npy")

    def run():
        df = pd.read_csv(path)
        agg = canvas.points(df, "x", "y", agg=ds.count())
        np.save(target, agg.values)
        return agg.values
    return run


def peer_pandas_smooth(path, out):
    import pandas as pd
    from scipy import ndimage
    target = os.path.join(out, "out.csv")

    def run():
        df = pd.read_csv(path)
        s = ndimage.gaussian_filter1d(df["y"].to_numpy(), 10.0, mode="nearest", truncate=4.0)
        pd.DataFrame({"x": df["x"], "y": df["y"], "smoothed": s}).to_csv(target, index=False)
        return s
    return run


def check_read(n):
    def check(_path, out):
        if len(out) != n or list(out.columns) != ["x", "y"]:
            raise AssertionError("peer read %s rows, columns %s" % (len(out), list(out.columns)))
    return check


def register_all(register_file):
    register_file(FileWorkload(
        "csv-read-1e7", points_file,
        lambda f, out: ["read-csv", f, "--columns", "x,y"],
        "read the two columns of a 1e7-point CSV"),
        [("polars.read_csv", peer_polars_read, check_read(10_000_000)),
         ("pandas.read_csv", peer_pandas_read, check_read(10_000_000))])
    register_file(FileWorkload(
        "density-csv-1e7-512", points_file,
        lambda f, out: ["density", f, "--size", "512x512", "--method", "hist", "--view",
                        ",".join("%g" % v for v in VIEW), "--output", os.path.join(out, "h.npy")],
        "1e7-point CSV to a 512x512 histogram"),
        [("pandas.read_csv + datashader Canvas.points", peer_pandas_datashader, None)])
    register_file(FileWorkload(
        "smooth-csv-1e6", signal_file,
        lambda f, out: ["smooth", f, "--sigma", "10", "--mode", "nearest", "--output",
                        os.path.join(out, "out.csv")],
        "1e6-row CSV smoothed to CSV"),
        [("pandas read_csv + gaussian_filter1d + to_csv", peer_pandas_smooth, None)])


def time_ours(binary, env, args, time_runs, min_time, min_runs):
    """numlab as a process, start to exit (its output written)."""
    def run():
        subprocess.run([binary] + args, env=env, check=True, stdout=subprocess.DEVNULL)
    run()  # warm-up: the page cache, the binary
    return time_runs(run, min_time, min_runs)
