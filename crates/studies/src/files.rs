//! Writing results to files without destroying what they replace.
//!
//! Two entry points, used by the `numlab` command line and [`crate::write_outputs`]:
//!
//! - [`write_file`] writes one output (`--output FILE`). What happens depends
//!   on what `FILE` is:
//!
//!   | `FILE` is | what is written |
//!   |---|---|
//!   | absent | a new file, through a temporary name and a rename (no half-written file on error) |
//!   | a regular file | replaced the same way; its permissions (and, where allowed, its owner) are kept |
//!   | a regular file with other hard links | written in place, so every link sees the new contents |
//!   | a symbolic link | the rules above applied to the file it points to (the link stays) |
//!   | a character device or a FIFO (`/dev/stdout`, a named pipe) | written through, never renamed over |
//!   | a folder, a block device, a socket | refused |
//!
//! - [`write_set`] writes a set of files into one folder (the figures and
//!   `summary.md`): the whole set is staged in a temporary folder inside the
//!   target and moved in only when every file is written, so a failed run
//!   leaves the folder as it was. It replaces only files that numlab wrote
//!   before: into a folder that holds a numlab `summary.md`, into an empty
//!   folder, or into a folder where none of the names is taken.
//!
//! Temporary names are short (`.numlab-PID-N.tmp`), so any output name the
//! file system accepts works, up to its 255-byte limit.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Result, StudyError};

fn err(path: &Path, message: impl Into<String>) -> StudyError {
    StudyError::Io {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn io_err(path: &Path, e: &io::Error) -> StudyError {
    err(path, e.to_string())
}

/// A short temporary name, unique within this process.
fn temp_name(kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".numlab-{}-{n}.{kind}", std::process::id())
}

/// The folder a file `path` lives in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// True when the path names a folder by its spelling: empty, `.`, `..`, or
/// ending in a separator.
fn names_a_folder(path: &Path) -> bool {
    let s = path.as_os_str().to_string_lossy();
    s.is_empty()
        || s.ends_with(std::path::MAIN_SEPARATOR)
        || s.ends_with('/')
        // `.`, `..`, `/`, `a/..`
        || path.file_name().is_none()
}

/// Follows symbolic links from `path` to the file they name (which may not
/// exist yet). At most 40 links, as the kernel allows.
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p).map_err(|e| io_err(path, &e))?;
                p = if to.is_absolute() {
                    to
                } else {
                    parent_of(&p).join(to)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(err(path, "too many levels of symbolic links"))
}

#[cfg(unix)]
fn is_device_or_fifo(m: &Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    t.is_char_device() || t.is_fifo()
}

#[cfg(not(unix))]
fn is_device_or_fifo(_: &Metadata) -> bool {
    false
}

#[cfg(unix)]
fn link_count(m: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.nlink()
}

#[cfg(not(unix))]
fn link_count(_: &Metadata) -> u64 {
    1
}

