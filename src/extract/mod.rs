//! From one article to incidents and aggregates: pure functions, no I/O.
//!
//! The article is cut into sentences (the title first). Each sentence is read for places
//! ([`gazetteer`]), actors ([`actors`]), event cues and evidence ([`lexicon`]), tolls
//! ([`numbers`]) and dates ([`when`]). Sentences that are totals, history or forecasts feed
//! `aggregates` or nothing. Event sentences are grouped into incidents by the place each event cue
//! points at ("an attack on Timbuktu"); sentences without a place join the incident they refer to
//! ("the Sunday attack", "the camp") or the one being told. Each group is then graded.

pub mod actors;
pub mod gazetteer;
pub mod lang;
pub mod lexicon;
pub mod normalize;
pub mod numbers;
pub mod when;

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

pub use gazetteer::Gazetteer;
use gazetteer::{PlaceId, PlaceKind};

use crate::incident::{Evidence, IncidentRecord, Report};
use crate::model::{
    Aggregate, Article, DatePrecision, Fatalities, Incident, Kind, SourceRef, TargetClass,
};
use actors::{ActorMention, Hint, Side, UNIDENTIFIED};
use lexicon::{Cue, NotEvent};
use numbers::{Counted, Figure};
use when::DateMention;

/// An incident found in one article, with the report that stands behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub country: String,
    pub report: Report,
}

impl Extracted {
    /// The incident as this article alone tells it (what `sitrep extract` prints).
    pub fn incident(&self) -> Incident {
        let mut record = IncidentRecord::from_report(&self.country, self.report.clone());
        record.incident.id = crate::incident::base_id(&record.incident);
        record.incident
    }
}

/// Everything one article yields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    pub incidents: Vec<Extracted>,
    pub aggregates: Vec<Aggregate>,
    /// `en` or `fr`.
    pub lang: String,
}

/// Extracts from a stored article. `published` is the article's time (or when it was seen),
/// `now` the pipeline's current time.
pub fn extract_article(
    article: &Article,
    published: DateTime<Utc>,
    now: DateTime<Utc>,
    gaz: &Gazetteer,
) -> Extraction {
    let outlet = if article.family.is_empty() {
        article.source.clone()
    } else {
        article.family.clone()
    };
    let source = SourceRef {
        url: article.url.clone(),
        outlet: article.source.clone(),
        family: outlet,
        published: article.published,
        lang: None,
    };
    extract(
        &article.title,
        &article.text,
        published,
        now,
        article.lang.as_deref(),
        source,
        gaz,
    )
}

