//! Fan-out: one critical incident to 1,000 Telegram chats through the real delivery worker and
//! Telegram sink, against a fake Bot API on 127.0.0.1 that enforces Telegram's limits with real
//! 429 answers. Reports messages per second against the 30/s limit, 429s received and alerts lost,
//! and how many cards were rendered: half the chats read French, and each language's card is
//! rendered once (2), not once per chat.
//! `cargo bench --bench fanout`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use sitrep::config::Secret;
use sitrep::deliver::{Deliverer, pace};
use sitrep::extract::Gazetteer;
use sitrep::i18n::Lang;
use sitrep::route::{Action, Delivery};
use sitrep::sink::{Sinks, telegram::TelegramSink};
use sitrep::store::Store;
use support::telegram::{Behaviour, FakeTelegram};

const CHATS: i64 = 1000;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let fake = FakeTelegram::start(Behaviour { enforce_limits: true, ..Default::default() }).await;
        let store = Store::temporary().unwrap();
        let mut p = sitrep::pipeline::Pipeline::new(store.clone(), Gazetteer::bundled(), Duration::from_secs(3650 * 86400));
        let seed = std::fs::read_to_string("tests/fixtures/seed/jnim-boulikessi-timbuktu.txt").unwrap();
        let (title, body) = seed.split_once('\n').unwrap();
        let article = sitrep::model::Article {
            source: "bench".into(),
            url: "https://bench.example/seed".into(),
            guid: "seed".into(),
            title: title.into(),
            text: body.into(),
            published: Some("2025-06-03T09:12:00Z".parse().unwrap()),
            lang: None,
            family: "bench".into(),
        };
        p.ingest(&article).unwrap();
        let incident = store.all_incidents().unwrap().into_iter().find(|r| r.incident.severity.as_str() == "critical").unwrap().incident.id;
        let deliveries: Vec<Delivery> = (1..=CHATS)
            .map(|chat| Delivery {
                target: format!("telegram:{chat}").parse().unwrap(),
                incident_id: incident.clone(),
                action: Action::New,
                met_thresholds: true,
                // Half the chats read French.
                lang: if chat % 2 == 0 { Lang::Fr } else { Lang::En },
            })
            .collect();
        store.enqueue(&deliveries, Utc::now()).unwrap();
        let sink = TelegramSink::new(&Secret::new("1:bench".into()), &fake.url).unwrap();
        let mut d = Deliverer::new(store.clone(), Sinks { telegram: Some(sink), discord: None }, Gazetteer::bundled(), pace::Pacer::new(pace::Limits::default()));
        let (_tx, mut rx) = tokio::sync::watch::channel(false);
        let t = Instant::now();
        while store.outbox_len() > 0 && t.elapsed() < Duration::from_secs(300) {
            if let Some(wait) = d.drain(&mut rx).await.unwrap() {
                tokio::time::sleep(wait.min(Duration::from_millis(100))).await;
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let accepted = fake.accepted();
        let mut chats: Vec<i64> = accepted.iter().map(|a| a.0).collect();
        chats.sort();
        chats.dedup();
        println!(
            "fan-out: {} chats in {secs:.1} s: {:.1} messages/s (limit 30/s), {} x 429, {} lost, {} duplicates, {} cards rendered (half the chats French)",
            CHATS,
            accepted.len() as f64 / secs,
            fake.rate_limited(),
            CHATS as usize - chats.len(),
            accepted.len() - chats.len(),
            d.counts.rendered
        );
    });
}
