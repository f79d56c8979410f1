//! Incidents across reports: matching a newly extracted incident against stored ones (through the
//! (country, day) index), merging the reports of one incident, and grading the merged result.
//! Merging is a pure function of the set of reports, so the order reports arrive in does not
//! change the outcome, and figures are never added up (DESIGN §4, domain.md §2.3-§2.4).

pub mod fingerprint;
pub mod grade;
pub mod matching;

pub use matching::{
    Choice, MATCH_RADIUS_KM, MatchKey, choose, distance_km, kind_family, kinds_compatible, matches,
    may_match, may_match_outline,
};

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{
    Change, DatePrecision, Fatalities, Incident, Kind, SourceRef, TargetClass, Verification,
};

/// What one article says about how it knows, used to grade verification across reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Parties that claimed the attack ("JNIM claimed responsibility").
    pub claimed_by: Vec<String>,
    /// The attacked side acknowledged the attack or its losses (army statement).
    pub acknowledged: bool,
    /// An official body (government, army, UN/OCHA) confirmed the event or gave the toll.
    pub official: bool,
    /// The article carries its own sourcing (local/security sources, residents, named officials).
    pub reported: bool,
    /// Only unverified footage or social-media posts stand behind it.
    pub rumour: bool,
    /// A party denied the event.
    pub denied: bool,
    /// The wire agency the article credits ("AFP", "Reuters", "AP"), for independence.
    pub wire: Option<String>,
    /// The toll is a revision ("death toll rises to 32").
    pub toll_update: bool,
    /// The toll is an official or independent count.
    pub toll_official: bool,
    /// Severity bumps found in the text or the place (domain.md §3.2): "capital", "airport",
    /// "unesco", "foreigners", "aid_workers", "coordinated", "admin_capital".
    pub bumps: Vec<String>,
    /// People abducted, when the article gives a number.
    pub abducted: Option<u32>,
    /// That number is a floor or an estimate ("over 300", "dozens"): the event may have taken more.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abducted_floor: bool,
}

/// What a report's story is about, for matching the reports of one event across outlets and
/// days (written by `extract::story`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Telling words of the headline and lede ("schoolgirl", "kebbi", "25"), not the words every
    /// report of violence shares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// The report tells the aftermath of an earlier event (a release, a search, a funeral), so
    /// its publication day is not the event's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up: bool,
    /// The text gives no date: the report is dated on its publication, and the event may be
    /// of the days before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undated: bool,
}

/// One article's account of an incident, as stored with the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub source: SourceRef,
    /// Independence family: the wire's family when the article credits a wire, else the outlet's.
    pub family: String,
    pub kind: Kind,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: u8,
    pub date: chrono::NaiveDate,
    /// Last day of an event that ran over several days ("from Thursday to Saturday", "three
    /// days of fighting"); `date` is then its first day. Absent in records written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<chrono::NaiveDate>,
    pub date_precision: DatePrecision,
    pub actors: Vec<String>,
    pub perpetrator: Option<String>,
    pub target: Option<TargetClass>,
    pub fatalities: Option<Fatalities>,
    pub summary: String,
    pub evidence: Evidence,
    /// What the story is about, for matching (absent in records written before).
    #[serde(default)]
    pub story: Story,
    /// When sitrep first saw the article.
    pub seen: DateTime<Utc>,
}

/// An incident with every report behind it: what the store keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRecord {
    pub incident: Incident,
    pub reports: Vec<Report>,
}

impl IncidentRecord {
    /// A new record holding one report; the id is empty until the incident is stored.
    pub fn from_report(country: &str, report: Report) -> IncidentRecord {
        let seed = Incident {
            id: String::new(),
            kind: report.kind,
            country: country.to_string(),
            admin1: report.admin1.clone(),
            place: report.place.clone(),
            lat: report.lat,
            lon: report.lon,
            geo_precision: report.geo_precision,
            date: report.date,
            date_end: report.date_end,
            date_precision: report.date_precision,
            actors: vec![],
            perpetrator: None,
            claimed_by: vec![],
            target: None,
            fatalities: None,
            severity: crate::model::Severity::Low,
            verification: Verification::Rumour,
            summary: String::new(),
            sources: vec![],
            first_seen: report.seen,
            updated: report.seen,
        };
        let mut record = IncidentRecord {
            incident: seed,
            reports: vec![report],
        };
        record.incident = merged(&record);
        record
    }
}

