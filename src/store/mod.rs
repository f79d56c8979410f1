//! The embedded store: the only module that names sled. Typed access to articles, incidents (with
//! their (country, day) matching index) and subscriptions; schema version; recovery from a store that
//! cannot be opened (moved aside, started fresh, subscriptions restored from the latest export).

pub mod compact;
mod day_index;
pub mod index;
pub mod keys;
pub mod records;
pub mod settings;
pub mod space;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Serialize, de::DeserializeOwned};
use thiserror::Error;

use crate::incident::{IncidentRecord, MatchKey, fingerprint};
use crate::model::{Article, Subscription, Target};
use day_index::{DayIndex, Indexed};
use records::{Action, Delivery, Mute, OutboxEntry, Sent, SourceState, TargetState};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Open { path: String, source: sled::Error },
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: record {key} is not readable: {source}")]
    Decode {
        key: String,
        source: serde_json::Error,
    },
    #[error("store: matching index entry {key} is not readable: {source}")]
    Index {
        key: String,
        source: index::IndexError,
    },
    #[error(
        "store {path}: schema version {found} is newer than this sitrep understands ({expected})"
    )]
    Schema {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("store {path}: cannot move the unreadable store aside: {source}")]
    MoveAside {
        path: String,
        source: std::io::Error,
    },
    #[error("subscriptions file {path}: {message}")]
    Export { path: String, message: String },
    /// Another process (a running daemon) has the store open.
    #[error("store {path} is in use by another sitrep process (its lock is held); stop it first")]
    Locked { path: String },
    #[error("store compaction {path}: {source}")]
    Compact {
        path: String,
        source: std::io::Error,
    },
    /// The store cannot take writes (a full disk); see [`space`].
    #[error("store {path}: cannot write: {error} ({free} bytes free)")]
    Full {
        path: String,
        error: String,
        free: u64,
    },
}

impl StoreError {
    /// Whether the error is the file system's (a full disk, a failed write), not the data's:
    /// the write can succeed later, so what it carried must be kept and retried.
    pub fn is_io(&self) -> bool {
        match self {
            StoreError::Full { .. } | StoreError::Sled(sled::Error::Io(_)) => true,
            StoreError::Open { source, .. } => matches!(source, sled::Error::Io(_)),
            _ => false,
        }
    }
}

/// Handle to the sled database; cheap to clone. Every clone sees the same database, also after
/// [`Store::recover`] opened it again behind them.
#[derive(Clone)]
pub struct Store {
    trees: std::sync::Arc<std::sync::RwLock<std::sync::Arc<Trees>>>,
    path: PathBuf,
    cache_mb: u64,
    space: std::sync::Arc<space::Space>,
    _temp: Option<std::sync::Arc<tempfile::TempDir>>,
}

/// The open database and its trees.
struct Trees {
    db: sled::Db,
    articles: sled::Tree,
    seen: sled::Tree,
    incidents: sled::Tree,
    /// The matching index, on disk and in memory (what matching scans).
    country_day: Indexed,
    /// The index entries of incidents whose every report tells an aftermath (few).
    follow_ups: Indexed,
    subscriptions: sled::Tree,
    signatures: sled::Tree,
    bands: sled::Tree,
    source_state: sled::Tree,
    outbox: sled::Tree,
    sent: sled::Tree,
    targets: sled::Tree,
    mutes: sled::Tree,
    /// Channel settings (language): [`settings::ChannelSettings`].
    channels: sled::Tree,
    /// Added to sled's ids: a compacted store counts on from where its old database stopped.
    id_floor: u64,
    /// The in-memory stand-in of [`Store::recover`]: the database is closed.
    placeholder: bool,
}

/// What one [`Store::prune`] pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub incidents: usize,
    pub articles: usize,
}

/// Records looked at per batch of [`Store::prune`].
pub const PRUNE_BATCH: usize = 5_000;

/// Where a batched prune goes on from (start: `PruneCursor::default()`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneCursor {
    stage: PruneStage,
    after: Option<Vec<u8>>,
}

/// The trees a prune walks, in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum PruneStage {
    #[default]
    Incidents,
    Sent,
    Articles,
}

impl PruneStage {
    fn next(self) -> Option<PruneStage> {
        match self {
            PruneStage::Incidents => Some(PruneStage::Sent),
            PruneStage::Sent => Some(PruneStage::Articles),
            PruneStage::Articles => None,
        }
    }
}

/// What [`Store::open_or_rebuild`] had to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    Opened,
    /// The old directory could not be opened and was moved to this path; the store is new.
    Rebuilt {
        moved_to: PathBuf,
        restored_subscriptions: usize,
    },
}

impl Store {
    /// Opens (or creates) the store at `path` with a page cache of `cache_mb` MiB.
    pub fn open(path: &Path, cache_mb: u64) -> Result<Store, StoreError> {
        Self::open_inner(path, cache_mb, None)
    }

