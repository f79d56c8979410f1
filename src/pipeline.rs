//! One article through the pipeline: item dedup (GUID, canonical URL), storage, extraction,
//! incident matching and merging, and the age guard; out come the alert events (DESIGN §3.3).
//! Synchronous and free of I/O but for the store, so `replay`, the daemon and tests share it.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use crate::extract::{self, Gazetteer};
use crate::incident::{self, IncidentRecord, fingerprint};
use crate::model::{AlertEvent, Article, EventKind};
use crate::source::canonical_url;
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Longest title given to extraction, in bytes.
pub const MAX_TITLE_BYTES: usize = 1024;
/// Longest body given to extraction and to the near-duplicate fingerprint, in bytes (about 5,000
/// words, four times a long news article). Their time grows with the text; this cap keeps one
/// article within a budget of about 50 ms (release build) whatever a feed sends, and the incidents
/// of a news story are in its first paragraphs. The stored article keeps its whole text.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;

/// The article as extraction sees it: title and body cut to [`MAX_TITLE_BYTES`] and
/// [`MAX_TEXT_BYTES`] at a character boundary.
pub fn bounded(article: &Article) -> std::borrow::Cow<'_, Article> {
    if article.title.len() <= MAX_TITLE_BYTES && article.text.len() <= MAX_TEXT_BYTES {
        return std::borrow::Cow::Borrowed(article);
    }
    let mut a = article.clone();
    a.title = cut(&a.title, MAX_TITLE_BYTES).to_string();
    a.text = cut(&a.text, MAX_TEXT_BYTES).to_string();
    std::borrow::Cow::Owned(a)
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Counters of what the pipeline did, for logs and metrics.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub articles: u64,
    pub duplicates: u64,
    pub incidents_new: u64,
    pub incidents_updated: u64,
    pub too_old: u64,
    /// Articles whose text is a near-copy of one seen before (counted for its family).
    pub near_duplicates: u64,
}

/// What one article did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ingested {
    /// Alert events to send (none for old articles, duplicates and quiet changes).
    pub events: Vec<AlertEvent>,
    /// Every incident the article was merged into or created, alerted or not.
    pub incident_ids: Vec<String>,
    /// The GUID or canonical URL was seen before: nothing was done.
    pub duplicate: bool,
}

/// The ingest stage with its store and gazetteer.
pub struct Pipeline<'g> {
    store: Store,
    gazetteer: &'g Gazetteer,
    max_age: Duration,
    /// The current time, fixed for replays of archived feeds (`--as-of`); `None` = the clock.
    as_of: Option<DateTime<Utc>>,
    /// Running an item again after the store failed part-way through it ([`Pipeline::ingest_again`]).
    again: bool,
    pub counts: Counts,
}

impl<'g> Pipeline<'g> {
    pub fn new(store: Store, gazetteer: &'g Gazetteer, max_age: std::time::Duration) -> Self {
        Pipeline {
            store,
            gazetteer,
            max_age: Duration::from_std(max_age).unwrap_or(Duration::days(3650)),
            as_of: None,
            again: false,
            counts: Counts::default(),
        }
    }

