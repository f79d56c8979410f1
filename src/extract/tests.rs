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
    // A year ago, in either language and number.
    for title in [
        "Il y a un an, l'attaque de Barsalogho faisait des centaines de morts",
        "Il y a deux ans, 50 soldats tués à Djibo",
        "One year ago, jihadists killed 100 people in Barsalogho",
    ] {
        assert!(headline(title, "2025-06-03").is_empty(), "{title}");
    }
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

/// The incidents of a headline alone, published on `day`.
fn headline(title: &str, day: &str) -> Vec<Incident> {
    run(title, "", day)
        .incidents
        .iter()
        .map(Extracted::incident)
        .collect()
}

/// The first incident of a headline read on 2025-06-20; fails the test when there is none.
fn first_incident(title: &str) -> Incident {
    headline(title, "2025-06-20")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no incident: {title}"))
}

fn toll(i: &Incident) -> (Option<u32>, crate::model::BySide) {
    let f = i.fatalities.expect("a toll");
    (f.best, f.by_side)
}

#[test]
fn deaths_on_every_side_are_counted_with_their_side() {
    let i = &headline("Troops kill nine insurgents in Yobe", "2024-05-02")[0];
    assert_eq!(
        (i.country.as_str(), i.place.as_deref()),
        ("NG", Some("Yobe"))
    );
    let (best, side) = toll(i);
    assert_eq!(
        (best, side.militants, side.forces),
        (Some(9), Some(9), None)
    );

    let i = &headline(
        "At least 14 soldiers, two civilians killed in western Niger",
        "2024-05-02",
    )[0];
    let (best, side) = toll(i);
    assert_eq!(
        (best, side.forces, side.civilians),
        (Some(16), Some(14), Some(2))
    );

    let i = &headline("Attaque de Djibo ce matin: 12 soldats tués", "2024-05-02")[0];
    assert_eq!(i.place.as_deref(), Some("Djibo"));
    assert_eq!(toll(i).1.forces, Some(12));
}

#[test]
fn people_named_by_role_count_one_death_each() {
    for (title, place) in [
        ("Gunmen kill village head in Borno", "Borno"),
        (
            "Bandits kill district head, abduct wife in Katsina",
            "Katsina",
        ),
        ("Un soldat tué dans une embuscade près de Téra", "Téra"),
        ("Suspected herdsmen kill one farmer in Benue", "Benue"),
    ] {
        let found = headline(title, "2024-05-02");
        let i = found
            .first()
            .unwrap_or_else(|| panic!("nothing from {title:?}"));
        assert_eq!(i.place.as_deref(), Some(place), "{title}");
        assert_eq!(toll(i).0, Some(1), "{title}");
    }
    // Abducted and wounded people are never deaths.
    let i = &headline("Gunmen abduct 30 schoolgirls in Katsina", "2024-05-02")[0];
    assert_eq!(i.kind, Kind::Abduction);
    assert_eq!(i.fatalities, None);
}

#[test]
fn dying_verbs_and_feared_dead_give_a_toll() {
    let i = &headline("Twelve die as gunmen attack Benue community", "2024-05-02")[0];
    assert_eq!(toll(i).0, Some(12));
    let i = &headline(
        "Three feared dead as gunmen attack village in Kaduna",
        "2024-05-02",
    )[0];
    let f = i.fatalities.unwrap();
    assert_eq!((f.best, f.approx), (Some(3), true));
}

#[test]
fn a_state_statement_confirms_an_attack_on_its_forces_or_civilians() {
    for title in [
        "Police confirm gunmen killed five in Kaduna village",
        "Gunmen kill five worshippers in Kaduna church - police",
        "Five killed as gunmen attack Kaduna village, officials say",
    ] {
        let i = &headline(title, "2024-05-02")[0];
        assert_eq!(i.verification, Verification::Confirmed, "{title}");
    }
    // What a state says of its own operations stays its claim.
    let i = &headline(
        "Troops kill 12 insurgents in Borno, army says",
        "2024-05-02",
    )[0];
    assert_eq!(i.verification, Verification::Claimed);
    assert!(!i.fatalities.unwrap().confirmed);
    // Neither confirmed nor denied by the authorities: not a confirmation.
    let x = run(
        "",
        "Des hommes armés ont attaqué le village de Kobou mardi, selon des habitants. Ni l'armée ni les autorités locales n'ont confirmé l'attaque.",
        "2024-05-02",
    );
    assert_ne!(
        x.incidents[0].incident().verification,
        Verification::Confirmed
    );
}

#[test]
fn events_outside_the_region_give_no_incident() {
    for title in [
        "Rebels kill nine soldiers in eastern DR Congo",
        "Explosion at a market in Syria's Homs kills four",
        "Des rebelles tuent douze civils au Soudan",
        "Fifty dead after boat sinks off Morocco",
        "Junta leader granted another five years in power after last year's coup",
        // The country the headline is about, after its colon or as the one that suffered.
        "'Terrible tragedy': Canada rocked by mass killing of a family",
        "Mexico mourns 12 killed in bar shooting",
        "Breaking: Sudan paramilitaries kill 40 villagers",
    ] {
        assert!(headline(title, "2024-05-02").is_empty(), "{title}");
    }
    // A foreign country that acts in the region's story is no sign of elsewhere.
    assert_eq!(
        headline(
            "France rules out talks with Boko Haram, 10 killed in Borno",
            "2024-05-02"
        )
        .len(),
        1
    );
    // A West African story that mentions a country elsewhere is still read.
    assert_eq!(
        headline(
            "Gunmen kill six in Kaduna as Russia and France condemn violence",
            "2024-05-02"
        )
        .len(),
        1
    );
}

#[test]
fn a_village_the_gazetteer_lacks_keeps_its_name_with_its_unit() {
    let x = run(
        "",
        "On 28 April 2024, presumed JNIM militants killed four civilians in the village of Kossoyel (Bankass, Mopti).",
        "2024-05-02",
    );
    let i = x.incidents[0].incident();
    assert_eq!(
        (i.country.as_str(), i.place.as_deref()),
        ("ML", Some("Kossoyel"))
    );
    assert_eq!(i.admin1.as_deref(), Some("Mopti"));
    assert_eq!(i.date.to_string(), "2024-04-28");
    assert_eq!(i.perpetrator.as_deref(), Some("JNIM"));
    assert!(i.geo_precision >= 2 && i.lat.is_some());

    let i = &headline(
        "Gunmen kill three farmers in Tyoshe village, Benue",
        "2024-05-02",
    )[0];
    assert_eq!(
        (i.place.as_deref(), i.admin1.as_deref()),
        (Some("Tyoshe"), Some("Benue"))
    );
}

#[test]
fn the_capital_is_placed_in_the_countrys_capital() {
    let i = &headline(
        "Soldiers exchange heavy gunfire near the presidency in Guinea-Bissau's capital",
        "2024-05-02",
    );
    assert_eq!(i[0].country, "GW");
    assert_eq!(i[0].place.as_deref(), Some("Bissau"));
}

#[test]
fn multi_day_battles_carry_their_span() {
    // Published on a Sunday: Thursday to Saturday is the 2nd to the 4th.
    let i = &headline(
        "Fighting between troops and jihadists raged from Thursday to Saturday near Djibo",
        "2024-05-05",
    )[0];
    assert_eq!(i.date.to_string(), "2024-05-02");
    assert_eq!(
        i.date_end.map(|d| d.to_string()).as_deref(),
        Some("2024-05-04")
    );
    let i = &headline(
        "Trois jours de combats entre l'armée et des jihadistes près de Djibo",
        "2024-05-05",
    )[0];
    assert_eq!(i.date.to_string(), "2024-05-03");
    assert_eq!(
        i.date_end.map(|d| d.to_string()).as_deref(),
        Some("2024-05-05")
    );
    // "three days ago" is a date, not a span.
    let i = &headline(
        "Gunmen killed five people in Kaduna three days ago",
        "2024-05-05",
    )[0];
    assert_eq!(i.date_end, None);
}

/// The first incident a headline alone gives: (country, kind, perpetrator).
fn alone(title: &str) -> Option<(String, Kind, Option<String>)> {
    headline(title, "2025-12-26")
        .into_iter()
        .next()
        .map(|i| (i.country, i.kind, i.perpetrator))
}

#[test]
fn air_strikes_are_read_in_their_many_phrasings_and_given_to_who_flew_them() {
    for (title, country, by) in [
        (
            "Air strikes in Chad kill 12 fishermen",
            "TD",
            "Chadian army",
        ),
        (
            "Nigerian air raid mistakenly kills villagers in Zamfara",
            "NG",
            "Nigerian military",
        ),
        ("Village near Menaka bombed by army drones", "ML", "FAMa"),
        (
            "US air strikes in Nigeria welcomed by residents",
            "NG",
            "US military",
        ),
        (
            "Warplanes struck militant camps near Djibo",
            "BF",
            "Burkina forces",
        ),
        ("Bombs hit a market in northern Mali", "ML", "FAMa"),
    ] {
        let got = alone(title);
        assert_eq!(
            got,
            Some((country.to_string(), Kind::Airstrike, Some(by.to_string()))),
            "{title}"
        );
    }
}

#[test]
fn coups_announced_or_foiled_are_political_events() {
    for title in [
        "Soldiers on Niger state television announce apparent coup",
        "Hunt for Benin coup plotters after attempt foiled",
        "Tentative de coup d'Etat au Burkina Faso",
    ] {
        let got = alone(title).map(|(_, k, _)| k);
        assert_eq!(got, Some(Kind::Political), "{title}");
    }
}

#[test]
fn a_national_force_names_the_country_when_nothing_else_does() {
    for (title, country) in [
        (
            "Burkina Faso's army executed more than 200 civilians, rights group says",
            "BF",
        ),
        ("Malian army accused of killing 30 herders", "ML"),
        (
            "Nigeria's military kills 16 civilians in mistaken strike",
            "NG",
        ),
    ] {
        let got = alone(title).map(|(c, _, _)| c);
        assert_eq!(got.as_deref(), Some(country), "{title}");
    }
}

#[test]
fn where_people_were_taken_from_is_where_it_happened() {
    let x = run(
        "Gunmen abduct 17 pupils from Sokoto state school",
        "",
        "2025-12-26",
    );
    assert_eq!(x.incidents[0].report.admin1.as_deref(), Some("Sokoto"));
    let x = run("Students abducted from Kebbi state", "", "2025-12-26");
    assert_eq!(x.incidents[0].report.admin1.as_deref(), Some("Kebbi"));
}

#[test]
fn continents_trials_and_shipwrecks_are_not_incidents() {
    for title in [
        "Coups, elections and protests: a hard year for democracy in Africa",
        "Former junta leader pardoned over 2009 stadium massacre",
        "Ex-rebel sentenced to 20 years for 2012 killings in Timbuktu",
        "At least 40 dead after migrant boat capsizes off Mauritania",
    ] {
        assert_eq!(alone(title), None, "{title}");
    }
}

#[test]
fn a_group_of_one_country_names_it_and_present_tense_killings_are_events() {
    for (title, country, perp) in [
        ("Boko Haram kills 42", "NG", "Boko Haram"),
        ("ISWAP fighters kill soldiers at a base", "NG", "ISWAP"),
        ("Ansarul Islam kills villagers", "BF", "Ansarul Islam"),
        (
            "Troops kill Boko Haram fighters in Borno",
            "NG",
            "Boko Haram",
        ),
    ] {
        let got = alone(title);
        assert_eq!(
            got.as_ref().map(|(c, _, p)| (c.as_str(), p.as_deref())),
            Some((country, Some(perp))),
            "{title}"
        );
    }
    // A group of several countries names none: no country, no incident.
    assert_eq!(alone("JNIM kills 20 soldiers"), None);
}

#[test]
fn diseases_and_heat_are_not_attacks() {
    for title in [
        "Malaria kills thousands in Nigeria",
        "Lassa fever kills 12 in Ondo",
        "La rougeole tue 30 enfants au Niger",
        "Heat wave kills 20 in Mali",
    ] {
        assert_eq!(alone(title), None, "{title}");
    }
}

#[test]
fn a_wire_dateline_after_a_repost_intro_is_not_the_event_date() {
    for intro in [
        "Reuters reports from Bamako:",
        "Read the full story below.",
        "",
    ] {
        let body = format!(
            "{intro}\nBAMAKO, Oct 26 (Reuters) - Gunmen killed 12 villagers near Bandiagara late on Saturday, officials said."
        );
        let x = run(
            "Gunmen kill 12 villagers in central Mali",
            &body,
            "2026-10-27",
        );
        let i = x.incidents[0].incident();
        assert_eq!(i.date.to_string(), "2026-10-24", "{intro}");
    }
}

#[test]
fn words_that_contain_a_cue_are_not_the_cue() {
    // "footage" holds the French "otage", "montage" too: not an abduction.
    let got = alone("Army publishes footage of air strike on militant camp near Gao");
    assert_eq!(got.map(|(_, k, _)| k), Some(Kind::Airstrike));
    // A coup leader's politics years later are not a coup.
    assert_eq!(
        alone("Mali coup leader granted five-year term in power"),
        None
    );
    assert_eq!(alone("Guinea's coup leader enters presidential race"), None);
}

