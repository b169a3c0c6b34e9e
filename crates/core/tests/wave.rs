//! numlab-core wave: observed orders, exactness at c = 1, the conserved
//! energy, fast paths against the plain loop bit for bit, the questioner's
//! port, and every error path.

mod common;

use numlab_core::wave::{
    convergence_2d, exact_2d, fitted_order, pairwise_orders, reference, steps_to, ConvergenceStudy,
    Grid1d, Init, Leapfrog1d, Leapfrog2d, Problem,
};
use numlab_core::NumlabError;

/// The questioner's sweep: NX = 50, 100, ..., 950.
fn their_grids() -> Vec<usize> {
    (1..=19).map(|k| 50 * k).collect()
}

fn study(
    grids: Vec<usize>,
    cfl: f64,
    t_end: f64,
    init: Init,
) -> numlab_core::wave::ConvergenceTable {
    ConvergenceStudy::new(grids, cfl, t_end)
        .unwrap()
        .with_init(init)
        .with_problem(Problem::General)
        .run()
        .unwrap()
}

#[test]
fn exact_and_taylor_starts_are_second_order_on_the_general_problem() {
    for init in [Init::Exact, Init::Taylor] {
        for (grids, cfl, t_end) in [
            (their_grids(), 0.3, 2.0),
            (vec![64, 128, 256, 512, 1024], 0.3, 0.3),
            (vec![32, 64, 128, 256, 512], 0.9, 1.7),
        ] {
            let t = study(grids, cfl, t_end, init);
            for (name, o) in [
                ("l2 p", t.order_l2_p),
                ("l2 u", t.order_l2_u),
                ("max p", t.order_max_p),
                ("max u", t.order_max_u),
            ] {
                let o = o.unwrap();
                assert!(
                    (1.95..=2.05).contains(&o),
                    "{init} cfl {cfl} T {t_end} {name}: {o}"
                );
            }
        }
    }
}

/// The naive start (u(x + dx/2, 0) used as u at dt/2) perturbs u by
/// (dt/2) p_x: an O(dt) error carried by both waves. At T = 2 (a whole number
/// of periods of the 1-periodic data) the perturbation cancels in p and stays
/// in u; at T = 0.3 it is in both. Measured orders (least squares, general problem):
/// T = 2, NX = 50..950, c = 0.3: p 2.001, u 1.415; T = 0.3, 64..1024: p 1.141, u 1.126.
#[test]
fn naive_start_degrades_the_order() {
    let t = study(their_grids(), 0.3, 2.0, Init::Naive);
    let (p, u) = (t.order_l2_p.unwrap(), t.order_l2_u.unwrap());
    assert!((p - 2.0015).abs() < 0.01, "p {p}");
    assert!((u - 1.4147).abs() < 0.01, "u {u}");
    // The pairwise order of u falls towards 1 on the finest grids.
    let last = t.pairwise_l2_u.last().copied().flatten().unwrap();
    assert!(last < 1.25, "last pairwise u order {last}");
    let t = study(vec![64, 128, 256, 512, 1024], 0.3, 0.3, Init::Naive);
    let (p, u) = (t.order_l2_p.unwrap(), t.order_l2_u.unwrap());
    assert!((p - 1.1405).abs() < 0.01, "p {p}");
    assert!((u - 1.1261).abs() < 0.01, "u {u}");
    // And the error itself is orders of magnitude above the Taylor start's.
    let taylor = study(vec![1024], 0.3, 0.3, Init::Taylor);
    let ratio = t.levels[4].error_l2_p / taylor.levels[0].error_l2_p;
    assert!(ratio > 20.0, "{ratio}");
}