/// What kind of thing `m` is, for messages.
fn kind_of(m: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
    }
    if m.is_dir() {
        "a folder"
    } else if m.file_type().is_symlink() {
        "a symbolic link"
    } else if m.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Creates a new file for writing with the permissions (and, where the
/// process may, the owner) of `like`, or the default permissions.
fn create_like(path: &Path, like: Option<&Metadata>) -> io::Result<File> {
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    if let Some(m) = like {
        file.set_permissions(m.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; for anyone else the owner stays theirs.
            let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
        }
    }
    Ok(file)
}

/// Writes `contents` to a new temporary file beside `target` and renames it
/// over `target`, keeping the permissions of `old`.
fn replace_atomic(target: &Path, fill: Fill<'_>, old: Option<&Metadata>) -> io::Result<()> {
    let tmp = parent_of(target).join(temp_name("tmp"));
    let result = create_like(&tmp, old)
        .and_then(|mut f| fill(&mut f))
        .and_then(|()| fs::rename(&tmp, target));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Checks, before any work is done, that `path` can name an output: not a
/// folder (by its spelling or on disk), a block device or a socket.
///
/// # Errors
/// As [`write_file`] for those cases.
pub fn check_output(path: &Path) -> Result<()> {
    if names_a_folder(path) {
        return Err(err(path, "names a folder; the output must be a file"));
    }
    match fs::metadata(resolve_links(path)?) {
        Ok(m) if m.is_dir() => Err(err(path, "is a folder; the output must be a file")),
        Ok(m) if !m.is_file() && !is_device_or_fifo(&m) => Err(err(
            path,
            format!(
                "is {}; the output must be a file, a character device or a FIFO",
                kind_of(&m)
            ),
        )),
        _ => Ok(()),
    }
}

/// Writes `contents` to `path` without destroying what it replaces (see the
/// module docs for what happens to files, links, devices and FIFOs).
///
/// # Errors
/// A path that names a folder, a block device or a socket; the file system's
/// errors. The error names `path` as given.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    write_file_with(path, &mut |w| w.write_all(contents))
}

/// What [`write_file_with`] calls to write a file's contents.
pub type Fill<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// [`write_file`] with the contents written by `fill` (a piece at a time,
/// for output larger than memory), to the same places in the same way: a
/// new or replaced file through a temporary file renamed over it only when
/// `fill` succeeds (an error leaves the old file, or none); a hard-linked
/// file, a device or a FIFO written in place.
///
/// # Errors
/// As [`write_file`], and `fill`'s error.
pub fn write_file_with(path: &Path, fill: Fill<'_>) -> Result<()> {
    if names_a_folder(path) {
        return Err(err(path, "names a folder; the output must be a file"));
    }
    let target = resolve_links(path)?;
    match fs::symlink_metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let dir = parent_of(&target);
            match fs::metadata(dir) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(err(path, format!("{} is not a folder", dir.display()))),
                Err(_) => return Err(err(path, format!("no such folder: {}", dir.display()))),
            }
            replace_atomic(&target, fill, None).map_err(|e| io_err(path, &e))
        }
        Err(e) => Err(io_err(path, &e)),
        Ok(m) if m.is_dir() => Err(err(path, "is a folder; the output must be a file")),
        Ok(m) if m.is_file() && link_count(&m) > 1 => {
            // Renaming over one name of a hard-linked file would split it from
            // its other names: write in place instead, as cp does.
            OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)
                .and_then(|mut f| fill(&mut f))
                .map_err(|e| io_err(path, &e))
        }
        Ok(m) if m.is_file() => {
            replace_atomic(&target, fill, Some(&m)).map_err(|e| io_err(path, &e))
        }
        Ok(m) if is_device_or_fifo(&m) => OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|mut f| fill(&mut f).and_then(|()| f.flush()))
            .map_err(|e| io_err(path, &e)),
        Ok(m) => Err(err(
            path,
            format!(
                "is {}; the output must be a file, a character device or a FIFO",
                kind_of(&m)
            ),
        )),
    }
}

/// The first line of every `summary.md` numlab writes; a folder holding a
/// `summary.md` that starts with it is numlab's.
pub const SUMMARY_FIRST_LINE: &str = "# numlab: key numbers of each study";

/// The name of the summary in a figures folder.
pub const SUMMARY_NAME: &str = "summary.md";

/// True when `dir/summary.md` is a regular file that numlab wrote.
fn is_numlab_folder(dir: &Path) -> bool {
    let summary = dir.join(SUMMARY_NAME);
    match fs::symlink_metadata(&summary) {
        Ok(m) if m.is_file() => fs::read(&summary)
            .is_ok_and(|b| b.split(|&c| c == b'\n').next() == Some(SUMMARY_FIRST_LINE.as_bytes())),
        _ => false,
    }
}

/// Removes a staging folder and what is in it (files only: it holds no folders).
fn remove_stage(stage: &Path) {
    if let Ok(entries) = fs::read_dir(stage) {
        for e in entries.flatten() {
            let _ = fs::remove_file(e.path());
        }
    }
    let _ = fs::remove_dir(stage);
}

