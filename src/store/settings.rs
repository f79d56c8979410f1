//! A channel's settings beside its subscriptions: the language it reads sitrep in, set with
//! `/lang`, and the platform's hint of it, taken from whoever subscribed the channel. Exported and
//! restored with the subscriptions.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode};
use crate::i18n::Lang;
use crate::model::{Subscription, Target};

/// What a channel chose, beside its subscriptions and mutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    /// The language chosen with `/lang`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    /// The platform's hint (Discord's guild locale, Telegram's `language_code` of the person who
    /// subscribed), used until a language is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang_hint: Option<Lang>,
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
            lang: None,
            lang_hint: Some(Lang::En),
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
                lang_hint: None,
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
}
