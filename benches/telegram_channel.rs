//! Reading a Telegram channel's preview: a 20-post page of about 100 KB (rich posts with
//! photos, link previews and reactions, like a busy news channel's) parsed into posts and
//! articles. 500 channels polled every minute parse 500 such pages a minute: the median here
//! times 500, over 60 s, is the parsing share of one core.
//! On a shared machine the wall-clock median includes time spent waiting for a core, so the CPU
//! time the process used over all runs (from /proc, Linux) is printed beside it.
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
    let cpu0 = common::cpu_seconds();
    let parse = common::median(200, || {
        let posts = parse_page(std::hint::black_box(html.as_bytes()), "sahel_bench").unwrap();
        std::hint::black_box(posts);
    });
    let parse_cpu = (common::cpu_seconds() - cpu0) / 200.0;
    // A whole poll's CPU: parse, sift against the memory, build the articles.
    let cpu0 = common::cpu_seconds();
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
    let poll_cpu = (common::cpu_seconds() - cpu0) / 200.0;
    println!(
        "telegram_channel: page {} KB, 20 posts: parse median {:.3} ms (CPU {:.3} ms), poll (parse+sift+articles) median {:.3} ms (CPU {:.3} ms)",
        html.len() / 1024,
        parse.as_secs_f64() * 1000.0,
        parse_cpu * 1000.0,
        poll.as_secs_f64() * 1000.0,
        poll_cpu * 1000.0,
    );
    let share = |secs: f64| secs * 500.0 / 60.0 * 100.0;
    println!(
        "telegram_channel: 500 channels a minute = {:.2}% of one core by the median, {:.2}% by CPU time",
        share(poll.as_secs_f64()),
        share(poll_cpu)
    );
}
