//! numlab-core density against NumPy/SciPy/matplotlib fixtures
//! (`scripts/fixtures/density_fixtures.py`), the naive versions of the
//! reference module (direct 2-D convolution, direct box sums, brute-force
//! kNN, the KDE direct sum), identities (mass kept, KDE integrates to 1),
//! zoom correctness and every error path.

mod common;

use common::{fixture, floats, max_abs_diff, SEEDS};
use numlab_core::density::{
    box_density, box_sum_passes, gaussian_density, gaussian_density_with, gaussian_filter2d,
    histogram2d, kde_grid, kde_points, knn_density, reference, viridis, Bandwidth, GridBlur, Kde,
    KdeMethod, KnnFunction, View,
};
use numlab_core::ndarray::Array2;
use numlab_core::signals;
use numlab_core::smoothing::{EdgeMode, Method};
use numlab_core::NumlabError;

/// Tolerances, relative to the scale named at each use.
mod tol {
    /// Blur against the direct 2-D convolution, per unit of the peak.
    pub const BLUR: f64 = 1e-12;
    /// Against scipy.ndimage.gaussian_filter, per unit of max|values|.
    pub const SCIPY_FILTER: f64 = 1e-12;
    /// The KDE exact sum against SciPy and the libm direct sum, relative.
    pub const KDE_EXACT: f64 = 1e-12;
    /// The KDE fast path against the exact sum, per unit of the peak (the bound).
    pub const KDE_FAST: f64 = 1e-6;
    /// Box sums by the table against the direct sums, per unit of the total count.
    pub const BOX: f64 = 1e-12;
}

fn uniform_points(n: usize, lo: f64, hi: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    (
        signals::uniform(n, lo, hi, seed).unwrap(),
        signals::uniform(n, lo, hi, seed + 1).unwrap(),
    )
}

fn view(v: &[f64]) -> View {
    View::new(v[0], v[1], v[2], v[3]).unwrap()
}

