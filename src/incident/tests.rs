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
        date_end: None,
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
        story: Default::default(),
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
    let mut strike = base.clone();
    strike.kind = Kind::Airstrike;
    assert!(
        !matches(&base, &strike),
        "a clash and an air strike are two events"
    );
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

/// A match key in Nigeria on 2025-06-01 (a clash by ISWAP), placed as given.
fn key(level: u8, place: Option<&str>, admin1: Option<&str>, at: Option<(f64, f64)>) -> MatchKey {
    MatchKey {
        country: "NG".into(),
        kind: Kind::Clash,
        date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        date_end: None,
        date_precision: DatePrecision::Day,
        lat: at.map(|p| p.0),
        lon: at.map(|p| p.1),
        geo_precision: level,
        admin1: admin1.map(Into::into),
        place: place.map(Into::into),
        admin2: None,
        perpetrator: Some("ISWAP".into()),
        terms: Vec::new(),
        follow_up: false,
        captives: None,
        captives_exact: false,
        undated: false,
        coarse: Vec::new(),
    }
}

fn town(name: &str, admin2: &str, lat: f64, lon: f64) -> MatchKey {
    let mut k = key(1, Some(name), Some("Borno"), Some((lat, lon)));
    k.admin2 = Some(admin2.into());
    k
}

#[test]
fn coarser_places_match_the_incidents_inside_them() {
    let dikwa = town("Dikwa", "Dikwa", 12.03, 13.92);
    let mut district = key(2, Some("Dikwa"), Some("Borno"), Some((12.0, 13.9)));
    district.admin2 = Some("Dikwa".into());
    assert!(matches(&dikwa, &district), "town inside its district");
    let mut other_district = key(2, Some("Bama"), Some("Borno"), Some((11.5, 13.7)));
    other_district.admin2 = Some("Bama".into());
    assert!(
        !matches(&dikwa, &other_district),
        "a town outside the district"
    );
    let state = key(3, Some("Borno"), Some("Borno"), Some((11.8, 13.1)));
    assert!(matches(&dikwa, &state), "town inside its state");
    assert!(matches(&state, &dikwa), "either way round");
    let other_state = key(3, Some("Yobe"), Some("Yobe"), Some((12.3, 11.4)));
    assert!(!matches(&dikwa, &other_state), "a town outside the state");
    let country = key(3, None, None, None);
    assert!(
        matches(&dikwa, &country),
        "a country-only report fits any place"
    );
    assert!(matches(&country, &key(3, None, None, None)));
}

#[test]
fn precise_places_far_apart_never_merge_even_in_one_district() {
    let a = town("Dikwa", "Dikwa", 12.03, 13.92);
    let b = town("Gajiram", "Dikwa", 12.30, 13.92);
    assert!(!matches(&a, &b), "30 km apart");
    let near = town("Mafa", "Mafa", 12.10, 13.95);
    assert!(matches(&a, &near), "8 km apart, across a district line");
}

#[test]
fn kinds_of_the_attack_family_meet_other_events_do_not() {
    let base = town("Dikwa", "Dikwa", 12.03, 13.92);
    for kind in [
        Kind::AttackOnCity,
        Kind::CivilianAttack,
        Kind::Abduction,
        Kind::Ambush,
        Kind::BaseOverrun,
        Kind::TownSeized,
    ] {
        let mut k = base.clone();
        k.kind = kind;
        assert!(matches(&base, &k), "clash ~ {kind:?}");
    }
    let mut ied = base.clone();
    ied.kind = Kind::Ied;
    let mut strike = base.clone();
    strike.kind = Kind::Airstrike;
    strike.date = base.date + chrono::Duration::days(1);
    assert!(!matches(&ied, &strike), "an IED and next day's air strike");
    // A country and a day are too little to tie an attack on civilians to a fight with the army.
    let mut country_only = key(3, None, None, None);
    country_only.kind = Kind::CivilianAttack;
    assert!(!matches(&base, &country_only));
    let mut state = key(3, Some("Borno"), Some("Borno"), None);
    state.kind = Kind::CivilianAttack;
    assert!(matches(&base, &state));
}

