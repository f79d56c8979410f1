//! The platforms alerts go to. Platform types appear only here: the delivery worker sees rendered
//! messages, message ids as strings, and failures in shared terms ([`crate::deliver::failure`]).

pub mod telegram;

use crate::deliver::failure::Failure;
use crate::deliver::format;
use crate::extract::Gazetteer;
use crate::incident::IncidentRecord;
use crate::model::Target;

/// One alert rendered for every platform.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub telegram_html: String,
    pub discord: serde_json::Value,
    /// (label, url) of the sources, for Telegram's inline keyboard.
    pub links: Vec<(String, String)>,
}

impl Rendered {
    /// `unverified`: sent because it is critical, below the channel's verification threshold.
    pub fn new(record: &IncidentRecord, gaz: &Gazetteer, unverified: bool) -> Rendered {
        let banner = unverified
            .then_some("⚠️ UNVERIFIED: critical, not yet confirmed by independent sources");
        let mut links: Vec<(String, String)> = Vec::new();
        for s in &record.incident.sources {
            if s.url.starts_with("http") && !links.iter().any(|(_, u)| *u == s.url) {
                links.push((format::truncate(&s.outlet, 30), s.url.clone()));
            }
        }
        links.truncate(6);
        Rendered {
            telegram_html: format::telegram_html(record, gaz, banner),
            discord: format::discord_message(record, gaz, banner),
            links,
        }
    }
}

/// The configured platforms.
#[derive(Default)]
pub struct Sinks {
    pub telegram: Option<telegram::TelegramSink>,
}

fn not_configured(platform: &str) -> Failure {
    Failure {
        description: format!("{platform} is not configured"),
        ..Default::default()
    }
}

impl Sinks {
    /// Sends a new message (a reply when `reply_to` is given); returns its id.
    pub async fn send(
        &self,
        target: &Target,
        msg: &Rendered,
        reply_to: Option<&String>,
    ) -> Result<String, Failure> {
        match target {
            Target::Telegram { chat, topic } => match &self.telegram {
                Some(t) => t.send(*chat, *topic, msg, reply_to).await,
                None => Err(not_configured("telegram")),
            },
            Target::Discord { .. } => Err(not_configured("discord")),
        }
    }

    /// Replaces the text of a message sent before.
    pub async fn edit(
        &self,
        target: &Target,
        message_id: &str,
        msg: &Rendered,
    ) -> Result<(), Failure> {
        match target {
            Target::Telegram { chat, .. } => match &self.telegram {
                Some(t) => t.edit(*chat, message_id, msg).await,
                None => Err(not_configured("telegram")),
            },
            Target::Discord { .. } => Err(not_configured("discord")),
        }
    }
}