    /// Fails with [`StoreError::Locked`] when another process has the store at `path` open,
    /// without opening it: it tries sled's own lock (an exclusive `flock` on `<path>/db`) and
    /// lets go at once. The daemon asks this before it binds its ports, so that a second daemon
    /// on the same store is told the store is in use, not that the first one's port is. A lock
    /// held is tried again for up to [`LOCK_WAIT`], as [`Store::open`] does; a store that does
    /// not exist yet is not in use.
    pub fn check_not_in_use(path: &Path) -> Result<(), StoreError> {
        use fs2::FileExt;
        let Ok(file) = std::fs::File::open(path.join("db")) else {
            return Ok(());
        };
        let deadline = std::time::Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock_exclusive() {
                Ok(()) => {
                    let _ = FileExt::unlock(&file);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if std::time::Instant::now() >= deadline {
                        return Err(StoreError::Locked {
                            path: path.display().to_string(),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                // A file system without locks: sled's own open decides.
                Err(_) => return Ok(()),
            }
        }
    }

    /// A store in a fresh temporary directory, removed when the last clone is dropped.
    pub fn temporary() -> Result<Store, StoreError> {
        let dir = tempfile::Builder::new()
            .prefix("sitrep-store-")
            .tempdir()
            .map_err(|e| StoreError::MoveAside {
                path: std::env::temp_dir().display().to_string(),
                source: e,
            })?;
        let path = dir.path().join("db");
        Self::open_inner(&path, 16, Some(std::sync::Arc::new(dir)))
    }

    /// Opens the store; if sled cannot open it (corruption), moves the directory aside with a
    /// timestamp, starts a fresh store, restores subscriptions from the latest export beside it,
    /// and logs the event at ERROR.
    pub fn open_or_rebuild(path: &Path, cache_mb: u64) -> Result<(Store, OpenOutcome), StoreError> {
        match Self::open(path, cache_mb) {
            Ok(store) => Ok((store, OpenOutcome::Opened)),
            Err(err @ (StoreError::Schema { .. } | StoreError::Locked { .. })) => Err(err),
            Err(err) => {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
                let moved_to = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
                std::fs::rename(path, &moved_to).map_err(|source| StoreError::MoveAside {
                    path: path.display().to_string(),
                    source,
                })?;
                tracing::error!(
                    path = %path.display(),
                    moved_to = %moved_to.display(),
                    error = %err,
                    "store could not be opened; moved aside and starting a fresh one"
                );
                let store = Self::open(path, cache_mb)?;
                let export = export_path(path);
                let restored = if export.exists() {
                    store.import_subscriptions(&export)?
                } else {
                    0
                };
                Ok((
                    store,
                    OpenOutcome::Rebuilt {
                        moved_to,
                        restored_subscriptions: restored,
                    },
                ))
            }
        }
    }

    fn open_inner(
        path: &Path,
        cache_mb: u64,
        temp: Option<std::sync::Arc<tempfile::TempDir>>,
    ) -> Result<Store, StoreError> {
        compact::finish_interrupted(path)?;
        let trees = open_trees(path, cache_mb)?;
        Ok(Store {
            trees: std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(trees))),
            path: path.to_path_buf(),
            cache_mb,
            space: std::sync::Arc::new(space::Space::new(path)),
            _temp: temp,
        })
    }

    /// The open database (a cheap clone of a shared handle).
    fn t(&self) -> std::sync::Arc<Trees> {
        self.trees.read().expect("store handle lock").clone()
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.writable()?;
        let flushed = self.t().db.flush();
        self.noted(flushed)?;
        Ok(())
    }

    /// Writes everything to disk without blocking the async runtime.
    pub async fn flush_async(&self) -> Result<(), StoreError> {
        self.writable()?;
        let db = self.t().db.clone();
        let flushed = db.flush_async().await;
        self.noted(flushed)?;
        Ok(())
    }

    /// Approximate size on disk in bytes.
    pub fn size_on_disk(&self) -> u64 {
        self.t().db.size_on_disk().unwrap_or(0)
    }

    /// Stores an article unless its GUID (per source) or canonical URL was seen before.
    /// Returns the new article's id, or `None` when it was seen before.
    pub fn insert_article_if_new(
        &self,
        article: &Article,
        canonical_url: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        self.writable()?;
        let guid_key = keys::seen_guid(&article.source, &article.guid);
        let url_key = canonical_url.map(keys::seen_url);
        let id = article_id(&article.source, &article.guid, canonical_url);
        let value = encode(article);
        // One compare-and-swap per key: of two inserts of the same item, one sees the key taken.
        let guid_new = self
            .t()
            .seen
            .compare_and_swap(&guid_key, None as Option<&[u8]>, Some(id.as_bytes()))?
            .is_ok();
        let url_new = match &url_key {
            Some(k) => self
                .t()
                .seen
                .compare_and_swap(k, None as Option<&[u8]>, Some(id.as_bytes()))?
                .is_ok(),
            None => true,
        };
        if !(guid_new && url_new) {
            return Ok(None);
        }
        self.t().articles.insert(id.as_bytes(), value)?;
        Ok(Some(id))
    }

    /// Whether an item was stored before (by GUID from this source, or canonical URL), without
    /// storing it: the poller asks before fetching a linked page.
    pub fn article_seen(
        &self,
        source: &str,
        guid: &str,
        canonical_url: Option<&str>,
    ) -> Result<bool, StoreError> {
        if self.t().seen.contains_key(keys::seen_guid(source, guid))? {
            return Ok(true);
        }
        Ok(match canonical_url {
            Some(u) => self.t().seen.contains_key(keys::seen_url(u))?,
            None => false,
        })
    }

    /// The stored article of this GUID from this source, with its id: an edited post is compared
    /// with it.
    pub fn article_by_guid(
        &self,
        source: &str,
        guid: &str,
    ) -> Result<Option<(String, Article)>, StoreError> {
        let Some(id) = self.t().seen.get(keys::seen_guid(source, guid))? else {
            return Ok(None);
        };
        let id = String::from_utf8_lossy(&id).to_string();
        match self.t().articles.get(id.as_bytes())? {
            Some(bytes) => Ok(Some((id.clone(), decode(&id, &bytes)?))),
            None => Ok(None),
        }
    }

    /// Replaces a stored article (its family after a near-duplicate was found, its text after
    /// an edit).
    pub fn put_article(&self, id: &str, article: &Article) -> Result<(), StoreError> {
        self.writable()?;
        self.t().articles.insert(id.as_bytes(), encode(article))?;
        Ok(())
    }

    /// The stored article most like this signature, if one is a near-duplicate
    /// ([`fingerprint::NEAR_DUPLICATE`]); reads only the articles that share an LSH band.
    pub fn near_duplicate(
        &self,
        sig: &fingerprint::Signature,
    ) -> Result<Option<Article>, StoreError> {
        let mut best: Option<(f64, String)> = None;
        let mut seen = std::collections::HashSet::new();
        for band in fingerprint::band_keys(sig) {
            for item in self.t().bands.scan_prefix(band) {
                let (key, _) = item?;
                let id = String::from_utf8_lossy(&key[band.len()..]).to_string();
                if !seen.insert(id.clone()) {
                    continue;
                }
                let Some(other) = self
                    .t()
                    .signatures
                    .get(id.as_bytes())?
                    .and_then(|b| fingerprint::from_bytes(&b))
                else {
                    continue;
                };
                let sim = fingerprint::similarity(sig, &other);
                if sim >= fingerprint::NEAR_DUPLICATE && best.as_ref().is_none_or(|(s, _)| sim > *s)
                {
                    best = Some((sim, id));
                }
            }
        }
        match best {
            Some((_, id)) => self
                .t()
                .articles
                .get(id.as_bytes())?
                .map(|v| decode(&id, &v))
                .transpose(),
            None => Ok(None),
        }
    }

    /// Indexes an article's signature for [`Store::near_duplicate`].
    pub fn put_signature(
        &self,
        article_id: &str,
        sig: &fingerprint::Signature,
    ) -> Result<(), StoreError> {
        self.writable()?;
        self.t()
            .signatures
            .insert(article_id.as_bytes(), fingerprint::to_bytes(sig))?;
        for band in fingerprint::band_keys(sig) {
            self.t().bands.insert(keys::band(&band, article_id), &[])?;
        }
        Ok(())
    }

    /// The poller's state of one source (validators, health), if it was polled before.
    pub fn source_state(&self, name: &str) -> Result<Option<SourceState>, StoreError> {
        self.t()
            .source_state
            .get(name.as_bytes())?
            .map(|v| decode(name, &v))
            .transpose()
    }

    pub fn put_source_state(&self, name: &str, state: &SourceState) -> Result<(), StoreError> {
        self.writable()?;
        self.t()
            .source_state
            .insert(name.as_bytes(), encode(state))?;
        Ok(())
    }

    /// Every source's state, by name.
    pub fn source_states(&self) -> Result<Vec<(String, SourceState)>, StoreError> {
        self.t()
            .source_state
            .iter()
            .map(|item| {
                let (k, v) = item?;
                let name = String::from_utf8_lossy(&k).to_string();
                let state = decode(&name, &v)?;
                Ok((name, state))
            })
            .collect()
    }

    /// Writes deliveries to the outbox before anything is sent; an edit already waiting for the
    /// same target and incident is not queued twice (the send renders the latest version).
    /// `now` is when the item behind them was first seen: the alert-latency clock starts there.
    pub fn enqueue(
        &self,
        deliveries: &[Delivery],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.writable()?;
        let pending = self.pending_deliveries()?;
        let mut added = 0;
        for d in deliveries {
            // An edit, or a first message, already waiting for the same channel and incident
            // covers this one: the send renders the incident as stored at send time. (A retried
            // item routes its incidents again: this keeps its alerts from going out twice.)
            let waiting = pending.iter().any(|e| {
                e.delivery.target == d.target
                    && e.delivery.incident_id == d.incident_id
                    && !d.incident_id.is_empty()
                    && matches!(
                        (&e.delivery.action, &d.action),
                        (Action::Edit { .. }, Action::Edit { .. }) | (Action::New, Action::New)
                    )
            });
            if waiting {
                continue;
            }
            let seq = self.next_id()?;
            let entry = OutboxEntry {
                seq,
                delivery: d.clone(),
                attempts: 0,
                not_before: now,
                enqueued: now,
            };
            self.t().outbox.insert(seq.to_be_bytes(), encode(&entry))?;
            added += 1;
        }
        Ok(added)
    }

    /// Every delivery not yet accepted by its platform, oldest first.
    pub fn pending_deliveries(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.t()
            .outbox
            .iter()
            .map(|item| {
                let (k, v) = item?;
                decode(&format!("outbox {k:?}"), &v)
            })
            .collect()
    }

    /// Number of deliveries waiting.
    pub fn outbox_len(&self) -> usize {
        self.t().outbox.len()
    }

    /// Marks a delivery done and records the platform's message id, in one transaction: after a
    /// crash either both happened or neither did.
    pub fn complete_delivery(&self, entry: &OutboxEntry, sent: &Sent) -> Result<(), StoreError> {
        self.writable()?;
        use sled::Transactional;
        let d = &entry.delivery;
        let key = keys::sent(&d.target.to_string(), &d.incident_id);
        let value = encode(sent);
        (&self.t().outbox, &self.t().sent)
            .transaction(|(outbox, sent_tree)| {
                outbox.remove(&entry.seq.to_be_bytes())?;
                sent_tree.insert(key.as_slice(), value.as_slice())?;
                Ok(())
            })
            .map_err(|e: sled::transaction::TransactionError<()>| match e {
                sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
                sled::transaction::TransactionError::Abort(()) => {
                    StoreError::Sled(sled::Error::Unsupported("aborted".into()))
                }
            })?;
        Ok(())
    }

    /// Puts a delivery back with a later time and one more attempt.
    pub fn retry_delivery(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        self.writable()?;
        self.t()
            .outbox
            .insert(entry.seq.to_be_bytes(), encode(entry))?;
        Ok(())
    }

    /// Removes a delivery that will never be sent (its target is disabled, say).
    pub fn drop_delivery(&self, seq: u64) -> Result<(), StoreError> {
        self.writable()?;
        self.t().outbox.remove(seq.to_be_bytes())?;
        Ok(())
    }

    /// What a target was sent of an incident.
    pub fn sent(&self, target: &Target, incident_id: &str) -> Result<Option<Sent>, StoreError> {
        let key = keys::sent(&target.to_string(), incident_id);
        self.t()
            .sent
            .get(&key)?
            .map(|v| decode(incident_id, &v))
            .transpose()
    }

    /// Forgets a message (it was deleted on the platform).
    pub fn forget_sent(&self, target: &Target, incident_id: &str) -> Result<(), StoreError> {
        self.writable()?;
        self.t()
            .sent
            .remove(keys::sent(&target.to_string(), incident_id))?;
        Ok(())
    }

    /// Delivery state of a target (disabled, moved).
    pub fn target_state(&self, target: &Target) -> Result<TargetState, StoreError> {
        let key = target.to_string();
        Ok(self
            .t()
            .targets
            .get(key.as_bytes())?
            .map(|v| decode(&key, &v))
            .transpose()?
            .unwrap_or_default())
    }

    pub fn put_target_state(&self, target: &Target, state: &TargetState) -> Result<(), StoreError> {
        self.writable()?;
        self.t()
            .targets
            .insert(target.to_string().as_bytes(), encode(state))?;
        Ok(())
    }

    /// Every mute of every target.
    pub fn mutes(&self) -> Result<Vec<Mute>, StoreError> {
        let mut out = Vec::new();
        for item in self.t().mutes.iter() {
            let (k, v) = item?;
            let m: Vec<Mute> = decode(&String::from_utf8_lossy(&k), &v)?;
            out.extend(m);
        }
        Ok(out)
    }

    /// Replaces a target's mutes (empty: unmuted).
    pub fn set_mutes(&self, target: &Target, mutes: &[Mute]) -> Result<(), StoreError> {
        self.writable()?;
        let key = target.to_string();
        if mutes.is_empty() {
            self.t().mutes.remove(key.as_bytes())?;
        } else {
            self.t().mutes.insert(key.as_bytes(), encode(&mutes))?;
        }
        Ok(())
    }

    /// A new number, unique in this store (subscription ids).
    pub fn generate_id(&self) -> Result<u64, StoreError> {
        self.writable()?;
        self.next_id()
    }

    /// The next id: sled's, above the floor a compaction left.
    fn next_id(&self) -> Result<u64, StoreError> {
        let t = self.t();
        Ok(t.id_floor.saturating_add(t.db.generate_id()?))
    }

    /// Number of stored articles.
    pub fn article_count(&self) -> usize {
        self.t().articles.len()
    }

    /// One incident by id.
    pub fn incident(&self, id: &str) -> Result<Option<IncidentRecord>, StoreError> {
        self.t()
            .incidents
            .get(id.as_bytes())?
            .map(|v| decode(id, &v))
            .transpose()
    }

    /// Stores an incident and keeps the (country, day) index (and its follow-up part) in step with
    /// its date and country.
    pub fn put_incident(&self, record: &IncidentRecord) -> Result<(), StoreError> {
        self.writable()?;
        let t = self.t();
        let inc = &record.incident;
        if let Some((country, date)) = self.incident_day(&inc.id)? {
            if (country.as_str(), date) != (inc.country.as_str(), inc.date) {
                t.country_day.remove(&country, date, &inc.id)?;
            }
            t.follow_ups.remove(&country, date, &inc.id)?;
        }
        t.incidents.insert(inc.id.as_bytes(), encode(record))?;
        let key = MatchKey::of_record(record);
        let value = index::encode(&key);
        if key.follow_up {
            t.follow_ups
                .insert(&inc.country, inc.date, &inc.id, &value)?;
        }
        t.country_day
            .insert(&inc.country, inc.date, &inc.id, &value)?;
        Ok(())
    }

    /// The country and day a stored incident is indexed under, read without decoding its reports.
    fn incident_day(&self, id: &str) -> Result<Option<(String, NaiveDate)>, StoreError> {
        /// The part of a stored record the index key is made of (serde skips the rest).
        #[derive(serde::Deserialize)]
        struct Dated {
            incident: Day,
        }
        #[derive(serde::Deserialize)]
        struct Day {
            country: String,
            date: NaiveDate,
        }
        let Some(value) = self.t().incidents.get(id.as_bytes())? else {
            return Ok(None);
        };
        let d: Dated = decode(id, &value)?;
        Ok(Some((d.incident.country, d.incident.date)))
    }

    /// The match keys of the incidents of one country dated within `days` of `day`: the
    /// candidates for a match. Reads only the index entries of those days, from memory, so the
    /// cost does not grow with history.
    pub fn candidates(
        &self,
        country: &str,
        day: NaiveDate,
        days: i64,
    ) -> Result<Vec<(String, MatchKey)>, StoreError> {
        self.candidates_between(
            country,
            day - Duration::days(days),
            day + Duration::days(days),
        )
    }

    /// The match keys of the incidents of one country dated from `first` to `last` (inclusive):
    /// one range scan of the index, as [`Store::candidates`].
    pub fn candidates_between(
        &self,
        country: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(String, MatchKey)>, StoreError> {
        self.candidates_kept(country, first, last, |_| true)
    }

    /// [`Store::candidates_between`], only those whose outline `keep` accepts: the others' texts
    /// are never read.
    pub fn candidates_kept(
        &self,
        country: &str,
        first: NaiveDate,
        last: NaiveDate,
        keep: impl Fn(&index::Outline) -> bool,
    ) -> Result<Vec<(String, MatchKey)>, StoreError> {
        scan_index(&self.t().country_day.days, country, first, last, keep)
    }

    /// The match keys of the incidents of one country dated from `first` to `last` whose every
    /// report tells an earlier event's aftermath: read from the follow-up part of the index, so
    /// a weeks-long range costs only the few such incidents.
    pub fn aftermath_candidates_between(
        &self,
        country: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<(String, MatchKey)>, StoreError> {
        let mut out = scan_index(&self.t().follow_ups.days, country, first, last, |_| true)?;
        out.retain(|(_, k)| k.follow_up);
        Ok(out)
    }

    /// Whether an incident id is taken.
    pub fn incident_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.t().incidents.contains_key(id.as_bytes())?)
    }

    /// Every stored incident (unordered). A bulk scan: call it off the async runtime.
    pub fn all_incidents(&self) -> Result<Vec<IncidentRecord>, StoreError> {
        self.t()
            .incidents
            .iter()
            .map(|item| {
                let (k, v) = item?;
                decode(&String::from_utf8_lossy(&k), &v)
            })
            .collect()
    }

    /// Removes incidents last updated before `cutoff`, with their index entries and the records of
    /// the messages sent about them, and articles published before it, with their dedup keys and
    /// fingerprints. Subscriptions, mutes, source states and the outbox are kept. Runs
    /// [`Store::prune_step`] to the end: call it off the async runtime.
    pub fn prune(&self, cutoff: DateTime<Utc>) -> Result<Pruned, StoreError> {
        let mut total = Pruned::default();
        let mut cursor = Some(PruneCursor::default());
        while let Some(c) = cursor {
            let (p, next) = self.prune_step(cutoff, c, PRUNE_BATCH)?;
            total.incidents += p.incidents;
            total.articles += p.articles;
            cursor = next;
        }
        Ok(total)
    }

    /// One batch of [`Store::prune`]: looks at up to `batch` records from `cursor` on and returns
    /// what it removed and where to go on (`None`: done). Each batch is short, so a caller can
    /// run them one by one off the async runtime and stop between two (shutdown).
    pub fn prune_step(
        &self,
        cutoff: DateTime<Utc>,
        cursor: PruneCursor,
        batch: usize,
    ) -> Result<(Pruned, Option<PruneCursor>), StoreError> {
        self.writable()?;
        let t = self.t();
        let tree = match cursor.stage {
            PruneStage::Incidents => &t.incidents,
            PruneStage::Sent => &t.sent,
            PruneStage::Articles => &t.articles,
        };
        let range = match &cursor.after {
            Some(k) => tree.range::<&[u8], _>((
                std::ops::Bound::Excluded(k.as_slice()),
                std::ops::Bound::Unbounded,
            )),
            None => tree.iter(),
        };
        let mut pruned = Pruned::default();
        let mut last = None;
        let mut looked = 0;
        for item in range.take(batch.max(1)) {
            let (key, value) = item?;
            looked += 1;
            match cursor.stage {
                PruneStage::Incidents => {
                    pruned.incidents += self.prune_incident(&t, &key, &value, cutoff)?
                }
                PruneStage::Sent => {
                    // A message about an incident that is gone.
                    let incident = key.iter().position(|b| *b == 0).map(|i| &key[i + 1..]);
                    if incident.is_some_and(|id| !t.incidents.contains_key(id).unwrap_or(true)) {
                        t.sent.remove(&key)?;
                    }
                }
                PruneStage::Articles => {
                    pruned.articles += self.prune_article(&t, &key, &value, cutoff)?
                }
            }
            last = Some(key.to_vec());
        }
        let next = if looked < batch.max(1) {
            cursor
                .stage
                .next()
                .map(|stage| PruneCursor { stage, after: None })
        } else {
            Some(PruneCursor {
                stage: cursor.stage,
                after: last,
            })
        };
        Ok((pruned, next))
    }

    fn prune_incident(
        &self,
        t: &Trees,
        key: &[u8],
        value: &[u8],
        cutoff: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let id = String::from_utf8_lossy(key).to_string();
        let Ok(record) = decode::<IncidentRecord>(&id, value) else {
            return Ok(0);
        };
        let i = &record.incident;
        if i.updated >= cutoff {
            return Ok(0);
        }
        t.country_day.remove(&i.country, i.date, &i.id)?;
        t.follow_ups.remove(&i.country, i.date, &i.id)?;
        t.incidents.remove(key)?;
        Ok(1)
    }

    fn prune_article(
        &self,
        t: &Trees,
        key: &[u8],
        value: &[u8],
        cutoff: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let id = String::from_utf8_lossy(key).to_string();
        let Ok(article) = decode::<Article>(&id, value) else {
            return Ok(0);
        };
        if article.published.is_none_or(|p| p >= cutoff) {
            return Ok(0);
        }
        let mut seen_keys = vec![keys::seen_guid(&article.source, &article.guid)];
        if let Some(url) = crate::model::canonical_url(&article.url) {
            seen_keys.push(keys::seen_url(&url));
        }
        for k in seen_keys {
            // A key taken by a newer article with the same URL stays.
            if t.seen.get(&k)?.as_deref() == Some(id.as_bytes()) {
                t.seen.remove(&k)?;
            }
        }
        if let Some(sig) = t
            .signatures
            .remove(key)?
            .and_then(|b| fingerprint::from_bytes(&b))
        {
            for band in fingerprint::band_keys(&sig) {
                t.bands.remove(keys::band(&band, &id))?;
            }
        }
        t.articles.remove(key)?;
        Ok(1)
    }

    /// Number of stored incidents.
    pub fn incident_count(&self) -> usize {
        self.t().incidents.len()
    }

    /// Every subscription of every target.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        let mut out = Vec::new();
        for item in self.t().subscriptions.iter() {
            let (k, v) = item?;
            let subs: Vec<Subscription> = decode(&String::from_utf8_lossy(&k), &v)?;
            out.extend(subs);
        }
        Ok(out)
    }

