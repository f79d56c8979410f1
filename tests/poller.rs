//! The source poller against a local HTTP server: conditional GET, timeouts, endless and oversized
//! bodies, a gzip bomb, a redirect loop, an HTML page, 429 with Retry-After, failures and recovery
//! with backoff, a hanging source beside a good one, state across restarts, and the data APIs.

mod support;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sitrep::config::{Config, SourceConfig};
use sitrep::extract::Gazetteer;
use sitrep::source::api::SourceItem;
use sitrep::source::http::{Http, Limits};
use sitrep::source::poller::{Gates, Notice, Poller};
use sitrep::store::Store;
use support::server::{self, Reply, Request};

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<item><title>Mali : attaque contre le camp de Boulkessi</title><link>https://example.org/a</link><guid>a</guid><pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate><description>Des jihadistes ont attaqué dimanche le camp de Boulkessi.</description></item>
</channel></rss>"#;

fn source(name: &str, kind: &str, url: &str) -> SourceConfig {
    let text = format!(
        "[[source]]\nname = \"{name}\"\nkind = \"{kind}\"\nurl = \"{url}\"\ninterval = \"60s\"\n"
    );
    Config::parse(&text, "t.toml", &|_| None)
        .unwrap()
        .0
        .sources
        .remove(0)
}

fn quick_http() -> Http {
    Http::new(Limits {
        max_body: 5 * 1024 * 1024,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(1),
    })
    .unwrap()
}

fn poller(src: SourceConfig, store: &Store, down_after: Duration) -> Poller {
    Poller::new(
        src,
        quick_http(),
        store.clone(),
        Gates::default(),
        Gazetteer::bundled(),
        down_after,
    )
}

fn routes(f: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> server::Routes {
    Arc::new(f)
}

fn articles(items: &[SourceItem]) -> Vec<String> {
    items.iter().map(|i| i.article().title.clone()).collect()
}

#[tokio::test]
async fn conditional_get_sends_validators_and_handles_304() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let (base, log) = server::start(routes(move |req| {
        let etag = format!("\"v{}\"", v.load(Ordering::SeqCst));
        if req.header("if-none-match") == Some(etag.as_str()) {
            return Reply::status(304, &[]);
        }
        Reply::ok("application/rss+xml", FEED)
            .with_header("ETag", &etag)
            .with_header("Last-Modified", "Mon, 02 Jun 2025 09:00:00 GMT")
    }))
    .await;
    let store = Store::temporary().unwrap();
    let mut p = poller(
        source("s", "feed", &format!("{base}/feed")),
        &store,
        Duration::from_secs(3600),
    );
    assert_eq!(p.poll_once().await.items.len(), 1);
    assert_eq!(p.poll_once().await.items.len(), 0, "304: nothing new");
    version.store(2, Ordering::SeqCst);
    assert_eq!(
        p.poll_once().await.items.len(),
        1,
        "new ETag: fetched again"
    );
    let reqs = log.lock().unwrap().clone();
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        reqs[1].header("if-modified-since"),
        Some("Mon, 02 Jun 2025 09:00:00 GMT")
    );
    assert!(reqs[0].header("user-agent").unwrap().starts_with("sitrep/"));
    let state = store.source_state("s").unwrap().unwrap();
    assert_eq!(state.validators.etag.as_deref(), Some("\"v2\""));
    assert_eq!(state.items_seen, 2);
}

