//! Extraction speed on the golden corpus (one thread; wall and thread CPU time), gazetteer load
//! time and resident memory.
//! `cargo bench --bench extract`

mod common;

use std::time::Instant;

use chrono::{TimeZone, Utc};
use sitrep::extract::{self, Gazetteer};
use sitrep::model::SourceRef;

fn main() {
    let rss_before = common::rss_mib();
    let t = Instant::now();
    let gaz = Gazetteer::bundled();
    let load = t.elapsed();
    // Build the actor and cue matchers too, so the loop below measures reading only.
    let when = Utc.with_ymd_and_hms(2025, 6, 3, 12, 0, 0).unwrap();
    let source = SourceRef {
        url: String::new(),
        outlet: "bench".into(),
        family: "bench".into(),
        published: Some(when),
        lang: None,
    };
    extract::extract(
        "warm-up",
        "Gunmen killed 3 people in Djibo on Sunday.",
        when,
        when,
        None,
        source.clone(),
        gaz,
    );
    let rss_loaded = common::rss_mib();

    let mut articles = Vec::new();
    for entry in std::fs::read_dir("tests/fixtures/articles").expect("golden corpus") {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            let (title, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            articles.push((title.to_string(), body.to_string()));
        }
    }
    let seed = std::fs::read_to_string("tests/fixtures/seed/jnim-boulikessi-timbuktu.txt").unwrap();
    let (st, sb) = seed.split_once('\n').unwrap();
    articles.push((st.to_string(), sb.to_string()));

    // Half the corpus is read cold, the other half after the warm-up corpus, both for the first
    // time; then the whole corpus again and again.
    let (cold, warm): (Vec<_>, Vec<_>) = articles.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let read = |set: &[(usize, &(String, String))]| {
        for (_, (title, body)) in set {
            let x = extract::extract(title, body, when, when, None, source.clone(), gaz);
            std::hint::black_box(x);
        }
    };
    let (cold_pass, cold_cpu) = common::median_with_cpu(1, || read(&cold));
    let warm_up = common::ecbplus_documents();
    for (title, body) in &warm_up {
        std::hint::black_box(extract::extract(
            title,
            body,
            when,
            when,
            None,
            source.clone(),
            gaz,
        ));
    }
    let (warm_pass, warm_cpu) = common::median_with_cpu(1, || read(&warm));
    let mut pass = || {
        for (title, body) in &articles {
            let x = extract::extract(title, body, when, when, None, source.clone(), gaz);
            std::hint::black_box(x);
        }
    };
    let (per_pass, cpu_pass) = common::median_with_cpu(15, &mut pass);
    let per_article = per_pass / articles.len() as u32;
    println!(
        "gazetteer: {} places, load {:.1} ms",
        gaz.len(),
        load.as_secs_f64() * 1e3
    );
    println!("resident memory: {rss_before:.1} MiB before load, {rss_loaded:.1} MiB after");
    println!(
        "extract: {} articles, median pass {:.1} ms, {:.0} µs/article, {:.0} articles/s (one thread)",
        articles.len(),
        per_pass.as_secs_f64() * 1e3,
        per_article.as_secs_f64() * 1e6,
        articles.len() as f64 / per_pass.as_secs_f64()
    );
    // A lazy DFA builds states for text it has not met: a cold process pays for them on its first
    // items; a process that has read for a while meets new text with most states built.
    let rate = |n: usize, d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!(
        "extract, new text, cold process ({} articles): {:.0} articles/s ({:.0} per CPU-second)",
        cold.len(),
        rate(cold.len(), cold_pass),
        rate(cold.len(), cold_cpu)
    );
    println!(
        "extract, new text after {} ECB+ documents ({} articles): {:.0} articles/s ({:.0} per \
         CPU-second)",
        warm_up.len(),
        warm.len(),
        rate(warm.len(), warm_pass),
        rate(warm.len(), warm_cpu)
    );
    // On a loaded machine wall time counts other processes' turns; the thread's CPU time does not.
    println!(
        "extract CPU: median pass {:.1} ms, {:.0} articles per CPU-second",
        cpu_pass.as_secs_f64() * 1e3,
        articles.len() as f64 / cpu_pass.as_secs_f64()
    );
}
