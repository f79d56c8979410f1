//! The `sitrep` binary, black-box: replay, incidents, extract, map, check-config, compact and demo, with the bad
//! inputs users hit (each gets one line on stderr and exit 2, and loses nothing already stored).
//! A reader that stops early (`sitrep incidents | head -1`) ends a command quietly with 0.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sitrep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .env_remove("SITREP_LOG")
        .output()
        .expect("run sitrep")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn demo_feeds() -> Vec<String> {
    ["wire", "rfi", "local"]
        .iter()
        .map(|f| format!("data/demo/{f}.xml"))
        .collect()
}

fn replay(db: &Path, feeds: &[String]) -> Output {
    let mut args = vec![
        "replay",
        "--db",
        db.to_str().unwrap(),
        "--as-of",
        "2025-06-04T12:00:00Z",
    ];
    args.extend(feeds.iter().map(String::as_str));
    sitrep(&args)
}

fn assert_bad_input(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    let err = stderr(o);
    assert!(err.contains(needle), "{err}");
    assert!(err.lines().all(|l| l.starts_with("sitrep: ")), "{err}");
}

#[test]
fn replay_prints_events_once_then_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let first = replay(&db, &demo_feeds());
    assert!(first.status.success(), "{}", stderr(&first));
    let lines: Vec<serde_json::Value> = stdout(&first)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON event per line"))
        .collect();
    assert!(lines.len() >= 4, "{}", stdout(&first));
    assert!(
        lines
            .iter()
            .all(|e| e["event"] == "new" || e["event"] == "update")
    );
    assert!(
        lines
            .iter()
            .any(|e| e["incident"]["id"] == "ML-20250601-boulkessi")
    );
    let second = replay(&db, &demo_feeds());
    assert!(second.status.success());
    assert_eq!(stdout(&second), "", "a second replay prints nothing");
}

#[test]
fn replay_without_as_of_alerts_nothing_old() {
    // The demo feeds are from 2025: older than max_article_age, stored but never alerted.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut args = vec!["replay", "--db", db.to_str().unwrap()];
    let feeds = demo_feeds();
    args.extend(feeds.iter().map(String::as_str));
    let o = sitrep(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let o = sitrep(&[
        "incidents",
        "--db",
        db.to_str().unwrap(),
        "--days",
        "100000",
        "--format",
        "json",
    ]);
    let stored: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stored.len() >= 4, "stored anyway: {}", stdout(&o));
}

#[test]
fn bad_feed_files_fail_clearly_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(replay(&db, &demo_feeds()).status.success());

    let empty = dir.path().join("empty.xml");
    std::fs::write(&empty, "").unwrap();
    let html = dir.path().join("page.xml");
    std::fs::write(&html, "<!DOCTYPE html><html><body>Not found</body></html>").unwrap();
    let huge = dir.path().join("huge.xml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let missing = dir.path().join("missing.xml");
    let cases: [(PathBuf, &str); 5] = [
        (missing, "no such file"),
        (dir.path().to_path_buf(), "is a directory"),
        (empty, "empty document"),
        (html, "an HTML page"),
        (huge, "5242880 byte limit"),
    ];
    for (path, needle) in cases {
        let o = replay(&db, &[path.to_string_lossy().into_owned()]);
        assert_bad_input(&o, needle);
    }
    let o = sitrep(&[
        "incidents",
        "--db",
        db.to_str().unwrap(),
        "--days",
        "100000",
        "--format",
        "json",
    ]);
    let stored: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stored.len() >= 4, "nothing already stored is lost");
}

