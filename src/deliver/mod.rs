//! Delivery of alerts: the durable outbox and the worker that drains it.
//!
//! Every delivery is written to the outbox (sled) before it is sent and removed only once the
//! platform accepted it, in the same transaction that records the platform's message id for later
//! edits. After a crash the outbox is simply read again: nothing is lost, and only a send that was
//! in flight at the crash can be repeated. The worker renders each message from the incident as
//! stored at send time, so a delayed send shows the latest toll. Failures are classified once
//! ([`failure`]); sends are paced under the platforms' limits ([`pace`]). With maps on, each alert
//! carries the incident's map picture ([`crate::map`]), drawn once per incident version and kept
//! in a small cache for the other channels; a picture that cannot be drawn leaves the alert as
//! text, never holds it up. Cards are written in the delivery's language (the channel's for a new
//! message, the original message's for an edit) and rendered once per incident version and
//! language, kept in a small cache for the other channels.

pub mod failure;
pub mod format;
pub mod pace;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};

use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::incident::IncidentRecord;
use crate::map::{self, MapCache, Scene};
use crate::model::{Incident, Target};
use crate::sink::{Rendered, Sinks};
use crate::store::Store;
use crate::store::records::{Action, Delivery, MessageForm, Sent};
/// The outbox records the worker drains, kept by the store ([`crate::store::records`]).
pub use crate::store::records::{OutboxEntry, TargetState};
use failure::Outcome;

/// Attempts before a delivery that keeps failing with passing faults is dropped (about a day
/// of backoff).
pub const MAX_ATTEMPTS: u32 = 20;

/// Backoff after `attempts` passing faults: 2 s doubling, capped at 30 min.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempts.clamp(1, 11))).min(Duration::from_secs(1800))
}

/// A platform's health after a refusal: an unchanged edit is a success, a rate limit is
/// counted apart, anything else is a failure.
fn note_platform_health(platform: &'static str, outcome: &Outcome, failure: &failure::Failure) {
    let metrics = crate::metrics::metrics();
    match outcome {
        Outcome::Unchanged => metrics.platform_ok(platform),
        // Stopping the platform records its health (`Deliverer::stop_platform`).
        Outcome::Unauthorized(_) => {}
        Outcome::RetryAfter(_) => {
            let label = crate::metrics::PlatformLabel { platform };
            metrics.rate_limited.get_or_create(&label).inc();
        }
        _ => metrics.platform_failed(platform, &failure.description),
    }
}

/// Counters of what the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub sent: u64,
    pub edited: u64,
    pub failed: u64,
    pub rate_limited: u64,
    pub disabled: u64,
    /// Map pictures drawn (the others came from the cache).
    pub maps_drawn: u64,
    /// Cards rendered (the others came from the cache): one per incident version and language,
    /// however many channels get it.
    pub rendered: u64,
    /// Daily digests delivered.
    pub digests: u64,
}

/// Map pictures kept for the channels that get the same incident version next.
const MAP_CACHE: usize = 32;

/// Rendered cards kept for the channels that get the same incident version next.
const RENDER_CACHE: usize = 32;

/// What a rendered card depends on beside the incident's id: its version, the language and
/// whether it carries the unverified banner.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RenderKey {
    incident_id: String,
    updated: DateTime<Utc>,
    reports: usize,
    lang: Lang,
    unverified: bool,
}

/// Drains the outbox into the sinks.
pub struct Deliverer {
    store: Store,
    sinks: Sinks,
    gazetteer: &'static Gazetteer,
    pacer: pace::Pacer,
    /// `None` when maps are off.
    maps: Option<MapCache>,
    /// Platforms that refused the bot's token, with why: nothing is sent there until a
    /// restart, and their deliveries stay in the outbox.
    stopped: std::collections::HashMap<&'static str, String>,
    /// Sends the platform accepted whose completion the store could not write (a full disk):
    /// written once it can, and not sent again meanwhile.
    unrecorded: Vec<(OutboxEntry, Sent)>,
    /// The last cards rendered, most recent first.
    renders: std::collections::VecDeque<(RenderKey, Rendered)>,
    pub counts: DeliveryCounts,
}

impl Deliverer {
    pub fn new(
        store: Store,
        sinks: Sinks,
        gazetteer: &'static Gazetteer,
        pacer: pace::Pacer,
    ) -> Self {
        Deliverer {
            store,
            sinks,
            gazetteer,
            pacer,
            maps: None,
            stopped: Default::default(),
            unrecorded: Vec::new(),
            renders: std::collections::VecDeque::with_capacity(RENDER_CACHE),
            counts: DeliveryCounts::default(),
        }
    }

