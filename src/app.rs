//! `sitrep run`: everything wired from the config. Pollers feed a bounded channel; the pipeline
//! (dedup, extraction, merging, store) runs on its own thread and routes alert events to the
//! outbox, which the delivery worker drains into the platforms (or, with no platform, prints them
//! as JSON lines, DESIGN §3.3). SIGHUP re-reads the config's sources and operator subscriptions.
//! SIGINT or SIGTERM stops the pollers, lets the pipeline drain what was already fetched, lets
//! the send in flight finish, flushes the store and exits 0. Once a day the store is pruned to
//! `store.retention_days` and the subscriptions are exported beside it. Every minute the heap's
//! freed memory is given back to the OS ([`trim_memory`]), from at most two allocator arenas.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, SourceConfig, Tokens};
use crate::deliver::{Deliverer, pace};
use crate::extract::Gazetteer;
use crate::model::{Incident, Subscription, Target};
use crate::pipeline::Pipeline;
use crate::sink::{Sinks, discord::DiscordSink, telegram::TelegramSink};
use crate::source::http::{Http, Limits};
use crate::source::poller::{Gates, Notice, Poller, SeenItem};
use crate::store::records::{Action, Delivery};
use crate::store::{OpenOutcome, Store, export_path};

/// Items in flight between the pollers and the pipeline.
const ITEM_QUEUE: usize = 1024;
/// How long a send in flight at shutdown may take to finish.
const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(10);
/// How often the store is pruned and the subscriptions exported.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(24 * 3600);
/// How often freed heap memory is given back to the OS.
const TRIM_EVERY: Duration = Duration::from_secs(60);

/// Runs the daemon with the config read from `config_path` (read again on SIGHUP).
pub fn run(config: Config, tokens: Tokens, config_path: &Path) -> Result<()> {
    // A second daemon on the same store is told so, before the first one's port would refuse it.
    Store::check_not_in_use(&config.store.path)?;
    limit_heap_arenas();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")?;
    rt.block_on(run_async(config, tokens, config_path.to_path_buf()))
}

/// The running pollers, one task per source, each with its own stop switch so that a reload can
/// stop, start or restart one source without touching the others.
struct Pollers {
    running: HashMap<String, RunningPoller>,
    http: Http,
    store: Store,
    gates: Gates,
    gazetteer: &'static Gazetteer,
    down_after: Duration,
    items: mpsc::Sender<SeenItem>,
    notices: mpsc::Sender<Notice>,
    /// The names of the running sources, for `/healthz`.
    names: watch::Sender<Vec<String>>,
}

struct RunningPoller {
    config: SourceConfig,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Pollers {
    /// No poller running yet; [`Pollers::apply`] starts them.
    fn new(
        config: &Config,
        store: Store,
        items: mpsc::Sender<SeenItem>,
        notices: mpsc::Sender<Notice>,
    ) -> Result<Pollers> {
        Ok(Pollers {
            running: HashMap::new(),
            http: Http::new(Limits::default()).context("http client")?,
            store,
            gates: Gates::default(),
            gazetteer: Gazetteer::bundled(),
            down_after: config.alerts.source_down_after.0,
            items,
            notices,
            names: watch::channel(Vec::new()).0,
        })
    }

    /// Makes the running pollers match `sources`: stops the removed and changed ones (an item
    /// already handed on stays in the pipeline's queue), starts the new and changed ones.
    /// Returns (started, stopped) counts.
    async fn apply(&mut self, sources: &[SourceConfig]) -> (usize, usize) {
        let mut stopped = 0;
        let names: Vec<String> = self.running.keys().cloned().collect();
        for name in names {
            let keep = sources
                .iter()
                .any(|s| s.name == name && self.running[&name].config == *s);
            if !keep {
                let p = self.running.remove(&name).expect("listed above");
                let _ = p.stop.send(true);
                let _ = p.task.await;
                stopped += 1;
            }
        }
        let mut started = 0;
        for source in sources {
            if self.running.contains_key(&source.name) {
                continue;
            }
            let (stop, stop_rx) = watch::channel(false);
            let poller = Poller::new(
                source.clone(),
                self.http.clone(),
                self.store.clone(),
                self.gates.clone(),
                self.gazetteer,
                self.down_after,
            );
            let task = tokio::spawn(poller.run(self.items.clone(), self.notices.clone(), stop_rx));
            self.running.insert(
                source.name.clone(),
                RunningPoller {
                    config: source.clone(),
                    stop,
                    task,
                },
            );
            started += 1;
        }
        self.names
            .send_replace(sources.iter().map(|s| s.name.clone()).collect());
        (started, stopped)
    }

    /// Stops every poller; the item and notice queues close once the last one is gone.
    async fn stop_all(mut self) {
        for p in self.running.values() {
            let _ = p.stop.send(true);
        }
        for (_, p) in self.running.drain() {
            let _ = p.task.await;
        }
    }
}

async fn run_async(config: Config, tokens: Tokens, config_path: PathBuf) -> Result<()> {
    let mut signals = Signals::register()?;
    let listener = crate::server::bind_std(config.http.listen)
        .with_context(|| format!("[http] listen {}", config.http.listen))?;
    let starting = StartingServer::start(&listener)?;
    let store = {
        let (store_config, state) = (config.store.clone(), starting.state.clone());
        tokio::task::spawn_blocking(move || open_store(&store_config, &state))
            .await
            .context("store opening task")??
    };
    let platforms = platforms_on(&tokens);
    log_start(&config, &store, &platforms);
    let gaz = Gazetteer::bundled();
    // The operator's subscriptions, replaced on SIGHUP; every reader borrows them at each use.
    let (operator_tx, operator) = watch::channel(config.subscriptions.clone());
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (items_tx, items_rx) = mpsc::channel(ITEM_QUEUE);
    let (notice_tx, notice_rx) = mpsc::channel::<Notice>(64);
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());