#[test]
fn units_in_parentheses_say_where_a_place_is_and_make_no_incident_of_their_own() {
    for (note, place) in [
        (
            "On 14 March 2024, suspected ISGS militants attacked the village of Tingara (Ouallam, Tillaberi) and killed 12 civilians.",
            "Ti-n-Gara",
        ),
        (
            "On 14 March 2024, gunmen attacked the village of Kwatamba (Ouallam, Tillaberi) and killed 3 herders.",
            "Kwatamba",
        ),
        (
            "Le 14 mars 2024, des hommes armés ont attaqué Dori (Seno, Sahel) et tué 5 civils.",
            "Dori",
        ),
    ] {
        let got = headline(note, "2024-03-20");
        let places: Vec<Option<&str>> = got.iter().map(|i| i.place.as_deref()).collect();
        assert_eq!(places, [Some(place)], "{note}");
        assert_eq!(got[0].date.to_string(), "2024-03-14", "{note}");
    }
}

#[test]
fn coordinated_counts_share_their_death_verb() {
    for (text, total) in [
        (
            "Fighting near Titao: 10 soldiers and 15 militants were killed.",
            25,
        ),
        (
            "Clashes near Titao. 10 VDP and 15 militants were killed.",
            25,
        ),
        (
            "Des combats près de Titao : deux soldats et cinq terroristes ont été tués.",
            7,
        ),
        ("Gunmen attacked Kaya; 3 soldiers and 2 civilians died.", 5),
        // Not deaths: the first count shares no death verb.
        (
            "Gunmen attacked Kaya: 5 soldiers were wounded and 3 civilians killed.",
            3,
        ),
        (
            "Gunmen attacked Kaya; 12 people were abducted and 3 killed.",
            3,
        ),
    ] {
        let got = headline(text, "2024-03-20");
        assert_eq!(toll(&got[0]).0, Some(total), "{text}");
    }
}

#[test]
fn a_name_of_two_countries_in_a_report_naming_neither_goes_where_violence_is_likelier() {
    // Plateau: a Nigerian state and a Beninese department.
    let got = alone("2 killed in ethnic clash in Plateau");
    assert_eq!(got.map(|(c, _, _)| c).as_deref(), Some("NG"));
    // A report that names its country keeps it.
    let got = alone("Gunmen kill 4 in Benin's Plateau department");
    assert_eq!(got.map(|(c, _, _)| c).as_deref(), Some("BJ"));
}

#[test]
fn a_place_that_ends_a_headline_after_a_comma_is_where_it_happened() {
    for (title, place) in [
        ("4 killed, Plateau", "Plateau"),
        ("3 killed in cult war, Rivers", "Rivers"),
        ("BH kill drivers, Borno", "Borno"),
        ("Gunmen kill 5, Oyo", "Oyo"),
    ] {
        let got = headline(title, "2016-05-02");
        assert_eq!(
            got.first().and_then(|i| i.place.as_deref()),
            Some(place),
            "{title}"
        );
    }
    // A common word inside a sentence is still a word.
    assert!(headline("Gunmen kill 3 near the rivers, officials say", "2016-05-02").is_empty());
}

#[test]
fn statements_that_confirm_an_attack_and_those_that_only_claim_one() {
    let verification = |text: &str| headline(text, "2025-12-26")[0].verification;
    for text in [
        "At least 20 soldiers killed in ambush near Tassia. The country marks three days of national mourning.",
        "Gunmen stormed a mosque in Malumfashi, killing 9 worshippers, a government official said.",
        "Nigeria confirms US strikes on militant camps in Sokoto state.",
    ] {
        assert_eq!(verification(text), Verification::Confirmed, "{text}");
    }
    // The country's own forces speaking of their strike: their claim.
    assert_eq!(
        verification("The Nigerian army said its air strikes killed 30 terrorists in Borno."),
        Verification::Claimed
    );
    // A local official is a source, not the state.
    assert_eq!(
        verification(
            "Gunmen killed 9 worshippers in a mosque in Malumfashi, a local official said."
        ),
        Verification::Reported
    );
}

/// (place, admin1, geo_precision) of the first incident of a headline.
fn placed(title: &str) -> Option<(Option<String>, Option<String>, u8)> {
    headline(title, "2025-06-20")
        .into_iter()
        .next()
        .map(|i| (i.place, i.admin1, i.geo_precision))
}

#[test]
fn a_region_named_after_a_lowercase_region_word_is_the_region() {
    for (title, region) in [
        (
            "34 soldats tués dans une embuscade dans la région de Tillabéri",
            "Tillabéri",
        ),
        (
            "Togo : six civils tués dans la région des Savanes",
            "Savanes",
        ),
        (
            "Des hommes armés tuent 4 civils dans la province du Soum",
            "Sahel",
        ),
        ("Gunmen kill 5 villagers in the state of Zamfara", "Zamfara"),
    ] {
        let (_, admin1, precision) = placed(title).unwrap_or_else(|| panic!("{title}"));
        assert_eq!(admin1.as_deref(), Some(region), "{title}");
        assert!(precision >= 2, "{title}");
    }
}

#[test]
fn french_present_tense_headlines_are_events() {
    for (title, kind) in [
        (
            "Des hommes armés tuent six civils à Dapaong",
            Kind::CivilianAttack,
        ),
        (
            "Des jihadistes tuent 12 soldats à Djibo",
            Kind::AttackOnCity,
        ),
        ("Des bandits enlèvent 20 personnes à Tsafe", Kind::Abduction),
        (
            "Un kamikaze tue 9 fidèles dans une mosquée de Konduga",
            Kind::SuicideAttack,
        ),
    ] {
        let i = &headline(title, "2025-06-20");
        assert!(!i.is_empty(), "{title}");
        assert_eq!(i[0].kind, kind, "{title}");
    }
}

