"""Python ports of the questioner's Gaussian "flatten" smoother (study 01).

The question (first post of shared/seed/questions.txt) smooths y over x with a
Gaussian kernel built afresh for every point. It comes in two versions: the
original one with explicit Python loops, and the numpy-optimised one posted as
the follow-up. Both are ported here with our own names but the same steps and
the same floating-point operations in the same order, so that their output can
serve as the reference for numlab's seed-compatible call:

* ``flatten_loop``  -- the loop original (about 8 s for 1,000 points there);
* ``flatten_numpy`` -- the numpy-optimised follow-up (about 0.15 s for 1,000).

What the algorithm does, for every index i (x need not be uniform):

1. peak = g(0; 0) where g(t; mu) = (amplitude * cos(phi)) * exp(-((t - mu) /
   sigma)**2 / 2); the half-width "reach" distance is
   d = sigma * sqrt(-2 * ln((peak * reach) / (amplitude * cos(phi)))), with the
   left edge written as 0 - (d - 0). It does not depend on i.
2. The window ends are the indices of the x values nearest to x[i] + d and
   x[i] - d (first index of the nearest value; ties go to the lower index, and
   a duplicated x value maps to its first occurrence).
3. The window is y[lo:hi] -- its right end hi is EXCLUDED -- and the kernel
   uses INDEX distance, not x distance: weight_j = g(j; i - lo) for
   j = 0 .. hi-lo-1. The weights are divided by their sum and the smoothed
   value is sum(window * weights). An empty window (hi == lo, e.g. n = 1)
   gives 0.0.

These ports are for tests and timings only; they are as slow as the original.
"""

import numpy as np


def gauss_value(t, mu, sigma, phi, amplitude):
    """The questioner's Gaussian: (amplitude*cos(phi)) * exp(-((t-mu)/sigma)^2 / 2)."""
    return (amplitude * np.cos(phi)) * np.exp(-np.power(((t - mu) / sigma), 2) / 2)


def gauss_offsets(level, mu, sigma, phi, amplitude):
    """Both abscissae where gauss_value equals ``level``: [right, left]."""
    right = (sigma * np.sqrt(-2 * np.log(level / (amplitude * np.cos(phi))))) + mu
    return [right, (mu - (right - mu))]


def _edge_offsets(reach, sigma, phi, amplitude):
    peak = gauss_value(0, 0, sigma, phi, amplitude)
    return gauss_offsets(peak * reach, 0, sigma, phi, amplitude)


# --- the loop original -----------------------------------------------------

def _nearest_value_scan(target, values):
    """First value of ``values`` closest to ``target`` (strict < keeps the first)."""
    best = 0
    best_gap = np.abs(target - values[0])
    k = 1
    while k < len(values):
        gap = np.abs(target - values[k])
        if gap < best_gap:
            best_gap = gap
            best = k
        k += 1
    return values[best]


def _first_index_scan(values, wanted):
    for k in range(len(values)):
        if values[k] == wanted:
            return k
    return -1


def flatten_loop(x, y, reach, sigma, phi, amplitude):
    """Port of the original loop version; same arithmetic, our names."""
    x = np.asarray(x)
    y = np.asarray(y)
    out = np.empty(shape=len(x), dtype=float)
    for i in range(len(x)):
        centre = x[i]
        offsets = _edge_offsets(reach, sigma, phi, amplitude)
        hi = _first_index_scan(x, _nearest_value_scan(centre + offsets[0], x))
        lo = _first_index_scan(x, _nearest_value_scan(centre + offsets[1], x))
        count = hi - lo
        window = np.empty(shape=count, dtype=float)
        weights = np.empty(shape=count, dtype=float)
        for j in range(count):
            window[j] = y[j + lo]
            weights[j] = gauss_value(j, (i - lo), sigma, phi, amplitude)
        total = np.sum(weights)
        for j in range(len(weights)):
            weights[j] = weights[j] / total
        products = np.empty(shape=len(window), dtype=float)
        for j in range(len(window)):
            products[j] = window[j] * weights[j]
        out[i] = np.sum(products)
    return out


# --- the numpy-optimised follow-up -------------------------------------------

def _nearest_value_vec(target, values):
    values = np.asarray(values)
    return values[(np.abs(values - target)).argmin()]


def flatten_numpy(x, y, reach, sigma, phi, amplitude):
    """Port of the numpy-optimised version; same arithmetic, our names."""
    x = np.asarray(x)
    y = np.asarray(y)
    out = np.empty(shape=len(x), dtype=float)
    for i in range(len(x)):
        centre = x[i]
        offsets = _edge_offsets(reach, sigma, phi, amplitude)
        hi = np.where(x == _nearest_value_vec(centre + offsets[0], x))[0][0]
        lo = np.where(x == _nearest_value_vec(centre + offsets[1], x))[0][0]
        count = hi - lo
        window = y[lo: lo + count]
        weights = gauss_value(np.arange(count), (i - lo), sigma, phi, amplitude)
        out[i] = np.sum(window * (weights / np.sum(weights)))
    return out
