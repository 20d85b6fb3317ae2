//! The tenant's modules import each other without a circle, so that each can be read alone:
//! every `crate::…` and `super::…` path in a file (outside its `#[cfg(test)]` module) is an
//! edge to the module file it names, and the graph of those edges must have no cycle.
//!
//! `cargo test -p passwordless-tenant --test module_graph -- --nocapture` prints the edges;
//! `MODULE_GRAPH_SRC=DIR` checks another source tree (an older checkout, say).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`mfa::session`; `""` for the crate root) of every file under `src`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable src dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let name = parts.join("::");
            if name == "main" {
                continue; // the binary is its own crate
            }
            found.insert(if name == "lib" { String::new() } else { name }, path);
        }
    }
    found
}

/// The file's text without its `#[cfg(test)]` module (whose `super` is the file itself).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Every path that starts with `crate::` or `super::`, braces of `use` lists expanded.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for start in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(start) {
            let before = rest[..at].chars().last();
            rest = &rest[at..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let mut path = rest[..end].to_owned();
            if rest[end..].starts_with('{') {
                // `crate::a::{b, c::d, self}`: one path per item.
                let close = rest.find('}').unwrap_or(rest.len());
                let prefix = path.trim_end_matches(':').to_owned();
                for item in rest[end + 1..close].split(',') {
                    let item = item.split_whitespace().next().unwrap_or("");
                    match item.trim_start_matches('{') {
                        "" | "self" => out.push(prefix.clone()),
                        item => out.push(format!("{prefix}::{item}")),
                    }
                }
                path.clear();
            }
            let part_of_identifier = before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if !path.is_empty() && !part_of_identifier {
                out.push(path.trim_end_matches(':').to_owned());
            }
            rest = &rest[start.len()..];
        }
    }
    out
}

/// The file's own submodules that it names without `crate::` or `super::` (`session::login`
/// in `mfa/mod.rs`).
fn children_named(code: &str, module: &str, known: &BTreeMap<String, PathBuf>) -> Vec<String> {
    let mut out = Vec::new();
    let mut previous = ' ';
    let mut word = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            if word.is_empty() && (previous == ':' || previous.is_alphanumeric()) {
                previous = c;
                while chars
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_')
                {
                    chars.next();
                }
                continue;
            }
            word.push(c);
        } else {
            if c == ':' && chars.peek() == Some(&':') && !word.is_empty() {
                let child = if module.is_empty() {
                    word.clone()
                } else {
                    format!("{module}::{word}")
                };
                if known.contains_key(&child) {
                    out.push(child);
                }
            }
            word.clear();
            previous = c;
        }
    }
    out
}

/// The module a path names: its longest prefix that is a module file.
fn resolve(path: &str, from: &str, known: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut words = path.split("::").peekable();
    match words.next()? {
        "crate" => {}
        "super" => {
            parts.extend(from.split("::").filter(|p| !p.is_empty()));
            parts.pop();
            while words.peek() == Some(&"super") {
                words.next();
                parts.pop();
            }
        }
        _ => return None,
    }
    parts.extend(words);
    (0..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| known.contains_key(candidate))
}

fn edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    let mut graph = BTreeMap::new();
    for (module, file) in &known {
        let code = code_of(file);
        let mut targets: BTreeSet<String> = paths(&code)
            .iter()
            .filter_map(|p| resolve(p, module, &known))
            .collect();
        targets.extend(children_named(&code, module, &known));
        targets.remove(module);
        graph.insert(module.clone(), targets);
    }
    graph
}

/// One cycle of `graph`, if it has any (depth-first search).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn name(module: &str) -> &str {
    if module.is_empty() {
        "lib"
    } else {
        module
    }
}

#[test]
fn no_module_imports_itself_through_others() {
    let src = std::env::var_os("MODULE_GRAPH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let graph = edges(&src);
    for (module, targets) in &graph {
        let targets: Vec<&str> = targets.iter().map(|t| name(t)).collect();
        println!("{} -> {}", name(module), targets.join(", "));
    }
    assert!(graph.len() > 10, "the source tree was found: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        let cycle: Vec<&str> = cycle.iter().map(|m| name(m)).collect();
        panic!("import circle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_checker_sees_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("codes", &["config"][..]),
        ("config", &["mfa"]),
        ("mfa", &["tokens"]),
        ("tokens", &["codes"]),
        ("leaf", &[]),
    ]
    .into_iter()
    .map(|(m, t)| (m.to_owned(), t.iter().map(|s| (*s).to_owned()).collect()))
    .collect();
    let cycle = find_cycle(&graph).expect("a cycle");
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 5);
}

#[test]
fn paths_resolve_to_module_files() {
    let known: BTreeMap<String, PathBuf> = ["", "mfa", "mfa::session", "tokens"]
        .into_iter()
        .map(|m| (m.to_owned(), PathBuf::new()))
        .collect();
    let found: Vec<String> =
        paths("use crate::mfa::{self, session::TokenCheck};\nuse super::Tenant; x = crate::tokens::issue(); ");
    assert_eq!(
        found,
        [
            "crate::mfa",
            "crate::mfa::session::TokenCheck",
            "crate::tokens::issue",
            "super::Tenant"
        ]
    );
    assert_eq!(
        resolve("crate::mfa::session::TokenCheck", "", &known).as_deref(),
        Some("mfa::session")
    );
    assert_eq!(resolve("super::Tenant", "mfa", &known).as_deref(), Some(""));
    assert_eq!(
        resolve("crate::Tenant", "tokens", &known).as_deref(),
        Some("")
    );
}
