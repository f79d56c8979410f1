//! The picture of a region end to end on the real binary: `/map` answered with a photo on the fake
//! Telegram API and with an attachment on the fake Discord API (HTTP interactions), `sitrep map
//! --recent` and `sitrep digest`, and a daily digest that is due at start, survives a kill -9
//! before it could be delivered, and arrives once.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ed25519_dalek::{Signer, SigningKey};
use support::multipart;
use support::server::{self, Reply, Request};
use support::telegram::{Behaviour, FakeTelegram};

const CHAT: i64 = -100_444;

/// The seed's Boulkessi report, published three hours ago (so that it falls in the last days).
fn recent_feed() -> String {
    let now = (chrono::Utc::now() - chrono::Duration::hours(3))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let feed = support::reports::BOULKESSI_FR;
    let start = feed.find("<pubDate>").unwrap() + "<pubDate>".len();
    let end = feed.find("</pubDate>").unwrap();
    format!("{}{}{}", &feed[..start], now, &feed[end..])
}

/// A store at `dir/data` holding the Boulkessi incident, first seen two hours ago, through
/// `sitrep replay`.
fn store_with_an_incident(dir: &Path) -> std::path::PathBuf {
    let feed = dir.join("rfi.xml");
    std::fs::write(&feed, recent_feed()).unwrap();
    let data = dir.join("data");
    let seen = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["replay", "--db", data.to_str().unwrap(), "--as-of", &seen])
        .arg(&feed)
        .env("SITREP_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("boulkessi"),
        "the replay stored the incident"
    );
    data
}

fn ok(result: serde_json::Value) -> Reply {
    Reply::ok(
        "application/json",
        serde_json::json!({"ok": true, "result": result}).to_string(),
    )
}

fn update(id: u32, text: &str) -> serde_json::Value {
    serde_json::json!({
        "update_id": id,
        "message": {
            "message_id": 10 + id,
            "from": {"id": 555, "is_bot": false, "first_name": "Aminata"},
            "chat": {"id": CHAT, "title": "Sahel desk", "type": "supergroup"},
            "date": 1_750_000_000,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}]
        }
    })
}

fn method(r: &Request) -> String {
    r.path.rsplit('/').next().unwrap_or("").to_ascii_lowercase()
}

async fn until(within: Duration, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !done() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn map_answers_with_a_photo_on_telegram() {
    let dir = tempfile::tempdir().unwrap();
    let data = store_with_an_incident(dir.path());
    let updates = [update(1, "/map ML 30"), update(2, "/map Niger")];
    let (tg, log) = server::start(Arc::new(move |req: &Request| {
        let body = multipart::fields(req);
        match method(req).as_str() {
            "setmycommands" => ok(serde_json::json!(true)),
            "getupdates" => {
                let offset = body["offset"].as_u64().unwrap_or(0);
                let pending: Vec<_> = updates
                    .iter()
                    .filter(|u| u["update_id"].as_u64().unwrap() >= offset)
                    .cloned()
                    .collect();
                if pending.is_empty() {
                    return Reply::Slow(
                        Duration::from_millis(300),
                        Box::new(ok(serde_json::json!([]))),
                    );
                }
                ok(serde_json::json!(pending))
            }
            "sendphoto" | "sendmessage" => ok(serde_json::json!({
                "message_id": 900, "date": 1_750_000_000,
                "chat": {"id": CHAT, "type": "supergroup", "title": "t"},
                "photo": [{"file_id": "m", "file_unique_id": "m", "width": 800, "height": 560}],
            })),
            _ => Reply::status(404, &[]),
        }
    }))
    .await;
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n[http]\nlisten = \"127.0.0.1:0\"\n[telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{tg}\"\n",
            data.display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(&config, &[("SITREP_TEST_TELEGRAM_TOKEN", "99:map-test")]);
    let photos = |log: &Mutex<Vec<Request>>| {
        log.lock()
            .unwrap()
            .iter()
            .filter(|r| method(r) == "sendphoto")
            .cloned()
            .collect::<Vec<_>>()
    };
    until(Duration::from_secs(30), || photos(&log).len() >= 2).await;
    support::daemon::stop(child).await;

    let sent = photos(&log);
    assert_eq!(sent.len(), 2, "one photo per /map");
    let mali = sent
        .iter()
        .find(|r| multipart::fields(r)["reply_parameters"]["message_id"] == 11)
        .expect("the answer to /map ML 30");
    let (_, png) = multipart::telegram_photo(mali).expect("a PNG upload");
    assert_eq!(multipart::png_size(&png), Some((800, 560)));
    assert!(png.len() < 300_000, "{} bytes", png.len());
    let caption = multipart::fields(mali)["caption"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(caption, "Mali: 1 incident in the last 30 days.");
    let niger = sent
        .iter()
        .find(|r| multipart::fields(r)["reply_parameters"]["message_id"] == 12)
        .expect("the answer to /map Niger");
    assert_eq!(
        multipart::fields(niger)["caption"],
        "Niger: no incident in the last 7 days."
    );
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|r| method(r) == "setmycommands" && r.body.contains("\"command\":\"map\"")),
        "/map is listed"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn map_answers_with_an_attachment_on_discord() {
    let dir = tempfile::tempdir().unwrap();
    let data = store_with_an_incident(dir.path());
    let (api, log) = support::discord::start().await;
    let key = SigningKey::from_bytes(&[9u8; 32]);
    let public = hex::encode(key.verifying_key().to_bytes());
    let port = free_port();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\nmode = \"http\"\npublic_key = \"{public}\"\napplication_id = 4242\napi_url = \"{api}\"\n",
            data.display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_DISCORD_TOKEN", "discord-map-test")],
    );
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    support::daemon::wait_started(port).await;
    let body = serde_json::json!({
        "type": 2, "id": "1", "token": "map-token", "channel_id": "4242", "application_id": "4242",
        "member": {"permissions": "0", "user": {"id": "9", "username": "aminata"}},
        "data": {"name": "map", "options": [{"name": "country", "value": "ML"}, {"name": "days", "value": 30}]},
    })
    .to_string();
    let ts = "1750000000";
    let sig = key.sign(format!("{ts}{body}").as_bytes());
    let first: serde_json::Value = http
        .post(format!("{url}/discord/interactions"))
        .header("X-Signature-Ed25519", hex::encode(sig.to_bytes()))
        .header("X-Signature-Timestamp", ts)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        first,
        serde_json::json!({"type": 5}),
        "Discord is told to wait"
    );
    let edit = |log: &Mutex<Vec<Request>>| {
        log.lock()
            .unwrap()
            .iter()
            .find(|r| r.method == "PATCH" && r.path.ends_with("/map-token/messages/@original"))
            .cloned()
    };
    until(Duration::from_secs(20), || edit(&log).is_some()).await;
    support::daemon::stop(child).await;
    let edit = edit(&log).expect("the answer replaces the deferred response");
    let files = multipart::files(&edit);
    assert_eq!(files.len(), 1, "one attachment");
    assert_eq!(files[0].1, "map.png");
    assert_eq!(multipart::png_size(&files[0].2), Some((800, 560)));
    let fields = multipart::fields(&edit);
    assert_eq!(fields["content"], "Mali: 1 incident in the last 30 days.");
    assert_eq!(fields["attachments"][0]["filename"], "map.png");
    assert_eq!(fields["allowed_mentions"]["parse"], serde_json::json!([]));
}

