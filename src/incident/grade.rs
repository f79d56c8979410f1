//! The grading rules in one place: verification across reports (domain.md §2.3) and severity
//! (domain.md §3.2). Both are pure functions of what the reports say.
//!
//! Verification, from the evidence of every report of an incident:
//! - `confirmed`: an official statement names the event or gives the toll (government, army
//!   conceding its losses, UN/OCHA), or a dataset such as ACLED codes it;
//! - `corroborated`: two independent publisher families report it with their own sourcing (wire
//!   copies count for the wire's family), or one side's claim is acknowledged by the other side,
//!   or an outlet's own reporting is backed by an official's acknowledgement;
//! - `reported`: one outlet reports it with its own sourcing (local or security sources, residents);
//! - `claimed`: only a party's claim (a group's statement, an army communiqué);
//! - `rumour`: only unverified footage or social-media posts.
//!
//! A denial caps the level at `claimed` until two independent families report the event.
//!
//! Severity starts from the toll (`best`, else `low`): 50+ critical, 10-49 high, 1-9 medium, none
//! low. Kinds and targets raise it: a base overrun, an attack on a national capital or an airport,
//! the seizure of a regional or district capital and a mass abduction of 50+ are critical; an
//! attack on a town, a coordinated or suicide attack, an attack on aid workers or foreigners, an
//! abduction of 10+ and a massacre of 5+ civilians are at least high; ambushes, IEDs, strikes,
//! shelling, abductions and blockades are at least medium. A UNESCO World Heritage town or foreign
//! victims add one level. Unrest and political events take no bumps.

use std::collections::BTreeSet;

use super::Report;
use crate::model::{Fatalities, Kind, Severity, Verification};

/// Verification of an incident from all its reports.
pub fn verification(reports: &[&Report]) -> Verification {
    if reports.iter().any(|r| r.evidence.official) {
        return Verification::Confirmed;
    }
    let reporting_families: BTreeSet<&str> = reports
        .iter()
        .filter(|r| r.evidence.reported)
        .map(|r| r.family.as_str())
        .collect();
    let claims: BTreeSet<&str> = reports
        .iter()
        .flat_map(|r| r.evidence.claimed_by.iter().map(String::as_str))
        .collect();
    let acknowledged = reports.iter().any(|r| r.evidence.acknowledged);
    let independent = reporting_families.len() >= 2;
    // The outlet's own sourcing plus an official acknowledgement is "outlet + named official".
    let level = if independent
        || (!claims.is_empty() && acknowledged)
        || (acknowledged && !reporting_families.is_empty())
    {
        Verification::Corroborated
    } else if !reporting_families.is_empty() {
        Verification::Reported
    } else if !claims.is_empty() || acknowledged {
        Verification::Claimed
    } else {
        Verification::Rumour
    };
    if reports.iter().any(|r| r.evidence.denied) && !independent {
        level.min(Verification::Claimed)
    } else {
        level
    }
}

/// Severity of an incident (rules in the module documentation).
pub fn severity(
    kind: Kind,
    fatalities: Option<&Fatalities>,
    abducted: Option<u32>,
    bumps: &BTreeSet<&str>,
) -> Severity {
    // Militants' dead are in the toll (DESIGN §3.2) but do not make an incident graver: a
    // communiqué's "40 terrorists neutralised" is not a massacre.
    let deaths = fatalities
        .map(|f| {
            let all = f.figure().unwrap_or(0);
            all.saturating_sub(f.by_side.militants.unwrap_or(0))
        })
        .unwrap_or(0);
    let abducted = abducted.unwrap_or(0);
    let mut level = match deaths {
        50.. => Severity::Critical,
        10..=49 => Severity::High,
        1..=9 => Severity::Medium,
        0 => Severity::Low,
    };
    let violent = !matches!(kind, Kind::Unrest | Kind::Political);
    if !violent {
        return level;
    }
    let has = |b: &str| bumps.contains(b);
    let critical = kind == Kind::BaseOverrun
        || has("capital")
        || has("airport")
        || (kind == Kind::TownSeized && has("admin_capital"))
        || (kind == Kind::Abduction && abducted >= 50);
    let high = matches!(
        kind,
        Kind::AttackOnCity | Kind::SuicideAttack | Kind::TownSeized
    ) || has("coordinated")
        || has("aid_workers")
        || has("foreigners")
        || (kind == Kind::Abduction && abducted >= 10)
        || (kind == Kind::CivilianAttack && deaths >= 5);
    // A strike whose only reported dead are militants "neutralised" by the army stays low.
    let medium = matches!(
        kind,
        Kind::Ambush | Kind::Ied | Kind::Shelling | Kind::Abduction | Kind::Blockade
    ) || (kind == Kind::Airstrike && deaths > 0);
    if critical {
        level = Severity::Critical;
    } else if high {
        level = level.max(Severity::High);
    } else if medium {
        level = level.max(Severity::Medium);
    }
    if has("unesco") || has("foreigners") {
        level = level.bump();
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sev(kind: Kind, deaths: Option<u32>, abducted: Option<u32>, bumps: &[&str]) -> Severity {
        let f = deaths.map(|n| Fatalities {
            low: Some(n),
            best: Some(n),
            ..Default::default()
        });
        severity(kind, f.as_ref(), abducted, &bumps.iter().copied().collect())
    }

    #[test]
    fn severity_table() {
        use Kind::*;
        use Severity::*;
        type Case<'a> = (Kind, Option<u32>, Option<u32>, &'a [&'a str], Severity);
        let cases: &[Case] = &[
            (BaseOverrun, Some(30), None, &[], Critical),
            (BaseOverrun, None, None, &[], Critical),
            (Clash, Some(30), None, &[], High),
            (Clash, Some(60), None, &[], Critical),
            (Clash, None, None, &[], Low),
            (Clash, Some(3), None, &[], Medium),
            (AttackOnCity, None, None, &["unesco"], Critical),
            (AttackOnCity, None, None, &[], High),
            (CivilianAttack, Some(5), None, &[], High),
            (CivilianAttack, Some(4), None, &[], Medium),
            (Ambush, None, None, &[], Medium),
            (Airstrike, None, None, &[], Low),
            (Airstrike, Some(3), None, &[], Medium),
            (Ied, Some(2), None, &["capital"], Critical),
            (TownSeized, None, None, &["admin_capital"], Critical),
            (TownSeized, None, None, &[], High),
            (Abduction, None, Some(60), &[], Critical),
            (Abduction, None, Some(12), &[], High),
            (Abduction, None, Some(3), &[], Medium),
            (Abduction, None, Some(3), &["foreigners"], Critical),
            (Unrest, None, None, &["capital"], Low),
            (Political, None, None, &[], Low),
            (SuicideAttack, Some(1), None, &[], High),
        ];
        for (kind, deaths, abducted, bumps, want) in cases {
            assert_eq!(
                sev(*kind, *deaths, *abducted, bumps),
                *want,
                "{kind:?} {deaths:?} {abducted:?} {bumps:?}"
            );
        }
    }
}
