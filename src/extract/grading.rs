//! Grading: one candidate incident to a report: its actors and perpetrator, the evidence behind
//! it (claims, statements, sourcing), its toll, severity bumps, date, target and summary.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::Extracted;
use super::actors::{self, ActorMention, Hint, Side, UNIDENTIFIED};
use super::events::{KindFacts, decide_kind};
use super::gazetteer::{Gazetteer, Place, PlaceId, PlaceKind};
use super::grouping::Candidate;
use super::lexicon::Cue;
use super::numbers::{Counted, DeathSide, Figure};
use super::sentences::Sentence;
use super::when::DateMention;
use crate::incident::{Evidence, Report, Story};
use crate::model::{BySide, DatePrecision, Fatalities, Kind, SourceRef, TargetClass};

/// What every incident of one article shares.
pub(super) struct ArticleFacts<'a> {
    pub read: &'a [Sentence],
    pub gaz: &'a Gazetteer,
    /// Countries the article is about, most mentioned first.
    pub countries: &'a [String],
    pub pub_day: NaiveDate,
    pub source: &'a SourceRef,
    /// Independence family of the article (its wire's, else its outlet's).
    pub family: &'a str,
    pub wire: Option<String>,
    pub seen: DateTime<Utc>,
}

/// The actors named in an incident's sentences, by side.
struct Named<'a> {
    nonstate: Vec<&'static str>,
    state: Vec<&'static str>,
    /// The most telling vague mention ("al-Qaeda-linked gunmen" over "gunmen").
    vague: Option<&'a ActorMention>,
}

