//! `cargo xtask soak`: the long fault, abuse and load runs (issue 9), about
//! 15–20 minutes on the shared 2-core machine; the fast versions run in
//! `cargo xtask test` (`crates/server/tests/faults/`).
//!
//! In order, each a child process on 127.0.0.1 only:
//!
//! 1. `loadgen kill`: 400 tablets come back with offline changes, the
//!    release server is SIGKILLed mid-storm and restarted on the same data
//!    directory; every change on every replica counted.
//! 3. `loadgen flap`: 8 rounds × 60 tablets through a cutting, blackholing,
//!    flapping loopback proxy; counted.
//! 6. `loadgen load`: 1,000 concurrent WebSocket clients; p50/p99 sync
//!    latency; `/healthz` sampled throughout.
//! 5. cargo-fuzz (libFuzzer, `--sanitizer none` with `RUSTC_BOOTSTRAP=1` on
//!    stable Rust): `server_handle` for a fixed time, then `decode` until the
//!    two together ran ≥ 10 million executions; then the trust-boundary
//!    targets `bounds` (the bounds on Automerge data) and `file_import` (the
//!    `.yanzhen` importer), ≥ 10 million executions together; 0 crashes in
//!    all four. New inputs go to a scratch corpus, the repository's
//!    `fuzz/corpus/` only seeds.
//! 7. and 5 (live): the access and hostile-message tests
//!    (`fault_access`, `fault_hostile`).
//!
//! Items 2 and 4 run in the browser suite; the table says so. Ends with the
//! table (`loadgen table`): figure, value, target, pass; exits non-zero if
//! anything failed.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{
    build_server_and_loadgen, cargo, describe, fresh_dir, parse_test_result, run_checked,
    target_dir,
};

/// Executions the protocol fuzz targets (server node, decoder) must reach
/// together.
const FUZZ_RUNS: u64 = 10_000_000;
/// Executions the trust-boundary targets (bounds on Automerge data, the
/// file importer) must reach together.
const BOUNDARY_FUZZ_RUNS: u64 = 10_000_000;
/// Seconds for the slower target (the server-role node).
const SERVER_HANDLE_SECONDS: u64 = 180;

