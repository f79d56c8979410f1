//! The data every stage passes on: articles from sources, incidents with their grades, alert events,
//! subscriptions and delivery targets. Field names and spellings here are the public contract of
//! DESIGN §3.2 (Incident JSON v1) and §3.3 (alert events): change them only on purpose. Also the
//! canonical form of an article URL, which article ids and dedup keys are made of.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One item read from a source: a feed entry, an API record or a file given to `extract`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Name of the configured source (or the file path for `replay`).
    pub source: String,
    /// Absolute link to the article; empty when the item has none.
    pub url: String,
    /// The feed's GUID, else the link, else a hash of title and date.
    pub guid: String,
    pub title: String,
    /// Plain text (HTML stripped, entities decoded).
    pub text: String,
    pub published: Option<DateTime<Utc>>,
    /// `en` or `fr` when known (feed hint or detected).
    pub lang: Option<String>,
    /// Publisher family for the independence test (DESIGN §4); default: the URL's host.
    #[serde(default)]
    pub family: String,
}

/// Event kinds (DESIGN §3.2, domain.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    BaseOverrun,
    TownSeized,
    TerritoryRetaken,
    Clash,
    Ambush,
    AttackOnCity,
    Ied,
    Airstrike,
    Shelling,
    SuicideAttack,
    CivilianAttack,
    Abduction,
    Blockade,
    Unrest,
    Political,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 15] = [
        Kind::BaseOverrun,
        Kind::TownSeized,
        Kind::TerritoryRetaken,
        Kind::Clash,
        Kind::Ambush,
        Kind::AttackOnCity,
        Kind::Ied,
        Kind::Airstrike,
        Kind::Shelling,
        Kind::SuicideAttack,
        Kind::CivilianAttack,
        Kind::Abduction,
        Kind::Blockade,
        Kind::Unrest,
        Kind::Political,
    ];

    /// The snake_case name used in JSON and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::BaseOverrun => "base_overrun",
            Kind::TownSeized => "town_seized",
            Kind::TerritoryRetaken => "territory_retaken",
            Kind::Clash => "clash",
            Kind::Ambush => "ambush",
            Kind::AttackOnCity => "attack_on_city",
            Kind::Ied => "ied",
            Kind::Airstrike => "airstrike",
            Kind::Shelling => "shelling",
            Kind::SuicideAttack => "suicide_attack",
            Kind::CivilianAttack => "civilian_attack",
            Kind::Abduction => "abduction",
            Kind::Blockade => "blockade",
            Kind::Unrest => "unrest",
            Kind::Political => "political",
        }
    }

    /// A short human label for alert cards ("Base overrun").
    pub fn label(self) -> &'static str {
        match self {
            Kind::BaseOverrun => "Base overrun",
            Kind::TownSeized => "Town seized",
            Kind::TerritoryRetaken => "Territory retaken",
            Kind::Clash => "Clash",
            Kind::Ambush => "Ambush",
            Kind::AttackOnCity => "Attack on city",
            Kind::Ied => "IED",
            Kind::Airstrike => "Air/drone strike",
            Kind::Shelling => "Shelling",
            Kind::SuicideAttack => "Suicide attack",
            Kind::CivilianAttack => "Attack on civilians",
            Kind::Abduction => "Abduction",
            Kind::Blockade => "Blockade",
            Kind::Unrest => "Unrest",
            Kind::Political => "Political",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown kind {s:?}"))
    }
}

/// How bad an incident is (domain.md §3.2); ordered low < medium < high < critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One level up, capped at critical.
    pub fn bump(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s.to_ascii_lowercase())
            .ok_or_else(|| format!("unknown severity {s:?} (low, medium, high, critical)"))
    }
}

/// How sure we are that the incident happened (domain.md §2.3, V0..V4); ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Rumour,
    Claimed,
    Reported,
    Corroborated,
    Confirmed,
}

impl Verification {
    pub const ALL: [Verification; 5] = [
        Verification::Rumour,
        Verification::Claimed,
        Verification::Reported,
        Verification::Corroborated,
        Verification::Confirmed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Rumour => "rumour",
            Verification::Claimed => "claimed",
            Verification::Reported => "reported",
            Verification::Corroborated => "corroborated",
            Verification::Confirmed => "confirmed",
        }
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verification {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verification::ALL
            .into_iter()
            .find(|v| v.as_str() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "unknown verification {s:?} (rumour, claimed, reported, corroborated, confirmed)"
                )
            })
    }
}

/// How exact the incident's date is (ACLED time_precision 1..3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
}

/// Who or what was attacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetClass {
    Military,
    Civilians,
    Officials,
    AidWorkers,
    Foreigners,
    Infrastructure,
    ArmedGroup,
}

