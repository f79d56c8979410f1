//! The 92 real-world feed files of tests/fixtures/feeds (credits in tests/fixtures/feeds/NOTICE.md):
//! every one parses or fails with one clear line, never a panic; seven are not feeds and must
//! fail; concrete fields are checked on the messy ones.

use std::path::{Path, PathBuf};

use sitrep::model::Article;
use sitrep::source::read_feed_file;

const DIR: &str = "tests/fixtures/feeds";

/// The files that are not feeds at all.
const NOT_FEEDS: [&str; 7] = [
    "feed-rs/xml/xml_iso8859.xml",
    "feed-rs/xml/xml_sample_1.xml",
    "feed-rs/xml/xml_sample_2.xml",
    "gofeed/json__invalid__invalid.json",
    "gofeed/universal__invalid.json",
    "gofeed/universal__empty_feed.xml",
    "gofeed/universal__unknown_feed.xml",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.file_name().is_some_and(|n| n != "NOTICE.md") {
            out.push(p);
        }
    }
}

fn parse(rel: &str) -> Vec<Article> {
    read_feed_file(&Path::new(DIR).join(rel), "fixture").unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_real_feed_parses_or_fails_with_one_line() {
    let mut files = Vec::new();
    walk(Path::new(DIR), &mut files);
    files.sort();
    assert_eq!(files.len(), 92);
    let mut parsed = 0;
    for f in &files {
        let rel = f
            .strip_prefix(DIR)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        match read_feed_file(f, "fixture") {
            Ok(_) => {
                assert!(
                    !NOT_FEEDS.contains(&rel.as_str()),
                    "{rel} is not a feed but parsed"
                );
                parsed += 1;
            }
            Err(e) => {
                assert!(NOT_FEEDS.contains(&rel.as_str()), "{rel} failed: {e}");
                let msg = e.to_string();
                assert!(!msg.contains('\n') && msg.contains(&rel), "{msg}");
            }
        }
    }
    assert_eq!(parsed, 85);
}

#[test]
fn windows_1251_is_decoded() {
    let items = parse("rss-crate/pikabu.xml");
    assert_eq!(items.len(), 40);
    assert_eq!(items[0].title, "Будни Кошкиного Дома");
    assert_eq!(
        items[0].url,
        "https://pikabu.ru/story/budni_koshkinogo_doma_7498334"
    );
    assert_eq!(
        items[0].published.unwrap().to_rfc3339(),
        "2020-06-04T20:18:53+00:00"
    );
}

#[test]
fn iso_8859_1_is_decoded() {
    let items = parse("feed-rs/rss1/rss_1.0_iso8859.xml");
    assert!(
        items[0]
            .title
            .starts_with("Digitalministerium: Neue Glasfaserförderung"),
        "{}",
        items[0].title
    );
    assert!(
        items[0]
            .text
            .starts_with("Ab April soll es wieder Förderung")
    );
    let items = parse("feed-rs/rss0/rss_0.91_encoding_1.xml");
    assert_eq!(items[0].title, "bash - Expansão de Parâmetros");
}

#[test]
fn missing_guid_falls_back_to_a_stable_hash() {
    let items = parse("feed-rs/rss0/rss_0.91_missing_id.xml");
    assert!(items[0].guid.starts_with("hash:"), "{}", items[0].guid);
    assert_eq!(
        items[0].guid,
        parse("feed-rs/rss0/rss_0.91_missing_id.xml")[0].guid
    );
    assert!(items[0].title.starts_with("Oferta de Empleo Público"));
}

#[test]
fn relative_links_resolve() {
    let items = parse("feed-rs/atom/atom_relative.xml");
    assert_eq!(items[0].url, "https://example.com/blog/2003/12/13/atom03");
    assert_eq!(items[0].text, "Some text.");
    let items = parse("feed-rs/rss2/rss_2.0_relurl_2.xml");
    assert_eq!(items[0].url, "https://kryogenix.org/nothing-here-really");
    let items = parse("feed-rs/atom/atom_xml_base.xml");
    assert_eq!(items[0].url, "https://numi.st/post/2022/travel-uke");
}

#[test]
fn double_encoded_utf8_is_repaired() {
    let items = parse("misc/monitorss_nyt_us_2022_mojibake.xml");
    assert_eq!(items.len(), 20);
    assert!(
        items[0].title.starts_with("A Kennedy’s Crusade"),
        "{}",
        items[0].title
    );
    assert!(
        items
            .iter()
            .all(|a| !a.title.contains("â€") && !a.text.contains("â€"))
    );
}

#[test]
fn truncated_document_parses() {
    // Cut off mid-render by the server: the channel parses, no item arrived whole.
    assert!(parse("feed-rs/rss2/rss_2.0_invalid_1.xml").is_empty());
}

#[test]
fn json_feed_with_bare_version() {
    let items = parse("gofeed/json__version_json_10.json");
    assert_eq!(items[0].title, "title");
    assert_eq!(items[0].url, "https://sample-json-feed.com/id");
    assert_eq!(
        items[0].published.unwrap().to_rfc3339(),
        "2019-10-12T07:20:50.520+00:00"
    );
}

#[test]
fn rss_090_and_1_0() {
    let items = parse("rss-crate/rss090.xml");
    assert_eq!(items.len(), 5);
    assert_eq!(items[0].title, "New Status Updates");
    assert_eq!(items[0].url, "http://www.mozilla.org/status/");
    let items = parse("rss-crate/rss1.xml");
    assert_eq!(items[0].title, "Processing Inclusions with XSLT");
}

#[test]
fn bom_and_leading_whitespace_parse() {
    parse("gofeed/universal__rss_feed_bom.xml");
    parse("gofeed/universal__rss_feed_leading_spaces.xml");
}

#[test]
fn rss2_sample_fields() {
    let items = parse("rss-crate/rss2sample.xml");
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].title, "Star City");
    assert_eq!(
        items[0].published.unwrap().to_rfc3339(),
        "2003-06-03T09:39:21+00:00"
    );
    assert!(items[0].text.contains("Russia's Star City"));
    // An item without a title keeps its link and text.
    assert_eq!(items[1].title, "");
    assert!(items[1].text.starts_with("Sky watchers in Europe"));
}

#[test]
fn html_in_titles_becomes_text() {
    let items = parse("misc/monitorss_e2e_test_feed.xml");
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].title, "Test Article 1");
    assert_eq!(
        items[0].published.unwrap().to_rfc3339(),
        "2024-01-04T00:00:00+00:00"
    );
}
