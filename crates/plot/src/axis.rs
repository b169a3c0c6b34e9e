//! Axis ranges, tick positions and tick labels.
//!
//! Drawing happens in "plot space": data units on a linear axis, `log10` of
//! the data on a logarithmic one. plotters then only ever sees a linear
//! `f64` range with explicit key points, which gives full control over log
//! ticks (decades labelled `10⁻³`, minor ticks at 2..9) and labels.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::model::Scale;
use crate::PlotError;

/// Fractional margin added on each side of auto-fitted ranges (of the span,
/// in decades on a log axis).
const MARGIN: f64 = 0.04;

/// Maps a data value into plot space; `None` if it cannot be drawn.
pub(crate) fn to_plot(scale: Scale, v: f64) -> Option<f64> {
    match scale {
        Scale::Linear => v.is_finite().then_some(v),
        Scale::Log10 => (v.is_finite() && v > 0.0).then(|| v.log10()),
    }
}

/// The plot-space range of one axis: explicit, or fitted to `values`
/// (already in plot space).
pub(crate) fn resolve_range(
    axis: &'static str,
    scale: Scale,
    explicit: Option<(f64, f64)>,
    values: impl Iterator<Item = f64>,
) -> Result<(f64, f64), PlotError> {
    let invalid = |min: f64, max: f64, reason: &'static str| PlotError::InvalidRange {
        axis,
        min,
        max,
        scale: scale.name(),
        reason,
    };
    if let Some((min, max)) = explicit {
        if !(min.is_finite() && max.is_finite()) {
            return Err(invalid(min, max, "bounds must be finite"));
        }
        if min >= max {
            return Err(invalid(min, max, "min must be less than max"));
        }
        if scale == Scale::Log10 && min <= 0.0 {
            return Err(invalid(min, max, "bounds must be positive"));
        }
        let (lo, hi) = match scale {
            Scale::Linear => (min, max),
            Scale::Log10 => (min.log10(), max.log10()),
        };
        if !(hi - lo).is_finite() || hi <= lo {
            return Err(invalid(
                min,
                max,
                "the range is too narrow or too wide to draw",
            ));
        }
        return Ok((lo, hi));
    }

    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let (a, b) = if lo > hi {
        // No drawable data: a unit range (0..1, or 1..10 on a log axis).
        (0.0, 1.0)
    } else if match scale {
        Scale::Linear => hi - lo <= 1e-12 * lo.abs().max(hi.abs()),
        Scale::Log10 => hi - lo <= 1e-9,
    } {
        // One distinct value: centre it.
        let half = match scale {
            Scale::Linear => (0.1 * lo.abs()).max(0.5),
            Scale::Log10 => 0.5,
        };
        (lo - half, hi + half)
    } else {
        let m = MARGIN * (hi - lo);
        (lo - m, hi + m)
    };
    if !(a.is_finite() && b.is_finite() && (b - a).is_finite() && b > a) {
        let back = |v: f64| match scale {
            Scale::Linear => v,
            Scale::Log10 => 10f64.powf(v),
        };
        return Err(invalid(
            back(lo),
            back(hi),
            "the data span is too wide to draw; set the range explicitly",
        ));
    }
    Ok((a, b))
}

/// Ticks of one axis, in plot space, all inside the range.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    /// Labelled ticks with a major grid line.
    pub major: Vec<f64>,
    /// Unlabelled ticks with a faint grid line.
    pub minor: Vec<f64>,
    /// How labels are written.
    pub format: LabelFormat,
}

/// How the labels of an axis are written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum LabelFormat {
    /// Plain decimals with a fixed number of digits after the point.
    Fixed { decimals: usize },
    /// `m×10ᵉ` with a fixed number of mantissa decimals.
    Scientific { decimals: usize },
    /// Log axis, decades only: `10ᵏ`.
    Decades,
    /// Log axis, narrow range: the value `10^v` written plainly.
    LogValues,
    /// Log axis, very narrow range: `10^v` with fixed decimals.
    LogFixed { decimals: usize },
}

