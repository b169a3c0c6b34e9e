//! Box sums by a summed-area table, several passes.
//!
//! One pass replaces every cell by the sum over the (2r+1)² window around it,
//! cells outside the grid counting as zero: from the summed-area table
//! `S[i][j] = Σ_{i' < i, j' < j} v[i'][j']` each window is four look-ups, so
//! a pass costs O(cells) whatever r (the questioner's 6502 answer, the table
//! built in one sweep). P passes are a convolution with the P-fold box, a
//! piecewise polynomial close to a Gaussian of variance P·r(r+1)/3 cells².

use crate::error::{NumlabError, Result};

/// `passes` box sums of radius `radius` cells over a `width` × `height` grid
/// (row-major), in place; zero outside the grid. With `normalise`, every
/// pass divides by (2r+1)², so the sum over an unbounded grid is kept.
///
/// The public entry is [`super::box_sum_passes`] (a 2-D array).
///
/// # Errors
/// `values.len() != width * height`.
pub(crate) fn box_sum_passes(
    values: &mut [f64],
    width: usize,
    height: usize,
    radius: usize,
    passes: usize,
    normalise: bool,
) -> Result<()> {
    if values.len() != width.saturating_mul(height) {
        return Err(NumlabError::LengthMismatch {
            a_name: "values",
            a_len: values.len(),
            b_name: "width x height",
            b_len: width.saturating_mul(height),
        });
    }
    if values.is_empty() {
        return Ok(());
    }
    let scale = if normalise {
        let side = (2 * radius + 1) as f64;
        1.0 / (side * side)
    } else {
        1.0
    };
    let sw = width + 1;
    let mut st = vec![0.0f64; sw * (height + 1)];
    for _ in 0..passes {
        for y in 0..height {
            let mut run = 0.0;
            for x in 0..width {
                run += values[y * width + x];
                st[(y + 1) * sw + x + 1] = st[y * sw + x + 1] + run;
            }
        }
        for y in 0..height {
            let y0 = y.saturating_sub(radius);
            let y1 = (y + radius + 1).min(height);
            for x in 0..width {
                let x0 = x.saturating_sub(radius);
                let x1 = (x + radius + 1).min(width);
                let s = st[y1 * sw + x1] - st[y1 * sw + x0] - st[y0 * sw + x1] + st[y0 * sw + x0];
                values[y * width + x] = s * scale;
            }
        }
    }
    Ok(())
}