fn cases(kind: &str) -> Vec<serde_json::Value> {
    fixture("density_numpy.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect()
}

#[test]
fn histogram_equals_numpy_on_edges_and_outside() {
    let cs = cases("hist");
    assert!(cs.len() >= 5);
    for c in cs {
        let v = view(&floats(&c["view"]));
        let (w, h) = (
            c["width"].as_u64().unwrap() as usize,
            c["height"].as_u64().unwrap() as usize,
        );
        let (x, y) = (floats(&c["x"]), floats(&c["y"]));
        let want = floats(&c["counts"]);
        let got = histogram2d(&x, &y, v, w, h).unwrap();
        assert_eq!(got.grid.into_vec(), want, "{}", c["name"]);
        assert_eq!(got.nonfinite, 0);
        assert_eq!(
            reference::histogram2d_numpy(&x, &y, &v, w, h),
            want,
            "{}",
            c["name"]
        );
        // NaN and inf fall in no bin and are counted (NumPy drops them too).
        let mut xb = x.clone();
        let mut yb = y.clone();
        let mid = (0.5 * (v.x0 + v.x1), 0.5 * (v.y0 + v.y1));
        xb.extend([f64::NAN, mid.0, f64::INFINITY, f64::NEG_INFINITY]);
        yb.extend([mid.1, f64::NAN, mid.1, f64::INFINITY]);
        let bad = histogram2d(&xb, &yb, v, w, h).unwrap();
        assert_eq!(bad.grid.values.as_slice().unwrap(), want);
        assert_eq!(bad.nonfinite, 4);
    }
}

#[test]
fn histogram_orientation_row_is_y() {
    // One point in the top-left cell: row = last y bin, column = first x bin.
    let h = histogram2d(&[0.1], &[0.9], View::new(0.0, 0.0, 1.0, 1.0).unwrap(), 4, 2).unwrap();
    assert_eq!(h.grid.values[[1, 0]], 1.0);
    assert_eq!(h.grid.values.dim(), (2, 4));
    assert_eq!(h.grid.values.iter().sum::<f64>(), 1.0);
    assert_eq!(h.grid.x_centers(), vec![0.125, 0.375, 0.625, 0.875]);
    assert_eq!(h.grid.y_centers(), vec![0.25, 0.75]);
}

#[test]
fn histogram_same_for_every_split() {
    // 200k points: counted in parts (threads); integer sums do not depend on the split.
    let (x, y) = uniform_points(200_000, -1.0, 2.0, SEEDS[0]);
    let v = View::new(0.0, 0.0, 1.0, 1.0).unwrap();
    let got = histogram2d(&x, &y, v, 64, 48).unwrap();
    assert_eq!(
        got.grid.into_vec(),
        reference::histogram2d_numpy(&x, &y, &v, 64, 48)
    );
}

#[test]
fn blur_equals_direct_convolution() {
    for (seed, sigma, method) in [
        (SEEDS[0], 1.5, Method::Direct),
        (SEEDS[1], 3.0, Method::Auto),
        (SEEDS[2], 2.5, Method::Fft),
        (SEEDS[0], 0.3, Method::Auto),
    ] {
        let blur = GridBlur::new(sigma, 4.0, method).unwrap();
        let r = blur.radius();
        let (w, h) = (2 * r + 37, 2 * r + 70);
        let g = signals::uniform(w * h, 0.0, 5.0, seed).unwrap();
        let ga = Array2::from_shape_vec((h, w), g.clone()).unwrap();
        let got = blur.blur_valid(ga.view()).unwrap();
        assert_eq!(got.dim(), (h - 2 * r, w - 2 * r));
        let want = reference::convolve2d_direct(&g, w, h, &blur.kernel().weights);
        let peak = want.iter().cloned().fold(0.0, f64::max);
        let err = max_abs_diff(got.as_slice().unwrap(), &want) / peak;
        // A transposed view gives the transpose, bit for bit.
        let gt = ga.t().to_owned();
        let back = blur.blur_valid(gt.t()).unwrap();
        assert_eq!(back, got);
        assert!(err <= tol::BLUR, "sigma {sigma} {method:?}: {err:e}");
    }
}

#[test]
fn gaussian_filter2d_equals_scipy() {
    for c in cases("filter") {
        let (w, h) = (
            c["width"].as_u64().unwrap() as usize,
            c["height"].as_u64().unwrap() as usize,
        );
        let mode: EdgeMode = c["mode"].as_str().unwrap().parse().unwrap();
        let values = Array2::from_shape_vec((h, w), floats(&c["values"])).unwrap();
        let got =
            gaussian_filter2d(values.view(), c["sigma"].as_f64().unwrap(), 4.0, mode, 0.0).unwrap();
        assert_eq!(got.dim(), (h, w));
        let want = floats(&c["filtered"]);
        let err = max_abs_diff(got.as_slice().unwrap(), &want) / common::max_abs(&want);
        assert!(err <= tol::SCIPY_FILTER, "{}: {err:e}", c["name"]);
        // A transposed view (no copy made by the caller): SciPy's filter of values.T.
        assert!(w != h, "{}: the fixtures are not square", c["name"]);
        let got_t =
            gaussian_filter2d(values.t(), c["sigma"].as_f64().unwrap(), 4.0, mode, 0.0).unwrap();
        assert_eq!(got_t.dim(), (w, h));
        let want_t = floats(&c["filtered_t"]);
        let err = max_abs_diff(got_t.as_slice().unwrap(), &want_t) / common::max_abs(&want_t);
        assert!(
            err <= tol::SCIPY_FILTER,
            "{} transposed: {err:e}",
            c["name"]
        );
    }
}

#[test]
fn gaussian_density_keeps_mass_and_matches_its_definition() {
    let (x, y) = uniform_points(5000, 0.3, 0.7, SEEDS[1]);
    let v = View::new(0.0, 0.0, 1.0, 1.0).unwrap();
    let d = gaussian_density(&x, &y, v, 100, 80, 3.0, 4.0).unwrap();
    // Every point and its kernel inside the view: the counts are kept.
    assert!((d.grid.values.iter().sum::<f64>() - 5000.0).abs() < 1e-9);
    // The definition: the padded histogram, convolved directly, cropped.
    let r = 12; // int(4 * 3 + 0.5)
    let hx = 0.01;
    let hy = 1.0 / 80.0;
    let pv = View::new(
        -(r as f64) * hx,
        -(r as f64) * hy,
        1.0 + r as f64 * hx,
        1.0 + r as f64 * hy,
    )
    .unwrap();
    let counts = reference::histogram2d_numpy(&x, &y, &pv, 100 + 2 * r, 80 + 2 * r);
    let blur = GridBlur::new(3.0, 4.0, Method::Direct).unwrap();
    let want =
        reference::convolve2d_direct(&counts, 100 + 2 * r, 80 + 2 * r, &blur.kernel().weights);
    let peak = want.iter().cloned().fold(0.0, f64::max);
    assert!(max_abs_diff(d.grid.values.as_slice().unwrap(), &want) / peak <= tol::BLUR);
}

#[test]
fn zoom_equals_crop_of_a_larger_view() {
    // The questioner's set-up: data on [-2, 2]², a view on [-0.5, 0.5]².
    let (x, y) = uniform_points(20_000, -2.0, 2.0, SEEDS[2]);
    let small = View::new(-0.5, -0.5, 0.5, 0.5).unwrap();
    // The same cells, 64 of them per unit, inside a view 4x as wide.
    let large = View::new(-2.0, -2.0, 2.0, 2.0).unwrap();
    let (n_small, n_large, off) = (64, 256, 96);
    let gs = gaussian_density(&x, &y, small, n_small, n_small, 4.0, 4.0).unwrap();
    let gl = gaussian_density(&x, &y, large, n_large, n_large, 4.0, 4.0).unwrap();
    let cut = gl.grid.crop(off, off, n_small, n_small).unwrap();
    let peak = gl.grid.max();
    assert!(
        max_abs_diff(
            gs.grid.values.as_slice().unwrap(),
            cut.values.as_slice().unwrap()
        ) / peak
            < 1e-12
    );
    // The same for the box sums.
    let bs = box_density(&x, &y, small, n_small, n_small, 3, 4).unwrap();
    let bl = box_density(&x, &y, large, n_large, n_large, 3, 4).unwrap();
    let cut = bl.grid.crop(off, off, n_small, n_small).unwrap();
    assert!(
        max_abs_diff(
            bs.grid.values.as_slice().unwrap(),
            cut.values.as_slice().unwrap()
        ) / bl.grid.max()
            < 1e-12
    );
    // And the KDE (every point is used wherever it lies).
    let ks = kde_grid(
        &x,
        &y,
        small,
        n_small,
        n_small,
        Bandwidth::Factor(0.05),
        KdeMethod::Fast,
    )
    .unwrap();
    let kl = kde_grid(
        &x,
        &y,
        large,
        n_large,
        n_large,
        Bandwidth::Factor(0.05),
        KdeMethod::Fast,
    )
    .unwrap();
    let cut = kl.grid.crop(off, off, n_small, n_small).unwrap();
    assert!(
        max_abs_diff(
            ks.grid.values.as_slice().unwrap(),
            cut.values.as_slice().unwrap()
        ) / kl.grid.max()
            < 2.0 * tol::KDE_FAST
    );
    // Binning only inside the view (no padding) gets the borders wrong.
    let inside = histogram2d(&x, &y, small, n_small, n_small).unwrap();
    let naive =
        gaussian_filter2d(inside.grid.values.view(), 4.0, 4.0, EdgeMode::Constant, 0.0).unwrap();
    assert!(
        max_abs_diff(
            naive.as_slice().unwrap(),
            gs.grid.values.as_slice().unwrap()
        ) / peak
            > 0.1
    );
}

#[test]
fn box_sums_equal_direct_sums() {
    for (r, passes, w, h) in [(1, 1, 7, 5), (2, 4, 20, 17), (5, 3, 33, 12), (0, 2, 4, 4)] {
        let g = signals::uniform(w * h, 0.0, 3.0, SEEDS[0] + r as u64).unwrap();
        let total: f64 = g.iter().sum();
        for normalise in [false, true] {
            let mut got = Array2::from_shape_vec((h, w), g.clone()).unwrap();
            box_sum_passes(got.view_mut(), r, passes, normalise).unwrap();
            let want = reference::box_sum_direct(&g, w, h, r, passes, normalise);
            let scale = want.iter().cloned().fold(total, f64::max);
            // The same sums through a transposed (Fortran-order) view.
            let mut ft = Array2::<f64>::zeros((w, h));
            ft.view_mut()
                .reversed_axes()
                .assign(&Array2::from_shape_vec((h, w), g.clone()).unwrap());
            box_sum_passes(ft.view_mut().reversed_axes(), r, passes, normalise).unwrap();
            assert_eq!(ft.t(), got.view(), "r {r} passes {passes}: transposed view");
            assert!(
                max_abs_diff(got.as_slice().unwrap(), &want) / scale <= tol::BOX,
                "r {r} passes {passes}"
            );
        }
    }
}

#[test]
fn box_density_keeps_mass() {
    let (x, y) = uniform_points(3000, 0.4, 0.6, SEEDS[1]);
    let d = box_density(&x, &y, View::new(0.0, 0.0, 1.0, 1.0).unwrap(), 64, 64, 2, 4).unwrap();
    assert!((d.grid.values.iter().sum::<f64>() - 3000.0).abs() < 1e-8);
}

#[test]
fn their_boxsum_misses_mass_near_the_border() {
    // The questioner's box sum pads 2r for 4 passes: near the edge of a
    // zoomed view it drops points that ours keeps.
    let (x, y) = uniform_points(4000, -2.0, 2.0, SEEDS[0]);
    let v = View::new(-0.5, -0.5, 0.5, 0.5).unwrap();
    let theirs = reference::their_boxsum(&x, &y, &v, 64, 64, 3, 4);
    assert_eq!(theirs.len(), 64 * 64);
    assert!(theirs.iter().all(|&t| t >= 0.0));
}

#[test]
#[allow(clippy::needless_range_loop)] // (row, col) index both the grid and the centres
fn knn_equals_brute_force() {
    let (x, y) = uniform_points(2000, -1.0, 1.0, SEEDS[2]);
    let v = View::new(-0.8, -0.5, 0.7, 0.9).unwrap();
    let (w, h) = (23, 17);
    for k in [1, 5, 12] {
        let d = knn_density(&x, &y, v, w, h, k, KnnFunction::Density).unwrap();
        let q = knn_density(
            &x,
            &y,
            v,
            w,
            h,
            k,
            KnnFunction::Questioner { dfactor: 70.0 },
        )
        .unwrap();
        let (cx, cy) = (d.grid.x_centers(), d.grid.y_centers());
        for r in 0..h {
            for c in 0..w {
                let dist = reference::knn_brute(&x, &y, cx[c], cy[r], k);
                let want = k as f64 / (2000.0 * std::f64::consts::PI * dist[k - 1]);
                assert!((d.grid.values[[r, c]] - want).abs() <= 1e-12 * want);
                let qwant = dist.iter().map(|d2| (-70.0 * d2).exp()).sum::<f64>() / k as f64;
                assert!((q.grid.values[[r, c]] - qwant).abs() <= 1e-12);
            }
        }
    }
}

#[test]
fn kde_exact_equals_scipy() {
    for c in cases("kde") {
        let bw: Bandwidth = c["bandwidth"].as_str().unwrap().parse().unwrap();
        let (x, y) = (floats(&c["x"]), floats(&c["y"]));
        let kde = Kde::new(&x, &y, bw).unwrap();
        assert!((kde.factor - c["factor"].as_f64().unwrap()).abs() <= 1e-15);
        let cov = floats(&c["covariance"]);
        for (i, v) in kde.covariance.iter().flatten().enumerate() {
            assert!((v - cov[i]).abs() <= 1e-13 * cov[0].abs().max(cov[3].abs()));
        }
        let (qx, qy) = (floats(&c["qx"]), floats(&c["qy"]));
        let want = floats(&c["density"]);
        let got = kde_points(&x, &y, &qx, &qy, bw).unwrap();
        let peak = want.iter().cloned().fold(0.0, f64::max);
        for (g, w) in got.iter().zip(&want) {
            // Far-tail values (exponents near -240) carry the exponent's rounding.
            assert!(
                (g - w).abs() <= tol::KDE_EXACT * peak + 1e-10 * w,
                "{}: {g} vs {w}",
                c["name"]
            );
        }
    }
}

#[test]
fn kde_exact_grid_equals_libm_direct_sum() {
    let x: Vec<f64> = signals::normal(500, 1.0, SEEDS[0]).unwrap();
    let y: Vec<f64> = x
        .iter()
        .zip(signals::normal(500, 0.7, SEEDS[1]).unwrap())
        .map(|(a, b)| 0.5 * a + b)
        .collect();
    let v = View::new(-3.0, -3.0, 3.0, 3.0).unwrap();
    let kde = Kde::new(&x, &y, Bandwidth::Scott).unwrap();
    let g = kde.grid(v, 19, 23, KdeMethod::Exact).unwrap();
    let mut qx = Vec::new();
    let mut qy = Vec::new();
    for yc in g.y_centers() {
        for xc in g.x_centers() {
            qx.push(xc);
            qy.push(yc);
        }
    }
    let want = reference::kde_direct(&x, &y, &qx, &qy, kde.covariance);
    for (a, b) in g.values.iter().zip(&want) {
        assert!((a - b).abs() <= tol::KDE_EXACT * b + 1e-300);
    }
}

/// The fast path against the exact sum, within 1e-6 of the peak, over
/// bandwidths from a fraction of a cell to many cells, correlated data,
/// zoomed-in and zoomed-out views.
#[test]
fn kde_fast_within_bound_of_exact() {
    let n = 3000;
    let x: Vec<f64> = signals::normal(n, 1.0, SEEDS[2]).unwrap();
    let e = signals::normal(n, 1.0, SEEDS[0]).unwrap();
    for (rho, factor, v, w, h) in [
        (0.0, Bandwidth::Scott, [-4.0, -4.0, 4.0, 4.0], 64, 64),
        (0.6, Bandwidth::Scott, [-4.0, -3.0, 4.0, 3.0], 80, 50),
        (-0.9, Bandwidth::Factor(0.2), [-3.0, -3.0, 3.0, 3.0], 64, 64),
        (0.3, Bandwidth::Factor(0.01), [-4.0, -4.0, 4.0, 4.0], 64, 64),
        (0.0, Bandwidth::Factor(0.5), [-0.3, -0.3, 0.3, 0.3], 48, 40),
        (
            0.95,
            Bandwidth::Silverman,
            [-20.0, -20.0, 20.0, 20.0],
            50,
            50,
        ),
    ] {
        let y: Vec<f64> = x
            .iter()
            .zip(&e)
            .map(|(a, b)| rho * a + (1.0f64 - rho * rho).sqrt() * b)
            .collect();
        let v = view(&v);
        let kde = Kde::new(&x, &y, factor).unwrap();
        let exact = kde.grid(v, w, h, KdeMethod::Exact).unwrap();
        let fast = kde.grid(v, w, h, KdeMethod::Fast).unwrap();
        let peak = exact.max();
        let err = max_abs_diff(
            fast.values.as_slice().unwrap(),
            exact.values.as_slice().unwrap(),
        ) / peak;
        assert!(
            err <= tol::KDE_FAST,
            "rho {rho} {factor:?}: {err:e} (split {:?})",
            kde.fast_split(v, w, h)
        );
    }
}

#[test]
fn kde_integrates_to_one() {
    let (x, y) = uniform_points(4000, 0.0, 1.0, SEEDS[1]);
    // A view wide enough to hold every kernel: the grid sum times the cell area is 1.
    let v = View::new(-1.0, -1.0, 2.0, 2.0).unwrap();
    for method in [KdeMethod::Fast, KdeMethod::Exact] {
        let d = kde_grid(&x, &y, v, 150, 120, Bandwidth::Scott, method).unwrap();
        let cell = (3.0 / 150.0) * (3.0 / 120.0);
        let mass = d.grid.values.iter().sum::<f64>() * cell;
        assert!((mass - 1.0).abs() < 1e-6, "{method:?}: {mass}");
    }
}

#[test]
fn scott_and_silverman_agree_in_2d() {
    let (x, y) = uniform_points(1234, 0.0, 1.0, SEEDS[2]);
    let a = Kde::new(&x, &y, Bandwidth::Scott).unwrap();
    let b = Kde::new(&x, &y, Bandwidth::Silverman).unwrap();
    assert!((a.factor - 1234f64.powf(-1.0 / 6.0)).abs() < 1e-15);
    assert!((a.factor - b.factor).abs() < 1e-15);
}

#[test]
fn viridis_equals_matplotlib() {
    let c = &cases("viridis")[0];
    let t = floats(&c["t"]);
    for (tv, rgb) in t.iter().zip(c["rgb"].as_array().unwrap()) {
        let want: Vec<u8> = rgb
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u8)
            .collect();
        assert_eq!(viridis(*tv).to_vec(), want, "t = {tv}");
    }
}