    let mut pollers = Pollers::new(&config, store.clone(), items_tx, notice_tx)?;
    pollers.apply(&config.sources).await;
    let ops_target = config
        .alerts
        .ops_target
        .filter(|t| platforms.contains(&crate::metrics::platform(t)));
    let notices = tokio::spawn(send_notices(
        notice_rx,
        store.clone(),
        operator.clone(),
        ops_target,
        wake.clone(),
    ));

    // Deliveries: the outbox worker (it first sends what a previous run left in the outbox).
    let deliverer = Deliverer::new(store.clone(), sinks(&config, &tokens)?, gaz, pacer(&config))
        .with_maps(config.alerts.maps);
    let delivery = tokio::spawn(deliverer.run(wake.clone(), shutdown_rx.clone()));
    // Daily digests: queued into the outbox when due (at start, those missed while down today).
    let digests = tokio::spawn(
        crate::digest::DigestScheduler {
            store: store.clone(),
            operator: operator.clone(),
            gazetteer: gaz,
            wake: wake.clone(),
            clock: crate::digest::Clock::System,
        }
        .run(shutdown_rx.clone()),
    );
    let pipeline = spawn_pipeline(
        &config,
        store.clone(),
        operator.clone(),
        &platforms,
        items_rx,
        wake,
    );
    let housekeeping = tokio::spawn(housekeeping(
        store.clone(),
        config.store.retention_days,
        shutdown_rx.clone(),
    ));
    let trim = tokio::spawn(trim_memory(shutdown_rx.clone()));
    let command_tasks = start_telegram_commands(&config, &tokens, &store, &operator, &shutdown_rx)?;
    let (discord, gateway) =
        start_discord(&config, &tokens, &store, &operator, &shutdown_rx).await?;
    let server_state = crate::server::ServerState {
        store: store.clone(),
        operator,
        gazetteer: gaz,
        discord,
        platforms,
        sources: pollers.names.subscribe(),
    };
    starting.stop().await;
    let server = start_server(&listener, server_state, &shutdown_rx)?;

    while let Signal::Reload = signals.next().await {
        reload(&config_path, &mut pollers, &operator_tx).await;
    }
    Running {
        store,
        shutdown: shutdown_tx,
        pollers,
        pipeline,
        delivery,
        notices,
        server,
        gateway,
        command_tasks,
        housekeeping,
        trim,
        digests,
    }
    .stop()
    .await
}