#[test]
fn reports_inside_a_multi_day_span_match() {
    let mut battle = town("Dikwa", "Dikwa", 12.03, 13.92);
    battle.date_end = Some(battle.date + chrono::Duration::days(3));
    let mut last_day = battle.clone();
    last_day.date = battle.date + chrono::Duration::days(3);
    last_day.date_end = None;
    assert!(matches(&battle, &last_day), "the fight's last day");
    let mut without_span = battle.clone();
    without_span.date_end = None;
    assert!(
        !matches(&without_span, &last_day),
        "three days apart, no span"
    );
    let mut after = last_day.clone();
    after.date = battle.date + chrono::Duration::days(6);
    assert!(!matches(&battle, &after), "two days after the span");
    let back = chrono::Duration::days(matching::MAX_SPAN_DAYS);
    assert!(
        battle.scan_days().0 <= battle.date - back,
        "scan reaches spans that began earlier"
    );
}

#[test]
fn an_incident_left_unread_by_its_outline_could_never_have_matched() {
    // Every stored key that may match a new one passes the outline test with its texts gone:
    // kinds, days, spans, weeks, undated and aftermath accounts, places of every level, shared
    // and unshared stories.
    let day = |d: i64| NaiveDate::from_ymd_opt(2025, 6, 10).unwrap() + chrono::Duration::days(d);
    let mut keys = Vec::new();
    for kind in Kind::ALL {
        for d in [-9, -6, -4, -2, -1, 0, 1, 2, 4, 7] {
            for (span, week, undated, follow_up) in [
                (None, false, false, false),
                (Some(3), false, false, false),
                (None, true, false, false),
                (None, false, true, false),
                (None, false, false, true),
            ] {
                for (level, place, admin1) in [
                    (1, Some("Dikwa"), Some("Borno")),
                    (3, None, Some("Borno")),
                    (4, None, None),
                ] {
                    let mut k = key(level, place, admin1, None);
                    k.kind = kind;
                    k.date = day(d);
                    k.date_end = span.map(|n| day(d + n));
                    if week {
                        k.date_precision = DatePrecision::Week;
                    }
                    k.undated = undated;
                    k.follow_up = follow_up;
                    k.terms = vec!["school".into(), "pupils".into()];
                    keys.push(k);
                }
            }
        }
    }
    let mut kept = 0;
    for stored in &keys {
        let outline = MatchKey {
            country: String::new(),
            admin1: None,
            place: None,
            perpetrator: None,
            terms: vec![],
            ..stored.clone()
        };
        for new in keys.iter().step_by(7) {
            let passes = may_match_outline(&outline, new);
            assert!(
                passes || !may_match(stored, new),
                "{stored:?} may match {new:?}"
            );
            kept += usize::from(passes);
        }
    }
    // And it does leave most out.
    assert!(kept * 3 < keys.len() * keys.len().div_ceil(7), "{kept}");
}

#[test]
fn a_coarse_report_that_fits_two_incidents_joins_neither() {
    let dikwa = ("NG-dikwa".to_string(), town("Dikwa", "Dikwa", 12.03, 13.92));
    let bama = ("NG-bama".to_string(), town("Bama", "Bama", 11.52, 13.69));
    let state = key(3, Some("Borno"), Some("Borno"), None);
    assert_eq!(
        choose(&[dikwa.clone(), bama.clone()], &state),
        Choice::Ambiguous
    );
    assert_eq!(
        choose(std::slice::from_ref(&dikwa), &state),
        Choice::Join("NG-dikwa".into())
    );
    // A precise report picks its own town even when a coarse incident fits it too.
    let coarse = ("NG-borno".to_string(), state.clone());
    let near_bama = town("Bama", "Bama", 11.53, 13.70);
    assert_eq!(
        choose(&[coarse, dikwa, bama], &near_bama),
        Choice::Join("NG-bama".into())
    );
    assert_eq!(choose(&[], &near_bama), Choice::New);
}

#[test]
fn merged_incident_keeps_the_most_precise_place_and_the_span() {
    let mut coarse = report("rfi", "u1", 8, reported(), None);
    coarse.place = None;
    coarse.admin1 = Some("Sahel".into());
    coarse.lat = None;
    coarse.lon = None;
    coarse.geo_precision = 3;
    coarse.date_end = Some(coarse.date + chrono::Duration::days(2));
    let precise = report("afp", "u2", 9, reported(), None);
    let forward = record(vec![coarse.clone(), precise.clone()]).incident;
    let backward = record(vec![precise, coarse]).incident;
    assert_eq!(forward, backward);
    assert_eq!(forward.place.as_deref(), Some("Djibo"));
    assert_eq!(forward.geo_precision, 1);
    assert_eq!(
        forward.date_end,
        Some(forward.date + chrono::Duration::days(2))
    );
    let json =
        serde_json::to_string(&record(vec![report("rfi", "u1", 8, reported(), None)]).incident)
            .unwrap();
    assert!(!json.contains("date_end"), "absent unless set");
}