impl<'a> Named<'a> {
    fn in_sentences(sents: &[&'a Sentence]) -> Named<'a> {
        let mentions: Vec<&ActorMention> = sents.iter().flat_map(|s| s.actors.iter()).collect();
        let of_side = |side: Side| {
            dedup(
                mentions
                    .iter()
                    .filter(|m| m.actor.side == side)
                    .map(|m| m.actor.name),
            )
        };
        Named {
            nonstate: of_side(Side::NonState),
            state: of_side(Side::State),
            vague: mentions
                .iter()
                .filter(|m| m.actor.side == Side::Unidentified)
                .max_by_key(|m| (m.hint != Hint::None, std::cmp::Reverse(m.start)))
                .copied(),
        }
    }
}

/// The report one candidate incident makes, or `None` when it is not violence (no armed actor,
/// toll, specific cue or security forces) or has no country.
pub(super) fn build(cand: &Candidate, art: &ArticleFacts) -> Option<Extracted> {
    let place = cand.place.map(|id| art.gaz.place(id));
    let sents: Vec<&Sentence> = cand.sentences.iter().map(|&i| &art.read[i]).collect();
    // Last, a national force names its country ("Burkina Faso's army killed…"), or a group
    // that fights in one country only ("Boko Haram kills 42").
    let force_country = || {
        let mentions = || sents.iter().flat_map(|s| s.actors.iter());
        mentions()
            .find_map(|m| m.actor.country)
            .or_else(|| mentions().find_map(|m| actors::home_country(m.actor.name)))
            .map(str::to_string)
    };
    let country = place
        .map(|p| p.country.clone())
        .or_else(|| cand.country.clone())
        .or_else(|| art.countries.first().cloned())
        .or_else(force_country)?;
    let ev_sents: Vec<&Sentence> = cand
        .evidence_sentences
        .iter()
        .map(|&i| &art.read[i])
        .collect();
    let named = Named::in_sentences(&sents);
    let deaths: Vec<&Figure> = cand
        .figures
        .iter()
        .filter(|f| f.counted == Counted::Deaths)
        .collect();
    let mut facts = kind_facts(place, &named, &sents, &deaths);
    facts.outside = cand.place.is_some_and(|id| only_near(&sents, id));
    let kind = decide_kind(cand, &facts)?;
    let communal = sents.iter().any(|s| s.context.communal);
    // "Fulani kill Tiv farmers": killing named civilians is violence whoever did it.
    let on_civilians = sents
        .iter()
        .any(|s| s.context.civilians && tells_a_killing(&s.folded));
    // "Deadly attacks rock Kaduna", "Fresh attack on Agatu", "Gunmen storm a village": the
    // words themselves say people were killed or a place was attacked.
    let told_violence = sents.iter().any(|s| s.context.deadly);
    if !is_violence(
        cand,
        &named,
        &deaths,
        facts.military || communal || on_civilians || told_violence,
    ) && !matches!(kind, Kind::Unrest | Kind::Political)
    {
        return None;
    }
    let perpetrator = perpetrator(kind, &named, (&sents, &ev_sents), &country, place);
    // The country's own forces: what its state says of their action is their claim. A foreign
    // force's strike confirmed by the host state (or admitted by its own) is confirmed.
    let perp_is_state = perpetrator
        .as_deref()
        .and_then(actors::by_name)
        .is_some_and(|a| a.side == Side::State && a.country.is_some_and(|c| c == country));
    let state_side = perp_is_state || facts.militant_toll;
    let mut evidence = evidence(
        &ev_sents,
        perpetrator.as_deref(),
        state_side,
        &country,
        art.wire.clone(),
    );
    let abducted = cand
        .figures
        .iter()
        .filter(|f| f.counted == Counted::Abducted)
        .filter_map(|f| Some((f.fatalities.best?, f.fatalities.approx)))
        .max();
    evidence.abducted = abducted.map(|(n, _)| n);
    evidence.abducted_floor = abducted.is_some_and(|(_, floor)| floor);
    let fatalities = toll(&deaths, &mut evidence);
    let bumps = bumps(place, &sents);
    evidence.bumps = bumps.iter().map(|b| b.to_string()).collect();
    // Date: the incident's first date phrase, else the publication day.
    // A multi-day event told as a span ("from Thursday to Saturday") is dated by its first day.
    let span = cand.sentences.iter().find_map(|&i| {
        let s = &art.read[i];
        super::when::span_in(&s.folded, &s.dates, art.pub_day)
    });
    let stated = stated_date(cand, art.pub_day);
    let (date, date_precision) =
        stated.map_or((art.pub_day, DatePrecision::Day), |d| (d.date, d.precision));
    let undated = stated.is_none() && span.is_none();
    let date = span.map_or(date, |(start, _)| start);
    let target = target_class(kind, facts.civilians, facts.military, &bumps);
    let actors = actor_list(perpetrator.as_deref(), &named, target, &country);
    // A village the gazetteer lacks keeps its name, with the unit around it for where it is.
    let precision = place.map_or(3, |p| p.kind.precision());
    let (place_name, geo_precision) = match village(cand, art.read, place) {
        Some(v) => (Some(v), precision.max(2)),
        None => (place.map(|p| p.name.clone()), precision),
    };
    let summary = summary(
        kind,
        place_name.as_deref(),
        &country,
        art.gaz,
        perpetrator.as_deref(),
        fatalities.as_ref(),
        &evidence.claimed_by,
    );
    let story = story_of(cand, art, &named, perpetrator.as_deref(), undated);
    let report = Report {
        source: art.source.clone(),
        family: art.family.to_string(),
        kind,
        place: place_name,
        admin1: place.and_then(admin1_of),
        lat: place.map(|p| p.lat),
        lon: place.map(|p| p.lon),
        geo_precision,
        date,
        date_end: span.map(|(_, end)| end),
        date_precision,
        actors,
        perpetrator,
        target,
        fatalities,
        summary,
        evidence,
        story,
        seen: art.seen,
    };
    Some(Extracted { country, report })
}

/// The story a report tells: its sentences' telling words, with the armed actors it names and
/// the one it blames (the lede of a multi-incident article would blur its incidents; its history
/// sentences would add old stories).
fn story_of(
    cand: &Candidate,
    art: &ArticleFacts,
    named: &Named,
    perp: Option<&str>,
    undated: bool,
) -> Story {
    let folded: Vec<&str> = cand
        .sentences
        .iter()
        .take(3)
        .map(|&i| art.read[i].folded.as_str())
        .collect();
    let mut actors: Vec<&str> = named.nonstate.iter().chain(&named.state).copied().collect();
    actors.extend(perp.filter(|p| *p != UNIDENTIFIED));
    super::story::story(&folded, &actors, undated)
}

/// What the kind depends on besides cue words: who is named, who was hit, what was targeted.
fn kind_facts<'a>(
    place: Option<&'a Place>,
    named: &Named,
    sents: &[&Sentence],
    deaths: &[&Figure],
) -> KindFacts<'a> {
    let military = sents.iter().any(|s| s.context.military);
    let named_sides = named.nonstate.len() + named.state.len();
    let most = |counted: Counted| {
        sents
            .iter()
            .flat_map(|s| &s.figures)
            .filter(|f| f.counted == counted && !f.part)
            .filter_map(|f| f.fatalities.best)
            .max()
            .unwrap_or(0)
    };
    KindFacts {
        place,
        armed: !named.nonstate.is_empty() || named.vague.is_some(),
        two_sides: named_sides >= 2 || (!named.nonstate.is_empty() && military),
        military,
        civilians: sents.iter().any(|s| s.context.civilians),
        deaths: !deaths.is_empty(),
        civilian_toll: deaths.iter().any(|f| f.side == Some(DeathSide::Civilians)),
        militant_toll: !deaths.is_empty()
            && deaths.iter().all(|f| f.side == Some(DeathSide::Militants)),
        position: sents.iter().any(|s| s.context.position),
        coordinated: sents.iter().any(|s| s.context.coordinated),
        abducted_more: most(Counted::Abducted) > most(Counted::Deaths),
        killing: sents.iter().any(|s| tells_a_killing(&s.folded)),
        outside: false,
        communal: sents.iter().any(|s| s.context.communal),
    }
}

