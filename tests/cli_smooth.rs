//! `numlab smooth` end to end on CSV files: results equal the library's,
//! values round-trip, and bad input gives one line on stderr, exit 2, and no
//! output file.

mod common;

use common::*;
use numlab_core::signals;
use numlab_core::smoothing::{
    gaussian_filter1d, gaussian_flatten, nadaraya_watson, Cutoff, EdgeMode,
};

#[test]
fn uniform_x_by_column_names_equals_scipy_filter() {
    let dir = scratch("uniform");
    let y = signals::uniform(500, -4.0, 4.0, 3).unwrap();
    let mut text = String::from("time,signal,other\n");
    for (i, v) in y.iter().enumerate() {
        text.push_str(&format!("{:?},{v:?},7\n", i as f64 * 0.5));
    }
    write_csv(&dir, "in.csv", &text);
    let o = numlab(
        &dir,
        &[
            "smooth", "in.csv", "--x", "time", "--y", "signal", "--sigma", "2.5", "--mode",
            "nearest", "--output", "out.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let (header, cols) = parse_csv(&std::fs::read_to_string(dir.join("out.csv")).unwrap());
    assert_eq!(header, ["x", "y", "smoothed"]);
    // sigma 2.5 x units at dx 0.5 = 5 samples.
    let want = gaussian_filter1d(&y, 5.0, EdgeMode::Nearest, 0.0, 4.0).unwrap();
    assert!(max_abs_diff(&cols[2], &want) < 1e-12);
    // Every value is printed so it parses back to the same f64.
    assert_eq!(cols[1], y);
}

#[test]
fn single_column_is_y_and_indices_select_columns() {
    let dir = scratch("single");
    let y = signals::uniform(64, 0.0, 1.0, 4).unwrap();
    let text: String = y.iter().map(|v| format!("{v:?}\n")).collect();
    write_csv(&dir, "y.csv", &text);
    let o = numlab(
        &dir,
        &[
            "smooth", "y.csv", "--sigma", "3", "--mode", "wrap", "--method", "fft",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, cols) = parse_csv(&stdout(&o));
    assert_eq!(cols[0], signals::arange(64));
    let want = gaussian_filter1d(&y, 3.0, EdgeMode::Wrap, 0.0, 4.0).unwrap();
    assert!(max_abs_diff(&cols[2], &want) < 1e-12);
    // Columns by 0-based index, no header.
    let text: String = y
        .iter()
        .enumerate()
        .map(|(i, v)| format!("9,{i},{v:?}\n"))
        .collect();
    write_csv(&dir, "xy.csv", &text);
    let o = numlab(
        &dir,
        &[
            "smooth", "xy.csv", "--x", "1", "--y", "2", "--sigma", "3", "--mode", "wrap",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(max_abs_diff(&parse_csv(&stdout(&o)).1[2], &want) < 1e-12);
}

#[test]
fn irregular_x_runs_the_regression() {
    let dir = scratch("irregular");
    let x = signals::sorted_uniform(300, 0.0, 100.0, 5).unwrap();
    let y = signals::uniform(300, -1.0, 1.0, 6).unwrap();
    let text: String = std::iter::once("x,y\n".to_string())
        .chain(x.iter().zip(&y).map(|(a, b)| format!("{a:?},{b:?}\n")))
        .collect();
    write_csv(&dir, "in.csv", &text);
    let o = numlab(
        &dir,
        &["smooth", "in.csv", "--sigma", "2", "--reach", "0.01"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let want = nadaraya_watson(&x, &y, 2.0, Cutoff::Reach(0.01), false).unwrap();
    assert!(max_abs_diff(&parse_csv(&stdout(&o)).1[2], &want) < 1e-12);
    // A SciPy mode on irregular x is refused with a one-line reason.
    let o = numlab(
        &dir,
        &["smooth", "in.csv", "--sigma", "2", "--mode", "wrap"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("irregular"), "{}", stderr(&o));
}

#[test]
fn seed_method_is_the_questioners_call() {
    let dir = scratch("seed");
    let x = signals::arange(400);
    let y = signals::uniform(400, -4.0, 4.0, 7).unwrap();
    let text: String = x
        .iter()
        .zip(&y)
        .map(|(a, b)| format!("{a:?},{b:?}\n"))
        .collect();
    write_csv(&dir, "in.csv", &text);
    let o = numlab(
        &dir,
        &[
            "smooth",
            "in.csv",
            "--method",
            "seed",
            "--reach",
            "0.1",
            "--sigma",
            "10",
            "--phi",
            "0.3",
            "--amplitude",
            "-2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let want = gaussian_flatten(&x, &y, 0.1, 10.0, 0.3, -2.0).unwrap();
    assert!(max_abs_diff(&parse_csv(&stdout(&o)).1[2], &want) < 1e-12);
}

#[test]
fn skip_nan_leaves_out_missing_cells() {
    let dir = scratch("nan");
    write_csv(&dir, "in.csv", "x,y\n0,1\n1,\n2,3\n3,nan\n4,5\n");
    let o = numlab(&dir, &["smooth", "in.csv", "--sigma", "1", "--skip-nan"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, cols) = parse_csv(&stdout(&o));
    assert!(cols[2].iter().all(|v| v.is_finite()));
    assert!(cols[1][1].is_nan());
    // Without it, NaN spreads (as in SciPy).
    let o = numlab(&dir, &["smooth", "in.csv", "--sigma", "1"]);
    assert!(parse_csv(&stdout(&o)).1[2].iter().any(|v| v.is_nan()));
}

/// Every error: exit code 2, one line on stderr naming the problem, no output file.
#[test]
fn bad_input_exits_2_with_one_line_and_no_output() {
    let dir = scratch("errors");
    write_csv(&dir, "ok.csv", "x,y\n0,1\n1,2\n2,3\n");
    write_csv(&dir, "unsorted.csv", "x,y\n0,1\n2,2\n1,3\n");
    write_csv(&dir, "text.csv", "x,y\n0,1\n1,abc\n");
    write_csv(&dir, "ragged.csv", "x,y\n0,1\n1\n");
    write_csv(&dir, "empty.csv", "");
    let cases: &[(&[&str], &str)] = &[
        (
            &["smooth", "ok.csv", "--sigma", "-1", "--output", "out.csv"],
            "sigma",
        ),
        (
            &["smooth", "ok.csv", "--sigma", "nan", "--output", "out.csv"],
            "sigma",
        ),
        (
            &[
                "smooth",
                "ok.csv",
                "--sigma",
                "1",
                "--truncate",
                "0",
                "--output",
                "out.csv",
            ],
            "truncate",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--reach", "1.5", "--output", "out.csv",
            ],
            "reach",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--mode", "sideways", "--output", "out.csv",
            ],
            "mode",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--method", "magic", "--output", "out.csv",
            ],
            "method",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--x", "nope", "--output", "out.csv",
            ],
            "nope",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--phi", "0.5", "--output", "out.csv",
            ],
            "phi",
        ),
        (
            &[
                "smooth", "ok.csv", "--sigma", "1", "--method", "seed", "--output", "out.csv",
            ],
            "reach",
        ),
        (
            &[
                "smooth",
                "ok.csv",
                "--sigma",
                "1",
                "--method",
                "seed",
                "--reach",
                "0.1",
                "--phi",
                "1.5707963267948966",
                "--amplitude",
                "0",
                "--output",
                "out.csv",
            ],
            "amplitude",
        ),
        (
            &[
                "smooth",
                "unsorted.csv",
                "--sigma",
                "1",
                "--output",
                "out.csv",
            ],
            "sorted",
        ),
        (
            &["smooth", "text.csv", "--sigma", "1", "--output", "out.csv"],
            "abc",
        ),
        (
            &[
                "smooth",
                "ragged.csv",
                "--sigma",
                "1",
                "--output",
                "out.csv",
            ],
            "line 3",
        ),
        (
            &["smooth", "empty.csv", "--sigma", "1", "--output", "out.csv"],
            "empty",
        ),
        (
            &[
                "smooth",
                "missing.csv",
                "--sigma",
                "1",
                "--output",
                "out.csv",
            ],
            "missing.csv",
        ),
        (&["smooth", "ok.csv", "--output", "out.csv"], "sigma"),
        (
            &[
                "smooth",
                "ok.csv",
                "--sigma",
                "1",
                "--truncate",
                "3",
                "--reach",
                "0.1",
                "--output",
                "out.csv",
            ],
            "reach",
        ),
        (
            &[
                "smooth",
                "ok.csv",
                "--sigma",
                "1",
                "--output",
                "no/such/dir/out.csv",
            ],
            "out.csv",
        ),
        (&["bench", "no-such-workload"], "no-such-workload"),
        (&["figures", "--study", "nope", "--out", "figs"], "nope"),
    ];
    for (args, needle) in cases {
        let o = numlab(&dir, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: not one line: {err}"
        );
        assert!(err.contains(needle), "{args:?}: '{needle}' not in: {err}");
        assert!(stdout(&o).is_empty(), "{args:?}: printed {}", stdout(&o));
        assert!(
            !dir.join("out.csv").exists(),
            "{args:?}: left an output file"
        );
        assert!(
            !dir.join("figs").exists(),
            "{args:?}: left a figures folder"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{args:?}: temporary files left");
    }
}

#[test]
fn help_documents_every_command_with_an_example() {
    let dir = scratch("help");
    for cmd in ["figures", "smooth", "bench"] {
        let o = numlab(&dir, &[cmd, "--help"]);
        assert!(o.status.success());
        assert!(
            stdout(&o).contains("Example"),
            "{cmd} --help has no example"
        );
    }
    let o = numlab(&dir, &["bench", "--list"]);
    assert!(stdout(&o).contains("smooth-uniform-1e6-s10"));
}

/// The CSV reader would skip blank lines and shift every later sample: in a
/// one-column file a blank line is a missing value, in a wider one an error.
#[test]
fn blank_lines_are_missing_values_or_errors_never_skipped() {
    let dir = scratch("blank");
    write_csv(&dir, "one.csv", "y\n1\n\n3\n\n");
    let o = numlab(&dir, &["smooth", "one.csv", "--sigma", "1", "--skip-nan"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, cols) = parse_csv(&stdout(&o));
    assert_eq!(cols[0], [0.0, 1.0, 2.0], "the gap keeps its index");
    assert!(cols[1][1].is_nan());
    write_csv(&dir, "two.csv", "x,y\n0,1\n\n2,3\n");
    let o = numlab(&dir, &["smooth", "two.csv", "--sigma", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 3 is empty"), "{}", stderr(&o));
    // A byte-order mark before the header is not part of the first name.
    write_csv(&dir, "bom.csv", "\u{feff}x,y\n0,1\n1,2\n2,4\n");
    let o = numlab(
        &dir,
        &["smooth", "bom.csv", "--x", "x", "--y", "y", "--sigma", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}
