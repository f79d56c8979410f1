//! Incidents as CSV (spreadsheets) and GeoJSON (QGIS and web maps).

use crate::model::Incident;

const CSV_HEADER: &str = "id,date,date_precision,country,admin1,place,lat,lon,geo_precision,kind,severity,verification,perpetrator,actors,fatalities_low,fatalities_best,fatalities_high,fatalities_confirmed,sources,first_source_url,summary";

fn csv_field(s: &str) -> String {
    // Cells starting with = + - @ are formulas to a spreadsheet: prefix them so they stay text.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// RFC 4180 CSV with a header line.
pub fn csv(incidents: &[Incident]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for i in incidents {
        let f = i.fatalities;
        let row = [
            i.id.clone(),
            i.date.to_string(),
            format!("{:?}", i.date_precision).to_lowercase(),
            i.country.clone(),
            opt(i.admin1.as_ref()),
            opt(i.place.as_ref()),
            opt(i.lat),
            opt(i.lon),
            i.geo_precision.to_string(),
            i.kind.to_string(),
            i.severity.to_string(),
            i.verification.to_string(),
            opt(i.perpetrator.as_ref()),
            i.actors.join("; "),
            opt(f.and_then(|f| f.low)),
            opt(f.and_then(|f| f.best)),
            opt(f.and_then(|f| f.high)),
            opt(f.map(|f| f.confirmed)),
            i.sources.len().to_string(),
            opt(i.sources.first().map(|s| s.url.clone())),
            i.summary.clone(),
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// A GeoJSON FeatureCollection; incidents without coordinates are left out.
pub fn geojson(incidents: &[Incident]) -> String {
    let features: Vec<serde_json::Value> = incidents
        .iter()
        .filter_map(|i| {
            let (lat, lon) = (i.lat?, i.lon?);
            let mut props = serde_json::to_value(i).ok()?;
            if let Some(map) = props.as_object_mut() {
                map.remove("lat");
                map.remove("lon");
            }
            Some(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }))
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("plain"), "plain");
    }
}
