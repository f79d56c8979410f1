//! Places: which gazetteer names in a sentence say where something happened (not a dateline, a
//! person's name, a route's end or where something was said), which country the article is about,
//! and which of several namesakes each name means.

use std::collections::{BTreeMap, HashMap};

use super::actors::ActorMention;
use super::gazetteer::{self, Gazetteer, Mention, Place, PlaceId, PlaceKind};
use super::lexicon::NotEvent;
use super::numbers;
use super::sentences::Sentence;
use crate::text::{Folded, key};

/// A place name as a sentence uses it: where it starts and ends and every place it may mean.
pub(super) type PlaceMention = (usize, usize, Vec<PlaceId>);

/// The place names of one sentence that say where something happened, each with every place of
/// that name, and the countries the sentence names.
pub(super) fn mentions(
    text: &str,
    folded: &Folded,
    actors: &[ActorMention],
    gaz: &Gazetteer,
) -> (Vec<PlaceMention>, Vec<String>) {
    let mut mentions = Vec::new();
    let mut countries = Vec::new();
    let mut speakers = Vec::new();
    // Countries across a border from where it happened: named only when no other country is.
    let mut neighbours = Vec::new();
    let found = gaz.find_in(text, folded);
    for (k, m) in found.iter().enumerate() {
        // "l'axe Boni-Hombori", "the Kaya-Dori road": the first end of a short stretch of road.
        let road = road_start(text, &found, k, gaz);
        if !stands_as_a_place(text, m, actors, road.is_some()) {
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
            // "Niger community", "le lac Tchad": a unit, not the country.
            if let Some(unit) = unit_named_after_a_country(country, &before, &after, gaz) {
                mentions.push((m.start, m.end, unit.to_vec()));
                continue;
            }
            // "the Niger river", "le fleuve Niger" are not the country; "Nigeria says it sent
            // jets to Benin": the country that speaks or sends comes after the one it speaks of.
            if !is_niger_river(country, &before, &after) {
                let next = crate::text::fold(first_words(&text[m.end..]));
                let list = if across_its_border(&before) {
                    &mut neighbours
                } else if speaks_or_sends(&next) || names_its_force(&before, &next) {
                    &mut speakers
                } else {
                    &mut countries
                };
                list.push(country.country.clone());
            }
            continue;
        }
        let found = match road {
            // The road's name says its ends are places, as a locative would.
            Some(road) => Some(road),
            None => candidates(text, m, gaz, &before, &after),
        };
        if let Some(candidates) = found {
            mentions.push((m.start, m.end, candidates));
        }
    }
    countries.extend(speakers);
    if countries.is_empty() {
        countries = neighbours;
    }
    (mentions, countries)
}

/// "an ambush on the Torodi-Makalondi axis" in a report about Makalondi: a stretch of road is
/// placed at the end the article names in another sentence, when only that end is.
fn to_the_road_end_named_elsewhere(read: &mut [Sentence], gaz: &Gazetteer) {
    let names: Vec<Vec<String>> = read
        .iter()
        .map(|s| {
            s.mentions
                .iter()
                .map(|(a, e, _)| key(&s.text[*a..*e]))
                .collect()
        })
        .collect();
    // Named in another sentence, or (`k`) by another mention of its own.
    let elsewhere = |i: usize, k: Option<usize>, name: &str| {
        names.iter().enumerate().any(|(j, n)| {
            n.iter()
                .enumerate()
                .any(|(l, x)| x == name && (j != i || k.is_some_and(|k| k != l)))
        })
    };
    for (i, s) in read.iter_mut().enumerate() {
        for k in 0..s.mentions.len() {
            let (at, end, _) = &s.mentions[k];
            let after = &s.text[*end..];
            let Some(rest) = after.strip_prefix(['-', '–', '—']) else {
                continue;
            };
            let Some(other) = gaz.find(rest).into_iter().find(|m| m.start == 0) else {
                continue;
            };
            let from = s.text.len() - rest.len();
            let other_name = key(&rest[..other.end]);
            if !elsewhere(i, None, &other_name) || elsewhere(i, Some(k), &key(&s.text[*at..*end])) {
                continue;
            }
            s.mentions[k] = (from, from + other.end, other.candidates);
        }
    }
}

/// "sur l'axe", "on the axis", "le tronçon": words that name a road by its ends.
fn names_a_road(before: &str) -> bool {
    let b = before.trim_end();
    [
        "axe", "axis", "corridor", "troncon", "route", "road", "highway",
    ]
    .iter()
    .any(|w| b.ends_with(w))
}

/// Longest stretch of road between two towns named by its ends ("l'axe Boni-Hombori", 80 km)
/// whose events are placed at its first end; a longer route ("the Dakar-Bamako corridor") is no
/// place of events.
const ROAD_KM: f64 = 200.0;

/// "l'axe Boni-Hombori", "the Kaya-Dori road", "le tronçon Fada-Pama": when the name at `k` is
/// joined by a dash to the next, and some place of that name lies within [`ROAD_KM`] of some
/// place of the next one, the first name's places that do (events on a stretch of road are
/// placed at its first end, as "between Boni and Hombori"). Not for a name inside an actor's.
fn road_start(text: &str, found: &[Mention], k: usize, gaz: &Gazetteer) -> Option<Vec<PlaceId>> {
    let (m, next) = (&found[k], found.get(k + 1)?);
    if !matches!(text.get(m.end..next.start)?, "-" | "–" | "—") {
        return None;
    }
    // A road's words around the pair: "Darey-Daye" is a village, "l'axe Boni-Hombori" a road.
    let after = folded_after(text, next.end);
    let road_after = [
        "road", "highway", "axis", "route", "corridor", "stretch", "axe",
    ]
    .iter()
    .any(|w| after.starts_with(w));
    if !names_a_road(&folded_before(text, m.start)) && !road_after {
        return None;
    }
    let town = |c: &PlaceId| gaz.place(*c).kind != PlaceKind::Country;
    let near: Vec<PlaceId> = m
        .candidates
        .iter()
        .copied()
        .filter(|a| {
            town(a)
                && next
                    .candidates
                    .iter()
                    .any(|b| town(b) && km_between(gaz.place(*a), gaz.place(*b)) <= ROAD_KM)
        })
        .collect();
    (!near.is_empty()).then_some(near)
}