/// Extracts incidents and aggregates from a title and body.
pub fn extract(
    title: &str,
    body: &str,
    published: DateTime<Utc>,
    seen: DateTime<Utc>,
    lang_hint: Option<&str>,
    mut source: SourceRef,
    gaz: &Gazetteer,
) -> Extraction {
    let lang = match lang_hint {
        Some(l) if l.starts_with("fr") => "fr".to_string(),
        Some(l) if l.starts_with("en") => "en".to_string(),
        _ => lang::detect(&format!("{title}\n{body}")).to_string(),
    };
    source.lang = Some(lang.clone());

    let mut sentences: Vec<String> = Vec::new();
    let title = title.trim();
    let body = body.trim();
    // Files given to `extract` often repeat the title as their first line.
    let body = body
        .strip_prefix(title)
        .map(str::trim_start)
        .filter(|_| !title.is_empty())
        .unwrap_or(body);
    if !title.is_empty() {
        sentences.push(title.to_string());
    }
    sentences.extend(split_sentences(body));

    // Sahel countries are UTC+0 or UTC+1: a day is read in UTC+1 at the latest.
    let pub_day =
        (published.with_timezone(&FixedOffset::east_opt(0).expect("offset"))).date_naive();
    let mut read: Vec<Sentence> = sentences
        .iter()
        .map(|s| Sentence::read(s, pub_day, gaz))
        .collect();
    resolve_places(&mut read, gaz);

    let countries = article_countries(&read, gaz);
    let wire = article_wire(&read);
    let family = wire.clone().unwrap_or_else(|| source.family.clone());

    let mut segmenter = Segmenter::default();
    let mut aggregates = Vec::new();
    for (i, s) in read.iter().enumerate() {
        match s.not_event {
            Some(NotEvent::Aggregate) => {
                if let Some(a) = aggregate(s, gaz) {
                    aggregates.push(a);
                }
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        segmenter.sentence(i, s, gaz, &countries);
    }

    let mut incidents = Vec::new();
    let article_place = read
        .iter()
        .filter(|s| s.not_event.is_none())
        .find_map(|s| s.places.first().map(|(_, p)| *p));
    for cand in segmenter.finish(gaz, &countries, article_place) {
        if let Some(found) = build(
            &cand,
            &read,
            gaz,
            &countries,
            pub_day,
            &source,
            &family,
            wire.clone(),
            seen,
        ) {
            incidents.push(found);
        }
    }
    Extraction {
        incidents,
        aggregates,
        lang,
    }
}

/// One sentence, read once.
struct Sentence {
    text: String,
    folded: String,
    /// Place names found, with every place of that name.
    mentions: Vec<(usize, Vec<PlaceId>)>,
    /// The place each mention was resolved to (see [`resolve_places`]).
    places: Vec<(usize, PlaceId)>,
    countries: Vec<String>,
    actors: Vec<ActorMention>,
    cues: Vec<lexicon::KindCue>,
    figures: Vec<Figure>,
    dates: Vec<DateMention>,
    evidence: lexicon::SentenceEvidence,
    context: lexicon::Context,
    not_event: Option<NotEvent>,
}

/// Region names that are also ordinary geographic words: they name a region only with "region",
/// "région", "province" or "state" next to them.
const GENERIC_REGIONS: &[&str] = &[
    "sahel",
    "nord",
    "est",
    "centre",
    "centrenord",
    "centreest",
    "centreouest",
    "centresud",
    "sudouest",
    "cascades",
    "littoral",
    "ouest",
    "savanes",
    "plateau",
    "lac",
    "north",
    "east",
    "west",
    "south",
    "northeast",
    "northwest",
    "centre nord",
    "hautsbassins",
    "plateaucentral",
    "nordouest",
    "sud",
];

impl Sentence {
    fn read(text: &str, pub_day: NaiveDate, gaz: &Gazetteer) -> Sentence {
        let folded = normalize::fold(text);
        let actors = actors::find(text);
        let mut mentions = Vec::new();
        let mut countries = Vec::new();
        for m in gaz.find(text) {
            // A place inside an actor's name ("Katiba Macina", "Islamic State Sahel Province").
            if actors.iter().any(|a| a.start <= m.start && m.end <= a.end) {
                continue;
            }
            let id = m.candidates[0];
            let place = gaz.place(id);
            let after = folded_after(text, m.end);
            let before = folded_before(text, m.start);
            if place.kind == PlaceKind::Country {
                // "the Niger river", "le fleuve Niger" are not the country.
                if normalize::key(&place.name) == "niger"
                    && (after.starts_with("river")
                        || after.starts_with("state")
                        || before.ends_with("fleuve")
                        || before.ends_with("river")
                        || before.ends_with("boucle du"))
                {
                    continue;
                }
                countries.push(place.country.clone());
                continue;
            }
            if place.kind == PlaceKind::Admin1
                && GENERIC_REGIONS.contains(&normalize::key(&place.name).as_str())
            {
                let named = before.ends_with("region du")
                    || before.ends_with("region de l")
                    || before.ends_with("region de")
                    || after.starts_with("region")
                    || after.starts_with("province")
                    || after.starts_with("state");
                if !named {
                    continue;
                }
            }
            mentions.push((m.start, m.candidates.clone()));
        }
        countries.extend(adjective_countries(&folded));
        let figures = numbers::figures(&folded);
        let dates = when::dates(&folded, pub_day);
        let mut not_event = lexicon::not_event(&folded);
        let has_recent_date = dates.iter().any(|d| (pub_day - d.date).num_days() <= 31);
        let past_year = past_year(&folded, pub_day);
        if not_event == Some(NotEvent::Aggregate) {
            // A period phrase makes a total only with a figure or "attacks" in the plural.
            let total = figures.iter().any(|f| f.counted == Counted::Deaths)
                || folded.contains("attacks")
                || folded.contains("attaques");
            if !total {
                not_event = if has_recent_date {
                    None
                } else {
                    lexicon::not_event(&folded.replace("this year", ""))
                        .filter(|n| *n != NotEvent::Aggregate)
                };
            }
        }
        if not_event.is_none() && past_year && !has_recent_date {
            not_event = Some(NotEvent::History);
        }
        if not_event == Some(NotEvent::History) && has_recent_date && !past_year {
            not_event = None;
        }
        Sentence {
            cues: lexicon::kind_cues(&folded),
            evidence: lexicon::evidence(&folded),
            context: lexicon::context(&folded),
            text: text.to_string(),
            folded,
            mentions,
            places: Vec::new(),
            countries,
            actors,
            figures,
            dates,
            not_event,
        }
    }

    fn is_event(&self) -> bool {
        !self.cues.is_empty() || self.figures.iter().any(|f| f.counted == Counted::Deaths)
    }
}

/// Picks, for each place name, the place in the country the article is about: countries named
/// or implied by an adjective weigh most, then places whose name is unambiguous.
fn resolve_places(read: &mut [Sentence], gaz: &Gazetteer) {
    let mut weight: std::collections::HashMap<String, usize> = Default::default();
    for s in read.iter() {
        for c in &s.countries {
            *weight.entry(c.clone()).or_default() += 3;
        }
        for (_, cands) in &s.mentions {
            let first = gaz.place(cands[0]);
            if cands.iter().all(|c| gaz.place(*c).country == first.country) {
                *weight.entry(first.country.clone()).or_default() += 2;
            }
        }
    }
    for s in read.iter_mut() {
        let mut places: Vec<(usize, PlaceId)> = s
            .mentions
            .iter()
            .map(|(at, cands)| {
                let best = cands
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, c)| {
                        (
                            weight.get(&gaz.place(**c).country).copied().unwrap_or(0),
                            std::cmp::Reverse(*i),
                        )
                    })
                    .map(|(_, c)| *c)
                    .expect("a mention has candidates");
                (*at, best)
            })
            .collect();
        // "Shiroro, Niger State": the state only says where Shiroro is.
        let all = places.clone();
        places.retain(|(_, id)| {
            !all.iter()
                .any(|(_, other)| other != id && contains(gaz.place(*id), gaz.place(*other)))
        });
        s.places = places;
    }
}

