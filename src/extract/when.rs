//! When an event happened, from English and French date phrases resolved against the publication
//! date (domain.md §7.2): weekdays ("on Sunday", "dimanche dernier"), nights ("dans la nuit de
//! samedi à dimanche" is the Saturday), "yesterday"/"hier"/"avant-hier", explicit dates ("on 12
//! March", "le 12 mars 2025", "March 12"), and weeks ("earlier this week", "la semaine dernière").
//! A resolved date is never after the publication date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::numbers::{bare, tokens};
use crate::model::DatePrecision;
use crate::source::dates::month_number;

/// A date phrase in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub date: NaiveDate,
    pub precision: DatePrecision,
    /// Byte offset in the folded sentence.
    pub at: usize,
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" | "lundi" => Weekday::Mon,
        "tuesday" | "mardi" => Weekday::Tue,
        "wednesday" | "mercredi" => Weekday::Wed,
        "thursday" | "jeudi" => Weekday::Thu,
        "friday" | "vendredi" => Weekday::Fri,
        "saturday" | "samedi" => Weekday::Sat,
        "sunday" | "dimanche" => Weekday::Sun,
        _ => return None,
    })
}

/// Whether a folded word names a month or a weekday, in English or French.
pub fn is_calendar_word(w: &str) -> bool {
    weekday(w).is_some() || month_number(w).is_some()
}

/// The most recent `day` on or before `published`.
pub fn last_weekday(published: NaiveDate, day: Weekday) -> NaiveDate {
    let back = (published.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    published - Duration::days(back as i64)
}

/// Words that make the date after them the day something was said, not the day it happened
/// ("the army said on Wednesday", "a indiqué mercredi").
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "announced",
    "stated",
    "reported",
    "added",
    "confirmed",
    "declared",
    "indique",
    "declare",
    "annonce",
    "affirme",
    "precise",
    "dit",
    "explique",
    "confirme",
    "rapporte",
    "publie",
    "released",
    "published",
    "briefing",
    "statement",
    "communique",
];

/// Date phrases in a folded sentence, in order, leaving out the days things were said.
pub fn dates(folded: &str, published: NaiveDate) -> Vec<DateMention> {
    let toks = tokens(folded);
    let all = all_dates(&toks, published);
    all.into_iter()
        .filter(|d| {
            let k = toks.iter().position(|t| t.start >= d.at).unwrap_or(0);
            let before: Vec<&str> = toks[k.saturating_sub(2)..k]
                .iter()
                .map(|t| bare(t.text))
                .collect();
            !before.iter().any(|w| SPEECH.contains(w)) && !recalled(&toks[..k])
        })
        .collect()
}