/// The first words of a text (up to 40 bytes, on a character boundary).
fn first_words(text: &str) -> &str {
    let mut end = text.len().min(40);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// "near the border with Mali", "à la frontière avec le Niger": the neighbour across the border,
/// not the country where it happened.
fn across_its_border(before: &str) -> bool {
    let b = before.trim_end();
    [
        "border with",
        "frontier with",
        "frontiere avec",
        "frontiere avec le",
        "frontiere avec la",
        "frontiere avec l",
        "frontiere du",
        "frontiere de la",
        "frontiere de l",
        "borders with",
    ]
    .iter()
    .any(|w| b.ends_with(w))
}

/// Whether a country's name is its force's nationality ("Chad army says kills 13 Boko Haram
/// fighters in Nigeria", "Niger troops", "les soldats du Niger"): where the force fought is the
/// other country named.
fn names_its_force(before: &str, after: &str) -> bool {
    const FORCE_OF: &[&str] = &[
        "soldats du",
        "soldats de la",
        "armee du",
        "armee de la",
        "forces du",
        "forces de la",
        "troupes du",
        "militaires du",
        "soldiers of",
        "forces of",
        "troops from",
        "soldiers from",
    ];
    if FORCE_OF.iter().any(|f| before.trim_end().ends_with(f)) {
        return true;
    }
    let mut words = after.split_whitespace();
    let first = words.next().unwrap_or("");
    // "a Niger army post", "the Mali army base": where the force was, so the place.
    let site = matches!(
        words.next().unwrap_or(""),
        "post"
            | "posts"
            | "base"
            | "bases"
            | "camp"
            | "camps"
            | "position"
            | "positions"
            | "barracks"
            | "checkpoint"
            | "convoy"
            | "patrol"
            | "outpost"
    );
    !site
        && matches!(
            first,
            "army"
                | "armies"
                | "troops"
                | "soldiers"
                | "military"
                | "forces"
                | "jets"
                | "warplanes"
                | "helicopters"
                | "gendarmes"
        )
        || after.starts_with("air force")
}

/// Whether a country's name is the subject of a saying or a sending ("Nigeria says it deployed",
/// "France condemns", "le Mali condamne"), rather than where something happened. A country
/// saying something of itself ("Togo says army post attacked") stays where it is.
fn speaks_or_sends(after: &str) -> bool {
    const VERBS: &[&str] = &[
        "condemns",
        "condemned",
        "urges",
        "accuses",
        "blames",
        "sends",
        "sent",
        "deploys",
        "deployed",
        "condamne",
        "accuse",
        "envoie",
        "deploie",
    ];
    const SENT: &[&str] = &[
        "sent", "deployed", "has", "had", "a", "avait", "envoye", "deploye",
    ];
    let mut words = after.split_whitespace();
    let first = words.next().unwrap_or("");
    if VERBS.contains(&first) {
        return true;
    }
    // "Nigeria says it deployed jets", "le Nigeria dit avoir envoyé": a sending told.
    let said = matches!(first, "says" | "said" | "dit" | "affirme");
    let rest: Vec<&str> = words.take(3).collect();
    said && match rest.as_slice() {
        ["it", w, ..] | ["avoir", w, ..] => SENT.contains(w) || w.starts_with("deploy"),
        _ => false,
    }
}

/// Whether a gazetteer match stands as a place name: not inside an actor's name ("Katiba Macina"),
/// not an acronym ("SEMA"), not a dateline, not where something was said, not a route's end
/// (unless `road_start`: the first end of a short stretch of road, see [`road_start`]).
fn stands_as_a_place(text: &str, m: &Mention, actors: &[ActorMention], road_start: bool) -> bool {
    if actors.iter().any(|a| a.start <= m.start && m.end <= a.end) {
        return false;
    }
    let surface = &text[m.start..m.end];
    if surface.chars().filter(|c| c.is_alphabetic()).count() <= 4
        && !surface.chars().any(char::is_lowercase)
    {
        return false;
    }
    if is_a_date(text, m) {
        return false;
    }
    // "the death toll from the Kaduna attack": the name before a noun of violence is its place.
    let before = folded_before(text, m.start);
    if is_dateline(text, m.start, m.end)
        || second_end(&before)
        || (not_where_it_happened(&before)
            && !road_start
            && !before_ends_with_a_distance(&before)
            && !taken_from(text, m.start)
            && !gazetteer::before_event_noun(&folded_after(text, m.end)))
    {
        return false;
    }
    // "the Dakar–Bamako corridor": a route, not a place of events.
    let dash = ['–', '—', '-'];
    let after = &text[m.end..];
    let attributed = after
        .strip_prefix(dash)
        .is_some_and(|rest| attribution(rest.trim()));
    let second_of_a_pair = text[..m.start].ends_with(dash);
    let first_of_a_pair = after.starts_with(dash) && !attributed && !road_start;
    !second_of_a_pair && !first_of_a_pair
}

/// "about 20 km from", "30 kilometres north of": a place measured from the name after.
fn before_ends_with_a_distance(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    let _from = words.next();
    let mut w = words.next();
    if w.is_some_and(|w| {
        matches!(
            w,
            "north"
                | "south"
                | "east"
                | "west"
                | "northeast"
                | "northwest"
                | "southeast"
                | "southwest"
        )
    }) {
        w = words.next();
    }
    w.is_some_and(|w| matches!(w, "km" | "kms" | "kilometres" | "kilometers"))
}

/// "in May 21 attack", "le 3 Mars": a month's name next to a day or a year is a date, whatever
/// village bears the name.
fn is_a_date(text: &str, m: &Mention) -> bool {
    let surface = crate::text::fold(&text[m.start..m.end]);
    if crate::source::dates::month_number(&surface).is_none() {
        return false;
    }
    let figure = |w: Option<&str>| {
        w.is_some_and(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit())
        })
    };
    figure(text[m.end..].split_whitespace().next())
        || figure(text[..m.start].split_whitespace().next_back())
}

/// "…in northeast Nigeria-police", "…-paper", "- Official": a headline's closing credit of who
/// says so (a few words at most, starting with a word for a source).
fn attribution(rest: &str) -> bool {
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| crate::text::fold(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect();
    words.len() <= 4
        && words.first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "police"
                    | "official"
                    | "officials"
                    | "army"
                    | "military"
                    | "source"
                    | "sources"
                    | "witness"
                    | "witnesses"
                    | "residents"
                    | "paper"
                    | "newspaper"
                    | "website"
                    | "report"
                    | "reports"
                    | "media"
                    | "governor"
                    | "ministry"
                    | "spokesman"
                    | "statement"
                    | "agency"
                    | "emergency"
                    | "red"
                    | "un"
                    | "ocha"
                    | "presidency"
                    | "government"
                    | "temoins"
                    | "habitants"
                    | "armee"
                    | "gouvernement"
                    | "autorites"
            )
        })
}

/// "between Boni and Hombori", "entre Boni et Hombori": the second end of a stretch of road;
/// what happened there is placed at the first.
fn second_end(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    matches!(words.next(), Some("and" | "et"))
        && words.take(3).any(|w| matches!(w, "between" | "entre"))
}

/// The places a country's name stands for when it names no country: "Niger community",
/// "Niger LGA" (Nigeria's Niger State, as Nigerian papers write it); "le lac Tchad", "lake Chad"
/// (the lake's shore, which several countries share: the units the gazetteer calls "Lake Chad",
/// the article decides which).
fn unit_named_after_a_country<'g>(
    country: &Place,
    before: &str,
    after: &str,
    gaz: &'g Gazetteer,
) -> Option<&'g [PlaceId]> {
    let unit = match key(&country.name).as_str() {
        "niger" if names_niger_state(after) => "Niger State",
        "chad" if before.ends_with("lac") || before.ends_with("lake") => "Lake Chad",
        _ => return None,
    };
    Some(gaz.lookup(unit)).filter(|places| !places.is_empty())
}

