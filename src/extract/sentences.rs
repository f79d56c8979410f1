//! Sentences: the article cut into sentences (datelines off), each read once for places, actors,
//! event cues, evidence, tolls and dates, and marked when it is a total, history or background
//! rather than an event.

use chrono::NaiveDate;

use super::actors::{self, ActorMention};
use super::gazetteer::{Gazetteer, PlaceId};
use super::lexicon::{self, NotEvent};
use super::numbers::{self, Counted, Figure};
use super::places;
use super::when::{self, DateMention};

/// One sentence, read once.
pub(super) struct Sentence {
    pub text: String,
    pub folded: String,
    /// Place names found, with every place of that name.
    pub mentions: Vec<places::PlaceMention>,
    /// Names of villages the gazetteer lacks (or shares with a namesake abroad), with where
    /// they stand: the place an incident keeps when only its district or region is known.
    pub villages: Vec<(usize, String)>,
    /// The place each mention was resolved to (see [`places::resolve`]).
    pub places: Vec<(usize, PlaceId)>,
    pub countries: Vec<String>,
    pub actors: Vec<ActorMention>,
    pub cues: Vec<lexicon::KindCue>,
    pub figures: Vec<Figure>,
    pub dates: Vec<DateMention>,
    pub evidence: lexicon::SentenceEvidence,
    pub context: lexicon::Context,
    pub not_event: Option<NotEvent>,
}

impl Sentence {
    pub fn read(text: &str, pub_day: NaiveDate, gaz: &Gazetteer) -> Sentence {
        let folded = crate::text::Folded::new(text);
        let actors = actors::find_in(text, &folded);
        let (mentions, mut countries) = places::mentions(text, &folded, &actors, gaz);
        let folded = folded.text;
        let villages = places::village_names(text, &mentions);
        countries.extend(places::adjective_countries(&folded));
        let figures = numbers::figures(&folded);
        let dates = when::dates(&folded, pub_day);
        let not_event = not_event(&folded, &actors, &figures, &dates, pub_day);
        Sentence {
            cues: lexicon::kind_cues(&folded),
            evidence: lexicon::evidence(&folded),
            context: lexicon::context(&folded),
            text: text.to_string(),
            folded,
            mentions,
            villages,
            places: Vec::new(),
            countries,
            actors,
            figures,
            dates,
            not_event,
        }
    }

    pub fn is_event(&self) -> bool {
        !self.cues.is_empty() || self.figures.iter().any(|f| f.counted == Counted::Deaths)
    }
}

/// "The same day, …", "le même jour", "that same night": a sentence dated by the one before it
/// takes that sentence's dates.
pub fn carry_same_day(read: &mut [Sentence]) {
    const SAME_DAY: &[&str] = &[
        "same day",
        "same night",
        "same evening",
        "same morning",
        "meme jour",
        "meme nuit",
        "meme soir",
        "meme matinee",
        "ce jour-la",
        "cette nuit-la",
    ];
    let mut last: Option<Vec<when::DateMention>> = None;
    for s in read.iter_mut() {
        if s.dates.is_empty() {
            let at = SAME_DAY.iter().find_map(|p| s.folded.find(p));
            if let (Some(at), Some(dates)) = (at, &last) {
                s.dates = dates
                    .iter()
                    .map(|d| when::DateMention { at, ..*d })
                    .collect();
            }
        }
        if !s.dates.is_empty() {
            last = Some(s.dates.clone());
        }
    }
}

/// Whether a sentence is a total, history or background rather than an event, and which.
fn not_event(
    folded: &str,
    actors: &[ActorMention],
    figures: &[Figure],
    dates: &[DateMention],
    pub_day: NaiveDate,
) -> Option<NotEvent> {
    let mut not_event = lexicon::not_event(folded);
    if not_event.is_none() && lexicon::is_disaster(folded) && actors.is_empty() {
        not_event = Some(NotEvent::Background);
    }
    let has_recent_date = dates.iter().any(|d| (pub_day - d.date).num_days() <= 31);
    let past_year = past_year(folded, pub_day);
    if not_event == Some(NotEvent::Aggregate) {
        // A period phrase makes a total only with a figure or events in the plural ("attacks",
        // "les enlèvements se sont multipliés").
        const PLURAL_EVENTS: &[&str] = &[
            "attacks",
            "attaques",
            "abductions",
            "kidnappings",
            "killings",
            "enlevements",
            "tueries",
            "incursions",
        ];
        let total = figures.iter().any(|f| f.counted == Counted::Deaths)
            || PLURAL_EVENTS.iter().any(|w| folded.contains(w));
        if !total {
            not_event = if has_recent_date {
                None
            } else {
                lexicon::not_event_besides_period(&folded.replace("this year", ""))
            };
        }
    }
    if not_event.is_none() && past_year && !has_recent_date {
        not_event = Some(NotEvent::History);
    }
    if not_event == Some(NotEvent::History) && has_recent_date && !past_year {
        not_event = None;
    }
    not_event
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
    if out.iter().any(|s| s.len() > MAX_SENTENCE_BYTES) {
        out = out.into_iter().flat_map(cap_length).collect();
    }
    out
}

/// The longest sentence read as one, in bytes. No sentence of news comes near it; a run-on
/// "sentence" of a megabyte (no stop in it) does, and reading a sentence looks at its other
/// mentions for each mention (a place inside an actor's name, say), which grows with the square
/// of its length.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// A sentence cut into pieces of at most [`MAX_SENTENCE_BYTES`], at the last space of each
/// piece when there is one in its second half (else at a character boundary).
fn cap_length(sentence: String) -> Vec<String> {
    if sentence.len() <= MAX_SENTENCE_BYTES {
        return vec![sentence];
    }
    let mut pieces = Vec::new();
    let mut rest = sentence.as_str();
    while rest.len() > MAX_SENTENCE_BYTES {
        let mut end = MAX_SENTENCE_BYTES;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(space) = rest[..end].rfind(char::is_whitespace)
            && space >= MAX_SENTENCE_BYTES / 2
        {
            end = space;
        }
        pieces.push(rest[..end].trim().to_string());
        rest = rest[end..].trim_start();
    }
    pieces.push(rest.trim().to_string());
    pieces.retain(|p| p.chars().any(char::is_alphanumeric));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_on_sentence_is_cut_at_spaces_into_bounded_pieces() {
        let body = "Gunmen killed soldiers near Boulkessi and ".repeat(25_000);
        let pieces = split_sentences(&body);
        assert!(pieces.len() > 400, "{} pieces", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        // Every word is kept, in order.
        assert_eq!(pieces.join(" "), body.trim());
    }

    #[test]
    fn a_run_on_without_spaces_is_cut_at_character_boundaries() {
        let body = "é".repeat(600_000);
        let pieces = split_sentences(&body);
        assert!(pieces.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(pieces.concat(), body);
    }

    #[test]
    fn sentences_of_news_are_not_cut() {
        let long = format!(
            "Gunmen attacked {} on Monday.",
            "the village of Boni, ".repeat(50)
        );
        assert!(long.len() < MAX_SENTENCE_BYTES);
        assert_eq!(split_sentences(&long), vec![long.clone()]);
    }
}
