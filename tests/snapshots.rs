//! The exact bodies subscribers receive for the seed article's Boulkessi incident, on Telegram and
//! Discord, in English and in French (issue 18), and the French plain card and `/recent` line.
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` rewrites them after a deliberate change.

use chrono::{TimeZone, Utc};
use sitrep::deliver::format::{card, discord_message, recent_line, telegram_html};
use sitrep::extract::{self, Gazetteer};
use sitrep::i18n::Lang;
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
        &telegram_html(&boulkessi(), Gazetteer::bundled(), None, Lang::En),
    );
}

#[test]
fn discord_body_snapshot() {
    let msg = discord_message(&boulkessi(), Gazetteer::bundled(), None, Lang::En);
    check(
        "discord_boulkessi.json",
        &serde_json::to_string_pretty(&msg).unwrap(),
    );
}

#[test]
fn french_telegram_body_snapshot() {
    let banner = Lang::Fr.text("card-banner-unverified");
    let html = telegram_html(&boulkessi(), Gazetteer::bundled(), Some(banner), Lang::Fr);
    assert!(
        html.contains("<b>CRITIQUE</b> · Camp militaire pris"),
        "{html}"
    );
    check("telegram_boulkessi.fr.html", &html);
}

#[test]
fn french_discord_body_snapshot() {
    let msg = discord_message(&boulkessi(), Gazetteer::bundled(), None, Lang::Fr);
    assert_eq!(msg["embeds"][0]["fields"][0]["value"], "dim. 1 juin 2025");
    check(
        "discord_boulkessi.fr.json",
        &serde_json::to_string_pretty(&msg).unwrap(),
    );
}

#[test]
fn french_card_and_recent_line_snapshot() {
    let record = boulkessi();
    let text = format!(
        "{}\n\n{}\n",
        card(&record, Gazetteer::bundled(), Lang::Fr),
        recent_line(&record.incident, Gazetteer::bundled(), Lang::Fr)
    );
    check("card_boulkessi.fr.txt", &text);
}

#[test]
fn french_timbuktu_card_uses_french_names() {
    let mut record = boulkessi();
    record.incident.place = Some("Timbuktu".into());
    record.incident.admin1 = Some("Tombouctou".into());
    record.incident.country = "TD".into();
    let text = card(&record, Gazetteer::bundled(), Lang::Fr);
    assert!(text.contains("Tombouctou, Tombouctou, Tchad"), "{text}");
    assert!(!text.contains("Timbuktu"), "{text}");
}
