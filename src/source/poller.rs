//! The scheduler: one task per source (feed, API or Telegram channel), polling on its interval
//! with jitter, backing off exponentially on failure (and as long as a server's `Retry-After`
//! asks), at most two requests at a time per host (t.me is one host for every channel), GDELT no more than once every five seconds, and each source's health and
//! validators kept in the store across restarts. A source that has failed for longer than
//! `source_down_after` raises one notice when it goes down and one when it recovers.

use crate::i18n::Lang;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Mutex, Semaphore, mpsc, watch};

use super::api::{self, SourceItem};
use super::feed::{FeedContext, parse_feed};
use super::http::{Fetched, Http};
use super::telegram_channel::{self as tg, ChannelError, ChannelMemory, Post};
use crate::config::{SourceConfig, SourceKind};
use crate::extract::Gazetteer;
use crate::store::Store;
/// A source's poll state as the store keeps it ([`crate::store::records`]).
pub use crate::store::records::{SourceState, Validators};

/// A change in a source's health the operator should hear about.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Down {
        source: String,
        since: DateTime<Utc>,
        error: String,
    },
    Recovered {
        source: String,
        down_for: Duration,
    },
}

impl Notice {
    /// What the operator reads, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::Down {
                source,
                since,
                error,
            } => lang.format(
                "notice-down",
                &[
                    ("source", source.into()),
                    (
                        "since",
                        since.format("%Y-%m-%d %H:%M UTC").to_string().into(),
                    ),
                    ("error", error.into()),
                ],
            ),
            Notice::Recovered { source, down_for } => lang.format(
                "notice-recovered",
                &[
                    ("source", source.into()),
                    (
                        "duration",
                        humantime::format_duration(Duration::from_secs(down_for.as_secs()))
                            .to_string()
                            .into(),
                    ),
                ],
            ),
        }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Longest wait between two polls of a failing source.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// The wait before the next poll: the interval (±10 % jitter, `jitter` in [0, 1)), doubled for
/// each consecutive failure up to [`MAX_BACKOFF`], and never shorter than a server's
/// `Retry-After`.
pub fn next_delay(
    interval: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let base = if failures == 0 {
        interval
    } else {
        let factor = 2u32.saturating_pow(failures.min(16));
        interval
            .saturating_mul(factor)
            .min(MAX_BACKOFF.max(interval))
    };
    let jittered = base.mul_f64(0.9 + 0.2 * jitter.clamp(0.0, 1.0));
    retry_after.map_or(jittered, |r| jittered.max(r))
}

/// Shared limits across pollers: requests per host, and GDELT's one request per 5 s.
#[derive(Clone, Default)]
pub struct Gates {
    hosts: Arc<std::sync::Mutex<HashMap<String, Arc<Semaphore>>>>,
    gdelt_last: Arc<Mutex<Option<tokio::time::Instant>>>,
}

/// Requests at a time to one host.
pub const PER_HOST: usize = 2;
/// GDELT asks for no more than one request every five seconds.
pub const GDELT_SPACING: Duration = Duration::from_secs(5);

impl Gates {
    fn host(&self, url: &str) -> Arc<Semaphore> {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let mut map = self.hosts.lock().expect("host map lock");
        map.entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
            .clone()
    }

    async fn gdelt_turn(&self) {
        let mut last = self.gdelt_last.lock().await;
        if let Some(t) = *last {
            tokio::time::sleep_until(t + GDELT_SPACING).await;
        }
        *last = Some(tokio::time::Instant::now());
    }
}

/// One source and what it needs to poll.
pub struct Poller {
    pub config: SourceConfig,
    http: Http,
    store: Store,
    gates: Gates,
    gazetteer: &'static Gazetteer,
    down_after: Duration,
    acled: Option<super::acled::AcledAuth>,
    /// What a Telegram channel's poller remembers of the posts it handed on.
    channel: ChannelMemory,
}

/// An item handed on to the pipeline, with when sitrep first had it.
#[derive(Debug)]
pub struct SeenItem {
    pub item: SourceItem,
    pub seen: DateTime<Utc>,
}

