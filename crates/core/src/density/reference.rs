//! Naive, obviously correct versions of the density computations, and the
//! questioner's functions ported: the fast paths are tested against these.
//!
//! Nothing here validates its input beyond what it needs not to panic; it
//! is meant for tests, studies and benchmarks' accuracy checks.

use super::View;

/// NumPy's `histogram2d(y, x, bins=(height, width), range=[[y0, y1], [x0, x1]])`
/// literally: edges by `linspace`, bins by `searchsorted(side="right")`,
/// values equal to the last edge moved into the last bin, the rest of the
/// outliers (and NaN) dropped. Row-major, row = y bin.
pub fn histogram2d_numpy(
    x: &[f64],
    y: &[f64],
    view: &View,
    width: usize,
    height: usize,
) -> Vec<f64> {
    let ex = super::hist::edges(view.x0, view.x1, width);
    let ey = super::hist::edges(view.y0, view.y1, height);
    let search = |e: &[f64], v: f64| -> Option<usize> {
        // searchsorted(e, v, side="right"): the number of edges <= v.
        let mut k = e.iter().take_while(|&&edge| edge <= v).count();
        if v == e[e.len() - 1] {
            k -= 1;
        }
        (k >= 1 && k < e.len()).then(|| k - 1)
    };
    let mut h = vec![0.0; width * height];
    for (&a, &b) in x.iter().zip(y) {
        if let (Some(c), Some(r)) = (search(&ex, a), search(&ey, b)) {
            h[r * width + c] += 1.0;
        }
    }
    h
}

/// The valid 2-D correlation of a `width` × `height` grid with the outer
/// product of `w` with itself (w of odd length 2R+1), by the full double sum
/// over the (2R+1)² window: `(width - 2R)` × `(height - 2R)` values.
pub fn convolve2d_direct(values: &[f64], width: usize, height: usize, w: &[f64]) -> Vec<f64> {
    let taps = w.len();
    let r = taps / 2;
    let (ow, oh) = (width - 2 * r, height - 2 * r);
    let mut out = vec![0.0; ow * oh];
    for i in 0..oh {
        for j in 0..ow {
            let mut s = 0.0;
            for a in 0..taps {
                for b in 0..taps {
                    s += w[a] * w[b] * values[(i + a) * width + j + b];
                }
            }
            out[i * ow + j] = s;
        }
    }
    out
}

/// `passes` box sums of radius r by summing every window directly (zero
/// outside the grid), divided by (2r+1)² per pass when `normalise`.
pub fn box_sum_direct(
    values: &[f64],
    width: usize,
    height: usize,
    r: usize,
    passes: usize,
    normalise: bool,
) -> Vec<f64> {
    let mut cur = values.to_vec();
    let side = (2 * r + 1) as f64;
    let scale = if normalise { 1.0 / (side * side) } else { 1.0 };
    for _ in 0..passes {
        let mut next = vec![0.0; cur.len()];
        for yy in 0..height {
            for xx in 0..width {
                let mut s = 0.0;
                for y2 in yy.saturating_sub(r)..(yy + r + 1).min(height) {
                    for x2 in xx.saturating_sub(r)..(xx + r + 1).min(width) {
                        s += cur[y2 * width + x2];
                    }
                }
                next[yy * width + xx] = s * scale;
            }
        }
        cur = next;
    }
    cur
}

/// The k smallest squared distances from (qx, qy) to the points, ascending,
/// by sorting all of them.
pub fn knn_brute(x: &[f64], y: &[f64], qx: f64, qy: f64, k: usize) -> Vec<f64> {
    let mut d: Vec<f64> = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - qx) * (a - qx) + (b - qy) * (b - qy))
        .collect();
    d.sort_by(f64::total_cmp);
    d.truncate(k);
    d
}

/// The Gaussian KDE at (qx, qy) with kernel covariance `cov`, one libm
/// exponential per (query, point) pair.
pub fn kde_direct(x: &[f64], y: &[f64], qx: &[f64], qy: &[f64], cov: [[f64; 2]; 2]) -> Vec<f64> {
    let det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    let (pa, pb, pc) = (cov[1][1] / det, -cov[0][1] / det, cov[0][0] / det);
    let norm = 1.0 / (x.len() as f64 * 2.0 * std::f64::consts::PI * det.sqrt());
    qx.iter()
        .zip(qy)
        .map(|(&cx, &cy)| {
            x.iter()
                .zip(y)
                .map(|(&a, &b)| {
                    let (dx, dy) = (cx - a, cy - b);
                    (-0.5 * (pa * dx * dx + 2.0 * pb * dx * dy + pc * dy * dy)).exp()
                })
                .sum::<f64>()
                * norm
        })
        .collect()
}

