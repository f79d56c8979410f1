//! One incident, many reports: the multi-outlet set of tests/fixtures/dedup (95 fictional items in
//! 8 feeds, 30 incidents, wire copies, toll revisions, confirmations, a denial, look-alike pairs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sitrep::config::Config;
use sitrep::eval::eval_dedup;
use sitrep::extract::Gazetteer;
use sitrep::model::Article;
use sitrep::pipeline::Pipeline;
use sitrep::store::Store;

const DIR: &str = "tests/fixtures/dedup";

fn feeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    v
}

fn family(config: &Config, name: &str) -> String {
    config
        .sources
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.family())
        .unwrap_or_else(|| name.to_string())
}

fn config() -> Config {
    let text = std::fs::read_to_string(Path::new(DIR).join("sources.toml")).unwrap();
    Config::parse(&text, "sources.toml", &|_| None).unwrap().0
}

fn articles() -> Vec<Article> {
    let config = config();
    let mut out = Vec::new();
    for f in feeds() {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let mut items = sitrep::source::read_feed_file(&f, &name).unwrap();
        for a in &mut items {
            a.family = family(&config, &name);
        }
        out.extend(items);
    }
    out
}

fn as_of() -> chrono::DateTime<chrono::Utc> {
    "2026-11-21T00:00:00Z".parse().unwrap()
}

/// What a subscriber would see of every incident, without ids and clocks.
fn outcome(articles: &[Article]) -> BTreeSet<String> {
    let store = Store::temporary().unwrap();
    let mut p = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        std::time::Duration::from_secs(3650 * 86400),
    )
    .with_as_of(Some(as_of()));
    for a in articles {
        p.ingest(a).unwrap();
    }
    store
        .all_incidents()
        .unwrap()
        .into_iter()
        .map(|r| {
            let i = r.incident;
            // Of two exact copies (same canonical URL), whichever came first is kept.
            let mut urls: Vec<String> = i
                .sources
                .iter()
                .map(|s| sitrep::source::canonical_url(&s.url).unwrap_or(s.url.clone()))
                .collect();
            urls.sort();
            format!(
                "{} {:?} {} {} {} {:?} {:?} {:?}",
                i.country,
                i.place,
                i.date,
                i.kind,
                i.verification,
                i.fatalities.and_then(|f| f.best),
                i.perpetrator,
                urls
            )
        })
        .collect()
}

#[test]
fn items_group_into_the_expected_incidents() {
    let config = config();
    let families = |name: &str| family(&config, name);
    let score = eval_dedup(
        &feeds(),
        &Path::new(DIR).join("expected.json"),
        &families,
        Gazetteer::bundled(),
    )
    .unwrap();
    let report = format!("{}\n{}", score.report(), score.misses.join("\n"));
    assert!(score.items >= 60, "{report}");
    assert!(score.precision() >= 0.95, "{report}");
    assert!(score.f1() >= 0.93, "{report}");
    assert!(
        score.verification_correct * 10 >= score.clusters * 7,
        "{report}"
    );
    assert!(
        score.fatalities_correct * 10 >= score.clusters * 8,
        "{report}"
    );
}

#[test]
fn arrival_order_does_not_change_the_incidents() {
    let mut by_time = articles();
    by_time.sort_by_key(|a| a.published);
    // The same reports in feed order (outlet by outlet), and newest first.
    let feed_order = articles();
    let mut newest_first = by_time.clone();
    newest_first.reverse();
    let expected = outcome(&by_time);
    for (name, order) in [("feed order", &feed_order), ("newest first", &newest_first)] {
        let got = outcome(order);
        let missing: Vec<&String> = expected.difference(&got).collect();
        let extra: Vec<&String> = got.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: missing {missing:#?}\nextra {extra:#?}"
        );
    }
}

#[test]
fn old_items_are_stored_and_merged_but_never_alerted() {
    let store = Store::temporary().unwrap();
    let mut p = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        std::time::Duration::from_secs(72 * 3600),
    )
    .with_as_of(Some("2027-06-01T00:00:00Z".parse().unwrap()));
    let mut events = 0;
    let mut items = articles();
    items.sort_by_key(|a| a.published);
    for a in &items {
        events += p.ingest(a).unwrap().events.len();
    }
    assert_eq!(events, 0, "no flood of old news");
    assert!(store.incident_count() >= 20, "but everything is stored");
    assert!(p.counts.too_old > 60);
}

#[test]
fn wire_republications_count_once() {
    let mut items = articles();
    items.sort_by_key(|a| a.published);
    let store = Store::temporary().unwrap();
    let mut p = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        std::time::Duration::from_secs(3650 * 86400),
    )
    .with_as_of(Some(as_of()));
    for a in &items {
        p.ingest(a).unwrap();
    }
    assert!(p.counts.duplicates >= 2, "same GUID or URL: {:?}", p.counts);
    assert!(p.counts.near_duplicates >= 3, "near-copies: {:?}", p.counts);
    // Diboli: one wire in two languages plus an aggregator repost stays one family: reported.
    let diboli = store
        .all_incidents()
        .unwrap()
        .into_iter()
        .find(|r| r.incident.place.as_deref() == Some("Diboli"))
        .expect("Diboli incident");
    assert!(
        diboli.incident.sources.len() >= 3,
        "{:?}",
        diboli.incident.sources
    );
    assert_eq!(diboli.incident.verification.as_str(), "reported");
}

/// Regression: an update's summary came from its latest report ("Clash at Boulkessi") while the
/// merged incident stayed a base overrun; the summary now says what the merged incident says.
#[test]
fn the_summary_follows_the_merged_incident_not_the_latest_report() {
    let article = |source: &str, guid: &str, published: &str, title: &str, text: &str| Article {
        source: source.into(),
        url: format!("https://{source}.example/{guid}"),
        guid: guid.into(),
        title: title.into(),
        text: text.into(),
        published: Some(published.parse().unwrap()),
        lang: None,
        family: source.into(),
    };
    let first = article(
        "rfi",
        "rfi-1",
        "2025-06-02T18:30:00Z",
        "Mali : le camp militaire de Boulkessi attaqué par le JNIM",
        "Le camp militaire de Boulkessi, dans le centre du Mali, a été attaqué dimanche à l'aube par des combattants du JNIM, qui ont revendiqué l'assaut. Selon des sources locales, les assaillants se sont emparés du camp. Plus d'une trentaine de soldats auraient été tués.",
    );
    let toll = article(
        "wire",
        "wire-1",
        "2025-06-04T10:05:00Z",
        "Mali army says 34 soldiers were killed in Boulkessi attack",
        "BAMAKO - Mali's army said on Wednesday that 34 soldiers were killed when jihadists attacked its camp in Boulkessi on Sunday. The general staff said in a statement that the death toll rose to 34.",
    );
    let store = Store::temporary().unwrap();
    let mut p = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        std::time::Duration::from_secs(100_000 * 3600),
    );
    p.ingest(&first).unwrap();
    let out = p.ingest(&toll).unwrap();
    let incident = store
        .incident(&out.incident_ids[0])
        .unwrap()
        .unwrap()
        .incident;
    assert_eq!(incident.kind, sitrep::model::Kind::BaseOverrun);
    assert_eq!(
        incident.summary,
        "Base overrun at Boulkessi, Mali, claimed by JNIM; 34 killed."
    );
}
