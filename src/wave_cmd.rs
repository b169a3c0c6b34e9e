//! `numlab wave`: a convergence study of the staggered leapfrog (study 03).

use clap::Args;

use crate::output::outln;
use numlab_core::wave::{ConvergenceStudy, Init, Problem};

/// Arguments of `numlab wave`.
#[derive(Args)]
pub struct WaveArgs {
    /// CFL number c = dt/dx, in (0, 1]; the end time is hit exactly with
    /// K = ceil(T/(c dx)) steps of dt = T/K. Each grid may take at most 1e12
    /// cell updates (n K): a CFL too small for that is refused by name.
    #[arg(
        long,
        value_name = "C",
        default_value_t = 0.3,
        allow_hyphen_values = true
    )]
    cfl: f64,
    /// End time T. Each grid may take at most 1e12 cell updates (n cells x K
    /// steps), which bounds T: e.g. T <= 1.2e8 on 50 cells at CFL 0.3.
    #[arg(
        long = "t-end",
        value_name = "T",
        default_value_t = 2.0,
        allow_hyphen_values = true
    )]
    t_end: f64,
    /// Grids (cell counts, comma separated); default the questioner's 50,100,...,950.
    /// Each at most 16777216 cells (2^24, about 400 MB); all are checked before any runs.
    #[arg(
        long,
        value_name = "N,N,...",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    grids: Vec<usize>,
    /// How u is started at (x + dx/2, dt/2): exact, taylor or naive (u(0) used as u(dt/2)).
    #[arg(long, value_name = "INIT", default_value = "taylor")]
    init: String,
    /// Test problem: standing (the questioner's p0 = cos 2πx, u0 = -cos 2πx) or
    /// general (f = cos 2πs, g = 2 sin 6πs).
    #[arg(long, value_name = "PROBLEM", default_value = "general")]
    problem: String,
    /// Print {"levels": [{"n", "dx", "dt", "error_l2_p", "error_l2_u",
    /// "error_max_p", "error_max_u"}...], "order_l2_p", "order_l2_u"}.
    #[arg(long)]
    json: bool,
}

/// The library's error, led by the flag that set the parameter it names.
fn flag_error(e: numlab_core::NumlabError) -> String {
    let flag = match (&e, e.parameter()) {
        (numlab_core::NumlabError::TooShort { .. }, Some("grids")) => Some("--grids"),
        (numlab_core::NumlabError::TooShort { .. }, _) => None,
        (_, Some("cfl")) => Some("--cfl"),
        (_, Some("t_end")) => Some("--t-end"),
        (_, Some("n")) => Some("--grids"),
        _ => None,
    };
    match flag {
        Some(f) => e.for_option(f),
        None => e.to_string(),
    }
}

/// Runs the study and prints the table (or JSON).
pub fn run(a: WaveArgs) -> Result<(), String> {
    let init: Init = a
        .init
        .parse()
        .map_err(|e: numlab_core::NumlabError| e.to_string())?;
    let problem: Problem = a
        .problem
        .parse()
        .map_err(|e: numlab_core::NumlabError| e.to_string())?;
    let grids = if a.grids.is_empty() {
        (1..=19).map(|k| 50 * k).collect()
    } else {
        a.grids
    };
    let progress = crate::progress::Progress::steps("wave", 0, "cell updates");
    let table = ConvergenceStudy::new(grids, a.cfl, a.t_end)
        .map_err(flag_error)?
        .with_init(init)
        .with_problem(problem)
        .run_with_progress(&|done, total| progress.update(done, total))
        .map_err(flag_error)?;
    drop(progress);
    if a.json {
        let levels: Vec<serde_json::Value> = table
            .levels
            .iter()
            .map(|l| {
                serde_json::json!({
                    "n": l.n,
                    "dx": l.dx,
                    "dt": l.dt,
                    "error_l2_p": l.error_l2_p,
                    "error_l2_u": l.error_l2_u,
                    "error_max_p": l.error_max_p,
                    "error_max_u": l.error_max_u,
                })
            })
            .collect();
        let out = serde_json::json!({
            "levels": levels,
            "order_l2_p": table.order_l2_p,
            "order_l2_u": table.order_l2_u,
        });
        outln!("{out}");
    } else {
        outln!("{table}");
    }
    Ok(())
}
