//! Whether two accounts describe one event, and which stored incident a new account joins
//! (DESIGN §4). Places form a hierarchy (town or site, district, region, country): a coarser
//! account joins an incident whose place lies inside it, two precise places more than
//! [`MATCH_RADIUS_KM`] apart never meet, and a coarse account that fits two incidents joins
//! neither. Kinds match within a family (the attack family is broad: a clash for one outlet is
//! an attack on the town or on its people for another) and dates match when the accounts' day
//! spans overlap, with a day of slack (three when either is only known to the week). A report of
//! an event's aftermath (a release, a search) meets the event up to [`FOLLOW_UP_DAYS`] before it
//! when their stories share [`STORY_TERMS`] telling words (a number of captives that fits the
//! event counts as one; one that exceeds an exact count rules the event out), never before it,
//! and the same words decide which of several incidents a coarse report tells.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{IncidentRecord, Report};
use crate::model::{DatePrecision, Incident, Kind};

/// Largest distance between two precise places of one incident.
pub const MATCH_RADIUS_KM: f64 = 25.0;

/// Largest distance between a precise place and a district-level place (a zone, or a district
/// the gazetteer cannot tie the town to) that contains it.
pub const DISTRICT_RADIUS_KM: f64 = 40.0;

/// Longest span, in days after its first day, that matching gives one incident ("three days of
/// fighting"); a longer stated span is cut to this so that candidates stay bounded.
pub const MAX_SPAN_DAYS: i64 = 5;

/// How far back a report of an event's aftermath (a release, a search, a funeral) may reach
/// for the event it follows.
pub const FOLLOW_UP_DAYS: i64 = 31;

/// Telling words two stories must share for an aftermath to recall an earlier event, or for a
/// coarse report to choose one incident among several.
pub const STORY_TERMS: usize = 2;

/// Most telling words an incident's key keeps from its reports.
const MAX_KEY_TERMS: usize = 64;

/// Days before its publication that the event of an account with no date of its own may be
/// of ("300 students abducted from a Catholic school", two days after the raid).
pub const UNDATED_DAYS: i64 = 2;

/// Slack in days around a span: one for day-precise dates, three when either is a week.
const WEEK_SLACK_DAYS: i64 = 3;

/// The fields matching looks at, kept in the (country, day) index so that candidates are
/// compared without reading their whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchKey {
    pub country: String,
    pub kind: Kind,
    pub date: NaiveDate,
    /// Last day of a multi-day event, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: u8,
    pub admin1: Option<String>,
    /// The place's canonical gazetteer name (absent in index entries written before 0.x).
    #[serde(default)]
    pub place: Option<String>,
    /// The district (admin2) holding the place, filled from the gazetteer at match time.
    #[serde(skip)]
    pub admin2: Option<String>,
    pub perpetrator: Option<String>,
    /// Telling words of the reports' stories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// Every report tells the aftermath of an earlier event.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up: bool,
    /// People taken: the largest figure of abducted the event's own reports give (for an
    /// aftermath, that it tells of: "100 abducted schoolchildren released"). An aftermath that
    /// tells of more captives than an event took is not that event's; one that tells of as many
    /// or fewer, ten or more, has a figure in common with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captives: Option<u32>,
    /// Every figure of [`MatchKey::captives`] is exact ("25 girls", not "over 300" or "dozens"):
    /// the event took no more.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub captives_exact: bool,
    /// No report gives a date: the event may be of the days before the first publication.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undated: bool,
    /// The accounts of reports coarser than the incident's place, so that a coarse report can
    /// leave an incident when a second incident it fits arrives (see [`choose`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coarse: Vec<MatchKey>,
}

impl MatchKey {
    pub fn of(i: &Incident) -> MatchKey {
        MatchKey {
            country: i.country.clone(),
            kind: i.kind,
            date: i.date,
            date_end: i.date_end,
            date_precision: i.date_precision,
            lat: i.lat,
            lon: i.lon,
            geo_precision: i.geo_precision,
            admin1: i.admin1.clone(),
            place: i.place.clone(),
            admin2: None,
            perpetrator: i.perpetrator.clone(),
            terms: Vec::new(),
            follow_up: false,
            captives: None,
            captives_exact: false,
            undated: false,
            coarse: Vec::new(),
        }
    }

