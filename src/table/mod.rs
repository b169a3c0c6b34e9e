//! Reading CSV tables and picking columns; writing CSV and NPY.
//!
//! The reader ([`Columns::read_keys`]) maps the file and reads it on every
//! core ([`scan`]), converting only the columns a command uses; the files it
//! does not take on go to the reference reader ([`mod@reference`]), numlab's
//! first reader kept as it was, which also words every error.

mod npy;
mod reference;
mod scan;
#[cfg(test)]
mod scan_tests;
mod source;

/// Bytes per block of [`Columns::stream`] (tests make it small).
pub(crate) static STREAM_BLOCK: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(scan::BLOCK);

/// The default of [`STREAM_BLOCK`] (tests put it back).
#[cfg(test)]
pub(crate) fn scan_block() -> usize {
    scan::BLOCK
}

/// A CSV file as named columns of numbers.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Column names (from the header row, or "0", "1", ... without one).
    pub names: Vec<String>,
    /// The values, column by column (empty for a column not asked for, and
    /// for a column [`Columns::column`] lends straight from a mapped `.npy`
    /// file: read columns through [`Columns::column`]).
    pub values: Vec<Vec<f64>>,
    /// The file, for messages.
    pub path: String,
    /// Which columns were converted.
    parsed: Vec<bool>,
    /// A `.npy` input, kept mapped: its contiguous float64 columns are lent,
    /// not copied.
    npy: Option<std::sync::Arc<npy::Npy>>,
}

/// Whether the first row of a file is a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// A first row of text is a header, a row of numbers is data, and a row
    /// that mixes them is an error (a typo in a number must not hide a row).
    Detect,
    /// The first row is a header, whatever it holds (`--header`).
    Present,
}

impl Header {
    /// `--header` given or not.
    pub fn from_flag(given: bool) -> Self {
        if given {
            Header::Present
        } else {
            Header::Detect
        }
    }
}

impl Columns {
    /// Reads a CSV file, every column. With [`Header::Detect`] the first row
    /// is a header when none of its cells is a number (empty cells aside),
    /// data when all are, and an error naming the cell when it mixes both;
    /// every other row must hold as many numeric cells as the first.
    #[allow(dead_code)] // the commands use `read_keys`; the tests read whole tables
    pub fn read(path: &str, header: Header) -> Result<Self, String> {
        Self::read_some(path, header, None)
    }

    /// Reads a CSV file as [`Columns::read`] does (the same rows, values,
    /// messages and refusals), converting only the columns that `keys(width)`
    /// names (by name or 0-based index, as [`Columns::column`]); every other
    /// cell is checked to be a number but not kept. Keys that name no column
    /// are left for [`Columns::column`] to report.
    pub fn read_keys(
        path: &str,
        header: Header,
        keys: &dyn Fn(usize) -> Vec<String>,
    ) -> Result<Self, String> {
        Self::read_some(path, header, Some(keys))
    }

    /// Streams the columns `keys` names (in that order) through `visit`, a
    /// block of rows at a time, reading the file in blocks: memory stays
    /// bounded whatever its size. Returns the number of rows, or `None` when
    /// the file must be read whole instead ([`Columns::read_keys`]; it then
    /// gives the table or the error): a file the fast
    /// reader leaves to the reference reader, any error, a key that names no
    /// column, or `visit` returning `None`. `visit` may have seen some blocks
    /// by then.
    pub fn stream(
        path: &str,
        header: Header,
        keys: &[String],
        visit: &mut dyn FnMut(&[&[f64]]) -> Option<()>,
    ) -> Option<usize> {
        let keys = |_: usize| keys.to_vec();
        let block = STREAM_BLOCK.load(std::sync::atomic::Ordering::Relaxed);
        let mut fold =
            |cols: Vec<Vec<f64>>| visit(&cols.iter().map(|c| &c[..]).collect::<Vec<_>>());
        if npy::is_npy(path) {
            return Self::stream_npy(path, &keys, &mut fold);
        }
        scan::stream(
            path,
            header,
            &keys,
            block,
            scan::CHUNK,
            &|cols| cols,
            &mut fold,
        )
        .map(|s| s.rows)
    }

