//! Public Telegram channels as a source: reading a channel's web preview (`https://t.me/s/NAME`,
//! plain HTML, no login) into posts, and remembering between polls which posts were handed on so
//! that only new and edited ones go to the pipeline.
//!
//! The preview lists the latest posts, each a `div.tgme_widget_message` with its `data-post` id
//! (`NAME/1234`), its text in `div.tgme_widget_message_text`, its time in `time[datetime]`, an
//! "edited" marker in `.tgme_widget_message_meta`, and `.tgme_widget_message_forwarded_from` with a
//! link to the original channel for a forwarded post; `?before=ID` pages back. A channel that
//! does not exist or is private has no preview: Telegram redirects to `https://t.me/NAME`, a
//! `tgme_page` that offers to "contact" the name in the app.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use dom_query::{Document, NodeRef};
use thiserror::Error;

use crate::config::{Reliability, SourceConfig, channel_family};
use crate::extract::actors::{self, Side};
use crate::incident::grade::Standing;
use crate::model::Article;

/// Why a preview page could not be read.
#[derive(Debug, Error, PartialEq)]
pub enum ChannelError {
    #[error("telegram channel {0}: not found or private (no public preview)")]
    NotFound(String),
    #[error("telegram channel {0}: the page is not a channel preview")]
    NotAPreview(String),
}

/// The `User-Agent` sent to t.me: the preview is made for browsers, so sitrep says it is one,
/// and who it is.
pub const BROWSER_USER_AGENT: &str = concat!(
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 sitrep/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/sitrep-project/sitrep)"
);

/// Longest title taken from a post's first line, in characters.
const TITLE_CHARS: usize = 200;

/// Where a forwarded post came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The original channel's name, when the preview links to it.
    pub channel: Option<String>,
    /// The original post's address (`https://t.me/NAME/567`), when given.
    pub url: Option<String>,
    /// The name shown ("Forwarded from ...").
    pub shown: String,
}

/// One post of a preview page.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// `NAME/1234`, stable across edits.
    pub data_post: String,
    /// The number after the slash.
    pub id: u64,
    /// Plain text: formatting and emoji dropped, links kept, lines kept. Empty for a post that
    /// is only a photo, a video or a sticker.
    pub text: String,
    pub published: Option<DateTime<Utc>>,
    /// The preview marks the post as edited.
    pub edited: bool,
    pub forwarded: Option<Forward>,
}

impl Post {
    /// The channel part of `data-post`.
    pub fn channel(&self) -> &str {
        self.data_post
            .rsplit_once('/')
            .map_or(&*self.data_post, |(c, _)| c)
    }

    /// The article this post stands for. `origin` is the preview's scheme and host
    /// (`https://t.me`); `family` the channel's publisher family. A forwarded post is the original
    /// channel's: its family and, when known, the original post's address.
    pub fn article(&self, source: &str, origin: &str, family: &str, lang: Option<&str>) -> Article {
        let own_url = format!("{origin}/{}", self.data_post);
        let (url, family) = match &self.forwarded {
            Some(f) => (
                f.url.clone().unwrap_or(own_url),
                match &f.channel {
                    Some(c) => channel_family(c),
                    None => format!("telegram:{}", f.shown.to_lowercase()),
                },
            ),
            None => (own_url, family.to_string()),
        };
        let first = self.text.lines().next().unwrap_or_default();
        let title = if first.chars().count() > TITLE_CHARS {
            let cut: String = first.chars().take(TITLE_CHARS).collect();
            format!("{}…", cut.trim_end())
        } else {
            first.to_string()
        };
        Article {
            source: source.to_string(),
            url,
            guid: self.data_post.clone(),
            title,
            text: self.text.clone(),
            published: self.published,
            lang: lang.map(str::to_string),
            family,
        }
    }
}

