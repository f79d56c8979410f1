//! Data APIs as sources (domain.md §6): GDELT DOC 2.0 article lists, ReliefWeb API v2 reports, and
//! ACLED events; and [`SourceItem`], what every source yields. GDELT and ReliefWeb give articles for the extractor; ACLED gives coded events that
//! become incidents directly and count as confirmed. Each is a parser from a response body to
//! items; fetching and scheduling are the poller's.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use crate::extract::{Extracted, Gazetteer, actors};
use crate::incident::grade::Standing;
use crate::incident::{Evidence, Report};
use crate::model::{Article, DatePrecision, Fatalities, Kind, SourceRef, TargetClass};

/// What a source yields.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceItem {
    /// An article for the extractor.
    Article(Article),
    /// An event already coded by a dataset, with the article record that stands for it.
    Event(Article, Box<Extracted>),
    /// A post of a Telegram channel: the article, the standing of who posted it, and whether it
    /// may be an edit of a post handed on before (the pipeline then compares it with the stored
    /// one and updates its incidents).
    Post {
        article: Article,
        standing: Standing,
        maybe_edit: bool,
    },
}

impl SourceItem {
    /// The article record of any item.
    pub fn article(&self) -> &Article {
        match self {
            SourceItem::Article(a) | SourceItem::Event(a, _) => a,
            SourceItem::Post { article, .. } => article,
        }
    }
}

/// Why an API response could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ApiError(pub String);

#[derive(Deserialize)]
struct GdeltList {
    #[serde(default)]
    articles: Vec<GdeltArticle>,
}

#[derive(Deserialize)]
struct GdeltArticle {
    url: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    seendate: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    language: String,
}

/// GDELT DOC 2.0 `mode=ArtList&format=json`: headlines with links (no body).
pub fn parse_gdelt(bytes: &[u8], source: &str) -> Result<Vec<SourceItem>, ApiError> {
    let list: GdeltList = serde_json::from_slice(bytes)
        .map_err(|e| ApiError(format!("GDELT response is not an article list: {e}")))?;
    Ok(list
        .articles
        .into_iter()
        .map(|a| {
            let published = NaiveDateTime::parse_from_str(&a.seendate, "%Y%m%dT%H%M%SZ")
                .ok()
                .map(|d| Utc.from_utc_datetime(&d));
            let lang = match a.language.to_ascii_lowercase().as_str() {
                "french" => Some("fr".to_string()),
                "english" => Some("en".to_string()),
                _ => None,
            };
            SourceItem::Article(Article {
                source: source.to_string(),
                guid: a.url.clone(),
                url: a.url,
                title: a.title,
                text: String::new(),
                published,
                lang,
                family: a.domain.trim_start_matches("www.").to_string(),
            })
        })
        .collect())
}

#[derive(Deserialize)]
struct ReliefList {
    #[serde(default)]
    data: Vec<ReliefReport>,
}

#[derive(Deserialize)]
struct ReliefReport {
    id: serde_json::Value,
    #[serde(default)]
    fields: ReliefFields,
}

#[derive(Deserialize, Default)]
struct ReliefFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    url_alias: Option<String>,
    #[serde(default)]
    date: Option<ReliefDate>,
    #[serde(default)]
    source: Vec<ReliefName>,
    #[serde(default)]
    language: Vec<ReliefLanguage>,
}

#[derive(Deserialize)]
struct ReliefDate {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    original: Option<String>,
}