/// Writes every `(name, contents)` of `files` into `dir`, all or nothing.
///
/// The set is staged in a temporary folder inside `dir` and moved in only when
/// every file is written; if a move fails, the files already moved are put
/// back as they were. `dir` is created when missing (and removed again if the
/// run fails). An existing file is replaced only when `dir` is numlab's (its
/// `summary.md` starts with [`SUMMARY_FIRST_LINE`]); a name taken by anything
/// but a regular file is refused. Replaced files keep their permissions.
/// Returns the paths written, in the order given.
///
/// # Errors
/// A name that is taken by a user's file, a folder or a link; a `dir` that is
/// not a folder; the file system's errors. Nothing in `dir` has changed when
/// an error is returned.
pub fn write_set(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    let created = match fs::metadata(dir) {
        Ok(m) if m.is_dir() => false,
        Ok(m) => {
            return Err(err(
                dir,
                format!("is {}; figures need a folder", kind_of(&m)),
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| io_err(dir, &e))?;
            true
        }
        Err(e) => return Err(io_err(dir, &e)),
    };
    let undo_dir = || {
        if created {
            let _ = fs::remove_dir(dir);
        }
    };
    // Every name is checked before anything is written.
    let ours = is_numlab_folder(dir);
    let mut old: Vec<Option<Metadata>> = Vec::with_capacity(files.len());
    for (name, _) in files {
        let target = dir.join(name);
        match fs::symlink_metadata(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => old.push(None),
            Err(e) => {
                undo_dir();
                return Err(io_err(&target, &e));
            }
            Ok(m) if m.is_file() && ours && link_count(&m) == 1 => old.push(Some(m)),
            Ok(m) if m.is_file() && link_count(&m) == 1 => {
                return Err(err(
                    &target,
                    "exists and was not written by numlab (the folder has no numlab summary.md); \
                     choose an empty folder or move the file away",
                ));
            }
            Ok(m) if m.is_file() => {
                return Err(err(
                    &target,
                    "has other hard links; numlab replaces only files it wrote",
                ));
            }
            Ok(m) => {
                return Err(err(
                    &target,
                    format!(
                        "is {}; numlab writes figures only as regular files",
                        kind_of(&m)
                    ),
                ));
            }
        }
    }
    // Stage.
    let stage = dir.join(temp_name("stage"));
    if let Err(e) = fs::create_dir(&stage) {
        undo_dir();
        return Err(io_err(dir, &e));
    }
    let fail = |path: &Path, e: &io::Error| {
        remove_stage(&stage);
        undo_dir();
        io_err(path, e)
    };
    for ((name, contents), old) in files.iter().zip(&old) {
        if let Err(e) =
            create_like(&stage.join(name), old.as_ref()).and_then(|mut f| f.write_all(contents))
        {
            return Err(fail(&dir.join(name), &e));
        }
    }
    // Keep the files being replaced (hard links into the stage), then move in.
    let backup = |name: &str| stage.join(format!(".old-{name}"));
    let mut kept = vec![false; files.len()];
    for (k, ((name, _), old)) in files.iter().zip(&old).enumerate() {
        if old.is_some() {
            kept[k] = fs::hard_link(dir.join(name), backup(name)).is_ok();
        }
    }
    for (k, (name, _)) in files.iter().enumerate() {
        if let Err(e) = fs::rename(stage.join(name), dir.join(name)) {
            // Put back what was moved: the old file where there was one.
            for (j, (done, _)) in files.iter().enumerate().take(k) {
                if kept[j] {
                    let _ = fs::rename(backup(done), dir.join(done));
                } else if old[j].is_none() {
                    let _ = fs::remove_file(dir.join(done));
                }
            }
            return Err(fail(&dir.join(name), &e));
        }
    }
    remove_stage(&stage);
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("numlab-files-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn folder_names_are_refused() {
        for p in ["", ".", "..", "a/", "/"] {
            assert!(names_a_folder(Path::new(p)), "{p}");
        }
        for p in ["a", "a/b.csv", "./x"] {
            assert!(!names_a_folder(Path::new(p)), "{p}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_mode_links_and_symlinks() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let d = scratch("replace");
        let f = d.join("f.csv");
        fs::write(&f, "old").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
        write_file(&f, b"new").unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // A symlink stays a symlink; its target gets the contents.
        let l = d.join("l.csv");
        std::os::unix::fs::symlink("f.csv", &l).unwrap();
        write_file(&l, b"via link").unwrap();
        assert!(fs::symlink_metadata(&l).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&f).unwrap(), b"via link");
        // A hard link stays joined.
        let h = d.join("h.csv");
        fs::hard_link(&f, &h).unwrap();
        write_file(&h, b"both").unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"both");
        assert_eq!(fs::metadata(&f).unwrap().nlink(), 2);
        // No temporary file left; a long legal name works.
        let long = d.join("x".repeat(250) + ".csv");
        write_file(&long, b"long").unwrap();
        let names: Vec<String> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(write_file(&d, b"x").is_err());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_set_is_all_or_nothing_and_spares_users_files() {
        let d = scratch("set");
        let set = vec![
            ("a.svg".to_string(), b"a".to_vec()),
            (
                SUMMARY_NAME.to_string(),
                format!("{SUMMARY_FIRST_LINE}\n").into_bytes(),
            ),
        ];
        let out = d.join("new");
        write_set(&out, &set).unwrap();
        write_set(&out, &set).unwrap(); // numlab's own folder: replaced
                                        // A user's summary.md is not replaced, and nothing else is written.
        let user = d.join("user");
        fs::create_dir(&user).unwrap();
        fs::write(user.join(SUMMARY_NAME), "my notes").unwrap();
        let e = write_set(&user, &set).unwrap_err().to_string();
        assert!(
            e.contains("summary.md") && e.contains("not written by numlab"),
            "{e}"
        );
        assert_eq!(fs::read(user.join(SUMMARY_NAME)).unwrap(), b"my notes");
        assert!(!user.join("a.svg").exists());
        // A name taken by a folder: refused before anything is written.
        fs::create_dir(out.join("b.png")).unwrap();
        let set2 = vec![
            ("a.svg".to_string(), b"A".to_vec()),
            ("b.png".to_string(), b"b".to_vec()),
        ];
        assert!(write_set(&out, &set2).is_err());
        assert_eq!(fs::read(out.join("a.svg")).unwrap(), b"a");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 3);
        fs::remove_dir_all(&d).unwrap();
    }
}
