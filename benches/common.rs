//! Shared helpers of the benchmarks: medians and resident memory.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Runs `f` `runs` times and returns the median duration.
pub fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Resident set size of this process in MiB (Linux), 0 elsewhere.
pub fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// CPU time this thread has run, in nanoseconds (Linux's schedstat; 0 elsewhere): unlike wall
/// time, it leaves out the time other processes of a busy machine held the CPU.
pub fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs `f` `runs` times and returns the median of its wall and thread CPU durations.
pub fn median_with_cpu<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        f();
        wall.push(t.elapsed());
        cpu.push(Duration::from_nanos(thread_cpu_ns().saturating_sub(c)));
    }
    wall.sort();
    cpu.sort();
    (wall[runs / 2], cpu[runs / 2])
}

/// User + system CPU seconds of this process so far (Linux; 0 elsewhere).
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, in clock ticks of 1/100 s on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// ECB+'s 982 English news documents as (title, body), from `../shared` (CC BY 3.0; never copied
/// into the repository), or none when the file is absent. The benchmarks read them before timing
/// "new text on a warm process": a deployment has read thousands of items before the one that
/// arrives, and its matchers' lazy DFAs hold the states that text built.
pub fn ecbplus_documents() -> Vec<(String, String)> {
    let path = "../shared/data/clustering/ecbplus_documents.jsonl";
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("({path} not found: no warm-up corpus)");
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let text = v.get("text")?.as_str()?;
            let (title, body) = text.split_once('\n').unwrap_or((text, ""));
            Some((title.to_string(), body.to_string()))
        })
        .collect()
}