/// Reads one preview page: its posts, oldest first. `channel` names the channel in errors.
pub fn parse_page(html: &[u8], channel: &str) -> Result<Vec<Post>, ChannelError> {
    let html = String::from_utf8_lossy(html);
    if !html.contains("tgme_widget_message") {
        // No post at all: an empty channel still has its info header; a missing or private one
        // is Telegram's "contact @NAME" page.
        if html.contains("tgme_channel_info") {
            return Ok(Vec::new());
        }
        if html.contains("tgme_page") || html.contains("If you have Telegram, you can contact") {
            return Err(ChannelError::NotFound(channel.to_string()));
        }
        return Err(ChannelError::NotAPreview(channel.to_string()));
    }
    let doc = Document::from(html.as_ref());
    let mut posts: Vec<Post> = doc
        .select("div.tgme_widget_message[data-post]")
        .nodes()
        .iter()
        .filter(|n| !n.has_class("service_message"))
        .filter_map(read_post)
        .collect();
    posts.sort_by_key(|p| p.id);
    posts.dedup_by_key(|p| p.id);
    Ok(posts)
}

fn read_post(node: &NodeRef) -> Option<Post> {
    let data_post = node.attr("data-post")?.trim().to_string();
    let id = data_post.rsplit_once('/')?.1.parse().ok()?;
    let mut post = Post {
        data_post,
        id,
        text: String::new(),
        published: None,
        edited: false,
        forwarded: None,
    };
    let mut found_text = false;
    walk(node, &mut post, &mut found_text);
    post.text = tidy(&post.text);
    Some(post)
}

/// Visits a message's elements for its parts, skipping quoted replies and link previews (their
/// text is someone else's).
fn walk(node: &NodeRef, post: &mut Post, found_text: &mut bool) {
    for child in node.children_it(false) {
        if !child.is_element() {
            continue;
        }
        if child.has_class("tgme_widget_message_reply")
            || child.has_class("tgme_widget_message_link_preview")
        {
            continue;
        }
        if child.has_class("tgme_widget_message_text") {
            if !*found_text {
                *found_text = true;
                render(&child, &mut post.text);
            }
            continue;
        }
        if child.has_class("tgme_widget_message_forwarded_from") {
            post.forwarded = Some(forward(&child));
            continue;
        }
        if child.has_class("tgme_widget_message_meta") {
            let marked = child.descendants_it().any(|d| {
                d.class()
                    .is_some_and(|c| c.to_ascii_lowercase().contains("edited"))
            });
            post.edited |= marked || child.immediate_text().to_lowercase().contains("edited");
        }
        if child.node_name().as_deref() == Some("time")
            && let Some(dt) = child.attr("datetime")
            && post.published.is_none()
        {
            post.published = DateTime::parse_from_rfc3339(dt.trim())
                .ok()
                .map(|d| d.with_timezone(&Utc));
        }
        walk(&child, post, found_text);
    }
}

fn forward(node: &NodeRef) -> Forward {
    let link = node
        .descendants_it()
        .find(|d| d.node_name().as_deref() == Some("a") && d.has_attr("href"));
    let href = link
        .as_ref()
        .and_then(|a| a.attr("href"))
        .map(|h| h.to_string());
    let channel = href.as_deref().and_then(|h| {
        let u = url::Url::parse(h).ok()?;
        let name = u.path_segments()?.find(|s| !s.is_empty() && *s != "s")?;
        Some(name.to_string())
    });
    let url = href.filter(|h| {
        url::Url::parse(h)
            .ok()
            .and_then(|u| u.path_segments().map(|s| s.count()))
            .is_some_and(|n| n >= 2)
    });
    let shown = link
        .map(|a| a.text().to_string())
        .unwrap_or_else(|| node.text().to_string())
        .replace("Forwarded from", "");
    Forward {
        channel,
        url,
        shown: shown.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Appends the plain text of a message body: line breaks kept, emoji images dropped, links as
/// their text followed by the address when the text does not show it.
fn render(node: &NodeRef, out: &mut String) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child.node_name().unwrap_or_default();
        match name.as_ref() {
            "br" => out.push('\n'),
            "tg-emoji" => {}
            "i" if child.has_class("emoji") => {}
            "a" => {
                let shown = child.text();
                out.push_str(&shown);
                if let Some(href) = child.attr("href")
                    && href.starts_with("http")
                    && !href.contains("?q=")
                    && !same_link(&shown, &href)
                {
                    out.push_str(" (");
                    out.push_str(&href);
                    out.push(')');
                }
            }
            "div" | "p" | "blockquote" | "pre" => {
                out.push('\n');
                render(&child, out);
                out.push('\n');
            }
            _ => render(&child, out),
        }
    }
}