#[test]
fn cfl_one_is_exact_to_rounding_over_many_steps() {
    for problem in Problem::ALL {
        let mut s = Leapfrog1d::for_problem(64, 1.0, 1.0, problem, Init::Exact).unwrap();
        s.advance(20_000);
        let e = s.errors(problem);
        // Rounding only (about 1e-10 after 2e4 steps); just below the limit the
        // truncation error is orders of magnitude larger.
        assert!(e.max_p < 1e-9 && e.max_u < 1e-9, "{problem}: {e:?}");
        let mut near = Leapfrog1d::for_problem(64, 1.0, 0.999, problem, Init::Exact).unwrap();
        near.advance(20_000);
        assert!(
            near.errors(problem).max_p > 1e-5,
            "{problem}: {:?}",
            near.errors(problem)
        );
    }
    // Through the study too (dt = T/K lands on c = 1 exactly).
    let t = ConvergenceStudy::new(vec![10, 20, 40], 1.0, 3.0)
        .unwrap()
        .with_init(Init::Exact)
        .run()
        .unwrap();
    for l in &t.levels {
        assert!(
            l.cfl <= 1.0 + 1e-12 && l.error_max_p < 1e-12 && l.error_max_u < 1e-12,
            "{l:?}"
        );
    }
}

#[test]
fn discrete_energy_is_conserved_and_bounds_the_fields() {
    for cfl in [0.3, 0.9, 0.999] {
        let mut s = Leapfrog1d::for_problem(64, 1.0, cfl, Problem::General, Init::Taylor).unwrap();
        let e0 = s.energy();
        assert!(e0 > 0.0);
        let mut worst: f64 = 0.0;
        let mut max_norm: f64 = 0.0;
        for _ in 0..100 {
            s.advance(1000);
            worst = worst.max((s.energy() - e0).abs() / e0);
            let dx = s.grid().dx();
            let norm: f64 = s.p().iter().chain(s.u()).map(|v| v * v).sum::<f64>() * dx;
            max_norm = max_norm.max(norm);
        }
        assert_eq!(s.steps(), 100_000);
        assert!(worst < 1e-11, "cfl {cfl}: relative energy drift {worst:e}");
        assert!(
            max_norm <= e0 / (1.0 - cfl) * (1.0 + 1e-9),
            "cfl {cfl}: {max_norm} > {}",
            e0 / (1.0 - cfl)
        );
    }
}

#[test]
fn fast_paths_equal_the_plain_loop_bit_for_bit() {
    // The blocked advance runs from 49,152 cells, in tiles of 16,384 cells
    // (12,288 on AVX-512), and cuts the steps into an even number of blocks
    // of at most 192: cover both sides of those sizes. (The kernel's unit
    // tests cover small and awkward tiles, blocks and n.)
    let small: &[u64] = &[1, 3, 4, 47, 48, 49, 95, 96, 97, 130, 193];
    let large: &[u64] = &[1, 4, 5, 191, 192, 193, 385, 500];
    let cases: Vec<(usize, &[u64])> = vec![
        (2, small),
        (3, small),
        (17, small),
        (1000, small),
        (7001, small),
        (20_000, small),
        (49_151, large),
        (49_152, large),
        (49_153, large),
        (61_441, large),
        (100_000, large),
    ];
    for (n, steps_list) in cases {
        for &steps in steps_list {
            let mut a =
                Leapfrog1d::for_problem(n, 1.0, 0.7, Problem::General, Init::Taylor).unwrap();
            let (mut p, mut u) = (a.p().to_vec(), a.u().to_vec());
            a.advance(steps);
            reference::advance_loop(&mut p, &mut u, 0.7, steps);
            assert!(
                a.p() == p.as_slice() && a.u() == u.as_slice(),
                "n {n} steps {steps}"
            );
            let mut b =
                Leapfrog1d::for_problem(n, 1.0, 0.7, Problem::General, Init::Taylor).unwrap();
            for _ in 0..steps {
                b.step();
            }
            assert!(
                a.p() == b.p() && a.u() == b.u(),
                "n {n} steps {steps}: step"
            );
        }
    }
}

