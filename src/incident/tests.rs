//! Matching and merging: the same event from several reports becomes one incident whatever the
//! order; tolls are revised, never added; verification rises only with independent evidence.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::model::Severity;

fn report(family: &str, url: &str, hour: u32, evidence: Evidence, toll: Option<u32>) -> Report {
    Report {
        source: SourceRef {
            url: url.into(),
            outlet: family.into(),
            family: family.into(),
            published: Some(Utc.with_ymd_and_hms(2025, 6, 2, hour, 0, 0).unwrap()),
            lang: Some("en".into()),
        },
        family: family.into(),
        kind: Kind::Clash,
        place: Some("Djibo".into()),
        admin1: Some("Sahel".into()),
        lat: Some(14.10),
        lon: Some(-1.63),
        geo_precision: 1,
        date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        date_precision: DatePrecision::Day,
        actors: vec!["JNIM".into(), "Burkina forces".into()],
        perpetrator: Some("JNIM".into()),
        target: Some(TargetClass::Military),
        fatalities: toll.map(|n| Fatalities {
            low: Some(n),
            best: Some(n),
            ..Default::default()
        }),
        summary: format!("report from {family}"),
        evidence,
        seen: Utc.with_ymd_and_hms(2025, 6, 2, hour, 5, 0).unwrap(),
    }
}

fn reported() -> Evidence {
    Evidence {
        reported: true,
        ..Default::default()
    }
}

fn record(reports: Vec<Report>) -> IncidentRecord {
    let mut it = reports.into_iter();
    let mut rec = IncidentRecord::from_report("BF", it.next().unwrap());
    rec.incident.id = "BF-20250601-djibo".into();
    for r in it {
        rec.reports.push(r);
        rec.incident = merged(&rec);
    }
    rec
}

#[test]
fn two_independent_families_corroborate_one_does_not() {
    let one = record(vec![
        report("rfi", "u1", 8, reported(), None),
        report("rfi", "u2", 9, reported(), None),
    ]);
    assert_eq!(one.incident.verification, Verification::Reported);
    let two = record(vec![
        report("rfi", "u1", 8, reported(), None),
        report("afp", "u2", 9, reported(), None),
    ]);
    assert_eq!(two.incident.verification, Verification::Corroborated);
}

#[test]
fn claim_plus_other_sides_acknowledgement_corroborates() {
    let claim = Evidence {
        claimed_by: vec!["JNIM".into()],
        ..Default::default()
    };
    let ack = Evidence {
        acknowledged: true,
        ..Default::default()
    };
    let only_claim = record(vec![report("zallaqa", "u1", 8, claim.clone(), None)]);
    assert_eq!(only_claim.incident.verification, Verification::Claimed);
    let both = record(vec![
        report("zallaqa", "u1", 8, claim, None),
        report("fama", "u2", 9, ack, None),
    ]);
    assert_eq!(both.incident.verification, Verification::Corroborated);
}

#[test]
fn a_denial_caps_at_claimed_until_independent_reporting() {
    let claim = Evidence {
        claimed_by: vec!["JNIM".into()],
        ..Default::default()
    };
    let denial = Evidence {
        denied: true,
        acknowledged: false,
        ..Default::default()
    };
    let rec = record(vec![
        report("zallaqa", "u1", 8, claim.clone(), None),
        report("fama", "u2", 9, denial.clone(), None),
    ]);
    assert_eq!(rec.incident.verification, Verification::Claimed);
    let rec = record(vec![
        report("zallaqa", "u1", 8, claim, None),
        report("fama", "u2", 9, denial, None),
        report("rfi", "u3", 10, reported(), None),
        report("afp", "u4", 11, reported(), None),
    ]);
    assert_eq!(rec.incident.verification, Verification::Corroborated);
}

