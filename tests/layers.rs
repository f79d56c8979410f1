//! The house rule of DESIGN §9 and of `src/lib.rs`'s `# Layout`: imports run one way, from the
//! stages down to the ground floor, and no files import each other in a circle across modules.
//!
//! Reads every `src/**/*.rs` (test code left out: `tests.rs` files and `#[cfg(test)]` blocks),
//! collects the `crate::…` and `super::…` paths each file names, resolves each to the file that
//! defines it, and checks two things:
//! - **layers**: a module imports only modules of its own layer or of a layer below ([`LAYERS`]),
//!   but for the few upward imports listed, with their reason, in [`UPWARD`];
//! - **no circle**: no set of files that reach each other spans more than one top-level module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers of `src/lib.rs`'s `# Layout`, from the ground up. A module may import any module
/// of a lower layer, and one of its own layer when that makes no circle.
const LAYERS: &[&[&str]] = &[
    &["model", "text", "i18n"],
    &["config", "metrics", "store"],
    &["extract", "incident"],
    &["source"],
    &["pipeline", "route"],
    &["deliver", "map", "sink", "digest"],
    &["command"],
    &["server", "export", "eval", "demo"],
    &["app"],
];

/// Upward imports allowed for now: (importing module, imported module, why). Each one must still
/// be used (the test says when it can be deleted).
const UPWARD: &[(&str, &str, &str)] = &[
    (
        "store",
        "incident",
        "IncidentRecord, MatchKey and fingerprint move to the ground floor with the incident rework",
    ),
    (
        "extract",
        "source",
        "month names (source::dates) are shared with extraction until text helpers share a home",
    ),
    (
        "config",
        "extract",
        "a Telegram channel's `party` is checked against the canonical actor names (extract::actors) until they move to model",
    ),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// A file's module path: `src/deliver/format.rs` → `[deliver, format]`, `src/store/mod.rs` →
/// `[store]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and without `#[cfg(test)]` items.
fn code_only(text: &str) -> String {
    let mut lines = String::new();
    for line in text.lines() {
        let cut = line
            .match_indices("//")
            .find(|(i, _)| *i == 0 || line.as_bytes()[i - 1].is_ascii_whitespace())
            .map_or(line, |(i, _)| &line[..i]);
        lines.push_str(cut);
        lines.push('\n');
    }
    let mut out = String::new();
    let mut rest = lines.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The item ends at its block's closing brace, or at the `;` of `mod tests;`.
        let open = after.find('{');
        let semi = after.find(';');
        let end = match (open, semi) {
            (Some(o), Some(s)) if s < o => s + 1,
            (Some(o), _) => o + closing_brace(&after[o..]),
            (None, Some(s)) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Length of the balanced `{ … }` group `text` starts with.
fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

fn ident_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len())
}

/// The paths named by a path expression starting at `text` (after `crate::`), with `{a, b::c}`
/// groups expanded.
fn paths_at(text: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    let mut rest = text.trim_start();
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..closing_brace(rest) - 2];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        paths_at(&inner[start..i], path.clone(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            paths_at(&inner[start..], path.clone(), out);
            return;
        }
        let n = ident_len(rest);
        if n == 0 {
            break;
        }
        path.push(rest[..n].to_string());
        rest = &rest[n..];
        match rest.strip_prefix("::") {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    if !path.is_empty() {
        out.push(path);
    }
}

/// Every module path a file's code names through `crate::`, `super::` or `self::`.
fn named_paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("::") {
        let before = &code[..i];
        let word_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |p| p + 1);
        let word = &before[word_start..];
        // A path counts from its first segment (`super::super::x` once, from the first `super`).
        let preceded_by_path = before[..word_start].ends_with("::");
        if preceded_by_path {
            continue;
        }
        let base: Vec<String> = match word {
            "crate" => Vec::new(),
            "self" => here.to_vec(),
            "super" => here[..here.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        paths_at(&code[i + 2..], base, &mut out);
    }
    out
}

/// The file that defines the longest prefix of `path`.
fn resolve(files: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|p| files.contains_key(p))
}

struct Graph {
    /// Module path of each file (lib.rs and main.rs left out).
    files: BTreeMap<Vec<String>, PathBuf>,
    /// Module-path edges between files.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    rust_files(&src, &mut all);
    let mut files = BTreeMap::new();
    for f in &all {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if f.parent() == Some(src.as_path()) && (name == "lib.rs" || name == "main.rs") {
            continue;
        }
        if name == "tests.rs" {
            continue;
        }
        files.insert(module_path(&src, f), f.clone());
    }
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (here, file) in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let code = code_only(&text);
        let to = edges.entry(here.clone()).or_default();
        for path in named_paths(&code, here) {
            if let Some(target) = resolve(&files, &path)
                && &target != here
            {
                to.insert(target);
            }
        }
        // A module's file stands on its children (`mod x;` makes them part of it).
        for child in files.keys() {
            if child.len() == here.len() + 1 && child.starts_with(here) {
                to.insert(child.clone());
            }
        }
    }
    Graph { files, edges }
}

