//! Channels in English and in French (issue 18). End to end: a French and an English channel on
//! each platform, subscribed to the same region, get the same incident each in its own language,
//! and both messages are edited in that language when the toll is confirmed. In the delivery
//! worker: a message keeps the language it was sent in when edited after `/lang` changed, and a
//! fan-out renders each incident version once per language, however many channels get it.

mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sitrep::command::{Command, Context, execute};
use sitrep::config::Secret;
use sitrep::deliver::{Deliverer, pace};
use sitrep::extract::Gazetteer;
use sitrep::i18n::Lang;
use sitrep::model::{Subscription, Target};
use sitrep::route::{self, Sent};
use sitrep::sink::{Sinks, telegram::TelegramSink};
use sitrep::store::Store;
use support::discord::CHANNEL;
use support::multipart;
use support::reports::{BOULKESSI_FR as FIRST, BOULKESSI_TOLL_EN as UPDATE};
use support::server::{self, Reply, Request};
use support::telegram::{Behaviour, FakeTelegram};

/// The English Discord channel beside the fake's French one.
const OTHER: &str = "290926798999357999";

fn method(req: &Request) -> String {
    req.path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A fake Bot API that accepts everything, numbering messages from 100.
async fn fake_telegram() -> (String, Arc<Mutex<Vec<Request>>>) {
    let next_id = Arc::new(AtomicI64::new(100));
    server::start(Arc::new(move |req: &Request| {
        let b = multipart::fields(req);
        let chat = b["chat_id"].as_i64().unwrap_or(0);
        let message_id = match method(req).as_str() {
            "sendmessage" | "sendphoto" => next_id.fetch_add(1, Ordering::SeqCst),
            _ => b["message_id"].as_i64().unwrap_or(0),
        };
        let msg = serde_json::json!({"ok": true, "result": {
            "message_id": message_id, "date": 1_750_000_000,
            "chat": {"id": chat, "title": "Sahel", "type": "supergroup"},
            "text": b["text"].as_str().or(b["caption"].as_str()),
        }});
        Reply::ok("application/json", msg.to_string())
    }))
    .await
}

#[tokio::test]
async fn french_and_english_channels_get_the_same_incident_each_in_its_language() {
    let (tg, tg_log) = fake_telegram().await;
    let (dc, dc_log) = support::discord::start().await;
    let (tg_feed, dc_feed) = (tg_log.clone(), dc_log.clone());
    let (feeds, _) = server::start(Arc::new(move |req: &Request| {
        // The confirmation comes once all four channels have their message.
        let sent_tg = tg_feed
            .lock()
            .unwrap()
            .iter()
            .filter(|r| method(r) == "sendphoto" || method(r) == "sendmessage")
            .count();
        let sent_dc = dc_feed
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == "POST")
            .count();
        match req.path.as_str() {
            "/rfi.xml" => Reply::ok("application/rss+xml", FIRST),
            "/wire.xml" if sent_tg >= 2 && sent_dc >= 2 => Reply::ok("application/rss+xml", UPDATE),
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
[discord]
token_env = "SITREP_TEST_DISCORD_TOKEN"
application_id = 1
api_url = "{dc}"
[[subscription]]
target = "telegram:-100111"
countries = ["ML"]
lang = "fr"
[[subscription]]
target = "telegram:-100333"
countries = ["ML"]
[[subscription]]
target = "discord:{CHANNEL}"
countries = ["ML"]
lang = "fr"
[[subscription]]
target = "discord:{OTHER}"
countries = ["ML"]
lang = "en"
"#,
            store = dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[
            ("SITREP_TEST_TELEGRAM_TOKEN", "123456:TEST-not-a-real-token"),
            ("SITREP_TEST_DISCORD_TOKEN", "test-discord-token-not-real"),
        ],
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let tg_edits = tg_log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| method(r).starts_with("editmessage"))
            .count();
        let dc_edits = dc_log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == "PATCH")
            .count();
        if (tg_edits >= 2 && dc_edits >= 2) || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    support::daemon::stop(child).await;

    // Telegram: one captioned photo per chat, each edited in its own language.
    let reqs = tg_log.lock().unwrap().clone();
    let caption_to = |chat: i64, edit: bool| -> String {
        let found: Vec<serde_json::Value> = reqs
            .iter()
            .filter(|r| (method(r) == "editmessagemedia") == edit && method(r) != "getme")
            .map(multipart::fields)
            .filter(|b| b["chat_id"] == chat)
            .collect();
        assert_eq!(found.len(), 1, "one {edit} for {chat}: {found:#?}");
        let b = &found[0];
        b["caption"]
            .as_str()
            .or(b["media"]["caption"].as_str())
            .or(b["text"].as_str())
            .unwrap()
            .to_string()
    };
    let fr = caption_to(-100111, false);
    assert!(
        fr.contains("<b>CRITIQUE</b> · Camp militaire pris · Boulkessi, Mopti, Mali"),
        "{fr}"
    );
    assert!(fr.contains("dim. 1 juin 2025"), "{fr}");
    assert!(fr.contains("Vérification : "), "{fr}");
    let en = caption_to(-100333, false);
    assert!(
        en.contains("<b>CRITICAL</b> · Base overrun · Boulkessi, Mopti, Mali"),
        "{en}"
    );
    let fr = caption_to(-100111, true);
    assert!(
        fr.contains("Tués : 34 (confirmé)") && fr.contains("CONFIRMÉ"),
        "{fr}"
    );
    let en = caption_to(-100333, true);
    assert!(
        en.contains("Killed: 34 (confirmed)") && en.contains("CONFIRMED"),
        "{en}"
    );

    // Discord: one embed per channel, each edited in its own language.
    let reqs = dc_log.lock().unwrap().clone();
    let embed_to = |channel: &str, verb: &str| -> serde_json::Value {
        let found: Vec<&Request> = reqs
            .iter()
            .filter(|r| r.method == verb && r.path.contains(&format!("/channels/{channel}/")))
            .collect();
        assert_eq!(found.len(), 1, "one {verb} to {channel}");
        multipart::fields(found[0])["embeds"][0].clone()
    };
    let fr = embed_to(CHANNEL, "POST");
    assert_eq!(
        fr["title"],
        "🔴 CRITIQUE · Camp militaire pris · Boulkessi, Mopti, Mali"
    );
    assert_eq!(fr["fields"][0]["name"], "Quand");
    assert_eq!(fr["fields"][0]["value"], "dim. 1 juin 2025");
    let en = embed_to(OTHER, "POST");
    assert_eq!(
        en["title"],
        "🔴 CRITICAL · Base overrun · Boulkessi, Mopti, Mali"
    );
    assert_eq!(en["fields"][0]["value"], "Sun 1 Jun 2025");
    let fr = embed_to(CHANNEL, "PATCH");
    assert_eq!(fr["fields"][3]["name"], "Tués");
    assert_eq!(fr["fields"][3]["value"], "34 (confirmé)");
    let en = embed_to(OTHER, "PATCH");
    assert_eq!(en["fields"][3]["value"], "34 (confirmed)");
}

/// A store holding the demo feeds' incidents; returns it with the ids of those in Mali.
fn store_with_incidents() -> (Store, Vec<String>) {
    let store = Store::temporary().unwrap();
    let mut p = sitrep::pipeline::Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        Duration::from_secs(3650 * 86400),
    );
    for f in ["wire", "rfi", "local"] {
        for a in
            sitrep::source::read_feed_file(std::path::Path::new(&format!("data/demo/{f}.xml")), f)
                .unwrap()
        {
            p.ingest(&a).unwrap();
        }
    }
    let ids = store
        .all_incidents()
        .unwrap()
        .into_iter()
        .filter(|r| r.incident.country == "ML")
        .map(|r| r.incident.id)
        .collect();
    (store, ids)
}

fn subscription(target: &str) -> Subscription {
    serde_json::from_value(serde_json::json!({
        "id": format!("s-{target}"), "target": target, "countries": ["ML"], "min_severity": "low"
    }))
    .unwrap()
}

/// Routes an incident to the store's subscriptions as the daemon does and queues the deliveries.
fn route_and_queue(store: &Store, incident_id: &str) {
    let record = store.incident(incident_id).unwrap().unwrap();
    let subs = store.subscriptions().unwrap();
    let sent = |t: &Target| store.sent(t, incident_id).unwrap();
    let mut deliveries = route::route(
        &record.incident,
        &[],
        &subs,
        &[],
        &sent,
        Utc::now(),
        Gazetteer::bundled(),
    );
    route::set_languages(&mut deliveries, &|t| store.channel_lang(t, &[]).unwrap());
    store.enqueue(&deliveries, Utc::now()).unwrap();
}

fn deliverer(store: &Store, fake: &FakeTelegram) -> Deliverer {
    let sink = TelegramSink::new(&Secret::new("42:fake".into()), &fake.url).unwrap();
    let eager = pace::Limits {
        telegram_chat: Duration::ZERO,
        telegram_group: Duration::ZERO,
        ..Default::default()
    };
    Deliverer::new(
        store.clone(),
        Sinks {
            telegram: Some(sink),
            discord: None,
        },
        Gazetteer::bundled(),
        pace::Pacer::new(eager),
    )
}

async fn drain(d: &mut Deliverer, store: &Store) {
    let (_tx, mut rx) = tokio::sync::watch::channel(false);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while store.outbox_len() > 0 && tokio::time::Instant::now() < deadline {
        let next = d.drain(&mut rx).await.unwrap();
        tokio::time::sleep(
            next.unwrap_or(Duration::from_millis(10))
                .min(Duration::from_millis(100)),
        )
        .await;
    }
}

fn lang_command(store: &Store, target: &str, lang: Lang, admin: bool) -> String {
    let ctx = Context {
        target: target.parse().unwrap(),
        is_admin: admin,
        now: Utc::now(),
        hint: None,
    };
    execute(
        &Command::Lang { lang: Some(lang) },
        &ctx,
        store,
        &[],
        Gazetteer::bundled(),
    )
    .unwrap()
    .text
}

#[tokio::test]
async fn a_sent_alert_keeps_its_language_when_edited_after_lang_changed() {
    let (store, ids) = store_with_incidents();
    let target: Target = "telegram:-100500".parse().unwrap();
    store
        .set_subscriptions(&target, &[subscription("telegram:-100500")])
        .unwrap();
    assert!(lang_command(&store, "telegram:-100500", Lang::Fr, true).contains("français"));
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let mut d = deliverer(&store, &fake);
    let first = &ids[0];
    route_and_queue(&store, first);
    drain(&mut d, &store).await;
    let sent: Sent = store.sent(&target, first).unwrap().unwrap();
    assert_eq!(sent.lang, Lang::Fr);
    assert!(fake.accepted()[0].2.contains("Vérification : "));

    // The channel switches to English: its French message stays French when edited...
    assert!(lang_command(&store, "telegram:-100500", Lang::En, true).contains("English"));
    let mut record = store.incident(first).unwrap().unwrap();
    record.incident.updated = Utc::now();
    store.put_incident(&record).unwrap();
    route_and_queue(&store, first);
    drain(&mut d, &store).await;
    assert_eq!(
        fake.methods()
            .iter()
            .filter(|m| m.starts_with("edit"))
            .count(),
        1
    );
    let edited = fake.requests.lock().unwrap().last().cloned().unwrap();
    assert!(
        multipart::fields(&edited)
            .to_string()
            .contains("Vérification : "),
        "{:?}",
        multipart::fields(&edited)
    );
    // ...and what comes next is English.
    route_and_queue(&store, &ids[1]);
    drain(&mut d, &store).await;
    let last = fake.accepted().last().cloned().unwrap();
    assert!(last.2.contains("Verification: "), "{}", last.2);
}

#[tokio::test]
async fn a_fan_out_renders_each_incident_version_once_per_language() {
    let (store, ids) = store_with_incidents();
    for chat in 1..=6 {
        let t = format!("telegram:-100{chat}");
        store
            .set_subscriptions(&t.parse().unwrap(), &[subscription(&t)])
            .unwrap();
        if chat % 2 == 0 {
            lang_command(&store, &t, Lang::Fr, true);
        }
    }
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let mut d = deliverer(&store, &fake);
    route_and_queue(&store, &ids[0]);
    drain(&mut d, &store).await;
    assert_eq!(fake.accepted().len(), 6, "every chat gets the alert");
    assert_eq!(d.counts.rendered, 2, "once in English, once in French");
    let french = fake
        .accepted()
        .iter()
        .filter(|(_, _, text)| text.contains("Vérification : "))
        .count();
    assert_eq!(french, 3);
}

#[test]
fn lang_is_refused_to_a_non_admin_and_shown_to_anyone() {
    let store = Store::temporary().unwrap();
    let refused = lang_command(&store, "discord:7", Lang::Fr, false);
    assert!(refused.contains("Only an administrator"), "{refused}");
    let t: Target = "discord:7".parse().unwrap();
    assert_eq!(store.channel_lang(&t, &[]).unwrap(), Lang::En);
    let ctx = Context {
        target: t,
        is_admin: false,
        now: Utc::now(),
        hint: Some(Lang::Fr),
    };
    let shown = execute(
        &Command::Lang { lang: None },
        &ctx,
        &store,
        &[],
        Gazetteer::bundled(),
    )
    .unwrap();
    assert!(
        shown.text.contains("Ce canal lit sitrep en français"),
        "the asker's locale answers while the channel has no language: {}",
        shown.text
    );
}
