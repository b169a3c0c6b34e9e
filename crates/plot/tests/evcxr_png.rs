//! The PNG display of notebook cells: base64 (RFC 4648 test vectors) and the
//! evcxr `image/png` content, checked against the PNG file output.

use numlab_plot::{
    base64_encode, Chart, Figure, PlotError, PngFigure, Series, DEFAULT_HEIGHT, DEFAULT_WIDTH,
};

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// A base64 decoder written for this test only (strict: standard alphabet,
/// padding required, no whitespace), to check the encoder independently.
fn decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not in the base64 alphabet: {:?}", char::from(c)),
        }
    };
    let bytes = text.as_bytes();
    assert_eq!(
        bytes.len() % 4,
        0,
        "length {} is not a multiple of 4",
        bytes.len()
    );
    let mut out = Vec::new();
    for (i, quad) in bytes.chunks(4).enumerate() {
        let last = i + 1 == bytes.len() / 4;
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        assert!(pad <= 2 && (pad == 0 || last), "bad padding in {quad:?}");
        let n = quad[..4 - pad]
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &c)| n | value(c) << (18 - 6 * k));
        let full = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&full[..3 - pad]);
    }
    out
}

fn scatter_chart(n: usize) -> Chart {
    // A fixed, irregular cloud (no randomness: the same points every run).
    let xs: Vec<f64> = (0..n).map(|i| (i as f64 * 0.618_034).fract()).collect();
    let ys: Vec<f64> = (0..n)
        .map(|i| ((i as f64 * 0.414_214).fract() + (i as f64 * 0.01).sin()) * 0.5)
        .collect();
    Chart::new("A cloud of points")
        .with_labels("x", "y")
        .with_series(Series::points("cloud", &xs, &ys))
}

/// The base64 text between the evcxr markers, checking the markers.
fn png_payload(content: &str) -> &str {
    let body = content
        .strip_prefix("EVCXR_BEGIN_CONTENT image/png\n")
        .expect("starts with the image/png marker");
    let body = body
        .strip_suffix("\nEVCXR_END_CONTENT")
        .expect("ends with the end marker");
    assert!(!body.contains('\n'), "base64 on one line");
    body
}

#[test]
fn base64_rfc4648_test_vectors() {
    // RFC 4648, section 10 (Test Vectors), BASE64.
    let vectors = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (input, expected) in vectors {
        assert_eq!(base64_encode(input.as_bytes()), expected, "input {input:?}");
        assert_eq!(decode(expected), input.as_bytes());
    }
}

#[test]
fn base64_uses_the_standard_alphabet_not_base64url() {
    // Python: base64.b64encode(bytes([0xfb, 0xff])) == b"+/8=", and so on.
    assert_eq!(base64_encode(&[0xfb, 0xff]), "+/8=");
    assert_eq!(base64_encode(&[0xfb, 0xef, 0xbe]), "++++");
    assert_eq!(base64_encode(&[0xff, 0xff, 0xff]), "////");
    assert_eq!(base64_encode(&[0, 0, 0]), "AAAA");
    assert_eq!(base64_encode(&[0]), "AA==");
    // base64.b64encode(bytes(range(0, 256, 5)))
    let every_fifth: Vec<u8> = (0..=255u8).step_by(5).collect();
    assert_eq!(
        base64_encode(&every_fifth),
        "AAUKDxQZHiMoLTI3PEFGS1BVWl9kaW5zeH2Ch4yRlpugpaqvtLm+w8jN0tfc4ebr8PX6/w=="
    );
}

#[test]
fn base64_round_trips_every_length_and_byte() {
    let bytes: Vec<u8> = (0..1000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for len in 0..bytes.len() {
        let text = base64_encode(&bytes[..len]);
        assert_eq!(text.len(), len.div_ceil(3) * 4);
        assert_eq!(decode(&text), &bytes[..len], "length {len}");
    }
    let all: Vec<u8> = (0..=255u8).collect();
    assert_eq!(decode(&base64_encode(&all)), all);
}

#[test]
fn png_content_is_the_png_file_in_base64() {
    let figure = Figure::grid(
        vec![scatter_chart(3000), scatter_chart(500)],
        1,
        2,
        800,
        360,
    );
    let shown = figure.clone().in_png();
    let content = shown.to_evcxr_content().unwrap();
    let png = decode(png_payload(&content));
    assert_eq!(png[..8], PNG_SIGNATURE);
    assert_eq!(png, figure.to_png_bytes().unwrap());
    assert_eq!(png, shown.to_png_bytes().unwrap());

    // The very bytes that save_png writes to a file.
    let dir = std::env::temp_dir().join(format!("numlab-plot-evcxr-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("figure.png");
    figure.save_png(&file).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), png);
    std::fs::remove_dir_all(&dir).unwrap();

    // Its header states the figure's size.
    let reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (800, 360));
}

#[test]
fn png_content_is_byte_identical_from_run_to_run() {
    let a = Figure::single(scatter_chart(2000), 600, 400).in_png();
    let b = Figure::single(scatter_chart(2000), 600, 400).in_png();
    assert_eq!(a, b);
    assert_eq!(a.to_evcxr_content().unwrap(), a.to_evcxr_content().unwrap());
    assert_eq!(a.to_evcxr_content().unwrap(), b.to_evcxr_content().unwrap());
}

#[test]
fn chart_in_png_is_the_chart_alone_at_the_default_size() {
    let chart = scatter_chart(100);
    let shown: PngFigure = chart.clone().in_png();
    let figure = Figure::single(chart, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    assert_eq!(shown.figure, figure);
    assert_eq!(shown, PngFigure::from(figure.clone()));
    assert_eq!(
        decode(png_payload(&shown.to_evcxr_content().unwrap())),
        figure.to_png_bytes().unwrap()
    );
}

#[test]
fn many_points_make_a_smaller_png_than_svg() {
    // What the PNG display is for: 20,000 points are ~20,000 SVG elements.
    let figure = Figure::single(scatter_chart(20_000), 900, 560);
    let svg = figure.to_evcxr_content().unwrap();
    let png = figure.clone().in_png().to_evcxr_content().unwrap();
    assert!(
        png.len() * 4 < svg.len(),
        "PNG content {} bytes, SVG content {} bytes",
        png.len(),
        svg.len()
    );
}

#[test]
fn a_bad_figure_is_an_error_not_a_panic() {
    let zero = Figure::single(scatter_chart(10), 0, 400).in_png();
    assert!(matches!(
        zero.to_evcxr_content(),
        Err(PlotError::ZeroSize { .. })
    ));
    assert!(matches!(
        zero.to_png_bytes(),
        Err(PlotError::ZeroSize { .. })
    ));
    // evcxr_display prints the error as text instead of panicking.
    zero.evcxr_display();
}
