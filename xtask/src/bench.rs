//! `cargo xtask bench`: builds the app (split by module, release:
//! [`super::webapp`]) with its precompressed siblings, the server and the
//! load generator (release), installs the reference's npm packages
//! (`bench/`), runs every measurement one after the other and writes
//! `BENCHMARKS.md` and `bench/results.json` (see `crates/loadgen`).
//!
//! Measurements, in order: reconnect storm (ours, then the reference JS
//! automerge-repo sync server), one field edit, slow link, offline merge
//! (native, then wasm in headless Chromium), cold open, the app download
//! as served and the start on a throttled CPU ([`super::bench_download`]),
//! the app's totals as built and after
//! `wasm-opt -Oz` (binaryen 132 from npm; the optimised app must still start
//! in headless Chromium), and last the reconnect storm at city scale
//! ([`super::bench_city`]: 5,000 tablets, SQLite / PostgreSQL / two nodes). Everything listens on 127.0.0.1 only; every child
//! process is waited for or killed.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{build_server_and_loadgen, cargo, describe, fresh_dir, run_checked, target_dir, tools};

/// A child process killed (and waited for) on drop.
pub(crate) struct Killed(pub(crate) Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `loadgen report` of the figures in `figures` into `BENCHMARKS.md` and
/// `bench/results.json`, with `bench/NOTES.md`; the caller adds the
/// `--info-…` rows.
pub(crate) fn report(loadgen: &Path, root: &Path, figures: &Path) -> Command {
    let mut cmd = Command::new(loadgen);
    cmd.arg("report")
        .arg("--out")
        .arg(figures)
        .arg("--markdown")
        .arg(root.join("BENCHMARKS.md"))
        .arg("--json")
        .arg(root.join("bench/results.json"))
        .arg("--notes")
        .arg(root.join("bench/NOTES.md"));
    cmd
}

pub fn bench(root: &Path) -> Result<()> {
    let started = Instant::now();
    let load_at_start = loadavg();
    tools::ensure_all(root, true)?;
    build_server_and_loadgen()?;
    let bench_dir = root.join("bench");
    super::bench_partial::bench_packages(&bench_dir)?;
    let target = target_dir(root);
    let out = fresh_dir(&target.join("bench"))?;
    let (dist, app_build) = app_for_bench(root, &out)?;
    // As the server serves it: with its brotli and gzip siblings.
    let sizes = super::build::precompress(&dist)?;
    let figures = out.join("figures.jsonl");
    let server = target.join("release/yanzhen-server");
    let loadgen = target.join("release/loadgen");
    let common = |cmd: &mut Command| {
        cmd.arg("--server")
            .arg(&server)
            .arg("--reference")
            .arg(bench_dir.join("reference-server.mjs"))
            .arg("--scratch")
            .arg(out.join("scratch"))
            .arg("--out")
            .arg(&figures);
    };
    for what in ["storm", "edit", "slow"] {
        let mut cmd = Command::new(&loadgen);
        cmd.arg(what);
        common(&mut cmd);
        run_checked(&mut cmd)?;
    }
    run_checked(
        Command::new(&loadgen)
            .arg("merge")
            .arg("--out")
            .arg(&figures),
    )?;
    match wasm_merge_ms(root) {
        Ok(ms) => add_figure(
            &loadgen,
            &figures,
            &[
                ("section", "5. Offline merge"),
                (
                    "name",
                    "10 replicas × 500 changes merged, wasm (headless Chromium)",
                ),
                ("unit", "ms"),
                ("ours", &format!("{ms:.1}")),
                ("max", "300"),
                (
                    "note",
                    "median of 5 in one page, release build of the same workload (crates/loadgen, wasm-bindgen-test)",
                ),
            ],
        )?,
        Err(e) => eprintln!("wasm merge benchmark failed: {e:#}"),
    }

    if let Err(e) =
        super::cold_open::cold_open(&bench_dir, &dist, &server, &out, &loadgen, &figures)
    {
        eprintln!("cold-open benchmark failed: {e:#}");
    }

    // App download: first paint, install and each module as served, start
    // on a throttled CPU; the totals as built, then with wasm-opt -Oz (only
    // if it still starts).
    if let Err(e) =
        super::bench_download::run(&bench_dir, &dist, &sizes, &server, &out, &loadgen, &figures)
    {
        eprintln!("download benchmark failed: {e:#}");
    }
    size_figures(&loadgen, &dist, &figures)?;
    let opt = out.join("dist-wasm-opt");
    match wasm_opt(&bench_dir, &dist, &opt).and_then(|()| app_starts(&server, &opt, &out)) {
        Ok(true) => run_checked(
            Command::new(&loadgen)
                .arg("size")
                .arg(&opt)
                .args(["--label", "after wasm-opt -Oz (binaryen 132), app starts"])
                .arg("--out")
                .arg(&figures),
        )?,
        Ok(false) => eprintln!("the app optimised by wasm-opt did not start in headless Chromium"),
        Err(e) => eprintln!("wasm-opt experiment failed: {e:#}"),
    }

    // The city-scale storm (about 10 minutes at full scale).
    if let Err(e) =
        super::bench_city::run_city(&loadgen, &server, &out.join("scratch"), &figures, &[])
    {
        eprintln!("city-scale benchmark failed: {e:#}");
    }

    let minutes = started.elapsed().as_secs_f64() / 60.0;
    run_checked(
        report(&loadgen, root, &figures)
            .arg("--info-load-average-at-start")
            .arg(&load_at_start)
            .arg("--info-app-build")
            .arg(&app_build)
            .arg("--info-bench-run-time")
            .arg(format!(
                "{minutes:.1} min (cargo xtask bench, builds included)"
            )),
    )?;
    Ok(())
}

/// How the bench builds the app (the report says it).
const APP_BUILD: &str = "xtask split build, release";

/// The app as shipped ([`APP_BUILD`]), built into `out/dist`: dist/
/// belongs to whoever builds the app at the moment. If it does not build
/// right now (work in progress), the last dist/ is measured and the report
/// says so. Returns the directory and how it was built.
pub(crate) fn app_for_bench(root: &Path, out: &Path) -> Result<(PathBuf, String)> {
    let app_dist = out.join("dist");
    match build_app_into(root, &app_dist) {
        Ok(()) => Ok((app_dist, format!("built by this run ({APP_BUILD})"))),
        Err(e) if root.join("dist/index.html").exists() => {
            eprintln!("building the app failed ({e:#}); measuring the existing dist/");
            Ok((
                root.join("dist"),
                format!("NOT rebuilt ({APP_BUILD} failed): the existing dist/ was measured"),
            ))
        }
        Err(e) => Err(e),
    }
}

/// `loadgen size`: the app's wasm, JS and CSS totals raw / gzip / brotli.
pub(crate) fn size_figures(loadgen: &Path, dist: &Path, figures: &Path) -> Result<()> {
    run_checked(
        Command::new(loadgen)
            .arg("size")
            .arg(dist)
            .arg("--label")
            .arg(format!("as built ({APP_BUILD})"))
            .arg("--out")
            .arg(figures),
    )
}

/// The app as shipped (split by module, release) into `dist`.
fn build_app_into(root: &Path, dist: &Path) -> Result<()> {
    super::webapp::build_app(root, dist)
}

pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub(crate) fn add_figure(loadgen: &Path, figures: &Path, fields: &[(&str, &str)]) -> Result<()> {
    let mut cmd = Command::new(loadgen);
    cmd.arg("add").arg("--out").arg(figures);
    for (k, v) in fields {
        cmd.arg(format!("--{k}")).arg(v);
    }
    run_checked(&mut cmd)
}

/// Runs the loadgen crate's wasm merge benchmark in headless Chromium;
/// returns the median in ms.
fn wasm_merge_ms(root: &Path) -> Result<f64> {
    let webdriver_json = tools::webdriver_json(root)?;
    let mut cmd = cargo();
    cmd.args([
        "test",
        "--release",
        "-p",
        "loadgen",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "--nocapture",
    ])
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        tools::wasm_bindgen_test_runner(),
    )
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
    .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    eprintln!("$ {}", describe(&cmd));
    let output = cmd.stderr(Stdio::inherit()).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    if !output.status.success() {
        bail!("the wasm merge benchmark failed ({})", output.status);
    }
    text.lines()
        .find_map(|l| {
            let rest = l.split("LOADGEN_WASM_MERGE_MS ").nth(1)?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .context("no LOADGEN_WASM_MERGE_MS line in the test output")
}

/// Copies the files of the directory `from` for which `keep` is true to
/// `to`, subdirectories included (a split build's chunks may live in one);
/// returns the copies.
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    keep: &dyn Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(to)?;
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let dest = to.join(path.file_name().context("a file name")?);
        if path.is_dir() {
            copied.extend(copy_tree(&path, &dest, keep)?);
        } else if keep(&path) {
            std::fs::copy(&path, &dest)?;
            copied.push(dest);
        }
    }
    Ok(copied)
}

