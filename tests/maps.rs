//! The map picture, pixel by pixel: the marker in the severity's colour at the projected point,
//! border colour along the Mali–Burkina Faso border taken from the bundled GeoJSON itself, and a
//! point outside the bundled borders (Paris, or the sea at 0,0) still drawn with its marker and
//! scale bar.

use sitrep::deliver::format::severity_colour;
use sitrep::extract::Gazetteer;
use sitrep::map::{self, Scene};
use sitrep::model::Severity;
use tiny_skia::Pixmap;

fn scene(lat: f64, lon: f64, precision: u8, place: &str, country: &str, s: Severity) -> Scene {
    Scene {
        lat,
        lon,
        precision,
        severity: s,
        place: (!place.is_empty()).then(|| place.to_string()),
        country: country.into(),
        lang: sitrep::i18n::Lang::En,
    }
}

/// Draws a scene and decodes its PNG back.
fn draw(s: &Scene) -> (Pixmap, map::Layout) {
    let picture = map::render(s, Gazetteer::bundled()).expect("drawn");
    assert!(picture.png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let pixmap = Pixmap::decode_png(&picture.png).expect("a PNG that decodes");
    assert_eq!((pixmap.width(), pixmap.height()), (map::WIDTH, map::HEIGHT));
    (pixmap, picture.layout)
}

fn rgb(p: &Pixmap, x: f32, y: f32) -> (u8, u8, u8) {
    let c = p
        .pixel(x as u32, y as u32)
        .expect("inside the picture")
        .demultiply();
    (c.red(), c.green(), c.blue())
}

fn hex(c: u32) -> (u8, u8, u8) {
    ((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

fn near(a: (u8, u8, u8), b: (u8, u8, u8), tolerance: i32) -> bool {
    (a.0 as i32 - b.0 as i32).abs()
        + (a.1 as i32 - b.1 as i32).abs()
        + (a.2 as i32 - b.2 as i32).abs()
        <= tolerance
}

fn place(name: &str) -> (f64, f64) {
    let gaz = Gazetteer::bundled();
    let p = gaz.place(gaz.lookup(name)[0]);
    (p.lat, p.lon)
}

#[test]
fn the_marker_has_its_severity_colour_at_the_projected_point() {
    for (name, country, severity) in [
        ("Boulkessi", "ML", Severity::Critical),
        ("Mopti", "ML", Severity::High),
        ("Djibo", "BF", Severity::Medium),
    ] {
        let (lat, lon) = place(name);
        let (pixmap, layout) = draw(&scene(lat, lon, 1, name, country, severity));
        let (x, y) = layout.frame.project(lat, lon);
        assert_eq!(
            rgb(&pixmap, x, y),
            hex(severity_colour(severity)),
            "{name} at ({x}, {y})"
        );
        // The marker is small: a little away from it, the map shows through.
        assert_ne!(
            rgb(&pixmap, x + 30.0, y + 30.0),
            hex(severity_colour(severity))
        );
    }
}

#[test]
fn borders_are_drawn_where_the_borders_are() {
    let (lat, lon) = place("Boulkessi");
    let (pixmap, layout) = draw(&scene(lat, lon, 1, "Boulkessi", "ML", Severity::Critical));
    // Vertices that Mali's and Burkina Faso's outlines share: the border between them.
    let countries = map::borders::bundled().unwrap();
    let ring_points = |code: &str| -> Vec<(f64, f64)> {
        countries
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .rings
            .iter()
            .flatten()
            .copied()
            .collect()
    };
    let burkina = ring_points("BF");
    let shared: Vec<(f32, f32)> = ring_points("ML")
        .into_iter()
        .filter(|p| burkina.contains(p))
        .map(|(lon, lat)| layout.frame.project(lat, lon))
        .filter(|&(x, y)| x > 20.0 && x < 620.0 && y > 20.0 && y < 380.0)
        .collect();
    assert!(shared.len() >= 5, "{} border points in view", shared.len());
    let border = hex(0x6E5E48);
    assert_eq!(
        (map::BORDER.0, map::BORDER.1, map::BORDER.2),
        border,
        "the border colour this test looks for"
    );
    let on_border = shared
        .iter()
        .filter(|&&(x, y)| {
            (-1..=1).any(|dx| {
                (-1..=1).any(|dy| near(rgb(&pixmap, x + dx as f32, y + dy as f32), border, 45))
            })
        })
        .count();
    assert!(
        on_border * 10 >= shared.len() * 8,
        "{on_border} of {} border points show the border colour",
        shared.len()
    );
    // Away from borders, land: Mali's (the incident's country) lighter than its neighbour's.
    let land = |c: (u8, u8, u8, u8)| (c.0, c.1, c.2);
    let mali_inside = layout.frame.project(lat + 0.4, lon - 0.6);
    // Away from the marker, its precision circle and the town labels (Boulkessi is the camp,
    // close to the border).
    let burkina_inside = layout.frame.project(lat - 0.45, lon + 0.95);
    assert_eq!(
        rgb(&pixmap, mali_inside.0, mali_inside.1),
        land(map::LAND_FOCUS)
    );
    assert_eq!(
        rgb(&pixmap, burkina_inside.0, burkina_inside.1),
        land(map::LAND)
    );
}

#[test]
fn a_point_outside_the_bundled_borders_still_gets_its_marker_and_scale() {
    for s in [
        scene(48.8566, 2.3522, 1, "Paris", "FR", Severity::High),
        scene(0.0, 0.0, 2, "", "", Severity::Low),
    ] {
        let (pixmap, layout) = draw(&s);
        let (x, y) = layout.frame.project(s.lat, s.lon);
        assert_eq!(rgb(&pixmap, x, y), hex(severity_colour(s.severity)));
        let bar = layout.scale;
        assert!(bar.x1 - bar.x0 > 40.0 && bar.km > 0, "{bar:?}");
        let text = (map::TEXT.0, map::TEXT.1, map::TEXT.2);
        assert_eq!(rgb(&pixmap, (bar.x0 + bar.x1) / 2.0, bar.y), text);
        let water = (map::WATER.0, map::WATER.1, map::WATER.2);
        assert_eq!(rgb(&pixmap, 320.0, 330.0), water, "no land drawn there");
    }
}
