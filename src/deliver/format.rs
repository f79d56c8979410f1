//! How an incident reads to a subscriber (DESIGN §1), in the channel's language: the alert card as
//! plain text, and the one-line form `/recent` lists. Platform renderings (Telegram HTML, Discord
//! embeds) build on these parts. Every word comes from the catalogues ([`crate::i18n`]); names
//! (places, countries, armed groups) are shown as a reader of that language expects them.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use crate::extract::Gazetteer;
use crate::i18n::{Arg, Lang};
use crate::incident::IncidentRecord;
use crate::model::{BySide, Fatalities, Incident, Kind, Severity, Verification};

/// The colour dot of a severity.
pub fn severity_badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🔴",
        Severity::High => "🟠",
        Severity::Medium => "🟡",
        Severity::Low => "⚪",
    }
}

/// The badge of a verification level.
pub fn verification_badge(v: Verification) -> &'static str {
    match v {
        Verification::Confirmed => "🟢",
        Verification::Corroborated => "🟠",
        Verification::Reported => "🟡",
        Verification::Claimed => "🟣",
        Verification::Rumour => "⚫",
    }
}

/// A severity's word in `lang`, lowercase ("high", "élevé").
pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    lang.text(&format!("severity-{}", s.as_str()))
}

/// A verification level's word in `lang`, lowercase ("corroborated", "corroboré").
pub fn verification_label(v: Verification, lang: Lang) -> &'static str {
    lang.text(&format!("verification-{}", v.as_str()))
}

/// A kind's label in `lang` ("Base overrun", "Camp militaire pris").
pub fn kind_label(k: Kind, lang: Lang) -> &'static str {
    lang.text(&format!("kind-{}", k.as_str()))
}

const WEEKDAYS: [&str; 7] = [
    "weekday-mon",
    "weekday-tue",
    "weekday-wed",
    "weekday-thu",
    "weekday-fri",
    "weekday-sat",
    "weekday-sun",
];

fn month(d: NaiveDate, lang: Lang) -> &'static str {
    lang.text(&format!("month-{}", d.month()))
}

/// "Sun 1 Jun 2025", "dim. 1 juin 2025".
pub fn date_full(d: NaiveDate, lang: Lang) -> String {
    lang.format(
        "date-full",
        &[
            (
                "weekday",
                lang.text(WEEKDAYS[d.weekday().num_days_from_monday() as usize])
                    .into(),
            ),
            ("day", d.day().to_string().into()),
            ("month", month(d, lang).into()),
            ("year", d.year().to_string().into()),
        ],
    )
}

/// "1 Jun", "1 juin".
pub fn date_short(d: NaiveDate, lang: Lang) -> String {
    lang.format(
        "date-short",
        &[
            ("day", d.day().to_string().into()),
            ("month", month(d, lang).into()),
        ],
    )
}

/// A country's name in `lang`: the French name, else the gazetteer's.
fn country_name<'a>(code: &'a str, gaz: &'a Gazetteer, lang: Lang) -> Cow<'a, str> {
    let english = gaz.country(code).map_or(code, |c| c.name.as_str());
    lang.country(code, english)
}

/// "Boulkessi, Mopti, Mali"; in French with French names ("Tombouctou, Tombouctou, Mali"); a
/// village the gazetteer lacks, placed at a town's point, with that town ("Gorouol (near Téra),
/// Tillabéri, Niger").
pub fn where_line(i: &Incident, gaz: &Gazetteer, lang: Lang) -> String {
    let mut parts: Vec<Cow<str>> = Vec::new();
    if let Some(p) = &i.place {
        let place = lang.place(p);
        match town_at_its_point(i, gaz) {
            Some(town) => parts.push(
                lang.format(
                    "place-near",
                    &[
                        ("place", Arg::Text(place)),
                        ("town", Arg::Text(lang.place(town))),
                    ],
                )
                .into(),
            ),
            None => parts.push(place),
        }
    }
    if let Some(a) = &i.admin1
        && Some(a) != i.place.as_ref()
    {
        parts.push(lang.place(a));
    }
    parts.push(country_name(&i.country, gaz, lang));
    parts.join(", ")
}

