//! Drawing the map picture: the median time to render one 640x400 PNG (borders, marker, towns,
//! labels, scale, PNG encoding) for a town, a district and a region view and for a point outside
//! the bundled borders, and the PNG sizes. The first picture also parses the bundled borders and
//! the font; it is timed apart. Then the map of recent incidents (`/map`, the digest's picture)
//! with 500 incidents across the central Sahel, and with 50, with the mean CPU time per picture
//! beside the median (on a shared machine the wall clock includes waiting for a core).
//! `cargo bench --bench map`.

mod common;

use std::time::Instant;

use sitrep::extract::Gazetteer;
use sitrep::i18n::Lang;
use sitrep::map::region::{self, Dot, RegionScene};
use sitrep::map::{self, Scene};
use sitrep::model::Severity;

fn main() {
    let gaz = Gazetteer::bundled();
    let scenes = [
        ("town (Boulkessi)", 15.03, -1.55, 1, Some("Boulkessi"), "ML"),
        ("town (Maiduguri)", 11.85, 13.16, 1, Some("Maiduguri"), "NG"),
        ("district (Djibo)", 14.10, -1.63, 2, Some("Djibo"), "BF"),
        ("region (Tillabéri)", 14.2, 1.45, 3, Some("Tillabéri"), "NE"),
        (
            "outside the borders (Paris)",
            48.86,
            2.35,
            1,
            Some("Paris"),
            "FR",
        ),
    ]
    .map(|(label, lat, lon, precision, place, country)| {
        (
            label,
            Scene {
                lat,
                lon,
                precision,
                severity: Severity::Critical,
                place: place.map(str::to_string),
                country: country.to_string(),
                lang: Lang::En,
            },
        )
    });
    let t = Instant::now();
    map::render(&scenes[0].1, gaz).expect("drawn");
    println!(
        "first picture (parses borders and font): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut all = Vec::new();
    for (label, scene) in &scenes {
        let bytes = map::render(scene, gaz).expect("drawn").png.len();
        let median = common::median(50, || {
            map::render(scene, gaz).expect("drawn");
        });
        all.push(median);
        println!(
            "{label:<30} median {:>6.2} ms   PNG {:>6} bytes",
            median.as_secs_f64() * 1e3,
            bytes
        );
    }
    all.sort();
    println!(
        "median over the views: {:.2} ms per picture",
        all[all.len() / 2].as_secs_f64() * 1e3
    );
    region_maps(gaz);
}

/// `n` incidents spread over Mali, Burkina Faso and Niger (a fixed pseudo-random walk), with
/// every severity and a range of tolls.
fn incidents(n: usize) -> Vec<Dot> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % 10_000) as f64 / 10_000.0
    };
    let severities = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    (0..n)
        .map(|k| Dot {
            lat: 11.0 + next() * 6.5,
            lon: -6.0 + next() * 10.0,
            severity: severities[k % 4],
            deaths: match k % 5 {
                0 => None,
                1 => Some(3),
                2 => Some(12),
                3 => Some(60),
                _ => Some(1),
            },
        })
        .collect()
}

fn region_maps(gaz: &Gazetteer) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a day");
    for n in [500, 50] {
        let scene = RegionScene {
            dots: incidents(n),
            area: None,
            focus: vec!["ML".into(), "BF".into(), "NE".into()],
            legend: region::legend(Lang::En, "Central Sahel", 7 * 24, day, n, 4_000),
            lang: Lang::En,
        };
        let picture = region::render_region(&scene, gaz).expect("drawn");
        let cpu0 = common::cpu_seconds();
        let median = common::median(30, || {
            region::render_region(&scene, gaz).expect("drawn");
        });
        let cpu = (common::cpu_seconds() - cpu0) / 30.0;
        println!(
            "region map, {n:>3} incidents ({:>3} dots after grouping) median {:>6.2} ms (CPU {:>6.2} ms)   PNG {:>6} bytes",
            picture.layout.dots.len(),
            median.as_secs_f64() * 1e3,
            cpu * 1e3,
            picture.png.len()
        );
    }
}