    /// The key of one report of an incident in `country`.
    pub fn of_report(country: &str, r: &Report) -> MatchKey {
        MatchKey {
            country: country.to_string(),
            kind: r.kind,
            date: r.date,
            date_end: r.date_end,
            date_precision: r.date_precision,
            lat: r.lat,
            lon: r.lon,
            geo_precision: r.geo_precision,
            admin1: r.admin1.clone(),
            place: r.place.clone(),
            admin2: None,
            perpetrator: r.perpetrator.clone(),
            terms: r.story.terms.clone(),
            follow_up: r.story.follow_up,
            captives: None,
            captives_exact: false,
            undated: r.story.undated,
            coarse: Vec::new(),
        }
        .with_captives(std::slice::from_ref(r))
    }

    /// The index entry of a stored incident: its key, its reports' telling words, and the keys
    /// of its coarser reports.
    pub fn of_record(record: &IncidentRecord) -> MatchKey {
        let mut key = MatchKey::of(&record.incident);
        for term in record.reports.iter().flat_map(|r| &r.story.terms) {
            if key.terms.len() < MAX_KEY_TERMS && !key.terms.contains(term) {
                key.terms.push(term.clone());
            }
        }
        let all =
            |f: fn(&Report) -> bool| !record.reports.is_empty() && record.reports.iter().all(f);
        key.follow_up = all(|r| r.story.follow_up);
        key.undated = all(|r| r.story.undated);
        let level = key.level();
        key.coarse = record
            .reports
            .iter()
            .map(|r| MatchKey::of_report(&record.incident.country, r))
            .filter(|k| k.level() > level)
            .collect();
        key.with_captives(&record.reports)
    }

    /// The key with [`MatchKey::captives`] of these reports (the event's own reports, unless
    /// all tell an aftermath).
    fn with_captives(mut self, reports: &[Report]) -> MatchKey {
        let aftermath = reports.iter().all(|r| r.story.follow_up);
        let counted = reports
            .iter()
            .filter(|r| aftermath || !r.story.follow_up)
            .filter(|r| r.evidence.abducted.is_some());
        self.captives = counted.clone().filter_map(|r| r.evidence.abducted).max();
        self.captives_exact =
            self.captives.is_some() && counted.clone().all(|r| !r.evidence.abducted_floor);
        self
    }

    /// First and last day of the account (a date known to the week spans its week), the span
    /// cut to [`MAX_SPAN_DAYS`].
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        let last = self.date + Duration::days(MAX_SPAN_DAYS);
        let week = (self.date_precision == DatePrecision::Week).then_some(last);
        let end = self
            .date_end
            .or(week)
            .unwrap_or(self.date)
            .clamp(self.date, last);
        (self.date, end)
    }

    /// How coarse the place is: 1 town or site, 2 district or zone, 3 region, 4 country only.
    pub fn level(&self) -> u8 {
        let located = self.place.is_some() || self.lat.is_some();
        match self.geo_precision {
            1 | 2 if located => self.geo_precision,
            _ if self.admin1.is_some() => 3,
            _ => 4,
        }
    }

    /// The days of the index a match for this account can be dated on (weeks back for an
    /// aftermath: its event).
    pub fn scan_days(&self) -> (NaiveDate, NaiveDate) {
        let (start, end) = self.span();
        let back = if self.follow_up { FOLLOW_UP_DAYS } else { 0 };
        (
            start - Duration::days(WEEK_SLACK_DAYS + MAX_SPAN_DAYS + back),
            end + Duration::days(WEEK_SLACK_DAYS),
        )
    }

    /// The days after [`MatchKey::scan_days`] where an aftermath of this account's event that
    /// arrived before it may be stored (for an aftermath itself: a later aftermath of its event).
    pub fn aftermath_days(&self) -> (NaiveDate, NaiveDate) {
        let (_, end) = self.scan_days();
        (
            end + Duration::days(1),
            end + Duration::days(FOLLOW_UP_DAYS),
        )
    }
}

/// Whether an aftermath tells of more captives than the other account's event took ("100
/// abducted schoolchildren released" is not the aftermath of "25 girls abducted").
fn more_freed_than_taken(a: &MatchKey, b: &MatchKey) -> bool {
    let exceeds = |after: &MatchKey, event: &MatchKey| {
        after.follow_up
            && !event.follow_up
            && event.captives_exact
            && matches!((after.captives, event.captives), (Some(f), Some(t)) if f > t)
    };
    exceeds(a, b) || exceeds(b, a)
}

