//! The daily digest (`/digest HH:MM [zone]`, `digest = "..."` on a config subscription,
//! `sitrep digest`): once a day at a channel's local time, the last 24 hours of what its
//! subscriptions and mutes would have let through: counts by country and severity, the worst
//! incidents, what changed since the last digest, and the map of them.
//!
//! [`build`] is pure over the stored incidents. The schedule ([`due`], [`next_after`]) works in
//! the channel's IANA zone with its daylight-saving rules. [`DigestScheduler`] queues each due
//! digest into the durable outbox with its local day, in one transaction
//! ([`Store::enqueue_digest`]): never twice for a channel and day, and a digest missed while
//! sitrep was down is queued at start while its day lasts. Digests are written in the
//! channel's language ([`render`], from the message catalogues).

pub mod render;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tokio::sync::{Notify, watch};

use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::incident::{IncidentRecord, merged};
use crate::model::{DigestChoice, DigestSchedule, Incident, Subscription, Target};
use crate::route::{Action, Delivery, Mute, filters_match, muted, would_alert};
use crate::store::settings::ChannelSettings;
use crate::store::{Store, StoreError};

/// Hours a digest covers.
pub const DIGEST_HOURS: u32 = 24;
/// Incidents a digest lists at most.
pub const WORST: usize = 10;

/// A channel's digest schedule: its own `/digest` choice, else the first config subscription of
/// that channel with a `digest`.
pub fn schedule_for(
    target: &Target,
    settings: &ChannelSettings,
    operator: &[Subscription],
) -> Option<DigestSchedule> {
    match &settings.digest {
        DigestChoice::Daily(s) => Some(s.clone()),
        DigestChoice::Off => None,
        DigestChoice::Unset => operator
            .iter()
            .find(|s| s.target == *target && s.digest.is_some())
            .and_then(|s| s.digest.clone()),
    }
}

/// The instant of the schedule's time on a local day. A time that daylight saving skips is
/// taken at the first minute after the gap; a time that happens twice, at its first occurrence.
pub fn at_local(s: &DigestSchedule, day: NaiveDate) -> DateTime<Utc> {
    let mut local = day.and_time(s.time);
    for _ in 0..=180 {
        if let Some(t) = s.zone.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        local += chrono::Duration::minutes(1);
    }
    // No zone has a gap of three hours; read the time as UTC rather than never.
    Utc.from_utc_datetime(&day.and_time(s.time))
}

/// The digest due at `now`, if its time has passed today (local day): that day and the instant
/// it was due. The caller sends it unless that day's digest was queued already.
pub fn due(s: &DigestSchedule, now: DateTime<Utc>) -> Option<(NaiveDate, DateTime<Utc>)> {
    let today = now.with_timezone(&s.zone).date_naive();
    let at = at_local(s, today);
    (now >= at).then_some((today, at))
}

/// The first instant after `now` at which the schedule is due.
pub fn next_after(s: &DigestSchedule, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = now.with_timezone(&s.zone).date_naive();
    for _ in 0..3 {
        let at = at_local(s, day);
        if at > now {
            return at;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    now + chrono::Duration::hours(24)
}

/// A change an incident went through within the digest's period.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The toll went from one figure (`None`: no figure) to another.
    Toll {
        from: Option<u32>,
        to: Option<u32>,
        confirmed: bool,
    },
    /// The verification rose.
    Verification(crate::model::Verification),
}

/// One digest: its text and the incidents its map shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub text: String,
    /// Ids of the incidents first seen in the period, worst first.
    pub incidents: Vec<String>,
    /// Incidents seen before the period that changed within it, with what changed.
    pub changed: Vec<(Incident, Vec<Change>)>,
}

/// What a channel is let through: one of its subscriptions matches and would alert, and no mute
/// silenced the incident when it was first seen.
fn lets_through(
    record: &IncidentRecord,
    subs: &[Subscription],
    mutes: &[Mute],
    target: &Target,
    gaz: &Gazetteer,
) -> bool {
    let i = &record.incident;
    let texts: Vec<String> = record.reports.iter().map(|r| r.summary.clone()).collect();
    subs.iter()
        .any(|s| s.target == *target && filters_match(s, i, &texts, gaz) && would_alert(s, i))
        && !muted(mutes, target, i, i.first_seen)
}