fn folded_after(text: &str, end: usize) -> String {
    normalize::fold(
        text[end..]
            .trim_start_matches([' ', '\'', '’', '-'])
            .get(..text.len().saturating_sub(end).min(12))
            .unwrap_or(""),
    )
}

fn folded_before(text: &str, start: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(14)
        .map(|(i, _)| i)
        .unwrap_or(0);
    normalize::fold(&text[from..start])
        .trim_end_matches([' ', '\'', '-'])
        .to_string()
}

/// A year before the publication year mentioned as a date ("in 2012", "en 2019").
fn past_year(folded: &str, pub_day: NaiveDate) -> bool {
    use chrono::Datelike;
    let toks = numbers::tokens(folded);
    toks.windows(2).any(|w| {
        matches!(w[0].text, "in" | "en" | "since" | "depuis" | "of" | "de")
            && w[1].text.len() == 4
            && w[1]
                .text
                .parse::<i32>()
                .is_ok_and(|y| (1950..pub_day.year()).contains(&y))
    })
}

fn adjective_countries(folded: &str) -> Vec<String> {
    const ADJ: &[(&str, &str)] = &[
        ("malian", "ML"),
        ("malien", "ML"),
        ("burkinabe", "BF"),
        ("burkinabe", "BF"),
        ("nigerien", "NE"),
        ("nigerian", "NG"),
        ("nigeriane", "NG"),
        ("nigerians", "NG"),
        ("chadian", "TD"),
        ("tchadien", "TD"),
        ("beninese", "BJ"),
        ("beninois", "BJ"),
        ("togolese", "TG"),
        ("togolais", "TG"),
        ("ivorian", "CI"),
        ("ivoirien", "CI"),
        ("ghanaian", "GH"),
        ("ghaneen", "GH"),
        ("mauritanian", "MR"),
        ("mauritanien", "MR"),
    ];
    let toks = numbers::tokens(folded);
    let mut out = Vec::new();
    for t in toks {
        let w = numbers::bare(t.text);
        for (adj, cc) in ADJ {
            if w == *adj || (w.starts_with(adj) && w.len() <= adj.len() + 3) {
                out.push(cc.to_string());
            }
        }
    }
    out
}

/// Countries the article is about, most mentioned first (places count, and countries named).
fn article_countries(read: &[Sentence], gaz: &Gazetteer) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for s in read
        .iter()
        .filter(|s| s.not_event != Some(NotEvent::Aggregate))
    {
        for c in &s.countries {
            *counts.entry(c.clone()).or_default() += 1;
        }
        for (_, id) in &s.places {
            *counts.entry(gaz.place(*id).country.clone()).or_default() += 2;
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(c, _)| c).collect()
}

fn article_wire(read: &[Sentence]) -> Option<String> {
    let n = read.len();
    read.iter()
        .enumerate()
        .filter(|(i, s)| {
            s.not_event != Some(NotEvent::Aggregate) && (*i <= 2 || *i + 1 >= n || s.is_event())
        })
        .find_map(|(_, s)| lexicon::wire(&s.folded))
}

/// Splits text into sentences at `.`, `!`, `?` and line breaks, not after abbreviations,
/// initials or inside numbers.
pub fn split_sentences(text: &str) -> Vec<String> {
    const ABBREV: &[&str] = &[
        "mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "sgt", "st", "no", "vs", "etc", "m",
        "mme", "lt-col", "cdt", "cne", "gal", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
        "u.s", "u.n", "prof", "rev", "sen", "gov", "maj", "brig",
    ];
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut start = 0;
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let next = chars.get(k + 1).map(|x| x.1);
            let after = chars.get(k + 2).map(|x| x.1);
            let boundary = match next {
                None => true,
                Some(n) if n.is_whitespace() => after.is_none_or(|a| {
                    a.is_uppercase()
                        || a.is_ascii_digit()
                        || matches!(a, '"' | '«' | '“' | '(' | '\'' | '‘')
                }),
                Some('"' | '”' | '»' | '’' | ')') => true,
                _ => false,
            };
            if !boundary || c != '.' {
                if boundary {
                    out.push(para[start..=i].trim().to_string());
                    start = i + 1;
                }
                continue;
            }
            let word: String = para[start..i]
                .rsplit(|ch: char| ch.is_whitespace())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
            if ABBREV.contains(&word.as_str()) || initial {
                continue;
            }
            let end = if matches!(next, Some('"' | '”' | '»' | '’' | ')')) {
                i + 1 + next.map_or(0, char::len_utf8)
            } else {
                i + 1
            };
            out.push(para[start..end].trim().to_string());
            start = end;
        }
        let rest = para[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out.retain(|s| s.chars().any(char::is_alphanumeric));
    out
}

