//! Scoring on labelled real feed entries (JSON Lines, one entry a line: `id, outlet, lang, title,
//! description, link, published, incidents[]`): extraction per entry (`sitrep eval feeds`) and
//! merging of the entries replayed as one feed per outlet (`sitrep eval feeds-dedup`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::{EvalError, f1, ratio, replay};
use crate::extract::{self, Gazetteer, actors};
use crate::model::{Article, Incident, Kind, SourceRef};
use crate::source::html::{html_to_text, repair_mojibake};
use crate::text::key;

/// One labelled feed entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub id: String,
    pub outlet: String,
    #[serde(default)]
    pub lang: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub link: String,
    pub published: DateTime<Utc>,
    #[serde(default)]
    pub incidents: Vec<Label>,
}

/// One labelled incident of an entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub key: String,
    pub country: String,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub date: Option<NaiveDate>,
    pub kind: Option<String>,
    pub perpetrator: Option<String>,
    pub deaths_total: Option<u32>,
    #[serde(default)]
    pub official: bool,
}

/// The entries of a JSON Lines file, and one message per line that could not be read (skipped).
#[derive(Debug, Default, Clone)]
pub struct Entries {
    pub entries: Vec<Entry>,
    pub unreadable: Vec<String>,
}

/// Reads a JSON Lines file of entries; blank lines are skipped, a bad line is skipped with a
/// message naming it; a file with no readable entry is an error.
pub fn read_entries(path: &Path) -> Result<Entries, EvalError> {
    let err = |message: String| EvalError::File {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let mut out = Entries::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => out.entries.push(e),
            Err(e) => {
                out.unreadable
                    .push(format!("{}: line {}: skipped: {e}", path.display(), n + 1))
            }
        }
    }
    if out.entries.is_empty() {
        return Err(err("no readable entries".into()));
    }
    Ok(out)
}

impl Entry {
    /// The entry as the article a feed would give: entities decoded, description as the body,
    /// the outlet as source and publisher family, the id as GUID.
    pub fn article(&self) -> Article {
        Article {
            source: self.outlet.clone(),
            url: self.link.clone(),
            guid: self.id.clone(),
            title: repair_mojibake(&html_to_text(&self.title)),
            text: repair_mojibake(&html_to_text(&self.description)),
            published: Some(self.published),
            lang: self.lang.clone(),
            family: self.outlet.clone(),
        }
    }
}

/// Fields scored on each matched labelled incident, when labelled.
pub const FEEDS_FIELDS: [&str; 6] = ["country", "place", "date", "kind", "perpetrator", "deaths"];

/// The scores of one `eval feeds` run.
#[derive(Debug, Default, Clone)]
pub struct FeedsScore {
    pub entries: usize,
    /// Labelled incidents.
    pub labelled: usize,
    /// Extracted incidents, from every entry.
    pub extracted: usize,
    /// Labelled incidents matched on country and, when labelled, place or admin1.
    pub matched_strict: usize,
    /// Labelled incidents matched on country only (after the strict pass).
    pub matched_loose: usize,
    /// Matched incidents each field was labelled on, by [`FEEDS_FIELDS`].
    pub counted: [usize; 6],
    pub correct: [usize; 6],
    /// Entries labelled without incidents.
    pub distractors: usize,
    /// Distractor entries that gave at least one incident, and how many incidents.
    pub distractors_hit: usize,
    pub distractor_incidents: usize,
    /// Lines of the file that could not be read (skipped), one message each.
    pub unreadable: Vec<String>,
    pub misses: Vec<String>,
}