#[test]
fn merged_kind_is_the_most_specific_credible_one() {
    let mut rumour = report(
        "x",
        "u1",
        8,
        Evidence {
            rumour: true,
            ..Default::default()
        },
        None,
    );
    rumour.kind = Kind::BaseOverrun;
    let mut civilians = report("rfi", "u2", 9, reported(), None);
    civilians.kind = Kind::CivilianAttack;
    let mut city = report("afp", "u3", 10, reported(), None);
    city.kind = Kind::AttackOnCity;
    let rec = record(vec![rumour.clone(), civilians.clone(), city]);
    assert_eq!(
        rec.incident.kind,
        Kind::AttackOnCity,
        "a rumour does not decide"
    );
    assert_eq!(
        record(vec![rumour.clone()]).incident.kind,
        Kind::BaseOverrun
    );
    assert_eq!(
        record(vec![rumour, civilians]).incident.kind,
        Kind::CivilianAttack
    );
}

#[test]
fn an_official_statement_confirms_but_its_enemy_losses_stay_a_claim() {
    let army = Evidence {
        official: true,
        acknowledged: true,
        ..Default::default()
    };
    let mut statement = report("army", "u1", 8, army, Some(20));
    statement.target = Some(TargetClass::Military);
    let outlet = report("rfi", "u2", 9, reported(), None);
    let rec = record(vec![outlet, statement]);
    assert_eq!(rec.incident.verification, Verification::Confirmed);
    let toll = rec.incident.fatalities.unwrap();
    assert!(
        !toll.confirmed,
        "a state's count of enemy dead is not an official toll"
    );
}

/// A country-level abduction in Nigeria, `days` after 2025-06-01, telling `words`.
fn told(days: i64, words: &[&str]) -> MatchKey {
    let mut k = key(4, None, None, None);
    k.kind = Kind::Abduction;
    k.perpetrator = None;
    k.date += chrono::Duration::days(days);
    k.terms = words.iter().map(|w| w.to_string()).collect();
    k
}

#[test]
fn an_aftermath_meets_its_event_weeks_later_when_the_stories_agree() {
    let raid = told(0, &["catholic", "school", "pupil", "papiri"]);
    let mut release = told(17, &["100", "schoolchildren", "catholic", "pupil"]);
    assert!(
        !matches(&raid, &release),
        "not an aftermath: too late for the event's days"
    );
    release.follow_up = true;
    assert!(matches(&raid, &release));
    let mut other = told(17, &["church", "worshipper", "eruku"]);
    other.follow_up = true;
    assert!(!matches(&raid, &other), "an aftermath of another story");
    let mut late = release.clone();
    late.date += chrono::Duration::days(20);
    assert!(
        !matches(&raid, &late),
        "beyond the weeks an aftermath reaches back"
    );
    let mut before = release.clone();
    before.date = raid.date - chrono::Duration::days(3);
    assert!(
        !matches(&raid, &before),
        "an aftermath comes after its event"
    );
}

#[test]
fn an_undated_report_reaches_the_days_before_it_only_for_the_same_story() {
    let raid = told(0, &["catholic", "school", "pupil"]);
    let mut later = told(2, &["300", "student", "catholic", "school"]);
    assert!(!matches(&raid, &later), "dated two days later");
    later.undated = true;
    assert!(matches(&raid, &later));
    let mut church = told(2, &["church", "worshipper"]);
    church.undated = true;
    assert!(!matches(&raid, &church));
}

#[test]
fn a_coarse_report_joins_the_incident_its_story_tells_and_no_other() {
    let school = told(0, &["teacher", "schoolgirl", "kebbi", "maga"]);
    let church = told(0, &["church", "worshipper", "eruku"]);
    let candidates = vec![
        ("school".to_string(), school),
        ("church".to_string(), church),
    ];
    let escape = told(1, &["schoolgirl", "maga", "ordeal"]);
    assert_eq!(choose(&candidates, &escape), Choice::Join("school".into()));
    // Words every candidate has ("state", here "nigeria") tell nothing: ambiguous.
    let vague = told(1, &["gunmen", "nigeria"]);
    let mut both = candidates.clone();
    for (_, k) in &mut both {
        k.terms.push("nigeria".into());
    }
    assert_eq!(choose(&both, &vague), Choice::Ambiguous);
    // A coarse report whose story shares nothing with the one incident of its day stays apart.
    let market = told(0, &["market", "traders", "sokoto"]);
    assert!(!matches(&candidates[1].1, &market));
}