#[test]
fn road_crashes_are_not_attacks() {
    for title in [
        "Un camion tue 5 piétons à Bamako",
        "Truck crash kills 12 in Kano",
        "Bus plunged into river, 20 dead in Kogi",
        "Accident de car sur l'axe Ouagadougou-Kaya : 14 morts",
        "Tanker explosion kills 70 in Niger State",
        "Road mishap claims 9 lives in Zaria",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
}

#[test]
fn a_place_in_a_named_unit_is_one_incident_in_that_unit() {
    // "X in Y commune": one incident, at X.
    let x = run(
        "",
        "On 30 January 2025, JNIM militants attacked a Beninese army post at Point Triple in Karimama commune (Alibori), killing 28 soldiers.",
        "2025-02-02",
    );
    assert_eq!(x.incidents.len(), 1);
    let i = x.incidents[0].incident();
    assert_eq!(i.place.as_deref(), Some("Point Triple"));
    assert_eq!(i.date.to_string(), "2025-01-30");
    // A name the gazetteer lacks, before the unit that holds it, keeps its name there.
    let x = run(
        "",
        "On 30 January 2025, JNIM militants attacked an army post at Koualou in Kalalé commune (Borgou), killing 2 soldiers.",
        "2025-02-02",
    );
    let i = x.incidents[0].incident();
    assert_eq!(
        (i.country.as_str(), i.place.as_deref(), i.admin1.as_deref()),
        ("BJ", Some("Koualou"), Some("Borgou"))
    );
    assert!(i.geo_precision >= 2);
    // A namesake far from the unit the text names is not the place: Tudun Wada of Kano is not
    // the one in Kajuru, Kaduna State.
    let (place, admin1, _) = placed("Gunmen kill 5 at Tudun Wada in Kajuru, Kaduna State").unwrap();
    assert_eq!(
        (place.as_deref(), admin1.as_deref()),
        (Some("Tudun Wada"), Some("Kaduna"))
    );
    // Lists of regions or towns do not put one in the other.
    let (place, _, _) = placed("Fulani attackers kill 30 in Benue, Nasarawa").unwrap();
    assert_eq!(place.as_deref(), Some("Benue"));
    // Title-case words after "in" are no village.
    let (place, _, _) = placed("Nine Killed in Fresh Communal Clash in Benue - Police").unwrap();
    assert_eq!(place.as_deref(), Some("Benue"));
}

#[test]
fn a_day_inside_the_week_of_a_report_dates_the_event() {
    // Published on Saturday 5 April: Wednesday is the 2nd.
    for (title, body) in [
        (
            "Enlèvement près de Tanguiéta",
            "Des enlèvements ont été signalés cette semaine dans le nord du Bénin. Cinq civils ont été enlevés mercredi par des hommes armés près de Tanguiéta.",
        ),
        (
            "Kidnapping near Tanguieta",
            "Gunmen abducted five civilians near Tanguieta this week, residents said. The kidnappers struck on Wednesday as the victims travelled to the market.",
        ),
    ] {
        let x = run(title, body, "2025-04-05");
        let i = x.incidents[0].incident();
        assert_eq!(i.date.to_string(), "2025-04-02", "{body}");
    }
}

#[test]
fn trends_over_years_are_not_events() {
    let x = run(
        "",
        "Depuis plusieurs années, les enlèvements contre rançon se sont multipliés dans les départements frontaliers de Madarounfa et Guidan Roumdji.",
        "2024-10-10",
    );
    assert!(x.incidents.is_empty());
}

#[test]
fn title_case_headlines_are_read_like_any_other() {
    for (title, admin1) in [
        ("Fulani Herdsmen Attack Benue Village, Kill 34", "Benue"),
        (
            "Cameroonian Troops Invade Borno Community, Kill 70 Villagers",
            "Borno",
        ),
        ("100 Massacred in Fresh Borno Attacks", "Borno"),
        ("Female Suicide Bombers Hit Potiskum GSM Market", "Yobe"),
    ] {
        let i = &headline(title, "2014-05-10");
        assert!(!i.is_empty(), "{title}");
        assert_eq!(
            (i[0].country.as_str(), i[0].admin1.as_deref()),
            ("NG", Some(admin1)),
            "{title}"
        );
    }
}

#[test]
fn group_violence_named_by_its_kind_is_an_incident() {
    for (title, country) in [
        ("Cult Clash, Lagos", "NG"),
        ("Communal Clash, Benue", "NG"),
        ("Farmers/ Herders Clash, Benue", "NG"),
        ("Extra-judicial Killing, Adamawa", "NG"),
        ("Affrontements intercommunautaires à Tillabéri", "NE"),
        ("Conflit entre agriculteurs et éleveurs à Dori", "BF"),
    ] {
        let i = &headline(title, "2014-05-10");
        assert_eq!(
            i.first().map(|i| i.country.as_str()),
            Some(country),
            "{title}"
        );
    }
    // A clash named without its kind, with no actor, toll or force, stays out.
    assert!(headline("Clash of opinions in Kano", "2014-05-10").is_empty());
}

#[test]
fn another_spelling_of_a_town_abroad_does_not_move_the_country() {
    // "Kaja" is a spelling of Kaya (Burkina Faso); with Boko Haram and Konduga it is a village
    // of Borno.
    let i = &headline(
        "Soldiers Rout B/Haram in Konduga, Ngamdu Kaja, Kill 400",
        "2014-09-30",
    );
    assert_eq!(i[0].country, "NG");
    assert_eq!(i[0].admin1.as_deref(), Some("Borno"));
}

#[test]
fn a_country_that_sends_or_condemns_is_not_where_it_happened() {
    for (title, country) in [
        (
            "Nigeria says it deployed jets, troops to Benin to dislodge coup plotters",
            "BJ",
        ),
        ("Nigeria sends troops to Benin after coup attempt", "BJ"),
        (
            "France condemns attack on Malian army camp at Boulkessi",
            "ML",
        ),
        (
            "Le Nigeria dit avoir envoyé des avions au Bénin après la tentative de coup d'État",
            "BJ",
        ),
        // A state saying something of itself stays where it is.
        ("Togo says army post attacked near Burkina border", "TG"),
        ("Nigeria says 20 soldiers killed in ambush", "NG"),
    ] {
        let i = &headline(title, "2025-12-08");
        assert_eq!(
            i.first().map(|i| i.country.as_str()),
            Some(country),
            "{title}"
        );
    }
}

#[test]
fn killings_told_in_plain_words_are_incidents_with_their_toll() {
    for (title, kind, deaths) in [
        (
            "Boko Haram shoot dead 18 women at funeral in northern Nigeria",
            Kind::CivilianAttack,
            Some(18),
        ),
        (
            "'Dozens' killed in Nigeria gun battles",
            Kind::Clash,
            Some(12),
        ),
        (
            "Fresh Explosion Kills Many in Maiduguri Mosque",
            Kind::Ied,
            Some(3),
        ),
        ("Fulani kill Tiv farmers, Benue", Kind::CivilianAttack, None),
        (
            "Police shoot two robbery suspects dead in Kano",
            Kind::Clash,
            Some(2),
        ),
    ] {
        let i = &headline(title, "2014-06-10");
        assert!(!i.is_empty(), "{title}");
        assert_eq!(i[0].kind, kind, "{title}");
        assert_eq!(i[0].fatalities.and_then(|f| f.best), deaths, "{title}");
    }
    for title in [
        "Heart attack kills farmer in Kano",
        "Residents of Diboli heard heavy gunfire",
    ] {
        assert!(headline(title, "2014-06-10").is_empty(), "{title}");
    }
}

#[test]
fn an_attack_nobody_names_the_author_of_is_an_unidentified_group_s() {
    for title in [
        "Pupils abducted from Catholic school in fresh Nigeria attack",
        "Thirty people killed in latest violence in Nigeria's Plateau State",
        "Vingt civils tués dans l'attaque d'un village près de Djibo",
    ] {
        let i = &headline(title, "2025-11-21");
        assert_eq!(
            i[0].perpetrator.as_deref(),
            Some(actors::UNIDENTIFIED),
            "{title}"
        );
    }
    // A mine or a clash between forces has no author to guess.
    let i = &headline("Roadside bomb kills 3 soldiers near Mora", "2025-11-21");
    assert_eq!(i[0].perpetrator, None);
}

#[test]
fn more_taken_than_killed_is_an_abduction() {
    for (title, kind) in [
        (
            "Teacher killed and 25 girls abducted in gunbattle at school in Kebbi",
            Kind::Abduction,
        ),
        (
            "Gunmen abduct 28 travellers in an ambush near Lokoja",
            Kind::Abduction,
        ),
        (
            "Un soldat tué et 12 civils enlevés près de Djibo",
            Kind::Abduction,
        ),
        (
            "Gunmen kill 30, abduct 5 in Zamfara village",
            Kind::CivilianAttack,
        ),
    ] {
        let i = &headline(title, "2025-11-21");
        assert_eq!(i[0].kind, kind, "{title}");
    }
}

#[test]
fn a_capital_town_comes_before_its_region_and_a_region_before_a_lesser_town() {
    let (place, _, precision) = placed("Gunmen killed 3 people in Gao on Sunday").unwrap();
    assert_eq!((place.as_deref(), precision), (Some("Gao"), 1));
    let i = &headline("Herdsmen Kill 3, Nasarawa", "2025-06-20")[0];
    assert_eq!(
        (i.admin1.as_deref(), i.geo_precision),
        (Some("Nasarawa"), 3)
    );
}

#[test]
fn fights_between_communities_are_clashes_and_police_shootings_are_no_city_attacks() {
    for title in [
        "Clashes between Fulani herders and Bachama farmers in Numan left 6 dead",
        "Des affrontements entre éleveurs et agriculteurs font 8 morts près de Dori",
    ] {
        assert_eq!(
            headline(title, "2024-03-20")[0].kind,
            Kind::Clash,
            "{title}"
        );
    }
    let i = &headline(
        "Police shoot two robbery suspects dead in Kano",
        "2024-03-20",
    )[0];
    assert_ne!(i.kind, Kind::AttackOnCity);
}

#[test]
fn an_ambush_between_two_towns_is_one_incident_at_the_first() {
    for note in [
        "On 10 March 2024, JNIM militants ambushed a FAMa convoy between Boni and Hombori (Douentza, Mopti), killing 9 soldiers.",
        "Le 10 mars 2024, des militants du JNIM ont tendu une embuscade à un convoi des FAMa entre Boni et Hombori (Douentza, Mopti), tuant 9 soldats.",
    ] {
        let x = run("", note, "2024-03-20");
        assert_eq!(x.incidents.len(), 1, "{note}");
        let i = x.incidents[0].incident();
        assert_eq!(
            (i.place.as_deref(), i.kind, i.date.to_string()),
            (Some("Boni"), Kind::Ambush, "2024-03-10".to_string()),
            "{note}"
        );
    }
}

#[test]
fn crashes_and_events_on_other_continents_are_not_incidents() {
    for (title, body) in [
        (
            "At least 15 dead, 19 injured in Guatemala as bus plunges into ravine",
            "The bus, travelling between Guatemala City and San Marcos, crashed, authorities say.",
        ),
        ("Truck veered off the road, 7 dead near Kaya", ""),
        ("Au moins 20 morts au Mexique dans une fusillade", ""),
    ] {
        assert!(
            run(title, body, "2025-12-27").incidents.is_empty(),
            "{title}"
        );
    }
}

#[test]
fn killed_many_is_a_floor_and_neutralised_militants_an_event() {
    for title in [
        "Bandits killed many villagers in Tsafe",
        "Many feared dead as gunmen attack Kaduna village",
        "Attaque à Djibo : de nombreux morts",
    ] {
        let f = headline(title, "2024-03-20")[0].fatalities.unwrap();
        assert_eq!((f.low, f.approx), (Some(3), true), "{title}");
    }
    assert!(
        headline(
            "Actor dies; news of his death has shocked many at home in Nigeria",
            "2024-03-20"
        )
        .is_empty()
    );
    let i = &headline(
        "Des terroristes neutralisés à Tessit, selon l'armée malienne",
        "2024-03-20",
    );
    assert_eq!(i[0].place.as_deref(), Some("Tessit"));
}

#[test]
fn one_person_killed_by_role_is_one_death() {
    for title in [
        "Malian TikToker killed by suspected jihadists after pro-army posts",
        "Un maire tué par des hommes armés à Djibo",
        "Gunmen kill lawmaker in Zamfara",
        "Catechist killed in attack on Kaduna church",
    ] {
        let i = &headline(title, "2025-11-10")[0];
        let f = i.fatalities.unwrap_or_else(|| panic!("{title}"));
        assert_eq!(f.best, Some(1), "{title}");
        assert_eq!(i.kind, Kind::CivilianAttack, "{title}");
    }
}

#[test]
fn a_killing_of_two_people_named_by_role_counts_both_sides() {
    for title in [
        "Gunmen killed one civilian and a soldier in Djibo",
        "Des hommes armés ont tué un civil et un gendarme à Kaya",
    ] {
        let f = headline(title, "2025-11-10")[0].fatalities.unwrap();
        assert_eq!(f.best, Some(2), "{title}");
        let sides = f.by_side;
        assert_eq!(
            (sides.civilians, sides.forces),
            (Some(1), Some(1)),
            "{title}"
        );
    }
    // The one taken is not dead.
    let f = headline(
        "Gunmen killed a soldier and abducted a teacher in Djibo",
        "2025-11-10",
    )[0]
    .fatalities
    .unwrap();
    assert_eq!(f.best, Some(1));
}

#[test]
fn a_region_after_a_country_s_possessive_or_a_national_adjective_is_the_region() {
    for (title, region) in [
        (
            "Thirty people killed in herder violence in Nigeria’s Plateau State",
            "Plateau",
        ),
        ("Gunmen kill 12 in Burkina Faso's Sahel region", "Sahel"),
        ("Soldiers killed in Niger's Tillaberi region", "Tillabéri"),
        (
            "Des hommes armés tuent 12 civils dans la région malienne de Mopti",
            "Mopti",
        ),
        (
            "Dix soldats tués dans l'État nigérian de Zamfara",
            "Zamfara",
        ),
    ] {
        let (_, admin1, precision) = placed(title).unwrap_or_else(|| panic!("{title}"));
        assert_eq!(admin1.as_deref(), Some(region), "{title}");
        assert_eq!(precision, 3, "{title}: the region, not its chief town");
    }
}

#[test]
fn a_place_named_before_a_noun_of_violence_is_where_it_happened() {
    for (title, place) in [
        (
            "Soldier, 12 Others Killed in Fresh Plateau Attack",
            "Plateau",
        ),
        ("Death toll from Kaduna attack rises to 16", "Kaduna"),
        ("Boko Haram claims responsibility for Lagos blast", "Lagos"),
        ("Dozens killed in Potiskum church attack", "Potiskum"),
    ] {
        let (got, _, _) = placed(title).unwrap_or_else(|| panic!("{title}"));
        assert_eq!(got.as_deref(), Some(place), "{title}");
    }
    // A verb with its object is no noun of violence: no place, no incident.
    assert!(
        headline(
            "India blast their way past England to win the series",
            "2025-06-20"
        )
        .is_empty()
    );
}

#[test]
fn groups_that_strike_and_towns_hit_by_blasts_are_events() {
    for title in [
        "Boko Haram strikes, Borno",
        "Abuja suburbs hit by blasts",
        "Maiduguri hit by deadly bomb",
    ] {
        assert!(!headline(title, "2025-06-20").is_empty(), "{title}");
    }
    assert!(
        headline(
            "Opposition leader blasts governor over Kaduna budget",
            "2025-06-20"
        )
        .is_empty()
    );
}

#[test]
fn a_day_in_may_is_a_date_not_a_toll() {
    for note in [
        "On 14 May 2023, unidentified gunmen killed 4 civilians in Bourem (Bourem, Gao).",
        "On 21 May, gunmen killed 4 villagers near Bourem.",
        "Gunmen killed 4 civilians in Bourem on 14 May 2023.",
    ] {
        let x = run("", note, "2023-06-01");
        let i = x.incidents[0].incident();
        assert_eq!(toll(&i).0, Some(4), "{note}");
        assert!(
            !i.fatalities.unwrap().approx,
            "{note}: 'May' is no 'may have'"
        );
    }
    let x = run(
        "",
        "Up to 30 villagers may have been killed in Bourem.",
        "2023-06-01",
    );
    assert!(x.incidents[0].incident().fatalities.unwrap().approx);
}

#[test]
fn a_village_word_or_an_unknown_district_between_a_place_and_its_unit_still_places_it() {
    // A namesake far away (Koulikoro, the regional capital) is not the village in Bourem.
    for (note, village, admin1) in [
        (
            "On 14 March 2023, gunmen killed 4 civilians in Koulikoro village (Bourem, Gao).",
            "Koulikoro",
            "Gao",
        ),
        (
            "On 9 October 2024, bandits abducted 23 people in Gidan Bawa village in Tsafe LGA of Zamfara state.",
            "Gidan Bawa",
            "Zamfara",
        ),
        (
            "Le 9 octobre 2024, des bandits ont enlevé 23 personnes dans le village de Gidan Bawa dans la commune de Tsafe de l'État de Zamfara.",
            "Gidan Bawa",
            "Zamfara",
        ),
    ] {
        let x = run("", note, "2024-12-01");
        let i = x.incidents[0].incident();
        assert_eq!(
            (i.place.as_deref(), i.admin1.as_deref()),
            (Some(village), Some(admin1)),
            "{note}"
        );
    }
}

#[test]
fn civilians_by_trade_count_as_civilians_and_a_source_is_no_victim() {
    for (note, civilians) in [
        ("Boko Haram militants killed 5 fishermen near Kukawa.", 5),
        ("Des hommes armés ont tué 3 pêcheurs près de Kukawa.", 3),
        (
            "Des individus armés ont abattu un conseiller municipal à Ménaka.",
            1,
        ),
        ("Gunmen assassinated a village chief in Kaya on Monday.", 1),
    ] {
        let x = run("", note, "2024-12-01");
        let (best, sides) = toll(&x.incidents[0].incident());
        assert_eq!(
            (best, sides.civilians),
            (Some(civilians), Some(civilians)),
            "{note}"
        );
    }
    let x = run(
        "",
        "Six militaires ont été tués près de Banibangou, selon une source locale et un conseiller municipal.",
        "2024-12-01",
    );
    assert_eq!(toll(&x.incidents[0].incident()).0, Some(6));
}

#[test]
fn troops_killing_militants_near_a_town_is_no_attack_on_the_town() {
    for note in [
        "Troops killed 12 terrorists near Djibo.",
        "L'armée a abattu 12 terroristes près de Djibo.",
        "Soldiers neutralised 12 jihadists around Djibo on Monday.",
    ] {
        let x = run("", note, "2024-12-01");
        let i = x.incidents[0].incident();
        assert_eq!(i.kind, Kind::Clash, "{note}");
        assert_eq!(toll(&i).1.militants, Some(12), "{note}");
    }
}

#[test]
fn farmers_and_herders_who_clash_are_a_clash() {
    for note in [
        "Fulani herders and farmers clashed in Mangu (Plateau), leaving 8 dead.",
        "Des éleveurs et des agriculteurs se sont affrontés à Ouahigouya, faisant 5 morts.",
    ] {
        let x = run("", note, "2024-12-01");
        assert_eq!(x.incidents[0].incident().kind, Kind::Clash, "{note}");
    }
}

#[test]
fn headlines_that_tell_deaths_or_attacks_in_words_are_incidents() {
    for (title, place, deaths) in [
        ("Deadly attacks rock Kaduna", Some("Kaduna"), None),
        // Agatu, an LGA of Benue since the gazetteer has every LGA.
        ("Fresh attack on Agatu, Benue", Some("Agatu"), None),
        ("Attaque meurtrière à Djibo", Some("Djibo"), None),
        (
            "Violence outbreak in Benue, dozens feared dead",
            Some("Benue"),
            Some(12),
        ),
        (
            "Gunmen storm Rivers community, kill two",
            Some("Rivers"),
            Some(2),
        ),
        ("Bandits attack Zamfara village", Some("Zamfara"), None),
        (
            "One killed as rival supporters clash in Kano",
            Some("Kano"),
            Some(1),
        ),
        ("Un mort dans une attaque à Kaya", Some("Kaya"), Some(1)),
        (
            "Cultists stab a youth to death, Lagos",
            Some("Lagos"),
            Some(1),
        ),
        ("Mob beats trader to death in Kano", Some("Kano"), Some(1)),
        (
            "Death toll from Kaduna attack hits 31",
            Some("Kaduna"),
            Some(31),
        ),
        (
            "Death toll from Kaduna attack is 21",
            Some("Kaduna"),
            Some(21),
        ),
    ] {
        let i = &first_incident(title);
        assert_eq!(i.place.as_deref(), place, "{title}");
        assert_eq!(i.fatalities.and_then(|f| f.best), deaths, "{title}");
    }
    // Disease is no violence, whatever it is called.
    assert!(headline("Cholera outbreak kills 12 in Kano", "2025-06-20").is_empty());
}

#[test]
fn a_place_or_target_told_as_attacked_is_an_attack_without_an_actor_or_toll() {
    // Passive ("schools attacked"), nominal ("church attack", "Kaduna killings") and French
    // ("une école attaquée", "attaque d'une église", "villageois pris pour cible"): the words say
    // a place was attacked, though they name no attacker and count no dead.
    for (title, place, kind) in [
        ("Schools attacked in Borno", "Borno", Kind::CivilianAttack),
        ("School attacks, Borno", "Borno", Kind::CivilianAttack),
        (
            "Church came under attack in Kaduna on Sunday",
            "Kaduna",
            Kind::CivilianAttack,
        ),
        ("Village raided in Zamfara", "Zamfara", Kind::CivilianAttack),
        (
            "Hospital attacked in Maiduguri",
            "Maiduguri",
            Kind::CivilianAttack,
        ),
        ("Gunshots in a mosque, Borno", "Borno", Kind::CivilianAttack),
        (
            "Kaduna killings: leaders demand action",
            "Kaduna",
            Kind::Clash,
        ),
        ("Reprisal killings in Plateau", "Plateau", Kind::Clash),
        ("Une école attaquée à Djibo", "Djibo", Kind::CivilianAttack),
        ("Attaque d'une église à Dori", "Dori", Kind::CivilianAttack),
        (
            "Des villageois pris pour cible à Kaya",
            "Kaya",
            Kind::CivilianAttack,
        ),
    ] {
        let i = &first_incident(title);
        assert_eq!((i.place.as_deref(), i.kind), (Some(place), kind), "{title}");
        assert_eq!(i.fatalities.and_then(|f| f.best), None, "{title}");
    }
    // A school, a church or a market named without an attack is no event.
    for title in [
        "Schools reopen in Borno",
        "Church leaders meet in Kaduna",
        "Une école inaugurée à Djibo",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
}

#[test]
fn a_headline_in_capitals_is_read_as_one_in_title_case() {
    for (title, place) in [
        (
            "BAMA: DOZENS OF PEOPLE KILLED AND THE TOWN DESTROYED",
            "Bama",
        ),
        ("GAMBORU-NGALA: NEARLY 400 PEOPLE KILLED", "Gamboru"),
        ("ATTAQUE À DJIBO : 12 MORTS", "Djibo"),
        ("JNIM CLAIMS ATTACK ON BOULKESSI CAMP", "Boulkessi"),
    ] {
        let i = &first_incident(title);
        assert_eq!(i.place.as_deref(), Some(place), "{title}");
    }
    assert_eq!(
        super::recased("BAMA: 12-YEAR-OLD L'ÉLÈVE KILLED"),
        "Bama: 12-Year-Old L'Élève Killed"
    );
    // Short shouts and headlines with small letters stay as they are.
    assert_eq!(super::recased("UN MORT"), "UN MORT");
    assert_eq!(
        super::recased("ISWAP kills 12 in Borno"),
        "ISWAP kills 12 in Borno"
    );
}

#[test]
fn a_headline_s_topic_and_closing_credit_are_read_as_such() {
    // "Plateau - …": the topic of a headline, not a wire dateline.
    for (title, admin1) in [
        ("Plateau - Nine feared killed in reprisal attack", "Plateau"),
        ("Taraba — Death toll hits 31 as crisis escalates", "Taraba"),
    ] {
        let i = &headline(title, "2025-06-20")[0];
        assert_eq!(i.admin1.as_deref(), Some(admin1), "{title}");
    }
    // A closing credit glued to the place with a hyphen, and who gives it is not a party to it.
    let i = &headline(
        "Suspected Islamists kill 25 in northeast Nigeria-police",
        "2025-06-20",
    )[0];
    assert_eq!((i.country.as_str(), i.kind), ("NG", Kind::CivilianAttack));
    // A real route keeps its dash: no place at either end.
    assert!(placed("Traffic resumes on the Kaduna-Abuja highway").is_none());
}

#[test]
fn a_country_a_people_or_a_direction_before_village_names_no_village() {
    for title in [
        "At least 38 killed in raid on Nigerian village: residents",
        "Boko Haram attack kills seven in NE Nigeria village: locals",
        "Gunmen kill 12 in northern village in Nigeria",
        "Des hommes armés tuent 5 civils dans un village malien",
    ] {
        let i = &first_incident(title);
        assert_eq!(i.place, None, "{title}");
    }
    // A real village name before "village" is kept.
    let (place, admin1, _) = placed("Gunmen kill 5 in Kuru village, Plateau").unwrap();
    assert_eq!(
        (place.as_deref(), admin1.as_deref()),
        (Some("Kuru"), Some("Plateau"))
    );
}

#[test]
fn kidnap_gangs_are_no_kidnapping_and_killing_while_kidnapping_is_an_attack() {
    for title in [
        "The kidnap gangs, jihadists and separatists wreaking havoc in Nigeria",
        "Inside Nigeria's kidnapping industry",
        "Les gangs d'enleveurs qui terrorisent le Nigeria",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
    let i = &headline("Kidnap gang abducts 12 travellers in Kaduna", "2025-06-20")[0];
    assert_eq!(i.kind, Kind::Abduction);
    for title in [
        "Gunmen attack Nigeria church, killing and kidnapping worshippers",
        "Des hommes armés attaquent une église au Nigeria, tuent et enlèvent des fidèles",
    ] {
        let i = &headline(title, "2025-06-20")[0];
        assert_eq!(i.kind, Kind::CivilianAttack, "{title}");
    }
}

#[test]
fn a_jihadist_or_terrorist_attack_has_an_armed_author_and_neutralisations_count() {
    for title in [
        "Attaque terroriste à Séytenga : le bilan s'alourdit à 86 morts",
        "Nord du Bénin : deux militaires tués dans une attaque jihadiste à Karimama",
        "Terrorist attack kills 12 in Kaduna",
    ] {
        let i = &headline(title, "2025-06-20")[0];
        assert_eq!(
            i.perpetrator.as_deref(),
            Some(actors::UNIDENTIFIED),
            "{title}"
        );
    }
    let i = &headline(
        "Mali : l'armée revendique la neutralisation de 15 terroristes dans la région de Ségou",
        "2025-06-20",
    )[0];
    assert_eq!(toll(i).1.militants, Some(15));
    assert_eq!(i.admin1.as_deref(), Some("Ségou"));
}

#[test]
fn a_total_with_a_part_on_another_side_splits_honestly_and_vague_attackers_are_not_the_state() {
    for (title, body) in [
        (
            "Jihadists kill dozens in attack on Burkina army base",
            "Militants attacked an army base in Diapaga on Saturday, killing at least 30 people, including 12 soldiers, security sources said.",
        ),
        (
            "",
            "L'attaque du camp de Djibo a fait 30 morts, dont 12 soldats, selon des sources locales.",
        ),
    ] {
        let i = &run(title, body, "2025-06-10").incidents[0].incident();
        let (best, sides) = toll(i);
        assert_eq!(
            (best, sides.forces, sides.civilians),
            (Some(30), Some(12), None),
            "{body}"
        );
        assert_ne!(i.kind, Kind::CivilianAttack, "{body}");
        assert_ne!(i.perpetrator.as_deref(), Some("Burkina forces"), "{body}");
    }
    // A part on the same side leaves the total's side alone.
    let i = &run(
        "",
        "Gunmen killed 44 civilians, including 10 women, in Kaya.",
        "2025-06-10",
    )
    .incidents[0]
        .incident();
    assert_eq!(toll(i).1.civilians, Some(44));
}

#[test]
fn a_region_named_before_village_is_the_region_of_the_village_the_text_names() {
    let x = run(
        "Niger: 10 civilians killed after attack on Tillaberi village",
        "Ten civilians were killed after gunmen attacked the village of Darey-Daye on Friday.",
        "2025-06-10",
    );
    let i = x.incidents[0].incident();
    assert_eq!(
        (i.place.as_deref(), i.admin1.as_deref()),
        (Some("Darey-Daye"), Some("Tillabéri"))
    );
    assert!(
        i.geo_precision >= 2,
        "the village is not the town of Tillabéri"
    );
}

#[test]
fn fires_crashes_electrocutions_verdicts_and_memorials_are_not_attacks() {
    for title in [
        "Fire guts Kano market, 3 dead",
        "Incendie au marché de Kaya : trois morts",
        "Plane crash in Chad kills 5",
        "Crash d'un hélicoptère près de Gao : deux morts",
        "Electrocution: two die in Kaduna",
        "Explosion de gaz à Kano : 8 morts",
        "Court sentences 10 Boko Haram members to death in Maiduguri",
        "Commemoration of the Solhan massacre victims in Sebba",
        "Hommage aux victimes de l'attaque de Solhan à Sebba",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
    // Arson by armed men and a helicopter shot down are attacks.
    for title in [
        "Gunmen set fire to Kano market, killing 3",
        "Des hommes armés incendient le marché de Kaya, trois morts",
        "Jihadists shoot down army helicopter near Gao",
    ] {
        assert!(!headline(title, "2025-06-20").is_empty(), "{title}");
    }
}

#[test]
fn gunfire_at_the_seat_of_power_is_an_incident_in_the_capital() {
    for (title, capital) in [
        (
            "Heavy gunfire heard near the presidency in Chad",
            "N'Djamena",
        ),
        (
            "Tirs nourris près de la présidence à N'Djamena",
            "N'Djamena",
        ),
        (
            "Clashes erupt in the capital of Burkina Faso",
            "Ouagadougou",
        ),
        ("Explosion heard in the Malian capital", "Bamako"),
        (
            "Une forte explosion entendue dans la capitale nigérienne",
            "Niamey",
        ),
    ] {
        let (place, _, _) = placed(title).unwrap_or_else(|| panic!("{title}"));
        assert_eq!(place.as_deref(), Some(capital), "{title}");
    }
    // A state's capital is not the nation's; fireworks are no gunfire.
    assert!(
        placed("Gunmen kill 5 in the capital of Kebbi state")
            .is_some_and(|(p, _, _)| p.as_deref() != Some("Abuja"))
    );
    assert!(placed("Fireworks light up the capital for independence day").is_none());
}

#[test]
fn earlier_attacks_a_report_recalls_are_background_not_incidents() {
    for (title, body, place, deaths) in [
        (
            "Gunmen kill 12 in Kaduna village",
            "Gunmen killed 12 villagers in Kauru on Sunday, police said. The attack comes a week after bandits killed 20 people in nearby Zangon Kataf. Last month, 30 people were killed in Kajuru.",
            "Kauru",
            12,
        ),
        (
            "Attaque à Djibo : 15 soldats tués",
            "Quinze soldats ont été tués dimanche dans une attaque contre le camp de Djibo. Cette attaque intervient une semaine après celle de Arbinda, qui avait fait 20 morts. En mai dernier, 50 civils avaient été tués à Seytenga.",
            "Djibo",
            15,
        ),
    ] {
        let x = run(title, body, "2025-06-10");
        assert_eq!(x.incidents.len(), 1, "{body}");
        let i = x.incidents[0].incident();
        assert_eq!(
            (i.place.as_deref(), toll(&i).0),
            (Some(place), Some(deaths)),
            "{body}"
        );
    }
    // "last month" inside a sentence about today's release does not silence it.
    let x = run(
        "Another 130 abducted schoolchildren released in Nigeria",
        "Authorities confirm the students kidnapped from a school in Papiri last month have been freed.",
        "2025-06-10",
    );
    assert_eq!(x.incidents.len(), 1);
}

#[test]
fn notes_without_a_title_keep_each_place_s_incident() {
    for note in [
        "Gunmen killed 8 civilians in Kaya on Saturday. A soldier was killed by a landmine near Djibo on Sunday.",
        "Des hommes armés ont tué 8 civils à Kaya samedi. Par ailleurs, un soldat a été tué dans l'explosion d'une mine près de Djibo dimanche.",
    ] {
        let x = run("", note, "2025-06-10");
        let got: Vec<(Option<String>, Kind)> = x
            .incidents
            .iter()
            .map(|e| {
                let i = e.incident();
                (i.place, i.kind)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("Kaya".to_string()), Kind::CivilianAttack),
                (Some("Djibo".to_string()), Kind::Ied)
            ],
            "{note}"
        );
    }
}

#[test]
fn an_elided_article_is_no_scare_quote_and_a_recalled_date_is_not_the_event_s() {
    // "l'explosion", "l'attaque": the cue after an elided article counts.
    let i = &run(
        "",
        "Un soldat a été tué dans l'explosion d'une mine près de Djibo dimanche.",
        "2025-06-10",
    )
    .incidents[0]
        .incident();
    assert_eq!(i.kind, Kind::Ied);
    // A word in scare quotes still does not.
    assert!(
        headline(
            "Niger says the US 'ambushed' its government in Niamey",
            "2025-06-20"
        )
        .is_empty()
    );
    // The date of the attack a sentence recalls is not the date of the one it tells.
    for note in [
        "Une semaine après l'attaque du dimanche 11 mai, la ville de Djibo a de nouveau été attaquée le dimanche 18 mai par des hommes armés.",
        "Days after the attack on Sunday 11 May, gunmen attacked Djibo again on Sunday 18 May.",
    ] {
        let i = &run("", note, "2025-05-19").incidents[0].incident();
        assert_eq!(i.date.to_string(), "2025-05-18", "{note}");
    }
}

#[test]
fn an_attack_near_a_city_is_no_attack_on_the_city() {
    for title in [
        "Jihadists shoot down army helicopter near Gao",
        "Des jihadistes attaquent un convoi à 30 km de Gao",
    ] {
        let i = &headline(title, "2025-06-20")[0];
        assert_ne!(i.kind, Kind::AttackOnCity, "{title}");
    }
    let i = &headline("Jihadists attack Gao", "2025-06-20")[0];
    assert_eq!(i.kind, Kind::AttackOnCity);
    // An accented text whose capital is found by its title does not trip the check.
    assert!(
        !headline(
            "Tirs nourris près de la présidence à N'Djamena",
            "2025-06-20"
        )
        .is_empty()
    );
}

/// How many people a report says were taken, and whether that is only a floor.
fn taken(title: &str, body: &str) -> Option<(u32, bool)> {
    let x = run(title, body, "2026-11-10");
    let e = &x.incidents.first()?.report.evidence;
    Some((e.abducted?, e.abducted_floor))
}

#[test]
fn a_count_of_captives_says_whether_it_is_exact_or_a_floor() {
    let exact = [
        ("Gunmen abduct 25 schoolgirls in Kebbi", ""),
        ("Bandits kidnap 40 pupils from school in Zurmi, Zamfara", ""),
        (
            "Des hommes armés enlèvent 12 fidèles dans une église près de Dori",
            "",
        ),
    ];
    for (t, b) in exact {
        assert!(
            matches!(taken(t, b), Some((_, false))),
            "{t}: {:?}",
            taken(t, b)
        );
    }
    let floors = [
        (
            "Gunmen abduct over 300 students from school in Niger state",
            "",
        ),
        ("More than 50 people kidnapped in Zamfara village raid", ""),
        (
            "Plus de 50 personnes enlevées par des hommes armés près de Dori",
            "",
        ),
    ];
    for (t, b) in floors {
        assert!(
            matches!(taken(t, b), Some((_, true))),
            "{t}: {:?}",
            taken(t, b)
        );
    }
    assert_eq!(
        taken(
            "One hundred abducted schoolchildren released in Nigeria",
            "Details of the release are still unclear."
        ),
        Some((100, false))
    );
}

#[test]
fn attacks_on_buses_and_boats_are_attacks_on_civilians() {
    for h in [
        "Mali : au moins 30 morts dans l'attaque d'un bateau sur le fleuve Niger près de Gao",
        "Attaque d'un car de transport près de Djibo : 12 morts",
        "Une pinasse attaquée près de Tombouctou, 15 morts",
        "Gunmen attack passenger bus near Djibo, 12 dead",
        "Jihadists fire on a boat near Timbuktu, killing 20",
    ] {
        let got = headline(h, "2024-06-01");
        assert_eq!(
            got.first().map(|i| i.kind),
            Some(Kind::CivilianAttack),
            "{h}: {got:#?}"
        );
    }
    // An army convoy's trucks are no bus.
    let convoy = headline(
        "Militants ambush army convoy near Djibo, 12 soldiers dead",
        "2024-06-01",
    );
    assert_eq!(convoy.first().map(|i| i.kind), Some(Kind::Ambush));
}

/// The kind and toll of a headline's first incident.
fn kind_and_toll(title: &str) -> Option<(Kind, Option<u32>)> {
    let i = headline(title, "2024-06-01").into_iter().next()?;
    Some((i.kind, i.fatalities.and_then(|f| f.best)))
}

#[test]
fn the_wounded_of_a_second_clause_are_not_the_dead() {
    for (h, dead) in [
        ("Gunmen kill 45, injure 95 in Taraba", 45),
        ("Gunmen kill 3 and injure 12 in Kaduna village", 3),
        ("Suicide bombers kill 12, wound 40 in Konduga", 12),
        ("Explosion kills 4, hurts 20 in Maiduguri market", 4),
        ("Troops kill 5 terrorists, arrest 12 in Borno", 5),
        ("Une attaque tue 2 personnes et en blesse 8 à Dori", 2),
        ("Attaque à Dori : 2 morts, 8 blessés", 2),
    ] {
        assert_eq!(kind_and_toll(h).and_then(|k| k.1), Some(dead), "{h}");
    }
}

#[test]
fn a_bomb_that_kills_or_goes_off_is_an_explosive_device() {
    for h in [
        "Bomb kills 1, wounds 8 in Kano",
        "Nigeria: Bomb kills 12 in Maiduguri market",
        "Bomb hidden in fridge kills one in Kano bus park",
        "Bomb explodes at Maiduguri market, killing 5",
        "Une bombe artisanale explose à Diffa, deux morts",
    ] {
        assert_eq!(kind_and_toll(h).map(|k| k.0), Some(Kind::Ied), "{h}");
    }
    // Bombs from the air are air strikes.
    for h in [
        "Nigerian jets bomb terrorist hideouts in Sambisa, kill 20",
        "Military helicopters pound bandit camps in Zamfara",
    ] {
        assert_eq!(kind_and_toll(h).map(|k| k.0), Some(Kind::Airstrike), "{h}");
    }
}

#[test]
fn according_to_a_state_body_confirms_according_to_its_sources_does_not() {
    let ver = |body: &str| {
        run("Attaque à Tahoua", body, "2024-06-01")
            .incidents
            .first()
            .map(|x| x.incident().verification)
    };
    for b in [
        "Dix soldats ont été tués dans une attaque à Tahoua, selon le ministère de la Défense.",
        "Dix civils ont été tués dans une attaque à Tahoua, selon le gouverneur de la région.",
        "Dix civils ont été tués dans une attaque à Tahoua, selon la gendarmerie.",
        "Ten soldiers were killed in an attack in Tahoua, according to the defence ministry.",
        "Ten villagers were killed in an attack in Tahoua, according to police.",
        "Ten villagers were killed in an attack in Tahoua, according to the Kano State Police Command.",
        "Ten villagers were killed in an attack in Tahoua, according to a statement by the state government.",
    ] {
        assert_eq!(ver(b), Some(Verification::Confirmed), "{b}");
    }
    for b in [
        "Ten villagers were killed in an attack in Tahoua, according to police sources.",
        "Ten villagers were killed in an attack in Tahoua, according to a police source.",
        "Ten villagers were killed in an attack in Tahoua, according to residents who told police.",
        "Dix civils ont été tués dans une attaque à Tahoua, selon des sources sécuritaires.",
    ] {
        assert_eq!(ver(b), Some(Verification::Reported), "{b}");
    }
}

#[test]
fn a_short_stretch_of_road_is_placed_at_the_end_the_report_names() {
    let place = |title: &str, body: &str| -> Vec<Option<String>> {
        run(title, body, "2024-06-01")
            .incidents
            .iter()
            .map(|x| x.report.place.clone())
            .collect()
    };
    let one = |p: &str| vec![Some(p.to_string())];
    assert_eq!(
        place(
            "Mali : un engin explosif fait trois morts sur l'axe Boni-Hombori",
            ""
        ),
        one("Boni")
    );
    assert_eq!(
        place("Mali: IED kills three on Hombori-Boni road", ""),
        one("Hombori")
    );
    assert_eq!(
        place(
            "Burkina: 10 soldiers killed in ambush on Kaya-Dori highway",
            ""
        ),
        one("Kaya")
    );
    assert_eq!(
        place(
            "Une attaque sur le tronçon Fada N'Gourma-Pama fait cinq morts",
            ""
        ),
        one("Fada N'Gourma")
    );
    // A route across countries is no place of events.
    assert_eq!(
        place("Gunmen kill 5 travellers on Dakar-Bamako corridor", ""),
        Vec::<Option<String>>::new()
    );
    // The end the rest of the report names.
    assert_eq!(
        place(
            "Eight soldiers killed in ambush near Makalondi",
            "Eight Nigerien soldiers were killed in an ambush on Friday near Makalondi, the \
             defence ministry said. \"An escort unit was ambushed on the Torodi-Makalondi axis,\" \
             the ministry said."
        ),
        one("Makalondi")
    );
    // A series of raids along a road since January is background.
    assert_eq!(
        place(
            "Air force steps up strikes in the North-East",
            "The air force has intensified strikes since January, after a series of ISWAP raids \
             on military bases along the Damboa-Maiduguri axis."
        ),
        Vec::<Option<String>>::new()
    );
    assert_eq!(
        place(
            "L'armée de l'air intensifie ses frappes",
            "L'armée de l'air a intensifié ses frappes depuis janvier, après une série \
             d'attaques contre des bases militaires sur l'axe Damboa-Maiduguri."
        ),
        Vec::<Option<String>>::new()
    );
}

#[test]
fn wire_headlines_are_read_without_their_desk_slug() {
    for (h, country, dead) in [
        (
            "UPDATE 3-Nigeria bomb kills at least 14 at northeast football TV showing",
            "NG",
            14,
        ),
        (
            "FOCUS-At least 50 killed in Nigeria backlash riot",
            "NG",
            50,
        ),
        ("EXCLUSIVE-Gunmen kill 5 in Mali's Mopti region", "ML", 5),
        (
            "RPT-UPDATE 1-Jihadists kill 12 soldiers in Burkina Faso",
            "BF",
            12,
        ),
    ] {
        let got = headline(h, "2024-06-01");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(
            (i.country.as_str(), i.fatalities.and_then(|f| f.best)),
            (country, Some(dead)),
            "{h}"
        );
    }
}

#[test]
fn a_toll_stated_at_a_figure_is_a_toll_an_hour_is_not() {
    for (h, dead) in [
        ("Death toll from Nigeria cult clash at 36", 36),
        ("Nigeria: death toll at 36 after cult clash", 36),
        ("Death toll from Nigeria bus station attack at least 22", 22),
        ("Death toll from Nigeria cult clash rises to 36", 36),
        ("Gunmen attack Dori at 10 pm, killing 3", 3),
    ] {
        assert_eq!(kind_and_toll(h).and_then(|k| k.1), Some(dead), "{h}");
    }
    // Another party's count put "higher, at 30" does not replace the official 13.
    let x = run(
        "Benin says 13 soldiers killed near Banikoara",
        "At least 13 Beninese soldiers were killed near Banikoara, the government said. JNIM's \
         statement put the soldiers' death toll higher, at 30; that figure could not be verified.",
        "2025-04-18",
    );
    let i = x.incidents[0].incident();
    assert_eq!(i.fatalities.and_then(|f| f.best), Some(13));
}

#[test]
fn a_month_next_to_a_day_is_a_date_not_a_village() {
    for h in [
        "Scores killed in 21 May attack by Boko Haram in Borno",
        "Scores killed in May 21 attack by Boko Haram in Borno",
    ] {
        let got = headline(h, "2014-06-01");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(
            (i.place.as_deref(), i.date.to_string().as_str()),
            (Some("Borno"), "2014-05-21"),
            "{h}"
        );
    }
    // "may attack" is still a forecast when it is one.
    assert!(headline("Militants may attack Dori, officials warn", "2024-06-01").is_empty());
}

#[test]
fn a_place_before_a_kind_of_violence_and_its_noun_is_where_it_happened() {
    for (h, place) in [
        (
            "Death toll from Zamfara bandit attack rises to 12",
            "Zamfara",
        ),
        (
            "Death toll from Nigeria bus station attack at least 22",
            "NG",
        ),
        ("Plateau communal clash: toll rises to 40", "Plateau"),
    ] {
        let got = headline(h, "2024-06-01");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        let at = i.place.clone().unwrap_or_else(|| i.country.clone());
        assert_eq!(at, place, "{h}");
    }
}

#[test]
fn a_country_that_names_a_force_is_not_where_it_fought() {
    for (h, country) in [
        (
            "Chad army says kills 13 Boko Haram fighters in Nigeria",
            "NG",
        ),
        (
            "Chad troops kill 50 suspected Boko Haram fighters in Nigeria's Borno",
            "NG",
        ),
        (
            "Nigeria army kills 30 Boko Haram fighters in Cameroon",
            "CM",
        ),
        ("Les soldats du Niger tuent 20 terroristes au Mali", "ML"),
        // The force's own post is where it was attacked; alone, the force's country stays.
        (
            "Islamic State fighters overrun Niger army post near Mali border",
            "NE",
        ),
        ("Mali army says it killed 20 jihadists", "ML"),
    ] {
        let got = headline(h, "2015-06-01");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(i.country, country, "{h}");
    }
}

#[test]
fn lists_of_the_dead_add_up_and_a_closed_clause_counts_nobody_after_it() {
    for (h, dead, forces) in [
        (
            "Four Gunmen, Three Soldiers, Two Cops Killed in Daura",
            9,
            Some(5),
        ),
        (
            "Quatre assaillants, trois soldats et deux policiers tués à Dori",
            9,
            Some(5),
        ),
        (
            "Five soldiers, two civilians and 10 militants were killed in Dori",
            17,
            Some(5),
        ),
        (
            "Gunmen killed 12 soldiers, 5 civilians and 3 militants in Dori",
            20,
            Some(12),
        ),
        (
            "Two soldiers and 11 Boko Haram fighters killed in Gwoza",
            13,
            Some(2),
        ),
        // The rescued are not the dead: "killed," closes its clause.
        (
            "42 Boko Haram Terrorists Killed, 38 Women and 42 Children Rescued in Borno",
            42,
            None,
        ),
    ] {
        let got = headline(h, "2015-06-01");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        let (best, by_side) = toll(i);
        assert_eq!((best, by_side.forces), (Some(dead), forces), "{h}");
    }
}

#[test]
fn the_rescued_are_neither_dead_nor_taken_in_an_operation() {
    for h in [
        "Troops neutralise 5 bandits, rescue 10 kidnapped victims in Katsina",
        "L'armée neutralise 5 terroristes et libère 10 otages à Djibo",
    ] {
        let got = headline(h, "2025-06-10");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(
            (i.kind, i.fatalities.and_then(|f| f.best)),
            (Kind::Clash, Some(5)),
            "{h}"
        );
    }
}

#[test]
fn assassinations_and_executions_are_killings_at_their_place() {
    for (h, place, dead) in [
        (
            "Tillabéri : des bandits armés assassinent un chef de village à Tera",
            "Téra",
            1,
        ),
        ("Gunmen assassinate village chief in Tera", "Téra", 1),
        ("Jihadists execute 12 civilians in Djibo", "Djibo", 12),
        ("12 civils exécutés par des jihadistes à Djibo", "Djibo", 12),
    ] {
        let got = headline(h, "2025-06-10");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(
            (i.place.as_deref(), i.fatalities.and_then(|f| f.best)),
            (Some(place), Some(dead)),
            "{h}"
        );
    }
}

#[test]
fn peacekeepers_and_self_defence_militias_die_on_the_forces_side() {
    for (h, forces) in [
        (
            "Mali : une mine artisanale tue deux casques bleus près de Kidal",
            2,
        ),
        (
            "Burkina : 10 Koglweogo tués lors d'une attaque à Barsalogho",
            10,
        ),
        ("IED kills two peacekeepers near Kidal", 2),
    ] {
        let got = headline(h, "2025-06-10");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(toll(i).1.forces, Some(forces), "{h}");
    }
    let x = &headline(
        "Burkina : les FDS neutralisent une cinquantaine de terroristes dans la région du Nord",
        "2025-06-10",
    )[0];
    assert_eq!(toll(x).1.militants, Some(50));
}

#[test]
fn overturned_trucks_fuel_prices_and_the_kidnapping_business_are_not_incidents() {
    for h in [
        "Un camion se renverse près de Kaya, 8 morts",
        "Un car de transport se renverse sur l'axe Kaya-Dori, 12 morts",
        "Un camion-citerne a percuté un minibus près de Dori, 10 morts",
        "Mali : le prix du carburant flambe à Bamako à cause du blocus",
        "Fuel shortages in Bamako caused by the blockade",
        "Kidnapping for ransom: a booming business in Nigeria",
        "Abductions have become a lucrative industry in Zamfara",
    ] {
        assert!(headline(h, "2025-06-10").is_empty(), "{h}");
    }
    // The blockade itself, and an attack on a bus, still are.
    assert!(!headline("Le JNIM impose un blocus sur Kayes", "2025-06-10").is_empty());
    assert!(!headline("Gunmen attack bus near Djibo, 12 dead", "2025-06-10").is_empty());
}

#[test]
fn arrests_of_kidnappers_are_not_abductions() {
    for h in [
        "Nigeria: Police arrest 20 suspected kidnappers in Kaduna",
        "La police interpelle 12 présumés ravisseurs à Niamey",
        "Troops nab three kidnappers in Katsina",
    ] {
        assert!(headline(h, "2025-06-10").is_empty(), "{h}");
    }
    // The abduction they carried out is still one.
    let got = headline(
        "Police arrest kidnappers who abducted 5 travellers in Kaduna",
        "2025-06-10",
    );
    assert_eq!(got.first().map(|i| i.kind), Some(Kind::Abduction));
}

#[test]
fn looting_and_burning_by_armed_men_are_attacks_on_civilians() {
    for l in [
        "On or around 12 March 2024, JNIM militants looted cattle and burned houses in Sinkarma (Titao, Loroum).",
        "On 4 April 2024, unidentified armed men set fire to the market of Gorom-Gorom (Oudalan, Sahel).",
        "Le 12 mars 2024, des éléments du JNIM ont pillé du bétail et incendié des maisons à Sinkarma (Titao, Loroum).",
    ] {
        let x = run("", l, "2024-10-01");
        let i = x.incidents.first().map(Extracted::incident);
        assert_eq!(i.map(|i| i.kind), Some(Kind::CivilianAttack), "{l}");
    }
    // Rioters who loot are unrest, and a fire that guts a market no attack.
    let riot = headline(
        "Rioters looted shops in Kano after the election",
        "2024-10-01",
    );
    assert_eq!(riot.first().map(|i| i.kind), Some(Kind::Unrest));
    assert!(headline("Fire guts Kano market", "2024-10-01").is_empty());
}

#[test]
fn god_is_no_place_whatever_hamlet_bears_the_name() {
    for h in [
        "How scores were massacred in Nigeria in the name of God",
        "Des fidèles tués au Burkina au nom de Dieu, disent les assaillants",
        "Gunmen kill 5 in Nigeria, shouting Allah",
    ] {
        for i in headline(h, "2025-01-01") {
            assert_eq!(i.place, None, "{h}");
        }
    }
}

#[test]
fn a_village_in_an_lga_is_one_incident_in_that_lga_s_state() {
    for (b, place, admin1) in [
        (
            "Gunmen attacked Tudun Wada community in Kajuru LGA of Kaduna State on Sunday night, \
             killing eight residents, police said.",
            "Tudun Wada",
            "Kaduna",
        ),
        (
            "Suspected herders attacked Yelwata in Guma LGA of Benue State, killing six.",
            "Yelwata",
            "Benue",
        ),
        (
            "Des éleveurs présumés ont attaqué le village de Yelwata, dans l'État de Benue, \
             tuant six personnes.",
            "Yelwata",
            "Benue",
        ),
    ] {
        let x = run("", b, "2025-06-10");
        let got: Vec<Incident> = x.incidents.iter().map(Extracted::incident).collect();
        assert_eq!(got.len(), 1, "{b}: {got:#?}");
        assert_eq!(
            (got[0].place.as_deref(), got[0].admin1.as_deref()),
            (Some(place), Some(admin1)),
            "{b}"
        );
    }
}

#[test]
fn a_village_named_in_apposition_keeps_its_name_in_its_unit() {
    for (b, place, admin1) in [
        (
            "Armed men killed a farmer at Ungwan Gaiya, a community in Kauru local government \\
             area of Kaduna State.",
            "Ungwan Gaiya",
            "Kaduna",
        ),
        (
            "Gunmen killed 4 at Kwata, a village in Zangon Kataf.",
            "Kwata",
            "Kaduna",
        ),
        (
            "Des hommes armés ont tué 4 civils à Kiki, un village de la commune de Dori.",
            "Kiki",
            "Sahel",
        ),
    ] {
        let x = run("", b, "2025-06-10");
        let i = x.incidents[0].incident();
        assert_eq!(
            (i.place.as_deref(), i.admin1.as_deref(), i.geo_precision),
            (Some(place), Some(admin1), 2),
            "{b}"
        );
    }
}

#[test]
fn the_country_across_the_border_is_not_where_it_happened() {
    for (h, country) in [
        (
            "Mauritanie : un soldat tué à la frontière avec le Mali, près de Fassala",
            "MR",
        ),
        (
            "Niger: 29 soldiers killed in attack near border with Mali",
            "NE",
        ),
        (
            "Burkina : 12 soldats tués près de la frontière avec le Niger",
            "BF",
        ),
        // Named alone, the neighbour is all the report gives.
        ("Attack near the border with Mali kills 10 soldiers", "ML"),
    ] {
        let got = headline(h, "2025-06-10");
        let i = got.first().unwrap_or_else(|| panic!("{h}: no incident"));
        assert_eq!(i.country, country, "{h}");
    }
}

#[test]
fn an_attack_on_a_village_is_on_its_people_unless_forces_fight_there() {
    for h in [
        "Burkina : le village de Diapaga attaqué, une dizaine de morts",
        "At least 38 killed in raid on Nigerian village in Borno",
        "Gunmen attack villages in Zamfara, kill 12",
    ] {
        let got = headline(h, "2025-06-10");
        assert_eq!(
            got.first().map(|i| i.kind),
            Some(Kind::CivilianAttack),
            "{h}"
        );
    }
    for h in [
        "Troops clash with militants in the village of Gajiram, killing 12 insurgents",
        "Militants attack army post in village of Gajiram, 5 soldiers killed",
    ] {
        let got = headline(h, "2025-06-10");
        assert_eq!(got.first().map(|i| i.kind), Some(Kind::Clash), "{h}");
    }
}

#[test]
fn event_notes_dated_by_a_range_or_a_part_of_a_month() {
    let one = |b: &str| run("", b, "2024-06-01").incidents[0].incident();
    let i =
        one("Du 1er au 3 mars 2024, des combats ont opposé l'armée aux jihadistes près de Djibo.");
    assert_eq!(
        (i.date.to_string(), i.date_end.map(|d| d.to_string())),
        ("2024-03-01".into(), Some("2024-03-03".into()))
    );
    let i = one("On the night of 3 to 4 March 2024, JNIM militants attacked Djibo.");
    assert_eq!(i.date.to_string(), "2024-03-03");
    let i = one("In early March 2024, JNIM militants attacked Djibo, killing 12 soldiers.");
    assert_eq!(
        (i.date.to_string(), i.date_precision),
        ("2024-03-01".into(), crate::model::DatePrecision::Month)
    );
}

#[test]
fn killing_a_policeman_or_vigilantes_is_fighting_the_forces() {
    for h in [
        "Tension as gunmen kill policeman in Anambra",
        "Bandits kill 5 vigilantes in a Katsina village",
        "Gunmen kill two police officers in Imo",
    ] {
        let got = headline(h, "2025-06-10");
        assert_eq!(got.first().map(|i| i.kind), Some(Kind::Clash), "{h}");
    }
}

#[test]
fn a_village_near_a_town_is_near_the_town_not_in_its_district() {
    // Gorouol (a department's name too) 90 km away is no village "near Téra".
    for b in [
        "Gunmen killed 11 villagers in an attack on the village of Gorouol near Téra on Tuesday.",
        "Des hommes armés ont tué 11 villageois dans le village de Gorouol, près de Téra, mardi.",
    ] {
        let x = run("", b, "2025-06-04");
        let i = x.incidents[0].incident();
        let tera = (14.01, 0.75);
        assert_eq!(i.place.as_deref(), Some("Gorouol"), "{b}");
        let (lat, lon) = (i.lat.unwrap(), i.lon.unwrap());
        assert!(
            (lat - tera.0).abs() < 0.05 && (lon - tera.1).abs() < 0.05,
            "{b}: {lat},{lon}"
        );
    }
}

#[test]
fn a_state_or_province_named_before_its_people_or_after_a_french_article_is_the_place() {
    // Headlines name a state's people with the state's name, even a name that is also a word.
    for (title, country, admin1) in [
        ("Gunmen kill 23 Plateau villagers", "NG", "Plateau"),
        ("Gunmen Kill 23 Plateau Villagers", "NG", "Plateau"),
        ("Cultists kill six Rivers residents", "NG", "Rivers"),
        ("Herdsmen kill 7 Benue farmers", "NG", "Benue"),
        ("Boko Haram kills 6 Lac residents", "TD", "Lac"),
        // French names a province with its article.
        ("Tchad : 10 soldats tués dans le Lac", "TD", "Lac"),
        ("Tchad : 10 soldats tués au Lac", "TD", "Lac"),
        ("Bénin : deux soldats tués dans l'Alibori", "BJ", "Alibori"),
        ("Burkina : 12 civils tués dans la Tapoa", "BF", "Est"),
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.country.as_str(), i.admin1.as_deref()),
            (country, Some(admin1)),
            "{title}"
        );
    }
    // The same words, not naming a unit's people, stay words.
    for title in [
        "Tin miners killed in landslide",
        "Save villagers from bandits, governor urges",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
    // A capitalised cardinal point after a French article is the region of that name in the
    // country the report names; a direction ("le Nord du pays") or another country's east is not.
    for (title, country, admin1) in [
        (
            "Burkina : attaque meurtrière dans le Nord",
            "BF",
            Some("Nord"),
        ),
        (
            "Au Burkina, une attaque fait dix morts dans l'Est",
            "BF",
            Some("Est"),
        ),
        (
            "Burkina : attaque meurtrière dans le Nord du pays",
            "BF",
            None,
        ),
        ("Niger : 5 soldats tués dans l'Est", "NE", None),
    ] {
        let i = &headline(title, "2025-06-20")[0];
        assert_eq!(
            (i.country.as_str(), i.admin1.as_deref()),
            (country, admin1),
            "{title}"
        );
    }
}

#[test]
fn forces_retaking_a_town_in_the_present_or_past_retake_it() {
    for (title, place) in [
        ("Mali: l'armée reprend le contrôle de Léré", "Léré"),
        ("Les FAMa reprennent Anéfis", "Anéfis"),
        ("L'armée burkinabè reprend Djibo", "Djibo"),
        (
            "Mali: les forces armées ont repris Kidal aux rebelles",
            "Kidal",
        ),
        ("Mali army retakes Léré after jihadist attack", "Léré"),
        ("Nigerian troops retake Marte from ISWAP", "Marte"),
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.kind, i.place.as_deref()),
            (Kind::TerritoryRetaken, Some(place)),
            "{title}"
        );
    }
    // Resuming is not retaking.
    for title in [
        "Les soldats ont repris leurs positions à Djibo",
        "L'armée a repris ses patrouilles à Djibo",
        "Les cours reprennent à Djibo",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
}

#[test]
fn arrests_and_charges_over_an_attack_are_no_new_attack() {
    for title in [
        "Police arrest five over Kaduna killings",
        "Police arraign 3 over Owo church attack",
        "Troops detain 12 in connection with Zamfara abductions",
        "Deux suspects arrêtés après l'attaque de Ségou",
        "Niger : trois hommes inculpés pour l'assassinat d'un chef de village à Tera",
    ] {
        assert!(headline(title, "2025-06-20").is_empty(), "{title}");
    }
    // Killing while arresting, and an attack told with its date beside the arrests, stay events.
    let got = headline("Troops arrest 5, kill 3 bandits in Zamfara", "2025-06-20");
    assert_eq!(got.len(), 1);
    let got = run(
        "Police arrest suspects",
        "Police arrested five suspects on Monday over the killing of 12 villagers in Kaduna on Sunday.",
        "2025-06-10",
    );
    assert_eq!(got.incidents.len(), 1);
}

#[test]
fn neutralised_militants_are_dead_in_either_spelling() {
    for title in [
        "Soldiers neutralize 12 bandits in Katsina",
        "Troops neutralise 12 terrorists in Borno",
        "Troops neutralizing 12 bandits in Katsina forest",
        "Les FDS neutralisent 12 terroristes à Djibo",
    ] {
        let i = &first_incident(title);
        assert_eq!(toll(i).1.militants, Some(12), "{title}");
    }
}

#[test]
fn a_drone_or_aircraft_that_kills_is_an_air_strike_in_either_language() {
    for title in [
        "Army drone kills 10 terrorists in Tillia",
        "Military jets killed 10 bandits in Zamfara forest",
        "Niger : un drone de l'armée tue 10 terroristes présumés à Tillia",
        "Mali : des drones ont frappé un marché à Tinzaouaten",
        "Burkina : un hélicoptère de l'armée a neutralisé 20 terroristes près de Djibo",
    ] {
        let i = &first_incident(title);
        assert_eq!(i.kind, Kind::Airstrike, "{title}");
    }
    // Shooting a drone down is no strike from it.
    let found = headline("Jihadists shoot down army drone near Djibo", "2025-06-20");
    assert!(found.iter().all(|i| i.kind != Kind::Airstrike));
}

#[test]
fn the_dead_are_the_people_named_with_them_not_those_named_after_the_place() {
    for (title, body, side) in [
        ("Gunmen kill 5 in Kaduna - Police", "", None),
        ("Gunmen kill 4 in Kaduna, police arrest suspects", "", None),
        (
            "",
            "Le gouverneur a confirmé l'attaque de Téra qui a fait 6 morts parmi les civils.",
            Some("civilians"),
        ),
        (
            "Burkina : l'attaque de Mansila a fait six morts parmi les soldats",
            "",
            Some("forces"),
        ),
        ("12 soldiers killed near Djibo", "", Some("forces")),
    ] {
        let got = run(title, body, "2025-06-20");
        let i = got
            .incidents
            .first()
            .map(Extracted::incident)
            .unwrap_or_else(|| panic!("{title}{body}"));
        let sides = toll(&i).1;
        let named = [
            ("civilians", sides.civilians),
            ("forces", sides.forces),
            ("militants", sides.militants),
        ]
        .into_iter()
        .find(|(_, n)| n.is_some())
        .map(|(s, _)| s);
        assert_eq!(named, side, "{title}{body}");
    }
}

#[test]
fn camps_of_the_displaced_and_gold_mines_are_civilian_places_not_bases_or_landmines() {
    for title in [
        "Boko Haram insurgents attack Borno IDP camp, kill 6",
        "Burkina : attaque contre un camp de déplacés à Djibo, 8 morts",
        "Gunmen attack camp for displaced people in Benue, kill 9",
        "Nigeria: 37 killed in Zamfara gold mine attack",
        "Mali : des hommes armés attaquent une mine d'or près de Kéniéba, 10 morts",
    ] {
        let i = &first_incident(title);
        assert_eq!(i.kind, Kind::CivilianAttack, "{title}");
    }
    // An army camp is still a base, and a mine on a road still a mine.
    let i = &headline(
        "Bandits attack army camp in Zamfara, kill 6 soldiers",
        "2025-06-20",
    )[0];
    assert_ne!(i.kind, Kind::CivilianAttack);
    let i = &headline("Mine blast kills 3 soldiers near Djibo", "2025-06-20")[0];
    assert_eq!(i.kind, Kind::Ied);
}

#[test]
fn a_village_chief_killed_and_a_device_that_exploded_are_read_in_french() {
    for title in [
        "Mali: des hommes armés assassinent le chef de village de Diafarabé",
        "Des hommes armés ont tué le chef du village de Diafarabé",
    ] {
        let i = &first_incident(title);
        assert_eq!(toll(i), (Some(1), toll(i).1), "{title}");
        assert_eq!(toll(i).1.civilians, Some(1), "{title}");
    }
    for title in [
        "Togo : deux civils tués par l'explosion d'un engin dans la région des Savanes",
        "Un véhicule a sauté sur un engin près de Djibo, 3 morts",
    ] {
        let i = &first_incident(title);
        assert_eq!(i.kind, Kind::Ied, "{title}");
    }
}

#[test]
fn one_person_killed_in_a_headline_without_an_auxiliary_counts_one() {
    for title in [
        "Burkina : un imam assassiné à Djibo",
        "Burkina : l'imam de Djibo assassiné",
        "L'imam de Djibo a été assassiné",
        "Un enseignant égorgé à Djibo",
        "Village chief murdered in Zamfara",
        "The chief of Tsafe was killed by bandits",
    ] {
        let i = &first_incident(title);
        assert_eq!(toll(i).0, Some(1), "{title}");
    }
}

#[test]
fn lake_chad_is_a_shore_the_article_places_in_its_country() {
    // No other word: the shore where violence is likeliest; a country or a force named decides.
    for (title, country, place) in [
        ("Troops kill 12 insurgents around Lake Chad", "NG", "Borno"),
        (
            "Jihadists kill 12 in Lake Chad islands attack",
            "NG",
            "Borno",
        ),
        (
            "Nigerian troops kill 20 ISWAP fighters on Lake Chad",
            "NG",
            "Borno",
        ),
        (
            "Tchad : 8 soldats tués dans une attaque au lac Tchad",
            "TD",
            "Lac",
        ),
        (
            "Chad: Boko Haram kills 8 soldiers near Lake Chad",
            "TD",
            "Lac",
        ),
        (
            "Niger : des jihadistes tuent 5 soldats près du lac Tchad",
            "NE",
            "Diffa",
        ),
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.country.as_str(), i.place.as_deref()),
            (country, Some(place)),
            "{title}"
        );
    }
}

