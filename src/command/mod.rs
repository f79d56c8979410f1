//! Subscribers' commands, the same on every platform: one [`Command`] parsed from text (Telegram)
//! or built from typed options (Discord), and one [`execute`] over the store. Adapters only
//! translate: they pass who asks, where, and whether that person administers the channel.
//!
//! `/recent [country|region] [days] [min_severity]`, `/incident <id>`, `/subscribe …`,
//! `/unsubscribe <id|all>`, `/subscriptions`, `/mute <duration> [region]`, `/unmute`,
//! `/lang en|fr`, `/sources`, `/help`, `/about`, `/map [country|region] [days]`,
//! `/digest HH:MM [zone]|off`. Changing a channel's subscriptions, mutes, language or digest
//! needs its administrator.
//!
//! Every channel reads the answers in its language ([`reply_lang`]); arguments are understood in
//! English and French everywhere (`/recent ML 7 élevé`, `/subscribe Tchad min=critique
//! type=embuscade`, `près=Tombouctou:100`).

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
use crate::i18n::Lang;
use crate::model::{
    DigestChoice, DigestSchedule, Kind, Near, Severity, Subscription, Target, Verification,
};
use crate::store::records::Mute;
use crate::store::settings::effective_lang;
use crate::store::{Store, StoreError};
use crate::text::{fold, key};

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
    pub kinds: Vec<Kind>,
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
    /// `/lang fr` sets the channel's language; `/lang` alone shows it.
    Lang {
        lang: Option<Lang>,
    },
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

/// A text of the catalogues with its arguments, written in the reader's language when the
/// answer goes out.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, MsgArg)>,
}

/// An argument of a [`Msg`]: text as it is, or another message of the catalogues.
#[derive(Debug, Clone, PartialEq)]
pub enum MsgArg {
    Text(String),
    Msg(&'static str),
}

impl Msg {
    fn new(id: &'static str) -> Msg {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Msg {
        self.args.push((name, MsgArg::Text(value.into())));
        self
    }

    fn arg_msg(mut self, name: &'static str, id: &'static str) -> Msg {
        self.args.push((name, MsgArg::Msg(id)));
        self
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return lang.text(self.id).to_string();
        }
        let args: Vec<(&str, crate::i18n::Arg)> = self
            .args
            .iter()
            .map(|(n, v)| {
                let v = match v {
                    MsgArg::Text(t) => t.as_str().into(),
                    MsgArg::Msg(id) => lang.text(id).into(),
                };
                (*n, v)
            })
            .collect();
        lang.format(self.id, &args)
    }
}

/// A command that could not be read: what is wrong and how to write it.
#[derive(Debug, Error, PartialEq)]
#[error("{}", self.render(Lang::En))]
pub struct UsageError {
    pub message: Msg,
    /// The catalogue id of the command's usage line (`usage-recent`).
    pub usage: &'static str,
}

impl UsageError {
    /// What is wrong, then the usage line, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}\n{}",
            self.message.render(lang),
            lang.format("usage", &[("usage", lang.text(self.usage).into())])
        )
    }
}

pub const USAGE_RECENT: &str = "usage-recent";
pub const USAGE_INCIDENT: &str = "usage-incident";
pub const USAGE_SUBSCRIBE: &str = "usage-subscribe";
pub const USAGE_UNSUBSCRIBE: &str = "usage-unsubscribe";
pub const USAGE_MUTE: &str = "usage-mute";
pub const USAGE_LANG: &str = "usage-lang";
pub const USAGE_MAP: &str = "usage-map";
pub const USAGE_DIGEST: &str = "usage-digest";

