//! The `sitrep` command line (DESIGN §3.1). Exit codes: 0 success, 1 runtime failure, 2 bad usage
//! or bad input, with a one-line error on stderr. Standard output closed before a command is
//! done (`sitrep incidents | head -1`) ends it quietly with 0: the reader had what it wanted.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use sitrep::config::Config;
use sitrep::deliver::format;
use sitrep::extract::{self, Gazetteer};
use sitrep::incident::IncidentRecord;
use sitrep::model::{Severity, SourceRef};
use sitrep::pipeline::Pipeline;
use sitrep::store::Store;

/// `println!` that stops the command with an error instead of panicking when standard output
/// cannot be written: a closed pipe then ends the program quietly ([`stdout_closed`]).
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*).context("standard output")?
    };
}

/// `print!` as [`outln!`] does it.
macro_rules! out {
    ($($arg:tt)*) => {
        write!(std::io::stdout(), $($arg)*).context("standard output")?
    };
}

#[derive(Parser)]
#[command(
    name = "sitrep",
    version,
    about = "Security incident alerts for the Sahel and West Africa"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The daemon: pollers, pipeline and alerts (to Telegram and Discord when configured, else printed as JSON lines)
    Run {
        #[arg(long, default_value = "sitrep.toml")]
        config: PathBuf,
    },
    /// Each source's health: last success, last error, failures, items seen, next poll
    Sources {
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Offline showcase: bundled feeds on a loopback server, the real pipeline, the alerts
    Demo,
    /// One article (plain text or HTML) to JSON incidents and aggregates
    Extract {
        /// Publication date (RFC 3339 or YYYY-MM-DD); relative dates resolve against it
        #[arg(long)]
        published: Option<String>,
        /// The article's title, when the file holds only the body
        #[arg(long)]
        title: Option<String>,
        /// Language of the article (detected when absent)
        #[arg(long, value_parser = ["en", "fr"])]
        lang: Option<String>,
        /// The article file, or - for standard input
        #[arg(default_value = "-")]
        file: String,
    },
    /// Runs feed files through the whole pipeline and prints one JSON line per alert event
    Replay {
        /// Store directory (default: a temporary one)
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// Take this date as the current time (RFC 3339 or YYYY-MM-DD)
        #[arg(long)]
        as_of: Option<String>,
        /// RSS, Atom, RDF or JSON Feed files
        #[arg(required = true)]
        feeds: Vec<PathBuf>,
    },
    /// Stored incidents, newest first
    Incidents {
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// ISO country code, e.g. ML
        #[arg(long)]
        country: Option<String>,
        /// How many days back from today
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        min_severity: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Draws the map picture of a stored incident, or with --recent the map of recent incidents (PNG)
    Map {
        /// Incident id, e.g. ML-20250601-boulkessi (not with --recent)
        #[arg(required_unless_present = "recent", conflicts_with = "recent")]
        id: Option<String>,
        /// The map of recent incidents (what /map answers)
        #[arg(long)]
        recent: bool,
        /// With --recent: ISO country code or name, e.g. ML
        #[arg(long, requires = "recent", conflicts_with = "region")]
        country: Option<String>,
        /// With --recent: an admin1 region, e.g. Tillabéri
        #[arg(long, requires = "recent")]
        region: Option<String>,
        /// With --recent: how many days back from today (1-90)
        #[arg(long, default_value_t = 7, requires = "recent")]
        days: u32,
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// The PNG file to write
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// The language of the picture's words: en or fr (French names, legend and title)
        #[arg(long, default_value = "en")]
        lang: sitrep::i18n::Lang,
    },
    /// Prints the daily digest a channel with these filters would get (what /digest sends)
    Digest {
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
        /// Hours back from now
        #[arg(long, default_value_t = 24)]
        hours: u32,
        /// Language: en or fr
        #[arg(long, default_value = "en")]
        lang: sitrep::i18n::Lang,
        /// ISO country code or name; repeat for several (none: every country)
        #[arg(long)]
        country: Vec<String>,
        /// Lowest severity listed (default medium, as a subscription's)
        #[arg(long)]
        min_severity: Option<String>,
    },
    /// Scores extraction or merging against expected results
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Gives back the disk space of deleted records: copies the store into a fresh one and swaps
    /// it in (offline: refused while the daemon runs)
    Compact {
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long, default_value = "sitrep.toml")]
        config: PathBuf,
    },
    /// Validates a configuration file (and warns about platform token variables that are unset)
    CheckConfig {
        #[arg(long, default_value = "sitrep.toml")]
        config: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Incident precision, recall, F1 and per-field accuracy over a directory of NNN.txt + NNN.json
    Extract {
        dir: PathBuf,
        /// Also list every disagreement
        #[arg(long)]
        verbose: bool,
    },
    /// Pairwise precision, recall and F1 of items grouped into incidents, against expected clusters
    Dedup {
        /// The expected clusters (default: expected.json beside the first feed)
        #[arg(long)]
        expected: Option<PathBuf>,
        /// Source families by feed name, from a config's [[source]] tables
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        verbose: bool,
        #[arg(required = true)]
        feeds: Vec<PathBuf>,
    },
    /// Extraction from UCDP GED headlines (a GED CSV): found, country, state, place, date, deaths,
    /// perpetrator per row
    Ucdp {
        file: PathBuf,
        /// Also list every row with a miss
        #[arg(long)]
        verbose: bool,
        /// Score only the first N usable rows
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Extraction from labelled feed entries (JSON Lines): found, precision, fields, distractors
    Feeds {
        file: PathBuf,
        /// Also list every miss and every incident from a distractor
        #[arg(long)]
        verbose: bool,
    },
    /// Merging of labelled feed entries replayed as one feed per outlet: pairwise scores by key,
    /// final verification and toll per key
    FeedsDedup {
        file: PathBuf,
        /// Also list every split, wrong merge and miss
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

fn usage(error: anyhow::Error) -> Failure {
    Failure { code: 2, error }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure { code: 1, error }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SITREP_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo => sitrep::demo::run().map_err(Failure::from),
        Command::Run { config } => cmd_run(&config),
        Command::Sources { db, config } => cmd_sources(db, config),
        Command::Extract {
            published,
            title,
            lang,
            file,
        } => cmd_extract(published, title, lang, &file),
        Command::Replay {
            db,
            config,
            as_of,
            feeds,
        } => cmd_replay(db, config, as_of, &feeds),
        Command::Incidents {
            db,
            config,
            country,
            days,
            min_severity,
            format,
        } => cmd_incidents(db, config, country, days, min_severity, format),
        Command::Map {
            id,
            recent,
            country,
            region,
            days,
            lang,
            db,
            config,
            output,
        } => match (recent, id) {
            (true, _) => cmd_map_recent(
                RecentMap {
                    country,
                    region,
                    days,
                    lang,
                },
                db,
                config,
                &output,
            ),
            (false, Some(id)) => cmd_map(&id, db, config, &output, lang),
            (false, None) => Err(usage(anyhow!("map: an incident id or --recent"))),
        },
        Command::Digest {
            db,
            config,
            hours,
            lang,
            country,
            min_severity,
        } => cmd_digest(db, config, hours, lang, &country, min_severity.as_deref()),
        Command::Eval(EvalCommand::Extract { dir, verbose }) => cmd_eval_extract(&dir, verbose),
        Command::Eval(EvalCommand::Dedup {
            expected,
            config,
            verbose,
            feeds,
        }) => cmd_eval_dedup(expected, config, verbose, &feeds),
        Command::Eval(EvalCommand::Ucdp {
            file,
            verbose,
            limit,
        }) => cmd_eval_real(verbose, || {
            sitrep::eval::eval_ucdp(&file, limit, Gazetteer::bundled())
                .map(|s| (s.report(), s.misses))
        }),
        Command::Eval(EvalCommand::Feeds { file, verbose }) => cmd_eval_real(verbose, || {
            sitrep::eval::eval_feeds(&file, Gazetteer::bundled()).map(|s| (s.report(), s.misses))
        }),
        Command::Eval(EvalCommand::FeedsDedup { file, verbose }) => cmd_eval_real(verbose, || {
            sitrep::eval::eval_feeds_dedup(&file, Gazetteer::bundled())
                .map(|s| (s.report(), s.misses))
        }),
        Command::Compact { db, config } => cmd_compact(db, &config),
        Command::CheckConfig { config } => cmd_check_config(&config),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if stdout_closed(&f.error) => ExitCode::SUCCESS,
        Err(f) => {
            // One line: the chain of causes joined.
            let msg = format!("{:#}", f.error).replace('\n', " ");
            eprintln!("sitrep: {msg}");
            ExitCode::from(f.code)
        }
    }
}

/// Whether the command stopped because standard output was closed (`| head`), which is no
/// failure: the reader stopped reading.
fn stdout_closed(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn parse_when(s: &str) -> Result<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| anyhow!("bad date {s:?}: expected RFC 3339 or YYYY-MM-DD"))?;
    // A bare date means the end of that day: everything published that day counts as before it.
    Ok(Utc.from_utc_datetime(&day.and_hms_opt(23, 59, 59).expect("valid time")))
}

fn load_config(path: Option<&Path>) -> Result<Option<Config>, Failure> {
    match path {
        None => Ok(None),
        // Offline commands read the file only: no token is needed to read the store.
        Some(p) => Config::load_file(p).map(Some).map_err(|e| usage(e.into())),
    }
}

fn cmd_extract(
    published: Option<String>,
    title: Option<String>,
    lang: Option<String>,
    file: &str,
) -> Result<(), Failure> {
    const LIMIT: u64 = 5 * 1024 * 1024;
    let mut raw = Vec::new();
    if file == "-" {
        std::io::stdin()
            .take(LIMIT + 1)
            .read_to_end(&mut raw)
            .context("cannot read standard input")?;
    } else {
        let meta = std::fs::metadata(file).map_err(|e| usage(anyhow!("{file}: {e}")))?;
        if meta.is_dir() {
            return Err(usage(anyhow!("{file}: is a directory")));
        }
        std::fs::File::open(file)
            .and_then(|f| f.take(LIMIT + 1).read_to_end(&mut raw))
            .map_err(|e| usage(anyhow!("{file}: {e}")))?;
    }
    if raw.len() as u64 > LIMIT {
        return Err(usage(anyhow!("{file}: over the {LIMIT} byte limit")));
    }
    let text = String::from_utf8_lossy(&raw);
    let text = if text.contains("</") {
        sitrep::source::html::html_to_text(&text)
    } else {
        text.into_owned()
    };
    let published = match published {
        Some(p) => parse_when(&p).map_err(usage)?,
        None => Utc::now(),
    };
    let (title, body) = match title {
        Some(t) => (t, text.as_str()),
        None => match text.trim_start().split_once('\n') {
            Some((t, b)) => (t.trim().to_string(), b),
            None => (String::new(), text.as_str()),
        },
    };
    let source = SourceRef {
        url: String::new(),
        outlet: file.to_string(),
        family: file.to_string(),
        published: Some(published),
        lang: None,
    };
    let x = extract::extract(
        &title,
        body,
        published,
        published,
        lang.as_deref(),
        source,
        Gazetteer::bundled(),
    );
    let out = serde_json::json!({
        "incidents": x.incidents.iter().map(|e| e.incident()).collect::<Vec<_>>(),
        "aggregates": x.aggregates,
    });
    outln!("{}", serde_json::to_string_pretty(&out).context("json")?);
    Ok(())
}

fn open_store(
    db: Option<PathBuf>,
    config: Option<&Config>,
    must_exist: bool,
) -> Result<Store, Failure> {
    let path = db
        .or_else(|| config.map(|c| c.store.path.clone()))
        .unwrap_or_else(|| PathBuf::from("sitrep-data"));
    if must_exist && !path.exists() {
        return Err(usage(anyhow!(
            "store {}: no such directory",
            path.display()
        )));
    }
    let cache = config.map_or(64, |c| c.store.cache_mb);
    let (store, _) =
        Store::open_or_rebuild(&path, cache).map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    Ok(store)
}

fn cmd_replay(
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    as_of: Option<String>,
    feeds: &[PathBuf],
) -> Result<(), Failure> {
    let config = load_config(config.as_deref())?;
    let as_of = as_of.map(|s| parse_when(&s)).transpose().map_err(usage)?;
    let store = match db {
        Some(d) => open_store(Some(d), config.as_ref(), false)?,
        None => Store::temporary().map_err(|e| Failure::from(anyhow::Error::from(e)))?,
    };
    let max_age = config
        .as_ref()
        .map_or(std::time::Duration::from_secs(72 * 3600), |c| {
            c.pipeline.max_article_age.0
        });
    let mut pipeline =
        Pipeline::new(store.clone(), Gazetteer::bundled(), max_age).with_as_of(as_of);

    let mut articles = Vec::new();
    let mut bad = Vec::new();
    for feed in feeds {
        let name = feed
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        match sitrep::source::read_feed_file(feed, &name) {
            Ok(mut items) => {
                let family = family_lookup(config.as_ref())(&name);
                items.iter_mut().for_each(|a| a.family = family.clone());
                articles.extend(items)
            }
            Err(e) => {
                eprintln!("sitrep: {e}");
                bad.push(e);
            }
        }
    }
    // Oldest first, so that follow-ups arrive after the reports they update.
    articles.sort_by_key(|a| a.published);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for a in &articles {
        let events = pipeline
            .ingest(a)
            .map_err(|e| Failure::from(anyhow::Error::from(e)))?
            .events;
        for ev in events {
            let line = serde_json::to_string(&ev).context("json")?;
            writeln!(out, "{line}").context("stdout")?;
        }
    }
    store
        .flush()
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    tracing::info!(counts = ?pipeline.counts, "replay done");
    if !bad.is_empty() {
        return Err(usage(anyhow!(
            "{} of {} feed files could not be read",
            bad.len(),
            feeds.len()
        )));
    }
    Ok(())
}

fn cmd_incidents(
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    country: Option<String>,
    days: u32,
    min_severity: Option<String>,
    format: Format,
) -> Result<(), Failure> {
    let config = load_config(config.as_deref())?;
    let min: Severity = match min_severity {
        Some(s) => s.parse().map_err(|e: String| usage(anyhow!(e)))?,
        None => Severity::Low,
    };
    let store = open_store(db, config.as_ref(), true)?;
    let since = Utc::now().date_naive() - chrono::Duration::days(days as i64);
    let country = country.map(|c| c.to_ascii_uppercase());
    let mut records: Vec<IncidentRecord> = store
        .all_incidents()
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?
        .into_iter()
        .filter(|r| r.incident.date >= since)
        .filter(|r| country.as_ref().is_none_or(|c| &r.incident.country == c))
        .filter(|r| r.incident.severity >= min)
        .collect();
    records.sort_by(|a, b| {
        (b.incident.date, b.incident.updated).cmp(&(a.incident.date, a.incident.updated))
    });
    let incidents: Vec<_> = records.iter().map(|r| r.incident.clone()).collect();
    let gaz = Gazetteer::bundled();
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&incidents).context("json")?
        ),
        Format::Table => {
            for i in &incidents {
                outln!("{}", format::recent_line(i, gaz, sitrep::i18n::Lang::En));
            }
            if incidents.is_empty() {
                eprintln!("no incidents in the last {days} days");
            }
        }
        Format::Csv => out!("{}", sitrep::export::csv(&incidents)),
        Format::Geojson => outln!("{}", sitrep::export::geojson(&incidents)),
    }
    Ok(())
}

