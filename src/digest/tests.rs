//! The digest: its schedule across days and daylight-saving changes, what it lets through
//! (subscriptions, mutes), what changed, and queueing once per channel and day across restarts.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use super::*;
use crate::incident::{Evidence, Report};
use crate::model::{DatePrecision, Fatalities, Kind, Severity, SourceRef, Verification};

fn g() -> &'static Gazetteer {
    Gazetteer::bundled()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn schedule(s: &str) -> DigestSchedule {
    s.parse().unwrap()
}

fn report(place: &str, admin1: &str, at: &str, toll: Option<u32>, official: bool) -> Report {
    let seen = utc(at);
    Report {
        source: SourceRef {
            url: format!("https://news.example/{place}/{at}"),
            outlet: "Outlet".into(),
            family: format!("family-{at}"),
            published: Some(seen),
            lang: Some("en".into()),
        },
        family: format!("family-{at}"),
        kind: Kind::Clash,
        place: Some(place.into()),
        admin1: Some(admin1.into()),
        lat: Some(14.1),
        lon: Some(-1.6),
        geo_precision: 1,
        date: seen.date_naive(),
        date_precision: DatePrecision::Day,
        date_end: None,
        actors: vec!["JNIM".into()],
        perpetrator: Some("JNIM".into()),
        target: None,
        fatalities: toll.map(|n| Fatalities {
            low: Some(n),
            best: Some(n),
            confirmed: official,
            ..Default::default()
        }),
        summary: format!("attack near {place}"),
        evidence: Evidence {
            reported: true,
            official,
            ..Default::default()
        },
        story: Default::default(),
        seen,
    }
}

fn record(id: &str, country: &str, severity: Severity, reports: Vec<Report>) -> IncidentRecord {
    let mut it = reports.into_iter();
    let mut rec = IncidentRecord::from_report(country, it.next().unwrap());
    for r in it {
        rec.reports.push(r);
        rec.incident = merged(&rec);
    }
    rec.incident.id = id.into();
    rec.incident.severity = severity;
    rec
}

fn sub(target: &str, countries: &[&str]) -> Subscription {
    Subscription {
        id: String::new(),
        target: target.parse().unwrap(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        regions: vec![],
        near: None,
        min_severity: Severity::Medium,
        min_verification: Verification::Rumour,
        kinds: vec![],
        actors: vec![],
        keywords: vec![],
        exclude_keywords: vec![],
        lang: None,
        digest: None,
    }
}

const CHANNEL: &str = "telegram:-1007";

#[test]
fn schedules_parse_and_print_with_their_zone() {
    let s = schedule("07:00 Africa/Bamako");
    assert_eq!(s.time, NaiveTime::from_hms_opt(7, 0, 0).unwrap());
    assert_eq!(s.to_string(), "07:00 Africa/Bamako");
    assert_eq!(schedule("18:30").to_string(), "18:30 UTC");
    assert!("25:00".parse::<DigestSchedule>().is_err());
    let e = "07:00 Mars/Olympus".parse::<DigestSchedule>().unwrap_err();
    assert!(e.contains("unknown time zone"), "{e}");
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, "\"07:00 Africa/Bamako\"");
}

#[test]
fn the_due_time_follows_daylight_saving() {
    // Paris: CET (UTC+1) until 29 March 2026 02:00, then CEST (UTC+2) until 25 October 03:00.
    let s = schedule("07:00 Europe/Paris");
    let day = |d: u32, m: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    assert_eq!(at_local(&s, day(28, 3)), utc("2026-03-28T06:00:00Z"));
    assert_eq!(at_local(&s, day(29, 3)), utc("2026-03-29T05:00:00Z"));
    assert_eq!(at_local(&s, day(25, 10)), utc("2026-10-25T06:00:00Z"));
    // 02:30 does not exist on 29 March: the first minute after the gap.
    let gap = schedule("02:30 Europe/Paris");
    assert_eq!(at_local(&gap, day(29, 3)), utc("2026-03-29T01:00:00Z"));
    // 02:30 happens twice on 25 October: the first.
    assert_eq!(at_local(&gap, day(25, 10)), utc("2026-10-25T00:30:00Z"));
    // Across the change, the next digest is 23 hours after the last.
    let before = utc("2026-03-28T06:00:00Z");
    assert_eq!(next_after(&s, before), utc("2026-03-29T05:00:00Z"));
    // Bamako has no daylight saving: UTC all year.
    let bamako = schedule("07:00 Africa/Bamako");
    assert_eq!(at_local(&bamako, day(29, 3)), utc("2026-03-29T07:00:00Z"));
    assert_eq!(due(&bamako, utc("2026-03-29T06:59:00Z")), None);
    assert_eq!(
        due(&bamako, utc("2026-03-29T07:00:00Z")),
        Some((day(29, 3), utc("2026-03-29T07:00:00Z")))
    );
}

