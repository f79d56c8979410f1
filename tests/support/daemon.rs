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
