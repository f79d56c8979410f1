//! The store's write health: whether it can take writes now. A file system with less free space
//! than `[store] min_free_mb`, or a write that failed with an I/O error (a full disk: `ENOSPC`),
//! puts the store in a *fault*; writes are refused until space comes back and
//! [`super::Store::recover`] opened the database again. One ERROR line per fault, with the path and
//! the free space; one WARN line when it ends.
//!
//! Debug builds (tests) can inject the fault: while the file named by the environment variable
//! [`INJECT_ENV`] exists, every write fails as a full disk would. Release builds do not read it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Debug builds only: while the file this variable names exists, store writes fail with
/// "no space left on device".
pub const INJECT_ENV: &str = "SITREP_TEST_STORE_FULL";

/// How often the free space is read on the write path, at most.
const CHECK_EVERY: Duration = Duration::from_millis(500);

/// A store that space came back to but that still cannot be opened again after this long is an
/// ERROR (before, a WARN: sled may hold its lock a moment after the database is closed).
const REOPEN_ALARM: Duration = Duration::from_secs(30);

/// Why the store cannot take writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fault {
    pub since: DateTime<Utc>,
    pub error: String,
    /// Bytes free on the store's file system when the fault began.
    pub free_bytes: Option<u64>,
}

/// The write health of one store.
pub struct Space {
    dir: PathBuf,
    min_free: AtomicU64,
    fault: Mutex<Option<Fault>>,
    checked: Mutex<Option<Instant>>,
    /// Since when the store, space back, failed to open again; whether that was said at ERROR.
    reopening: Mutex<Option<(Instant, bool)>>,
}

impl Space {
    /// The health of a store at `path` (free space is read on its file system).
    pub fn new(path: &Path) -> Space {
        Space {
            dir: path.to_path_buf(),
            min_free: AtomicU64::new(0),
            fault: Mutex::new(None),
            checked: Mutex::new(None),
            reopening: Mutex::new(None),
        }
    }

    /// Refuse writes when fewer bytes than this are free (0: only failed writes count).
    pub fn set_min_free(&self, bytes: u64) {
        self.min_free.store(bytes, Ordering::Relaxed);
    }

    /// The free-space floor in bytes.
    pub fn min_free(&self) -> u64 {
        self.min_free.load(Ordering::Relaxed)
    }

    /// Bytes available to sitrep on the store's file system, if it can be read.
    pub fn free_bytes(&self) -> Option<u64> {
        fs2::available_space(&self.dir)
            .or_else(|_| fs2::available_space(self.dir.parent().unwrap_or(Path::new("."))))
            .ok()
    }

    /// The current fault, if any.
    pub fn fault(&self) -> Option<Fault> {
        self.fault.lock().expect("store fault lock").clone()
    }

    /// Before a write: `Err` with the fault when the store cannot take it. Reads the free space
    /// at most every half second.
    pub fn check(&self) -> Result<(), Fault> {
        if let Some(f) = self.fault() {
            return Err(f);
        }
        if let Some(error) = injected() {
            return Err(self.fail(&error));
        }
        let min = self.min_free();
        if min == 0 {
            return Ok(());
        }
        {
            let mut checked = self.checked.lock().expect("store space lock");
            if checked.is_some_and(|t| t.elapsed() < CHECK_EVERY) {
                return Ok(());
            }
            *checked = Some(Instant::now());
        }
        match self.free_bytes() {
            Some(free) if free < min => Err(self.fail(&format!(
                "less than the minimum of {} MiB free",
                min / (1024 * 1024)
            ))),
            _ => Ok(()),
        }
    }

    /// Records a failed write; logs once per fault (ERROR, with the path and free space).
    pub fn fail(&self, error: &str) -> Fault {
        let mut fault = self.fault.lock().expect("store fault lock");
        if let Some(f) = fault.as_ref() {
            return f.clone();
        }
        let free = self.free_bytes();
        tracing::error!(
            path = %self.dir.display(),
            free_bytes = free.unwrap_or(0),
            error,
            "store cannot write: polling goes on, new items wait in memory until space comes back"
        );
        let f = Fault {
            since: Utc::now(),
            error: error.to_string(),
            free_bytes: free,
        };
        *fault = Some(f.clone());
        f
    }

    /// Whether the fault's cause is gone: enough free space, no injected fault.
    pub fn space_is_back(&self) -> bool {
        if injected().is_some() {
            return false;
        }
        // Half again the floor, so that a store at the edge does not flap.
        let want = self.min_free() + self.min_free() / 2;
        self.free_bytes().is_none_or(|free| free >= want.max(1))
    }

    /// Records a failed attempt to open the database again once space was back: a WARN the
    /// first time in a fault, one ERROR when it has failed for [`REOPEN_ALARM`].
    pub fn reopen_failed(&self, error: &str) {
        let mut reopening = self.reopening.lock().expect("store reopen lock");
        match reopening.as_mut() {
            None => {
                tracing::warn!(path = %self.dir.display(), error, "store: space is back but it cannot be opened again yet; trying again");
                *reopening = Some((Instant::now(), false));
            }
            Some((since, alarmed)) if !*alarmed && since.elapsed() >= REOPEN_ALARM => {
                tracing::error!(
                    path = %self.dir.display(),
                    error,
                    after = %humantime::format_duration(Duration::from_secs(since.elapsed().as_secs())),
                    "store cannot be opened again: writes wait until it can"
                );
                *alarmed = true;
            }
            Some(_) => {}
        }
    }

    /// Ends the fault (the database was opened again); logs it at WARN.
    pub fn clear(&self) {
        *self.reopening.lock().expect("store reopen lock") = None;
        let mut fault = self.fault.lock().expect("store fault lock");
        if let Some(f) = fault.take() {
            let lasted = (Utc::now() - f.since).to_std().unwrap_or_default();
            tracing::warn!(
                path = %self.dir.display(),
                free_bytes = self.free_bytes().unwrap_or(0),
                after = %humantime::format_duration(Duration::from_secs(lasted.as_secs())),
                "store writable again: waiting items are stored now"
            );
        }
        *self.checked.lock().expect("store space lock") = None;
    }
}

/// The injected fault's error, while its file exists (debug builds only).
#[cfg(debug_assertions)]
fn injected() -> Option<String> {
    static FILE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let file = FILE.get_or_init(|| std::env::var_os(INJECT_ENV).map(PathBuf::from));
    file.as_ref()
        .filter(|f| f.exists())
        .map(|_| "No space left on device (os error 28) [injected]".to_string())
}

/// Release builds: never.
#[cfg(not(debug_assertions))]
fn injected() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_kept_until_cleared_and_a_floor_above_the_free_space_trips() {
        let dir = tempfile::tempdir().unwrap();
        let s = Space::new(dir.path());
        assert!(s.check().is_ok());
        let f = s.fail("No space left on device (os error 28)");
        assert_eq!(s.check().unwrap_err(), f);
        // A second failure keeps the first fault (one log line per episode).
        assert_eq!(s.fail("other").error, f.error);
        s.clear();
        assert!(s.check().is_ok());
        s.set_min_free(u64::MAX / 2);
        let f = s.check().unwrap_err();
        assert!(f.error.contains("minimum"), "{f:?}");
        assert!(!s.space_is_back());
        s.set_min_free(1);
        assert!(s.space_is_back());
    }
}
