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
//! Who speaks matters for sources that are not news outlets ([`Standing`], applied to a report
//! before it is merged by [`apply_standing`]): a post on a Telegram channel nobody vouched for is
//! a social-media post (`rumour`) unless it cites its sources; a channel given a reliability letter
//! A-C counts like an outlet; an armed group's or army's own channel speaks as that party.
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

/// How far a source's own word goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Standing {
    /// A news outlet, or a channel vetted with a reliability letter A-C: stating the event as
    /// fact is reporting it.
    #[default]
    Outlet,
    /// A channel nobody vouched for (no letter, or D-F): its posts are social-media posts.
    Unvetted,
    /// A party's own channel: an armed group's (`state = false`) or an army's or government's.
    Party { name: String, state: bool },
}

/// Turns what a report's text says about its sourcing into what its source's standing allows.
/// `perpetrator_on_party_side` says whether the report's perpetrator is the party or on its side
/// (`None` when unknown); `cites_sources` whether the text carries sourcing cues ("selon des
/// sources locales", "residents said").
pub fn apply_standing(
    report: &mut Report,
    standing: &Standing,
    perpetrator_on_party_side: Option<bool>,
    cites_sources: bool,
) {
    let evidence = &mut report.evidence;
    match standing {
        Standing::Outlet => {}
        Standing::Unvetted => {
            if !cites_sources {
                evidence.reported = false;
                evidence.rumour = true;
            }
        }
        Standing::Party { name, state } => {
            // A party is never a neutral reporter of its own war.
            evidence.reported = false;
            evidence.rumour = false;
            if !state {
                evidence.official = false;
                evidence.toll_official = false;
                if let Some(f) = report.fatalities.as_mut() {
                    f.confirmed = false;
                }
            }
            if perpetrator_on_party_side == Some(false) {
                // The other side's attack, told by the side that suffered it.
                evidence.acknowledged = true;
            } else if !evidence.claimed_by.contains(name) {
                evidence.claimed_by.push(name.clone());
            }
        }
    }
}

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
    use crate::incident::Evidence;
    use crate::model::{DatePrecision, SourceRef};

    fn post(family: &str, evidence: Evidence) -> Report {
        Report {
            source: SourceRef {
                url: format!("https://t.me/{family}/1"),
                outlet: family.into(),
                family: format!("t.me/{family}"),
                published: None,
                lang: Some("fr".into()),
            },
            family: format!("t.me/{family}"),
            kind: Kind::Clash,
            place: Some("Djibo".into()),
            admin1: None,
            lat: None,
            lon: None,
            geo_precision: 1,
            date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            date_end: None,
            date_precision: DatePrecision::Day,
            actors: vec![],
            perpetrator: Some("JNIM".into()),
            target: None,
            fatalities: None,
            summary: String::new(),
            evidence,
            story: Default::default(),
            seen: chrono::Utc::now(),
        }
    }

    fn graded(standing: &Standing, on_side: Option<bool>, cites: bool, e: Evidence) -> Report {
        let mut r = post("chan", e);
        apply_standing(&mut r, standing, on_side, cites);
        r
    }

    #[test]
    fn channel_standing_sets_verification() {
        // What the extractor says of a post that states the event as fact.
        let stated = Evidence {
            reported: true,
            ..Default::default()
        };
        let unvetted = graded(&Standing::Unvetted, None, false, stated.clone());
        assert_eq!(verification(&[&unvetted]), Verification::Rumour);
        assert!(unvetted.evidence.rumour);
        let sourced = graded(&Standing::Unvetted, None, true, stated.clone());
        assert_eq!(verification(&[&sourced]), Verification::Reported);
        let outlet = graded(&Standing::Outlet, None, false, stated.clone());
        assert_eq!(verification(&[&outlet]), Verification::Reported);

        let jnim = Standing::Party {
            name: "JNIM".into(),
            state: false,
        };
        let claim = graded(&jnim, Some(true), false, stated.clone());
        assert_eq!(claim.evidence.claimed_by, ["JNIM"]);
        assert_eq!(verification(&[&claim]), Verification::Claimed);
        let fama = Standing::Party {
            name: "FAMa".into(),
            state: true,
        };
        let ack = graded(&fama, Some(false), false, stated.clone());
        assert!(ack.evidence.acknowledged && ack.evidence.claimed_by.is_empty());
        assert_eq!(
            verification(&[&claim, &ack]),
            Verification::Corroborated,
            "one side's claim and the other's acknowledgement"
        );
        // A group's channel cannot make its own toll official.
        let boast = graded(
            &jnim,
            Some(true),
            false,
            Evidence {
                official: true,
                toll_official: true,
                ..Default::default()
            },
        );
        assert_eq!(verification(&[&boast]), Verification::Claimed);
        // Two unvetted channels of different families are still two rumours.
        let other = {
            let mut r = post("other", stated.clone());
            apply_standing(&mut r, &Standing::Unvetted, None, false);
            r
        };
        assert_eq!(verification(&[&unvetted, &other]), Verification::Rumour);
    }

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