    /// Replaces the subscriptions of one target (an empty list removes the target).
    pub fn set_subscriptions(
        &self,
        target: &Target,
        subs: &[Subscription],
    ) -> Result<(), StoreError> {
        self.writable()?;
        let key = target.to_string();
        if subs.is_empty() {
            self.t().subscriptions.remove(key.as_bytes())?;
        } else {
            self.t()
                .subscriptions
                .insert(key.as_bytes(), encode(&subs))?;
        }
        Ok(())
    }

    /// Writes every subscription, with every channel's settings (its language), to a JSON file
    /// (atomically: a temporary file, then a rename). Returns the number of subscriptions.
    pub fn export_subscriptions(&self, path: &Path) -> Result<usize, StoreError> {
        let export = settings::Export {
            subscriptions: self.subscriptions()?,
            channels: self
                .all_channel_settings()?
                .into_iter()
                .map(|(t, s)| (t.to_string(), s))
                .collect(),
        };
        let err = |message: String| StoreError::Export {
            path: path.display().to_string(),
            message,
        };
        let tmp = path.with_extension("json.tmp");
        let body = serde_json::to_vec_pretty(&export).map_err(|e| err(e.to_string()))?;
        std::fs::write(&tmp, body).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))?;
        Ok(export.subscriptions.len())
    }

    /// Adds the subscriptions and channel settings of a JSON export (replacing those of the
    /// targets it names). Exports written before channel settings existed (a bare list of
    /// subscriptions) read too.
    pub fn import_subscriptions(&self, path: &Path) -> Result<usize, StoreError> {
        let err = |message: String| StoreError::Export {
            path: path.display().to_string(),
            message,
        };
        let body = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let export = serde_json::from_slice::<settings::AnyExport>(&body)
            .map_err(|e| err(e.to_string()))?
            .into_export();
        let subs = export.subscriptions;
        let mut by_target: std::collections::BTreeMap<Target, Vec<Subscription>> =
            Default::default();
        for s in subs.iter() {
            by_target.entry(s.target).or_default().push(s.clone());
        }
        for (target, subs) in &by_target {
            self.set_subscriptions(target, subs)?;
        }
        for (target, s) in &export.channels {
            let target: Target = target
                .parse()
                .map_err(|e| err(format!("channel {target:?}: {e}")))?;
            self.put_channel_settings(&target, s)?;
        }
        Ok(subs.len())
    }
}