#[test]
fn map_recent_and_digest_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = store_with_an_incident(dir.path());
    let png = dir.path().join("mali.png");
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args([
            "map",
            "--recent",
            "--country",
            "Mali",
            "--days",
            "30",
            "--db",
        ])
        .arg(&data)
        .arg("-o")
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(multipart::png_size(&bytes), Some((800, 560)));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mali: 1 incident"));

    let bad = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["map", "--recent", "--country", "Atlantis", "--db"])
        .arg(&data)
        .args(["-o", "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("Unknown country or region \"Atlantis\"") && err.lines().count() == 1,
        "{err}"
    );

    let digest = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["digest", "--country", "ML", "--db"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        digest.status.success(),
        "{}",
        String::from_utf8_lossy(&digest.stderr)
    );
    let text = String::from_utf8_lossy(&digest.stdout);
    assert!(
        text.starts_with("📋 Daily digest · last 24 hours to "),
        "{text}"
    );
    assert!(
        text.contains("• Mali: 1") && text.contains("#ML-"),
        "{text}"
    );
    let none = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["digest", "--country", "NE", "--db"])
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&none.stdout);
    assert!(
        text.trim_end().ends_with(": no incident.") && text.lines().count() == 1,
        "{text}"
    );
}

#[tokio::test]
async fn a_digest_due_at_start_survives_a_kill_and_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = store_with_an_incident(dir.path());
    let fake = FakeTelegram::start(Behaviour::default()).await;
    // The chat's sends fail at first (502): the digest waits in the outbox for its retry.
    fake.behaviour.lock().unwrap().failing.insert(CHAT, 1);
    // Due this minute (UTC): a digest whose time has passed today goes at start.
    let now = chrono::Utc::now().format("%H:%M");
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n[http]\nlisten = \"127.0.0.1:0\"\n[telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{}\"\n[[subscription]]\ntarget = \"telegram:{CHAT}\"\ncountries = [\"ML\"]\ndigest = \"{now} UTC\"\n",
            data.display(),
            fake.url
        ),
    )
    .unwrap();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["run", "--config", config.to_str().unwrap()])
            .env("SITREP_TEST_TELEGRAM_TOKEN", "77:digest-test")
            .env("SITREP_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let tries = Arc::new(AtomicUsize::new(0));
    let t = tries.clone();
    let sends = |fake: &FakeTelegram| {
        fake.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| matches!(method(r).as_str(), "sendmessage" | "sendphoto"))
            .count()
    };
    let mut first = start();
    until(Duration::from_secs(20), || {
        t.store(sends(&fake), Ordering::SeqCst);
        sends(&fake) >= 1
    })
    .await;
    first.kill().unwrap(); // SIGKILL: the digest is in the outbox, not yet delivered
    first.wait().unwrap();
    assert_eq!(tries.load(Ordering::SeqCst), 1, "the first try failed");
    assert!(fake.accepted().is_empty());

    let mut second = start();
    until(Duration::from_secs(30), || !fake.accepted().is_empty()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(second.wait().unwrap().code(), Some(0));
    let accepted = fake.accepted();
    let digests: Vec<_> = accepted
        .iter()
        .filter(|(_, _, text)| text.contains("Daily digest"))
        .collect();
    assert_eq!(digests.len(), 1, "once: {accepted:#?}");
    assert!(digests[0].2.contains("Mali: 1"), "{}", digests[0].2);
    assert_eq!(fake.photos().len(), 1, "with its map");
}