impl FeedsScore {
    /// Labelled incidents found (strict match) over labelled incidents.
    pub fn recall(&self) -> f64 {
        ratio(self.matched_strict, self.labelled)
    }
    /// Labelled incidents found with the right country only, over labelled incidents.
    pub fn recall_loose(&self) -> f64 {
        ratio(self.matched_strict + self.matched_loose, self.labelled)
    }
    /// Matched extracted incidents (either pass) over extracted incidents.
    pub fn precision(&self) -> f64 {
        ratio(self.matched_strict + self.matched_loose, self.extracted)
    }
    /// Accuracy of one field over the matched incidents labelled with it.
    pub fn accuracy(&self, field: &str) -> f64 {
        let i = FEEDS_FIELDS
            .iter()
            .position(|f| *f == field)
            .expect("a scored field");
        ratio(self.correct[i], self.counted[i])
    }

    /// The report `sitrep eval feeds` prints.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let m = self.matched_strict + self.matched_loose;
        let _ = writeln!(
            s,
            "entries {}  labelled incidents {}  extracted {}",
            self.entries, self.labelled, self.extracted
        );
        let _ = writeln!(
            s,
            "found      {}/{} {:.3} (country and place/admin1 when labelled)\nfound      {}/{} {:.3} (country only)\nprecision  {}/{} {:.3}\nF1         {:.3}",
            self.matched_strict,
            self.labelled,
            self.recall(),
            m,
            self.labelled,
            self.recall_loose(),
            m,
            self.extracted,
            self.precision(),
            f1(self.precision(), self.recall_loose()),
        );
        let _ = writeln!(s, "fields over matched incidents labelled with them:");
        for (i, f) in FEEDS_FIELDS.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {f:<12}{:>4}/{:<4} {:.3}",
                self.correct[i],
                self.counted[i],
                ratio(self.correct[i], self.counted[i])
            );
        }
        let _ = writeln!(
            s,
            "incidents from distractors: {} of {} entries without incidents gave {} incidents",
            self.distractors_hit, self.distractors, self.distractor_incidents
        );
        for line in &self.unreadable {
            let _ = writeln!(s, "{line}");
        }
        s
    }
}

/// Scores the extractor on every entry of the JSON Lines file at `path`.
pub fn eval_feeds(path: &Path, gaz: &Gazetteer) -> Result<FeedsScore, EvalError> {
    let Entries {
        entries,
        unreadable,
    } = read_entries(path)?;
    let mut score = FeedsScore {
        unreadable,
        ..Default::default()
    };
    for e in &entries {
        score.entries += 1;
        let a = e.article();
        let published = e.published;
        let source = SourceRef {
            url: a.url.clone(),
            outlet: e.outlet.clone(),
            family: e.outlet.clone(),
            published: Some(published),
            lang: None,
        };
        let x = extract::extract(
            &a.title,
            &a.text,
            published,
            published,
            e.lang.as_deref(),
            source,
            gaz,
        );
        let got: Vec<Incident> = x.incidents.iter().map(|i| i.incident()).collect();
        score.extracted += got.len();
        if e.incidents.is_empty() {
            score.distractors += 1;
            if !got.is_empty() {
                score.distractors_hit += 1;
                score.distractor_incidents += got.len();
                for p in &got {
                    score.misses.push(format!(
                        "{}: incident from distractor: {} | {:?}",
                        e.id,
                        show(p),
                        a.title
                    ));
                }
            }
            continue;
        }
        score_entry(&mut score, e, &a.title, &got);
    }
    Ok(score)
}

/// "NG Maiduguri/Borno 2025-01-02 abduction Boko Haram deaths 3"
fn show(p: &Incident) -> String {
    format!(
        "{} {}/{} {} {} {} deaths {}",
        p.country,
        p.place.as_deref().unwrap_or("-"),
        p.admin1.as_deref().unwrap_or("-"),
        p.date,
        p.kind,
        p.perpetrator.as_deref().unwrap_or("-"),
        p.fatalities
            .and_then(|f| f.figure())
            .map(|n| n.to_string())
            .unwrap_or_else(|| "-".into())
    )
}