/// The result of one poll.
#[derive(Debug)]
pub struct Polled {
    pub items: Vec<SourceItem>,
    pub notice: Option<Notice>,
    /// How long to wait before the next poll.
    pub wait: Duration,
}

impl Poller {
    pub fn new(
        config: SourceConfig,
        http: Http,
        store: Store,
        gates: Gates,
        gazetteer: &'static Gazetteer,
        down_after: Duration,
    ) -> Poller {
        let acled = (config.kind == SourceKind::Acled)
            .then(|| super::acled::AcledAuth::from_env(config.url.get_ref()));
        Poller {
            config,
            http,
            store,
            gates,
            gazetteer,
            down_after,
            acled,
            channel: ChannelMemory::default(),
        }
    }

    /// Polls until shutdown, sending items and notices on.
    pub async fn run(
        mut self,
        items: mpsc::Sender<SeenItem>,
        notices: mpsc::Sender<Notice>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let name = self.config.name.clone();
        crate::metrics::metrics().add_source(&name);
        // Resume the schedule the store remembers (no burst of polls after a restart).
        let now = Utc::now();
        let mut wait = self
            .store
            .source_state(&name)
            .ok()
            .flatten()
            .and_then(|s| s.next_poll)
            .and_then(|t| (t - now).to_std().ok())
            .unwrap_or(Duration::ZERO);
        loop {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
            let polled = tokio::select! {
                p = self.poll_once() => p,
                _ = shutdown.changed() => break,
            };
            wait = polled.wait;
            if let Some(n) = polled.notice {
                let _ = notices.send(n).await;
            }
            let seen = Utc::now();
            for item in polled.items {
                if items.send(SeenItem { item, seen }).await.is_err() {
                    return;
                }
            }
        }
        tracing::info!(source = %name, "poller stopped");
    }

    /// One fetch and parse, with the state update; never fails, the error is in the state.
    pub async fn poll_once(&mut self) -> Polled {
        let name = self.config.name.clone();
        let mut state = self
            .store
            .source_state(&name)
            .ok()
            .flatten()
            .unwrap_or_default();
        let started = Utc::now();
        let clock = std::time::Instant::now();
        let result = self.fetch_items(&state.validators).await;
        let m = crate::metrics::metrics();
        m.poll_duration.observe(clock.elapsed().as_secs_f64());
        let label = crate::metrics::SourceLabel {
            source: name.clone(),
        };
        let jitter = (xxhash_rust::xxh3::xxh3_64(format!("{name}{started}").as_bytes()) % 1000)
            as f64
            / 1000.0;
        let interval = self.config.interval.0;
        let (items, retry_after, notice) = match result {
            Ok((items, validators)) => {
                if let Some(v) = validators {
                    state.validators = v;
                }
                m.items_fetched
                    .get_or_create(&label)
                    .inc_by(items.len() as u64);
                let notice = succeeded(&mut state, &name, started, items.len());
                (items, None, notice)
            }
            Err(e) => {
                m.source_failures.get_or_create(&label).inc();
                if e.parse {
                    m.parse_errors.get_or_create(&label).inc();
                }
                let retry_after = e.retry_after;
                let notice = failed(&mut state, &name, started, e.message, self.down_after);
                (Vec::new(), retry_after, notice)
            }
        };
        let mut wait = next_delay(interval, state.consecutive_failures, retry_after, jitter);
        if self.config.kind == SourceKind::TelegramChannel {
            // Jitter never brings a channel's polls closer than a minute.
            wait = wait.max(CHANNEL_MIN_INTERVAL);
        }
        state.next_poll = Some(started + chrono::Duration::from_std(wait).unwrap_or_default());
        if let Err(e) = self.store.put_source_state(&name, &state) {
            // A full store logs once for everyone (store::space); the validators stay where
            // they were, so the next poll fetches these items again.
            self.store.note(&e);
            if !e.is_io() {
                tracing::error!(source = %name, error = %e, "cannot save source state");
            }
        }
        Polled {
            items,
            notice,
            wait,
        }
    }

