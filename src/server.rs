//! The HTTP server on `[http].listen`: `GET /healthz` (200 with the store's, each source's and
//! each platform's status, a source not polled yet `pending`; 503 when the store is full or
//! every source is down; a platform
//! whose token was refused shows `stopped` and the status `degraded`), `GET /metrics` (the
//! Prometheus text format, [`crate::metrics`]) and `POST /discord/interactions` (Discord's HTTP
//! interactions, each request's Ed25519 signature checked against the application's public key).
//! While the daemon starts (the store compacted or opened), [`serve_starting`] answers every
//! request with 503 and what it waits for, so that a long start is visible.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::watch;

use crate::config::OperatorSubscriptions;
use crate::extract::Gazetteer;
use crate::store::Store;
use crate::store::compact::Progress;

/// What the handlers share.
#[derive(Clone)]
pub struct ServerState {
    pub store: Store,
    pub operator: OperatorSubscriptions,
    pub gazetteer: &'static Gazetteer,
    /// Set when Discord's interactions come over HTTP.
    pub discord: Option<DiscordEndpoint>,
    /// The chat platforms configured (`telegram`, `discord`).
    pub platforms: Vec<&'static str>,
    /// The names of the sources the running config polls (a source removed by a reload keeps
    /// its stored state, but is no longer reported).
    pub sources: watch::Receiver<Vec<String>>,
}

/// What the interactions endpoint needs: the key requests are signed with, and the API client
/// that sends deferred answers.
#[derive(Clone)]
pub struct DiscordEndpoint {
    pub public_key: ed25519_dalek::VerifyingKey,
    pub follow_up: crate::command::discord::FollowUp,
}

/// Largest interaction body accepted.
const MAX_BODY: usize = 256 * 1024;

pub fn router(state: ServerState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/discord/interactions", post(interactions))
        .with_state(state)
}

/// Binds and serves until shutdown; returns the bound address through `bound`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: ServerState,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move {
            let _ = shutdown.changed().await;
        })
        .await
}

/// Binds the listen address.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Binds the listen address for a server started in two turns: [`serve_starting`] on one
/// [`listener_of`] it while the daemon starts, then [`serve`] on another.
pub fn bind_std(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// A runtime listener on the socket `listener` is bound to (it stays bound for the next one).
pub fn listener_of(listener: &std::net::TcpListener) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::from_std(listener.try_clone()?)
}

/// What the daemon is doing before it serves: the store's compaction (with its progress), then
/// the opening of the store and of the rest.
#[derive(Clone, Default)]
pub struct Starting {
    pub compaction: Arc<Progress>,
    /// Set once the store is open.
    pub store_open: Arc<AtomicBool>,
}

/// Answers every request with 503 and [`Starting`]'s state until `done` is set.
pub async fn serve_starting(
    listener: tokio::net::TcpListener,
    state: Starting,
    mut done: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = Router::new().fallback(starting).with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = done.wait_for(|d| *d).await;
        })
        .await
}

async fn starting(State(s): State<Starting>) -> Response {
    let body = if s.compaction.running() {
        let (copied, records) = s.compaction.copied();
        serde_json::json!({
            "status": "starting",
            "store": "compacting",
            "compaction": {"copied": copied, "records": records},
        })
    } else {
        let store = if s.store_open.load(Ordering::Relaxed) {
            "ok"
        } else {
            "opening"
        };
        serde_json::json!({"status": "starting", "store": store})
    };
    (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
}

async fn healthz(State(s): State<ServerState>) -> Response {
    let running = s.sources.borrow().clone();
    let sources = match s.store.source_states() {
        Ok(mut v) => {
            v.retain(|(name, _)| running.contains(name));
            v
        }
        Err(e) => {
            let body = serde_json::json!({"status": "down", "store": e.to_string()});
            return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
        }
    };
    // Sources configured and running whose first poll has not ended: neither fine nor failing.
    let pending: Vec<&String> = running
        .iter()
        .filter(|name| !sources.iter().any(|(polled, _)| polled == *name))
        .collect();
    let failing = sources
        .iter()
        .filter(|(_, st)| st.consecutive_failures > 0)
        .count();
    let all_down = !sources.is_empty() && pending.is_empty() && failing == sources.len();
    // A full disk: polling goes on, but nothing new is stored or alerted until space is back.
    let fault = (!s.store.is_writable()).then(|| s.store.fault()).flatten();
    let stopped = s.platforms.iter().any(|p| {
        crate::metrics::metrics()
            .platform_status(p)
            .stopped
            .is_some()
    });
    let down = all_down || fault.is_some();
    let body = serde_json::json!({
        "status": if down { "down" } else if stopped { "degraded" } else { "ok" },
        "store": if fault.is_some() { "full" } else { "ok" },
        "store_error": fault.as_ref().map(|f| &f.error),
        "store_full_since": fault.as_ref().map(|f| f.since),
        "store_free_bytes": s.store.free_bytes(),
        "incidents": s.store.incident_count(),
        "outbox": s.store.outbox_len(),
        "sources": sources.iter().map(|(name, st)| serde_json::json!({
            "name": name,
            "ok": st.consecutive_failures == 0,
            "pending": false,
            "consecutive_failures": st.consecutive_failures,
            "last_success": st.last_success,
            "last_error": st.last_error,
        })).chain(pending.iter().map(|name| serde_json::json!({
            "name": name,
            "ok": null,
            "pending": true,
            "consecutive_failures": 0,
            "last_success": null,
            "last_error": null,
        }))).collect::<Vec<_>>(),
        "platforms": s.platforms.iter().map(|p| {
            let st = crate::metrics::metrics().platform_status(p);
            serde_json::json!({
                "name": p,
                "ok": st.consecutive_failures == 0 && st.stopped.is_none(),
                "consecutive_failures": st.consecutive_failures,
                "last_success": st.last_success,
                "last_error": st.last_error,
                "last_error_at": st.last_error_at,
                "stopped": st.stopped,
            })
        }).collect::<Vec<_>>(),
    });
    let status = if down {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (status, axum::Json(body)).into_response()
}

async fn metrics(State(s): State<ServerState>) -> Response {
    let m = crate::metrics::metrics();
    let depth = tokio::task::spawn_blocking(move || s.store.outbox_len())
        .await
        .unwrap_or(0);
    m.outbox_depth.set(i64::try_from(depth).unwrap_or(i64::MAX));
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.render(),
    )
        .into_response()
}

async fn interactions(State(s): State<ServerState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(discord) = s.discord else {
        return (
            StatusCode::NOT_FOUND,
            "discord interactions are not enabled",
        )
            .into_response();
    };
    if body.len() > MAX_BODY {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let signature = header("x-signature-ed25519");
    let timestamp = header("x-signature-timestamp");
    if !crate::command::discord::verify(&discord.public_key, signature, timestamp, &body) {
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    let Ok(interaction) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "invalid JSON").into_response();
    };
    let operator = s.operator.borrow().clone();
    let answer = crate::command::discord::respond(
        interaction,
        s.store.clone(),
        operator,
        s.gazetteer,
        discord.follow_up,
    )
    .await;
    axum::Json(answer).into_response()
}
