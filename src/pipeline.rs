//! One article through the pipeline: item dedup (GUID, canonical URL), storage, extraction,
//! incident matching and merging, and the age guard; out come the alert events (DESIGN §3.3).
//! A Telegram channel's post is graded by who posted it ([`Standing`]), and an edited post
//! replaces its first version in the stored article and in its incident.
//! Synchronous and free of I/O but for the store, so `replay`, the daemon and tests share it.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use crate::extract::actors::{self, Side};
use crate::extract::gazetteer::PlaceKind;
use crate::extract::{self, Gazetteer};
use crate::incident::grade::{self, Standing};
use crate::incident::{self, IncidentRecord, fingerprint};
use crate::model::{AlertEvent, Article, EventKind, canonical_url};
use crate::store::{Store, StoreError};

/// The pipeline's counters, defined with the metrics they feed.
pub use crate::metrics::Counts;

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
    /// Districts already looked up ([`Pipeline::admin2`]): every report compares its place with
    /// the same few hundred candidates of its days, each a gazetteer lookup otherwise.
    admin2_memo: RefCell<Admin2Memo>,
    pub counts: Counts,
}

/// Memo of [`Pipeline::admin2`]: the hash of (country, place, coordinates) to them and their
/// district. Hashed so that a look-up allocates nothing; the stored parts rule out a collision.
type Admin2Memo = HashMap<u64, (Admin2Of, Option<String>)>;

/// What a district is looked up by: country, place name, and the coordinates' bits.
type Admin2Of = (String, String, Option<u64>, Option<u64>);

/// Most districts the memo holds before it starts again (a few MB at most).
const ADMIN2_MEMO_MAX: usize = 50_000;