/// Whether an aftermath tells of ten or more captives and the other account's event took at
/// least as many: a figure the two stories share ("100 abducted schoolchildren released" after
/// "over 300 students abducted").
fn captives_fit(a: &MatchKey, b: &MatchKey) -> bool {
    let fits = |after: &MatchKey, event: &MatchKey| {
        after.follow_up
            && !event.follow_up
            && matches!((after.captives, event.captives), (Some(f), Some(t)) if f >= 10 && f <= t)
    };
    fits(a, b) || fits(b, a)
}

/// Great-circle distance in km.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

fn km(a: &MatchKey, b: &MatchKey) -> Option<f64> {
    match (a.lat, a.lon, b.lat, b.lon) {
        (Some(w), Some(x), Some(y), Some(z)) => Some(distance_km(w, x, y, z)),
        _ => None,
    }
}

/// Kinds that may describe the same event seen by different reporters. The attack family is
/// broad; bombs, air strikes and the rest are each their own event.
pub fn kind_family(kind: Kind) -> u8 {
    match kind {
        Kind::BaseOverrun
        | Kind::TownSeized
        | Kind::Clash
        | Kind::Ambush
        | Kind::AttackOnCity
        | Kind::TerritoryRetaken
        | Kind::CivilianAttack
        | Kind::Abduction => 0,
        Kind::Ied | Kind::Shelling | Kind::SuicideAttack => 1,
        Kind::Airstrike => 2,
        Kind::Blockade => 5,
        Kind::Unrest => 6,
        Kind::Political => 7,
    }
}

/// Within the attack family: fighting with armed forces (0) or violence against civilians (1).
fn attack_side(kind: Kind) -> u8 {
    match kind {
        Kind::CivilianAttack | Kind::Abduction => 1,
        _ => 0,
    }
}

/// Whether two kinds may name one event; `coarse_level` is the coarser account's place level.
/// Across the two sides of the attack family (an attack on the army vs on civilians) the coarser
/// account must at least name the region: a country and a day are too little for that.
pub fn kinds_compatible(a: Kind, b: Kind, coarse_level: u8) -> bool {
    if kind_family(a) != kind_family(b) {
        return false;
    }
    kind_family(a) != 0 || attack_side(a) == attack_side(b) || coarse_level <= 3
}

/// Whether two day spans overlap, with a day of slack (three when either is a week); with
/// `undated_reach`, an account with no date of its own reaches [`UNDATED_DAYS`] before its
/// publication.
fn dates_agree(a: &MatchKey, b: &MatchKey, undated_reach: bool) -> bool {
    let slack = if a.date_precision == DatePrecision::Day && b.date_precision == DatePrecision::Day
    {
        1
    } else {
        WEEK_SLACK_DAYS
    };
    let ((a0, a1), (b0, b1)) = (a.span(), b.span());
    let earliest = |k: &MatchKey, first: NaiveDate| {
        if k.undated && undated_reach {
            first - Duration::days(UNDATED_DAYS)
        } else {
            first
        }
    };
    let (a0, b0) = (earliest(a, a0), earliest(b, b0));
    b0 <= a1 + Duration::days(slack) && a0 <= b1 + Duration::days(slack)
}

/// How many telling words two stories share; a word counts when the other story has it or a word
/// it is part of ("girl" in "schoolgirl"; figures only whole), each side counted and the smaller
/// count kept.
pub fn shared_terms(a: &MatchKey, b: &MatchKey) -> usize {
    shared_words(&a.terms, &b.terms)
}

fn shared_words(a: &[String], b: &[String]) -> usize {
    let found = |x: &[String], y: &[String]| x.iter().filter(|t| has_word(y, t)).count();
    found(a, b).min(found(b, a))
}

/// Whether `words` has `t` or a word it is part of, or that is part of it.
fn has_word(words: &[String], t: &str) -> bool {
    let word = |w: &str| w.bytes().all(|c| c.is_ascii_alphabetic());
    words
        .iter()
        .any(|u| u == t || (word(t) && word(u) && (t.contains(u.as_str()) || u.contains(t))))
}

/// Whether two stories tell different events: both say enough and share no telling word (a
/// church service and a boarding school). Only a coarse account is held to this: precise places
/// speak louder than words.
fn stories_differ(a: &MatchKey, b: &MatchKey) -> bool {
    a.terms.len() >= STORY_TERMS && b.terms.len() >= STORY_TERMS && shared_terms(a, b) == 0
}

