//! Who gets what: from an incident change, the subscriptions and the mutes, the list of deliveries
//! (a new message, an edit of the message a channel already has, or a reply to it). Pure: the
//! caller passes what the channel was sent before.
//!
//! A channel gets an incident when one of its subscriptions matches (every filter that is set
//! matches; values inside one filter are alternatives) and the incident is severe and sure enough
//! for it. A critical incident goes out even below the verification threshold, marked unverified
//! (domain.md §3.2). Once a channel has the message, later changes edit it; a reply is sent when
//! the incident newly meets the channel's thresholds in full (a critical rumour that becomes
//! reported, say).

use chrono::{DateTime, Utc};

use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::incident::distance_km;
use crate::model::{Incident, Severity, Subscription, Target, Verification};
use crate::text::fold;

/// The records routing reads and writes, kept by the store ([`crate::store::records`]).
pub use crate::store::records::{Action, Delivery, MessageForm, Mute, Sent};

/// Gives every new message the language of its channel (`lang_of`); edits and replies keep the
/// language of the message they change, which [`route`] already set.
pub fn set_languages(deliveries: &mut [Delivery], lang_of: &dyn Fn(&Target) -> Lang) {
    for d in deliveries.iter_mut() {
        if d.action == Action::New {
            d.lang = lang_of(&d.target);
        }
    }
}

/// Whether one subscription's filters match an incident. `texts` are the titles and texts of the
/// reports behind it, for keywords.
pub fn filters_match(sub: &Subscription, i: &Incident, texts: &[String], gaz: &Gazetteer) -> bool {
    let any = |v: &[String], f: &dyn Fn(&str) -> bool| v.is_empty() || v.iter().any(|x| f(x));
    let region_of = |name: &str| i.admin1.as_deref().is_some_and(|a| fold(a) == fold(name));
    if !any(&sub.countries, &|c| c.eq_ignore_ascii_case(&i.country)) {
        return false;
    }
    if !any(&sub.regions, &|r| region_of(r)) {
        return false;
    }
    if !sub.kinds.is_empty() && !sub.kinds.contains(&i.kind) {
        return false;
    }
    if !any(&sub.actors, &|a| {
        i.actors.iter().any(|x| x.eq_ignore_ascii_case(a))
    }) {
        return false;
    }
    if let Some(near) = &sub.near {
        let Some(center) = gaz.lookup(&near.place).first().map(|id| gaz.place(*id)) else {
            return false;
        };
        let (Some(lat), Some(lon)) = (i.lat, i.lon) else {
            return false;
        };
        if distance_km(center.lat, center.lon, lat, lon) > near.radius_km {
            return false;
        }
    }
    let haystack: Vec<String> = texts
        .iter()
        .map(|t| fold(t))
        .chain(std::iter::once(fold(&i.summary)))
        .collect();
    let mentions = |k: &str| {
        let k = fold(k);
        haystack.iter().any(|t| t.contains(&k))
    };
    if !sub.keywords.is_empty() && !sub.keywords.iter().any(|k| mentions(k)) {
        return false;
    }
    if sub.exclude_keywords.iter().any(|k| mentions(k)) {
        return false;
    }
    true
}

/// How an incident stands against a subscription's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Below,
    /// Critical, but less sure than the channel asks: sent with an UNVERIFIED banner.
    CriticalOverride,
    Met,
}

fn standing(sub: &Subscription, i: &Incident) -> Standing {
    if i.severity < sub.min_severity {
        Standing::Below
    } else if i.verification >= sub.min_verification {
        Standing::Met
    } else if i.severity == Severity::Critical && i.verification >= Verification::Rumour {
        Standing::CriticalOverride
    } else {
        Standing::Below
    }
}

/// Whether an incident is severe and sure enough for a subscription to alert on it (a critical
/// incident below the verification threshold included, as the alerts do).
pub fn would_alert(sub: &Subscription, i: &Incident) -> bool {
    standing(sub, i) != Standing::Below
}

/// Whether a mute silences this incident for its channel now.
pub fn muted(mutes: &[Mute], target: &Target, i: &Incident, now: DateTime<Utc>) -> bool {
    mutes.iter().any(|m| {
        m.target == *target
            && m.until > now
            && m.region
                .as_deref()
                .is_none_or(|r| i.admin1.as_deref().is_some_and(|a| fold(a) == fold(r)))
    })
}

