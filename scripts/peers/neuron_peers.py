"""Study 05 peers: Brian2 (cython target) for `hh-poisson-5000` and
`cobahh-4000`, and the questioner's NumPy scan for `hh-poisson-5000`.
Imported and registered by bench_peers.py (see its header); the COBAHH model
is also used by scripts/fixtures/cobahh_brian2.py.

hh-poisson-5000: one HH neuron (the questioner's parameters, forward Euler,
dt 0.01 ms, 300 ms, I_app 3 uA/cm^2) from rest, 4000 excitatory and 1000
inhibitory sources at 10 Hz with transmission p = 0.5 as Brian2
PoissonInputs (binomial draws per step, rate 10 Hz x p), jumps of +1 mV and
-4 mV, V recorded every step by a StateMonitor. Each timed call builds the
network is built once and stored; each timed call restores it to t = 0 and
runs (the first call generates and compiles the cython code, the timed calls
reuse it: a warm run, Brian2's most favourable timing).

cobahh-4000: Brian2's COBAHH example (Brette et al. 2007, benchmark 3) as
numlab_core::neuron::network states it, 1 s at dt 0.1 ms, spikes monitored.
"""

import numpy as np


def _brian2():
    import brian2 as b2
    b2.prefs.codegen.target = "cython"
    b2.prefs.logging.console_log_level = "ERROR"
    return b2


def hh_poisson_build(n_exc=4000, n_inh=1000, rate_hz=10.0, p=0.5, weight_mv=1.0, k_inh=4.0,
                     current=3.0, dt_ms=0.01, seed=None):
    """The network (stored at t = 0) and its V monitor."""
    b2 = _brian2()
    from brian2 import ms, mV, Hz
    b2.start_scope()
    b2.defaultclock.dt = dt_ms * ms
    if seed is not None:
        b2.seed(seed)
    eqs = """
    dv/dt = (I_app - gNa*m**3*h*(v/mV - ENa) - gK*n**4*(v/mV - EK) - gL*(v/mV - EL)) / Cm * mV/ms : volt
    dm/dt = (alpha_m*(1-m) - beta_m*m) / ms : 1
    dh/dt = (alpha_h*(1-h) - beta_h*h) / ms : 1
    dn/dt = (alpha_n*(1-n) - beta_n*n) / ms : 1
    alpha_m = 1.0/exprel(-(v/mV + 40)/10) : 1
    beta_m = 4*exp(-(v/mV + 65)/18) : 1
    alpha_h = 0.07*exp(-(v/mV + 65)/20) : 1
    beta_h = 1/(1 + exp(-(v/mV + 35)/10)) : 1
    alpha_n = 0.1/exprel(-(v/mV + 55)/10) : 1
    beta_n = 0.125*exp(-(v/mV + 65)/80) : 1
    """
    ns = dict(I_app=current, gNa=120.0, gK=36.0, gL=0.3, ENa=50.0, EK=-77.0, EL=-54.387, Cm=1.0)
    g = b2.NeuronGroup(1, eqs, method="euler", namespace=ns)
    g.v = -64.99637933119202 * mV
    g.m, g.h, g.n = 0.05295508681300837, 0.5959941247398624, 0.3177323997608664
    pe = b2.PoissonInput(g, "v", n_exc, rate_hz * p * Hz, weight=weight_mv * mV)
    pi = b2.PoissonInput(g, "v", n_inh, rate_hz * p * Hz, weight=-k_inh * weight_mv * mV)
    mon = b2.StateMonitor(g, "v", record=True)
    net = b2.Network(g, pe, pi, mon)
    net.store()
    return net, mon


def hh_poisson_run(duration_ms=300.0, **kw):
    """One run from scratch; returns V (mV) at every step."""
    from brian2 import ms, mV
    net, mon = hh_poisson_build(**kw)
    net.run(duration_ms * ms)
    return np.asarray(mon.v[0] / mV)