    async fn fetch_items(
        &mut self,
        validators: &Validators,
    ) -> Result<(Vec<SourceItem>, Option<Validators>), PollError> {
        if self.config.kind == SourceKind::TelegramChannel {
            return Ok((self.fetch_channel().await?, None));
        }
        let url = self.config.url.get_ref().clone();
        // The host's permit is held for the fetch only: pages fetched afterwards take their own.
        let permit = self
            .gates
            .host(&url)
            .acquire_owned()
            .await
            .map_err(|e| PollError::new(e.to_string()))?;
        let fetched = match self.config.kind {
            SourceKind::Gdelt => {
                self.gates.gdelt_turn().await;
                self.http.get(&url, &Validators::default()).await
            }
            SourceKind::Acled => {
                let auth = self.acled.as_mut().expect("acled sources have auth");
                let token = auth.token(&self.http).await.map_err(PollError::new)?;
                let req = self.http.client().get(&url).bearer_auth(token);
                self.http.send(&url, req).await
            }
            SourceKind::Feed | SourceKind::Reliefweb => self.http.get(&url, validators).await,
            SourceKind::TelegramChannel => unreachable!("channels are fetched by fetch_channel"),
        }
        .map_err(|e| PollError {
            retry_after: e.retry_after(),
            message: e.to_string(),
            parse: false,
        });
        drop(permit);
        let (bytes, new_validators) = match fetched? {
            Fetched::NotModified => return Ok((Vec::new(), None)),
            Fetched::Body { bytes, validators } => (bytes, validators),
        };
        let name = &self.config.name;
        let family = self.config.family();
        let items = match self.config.kind {
            SourceKind::Feed => {
                let ctx = FeedContext {
                    source: name,
                    url: Some(&url),
                    family: &family,
                    lang: self.config.lang.as_deref(),
                };
                let mut articles = parse_feed(&bytes, &ctx)
                    .map_err(|e| PollError::parse(format!("{url}: {e}")))?;
                if self.config.fetch_article {
                    self.fetch_pages(&mut articles).await;
                }
                articles.into_iter().map(SourceItem::Article).collect()
            }
            SourceKind::Gdelt => api::parse_gdelt(&bytes, name)
                .map_err(|e| PollError::parse(format!("{url}: {e}")))?,
            SourceKind::Reliefweb => api::parse_reliefweb(&bytes, name)
                .map_err(|e| PollError::parse(format!("{url}: {e}")))?,
            SourceKind::Acled => api::parse_acled(&bytes, name, self.gazetteer, Utc::now())
                .map_err(|e| PollError::parse(format!("{url}: {e}")))?,
            SourceKind::TelegramChannel => unreachable!("channels are parsed by fetch_channel"),
        };
        Ok((items, Some(new_validators)))
    }
}

/// The shortest time between two polls of one Telegram channel.
pub const CHANNEL_MIN_INTERVAL: Duration = Duration::from_secs(60);

/// Pages read back (`?before=ID`) in one poll when more posts arrived than the latest page holds.
pub const CATCH_UP_PAGES: usize = 5;

