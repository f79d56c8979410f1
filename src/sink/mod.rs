//! The platforms alerts go to (Telegram, Discord; the console is `sitrep run`'s standard output). Platform types appear only here: the delivery worker sees rendered
//! messages, message ids as strings, and failures in shared terms ([`crate::deliver::failure`]).

pub mod discord;
pub mod telegram;

use std::sync::Arc;

use crate::deliver::failure::Failure;
use crate::deliver::format;
use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::incident::IncidentRecord;
use crate::model::Target;
use crate::store::records::MessageForm;

/// One alert rendered for every platform.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub telegram_html: String,
    /// The card as a photo caption, within Telegram's caption limit.
    pub telegram_caption: String,
    pub discord: serde_json::Value,
    /// The map picture (PNG), when maps are on and the incident has coordinates.
    pub map: Option<Arc<[u8]>>,
    /// (label, url) of the sources, for Telegram's inline keyboard.
    pub links: Vec<(String, String)>,
    /// Discord create nonce: the same for every retry of one delivery.
    pub nonce: String,
}

impl Rendered {
    /// `unverified`: sent because it is critical, below the channel's verification threshold.
    /// Every text in `lang`.
    pub fn new(record: &IncidentRecord, gaz: &Gazetteer, unverified: bool, lang: Lang) -> Rendered {
        let banner = unverified.then(|| lang.text("card-banner-unverified"));
        let mut links: Vec<(String, String)> = Vec::new();
        for s in &record.incident.sources {
            if s.url.starts_with("http") && !links.iter().any(|(_, u)| *u == s.url) {
                links.push((format::truncate(&s.outlet, 30), s.url.clone()));
            }
        }
        links.truncate(6);
        Rendered {
            telegram_html: format::telegram_html(record, gaz, banner, lang),
            telegram_caption: format::telegram_caption(record, gaz, banner, lang),
            discord: format::discord_message(record, gaz, banner, lang),
            map: None,
            links,
            nonce: String::new(),
        }
    }
}

impl Rendered {
    /// A plain operator notice, escaped for Telegram and unable to mention anyone on Discord;
    /// never with a map.
    pub fn notice(text: &str) -> Rendered {
        Rendered {
            telegram_html: format::escape_html(&format::truncate(text, format::TELEGRAM_MAX - 100)),
            // Notices carry no map and are never edited: no caption.
            telegram_caption: String::new(),
            map: None,
            discord: serde_json::json!({
                "content": format::truncate(text, 2000),
                "allowed_mentions": {"parse": []},
            }),
            links: Vec::new(),
            nonce: String::new(),
        }
    }
}

impl Rendered {
    /// A channel's daily digest: its first line as the heading (bold on Telegram, the embed's
    /// title on Discord), the rest as the body; the map, when drawn, is set by the caller.
    pub fn digest(text: &str) -> Rendered {
        let (head, body) = text.split_once('\n').unwrap_or((text, ""));
        let html = if body.is_empty() {
            format!("<b>{}</b>", format::escape_html(head))
        } else {
            format!(
                "<b>{}</b>\n{}",
                format::escape_html(head),
                format::escape_html(&format::truncate(body, format::TELEGRAM_MAX - 400))
            )
        };
        let mut embed = serde_json::json!({
            "title": format::truncate(head, format::DISCORD_TITLE_MAX),
            "color": 0x455A64,
        });
        if !body.is_empty() {
            embed["description"] =
                format::truncate(body, format::DISCORD_DESCRIPTION_MAX - 96).into();
        }
        Rendered {
            telegram_html: html,
            telegram_caption: String::new(),
            discord: serde_json::json!({
                "embeds": [embed],
                "allowed_mentions": {"parse": []},
            }),
            map: None,
            links: Vec::new(),
            nonce: String::new(),
        }
    }
}

/// The configured platforms.
#[derive(Default)]
pub struct Sinks {
    pub telegram: Option<telegram::TelegramSink>,
    pub discord: Option<discord::DiscordSink>,
}

fn not_configured(platform: &str) -> Failure {
    Failure {
        description: format!("{platform} is not configured"),
        ..Default::default()
    }
}

impl Sinks {
    /// Sends a new message (a reply when `reply_to` is given); returns its id and how it went
    /// out (a Telegram alert with a map is a captioned photo when the card fits).
    pub async fn send(
        &self,
        target: &Target,
        msg: &Rendered,
        reply_to: Option<&String>,
    ) -> Result<(String, MessageForm), Failure> {
        match target {
            Target::Telegram { chat, topic } => match &self.telegram {
                Some(t) => t.send(*chat, *topic, msg, reply_to).await,
                None => Err(not_configured("telegram")),
            },
            Target::Discord { channel } => match &self.discord {
                Some(d) => d
                    .send(*channel, msg, reply_to)
                    .await
                    .map(|id| (id, MessageForm::Text)),
                None => Err(not_configured("discord")),
            },
        }
    }

    /// Replaces the text (or the caption, by `form`) of a message sent before.
    pub async fn edit(
        &self,
        target: &Target,
        message_id: &str,
        form: MessageForm,
        msg: &Rendered,
    ) -> Result<(), Failure> {
        match target {
            Target::Telegram { chat, .. } => match &self.telegram {
                Some(t) => t.edit(*chat, message_id, form, msg).await,
                None => Err(not_configured("telegram")),
            },
            Target::Discord { channel } => match &self.discord {
                Some(d) => d.edit(*channel, message_id, msg).await,
                None => Err(not_configured("discord")),
            },
        }
    }
}