fn usage(message: Msg, usage: &'static str) -> UsageError {
    UsageError { message, usage }
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

/// The gazetteer's places for a name in either language: as written, else by the French name's
/// canonical one ("Tombouctou" is "Timbuktu").
fn lookup(word: &str, gaz: &Gazetteer) -> Vec<crate::extract::gazetteer::PlaceId> {
    let found = gaz.lookup(word);
    if !found.is_empty() {
        return found.to_vec();
    }
    Lang::canonical_place(word)
        .map(|c| gaz.lookup(c).to_vec())
        .unwrap_or_default()
}

/// A country code ("ML", "ml") or a country's name in English or French ("Chad", "Tchad").
fn country(word: &str, gaz: &Gazetteer) -> Option<String> {
    if word.len() == 2 && gaz.country(&word.to_ascii_uppercase()).is_some() {
        return Some(word.to_ascii_uppercase());
    }
    lookup(word, gaz)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|p| p.kind == PlaceKind::Country)
        .map(|p| p.country.clone())
        .or_else(|| Lang::country_code(word).map(str::to_string))
}

/// An admin1 region's canonical name, from its name in either language.
fn region(word: &str, gaz: &Gazetteer) -> Option<String> {
    lookup(word, gaz)
        .iter()
        .map(|id| gaz.place(*id))
        .find(|p| p.kind == PlaceKind::Admin1)
        .map(|p| p.name.clone())
}

/// Whether a typed word names a label of the catalogues in either language: the word itself,
/// or a longer form of it ("élevée", "moyenne", "critiques").
fn names_label(word: &str, id: &str) -> bool {
    let w = fold(word);
    Lang::ALL.iter().any(|l| {
        let label = fold(l.text(id));
        w == label || (w.starts_with(&label) && w.len() <= label.len() + 2)
    })
}

/// A severity in English or French ("high", "élevé", "critique").
pub fn severity_word(word: &str) -> Option<Severity> {
    if let Ok(s) = word.parse::<Severity>() {
        return Some(s);
    }
    Severity::ALL
        .into_iter()
        .find(|s| names_label(word, &format!("severity-{}", s.as_str())))
}

/// A verification level in English or French ("corroborated", "corroboré").
pub fn verification_word(word: &str) -> Option<Verification> {
    if let Ok(v) = word.parse::<Verification>() {
        return Some(v);
    }
    Verification::ALL
        .into_iter()
        .find(|v| names_label(word, &format!("verification-{}", v.as_str())))
}

/// A kind in English or French: its code (`ambush`), its label ("Ambush", "Embuscade") or the
/// first word of its French label ("frappe", "enlèvement").
pub fn kind_word(word: &str) -> Option<Kind> {
    let w = fold(&word.replace('_', " "));
    Kind::ALL.into_iter().find(|k| {
        let id = format!("kind-{}", k.as_str());
        k.as_str() == word
            || Lang::ALL.iter().any(|l| {
                let label = fold(l.text(&id));
                w == label || label.split(' ').next() == Some(w.as_str())
            })
    })
}

fn unknown(word: &str, what: &'static str, gaz: &Gazetteer, u: &'static str) -> UsageError {
    let m = Msg::new("error-unknown-suggest")
        .arg_msg("what", what)
        .arg("word", word);
    match suggestion(word, gaz) {
        Some(s) => usage(m.arg("suggestion", s), u),
        None => usage(
            Msg::new("error-unknown")
                .arg_msg("what", what)
                .arg("word", word),
            u,
        ),
    }
}