#[tokio::test]
async fn misbehaving_servers_cost_one_clear_error_each() {
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    bomb.write_all(&vec![b'<'; 50 * 1024 * 1024]).unwrap();
    let bomb = bomb.finish().unwrap();
    assert!(
        bomb.len() < 200 * 1024,
        "a small body that expands 250 times"
    );
    let (base, _) = server::start(routes(move |req| match req.path.as_str() {
        "/slow" => Reply::Slow(
            Duration::from_secs(5),
            Box::new(Reply::ok("application/rss+xml", FEED)),
        ),
        "/drip" => Reply::Drip,
        "/big" => Reply::ok("application/rss+xml", vec![b' '; 6 * 1024 * 1024]),
        "/bomb" => {
            Reply::ok("application/rss+xml", bomb.clone()).with_header("Content-Encoding", "gzip")
        }
        "/loop" => Reply::status(302, &[("Location", "/loop")]),
        "/html" => Reply::ok(
            "text/html",
            "<!DOCTYPE html><html><body>Sorry</body></html>",
        ),
        _ => Reply::status(404, &[]),
    }))
    .await;
    let store = Store::temporary().unwrap();
    for (path, needle) in [
        ("/slow", "timed out"),
        ("/drip", "timed out"),
        ("/big", "over the 5242880 byte limit"),
        ("/bomb", "over the 5242880 byte limit"),
        ("/loop", "too many redirects"),
        ("/html", "not a feed: an HTML page"),
        ("/missing", "HTTP 404"),
    ] {
        let name = path.trim_start_matches('/');
        let mut p = poller(
            source(name, "feed", &format!("{base}{path}")),
            &store,
            Duration::from_secs(3600),
        );
        let polled = p.poll_once().await;
        assert!(polled.items.is_empty());
        let state = store.source_state(name).unwrap().unwrap();
        let err = state.last_error.unwrap_or_default();
        assert!(err.contains(needle), "{path}: {err}");
        assert!(!err.contains('\n'), "{err}");
        assert_eq!(state.consecutive_failures, 1);
        assert!(
            polled.wait >= Duration::from_secs(108),
            "backed off: {:?}",
            polled.wait
        );
    }
}

#[tokio::test]
async fn retry_after_is_honoured_and_failures_back_off_then_recover() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let (base, _) = server::start(routes(move |req| match req.path.as_str() {
        "/busy" => Reply::status(429, &[("Retry-After", "900")]),
        _ => match c.fetch_add(1, Ordering::SeqCst) {
            0 | 1 => Reply::status(500, &[]),
            _ => Reply::ok("application/rss+xml", FEED),
        },
    }))
    .await;
    let store = Store::temporary().unwrap();
    let mut busy = poller(
        source("busy", "feed", &format!("{base}/busy")),
        &store,
        Duration::from_secs(3600),
    );
    assert!(busy.poll_once().await.wait >= Duration::from_secs(900));

    let mut flaky = poller(
        source("flaky", "feed", &format!("{base}/flaky")),
        &store,
        Duration::ZERO,
    );
    let first = flaky.poll_once().await;
    assert!(
        matches!(first.notice, Some(Notice::Down { .. })),
        "down after 0 s: {:?}",
        first.notice
    );
    assert!(
        (108..=132).contains(&first.wait.as_secs()),
        "2 x 60 s ± 10 %: {:?}",
        first.wait
    );
    let second = flaky.poll_once().await;
    assert!(second.notice.is_none(), "one notice per outage");
    assert!(
        (216..=264).contains(&second.wait.as_secs()),
        "4 x 60 s ± 10 %: {:?}",
        second.wait
    );
    let third = flaky.poll_once().await;
    assert_eq!(third.items.len(), 1);
    assert!(matches!(third.notice, Some(Notice::Recovered { .. })));
    assert!(
        (54..=66).contains(&third.wait.as_secs()),
        "back to the interval: {:?}",
        third.wait
    );
    let state = store.source_state("flaky").unwrap().unwrap();
    assert_eq!(state.consecutive_failures, 0);
    assert!(state.last_error.unwrap().contains("HTTP 500"));
}

#[tokio::test]
async fn a_hanging_source_does_not_delay_the_others() {
    let (base, _) = server::start(routes(|req| match req.path.as_str() {
        "/hang" => Reply::Drip,
        _ => Reply::ok("application/rss+xml", FEED),
    }))
    .await;
    let store = Store::temporary().unwrap();
    let http = Http::new(Limits {
        timeout: Duration::from_secs(30),
        ..Limits::default()
    })
    .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let (ntx, _nrx) = tokio::sync::mpsc::channel(16);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let gates = Gates::default();
    let mut tasks = Vec::new();
    for (name, path) in [("hang", "/hang"), ("good", "/good")] {
        let p = Poller::new(
            source(name, "feed", &format!("{base}{path}")),
            http.clone(),
            store.clone(),
            gates.clone(),
            Gazetteer::bundled(),
            Duration::from_secs(3600),
        );
        tasks.push(tokio::spawn(p.run(
            tx.clone(),
            ntx.clone(),
            stop_rx.clone(),
        )));
    }
    let item = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("the good source is not held up");
    assert_eq!(
        articles(&[item.unwrap().item]),
        vec!["Mali : attaque contre le camp de Boulkessi"]
    );
    stop_tx.send(true).unwrap();
    for t in tasks {
        tokio::time::timeout(Duration::from_secs(5), t)
            .await
            .expect("pollers stop on shutdown")
            .unwrap();
    }
}

