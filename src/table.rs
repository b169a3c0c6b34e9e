//! Reading CSV tables and picking columns; writing CSV and NPY atomically.

use std::fs;

/// A CSV file as named columns of numbers.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Column names (from the header row, or "0", "1", ... without one).
    pub names: Vec<String>,
    /// The values, column by column.
    pub values: Vec<Vec<f64>>,
    /// The file, for messages.
    pub path: String,
}

/// Parses a cell: a number, `nan`, `inf`, `-inf` (any case), or an empty cell (NaN).
fn parse_cell(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(f64::NAN);
    }
    t.parse::<f64>().ok()
}

/// The CSV reader skips blank lines, which would silently shift every later
/// sample. Between data rows, a blank line in a one-column file is an empty
/// cell (a missing value, NaN); in a wider file it is an error naming the line.
/// Blank lines before the first row and after the last are dropped.
fn blank_lines_as_cells(text: &str, path: &str) -> Result<String, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let (Some(first), Some(last)) = (
        lines.iter().position(|l| !l.trim().is_empty()),
        lines.iter().rposition(|l| !l.trim().is_empty()),
    ) else {
        return Ok(String::new());
    };
    let one_column = !lines[first].contains(',');
    let mut out = String::with_capacity(text.len() + 16);
    for (i, l) in lines.iter().enumerate().take(last + 1).skip(first) {
        if l.trim().is_empty() {
            if one_column {
                out.push_str("nan\n");
                continue;
            }
            return Err(format!(
                "{path}: line {} is empty (every row needs all its fields; write nan or leave a cell empty for a missing value)",
                i + 1
            ));
        }
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

/// The file as UTF-8 text; anything else is an error naming the line and the
/// byte (a Latin-1 or UTF-16 export, a binary file).
fn utf8_text(bytes: Vec<u8>, path: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let line_start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |k| k + 1);
        format!(
            "{path}: line {line}, byte {}: 0x{:02x} is not UTF-8 text (save the file as UTF-8)",
            at - line_start + 1,
            bytes[at]
        )
    })
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
    /// Reads a CSV file. With [`Header::Detect`] the first row is a header
    /// when none of its cells is a number (empty cells aside), data when all
    /// are, and an error naming the cell when it mixes both; every other row
    /// must hold as many numeric cells as the first.
    pub fn read(path: &str, header: Header) -> Result<Self, String> {
        let raw = fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let raw = utf8_text(raw, path)?;
        let text = blank_lines_as_cells(&raw, path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut rows = reader.records();
        let first = match rows.next() {
            Some(r) => r.map_err(|e| format!("{path}: {e}"))?,
            None => return Err(format!("{path}: the file is empty")),
        };
        let first_cells: Vec<String> = first.iter().map(str::to_string).collect();
        let is_header = match header {
            Header::Present => true,
            Header::Detect => {
                let text = |c: &String| !c.trim().is_empty() && parse_cell(c).is_none();
                let number = |c: &String| !c.trim().is_empty() && parse_cell(c).is_some();
                match (
                    first_cells.iter().position(text),
                    first_cells.iter().any(number),
                ) {
                    (Some(k), true) => {
                        return Err(format!(
                            "{path}: line 1 mixes numbers and text: '{}' (field {}) is not a number; if line 1 is a header, pass --header",
                            first_cells[k].escape_debug(),
                            k + 1
                        ))
                    }
                    (Some(_), false) => true,
                    (None, _) => false,
                }
            }
        };
        let width = first_cells.len();
        let names: Vec<String> = if is_header {
            first_cells.clone()
        } else {
            (0..width).map(|i| i.to_string()).collect()
        };
        let mut values = vec![Vec::new(); width];
        let mut push_row = |cells: &[String], line: usize| -> Result<(), String> {
            if cells.len() != width {
                return Err(format!(
                    "{path}: line {line} has {} field(s), expected {width}",
                    cells.len()
                ));
            }
            for (k, c) in cells.iter().enumerate() {
                let v = parse_cell(c).ok_or_else(|| {
                    format!(
                        "{path}: line {line}, column '{}': '{}' is not a number",
                        names[k].escape_debug(),
                        c.escape_debug()
                    )
                })?;
                values[k].push(v);
            }
            Ok(())
        };
        if !is_header {
            push_row(&first_cells, 1)?;
        }
        for (i, r) in rows.enumerate() {
            let r = r.map_err(|e| format!("{path}: {e}"))?;
            // Blank lines were dealt with above: a lone empty field here is a
            // quoted empty cell (`""`), a missing value like any empty cell.
            let cells: Vec<String> = r.iter().map(str::to_string).collect();
            push_row(&cells, i + 2)?;
        }
        if values.first().is_none_or(|c| c.is_empty()) {
            return Err(format!("{path}: no data rows"));
        }
        Ok(Columns {
            names,
            values,
            path: path.to_string(),
        })
    }

    /// The column named `key`, or at 0-based index `key`.
    pub fn column(&self, key: &str, flag: &str) -> Result<&[f64], String> {
        if let Some(k) = self.names.iter().position(|n| n == key) {
            return Ok(&self.values[k]);
        }
        if let Ok(k) = key.parse::<usize>() {
            if k < self.values.len() {
                return Ok(&self.values[k]);
            }
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
    if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{v:?}")
    }
}

/// CSV text with a header and columns of equal length.
pub fn csv_text(header: &[&str], columns: &[&[f64]]) -> String {
    let n = columns.first().map_or(0, |c| c.len());
    let mut s = String::with_capacity(n * 24 * columns.len() + 64);
    s.push_str(&header.join(","));
    s.push('\n');
    for i in 0..n {
        for (k, c) in columns.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            s.push_str(&float(c[i]));
        }
        s.push('\n');
    }
    s
}

/// A 1-D little-endian float64 NPY file (format version 1.0).
pub fn npy_bytes(values: &[f64]) -> Vec<u8> {
    npy_bytes_shaped(values, &[values.len()])
}

/// A little-endian float64 NPY file (version 1.0) of `values` in C order with
/// the given shape (whose product is `values.len()`).
pub fn npy_bytes_shaped(values: &[f64], shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
    // Magic (6) + version (2) + header length (2) + header + '\n', padded to 64.
    let total = 10 + header.len() + 1;
    header.push_str(&" ".repeat((64 - total % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + 8 * values.len());
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = utf8_text(bytes, "f.csv").unwrap_err();
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