/// How specific a kind is: on merge the most specific account of the event wins.
fn kind_rank(kind: Kind) -> u8 {
    match kind {
        Kind::BaseOverrun => 9,
        Kind::TownSeized => 8,
        Kind::TerritoryRetaken => 7,
        Kind::SuicideAttack => 7,
        Kind::AttackOnCity => 6,
        Kind::Ambush => 5,
        Kind::Ied | Kind::Airstrike | Kind::Shelling => 5,
        Kind::Abduction => 4,
        Kind::CivilianAttack => 3,
        Kind::Clash => 2,
        Kind::Blockade | Kind::Unrest | Kind::Political => 1,
    }
}

/// Recomputes an incident from all its reports. Pure and independent of report order.
pub fn merged(record: &IncidentRecord) -> Incident {
    let mut reports: Vec<&Report> = record.reports.iter().collect();
    reports.sort_by(|a, b| {
        (a.source.published, &a.source.url).cmp(&(b.source.published, &b.source.url))
    });
    let old = &record.incident;

    let kind = merged_kind(&reports).unwrap_or(old.kind);
    // The most precise place; among equals, the earliest report's.
    let placed = reports
        .iter()
        .min_by_key(|r| (r.geo_precision, r.place.is_none()))
        .copied();
    let date_report = reports
        .iter()
        .min_by_key(|r| (r.date_precision != DatePrecision::Day, r.source.published))
        .copied();
    let (date, date_end) = span(&reports, date_report.map_or(old.date, |r| r.date));

    let mut actors: Vec<String> = Vec::new();
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for r in &reports {
        for a in &r.actors {
            if !actors.contains(a) {
                actors.push(a.clone());
            }
        }
        claimed.extend(r.evidence.claimed_by.iter().cloned());
    }
    let perpetrator = reports
        .iter()
        .filter_map(|r| r.perpetrator.clone())
        .find(|p| p != "unidentified armed group")
        .or_else(|| reports.iter().find_map(|r| r.perpetrator.clone()));
    if let Some(p) = &perpetrator {
        actors.retain(|a| a != "unidentified armed group" || p == a);
        if let Some(i) = actors.iter().position(|a| a == p) {
            let p = actors.remove(i);
            actors.insert(0, p);
        }
    }
    let target = reports.iter().find_map(|r| r.target);

    let fatalities = best_fatalities(&reports);
    let verification = grade::verification(&reports);
    let mut bumps: BTreeSet<&str> = BTreeSet::new();
    for r in &reports {
        bumps.extend(r.evidence.bumps.iter().map(String::as_str));
    }
    let abducted = reports.iter().filter_map(|r| r.evidence.abducted).max();
    let severity = grade::severity(kind, fatalities.as_ref(), abducted, &bumps);

    let mut sources: Vec<SourceRef> = Vec::new();
    for r in &reports {
        if !sources.iter().any(|s| s.url == r.source.url) {
            sources.push(r.source.clone());
        }
    }
    let summary = reports
        .iter()
        .max_by_key(|r| (r.evidence.official, r.source.published))
        .map(|r| r.summary.clone())
        .unwrap_or_default();

    let first_seen = reports
        .iter()
        .map(|r| r.seen)
        .min()
        .unwrap_or(old.first_seen);
    let updated = reports.iter().map(|r| r.seen).max().unwrap_or(old.updated);
    Incident {
        id: old.id.clone(),
        kind,
        country: old.country.clone(),
        admin1: placed.and_then(|r| r.admin1.clone()).or(old.admin1.clone()),
        place: placed.and_then(|r| r.place.clone()),
        lat: placed.and_then(|r| r.lat),
        lon: placed.and_then(|r| r.lon),
        geo_precision: placed.map(|r| r.geo_precision).unwrap_or(old.geo_precision),
        date,
        date_end,
        date_precision: date_report
            .map(|r| r.date_precision)
            .unwrap_or(old.date_precision),
        actors,
        perpetrator,
        claimed_by: claimed.into_iter().collect(),
        target,
        fatalities,
        severity,
        verification,
        summary,
        sources,
        first_seen,
        updated,
    }
}

