//! Matching and merging at scale: a store of synthetic incidents over five years, the time to
//! match and merge one new report at 10k and at 1M stored incidents, disk size per 100k
//! incidents, and replay throughput of real feed items end to end with sled.
//!
//! Matching reads only the (country, day) index of the report's week, so its cost follows how
//! many incidents share those days, not how long the history is. To show that, the 10k store
//! packs its incidents into 18 days, the same density per country and day as 1M over five years
//! (about 78 a day in each of 7 countries: five times ACLED's rate for the whole region).
//! `cargo bench --bench merge`; `SITREP_BENCH_INCIDENTS=200000` for a shorter run,
//! `SITREP_BENCH_MERGES=3001` for longer merge measurements (to profile them: 301 by default).
//! Replay prints its thread's CPU time beside wall time: the machine may be shared.

mod common;

use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sitrep::extract::gazetteer::{PlaceId, PlaceKind};
use sitrep::extract::{Extracted, Gazetteer};
use sitrep::incident::{Evidence, IncidentRecord, Report};
use sitrep::model::{DatePrecision, Fatalities, Kind, SourceRef, TargetClass};
use sitrep::pipeline::Pipeline;
use sitrep::store::Store;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const KINDS: [Kind; 6] = [
    Kind::Clash,
    Kind::Ambush,
    Kind::Ied,
    Kind::CivilianAttack,
    Kind::Abduction,
    Kind::Airstrike,
];

type Town = (String, String, String, f64, f64);

fn report(rng: &mut Rng, towns: &[Town], day: NaiveDate, n: u64) -> (String, Report) {
    let (country, name, admin1, lat, lon) = towns[rng.below(towns.len())].clone();
    let seen = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
    let family = format!("family{}", rng.below(20));
    let toll = rng.below(40) as u32;
    let report = Report {
        source: SourceRef {
            url: format!("https://bench.example/{n}"),
            outlet: "bench".into(),
            family: family.clone(),
            published: Some(seen),
            lang: Some("en".into()),
        },
        family,
        kind: KINDS[rng.below(KINDS.len())],
        place: Some(name),
        admin1: Some(admin1),
        lat: Some(lat),
        lon: Some(lon),
        geo_precision: 1,
        date: day,
        date_end: None,
        date_precision: DatePrecision::Day,
        actors: vec!["JNIM".into()],
        perpetrator: Some("JNIM".into()),
        target: Some(TargetClass::Military),
        fatalities: Some(Fatalities {
            low: Some(toll),
            best: Some(toll),
            ..Default::default()
        }),
        summary: "synthetic incident for the merge benchmark".into(),
        evidence: Evidence {
            reported: true,
            ..Default::default()
        },
        story: Default::default(),
        seen,
    };
    (country, report)
}

