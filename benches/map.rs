//! Drawing the map picture: the median time to render one 640x400 PNG (borders, marker, towns,
//! labels, scale, PNG encoding) for a town, a district and a region view and for a point outside
//! the bundled borders, and the PNG sizes. The first picture also parses the bundled borders and
//! the font; it is timed apart. `cargo bench --bench map`.

mod common;

use std::time::Instant;

use sitrep::extract::Gazetteer;
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
                lang: sitrep::i18n::Lang::En,
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
}
