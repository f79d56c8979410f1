//! How an incident reads to a subscriber (DESIGN §1): the alert card as plain text, and the one-line
//! form `/recent` lists. Platform renderings (Telegram HTML, Discord embeds) build on these parts.

use crate::extract::Gazetteer;
use crate::incident::IncidentRecord;
use crate::model::{Incident, Severity, Verification};

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

/// "Boulkessi, Mopti, Mali".
pub fn where_line(i: &Incident, gaz: &Gazetteer) -> String {
    let country = gaz
        .country(&i.country)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| i.country.clone());
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = &i.place {
        parts.push(p.clone());
    }
    if let Some(a) = &i.admin1
        && Some(a) != i.place.as_ref()
    {
        parts.push(a.clone());
    }
    parts.push(country);
    parts.join(", ")
}

/// "30+ (unconfirmed)", "12 (confirmed)", "up to 50", or "unknown".
pub fn toll_line(i: &Incident) -> String {
    match i.fatalities {
        None => "unknown".into(),
        Some(f) => {
            let status = if f.confirmed {
                "confirmed"
            } else {
                "unconfirmed"
            };
            match (f.figure(), f.high) {
                (Some(n), Some(h)) if h > n => format!("{n}-{h} ({status})"),
                (Some(n), _) => format!("{n}{} ({status})", if f.approx { "+" } else { "" }),
                (None, Some(h)) => format!("up to {h} ({status})"),
                (None, None) => format!("several ({status})"),
            }
        }
    }
}

/// "JNIM (claimed) vs FAMa".
pub fn who_line(i: &Incident) -> String {
    let mut parts = Vec::new();
    for a in &i.actors {
        if i.claimed_by.contains(a) {
            parts.push(format!("{a} (claimed)"));
        } else {
            parts.push(a.clone());
        }
    }
    match parts.len() {
        0 => "actors unknown".into(),
        1 => parts.remove(0),
        _ => {
            let first = parts.remove(0);
            format!("{first} vs {}", parts.join(", "))
        }
    }
}

/// Why the verification level is what it is: "JNIM claim + army statement, 3 outlets".
pub fn verification_reasons(record: &IncidentRecord) -> String {
    let mut reasons: Vec<String> = Vec::new();
    let e = record.reports.iter().map(|r| &r.evidence);
    let claims: Vec<String> = {
        let mut c: Vec<String> = e
            .clone()
            .flat_map(|e| e.claimed_by.iter().cloned())
            .collect();
        c.sort();
        c.dedup();
        c
    };
    if !claims.is_empty() {
        reasons.push(format!("{} claim", claims.join(", ")));
    }
    if e.clone().any(|e| e.official) {
        reasons.push("official statement".into());
    } else if e.clone().any(|e| e.acknowledged) {
        reasons.push("army statement".into());
    }
    if e.clone().any(|e| e.denied) {
        reasons.push("denied".into());
    }
    if e.clone().all(|e| e.rumour && !e.reported) {
        reasons.push("unverified footage".into());
    }
    let mut families: Vec<&str> = record.reports.iter().map(|r| r.family.as_str()).collect();
    families.sort();
    families.dedup();
    let outlets = families.len();
    let mut s = reasons.join(" + ");
    if !s.is_empty() {
        s.push_str(", ");
    }
    s.push_str(&format!(
        "{outlets} outlet{}",
        if outlets == 1 { "" } else { "s" }
    ));
    s
}

/// The full alert card as plain text (console, demo, `/incident`).
pub fn card(record: &IncidentRecord, gaz: &Gazetteer) -> String {
    let i = &record.incident;
    let mut outlets: Vec<&str> = Vec::new();
    for s in &i.sources {
        if !outlets.contains(&s.outlet.as_str()) {
            outlets.push(&s.outlet);
        }
    }
    let banner = if i.verification == Verification::Rumour {
        " · UNVERIFIED"
    } else {
        ""
    };
    format!(
        "{} {} · {} · {}{}\n{} · {}\nKilled: {}\nVerification: {} {}, {}\nSources: {}\n#{}   first seen {} UTC, updated {} UTC",
        severity_badge(i.severity),
        i.severity.as_str().to_uppercase(),
        i.kind.label(),
        where_line(i, gaz),
        banner,
        i.date.format("%a %-d %b %Y"),
        who_line(i),
        toll_line(i),
        verification_badge(i.verification),
        i.verification.as_str().to_uppercase(),
        verification_reasons(record),
        outlets.join(" · "),
        i.id,
        i.first_seen.format("%H:%M"),
        i.updated.format("%H:%M"),
    )
}