/// Whether two accounts may be of one day: their spans overlap; or one gives no date of its own
/// and the event lies in the days before it, with the places both precise or the stories
/// shared; or one tells the other's aftermath.
fn days_agree(a: &MatchKey, b: &MatchKey) -> bool {
    if tells_an_aftermath_before_its_event(a, b) || tells_an_aftermath_before_its_event(b, a) {
        return false;
    }
    if dates_agree(a, b, false) {
        return true;
    }
    let told_alike =
        a.level().max(b.level()) <= 2 || shared_terms(a, b) >= STORY_TERMS || same_deed(a, b);
    (told_alike && dates_agree(a, b, true)) || recalls(a, b)
}

/// Whether `after` tells an aftermath dated before the day `event` happened (parents pleading on
/// the 9th are not of a raid of the 10th).
fn tells_an_aftermath_before_its_event(after: &MatchKey, event: &MatchKey) -> bool {
    after.follow_up && !event.follow_up && after.span().1 < event.date
}

/// Whether two accounts give the same named perpetrator doing the same kind of thing
/// (commentary on "the US strikes" shares no word with the strike's own report).
/// So do two accounts of a political upheaval in one country: a coup has many names ("took
/// power", "total control", "rebel soldiers") and no perpetrator the extractor names.
fn same_deed(a: &MatchKey, b: &MatchKey) -> bool {
    let named = a.perpetrator.is_some()
        && a.perpetrator == b.perpetrator
        && a.perpetrator.as_deref() != Some("unidentified armed group");
    a.kind == b.kind && (named || a.kind == Kind::Political)
}

/// Whether one account tells the aftermath of the other's event: it is a follow-up, dated on or
/// after the event's first day and at most [`FOLLOW_UP_DAYS`] later, and the two stories share
/// [`STORY_TERMS`] telling words (one, for the same kind in the same region), a number of captives
/// that fits counting as one.
fn recalls(a: &MatchKey, b: &MatchKey) -> bool {
    let after = |later: &MatchKey, event: &MatchKey| {
        let days = (later.date - event.date).num_days();
        later.follow_up && (0..=FOLLOW_UP_DAYS).contains(&days)
    };
    // In one region, one telling word will do for the same kind of event ("schoolgirls
    // released" after "25 girls abducted" in Kebbi).
    // The region's own name is not that word.
    let same_region = a.kind == b.kind && a.admin1.is_some() && same_name(&a.admin1, &b.admin1);
    let shared = if same_region {
        let region = crate::text::key(a.admin1.as_deref().unwrap_or_default());
        let besides = |k: &MatchKey| -> Vec<String> {
            k.terms.iter().filter(|t| **t != region).cloned().collect()
        };
        shared_words(&besides(a), &besides(b)) + 1
    } else {
        shared_terms(a, b)
    } + usize::from(captives_fit(a, b));
    (after(a, b) || after(b, a)) && shared >= STORY_TERMS
}

fn same_name(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => crate::text::fold(a) == crate::text::fold(b),
        _ => false,
    }
}

/// Whether the coarser place contains the finer one (or, at one level, they are one place).
fn places_agree(a: &MatchKey, b: &MatchKey) -> bool {
    let (fine, coarse) = if a.level() <= b.level() {
        (a, b)
    } else {
        (b, a)
    };
    match coarse.level() {
        4 => true,
        3 => same_name(&fine.admin1, &coarse.admin1),
        2 => {
            if same_name(&fine.place, &coarse.place) {
                return true;
            }
            if fine.admin2.is_some() && coarse.admin2.is_some() {
                return same_name(&fine.admin2, &coarse.admin2);
            }
            let same_region = fine.admin1.is_none()
                || coarse.admin1.is_none()
                || same_name(&fine.admin1, &coarse.admin1);
            same_region && km(fine, coarse).is_some_and(|d| d <= DISTRICT_RADIUS_KM)
        }
        _ => match km(fine, coarse) {
            Some(d) => d <= MATCH_RADIUS_KM,
            None => same_name(&fine.place, &coarse.place),
        },
    }
}

