//! The daemon as an operator runs it, end to end with the real binary: a local feed server, the
//! fake Telegram and Discord APIs. A new feed item reaches both platforms within two seconds of
//! the poll that sees it; a follow-up report edits both messages; `/healthz` and `/metrics` answer
//! with the expected series; SIGHUP adds a source without a restart; SIGTERM in the middle of a
//! fan-out exits 0 and the rest is delivered after the restart, each chat exactly once; `/healthz`
//! answers 503 when every source is failing.

mod support;

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::discord::CHANNEL;
use support::reports::{BOULKESSI_FR as FIRST, BOULKESSI_TOLL_EN as UPDATE};
use support::server::{self, Reply, Request};
use support::telegram::{Behaviour, FakeTelegram};

const EMPTY: &str =
    r#"<?xml version="1.0"?><rss version="2.0"><channel><title>empty</title></channel></rss>"#;

const NIGER: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local</title>
<item><title>Niger: gunmen kill 11 villagers near Tera</title><link>https://local.example/tera</link><guid>local-1</guid>
<pubDate>Wed, 04 Jun 2025 09:00:00 GMT</pubDate><description>Gunmen on motorbikes killed 11 villagers in an attack on the village of Gorouol near Téra in Niger's Tillabéri region on Tuesday, local officials said.</description></item>
</channel></rss>"#;

const CHAT: i64 = -1001234567890;