#[tokio::test]
async fn state_survives_a_restart() {
    let (base, log) = server::start(routes(|req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304, &[])
        } else {
            Reply::ok("application/rss+xml", FEED).with_header("ETag", "\"v1\"")
        }
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 8).unwrap();
        poller(
            source("s", "feed", &format!("{base}/f")),
            &store,
            Duration::from_secs(3600),
        )
        .poll_once()
        .await;
        store.flush().unwrap();
    }
    let store = Store::open(&path, 8).unwrap();
    let state = store.source_state("s").unwrap().unwrap();
    assert_eq!(state.validators.etag.as_deref(), Some("\"v1\""));
    assert!(state.next_poll.is_some());
    let polled = poller(
        source("s", "feed", &format!("{base}/f")),
        &store,
        Duration::from_secs(3600),
    )
    .poll_once()
    .await;
    assert!(
        polled.items.is_empty(),
        "the reopened store still sends If-None-Match"
    );
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn gdelt_reliefweb_and_acled_responses_map_to_items() {
    let (base, log) = server::start(routes(|req| match req.path.as_str() {
        p if p.starts_with("/api/v2/doc/doc") => Reply::ok(
            "application/json",
            r#"{"articles":[{"url":"https://www.rfi.fr/fr/afrique/20250602-mali","url_mobile":"","title":"Mali : le camp de Boulkessi attaqué","seendate":"20250602T091500Z","socialimage":"","domain":"rfi.fr","language":"French","sourcecountry":"France"}]}"#,
        ),
        p if p.starts_with("/v2/reports") => Reply::ok(
            "application/json",
            r#"{"totalCount":1,"data":[{"id":"4123456","fields":{"title":"Niger: Flash Update","body":"<p>Armed men attacked Fambita.</p>","url_alias":"https://reliefweb.int/report/niger/x","date":{"created":"2025-06-13T10:00:00+00:00"},"source":[{"shortname":"OCHA"}],"language":[{"code":"en"}]}}]}"#,
        ),
        "/oauth/token" => Reply::ok("application/json", r#"{"token_type":"Bearer","expires_in":86400,"access_token":"test-access-token","refresh_token":"r"}"#),
        p if p.starts_with("/api/acled/read") => {
            if req.header("authorization") != Some("Bearer test-access-token") {
                return Reply::status(401, &[]);
            }
            Reply::ok(
                "application/json",
                r#"{"status":200,"success":true,"data":[{"event_id_cnty":"MLI1","event_date":"2025-06-01","time_precision":"1","event_type":"Battles","sub_event_type":"Armed clash","actor1":"JNIM: Group for Support of Islam and Muslims","actor2":"Military Forces of Mali (2021-)","country":"Mali","admin1":"Mopti","location":"Boulkessi","latitude":"15.03","longitude":"-1.55","geo_precision":"1","source":"RFI","notes":"Clash at Boulkessi.","fatalities":"12"}]}"#,
            )
        }
        _ => Reply::status(404, &[]),
    }))
    .await;
    let store = Store::temporary().unwrap();
    let gdelt = poller(
        source(
            "gdelt",
            "gdelt",
            &format!("{base}/api/v2/doc/doc?query=JNIM&mode=ArtList&format=json"),
        ),
        &store,
        Duration::from_secs(3600),
    )
    .poll_once()
    .await;
    assert_eq!(
        articles(&gdelt.items),
        vec!["Mali : le camp de Boulkessi attaqué"]
    );
    let rw = poller(
        source(
            "rw",
            "reliefweb",
            &format!("{base}/v2/reports?appname=sitrep-test"),
        ),
        &store,
        Duration::from_secs(3600),
    )
    .poll_once()
    .await;
    assert_eq!(articles(&rw.items), vec!["Niger: Flash Update"]);

    // SAFETY: set before any thread of this test reads them; no other test reads these variables.
    unsafe {
        std::env::set_var("SITREP_ACLED_USERNAME", "analyst@example.org");
        std::env::set_var("SITREP_ACLED_PASSWORD", "not-a-real-password");
    }
    let mut acled = poller(
        source(
            "acled",
            "acled",
            &format!("{base}/api/acled/read?_format=json&country=Mali"),
        ),
        &store,
        Duration::from_secs(3600),
    );
    let first = acled.poll_once().await;
    let second = acled.poll_once().await;
    let SourceItem::Event(_, found) = &first.items[0] else {
        panic!("{:?}", first.items)
    };
    let i = found.incident();
    assert_eq!(
        (i.place.as_deref(), i.verification.as_str()),
        (Some("Boulkessi"), "confirmed")
    );
    assert_eq!(second.items.len(), 1);
    let reqs = log.lock().unwrap().clone();
    let tokens: Vec<&Request> = reqs.iter().filter(|r| r.path == "/oauth/token").collect();
    assert_eq!(tokens.len(), 1, "the token is reused until it nears expiry");
    assert!(
        tokens[0].body.contains("grant_type=password")
            && tokens[0].body.contains("client_id=acled")
    );
    let state = store.source_state("acled").unwrap().unwrap();
    assert!(state.last_error.is_none());
}

#[tokio::test]
async fn headline_only_items_get_their_page_text_once() {
    let page = r#"<!DOCTYPE html><html><head><title>Attaque à Djibo</title></head><body>
        <nav>Accueil | Afrique | Sport</nav>
        <article><h1>Burkina : attaque meurtrière à Djibo</h1>
        <p>Des hommes armés ont attaqué dimanche un poste de l'armée à Djibo, dans le nord du Burkina Faso, tuant au moins douze soldats, selon des sources sécuritaires jointes par téléphone.</p>
        <p>Les assaillants, arrivés à moto, ont incendié plusieurs véhicules avant de se replier vers la frontière malienne. La ville est sous blocus depuis plusieurs mois et son ravitaillement dépend de convois escortés par l'armée.</p>
        <p>Aucun groupe n'avait revendiqué l'attaque lundi soir.</p></article>
        <footer>© journal</footer></body></html>"#;
    let (base, log) = server::start(routes(move |req| match req.path.as_str() {
        "/feed" => Reply::ok(
            "application/rss+xml",
            r#"<rss version="2.0"><channel><title>t</title><item><title>Burkina : attaque à Djibo</title><link>/article/1</link><guid>djibo-1</guid></item></channel></rss>"#,
        ),
        "/article/1" => Reply::ok("text/html; charset=utf-8", page),
        _ => Reply::status(404, &[]),
    }))
    .await;
    let store = Store::temporary().unwrap();
    let text = format!("[[source]]\nname = \"s\"\nurl = \"{base}/feed\"\nfetch_article = true\n");
    let src = Config::parse(&text, "t.toml", &|_| None)
        .unwrap()
        .0
        .sources
        .remove(0);
    let mut p = poller(src, &store, Duration::from_secs(3600));
    let polled = p.poll_once().await;
    let SourceItem::Article(a) = &polled.items[0] else {
        panic!()
    };
    assert!(
        a.text.contains("tuant au moins douze soldats"),
        "{}",
        a.text
    );
    assert!(
        !a.text.contains("Accueil"),
        "navigation is not article text: {}",
        a.text
    );
    // Once the pipeline stored the item, its page is not fetched again.
    store
        .insert_article_if_new(a, sitrep::source::canonical_url(&a.url).as_deref())
        .unwrap();
    p.poll_once().await;
    let pages = log
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.path == "/article/1")
        .count();
    assert_eq!(pages, 1);
}
