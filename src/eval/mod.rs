//! Scoring extraction and merging: against the project's own corpora (`tests/fixtures/articles`:
//! `NNN-slug.txt` plus `NNN-slug.json`, format in its README; feed files with expected clusters)
//! here, and against real text in [`ucdp`] (UCDP GED headlines) and [`feeds`] (labelled feed
//! entries, extraction and merging). The shared scoring helpers live here once.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use thiserror::Error;

use crate::extract::{self, Gazetteer};
use crate::incident::distance_km;
use crate::model::{Article, Incident, SourceRef};

pub mod csv;
pub mod feeds;
pub mod ucdp;

pub use feeds::{FeedsDedupScore, FeedsScore, eval_feeds, eval_feeds_dedup};
pub use ucdp::{UcdpScore, eval_ucdp};

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
        f1(self.precision(), self.recall())
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

/// The harmonic mean of precision and recall.
pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// `a / b`, or 1 when there is nothing to count.
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores the extractor over every `*.json` + `*.txt` pair in `dir`.
pub fn eval_extract(dir: &Path, gaz: &Gazetteer) -> Result<ExtractScore, EvalError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| file_err(dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    if entries.is_empty() {
        return Err(file_err(dir, "no *.json expectations found".into()));
    }
    let mut score = ExtractScore::default();
    for json in entries {
        score_article(&json, gaz, &mut score)?;
    }
    Ok(score)
}

fn file_err(path: &Path, message: String) -> EvalError {
    EvalError::File {
        path: path.display().to_string(),
        message,
    }
}

/// Extracts one article (`NAME.txt`: title line, then body) and scores it against its
/// expectation (`NAME.json`).
fn score_article(json: &Path, gaz: &Gazetteer, score: &mut ExtractScore) -> Result<(), EvalError> {
    let txt = json.with_extension("txt");
    let expected: Expected =
        serde_json::from_slice(&std::fs::read(json).map_err(|e| file_err(json, e.to_string()))?)
            .map_err(|e| file_err(json, e.to_string()))?;
    let text = std::fs::read_to_string(&txt).map_err(|e| file_err(&txt, e.to_string()))?;
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
    score_incidents(&name, &expected.incidents, &predicted, gaz, score);
    Ok(())
}

