//! How an incident reads to a subscriber (DESIGN §1): the alert card as plain text, and the one-line
//! form `/recent` lists. Platform renderings (Telegram HTML, Discord embeds) build on these parts.

use crate::extract::Gazetteer;
use crate::incident::IncidentRecord;
use crate::model::{Incident, Severity, Verification};

/// The colour dot of a severity.
pub fn severity_badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🔴",
        Severity::High => "🟠",
        Severity::Medium => "🟡",
        Severity::Low => "⚪",
    }
}

/// The badge of a verification level.
pub fn verification_badge(v: Verification) -> &'static str {
    match v {
        Verification::Confirmed => "🟢",
        Verification::Corroborated => "🟠",
        Verification::Reported => "🟡",
        Verification::Claimed => "🟣",
        Verification::Rumour => "⚫",
    }
}

/// "Boulkessi, Mopti, Mali".
pub fn where_line(i: &Incident, gaz: &Gazetteer) -> String {
    let country = gaz
        .country(&i.country)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| i.country.clone());
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = &i.place {
        parts.push(p.clone());
    }
    if let Some(a) = &i.admin1
        && Some(a) != i.place.as_ref()
    {
        parts.push(a.clone());
    }
    parts.push(country);
    parts.join(", ")
}

/// "30+ (unconfirmed)", "12 (confirmed)", "up to 50", or "unknown".
pub fn toll_line(i: &Incident) -> String {
    match i.fatalities {
        None => "unknown".into(),
        Some(f) => {
            let status = if f.confirmed {
                "confirmed"
            } else {
                "unconfirmed"
            };
            match (f.figure(), f.high) {
                (Some(n), Some(h)) if h > n => format!("{n}-{h} ({status})"),
                (Some(n), _) => format!("{n}{} ({status})", if f.approx { "+" } else { "" }),
                (None, Some(h)) => format!("up to {h} ({status})"),
                (None, None) => format!("several ({status})"),
            }
        }
    }
}

/// "JNIM (claimed) vs FAMa".
pub fn who_line(i: &Incident) -> String {
    let mut parts = Vec::new();
    for a in &i.actors {
        if i.claimed_by.contains(a) {
            parts.push(format!("{a} (claimed)"));
        } else {
            parts.push(a.clone());
        }
    }
    match parts.len() {
        0 => "actors unknown".into(),
        1 => parts.remove(0),
        _ => {
            let first = parts.remove(0);
            format!("{first} vs {}", parts.join(", "))
        }
    }
}

/// Why the verification level is what it is: "JNIM claim + army statement, 3 outlets".
pub fn verification_reasons(record: &IncidentRecord) -> String {
    let mut reasons: Vec<String> = Vec::new();
    let e = record.reports.iter().map(|r| &r.evidence);
    let claims: Vec<String> = {
        let mut c: Vec<String> = e
            .clone()
            .flat_map(|e| e.claimed_by.iter().cloned())
            .collect();
        c.sort();
        c.dedup();
        c
    };
    if !claims.is_empty() {
        reasons.push(format!("{} claim", claims.join(", ")));
    }
    if e.clone().any(|e| e.official) {
        reasons.push("official statement".into());
    } else if e.clone().any(|e| e.acknowledged) {
        reasons.push("army statement".into());
    }
    if e.clone().any(|e| e.denied) {
        reasons.push("denied".into());
    }
    if e.clone().all(|e| e.rumour && !e.reported) {
        reasons.push("unverified footage".into());
    }
    let mut families: Vec<&str> = record.reports.iter().map(|r| r.family.as_str()).collect();
    families.sort();
    families.dedup();
    let outlets = families.len();
    let mut s = reasons.join(" + ");
    if !s.is_empty() {
        s.push_str(", ");
    }
    s.push_str(&format!(
        "{outlets} outlet{}",
        if outlets == 1 { "" } else { "s" }
    ));
    s
}

/// The full alert card as plain text (console, demo, `/incident`).
pub fn card(record: &IncidentRecord, gaz: &Gazetteer) -> String {
    let i = &record.incident;
    let mut outlets: Vec<&str> = i.sources.iter().map(|s| s.outlet.as_str()).collect();
    outlets.dedup();
    let banner = if i.verification == Verification::Rumour {
        " · UNVERIFIED"
    } else {
        ""
    };
    format!(
        "{} {} · {} · {}{}\n{} · {}\nKilled: {}\nVerification: {} {}, {}\nSources: {}\n#{}   first seen {} UTC, updated {} UTC",
        severity_badge(i.severity),
        i.severity.as_str().to_uppercase(),
        i.kind.label(),
        where_line(i, gaz),
        banner,
        i.date.format("%a %-d %b %Y"),
        who_line(i),
        toll_line(i),
        verification_badge(i.verification),
        i.verification.as_str().to_uppercase(),
        verification_reasons(record),
        outlets.join(" · "),
        i.id,
        i.first_seen.format("%H:%M"),
        i.updated.format("%H:%M"),
    )
}

/// One line of `/recent`: badges, date, kind, place, toll, id.
pub fn recent_line(i: &Incident, gaz: &Gazetteer) -> String {
    let toll = match i.fatalities.and_then(|f| f.figure()) {
        Some(n) => format!(
            " · {n}{} killed",
            if i.fatalities.is_some_and(|f| f.approx) {
                "+"
            } else {
                ""
            }
        ),
        None => String::new(),
    };
    format!(
        "{}{} {} · {} · {}{} · #{}",
        severity_badge(i.severity),
        verification_badge(i.verification),
        i.date.format("%-d %b"),
        i.kind.label(),
        where_line(i, gaz),
        toll,
        i.id
    )
}
