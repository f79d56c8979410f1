//! The exact bodies subscribers receive for the seed article's Boulkessi incident, on Telegram and
//! Discord. `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` rewrites them after a deliberate change.

use chrono::{TimeZone, Utc};
use sitrep::deliver::format::{discord_message, telegram_html};
use sitrep::extract::{self, Gazetteer};
use sitrep::incident::IncidentRecord;
use sitrep::model::SourceRef;

fn boulkessi() -> IncidentRecord {
    let text = std::fs::read_to_string("tests/fixtures/seed/jnim-boulikessi-timbuktu.txt").unwrap();
    let (title, body) = text.split_once('\n').unwrap();
    let at = Utc.with_ymd_and_hms(2025, 6, 3, 9, 12, 0).unwrap();
    let source = SourceRef {
        url: "https://wire.example.org/mali-jnim-boulikessi-timbuktu".into(),
        outlet: "Wire desk".into(),
        family: "wire".into(),
        published: Some(at),
        lang: None,
    };
    let x = extract::extract(title, body, at, at, None, source, Gazetteer::bundled());
    let found = x.incidents.into_iter().next().unwrap();
    let mut record = IncidentRecord::from_report(&found.country, found.report);
    record.incident.id = sitrep::incident::base_id(&record.incident);
    record
}

fn check(name: &str, actual: &str) {
    let path = format!("tests/fixtures/snapshots/{name}");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "{name} changed; rerun with UPDATE_SNAPSHOTS=1 if on purpose"
    );
}

#[test]
fn telegram_body_snapshot() {
    check(
        "telegram_boulkessi.html",
        &telegram_html(&boulkessi(), Gazetteer::bundled(), None),
    );
}

#[test]
fn discord_body_snapshot() {
    let msg = discord_message(&boulkessi(), Gazetteer::bundled(), None);
    check(
        "discord_boulkessi.json",
        &serde_json::to_string_pretty(&msg).unwrap(),
    );
}
