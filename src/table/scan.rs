//! The fast CSV reader: bytes, split at line boundaries across the cores,
//! only the selected columns converted to numbers.
//!
//! It takes on the files numlab meets in practice: numbers (and `nan`, `inf`,
//! empty cells) separated by commas, `\n` or `\r\n` line ends, a BOM, a
//! header row (quoted or not, any UTF-8), blank lines before the first row
//! and after the last, blank lines between the rows of a one-column file
//! (missing values). Everything else it hands back (`None`) to the reference
//! reader ([`mod@super::reference`]), which then reads the file as numlab always
//! did: quoted fields below the first row, a blank line between the rows of a
//! wider file, bytes that are not ASCII below the first row, a lone `\r`, and
//! every error. So what the two readers accept, refuse and say is the same by
//! construction where the fast one declines, and by test where it does not.
//!
//! Work is cut into chunks of [`CHUNK`] bytes, each moved forward to the next
//! line end; the boundaries depend only on the file, never on the number of
//! threads. A first pass counts the lines of each chunk, so the second writes
//! every row straight to its place in the output columns: one copy of the
//! selected columns in memory, none of the text.

use rayon::prelude::*;

use super::reference::{first_record, is_header, parse_cell};
use super::{Columns, Header};

/// Bytes per chunk (before moving to a line end).
pub(crate) const CHUNK: usize = 1 << 20;

/// Files whose rows take fewer bytes are read on the calling thread.
pub(crate) const PARALLEL_FROM: usize = 1 << 16;