/// Deaths as UCDP codes them: most conservative, most plausible and highest credible figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Fatalities {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
    /// The figure is a floor or an estimate ("more than 30", "une trentaine").
    pub approx: bool,
    /// An official or independent count stands behind the figure.
    pub confirmed: bool,
    /// The deaths by side, where the reports say who died (each `None` when unknown).
    #[serde(default)]
    pub by_side: BySide,
}

/// Deaths split by side (DESIGN §3.2): soldiers and militias fighting with the state,
/// civilians, militants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BySide {
    pub forces: Option<u32>,
    pub civilians: Option<u32>,
    pub militants: Option<u32>,
}

impl BySide {
    /// Whether any side is known.
    pub fn is_known(&self) -> bool {
        self.forces.is_some() || self.civilians.is_some() || self.militants.is_some()
    }

    /// The sum of the known sides.
    pub fn total(&self) -> u32 {
        [self.forces, self.civilians, self.militants]
            .iter()
            .flatten()
            .sum()
    }
}

impl Fatalities {
    /// The figure alerts print: `best`, else `low`.
    pub fn figure(&self) -> Option<u32> {
        self.best.or(self.low)
    }
}

/// One report that stands behind an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub url: String,
    pub outlet: String,
    /// Publisher family for independence: two sources of one family count once.
    pub family: String,
    pub published: Option<DateTime<Utc>>,
    pub lang: Option<String>,
}

/// One incident (DESIGN §3.2, version 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// `CC-YYYYMMDD-place-slug`, stable across merges.
    pub id: String,
    pub kind: Kind,
    pub country: String,
    pub admin1: Option<String>,
    pub place: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// 1 town or site, 2 district, 3 region.
    pub geo_precision: u8,
    pub date: NaiveDate,
    /// Last day of an event over several days (`date` is its first); only in the JSON when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub actors: Vec<String>,
    pub perpetrator: Option<String>,
    pub claimed_by: Vec<String>,
    pub target: Option<TargetClass>,
    pub fatalities: Option<Fatalities>,
    pub severity: Severity,
    pub verification: Verification,
    pub summary: String,
    pub sources: Vec<SourceRef>,
    pub first_seen: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// A total or background figure that is not one incident (DESIGN §3.2 `aggregates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub text: String,
    pub deaths_low: Option<u32>,
    pub countries: Vec<String>,
    pub period: Option<String>,
}

/// Whether an alert event announces a new incident or a change to a known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    New,
    Update,
}

/// What changed in an update (DESIGN §3.3 `changes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Fatalities,
    Verification,
    Severity,
    Kind,
    Place,
    Date,
    Actors,
    Sources,
}

/// One line of `replay` output and of the console sink (DESIGN §3.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertEvent {
    pub event: EventKind,
    pub incident: Incident,
    pub changes: Vec<Change>,
}

/// Where alerts go: a Telegram chat (optionally a forum topic) or a Discord channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Telegram { chat: i64, topic: Option<i32> },
    Discord { channel: u64 },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Telegram { chat, topic: None } => write!(f, "telegram:{chat}"),
            Target::Telegram {
                chat,
                topic: Some(t),
            } => write!(f, "telegram:{chat}:{t}"),
            Target::Discord { channel } => write!(f, "discord:{channel}"),
        }
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage =
            || format!("bad target {s:?}: expected telegram:<chat>[:<topic>] or discord:<channel>");
        let mut parts = s.split(':');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("telegram"), Some(chat), topic, None) => {
                let chat = chat.parse::<i64>().map_err(|_| usage())?;
                let topic = match topic {
                    Some(t) => Some(t.parse::<i32>().map_err(|_| usage())?),
                    None => None,
                };
                Ok(Target::Telegram { chat, topic })
            }
            (Some("discord"), Some(channel), None, None) => {
                let channel = channel.parse::<u64>().map_err(|_| usage())?;
                Ok(Target::Discord { channel })
            }
            _ => Err(usage()),
        }
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A place and radius a subscription watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    pub place: String,
    pub radius_km: f64,
}

/// What one channel wants to hear about (DESIGN §3.4 `[[subscription]]`). Every filter that is set
/// must match; values inside one filter are alternatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// Stable id shown by `/subscriptions`; empty in the config (assigned on load).
    #[serde(default)]
    pub id: String,
    pub target: Target,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub near: Option<Near>,
    #[serde(default = "default_min_severity")]
    pub min_severity: Severity,
    #[serde(default = "default_min_verification")]
    pub min_verification: Verification,
    #[serde(default)]
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub exclude_keywords: Vec<String>,
    /// The channel's language, for a config subscription (`lang = "fr"`); the channel's own
    /// `/lang` choice, kept in the store, comes first. `None` on subscriptions made by command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<crate::i18n::Lang>,
    /// The channel's daily digest (`digest = "07:00 Africa/Bamako"`): the operator's choice for a
    /// config subscription; a channel's own `/digest` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<DigestSchedule>,
}

/// A daily digest time: a local time of day in an IANA time zone ("07:00 Africa/Bamako"; the
/// zone defaults to UTC). Written and read as that string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DigestSchedule {
    pub time: chrono::NaiveTime,
    pub zone: chrono_tz::Tz,
}

