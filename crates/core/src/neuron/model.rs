//! The Hodgkin-Huxley membrane with the questioner's parameters.
//!
//! Units throughout: membrane potential V in mV, time in ms, rates in 1/ms,
//! capacitance in uF/cm^2, conductances in mS/cm^2, currents in uA/cm^2
//! (so mS/cm^2 x mV = uA/cm^2 and uA/cm^2 / (uF/cm^2) = mV/ms).
//!
//! ```text
//! C dV/dt = I_app - g_Na m³h (V - E_Na) - g_K n⁴ (V - E_K) - g_L (V - E_L)
//! dx/dt   = α_x(V) (1 - x) - β_x(V) x          for x = m, h, n
//! α_m = 0.1 (V+40) / (1 - exp(-(V+40)/10))     β_m = 4 exp(-(V+65)/18)
//! α_h = 0.07 exp(-(V+65)/20)                   β_h = 1 / (1 + exp(-(V+35)/10))
//! α_n = 0.01 (V+55) / (1 - exp(-(V+55)/10))    β_n = 0.125 exp(-(V+65)/80)
//! ```
//!
//! α_m and α_n have removable singularities at V = -40 and -55 mV (0/0 in
//! the formula as written); [`x_over_one_minus_exp`] evaluates
//! x / (1 - e^(-x)) through `expm1`, with its limit 1 at x = 0.

use crate::error::{check, NumlabError, Result};

/// x / (1 - exp(-x)), the shape of α_m and α_n, accurate for every finite x
/// (uses `expm1`, so no cancellation near 0; the value at x = 0 is the limit 1).
#[inline]
pub fn x_over_one_minus_exp(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        x / -(-x).exp_m1()
    }
}

/// The rate functions α_x(V), β_x(V) of the gates, in 1/ms, V in mV.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Rates {
    /// α_m (1/ms).
    pub alpha_m: f64,
    /// β_m (1/ms).
    pub beta_m: f64,
    /// α_h (1/ms).
    pub alpha_h: f64,
    /// β_h (1/ms).
    pub beta_h: f64,
    /// α_n (1/ms).
    pub alpha_n: f64,
    /// β_n (1/ms).
    pub beta_n: f64,
}

impl Rates {
    /// The six rates at membrane potential `v` (mV), with the removable
    /// singularities of α_m (-40 mV) and α_n (-55 mV) evaluated as their limits
    /// (α_m(-40) = 1, α_n(-55) = 0.1 per ms).
    #[inline]
    pub fn at(v: f64) -> Rates {
        Rates {
            alpha_m: x_over_one_minus_exp((v + 40.0) / 10.0),
            beta_m: 4.0 * (-(v + 65.0) / 18.0).exp(),
            alpha_h: 0.07 * (-(v + 65.0) / 20.0).exp(),
            beta_h: 1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
            alpha_n: 0.1 * x_over_one_minus_exp((v + 55.0) / 10.0),
            beta_n: 0.125 * (-(v + 65.0) / 80.0).exp(),
        }
    }
}

/// The membrane's parameters. [`Default`] is the questioner's set (the
/// classic squid axon shifted to a -65 mV rest).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HhParams {
    /// Membrane capacitance C_m (uF/cm^2).
    pub c_m: f64,
    /// Maximal sodium conductance g_Na (mS/cm^2).
    pub g_na: f64,
    /// Maximal potassium conductance g_K (mS/cm^2).
    pub g_k: f64,
    /// Leak conductance g_L (mS/cm^2).
    pub g_l: f64,
    /// Sodium reversal potential E_Na (mV).
    pub e_na: f64,
    /// Potassium reversal potential E_K (mV).
    pub e_k: f64,
    /// Leak reversal potential E_L (mV).
    pub e_l: f64,
}

impl Default for HhParams {
    fn default() -> Self {
        HhParams {
            c_m: 1.0,
            g_na: 120.0,
            g_k: 36.0,
            g_l: 0.3,
            e_na: 50.0,
            e_k: -77.0,
            e_l: -54.387,
        }
    }
}

/// The state of one membrane: V (mV) and the gates m, h, n (dimensionless, in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct State {
    /// Membrane potential (mV).
    pub v: f64,
    /// Sodium activation.
    pub m: f64,
    /// Sodium inactivation.
    pub h: f64,
    /// Potassium activation.
    pub n: f64,
}