#[test]
fn thread_count_does_not_change_results() {
    // The KDE spreading bands and the blur chunks depend on sizes only;
    // run twice (the work queue hands chunks to threads differently).
    let (x, y) = uniform_points(30_000, 0.0, 1.0, SEEDS[0]);
    let v = View::new(0.0, 0.0, 1.0, 1.0).unwrap();
    let a = kde_grid(&x, &y, v, 128, 128, Bandwidth::Scott, KdeMethod::Fast).unwrap();
    let b = kde_grid(&x, &y, v, 128, 128, Bandwidth::Scott, KdeMethod::Fast).unwrap();
    assert_eq!(a, b);
    let blur = GridBlur::new(10.0, 4.0, Method::Auto).unwrap();
    let g1 = gaussian_density_with(&x, &y, v, 256, 256, &blur).unwrap();
    let g2 = gaussian_density_with(&x, &y, v, 256, 256, &blur).unwrap();
    assert_eq!(g1, g2);
}

#[test]
fn errors_are_typed_and_named() {
    let v = View::new(0.0, 0.0, 1.0, 1.0).unwrap();
    let (x, y) = ([0.1, 0.5, 0.9], [0.2, 0.4, 0.3]);
    // Empty and all-NaN point sets.
    assert!(matches!(
        histogram2d(&[], &[], v, 4, 4),
        Err(NumlabError::TooShort { name: "x", .. })
    ));
    assert!(matches!(
        gaussian_density(&[f64::NAN], &[0.0], v, 4, 4, 1.0, 4.0),
        Err(NumlabError::TooShort { .. })
    ));
    assert!(matches!(
        histogram2d(&x, &y[..2], v, 4, 4),
        Err(NumlabError::LengthMismatch { .. })
    ));
    // Views of zero area or with non-finite bounds.
    assert!(matches!(
        View::new(0.0, 0.0, 0.0, 1.0),
        Err(NumlabError::InvalidParameter {
            name: "view width x1 - x0",
            ..
        })
    ));
    assert!(matches!(
        View::new(0.0, 1.0, 1.0, 1.0),
        Err(NumlabError::InvalidParameter {
            name: "view height y1 - y0",
            ..
        })
    ));
    assert!(matches!(
        View::new(f64::NAN, 0.0, 1.0, 1.0),
        Err(NumlabError::InvalidParameter {
            name: "view x0",
            ..
        })
    ));
    assert!(matches!(
        View::bounds(&[1.0, 1.0], &[0.0, 2.0]),
        Err(NumlabError::InvalidParameter { .. })
    ));
    // Zero bins.
    assert!(matches!(
        histogram2d(&x, &y, v, 0, 4),
        Err(NumlabError::InvalidParameter { name: "width", .. })
    ));
    assert!(matches!(
        gaussian_density(&x, &y, v, 4, 0, 1.0, 4.0),
        Err(NumlabError::InvalidParameter { name: "height", .. })
    ));
    assert!(matches!(
        kde_grid(&x, &y, v, 0, 3, Bandwidth::Scott, KdeMethod::Fast),
        Err(NumlabError::InvalidParameter { name: "width", .. })
    ));
    // Huge grids.
    assert!(matches!(
        histogram2d(&x, &y, v, 1 << 20, 1 << 20),
        Err(NumlabError::AboveLimit { name: "cells", .. })
    ));
    // Non-positive sigma, truncate, bandwidth; zero passes.
    for s in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            gaussian_density(&x, &y, v, 4, 4, s, 4.0),
            Err(NumlabError::InvalidParameter { name: "sigma", .. })
        ));
        assert!(matches!(
            Kde::new(&x, &y, Bandwidth::Factor(s)),
            Err(NumlabError::InvalidParameter {
                name: "bandwidth",
                ..
            })
        ));
    }
    assert!(matches!(
        gaussian_density(&x, &y, v, 4, 4, 1.0, 0.0),
        Err(NumlabError::InvalidParameter {
            name: "truncate",
            ..
        })
    ));
    assert!(matches!(
        "-2".parse::<Bandwidth>(),
        Err(NumlabError::InvalidParameter {
            name: "bandwidth",
            ..
        })
    ));
    assert!(matches!(
        "wide".parse::<Bandwidth>(),
        Err(NumlabError::UnknownName {
            name: "bandwidth",
            ..
        })
    ));
    assert!(matches!(
        box_density(&x, &y, v, 4, 4, 2, 0),
        Err(NumlabError::InvalidParameter { name: "passes", .. })
    ));
    // k: zero, or more than the finite points.
    assert!(matches!(
        knn_density(&x, &y, v, 4, 4, 0, KnnFunction::Density),
        Err(NumlabError::InvalidParameter { name: "k", .. })
    ));
    assert!(matches!(
        knn_density(
            &[0.1, 0.2, f64::NAN],
            &[0.1, 0.2, 0.3],
            v,
            4,
            4,
            3,
            KnnFunction::Density
        ),
        Err(NumlabError::TooLarge {
            name: "k",
            value: 3,
            available: 2,
            ..
        })
    ));
    assert!(matches!(
        knn_density(
            &x,
            &y,
            v,
            4,
            4,
            2,
            KnnFunction::Questioner { dfactor: -1.0 }
        ),
        Err(NumlabError::InvalidParameter {
            name: "dfactor",
            ..
        })
    ));
    // KDE: one point, points on a line.
    assert!(matches!(
        Kde::new(&[1.0], &[1.0], Bandwidth::Scott),
        Err(NumlabError::TooShort { min: 2, .. })
    ));
    assert!(matches!(
        Kde::new(&[0.0, 1.0, 2.0], &[0.0, 2.0, 4.0], Bandwidth::Scott),
        Err(NumlabError::Unsupported(_))
    ));
    // Grid blur: modes and methods that do not apply.
    assert!(matches!(
        gaussian_filter2d(
            Array2::from_elem((2, 2), 1.0).view(),
            1.0,
            4.0,
            EdgeMode::Renormalize,
            0.0
        ),
        Err(NumlabError::Unsupported(_))
    ));
    assert!(matches!(
        GridBlur::new(1.0, 4.0, Method::Sliding),
        Err(NumlabError::Unsupported(_))
    ));
    assert!(matches!(
        gaussian_filter2d(
            Array2::<f64>::zeros((0, 3)).view(),
            1.0,
            4.0,
            EdgeMode::Reflect,
            0.0
        ),
        Err(NumlabError::TooShort { .. })
    ));
}