fn cmd_map(
    id: &str,
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    output: &Path,
    lang: sitrep::i18n::Lang,
) -> Result<(), Failure> {
    let config = load_config(config.as_deref())?;
    let store = open_store(db, config.as_ref(), true)?;
    let record = store
        .incident(id.trim_start_matches('#'))
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?
        .ok_or_else(|| usage(anyhow!("incident {id}: not found")))?;
    let scene = sitrep::map::Scene::of(&record.incident)
        .ok_or_else(|| usage(anyhow!("incident {id}: no coordinates to draw")))?
        .in_lang(lang);
    let picture = sitrep::map::render(&scene, Gazetteer::bundled())
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    std::fs::write(output, &picture.png)
        .with_context(|| format!("cannot write {}", output.display()))?;
    outln!(
        "{}: {}x{} PNG, {} bytes",
        output.display(),
        sitrep::map::WIDTH,
        sitrep::map::HEIGHT,
        picture.png.len()
    );
    Ok(())
}

/// What `sitrep map --recent` draws.
struct RecentMap {
    country: Option<String>,
    region: Option<String>,
    days: u32,
    lang: sitrep::i18n::Lang,
}

fn cmd_map_recent(
    m: RecentMap,
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    output: &Path,
) -> Result<(), Failure> {
    use sitrep::command::{Area, parse};
    if !(1..=90).contains(&m.days) {
        return Err(usage(anyhow!("--days {}: expected 1 to 90", m.days)));
    }
    let gaz = Gazetteer::bundled();
    // The area is read as /map reads it, with the same errors and suggestions.
    let name = m.country.as_deref().or(m.region.as_deref()).unwrap_or("");
    let area = match parse(&format!("/map {name}"), gaz) {
        Ok(sitrep::command::Command::Map { area, .. }) => area,
        Ok(_) => None,
        Err(e) => return Err(usage(anyhow!("{e}"))),
    };
    let area = match (area, m.region.is_some()) {
        (Some(Area::Country(c)), true) => {
            return Err(usage(anyhow!(
                "--region {name}: {c} is a country; use --country"
            )));
        }
        (a, _) => a,
    };
    let config = load_config(config.as_deref())?;
    let store = open_store(db, config.as_ref(), true)?;
    let reply =
        sitrep::command::recent_map(&store, &[], area.as_ref(), m.days, Utc::now(), m.lang, gaz)
            .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    let png = reply
        .photo
        .ok_or_else(|| Failure::from(anyhow!("{}", reply.text)))?;
    std::fs::write(output, &png).with_context(|| format!("cannot write {}", output.display()))?;
    outln!("{}: {}, {} bytes", output.display(), reply.text, png.len());
    Ok(())
}

