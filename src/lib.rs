//! sitrep: watches news feeds about armed violence in the Sahel and West Africa, turns reports in
//! English and French into incidents, merges the reports of one incident, grades severity and
//! verification, and alerts chat channels that subscribed to a region.
//!
//! # Layout
//! Imports run one way: a module stands on the layers below it and never imports from a layer
//! above; inside a layer, files may import each other only where no circle results.
//! `tests/layers.rs` reads every file's `crate::` paths and fails on an import up the layers or a
//! circle across modules. From the ground up:
//!
//! 1. **Data**: [`model`] (articles, incidents, alert events, subscriptions: the JSON contracts,
//!    and the canonical form of article URLs), [`text`] (accent- and case-folded text for
//!    matching, shared by every stage) and [`i18n`] (English and French: the channel's language,
//!    the message catalogues, French names). `model` names `i18n`'s language; nothing else of
//!    sitrep is imported here.
//! 2. **Ground floor**, standing on `model` only: [`config`] (the TOML configuration and its
//!    validation), [`metrics`] (the process's counters and histograms, and each platform's
//!    delivery health: every stage adds to it), [`store`] (the sled store, the only module that
//!    names sled; the records it keeps for the stages are plain data in [`store::records`]).
//! 3. **Reading**: [`extract`] (pure functions from one article to incidents and aggregates) and
//!    [`incident`] (matching and merging reports into incidents; verification and severity).
//! 4. **Sources**: [`source`] (feed documents, data APIs and Telegram channel previews to articles; the
//!    poller), on
//!    `extract`, `incident`, `store`, `metrics` and `config`.
//! 5. **Decisions**: [`pipeline`] (one article through dedup, extraction, merging and the age
//!    guard to alert events) and [`route`] (pure routing of incident changes to subscribed
//!    channels, with mutes). Neither imports the other.
//! 6. **Delivery**: [`deliver`] (the durable outbox, its worker, failure handling, pacing,
//!    rendering), [`map`] (the map picture attached to alerts and its cache; the map of a
//!    region's recent incidents), [`sink`] (the platforms, Telegram and Discord), [`digest`]
//!    (each channel's daily digest: its text, its schedule, its scheduler). `map` and `sink` use
//!    only the leaves [`deliver::format`] and [`deliver::failure`], which import neither of them;
//!    the worker in `deliver` drives both; `digest` writes with [`deliver::format`] and
//!    [`map::region`]'s words.
//! 7. **Commands**: [`command`] (subscribers' commands, parsed once and executed over the store).
//! 8. **Front ends**: [`server`] (the HTTP server: /healthz, /metrics, Discord interactions),
//!    [`export`] (CSV and GeoJSON exports), [`eval`] (scoring extraction and merging against expected results and real labelled text),
//!    [`demo`] (the offline showcase behind `sitrep demo`).
//! 9. **The daemon**: [`app`] (`sitrep run`, every stage wired from the config, graceful
//!    shutdown). `main.rs` is the command line over all of them.
//!
//! Two upward imports remain, listed with their reason in `tests/layers.rs` until they move:
//! `store` reads `incident`'s record and matching key, and `extract` reads month names from
//! `source::dates`.

pub mod app;
pub mod command;
pub mod config;
pub mod deliver;
pub mod demo;
pub mod digest;
pub mod eval;
pub mod export;
pub mod extract;
pub mod i18n;
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
pub mod text;