/// The main town at an incident's point (within a kilometre) when its place is known only to
/// the district, and is not that town: the village kept by name was placed there.
fn town_at_its_point<'g>(i: &Incident, gaz: &'g Gazetteer) -> Option<&'g str> {
    let (Some(place), Some(lat), Some(lon)) = (&i.place, i.lat, i.lon) else {
        return None;
    };
    if i.geo_precision < 2 {
        return None;
    }
    let same = |name: &str| crate::text::key(name) == crate::text::key(place);
    gaz.main_towns()
        .iter()
        .map(|id| gaz.place(*id))
        .find(|t| {
            t.country == i.country
                && crate::incident::matching::distance_km(lat, lon, t.lat, t.lon) < 1.0
        })
        .filter(|t| !same(&t.name))
        .map(|t| t.name.as_str())
}

/// A toll figure: "30+", "12", "20-35" (numbers as `lang` writes them).
fn figure(f: &Fatalities, lang: Lang) -> Option<String> {
    let n = f.figure()?;
    Some(match f.high {
        Some(h) if h > n => format!("{}-{}", lang.number(n.into()), lang.number(h.into())),
        _ => format!(
            "{}{}",
            lang.number(n.into()),
            if f.approx { "+" } else { "" }
        ),
    })
}

/// "30+ (unconfirmed)", "12 (confirmed)", "up to 50", or "unknown"; in `lang`.
pub fn toll_line(i: &Incident, lang: Lang) -> String {
    let Some(f) = i.fatalities else {
        return lang.text("toll-unknown").into();
    };
    let status = lang.text(if f.confirmed {
        "toll-confirmed"
    } else {
        "toll-unconfirmed"
    });
    let sides = sides_line(&f.by_side, lang)
        .map(|s| format!(" — {s}"))
        .unwrap_or_default();
    match (figure(&f, lang), f.high) {
        (Some(fig), _) => format!("{fig} ({status}){sides}"),
        (None, Some(h)) => lang.format(
            "toll-up-to",
            &[
                ("high", lang.number(h.into()).into()),
                ("status", status.into()),
            ],
        ),
        (None, None) => lang.format("toll-several", &[("status", status.into())]),
    }
}

/// Whose deaths the toll counts, where reports say: "30 security personnel, 4 militants", "30
/// membres des forces de sécurité, 4 assaillants". Said when the dead are of two sides or more,
/// or are all militants (a reader takes a toll for victims); `None` otherwise.
fn sides_line(by_side: &BySide, lang: Lang) -> Option<String> {
    let known = [by_side.forces, by_side.civilians, by_side.militants]
        .iter()
        .filter(|n| n.is_some())
        .count();
    if known == 0 || (known == 1 && by_side.militants.is_none()) {
        return None;
    }
    let parts: Vec<String> = [
        ("side-forces", by_side.forces),
        ("side-civilians", by_side.civilians),
        ("side-militants", by_side.militants),
    ]
    .into_iter()
    .filter_map(|(id, n)| n.map(|n| lang.format(id, &[("n", n.into())])))
    .collect();
    Some(parts.join(", "))
}

/// "JNIM (claimed) vs FAMa", "JNIM (revendiqué) contre FAMa".
pub fn who_line(i: &Incident, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for a in &i.actors {
        let name = lang.actor(a);
        if i.claimed_by.contains(a) {
            parts.push(lang.format("who-claimed", &[("actor", name.as_ref().into())]));
        } else {
            parts.push(name.into_owned());
        }
    }
    match parts.len() {
        0 => lang.text("who-unknown").into(),
        1 => parts.remove(0),
        _ => {
            let first = parts.remove(0);
            lang.format(
                "who-versus",
                &[("first", first.into()), ("others", parts.join(", ").into())],
            )
        }
    }
}

/// Why the verification level is what it is: "JNIM claim + army statement, 3 outlets".
pub fn verification_reasons(record: &IncidentRecord, lang: Lang) -> String {
    let mut reasons: Vec<Cow<str>> = Vec::new();
    let e = record.reports.iter().map(|r| &r.evidence);
    let claims: Vec<String> = {
        let mut c: Vec<String> = e
            .clone()
            .flat_map(|e| e.claimed_by.iter().map(|a| lang.actor(a).into_owned()))
            .collect();
        c.sort();
        c.dedup();
        c
    };
    if !claims.is_empty() {
        reasons.push(
            lang.format("reason-claim", &[("actors", claims.join(", ").into())])
                .into(),
        );
    }
    if e.clone().any(|e| e.official) {
        reasons.push(lang.text("reason-official").into());
    } else if e.clone().any(|e| e.acknowledged) {
        reasons.push(lang.text("reason-army").into());
    }
    if e.clone().any(|e| e.denied) {
        reasons.push(lang.text("reason-denied").into());
    }
    if e.clone().all(|e| e.rumour && !e.reported) {
        reasons.push(lang.text("reason-footage").into());
    }
    let mut families: Vec<&str> = record.reports.iter().map(|r| r.family.as_str()).collect();
    families.sort();
    families.dedup();
    let mut s = reasons.join(" + ");
    if !s.is_empty() {
        s.push_str(", ");
    }
    s.push_str(&lang.format("reason-outlets", &[("count", families.len().into())]));
    s
}

