//! Where articles come from: feed documents, data APIs and public Telegram channels' previews
//! fetched by the poller (or feed files read by `replay`), plus the canonical form of article URLs used to drop items seen before.

pub mod acled;
pub mod api;
pub mod dates;
pub mod feed;
pub mod html;
pub mod http;
pub mod poller;
pub mod telegram_channel;

use std::path::Path;

use thiserror::Error;

use crate::model::Article;
use feed::{FeedContext, FeedError, MAX_FEED_BYTES};

/// Why a feed file could not be read.
#[derive(Debug, Error)]
pub enum SourceError {
    #[error("feed {path}: {message}")]
    File { path: String, message: String },
    #[error("feed {path}: {source}")]
    Feed { path: String, source: FeedError },
}

/// Reads and parses one feed file (as `replay` and `file://` sources do), refusing files over
/// [`MAX_FEED_BYTES`] before reading them.
pub fn read_feed_file(path: &Path, source_name: &str) -> Result<Vec<Article>, SourceError> {
    let shown = path.display().to_string();
    let file_err = |message: String| SourceError::File {
        path: shown.clone(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| file_err(io_message(&e)))?;
    if meta.is_dir() {
        return Err(file_err("is a directory, not a feed file".into()));
    }
    if meta.len() > MAX_FEED_BYTES as u64 {
        return Err(file_err(format!(
            "{} bytes is over the {} byte limit",
            meta.len(),
            MAX_FEED_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| file_err(io_message(&e)))?;
    let url = url::Url::from_file_path(std::fs::canonicalize(path).unwrap_or(path.to_path_buf()))
        .map(|u| u.to_string())
        .ok();
    let ctx = FeedContext {
        source: source_name,
        url: url.as_deref(),
        family: source_name,
        lang: None,
    };
    feed::parse_feed(&bytes, &ctx).map_err(|source| SourceError::Feed {
        path: shown.clone(),
        source,
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The canonical form of an article URL: scheme and host lowercased, default port, fragment,
/// `utm_*`, `fbclid` and `gclid` dropped, remaining query kept in order. `None` for non-web URLs.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    // The url crate already lowercases scheme and host and drops default ports.
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_drop_tracking() {
        assert_eq!(
            canonical_url("HTTPS://WWW.RFI.fr:443/fr/afrique/x?utm_source=tw&id=3&fbclid=abc#top")
                .unwrap(),
            "https://www.rfi.fr/fr/afrique/x?id=3"
        );
        assert_eq!(
            canonical_url("https://a.org/p?utm_medium=rss").unwrap(),
            "https://a.org/p"
        );
        assert_eq!(canonical_url("file:///tmp/x"), None);
        assert_eq!(canonical_url("not a url"), None);
    }
}