/// The deliveries one incident change causes. `sent` answers what a channel already has.
pub fn route(
    incident: &Incident,
    texts: &[String],
    subscriptions: &[Subscription],
    mutes: &[Mute],
    sent: &dyn Fn(&Target) -> Option<Sent>,
    now: DateTime<Utc>,
    gaz: &Gazetteer,
) -> Vec<Delivery> {
    let mut out: Vec<Delivery> = Vec::new();
    for sub in subscriptions {
        if out.iter().any(|d| d.target == sub.target) || !filters_match(sub, incident, texts, gaz) {
            continue;
        }
        let st = standing(sub, incident);
        let previous = sent(&sub.target);
        let action = match (&previous, st) {
            (None, Standing::Below) => continue,
            (None, _) if muted(mutes, &sub.target, incident, now) => continue,
            (None, _) => Action::New,
            (Some(p), Standing::Met) if !p.met_thresholds => Action::Reply {
                message_id: p.message_id.clone(),
            },
            (Some(p), _) => Action::Edit {
                message_id: p.message_id.clone(),
            },
        };
        out.push(Delivery {
            target: sub.target,
            incident_id: incident.id.clone(),
            action,
            met_thresholds: st == Standing::Met
                || previous.as_ref().is_some_and(|p| p.met_thresholds),
            lang: previous.map(|p| p.lang).unwrap_or_default(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Near};

    #[test]
    fn sent_records_from_before_maps_read_as_text_messages() {
        let old: Sent =
            serde_json::from_str(r#"{"message_id":"7","met_thresholds":true}"#).unwrap();
        assert_eq!(old.form, MessageForm::Text);
        assert_eq!(
            old.lang,
            Lang::En,
            "messages sent before languages were English"
        );
        let captioned = Sent {
            form: MessageForm::Caption,
            ..old
        };
        let json = serde_json::to_string(&captioned).unwrap();
        assert!(json.contains(r#""form":"caption""#), "{json}");
        assert_eq!(serde_json::from_str::<Sent>(&json).unwrap(), captioned);
    }

    fn incident() -> Incident {
        serde_json::from_str(
            r#"{"id":"ML-20250601-boulkessi","kind":"base_overrun","country":"ML","admin1":"Mopti","place":"Boulkessi",
            "lat":15.03,"lon":-1.55,"geo_precision":1,"date":"2025-06-01","date_precision":"day","actors":["JNIM","FAMa"],
            "perpetrator":"JNIM","claimed_by":["JNIM"],"target":"military","fatalities":null,"severity":"high",
            "verification":"reported","summary":"Base overrun at Boulkessi, Mali, claimed by JNIM.","sources":[],
            "first_seen":"2025-06-02T09:12:05Z","updated":"2025-06-02T09:12:05Z"}"#,
        )
        .unwrap()
    }

    fn sub(target: &str) -> Subscription {
        Subscription {
            id: String::new(),
            target: target.parse().unwrap(),
            countries: vec![],
            regions: vec![],
            near: None,
            min_severity: Severity::Medium,
            min_verification: Verification::Rumour,
            kinds: vec![],
            actors: vec![],
            keywords: vec![],
            exclude_keywords: vec![],
            lang: None,
            digest: None,
        }
    }

    fn now() -> DateTime<Utc> {
        "2025-06-02T10:00:00Z".parse().unwrap()
    }

    fn targets(i: &Incident, subs: &[Subscription]) -> Vec<String> {
        route(i, &[], subs, &[], &|_| None, now(), Gazetteer::bundled())
            .into_iter()
            .map(|d| d.target.to_string())
            .collect()
    }

    #[test]
    fn every_set_filter_must_match() {
        let i = incident();
        let g = Gazetteer::bundled();
        let mut s = sub("telegram:1");
        assert!(filters_match(&s, &i, &[], g));
        s.countries = vec!["BF".into(), "ml".into()];
        assert!(
            filters_match(&s, &i, &[], g),
            "values are alternatives, case does not matter"
        );
        s.regions = vec!["Tillabéri".into()];
        assert!(!filters_match(&s, &i, &[], g), "and filters all apply");
        s.regions = vec!["mopti".into()];
        s.kinds = vec![Kind::Clash];
        assert!(!filters_match(&s, &i, &[], g));
        s.kinds = vec![Kind::BaseOverrun];
        s.actors = vec!["jnim".into()];
        assert!(filters_match(&s, &i, &[], g));
        s.near = Some(Near {
            place: "Mopti".into(),
            radius_km: 150.0,
        });
        assert!(
            !filters_match(&s, &i, &[], g),
            "Boulkessi is ~200 km from Mopti"
        );
        s.near = Some(Near {
            place: "Mopti".into(),
            radius_km: 300.0,
        });
        assert!(filters_match(&s, &i, &[], g));
        s.keywords = vec!["convoy".into()];
        assert!(!filters_match(&s, &i, &[], g));
        assert!(filters_match(
            &s,
            &i,
            &["Le convoi… the convoy was hit".into()],
            g
        ));
        s.exclude_keywords = vec!["JNIM".into()];
        assert!(
            !filters_match(&s, &i, &["the convoy".into()], g),
            "summary names JNIM"
        );
    }

    #[test]
    fn thresholds_and_the_critical_override() {
        let mut i = incident();
        let mut strict = sub("telegram:2");
        strict.min_severity = Severity::High;
        strict.min_verification = Verification::Corroborated;
        assert!(
            targets(&i, std::slice::from_ref(&strict)).is_empty(),
            "high but only reported"
        );
        i.severity = Severity::Critical;
        i.verification = Verification::Rumour;
        let d = route(
            &i,
            &[],
            std::slice::from_ref(&strict),
            &[],
            &|_| None,
            now(),
            Gazetteer::bundled(),
        );
        assert_eq!(d[0].action, Action::New, "critical goes out unverified");
        assert!(!d[0].met_thresholds);
        // Later it is corroborated: the channel's message gets a reply.
        i.verification = Verification::Corroborated;
        let had = Sent {
            message_id: "55".into(),
            met_thresholds: false,
            form: MessageForm::Text,
            lang: Lang::Fr,
        };
        let d = route(
            &i,
            &[],
            std::slice::from_ref(&strict),
            &[],
            &|_| Some(had.clone()),
            now(),
            Gazetteer::bundled(),
        );
        assert_eq!(
            d[0].action,
            Action::Reply {
                message_id: "55".into()
            }
        );
        assert_eq!(
            d[0].lang,
            Lang::Fr,
            "a reply keeps the language of the message"
        );
        // Any further change only edits.
        let had = Sent {
            message_id: "55".into(),
            met_thresholds: true,
            form: MessageForm::Text,
            lang: Lang::Fr,
        };
        let d = route(
            &i,
            &[],
            &[strict],
            &[],
            &|_| Some(had.clone()),
            now(),
            Gazetteer::bundled(),
        );
        assert_eq!(
            d[0].action,
            Action::Edit {
                message_id: "55".into()
            }
        );
        let mut d = d;
        set_languages(&mut d, &|_| Lang::En);
        assert_eq!(
            d[0].lang,
            Lang::Fr,
            "an edit keeps the language it was sent in"
        );
    }

    #[test]
    fn new_messages_take_the_language_of_their_channel() {
        let i = incident();
        let subs = [sub("telegram:1"), sub("discord:2")];
        let mut d = route(&i, &[], &subs, &[], &|_| None, now(), Gazetteer::bundled());
        assert!(d.iter().all(|d| d.lang == Lang::En));
        let fr: Target = "discord:2".parse().unwrap();
        set_languages(&mut d, &|t| if *t == fr { Lang::Fr } else { Lang::En });
        assert_eq!(d[0].lang, Lang::En);
        assert_eq!(d[1].lang, Lang::Fr);
    }

    #[test]
    fn mutes_hold_new_messages_for_their_time_and_region() {
        let i = incident();
        let s = sub("discord:7");
        let mute = |region: Option<&str>, minutes: i64| Mute {
            target: s.target,
            until: now() + chrono::Duration::minutes(minutes),
            region: region.map(str::to_string),
        };
        let run = |mutes: &[Mute]| {
            route(
                &i,
                &[],
                std::slice::from_ref(&s),
                mutes,
                &|_| None,
                now(),
                Gazetteer::bundled(),
            )
            .len()
        };
        assert_eq!(run(&[mute(None, 30)]), 0);
        assert_eq!(run(&[mute(Some("Mopti"), 30)]), 0);
        assert_eq!(run(&[mute(Some("Tillabéri"), 30)]), 1);
        assert_eq!(run(&[mute(None, -1)]), 1, "an expired mute");
    }

    #[test]
    fn one_delivery_per_channel() {
        let i = incident();
        let mut a = sub("telegram:1");
        a.countries = vec!["ML".into()];
        let b = sub("telegram:1");
        let c = sub("telegram:1:5");
        assert_eq!(targets(&i, &[a, b, c]), vec!["telegram:1", "telegram:1:5"]);
    }
}
