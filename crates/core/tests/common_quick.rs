use numlab_core::signals;
use numlab_core::smoothing::{reference, EdgeMode, GaussianSmoother, Method};

#[test]
fn quick_methods_vs_reference() {
    let mut worst = [0.0f64; 5];
    for &n in &[1usize, 2, 3, 7, 50, 300, 5000] {
        let y = signals::uniform(n, -4.0, 4.0, 7).unwrap();
        for &sigma in &[0.5, 1.0, 3.0, 10.0, 40.0, 150.0] {
            for mode in EdgeMode::ALL {
                let r = (4.0 * sigma + 0.5f64).floor() as usize;
                let want = reference::gaussian_filter_direct(&y, sigma, r, mode, 1.5);
                for (mi, m) in [Method::Direct, Method::Sliding, Method::Fft, Method::Auto].iter().enumerate() {
                    let s = GaussianSmoother::new(sigma).unwrap().with_mode(mode).with_cval(1.5).unwrap().with_method(*m);
                    let got = s.smooth_uniform(&y, 1.0).unwrap();
                    let e = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                    worst[mi] = worst[mi].max(e);
                    if e > 1e-12 * 4.0 { println!("n={n} sigma={sigma} mode={mode} method={m}: {e:e}"); }
                }
            }
        }
    }
    println!("worst direct/sliding/fft/auto = {:?}", worst);
}

#[test]
fn quick_nw_and_seed() {
    use numlab_core::smoothing::*;
    let x = signals::sorted_uniform(3000, 0.0, 3000.0, 2).unwrap();
    let mut y = signals::uniform(3000, -4.0, 4.0, 3).unwrap();
    for &sigma in &[0.3, 2.0, 10.0, 100.0] {
        let got = nadaraya_watson(&x, &y, sigma, Cutoff::Truncate(4.0), false).unwrap();
        let want = reference::nadaraya_watson_direct(&x, &y, sigma, 4.0 * sigma);
        let e = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        println!("nw sigma {sigma}: {e:e}");
    }
    y[100] = f64::NAN;
    let got = nadaraya_watson(&x, &y, 10.0, Cutoff::Truncate(4.0), true).unwrap();
    assert!(got.iter().all(|v| v.is_finite()));
    let xs = signals::arange(2000);
    let ys = signals::uniform(2000, -4.0, 4.0, 4).unwrap();
    for &(reach, sigma) in &[(0.1, 10.0), (0.001, 100.0), (0.5, 2.5), (0.9, 1.0)] {
        let fast = gaussian_flatten(&xs, &ys, reach, sigma, 0.0, 1.0).unwrap();
        let slow = reference::seed_loop(&xs, &ys, reach, sigma, 0.0, 1.0);
        let vec = reference::seed_vectorised(&xs, &ys, reach, sigma, 0.0, 1.0);
        let e = fast.iter().zip(&slow).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let e2 = vec.iter().zip(&slow).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        println!("seed reach {reach} sigma {sigma}: {e:e} {e2:e}");
    }
    let fast = gaussian_flatten(&x, &ys[..3000.min(ys.len())].iter().chain(ys.iter()).take(3000).cloned().collect::<Vec<_>>(), 0.1, 10.0, 0.7, 3.2).unwrap();
    let yy: Vec<f64> = ys.iter().chain(ys.iter()).take(3000).cloned().collect();
    let slow = reference::seed_loop(&x, &yy, 0.1, 10.0, 0.7, 3.2);
    let e = fast.iter().zip(&slow).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    println!("seed irregular: {e:e}");
}
