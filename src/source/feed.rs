//! Feed documents (RSS 0.9x/1.0/2.0, Atom, RDF, JSON Feed) to [`Article`]s, robust to what real
//! feeds do: declared legacy encodings, a BOM or leading white space, missing GUIDs, relative
//! links, HTML in titles, bare `&`, odd or French dates, double-encoded UTF-8, and JSON Feeds with
//! a bare version number. Anything that is not a feed fails with one clear line, never a panic.

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed};
use thiserror::Error;

use super::dates::parse_timestamp;
use super::html::{html_to_text, repair_mojibake};
use crate::model::Article;

/// Largest feed document accepted, in bytes.
pub const MAX_FEED_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Error, PartialEq)]
pub enum FeedError {
    #[error("empty document")]
    Empty,
    #[error("{size} bytes is over the {limit} byte limit")]
    TooLarge { size: usize, limit: usize },
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("invalid JSON at line {line} column {column}: {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid feed: {0}")]
    Invalid(String),
}

/// Where a document came from and what to stamp on its articles.
#[derive(Debug, Clone)]
pub struct FeedContext<'a> {
    /// Source name put in [`Article::source`].
    pub source: &'a str,
    /// The feed's own URL, to resolve relative links against.
    pub url: Option<&'a str>,
    /// Publisher family of the source.
    pub family: &'a str,
    /// Language hint from the config.
    pub lang: Option<&'a str>,
}

/// Parses one feed document into articles, in document order.
pub fn parse_feed(bytes: &[u8], ctx: &FeedContext<'_>) -> Result<Vec<Article>, FeedError> {
    if bytes.len() > MAX_FEED_BYTES {
        return Err(FeedError::TooLarge {
            size: bytes.len(),
            limit: MAX_FEED_BYTES,
        });
    }
    let body = trim_start(bytes);
    if body.is_empty() {
        return Err(FeedError::Empty);
    }
    let feed = match body[0] {
        b'{' | b'[' => parse_json_feed(body, ctx)?,
        b'<' => parse_xml_feed(body, ctx)?,
        _ => return Err(FeedError::NotAFeed("neither XML nor JSON".into())),
    };
    Ok(feed
        .entries
        .iter()
        .map(|entry| to_article(entry, &feed, ctx))
        .collect())
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let mut b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    while let Some((first, rest)) = b.split_first() {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

fn parser(ctx: &FeedContext<'_>) -> feed_rs::parser::Parser {
    feed_rs::parser::Builder::new()
        // Only a web address is a useful base: relative links in a local file resolve against the
        // feed's own self link instead (see `feed_base`).
        .base_uri(ctx.url.filter(|u| u.starts_with("http")))
        // Leave missing ids empty: `to_article` falls back to the link, then a hash.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(parse_timestamp)
        .build()
}

fn parse_json_feed(body: &[u8], ctx: &FeedContext<'_>) -> Result<Feed, FeedError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| FeedError::InvalidJson {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string(),
        })?;
    let Some(obj) = value.as_object_mut() else {
        return Err(FeedError::NotAFeed("JSON that is not an object".into()));
    };
    if !obj.contains_key("items") {
        return Err(FeedError::NotAFeed("JSON without \"items\"".into()));
    }
    // Some producers write "version": "1.0" instead of the JSON Feed version URL.
    let version = obj.get("version").and_then(|v| v.as_str()).unwrap_or("");
    if !version.starts_with("https://jsonfeed.org/version/") {
        let v = if version.contains("1.1") { "1.1" } else { "1" };
        obj.insert(
            "version".into(),
            serde_json::Value::String(format!("https://jsonfeed.org/version/{v}")),
        );
    }
    let fixed = serde_json::to_vec(&value).map_err(|e| FeedError::Invalid(e.to_string()))?;
    parser(ctx)
        .parse(fixed.as_slice())
        .map_err(|e| FeedError::Invalid(e.to_string()))
}