/// The incident's first date phrase on or before publication; a week or a month ("this week")
/// gives way to a day inside it that the incident's sentences also give ("on Wednesday").
fn stated_date(cand: &Candidate, pub_day: NaiveDate) -> Option<&DateMention> {
    let mut dates = cand
        .dates
        .iter()
        .chain(cand.fallback_dates.iter())
        .filter(|d| d.date <= pub_day);
    let first = dates.next()?;
    let reach = match first.precision {
        DatePrecision::Day => return Some(first),
        DatePrecision::Week => 6,
        DatePrecision::Month => 30,
    };
    let inside = |d: &&DateMention| {
        d.precision == DatePrecision::Day && (0..=reach).contains(&(d.date - first.date).num_days())
    };
    Some(dates.find(inside).unwrap_or(first))
}

/// The name of a village the gazetteer lacks that the incident's sentences give, when the place
/// found is only the district, region or country around it, or a town the text names after it
/// ("Ndiaye (Bankass, Mopti)", "the village of Waaka near Ouallam").
fn village(cand: &Candidate, read: &[Sentence], place: Option<&Place>) -> Option<String> {
    cand.sentences
        .iter()
        .chain(cand.evidence_sentences.iter())
        .find_map(|&i| {
            let s = &read[i];
            s.villages
                .iter()
                .find(|(at, name)| match place {
                    Some(p) if p.kind == PlaceKind::Town => {
                        *name != p.name && s.places.iter().any(|(pat, _)| pat > at)
                    }
                    _ => true,
                })
                .map(|(_, name)| name.clone())
        })
}

/// Whether every sentence that names the place puts the event near it, not in it ("near Gao",
/// "outside Djibo", "à 20 km de Kaya", "près de Tillabéri").
fn only_near(sents: &[&Sentence], place: PlaceId) -> bool {
    const NEAR: &[&str] = &[
        "near",
        "outside",
        "around",
        "close to",
        "km from",
        "kilometres from",
        "miles from",
        "pres de",
        "non loin de",
        "aux environs de",
        "a proximite de",
        "km de",
        "kilometres de",
        "a la sortie de",
    ];
    let mut named = sents
        .iter()
        .flat_map(|s| s.places.iter().map(move |(at, id)| (s, *at, *id)))
        .filter(|(_, _, id)| *id == place)
        .peekable();
    named.peek().is_some()
        && named.all(|(s, at, _)| {
            // (A capital found by its title is placed at an offset of the folded text.)
            let Some(before) = s.text.get(..at) else {
                return false;
            };
            let before = crate::text::fold(before);
            let before = before.trim_end();
            NEAR.iter().any(|w| before.ends_with(w))
        })
}

