//! Runs of some benchmark sections only (`cargo xtask bench download`,
//! `bench cold`, `bench city`): every other figure of the last full run is
//! kept (`bench/results.json`), the measured sections replace theirs, and
//! the report says which run measured what.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::bench::{app_for_bench, loadavg, report};
use super::{build_server_and_loadgen, fresh_dir, run_checked, target_dir, tools};

/// Machine-table rows `loadgen report` writes itself (the others came from
/// `--info-…` options and are passed on again by [`partial_report`]).
const OWN_ROWS: &[&str] = &[
    "CPU",
    "memory",
    "kernel",
    "rustc",
    "node",
    "chromium",
    "automerge (Rust)",
    "reference",
    "load average at report time",
];

/// For a run of some sections only: writes every figure of the last full
/// run (`bench/results.json`) outside `sections` to `figures`; returns that
/// run's machine table.
pub(crate) fn keep_previous(
    root: &Path,
    figures: &Path,
    sections: &[&str],
) -> Result<serde_json::Value> {
    let previous: serde_json::Value = std::fs::read_to_string(root.join("bench/results.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    let mut kept = String::new();
    for f in previous["figures"].as_array().into_iter().flatten() {
        if !sections.iter().any(|s| f["section"] == *s) {
            kept.push_str(&serde_json::to_string(f)?);
            kept.push('\n');
        }
    }
    std::fs::write(figures, kept).with_context(|| format!("writing {}", figures.display()))?;
    Ok(previous["machine"].clone())
}

/// [`report`] after a run of some sections: the last full run's machine
/// rows passed on, the row `run_row` (this kind of run) set to `run_text`.
pub(crate) fn partial_report(
    loadgen: &Path,
    root: &Path,
    figures: &Path,
    machine: &serde_json::Value,
    run_row: &str,
    run_text: String,
) -> Result<()> {
    let mut report = report(loadgen, root, figures);
    for (k, v) in machine.as_object().into_iter().flatten() {
        if OWN_ROWS.contains(&k.as_str()) || k == run_row {
            continue;
        }
        if let Some(v) = v.as_str() {
            report.arg(format!("--info-{}", k.replace(' ', "-"))).arg(v);
        }
    }
    report
        .arg(format!("--info-{}", run_row.replace(' ', "-")))
        .arg(run_text);
    run_checked(&mut report)
}

/// The bench's npm packages (the JS reference, esbuild, binaryen's
/// wasm-opt), installed from `bench/package-lock.json` when missing.
pub(crate) fn bench_packages(bench_dir: &Path) -> Result<()> {
    if !bench_dir.join("node_modules/.bin/wasm-opt").exists()
        || !bench_dir
            .join("node_modules/@automerge/automerge-repo")
            .exists()
    {
        run_checked(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(bench_dir),
        )?;
    }
    Ok(())
}

/// What a run of some sections measures with: the app built and
/// precompressed, the release server and load generator, the figures file
/// (already holding the last full run's other sections).
pub(crate) struct AppRun {
    pub bench_dir: PathBuf,
    pub dist: PathBuf,
    pub sizes: Vec<super::build::Sizes>,
    pub server: PathBuf,
    pub out: PathBuf,
    pub loadgen: PathBuf,
    pub figures: PathBuf,
}

/// `cargo xtask bench <kind>` for the sections measured on the app
/// (`download`: 2 and 8; `cold`: 3): builds the server, the load generator
/// and the app, keeps every figure of the last full run outside `sections`,
/// runs `measure` and rewrites the report (the row "<kind> run" says what
/// this run was).
pub(crate) fn app_sections(
    root: &Path,
    kind: &str,
    sections: &[&str],
    measure: impl FnOnce(&AppRun) -> Result<()>,
) -> Result<()> {
    let started = Instant::now();
    let load_at_start = loadavg();
    tools::ensure_all(root, true)?;
    build_server_and_loadgen()?;
    bench_packages(&root.join("bench"))?;
    let target = target_dir(root);
    let out = fresh_dir(&target.join(format!("bench-{kind}")))?;
    let (dist, app_build) = app_for_bench(root, &out)?;
    let sizes = super::build::precompress(&dist)?;
    let figures = out.join("figures.jsonl");
    let machine = keep_previous(root, &figures, sections)?;
    let run = AppRun {
        bench_dir: root.join("bench"),
        dist,
        sizes,
        server: target.join("release/yanzhen-server"),
        out,
        loadgen: target.join("release/loadgen"),
        figures,
    };
    measure(&run)?;
    partial_report(
        &run.loadgen,
        root,
        &run.figures,
        &machine,
        &format!("{kind} run"),
        format!(
            "cargo xtask bench {kind}: {:.1} min, load average at start {load_at_start}, app {app_build} (the other sections are from the last full run)",
            started.elapsed().as_secs_f64() / 60.0
        ),
    )
}

/// `cargo xtask bench cold`: only the cold open (section 3).
pub fn bench_cold(root: &Path) -> Result<()> {
    app_sections(root, "cold", &[super::cold_open::SECTION], |r| {
        super::cold_open::cold_open(
            &r.bench_dir,
            &r.dist,
            &r.server,
            &r.out,
            &r.loadgen,
            &r.figures,
        )
    })
}
