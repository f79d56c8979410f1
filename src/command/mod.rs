//! Subscribers' commands, the same on every platform: one [`Command`] parsed from text (Telegram)
//! or built from typed options (Discord), and one [`execute`] over the store. Adapters only
//! translate: they pass who asks, where, and whether that person administers the channel.
//!
//! `/recent [country|region] [days] [min_severity]`, `/incident <id>`, `/subscribe …`,
//! `/unsubscribe <id|all>`, `/subscriptions`, `/mute <duration> [region]`, `/unmute`, `/sources`,
//! `/help`, `/about`, `/map [country|region] [days]`, `/digest HH:MM [zone]|off`. Changing a
//! channel's subscriptions, mutes or digest needs its administrator.

pub mod discord;
pub mod discord_gateway;
pub mod telegram;

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::deliver::format;
use crate::extract::Gazetteer;
use crate::extract::gazetteer::PlaceKind;
use crate::model::{
    DigestChoice, DigestSchedule, Near, Severity, Subscription, Target, Verification,
};
use crate::store::records::Mute;
use crate::store::{Store, StoreError};
use crate::text::key;

/// Where `/recent` looks.
#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    Country(String),
    Region(String),
}

/// What `/subscribe` asks for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubscribeArgs {
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub near: Option<Near>,
    pub min_severity: Option<Severity>,
    pub min_verification: Option<Verification>,
    pub keywords: Vec<String>,
}

/// One command, whatever the platform.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Recent {
        area: Option<Area>,
        days: u32,
        min_severity: Severity,
    },
    Incident {
        id: String,
    },
    Subscribe(SubscribeArgs),
    Unsubscribe {
        id: Option<String>,
    },
    Subscriptions,
    Mute {
        duration: Duration,
        region: Option<String>,
    },
    Unmute,
    Sources,
    Help,
    About,
    /// `/map [country|region] [days]`: the picture of the area's recent incidents.
    Map {
        area: Option<Area>,
        days: u32,
    },
    /// `/digest`, `/digest off`, `/digest HH:MM [zone]`.
    Digest(DigestArg),
}

/// What `/digest` asks.
#[derive(Debug, Clone, PartialEq)]
pub enum DigestArg {
    /// Show the channel's digest time.
    Show,
    Off,
    Daily(DigestSchedule),
}

/// A command that could not be read: what is wrong and how to write it.
#[derive(Debug, Error, PartialEq)]
#[error("{message}\nUsage: {usage}")]
pub struct UsageError {
    pub message: String,
    pub usage: &'static str,
}

pub const USAGE_RECENT: &str = "/recent [country|region] [days 1-90] [low|medium|high|critical]";
pub const USAGE_INCIDENT: &str = "/incident <id>, e.g. /incident ML-20250601-boulkessi";
pub const USAGE_SUBSCRIBE: &str = "/subscribe ML BF [region=Mopti] [near=Mopti:150] [min=high] [verified=corroborated] [keyword=convoy]";
pub const USAGE_UNSUBSCRIBE: &str = "/unsubscribe <id|all>";
pub const USAGE_MUTE: &str = "/mute <duration, e.g. 2h or 1d> [region]";

/// The help text, one line a command.
pub const HELP: &str = "/recent [country|region] [days] [min_severity]: the newest incidents\n\
/incident <id>: one incident with all its sources\n\
/subscribe ML BF [region=…] [near=Place:km] [min=…] [verified=…] [keyword=…]: alerts for this channel (admins)\n\
/unsubscribe <id|all>: stop a subscription (admins)\n\
/subscriptions: this channel's subscriptions\n\
/mute <duration> [region]: pause new alerts (admins)\n\
/unmute: resume alerts (admins)\n\
/map [country|region] [days]: the map of recent incidents\n\
/digest HH:MM [zone] | off: a daily digest at that local time (admins)\n\
/sources: health of the news sources\n\
/about: what sitrep is";

fn usage(message: impl Into<String>, usage: &'static str) -> UsageError {
    UsageError {
        message: message.into(),
        usage,
    }
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + (ca != *cb) as usize)
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest region, country or town name to a word nobody recognised.
pub fn suggestion(word: &str, gaz: &Gazetteer) -> Option<String> {
    let k = key(word);
    let mut best: Option<(usize, String)> = None;
    for id in 0..gaz.len() as u32 {
        let p = gaz.place(crate::extract::gazetteer::PlaceId(id));
        if !matches!(p.kind, PlaceKind::Admin1 | PlaceKind::Country) && p.population < 20_000 {
            continue;
        }
        let d = distance(&k, &key(&p.name));
        if d <= 2.max(k.len() / 4) && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, p.name.clone()));
        }
    }
    best.map(|(_, n)| n)
}