#[test]
fn commentary_on_a_named_force_s_deed_meets_the_deed_without_sharing_words() {
    let mut strike = told(0, &["sokoto", "tangaza", "camp", "isil"]);
    strike.kind = Kind::Airstrike;
    strike.perpetrator = Some("US military".into());
    let mut comment = told(2, &["crisis", "worse", "root", "cause"]);
    comment.kind = Kind::Airstrike;
    comment.perpetrator = Some("US military".into());
    comment.undated = true;
    assert!(matches(&strike, &comment));
    // Another force, another kind, or an unnamed one: the story must agree.
    let mut other = comment.clone();
    other.perpetrator = Some("Nigerian military".into());
    assert!(!matches(&strike, &other));
    let mut raid = comment.clone();
    raid.kind = Kind::CivilianAttack;
    assert!(!matches(&strike, &raid));
    let mut vague = comment.clone();
    vague.perpetrator = Some("unidentified armed group".into());
    let mut vague_strike = strike.clone();
    vague_strike.perpetrator = vague.perpetrator.clone();
    assert!(!matches(&vague_strike, &vague));
}

#[test]
fn accounts_of_one_country_s_upheaval_meet_whatever_they_call_it() {
    let mut coup = told(0, &["officer", "total", "control", "gunshot", "capital"]);
    coup.kind = Kind::Political;
    coup.country = "GW".into();
    coup.undated = true;
    let mut power = coup.clone();
    power.terms = vec!["power".into(), "arrest".into()];
    assert!(
        matches(&coup, &power),
        "'took power' and 'total control' are one coup"
    );
    let mut analysis = power.clone();
    analysis.date += chrono::Duration::days(2);
    assert!(matches(&coup, &analysis), "an undated piece two days on");
    let mut elsewhere = power.clone();
    elsewhere.country = "BJ".into();
    assert!(!matches(&coup, &elsewhere));
    let mut week_later = power.clone();
    week_later.date += chrono::Duration::days(7);
    assert!(
        !matches(&coup, &week_later),
        "a week later is another event"
    );
    // Violence in the same country on the same day keeps needing a shared story.
    let mut raid = power.clone();
    raid.kind = Kind::Abduction;
    let mut abduction = coup.clone();
    abduction.kind = Kind::Abduction;
    assert!(!matches(&abduction, &raid));
}

#[test]
fn in_one_region_an_aftermath_needs_one_shared_word_elsewhere_two() {
    let mut raid = told(0, &["teacher", "25", "girl", "school", "forest"]);
    raid.admin1 = Some("Kebbi".into());
    let mut release = told(8, &["twenty", "schoolgirl"]);
    release.admin1 = Some("Kebbi".into());
    release.follow_up = true;
    assert!(matches(&raid, &release));
    let mut other_state = release.clone();
    other_state.admin1 = Some("Niger".into());
    assert!(!matches(&raid, &other_state));
    // Without the region on both sides one word is not enough (a country-wide follow-up could
    // be of any state's event), nor is the region's own name.
    let mut no_state = release.clone();
    no_state.admin1 = None;
    assert!(!matches(&raid, &no_state));
    let mut region_word = release.clone();
    region_word.terms = vec!["kebbi".into(), "freedom".into()];
    raid.terms.push("kebbi".into());
    assert!(!matches(&raid, &region_word));
}

#[test]
fn an_aftermath_in_a_region_chooses_the_event_its_one_word_names() {
    let mut school = told(
        0,
        &["40", "student", "boarding", "school", "zurmi", "zamfara"],
    );
    school.admin1 = Some("Zamfara".into());
    let mut market = told(10, &["market", "trader", "gusau", "zamfara"]);
    market.admin1 = Some("Zamfara".into());
    let candidates = vec![
        ("school".to_string(), school),
        ("market".to_string(), market),
    ];
    let mut release = told(14, &["fifteen", "student", "freedom", "zamfara"]);
    release.admin1 = Some("Zamfara".into());
    release.follow_up = true;
    assert_eq!(choose(&candidates, &release), Choice::Join("school".into()));
    // A report of the day itself still needs two words to choose between two events of it.
    let mut same_day = candidates.clone();
    same_day[1].1.date = same_day[0].1.date;
    release.follow_up = false;
    release.date = same_day[0].1.date;
    assert_eq!(choose(&same_day, &release), Choice::Ambiguous);
}

