//! Compaction: giving the disk space of deleted records back. sled 0.34 never shrinks its files
//! after deletes, so a pruned store keeps its size; compaction copies every tree of the closed
//! store into a fresh database beside it (`<store>.compact-new`), flushes it, and swaps the
//! directories by renaming them. A marker file (`<store>.compact`), written once the new copy is
//! whole, says which side wins: at any crash, the next open ([`finish_interrupted`]) either drops
//! a partial copy (no marker: the old store is whole) or completes the swap (marker: the new
//! store is whole). Offline only: it runs before the daemon opens the store (when the store is
//! much larger on disk than its live data) and as `sitrep compact`, refused while sled's lock on
//! the store is held; `<store>.compact-lock` keeps two processes from compacting (or finishing
//! an interrupted compaction of) one store at once.

use std::path::{Path, PathBuf};

use super::{StoreError, keys};

/// Stores smaller than this on disk are never compacted at start.
pub const MIN_DISK_BYTES: u64 = 64 * 1024 * 1024;

/// A store is compacted at start when its files take more than this many times its live data.
pub const MAX_DISK_PER_LIVE: u64 = 2;

/// Records copied per batch.
const COPY_BATCH: usize = 10_000;

/// The steps of one compaction, in order; tests stop after each to play a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Every tree copied into the new database.
    Copied,
    /// The new database flushed and closed.
    Flushed,
    /// The marker written: the new database is whole.
    Marked,
    /// The old store renamed to `<store>.compact-old`.
    OldMoved,
    /// The new store renamed to the store's path.
    NewMoved,
    /// The marker removed.
    Unmarked,
}

/// What one compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compacted {
    /// Bytes on disk before and after.
    pub before: u64,
    pub after: u64,
    /// Bytes of keys and values copied, and how many records.
    pub live: u64,
    pub records: u64,
}

/// The paths a compaction of the store at `path` uses beside it.
struct Paths {
    store: PathBuf,
    new: PathBuf,
    old: PathBuf,
    marker: PathBuf,
    lock: PathBuf,
}

impl Paths {
    fn of(path: &Path) -> Paths {
        let with = |suffix: &str| {
            let mut s = path.as_os_str().to_owned();
            s.push(suffix);
            PathBuf::from(s)
        };
        Paths {
            store: path.to_path_buf(),
            new: with(".compact-new"),
            old: with(".compact-old"),
            marker: with(".compact"),
            lock: with(".compact-lock"),
        }
    }
}

/// Compacts the closed store at `path` (refused with [`StoreError::Locked`] while a daemon has it
/// open). Nothing is lost at any crash: see the module documentation.
pub fn compact(path: &Path, cache_mb: u64) -> Result<Compacted, StoreError> {
    compact_until(path, cache_mb, None)
}

/// Compacts the store at `path` when it takes more than [`MIN_DISK_BYTES`] on disk and more than
/// [`MAX_DISK_PER_LIVE`] times its live data; `None` when it does not.
pub fn compact_if_worth(path: &Path, cache_mb: u64) -> Result<Option<Compacted>, StoreError> {
    compact_if_over(path, cache_mb, MIN_DISK_BYTES)
}

/// [`compact_if_worth`] with another floor than [`MIN_DISK_BYTES`] (tests use small stores).
pub fn compact_if_over(
    path: &Path,
    cache_mb: u64,
    min_disk_bytes: u64,
) -> Result<Option<Compacted>, StoreError> {
    let p = Paths::of(path);
    let _lock = lock(&p)?;
    finish_locked(&p)?;
    if !path.exists() || disk_usage(path) <= min_disk_bytes {
        return Ok(None);
    }
    let db = super::open_db(path, cache_mb)?;
    let (live, _) = live_bytes(&db)?;
    drop(db);
    if disk_usage(path) <= live.saturating_mul(MAX_DISK_PER_LIVE) {
        return Ok(None);
    }
    // The copy takes up to about twice its live data (sled's own overhead) until the swap.
    let free = fs2::available_space(path).unwrap_or(u64::MAX);
    if free < live.saturating_mul(2) {
        tracing::warn!(path = %path.display(), free, live, "store not compacted: too little free disk for the copy");
        return Ok(None);
    }
    compact_locked(&p, cache_mb, None).map(Some)
}

/// The compaction, stopping (as a crash would) after `stop` when given: tests play a crash
/// between any two steps with it.
pub fn compact_until(
    path: &Path,
    cache_mb: u64,
    stop: Option<Step>,
) -> Result<Compacted, StoreError> {
    let p = Paths::of(path);
    let _lock = lock(&p)?;
    finish_locked(&p)?;
    compact_locked(&p, cache_mb, stop)
}

/// The compaction itself, the compaction lock held.
fn compact_locked(p: &Paths, cache_mb: u64, stop: Option<Step>) -> Result<Compacted, StoreError> {
    let before = disk_usage(&p.store);
    let (live, records) = match copy_into_new(p, cache_mb, stop) {
        Ok(copied) => copied,
        Err(e) => {
            // A copy that failed (a full disk, say) is not left to take the space.
            let _ = remove_dir(&p.new);
            return Err(e);
        }
    };
    if stop == Some(Step::Copied) || stop == Some(Step::Flushed) {
        return Ok(Compacted {
            before,
            after: before,
            live,
            records,
        });
    }
    swap(p, stop)?;
    Ok(Compacted {
        before,
        after: disk_usage(&p.store),
        live,
        records,
    })
}