/// A country code ("ML", "ml") or a country's name ("Mali", "Burkina Faso").
fn country(word: &str, gaz: &Gazetteer) -> Option<String> {
    if word.len() == 2 && gaz.country(&word.to_ascii_uppercase()).is_some() {
        return Some(word.to_ascii_uppercase());
    }
    gaz.lookup(word)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|p| p.kind == PlaceKind::Country)
        .map(|p| p.country.clone())
}

/// An admin1 region's canonical name.
fn region(word: &str, gaz: &Gazetteer) -> Option<String> {
    gaz.lookup(word)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|p| p.kind == PlaceKind::Admin1)
        .map(|p| p.name.clone())
}

fn unknown(word: &str, what: &str, gaz: &Gazetteer, u: &'static str) -> UsageError {
    match suggestion(word, gaz) {
        Some(s) => usage(format!("Unknown {what} \"{word}\": did you mean {s}?"), u),
        None => usage(format!("Unknown {what} \"{word}\"."), u),
    }
}

/// Parses a command line such as `/subscribe ML BF min=high near=Mopti:150`. A bot name after the
/// command (`/recent@sitrep_bot`) is ignored.
pub fn parse(text: &str, gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut words = text.split_whitespace();
    let head = words.next().unwrap_or("");
    let name = head
        .trim_start_matches('/')
        .split('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let args: Vec<&str> = words.collect();
    match name.as_str() {
        "recent" => parse_recent(&args, gaz),
        "incident" => match args.as_slice() {
            [id] => Ok(Command::Incident { id: id.to_string() }),
            _ => Err(usage("Which incident?", USAGE_INCIDENT)),
        },
        "subscribe" => parse_subscribe(&args, gaz),
        "unsubscribe" => match args.as_slice() {
            ["all"] => Ok(Command::Unsubscribe { id: None }),
            [id] => Ok(Command::Unsubscribe {
                id: Some(id.to_string()),
            }),
            _ => Err(usage(
                "Which subscription? Its id is in /subscriptions.",
                USAGE_UNSUBSCRIBE,
            )),
        },
        "subscriptions" => Ok(Command::Subscriptions),
        "mute" => {
            let Some(d) = args.first() else {
                return Err(usage("For how long?", USAGE_MUTE));
            };
            let duration = humantime::parse_duration(d)
                .map_err(|_| usage(format!("\"{d}\" is not a duration."), USAGE_MUTE))?;
            if duration < Duration::from_secs(60) || duration > Duration::from_secs(30 * 86_400) {
                return Err(usage("A mute lasts from 1 minute to 30 days.", USAGE_MUTE));
            }
            let region = match args.get(1..).filter(|r| !r.is_empty()) {
                Some(rest) => {
                    let name = rest.join(" ");
                    Some(
                        region(&name, gaz)
                            .ok_or_else(|| unknown(&name, "region", gaz, USAGE_MUTE))?,
                    )
                }
                None => None,
            };
            Ok(Command::Mute { duration, region })
        }
        "unmute" => Ok(Command::Unmute),
        "sources" => Ok(Command::Sources),
        "help" | "start" => Ok(Command::Help),
        "about" => Ok(Command::About),
        "map" => parse_map(&args, gaz),
        "digest" => parse_digest(&args),
        other => Err(usage(format!("Unknown command /{other}."), "/help")),
    }
}

fn parse_recent(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut area = None;
    let mut days = 7;
    let mut min_severity = Severity::Low;
    let mut words: Vec<&str> = Vec::new();
    for a in args {
        if let Ok(n) = a.parse::<u32>() {
            if !(1..=90).contains(&n) {
                return Err(usage(format!("{n} days is out of range."), USAGE_RECENT));
            }
            days = n;
        } else if let Ok(s) = a.parse::<Severity>() {
            min_severity = s;
        } else {
            words.push(a);
        }
    }
    if !words.is_empty() {
        let name = words.join(" ");
        area = Some(if let Some(c) = country(&name, gaz) {
            Area::Country(c)
        } else if let Some(r) = region(&name, gaz) {
            Area::Region(r)
        } else {
            return Err(unknown(&name, "country or region", gaz, USAGE_RECENT));
        });
    }
    Ok(Command::Recent {
        area,
        days,
        min_severity,
    })
}

fn parse_map(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let u = crate::map::region_texts::map_usage(LANG);
    let mut days = 7;
    let mut words: Vec<&str> = Vec::new();
    for a in args {
        match a.parse::<u32>() {
            Ok(n) if (1..=90).contains(&n) => days = n,
            Ok(n) => return Err(usage(format!("{n} days is out of range."), u)),
            Err(_) => words.push(a),
        }
    }
    let area = if words.is_empty() {
        None
    } else {
        let name = words.join(" ");
        Some(if let Some(c) = country(&name, gaz) {
            Area::Country(c)
        } else if let Some(r) = region(&name, gaz) {
            Area::Region(r)
        } else {
            return Err(unknown(&name, "country or region", gaz, u));
        })
    };
    Ok(Command::Map { area, days })
}

fn parse_digest(args: &[&str]) -> Result<Command, UsageError> {
    let u = crate::digest::texts::digest_usage(LANG);
    match args {
        [] => Ok(Command::Digest(DigestArg::Show)),
        [off] if off.eq_ignore_ascii_case("off") => Ok(Command::Digest(DigestArg::Off)),
        _ => args
            .join(" ")
            .parse::<DigestSchedule>()
            .map(|s| Command::Digest(DigestArg::Daily(s)))
            .map_err(|e| usage(e, u)),
    }
}

fn parse_subscribe(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut s = SubscribeArgs::default();
    for a in args {
        let (k, v) = a.split_once('=').unwrap_or(("", a));
        match k {
            "" => match country(v, gaz) {
                Some(c) => s.countries.push(c),
                None => return Err(unknown(v, "country", gaz, USAGE_SUBSCRIBE)),
            },
            "region" => {
                let name = v.replace('_', " ");
                s.regions.push(
                    region(&name, gaz)
                        .ok_or_else(|| unknown(&name, "region", gaz, USAGE_SUBSCRIBE))?,
                );
            }
            "near" => {
                let (place, km) = v.rsplit_once(':').unwrap_or((v, "100"));
                let radius_km: f64 = km
                    .parse()
                    .ok()
                    .filter(|r| (1.0..=1000.0).contains(r))
                    .ok_or_else(|| {
                        usage(
                            format!("\"{km}\" is not a radius from 1 to 1000 km."),
                            USAGE_SUBSCRIBE,
                        )
                    })?;
                let place = place.replace('_', " ");
                let found = gaz
                    .lookup(&place)
                    .first()
                    .map(|id| gaz.place(*id).name.clone());
                let name = found.ok_or_else(|| unknown(&place, "place", gaz, USAGE_SUBSCRIBE))?;
                s.near = Some(Near {
                    place: name,
                    radius_km,
                });
            }
            "min" | "severity" => {
                s.min_severity = Some(v.parse().map_err(|e: String| usage(e, USAGE_SUBSCRIBE))?)
            }
            "verified" | "verification" => {
                s.min_verification = Some(v.parse().map_err(|e: String| usage(e, USAGE_SUBSCRIBE))?)
            }
            "keyword" => s.keywords.push(v.replace('_', " ")),
            other => {
                return Err(usage(
                    format!("Unknown option \"{other}\"."),
                    USAGE_SUBSCRIBE,
                ));
            }
        }
    }
    if s.countries.is_empty() && s.regions.is_empty() && s.near.is_none() {
        return Err(usage(
            "Say where: countries, a region or near=Place:km.",
            USAGE_SUBSCRIBE,
        ));
    }
    Ok(Command::Subscribe(s))
}

/// Who asks, where.
#[derive(Debug, Clone)]
pub struct Context {
    pub target: Target,
    /// The person administers this channel (Telegram chat administrator, Discord Manage Channels).
    pub is_admin: bool,
    pub now: DateTime<Utc>,
}

/// The answer: plain text (adapters escape it), whether only the asker should see it, and a
/// picture (PNG) that goes with it (`/map`: a Telegram photo with the text as its caption, a
/// Discord attachment).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub private: bool,
    pub photo: Option<Vec<u8>>,
}