#[test]
fn air_force_and_air_raids_are_not_the_air_massif() {
    for (title, country) in [
        ("20 Feared Killed in Adamawa Air Raid", "NG"),
        ("Gunmen kill 5 near Air Force base in Kaduna", "NG"),
        ("Air strike kills 10 in Borno", "NG"),
    ] {
        let found = headline(title, "2025-06-20");
        assert!(!found.is_empty(), "{title}");
        for i in &found {
            assert_eq!(i.country, country, "{title}");
            assert_ne!(i.place.as_deref(), Some("Aïr"), "{title}");
        }
    }
    // The massif itself, written as a place.
    let i = &first_incident("Rebels attack army post in the Aïr mountains");
    assert_eq!(i.place.as_deref(), Some("Aïr"));
}

#[test]
fn deaths_on_each_side_and_a_sides_losses_are_counted() {
    for (text, want) in [
        (
            "Dozo militia clashed with JNIM near Djenné, leaving 3 dead on each side",
            6,
        ),
        (
            "Clashes between herders and farmers in Guma left five dead on either side",
            10,
        ),
        (
            "Les affrontements près de Djenné ont fait quatre morts de chaque côté",
            8,
        ),
        (
            "Les combats ont fait deux morts dans chaque camp à Ménaka",
            4,
        ),
        ("Each side lost 3 fighters in the clash near Gao", 6),
        ("The army lost 10 soldiers in an ambush near Gao", 10),
        ("L'armée a perdu 12 soldats dans l'attaque de Djibo", 12),
        ("Nigeria lost 5 soldiers to a landmine in Borno", 5),
    ] {
        let i = &first_incident(text);
        assert_eq!(toll(i).0, Some(want), "{text}");
    }
    let i = &first_incident("The army lost 10 soldiers in an ambush near Gao");
    assert_eq!(toll(i).1.forces, Some(10));
    // What was lost is not always people.
    for text in [
        "The team lost 3 matches in Gao",
        "Farmers lost 300 cattle to rustlers in Zamfara",
    ] {
        assert!(headline(text, "2025-06-20").is_empty(), "{text}");
    }
}

