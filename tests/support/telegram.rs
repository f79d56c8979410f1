//! A fake Telegram Bot API for the tests and the fan-out benchmark: it answers sendMessage,
//! sendPhoto (a multipart upload), editMessageText and editMessageCaption like the real one, can
//! enforce Telegram's rate limits with real 429 bodies, and can fail on demand per chat (blocked,
//! migrated, server errors, deleted messages) or for every request (a revoked token: 401).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::multipart;
use super::server::{self, Reply, Request};

/// How the fake misbehaves.
#[derive(Default)]
pub struct Behaviour {
    /// Answer 429 when a sender goes over 30 messages a second overall, one a second per private
    /// chat, or 20 a minute per group.
    pub enforce_limits: bool,
    /// Chats that blocked the bot.
    pub blocked: Vec<i64>,
    /// Groups that became supergroups: old id -> new id.
    pub migrated: HashMap<i64, i64>,
    /// Chats whose next N requests fail with 502.
    pub failing: HashMap<i64, usize>,
    /// Message ids that were deleted (editing them fails).
    pub deleted: Vec<i64>,
    /// The bot token was revoked: every method answers 401 Unauthorized, as the Bot API does.
    pub unauthorized: bool,
}

#[derive(Default)]
struct State {
    next_id: i64,
    global: Vec<Instant>,
    per_chat: HashMap<i64, Vec<Instant>>,
    /// Accepted sends (messages and photos): (chat, message id, text or caption).
    pub accepted: Vec<(i64, i64, String)>,
    /// Photos sent, or put in place of a message's photo by an edit: (chat, message id, caption, file bytes).
    pub photos: Vec<(i64, i64, String, Vec<u8>)>,
    pub rate_limited: usize,
}

/// A running fake.
pub struct FakeTelegram {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
    state: Arc<Mutex<State>>,
    pub behaviour: Arc<Mutex<Behaviour>>,
}

fn json(status: u16, body: serde_json::Value) -> Reply {
    Reply::Full {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string().into_bytes(),
    }
}

fn error(code: u16, description: &str, parameters: Option<serde_json::Value>) -> Reply {
    let mut b = serde_json::json!({"ok": false, "error_code": code, "description": description});
    if let Some(p) = parameters {
        b["parameters"] = p;
    }
    json(code, b)
}

impl FakeTelegram {
    pub async fn start(behaviour: Behaviour) -> FakeTelegram {
        let state: Arc<Mutex<State>> = Arc::new(Mutex::new(State {
            next_id: 1,
            ..Default::default()
        }));
        let behaviour = Arc::new(Mutex::new(behaviour));
        let (s, b) = (state.clone(), behaviour.clone());
        let (url, requests) =
            server::start(Arc::new(move |req: &Request| answer(req, &s, &b))).await;
        FakeTelegram {
            url,
            requests,
            state,
            behaviour,
        }
    }

    /// Accepted sends (messages and photos): (chat, message id, text or caption).
    pub fn accepted(&self) -> Vec<(i64, i64, String)> {
        self.state.lock().unwrap().accepted.clone()
    }

    /// Photos sent, or put in place of a message's photo by an edit: (chat, message id, caption, file bytes).
    pub fn photos(&self) -> Vec<(i64, i64, String, Vec<u8>)> {
        self.state.lock().unwrap().photos.clone()
    }

    /// The methods called, lowercased, in order.
    pub fn methods(&self) -> Vec<String> {
        self.requests.lock().unwrap().iter().map(method).collect()
    }

    pub fn rate_limited(&self) -> usize {
        self.state.lock().unwrap().rate_limited
    }
}

/// The Bot API method of a request, lowercased.
pub fn method(req: &Request) -> String {
    req.path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn answer(req: &Request, state: &Mutex<State>, behaviour: &Mutex<Behaviour>) -> Reply {
    let method = method(req);
    let body = multipart::fields(req);
    let chat = body["chat_id"].as_i64().unwrap_or(0);
    let mut b = behaviour.lock().unwrap();
    let mut st = state.lock().unwrap();
    if b.unauthorized {
        return error(401, "Unauthorized", None);
    }
    if b.blocked.contains(&chat) {
        return error(403, "Forbidden: bot was blocked by the user", None);
    }
    if let Some(to) = b.migrated.get(&chat) {
        return error(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            Some(serde_json::json!({"migrate_to_chat_id": to})),
        );
    }
    if let Some(n) = b.failing.get_mut(&chat)
        && *n > 0
    {
        *n -= 1;
        return error(502, "Bad Gateway", None);
    }
    if b.enforce_limits {
        let now = Instant::now();
        st.global
            .retain(|t| now.duration_since(*t) < Duration::from_secs(1));
        let window = if chat < 0 {
            Duration::from_secs(60)
        } else {
            Duration::from_secs(1)
        };
        let cap = if chat < 0 { 20 } else { 1 };
        let recent = st.per_chat.entry(chat).or_default();
        recent.retain(|t| now.duration_since(*t) < window);
        let over_chat = recent.len() >= cap;
        if over_chat || st.global.len() >= 30 {
            st.rate_limited += 1;
            let wait = if over_chat {
                window.as_secs().max(1)
            } else {
                1
            };
            return error(
                429,
                &format!("Too Many Requests: retry after {wait}"),
                Some(serde_json::json!({"retry_after": wait})),
            );
        }
        st.global.push(now);
        st.per_chat.entry(chat).or_default().push(now);
    }
    let text = body["text"]
        .as_str()
        .or(body["caption"].as_str())
        .or(body["media"]["caption"].as_str())
        .unwrap_or("")
        .to_string();
    let id = match method.as_str() {
        "sendmessage" => {
            let id = st.next_id;
            st.next_id += 1;
            st.accepted.push((chat, id, text.clone()));
            id
        }
        "sendphoto" => {
            let Some((_, png)) = multipart::telegram_photo(req) else {
                return error(400, "Bad Request: there is no photo in the request", None);
            };
            let id = st.next_id;
            st.next_id += 1;
            st.accepted.push((chat, id, text.clone()));
            st.photos.push((chat, id, text.clone(), png));
            id
        }
        "editmessagemedia" => {
            let part = body["media"]["media"]
                .as_str()
                .and_then(|m| m.strip_prefix("attach://"))
                .unwrap_or_default()
                .to_string();
            let Some((_, _, png)) = multipart::files(req).into_iter().find(|f| f.0 == part) else {
                return error(400, "Bad Request: there is no media in the request", None);
            };
            let id = body["message_id"].as_i64().unwrap_or(0);
            if b.deleted.contains(&id) {
                return error(400, "Bad Request: message to edit not found", None);
            }
            st.photos.push((chat, id, text.clone(), png));
            id
        }
        "editmessagetext" | "editmessagecaption" => {
            let id = body["message_id"].as_i64().unwrap_or(0);
            if b.deleted.contains(&id) {
                return error(400, "Bad Request: message to edit not found", None);
            }
            id
        }
        _ => return error(404, "Not Found", None),
    };
    let mut result = serde_json::json!({
        "message_id": id,
        "date": 1_750_000_000,
        "chat": {"id": chat, "title": "chat", "type": if chat < 0 { "supergroup" } else { "private" }},
    });
    if matches!(
        method.as_str(),
        "sendphoto" | "editmessagecaption" | "editmessagemedia"
    ) {
        result["photo"] = serde_json::json!([{"file_id": "map", "file_unique_id": "map", "width": 640, "height": 400}]);
        result["caption"] = text.into();
    } else {
        result["text"] = text.into();
    }
    json(200, serde_json::json!({"ok": true, "result": result}))
}