fn cmd_digest(
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    hours: u32,
    lang: sitrep::i18n::Lang,
    countries: &[String],
    min_severity: Option<&str>,
) -> Result<(), Failure> {
    if !(1..=24 * 90).contains(&hours) {
        return Err(usage(anyhow!("--hours {hours}: expected 1 to 2160")));
    }
    let gaz = Gazetteer::bundled();
    let mut codes = Vec::new();
    for c in countries {
        match sitrep::command::parse(&format!("/recent {c}"), gaz) {
            Ok(sitrep::command::Command::Recent {
                area: Some(sitrep::command::Area::Country(code)),
                ..
            }) => codes.push(code),
            _ => return Err(usage(anyhow!("--country {c:?}: not a known country"))),
        }
    }
    let min_severity = match min_severity {
        Some(s) => s
            .parse()
            .map_err(|e: String| usage(anyhow!("--min-severity: {e}")))?,
        None => sitrep::model::Severity::Medium,
    };
    let config = load_config(config.as_deref())?;
    let store = open_store(db, config.as_ref(), true)?;
    let target: sitrep::model::Target = "telegram:0".parse().map_err(|e: String| anyhow!(e))?;
    let sub = sitrep::model::Subscription {
        id: String::new(),
        target,
        countries: codes,
        regions: vec![],
        near: None,
        min_severity,
        min_verification: sitrep::model::Verification::Rumour,
        kinds: vec![],
        actors: vec![],
        keywords: vec![],
        exclude_keywords: vec![],
        lang: None,
        digest: None,
    };
    let records = store
        .all_incidents()
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    let d = sitrep::digest::build(
        &records,
        &[sub],
        &[],
        &target,
        Utc::now(),
        hours,
        chrono_tz::UTC,
        lang,
        gaz,
    );
    outln!("{}", d.text);
    Ok(())
}

