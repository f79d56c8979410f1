//! A fake Discord API for the end-to-end tests: a message create gets a new id, an edit answers
//! the message it names, and every request is recorded (uploads included, see
//! [`super::multipart`]); it can refuse the token (401) on demand.

#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::multipart;
use super::server::{self, Reply, Request};

/// The channel the fake's messages belong to.
pub const CHANNEL: &str = "290926798999357250";

/// The id of the first message created.
pub const FIRST_MESSAGE: u64 = 900_000_000_000_000_001;

/// Starts the fake; returns its base URL and the requests it received.
pub async fn start() -> (String, Arc<Mutex<Vec<Request>>>) {
    start_refusing(Arc::new(AtomicBool::new(false))).await
}

/// Starts the fake; while `refuse` is set it answers every request as Discord answers a revoked
/// token (401, `{"message": "401: Unauthorized", "code": 0}`).
pub async fn start_refusing(refuse: Arc<AtomicBool>) -> (String, Arc<Mutex<Vec<Request>>>) {
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/discord/message.json").unwrap(),
    )
    .unwrap();
    let next = AtomicU64::new(FIRST_MESSAGE);
    server::start(Arc::new(move |req: &Request| {
        if refuse.load(Ordering::SeqCst) {
            return Reply::Full {
                status: 401,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: br#"{"message": "401: Unauthorized", "code": 0}"#.to_vec(),
            };
        }
        let body = multipart::fields(req);
        let mut msg = template.clone();
        let id = match req.method.as_str() {
            "POST" => next.fetch_add(1, Ordering::SeqCst).to_string(),
            _ => req.path.rsplit('/').next().unwrap_or("1").to_string(),
        };
        msg["id"] = id.into();
        msg["channel_id"] = CHANNEL.into();
        msg["content"] = body["content"].clone();
        msg["embeds"] = serde_json::json!([]);
        msg.as_object_mut().unwrap().remove("reactions");
        Reply::ok("application/json", msg.to_string())
    }))
    .await
}