/// Whether a date right after these words is that of an earlier event the sentence recalls:
/// "une semaine après l'attaque du dimanche 11 octobre", "days after the attack on Sunday".
fn recalled(before: &[super::numbers::Tok<'_>]) -> bool {
    let words: Vec<&str> = before.iter().rev().take(5).map(|t| bare(t.text)).collect();
    let recall_word = |w: &&str| matches!(*w, "apres" | "after" | "following" | "depuis" | "since");
    let attack_word = |w: &&str| {
        matches!(
            *w,
            "attack" | "attaque" | "l'attaque" | "celle" | "raid" | "assault" | "massacre"
        )
    };
    words.iter().any(attack_word) && words.iter().any(recall_word)
}

fn all_dates(toks: &[super::numbers::Tok<'_>], published: NaiveDate) -> Vec<DateMention> {
    let w = |i: usize| {
        toks.get(i)
            .map(|t| trim_all(bare(t.text), "'s"))
            .unwrap_or("")
    };
    let mut out = Vec::new();
    let mut i = 0;
    let day = |date, at| DateMention {
        date,
        precision: DatePrecision::Day,
        at,
    };
    while i < toks.len() {
        let t = w(i);
        let at = toks[i].start;
        // "nuit de samedi à dimanche", "night of Saturday to Sunday": the first day
        if let Some(wd) = weekday(t) {
            let mut date = last_weekday(published, wd);
            // "Sunday night into Monday", "samedi à dimanche": keep the first; skip the second.
            let skip = if matches!(w(i + 1), "a" | "au" | "to" | "into")
                && weekday(w(i + 2)).is_some()
            {
                let second = last_weekday(published, weekday(w(i + 2)).expect("checked"));
                if second < date {
                    // "samedi à dimanche" published on Sunday: Saturday is the day before Sunday.
                    date = second - Duration::days(1);
                }
                2
            } else if matches!(w(i + 1), "night" | "soir") && matches!(w(i + 2), "into" | "to") {
                3
            } else {
                0
            };
            // "le dimanche 1er juin", "Sunday, June 1": an explicit date follows
            if let Some((d, len)) = explicit(toks, i + 1, published) {
                out.push(day(d, at));
                i += 1 + len;
                continue;
            }
            out.push(day(date, at));
            i += 1 + skip;
            continue;
        }
        // "3 to 4 March", "between 1 and 3 March", "du 1er au 3 mars", "3-4 March": both days,
        // the month given once.
        if let Some((first, last, second, len)) = day_range(toks, i, published) {
            out.push(day(first, at));
            out.push(day(last, toks[second].start));
            i += len;
            continue;
        }
        if let Some((d, len)) = explicit(toks, i, published) {
            out.push(day(d, at));
            i += len;
            continue;
        }
        // "in early March 2024", "fin mars 2024": a part of a month.
        if let Some((d, len)) = part_of_month(toks, i, published) {
            out.push(DateMention {
                date: d,
                precision: DatePrecision::Month,
                at,
            });
            i += len;
            continue;
        }
        match t {
            "yesterday" | "hier" => out.push(day(published - Duration::days(1), at)),
            "avant" if w(i + 1) == "hier" => {
                out.push(day(published - Duration::days(2), at));
                i += 1;
            }
            "today" | "aujourd'hui" | "tonight" => out.push(day(published, at)),
            "overnight" => out.push(day(published - Duration::days(1), at)),
            "last" | "this"
                if w(i + 1) == "night"
                    || w(i + 1) == "morning"
                    || w(i + 1) == "week"
                    || w(i + 1) == "weekend" =>
            {
                let which = w(i + 1);
                let last = t == "last";
                match which {
                    "night" => out.push(day(published - Duration::days(1), at)),
                    "morning" => out.push(day(published, at)),
                    _ => out.push(week(published, last, which == "weekend", at)),
                }
                i += 1;
            }
            "earlier" if w(i + 1) == "this" && w(i + 2) == "week" => {
                out.push(week(published, false, false, at));
                i += 2;
            }
            "semaine" => {
                let prev: Vec<&str> = (1..=3)
                    .map(|k| if i >= k { w(i - k) } else { "" })
                    .collect();
                let last = w(i + 1) == "derniere" || w(i + 1) == "passee";
                if last || prev.contains(&"cette") || prev.contains(&"debut") {
                    out.push(week(published, last, false, at));
                }
            }
            // "over the weekend", "le week-end dernier", "ce week-end" (not the next one).
            "week" | "weekend" | "week-end" => {
                let split = t == "week";
                let next_word = w(i + 1 + usize::from(split));
                let coming = matches!(next_word, "prochain")
                    || (i > 0 && matches!(w(i - 1), "next" | "coming" | "prochain"));
                // "the weekend", "ce week-end", but not "after weekend violence".
                let prev = if i > 0 { w(i - 1) } else { "" };
                let told = matches!(prev, "the" | "this" | "le" | "ce" | "du")
                    && !(i > 1 && matches!(w(i - 2), "after" | "apres" | "since" | "depuis"));
                if (!split || matches!(w(i + 1), "end" | "ends")) && !coming && told {
                    out.push(week(published, false, true, at));
                    i += usize::from(split);
                }
            }
            "ce" | "cette" if matches!(w(i + 1), "matin" | "nuit") => {
                out.push(day(
                    if w(i + 1) == "nuit" {
                        published - Duration::days(1)
                    } else {
                        published
                    },
                    at,
                ));
                i += 1;
            }
            "la" if w(i + 1) == "nuit" && w(i + 2) == "derniere" => {
                out.push(day(published - Duration::days(1), at));
                i += 2;
            }
            "la" if w(i + 1) == "veille" => {
                out.push(day(published - Duration::days(1), at));
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn week(published: NaiveDate, last: bool, weekend: bool, at: usize) -> DateMention {
    let monday = published - Duration::days(published.weekday().num_days_from_monday() as i64);
    let date = if weekend {
        last_weekday(published, Weekday::Sat)
    } else if last {
        monday - Duration::days(7)
    } else {
        monday
    };
    DateMention {
        date: date.min(published),
        precision: DatePrecision::Week,
        at,
    }
}

/// "12 March [2025]", "le 1er juin", "March 12[, 2025]" at token `i`; the date and tokens used.
fn explicit(
    toks: &[super::numbers::Tok<'_>],
    i: usize,
    published: NaiveDate,
) -> Option<(NaiveDate, usize)> {
    let w = |k: usize| toks.get(k).map(|t| bare(t.text)).unwrap_or("");
    let daynum = day_number;
    let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
    let start = if w(i) == "le" { i + 1 } else { i };
    // day month [year]
    if let (Some(d), Some(m)) = (daynum(w(start)), month_number(w(start + 1))) {
        let (y, len) = match year(w(start + 2)) {
            Some(y) => (Some(y), 3),
            None => (None, 2),
        };
        return resolve(d, m, y, published).map(|date| (date, start - i + len));
    }
    // month day [year]
    if let Some(m) = month_number(w(i)) {
        if w(i) == "may" && daynum(w(i + 1)).is_none() {
            return None;
        }
        if let Some(d) = daynum(w(i + 1)) {
            let (y, len) = match year(w(i + 2)) {
                Some(y) => (Some(y), 3),
                None => (None, 2),
            };
            return resolve(d, m, y, published).map(|date| (date, len));
        }
    }
    None
}

/// A day of the month at a token ("3", "1er", "21st").
fn day_number(s: &str) -> Option<u32> {
    // A day starts with a digit (most words do not: no suffix to trim off them).
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let d = ["er", "st", "nd", "rd", "th"]
        .iter()
        .fold(s, |d, suffix| trim_all(d, suffix));
    d.parse::<u32>().ok().filter(|n| (1..=31).contains(n))
}

/// "3 to 4 March", "1 and 3 March", "1er au 3 mars", "3-4 March" at token `i`: the first and
/// last days, the token of the last day's number and the tokens used (the first day takes the
/// month and year of the last, or the month before when it is the larger number: "30 to 2
/// April").
fn day_range(
    toks: &[super::numbers::Tok<'_>],
    i: usize,
    published: NaiveDate,
) -> Option<(NaiveDate, NaiveDate, usize, usize)> {
    let w = |k: usize| toks.get(k).map(|t| bare(t.text)).unwrap_or("");
    let first = day_number(w(i))?;
    let joined = matches!(w(i + 1), "to" | "au" | "and" | "et");
    let second_at = if joined { i + 2 } else { i + 1 };
    let second_at = if matches!(w(second_at), "le") {
        second_at + 1
    } else {
        second_at
    };
    day_number(w(second_at))?;
    let (last, len) = explicit(toks, second_at, published)?;
    let month_before = last - Duration::days(i64::from(last.day()));
    let start = if first < last.day() {
        last.with_day(first)?
    } else {
        month_before.with_day(first)?
    };
    let days = (last - start).num_days();
    (1..=MAX_SPAN_DAYS)
        .contains(&days)
        .then_some((start, last, second_at, second_at - i + len))
}

/// "early March 2024", "mid-June", "late May 2024", "début mars", "fin juin 2024", "in March
/// 2024": the first day of that part of the month (1st, 11th, 21st), known to the month.
fn part_of_month(
    toks: &[super::numbers::Tok<'_>],
    i: usize,
    published: NaiveDate,
) -> Option<(NaiveDate, usize)> {
    let w = |k: usize| toks.get(k).map(|t| bare(t.text)).unwrap_or("");
    let day = match w(i) {
        "early" | "debut" => 1,
        "mid" | "mi" => 11,
        "late" | "fin" => 21,
        "in" | "en" => 1,
        _ => return None,
    };
    let m = month_number(w(i + 1))?;
    let year = w(i + 2)
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y));
    // "in March" alone is too often something else ("in May" the modal, "en mars" a plan).
    if matches!(w(i), "in" | "en") && year.is_none() {
        return None;
    }
    let date = resolve(day, m, year, published)?;
    Some((date, if year.is_some() { 3 } else { 2 }))
}

/// `s.trim_end_matches(suffix)` without building a substring searcher at each call (this runs
/// on every word).
fn trim_all<'a>(mut s: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = s.strip_suffix(suffix) {
        s = rest;
    }
    s
}

fn resolve(d: u32, m: u32, y: Option<i32>, published: NaiveDate) -> Option<NaiveDate> {
    match y {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
        None => {
            let this = NaiveDate::from_ymd_opt(published.year(), m, d)?;
            if this > published {
                NaiveDate::from_ymd_opt(published.year() - 1, m, d)
            } else {
                Some(this)
            }
        }
    }
}

/// Longest span read as one event ("three days of fighting"); longer is a campaign, not an incident.
const MAX_SPAN_DAYS: i64 = 14;

/// The days a multi-day event ran, from a sentence: "from Thursday to Saturday", "du 12 au 14
/// mars", "between 3 and 5 May", or "three days of fighting" / "trois jours de combats" ending on
/// the sentence's date (or the publication day).
pub fn span(folded: &str, published: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    span_in(folded, &dates(folded, published), published)
}

/// [`span`] with the sentence's [`dates`] already found.
pub fn span_in(
    folded: &str,
    found: &[DateMention],
    published: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let toks = tokens(folded);
    let index_of = |at: usize| toks.iter().position(|t| t.start >= at).unwrap_or(0);
    for pair in found.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (ka, kb) = (index_of(a.at), index_of(b.at));
        // "from 12 to 14 March", "du 12 au 14 mars", "the night of 3 to 4 March"; and two day
        // numbers side by side, "on 30-31 May".
        let adjacent = kb == ka + 1;
        let opens = adjacent
            || ka > 0
                && matches!(
                    bare(toks[ka - 1].text),
                    "from" | "du" | "between" | "entre" | "de" | "of"
                );
        let joins = adjacent
            || toks[ka..kb].iter().any(|t| {
                matches!(
                    bare(t.text),
                    "to" | "until" | "till" | "and" | "au" | "a" | "et" | "jusqu'a"
                )
            });
        let days = (b.date - a.date).num_days();
        if opens && joins && (1..=MAX_SPAN_DAYS).contains(&days) {
            return Some((a.date, b.date));
        }
    }
    // "from Thursday to Saturday", "de jeudi à samedi": the last such days before publication.
    for k in 1..toks.len().saturating_sub(2) {
        let opens = matches!(
            bare(toks[k - 1].text),
            "from" | "du" | "de" | "between" | "entre"
        );
        let joins = matches!(
            bare(toks[k + 1].text),
            "to" | "until" | "till" | "and" | "au" | "a" | "et"
        );
        if let (true, true, Some(first), Some(last)) = (
            opens,
            joins,
            weekday(bare(toks[k].text)),
            weekday(bare(toks[k + 2].text)),
        ) {
            let end = last_weekday(published, last);
            let start = last_weekday(end, first);
            if start < end {
                return Some((start, end));
            }
        }
    }
    let end = found.first().map_or(published, |d| d.date);
    for k in 0..toks.len() {
        let Some(n) = super::numbers::number_at(&toks, k).map(|n| n.value as i64) else {
            continue;
        };
        let next: Vec<&str> = toks[k + 1..].iter().take(3).map(|t| bare(t.text)).collect();
        let days_of = matches!(next.first(), Some(&"days" | &"jours" | &"day"))
            && next.iter().skip(1).any(|w| {
                // "three days of fighting", not "three days of national mourning"
                matches!(
                    *w,
                    "fighting"
                        | "battle"
                        | "battles"
                        | "clashes"
                        | "combat"
                        | "combats"
                        | "affrontements"
                        | "siege"
                        | "offensive"
                        | "heavy"
                )
            })
            && next
                .get(1)
                .is_some_and(|w| *w != "ago" && *w != "after" && *w != "later");
        if days_of && (2..=MAX_SPAN_DAYS).contains(&n) {
            return Some((end - Duration::days(n - 1), end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn first(s: &str, published: &str) -> (String, DatePrecision) {
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
        let d = dates(&fold(s), p);
        (d[0].date.to_string(), d[0].precision)
    }

    #[test]
    fn weekdays_resolve_backwards_same_day_allowed() {
        // 2025-06-03 is a Tuesday
        assert_eq!(
            first("in the early hours of Sunday", "2025-06-03").0,
            "2025-06-01"
        );
        assert_eq!(first("on Monday", "2025-06-03").0, "2025-06-02");
        assert_eq!(first("ce mardi", "2025-06-03").0, "2025-06-03");
        assert_eq!(first("dimanche dernier", "2025-06-03").0, "2025-06-01");
        assert_eq!(first("last Wednesday", "2025-06-03").0, "2025-05-28");
    }

    #[test]
    fn days_things_were_said_are_not_event_days() {
        let p = NaiveDate::from_ymd_opt(2025, 6, 4).unwrap();
        let d = dates(
            &fold("Mali's army said on Wednesday that 34 soldiers were killed on Sunday"),
            p,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].date.to_string(), "2025-06-01");
        assert!(dates(&fold("l'armée a indiqué mercredi"), p).is_empty());
    }

    #[test]
    fn possessive_weekdays() {
        assert_eq!(
            first("Saturday's suicide bombing", "2025-03-11").0,
            "2025-03-08"
        );
    }

    #[test]
    fn nights_take_the_first_day() {
        assert_eq!(
            first("dans la nuit de samedi à dimanche", "2025-06-03").0,
            "2025-05-31"
        );
        assert_eq!(
            first("dans la nuit de samedi à dimanche", "2025-06-01").0,
            "2025-05-31"
        );
        assert_eq!(first("overnight", "2025-06-03").0, "2025-06-02");
    }

    #[test]
    fn day_ranges_give_their_first_day_and_span() {
        let p = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (s, start, end) in [
            (
                "on the night of 3 to 4 march 2024",
                d(2024, 3, 3),
                d(2024, 3, 4),
            ),
            (
                "dans la nuit du 3 au 4 mars 2024",
                d(2024, 3, 3),
                d(2024, 3, 4),
            ),
            ("between 1 and 3 march 2024", d(2024, 3, 1), d(2024, 3, 3)),
            ("du 1er au 3 mars", d(2024, 3, 1), d(2024, 3, 3)),
            ("on 30-31 may 2024", d(2024, 5, 30), d(2024, 5, 31)),
            ("from 30 april to 2 may", d(2024, 4, 30), d(2024, 5, 2)),
            ("du 30 au 2 mai", d(2024, 4, 30), d(2024, 5, 2)),
        ] {
            assert_eq!(first(s, "2024-06-01").0, start.to_string(), "{s}");
            assert_eq!(span(&fold(s), p), Some((start, end)), "{s}");
        }
        // Two dates are not a span, nor is a range of people.
        assert_eq!(span(&fold("on 3 march and on 10 march"), p), None);
        assert_eq!(
            dates(&fold("between 20 and 30 people were killed"), p),
            vec![]
        );
    }

    #[test]
    fn parts_of_a_month_are_known_to_the_month() {
        for (s, want) in [
            ("in early march 2024", "2024-03-01"),
            ("mid-june", "2023-06-11"),
            ("late may 2024", "2024-05-21"),
            ("debut mars 2024", "2024-03-01"),
            ("fin mars 2024", "2024-03-21"),
            ("in march 2024", "2024-03-01"),
        ] {
            assert_eq!(
                first(s, "2024-06-01"),
                (want.to_string(), DatePrecision::Month),
                "{s}"
            );
        }
        // "in May" alone may be the modal or a plan: no date.
        assert!(
            dates(
                &fold("attacks in may"),
                NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
            )
            .is_empty()
        );
    }

    #[test]
    fn explicit_and_relative_dates() {
        assert_eq!(first("on 12 March", "2025-06-03").0, "2025-03-12");
        assert_eq!(first("le 12 mars", "2025-02-01").0, "2024-03-12");
        assert_eq!(first("March 12, 2024", "2025-06-03").0, "2024-03-12");
        assert_eq!(first("le 1er juin", "2025-06-03").0, "2025-06-01");
        assert_eq!(first("yesterday", "2025-06-03").0, "2025-06-02");
        assert_eq!(first("avant-hier", "2025-06-03").0, "2025-06-01");
        assert_eq!(
            first("earlier this week", "2025-06-05"),
            ("2025-06-02".into(), DatePrecision::Week)
        );
        assert_eq!(
            first("la semaine dernière", "2025-06-05"),
            ("2025-05-26".into(), DatePrecision::Week)
        );
    }

    #[test]
    fn the_weekend_is_the_last_saturday_but_not_the_next_weekend() {
        // 2024-03-13 is a Wednesday.
        for s in [
            "over the weekend",
            "at the weekend",
            "last weekend",
            "le week-end dernier",
            "ce week-end",
            "durant le week-end",
        ] {
            assert_eq!(
                first(s, "2024-03-13"),
                ("2024-03-09".into(), DatePrecision::Week),
                "{s}"
            );
        }
        for s in [
            "next weekend",
            "le week-end prochain",
            "blasts after weekend violence",
            "after the weekend",
        ] {
            let found = dates(&fold(s), NaiveDate::from_ymd_opt(2024, 3, 13).unwrap());
            assert!(found.is_empty(), "{s}");
        }
    }
}