fn cmd_eval_extract(dir: &Path, verbose: bool) -> Result<(), Failure> {
    let score =
        sitrep::eval::eval_extract(dir, Gazetteer::bundled()).map_err(|e| usage(e.into()))?;
    out!("{}", score.report());
    if verbose {
        for m in &score.misses {
            outln!("  {m}");
        }
    }
    Ok(())
}

/// Prints a real-data scorer's report, and its misses with `verbose`.
fn cmd_eval_real(
    verbose: bool,
    run: impl FnOnce() -> Result<(String, Vec<String>), sitrep::eval::EvalError>,
) -> Result<(), Failure> {
    let (report, misses) = run().map_err(|e| usage(e.into()))?;
    out!("{report}");
    if verbose {
        for m in &misses {
            outln!("  {m}");
        }
    }
    Ok(())
}

/// The publisher family of a feed replayed from a file: the family of the configured source
/// of that name, else the file's name.
fn family_lookup(config: Option<&Config>) -> impl Fn(&str) -> String + '_ {
    move |name: &str| {
        config
            .and_then(|c| c.sources.iter().find(|s| s.name == name))
            .map(|s| s.family())
            .unwrap_or_else(|| name.to_string())
    }
}

fn cmd_eval_dedup(
    expected: Option<PathBuf>,
    config: Option<PathBuf>,
    verbose: bool,
    feeds: &[PathBuf],
) -> Result<(), Failure> {
    let config = load_config(config.as_deref())?;
    let expected = expected.unwrap_or_else(|| feeds[0].with_file_name("expected.json"));
    let families = family_lookup(config.as_ref());
    let score = sitrep::eval::eval_dedup(feeds, &expected, &families, Gazetteer::bundled())
        .map_err(|e| usage(e.into()))?;
    out!("{}", score.report());
    if verbose {
        for m in &score.misses {
            outln!("  {m}");
        }
    }
    Ok(())
}

