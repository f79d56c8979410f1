//! The delivery worker against a fake Telegram: rate limits answered with 429 are waited out,
//! server errors retried with backoff, a migrated group followed, a deleted message replaced by a
//! new one, and nothing is lost. With maps on, alerts are photos captioned with the card (drawn
//! once for every chat), edited with editMessageMedia (picture and caption); a card too long for a caption goes as
//! text followed by the photo; with maps off, no picture.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use sitrep::config::Secret;
use sitrep::deliver::format;
use sitrep::deliver::{Deliverer, pace};
use sitrep::extract::Gazetteer;
use sitrep::model::{Subscription, Target};
use sitrep::route::{Action, Delivery, MessageForm, Sent};
use sitrep::sink::{Rendered, Sinks, telegram::TelegramSink};
use sitrep::store::Store;
use support::multipart;
use support::telegram::{Behaviour, FakeTelegram};

const BOULKESSI: &str = "ML-20250601-boulkessi";

/// A store holding the demo feeds' incidents; returns their ids.
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
        .map(|r| r.incident.id)
        .collect();
    (store, ids)
}

fn deliverer(store: &Store, fake: &FakeTelegram, limits: pace::Limits) -> Deliverer {
    let sink = TelegramSink::new(&Secret::new("42:fake".into()), &fake.url).unwrap();
    Deliverer::new(
        store.clone(),
        Sinks {
            telegram: Some(sink),
            discord: None,
        },
        Gazetteer::bundled(),
        pace::Pacer::new(limits),
    )
}

fn new(target: &str, incident: &str) -> Delivery {
    Delivery {
        target: target.parse().unwrap(),
        incident_id: incident.into(),
        action: Action::New,
        met_thresholds: true,
        lang: Default::default(),
    }
}

/// Drains until the outbox is empty (or the time is up).
async fn drain(d: &mut Deliverer, store: &Store, within: Duration) {
    let (_tx, mut rx) = tokio::sync::watch::channel(false);
    let deadline = tokio::time::Instant::now() + within;
    while store.outbox_len() > 0 && tokio::time::Instant::now() < deadline {
        let next = d.drain(&mut rx).await.unwrap();
        tokio::time::sleep(
            next.unwrap_or(Duration::from_millis(10))
                .min(Duration::from_millis(200)),
        )
        .await;
    }
}

#[tokio::test]
async fn rate_limits_are_waited_out_and_nothing_is_lost() {
    let (store, ids) = store_with_incidents();
    let fake = FakeTelegram::start(Behaviour {
        enforce_limits: true,
        ..Default::default()
    })
    .await;
    // Pacing off on our side, so the fake's limits bite.
    let eager = pace::Limits {
        telegram_chat: Duration::ZERO,
        telegram_group: Duration::ZERO,
        ..Default::default()
    };
    let mut d = deliverer(&store, &fake, eager);
    let deliveries: Vec<Delivery> = ids
        .iter()
        .take(3)
        .map(|id| new("telegram:4242", id))
        .collect();
    store.enqueue(&deliveries, Utc::now()).unwrap();
    drain(&mut d, &store, Duration::from_secs(10)).await;
    assert_eq!(store.outbox_len(), 0);
    assert_eq!(fake.accepted().len(), 3, "every alert arrives");
    assert!(fake.rate_limited() >= 1, "the fake's limit was hit");
    assert!(d.counts.rate_limited >= 1);
    for id in ids.iter().take(3) {
        assert!(
            store
                .sent(&"telegram:4242".parse().unwrap(), id)
                .unwrap()
                .is_some()
        );
    }
}

#[tokio::test]
async fn server_errors_back_off_then_deliver() {
    let (store, ids) = store_with_incidents();
    let fake = FakeTelegram::start(Behaviour {
        failing: HashMap::from([(77, 1)]),
        ..Default::default()
    })
    .await;
    let mut d = deliverer(&store, &fake, pace::Limits::default());
    store
        .enqueue(&[new("telegram:77", &ids[0])], Utc::now())
        .unwrap();
    // teloxide itself waits 10 s after a Telegram 5xx before it reports it.
    drain(&mut d, &store, Duration::from_secs(25)).await;
    assert_eq!(
        fake.accepted().len(),
        1,
        "{:?} {:?}",
        d.counts,
        store.pending_deliveries().unwrap()
    );
    assert_eq!(
        fake.requests.lock().unwrap().len(),
        2,
        "one failure, one retry"
    );
}

