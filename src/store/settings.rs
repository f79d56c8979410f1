//! A channel's settings beside its subscriptions, in one record per channel: the language it
//! reads sitrep in (set with `/lang`) and the platform's hint of it, taken from whoever
//! subscribed the channel; its daily digest (`/digest`) and the local day of the last digest
//! queued. Exported and restored with the subscriptions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::records::{Delivery, OutboxEntry};
use super::{Store, StoreError, decode, encode};
use crate::i18n::Lang;
use crate::model::{DigestChoice, Subscription, Target};

/// What a channel chose, beside its subscriptions and mutes. Every field has a serde default, so
/// the records and exports of older versions (which lack the newer fields) still read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    /// The language chosen with `/lang`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    /// The platform's hint (Discord's guild locale, Telegram's `language_code` of the person who
    /// subscribed), used until a language is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang_hint: Option<Lang>,
    /// The channel's own digest choice (`/digest HH:MM [zone]` or `/digest off`).
    #[serde(default, skip_serializing_if = "DigestChoice::is_unset")]
    pub digest: DigestChoice,
    /// The local day of the last digest queued for the channel: a day's digest goes out once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_digest: Option<NaiveDate>,
}

impl ChannelSettings {
    /// Nothing set: the record is not kept.
    pub fn is_empty(&self) -> bool {
        self == &ChannelSettings::default()
    }
}

/// The language a channel reads, in order: its own `/lang` choice, the `lang` of an operator
/// subscription for it, the platform's hint, English.
pub fn effective_lang(
    settings: &ChannelSettings,
    operator: &[Subscription],
    target: &Target,
) -> Option<Lang> {
    settings
        .lang
        .or_else(|| {
            operator
                .iter()
                .filter(|s| s.target == *target)
                .find_map(|s| s.lang)
        })
        .or(settings.lang_hint)
}

impl Store {
    /// A channel's settings (empty when it set nothing).
    pub fn channel_settings(&self, target: &Target) -> Result<ChannelSettings, StoreError> {
        let key = target.to_string();
        Ok(self
            .t()
            .channels
            .get(key.as_bytes())?
            .map(|v| decode(&key, &v))
            .transpose()?
            .unwrap_or_default())
    }

    /// Replaces a channel's settings (empty ones are removed).
    pub fn put_channel_settings(
        &self,
        target: &Target,
        settings: &ChannelSettings,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let key = target.to_string();
        if settings.is_empty() {
            self.t().channels.remove(key.as_bytes())?;
        } else {
            self.t().channels.insert(key.as_bytes(), encode(settings))?;
        }
        Ok(())
    }

    /// Every channel's settings, by target.
    pub fn all_channel_settings(&self) -> Result<Vec<(Target, ChannelSettings)>, StoreError> {
        let mut out = Vec::new();
        for item in self.t().channels.iter() {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k).to_string();
            let Ok(target) = key.parse::<Target>() else {
                continue;
            };
            out.push((target, decode(&key, &v)?));
        }
        Ok(out)
    }

    /// Changes a channel's settings with `change`, atomically (a digest queued meanwhile keeps
    /// its day), and returns them as written.
    pub fn update_channel_settings(
        &self,
        target: &Target,
        change: impl Fn(&mut ChannelSettings),
    ) -> Result<ChannelSettings, StoreError> {
        use sled::transaction::{ConflictableTransactionError, TransactionError};
        self.writable()?;
        let key = target.to_string();
        let result = self.t().channels.transaction(|tree| {
            let mut settings: ChannelSettings = match tree.get(key.as_bytes())? {
                Some(v) => decode(&key, &v).map_err(ConflictableTransactionError::Abort)?,
                None => ChannelSettings::default(),
            };
            change(&mut settings);
            if settings.is_empty() {
                tree.remove(key.as_bytes())?;
            } else {
                tree.insert(key.as_bytes(), encode(&settings))?;
            }
            Ok(settings)
        });
        match result {
            Ok(settings) => Ok(settings),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
        }
    }

    /// Queues a channel's digest of local day `day`, unless one of that day (or a later one) was
    /// queued already: the outbox entry and the channel's `last_digest` are written in one
    /// transaction, so that after a crash a day's digest is queued once or not at all. Returns
    /// whether it was queued.
    pub fn enqueue_digest(
        &self,
        delivery: &Delivery,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        use sled::Transactional;
        use sled::transaction::{ConflictableTransactionError, TransactionError};
        self.writable()?;
        let t = self.t();
        let key = delivery.target.to_string();
        let seq = t.db.generate_id()?;
        let entry = OutboxEntry {
            seq,
            delivery: delivery.clone(),
            attempts: 0,
            not_before: now,
            enqueued: now,
        };
        let value = encode(&entry);
        let result = (&t.outbox, &t.channels).transaction(|(outbox, channels)| {
            let mut settings: ChannelSettings = match channels.get(key.as_bytes())? {
                Some(v) => {
                    decode(&key, &v).map_err(|e| ConflictableTransactionError::Abort(Some(e)))?
                }
                None => ChannelSettings::default(),
            };
            if settings.last_digest.is_some_and(|l| l >= day) {
                return Err(ConflictableTransactionError::Abort(None));
            }
            settings.last_digest = Some(day);
            outbox.insert(&seq.to_be_bytes(), value.as_slice())?;
            channels.insert(key.as_bytes(), encode(&settings))?;
            Ok(())
        });
        match result {
            Ok(()) => Ok(true),
            Err(TransactionError::Abort(None)) => Ok(false),
            Err(TransactionError::Abort(Some(e))) => Err(e),
            Err(TransactionError::Storage(e)) => {
                let e = StoreError::Sled(e);
                self.note(&e);
                Err(e)
            }
        }
    }

    /// The language a channel reads ([`effective_lang`]), English when nothing says otherwise.
    pub fn channel_lang(
        &self,
        target: &Target,
        operator: &[Subscription],
    ) -> Result<Lang, StoreError> {
        Ok(effective_lang(&self.channel_settings(target)?, operator, target).unwrap_or_default())
    }
}

