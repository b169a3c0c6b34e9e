//! A file's bytes: memory-mapped when it is a regular file of some size,
//! read into memory otherwise (a small file, a FIFO, `/dev/stdin`).

use std::fs::File;
use std::io::Read;

/// Below this size a file is read, not mapped (a map costs a few system calls
/// and page faults that a small read does not).
const MAP_FROM: u64 = 1 << 16;

/// Maps of at least this many bytes are unmapped on a pool thread (see
/// [`Map`]).
const UNMAP_ASIDE_FROM: usize = 16 << 20;

/// The bytes of an input file.
pub(crate) enum Source {
    /// A regular file, mapped read-only.
    Mapped(Map),
    /// Anything else, read to its end.
    Read(Vec<u8>),
}

impl Source {
    /// Opens `path`; any failure is left to the reference reader to word.
    pub(crate) fn open(path: &str) -> std::io::Result<Self> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_file() && meta.len() >= MAP_FROM {
            // SAFETY: the map is read-only and private to this process; the
            // bytes are only read, as plain `u8`s. Another process that
            // truncates or rewrites the file while numlab reads it can make
            // the values it reads garbage or (truncation) raise SIGBUS, as
            // with every reader that maps its input (ripgrep, polars); numlab
            // does not write its inputs.
            if let Ok(map) = unsafe { memmap2::MmapOptions::new().map(&file) } {
                #[cfg(unix)]
                let _ = map.advise(memmap2::Advice::Sequential);
                return Ok(Source::Mapped(Map(Some(map))));
            }
        }
        let mut bytes = Vec::with_capacity(if meta.is_file() {
            meta.len() as usize
        } else {
            0
        });
        file.read_to_end(&mut bytes)?;
        Ok(Source::Read(bytes))
    }

    /// Lets the system drop the pages of `range` from this process's
    /// memory (they stay in the page cache): a stream over a mapped file
    /// keeps its resident memory bounded. Whole pages only; a no-op for a
    /// file that was read.
    pub(crate) fn release(&self, range: std::ops::Range<usize>) {
        #[cfg(unix)]
        if let Some(m) = match self {
            Source::Mapped(m) => m.map(),
            Source::Read(_) => None,
        } {
            const PAGE: usize = 4096;
            let start = range.start.div_ceil(PAGE) * PAGE;
            let end = (range.end / PAGE * PAGE).min(m.len());
            if end > start {
                // SAFETY: the map is a private, read-only map of a file;
                // MADV_DONTNEED drops this process's copies of its pages, and a
                // later read of them reads the file again (the same bytes). No
                // reference into the range is used after this call: the
                // caller passes bytes it has finished with.
                let _ = unsafe {
                    m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
                };
            }
        }
    }

    /// [`Source::release`] of the whole pages of `part`, a slice of
    /// [`Source::bytes`] (any other slice: nothing).
    pub(crate) fn release_part(&self, part: &[u8]) {
        let start = (part.as_ptr() as usize).wrapping_sub(self.bytes().as_ptr() as usize);
        if start <= self.bytes().len() && part.len() <= self.bytes().len() - start {
            self.release(start..start + part.len());
        }
    }

    /// The file's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Mapped(m) => m,
            Source::Read(v) => v,
        }
    }
}

/// A read-only map of a file. A large one is unmapped on a thread of
/// numlab's pool, not on the thread that drops it: taking down the page
/// table entries of a 190 MB map takes about 15 ms, which the dropping
/// thread (about to print a result, or to exit) need not wait for. The
/// process's exit waits for an unmapping under way, and unmaps the file
/// itself if the pool has not started it.
pub(crate) struct Map(Option<memmap2::Mmap>);

impl std::ops::Deref for Map {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.0.as_deref().unwrap_or_default()
    }
}

impl Map {
    /// The map, for advice.
    #[cfg(unix)]
    fn map(&self) -> Option<&memmap2::Mmap> {
        self.0.as_ref()
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        if let Some(map) = self.0.take() {
            if map.len() >= UNMAP_ASIDE_FROM {
                numlab_core::threads::install(|| rayon::spawn(move || drop(map)));
            }
        }
    }
}
