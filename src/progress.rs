//! A progress bar on stderr for work that runs longer than about a second,
//! shown only when stderr is a terminal (never in tests, pipes or CI logs).
//!
//! One [`Progress`] per piece of work (reading a file, by bytes; a
//! simulation, by steps), updated from any thread ([`Progress::set`],
//! [`Progress::add`]; it is `Sync`). It draws nothing for its first second,
//! so quick work never flickers a bar, and nothing at all when stderr is not
//! a terminal: it then holds no bar and every update returns at once.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no bar.
const AFTER: Duration = Duration::from_secs(1);

/// Progress through `total` units of a named piece of work.
pub(crate) struct Progress {
    total: AtomicU64,
    start: Instant,
    /// The bar, hidden until [`AFTER`]; `None` when stderr is not a terminal.
    bar: Option<ProgressBar>,
    /// The bar has been put on stderr.
    shown: AtomicBool,
}

impl Progress {
    /// Progress of `what` (e.g. "reading data.csv") through `total` bytes.
    pub(crate) fn bytes(what: &str, total: u64) -> Self {
        Self::with_template(
            what,
            total,
            "{msg} [{bar:24}] {bytes}/{total_bytes} ({eta} left)",
            std::io::stderr().is_terminal(),
        )
    }

    /// Progress of `what` (e.g. "network") through `total` steps, named
    /// `unit` (e.g. "steps"); the total may come later, by
    /// [`update`](Self::update).
    pub(crate) fn steps(what: &str, total: u64, unit: &str) -> Self {
        Self::with_template(
            what,
            total,
            &format!("{{msg}} [{{bar:24}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)"),
            std::io::stderr().is_terminal(),
        )
    }

    fn with_template(what: &str, total: u64, template: &str, terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            bar
        });
        Progress {
            total: AtomicU64::new(total),
            start: Instant::now(),
            bar,
            shown: AtomicBool::new(false),
        }
    }

    /// `done` units are done.
    pub(crate) fn set(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            self.show(bar, done);
        }
    }

    /// `done` of `total` units are done (the form of the core's progress
    /// callbacks, which know the total).
    pub(crate) fn update(&self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            if self.total.swap(total, Ordering::Relaxed) != total {
                bar.set_length(total);
            }
            bar.set_position(done);
            self.show(bar, done);
        }
    }

    /// `n` more units are done (from any thread).
    pub(crate) fn add(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
            self.show(bar, bar.position());
        }
    }

    /// Puts the bar on stderr once the work has run for [`AFTER`] and is
    /// not done.
    fn show(&self, bar: &ProgressBar, done: u64) {
        if !self.shown.load(Ordering::Relaxed)
            && done < self.total.load(Ordering::Relaxed)
            && self.start.elapsed() >= AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// A spinner for a computation whose progress is not counted (a KDE, the
/// correlation of `lag`): drawn on stderr once it has run for about a
/// second, when stderr is a terminal; cleared when dropped.
pub(crate) struct Spinner {
    /// Tells the waiting thread the work is done.
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    /// A spinner for `what` (e.g. "density: kde").
    pub(crate) fn new(what: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Spinner {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let what = what.to_string();
        let thread = std::thread::Builder::new()
            .name("numlab-spinner".into())
            .spawn(move || {
                // Done within a second: nothing is drawn.
                if wait.recv_timeout(AFTER) != Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                    return;
                }
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                    bar.set_style(style);
                }
                bar.set_message(what);
                bar.enable_steady_tick(Duration::from_millis(120));
                let _ = wait.recv();
                bar.finish_and_clear();
            })
            .ok();
        Spinner {
            done: Some(done),
            thread,
        }
    }
}

impl Drop for Spinner {
    /// The spinner, if drawn, is cleared before the command prints anything
    /// more.
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
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

    /// Not a terminal (under `cargo test` stderr is captured or piped): no
    /// bar at all, whatever the updates.
    #[test]
    fn no_bar_without_a_terminal() {
        if std::io::stderr().is_terminal() {
            return;
        }
        for mut p in [
            Progress::bytes("reading", 10),
            Progress::steps("run", 10, "steps"),
        ] {
            p.start = Instant::now()
                .checked_sub(Duration::from_secs(5))
                .unwrap_or(p.start);
            p.set(3);
            p.add(2);
            assert!(p.bar.is_none());
            assert!(!p.shown.load(Ordering::Relaxed));
        }
    }

    /// On a terminal: hidden for the first second, then shown (once) while
    /// the work is not done; updates from several threads add up.
    #[test]
    fn shown_after_a_second_only() {
        let p = Progress::with_template("w", 100, "{msg} {pos}", true);
        p.set(10);
        assert!(!p.shown.load(Ordering::Relaxed));
        let mut late = Progress::with_template("w", 100, "{msg} {pos}", true);
        late.start = Instant::now()
            .checked_sub(Duration::from_secs(5))
            .unwrap_or(late.start);
        late.set(100);
        assert!(
            !late.shown.load(Ordering::Relaxed),
            "done work shows no bar"
        );
        late.set(0);
        use rayon::prelude::*;
        (0..40).into_par_iter().for_each(|_| late.add(1));
        assert!(late.shown.load(Ordering::Relaxed));
        assert_eq!(late.bar.as_ref().map(|b| b.position()), Some(40));
    }
}