impl Poller {
    /// One poll of a Telegram channel's preview: the latest page, then older pages while posts
    /// may be missing since the last poll (none on the very first poll: the latest page is
    /// enough, and the age guard keeps old posts from alerting). New posts and edited ones go on.
    async fn fetch_channel(&mut self) -> Result<Vec<SourceItem>, PollError> {
        let url = self.config.url.get_ref().clone();
        let name = crate::config::telegram_channel_name(&url).map_err(PollError::new)?;
        let mut posts = self.fetch_preview(&url, &name).await?;
        let first_poll = self.channel.newest().is_none();
        // After a restart the memory is empty but the store knows what was handed on.
        let restarted = first_poll
            && self
                .store
                .source_state(&self.config.name)
                .ok()
                .flatten()
                .is_some_and(|s| s.last_success.is_some());
        let max_back = if first_poll && !restarted {
            0
        } else {
            CATCH_UP_PAGES
        };
        for _ in 0..max_back {
            let Some(oldest) = posts.first().map(|p| p.id) else {
                break;
            };
            let gap = if first_poll {
                !self.oldest_text_post_seen(&posts)
            } else {
                self.channel.gap_before(oldest)
            };
            if !gap || oldest <= 1 {
                break;
            }
            let page = format!("{url}?before={oldest}");
            let older: Vec<Post> = self
                .fetch_preview(&page, &name)
                .await?
                .into_iter()
                .filter(|p| p.id < oldest)
                .collect();
            if older.is_empty() {
                break;
            }
            posts.splice(0..0, older);
        }
        let origin = url::Url::parse(&url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| "https://t.me".into());
        let family = self.config.family();
        let own = tg::standing_of(&self.config);
        let items = self
            .channel
            .sift(posts)
            .into_iter()
            .map(|s| SourceItem::Post {
                article: s.post.article(
                    &self.config.name,
                    &origin,
                    &family,
                    self.config.lang.as_deref(),
                ),
                standing: tg::post_standing(&s.post, &own),
                maybe_edit: s.maybe_edit,
            })
            .collect();
        Ok(items)
    }

    /// Whether the oldest post with text on the page was stored before (by this source).
    fn oldest_text_post_seen(&self, posts: &[Post]) -> bool {
        posts.iter().find(|p| !p.text.is_empty()).is_none_or(|p| {
            self.store
                .article_seen(&self.config.name, &p.data_post, None)
                .unwrap_or(true)
        })
    }

    /// Fetches and reads one preview page under t.me's per-host limit, as a browser would ask.
    async fn fetch_preview(&self, url: &str, channel: &str) -> Result<Vec<Post>, PollError> {
        let permit = self
            .gates
            .host(url)
            .acquire_owned()
            .await
            .map_err(|e| PollError::new(e.to_string()))?;
        let req = self
            .http
            .client()
            .get(url)
            .header(reqwest::header::USER_AGENT, tg::BROWSER_USER_AGENT);
        let fetched = self.http.send(url, req).await;
        drop(permit);
        let bytes = match fetched.map_err(|e| PollError {
            retry_after: e.retry_after(),
            message: e.to_string(),
            parse: false,
        })? {
            Fetched::Body { bytes, .. } => bytes,
            Fetched::NotModified => Vec::new(),
        };
        tg::parse_page(&bytes, channel).map_err(|e| match e {
            ChannelError::NotFound(_) => PollError::new(e.to_string()),
            ChannelError::NotAPreview(_) => PollError::parse(e.to_string()),
        })
    }
}

/// A feed item shorter than this gets its linked page fetched (with `fetch_article = true`).
const SHORT_TEXT: usize = 400;
/// Pages fetched per poll at the most, so that a feed of 200 headlines cannot monopolise a host.
const PAGES_PER_POLL: usize = 20;

impl Poller {
    /// Replaces headline-only items' text with the main text of their linked page, for items not
    /// seen before. A page that cannot be fetched or read leaves the item as the feed gave it.
    async fn fetch_pages(&self, articles: &mut [crate::model::Article]) {
        let mut fetched = 0;
        for a in articles.iter_mut() {
            if fetched >= PAGES_PER_POLL
                || a.text.chars().count() >= SHORT_TEXT
                || !a.url.starts_with("http")
            {
                continue;
            }
            let canonical = super::canonical_url(&a.url);
            if self
                .store
                .article_seen(&a.source, &a.guid, canonical.as_deref())
                .unwrap_or(true)
            {
                continue;
            }
            fetched += 1;
            let gate = self.gates.host(&a.url);
            let Ok(_permit) = gate.acquire_owned().await else {
                continue;
            };
            match self.http.get(&a.url, &Validators::default()).await {
                Ok(Fetched::Body { bytes, .. }) => match main_text(&bytes, &a.url) {
                    Some(text) if text.len() > a.text.len() => a.text = text,
                    _ => tracing::debug!(url = %a.url, "linked page had no readable text"),
                },
                Ok(Fetched::NotModified) => {}
                Err(e) => tracing::debug!(url = %a.url, error = %e, "linked page not fetched"),
            }
        }
    }
}