impl<'g> Pipeline<'g> {
    pub fn new(store: Store, gazetteer: &'g Gazetteer, max_age: std::time::Duration) -> Self {
        Pipeline {
            store,
            gazetteer,
            max_age: Duration::from_std(max_age).unwrap_or(Duration::days(3650)),
            as_of: None,
            again: false,
            admin2_memo: RefCell::new(HashMap::new()),
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
        self.ingest_as(article, &Standing::Outlet)
    }

    /// Runs one article through, its reports graded by the standing of who published it.
    fn ingest_as(
        &mut self,
        article: &Article,
        standing: &Standing,
    ) -> Result<Ingested, PipelineError> {
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
        self.extract_and_merge(&article, standing, false)
    }

    /// Extracts an article stored under its id and merges what it says; with `replace`, its
    /// reports take the place of those of its earlier version.
    fn extract_and_merge(
        &mut self,
        article: &Article,
        standing: &Standing,
        replace: bool,
    ) -> Result<Ingested, PipelineError> {
        let now = self.now();
        let published = article.published.unwrap_or(now).min(now);
        let too_old = now - published > self.max_age;
        if too_old {
            self.counts.too_old += 1;
        }
        let extraction =
            extract::extract_article(&bounded(article), published, now, self.gazetteer);
        let cites = *standing == Standing::Unvetted && cites_sources(article);
        let mut out = Ingested::default();
        for mut found in extraction.incidents {
            if *standing != Standing::Outlet {
                let side = party_side(found.report.perpetrator.as_deref(), standing);
                grade::apply_standing(&mut found.report, standing, side, cites);
            }
            let (incident_id, event) = self.merge_report(found, replace)?;
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
            SourceItem::Post {
                article,
                standing,
                maybe_edit,
            } => return self.ingest_post(article, standing, *maybe_edit),
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

    /// A channel's post: new, it goes through like an article with its standing; a possible
    /// edit of a stored post with a different text updates the stored article and replaces its
    /// reports (an edit that changes nothing is a duplicate).
    fn ingest_post(
        &mut self,
        article: &Article,
        standing: &Standing,
        maybe_edit: bool,
    ) -> Result<Ingested, PipelineError> {
        let stored = if maybe_edit {
            self.store.article_by_guid(&article.source, &article.guid)?
        } else {
            None
        };
        let Some((id, before)) = stored else {
            return self.ingest_as(article, standing);
        };
        if before.title == article.title && before.text == article.text {
            if self.again {
                // Run again: the failed run stored this edit; its reports go in as they would
                // have.
                let edited = Article {
                    family: before.family,
                    ..article.clone()
                };
                return self.extract_and_merge(&edited, standing, true);
            }
            self.counts.duplicates += 1;
            return Ok(Ingested {
                duplicate: true,
                ..Default::default()
            });
        }
        // The family a near-duplicate gave the first version still holds.
        let edited = Article {
            family: before.family,
            ..article.clone()
        };
        self.store.put_article(&id, &edited)?;
        tracing::debug!(source = %edited.source, guid = %edited.guid, "edited post updates its article");
        self.extract_and_merge(&edited, standing, true)
    }

    /// Matches one extracted incident against the store and merges or inserts it; returns the
    /// incident's id and the event a subscriber should see, if any.
    pub fn merge(
        &mut self,
        found: extract::Extracted,
    ) -> Result<(String, Option<AlertEvent>), PipelineError> {
        self.merge_report(found, false)
    }

    /// [`Pipeline::merge`]; with `replace`, a report from the same address takes the place of
    /// the one stored (an edited post) instead of being ignored.
    fn merge_report(
        &mut self,
        found: extract::Extracted,
        replace: bool,
    ) -> Result<(String, Option<AlertEvent>), PipelineError> {
        let candidate = IncidentRecord::from_report(&found.country, found.report);
        let mut key = incident::MatchKey::of_record(&candidate);
        key.admin2 = self.admin2(&key);
        let (first, last) = key.scan_days();
        // Those that cannot match are left unread, unless they hold coarse reports that the new
        // incident may take away from them.
        let mut candidates = self.store.candidates_kept(&key.country, first, last, |o| {
            o.coarse || incident::may_match_outline(&o.key, &key)
        })?;
        let (first, last) = key.aftermath_days();
        let later = self
            .store
            .aftermath_candidates_between(&key.country, first, last)?;
        candidates.extend(later);
        // Districts only where places will be compared (a gazetteer lookup each).
        for (_, k) in &mut candidates {
            if incident::may_match(k, &key) || !k.coarse.is_empty() {
                k.admin2 = self.admin2(k);
            }
        }
        let choice = incident::choose(&candidates, &key);
        let existing = match &choice {
            incident::Choice::Join(id) => self.store.incident(id)?,
            _ => None,
        };
        let Some(mut record) = existing else {
            let mut record = candidate;
            record.incident.id = self.unique_id(&record)?;
            self.store.put_incident(&record)?;
            self.counts.incidents_new += 1;
            self.split_ambiguous(&key, &candidates)?;
            // A coarse account that fits two incidents is kept but not alerted: it most likely
            // tells one of them again.
            if choice == incident::Choice::Ambiguous {
                return Ok((record.incident.id, None));
            }
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
        let mut replaced = false;
        if !report.source.url.is_empty()
            && record
                .reports
                .iter()
                .any(|r| r.source.url == report.source.url)
        {
            if !replace {
                return Ok((id, self.again_event(&record)));
            }
            record.reports.retain(|r| r.source.url != report.source.url);
            replaced = true;
        }
        record.reports.push(report);
        let updated = self.remerged(&record);
        let changes = incident::changes(&record.incident, &updated);
        record.incident = updated;
        self.store.put_incident(&record)?;
        if changes.is_empty() || incident::is_quiet(&changes) {
            let event = if replaced {
                self.again_event(&record)
            } else {
                None
            };
            return Ok((id, event));
        }
        self.counts.incidents_updated += 1;
        let event = AlertEvent {
            event: EventKind::Update,
            incident: record.incident,
            changes,
        };
        Ok((id, Some(event)))
    }

    /// Run again ([`Pipeline::ingest_again`]), a report the failed run had already merged: whether
    /// its alert was queued is not known, so routing decides again from what was sent.
    fn again_event(&self, record: &IncidentRecord) -> Option<AlertEvent> {
        self.again.then(|| AlertEvent {
            event: EventKind::Update,
            incident: record.incident.clone(),
            changes: Vec::new(),
        })
    }

    /// The incident recomputed from its reports, with a summary of what the merged incident says
    /// (not what its latest report said).
    fn remerged(&self, record: &IncidentRecord) -> crate::model::Incident {
        let mut updated = incident::merged(record);
        updated.summary = extract::summary(
            updated.kind,
            updated.place.as_deref(),
            &updated.country,
            self.gazetteer,
            updated.perpetrator.as_deref(),
            updated.fatalities.as_ref(),
            &updated.claimed_by,
        );
        updated
    }

    /// After a new incident is stored: a coarse report that joined another incident and fits the
    /// new one as well now fits two, so it leaves and stands alone (quietly), as it would have had
    /// the new incident come first. Keeps the outcome independent of arrival order.
    fn split_ambiguous(
        &mut self,
        new: &incident::MatchKey,
        candidates: &[(String, incident::MatchKey)],
    ) -> Result<(), PipelineError> {
        // Only an incident with coarse reports has one to split off (most candidates have none:
        // their keys are not copied).
        for (id, k) in candidates.iter().filter(|(_, k)| !k.coarse.is_empty()) {
            // It fits both unless its story clearly tells one of them.
            let both = [(id.clone(), k.clone()), (String::new(), new.clone())];
            let fits = |c: &incident::MatchKey| {
                let mut c = c.clone();
                c.admin2 = self.admin2(&c);
                new.level() < c.level()
                    && incident::matches(&c, new)
                    && incident::choose(&both, &c) == incident::Choice::Ambiguous
            };
            if !k.coarse.iter().any(fits) {
                continue;
            }
            let Some(mut record) = self.store.incident(id)? else {
                continue;
            };
            let country = record.incident.country.clone();
            let level = k.level();
            let (gone, kept): (Vec<_>, Vec<_>) = record.reports.drain(..).partition(|r| {
                let rk = incident::MatchKey::of_report(&country, r);
                rk.level() > level && fits(&rk)
            });
            if kept.is_empty() || gone.is_empty() {
                record.reports = kept.into_iter().chain(gone).collect();
                continue;
            }
            record.reports = kept;
            record.incident = self.remerged(&record);
            self.store.put_incident(&record)?;
            let mut alone = IncidentRecord::from_report(&country, gone[0].clone());
            alone.reports.extend(gone.into_iter().skip(1));
            alone.incident = self.remerged(&alone);
            alone.incident.id = self.unique_id(&alone)?;
            self.store.put_incident(&alone)?;
        }
        Ok(())
    }

    /// The district (admin2) holding a key's place, from the gazetteer: the district itself for
    /// a district, none for a region, a country or a place the gazetteer does not know.
    /// Memoised: the gazetteer does not change, and the same places come back report after report.
    fn admin2(&self, key: &incident::MatchKey) -> Option<String> {
        let name = key.place.as_deref()?;
        let (lat, lon) = (key.lat.map(f64::to_bits), key.lon.map(f64::to_bits));
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [key.country.as_bytes(), b"\0", name.as_bytes()] {
            h.update(part);
        }
        for v in [lat, lon] {
            h.update(&v.map_or([0xFF; 9], |b| {
                let mut a = [0; 9];
                a[1..].copy_from_slice(&b.to_le_bytes());
                a
            }));
        }
        let hash = h.digest();
        let same =
            |of: &Admin2Of| of.0 == key.country && of.1 == name && of.2 == lat && of.3 == lon;
        match self.admin2_memo.borrow().get(&hash) {
            Some((of, found)) if same(of) => return found.clone(),
            Some(_) => return self.admin2_uncached(key, name),
            None => {}
        }
        let found = self.admin2_uncached(key, name);
        let mut memo = self.admin2_memo.borrow_mut();
        if memo.len() >= ADMIN2_MEMO_MAX {
            memo.clear();
        }
        let of = (key.country.clone(), name.to_string(), lat, lon);
        memo.insert(hash, (of, found.clone()));
        found
    }

    /// [`Pipeline::admin2`] read from the gazetteer.
    fn admin2_uncached(&self, key: &incident::MatchKey, name: &str) -> Option<String> {
        // Namesakes ("Kaya" in three regions): the one at the key's coordinates.
        let off = |p: &&extract::gazetteer::Place| match (key.lat, key.lon) {
            (Some(lat), Some(lon)) => ((p.lat - lat).abs() + (p.lon - lon).abs()) * 1e4,
            _ => 0.0,
        };
        self.gazetteer
            .lookup(name)
            .iter()
            .map(|id| self.gazetteer.place(*id))
            .filter(|p| p.country == key.country && p.name == name)
            .min_by_key(|p| (off(p) as u64, p.kind != PlaceKind::Admin2))
            .and_then(|p| match p.kind {
                PlaceKind::Admin2 => Some(p.name.clone()),
                PlaceKind::Admin1 | PlaceKind::Country => None,
                _ => (!p.admin2.is_empty()).then(|| p.admin2.clone()),
            })
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

/// Whether a post names its sources ("selon des sources locales", "residents said", an
/// official's statement): an unvetted channel's post that does is more than a rumour.
fn cites_sources(article: &Article) -> bool {
    let folded = crate::text::fold(&format!("{}\n{}", article.title, article.text));
    let e = extract::lexicon::evidence(&folded);
    e.reported || e.official || e.state_statement
}

/// For a party's channel, whether the report's perpetrator is the party or on its side (`None`
/// when the perpetrator is unknown or for other standings).
fn party_side(perpetrator: Option<&str>, standing: &Standing) -> Option<bool> {
    let Standing::Party { name, state } = standing else {
        return None;
    };
    let actor = actors::by_name(perpetrator?)?;
    match actor.side {
        Side::Unidentified | Side::Civilians => None,
        Side::State => Some(*state || actor.name == name),
        Side::NonState => Some(actor.name == name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatePrecision, Kind};

    fn key(place: Option<&str>, lat: f64, lon: f64) -> incident::MatchKey {
        incident::MatchKey {
            country: "BF".into(),
            kind: Kind::Clash,
            date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            date_end: None,
            date_precision: DatePrecision::Day,
            lat: Some(lat),
            lon: Some(lon),
            geo_precision: 1,
            admin1: None,
            place: place.map(str::to_string),
            admin2: None,
            perpetrator: None,
            terms: Vec::new(),
            follow_up: false,
            captives: None,
            captives_exact: false,
            undated: false,
            coarse: Vec::new(),
        }
    }

    #[test]
    fn remembered_districts_keep_namesakes_apart() {
        let p = Pipeline::new(
            Store::temporary().unwrap(),
            Gazetteer::bundled(),
            std::time::Duration::from_secs(86400),
        );
        // Two villages named Abra in Burkina Faso, in two provinces: each key's coordinates
        // pick its own, the first time and again from the memo.
        let south = key(Some("Abra"), 13.0914, -1.34752);
        let north = key(Some("Abra"), 13.75724, -1.47784);
        for _ in 0..2 {
            assert_eq!(p.admin2(&south).as_deref(), Some("Sanmatenga"));
            assert_eq!(p.admin2(&north).as_deref(), Some("Soum"));
        }
        assert_eq!(p.admin2_memo.borrow().len(), 2);
        assert_eq!(p.admin2(&key(None, 13.0, -1.3)), None);
        let mut other = south.clone();
        other.country = "ML".into();
        assert_eq!(p.admin2(&other), None, "no Abra in Mali");
    }
}
