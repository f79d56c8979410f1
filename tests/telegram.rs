//! Alerts to Telegram end to end: the real binary, a local feed server and a fake Bot API. A new
//! incident reaches the subscribed chat as its map picture with the HTML card as caption and
//! source buttons; a later report that confirms the toll edits that same message, picture and
//! caption (editMessageMedia); a chat that
//! blocked the bot is disabled after one try.

mod support;

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::multipart;
use support::reports::{BOULKESSI_FR as FIRST, BOULKESSI_TOLL_EN as UPDATE};
use support::server::{self, Reply, Request};

fn method(req: &Request) -> String {
    req.path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn body(req: &Request) -> serde_json::Value {
    multipart::fields(req)
}

fn is_send(req: &Request) -> bool {
    matches!(method(req).as_str(), "sendmessage" | "sendphoto")
}

#[tokio::test]
async fn alerts_reach_telegram_and_updates_edit_the_same_message() {
    // The fake Bot API: chat -100111 accepts, chat -100222 blocked the bot.
    let next_id = Arc::new(AtomicI64::new(100));
    let id = next_id.clone();
    let (tg, tg_log) = server::start(Arc::new(move |req: &Request| {
        let b = body(req);
        let chat = b["chat_id"].as_i64().unwrap_or(0);
        if chat == -100222 {
            return Reply::Full {
                status: 403,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#.to_vec(),
            };
        }
        let message_id = match method(req).as_str() {
            "sendmessage" | "sendphoto" => id.fetch_add(1, Ordering::SeqCst),
            _ => b["message_id"].as_i64().unwrap_or(0),
        };
        let msg = serde_json::json!({
            "ok": true,
            "result": {
                "message_id": message_id,
                "date": 1_750_000_000,
                "chat": {"id": chat, "title": "Sahel watch", "type": "supergroup"},
                "text": b["text"].as_str().or(b["caption"].as_str()),
            }
        });
        Reply::ok("application/json", msg.to_string())
    }))
    .await;

    // The feed: the first report, then, once the chat has its message, the confirmation too.
    let polls = Arc::new(AtomicUsize::new(0));
    let p = polls.clone();
    let log_for_feed: Arc<Mutex<Vec<Request>>> = tg_log.clone();
    let (feeds, _) = server::start(Arc::new(move |req: &Request| {
        p.fetch_add(1, Ordering::SeqCst);
        let delivered = log_for_feed.lock().unwrap().iter().any(is_send);
        match req.path.as_str() {
            "/rfi.xml" => Reply::ok("application/rss+xml", FIRST),
            "/wire.xml" if delivered => Reply::ok("application/rss+xml", UPDATE),
            _ => Reply::ok(
                "application/rss+xml",
                "<rss version=\"2.0\"><channel><title>w</title></channel></rss>",
            ),
        }
    }))
    .await;

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            r#"[store]
path = "{store}"
[pipeline]
max_article_age = "100000h"
[http]
listen = "127.0.0.1:0"
[[source]]
name = "rfi"
url = "{feeds}/rfi.xml"
interval = "10s"
[[source]]
name = "wire"
url = "{feeds}/wire.xml"
interval = "10s"
[telegram]
token_env = "SITREP_TEST_TELEGRAM_TOKEN"
api_url = "{tg}"
[[subscription]]
target = "telegram:-100111"
countries = ["ML"]
min_severity = "high"
[[subscription]]
target = "telegram:-100222"
countries = ["ML"]
"#,
            store = dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_TELEGRAM_TOKEN", "123456:TEST-not-a-real-token")],
    );

    // Wait for the edit (the confirmation arrives on the second poll, ~10 s in).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let edited = tg_log
            .lock()
            .unwrap()
            .iter()
            .any(|r| method(r) == "editmessagemedia");
        if edited || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stderr = support::daemon::stop(child).await;
    assert!(
        !stderr.contains("TEST-not-a-real-token"),
        "the token never appears in logs"
    );

    let reqs = tg_log.lock().unwrap().clone();
    assert!(
        reqs.iter()
            .all(|r| r.path.starts_with("/bot123456:TEST-not-a-real-token/"))
    );
    assert!(
        !reqs.iter().any(|r| method(r) == "sendmessage"),
        "the card fits in a caption: no separate text"
    );
    let photos: Vec<&Request> = reqs.iter().filter(|r| method(r) == "sendphoto").collect();
    for p in &photos {
        assert_eq!(multipart::files(p).len(), 1);
        let (name, png) = multipart::telegram_photo(p).expect("a photo upload");
        assert_eq!(name, "map.png");
        assert_eq!(multipart::png_size(&png), Some((640, 400)));
    }
    let sends: Vec<serde_json::Value> = photos.into_iter().map(body).collect();
    let to_good: Vec<&serde_json::Value> =
        sends.iter().filter(|b| b["chat_id"] == -100111).collect();
    assert_eq!(
        to_good.len(),
        1,
        "one message per incident per chat: {sends:#?}"
    );
    let first = to_good[0];
    assert_eq!(first["parse_mode"], "HTML");
    let text = first["caption"].as_str().unwrap();
    assert!(
        text.contains("Base overrun · Boulkessi, Mopti, Mali"),
        "{text}"
    );
    assert!(
        text.contains("<code>#ML-20250601-boulkessi</code>"),
        "{text}"
    );
    assert_eq!(
        first["reply_markup"]["inline_keyboard"][0][0]["url"],
        "https://www.rfi.example/boulkessi"
    );

    assert!(!reqs.iter().any(|r| method(r) == "editmessagetext"));
    let edits: Vec<serde_json::Value> = reqs
        .iter()
        .filter(|r| method(r) == "editmessagemedia")
        .map(body)
        .collect();
    assert_eq!(edits.len(), 1, "{edits:#?}");
    assert_eq!(edits[0]["chat_id"], -100111);
    assert_eq!(edits[0]["message_id"], 100, "the same message is edited");
    assert_eq!(edits[0]["media"]["type"], "photo");
    assert_eq!(edits[0]["media"]["parse_mode"], "HTML");
    let edited = edits[0]["media"]["caption"].as_str().unwrap();
    assert!(
        edited.contains("Killed: 34 (confirmed)") && edited.contains("CONFIRMED"),
        "{edited}"
    );

    let blocked = sends.iter().filter(|b| b["chat_id"] == -100222).count();
    assert_eq!(
        blocked, 1,
        "a chat that blocked the bot is tried once, then disabled"
    );
    assert!(stderr.contains("target disabled"), "{stderr}");
}
