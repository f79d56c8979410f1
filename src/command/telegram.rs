//! Commands on Telegram: long polling through teloxide (`getUpdates`, the API address from the
//! config), the command list registered with `setMyCommands` at start, replies in the same chat
//! and forum topic, and the chat-administrator check with `getChatMember` before a command
//! changes a group's alerts. Private chats are their own administrator. The command menu is
//! registered in English and, for users whose Telegram speaks French, in French; answers follow
//! the chat's language, else the asker's `language_code`.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{BotCommand, InputFile, MessageId, ParseMode, ReplyParameters, UpdateKind};
use tokio::sync::watch;

use super::{Context, Reply, execute, mutates, parse, reply_lang};
use crate::config::{OperatorSubscriptions, Secret};
use crate::deliver::format::escape_html;
use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::model::Target;
use crate::store::Store;

/// Long-poll timeout asked of Telegram.
const POLL_SECONDS: u32 = 25;

/// The commands as Telegram lists them, described in `lang` (registered for everyone in
/// English and for French-speaking users in French).
pub fn bot_commands(lang: Lang) -> Vec<BotCommand> {
    [
        "recent",
        "incident",
        "subscribe",
        "unsubscribe",
        "subscriptions",
        "mute",
        "unmute",
        "lang",
        "map",
        "digest",
        "sources",
        "help",
        "about",
    ]
    .into_iter()
    .map(|c| BotCommand::new(c, lang.text(&format!("command-{c}"))))
    .collect()
}

pub struct TelegramCommands {
    bot: Bot,
    store: Store,
    operator: OperatorSubscriptions,
    gazetteer: &'static Gazetteer,
}

impl TelegramCommands {
    pub fn new(
        token: &Secret,
        api_url: &str,
        store: Store,
        operator: OperatorSubscriptions,
        gazetteer: &'static Gazetteer,
    ) -> Result<Self, String> {
        let url = reqwest::Url::parse(api_url)
            .map_err(|e| format!("[telegram] api_url {api_url:?}: {e}"))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(POLL_SECONDS as u64 + 15))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(TelegramCommands {
            bot: Bot::with_client(token.expose(), client).set_api_url(url),
            store,
            operator,
            gazetteer,
        })
    }

    /// Answers commands until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if let Err(e) = self.bot.set_my_commands(bot_commands(Lang::En)).await {
            tracing::warn!(error = %describe(&e), "telegram: setMyCommands failed");
        }
        if let Err(e) = self
            .bot
            .set_my_commands(bot_commands(Lang::Fr))
            .language_code("fr")
            .await
        {
            tracing::warn!(error = %describe(&e), "telegram: setMyCommands (fr) failed");
        }
        let mut offset: i32 = 0;
        let mut failures: u32 = 0;
        loop {
            let polled = tokio::select! {
                r = self.bot.get_updates().offset(offset).timeout(POLL_SECONDS) => r,
                _ = shutdown.changed() => break,
            };
            let updates = match polled {
                Ok(u) => {
                    failures = 0;
                    u
                }
                Err(e) => {
                    failures += 1;
                    if failures == 1 || failures.is_power_of_two() {
                        tracing::warn!(error = %describe(&e), failures, "telegram: getUpdates failed");
                    }
                    let wait = Duration::from_secs(2u64.saturating_pow(failures.min(6)));
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => continue,
                        _ = shutdown.changed() => break,
                    }
                }
            };
            for u in updates {
                offset = offset.max(u.id.0 as i32 + 1);
                if let UpdateKind::Message(m) = u.kind {
                    self.handle(&m).await;
                }
            }
        }
        tracing::info!("telegram commands stopped");
    }

    async fn handle(&self, m: &Message) {
        let Some(text) = m.text().filter(|t| t.starts_with('/')) else {
            return;
        };
        let topic = m.thread_id.map(|t| t.0.0);
        let target = Target::Telegram {
            chat: m.chat.id.0,
            topic,
        };
        let hint = m
            .from
            .as_ref()
            .and_then(|u| u.language_code.as_deref())
            .and_then(Lang::parse);
        let operator = self.operator.borrow().clone();
        let lang = reply_lang(&self.store, &operator, &target, hint).unwrap_or_default();
        let reply = match parse(text, self.gazetteer) {
            Err(usage) => Reply::private(usage.render(lang)),
            Ok(cmd) => {
                let is_admin = if m.chat.is_private() || !mutates(&cmd) {
                    true
                } else {
                    match &m.from {
                        Some(user) => match self.bot.get_chat_member(m.chat.id, user.id).await {
                            Ok(member) => member.is_privileged(),
                            Err(e) => {
                                tracing::warn!(error = %describe(&e), "telegram: getChatMember failed");
                                false
                            }
                        },
                        None => false,
                    }
                };
                let ctx = Context {
                    target,
                    is_admin,
                    now: chrono::Utc::now(),
                    hint,
                };
                let (store, gaz) = (self.store.clone(), self.gazetteer);
                // Commands read the store (some scan it, /map draws): off the async runtime.
                let done = tokio::task::spawn_blocking(move || {
                    execute(&cmd, &ctx, &store, &operator, gaz)
                })
                .await;
                match done {
                    Ok(Ok(r)) => r,
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "command failed");
                        Reply::private(lang.text("error-failed").into())
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "command failed");
                        Reply::private(lang.text("error-failed").into())
                    }
                }
            }
        };
        self.send_reply(m, reply).await;
    }

    /// Sends the answer in the same chat and topic, as a reply: a photo with the text as its
    /// caption when the answer has a picture.
    async fn send_reply(&self, m: &Message, reply: Reply) {
        let text = escape_html(&crate::deliver::format::truncate(&reply.text, 4000));
        let to = ReplyParameters::new(MessageId(m.id.0));
        let sent = match reply.photo {
            Some(png) => {
                let caption = escape_html(&crate::deliver::format::truncate(&reply.text, 1000));
                let file = InputFile::memory(png).file_name(crate::sink::discord::MAP_FILE);
                let mut req = self
                    .bot
                    .send_photo(m.chat.id, file)
                    .caption(caption)
                    .parse_mode(ParseMode::Html)
                    .reply_parameters(to);
                if let Some(t) = m.thread_id {
                    req = req.message_thread_id(t);
                }
                req.await.map(|_| ())
            }
            None => {
                let mut req = self
                    .bot
                    .send_message(m.chat.id, text)
                    .parse_mode(ParseMode::Html)
                    .reply_parameters(to);
                if let Some(t) = m.thread_id {
                    req = req.message_thread_id(t);
                }
                req.await.map(|_| ())
            }
        };
        if let Err(e) = sent {
            tracing::warn!(error = %describe(&e), "telegram: reply failed");
        }
    }
}

/// A teloxide error without its URL (which holds the token).
fn describe(e: &teloxide::RequestError) -> String {
    match e {
        teloxide::RequestError::Network(n) if n.is_timeout() => "timed out".into(),
        teloxide::RequestError::Network(_) => "network error".into(),
        teloxide::RequestError::Api(a) => a.to_string(),
        teloxide::RequestError::RetryAfter(s) => format!("retry after {}s", s.seconds()),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}