impl Reply {
    fn public(text: String) -> Reply {
        Reply {
            text,
            private: false,
            photo: None,
        }
    }
    /// A reply only the asker sees.
    pub fn private(text: String) -> Reply {
        Reply {
            text,
            private: true,
            photo: None,
        }
    }
}

/// The language of command replies until channels choose one (issue 18).
const LANG: &str = "en";

/// Runs a command for a channel. `operator` are the config's subscriptions (shown, not changed).
pub fn execute(
    cmd: &Command,
    ctx: &Context,
    store: &Store,
    operator: &[Subscription],
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    let needs_admin = matches!(
        cmd,
        Command::Subscribe(_)
            | Command::Unsubscribe { .. }
            | Command::Mute { .. }
            | Command::Unmute
            | Command::Digest(DigestArg::Off | DigestArg::Daily(_))
    );
    if needs_admin && !ctx.is_admin {
        return Ok(Reply::private(
            "Only an administrator of this channel can change its alerts.".into(),
        ));
    }
    Ok(match cmd {
        Command::Help => Reply::public(HELP.into()),
        Command::About => Reply::public(
            "sitrep reads English and French news about armed violence in the Sahel and West Africa, merges the reports of each incident, grades how severe it is and how sure we are, and alerts subscribed channels. Open source; tolls are reported figures, not verified ones.".into(),
        ),
        Command::Recent { area, days, min_severity } => recent(store, area.as_ref(), *days, *min_severity, ctx.now, gaz)?,
        Command::Incident { id } => match store.incident(id)? {
            Some(r) => Reply::public(format::card(&r, gaz)),
            None => Reply::private(format!("No incident {id}. /recent lists the newest.")),
        },
        Command::Subscriptions => subscriptions(store, operator, &ctx.target, ctx.now)?,
        Command::Subscribe(args) => subscribe(store, &ctx.target, args)?,
        Command::Unsubscribe { id } => unsubscribe(store, &ctx.target, id.as_deref())?,
        Command::Mute { duration, region } => mute(store, ctx, *duration, region.as_ref())?,
        Command::Unmute => {
            store.set_mutes(&ctx.target, &[])?;
            Reply::public("Alerts resumed.".into())
        }
        Command::Map { area, days } => map_reply(store, operator, ctx, area.as_ref(), *days, gaz)?,
        Command::Digest(arg) => digest_reply(store, operator, &ctx.target, arg)?,
        Command::Sources => sources(store)?,
    })
}

