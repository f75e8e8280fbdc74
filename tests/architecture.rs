//! Architecture invariants (see ARCHITECTURE.md), checked on the real
//! dependency graph from `cargo metadata`:
//! - the crate graph points one way: model ← sync ← app / server;
//! - the model knows no IO, UI or runtime crates; the sync crate no runtime;
//! - only the app knows Leptos; only the server knows tokio, axum and SQL;
//!
//! and on the sources: no file is included into a crate with a `path`
//! attribute; only pages and the router import a page; a programme module
//! (`src/modules/<m>`) imports no other module, and the shared layers none.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Normal (non-dev, non-build) dependencies: package name → its direct deps,
/// for every platform.
fn graph() -> Graph {
    graph_for(None)
}

/// The same, only for what is built on `platform` (a target triple).
fn graph_for(platform: Option<&str>) -> Graph {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--locked"]);
    if let Some(p) = platform {
        cmd.args(["--filter-platform", p]);
    }
    let out = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let mut graph = BTreeMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let deps = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null())
            })
            .map(|d| names[d["pkg"].as_str().unwrap()].to_owned())
            .collect();
        graph.insert(names[node["id"].as_str().unwrap()].to_owned(), deps);
    }
    graph
}

/// Every package `root` depends on, directly or not.
fn closure(graph: &Graph, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_owned()];
    while let Some(p) = todo.pop() {
        for d in graph.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

fn forbid(graph: &Graph, krate: &str, transitive: bool, banned: &[&str]) {
    let deps = if transitive {
        closure(graph, krate)
    } else {
        graph[krate].clone()
    };
    let bad: Vec<_> = deps
        .iter()
        .filter(|d| {
            banned.iter().any(|b| {
                d.as_str() == *b || (b.ends_with('*') && d.starts_with(b.trim_end_matches('*')))
            })
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{krate} must not depend on {bad:?} (see ARCHITECTURE.md)"
    );
}

const OURS: &[&str] = &[
    "yanzhen",
    "yanzhen-model",
    "yanzhen-sync",
    "yanzhen-server",
    "xtask",
];
const UI: &[&str] = &["leptos*", "tachys", "reactive_graph", "gloo*"];
const RUNTIME: &[&str] = &["tokio*", "axum*", "hyper*", "sqlx*", "mio", "tower*"];
const BROWSER: &[&str] = &["web-sys", "js-sys", "wasm-bindgen"];

#[test]
fn the_model_depends_on_none_of_our_crates_and_no_io() {
    let g = graph();
    forbid(&g, "yanzhen-model", true, OURS);
    forbid(&g, "yanzhen-model", true, UI);
    forbid(&g, "yanzhen-model", true, RUNTIME);
    // automerge itself uses js-sys on wasm32; the model may not, directly.
    forbid(&g, "yanzhen-model", false, BROWSER);
}

#[test]
fn sync_sits_on_the_model_only() {
    let g = graph();
    forbid(
        &g,
        "yanzhen-sync",
        true,
        &["yanzhen", "yanzhen-server", "xtask"],
    );
    forbid(&g, "yanzhen-sync", true, UI);
    forbid(&g, "yanzhen-sync", true, RUNTIME);
    forbid(&g, "yanzhen-sync", false, BROWSER);
}

#[test]
fn the_xlsx_codec_is_pure() {
    // crates/xlsx: bytes in, bytes out; the app is its only user.
    let g = graph();
    forbid(&g, "yanzhen-xlsx", true, OURS);
    forbid(&g, "yanzhen-xlsx", true, UI);
    forbid(&g, "yanzhen-xlsx", true, RUNTIME);
    forbid(&g, "yanzhen-xlsx", false, BROWSER);
    for user in ["yanzhen-model", "yanzhen-sync", "yanzhen-server"] {
        forbid(&g, user, true, &["yanzhen-xlsx"]);
    }
}

#[test]
fn only_the_app_knows_leptos_and_only_the_server_knows_the_runtime() {
    let g = graph();
    forbid(&g, "yanzhen-server", true, &["yanzhen", "xtask"]);
    forbid(&g, "yanzhen-server", true, UI);
    forbid(&g, "yanzhen", true, &["yanzhen-server", "xtask"]);
    // The app ships as wasm: what the browser build pulls in must hold no
    // server runtime (natively, wasm-bindgen-futures lists tokio for
    // threaded wasm only).
    forbid(
        &graph_for(Some("wasm32-unknown-unknown")),
        "yanzhen",
        true,
        RUNTIME,
    );
    assert!(
        g["yanzhen"].contains("leptos"),
        "the app is the Leptos crate"
    );
    assert!(
        g["yanzhen-server"].contains("axum"),
        "the server is the axum crate"
    );
}

#[test]
fn the_checker_sees_a_broken_direction() {
    // The rules above must be able to fail: a graph where the model pulls in
    // leptos through another crate is caught.
    let mut g = BTreeMap::new();
    g.insert(
        "yanzhen-model".to_owned(),
        BTreeSet::from(["helper".to_owned()]),
    );
    g.insert(
        "helper".to_owned(),
        BTreeSet::from(["leptos_dom".to_owned()]),
    );
    let caught = std::panic::catch_unwind(|| forbid(&g, "yanzhen-model", true, UI));
    assert!(caught.is_err());
}

/// Every `.rs` file of the workspace outside `target/` and `fuzz/` (and
/// `node_modules/`), relative to the repository root.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && !["target", "fuzz", "node_modules"].contains(&&*name) {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_is_included_by_path() {
    // Shared test code lives in crates/testkit (a crate with a name), not
    // in files pulled into several crates with the `path` attribute on `mod`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(root, &mut files);
    assert!(files.len() > 50, "found only {} .rs files", files.len());
    let needle = concat!("#[", "path");
    let found: Vec<_> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains(needle))
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(
        found.is_empty(),
        "a `path` attribute includes a file into another crate; use yanzhen-testkit: {found:?}"
    );
}

