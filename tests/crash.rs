//! kill -9 in the middle of a fan-out to 200 chats, then a restart: every chat gets the alert, and
//! at most one gets it twice (the send in flight at the crash).

mod support;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use support::server::{self, Reply};
use support::telegram::{Behaviour, FakeTelegram};

const CHATS: i64 = 200;

fn start(config: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["run", "--config", config.to_str().unwrap()])
        .env("SITREP_TEST_TELEGRAM_TOKEN", "77:crash-test")
        .env("SITREP_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_for(fake: &FakeTelegram, n: usize, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    while fake.accepted().len() < n && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn kill_9_during_a_fan_out_loses_nothing() {
    let fake = FakeTelegram::start(Behaviour::default()).await;
    let feed = std::fs::read_to_string("data/demo/rfi.xml").unwrap();
    let (feeds, _) = server::start(Arc::new(move |_| {
        Reply::ok("application/rss+xml", feed.clone())
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut toml = format!(
        "[store]\npath = \"{}\"\n[pipeline]\nmax_article_age = \"100000h\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[source]]\nname = \"rfi\"\nurl = \"{feeds}/rfi.xml\"\ninterval = \"10m\"\n[telegram]\ntoken_env = \"SITREP_TEST_TELEGRAM_TOKEN\"\napi_url = \"{}\"\n",
        dir.path().join("data").display(),
        fake.url
    );
    for n in 1..=CHATS {
        toml.push_str(&format!("[[subscription]]\ntarget = \"telegram:-100{n:07}\"\ncountries = [\"ML\", \"NE\"]\nmin_severity = \"high\"\n"));
    }
    let config = dir.path().join("sitrep.toml");
    std::fs::write(&config, toml).unwrap();

    let mut first = start(&config);
    wait_for(&fake, 60, Duration::from_secs(20)).await;
    first.kill().unwrap(); // SIGKILL: no shutdown, no flush
    first.wait().unwrap();
    let before = fake.accepted().len();
    assert!(
        before >= 60 && before < 2 * CHATS as usize,
        "killed mid-way: {before}"
    );

    let mut second = start(&config);
    // Two incidents of the demo's RFI feed match (Mali and Niger): 400 alerts in all.
    wait_for(&fake, 2 * CHATS as usize, Duration::from_secs(40)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(second.wait().unwrap().code(), Some(0));

    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for (chat, _, _) in fake.accepted() {
        *per_chat.entry(chat).or_default() += 1;
    }
    assert_eq!(per_chat.len(), CHATS as usize, "every chat got its alerts");
    let total: usize = per_chat.values().sum();
    let dups = total - 2 * CHATS as usize;
    assert!(
        per_chat.values().all(|n| *n >= 2),
        "both incidents reached every chat"
    );
    assert!(
        dups <= 1,
        "at most the one send in flight is repeated: {dups} duplicates"
    );
}
