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