#[test]
fn a_channel_choice_overrides_the_config_and_off_stops_it() {
    let t: Target = CHANNEL.parse().unwrap();
    let mut op = sub(CHANNEL, &["ML"]);
    op.digest = Some(schedule("06:00 UTC"));
    let unset = ChannelSettings::default();
    assert_eq!(
        schedule_for(&t, &unset, std::slice::from_ref(&op)),
        op.digest
    );
    let own = ChannelSettings {
        digest: DigestChoice::Daily(schedule("08:00 Africa/Niamey")),
        ..Default::default()
    };
    assert_eq!(
        schedule_for(&t, &own, std::slice::from_ref(&op)),
        Some(schedule("08:00 Africa/Niamey"))
    );
    let off = ChannelSettings {
        digest: DigestChoice::Off,
        ..Default::default()
    };
    assert_eq!(schedule_for(&t, &off, &[op]), None);
}

fn day_of_incidents() -> Vec<IncidentRecord> {
    vec![
        record(
            "ML-1-boulkessi",
            "ML",
            Severity::Critical,
            vec![report(
                "Boulkessi",
                "Mopti",
                "2026-03-28T10:00:00Z",
                Some(30),
                false,
            )],
        ),
        record(
            "ML-2-djenne",
            "ML",
            Severity::High,
            vec![report(
                "Djenné",
                "Mopti",
                "2026-03-28T12:00:00Z",
                Some(4),
                false,
            )],
        ),
        record(
            "ML-3-gao",
            "ML",
            Severity::High,
            vec![report("Gao", "Gao", "2026-03-28T13:00:00Z", None, false)],
        ),
        record(
            "ML-4-kidal",
            "ML",
            Severity::Low,
            vec![report(
                "Kidal",
                "Kidal",
                "2026-03-28T14:00:00Z",
                None,
                false,
            )],
        ),
        record(
            "BF-5-djibo",
            "BF",
            Severity::Critical,
            vec![report(
                "Djibo",
                "Sahel",
                "2026-03-28T15:00:00Z",
                Some(50),
                false,
            )],
        ),
        // Before the period: the toll was revised and confirmed in it.
        record(
            "ML-6-sevare",
            "ML",
            Severity::High,
            vec![
                report("Sévaré", "Mopti", "2026-03-26T09:00:00Z", Some(10), false),
                report("Sévaré", "Mopti", "2026-03-28T16:00:00Z", Some(14), true),
            ],
        ),
        // After the period's end.
        record(
            "ML-7-later",
            "ML",
            Severity::Critical,
            vec![report(
                "Ségou",
                "Ségou",
                "2026-03-29T08:00:00Z",
                Some(9),
                false,
            )],
        ),
    ]
}

#[test]
fn the_digest_counts_ranks_and_tells_what_changed() {
    let t: Target = CHANNEL.parse().unwrap();
    let d = build(
        &day_of_incidents(),
        &[sub(CHANNEL, &["ML", "BF"])],
        &[],
        &t,
        utc("2026-03-29T07:00:00Z"),
        24,
        chrono_tz::Africa::Bamako,
        Lang::En,
        g(),
    );
    // Low is below the subscription's medium; the later one is outside the period.
    assert_eq!(
        d.incidents,
        vec!["BF-5-djibo", "ML-1-boulkessi", "ML-2-djenne", "ML-3-gao"]
    );
    let text = &d.text;
    assert!(
        text.starts_with(
            "📋 Daily digest · last 24 hours to Sun 29 Mar 2026 07:00 (Africa/Bamako)"
        ),
        "{text}"
    );
    assert!(text.contains("4 incidents · 84 killed"), "{text}");
    assert!(text.contains("• Mali: 3 (🔴 1 · 🟠 2)"), "{text}");
    assert!(text.contains("• Burkina Faso: 1 (🔴 1)"), "{text}");
    assert!(
        text.contains("#BF-5-djibo") && text.contains("#ML-3-gao"),
        "{text}"
    );
    assert!(
        text.find("#BF-5-djibo").unwrap() < text.find("#ML-1-boulkessi").unwrap(),
        "worst first"
    );
    assert!(
        text.contains("🟠 #ML-6-sevare: toll revised from 10 to 14 · now 🟢 confirmed"),
        "{text}"
    );
    assert!(!text.contains("ML-7-later") && !text.contains("ML-4-kidal"));
}

