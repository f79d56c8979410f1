//! Lenient parsing of the timestamps real feeds carry: RFC 3339 and RFC 2822 with their usual
//! mistakes (wrong weekday, missing seconds, named zones), ISO-like forms, and French or English
//! month names ("2 juin 2025 10:30", "lun., 02 juin 2025").

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses a feed timestamp; `None` when nothing sensible can be read.
pub fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    let normal = normalise(s);
    let (body, offset) = split_zone(&normal);
    const WITH_TIME: [&str; 8] = [
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    for fmt in WITH_TIME {
        if let Ok(naive) = NaiveDateTime::parse_from_str(body, fmt) {
            return offset
                .from_local_datetime(&naive)
                .single()
                .map(|d| d.with_timezone(&Utc));
        }
    }
    for fmt in ["%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"] {
        if let Ok(day) = NaiveDate::parse_from_str(body, fmt) {
            let naive = day.and_hms_opt(0, 0, 0)?;
            return offset
                .from_local_datetime(&naive)
                .single()
                .map(|d| d.with_timezone(&Utc));
        }
    }
    None
}

/// Lowercases, drops weekday names and "à"/"at"/"," separators, maps month names
/// (French and English, full or abbreviated) to English abbreviations, and "14h30" to "14:30".
fn normalise(s: &str) -> String {
    let lower = s
        .to_lowercase()
        .replace([',', '.'], " ")
        .replace(" à ", " ")
        .replace(" at ", " ");
    let mut words = Vec::new();
    for w in lower.split_whitespace() {
        if WEEKDAYS.contains(&w) {
            continue;
        }
        if let Some(m) = month_abbrev(w) {
            words.push(m.to_string());
            continue;
        }
        // "14h30" / "14h"
        if let Some((h, m)) = w.split_once('h')
            && !h.is_empty()
            && h.chars().all(|c| c.is_ascii_digit())
            && m.chars().all(|c| c.is_ascii_digit())
        {
            words.push(format!("{h}:{}", if m.is_empty() { "00" } else { m }));
            continue;
        }
        words.push(w.to_string());
    }
    let mut out = words.join(" ");
    // "1er juin" -> "1 jun"
    if let Some(rest) = out.strip_prefix("1er ") {
        out = format!("1 {rest}");
    }
    // chrono's %b wants "Jun", not "jun".
    MONTHS_EN
        .iter()
        .fold(out, |acc, m| acc.replace(&m.to_lowercase(), m))
}

/// Splits a trailing zone ("GMT", "UTC", "+0100", "+01:00", "Z") off; UTC when there is none.
fn split_zone(s: &str) -> (&str, FixedOffset) {
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    let Some((body, last)) = s.rsplit_once(' ') else {
        return (s, utc);
    };
    match last {
        "gmt" | "utc" | "z" | "ut" => (body, utc),
        "cet" => (body, FixedOffset::east_opt(3600).expect("offset")),
        "cest" => (body, FixedOffset::east_opt(7200).expect("offset")),
        "wat" => (body, FixedOffset::east_opt(3600).expect("offset")),
        "est" => (body, FixedOffset::west_opt(5 * 3600).expect("offset")),
        "edt" => (body, FixedOffset::west_opt(4 * 3600).expect("offset")),
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() >= 5 => {
            let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            let (Ok(h), Ok(m)) = (
                digits[..2].parse::<i32>(),
                digits[2..].parse::<i32>().or(Ok::<i32, ()>(0)),
            ) else {
                return (s, utc);
            };
            let secs = (h * 3600 + m * 60) * if z.starts_with('-') { -1 } else { 1 };
            (body, FixedOffset::east_opt(secs).unwrap_or(utc))
        }
        _ => (s, utc),
    }
}

const WEEKDAYS: [&str; 28] = [
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lun",
    "mar",
    "mer",
    "jeu",
    "ven",
    "sam",
    "dim",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
];

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Month number (1..12) of an English or French month name or abbreviation.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // Called on every word of every sentence: ASCII words are lowercased on the stack, and
    // none longer than the longest name ("septembre") is a month.
    let mut buf = [0u8; 9];
    let lower;
    let w = if w.is_ascii() {
        let b = buf.get_mut(..w.len())?;
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        std::str::from_utf8(b).ok()?
    } else {
        lower = w.to_lowercase();
        lower.as_str()
    };
    let n = match w {
        "january" | "jan" | "janvier" | "janv" => 1,
        "february" | "feb" | "février" | "fevrier" | "févr" | "fevr" | "fév" | "fev" => 2,
        "march" | "mars" => 3,
        "april" | "apr" | "avril" | "avr" => 4,
        "may" | "mai" => 5,
        "june" | "jun" | "juin" => 6,
        "july" | "jul" | "juillet" | "juil" => 7,
        "august" | "aug" | "août" | "aout" => 8,
        "september" | "sep" | "sept" | "septembre" => 9,
        "october" | "oct" | "octobre" => 10,
        "november" | "nov" | "novembre" => 11,
        "december" | "dec" | "décembre" | "decembre" | "déc" => 12,
        _ => return None,
    };
    Some(n)
}

fn month_abbrev(word: &str) -> Option<&'static str> {
    // "mar" is both March and "mardi" abbreviated; as a weekday it was dropped above.
    month_number(word).map(|n| MONTHS_EN[n as usize - 1])
}

/// `Utc.from_utc_datetime` for a date at midnight; used by tests and callers that only know a day.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse_timestamp(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn reads_standard_and_broken_forms() {
        assert_eq!(p("2025-06-02T09:12:00Z"), "2025-06-02T09:12:00+00:00");
        assert_eq!(
            p("Mon, 02 Jun 2025 09:12:00 GMT"),
            "2025-06-02T09:12:00+00:00"
        );
        // wrong weekday, as real feeds have
        assert_eq!(
            p("Tue, 02 Jun 2025 09:12:00 +0100"),
            "2025-06-02T08:12:00+00:00"
        );
        assert_eq!(p("02 Jun 2025 09:12 GMT"), "2025-06-02T09:12:00+00:00");
        assert_eq!(p("2025-06-02 09:12:00"), "2025-06-02T09:12:00+00:00");
        assert_eq!(p("2025-06-02"), "2025-06-02T00:00:00+00:00");
    }

    #[test]
    fn reads_french_dates() {
        assert_eq!(p("lundi 2 juin 2025 14h30"), "2025-06-02T14:30:00+00:00");
        assert_eq!(
            p("lun., 02 juin 2025 10:00:00 +0100"),
            "2025-06-02T09:00:00+00:00"
        );
        assert_eq!(p("1er août 2025"), "2025-08-01T00:00:00+00:00");
        assert_eq!(p("12 févr. 2025 08:00"), "2025-02-12T08:00:00+00:00");
        assert_eq!(p("mar. 3 déc. 2024 à 18:05"), "2024-12-03T18:05:00+00:00");
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(p("yesterday-ish"), "");
        assert_eq!(p(""), "");
        assert_eq!(p("99 Foo 2025"), "");
    }
}
