//! Places: which gazetteer names in a sentence say where something happened (not a dateline, a
//! person's name, a route's end or where something was said), which country the article is about,
//! and which of several namesakes each name means.

use std::collections::{BTreeMap, HashMap};

use super::actors::ActorMention;
use super::gazetteer::{self, Gazetteer, Mention, Place, PlaceId, PlaceKind};
use super::lexicon::NotEvent;
use super::numbers;
use super::sentences::Sentence;
use crate::text::key;

/// A place name as a sentence uses it: where it stands and every place it may mean.
pub(super) type PlaceMention = (usize, Vec<PlaceId>);

/// The place names of one sentence that say where something happened, each with every place of
/// that name, and the countries the sentence names.
pub(super) fn mentions(
    text: &str,
    actors: &[ActorMention],
    gaz: &Gazetteer,
) -> (Vec<PlaceMention>, Vec<String>) {
    let mut mentions = Vec::new();
    let mut countries = Vec::new();
    for m in gaz.find(text) {
        if !stands_as_a_place(text, &m, actors) {
            continue;
        }
        let before = folded_before(text, m.start);
        let after = folded_after(text, m.end);
        // A country's name names the country, even where a town shares it ("Benin", "Benin City").
        if let Some(country) = m
            .candidates
            .iter()
            .map(|c| gaz.place(*c))
            .find(|p| p.kind == PlaceKind::Country)
        {
            // "the Niger river", "le fleuve Niger" are not the country.
            if !is_niger_river(country, &before, &after) {
                countries.push(country.country.clone());
            }
            continue;
        }
        if let Some(candidates) = candidates(text, &m, gaz, &before, &after) {
            mentions.push((m.start, candidates));
        }
    }
    (mentions, countries)
}

/// Whether a gazetteer match stands as a place name: not inside an actor's name ("Katiba Macina"),
/// not an acronym ("SEMA"), not a dateline, not where something was said, not a route's end.
fn stands_as_a_place(text: &str, m: &Mention, actors: &[ActorMention]) -> bool {
    if actors.iter().any(|a| a.start <= m.start && m.end <= a.end) {
        return false;
    }
    let surface = &text[m.start..m.end];
    if surface.chars().filter(|c| c.is_alphabetic()).count() <= 4
        && !surface.chars().any(char::is_lowercase)
    {
        return false;
    }
    if is_dateline(text, m.start, m.end) || not_where_it_happened(&folded_before(text, m.start)) {
        return false;
    }
    // "the Dakar–Bamako corridor", "l'axe Damboa–Maiduguri": a route, not a place of events.
    let dash = ['–', '—', '-'];
    !(text[..m.start].ends_with(dash) || text[m.end..].starts_with(dash))
}

fn is_niger_river(country: &Place, before: &str, after: &str) -> bool {
    key(&country.name) == "niger"
        && (after.starts_with("river")
            || after.starts_with("state")
            || before.ends_with("fleuve")
            || before.ends_with("river")
            || before.ends_with("boucle du"))
}

/// The places a name may mean where the sentence uses it as a place, best first; `None` when it
/// is a common word here (a generic region word, a person's name, an uncounted village without a
/// locative before it).
fn candidates(
    text: &str,
    m: &Mention,
    gaz: &Gazetteer,
    before: &str,
    after: &str,
) -> Option<Vec<PlaceId>> {
    let first = gaz.place(m.candidates[0]);
    if first.kind == PlaceKind::Admin1
        && GENERIC_REGIONS.contains(&key(&first.name).as_str())
        && !names_a_region(before, after)
    {
        return None;
    }
    // "Usman Kolo", "Gani Adams": a capitalised word before a name makes it a person's.
    if part_of_a_name(text, m.start) {
        return None;
    }
    // A village nobody counted needs "in", "at", "à", "de"… before it to be taken as a place.
    let locative = gazetteer::after_locative(before);
    let mut candidates = m.candidates.clone();
    candidates.retain(|c| {
        let p = gaz.place(*c);
        p.curated || p.population > 0 || p.kind != PlaceKind::Town || locative
    });
    if candidates.is_empty() {
        return None;
    }
    // "l'État de Kaduna", "Kaduna State", "région de Mopti": the unit, not its capital.
    if admin_context(before, after) {
        candidates
            .sort_by_key(|c| !matches!(gaz.place(*c).kind, PlaceKind::Admin1 | PlaceKind::Admin2));
    }
    Some(candidates)
}

/// "région du Centre", "Plateau State": a generic word named as a region.
fn names_a_region(before: &str, after: &str) -> bool {
    before.ends_with("region du")
        || before.ends_with("region de l")
        || before.ends_with("region de")
        || after.starts_with("region")
        || after.starts_with("province")
        || after.starts_with("state")
}

/// Words around a name that make it an admin unit rather than its chief town.
fn admin_context(before: &str, after: &str) -> bool {
    const BEFORE: &[&str] = &[
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
    ];
    const AFTER: &[&str] = &[
        "state",
        "region",
        "province",
        "department",
        "cercle",
        "lga",
        "local government",
    ];
    BEFORE.iter().any(|w| before.ends_with(w)) || AFTER.iter().any(|w| after.starts_with(w))
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

/// Picks, for each place name, the place in the country the article is about: countries named
/// or implied by an adjective weigh most, then places whose name is unambiguous.
pub(super) fn resolve(read: &mut [Sentence], gaz: &Gazetteer) {
    let mut weight: HashMap<String, usize> = Default::default();
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
    crate::text::fold(
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
    crate::text::fold(&text[from..start])
        .trim_end_matches([' ', '\'', '-'])
        .to_string()
}

pub(super) fn adjective_countries(folded: &str) -> Vec<String> {
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
pub(super) fn article_countries(read: &[Sentence], gaz: &Gazetteer) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = Default::default();
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

/// Whether `outer` is an admin unit that `inner` lies in.
pub(super) fn contains(outer: &Place, inner: &Place) -> bool {
    if outer.country != inner.country || outer.kind.precision() <= inner.kind.precision() {
        return false;
    }
    let k = key(&outer.name);
    match outer.kind {
        PlaceKind::Admin1 => key(&inner.admin1) == k,
        PlaceKind::Admin2 => key(&inner.admin2) == k,
        _ => false,
    }
}
