//! The TOML configuration (DESIGN §3.4): its types with their defaults, loading with
//! `FILE:LINE:COL: what is wrong` errors, and validation done once at start.
//! Tokens never live here: a platform table names the environment variable that holds its token.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use thiserror::Error;
use toml::Spanned;

use crate::model::{Subscription, Target};

/// Why a config file could not be used. Displays as `FILE:LINE:COL: message`.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
}

/// A duration written as `"5m"`, `"72h"` or `"1h 30m"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dur(pub Duration);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        humantime::parse_duration(&s).map(Dur).map_err(|e| {
            serde::de::Error::custom(format!(
                "bad duration {s:?}: {e} (use e.g. \"5m\", \"72h\")"
            ))
        })
    }
}

/// A secret read from the environment; its Debug and Display never show the value.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }
    /// The value, for the one place that sends it to the platform.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub pipeline: PipelineConfig,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub alerts: AlertsConfig,
    pub telegram: Option<TelegramConfig>,
    pub discord: Option<DiscordConfig>,
    #[serde(default, rename = "subscription")]
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    #[serde(default = "default_store_path")]
    pub path: PathBuf,
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    #[serde(default = "default_cache_mb")]
    pub cache_mb: u64,
    /// Writes stop (and wait in memory) while fewer MiB than this are free on the store's file
    /// system, before the disk is full; 0 turns the check off.
    #[serde(default = "default_min_free_mb")]
    pub min_free_mb: u64,
    /// A store smaller than this many MiB on disk is never compacted at start; a larger one is
    /// when a fresh copy would take less than half its disk.
    #[serde(default = "default_compact_min_mb")]
    pub compact_min_mb: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: default_store_path(),
            retention_days: default_retention_days(),
            cache_mb: default_cache_mb(),
            min_free_mb: default_min_free_mb(),
            compact_min_mb: default_compact_min_mb(),
        }
    }
}

fn default_store_path() -> PathBuf {
    PathBuf::from("sitrep-data")
}
fn default_retention_days() -> u32 {
    180
}
fn default_cache_mb() -> u64 {
    64
}
fn default_min_free_mb() -> u64 {
    16
}
fn default_compact_min_mb() -> u64 {
    crate::store::compact::MIN_DISK_BYTES / (1024 * 1024)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Older items are stored and merged but never alerted.
    #[serde(default = "default_max_article_age")]
    pub max_article_age: Dur,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            max_article_age: default_max_article_age(),
        }
    }
}

fn default_max_article_age() -> Dur {
    Dur(Duration::from_secs(72 * 3600))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: default_listen(),
        }
    }
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9464))
}

/// What a source speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    #[default]
    Feed,
    Gdelt,
    Reliefweb,
    Acled,
    /// A public Telegram channel's web preview, `https://t.me/s/NAME`.
    TelegramChannel,
}

/// Admiralty source-reliability letter (domain.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Default)]
pub enum Reliability {
    A,
    B,
    #[default]
    C,
    D,
    E,
    F,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    #[serde(default)]
    pub kind: SourceKind,
    pub url: Spanned<String>,
    #[serde(default = "default_interval")]
    pub interval: Dur,
    /// Publisher family for independence; default: the URL's host.
    pub family: Option<String>,
    /// Admiralty letter; unset means "C" for outlets and "not judged" for Telegram channels.
    pub reliability: Option<Reliability>,
    pub lang: Option<String>,
    #[serde(default)]
    pub fetch_article: bool,
    /// The armed group or army whose own channel this is (a canonical actor name such as
    /// `"JNIM"` or `"FAMa"`): its posts count as that party's claims. Telegram channels only.
    pub party: Option<Spanned<String>>,
}

impl SourceConfig {
    /// The family used for independence checks: the configured one, else the URL's host
    /// without a leading `www.` (for a Telegram channel, `t.me/NAME`).
    pub fn family(&self) -> String {
        if let Some(f) = &self.family {
            return f.clone();
        }
        if self.kind == SourceKind::TelegramChannel
            && let Ok(name) = telegram_channel_name(self.url.get_ref())
        {
            return channel_family(&name);
        }
        family_of_url(self.url.get_ref())
    }

    /// The reliability letter, "C" when none was configured.
    pub fn reliability(&self) -> Reliability {
        self.reliability.unwrap_or_default()
    }
}

/// The publisher family of a Telegram channel: `t.me/` and its name in lower case.
pub fn channel_family(name: &str) -> String {
    format!("t.me/{}", name.to_ascii_lowercase())
}