fn same_link(shown: &str, href: &str) -> bool {
    let bare = |s: &str| {
        s.trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    let (s, h) = (bare(shown), bare(href));
    s == h || (s.ends_with('…') && h.starts_with(s.trim_end_matches('…')))
}

/// Drops emoji and invisible joiners, folds spaces, trims lines and keeps at most one empty line
/// between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line: String = line.chars().filter(|c| !is_emoji(*c)).collect();
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

/// Pictographs, symbols, flags, variation selectors and joiners: what emoji are made of.
fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags, supplemental symbols
        | 0x2600..=0x27BF   // miscellaneous symbols and dingbats
        | 0x2B00..=0x2BFF   // arrows and stars used as emoji
        | 0x2190..=0x21FF   // arrows
        | 0x2300..=0x23FF   // technical symbols (⌚, ⏰)
        | 0x25A0..=0x25FF   // geometric shapes (▶, ◀)
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x200D            // zero-width joiner
        | 0x20E3            // combining keycap
        | 0xE0020..=0xE007F // tag characters
    )
}

/// The standing of a configured channel's own posts: a party's channel speaks as that party, a
/// channel given a reliability letter A-C counts like an outlet, any other is unvetted.
pub fn standing_of(config: &SourceConfig) -> Standing {
    if let Some(actor) = config
        .party
        .as_ref()
        .and_then(|p| actors::by_name(p.get_ref()))
    {
        return Standing::Party {
            name: actor.name.to_string(),
            state: actor.side == Side::State,
        };
    }
    match config.reliability {
        Some(Reliability::A | Reliability::B | Reliability::C) => Standing::Outlet,
        _ => Standing::Unvetted,
    }
}

/// The standing of one post: the channel's own, but a post forwarded from another channel is
/// that channel's, unvetted, unless a party's channel relays it (its own media arm).
pub fn post_standing(post: &Post, own: &Standing) -> Standing {
    let forwarded_from_other = post.forwarded.as_ref().is_some_and(|f| {
        f.channel
            .as_deref()
            .is_none_or(|c| !c.eq_ignore_ascii_case(post.channel()))
    });
    match own {
        Standing::Party { .. } => own.clone(),
        _ if forwarded_from_other => Standing::Unvetted,
        _ => own.clone(),
    }
}

/// What a channel's poller remembers between polls: the newest post id handed on and a digest of
/// each recent post, to tell new and edited posts from those already handed on.
#[derive(Debug, Default)]
pub struct ChannelMemory {
    newest: Option<u64>,
    digests: BTreeMap<u64, u64>,
}

/// Posts remembered per channel: a few pages' worth, so that edits to recent posts are seen.
const REMEMBERED: usize = 200;

/// A post to hand on, and whether it may replace an article handed on before.
#[derive(Debug, Clone, PartialEq)]
pub struct Sifted {
    pub post: Post,
    /// The text changed since the last poll, or the preview marks it edited and this poller
    /// does not remember it: the pipeline compares it with what it stored.
    pub maybe_edit: bool,
}

impl ChannelMemory {
    /// The newest post id handed on, `None` before the first poll.
    pub fn newest(&self) -> Option<u64> {
        self.newest
    }

