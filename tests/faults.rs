//! Faults a real deployment meets, end to end with the real binary, a local feed server and the
//! fake platforms: the store's disk fills while a feed publishes (an injected write error, and a
//! real full tmpfs when the test may mount one), and a platform refuses the bot's token.
//!
//! A full store keeps sitrep running: polling goes on, `/healthz` answers 503 with `store: full`,
//! one ERROR line; once space is back every incident is alerted exactly once, and SIGTERM exits 0
//! (also while the disk is still full). A refused token stops that platform (no hot loop, no
//! token in the logs, its outbox kept), shows in `/healthz`, the other platform goes on, and
//! after a restart with a good token the outbox drains.
//!
//! A daemon started on a bloated store (a prune leaves sled's files as large as they were)
//! compacts it first, answers `/healthz` with 503 `store: compacting` meanwhile, and then runs
//! as before: nothing stored is lost and nothing already alerted is alerted again.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::discord::CHANNEL;
use support::server::{self, Reply, Request};
use support::telegram::{Behaviour, FakeTelegram};

/// A private chat: one alert a second, so twenty come through quickly.
const CHAT: i64 = 4242;

/// Towns the gazetteer knows, one report (and one incident) each; none is a region's name, so
/// each names one alert only.
const TOWNS: [&str; 21] = [
    "Téra",
    "Ayorou",
    "Ouallam",
    "Filingué",
    "Banibangou",
    "Abala",
    "Bosso",
    "Torodi",
    "Makalondi",
    "Tassara",
    "Inatès",
    "Ansongo",
    "Tessit",
    "Djenné",
    "Niono",
    "Hombori",
    "Andéramboukane",
    "Bourem",
    "Tinzaouaten",
    "Kolondiéba",
    "Dioura",
];

