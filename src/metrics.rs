//! What the daemon counts, for `GET /metrics` (Prometheus text format, names prefixed `sitrep_`)
//! and for the platforms' part of `GET /healthz`.
//!
//! One process-wide set ([`metrics`]), as metrics registries usually are: the pollers, the
//! pipeline loop and the delivery worker add to it, the HTTP server reads it.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, Utc};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde::Serialize;

use crate::model::Target;

/// Counters of what the pipeline did, for logs and metrics: the pipeline keeps them
/// ([`crate::pipeline::Pipeline::counts`]), [`Metrics::record_pipeline`] adds their growth.
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

/// Series labelled with a source's configured name.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SourceLabel {
    pub source: String,
}

/// Series labelled with a chat platform (`telegram`, `discord`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PlatformLabel {
    pub platform: &'static str,
}

/// Seconds from an item first seen to its alert accepted by the platform: from sub-second (a
/// busy pipeline) to an hour (rate limits and retries).
const LATENCY_BUCKETS: [f64; 12] = [
    0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
];
/// Seconds one poll takes (fetch and parse).
const POLL_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// A chat platform's delivery health, as `/healthz` reports it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlatformStatus {
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Failed sends since the last accepted one (rate limits excluded: they are waited out).
    pub consecutive_failures: u32,
    /// Why sitrep stopped using the platform until a restart (its token was refused).
    pub stopped: Option<String>,
}

/// Every series sitrep exports.
pub struct Metrics {
    registry: Registry,
    pub items_fetched: Family<SourceLabel, Counter>,
    pub parse_errors: Family<SourceLabel, Counter>,
    pub source_failures: Family<SourceLabel, Counter>,
    pub poll_duration: Histogram,
    pub duplicates_dropped: Counter,
    pub incidents_new: Counter,
    pub incidents_updated: Counter,
    pub alerts_sent: Family<PlatformLabel, Counter>,
    pub alerts_edited: Family<PlatformLabel, Counter>,
    pub alerts_failed: Family<PlatformLabel, Counter>,
    pub rate_limited: Family<PlatformLabel, Counter>,
    pub outbox_depth: Gauge,
    pub alert_latency: Histogram,
    platforms: Mutex<BTreeMap<&'static str, PlatformStatus>>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

/// The label value of a target's platform.
pub fn platform(target: &Target) -> &'static str {
    match target {
        Target::Telegram { .. } => "telegram",
        Target::Discord { .. } => "discord",
    }
}

impl Metrics {
    /// Every series and its help text, registered in the order `/metrics` lists them (long on
    /// purpose: one flat list of registrations reads better whole than split).
    fn new() -> Metrics {
        let mut m = Metrics {
            registry: Registry::with_prefix("sitrep"),
            items_fetched: Family::default(),
            parse_errors: Family::default(),
            source_failures: Family::default(),
            poll_duration: Histogram::new(POLL_BUCKETS),
            duplicates_dropped: Counter::default(),
            incidents_new: Counter::default(),
            incidents_updated: Counter::default(),
            alerts_sent: Family::default(),
            alerts_edited: Family::default(),
            alerts_failed: Family::default(),
            rate_limited: Family::default(),
            outbox_depth: Gauge::default(),
            alert_latency: Histogram::new(LATENCY_BUCKETS),
            platforms: Mutex::default(),
        };
        m.registry.register(
            "items_fetched",
            "Feed and API items fetched, per source",
            m.items_fetched.clone(),
        );
        m.registry.register(
            "parse_errors",
            "Polls whose body could not be parsed, per source",
            m.parse_errors.clone(),
        );
        m.registry.register(
            "source_failures",
            "Failed polls (network, HTTP status, parse), per source",
            m.source_failures.clone(),
        );
        m.registry.register(
            "poll_duration_seconds",
            "Time one poll takes, fetch and parse",
            m.poll_duration.clone(),
        );
        m.registry.register(
            "duplicates_dropped",
            "Items dropped because their GUID or canonical URL was seen before",
            m.duplicates_dropped.clone(),
        );
        m.registry.register(
            "incidents_new",
            "Incidents created",
            m.incidents_new.clone(),
        );
        m.registry.register(
            "incidents_updated",
            "Incidents changed by a later report",
            m.incidents_updated.clone(),
        );
        m.registry.register(
            "alerts_sent",
            "Alert messages accepted by the platform (new messages and replies)",
            m.alerts_sent.clone(),
        );
        m.registry.register(
            "alerts_edited",
            "Alert messages edited in place",
            m.alerts_edited.clone(),
        );
        m.registry.register(
            "alerts_failed",
            "Alerts given up on (target gone, message refused, retries exhausted)",
            m.alerts_failed.clone(),
        );
        m.registry.register(
            "rate_limited",
            "429 answers from the platform",
            m.rate_limited.clone(),
        );
        m.registry.register(
            "outbox_depth",
            "Deliveries waiting in the outbox",
            m.outbox_depth.clone(),
        );
        m.registry.register(
            "alert_latency_seconds",
            "From an item first seen to its alert accepted by the platform",
            m.alert_latency.clone(),
        );
        m
    }

