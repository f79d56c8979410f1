//! Alerts to Discord end to end: the real binary, a local feed server and a fake Discord API
//! reached through serenity. A new incident is posted as one embed with no mention allowed and a
//! nonce that makes retries safe, with the map picture uploaded and shown as the embed's image;
//! the confirmation edits that message and keeps its picture.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sitrep::config::Secret;
use sitrep::extract::Gazetteer;
use sitrep::sink::{Rendered, discord::DiscordSink};
use support::discord::CHANNEL;
use support::multipart;
use support::reports::{BOULKESSI_FR as FIRST, BOULKESSI_TOLL_EN as UPDATE};
use support::server::{self, Reply, Request};

#[tokio::test]
async fn alerts_reach_discord_and_updates_edit_the_same_message() {
    let (api, log) = support::discord::start().await;
    let log_for_feed: Arc<Mutex<Vec<Request>>> = log.clone();
    let (feeds, _) = server::start(Arc::new(move |req: &Request| {
        let posted = log_for_feed
            .lock()
            .unwrap()
            .iter()
            .any(|r| r.method == "POST");
        match req.path.as_str() {
            "/rfi.xml" => Reply::ok("application/rss+xml", FIRST),
            "/wire.xml" if posted => Reply::ok("application/rss+xml", UPDATE),
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
            "[store]\npath = \"{store}\"\n[pipeline]\nmax_article_age = \"100000h\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[source]]\nname = \"rfi\"\nurl = \"{feeds}/rfi.xml\"\ninterval = \"10s\"\n[[source]]\nname = \"wire\"\nurl = \"{feeds}/wire.xml\"\ninterval = \"10s\"\n[discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\napplication_id = 1\napi_url = \"{api}\"\n[[subscription]]\ntarget = \"discord:{CHANNEL}\"\ncountries = [\"ML\"]\n",
            store = dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_DISCORD_TOKEN", "test-discord-token-not-real")],
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !log.lock().unwrap().iter().any(|r| r.method == "PATCH")
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let stderr = support::daemon::stop(child).await;
    assert!(!stderr.contains("test-discord-token-not-real"));

    let reqs = log.lock().unwrap().clone();
    let posts: Vec<&Request> = reqs.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 1, "{reqs:#?}");
    assert_eq!(
        posts[0].path,
        format!("/api/v10/channels/{CHANNEL}/messages")
    );
    assert_eq!(
        posts[0].header("authorization"),
        Some("Bot test-discord-token-not-real")
    );
    let body = multipart::fields(posts[0]);
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(body["enforce_nonce"], true);
    assert!(body["nonce"].as_str().unwrap().starts_with("sitrep-"));
    let embed = &body["embeds"][0];
    assert_eq!(
        embed["title"],
        "🔴 CRITICAL · Base overrun · Boulkessi, Mopti, Mali"
    );
    assert_eq!(embed["color"], 0xD32F2F);
    assert!(
        embed["fields"][1]["value"]
            .as_str()
            .unwrap()
            .contains("openstreetmap.org/?mlat=14.8000&mlon=-1.3200")
    );
    assert_map_attached(posts[0]);

    let patches: Vec<&Request> = reqs.iter().filter(|r| r.method == "PATCH").collect();
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patches[0].path,
        format!(
            "/api/v10/channels/{CHANNEL}/messages/{}",
            support::discord::FIRST_MESSAGE
        )
    );
    let edited = multipart::fields(patches[0]);
    assert!(
        edited["embeds"][0]["fields"][3]["value"]
            .as_str()
            .unwrap()
            .contains("34 (confirmed)"),
        "{edited:#}"
    );
    assert_eq!(edited["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_map_attached(patches[0]);
}

/// The request uploads one valid 640x400 PNG as `files[0]` named map.png, lists it as the only
/// attachment, and the embed shows it.
fn assert_map_attached(req: &Request) {
    assert!(
        req.header("content-type")
            .is_some_and(|t| t.starts_with("multipart/form-data")),
        "{:?}",
        req.headers
    );
    let files = multipart::files(req);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        (files[0].0.as_str(), files[0].1.as_str()),
        ("files[0]", "map.png")
    );
    assert_eq!(multipart::png_size(&files[0].2), Some((640, 400)));
    let body = multipart::fields(req);
    assert_eq!(body["embeds"][0]["image"]["url"], "attachment://map.png");
    assert_eq!(
        body["attachments"],
        serde_json::json!([{"id": 0, "filename": "map.png"}])
    );
}

#[tokio::test]
async fn without_a_map_the_message_is_plain_json_with_no_image() {
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/discord/message.json").unwrap(),
    )
    .unwrap();
    let (api, log) = server::start(Arc::new(move |_: &Request| {
        let mut msg = template.clone();
        msg["channel_id"] = CHANNEL.into();
        msg.as_object_mut().unwrap().remove("reactions");
        Reply::ok("application/json", msg.to_string())
    }))
    .await;
    let store = sitrep::store::Store::temporary().unwrap();
    let mut p = sitrep::pipeline::Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        Duration::from_secs(3650 * 86400),
    );
    for a in
        sitrep::source::read_feed_file(std::path::Path::new("data/demo/rfi.xml"), "rfi").unwrap()
    {
        p.ingest(&a).unwrap();
    }
    let record = store.all_incidents().unwrap().remove(0);
    let sink = DiscordSink::new(&Secret::new("test-token".into()), &api);
    let msg = Rendered::new(&record, Gazetteer::bundled(), false, Default::default());
    assert!(msg.map.is_none());
    let id = sink.send(1234, &msg, None).await.unwrap();
    sink.edit(1234, &id, &msg).await.unwrap();
    let reqs = log.lock().unwrap().clone();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.header("content-type"), Some("application/json"));
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(body["embeds"][0]["image"].is_null(), "{body:#}");
        assert!(body["attachments"].is_null());
    }
}
