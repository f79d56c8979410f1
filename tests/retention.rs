//! Retention: incidents and articles older than `store.retention_days` are pruned with every
//! index entry that points at them, and what is newer stays untouched.

use chrono::{DateTime, TimeZone, Utc};
use sitrep::extract::Gazetteer;
use sitrep::model::{Article, Target};
use sitrep::pipeline::Pipeline;
use sitrep::route::Sent;
use sitrep::store::{Pruned, Store};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn article(guid: &str, published: DateTime<Utc>, title: &str, text: &str) -> Article {
    Article {
        source: "wire".into(),
        url: format!("https://news.example.org/{guid}"),
        guid: guid.into(),
        title: title.into(),
        text: text.into(),
        published: Some(published),
        lang: Some("en".into()),
        family: "example".into(),
    }
}

/// Ingests one article as if it arrived on its publication day; returns its incident ids.
fn ingest(store: &Store, a: &Article) -> Vec<String> {
    let mut p = Pipeline::new(
        store.clone(),
        Gazetteer::bundled(),
        std::time::Duration::from_secs(72 * 3600),
    )
    .with_as_of(a.published);
    p.ingest(a).unwrap().incident_ids
}

#[test]
fn prune_removes_old_incidents_and_articles_with_their_indexes() {
    let store = Store::temporary().unwrap();
    let old = article(
        "old-1",
        at(2025, 1, 10),
        "Gunmen kill 12 villagers in Mopti region",
        "Gunmen killed 12 villagers in an attack on the village of Ogossagou in Mali's Mopti region on Thursday, local officials said.",
    );
    let new = article(
        "new-1",
        at(2025, 6, 10),
        "Attack on army post near Djibo kills 9 soldiers",
        "Suspected jihadists killed 9 soldiers in an attack on an army post near Djibo in northern Burkina Faso on Monday, security sources said.",
    );
    let old_ids = ingest(&store, &old);
    let new_ids = ingest(&store, &new);
    assert_eq!(old_ids.len(), 1, "the old article makes one incident");
    assert_eq!(new_ids.len(), 1, "the new article makes one incident");
    let target: Target = "telegram:-1001".parse().unwrap();
    for id in old_ids.iter().chain(&new_ids) {
        let d = sitrep::route::Delivery {
            target,
            incident_id: id.clone(),
            action: sitrep::route::Action::New,
            met_thresholds: true,
            lang: Default::default(),
        };
        store.enqueue(&[d], Utc::now()).unwrap();
    }
    for e in store.pending_deliveries().unwrap() {
        let sent = Sent {
            message_id: "1".into(),
            met_thresholds: true,
            form: Default::default(),
            lang: Default::default(),
        };
        store.complete_delivery(&e, &sent).unwrap();
    }

    let pruned = store.prune(at(2025, 3, 1)).unwrap();
    assert_eq!(
        pruned,
        Pruned {
            incidents: 1,
            articles: 1
        }
    );
    assert!(store.incident(&old_ids[0]).unwrap().is_none());
    assert!(store.sent(&target, &old_ids[0]).unwrap().is_none());
    let old_day = store.incident(&new_ids[0]).unwrap().unwrap();
    assert_eq!(old_day.incident.id, new_ids[0], "the newer incident stays");
    assert!(store.sent(&target, &new_ids[0]).unwrap().is_some());
    assert_eq!(store.article_count(), 1);
    assert_eq!(
        store
            .candidates(
                "ML",
                chrono::NaiveDate::from_ymd_opt(2025, 1, 9).unwrap(),
                3
            )
            .unwrap(),
        vec![],
        "the matching index forgets the pruned incident"
    );
    // Its dedup keys are gone with it: a late copy is read again (and, being old, not alerted).
    assert!(
        !store
            .article_seen("wire", "old-1", Some("https://news.example.org/old-1"))
            .unwrap()
    );
    assert!(store.article_seen("wire", "new-1", None).unwrap());
    // A second pass finds nothing more.
    assert_eq!(store.prune(at(2025, 3, 1)).unwrap(), Pruned::default());
}