#[test]
fn tolls_are_revised_never_added_and_official_wins() {
    let update = Evidence {
        reported: true,
        toll_update: true,
        ..Default::default()
    };
    let official = Evidence {
        official: true,
        toll_official: true,
        ..Default::default()
    };
    let rec = record(vec![
        report("rfi", "u1", 8, reported(), Some(12)),
        report("afp", "u2", 9, reported(), Some(15)),
        report("afp", "u3", 10, update, Some(19)),
    ]);
    assert_eq!(rec.incident.fatalities.unwrap().best, Some(19));
    assert!(!rec.incident.fatalities.unwrap().confirmed);
    let rec = record(vec![
        report("gov", "u0", 7, official, Some(23)),
        report("rfi", "u1", 8, reported(), Some(12)),
        report(
            "afp",
            "u3",
            10,
            Evidence {
                reported: true,
                toll_update: true,
                ..Default::default()
            },
            Some(30),
        ),
    ]);
    let f = rec.incident.fatalities.unwrap();
    assert_eq!((f.best, f.confirmed), (Some(23), true));
    assert_eq!(rec.incident.verification, Verification::Confirmed);
    assert_eq!(rec.incident.severity, Severity::High);
}

#[test]
fn merging_does_not_depend_on_report_order() {
    let official = Evidence {
        official: true,
        toll_official: true,
        ..Default::default()
    };
    let a = report("rfi", "u1", 8, reported(), Some(12));
    let b = report("afp", "u2", 9, reported(), Some(15));
    let mut c = report("gov", "u3", 10, official, Some(23));
    c.kind = Kind::BaseOverrun;
    let forward = record(vec![a.clone(), b.clone(), c.clone()]).incident;
    let backward = record(vec![c, b, a]).incident;
    assert_eq!(forward, backward);
    assert_eq!(
        forward.kind,
        Kind::BaseOverrun,
        "the most specific account wins"
    );
}

#[test]
fn matching_needs_country_place_date_kind_and_perpetrator() {
    let base = record(vec![report("rfi", "u1", 8, reported(), None)]).incident;
    let matches = |a: &Incident, b: &Incident| super::matches(&MatchKey::of(a), &MatchKey::of(b));
    let mut same = base.clone();
    same.lat = Some(14.15);
    assert!(matches(&base, &same), "5 km apart");
    let mut far = base.clone();
    far.lat = Some(14.80);
    assert!(!matches(&base, &far), "78 km apart");
    let mut later = base.clone();
    later.date = base.date + chrono::Duration::days(6);
    assert!(!matches(&base, &later));
    let mut next_day = base.clone();
    next_day.date = base.date + chrono::Duration::days(1);
    assert!(matches(&base, &next_day));
    let mut abduction = base.clone();
    abduction.kind = Kind::Abduction;
    assert!(!matches(&base, &abduction));
    let mut overrun = base.clone();
    overrun.kind = Kind::BaseOverrun;
    assert!(
        matches(&base, &overrun),
        "a clash and an overrun can be one event"
    );
    let mut other_group = base.clone();
    other_group.perpetrator = Some("IS Sahel".into());
    assert!(!matches(&base, &other_group));
    let mut vague = base.clone();
    vague.perpetrator = Some("unidentified armed group".into());
    assert!(matches(&base, &vague));
    let mut elsewhere = base.clone();
    elsewhere.country = "ML".into();
    assert!(!matches(&base, &elsewhere));
}

#[test]
fn changes_name_what_a_subscriber_sees() {
    let before = record(vec![report("rfi", "u1", 8, reported(), Some(12))]);
    let after = record(vec![
        report("rfi", "u1", 8, reported(), Some(12)),
        report(
            "afp",
            "u2",
            9,
            Evidence {
                reported: true,
                toll_update: true,
                ..Default::default()
            },
            Some(19),
        ),
    ]);
    let c = changes(&before.incident, &after.incident);
    assert_eq!(
        c,
        vec![Change::Fatalities, Change::Verification, Change::Sources]
    );
    let quiet = record(vec![
        report("rfi", "u1", 8, reported(), Some(12)),
        report("rfi", "u9", 9, reported(), Some(12)),
    ]);
    let c = changes(&before.incident, &quiet.incident);
    assert_eq!(c, vec![Change::Sources]);
    assert!(is_quiet(&c));
}

#[test]
fn ids_are_slugs_of_country_date_and_place() {
    let rec = record(vec![report("rfi", "u1", 8, reported(), None)]);
    assert_eq!(base_id(&rec.incident), "BF-20250601-djibo");
    assert_eq!(slug("Fada N'Gourma"), "fada-ngourma");
    assert_eq!(slug("Tillabéri"), "tillaberi");
}