/// Copies `dist` to `opt` and runs binaryen's wasm-opt -Oz on every wasm
/// module.
fn wasm_opt(bench_dir: &Path, dist: &Path, opt: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(opt);
    // Not the precompressed siblings: they would be of the unoptimised
    // files, and the server would send them.
    let copied = copy_tree(dist, opt, &|p| {
        !matches!(p.extension().and_then(|e| e.to_str()), Some("br" | "gz"))
    })?;
    let wasm: Vec<&PathBuf> = copied
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    if wasm.is_empty() {
        bail!("no .wasm in dist");
    }
    for wasm in wasm {
        let tmp = wasm.with_extension("opt.wasm");
        run_checked(
            Command::new(bench_dir.join("node_modules/.bin/wasm-opt"))
                .args([
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                    "--enable-sign-ext",
                    "--enable-reference-types",
                    "--enable-multivalue",
                    "--enable-mutable-globals",
                ])
                .arg(wasm)
                .arg("-o")
                .arg(&tmp),
        )?;
        std::fs::rename(&tmp, wasm)?;
    }
    Ok(())
}

/// Serves `dist` with our server and loads it in headless Chromium: true if
/// the app rendered its shell.
fn app_starts(server: &Path, dist: &Path, out: &Path) -> Result<bool> {
    let data = out.join("scratch/app-check");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut child = Command::new(server)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--assets")
        .arg(dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let _guard = Killed(child);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)?;
    let url = line
        .split_whitespace()
        .last()
        .context("no address announced")?
        .to_owned();
    let profile = out.join("scratch/chromium-profile");
    let mut chromium = Command::new(tools::CHROMIUM);
    chromium
        .args(tools::chromium_args())
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    eprintln!("$ {}", describe(&chromium));
    let browser = Killed(chromium.spawn()?);
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut browser = browser;
    loop {
        if browser.0.try_wait()?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            bail!("headless Chromium did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut dom = String::new();
    if let Some(mut s) = browser.0.stdout.take() {
        std::io::Read::read_to_string(&mut s, &mut dom)?;
    }
    Ok(dom.contains("class=\"shell\""))
}