/// Parses a command line such as `/subscribe ML BF min=high near=Mopti:150`, with arguments in
/// English or French. A bot name after the command (`/recent@sitrep_bot`) is ignored.
pub fn parse(text: &str, gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut words = text.split_whitespace();
    let head = words.next().unwrap_or("");
    let name = head
        .trim_start_matches('/')
        .split('@')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let args: Vec<&str> = words.collect();
    match name.as_str() {
        "recent" => parse_recent(&args, gaz),
        "incident" => match args.as_slice() {
            [id] => Ok(Command::Incident { id: id.to_string() }),
            _ => Err(usage(Msg::new("error-which-incident"), USAGE_INCIDENT)),
        },
        "subscribe" => parse_subscribe(&args, gaz),
        "unsubscribe" => match args.as_slice() {
            ["all" | "tout" | "tous"] => Ok(Command::Unsubscribe { id: None }),
            [id] => Ok(Command::Unsubscribe {
                id: Some(id.to_string()),
            }),
            _ => Err(usage(
                Msg::new("error-which-subscription"),
                USAGE_UNSUBSCRIBE,
            )),
        },
        "subscriptions" => Ok(Command::Subscriptions),
        "mute" => parse_mute(&args, gaz),
        "unmute" => Ok(Command::Unmute),
        "lang" | "langue" | "language" => match args.as_slice() {
            [] => Ok(Command::Lang { lang: None }),
            [l] => Lang::parse(l)
                .map(|lang| Command::Lang { lang: Some(lang) })
                .ok_or_else(|| usage(Msg::new("error-lang").arg("value", *l), USAGE_LANG)),
            _ => Err(usage(
                Msg::new("error-lang").arg("value", args.join(" ")),
                USAGE_LANG,
            )),
        },
        "sources" => Ok(Command::Sources),
        "help" | "start" | "aide" => Ok(Command::Help),
        "about" | "apropos" => Ok(Command::About),
        "map" | "carte" => parse_map(&args, gaz),
        "digest" | "resume" | "résumé" => parse_digest(&args),
        other => Err(usage(
            Msg::new("error-unknown-command").arg("name", other),
            "usage-help",
        )),
    }
}

fn parse_mute(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let Some(d) = args.first() else {
        return Err(usage(Msg::new("error-how-long"), USAGE_MUTE));
    };
    let duration = humantime::parse_duration(d)
        .map_err(|_| usage(Msg::new("error-not-duration").arg("value", *d), USAGE_MUTE))?;
    if duration < Duration::from_secs(60) || duration > Duration::from_secs(30 * 86_400) {
        return Err(usage(Msg::new("error-mute-range"), USAGE_MUTE));
    }
    let region = match args.get(1..).filter(|r| !r.is_empty()) {
        Some(rest) => {
            let name = rest.join(" ");
            Some(region(&name, gaz).ok_or_else(|| unknown(&name, "what-region", gaz, USAGE_MUTE))?)
        }
        None => None,
    };
    Ok(Command::Mute { duration, region })
}

fn parse_recent(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut area = None;
    let mut days = 7;
    let mut min_severity = Severity::Low;
    let mut words: Vec<&str> = Vec::new();
    for a in args {
        if let Ok(n) = a.parse::<u32>() {
            if !(1..=90).contains(&n) {
                return Err(usage(
                    Msg::new("error-days-range").arg("days", n.to_string()),
                    USAGE_RECENT,
                ));
            }
            days = n;
        } else if let Some(s) = severity_word(a) {
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
            return Err(unknown(&name, "what-country-or-region", gaz, USAGE_RECENT));
        });
    }
    Ok(Command::Recent {
        area,
        days,
        min_severity,
    })
}

fn parse_map(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut days = 7;
    let mut words: Vec<&str> = Vec::new();
    for a in args {
        match a.parse::<u32>() {
            Ok(n) if (1..=90).contains(&n) => days = n,
            Ok(n) => {
                return Err(usage(
                    Msg::new("error-days-range").arg("days", n.to_string()),
                    USAGE_MAP,
                ));
            }
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
            return Err(unknown(&name, "what-country-or-region", gaz, USAGE_MAP));
        })
    };
    Ok(Command::Map { area, days })
}