/// "Niger community", "Niger communities", "Niger LGA", "Niger emirate": words Nigerian papers put
/// after their Niger State, never after the country.
fn names_niger_state(after: &str) -> bool {
    let next = after.split_whitespace().next().unwrap_or("");
    matches!(
        next.trim_matches(|c: char| !c.is_alphanumeric()),
        "community" | "communities" | "lga" | "lgas" | "emirate" | "villages" | "village"
    )
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
        && !ends_with_a_unit_word(&text[m.start..m.end])
        && !proper_region(text, m, &first.name, before, after)
        && !french_cardinal_region(text, m, (first, gaz), before, after)
    {
        return None;
    }
    // Continents and world regions are never the place of an event ("a year for democracy in
    // Africa"), whatever village shares their name.
    // Nor is God ("massacred in the name of God"), whatever hamlet is called Allah.
    let name = key(&text[m.start..m.end]);
    if WORLD_REGIONS.contains(&name.as_str()) || DIVINE.contains(&name.as_str()) {
        return None;
    }
    // "Usman Kolo", "Gani Adams": a capitalised word before a name makes it a person's (not in
    // a headline that capitalises every word: "Herdsmen Attack Benue Village").
    if part_of_a_name(text, m.start) && !is_title_case(text) {
        return None;
    }
    // A village nobody counted needs "in", "at", "à", "de"… before it to be taken as a place.
    let locative =
        gazetteer::after_locative(before) || gazetteer::ends_a_headline(text, m.start, m.end);
    let mut candidates = m.candidates.clone();
    candidates.retain(|c| {
        let p = gaz.place(*c);
        p.curated || p.population > 0 || p.kind != PlaceKind::Town || locative
    });
    if candidates.is_empty() {
        return None;
    }
    // "l'État de Kaduna", "Kaduna State", "région de Mopti", "Tingara (Ouallam, Tillabéri)": the
    // unit, not its chief town.
    if admin_context(before, after) || in_parentheses(text, m.start, m.end) {
        // A region before a department of the same name: the wider unit holds the place. But
        // in "(Douentza, Mopti)" the first unit is the district, the last the region.
        let district_first =
            in_parentheses(text, m.start, m.end) && text[m.end..].trim_start().starts_with(',');
        candidates.sort_by_key(|c| match gaz.place(*c).kind {
            PlaceKind::Admin2 if district_first => 0,
            PlaceKind::Admin1 => 1,
            PlaceKind::Admin2 => 2,
            _ => 3,
        });
    }
    Some(candidates)
}

/// "in Plateau", "Plateau's governor", "Plateau villagers", "aux Cascades": a region named by a
/// word that is not a direction, capitalised after a locative, before a possessive or before a
/// word for its people.
fn proper_region(text: &str, m: &Mention, name: &str, before: &str, after: &str) -> bool {
    const NOT_DIRECTIONS: &[&str] = &["plateau", "cascades", "savanes", "littoral", "lac"];
    NOT_DIRECTIONS.contains(&key(name).as_str())
        && text[m.start..].starts_with(char::is_uppercase)
        && (gazetteer::after_locative(before)
            || after.starts_with("s ")
            || gazetteer::ends_a_headline(text, m.start, m.end)
            || gazetteer::heads_a_headline(text, m.start, m.end)
            || gazetteer::before_event_noun(after)
            || gazetteer::before_its_people(after))
}

/// "dans l'Est", "dans le Nord": French writes a cardinal point with a capital where it names a
/// region (and in small letters where it is a direction: "dans le nord du pays"). Not "le Nord
/// du Burkina", a part of the country, nor "le Sahel", the wider belt as often as the region;
/// and only in a report that names the region's country.
fn french_cardinal_region(
    text: &str,
    m: &Mention,
    (region, gaz): (&Place, &Gazetteer),
    before: &str,
    after: &str,
) -> bool {
    const CARDINAL: &[&str] = &["nord", "est", "ouest", "centre"];
    let words: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    let article = matches!(
        words.as_slice(),
        ["le" | "l", "dans" | "vers"] | ["l", "a" | "de"]
    );
    CARDINAL.contains(&key(&region.name).as_str())
        && text[m.start..].starts_with(char::is_uppercase)
        && article
        && !matches!(
            after.split_whitespace().next(),
            Some("du" | "de" | "des" | "d")
        )
        && !after.starts_with("d'")
        && names_the_country(text, gaz, &region.country)
}

/// Whether the text names a country (by the first word of its name: "Burkina").
fn names_the_country(text: &str, gaz: &Gazetteer, code: &str) -> bool {
    gaz.country(code).is_some_and(|c| {
        let first = crate::text::fold(c.name.split_whitespace().next().unwrap_or(""));
        !first.is_empty() && crate::text::fold(text).contains(&first)
    })
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

/// "Plateau State", "Sahel Region": a name whose own spelling says it is a unit.
fn ends_with_a_unit_word(surface: &str) -> bool {
    let folded = crate::text::fold(surface);
    let last = folded.rsplit(' ').next().unwrap_or("");
    matches!(last, "state" | "region" | "province")
}

/// Whether the name at `at` stands in parentheses right after another place (one ending at one
/// of `ends`): "Tingara (Ouallam, Tillabéri)" names the units around Tingara, not places of events.
fn units_of_a_place(text: &str, at: usize, ends: &[usize]) -> bool {
    let Some(open) = text[..at].rfind('(') else {
        return false;
    };
    if text[open..at].contains(')') {
        return false;
    }
    ends.contains(&text[..open].trim_end().len())
}

/// Whether a name stands inside parentheses, where event notes put the units around a place
/// ("Ndiougoury (Bankass, Mopti)").
fn in_parentheses(text: &str, start: usize, end: usize) -> bool {
    let open = text[..start].rfind('(');
    let closed = text[..start].rfind(')');
    let opened = match (open, closed) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    };
    opened
        && text[end..]
            .find(')')
            .is_some_and(|c| !text[end..end + c].contains('('))
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
        "local government area of",
        "commune de",
        "commune of",
        "district of",
        "prefecture of",
    ];
    // "a Tillabéri village", "Kaduna communities": a village in the region, not in its town.
    const AFTER: &[&str] = &[
        "village",
        "communit",
        "state",
        "region",
        "province",
        "department",
        "cercle",
        "lga",
        "local government",
        "commune",
        "district",
        "prefecture",
        "departement",
    ];
    BEFORE.iter().any(|w| before.ends_with(w))
        || AFTER.iter().any(|w| after.starts_with(w))
        || unit_with_adjective(before)
}

/// "la région malienne de Mopti", "l'État nigérian de Zamfara", "la province burkinabè du
/// Soum": a unit word, a national adjective, then "de".
fn unit_with_adjective(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    matches!(words.next(), Some("de" | "du" | "d"))
        && words.nth(1).is_some_and(|w| {
            matches!(
                w,
                "region" | "province" | "etat" | "departement" | "cercle" | "prefecture"
            )
        })
}

