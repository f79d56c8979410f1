//! Scoring the extractor on UCDP GED event rows (`sitrep eval ucdp`): each row's news headline is
//! extracted as an article with only that title, published on the row's `source_date`, and the
//! best incident is compared with what UCDP coded (country, state, place, date, deaths, the
//! jihadist side as perpetrator).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use regex::Regex;

use super::csv::{Record, Table};
use super::{EvalError, ratio};
use crate::extract::{self, Gazetteer};
use crate::incident::distance_km;
use crate::model::{Incident, SourceRef};
use crate::text::key;

/// Fields scored per row, in report order.
pub const UCDP_FIELDS: [&str; 7] = [
    "found",
    "country",
    "state",
    "place",
    "date",
    "deaths",
    "perpetrator",
];

/// How far (km) an incident may be from UCDP's point and still count as the right place or state.
pub const NEAR_KM: f64 = 50.0;

/// The columns a UCDP GED file must have.
const COLUMNS: [&str; 14] = [
    "id",
    "side_a",
    "side_b",
    "source_date",
    "source_headline",
    "where_prec",
    "adm_1",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
];

/// The scores of one `eval ucdp` run.
#[derive(Debug, Default, Clone)]
pub struct UcdpScore {
    /// Rows read.
    pub rows: usize,
    /// Rows without a headline naming violence (or only report titles and ids).
    pub skipped_headline: usize,
    /// Rows whose report came over a year after the event (retrospective reports).
    pub skipped_old: usize,
    /// Rows with unreadable dates or numbers.
    pub skipped_bad: usize,
    /// Rows scored.
    pub scored: usize,
    /// Rows each field was scored on, by [`UCDP_FIELDS`].
    pub counted: [usize; 7],
    /// Rows each field was right on.
    pub correct: [usize; 7],
    /// One line per row with a miss (or an unreadable row), for `--verbose`.
    pub misses: Vec<String>,
}

impl UcdpScore {
    /// The share of scored rows where `field` was right.
    pub fn accuracy(&self, field: &str) -> f64 {
        let i = field_index(field);
        ratio(self.correct[i], self.counted[i])
    }

    /// The report `sitrep eval ucdp` prints.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "rows {}  scored {}  skipped: no violent headline {}, report over a year late {}, unreadable {}",
            self.rows, self.scored, self.skipped_headline, self.skipped_old, self.skipped_bad
        );
        for (i, f) in UCDP_FIELDS.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {f:<12}{:>5}/{:<5} {:.3}",
                self.correct[i],
                self.counted[i],
                ratio(self.correct[i], self.counted[i])
            );
        }
        s
    }
}

fn field_index(field: &str) -> usize {
    UCDP_FIELDS
        .iter()
        .position(|f| *f == field)
        .expect("a scored field")
}

/// What UCDP coded for one row, as far as a headline can tell.
#[derive(Debug, Clone)]
struct Truth {
    state: String,
    lat: Option<f64>,
    lon: Option<f64>,
    /// `where_prec` 1 or 2: UCDP's point is the place itself.
    exact_place: bool,
    start: NaiveDate,
    end: NaiveDate,
    best: u32,
    low: u32,
    high: u32,
    perpetrator: Option<&'static str>,
}

