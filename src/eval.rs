//! Scoring the extractor against a corpus of articles with expected results
//! (`tests/fixtures/articles`: `NNN-slug.txt` plus `NNN-slug.json`; format in its README):
//! incident precision, recall and F1, per-field accuracy over matched incidents, aggregates.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use thiserror::Error;

use crate::extract::{self, Gazetteer};
use crate::incident::distance_km;
use crate::model::{Incident, SourceRef};

#[derive(Debug, Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug, Deserialize)]
struct Expected {
    published: NaiveDate,
    lang: Option<String>,
    incidents: Vec<ExpectedIncident>,
    #[serde(default)]
    aggregates: usize,
}

#[derive(Debug, Deserialize)]
struct ExpectedIncident {
    country: String,
    place: Option<String>,
    admin1: Option<String>,
    date: NaiveDate,
    kind: String,
    perpetrator: Option<String>,
    fatalities: Option<ExpectedToll>,
    severity: String,
    verification: String,
}

#[derive(Debug, Deserialize)]
struct ExpectedToll {
    best: Option<u32>,
    high: Option<u32>,
}

/// Fields scored on each matched incident.
pub const FIELDS: [&str; 8] = [
    "country",
    "place",
    "date",
    "kind",
    "perpetrator",
    "fatalities",
    "severity",
    "verification",
];

/// The scores of one run.
#[derive(Debug, Default, Clone)]
pub struct ExtractScore {
    pub articles: usize,
    pub expected: usize,
    pub predicted: usize,
    pub matched: usize,
    /// Correct values per field of [`FIELDS`], over matched incidents.
    pub correct: [usize; 8],
    pub aggregates_expected: usize,
    pub aggregates_predicted: usize,
    pub aggregates_matched: usize,
    /// One line per disagreement, for `--verbose` and failing tests.
    pub misses: Vec<String>,
}