#[derive(Deserialize)]
struct ReliefName {
    #[serde(default)]
    shortname: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct ReliefLanguage {
    #[serde(default)]
    code: Option<String>,
}

/// ReliefWeb API v2 `reports` with `fields[include]` title, body, url, date, source, language.
pub fn parse_reliefweb(bytes: &[u8], source: &str) -> Result<Vec<SourceItem>, ApiError> {
    let list: ReliefList = serde_json::from_slice(bytes)
        .map_err(|e| ApiError(format!("ReliefWeb response is not a report list: {e}")))?;
    Ok(list
        .data
        .into_iter()
        .map(|r| {
            // ReliefWeb ids come as numbers or as strings.
            let id = match &r.id {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let f = r.fields;
            let published = f
                .date
                .as_ref()
                .and_then(|d| d.original.as_deref().or(d.created.as_deref()))
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.with_timezone(&Utc));
            let url = f
                .url_alias
                .or(f.url)
                .unwrap_or_else(|| format!("https://reliefweb.int/node/{id}"));
            let family = f
                .source
                .first()
                .and_then(|s| s.shortname.clone().or(s.name.clone()))
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_else(|| "reliefweb".into());
            SourceItem::Article(Article {
                source: source.to_string(),
                guid: format!("reliefweb:{id}"),
                url,
                title: f.title,
                text: super::html::html_to_text(&f.body),
                published,
                lang: f.language.first().and_then(|l| l.code.clone()),
                family,
            })
        })
        .collect())
}

#[derive(Deserialize)]
struct AcledList {
    #[serde(default)]
    data: Vec<AcledEvent>,
}

#[derive(Deserialize)]
struct AcledEvent {
    event_id_cnty: String,
    event_date: String,
    #[serde(default)]
    time_precision: serde_json::Value,
    #[serde(default)]
    event_type: String,
    #[serde(default)]
    sub_event_type: String,
    #[serde(default)]
    actor1: String,
    #[serde(default)]
    actor2: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    latitude: serde_json::Value,
    #[serde(default)]
    longitude: serde_json::Value,
    #[serde(default)]
    geo_precision: serde_json::Value,
    #[serde(default)]
    fatalities: serde_json::Value,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    source: String,
}

/// ACLED numbers arrive as numbers or as strings.
fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// ACLED's sub-event types to sitrep kinds (domain.md §1.3).
fn acled_kind(event_type: &str, sub: &str) -> Kind {
    match sub {
        "Non-state actor overtakes territory" => Kind::TownSeized,
        "Government regains territory" => Kind::TerritoryRetaken,
        "Air/drone strike" => Kind::Airstrike,
        "Suicide bomb" => Kind::SuicideAttack,
        "Shelling/artillery/missile attack" => Kind::Shelling,
        "Remote explosive/landmine/IED" | "Grenade" => Kind::Ied,
        "Abduction/forced disappearance" => Kind::Abduction,
        "Attack" | "Sexual violence" => Kind::CivilianAttack,
        _ => match event_type {
            "Protests" | "Riots" => Kind::Unrest,
            "Strategic developments" => Kind::Political,
            _ => Kind::Clash,
        },
    }
}

/// ACLED `read` events to incidents: coded by ACLED, they count as confirmed.
pub fn parse_acled(
    bytes: &[u8],
    source: &str,
    gaz: &Gazetteer,
    seen: DateTime<Utc>,
) -> Result<Vec<SourceItem>, ApiError> {
    let list: AcledList = serde_json::from_slice(bytes)
        .map_err(|e| ApiError(format!("ACLED response is not an event list: {e}")))?;
    Ok(list
        .data
        .iter()
        .filter_map(|e| acled_item(e, source, gaz, seen))
        .collect())
}

/// One ACLED event as an article and its report; `None` without a readable date or a known
/// country.
fn acled_item(
    e: &AcledEvent,
    source: &str,
    gaz: &Gazetteer,
    seen: DateTime<Utc>,
) -> Option<SourceItem> {
    let date = NaiveDate::parse_from_str(&e.event_date, "%Y-%m-%d").ok()?;
    let country = gaz
        .lookup(&e.country)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|p| p.kind == crate::extract::gazetteer::PlaceKind::Country)
        .map(|p| p.country.clone())?;
    let url = format!("https://acleddata.com/event/{}", e.event_id_cnty);
    let published = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"));
    let article = Article {
        source: source.to_string(),
        url: url.clone(),
        guid: format!("acled:{}", e.event_id_cnty),
        title: format!("{} in {}", e.sub_event_type, e.location),
        text: e.notes.clone(),
        published: Some(published),
        lang: Some("en".into()),
        family: "acled".into(),
    };
    let source = SourceRef {
        url,
        outlet: "ACLED".into(),
        family: "acled".into(),
        published: Some(published),
        lang: Some("en".into()),
    };
    let report = acled_report(e, source, date, seen);
    Some(SourceItem::Event(
        article,
        Box::new(Extracted { country, report }),
    ))
}