#[test]
fn recorded_errors_match_the_direct_evaluation() {
    let mut a = Leapfrog1d::for_problem(300, 1.0, 0.3, Problem::General, Init::Exact).unwrap();
    let mut b = a.clone();
    let rec = a.advance_recording(Problem::General, 50);
    for (k, r) in rec.iter().enumerate() {
        b.step();
        let e = b.errors(Problem::General);
        assert!((r.t_p - b.t_p()).abs() < 1e-15 && (k as u64 + 1) == b.steps());
        assert!(
            (r.l2_p - e.l2_p).abs() < 1e-13 && (r.l2_u - e.l2_u).abs() < 1e-13,
            "{k}: {r:?} {e:?}"
        );
    }
    assert!(a.p() == b.p() && a.u() == b.u());
}

#[test]
fn problems_solve_the_system_with_the_stated_signs() {
    let h = 1e-5;
    for problem in Problem::ALL {
        for &(x, t) in &[(0.1, 0.0), (0.37, 0.8), (0.9, 1.3)] {
            let pt = (problem.p(x, t + h, 1.0) - problem.p(x, t - h, 1.0)) / (2.0 * h);
            let ux = (problem.u(x + h, t, 1.0) - problem.u(x - h, t, 1.0)) / (2.0 * h);
            let ut = (problem.u(x, t + h, 1.0) - problem.u(x, t - h, 1.0)) / (2.0 * h);
            let px = (problem.p(x + h, t, 1.0) - problem.p(x - h, t, 1.0)) / (2.0 * h);
            assert!(
                (pt + ux).abs() < 1e-6 && (ut + px).abs() < 1e-6,
                "{problem} {x} {t}"
            );
        }
    }
    // The questioner's data.
    let x = 0.3;
    assert!(
        (Problem::Standing.p(x, 0.0, 1.0) - (2.0 * std::f64::consts::PI * x).cos()).abs() < 1e-15
    );
    assert!(
        (Problem::Standing.u(x, 0.0, 1.0) + (2.0 * std::f64::consts::PI * x).cos()).abs() < 1e-15
    );
}

#[test]
fn orders_and_end_time() {
    let dx = [0.1, 0.05, 0.025];
    let e: Vec<f64> = dx.iter().map(|h| 3.0 * h * h).collect();
    assert!((fitted_order(&dx, &e).unwrap() - 2.0).abs() < 1e-12);
    for o in pairwise_orders(&dx, &e) {
        assert!((o.unwrap() - 2.0).abs() < 1e-12);
    }
    assert_eq!(fitted_order(&dx[..1], &e[..1]), None);
    assert_eq!(fitted_order(&dx, &[0.0, 0.0, 0.0]), None);
    // T = 2, c = 0.3, dx = 1/50: 333.33 -> 334 steps of 2/334.
    let (k, dt) = steps_to(2.0, 0.3, 1.0 / 50.0);
    assert_eq!(k, 334);
    assert!((dt * k as f64 - 2.0).abs() < 1e-15 && dt * 50.0 <= 0.3);
    // An integer ratio is never rounded up.
    assert_eq!(steps_to(1.0, 0.1, 0.1).0, 100);
    let t = study(vec![50], 0.3, 2.0, Init::Exact);
    assert_eq!(t.levels[0].steps, 334);
    assert!(t.levels[0].cfl <= 0.3);
}

#[test]
fn questioner_port_reproduces_their_setup() {
    let r = reference::questioner_run(50, 0.3, 2.0, 1.0, Problem::Standing);
    // linspace(0, 1, 50): dx = 1/49; arange(0, 2, dt) has ceil(2/dt) entries.
    assert!((r.dx - 1.0 / 49.0).abs() < 1e-16);
    assert_eq!(r.steps, (2.0 / r.dt).ceil() as usize);
    assert_eq!(r.errors_p.len(), r.steps);
    // Their periodic copies.
    assert_eq!(r.p[0], r.p[49]);
    assert_eq!(r.u[49], r.u[0]);
    // Their measurement: final errors against their time, first order.
    let runs: Vec<_> = their_grids()
        .into_iter()
        .map(|nx| reference::questioner_run(nx, 0.3, 2.0, 1.0, Problem::Standing))
        .collect();
    let dx: Vec<f64> = runs.iter().map(|r| r.dx).collect();
    let last: Vec<f64> = runs.iter().map(|r| *r.errors_p.last().unwrap()).collect();
    let o = fitted_order(&dx, &last).unwrap();
    assert!((o - 0.943).abs() < 0.01, "{o}");
    // One step of their slicing equals the plain loop on the n-1 distinct points.
    let n = 40;
    let mut p: Vec<f64> = (0..=n).map(|j| ((j * 7) % 11) as f64).collect();
    let mut u: Vec<f64> = (0..=n).map(|j| ((j * 5) % 13) as f64).collect();
    p[n] = p[0];
    u[n] = u[0];
    reference::questioner_step(&mut p, &mut u, 0.3);
    assert_eq!(p[0], p[n]);
    assert_eq!(u[n], u[0]);
}