/// What changed in an incident between `start` and now: the incident as its reports before
/// `start` made it, against the incident now.
fn changes_since(record: &IncidentRecord, start: DateTime<Utc>) -> Vec<Change> {
    let before: Vec<_> = record
        .reports
        .iter()
        .filter(|r| r.seen < start)
        .cloned()
        .collect();
    if before.is_empty() || before.len() == record.reports.len() {
        return Vec::new();
    }
    let old = merged(&IncidentRecord {
        incident: record.incident.clone(),
        reports: before,
    });
    let now = &record.incident;
    let mut out = Vec::new();
    let figure = |i: &Incident| i.fatalities.and_then(|f| f.figure());
    let confirmed = |i: &Incident| i.fatalities.is_some_and(|f| f.confirmed);
    if figure(&old) != figure(now) || (confirmed(now) && !confirmed(&old)) {
        out.push(Change::Toll {
            from: figure(&old),
            to: figure(now),
            confirmed: confirmed(now),
        });
    }
    if now.verification > old.verification {
        out.push(Change::Verification(now.verification));
    }
    out
}

/// Builds the digest a channel gets for the `hours` up to `end` from the stored incidents: those
/// first seen in the period that its subscriptions and mutes let through, and those seen before
/// that changed in it.
#[allow(clippy::too_many_arguments)]
pub fn build(
    records: &[IncidentRecord],
    subs: &[Subscription],
    mutes: &[Mute],
    target: &Target,
    end: DateTime<Utc>,
    hours: u32,
    zone: chrono_tz::Tz,
    lang: Lang,
    gaz: &Gazetteer,
) -> Digest {
    let start = end - chrono::Duration::hours(i64::from(hours));
    let mut new: Vec<&Incident> = Vec::new();
    let mut changed: Vec<(Incident, Vec<Change>)> = Vec::new();
    for r in records {
        let i = &r.incident;
        if i.first_seen >= end || !lets_through(r, subs, mutes, target, gaz) {
            continue;
        }
        if i.first_seen >= start {
            new.push(i);
        } else if i.updated >= start {
            let c = changes_since(r, start);
            if !c.is_empty() {
                changed.push((i.clone(), c));
            }
        }
    }
    new.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(deaths(b).cmp(&deaths(a)))
            .then(b.verification.cmp(&a.verification))
            .then(a.id.cmp(&b.id))
    });
    changed.sort_by(|a, b| b.0.severity.cmp(&a.0.severity).then(a.0.id.cmp(&b.0.id)));
    let text = render::digest_text(lang, &new, &changed, end, zone, hours, gaz);
    Digest {
        text,
        incidents: new.iter().map(|i| i.id.clone()).collect(),
        changed,
    }
}

/// An incident's reported deaths, 0 when none is given.
pub fn deaths(i: &Incident) -> u32 {
    i.fatalities.and_then(|f| f.figure()).unwrap_or(0)
}

/// Where the digest scheduler reads the time: the system clock, or a clock that follows tokio's
/// (paused in tests) from a given start.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Tokio {
        start: DateTime<Utc>,
        at: tokio::time::Instant,
    },
}

impl Clock {
    /// A clock reading `start` now and then moving with tokio's time.
    pub fn from_tokio(start: DateTime<Utc>) -> Clock {
        Clock::Tokio {
            start,
            at: tokio::time::Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Tokio { start, at } => {
                *start + chrono::Duration::from_std(at.elapsed()).unwrap_or_default()
            }
        }
    }
}

/// Longest sleep between two looks at the schedules: a `/digest` set meanwhile is seen within it.
const LOOK_EVERY: Duration = Duration::from_secs(60);