/// Continents and world regions, keyed: never a place of events.
/// Names of God and the prophets, which villages also bear.
const DIVINE: &[&str] = &["god", "allah", "jesus", "christ", "dieu"];

const WORLD_REGIONS: &[&str] = &[
    "africa",
    "afrique",
    "europe",
    "asia",
    "asie",
    "america",
    "amerique",
    "americas",
    "middleeast",
    "moyenorient",
    "oceania",
    "oceanie",
    "westafrica",
    "afriquedelouest",
];

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
    to_the_road_end_named_elsewhere(read, gaz);
    let weight = country_weights(read, gaz);
    let top = weight
        .iter()
        .max_by_key(|(c, w)| (**w, std::cmp::Reverse(*c)))
        .map(|(c, w)| (c.clone(), *w));
    for s in read.iter_mut() {
        let mut places: Vec<(usize, PlaceId)> = Vec::new();
        // Units that only say where the name before them is ("Tudun Wada in Kajuru LGA").
        let mut fitted_units: Vec<usize> = Vec::new();
        for (i, (at, end, cands)) in s.mentions.iter().enumerate() {
            let mut unit = None;
            let cands = match fit_in_unit(s, i, gaz) {
                Fit::Free => cands.clone(),
                Fit::Within(within) => {
                    unit = s.mentions.get(i + 1).map(|(unit, _, _)| *unit);
                    within
                }
                Fit::Unknown => {
                    s.villages.push((*at, s.text[*at..*end].to_string()));
                    continue;
                }
            };
            // Where the name's likeliest sense is a region, namesake regions go by where
            // violence is likelier; a capital town (Gao) stays ahead of its region.
            let regional = gaz.place(cands[0]).kind == PlaceKind::Admin1;
            // Namesake villages, none of them counted big: the one where violence is (Boni on
            // the Douentza road, not Boni in the Tuy).
            let villages = cands.iter().all(|c| is_small(gaz.place(*c)));
            let best = cands
                .iter()
                .enumerate()
                .max_by_key(|(i, c)| {
                    let p = gaz.place(**c);
                    let w = weight.get(&p.country).copied().unwrap_or(0);
                    let region = regional && w == 0 && p.kind == PlaceKind::Admin1;
                    let prior = if region {
                        violence_prior(&p.country)
                    } else {
                        0
                    };
                    let hot = villages && in_a_violent_region(p);
                    (w, prior, hot, std::cmp::Reverse(*i))
                })
                .map(|(_, c)| *c)
                .expect("a mention has candidates");
            // A small village abroad that shares a name with a village here is the village the
            // article names, unknown to the gazetteer: keep its name, not the namesake's country.
            let p = gaz.place(best);
            // So is a name that is only another spelling of a town abroad ("Kaja" for Kaya).
            let spelling = key(&s.text[*at..*end]) != key(&p.name);
            let namesake = top.as_ref().is_some_and(|(cc, w)| {
                p.country != *cc
                    && weight.get(&p.country).copied().unwrap_or(0) < *w
                    && (is_small(p) || spelling)
            });
            if namesake {
                s.villages.push((*at, s.text[*at..*end].to_string()));
            } else {
                places.push((*at, best));
                fitted_units.extend(unit);
            }
        }
        // "Shiroro, Niger State": the state only says where Shiroro is; so do the units in
        // parentheses after a place ("Tingara (Ouallam, Tillabéri)").
        let all = places.clone();
        // (After a village the gazetteer lacks, the units stay: they say where the village is.)
        let ends: Vec<usize> = s
            .mentions
            .iter()
            .filter(|(at, _, _)| all.iter().any(|(p, _)| p == at))
            .map(|(_, end, _)| *end)
            .collect();
        places.retain(|(at, id)| {
            !all.iter()
                .any(|(_, other)| other != id && holds(gaz, gaz.place(*id), gaz.place(*other)))
                && !units_of_a_place(&s.text, *at, &ends)
                && !fitted_units.contains(at)
        });
        s.places = places;
    }
}

/// How a place name fits the unit the text puts it in ("Tudun Wada in Kajuru, Kaduna State",
/// "Kaiga, Lac province", "at Gidan Bawa near Shinkafi").
enum Fit {
    /// The text puts it in no known unit.
    Free,
    /// Its namesakes that lie in that unit.
    Within(Vec<PlaceId>),
    /// None of its namesakes lies there: a village the gazetteer lacks.
    Unknown,
}

fn fit_in_unit(s: &Sentence, i: usize, gaz: &Gazetteer) -> Fit {
    let (_, end, cands) = &s.mentions[i];
    let Some((at, _, units)) = s.mentions.get(i + 1) else {
        return Fit::Free;
    };
    let gap = &s.text[*end..*at];
    let Some(comma) = joins_a_unit(gap) else {
        return Fit::Free;
    };
    // "Ngouboua (Kaya department, Lac province)": a unit none of whose namesakes lies in the
    // wider unit named after it is one the gazetteer lacks (Chad's Kaya, not Burkina's); the
    // name fits in the wider unit.
    let units = match s.mentions.get(i + 2) {
        Some((outer_at, _, outer)) if outside_its_unit(s, i + 1, (*outer_at, outer), gaz) => outer,
        _ => units,
    };
    // After "in" any sense of the name may be meant; after a comma (a list, perhaps) only its
    // likeliest one (namesakes come most prominent first).
    let finest = if comma {
        gaz.place(cands[0]).kind.precision()
    } else {
        let precision = |c: &PlaceId| gaz.place(*c).kind.precision();
        cands.iter().map(precision).min().unwrap_or(3)
    };
    // "Djibo, Arbinda and Gorom-Gorom", "in Adamawa, Benue": lists. After a comma only a
    // region places a name; a unit places only what is finer than itself.
    // "Gorouol near Téra": near the town, not anywhere in the department of its name.
    let said = gap.trim_start_matches([',', ' ']);
    // "Boulounga, un village situé à 15 km de Djibo": near the town, by the distance given.
    let stated_km = km_from(gap);
    let near = said.starts_with("near")
        || said.starts_with("près")
        || said.starts_with("pres")
        || stated_km.is_some();
    let units: Vec<&Place> = units
        .iter()
        .map(|u| gaz.place(*u))
        // "Tudun Wada in Kajuru": a village in the area of a town.
        .filter(|u| u.kind.precision() > finest || (!comma && u.kind == PlaceKind::Town))
        .filter(|u| !comma || u.kind == PlaceKind::Admin1)
        .filter(|u| !near || u.kind == PlaceKind::Town)
        .collect();
    if units.is_empty() {
        return Fit::Free;
    }
    // Those the unit holds by name first (in their order), then the nearest: "Tudun Wada in
    // Kajuru" is the one 36 km from Kajuru, not one 105 km away (a Nigerian LGA is small).
    let mut within: Vec<(f64, PlaceId)> = cands
        .iter()
        .filter_map(|c| {
            let p = gaz.place(*c);
            units
                .iter()
                .filter(|u| match stated_km {
                    Some(km) => p.country == u.country && km_between(p, u) <= km + 20.0,
                    None => lies_in(p, u),
                })
                .map(|u| {
                    if contains(u, p) {
                        0.0
                    } else {
                        km_between(p, u)
                    }
                })
                .min_by(f64::total_cmp)
                .map(|d| (d, *c))
        })
        .collect();
    within.sort_by(|a, b| a.0.total_cmp(&b.0));
    if !within.is_empty() {
        Fit::Within(within.into_iter().map(|(_, c)| c).collect())
    } else if !comma || cands.iter().all(|c| is_small(gaz.place(*c))) {
        Fit::Unknown
    } else {
        Fit::Free
    }
}

