//! sitrep: watches news feeds about armed violence in the Sahel and West Africa, turns reports in
//! English and French into incidents, merges the reports of one incident, grades severity and
//! verification, and alerts chat channels that subscribed to a region.
//!
//! # Layout
//! - [`app`]: `sitrep run`, every stage wired from the config, graceful shutdown.
//! - [`command`]: subscribers' commands, parsed once and executed over the store.
//! - [`model`]: articles, incidents, alert events, subscriptions (the JSON contracts).
//! - [`config`]: the TOML configuration and its validation.
//! - [`source`]: feed documents and data APIs to articles; the poller; canonical URLs.
//! - [`extract`]: pure functions from one article to incidents and aggregates.
//! - [`incident`]: matching and merging reports into incidents; verification and severity.
//! - [`pipeline`]: one article through dedup, extraction, merging and the age guard to alert events.
//! - [`route`]: pure routing of incident changes to subscribed channels, with mutes.
//! - [`store`]: the sled store (the only module that names sled).
//! - [`deliver`]: the durable outbox, its worker, failure handling, pacing, rendering.
//! - [`map`]: the map picture attached to alerts (borders, marker, towns, scale) and its cache;
//!   the map of a region's recent incidents.
//! - [`digest`]: each channel's daily digest: its text, its schedule, its scheduler.
//! - [`server`]: the HTTP server (/healthz, /metrics, Discord interactions).
//! - [`metrics`]: the process's counters and histograms, and each platform's delivery health.
//! - [`sink`]: the platforms (Telegram, Discord).
//! - [`export`]: CSV and GeoJSON exports.
//! - [`eval`]: scoring extraction against a corpus of expected results.
//! - [`demo`]: the offline showcase behind `sitrep demo`.

pub mod app;
pub mod command;
pub mod config;
pub mod deliver;
pub mod demo;
pub mod digest;
pub mod eval;
pub mod export;
pub mod extract;
pub mod incident;
pub mod map;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod route;
pub mod server;
pub mod sink;
pub mod source;
pub mod store;