/// Pairs expected and predicted incidents (each used once), scores the fields of each pair, and
/// notes the misses and extras.
fn score_incidents(
    name: &str,
    expected: &[ExpectedIncident],
    predicted: &[Incident],
    gaz: &Gazetteer,
    score: &mut ExtractScore,
) {
    let mut used = vec![false; predicted.len()];
    for exp in expected {
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
        score_fields(name, exp, p, gaz, score);
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

/// Counts the right fields of a matched pair ([`FIELDS`]) and notes each wrong one.
fn score_fields(
    name: &str,
    exp: &ExpectedIncident,
    p: &Incident,
    gaz: &Gazetteer,
    score: &mut ExtractScore,
) {
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
            continue;
        }
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
            "fatalities" => format!("{:?}", exp.fatalities.as_ref().map(|f| (f.best, f.high))),
            "severity" => exp.severity.clone(),
            "verification" => exp.verification.clone(),
            _ => exp.country.clone(),
        };
        score
            .misses
            .push(format!("{name}: {} want {want} got {got}", FIELDS[i]));
    }
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
    if crate::text::key(want) == crate::text::key(got) {
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

#[derive(Debug, Deserialize)]
struct ExpectedDedup {
    as_of: chrono::DateTime<Utc>,
    clusters: Vec<ExpectedCluster>,
    #[serde(default)]
    no_incident: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ExpectedCluster {
    label: String,
    items: Vec<String>,
    final_verification: String,
    final_fatalities_best: Option<u32>,
}

/// Scores of merging reports into incidents.
#[derive(Debug, Default, Clone)]
pub struct DedupScore {
    pub items: usize,
    pub pairs_expected: usize,
    pub pairs_predicted: usize,
    pub pairs_correct: usize,
    pub clusters: usize,
    pub verification_correct: usize,
    pub fatalities_correct: usize,
    pub no_incident: usize,
    pub no_incident_correct: usize,
    pub misses: Vec<String>,
}

impl DedupScore {
    pub fn precision(&self) -> f64 {
        ratio(self.pairs_correct, self.pairs_predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.pairs_correct, self.pairs_expected)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn report(&self) -> String {
        format!(
            "items      {}\npairs      expected {}  predicted {}  correct {}\nprecision  {:.3}\nrecall     {:.3}\nF1         {:.3}\nclusters   {}  final verification {}/{}  final toll {}/{}\nno-incident items left alone {}/{}\n",
            self.items,
            self.pairs_expected,
            self.pairs_predicted,
            self.pairs_correct,
            self.precision(),
            self.recall(),
            self.f1(),
            self.clusters,
            self.verification_correct,
            self.clusters,
            self.fatalities_correct,
            self.clusters,
            self.no_incident_correct,
            self.no_incident,
        )
    }
}

/// Replays `feeds` (families from `families`, by feed file stem) into a temporary store as of the
/// expected file's `as_of`, and scores how items were grouped into incidents: pairwise precision,
/// recall and F1 over items, plus each expected cluster's final verification and toll.
pub fn eval_dedup(
    feeds: &[std::path::PathBuf],
    expected: &Path,
    families: &dyn Fn(&str) -> String,
    gaz: &Gazetteer,
) -> Result<DedupScore, EvalError> {
    let exp: ExpectedDedup = serde_json::from_slice(
        &std::fs::read(expected).map_err(|e| file_err(expected, e.to_string()))?,
    )
    .map_err(|e| file_err(expected, e.to_string()))?;
    let articles = read_feeds(feeds, families)?;
    let (store, joined) = replay(articles, exp.as_of, gaz, expected)?;
    let mut score = DedupScore::default();
    score_pairs(&exp, &joined, &mut score);
    score_clusters(&exp, &joined, &store, &mut score);
    Ok(score)
}

/// The incident ids each item joined, by GUID.
type Joined = std::collections::HashMap<String, Vec<String>>;

/// The items of every feed file, with their family, oldest first.
fn read_feeds(
    feeds: &[std::path::PathBuf],
    families: &dyn Fn(&str) -> String,
) -> Result<Vec<crate::model::Article>, EvalError> {
    let mut articles = Vec::new();
    for f in feeds {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut items =
            crate::source::read_feed_file(f, &name).map_err(|e| file_err(f, e.to_string()))?;
        let family = families(&name);
        for a in &mut items {
            a.family = family.clone();
        }
        articles.extend(items);
    }
    Ok(articles)
}

/// Pairwise scores over the items: two items of one expected cluster should share an incident,
/// two of different clusters should not; items expected to make no incident should make none.
fn score_pairs(exp: &ExpectedDedup, joined: &Joined, score: &mut DedupScore) {
    let mut cluster_of: std::collections::HashMap<&str, usize> = Default::default();
    for (c, cl) in exp.clusters.iter().enumerate() {
        for g in &cl.items {
            cluster_of.insert(g.as_str(), c);
        }
    }
    let items: Vec<&str> = exp
        .clusters
        .iter()
        .flat_map(|c| c.items.iter().map(String::as_str))
        .chain(exp.no_incident.iter().map(String::as_str))
        .filter(|g| joined.contains_key(*g))
        .collect();
    score.items = items.len();
    let shares = |a: &str, b: &str| joined[a].iter().any(|i| joined[b].contains(i));
    for (i, a) in items.iter().enumerate() {
        for b in &items[i + 1..] {
            let want =
                matches!((cluster_of.get(a), cluster_of.get(b)), (Some(x), Some(y)) if x == y);
            let got = shares(a, b);
            score.pairs_expected += want as usize;
            score.pairs_predicted += got as usize;
            score.pairs_correct += (want && got) as usize;
            if want != got {
                score.misses.push(format!(
                    "{} {a} / {b}",
                    if got { "merged apart" } else { "split" }
                ));
            }
        }
    }
    for g in &exp.no_incident {
        if let Some(ids) = joined.get(g) {
            score.no_incident += 1;
            if ids.is_empty() {
                score.no_incident_correct += 1;
            } else {
                score
                    .misses
                    .push(format!("no incident expected from {g}, got {ids:?}"));
            }
        }
    }
}

/// Each expected cluster's incident (the one most of its items joined): its final verification
/// and toll against the expected ones.
fn score_clusters(
    exp: &ExpectedDedup,
    joined: &Joined,
    store: &crate::store::Store,
    score: &mut DedupScore,
) {
    for cl in &exp.clusters {
        score.clusters += 1;
        let mut votes: std::collections::BTreeMap<&str, usize> = Default::default();
        for g in &cl.items {
            for id in joined.get(g).into_iter().flatten() {
                *votes.entry(id.as_str()).or_default() += 1;
            }
        }
        let Some((id, _)) = votes.into_iter().max_by_key(|(_, n)| *n) else {
            score
                .misses
                .push(format!("{}: no incident at all", cl.label));
            continue;
        };
        let Ok(Some(rec)) = store.incident(id) else {
            continue;
        };
        let inc = rec.incident;
        if inc.verification.as_str() == cl.final_verification {
            score.verification_correct += 1;
        } else {
            score.misses.push(format!(
                "{}: verification want {} got {}",
                cl.label, cl.final_verification, inc.verification
            ));
        }
        let best = inc.fatalities.and_then(|f| f.best);
        if best == cl.final_fatalities_best {
            score.fatalities_correct += 1;
        } else {
            score.misses.push(format!(
                "{}: toll want {:?} got {best:?}",
                cl.label, cl.final_fatalities_best
            ));
        }
    }
}

/// Runs `articles` through a fresh pipeline over a temporary store, in published order, as of
/// `as_of` (nothing is too old), and returns the store with the incident ids each article that
/// was not a duplicate joined, by GUID.
pub(crate) fn replay(
    mut articles: Vec<Article>,
    as_of: chrono::DateTime<Utc>,
    gaz: &Gazetteer,
    path: &Path,
) -> Result<(crate::store::Store, HashMap<String, Vec<String>>), EvalError> {
    let err = |message: String| EvalError::File {
        path: path.display().to_string(),
        message,
    };
    articles.sort_by_key(|a| a.published);
    let store = crate::store::Store::temporary().map_err(|e| err(e.to_string()))?;
    let mut pipeline = crate::pipeline::Pipeline::new(
        store.clone(),
        gaz,
        std::time::Duration::from_secs(3650 * 86400),
    )
    .with_as_of(Some(as_of));
    let mut joined: HashMap<String, Vec<String>> = HashMap::new();
    for a in &articles {
        let out = pipeline.ingest(a).map_err(|e| err(e.to_string()))?;
        if !out.duplicate {
            joined.insert(a.guid.clone(), out.incident_ids);
        }
    }
    Ok((store, joined))
}