fn cmd_run(path: &Path) -> Result<(), Failure> {
    let (config, tokens) = Config::load(path).map_err(|e| usage(e.into()))?;
    sitrep::app::run(config, tokens, path).map_err(Failure::from)
}

fn cmd_sources(db: Option<PathBuf>, config: Option<PathBuf>) -> Result<(), Failure> {
    let config = load_config(config.as_deref())?;
    let store = open_store(db, config.as_ref(), true)?;
    let states = store
        .source_states()
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    let configured: Vec<String> = config
        .iter()
        .flat_map(|c| c.sources.iter().map(|s| s.name.clone()))
        .collect();
    let mut names = configured.clone();
    for (n, _) in &states {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    let when = |t: Option<chrono::DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "-".into())
    };
    outln!(
        "{:<24} {:<21} {:>8} {:>7} {:<21} last error",
        "source",
        "last success",
        "failures",
        "items",
        "next poll"
    );
    for name in names {
        // A source removed from the config keeps its stored state but is polled no more.
        let removed = config.is_some() && !configured.contains(&name);
        match states.iter().find(|(n, _)| *n == name) {
            Some((_, s)) => outln!(
                "{:<24} {:<21} {:>8} {:>7} {:<21} {}",
                name,
                when(s.last_success),
                s.consecutive_failures,
                s.items_seen,
                if removed {
                    "not in config".to_string()
                } else {
                    when(s.next_poll)
                },
                s.last_error.as_deref().unwrap_or("-")
            ),
            None => outln!("{name:<24} never polled"),
        }
    }
    Ok(())
}

