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
    let raw_body = body;
    let body = strip_dateline(body);
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
    // The dateline credits the wire ("BAMAKO (Reuters) -"): read it before it was cut off.
    let head: String = raw_body.chars().take(120).collect();
    let wire = lexicon::wire(&normalize::fold(&head)).or_else(|| article_wire(&read));
    let family = wire.clone().unwrap_or_else(|| source.family.clone());

    // A match report or a campaign speech uses "attack" and "ambush" without anyone armed.
    let armed_anywhere = read
        .iter()
        .any(|s| s.actors.iter().any(|a| a.actor.side != Side::Civilians));
    let sports = read
        .iter()
        .filter(|s| lexicon::is_sports(&s.folded))
        .count()
        >= 2;
    if sports && !armed_anywhere {
        return Extraction {
            incidents: Vec::new(),
            aggregates: Vec::new(),
            lang,
        };
    }

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
            // An acronym in capitals ("SEMA") is not a place.
            let surface = &text[m.start..m.end];
            if surface.chars().filter(|c| c.is_alphabetic()).count() <= 4
                && !surface.chars().any(char::is_lowercase)
            {
                continue;
            }
            if is_dateline(text, m.start, m.end)
                || not_where_it_happened(&folded_before(text, m.start))
            {
                continue;
            }
            // "the Dakar–Bamako corridor", "l'axe Damboa–Maiduguri": a route, not a place of events.
            let dash = ['–', '—', '-'];
            if text[..m.start].ends_with(dash) || text[m.end..].starts_with(dash) {
                continue;
            }
            // A country's name names the country, even where a town shares it ("Benin", "Benin City").
            let id = m
                .candidates
                .iter()
                .copied()
                .find(|c| gaz.place(*c).kind == PlaceKind::Country)
                .unwrap_or(m.candidates[0]);
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
            // "Usman Kolo", "Gani Adams": a capitalised word before a name makes it a person's.
            if part_of_a_name(text, m.start) {
                continue;
            }
            // A village nobody counted needs "in", "at", "à", "de"… before it to be taken as a place.
            let mut candidates = m.candidates.clone();
            let locative = gazetteer::after_locative(&before);
            candidates.retain(|c| {
                let p = gaz.place(*c);
                p.curated || p.population > 0 || p.kind != PlaceKind::Town || locative
            });
            if candidates.is_empty() {
                continue;
            }
            // "l'État de Kaduna", "Kaduna State", "région de Mopti": the unit, not its capital.
            let admin_context = [
                "state of",
                "etat de",
                "etat du",
                "region de",
                "region du",
                "region of",
                "province de",
                "province du",
                "province of",
                "departement de",
                "departement du",
                "department of",
                "cercle de",
                "prefecture de",
                "gouvernorat de",
                "lga of",
            ]
            .iter()
            .any(|w| before.ends_with(w))
                || [
                    "state",
                    "region",
                    "province",
                    "department",
                    "cercle",
                    "lga",
                    "local government",
                ]
                .iter()
                .any(|w| after.starts_with(w));
            if admin_context {
                candidates.sort_by_key(|c| {
                    !matches!(gaz.place(*c).kind, PlaceKind::Admin1 | PlaceKind::Admin2)
                });
            }
            mentions.push((m.start, candidates));
        }
        countries.extend(adjective_countries(&folded));
        let figures = numbers::figures(&folded);
        let dates = when::dates(&folded, pub_day);
        let mut not_event = lexicon::not_event(&folded);
        if not_event.is_none() && lexicon::is_disaster(&folded) && actors.is_empty() {
            not_event = Some(NotEvent::Background);
        }
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

/// Cuts the dateline off the start of a body ("NIAMEY, March 20 (Reuters) - ", "Lomé, 7 juin — "):
/// where and when a story was filed is not where and when the event happened.
pub fn strip_dateline(body: &str) -> &str {
    let head: String = body.chars().take(70).collect();
    let Some(first) = head.chars().next() else {
        return body;
    };
    if !first.is_uppercase() {
        return body;
    }
    let cut = ["—", "–", " - ", ") -", ")-", " -- "]
        .iter()
        .filter_map(|m| head.find(m).map(|i| (i, m.len())))
        .min();
    let Some((i, len)) = cut else {
        return body;
    };
    let prefix = &head[..i];
    let words = prefix.split_whitespace().count();
    let sentence_like =
        prefix.contains(". ") || prefix.chars().filter(|c| c.is_lowercase()).count() > 25;
    if words == 0 || words > 7 || sentence_like {
        return body;
    }
    body[i + len..].trim_start_matches([' ', '-', '—', '–'])
}

