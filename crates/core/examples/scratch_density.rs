use numlab_core::density::*;
use numlab_core::signals;
use numlab_core::smoothing::Method;
use std::time::Instant;
fn t<T>(name: &str, reps: usize, mut f: impl FnMut() -> T) {
    let _ = f();
    let mut v = Vec::new();
    for _ in 0..reps { let s = Instant::now(); std::hint::black_box(f()); v.push(s.elapsed().as_secs_f64()*1e3); }
    v.sort_by(f64::total_cmp);
    println!("{name:30} min {:.3} ms  med {:.3} ms", v[0], v[v.len()/2]);
}
fn main() {
    let v = View::new(0.0,0.0,1.0,1.0).unwrap();
    for (n, size) in [(30_000usize, 256usize), (1_000_000, 1024)] {
        let x = signals::uniform(n, 0.0, 1.0, 1).unwrap();
        let y = signals::uniform(n, 0.0, 1.0, 2).unwrap();
        let r = 40; let wp = size + 80;
        let pv = View::new(-40.0/size as f64, -40.0/size as f64, 1.0+40.0/size as f64, 1.0+40.0/size as f64).unwrap();
        t(&format!("hist {n}"), 20, || histogram2d(&x, &y, pv, wp, wp).unwrap());
        let h = histogram2d(&x, &y, pv, wp, wp).unwrap().grid.values;
        let blur = GridBlur::new(10.0, 4.0, Method::Auto).unwrap();
        t(&format!("blur_valid {size}"), 20, || blur.blur_valid(&h, wp, wp).unwrap());
        t(&format!("gaussian_density {n}"), 20, || gaussian_density(&x, &y, v, size, size, 10.0, 4.0).unwrap());
        let _ = r;
    }
    let n = 30_000;
    let x = signals::uniform(n, 0.0, 1.0, 1).unwrap();
    let y = signals::uniform(n, 0.0, 1.0, 2).unwrap();
    let kde = Kde::new(&x, &y, Bandwidth::Scott).unwrap();
    println!("split {:?} sigmas {:?}", kde.fast_split(v, 256, 256), kde.sigmas());
    t("kde fast", 10, || kde.grid(v, 256, 256, KdeMethod::Fast).unwrap());
}