/// `/healthz` while the daemon starts: 503 with what it waits for (the store's compaction and
/// opening), on the listener the real server takes over.
struct StartingServer {
    state: crate::server::Starting,
    done: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl StartingServer {
    fn start(listener: &std::net::TcpListener) -> Result<StartingServer> {
        let state = crate::server::Starting::default();
        let (done, done_rx) = watch::channel(false);
        let task = tokio::spawn(crate::server::serve_starting(
            crate::server::listener_of(listener).context("http listener")?,
            state.clone(),
            done_rx,
        ));
        Ok(StartingServer { state, done, task })
    }

    /// Stops answering (requests in flight finish); the real server takes the listener next.
    async fn stop(self) {
        let _ = self.done.send(true);
        if let Ok(Err(e)) = self.task.await {
            tracing::warn!(error = %e, "start-up http server");
        }
    }
}

/// Opens the store, rebuilding it (and saying so) when it cannot be opened; compacts it first
/// when that gives back at least half its disk. `starting` follows both for `/healthz`.
fn open_store(
    config: &crate::config::StoreConfig,
    starting: &crate::server::Starting,
) -> Result<Store> {
    compact_at_start(config, &starting.compaction);
    let (store, outcome) = Store::open_or_rebuild(&config.path, config.cache_mb)
        .with_context(|| format!("store {}", config.path.display()))?;
    starting
        .store_open
        .store(true, std::sync::atomic::Ordering::Relaxed);
    store.set_min_free(config.min_free_mb.saturating_mul(1024 * 1024));
    if let OpenOutcome::Rebuilt {
        moved_to,
        restored_subscriptions,
    } = &outcome
    {
        tracing::error!(moved_to = %moved_to.display(), restored_subscriptions, "store was rebuilt");
    }
    Ok(store)
}

/// Compacts the store before it is opened when it takes much more disk than a fresh copy would
/// (a prune leaves sled's files as large as they were). A failed compaction leaves the old
/// store whole: it is logged and the daemon goes on with it.
fn compact_at_start(
    config: &crate::config::StoreConfig,
    progress: &crate::store::compact::Progress,
) {
    let path = &config.path;
    let min_disk = config.compact_min_mb.saturating_mul(1024 * 1024);
    match crate::store::compact::compact_if_over(path, config.cache_mb, min_disk, progress) {
        Ok(Some(c)) => tracing::info!(
            path = %path.display(),
            before_mib = c.before / 1_048_576,
            after_mib = c.after / 1_048_576,
            records = c.records,
            "store compacted"
        ),
        Ok(None) => {}
        Err(e) => tracing::warn!(path = %path.display(), error = %e, "store not compacted"),
    }
}

/// The chat platforms that are on: those whose table and token are both there.
fn platforms_on(tokens: &Tokens) -> Vec<&'static str> {
    [
        ("telegram", tokens.telegram.is_some()),
        ("discord", tokens.discord.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, on)| on.then_some(n))
    .collect()
}