/// The summary under the headline. English shows the incident's own summary; French a summary
/// written from the incident's fields (the same facts: kind, place, perpetrator, toll).
pub fn summary(i: &Incident, gaz: &Gazetteer, lang: Lang) -> String {
    if lang == Lang::En {
        return i.summary.clone();
    }
    let kind = kind_label(i.kind, lang);
    let english = gaz
        .country(&i.country)
        .map_or(i.country.as_str(), |c| c.name.as_str());
    let mut s = match &i.place {
        Some(p) => lang.format(
            "summary-at",
            &[
                ("kind", kind.into()),
                ("place", lang.place(p).as_ref().into()),
                ("country", lang.country(&i.country, english).as_ref().into()),
            ],
        ),
        None => lang.format(
            "summary-in",
            &[
                ("kind", kind.into()),
                (
                    "country",
                    lang.in_country(&i.country, english).as_ref().into(),
                ),
            ],
        ),
    };
    if let Some(p) = i
        .perpetrator
        .as_deref()
        .filter(|p| *p != "unidentified armed group")
    {
        let id = if i.claimed_by.iter().any(|c| c == p) {
            "summary-claimed-by"
        } else {
            "summary-by"
        };
        s.push_str(&lang.format(id, &[("actor", lang.actor(p).as_ref().into())]));
    }
    if let Some(f) = &i.fatalities {
        match (figure(f, lang), f.high) {
            (Some(fig), _) => {
                let id = if f.confirmed {
                    "summary-killed"
                } else {
                    "summary-killed-unconfirmed"
                };
                s.push_str(&lang.format(id, &[("toll", fig.into())]));
            }
            (None, Some(h)) => {
                s.push_str(&lang.format("summary-up-to", &[("high", lang.number(h.into()).into())]))
            }
            (None, None) => {}
        }
    }
    s.push('.');
    s
}

/// "first seen 09:12 UTC, updated 18:40 UTC" in `lang`.
fn seen_line(i: &Incident, lang: Lang) -> String {
    lang.format(
        "card-seen",
        &[
            ("first", i.first_seen.format("%H:%M").to_string().into()),
            ("updated", i.updated.format("%H:%M").to_string().into()),
        ],
    )
}

/// "Verification: 🟠 CORROBORATED, JNIM claim + army statement, 3 outlets" in `lang`.
fn verification_line(record: &IncidentRecord, lang: Lang) -> String {
    let i = &record.incident;
    lang.format(
        "card-verification",
        &[
            ("badge", verification_badge(i.verification).into()),
            (
                "level",
                verification_label(i.verification, lang)
                    .to_uppercase()
                    .into(),
            ),
            ("reasons", verification_reasons(record, lang).into()),
        ],
    )
}

/// The full alert card as plain text (console, demo, `/incident`), in `lang`.
pub fn card(record: &IncidentRecord, gaz: &Gazetteer, lang: Lang) -> String {
    let i = &record.incident;
    let mut outlets: Vec<&str> = Vec::new();
    for s in &i.sources {
        if !outlets.contains(&s.outlet.as_str()) {
            outlets.push(&s.outlet);
        }
    }
    let banner = if i.verification == Verification::Rumour {
        format!(" · {}", lang.text("card-unverified"))
    } else {
        String::new()
    };
    format!(
        "{} {} · {} · {}{}\n{} · {}\n{}\n{}\n{}\n#{}   {}",
        severity_badge(i.severity),
        severity_label(i.severity, lang).to_uppercase(),
        kind_label(i.kind, lang),
        where_line(i, gaz, lang),
        banner,
        date_full(i.date, lang),
        who_line(i, lang),
        lang.format("card-killed", &[("toll", toll_line(i, lang).into())]),
        verification_line(record, lang),
        lang.format("card-sources", &[("list", outlets.join(" · ").into())]),
        i.id,
        seen_line(i, lang),
    )
}

