//! Rendering the alert card in each language: the seed article's Boulkessi incident as Telegram
//! HTML, Telegram caption and Discord embed (what one delivery renders), in English and in
//! French. Prints the median of many runs; the target is under 50 µs a card in either language.
//! `cargo bench --bench i18n`

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sitrep::extract::{self, Gazetteer};
use sitrep::i18n::Lang;
use sitrep::incident::IncidentRecord;
use sitrep::model::SourceRef;
use sitrep::sink::Rendered;

fn boulkessi(gaz: &Gazetteer) -> IncidentRecord {
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
    let x = extract::extract(title, body, at, at, None, source, gaz);
    let found = x.incidents.into_iter().next().unwrap();
    let mut record = IncidentRecord::from_report(&found.country, found.report);
    record.incident.id = sitrep::incident::base_id(&record.incident);
    record
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let gaz = Gazetteer::bundled();
    let record = boulkessi(gaz);
    for lang in Lang::ALL {
        // Warm up: catalogues loaded, caches filled.
        for _ in 0..200 {
            std::hint::black_box(Rendered::new(&record, gaz, false, lang));
        }
        let runs: Vec<Duration> = (0..5000)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(Rendered::new(&record, gaz, false, lang));
                t.elapsed()
            })
            .collect();
        let m = median(runs);
        println!(
            "card render ({lang}: Telegram HTML + caption + Discord embed): median {:.1} µs {}",
            m.as_secs_f64() * 1e6,
            if m < Duration::from_micros(50) {
                "(under 50 µs)"
            } else {
                "(OVER the 50 µs target)"
            }
        );
    }
}
