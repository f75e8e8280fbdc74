//! `cargo xtask bench city [--tablets N] [--docs D] [--changes C] [--edits
//! E] [--setups sqlite,postgres,two]`: only the city-scale reconnect storm
//! (`loadgen city`: 5,000 tablets over 2,700 unit documents by default, on
//! SQLite, on PostgreSQL, and on two nodes sharing one PostgreSQL behind
//! HAProxy), merged into the last full run's figures (`bench/results.json`)
//! so `BENCHMARKS.md` keeps every other section as it was measured.
//! `cargo xtask bench` runs the same measurement as its last storm
//! ([`run_city`]).

use anyhow::Result;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{build_server_and_loadgen, fresh_dir, run_checked, target_dir, tools};

/// The report section `loadgen city` writes.
pub const SECTION: &str = "7. City scale";

/// Runs `loadgen city` (PostgreSQL and HAProxy must be installed), appending
/// its figures to `figures`; `extra` are its options.
pub fn run_city(
    loadgen: &Path,
    server: &Path,
    scratch: &Path,
    figures: &Path,
    extra: &[String],
) -> Result<()> {
    run_checked(
        Command::new(loadgen)
            .arg("city")
            .arg("--server")
            .arg(server)
            .arg("--scratch")
            .arg(scratch)
            .arg("--out")
            .arg(figures)
            .args(extra),
    )
}

pub fn bench_city(root: &Path, extra: &[String]) -> Result<()> {
    let started = Instant::now();
    let load_at_start = super::bench::loadavg();
    tools::ensure_postgres()?;
    tools::ensure_haproxy()?;
    build_server_and_loadgen()?;
    let target = target_dir(root);
    let out = fresh_dir(&target.join("bench-city"))?;
    // Every figure of the last full run but the city's.
    let figures = out.join("figures.jsonl");
    let machine = super::bench_partial::keep_previous(root, &figures, &[SECTION])?;
    let loadgen = target.join("release/loadgen");
    run_city(
        &loadgen,
        &target.join("release/yanzhen-server"),
        &out.join("scratch"),
        &figures,
        extra,
    )?;
    super::bench_partial::partial_report(
        &loadgen,
        root,
        &figures,
        &machine,
        "city scale run",
        format!(
            "cargo xtask bench city{}: {:.1} min, load average at start {load_at_start} (the other sections are from the last full run)",
            extra.iter().map(|a| format!(" {a}")).collect::<String>(),
            started.elapsed().as_secs_f64() / 60.0
        ),
    )
}