/// Whether the unit name at mention `k` is followed, after a comma, by a wider unit (a region,
/// state or province) that holds none of its namesakes.
fn outside_its_unit(
    s: &Sentence,
    k: usize,
    (outer_at, outer): (usize, &[PlaceId]),
    gaz: &Gazetteer,
) -> bool {
    let (_, end, cands) = &s.mentions[k];
    joins_a_unit(&s.text[*end..outer_at]) == Some(true)
        && outer
            .iter()
            .all(|o| gaz.place(*o).kind == PlaceKind::Admin1)
        && !cands
            .iter()
            .any(|c| outer.iter().any(|o| lies_in(gaz.place(*c), gaz.place(*o))))
}

/// Whether the words between two names put the first in the second (", ", " in ", " (", " near
/// ", " dans la commune de "...); `Some(true)` when only a comma or a parenthesis does.
fn joins_a_unit(gap: &str) -> Option<bool> {
    if gap.len() > 60 || gap.contains(['.', ';', ')']) {
        return None;
    }
    if unknown_unit_between(gap) || km_from(gap).is_some() {
        return Some(false);
    }
    let mut words: Vec<&str> = gap
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(')
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| w.starts_with(char::is_uppercase)) {
        return None;
    }
    // "Ungwan Gaiya, a community in Kauru", "Kiki, un village de la commune de…": the
    // apposition names what the place is.
    if words.len() > 1 && matches!(words[0], "a" | "an" | "un" | "une") {
        words.remove(0);
    }
    // "Koulikoro village (Bourem, Gao)", "Kuru town in Jos South": the place word is the name's.
    if words.first().is_some_and(|w| {
        matches!(
            *w,
            "village" | "town" | "community" | "locality" | "area" | "localite" | "localité"
        )
    }) {
        words.remove(0);
    }
    // "Kaya department, Lac province": the unit word is the name's.
    if words.first().is_some_and(|w| gazetteer::is_unit_word(w)) {
        words.remove(0);
    }
    let first = words.first().map(|w| w.to_lowercase());
    match first.as_deref() {
        None if gap.contains('(') => Some(false),
        None => gap.contains(',').then_some(true),
        Some("in" | "near" | "dans" | "près" | "of" | "de" | "du" | "outside") => Some(false),
        _ => None,
    }
}

/// ", a village about 20 km from ", ", un village situé à une quinzaine de kilomètres de ",
/// ", some 30 km north of ": how far the place before lies from the one after, in km.
fn km_from(gap: &str) -> Option<f64> {
    static KM: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let caps = KM
        .get_or_init(|| {
            regex::Regex::new(
                r"^\s*,?\s*(?:(?:a|an|un|une)\s+)?(?:(?:village|town|community|hamlet|locality|settlement|localit[eé]|hameau)\s+)?(?:(?:situated|located|lying|situ[eé]e?)\s+)?(?:(?:about|some|around|roughly|nearly|approximately|environ)\s+)?(?:(?:à|a)\s+)?(?:(?:environ|quelque|une|un)\s+)?(\d{1,3}|(?:dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine)(?:\s+de)?)\s*(?:km|kms|kilometres|kilometers|kilomètres)\s+(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|au nord|au sud|à l'est|a l'est|à l'ouest|a l'ouest)\s+)?(?:of|from|de|du|d')\s*$",
            )
            .expect("a valid pattern")
        })
        .captures(gap)?;
    let n = caps[1].trim_end_matches(" de").trim_end();
    n.parse().ok().or(match n {
        "dizaine" => Some(10.0),
        "quinzaine" => Some(15.0),
        "vingtaine" => Some(20.0),
        "trentaine" => Some(30.0),
        "quarantaine" => Some(40.0),
        _ => Some(50.0),
    })
}

/// " village in Tsafe LGA of ", " in the Bankass cercle of ": a unit the gazetteer lacks between a
/// place and the wider unit that holds both.
fn unknown_unit_between(gap: &str) -> bool {
    static UNIT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    UNIT.get_or_init(|| {
        regex::Regex::new(
            r"^\s*(?:(?:village|town|community|locality|area),?\s+)?(?:in|of|dans)\s+(?:the\s+|la\s+|le\s+)?(?:\p{Lu}[\w'’-]*\s+){1,3}(?i:lga|local government area|local government|district|commune|cercle|department|departement|province)\s+(?:of|in|de|du)\s*$",
        )
        .expect("a valid pattern")
    })
    .is_match(gap)
}

/// Whether a place lies in a unit: inside it by the gazetteer's admin names, or near enough to
/// it for its size (the gazetteer's admin names of unsurveyed villages are guesses).
fn lies_in(p: &Place, unit: &Place) -> bool {
    if p.country != unit.country {
        return false;
    }
    // Nigeria's state borders have not moved since 1996, so a namesake in another state is not
    // in a state or its LGA ("Yelwata in Guma LGA", "Yelwata, in Benue State" are not
    // Nasarawa's Yelwata, 74 km from Guma); and an LGA is small.
    let lga = unit.country == "NG" && unit.kind == PlaceKind::Admin2;
    let state = unit.country == "NG" && unit.kind == PlaceKind::Admin1;
    if (lga || state) && !p.admin1.is_empty() && key(&p.admin1) != key(&unit.admin1) {
        return false;
    }
    // Sahel districts and regions are wide (Ouallam: 150 km across).
    let reach_km = match unit.kind {
        PlaceKind::Town | PlaceKind::Site => 25.0,
        PlaceKind::Admin2 if lga => 60.0,
        PlaceKind::Zone | PlaceKind::Admin2 => 120.0,
        PlaceKind::Admin1 => 250.0,
        PlaceKind::Country => return true,
    };
    contains(unit, p) || km_between(p, unit) <= reach_km
}

/// Whether a unit holds a finer place (by admin names, or by distance where the gazetteer's
/// admin names lag behind a new region: Inékar is in Ménaka, carved out of Gao).
fn holds(gaz: &Gazetteer, unit: &Place, p: &Place) -> bool {
    if contains(unit, p) {
        return true;
    }
    if unit.kind != PlaceKind::Admin1 || p.kind.precision() >= 3 || p.country != unit.country {
        return false;
    }
    // Nearer the unit's centre than to that of the region the gazetteer gives it.
    let own = gaz
        .lookup(&p.admin1)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|r| r.kind == PlaceKind::Admin1 && r.country == p.country);
    let d = km_between(p, unit);
    d <= 250.0 && own.is_none_or(|own| d < km_between(p, own))
}