/// An RSS document with the reports of these towns (by index in [`TOWNS`]), each on its own day.
fn feed(towns: std::ops::Range<usize>) -> String {
    let mut items = String::new();
    for i in towns {
        let town = TOWNS[i];
        let killed = 10 + i;
        items.push_str(&format!(
            "<item><title>Gunmen kill {killed} villagers near {town}</title>\
             <link>https://local.example/fault-{i}</link><guid>fault-{i}</guid>\
             <pubDate>{:02} May 2025 09:00:00 GMT</pubDate>\
             <description>Gunmen on motorbikes killed {killed} villagers in an attack near {town} on Tuesday, local officials said.</description></item>",
            i + 1
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local</title>{items}</channel></rss>"#
    )
}

/// The feed server: one document the test replaces, and a count of polls.
struct Feed {
    url: String,
    doc: Arc<Mutex<String>>,
    polls: Arc<AtomicUsize>,
}

impl Feed {
    async fn start(doc: String) -> Feed {
        let doc = Arc::new(Mutex::new(doc));
        let polls = Arc::new(AtomicUsize::new(0));
        let (d, p) = (doc.clone(), polls.clone());
        let (url, _) = server::start(Arc::new(move |_: &Request| {
            p.fetch_add(1, Ordering::SeqCst);
            Reply::ok("application/rss+xml", d.lock().unwrap().clone())
        }))
        .await;
        Feed { url, doc, polls }
    }

    fn publish(&self, doc: String) {
        *self.doc.lock().unwrap() = doc;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn until(within: Duration, what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The config: one feed polled every 10 s, Telegram (and Discord when given) subscribed.
fn config(store: &Path, feed: &str, port: u16, tg: &str, dc: Option<&str>) -> String {
    let mut t = format!(
        "[store]\npath = \"{}\"\nmin_free_mb = 1\n[pipeline]\nmax_article_age = \"100000h\"\n\
         [alerts]\nmaps = false\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         [telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{tg}\"\n\
         [[subscription]]\ntarget = \"telegram:{CHAT}\"\ncountries = [\"ML\", \"NE\"]\n\
         [[source]]\nname = \"local\"\nurl = \"{feed}\"\ninterval = \"10s\"\n",
        store.display()
    );
    if let Some(dc) = dc {
        t.push_str(&format!(
            "[discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\napi_url = \"{dc}\"\n\
             [[subscription]]\ntarget = \"discord:{CHANNEL}\"\ncountries = [\"ML\", \"NE\"]\n"
        ));
    }
    t
}

/// `/healthz`: (status code, body).
async fn health(port: u16) -> Option<(u16, serde_json::Value)> {
    let r = reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
        .await
        .ok()?;
    let code = r.status().as_u16();
    Some((code, r.json().await.ok()?))
}

async fn wait_health(port: u16, what: &str, ok: impl Fn(u16, &serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        if let Some((code, body)) = health(port).await
            && ok(code, &body)
        {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many accepted Telegram alerts name each town.
fn alerts_per_town(tg: &FakeTelegram, towns: std::ops::Range<usize>) -> Vec<(String, usize)> {
    let accepted = tg.accepted();
    TOWNS[towns]
        .iter()
        .map(|t| {
            let n = accepted
                .iter()
                .filter(|(_, _, text)| text.contains(t))
                .count();
            (t.to_string(), n)
        })
        .collect()
}

/// Lines of the daemon's log that say the store cannot write.
fn full_errors(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains("store cannot write"))
        .count()
}

/// What a store-full scenario needs: the feed, the fake, the port, the config file.
struct Rig {
    feed: Feed,
    tg: FakeTelegram,
    port: u16,
    config: PathBuf,
}

async fn rig(dir: &Path, store: &Path) -> Rig {
    let feed = Feed::start(feed(0..1)).await;
    let tg = FakeTelegram::start(Behaviour::default()).await;
    let port = free_port();
    let config = dir.join("sitrep.toml");
    std::fs::write(&config, self::config(store, &feed.url, port, &tg.url, None)).unwrap();
    Rig {
        feed,
        tg,
        port,
        config,
    }
}

const TOKEN: (&str, &str) = ("SITREP_TEST_TELEGRAM_TOKEN", "1:faults-test");

/// The disk fills (`fill`), twenty new reports come, space comes back (`free`): each incident is
/// alerted once, after, and the daemon said so once.
async fn full_disk_then_space_back(
    rig: &Rig,
    env: &[(&str, &str)],
    fill: impl Fn(),
    free: impl Fn(),
) {
    let child = support::daemon::start(&rig.config, env);
    until(Duration::from_secs(30), "the first alert", || {
        rig.tg.accepted().len() == 1
    })
    .await;
    fill();
    rig.feed.publish(feed(0..TOWNS.len()));
    wait_health(rig.port, "/healthz to say the store is full", |code, b| {
        code == 503 && b["store"] == "full"
    })
    .await;
    // Polling goes on while the disk is full, and nothing is sent that could not be recorded.
    let polls = rig.feed.polls.load(Ordering::SeqCst);
    until(Duration::from_secs(30), "a poll during the fault", || {
        rig.feed.polls.load(Ordering::SeqCst) > polls
    })
    .await;
    free();
    until(Duration::from_secs(60), "every incident alerted", || {
        rig.tg.accepted().len() >= TOWNS.len()
    })
    .await;
    wait_health(rig.port, "/healthz to say the store is ok", |code, b| {
        code == 200 && b["store"] == "ok"
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (town, n) in alerts_per_town(&rig.tg, 0..TOWNS.len()) {
        assert_eq!(n, 1, "{town}: {n} alerts, want exactly one");
    }
    let stderr = support::daemon::stop(child).await;
    eprintln!("{stderr}");
    assert_eq!(full_errors(&stderr), 1, "one ERROR per episode:\n{stderr}");
}

#[tokio::test]
async fn a_store_that_cannot_write_keeps_polling_and_alerts_everything_once_space_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let rig = rig(dir.path(), &dir.path().join("data")).await;
    let flag = dir.path().join("disk-full");
    let flag_env = flag.to_str().unwrap().to_string();
    full_disk_then_space_back(
        &rig,
        &[TOKEN, ("SITREP_TEST_STORE_FULL", &flag_env)],
        || std::fs::write(&flag, b"").unwrap(),
        || std::fs::remove_file(&flag).unwrap(),
    )
    .await;
}

#[tokio::test]
async fn sigterm_while_the_store_is_full_exits_0_and_the_next_start_alerts_what_was_missed() {
    let dir = tempfile::tempdir().unwrap();
    let rig = rig(dir.path(), &dir.path().join("data")).await;
    let flag = dir.path().join("disk-full");
    let flag_env = flag.to_str().unwrap().to_string();
    let env = [TOKEN, ("SITREP_TEST_STORE_FULL", flag_env.as_str())];
    let child = support::daemon::start(&rig.config, &env);
    until(Duration::from_secs(30), "the first alert", || {
        rig.tg.accepted().len() == 1
    })
    .await;
    std::fs::write(&flag, b"").unwrap();
    rig.feed.publish(feed(0..6));
    wait_health(rig.port, "/healthz to say the store is full", |code, b| {
        code == 503 && b["store"] == "full"
    })
    .await;
    // Let the poll with the new reports in.
    let polls = rig.feed.polls.load(Ordering::SeqCst);
    until(Duration::from_secs(30), "a poll during the fault", || {
        rig.feed.polls.load(Ordering::SeqCst) > polls
    })
    .await;
    let stderr = support::daemon::stop(child).await;
    assert_eq!(full_errors(&stderr), 1, "{stderr}");
    assert_eq!(rig.tg.accepted().len(), 1);
    std::fs::remove_file(&flag).unwrap();
    let child = support::daemon::start(&rig.config, &env);
    until(
        Duration::from_secs(60),
        "the missed incidents alerted",
        || rig.tg.accepted().len() >= 6,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (town, n) in alerts_per_town(&rig.tg, 0..6) {
        assert_eq!(n, 1, "{town}: {n} alerts, want exactly one");
    }
    support::daemon::stop(child).await;
}

/// Mounts a small tmpfs; `None` (with a note) when this process may not.
fn mount_tmpfs(at: &Path) -> Option<()> {
    std::fs::create_dir_all(at).unwrap();
    let ok = std::process::Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            "size=24m",
            "tmpfs",
            at.to_str().unwrap(),
        ])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "note: mounting a tmpfs is not permitted here; the real full-disk variant is skipped (the injected one ran)"
        );
    }
    ok.then_some(())
}

/// Unmounts the tmpfs when the test ends, passed or failed.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .args(["-l", self.0.to_str().unwrap()])
            .status();
    }
}

/// Fills the file system at `dir` to the last byte.
fn fill_up(file: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(file).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
}

#[tokio::test]
async fn a_real_full_disk_on_a_small_tmpfs_is_survived_too() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    if mount_tmpfs(&mnt).is_none() {
        return;
    }
    let _unmount = Unmount(mnt.clone());
    let rig = rig(dir.path(), &mnt.join("data")).await;
    let filler = mnt.join("filler");
    full_disk_then_space_back(
        &rig,
        &[TOKEN],
        || fill_up(&filler),
        || std::fs::remove_file(&filler).unwrap(),
    )
    .await;
}

/// Requests to the Telegram fake that send or edit alerts.
fn telegram_sends(tg: &FakeTelegram) -> usize {
    tg.methods()
        .iter()
        .filter(|m| m.starts_with("send") || m.starts_with("edit"))
        .count()
}

/// Message creates that reached the Discord fake.
fn discord_creates(log: &Mutex<Vec<Request>>) -> usize {
    log.lock()
        .unwrap()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .count()
}

#[tokio::test]
async fn a_revoked_telegram_token_stops_telegram_only_and_its_outbox_drains_after_a_restart() {
    const SECRET: &str = "7:revoked-telegram-token";
    let dir = tempfile::tempdir().unwrap();
    let feed = Feed::start(feed(0..2)).await;
    let tg = FakeTelegram::start(Behaviour {
        unauthorized: true,
        ..Default::default()
    })
    .await;
    let (dc, dc_log) = support::discord::start().await;
    let port = free_port();
    let config = dir.path().join("sitrep.toml");
    let store = dir.path().join("data");
    std::fs::write(
        &config,
        self::config(&store, &feed.url, port, &tg.url, Some(&dc)),
    )
    .unwrap();
    let env = [
        ("SITREP_TEST_TELEGRAM_TOKEN", SECRET),
        ("SITREP_TEST_DISCORD_TOKEN", "discord-faults-test"),
    ];
    let child = support::daemon::start(&config, &env);
    // Discord goes on.
    until(Duration::from_secs(30), "both alerts on Discord", || {
        discord_creates(&dc_log) == 2
    })
    .await;
    wait_health(port, "/healthz to show telegram stopped", |code, b| {
        let tg = b["platforms"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == "telegram").cloned())
            .unwrap_or_default();
        code == 200 && b["status"] == "degraded" && tg["ok"] == false && tg["stopped"].is_string()
    })
    .await;
    // No hot loop: one refused send, and nothing more while the alerts wait.
    let sends = telegram_sends(&tg);
    assert_eq!(sends, 1, "{:?}", tg.methods());
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(telegram_sends(&tg), 1, "{:?}", tg.methods());
    // Command polling backs off too (getUpdates after 2, 4, 8... s).
    assert!(tg.requests.lock().unwrap().len() < 12, "{:?}", tg.methods());
    let stderr = support::daemon::stop(child).await;
    assert!(
        !stderr.contains(SECRET),
        "the token is in the log:\n{stderr}"
    );
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("refused the bot token"))
        .collect();
    assert_eq!(refused.len(), 1, "one clear ERROR:\n{stderr}");
    assert!(
        refused[0].contains("ERROR") && refused[0].contains("telegram"),
        "{stderr}"
    );

    // A good token: the outbox drains into Telegram, Discord gets nothing twice.
    tg.behaviour.lock().unwrap().unauthorized = false;
    let child = support::daemon::start(&config, &env);
    until(
        Duration::from_secs(30),
        "the waiting alerts on Telegram",
        || tg.accepted().len() == 2,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(tg.accepted().len(), 2);
    assert_eq!(discord_creates(&dc_log), 2);
    support::daemon::stop(child).await;
}

#[tokio::test]
async fn a_revoked_discord_token_stops_discord_only() {
    let dir = tempfile::tempdir().unwrap();
    let feed = Feed::start(feed(0..1)).await;
    let tg = FakeTelegram::start(Behaviour::default()).await;
    let refuse = Arc::new(AtomicBool::new(true));
    let (dc, dc_log) = support::discord::start_refusing(refuse.clone()).await;
    let port = free_port();
    let config = dir.path().join("sitrep.toml");
    let store = dir.path().join("data");
    std::fs::write(
        &config,
        self::config(&store, &feed.url, port, &tg.url, Some(&dc)),
    )
    .unwrap();
    let env = [
        ("SITREP_TEST_TELEGRAM_TOKEN", "1:faults-test"),
        ("SITREP_TEST_DISCORD_TOKEN", "revoked-discord-token"),
    ];
    let child = support::daemon::start(&config, &env);
    until(Duration::from_secs(30), "the alert on Telegram", || {
        tg.accepted().len() == 1
    })
    .await;
    wait_health(port, "/healthz to show discord stopped", |_, b| {
        b["platforms"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == "discord").cloned())
            .is_some_and(|d| d["stopped"].is_string())
    })
    .await;
    let creates = discord_creates(&dc_log);
    assert!(creates <= 1, "{creates} creates");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(discord_creates(&dc_log), creates, "no retry loop");
    let stderr = support::daemon::stop(child).await;
    assert!(!stderr.contains("revoked-discord-token"), "{stderr}");
    // After a restart with a good token the alert goes out.
    refuse.store(false, Ordering::SeqCst);
    let child = support::daemon::start(&config, &env);
    until(Duration::from_secs(30), "the alert on Discord", || {
        discord_creates(&dc_log) == creates + 1
    })
    .await;
    assert_eq!(tg.accepted().len(), 1);
    support::daemon::stop(child).await;
}

