//! Grouping: event sentences into candidate incidents by the place each event cue points at
//! ("an attack on Timbuktu"); sentences without a place join the incident they refer to ("the
//! Sunday attack", "the camp") or the one being told; a headline's incident joins the body's.

use super::gazetteer::{Gazetteer, Place, PlaceId};
use super::lexicon::Cue;
use super::numbers::Figure;
use super::places::contains;
use super::sentences::Sentence;
use super::when::DateMention;
use crate::model::Kind;
use crate::text::key;

/// A group of sentences about one incident.
#[derive(Debug, Default, Clone)]
pub(super) struct Candidate {
    pub place: Option<PlaceId>,
    pub country: Option<String>,
    pub sentences: Vec<usize>,
    /// Event cues with the sentence they came from.
    pub cues: Vec<(usize, Cue)>,
    pub dates: Vec<DateMention>,
    /// Dates of a sentence before the incident's own ("This week in Ménaka and Gao…"): used only
    /// when the incident has none.
    pub fallback_dates: Vec<DateMention>,
    pub figures: Vec<Figure>,
    /// Sentences whose evidence (claims, statements, sources) belongs to this incident.
    pub evidence_sentences: Vec<usize>,
}

impl Candidate {
    pub fn has_base_cue(&self) -> bool {
        self.cues
            .iter()
            .any(|(_, c)| *c == Cue::Kind(Kind::BaseOverrun))
    }
}

#[derive(Default)]
pub(super) struct Segmenter {
    cands: Vec<Candidate>,
    focus: Option<usize>,
    /// Dates of the latest sentence that had no incident to go to ("Residents heard gunfire on
    /// Monday." before "JNIM claimed the attack."): a new incident without a date takes them.
    pending_dates: Vec<DateMention>,
}

/// How far (bytes) an event cue looks for its place.
const CUE_REACH: usize = 90;

impl Segmenter {
    /// Adds one sentence: evidence to the incident it names or refers to; an event to the
    /// incident at each place its cues point at, or to the incident being told.
    pub fn sentence(&mut self, i: usize, s: &Sentence, gaz: &Gazetteer, countries: &[String]) {
        if !s.is_event() {
            self.evidence(i, s, gaz);
        } else if s.places.is_empty() {
            self.unplaced_event(i, s, countries);
        } else {
            self.placed_event(i, s, gaz);
        }
    }

    /// Evidence without an event cue: to the incident whose place it names, or by reference.
    fn evidence(&mut self, i: usize, s: &Sentence, gaz: &Gazetteer) {
        let target = s
            .places
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
    }

    /// An event sentence that names no place: the incident it refers to, the one being told, or
    /// a new one in the sentence's (or the article's) country.
    fn unplaced_event(&mut self, i: usize, s: &Sentence, countries: &[String]) {
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
    }

    /// An event sentence with places: each cue goes to the place right after it ("attack on
    /// X"), else the nearest before; dates and tolls go to the nearest cue.
    fn placed_event(&mut self, i: usize, s: &Sentence, gaz: &Gazetteer) {
        let anchored = anchors(s);
        let n_anchors = anchored.len();
        for (place, cues, cue_at) in anchored {
            let target = self
                .find_place(place, gaz)
                .unwrap_or_else(|| self.place_candidate(place, gaz));
            let c = &mut self.cands[target];
            if c.dates.is_empty() && s.dates.is_empty() {
                c.fallback_dates = self.pending_dates.clone();
            }
            c.sentences.push(i);
            c.evidence_sentences.push(i);
            c.cues.extend(cues.into_iter().map(|k| (i, k)));
            // With several places in one sentence, dates and tolls go to the nearest cue.
            let near = |at: usize| n_anchors == 1 || at.abs_diff(cue_at) <= CUE_REACH;
            let mut dates: Vec<DateMention> =
                s.dates.iter().filter(|d| near(d.at)).copied().collect();
            dates.sort_by_key(|d| d.at.abs_diff(cue_at));
            c.dates.extend(dates);
            // A toll goes to one place only: the one its nearest cue points at ("killed five in
            // Tsafe, while … seven were killed in Faskari").
            c.figures.extend(
                s.figures
                    .iter()
                    .filter(|f| near(f.at) && (n_anchors == 1 || nearest_anchor(s, f.at) == place))
                    .copied(),
            );
            self.focus = Some(target);
        }
    }

    /// A candidate for a place no incident has yet: an unplaced one of its country takes it, or a
    /// new one.
    fn place_candidate(&mut self, place: PlaceId, gaz: &Gazetteer) -> usize {
        let country = gaz.place(place).country.clone();
        match self
            .cands
            .iter()
            .position(|c| c.place.is_none() && c.country.as_ref().is_none_or(|cc| *cc == country))
        {
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
    }

    /// The incident at this place, or at a unit that contains it or that it contains; a finer
    /// place replaces a coarser one ("Niger State" then "Shiroro").
    fn find_place(&mut self, place: PlaceId, gaz: &Gazetteer) -> Option<usize> {
        let p = gaz.place(place);
        let same = |q: &Place| {
            q == p || (q.country == p.country && q.kind == p.kind && key(&q.name) == key(&p.name))
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
    /// the place the article is about), and a headline's incident into the body's account of it
    /// (`headline`: the first sentence is a title; a note without one starts with its body).
    pub fn finish(
        mut self,
        gaz: &Gazetteer,
        countries: &[String],
        article_place: Option<PlaceId>,
        headline: bool,
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
        let headline_only = |c: &Candidate| headline && c.sentences == [0];
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

/// The place the cue nearest to byte `at` points at (see [`anchors`]).
fn nearest_anchor(s: &Sentence, at: usize) -> PlaceId {
    let cue = s.cues.iter().min_by_key(|c| c.at.abs_diff(at));
    match cue {
        Some(c) => anchor_of(&s.places, c.at),
        None => s.places[0].1,
    }
}

/// The place a cue at byte `at` points at: the place right after it ("attack on X"), else the
/// nearest before.
fn anchor_of(places: &[(usize, PlaceId)], at: usize) -> PlaceId {
    places
        .iter()
        .filter(|(p, _)| *p >= at && *p - at <= CUE_REACH)
        .min_by_key(|(p, _)| *p - at)
        .or_else(|| {
            places
                .iter()
                .filter(|(p, _)| *p < at)
                .max_by_key(|(p, _)| *p)
        })
        .or_else(|| places.first())
        .map(|(_, id)| *id)
        .expect("a place")
}

/// A place of a sentence with the cues that point at it and where its first cue stands.
type Anchor = (PlaceId, Vec<Cue>, usize);

/// Each cue of a sentence with places points at the place right after it ("attack on X"), else
/// the nearest before; a toll with no cue word belongs to the sentence's first place.
fn anchors(s: &Sentence) -> Vec<Anchor> {
    let places = &s.places;
    let mut anchored: Vec<Anchor> = Vec::new();
    for cue in &s.cues {
        let p = anchor_of(places, cue.at);
        match anchored.iter_mut().find(|(q, _, _)| *q == p) {
            Some((_, cues, _)) => cues.push(cue.kind),
            None => anchored.push((p, vec![cue.kind], cue.at)),
        }
    }
    if anchored.is_empty() {
        anchored.push((
            places[0].1,
            Vec::new(),
            s.figures.first().map_or(0, |f| f.at),
        ));
    }
    anchored
}