/// Whether the extracted place or admin1 is the labelled place or admin1 (folded); with neither
/// labelled, any place will do.
fn place_right(l: &Label, p: &Incident) -> bool {
    if l.place.is_none() && l.admin1.is_none() {
        return true;
    }
    let k = |s: &Option<String>| s.as_deref().map(key);
    let (place, admin1) = (k(&p.place), k(&p.admin1));
    let want: Vec<String> = [k(&l.place), k(&l.admin1)].into_iter().flatten().collect();
    let lp = k(&l.place);
    (lp.is_some() && place == lp)
        || admin1.as_ref().is_some_and(|a| want.contains(a))
        || (l.place.is_none() && place.as_ref().is_some_and(|p| want.contains(p)))
}

/// Whether an extracted kind is the labelled one: `massacre` counts as `civilian_attack`,
/// `other` (coups, mutinies, forces firing on protesters) as `political` or `unrest`.
pub fn kind_right(label: &str, got: Kind) -> bool {
    match label {
        "massacre" => got == Kind::CivilianAttack,
        "other" => matches!(got, Kind::Political | Kind::Unrest),
        l => got.as_str() == l,
    }
}

/// A labelled perpetrator in sitrep's canonical spelling (labels not known to sitrep are kept).
pub fn canonical_perpetrator(label: &str) -> String {
    if label.eq_ignore_ascii_case(actors::UNIDENTIFIED) {
        return actors::UNIDENTIFIED.to_string();
    }
    actors::by_name(label)
        .map(|a| a.name.to_string())
        .unwrap_or_else(|| label.to_string())
}

fn score_entry(score: &mut FeedsScore, e: &Entry, title: &str, got: &[Incident]) {
    let mut used = vec![false; got.len()];
    let mut pairs: Vec<(&Label, Option<usize>)> = Vec::new();
    // Strict pass first so a country-only match cannot take another label's incident.
    for l in &e.incidents {
        let hit = (0..got.len())
            .find(|k| !used[*k] && got[*k].country == l.country && place_right(l, &got[*k]));
        if let Some(k) = hit {
            used[k] = true;
            score.matched_strict += 1;
        }
        pairs.push((l, hit));
    }
    for (l, hit) in &mut pairs {
        if hit.is_none() {
            *hit = (0..got.len()).find(|k| !used[*k] && got[*k].country == l.country);
            if let Some(k) = *hit {
                used[k] = true;
                score.matched_loose += 1;
            }
        }
    }
    score.labelled += e.incidents.len();
    for (l, hit) in pairs {
        let Some(k) = hit else {
            let came: Vec<String> = got.iter().map(show).collect();
            score.misses.push(format!(
                "{}: missed {} {} {}/{} | {:?} | got [{}]",
                e.id,
                l.key,
                l.country,
                l.place.as_deref().unwrap_or("-"),
                l.admin1.as_deref().unwrap_or("-"),
                title,
                came.join("; ")
            ));
            continue;
        };
        score_fields(score, e, l, &got[k], title);
    }
    for (k, p) in got.iter().enumerate() {
        if !used[k] {
            score
                .misses
                .push(format!("{}: extra incident {} | {title:?}", e.id, show(p)));
        }
    }
}

fn score_fields(score: &mut FeedsScore, e: &Entry, l: &Label, p: &Incident, title: &str) {
    let labelled_place = l.place.is_some() || l.admin1.is_some();
    let fields: [Option<(bool, String)>; 6] = [
        Some((p.country == l.country, l.country.clone())),
        labelled_place.then(|| {
            (
                place_right(l, p),
                format!(
                    "{}/{}",
                    l.place.as_deref().unwrap_or("-"),
                    l.admin1.as_deref().unwrap_or("-")
                ),
            )
        }),
        l.date.map(|d| (p.date == d, d.to_string())),
        l.kind.as_ref().map(|k| (kind_right(k, p.kind), k.clone())),
        l.perpetrator.as_ref().map(|w| {
            let w = canonical_perpetrator(w);
            (p.perpetrator.as_deref() == Some(w.as_str()), w)
        }),
        l.deaths_total.map(|d| {
            let f = p.fatalities.unwrap_or_default();
            (f.best == Some(d) || f.low == Some(d), d.to_string())
        }),
    ];
    let mut missed = Vec::new();
    for (i, f) in fields.into_iter().enumerate() {
        let Some((ok, want)) = f else { continue };
        score.counted[i] += 1;
        if ok {
            score.correct[i] += 1;
        } else {
            missed.push(format!("{} want {want}", FEEDS_FIELDS[i]));
        }
    }
    if !missed.is_empty() {
        score.misses.push(format!(
            "{}: {} {} | got {} | {title:?}",
            e.id,
            l.key,
            missed.join(", "),
            show(p)
        ));
    }
}

