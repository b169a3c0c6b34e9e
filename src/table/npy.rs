//! Reading NumPy `.npy` files as tables, through ndarray-npy.
//!
//! An input whose name ends in `.npy` holds one float64 or float32 array of
//! shape `(n,)` (one column) or `(n, k)` (`k` columns, picked by 0-based
//! index as in a CSV file without a header: `--x 0 --y 1`), in C or Fortran
//! order, little- or big-endian: what `numpy.save` writes for
//! `a.astype(np.float64)` or `np.float32`. Anything else (another dtype, a
//! structured array, three dimensions, a file shorter or longer than its
//! header says) is one error line naming the file.
//!
//! The file is memory-mapped ([`Source`]), not copied: a float64 column that
//! lies contiguous in the file (a `(n,)` array, a column of a Fortran-order
//! array, or `(n, 1)`) is handed to the kernels as a slice of the map
//! ([`ndarray_npy::ViewNpyExt`]). A column of a C-order `(n, k)` array is
//! strided in the file and is gathered into a vector of its own (the kernels
//! take contiguous slices), as is any float32 column (widened to float64,
//! exactly) and any big-endian one. The streaming commands read the map a
//! block of rows at a time ([`Npy::stream`]), so their memory stays bounded
//! whatever the array's length.

use ndarray::{ArrayView1, ArrayView2, ArrayViewD, Axis, Ix2};
use ndarray_npy::{ReadNpyExt, ViewNpyExt};

use super::source::Source;

/// Whether `path` names a `.npy` file (by its extension, any case).
pub(crate) fn is_npy(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

/// The element types numlab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dtype {
    F64,
    F32,
}

/// An open `.npy` file: its bytes (mapped) and what its header says.
pub(crate) struct Npy {
    source: Source,
    /// Rows (the first axis).
    pub(crate) rows: usize,
    /// Columns: 1 for a `(n,)` array, else the second axis.
    pub(crate) cols: usize,
    /// Whether the header said a 1-D array.
    one_d: bool,
    /// Whether a 2-D array is in Fortran order (its columns contiguous).
    fortran: bool,
    dtype: Dtype,
    /// Whether a view of the map works (native byte order, aligned data).
    viewable: bool,
    path: String,
}

impl std::fmt::Debug for Npy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Npy")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("dtype", &self.dtype)
            .field("fortran", &self.fortran)
            .finish()
    }
}

impl Npy {
    /// Opens `path` and checks its header: dtype, rank, and that the file
    /// holds exactly the bytes the shape needs. Nothing the size of the data
    /// is allocated here (the map is only mapped).
    pub(crate) fn open(path: &str) -> Result<Self, String> {
        let source = Source::open(path).map_err(|e| format!("{path}: {e}"))?;
        let bytes = source.bytes();
        let mut rest = bytes;
        let header = ndarray_npy::npy::header::Header::from_reader(&mut rest)
            .map_err(|e| format!("{path}: not a NumPy .npy file ({e})"))?;
        let data_len = rest.len();
        let descr = header.type_descriptor.to_string();
        let (dtype, size, native) = match descr.trim_matches('\'') {
            "<f8" => (Dtype::F64, 8, cfg!(target_endian = "little")),
            ">f8" => (Dtype::F64, 8, cfg!(target_endian = "big")),
            "<f4" => (Dtype::F32, 4, cfg!(target_endian = "little")),
            ">f4" => (Dtype::F32, 4, cfg!(target_endian = "big")),
            _ => {
                return Err(format!(
                    "{path}: dtype {descr} is not float64 or float32 (save the array with a.astype(numpy.float64))"
                ))
            }
        };
        let shape = &header.shape;
        let shape_text = match shape.len() {
            1 => format!("({},)", shape[0]),
            _ => format!(
                "({})",
                shape
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let (rows, cols, one_d) = match shape[..] {
            [n] => (n, 1, true),
            [n, k] => (n, k, false),
            _ => {
                return Err(format!(
                    "{path}: shape {shape_text} has {} dimensions; numlab reads (n,) for one column or (n, k) for k columns",
                    shape.len()
                ))
            }
        };
        let need = rows
            .checked_mul(cols)
            .and_then(|c| c.checked_mul(size))
            .filter(|&b| b <= isize::MAX as usize);
        if need != Some(data_len) {
            return Err(format!(
                "{path}: holds {data_len} bytes of data where shape {shape_text} of {descr} needs {} (a truncated or damaged file)",
                need.map_or_else(|| "more than memory can hold".to_string(), |b| b.to_string())
            ));
        }
        if rows == 0 || cols == 0 {
            return Err(format!("{path}: no data rows (shape {shape_text})"));
        }
        let header_len = bytes.len() - data_len;
        let align = match dtype {
            Dtype::F64 => std::mem::align_of::<f64>(),
            Dtype::F32 => std::mem::align_of::<f32>(),
        };
        let viewable = native && (bytes.as_ptr() as usize + header_len).is_multiple_of(align);
        Ok(Npy {
            source,
            rows,
            cols,
            one_d,
            fortran: header.layout.is_fortran(),
            dtype,
            viewable,
            path: path.to_string(),
        })
    }

    /// The file's bytes (for messages and the map's page release).
    fn bytes(&self) -> &[u8] {
        self.source.bytes()
    }

    /// The array as a zero-copy float64 view of shape (rows, cols), when the
    /// file holds native-endian, aligned float64.
    fn view_f64(&self) -> Option<ArrayView2<'_, f64>> {
        if !(self.viewable && self.dtype == Dtype::F64) {
            return None;
        }
        let v = ArrayViewD::<f64>::view_npy(self.bytes()).ok()?;
        match self.one_d {
            true => v.into_shape_with_order((self.rows, 1)).ok(),
            false => v.into_dimensionality::<Ix2>().ok(),
        }
    }

    /// The array as a zero-copy float32 view of shape (rows, cols).
    fn view_f32(&self) -> Option<ArrayView2<'_, f32>> {
        if !(self.viewable && self.dtype == Dtype::F32) {
            return None;
        }
        let v = ArrayViewD::<f32>::view_npy(self.bytes()).ok()?;
        match self.one_d {
            true => v.into_shape_with_order((self.rows, 1)).ok(),
            false => v.into_dimensionality::<Ix2>().ok(),
        }
    }

