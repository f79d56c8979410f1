//! The digest's text and the `/digest` answers in the channel's language, put together from the
//! messages of the catalogues (`digest-*`, `reply-digest-*` in `i18n/*.ftl`): this file holds no
//! sentence. Texts are plain: adapters escape them.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{Change, WORST, deaths};
use crate::deliver::format::{
    self, date_full, severity_badge, verification_badge, verification_label,
};
use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::map::region::{count_words, period_words};
use crate::model::{DigestSchedule, Incident, Severity};

/// The digest's first line: "📋 Daily digest · last 24 hours to Sat 28 Nov 2026 07:00
/// (Africa/Bamako)".
pub fn heading(lang: Lang, end: DateTime<Utc>, zone: chrono_tz::Tz, hours: u32) -> String {
    let local = end.with_timezone(&zone);
    let end_text = format!(
        "{} {}",
        date_full(local.date_naive(), lang),
        local.format("%H:%M")
    );
    lang.format(
        "digest-heading",
        &[
            ("period", period_words(lang, hours).into()),
            ("end", end_text.into()),
            ("zone", zone.name().into()),
        ],
    )
}

/// A country's name for the counts, in `lang`.
fn country_name(code: &str, gaz: &Gazetteer, lang: Lang) -> String {
    let english = gaz.country(code).map_or(code, |p| p.name.as_str());
    lang.country(code, english).into_owned()
}

/// "• Mali: 3 (🔴 1 · 🟠 2)" per country, the busiest first.
fn counts(new: &[&Incident], gaz: &Gazetteer, lang: Lang) -> Vec<String> {
    const ORDER: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
    let mut countries: Vec<(&str, [usize; 4])> = Vec::new();
    for i in new {
        let slot = ORDER.iter().position(|s| *s == i.severity).unwrap_or(3);
        match countries.iter_mut().find(|(c, _)| *c == i.country) {
            Some((_, n)) => n[slot] += 1,
            None => {
                let mut n = [0; 4];
                n[slot] = 1;
                countries.push((&i.country, n));
            }
        }
    }
    countries.sort_by(|a, b| {
        let (ta, tb): (usize, usize) = (a.1.iter().sum(), b.1.iter().sum());
        tb.cmp(&ta).then(a.0.cmp(b.0))
    });
    countries
        .iter()
        .map(|(c, n)| {
            let split: Vec<String> = ORDER
                .iter()
                .zip(n)
                .filter(|(_, k)| **k > 0)
                .map(|(s, k)| format!("{} {k}", severity_badge(*s)))
                .collect();
            lang.format(
                "digest-country",
                &[
                    ("country", country_name(c, gaz, lang).into()),
                    ("count", n.iter().sum::<usize>().into()),
                    ("split", split.join(" · ").into()),
                ],
            )
        })
        .collect()
}

/// "toll revised from 30 to 34 (confirmed)" or "now 🟢 confirmed".
fn change_words(c: &Change, lang: Lang) -> String {
    let figure = |f: Option<u32>| {
        f.map_or_else(
            || lang.text("digest-toll-none").to_string(),
            |n| lang.number(u64::from(n)),
        )
    };
    match c {
        Change::Toll {
            from,
            to,
            confirmed,
        } => lang.format(
            if *confirmed {
                "digest-toll-confirmed"
            } else {
                "digest-toll"
            },
            &[("from", figure(*from).into()), ("to", figure(*to).into())],
        ),
        Change::Verification(v) => lang.format(
            "digest-now",
            &[
                ("badge", verification_badge(*v).into()),
                ("level", verification_label(*v, lang).into()),
            ],
        ),
    }
}

/// "🔴 #ML-20250601-boulkessi: toll revised from 30 to 34 (confirmed) · now 🟢 confirmed".
fn change_line(i: &Incident, changes: &[Change], lang: Lang) -> String {
    let parts: Vec<String> = changes.iter().map(|c| change_words(c, lang)).collect();
    lang.format(
        "digest-change",
        &[
            ("badge", severity_badge(i.severity).into()),
            ("id", i.id.as_str().into()),
            ("changes", parts.join(" · ").into()),
        ],
    )
}

/// The new incidents: totals, counts by country, the worst.
fn write_new(t: &mut String, new: &[&Incident], gaz: &Gazetteer, lang: Lang) {
    let killed: u64 = new.iter().map(|i| u64::from(deaths(i))).sum();
    let _ = writeln!(t, "{}", count_words(lang, new.len(), killed));
    for line in counts(new, gaz, lang) {
        let _ = writeln!(t, "{line}");
    }
    let _ = writeln!(t, "\n{}", lang.text("digest-worst"));
    for i in new.iter().take(WORST) {
        let _ = writeln!(t, "{}", format::recent_line(i, gaz, lang));
    }
    write_more(t, new.len(), lang);
}

/// "… and 3 more" past the [`WORST`] listed.
fn write_more(t: &mut String, listed: usize, lang: Lang) {
    if listed > WORST {
        let more = lang.format("reply-more", &[("count", (listed - WORST).into())]);
        let _ = writeln!(t, "{more}");
    }
}

/// The whole digest: heading, totals and counts, the worst incidents, the changes; one line when
/// the period had nothing.
pub fn digest_text(
    lang: Lang,
    new: &[&Incident],
    changed: &[(Incident, Vec<Change>)],
    end: DateTime<Utc>,
    zone: chrono_tz::Tz,
    hours: u32,
    gaz: &Gazetteer,
) -> String {
    let head = heading(lang, end, zone, hours);
    if new.is_empty() && changed.is_empty() {
        return lang.format("digest-nothing", &[("heading", head.into())]);
    }
    let mut t = String::new();
    let _ = writeln!(t, "{head}");
    if new.is_empty() {
        let _ = writeln!(t, "{}", lang.text("digest-no-new"));
    } else {
        write_new(&mut t, new, gaz, lang);
    }
    if !changed.is_empty() {
        let _ = writeln!(t, "\n{}", lang.text("digest-changed"));
        for (i, c) in changed.iter().take(WORST) {
            let _ = writeln!(t, "{}", change_line(i, c, lang));
        }
        write_more(&mut t, changed.len(), lang);
    }
    t.trim_end().to_string()
}

/// The time and zone of a schedule as the `/digest` answers give them.
fn schedule_args(s: &DigestSchedule) -> [(&'static str, crate::i18n::Arg<'static>); 2] {
    [
        ("time", s.time.format("%H:%M").to_string().into()),
        ("zone", s.zone.name().into()),
    ]
}

/// `/digest 07:00 Africa/Bamako`: the answer.
pub fn digest_set(lang: Lang, s: &DigestSchedule) -> String {
    lang.format("reply-digest-set", &schedule_args(s))
}

/// `/digest`: the channel's digest, or that it has none.
pub fn digest_status(lang: Lang, s: Option<&DigestSchedule>) -> String {
    match s {
        Some(s) => lang.format("reply-digest-status", &schedule_args(s)),
        None => lang.text("reply-digest-none").into(),
    }
}