impl FromStr for DigestSchedule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut words = s.split_whitespace();
        let (Some(time), zone, None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "bad digest time {s:?}: expected HH:MM and an optional zone, e.g. \"07:00 Africa/Bamako\""
            ));
        };
        let time = chrono::NaiveTime::parse_from_str(time, "%H:%M")
            .map_err(|_| format!("bad digest time {time:?}: expected HH:MM from 00:00 to 23:59"))?;
        let zone = match zone {
            None => chrono_tz::UTC,
            Some(z) => z.parse::<chrono_tz::Tz>().map_err(|_| {
                format!(
                    "unknown time zone {z:?}: expected an IANA name such as Africa/Bamako or UTC"
                )
            })?,
        };
        Ok(DigestSchedule { time, zone })
    }
}

impl TryFrom<String> for DigestSchedule {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DigestSchedule> for String {
    fn from(d: DigestSchedule) -> String {
        d.to_string()
    }
}

impl fmt::Display for DigestSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.time.format("%H:%M"), self.zone.name())
    }
}

/// A channel's own choice about its digest (`/digest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestChoice {
    /// Never set: a config subscription's `digest`, if any, applies.
    #[default]
    Unset,
    /// `/digest off`.
    Off,
    /// `/digest HH:MM [zone]`.
    Daily(DigestSchedule),
}

impl DigestChoice {
    /// Never set (the stored record leaves it out).
    pub fn is_unset(&self) -> bool {
        *self == DigestChoice::Unset
    }
}

fn default_min_severity() -> Severity {
    Severity::Medium
}

fn default_min_verification() -> Verification {
    Verification::Rumour
}

/// The canonical form of an article URL: scheme and host lowercased, default port, fragment,
/// `utm_*`, `fbclid` and `gclid` dropped, remaining query kept in order. `None` for non-web URLs.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    // The url crate already lowercases scheme and host and drops default ports.
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{
      "id": "ML-20250601-boulkessi",
      "kind": "base_overrun",
      "country": "ML", "admin1": "Mopti", "place": "Boulkessi",
      "lat": 14.8, "lon": -1.32, "geo_precision": 1,
      "date": "2025-06-01", "date_precision": "day",
      "actors": ["JNIM", "FAMa"], "perpetrator": "JNIM", "claimed_by": ["JNIM"],
      "target": "military",
      "fatalities": {"low": 30, "best": 30, "high": null, "approx": true, "confirmed": false,
                     "by_side": {"forces": 30, "civilians": null, "militants": null}},
      "severity": "critical",
      "verification": "corroborated",
      "summary": "JNIM overran the army camp at Boulkessi; more than 30 soldiers reported killed.",
      "sources": [{"url": "https://example.org/a", "outlet": "RFI", "family": "rfi", "published": "2025-06-02T09:12:00Z", "lang": "fr"}],
      "first_seen": "2025-06-02T09:12:05Z", "updated": "2025-06-02T18:40:11Z"
    }"#;

    #[test]
    fn design_example_round_trips() {
        let incident: Incident = serde_json::from_str(EXAMPLE).unwrap();
        assert_eq!(incident.kind, Kind::BaseOverrun);
        assert_eq!(incident.fatalities.unwrap().low, Some(30));
        assert_eq!(incident.verification, Verification::Corroborated);
        let back: serde_json::Value = serde_json::to_value(&incident).unwrap();
        let original: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn scales_are_ordered() {
        assert!(Severity::Critical > Severity::High);
        assert!(Verification::Confirmed > Verification::Corroborated);
        assert_eq!(Severity::High.bump(), Severity::Critical);
        assert_eq!(Severity::Critical.bump(), Severity::Critical);
    }

    #[test]
    fn targets_parse_and_print() {
        for s in [
            "telegram:-1001234567890",
            "telegram:-1001234567890:42",
            "discord:123456789012345678",
        ] {
            assert_eq!(s.parse::<Target>().unwrap().to_string(), s);
        }
        for bad in [
            "telegram:",
            "slack:1",
            "discord:-5",
            "telegram:1:2:3",
            "discord",
        ] {
            assert!(bad.parse::<Target>().is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_parse_from_their_names() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), k);
        }
    }

    #[test]
    fn canonical_urls_drop_tracking() {
        assert_eq!(
            canonical_url("HTTPS://WWW.RFI.fr:443/fr/afrique/x?utm_source=tw&id=3&fbclid=abc#top")
                .unwrap(),
            "https://www.rfi.fr/fr/afrique/x?id=3"
        );
        assert_eq!(
            canonical_url("https://a.org/p?utm_medium=rss").unwrap(),
            "https://a.org/p"
        );
        assert_eq!(canonical_url("file:///tmp/x"), None);
        assert_eq!(canonical_url("not a url"), None);
    }
}