/// Queues each channel's digest when it is due, until shutdown.
pub struct DigestScheduler {
    pub store: Store,
    pub operator: crate::config::OperatorSubscriptions,
    pub gazetteer: &'static Gazetteer,
    /// Notified when a digest is queued (the delivery worker).
    pub wake: Arc<Notify>,
    pub clock: Clock,
}

impl DigestScheduler {
    /// Looks at the schedules every minute at most (sooner when a digest is due), queueing those
    /// due; a digest missed while sitrep was down goes at the first look if its day is not over.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let now = self.clock.now();
            let operator = self.operator.borrow().clone();
            let (store, gaz) = (self.store.clone(), self.gazetteer);
            let looked =
                tokio::task::spawn_blocking(move || queue_due(&store, &operator, now, gaz)).await;
            let next = match looked {
                Ok(Ok((queued, next))) => {
                    if queued > 0 {
                        self.wake.notify_one();
                    }
                    next
                }
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "digest: schedules not read");
                    None
                }
                Err(e) => {
                    tracing::error!(error = %e, "digest: the scheduler's work failed");
                    None
                }
            };
            let wait = next
                .and_then(|n| (n - now).to_std().ok())
                .map_or(LOOK_EVERY, |w| w.min(LOOK_EVERY));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => break,
            }
        }
    }
}

/// Every channel with a digest schedule: its own settings, then the config's subscriptions.
pub fn schedules(
    store: &Store,
    operator: &[Subscription],
) -> Result<Vec<(Target, DigestSchedule)>, StoreError> {
    let own = store.all_channel_settings()?;
    let mut out: Vec<(Target, DigestSchedule)> = Vec::new();
    let mut targets: Vec<Target> = own.iter().map(|(t, _)| *t).collect();
    targets.extend(
        operator
            .iter()
            .filter(|s| s.digest.is_some())
            .map(|s| s.target),
    );
    targets.sort();
    targets.dedup();
    for t in targets {
        let settings = own
            .iter()
            .find(|(o, _)| *o == t)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        if let Some(s) = schedule_for(&t, &settings, operator) {
            out.push((t, s));
        }
    }
    Ok(out)
}

/// Queues the digests due at `now` that were not queued yet; returns how many, and when the next
/// one is due. A bulk scan when one is due: call it off the async runtime.
pub fn queue_due(
    store: &Store,
    operator: &[Subscription],
    now: DateTime<Utc>,
    gaz: &Gazetteer,
) -> Result<(usize, Option<DateTime<Utc>>), StoreError> {
    let mut queued = 0;
    let mut next: Option<DateTime<Utc>> = None;
    let mut records: Option<Vec<IncidentRecord>> = None;
    for (target, s) in schedules(store, operator)? {
        let n = next_after(&s, now);
        next = Some(next.map_or(n, |x| x.min(n)));
        let Some((day, at)) = due(&s, now) else {
            continue;
        };
        if store
            .channel_settings(&target)?
            .last_digest
            .is_some_and(|d| d >= day)
            || store.target_state(&target)?.disabled.is_some()
        {
            continue;
        }
        if records.is_none() {
            records = Some(store.all_incidents()?);
        }
        let mut subs: Vec<Subscription> = operator.to_vec();
        subs.extend(store.subscriptions()?);
        subs.retain(|x| x.target == target);
        let lang = store.channel_lang(&target, operator)?;
        let d = build(
            records.as_deref().unwrap_or_default(),
            &subs,
            &store.mutes()?,
            &target,
            at,
            DIGEST_HOURS,
            s.zone,
            lang,
            gaz,
        );
        let delivery = Delivery {
            target,
            incident_id: String::new(),
            action: Action::Digest {
                day,
                text: d.text,
                incidents: d.incidents,
                hours: DIGEST_HOURS,
            },
            met_thresholds: true,
            lang,
        };
        if store.enqueue_digest(&delivery, day, now)? {
            // On disk before anything is sent: a crash now neither loses nor repeats it.
            store.flush()?;
            tracing::info!(target = %target, %day, "digest queued");
            queued += 1;
        }
    }
    Ok((queued, next))
}

#[cfg(test)]
mod tests;