/// A group of sentences about one incident.
#[derive(Debug, Default, Clone)]
struct Candidate {
    place: Option<PlaceId>,
    country: Option<String>,
    sentences: Vec<usize>,
    cues: Vec<Cue>,
    dates: Vec<DateMention>,
    figures: Vec<Figure>,
    /// Sentences whose evidence (claims, statements, sources) belongs to this incident.
    evidence_sentences: Vec<usize>,
}

impl Candidate {
    fn has_base_cue(&self) -> bool {
        self.cues.contains(&Cue::Kind(Kind::BaseOverrun))
    }
}

#[derive(Default)]
struct Segmenter {
    cands: Vec<Candidate>,
    focus: Option<usize>,
    /// Dates of the latest sentence that had no incident to go to ("Residents heard gunfire on
    /// Monday." before "JNIM claimed the attack."): a new incident without a date takes them.
    pending_dates: Vec<DateMention>,
}

/// How far (bytes) an event cue looks for its place.
const CUE_REACH: usize = 90;

impl Segmenter {
    fn sentence(&mut self, i: usize, s: &Sentence, gaz: &Gazetteer, countries: &[String]) {
        let specific: Vec<(usize, PlaceId)> = s.places.clone();
        if !s.is_event() {
            // Evidence without an event cue: to the incident whose place it names, or by reference.
            let target = specific
                .iter()
                .find_map(|(_, p)| self.find_place(*p, gaz))
                .or_else(|| self.by_reference(s))
                .or(self.focus);
            match target {
                Some(t) => {
                    self.cands[t].evidence_sentences.push(i);
                    if self.cands[t].dates.is_empty() {
                        self.cands[t].dates.extend(s.dates.first());
                    }
                }
                None if !s.dates.is_empty() => self.pending_dates = s.dates.clone(),
                None => {}
            }
            return;
        }
        if specific.is_empty() {
            let target = self.by_reference(s).or(self.focus).unwrap_or_else(|| {
                let country = s
                    .countries
                    .first()
                    .cloned()
                    .or_else(|| countries.first().cloned());
                self.cands.push(Candidate {
                    country,
                    ..Default::default()
                });
                self.cands.len() - 1
            });
            let c = &mut self.cands[target];
            if c.country.is_none() {
                c.country = s.countries.first().cloned();
            }
            if c.dates.is_empty() && s.dates.is_empty() {
                c.dates.append(&mut self.pending_dates);
            }
            c.sentences.push(i);
            c.evidence_sentences.push(i);
            c.cues.extend(s.cues.iter().map(|k| k.kind));
            c.figures.extend(s.figures.iter().copied());
            c.dates.extend(s.dates.iter().copied());
            self.focus = Some(target);
            return;
        }
        // Each cue points at the place right after it ("attack on X"), else the nearest before.
        let anchor_of = |at: usize| -> PlaceId {
            specific
                .iter()
                .filter(|(p, _)| *p >= at && *p - at <= CUE_REACH)
                .min_by_key(|(p, _)| *p - at)
                .or_else(|| {
                    specific
                        .iter()
                        .filter(|(p, _)| *p < at)
                        .max_by_key(|(p, _)| *p)
                })
                .or_else(|| specific.first())
                .map(|(_, id)| *id)
                .expect("a place")
        };
        let mut anchored: Vec<(PlaceId, Vec<Cue>, usize)> = Vec::new();
        for cue in &s.cues {
            let p = anchor_of(cue.at);
            match anchored.iter_mut().find(|(q, _, _)| *q == p) {
                Some((_, cues, _)) => cues.push(cue.kind),
                None => anchored.push((p, vec![cue.kind], cue.at)),
            }
        }
        if anchored.is_empty() {
            // A toll with no cue word: it belongs to the place of the sentence.
            anchored.push((
                specific[0].1,
                Vec::new(),
                s.figures.first().map_or(0, |f| f.at),
            ));
        }
        let n_anchors = anchored.len();
        for (place, cues, cue_at) in anchored {
            let target = self.find_place(place, gaz).unwrap_or_else(|| {
                let country = gaz.place(place).country.clone();
                match self.cands.iter().position(|c| {
                    c.place.is_none() && c.country.as_ref().is_none_or(|cc| *cc == country)
                }) {
                    Some(k) => {
                        self.cands[k].place = Some(place);
                        self.cands[k].country = Some(country);
                        k
                    }
                    None => {
                        self.cands.push(Candidate {
                            place: Some(place),
                            country: Some(country),
                            ..Default::default()
                        });
                        self.cands.len() - 1
                    }
                }
            });
            let c = &mut self.cands[target];
            if c.dates.is_empty() && s.dates.is_empty() {
                c.dates.extend(self.pending_dates.iter().copied());
            }
            c.sentences.push(i);
            c.evidence_sentences.push(i);
            c.cues.extend(cues);
            // With several places in one sentence, dates and tolls go to the nearest cue.
            let near = |at: usize| n_anchors == 1 || at.abs_diff(cue_at) <= CUE_REACH;
            let mut dates: Vec<DateMention> =
                s.dates.iter().filter(|d| near(d.at)).copied().collect();
            dates.sort_by_key(|d| d.at.abs_diff(cue_at));
            c.dates.extend(dates);
            c.figures
                .extend(s.figures.iter().filter(|f| near(f.at)).copied());
            self.focus = Some(target);
        }
    }

