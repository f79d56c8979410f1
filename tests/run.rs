//! `sitrep run` end to end: a local feed server, the real binary, an alert on standard output, and
//! a graceful exit on SIGTERM with the store flushed.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use support::server::{self, Reply};

#[tokio::test]
async fn run_polls_alerts_and_stops_cleanly_on_sigterm() {
    let feed = std::fs::read_to_string("data/demo/rfi.xml").unwrap();
    let (base, _) = server::start(Arc::new(move |_req| {
        Reply::ok("application/rss+xml", feed.clone())
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n\n[pipeline]\nmax_article_age = \"100000h\"\n\n[http]\nlisten = \"127.0.0.1:0\"\n\n[[source]]\nname = \"rfi\"\nurl = \"{base}/rfi.xml\"\ninterval = \"10s\"\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["run", "--config", config.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        lines.next().map(|l| l.unwrap())
    });
    let line = tokio::time::timeout(Duration::from_secs(15), first)
        .await
        .expect("an alert within 15 s")
        .unwrap()
        .expect("a line");
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["event"], "new");
    assert_eq!(event["incident"]["id"], "ML-20250601-boulkessi");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "graceful shutdown exits 0: {stderr}"
    );

    // `sitrep sources` on the store the daemon left: the row of source `rfi`.
    let rfi_row = |config: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["sources", "--config", config.to_str().unwrap()])
            .output()
            .unwrap();
        let table = String::from_utf8_lossy(&out.stdout).into_owned();
        table
            .lines()
            .find(|l| l.starts_with("rfi "))
            .unwrap_or_else(|| panic!("no rfi row in\n{table}"))
            .to_string()
    };
    let row = rfi_row(&config);
    assert!(row.contains(" 0 "), "{row}");

    // Once removed from the config, the source is listed as such, with its history.
    let without = dir.path().join("without-rfi.toml");
    std::fs::write(
        &without,
        format!(
            "[store]\npath = \"{}\"\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let row = rfi_row(&without);
    assert!(row.contains("not in config"), "{row}");
}

/// The example config as shipped, but for what must not leave the test: its sources read a local
/// server, its store lives in `dir`, its HTTP server takes a free port.
fn local_example(dir: &std::path::Path, base: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("config/sitrep.example.toml").unwrap();
    let mut out = String::new();
    let mut sources = 0;
    for line in text.lines() {
        let line = if line.starts_with("url = ") {
            sources += 1;
            format!("url = \"{base}/feed-{sources}.xml\"")
        } else if line.starts_with("path = \"sitrep-data\"") {
            format!("path = \"{}\"", dir.join("data").display())
        } else if line.starts_with("listen = ") {
            "listen = \"127.0.0.1:0\"".to_string()
        } else {
            line.to_string()
        };
        assert!(
            line.starts_with('#') || !line.contains("https://"),
            "the test would reach the internet: {line}"
        );
        out.push_str(&line);
        out.push('\n');
    }
    assert!(sources >= 1, "the example has sources");
    let path = dir.join("example.toml");
    std::fs::write(&path, out).unwrap();
    path
}

#[tokio::test]
async fn the_example_config_runs_in_a_fresh_shell_with_alerts_on_stdout() {
    // The demo feed, dated now (the example alerts on items up to 72 h old), linking to the server.
    let now = chrono::Utc::now().to_rfc2822();
    let template = std::fs::read_to_string("data/demo/rfi.xml").unwrap();
    let dated = template
        .lines()
        .map(|l| match l.trim_start().starts_with("<pubDate>") {
            true => format!("      <pubDate>{now}</pubDate>"),
            false => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The links too: a source with `fetch_article = true` fetches the linked pages.
    let base_cell: Arc<std::sync::OnceLock<String>> = Arc::default();
    let base_in_routes = base_cell.clone();
    let routes: server::Routes = Arc::new(move |req| {
        if req.path.ends_with(".xml") {
            let base = base_in_routes
                .get()
                .expect("base set before the first poll");
            let feed = dated.replace("https://www.rfi.example", base);
            Reply::ok("application/rss+xml", feed)
        } else {
            Reply::ok("text/html", "<html><body><p>Page.</p></body></html>")
        }
    });
    let (base, requests) = server::start(routes).await;
    base_cell.set(base.clone()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = local_example(dir.path(), &base);

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(["run", "--config", config.to_str().unwrap()])
        .env("SITREP_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A fresh shell: no token of any platform.
    for (var, _) in std::env::vars() {
        if var.starts_with("SITREP_") && var.ends_with("_TOKEN") {
            cmd.env_remove(var);
        }
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        lines.next().map(|l| l.unwrap())
    });
    let line = tokio::time::timeout(Duration::from_secs(20), first)
        .await
        .expect("an alert within 20 s")
        .unwrap()
        .expect("a line");
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["event"], "new", "{line}");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "graceful shutdown: {stderr}");
    assert!(stderr.contains("no chat platform configured"), "{stderr}");
    assert!(stderr.contains("sitrep starting"), "{stderr}");
    assert!(stderr.contains("none (console)"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(
        !stderr.contains("ERROR"),
        "a newcomer's first run logs no error: {stderr}"
    );
    assert!(
        !stderr.contains("rfi.example"),
        "every request stays on the local server: {stderr}"
    );
    let requests = requests.lock().unwrap();
    assert!(
        requests.iter().any(|r| r.path.ends_with(".xml")),
        "the sources were polled"
    );
}
