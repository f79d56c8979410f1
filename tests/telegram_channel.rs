//! Public Telegram channels as a source, against a local server that serves preview pages built
//! from the documented structure: posts become articles once, an edited post updates its article
//! and incident, a photo-only post is skipped, forwards count for the original channel, a busy
//! channel is read back with `?before=`, 429 backs off, a missing channel fails with its name,
//! verification follows the channel's standing, and short posts become incidents. End to end: a
//! channel's post about an attack becomes an alert on the fake Telegram.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sitrep::config::{Config, SourceConfig};
use sitrep::extract::Gazetteer;
use sitrep::incident::grade::Standing;
use sitrep::model::{Change, EventKind, Verification};
use sitrep::pipeline::Pipeline;
use sitrep::source::api::SourceItem;
use sitrep::source::http::{Http, Limits};
use sitrep::source::poller::{Gates, Poller};
use sitrep::store::Store;
use support::preview::{self, Msg};
use support::server::{self, Reply, Request};

const CHANNEL: &str = "sahel_watch_test";
const WHEN: &str = "2025-06-02T07:15:00+00:00";

fn channel_source(url: &str, extra: &str) -> SourceConfig {
    let text = format!(
        "[[source]]\nname = \"chan\"\nkind = \"telegram_channel\"\nurl = \"{url}\"\ninterval = \"60s\"\n{extra}\n"
    );
    Config::parse(&text, "t.toml", &|_| None)
        .unwrap()
        .0
        .sources
        .remove(0)
}

fn poller(src: SourceConfig, store: &Store) -> Poller {
    let http = Http::new(Limits {
        max_body: 5 * 1024 * 1024,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
    })
    .unwrap();
    Poller::new(
        src,
        http,
        store.clone(),
        Gates::default(),
        Gazetteer::bundled(),
        Duration::from_secs(3600),
    )
}

/// A channel whose posts the test changes between polls; `/s/NAME?before=ID` pages back 20 at a
/// time like t.me.
fn serve(posts: Arc<Mutex<Vec<Msg>>>) -> server::Routes {
    Arc::new(move |req: &Request| {
        let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
        if path != format!("/s/{CHANNEL}") {
            return Reply::status(404, &[]);
        }
        let before: Option<u64> = query.strip_prefix("before=").and_then(|b| b.parse().ok());
        let all = posts.lock().unwrap();
        let older: Vec<Msg> = all
            .iter()
            .filter(|m| before.is_none_or(|b| m.id < b))
            .cloned()
            .collect();
        let page = &older[older.len().saturating_sub(20)..];
        Reply::ok("text/html; charset=utf-8", preview::page(CHANNEL, page))
    })
}