/// Hosts a `telegram_channel` URL may name: Telegram's, and the loopback for local tests.
const TELEGRAM_HOSTS: &[&str] = &["t.me", "telegram.me", "127.0.0.1", "localhost", "[::1]"];

/// The channel name of a Telegram preview URL `https://t.me/s/NAME`, or what is wrong with it.
/// A name is 4 to 32 letters, digits and underscores, starting with a letter.
pub fn telegram_channel_name(url: &str) -> Result<String, String> {
    let u = url::Url::parse(url).map_err(|e| e.to_string())?;
    let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
    if !matches!(u.scheme(), "http" | "https") || !TELEGRAM_HOSTS.contains(&host.as_str()) {
        return Err("not a t.me address".into());
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err("no query or fragment allowed".into());
    }
    let path = u.path().trim_end_matches('/');
    let name = path
        .strip_prefix("/s/")
        .ok_or("the path must be /s/NAME (the channel's web preview)")?;
    let valid = (4..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "{name:?} is not a channel name (4-32 letters, digits, underscores)"
        ));
    }
    Ok(name.to_string())
}

/// The publisher family a URL belongs to when nobody said otherwise: its host, minus `www.`.
pub fn family_of_url(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .unwrap_or_else(|| "local".to_string())
}

fn default_interval() -> Dur {
    Dur(Duration::from_secs(300))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    pub ops_target: Option<Target>,
    #[serde(default = "default_source_down_after")]
    pub source_down_after: Dur,
    #[serde(default = "default_true")]
    pub maps: bool,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            ops_target: None,
            source_down_after: default_source_down_after(),
            maps: true,
        }
    }
}

fn default_source_down_after() -> Dur {
    Dur(Duration::from_secs(24 * 3600))
}
fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    #[serde(default = "default_telegram_token_env")]
    pub token_env: Spanned<String>,
    #[serde(default = "default_telegram_api")]
    pub api_url: String,
    /// Messages per second across all chats (Telegram allows about 30).
    #[serde(default = "default_telegram_rate")]
    pub max_per_second: f64,
    /// Spacing of messages in one private chat.
    #[serde(default = "default_one_second")]
    pub chat_interval: Dur,
    /// Spacing of messages in one group or channel (20 a minute).
    #[serde(default = "default_group_interval")]
    pub group_interval: Dur,
}

fn default_telegram_rate() -> f64 {
    // Just under Telegram's ~30/s, so that timing jitter does not trip its limit.
    29.0
}
fn default_one_second() -> Dur {
    Dur(Duration::from_secs(1))
}
fn default_group_interval() -> Dur {
    Dur(Duration::from_secs(3))
}

fn default_telegram_token_env() -> Spanned<String> {
    Spanned::new(0..0, "SITREP_TELEGRAM_TOKEN".to_string())
}
fn default_telegram_api() -> String {
    "https://api.telegram.org".to_string()
}

/// How Discord interactions reach sitrep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DiscordMode {
    #[default]
    Gateway,
    Http,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    #[serde(default = "default_discord_token_env")]
    pub token_env: Spanned<String>,
    #[serde(default)]
    pub application_id: u64,
    #[serde(default)]
    pub mode: DiscordMode,
    #[serde(default)]
    pub public_key: String,
    #[serde(default)]
    pub guild_id: u64,
    #[serde(default = "default_discord_api")]
    pub api_url: String,
    /// Spacing of messages in one channel.
    #[serde(default = "default_one_second")]
    pub channel_interval: Dur,
}

fn default_discord_token_env() -> Spanned<String> {
    Spanned::new(0..0, "SITREP_DISCORD_TOKEN".to_string())
}
fn default_discord_api() -> String {
    "https://discord.com".to_string()
}

/// The operator's subscriptions (`[[subscription]]`) as the running config has them; `sitrep run`
/// replaces them on SIGHUP, so readers borrow them at each use.
pub type OperatorSubscriptions = tokio::sync::watch::Receiver<Vec<Subscription>>;

/// Tokens read from the environment for the platforms that are configured.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub telegram: Option<Secret>,
    pub discord: Option<Secret>,
}

/// A platform table whose token variable is not set in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsetToken {
    /// `telegram` or `discord`.
    pub platform: &'static str,
    /// The environment variable the table names (`token_env`).
    pub variable: String,
}

impl std::fmt::Display for UnsetToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] is configured but the environment variable {} holding its token is not set",
            self.platform, self.variable
        )
    }
}

