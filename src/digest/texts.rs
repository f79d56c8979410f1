//! Every word the digest and `/digest` show, in one place, behind functions that take the
//! channel's language (`"en"` today; each string moves into the `i18n/*.ftl` catalogues when the
//! language work lands). Unknown languages read English. Texts are plain: adapters escape them.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{Change, WORST, deaths};
use crate::deliver::format::{self, severity_badge, verification_badge};
use crate::extract::Gazetteer;
use crate::model::{DigestSchedule, Incident, Severity};

/// The language digests are written in until channels choose one.
pub const DEFAULT_LANG: &str = "en";

/// "last 24 hours".
fn period(lang: &str, hours: u32) -> String {
    crate::map::region_texts::period_words(lang, hours)
}

/// The digest's first line: "📋 Daily digest · last 24 hours to Sat 28 Nov 2026 07:00 (Africa/Bamako)".
pub fn heading(lang: &str, end: DateTime<Utc>, zone: chrono_tz::Tz, hours: u32) -> String {
    let local = end.with_timezone(&zone);
    format!(
        "📋 Daily digest · {} to {} ({})",
        period(lang, hours),
        local.format("%a %-d %b %Y %H:%M"),
        zone.name()
    )
}

/// The title of the digest's map.
pub fn map_title(_lang: &str) -> String {
    "Daily digest".into()
}

/// A country's name for the counts.
fn country_name(code: &str, gaz: &Gazetteer) -> String {
    gaz.country(code)
        .map_or_else(|| code.to_string(), |p| p.name.clone())
}

/// "5 incidents · 48 killed".
fn totals(new: &[&Incident]) -> String {
    let killed: u64 = new.iter().map(|i| u64::from(deaths(i))).sum();
    let n = new.len();
    let incidents = if n == 1 {
        "1 incident".to_string()
    } else {
        format!("{n} incidents")
    };
    if killed > 0 {
        format!("{incidents} · {killed} killed")
    } else {
        incidents
    }
}

/// "• Mali: 3 (🔴 1 · 🟠 2)" per country, the busiest first.
fn counts(new: &[&Incident], gaz: &Gazetteer) -> Vec<String> {
    let mut countries: Vec<(&str, [usize; 4])> = Vec::new();
    for i in new {
        let slot = match i.severity {
            Severity::Critical => 0,
            Severity::High => 1,
            Severity::Medium => 2,
            Severity::Low => 3,
        };
        match countries.iter_mut().find(|(c, _)| *c == i.country) {
            Some((_, n)) => n[slot] += 1,
            None => {
                let mut n = [0; 4];
                n[slot] = 1;
                countries.push((&i.country, n));
            }
        }
    }
    countries.sort_by(|a, b| {
        let (ta, tb): (usize, usize) = (a.1.iter().sum(), b.1.iter().sum());
        tb.cmp(&ta).then(a.0.cmp(b.0))
    });
    let order = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
    countries
        .iter()
        .map(|(c, n)| {
            let split: Vec<String> = order
                .iter()
                .zip(n)
                .filter(|(_, k)| **k > 0)
                .map(|(s, k)| format!("{} {k}", severity_badge(*s)))
                .collect();
            format!(
                "• {}: {} ({})",
                country_name(c, gaz),
                n.iter().sum::<usize>(),
                split.join(" · ")
            )
        })
        .collect()
}

/// "#ML-20250601-boulkessi: toll revised from 30 to 34 (confirmed) · now 🟢 confirmed".
fn change_line(i: &Incident, changes: &[Change]) -> String {
    let figure = |f: Option<u32>| f.map_or_else(|| "none".to_string(), |n| n.to_string());
    let parts: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Toll {
                from,
                to,
                confirmed,
            } => format!(
                "toll revised from {} to {}{}",
                figure(*from),
                figure(*to),
                if *confirmed { " (confirmed)" } else { "" }
            ),
            Change::Verification(v) => format!("now {} {}", verification_badge(*v), v),
        })
        .collect();
    format!(
        "{} #{}: {}",
        severity_badge(i.severity),
        i.id,
        parts.join(" · ")
    )
}

/// The whole digest: heading, totals and counts, the worst incidents, the changes; one line when
/// the period had nothing.
pub fn digest_text(
    lang: &str,
    new: &[&Incident],
    changed: &[(Incident, Vec<Change>)],
    end: DateTime<Utc>,
    zone: chrono_tz::Tz,
    hours: u32,
    gaz: &Gazetteer,
) -> String {
    let head = heading(lang, end, zone, hours);
    if new.is_empty() && changed.is_empty() {
        return format!("{head}: no incident.");
    }
    let mut t = String::new();
    let _ = writeln!(t, "{head}");
    if new.is_empty() {
        let _ = writeln!(t, "No new incident.");
    } else {
        let _ = writeln!(t, "{}", totals(new));
        for line in counts(new, gaz) {
            let _ = writeln!(t, "{line}");
        }
        let _ = writeln!(t, "\nWorst:");
        for i in new.iter().take(WORST) {
            let _ = writeln!(t, "{}", format::recent_line(i, gaz));
        }
        if new.len() > WORST {
            let _ = writeln!(t, "… and {} more", new.len() - WORST);
        }
    }
    if !changed.is_empty() {
        let _ = writeln!(t, "\nChanged since the last digest:");
        for (i, c) in changed.iter().take(WORST) {
            let _ = writeln!(t, "{}", change_line(i, c));
        }
        if changed.len() > WORST {
            let _ = writeln!(t, "… and {} more", changed.len() - WORST);
        }
    }
    t.trim_end().to_string()
}

/// `/digest` answers.
pub fn digest_set(_lang: &str, s: &DigestSchedule) -> String {
    format!(
        "Daily digest on: every day at {} ({}), the last 24 hours of this channel's subscriptions. /digest off to stop it.",
        s.time.format("%H:%M"),
        s.zone.name()
    )
}

pub fn digest_stopped(_lang: &str) -> String {
    "Daily digest off.".into()
}

pub fn digest_status(_lang: &str, s: Option<&DigestSchedule>) -> String {
    match s {
        Some(s) => format!(
            "Daily digest at {} ({}). /digest off to stop it.",
            s.time.format("%H:%M"),
            s.zone.name()
        ),
        None => "No daily digest here. /digest 07:00 Africa/Bamako starts one.".into(),
    }
}

/// Usage of `/digest`.
pub fn digest_usage(_lang: &str) -> &'static str {
    "/digest HH:MM [zone, e.g. Africa/Bamako] | /digest off"
}
