use numlab_core::smoothing::*;
fn main() {
    for &s in &[1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0] {
        let n = (40.0 * s) as usize + 1;
        let mut y = vec![0.0; n]; y[n / 2] = 1.0;
        let ex = GaussianSmoother::new(s).unwrap().with_truncate(8.0).unwrap().with_method(Method::Direct).smooth_uniform(&y, 1.0).unwrap();
        let re = GaussianSmoother::new(s).unwrap().with_method(Method::Recursive).smooth_uniform(&y, 1.0).unwrap();
        let peak = ex.iter().cloned().fold(0.0, f64::max);
        let e = ex.iter().zip(&re).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let sum_re: f64 = re.iter().sum();
        println!("sigma {s}: max err / peak = {:.2e}, sum = {sum_re}", e / peak);
        let y2 = numlab_core::signals::uniform(20000, -4.0, 4.0, 1).unwrap();
        let ex = GaussianSmoother::new(s).unwrap().with_truncate(8.0).unwrap().with_method(Method::Fft).smooth_uniform(&y2, 1.0).unwrap();
        let re = GaussianSmoother::new(s).unwrap().with_method(Method::Recursive).smooth_uniform(&y2, 1.0).unwrap();
        let e = ex.iter().zip(&re).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let em = ex[5000..15000].iter().zip(&re[5000..15000]).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let amp = ex.iter().map(|v| v.abs()).fold(0.0, f64::max);
        println!("   noise: max err {e:.2e} middle {em:.2e} output amp {amp:.2e}");
    }
}
