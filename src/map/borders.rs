//! The country borders shipped in `data/map/west_africa_countries_50m.geojson` (Natural Earth
//! admin-0 1:50m, public domain, via world-atlas): 23 countries of West Africa and their
//! neighbours, parsed once per process like the gazetteer.

use std::sync::OnceLock;

use super::MapError;

/// One country: its ISO 3166-1 alpha-2 code, its name as Natural Earth writes it, and its
/// polygons' rings as (lon, lat) pairs (outer rings and holes alike: drawing and point tests use
/// the even-odd rule).
#[derive(Debug, Clone)]
pub struct Country {
    pub code: &'static str,
    pub name: String,
    pub rings: Vec<Vec<(f64, f64)>>,
    /// (min lon, min lat, max lon, max lat).
    pub bbox: (f64, f64, f64, f64),
}

const BUNDLED: &str = include_str!("../../data/map/west_africa_countries_50m.geojson");

/// ISO 3166-1 numeric to alpha-2, for the countries in the bundled file.
const ISO_N3: &[(&str, &str)] = &[
    ("012", "DZ"),
    ("120", "CM"),
    ("140", "CF"),
    ("148", "TD"),
    ("204", "BJ"),
    ("270", "GM"),
    ("288", "GH"),
    ("324", "GN"),
    ("384", "CI"),
    ("430", "LR"),
    ("434", "LY"),
    ("466", "ML"),
    ("478", "MR"),
    ("504", "MA"),
    ("562", "NE"),
    ("566", "NG"),
    ("624", "GW"),
    ("686", "SN"),
    ("694", "SL"),
    ("729", "SD"),
    ("732", "EH"),
    ("768", "TG"),
    ("854", "BF"),
];

/// The bundled borders, parsed once per process.
pub fn bundled() -> Result<&'static [Country], MapError> {
    static B: OnceLock<Result<Vec<Country>, String>> = OnceLock::new();
    B.get_or_init(|| parse(BUNDLED))
        .as_deref()
        .map_err(|e| MapError::Borders(e.clone()))
}

/// Parses a GeoJSON FeatureCollection of Polygon and MultiPolygon features with `name` and
/// `iso_n3` properties.
fn parse(text: &str) -> Result<Vec<Country>, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let features = doc["features"].as_array().ok_or("no \"features\" array")?;
    let mut out = Vec::with_capacity(features.len());
    for f in features {
        let name = f["properties"]["name"].as_str().unwrap_or("").to_string();
        let n3 = f["properties"]["iso_n3"].as_str().unwrap_or("");
        let code = ISO_N3
            .iter()
            .find(|(n, _)| *n == n3)
            .map_or("", |(_, a2)| *a2);
        let geometry = &f["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other => return Err(format!("{name}: unsupported geometry {other:?}")),
        };
        let mut rings = Vec::new();
        for polygon in polygons {
            for ring in polygon.as_array().into_iter().flatten() {
                let points: Vec<(f64, f64)> = ring
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                    .collect();
                if points.len() >= 3 {
                    rings.push(points);
                }
            }
        }
        if rings.is_empty() {
            return Err(format!("{name}: no rings"));
        }
        let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in rings.iter().flatten() {
            bbox = (
                bbox.0.min(lon),
                bbox.1.min(lat),
                bbox.2.max(lon),
                bbox.3.max(lat),
            );
        }
        out.push(Country {
            code,
            name,
            rings,
            bbox,
        });
    }
    Ok(out)
}

/// Whether a point lies inside a set of rings (even-odd rule).
pub fn contains(rings: &[Vec<(f32, f32)>], x: f32, y: f32) -> bool {
    let mut inside = false;
    for ring in rings {
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let (xi, yi) = ring[i];
            let (xj, yj) = ring[j];
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_borders_name_every_country() {
        let countries = bundled().unwrap();
        assert_eq!(countries.len(), 23);
        assert!(
            countries.iter().all(|c| !c.code.is_empty()),
            "every iso_n3 has its alpha-2 code"
        );
        let mali = countries.iter().find(|c| c.code == "ML").unwrap();
        assert_eq!(mali.name, "Mali");
        // Boulkessi (15.03 N, 1.55 W) is in Mali's box.
        assert!(mali.bbox.0 < -1.55 && mali.bbox.2 > -1.55);
        assert!(mali.bbox.1 < 15.03 && mali.bbox.3 > 15.03);
    }

    #[test]
    fn point_in_rings_uses_even_odd() {
        let square = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let hole = vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)];
        let rings = vec![square, hole];
        assert!(contains(&rings, 2.0, 2.0));
        assert!(!contains(&rings, 5.0, 5.0));
        assert!(!contains(&rings, 12.0, 5.0));
    }
}