/// Write health (a full disk) and recovery from it; see [`space`].
impl Store {
    /// Refuse writes while fewer than `bytes` are free on the store's file system, before the
    /// disk is full (sled's own writes then still find room).
    pub fn set_min_free(&self, bytes: u64) {
        self.space.set_min_free(bytes);
    }

    /// Why the store cannot take writes now, if it cannot.
    pub fn fault(&self) -> Option<space::Fault> {
        self.space.fault()
    }

    /// Whether writes are taken now (no fault; the free space is checked).
    pub fn is_writable(&self) -> bool {
        self.writable().is_ok()
    }

    /// Bytes free on the store's file system.
    pub fn free_bytes(&self) -> Option<u64> {
        self.space.free_bytes()
    }

    /// Records a failed store call: an I/O error (a full disk) starts a fault, during which
    /// writes are refused until [`Store::recover`] succeeds.
    pub fn note(&self, err: &StoreError) {
        if err.is_io() && !matches!(err, StoreError::Full { .. }) {
            self.space.fail(&err.to_string());
        }
    }

    /// Ends a fault once space is back: sled stops writing after an I/O error until it is opened
    /// again, so the database is closed and opened again (every clone of this handle follows).
    /// What was written in memory but not flushed before the fault is gone after this: callers
    /// keep what they could not flush and write it again. Returns whether the store is writable.
    ///
    /// Each call is short: the handle lock is held only to swap databases (readers meanwhile see
    /// an empty stand-in, not a wait), and sled's file lock, which the closed database may hold
    /// a moment longer, is waited for at most [`REOPEN_WAIT`]; the caller calls again later.
    pub fn recover(&self) -> bool {
        if self.space.fault().is_none() {
            return true;
        }
        if !self.space.space_is_back() {
            return false;
        }
        if !self.t().placeholder && !self.close() {
            return false;
        }
        match open_trees_within(&self.path, self.cache_mb, REOPEN_WAIT) {
            Ok(t) => {
                *self.trees.write().expect("store handle lock") = std::sync::Arc::new(t);
                self.space.clear();
                true
            }
            Err(e) => {
                self.space.reopen_failed(&e.to_string());
                false
            }
        }
    }

