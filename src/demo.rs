//! `sitrep demo`: the offline showcase. Serves the bundled sample feeds (the seed article among
//! them, with follow-up reports in English and French) from a loopback HTTP server, fetches them
//! like a source would, runs the real pipeline into a temporary store, and prints each alert as a
//! card, followed by what `/recent` would answer.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::deliver::format;
use crate::extract::Gazetteer;
use crate::model::{Article, EventKind};
use crate::pipeline::Pipeline;
use crate::source::feed::{FeedContext, parse_feed};
use crate::store::Store;

/// `println!` that returns the error (standard output closed: `sitrep demo | head`) instead of
/// panicking; the command line ends quietly on it.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*).context("standard output")?
    };
}

/// The bundled feeds: (path served, source name, family, body).
const FEEDS: &[(&str, &str, &str, &str)] = &[
    (
        "/wire.xml",
        "wire-desk",
        "wire-desk",
        include_str!("../data/demo/wire.xml"),
    ),
    (
        "/rfi.xml",
        "rfi-afrique",
        "rfi",
        include_str!("../data/demo/rfi.xml"),
    ),
    (
        "/local.xml",
        "studio-tamani",
        "studiotamani",
        include_str!("../data/demo/local.xml"),
    ),
];

/// The demo's clock: the feeds are archived, so the pipeline runs as of this time.
const AS_OF: &str = "2025-06-04T12:00:00Z";

pub fn run() -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    rt.block_on(run_async())
}

async fn run_async() -> Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("bind a loopback port")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(serve(listener));
    outln!(
        "sitrep demo: serving {} sample feeds on http://{addr} (no network, no tokens)\n",
        FEEDS.len()
    );

    let mut articles = fetch_feeds(&addr.to_string()).await?;
    server.abort();
    articles.sort_by_key(|a| a.published);

    let now: DateTime<Utc> = AS_OF.parse().expect("valid demo clock");
    let store = Store::temporary()?;
    let gaz = Gazetteer::bundled();
    let mut pipeline = Pipeline::new(
        store.clone(),
        gaz,
        std::time::Duration::from_secs(30 * 24 * 3600),
    )
    .with_as_of(Some(now));
    outln!("\n── alerts ─────────────────────────────────────────────────────");
    for a in &articles {
        print_alerts(a, &mut pipeline, &store, gaz)?;
    }
    let c = pipeline.counts;
    outln!(
        "\n{} articles read, {} duplicates dropped, {} republications counted for their original outlet, {} incidents, {} updates",
        c.articles,
        c.duplicates,
        c.near_duplicates,
        c.incidents_new,
        c.incidents_updated
    );
    outln!("\n── /recent ────────────────────────────────────────────────────");
    let mut all = store.all_incidents()?;
    all.sort_by(|a, b| {
        (b.incident.date, b.incident.updated).cmp(&(a.incident.date, a.incident.updated))
    });
    for r in all.iter().take(10) {
        outln!(
            "{}",
            format::recent_line(&r.incident, gaz, crate::i18n::Lang::En)
        );
    }
    Ok(())
}

/// Fetches the bundled feeds from the demo's own server at `addr`.
async fn fetch_feeds(addr: &str) -> Result<Vec<Article>> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .context("http client")?;
    let mut articles: Vec<Article> = Vec::new();
    for (path, name, family, _) in FEEDS {
        let url = format!("http://{addr}{path}");
        let body = client
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let ctx = FeedContext {
            source: name,
            url: Some(&url),
            family,
            lang: None,
        };
        let items = parse_feed(&body, &ctx).with_context(|| format!("feed {url}"))?;
        outln!("fetched {url}: {} items", items.len());
        articles.extend(items);
    }
    Ok(articles)
}

/// Runs one article through the pipeline and prints the card of each alert it causes.
fn print_alerts(
    a: &Article,
    pipeline: &mut Pipeline<'_>,
    store: &Store,
    gaz: &Gazetteer,
) -> Result<()> {
    for ev in pipeline.ingest(a)?.events {
        let record = store
            .incident(&ev.incident.id)?
            .context("stored incident")?;
        match ev.event {
            EventKind::New => outln!("\nNEW  (from {}: {})", a.source, a.title),
            EventKind::Update => {
                let changes: Vec<String> = ev
                    .changes
                    .iter()
                    .map(|c| format!("{c:?}").to_lowercase())
                    .collect();
                outln!(
                    "\nUPDATE [{}]  (from {}: {})",
                    changes.join(", "),
                    a.source,
                    a.title
                )
            }
        }
        outln!("{}", format::card(&record, gaz, crate::i18n::Lang::En));
    }
    Ok(())
}

/// A minimal HTTP/1.1 server for the bundled feeds.
async fn serve(listener: tokio::net::TcpListener) {
    while let Ok((mut sock, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let path = req.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = match FEEDS.iter().find(|f| f.0 == path) {
                Some(f) => ("200 OK", f.3),
                None => ("404 Not Found", "not found"),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(body.as_bytes()).await;
        });
    }
}
