//! Extraction tests: the seed article exactly as DESIGN §8 says, and families of phrasings.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::model::{Kind, Severity, Verification};

fn run(title: &str, body: &str, published: &str) -> Extraction {
    let day = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let at = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
    let source = SourceRef {
        url: "https://example.org/a".into(),
        outlet: "test".into(),
        family: "test".into(),
        published: Some(at),
        lang: None,
    };
    extract(title, body, at, at, None, source, Gazetteer::bundled())
}

fn seed() -> Extraction {
    let text = include_str!("../../tests/fixtures/seed/jnim-boulikessi-timbuktu.txt");
    let (title, body) = text.split_once('\n').unwrap();
    run(title, body, "2025-06-03")
}

#[test]
fn seed_gives_exactly_two_incidents_and_an_aggregate() {
    let x = seed();
    let incidents: Vec<Incident> = x.incidents.iter().map(Extracted::incident).collect();
    assert_eq!(incidents.len(), 2, "{incidents:#?}");
    let a = &incidents[0];
    assert_eq!(
        (a.country.as_str(), a.place.as_deref()),
        ("ML", Some("Boulkessi"))
    );
    assert_eq!(a.date.to_string(), "2025-06-01");
    assert_eq!(a.kind, Kind::BaseOverrun);
    assert_eq!(a.perpetrator.as_deref(), Some("JNIM"));
    let f = a.fatalities.unwrap();
    assert_eq!((f.low, f.approx, f.confirmed), (Some(30), true, false));
    assert_eq!(a.severity, Severity::Critical);
    assert_eq!(a.verification, Verification::Corroborated);

    let b = &incidents[1];
    assert_eq!(
        (b.country.as_str(), b.place.as_deref()),
        ("ML", Some("Timbuktu"))
    );
    assert_eq!(b.date.to_string(), "2025-06-02");
    assert_eq!(b.kind, Kind::AttackOnCity);
    assert_eq!(b.perpetrator.as_deref(), Some("JNIM"));
    assert_eq!(b.fatalities, None);
    assert_eq!(b.severity, Severity::Critical);
    assert_eq!(b.verification, Verification::Reported);

    assert!(!x.aggregates.is_empty());
    let agg = &x.aggregates[0];
    assert_eq!(agg.deaths_low, Some(400));
    assert_eq!(agg.countries, vec!["ML", "BF", "NE"]);
}

#[test]
fn non_violent_attacks_are_not_incidents() {
    for (t, b) in [
        (
            "Former minister dies of heart attack in Bamako",
            "The former minister died of a heart attack on Sunday in Bamako, his family said.",
        ),
        (
            "Super Eagles attack shines",
            "Nigeria's attack tore through the defence in Abuja on Saturday as the Super Eagles won the match 3-0.",
        ),
        (
            "Cyber attack hits ministry",
            "A cyber attack paralysed the finance ministry in Niamey on Monday, officials said.",
        ),
        (
            "Opposition leader attacks president",
            "The opposition leader attacked the president's record in a speech in Ouagadougou on Friday.",
        ),
    ] {
        let x = run(t, b, "2025-06-03");
        assert!(x.incidents.is_empty(), "{t}: {:#?}", x.incidents);
    }
}

#[test]
fn history_and_totals_are_not_incidents() {
    let x = run(
        "Analysis: a decade of war in the Sahel",
        "Timbuktu fell under jihadist control in 2012 before French troops recaptured it. Since the start of the year, more than 1,000 civilians have been killed across Mali and Burkina Faso, according to ACLED data.",
        "2025-06-03",
    );
    assert!(x.incidents.is_empty(), "{:#?}", x.incidents);
    assert_eq!(x.aggregates.len(), 1);
}

#[test]
fn french_report_with_place_date_toll_and_sources() {
    let x = run(
        "Burkina : au moins 25 civils tués dans une attaque à Djibo",
        "Des hommes armés non identifiés ont attaqué dimanche dernier un marché de Djibo, dans la province du Soum, tuant au moins vingt-cinq civils, selon des sources locales.",
        "2025-06-03",
    );
    let inc: Vec<Incident> = x.incidents.iter().map(Extracted::incident).collect();
    assert_eq!(inc.len(), 1, "{inc:#?}");
    let i = &inc[0];
    assert_eq!(i.country, "BF");
    assert_eq!(i.place.as_deref(), Some("Djibo"));
    assert_eq!(i.date.to_string(), "2025-06-01");
    assert_eq!(i.kind, Kind::CivilianAttack);
    assert_eq!(i.perpetrator.as_deref(), Some("unidentified armed group"));
    assert_eq!(i.fatalities.unwrap().best, Some(25));
    assert_eq!(i.verification, Verification::Reported);
    assert_eq!(i.severity, Severity::High);
    assert_eq!(x.lang, "fr");
}

