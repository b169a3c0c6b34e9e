//! numlab-studies: the six studies, each the data, the computations, the
//! figures and the summary of one classic NumPy/SciPy question.
//!
//! A study is run by [`run_study`]: it returns its figures (plain
//! [`numlab_plot::Figure`] values, so a notebook can show them) and a markdown
//! section for `figures/summary.md`. [`write_outputs`] writes them as
//! `NN-name.svg`, `NN-name.png` and merges the section into `summary.md`.
//! Figures whose content depends on measured times carry `timing` in their
//! name; every other figure is byte-identical from run to run.
//!
//! [`mod@bench`] holds the canonical benchmark workloads of `BENCHMARKS.md`.

pub mod bench;
pub mod density;
pub mod display;
pub mod files;
pub mod neuron;
pub mod smoothing;
pub mod spectrum;
pub mod timing;
pub mod wave;
pub mod xcorr;

use std::fs;
use std::path::{Path, PathBuf};

pub use numlab_core;
pub use numlab_plot;
use numlab_plot::Figure;

/// Errors of a study run: the library's, the figures', or the file system's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// An algorithm refused its input.
    #[error(transparent)]
    Numlab(#[from] numlab_core::NumlabError),
    /// A figure could not be drawn or written.
    #[error(transparent)]
    Plot(#[from] numlab_plot::PlotError),
    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// An unknown study name.
    #[error("unknown study '{0}': expected one of {1}")]
    UnknownStudy(String, String),
}

/// `Result` with [`StudyError`].
pub type Result<T> = std::result::Result<T, StudyError>;

/// A named figure of a study: written as `<name>.svg` and `<name>.png`.
#[derive(Debug, Clone)]
pub struct NamedFigure {
    /// File stem, e.g. `01-edge-modes` (contains `timing` when it shows measured times).
    pub name: String,
    /// The figure.
    pub figure: Figure,
}

/// What a study produces.
#[derive(Debug, Clone)]
pub struct StudyOutput {
    /// Two-digit number, e.g. `"01"`.
    pub number: &'static str,
    /// Short name used on the command line, e.g. `"smoothing"`.
    pub id: &'static str,
    /// The figures.
    pub figures: Vec<NamedFigure>,
    /// The study's section of `summary.md` (markdown, starting with a `##` heading).
    pub summary: String,
}

/// The studies, in order: (number, id, one-line description).
pub const STUDIES: &[(&str, &str, &str)] = &[
    ("01", "smoothing", "Gaussian smoothing of XY data"),
    (
        "02",
        "spectrum",
        "FFT amplitude, exact rebuild and low-pass of a skew-normal pulse",
    ),
    (
        "03",
        "wave",
        "Staggered leapfrog for the 1-D wave system: a convergence study done right",
    ),
    (
        "04",
        "xcorr",
        "Time shift between two recordings by cross-correlation",
    ),
    (
        "05",
        "neuron",
        "Hodgkin-Huxley neuron driven by Poisson spike trains, from one neuron to a network",
    ),
    (
        "06",
        "density",
        "Density heat-maps of scattered points, at any zoom, at any size",
    ),
];

/// Runs one study by id (`"smoothing"`, `"spectrum"`) or number (`"01"`, `"02"`).
///
/// # Errors
/// An unknown id; any error of the study itself.
pub fn run_study(id: &str) -> Result<StudyOutput> {
    match id {
        "smoothing" | "01" | "1" => smoothing::run(),
        "spectrum" | "02" | "2" => spectrum::run(),
        "wave" | "03" | "3" => wave::run(),
        "xcorr" | "04" | "4" => xcorr::run(),
        "neuron" | "05" | "5" => neuron::run(),
        "density" | "06" | "6" => density::run(),
        _ => Err(StudyError::UnknownStudy(
            id.to_string(),
            STUDIES
                .iter()
                .map(|(_, id, _)| *id)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Writes `contents` to `path` without destroying what it replaces; see
/// [`files::write_file`].
///
/// # Errors
/// The file system's, or a path that is a folder.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    files::write_file(path, contents)
}

/// Writes the studies' figures into `dir` (SVG and PNG) and merges their
/// summary sections into `dir/summary.md`, keeping the other studies'
/// sections. The whole set is written or nothing is ([`files::write_set`]):
/// existing files are replaced only in a folder numlab wrote before. Returns
/// the paths written.
///
/// # Errors
/// Drawing or file-system errors; a folder that holds a user's file of one of
/// the names.
pub fn write_outputs(outputs: &[StudyOutput], dir: &Path) -> Result<Vec<PathBuf>> {
    let mut set = Vec::new();
    for output in outputs {
        for f in &output.figures {
            set.push((
                format!("{}.svg", f.name),
                f.figure.to_svg_string()?.into_bytes(),
            ));
            set.push((format!("{}.png", f.name), f.figure.to_png_bytes()?));
        }
    }
    let summary = dir.join(files::SUMMARY_NAME);
    // A summary.md that is not numlab's is refused by write_set; start afresh then.
    let mut text = fs::read_to_string(&summary)
        .ok()
        .filter(|t| t.starts_with(files::SUMMARY_FIRST_LINE))
        .unwrap_or_default();
    for output in outputs {
        text = merge_summary(&text, output.number, &output.summary);
    }
    set.push((files::SUMMARY_NAME.to_string(), text.into_bytes()));
    files::write_set(dir, &set)
}

const SUMMARY_HEAD: &str = "# numlab: key numbers of each study\n\nGenerated by `numlab figures`; do not edit by hand. Sections headed \"Measured on this machine\" hold timings and change from run to run; everything else is reproduced byte for byte from the studies' seeds.\n";

/// Replaces (or inserts, in study order) the section of study `number` in a
/// `summary.md` text. Sections are delimited by `<!-- study NN -->` markers.
pub fn merge_summary(old: &str, number: &str, section: &str) -> String {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut rest = old;
    while let Some(start) = rest.find("<!-- study ") {
        let after = &rest[start + 11..];
        let Some(close) = after.find(" -->") else {
            break;
        };
        let num = after[..close].to_string();
        let body_start = start + 11 + close + 4;
        let end_marker = format!("<!-- end study {num} -->");
        let Some(end) = rest[body_start..].find(&end_marker) else {
            break;
        };
        sections.push((num, rest[body_start..body_start + end].trim().to_string()));
        rest = &rest[body_start + end + end_marker.len()..];
    }
    sections.retain(|(n, _)| n != number);
    sections.push((number.to_string(), section.trim().to_string()));
    sections.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::from(SUMMARY_HEAD);
    for (n, body) in sections {
        out.push_str(&format!(
            "\n<!-- study {n} -->\n{body}\n<!-- end study {n} -->\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_sections_merge_in_order() {
        let a = merge_summary("", "02", "## two\nb");
        let b = merge_summary(&a, "01", "## one\na");
        let c = merge_summary(&b, "02", "## two\nB");
        assert!(c.find("## one").unwrap() < c.find("## two").unwrap());
        assert!(c.contains("B") && !c.contains("\nb\n"));
        assert_eq!(merge_summary(&c, "02", "## two\nB"), c);
    }
}
