//! The scorers of real text (`sitrep eval ucdp`, `eval feeds`, `eval feeds-dedup`) on small
//! invented files in the real formats (`tests/fixtures/real_eval`): each field's hits and misses
//! are counted where the fixture says they should be. The truth side of each row or label is
//! chosen so that a plainly written headline is right or wrong on a known field.

use std::path::Path;

use sitrep::eval::feeds::{canonical_perpetrator, kind_right};
use sitrep::eval::ucdp::{UCDP_FIELDS, usable_headline};
use sitrep::eval::{eval_feeds, eval_feeds_dedup, eval_ucdp};
use sitrep::extract::Gazetteer;
use sitrep::model::Kind;

const UCDP: &str = "tests/fixtures/real_eval/ucdp.csv";
const FEEDS: &str = "tests/fixtures/real_eval/feeds.jsonl";

fn field(name: &str) -> usize {
    UCDP_FIELDS.iter().position(|f| *f == name).unwrap()
}

#[test]
fn ucdp_rows_are_skipped_for_the_right_reasons() {
    let s = eval_ucdp(Path::new(UCDP), None, Gazetteer::bundled()).unwrap();
    assert_eq!(s.rows, 12);
    // "Governor opens new market" and a report id.
    assert_eq!(s.skipped_headline, 2);
    // A 2013 report of a 2010 event.
    assert_eq!(s.skipped_old, 1);
    assert_eq!(s.skipped_bad, 0);
    assert_eq!(s.scored, 9);
}

#[test]
fn ucdp_counts_each_field_right_and_wrong() {
    let s = eval_ucdp(Path::new(UCDP), None, Gazetteer::bundled()).unwrap();
    let want = [
        // (field, right, counted)
        ("found", 8, 9),       // the bomb-disposal headline gives nothing
        ("country", 7, 9),     // ... and Diffa is in Niger
        ("state", 6, 9),       // ... and row 2 was coded in Kano
        ("place", 5, 8),       // row 3 is coded to its state only: not counted
        ("date", 7, 9),        // row 3 happened two weeks before
        ("deaths", 7, 9),      // row 2's 8..12 is not four; row 11 has no figure for none
        ("perpetrator", 1, 3), // only jihadist sides count; IS is ISWAP, not Boko Haram
    ];
    for (name, right, counted) in want {
        let i = field(name);
        assert_eq!(
            (s.correct[i], s.counted[i]),
            (right, counted),
            "{name}: {:#?}",
            s.misses
        );
    }
    assert!((s.accuracy("perpetrator") - 1.0 / 3.0).abs() < 1e-9);
    let row2 = s.misses.iter().find(|m| m.starts_with("2 ")).unwrap();
    assert!(row2.contains("[state,place,deaths]"), "{row2}");
    assert!(row2.contains("want Kano"), "{row2}");
    // Row 10's second headline is scored with its own date: nothing missed.
    assert!(
        !s.misses.iter().any(|m| m.starts_with("10 ")),
        "{:#?}",
        s.misses
    );
    assert!(s.report().contains("perpetrator"));
}

#[test]
fn ucdp_limit_stops_after_that_many_scored_rows() {
    let s = eval_ucdp(Path::new(UCDP), Some(2), Gazetteer::bundled()).unwrap();
    assert_eq!(s.scored, 2);
    assert_eq!(s.correct[field("found")], 2);
}