fn parse_digest(args: &[&str]) -> Result<Command, UsageError> {
    match args {
        [] => Ok(Command::Digest(DigestArg::Show)),
        [off] if matches!(fold(off).as_str(), "off" | "stop" | "arret" | "non") => {
            Ok(Command::Digest(DigestArg::Off))
        }
        [time, zone @ ..] if zone.len() <= 1 => {
            let bad_time = || {
                usage(
                    Msg::new("error-digest-time").arg("value", *time),
                    USAGE_DIGEST,
                )
            };
            chrono::NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| bad_time())?;
            if let Some(z) = zone.first()
                && z.parse::<chrono_tz::Tz>().is_err()
            {
                return Err(usage(
                    Msg::new("error-digest-zone").arg("value", *z),
                    USAGE_DIGEST,
                ));
            }
            args.join(" ")
                .parse::<DigestSchedule>()
                .map(|s| Command::Digest(DigestArg::Daily(s)))
                .map_err(|_| bad_time())
        }
        _ => Err(usage(
            Msg::new("error-digest-time").arg("value", args.join(" ")),
            USAGE_DIGEST,
        )),
    }
}

fn parse_subscribe(args: &[&str], gaz: &Gazetteer) -> Result<Command, UsageError> {
    let mut s = SubscribeArgs::default();
    for a in args {
        let (k, v) = a.split_once('=').unwrap_or(("", a));
        match fold(k).as_str() {
            "" => match country(v, gaz) {
                Some(c) => s.countries.push(c),
                None => return Err(unknown(v, "what-country", gaz, USAGE_SUBSCRIBE)),
            },
            "region" => {
                let name = v.replace('_', " ");
                s.regions.push(
                    region(&name, gaz)
                        .ok_or_else(|| unknown(&name, "what-region", gaz, USAGE_SUBSCRIBE))?,
                );
            }
            "near" | "pres" => s.near = Some(parse_near(v, gaz)?),
            "min" | "severity" | "gravite" => {
                s.min_severity = Some(severity_word(v).ok_or_else(|| {
                    usage(Msg::new("error-severity").arg("value", v), USAGE_SUBSCRIBE)
                })?)
            }
            "verified" | "verification" | "verifie" => {
                s.min_verification = Some(verification_word(v).ok_or_else(|| {
                    usage(
                        Msg::new("error-verification").arg("value", v),
                        USAGE_SUBSCRIBE,
                    )
                })?)
            }
            "kind" | "type" => {
                let k =
                    kind_word(v).ok_or_else(|| unknown(v, "what-kind", gaz, USAGE_SUBSCRIBE))?;
                if !s.kinds.contains(&k) {
                    s.kinds.push(k);
                }
            }
            "keyword" | "mot" | "motcle" | "mot-cle" => s.keywords.push(v.replace('_', " ")),
            _ => {
                return Err(usage(
                    Msg::new("error-unknown-option").arg("name", k),
                    USAGE_SUBSCRIBE,
                ));
            }
        }
    }
    if s.countries.is_empty() && s.regions.is_empty() && s.near.is_none() {
        return Err(usage(Msg::new("error-say-where"), USAGE_SUBSCRIBE));
    }
    Ok(Command::Subscribe(s))
}

/// `Place:km` (`Mopti:150`, `Tombouctou:80`); the radius defaults to 100 km.
fn parse_near(v: &str, gaz: &Gazetteer) -> Result<Near, UsageError> {
    let (place, km) = v.rsplit_once(':').unwrap_or((v, "100"));
    let radius_km: f64 = km
        .parse()
        .ok()
        .filter(|r| (1.0..=1000.0).contains(r))
        .ok_or_else(|| usage(Msg::new("error-radius").arg("value", km), USAGE_SUBSCRIBE))?;
    let place = place.replace('_', " ");
    let found = lookup(&place, gaz)
        .first()
        .map(|id| gaz.place(*id).name.clone());
    let name = found.ok_or_else(|| unknown(&place, "what-place", gaz, USAGE_SUBSCRIBE))?;
    Ok(Near {
        place: name,
        radius_km,
    })
}