/// Great-circle distance between two places.
fn km_between(a: &Place, b: &Place) -> f64 {
    crate::incident::distance_km(a.lat, a.lon, b.lat, b.lon)
}

/// Where a region's name is a region of several countries and the article says nothing of any,
/// the country with more armed violence is likelier ("2 killed in ethnic clash in Plateau": Nigeria's
/// Plateau State, not Benin's Plateau department). Ranks by the region's event counts (ACLED).
fn violence_prior(country: &str) -> u8 {
    const BY_VIOLENCE: &[&str] = &["NG", "BF", "ML", "NE", "TD", "BJ", "TG", "MR"];
    BY_VIOLENCE
        .iter()
        .position(|c| *c == country)
        .map_or(0, |i| (BY_VIOLENCE.len() - i) as u8)
}

/// Whether a place lies in one of the regions where most of each country's armed violence
/// happens (ACLED event counts, 2020-2024).
fn in_a_violent_region(p: &Place) -> bool {
    const REGIONS: &[(&str, &str)] = &[
        ("ML", "Mopti"),
        ("ML", "Ségou"),
        ("ML", "Gao"),
        ("ML", "Ménaka"),
        ("ML", "Tombouctou"),
        ("BF", "Sahel"),
        ("BF", "Est"),
        ("BF", "Centre-Nord"),
        ("BF", "Nord"),
        ("BF", "Boucle du Mouhoun"),
        ("NE", "Tillabéri"),
        ("NE", "Diffa"),
        ("NE", "Tahoua"),
        ("NG", "Borno"),
        ("NG", "Zamfara"),
        ("NG", "Kaduna"),
        ("NG", "Katsina"),
        ("NG", "Benue"),
        ("NG", "Plateau"),
        ("NG", "Niger"),
        ("NG", "Sokoto"),
        ("TD", "Lac"),
    ];
    REGIONS
        .iter()
        .any(|(c, r)| p.country == *c && p.admin1 == *r)
}

/// How much the article says it is about each country: countries and demonyms named weigh 3,
/// a name that means places of one country only 2 (a region, a district, a known town) or 1 (a
/// small village, which may be a namesake of one the gazetteer lacks).
fn country_weights(read: &[Sentence], gaz: &Gazetteer) -> HashMap<String, usize> {
    let mut weight: HashMap<String, usize> = Default::default();
    for s in read {
        for c in &s.countries {
            *weight.entry(c.clone()).or_default() += 3;
        }
        // A national force (FAMa, FAN) or a group that fights in one country only (Boko Haram,
        // Katiba Macina) weighs as a town of it.
        for a in &s.actors {
            let home = a
                .actor
                .country
                .or_else(|| super::actors::home_country(a.actor.name));
            if let Some(c) = home {
                *weight.entry(c.to_string()).or_default() += 2;
            }
        }
        for (_, _, cands) in &s.mentions {
            let first = gaz.place(cands[0]);
            if cands.iter().all(|c| gaz.place(*c).country == first.country) {
                *weight.entry(first.country.clone()).or_default() +=
                    if is_small(first) { 1 } else { 2 };
            }
        }
    }
    weight
}

/// A village nobody curated, of fewer than 5,000 people (or uncounted).
fn is_small(p: &Place) -> bool {
    p.kind == PlaceKind::Town && !p.curated && p.population < 5000
}

/// Names of villages the gazetteer lacks, as the text gives them: "the village of Waaka",
/// "Kwata village", "in Ntillit (Gao, Gao)", "le village de Tin".
pub(super) fn village_names(text: &str, mentions: &[PlaceMention]) -> Vec<(usize, String)> {
    use regex::Regex;
    use std::sync::OnceLock;
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let name = r"\p{Lu}[\p{L}'’-]+(?:[ -]\p{Lu}[\p{L}'’-]+){0,2}";
        Regex::new(&format!(
            r"(?:village|hamlet|settlement|community|locality|localité|hameau|quartier|neighbourhood|district) (?:of|de|d'|du) (?P<a>{name})|(?P<b>{name}) (?:village|community|hamlet)(?:[^\w]|$)|(?:in|at|near|à|dans|près de) (?P<c>{name}) \((?:[^()]{{2,60}})\)|(?:in|at|near|outside|à|près de) (?P<d>{name})(?:,| in| of| dans| de)(?: the| la| le| l'| du| (?:a|an|un) (?:village|community|town|settlement|localité) (?:in|of|de|dans)(?: the| la| le| l')?)? (?P<known>\p{{Lu}})|(?P<e>{name}), (?:a|an|un|une) (?:small |remote |petit )?(?:village|hamlet|settlement|community|locality|localité|hameau)(?:[^\w]|$)|(?:residents|villagers|inhabitants|habitants|villageois) (?:of|de|d'|du) (?P<f>{name})"
        ))
        .expect("village pattern compiles")
    });
    // (After "village" the pattern takes the next character, not a word boundary `\b`: the
    // same matches, since no match starts with a character outside a word, but a Unicode `\b`
    // makes the regex engine's fast DFA give up on text with accents.)
    // Branches a to c, e and f need one of these words or a parenthesis; a name in d counts only before
    // a place already found. Most sentences have neither, and the Unicode pattern is slow to run
    // over text with accents.
    const NEEDED: &[&str] = &[
        "(",
        "village",
        "hamlet",
        "settlement",
        "community",
        "localit",
        "hameau",
        "quartier",
        "neighbourhood",
        "district",
        "residents of",
        "villagers of",
        "inhabitants of",
        "habitants de",
        "habitants d'",
        "habitants du",
        "villageois de",
        "villageois du",
    ];
    if mentions.is_empty() && !NEEDED.iter().any(|w| text.contains(w)) {
        return Vec::new();
    }
    // In "Nine Killed in Fresh Communal Clash in Benue" every word is capitalised.
    let title_case = is_title_case(text);
    re.captures_iter(text)
        .filter_map(|c| {
            // "at Koualou in Kalalé commune", "near Kufana, Kajuru": an unknown name right
            // before a known place that says where it is.
            if let (Some(d), Some(k)) = (c.name("d"), c.name("known")) {
                let placed = mentions.iter().any(|(at, _, _)| *at == k.start());
                let named = placed && !title_case && !is_calendar_word(d.as_str());
                return named.then_some(d);
            }
            c.name("a")
                .or_else(|| c.name("b"))
                .or_else(|| c.name("c"))
                .or_else(|| c.name("e"))
                .or_else(|| c.name("f"))
        })
        .filter(|m| {
            !mentions
                .iter()
                .any(|(at, end, _)| *at < m.end() && m.start() < *end)
        })
        .filter(|m| super::actors::find(m.as_str()).is_empty())
        .filter(|m| !names_no_village(m.as_str()))
        .map(|m| (m.start(), m.as_str().to_string()))
        .collect()
}