fn main() {
    let total: usize = std::env::var("SITREP_BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let gaz = Gazetteer::bundled();
    let mut towns: Vec<Town> = Vec::new();
    for id in 0..gaz.len() as u32 {
        let p = gaz.place(PlaceId(id));
        if ["ML", "BF", "NE", "NG", "TD", "BJ", "TG"].contains(&p.country.as_str())
            && p.kind == PlaceKind::Town
        {
            towns.push((
                p.country.clone(),
                p.name.clone(),
                p.admin1.clone(),
                p.lat,
                p.lon,
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db"), 64).unwrap();
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let days = 5 * 365;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut pipeline = Pipeline::new(
        store.clone(),
        gaz,
        std::time::Duration::from_secs(3650 * 86400),
    );

    let mut stored = 0usize;
    let mut fill = |upto: usize, span: usize, rng: &mut Rng| {
        let t = Instant::now();
        let from = stored;
        while stored < upto {
            let day = start + Duration::days(rng.below(span) as i64);
            let (country, r) = report(rng, &towns, day, stored as u64);
            let mut rec = IncidentRecord::from_report(&country, r);
            rec.incident.id = format!("{country}-{}-bench{stored}", day.format("%Y%m%d"));
            store.put_incident(&rec).unwrap();
            stored += 1;
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "stored {} synthetic incidents in {secs:.1} s ({:.0}/s)",
            stored - from,
            (stored - from) as f64 / secs
        );
    };
    let merge_at = |label: &str, span: usize, rng: &mut Rng, pipeline: &mut Pipeline| {
        let mut n = 0u64;
        let runs = std::env::var("SITREP_BENCH_MERGES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(301);
        let m = common::median(runs, || {
            let day = start + Duration::days(rng.below(span) as i64);
            let (country, r) = report(rng, &towns, day, 10_000_000 + n);
            n += 1;
            pipeline.merge(Extracted { country, report: r }).unwrap();
        });
        println!(
            "match + merge one report with {label} stored incidents: median {:.0} µs",
            m.as_secs_f64() * 1e6
        );
    };
    let dense_days = (days * 10_000 / total.max(10_000)).max(1);
    fill(10_000.min(total), dense_days, &mut rng);
    merge_at(
        &format!("10k (over {dense_days} days)"),
        dense_days,
        &mut rng,
        &mut pipeline,
    );
    fill(total, days, &mut rng);
    merge_at(
        &format!("{}k (over {days} days)", total / 1000),
        days,
        &mut rng,
        &mut pipeline,
    );
    store.flush().unwrap();
    let size = store.size_on_disk() as f64 / 1_048_576.0;
    let count = store.incident_count() as f64;
    println!(
        "disk: {size:.0} MiB for {count} incidents, {:.0} MiB per 100k",
        size / (count / 100_000.0)
    );
    println!("resident memory: {:.0} MiB", common::rss_mib());
    // Opening loads the matching index into memory: the one cost that grows with the store.
    drop(pipeline);
    drop(store);
    let t = Instant::now();
    let reopened = Store::open(&dir.path().join("db"), 64).unwrap();
    println!(
        "open the store again, its matching index into memory: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(reopened);

    // Replay throughput: real-world fixture feeds and the multi-outlet set, into a fresh store.
    let mut articles = Vec::new();
    for dir in [
        "tests/fixtures/feeds/feed-rs/rss2",
        "tests/fixtures/feeds/feed-rs/atom",
        "tests/fixtures/feeds/rss-crate",
        "tests/fixtures/feeds/misc",
        "tests/fixtures/dedup",
        "data/demo",
    ] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            if let Ok(items) = sitrep::source::read_feed_file(&p, &name) {
                articles.extend(items);
            }
        }
    }
    let replay = |items: &[sitrep::model::Article]| {
        let store = Store::temporary().unwrap();
        let mut p = Pipeline::new(store, gaz, std::time::Duration::from_secs(3650 * 86400));
        for a in items {
            std::hint::black_box(p.ingest(a).unwrap());
        }
    };
    let print = |what: &str, n: usize, (wall, cpu): (std::time::Duration, std::time::Duration)| {
        println!(
            "replay, {what}: {n} items through dedup, extraction, merging and sled: {:.0} ms, \
             {:.0} items/s ({:.0} items/s of this thread's CPU time)",
            wall.as_secs_f64() * 1e3,
            n as f64 / wall.as_secs_f64(),
            n as f64 / cpu.as_secs_f64()
        )
    };
    // The matchers' lazy DFAs build states for text they have not met. A process that has just
    // started pays for them on its first items: the real multi-outlet entries of `../shared`
    // (never copied here) are read first, cold. A process that has read for a while (here, ECB+
    // through extraction) meets new text with most states built: the fixture feeds are read
    // next, for the first time; then again, as text met before.
    let real = sitrep::eval::feeds::read_entries(std::path::Path::new(
        "../shared/data/real/feeds_dev.jsonl",
    ))
    .map(|e| e.entries.iter().map(|e| e.article()).collect::<Vec<_>>())
    .unwrap_or_default();
    if !real.is_empty() {
        let cold = common::median_with_cpu(1, || replay(&real));
        print("real feed entries, cold process", real.len(), cold);
    }
    let warm_up = common::ecbplus_documents();
    let when = chrono::Utc::now();
    for (title, body) in &warm_up {
        let source = sitrep::model::SourceRef {
            url: String::new(),
            outlet: "warm-up".into(),
            family: "warm-up".into(),
            published: Some(when),
            lang: None,
        };
        std::hint::black_box(sitrep::extract::extract(
            title, body, when, when, None, source, gaz,
        ));
    }
    let first = common::median_with_cpu(1, || replay(&articles));
    print(
        &format!(
            "fixture feeds, new text after {} ECB+ documents",
            warm_up.len()
        ),
        articles.len(),
        first,
    );
    let again = common::median_with_cpu(5, || replay(&articles));
    print(
        "fixture feeds, text met before (median of 5)",
        articles.len(),
        again,
    );
}