/// Whether a new account and a stored incident describe the same event: same country;
/// overlapping day spans (or one telling the other's aftermath); compatible kinds; no conflicting
/// perpetrator; no aftermath of more captives than the event took; places within 25 km, or the
/// coarser place containing the finer one.
pub fn matches(incident: &MatchKey, new: &MatchKey) -> bool {
    if !may_match(incident, new) {
        return false;
    }
    if let (Some(a), Some(b)) = (&incident.perpetrator, &new.perpetrator) {
        let vague = |p: &str| p == "unidentified armed group";
        if a != b && !vague(a) && !vague(b) {
            return false;
        }
    }
    if more_freed_than_taken(incident, new) {
        return false;
    }
    // Which event an aftermath placed no closer than a region follows, only its story tells.
    let one_aftermath = incident.follow_up != new.follow_up;
    if one_aftermath
        && incident.level().max(new.level()) >= 3
        && shared_terms(incident, new) == 0
        && !captives_fit(incident, new)
        && !same_deed(incident, new)
    {
        return false;
    }
    // A coarse account whose story shares nothing with the incident's tells another event,
    // unless it is the same deed.
    if incident.level().max(new.level()) >= 3
        && !same_deed(incident, new)
        && stories_differ(incident, new)
    {
        return false;
    }
    places_agree(incident, new)
}

/// The cheap half of [`matches`], before any place is looked at: same country, days that may
/// agree, compatible kinds.
pub fn may_match(incident: &MatchKey, new: &MatchKey) -> bool {
    incident.country == new.country
        && days_agree(incident, new)
        && kinds_compatible(incident.kind, new.kind, incident.level().max(new.level()))
}

/// A necessary condition of [`may_match`] on what an index entry's outline holds (its kind, days
/// and flags, not its texts): kinds of one family, and days that agree with the most reach or
/// one account telling an aftermath. Most of a report's candidates fail it, unread.
pub fn may_match_outline(outline: &MatchKey, new: &MatchKey) -> bool {
    kind_family(outline.kind) == kind_family(new.kind)
        && (outline.follow_up || new.follow_up || dates_agree(outline, new, true))
}

/// What a new account does with the stored incidents it was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// No incident matches: the account is a new incident.
    New,
    /// The account joins this incident.
    Join(String),
    /// A coarse account fits more than one incident: it joins neither and stays quiet.
    Ambiguous,
}

/// Picks the incident a new account joins among the candidates of its days. A precise account
/// joins the most precise, nearest, closest-dated match; a coarse one joins only when exactly
/// one incident fits it, or when its story clearly tells one of them.
pub fn choose(candidates: &[(String, MatchKey)], new: &MatchKey) -> Choice {
    let matched: Vec<&(String, MatchKey)> =
        candidates.iter().filter(|(_, k)| matches(k, new)).collect();
    if matched.is_empty() {
        return Choice::New;
    }
    if new.level() > 1 && matched.len() > 1 {
        return told_by_story(&matched, new).map_or(Choice::Ambiguous, Choice::Join);
    }
    let rank = |k: &MatchKey| {
        let metres = km(k, new).map_or(u64::MAX, |d| (d * 1000.0) as u64);
        (k.level(), metres, (k.date - new.date).num_days().abs())
    };
    matched
        .into_iter()
        .min_by_key(|(id, k)| (rank(k), id.clone()))
        .map_or(Choice::New, |(id, _)| Choice::Join(id.clone()))
}

/// The one incident among several whose story a coarse account clearly tells: counting only
/// the words no other candidate has (the state all of them lie in tells nothing), it shares
/// [`STORY_TERMS`] telling words with it (one, for an aftermath placed in a region) and more than
/// with any other.
fn told_by_story(matched: &[&(String, MatchKey)], new: &MatchKey) -> Option<String> {
    let own_words = |i: usize| -> Vec<String> {
        let others: Vec<&String> = matched
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, (_, k))| &k.terms)
            .collect();
        let others: Vec<String> = others.into_iter().cloned().collect();
        matched[i]
            .1
            .terms
            .iter()
            .filter(|t| !has_word(&others, t))
            .cloned()
            .collect()
    };
    let mut scored: Vec<(usize, &String)> = (0..matched.len())
        .map(|i| (shared_words(&own_words(i), &new.terms), &matched[i].0))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let (best, id) = scored[0];
    let second = scored.get(1).map_or(0, |s| s.0);
    // An aftermath placed in a region (all candidates lie in it) names the event with one word.
    let needed = if new.follow_up && new.admin1.is_some() {
        1
    } else {
        STORY_TERMS
    };
    (best >= needed && best > second).then(|| id.clone())
}
