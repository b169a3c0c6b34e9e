//! Plot-space geometry: splitting series at undrawable points and clipping
//! to the plotting rectangle (plotters does not clip elements itself).

/// An axis-aligned rectangle `[x0, x1] × [y0, y1]` in plot space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl Rect {
    pub(crate) fn contains(&self, (x, y): (f64, f64)) -> bool {
        let ex = 1e-9 * (self.x1 - self.x0);
        let ey = 1e-9 * (self.y1 - self.y0);
        x >= self.x0 - ex && x <= self.x1 + ex && y >= self.y0 - ey && y <= self.y1 + ey
    }
}

/// Splits `points` into runs of consecutive drawable points (`map` returns
/// `None` for a point that cannot be drawn, e.g. NaN or ≤ 0 on a log axis).
pub(crate) fn split_runs(
    points: &[(f64, f64)],
    map: impl Fn((f64, f64)) -> Option<(f64, f64)>,
) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for &p in points {
        match map(p) {
            Some(q) => current.push(q),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Liang–Barsky clipping of the segment `a`-`b` to `r`.
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    r: &Rect,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Clips a polyline to `r`, returning the visible pieces (each ≥ 2 points).
pub(crate) fn clip_polyline(points: &[(f64, f64)], r: &Rect) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], r) {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(p);
                }
                current.push(q);
            }
            None => {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: Rect = Rect {
        x0: 0.0,
        x1: 1.0,
        y0: 0.0,
        y1: 1.0,
    };

    #[test]
    fn runs_break_at_bad_points() {
        let pts = [(0.0, 1.0), (1.0, f64::NAN), (2.0, 1.0), (3.0, 2.0)];
        let runs = split_runs(&pts, |p| (p.0.is_finite() && p.1.is_finite()).then_some(p));
        assert_eq!(runs, vec![vec![(0.0, 1.0)], vec![(2.0, 1.0), (3.0, 2.0)]]);
    }

    #[test]
    fn segment_clipping() {
        assert_eq!(
            clip_segment((-1.0, 0.5), (2.0, 0.5), &UNIT),
            Some(((0.0, 0.5), (1.0, 0.5)))
        );
        assert_eq!(clip_segment((2.0, 2.0), (3.0, 3.0), &UNIT), None);
        let inside = ((0.2, 0.2), (0.8, 0.9));
        assert_eq!(clip_segment(inside.0, inside.1, &UNIT), Some(inside));
    }

    #[test]
    fn polyline_leaving_and_reentering() {
        let pts = [(0.1, 0.5), (0.5, 2.0), (0.9, 0.5)];
        let pieces = clip_polyline(&pts, &UNIT);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0][0], (0.1, 0.5));
        assert_eq!(pieces[1].last(), Some(&(0.9, 0.5)));
        let whole = clip_polyline(&[(0.1, 0.1), (0.2, 0.3), (0.4, 0.4)], &UNIT);
        assert_eq!(whole, vec![vec![(0.1, 0.1), (0.2, 0.3), (0.4, 0.4)]]);
    }
}
