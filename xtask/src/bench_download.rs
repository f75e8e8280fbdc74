//! The app download and the start on a low-end tablet (`cargo xtask bench`,
//! sections 2 and 8; `cargo xtask bench download` runs only these and
//! merges them into the last full run's figures, like `bench city`).
//!
//! Measured against the app as our server serves it (`--assets` with the
//! precompressed `.br`/`.gz` siblings of [`build::precompress`]) in headless
//! Chromium on a fresh profile, driven by `bench/download.mjs` through
//! ChromeDriver:
//! - **first-paint download**: bytes on the wire (resource timing
//!   `transferSize` of the navigation and every resource that ended before
//!   the home screen's mark `yanzhen:home-painted`; /api and /sync left out);
//! - **install download**: every path the service worker precaches (the
//!   `ASSETS` list stamped into `dist/sw.js`) plus `sw.js`, as the server
//!   sends them for `Accept-Encoding: br, gzip`, each also raw / gzip /
//!   brotli; one row per `.wasm` (the main module and every chunk);
//! - **start**: navigation start → home painted (installed, not enrolled:
//!   the shell alone) and → dashboard painted with the demo district (the
//!   cold-open marks), median of 5, with the CPU unthrottled and throttled
//!   4× (DevTools `Emulation.setCPUThrottlingRate`).

use anyhow::{Context as _, Result, bail};
use std::path::Path;

use super::bench::add_figure;
use super::build::{self, Sizes};
use super::cold_open::{RUNS, median, run_driver};

/// The report section of the download figures.
pub const SECTION: &str = "2. App download";
/// The report section of the start figures.
pub const START_SECTION: &str = "8. Start on a low-end tablet";
/// Targets, KB (1000 bytes) as served.
const FIRST_PAINT_MAX_KB: f64 = 800.0;
const INSTALL_MAX_KB: f64 = 1600.0;
const CHUNK_MAX_KB: f64 = 400.0;
/// The CPU throttling rate of a low-end tablet.
const SLOW: &str = "4";

/// `cargo xtask bench download`: builds the server, the load generator and
/// the app, measures sections 2 and 8 and rewrites the report with every
/// other figure of the last full run.
pub fn bench_download(root: &Path) -> Result<()> {
    super::bench_partial::app_sections(root, "download", &[SECTION, START_SECTION], |r| {
        super::bench::size_figures(&r.loadgen, &r.dist, &r.figures)?;
        run(
            &r.bench_dir,
            &r.dist,
            &r.sizes,
            &r.server,
            &r.out,
            &r.loadgen,
            &r.figures,
        )
    })
}

/// The paths the service worker precaches: the `ASSETS` array stamped into
/// `sw.js` (relative to the app's root).
pub fn precached(sw: &str) -> Result<Vec<String>> {
    let start = sw
        .find("const ASSETS")
        .and_then(|i| sw[i..].find('[').map(|j| i + j))
        .context("no `const ASSETS = [` in sw.js")?;
    let end = sw[start..]
        .find("];")
        .map(|j| start + j + 1)
        .context("no end of ASSETS in sw.js")?;
    let list: Vec<String> = serde_json::from_str(&sw[start..end])
        .context("ASSETS in sw.js is not a list of strings")?;
    if list.iter().any(|p| p == "__YANZHEN_ASSETS__") {
        bail!("sw.js is not stamped by the build (ASSETS is still a placeholder)");
    }
    Ok(list)
}

/// The main module: the `.wasm` that `index.html` names, else the largest
/// one fetched for the first paint.
fn main_module(index_html: &str, wasm: &[&Sizes], first_paint: &[String]) -> Option<String> {
    let name = |rel: &str| rel.rsplit('/').next().unwrap_or(rel).to_owned();
    wasm.iter()
        .find(|s| index_html.contains(&name(&s.rel)))
        .or_else(|| {
            wasm.iter()
                .filter(|s| first_paint.iter().any(|p| p.ends_with(&name(&s.rel))))
                .max_by_key(|s| s.served())
        })
        .map(|s| s.rel.clone())
}

fn kb(bytes: f64) -> f64 {
    bytes / 1000.0
}

