//! `.npy` output through ndarray-npy, against files written by NumPy
//! (`scripts/fixtures/npy_fixtures.py`, committed under tests/fixtures/npy):
//! the density grid of `--method hist` is what
//! `numpy.save(numpy.histogram2d(y, x)[0])` writes (the same header fields
//! and data bytes), and reads back through
//! ndarray-npy as the (height, width) array of the library.

mod common;

use common::*;
use ndarray_npy::ReadNpyExt;
use numlab_core::density::{gaussian_density, histogram2d, View};
use numlab_core::ndarray::Array2;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/npy")
        .join(name)
}

fn read_npy(bytes: &[u8]) -> Array2<f64> {
    Array2::<f64>::read_npy(bytes).expect("a float64 (rows, cols) NPY file")
}

#[test]
fn density_npy_equals_numpy_save_of_histogram2d() {
    let dir = scratch("npy-hist");
    let points = fixture("points.csv");
    let args = [
        "density",
        points.to_str().unwrap(),
        "--method",
        "hist",
        "--size",
        "8x6",
        "--view",
        "0,0,1,1",
        "--output",
        "h.npy",
    ];
    let o = numlab(&dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let ours = std::fs::read(dir.join("h.npy")).unwrap();
    let numpy = std::fs::read(fixture("hist.npy")).unwrap();
    // NumPy's file read through ndarray-npy: the library's grid, shape (6, 8).
    let want = read_npy(&numpy);
    assert_eq!(want.dim(), (6, 8));
    assert_eq!(want.sum(), 200.0);
    let (_, cols) = parse_csv(&std::fs::read_to_string(&points).unwrap());
    let (x, y) = (&cols[0], &cols[1]);
    let lib = histogram2d(x, y, View::new(0.0, 0.0, 1.0, 1.0).unwrap(), 8, 6).unwrap();
    assert_eq!(lib.grid.values, want);
    // Ours reads back the same, and is NumPy's file but for the dict's
    // trailing ", " (NumPy writes `(6, 8), }`, ndarray-npy `(6, 8)}`, both
    // padded to 128 bytes): the same header length and the same data bytes.
    assert_eq!(read_npy(&ours), want);
    assert_eq!(ours.len(), numpy.len());
    let hlen = |b: &[u8]| 10 + u16::from_le_bytes([b[8], b[9]]) as usize;
    assert_eq!(hlen(&ours), hlen(&numpy));
    assert_eq!(ours[hlen(&ours)..], numpy[hlen(&numpy)..]);
    let dict = |b: &[u8]| String::from_utf8_lossy(&b[10..hlen(b)]).replace(", }", "}");
    assert_eq!(dict(&ours).trim_end(), dict(&numpy).trim_end());
}

#[test]
fn smoothed_grid_npy_reads_back_as_the_library_array() {
    let dir = scratch("npy-gauss");
    let points = fixture("points.csv");
    let o = numlab(
        &dir,
        &[
            "density",
            points.to_str().unwrap(),
            "--size",
            "40x30",
            "--view",
            "0,0,1,1",
            "--sigma",
            "2",
            "--output",
            "g.npy",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let got = read_npy(&std::fs::read(dir.join("g.npy")).unwrap());
    let (_, cols) = parse_csv(&std::fs::read_to_string(&points).unwrap());
    let (x, y) = (&cols[0], &cols[1]);
    let want = gaussian_density(
        x,
        y,
        View::new(0.0, 0.0, 1.0, 1.0).unwrap(),
        40,
        30,
        2.0,
        4.0,
    )
    .unwrap()
    .grid
    .values;
    assert_eq!(got.dim(), (30, 40));
    assert_eq!(got, want);
}

/// Runs numlab in `dir` and returns stdout, asserting success.
fn ok(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let o = numlab(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o.stdout
}

/// Every command that reads data reads an `.npy` file that NumPy wrote
/// (float64 in C order, Fortran order and big-endian; float32) exactly as
/// it reads the same values from CSV: the same output, byte for byte.
#[test]
fn npy_inputs_read_as_their_csv() {
    let dir = scratch("npy-inputs");
    let f = |name: &str| fixture(name).to_str().unwrap().to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["smooth", "IN", "--x", "0", "--y", "1", "--sigma", "2.5"],
        vec!["smooth", "IN", "--x", "0", "--y", "2", "--sigma", "40"],
        vec![
            "spectrum", "IN", "--column", "1", "--rate", "100", "--window", "hann",
        ],
        vec!["lowpass", "IN", "--column", "2", "--keep", "7"],
        vec![
            "lag",
            "IN",
            "IN",
            "--rate",
            "100",
            "--column",
            "1",
            "--max-lag",
            "0.5",
        ],
        vec![
            "density", "IN", "--x", "1", "--y", "2", "--size", "9x7", "--method", "hist",
        ],
        vec![
            "density", "IN", "--x", "1", "--y", "2", "--size", "9x7", "--method", "gauss",
            "--sigma", "1.5",
        ],
        vec![
            "density", "IN", "--x", "0", "--y", "1", "--size", "9x7", "--method", "kde",
        ],
    ];
    for (npy, csv) in [
        ("table_c.npy", "table.csv"),
        ("table_f.npy", "table.csv"),
        ("table_be.npy", "table.csv"),
        ("table_f32.npy", "table_f32.csv"),
    ] {
        for run in &runs {
            let with = |input: &str, sig: &str| -> Vec<String> {
                run.iter()
                    .map(|a| match *a {
                        "IN" => input.to_string(),
                        "SIG" => sig.to_string(),
                        a => a.to_string(),
                    })
                    .collect()
            };
            let a = with(&f(npy), &f("signal.npy"));
            let b = with(&f(csv), &f("signal.csv"));
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let b: Vec<&str> = b.iter().map(String::as_str).collect();
            let (got, want) = (ok(&dir, &a), ok(&dir, &b));
            assert!(!want.is_empty());
            // The density summary line names the input file.
            let got = String::from_utf8(got).unwrap().replace(&f(npy), "IN");
            let want = String::from_utf8(want).unwrap().replace(&f(csv), "IN");
            assert_eq!(got, want, "{npy}: {run:?}");
        }
    }
}

/// A one-column `.npy` signal smoothed by numlab equals SciPy's
/// `gaussian_filter1d` of the same array (fixture), within 1e-12 of its max;
/// written as `.npy`, the table is `(n, 3)` float64: x = 0..n-1, the signal
/// as NumPy saved it, the smoothed values.
#[test]
fn npy_signal_smooths_as_scipy() {
    let dir = scratch("npy-smooth");
    let input = fixture("signal.npy");
    ok(
        &dir,
        &[
            "smooth",
            input.to_str().unwrap(),
            "--sigma",
            "2.5",
            "--output",
            "s.npy",
        ],
    );
    let got = read_npy(&std::fs::read(dir.join("s.npy")).unwrap());
    let signal =
        numlab_core::ndarray::Array1::<f64>::read_npy(&std::fs::read(&input).unwrap()[..]).unwrap();
    let scipy = numlab_core::ndarray::Array1::<f64>::read_npy(
        &std::fs::read(fixture("signal_smoothed.npy")).unwrap()[..],
    )
    .unwrap();
    assert_eq!(got.dim(), (300, 3));
    for (i, v) in got.column(0).iter().enumerate() {
        assert_eq!(*v, i as f64);
    }
    assert_eq!(got.column(1), signal);
    let peak = scipy.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let err = got
        .column(2)
        .iter()
        .zip(&scipy)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(err <= 1e-12 * peak, "max error {err:e} against SciPy");
}

/// The hist grid of the points saved by NumPy as a (200, 2) array is
/// NumPy's `histogram2d`, as from the CSV file.
#[test]
fn npy_points_give_numpys_histogram() {
    let dir = scratch("npy-points");
    let points = fixture("points.npy");
    ok(
        &dir,
        &[
            "density",
            points.to_str().unwrap(),
            "--method",
            "hist",
            "--size",
            "8x6",
            "--view",
            "0,0,1,1",
            "--output",
            "h.npy",
        ],
    );
    let got = read_npy(&std::fs::read(dir.join("h.npy")).unwrap());
    let want = read_npy(&std::fs::read(fixture("hist.npy")).unwrap());
    assert_eq!(got, want);
}

/// Tables written as `.npy` hold the CSV output's columns: smooth, spectrum,
/// lowpass, neuron and network, each `(rows, columns)` float64.
#[test]
fn npy_tables_hold_the_csv_columns() {
    let dir = scratch("npy-tables");
    let sig = fixture("table_c.npy");
    let sig = sig.to_str().unwrap();
    for (args, width) in [
        (
            vec!["smooth", sig, "--x", "0", "--y", "1", "--sigma", "3"],
            3,
        ),
        (vec!["spectrum", sig, "--column", "1", "--rate", "50"], 3),
        (
            vec!["lowpass", sig, "--column", "2", "--threshold", "0.1"],
            3,
        ),
        (vec!["neuron", "--duration", "3"], 8),
        (vec!["network", "--duration", "3"], 2),
    ] {
        let mut a = args.clone();
        a.extend(["--output", "t.csv"]);
        ok(&dir, &a);
        let mut b = args.clone();
        b.extend(["--output", "t.npy"]);
        ok(&dir, &b);
        let (_, cols) = parse_csv(&std::fs::read_to_string(dir.join("t.csv")).unwrap());
        let got = read_npy(&std::fs::read(dir.join("t.npy")).unwrap());
        assert_eq!(got.ncols(), width, "{args:?}");
        assert_eq!(got.nrows(), cols[0].len(), "{args:?}");
        for (k, c) in cols.iter().enumerate() {
            let same = got
                .column(k)
                .iter()
                .zip(c)
                .all(|(a, b)| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
            assert!(same, "{args:?}: column {k}");
        }
    }
}

/// A wrong dtype, rank, structure, size or column is one error line naming
/// the file (or the flag), exit status 2, and no output file.
#[test]
fn bad_npy_inputs_are_refused_in_one_line() {
    let dir = scratch("npy-bad");
    let mut cut = std::fs::read(fixture("table_c.npy")).unwrap();
    cut.truncate(cut.len() - 3);
    std::fs::write(dir.join("cut.npy"), &cut).unwrap();
    std::fs::write(dir.join("text.npy"), "x,y\n1,2\n").unwrap();
    let table = fixture("table_c.npy");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![fixture("bad_int.npy").display().to_string()],
            "dtype '<i8' is not float64 or float32",
        ),
        (
            vec![fixture("bad_rank.npy").display().to_string()],
            "shape (2, 3, 4) has 3 dimensions",
        ),
        (
            vec![fixture("bad_struct.npy").display().to_string()],
            "is not float64 or float32",
        ),
        (
            vec!["cut.npy".into()],
            "holds 7197 bytes of data where shape (300, 3)",
        ),
        (vec!["text.npy".into()], "not a NumPy .npy file"),
        (vec!["missing.npy".into()], "missing.npy"),
        (
            vec![table.display().to_string(), "--y".into(), "3".into()],
            "--y 3: no such column in",
        ),
        (
            vec![table.display().to_string(), "--x".into(), "t".into()],
            "--x t: no such column in",
        ),
    ];
    for (args, want) in cases {
        for cmd in ["smooth", "density"] {
            let mut a = vec![cmd.to_string()];
            a.extend(args.iter().cloned());
            if cmd == "smooth" {
                a.extend(["--sigma".into(), "2".into()]);
            }
            a.extend(["--output".into(), "out.csv".into()]);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let o = numlab(&dir, &a);
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{a:?}: {e}");
            assert_eq!(e.lines().count(), 1, "{a:?}: {e}");
            assert!(e.contains(want), "{a:?}: {e}");
            assert!(!dir.join("out.csv").exists(), "{a:?}");
        }
    }
    // --json text is not written into an .npy name.
    let o = numlab(
        &dir,
        &[
            "spectrum",
            table.to_str().unwrap(),
            "--rate",
            "10",
            "--json",
            "--output",
            "s.npy",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--json"));
    assert!(!dir.join("s.npy").exists());
}
