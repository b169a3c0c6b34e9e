use numlab_core::density::*;
use numlab_core::signals;
fn main() {
    let n: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(1_000_000);
    let size: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(1024);
    let v = View::new(0.0,0.0,1.0,1.0).unwrap();
    let x = signals::uniform(n, 0.0, 1.0, 1).unwrap();
    let y = signals::uniform(n, 0.0, 1.0, 2).unwrap();
    let mut best = f64::INFINITY;
    for _ in 0..30 { let s = std::time::Instant::now(); std::hint::black_box(gaussian_density(&x, &y, v, size, size, 10.0, 4.0).unwrap()); best = best.min(s.elapsed().as_secs_f64()*1e3); }
    println!("best {best:.3} ms");
}
