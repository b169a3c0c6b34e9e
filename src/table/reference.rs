//! The reference reader: numlab's first CSV reader, kept as it was.
//!
//! It reads the whole file into a `String`, rebuilds it without blank lines
//! and hands it to the `csv` crate, one `StringRecord` per row, every cell
//! parsed by `str::parse::<f64>`. It is slow and memory-hungry, and obviously
//! what numlab means by a CSV table: the fast reader ([`super::scan`]) is
//! tested against it, and hands every file it does not take on (quoted
//! fields in the data, blank lines between rows of a wider file, text that is
//! not ASCII below the first row, any error) to it, so every message and every
//! refusal is this reader's.

use std::fs;

use super::{Columns, Header};

/// Parses a cell: a number, `nan`, `inf`, `-inf` (any case), or an empty cell (NaN).
pub(crate) fn parse_cell(s: &str) -> Option<f64> {
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
pub(crate) fn utf8_text(bytes: Vec<u8>, path: &str) -> Result<String, String> {
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

/// The first row's cells (csv-trimmed), as the reference reader splits them.
pub(crate) fn first_record(text: &str) -> Option<Result<Vec<String>, csv::Error>> {
    let mut reader = csv_reader(text.as_bytes());
    let mut rows = reader.records();
    rows.next()
        .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes)
}

/// Whether the first row (its cells) is a header, or the error for a row
/// that mixes numbers and text.
pub(crate) fn is_header(
    first_cells: &[String],
    header: Header,
    path: &str,
) -> Result<bool, String> {
    match header {
        Header::Present => Ok(true),
        Header::Detect => {
            let text = |c: &String| !c.trim().is_empty() && parse_cell(c).is_none();
            let number = |c: &String| !c.trim().is_empty() && parse_cell(c).is_some();
            match (
                first_cells.iter().position(text),
                first_cells.iter().any(number),
            ) {
                (Some(k), true) => Err(format!(
                    "{path}: line 1 mixes numbers and text: '{}' (field {}) is not a number; if line 1 is a header, pass --header",
                    first_cells[k].escape_debug(),
                    k + 1
                )),
                (Some(_), false) => Ok(true),
                (None, _) => Ok(false),
            }
        }
    }
}

/// Reads a CSV file as the reference reader does: every column parsed.
pub fn read(path: &str, header: Header) -> Result<Columns, String> {
    let raw = fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    read_bytes(raw, path, header)
}

/// [`read`] on the file's bytes.
pub fn read_bytes(raw: Vec<u8>, path: &str, header: Header) -> Result<Columns, String> {
    let raw = utf8_text(raw, path)?;
    let text = blank_lines_as_cells(&raw, path)?;
    let mut reader = csv_reader(text.as_bytes());
    let mut rows = reader.records();
    let first = match rows.next() {
        Some(r) => r.map_err(|e| format!("{path}: {e}"))?,
        None => return Err(format!("{path}: the file is empty")),
    };
    let first_cells: Vec<String> = first.iter().map(str::to_string).collect();
    let is_header = is_header(&first_cells, header, path)?;
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
        parsed: vec![true; names.len()],
        names,
        values,
        path: path.to_string(),
        npy: None,
    })
}