/// One line of `/recent`: badges, date, kind, place, toll, id; in `lang`.
pub fn recent_line(i: &Incident, gaz: &Gazetteer, lang: Lang) -> String {
    let toll = match i.fatalities.as_ref().and_then(|f| {
        // A range reads as its floor here, as before: "30+ killed".
        f.figure().map(|n| {
            format!(
                "{}{}",
                lang.number(n.into()),
                if f.approx { "+" } else { "" }
            )
        })
    }) {
        Some(t) => format!(" · {}", lang.format("recent-killed", &[("toll", t.into())])),
        None => String::new(),
    };
    format!(
        "{}{} {} · {} · {}{} · #{}",
        severity_badge(i.severity),
        verification_badge(i.verification),
        date_short(i.date, lang),
        kind_label(i.kind, lang),
        where_line(i, gaz, lang),
        toll,
        i.id
    )
}

/// Telegram's limit on a message's text.
pub const TELEGRAM_MAX: usize = 4096;
/// Discord's embed limits.
pub const DISCORD_TITLE_MAX: usize = 256;
pub const DISCORD_DESCRIPTION_MAX: usize = 4096;
pub const DISCORD_FIELD_MAX: usize = 1024;
pub const DISCORD_TOTAL_MAX: usize = 6000;

/// Cuts `s` to at most `max` characters at a character boundary, ending with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Escapes feed text for Telegram's HTML parse mode.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The parts of the Telegram card: the head (banner, headline, when and who, toll,
/// verification), the summary (escaped), the source links, and the id line.
struct TelegramParts {
    head: String,
    summary: String,
    sources: Vec<String>,
    id_line: String,
    /// "Sources: " in the card's language, before the links.
    sources_label: String,
}

fn telegram_parts(
    record: &IncidentRecord,
    gaz: &Gazetteer,
    banner: Option<&str>,
    lang: Lang,
) -> TelegramParts {
    let i = &record.incident;
    let mut head = String::new();
    if let Some(b) = banner {
        head.push_str(&format!("<b>{}</b>\n", escape_html(b)));
    }
    head.push_str(&format!(
        "{} <b>{}</b> · {} · {}{}\n{} · {}\n{}\n{}\n",
        severity_badge(i.severity),
        severity_label(i.severity, lang).to_uppercase(),
        escape_html(kind_label(i.kind, lang)),
        escape_html(&where_line(i, gaz, lang)),
        if i.verification == Verification::Rumour {
            format!(" · <b>{}</b>", lang.text("card-unverified"))
        } else {
            String::new()
        },
        date_full(i.date, lang),
        escape_html(&who_line(i, lang)),
        escape_html(&lang.format("card-killed", &[("toll", toll_line(i, lang).into())])),
        escape_html(&verification_line(record, lang)),
    ));
    let mut sources: Vec<String> = Vec::new();
    for s in &i.sources {
        let link = format!(
            "<a href=\"{}\">{}</a>",
            escape_html(&s.url),
            escape_html(&s.outlet)
        );
        if !sources.contains(&link) {
            sources.push(link);
        }
    }
    TelegramParts {
        head,
        summary: summary(i, gaz, lang),
        sources,
        id_line: format!(
            "<code>#{}</code>   {}",
            escape_html(&i.id),
            seen_line(i, lang),
        ),
        sources_label: lang.format("card-sources", &[("list", "".into())]),
    }
}

/// The alert as Telegram HTML: every piece of feed text escaped, at most 4096 characters. The
/// summary is shortened first so that the card's structure survives.
pub fn telegram_html(
    record: &IncidentRecord,
    gaz: &Gazetteer,
    banner: Option<&str>,
    lang: Lang,
) -> String {
    let TelegramParts {
        head,
        summary,
        sources,
        id_line,
        sources_label,
    } = telegram_parts(record, gaz, banner, lang);
    let tail = format!(
        "{}{}\n{id_line}",
        escape_html(&sources_label),
        sources.join(" · ")
    );
    let room = TELEGRAM_MAX.saturating_sub(head.chars().count() + tail.chars().count() + 2);
    let summary = escape_html(&truncate(&summary, room.min(600)));
    let text = format!("{head}<i>{summary}</i>\n{tail}");
    if text.chars().count() <= TELEGRAM_MAX {
        text
    } else {
        // Too many sources: keep the card, drop the source links that do not fit.
        let card = format!(
            "{head}<i>{summary}</i>\n<code>#{}</code>",
            escape_html(&record.incident.id)
        );
        truncate_plain_html(&card, TELEGRAM_MAX)
    }
}