/// "BAMAKO (Reuters) -", "Niamey (AFP) -", "Lomé, 5 juin (AFP) -", "ABUJA, Nigeria —": the place a
/// story was filed from, at the very start of a paragraph.
fn is_dateline(text: &str, start: usize, end: usize) -> bool {
    if !text[..start].trim().is_empty() {
        return false;
    }
    let rest = &text[end..];
    let head: String = rest.chars().take(40).collect();
    let wire = head.find(['(', '—', '–']).or_else(|| head.find(" - "));
    wire.is_some_and(|i| {
        let between = &head[..i];
        between.trim().is_empty()
            || (between.trim_start().starts_with(',')
                && between.len() <= 30
                && !between.contains('.'))
    })
}

/// Whether the word before `start` is a capitalised word that is not a sentence start, a title
/// of a place ("Lake", "North") or a possessive ("Mali's"): then the match is part of a name.
fn part_of_a_name(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    if before.ends_with([',', '(', ':', ';', '.', '"', '«', '“', '—', '-', '\''])
        || before.is_empty()
    {
        return false;
    }
    let word = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let Some(first) = word.chars().next() else {
        return false;
    };
    const PLACE_WORDS: &[&str] = &[
        "Lake", "Lac", "Mount", "Mont", "Port", "Saint", "Sainte", "Fort", "North", "South",
        "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Upper", "Lower",
        "Greater", "Grand", "Petit", "Haut", "Bas", "New", "Old", "Nord", "Sud", "Est", "Ouest",
        "Centre", "Mali", "Niger", "Nigeria", "Burkina", "Faso", "Chad", "Tchad", "Benin", "Bénin",
        "Togo", "In", "At", "Near", "From", "Outside", "Dans", "Près", "Vers", "Depuis", "Au",
        "Aux", "The", "Le", "La", "Les", "Des", "De", "Du", "À", "A", "Of", "And", "Et", "Or",
        "Ou", "Between", "Entre", "On", "Sur", "To", "Road", "Route", "Axe", "Camp", "Village",
        "Town", "Ville",
    ];
    first.is_uppercase()
        && word.chars().any(char::is_lowercase)
        && !word.ends_with("'s")
        && !word.ends_with("’s")
        && !PLACE_WORDS.contains(&word)
}

