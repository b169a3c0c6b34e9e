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

impl Columns {
    /// Reads a CSV file. The first row is a header when any of its cells is
    /// not a number; every other row must hold as many numeric cells as the first.
    pub fn read(path: &str) -> Result<Self, String> {
        let raw = fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
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
        let is_header = first_cells.iter().any(|c| parse_cell(c).is_none());
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
                        "{path}: line {line}, column '{}': '{c}' is not a number",
                        names[k]
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
            let cells: Vec<String> = r.iter().map(str::to_string).collect();
            if cells.len() == 1 && cells[0].is_empty() {
                continue;
            }
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
            self.names.join(", ")
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

    #[test]
    fn npy_header_is_aligned() {
        let b = npy_bytes(&[1.0, 2.0]);
        let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert_eq!((10 + hlen) % 64, 0);
        assert_eq!(b.len(), 10 + hlen + 16);
    }
}