/// "attack on Nigerian village", "NE Nigeria village", "Northern village", "in the Name of God":
/// a country, its people, a direction or a common word before "village" names no village.
fn names_no_village(name: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "north",
        "northern",
        "northeast",
        "northeastern",
        "northwest",
        "northwestern",
        "south",
        "southern",
        "southeast",
        "southeastern",
        "southwest",
        "southwestern",
        "east",
        "eastern",
        "west",
        "western",
        "central",
        "ne",
        "nw",
        "se",
        "sw",
        "remote",
        "border",
        "nearby",
        "another",
        "neighbouring",
        "neighboring",
        "local",
        "rural",
        "farming",
        "fishing",
        "christian",
        "muslim",
        "fulani",
        "god",
        "allah",
        "read",
        "son",
        "same",
        "fresh",
        "new",
        "nord",
        "sud",
        "est",
        "ouest",
        "centre",
    ];
    let folded = crate::text::fold(name);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| NOT_NAMES.contains(&w))
        || !adjective_countries(&folded).is_empty()
        || COUNTRY_NAMES.contains(&crate::text::key(name).as_str())
}

/// Countries of the region by their keyed English and French names.
const COUNTRY_NAMES: &[&str] = &[
    "nigeria",
    "niger",
    "mali",
    "burkinafaso",
    "burkina",
    "chad",
    "tchad",
    "benin",
    "togo",
    "ghana",
    "cameroon",
    "cameroun",
    "mauritania",
    "mauritanie",
    "senegal",
    "guinea",
    "guinee",
    "ivorycoast",
    "cotedivoire",
    "algeria",
    "algerie",
    "libya",
    "libye",
    "gambia",
    "gambie",
];

/// Whether a text capitalises its words like a headline ("Nine Killed in Fresh Communal Clash"):
/// most words of four letters or more start with a capital.
fn is_title_case(text: &str) -> bool {
    let long: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .collect();
    let capitalised = long
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    long.len() >= 3 && capitalised * 10 >= long.len() * 7
}

/// Month and weekday names, which stand after "in" and before a place without being one ("in
/// April in Gao", "on Friday at Djibo").
fn is_calendar_word(word: &str) -> bool {
    super::when::is_calendar_word(&key(word))
}

/// "BAMAKO (Reuters) -", "Niamey (AFP) -", "Lomé, 5 juin (AFP) -", "ABUJA, Nigeria —": the place a
/// story was filed from, at the very start of a paragraph.
fn is_dateline(text: &str, start: usize, end: usize) -> bool {
    if !text[..start].trim().is_empty() {
        return false;
    }
    let rest = &text[end..];
    let head: String = rest.chars().take(40).collect();
    // "Plateau - Nine feared killed", "Taraba — Death toll hits 31": a title-case name that a
    // dash alone follows is the topic of a headline, not where a reporter filed from.
    let surface = &text[start..end];
    let capitals = !surface.chars().any(char::is_lowercase);
    let dash_only = !head.contains('(') && !head.trim_start().starts_with(',');
    if dash_only && !capitals {
        return false;
    }
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
        "Lake",
        "Lac",
        "Mount",
        "Mont",
        "Port",
        "Saint",
        "Sainte",
        "Fort",
        "North",
        "South",
        "East",
        "West",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "Upper",
        "Lower",
        "Greater",
        "Grand",
        "Petit",
        "Haut",
        "Bas",
        "New",
        "Old",
        "Nord",
        "Sud",
        "Est",
        "Ouest",
        "Centre",
        "Mali",
        "Niger",
        "Nigeria",
        "Burkina",
        "Faso",
        "Chad",
        "Tchad",
        "Benin",
        "Bénin",
        "Nigerian",
        "Malian",
        "Nigerien",
        "Burkinabe",
        "Burkinabè",
        "Chadian",
        "Beninese",
        "Togolese",
        "Ghanaian",
        "Ivorian",
        "Mauritanian",
        "Cameroonian",
        "Senegalese",
        "Guinean",
        "Northeastern",
        "Northwestern",
        "Southeastern",
        "Southwestern",
        "North-eastern",
        "North-western",
        "South-eastern",
        "South-western",
        "Malien",
        "Malienne",
        "Nigérien",
        "Burkinabé",
        "Tchadien",
        "Béninois",
        "Togolais",
        "Togo",
        "In",
        "At",
        "Near",
        "From",
        "Outside",
        "Dans",
        "Près",
        "Vers",
        "Depuis",
        "Au",
        "Aux",
        "The",
        "Le",
        "La",
        "Les",
        "Des",
        "De",
        "Du",
        "À",
        "A",
        "Of",
        "And",
        "Et",
        "Or",
        "Ou",
        "Between",
        "Entre",
        "On",
        "Sur",
        "To",
        "Road",
        "Route",
        "Axe",
        "Camp",
        "Village",
        "Town",
        "Ville",
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
        "correspondents in",
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

/// "abducted from Sokoto state", "abduct 17 pupils from a school in Kebbi": where people were
/// taken from is where it happened (an abduction verb at most four words before "from").
fn taken_from(text: &str, start: usize) -> bool {
    static TAKEN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let taken = TAKEN.get_or_init(|| {
        regex::Regex::new(
            r"(?:abduct|kidnap|seiz|snatch|took|taken|carried)\w*(?: [\w']+){0,4} from\s*$",
        )
        .expect("a valid pattern")
    });
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    taken.is_match(&crate::text::fold(&text[from..start]))
}

fn folded_after(text: &str, end: usize) -> String {
    let rest = text[end..].trim_start_matches([' ', '\'', '’', '-']);
    let to = rest.char_indices().nth(24).map_or(rest.len(), |(i, _)| i);
    crate::text::fold(&rest[..to])
}

fn folded_before(text: &str, start: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(24)
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

/// Whether the article tells of events in a country outside West Africa and the Sahel ("in
/// eastern DR Congo", "Syria's Homs", "au Soudan") and names no country of the region: then
/// a West African village that shares a name is no incident.
pub(super) fn elsewhere(read: &[Sentence]) -> bool {
    // The cheap test first: most articles name a country of the region.
    let in_scope = read
        .iter()
        .any(|s| s.countries.iter().any(|c| IN_SCOPE.contains(&c.as_str())));
    !in_scope && read.iter().any(|s| foreign_event_place(&s.folded))
}

/// Countries sitrep watches: West Africa, the Sahel and Lake Chad.
const IN_SCOPE: &[&str] = &[
    "ML", "BF", "NE", "NG", "TD", "MR", "SN", "BJ", "TG", "CI", "GH", "GN", "GM", "GW", "SL", "LR",
    "CV", "CM",
];

fn foreign_event_place(folded: &str) -> bool {
    use regex::Regex;
    use std::sync::OnceLock;
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let countries = "dr congo|drc|democratic republic of (?:the )?congo|congo|syria|sudan|south sudan|ukraine|russia|gaza|israel|lebanon|iraq|iran|afghanistan|pakistan|india|bangladesh|myanmar|somalia|ethiopia|kenya|uganda|mozambique|libya|yemen|turkey|bolivia|mexico|colombia|haiti|philippines|indonesia|morocco|egypt|algeria|tunisia|central african republic|car|south africa|the us|the united states|france|germany|britain|the uk|japan|china|guatemala|honduras|el salvador|nicaragua|venezuela|ecuador|peru|brazil|argentina|chile|cuba|jamaica|canada|spain|italy|greece|poland|thailand|vietnam|nepal|sri lanka|malaysia|saudi arabia|jordan|burundi|rwanda|tanzania|zambia|zimbabwe|angola|madagascar|malawi|eritrea|djibouti|papua new guinea|new zealand|australia";
        let fr = "au soudan|en syrie|en ukraine|en rdc|au congo|en rd congo|a gaza|en israel|au liban|en irak|en iran|en afghanistan|au pakistan|en inde|en somalie|en ethiopie|au kenya|au mozambique|en libye|au yemen|en turquie|au maroc|en egypte|en algerie|en centrafrique|en tunisie|au guatemala|au mexique|au bresil|au perou|en colombie|au venezuela|en haiti|en equateur|en bolivie|en argentine|au chili|en inde|en chine|au japon|en birmanie|aux philippines|en indonesie|au burundi|au rwanda|en tanzanie|en angola|a madagascar|en espagne|en italie|en grece";
        let demonyms = "congolese|syrian|sudanese|ukrainian|russian|israeli|lebanese|iraqi|iranian|afghan|pakistani|indian|somali|ethiopian|kenyan|ugandan|mozambican|libyan|yemeni|turkish|mexican|haitian|egyptian|palestinian|moroccan|algerian|guatemalan|brazilian|peruvian|colombian|venezuelan|burundian|rwandan|tanzanian";
        // A headline about a country after its colon ("Tragedy: Canada…"), or one that begins
        // with the country that suffered ("Mexico mourns…"; "France rules out…" is an actor,
        // anywhere); not the names that are also common words or people's names.
        let subjects = countries
            .split('|')
            .filter(|c| !["car", "jordan"].contains(c))
            .collect::<Vec<_>>()
            .join("|");
        let pattern = format!(
            r"\b(?:in|at|near|across|from) (?:the )?(?:(?:north|south|east|west)(?:ern|-eastern|-western|eastern|western)? |central )?(?:{countries})\b|\b(?:{countries})'s\b|: (?:{subjects})\b|^(?:{subjects}) (?:rocked|shaken|stunned|reels|reeling|mourns|grieves|in shock|on edge)\b|\b(?:{fr})\b|\b(?:{demonyms}) (?:city|town|village|capital|region|province|army|forces|soldiers|police|rebels|militia)\b"
        );
        // Without its word boundaries the pattern matches wherever it does (and more), and
        // runs in the regex engine's fast DFA on any text, where a Unicode `\b` makes it give
        // up on text with accents or quotes: the exact pattern runs only where it finds one.
        [pattern.replace(r"\b", ""), pattern]
            .map(|p| Regex::new(&p).expect("foreign places pattern compiles"))
    });
    re[0].is_match(folded) && re[1].is_match(folded)
}