pub fn soak(root: &Path) -> Result<()> {
    let started = Instant::now();
    build_server_and_loadgen()?;
    let target = target_dir(root);
    let out = fresh_dir(&target.join("soak"))?;
    let figures = out.join("figures.jsonl");
    let server = target.join("release/yanzhen-server");
    let loadgen = target.join("release/loadgen");
    let add = |section: &str, name: &str, unit: &str, ours: &str, target: &[&str], note: &str| {
        let mut cmd = Command::new(&loadgen);
        cmd.args(["add", "--section", section, "--name", name, "--unit", unit])
            .args(["--ours", ours, "--note", note])
            .args(target)
            .arg("--out")
            .arg(&figures);
        run_checked(&mut cmd)
    };
    let in_browser_suite = |section: &str| {
        add(
            section,
            "runs in the browser suite",
            "",
            "0",
            &[],
            "not part of the soak: the browser end-to-end tests of `cargo xtask test` (owned elsewhere)",
        )
    };
    let long = |args: &[&str], section: &str| -> Result<()> {
        let mut cmd = Command::new(&loadgen);
        cmd.args(args)
            .arg("--server")
            .arg(&server)
            .arg("--scratch")
            .arg(out.join("scratch"))
            .arg("--out")
            .arg(&figures);
        let t = Instant::now();
        if let Err(e) = run_checked(&mut cmd) {
            eprintln!("{e:#}");
            add(
                section,
                "the run failed (see the log above)",
                "",
                "1",
                &["--max", "0"],
                &describe(&cmd),
            )?;
        }
        eprintln!("({:.0} s)", t.elapsed().as_secs_f64());
        Ok(())
    };
    long(
        &["kill", "--tablets", "400", "--kill-after", "800"],
        "1. SIGKILL during a reconnect storm",
    )?;
    in_browser_suite("2. Browser killed after \"saved\"")?;
    long(
        &["flap", "--tablets", "60", "--rounds", "8"],
        "3. Network cuts and flapping",
    )?;
    in_browser_suite("4. IndexedDB quota failure")?;
    long(
        &["load", "--clients", "1000", "--edits", "3"],
        "6. 1,000 concurrent clients",
    )?;
    fuzz(root, &out, &add)?;
    live_tests(&add)?;
    eprintln!(
        "\nsoak finished in {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    let mut table = Command::new(&loadgen);
    table.arg("table").arg("--out").arg(&figures);
    let status = table.status().context("loadgen table")?;
    println!(
        "\nsoak: {:.1} minutes; figures in {}",
        started.elapsed().as_secs_f64() / 60.0,
        figures.display()
    );
    if !status.success() {
        bail!("some soak figures failed");
    }
    Ok(())
}

type Add<'a> = dyn Fn(&str, &str, &str, &str, &[&str], &str) -> Result<()> + 'a;

/// One fuzz target: (executions, crashed, seconds).
fn fuzz_run(
    root: &Path,
    out: &Path,
    target: &str,
    libfuzzer: &[String],
) -> Result<(u64, bool, f64)> {
    let scratch = out.join("corpus").join(target);
    std::fs::create_dir_all(&scratch)?;
    let mut cmd = cargo();
    cmd.args([
        "fuzz",
        "run",
        "--fuzz-dir",
        "fuzz",
        "--sanitizer",
        "none",
        "-O",
        target,
    ])
    .arg(&scratch)
    .arg(root.join("fuzz/corpus").join(target))
    .arg("--")
    .args(libfuzzer)
    .env("RUSTC_BOOTSTRAP", "1")
    .env("CARGO_TARGET_DIR", target_dir(root).join("fuzz"))
    .current_dir(root);
    eprintln!("$ {}", describe(&cmd));
    let t = Instant::now();
    let output = cmd.output().with_context(|| describe(&cmd))?;
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = err.lines().rev().take(15).collect();
    for l in tail.iter().rev() {
        eprintln!("  {l}");
    }
    // "Done 123 runs in 5 second(s)" or the final stats.
    let runs = err
        .lines()
        .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            err.lines().find_map(|l| {
                l.strip_prefix("Done ")?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0);
    let crashed = !output.status.success()
        || err.contains("==ERROR")
        || err.contains("deadly signal")
        || err.contains("panicked at");
    Ok((runs, crashed, secs))
}

fn fuzz(root: &Path, out: &Path, add: &Add<'_>) -> Result<()> {
    const SECTION: &str = "5. Fuzzing (cargo-fuzz, libFuzzer)";
    let have = cargo()
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        run_checked(cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let common = |extra: Vec<String>| {
        let mut v = vec![
            "-print_final_stats=1".to_owned(),
            "-timeout=10".to_owned(),
            "-rss_limit_mb=2048".to_owned(),
            "-max_len=65536".to_owned(),
        ];
        v.extend(extra);
        v
    };
    let (s_runs, s_crash, s_secs) = fuzz_run(
        root,
        out,
        "server_handle",
        &common(vec![format!("-max_total_time={SERVER_HANDLE_SECONDS}")]),
    )?;
    let left = FUZZ_RUNS.saturating_sub(s_runs).max(1_000_000);
    let (d_runs, d_crash, d_secs) = fuzz_run(
        root,
        out,
        "decode",
        &common(vec![
            format!("-runs={left}"),
            "-max_total_time=600".to_owned(),
        ]),
    )?;
    let total = s_runs + d_runs;
    add(
        SECTION,
        "executions, both targets",
        "runs",
        &total.to_string(),
        &["--min", &FUZZ_RUNS.to_string()],
        &format!(
            "server_handle (server-role SyncNode: 3 peers, storage, access levels) {s_runs} runs in {s_secs:.0} s; decode (protocol decoder + round trip) {d_runs} runs in {d_secs:.0} s; --sanitizer none, -O, RUSTC_BOOTSTRAP=1 on stable"
        ),
    )?;
    // The trust boundary: half the runs each, at most 10 minutes each.
    let half = BOUNDARY_FUZZ_RUNS / 2;
    let bounded = |target: &str| {
        fuzz_run(
            root,
            out,
            target,
            &common(vec![
                format!("-runs={half}"),
                "-max_total_time=600".to_owned(),
            ]),
        )
    };
    let (b_runs, b_crash, b_secs) = bounded("bounds")?;
    let (f_runs, f_crash, f_secs) = bounded("file_import")?;
    add(
        SECTION,
        "executions, trust-boundary targets",
        "runs",
        &(b_runs + f_runs).to_string(),
        &["--min", &BOUNDARY_FUZZ_RUNS.to_string()],
        &format!(
            "bounds (yanzhen_sync::bounds on sync messages and chunks, then Automerge on what passes) {b_runs} runs in {b_secs:.0} s; file_import (.yanzhen import: v1 sealed with a valid checksum, v2 encrypted under a fixed key with genuine attestations in the seeds) {f_runs} runs in {f_secs:.0} s"
        ),
    )?;
    let crashes = [s_crash, d_crash, b_crash, f_crash]
        .into_iter()
        .map(u64::from)
        .sum::<u64>();
    add(
        SECTION,
        "crashes",
        "",
        &crashes.to_string(),
        &["--max", "0"],
        "a panic, abort, timeout (10 s) or 2 GiB RSS in any target; artifacts under fuzz/artifacts/",
    )
}

fn live_tests(add: &Add<'_>) -> Result<()> {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "-p",
        "yanzhen-server",
        "--test",
        "faults",
        "--",
        "fault_access::",
        "fault_hostile::",
    ]);
    eprintln!("$ {}", describe(&cmd));
    let output = cmd.output().with_context(|| describe(&cmd))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let (mut passed, mut failed) = (0, 0);
    for l in text.lines() {
        if let Some((p, f)) = parse_test_result(l) {
            passed += p;
            failed += f;
        }
    }
    if !output.status.success() {
        eprintln!("{text}\n{}", String::from_utf8_lossy(&output.stderr));
        failed = failed.max(1);
    }
    add(
        "7. Access attempts",
        "failed access and hostile-input tests",
        "tests",
        &failed.to_string(),
        &["--max", "0"],
        &format!(
            "{passed} passed: refusals logged (token missing/forged/revoked/expired, API, admin, enrolment, document read and write, connection limit), a refused peer gets no document bytes, hostile messages close only their connection (fault_access, fault_hostile)"
        ),
    )
}
