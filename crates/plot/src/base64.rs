//! Base64 for PNG bytes in notebook cells (the workspace locks no base64
//! crate, and the encoder is a few lines).

/// The RFC 4648 §4 alphabet ("base64", not "base64url").
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` as base64 with the standard alphabet and `=` padding
/// (RFC 4648 §4), on one line: what Jupyter expects for an `image/png`
/// output and what a `data:image/png;base64,` URL holds.
///
/// ```
/// assert_eq!(numlab_plot::base64_encode(b"foobar"), "Zm9vYmFy");
/// assert_eq!(numlab_plot::base64_encode(b"fo"), "Zm8=");
/// ```
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let sextet = |n: u32, shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend([sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend([sextet(n, 18), sextet(n, 12), '=', '=']);
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([sextet(n, 18), sextet(n, 12), sextet(n, 6), '=']);
        }
        _ => {}
    }
    out
}
