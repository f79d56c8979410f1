//! Discord through serenity's HTTP client: one embed coloured by severity, `allowed_mentions`
//! empty so nothing in a headline can ping anyone, a nonce with `enforce_nonce` so a retried
//! create cannot post twice, message edits on update, replies by message reference. In production
//! serenity's rate limiter stays on; when `api_url` points elsewhere (a test's fake API), requests
//! go there through serenity's proxy setting with the limiter off, as serenity requires.
//!
//! An alert with a map uploads it as `map.png` (multipart `files[0]`) and shows it as the embed's
//! image (`attachment://map.png`). An edit uploads the current picture again and lists only it in
//! `attachments`, which replaces the previous one: the embed keeps its picture, and the picture
//! follows the incident (a severity change recolours the marker).

use serenity::all::{ChannelId, CreateAttachment, MessageId};
use serenity::http::{Http, HttpBuilder};

use super::Rendered;
use crate::config::Secret;
use crate::deliver::failure::Failure;

/// Discord's public API address.
pub const DISCORD_API: &str = "https://discord.com";

/// File name of the map picture, and how the embed refers to it.
pub const MAP_FILE: &str = "map.png";
pub const MAP_URL: &str = "attachment://map.png";

pub struct DiscordSink {
    http: Http,
}

/// serenity's HTTP client for this token and API address (see the module docs).
pub fn serenity_http(token: &Secret, api_url: &str, application_id: u64) -> Http {
    let mut builder = HttpBuilder::new(token.expose());
    if application_id != 0 {
        builder = builder.application_id(serenity::all::ApplicationId::new(application_id));
    }
    if api_url.trim_end_matches('/') != DISCORD_API {
        builder = builder
            .proxy(api_url.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    builder.build()
}

impl DiscordSink {
    pub fn new(token: &Secret, api_url: &str) -> DiscordSink {
        DiscordSink {
            http: serenity_http(token, api_url, 0),
        }
    }

    pub async fn send(
        &self,
        channel: u64,
        msg: &Rendered,
        reply_to: Option<&String>,
    ) -> Result<String, Failure> {
        let mut body = msg.discord.clone();
        body["nonce"] = serde_json::Value::String(msg.nonce.clone());
        body["enforce_nonce"] = serde_json::Value::Bool(true);
        if let Some(id) = reply_to.and_then(|r| r.parse::<u64>().ok()) {
            body["message_reference"] =
                serde_json::json!({"message_id": id.to_string(), "fail_if_not_exists": false});
        }
        let files = with_map(&mut body, msg);
        let sent = self
            .http
            .send_message(ChannelId::new(channel.max(1)), files, &body)
            .await
            .map_err(failure)?;
        Ok(sent.id.get().to_string())
    }

    pub async fn edit(
        &self,
        channel: u64,
        message_id: &str,
        msg: &Rendered,
    ) -> Result<(), Failure> {
        let id = message_id
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Failure {
                code: Some(10008),
                description: format!("Unknown Message ({message_id:?})"),
                ..Default::default()
            })?;
        let mut body = msg.discord.clone();
        if let Some(obj) = body.as_object_mut() {
            obj.remove("nonce");
        }
        let files = with_map(&mut body, msg);
        self.http
            .edit_message(
                ChannelId::new(channel.max(1)),
                MessageId::new(id),
                &body,
                files,
            )
            .await
            .map(|_| ())
            .map_err(failure)
    }
}

/// The upload of the map picture, if the message has one, with the body pointing the embed's
/// image at it and listing it as the message's only attachment (serenity names the upload
/// `files[0]`, matching `id` 0).
fn with_map(body: &mut serde_json::Value, msg: &Rendered) -> Vec<CreateAttachment> {
    let Some(png) = &msg.map else {
        return Vec::new();
    };
    if let Some(embed) = body["embeds"].get_mut(0) {
        embed["image"] = serde_json::json!({ "url": MAP_URL });
    }
    body["attachments"] = serde_json::json!([{ "id": 0, "filename": MAP_FILE }]);
    vec![CreateAttachment::bytes(png.to_vec(), MAP_FILE)]
}

/// serenity's error in the shared terms of [`Failure`]; never its URL-bearing display.
fn failure(e: serenity::Error) -> Failure {
    use serenity::http::HttpError;
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            Failure {
                status: Some(status),
                code: u64::try_from(r.error.code).ok(),
                description: r.error.message.clone(),
                retry_after: (status == 429).then(|| std::time::Duration::from_secs(2)),
                ..Default::default()
            }
        }
        serenity::Error::Http(HttpError::Request(e)) => Failure {
            network: true,
            status: e.status().map(|s| s.as_u16()),
            description: if e.is_timeout() {
                "discord: timed out".into()
            } else {
                "discord: network error".into()
            },
            ..Default::default()
        },
        other => Failure {
            network: true,
            description: format!(
                "discord: {}",
                other
                    .to_string()
                    .split(" for url")
                    .next()
                    .unwrap_or("error")
            ),
            ..Default::default()
        },
    }
}