/// The main text of an article page (readability), as plain text.
pub fn main_text(html: &[u8], url: &str) -> Option<String> {
    let html = String::from_utf8_lossy(html);
    let mut r = dom_smoothie::Readability::new(html.as_ref(), Some(url), None).ok()?;
    let article = r.parse().ok()?;
    let text = super::html::fold_whitespace(&article.text_content);
    (!text.is_empty()).then_some(text)
}

struct PollError {
    message: String,
    retry_after: Option<Duration>,
    /// The body arrived but could not be read as the source's format.
    parse: bool,
}

impl PollError {
    fn new(message: impl Into<String>) -> Self {
        PollError {
            message: message.into(),
            retry_after: None,
            parse: false,
        }
    }

    fn parse(message: String) -> Self {
        PollError {
            parse: true,
            ..PollError::new(message)
        }
    }
}

/// A poll that worked: the failure streak ends (with a "recovered" notice when the source had
/// been reported down).
fn succeeded(
    state: &mut SourceState,
    name: &str,
    started: DateTime<Utc>,
    items: usize,
) -> Option<Notice> {
    let mut notice = None;
    if state.down_notified {
        let down_for = state
            .failing_since
            .map(|s| (started - s).to_std().unwrap_or_default())
            .unwrap_or_default();
        notice = Some(Notice::Recovered {
            source: name.to_string(),
            down_for,
        });
        tracing::warn!(source = %name, "source recovered");
    }
    state.last_success = Some(started);
    state.consecutive_failures = 0;
    state.failing_since = None;
    state.down_notified = false;
    state.items_seen += items as u64;
    notice
}

/// A poll that failed: the streak grows, and a "down" notice goes out once it has lasted
/// `down_after`.
fn failed(
    state: &mut SourceState,
    name: &str,
    started: DateTime<Utc>,
    message: String,
    down_after: Duration,
) -> Option<Notice> {
    state.consecutive_failures += 1;
    // One log line per backoff step, not per retry storm.
    tracing::warn!(source = %name, failures = state.consecutive_failures, error = %message, "poll failed");
    state.last_error = Some(message.clone());
    state.last_error_at = Some(started);
    let since = *state.failing_since.get_or_insert(started);
    let down_for = (started - since).to_std().unwrap_or_default();
    if state.down_notified || down_for < down_after {
        return None;
    }
    state.down_notified = true;
    tracing::error!(source = %name, "source down");
    Some(Notice::Down {
        source: name.to_string(),
        since,
        error: message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_back_off_and_honour_retry_after() {
        let five = Duration::from_secs(300);
        assert_eq!(next_delay(five, 0, None, 0.5), five);
        assert_eq!(next_delay(five, 0, None, 0.0), five.mul_f64(0.9));
        assert_eq!(next_delay(five, 1, None, 0.5), five * 2);
        assert_eq!(next_delay(five, 3, None, 0.5), five * 8);
        assert_eq!(next_delay(five, 30, None, 0.5), MAX_BACKOFF);
        let long = Duration::from_secs(3600);
        assert_eq!(next_delay(five, 0, Some(long), 0.5), long);
        assert_eq!(
            next_delay(five, 1, Some(Duration::from_secs(1)), 0.5),
            five * 2
        );
        // An interval longer than the cap is never shortened by backing off.
        let day = Duration::from_secs(86_400);
        assert_eq!(next_delay(day, 5, None, 0.5), day);
    }

    #[test]
    fn notices_read_well() {
        let n = Notice::Down {
            source: "rfi".into(),
            since: "2025-06-01T10:00:00Z".parse().unwrap(),
            error: "HTTP 503".into(),
        };
        assert_eq!(
            n.to_string(),
            "source rfi is down since 2025-06-01 10:00 UTC: HTTP 503"
        );
        let n = Notice::Recovered {
            source: "rfi".into(),
            down_for: Duration::from_secs(90_000),
        };
        assert_eq!(n.to_string(), "source rfi recovered after 1day 1h");
    }
}