/// Scores every usable row of the UCDP GED CSV at `path` (the first `limit` usable rows when
/// given).
pub fn eval_ucdp(
    path: &Path,
    limit: Option<usize>,
    gaz: &Gazetteer,
) -> Result<UcdpScore, EvalError> {
    let err = |message: String| EvalError::File {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let table = Table::parse(&text);
    if let Some(missing) = COLUMNS.iter().find(|c| !table.has_column(c)) {
        return Err(err(format!("no {missing:?} column: not a UCDP GED file")));
    }
    let mut score = UcdpScore::default();
    for row in table.records() {
        if limit.is_some_and(|n| score.scored >= n) {
            break;
        }
        score.rows += 1;
        let id = row.get("id").to_string();
        let truth = match truth(&row) {
            Ok(t) => t,
            Err(m) => {
                score.skipped_bad += 1;
                score
                    .misses
                    .push(format!("{id}: line {}: unreadable row: {m}", row.line));
                continue;
            }
        };
        let Some((headline, published)) = pick_headline(&row) else {
            score.skipped_headline += 1;
            continue;
        };
        // A retrospective report (a rights group's review of years past) is not news.
        if published > truth.end + Duration::days(365) {
            score.skipped_old += 1;
            continue;
        }
        score.scored += 1;
        score_row(&mut score, &id, &headline, published, &truth, gaz);
    }
    Ok(score)
}

fn truth(row: &Record<'_>) -> Result<Truth, String> {
    let day = |col: &str| {
        let v = row.get(col);
        NaiveDate::parse_from_str(v.get(..10).unwrap_or(v), "%Y-%m-%d")
            .map_err(|_| format!("{col} {v:?} is not a date"))
    };
    let num = |col: &str| {
        let v = row.get(col).trim();
        v.parse::<u32>()
            .map_err(|_| format!("{col} {v:?} is not a count"))
    };
    let coord = |col: &str| row.get(col).trim().parse::<f64>().ok();
    let state = row.get("adm_1").trim();
    let state = state
        .strip_suffix(" state")
        .or_else(|| state.strip_suffix(" State"))
        .unwrap_or(state);
    let perpetrator = jihadist(row.get("side_a")).or_else(|| jihadist(row.get("side_b")));
    Ok(Truth {
        state: state.to_string(),
        lat: coord("latitude"),
        lon: coord("longitude"),
        exact_place: matches!(row.get("where_prec").trim(), "1" | "2"),
        start: day("date_start")?,
        end: day("date_end")?,
        best: num("best")?,
        low: num("low")?,
        high: num("high")?,
        perpetrator,
    })
}

/// The canonical sitrep name of a UCDP side when it is Boko Haram (JAS) or the Islamic State
/// (ISWAP in Nigeria); other sides are not scored.
fn jihadist(side: &str) -> Option<&'static str> {
    match side.trim() {
        "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad" => Some("Boko Haram"),
        "IS" => Some("ISWAP"),
        _ => None,
    }
}

fn violent_word() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(kill\w*|attack\w*|bomb\w*|gunm[ae]n|clash\w*|raid\w*|massacre\w*|abduct\w*|kidnap\w*|dead|deaths?|die[ds]?|dying|blasts?|shoot\w*|shot|gunshots?|strikes?|airstrikes?|ambush\w*|explosions?|explosives?|slaughter\w*|murder\w*|behead\w*|suicide)\b",
        )
        .expect("valid regex")
    })
}

/// A report title or id rather than news ("IBD014649", "Situation North East ...").
fn report_title(headline: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*([A-Z]{2,}\d{3,}|(situation|appendix|annex|report|updated timeline)\b)|\(p{1,2}\.")
            .expect("valid regex")
    })
    .is_match(headline)
}

/// Whether a headline can be scored: it names violence and is not a report title or id.
pub fn usable_headline(headline: &str) -> bool {
    !report_title(headline) && violent_word().is_match(headline)
}

/// A headline with its whitespace folded and without the "Title " that some GED rows put before
/// it (the coder's label, not the outlet's words).
fn clean_headline(h: &str) -> String {
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    match h.strip_prefix("Title ") {
        Some(rest) => rest.to_string(),
        None => h,
    }
}

/// The first usable headline of the row (`;`-joined) with its own `source_date` (the first date
/// when the row gives fewer dates than headlines).
fn pick_headline(row: &Record<'_>) -> Option<(String, NaiveDate)> {
    let dates: Vec<NaiveDate> = row
        .get("source_date")
        .split(';')
        .filter_map(|d| NaiveDate::parse_from_str(d.trim().get(..10)?, "%Y-%m-%d").ok())
        .collect();
    row.get("source_headline")
        .split(';')
        .enumerate()
        .map(|(i, h)| (i, clean_headline(h)))
        .find(|(_, h)| usable_headline(h))
        .and_then(|(i, h)| Some((h, dates.get(i).or(dates.first()).copied()?)))
}

