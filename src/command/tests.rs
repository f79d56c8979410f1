//! Command parsing and execution: arguments, suggestions, permissions, and the store effects.

use super::*;

fn g() -> &'static Gazetteer {
    Gazetteer::bundled()
}

fn ctx(admin: bool) -> Context {
    Context {
        target: "telegram:-1001".parse().unwrap(),
        is_admin: admin,
        now: "2025-06-04T12:00:00Z".parse().unwrap(),
        hint: None,
    }
}

#[test]
fn parses_commands_and_options() {
    assert_eq!(
        parse("/recent ML 7", g()).unwrap(),
        Command::Recent {
            area: Some(Area::Country("ML".into())),
            days: 7,
            min_severity: Severity::Low
        }
    );
    assert_eq!(
        parse("/recent@sitrep_bot Tillaberi 3 high", g()).unwrap(),
        Command::Recent {
            area: Some(Area::Region("Tillabéri".into())),
            days: 3,
            min_severity: Severity::High
        }
    );
    assert_eq!(
        parse("/recent Burkina Faso", g()).unwrap(),
        Command::Recent {
            area: Some(Area::Country("BF".into())),
            days: 7,
            min_severity: Severity::Low
        }
    );
    let Command::Subscribe(s) = parse(
        "/subscribe ML BF min=high verified=corroborated near=Mopti:150 keyword=convoy",
        g(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(s.countries, vec!["ML", "BF"]);
    assert_eq!(s.min_severity, Some(Severity::High));
    assert_eq!(s.min_verification, Some(Verification::Corroborated));
    assert_eq!(
        s.near,
        Some(Near {
            place: "Mopti".into(),
            radius_km: 150.0
        })
    );
    assert_eq!(s.keywords, vec!["convoy"]);
    assert_eq!(
        parse("/mute 2h Mopti", g()).unwrap(),
        Command::Mute {
            duration: Duration::from_secs(7200),
            region: Some("Mopti".into())
        }
    );
    assert_eq!(
        parse("/unsubscribe all", g()).unwrap(),
        Command::Unsubscribe { id: None }
    );
}

#[test]
fn bad_input_gets_a_usage_line_or_a_suggestion() {
    let e = parse("/recent Tilaberi", g()).unwrap_err();
    assert!(e.to_string().contains("did you mean Tillabéri?"), "{e}");
    assert_eq!(e.usage, USAGE_RECENT);
    let e = parse("/recent ML 400", g()).unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
    let e = parse("/subscribe XX", g()).unwrap_err();
    assert!(e.to_string().contains("Usage: /subscribe"), "{e}");
    let e = parse("/subscribe ML min=huge", g()).unwrap_err();
    assert!(e.to_string().contains("not a severity"), "{e}");
    let e = parse("/subscribe near=Mopti:0", g()).unwrap_err();
    assert!(e.to_string().contains("radius"), "{e}");
    let e = parse("/subscribe", g()).unwrap_err();
    assert!(e.to_string().contains("Say where"), "{e}");
    assert!(parse("/mute forever", g()).is_err());
    assert!(parse("/mute 10s", g()).is_err());
    assert!(parse("/incident", g()).is_err());
    assert!(
        parse("/frobnicate", g())
            .unwrap_err()
            .to_string()
            .contains("Unknown command")
    );
}

#[test]
fn french_arguments_are_understood_everywhere() {
    assert_eq!(
        parse("/recent ML 7 élevé", g()).unwrap(),
        Command::Recent {
            area: Some(Area::Country("ML".into())),
            days: 7,
            min_severity: Severity::High
        }
    );
    assert_eq!(
        parse("/recent Tchad critique", g()).unwrap(),
        Command::Recent {
            area: Some(Area::Country("TD".into())),
            days: 7,
            min_severity: Severity::Critical
        }
    );
    let Command::Subscribe(s) = parse(
        "/subscribe ML min=critique vérifié=corroboré type=embuscade type=enlèvement près=Tombouctou:80 région=Tillabéri mot=convoi",
        g(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(s.min_severity, Some(Severity::Critical));
    assert_eq!(s.min_verification, Some(Verification::Corroborated));
    assert_eq!(s.kinds, vec![Kind::Ambush, Kind::Abduction]);
    assert_eq!(s.regions, vec!["Tillabéri"]);
    assert_eq!(s.keywords, vec!["convoi"]);
    let near = s.near.unwrap();
    assert_eq!(near.radius_km, 80.0);
    assert!(
        key(&near.place) == key("Timbuktu") || key(&near.place) == key("Tombouctou"),
        "{}",
        near.place
    );
    assert_eq!(severity_word("moyenne"), Some(Severity::Medium));
    assert_eq!(severity_word("faible"), Some(Severity::Low));
    assert_eq!(
        verification_word("revendiquée"),
        Some(Verification::Claimed)
    );
    assert_eq!(kind_word("frappe"), Some(Kind::Airstrike));
    assert_eq!(kind_word("ambush"), Some(Kind::Ambush));
    assert_eq!(kind_word("Attack on civilians"), Some(Kind::CivilianAttack));
    assert_eq!(
        parse("/lang fr", g()).unwrap(),
        Command::Lang {
            lang: Some(Lang::Fr)
        }
    );
    assert_eq!(parse("/langue", g()).unwrap(), Command::Lang { lang: None });
    let e = parse("/lang de", g()).unwrap_err();
    assert!(e.render(Lang::Fr).contains("n'est pas une langue"), "{e}");
    assert!(e.render(Lang::Fr).contains("Utilisation : /lang en|fr"));
    let e = parse("/subscribe ML min=énorme", g()).unwrap_err();
    assert!(e.render(Lang::Fr).contains("n'est pas une gravité"), "{e}");
}

#[test]
fn a_french_channel_reads_french_answers() {
    let store = Store::temporary().unwrap();
    let fr = Command::Lang {
        lang: Some(Lang::Fr),
    };
    let refused = execute(&fr, &ctx(false), &store, &[], g()).unwrap();
    assert!(refused.private && refused.text.contains("Only an administrator"));
    let set = execute(&fr, &ctx(true), &store, &[], g()).unwrap();
    assert!(set.text.contains("en français"), "{}", set.text);
    let sub = parse("/subscribe ML min=élevé", g()).unwrap();
    let ok = execute(&sub, &ctx(true), &store, &[], g()).unwrap();
    assert!(ok.text.starts_with("Abonné (s"), "{}", ok.text);
    assert!(ok.text.contains("gravité ≥ élevé"), "{}", ok.text);
    let listed = execute(&Command::Subscriptions, &ctx(false), &store, &[], g()).unwrap();
    assert!(listed.text.contains("Langue : français"), "{}", listed.text);
    let help = execute(&Command::Help, &ctx(false), &store, &[], g()).unwrap();
    assert!(
        help.text.contains("/lang en|fr : la langue du canal"),
        "{}",
        help.text
    );
    let none = execute(
        &parse("/recent Niger", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert_eq!(none.text, "Aucun incident ces 7 derniers jours.");
}

#[test]
fn the_subscribers_language_becomes_the_channels_hint() {
    let store = Store::temporary().unwrap();
    let asker = Context {
        hint: Some(Lang::Fr),
        ..ctx(true)
    };
    let sub = parse("/subscribe ML", g()).unwrap();
    let ok = execute(&sub, &asker, &store, &[], g()).unwrap();
    assert!(ok.text.starts_with("Abonné"), "{}", ok.text);
    // Someone else, with an English Telegram, reads the channel's French.
    let other = Context {
        hint: Some(Lang::En),
        ..ctx(false)
    };
    let listed = execute(&Command::Subscriptions, &other, &store, &[], g()).unwrap();
    assert!(listed.text.contains("Langue : français"), "{}", listed.text);
    // An operator subscription's lang beats the hint; /lang beats both.
    let mut op = store.subscriptions().unwrap()[0].clone();
    op.lang = Some(Lang::En);
    let listed = execute(&Command::Subscriptions, &other, &store, &[op.clone()], g()).unwrap();
    assert!(listed.text.contains("Language: English"), "{}", listed.text);
    execute(
        &Command::Lang {
            lang: Some(Lang::Fr),
        },
        &ctx(true),
        &store,
        &[op.clone()],
        g(),
    )
    .unwrap();
    let listed = execute(&Command::Subscriptions, &other, &store, &[op], g()).unwrap();
    assert!(listed.text.contains("Langue : français"), "{}", listed.text);
}

#[test]
fn subscribe_list_mute_and_unsubscribe() {
    let store = Store::temporary().unwrap();
    let sub = parse("/subscribe ML near=Mopti:150 min=high", g()).unwrap();
    let refused = execute(&sub, &ctx(false), &store, &[], g()).unwrap();
    assert!(refused.private && refused.text.contains("Only an administrator"));
    assert!(store.subscriptions().unwrap().is_empty());

    let ok = execute(&sub, &ctx(true), &store, &[], g()).unwrap();
    assert!(ok.text.starts_with("Subscribed (s"), "{}", ok.text);
    let subs = store.subscriptions().unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].min_severity, Severity::High);

    let listed = execute(&Command::Subscriptions, &ctx(false), &store, &[], g()).unwrap();
    assert!(
        listed
            .text
            .contains("ML, within 150 km of Mopti, severity ≥ high"),
        "{}",
        listed.text
    );

    execute(
        &parse("/mute 2h", g()).unwrap(),
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert_eq!(store.mutes().unwrap().len(), 1);
    let listed = execute(&Command::Subscriptions, &ctx(false), &store, &[], g()).unwrap();
    assert!(
        listed.text.contains("Muted until 2025-06-04 14:00 UTC"),
        "{}",
        listed.text
    );
    execute(&Command::Unmute, &ctx(true), &store, &[], g()).unwrap();
    assert!(store.mutes().unwrap().is_empty());

    let id = subs[0].id.clone();
    let gone = execute(
        &Command::Unsubscribe {
            id: Some("nope".into()),
        },
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(gone.private);
    execute(
        &Command::Unsubscribe { id: Some(id) },
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(store.subscriptions().unwrap().is_empty());
}

#[test]
fn disabled_delivery_shows_in_subscriptions() {
    let store = Store::temporary().unwrap();
    let t: Target = "telegram:-1001".parse().unwrap();
    store
        .put_target_state(
            &t,
            &crate::store::records::TargetState {
                disabled: Some("Forbidden: bot was blocked by the user".into()),
                moved_to: None,
            },
        )
        .unwrap();
    let listed = execute(&Command::Subscriptions, &ctx(false), &store, &[], g()).unwrap();
    assert!(
        listed
            .text
            .starts_with("Delivery here is disabled: Forbidden: bot was blocked"),
        "{}",
        listed.text
    );
}

#[test]
fn recent_lists_newest_first_at_most_ten() {
    let store = Store::temporary().unwrap();
    let mut p =
        crate::pipeline::Pipeline::new(store.clone(), g(), Duration::from_secs(3650 * 86400));
    for f in ["wire", "rfi", "local"] {
        for a in
            crate::source::read_feed_file(std::path::Path::new(&format!("data/demo/{f}.xml")), f)
                .unwrap()
        {
            p.ingest(&a).unwrap();
        }
    }
    let r = execute(
        &parse("/recent ML", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    let lines: Vec<&str> = r.text.lines().collect();
    assert!(
        lines[0].contains("Timbuktu") && lines[1].contains("Boulkessi"),
        "{}",
        r.text
    );
    assert!(lines.iter().all(|l| !l.contains("Nigeria")));
    let r = execute(
        &parse("/recent Mopti 30 critical", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert_eq!(r.text.lines().count(), 1, "{}", r.text);
    let r = execute(
        &Command::Incident {
            id: "ML-20250601-boulkessi".into(),
        },
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(
        r.text.contains("Sources:") && r.text.contains("CONFIRMED"),
        "{}",
        r.text
    );
}

fn demo_store() -> Store {
    let store = Store::temporary().unwrap();
    let mut p =
        crate::pipeline::Pipeline::new(store.clone(), g(), Duration::from_secs(3650 * 86400));
    for f in ["wire", "rfi", "local"] {
        for a in
            crate::source::read_feed_file(std::path::Path::new(&format!("data/demo/{f}.xml")), f)
                .unwrap()
        {
            p.ingest(&a).unwrap();
        }
    }
    store
}

#[test]
fn map_and_digest_parse_with_their_limits() {
    assert_eq!(
        parse("/map Mali 30", g()).unwrap(),
        Command::Map {
            area: Some(Area::Country("ML".into())),
            days: 30
        }
    );
    assert_eq!(
        parse("/map", g()).unwrap(),
        Command::Map {
            area: None,
            days: 7
        }
    );
    assert_eq!(
        parse("/map Tillaberi", g()).unwrap(),
        Command::Map {
            area: Some(Area::Region("Tillabéri".into())),
            days: 7
        }
    );
    let e = parse("/map ML 91", g()).unwrap_err();
    assert!(e.to_string().contains("91 days is out of range"), "{e}");
    let e = parse("/map Tilaberri", g()).unwrap_err();
    assert!(e.to_string().contains("did you mean Tillabéri?"), "{e}");
    assert_eq!(
        parse("/digest 07:00 Africa/Bamako", g()).unwrap(),
        Command::Digest(DigestArg::Daily("07:00 Africa/Bamako".parse().unwrap()))
    );
    assert_eq!(
        parse("/digest OFF", g()).unwrap(),
        Command::Digest(DigestArg::Off)
    );
    assert_eq!(
        parse("/digest", g()).unwrap(),
        Command::Digest(DigestArg::Show)
    );
    let e = parse("/digest 7h", g()).unwrap_err();
    assert!(e.to_string().contains("Usage: /digest HH:MM"), "{e}");
    let e = parse("/digest 07:00 Africa/Bamakko", g()).unwrap_err();
    assert!(e.to_string().contains("Unknown time zone"), "{e}");
}

#[test]
fn digest_needs_an_admin_and_is_stored_for_the_channel() {
    let store = Store::temporary().unwrap();
    let set = parse("/digest 06:30 Africa/Niamey", g()).unwrap();
    let refused = execute(&set, &ctx(false), &store, &[], g()).unwrap();
    assert!(refused.private && refused.text.contains("Only an administrator"));
    let done = execute(&set, &ctx(true), &store, &[], g()).unwrap();
    assert!(done.text.contains("06:30 (Africa/Niamey)"), "{}", done.text);
    let t = ctx(true).target;
    assert_eq!(
        store.channel_settings(&t).unwrap().digest,
        DigestChoice::Daily("06:30 Africa/Niamey".parse().unwrap())
    );
    let shown = execute(
        &Command::Digest(DigestArg::Show),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(
        shown.text.starts_with("Daily digest at 06:30"),
        "{}",
        shown.text
    );
    execute(
        &Command::Digest(DigestArg::Off),
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert_eq!(
        store.channel_settings(&t).unwrap().digest,
        DigestChoice::Off
    );
}

#[test]
fn map_answers_with_a_picture_of_the_area() {
    let store = demo_store();
    let r = execute(
        &parse("/map ML 30", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    let png = r.photo.expect("a picture");
    assert_eq!(&png[1..4], b"PNG");
    assert!(
        r.text.starts_with("Mali: ") && r.text.contains("incidents in the last 30 days"),
        "{}",
        r.text
    );
    // No area named: the channel's subscriptions decide.
    let t = ctx(false).target;
    let mut sub = Subscription {
        id: "s1".into(),
        target: t,
        countries: vec!["NG".into()],
        regions: vec![],
        near: None,
        min_severity: Severity::Critical,
        min_verification: Verification::Confirmed,
        kinds: vec![],
        actors: vec![],
        keywords: vec![],
        exclude_keywords: vec![],
        lang: None,
        digest: None,
    };
    store
        .set_subscriptions(&t, std::slice::from_ref(&sub))
        .unwrap();
    let r = execute(
        &parse("/map 30", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(r.text.starts_with("Subscribed area: "), "{}", r.text);
    assert!(r.photo.is_some());
    // A country with nothing in the period: a picture that says so, not an error.
    sub.countries = vec!["TG".into()];
    let r = execute(
        &parse("/map Togo", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert_eq!(r.text, "Togo: no incident in the last 7 days.");
    assert!(r.photo.is_some() && !r.private);
}

#[test]
fn a_french_channel_gets_its_map_and_digest_answers_in_french() {
    let store = demo_store();
    let t = ctx(true).target;
    execute(
        &parse("/lang fr", g()).unwrap(),
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    let r = execute(
        &parse("/map Tchad 30", g()).unwrap(),
        &ctx(false),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(r.photo.is_some());
    assert!(
        r.text.starts_with("Tchad : ") && r.text.ends_with("sur les 30 derniers jours."),
        "{}",
        r.text
    );
    let set = execute(
        &parse("/digest 06:30 Africa/Niamey", g()).unwrap(),
        &ctx(true),
        &store,
        &[],
        g(),
    )
    .unwrap();
    assert!(
        set.text
            .starts_with("Résumé quotidien activé : chaque jour à 06:30 (Africa/Niamey)"),
        "{}",
        set.text
    );
    let settings = store.channel_settings(&t).unwrap();
    assert_eq!(
        (settings.lang, settings.digest),
        (
            Some(Lang::Fr),
            DigestChoice::Daily("06:30 Africa/Niamey".parse().unwrap())
        ),
        "one record holds the channel's language and digest"
    );
    let e = parse("/digest 25:00", g()).unwrap_err();
    assert!(
        e.render(Lang::Fr)
            .starts_with("« 25:00 » n'est pas une heure"),
        "{}",
        e.render(Lang::Fr)
    );
}