/// Words that put a place where something was said, treated or announced, not where the event
/// happened ("said in Abuja", "in hospital in Maiduguri", "a déclaré à Bamako").
fn not_where_it_happened(before: &str) -> bool {
    const MARKERS: &[&str] = &[
        "said in",
        "told reporters in",
        "speaking in",
        "spoke in",
        "statement in",
        "briefing in",
        "hospital in",
        "hospitals in",
        "evacuated to",
        "taken to",
        "transferred to",
        "flown to",
        "treated in",
        "conference in",
        "reporters in",
        "declare a",
        "declare depuis",
        "a declare a",
        "hopital de",
        "hopital a",
        "evacues vers",
        "evacues a",
        "transferes a",
        "transportes a",
        "conference de presse a",
        "depuis",
        "based in",
        "headquartered in",
        "basee a",
        "base a",
        "journalists in",
        "correspondent in",
        "correspondant a",
        // ends of a road or a move: "sent from Ouallam", "the road to Ouallam", "reliant Bamako à"
        "from",
        "road to",
        "route to",
        "way to",
        "towards",
        "toward",
        "vers",
        "reliant",
        "relie",
        "linking",
        "corridor",
        "axis",
        "axe",
        "direction de",
        "en provenance de",
        "a destination de",
        "bound for",
        "heading to",
        "fled to",
        "fui vers",
        "refugies a",
        "displaced to",
        // examples, not events: "villes comme Djibo", "towns such as Djibo"
        "comme",
        "such as",
        "like",
        "tels que",
        "telles que",
        "notamment",
    ];
    let b = before.trim_end();
    MARKERS.iter().any(|m| b.ends_with(m))
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
    toks.iter().enumerate().any(|(i, t)| {
        t.text.len() == 4
            && t.text
                .parse::<i32>()
                .is_ok_and(|y| (1950..pub_day.year()).contains(&y))
            && toks[i.saturating_sub(3)..i].iter().any(|w| {
                matches!(
                    w.text,
                    "in" | "en" | "since" | "depuis" | "of" | "de" | "during" | "lors"
                )
            })
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
    /// Event cues with the sentence they came from.
    cues: Vec<(usize, Cue)>,
    dates: Vec<DateMention>,
    /// Dates of a sentence before the incident's own ("This week in Ménaka and Gao…"): used only
    /// when the incident has none.
    fallback_dates: Vec<DateMention>,
    figures: Vec<Figure>,
    /// Sentences whose evidence (claims, statements, sources) belongs to this incident.
    evidence_sentences: Vec<usize>,
}

impl Candidate {
    fn has_base_cue(&self) -> bool {
        self.cues
            .iter()
            .any(|(_, c)| *c == Cue::Kind(Kind::BaseOverrun))
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
                c.fallback_dates = self.pending_dates.clone();
            }
            c.sentences.push(i);
            c.evidence_sentences.push(i);
            c.cues.extend(s.cues.iter().map(|k| (i, k.kind)));
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
        // (place, its cues with their sentence, where its first cue stands)
        type Anchor = (PlaceId, Vec<(usize, Cue)>, usize);
        let mut anchored: Vec<Anchor> = Vec::new();
        for cue in &s.cues {
            let p = anchor_of(cue.at);
            match anchored.iter_mut().find(|(q, _, _)| *q == p) {
                Some((_, cues, _)) => cues.push((i, cue.kind)),
                None => anchored.push((p, vec![(i, cue.kind)], cue.at)),
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
                c.fallback_dates = self.pending_dates.clone();
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
        // Among incidents within this unit, the one the body tells of rather than the headline's.
        let within = |c: &Candidate| {
            c.place.is_some_and(|q| {
                let q = gaz.place(q);
                contains(q, p) || contains(p, q)
            })
        };
        let k = self
            .cands
            .iter()
            .position(|c| within(c) && c.sentences != [0])
            .or_else(|| self.cands.iter().position(within))?;
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
            && let (Some(p), Some(first)) = (article_place, loose.first_mut())
        {
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
    let vague = mentions
        .iter()
        .filter(|m| m.actor.side == Side::Unidentified)
        .max_by_key(|m| (m.hint != Hint::None, std::cmp::Reverse(m.start)));
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

    let named_sides = named_nonstate.len() + state.len();
    let facts = KindFacts {
        place,
        armed: !named_nonstate.is_empty() || vague.is_some(),
        two_sides: named_sides >= 2 || (!named_nonstate.is_empty() && ctx_military),
        military: ctx_military,
        civilians: ctx_civilians,
        deaths: !deaths.is_empty(),
        civilian_toll: deaths.iter().any(|f| f.civilian),
        position: sents.iter().any(|s| s.context.position),
        coordinated: sents.iter().any(|s| s.context.coordinated),
    };
    let kind = decide_kind(cand, &facts)?;

    // Violence needs an armed actor, a toll, a specific cue or security forces in the text.
    let specific_cue = cand.cues.iter().any(
        |(_, c)| matches!(c, Cue::Kind(k) if !matches!(k, Kind::Clash | Kind::Unrest | Kind::Political)),
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

    // Who did it: a group named in the event's sentences, else one the story blames elsewhere
    // ("police blamed Boko Haram"), else what the vague wording suggests.
    let blamed: Option<&'static str> = ev_sents
        .iter()
        .flat_map(|s| s.actors.iter())
        .find(|m| m.actor.side == Side::NonState)
        .map(|m| m.actor.name);
    let perpetrator: Option<String> = match kind {
        Kind::Unrest | Kind::Political => None,
        Kind::Airstrike | Kind::TerritoryRetaken => state
            .first()
            .map(|s| s.to_string())
            .or_else(|| national_force(&country).map(str::to_string)),
        // Killings of civilians laid at the door of soldiers or militias (Dozos, FAMa and their
        // Russian partners): the state side is the perpetrator.
        Kind::CivilianAttack if named_nonstate.is_empty() && !state.is_empty() => {
            Some(state[0].to_string())
        }
        _ => named_nonstate
            .first()
            .copied()
            .or(blamed)
            .map(str::to_string)
            .or_else(|| {
                vague
                    .map(|m| hinted(m.hint, &country, place.map(|p| p.admin1.as_str())).to_string())
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
                && !claimed_by.contains(&c)
            {
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
                && !claimed_by.contains(p)
            {
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
                f.fatalities.best.is_some(),
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
        .chain(cand.fallback_dates.iter())
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
        && !actor_list.iter().any(|x| x == force)
    {
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
        &evidence.claimed_by,
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

/// What the kind of an incident depends on besides its cue words.
struct KindFacts<'a> {
    place: Option<&'a gazetteer::Place>,
    /// An armed actor is named or described.
    armed: bool,
    /// Two armed parties are named (a fight, not a massacre).
    two_sides: bool,
    military: bool,
    civilians: bool,
    deaths: bool,
    /// The toll is of civilians ("44 civilians killed", "des villageois tués").
    civilian_toll: bool,
    /// A military position is the target (post, camp, checkpoint, convoy, patrol).
    position: bool,
    coordinated: bool,
}

/// The kind of an incident. The headline and lede decide first (reporters put the event there);
/// the rest of the story only refines a generic reading.
fn decide_kind(cand: &Candidate, facts: &KindFacts) -> Option<Kind> {
    let lede: Vec<usize> = cand.sentences.iter().take(2).copied().collect();
    let primary: Vec<Cue> = cand
        .cues
        .iter()
        .filter(|(i, _)| lede.contains(i))
        .map(|(_, c)| *c)
        .collect();
    let all: Vec<Cue> = cand.cues.iter().map(|(_, c)| *c).collect();
    let first = kind_from(&primary, facts);
    match first {
        Some(k) if k != Kind::Clash => Some(k),
        _ => kind_from(&all, facts).or(first),
    }
}

fn kind_from(cues: &[Cue], f: &KindFacts) -> Option<Kind> {
    let has = |k: Kind| cues.contains(&Cue::Kind(k));
    let attack = cues.contains(&Cue::Attack);
    if cues.is_empty() && !f.deaths {
        return None;
    }
    if has(Kind::Political) && !f.deaths && !has(Kind::BaseOverrun) {
        return Some(Kind::Political);
    }
    if has(Kind::Unrest) && !f.armed {
        return Some(Kind::Unrest);
    }
    for k in [
        Kind::SuicideAttack,
        Kind::BaseOverrun,
        Kind::TerritoryRetaken,
        Kind::TownSeized,
        Kind::Blockade,
    ] {
        if has(k) {
            return Some(k);
        }
    }
    for k in [Kind::Ambush, Kind::Ied, Kind::Airstrike, Kind::Shelling] {
        if has(k) {
            return Some(k);
        }
    }
    let only_civilians = f.civilians && !f.military;
    if f.civilian_toll || (has(Kind::CivilianAttack) && !f.two_sides) {
        return Some(Kind::CivilianAttack);
    }
    if has(Kind::Abduction) && !f.deaths {
        return Some(Kind::Abduction);
    }
    let city = f.place.is_some_and(|p| {
        p.kind == PlaceKind::Town && (p.flags.national_capital || p.flags.admin1_capital)
    });
    if city && attack && !only_civilians && (f.coordinated || !f.position) {
        return Some(Kind::AttackOnCity);
    }
    if (attack || f.deaths) && only_civilians && !f.two_sides {
        return Some(Kind::CivilianAttack);
    }
    if has(Kind::Clash) || attack || f.deaths {
        return Some(Kind::Clash);
    }
    if has(Kind::Abduction) {
        return Some(Kind::Abduction);
    }
    if has(Kind::CivilianAttack) {
        return Some(Kind::CivilianAttack);
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

/// The one-line summary of an incident or report: "Base overrun at Boulkessi, Mali, claimed by
/// JNIM; 30+ killed (unconfirmed)."
pub fn summary(
    kind: Kind,
    place: Option<&str>,
    country: &str,
    gaz: &Gazetteer,
    perpetrator: Option<&str>,
    fatalities: Option<&Fatalities>,
    claimed_by: &[String],
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
        let verb = if claimed_by.iter().any(|c| c == p) {
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
