"""Study 06 peers: density heat-maps, for `density-30k-256`,
`density-1e6-1024` and `kde-30k-256`. Imported and registered by
bench_peers.py (see its header).

density-*: the same work as numlab's `gaussian_density`: the points binned
into the view grown by the kernel radius r = int(4 sigma + 0.5) px on every
side (so points outside the view count near its edges), a Gaussian filter of
sigma px (truncate 4, zeros outside the padded grid), the view cut out.
Binning by numpy.histogram2d (30k) or fast_histogram.histogram2d (1e6).

kde-30k-256: scipy.stats.gaussian_kde (Scott's factor on the full covariance)
evaluated at the 256 x 256 cell centres of the view; and KDEpy's FFTKDE
(linear binning + FFT, isotropic bandwidth: the Scott kernel's mean sigma,
its own 256 x 256 grid over the data), the fast binned estimate it is.
"""

import numpy as np


def _padded(p):
    x0, y0, x1, y1 = (float(v) for v in p["view"])
    w, h = int(p["width"]), int(p["height"])
    sigma, truncate = float(p["sigma"]), float(p["truncate"])
    r = int(truncate * sigma + 0.5)
    hx, hy = (x1 - x0) / w, (y1 - y0) / h
    rng = [[y0 - r * hy, y1 + r * hy], [x0 - r * hx, x1 + r * hx]]
    return rng, (h + 2 * r, w + 2 * r), r, sigma, truncate


def peer_numpy_density(inp):
    from scipy import ndimage
    rng, bins, r, sigma, truncate = _padded(inp.params)
    x, y = inp.x, inp.y

    def run():
        counts, _, _ = np.histogram2d(y, x, bins=bins, range=rng)
        blurred = ndimage.gaussian_filter(counts, sigma, mode="constant", truncate=truncate)
        return blurred[r:-r, r:-r] if r > 0 else blurred
    return run


def peer_fast_histogram_density(inp):
    from fast_histogram import histogram2d
    from scipy import ndimage
    rng, bins, r, sigma, truncate = _padded(inp.params)
    x, y = inp.x, inp.y

    def run():
        counts = histogram2d(y, x, bins=bins, range=rng)
        blurred = ndimage.gaussian_filter(counts, sigma, mode="constant", truncate=truncate)
        return blurred[r:-r, r:-r] if r > 0 else blurred
    return run


def _centres(p):
    x0, y0, x1, y1 = (float(v) for v in p["view"])
    w, h = int(p["width"]), int(p["height"])
    cx = x0 + (np.arange(w) + 0.5) * (x1 - x0) / w
    cy = y0 + (np.arange(h) + 0.5) * (y1 - y0) / h
    gx, gy = np.meshgrid(cx, cy)  # rows = y
    return np.vstack([gx.ravel(), gy.ravel()]), (h, w)


def peer_scipy_kde(inp):
    from scipy import stats
    pts, shape = _centres(inp.params)
    data = np.vstack([inp.x, inp.y])

    def run():
        kde = stats.gaussian_kde(data, bw_method="scott")
        return kde(pts).reshape(shape)
    return run


def peer_kdepy_fftkde(inp):
    from KDEpy import FFTKDE
    data = np.column_stack([inp.x, inp.y])
    n = len(inp.x)
    cov = np.cov(data.T)
    bw = float(np.sqrt(0.5 * (cov[0, 0] + cov[1, 1]))) * n ** (-1.0 / 6.0)
    w, h = int(inp.params["width"]), int(inp.params["height"])

    def run():
        _, values = FFTKDE(kernel="gaussian", bw=bw).fit(data).evaluate((w, h))
        return values.reshape(w, h).T
    return run


def check_grid(inp, out):
    out = np.asarray(out)
    shape = (int(inp.params["height"]), int(inp.params["width"]))
    if out.shape != shape:
        raise AssertionError("peer output shape %s != %s" % (out.shape, shape))
    if not np.all(np.isfinite(out)):
        raise AssertionError("peer output has non-finite values")


def density_inputs(name, n, size, sigma):
    def make(rng):
        params = {"view": [0.0, 0.0, 1.0, 1.0], "width": size, "height": size,
                  "sigma": sigma, "truncate": 4.0}
        return (name, params, rng.uniform(0.0, 1.0, n), rng.uniform(0.0, 1.0, n))
    return make


def kde_inputs(name, n, size):
    def make(rng):
        params = {"view": [0.0, 0.0, 1.0, 1.0], "width": size, "height": size,
                  "bandwidth": "scott"}
        return (name, params, rng.uniform(0.0, 1.0, n), rng.uniform(0.0, 1.0, n))
    return make


def register_all(register, inputs_cls):
    """Registers the study 06 peers with bench_peers.register."""
    def wrap(make):
        return lambda rng: inputs_cls(*make(rng))
    register("density-30k-256", "numpy histogram2d + ndimage.gaussian_filter", peer_numpy_density,
             wrap(density_inputs("density-30k-256", 30_000, 256, 10.0)), check=check_grid)
    register("density-1e6-1024", "fast_histogram + ndimage.gaussian_filter", peer_fast_histogram_density,
             wrap(density_inputs("density-1e6-1024", 10**6, 1024, 10.0)), check=check_grid)
    register("kde-30k-256", "scipy.stats.gaussian_kde", peer_scipy_kde,
             wrap(kde_inputs("kde-30k-256", 30_000, 256)), check=check_grid)
    register("kde-30k-256", "KDEpy FFTKDE (binned)", peer_kdepy_fftkde,
             wrap(kde_inputs("kde-30k-256", 30_000, 256)), goal=1, check=check_grid)