/// Whether a folded sentence has a verb of killing ("kill", "killed", "tuent").
fn tells_a_killing(folded: &str) -> bool {
    folded.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        matches!(
            w,
            "kill" | "kills" | "killed" | "killing" | "slaughtered" | "tue" | "tuent" | "tues"
        )
    })
}

/// Violence needs an armed actor, a toll, a specific cue, security forces or group violence
/// named by its kind ("cult clash") in the text.
fn is_violence(cand: &Candidate, named: &Named, deaths: &[&Figure], military: bool) -> bool {
    let specific_cue = cand.cues.iter().any(
        |(_, c)| matches!(c, Cue::Kind(k) if !matches!(k, Kind::Clash | Kind::Unrest | Kind::Political)),
    );
    !named.nonstate.is_empty()
        || named.vague.is_some()
        || !named.state.is_empty()
        || !deaths.is_empty()
        || specific_cue
        || military
}

/// The region a place lies in (a region is its own).
fn admin1_of(p: &Place) -> Option<String> {
    (!p.admin1.is_empty())
        .then(|| p.admin1.clone())
        .or_else(|| (p.kind == PlaceKind::Admin1).then(|| p.name.clone()))
}

/// Who did it: a group named in the event's sentences, else one the story blames elsewhere
/// ("police blamed Boko Haram"), else what the vague wording suggests.
/// Who did it; `read` is the incident's sentences and its evidence sentences.
fn perpetrator(
    kind: Kind,
    named: &Named,
    read: (&[&Sentence], &[&Sentence]),
    country: &str,
    place: Option<&Place>,
) -> Option<String> {
    let (sents, ev_sents) = read;
    let blamed: Option<&'static str> = ev_sents
        .iter()
        .flat_map(|s| s.actors.iter())
        .find(|m| m.actor.side == Side::NonState)
        .map(|m| m.actor.name);
    match kind {
        Kind::Unrest | Kind::Political => None,
        Kind::Airstrike | Kind::TerritoryRetaken => named
            .state
            .first()
            .copied()
            .or_else(|| (kind == Kind::Airstrike && us_strike(sents)).then_some("US military"))
            .or_else(|| national_force(country))
            .map(str::to_string),
        // Killings of civilians laid at the door of soldiers or militias (Dozos, FAMa and their
        // Russian partners): the state side is the perpetrator.
        Kind::CivilianAttack if named.nonstate.is_empty() && !named.state.is_empty() => {
            Some(named.state[0].to_string())
        }
        _ => named
            .nonstate
            .first()
            .copied()
            .or(blamed)
            .map(str::to_string)
            .or_else(|| {
                named
                    .vague
                    .map(|m| hinted(m.hint, country, place.map(|p| p.admin1.as_str())).to_string())
            })
            // Someone took the pupils or attacked the village, though nobody names them. A clash
            // or shelling may be between forces only, and a mine may be an old one.
            .or_else(|| {
                let attacker = !matches!(kind, Kind::Clash | Kind::Shelling | Kind::Ied);
                attacker.then(|| UNIDENTIFIED.to_string())
            }),
    }
}

/// Whether the sentences give an air strike to the United States ("US strikes", "bombed by
/// US", "Trump says US launched strikes"), which no alias names alone: "us" is also a pronoun.
fn us_strike(sents: &[&Sentence]) -> bool {
    static US: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let us = US.get_or_init(|| {
        regex::Regex::new(
            r"\b(?:us|u\.s\.|american|trump)(?:'s)? (?:\w+ ){0,3}(?:air ?strikes?|strikes?|bombs?|missiles?|launched|military|jets?|drones?)\b|(?:bombed|strikes?|carried out) by (?:the )?(?:us|u\.s\.|united states|americans?)\b",
        )
        .expect("a valid pattern")
    });
    sents.iter().any(|s| us.is_match(&s.folded))
}