#[test]
fn bodies_found_are_deaths_and_a_clause_end_stops_the_dead_noun() {
    for (text, want, civilians) in [
        ("The bodies of 12 people were found near Kaya", 12, Some(12)),
        (
            "Les corps de 7 civils ont été retrouvés près de Djibo après une attaque",
            7,
            Some(7),
        ),
        (
            "Les corps sans vie de cinq bergers ont été découverts à Tessit",
            5,
            Some(5),
        ),
        (
            "12 bodies were found in a well near Gao after the raid",
            12,
            None,
        ),
    ] {
        let i = &first_incident(text);
        assert_eq!(
            (toll(i).0, toll(i).1.civilians),
            (Some(want), civilians),
            "{text}"
        );
    }
    // The attackers named after a semicolon are not the dead.
    let i = &first_incident(
        "Herders attacked farmers at Kwall in Plateau, killing 11; the attackers were Fulani militia",
    );
    assert_eq!((toll(i).0, toll(i).1.militants), (Some(11), None));
    let i = &first_incident("Boko Haram kill 27, torch 300 homes in Borno");
    assert_eq!(toll(i).0, Some(27));
}

#[test]
fn civilians_killed_as_the_armys_collaborators_are_civilians() {
    for text in [
        "Islamic State Sahel militants executed 5 men accused of collaborating with the army in Menaka",
        "Des jihadistes ont exécuté 4 hommes accusés de collaborer avec l'armée à Ménaka",
        "JNIM killed 6 villagers suspected of being informants for the army near Djibo",
        "Les terroristes ont abattu 3 civils soupçonnés d'être des indicateurs de l'armée à Kaya",
    ] {
        assert_eq!(first_incident(text).kind, Kind::CivilianAttack, "{text}");
    }
    // The army attacked is the army.
    let i = first_incident("Jihadists attacked an army post and killed 5 soldiers in Menaka");
    assert_eq!(i.kind, Kind::Clash);
}