/// Telegram's limit on a photo's caption, counted on the text after entity parsing (what
/// [`caption_len`] measures).
pub const TELEGRAM_CAPTION_MAX: usize = 1024;

/// Length of Telegram HTML as Telegram counts it against its limits: the text without its tags
/// and with entities decoded, in UTF-16 code units (an emoji badge counts two).
pub fn caption_len(html: &str) -> usize {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.encode_utf16().count()
}

/// The alert as a Telegram photo caption, within [`TELEGRAM_CAPTION_MAX`]: the whole card when it
/// fits ([`telegram_html`]); otherwise (an edit after more reports came in) the source links are
/// dropped, as the buttons under the photo carry them, and the summary is shortened.
pub fn telegram_caption(
    record: &IncidentRecord,
    gaz: &Gazetteer,
    banner: Option<&str>,
    lang: Lang,
) -> String {
    let whole = telegram_html(record, gaz, banner, lang);
    if caption_len(&whole) <= TELEGRAM_CAPTION_MAX {
        return whole;
    }
    let TelegramParts {
        head,
        summary,
        id_line,
        ..
    } = telegram_parts(record, gaz, banner, lang);
    let mut keep = summary.chars().count();
    loop {
        let short = escape_html(&truncate(&summary, keep));
        let candidate = if keep == 0 {
            format!("{head}{id_line}")
        } else {
            format!("{head}<i>{short}</i>\n{id_line}")
        };
        if caption_len(&candidate) <= TELEGRAM_CAPTION_MAX {
            return candidate;
        }
        if keep == 0 {
            // A head alone over the limit cannot happen with real fields; stay valid anyway
            // (at most two UTF-16 units a character).
            return escape_html(&truncate(
                &card(record, gaz, lang),
                TELEGRAM_CAPTION_MAX / 2,
            ));
        }
        keep = keep.saturating_sub(keep.max(40) / 4).min(keep - 1);
    }
}

/// Shortens HTML made only of escaped text and whole tags, never cutting inside a tag or an entity.
fn truncate_plain_html(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    // Drop a half tag or entity at the end.
    if let Some(lt) = out.rfind('<')
        && !out[lt..].contains('>')
    {
        out.truncate(lt);
    }
    if let Some(amp) = out.rfind('&')
        && !out[amp..].contains(';')
    {
        out.truncate(amp);
    }
    out.push('…');
    out
}

/// Embed colour by severity.
pub fn severity_colour(s: Severity) -> u32 {
    match s {
        Severity::Critical => 0xD32F2F,
        Severity::High => 0xF57C00,
        Severity::Medium => 0xFBC02D,
        Severity::Low => 0x9E9E9E,
    }
}