#[test]
fn two_d_is_second_order_and_has_its_cfl_limit() {
    for init in [Init::Exact, Init::Taylor] {
        let t = convergence_2d(&[16, 32, 64, 128], 0.5, 1.0, init).unwrap();
        for o in [t.order_l2_p, t.order_l2_u, t.order_l2_v] {
            let o = o.unwrap();
            assert!((1.95..=2.05).contains(&o), "{init}: {o}");
        }
    }
    assert!(matches!(
        convergence_2d(&[16], 0.75, 1.0, Init::Exact),
        Err(NumlabError::InvalidParameter { name: "cfl", .. })
    ));
    assert!(matches!(
        Leapfrog2d::new(16, 1.0, 0.05, Init::Exact),
        Err(NumlabError::InvalidParameter { name: "cfl", .. })
    ));
    assert!(matches!(
        Leapfrog2d::new(1, 1.0, 0.01, Init::Exact),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    assert!(matches!(
        convergence_2d(&[], 0.5, 1.0, Init::Exact),
        Err(NumlabError::TooShort { name: "grids", .. })
    ));
}

fn is_param<T: std::fmt::Debug>(r: Result<T, NumlabError>, want: &str) {
    match r {
        Err(NumlabError::InvalidParameter { name, .. }) if name == want => {}
        other => panic!("expected an error naming {want}, got {other:?}"),
    }
}

#[test]
fn every_bad_input_is_a_typed_error() {
    is_param(Grid1d::new(1, 1.0), "n");
    is_param(Grid1d::new(0, 1.0), "n");
    for l in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        is_param(Grid1d::new(10, l), "length");
        is_param(
            ConvergenceStudy::new(vec![10], 0.5, 1.0)
                .unwrap()
                .with_length(l),
            "length",
        );
    }
    for c in [1.5, 1.0 + 1e-9, 0.0, -0.3, f64::NAN, f64::INFINITY] {
        is_param(Leapfrog1d::with_cfl(10, 1.0, c), "cfl");
        is_param(ConvergenceStudy::new(vec![10], c, 1.0), "cfl");
    }
    let msg = Leapfrog1d::with_cfl(10, 1.0, 1.5).unwrap_err().to_string();
    assert!(
        msg.contains("cfl = 1.5") && msg.contains("CFL limit"),
        "{msg}"
    );
    is_param(Leapfrog1d::new(Grid1d::new(10, 1.0).unwrap(), 0.2), "cfl");
    for dt in [0.0, -1.0, f64::NAN] {
        is_param(Leapfrog1d::new(Grid1d::new(10, 1.0).unwrap(), dt), "dt");
    }
    for t in [0.0, -2.0, f64::NAN, f64::INFINITY] {
        is_param(ConvergenceStudy::new(vec![10], 0.5, t), "t_end");
    }
    is_param(ConvergenceStudy::new(vec![10, 1, 20], 0.5, 1.0), "n");
    assert!(matches!(
        ConvergenceStudy::new(vec![], 0.5, 1.0),
        Err(NumlabError::TooShort {
            name: "grids",
            len: 0,
            ..
        })
    ));
    let mut s = Leapfrog1d::with_cfl(10, 1.0, 0.5).unwrap();
    assert!(matches!(
        s.set_fields(&[0.0; 9], &[0.0; 10]),
        Err(NumlabError::LengthMismatch { .. })
    ));
    let mut bad = [0.0; 10];
    bad[3] = f64::NAN;
    assert!(matches!(
        s.set_fields(&bad, &[0.0; 10]),
        Err(NumlabError::NonFinite {
            name: "p",
            index: 3,
            ..
        })
    ));
    assert!(matches!(
        "wobbly".parse::<Init>(),
        Err(NumlabError::UnknownName { name: "init", .. })
    ));
    assert!(matches!(
        "x".parse::<Problem>(),
        Err(NumlabError::UnknownName {
            name: "problem",
            ..
        })
    ));
    assert_eq!("Taylor".parse::<Init>().unwrap(), Init::Taylor);
    assert_eq!("general".parse::<Problem>().unwrap(), Problem::General);
}

/// Sizes and run lengths that would exhaust memory or never finish are
/// refused by name; CFL 1 is never refused because of rounding in T / dx.
#[test]
fn oversized_runs_are_refused_and_cfl_one_survives_rounding() {
    use numlab_core::wave::{steps_to, ConvergenceStudy, Grid1d, MAX_CELLS};
    assert!(matches!(
        Grid1d::new(MAX_CELLS + 1, 1.0),
        Err(NumlabError::InvalidParameter { name: "n", .. })
    ));
    assert!(Grid1d::new(MAX_CELLS, 1.0).is_ok());
    // Each named by the parameter whose usual value would fit: a tiny CFL
    // is the CFL's fault, not the (default) end time's.
    for (t_end, cfl, name) in [
        (1e300, 0.3, "t_end"),
        (2.0, 1e-300, "cfl"),
        (1e9, 0.5, "t_end"),
    ] {
        let study = ConvergenceStudy::new(vec![32], cfl, t_end).unwrap();
        let e = study.run().unwrap_err();
        assert_eq!(e.parameter(), Some(name), "t_end {t_end} cfl {cfl}: {e}");
        assert!(
            matches!(
                e,
                NumlabError::AboveLimit { .. } | NumlabError::OutOfRange { .. }
            ),
            "{e:?}"
        );
    }
    // T / (c dx) a hair above an integer: one more step rather than dt/dx > 1.
    let dx = 0.1;
    for t_end in [1.0000000001, 1.0, 0.9999999999, 3.3] {
        let (k, dt) = steps_to(t_end, 1.0, dx);
        assert!(dt / dx <= 1.0 + 1e-12, "t_end {t_end}: dt/dx = {}", dt / dx);
        assert!((k as f64 * dt - t_end).abs() <= 1e-12 * t_end);
        let study = ConvergenceStudy::new(vec![10], 1.0, t_end).unwrap();
        assert!(study.run().is_ok(), "t_end {t_end}");
    }
}

#[test]
fn leapfrog_2d_fields_are_n_by_n_views_of_the_standing_mode() {
    use numlab_core::ndarray::s;
    let (n, l) = (16, 1.0);
    let dx = l / n as f64;
    let a = Leapfrog2d::new(n, l, 0.25 * dx, Init::Exact).unwrap();
    assert_eq!(a.n(), n);
    for f in [a.p(), a.u(), a.v()] {
        assert_eq!(f.dim(), (n, n));
    }
    // [i, j] = (x index, y index): p at the nodes, u and v on the faces.
    for (i, j) in [(0, 0), (3, 5), (15, 8)] {
        let (x, y) = (i as f64 * dx, j as f64 * dx);
        assert_eq!(a.p()[[i, j]], exact_2d(x, y, 0.0, l).0);
        assert_eq!(a.u()[[i, j]], exact_2d(x + 0.5 * dx, y, 0.125 * dx, l).1);
        assert_eq!(a.v()[[i, j]], exact_2d(x, y + 0.5 * dx, 0.125 * dx, l).2);
    }
    // The centre line y = L/2 is a column: cos(kx) cos(π) = -cos(kx).
    let centre = a.p().slice(s![.., n / 2]).to_vec();
    assert_eq!(centre.len(), n);
    assert!((centre[0] + 1.0).abs() < 1e-15 && centre[n / 2] > 0.99);
}