    /// The incident at this place, or at a unit that contains it or that it contains; a finer
    /// place replaces a coarser one ("Niger State" then "Shiroro").
    fn find_place(&mut self, place: PlaceId, gaz: &Gazetteer) -> Option<usize> {
        let p = gaz.place(place);
        let same = |q: &gazetteer::Place| {
            q == p
                || (q.country == p.country
                    && q.kind == p.kind
                    && normalize::key(&q.name) == normalize::key(&p.name))
        };
        if let Some(k) = self
            .cands
            .iter()
            .position(|c| c.place.is_some_and(|q| same(gaz.place(q))))
        {
            return Some(k);
        }
        let k = self.cands.iter().position(|c| {
            c.place.is_some_and(|q| {
                let q = gaz.place(q);
                contains(q, p) || contains(p, q)
            })
        })?;
        let current = gaz.place(self.cands[k].place.expect("placed"));
        if p.kind.precision() < current.kind.precision() {
            self.cands[k].place = Some(place);
        }
        Some(k)
    }

    /// "the Sunday attack" -> the incident dated Sunday; "the camp" -> the overrun.
    fn by_reference(&self, s: &Sentence) -> Option<usize> {
        if let Some(d) = s.dates.first() {
            let hit = self
                .cands
                .iter()
                .position(|c| c.dates.first().is_some_and(|cd| cd.date == d.date));
            if hit.is_some() {
                return hit;
            }
        }
        if s.context.base_ref {
            return self.cands.iter().position(Candidate::has_base_cue);
        }
        None
    }

    /// Folds incidents without a place into the first placed one of their country (or gives them
    /// the place the article is about), and a headline's incident into the body's account of it.
    fn finish(
        mut self,
        gaz: &Gazetteer,
        countries: &[String],
        article_place: Option<PlaceId>,
    ) -> Vec<Candidate> {
        let mut placed: Vec<Candidate> = Vec::new();
        let mut loose: Vec<Candidate> = Vec::new();
        for c in self.cands.drain(..) {
            if c.place.is_some() {
                placed.push(c);
            } else {
                loose.push(c);
            }
        }
        // "Dozen killed near Téra" over a body that tells of Bankilaré: one incident, the body's place.
        let headline_only = |c: &Candidate| c.sentences == [0];
        if placed.len() > 1 && placed.iter().any(headline_only) {
            let country = |c: &Candidate| gaz.place(c.place.expect("placed")).country.clone();
            let mut k = 0;
            while k < placed.len() {
                let target = headline_only(&placed[k])
                    .then(|| {
                        placed
                            .iter()
                            .position(|b| !headline_only(b) && country(b) == country(&placed[k]))
                    })
                    .flatten();
                match target {
                    Some(t) => {
                        let h = placed.remove(k);
                        let t = if t > k { t - 1 } else { t };
                        let b = &mut placed[t];
                        b.sentences.splice(0..0, h.sentences);
                        b.evidence_sentences.splice(0..0, h.evidence_sentences);
                        b.cues.extend(h.cues);
                        b.figures.extend(h.figures);
                        b.dates.extend(h.dates);
                    }
                    None => k += 1,
                }
            }
        }
        if placed.is_empty()
            && let (Some(p), Some(first)) = (article_place, loose.first_mut()) {
                first.place = Some(p);
                first.country = Some(gaz.place(p).country.clone());
            }
        for l in loose {
            let country = l.country.clone().or_else(|| countries.first().cloned());
            match placed.iter_mut().find(|p| {
                country.is_none() || p.place.map(|id| gaz.place(id).country.clone()) == country
            }) {
                Some(p) => {
                    p.sentences.extend(&l.sentences);
                    p.evidence_sentences.extend(&l.evidence_sentences);
                    p.cues.extend(&l.cues);
                    p.figures.extend(&l.figures);
                    // The placed incident's own dates come first.
                    p.dates.extend(&l.dates);
                }
                None => placed.push(Candidate { country, ..l }),
            }
        }
        for c in &mut placed {
            c.sentences.sort_unstable();
            c.sentences.dedup();
            c.evidence_sentences.sort_unstable();
            c.evidence_sentences.dedup();
        }
        placed
    }
}