#[tokio::test]
async fn a_migrated_group_is_followed_with_its_subscriptions() {
    let (store, ids) = store_with_incidents();
    let old: Target = "telegram:-100".parse().unwrap();
    let sub = Subscription {
        id: "s1".into(),
        target: old,
        countries: vec!["ML".into()],
        regions: vec![],
        near: None,
        min_severity: sitrep::model::Severity::Low,
        min_verification: sitrep::model::Verification::Rumour,
        kinds: vec![],
        actors: vec![],
        keywords: vec![],
        exclude_keywords: vec![],
        lang: None,
        digest: None,
    };
    store.set_subscriptions(&old, &[sub]).unwrap();
    let fake = FakeTelegram::start(Behaviour {
        migrated: HashMap::from([(-100, -1_001_234_567_890)]),
        ..Default::default()
    })
    .await;
    let mut d = deliverer(&store, &fake, pace::Limits::default());
    store
        .enqueue(&[new("telegram:-100", &ids[0])], Utc::now())
        .unwrap();
    drain(&mut d, &store, Duration::from_secs(8)).await;
    let accepted = fake.accepted();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].0, -1_001_234_567_890, "sent to the supergroup");
    let subs = store.subscriptions().unwrap();
    assert_eq!(subs[0].target.to_string(), "telegram:-1001234567890");
    assert_eq!(
        store
            .target_state(&old)
            .unwrap()
            .moved_to
            .unwrap()
            .to_string(),
        "telegram:-1001234567890"
    );
}

#[tokio::test]
async fn editing_a_deleted_message_sends_a_new_one() {
    let (store, ids) = store_with_incidents();
    let target: Target = "telegram:555".parse().unwrap();
    let fake = FakeTelegram::start(Behaviour {
        deleted: vec![999],
        ..Default::default()
    })
    .await;
    store
        .enqueue(&[new("telegram:555", &ids[0])], Utc::now())
        .unwrap();
    // The channel had message 999 for this incident, since deleted by an admin.
    let mut d = deliverer(&store, &fake, pace::Limits::default());
    drain(&mut d, &store, Duration::from_secs(5)).await;
    let first_id = store.sent(&target, &ids[0]).unwrap().unwrap().message_id;
    let edit = Delivery {
        action: Action::Edit {
            message_id: "999".into(),
        },
        ..new("telegram:555", &ids[0])
    };
    let _ = Sent {
        message_id: first_id,
        met_thresholds: true,
        form: MessageForm::Text,
        lang: Default::default(),
    };
    store.enqueue(&[edit], Utc::now()).unwrap();
    drain(&mut d, &store, Duration::from_secs(5)).await;
    let accepted = fake.accepted();
    assert_eq!(
        accepted.len(),
        2,
        "a new message instead of the failed edit"
    );
    let now_sent = store.sent(&target, &ids[0]).unwrap().unwrap();
    assert_eq!(now_sent.message_id, accepted[1].1.to_string());
}

#[tokio::test]
async fn a_reply_answers_the_first_message_in_its_forum_topic() {
    let (store, ids) = store_with_incidents();
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let mut d = deliverer(&store, &fake, pace::Limits::default());
    store
        .enqueue(&[new("telegram:-1009:17", &ids[0])], Utc::now())
        .unwrap();
    drain(&mut d, &store, Duration::from_secs(5)).await;
    let first = fake.accepted()[0].1;
    let reply = Delivery {
        action: Action::Reply {
            message_id: first.to_string(),
        },
        ..new("telegram:-1009:17", &ids[0])
    };
    store.enqueue(&[reply], Utc::now()).unwrap();
    drain(&mut d, &store, Duration::from_secs(10)).await;
    let reqs = fake.requests.lock().unwrap().clone();
    let bodies: Vec<serde_json::Value> = reqs
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies[0]["message_thread_id"], 17,
        "sent in the forum topic"
    );
    assert!(
        reqs[1]
            .path
            .to_ascii_lowercase()
            .ends_with("editmessagetext"),
        "the first message is kept current"
    );
    assert_eq!(
        bodies[2]["reply_parameters"]["message_id"], first,
        "then answered"
    );
    assert_eq!(bodies[2]["message_thread_id"], 17);
}