    /// Takes `now` as the current time instead of the clock.
    pub fn with_as_of(mut self, now: Option<DateTime<Utc>>) -> Self {
        self.as_of = now;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now(&self) -> DateTime<Utc> {
        self.as_of.unwrap_or_else(Utc::now)
    }

    /// Runs an item again whose earlier run failed on a store write (a full disk): what that run
    /// stored of it counts as its own (no "duplicate"), and every incident it reached yields an
    /// event, so that routing queues whatever alert did not reach the outbox (the outbox does
    /// not queue the same first message twice).
    pub fn ingest_again(
        &mut self,
        item: &crate::source::api::SourceItem,
    ) -> Result<Ingested, PipelineError> {
        self.again = true;
        let out = self.ingest_item(item);
        self.again = false;
        out
    }

    /// Stores an article unless seen before (or, run again, unless another article holds its keys).
    fn insert_article(
        &self,
        article: &Article,
        canonical: Option<&str>,
    ) -> Result<Option<String>, PipelineError> {
        Ok(if self.again {
            self.store.insert_article_again(article, canonical)?
        } else {
            self.store.insert_article_if_new(article, canonical)?
        })
    }

    /// Runs one article through and returns what it caused.
    pub fn ingest(&mut self, article: &Article) -> Result<Ingested, PipelineError> {
        let canonical = canonical_url(&article.url);
        let Some(id) = self.insert_article(article, canonical.as_deref())? else {
            self.counts.duplicates += 1;
            return Ok(Ingested {
                duplicate: true,
                ..Default::default()
            });
        };
        self.counts.articles += 1;
        // A republication of a story seen before counts for the original's publisher family.
        let mut article = article.clone();
        // Within the per-article budget: the fingerprint reads what extraction reads.
        let sig = {
            let b = bounded(&article);
            fingerprint::signature(&format!("{}\n{}", b.title, b.text))
        };
        if let Some(sig) = sig {
            if let Some(original) = self.store.near_duplicate(&sig)? {
                self.counts.near_duplicates += 1;
                if original.family != article.family {
                    article.family = original.family;
                    self.store.put_article(&id, &article)?;
                }
            }
            self.store.put_signature(&id, &sig)?;
        }
        let now = self.now();
        let published = article.published.unwrap_or(now).min(now);
        let too_old = now - published > self.max_age;
        if too_old {
            self.counts.too_old += 1;
        }
        let extraction =
            extract::extract_article(&bounded(&article), published, now, self.gazetteer);
        let mut out = Ingested::default();
        for found in extraction.incidents {
            let (incident_id, event) = self.merge(found)?;
            if !out.incident_ids.contains(&incident_id) {
                out.incident_ids.push(incident_id);
            }
            if let Some(event) = event.filter(|_| !too_old) {
                out.events.push(event);
            }
        }
        Ok(out)
    }

    /// Runs one source item through: an article goes to the extractor, a dataset's coded event
    /// (ACLED) straight to merging. Duplicates and the age guard apply to both.
    pub fn ingest_item(
        &mut self,
        item: &crate::source::api::SourceItem,
    ) -> Result<Ingested, PipelineError> {
        use crate::source::api::SourceItem;
        let (article, found) = match item {
            SourceItem::Article(a) => return self.ingest(a),
            SourceItem::Event(a, found) => (a, found),
        };
        let canonical = canonical_url(&article.url);
        if self
            .insert_article(article, canonical.as_deref())?
            .is_none()
        {
            self.counts.duplicates += 1;
            return Ok(Ingested {
                duplicate: true,
                ..Default::default()
            });
        }
        self.counts.articles += 1;
        let now = self.now();
        let too_old = article.published.is_some_and(|p| now - p > self.max_age);
        let (id, event) = self.merge((**found).clone())?;
        Ok(Ingested {
            events: event.filter(|_| !too_old).into_iter().collect(),
            incident_ids: vec![id],
            duplicate: false,
        })
    }

    /// Matches one extracted incident against the store and merges or inserts it; returns the
    /// incident's id and the event a subscriber should see, if any.
    pub fn merge(
        &mut self,
        found: extract::Extracted,
    ) -> Result<(String, Option<AlertEvent>), PipelineError> {
        let candidate = IncidentRecord::from_report(&found.country, found.report);
        let key = incident::MatchKey::of(&candidate.incident);
        let existing = match self
            .store
            .candidates(&key.country, key.date, 3)?
            .into_iter()
            .find(|(_, k)| incident::matches(k, &key))
        {
            Some((id, _)) => self.store.incident(&id)?,
            None => None,
        };
        let Some(mut record) = existing else {
            let mut record = candidate;
            record.incident.id = self.unique_id(&record)?;
            self.store.put_incident(&record)?;
            self.counts.incidents_new += 1;
            let event = AlertEvent {
                event: EventKind::New,
                incident: record.incident.clone(),
                changes: Vec::new(),
            };
            return Ok((record.incident.id, Some(event)));
        };
        let report = candidate
            .reports
            .into_iter()
            .next()
            .expect("a record holds its report");
        let id = record.incident.id.clone();
        if !report.source.url.is_empty()
            && record
                .reports
                .iter()
                .any(|r| r.source.url == report.source.url)
        {
            // Run again: this report was merged by the failed run; whether its alert was queued
            // is not known, so routing decides again from what was sent.
            let event = self.again.then(|| AlertEvent {
                event: EventKind::Update,
                incident: record.incident.clone(),
                changes: Vec::new(),
            });
            return Ok((id, event));
        }
        record.reports.push(report);
        let mut updated = incident::merged(&record);
        // The summary says what the merged incident says, not what its latest report said.
        updated.summary = extract::summary(
            updated.kind,
            updated.place.as_deref(),
            &updated.country,
            self.gazetteer,
            updated.perpetrator.as_deref(),
            updated.fatalities.as_ref(),
            &updated.claimed_by,
        );
        let changes = incident::changes(&record.incident, &updated);
        record.incident = updated;
        self.store.put_incident(&record)?;
        if changes.is_empty() || incident::is_quiet(&changes) {
            return Ok((id, None));
        }
        self.counts.incidents_updated += 1;
        let event = AlertEvent {
            event: EventKind::Update,
            incident: record.incident,
            changes,
        };
        Ok((id, Some(event)))
    }

    fn unique_id(&self, record: &IncidentRecord) -> Result<String, PipelineError> {
        let base = incident::base_id(&record.incident);
        let mut id = base.clone();
        let mut n = 2;
        while self.store.incident_exists(&id)? {
            id = format!("{base}-{n}");
            n += 1;
        }
        Ok(id)
    }
}