impl Ticks {
    /// Label text for a major tick at plot-space value `v`.
    pub(crate) fn label(&self, v: f64) -> String {
        match self.format {
            LabelFormat::Fixed { decimals } => fixed(v, decimals),
            LabelFormat::Scientific { decimals } => scientific(v, decimals),
            LabelFormat::Decades => format!("10{}", superscript(&(v.round() as i64).to_string())),
            LabelFormat::LogValues => plain_value(10f64.powf(v)),
            LabelFormat::LogFixed { decimals } => fixed(10f64.powf(v), decimals),
        }
    }
}

/// Ticks for a plot-space range `lo..hi`, aiming at about `target` labels.
pub(crate) fn ticks(scale: Scale, lo: f64, hi: f64, target: usize) -> Ticks {
    match scale {
        Scale::Linear => linear_ticks(lo, hi, target),
        Scale::Log10 => log_ticks(lo, hi, target),
    }
}

fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // The tolerance keeps 0.5 / 5 = 0.1 from rounding up to a step of 0.2.
    let r = raw / mag * (1.0 - 1e-9);
    let m = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 2.5 {
        2.5
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Multiples of `step` inside `[lo, hi]` (with a relative tolerance).
fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let eps = 1e-9;
    let first = (lo / step - eps).ceil();
    let last = (hi / step + eps).floor();
    if !(first.is_finite() && last.is_finite()) || last - first > 1000.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut k = first;
    while k <= last {
        out.push(k * step);
        k += 1.0;
    }
    out
}

/// Number of decimals needed to write multiples of `step` exactly.
fn decimals_for(step: f64) -> usize {
    for d in 0..15 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0) {
            return d;
        }
    }
    15
}

fn linear_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let step = nice_step(hi - lo, target);
    let major = multiples(lo, hi, step);
    let mantissa = step / 10f64.powf(step.log10().floor());
    let sub = if (mantissa - 2.0).abs() < 1e-9 {
        step / 4.0
    } else {
        step / 5.0
    };
    let minor = multiples(lo, hi, sub)
        .into_iter()
        .filter(|v| major.iter().all(|m| (m - v).abs() > 1e-6 * step))
        .collect();
    let biggest = lo.abs().max(hi.abs());
    let format = if !(1e-3..1e5).contains(&biggest) {
        let e = biggest.log10().floor();
        LabelFormat::Scientific {
            decimals: decimals_for(step / 10f64.powf(e)),
        }
    } else {
        LabelFormat::Fixed {
            decimals: decimals_for(step),
        }
    };
    // Values like 3 * 0.1 = 0.30000000000000004 are fine: labels round.
    Ticks {
        major,
        minor,
        format,
    }
}

