//! From one article to incidents and aggregates: pure functions, no I/O.
//!
//! The stages, each in its own file:
//! - [`sentences`]: the article cut into sentences (the title first, datelines off), each read once
//!   for places ([`gazetteer`]), actors ([`actors`]), event cues and evidence ([`lexicon`]), tolls
//!   ([`numbers`]) and dates ([`when`]); totals, history and forecasts are marked as not events.
//! - [`places`]: which names stand as places, the countries the article is about, and which of
//!   several namesakes each name means.
//! - [`grouping`]: event sentences grouped into candidate incidents by the place each event cue
//!   points at ("an attack on Timbuktu"); sentences without a place join the incident they refer
//!   to ("the Sunday attack", "the camp") or the one being told.
//! - [`events`]: the kind of each incident, and aggregates from totals.
//! - [`grading`]: each candidate to a report: actors, perpetrator, evidence, toll, date, summary,
//!   and its [`story`] (telling words, aftermath or event) for matching across outlets.

pub mod actors;
mod events;
pub mod gazetteer;
mod grading;
mod grouping;
pub mod lang;
pub mod lexicon;
pub mod numbers;
mod places;
mod sentences;
mod story;
pub mod when;

use chrono::{DateTime, FixedOffset, Utc};

pub use gazetteer::Gazetteer;
pub use grading::{national_force, summary};
pub use sentences::{split_sentences, strip_dateline};

use crate::incident::{IncidentRecord, Report};
use crate::model::{Aggregate, Article, Incident, SourceRef};
use actors::Side;
use grading::ArticleFacts;
use grouping::Segmenter;
use lexicon::NotEvent;
use sentences::Sentence;

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
        _ => lang::detect_parts(&[title, body]).to_string(),
    };
    source.lang = Some(lang.clone());
    let (sentences, raw_body) = cut(title, body);

    // Sahel countries are UTC+0 or UTC+1: a day is read in UTC+1 at the latest.
    let pub_day =
        (published.with_timezone(&FixedOffset::east_opt(0).expect("offset"))).date_naive();
    let mut read: Vec<Sentence> = sentences
        .iter()
        .map(|s| Sentence::read(s, pub_day, gaz))
        .collect();
    sentences::carry_same_day(&mut read);
    places::resolve(&mut read, gaz);
    if is_sports(&read) {
        return Extraction {
            lang,
            ..Default::default()
        };
    }

    if places::elsewhere(&read) {
        return Extraction {
            lang,
            ..Default::default()
        };
    }
    let countries = places::article_countries(&read, gaz);
    places::place_capital(&mut read, gaz, &countries);
    // The dateline credits the wire ("BAMAKO (Reuters) -"): read it before it was cut off.
    let head: String = raw_body.chars().take(120).collect();
    let wire = lexicon::wire(&crate::text::fold(&head)).or_else(|| article_wire(&read));
    let family = wire.clone().unwrap_or_else(|| source.family.clone());
    let art = ArticleFacts {
        read: &read,
        gaz,
        countries: &countries,
        pub_day,
        source: &source,
        family: &family,
        wire,
        seen,
    };

    let mut segmenter = Segmenter::default();
    let mut aggregates = Vec::new();
    for (i, s) in read.iter().enumerate() {
        match s.not_event {
            Some(NotEvent::Aggregate) => aggregates.extend(events::aggregate(s, gaz)),
            Some(_) => {}
            None => segmenter.sentence(i, s, gaz, &countries),
        }
    }
    let article_place = read
        .iter()
        .filter(|s| s.not_event.is_none())
        .find_map(|s| s.places.first().map(|(_, p)| *p));
    let incidents = segmenter
        .finish(gaz, &countries, article_place, !title.trim().is_empty())
        .iter()
        .filter_map(|cand| grading::build(cand, &art))
        .collect();
    Extraction {
        incidents,
        aggregates,
        lang,
    }
}

/// The title and the body's sentences (the dateline cut off), and the body as given.
fn cut<'a>(title: &str, body: &'a str) -> (Vec<String>, &'a str) {
    let title = without_slug(title.trim());
    let body = body.trim();
    // Files given to `extract` often repeat the title as their first line.
    let body = body
        .strip_prefix(title)
        .map(str::trim_start)
        .filter(|_| !title.is_empty())
        .unwrap_or(body);
    let mut sentences: Vec<String> = Vec::new();
    if !title.is_empty() {
        sentences.push(recased(title));
    }
    sentences.extend(split_sentences(&strip_datelines(body)));
    (sentences, body)
}

/// A headline in capitals in title case ("BAMA: DOZENS OF PEOPLE KILLED" is read as "Bama:
/// Dozens Of People Killed"): names are told from words by their capitals, which a headline in
/// capitals does not give. Other headlines as they are.
fn recased(title: &str) -> String {
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 8 || title.chars().any(char::is_lowercase) {
        return title.to_string();
    }
    let mut out = String::with_capacity(title.len());
    let mut in_word = false;
    for c in title.chars() {
        if in_word {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        in_word = c.is_alphabetic();
    }
    out
}

/// A wire headline without its desk slug: "UPDATE 3-Nigeria bomb kills 14", "FOCUS-At least 50
/// killed", "EXCLUSIVE-…", "RPT-…" (the slug glues itself to the first word).
fn without_slug(title: &str) -> &str {
    static SLUG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let slug = SLUG.get_or_init(|| {
        regex::Regex::new(
            r"^(?:(?:UPDATE|WRAPUP|CORRECTED|EXCLUSIVE|FOCUS|INSIGHT|ANALYSIS|RPT|REFILE|FACTBOX|TIMELINE|SPECIAL REPORT|BREAKINGVIEWS|POLL)(?: \d+)?-)+\s*",
        )
        .expect("a valid pattern")
    });
    slug.find(title).map_or(title, |m| &title[m.end()..])
}

/// The body with the dateline cut off each of its first paragraphs (lines, as feeds' text
/// gives them): a repost often opens with an intro line ("Reuters reports from Niamey:") before
/// the wire's "NIAMEY, Oct 26 (Reuters) -".
fn strip_datelines(body: &str) -> String {
    const HEAD_PARAGRAPHS: usize = 3;
    body.split('\n')
        .enumerate()
        .map(|(i, p)| {
            if i < HEAD_PARAGRAPHS {
                strip_dateline(p.trim_start())
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A match report or a campaign speech uses "attack" and "ambush" without anyone armed.
fn is_sports(read: &[Sentence]) -> bool {
    let armed_anywhere = read
        .iter()
        .any(|s| s.actors.iter().any(|a| a.actor.side != Side::Civilians));
    let sports = read
        .iter()
        .filter(|s| lexicon::is_sports(&s.folded))
        .count();
    sports >= 2 && !armed_anywhere
}

/// The wire an article credits in its first or last sentences or in an event sentence.
fn article_wire(read: &[Sentence]) -> Option<String> {
    let n = read.len();
    read.iter()
        .enumerate()
        .filter(|(i, s)| {
            s.not_event != Some(NotEvent::Aggregate) && (*i <= 2 || *i + 1 >= n || s.is_event())
        })
        .find_map(|(_, s)| lexicon::wire(&s.folded))
}

#[cfg(test)]
mod tests;