/// Claims, statements and sourcing in the incident's evidence sentences.
/// `state_side`: the state did it, or says it killed militants: what it says is its claim.
fn evidence(
    ev_sents: &[&Sentence],
    perpetrator: Option<&str>,
    state_side: bool,
    country: &str,
    wire: Option<String>,
) -> Evidence {
    let mut claimed_by: Vec<String> = Vec::new();
    let mut evidence = Evidence {
        wire,
        ..Default::default()
    };
    // A state statement (for claims and acknowledgements), one that is not hearsay, and whether
    // the article says official confirmation is still awaited.
    let mut state_spoke = false;
    let mut state_confirms = false;
    let mut pending = false;
    let perp_is_state = state_side;
    for s in ev_sents {
        let e = s.evidence;
        if e.claim {
            let claimant = s
                .actors
                .iter()
                .filter(|m| m.actor.side == Side::NonState)
                .map(|m| m.actor.name.to_string())
                .next()
                .or_else(|| {
                    perpetrator
                        .map(str::to_string)
                        .filter(|p| p != UNIDENTIFIED)
                });
            if let Some(c) = claimant
                && !claimed_by.contains(&c)
            {
                claimed_by.push(c);
            }
        }
        if e.state_statement && !e.confirmation_pending {
            state_spoke = true;
            state_confirms |= !e.rumour;
        }
        pending |= e.confirmation_pending;
        // A state speaking of what its own forces did makes a claim, not a confirmation.
        evidence.official |= e.official && !e.rumour && !(perp_is_state && e.state_statement);
        evidence.reported |= e.reported;
        // An outlet's reporting backed by a local official's word ("outlet + named official",
        // domain.md §2.3): acknowledged, short of a government's confirmation.
        evidence.acknowledged |= e.local_official && !perp_is_state && !e.rumour;
        evidence.rumour |= e.rumour;
        evidence.denied |= e.denial;
    }
    if state_spoke {
        if perp_is_state {
            let state = perpetrator
                .filter(|p| actors::by_name(p).is_some_and(|a| a.side == Side::State))
                .or_else(|| national_force(country));
            if let Some(p) = state
                && !claimed_by.iter().any(|c| c == p)
            {
                claimed_by.push(p.to_string());
            }
        } else {
            // A state's statement about an attack on its forces or on civilians confirms that
            // it happened (domain.md §2.3); its count of enemy dead stays its claim (see `toll`).
            evidence.acknowledged = true;
            evidence.official |= state_confirms && !pending;
        }
    }
    if claimed_by.is_empty() && !state_spoke && !evidence.rumour {
        // The outlet states the event as fact: its own reporting.
        evidence.reported = true;
    }
    evidence.claimed_by = claimed_by;
    evidence
}

/// The toll: a revision if there is one, else every death the reports give on all sides (the
/// largest figure of each side, added up, when that is more than the largest single figure),
/// with the split by side. A state's count of enemy dead stays its claim, never confirmed.
fn toll(deaths: &[&Figure], evidence: &mut Evidence) -> Option<Fatalities> {
    let rank = |f: &&&Figure| {
        (
            f.fatalities.best.is_some(),
            f.fatalities.best.or(f.fatalities.high).unwrap_or(0),
        )
    };
    evidence.toll_update = deaths.iter().any(|f| f.update);
    let revised = deaths.iter().filter(|f| f.update).max_by_key(rank);
    let mut toll = revised
        .or_else(|| deaths.iter().max_by_key(rank))?
        .fatalities;
    let mut by_side = BySide::default();
    let mut approx = false;
    // Parts of a total count for their side where no whole figure gives it ("30 people,
    // including 12 soldiers": forces 12).
    let whole_side = |side| {
        deaths
            .iter()
            .any(|f| !f.part && !f.update && f.side == side)
    };
    let counted = deaths
        .iter()
        .filter(|f| !f.update && (!f.part || (f.side.is_some() && !whole_side(f.side))));
    // Items of one list add up on their side ("three soldiers and two policemen"); figures
    // elsewhere may tell the same dead again, so the largest stands.
    let mut listed: BTreeMap<(usize, DeathSide), (u32, bool)> = BTreeMap::new();
    let mut single: Vec<(DeathSide, u32, bool)> = Vec::new();
    for f in counted {
        let (Some(side), Some(n)) = (f.side, f.fatalities.best) else {
            continue;
        };
        match f.list {
            Some(list) => {
                let sum = listed.entry((list, side)).or_insert((0, false));
                sum.0 += n;
                sum.1 |= f.fatalities.approx;
            }
            None => single.push((side, n, f.fatalities.approx)),
        }
    }
    let each = listed
        .into_iter()
        .map(|((_, side), (n, est))| (side, n, est));
    for (side, n, est) in single.into_iter().chain(each) {
        let slot = match side {
            DeathSide::Forces => &mut by_side.forces,
            DeathSide::Civilians => &mut by_side.civilians,
            DeathSide::Militants => &mut by_side.militants,
        };
        if slot.is_none_or(|m| n > m) {
            *slot = Some(n);
            approx |= est;
        }
    }
    let total = by_side.total();
    if revised.is_none() && total > toll.best.unwrap_or(0) {
        toll = Fatalities {
            low: Some(total),
            best: Some(total),
            approx,
            ..Default::default()
        };
    }
    let enemy_only =
        by_side.militants.is_some() && by_side.forces.is_none() && by_side.civilians.is_none();
    evidence.toll_official = evidence.official && !enemy_only;
    Some(Fatalities {
        confirmed: evidence.toll_official,
        by_side,
        ..toll
    })
}