#[test]
fn mutes_and_filters_of_the_channel_are_honoured() {
    let t: Target = CHANNEL.parse().unwrap();
    let records = day_of_incidents();
    let end = utc("2026-03-29T07:00:00Z");
    let build_with = |subs: &[Subscription], mutes: &[Mute]| {
        build(
            &records,
            subs,
            mutes,
            &t,
            end,
            24,
            chrono_tz::UTC,
            Lang::En,
            g(),
        )
    };
    // Burkina only: Mali's incidents stay out.
    let bf = build_with(&[sub(CHANNEL, &["BF"])], &[]);
    assert_eq!(bf.incidents, vec!["BF-5-djibo"]);
    assert!(!bf.text.contains("Mali"), "{}", bf.text);
    // Another channel's subscription lets nothing through here.
    let other = build_with(&[sub("telegram:-1008", &["ML"])], &[]);
    assert_eq!(
        other.text,
        format!(
            "{}: no incident.",
            render::heading(Lang::En, end, chrono_tz::UTC, 24)
        )
    );
    // High and above, keyword "Boulkessi" only.
    let mut s = sub(CHANNEL, &["ML"]);
    s.min_severity = Severity::Critical;
    s.keywords = vec!["boulkessi".into()];
    assert_eq!(build_with(&[s], &[]).incidents, vec!["ML-1-boulkessi"]);
    // Mopti muted during the period: its incidents stay out of the digest.
    let mute = Mute {
        target: t,
        until: utc("2026-03-29T00:00:00Z"),
        region: Some("Mopti".into()),
    };
    let muted = build_with(&[sub(CHANNEL, &["ML"])], &[mute]);
    assert_eq!(muted.incidents, vec!["ML-3-gao"]);
}

fn daily(store: &Store, target: &str, s: &str) {
    store
        .update_channel_settings(&target.parse().unwrap(), |c| {
            c.digest = DigestChoice::Daily(schedule(s))
        })
        .unwrap();
}

fn queued_days(store: &Store) -> Vec<(String, NaiveDate)> {
    store
        .pending_deliveries()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.delivery.action {
            Action::Digest { day, .. } => Some((e.delivery.target.to_string(), day)),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_scheduler_sends_once_a_day_across_a_daylight_saving_change() {
    let store = Store::temporary().unwrap();
    for r in day_of_incidents() {
        store.put_incident(&r).unwrap();
    }
    store
        .set_subscriptions(&CHANNEL.parse().unwrap(), &[sub(CHANNEL, &["ML"])])
        .unwrap();
    daily(&store, CHANNEL, "07:00 Europe/Paris");
    let (_tx, operator) = watch::channel(Vec::new());
    let (stop, shutdown) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let scheduler = DigestScheduler {
        store: store.clone(),
        operator,
        gazetteer: g(),
        wake: wake.clone(),
        clock: Clock::from_tokio(utc("2026-03-28T12:00:00Z")),
    };
    let task = tokio::spawn(scheduler.run(shutdown));
    // Saturday 12:00 UTC: the day's 07:00 (06:00 UTC) has passed and was never sent: it goes now.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    assert_eq!(queued_days(&store), vec![(CHANNEL.into(), day(28))]);
    // Sunday 04:59 UTC (06:59 CEST, the clocks went forward at 02:00): nothing more yet.
    tokio::time::sleep(Duration::from_secs(16 * 3600 + 59 * 60 - 5)).await;
    assert_eq!(queued_days(&store).len(), 1);
    // Sunday 05:00 UTC = 07:00 CEST: the second.
    tokio::time::sleep(Duration::from_secs(90)).await;
    assert_eq!(
        queued_days(&store),
        vec![(CHANNEL.into(), day(28)), (CHANNEL.into(), day(29))]
    );
    // A day later, one more; never two for a day.
    tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
    assert_eq!(queued_days(&store).len(), 3);
    let _ = stop.send(true);
    task.await.unwrap();
    // The Sunday digest covered the 24 hours up to 05:00 UTC.
    let sunday = store
        .pending_deliveries()
        .unwrap()
        .into_iter()
        .find_map(|e| match e.delivery.action {
            Action::Digest { day: d, text, .. } if d == day(29) => Some(text),
            _ => None,
        })
        .unwrap();
    assert!(
        sunday
            .starts_with("📋 Daily digest · last 24 hours to Sun 29 Mar 2026 07:00 (Europe/Paris)"),
        "{sunday}"
    );
}

#[test]
fn a_queued_digest_survives_a_restart_and_is_not_queued_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let now = utc("2026-03-28T12:00:00Z");
    {
        let store = Store::open(&path, 16).unwrap();
        daily(&store, CHANNEL, "07:00 Africa/Bamako");
        assert_eq!(queue_due(&store, &[], now, g()).unwrap().0, 1);
        assert_eq!(queue_due(&store, &[], now, g()).unwrap().0, 0);
        store.flush().unwrap();
    }
    let store = Store::open(&path, 16).unwrap();
    assert_eq!(
        queued_days(&store),
        vec![(
            CHANNEL.into(),
            NaiveDate::from_ymd_opt(2026, 3, 28).unwrap()
        )]
    );
    let later = utc("2026-03-28T23:00:00Z");
    assert_eq!(
        queue_due(&store, &[], later, g()).unwrap().0,
        0,
        "never twice a day"
    );
    // Down all of Sunday's morning, back at 06:00 on Monday: Sunday is over, Monday's not due.
    let monday = utc("2026-03-30T06:00:00Z");
    assert_eq!(queue_due(&store, &[], monday, g()).unwrap().0, 0);
    assert_eq!(
        queue_due(&store, &[], utc("2026-03-30T07:00:00Z"), g())
            .unwrap()
            .0,
        1
    );
}

#[test]
fn channel_settings_travel_with_the_subscriptions_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    let a = Store::temporary().unwrap();
    let t: Target = CHANNEL.parse().unwrap();
    a.set_subscriptions(&t, &[sub(CHANNEL, &["ML"])]).unwrap();
    daily(&a, CHANNEL, "07:00 Africa/Bamako");
    a.export_subscriptions(&file).unwrap();
    let b = Store::temporary().unwrap();
    assert_eq!(b.import_subscriptions(&file).unwrap(), 1);
    assert_eq!(
        b.channel_settings(&t).unwrap().digest,
        DigestChoice::Daily(schedule("07:00 Africa/Bamako"))
    );
    // An export of an older version (a bare list) still reads.
    std::fs::write(&file, serde_json::to_vec(&[sub(CHANNEL, &["BF"])]).unwrap()).unwrap();
    let c = Store::temporary().unwrap();
    assert_eq!(c.import_subscriptions(&file).unwrap(), 1);
}