fn parse_xml_feed(body: &[u8], ctx: &FeedContext<'_>) -> Result<Feed, FeedError> {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    if head.contains("<!doctype html") || head.contains("<html") {
        return Err(FeedError::NotAFeed("an HTML page".into()));
    }
    // RSS 0.90 uses its own namespace, which feed-rs does not know; its shape is RSS 1.0's.
    const RSS090: &[u8] = b"http://channel.netscape.com/rdf/simple/0.9/";
    let renamed;
    let body = if find(body, RSS090).is_some() {
        renamed = replace_all(body, RSS090, b"http://purl.org/rss/1.0/");
        renamed.as_slice()
    } else {
        body
    };
    let first = parser(ctx).parse(body);
    let err = match first {
        Ok(feed) => return Ok(feed),
        Err(e) => e,
    };
    // A bare '&' is the most common breakage in hand-made feeds: escape it and try once more.
    let escaped = escape_bare_ampersands(body);
    if let Some(escaped) = &escaped
        && let Ok(feed) = parser(ctx).parse(escaped.as_slice())
    {
        return Ok(feed);
    }
    // A body cut off mid-way (a server error while rendering): close what is open and keep what
    // arrived complete.
    if let Some(closed) = close_truncated(escaped.as_deref().unwrap_or(body))
        && let Ok(feed) = parser(ctx).parse(closed.as_slice())
    {
        return Ok(feed);
    }
    Err(match err {
        feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::NoFeedRoot,
        ) => FeedError::NotAFeed(format!("unknown root element <{}>", root_name(body))),
        other => FeedError::Invalid(one_line(&other.to_string())),
    })
}

/// Closes the elements left open at the end of a truncated document (dropping a tag cut in half);
/// `None` when nothing is open.
fn close_truncated(body: &[u8]) -> Option<Vec<u8>> {
    let mut stack: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    let mut complete_to = 0;
    while let Some(off) = body[i..].iter().position(|&b| b == b'<') {
        let start = i + off;
        let rest = &body[start..];
        let (end_marker, skip): (&[u8], bool) = if rest.starts_with(b"<!--") {
            (b"-->", true)
        } else if rest.starts_with(b"<![CDATA[") {
            (b"]]>", true)
        } else if rest.starts_with(b"<?") {
            (b"?>", true)
        } else if rest.starts_with(b"<!") {
            (b">", true)
        } else {
            (b">", false)
        };
        let Some(close) = find(rest, end_marker) else {
            break;
        };
        let tag_end = start + close + end_marker.len();
        if !skip {
            let inner = &body[start + 1..tag_end - 1];
            if let Some(name) = inner.strip_prefix(b"/") {
                let name = name
                    .split(|b| b.is_ascii_whitespace())
                    .next()
                    .unwrap_or(name);
                if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                    stack.truncate(pos);
                }
            } else if !inner.ends_with(b"/") {
                let name = inner
                    .split(|b| b.is_ascii_whitespace() || *b == b'/')
                    .next()
                    .unwrap_or(inner);
                stack.push(name);
            }
        }
        complete_to = tag_end;
        i = tag_end;
    }
    if stack.is_empty() {
        return None;
    }
    let mut out = body[..complete_to].to_vec();
    for name in stack.iter().rev() {
        out.extend_from_slice(b"</");
        out.extend_from_slice(name);
        out.push(b'>');
    }
    Some(out)
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while let Some(p) = find(&hay[i..], from) {
        out.extend_from_slice(&hay[i..i + p]);
        out.extend_from_slice(to);
        i += p + from.len();
    }
    out.extend_from_slice(&hay[i..]);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn root_name(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let mut rest = text.as_ref();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        return rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
    }
    String::new()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Replaces `&` that does not start an entity or character reference with `&amp;`; `None` when
/// there is none.
fn escape_bare_ampersands(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 64);
    let mut changed = false;
    for (i, &b) in body.iter().enumerate() {
        if b == b'&' && !starts_reference(&body[i + 1..]) {
            out.extend_from_slice(b"&amp;");
            changed = true;
        } else {
            out.push(b);
        }
    }
    changed.then_some(out)
}

fn starts_reference(rest: &[u8]) -> bool {
    let end = rest.iter().take(12).position(|&c| c == b';');
    match end {
        Some(0) | None => false,
        Some(n) => {
            let name = &rest[..n];
            match name[0] {
                b'#' => {
                    name.len() > 1
                        && (name[1..].iter().all(u8::is_ascii_digit)
                            || (matches!(name[1], b'x' | b'X')
                                && name.len() > 2
                                && name[2..].iter().all(u8::is_ascii_hexdigit)))
                }
                _ => name.iter().all(u8::is_ascii_alphanumeric),
            }
        }
    }
}