    /// [`Columns::stream`] with the work on each block split in two: `map`
    /// runs on the thread that read the block (in parallel with the others,
    /// while the block is still in cache), `fold` takes `map`'s results in
    /// file order on the calling thread. For sums over rows, such as
    /// counting points into a grid.
    pub fn stream_map<T: Send>(
        path: &str,
        header: Header,
        keys: &[String],
        map: &(dyn Fn(&[&[f64]]) -> T + Sync),
        fold: &mut dyn FnMut(T) -> Option<()>,
    ) -> Option<usize> {
        let keys = |_: usize| keys.to_vec();
        let block = STREAM_BLOCK.load(std::sync::atomic::Ordering::Relaxed);
        let map = |cols: Vec<Vec<f64>>| map(&cols.iter().map(|c| &c[..]).collect::<Vec<_>>());
        if npy::is_npy(path) {
            return Self::stream_npy(path, &keys, &mut |cols| fold(map(cols)));
        }
        scan::stream(path, header, &keys, block, scan::CHUNK, &map, fold).map(|s| s.rows)
    }

    /// [`Columns::stream`] with the keys chosen by the file's width (an
    /// empty list declines: `None` before any call of `visit`).
    pub fn stream_with(
        path: &str,
        header: Header,
        keys: &dyn Fn(usize) -> Vec<String>,
        visit: &mut dyn FnMut(&[&[f64]]) -> Option<()>,
    ) -> Option<usize> {
        let block = STREAM_BLOCK.load(std::sync::atomic::Ordering::Relaxed);
        let mut fold =
            |cols: Vec<Vec<f64>>| visit(&cols.iter().map(|c| &c[..]).collect::<Vec<_>>());
        if npy::is_npy(path) {
            return Self::stream_npy(path, keys, &mut fold);
        }
        scan::stream(
            path,
            header,
            keys,
            block,
            scan::CHUNK,
            &|cols| cols,
            &mut fold,
        )
        .map(|s| s.rows)
    }

    fn read_some(
        path: &str,
        header: Header,
        keys: Option<&dyn Fn(usize) -> Vec<String>>,
    ) -> Result<Self, String> {
        if npy::is_npy(path) {
            return Self::read_npy(path, keys);
        }
        let Ok(data) = source::Source::open(path) else {
            // The reference reader words the error.
            return reference::read(path, header);
        };
        match scan::read(data.bytes(), path, header, keys, scan::CHUNK) {
            Some(t) => Ok(t),
            None => reference::read_bytes(data.bytes().to_vec(), path, header),
        }
    }

    /// A `.npy` file as a table: columns "0", "1", ... (a `(n,)` array is
    /// one column); the contiguous float64 columns stay in the map, the
    /// others asked for are gathered ([`mod@npy`]).
    fn read_npy(path: &str, keys: Option<&dyn Fn(usize) -> Vec<String>>) -> Result<Self, String> {
        let f = npy::Npy::open(path)?;
        let wanted: Vec<usize> = match keys {
            Some(keys) => keys(f.cols)
                .iter()
                .filter_map(|k| f.index(k, "").ok())
                .collect(),
            None => (0..f.cols).collect(),
        };
        let mut parsed = vec![false; f.cols];
        let mut copy = Vec::new();
        for &j in &wanted {
            parsed[j] = true;
            if f.borrowed(j).is_none() && !copy.contains(&j) {
                copy.push(j);
            }
        }
        let mut values = vec![Vec::new(); f.cols];
        for (j, v) in copy.iter().zip(f.gather(&copy, 0..f.rows)?) {
            values[*j] = v;
        }
        Ok(Columns {
            names: (0..f.cols).map(|j| j.to_string()).collect(),
            values,
            path: path.to_string(),
            parsed,
            npy: Some(std::sync::Arc::new(f)),
        })
    }

