//! `numlab density` end to end: `--method hist` equals NumPy's histogram2d
//! (the core fixture), CSV and NPY hold the same H x W grid as the library,
//! PNG is the heat-map (one pixel per cell, the same bytes every run), the
//! view defaults to the points' bounds, and bad input is one line on stderr,
//! exit 2, no output file.

mod common;

use common::*;
use numlab_core::density::{gaussian_density, kde_grid, Bandwidth, KdeMethod, View};

fn fixture_case(name: &str) -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/core/tests/fixtures/density_numpy.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn points_csv(x: &[f64], y: &[f64]) -> String {
    let mut s = String::from("lon,lat\n");
    for (a, b) in x.iter().zip(y) {
        s.push_str(&format!("{a:?},{b:?}\n"));
    }
    s
}

/// Parses headerless CSV rows of numbers.
fn grid_csv(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .map(|l| l.split(',').map(|v| v.parse::<f64>().unwrap()).collect())
        .collect()
}

fn uniform(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    (
        numlab_core::signals::uniform(n, -2.0, 2.0, seed).unwrap(),
        numlab_core::signals::uniform(n, -2.0, 2.0, seed + 1).unwrap(),
    )
}

#[test]
fn hist_is_numpy_histogram2d() {
    let c = fixture_case("hist-odd-13x7");
    let (x, y) = (floats(&c["x"]), floats(&c["y"]));
    let v = floats(&c["view"]);
    let dir = scratch("density-hist");
    write_csv(&dir, "p.csv", &points_csv(&x, &y));
    let view = format!("{:?},{:?},{:?},{:?}", v[0], v[1], v[2], v[3]);
    let o = numlab(
        &dir,
        &[
            "density", "p.csv", "--method", "hist", "--size", "13x7", "--view", &view,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = grid_csv(&stdout(&o));
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r.len() == 13));
    let flat: Vec<f64> = rows.concat();
    assert_eq!(flat, floats(&c["counts"]));
}