/// Whether `outer` is an admin unit that `inner` lies in.
fn contains(outer: &gazetteer::Place, inner: &gazetteer::Place) -> bool {
    if outer.country != inner.country || outer.kind.precision() <= inner.kind.precision() {
        return false;
    }
    let k = normalize::key(&outer.name);
    match outer.kind {
        PlaceKind::Admin1 => normalize::key(&inner.admin1) == k,
        PlaceKind::Admin2 => normalize::key(&inner.admin2) == k,
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    cand: &Candidate,
    read: &[Sentence],
    gaz: &Gazetteer,
    countries: &[String],
    pub_day: NaiveDate,
    source: &SourceRef,
    family: &str,
    wire: Option<String>,
    seen: DateTime<Utc>,
) -> Option<Extracted> {
    let place = cand.place.map(|id| gaz.place(id));
    let country = place
        .map(|p| p.country.clone())
        .or_else(|| cand.country.clone())
        .or_else(|| countries.first().cloned())?;
    let sents: Vec<&Sentence> = cand.sentences.iter().map(|&i| &read[i]).collect();
    let ev_sents: Vec<&Sentence> = cand.evidence_sentences.iter().map(|&i| &read[i]).collect();

    // Actors named in the incident's sentences.
    let mentions: Vec<&ActorMention> = sents.iter().flat_map(|s| s.actors.iter()).collect();
    let named_nonstate: Vec<&'static str> = dedup(
        mentions
            .iter()
            .filter(|m| m.actor.side == Side::NonState)
            .map(|m| m.actor.name),
    );
    let state: Vec<&'static str> = dedup(
        mentions
            .iter()
            .filter(|m| m.actor.side == Side::State)
            .map(|m| m.actor.name),
    );
    let vague = mentions.iter().find(|m| m.actor.side == Side::Unidentified);
    let ctx_military = sents.iter().any(|s| s.context.military);
    let ctx_civilians = sents.iter().any(|s| s.context.civilians);
    let deaths: Vec<&Figure> = cand
        .figures
        .iter()
        .filter(|f| f.counted == Counted::Deaths)
        .collect();
    let abducted = cand
        .figures
        .iter()
        .filter(|f| f.counted == Counted::Abducted)
        .filter_map(|f| f.fatalities.best)
        .max();

    let kind = decide_kind(
        cand,
        place,
        !named_nonstate.is_empty() || vague.is_some(),
        ctx_military,
        ctx_civilians,
        !deaths.is_empty(),
    )?;

    // Violence needs an armed actor, a toll, a specific cue or security forces in the text.
    let specific_cue = cand.cues.iter().any(
        |c| matches!(c, Cue::Kind(k) if !matches!(k, Kind::Clash | Kind::Unrest | Kind::Political)),
    );
    let anchored = !named_nonstate.is_empty()
        || vague.is_some()
        || !state.is_empty()
        || !deaths.is_empty()
        || specific_cue
        || ctx_military;
    if !anchored && !matches!(kind, Kind::Unrest | Kind::Political) {
        return None;
    }

    let perpetrator: Option<String> = match kind {
        Kind::Unrest | Kind::Political => named_nonstate.first().map(|s| s.to_string()),
        Kind::Airstrike | Kind::TerritoryRetaken => state
            .first()
            .map(|s| s.to_string())
            .or_else(|| national_force(&country).map(str::to_string)),
        _ => named_nonstate.first().map(|s| s.to_string()).or_else(|| {
            vague.map(|m| hinted(m.hint, &country, place.map(|p| p.admin1.as_str())).to_string())
        }),
    };

    // Claims, statements and sources.
    let mut claimed_by: Vec<String> = Vec::new();
    let mut evidence = Evidence {
        wire: wire.clone(),
        abducted,
        ..Default::default()
    };
    let mut state_spoke = false;
    let mut official_figure = false;
    for s in &ev_sents {
        let e = s.evidence;
        if e.claim {
            let claimant = s
                .actors
                .iter()
                .filter(|m| m.actor.side == Side::NonState)
                .map(|m| m.actor.name.to_string())
                .next()
                .or_else(|| perpetrator.clone().filter(|p| p != UNIDENTIFIED));
            if let Some(c) = claimant
                && !claimed_by.contains(&c) {
                    claimed_by.push(c);
                }
        }
        if e.state_statement {
            state_spoke = true;
            if s.figures.iter().any(|f| f.counted == Counted::Deaths) && !e.rumour {
                official_figure = true;
            }
        }
        evidence.official |= e.official && !e.rumour;
        evidence.reported |= e.reported;
        evidence.rumour |= e.rumour;
        evidence.denied |= e.denial;
    }
    let perp_is_state = perpetrator
        .as_deref()
        .and_then(actors::by_name)
        .is_some_and(|a| a.side == Side::State);
    if state_spoke {
        if perp_is_state {
            if let Some(p) = &perpetrator
                && !claimed_by.contains(p) {
                    claimed_by.push(p.clone());
                }
        } else {
            evidence.acknowledged = true;
            evidence.official |= official_figure;
        }
    }
    if claimed_by.is_empty() && !state_spoke && !evidence.rumour {
        // The outlet states the event as fact: its own reporting.
        evidence.reported = true;
    }
    if !claimed_by.is_empty() && !evidence.reported && !state_spoke && !evidence.rumour {
        // A wire or outlet relaying only a claim stays a claim.
    }
    evidence.claimed_by = claimed_by.clone();

    // Toll: the revision if there is one, else the largest figure of the incident.
    let toll = deaths
        .iter()
        .max_by_key(|f| {
            (
                f.update,
                f.fatalities.best.or(f.fatalities.high).unwrap_or(0),
            )
        })
        .map(|f| f.fatalities);
    evidence.toll_update = deaths.iter().any(|f| f.update);
    evidence.toll_official = toll.is_some() && evidence.official;
    let fatalities = toll.map(|f| Fatalities {
        confirmed: evidence.toll_official,
        ..f
    });

    // Severity bumps.
    let mut bumps = BTreeSet::new();
    if let Some(p) = place {
        if p.flags.national_capital {
            bumps.insert("capital");
        }
        if p.flags.admin1_capital || p.flags.admin2_capital {
            bumps.insert("admin_capital");
        }
        if p.flags.unesco {
            bumps.insert("unesco");
        }
        if p.flags.airport {
            bumps.insert("airport");
        }
    }
    for s in &sents {
        let c = &s.context;
        if c.coordinated {
            bumps.insert("coordinated");
        }
        if c.airport {
            bumps.insert("airport");
        }
        if c.foreigners {
            bumps.insert("foreigners");
        }
        if c.aid_workers {
            bumps.insert("aid_workers");
        }
    }
    evidence.bumps = bumps.iter().map(|b| b.to_string()).collect();

    // Date: the incident's first date phrase, else the publication day.
    let (date, date_precision) = cand
        .dates
        .iter()
        .find(|d| d.date <= pub_day)
        .map(|d| (d.date, d.precision))
        .unwrap_or((pub_day, DatePrecision::Day));

    let target = if kind == Kind::CivilianAttack || (ctx_civilians && !ctx_military) {
        Some(TargetClass::Civilians)
    } else if bumps.contains("aid_workers") {
        Some(TargetClass::AidWorkers)
    } else if bumps.contains("foreigners") {
        Some(TargetClass::Foreigners)
    } else if ctx_military || kind == Kind::BaseOverrun {
        Some(TargetClass::Military)
    } else {
        None
    };

    let mut actor_list: Vec<String> = Vec::new();
    if let Some(p) = &perpetrator {
        actor_list.push(p.clone());
    }
    for a in named_nonstate.iter().chain(state.iter()) {
        if !actor_list.iter().any(|x| x == a) {
            actor_list.push(a.to_string());
        }
    }
    if target == Some(TargetClass::Military)
        && !perp_is_state
        && state
            .iter()
            .all(|s| actors::by_name(s).and_then(|a| a.country) != Some(country.as_str()))
        && let Some(force) = national_force(&country)
            && !actor_list.iter().any(|x| x == force) {
                actor_list.insert(actor_list.len().min(1), force.to_string());
            }
    if target == Some(TargetClass::Civilians) && !actor_list.iter().any(|a| a == "civilians") {
        actor_list.push("civilians".to_string());
    }

    let (admin1, geo_precision, lat, lon, place_name) = match place {
        Some(p) => (
            (!p.admin1.is_empty())
                .then(|| p.admin1.clone())
                .or_else(|| (p.kind == PlaceKind::Admin1).then(|| p.name.clone())),
            p.kind.precision(),
            Some(p.lat),
            Some(p.lon),
            Some(p.name.clone()),
        ),
        None => (None, 3, None, None, None),
    };
    let summary = summary(
        kind,
        place_name.as_deref(),
        &country,
        gaz,
        perpetrator.as_deref(),
        fatalities.as_ref(),
        &evidence,
    );
    let report = Report {
        source: source.clone(),
        family: family.to_string(),
        kind,
        place: place_name,
        admin1,
        lat,
        lon,
        geo_precision,
        date,
        date_precision,
        actors: actor_list,
        perpetrator,
        target,
        fatalities,
        summary,
        evidence,
        seen,
    };
    Some(Extracted { country, report })
}

