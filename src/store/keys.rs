//! The one place that says how sled is laid out: tree names and key encodings.
//!
//! | tree | key | value |
//! |---|---|---|
//! | `meta` | `schema_version` | u32 big-endian |
//! | `meta` | `id_floor` | u64 big-endian: added to sled's ids after a compaction |
//! | `meta` | `compacted` | two u64 big-endian: bytes on disk of the last compaction's fresh copy, and its bytes of keys and values |
//! | `articleid_article` | article id (16 hex digits) | JSON [`crate::model::Article`] |
//! | `seenkey_articleid` | `guid:<source>\0<guid>` or `url:<canonical url>` | article id |
//! | `incidentid_incident` | incident id (`ML-20250601-boulkessi`) | JSON [`crate::incident::IncidentRecord`] |
//! | `countryday_incidentid` | `CC` + `YYYYMMDD` + `\0` + incident id | [`crate::incident::MatchKey`] in the binary layout of [`crate::store::index`] (matching index; JSON before schema 2) |
//! | `countryday_followup` | as `countryday_incidentid` | as `countryday_incidentid`, only for incidents whose every report tells an aftermath |
//! | `target_subscriptions` | target (`telegram:-100…`) | JSON `Vec<Subscription>` |
//! | `seq_outbox` | sequence number (u64 big-endian, from sled's id generator) | JSON [`crate::store::records::OutboxEntry`] |
//! | `targetincident_sent` | target + `\0` + incident id | JSON [`crate::store::records::Sent`] |
//! | `target_state` | target | JSON [`crate::store::records::TargetState`] (disabled, moved) |
//! | `target_mutes` | target | JSON `Vec<`[`crate::store::records::Mute`]`>` |
//! | `target_settings` | target | JSON [`crate::store::settings::ChannelSettings`] (language, digest time and zone, last digest day) |
//! | `sourcename_state` | source name | JSON [`crate::store::records::SourceState`] |
//! | `articleid_signature` | article id | 64 × u32 big-endian MinHash signature |
//! | `band_articleid` | band number (1 byte) + band hash (8 bytes) + article id | empty (LSH index) |
//! | `target_channel` | target | JSON [`crate::model::ChannelSettings`] (the digest time) |
//! | `target_digestday` | target | the local day (`YYYY-MM-DD`) of the last digest queued |
//!
//! Keys sort the way they are scanned: the (country, day) index is a range scan per day.

use chrono::NaiveDate;

/// Bumped when the layout changes in a way old stores cannot be read with. Version 2: binary
/// matching-index entries and the follow-up index (an older store is migrated on open).
pub const SCHEMA_VERSION: u32 = 2;

pub const META: &str = "meta";
pub const META_SCHEMA_VERSION: &[u8] = b"schema_version";
/// Where ids go on from after [`crate::store::compact`] copied the store into a fresh database.
pub const META_ID_FLOOR: &[u8] = b"id_floor";
/// What [`crate::store::compact`]'s last fresh copy took on disk, and its live bytes.
pub const META_COMPACTED: &[u8] = b"compacted";
pub const ARTICLES: &str = "articleid_article";
pub const SEEN: &str = "seenkey_articleid";
pub const INCIDENTS: &str = "incidentid_incident";
pub const COUNTRY_DAY: &str = "countryday_incidentid";
/// The part of the (country, day) index an aftermath's event is looked for in.
pub const FOLLOW_UPS: &str = "countryday_followup";
pub const SUBSCRIPTIONS: &str = "target_subscriptions";
pub const SIGNATURES: &str = "articleid_signature";
pub const SOURCE_STATE: &str = "sourcename_state";
pub const OUTBOX: &str = "seq_outbox";
pub const SENT: &str = "targetincident_sent";
pub const TARGETS: &str = "target_state";
pub const MUTES: &str = "target_mutes";
pub const CHANNELS: &str = "target_settings";

/// Key of what one target was sent of one incident.
pub fn sent(target: &str, incident_id: &str) -> Vec<u8> {
    let mut k = target.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(incident_id.as_bytes());
    k
}
pub const BANDS: &str = "band_articleid";

/// LSH index key of one article in one band.
pub fn band(band_key: &[u8; 9], article_id: &str) -> Vec<u8> {
    let mut k = band_key.to_vec();
    k.extend_from_slice(article_id.as_bytes());
    k
}

/// Key for a GUID seen from one source.
pub fn seen_guid(source: &str, guid: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(6 + source.len() + guid.len());
    k.extend_from_slice(b"guid:");
    k.extend_from_slice(source.as_bytes());
    k.push(0);
    k.extend_from_slice(guid.as_bytes());
    k
}

/// Key for a canonical URL (see [`crate::source::canonical_url`]).
pub fn seen_url(canonical: &str) -> Vec<u8> {
    let mut k = b"url:".to_vec();
    k.extend_from_slice(canonical.as_bytes());
    k
}

/// Prefix of every index key of one country and day.
pub fn country_day_prefix(country: &str, day: NaiveDate) -> Vec<u8> {
    let mut k = country.as_bytes().to_vec();
    k.extend_from_slice(day.format("%Y%m%d").to_string().as_bytes());
    k.push(0);
    k
}

/// Index key of one incident.
pub fn country_day(country: &str, day: NaiveDate, incident_id: &str) -> Vec<u8> {
    let mut k = country_day_prefix(country, day);
    k.extend_from_slice(incident_id.as_bytes());
    k
}
