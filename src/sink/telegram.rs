//! Telegram through teloxide: HTML parse mode with every piece of feed text escaped, link previews
//! off, forum topics (`message_thread_id`), the sources as inline keyboard buttons, edits with
//! `editMessageText`, replies with `reply_parameters`. The API address comes from the config so
//! tests can point it at a local fake.
//!
//! An alert with a map goes out as a photo with the card as its caption when the card fits in
//! Telegram's caption limit; otherwise as the text message, followed by the photo alone. A
//! captioned photo is edited with `editMessageMedia`, picture and caption together, so that a
//! new place or severity moves or recolours the marker (`editMessageCaption` when maps were
//! turned off since).

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMedia, InputMediaPhoto,
    LinkPreviewOptions, MessageId, ParseMode, ReplyParameters, ThreadId,
};
use teloxide::{ApiError, RequestError};

use super::Rendered;
use crate::config::Secret;
use crate::deliver::failure::Failure;
use crate::deliver::format;
use crate::store::records::MessageForm;

pub struct TelegramSink {
    bot: Bot,
}

impl TelegramSink {
    pub fn new(token: &Secret, api_url: &str) -> Result<TelegramSink, String> {
        let url = reqwest::Url::parse(api_url)
            .map_err(|e| format!("[telegram] api_url {api_url:?}: {e}"))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(TelegramSink {
            bot: Bot::with_client(token.expose(), client).set_api_url(url),
        })
    }

    fn keyboard(msg: &Rendered) -> Option<InlineKeyboardMarkup> {
        let buttons: Vec<Vec<InlineKeyboardButton>> = msg
            .links
            .iter()
            .filter_map(|(label, url)| {
                reqwest::Url::parse(url)
                    .ok()
                    .map(|u| vec![InlineKeyboardButton::url(label.clone(), u)])
            })
            .collect();
        (!buttons.is_empty()).then(|| InlineKeyboardMarkup::new(buttons))
    }

    fn no_preview() -> LinkPreviewOptions {
        LinkPreviewOptions {
            is_disabled: true,
            url: None,
            prefer_small_media: false,
            prefer_large_media: false,
            show_above_text: false,
        }
    }

    /// Sends an alert; returns its message id (the text message when the photo follows it) and
    /// how it went out.
    pub async fn send(
        &self,
        chat: i64,
        topic: Option<i32>,
        msg: &Rendered,
        reply_to: Option<&String>,
    ) -> Result<(String, MessageForm), Failure> {
        let reply_to = reply_to.and_then(|r| r.parse::<i32>().ok());
        if let Some(png) = &msg.map
            && format::caption_len(&msg.telegram_html) <= format::TELEGRAM_CAPTION_MAX
        {
            let mut req = self
                .bot
                .send_photo(ChatId(chat), map_file(png))
                .caption(msg.telegram_html.clone())
                .parse_mode(ParseMode::Html);
            if let Some(t) = topic {
                req = req.message_thread_id(ThreadId(MessageId(t)));
            }
            if let Some(id) = reply_to {
                req = req.reply_parameters(ReplyParameters::new(MessageId(id)));
            }
            if let Some(k) = Self::keyboard(msg) {
                req = req.reply_markup(k);
            }
            let sent = req.await.map_err(failure)?;
            return Ok((sent.id.0.to_string(), MessageForm::Caption));
        }
        let mut req = self
            .bot
            .send_message(ChatId(chat), msg.telegram_html.clone())
            .parse_mode(ParseMode::Html)
            .link_preview_options(Self::no_preview());
        if let Some(t) = topic {
            req = req.message_thread_id(ThreadId(MessageId(t)));
        }
        if let Some(id) = reply_to {
            req = req.reply_parameters(ReplyParameters::new(MessageId(id)));
        }
        if let Some(k) = Self::keyboard(msg) {
            req = req.reply_markup(k);
        }
        let sent = req.await.map_err(failure)?;
        if let Some(png) = &msg.map {
            // The card is too long for a caption: the picture follows it. The alert is already
            // delivered, so a failure here costs the picture only, never a second alert.
            let mut photo = self.bot.send_photo(ChatId(chat), map_file(png));
            if let Some(t) = topic {
                photo = photo.message_thread_id(ThreadId(MessageId(t)));
            }
            if let Err(e) = photo.await {
                tracing::warn!(chat, error = %failure(e).description, "map picture not sent after the alert");
            }
        }
        Ok((sent.id.0.to_string(), MessageForm::Text))
    }