/// The alert as a Discord message body: one embed within Discord's limits, and no mention can
/// ping anyone (`allowed_mentions` empty).
pub fn discord_message(
    record: &IncidentRecord,
    gaz: &Gazetteer,
    banner: Option<&str>,
    lang: Lang,
) -> serde_json::Value {
    let i = &record.incident;
    let place = where_line(i, gaz, lang);
    let title = truncate(
        &format!(
            "{} {} · {} · {}",
            severity_badge(i.severity),
            severity_label(i.severity, lang).to_uppercase(),
            kind_label(i.kind, lang),
            place
        ),
        DISCORD_TITLE_MAX,
    );
    let where_value = match (i.lat, i.lon) {
        (Some(lat), Some(lon)) => format!(
            "{place} ([{}](https://www.openstreetmap.org/?mlat={lat:.4}&mlon={lon:.4}#map=9/{lat:.4}/{lon:.4}))",
            lang.text("card-map")
        ),
        _ => place,
    };
    let mut sources: Vec<String> = Vec::new();
    for s in &i.sources {
        let link = format!("[{}]({})", s.outlet.replace(['[', ']'], ""), s.url);
        if !sources.contains(&link) {
            sources.push(link);
        }
    }
    let field = |id: &str, value: String| serde_json::json!({"name": lang.text(id), "value": truncate(&value, DISCORD_FIELD_MAX), "inline": false});
    let description = truncate(&summary(i, gaz, lang), 1500);
    let fields = vec![
        field("field-when", date_full(i.date, lang)),
        field("field-where", where_value),
        field("field-who", who_line(i, lang)),
        field("field-killed", toll_line(i, lang)),
        field(
            "field-verification",
            format!(
                "{} {}, {}",
                verification_badge(i.verification),
                verification_label(i.verification, lang).to_uppercase(),
                verification_reasons(record, lang)
            ),
        ),
        field("field-sources", sources.join(" · ")),
    ];
    let mut content = String::new();
    if let Some(b) = banner {
        content = truncate(b, 200);
    } else if i.verification == Verification::Rumour {
        content = lang.text("card-unverified").into();
    }
    serde_json::json!({
        "content": content,
        "embeds": [{
            "title": title,
            "description": description,
            "color": severity_colour(i.severity),
            "fields": fields,
            "footer": {"text": format!("#{}   {}", i.id, seen_line(i, lang))},
        }],
        "allowed_mentions": {"parse": []},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Evidence, IncidentRecord, Report};
    use crate::model::{DatePrecision, Kind, SourceRef};
    use chrono::TimeZone;

    fn record(headline: &str, sources: usize) -> IncidentRecord {
        let seen = chrono::Utc.with_ymd_and_hms(2025, 6, 2, 9, 12, 0).unwrap();
        let reports = (0..sources.max(1))
            .map(|n| Report {
                source: SourceRef {
                    url: format!("https://example.org/a?x=1&y={n}"),
                    outlet: format!("<b>Outlet</b> {n} @everyone"),
                    family: format!("f{n}"),
                    published: Some(seen),
                    lang: None,
                },
                family: format!("f{n}"),
                kind: Kind::BaseOverrun,
                place: Some("Boulkessi".into()),
                admin1: Some("Mopti".into()),
                lat: Some(15.03),
                lon: Some(-1.55),
                geo_precision: 1,
                date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                date_end: None,
                date_precision: DatePrecision::Day,
                actors: vec!["JNIM".into(), "FAMa".into()],
                perpetrator: Some("JNIM".into()),
                target: None,
                fatalities: None,
                summary: headline.to_string(),
                evidence: Evidence {
                    reported: true,
                    ..Default::default()
                },
                story: Default::default(),
                seen,
            })
            .collect::<Vec<_>>();
        let mut it = reports.into_iter();
        let mut rec = IncidentRecord::from_report("ML", it.next().unwrap());
        rec.reports.extend(it);
        rec.incident = crate::incident::merged(&rec);
        rec.incident.id = "ML-20250601-boulkessi".into();
        rec
    }

    #[test]
    fn a_village_placed_at_a_town_s_point_is_said_to_be_near_it() {
        let gaz = Gazetteer::bundled();
        let tera = gaz
            .lookup("Téra")
            .iter()
            .map(|id| gaz.place(*id))
            .find(|p| p.country == "NE" && p.kind == crate::extract::gazetteer::PlaceKind::Town)
            .expect("Téra");
        let mut village = record("gunmen kill 11 near Téra", 1).incident;
        village.country = "NE".into();
        village.admin1 = Some("Tillabéri".into());
        village.place = Some("Gorouol".into());
        (village.lat, village.lon, village.geo_precision) = (Some(tera.lat), Some(tera.lon), 2);
        assert_eq!(
            where_line(&village, gaz, Lang::En),
            "Gorouol (near Téra), Tillabéri, Niger"
        );
        assert!(where_line(&village, gaz, Lang::Fr).starts_with("Gorouol (près de Téra), "));
        // The town itself, or a place given to the town, is said once.
        let mut town = village.clone();
        town.place = Some("Téra".into());
        assert_eq!(where_line(&town, gaz, Lang::En), "Téra, Tillabéri, Niger");
        village.geo_precision = 1;
        assert_eq!(
            where_line(&village, gaz, Lang::En),
            "Gorouol, Tillabéri, Niger"
        );
    }

    #[test]
    fn telegram_text_is_escaped_and_within_the_limit() {
        let hostile = "JNIM <b>claims</b> </a> & @everyone <script>x</script>";
        let html = telegram_html(&record(hostile, 1), Gazetteer::bundled(), None, Lang::En);
        assert!(
            html.contains("&lt;b&gt;claims&lt;/b&gt; &lt;/a&gt; &amp; @everyone"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("href=\"https://example.org/a?x=1&amp;y=0\""));
        let long = telegram_html(
            &record(&"x".repeat(10_000), 300),
            Gazetteer::bundled(),
            None,
            Lang::En,
        );
        assert!(
            long.chars().count() <= TELEGRAM_MAX,
            "{}",
            long.chars().count()
        );
        assert!(long.contains("#ML-20250601-boulkessi"));
    }

    #[test]
    fn discord_embed_pings_nobody_and_respects_limits() {
        let msg = discord_message(
            &record(&"@everyone ".repeat(1000), 400),
            Gazetteer::bundled(),
            None,
            Lang::En,
        );
        assert_eq!(msg["allowed_mentions"]["parse"], serde_json::json!([]));
        let e = &msg["embeds"][0];
        assert!(e["title"].as_str().unwrap().chars().count() <= DISCORD_TITLE_MAX);
        assert!(e["description"].as_str().unwrap().chars().count() <= DISCORD_DESCRIPTION_MAX);
        let mut total = e["title"].as_str().unwrap().chars().count()
            + e["description"].as_str().unwrap().chars().count();
        for f in e["fields"].as_array().unwrap() {
            let v = f["value"].as_str().unwrap().chars().count();
            assert!(v <= DISCORD_FIELD_MAX, "{v}");
            total += v + f["name"].as_str().unwrap().chars().count();
        }
        total += e["footer"]["text"].as_str().unwrap().chars().count();
        assert!(total <= DISCORD_TOTAL_MAX, "{total}");
        assert_eq!(e["color"], 0xD32F2F);
    }

    #[test]
    fn captions_count_text_after_entity_parsing_and_stay_within_the_limit() {
        assert_eq!(
            caption_len("<b>a&amp;b</b> 🔴"),
            6,
            "a&b, a space, an emoji of two units"
        );
        let short = record("JNIM overran the camp.", 1);
        let whole = telegram_html(&short, Gazetteer::bundled(), None, Lang::En);
        assert_eq!(
            telegram_caption(&short, Gazetteer::bundled(), None, Lang::En),
            whole
        );
        let long = record(&"The army said more. ".repeat(40), 60);
        let caption = telegram_caption(&long, Gazetteer::bundled(), None, Lang::En);
        assert!(caption_len(&caption) <= TELEGRAM_CAPTION_MAX, "{caption}");
        assert!(caption.contains("Base overrun · Boulkessi"), "{caption}");
        assert!(caption.contains("<code>#ML-20250601-boulkessi</code>"));
        assert!(!caption.contains("<a href"), "the links are on the buttons");
        assert_eq!(
            caption.matches("<i>").count(),
            caption.matches("</i>").count()
        );
    }

    #[test]
    fn truncation_cuts_at_characters() {
        assert_eq!(truncate("Ménaka", 4), "Mén…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate_plain_html("ab <b>cd</b>", 6), "ab …");
        assert_eq!(truncate_plain_html("a &amp; b", 4), "a …");
    }

    #[test]
    fn the_toll_says_whose_deaths_when_they_are_of_several_sides_or_all_militants() {
        let mut i = record("x", 1).incident;
        let toll = |forces, civilians, militants| Fatalities {
            low: Some(34),
            best: Some(34),
            by_side: BySide {
                forces,
                civilians,
                militants,
            },
            ..Default::default()
        };
        i.fatalities = Some(toll(Some(30), None, Some(4)));
        assert_eq!(
            toll_line(&i, Lang::En),
            "34 (unconfirmed) — 30 security personnel, 4 militants"
        );
        assert_eq!(
            toll_line(&i, Lang::Fr),
            "34 (non confirmé) — 30 membres des forces de sécurité, 4 assaillants"
        );
        i.fatalities = Some(toll(None, None, Some(34)));
        assert_eq!(toll_line(&i, Lang::En), "34 (unconfirmed) — 34 militants");
        i.fatalities = Some(toll(None, Some(34), None));
        assert_eq!(toll_line(&i, Lang::En), "34 (unconfirmed)");
        i.fatalities = Some(toll(Some(1), Some(1), None));
        assert_eq!(
            toll_line(&i, Lang::En),
            "34 (unconfirmed) — 1 member of the security forces, 1 civilian"
        );
    }
}