    /// Puts the in-memory stand-in in the database's place and drops the database (outside the
    /// handle lock: sled's drop waits for its flusher thread).
    fn close(&self) -> bool {
        let placeholder = match sled::Config::new().temporary(true).open() {
            Ok(db) => placeholder_trees(db),
            Err(e) => {
                self.space.reopen_failed(&e.to_string());
                return false;
            }
        };
        let old = std::mem::replace(
            &mut *self.trees.write().expect("store handle lock"),
            std::sync::Arc::new(placeholder),
        );
        drop(old);
        true
    }

    /// Like [`Store::insert_article_if_new`] for an item whose earlier attempt may have stored
    /// part of it before the store failed: dedup keys that already name this very article count
    /// as its own. Returns `None` only when another article holds a key.
    pub fn insert_article_again(
        &self,
        article: &Article,
        canonical_url: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        self.writable()?;
        let id = article_id(&article.source, &article.guid, canonical_url);
        let mut keys_of = vec![keys::seen_guid(&article.source, &article.guid)];
        keys_of.extend(canonical_url.map(keys::seen_url));
        let t = self.t();
        for k in &keys_of {
            if let Some(v) = t.seen.get(k)?
                && v.as_ref() != id.as_bytes()
            {
                return Ok(None);
            }
        }
        for k in &keys_of {
            t.seen.insert(k.as_slice(), id.as_bytes())?;
        }
        t.articles.insert(id.as_bytes(), encode(article))?;
        Ok(Some(id))
    }

    /// `Err(Full)` while the store is in a fault.
    fn writable(&self) -> Result<(), StoreError> {
        self.space.check().map_err(|f| StoreError::Full {
            path: self.path.display().to_string(),
            error: f.error,
            free: f.free_bytes.unwrap_or(0),
        })
    }

    /// Notes an I/O error of a sled call, and passes the result on.
    fn noted<T>(&self, r: Result<T, sled::Error>) -> Result<T, StoreError> {
        r.map_err(|e| {
            let e = StoreError::Sled(e);
            self.note(&e);
            e
        })
    }
}

/// A stand-in for the database while it is opened again (an empty in-memory store).
fn placeholder_trees(db: sled::Db) -> Trees {
    let tree = |name: &str| db.open_tree(name).expect("in-memory sled tree");
    Trees {
        articles: tree(keys::ARTICLES),
        seen: tree(keys::SEEN),
        incidents: tree(keys::INCIDENTS),
        country_day: Indexed {
            tree: tree(keys::COUNTRY_DAY),
            days: Default::default(),
        },
        follow_ups: Indexed {
            tree: tree(keys::FOLLOW_UPS),
            days: Default::default(),
        },
        subscriptions: tree(keys::SUBSCRIPTIONS),
        signatures: tree(keys::SIGNATURES),
        bands: tree(keys::BANDS),
        source_state: tree(keys::SOURCE_STATE),
        outbox: tree(keys::OUTBOX),
        sent: tree(keys::SENT),
        targets: tree(keys::TARGETS),
        mutes: tree(keys::MUTES),
        channels: tree(keys::CHANNELS),
        id_floor: 0,
        placeholder: true,
        db,
    }
}

/// Opens the database at `path` and every tree, checking the schema version.
fn open_trees(path: &Path, cache_mb: u64) -> Result<Trees, StoreError> {
    open_trees_within(path, cache_mb, LOCK_WAIT)
}

/// [`open_trees`], waiting at most `wait` for sled's lock.
fn open_trees_within(
    path: &Path,
    cache_mb: u64,
    wait: std::time::Duration,
) -> Result<Trees, StoreError> {
    let open_err = |source| open_error(path, source);
    let db = open_db_within(path, cache_mb, wait)?;
    let meta = db.open_tree(keys::META).map_err(open_err)?;
    let found = match meta.get(keys::META_SCHEMA_VERSION).map_err(open_err)? {
        Some(v) => v
            .as_ref()
            .try_into()
            .map(u32::from_be_bytes)
            .map_err(|_| open_err(sled::Error::Unsupported("schema version".into())))?,
        None => 0,
    };
    if found > keys::SCHEMA_VERSION {
        return Err(StoreError::Schema {
            path: path.display().to_string(),
            found,
            expected: keys::SCHEMA_VERSION,
        });
    }
    if found < keys::SCHEMA_VERSION {
        migrate_index(&db)?;
        meta.insert(
            keys::META_SCHEMA_VERSION,
            &keys::SCHEMA_VERSION.to_be_bytes(),
        )
        .map_err(open_err)?;
        db.flush().map_err(open_err)?;
    }
    let loading = std::time::Instant::now();
    let country_day =
        Indexed::open(db.open_tree(keys::COUNTRY_DAY).map_err(open_err)?).map_err(open_err)?;
    let follow_ups =
        Indexed::open(db.open_tree(keys::FOLLOW_UPS).map_err(open_err)?).map_err(open_err)?;
    tracing::debug!(
        incidents = country_day.days.entry_count(),
        ms = loading.elapsed().as_millis() as u64,
        "matching index loaded into memory"
    );
    Ok(Trees {
        articles: db.open_tree(keys::ARTICLES).map_err(open_err)?,
        seen: db.open_tree(keys::SEEN).map_err(open_err)?,
        incidents: db.open_tree(keys::INCIDENTS).map_err(open_err)?,
        country_day,
        follow_ups,
        subscriptions: db.open_tree(keys::SUBSCRIPTIONS).map_err(open_err)?,
        signatures: db.open_tree(keys::SIGNATURES).map_err(open_err)?,
        bands: db.open_tree(keys::BANDS).map_err(open_err)?,
        source_state: db.open_tree(keys::SOURCE_STATE).map_err(open_err)?,
        outbox: db.open_tree(keys::OUTBOX).map_err(open_err)?,
        sent: db.open_tree(keys::SENT).map_err(open_err)?,
        targets: db.open_tree(keys::TARGETS).map_err(open_err)?,
        mutes: db.open_tree(keys::MUTES).map_err(open_err)?,
        channels: db.open_tree(keys::CHANNELS).map_err(open_err)?,
        id_floor: id_floor(&db)?,
        placeholder: false,
        db,
    })
}