fn log_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let inside = |v: f64| v >= lo - 1e-9 && v <= hi + 1e-9;
    let first = lo.ceil();
    let last = hi.floor();
    let decades = if last >= first {
        last - first + 1.0
    } else {
        0.0
    };
    let decade_ticks = || {
        // Label every `step`-th decade, the smallest nice step that keeps
        // the number of labels near the target.
        let count = |step: f64| {
            let mut n = 0usize;
            let mut d = first;
            while d <= last {
                if d.rem_euclid(step) == 0.0 {
                    n += 1;
                }
                d += 1.0;
            }
            n
        };
        let step = [1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0]
            .into_iter()
            .find(|&s| count(s) <= target.max(2) + 1)
            .unwrap_or(100.0);
        let mut major = Vec::new();
        let mut minor = Vec::new();
        let mut d = first;
        while d <= last {
            if d.rem_euclid(step) == 0.0 {
                major.push(d);
            } else {
                minor.push(d);
            }
            d += 1.0;
        }
        if step == 1.0 && decades <= 40.0 {
            let mut d = lo.floor();
            while d <= hi {
                for k in 2..10 {
                    let v = d + (k as f64).log10();
                    if inside(v) {
                        minor.push(v);
                    }
                }
                d += 1.0;
            }
        }
        Ticks {
            major,
            minor,
            format: LabelFormat::Decades,
        }
    };
    if decades >= 3.0 {
        return decade_ticks();
    }
    // Fewer than three decades: label 1-2-5 (or every integer mantissa).
    let mantissa_ticks = |ks: &[u32]| -> Vec<f64> {
        let mut out = Vec::new();
        let mut d = lo.floor();
        while d <= hi.ceil() {
            for &k in ks {
                let v = d + f64::from(k).log10();
                if inside(v) {
                    out.push(v);
                }
            }
            d += 1.0;
        }
        out
    };
    let all: Vec<f64> = mantissa_ticks(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let mut major = mantissa_ticks(&[1, 2, 5]);
    if major.len() > target + 2 && decades >= 2.0 {
        return decade_ticks();
    }
    if major.len() < 3 {
        major = all.clone();
    }
    if major.len() < 2 {
        // Very narrow: nice linear steps in data units, shown in log space.
        let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
        let step = nice_step(b - a, target);
        major = multiples(a, b, step)
            .into_iter()
            .filter(|v| *v > 0.0)
            .map(f64::log10)
            .collect();
        return Ticks {
            major,
            minor: Vec::new(),
            format: LabelFormat::LogFixed {
                decimals: decimals_for(step),
            },
        };
    }
    let minor = all
        .into_iter()
        .filter(|v| major.iter().all(|m| (m - v).abs() > 1e-9))
        .collect();
    Ticks {
        major,
        minor,
        format: LabelFormat::LogValues,
    }
}

/// A plotters coordinate for one axis in plot space, with our own ticks:
/// major ticks get a grid line and a label, minor ones a faint grid line.
pub(crate) struct AxisCoord {
    lo: f64,
    hi: f64,
    major: Vec<f64>,
    minor: Vec<f64>,
}

impl AxisCoord {
    pub(crate) fn new(lo: f64, hi: f64, ticks: &Ticks) -> Self {
        AxisCoord {
            lo,
            hi,
            major: ticks.major.clone(),
            minor: ticks.minor.clone(),
        }
    }
}

impl Ranged for AxisCoord {
    // Labels always come from our formatter; this only satisfies plotters'
    // `ValueFormatter` bound on `configure_mesh`.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        // Same arithmetic as plotters' own f64 coordinate. `lo < hi` holds
        // (resolve_range guarantees it); `as i32` saturates far outside.
        let t = (*v - self.lo) / (self.hi - self.lo);
        let len = f64::from(limit.1 - limit.0);
        if !t.is_finite() {
            return if t > 0.0 { limit.1 } else { limit.0 };
        }
        if len >= 0.0 {
            limit.0 + (len * t + 1e-3).floor() as i32
        } else {
            limit.0 + (len * t - 1e-3).ceil() as i32
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.major.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Replaces an ASCII minus by the typographic minus sign.
fn typographic_minus(s: String) -> String {
    if s.starts_with('-') {
        s.replacen('-', "\u{2212}", 1)
    } else {
        s
    }
}

fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    // "-0", "-0.00": a rounded zero carries no sign.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return s.trim_start_matches('-').to_string();
    }
    typographic_minus(s)
}

fn scientific(v: f64, decimals: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".to_string();
    }
    let e = v.abs().log10().floor();
    let m = v / 10f64.powf(e);
    let (m, e) = if (format!("{:.*}", decimals, m.abs())).starts_with("10") {
        (m / 10.0, e + 1.0)
    } else {
        (m, e)
    };
    format!(
        "{}×10{}",
        fixed(m, decimals),
        superscript(&format!("{}", e))
    )
}