    /// Attaches a map picture to every alert (`[alerts] maps`); off by default.
    pub fn with_maps(mut self, on: bool) -> Self {
        self.maps = on.then(|| MapCache::new(MAP_CACHE));
        self
    }

    /// The card of an incident version in a language: from the cache, else rendered (and
    /// counted). A fan-out to many channels renders once per language.
    fn rendered(&mut self, record: &IncidentRecord, unverified: bool, lang: Lang) -> Rendered {
        let key = RenderKey {
            incident_id: record.incident.id.clone(),
            updated: record.incident.updated,
            reports: record.reports.len(),
            lang,
            unverified,
        };
        if let Some(at) = self.renders.iter().position(|(k, _)| *k == key) {
            let entry = self.renders.remove(at).expect("found above");
            let r = entry.1.clone();
            self.renders.push_front(entry);
            return r;
        }
        let r = Rendered::new(record, self.gazetteer, unverified, lang);
        self.counts.rendered += 1;
        // Older versions of this incident are not sent again.
        self.renders
            .retain(|(k, _)| k.incident_id != key.incident_id || k.updated == key.updated);
        if self.renders.len() >= RENDER_CACHE {
            self.renders.pop_back();
        }
        self.renders.push_front((key, r.clone()));
        r
    }

    /// The map picture of an incident, labelled in `lang`: from the cache, else drawn off the
    /// runtime's threads. `None` when maps are off, the incident has no coordinates, or drawing
    /// failed (the alert then goes out as text).
    async fn map_of(&mut self, incident: &Incident, lang: Lang) -> Option<Arc<[u8]>> {
        let cache = self.maps.as_mut()?;
        let scene = Scene::of(incident)?.in_lang(lang);
        let version = scene.version();
        // One cached picture per incident and language.
        let cache_id = format!("{}#{lang}", incident.id);
        if let Some(png) = cache.get(&cache_id, version) {
            return Some(png);
        }
        let gaz = self.gazetteer;
        match tokio::task::spawn_blocking(move || map::render(&scene, gaz)).await {
            Ok(Ok(picture)) => {
                self.counts.maps_drawn += 1;
                let png: Arc<[u8]> = Arc::from(picture.png);
                cache.put(&cache_id, version, png.clone());
                Some(png)
            }
            Ok(Err(e)) => {
                tracing::warn!(incident = %incident.id, error = %e, "map not drawn; the alert goes out as text");
                None
            }
            Err(e) => {
                tracing::warn!(incident = %incident.id, error = %e, "map drawing failed; the alert goes out as text");
                None
            }
        }
    }

