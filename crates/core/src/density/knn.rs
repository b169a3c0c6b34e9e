//! k-nearest-neighbour density with a KD-tree (kiddo).

use std::num::NonZeroUsize;

use kiddo::{ImmutableKdTree, SquaredEuclidean};

use super::{check_size, Density, Grid, Points, View};
use crate::error::{num, NumlabError, Result};
use crate::threads;

/// The most neighbour visits one [`knn_density`] call makes, k × cells:
/// 2^27 (134,217,728), about 20 seconds on two cores (each query keeps its
/// k nearest in a heap). The default 5 neighbours on 256 x 256 cells are
/// 327,680.
pub const MAX_KNN_WORK: usize = 1 << 27;

/// What is computed from the k nearest points of each cell centre.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum KnnFunction {
    /// The kNN density estimate k / (n·π·r_k²) per unit area (data units⁻²),
    /// r_k the distance to the k-th nearest point (+inf where r_k = 0).
    Density,
    /// The questioner's hot-spot value: the mean over the k nearest of
    /// exp(-dfactor·d²), d in data units (they used k = 5, dfactor = 70, then
    /// min(value, 1)·255 for a byte). Between 0 and 1.
    Questioner {
        /// The decay factor, in data units⁻².
        dfactor: f64,
    },
}

/// kNN density at the cell centres of a `width` × `height` grid over `view`,
/// from every finite point (inside the view or not), by a KD-tree
/// (`kiddo::ImmutableKdTree`, built once per call); the queries run in
/// parallel over rows.
///
/// # Errors
/// See the module docs; k = 0 or k above the number of finite points; k ×
/// cells above [`MAX_KNN_WORK`] ([`NumlabError::AboveLimit`] on `k`, or on
/// `cells` when even one neighbour is too many); a negative or non-finite
/// dfactor.
pub fn knn_density(
    x: &[f64],
    y: &[f64],
    view: View,
    width: usize,
    height: usize,
    k: usize,
    function: KnnFunction,
) -> Result<Density> {
    let pts = Points::new(x, y)?;
    check_size(width, height)?;
    if k == 0 {
        return Err(NumlabError::invalid(
            "k",
            0.0,
            "must be at least 1 neighbour",
        ));
    }
    let n = pts.finite_len();
    if k > n {
        return Err(NumlabError::TooLarge {
            name: "k",
            value: k,
            available: n,
            what: "finite points",
        });
    }
    let cells = width * height;
    if k.saturating_mul(cells) > MAX_KNN_WORK {
        let why = format!(
            "each of the {cells} cells visits its k nearest points: k x cells = {} neighbour visits, at most {MAX_KNN_WORK} (about 20 s)",
            num(k as f64 * cells as f64)
        );
        let most = MAX_KNN_WORK / cells;
        if most == 0 {
            return Err(NumlabError::above(
                "cells",
                format!("{width}x{height}"),
                format!("{MAX_KNN_WORK} cells for a kNN density"),
                why,
            ));
        }
        return Err(NumlabError::above(
            "k",
            k,
            format!("{most} neighbours on {cells} cells"),
            why,
        ));
    }
    if let KnnFunction::Questioner { dfactor } = function {
        if !(dfactor.is_finite() && dfactor >= 0.0) {
            return Err(NumlabError::invalid(
                "dfactor",
                dfactor,
                "must be finite and >= 0",
            ));
        }
    }
    let entries: Vec<[f64; 2]> = pts
        .x
        .iter()
        .zip(pts.y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(&a, &b)| [a, b])
        .collect();
    let tree: ImmutableKdTree<f64, 2> = ImmutableKdTree::new_from_slice(&entries)
        .map_err(|e| NumlabError::Unsupported(format!("KD-tree construction failed: {e:?}")))?;
    let kk = NonZeroUsize::new(k).ok_or(NumlabError::invalid("k", 0.0, "must be at least 1"))?;
    let (cx, cy) = (view.x_centers(width), view.y_centers(height));
    let mut values = crate::alloc::zeroed(width * height);
    let area_norm = k as f64 / (n as f64 * std::f64::consts::PI);
    threads::for_each_chunk(&mut values, width * 16, |start, part| {
        for (i, v) in part.iter_mut().enumerate() {
            let idx = start + i;
            let q = [cx[idx % width], cy[idx / width]];
            let found = tree
                .query(&q)
                .nearest_n::<SquaredEuclidean<f64>>(kk)
                .execute();
            *v = match function {
                KnnFunction::Density => {
                    let r2 = found.last().map_or(f64::INFINITY, |f| f.distance);
                    if r2 > 0.0 {
                        area_norm / r2
                    } else {
                        f64::INFINITY
                    }
                }
                KnnFunction::Questioner { dfactor } => {
                    found
                        .iter()
                        .map(|f| (-dfactor * f.distance).exp())
                        .sum::<f64>()
                        / k as f64
                }
            };
        }
    });
    Ok(Density {
        grid: Grid::from_rows(view, width, height, values),
        nonfinite: pts.nonfinite,
    })
}