/// The start-up log: what the daemon runs with, the console notice when no platform is on, and
/// one warning per platform that subscriptions (or the ops target) name but that is off.
fn log_start(config: &Config, store: &Store, platforms: &[&'static str]) {
    for sub in &config.subscriptions {
        tracing::debug!(target = %sub.target, "operator subscription");
    }
    let stored_subscriptions = store.subscriptions().unwrap_or_default();
    let all: Vec<&Subscription> = config
        .subscriptions
        .iter()
        .chain(&stored_subscriptions)
        .collect();
    let targets: std::collections::BTreeSet<String> =
        all.iter().map(|s| s.target.to_string()).collect();
    tracing::info!(
        sources = config.sources.len(),
        subscriptions = all.len(),
        targets = targets.len(),
        incidents = store.incident_count(),
        outbox = store.outbox_len(),
        store_bytes = store.size_on_disk(),
        platforms = %if platforms.is_empty() { "none (console)".to_string() } else { platforms.join(", ") },
        "sitrep starting"
    );
    for p in platforms {
        crate::metrics::metrics().add_platform(p);
    }
    if platforms.is_empty() {
        eprintln!(
            "sitrep: no chat platform configured: alerts are printed to standard output as JSON lines"
        );
    }
    for platform in ["telegram", "discord"] {
        if platforms.contains(&platform) {
            continue;
        }
        let off = |t: &Target| crate::metrics::platform(t) == platform;
        let subscriptions = all.iter().filter(|s| off(&s.target)).count();
        let ops_target = config.alerts.ops_target.as_ref().is_some_and(off);
        if subscriptions > 0 || ops_target {
            tracing::warn!(
                platform,
                subscriptions,
                ops_target,
                "these targets get nothing while [{platform}] is not configured"
            );
        }
    }
}

/// The platform clients, for the platforms that are on.
fn sinks(config: &Config, tokens: &Tokens) -> Result<Sinks> {
    let mut sinks = Sinks::default();
    if let (Some(t), Some(token)) = (&config.telegram, &tokens.telegram) {
        sinks.telegram = Some(TelegramSink::new(token, &t.api_url).map_err(anyhow::Error::msg)?);
    }
    if let (Some(d), Some(token)) = (&config.discord, &tokens.discord) {
        sinks.discord = Some(DiscordSink::new(token, &d.api_url));
    }
    Ok(sinks)
}

/// The send pacing of the configured platforms.
fn pacer(config: &Config) -> pace::Pacer {
    let mut limits = pace::Limits::default();
    if let Some(t) = &config.telegram {
        limits.telegram_per_second = t.max_per_second;
        limits.telegram_chat = t.chat_interval.0;
        limits.telegram_group = t.group_interval.0;
    }
    if let Some(d) = &config.discord {
        limits.discord_channel = d.channel_interval.0;
    }
    pace::Pacer::new(limits)
}

/// The operator's notices: logged, and sent to `[alerts] ops_target` through the outbox, in
/// the operator channel's language (`operator`: the operator's subscriptions, which may set it).
async fn send_notices(
    mut notices: mpsc::Receiver<Notice>,
    store: Store,
    operator: watch::Receiver<Vec<Subscription>>,
    ops_target: Option<Target>,
    wake: std::sync::Arc<tokio::sync::Notify>,
) {
    while let Some(n) = notices.recv().await {
        match n {
            Notice::Down { .. } => tracing::error!(notice = %n, "source down"),
            Notice::Recovered { .. } => tracing::warn!(notice = %n, "source recovered"),
        }
        if let Some(target) = ops_target {
            // In the operator channel's language.
            let lang = store
                .channel_lang(&target, &operator.borrow())
                .unwrap_or_default();
            let delivery = Delivery {
                target,
                incident_id: String::new(),
                action: Action::Notice {
                    text: format!("sitrep: {}", n.message(lang)),
                },
                met_thresholds: true,
                lang,
            };
            if let Err(e) = store.enqueue(&[delivery], chrono::Utc::now()) {
                tracing::error!(error = %e, "operator notice could not be queued");
            }
            wake.notify_one();
        }
    }
}

/// The pipeline is synchronous (sled, extraction): its own thread, draining the queue, printing
/// alert events when no platform is on, routing each one to the subscribed channels of the
/// platforms that are on through the outbox. Returns its counts once the queue closes.
fn spawn_pipeline(
    config: &Config,
    store: Store,
    operator: watch::Receiver<Vec<Subscription>>,
    platforms: &[&'static str],
    items: mpsc::Receiver<SeenItem>,
    wake: std::sync::Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<crate::pipeline::Counts> {
    let max_age = config.pipeline.max_article_age.0;
    let platforms = platforms.to_vec();
    let gaz = Gazetteer::bundled();
    let ingest = Ingest {
        pipeline: Pipeline::new(store.clone(), gaz, max_age),
        store,
        operator,
        console_open: platforms.is_empty(),
        platforms,
        gazetteer: gaz,
        wake,
        waiting: std::collections::VecDeque::new(),
        dropped: 0,
    };
    tokio::task::spawn_blocking(move || ingest.run(items))
}

/// Prints an alert event as a JSON line; false once standard output is closed (`sitrep run |
/// head`), which must not stop the pipeline.
fn print_event(ev: &crate::model::AlertEvent) -> bool {
    let line = serde_json::to_string(ev).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
        tracing::warn!("standard output is closed: alerts are no longer printed");
        return false;
    }
    true
}

/// Telegram's command loop (long polling for /subscribe and the others), when Telegram is on.
fn start_telegram_commands(
    config: &Config,
    tokens: &Tokens,
    store: &Store,
    operator: &watch::Receiver<Vec<Subscription>>,
    shutdown: &watch::Receiver<bool>,
) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    let (Some(t), Some(token)) = (&config.telegram, &tokens.telegram) else {
        return Ok(Vec::new());
    };
    let c = crate::command::telegram::TelegramCommands::new(
        token,
        &t.api_url,
        store.clone(),
        operator.clone(),
        Gazetteer::bundled(),
    )
    .map_err(anyhow::Error::msg)?;
    Ok(vec![tokio::spawn(c.run(shutdown.clone()))])
}

/// Serves /healthz, /metrics and Discord's interactions on `[http] listen` until shutdown.
fn start_server(
    listener: &std::net::TcpListener,
    state: crate::server::ServerState,
    shutdown: &watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let listener = crate::server::listener_of(listener).context("http listener")?;
    tracing::info!(addr = %listener.local_addr()?, "http server listening");
    Ok(tokio::spawn(crate::server::serve(
        listener,
        state,
        shutdown.clone(),
    )))
}

/// Discord's side: commands registered at start; interactions over HTTP when mode = "http"
/// (returned for the server), else the gateway client's task.
async fn start_discord(
    config: &Config,
    tokens: &Tokens,
    store: &Store,
    operator: &watch::Receiver<Vec<Subscription>>,
    shutdown: &watch::Receiver<bool>,
) -> Result<(
    Option<crate::server::DiscordEndpoint>,
    Option<tokio::task::JoinHandle<()>>,
)> {
    let (Some(d), Some(token)) = (&config.discord, &tokens.discord) else {
        return Ok((None, None));
    };
    let mut endpoint = None;
    let mut gateway = None;
    if d.mode == crate::config::DiscordMode::Http {
        let bytes: [u8; 32] = hex::decode(&d.public_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .context("[discord] public_key: 64 hex digits expected")?;
        endpoint = Some(crate::server::DiscordEndpoint {
            public_key: ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .context("[discord] public_key is not an Ed25519 key")?,
            follow_up: crate::command::discord::FollowUp::new(token, &d.api_url, d.application_id),
        });
    } else {
        gateway = Some(tokio::spawn(crate::command::discord_gateway::run(
            token.clone(),
            d.api_url.clone(),
            store.clone(),
            operator.clone(),
            Gazetteer::bundled(),
            shutdown.clone(),
        )));
    }
    if d.application_id != 0 {
        let http = crate::sink::discord::serenity_http(token, &d.api_url, d.application_id);
        match crate::command::discord::register(&http, d.guild_id).await {
            Ok(()) => tracing::info!(guild = d.guild_id, "discord commands registered"),
            Err(e) => tracing::warn!(error = %e, "discord commands could not be registered"),
        }
    }
    Ok((endpoint, gateway))
}

/// The running daemon's parts, stopped in order on SIGINT or SIGTERM.
struct Running {
    store: Store,
    shutdown: watch::Sender<bool>,
    pollers: Pollers,
    pipeline: tokio::task::JoinHandle<crate::pipeline::Counts>,
    delivery: tokio::task::JoinHandle<crate::deliver::DeliveryCounts>,
    notices: tokio::task::JoinHandle<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    gateway: Option<tokio::task::JoinHandle<()>>,
    command_tasks: Vec<tokio::task::JoinHandle<()>>,
    housekeeping: tokio::task::JoinHandle<()>,
    trim: tokio::task::JoinHandle<()>,
    digests: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops the pollers, lets the pipeline drain what was fetched, lets the send in flight
    /// finish (within [`SHUTDOWN_DEADLINE`]), waits for the other tasks and flushes the store.
    async fn stop(self) -> Result<()> {
        tracing::info!("shutting down");
        let _ = self.shutdown.send(true);
        self.pollers.stop_all().await;
        let counts = self.pipeline.await.context("pipeline thread")?;
        // The send in flight may finish; one that hangs past the deadline stays in the outbox.
        let abort = self.delivery.abort_handle();
        match tokio::time::timeout(SHUTDOWN_DEADLINE, self.delivery).await {
            Ok(delivered) => {
                let delivered = delivered.context("delivery task")?;
                tracing::info!(?delivered, outbox = self.store.outbox_len(), "deliveries");
            }
            Err(_) => {
                abort.abort();
                tracing::warn!(
                    outbox = self.store.outbox_len(),
                    "a send did not finish within the shutdown deadline; it stays in the outbox"
                );
            }
        }
        let _ = self.notices.await;
        let _ = self.server.await;
        if let Some(g) = self.gateway {
            // The gateway client closes its shards on shutdown; do not wait on a stuck connection.
            let abort = g.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), g)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        for t in self.command_tasks {
            let _ = t.await;
        }
        let _ = self.housekeeping.await;
        let _ = self.trim.await;
        let _ = self.digests.await;
        if let Err(e) = self.store.flush() {
            // A full disk: what is in memory cannot be written; the outbox on disk is intact.
            if !e.is_io() {
                return Err(e).context("flush the store");
            }
            tracing::error!(error = %e, "the store could not be flushed at shutdown");
        }
        tracing::info!(?counts, "stopped");
        Ok(())
    }
}

/// Items kept in memory while the store cannot take them (a full disk), at most.
const WAITING_ITEMS: usize = 5_000;
/// How often a store in a fault is tried again.
const RECOVER_EVERY: Duration = Duration::from_millis(500);

/// The pipeline thread: each item through [`Pipeline`], its alert events routed to the outbox,
/// the store flushed before the item counts as done. An item the store could not take (a full
/// disk) waits in memory (at most [`WAITING_ITEMS`], one copy per feed item) and runs again, as
/// [`Pipeline::ingest_again`], once the store recovers.
struct Ingest {
    pipeline: Pipeline<'static>,
    store: Store,
    operator: watch::Receiver<Vec<Subscription>>,
    /// The platforms that are on: only their channels get alerts.
    platforms: Vec<&'static str>,
    gazetteer: &'static Gazetteer,
    wake: std::sync::Arc<tokio::sync::Notify>,
    /// Alert events are printed as JSON lines (no platform is on) until standard output closes.
    console_open: bool,
    waiting: std::collections::VecDeque<SeenItem>,
    dropped: u64,
}

impl Ingest {
    /// Runs until the queue closes (shutdown); returns the pipeline's counts.
    fn run(mut self, mut items: mpsc::Receiver<SeenItem>) -> crate::pipeline::Counts {
        let mut closed = false;
        loop {
            if self.waiting.is_empty() && self.store.fault().is_none() {
                match items.blocking_recv() {
                    Some(item) => self.handle(item, false),
                    None => break,
                }
                continue;
            }
            if self.store.recover() {
                while let Some(item) = self.waiting.pop_front() {
                    self.handle(item, true);
                    if self.store.fault().is_some() {
                        break;
                    }
                }
            }
            // Keep taking what the pollers fetch, so that polling goes on.
            loop {
                match items.try_recv() {
                    Ok(item) => self.keep(item),
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                }
            }
            if closed && (self.waiting.is_empty() || self.store.fault().is_some()) {
                break;
            }
            if self.store.fault().is_some() {
                std::thread::sleep(RECOVER_EVERY);
            }
        }
        if !self.waiting.is_empty() {
            tracing::error!(
                items = self.waiting.len(),
                "stopping with items the full store could not take; they are fetched again if their feeds still list them"
            );
        }
        self.pipeline.counts
    }

    /// Keeps an item for later, once per feed item, within the bound.
    fn keep(&mut self, item: SeenItem) {
        let key = |i: &SeenItem| {
            let a = i.item.article();
            (a.source.clone(), a.guid.clone())
        };
        let k = key(&item);
        if self.waiting.iter().any(|w| key(w) == k) {
            return;
        }
        if self.waiting.len() >= WAITING_ITEMS {
            self.waiting.pop_front();
            self.dropped += 1;
            if self.dropped == 1 || self.dropped.is_power_of_two() {
                tracing::error!(
                    dropped = self.dropped,
                    "store still full: oldest waiting items dropped; they are fetched again only if their feeds still list them"
                );
            }
        }
        self.waiting.push_back(item);
    }

    /// One item through; kept for later when the store cannot take it.
    fn handle(&mut self, item: SeenItem, again: bool) {
        if self.store.fault().is_some() {
            return self.keep(item);
        }
        let before = self.pipeline.counts;
        let result = if again {
            self.pipeline.ingest_again(&item.item)
        } else {
            self.pipeline.ingest_item(&item.item)
        };
        let out = match result {
            Ok(out) => out,
            Err(crate::pipeline::PipelineError::Store(e)) => {
                self.store.note(&e);
                if e.is_io() {
                    return self.keep(item);
                }
                tracing::error!(error = %e, "pipeline");
                return;
            }
        };
        crate::metrics::metrics().record_pipeline(&before, &self.pipeline.counts);
        if let Err(e) = self.route(&item, &out.events, again) {
            self.store.note(&e);
            if e.is_io() {
                return self.keep(item);
            }
            tracing::error!(error = %e, "alert could not be queued");
        }
        // The item is done once it is on disk: a store that fails later gives back only what
        // was flushed, and this item is not kept any more.
        if !out.duplicate
            && let Err(e) = self.store.flush()
        {
            self.store.note(&e);
            self.keep(item);
        }
    }

    /// Prints (console mode) and routes an item's alert events to the outbox.
    fn route(
        &mut self,
        item: &SeenItem,
        events: &[crate::model::AlertEvent],
        again: bool,
    ) -> Result<(), crate::store::StoreError> {
        let text = {
            let a = item.item.article();
            format!("{}\n{}", a.title, a.text)
        };
        for ev in events {
            if self.console_open && !again {
                self.console_open = print_event(ev);
            }
            let operator = self.operator.borrow().clone();
            let routed = route_event(
                &self.store,
                operator,
                &self.platforms,
                &ev.incident,
                &text,
                self.gazetteer,
                item.seen,
            );
            self.wake.notify_one();
            if let Err(e) = routed {
                if e.is_io() {
                    return Err(e);
                }
                tracing::error!(error = %e, incident = %ev.incident.id, "alert could not be queued");
            }
        }
        Ok(())
    }
}

/// Routes one incident change to its channels and writes the deliveries to the outbox.
/// `operator`: the operator's subscriptions; the stored ones are added. Only targets on
/// `platforms` get anything (a platform that is off would fail every send).
/// `seen`: when the item behind the change was first seen (the alert-latency clock).
fn route_event(
    store: &Store,
    operator: Vec<Subscription>,
    platforms: &[&'static str],
    incident: &Incident,
    text: &str,
    gaz: &Gazetteer,
    seen: chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::store::StoreError> {
    let mut subs = operator.clone();
    subs.extend(store.subscriptions()?);
    subs.retain(|s| {
        platforms.contains(&crate::metrics::platform(&s.target))
            && store
                .target_state(&s.target)
                .map(|t| t.disabled.is_none())
                .unwrap_or(true)
    });
    let mutes = store.mutes()?;
    let sent = |t: &Target| store.sent(t, &incident.id).ok().flatten();
    let now = chrono::Utc::now();
    let mut deliveries = crate::route::route(
        incident,
        &[text.to_string()],
        &subs,
        &mutes,
        &sent,
        now,
        gaz,
    );
    // A new message is written in the channel's language of the moment; edits keep theirs.
    crate::route::set_languages(&mut deliveries, &|t| {
        store.channel_lang(t, &operator).unwrap_or_default()
    });
    store.enqueue(&deliveries, seen)?;
    Ok(())
}

/// Re-reads the config on SIGHUP: sources and operator subscriptions take effect at once; a
/// config that does not load is reported and the running one kept.
async fn reload(path: &Path, pollers: &mut Pollers, operator: &watch::Sender<Vec<Subscription>>) {
    let new = match Config::load(path) {
        Ok((new, _tokens)) => new,
        Err(e) => {
            tracing::error!(error = %e, "config not reloaded; the running config stays");
            return;
        }
    };
    pollers.down_after = new.alerts.source_down_after.0;
    let (started, stopped) = pollers.apply(&new.sources).await;
    operator.send_replace(new.subscriptions.clone());
    tracing::info!(
        sources = new.sources.len(),
        started,
        stopped,
        subscriptions = new.subscriptions.len(),
        "config reloaded: sources and operator subscriptions (other settings take effect at the next start)"
    );
}

/// Once at start and then daily until shutdown: prunes incidents and articles older than
/// `retention_days`, and exports the subscriptions beside the store so that a rebuilt store gets
/// them back.
async fn housekeeping(store: Store, retention_days: u32, mut shutdown: watch::Receiver<bool>) {
    loop {
        let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(retention_days));
        match prune(&store, cutoff, &mut shutdown).await {
            Ok(p) if p.incidents + p.articles > 0 => {
                tracing::info!(
                    incidents = p.incidents,
                    articles = p.articles,
                    retention_days,
                    store_bytes = store.size_on_disk(),
                    "store pruned"
                )
            }
            Ok(_) => {}
            Err(e) if e.is_io() => store.note(&e),
            Err(e) => tracing::error!(error = %e, "store pruning failed"),
        }
        let s = store.clone();
        match tokio::task::spawn_blocking(move || s.export_subscriptions(&export_path(s.path())))
            .await
        {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "subscription export failed"),
            Err(e) => tracing::error!(error = %e, "housekeeping task failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(HOUSEKEEPING_EVERY) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// Every [`TRIM_EVERY`] until shutdown, gives the heap's freed memory back to the OS. glibc's
/// allocator keeps what the pipeline and sled free in its per-thread arenas: the soak showed the
/// daemon's memory rising about 2 MiB a minute with its live heap flat, and one trim taking it
/// from 143 to 112 MiB. The trim runs on a blocking thread (it walks every arena).
async fn trim_memory(mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(TRIM_EVERY) => {}
            _ = shutdown.changed() => break,
        }
        let _ = tokio::task::spawn_blocking(give_back_freed_memory).await;
    }
}

/// How many heaps (arenas) glibc's allocator may keep; its default is 8 per core.
const HEAP_ARENAS: i32 = 2;

/// Keeps glibc's allocator to [`HEAP_ARENAS`] arenas, before the runtime starts its threads.
/// By default each of the daemon's threads (tokio's workers and blocking pool, the pipeline,
/// sled's flusher and I/O threads: 13 or 14) gets an arena of its own, and memory one thread
/// frees stays in its arena among what is still held there. With two, the 60-minute soaks
/// ended with 6 to 8 MiB less anonymous memory, rising 0.14 to 0.17 MiB a minute over their
/// last 20 minutes instead of 0.44 to 0.58 (same live heap). An operator's own
/// `MALLOC_ARENA_MAX` is left as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_heap_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it runs before the runtime starts.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, HEAP_ARENAS);
        }
    }
}

