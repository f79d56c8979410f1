//! `sitrep run`: everything wired from the config. Pollers feed a bounded channel; the pipeline
//! (dedup, extraction, merging, store) runs on its own thread; alert events go to the console sink
//! as JSON lines (DESIGN §3.3). SIGINT or SIGTERM stops the pollers, lets the pipeline drain what
//! was already fetched, flushes the store and exits 0.

use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, Tokens};
use crate::extract::Gazetteer;
use crate::pipeline::Pipeline;
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
    if platforms.is_empty() {
        eprintln!(
            "sitrep: no chat platform configured: alerts are printed to standard output as JSON lines"
        );
    } else {
        eprintln!(
            "sitrep: {} configured, but chat delivery is not built yet: alerts are printed to standard output",
            platforms.join(" and ")
        );
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

    // The operator's notices: logged until chat delivery exists.
    let notices = tokio::spawn(async move {
        while let Some(n) = notice_rx.recv().await {
            match n {
                Notice::Down { .. } => tracing::error!(notice = %n, "source down"),
                Notice::Recovered { .. } => tracing::warn!(notice = %n, "source recovered"),
            }
        }
    });

    // The pipeline is synchronous (sled, extraction): its own thread, draining the queue.
    let max_age = config.pipeline.max_article_age.0;
    let pipeline_store = store.clone();
    let pipeline = tokio::task::spawn_blocking(move || {
        let mut p = Pipeline::new(pipeline_store, gaz, max_age);
        while let Some(item) = items_rx.blocking_recv() {
            match p.ingest_item(&item) {
                Ok(out) => {
                    for ev in out.events {
                        match serde_json::to_string(&ev) {
                            Ok(line) => println!("{line}"),
                            Err(e) => tracing::error!(error = %e, "cannot print an alert"),
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "pipeline"),
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

    wait_for_signal().await;
    tracing::info!("shutting down");
    let _ = shutdown_tx.send(true);
    for p in pollers {
        let _ = p.await;
    }
    let counts = pipeline.await.context("pipeline thread")?;
    let _ = notices.await;
    let _ = exporter.await;
    store.flush().context("flush the store")?;
    tracing::info!(?counts, "stopped");
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
