use numlab_core::smoothing::*;
fn main() {
    let s = 300.0;
    let n = 12001;
    let mut y = vec![0.0; n]; y[n / 2] = 1.0;
    let ex = GaussianSmoother::new(s).unwrap().with_truncate(8.0).unwrap().with_method(Method::Direct).smooth_uniform(&y, 1.0).unwrap();
    let re = GaussianSmoother::new(s).unwrap().with_method(Method::Recursive).smooth_uniform(&y, 1.0).unwrap();
    for k in (0..n).step_by(500) { println!("{k} {:.4e} {:.4e}", ex[k], re[k]); }
}