def cobahh_build(seed=None, n_total=4000, n_exc=3200):
    """Brian2's COBAHH example, built and stored at t = 0; returns (net, spike monitor)."""
    b2 = _brian2()
    from brian2 import ms, mV, nS, umetre, cm, ufarad, siemens, msiemens
    b2.start_scope()
    b2.defaultclock.dt = 0.1 * ms
    if seed is not None:
        b2.seed(seed)
    area = 20000 * umetre ** 2
    ns = dict(
        Cm=(1 * ufarad * cm ** -2) * area,
        gl=(5e-5 * siemens * cm ** -2) * area,
        El=-60 * mV, EK=-90 * mV, ENa=50 * mV,
        g_na=(100 * msiemens * cm ** -2) * area,
        g_kd=(30 * msiemens * cm ** -2) * area,
        VT=-63 * mV, taue=5 * ms, taui=10 * ms, Ee=0 * mV, Ei=-80 * mV,
        we=6 * nS, wi=67 * nS,
    )
    eqs = b2.Equations("""
    dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-
             g_na*(m*m*m)*h*(v-ENa)-
             g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpha_m*(1-m)-beta_m*m : 1
    dn/dt = alpha_n*(1-n)-beta_n*n : 1
    dh/dt = alpha_h*(1-h)-beta_h*h : 1
    dge/dt = -ge*(1./taue) : siemens
    dgi/dt = -gi*(1./taui) : siemens
    alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
    beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
    alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
    beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    """)
    P = b2.NeuronGroup(n_total, model=eqs, threshold="v>-20*mV", refractory=3 * ms,
                       method="exponential_euler", namespace=ns)
    Pe = P[:n_exc]
    Pi = P[n_exc:]
    Ce = b2.Synapses(Pe, P, on_pre="ge+=we", namespace=ns)
    Ci = b2.Synapses(Pi, P, on_pre="gi+=wi", namespace=ns)
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    P.v = "El + (randn() * 5 - 5)*mV"
    P.ge = "(randn() * 1.5 + 4) * 10.*nS"
    P.gi = "(randn() * 12 + 20) * 10.*nS"
    mon = b2.SpikeMonitor(P)
    net = b2.Network(P, Ce, Ci, mon)
    net.store()
    return net, mon


def cobahh_run(duration_ms=1000.0, seed=None):
    """One COBAHH run from scratch; returns (spike indices, spike times in ms)."""
    from brian2 import ms
    net, mon = cobahh_build(seed)
    net.run(duration_ms * ms)
    return np.asarray(mon.i[:]), np.asarray(mon.t[:] / ms)


def questioner_scan(n_exc, n_inh, rate_hz, p, weight_mv, k_inh, current, duration_ms, dt, rng):
    """The questioner's script (forward Euler, spike list scanned each step,
    np.any instead of sum as the accepted answer suggests), pulses as jumps of
    weight_mv (their C_m G_ex is applied as weight_mv / dt)."""
    C_m, g_Na, g_K, g_L, E_Na, E_K, E_L = 1.0, 120.0, 36.0, 0.3, 50.0, -77.0, -54.387
    t = np.arange(0.0, duration_ms, dt)
    n = n_exc + n_inh
    spks = []
    for src in range(n):
        spkt = t[rng.random(len(t)) < rate_hz * dt / 1000.0]
        spks.append(np.stack([np.full(len(spkt), src, dtype=float), spkt], axis=1))
    spks = np.concatenate(spks, axis=0)
    exspk = spks[spks[:, 0] < n_exc]
    inspk = spks[spks[:, 0] >= n_exc]
    G = weight_mv / dt

    def i_syn(tt):
        dk = exspk[:, 1] == tt
        hk = (rng.random(len(dk)) < p) if np.any(dk) else 0
        dm = inspk[:, 1] == tt
        hm = (rng.random(len(dm)) < p) if np.any(dm) else 0
        return C_m * G * (np.sum(hk * dk) - k_inh * np.sum(hm * dm))

    def f(x, tt):
        v, m, h, nn = x
        am = 0.1 * (v + 40.0) / (1.0 - np.exp(-(v + 40.0) / 10.0))
        bm = 4.0 * np.exp(-(v + 65.0) / 18.0)
        ah = 0.07 * np.exp(-(v + 65.0) / 20.0)
        bh = 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0))
        an = 0.01 * (v + 55.0) / (1.0 - np.exp(-(v + 55.0) / 10.0))
        bn = 0.125 * np.exp(-(v + 65) / 80.0)
        ina = g_Na * m ** 3 * h * (v - E_Na)
        ik = g_K * nn ** 4 * (v - E_K)
        il = g_L * (v - E_L)
        return np.array([(current + i_syn(tt) - ina - ik - il) / C_m,
                         am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - nn) - bn * nn])

    X = [np.array([-65.0, 0.05, 0.6, 0.32])]
    for tt in t[1:]:
        X.append(X[-1] + dt * f(X[-1], tt))
    return np.array(X)[:, 0]