/// Who asks, where.
#[derive(Debug, Clone)]
pub struct Context {
    pub target: Target,
    /// The person administers this channel (Telegram chat administrator, Discord Manage Channels).
    pub is_admin: bool,
    pub now: DateTime<Utc>,
    /// The platform's hint of the asker's language (Telegram's `language_code`, Discord's guild
    /// or user locale): the answer's language while the channel has none, and kept as the
    /// channel's hint when this person subscribes it.
    pub hint: Option<Lang>,
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

/// The language of the answers in a channel: the channel's ([`effective_lang`]: its `/lang`
/// choice, an operator subscription's `lang`, the hint kept when it subscribed), else the
/// asker's `hint`, else English.
pub fn reply_lang(
    store: &Store,
    operator: &[Subscription],
    target: &Target,
    hint: Option<Lang>,
) -> Result<Lang, StoreError> {
    let settings = store.channel_settings(target)?;
    Ok(effective_lang(&settings, operator, target)
        .or(hint)
        .unwrap_or_default())
}

/// Commands that change a channel's alerts or settings: for its administrators only.
pub fn mutates(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Subscribe(_)
            | Command::Unsubscribe { .. }
            | Command::Mute { .. }
            | Command::Unmute
            | Command::Lang { lang: Some(_) }
            | Command::Digest(DigestArg::Off | DigestArg::Daily(_))
    )
}

/// Runs a command for a channel. `operator` are the config's subscriptions (shown, not changed).
/// The answer is in the channel's language ([`reply_lang`]).
pub fn execute(
    cmd: &Command,
    ctx: &Context,
    store: &Store,
    operator: &[Subscription],
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    let lang = reply_lang(store, operator, &ctx.target, ctx.hint)?;
    if mutates(cmd) && !ctx.is_admin {
        return Ok(Reply::private(lang.text("reply-admin-only").into()));
    }
    Ok(match cmd {
        Command::Help => Reply::public(lang.text("help").into()),
        Command::About => Reply::public(lang.text("about").into()),
        Command::Recent {
            area,
            days,
            min_severity,
        } => recent(
            store,
            area.as_ref(),
            *days,
            *min_severity,
            ctx.now,
            gaz,
            lang,
        )?,
        Command::Incident { id } => match store.incident(id)? {
            Some(r) => Reply::public(format::card(&r, gaz, lang)),
            None => Reply::private(lang.format("reply-no-incident", &[("id", id.into())])),
        },
        Command::Subscriptions => subscriptions(store, operator, &ctx.target, ctx.now, lang)?,
        Command::Subscribe(args) => subscribe(args, ctx, store, lang)?,
        Command::Unsubscribe { id } => unsubscribe(id.as_deref(), ctx, store, lang)?,
        Command::Mute { duration, region } => mute(store, ctx, *duration, region.as_ref(), lang)?,
        Command::Unmute => {
            store.set_mutes(&ctx.target, &[])?;
            Reply::public(lang.text("reply-unmuted").into())
        }
        Command::Lang { lang: None } => Reply::public(lang.format(
            "reply-lang-current",
            &[("language", lang.text(&format!("lang-{lang}")).into())],
        )),
        Command::Lang { lang: Some(new) } => {
            store.update_channel_settings(&ctx.target, |s| s.lang = Some(*new))?;
            Reply::public(new.text("reply-lang-set").into())
        }
        Command::Map { area, days } => {
            map_reply(store, operator, ctx, area.as_ref(), *days, lang, gaz)?
        }
        Command::Digest(arg) => digest_reply(store, operator, &ctx.target, arg, lang)?,
        Command::Sources => sources(store, lang)?,
    })
}

