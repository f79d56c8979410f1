//! `sitrep run`: everything wired from the config. Pollers feed a bounded channel; the pipeline
//! (dedup, extraction, merging, store) runs on its own thread; alert events go to the console sink
//! as JSON lines (DESIGN §3.3). SIGINT or SIGTERM stops the pollers, lets the pipeline drain what
//! was already fetched, flushes the store and exits 0.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, Tokens};
use crate::deliver::{Deliverer, pace};
use crate::extract::Gazetteer;
use crate::model::{Incident, Subscription, Target};
use crate::pipeline::Pipeline;
use crate::sink::{Sinks, discord::DiscordSink, telegram::TelegramSink};
use crate::source::api::SourceItem;
use crate::source::http::{Http, Limits};
use crate::source::poller::{Gates, Notice, Poller};
use crate::store::{OpenOutcome, Store, export_path};

/// Items in flight between the pollers and the pipeline.
const ITEM_QUEUE: usize = 1024;

pub fn run(config: Config, tokens: Tokens) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")?;
    rt.block_on(run_async(config, tokens))
}

async fn run_async(config: Config, tokens: Tokens) -> Result<()> {
    let (store, outcome) = Store::open_or_rebuild(&config.store.path, config.store.cache_mb)
        .with_context(|| format!("store {}", config.store.path.display()))?;
    if let OpenOutcome::Rebuilt {
        moved_to,
        restored_subscriptions,
    } = &outcome
    {
        tracing::error!(moved_to = %moved_to.display(), restored_subscriptions, "store was rebuilt");
    }
    for sub in &config.subscriptions {
        tracing::debug!(target = %sub.target, "operator subscription");
    }
    let platforms: Vec<&str> = [
        ("telegram", tokens.telegram.is_some()),
        ("discord", tokens.discord.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, on)| on.then_some(n))
    .collect();
    tracing::info!(
        sources = config.sources.len(),
        subscriptions =
            config.subscriptions.len() + store.subscriptions().map(|s| s.len()).unwrap_or(0),
        incidents = store.incident_count(),
        store_bytes = store.size_on_disk(),
        "sitrep starting"
    );
    let console = platforms.is_empty();
    if console {
        eprintln!(
            "sitrep: no chat platform configured: alerts are printed to standard output as JSON lines"
        );
    }
    let mut sinks = Sinks::default();
    if let (Some(t), Some(token)) = (&config.telegram, &tokens.telegram) {
        sinks.telegram = Some(TelegramSink::new(token, &t.api_url).map_err(anyhow::Error::msg)?);
    }
    let mut commands = Vec::new();
    if let (Some(t), Some(token)) = (&config.telegram, &tokens.telegram) {
        let c = crate::command::telegram::TelegramCommands::new(
            token,
            &t.api_url,
            store.clone(),
            config.subscriptions.clone(),
            Gazetteer::bundled(),
        )
        .map_err(anyhow::Error::msg)?;
        commands.push(c);
    }
    if let (Some(d), Some(token)) = (&config.discord, &tokens.discord) {
        sinks.discord = Some(DiscordSink::new(token, &d.api_url));
    }

    let gaz = Gazetteer::bundled();
    let http = Http::new(Limits::default()).context("http client")?;
    let gates = Gates::default();
    let (items_tx, mut items_rx) = mpsc::channel(ITEM_QUEUE);
    let (notice_tx, mut notice_rx) = mpsc::channel::<Notice>(64);
    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    let mut pollers = Vec::new();
    for source in config.sources.clone() {
        let p = Poller::new(
            source,
            http.clone(),
            store.clone(),
            gates.clone(),
            gaz,
            config.alerts.source_down_after.0,
        );
        pollers.push(tokio::spawn(p.run(
            items_tx.clone(),
            notice_tx.clone(),
            shutdown_rx.clone(),
        )));
    }
    drop(items_tx);
    drop(notice_tx);

    // The operator's notices: logged, and sent to `[alerts] ops_target` through the outbox.
    let ops_target = config.alerts.ops_target;
    let notice_store = store.clone();
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let notice_wake = wake.clone();
    let notices = tokio::spawn(async move {
        while let Some(n) = notice_rx.recv().await {
            match n {
                Notice::Down { .. } => tracing::error!(notice = %n, "source down"),
                Notice::Recovered { .. } => tracing::warn!(notice = %n, "source recovered"),
            }
            if let Some(target) = ops_target {
                let delivery = crate::route::Delivery {
                    target,
                    incident_id: String::new(),
                    action: crate::route::Action::Notice {
                        text: format!("sitrep: {n}"),
                    },
                    met_thresholds: true,
                };
                if let Err(e) = notice_store.enqueue(&[delivery], chrono::Utc::now()) {
                    tracing::error!(error = %e, "operator notice could not be queued");
                }
                notice_wake.notify_one();
            }
        }
    });

    // Deliveries: the outbox worker (it first sends what a previous run left in the outbox).
    let mut limits = pace::Limits::default();
    if let Some(t) = &config.telegram {
        limits.telegram_per_second = t.max_per_second;
        limits.telegram_chat = t.chat_interval.0;
        limits.telegram_group = t.group_interval.0;
    }
    if let Some(d) = &config.discord {
        limits.discord_channel = d.channel_interval.0;
    }
    let deliverer = Deliverer::new(store.clone(), sinks, gaz, pace::Pacer::new(limits))
        .with_maps(config.alerts.maps);
    let delivery = tokio::spawn(deliverer.run(wake.clone(), shutdown_rx.clone()));

    // The pipeline is synchronous (sled, extraction): its own thread, draining the queue, routing
    // each alert event to the subscribed channels through the outbox.
    let max_age = config.pipeline.max_article_age.0;
    let pipeline_store = store.clone();
    let operator_subscriptions = config.subscriptions.clone();
    let pipeline = tokio::task::spawn_blocking(move || {
        let mut p = Pipeline::new(pipeline_store.clone(), gaz, max_age);
        let mut console_open = console;
        while let Some(item) = items_rx.blocking_recv() {
            let out = match p.ingest_item(&item) {
                Ok(out) => out,
                Err(e) => {
                    tracing::error!(error = %e, "pipeline");
                    continue;
                }
            };
            let text = match &item {
                SourceItem::Article(a) | SourceItem::Event(a, _) => {
                    format!("{}\n{}", a.title, a.text)
                }
            };
            for ev in out.events {
                if console_open {
                    // A closed standard output (`sitrep run | head`) must not stop the pipeline.
                    let line = serde_json::to_string(&ev).unwrap_or_default();
                    let mut out = std::io::stdout().lock();
                    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
                        tracing::warn!("standard output is closed: alerts are no longer printed");
                        console_open = false;
                    }
                }
                if let Err(e) = route_event(
                    &pipeline_store,
                    &operator_subscriptions,
                    &ev.incident,
                    &text,
                    gaz,
                ) {
                    tracing::error!(error = %e, incident = %ev.incident.id, "alert could not be queued");
                }
                wake.notify_one();
            }
        }
        p.counts
    });

    // Daily export of subscriptions beside the store, so a rebuilt store gets them back.
    let export_store = store.clone();
    let mut export_shutdown = shutdown_rx.clone();
    let exporter = tokio::spawn(async move {
        loop {
            let path = export_path(export_store.path());
            if let Err(e) = export_store.export_subscriptions(&path) {
                tracing::warn!(error = %e, "subscription export failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(24 * 3600)) => {}
                _ = export_shutdown.changed() => break,
            }
        }
    });

    let command_tasks: Vec<_> = commands
        .into_iter()
        .map(|c| tokio::spawn(c.run(shutdown_rx.clone())))
        .collect();

    // Discord: commands registered at start; interactions over HTTP when mode = "http".
    let mut discord_key = None;
    let mut gateway = None;
    if let (Some(d), Some(token)) = (&config.discord, &tokens.discord) {
        if d.mode == crate::config::DiscordMode::Http {
            let bytes: [u8; 32] = hex::decode(&d.public_key)
                .ok()
                .and_then(|b| b.try_into().ok())
                .context("[discord] public_key: 64 hex digits expected")?;
            discord_key = Some(
                ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                    .context("[discord] public_key is not an Ed25519 key")?,
            );
        } else {
            gateway = Some(tokio::spawn(crate::command::discord_gateway::run(
                token.clone(),
                d.api_url.clone(),
                store.clone(),
                config.subscriptions.clone(),
                gaz,
                shutdown_rx.clone(),
            )));
        }
        if d.application_id != 0 {
            let http = crate::sink::discord::serenity_http(token, &d.api_url, d.application_id);
            match crate::command::discord::register(&http, d.guild_id).await {
                Ok(()) => tracing::info!(guild = d.guild_id, "discord commands registered"),
                Err(e) => tracing::warn!(error = %e, "discord commands could not be registered"),
            }
        }
    }
    let listener = crate::server::bind(config.http.listen)
        .await
        .with_context(|| format!("[http] listen {}", config.http.listen))?;
    tracing::info!(addr = %listener.local_addr()?, "http server listening");
    let server_state = crate::server::ServerState {
        store: store.clone(),
        operator: config.subscriptions.clone(),
        gazetteer: gaz,
        discord_key,
    };
    let server = tokio::spawn(crate::server::serve(
        listener,
        server_state,
        shutdown_rx.clone(),
    ));

    wait_for_signal().await;
    tracing::info!("shutting down");
    let _ = shutdown_tx.send(true);
    for p in pollers {
        let _ = p.await;
    }
    let counts = pipeline.await.context("pipeline thread")?;
    let delivered = delivery.await.context("delivery task")?;
    tracing::info!(?delivered, outbox = store.outbox_len(), "deliveries");
    let _ = notices.await;
    let _ = server.await;
    if let Some(g) = gateway {
        // The gateway client closes its shards on shutdown; do not wait on a stuck connection.
        let abort = g.abort_handle();
        if tokio::time::timeout(Duration::from_secs(5), g)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
    for t in command_tasks {
        let _ = t.await;
    }
    let _ = exporter.await;
    store.flush().context("flush the store")?;
    tracing::info!(?counts, "stopped");
    Ok(())
}

/// Routes one incident change to its channels and writes the deliveries to the outbox.
fn route_event(
    store: &Store,
    operator: &[Subscription],
    incident: &Incident,
    text: &str,
    gaz: &Gazetteer,
) -> Result<(), crate::store::StoreError> {
    let mut subs = operator.to_vec();
    subs.extend(store.subscriptions()?);
    subs.retain(|s| {
        store
            .target_state(&s.target)
            .map(|t| t.disabled.is_none())
            .unwrap_or(true)
    });
    let mutes = store.mutes()?;
    let sent = |t: &Target| store.sent(t, &incident.id).ok().flatten();
    let now = chrono::Utc::now();
    let deliveries = crate::route::route(
        incident,
        &[text.to_string()],
        &subs,
        &mutes,
        &sent,
        now,
        gaz,
    );
    store.enqueue(&deliveries, now)?;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