#[test]
fn compact_keeps_the_incidents_and_is_refused_while_the_store_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(replay(&db, &demo_feeds()).status.success());
    let db = db.to_str().unwrap();
    let list = || {
        stdout(&sitrep(&[
            "incidents",
            "--db",
            db,
            "--days",
            "100000",
            "--format",
            "json",
        ]))
    };
    let before = list();
    assert!(before.contains("ML-20250601-boulkessi"), "{before}");
    let o = sitrep(&["compact", "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(" MiB -> "), "{}", stdout(&o));
    assert_eq!(list(), before, "compaction keeps every incident");

    // A daemon holding the store: one line, exit 1, the store untouched.
    let open = sitrep::store::Store::open(Path::new(db), 16).unwrap();
    let o = sitrep(&["compact", "--db", db]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is in use by another sitrep process"), "{err}");
    assert!(open.incident_exists("ML-20250601-boulkessi").unwrap());
    drop(open);
    assert_eq!(list(), before);
}

#[test]
fn a_second_daemon_on_the_same_store_names_the_store_not_the_port() {
    // What a first daemon holds: the store (sled's lock) and the HTTP port.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let first = sitrep::store::Store::open(&db, 16).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = {:?}\n[http]\nlisten = \"{}\"\n",
            db.display().to_string(),
            port.local_addr().unwrap()
        ),
    )
    .unwrap();
    let o = sitrep(&["run", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is in use by another sitrep process"), "{err}");
    assert!(
        err.contains(&db.display().to_string()),
        "names the store: {err}"
    );
    assert!(!err.to_lowercase().contains("address"), "{err}");
    assert!(
        first.incident_exists("none").is_ok(),
        "the first one's store is untouched"
    );

    // Once the first one has stopped, the port is the only thing in the way (and is named).
    drop(first);
    let o = sitrep(&["run", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("[http] listen"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("in use by another sitrep"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn incidents_export_formats() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(replay(&db, &demo_feeds()).status.success());
    let db = db.to_str().unwrap();
    let csv = stdout(&sitrep(&[
        "incidents",
        "--db",
        db,
        "--days",
        "100000",
        "--format",
        "csv",
    ]));
    assert!(csv.starts_with("id,date,date_precision,country"), "{csv}");
    assert!(
        csv.contains("ML-20250601-boulkessi,2025-06-01,day,ML,Mopti,Boulkessi"),
        "{csv}"
    );
    let geo: serde_json::Value = serde_json::from_str(&stdout(&sitrep(&[
        "incidents",
        "--db",
        db,
        "--days",
        "100000",
        "--format",
        "geojson",
    ])))
    .unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    let f = &geo["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert!(f["properties"]["id"].is_string());
    let ml = stdout(&sitrep(&[
        "incidents",
        "--db",
        db,
        "--days",
        "100000",
        "--country",
        "ng",
        "--format",
        "json",
    ]));
    let ml: Vec<serde_json::Value> = serde_json::from_str(&ml).unwrap();
    assert!(!ml.is_empty() && ml.iter().all(|i| i["country"] == "NG"));
    let o = sitrep(&["incidents", "--db", db, "--min-severity", "huge"]);
    assert_bad_input(&o, "unknown severity");
    let o = sitrep(&["incidents", "--db", "/nonexistent/sitrep-store"]);
    assert_bad_input(&o, "no such directory");
}

#[test]
fn extract_gives_the_seed_incidents() {
    let o = sitrep(&[
        "extract",
        "--published",
        "2025-06-03",
        "tests/fixtures/seed/jnim-boulikessi-timbuktu.txt",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ML-20250601-boulkessi", "ML-20250602-timbuktu"]);
    assert_eq!(v["aggregates"][0]["deaths_low"], 400);
    let o = sitrep(&["extract", "--published", "last tuesday", "-"]);
    assert_bad_input(&o, "bad date");
}

#[test]
fn check_config_names_file_line_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[store]\npath = \"x\"\n\n[[source]]\nname = \"a\"\nurl = \"https://x.org\"\nintervall = \"5m\"\n").unwrap();
    let o = sitrep(&["check-config", "--config", bad.to_str().unwrap()]);
    assert_bad_input(&o, &format!("{}:7:", bad.display()));
    assert!(
        stderr(&o).contains("unknown field `intervall`"),
        "{}",
        stderr(&o)
    );

    std::fs::write(&bad, "[store\n").unwrap();
    assert_bad_input(
        &sitrep(&["check-config", "--config", bad.to_str().unwrap()]),
        ":1:",
    );
}

/// The example config with its `[telegram]` and `[discord]` tables uncommented, as an operator
/// turns a platform on.
fn example_with_platforms(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("config/sitrep.example.toml").unwrap();
    let mut in_table = false;
    let mut out = String::new();
    for line in text.lines() {
        if line == "# [telegram]" || line == "# [discord]" {
            in_table = true;
        } else if !line.starts_with("# ") {
            in_table = false;
        }
        out.push_str(if in_table { &line[2..] } else { line });
        out.push('\n');
    }
    let path = dir.join("platforms.toml");
    std::fs::write(&path, out).unwrap();
    path
}

/// `sitrep` with the two default token variables set as given (`None`: unset).
fn sitrep_with_tokens(args: &[&str], telegram: Option<&str>, discord: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(args).env_remove("SITREP_LOG");
    for (var, value) in [
        ("SITREP_TELEGRAM_TOKEN", telegram),
        ("SITREP_DISCORD_TOKEN", discord),
    ] {
        match value {
            Some(v) => cmd.env(var, v),
            None => cmd.env_remove(var),
        };
    }
    cmd.output().expect("run sitrep")
}

#[test]
fn check_config_passes_the_example_in_a_fresh_shell() {
    let o = sitrep_with_tokens(
        &["check-config", "--config", "config/sitrep.example.toml"],
        None,
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("config/sitrep.example.toml: ok ("), "{out}");
    assert!(out.contains("telegram off, discord off"), "{out}");
    assert_eq!(stderr(&o), "", "no platform table, nothing to warn about");
}

#[test]
fn check_config_warns_once_per_unset_token_variable() {
    let dir = tempfile::tempdir().unwrap();
    let config = example_with_platforms(dir.path());
    let args = ["check-config", "--config", config.to_str().unwrap()];

    let o = sitrep_with_tokens(&args, None, None);
    assert_eq!(o.status.code(), Some(0), "the file is fine: {}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one warning per variable: {err}");
    assert!(lines[0].starts_with("sitrep: warning: [telegram]"), "{err}");
    assert!(lines[0].contains("SITREP_TELEGRAM_TOKEN"), "{err}");
    assert!(lines[1].starts_with("sitrep: warning: [discord]"), "{err}");
    assert!(lines[1].contains("SITREP_DISCORD_TOKEN"), "{err}");
    assert!(
        stdout(&o).contains("telegram token not set, discord token not set"),
        "{}",
        stdout(&o)
    );

    let o = sitrep_with_tokens(&args, Some("123:secret-telegram"), Some("  "));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("SITREP_DISCORD_TOKEN"),
        "a blank value is unset: {err}"
    );
    assert!(stdout(&o).contains("telegram on, discord token not set"));

    let o = sitrep_with_tokens(&args, Some("123:secret-telegram"), Some("secret-discord"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert!(stdout(&o).contains("telegram on, discord on"));
    assert!(!stdout(&o).contains("secret"), "tokens are never printed");
}

#[test]
fn run_refuses_a_platform_table_without_its_token() {
    let dir = tempfile::tempdir().unwrap();
    let config = example_with_platforms(dir.path());
    let args = ["run", "--config", config.to_str().unwrap()];
    let o = sitrep_with_tokens(&args, None, Some("secret-discord"));
    assert_bad_input(&o, "SITREP_TELEGRAM_TOKEN");
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{}:", config.display())));
    assert!(!stderr(&o).contains("secret"));
    let o = sitrep_with_tokens(&args, Some("123:secret-telegram"), None);
    assert_bad_input(&o, "SITREP_DISCORD_TOKEN");
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));

    // The offline commands read the file only: no token is needed to read the store.
    let db = dir.path().join("db");
    let o = sitrep_with_tokens(
        &[
            "replay",
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--as-of",
            "2025-06-04T12:00:00Z",
            "data/demo/rfi.xml",
        ],
        None,
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn demo_runs_offline_and_shows_alerts_and_recent() {
    let o = sitrep(&["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("🔴 CRITICAL · Base overrun · Boulkessi, Mopti, Mali"),
        "{out}"
    );
    assert!(out.contains("UPDATE"), "{out}");
    assert!(
        out.contains("CONFIRMED"),
        "the army's toll confirms Boulkessi: {out}"
    );
    assert!(out.contains("── /recent"), "{out}");
}

#[test]
fn map_draws_a_stored_incident_and_rejects_an_unknown_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(replay(&db, &demo_feeds()).status.success());
    let png = dir.path().join("boulkessi.png");
    let o = sitrep(&[
        "map",
        "ML-20250601-boulkessi",
        "--db",
        db.to_str().unwrap(),
        "-o",
        png.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let picture = tiny_skia::Pixmap::decode_png(&bytes).expect("a PNG that decodes");
    assert_eq!((picture.width(), picture.height()), (640, 400));

    let missing = dir.path().join("missing.png");
    let o = sitrep(&[
        "map",
        "ML-20990101-nowhere",
        "--db",
        db.to_str().unwrap(),
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_bad_input(&o, "incident ML-20990101-nowhere: not found");
    assert!(!missing.exists(), "nothing written for an unknown id");

    // Labelled in French: another picture of the same place.
    let french = dir.path().join("boulkessi-fr.png");
    let o = sitrep(&[
        "map",
        "ML-20250601-boulkessi",
        "--db",
        db.to_str().unwrap(),
        "--lang",
        "fr",
        "-o",
        french.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&french).unwrap().starts_with(b"\x89PNG"));
    let o = sitrep(&[
        "map",
        "ML-20250601-boulkessi",
        "--db",
        db.to_str().unwrap(),
        "--lang",
        "de",
        "-o",
        french.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("en or fr"), "{}", stderr(&o));
}

/// Runs sitrep with its standard output a pipe nobody reads any more, as `| head -1` leaves it
/// once it has its line (here closed before the first write, so every write fails).
fn sitrep_into_closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .env_remove("SITREP_LOG")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run sitrep")
}

#[test]
fn a_closed_standard_output_ends_commands_quietly_with_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(replay(&db, &demo_feeds()).status.success());
    let db = db.to_str().unwrap();
    let fresh = dir.path().join("fresh");
    let seed = "tests/fixtures/seed/jnim-boulikessi-timbuktu.txt";
    let mut replay_args = vec![
        "replay",
        "--db",
        fresh.to_str().unwrap(),
        "--as-of",
        "2025-06-04T12:00:00Z",
    ];
    let feeds = demo_feeds();
    replay_args.extend(feeds.iter().map(String::as_str));
    let runs: Vec<Vec<&str>> = vec![
        vec!["extract", "--published", "2025-06-03", seed],
        vec!["incidents", "--db", db, "--days", "100000"],
        vec![
            "incidents",
            "--db",
            db,
            "--days",
            "100000",
            "--format",
            "csv",
        ],
        vec![
            "incidents",
            "--db",
            db,
            "--days",
            "100000",
            "--format",
            "json",
        ],
        vec!["sources", "--db", db],
        replay_args,
        vec!["demo"],
    ];
    for args in runs {
        let o = sitrep_into_closed_pipe(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.to_lowercase().contains("broken pipe"),
            "{args:?}: {err}"
        );
    }
}
