"""Study 03 peers: the questioner's NumPy slicing leapfrog, for
`leapfrog-1e6x1000` and `convergence-sweep`. Imported and registered by
bench_peers.py (see its header).

leapfrog-1e6x1000: their slicing step, made periodic on n distinct cells
(p_0 and u_{n-1} take the wrapped neighbour, the same arithmetic per cell
as numlab), 1000 steps on copies of numlab's inputs (p then u).

convergence-sweep: their script as posted, per NX in 50, 100, ..., 950:
x = linspace(0, 1, NX), dt = CFL dx, for each time in arange(0, T, dt):
one slicing step, then the L2 errors of p and u against the exact solution,
appended every step. Their grid, start and comparison time are kept (the
study explains why they are wrong); the work per step is what is timed.
"""

import numpy as np


def periodic_step(p, u, c):
    """One periodic step in their slicing style (in place)."""
    p0 = p[0] + c * (u[-1] - u[0])
    p[1:] += c * (u[:-1] - u[1:])
    p[0] = p0
    u[:-1] += c * (p[:-1] - p[1:])
    u[-1] += c * (p[-1] - p[0])


def peer_leapfrog_numpy(inp):
    n = int(inp.params["n"])
    steps = int(inp.params["steps"])
    cfl = float(inp.params["cfl"])
    dx = 1.0 / n
    c = (cfl * dx) / dx  # numlab's c = dt/dx with dt = cfl dx
    p_init = inp.y[:n]
    u_init = inp.y[n:2 * n]

    def run():
        p = p_init.copy()
        u = u_init.copy()
        for _ in range(steps):
            periodic_step(p, u, c)
        return np.concatenate([p, u])
    return run


def check_leapfrog(inp, out):
    out = np.asarray(out)
    if out.shape != inp.y.shape or not np.all(np.isfinite(out)):
        raise AssertionError("leapfrog output: shape or non-finite values")


def leapfrog_inputs(name, n, steps, cfl):
    def make(rng):
        x = np.arange(n) / n
        dt = cfl / n
        p = -np.cos(2 * np.pi * x) + 2 * np.sin(6 * np.pi * x)
        xu = x + 0.5 / n
        u = np.cos(2 * np.pi * (xu + dt / 2)) + 2 * np.sin(6 * np.pi * (xu - dt / 2))
        return (name, {"n": n, "steps": steps, "cfl": cfl, "length": 1.0}, None, np.concatenate([p, u]))
    return make


def questioner_sweep(nn, cfl, t_end):
    """Their script: errors of p and u after every step, for each NX."""
    def p0(x):
        return np.cos(2 * np.pi * x)

    def u0(x):
        return -np.cos(2 * np.pi * x)

    def p_exact(x, t):
        return p0(x + t)

    def u_exact(x, t):
        return u0(x + t)

    def leapfrog_step(p, u):
        p[1:] += cfl * (u[:-1] - u[1:])
        p[0] = p[-1]
        u[:-1] += cfl * (p[:-1] - p[1:])
        u[-1] = u[0]
        return p, u

    ep, eu = [], []
    for nx in nn:
        errorsp = []
        errorsu = []
        x = np.linspace(0, 1, nx)
        dx = x[1] - x[0]
        dt = cfl * dx
        t = np.arange(0, t_end, dt)
        for time in t:
            if time == 0:
                p = p0(x)
                u = u0(x)
            p, u = leapfrog_step(p, u)
            errorsp.append(np.linalg.norm((p - p_exact(x, time)), 2))
            errorsu.append(np.linalg.norm((u - u_exact(x, time)), 2))
        errorsp = np.array(errorsp) * dx ** (1 / 2)
        errorsu = np.array(errorsu) * dx ** (1 / 2)
        ep.append(errorsp[-1])
        eu.append(errorsu[-1])
    return np.array(ep + eu)


def peer_sweep_numpy(inp):
    nn = [int(v) for v in inp.params["nx"]]
    cfl = float(inp.params["cfl"])
    t_end = float(inp.params["t_end"])
    return lambda: questioner_sweep(nn, cfl, t_end)


def check_sweep(inp, out):
    out = np.asarray(out)
    if out.shape != (2 * len(inp.params["nx"]),) or not np.all(np.isfinite(out)):
        raise AssertionError("sweep output: shape or non-finite values")


def sweep_inputs(name):
    def make(rng):
        return (name, {"nx": list(range(50, 1000, 50)), "cfl": 0.3, "t_end": 2.0}, None, np.zeros(0))
    return make


def register_all(register, inputs_cls):
    """Registers the study 03 peers with bench_peers.register."""
    def wrap(make):
        return lambda rng: inputs_cls(*make(rng))
    register("leapfrog-1e6x1000", "questioner's numpy slicing (periodic)", peer_leapfrog_numpy,
             wrap(leapfrog_inputs("leapfrog-1e6x1000", 10**6, 1000, 0.3)), check=check_leapfrog)
    register("convergence-sweep", "questioner's numpy script (errors every step)", peer_sweep_numpy,
             wrap(sweep_inputs("convergence-sweep")), check=check_sweep)
