//! One article through the pipeline: item dedup (GUID, canonical URL), storage, extraction,
//! incident matching and merging, and the age guard; out come the alert events (DESIGN §3.3).
//! Synchronous and free of I/O but for the store, so `replay`, the daemon and tests share it.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use crate::extract::{self, Gazetteer};
use crate::incident::{self, IncidentRecord};
use crate::model::{AlertEvent, Article, EventKind};
use crate::source::canonical_url;
use crate::store::{Store, StoreError};

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Counters of what the pipeline did, for logs and metrics.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub articles: u64,
    pub duplicates: u64,
    pub incidents_new: u64,
    pub incidents_updated: u64,
    pub too_old: u64,
}

/// The ingest stage with its store and gazetteer.
pub struct Pipeline<'g> {
    store: Store,
    gazetteer: &'g Gazetteer,
    max_age: Duration,
    /// The current time, fixed for replays of archived feeds (`--as-of`); `None` = the clock.
    as_of: Option<DateTime<Utc>>,
    pub counts: Counts,
}

impl<'g> Pipeline<'g> {
    pub fn new(store: Store, gazetteer: &'g Gazetteer, max_age: std::time::Duration) -> Self {
        Pipeline {
            store,
            gazetteer,
            max_age: Duration::from_std(max_age).unwrap_or(Duration::days(3650)),
            as_of: None,
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

    /// Runs one article through; returns the alert events it causes (none for a duplicate, an
    /// article without incidents, a quiet change, or an article older than the age limit).
    pub fn ingest(&mut self, article: &Article) -> Result<Vec<AlertEvent>, PipelineError> {
        let canonical = canonical_url(&article.url);
        if !self
            .store
            .insert_article_if_new(article, canonical.as_deref())?
        {
            self.counts.duplicates += 1;
            return Ok(Vec::new());
        }
        self.counts.articles += 1;
        let now = self.now();
        let published = article.published.unwrap_or(now).min(now);
        let too_old = now - published > self.max_age;
        if too_old {
            self.counts.too_old += 1;
        }
        let extraction = extract::extract_article(article, published, now, self.gazetteer);
        let mut events = Vec::new();
        for found in extraction.incidents {
            if let Some(event) = self.merge(found)?
                && !too_old
            {
                events.push(event);
            }
        }
        Ok(events)
    }

    /// Matches one extracted incident against the store and merges or inserts it.
    fn merge(&mut self, found: extract::Extracted) -> Result<Option<AlertEvent>, PipelineError> {
        let candidate = IncidentRecord::from_report(&found.country, found.report);
        let nearby =
            self.store
                .incidents_around(&candidate.incident.country, candidate.incident.date, 3)?;
        let existing = nearby
            .into_iter()
            .find(|r| incident::matches(&r.incident, &candidate.incident));
        match existing {
            Some(mut record) => {
                let report = candidate.reports.into_iter().next().expect("one report");
                if record
                    .reports
                    .iter()
                    .any(|r| r.source.url == report.source.url && !report.source.url.is_empty())
                {
                    return Ok(None);
                }
                record.reports.push(report);
                let updated = incident::merged(&record);
                let changes = incident::changes(&record.incident, &updated);
                record.incident = updated;
                self.store.put_incident(&record)?;
                if changes.is_empty() || incident::is_quiet(&changes) {
                    return Ok(None);
                }
                self.counts.incidents_updated += 1;
                Ok(Some(AlertEvent {
                    event: EventKind::Update,
                    incident: record.incident,
                    changes,
                }))
            }
            None => {
                let mut record = candidate;
                record.incident.id = self.unique_id(&record)?;
                self.store.put_incident(&record)?;
                self.counts.incidents_new += 1;
                Ok(Some(AlertEvent {
                    event: EventKind::New,
                    incident: record.incident,
                    changes: Vec::new(),
                }))
            }
        }
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