#[test]
fn mob_killings_and_lynchings_are_violent_unrest() {
    for (text, want) in [
        ("A mob lynched 2 suspected thieves in Kano", Some(2)),
        (
            "Deux voleurs présumés lynchés par la foule à Niamey",
            Some(2),
        ),
        (
            "Deux présumés voleurs tués par la vindicte populaire à Bobo-Dioulasso",
            Some(2),
        ),
    ] {
        let i = &first_incident(text);
        assert_eq!((i.kind, toll(i).0), (Kind::Unrest, want), "{text}");
    }
}

#[test]
fn a_village_measured_from_a_town_lies_near_it() {
    // Burkina has Boulounga villages 55 and 100 km from Djibo: "15 km from Djibo" is neither,
    // but a village the gazetteer lacks, placed at Djibo.
    for text in [
        "Des hommes armés ont tué 5 civils à Boulounga, un village situé à 15 km de Djibo",
        "Gunmen killed 4 people at Boulounga, about 20 km from Djibo",
        "Gunmen killed 4 people in Boulounga, a village some 20 kilometres north of Djibo",
        "Des terroristes ont tué 6 personnes à Boulounga, à une vingtaine de kilomètres de Djibo",
    ] {
        let i = &first_incident(text);
        assert_eq!(i.place.as_deref(), Some("Boulounga"), "{text}");
        assert_eq!(i.admin1.as_deref(), Some("Sahel"), "{text}");
        assert!((i.lat.unwrap() - 14.10).abs() < 0.05, "{text}");
    }
    // Far enough, the namesake 55 km away fits.
    let i = &first_incident(
        "Des terroristes ont tué 6 personnes à Boulounga, à une cinquantaine de kilomètres de Djibo",
    );
    assert_eq!(i.admin1.as_deref(), Some("Centre-Nord"));
}

