//! Fetching a source politely and safely: conditional GET (ETag, Last-Modified), gzip, deflate and
//! brotli with a limit on the decompressed size, a body limit, connect and read timeouts, at most
//! five redirects, a descriptive User-Agent, `Retry-After` on 429 and 503, and `file://` URLs.
//! One client for every source; a source that misbehaves costs only its own fetch.

use std::time::Duration;

use chrono::{DateTime, Utc};
use thiserror::Error;

/// The validators of a conditional GET, kept by the store with the source's state.
pub use crate::store::records::Validators;

/// Identifies sitrep to the servers it polls.
pub const USER_AGENT: &str = concat!(
    "sitrep/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/sitrep-project/sitrep; security news alerts)"
);

/// Limits of one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest body accepted, after decompression.
    pub max_body: usize,
    pub connect_timeout: Duration,
    /// The whole request, body included.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 5 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// The result of a fetch that reached the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// 200 with a body, and the validators to send next time.
    Body {
        bytes: Vec<u8>,
        validators: Validators,
    },
    /// 304: nothing new since last time.
    NotModified,
}

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("{url}: HTTP {status}")]
    Status {
        url: String,
        status: u16,
        /// When the server asked us to come back (429, 503 with `Retry-After`).
        retry_after: Option<Duration>,
    },
    #[error("{url}: body over the {limit} byte limit")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: too many redirects")]
    Redirects { url: String },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
}

impl FetchError {
    /// How long the server asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The shared HTTP client.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    limits: Limits,
}

impl Http {
    pub fn new(limits: Limits) -> Result<Http, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::limited(5))
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.timeout)
            .build()
            .map_err(|e| FetchError::Other {
                url: String::new(),
                message: e.to_string(),
            })?;
        Ok(Http { client, limits })
    }

    /// The underlying client, for API sources that build their own requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// GETs `url` (http, https or file), conditionally when validators are known.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        if let Some(path) = url.strip_prefix("file://") {
            return self.read_file(url, path).await;
        }
        let mut req = self.client.get(url);
        if let Some(etag) = &validators.etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
        self.send(url, req).await
    }

    /// Sends a prepared request and reads its body under the limits.
    pub async fn send(
        &self,
        url: &str,
        req: reqwest::RequestBuilder,
    ) -> Result<Fetched, FetchError> {
        let resp = req.send().await.map_err(|e| classify(url, e))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
                retry_after: retry_after(resp.headers()),
            });
        }
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header(reqwest::header::ETAG),
            last_modified: header(reqwest::header::LAST_MODIFIED),
        };
        let limit = self.limits.max_body;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        // Counted after decompression: a small gzip bomb stops at the same limit.
        let mut bytes = Vec::new();
        let mut resp = resp;
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(url, e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body { bytes, validators })
    }

    async fn read_file(&self, url: &str, path: &str) -> Result<Fetched, FetchError> {
        let other = |message: String| FetchError::Other {
            url: url.to_string(),
            message,
        };
        let meta = tokio::fs::metadata(path)
            .await
            .map_err(|e| other(e.to_string()))?;
        if meta.len() as usize > self.limits.max_body {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit: self.limits.max_body,
            });
        }
        let modified = meta
            .modified()
            .ok()
            .map(|t| DateTime::<Utc>::from(t).to_rfc2822());
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| other(e.to_string()))?;
        Ok(Fetched::Body {
            bytes,
            validators: Validators {
                etag: None,
                last_modified: modified,
            },
        })
    }
}

fn classify(url: &str, e: reqwest::Error) -> FetchError {
    let url = url.to_string();
    if e.is_timeout() {
        FetchError::Timeout { url }
    } else if e.is_redirect() {
        FetchError::Redirects { url }
    } else {
        // The innermost cause says what went wrong ("connection refused").
        let mut msg = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg = s.to_string();
            source = s.source();
        }
        FetchError::Other { url, message: msg }
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    (when - Utc::now()).to_std().ok()
}