/// One line of `/recent`: badges, date, kind, place, toll, id.
pub fn recent_line(i: &Incident, gaz: &Gazetteer) -> String {
    let toll = match i.fatalities.and_then(|f| f.figure()) {
        Some(n) => format!(
            " · {n}{} killed",
            if i.fatalities.is_some_and(|f| f.approx) {
                "+"
            } else {
                ""
            }
        ),
        None => String::new(),
    };
    format!(
        "{}{} {} · {} · {}{} · #{}",
        severity_badge(i.severity),
        verification_badge(i.verification),
        i.date.format("%-d %b"),
        i.kind.label(),
        where_line(i, gaz),
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
}

fn telegram_parts(record: &IncidentRecord, gaz: &Gazetteer, banner: Option<&str>) -> TelegramParts {
    let i = &record.incident;
    let mut head = String::new();
    if let Some(b) = banner {
        head.push_str(&format!("<b>{}</b>\n", escape_html(b)));
    }
    head.push_str(&format!(
        "{} <b>{}</b> · {} · {}{}\n{} · {}\nKilled: {}\nVerification: {} {}, {}\n",
        severity_badge(i.severity),
        i.severity.as_str().to_uppercase(),
        escape_html(i.kind.label()),
        escape_html(&where_line(i, gaz)),
        if i.verification == Verification::Rumour {
            " · <b>UNVERIFIED</b>"
        } else {
            ""
        },
        i.date.format("%a %-d %b %Y"),
        escape_html(&who_line(i)),
        escape_html(&toll_line(i)),
        verification_badge(i.verification),
        i.verification.as_str().to_uppercase(),
        escape_html(&verification_reasons(record)),
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
        summary: i.summary.clone(),
        sources,
        id_line: format!(
            "<code>#{}</code>   first seen {} UTC, updated {} UTC",
            escape_html(&i.id),
            i.first_seen.format("%H:%M"),
            i.updated.format("%H:%M"),
        ),
    }
}

/// The alert as Telegram HTML: every piece of feed text escaped, at most 4096 characters. The
/// summary is shortened first so that the card's structure survives.
pub fn telegram_html(record: &IncidentRecord, gaz: &Gazetteer, banner: Option<&str>) -> String {
    let TelegramParts {
        head,
        summary,
        sources,
        id_line,
    } = telegram_parts(record, gaz, banner);
    let tail = format!("Sources: {}\n{id_line}", sources.join(" · "));
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
pub fn telegram_caption(record: &IncidentRecord, gaz: &Gazetteer, banner: Option<&str>) -> String {
    let whole = telegram_html(record, gaz, banner);
    if caption_len(&whole) <= TELEGRAM_CAPTION_MAX {
        return whole;
    }
    let TelegramParts {
        head,
        summary,
        id_line,
        ..
    } = telegram_parts(record, gaz, banner);
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
            return escape_html(&truncate(&card(record, gaz), TELEGRAM_CAPTION_MAX / 2));
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
) -> serde_json::Value {
    let i = &record.incident;
    let title = truncate(
        &format!(
            "{} {} · {} · {}",
            severity_badge(i.severity),
            i.severity.as_str().to_uppercase(),
            i.kind.label(),
            where_line(i, gaz)
        ),
        DISCORD_TITLE_MAX,
    );
    let where_value = match (i.lat, i.lon) {
        (Some(lat), Some(lon)) => format!(
            "{} ([map](https://www.openstreetmap.org/?mlat={lat:.4}&mlon={lon:.4}#map=9/{lat:.4}/{lon:.4}))",
            where_line(i, gaz)
        ),
        _ => where_line(i, gaz),
    };
    let mut sources: Vec<String> = Vec::new();
    for s in &i.sources {
        let link = format!("[{}]({})", s.outlet.replace(['[', ']'], ""), s.url);
        if !sources.contains(&link) {
            sources.push(link);
        }
    }
    let field = |name: &str, value: String| serde_json::json!({"name": name, "value": truncate(&value, DISCORD_FIELD_MAX), "inline": false});
    let description = truncate(&i.summary, 1500);
    let fields = vec![
        field("When", i.date.format("%a %-d %b %Y").to_string()),
        field("Where", where_value),
        field("Who", who_line(i)),
        field("Killed", toll_line(i)),
        field(
            "Verification",
            format!(
                "{} {}, {}",
                verification_badge(i.verification),
                i.verification.as_str().to_uppercase(),
                verification_reasons(record)
            ),
        ),
        field("Sources", sources.join(" · ")),
    ];
    let mut content = String::new();
    if let Some(b) = banner {
        content = truncate(b, 200);
    } else if i.verification == Verification::Rumour {
        content = "UNVERIFIED".into();
    }
    serde_json::json!({
        "content": content,
        "embeds": [{
            "title": title,
            "description": description,
            "color": severity_colour(i.severity),
            "fields": fields,
            "footer": {"text": format!("#{}   first seen {} UTC, updated {} UTC", i.id, i.first_seen.format("%H:%M"), i.updated.format("%H:%M"))},
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
    fn telegram_text_is_escaped_and_within_the_limit() {
        let hostile = "JNIM <b>claims</b> </a> & @everyone <script>x</script>";
        let html = telegram_html(&record(hostile, 1), Gazetteer::bundled(), None);
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
        let whole = telegram_html(&short, Gazetteer::bundled(), None);
        assert_eq!(telegram_caption(&short, Gazetteer::bundled(), None), whole);
        let long = record(&"The army said more. ".repeat(40), 60);
        let caption = telegram_caption(&long, Gazetteer::bundled(), None);
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
}