/// The code of a source file without its comments (`//` to the end of a
/// line), so a doc link naming another module is not an import.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The programme module a file under `src/modules/<name>/` belongs to.
fn module_of(rel: &str) -> Option<&str> {
    rel.strip_prefix("src/modules/")?.split('/').next()
}

/// What is wrong with one app source file (path relative to the root,
/// `/`-separated) under the layout rules of ARCHITECTURE.md:
/// - a page (`src/pages`, `src/modules/*/pages`) is imported only by pages
///   and the router (`src/app.rs`);
/// - a module (`src/modules/<m>`) names no other module: modules meet only
///   through the shared layers (`data`, `ui`, `trail`, …);
/// - the shared layers (everything but `src/modules`, `src/pages` and the
///   router) name no module at all.
fn layout_problems(rel: &str, text: &str) -> Vec<String> {
    let code = code_of(text);
    let mut problems = Vec::new();
    let is_page = rel.starts_with("src/pages/")
        || module_of(rel).is_some_and(|m| rel.starts_with(&format!("src/modules/{m}/pages/")));
    let is_router = rel == "src/app.rs";
    let names_a_page = code.contains("crate::pages::")
        || code.match_indices("crate::modules::").any(|(i, _)| {
            let rest = &code[i + "crate::modules::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            path.split("::").nth(1) == Some("pages")
        });
    if names_a_page && !is_page && !is_router {
        problems.push(format!("{rel} imports a page"));
    }
    for (i, _) in code.match_indices("crate::modules::") {
        let rest = &code[i + "crate::modules::".len()..];
        let target: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        match module_of(rel) {
            Some(own) if own != target => {
                problems.push(format!("module {own} ({rel}) imports module {target}"));
            }
            Some(_) => {}
            None if !is_page && !is_router => {
                problems.push(format!("shared layer {rel} imports module {target}"));
            }
            None => {}
        }
    }
    problems
}

#[test]
fn pages_and_modules_are_imported_only_where_the_layout_allows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 100, "found only {} app files", files.len());
    let problems: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let rel = f
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            layout_problems(&rel, &std::fs::read_to_string(f).unwrap())
        })
        .collect();
    assert!(
        problems.is_empty(),
        "layout rules broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_layout_checker_sees_each_kind_of_breach() {
    let page = "use crate::modules::lead::pages::review::Thing;";
    assert_eq!(
        layout_problems("src/modules/lead/components/x.rs", page).len(),
        1
    );
    assert!(layout_problems("src/modules/lead/pages/other.rs", page).is_empty());
    assert!(layout_problems("src/app.rs", page).is_empty());
    assert_eq!(
        layout_problems("src/ui/x.rs", "use crate::pages::home::HomePage;").len(),
        1
    );
    let other = "use crate::modules::roster::search::roster_rows;";
    assert_eq!(
        layout_problems("src/modules/lead/review/form.rs", other).len(),
        1
    );
    assert!(layout_problems("src/modules/roster/pages/roster.rs", other).is_empty());
    assert_eq!(layout_problems("src/data/x.rs", other).len(), 1);
    assert!(layout_problems("src/pages/home.rs", other).is_empty());
    // A doc link is not an import.
    assert!(layout_problems("src/data/x.rs", "//! see [`crate::modules::roster`]").is_empty());
}

/// The lines of a file's own code: all of it, or up to its unit-test
/// module (`#[cfg(test)]` at the start of a line), which sits beside the
/// code by the project's habit and is not counted.
fn code_lines(text: &str) -> usize {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .count()
}

/// Whether a file may be as long as it is: at most `limit` lines of code,
/// or a `Long file:` note in its doc saying why.
fn length_ok(text: &str, limit: usize) -> bool {
    code_lines(text) <= limit || text.contains("//! Long file:")
}

#[test]
fn no_file_is_over_500_lines_without_a_note_why() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|f| !length_ok(&std::fs::read_to_string(f).unwrap(), 500))
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(
        long.is_empty(),
        "over 500 lines of code without a `//! Long file:` note: {long:?}"
    );
    // The checker itself.
    let long_code = "fn f() {}\n".repeat(501);
    assert!(!length_ok(&long_code, 500));
    assert!(length_ok(
        &format!("//! Long file: one format.\n{long_code}"),
        500
    ));
    let tested = format!(
        "{}#[cfg(test)]\n{}",
        "fn f() {}\n".repeat(400),
        "fn t() {}\n".repeat(400)
    );
    assert!(length_ok(&tested, 500));
}