/// Leaves the store's files much larger than its data, as a prune of old records does: a
/// scratch tree filled and emptied again.
fn bloat(store: &Path) {
    let db = sled::open(store).unwrap();
    let tree = db.open_tree("scratch").unwrap();
    let value = vec![b'x'; 1000];
    for i in 0u32..12_000 {
        tree.insert(i.to_be_bytes(), value.as_slice()).unwrap();
    }
    db.flush().unwrap();
    for i in 0u32..12_000 {
        tree.remove(i.to_be_bytes()).unwrap();
    }
    db.flush().unwrap();
}

#[tokio::test]
async fn a_daemon_started_on_a_bloated_store_compacts_it_and_runs_on_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let rig = rig(dir.path(), &store).await;
    // Compaction at start is considered from 1 MiB on (64 by default).
    let text = std::fs::read_to_string(&rig.config).unwrap();
    std::fs::write(
        &rig.config,
        text.replace("min_free_mb = 1\n", "min_free_mb = 1\ncompact_min_mb = 1\n"),
    )
    .unwrap();
    rig.feed.publish(feed(0..3));
    let child = support::daemon::start(&rig.config, &[TOKEN]);
    until(Duration::from_secs(30), "the first alerts", || {
        rig.tg.accepted().len() == 3
    })
    .await;
    support::daemon::stop(child).await;

    // sled lets go of its lock a moment after the daemon exits.
    tokio::time::sleep(Duration::from_millis(500)).await;
    bloat(&store);
    let bloated = sitrep::store::compact::disk_usage(&store);
    let hold = dir.path().join("hold-compaction");
    std::fs::write(&hold, b"").unwrap();
    let hold_env = hold.to_str().unwrap().to_string();
    let child = support::daemon::start(
        &rig.config,
        &[TOKEN, (sitrep::store::compact::HOLD_ENV, hold_env.as_str())],
    );
    // While it compacts, /healthz says so (503), with how far it is.
    wait_health(
        rig.port,
        "/healthz to say the store is compacting",
        |code, b| code == 503 && b["status"] == "starting" && b["store"] == "compacting",
    )
    .await;
    let (_, body) = health(rig.port).await.unwrap();
    assert!(
        body["compaction"]["records"].as_u64().unwrap() > 0,
        "{body}"
    );
    std::fs::remove_file(&hold).unwrap();
    wait_health(rig.port, "/healthz to say the store is ok", |code, b| {
        code == 200 && b["store"] == "ok"
    })
    .await;
    let (_, body) = health(rig.port).await.unwrap();
    assert_eq!(body["incidents"], 3, "{body}");
    // It runs on: new reports are alerted, the three alerted before are not alerted again.
    rig.feed.publish(feed(0..6));
    until(Duration::from_secs(40), "the new alerts", || {
        rig.tg.accepted().len() >= 6
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for (town, n) in alerts_per_town(&rig.tg, 0..6) {
        assert_eq!(n, 1, "{town}: {n} alerts, want exactly one");
    }
    support::daemon::stop(child).await;
    let compacted = sitrep::store::compact::disk_usage(&store);
    assert!(
        compacted * 2 < bloated,
        "{bloated} -> {compacted} bytes: the start compacted the store"
    );
    // Nor at the next start (`compact_min_mb = 1`).
    let worth =
        sitrep::store::compact::compact_if_over(&store, 8, 1024 * 1024, &Default::default());
    assert_eq!(worth.unwrap(), None);
}