/// `/subscribe`: adds a subscription to the channel's; the subscriber's platform language
/// becomes the channel's hint.
fn subscribe(
    args: &SubscribeArgs,
    ctx: &Context,
    store: &Store,
    lang: Lang,
) -> Result<Reply, StoreError> {
    let mut subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == ctx.target)
        .collect();
    let id = format!("s{}", store.generate_id()?);
    let sub = Subscription {
        id: id.clone(),
        target: ctx.target,
        countries: args.countries.clone(),
        regions: args.regions.clone(),
        near: args.near.clone(),
        min_severity: args.min_severity.unwrap_or(Severity::Medium),
        min_verification: args.min_verification.unwrap_or(Verification::Rumour),
        kinds: args.kinds.clone(),
        actors: vec![],
        keywords: args.keywords.clone(),
        exclude_keywords: vec![],
        lang: None,
        digest: None,
    };
    let line = describe(&sub, lang);
    subs.push(sub);
    store.set_subscriptions(&ctx.target, &subs)?;
    // The subscriber's platform language becomes the channel's hint, until /lang says otherwise.
    if ctx.hint.is_some() && store.channel_settings(&ctx.target)?.lang_hint.is_none() {
        store.update_channel_settings(&ctx.target, |s| {
            s.lang_hint = s.lang_hint.or(ctx.hint);
        })?;
    }
    Ok(Reply::public(lang.format(
        "reply-subscribed",
        &[("id", id.into()), ("description", line.into())],
    )))
}

/// `/unsubscribe [id]`: removes one of the channel's subscriptions, or all of them.
fn unsubscribe(
    id: Option<&str>,
    ctx: &Context,
    store: &Store,
    lang: Lang,
) -> Result<Reply, StoreError> {
    let subs: Vec<Subscription> = store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == ctx.target)
        .collect();
    let keep: Vec<Subscription> = match id {
        None => Vec::new(),
        Some(id) => subs.iter().filter(|s| s.id != id).cloned().collect(),
    };
    if keep.len() == subs.len()
        && let Some(id) = id
    {
        return Ok(Reply::private(
            lang.format("reply-no-such-subscription", &[("id", id.into())]),
        ));
    }
    store.set_subscriptions(&ctx.target, &keep)?;
    Ok(Reply::public(lang.format(
        "reply-removed",
        &[("count", (subs.len() - keep.len()).into())],
    )))
}

/// `/mute <duration> [region]`: pauses new alerts for the channel (expired mutes are dropped).
fn mute(
    store: &Store,
    ctx: &Context,
    duration: Duration,
    region: Option<&String>,
    lang: Lang,
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
    let until = until.format("%Y-%m-%d %H:%M UTC").to_string();
    Ok(Reply::public(match region {
        Some(r) => lang.format(
            "reply-muted-region",
            &[
                ("region", lang.place(r).as_ref().into()),
                ("until", until.into()),
            ],
        ),
        None => lang.format("reply-muted", &[("until", until.into())]),
    }))
}

/// `/sources`: each source's health.
fn sources(store: &Store, lang: Lang) -> Result<Reply, StoreError> {
    let mut text = String::new();
    for (name, s) in store.source_states()? {
        let status = if s.consecutive_failures == 0 {
            lang.text("source-ok").to_string()
        } else {
            lang.format(
                "source-failing",
                &[("count", s.consecutive_failures.to_string().into())],
            )
        };
        let last = s.last_success.map_or_else(
            || lang.text("source-never").to_string(),
            |t| {
                format!(
                    "{} {}",
                    format::date_short(t.date_naive(), lang),
                    t.format("%H:%M UTC")
                )
            },
        );
        let _ = writeln!(
            text,
            "{}",
            lang.format(
                "reply-source",
                &[
                    ("name", name.as_str().into()),
                    ("status", status.into()),
                    ("last", last.into()),
                    ("items", s.items_seen.to_string().into()),
                ],
            )
        );
    }
    if text.is_empty() {
        text = lang.text("reply-no-source").into();
    }
    Ok(Reply::public(text.trim_end().to_string()))
}