impl Config {
    /// Reads and validates a config file, tokens included: what `sitrep run` needs. A platform
    /// table whose token variable is unset is an error.
    pub fn load(path: &Path) -> Result<(Config, Tokens), ConfigError> {
        let text = read(path)?;
        Config::parse(&text, &path.display().to_string(), &|name| {
            std::env::var(name).ok()
        })
    }

    /// Reads and validates a config file without reading any token: what `check-config` and the
    /// offline commands (`replay`, `incidents`, `sources`, ...) need.
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let text = read(path)?;
        Config::parse_file(&text, &path.display().to_string())
    }

    /// Parses and validates config text; `env` looks up environment variables (tests pass a map).
    pub fn parse(
        text: &str,
        path: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Config, Tokens), ConfigError> {
        let config = Config::parse_file(text, path)?;
        let invalid_at = |var: &Spanned<String>, message: String| {
            let span = Some(var.span()).filter(|s| !s.is_empty());
            invalid(text, path, span, message)
        };
        let mut tokens = Tokens::default();
        if let Some(t) = &config.telegram {
            let token = read_token(&t.token_env, "telegram", env);
            tokens.telegram = Some(token.map_err(|u| invalid_at(&t.token_env, u.to_string()))?);
        }
        if let Some(d) = &config.discord {
            let token = read_token(&d.token_env, "discord", env);
            tokens.discord = Some(token.map_err(|u| invalid_at(&d.token_env, u.to_string()))?);
        }
        Ok((config, tokens))
    }

    /// Parses and validates config text, every check but the tokens'.
    pub fn parse_file(text: &str, path: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text)
            .map_err(|e| invalid(text, path, e.span(), e.message().to_string()))?;
        let at = |span: std::ops::Range<usize>, message: String| {
            invalid(text, path, Some(span), message)
        };
        let mut names = std::collections::HashSet::new();
        for source in &config.sources {
            let url = source.url.get_ref();
            let ok = url::Url::parse(url)
                .map(|u| matches!(u.scheme(), "http" | "https" | "file"))
                .unwrap_or(false);
            if !ok {
                return Err(at(
                    source.url.span(),
                    format!(
                        "source {:?}: bad url {url:?}: expected http(s):// or file://",
                        source.name
                    ),
                ));
            }
            if source.interval.0 < Duration::from_secs(10) {
                return Err(at(
                    source.url.span(),
                    format!("source {:?}: interval must be at least 10s", source.name),
                ));
            }
            validate_channel(source).map_err(|(span, m)| at(span, m))?;
        }
        for source in &config.sources {
            if !names.insert(source.name.as_str()) {
                return Err(at(
                    source.url.span(),
                    format!("source name {:?} is used twice", source.name),
                ));
            }
        }
        if let Some(d) = &config.discord
            && d.mode == DiscordMode::Http
            && d.public_key.len() != 64
        {
            return Err(invalid(
                text,
                path,
                None,
                "[discord] mode = \"http\" needs public_key: the application's 64 hex digit Ed25519 key".into(),
            ));
        }
        Ok(config)
    }

    /// The platform tables whose token variable `env` does not have (or has blank): `run` refuses
    /// to start with any, `check-config` warns about each.
    pub fn unset_tokens(&self, env: &dyn Fn(&str) -> Option<String>) -> Vec<UnsetToken> {
        let tables = [
            ("telegram", self.telegram.as_ref().map(|t| &t.token_env)),
            ("discord", self.discord.as_ref().map(|d| &d.token_env)),
        ];
        tables
            .into_iter()
            .filter_map(|(platform, var)| read_token(var?, platform, env).err())
            .collect()
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// An error at a byte offset of the config text, as `FILE:LINE:COL: message`.
fn invalid(
    text: &str,
    path: &str,
    span: Option<std::ops::Range<usize>>,
    message: String,
) -> ConfigError {
    let (line, col) = line_col(text, span.map(|s| s.start).unwrap_or(0));
    ConfigError::Invalid {
        path: path.to_string(),
        line,
        col,
        message,
    }
}

/// The checks only Telegram channel sources need: the preview URL's shape, the one-minute
/// politeness floor and a known party.
fn validate_channel(source: &SourceConfig) -> Result<(), (std::ops::Range<usize>, String)> {
    let name = &source.name;
    if source.kind != SourceKind::TelegramChannel {
        return match &source.party {
            Some(p) => Err((
                p.span(),
                format!("source {name:?}: party is only for kind = \"telegram_channel\""),
            )),
            None => Ok(()),
        };
    }
    let url = source.url.get_ref();
    telegram_channel_name(url).map_err(|why| {
        (
            source.url.span(),
            format!("source {name:?}: bad telegram channel url {url:?}: {why}: expected https://t.me/s/NAME"),
        )
    })?;
    if source.interval.0 < Duration::from_secs(60) {
        return Err((
            source.url.span(),
            format!(
                "source {name:?}: a telegram channel is polled at most once a minute (interval >= 60s)"
            ),
        ));
    }
    if let Some(p) = &source.party
        && crate::extract::actors::by_name(p.get_ref()).is_none()
    {
        let known: Vec<&str> = crate::extract::actors::canonical_names().collect();
        return Err((
            p.span(),
            format!(
                "source {name:?}: unknown party {:?} (one of: {})",
                p.get_ref(),
                known.join(", ")
            ),
        ));
    }
    Ok(())
}

fn read_token(
    var: &Spanned<String>,
    platform: &'static str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, UnsetToken> {
    match env(var.get_ref()) {
        Some(v) if !v.trim().is_empty() => Ok(Secret::new(v.trim().to_string())),
        _ => Err(UnsetToken {
            platform,
            variable: var.get_ref().clone(),
        }),
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map(|i| offset - i).unwrap_or(offset + 1);
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Config, Tokens), ConfigError> {
        Config::parse(text, "t.toml", &|name| {
            (name == "SET_TOKEN").then(|| "123:abc".to_string())
        })
    }

    #[test]
    fn empty_config_has_defaults() {
        let (c, t) = parse("").unwrap();
        assert_eq!(c.store.retention_days, 180);
        assert_eq!(c.pipeline.max_article_age.0, Duration::from_secs(72 * 3600));
        assert!(c.telegram.is_none() && t.telegram.is_none());
    }

    #[test]
    fn minimal_source_needs_only_name_and_url() {
        let (c, _) = parse("[[source]]\nname = \"a\"\nurl = \"https://x.org/rss\"\n").unwrap();
        assert_eq!(c.sources[0].kind, SourceKind::Feed);
        assert_eq!(c.sources[0].interval.0, Duration::from_secs(300));
        assert_eq!(c.sources[0].family(), "x.org");
    }

    #[test]
    fn errors_name_line_and_column() {
        let cases = [
            ("[store]\npathh = \"x\"\n", 2, "unknown field"),
            ("[store]\nretention_days = \"many\"\n", 2, "invalid type"),
            (
                "[pipeline]\nmax_article_age = \"three days\"\n",
                2,
                "bad duration",
            ),
            ("[[subscription]]\ntarget = \"slack:1\"\n", 2, "bad target"),
            (
                "[[source]]\nname = \"a\"\nurl = \"ftp://x\"\n",
                3,
                "bad url",
            ),
            ("[telegram]\ntoken_env = \"UNSET_VAR\"\n", 2, "UNSET_VAR"),
            ("[store\n", 1, ""),
        ];
        for (text, line, needle) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("t.toml:{line}:")),
                "{text:?} gave {err}"
            );
            assert!(err.contains(needle), "{text:?} gave {err}");
        }
    }

    #[test]
    fn telegram_channels_need_a_preview_url_a_minute_and_a_known_party() {
        let chan = |url: &str, extra: &str| {
            parse(&format!(
                "[[source]]\nname = \"c\"\nkind = \"telegram_channel\"\nurl = \"{url}\"\n{extra}"
            ))
        };
        let (c, _) = chan("https://t.me/s/Sahel_News", "").unwrap();
        let s = &c.sources[0];
        assert_eq!(s.kind, SourceKind::TelegramChannel);
        assert_eq!(s.family(), "t.me/sahel_news");
        assert_eq!(s.reliability, None);
        for (url, needle) in [
            ("https://t.me/Sahel_News", "the path must be /s/NAME"),
            ("https://example.org/s/Sahel_News", "not a t.me address"),
            ("https://t.me/s/Sahel_News?before=10", "no query"),
            ("https://t.me/s/ab", "not a channel name"),
            ("https://t.me/s/sahel-news", "not a channel name"),
        ] {
            let err = chan(url, "").unwrap_err().to_string();
            assert!(err.starts_with("t.toml:4:7: "), "{url}: {err}");
            assert!(
                err.contains(needle) && err.contains("https://t.me/s/NAME"),
                "{err}"
            );
        }
        let err = chan("https://t.me/s/Sahel_News", "interval = \"30s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("at most once a minute"), "{err}");
        let (c, _) = chan("https://t.me/s/Sahel_News", "party = \"jnim\"\n").unwrap();
        assert!(c.sources[0].party.is_some());
        let err = chan("https://t.me/s/Sahel_News", "party = \"Nobody\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml:5:") && err.contains("unknown party \"Nobody\""),
            "{err}"
        );
        let err =
            parse("[[source]]\nname = \"f\"\nurl = \"https://x.org/rss\"\nparty = \"JNIM\"\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("party is only for"), "{err}");
    }

    #[test]
    fn missing_default_token_variable_is_named() {
        let err = parse("[discord]\napplication_id = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("SITREP_DISCORD_TOKEN"), "{err}");
    }

    #[test]
    fn token_is_read_and_never_printed() {
        let (_, t) = parse("[telegram]\ntoken_env = \"SET_TOKEN\"\n").unwrap();
        let secret = t.telegram.unwrap();
        assert_eq!(secret.expose(), "123:abc");
        assert!(!format!("{secret:?}").contains("abc"));
    }

    #[test]
    fn example_config_parses_without_any_token() {
        let text = include_str!("../config/sitrep.example.toml");
        let (c, t) = Config::parse(text, "sitrep.example.toml", &|_| None).unwrap();
        assert!(!c.sources.is_empty());
        assert!(!c.subscriptions.is_empty());
        // As shipped the platforms are off, so `run` starts in a fresh shell (alerts on stdout).
        assert!(c.telegram.is_none() && c.discord.is_none());
        assert!(t.telegram.is_none() && t.discord.is_none());
    }

    /// The example's platform tables with their `# ` taken off, as an operator turns them on.
    fn example_with_platforms() -> String {
        let text = include_str!("../config/sitrep.example.toml");
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
        out
    }

    #[test]
    fn example_platform_tables_are_valid_once_uncommented() {
        let text = example_with_platforms();
        let c = Config::parse_file(&text, "example").unwrap();
        let (t, d) = (c.telegram.as_ref().unwrap(), c.discord.as_ref().unwrap());
        // The documented values are the defaults.
        let (dt, dd) = (
            Config::parse_file("[telegram]\n[discord]\n", "d").unwrap(),
            Config::parse_file("[telegram]\n[discord]\n", "d").unwrap(),
        );
        let (dt, dd) = (dt.telegram.unwrap(), dd.discord.unwrap());
        assert_eq!(t.token_env.get_ref(), dt.token_env.get_ref());
        assert_eq!(t.api_url, dt.api_url);
        assert_eq!(t.max_per_second, dt.max_per_second);
        assert_eq!(
            (t.chat_interval, t.group_interval),
            (dt.chat_interval, dt.group_interval)
        );
        assert_eq!(d.token_env.get_ref(), dd.token_env.get_ref());
        assert_eq!(
            (d.mode, d.guild_id, &d.api_url),
            (dd.mode, dd.guild_id, &dd.api_url)
        );
        assert_eq!(d.channel_interval, dd.channel_interval);
        // Without tokens the file is fine, `run` is not.
        let unset: Vec<String> = c
            .unset_tokens(&|_| None)
            .iter()
            .map(|u| u.variable.clone())
            .collect();
        assert_eq!(unset, ["SITREP_TELEGRAM_TOKEN", "SITREP_DISCORD_TOKEN"]);
        let err = Config::parse(&text, "example", &|_| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("SITREP_TELEGRAM_TOKEN"), "{err}");
        assert!(Config::parse(&text, "example", &|_| Some("x".into())).is_ok());
    }

    #[test]
    fn unset_tokens_names_each_missing_variable() {
        let c = Config::parse_file(
            "[telegram]\ntoken_env = \"SET_TOKEN\"\n[discord]\ntoken_env = \"OTHER\"\n",
            "t.toml",
        )
        .unwrap();
        let env = |name: &str| (name == "SET_TOKEN").then(|| "123:abc".to_string());
        let unset = c.unset_tokens(&env);
        assert_eq!(
            unset,
            [UnsetToken {
                platform: "discord",
                variable: "OTHER".into()
            }]
        );
        assert_eq!(
            unset[0].to_string(),
            "[discord] is configured but the environment variable OTHER holding its token is not set"
        );
        // A blank value counts as unset.
        assert_eq!(c.unset_tokens(&|_| Some("  ".into())).len(), 2);
        assert!(
            Config::parse_file("", "t.toml")
                .unwrap()
                .unset_tokens(&|_| None)
                .is_empty()
        );
    }
}
