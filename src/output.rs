//! The one way results leave the command line: stdout, stderr, `--output` files.
//!
//! - Standard output goes through [`print()`] (and the [`outln!`] macro). A
//!   closed pipe (`numlab wave | head -1`) ends the command quietly with
//!   status 0, as `head` users expect; any other write error (`> /dev/full`)
//!   is one error line and status 2. Never a panic.
//! - Messages go to stderr through [`note`] and [`error`], which ignore a
//!   stderr that cannot be written.
//! - Files go through [`write_output`]: devices, FIFOs, symlinks, hard links
//!   and permissions are respected (`numlab_studies::files::write_file`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes a line (like `println!`) through [`print()`]; returns early from the
/// enclosing function with the error of a failed write.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::print(format!("{}\n", format_args!($($arg)*)).as_bytes())?
    };
}
pub(crate) use outln;

/// Writes `bytes` to stdout and flushes. A closed pipe exits the process with
/// status 0 at once (nothing more would be read); another failure is an error
/// naming stdout.
///
/// # Errors
/// `stdout: <reason>` when stdout cannot be written (a full disk or device).
pub fn print(bytes: &[u8]) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(format!("stdout: {e}")),
    }
}

/// A line on stderr, led by `numlab: note:`.
pub fn note(message: &str) {
    let _ = writeln!(io::stderr().lock(), "numlab: note: {message}");
}

/// The one error line on stderr, led by `numlab: error:` (line breaks in the
/// message become spaces).
pub fn error(message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "numlab: error: {}",
        message.replace('\n', " ")
    );
}

/// Writes `bytes` to `path` without destroying what it replaces.
///
/// # Errors
/// `--output PATH: <reason>`.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), String> {
    numlab_studies::files::write_file(path, bytes).map_err(|e| format!("--output {e}"))
}

/// Refuses an `--output` that cannot be written (a folder, a block device),
/// before the command does its work.
///
/// # Errors
/// `--output PATH: <reason>`.
pub fn check_output(path: Option<&PathBuf>) -> Result<(), String> {
    match path {
        Some(p) => numlab_studies::files::check_output(p).map_err(|e| format!("--output {e}")),
        None => Ok(()),
    }
}

/// The result of a command: to `--output` when given, else to stdout.
///
/// # Errors
/// As [`write_output`] and [`print()`].
pub fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => write_output(path, bytes),
        None => print(bytes),
    }
}