fn top(path: &[String]) -> &str {
    &path[0]
}

#[test]
fn every_module_has_a_layer() {
    let g = graph();
    let missing: BTreeSet<&str> = g
        .files
        .keys()
        .map(|p| top(p))
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules with no layer in tests/layers.rs (and src/lib.rs's # Layout): {missing:?}"
    );
}

#[test]
fn imports_run_down_the_layers() {
    let g = graph();
    let mut wrong = Vec::new();
    let mut used = BTreeSet::new();
    for (from, tos) in &g.edges {
        for to in tos {
            let (a, b) = (top(from), top(to));
            let (Some(la), Some(lb)) = (layer_of(a), layer_of(b)) else {
                continue;
            };
            if lb <= la {
                continue;
            }
            match UPWARD.iter().position(|(x, y, _)| *x == a && *y == b) {
                Some(i) => {
                    used.insert(i);
                }
                None => wrong.push(format!("{} imports {}", from.join("::"), to.join("::"))),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports up the layers (see src/lib.rs # Layout):\n{}",
        wrong.join("\n")
    );
    let stale: Vec<String> = UPWARD
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, (a, b, _))| format!("{a} -> {b}"))
        .collect();
    assert!(
        stale.is_empty(),
        "upward imports no longer used: delete them from UPWARD in tests/layers.rs: {stale:?}"
    );
}

#[test]
fn no_import_circle_across_modules() {
    let g = graph();
    let circles: Vec<String> = components(&g.edges)
        .into_iter()
        .filter(|c| c.iter().map(|p| top(p)).collect::<BTreeSet<_>>().len() > 1)
        .map(|c| {
            c.iter()
                .map(|p| p.join("::"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    assert!(
        circles.is_empty(),
        "files importing each other in a circle across modules:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_store_imports_no_stage() {
    let g = graph();
    let allowed = |m: &str| {
        layer_of(m).is_some_and(|l| l <= 1)
            || UPWARD.iter().any(|(a, b, _)| *a == "store" && *b == m)
    };
    let wrong: Vec<String> = g
        .edges
        .iter()
        .filter(|(from, _)| top(from) == "store")
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
        .filter(|(_, to)| !allowed(top(to)))
        .map(|(from, to)| format!("{} imports {}", from.join("::"), to.join("::")))
        .collect();
    assert!(
        wrong.is_empty(),
        "the store imports a stage:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_parser_sees_grouped_and_relative_paths() {
    let here = vec!["deliver".to_string(), "format".to_string()];
    let code = "use crate::store::{Store, records::{Action, Sent}};\nlet x = super::pace::f();";
    let mut paths = named_paths(code, &here);
    paths.sort();
    let want: Vec<Vec<String>> = [
        vec!["deliver", "pace", "f"],
        vec!["store", "Store"],
        vec!["store", "records", "Action"],
        vec!["store", "records", "Sent"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(paths, want);
    let stripped = code_only(
        "use crate::a::B; // crate::c\n#[cfg(test)]\nmod tests {\n use crate::d::E;\n}\n",
    );
    assert!(stripped.contains("crate::a") && !stripped.contains("crate::c"));
    assert!(!stripped.contains("crate::d"));
}

/// Strongly connected components (Tarjan), each as its files.
fn components(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        let next: Vec<&'a Vec<String>> = s
            .edges
            .get(v)
            .map(|e| e.iter().collect())
            .unwrap_or_default();
        for w in next {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}