fn to_article(entry: &Entry, feed: &Feed, ctx: &FeedContext<'_>) -> Article {
    let title = entry
        .title
        .as_ref()
        .map(|t| clean(&t.content))
        .unwrap_or_default();
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| resolve(&l.href, entry.base.as_deref().or(feed_base(feed, ctx))))
        .unwrap_or_default();
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .filter(|b| !b.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.as_str()))
        .or_else(|| {
            entry
                .media
                .iter()
                .find_map(|m| m.description.as_ref().map(|d| d.content.as_str()))
        })
        .map(clean)
        .unwrap_or_default();
    let published: Option<DateTime<Utc>> = entry.published.or(entry.updated);
    // An entry without a link whose id is a web address (Atom permalinks, RSS isPermaLink guids).
    let url = if url.is_empty()
        && (entry.id.starts_with("http://") || entry.id.starts_with("https://"))
    {
        entry.id.trim().to_string()
    } else {
        url
    };
    let guid = if !entry.id.trim().is_empty() {
        entry.id.trim().to_string()
    } else if !url.is_empty() {
        url.clone()
    } else {
        let stamp = published.map(|d| d.to_rfc3339()).unwrap_or_default();
        format!(
            "hash:{:016x}",
            xxhash_rust::xxh3::xxh3_64(format!("{title}\0{stamp}").as_bytes())
        )
    };
    let lang = ctx.lang.map(str::to_string).or_else(|| {
        feed.language
            .as_ref()
            .map(|l| l.to_ascii_lowercase().chars().take(2).collect())
    });
    Article {
        source: ctx.source.to_string(),
        url,
        guid,
        title,
        text: body,
        published,
        lang,
        family: ctx.family.to_string(),
    }
}

fn feed_base<'a>(feed: &'a Feed, ctx: &'a FeedContext<'_>) -> Option<&'a str> {
    let web = |u: &&str| u.starts_with("http://") || u.starts_with("https://");
    ctx.url.filter(web).or_else(|| {
        let links = || feed.links.iter().map(|l| l.href.as_str()).filter(web);
        feed.links
            .iter()
            .filter(|l| l.rel.as_deref() == Some("self"))
            .map(|l| l.href.as_str())
            .find(web)
            .or_else(|| links().next())
            .or(ctx.url)
    })
}

fn resolve(href: &str, base: Option<&str>) -> String {
    let href = href.trim();
    if let Ok(u) = url::Url::parse(href) {
        return u.to_string();
    }
    base.and_then(|b| url::Url::parse(b).ok())
        .and_then(|b| b.join(href).ok())
        .map(|u| u.to_string())
        .unwrap_or_else(|| href.to_string())
}

fn clean(s: &str) -> String {
    repair_mojibake(&html_to_text(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FeedContext<'static> {
        FeedContext {
            source: "t",
            url: Some("https://news.example.org/feed/"),
            family: "example",
            lang: None,
        }
    }

    #[test]
    fn bare_ampersand_is_escaped_and_retried() {
        let xml = b"<rss version=\"2.0\"><channel><title>A & B</title><item><title>Gao & Kidal</title><link>/a?x=1&y=2</link></item></channel></rss>";
        let items = parse_feed(xml, &ctx()).unwrap();
        assert_eq!(items[0].title, "Gao & Kidal");
        assert_eq!(items[0].url, "https://news.example.org/a?x=1&y=2");
    }

    #[test]
    fn truncated_document_keeps_complete_items() {
        let xml = b"<rss version=\"2.0\"><channel><title>t</title><item><title>One</title><guid>1</guid></item><item><title>Tw";
        let items = parse_feed(xml, &ctx()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "One");
    }

    #[test]
    fn missing_guid_falls_back_to_link_then_hash() {
        let xml = b"<rss version=\"2.0\"><channel><title>t</title>
            <item><title>One</title><link>https://x.org/1</link></item>
            <item><title>Two</title><pubDate>Mon, 02 Jun 2025 09:12:00 GMT</pubDate></item>
            </channel></rss>";
        let items = parse_feed(xml, &ctx()).unwrap();
        assert_eq!(items[0].guid, "https://x.org/1");
        assert!(items[1].guid.starts_with("hash:"));
        let again = parse_feed(xml, &ctx()).unwrap();
        assert_eq!(items[1].guid, again[1].guid, "the fallback is stable");
    }

    #[test]
    fn html_page_and_garbage_fail_clearly() {
        let html = b"<!DOCTYPE html><html><body>Not found</body></html>";
        assert_eq!(
            parse_feed(html, &ctx()).unwrap_err(),
            FeedError::NotAFeed("an HTML page".into())
        );
        assert_eq!(parse_feed(b"  \n", &ctx()).unwrap_err(), FeedError::Empty);
        assert!(matches!(
            parse_feed(b"{\"items\": [", &ctx()).unwrap_err(),
            FeedError::InvalidJson { .. }
        ));
    }

    #[test]
    fn french_dates_are_read() {
        let xml = "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><guid>g</guid><pubDate>lundi 2 juin 2025 14h30</pubDate></item></channel></rss>";
        let items = parse_feed(xml.as_bytes(), &ctx()).unwrap();
        assert_eq!(
            items[0].published.unwrap().to_rfc3339(),
            "2025-06-02T14:30:00+00:00"
        );
    }
}