    /// Whether posts may be missing between the newest one remembered and the oldest post of
    /// the latest page (more posts arrived than one page holds).
    pub fn gap_before(&self, oldest_on_page: u64) -> bool {
        self.newest.is_some_and(|n| oldest_on_page > n + 1)
    }

    /// The posts to hand on, oldest first: new ones with text, and those whose text changed.
    /// Photo-only posts are remembered and never handed on.
    pub fn sift(&mut self, posts: Vec<Post>) -> Vec<Sifted> {
        let mut out = Vec::new();
        for post in posts {
            let digest = xxhash_rust::xxh3::xxh3_64(post.text.as_bytes());
            let before = self.digests.insert(post.id, digest);
            let is_new = self.newest.is_none_or(|n| post.id > n);
            let maybe_edit = match before {
                Some(d) => d != digest,
                None => post.edited,
            };
            if post.text.is_empty() || !(is_new || maybe_edit) {
                continue;
            }
            out.push(Sifted { post, maybe_edit });
        }
        if let Some(max) = self.digests.keys().next_back() {
            self.newest = Some(self.newest.map_or(*max, |n| n.max(*max)));
        }
        while self.digests.len() > REMEMBERED {
            self.digests.pop_first();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A preview page built from the documented structure.
    pub(crate) fn page(posts: &[String]) -> String {
        format!(
            r#"<!DOCTYPE html><html><head><title>Test channel – Telegram</title></head><body class="widget_frame_base tgme_webpreview"><main class="tgme_main"><section class="tgme_channel_history js-message_history">{}</section></main><div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">Test</span></div></div></body></html>"#,
            posts.concat()
        )
    }

    pub(crate) fn message(post: &str, body: &str, extra: &str, meta: &str) -> String {
        format!(
            r#"<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{post}" data-view="x"><div class="tgme_widget_message_user"><a href="https://t.me/{chan}"><i class="tgme_widget_message_user_photo bgcolor0" data-content="T"><img src="https://cdn.example/a.jpg"></i></a></div><div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="11px" height="20px" viewBox="0 0 11 20"><g fill="none"><path d="M6,17.5 L6,0 Z" fill="white"></path></g></svg></i><div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{chan}"><span dir="auto">Test</span></a></div>{extra}{body}<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">1.2K</span><span class="tgme_widget_message_meta">{meta}<a class="tgme_widget_message_date" href="https://t.me/{post}"><time datetime="2025-06-02T07:15:00+00:00" class="time">07:15</time></a></span></div></div></div></div></div>"#,
            chan = post.split('/').next().unwrap()
        )
    }

    fn text(html: &str) -> String {
        format!(r#"<div class="tgme_widget_message_text js-message_text" dir="auto">{html}</div>"#)
    }

    #[test]
    fn posts_read_with_text_links_time_and_markers() {
        let html = page(&[
            message(
                "sahel_test/12",
                &text(
                    r#"<i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F94B4.png')"><b>🔴</b></i><b>Attaque de Djibo</b> ce matin: 12 soldats tués<br/><br/>Détails: <a href="https://lefaso.example/djibo" target="_blank">lefaso.example</a> #Burkina 🇧🇫"#,
                ),
                "",
                "",
            ),
            message(
                "sahel_test/11",
                "",
                r#"<a class="tgme_widget_message_photo_wrap" href="https://t.me/sahel_test/11" style="background-image:url('x.jpg')"></a>"#,
                "",
            ),
            message(
                "sahel_test/13",
                &text("Bilan revu: 15 soldats tués à Djibo"),
                r#"<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="https://t.me/Other_Radio/567"><span dir="auto">Other Radio</span></a></div>"#,
                r#"<span class="tgme_widget_message_edited">edited</span> "#,
            ),
        ]);
        let posts = parse_page(html.as_bytes(), "sahel_test").unwrap();
        assert_eq!(
            posts.iter().map(|p| p.id).collect::<Vec<_>>(),
            [11, 12, 13],
            "oldest first"
        );
        assert_eq!(posts[0].text, "", "a photo-only post has no text");
        let p = &posts[1];
        assert_eq!(
            p.text,
            "Attaque de Djibo ce matin: 12 soldats tués\n\nDétails: lefaso.example (https://lefaso.example/djibo) #Burkina"
        );
        assert_eq!(
            p.published.unwrap().to_rfc3339(),
            "2025-06-02T07:15:00+00:00"
        );
        assert!(!p.edited && p.forwarded.is_none());
        let a = p.article("src", "https://t.me", "t.me/sahel_test", Some("fr"));
        assert_eq!(a.title, "Attaque de Djibo ce matin: 12 soldats tués");
        assert_eq!(a.guid, "sahel_test/12");
        assert_eq!(a.url, "https://t.me/sahel_test/12");
        assert_eq!(a.family, "t.me/sahel_test");

        let f = &posts[2];
        assert!(f.edited);
        assert_eq!(
            f.forwarded.as_ref().unwrap().channel.as_deref(),
            Some("Other_Radio")
        );
        let a = f.article("src", "https://t.me", "t.me/sahel_test", None);
        assert_eq!(
            a.family, "t.me/other_radio",
            "a forward counts for the original"
        );
        assert_eq!(a.url, "https://t.me/Other_Radio/567");
        assert_eq!(a.guid, "sahel_test/13");
    }

    #[test]
    fn replies_and_link_previews_are_not_the_post() {
        let html = page(&[message(
            "c_test/5",
            &text("Nouvelle attaque à Diapaga"),
            &format!(
                r#"<a class="tgme_widget_message_reply" href="https://t.me/c_test/4"><div class="tgme_widget_message_author"><span>Test</span></div>{}</a>"#,
                text("ancien message cité")
            ),
            "",
        )]);
        let posts = parse_page(html.as_bytes(), "c_test").unwrap();
        assert_eq!(posts[0].text, "Nouvelle attaque à Diapaga");
    }

    #[test]
    fn missing_channels_and_other_pages_are_named() {
        let missing = r#"<html><body class="no_transition"><div class="tgme_page_wrap"><div class="tgme_page"><div class="tgme_page_title"><span dir="auto">Nobody</span></div><div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain=nobody_here">@nobody_here</a> right away.</div></div></div></body></html>"#;
        let err = parse_page(missing.as_bytes(), "nobody_here").unwrap_err();
        assert_eq!(
            err.to_string(),
            "telegram channel nobody_here: not found or private (no public preview)"
        );
        assert!(matches!(
            parse_page(b"<html><body>Sorry</body></html>", "x_chan"),
            Err(ChannelError::NotAPreview(_))
        ));
        assert_eq!(parse_page(page(&[]).as_bytes(), "empty").unwrap(), vec![]);
    }

    #[test]
    fn memory_hands_on_new_and_edited_posts_once() {
        let post = |id: u64, text: &str, edited: bool| Post {
            data_post: format!("c_test/{id}"),
            id,
            text: text.into(),
            published: None,
            edited,
            forwarded: None,
        };
        let mut m = ChannelMemory::default();
        let first = m.sift(vec![
            post(1, "a", false),
            post(2, "", false),
            post(3, "c", false),
        ]);
        assert_eq!(first.iter().map(|s| s.post.id).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(m.newest(), Some(3));
        assert!(
            m.sift(vec![post(1, "a", false), post(3, "c", false)])
                .is_empty()
        );
        let again = m.sift(vec![post(3, "c2", true), post(4, "d", false)]);
        assert_eq!(again.len(), 2);
        assert!(again[0].maybe_edit && !again[1].maybe_edit);
        assert!(m.sift(vec![post(3, "c2", true)]).is_empty(), "an edit once");
        assert!(!m.gap_before(5) && m.gap_before(6));
        // A fresh memory (a restart) hands on every post, edited ones for comparison.
        let fresh = ChannelMemory::default().sift(vec![post(3, "c2", true)]);
        assert!(fresh[0].maybe_edit);
    }
}