/// The report ACLED's coding gives: kind, place and precision, date and its precision, actors,
/// toll; official and reported evidence.
fn acled_report(e: &AcledEvent, source: SourceRef, date: NaiveDate, seen: DateTime<Utc>) -> Report {
    let actor = |name: &str| actors::find(name).first().map(|m| m.actor.name.to_string());
    let perpetrator = actor(&e.actor1);
    let mut actor_names: Vec<String> = perpetrator.iter().cloned().collect();
    if let Some(a2) = actor(&e.actor2).filter(|a| !actor_names.contains(a)) {
        actor_names.push(a2);
    }
    let kind = acled_kind(&e.event_type, &e.sub_event_type);
    let deaths = number(&e.fatalities).map(|n| n as u32);
    let precision = number(&e.geo_precision)
        .map(|n| n as u8)
        .filter(|p| (1..=3).contains(p))
        .unwrap_or(1);
    let date_precision = match number(&e.time_precision).map(|n| n as u8) {
        Some(2) => DatePrecision::Week,
        Some(3) => DatePrecision::Month,
        _ => DatePrecision::Day,
    };
    Report {
        source,
        family: "acled".into(),
        kind,
        place: Some(e.location.clone()),
        admin1: Some(e.admin1.clone()).filter(|a| !a.is_empty()),
        lat: number(&e.latitude),
        lon: number(&e.longitude),
        geo_precision: precision,
        date,
        date_precision,
        date_end: None,
        actors: actor_names,
        perpetrator,
        target: (kind == Kind::CivilianAttack).then_some(TargetClass::Civilians),
        fatalities: deaths.map(|n| Fatalities {
            low: Some(n),
            best: Some(n),
            confirmed: true,
            ..Default::default()
        }),
        summary: if e.notes.is_empty() {
            format!("{} ({})", e.sub_event_type, e.source)
        } else {
            e.notes.clone()
        },
        evidence: Evidence {
            official: true,
            toll_official: deaths.is_some(),
            reported: true,
            ..Default::default()
        },
        story: Default::default(),
        seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdelt_article_list() {
        let body = br#"{"articles":[{"url":"https://www.rfi.fr/fr/afrique/x","url_mobile":"","title":"Mali : attaque contre le camp de Boulkessi","seendate":"20250602T091500Z","socialimage":"","domain":"rfi.fr","language":"French","sourcecountry":"France"}]}"#;
        let items = parse_gdelt(body, "gdelt").unwrap();
        let SourceItem::Article(a) = &items[0] else {
            panic!()
        };
        assert_eq!(a.title, "Mali : attaque contre le camp de Boulkessi");
        assert_eq!(a.lang.as_deref(), Some("fr"));
        assert_eq!(a.family, "rfi.fr");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2025-06-02T09:15:00+00:00"
        );
        assert!(parse_gdelt(b"<html>rate limited</html>", "gdelt").is_err());
        assert!(parse_gdelt(b"{}", "gdelt").unwrap().is_empty());
    }

    #[test]
    fn reliefweb_reports() {
        let body = br#"{"totalCount":1,"count":1,"data":[{"id":"4123456","fields":{"title":"Niger: Flash Update No. 1","body":"<p>On 12 June, unidentified armed men attacked the village of <b>Fambita</b>.</p>","url_alias":"https://reliefweb.int/report/niger/niger-flash-update-no-1","date":{"created":"2025-06-13T10:00:00+00:00","original":"2025-06-13T08:00:00+00:00"},"source":[{"name":"UN Office for the Coordination of Humanitarian Affairs","shortname":"OCHA"}],"language":[{"code":"en"}]}}]}"#;
        let items = parse_reliefweb(body, "rw").unwrap();
        let SourceItem::Article(a) = &items[0] else {
            panic!()
        };
        assert_eq!(a.guid, "reliefweb:4123456");
        assert_eq!(a.family, "ocha");
        assert_eq!(
            a.text,
            "On 12 June, unidentified armed men attacked the village of Fambita ."
        );
        assert_eq!(
            a.url,
            "https://reliefweb.int/report/niger/niger-flash-update-no-1"
        );
    }

    #[test]
    fn acled_events_become_confirmed_incidents() {
        let body = br#"{"status":200,"success":true,"count":1,"data":[{"event_id_cnty":"MLI33412","event_date":"2025-06-01","year":"2025","time_precision":"1","disorder_type":"Political violence","event_type":"Battles","sub_event_type":"Non-state actor overtakes territory","actor1":"JNIM: Group for Support of Islam and Muslims","actor2":"Military Forces of Mali (2021-)","country":"Mali","admin1":"Mopti","admin2":"Douentza","location":"Boulkessi","latitude":"15.0300","longitude":"-1.5500","geo_precision":"1","source":"RFI; Reuters","notes":"On 1 June 2025, JNIM militants attacked and overran the FAMa camp in Boulkessi. 30 soldiers were killed.","fatalities":"30"}]}"#;
        let seen = Utc.with_ymd_and_hms(2025, 6, 10, 0, 0, 0).unwrap();
        let items = parse_acled(body, "acled", Gazetteer::bundled(), seen).unwrap();
        let SourceItem::Event(article, found) = &items[0] else {
            panic!()
        };
        assert_eq!(article.guid, "acled:MLI33412");
        let i = found.incident();
        assert_eq!(
            (i.country.as_str(), i.place.as_deref()),
            ("ML", Some("Boulkessi"))
        );
        assert_eq!(i.kind, Kind::TownSeized);
        assert_eq!(i.perpetrator.as_deref(), Some("JNIM"));
        assert_eq!(i.actors, vec!["JNIM", "FAMa"]);
        assert_eq!(i.fatalities.unwrap().best, Some(30));
        assert!(i.fatalities.unwrap().confirmed);
        assert_eq!(i.verification.as_str(), "confirmed");
    }
}