/// Schema 1 to 2: rewrites every (country, day) index entry in the binary layout and fills the
/// follow-up index. Safe to run again after an interruption (the version is written after it),
/// as binary entries read back as they are.
fn migrate_index(db: &sled::Db) -> Result<(), StoreError> {
    let index = db.open_tree(keys::COUNTRY_DAY)?;
    let follow_ups = db.open_tree(keys::FOLLOW_UPS)?;
    let mut rewritten = 0usize;
    for item in index.iter() {
        let (key, value) = item?;
        if value.first() == Some(&index::BINARY_V1) && !index::is_follow_up(&value).unwrap_or(true)
        {
            continue;
        }
        let id = String::from_utf8_lossy(&key).to_string();
        let k = match index::decode(&value) {
            Ok(k) => k,
            Err(e) => {
                // Left as it was: the incident's next write indexes it again.
                tracing::warn!(entry = %id, error = %e, "unreadable index entry left as it was");
                continue;
            }
        };
        let binary = index::encode(&k);
        if k.follow_up {
            follow_ups.insert(&key, binary.clone())?;
        }
        index.insert(key, binary)?;
        rewritten += 1;
    }
    if rewritten > 0 {
        tracing::info!(
            entries = rewritten,
            "matching index rewritten in the binary layout"
        );
    }
    Ok(())
}

/// How long opening a store waits for sled's lock, which a database closed a moment ago in this
/// process may still hold.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How long one [`Store::recover`] waits for it.
pub const REOPEN_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

/// Opens the database itself (no schema check, no trees). sled lets go of its lock a moment
/// after its last handle in this process is dropped (a background write may still hold the
/// file), so a lock held is tried again for up to [`LOCK_WAIT`] before [`StoreError::Locked`].
fn open_db(path: &Path, cache_mb: u64) -> Result<sled::Db, StoreError> {
    open_db_within(path, cache_mb, LOCK_WAIT)
}

/// [`open_db`], waiting at most `wait` for sled's lock.
fn open_db_within(
    path: &Path,
    cache_mb: u64,
    wait: std::time::Duration,
) -> Result<sled::Db, StoreError> {
    let open = || {
        // sled panics on some kinds of damaged files instead of returning an error.
        std::panic::catch_unwind(|| {
            sled::Config::new()
                .path(path)
                .cache_capacity(cache_mb.max(1) * 1024 * 1024)
                .open()
        })
        .unwrap_or_else(|_| Err(sled::Error::Corruption { at: None, bt: () }))
        .map_err(|source| open_error(path, source))
    };
    let deadline = std::time::Instant::now() + wait;
    loop {
        match open() {
            Err(StoreError::Locked { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(25))
            }
            done => return done,
        }
    }
}

/// The error of opening the database at `path`: [`StoreError::Locked`] when another process
/// holds its lock (sled says "could not acquire lock"), else [`StoreError::Open`].
fn open_error(path: &Path, source: sled::Error) -> StoreError {
    match &source {
        sled::Error::Io(e) if e.to_string().contains("could not acquire lock") => {
            StoreError::Locked {
                path: path.display().to_string(),
            }
        }
        _ => StoreError::Open {
            path: path.display().to_string(),
            source,
        },
    }
}

/// The id floor a compaction wrote (0 when the store was never compacted).
fn id_floor(db: &sled::Db) -> Result<u64, StoreError> {
    let floor = db.open_tree(keys::META)?.get(keys::META_ID_FLOOR)?;
    Ok(floor
        .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
        .unwrap_or(0))
}

/// Where the daily subscription export of a store at `store_path` is written.
pub fn export_path(store_path: &Path) -> PathBuf {
    let name = store_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "sitrep-data".into());
    store_path.with_file_name(format!("{name}.subscriptions.json"))
}

/// Stable id of an article: a hash of its canonical URL, else of source and GUID.
pub fn article_id(source: &str, guid: &str, canonical_url: Option<&str>) -> String {
    let h = match canonical_url {
        Some(u) => xxhash_rust::xxh3::xxh3_64(u.as_bytes()),
        None => xxhash_rust::xxh3::xxh3_64(format!("{source}\0{guid}").as_bytes()),
    };
    format!("{h:016x}")
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("store records serialise to JSON")
}

fn decode<T: DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Decode {
        key: key.to_string(),
        source,
    })
}

