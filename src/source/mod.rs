//! Where articles come from: feed documents, data APIs and public Telegram channels' previews
//! fetched by the poller (or feed files read by `replay`). The canonical form of article URLs
//! ([`canonical_url`]) is defined in [`crate::model`], beside the article it identifies, and
//! re-exported here.

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
/// The canonical form of article URLs, defined with the article it identifies.
pub use crate::model::canonical_url;
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