/// Runs `bench/download.mjs` against `dist` (already precompressed, its
/// `sizes`) served by `server` and adds the figures of sections 2 and 8.
pub fn run(
    bench_dir: &Path,
    dist: &Path,
    sizes: &[Sizes],
    server: &Path,
    out: &Path,
    loadgen: &Path,
    figures: &Path,
) -> Result<()> {
    build::print_sizes(sizes);
    let sw = std::fs::read_to_string(dist.join("sw.js")).context("reading dist/sw.js")?;
    let assets = precached(&sw)?;
    let result = run_driver(
        "download",
        bench_dir,
        server,
        dist,
        out,
        &[format!("--assets={}", serde_json::to_string(&assets)?)],
    )?;
    let index = std::fs::read_to_string(dist.join("index.html")).context("reading index.html")?;
    add_rows(
        &download_rows(&index, sizes, &assets, &result)?,
        loadgen,
        figures,
    )?;
    start_figures(&result, loadgen, figures)
}

/// One figure: `loadgen add`'s options and their values.
type Row = Vec<(&'static str, String)>;

/// Section 2: first paint, install, one row per `.wasm`; `index_html` is
/// the built `index.html`, `result` the driver's JSON.
fn download_rows(
    index_html: &str,
    sizes: &[Sizes],
    assets: &[String],
    result: &serde_json::Value,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    let fp = &result["first_paint"];
    let files = fp["files"].as_array().context("no first-paint files")?;
    let transfer = |e: &serde_json::Value| e["transfer"].as_f64().unwrap_or(0.0);
    let first_paint: f64 = files.iter().map(transfer).sum();
    let first_paint_paths: Vec<String> = files
        .iter()
        .filter_map(|e| e["path"].as_str().map(str::to_owned))
        .collect();
    let list = |files: &[serde_json::Value]| {
        files
            .iter()
            .map(|e| {
                format!(
                    "{} {:.1}",
                    e["path"].as_str().unwrap_or("?"),
                    kb(transfer(e))
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let after = fp["after"].as_array().map_or(&[][..], Vec::as_slice);
    let after = if after.is_empty() {
        "nothing fetched after it".to_owned()
    } else {
        format!("fetched after it: {} KB", list(after))
    };
    out.push(vec![
        ("section", SECTION.to_owned()),
        (
            "name",
            "first visit: download until the home screen is painted".to_owned(),
        ),
        ("unit", "KB".to_owned()),
        ("ours", format!("{:.1}", kb(first_paint))),
        ("max", FIRST_PAINT_MAX_KB.to_string()),
        (
            "note",
            format!(
                "KB = 1000 bytes on the wire, as served (brotli): fresh profile in headless Chromium, resource timing transferSize (headers + body) of the navigation and every resource that ended before yanzhen:home-painted ({:.0} ms); /api and /sync left out; {} files: {} KB; {after}; the service worker's precache fetches run meanwhile and are counted in the install download",
                fp["painted"].as_f64().unwrap_or(f64::NAN),
                files.len(),
                list(files)
            ),
        ),
    ]);

    // Install: the precached set as served.
    let install = result["install"].as_array().context("no install sizes")?;
    let served_of = |path: &str| {
        install
            .iter()
            .find(|e| e["path"] == path)
            .and_then(|e| e["bytes"].as_f64())
    };
    let sized = |path: &str| sizes.iter().find(|s| s.rel == path);
    let mut total = 0.0;
    let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
    let mut rows = Vec::new();
    for path in assets.iter().map(String::as_str).chain(["sw.js"]) {
        let served = served_of(path).with_context(|| format!("{path} was not fetched"))?;
        total += served;
        let s = sized(path).with_context(|| format!("{path} is not in dist"))?;
        raw += s.raw;
        gzip += s.gzip.unwrap_or(s.raw);
        brotli += s.brotli.unwrap_or(s.raw);
        let opt = |x: Option<usize>| x.map_or("–".to_owned(), |b| format!("{:.1}", kb(b as f64)));
        rows.push(format!(
            "{path} {:.1} / {} / {} / {:.1}",
            kb(s.raw as f64),
            opt(s.gzip),
            opt(s.brotli),
            kb(served)
        ));
    }
    let cached = result["cached"]["paths"].as_array().map_or(0, Vec::len);
    out.push(vec![
        ("section", SECTION.to_owned()),
        (
            "name",
            "install: everything the service worker precaches".to_owned(),
        ),
        ("unit", "KB".to_owned()),
        ("ours", format!("{:.1}", kb(total))),
        ("max", INSTALL_MAX_KB.to_string()),
        (
            "note",
            format!(
                "KB = 1000 bytes; body bytes the server sends for Accept-Encoding: br, gzip, for the {} paths of ASSETS in dist/sw.js plus sw.js (the browser's cache held {cached} after install); total raw / gzip / brotli {:.1} / {:.1} / {:.1}; per file raw / gzip / brotli / served: {}",
                assets.len(),
                kb(raw as f64),
                kb(gzip as f64),
                kb(brotli as f64),
                rows.join("; ")
            ),
        ),
    ]);

    // One row per wasm module.
    let wasm: Vec<&Sizes> = sizes
        .iter()
        .filter(|s| s.rel.ends_with(".wasm") && assets.contains(&s.rel))
        .collect();
    let main = main_module(index_html, &wasm, &first_paint_paths);
    for s in &wasm {
        let is_main = main.as_deref() == Some(s.rel.as_str());
        let served = served_of(&s.rel).unwrap_or(s.served() as f64);
        let kind = if is_main {
            "main module"
        } else {
            "module chunk"
        };
        let fetched = if first_paint_paths.iter().any(|p| p.ends_with(&s.rel)) {
            "fetched for"
        } else {
            "not fetched for"
        };
        let mut row = vec![
            ("section", SECTION.to_owned()),
            ("name", format!("{kind} {}: as served", s.rel)),
            ("unit", "KB".to_owned()),
            ("ours", format!("{:.1}", kb(served))),
            (
                "note",
                format!(
                    "raw / gzip / brotli KB: {:.1} / {:.1} / {:.1}; {fetched} the first paint",
                    kb(s.raw as f64),
                    kb(s.gzip.unwrap_or(s.raw) as f64),
                    kb(s.brotli.unwrap_or(s.raw) as f64),
                ),
            ),
        ];
        if !is_main {
            row.push(("max", CHUNK_MAX_KB.to_string()));
        }
        out.push(row);
    }
    Ok(out)
}

/// `loadgen add` of each row.
fn add_rows(rows: &[Row], loadgen: &Path, figures: &Path) -> Result<()> {
    for row in rows {
        let fields: Vec<(&str, &str)> = row.iter().map(|(k, v)| (*k, v.as_str())).collect();
        add_figure(loadgen, figures, &fields)?;
    }
    Ok(())
}

/// Section 8: shell-only and whole-app start, unthrottled and throttled.
fn start_figures(result: &serde_json::Value, loadgen: &Path, figures: &Path) -> Result<()> {
    let pick = |kind: &str, rate: &str, key: &str| -> Vec<f64> {
        result[kind][rate]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r[key].as_f64()).collect())
            .unwrap_or_default()
    };
    let runs = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (kind, what) in [
        (
            "shell",
            "shell only: navigation start → home screen painted (installed, not enrolled)",
        ),
        (
            "whole",
            "whole app: navigation start → dashboard painted with the demo district",
        ),
    ] {
        for rate in ["1", SLOW] {
            let ms = pick(kind, rate, "ms");
            let started = pick(kind, rate, "started");
            let busy = pick(kind, rate, "busy");
            if ms.len() != RUNS {
                bail!("the download driver returned incomplete {kind} runs: {result}");
            }
            let name = if rate == "1" {
                what.to_owned()
            } else {
                format!("{what}, CPU throttled {rate}×")
            };
            let how = if kind == "shell" {
                "the service worker serves the app; until yanzhen:home-painted"
            } else {
                "enrolled, documents in IndexedDB: app-started, plus PIN accepted (yanzhen:unlocked) → yanzhen:dashboard-painted, as in section 3"
            };
            let note = format!(
                "median of {RUNS} fresh page loads in headless Chromium, CPU throttling rate {rate} (Emulation.setCPUThrottlingRate); {how}; runs: {} ms; of which code running (yanzhen:app-started): median {:.0} ms; a fixed busy loop in the page took {:.0} ms (median)",
                runs(&ms),
                median(started),
                median(busy)
            );
            add_figure(
                loadgen,
                figures,
                &[
                    ("section", START_SECTION),
                    ("name", &name),
                    ("unit", "ms"),
                    ("ours", &format!("{:.0}", median(ms))),
                    ("note", &note),
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_stamped_precache_list() {
        let sw = "const BUILD = \"ab12\";\nconst ASSETS = [\"boot.js\",\"index.html\",\"yanzhen-1_bg.wasm\"];\nconst CACHE = 1;";
        assert_eq!(
            precached(sw).unwrap(),
            ["boot.js", "index.html", "yanzhen-1_bg.wasm"]
        );
        assert!(precached("const ASSETS = [\"__YANZHEN_ASSETS__\"];").is_err());
        assert!(precached("const X = 1;").is_err());
    }

    #[test]
    fn a_split_build_gets_a_row_per_chunk_judged_against_its_target() {
        let s = |rel: &str, raw, brotli| Sizes {
            rel: rel.into(),
            raw,
            gzip: Some(raw / 2),
            brotli: Some(brotli),
        };
        let sizes = [
            s("index.html", 1_000, 400),
            s("sw.js", 6_000, 2_000),
            s("yanzhen-1_bg.wasm", 2_000_000, 500_000),
            s("dashboard-2.wasm", 1_500_000, 450_000),
            s("excel-3.wasm", 300_000, 90_000),
        ];
        let assets: Vec<String> = [
            "index.html",
            "yanzhen-1_bg.wasm",
            "dashboard-2.wasm",
            "excel-3.wasm",
        ]
        .map(String::from)
        .to_vec();
        let result = serde_json::json!({
            "first_paint": { "painted": 300.0, "after": [{ "path": "/excel-3.wasm", "transfer": 90_300.0 }], "files": [
                { "path": "/", "transfer": 700.0 },
                { "path": "/yanzhen-1_bg.wasm", "transfer": 500_300.0 },
            ]},
            "cached": { "paths": ["/index.html", "/yanzhen-1_bg.wasm", "/dashboard-2.wasm", "/excel-3.wasm"] },
            "install": [
                { "path": "index.html", "bytes": 400 },
                { "path": "yanzhen-1_bg.wasm", "bytes": 500_000 },
                { "path": "dashboard-2.wasm", "bytes": 450_000 },
                { "path": "excel-3.wasm", "bytes": 90_000 },
                { "path": "sw.js", "bytes": 2_000 },
            ],
        });
        let rows = download_rows(
            "<script data-wasm=\"/yanzhen-1_bg.wasm\">",
            &sizes,
            &assets,
            &result,
        )
        .unwrap();
        let get =
            |row: &Row, key: &str| row.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        let summary: Vec<(String, String, Option<String>)> = rows
            .iter()
            .map(|r| {
                (
                    get(r, "name").unwrap(),
                    get(r, "ours").unwrap(),
                    get(r, "max"),
                )
            })
            .collect();
        let named = |name: &str, ours: &str, max: Option<&str>| {
            (name.to_owned(), ours.to_owned(), max.map(str::to_owned))
        };
        assert_eq!(
            summary,
            [
                named(
                    "first visit: download until the home screen is painted",
                    "501.0",
                    Some("800")
                ),
                named(
                    "install: everything the service worker precaches",
                    "1042.4",
                    Some("1600")
                ),
                named("main module yanzhen-1_bg.wasm: as served", "500.0", None),
                named(
                    "module chunk dashboard-2.wasm: as served",
                    "450.0",
                    Some("400")
                ),
                named("module chunk excel-3.wasm: as served", "90.0", Some("400")),
            ]
        );
        assert!(get(&rows[0], "note").unwrap().contains(
            "2 files: / 0.7, /yanzhen-1_bg.wasm 500.3 KB; fetched after it: /excel-3.wasm 90.3 KB"
        ));
        // A precached file the server did not send is an error, not a 0.
        let mut short = result.clone();
        short["install"].as_array_mut().unwrap().pop();
        assert!(download_rows("", &sizes, &assets, &short).is_err());
    }

    #[test]
    fn the_main_module_is_the_one_index_html_names() {
        let s = |rel: &str, raw| Sizes {
            rel: rel.into(),
            raw,
            gzip: None,
            brotli: None,
        };
        let (a, b) = (s("yanzhen-1_bg.wasm", 10), s("chunks/dash.wasm", 20));
        let wasm = [&a, &b];
        assert_eq!(
            main_module("data-wasm=\"/yanzhen-1_bg.wasm\"", &wasm, &[]).as_deref(),
            Some("yanzhen-1_bg.wasm")
        );
        let fetched = ["/chunks/dash.wasm".to_owned()];
        assert_eq!(
            main_module("", &wasm, &fetched).as_deref(),
            Some("chunks/dash.wasm")
        );
        assert_eq!(main_module("", &wasm, &[]), None);
    }
}