fn dedup(names: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// "al-Qaeda-linked" in the central Sahel is JNIM; "Islamic State-linked" is IS Sahel there and
/// ISWAP around Lake Chad (domain.md §4.1). Elsewhere the group stays unidentified.
fn hinted(hint: Hint, country: &str, admin1: Option<&str>) -> &'static str {
    let lake_chad = matches!(admin1, Some("Borno" | "Yobe" | "Adamawa" | "Diffa" | "Lac"));
    match hint {
        Hint::AlQaeda if matches!(country, "ML" | "BF" | "NE" | "BJ" | "TG") => "JNIM",
        Hint::IslamicState if lake_chad || country == "TD" => "ISWAP",
        Hint::IslamicState if matches!(country, "ML" | "BF" | "NE") => "IS Sahel",
        _ => UNIDENTIFIED,
    }
}

/// The national army of a country, as an actor name.
pub fn national_force(country: &str) -> Option<&'static str> {
    Some(match country {
        "ML" => "FAMa",
        "BF" => "Burkina forces",
        "NE" => "FAN",
        "NG" => "Nigerian military",
        "TD" => "Chadian army",
        "BJ" => "FAB",
        "TG" => "FAT",
        _ => return None,
    })
}

fn decide_kind(
    cand: &Candidate,
    place: Option<&gazetteer::Place>,
    armed: bool,
    military: bool,
    civilians: bool,
    deaths: bool,
) -> Option<Kind> {
    let has = |k: Kind| cand.cues.contains(&Cue::Kind(k));
    let attack = cand.cues.contains(&Cue::Attack);
    if cand.cues.is_empty() && !deaths {
        return None;
    }
    if has(Kind::Political) && !deaths && !has(Kind::BaseOverrun) {
        return Some(Kind::Political);
    }
    if has(Kind::Unrest) && !armed {
        return Some(Kind::Unrest);
    }
    for k in [
        Kind::SuicideAttack,
        Kind::BaseOverrun,
        Kind::TownSeized,
        Kind::TerritoryRetaken,
    ] {
        if has(k) {
            return Some(k);
        }
    }
    let city = place.is_some_and(|p| {
        p.kind == PlaceKind::Town && (p.flags.national_capital || p.flags.admin1_capital)
    });
    let only_civilians = civilians && !military;
    if city
        && attack
        && !only_civilians
        && !has(Kind::Ambush)
        && !has(Kind::Ied)
        && !has(Kind::Airstrike)
    {
        return Some(Kind::AttackOnCity);
    }
    for k in [Kind::Ambush, Kind::Ied, Kind::Airstrike, Kind::Shelling] {
        if has(k) {
            return Some(k);
        }
    }
    if has(Kind::Abduction) && !(deaths && civilians) {
        return Some(Kind::Abduction);
    }
    if has(Kind::CivilianAttack) || ((attack || deaths) && civilians && !military) {
        return Some(Kind::CivilianAttack);
    }
    if has(Kind::Blockade) {
        return Some(Kind::Blockade);
    }
    if has(Kind::Clash) || attack || deaths {
        return Some(if civilians && !military {
            Kind::CivilianAttack
        } else {
            Kind::Clash
        });
    }
    if has(Kind::Abduction) {
        return Some(Kind::Abduction);
    }
    if has(Kind::Unrest) {
        return Some(Kind::Unrest);
    }
    None
}