fn posts_of(items: &[SourceItem]) -> Vec<(String, bool)> {
    items
        .iter()
        .map(|i| match i {
            SourceItem::Post {
                article,
                maybe_edit,
                ..
            } => (article.guid.clone(), *maybe_edit),
            other => panic!("a channel yields posts: {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn posts_become_articles_once_and_an_edit_updates_its_incident() {
    let posts = Arc::new(Mutex::new(vec![
        Msg::text(
            101,
            r#"<i class="emoji" style="background-image:url('x.png')"><b>🔴</b></i><b>Attaque de Djibo ce matin</b>: 12 soldats tués"#,
            WHEN,
        ),
        Msg::text(
            102,
            r#"Lire notre enquête: <a href="https://news.example/enquete" target="_blank">https://news.example/enquete</a>"#,
            WHEN,
        ),
        Msg {
            id: 103,
            datetime: WHEN.into(),
            ..Default::default()
        },
        Msg {
            forwarded_from: Some("https://t.me/other_radio_test/567".into()),
            ..Msg::text(
                104,
                "Des hommes armés ont tué cinq civils à Diapaga hier soir",
                WHEN,
            )
        },
    ]));
    let (base, log) = server::start(serve(posts.clone())).await;
    let store = Store::temporary().unwrap();
    let mut p = poller(
        channel_source(&format!("{base}/s/{CHANNEL}"), "lang = \"fr\""),
        &store,
    );
    let first = p.poll_once().await;
    assert_eq!(
        posts_of(&first.items),
        [
            (format!("{CHANNEL}/101"), false),
            (format!("{CHANNEL}/102"), false),
            (format!("{CHANNEL}/104"), false)
        ],
        "the photo-only post is skipped"
    );
    assert!(first.wait >= Duration::from_secs(60), "{:?}", first.wait);
    let a = first.items[0].article();
    assert_eq!(a.title, "Attaque de Djibo ce matin: 12 soldats tués");
    assert_eq!(a.url, format!("{base}/{CHANNEL}/101"));
    assert_eq!(a.family, format!("t.me/{CHANNEL}"));
    assert_eq!(
        first.items[1].article().text,
        "Lire notre enquête: https://news.example/enquete"
    );
    let fwd = first.items[2].article();
    assert_eq!(
        fwd.family, "t.me/other_radio_test",
        "one family: the original's"
    );
    assert_eq!(fwd.url, "https://t.me/other_radio_test/567");
    let ua = log.lock().unwrap()[0]
        .header("user-agent")
        .unwrap()
        .to_string();
    assert!(
        ua.starts_with("Mozilla/5.0") && ua.contains("sitrep/"),
        "{ua}"
    );

    let mut pipeline = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        Duration::from_secs(1_000_000 * 3600),
    );
    let out = pipeline.ingest_item(&first.items[0]).unwrap();
    assert_eq!(out.events.len(), 1, "{out:?}");
    assert_eq!(out.events[0].incident.verification, Verification::Rumour);
    let id = out.events[0].incident.id.clone();

    assert!(
        p.poll_once().await.items.is_empty(),
        "posts are handed on once"
    );

    // The channel corrects its toll: the post is edited.
    {
        let mut all = posts.lock().unwrap();
        all[0].html = Some("Attaque de Djibo ce matin: 15 soldats tués".into());
        all[0].edited = true;
    }
    let edited = p.poll_once().await;
    assert_eq!(posts_of(&edited.items), [(format!("{CHANNEL}/101"), true)]);
    let out = pipeline.ingest_item(&edited.items[0]).unwrap();
    assert_eq!(out.events.len(), 1, "{out:?}");
    let ev = &out.events[0];
    assert_eq!(
        (ev.event, ev.incident.id.as_str()),
        (EventKind::Update, id.as_str())
    );
    assert!(ev.changes.contains(&Change::Fatalities), "{:?}", ev.changes);
    assert_eq!(ev.incident.fatalities.as_ref().unwrap().best, Some(15));
    assert_eq!(
        ev.incident.sources.len(),
        1,
        "the edit replaced its first version"
    );
    let record = store.incident(&id).unwrap().unwrap();
    assert_eq!(record.reports.len(), 1);
    // The same edit seen again (a restart forgets the memory) changes nothing.
    assert!(pipeline.ingest_item(&edited.items[0]).unwrap().duplicate);
    assert!(p.poll_once().await.items.is_empty());
}

#[tokio::test]
async fn a_busy_channel_is_read_back_with_before_but_not_on_the_first_poll() {
    let msg = |id: u64| Msg::text(id, &format!("Communiqué numéro {id}"), WHEN);
    let posts = Arc::new(Mutex::new((1..=45).map(msg).collect::<Vec<_>>()));
    let (base, log) = server::start(serve(posts.clone())).await;
    let store = Store::temporary().unwrap();
    let mut p = poller(channel_source(&format!("{base}/s/{CHANNEL}"), ""), &store);
    let first = p.poll_once().await;
    let ids: Vec<String> = posts_of(&first.items).into_iter().map(|(g, _)| g).collect();
    assert_eq!(ids.len(), 20, "the first poll reads one page");
    assert_eq!(ids[0], format!("{CHANNEL}/26"));
    assert_eq!(log.lock().unwrap().len(), 1);

    // 25 posts arrive between two polls: more than the latest page holds.
    posts.lock().unwrap().extend((46..=70).map(msg));
    let second = p.poll_once().await;
    let ids: Vec<String> = posts_of(&second.items)
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    let want: Vec<String> = (46..=70).map(|i| format!("{CHANNEL}/{i}")).collect();
    assert_eq!(ids, want, "no post lost, none twice");
    let paths: Vec<String> = log.lock().unwrap().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths[1..],
        [format!("/s/{CHANNEL}"), format!("/s/{CHANNEL}?before=51")]
    );
}

#[tokio::test]
async fn rate_limits_and_missing_channels_back_off_with_a_clear_error() {
    let (base, _) = server::start(Arc::new(|req: &Request| match req.path.as_str() {
        "/s/busy_channel" => Reply::status(429, &[("Retry-After", "600")]),
        // What t.me does for a name without a public channel: redirect to the contact page.
        "/s/gone_channel" => Reply::status(302, &[("Location", "/gone_channel")]),
        "/gone_channel" => Reply::ok("text/html", preview::missing("gone_channel")),
        "/s/private_chan" => Reply::ok("text/html", preview::missing("private_chan")),
        _ => Reply::status(404, &[]),
    }))
    .await;
    let store = Store::temporary().unwrap();
    let mut busy = poller(
        channel_source(&format!("{base}/s/busy_channel"), ""),
        &store,
    );
    let polled = busy.poll_once().await;
    assert!(polled.items.is_empty());
    assert!(polled.wait >= Duration::from_secs(600), "{:?}", polled.wait);
    let state = store.source_state("chan").unwrap().unwrap();
    assert!(state.last_error.unwrap().contains("HTTP 429"));

    for name in ["gone_channel", "private_chan"] {
        let store = Store::temporary().unwrap();
        let mut p = poller(channel_source(&format!("{base}/s/{name}"), ""), &store);
        let one = p.poll_once().await;
        let two = p.poll_once().await;
        assert!(
            two.wait > one.wait,
            "backs off: {:?} then {:?}",
            one.wait,
            two.wait
        );
        let state = store.source_state("chan").unwrap().unwrap();
        assert_eq!(
            state.last_error.as_deref(),
            Some(
                format!("telegram channel {name}: not found or private (no public preview)")
                    .as_str()
            )
        );
        assert_eq!(state.consecutive_failures, 2);
    }
}

/// One post through a pipeline as a channel of this standing would hand it on.
fn grade_post(text: &str, standing: Standing) -> Vec<sitrep::model::Incident> {
    let store = Store::temporary().unwrap();
    let mut pipeline = Pipeline::new(store, Gazetteer::bundled(), Duration::from_secs(72 * 3600))
        .with_as_of(Some("2025-06-02T12:00:00Z".parse().unwrap()));
    let post = Msg::text(7, text, WHEN);
    let posts = sitrep::source::telegram_channel::parse_page(
        preview::page(CHANNEL, &[post]).as_bytes(),
        CHANNEL,
    )
    .unwrap();
    let article = posts[0].article("chan", "https://t.me", "t.me/chan", None);
    let out = pipeline
        .ingest_item(&SourceItem::Post {
            article,
            standing,
            maybe_edit: false,
        })
        .unwrap();
    out.events.into_iter().map(|e| e.incident).collect()
}

#[test]
fn verification_follows_the_channels_standing() {
    let post = "Attaque de Djibo ce matin: 12 soldats tués";
    let level = |standing| grade_post(post, standing)[0].verification;
    assert_eq!(level(Standing::Unvetted), Verification::Rumour);
    assert_eq!(level(Standing::Outlet), Verification::Reported);
    let sourced = "Attaque de Djibo ce matin: 12 soldats tués, selon des sources locales";
    assert_eq!(
        grade_post(sourced, Standing::Unvetted)[0].verification,
        Verification::Reported
    );
    let claim = grade_post(
        "Les moudjahidines ont attaqué le camp de Djibo ce matin: 12 soldats tués",
        Standing::Party {
            name: "JNIM".into(),
            state: false,
        },
    );
    assert_eq!(claim[0].verification, Verification::Claimed);
    assert_eq!(claim[0].claimed_by, ["JNIM"]);
}

#[test]
fn short_posts_become_incidents() {
    // (post, place, toll) in French, English and mixed.
    let cases = [
        (
            "Attaque de Djibo ce matin: 12 soldats tués",
            "Djibo",
            Some(12),
        ),
        (
            "Djibo: 12 soldats tués dans une attaque ce matin",
            "Djibo",
            Some(12),
        ),
        (
            "Attack on Djibo this morning: 12 soldiers killed",
            "Djibo",
            Some(12),
        ),
        (
            "Embuscade près de Diapaga: 5 soldats tués",
            "Diapaga",
            Some(5),
        ),
        (
            "URGENT | Attaque à Djibo: 12 soldats killed selon des sources",
            "Djibo",
            Some(12),
        ),
        ("Kidal: frappe de drone ce matin, 5 morts", "Kidal", Some(5)),
    ];
    for (post, place, toll) in cases {
        let found = grade_post(post, Standing::Outlet);
        assert_eq!(found.len(), 1, "{post}: {found:?}");
        let i = &found[0];
        assert_eq!(i.place.as_deref(), Some(place), "{post}");
        assert_eq!(i.fatalities.as_ref().and_then(|f| f.best), toll, "{post}");
    }
}

#[tokio::test]
async fn a_channel_post_about_an_attack_becomes_an_alert_on_telegram() {
    let tg = support::telegram::FakeTelegram::start(Default::default()).await;
    let now = chrono::Utc::now().to_rfc3339();
    let posts = Arc::new(Mutex::new(vec![Msg::text(
        9001,
        "Attaque de Djibo ce matin: 12 soldats tués, selon des sources locales",
        &now,
    )]));
    let (base, _) = server::start(serve(posts)).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            r#"[store]
path = "{store}"
[http]
listen = "127.0.0.1:0"
[alerts]
maps = false
[[source]]
name = "sahel-watch"
kind = "telegram_channel"
url = "{base}/s/{CHANNEL}"
interval = "60s"
lang = "fr"
[telegram]
token_env = "SITREP_TEST_TELEGRAM_TOKEN"
api_url = "{tg}"
[[subscription]]
target = "telegram:-100333"
countries = ["BF"]
"#,
            store = dir.path().join("data").display(),
            tg = tg.url,
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_TELEGRAM_TOKEN", "123456:TEST-not-a-real-token")],
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while tg.accepted().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    support::daemon::stop(child).await;
    let sent = tg.accepted();
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let (chat, _, text) = &sent[0];
    assert_eq!(*chat, -100333);
    assert!(text.contains("Djibo") && text.contains("12"), "{text}");
    assert!(
        text.contains("sahel-watch"),
        "the channel is the source: {text}"
    );
}