#[test]
fn a_release_is_not_of_an_event_that_took_fewer_captives() {
    let mut zurmi = told(0, &["40", "student", "boarding", "school", "zurmi"]);
    zurmi.captives = Some(40);
    zurmi.captives_exact = true;
    let mut release = told(16, &["seventy", "student", "boarding", "school"]);
    release.follow_up = true;
    assert!(matches(&zurmi, &release), "no figure: the words decide");
    release.captives = Some(70);
    assert!(!matches(&zurmi, &release), "70 freed of 40 taken");
    assert!(!matches(&release, &zurmi), "whichever is stored first");
    // "Dozens abducted" is a floor: the event may have taken seventy.
    zurmi.captives_exact = false;
    assert!(matches(&zurmi, &release));
}

#[test]
fn an_incident_counts_its_captives_from_its_event_s_own_reports() {
    let taken = |n: u32, floor: bool, follow_up: bool| {
        let mut r = report("afp", "https://a.example/1", 9, reported(), None);
        r.kind = Kind::Abduction;
        r.evidence.abducted = Some(n);
        r.evidence.abducted_floor = floor;
        r.story.follow_up = follow_up;
        r
    };
    let key = |reports: Vec<Report>| MatchKey::of_record(&record(reports));
    let raid = key(vec![taken(25, false, false), taken(2, false, true)]);
    assert_eq!((raid.captives, raid.captives_exact), (Some(25), true));
    let revised = key(vec![taken(25, false, false), taken(300, true, false)]);
    assert_eq!(
        (revised.captives, revised.captives_exact),
        (Some(300), false)
    );
    let releases = key(vec![taken(100, false, true), taken(130, false, true)]);
    assert_eq!(releases.captives, Some(130));
    assert!(releases.follow_up);
}

#[test]
fn a_release_of_as_many_captives_or_fewer_shares_its_figure_with_the_event() {
    // One word in common, the country only: not enough for an aftermath weeks later...
    let mut raid = told(0, &["300", "student", "christian", "school"]);
    let mut release = told(17, &["student"]);
    release.follow_up = true;
    assert!(!matches(&raid, &release));
    // ...unless its figure fits the event: a hundred freed of more than three hundred taken.
    raid.captives = Some(300);
    release.captives = Some(100);
    assert!(matches(&raid, &release));
    // More freed than the floor is no contradiction, but no shared figure either.
    release.captives = Some(350);
    assert!(!matches(&raid, &release));
    // Two or three freed fit nearly any abduction: figures under ten tell nothing.
    release.captives = Some(3);
    assert!(!matches(&raid, &release));
}

#[test]
fn a_country_wide_release_joins_the_only_abduction_big_enough() {
    let mut zurmi = told(0, &["40", "student", "boarding", "school", "zurmi"]);
    zurmi.captives = Some(40);
    zurmi.captives_exact = true;
    let mut kaiama = told(8, &["120", "student", "secondary", "school", "kaiama"]);
    kaiama.captives = Some(120);
    let candidates = vec![("zurmi".to_string(), zurmi), ("kaiama".to_string(), kaiama)];
    let mut release = told(17, &["seventy", "student", "school"]);
    release.follow_up = true;
    assert_eq!(choose(&candidates, &release), Choice::Ambiguous);
    release.captives = Some(70);
    assert_eq!(choose(&candidates, &release), Choice::Join("kaiama".into()));
}

#[test]
fn an_aftermath_is_never_of_an_event_that_came_after_it() {
    let raid = told(1, &["120", "student", "secondary", "school", "kaiama"]);
    let mut plea = told(
        0,
        &["parent", "40", "student", "boarding", "school", "plead"],
    );
    assert!(matches(&raid, &plea), "two accounts of a day apart");
    plea.follow_up = true;
    assert!(
        !matches(&raid, &plea),
        "parents plead the day before the raid"
    );
    assert!(!matches(&plea, &raid), "whichever is stored first");
    plea.date = raid.date;
    assert!(matches(&raid, &plea));
}

#[test]
fn an_aftermath_placed_no_closer_than_a_region_must_share_a_word_with_its_event() {
    // "Gunmen kill villagers in Katsina state": too few words to differ from any story.
    let mut katsina = told(0, &["katsina"]);
    katsina.kind = Kind::CivilianAttack;
    katsina.admin1 = Some("Katsina".into());
    let mut release = told(0, &["70", "student", "presidency", "spokesman"]);
    release.follow_up = true;
    assert!(!matches(&katsina, &release));
    assert!(!matches(&release, &katsina));
    // An account of the event itself, as thin, may still be of it.
    release.follow_up = false;
    assert!(matches(&katsina, &release));
    // As may an aftermath that names the state.
    release.follow_up = true;
    release.terms.push("katsina".into());
    assert!(matches(&katsina, &release));
}