/// `/subscribe`: adds a subscription to the channel's.
fn subscribe(store: &Store, target: &Target, args: &SubscribeArgs) -> Result<Reply, StoreError> {
    let mut subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == *target)
        .collect();
    let id = format!("s{}", store_id(store)?);
    let sub = Subscription {
        id: id.clone(),
        target: *target,
        countries: args.countries.clone(),
        regions: args.regions.clone(),
        near: args.near.clone(),
        min_severity: args.min_severity.unwrap_or(Severity::Medium),
        min_verification: args.min_verification.unwrap_or(Verification::Rumour),
        kinds: vec![],
        actors: vec![],
        keywords: args.keywords.clone(),
        exclude_keywords: vec![],
        digest: None,
    };
    let line = describe(&sub);
    subs.push(sub);
    store.set_subscriptions(target, &subs)?;
    Ok(Reply::public(format!("Subscribed ({id}): {line}")))
}

/// `/unsubscribe [id]`: removes one of the channel's subscriptions, or all of them.
fn unsubscribe(store: &Store, target: &Target, id: Option<&str>) -> Result<Reply, StoreError> {
    let subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == *target)
        .collect();
    let keep: Vec<Subscription> = match id {
        None => Vec::new(),
        Some(id) => subs.iter().filter(|s| s.id != id).cloned().collect(),
    };
    if keep.len() == subs.len() && id.is_some() {
        return Ok(Reply::private(format!(
            "No subscription {} here. /subscriptions lists them.",
            id.unwrap_or("")
        )));
    }
    store.set_subscriptions(target, &keep)?;
    let removed = subs.len() - keep.len();
    Ok(Reply::public(format!(
        "Removed {removed} subscription{}.",
        if removed == 1 { "" } else { "s" }
    )))
}

/// `/mute <duration> [region]`: pauses new alerts for the channel (expired mutes are dropped).
fn mute(
    store: &Store,
    ctx: &Context,
    duration: Duration,
    region: Option<&String>,
) -> Result<Reply, StoreError> {
    let until = ctx.now + chrono::Duration::from_std(duration).unwrap_or_default();
    let mut mutes: Vec<Mute> = store
        .mutes()?
        .into_iter()
        .filter(|m| m.target == ctx.target && m.until > ctx.now)
        .collect();
    mutes.push(Mute {
        target: ctx.target,
        until,
        region: region.cloned(),
    });
    store.set_mutes(&ctx.target, &mutes)?;
    Ok(Reply::public(format!(
        "New alerts{} paused until {}. Updates to incidents already sent still arrive. /unmute to resume.",
        region.map(|r| format!(" for {r}")).unwrap_or_default(),
        until.format("%Y-%m-%d %H:%M UTC")
    )))
}