/// "The capital", "la capitale", "the presidency": a sentence with no place of its own that
/// names the capital is placed in the capital of the country the article is about.
pub(super) fn place_capital(read: &mut [Sentence], gaz: &Gazetteer, countries: &[String]) {
    // Only where the article names no place at all: beside a named town, "the capital" is where
    // officials spoke or troops came from.
    if read.iter().any(|s| !s.places.is_empty()) {
        return;
    }
    let Some(capital) = countries.first().and_then(|cc| capital_of(gaz, cc)) else {
        return;
    };
    for s in read.iter_mut().filter(|s| s.is_event()) {
        if let Some(at) = capital_mention(&s.folded) {
            // Places stand at offsets of the sentence's own text, not of its folded form.
            let at = crate::text::Folded::new(&s.text).original(at);
            s.places.push((at, capital));
        }
    }
}

fn capital_mention(folded: &str) -> Option<usize> {
    use regex::Regex;
    use std::sync::OnceLock;
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[^a-z])(?:the |its |la |sa |in |a )?(?:(?:malian|nigerien|nigerian|burkinabe|chadian|beninese|togolese|mauritanian|guinean|senegalese|ivorian|ghanaian) )?(?:capital|capitale)\b(?: city)?(?: (?:of|de|d'))?|\bthe presidency\b|presidential palace|palais presidentiel|\bla presidence\b")
            .expect("capital pattern compiles")
    });
    re.find_iter(folded)
        .find(|m| {
            let text = m.as_str();
            let before = folded.get(..m.start() + 1).unwrap_or("");
            // "the capital of Kebbi state" is a state's; "the capital of Burkina Faso" the nation's.
            let of = text.ends_with("of") || text.ends_with("de") || text.ends_with("d'");
            (!of || names_a_country(&folded[m.end()..]))
                && ![
                    "regional",
                    "state",
                    "provincial",
                    "regionale",
                    "administrative",
                ]
                .iter()
                .any(|w| before.trim_end().ends_with(w))
        })
        .map(|m| m.start())
}

/// Whether a folded text starts with a country's name ("burkina faso", "mali", "niger" but not
/// "niger state").
fn names_a_country(after: &str) -> bool {
    let words: Vec<&str> = after
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let one = words.first().copied().unwrap_or("");
    let two = words.get(..2).map(|w| w.concat()).unwrap_or_default();
    let state = words.get(1).is_some_and(|w| *w == "state");
    (COUNTRY_NAMES.contains(&one) && !state) || COUNTRY_NAMES.contains(&two.as_str())
}

/// The national capital of a country in the gazetteer.
fn capital_of(gaz: &Gazetteer, cc: &str) -> Option<PlaceId> {
    gaz.capital(cc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn a_village_before_its_word_is_read_at_the_end_and_beside_accents() {
        let names = |t: &str| village_names(t, &[]);
        assert_eq!(
            names("Gunmen attacked Kwata village"),
            [(16, "Kwata".into())]
        );
        assert_eq!(
            names("Gunmen attacked Kwata village, killing three"),
            [(16, "Kwata".into())]
        );
        // Text with accents, where the pattern once fell back to the slow engines.
        assert_eq!(
            names("Des hommes armés ont attaqué Kwata village à l'aube"),
            [(31, "Kwata".into())]
        );
        assert!(names("Kwata villages were attacked").is_empty());
        assert!(names("Kwata villageé").is_empty());
    }

    #[test]
    fn foreign_places_with_quotes_and_accents_are_read_whole_words() {
        assert!(foreign_event_place(&fold(
            "Clashes in eastern DR Congo « killed » 12 people, officials said"
        )));
        assert!(foreign_event_place(&fold(
            "Des combats au Soudan ont fait « 40 morts »"
        )));
        // "in car" begins "in cars": no country there.
        assert!(!foreign_event_place(&fold(
            "Gunmen in cars « opened fire » near Gao"
        )));
        assert!(!foreign_event_place(&fold("Attaque près de Ménaka")));
    }
}