/// Takes the compaction lock (`<store>.compact-lock`): one process at a time compacts a store
/// or finishes an interrupted compaction; another is told the store is in use.
fn lock(p: &Paths) -> Result<std::fs::File, StoreError> {
    use fs2::FileExt;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&p.lock)
        .map_err(|source| StoreError::Compact {
            path: p.lock.display().to_string(),
            source,
        })?;
    file.try_lock_exclusive().map_err(|_| StoreError::Locked {
        path: p.store.display().to_string(),
    })?;
    Ok(file)
}

/// Copies every tree of the store into a fresh database at `<store>.compact-new`, flushed and
/// closed. Returns the bytes and records copied.
fn copy_into_new(p: &Paths, cache_mb: u64, stop: Option<Step>) -> Result<(u64, u64), StoreError> {
    let old = super::open_db(&p.store, cache_mb)?;
    remove_dir(&p.new)?;
    let new = sled::Config::new()
        .path(&p.new)
        .cache_capacity(cache_mb.max(1) * 1024 * 1024)
        .create_new(true)
        .open()
        .map_err(|source| StoreError::Open {
            path: p.new.display().to_string(),
            source,
        })?;
    let (mut live, mut records) = (0u64, 0u64);
    for name in old.tree_names() {
        let (from, to) = (old.open_tree(&name)?, new.open_tree(&name)?);
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        for item in from.iter() {
            let (k, v) = item?;
            live += (k.len() + v.len()) as u64;
            records += 1;
            batch.insert(k, v);
            in_batch += 1;
            if in_batch == COPY_BATCH {
                to.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
        }
        to.apply_batch(batch)?;
    }
    // New ids (outbox sequence numbers, subscription ids) must stay above every id the old
    // store gave out: the fresh database counts from 0, so the store adds this floor.
    let floor = super::id_floor(&old)?.saturating_add(old.generate_id()?);
    new.open_tree(keys::META)?
        .insert(keys::META_ID_FLOOR, &floor.to_be_bytes())?;
    if stop == Some(Step::Copied) {
        return Ok((live, records));
    }
    new.flush()?;
    drop(new);
    drop(old);
    Ok((live, records))
}

/// Marks the new database whole, then swaps it in and removes the old one.
fn swap(p: &Paths, stop: Option<Step>) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| StoreError::Compact { path, source }
    };
    write_marker(&p.marker).map_err(io(&p.marker))?;
    if stop == Some(Step::Marked) {
        return Ok(());
    }
    std::fs::rename(&p.store, &p.old).map_err(io(&p.store))?;
    if stop == Some(Step::OldMoved) {
        return Ok(());
    }
    std::fs::rename(&p.new, &p.store).map_err(io(&p.new))?;
    sync_parent(&p.store).map_err(io(&p.store))?;
    if stop == Some(Step::NewMoved) {
        return Ok(());
    }
    std::fs::remove_file(&p.marker).map_err(io(&p.marker))?;
    sync_parent(&p.store).map_err(io(&p.store))?;
    if stop == Some(Step::Unmarked) {
        return Ok(());
    }
    remove_dir(&p.old)
}

/// Completes or undoes a compaction a crash interrupted, so that the store at `path` is whole:
/// with the marker, the new copy is whole and takes the store's place; without it, a partial
/// copy is removed. Returns whether there was anything to do.
pub fn finish_interrupted(path: &Path) -> Result<bool, StoreError> {
    let p = Paths::of(path);
    if !(p.marker.exists() || p.new.exists() || p.old.exists()) {
        return Ok(false);
    }
    let _lock = lock(&p)?;
    finish_locked(&p)
}

/// [`finish_interrupted`], the compaction lock held.
fn finish_locked(p: &Paths) -> Result<bool, StoreError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| StoreError::Compact { path, source }
    };
    let marked = p.marker.exists();
    let acted = marked || p.new.exists() || p.old.exists();
    if marked && p.new.exists() {
        if p.store.exists() {
            remove_dir(&p.old)?;
            std::fs::rename(&p.store, &p.old).map_err(io(&p.store))?;
        }
        std::fs::rename(&p.new, &p.store).map_err(io(&p.new))?;
        sync_parent(&p.store).map_err(io(&p.store))?;
    }
    if !p.store.exists() && p.old.exists() {
        // Not a state compaction leaves; the old store is whole, so it comes back.
        std::fs::rename(&p.old, &p.store).map_err(io(&p.old))?;
    }
    if marked {
        std::fs::remove_file(&p.marker).map_err(io(&p.marker))?;
        sync_parent(&p.store).map_err(io(&p.store))?;
    }
    remove_dir(&p.new)?;
    remove_dir(&p.old)?;
    if acted {
        tracing::warn!(path = %p.store.display(), "finished an interrupted store compaction");
    }
    Ok(acted)
}

/// Bytes of keys and values in every tree, and how many records.
fn live_bytes(db: &sled::Db) -> Result<(u64, u64), StoreError> {
    let (mut bytes, mut records) = (0u64, 0u64);
    for name in db.tree_names() {
        for item in db.open_tree(&name)?.iter() {
            let (k, v) = item?;
            bytes += (k.len() + v.len()) as u64;
            records += 1;
        }
    }
    Ok((bytes, records))
}

/// Bytes the files under `dir` take on disk.
pub fn disk_usage(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_usage(&e.path()),
            Ok(m) => allocated(&m),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(unix)]
fn allocated(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.blocks() * 512
}

#[cfg(not(unix))]
fn allocated(m: &std::fs::Metadata) -> u64 {
    m.len()
}

fn write_marker(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(b"sitrep store compaction: the .compact-new copy is whole\n")?;
    f.sync_all()?;
    sync_parent(path)
}

/// Makes renames and removals in the directory holding `path` durable.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn remove_dir(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Compact {
            path: path.display().to_string(),
            source,
        }),
    }
}