/// The scores of one `eval feeds-dedup` run.
#[derive(Debug, Default, Clone)]
pub struct FeedsDedupScore {
    /// Entries replayed (not duplicates).
    pub entries: usize,
    /// Entries with at least one incident key.
    pub keyed: usize,
    pub pairs_expected: usize,
    pub pairs_predicted: usize,
    pub pairs_correct: usize,
    pub keys: usize,
    pub verification_correct: usize,
    pub toll_correct: usize,
    /// Entries without incidents merged into an incident a keyed entry joined.
    pub wrong_merges: usize,
    /// Lines of the file that could not be read (skipped), one message each.
    pub unreadable: Vec<String>,
    /// One line per key: labelled and final verification and toll.
    pub per_key: Vec<String>,
    pub misses: Vec<String>,
}

impl FeedsDedupScore {
    pub fn precision(&self) -> f64 {
        ratio(self.pairs_correct, self.pairs_predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.pairs_correct, self.pairs_expected)
    }
    /// The report `sitrep eval feeds-dedup` prints, with one line per key.
    pub fn report(&self) -> String {
        let mut s = format!(
            "entries {}  keyed {}\npairs      expected {}  predicted {}  correct {}\nprecision  {:.3}\nrecall     {:.3}\nF1         {:.3}\nkeys {}  final verification {}/{}  final toll {}/{}\nentries without incidents merged into keyed incidents: {}\n",
            self.entries,
            self.keyed,
            self.pairs_expected,
            self.pairs_predicted,
            self.pairs_correct,
            self.precision(),
            self.recall(),
            f1(self.precision(), self.recall()),
            self.keys,
            self.verification_correct,
            self.keys,
            self.toll_correct,
            self.keys,
            self.wrong_merges,
        );
        for line in &self.per_key {
            let _ = writeln!(s, "  {line}");
        }
        for line in &self.unreadable {
            let _ = writeln!(s, "{line}");
        }
        s
    }
}

/// What the labels say a key's incident should end as.
struct KeyTruth {
    entries: Vec<String>,
    outlets: BTreeSet<String>,
    official: bool,
    toll: Option<u32>,
}

impl KeyTruth {
    /// Any official entry: confirmed; else two or more outlets: corroborated; else reported.
    fn verification(&self) -> &'static str {
        if self.official {
            "confirmed"
        } else if self.outlets.len() >= 2 {
            "corroborated"
        } else {
            "reported"
        }
    }
}

/// Replays the entries (one feed per outlet, family = outlet, in published order) through the
/// pipeline and scores how keyed entries were grouped into stored incidents.
pub fn eval_feeds_dedup(path: &Path, gaz: &Gazetteer) -> Result<FeedsDedupScore, EvalError> {
    let Entries {
        entries,
        unreadable,
    } = read_entries(path)?;
    let as_of = entries
        .iter()
        .map(|e| e.published)
        .max()
        .expect("entries are not empty")
        + chrono::Duration::days(1);
    let (store, joined) = replay(
        entries.iter().map(Entry::article).collect(),
        as_of,
        gaz,
        path,
    )?;
    let mut keys: BTreeMap<String, KeyTruth> = BTreeMap::new();
    let mut keys_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for e in &entries {
        for l in &e.incidents {
            let t = keys.entry(l.key.clone()).or_insert(KeyTruth {
                entries: Vec::new(),
                outlets: BTreeSet::new(),
                official: false,
                toll: None,
            });
            if !t.entries.contains(&e.id) {
                t.entries.push(e.id.clone());
            }
            t.outlets.insert(e.outlet.clone());
            t.official |= l.official;
            t.toll = t.toll.max(l.deaths_total);
            keys_of.entry(&e.id).or_default().insert(&l.key);
        }
    }
    let mut score = FeedsDedupScore {
        entries: joined.len(),
        unreadable,
        ..Default::default()
    };
    score_pairs(&mut score, &entries, &joined, &keys_of);
    for (key, t) in &keys {
        score.keys += 1;
        score_key(&mut score, key, t, &joined, &store);
    }
    Ok(score)
}