/// The match keys of an index of one country from `first` to `last` (inclusive) whose outline
/// `keep` accepts, in the order of its tree (by day, then id).
fn scan_index(
    index: &DayIndex,
    country: &str,
    first: NaiveDate,
    last: NaiveDate,
    keep: impl Fn(&index::Outline) -> bool,
) -> Result<Vec<(String, MatchKey)>, StoreError> {
    let mut out = Vec::new();
    index.scan::<StoreError>(country, first, last, |id, value| {
        let unreadable = |source| StoreError::Index {
            key: id.to_string(),
            source,
        };
        if !keep(&index::outline(value).map_err(unreadable)?) {
            return Ok(());
        }
        let k = index::decode(value).map_err(unreadable)?;
        out.push((id.to_string(), k));
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Severity, Verification};
    use chrono::TimeZone;

    fn sub(target: &str) -> Subscription {
        Subscription {
            id: "s1".into(),
            target: target.parse().unwrap(),
            countries: vec!["ML".into()],
            regions: vec![],
            near: None,
            min_severity: Severity::High,
            min_verification: Verification::Claimed,
            kinds: vec![],
            actors: vec![],
            keywords: vec![],
            exclude_keywords: vec![],
            lang: None,
            digest: None,
        }
    }

    fn article(guid: &str, url: &str) -> Article {
        Article {
            source: "src".into(),
            url: url.into(),
            guid: guid.into(),
            title: "t".into(),
            text: "x".into(),
            published: None,
            lang: None,
            family: "f".into(),
        }
    }

    #[test]
    fn articles_are_new_once_by_guid_or_url() {
        let s = Store::temporary().unwrap();
        let new = |g: &str, u: &str, c: Option<&str>| {
            s.insert_article_if_new(&article(g, u), c)
                .unwrap()
                .is_some()
        };
        assert!(new("g1", "u1", Some("https://a.org/1")));
        assert!(!new("g1", "u1", Some("https://a.org/1")));
        // Same story under another GUID, same canonical URL.
        assert!(!new("g2", "u2", Some("https://a.org/1")));
        assert!(new("g3", "u3", None));
        assert_eq!(s.article_count(), 2);
    }

    #[test]
    fn subscriptions_export_and_import() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), 8).unwrap();
        let target: Target = "telegram:-1001".parse().unwrap();
        s.set_subscriptions(&target, &[sub("telegram:-1001")])
            .unwrap();
        let file = dir.path().join("subs.json");
        assert_eq!(s.export_subscriptions(&file).unwrap(), 1);
        let other = Store::temporary().unwrap();
        assert_eq!(other.import_subscriptions(&file).unwrap(), 1);
        assert_eq!(other.subscriptions().unwrap(), vec![sub("telegram:-1001")]);
        // An export from before channel settings: a bare list.
        std::fs::write(
            &file,
            serde_json::to_vec(&vec![sub("telegram:-1001")]).unwrap(),
        )
        .unwrap();
        assert_eq!(
            Store::temporary()
                .unwrap()
                .import_subscriptions(&file)
                .unwrap(),
            1
        );
        std::fs::write(&file, "{not json").unwrap();
        assert!(
            other
                .import_subscriptions(&file)
                .unwrap_err()
                .to_string()
                .contains("subs.json")
        );
    }

    #[test]
    fn corrupted_store_is_moved_aside_and_subscriptions_restored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitrep-data");
        {
            let s = Store::open(&path, 8).unwrap();
            let target: Target = "discord:42".parse().unwrap();
            s.set_subscriptions(&target, &[sub("discord:42")]).unwrap();
            s.put_channel_settings(
                &target,
                &settings::ChannelSettings {
                    lang: Some(crate::i18n::Lang::Fr),
                    digest: crate::model::DigestChoice::Daily(
                        "07:00 Africa/Bamako".parse().unwrap(),
                    ),
                    last_digest: chrono::NaiveDate::from_ymd_opt(2025, 6, 2),
                    ..Default::default()
                },
            )
            .unwrap();
            s.export_subscriptions(&export_path(&path)).unwrap();
            s.flush().unwrap();
        }
        // Overwrite every file of the store with garbage.
        for entry in std::fs::read_dir(&path).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::write(&p, b"\x00garbage\xffnot a sled file at all").unwrap();
            }
        }
        let (store, outcome) = Store::open_or_rebuild(&path, 8).unwrap();
        match outcome {
            OpenOutcome::Rebuilt {
                moved_to,
                restored_subscriptions,
            } => {
                assert!(moved_to.exists());
                assert!(moved_to.to_string_lossy().contains(".corrupt-"));
                assert_eq!(restored_subscriptions, 1);
            }
            OpenOutcome::Opened => panic!("a garbage store opened"),
        }
        assert_eq!(store.subscriptions().unwrap().len(), 1);
        assert_eq!(
            store
                .channel_lang(&"discord:42".parse().unwrap(), &[])
                .unwrap(),
            crate::i18n::Lang::Fr,
            "the channel's language comes back with its subscriptions"
        );
        let restored = store
            .channel_settings(&"discord:42".parse().unwrap())
            .unwrap();
        assert_eq!(
            restored.digest.to_owned(),
            crate::model::DigestChoice::Daily("07:00 Africa/Bamako".parse().unwrap()),
            "and so do its digest time and zone"
        );
        assert_eq!(
            restored.last_digest,
            chrono::NaiveDate::from_ymd_opt(2025, 6, 2)
        );
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let s = Store::open(&path, 8).unwrap();
            let meta = s.t().db.open_tree(keys::META).unwrap();
            meta.insert(
                keys::META_SCHEMA_VERSION,
                &(keys::SCHEMA_VERSION + 1).to_be_bytes(),
            )
            .unwrap();
            s.flush().unwrap();
        }
        let err = Store::open_or_rebuild(&path, 8).err().expect("refused");
        assert!(err.to_string().contains("schema version"), "{err}");
    }

    #[test]
    fn a_store_in_a_fault_refuses_writes_and_reopens_for_every_clone() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), 8).unwrap();
        let clone = s.clone();
        let target: Target = "telegram:-1001".parse().unwrap();
        s.set_subscriptions(&target, &[sub("telegram:-1001")])
            .unwrap();
        s.flush().unwrap();
        s.note(&StoreError::Sled(sled::Error::Io(
            std::io::Error::from_raw_os_error(28),
        )));
        let err = clone.set_mutes(&target, &[]).unwrap_err();
        assert!(
            err.is_io() && err.to_string().contains("os error 28"),
            "{err}"
        );
        assert!(s.flush().is_err());
        assert!(!clone.is_writable());
        assert!(s.recover());
        assert!(clone.is_writable());
        assert_eq!(clone.subscriptions().unwrap().len(), 1);
        clone.set_subscriptions(&target, &[]).unwrap();
        assert!(s.subscriptions().unwrap().is_empty());
    }

    /// Regression: a reopen that found the failed database still open (a call in flight on
    /// another thread) retried for up to 80 s holding the handle lock, so every reader waited.
    #[test]
    fn a_reopen_while_the_old_database_is_still_held_returns_at_once_and_succeeds_later() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), 8).unwrap();
        let target: Target = "telegram:-1001".parse().unwrap();
        s.set_subscriptions(&target, &[sub("telegram:-1001")])
            .unwrap();
        s.flush().unwrap();
        s.note(&StoreError::Sled(sled::Error::Io(
            std::io::Error::from_raw_os_error(28),
        )));
        // A call in flight keeps the failed database, and so sled's lock on its files.
        let in_flight = s.t();
        let (tx, rx) = std::sync::mpsc::channel();
        let other = s.clone();
        std::thread::spawn(move || tx.send(other.recover()).unwrap());
        let recovered = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("recover returns while the old database is held (a hang guard)");
        assert!(!recovered);
        assert!(!s.is_writable());
        // Readers get answers meanwhile, not a wait.
        assert_eq!(s.outbox_len(), 0);
        drop(in_flight);
        // The caller tries again (the daemon every half second): the store opens, whole.
        let mut tries = 0;
        while !s.recover() {
            tries += 1;
            assert!(tries < 400, "the store never opened again");
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        assert!(s.is_writable());
        assert_eq!(s.subscriptions().unwrap().len(), 1);
    }

    #[test]
    fn an_item_run_again_finds_its_own_keys_but_not_anothers() {
        let s = Store::temporary().unwrap();
        let a = article("g1", "u1");
        let id = s
            .insert_article_if_new(&a, Some("https://a.org/1"))
            .unwrap();
        assert!(id.is_some());
        assert_eq!(
            s.insert_article_if_new(&a, Some("https://a.org/1"))
                .unwrap(),
            None
        );
        assert_eq!(
            s.insert_article_again(&a, Some("https://a.org/1")).unwrap(),
            id
        );
        // Another item whose GUID was taken is still a duplicate.
        let b = article("g1", "u2");
        assert_eq!(
            s.insert_article_again(&b, Some("https://a.org/2")).unwrap(),
            None
        );
    }

    #[test]
    fn a_first_message_waiting_is_not_queued_twice() {
        let s = Store::temporary().unwrap();
        let d = Delivery {
            target: "telegram:-1001".parse().unwrap(),
            incident_id: "ML-20250601-boulkessi".into(),
            action: Action::New,
            met_thresholds: true,
            lang: Default::default(),
        };
        assert_eq!(s.enqueue(std::slice::from_ref(&d), Utc::now()).unwrap(), 1);
        assert_eq!(s.enqueue(&[d], Utc::now()).unwrap(), 0);
        assert_eq!(s.outbox_len(), 1);
    }
    fn account(url: &str, day: u32, follow_up: bool) -> crate::incident::Report {
        use crate::model::{DatePrecision, Kind, SourceRef};
        let seen = Utc.with_ymd_and_hms(2025, 6, day, 12, 0, 0).unwrap();
        crate::incident::Report {
            source: SourceRef {
                url: url.into(),
                outlet: "outlet".into(),
                family: "outlet".into(),
                published: Some(seen),
                lang: Some("en".into()),
            },
            family: "outlet".into(),
            kind: Kind::Abduction,
            place: Some("Djibo".into()),
            admin1: Some("Sahel".into()),
            lat: Some(14.10),
            lon: Some(-1.63),
            geo_precision: 1,
            date: NaiveDate::from_ymd_opt(2025, 6, day).unwrap(),
            date_end: None,
            date_precision: DatePrecision::Day,
            actors: vec![],
            perpetrator: None,
            target: None,
            fatalities: None,
            summary: String::new(),
            evidence: Default::default(),
            story: crate::incident::Story {
                terms: vec!["pupils".into(), "school".into()],
                follow_up,
                undated: false,
            },
            seen,
        }
    }

    fn incident_of(id: &str, reports: Vec<crate::incident::Report>) -> IncidentRecord {
        let mut it = reports.into_iter();
        let mut rec = IncidentRecord::from_report("BF", it.next().unwrap());
        rec.incident.id = id.into();
        rec.reports.extend(it);
        rec
    }

    fn june(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, day).unwrap()
    }

    #[test]
    fn the_index_holds_binary_keys_and_aftermaths_apart() {
        let s = Store::temporary().unwrap();
        let event = incident_of("BF-1", vec![account("https://a/1", 1, false)]);
        let release = incident_of("BF-2", vec![account("https://a/2", 20, true)]);
        s.put_incident(&event).unwrap();
        s.put_incident(&release).unwrap();
        let all = s.candidates_between("BF", june(1), june(30)).unwrap();
        let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["BF-1", "BF-2"]);
        assert_eq!(all[0].1, MatchKey::of_record(&event));
        assert_eq!(all[1].1, MatchKey::of_record(&release));
        assert!(
            s.candidates_between("BF", june(2), june(19))
                .unwrap()
                .is_empty()
        );
        assert!(
            s.candidates_between("ML", june(1), june(30))
                .unwrap()
                .is_empty()
        );
        let later = s
            .aftermath_candidates_between("BF", june(2), june(30))
            .unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].0, "BF-2");
        let value = s
            .t()
            .country_day
            .tree
            .get(keys::country_day("BF", june(1), "BF-1"))
            .unwrap();
        assert_eq!(value.unwrap()[0], index::BINARY_V1);
    }

    #[test]
    fn an_incident_that_is_no_longer_only_an_aftermath_leaves_the_follow_up_index() {
        let s = Store::temporary().unwrap();
        let mut rec = incident_of("BF-2", vec![account("https://a/2", 20, true)]);
        s.put_incident(&rec).unwrap();
        assert_eq!(
            s.aftermath_candidates_between("BF", june(1), june(30))
                .unwrap()
                .len(),
            1
        );
        // Redated: the old day's entries go in both parts of the index.
        rec.incident.date = june(21);
        s.put_incident(&rec).unwrap();
        let later = s
            .aftermath_candidates_between("BF", june(1), june(30))
            .unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].1.date, june(21));
        assert_eq!(
            s.candidates_between("BF", june(1), june(30)).unwrap().len(),
            1
        );
        // A report of the event itself joins: the incident is no longer only an aftermath.
        rec.reports.push(account("https://a/3", 21, false));
        s.put_incident(&rec).unwrap();
        assert!(
            s.aftermath_candidates_between("BF", june(1), june(30))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.candidates_between("BF", june(1), june(30)).unwrap().len(),
            1
        );
    }

    #[test]
    fn the_matching_index_in_memory_answers_as_its_tree_after_writes_prunes_and_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let seen = |s: &Store| {
            let all = s.candidates_between("BF", june(1), june(30)).unwrap();
            let later = s
                .aftermath_candidates_between("BF", june(1), june(30))
                .unwrap();
            (all, later)
        };
        let before = {
            let s = Store::open(&path, 8).unwrap();
            let mut moved = incident_of("BF-3", vec![account("https://a/3", 4, false)]);
            for rec in [
                incident_of("BF-1", vec![account("https://a/1", 1, false)]),
                incident_of("BF-2", vec![account("https://a/2", 20, true)]),
                incident_of("BF-4", vec![account("https://a/4", 25, false)]),
                moved.clone(),
            ] {
                s.put_incident(&rec).unwrap();
            }
            // Redated, then a second account: its old day's entry is gone, its new one replaced.
            moved.incident.date = june(22);
            s.put_incident(&moved).unwrap();
            moved.reports.push(account("https://a/5", 22, false));
            s.put_incident(&moved).unwrap();
            let cutoff = Utc.with_ymd_and_hms(2025, 6, 2, 0, 0, 0).unwrap();
            assert_eq!(s.prune(cutoff).unwrap().incidents, 1);
            s.flush().unwrap();
            seen(&s)
        };
        let ids: Vec<&str> = before.0.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["BF-2", "BF-3", "BF-4"]);
        assert_eq!(before.0[1].1.date, june(22));
        assert_eq!(before.1.len(), 1);
        let s = Store::open(&path, 8).unwrap();
        assert_eq!(seen(&s), before);
    }

    #[test]
    fn a_schema_1_store_with_json_index_entries_is_migrated_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let event = incident_of("BF-1", vec![account("https://a/1", 1, false)]);
        let release = incident_of("BF-2", vec![account("https://a/2", 20, true)]);
        {
            // What sitrep 0.x wrote: JSON index entries, no follow-up index, schema 1.
            let s = Store::open(&path, 8).unwrap();
            let t = s.t();
            for rec in [&event, &release] {
                let i = &rec.incident;
                t.incidents.insert(i.id.as_bytes(), encode(rec)).unwrap();
                t.country_day
                    .tree
                    .insert(
                        keys::country_day(&i.country, i.date, &i.id),
                        encode(&MatchKey::of_record(rec)),
                    )
                    .unwrap();
            }
            t.db.drop_tree(keys::FOLLOW_UPS).unwrap();
            t.db.open_tree(keys::META)
                .unwrap()
                .insert(keys::META_SCHEMA_VERSION, &1u32.to_be_bytes())
                .unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(&path, 8).unwrap();
        let version = s
            .t()
            .db
            .open_tree(keys::META)
            .unwrap()
            .get(keys::META_SCHEMA_VERSION);
        assert_eq!(
            version.unwrap().unwrap().as_ref(),
            &keys::SCHEMA_VERSION.to_be_bytes()
        );
        let all = s.candidates_between("BF", june(1), june(30)).unwrap();
        assert_eq!(all[0].1, MatchKey::of_record(&event));
        assert_eq!(all[1].1, MatchKey::of_record(&release));
        for item in s.t().country_day.tree.iter() {
            assert_eq!(item.unwrap().1[0], index::BINARY_V1);
        }
        let later = s
            .aftermath_candidates_between("BF", june(2), june(30))
            .unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].0, "BF-2");
    }

    #[test]
    fn a_json_index_entry_left_behind_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let event = incident_of("BF-1", vec![account("https://a/1", 1, false)]);
        {
            let s = Store::open(&path, 8).unwrap();
            s.put_incident(&event).unwrap();
            s.t()
                .country_day
                .tree
                .insert(
                    keys::country_day("BF", june(1), "BF-1"),
                    encode(&MatchKey::of_record(&event)),
                )
                .unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(&path, 8).unwrap();
        assert_eq!(
            s.t()
                .country_day
                .tree
                .get(keys::country_day("BF", june(1), "BF-1"))
                .unwrap()
                .unwrap()[0],
            b'{'
        );
        let all = s.candidates_between("BF", june(1), june(1)).unwrap();
        assert_eq!(all, vec![("BF-1".to_string(), MatchKey::of_record(&event))]);
    }
}