    /// [`Columns::stream`] for a `.npy` file: the columns `keys` names by
    /// index, a block of rows at a time from the map. `None` (the whole-file
    /// route then words the error) for a file that does not open or a key
    /// that names no column.
    fn stream_npy(
        path: &str,
        keys: &dyn Fn(usize) -> Vec<String>,
        map_fold: &mut dyn FnMut(Vec<Vec<f64>>) -> Option<()>,
    ) -> Option<usize> {
        let f = npy::Npy::open(path).ok()?;
        let keys = keys(f.cols);
        if keys.is_empty() {
            return None;
        }
        let js: Vec<usize> = keys
            .iter()
            .map(|k| f.index(k, "").ok())
            .collect::<Option<_>>()?;
        // Blocks of the CSV reader's chunk size: a visit sees as many rows
        // as from a CSV file of the same bytes, or fewer.
        let block = STREAM_BLOCK
            .load(std::sync::atomic::Ordering::Relaxed)
            .min(scan::CHUNK);
        f.stream(&js, block, map_fold).ok()?
    }

    /// The column named `key`, or at 0-based index `key`.
    pub fn column(&self, key: &str, flag: &str) -> Result<&[f64], String> {
        if let Some(f) = &self.npy {
            let j = f.index(key, flag)?;
            if let Some(lent) = f.borrowed(j) {
                return Ok(lent);
            }
        }
        if let Some(k) = scan::find(&self.names, key) {
            return match self.parsed[k] {
                true => Ok(&self.values[k]),
                false => Err(format!(
                    "{flag} {key}: column not read from {} (numlab asked the reader for other columns)",
                    self.path
                )),
            };
        }
        Err(format!(
            "{flag} {key}: no such column in {} (columns: {})",
            self.path,
            self.names
                .iter()
                .map(|n| n.escape_debug().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// A float as the shortest text that parses back to the same f64.
pub fn float(v: f64) -> String {
    let mut out = Vec::with_capacity(24);
    push_float(&mut out, v);
    // Only ASCII is pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends [`float`]'s text of `v`: `nan`, `inf`, `-inf`, or the shortest
/// digits that parse back to `v`, as Rust's `{:?}` writes them (decimal for
/// 1e-4 <= |v| < 1e16, else `1.5e-7`, `1e16`). `ryu` writes the same text
/// except for 1e-5 <= |v| < 1e-4, which it writes as decimals and `{:?}`
/// with an exponent; those go through `{:?}` (the tests compare both on
/// random bit patterns).
#[inline]
pub fn push_float(out: &mut Vec<u8>, v: f64) {
    use std::io::Write;
    if v.is_nan() {
        out.extend_from_slice(b"nan");
    } else if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b"inf" } else { b"-inf" });
    } else if (1e-5..1e-4).contains(&v.abs()) {
        let _ = write!(out, "{v:?}");
    } else {
        let mut buf = ryu::Buffer::new();
        let text = buf.format_finite(v).as_bytes();
        if tie(v, text) {
            let _ = write!(out, "{v:?}");
        } else {
            out.extend_from_slice(text);
        }
    }
}

/// Whether `v` lies exactly halfway between `text` (ryu's shortest digits
/// of `v`) and its neighbour one unit in the last digit away. There `ryu`
/// rounds the tie to even and `{:?}` up (858934470821930.25 is
/// "858934470821930.2" to one, "858934470821930.3" to the other); such values
/// (a few fractional bits, 16 or more digits) go through `{:?}`.
///
/// With |v| = m 2^q (m = m' 2^t, m' odd) and the text D 10^e, a tie is
/// 2|v| = (2D ± 1) 10^e, which holds only if t + q + 1 = e and
/// m' = (2D ± 1) 5^e (e >= 0) or m' 5^-e = 2D ± 1 (e < 0).
fn tie(v: f64, text: &[u8]) -> bool {
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (m, q) = match biased {
        0 => (frac, -1074),
        _ => (frac | 1 << 52, biased - 1075),
    };
    if m == 0 {
        return false;
    }
    let t = m.trailing_zeros() as i32;
    // A tie needs an exact decimal expansion of at most 18 significant
    // digits (the text, at most 17, and a 5). For |v| = m' 2^k with k < 0
    // that is the odd integer m' 5^-k, of at least (bits(m') - 1) log10 2 +
    // -k log10 5 digits: most values stop here. For k >= 0 the test below
    // needs 5^(k+1) to divide m' < 2^53, so k < 22.
    let bits = 64 - (m >> t).leading_zeros() as i32;
    let k = t + q;
    if (k < 0 && 301 * (bits - 1) + 699 * -k > 18_500) || k >= 22 {
        return false;
    }
    let m_odd = (m >> t) as u128;
    let (mut d, mut digits, mut fraction, mut point) = (0u128, 0, 0i32, false);
    let mut exp = 0i32;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                d = d * 10 + (b - b'0') as u128;
                digits += 1;
                if digits > 30 {
                    return true;
                }
                fraction += i32::from(point);
            }
            b'.' => point = true,
            b'e' | b'E' => {
                let Some(e) = std::str::from_utf8(&text[i + 1..])
                    .ok()
                    .and_then(|s| s.parse::<i32>().ok())
                else {
                    return true;
                };
                exp = e;
                break;
            }
            _ => {}
        }
    }
    let e = exp - fraction;
    if t + q + 1 != e {
        return false;
    }
    let Some(five) = 5u128.checked_pow(e.unsigned_abs()) else {
        return false;
    };
    [2 * d + 1, (2 * d).saturating_sub(1)].iter().any(|&n| {
        if e >= 0 {
            n.checked_mul(five) == Some(m_odd)
        } else {
            m_odd.checked_mul(five) == Some(n)
        }
    })
}