/// `/sources`: each source's health.
fn sources(store: &Store) -> Result<Reply, StoreError> {
    let mut text = String::new();
    for (name, s) in store.source_states()? {
        let status = if s.consecutive_failures == 0 {
            "ok".to_string()
        } else {
            format!("failing ({}x)", s.consecutive_failures)
        };
        let last = s
            .last_success
            .map(|t| t.format("%d %b %H:%M UTC").to_string())
            .unwrap_or_else(|| "never".into());
        let _ = writeln!(
            text,
            "{name}: {status}, last success {last}, {} items",
            s.items_seen
        );
    }
    if text.is_empty() {
        text = "No source has been polled yet.".into();
    }
    Ok(Reply::public(text.trim_end().to_string()))
}

/// `/digest`: shows, stops or sets the channel's digest.
fn digest_reply(
    store: &Store,
    operator: &[Subscription],
    target: &Target,
    arg: &DigestArg,
) -> Result<Reply, StoreError> {
    use crate::digest::texts;
    let mut settings = store.channel_settings(target)?;
    Ok(match arg {
        DigestArg::Show => Reply::public(texts::digest_status(
            LANG,
            crate::digest::schedule_for(target, &settings, operator).as_ref(),
        )),
        DigestArg::Off => {
            settings.digest = DigestChoice::Off;
            store.set_channel_settings(target, &settings)?;
            Reply::public(texts::digest_stopped(LANG))
        }
        DigestArg::Daily(s) => {
            settings.digest = DigestChoice::Daily(s.clone());
            store.set_channel_settings(target, &settings)?;
            Reply::public(texts::digest_set(LANG, s))
        }
    })
}

/// The incidents `/map` shows and how it frames them: (title, area box, lighter countries,
/// incidents). Without an area named, the channel's subscriptions decide (their filters, not
/// their thresholds); without those, the whole region.
type MapArea = (
    String,
    Option<(f64, f64, f64, f64)>,
    Vec<String>,
    Vec<crate::model::Incident>,
);

fn map_area(
    records: Vec<crate::incident::IncidentRecord>,
    subs: &[Subscription],
    area: Option<&Area>,
    gaz: &Gazetteer,
) -> MapArea {
    use crate::map::region::{country_bbox, region_bbox, union};
    use crate::map::region_texts as t;
    let all = |records: Vec<crate::incident::IncidentRecord>| -> Vec<_> {
        records.into_iter().map(|r| r.incident).collect()
    };
    match area {
        Some(Area::Country(c)) => {
            let mut inside = all(records);
            inside.retain(|i| &i.country == c);
            let title = gaz.country(c).map_or_else(|| c.clone(), |p| p.name.clone());
            (title, country_bbox(c), vec![c.clone()], inside)
        }
        Some(Area::Region(r)) => {
            let mut inside = all(records);
            inside.retain(|i| i.admin1.as_deref().is_some_and(|a| key(a) == key(r)));
            (r.clone(), region_bbox(r, gaz), Vec::new(), inside)
        }
        None if subs.is_empty() => (t::whole_region(LANG), None, Vec::new(), all(records)),
        None => {
            let mut countries: Vec<String> =
                subs.iter().flat_map(|s| s.countries.clone()).collect();
            countries.sort();
            countries.dedup();
            let inside: Vec<_> = records
                .into_iter()
                .filter(|r| {
                    let texts: Vec<String> = r.reports.iter().map(|x| x.summary.clone()).collect();
                    subs.iter()
                        .any(|s| crate::route::filters_match(s, &r.incident, &texts, gaz))
                })
                .map(|r| r.incident)
                .collect();
            // The subscribed area frames the picture only when it has no incident to fit.
            let bbox = if inside.iter().any(|i| i.lat.is_some()) {
                None
            } else {
                countries
                    .iter()
                    .filter_map(|c| country_bbox(c))
                    .fold(None, |b, c| Some(union(b, c)))
            };
            (t::subscribed_area(LANG), bbox, countries, inside)
        }
    }
}

/// `/map` in a channel: its subscriptions are the default area.
fn map_reply(
    store: &Store,
    operator: &[Subscription],
    ctx: &Context,
    area: Option<&Area>,
    days: u32,
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    let mut subs: Vec<Subscription> = operator.to_vec();
    subs.extend(store.subscriptions()?);
    subs.retain(|s| s.target == ctx.target);
    recent_map(store, &subs, area, days, ctx.now, gaz)
}