fn score_pairs(
    score: &mut FeedsDedupScore,
    entries: &[Entry],
    joined: &HashMap<String, Vec<String>>,
    keys_of: &HashMap<&str, BTreeSet<&str>>,
) {
    let keyed: Vec<&str> = entries
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| keys_of.contains_key(id) && joined.contains_key(*id))
        .collect();
    score.keyed = keyed.len();
    let shares = |a: &str, b: &str| joined[a].iter().any(|i| joined[b].contains(i));
    for (i, a) in keyed.iter().enumerate() {
        for b in &keyed[i + 1..] {
            let want = !keys_of[a].is_disjoint(&keys_of[b]);
            let got = shares(a, b);
            score.pairs_expected += want as usize;
            score.pairs_predicted += got as usize;
            score.pairs_correct += (want && got) as usize;
            if want != got {
                score.misses.push(format!(
                    "{} {a} {:?} / {b} {:?}",
                    if got { "merged apart" } else { "split" },
                    keys_of[a],
                    keys_of[b]
                ));
            }
        }
    }
    let keyed_incidents: BTreeSet<&String> = keyed.iter().flat_map(|k| &joined[*k]).collect();
    for e in entries.iter().filter(|e| e.incidents.is_empty()) {
        let Some(ids) = joined.get(&e.id) else {
            continue;
        };
        if let Some(id) = ids.iter().find(|i| keyed_incidents.contains(i)) {
            score.wrong_merges += 1;
            score.misses.push(format!(
                "entry without incident {} merged into {id} | {:?}",
                e.id,
                html_to_text(&e.title)
            ));
        }
    }
}

fn score_key(
    score: &mut FeedsDedupScore,
    key: &str,
    t: &KeyTruth,
    joined: &HashMap<String, Vec<String>>,
    store: &crate::store::Store,
) {
    // The incident most of the key's entries joined (the first such on ties).
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for id in t.entries.iter().filter_map(|g| joined.get(g)).flatten() {
        *votes.entry(id.as_str()).or_default() += 1;
    }
    let top = votes.values().copied().max();
    let incident = votes
        .iter()
        .find(|(_, n)| Some(**n) == top)
        .and_then(|(id, _)| store.incident(id).ok().flatten())
        .map(|r| r.incident);
    let want_v = t.verification();
    let (got_v, got_toll, id) = match &incident {
        Some(i) => (
            i.verification.as_str(),
            i.fatalities.and_then(|f| f.figure()),
            i.id.as_str(),
        ),
        None => ("none", None, "no incident"),
    };
    let v_ok = got_v == want_v;
    let toll_ok = incident.is_some() && got_toll == t.toll;
    score.verification_correct += v_ok as usize;
    score.toll_correct += toll_ok as usize;
    score.per_key.push(format!(
        "{key:<40} entries {:>2} outlets {} official {:<5} verification want {want_v:<12} got {got_v:<12} {} toll want {:?} got {:?}{}  [{id}]",
        t.entries.len(),
        t.outlets.len(),
        t.official,
        if v_ok { " " } else { "x" },
        t.toll,
        got_toll,
        if toll_ok { " " } else { " x" },
    ));
}
