//! Retention at size: a store of 1M synthetic incidents over five years (with a sent record for
//! one in ten), pruned to the last 180 days in batches ([`Store::prune_step`], as the daemon's
//! housekeeping runs them), while another thread keeps matching and merging reports, as the
//! pipeline does. Prints the time to prune, the median and slowest batch, the merge latency
//! with and without the prune running, and the store's size on disk before, right after, and
//! after the store was closed and opened again (sled gives space back lazily, by rewriting
//! segments as it goes), and after [`sitrep::store::compact`] copied it into a fresh database.
//! `cargo bench --bench prune`; `SITREP_BENCH_INCIDENTS=100000` for a shorter run.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use sitrep::extract::{Extracted, Gazetteer};
use sitrep::incident::{Evidence, IncidentRecord, Report};
use sitrep::model::{DatePrecision, Fatalities, Kind, SourceRef, TargetClass};
use sitrep::pipeline::Pipeline;
use sitrep::route::{MessageForm, Sent};
use sitrep::store::{PRUNE_BATCH, PruneCursor, Store};

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const PLACES: [(&str, &str, f64, f64); 6] = [
    ("ML", "Boulkessi", 14.9, -1.6),
    ("ML", "Ménaka", 15.9, 2.4),
    ("BF", "Djibo", 14.1, -1.6),
    ("BF", "Arbinda", 14.2, -0.9),
    ("NE", "Téra", 14.0, 0.75),
    ("NE", "Diffa", 13.3, 12.6),
];

fn report(rng: &mut Rng, day: NaiveDate, n: u64) -> (String, Report) {
    let (country, place, lat, lon) = PLACES[(rng.next() % PLACES.len() as u64) as usize];
    let seen = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
    let toll = (rng.next() % 40) as u32;
    let report = Report {
        source: SourceRef {
            url: format!("https://bench.example/{n}"),
            outlet: "bench".into(),
            family: "bench".into(),
            published: Some(seen),
            lang: Some("en".into()),
        },
        family: "bench".into(),
        kind: Kind::Clash,
        place: Some(place.into()),
        admin1: None,
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
        summary: "synthetic incident for the prune benchmark".into(),
        evidence: Evidence {
            reported: true,
            ..Default::default()
        },
        story: Default::default(),
        seen,
    };
    (country.to_string(), report)
}

