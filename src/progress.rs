//! A progress bar on stderr for work that runs longer than about a second,
//! shown only when stderr is a terminal (never in tests, pipes or CI logs).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no bar.
const AFTER: Duration = Duration::from_secs(1);

/// Progress through `total` units (bytes of a file) of a named piece of work.
pub(crate) struct Progress {
    what: String,
    total: u64,
    start: Instant,
    /// Whether a bar may be shown at all (stderr is a terminal).
    shown: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress of `what` (e.g. "reading data.csv") through `total` units.
    pub(crate) fn new(what: &str, total: u64) -> Self {
        Progress {
            what: what.to_string(),
            total,
            start: Instant::now(),
            shown: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    /// `done` units are done; the bar appears once the work has run for a second.
    pub(crate) fn set(&mut self, done: u64) {
        if !self.shown {
            return;
        }
        if self.bar.is_none() && self.start.elapsed() >= AFTER && done < self.total {
            let bar = ProgressBar::with_draw_target(Some(self.total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(self.what.clone());
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }
}

impl Drop for Progress {
    /// The bar, if shown, is cleared from the terminal.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under `cargo test` stderr is captured or piped: no bar, ever.
    #[test]
    fn no_bar_without_a_terminal() {
        if std::io::stderr().is_terminal() {
            return;
        }
        let mut p = Progress::new("reading", 10);
        p.start = Instant::now()
            .checked_sub(Duration::from_secs(5))
            .unwrap_or(p.start);
        p.set(3);
        assert!(p.bar.is_none());
    }
}
