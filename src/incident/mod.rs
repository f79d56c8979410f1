//! Incidents across reports: matching a newly extracted incident against stored ones (through the
//! (country, day) index), merging the reports of one incident, and grading the merged result.
//! Merging is a pure function of the set of reports, so the order reports arrive in does not
//! change the outcome, and figures are never added up (DESIGN §4, domain.md §2.3-§2.4).

pub mod fingerprint;
pub mod grade;

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
    pub date_precision: DatePrecision,
    pub actors: Vec<String>,
    pub perpetrator: Option<String>,
    pub target: Option<TargetClass>,
    pub fatalities: Option<Fatalities>,
    pub summary: String,
    pub evidence: Evidence,
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

/// Kinds that may describe the same event seen by different reporters.
fn kind_family(kind: Kind) -> u8 {
    match kind {
        Kind::BaseOverrun
        | Kind::TownSeized
        | Kind::Clash
        | Kind::Ambush
        | Kind::AttackOnCity
        | Kind::TerritoryRetaken => 0,
        Kind::Ied | Kind::Shelling | Kind::SuicideAttack => 1,
        Kind::Airstrike => 2,
        Kind::CivilianAttack => 3,
        Kind::Abduction => 4,
        Kind::Blockade => 5,
        Kind::Unrest => 6,
        Kind::Political => 7,
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

/// Great-circle distance in km.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

/// Largest distance between two precise places of one incident.
pub const MATCH_RADIUS_KM: f64 = 25.0;

/// The fields matching looks at, kept in the (country, day) index so that candidates are
/// compared without reading their whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchKey {
    pub country: String,
    pub kind: Kind,
    pub date: chrono::NaiveDate,
    pub date_precision: DatePrecision,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: u8,
    pub admin1: Option<String>,
    pub perpetrator: Option<String>,
}

impl MatchKey {
    pub fn of(i: &Incident) -> MatchKey {
        MatchKey {
            country: i.country.clone(),
            kind: i.kind,
            date: i.date,
            date_precision: i.date_precision,
            lat: i.lat,
            lon: i.lon,
            geo_precision: i.geo_precision,
            admin1: i.admin1.clone(),
            perpetrator: i.perpetrator.clone(),
        }
    }
}

/// Whether a new account and a stored incident describe the same event (DESIGN §4): same
/// country; dates within a day (three when either is only known to the week); compatible kinds;
/// no conflicting perpetrator; places within 25 km, or the same region when one is coarse.
pub fn matches(incident: &MatchKey, new: &MatchKey) -> bool {
    if incident.country != new.country {
        return false;
    }
    let window = if incident.date_precision != DatePrecision::Day
        || new.date_precision != DatePrecision::Day
    {
        3
    } else {
        1
    };
    if (incident.date - new.date).num_days().abs() > window {
        return false;
    }
    if kind_family(incident.kind) != kind_family(new.kind) {
        return false;
    }
    if let (Some(a), Some(b)) = (&incident.perpetrator, &new.perpetrator) {
        let vague = |p: &str| p == "unidentified armed group";
        if a != b && !vague(a) && !vague(b) {
            return false;
        }
    }
    let both_precise = incident.geo_precision == 1 && new.geo_precision == 1;
    match (incident.lat, incident.lon, new.lat, new.lon) {
        (Some(a), Some(b), Some(c), Some(d)) if both_precise => {
            distance_km(a, b, c, d) <= MATCH_RADIUS_KM
        }
        _ => match (&incident.admin1, &new.admin1) {
            (Some(a), Some(b)) => a == b,
            // No place on one side: the same country and day is not enough.
            _ => false,
        },
    }
}

/// Recomputes an incident from all its reports. Pure and independent of report order.
pub fn merged(record: &IncidentRecord) -> Incident {
    let mut reports: Vec<&Report> = record.reports.iter().collect();
    reports.sort_by(|a, b| {
        (a.source.published, &a.source.url).cmp(&(b.source.published, &b.source.url))
    });
    let old = &record.incident;

    let kind = reports
        .iter()
        .map(|r| r.kind)
        .max_by_key(|k| (kind_rank(*k), *k))
        .unwrap_or(old.kind);
    // The most precise place; among equals, the earliest report's.
    let placed = reports
        .iter()
        .min_by_key(|r| (r.geo_precision, r.place.is_none()))
        .copied();
    let date_report = reports
        .iter()
        .min_by_key(|r| (r.date_precision != DatePrecision::Day, r.source.published))
        .copied();

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
        date: date_report.map(|r| r.date).unwrap_or(old.date),
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