#[test]
fn a_village_named_by_apposition_or_by_its_residents_keeps_its_name() {
    for (text, place) in [
        (
            "Bandits attacked Unguwar Rogo, a village about 20 km from Birnin Gwari, killing 9 residents",
            "Unguwar Rogo",
        ),
        (
            "Gunmen killed 5 residents of Unguwar Rogo in Kaduna State",
            "Unguwar Rogo",
        ),
        (
            "Des hommes armés ont tué 7 habitants de Tondobi, dans la région de Tillabéri",
            "Tondobi",
        ),
        (
            "Jihadists attacked Tondobi, a village in the Tillaberi region, killing 7",
            "Tondobi",
        ),
        (
            "Jihadists attacked Tondobi, un village du département de Gotheye, tuant 7 civils",
            "Tondobi",
        ),
    ] {
        assert_eq!(first_incident(text).place.as_deref(), Some(place), "{text}");
    }
}

#[test]
fn niger_community_is_nigerias_niger_state() {
    for title in [
        "Terrorists Kill 3 Vigilantes, Abduct 10 In Niger Community",
        "Bandits kill 12 in Niger communities",
        "Gunmen attack Niger village, abduct 20",
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.country.as_str(), i.admin1.as_deref()),
            ("NG", Some("Niger")),
            "{title}"
        );
    }
    let i = &first_incident("Niger: jihadists kill 12 soldiers near Tera");
    assert_eq!(i.country, "NE");
}