def peer_hh_brian2(inp):
    """Built once; each timed call restores t = 0 and runs (the warm run:
    code generated and compiled by the warm-up call)."""
    from brian2 import ms, mV
    pr = inp.params
    net, mon = hh_poisson_build(
        n_exc=int(pr["n_exc"]), n_inh=int(pr["n_inh"]), rate_hz=float(pr["rate_hz"]),
        p=float(pr["p"]), weight_mv=float(pr["weight_mv"]), k_inh=float(pr["k_inh"]),
        current=float(pr["current"]), dt_ms=float(pr["dt_ms"]))
    d = float(pr["duration_ms"])

    def run():
        net.restore()
        net.run(d * ms)
        return np.asarray(mon.v[0] / mV)
    return run


def peer_hh_questioner(inp):
    pr = inp.params
    rng = np.random.default_rng(5)
    return lambda: questioner_scan(int(pr["n_exc"]), int(pr["n_inh"]), float(pr["rate_hz"]),
                                   float(pr["p"]), float(pr["weight_mv"]), float(pr["k_inh"]),
                                   float(pr["current"]), float(pr["duration_ms"]),
                                   float(pr["dt_ms"]), rng)


def peer_cobahh_brian2(inp):
    """Built once (connectivity, start); each timed call restores t = 0 and
    runs 1 s (warm: compiled by the warm-up call). numlab's timed call also
    builds its network."""
    from brian2 import ms
    d = float(inp.params["duration_ms"])
    net, mon = cobahh_build()

    def run():
        net.restore()
        net.run(d * ms)
        return np.array([mon.num_spikes / 4000.0 / (d / 1000.0)])
    return run


def check_trace(inp, out):
    out = np.asarray(out)
    steps = int(round(float(inp.params["duration_ms"]) / float(inp.params["dt_ms"])))
    if abs(len(out) - steps) > 1 or not np.all(np.isfinite(out)):
        raise AssertionError("hh trace: %d values for %d steps, or non-finite" % (len(out), steps))


def check_rate(inp, out):
    out = np.asarray(out)
    if out.shape != (1,) or not (1.0 < out[0] < 200.0):
        raise AssertionError("cobahh mean rate out of range: %s" % out)


HH_PARAMS = {"n_exc": 4000, "n_inh": 1000, "rate_hz": 10.0, "p": 0.5, "weight_mv": 1.0,
             "k_inh": 4.0, "current": 3.0, "duration_ms": 300.0, "dt_ms": 0.01}


def register_all(register, inputs_cls):
    """Registers the study 05 peers with bench_peers.register."""
    hh = lambda rng: inputs_cls("hh-poisson-5000", dict(HH_PARAMS), None, np.zeros(0))  # noqa: E731
    co = lambda rng: inputs_cls("cobahh-4000", {"duration_ms": 1000.0, "dt_ms": 0.1}, None, np.zeros(0))  # noqa: E731
    register("hh-poisson-5000", "Brian2 2.9 (cython, warm)", peer_hh_brian2, hh, check=check_trace)
    register("hh-poisson-5000", "questioner's numpy scan (np.any)", peer_hh_questioner, hh,
             check=check_trace)
    register("cobahh-4000", "Brian2 2.9 (cython, warm)", peer_cobahh_brian2, co, check=check_rate)