/// `/digest`: shows, stops or sets the channel's digest.
fn digest_reply(
    store: &Store,
    operator: &[Subscription],
    target: &Target,
    arg: &DigestArg,
    lang: Lang,
) -> Result<Reply, StoreError> {
    use crate::digest::render;
    Ok(match arg {
        DigestArg::Show => {
            let settings = store.channel_settings(target)?;
            let schedule = crate::digest::schedule_for(target, &settings, operator);
            Reply::public(render::digest_status(lang, schedule.as_ref()))
        }
        DigestArg::Off => {
            store.update_channel_settings(target, |c| c.digest = DigestChoice::Off)?;
            Reply::public(lang.text("reply-digest-off").into())
        }
        DigestArg::Daily(s) => {
            store.update_channel_settings(target, |c| c.digest = DigestChoice::Daily(s.clone()))?;
            Reply::public(render::digest_set(lang, s))
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
    lang: Lang,
    gaz: &Gazetteer,
) -> MapArea {
    use crate::map::region::{country_bbox, region_bbox};
    let all = |records: Vec<crate::incident::IncidentRecord>| -> Vec<_> {
        records.into_iter().map(|r| r.incident).collect()
    };
    match area {
        Some(Area::Country(c)) => {
            let mut inside = all(records);
            inside.retain(|i| &i.country == c);
            let english = gaz.country(c).map_or(c.as_str(), |p| p.name.as_str());
            let title = lang.country(c, english).into_owned();
            (title, country_bbox(c), vec![c.clone()], inside)
        }
        Some(Area::Region(r)) => {
            let mut inside = all(records);
            inside.retain(|i| i.admin1.as_deref().is_some_and(|a| key(a) == key(r)));
            let title = lang.place(r).into_owned();
            (title, region_bbox(r, gaz), Vec::new(), inside)
        }
        None if subs.is_empty() => (
            lang.text("map-whole-region").into(),
            None,
            Vec::new(),
            all(records),
        ),
        None => subscribed_area(records, subs, lang, gaz),
    }
}

/// The area of a channel's subscriptions: the incidents their filters let through, framed by
/// their countries when there is none.
fn subscribed_area(
    records: Vec<crate::incident::IncidentRecord>,
    subs: &[Subscription],
    lang: Lang,
    gaz: &Gazetteer,
) -> MapArea {
    use crate::map::region::{country_bbox, union};
    let mut countries: Vec<String> = subs.iter().flat_map(|s| s.countries.clone()).collect();
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
    (
        lang.text("map-subscribed-area").into(),
        bbox,
        countries,
        inside,
    )
}

/// `/map` in a channel: its subscriptions are the default area.
fn map_reply(
    store: &Store,
    operator: &[Subscription],
    ctx: &Context,
    area: Option<&Area>,
    days: u32,
    lang: Lang,
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    let mut subs: Vec<Subscription> = operator.to_vec();
    subs.extend(store.subscriptions()?);
    subs.retain(|s| s.target == ctx.target);
    recent_map(store, &subs, area, days, ctx.now, lang, gaz)
}

/// The picture of an area's incidents of the last `days` days (what `/map` answers and
/// `sitrep map --recent` writes), with its caption, in `lang`; `subs` are the asking channel's
/// subscriptions, the area when none is named. A bulk scan: call it off the async runtime.
pub fn recent_map(
    store: &Store,
    subs: &[Subscription],
    area: Option<&Area>,
    days: u32,
    now: DateTime<Utc>,
    lang: Lang,
    gaz: &Gazetteer,
) -> Result<Reply, StoreError> {
    use crate::map::region;
    let since = now.date_naive() - chrono::Duration::days(i64::from(days));
    let records: Vec<_> = store
        .all_incidents()?
        .into_iter()
        .filter(|r| r.incident.date >= since)
        .collect();
    let (title, bbox, focus, incidents) = map_area(records, subs, area, lang, gaz);
    let hours = days * 24;
    let today = now.date_naive();
    let scene = region::scene_of(&incidents, bbox, &focus, &title, hours, today, lang);
    Ok(match region::render_region(&scene, gaz) {
        Ok(picture) => Reply {
            text: lang.format(
                "map-caption",
                &[
                    ("title", title.as_str().into()),
                    ("count", incidents.len().into()),
                    ("period", region::period_words(lang, hours).into()),
                ],
            ),
            private: false,
            photo: Some(picture.png),
        },
        Err(e) => {
            tracing::warn!(error = %e, "map of recent incidents not drawn");
            Reply::private(lang.text("map-failed").into())
        }
    })
}

fn recent(
    store: &Store,
    area: Option<&Area>,
    days: u32,
    min: Severity,
    now: DateTime<Utc>,
    gaz: &Gazetteer,
    lang: Lang,
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
        return Ok(Reply::public(
            lang.format("reply-no-recent", &[("days", days.to_string().into())]),
        ));
    }
    let mut text = String::new();
    for i in incidents.iter().take(10) {
        let _ = writeln!(text, "{}", format::recent_line(i, gaz, lang));
    }
    if incidents.len() > 10 {
        let _ = writeln!(
            text,
            "{}",
            lang.format(
                "reply-more",
                &[("count", (incidents.len() - 10).to_string().into())]
            )
        );
    }
    Ok(Reply::public(text.trim_end().to_string()))
}

/// One line describing a subscription, in `lang`.
pub fn describe(s: &Subscription, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !s.countries.is_empty() {
        parts.push(s.countries.join(" "));
    }
    if !s.regions.is_empty() {
        let regions: Vec<String> = s
            .regions
            .iter()
            .map(|r| lang.place(r).into_owned())
            .collect();
        parts.push(lang.format("describe-regions", &[("list", regions.join(", ").into())]));
    }
    if let Some(n) = &s.near {
        parts.push(lang.format(
            "describe-near",
            &[
                ("km", n.radius_km.to_string().into()),
                ("place", lang.place(&n.place).as_ref().into()),
            ],
        ));
    }
    parts.push(lang.format(
        "describe-severity",
        &[("level", format::severity_label(s.min_severity, lang).into())],
    ));
    parts.push(lang.format(
        "describe-verification",
        &[(
            "level",
            format::verification_label(s.min_verification, lang).into(),
        )],
    ));
    if !s.kinds.is_empty() {
        let kinds: Vec<&str> = s
            .kinds
            .iter()
            .map(|k| format::kind_label(*k, lang))
            .collect();
        parts.push(lang.format("describe-kinds", &[("list", kinds.join(", ").into())]));
    }
    if !s.keywords.is_empty() {
        parts.push(lang.format(
            "describe-keywords",
            &[("list", s.keywords.join(", ").into())],
        ));
    }
    parts.join(", ")
}

fn subscriptions(
    store: &Store,
    operator: &[Subscription],
    target: &Target,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Reply, StoreError> {
    let mut text = String::new();
    let state = store.target_state(target)?;
    if let Some(reason) = &state.disabled {
        let _ = writeln!(
            text,
            "{}",
            lang.format("subs-disabled", &[("reason", reason.into())])
        );
    }
    let mut any = false;
    for s in operator.iter().filter(|s| s.target == *target) {
        any = true;
        let _ = writeln!(
            text,
            "{}",
            lang.format(
                "subs-operator",
                &[("description", describe(s, lang).into())]
            )
        );
    }
    for s in store
        .subscriptions()?
        .into_iter()
        .filter(|s| s.target == *target)
    {
        any = true;
        let _ = writeln!(text, "{}: {}", s.id, describe(&s, lang));
    }
    for m in store
        .mutes()?
        .into_iter()
        .filter(|m| m.target == *target && m.until > now)
    {
        let until = m.until.format("%Y-%m-%d %H:%M UTC").to_string();
        let line = match &m.region {
            Some(r) => lang.format(
                "subs-muted-region",
                &[
                    ("region", lang.place(r).as_ref().into()),
                    ("until", until.into()),
                ],
            ),
            None => lang.format("subs-muted", &[("until", until.into())]),
        };
        let _ = writeln!(text, "{line}");
    }
    if !any {
        let _ = writeln!(text, "{}", lang.text("subs-none"));
    }
    let _ = writeln!(
        text,
        "{}",
        lang.format(
            "subs-language",
            &[("language", lang.text(&format!("lang-{lang}")).into())]
        )
    );
    Ok(Reply::public(text.trim_end().to_string()))
}

#[cfg(test)]
mod tests;
