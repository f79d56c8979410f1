//! Reading a Telegram channel's preview: a 20-post page of about 100 KB (rich posts with
//! photos, link previews and reactions, like a busy news channel's) parsed into posts and
//! articles. 500 channels polled every minute parse 500 such pages a minute: the median here
//! times 500, over 60 s, is the parsing share of one core.
//! `cargo bench --bench telegram_channel`.

mod common;

#[path = "../tests/support/preview.rs"]
mod preview;

use sitrep::incident::grade::Standing;
use sitrep::source::telegram_channel::{ChannelMemory, parse_page, post_standing};

fn main() {
    let html = preview::busy_page("sahel_bench", 5000, 20);
    let posts = parse_page(html.as_bytes(), "sahel_bench").unwrap();
    assert_eq!(posts.len(), 20);
    let parse = common::median(200, || {
        let posts = parse_page(std::hint::black_box(html.as_bytes()), "sahel_bench").unwrap();
        std::hint::black_box(posts);
    });
    // A whole poll's CPU: parse, sift against the memory, build the articles.
    let poll = common::median(200, || {
        let mut memory = ChannelMemory::default();
        let posts = parse_page(std::hint::black_box(html.as_bytes()), "sahel_bench").unwrap();
        let articles: Vec<_> = memory
            .sift(posts)
            .into_iter()
            .map(|s| {
                let standing = post_standing(&s.post, &Standing::Unvetted);
                (
                    s.post
                        .article("bench", "https://t.me", "t.me/sahel_bench", Some("fr")),
                    standing,
                )
            })
            .collect();
        std::hint::black_box(articles);
    });
    let share = poll.as_secs_f64() * 500.0 / 60.0 * 100.0;
    println!(
        "telegram_channel: page {} KB, 20 posts: parse median {:.3} ms, poll (parse+sift+articles) median {:.3} ms",
        html.len() / 1024,
        parse.as_secs_f64() * 1000.0,
        poll.as_secs_f64() * 1000.0
    );
    println!("telegram_channel: 500 channels a minute = {share:.2}% of one core for parsing");
}