/// The subscription export: every subscription, and every channel's settings. Older exports
/// are a bare list of subscriptions, which still read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub subscriptions: Vec<Subscription>,
    /// Channel settings by target (`"telegram:-100…"`).
    #[serde(default)]
    pub channels: std::collections::BTreeMap<String, ChannelSettings>,
}

/// Either form of the export file.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum AnyExport {
    Current(Export),
    Subscriptions(Vec<Subscription>),
}

impl AnyExport {
    pub(super) fn into_export(self) -> Export {
        match self {
            AnyExport::Current(e) => e,
            AnyExport::Subscriptions(subscriptions) => Export {
                subscriptions,
                ..Default::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_beats_the_config_which_beats_the_hint() {
        let t: Target = "discord:1".parse().unwrap();
        let mut op: Subscription =
            serde_json::from_str(r#"{"target":"discord:1","lang":"fr"}"#).unwrap();
        let hint = ChannelSettings {
            lang_hint: Some(Lang::En),
            ..Default::default()
        };
        assert_eq!(effective_lang(&hint, &[], &t), Some(Lang::En));
        assert_eq!(effective_lang(&hint, &[op.clone()], &t), Some(Lang::Fr));
        let chosen = ChannelSettings {
            lang: Some(Lang::En),
            ..hint.clone()
        };
        assert_eq!(effective_lang(&chosen, &[op.clone()], &t), Some(Lang::En));
        op.target = "discord:2".parse().unwrap();
        assert_eq!(effective_lang(&ChannelSettings::default(), &[op], &t), None);
    }

    #[test]
    fn settings_are_kept_and_old_records_read() {
        let s = Store::temporary().unwrap();
        let t: Target = "telegram:-5".parse().unwrap();
        assert_eq!(s.channel_lang(&t, &[]).unwrap(), Lang::En);
        s.put_channel_settings(
            &t,
            &ChannelSettings {
                lang: Some(Lang::Fr),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.channel_lang(&t, &[]).unwrap(), Lang::Fr);
        assert_eq!(s.all_channel_settings().unwrap().len(), 1);
        s.put_channel_settings(&t, &ChannelSettings::default())
            .unwrap();
        assert!(s.all_channel_settings().unwrap().is_empty());
        let old: ChannelSettings = serde_json::from_str("{}").unwrap();
        assert!(old.is_empty());
    }

    #[test]
    fn exports_without_the_digest_fields_still_import() {
        // An export written by the version with languages only.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("subs.json");
        std::fs::write(
            &file,
            r#"{"subscriptions":[{"target":"telegram:-5","countries":["ML"]}],
                "channels":{"telegram:-5":{"lang":"fr"}}}"#,
        )
        .unwrap();
        let s = Store::temporary().unwrap();
        assert_eq!(s.import_subscriptions(&file).unwrap(), 1);
        let t: Target = "telegram:-5".parse().unwrap();
        let got = s.channel_settings(&t).unwrap();
        assert_eq!(got.lang, Some(Lang::Fr));
        assert_eq!(got.digest, DigestChoice::Unset);
        assert_eq!(got.last_digest, None);
    }

    #[test]
    fn a_digest_day_is_queued_once_and_a_language_change_keeps_it() {
        let s = Store::temporary().unwrap();
        let t: Target = "discord:7".parse().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        let delivery = Delivery {
            target: t,
            incident_id: String::new(),
            action: super::super::records::Action::Notice { text: "x".into() },
            met_thresholds: false,
            lang: Lang::En,
        };
        let now = Utc::now();
        assert!(s.enqueue_digest(&delivery, day, now).unwrap());
        s.update_channel_settings(&t, |c| c.lang = Some(Lang::Fr))
            .unwrap();
        assert!(!s.enqueue_digest(&delivery, day, now).unwrap());
        assert_eq!(s.outbox_len(), 1);
        let got = s.channel_settings(&t).unwrap();
        assert_eq!((got.lang, got.last_digest), (Some(Lang::Fr), Some(day)));
        assert!(
            s.enqueue_digest(&delivery, day.succ_opt().unwrap(), now)
                .unwrap()
        );
    }
}