#[test]
fn ucdp_file_without_its_columns_is_a_clear_error() {
    let path = std::env::temp_dir().join(format!("sitrep-not-ged-{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let err = eval_ucdp(&path, None, Gazetteer::bundled()).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert!(err.to_string().contains("not a UCDP GED file"), "{err}");
}

#[test]
fn headlines_without_violence_or_that_are_report_titles_are_not_used() {
    assert!(usable_headline("Gunmen kill four in Jos"));
    assert!(usable_headline("Two die as rival groups clash"));
    assert!(!usable_headline("Governor opens new market in Jos"));
    assert!(!usable_headline("IBD014649"));
    assert!(!usable_headline("Situation North East: attacks on farms"));
    assert!(!usable_headline("Killings in two villages (p. 18)"));
}

#[test]
fn feeds_counts_found_precision_fields_and_distractors() {
    let s = eval_feeds(Path::new(FEEDS), Gazetteer::bundled()).unwrap();
    assert_eq!(s.entries, 8);
    assert_eq!(s.unreadable.len(), 1, "{:?}", s.unreadable);
    assert!(s.unreadable[0].contains("line 9"), "{:?}", s.unreadable);
    assert_eq!(s.labelled, 5);
    // Jos twice and Zamfara by place; Bauchi (labelled Gombe) by country only; the Kano
    // attack labelled in Senegal not at all.
    assert_eq!(
        (s.matched_strict, s.matched_loose),
        (3, 1),
        "{:#?}",
        s.misses
    );
    assert_eq!(s.extracted, 7);
    assert!((s.precision() - 4.0 / 7.0).abs() < 1e-9);
    let want = [
        ("country", 4, 4),
        ("place", 3, 4),
        ("date", 2, 3),
        ("kind", 3, 4), // Zamfara's massacre counts as civilian_attack
        ("perpetrator", 3, 4),
        ("deaths", 3, 4),
    ];
    for (name, right, counted) in want {
        let i = sitrep::eval::feeds::FEEDS_FIELDS
            .iter()
            .position(|f| *f == name)
            .unwrap();
        assert_eq!(
            (s.correct[i], s.counted[i]),
            (right, counted),
            "{name}: {:#?}",
            s.misses
        );
    }
    // The Maiduguri killing and the Jos toll update are labelled without incidents.
    assert_eq!(
        (s.distractors, s.distractors_hit, s.distractor_incidents),
        (3, 2, 2)
    );
    assert!(
        s.misses
            .iter()
            .any(|m| m.starts_with("f3: incident from distractor"))
    );
    assert!(s.misses.iter().any(|m| m.starts_with("f5: missed k5")));
}

#[test]
fn feeds_dedup_scores_pairs_keys_and_wrong_merges() {
    let s = eval_feeds_dedup(Path::new(FEEDS), Gazetteer::bundled()).unwrap();
    assert_eq!((s.entries, s.keyed), (8, 5));
    // The two Jos reports share k1 and one stored incident; nothing else shares a key.
    assert_eq!(
        (s.pairs_expected, s.pairs_predicted, s.pairs_correct),
        (1, 1, 1),
        "{:#?}",
        s.misses
    );
    // The toll update labelled without incidents joined the Jos incident.
    assert_eq!(s.wrong_merges, 1, "{:#?}", s.misses);
    assert_eq!(s.keys, 4);
    let k1 = s.per_key.iter().find(|l| l.starts_with("k1 ")).unwrap();
    // One official report: confirmed is expected; the label toll is 4, the update said six.
    assert!(k1.contains("want confirmed"), "{k1}");
    assert!(k1.contains("toll want Some(4) got Some(6) x"), "{k1}");
    let k7 = s.per_key.iter().find(|l| l.starts_with("k7 ")).unwrap();
    assert!(k7.contains("want reported"), "{k7}");
    assert!(k7.contains("toll want Some(15) got Some(15) "), "{k7}");
}

#[test]
fn label_names_map_to_sitrep_names() {
    assert!(kind_right("massacre", Kind::CivilianAttack));
    assert!(!kind_right("massacre", Kind::Clash));
    assert!(kind_right("other", Kind::Political));
    assert!(kind_right("abduction", Kind::Abduction));
    assert!(!kind_right("airstrike", Kind::CivilianAttack));
    assert_eq!(
        canonical_perpetrator("Unidentified armed group"),
        "unidentified armed group"
    );
    assert_eq!(canonical_perpetrator("boko haram"), "Boko Haram");
    assert_eq!(canonical_perpetrator("US military"), "US military");
}
