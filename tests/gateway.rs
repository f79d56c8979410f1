//! Discord's gateway way in (`mode = "gateway"`, the default), end to end: the real binary
//! connects to a fake gateway (websocket) found through a fake Discord API, identifies, and
//! answers a `/recent` interaction delivered over the websocket with the stored incidents,
//! through the interaction callback endpoint.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use support::server::{self, Reply, Request};
use tokio_tungstenite::tungstenite::Message;

/// Discord's documented slash-command interaction, as the gateway delivers it, made a `/recent ML`.
fn recent_interaction() -> Value {
    let mut raw: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/discord/interaction.json").unwrap(),
    )
    .unwrap();
    raw["member"]["flags"] = 0.into();
    raw["application_id"] = "4242".into();
    raw["version"] = 1.into();
    raw["entitlements"] = json!([]);
    raw["authorizing_integration_owners"] = json!({});
    raw["attachment_size_limit"] = 10_485_760.into();
    raw["data"]["name"] = "recent".into();
    raw["data"]["options"] = json!([{"type": 3, "name": "country", "value": "ML"}]);
    raw
}

/// A one-connection fake gateway: HELLO, waits for IDENTIFY, READY, then the interaction once
/// `go` is set; answers heartbeats. Returns its URL and the frames the client sent.
async fn fake_gateway(go: Arc<Mutex<bool>>) -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let frames: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (seen, resume_url) = (frames.clone(), url.clone());
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        let send = |v: Value| Message::Text(v.to_string());
        ws.send(send(json!({"op": 10, "d": {"heartbeat_interval": 45000}})))
            .await
            .unwrap();
        let mut seq = 0;
        let mut ready = false;
        let mut interaction_sent = false;
        loop {
            let next = tokio::time::timeout(Duration::from_millis(50), ws.next()).await;
            match next {
                Ok(Some(Ok(Message::Text(t)))) => {
                    let v: Value = serde_json::from_str(&t).unwrap_or_default();
                    seen.lock().unwrap().push(v.clone());
                    match v["op"].as_u64() {
                        Some(1) => ws.send(send(json!({"op": 11}))).await.unwrap(),
                        Some(2) if !ready => {
                            seq += 1;
                            let r = json!({"op": 0, "s": seq, "t": "READY", "d": {
                                "v": 10,
                                "user": {"id": "1111", "username": "sitrep", "discriminator": "0", "avatar": null, "bot": true},
                                "guilds": [],
                                "session_id": "fake-session",
                                "resume_gateway_url": resume_url,
                                "shard": [0, 1],
                                "application": {"id": "4242", "flags": 0},
                            }});
                            ws.send(send(r)).await.unwrap();
                            ready = true;
                        }
                        _ => {}
                    }
                }
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => break,
                Ok(Some(Ok(_))) => {}
                Err(_) => {}
            }
            if ready && !interaction_sent && *go.lock().unwrap() {
                seq += 1;
                let i = json!({"op": 0, "s": seq, "t": "INTERACTION_CREATE", "d": recent_interaction()});
                ws.send(send(i)).await.unwrap();
                interaction_sent = true;
            }
        }
    });
    (url, frames)
}

async fn until(within: Duration, what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn gateway_interactions_are_answered_with_the_stored_incidents() {
    let go = Arc::new(Mutex::new(false));
    let (gateway, frames) = fake_gateway(go.clone()).await;
    let ws = gateway.clone();
    let (api, api_log) = server::start(Arc::new(move |req: &Request| {
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/api/v10/gateway") => Reply::ok("application/json", json!({"url": ws}).to_string()),
            ("GET", "/api/v10/gateway/bot") => Reply::ok(
                "application/json",
                json!({"url": ws, "shards": 1, "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}).to_string(),
            ),
            ("POST", p) if p.ends_with("/callback") => Reply::status(204, &[]),
            _ => Reply::ok("application/json", "[]"),
        }
    }))
    .await;
    // Published now, so that the incident is among the last 7 days `/recent` shows.
    let feed = support::reports::BOULKESSI_FR.replace(
        "Mon, 02 Jun 2025 18:30:00 GMT",
        &chrono::Utc::now().to_rfc2822(),
    );
    let (feeds, feed_log) = server::start(Arc::new(move |_req: &Request| {
        Reply::ok("application/rss+xml", feed.clone())
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n[pipeline]\nmax_article_age = \"100000h\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[source]]\nname = \"rfi\"\nurl = \"{feeds}/rfi.xml\"\ninterval = \"10m\"\n[discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\napi_url = \"{api}\"\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_DISCORD_TOKEN", "gateway-test-token")],
    );
    until(Duration::from_secs(20), "IDENTIFY on the gateway", || {
        frames.lock().unwrap().iter().any(|f| f["op"] == 2)
    })
    .await;
    until(Duration::from_secs(20), "the feed polled", || {
        !feed_log.lock().unwrap().is_empty()
    })
    .await;
    // The poll's item is stored within moments (longer on a loaded machine); then the
    // subscriber asks.
    tokio::time::sleep(Duration::from_secs(2)).await;
    *go.lock().unwrap() = true;
    let callback = || {
        api_log
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.method == "POST" && r.path.ends_with("/callback"))
            .cloned()
    };
    until(Duration::from_secs(20), "the interaction answer", || {
        callback().is_some()
    })
    .await;
    let stderr = support::daemon::stop(child).await;
    assert!(!stderr.contains("gateway-test-token"));

    let identify = frames
        .lock()
        .unwrap()
        .iter()
        .find(|f| f["op"] == 2)
        .cloned()
        .unwrap();
    assert_eq!(identify["d"]["token"], "Bot gateway-test-token");
    let answer = callback().unwrap();
    assert_eq!(
        answer.path,
        "/api/v10/interactions/786008729715212338/A_UNIQUE_TOKEN/callback"
    );
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["type"], 4, "{body:#}");
    let content = body["data"]["content"].as_str().unwrap();
    assert!(content.contains("Boulkessi"), "{content}");
    assert!(content.contains("#ML-"), "{content}");
    assert_eq!(body["data"]["allowed_mentions"]["parse"], json!([]));
}