    /// The map of a digest's incidents (those still stored), drawn off the runtime's threads;
    /// `None` when drawing failed (the digest then goes out as text).
    async fn digest_map(
        &self,
        day: chrono::NaiveDate,
        ids: &[String],
        lang: Lang,
        hours: u32,
    ) -> Option<Arc<[u8]>> {
        let (store, gaz) = (self.store.clone(), self.gazetteer);
        let ids = ids.to_vec();
        let drawn = tokio::task::spawn_blocking(move || {
            let incidents: Vec<Incident> = ids
                .iter()
                .filter_map(|id| store.incident(id).ok().flatten())
                .map(|r| r.incident)
                .collect();
            let title = lang.text("digest-title");
            let scene = map::region::scene_of(&incidents, None, &[], title, hours, day, lang);
            map::region::render_region(&scene, gaz)
        })
        .await;
        match drawn {
            Ok(Ok(picture)) => Some(Arc::from(picture.png)),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "digest map not drawn; the digest goes out as text");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "digest map drawing failed; the digest goes out as text");
                None
            }
        }
    }

    /// Sends what is due until shutdown; `wake` is notified when deliveries are queued. On
    /// shutdown the send in flight finishes; the rest stays in the outbox for the next start.
    pub async fn run(
        mut self,
        wake: std::sync::Arc<Notify>,
        mut shutdown: watch::Receiver<bool>,
    ) -> DeliveryCounts {
        loop {
            let next = match self.drain(&mut shutdown).await {
                Ok(next) => next,
                Err(e) => {
                    self.store.note(&e);
                    if !e.is_io() {
                        tracing::error!(error = %e, "outbox");
                    }
                    Some(Duration::from_secs(if e.is_io() { 1 } else { 5 }))
                }
            };
            if *shutdown.borrow() {
                break;
            }
            let sleep = next.unwrap_or(Duration::from_secs(3600));
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
                _ = shutdown.changed() => break,
            }
        }
        self.counts
    }

    /// Sends every due delivery; returns how long until the next one is due, if any waits.
    pub async fn drain(
        &mut self,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Option<Duration>, crate::store::StoreError> {
        // A full store: nothing is sent that could not be recorded as sent (it would go out
        // again); sends resume once the store takes writes.
        if !self.store.is_writable() {
            return Ok(Some(Duration::from_secs(1)));
        }
        while let Some((entry, sent)) = self.unrecorded.pop() {
            if let Err(e) = self.store.complete_delivery(&entry, &sent) {
                self.unrecorded.push((entry, sent));
                return Err(e);
            }
        }
        let mut next: Option<Duration> = None;
        for entry in self.store.pending_deliveries()? {
            if *shutdown.borrow() {
                return Ok(None);
            }
            if self
                .stopped
                .contains_key(crate::metrics::platform(&entry.delivery.target))
            {
                continue;
            }
            if !self.store.is_writable() {
                return Ok(Some(Duration::from_secs(1)));
            }
            let now = Utc::now();
            if entry.not_before > now {
                let wait = (entry.not_before - now).to_std().unwrap_or_default();
                next = Some(next.map_or(wait, |n| n.min(wait)));
                continue;
            }
            // A chat that must wait does not hold up the others.
            let target = entry.delivery.target;
            let ready = self.pacer.ready_in(&target);
            if !ready.is_zero() {
                next = Some(next.map_or(ready, |n| n.min(ready)));
                continue;
            }
            tokio::time::sleep(self.pacer.reserve(&target)).await;
            self.deliver(entry).await?;
            // What was sent is on disk before the next send: after a crash (even kill -9) only
            // the send in flight can be repeated. sled alone would flush every 500 ms.
            self.store.flush_async().await?;
        }
        Ok(next)
    }

    /// Sends one outbox entry and records what came of it: the platform's message id, a retry
    /// later, a moved or disabled target, or a drop.
    async fn deliver(&mut self, entry: OutboxEntry) -> Result<(), crate::store::StoreError> {
        let d = entry.delivery.clone();
        let state = self.store.target_state(&d.target)?;
        if let Some(reason) = &state.disabled {
            tracing::debug!(target = %d.target, reason, "target disabled; delivery dropped");
            return self.store.drop_delivery(entry.seq);
        }
        let Some(mut rendered) = self.render(&d).await? else {
            return self.store.drop_delivery(entry.seq);
        };
        rendered.nonce = format!("sitrep-{}", entry.seq);
        if let Action::Notice { .. } | Action::Digest { .. } = d.action {
            return self.deliver_notice(entry, &rendered).await;
        }
        let form = self.form_of(&d)?;
        match self.send(&d, form, &rendered).await {
            Ok((message_id, form)) => self.record_sent(&entry, message_id, form),
            Err(failure) => self.handle_failure(entry, state, form, failure),
        }
    }

    /// The message of a delivery, rendered from the incident as stored now (`None`: the
    /// incident is gone); a digest with the map of its incidents.
    async fn render(&mut self, d: &Delivery) -> Result<Option<Rendered>, crate::store::StoreError> {
        match &d.action {
            Action::Notice { text } => return Ok(Some(Rendered::notice(text))),
            Action::Digest {
                day,
                text,
                incidents,
                hours,
            } => {
                let mut r = Rendered::digest(text);
                r.map = self.digest_map(*day, incidents, d.lang, *hours).await;
                return Ok(Some(r));
            }
            _ => {}
        }
        let Some(record) = self.store.incident(&d.incident_id)? else {
            return Ok(None);
        };
        let mut r = self.rendered(&record, !d.met_thresholds, d.lang);
        r.map = self.map_of(&record.incident, d.lang).await;
        Ok(Some(r))
    }

    /// How the channel's message went out, which decides how it is edited.
    fn form_of(&self, d: &Delivery) -> Result<MessageForm, crate::store::StoreError> {
        Ok(match &d.action {
            Action::Edit { message_id } | Action::Reply { message_id } => self
                .store
                .sent(&d.target, &d.incident_id)?
                .filter(|s| s.message_id == *message_id)
                .map(|s| s.form)
                .unwrap_or_default(),
            Action::New | Action::Notice { .. } | Action::Digest { .. } => MessageForm::Text,
        })
    }

    /// An operator notice or a daily digest: not remembered for edits, done once accepted;
    /// retried only on a passing fault.
    async fn deliver_notice(
        &mut self,
        mut entry: OutboxEntry,
        rendered: &Rendered,
    ) -> Result<(), crate::store::StoreError> {
        let target = entry.delivery.target;
        let platform = crate::metrics::platform(&target);
        let metrics = crate::metrics::metrics();
        match self.sinks.send(&target, rendered, None).await {
            Ok(_) => {
                metrics.platform_ok(platform);
                if matches!(entry.delivery.action, Action::Digest { .. }) {
                    self.counts.digests += 1;
                }
                self.store.drop_delivery(entry.seq)
            }
            Err(f) => {
                if let Outcome::Unauthorized(reason) = failure::classify(&f) {
                    self.stop_platform(platform, &reason);
                    return Ok(());
                }
                metrics.platform_failed(platform, &f.description);
                tracing::warn!(target = %target, error = %f.description, "operator notice or digest not delivered");
                if matches!(
                    failure::classify(&f),
                    Outcome::RetryAfter(_) | Outcome::Backoff
                ) && entry.attempts + 1 < MAX_ATTEMPTS
                {
                    entry.attempts += 1;
                    entry.not_before = Utc::now()
                        + chrono::Duration::from_std(backoff(entry.attempts)).unwrap_or_default();
                    self.store.retry_delivery(&entry)
                } else {
                    self.store.drop_delivery(entry.seq)
                }
            }
        }
    }

    /// Sends, edits, or edits and answers; returns the message id and how it went out.
    async fn send(
        &self,
        d: &Delivery,
        form: MessageForm,
        rendered: &Rendered,
    ) -> Result<(String, MessageForm), failure::Failure> {
        match &d.action {
            Action::New | Action::Notice { .. } | Action::Digest { .. } => {
                self.sinks.send(&d.target, rendered, None).await
            }
            Action::Edit { message_id } => self
                .sinks
                .edit(&d.target, message_id, form, rendered)
                .await
                .map(|()| (message_id.clone(), form)),
            Action::Reply { message_id } => {
                // Keep the first message current, then answer it.
                let _ = self.sinks.edit(&d.target, message_id, form, rendered).await;
                self.sinks
                    .send(&d.target, rendered, Some(message_id))
                    .await
                    .map(|_| (message_id.clone(), form))
            }
        }
    }

    /// The platform accepted: counts, latency, and the message id recorded for later edits.
    fn record_sent(
        &mut self,
        entry: &OutboxEntry,
        message_id: String,
        form: MessageForm,
    ) -> Result<(), crate::store::StoreError> {
        let d = &entry.delivery;
        let metrics = crate::metrics::metrics();
        let platform = crate::metrics::platform(&d.target);
        let label = crate::metrics::PlatformLabel { platform };
        match d.action {
            Action::Edit { .. } => {
                self.counts.edited += 1;
                metrics.alerts_edited.get_or_create(&label).inc();
            }
            _ => {
                self.counts.sent += 1;
                metrics.alerts_sent.get_or_create(&label).inc();
            }
        }
        metrics.platform_ok(platform);
        // `enqueued` is when the item behind the alert was first seen.
        let latency = (Utc::now() - entry.enqueued).to_std().unwrap_or_default();
        metrics.alert_latency.observe(latency.as_secs_f64());
        let sent = Sent {
            message_id,
            met_thresholds: d.met_thresholds,
            form,
            lang: d.lang,
        };
        if let Err(e) = self.store.complete_delivery(entry, &sent) {
            self.unrecorded.push((entry.clone(), sent));
            return Err(e);
        }
        Ok(())
    }

    /// Acts on a refusal as [`failure::classify`] decides (DESIGN §5). A little over 80 lines
    /// on purpose: one arm per outcome, side by side, reads as the table it implements.
    fn handle_failure(
        &mut self,
        mut entry: OutboxEntry,
        state: TargetState,
        form: MessageForm,
        failure: failure::Failure,
    ) -> Result<(), crate::store::StoreError> {
        let d = entry.delivery.clone();
        let metrics = crate::metrics::metrics();
        let label = crate::metrics::PlatformLabel {
            platform: crate::metrics::platform(&d.target),
        };
        let now = Utc::now();
        let outcome = failure::classify(&failure);
        note_platform_health(label.platform, &outcome, &failure);
        match outcome {
            Outcome::Unchanged => {
                let message_id = match &d.action {
                    Action::Edit { message_id } | Action::Reply { message_id } => {
                        message_id.clone()
                    }
                    Action::New | Action::Notice { .. } | Action::Digest { .. } => String::new(),
                };
                self.store.complete_delivery(
                    &entry,
                    &Sent {
                        message_id,
                        met_thresholds: d.met_thresholds,
                        form,
                        lang: d.lang,
                    },
                )
            }
            Outcome::RetryAfter(wait) => {
                self.counts.rate_limited += 1;
                self.pacer.hold(&d.target, wait);
                entry.not_before = now + chrono::Duration::from_std(wait).unwrap_or_default();
                self.store.retry_delivery(&entry)
            }
            Outcome::Backoff if entry.attempts + 1 < MAX_ATTEMPTS => {
                entry.attempts += 1;
                tracing::warn!(target = %d.target, attempts = entry.attempts, error = %failure.description, "delivery failed; will retry");
                entry.not_before =
                    now + chrono::Duration::from_std(backoff(entry.attempts)).unwrap_or_default();
                self.store.retry_delivery(&entry)
            }
            Outcome::MessageGone => {
                // The message to edit was deleted: the next delivery is a new message.
                self.store.forget_sent(&d.target, &d.incident_id)?;
                entry.delivery.action = Action::New;
                self.store.retry_delivery(&entry)
            }
            Outcome::Unauthorized(reason) => {
                // The delivery stays as it was: it goes out after a restart with a good token.
                self.stop_platform(label.platform, &reason);
                Ok(())
            }
            Outcome::Disable(reason) => {
                self.counts.disabled += 1;
                metrics.alerts_failed.get_or_create(&label).inc();
                tracing::error!(target = %d.target, reason, "target disabled: sitrep can no longer post there");
                self.store.put_target_state(
                    &d.target,
                    &TargetState {
                        disabled: Some(reason),
                        ..state
                    },
                )?;
                self.store.drop_delivery(entry.seq)
            }
            Outcome::Migrate(to) => {
                let Target::Telegram { topic, .. } = d.target else {
                    return self.store.drop_delivery(entry.seq);
                };
                let new = Target::Telegram { chat: to, topic };
                tracing::warn!(from = %d.target, to = %new, "chat migrated; subscriptions moved");
                self.move_target(&d.target, &new)?;
                entry.delivery.target = new;
                self.store.retry_delivery(&entry)
            }
            Outcome::TooLong | Outcome::Backoff | Outcome::Drop(_) => {
                self.counts.failed += 1;
                metrics.alerts_failed.get_or_create(&label).inc();
                tracing::error!(target = %d.target, incident = %d.incident_id, error = %failure.description, "alert could not be delivered");
                self.store.drop_delivery(entry.seq)
            }
        }
    }

    /// Stops sending to a platform whose token was refused: one ERROR (never the token), the
    /// platform's health in `/healthz`, and its deliveries kept for the next start.
    fn stop_platform(&mut self, platform: &'static str, reason: &str) {
        if self.stopped.contains_key(platform) {
            return;
        }
        if crate::metrics::metrics().platform_stopped(platform, reason) {
            tracing::error!(
                platform,
                reason,
                outbox = self.store.outbox_len(),
                "platform refused the bot token: sends to it stop until sitrep restarts with a good token; its alerts stay in the outbox"
            );
        }
        self.stopped.insert(platform, reason.to_string());
    }

    /// Moves a target's subscriptions and mutes to its new id.
    fn move_target(&self, from: &Target, to: &Target) -> Result<(), crate::store::StoreError> {
        let subs: Vec<_> = self
            .store
            .subscriptions()?
            .into_iter()
            .filter(|s| s.target == *from)
            .collect();
        if !subs.is_empty() {
            let moved: Vec<_> = subs
                .into_iter()
                .map(|mut s| {
                    s.target = *to;
                    s
                })
                .collect();
            self.store.set_subscriptions(to, &moved)?;
            self.store.set_subscriptions(from, &[])?;
        }
        // The channel's settings (language, digest time, last digest day) go with it.
        let settings = self.store.channel_settings(from)?;
        if !settings.is_empty() {
            self.store.put_channel_settings(to, &settings)?;
        }
        self.store.put_target_state(
            from,
            &TargetState {
                moved_to: Some(*to),
                ..Default::default()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(30), Duration::from_secs(1800));
    }
}