/// Severity bumps from the place and the text (domain.md §3.2).
fn bumps(place: Option<&Place>, sents: &[&Sentence]) -> BTreeSet<&'static str> {
    let mut bumps = BTreeSet::new();
    if let Some(p) = place {
        let flags = [
            (p.flags.national_capital, "capital"),
            (
                p.flags.admin1_capital || p.flags.admin2_capital,
                "admin_capital",
            ),
            (p.flags.unesco, "unesco"),
            (p.flags.airport, "airport"),
        ];
        bumps.extend(flags.iter().filter(|(on, _)| *on).map(|(_, b)| *b));
    }
    for c in sents.iter().map(|s| &s.context) {
        let cues = [
            (c.coordinated, "coordinated"),
            (c.airport, "airport"),
            (c.foreigners, "foreigners"),
            (c.aid_workers, "aid_workers"),
        ];
        bumps.extend(cues.iter().filter(|(on, _)| *on).map(|(_, b)| *b));
    }
    bumps
}

/// Who was targeted.
fn target_class(
    kind: Kind,
    civilians: bool,
    military: bool,
    bumps: &BTreeSet<&str>,
) -> Option<TargetClass> {
    if kind == Kind::CivilianAttack || (civilians && !military) {
        Some(TargetClass::Civilians)
    } else if bumps.contains("aid_workers") {
        Some(TargetClass::AidWorkers)
    } else if bumps.contains("foreigners") {
        Some(TargetClass::Foreigners)
    } else if military || kind == Kind::BaseOverrun {
        Some(TargetClass::Military)
    } else {
        None
    }
}

/// The incident's actors: the perpetrator first, the named parties, the country's army when
/// its forces were the target and no force of that country is named, and civilians.
fn actor_list(
    perpetrator: Option<&str>,
    named: &Named,
    target: Option<TargetClass>,
    country: &str,
) -> Vec<String> {
    let mut list: Vec<String> = perpetrator.map(str::to_string).into_iter().collect();
    for a in named.nonstate.iter().chain(named.state.iter()) {
        if !list.iter().any(|x| x == a) {
            list.push(a.to_string());
        }
    }
    let perp_is_state = perpetrator
        .and_then(actors::by_name)
        .is_some_and(|a| a.side == Side::State);
    if target == Some(TargetClass::Military)
        && !perp_is_state
        && named
            .state
            .iter()
            .all(|s| actors::by_name(s).and_then(|a| a.country) != Some(country))
        && let Some(force) = national_force(country)
        && !list.iter().any(|x| x == force)
    {
        list.insert(list.len().min(1), force.to_string());
    }
    if target == Some(TargetClass::Civilians) && !list.iter().any(|a| a == "civilians") {
        list.push("civilians".to_string());
    }
    list
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