/// The questioner's `grid_density` (their second attempt), ported: at each
/// node of `linspace(x0, x1, nx)` × `linspace(y0, y1, ny)`, the sum over the
/// points with |dx| < 1 and |dy| < 1 of exp(-5 d²). O(nodes × points).
/// Row-major, row = y node.
pub fn their_distance_sum(x: &[f64], y: &[f64], view: &View, nx: usize, ny: usize) -> Vec<f64> {
    let lin = |a: f64, b: f64, n: usize| -> Vec<f64> {
        if n == 1 {
            return vec![a];
        }
        let step = (b - a) / (n - 1) as f64;
        (0..n)
            .map(|i| if i == n - 1 { b } else { a + i as f64 * step })
            .collect()
    };
    let (xi, yi) = (lin(view.x0, view.x1, nx), lin(view.y0, view.y1, ny));
    let mut out = vec![0.0; nx * ny];
    for (r, &yc) in yi.iter().enumerate() {
        for (c, &xc) in xi.iter().enumerate() {
            let mut d = 0.0;
            for (&a, &b) in x.iter().zip(y) {
                let (xd, yd) = ((a - xc).abs(), (b - yc).abs());
                if xd < 1.0 && yd < 1.0 {
                    d += (-5.0 * (xd * xd + yd * yd)).exp();
                }
            }
            out[r * nx + c] = d;
        }
    }
    out
}

/// The box-sum answer's `grid_density_boxsum`, ported with its quirks: bins
/// by `int((v - v0)·(w - 1)/(v1 - v0))` (truncation toward zero, so the
/// last bin is a single edge), a border of only 2r cells for 4 passes (the
/// kernel reaches 4r), raw (unnormalised) sums clamped at the padded edges,
/// the view cut out. Row-major, row = y.
pub fn their_boxsum(
    x: &[f64],
    y: &[f64],
    view: &View,
    w: usize,
    h: usize,
    r: usize,
    passes: usize,
) -> Vec<f64> {
    let kx = (w as f64 - 1.0) / (view.x1 - view.x0);
    let ky = (h as f64 - 1.0) / (view.y1 - view.y0);
    let border = 2 * r;
    let (iw, ih) = (w + 2 * border, h + 2 * border);
    let mut img = vec![0.0; iw * ih];
    for (&a, &b) in x.iter().zip(y) {
        let ix = ((a - view.x0) * kx).trunc() as i64 + border as i64;
        let iy = ((b - view.y0) * ky).trunc() as i64 + border as i64;
        if (0..iw as i64).contains(&ix) && (0..ih as i64).contains(&iy) {
            img[iy as usize * iw + ix as usize] += 1.0;
        }
    }
    let mut full = img;
    // Their table-based box sum (the same sums as box_sum_direct, O(cells)).
    let _ = super::box_sum_rows(&mut full, iw, ih, r, passes, false);
    let mut out = Vec::with_capacity(w * h);
    for row in border..border + h {
        out.extend_from_slice(&full[row * iw + border..row * iw + border + w]);
    }
    out
}

/// The valid separable correlation of a `width` × `height` grid with `w`
/// along rows, then along columns, by plain loops (one multiply-add per
/// tap, no vectorisation): the direct convolution for large grids, where
/// [`convolve2d_direct`]'s (2R+1)² taps per cell take too long.
pub fn blur_separable_direct(values: &[f64], width: usize, height: usize, w: &[f64]) -> Vec<f64> {
    let taps = w.len();
    let r = taps / 2;
    let (ow, oh) = (width - 2 * r, height - 2 * r);
    let mut rows = vec![0.0; height * ow];
    for i in 0..height {
        for j in 0..ow {
            let mut s = 0.0;
            for (k, wk) in w.iter().enumerate() {
                s += wk * values[i * width + j + k];
            }
            rows[i * ow + j] = s;
        }
    }
    let mut out = vec![0.0; oh * ow];
    for i in 0..oh {
        for j in 0..ow {
            let mut s = 0.0;
            for (k, wk) in w.iter().enumerate() {
                s += wk * rows[(i + k) * ow + j];
            }
            out[i * ow + j] = s;
        }
    }
    out
}