/// Bytes the files of a directory take on disk (allocated blocks).
fn disk_usage(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        total += if m.is_dir() {
            disk_usage(&e.path())
        } else {
            m.blocks() * 512
        };
    }
    total
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// Merges reports until `stop`, recording each merge's latency.
fn merge_load(store: Store, stop: Arc<AtomicBool>, out: Arc<Mutex<Vec<Duration>>>) {
    let gaz = Gazetteer::bundled();
    let mut p = Pipeline::new(store, gaz, Duration::from_secs(3650 * 86_400));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let day = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
    let mut n = 50_000_000u64;
    while !stop.load(Ordering::Relaxed) {
        let (country, r) = report(&mut rng, day, n);
        n += 1;
        let t = Instant::now();
        p.merge(Extracted { country, report: r }).unwrap();
        out.lock().unwrap().push(t.elapsed());
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn summary(label: &str, mut v: Vec<Duration>) {
    v.sort();
    if v.is_empty() {
        return;
    }
    let q = |f: f64| v[((v.len() - 1) as f64 * f) as usize].as_secs_f64() * 1e3;
    println!(
        "merge latency {label}: {} merges, median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        v.len(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
}

fn main() {
    let total: u64 = std::env::var("SITREP_BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path, 64).unwrap();
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let days = 5 * 365u64;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let t = Instant::now();
    for i in 0..total {
        let day = start + chrono::Duration::days((i * days / total) as i64);
        let (country, r) = report(&mut rng, day, i);
        let mut rec = IncidentRecord::from_report(&country, r);
        rec.incident.id = format!("{country}-{}-bench{i}", day.format("%Y%m%d"));
        store.put_incident(&rec).unwrap();
        if i % 10 == 0 {
            let entry = sitrep::deliver::OutboxEntry {
                seq: i,
                delivery: sitrep::route::Delivery {
                    target: "telegram:-1001".parse().unwrap(),
                    incident_id: rec.incident.id.clone(),
                    action: sitrep::route::Action::New,
                    met_thresholds: true,
                    lang: Default::default(),
                },
                attempts: 0,
                not_before: Utc::now(),
                enqueued: Utc::now(),
            };
            let sent = Sent {
                message_id: i.to_string(),
                met_thresholds: true,
                form: MessageForm::Text,
                lang: Default::default(),
            };
            store.complete_delivery(&entry, &sent).unwrap();
        }
    }
    store.flush().unwrap();
    println!(
        "built {} incidents in {:.1} s",
        store.incident_count(),
        t.elapsed().as_secs_f64()
    );
    let before = disk_usage(&path);
    println!("disk before: {:.0} MiB", mib(before));

    // Merge latency alone, then with the prune running beside it.
    let stop = Arc::new(AtomicBool::new(false));
    let alone = Arc::new(Mutex::new(Vec::new()));
    let load = {
        let (s, st, out) = (store.clone(), stop.clone(), alone.clone());
        std::thread::spawn(move || merge_load(s, st, out))
    };
    std::thread::sleep(Duration::from_secs(5));
    stop.store(true, Ordering::Relaxed);
    load.join().unwrap();
    summary("without pruning", alone.lock().unwrap().clone());

    let stop = Arc::new(AtomicBool::new(false));
    let during = Arc::new(Mutex::new(Vec::new()));
    let load = {
        let (s, st, out) = (store.clone(), stop.clone(), during.clone());
        std::thread::spawn(move || merge_load(s, st, out))
    };
    let cutoff = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
    let t = Instant::now();
    let mut batches = Vec::new();
    let mut removed = 0;
    let mut cursor = Some(PruneCursor::default());
    while let Some(c) = cursor {
        let b = Instant::now();
        let (p, next) = store.prune_step(cutoff, c, PRUNE_BATCH).unwrap();
        batches.push(b.elapsed());
        removed += p.incidents;
        cursor = next;
    }
    let pruned_in = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    load.join().unwrap();
    batches.sort();
    println!(
        "pruned {removed} incidents (kept {}) in {:.1} s: {} batches of {PRUNE_BATCH}, median batch {:.0} ms, slowest {:.0} ms",
        store.incident_count(),
        pruned_in.as_secs_f64(),
        batches.len(),
        batches[batches.len() / 2].as_secs_f64() * 1e3,
        batches.last().unwrap().as_secs_f64() * 1e3
    );
    summary("during pruning", during.lock().unwrap().clone());
    store.flush().unwrap();
    let after = disk_usage(&path);
    println!("disk right after pruning: {:.0} MiB", mib(after));
    drop(store);
    let store = Store::open(&path, 64).unwrap();
    // sled rewrites sparse segments as it writes: give it some writes, then measure.
    std::thread::sleep(Duration::from_secs(2));
    store.flush().unwrap();
    let reopened = disk_usage(&path);
    println!(
        "disk after closing and opening again: {:.0} MiB ({:.0} % of before)",
        mib(reopened),
        reopened as f64 * 100.0 / before as f64
    );
    let kept = store.incident_count();
    drop(store);

    // Compaction: what `sitrep compact` and the daemon's start do to give the space back.
    let t = Instant::now();
    let worth = sitrep::store::compact::compact_if_worth(&path, 64).unwrap();
    let done = match worth {
        Some(done) => done,
        None => sitrep::store::compact::compact(&path, 64).unwrap(),
    };
    println!(
        "compaction ({}): {:.0} MiB -> {:.0} MiB in {:.1} s ({} records, {:.0} MiB of keys and values); disk after compaction {:.0} % of before pruning",
        if worth.is_some() {
            "worth it at start"
        } else {
            "not worth it at start"
        },
        mib(done.before),
        mib(done.after),
        t.elapsed().as_secs_f64(),
        done.records,
        mib(done.live),
        disk_usage(&path) as f64 * 100.0 / before as f64
    );
    let store = Store::open(&path, 64).unwrap();
    assert_eq!(
        store.incident_count(),
        kept,
        "compaction keeps every incident"
    );
    println!("resident memory: {:.0} MiB", common::rss_mib());
}