impl ExtractScore {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.expected)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Accuracy of one field over matched incidents.
    pub fn accuracy(&self, field: &str) -> f64 {
        let i = FIELDS
            .iter()
            .position(|f| *f == field)
            .expect("a scored field");
        ratio(self.correct[i], self.matched)
    }

    /// The report `sitrep eval extract` prints.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "articles   {}", self.articles);
        let _ = writeln!(
            s,
            "incidents  expected {}  predicted {}  matched {}",
            self.expected, self.predicted, self.matched
        );
        let _ = writeln!(
            s,
            "precision  {:.3}\nrecall     {:.3}\nF1         {:.3}",
            self.precision(),
            self.recall(),
            self.f1()
        );
        let _ = writeln!(s, "field accuracy over matched incidents:");
        for f in FIELDS {
            let _ = writeln!(s, "  {f:<13}{:.3}", self.accuracy(f));
        }
        let _ = writeln!(
            s,
            "aggregates expected {}  predicted {}  matched {}",
            self.aggregates_expected, self.aggregates_predicted, self.aggregates_matched
        );
        s
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores the extractor over every `*.json` + `*.txt` pair in `dir`.
pub fn eval_extract(dir: &Path, gaz: &Gazetteer) -> Result<ExtractScore, EvalError> {
    let err = |path: &Path, message: String| EvalError::File {
        path: path.display().to_string(),
        message,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| err(dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    if entries.is_empty() {
        return Err(err(dir, "no *.json expectations found".into()));
    }
    let mut score = ExtractScore::default();
    for json in entries {
        let txt = json.with_extension("txt");
        let expected: Expected =
            serde_json::from_slice(&std::fs::read(&json).map_err(|e| err(&json, e.to_string()))?)
                .map_err(|e| err(&json, e.to_string()))?;
        let text = std::fs::read_to_string(&txt).map_err(|e| err(&txt, e.to_string()))?;
        let (title, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        let published = Utc.from_utc_datetime(
            &expected
                .published
                .and_hms_opt(23, 59, 59)
                .expect("valid time"),
        );
        let source = SourceRef {
            url: String::new(),
            outlet: "eval".into(),
            family: "eval".into(),
            published: Some(published),
            lang: None,
        };
        let x = extract::extract(
            title,
            body,
            published,
            published,
            expected.lang.as_deref(),
            source,
            gaz,
        );
        let predicted: Vec<Incident> = x.incidents.iter().map(|e| e.incident()).collect();
        let name = json
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        score.articles += 1;
        score.expected += expected.incidents.len();
        score.predicted += predicted.len();
        score.aggregates_expected += expected.aggregates;
        score.aggregates_predicted += x.aggregates.len();
        score.aggregates_matched += expected.aggregates.min(x.aggregates.len());

        let mut used = vec![false; predicted.len()];
        for exp in &expected.incidents {
            let hit = predicted
                .iter()
                .enumerate()
                .filter(|(k, _)| !used[*k])
                .find(|(_, p)| same_incident(exp, p, gaz));
            let Some((k, p)) = hit else {
                score.misses.push(format!(
                    "{name}: missed {} {} {} {}",
                    exp.country,
                    exp.place.as_deref().unwrap_or("-"),
                    exp.date,
                    exp.kind
                ));
                continue;
            };
            used[k] = true;
            score.matched += 1;
            let fields = [
                exp.country == p.country,
                place_matches(exp, p, gaz, 10.0),
                exp.date == p.date,
                exp.kind == p.kind.as_str(),
                exp.perpetrator == p.perpetrator,
                toll_matches(exp.fatalities.as_ref(), p),
                exp.severity == p.severity.as_str(),
                exp.verification == p.verification.as_str(),
            ];
            for (i, ok) in fields.iter().enumerate() {
                if *ok {
                    score.correct[i] += 1;
                } else {
                    let got = match FIELDS[i] {
                        "place" => format!("{:?}", p.place),
                        "date" => p.date.to_string(),
                        "kind" => p.kind.to_string(),
                        "perpetrator" => format!("{:?}", p.perpetrator),
                        "fatalities" => format!("{:?}", p.fatalities.map(|f| (f.best, f.high))),
                        "severity" => p.severity.to_string(),
                        "verification" => p.verification.to_string(),
                        _ => p.country.clone(),
                    };
                    let want = match FIELDS[i] {
                        "place" => format!("{:?}", exp.place),
                        "date" => exp.date.to_string(),
                        "kind" => exp.kind.clone(),
                        "perpetrator" => format!("{:?}", exp.perpetrator),
                        "fatalities" => {
                            format!("{:?}", exp.fatalities.as_ref().map(|f| (f.best, f.high)))
                        }
                        "severity" => exp.severity.clone(),
                        "verification" => exp.verification.clone(),
                        _ => exp.country.clone(),
                    };
                    score
                        .misses
                        .push(format!("{name}: {} want {want} got {got}", FIELDS[i]));
                }
            }
        }
        for (k, p) in predicted.iter().enumerate() {
            if !used[k] {
                score.misses.push(format!(
                    "{name}: extra {} {} {} {}",
                    p.country,
                    p.place.as_deref().unwrap_or("-"),
                    p.date,
                    p.kind
                ));
            }
        }
    }
    Ok(score)
}

/// The same event: same country, place within 25 km (or same region when one side is coarse),
/// dates within a day.
fn same_incident(exp: &ExpectedIncident, p: &Incident, gaz: &Gazetteer) -> bool {
    exp.country == p.country
        && (exp.date - p.date).num_days().abs() <= 1
        && (place_matches(exp, p, gaz, 25.0)
            || (p.geo_precision > 1 || exp.place.is_none())
                && exp.admin1.is_some()
                && exp.admin1 == p.admin1)
}

fn place_matches(exp: &ExpectedIncident, p: &Incident, gaz: &Gazetteer, km: f64) -> bool {
    let Some(want) = &exp.place else {
        return p.place.is_none();
    };
    let Some(got) = &p.place else {
        return false;
    };
    if extract::normalize::key(want) == extract::normalize::key(got) {
        return true;
    }
    let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
        return false;
    };
    gaz.lookup(want).iter().any(|id| {
        let w = gaz.place(*id);
        w.country == exp.country && distance_km(w.lat, w.lon, lat, lon) <= km
    })
}

fn toll_matches(want: Option<&ExpectedToll>, p: &Incident) -> bool {
    match (want, p.fatalities) {
        (None, None) => true,
        (Some(w), Some(f)) => w.best == f.best && (w.best.is_some() || w.high == f.high),
        (Some(w), None) => w.best.is_none() && w.high.is_none(),
        (None, Some(_)) => false,
    }
}