/// Other allocators have their own policy.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_heap_arenas() {}

/// Returns the allocator's free memory to the OS (glibc's `malloc_trim`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_back_freed_memory() {
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas; it takes
    // their locks and touches no memory the program holds.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators and systems return memory on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_freed_memory() {}

/// Prunes the store to `cutoff` in batches ([`Store::prune_step`]), each on a blocking thread, so
/// that neither the async runtime nor the pipeline waits on a long scan; stops between two
/// batches at shutdown.
pub async fn prune(
    store: &Store,
    cutoff: chrono::DateTime<chrono::Utc>,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<crate::store::Pruned, crate::store::StoreError> {
    let mut total = crate::store::Pruned::default();
    let mut cursor = Some(crate::store::PruneCursor::default());
    while let Some(c) = cursor {
        if *shutdown.borrow() {
            break;
        }
        let s = store.clone();
        let step =
            tokio::task::spawn_blocking(move || s.prune_step(cutoff, c, crate::store::PRUNE_BATCH))
                .await;
        let (p, next) = match step {
            Ok(step) => step?,
            Err(e) => {
                tracing::error!(error = %e, "a prune batch failed; pruning stops until tomorrow");
                break;
            }
        };
        total.incidents += p.incidents;
        total.articles += p.articles;
        cursor = next;
    }
    Ok(total)
}

enum Signal {
    Reload,
    Stop,
}

/// The process signals `sitrep run` answers, registered once at start so that none arriving
/// during a reload is missed.
struct Signals {
    #[cfg(unix)]
    streams: [tokio::signal::unix::Signal; 3],
}

impl Signals {
    fn register() -> Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                streams: [
                    signal(SignalKind::hangup()).context("SIGHUP handler")?,
                    signal(SignalKind::interrupt()).context("SIGINT handler")?,
                    signal(SignalKind::terminate()).context("SIGTERM handler")?,
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// Waits for SIGHUP (reload) or SIGINT/SIGTERM (stop).
    async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let [hup, int, term] = &mut self.streams;
            tokio::select! {
                _ = hup.recv() => Signal::Reload,
                _ = int.recv() => Signal::Stop,
                _ = term.recv() => Signal::Stop,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Stop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident() -> Incident {
        serde_json::from_str(
            r#"{"id":"ML-20250601-boulkessi","kind":"base_overrun","country":"ML","admin1":"Mopti","place":"Boulkessi",
            "lat":15.03,"lon":-1.55,"geo_precision":1,"date":"2025-06-01","date_precision":"day","actors":["JNIM","FAMa"],
            "perpetrator":"JNIM","claimed_by":["JNIM"],"target":"military","fatalities":null,"severity":"high",
            "verification":"reported","summary":"Base overrun at Boulkessi, Mali, claimed by JNIM.","sources":[],
            "first_seen":"2025-06-02T09:12:05Z","updated":"2025-06-02T09:12:05Z"}"#,
        )
        .unwrap()
    }

    fn sub(target: &str) -> Subscription {
        serde_json::from_value(serde_json::json!({"id": "", "target": target})).unwrap()
    }

    #[test]
    fn alerts_go_only_to_platforms_that_are_on() {
        let store = Store::temporary().unwrap();
        let subs = vec![sub("telegram:-1001"), sub("discord:42")];
        let route = |platforms: &[&'static str]| {
            let store = Store::temporary().unwrap();
            let gaz = Gazetteer::bundled();
            route_event(
                &store,
                subs.clone(),
                platforms,
                &incident(),
                "",
                gaz,
                chrono::Utc::now(),
            )
            .unwrap();
            let mut targets: Vec<String> = store
                .pending_deliveries()
                .unwrap()
                .iter()
                .map(|e| e.delivery.target.to_string())
                .collect();
            targets.sort();
            targets
        };
        assert_eq!(
            route(&["telegram", "discord"]),
            ["discord:42", "telegram:-1001"]
        );
        assert_eq!(route(&["discord"]), ["discord:42"]);
        assert!(route(&[]).is_empty(), "console mode queues nothing");
        // Stored subscriptions (made with /subscribe) follow the same rule.
        store
            .set_subscriptions(&"telegram:-1002".parse().unwrap(), &[sub("telegram:-1002")])
            .unwrap();
        route_event(
            &store,
            Vec::new(),
            &["discord"],
            &incident(),
            "",
            Gazetteer::bundled(),
            chrono::Utc::now(),
        )
        .unwrap();
        assert_eq!(store.outbox_len(), 0);
    }
}
