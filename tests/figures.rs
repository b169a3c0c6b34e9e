//! `numlab figures`: valid SVG and PNG, summary.md, and byte-identical output
//! from a second run except the figures that show measured times (named
//! `*timing*`) and summary.md's "Measured on this machine" sections.

mod common;

use common::*;

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!(
        &bytes[bytes.len() - 8..bytes.len() - 4],
        b"IEND",
        "PNG ends with IEND"
    );
    (w, h)
}

#[test]
fn figures_are_valid_and_reproducible() {
    let dir = scratch("figures");
    let o = numlab(&dir, &["figures", "--study", "smoothing", "--out", "a"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = numlab(&dir, &["figures", "--study", "01", "--out", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for name in [
        "01-edge-modes",
        "01-irregular-x",
        "01-method-error",
        "01-time-vs-n-timing",
        "01-questioner-1000-timing",
    ] {
        assert!(a.contains_key(&format!("{name}.svg")), "{name}.svg missing");
        assert!(a.contains_key(&format!("{name}.png")), "{name}.png missing");
    }
    for (name, bytes) in &a {
        if name.ends_with(".svg") {
            let text = std::str::from_utf8(bytes).expect("SVG is UTF-8");
            assert!(text.trim_start().starts_with("<svg"), "{name}");
            assert!(text.trim_end().ends_with("</svg>"), "{name}");
            assert_eq!(
                text.matches("<svg").count(),
                text.matches("</svg>").count(),
                "{name}"
            );
            assert!(text.contains("<text"), "{name} has no text");
        } else if name.ends_with(".png") {
            let (w, h) = png_size(bytes);
            assert!(w >= 600 && h >= 400, "{name}: {w}x{h}");
        }
        if name.contains("timing") {
            continue;
        }
        if name == "summary.md" {
            let (sa, sb) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[name]),
            );
            assert!(sa.contains("## 01 Gaussian smoothing"));
            assert!(sa.contains("~8 s") && sa.contains("~0.15 s") && sa.contains("~1.75 s"));
            assert_eq!(
                deterministic_part(&sa),
                deterministic_part(&sb),
                "summary.md differs outside the measured sections"
            );
            continue;
        }
        assert!(bytes == &b[name], "{name} differs between two runs");
    }
    // No temporary files left.
    assert!(a.keys().all(|n| !n.contains(".tmp")));
}

#[test]
fn study_02_figures_are_valid_and_byte_identical() {
    let dir = scratch("figures-02");
    for out in ["a", "b"] {
        let o = numlab(&dir, &["figures", "--study", "spectrum", "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for name in [
        "02-questioner-rebuild",
        "02-amplitude-spectrum",
        "02-rebuild-error",
        "02-time-grid",
    ] {
        for ext in ["svg", "png"] {
            let file = format!("{name}.{ext}");
            assert!(a.contains_key(&file), "{file} missing");
            if ext == "png" {
                let (w, h) = png_size(&a[&file]);
                assert!(w >= 600 && h >= 400, "{file}: {w}x{h}");
            }
        }
    }
    // No study-02 figure shows measured times: every file is identical.
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two runs");
    }
    let summary = String::from_utf8_lossy(&a["summary.md"]);
    assert!(summary.contains("## 02 Amplitude of an FFT"));
    assert!(summary.contains("0.6283185307179586"), "the factor π·2·df");
    assert!(summary.contains("| 64 |"), "the rebuild error at K = 64");
}

#[test]
fn study_03_figures_are_reproducible() {
    let dir = scratch("figures-03");
    for out in ["a", "b"] {
        let o = numlab(&dir, &["figures", "--study", "wave", "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    for name in [
        "03-convergence",
        "03-error-vs-time",
        "03-snapshot",
        "03-convergence-2d",
    ] {
        for ext in ["svg", "png"] {
            let f = format!("{name}.{ext}");
            assert!(a.contains_key(&f), "{f} missing");
            assert!(a[&f] == b[&f], "{f} differs between two runs");
        }
    }
    let summary = String::from_utf8_lossy(&a["summary.md"]).into_owned();
    assert!(summary.contains("## 03 Staggered leapfrog"));
    assert_eq!(summary, String::from_utf8_lossy(&b["summary.md"]));
}

#[test]
fn study_05_figures_are_reproducible() {
    let dir = scratch("figures-05");
    for out in ["a", "b"] {
        let o = numlab(&dir, &["figures", "--study", "neuron", "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for name in [
        "05-questioner-100-inputs",
        "05-questioner-5000-inputs",
        "05-fi-curve",
        "05-rate-vs-inputs",
        "05-integrator-orders",
        "05-network",
        "05-timing-vs-inputs",
    ] {
        for ext in ["svg", "png"] {
            let f = format!("{name}.{ext}");
            assert!(a.contains_key(&f), "{f} missing");
            if ext == "png" {
                let (w, h) = png_size(&a[&f]);
                assert!(w >= 600 && h >= 400, "{f}: {w}x{h}");
            }
            if !name.contains("timing") {
                assert!(a[&f] == b[&f], "{f} differs between two runs");
            }
        }
    }
    let (sa, sb) = (
        String::from_utf8_lossy(&a["summary.md"]).into_owned(),
        String::from_utf8_lossy(&b["summary.md"]).into_owned(),
    );
    assert!(sa.contains("## 05 Hodgkin-Huxley neuron"));
    assert!(sa.contains("### Measured on this machine"));
    assert_eq!(deterministic_part(&sa), deterministic_part(&sb));
}

#[test]
fn study_04_figures_are_reproducible() {
    let dir = scratch("figures-04");
    for (out, threads) in [("a", "1"), ("b", "3")] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_numlab"))
            .args(["figures", "--study", "xcorr", "--out", out])
            .current_dir(&dir)
            .env("NUMLAB_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    for name in ["04-correlation-peak", "04-alignment", "04-accuracy"] {
        for ext in ["svg", "png"] {
            let f = format!("{name}.{ext}");
            assert!(a.contains_key(&f), "{f} missing");
            assert!(a[&f] == b[&f], "{f} differs between 1 and 3 threads");
        }
    }
    let summary = String::from_utf8_lossy(&a["summary.md"]).into_owned();
    assert!(summary.contains("## 04 Time shift"));
    // The answers' numbers are recomputed, not typed in.
    assert!(summary.contains("47.86°") && summary.contains("49.78°"));
    assert!(summary.contains("lag = -100"));
    assert!(summary.contains("1.000814 s"));
    assert_eq!(summary, String::from_utf8_lossy(&b["summary.md"]));
}

#[test]
fn study_06_figures_are_valid_and_reproducible() {
    let dir = scratch("figures-06");
    for out in ["a", "b"] {
        let o = numlab(&dir, &["figures", "--study", "density", "--out", out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (files(&dir.join("a")), files(&dir.join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for name in [
        "06-questioner-1000-timing",
        "06-questioner-30000-timing",
        "06-questioner-1000000-timing",
        "06-zoom",
        "06-kde",
    ] {
        for ext in ["svg", "png"] {
            let f = format!("{name}.{ext}");
            assert!(a.contains_key(&f), "{f} missing");
            if ext == "png" {
                let (w, h) = png_size(&a[&f]);
                assert!(w >= 900 && h >= 800, "{f}: {w}x{h}");
            } else {
                let text = std::str::from_utf8(&a[&f]).unwrap();
                assert!(
                    text.contains("data:image/png;base64,"),
                    "{f}: the heat-map raster"
                );
            }
            if !name.contains("timing") {
                assert!(a[&f] == b[&f], "{f} differs between two runs");
            }
        }
    }
    let sa = String::from_utf8_lossy(&a["summary.md"]).into_owned();
    let sb = String::from_utf8_lossy(&b["summary.md"]).into_owned();
    assert!(sa.contains("## 06 Density of irregularly spaced points"));
    assert!(sa.contains("350 ms") && sa.contains("0.5 s") && sa.contains("20 s"));
    assert_eq!(deterministic_part(&sa), deterministic_part(&sb));
}
