//! `numlab wave` end to end: the table, the JSON shape and values (equal to
//! the library's), the options, and bad flags (one line on stderr, exit 2).

mod common;

use common::*;
use numlab_core::wave::{ConvergenceStudy, Init, Problem};

#[test]
fn json_has_the_documented_shape_and_the_library_values() {
    let dir = scratch("wave-json");
    let o = numlab(
        &dir,
        &[
            "wave",
            "--cfl",
            "0.5",
            "--t-end",
            "1",
            "--grids",
            "32,64,128",
            "--init",
            "exact",
            "--problem",
            "general",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    let obj = v.as_object().unwrap();
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["levels", "order_l2_p", "order_l2_u"]);
    let want = ConvergenceStudy::new(vec![32, 64, 128], 0.5, 1.0)
        .unwrap()
        .with_init(Init::Exact)
        .with_problem(Problem::General)
        .run()
        .unwrap();
    let levels = v["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 3);
    for (l, w) in levels.iter().zip(&want.levels) {
        let mut k: Vec<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort_unstable();
        assert_eq!(
            k,
            [
                "dt",
                "dx",
                "error_l2_p",
                "error_l2_u",
                "error_max_p",
                "error_max_u",
                "n"
            ]
        );
        assert_eq!(l["n"].as_u64().unwrap() as usize, w.n);
        for (key, x) in [
            ("dx", w.dx),
            ("dt", w.dt),
            ("error_l2_p", w.error_l2_p),
            ("error_l2_u", w.error_l2_u),
            ("error_max_p", w.error_max_p),
            ("error_max_u", w.error_max_u),
        ] {
            // serde_json parses without float_roundtrip here: equal to an ulp or two.
            let got = l[key].as_f64().unwrap();
            assert!(
                (got - x).abs() <= 4.0 * f64::EPSILON * x.abs(),
                "{key}: {got} {x}"
            );
        }
    }
    let op = v["order_l2_p"].as_f64().unwrap();
    assert!((op - want.order_l2_p.unwrap()).abs() < 1e-14);
    assert!((1.95..=2.05).contains(&op));
}

#[test]
fn table_and_defaults() {
    let dir = scratch("wave-table");
    let o = numlab(
        &dir,
        &[
            "wave",
            "--grids",
            "20,40",
            "--init",
            "naive",
            "--problem",
            "standing",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("problem standing, init naive, CFL 0.3, T = 2"),
        "{text}"
    );
    assert!(text.contains("fitted order"), "{text}");
    // One grid: no order (null in JSON).
    let o = numlab(&dir, &["wave", "--grids", "16", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(v["order_l2_p"].is_null());
    // Default: the questioner's 19 grids.
    let o = numlab(&dir, &["wave", "--json", "--t-end", "0.1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["levels"].as_array().unwrap().len(), 19);
    let o = numlab(&dir, &["wave", "--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Example: numlab wave"));
}

#[test]
fn bad_flags_give_one_line_and_exit_2() {
    let dir = scratch("wave-bad");
    for (args, needle) in [
        (vec!["wave", "--cfl", "1.5"], "cfl = 1.5"),
        (vec!["wave", "--cfl", "0"], "cfl = 0"),
        (vec!["wave", "--cfl", "-0.2"], "cfl = -0.2"),
        (vec!["wave", "--cfl", "nan"], "cfl = NaN"),
        (vec!["wave", "--t-end", "0"], "t_end = 0"),
        (vec!["wave", "--t-end", "inf"], "t_end = inf"),
        (vec!["wave", "--grids", "1,8"], "n = 1"),
        (vec!["wave", "--grids", "x"], "--grids"),
        (vec!["wave", "--grids", ""], "--grids"),
        (vec!["wave", "--init", "sloppy"], "init 'sloppy'"),
        (vec!["wave", "--problem", "bumpy"], "problem 'bumpy'"),
        (vec!["wave", "--frobnicate"], "--frobnicate"),
    ] {
        let o = numlab(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}