/// Exact powers of ten for the fast path of [`number`].
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a trimmed, non-empty cell exactly as `str::parse::<f64>`
/// gives it, or `None` where `str::parse` refuses it. With `KEEP` false
/// the cell is only checked (an unselected column).
///
/// The grammar is Rust's: an optional sign, then `inf`, `infinity` or `nan`
/// in any case, or digits with at most one `.` and at least one digit, then
/// an optional exponent `e`/`E`, optional sign, one digit or more. Decimal
/// values of at most 19 digits whose mantissa is at most 2^53 and whose
/// power of ten is exact (|e| <= 22) are one correctly rounded product or
/// quotient of two exact doubles (Clinger's fast path); the rest go to
/// `fast-float2`, which is exact as well (the tests compare both paths with
/// `str::parse`).
#[inline]
pub(crate) fn number<const KEEP: bool>(s: &[u8]) -> Option<f64> {
    let (neg, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = body.len();
    let mut i = 0;
    let mut mant: u64 = 0;
    while i < n && body[i].is_ascii_digit() {
        mant = mant.wrapping_mul(10).wrapping_add((body[i] - b'0') as u64);
        i += 1;
    }
    let int_digits = i;
    let mut frac_digits = 0;
    if i < n && body[i] == b'.' {
        i += 1;
        let start = i;
        while i < n && body[i].is_ascii_digit() {
            mant = mant.wrapping_mul(10).wrapping_add((body[i] - b'0') as u64);
            i += 1;
        }
        frac_digits = i - start;
    }
    if int_digits + frac_digits == 0 {
        return special(s);
    }
    let mut exp: i64 = 0;
    if i < n && (body[i] | 0x20) == b'e' {
        i += 1;
        let eneg = match body.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < n && body[i].is_ascii_digit() {
            if exp < 1_000_000 {
                exp = exp * 10 + (body[i] - b'0') as i64;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != n {
        return None;
    }
    if !KEEP {
        return Some(0.0);
    }
    if int_digits + frac_digits <= 19 && mant <= 1 << 53 {
        let e10 = exp - frac_digits as i64;
        if (-22..=22).contains(&e10) {
            let m = mant as f64;
            let v = if e10 < 0 {
                m / POW10[(-e10) as usize]
            } else {
                m * POW10[e10 as usize]
            };
            return Some(if neg { -v } else { v });
        }
    }
    fast_float2::parse::<f64, _>(s)
        .ok()
        .or_else(|| std::str::from_utf8(s).ok()?.parse().ok())
}

/// `inf`, `infinity`, `nan` (any case, optional sign), by `str::parse`.
#[cold]
fn special(s: &[u8]) -> Option<f64> {
    let body = s.strip_prefix(b"-").or(s.strip_prefix(b"+")).unwrap_or(s);
    let known = [&b"inf"[..], b"infinity", b"nan"];
    if known.iter().any(|k| body.eq_ignore_ascii_case(k)) {
        std::str::from_utf8(s).ok()?.parse().ok()
    } else {
        None
    }
}

/// Spaces and tabs off both ends (with no other byte below the first row,
/// the reference reader's trims give the same cells).
#[inline]
fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// What a chunk's scan found, in lines counted from the start of the body.
#[derive(Clone, Copy, Default)]
struct ChunkInfo {
    /// The last line holding a row.
    last_row: Option<usize>,
    /// The first blank line (in a file of more than one column).
    first_blank: Option<usize>,
}

/// The lines of a chunk: `\n` ends, and a last line without one.
fn line_count(chunk: &[u8]) -> usize {
    // Byte counts in 64 lanes of u8 over fixed-size blocks, emptied before
    // they can overflow: the compiler turns this into vector compares and
    // subtractions.
    let mut total = 0usize;
    let mut lanes = [0u8; 64];
    let mut filled = 0;
    let mut blocks = chunk.chunks_exact(64);
    for block in &mut blocks {
        let block: &[u8; 64] = block.try_into().unwrap_or(&[0; 64]);
        for (l, &b) in lanes.iter_mut().zip(block) {
            *l = l.wrapping_add(u8::from(b == b'\n'));
        }
        filled += 1;
        if filled == 255 {
            total += lanes.iter().map(|&l| l as usize).sum::<usize>();
            lanes = [0; 64];
            filled = 0;
        }
    }
    total += lanes.iter().map(|&l| l as usize).sum::<usize>();
    total += blocks.remainder().iter().filter(|&&b| b == b'\n').count();
    total + usize::from(chunk.last().is_some_and(|&b| b != b'\n'))
}

/// The run of ASCII digits at `b[i..]` appended to `mant` (`mant * 10^k +
/// digits`, wrapping like the byte loop it replaces): the new mantissa and
/// the index after the run.
///
/// Eight bytes at a time where the slice has them (SWAR: one load, a mask of
/// the bytes that are digits, and the multiply-shift combination of
/// Lemire's `parse_eight_digits_unrolled`), so a six-decimal fraction costs
/// a handful of instructions instead of a chain of six multiply-adds. Runs
/// longer than eight digits, and the last bytes of the slice, go on byte by
/// byte; the value is the same either way (a test compares both).
/// [`plain_number`] uses it for the fraction only: integer parts are mostly
/// one or two digits, which the byte loop reads in fewer instructions
/// (callgrind: 404 against 335 instructions per two-column row).
#[inline(always)]
pub(super) fn digit_run(b: &[u8], mut i: usize, mut mant: u64) -> (u64, usize) {
    while let Some(word) = b.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        // Byte values 0..=9 for digits; a byte is not a digit when its high
        // bit is set after `^ b'0'`, or when adding 0x76 sets it (x >= 10).
        // A carry out of a non-digit byte only spoils bytes after it.
        let x = word ^ 0x3030_3030_3030_3030;
        let flags = (x.wrapping_add(0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080;
        let count = (flags.trailing_zeros() / 8) as usize;
        if count == 0 {
            return (mant, i);
        }
        // The `count` digits moved to the top bytes (zeros below them are
        // leading zeros), then combined pairwise: 2, 4, then 8 digits.
        let v = x << (64 - 8 * count as u32);
        let v = v.wrapping_mul(10).wrapping_add(v >> 8);
        let v = ((v & 0x0000_00FF_0000_00FF)
            .wrapping_mul(100 + (1_000_000 << 32))
            .wrapping_add(((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32))))
            >> 32;
        mant = mant.wrapping_mul(POW10_U64[count]).wrapping_add(v);
        i += count;
        if count < 8 {
            return (mant, i);
        }
    }
    while i < b.len() && b[i].is_ascii_digit() {
        mant = mant.wrapping_mul(10).wrapping_add((b[i] - b'0') as u64);
        i += 1;
    }
    (mant, i)
}

/// 10^k for the digit runs of [`digit_run`].
const POW10_U64: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// A plain decimal number at `b[i..]` (sign, digits, one point, exponent)
/// whose value the fast path of [`number`] gives: the value and the index
/// after it. `None` for anything else (no digits, `nan`, long mantissas,
/// large exponents), which the caller hands to [`number`].
#[inline(always)]
fn plain_number(b: &[u8], mut i: usize) -> Option<(f64, usize)> {
    let n = b.len();
    // Without branches: signs come in random order.
    let c = b.get(i).copied().unwrap_or(0);
    let neg = c == b'-';
    i += usize::from(neg | (c == b'+'));
    let start = i;
    let mut mant: u64 = 0;
    while i < n && b[i].is_ascii_digit() {
        mant = mant.wrapping_mul(10).wrapping_add((b[i] - b'0') as u64);
        i += 1;
    }
    let mut digits = i - start;
    let mut frac = 0i64;
    if i < n && b[i] == b'.' {
        i += 1;
        let fs = i;
        let (m, e) = digit_run(b, i, mant);
        mant = m;
        i = e;
        frac = (i - fs) as i64;
        digits += i - fs;
    }
    if digits == 0 || digits > 19 || mant > 1 << 53 {
        return None;
    }
    let mut e10 = -frac;
    if i < n && (b[i] | 0x20) == b'e' {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let es = i;
        let mut exp = 0i64;
        while i < n && b[i].is_ascii_digit() && i - es < 4 {
            exp = exp * 10 + (b[i] - b'0') as i64;
            i += 1;
        }
        if i == es || (i < n && b[i].is_ascii_digit()) {
            return None;
        }
        e10 += if eneg { -exp } else { exp };
    }
    if !(-22..=22).contains(&e10) {
        return None;
    }
    let m = mant as f64;
    let v = if e10 < 0 {
        m / POW10[(-e10) as usize]
    } else {
        m * POW10[e10 as usize]
    };
    // The sign bit set without a branch (-0.0 for "-0").
    Some((f64::from_bits(v.to_bits() | (u64::from(neg) << 63)), i))
}

/// The eight bytes at `b[i..]` as a little-endian word; `None` past the end.
#[inline(always)]
fn word(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(i..i.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// [`plain_number`] for the common short numbers, in fewer instructions:
/// an optional sign, digits, then optionally a point and at most seven
/// digits (the eight bytes after the point read at once), 15 digits at
/// most in all, and no exponent after them. The value is [`plain_number`]'s
/// (the same mantissa, below 10^15, over the same power of ten, at most
/// 10^7: one correctly rounded division), and so is the index after it.
/// `None` for anything else (then [`plain_number`] reads the cell).
#[inline(always)]
fn quick_number(b: &[u8], i: usize) -> Option<(f64, usize)> {
    let c = *b.get(i)?;
    let neg = c == b'-';
    let mut i = i + usize::from(neg | (c == b'+'));
    let start = i;
    let mut mant: u64 = 0;
    while let Some(&d) = b.get(i) {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        mant = mant.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    let int_digits = i - start;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        // The fraction's digits: the bytes after the point up to the first
        // that is not a digit (as in `digit_run`), their value by the
        // multiply-shift combination.
        let x = word(b, i + 1)? ^ 0x3030_3030_3030_3030;
        let flags = (x.wrapping_add(0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080;
        frac = (flags.trailing_zeros() / 8) as usize;
        if frac == 8 {
            return None;
        }
        // The `frac` digits moved to the top bytes (in two shifts: none
        // left for no digit).
        let v = (x << (56 - 8 * frac as u32)) << 8;
        let v = v.wrapping_mul(10).wrapping_add(v >> 8);
        let v = ((v & 0x0000_00FF_0000_00FF)
            .wrapping_mul(100 + (1_000_000 << 32))
            .wrapping_add(((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32))))
            >> 32;
        mant = mant.wrapping_mul(POW10_U64[frac]).wrapping_add(v);
        i += 1 + frac;
    }
    if int_digits + frac == 0
        || int_digits + frac > 15
        || b.get(i).is_some_and(|&e| e | 0x20 == b'e')
    {
        return None;
    }
    // Below 10^15: exact as a double, through the signed conversion.
    let v = mant as i64 as f64 / POW10[frac];
    Some((f64::from_bits(v.to_bits() | (u64::from(neg) << 63)), i))
}

/// [`quick_number`], else [`plain_number`]: the same value and index as
/// [`plain_number`] either way.
#[inline(always)]
fn row_number(b: &[u8], i: usize) -> Option<(f64, usize)> {
    match quick_number(b, i) {
        Some(r) => Some(r),
        None => plain_number(b, i),
    }
}

/// [`quick_number`] and [`plain_number`] on the cell at `b[i..]`.
#[cfg(test)]
pub(super) fn quick_and_plain(b: &[u8], i: usize) -> [Option<(f64, usize)>; 2] {
    [quick_number(b, i), plain_number(b, i)]
}

/// How a cell ended.
enum End {
    /// At a comma; the next cell starts at the index.
    Comma(usize),
    /// At the end of the line; the next line starts at the index.
    Line(usize),
}

/// Where the cell starting at `i` ends (`\r\n`, `\n`, the end of the chunk,
/// or a comma), and the cell's text without its line end; `None` for a `\r`
/// elsewhere than before `\n`.
#[inline]
fn cell_end(b: &[u8], i: usize) -> Option<(End, &[u8])> {
    match memchr::memchr2(b',', b'\n', &b[i..]) {
        Some(k) if b[i + k] == b',' => Some((End::Comma(i + k + 1), &b[i..i + k])),
        Some(k) => {
            let cell = &b[i..i + k];
            let cell = cell.strip_suffix(b"\r").unwrap_or(cell);
            Some((End::Line(i + k + 1), cell))
        }
        None => {
            let cell = &b[i..];
            if cell.ends_with(b"\r") {
                return None;
            }
            Some((End::Line(b.len()), cell))
        }
    }
}

/// The cell starting at `i`: its value (NaN when empty) and how it ended;
/// `None` when it is not a number (or holds a byte below the first row that
/// the reference reader treats otherwise).
#[inline(always)]
fn cell<const KEEP: bool>(b: &[u8], i: usize) -> Option<(f64, End, bool)> {
    let mut j = i;
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    if let Some((v, mut e)) = plain_number(b, j) {
        while e < b.len() && matches!(b[e], b' ' | b'\t') {
            e += 1;
        }
        match b.get(e) {
            None => return Some((v, End::Line(e), false)),
            Some(b',') => return Some((v, End::Comma(e + 1), false)),
            Some(b'\n') => return Some((v, End::Line(e + 1), false)),
            Some(b'\r') if b.get(e + 1) == Some(&b'\n') => {
                return Some((v, End::Line(e + 2), false))
            }
            _ => {}
        }
    }
    let (end, text) = cell_end(b, i)?;
    let text = trim(text);
    if text.is_empty() {
        return Some((f64::NAN, end, true));
    }
    Some((number::<KEEP>(text)?, end, false))
}

/// Where a chunk's values go.
trait Sink {
    /// Value `v` of selected column `j` on the chunk's line `row`.
    fn put(&mut self, j: usize, row: usize, v: f64);
    /// Takes back the last value of column `j` (its line was blank).
    fn unput(&mut self, j: usize);
}

/// Each value at its line's place in slices of one value per line.
struct Place<'a, 'b>(&'a mut [&'b mut [f64]]);

impl Sink for Place<'_, '_> {
    #[inline(always)]
    fn put(&mut self, j: usize, row: usize, v: f64) {
        self.0[j][row] = v;
    }
    fn unput(&mut self, _: usize) {}
}

/// Values appended, one per row (blank lines leave no value).
struct Push<'a>(&'a mut [Vec<f64>]);

impl Sink for Push<'_> {
    #[inline(always)]
    fn put(&mut self, j: usize, _: usize, v: f64) {
        self.0[j].push(v);
    }
    fn unput(&mut self, j: usize) {
        self.0[j].pop();
    }
}

/// A row of plain numbers only (no spaces or empty cells, a comma between
/// cells, then `\n`, `\r\n` or the chunk's end), read in one go: its values
/// put, and the index of the next line. `None`, with nothing put, for any
/// other row, which the general loop of [`scan_chunk`] then reads cell by
/// cell. The values are the general loop's by construction: [`cell`] tries
/// [`plain_number`] first as well, and accepts the same terminators.
#[inline(always)]
fn plain_row<S: Sink>(
    chunk: &[u8],
    pos: usize,
    slots: &[Option<usize>],
    row: usize,
    out: &mut S,
) -> Option<usize> {
    const MAX: usize = 8;
    let width = slots.len();
    if width > MAX {
        return None;
    }
    let mut values = [0.0; MAX];
    let mut p = pos;
    for (k, value) in values[..width].iter_mut().enumerate() {
        let (v, e) = row_number(chunk, p)?;
        *value = v;
        p = if k + 1 < width {
            (chunk.get(e) == Some(&b',')).then_some(e + 1)?
        } else {
            match chunk.get(e) {
                None => e,
                Some(b'\n') => e + 1,
                Some(b'\r') if chunk.get(e + 1) == Some(&b'\n') => e + 2,
                _ => return None,
            }
        };
    }
    for (slot, &v) in slots.iter().zip(&values) {
        if let Some(j) = *slot {
            out.put(j, row, v);
        }
    }
    Some(p)
}

/// [`plain_row`] for a row of two cells, `s0` and `s1` the slots of its
/// columns: the same rows taken, the same values put, the same next index,
/// in fewer instructions (no array of values, no loop over the cells).
#[inline(always)]
fn plain_pair<S: Sink>(
    chunk: &[u8],
    pos: usize,
    (s0, s1): (Option<usize>, Option<usize>),
    row: usize,
    out: &mut S,
) -> Option<usize> {
    let (a, e) = row_number(chunk, pos)?;
    if chunk.get(e) != Some(&b',') {
        return None;
    }
    let (b, e) = row_number(chunk, e + 1)?;
    let next = match chunk.get(e) {
        None => e,
        Some(b'\n') => e + 1,
        Some(b'\r') if chunk.get(e + 1) == Some(&b'\n') => e + 2,
        _ => return None,
    };
    if let Some(j) = s0 {
        out.put(j, row, a);
    }
    if let Some(j) = s1 {
        out.put(j, row, b);
    }
    Some(next)
}

/// Scans one chunk of whole lines; `slots[k]` is where column k's values go
/// (`None`: checked only) in `out`.
fn scan_chunk<S: Sink>(
    chunk: &[u8],
    first_line: usize,
    one_column: bool,
    slots: &[Option<usize>],
    out: &mut S,
) -> Option<ChunkInfo> {
    let mut info = ChunkInfo::default();
    let mut pos = 0;
    let mut row = 0;
    let width = slots.len();
    let pair = match slots {
        &[s0, s1] => Some((s0, s1)),
        _ => None,
    };
    while pos < chunk.len() {
        let line = first_line + row;
        let plain = match pair {
            Some(pair) => plain_pair(chunk, pos, pair, row, out),
            None => plain_row(chunk, pos, slots, row, out),
        };
        if let Some(next) = plain {
            info.last_row = Some(line);
            pos = next;
            row += 1;
            continue;
        }
        let mut k = 0;
        loop {
            let (v, end, empty) = match slots[k] {
                Some(_) => cell::<true>(chunk, pos)?,
                None => cell::<false>(chunk, pos)?,
            };
            if let Some(j) = slots[k] {
                out.put(j, row, v);
            }
            k += 1;
            match end {
                End::Comma(next) if k < width => pos = next,
                End::Line(next) if k == width => {
                    // A blank line in a one-column file is a missing value
                    // (NaN, written above) unless no row follows it.
                    if !(empty && width == 1) {
                        info.last_row = Some(line);
                    } else if !one_column && info.first_blank.is_none() {
                        info.first_blank = Some(line);
                    }
                    pos = next;
                    break;
                }
                End::Line(next) if k == 1 && empty => {
                    // A blank line in a wider file: an error if a row follows.
                    if let Some(j) = slots[0] {
                        out.unput(j);
                    }
                    if info.first_blank.is_none() {
                        info.first_blank = Some(line);
                    }
                    pos = next;
                    break;
                }
                _ => return None,
            }
        }
        row += 1;
    }
    Some(info)
}

/// Blank by the reference reader's `str::trim` (ASCII part).
fn ascii_blank(l: &[u8]) -> bool {
    l.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c))
}

/// The index of column `key` (by name first, then 0-based index), as
/// [`Columns::column`] finds it.
pub(crate) fn find(names: &[String], key: &str) -> Option<usize> {
    names
        .iter()
        .position(|n| n == key)
        .or_else(|| key.parse::<usize>().ok().filter(|&k| k < names.len()))
}

/// The first row of a file and what follows from it.
pub(crate) struct Layout {
    /// Column names (the header's, or "0", "1", ...).
    pub names: Vec<String>,
    /// The first row's values, when it is data.
    pub first_row: Option<Vec<f64>>,
    /// The reference reader's one-column rule (no comma on the first line):
    /// blank lines between rows are missing values.
    pub one_column: bool,
    /// Where the rows after the first start.
    pub body_start: usize,
    /// `slots[k]`: where column k goes among the selected ones.
    pub slots: Vec<Option<usize>>,
    /// The selected columns, ascending.
    pub selected: Vec<usize>,
}

/// Reads the first row of `data` (the start of a file, its end if
/// `complete`) and picks the columns; `None` where the fast reader declines.
fn layout(
    data: &[u8],
    complete: bool,
    path: &str,
    header: Header,
    keys: Option<&dyn Fn(usize) -> Vec<String>>,
) -> Option<Layout> {
    let mut p = if data.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    // Blank lines before the first row.
    let (first, body_start) = loop {
        let end = memchr::memchr(b'\n', &data[p..]).map(|k| p + k);
        if end.is_none() && !complete {
            return None;
        }
        let line = &data[p..end.unwrap_or(data.len())];
        if !ascii_blank(line) {
            break (line, end.map_or(data.len(), |e| e + 1));
        }
        p = end? + 1;
    };
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if first.contains(&b'\r') {
        return None;
    }
    let first = std::str::from_utf8(first).ok()?;
    if first.trim().is_empty() {
        return None;
    }
    // The first row as the csv crate splits it, and proof that it ends at
    // this line's end (no quoted field runs on).
    let cells = first_record(&format!("{first}\n"))?.ok()?;
    let probe_text = format!("{first}\nz\n");
    let mut probe = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(probe_text.as_bytes());
    let mut records = probe.records();
    let (_, second, third) = (records.next()?.ok()?, records.next()?.ok()?, records.next());
    if second.len() != 1 || &second[0] != "z" || third.is_some() {
        return None;
    }
    let width = cells.len();
    let is_header = is_header(&cells, header, path).ok()?;
    let one_column = !first.contains(',');
    let names: Vec<String> = if is_header {
        cells.clone()
    } else {
        (0..width).map(|i| i.to_string()).collect()
    };
    let mut selected: Vec<usize> = match keys {
        Some(keys) => keys(width).iter().filter_map(|k| find(&names, k)).collect(),
        None => (0..width).collect(),
    };
    selected.sort_unstable();
    selected.dedup();
    let mut slots = vec![None; width];
    for (j, &k) in selected.iter().enumerate() {
        slots[k] = Some(j);
    }
    let first_row = match is_header {
        true => None,
        false => Some(
            cells
                .iter()
                .map(|c| parse_cell(c))
                .collect::<Option<Vec<f64>>>()?,
        ),
    };
    Some(Layout {
        names,
        first_row,
        one_column,
        body_start,
        slots,
        selected,
    })
}

/// The rows of a run of whole lines (the last may lack its line end).
struct Body {
    /// The selected columns, one value per line (blank lines: NaN in a
    /// one-column file, else unset).
    columns: Vec<Vec<f64>>,
    /// The last line holding a row.
    last_row: Option<usize>,
    /// The first blank line (more than one column).
    first_blank: Option<usize>,
}

/// Scans `body` in chunks of about `chunk_bytes` (on every core when it is
/// large); `None` where the fast reader declines.
/// `body` cut into chunks of about `chunk_bytes`, each moved forward to
/// the end of a line.
fn chunks(body: &[u8], chunk_bytes: usize) -> Vec<&[u8]> {
    let mut bounds = vec![0];
    let mut start = 0;
    while start < body.len() {
        let nominal = start + chunk_bytes.max(1);
        let end = if nominal >= body.len() {
            body.len()
        } else {
            memchr::memchr(b'\n', &body[nominal - 1..]).map_or(body.len(), |k| nominal + k)
        };
        bounds.push(end);
        start = end;
    }
    bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect()
}

fn scan_body(
    body: &[u8],
    layout: &Layout,
    chunk_bytes: usize,
    progress: &crate::progress::Progress,
) -> Option<Body> {
    let chunks = chunks(body, chunk_bytes);
    // Small files are read on the calling thread: waking the pool costs
    // more than their lines.
    let parallel = body.len() >= PARALLEL_FROM;
    let counts: Vec<usize> = if parallel {
        numlab_core::threads::install(|| chunks.par_iter().map(|c| line_count(c)).collect())
    } else {
        chunks.iter().map(|c| line_count(c)).collect()
    };
    let lines: usize = counts.iter().sum();
    let mut columns: Vec<Vec<f64>> = layout.selected.iter().map(|_| vec![0.0; lines]).collect();
    // Each chunk's rows of each selected column.
    let mut parts: Vec<Vec<&mut [f64]>> = chunks.iter().map(|_| Vec::new()).collect();
    for col in columns.iter_mut() {
        let mut rest = &mut col[..];
        for (part, &n) in parts.iter_mut().zip(&counts) {
            let (mine, tail) = rest.split_at_mut(n);
            part.push(mine);
            rest = tail;
        }
    }
    let mut firsts = Vec::with_capacity(chunks.len());
    let mut line = 0;
    for &n in &counts {
        firsts.push(line);
        line += n;
    }
    let (one_column, slots) = (layout.one_column, &layout.slots);
    let scan = |((c, out), first): ((&&[u8], &mut Vec<&mut [f64]>), &usize)| {
        let info = scan_chunk(c, *first, one_column, slots, &mut Place(out));
        progress.add(c.len() as u64);
        info
    };
    let infos: Option<Vec<ChunkInfo>> = if parallel {
        numlab_core::threads::install(|| {
            chunks
                .par_iter()
                .zip(parts.par_iter_mut())
                .zip(firsts.par_iter())
                .map(scan)
                .collect()
        })
    } else {
        chunks
            .iter()
            .zip(parts.iter_mut())
            .zip(firsts.iter())
            .map(scan)
            .collect()
    };
    let infos = infos?;
    Some(Body {
        columns,
        last_row: infos.iter().filter_map(|i| i.last_row).max(),
        first_blank: infos.iter().filter_map(|i| i.first_blank).min(),
    })
}

/// Reads `data` (a CSV file's bytes) with the columns that `keys(width)`
/// names converted (all with `None`) and the others only checked; `None`
/// when the file is one that this reader leaves to the reference reader
/// (see the module docs).
pub(crate) fn read(
    data: &[u8],
    path: &str,
    header: Header,
    keys: Option<&dyn Fn(usize) -> Vec<String>>,
    chunk_bytes: usize,
) -> Option<Columns> {
    let layout = layout(data, true, path, header, keys)?;
    let progress = crate::progress::Progress::bytes(&format!("reading {path}"), data.len() as u64);
    progress.set(layout.body_start as u64);
    let body = scan_body(&data[layout.body_start..], &layout, chunk_bytes, &progress)?;
    if let (Some(b), Some(r)) = (body.first_blank, body.last_row) {
        if b < r {
            return None;
        }
    }
    let row0 = usize::from(layout.first_row.is_some());
    let rows = row0 + body.last_row.map_or(0, |r| r + 1);
    if rows == 0 {
        return None;
    }
    let width = layout.slots.len();
    let mut values = vec![Vec::new(); width];
    let mut parsed = vec![false; width];
    for (mut col, &k) in body.columns.into_iter().zip(&layout.selected) {
        col.truncate(rows - row0);
        if let Some(first) = &layout.first_row {
            // One shift of the column; the first row is rarely data in a
            // large file.
            col.insert(0, first[k]);
        }
        values[k] = col;
        parsed[k] = true;
    }
    Some(Columns {
        names: layout.names,
        values,
        path: path.to_string(),
        parsed,
        npy: None,
    })
}

/// The shortest chunk that [`stream`] cuts a block into (unless asked for
/// shorter ones).
const STREAM_CHUNK_MIN: usize = 1 << 16;

/// Bytes read per block by [`stream`].
pub(crate) const BLOCK: usize = 16 << 20;

/// What [`stream`] read.
pub(crate) struct Streamed {
    /// Data rows.
    pub rows: usize,
}

/// Reads the file at `path` in windows of about `block_bytes` (mapped, the
/// pages of each window dropped from memory once read: resident memory stays
/// bounded whatever the file's size) and hands each block's rows of the columns `keys` names, in the order of the
/// keys, to `visit`.
/// A one-column file's blank lines between rows are missing values (NaN),
/// as [`read`] gives them.
/// `None` (possibly after some calls of `visit`) where the fast reader
/// declines; the caller then reads the file
/// whole, which gives the reference reader's table or error.
pub(crate) fn stream<T: Send>(
    path: &str,
    header: Header,
    keys: &dyn Fn(usize) -> Vec<String>,
    block_bytes: usize,
    chunk_bytes: usize,
    per_block: &(dyn Fn(Vec<Vec<f64>>) -> T + Sync),
    fold: &mut dyn FnMut(T) -> Option<()>,
) -> Option<Streamed> {
    let block_bytes = block_bytes.max(1);
    let source = super::source::Source::open(path).ok()?;
    let mut state = StreamState::default();
    match &source {
        super::source::Source::Mapped(map) => {
            // A regular file: mapped, read a window at a time, the pages
            // behind each window dropped from memory.
            let data: &[u8] = map;
            let layout = layout(data, true, path, header, Some(keys))?;
            let order = state.start(&layout, keys, per_block, fold)?;
            let mut start = layout.body_start;
            let mut released = 0;
            let progress =
                crate::progress::Progress::bytes(&format!("reading {path}"), data.len() as u64);
            while start < data.len() {
                let nominal = start + block_bytes;
                let end = if nominal >= data.len() {
                    data.len()
                } else {
                    memchr::memchr(b'\n', &data[nominal - 1..]).map_or(data.len(), |k| nominal + k)
                };
                state.section(
                    &data[start..end],
                    &layout,
                    &order,
                    chunk_bytes,
                    per_block,
                    fold,
                    &|chunk| source.release_part(chunk),
                )?;
                // The pages the chunks did not release whole (those across
                // a boundary between chunks).
                source.release(released..end);
                released = end / 4096 * 4096;
                start = end;
                progress.set(end as u64);
            }
        }
        super::source::Source::Read(data) => {
            // A small file, or one that cannot be mapped: read already.
            let layout = layout(data, true, path, header, Some(keys))?;
            let order = state.start(&layout, keys, per_block, fold)?;
            let body = &data[layout.body_start..];
            state.section(body, &layout, &order, chunk_bytes, per_block, fold, &|_| {})?;
        }
    }
    if state.rows == 0 {
        return None;
    }
    Some(Streamed { rows: state.rows })
}

/// The selected columns in the order of the keys (`order[k]` is key k's
/// slot): moved, or copied where two keys name the same column.
fn in_order(mut cols: Vec<Vec<f64>>, order: &[usize]) -> Vec<Vec<f64>> {
    (0..order.len())
        .map(|k| {
            let j = order[k];
            if order[k + 1..].contains(&j) {
                cols[j].clone()
            } else {
                std::mem::take(&mut cols[j])
            }
        })
        .collect()
}

/// Where a [`stream`] is.
#[derive(Default)]
struct StreamState {
    /// Rows handed on so far.
    rows: usize,
    /// A blank line has been seen (an error if a row follows).
    saw_blank: bool,
    /// Blank lines of a one-column file since its last row.
    pending_blanks: usize,
}

impl StreamState {
    /// The selected slot of each key (in the keys' order), after handing
    /// on the first row when it is data; `None` for a key that names no
    /// column (or no key).
    fn start<T>(
        &mut self,
        layout: &Layout,
        keys: &dyn Fn(usize) -> Vec<String>,
        map: &(dyn Fn(Vec<Vec<f64>>) -> T + Sync),
        fold: &mut dyn FnMut(T) -> Option<()>,
    ) -> Option<Vec<usize>> {
        let order: Vec<usize> = keys(layout.slots.len())
            .iter()
            .map(|k| find(&layout.names, k).and_then(|c| layout.slots[c]))
            .collect::<Option<_>>()?;
        if order.is_empty() {
            return None;
        }
        if let Some(first) = &layout.first_row {
            let row: Vec<Vec<f64>> = layout.selected.iter().map(|&k| vec![first[k]]).collect();
            fold(map(in_order(row, &order)))?;
            self.rows += 1;
        }
        Some(order)
    }

    /// Scans a run of whole lines and hands its rows on, chunk by chunk
    /// (each chunk scanned once, its rows appended: no count of its lines
    /// first, and the chunk is still in cache while `map` reads it, on the
    /// thread that scanned it); `fold` then takes the chunks' results in
    /// file order, on the calling thread. `release` gets each chunk once
    /// it has been read, on the thread that read it (the pages of a mapped
    /// file are dropped there, in parallel, not after the section on the
    /// calling thread).
    #[allow(clippy::too_many_arguments)]
    fn section<T: Send>(
        &mut self,
        text: &[u8],
        layout: &Layout,
        order: &[usize],
        chunk_bytes: usize,
        map: &(dyn Fn(Vec<Vec<f64>>) -> T + Sync),
        fold: &mut dyn FnMut(T) -> Option<()>,
        release: &(dyn Fn(&[u8]) + Sync),
    ) -> Option<()> {
        // At least 64 chunks to a long section (of 64 KiB or more each):
        // the threads wait for the last chunk of each section, so the
        // chunks are kept short. Their bounds depend on the text only.
        let chunk_bytes = chunk_bytes.min((text.len() / 64).max(STREAM_CHUNK_MIN));
        let chunks = chunks(text, chunk_bytes);
        let (one_column, slots) = (layout.one_column, &layout.slots);
        let scan = |c: &&[u8]| {
            let mut cols: Vec<Vec<f64>> = layout
                .selected
                .iter()
                .map(|_| Vec::with_capacity(c.len() / 8 + 1))
                .collect();
            let info = scan_chunk(c, 0, one_column, slots, &mut Push(&mut cols));
            release(c);
            let info = info?;
            let mut rows = cols.first().map_or(0, Vec::len);
            // A one-column file holds a NaN per blank line: those after the
            // chunk's last row are held back (rows may follow them).
            let mut trailing = 0;
            if one_column {
                let kept = info.last_row.map_or(0, |r| r + 1);
                trailing = rows - kept;
                rows = kept;
                for col in &mut cols {
                    col.truncate(kept);
                }
            }
            // Rows only where the chunk has some (a chunk of blank lines
            // hands nothing on).
            let value = info.last_row.map(|_| map(in_order(cols, order)));
            Some((value, rows, trailing, info))
        };
        type Part<T> = (Option<T>, usize, usize, ChunkInfo);
        let parts: Option<Vec<Part<T>>> = if text.len() >= PARALLEL_FROM {
            numlab_core::threads::install(|| chunks.par_iter().map(scan).collect())
        } else {
            chunks.iter().map(scan).collect()
        };
        for (value, rows, trailing, info) in parts? {
            if one_column {
                // Blank lines between rows are missing values.
                if let Some(value) = value {
                    if self.pending_blanks > 0 {
                        let blanks = vec![vec![f64::NAN; self.pending_blanks]; order.len()];
                        fold(map(blanks))?;
                        self.rows += self.pending_blanks;
                    }
                    fold(value)?;
                    self.rows += rows;
                    self.pending_blanks = trailing;
                } else {
                    self.pending_blanks += trailing;
                }
                continue;
            }
            if info.last_row.is_some() && self.saw_blank {
                return None;
            }
            if let (Some(b), Some(r)) = (info.first_blank, info.last_row) {
                if b < r {
                    return None;
                }
            }
            self.saw_blank |= info.first_blank.is_some();
            if let Some(value) = value {
                fold(value)?;
                self.rows += rows;
            }
        }
        Some(())
    }
}
