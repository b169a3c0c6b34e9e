"""Study 04 peers: SciPy's full cross-correlation by FFT, its lags and the
peak, for `xcorr-lag-1e5`, `-1e6`, `-1e7`. Imported and registered by
bench_peers.py (see its header).

Inputs (numlab bench --write-inputs): x = a, y = b, b being a delayed by
n/10 samples plus noise. One timed run is what the answers recommend:

    c = scipy.signal.correlate(a, b, mode="full", method="fft")
    lags = scipy.signal.correlation_lags(a.size, b.size, mode="full")
    lag = lags[np.argmax(c)]

(BENCHMARKS.md: prefer the FFT rows; the direct method goes through
multi-threaded BLAS and swings with the machine's load.)
"""

import numpy as np


def peer_correlate_fft(inp):
    from scipy import signal
    a, b = inp.x, inp.y

    def run():
        c = signal.correlate(a, b, mode="full", method="fft")
        lags = signal.correlation_lags(a.size, b.size, mode="full")
        return lags[np.argmax(c)]
    return run


def check_lag(inp, out):
    want = -int(inp.params["delay"])
    if int(out) != want:
        raise AssertionError("peak lag %d, expected %d" % (int(out), want))


def xcorr_inputs(name, n):
    def make(rng):
        a = rng.standard_normal(n)
        d = n // 10
        noise = 0.5 * rng.standard_normal(n)
        b = np.concatenate([2.0 * noise[:d], a[:n - d] + noise[d:]])
        return (name, {"n": n, "delay": d, "mode": "full"}, a, b)
    return make


def register_all(register, inputs_cls):
    """Registers the study 04 peers with bench_peers.register."""
    def wrap(make):
        return lambda rng: inputs_cls(*make(rng))
    for name, n in [("xcorr-lag-1e5", 10**5), ("xcorr-lag-1e6", 10**6), ("xcorr-lag-1e7", 10**7)]:
        register(name, "scipy.signal.correlate(fft) + correlation_lags + argmax", peer_correlate_fft,
                 wrap(xcorr_inputs(name, n)), check=check_lag)
