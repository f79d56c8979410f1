//! The records the store keeps for the stages, as plain data: a source's poll state, the outbox
//! and what each channel was sent, a target's delivery state, and mutes. They live here, at the
//! bottom, so the store imports no stage: the poller, the router and the delivery worker import
//! these types from the store (and re-export them where their callers look for them). Field
//! names are the JSON the store writes: renaming one needs a store migration.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::Target;

/// What the store keeps about a source (the poller's validators and health).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceState {
    #[serde(default)]
    pub validators: Validators,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub consecutive_failures: u32,
    #[serde(default)]
    pub items_seen: u64,
    pub next_poll: Option<DateTime<Utc>>,
    /// Since when the source has been failing (first failure of the current streak).
    pub failing_since: Option<DateTime<Utc>>,
    /// A "source down" notice went out for the current streak.
    #[serde(default)]
    pub down_notified: bool,
}

/// What the server said last time, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A channel's pause, for every region or one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mute {
    pub target: Target,
    pub until: DateTime<Utc>,
    /// An admin1 name; `None` mutes everything.
    pub region: Option<String>,
}

/// What a channel already has of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    /// The platform's message id.
    pub message_id: String,
    /// Whether the incident met the channel's thresholds in full when it was sent or last replied to.
    pub met_thresholds: bool,
    /// How the message went out, which decides how it is edited (records written before maps
    /// existed are text).
    #[serde(default)]
    pub form: MessageForm,
    /// The language the message was written in: its edits keep it, whatever the channel's
    /// language is now (records written before languages existed are English).
    #[serde(default)]
    pub lang: Lang,
}

/// How an alert message was sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageForm {
    /// A text message (or a Discord message, whatever it carries): edited as text.
    #[default]
    Text,
    /// A Telegram photo with the card as its caption: edited with `editMessageMedia`.
    Caption,
}

/// What to do for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    New,
    Edit {
        message_id: String,
    },
    /// A reply to the channel's message, which is also edited.
    Reply {
        message_id: String,
    },
    /// A plain notice to the operator (a source down or recovered); `incident_id` is empty.
    Notice {
        text: String,
    },
    /// A channel's daily digest of local day `day` (`incident_id` is empty): its text as built
    /// when it was due (in the delivery's `lang`), the incidents its map shows and the hours it
    /// covers.
    Digest {
        day: chrono::NaiveDate,
        text: String,
        incidents: Vec<String>,
        hours: u32,
    },
}

/// One delivery to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub target: Target,
    pub incident_id: String,
    pub action: Action,
    /// The incident met the channel's thresholds in full (not only by being critical).
    pub met_thresholds: bool,
    /// The language to write in: an edit or a reply keeps the language of the message the
    /// channel has; a new message takes the channel's language (the caller sets it, see
    /// [`crate::route::set_languages`]). Entries queued before languages existed are English.
    #[serde(default)]
    pub lang: Lang,
}

/// One delivery waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub seq: u64,
    pub delivery: Delivery,
    pub attempts: u32,
    /// Not to be tried before this time (rate limits, backoff).
    pub not_before: DateTime<Utc>,
    /// When the item behind it was first seen (the start of `sitrep_alert_latency_seconds`).
    pub enqueued: DateTime<Utc>,
}

/// A target's delivery state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetState {
    /// Why sitrep stopped sending there (the bot was blocked, the chat is gone).
    pub disabled: Option<String>,
    /// The chat moved (a Telegram group that became a supergroup).
    pub moved_to: Option<Target>,
}