/// The ionic currents (uA/cm^2, positive outward).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Currents {
    /// I_Na = g_Na m³h (V - E_Na).
    pub i_na: f64,
    /// I_K = g_K n⁴ (V - E_K).
    pub i_k: f64,
    /// I_L = g_L (V - E_L).
    pub i_l: f64,
}

impl HhParams {
    /// Checks every parameter: finite; C_m > 0; conductances >= 0.
    ///
    /// # Errors
    /// [`NumlabError::InvalidParameter`] naming the first bad parameter.
    pub fn validate(&self) -> Result<()> {
        check::positive("c_m", self.c_m)?;
        for (name, g) in [("g_na", self.g_na), ("g_k", self.g_k), ("g_l", self.g_l)] {
            if !(g.is_finite() && g >= 0.0) {
                return Err(NumlabError::invalid(name, g, "must be finite and >= 0"));
            }
        }
        check::finite("e_na", self.e_na)?;
        check::finite("e_k", self.e_k)?;
        check::finite("e_l", self.e_l)?;
        Ok(())
    }

    /// The ionic currents at a state (uA/cm^2).
    #[inline]
    pub fn currents(&self, s: &State) -> Currents {
        Currents {
            i_na: self.g_na * s.m * s.m * s.m * s.h * (s.v - self.e_na),
            i_k: self.g_k * s.n * s.n * s.n * s.n * (s.v - self.e_k),
            i_l: self.g_l * (s.v - self.e_l),
        }
    }

    /// The right-hand side (dV/dt in mV/ms, dm/dt, dh/dt, dn/dt in 1/ms) at
    /// applied current `i_app` (uA/cm^2).
    ///
    /// Always inlined, as [`step`](super::step): with the error path's calls
    /// of `step`, LLVM otherwise leaves it out of [`simulate`](super::simulate)'s
    /// loop (hh-poisson-5000 2.5 % slower).
    #[inline(always)]
    pub fn derivative(&self, s: &State, i_app: f64) -> State {
        let r = Rates::at(s.v);
        let c = self.currents(s);
        State {
            v: (i_app - c.i_na - c.i_k - c.i_l) / self.c_m,
            m: r.alpha_m * (1.0 - s.m) - r.beta_m * s.m,
            h: r.alpha_h * (1.0 - s.h) - r.beta_h * s.h,
            n: r.alpha_n * (1.0 - s.n) - r.beta_n * s.n,
        }
    }

    /// The gates at their steady state x∞ = α/(α+β) for potential `v` (mV).
    pub fn steady_gates(v: f64) -> State {
        let r = Rates::at(v);
        State {
            v,
            m: r.alpha_m / (r.alpha_m + r.beta_m),
            h: r.alpha_h / (r.alpha_h + r.beta_h),
            n: r.alpha_n / (r.alpha_n + r.beta_n),
        }
    }

    /// The resting state at applied current `i_app` (uA/cm^2): the V where the
    /// steady-state ionic current equals `i_app`, gates at steady state. Found
    /// by bisection on [-100, 0] mV to 1e-13 mV (the steady-state I-V curve of
    /// these parameters is monotone there for currents below the repetitive
    /// firing threshold). At `i_app = 0` (the questioner's parameters) V is
    /// -65.0 mV to within 0.01 mV, m = 0.053, h = 0.596, n = 0.318.
    ///
    /// # Errors
    /// Invalid parameters or `i_app` not finite; no root in [-100, 0] mV.
    pub fn resting_state(&self, i_app: f64) -> Result<State> {
        self.validate()?;
        check::finite("current", i_app)?;
        let f = |v: f64| {
            let s = Self::steady_gates(v);
            let c = self.currents(&s);
            c.i_na + c.i_k + c.i_l - i_app
        };
        let (mut lo, mut hi) = (-100.0, 0.0);
        let (flo, fhi) = (f(lo), f(hi));
        if !(flo < 0.0 && fhi > 0.0) {
            return Err(NumlabError::invalid(
                "current",
                i_app,
                "has no steady state in [-100, 0] mV with these parameters",
            ));
        }
        while hi - lo > 1e-13 {
            let mid = 0.5 * (lo + hi);
            if f(mid) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(Self::steady_gates(0.5 * (lo + hi)))
    }
}