    /// Column `j` as a slice of the map, when it lies there contiguous as
    /// native float64 (no copy).
    pub(crate) fn borrowed(&self, j: usize) -> Option<&[f64]> {
        self.view_f64()?.index_axis_move(Axis(1), j).to_slice()
    }

    /// Rows `range` of the columns `js`, each as a vector of float64.
    pub(crate) fn gather(
        &self,
        js: &[usize],
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Vec<f64>>, String> {
        let pick = |v: ArrayView1<'_, f64>| v.slice(ndarray::s![range.clone()]).to_vec();
        if let Some(v) = self.view_f64() {
            return Ok(js.iter().map(|&j| pick(v.column(j))).collect());
        }
        if let Some(v) = self.view_f32() {
            return Ok(js
                .iter()
                .map(|&j| {
                    v.column(j)
                        .slice(ndarray::s![range.clone()])
                        .iter()
                        .map(|&x| f64::from(x))
                        .collect()
                })
                .collect());
        }
        // Another byte order, or data the map does not align (a small file
        // read into memory): ndarray-npy reads and converts the whole array.
        let whole = match self.dtype {
            Dtype::F64 => ndarray::ArrayD::<f64>::read_npy(self.bytes()),
            Dtype::F32 => ndarray::ArrayD::<f32>::read_npy(self.bytes()).map(|a| a.mapv(f64::from)),
        }
        .map_err(|e| format!("{}: {e}", self.path))?;
        let whole = whole
            .into_shape_with_order((self.rows, self.cols))
            .map_err(|e| format!("{}: {e}", self.path))?;
        Ok(js.iter().map(|&j| pick(whole.column(j))).collect())
    }

    /// The 0-based column index `key` names, or the error numlab gives for a
    /// key that names no column.
    pub(crate) fn index(&self, key: &str, flag: &str) -> Result<usize, String> {
        match key.parse::<usize>() {
            Ok(j) if j < self.cols => Ok(j),
            _ => Err(format!(
                "{flag} {key}: no such column in {} (a .npy array of {} column{}: give an index from 0 to {})",
                self.path,
                self.cols,
                if self.cols == 1 { "" } else { "s" },
                self.cols - 1
            )),
        }
    }

    /// Feeds the columns `js` through `visit` a block of about `block_bytes`
    /// of data at a time, reading the map in order and letting the system
    /// drop the pages already read. Returns the number of rows, or `None`
    /// when `visit` declines.
    pub(crate) fn stream(
        &self,
        js: &[usize],
        block_bytes: usize,
        visit: &mut dyn FnMut(Vec<Vec<f64>>) -> Option<()>,
    ) -> Result<Option<usize>, String> {
        let row_bytes = self.cols * if self.dtype == Dtype::F64 { 8 } else { 4 };
        let step = (block_bytes / row_bytes).max(1);
        let header_len = self.bytes().len() - self.rows * row_bytes;
        let mut start = 0;
        while start < self.rows {
            let end = (start + step).min(self.rows);
            let cols = self.gather(js, start..end)?;
            if visit(cols).is_none() {
                return Ok(None);
            }
            // The pages of the rows read (C order, or one column); a
            // Fortran-order file keeps its pages until the map is dropped.
            if self.one_d || self.cols == 1 || !self.fortran {
                self.source
                    .release(header_len + start * row_bytes..header_len + end * row_bytes);
            }
            start = end;
        }
        Ok(Some(self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Columns, Header};
    use ndarray::{Array1, Array2, ShapeBuilder};
    use ndarray_npy::WriteNpyExt;

    /// A seeded (n, 3) table with NaN, infinities and signed zeros in it.
    fn table(n: usize) -> Array2<f64> {
        let mut state: u64 = 0x6e70_795f_7465_7374;
        Array2::from_shape_fn((n, 3), |(i, k)| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let u = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
            match (i * 3 + k) % 1013 {
                3 => f64::NAN,
                4 => f64::NEG_INFINITY,
                5 => -0.0,
                _ => (u - 0.5) * 10f64.powi((i % 40) as i32 - 20),
            }
        })
    }

    fn write(path: &std::path::Path, a: &impl WriteNpyExt) {
        let mut bytes = Vec::new();
        a.write_npy(&mut bytes).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// Read whole, lent from the map, or streamed in blocks of any size:
    /// every layout and dtype gives the array's columns bit for bit; small
    /// files (read) and large ones (mapped) alike.
    #[test]
    fn columns_read_lent_and_streamed_equal_the_array() {
        let dir = std::env::temp_dir().join(format!("numlab-npy-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for n in [1, 700, 20_000] {
            let a = table(n);
            let mut f = Array2::<f64>::zeros((n, 3).f());
            f.assign(&a);
            let narrow = a.mapv(|v| v as f32);
            let cases: Vec<(&str, Array2<f64>, bool)> = vec![
                ("c", a.clone(), false),
                ("f", a.clone(), true),
                ("f32", narrow.mapv(f64::from), false),
                (
                    "one",
                    a.column(1).to_owned().insert_axis(ndarray::Axis(1)),
                    true,
                ),
            ];
            for (name, want, lends) in cases {
                let path = dir.join(format!("{name}-{n}.npy"));
                match name {
                    "c" => write(&path, &a),
                    "f" => write(&path, &f),
                    "f32" => write(&path, &narrow),
                    _ => write(&path, &Array1::from(want.column(0).to_vec())),
                }
                let p = path.to_str().unwrap();
                let file = Npy::open(p).unwrap();
                assert_eq!((file.rows, file.cols), want.dim());
                let mapped = std::fs::metadata(&path).unwrap().len() >= 1 << 16;
                for j in 0..want.ncols() {
                    let col = want.column(j).to_vec();
                    // Lent from the map exactly when contiguous float64.
                    // (A single row is contiguous in any layout.)
                    let lends = lends || (n == 1 && name != "f32");
                    assert_eq!(file.borrowed(j).is_some(), lends, "{name} {n}");
                    let t =
                        Columns::read_keys(p, Header::Detect, &|_| vec![j.to_string()]).unwrap();
                    assert_eq!(bits(t.column(&j.to_string(), "--y").unwrap()), bits(&col));
                    // (Each block parses the header again: rows one by one
                    // only for the small files.)
                    for block in [1, 8, 24, 4096, 1 << 20] {
                        if block < 4096 && n > 1000 {
                            continue;
                        }
                        let mut got = Vec::new();
                        let rows = file
                            .stream(&[j], block, &mut |c| {
                                got.extend_from_slice(&c[0]);
                                Some(())
                            })
                            .unwrap();
                        assert_eq!(rows, Some(n));
                        assert_eq!(bits(&got), bits(&col), "{name} {n} {block} {mapped}");
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