/// Checks the file (every check `run` makes but the tokens'): on success prints a summary and,
/// on standard error, one warning per platform table whose token variable is unset (exit 0:
/// the file is fine, the environment is `run`'s business).
fn cmd_compact(db: Option<PathBuf>, config: &Path) -> Result<(), Failure> {
    // With --db the configuration file is optional (its cache size is used when it is there).
    let config = match &db {
        Some(_) if !config.exists() => None,
        _ => load_config(Some(config))?,
    };
    let path = db
        .or_else(|| config.as_ref().map(|c| c.store.path.clone()))
        .unwrap_or_else(|| PathBuf::from("sitrep-data"));
    if !path.exists() {
        return Err(usage(anyhow!(
            "store {}: no such directory",
            path.display()
        )));
    }
    let cache = config.as_ref().map_or(64, |c| c.store.cache_mb);
    let done = sitrep::store::compact::compact(&path, cache)
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    let mib = |b: u64| b as f64 / 1_048_576.0;
    outln!(
        "{}: {:.1} MiB -> {:.1} MiB ({} records, {:.1} MiB of keys and values)",
        path.display(),
        mib(done.before),
        mib(done.after),
        done.records,
        mib(done.live)
    );
    Ok(())
}

fn cmd_check_config(path: &Path) -> Result<(), Failure> {
    let config = Config::load_file(path).map_err(|e| usage(e.into()))?;
    let unset = config.unset_tokens(&|name| std::env::var(name).ok());
    let platform = |configured: bool, name: &str| {
        if !configured {
            "off"
        } else if unset.iter().any(|u| u.platform == name) {
            "token not set"
        } else {
            "on"
        }
    };
    outln!(
        "{}: ok ({} sources, {} subscriptions, telegram {}, discord {})",
        path.display(),
        config.sources.len(),
        config.subscriptions.len(),
        platform(config.telegram.is_some(), "telegram"),
        platform(config.discord.is_some(), "discord"),
    );
    for u in &unset {
        eprintln!("sitrep: warning: {u}: `sitrep run` refuses to start until it is");
    }
    Ok(())
}
