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
//!
//! At start a store is compacted only when that would give back at least half its disk: when it
//! takes more than [`MAX_DISK_PER_FRESH`] times what a fresh copy of its live data takes. A fresh
//! copy is not the size of its keys and values (sled's pages and log add about as much again), so
//! each compaction measures its copy and records the ratio in the store (`meta/compacted`); a
//! store never compacted is taken to need [`DEFAULT_FRESH_PER_LIVE`]. A just-compacted store is
//! thus not compacted again at the next start. [`Progress`] tells how far a running compaction
//! is, for the log and `/healthz`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{StoreError, keys};

/// Stores smaller than this on disk are never compacted at start (`[store] compact_min_mb`'s
/// default).
pub const MIN_DISK_BYTES: u64 = 64 * 1024 * 1024;

/// A store is compacted at start when its files take more than this many times what a fresh copy
/// of its live data would take.
pub const MAX_DISK_PER_FRESH: f64 = 2.0;

/// Bytes on disk per byte of keys and values in a fresh copy, until a compaction of the store
/// measured it (a copy of a real store measured 1.86).
pub const DEFAULT_FRESH_PER_LIVE: f64 = 2.0;

/// A ratio measured on a copy of fewer live bytes than this is not used: sled's fixed files
/// weigh too much in it. (Above it, it depends on the records: 1.86 for a store of incidents,
/// over 9 for one of 34-byte index records.)
const MEASURED_FROM: u64 = 1024 * 1024;

/// How often a running compaction logs how far it is.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Debug builds only: while the file this variable names exists, a compaction at start waits
/// before it copies anything (tests look at the daemon meanwhile). Release builds do not read it.
pub const HOLD_ENV: &str = "SITREP_TEST_COMPACT_HOLD";

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

/// How far a compaction is: shared with whoever reports it (the log, `/healthz` at start).
#[derive(Debug, Default)]
pub struct Progress {
    running: AtomicBool,
    records: AtomicU64,
    copied: AtomicU64,
}

impl Progress {
    /// Whether a compaction was found worth it and has started (and not yet ended).
    pub fn running(&self) -> bool {
        self.running.load(Ordering::Relaxed)
    }

    /// Records copied so far, and records to copy.
    pub fn copied(&self) -> (u64, u64) {
        (
            self.copied.load(Ordering::Relaxed),
            self.records.load(Ordering::Relaxed),
        )
    }

    fn start(&self, records: u64) {
        self.records.store(records, Ordering::Relaxed);
        self.copied.store(0, Ordering::Relaxed);
        self.running.store(true, Ordering::Relaxed);
    }

    fn advance(&self, copied: u64) {
        self.copied.store(copied, Ordering::Relaxed);
    }

    fn end(&self) {
        self.running.store(false, Ordering::Relaxed);
    }
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
/// [`MAX_DISK_PER_FRESH`] times what a fresh copy would; `None` when it does not.
pub fn compact_if_worth(path: &Path, cache_mb: u64) -> Result<Option<Compacted>, StoreError> {
    compact_if_over(path, cache_mb, MIN_DISK_BYTES, &Progress::default())
}

/// [`compact_if_worth`] with another floor than [`MIN_DISK_BYTES`] (`[store] compact_min_mb`;
/// tests use small stores), telling `progress` how far it is.
pub fn compact_if_over(
    path: &Path,
    cache_mb: u64,
    min_disk_bytes: u64,
    progress: &Progress,
) -> Result<Option<Compacted>, StoreError> {
    let p = Paths::of(path);
    let _lock = lock(&p)?;
    finish_locked(&p)?;
    if !path.exists() || disk_usage(path) <= min_disk_bytes {
        return Ok(None);
    }
    let db = super::open_db(path, cache_mb)?;
    let (live, records) = live_bytes(&db)?;
    let fresh = fresh_estimate(&db, live)?;
    drop(db);
    let disk = disk_usage(path);
    if disk as f64 <= fresh as f64 * MAX_DISK_PER_FRESH {
        return Ok(None);
    }
    // The copy takes what a fresh copy takes until the swap; a quarter more as a margin.
    let free = fs2::available_space(path).unwrap_or(u64::MAX);
    if free < fresh.saturating_add(fresh / 4) {
        tracing::warn!(path = %path.display(), free, live, "store not compacted: too little free disk for the copy");
        return Ok(None);
    }
    tracing::info!(
        path = %path.display(),
        disk_mib = disk / 1_048_576,
        fresh_mib = fresh / 1_048_576,
        records,
        "store compacting: it takes more than twice what a fresh copy would"
    );
    progress.start(records);
    hold();
    let done = compact_locked(&p, cache_mb, None, progress);
    progress.end();
    done.map(Some)
}

/// What a fresh copy of `live` bytes of keys and values takes on disk: with the ratio the
/// store's last compaction measured, else [`DEFAULT_FRESH_PER_LIVE`].
fn fresh_estimate(db: &sled::Db, live: u64) -> Result<u64, StoreError> {
    let measured = db
        .open_tree(keys::META)?
        .get(keys::META_COMPACTED)?
        .and_then(|v| <[u8; 16]>::try_from(v.as_ref()).ok())
        .and_then(|b| {
            let [fresh, live] = [&b[..8], &b[8..]]
                .map(|half| u64::from_be_bytes(half.try_into().expect("8 bytes")));
            (live >= MEASURED_FROM).then(|| fresh as f64 / live as f64)
        })
        .filter(|r| r.is_finite() && *r >= 1.0);
    let ratio = measured.unwrap_or(DEFAULT_FRESH_PER_LIVE);
    Ok((live as f64 * ratio) as u64)
}

/// Debug builds: waits while the file [`HOLD_ENV`] names exists.
#[cfg(debug_assertions)]
fn hold() {
    if let Some(file) = std::env::var_os(HOLD_ENV) {
        while Path::new(&file).exists() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Release builds: never waits.
#[cfg(not(debug_assertions))]
fn hold() {}

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
    compact_locked(&p, cache_mb, stop, &Progress::default())
}

/// The compaction itself, the compaction lock held.
fn compact_locked(
    p: &Paths,
    cache_mb: u64,
    stop: Option<Step>,
    progress: &Progress,
) -> Result<Compacted, StoreError> {
    let before = disk_usage(&p.store);
    let (live, records) = match copy_into_new(p, cache_mb, stop, progress) {
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
/// closed, with what it takes on disk recorded in it (`meta/compacted`). Returns the bytes and
/// records copied.
fn copy_into_new(
    p: &Paths,
    cache_mb: u64,
    stop: Option<Step>,
    progress: &Progress,
) -> Result<(u64, u64), StoreError> {
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
    let mut logged = Instant::now();
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
                progress.advance(records);
                if logged.elapsed() >= LOG_EVERY {
                    logged = Instant::now();
                    log_progress(&p.store, progress);
                }
            }
        }
        to.apply_batch(batch)?;
        progress.advance(records);
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
    // What the fresh copy takes, for the estimate at the next start.
    let mut measured = disk_usage(&p.new).to_be_bytes().to_vec();
    measured.extend_from_slice(&live.to_be_bytes());
    new.open_tree(keys::META)?
        .insert(keys::META_COMPACTED, measured)?;
    new.flush()?;
    drop(new);
    drop(old);
    Ok((live, records))
}

/// One INFO line: how far the compaction of the store at `path` is.
fn log_progress(path: &Path, progress: &Progress) {
    let (copied, records) = progress.copied();
    tracing::info!(
        path = %path.display(),
        copied,
        records,
        percent = copied * 100 / records.max(1),
        "store compacting"
    );
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