/// The most specific kind that credible reports support: rumours count only when nothing
/// better stands behind the incident.
fn merged_kind(reports: &[&Report]) -> Option<Kind> {
    let credible = |r: &&&Report| {
        let e = &r.evidence;
        e.official || e.reported || e.acknowledged || !e.claimed_by.is_empty()
    };
    let pick = |it: &mut dyn Iterator<Item = &&Report>| {
        it.map(|r| r.kind).max_by_key(|k| (kind_rank(*k), *k))
    };
    pick(&mut reports.iter().filter(credible)).or_else(|| pick(&mut reports.iter()))
}

/// The incident's first day and, for an event over several days, its last: the reports' spans
/// joined, starting from the day the dating report gives.
fn span(
    reports: &[&Report],
    date: chrono::NaiveDate,
) -> (chrono::NaiveDate, Option<chrono::NaiveDate>) {
    let spans: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = reports
        .iter()
        .filter_map(|r| r.date_end.map(|e| (r.date, e.max(r.date))))
        .collect();
    let start = spans.iter().map(|s| s.0).fold(date, chrono::NaiveDate::min);
    let end = spans.iter().map(|s| s.1).max();
    (start, end.filter(|e| *e > start))
}

/// The toll to show: the most credible figure (official > revision > reported > claim), and
/// among equally credible ones the latest. Never a sum.
fn best_fatalities(reports: &[&Report]) -> Option<Fatalities> {
    reports
        .iter()
        .filter_map(|r| r.fatalities.map(|f| (r, f)))
        .max_by_key(|(r, _)| {
            let e = &r.evidence;
            let rank = if e.toll_official {
                3
            } else if e.toll_update {
                2
            } else if !e.claimed_by.is_empty() && !e.reported && !e.acknowledged {
                0
            } else {
                1
            };
            (rank, r.source.published, r.seen)
        })
        .map(|(r, mut f)| {
            f.confirmed = r.evidence.toll_official;
            f
        })
}

/// What a subscriber would see change between two versions of an incident. A new source alone is
/// reported as `Sources` and is quiet (see [`is_quiet`]).
pub fn changes(old: &Incident, new: &Incident) -> Vec<Change> {
    let mut out = Vec::new();
    if old.fatalities.and_then(|f| f.figure()) != new.fatalities.and_then(|f| f.figure())
        || old.fatalities.map(|f| f.confirmed) != new.fatalities.map(|f| f.confirmed)
    {
        out.push(Change::Fatalities);
    }
    if old.verification != new.verification {
        out.push(Change::Verification);
    }
    if old.severity != new.severity {
        out.push(Change::Severity);
    }
    if old.kind != new.kind {
        out.push(Change::Kind);
    }
    if old.place != new.place || old.geo_precision != new.geo_precision {
        out.push(Change::Place);
    }
    if old.date != new.date {
        out.push(Change::Date);
    }
    if old.perpetrator != new.perpetrator {
        out.push(Change::Actors);
    }
    if old.sources.len() != new.sources.len() {
        out.push(Change::Sources);
    }
    out
}

/// A change list that warrants no alert: nothing but new sources.
pub fn is_quiet(changes: &[Change]) -> bool {
    changes.iter().all(|c| *c == Change::Sources)
}

/// The id of a new incident: `CC-YYYYMMDD-slug`, slug from the place (or the region, or kind).
pub fn base_id(incident: &Incident) -> String {
    let name = incident
        .place
        .as_deref()
        .or(incident.admin1.as_deref())
        .unwrap_or(incident.kind.as_str());
    format!(
        "{}-{}-{}",
        incident.country,
        incident.date.format("%Y%m%d"),
        slug(name)
    )
}

/// Lowercase ASCII letters and digits joined by single hyphens ("Fada N'Gourma" -> "fada-ngourma").
pub fn slug(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '\'' || c == '’' {
            continue;
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests;