#[test]
fn niger_state_is_in_nigeria() {
    let x = run(
        "Bandits kill 12 in Niger State",
        "Armed bandits killed 12 villagers in Shiroro, Niger State, on Tuesday, police said.",
        "2025-06-05",
    );
    let inc: Vec<Incident> = x.incidents.iter().map(Extracted::incident).collect();
    assert_eq!(inc.len(), 1, "{inc:#?}");
    assert_eq!(inc[0].country, "NG");
    assert_eq!(inc[0].perpetrator.as_deref(), Some("bandits"));
}

fn places(title: &str, body: &str) -> Vec<(String, String)> {
    run(title, body, "2025-06-05")
        .incidents
        .iter()
        .map(|e| {
            let i = e.incident();
            (i.country, i.place.unwrap_or_default())
        })
        .collect()
}

#[test]
fn look_alike_places_stay_apart() {
    assert_eq!(
        places(
            "",
            "Gunmen attacked a police station in Gaoua on Tuesday, killing two officers."
        ),
        vec![("BF".to_string(), "Gaoua".to_string())]
    );
    assert_eq!(
        places(
            "",
            "Gunmen attacked a police station in Gao on Tuesday, killing two officers."
        ),
        vec![("ML".to_string(), "Gao".to_string())]
    );
    let niono = places(
        "",
        "Des hommes armés ont attaqué mardi un poste de la gendarmerie à Niono, tuant trois gendarmes.",
    );
    let nioro = places(
        "",
        "Des hommes armés ont attaqué mardi un poste de la gendarmerie à Nioro du Sahel, tuant trois gendarmes.",
    );
    assert_eq!(niono[0].1, "Niono");
    assert_eq!(nioro[0].1, "Nioro du Sahel");
    let triangle = places(
        "",
        "ISWAP fighters ambushed a convoy in the Timbuktu Triangle of Borno State on Tuesday, killing seven soldiers.",
    );
    assert_eq!(
        triangle,
        vec![("NG".to_string(), "Timbuktu Triangle".to_string())]
    );
}

#[test]
fn spelling_variants_resolve_to_one_place() {
    for (text, want) in [
        (
            "Jihadists overran the army post at Chinégodar on Tuesday.",
            "Chinagodrar",
        ),
        (
            "Jihadists overran the army post at Chinegodar on Tuesday.",
            "Chinagodrar",
        ),
        (
            "Des jihadistes ont attaqué mardi le camp de Tinzaouatène.",
            "Tinzaouaten",
        ),
        (
            "Des jihadistes ont attaqué mardi le camp de Tin-Zaouaten.",
            "Tinzaouaten",
        ),
        (
            "Gunmen attacked a checkpoint in Fada Ngourma on Tuesday.",
            "Fada N'Gourma",
        ),
    ] {
        let p = places("", text);
        assert_eq!(p.first().map(|x| x.1.as_str()), Some(want), "{text}: {p:?}");
    }
}

#[test]
fn several_incidents_in_one_report() {
    let x = run(
        "Burkina: two attacks in the north",
        "Gunmen killed 12 civilians in Arbinda on Sunday, residents said. In a separate attack on Monday, jihadists ambushed an army convoy near Djibo, killing five soldiers, security sources said.",
        "2025-06-03",
    );
    let got: Vec<(String, String, String)> = x
        .incidents
        .iter()
        .map(|e| {
            let i = e.incident();
            (
                i.place.unwrap_or_default(),
                i.date.to_string(),
                i.kind.to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Aribinda".into(),
                "2025-06-01".into(),
                "civilian_attack".into()
            ),
            ("Djibo".into(), "2025-06-02".into(), "ambush".into()),
        ]
    );
}

#[test]
fn claimed_militant_deaths_count_under_militants_and_wounded_never() {
    let x = run(
        "",
        "L'armée malienne a affirmé mardi avoir neutralisé 40 terroristes lors de frappes aériennes près de Douentza. Trois soldats ont été blessés.",
        "2025-06-03",
    );
    let i = x.incidents[0].incident();
    assert_eq!(i.kind, Kind::Airstrike);
    let f = i.fatalities.unwrap();
    assert_eq!(
        (f.best, f.by_side.militants, f.by_side.forces),
        (Some(40), Some(40), None)
    );
    assert!(
        !f.confirmed,
        "a state's count of enemy dead stays its claim"
    );
    assert_eq!(i.verification, Verification::Claimed);
    assert_eq!(i.perpetrator.as_deref(), Some("FAMa"));
}