#[test]
fn a_mute_at_the_time_of_the_incident_is_what_counts() {
    // A mute that ended before the incident was seen does not hide it.
    let t: Target = CHANNEL.parse().unwrap();
    let old = Mute {
        target: t,
        until: Utc.with_ymd_and_hms(2026, 3, 28, 9, 0, 0).unwrap(),
        region: None,
    };
    let d = build(
        &day_of_incidents(),
        &[sub(CHANNEL, &["BF"])],
        &[old],
        &t,
        utc("2026-03-29T07:00:00Z"),
        24,
        chrono_tz::UTC,
        Lang::En,
        g(),
    );
    assert_eq!(d.incidents, vec!["BF-5-djibo"]);
}

#[test]
fn a_french_digest_is_in_french() {
    let t: Target = CHANNEL.parse().unwrap();
    let d = build(
        &day_of_incidents(),
        &[sub(CHANNEL, &["ML", "BF"])],
        &[],
        &t,
        utc("2026-03-29T07:00:00Z"),
        24,
        chrono_tz::Africa::Bamako,
        Lang::Fr,
        g(),
    );
    let text = &d.text;
    assert!(
        text.starts_with(
            "📋 Résumé quotidien · les 24 dernières heures jusqu'au dim. 29 mars 2026 07:00 (Africa/Bamako)"
        ),
        "{text}"
    );
    assert!(text.contains("4 incidents · 84 tués"), "{text}");
    assert!(text.contains("• Mali : 3 (🔴 1 · 🟠 2)"), "{text}");
    assert!(text.contains("Les plus graves :"), "{text}");
    assert!(
        text.contains("Changements depuis le dernier résumé :"),
        "{text}"
    );
    assert!(
        text.contains("🟠 #ML-6-sevare : bilan révisé de 10 à 14 · désormais 🟢 confirmé"),
        "{text}"
    );
    for english in [
        "Daily digest",
        "killed",
        "Worst",
        "toll revised",
        "last 24 hours",
    ] {
        assert!(!text.contains(english), "{english:?} in {text}");
    }
}

#[test]
fn a_french_channel_is_queued_a_french_digest() {
    let store = Store::temporary().unwrap();
    for r in day_of_incidents() {
        store.put_incident(&r).unwrap();
    }
    let t: Target = CHANNEL.parse().unwrap();
    store
        .set_subscriptions(&t, &[sub(CHANNEL, &["ML"])])
        .unwrap();
    daily(&store, CHANNEL, "07:00 Africa/Bamako");
    store
        .update_channel_settings(&t, |c| c.lang = Some(Lang::Fr))
        .unwrap();
    assert_eq!(
        queue_due(&store, &[], utc("2026-03-29T12:00:00Z"), g())
            .unwrap()
            .0,
        1
    );
    let entry = store.pending_deliveries().unwrap().pop().unwrap();
    assert_eq!(
        entry.delivery.lang,
        Lang::Fr,
        "the map's words follow the delivery's language"
    );
    let Action::Digest { text, .. } = entry.delivery.action else {
        panic!("a digest was queued");
    };
    assert!(text.starts_with("📋 Résumé quotidien · "), "{text}");
    assert_eq!(
        store.channel_settings(&t).unwrap().lang,
        Some(Lang::Fr),
        "queueing the digest kept the channel's language"
    );
}