/// Rows per block of [`csv_bytes`] (formatted in parallel).
const ROWS_PER_BLOCK: usize = 1 << 14;

/// CSV text with a header and columns of equal length: [`float`]'s text of
/// each value, rows formatted in blocks on every core.
pub fn csv_bytes(header: &[&str], columns: &[&[f64]]) -> Vec<u8> {
    use rayon::prelude::*;
    let n = columns.first().map_or(0, |c| c.len());
    let blocks: Vec<Vec<u8>> = numlab_core::threads::install(|| {
        (0..n.div_ceil(ROWS_PER_BLOCK))
            .into_par_iter()
            .map(|b| {
                let rows = b * ROWS_PER_BLOCK..((b + 1) * ROWS_PER_BLOCK).min(n);
                let mut out = Vec::with_capacity(rows.len() * 20 * columns.len());
                for i in rows {
                    for (k, c) in columns.iter().enumerate() {
                        if k > 0 {
                            out.push(b',');
                        }
                        push_float(&mut out, c[i]);
                    }
                    out.push(b'\n');
                }
                out
            })
            .collect()
    });
    let head = header.join(",");
    let mut out = Vec::with_capacity(head.len() + 1 + blocks.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(head.as_bytes());
    out.push(b'\n');
    for b in &blocks {
        out.extend_from_slice(b);
    }
    out
}

/// [`csv_bytes`] as a `String`.
#[cfg(test)]
pub fn csv_text(header: &[&str], columns: &[&[f64]]) -> String {
    // Only ASCII digits, signs and the header's UTF-8 are written.
    String::from_utf8(csv_bytes(header, columns)).unwrap_or_default()
}

/// Whether an output (or input) name ends in `.npy` (any case): tables and
/// grids are then written as NPY, not CSV.
pub fn is_npy(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

/// A table as an NPY file, written by ndarray-npy: one float64 array of
/// shape `(rows, columns)` in C order, the columns in the order given (the
/// CSV header's order; NPY keeps no names). `numpy.load(f)[:, k]` is column
/// `k`.
pub fn npy_table_bytes(columns: &[&[f64]]) -> Vec<u8> {
    let n = columns.first().map_or(0, |c| c.len());
    let table = ndarray::Array2::from_shape_fn((n, columns.len()), |(i, k)| columns[k][i]);
    npy_array_bytes(&table)
}

/// A table's bytes for `output`: NPY when its name ends in `.npy`
/// ([`npy_table_bytes`]), else CSV with `header` ([`csv_bytes`]; also for
/// stdout).
pub fn table_bytes(
    output: Option<&std::path::PathBuf>,
    header: &[&str],
    columns: &[&[f64]],
) -> Vec<u8> {
    match output {
        Some(p) if is_npy(p) => npy_table_bytes(columns),
        _ => csv_bytes(header, columns),
    }
}

/// A 1-D little-endian float64 NPY file, written by ndarray-npy.
pub fn npy_bytes(values: &[f64]) -> Vec<u8> {
    npy_array_bytes(&ndarray::ArrayView1::from(values))
}

/// A float64 NPY file of a 2-D array (shape `(rows, cols)`, C order),
/// written by ndarray-npy: `numpy.load` gives the same array.
pub fn npy_grid_bytes(values: &ndarray::Array2<f64>) -> Vec<u8> {
    npy_array_bytes(values)
}

fn npy_array_bytes<A: ndarray_npy::WritableElement, S, D>(a: &ndarray::ArrayBase<S, D>) -> Vec<u8>
where
    S: ndarray::Data<Elem = A>,
    D: ndarray::Dimension,
{
    let mut out = Vec::with_capacity(128 + a.len() * std::mem::size_of::<A>());
    // Writing to memory fails only on a size NumPy's format cannot hold.
    ndarray_npy::WriteNpyExt::write_npy(a, &mut out).expect("an NPY file in memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// The fast formatter writes what `{:?}` wrote (the committed outputs and
    /// the CLI tests hold those bytes), and it parses back.
    #[test]
    // The literals below are exact edge values (a tie that ryu rounds to even
    // and `{:?}` rounds up; 16 nines that round up to 1e16), written in full.
    #[allow(clippy::excessive_precision)]
    fn floats_as_debug() {
        let debug = |v: f64| {
            if v.is_nan() {
                "nan".to_string()
            } else if v.is_infinite() {
                if v > 0.0 { "inf" } else { "-inf" }.to_string()
            } else {
                format!("{v:?}")
            }
        };
        let mut state: u64 = 0x666c_6f61_745f_7465;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let mut edges = vec![
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-4,
            1e-5,
            1e16,
            1e15,
            9.999999999999999e15,
        ];
        edges.extend([
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::EPSILON,
            123456.789,
        ]);
        for e in -30..30 {
            let p = 10f64.powi(e);
            edges.extend([p, p.next_up(), p.next_down(), 1.5 * p, -p]);
        }
        // Ties: values with a few fractional bits and 16 or more digits.
        for k in 0..100_000u64 {
            let n = (1u64 << 51) + next() % (1u64 << 51);
            let scale = [0.5, 0.25, 0.125, 0.0625, 1.0, 2.0, 1024.0][(k % 7) as usize];
            edges.push((n as f64 + 0.5) * scale);
            edges.push(n as f64 * scale * 0.5 + 0.25);
        }
        edges.push(858934470821930.25);
        // Ties among large integers (k >= 0): a 5-multiple mantissa.
        for k in 0..200_000u64 {
            let m = (next() >> 11) | 1;
            let m = m - m % 5 + 5 * (k % 3);
            edges.push(m as f64 * 2f64.powi((k % 24) as i32));
        }
        for k in 0..1_000_000u64 {
            let v = match k % 3 {
                0 => f64::from_bits(next()),
                1 => (next() as f64 / u64::MAX as f64) * 10f64.powi((next() % 50) as i32 - 25),
                _ => (next() % 2_000_000_001) as f64 / 1e6 - 1000.0,
            };
            edges.push(v);
        }
        for v in edges {
            assert_eq!(float(v), debug(v), "{:e} ({:#x})", v, v.to_bits());
            if v.is_finite() {
                assert_eq!(float(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
            }
        }
        let x = [0.5, -1e-5, f64::NAN];
        let y = [f64::INFINITY, 2.0, 3e20];
        assert_eq!(
            csv_text(&["a", "b"], &[&x, &y]),
            "a,b\n0.5,inf\n-1e-5,2.0\nnan,3e20\n"
        );
    }

    #[test]
    fn floats_round_trip() {
        for v in [0.1, 1.0, -2.5e-300, 1e300, 123456.789, f64::MIN_POSITIVE] {
            assert_eq!(float(v).parse::<f64>().unwrap(), v);
        }
        assert_eq!(float(f64::NAN), "nan");
    }

    /// A few thousand random files and random mutations of valid ones: the
    /// reader returns a table or one line of error, never panics, and every
    /// table it returns is rectangular and not empty.
    #[test]
    fn fuzzed_files_never_panic() {
        const SEED: u64 = 0x7461_626c_6531_3377;
        const CASES: usize = 2000;
        let path =
            std::env::temp_dir().join(format!("numlab-table-fuzz-{}.csv", std::process::id()));
        let path_str = path.to_str().unwrap().to_string();
        let valid = [
            "x,y\n0,1\n1,2.5\n2,-3e-2\n3,nan\n4,inf\n",
            "\u{feff}time,volts\r\n0.0,1\r\n0.5,2\r\n1.0,\"3\"\r\n",
            "1\n2\n\n4\n5\n",
            "a,b,c\n1,2,3\n4,,6\n7,8,9",
            "\"q,1\",b\n1,2\n",
        ];
        let alphabet = b"0123456789.,-+eE\n\r\" naifNI\xef\xbb\xbf\xe9\x00;\t";
        let mut state = SEED;
        let mut next = |n: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
        };
        let (mut tables, mut errors) = (0, 0);
        for case in 0..CASES {
            let mut bytes: Vec<u8> = if case % 4 == 0 {
                (0..next(48))
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect()
            } else {
                valid[next(valid.len())].as_bytes().to_vec()
            };
            for _ in 0..1 + next(4) {
                let at = next(bytes.len() + 1);
                match next(3) {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 if at < bytes.len() => bytes[at] = alphabet[next(alphabet.len())],
                    _ => bytes.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            fs::write(&path, &bytes).unwrap();
            for header in [Header::Detect, Header::Present] {
                scan_tests::same_as_reference_at(&bytes, &path_str, header, &[1, 7, 4096]);
                match Columns::read(&path_str, header) {
                    Ok(t) => {
                        tables += 1;
                        assert_eq!(t.names.len(), t.values.len());
                        let n = t.values[0].len();
                        assert!(
                            n > 0 && t.values.iter().all(|c| c.len() == n),
                            "case {case}"
                        );
                    }
                    Err(e) => {
                        errors += 1;
                        assert!(
                            !e.contains('\n') && e.starts_with(&path_str),
                            "case {case}: {e}"
                        );
                    }
                }
            }
        }
        let _ = fs::remove_file(&path);
        assert!(
            tables > 100 && errors > 100,
            "{tables} tables, {errors} errors"
        );
    }

    /// A quoted empty cell is a missing value; a first row that mixes numbers
    /// and text is an error unless it is declared a header; bytes that are
    /// not UTF-8 are named by line and byte.
    #[test]
    fn quoted_empty_cells_and_headers() {
        let dir = std::env::temp_dir();
        let write = |name: &str, text: &str| {
            let p = dir.join(format!("numlab-table-{}-{name}", std::process::id()));
            fs::write(&p, text).unwrap();
            p.to_str().unwrap().to_string()
        };
        let p = write("q.csv", "y\n1.5\n\"\"\n-2e3\n");
        let t = Columns::read(&p, Header::Detect).unwrap();
        assert_eq!(t.names, ["y"]);
        assert_eq!(t.values[0].len(), 3);
        assert_eq!(t.values[0][0], 1.5);
        assert!(t.values[0][1].is_nan());
        assert_eq!(t.values[0][2], -2e3);
        let p = write("mixed.csv", "1,x\n2,3\n");
        let e = Columns::read(&p, Header::Detect).unwrap_err();
        assert!(
            e.contains("line 1") && e.contains("'x'") && e.contains("field 2"),
            "{e}"
        );
        let t = Columns::read(&p, Header::Present).unwrap();
        assert_eq!(t.names, ["1", "x"]);
        assert_eq!(t.values, [vec![2.0], vec![3.0]]);
        let bytes = b"a,b\n1,2\n3,\xff\n".to_vec();
        let e = reference::utf8_text(bytes, "f.csv").unwrap_err();
        assert_eq!(
            e,
            "f.csv: line 3, byte 3: 0xff is not UTF-8 text (save the file as UTF-8)"
        );
    }

    #[test]
    fn npy_header_is_aligned() {
        let b = npy_bytes(&[1.0, 2.0]);
        let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert_eq!((10 + hlen) % 64, 0);
        assert_eq!(b.len(), 10 + hlen + 16);
    }
}