/// A feed server whose documents the test changes, recording when each path was polled.
struct Feeds {
    url: String,
    docs: Arc<Mutex<HashMap<String, &'static str>>>,
    polls: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Feeds {
    async fn start() -> Feeds {
        let docs: Arc<Mutex<HashMap<String, &'static str>>> = Arc::default();
        let polls: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
        let (d, p) = (docs.clone(), polls.clone());
        let (url, _) = server::start(Arc::new(move |req: &Request| {
            p.lock().unwrap().push((req.path.clone(), Instant::now()));
            let doc = d.lock().unwrap().get(&req.path).copied().unwrap_or(EMPTY);
            Reply::ok("application/rss+xml", doc)
        }))
        .await;
        Feeds { url, docs, polls }
    }

    fn publish(&self, path: &str, doc: &'static str) -> Instant {
        self.docs.lock().unwrap().insert(path.into(), doc);
        Instant::now()
    }

    /// The first poll of `path` at or after `t`.
    fn first_poll_after(&self, path: &str, t: Instant) -> Option<Instant> {
        self.polls
            .lock()
            .unwrap()
            .iter()
            .find(|(p, at)| p == path && *at >= t)
            .map(|(_, at)| *at)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `done` holds (checked every 20 ms) and returns when it first did.
async fn until(within: Duration, what: &str, done: impl Fn() -> bool) -> Instant {
    let deadline = Instant::now() + within;
    loop {
        if done() {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn config_text(
    dir: &std::path::Path,
    feeds: &str,
    port: u16,
    tg: &str,
    dc: &str,
    sources: &[&str],
) -> String {
    let mut t = format!(
        "[store]\npath = \"{}\"\n[pipeline]\nmax_article_age = \"100000h\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         [telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{tg}\"\n\
         [discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\napi_url = \"{dc}\"\n\
         [[subscription]]\ntarget = \"telegram:{CHAT}\"\ncountries = [\"ML\", \"NE\"]\n\
         [[subscription]]\ntarget = \"discord:{CHANNEL}\"\ncountries = [\"ML\", \"NE\"]\n",
        dir.join("data").display()
    );
    for name in sources {
        t.push_str(&format!(
            "[[source]]\nname = \"{name}\"\nurl = \"{feeds}/{name}.xml\"\ninterval = \"10s\"\n"
        ));
    }
    t
}

#[tokio::test]
async fn the_daemon_alerts_both_platforms_edits_them_reports_health_and_reloads() {
    let feeds = Feeds::start().await;
    let tg = FakeTelegram::start(Behaviour::default()).await;
    let (dc, dc_log) = support::discord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("sitrep.toml");
    let write = |sources: &[&str]| {
        std::fs::write(
            &config,
            config_text(dir.path(), &feeds.url, port, &tg.url, &dc, sources),
        )
        .unwrap()
    };
    write(&["rfi", "wire"]);
    let started = Instant::now();
    let child = support::daemon::start(
        &config,
        &[
            ("SITREP_TEST_TELEGRAM_TOKEN", "1:operate-test"),
            ("SITREP_TEST_DISCORD_TOKEN", "operate-discord-test"),
        ],
    );
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    // Started: the sources are polled (empty feeds) and the server answers.
    until(Duration::from_secs(20), "the first polls", || {
        feeds.first_poll_after("/wire.xml", started).is_some()
    })
    .await;

    // A new item reaches both platforms within two seconds of the poll that sees it.
    let published = feeds.publish("/rfi.xml", FIRST);
    let posted = |method: &str| {
        dc_log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == method)
            .count()
    };
    let both = until(
        Duration::from_secs(25),
        "the alert on both platforms",
        || !tg.accepted().is_empty() && posted("POST") == 1,
    )
    .await;
    let polled = feeds.first_poll_after("/rfi.xml", published).unwrap();
    let latency = both - polled;
    assert!(
        latency < Duration::from_secs(2),
        "alerts accepted {latency:?} after the poll that saw the item"
    );
    let sent = tg.accepted();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, CHAT);
    assert!(sent[0].2.contains("Boulkessi"), "{}", sent[0].2);

    // The follow-up report edits both messages.
    feeds.publish("/wire.xml", UPDATE);
    let edited_on_telegram = || {
        tg.requests.lock().unwrap().iter().any(|r| {
            // An alert with a map is a photo: its edit replaces picture and caption.
            let path = r.path.to_ascii_lowercase();
            let edit = path.ends_with("/editmessagetext") || path.ends_with("/editmessagemedia");
            edit && r.body.contains("34 (confirmed)")
        })
    };
    until(Duration::from_secs(25), "both edits", || {
        edited_on_telegram() && posted("PATCH") == 1
    })
    .await;
    let patch = dc_log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.method == "PATCH")
        .cloned()
        .unwrap();
    assert!(
        patch
            .path
            .ends_with(&format!("/messages/{}", support::discord::FIRST_MESSAGE)),
        "{}",
        patch.path
    );
    assert!(patch.body.contains("34 (confirmed)"));
    assert_eq!(
        tg.accepted().len(),
        1,
        "an update is an edit, not a new message"
    );

    // Health: every source and both platforms fine.
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let health: serde_json::Value = health.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health:#}");
    let platforms: Vec<&str> = health["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["ok"] == true && p["last_success"].is_string())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["telegram", "discord"], "{health:#}");
    assert_eq!(health["sources"].as_array().unwrap().len(), 2);

    // Metrics: the series an operator graphs.
    let metrics = http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
            .parse()
            .unwrap()
    };
    assert!(value("sitrep_items_fetched_total{source=\"rfi\"}") >= 1.0);
    assert!(value("sitrep_items_fetched_total{source=\"wire\"}") >= 1.0);
    assert_eq!(value("sitrep_incidents_new_total"), 1.0);
    assert!(value("sitrep_incidents_updated_total") >= 1.0);
    assert_eq!(
        value("sitrep_alerts_sent_total{platform=\"telegram\"}"),
        1.0
    );
    assert_eq!(value("sitrep_alerts_sent_total{platform=\"discord\"}"), 1.0);
    assert_eq!(
        value("sitrep_alerts_edited_total{platform=\"telegram\"}"),
        1.0
    );
    assert_eq!(
        value("sitrep_alerts_edited_total{platform=\"discord\"}"),
        1.0
    );
    assert_eq!(value("sitrep_alert_latency_seconds_count"), 4.0);
    assert!(value("sitrep_alert_latency_seconds_sum") < 8.0);
    assert_eq!(value("sitrep_outbox_depth"), 0.0);
    assert!(value("sitrep_poll_duration_seconds_count") >= 4.0);
    for series in [
        "sitrep_duplicates_dropped_total",
        "# TYPE sitrep_rate_limited counter",
        "# TYPE sitrep_alerts_failed counter",
        "# TYPE sitrep_source_failures counter",
        "# TYPE sitrep_parse_errors counter",
    ] {
        assert!(text.contains(series), "{series} missing from\n{text}");
    }

    // SIGHUP: a source added to the config is polled and alerts, without a restart.
    feeds.publish("/local.xml", NIGER);
    write(&["rfi", "wire", "local"]);
    Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    until(Duration::from_secs(15), "the new source's alert", || {
        tg.accepted()
            .iter()
            .any(|(_, _, t)| t.contains("Tera") || t.contains("Téra"))
            && posted("POST") == 2
    })
    .await;
    let hup = || {
        Command::new("kill")
            .args(["-HUP", &child.id().to_string()])
            .status()
            .unwrap()
    };
    let health_sources = || async {
        let health: serde_json::Value = http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut names: Vec<String> = health["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(health_sources().await, ["local", "rfi", "wire"]);
    // A source removed from the config stops and leaves /healthz.
    write(&["rfi", "wire"]);
    hup();
    let deadline = Instant::now() + Duration::from_secs(10);
    while health_sources().await.len() != 2 {
        assert!(
            Instant::now() < deadline,
            "the removed source is still reported"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(health_sources().await, ["rfi", "wire"]);
    // A config that does not load is refused and the running one kept.
    std::fs::write(&config, "[[source]]\nname = 3\n").unwrap();
    hup();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(health_sources().await, ["rfi", "wire"]);

    let stderr = support::daemon::stop(child).await;
    assert!(stderr.contains("config not reloaded"), "{stderr}");
    assert!(!stderr.contains("operate-discord-test") && !stderr.contains("1:operate-test"));
}

#[tokio::test]
async fn sigterm_during_a_fan_out_exits_0_and_the_rest_goes_out_after_restart() {
    const CHATS: i64 = 60;
    let tg = FakeTelegram::start(Behaviour::default()).await;
    let feeds = Feeds::start().await;
    feeds.publish("/rfi.xml", FIRST);
    let dir = tempfile::tempdir().unwrap();
    let mut toml = format!(
        "[store]\npath = \"{}\"\n[pipeline]\nmax_article_age = \"100000h\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[source]]\nname = \"rfi\"\nurl = \"{}/rfi.xml\"\ninterval = \"10m\"\n[telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{}\"\nmax_per_second = 20\n",
        dir.path().join("data").display(),
        feeds.url,
        tg.url
    );
    for n in 1..=CHATS {
        toml.push_str(&format!(
            "[[subscription]]\ntarget = \"telegram:-100{n:07}\"\ncountries = [\"ML\"]\n"
        ));
    }
    let config = dir.path().join("sitrep.toml");
    std::fs::write(&config, toml).unwrap();
    let env = [("SITREP_TEST_TELEGRAM_TOKEN", "1:fanout-test")];

    let first = support::daemon::start(&config, &env);
    until(Duration::from_secs(20), "the fan-out to start", || {
        tg.accepted().len() >= 10
    })
    .await;
    support::daemon::stop(first).await; // asserts exit 0
    let before = tg.accepted().len();
    assert!(before < CHATS as usize, "stopped mid-way: {before}");

    let second = support::daemon::start(&config, &env);
    until(
        Duration::from_secs(30),
        "the rest after the restart",
        || tg.accepted().len() >= CHATS as usize,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    support::daemon::stop(second).await;
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for (chat, _, _) in tg.accepted() {
        *per_chat.entry(chat).or_default() += 1;
    }
    assert_eq!(per_chat.len(), CHATS as usize, "every chat got the alert");
    assert!(
        per_chat.values().all(|n| *n == 1),
        "a graceful stop sends nothing twice: {per_chat:?}"
    );
}

/// Starts the daemon with only these sources (name, URL), its store in `dir`; the port it
/// serves `/healthz` on.
fn start_with_sources(
    dir: &std::path::Path,
    sources: &[(&str, &str)],
) -> (std::process::Child, u16) {
    let port = free_port();
    let mut text = format!(
        "[store]\npath = \"{}\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n",
        dir.join("data").display()
    );
    for (name, url) in sources {
        text.push_str(&format!("[[source]]\nname = \"{name}\"\nurl = \"{url}\"\n"));
    }
    let config = dir.join("sitrep.toml");
    std::fs::write(&config, text).unwrap();
    (support::daemon::start(&config, &[]), port)
}

/// Polls `/healthz` until `done` holds for its status and body (within 20 s).
async fn health_when(
    port: u16,
    what: &str,
    done: impl Fn(u16, &serde_json::Value) -> bool,
) -> (u16, serde_json::Value) {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = http
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            let code = r.status().as_u16();
            if let Ok(body) = r.json::<serde_json::Value>().await
                && done(code, &body)
            {
                return (code, body);
            }
        }
        assert!(Instant::now() < deadline, "/healthz never {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn healthz_lists_a_source_whose_first_poll_has_not_ended_as_pending() {
    let (broken, _) = server::start(Arc::new(|_req: &Request| Reply::status(500, &[]))).await;
    // A feed server that takes the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}/feed.xml", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in silent.incoming().flatten() {
            held.push(conn);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let broken_url = format!("{broken}/a.xml");
    let (child, port) = start_with_sources(
        dir.path(),
        &[("broken", &broken_url), ("silent", &silent_url)],
    );
    // Once the broken source has failed, the silent one is still waiting for its first answer.
    let (code, health) = health_when(port, "reported the broken source failing", |_, body| {
        body["sources"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["name"] == "broken" && s["ok"] == false))
    })
    .await;
    let sources = health["sources"].as_array().unwrap();
    let silent = sources
        .iter()
        .find(|s| s["name"] == "silent")
        .unwrap_or_else(|| panic!("the silent source is not listed: {health:#}"));
    assert_eq!(silent["pending"], true, "{health:#}");
    assert!(silent["ok"].is_null(), "{health:#}");
    // One source failing and one not yet heard from: not every source is down.
    assert_eq!(code, 200, "{health:#}");
    assert_eq!(health["status"], "ok", "{health:#}");
    support::daemon::stop(child).await;
}

#[tokio::test]
async fn healthz_answers_503_when_every_source_is_down() {
    let (broken, _) = server::start(Arc::new(|_req: &Request| Reply::status(500, &[]))).await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (format!("{broken}/a.xml"), format!("{broken}/b.xml"));
    let (child, port) = start_with_sources(dir.path(), &[("a", &a), ("b", &b)]);
    // A 503 while the daemon starts says "starting", not that the sources are down; and while
    // one source is still pending (the second may lag the first on a busy box) not every source
    // is down.
    let (_, health) = health_when(port, "reported the sources down", |code, body| {
        code == 503
            && body["status"] != "starting"
            && body["sources"].as_array().is_some_and(|s| s.len() == 2)
    })
    .await;
    assert_eq!(health["status"], "down");
    let sources = health["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert!(
        sources
            .iter()
            .all(|s| s["ok"] == false && s["last_error"].as_str().unwrap().contains("500")),
        "{health:#}"
    );
    // The daemon itself goes on, and stops cleanly.
    support::daemon::stop(child).await;
}