/// The answer of each field for one incident (`None`: the field is not scored on this row).
fn judge(p: &Incident, t: &Truth) -> [Option<bool>; 7] {
    let near = match (p.lat, p.lon, t.lat, t.lon) {
        (Some(a), Some(b), Some(c), Some(d)) => distance_km(a, b, c, d) <= NEAR_KM,
        _ => false,
    };
    let state = p.admin1.as_deref().is_some_and(|a| key(a) == key(&t.state)) || near;
    let figure = p.fatalities.and_then(|f| f.figure());
    let deaths = match figure {
        Some(n) => (t.low..=t.high).contains(&n),
        None => t.best <= 1,
    };
    [
        Some(true),
        Some(p.country == "NG"),
        Some(state),
        t.exact_place.then_some(near),
        Some(p.date >= t.start - Duration::days(1) && p.date <= t.end + Duration::days(1)),
        Some(deaths),
        t.perpetrator
            .map(|want| p.perpetrator.as_deref() == Some(want)),
    ]
}

fn score_row(
    score: &mut UcdpScore,
    id: &str,
    headline: &str,
    published: NaiveDate,
    t: &Truth,
    gaz: &Gazetteer,
) {
    let at = Utc.from_utc_datetime(&published.and_hms_opt(23, 59, 59).expect("valid time"));
    let source = SourceRef {
        url: String::new(),
        outlet: "ucdp".into(),
        family: "ucdp".into(),
        published: Some(at),
        lang: None,
    };
    let x = extract::extract(headline, "", at, at, Some("en"), source, gaz);
    let incidents: Vec<Incident> = x.incidents.iter().map(|e| e.incident()).collect();
    // The incident with the most right fields (the first on ties).
    let best = incidents
        .iter()
        .map(|p| (p, judge(p, t)))
        .rev()
        .max_by_key(|(_, j)| j.iter().filter(|v| **v == Some(true)).count());
    let answers = match &best {
        Some((_, j)) => *j,
        None => [
            Some(false),
            Some(false),
            Some(false),
            t.exact_place.then_some(false),
            Some(false),
            Some(false),
            t.perpetrator.map(|_| false),
        ],
    };
    let mut missed = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let Some(ok) = a else { continue };
        score.counted[i] += 1;
        if *ok {
            score.correct[i] += 1;
        } else {
            missed.push(UCDP_FIELDS[i]);
        }
    }
    if missed.is_empty() {
        return;
    }
    let detail = match &best {
        None => format!("want {} {}..{} deaths {}", t.state, t.start, t.end, t.best),
        Some((p, _)) => missed
            .iter()
            .filter_map(|f| describe(f, p, t))
            .collect::<Vec<_>>()
            .join("; "),
    };
    score.misses.push(format!(
        "{id} [{}] {headline:?} | {detail}",
        missed.join(",")
    ));
}

/// "want ... got ..." for one missed field of an extracted incident.
fn describe(field: &str, p: &Incident, t: &Truth) -> Option<String> {
    let place = || {
        format!(
            "{}/{}",
            p.place.as_deref().unwrap_or("-"),
            p.admin1.as_deref().unwrap_or("-")
        )
    };
    Some(match field {
        "country" => format!("country want NG got {}", p.country),
        "state" => format!("state want {} got {}", t.state, place()),
        "place" => format!(
            "place want ({:.2},{:.2}) got {} ({})",
            t.lat.unwrap_or(0.0),
            t.lon.unwrap_or(0.0),
            place(),
            match (p.lat, p.lon) {
                (Some(a), Some(b)) => format!("{a:.2},{b:.2}"),
                _ => "no point".into(),
            }
        ),
        "date" => format!("date want {}..{} got {}", t.start, t.end, p.date),
        "deaths" => format!(
            "deaths want {}..{} (best {}) got {:?}",
            t.low,
            t.high,
            t.best,
            p.fatalities.and_then(|f| f.figure())
        ),
        "perpetrator" => format!(
            "perpetrator want {} got {:?}",
            t.perpetrator?, p.perpetrator
        ),
        _ => return None,
    })
}
