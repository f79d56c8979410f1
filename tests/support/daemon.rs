//! Starting and stopping the real `sitrep run` in the end-to-end tests.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// Starts `sitrep run --config CONFIG` with these environment variables; stderr is captured.
pub fn start(config: &Path, env: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(["run", "--config", config.to_str().unwrap()])
        .env("SITREP_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Sends SIGTERM and waits for the exit; asserts a clean exit and returns what it printed.
pub async fn stop(child: Child) -> String {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out: Output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "graceful shutdown exits 0: {stderr}"
    );
    stderr
}

/// Waits until the daemon listening on `port` has started: `/healthz` answers with another
/// status than `starting` (the 503 it gives while the store is compacted and opened). Returns
/// that answer: (status code, body).
pub async fn wait_started(port: u16) -> (u16, serde_json::Value) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            let code = r.status().as_u16();
            if let Ok(body) = r.json::<serde_json::Value>().await
                && body["status"] != "starting"
            {
                return (code, body);
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the daemon on port {port} never finished starting"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
