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
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: default_store_path(),
            retention_days: default_retention_days(),
            cache_mb: default_cache_mb(),
            min_free_mb: default_min_free_mb(),
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
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    Feed,
    Gdelt,
    Reliefweb,
    Acled,
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
    #[serde(default)]
    pub reliability: Reliability,
    pub lang: Option<String>,
    #[serde(default)]
    pub fetch_article: bool,
}

impl SourceConfig {
    /// The family used for independence checks: the configured one, else the URL's host
    /// without a leading `www.`.
    pub fn family(&self) -> String {
        if let Some(f) = &self.family {
            return f.clone();
        }
        family_of_url(self.url.get_ref())
    }
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

impl Config {
    /// Reads and validates a config file, tokens included.
    pub fn load(path: &Path) -> Result<(Config, Tokens), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(&text, &path.display().to_string(), &|name| {
            std::env::var(name).ok()
        })
    }

    /// Parses and validates config text; `env` looks up environment variables (tests pass a map).
    pub fn parse(
        text: &str,
        path: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Config, Tokens), ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, col) = line_col(text, span.map(|s| s.start).unwrap_or(0));
            ConfigError::Invalid {
                path: path.to_string(),
                line,
                col,
                message,
            }
        };
        let config: Config =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().to_string()))?;

        for source in &config.sources {
            let url = source.url.get_ref();
            let ok = url::Url::parse(url)
                .map(|u| matches!(u.scheme(), "http" | "https" | "file"))
                .unwrap_or(false);
            if !ok {
                return Err(invalid(
                    Some(source.url.span()),
                    format!(
                        "source {:?}: bad url {url:?}: expected http(s):// or file://",
                        source.name
                    ),
                ));
            }
            if source.interval.0 < Duration::from_secs(10) {
                return Err(invalid(
                    Some(source.url.span()),
                    format!("source {:?}: interval must be at least 10s", source.name),
                ));
            }
        }
        let mut names = std::collections::HashSet::new();
        for source in &config.sources {
            if !names.insert(source.name.as_str()) {
                return Err(invalid(
                    Some(source.url.span()),
                    format!("source name {:?} is used twice", source.name),
                ));
            }
        }

        let mut tokens = Tokens::default();
        if let Some(t) = &config.telegram {
            tokens.telegram = Some(
                read_token(&t.token_env, "telegram", env)
                    .map_err(|m| invalid(Some(t.token_env.span()).filter(|s| !s.is_empty()), m))?,
            );
        }
        if let Some(d) = &config.discord {
            tokens.discord = Some(
                read_token(&d.token_env, "discord", env)
                    .map_err(|m| invalid(Some(d.token_env.span()).filter(|s| !s.is_empty()), m))?,
            );
            if d.mode == DiscordMode::Http && d.public_key.len() != 64 {
                return Err(invalid(
                    None,
                    "[discord] mode = \"http\" needs public_key: the application's 64 hex digit Ed25519 key".into(),
                ));
            }
        }
        Ok((config, tokens))
    }
}

fn read_token(
    var: &Spanned<String>,
    platform: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, String> {
    match env(var.get_ref()) {
        Some(v) if !v.trim().is_empty() => Ok(Secret::new(v.trim().to_string())),
        _ => Err(format!(
            "[{platform}] is configured but the environment variable {} holding its token is not set",
            var.get_ref()
        )),
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
    fn example_config_parses() {
        let text = include_str!("../config/sitrep.example.toml");
        let (c, _) = Config::parse(text, "sitrep.example.toml", &|_| Some("x".into())).unwrap();
        assert!(!c.sources.is_empty());
        assert!(!c.subscriptions.is_empty());
    }
}