/// A positive value written compactly with up to 3 significant digits.
fn plain_value(x: f64) -> String {
    if !(x.is_finite() && x > 0.0) {
        return String::new();
    }
    let e = x.log10().floor();
    if !(-3.0..5.0).contains(&e) {
        let m = x / 10f64.powf(e);
        return format!(
            "{}×10{}",
            trim(format!("{:.2}", m)),
            superscript(&format!("{}", e))
        );
    }
    let decimals = (2.0 - e).max(0.0) as usize;
    trim(format!("{:.*}", decimals, x))
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Writes digits and signs as Unicode superscripts (DejaVu Sans has them all).
pub(crate) fn superscript(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            '-' => '⁻',
            '+' => '⁺',
            '.' => '·',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(1.0, 4), 0.25);
        assert_eq!(nice_step(100.0, 10), 10.0);
        assert_eq!(nice_step(7.0, 2), 5.0);
    }

    #[test]
    fn linear_ticks_cover_range() {
        let t = linear_ticks(-0.4, 10.4, 6);
        assert_eq!(t.major, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(t.label(4.0), "4");
        let t = linear_ticks(-1.05, 1.05, 8);
        assert_eq!(t.label(-0.5), "\u{2212}0.5");
        assert_eq!(t.label(-1e-17), "0.0");
        let t = linear_ticks(0.0, 1.0, 4);
        assert_eq!(t.label(0.25), "0.25");
    }

    #[test]
    fn scientific_labels() {
        let t = linear_ticks(0.0, 3e6, 6);
        assert!(matches!(t.format, LabelFormat::Scientific { .. }));
        assert_eq!(t.label(1e6), "1.0×10⁶");
        assert_eq!(t.label(0.0), "0");
    }

    #[test]
    fn log_decades() {
        let t = log_ticks(-3.2, 1.3, 8);
        assert_eq!(t.major, vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        assert_eq!(t.label(-3.0), "10⁻³");
        assert_eq!(t.label(1.0), "10¹");
        assert!(t.minor.iter().any(|v| (v - 2f64.log10()).abs() < 1e-12));
        // 30 decades, 6 labels: every 5th decade.
        let t = log_ticks(-30.0, 0.0, 6);
        assert_eq!(t.major, vec![-30.0, -25.0, -20.0, -15.0, -10.0, -5.0, 0.0]);
    }

    #[test]
    fn log_narrow() {
        let t = log_ticks(2f64.log10(), 60f64.log10(), 6);
        assert_eq!(t.format, LabelFormat::LogValues);
        let labels: Vec<String> = t.major.iter().map(|v| t.label(*v)).collect();
        assert_eq!(labels, vec!["2", "5", "10", "20", "50"]);
        let t = log_ticks(100f64.log10(), 100.5f64.log10(), 5);
        let labels: Vec<String> = t.major.iter().map(|v| t.label(*v)).collect();
        assert_eq!(
            labels,
            vec!["100.0", "100.1", "100.2", "100.3", "100.4", "100.5"]
        );
    }

    #[test]
    fn auto_ranges() {
        let r = resolve_range("x", Scale::Linear, None, [0.0, 10.0].into_iter()).unwrap();
        assert!((r.0 + 0.4).abs() < 1e-12 && (r.1 - 10.4).abs() < 1e-12);
        let r = resolve_range("x", Scale::Linear, None, std::iter::empty()).unwrap();
        assert_eq!(r, (0.0, 1.0));
        let r = resolve_range("x", Scale::Log10, None, [2.0].into_iter()).unwrap();
        assert_eq!(r, (1.5, 2.5));
        let e = resolve_range("y", Scale::Log10, Some((0.0, 1.0)), std::iter::empty());
        assert!(matches!(e, Err(PlotError::InvalidRange { axis: "y", .. })));
        let e = resolve_range("y", Scale::Linear, Some((1.0, 1.0)), std::iter::empty());
        assert!(matches!(e, Err(PlotError::InvalidRange { .. })));
        let e = resolve_range("y", Scale::Linear, None, [-1e308, 1e308].into_iter());
        assert!(matches!(e, Err(PlotError::InvalidRange { .. })));
    }

    #[test]
    fn plain_values() {
        assert_eq!(plain_value(2.0), "2");
        assert_eq!(plain_value(0.05), "0.05");
        assert_eq!(plain_value(200.0), "200");
        assert_eq!(plain_value(2e6), "2×10⁶");
    }
}