#[tokio::test]
async fn alerts_with_maps_are_captioned_photos_drawn_once_and_edits_replace_picture_and_caption() {
    let (store, ids) = store_with_incidents();
    assert!(ids.iter().any(|i| i == BOULKESSI), "{ids:?}");
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let mut d = deliverer(&store, &fake, pace::Limits::default()).with_maps(true);
    let chats = ["telegram:-100301", "telegram:-100302", "telegram:-100303"];
    let deliveries: Vec<Delivery> = chats.iter().map(|c| new(c, BOULKESSI)).collect();
    store.enqueue(&deliveries, Utc::now()).unwrap();
    drain(&mut d, &store, Duration::from_secs(10)).await;
    assert_eq!(fake.methods(), ["sendphoto", "sendphoto", "sendphoto"]);
    assert_eq!(d.counts.maps_drawn, 1, "one picture for the three chats");
    for (_, _, caption, png) in fake.photos() {
        assert_eq!(multipart::png_size(&png), Some((640, 400)));
        assert!(caption.contains("Boulkessi, Mopti, Mali"), "{caption}");
        assert!(format::caption_len(&caption) <= format::TELEGRAM_CAPTION_MAX);
    }
    let first = multipart::fields(&fake.requests.lock().unwrap()[0]);
    assert_eq!(first["parse_mode"], "HTML");
    assert!(
        first["reply_markup"]["inline_keyboard"][0][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http")),
        "the source buttons come with the photo: {first:#}"
    );
    let target: Target = chats[0].parse().unwrap();
    let sent = store.sent(&target, BOULKESSI).unwrap().unwrap();
    assert_eq!(sent.form, MessageForm::Caption);
    assert_eq!(sent.message_id, fake.photos()[0].1.to_string());

    let edit = Delivery {
        action: Action::Edit {
            message_id: sent.message_id.clone(),
        },
        ..new(chats[0], BOULKESSI)
    };
    store.enqueue(&[edit], Utc::now()).unwrap();
    drain(&mut d, &store, Duration::from_secs(10)).await;
    assert_eq!(fake.methods().last().unwrap(), "editmessagemedia");
    let edited = multipart::fields(fake.requests.lock().unwrap().last().unwrap());
    assert_eq!(edited["message_id"].to_string(), sent.message_id);
    assert_eq!(edited["media"]["type"], "photo");
    assert_eq!(edited["media"]["parse_mode"], "HTML");
    assert!(
        edited["media"]["caption"]
            .as_str()
            .unwrap()
            .contains("Boulkessi")
    );
    let replaced = fake.photos().last().unwrap().3.clone();
    assert_eq!(
        multipart::png_size(&replaced),
        Some((640, 400)),
        "the edit carries the picture"
    );
    assert_eq!(
        d.counts.maps_drawn, 1,
        "the same version is not drawn again"
    );
    let after = store.sent(&target, BOULKESSI).unwrap().unwrap();
    assert_eq!(
        after.form,
        MessageForm::Caption,
        "later edits stay captions"
    );
}

#[tokio::test]
async fn a_card_too_long_for_a_caption_goes_as_text_then_the_photo() {
    let (store, _) = store_with_incidents();
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let sink = TelegramSink::new(&Secret::new("42:fake".into()), &fake.url).unwrap();
    let mut record = store.incident(BOULKESSI).unwrap().unwrap();
    record.incident.summary = "Witnesses described the assault in detail. ".repeat(14);
    let source = record.incident.sources[0].clone();
    for n in 0..20 {
        record.incident.sources.push(sitrep::model::SourceRef {
            url: format!("https://outlet{n}.example/boulkessi"),
            outlet: format!("Regional outlet number {n}"),
            ..source.clone()
        });
    }
    let mut msg = Rendered::new(&record, Gazetteer::bundled(), false, Default::default());
    assert!(format::caption_len(&msg.telegram_html) > format::TELEGRAM_CAPTION_MAX);
    let scene = sitrep::map::Scene::of(&record.incident).unwrap();
    msg.map = Some(
        sitrep::map::render(&scene, Gazetteer::bundled())
            .unwrap()
            .png
            .into(),
    );
    let (id, form) = sink.send(-100400, Some(9), &msg, None).await.unwrap();
    assert_eq!(fake.methods(), ["sendmessage", "sendphoto"]);
    assert_eq!(form, MessageForm::Text, "edits will edit the text");
    assert_eq!(
        id,
        fake.accepted()[0].1.to_string(),
        "the alert is the text"
    );
    let photo = multipart::fields(&fake.requests.lock().unwrap()[1]);
    assert_eq!(photo["message_thread_id"], 9, "in the same topic");
    assert!(photo["caption"].is_null());
    assert_eq!(multipart::png_size(&fake.photos()[0].3), Some((640, 400)));
}

#[tokio::test]
async fn maps_off_or_no_coordinates_send_text_only() {
    let (store, ids) = store_with_incidents();
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let mut off = deliverer(&store, &fake, pace::Limits::default()).with_maps(false);
    store
        .enqueue(&[new("telegram:-100501", BOULKESSI)], Utc::now())
        .unwrap();
    drain(&mut off, &store, Duration::from_secs(5)).await;
    assert_eq!(fake.methods(), ["sendmessage"]);
    assert_eq!(off.counts.maps_drawn, 0);

    // An incident without coordinates has no map, maps on or not.
    let other = ids.iter().find(|i| *i != BOULKESSI).unwrap();
    let mut record = store.incident(other).unwrap().unwrap();
    record.incident.lat = None;
    record.incident.lon = None;
    store.put_incident(&record).unwrap();
    let mut on = deliverer(&store, &fake, pace::Limits::default()).with_maps(true);
    store
        .enqueue(&[new("telegram:-100502", other)], Utc::now())
        .unwrap();
    drain(&mut on, &store, Duration::from_secs(5)).await;
    assert_eq!(fake.methods(), ["sendmessage", "sendmessage"]);
    assert!(fake.photos().is_empty());
}