    /// Updates an alert: its text, or its picture and caption when it was sent as a captioned
    /// photo.
    pub async fn edit(
        &self,
        chat: i64,
        message_id: &str,
        form: MessageForm,
        msg: &Rendered,
    ) -> Result<(), Failure> {
        let id = message_id.parse::<i32>().map_err(|_| Failure {
            description: format!("Bad Request: message to edit not found ({message_id:?})"),
            ..Default::default()
        })?;
        let keyboard = Self::keyboard(msg);
        match form {
            MessageForm::Caption if msg.map.is_some() => {
                let png = msg.map.as_deref().expect("checked above");
                let photo = InputMediaPhoto::new(map_file(png))
                    .caption(msg.telegram_caption.clone())
                    .parse_mode(ParseMode::Html);
                let mut req = self.bot.edit_message_media(
                    ChatId(chat),
                    MessageId(id),
                    InputMedia::Photo(photo),
                );
                if let Some(k) = keyboard {
                    req = req.reply_markup(k);
                }
                req.await.map(|_| ()).map_err(failure)
            }
            MessageForm::Caption => {
                let mut req = self
                    .bot
                    .edit_message_caption(ChatId(chat), MessageId(id))
                    .caption(msg.telegram_caption.clone())
                    .parse_mode(ParseMode::Html);
                if let Some(k) = keyboard {
                    req = req.reply_markup(k);
                }
                req.await.map(|_| ()).map_err(failure)
            }
            MessageForm::Text => {
                let mut req = self
                    .bot
                    .edit_message_text(ChatId(chat), MessageId(id), msg.telegram_html.clone())
                    .parse_mode(ParseMode::Html)
                    .link_preview_options(Self::no_preview());
                if let Some(k) = keyboard {
                    req = req.reply_markup(k);
                }
                req.await.map(|_| ()).map_err(failure)
            }
        }
    }
}

/// The map picture as an upload.
fn map_file(png: &[u8]) -> InputFile {
    InputFile::memory(png.to_vec()).file_name("map.png")
}

/// teloxide's error in the shared terms of [`Failure`].
fn failure(e: RequestError) -> Failure {
    match e {
        RequestError::RetryAfter(s) => Failure {
            status: Some(429),
            retry_after: Some(s.duration()),
            description: "Too Many Requests".into(),
            ..Default::default()
        },
        RequestError::MigrateToChatId(to) => Failure {
            status: Some(400),
            migrate_to: Some(to.0),
            description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
            ..Default::default()
        },
        // reqwest's message names the URL, and a Bot API URL holds the token: never show it.
        RequestError::Network(e) => Failure {
            network: true,
            status: e.status().map(|s| s.as_u16()),
            description: if e.is_timeout() {
                "telegram: timed out".into()
            } else if e.is_connect() {
                "telegram: connection failed".into()
            } else {
                format!(
                    "telegram: network error{}",
                    e.status()
                        .map(|s| format!(" (HTTP {s})"))
                        .unwrap_or_default()
                )
            },
            ..Default::default()
        },
        RequestError::Api(api) => {
            let description = api.to_string();
            let status = match api {
                ApiError::BotBlocked
                | ApiError::BotKicked
                | ApiError::BotKickedFromSupergroup
                | ApiError::BotKickedFromChannel => Some(403),
                // "Unauthorized": the token was revoked or is wrong.
                ApiError::InvalidToken => Some(401),
                ApiError::Unknown(ref d) if d.starts_with("Internal") || d.contains("Gateway") => {
                    Some(500)
                }
                _ => Some(400),
            };
            Failure {
                status,
                description,
                ..Default::default()
            }
        }
        RequestError::InvalidJson { .. } => Failure {
            network: true,
            description: "telegram: unreadable answer".into(),
            ..Default::default()
        },
        RequestError::Io(_) => Failure {
            network: true,
            description: "telegram: I/O error".into(),
            ..Default::default()
        },
    }
}