    /// Starts a source's series at zero, so that they exist before its first failure.
    pub fn add_source(&self, source: &str) {
        let label = SourceLabel {
            source: source.to_string(),
        };
        for family in [
            &self.items_fetched,
            &self.parse_errors,
            &self.source_failures,
        ] {
            let _ = family.get_or_create(&label);
        }
    }

    /// Starts a platform's series at zero.
    pub fn add_platform(&self, platform: &'static str) {
        let label = PlatformLabel { platform };
        for family in [
            &self.alerts_sent,
            &self.alerts_edited,
            &self.alerts_failed,
            &self.rate_limited,
        ] {
            let _ = family.get_or_create(&label);
        }
    }

    /// Adds what the pipeline did between two readings of its counters.
    pub fn record_pipeline(&self, before: &Counts, after: &Counts) {
        self.duplicates_dropped
            .inc_by(after.duplicates.saturating_sub(before.duplicates));
        self.incidents_new
            .inc_by(after.incidents_new.saturating_sub(before.incidents_new));
        self.incidents_updated.inc_by(
            after
                .incidents_updated
                .saturating_sub(before.incidents_updated),
        );
    }

    /// A message accepted by `platform`.
    pub fn platform_ok(&self, platform: &'static str) {
        let mut map = self.platforms.lock().expect("platform status lock");
        let s = map.entry(platform).or_default();
        s.last_success = Some(Utc::now());
        s.consecutive_failures = 0;
    }

    /// A send to `platform` that failed (other than a rate limit).
    pub fn platform_failed(&self, platform: &'static str, error: &str) {
        let mut map = self.platforms.lock().expect("platform status lock");
        let s = map.entry(platform).or_default();
        s.last_error = Some(error.to_string());
        s.last_error_at = Some(Utc::now());
        s.consecutive_failures += 1;
    }

    /// The platform refused the bot's token: sitrep stopped using it until a restart. Returns
    /// whether it was running until now (the caller that stops it logs the one ERROR).
    pub fn platform_stopped(&self, platform: &'static str, reason: &str) -> bool {
        let mut map = self.platforms.lock().expect("platform status lock");
        let s = map.entry(platform).or_default();
        s.last_error = Some(reason.to_string());
        s.last_error_at = Some(Utc::now());
        let first = s.stopped.is_none();
        s.stopped = Some(reason.to_string());
        first
    }

    /// The delivery health of one platform (default when nothing was sent yet).
    pub fn platform_status(&self, platform: &str) -> PlatformStatus {
        let map = self.platforms.lock().expect("platform status lock");
        map.get(platform).cloned().unwrap_or_default()
    }

    /// The text exposition of every series.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_prefixed_and_labelled() {
        let m = Metrics::new();
        m.items_fetched
            .get_or_create(&SourceLabel {
                source: "rfi".into(),
            })
            .inc_by(3);
        m.alerts_sent
            .get_or_create(&PlatformLabel {
                platform: "telegram",
            })
            .inc();
        m.alert_latency.observe(0.7);
        m.add_platform("discord");
        let before = Counts::default();
        let after = Counts {
            duplicates: 2,
            incidents_new: 1,
            ..Default::default()
        };
        m.record_pipeline(&before, &after);
        let text = m.render();
        assert!(
            text.contains("sitrep_items_fetched_total{source=\"rfi\"} 3"),
            "{text}"
        );
        assert!(text.contains("sitrep_alerts_sent_total{platform=\"telegram\"} 1"));
        assert!(text.contains("sitrep_duplicates_dropped_total 2"));
        assert!(text.contains("sitrep_incidents_new_total 1"));
        assert!(text.contains("sitrep_alert_latency_seconds_bucket{le=\"1.0\"} 1"));
        assert!(text.contains("sitrep_alert_latency_seconds_bucket{le=\"0.5\"} 0"));
        assert!(text.contains("# TYPE sitrep_outbox_depth gauge"));
        assert!(text.contains("sitrep_rate_limited_total{platform=\"discord\"} 0"));
    }

    #[test]
    fn platform_status_counts_failures_until_a_success() {
        let m = Metrics::new();
        m.platform_failed("discord", "502 bad gateway");
        m.platform_failed("discord", "502 bad gateway");
        assert_eq!(m.platform_status("discord").consecutive_failures, 2);
        m.platform_ok("discord");
        let s = m.platform_status("discord");
        assert_eq!(s.consecutive_failures, 0);
        assert!(s.last_success.is_some());
        assert_eq!(s.last_error.as_deref(), Some("502 bad gateway"));
    }
}