fn aggregate(s: &Sentence, gaz: &Gazetteer) -> Option<Aggregate> {
    let deaths = s
        .figures
        .iter()
        .filter(|f| f.counted == Counted::Deaths)
        .filter_map(|f| f.fatalities.low.or(f.fatalities.best))
        .max();
    deaths?;
    let mut countries: Vec<String> = Vec::new();
    for c in s.countries.iter().cloned().chain(
        s.places
            .iter()
            .map(|(_, id)| gaz.place(*id).country.clone()),
    ) {
        if !countries.contains(&c) {
            countries.push(c);
        }
    }
    Some(Aggregate {
        text: s.text.clone(),
        deaths_low: deaths,
        countries,
        period: lexicon::period(&s.folded),
    })
}

fn summary(
    kind: Kind,
    place: Option<&str>,
    country: &str,
    gaz: &Gazetteer,
    perpetrator: Option<&str>,
    fatalities: Option<&Fatalities>,
    evidence: &Evidence,
) -> String {
    let country_name = gaz
        .country(country)
        .map(|c| c.name.as_str())
        .unwrap_or(country);
    let mut s = kind.label().to_string();
    match place {
        Some(p) => s.push_str(&format!(" at {p}, {country_name}")),
        None => s.push_str(&format!(" in {country_name}")),
    }
    if let Some(p) = perpetrator.filter(|p| *p != UNIDENTIFIED) {
        let verb = if evidence.claimed_by.iter().any(|c| c == p) {
            "claimed by"
        } else {
            "by"
        };
        s.push_str(&format!(", {verb} {p}"));
    }
    if let Some(f) = fatalities {
        if let Some(n) = f.figure() {
            let plus = if f.approx { "+" } else { "" };
            let status = if f.confirmed { "" } else { " (unconfirmed)" };
            s.push_str(&format!("; {n}{plus} killed{status}"));
        } else if let Some(h) = f.high {
            s.push_str(&format!("; up to {h} killed"));
        }
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests;