/// The picture of an area's incidents of the last `days` days (what `/map` answers and
/// `sitrep map --recent` writes), with its caption; `subs` are the asking channel's
/// subscriptions, the area when none is named. A bulk scan: call it off the async runtime.
pub fn recent_map(
    store: &Store,
    subs: &[Subscription],
    area: Option<&Area>,
    days: u32,
    now: DateTime<Utc>,
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    use crate::map::region;
    use crate::map::region_texts as t;
    let since = now.date_naive() - chrono::Duration::days(i64::from(days));
    let records: Vec<_> = store
        .all_incidents()?
        .into_iter()
        .filter(|r| r.incident.date >= since)
        .collect();
    let (title, bbox, focus, incidents) = map_area(records, subs, area, gaz);
    let hours = days * 24;
    let today = now.date_naive();
    let scene = region::scene_of(&incidents, bbox, &focus, &title, hours, today, LANG);
    Ok(match region::render_region(&scene, gaz) {
        Ok(picture) => Reply {
            text: t::map_caption(LANG, &title, hours, incidents.len()),
            private: false,
            photo: Some(picture.png),
        },
        Err(e) => {
            tracing::warn!(error = %e, "map of recent incidents not drawn");
            Reply::private(t::map_failed(LANG))
        }
    })
}

fn store_id(store: &Store) -> Result<u64, StoreError> {
    store.generate_id()
}

fn recent(
    store: &Store,
    area: Option<&Area>,
    days: u32,
    min: Severity,
    now: DateTime<Utc>,
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    let since = now.date_naive() - chrono::Duration::days(days as i64);
    let mut incidents: Vec<_> = store
        .all_incidents()?
        .into_iter()
        .map(|r| r.incident)
        .filter(|i| i.date >= since && i.severity >= min)
        .filter(|i| match area {
            None => true,
            Some(Area::Country(c)) => &i.country == c,
            Some(Area::Region(r)) => i.admin1.as_deref().is_some_and(|a| key(a) == key(r)),
        })
        .collect();
    incidents.sort_by_key(|i| std::cmp::Reverse((i.date, i.updated)));
    if incidents.is_empty() {
        return Ok(Reply::public(format!(
            "No incident in the last {days} days."
        )));
    }
    let mut text = String::new();
    for i in incidents.iter().take(10) {
        let _ = writeln!(text, "{}", format::recent_line(i, gaz));
    }
    if incidents.len() > 10 {
        let _ = writeln!(text, "… and {} more", incidents.len() - 10);
    }
    Ok(Reply::public(text.trim_end().to_string()))
}

/// One line describing a subscription.
pub fn describe(s: &Subscription) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !s.countries.is_empty() {
        parts.push(s.countries.join(" "));
    }
    if !s.regions.is_empty() {
        parts.push(format!("regions {}", s.regions.join(", ")));
    }
    if let Some(n) = &s.near {
        parts.push(format!("within {} km of {}", n.radius_km, n.place));
    }
    parts.push(format!("severity ≥ {}", s.min_severity));
    parts.push(format!("verification ≥ {}", s.min_verification));
    if !s.keywords.is_empty() {
        parts.push(format!("keywords {}", s.keywords.join(", ")));
    }
    parts.join(", ")
}

fn subscriptions(
    store: &Store,
    operator: &[Subscription],
    target: &Target,
    now: DateTime<Utc>,
) -> Result<Reply, StoreError> {
    let mut text = String::new();
    let state = store.target_state(target)?;
    if let Some(reason) = &state.disabled {
        let _ = writeln!(text, "Delivery here is disabled: {reason}");
    }
    for s in operator.iter().filter(|s| s.target == *target) {
        let _ = writeln!(text, "(operator) {}", describe(s));
    }
    for s in store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == *target)
    {
        let _ = writeln!(text, "{}: {}", s.id, describe(&s));
    }
    for m in store
        .mutes()?
        .into_iter()
        .filter(|m| m.target == *target && m.until > now)
    {
        let _ = writeln!(
            text,
            "Muted{} until {}",
            m.region.map(|r| format!(" for {r}")).unwrap_or_default(),
            m.until.format("%Y-%m-%d %H:%M UTC")
        );
    }
    if text.is_empty() {
        text = "No subscription here. /subscribe to add one.".into();
    }
    Ok(Reply::public(text.trim_end().to_string()))
}

#[cfg(test)]
mod tests;