#[test]
fn csv_and_npy_hold_the_library_grid() {
    let (x, y) = uniform(3000, 5);
    let dir = scratch("density-npy");
    write_csv(&dir, "p.csv", &points_csv(&x, &y));
    let view = View::new(-0.5, -0.5, 0.5, 0.5).unwrap();
    let want = gaussian_density(&x, &y, view, 40, 30, 3.0, 4.0)
        .unwrap()
        .grid
        .into_vec();
    let args = [
        "density",
        "p.csv",
        "--size",
        "40x30",
        "--view",
        "-0.5,-0.5,0.5,0.5",
        "--sigma",
        "3",
    ];
    let o = numlab(&dir, &[&args[..], &["--output", "d.csv"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let got = grid_csv(&std::fs::read_to_string(dir.join("d.csv")).unwrap()).concat();
    assert_eq!(got, want);
    let o = numlab(&dir, &[&args[..], &["--output", "d.npy"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let b = std::fs::read(dir.join("d.npy")).unwrap();
    assert_eq!(&b[..6], b"\x93NUMPY");
    let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
    let header = String::from_utf8_lossy(&b[10..10 + hlen]);
    assert!(header.contains("'shape': (30, 40)"), "{header}");
    let vals: Vec<f64> = b[10 + hlen..]
        .chunks(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(vals, want);
}

#[test]
fn kde_and_knn_and_box_run_and_kde_matches_library() {
    let (x, y) = uniform(2000, 9);
    let dir = scratch("density-kde");
    write_csv(&dir, "p.csv", &points_csv(&x, &y));
    let o = numlab(
        &dir,
        &[
            "density",
            "p.csv",
            "--method",
            "kde",
            "--bandwidth",
            "0.2",
            "--size",
            "20x20",
            "--view",
            "-1,-1,1,1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let got = grid_csv(&stdout(&o)).concat();
    let want = kde_grid(
        &x,
        &y,
        View::new(-1.0, -1.0, 1.0, 1.0).unwrap(),
        20,
        20,
        Bandwidth::Factor(0.2),
        KdeMethod::Fast,
    )
    .unwrap()
    .grid
    .into_vec();
    assert_eq!(got, want);
    for m in ["knn", "box"] {
        let o = numlab(
            &dir,
            &["density", "p.csv", "--method", m, "--size", "16x12"],
        );
        assert!(o.status.success(), "{m}: {}", stderr(&o));
        let rows = grid_csv(&stdout(&o));
        assert_eq!((rows.len(), rows[0].len()), (12, 16));
        assert!(rows.concat().iter().all(|v| v.is_finite() && *v >= 0.0));
    }
}

#[test]
fn png_is_the_heat_map_and_deterministic() {
    let (x, y) = uniform(1000, 3);
    let dir = scratch("density-png");
    write_csv(&dir, "p.csv", &points_csv(&x, &y));
    for overlay in [false, true] {
        let mut args = vec!["density", "p.csv", "--size", "64x48", "--output", "a.png"];
        if overlay {
            args.push("--overlay");
        }
        let o = numlab(&dir, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("64 x 48 cells"));
        let a = std::fs::read(dir.join("a.png")).unwrap();
        assert_eq!(&a[1..4], b"PNG");
        // IHDR: width and height at bytes 16..24.
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), 64);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), 48);
        let o = numlab(&dir, &args);
        assert!(o.status.success());
        assert_eq!(std::fs::read(dir.join("a.png")).unwrap(), a);
    }
}

#[test]
fn nonfinite_rows_are_skipped_and_counted() {
    let dir = scratch("density-nan");
    write_csv(
        &dir,
        "p.csv",
        "x,y\n0,0\n1,1\nnan,0.5\n0.5,inf\n0.25,0.75\n",
    );
    let o = numlab(
        &dir,
        &[
            "density", "p.csv", "--method", "hist", "--size", "2x2", "--output", "h.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 skipped"), "{}", stdout(&o));
    let got = grid_csv(&std::fs::read_to_string(dir.join("h.csv")).unwrap());
    // Bounds [0, 1]²: (0,0) bottom-left; (1,1) and (0.25,0.75) top row.
    assert_eq!(got, vec![vec![1.0, 0.0], vec![1.0, 1.0]]);
}

#[test]
fn bad_input_is_one_line_exit_2_and_no_file() {
    let dir = scratch("density-bad");
    write_csv(&dir, "p.csv", "x,y\n0,0\n1,1\n0.5,0.2\n");
    write_csv(&dir, "line.csv", "x,y\n1,0\n1,1\n1,2\n");
    write_csv(&dir, "one.csv", "x\n1\n2\n");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--size", "0x10"], "--size"),
        (vec!["--size", "abc"], "--size"),
        (vec!["--view", "0,0,0,1"], "--view"),
        (vec!["--view", "0,0,1"], "--view"),
        (vec!["--method", "magic"], "--method"),
        (vec!["--sigma", "0"], "--sigma"),
        (vec!["--sigma", "-2", "--method", "box"], "--sigma"),
        (vec!["--passes", "0", "--method", "box"], "--passes"),
        (vec!["--method", "knn", "--k", "4"], "--k"),
        (vec!["--method", "knn", "--k", "0"], "--k"),
        (vec!["--method", "kde", "--bandwidth", "-1"], "--bandwidth"),
        (vec!["--method", "kde", "--bandwidth", "wide"], "bandwidth"),
        (vec!["--overlay"], "--overlay"),
        (vec!["--output", "out.txt"], "--output"),
        (vec!["--x", "nope"], "--x"),
    ];
    for (extra, needle) in cases {
        let mut args = vec!["density", "p.csv"];
        args.extend(&extra);
        if !extra.contains(&"--output") {
            args.extend(["--output", "out.csv"]);
        }
        let o = numlab(&dir, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(
            !dir.join("out.csv").exists() && !dir.join("out.txt").exists(),
            "{extra:?}"
        );
    }
    // Points on a line: the bounds have zero area; the KDE covariance is singular.
    let o = numlab(&dir, &["density", "line.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--view"), "{}", stderr(&o));
    let o = numlab(
        &dir,
        &[
            "density", "line.csv", "--method", "kde", "--view", "0,0,2,2",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("singular"), "{}", stderr(&o));
    let o = numlab(&dir, &["density", "one.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let o = numlab(&dir, &["density", "missing.csv"]);
    assert_eq!(o.status.code(), Some(2));
}
