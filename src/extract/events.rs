//! Events: what kind of incident a group of sentences tells (the headline and lede decide, the
//! rest refines), and totals that are not one incident (aggregates).

use super::gazetteer::{Gazetteer, Place, PlaceKind};
use super::grouping::Candidate;
use super::lexicon::{self, Cue};
use super::numbers::Counted;
use super::sentences::Sentence;
use crate::model::{Aggregate, Kind};

/// What the kind of an incident depends on besides its cue words.
pub(super) struct KindFacts<'a> {
    pub place: Option<&'a Place>,
    /// An armed actor is named or described.
    pub armed: bool,
    /// Two armed parties are named (a fight, not a massacre).
    pub two_sides: bool,
    pub military: bool,
    pub civilians: bool,
    pub deaths: bool,
    /// The toll is of civilians ("44 civilians killed", "des villageois tués").
    pub civilian_toll: bool,
    /// Every death counted is a militant's ("troops killed 12 insurgents").
    pub militant_toll: bool,
    /// A military position is the target (post, camp, checkpoint, convoy, patrol).
    pub position: bool,
    pub coordinated: bool,
    /// Group violence named by its kind: a communal, ethnic or farmer-herder clash.
    pub communal: bool,
    /// More people were taken than killed ("a teacher killed and 25 girls abducted").
    pub abducted_more: bool,
    /// A verb of killing, with or without a figure ("killing and kidnapping worshippers").
    pub killing: bool,
    /// The text puts the event near its place, not in it ("near Gao").
    pub outside: bool,
}

/// The kind of an incident. The headline and lede decide first (reporters put the event there);
/// the rest of the story only refines a generic reading.
pub(super) fn decide_kind(cand: &Candidate, facts: &KindFacts) -> Option<Kind> {
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
    // Unrest is alerted where it happens (a town), or when people die or security forces step in;
    // a country-wide mention of protests or an election is not an incident.
    if has(Kind::Unrest) && !f.armed {
        let town = f.place.is_some_and(|p| p.kind == PlaceKind::Town);
        return (f.deaths || f.military || town).then_some(Kind::Unrest);
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
    // People taken on a road or in a raid: the taking is the event, unless more were killed.
    if has(Kind::Abduction) && f.abducted_more {
        return Some(Kind::Abduction);
    }
    for k in [Kind::Ambush, Kind::Ied, Kind::Airstrike, Kind::Shelling] {
        if has(k) {
            return Some(k);
        }
    }
    // "Clashes between herders and farmers left 6 dead": a fight between groups.
    if has(Kind::Clash) && f.communal && !f.civilian_toll {
        return Some(Kind::Clash);
    }
    let only_civilians = f.civilians && !f.military;
    if f.civilian_toll || (has(Kind::CivilianAttack) && !f.two_sides) {
        return Some(Kind::CivilianAttack);
    }
    if has(Kind::Abduction) && !f.deaths && !f.killing {
        return Some(Kind::Abduction);
    }
    // A one-sided killing: armed men kill people and nobody fights back.
    if f.deaths && f.armed && !f.military && !f.two_sides && !f.militant_toll && !has(Kind::Clash) {
        return Some(Kind::CivilianAttack);
    }
    let city = f.place.is_some_and(|p| {
        p.kind == PlaceKind::Town && (p.flags.national_capital || p.flags.admin1_capital)
    });
    // An attack on a city needs attackers: police shooting suspects in Kano is not one, nor
    // troops killing militants near Djibo (only militants died: the state's operation).
    if city
        && !f.outside
        && attack
        && f.armed
        && !only_civilians
        && !(f.militant_toll && f.military)
        && (f.coordinated || !f.position)
    {
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

pub(super) fn aggregate(s: &Sentence, gaz: &Gazetteer) -> Option<Aggregate> {
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
