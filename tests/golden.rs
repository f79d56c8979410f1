//! Extraction scored on the golden corpus (tests/fixtures/articles: 86 fictional articles, half
//! English, half French, with expected incidents). The floors sit a little under the measured
//! figures so that a real regression fails and a one-article wobble does not.

use std::path::Path;

use sitrep::eval::eval_extract;
use sitrep::extract::Gazetteer;

#[test]
fn golden_corpus_scores_stay_above_their_floors() {
    let score = eval_extract(Path::new("tests/fixtures/articles"), Gazetteer::bundled()).unwrap();
    let report = format!("{}\n{}", score.report(), score.misses.join("\n"));
    assert!(score.articles >= 80, "{report}");
    assert!(score.precision() >= 0.83, "{report}");
    assert!(score.recall() >= 0.85, "{report}");
    assert!(score.f1() >= 0.85, "{report}");
    for (field, floor) in [
        ("country", 0.97),
        ("place", 0.93),
        ("date", 0.93),
        ("kind", 0.90),
        ("perpetrator", 0.90),
        ("fatalities", 0.90),
        ("severity", 0.82),
        ("verification", 0.74),
    ] {
        assert!(
            score.accuracy(field) >= floor,
            "{field} under {floor}\n{report}"
        );
    }
}

#[test]
fn articles_without_incidents_give_none() {
    // Sports, elections, a trade deal, floods, analysis: none of them is an incident.
    let score = eval_extract(Path::new("tests/fixtures/articles"), Gazetteer::bundled()).unwrap();
    let extras: Vec<&String> = score
        .misses
        .iter()
        .filter(|m| {
            m.contains(": extra ")
                && ["051-", "057-", "058-", "059-", "062-"]
                    .iter()
                    .any(|p| m.starts_with(p))
        })
        .collect();
    assert!(extras.is_empty(), "{extras:#?}");
}