#[test]
fn a_homemade_mine_that_explodes_is_an_ied_and_a_mining_site_is_not() {
    for title in [
        "Insécurité : 3 morts dans l'explosion d'une mine artisanale à Bandiagara",
        "Un véhicule a sauté sur une mine artisanale près de Douentza, 4 morts",
    ] {
        assert_eq!(first_incident(title).kind, Kind::Ied, "{title}");
    }
    let i =
        &first_incident("Attaque d'un site de mine artisanale près de Kidal: 5 orpailleurs tués");
    assert_eq!(i.kind, Kind::CivilianAttack);
}

#[test]
fn namesake_villages_without_a_country_go_where_the_violence_is() {
    // Boni in Mali's Douentza cercle, on the road the jihadists mine, not Boni in Burkina's Tuy.
    for title in [
        "Landmine kills 4 soldiers near Boni",
        "Un véhicule a sauté sur une mine artisanale près de Boni, 4 morts",
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.country.as_str(), i.admin1.as_deref()),
            ("ML", Some("Mopti")),
            "{title}"
        );
    }
    // A country named still decides.
    let i = &first_incident("Burkina : 3 civils tués à Boni");
    assert_eq!(i.country, "BF");
}

#[test]
fn people_shot_dead_in_french_are_counted_and_aircraft_shot_down_are_not() {
    for (title, want) in [
        (
            "Une quinzaine de terroristes abattus par les FDS à Dori",
            15,
        ),
        (
            "Burkina : 12 terroristes abattus par l'armée près de Djibo",
            12,
        ),
        ("Deux soldats abattus par des hommes armés à Gao", 2),
    ] {
        assert_eq!(toll(&first_incident(title)).0, Some(want), "{title}");
    }
    let i = first_incident("Mali : deux drones abattus par les FAMa près de Kidal");
    assert_eq!(i.fatalities.and_then(|f| f.best), None);
}

#[test]
fn a_state_that_condemns_or_acknowledges_an_attack_confirms_it() {
    for (title, body) in [
        (
            "Gunmen kill 12 in Zamfara",
            "Governor Dauda Lawal condemned the killings and ordered security agencies to hunt the attackers.",
        ),
        (
            "Gunmen kill 12 in Zamfara",
            "President Tinubu has condemned the attack.",
        ),
        (
            "Djibo : 15 civils tués",
            "Le gouvernement a fermement condamné cette attaque barbare.",
        ),
        (
            "Attaque de Djibo : 15 morts",
            "Le ministre de la Sécurité a reconnu des pertes dans les rangs de l'armée.",
        ),
    ] {
        let x = run(title, body, "2024-03-13");
        assert_eq!(
            x.incidents[0].incident().verification,
            Verification::Confirmed,
            "{body}"
        );
    }
    // Others' condemnations confirm nothing.
    for body in [
        "The UN condemned the attack.",
        "Amnesty International condemned the killings.",
    ] {
        let x = run("Gunmen kill 12 in Zamfara", body, "2024-03-13");
        assert_ne!(
            x.incidents[0].incident().verification,
            Verification::Confirmed,
            "{body}"
        );
    }
}

#[test]
fn units_in_parentheses_are_read_from_the_widest() {
    // Chad's Kaya department, not Burkina's Kaya city: the province after it says so.
    let i = &first_incident(
        "Boko Haram militants killed 4 fishermen near Ngouboua (Kaya department, Lac province)",
    );
    assert_eq!(i.country, "TD");
    // Units that are also common words, in a unit's place in the parentheses.
    let i = &first_incident("ISSP militants killed 7 civilians in Tamou commune (Say, Tillaberi)");
    assert_eq!(
        (i.country.as_str(), i.place.as_deref()),
        ("NE", Some("Tamou"))
    );
    // A name in parentheses that is no unit stays a word.
    let i = &first_incident("Gunmen killed 5 aid workers (Save the Children) in Borno");
    assert_eq!(i.country, "NG");
}

#[test]
fn the_same_day_is_the_day_of_the_sentence_before() {
    for body in [
        "Dans la nuit de dimanche à lundi, des hommes armés ont tué quatre civils à Kaya. Le même jour, une attaque contre le poste militaire de Dori a fait six morts parmi les soldats.",
        "Gunmen killed 4 civilians in Kaya on Sunday. On the same day, militants attacked an army post in Dori, killing 6 soldiers.",
    ] {
        let x = run("", body, "2024-03-12");
        let dates: Vec<String> = x
            .incidents
            .iter()
            .map(|i| i.incident().date.to_string())
            .collect();
        assert_eq!(dates, ["2024-03-10", "2024-03-10"], "{body}");
    }
}

#[test]
fn two_attacks_in_one_sentence_keep_their_own_tolls() {
    for body in [
        "Gunmen killed five villagers in Tsafe, Zamfara State, on Sunday, while in a separate attack seven people were killed in Faskari, Katsina State, police said.",
        "Des hommes armés ont tué cinq civils à Kaya dimanche, tandis que sept soldats ont été tués dans une embuscade près de Dori.",
    ] {
        let x = run("", body, "2024-03-12");
        let tolls: Vec<Option<u32>> = x
            .incidents
            .iter()
            .map(|i| i.incident().fatalities.and_then(|f| f.best))
            .collect();
        assert_eq!(tolls, [Some(5), Some(7)], "{body}");
    }
}

#[test]
fn two_people_named_one_by_one_and_killed_together_count_two() {
    for body in [
        "Attaque à Marte. Un soldat et une femme ont été tués, selon deux habitants.",
        "Attack on Marte. A soldier and a woman were killed in the attack on Marte.",
    ] {
        let i = &run("", body, "2024-03-12").incidents[0];
        let f = i.incident().fatalities.expect("a toll");
        assert_eq!(
            (f.best, f.by_side.forces, f.by_side.civilians),
            (Some(2), Some(1), Some(1)),
            "{body}"
        );
    }
    // Wounded are not dead.
    assert!(
        headline(
            "The soldier and the driver were wounded in Gao",
            "2024-03-12"
        )
        .is_empty()
    );
}

#[test]
fn a_count_reaches_its_verb_past_an_apposition() {
    for (body, want, civilians) in [
        (
            "Hundreds of people, most of them civilians, were killed when jihadists stormed Gorom-Gorom.",
            100,
            Some(100),
        ),
        (
            "Douze personnes, dont trois enfants, ont été tuées dimanche à Kaya.",
            12,
            Some(12),
        ),
        (
            "Twelve soldiers, among them an officer, were killed near Gao.",
            12,
            None,
        ),
    ] {
        let i = &run("", body, "2024-03-12").incidents[0];
        let f = i.incident().fatalities.expect("a toll");
        assert_eq!(
            (f.best, f.by_side.civilians),
            (Some(want), civilians),
            "{body}"
        );
    }
    assert!(
        headline(
            "Twelve soldiers, all from the 5th battalion, were wounded near Gao",
            "2024-03-12"
        )
        .is_empty()
    );
}

#[test]
fn a_national_force_and_a_place_retaken_name_the_namesake_of_its_country() {
    for (title, country) in [
        ("Les FAMa ont repris Léré", "ML"),
        ("L'armée burkinabè a repris Léré", "BF"),
        ("Nigerian troops retook Lere from bandits", "NG"),
        (
            "Les FAMa ont repris hier le contrôle total de la localité de Léré",
            "ML",
        ),
    ] {
        let i = &first_incident(title);
        assert_eq!(
            (i.kind, i.country.as_str()),
            (Kind::TerritoryRetaken, country),
            "{title}"
        );
    }
    for title in [
        "Kompienga : les forces armées annoncent la reprise de Pama",
        "L'armée a repris ce dimanche le contrôle de la ville de Pama",
    ] {
        assert_eq!(
            first_incident(title).kind,
            Kind::TerritoryRetaken,
            "{title}"
        );
    }
    // Schools reopening is no retake.
    assert!(
        headline(
            "Le gouvernement annonce la reprise des cours à Djibo",
            "2025-06-20"
        )
        .is_empty()
    );
}

#[test]
fn an_outlet_backed_by_a_local_official_corroborates() {
    for (title, body) in [
        (
            "Gunmen kill 9 in Tsafe",
            "\"They shot nine people,\" said Musa Bello, the chairman of Tsafe LGA, by phone.",
        ),
        (
            "Attaque à Djibo : 12 morts",
            "Le préfet de Djibo, Issa Sawadogo, a confirmé l'attaque sans donner de bilan.",
        ),
        (
            "Jihadists kill 5 in Ansongo",
            "The mayor of Ansongo told AFP that five villagers were killed.",
        ),
    ] {
        let x = run(title, body, "2024-03-12");
        assert_eq!(
            x.incidents[0].incident().verification,
            Verification::Corroborated,
            "{body}"
        );
    }
    // Residents alone: reported.
    let x = run(
        "Gunmen kill 9 in Tsafe",
        "Residents said nine people were shot.",
        "2024-03-12",
    );
    assert_eq!(
        x.incidents[0].incident().verification,
        Verification::Reported
    );
}

#[test]
fn a_semicolon_ends_the_counts_clause_and_acled_notes_give_their_coded_toll() {
    let x = run(
        "",
        "On 5 September 2023, the Chadian army clashed with Boko Haram near Bol (Mamdi, Lac), killing 11 militants; 3 soldiers were wounded.",
        "2023-09-10",
    );
    let f = x.incidents[0].incident().fatalities.expect("a toll");
    assert_eq!((f.best, f.by_side.militants), (Some(11), Some(11)));
    let x = run(
        "",
        "On 2 September 2023, JNIM militants ambushed a Malian army convoy near Bamba (Bourem, Gao), killing several soldiers. Fatalities coded as 10.",
        "2023-09-10",
    );
    assert_eq!(
        x.incidents[0].incident().fatalities.and_then(|f| f.best),
        Some(10)
    );
    // A list after a comma still counts every item.
    let i = &first_incident("At least 20 soldiers, one civilian killed in western Niger");
    assert_eq!(toll(i).0, Some(21));
}
