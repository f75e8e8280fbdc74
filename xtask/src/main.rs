//! Yanzhen's project commands, run as `cargo xtask <command>`:
//!
//! - `build`: install what is missing, build the app (release), precompress
//!   it, and build the release server with it embedded (see [`build`]).
//! - `run`: the same build, then start it on 127.0.0.1:8080 with an SQLite
//!   file under `./data/`.
//! - `test`: install what is missing, then format check, clippy (native and
//!   wasm32), native tests, wasm tests in headless Chromium and the browser
//!   end-to-end tests; ends with one summary line.
//! - `bench`: the benchmarks; writes `BENCHMARKS.md` and
//!   `bench/results.json` (see [`bench`]). `bench city [options]` runs only
//!   the city-scale storm and updates its section (see [`bench_city`]);
//!   `bench download` only the app download and the start on a throttled
//!   CPU (see [`bench_download`]).
//! - `soak`: the long fault, abuse and load runs and the fuzzers (see
//!   [`soak`]); prints a table of results.
//!
//! Both work on a fresh machine with only rustup's stable toolchain, gcc,
//! node/npm, python3 and apt (as root): see [`tools`].

mod bench;
mod bench_city;
mod bench_download;
mod bench_partial;
mod build;
mod cold_open;
mod soak;
mod tools;
mod webapp;

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("build") if args.get(1).map(String::as_str) == Some("app") => {
            tools::ensure_all(&root, false)?;
            build_app(&root)?;
            build::print_sizes(&build::precompress(&root.join("dist"))?);
            Ok(())
        }
        Some("build") => {
            tools::ensure_all(&root, false)?;
            build::build(&root).map(|_| ())
        }
        Some("test") => test(&root),
        Some("install") => tools::ensure_all(&root, true),
        Some("bench") if args.get(1).map(String::as_str) == Some("city") => {
            bench_city::bench_city(&root, &args[2..])
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("download") => {
            bench_download::bench_download(&root)
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("cold") => {
            bench_partial::bench_cold(&root)
        }
        Some("bench") => bench::bench(&root),
        Some("soak") => soak::soak(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 commands:\n  \
                 build    build the app (precompressed) and the release server with it embedded; prints the sizes\n  \
                 build app  only the web app into dist/ (split by module, precompressed); prints the sizes\n  \
                 run      build the app and start the server on http://127.0.0.1:8080/ (Ctrl-C stops it)\n  \
                 test     run every check and test; ends with one summary line\n  \
                 install  only install the missing tools\n  \
                 bench    measure (sync storm, app size, edit, merge, slow link, city scale); writes BENCHMARKS.md\n  \
                 bench city [--tablets N --docs D --setups sqlite,postgres,two]  only the city-scale storm\n  \
                 bench download  only the app download (first paint, install, chunks) and the start on a 4× throttled CPU\n  \
                 bench cold  only the cold open (demo district in IndexedDB → dashboard painted, and the JS reference)\n  \
                 soak     long fault and load runs (SIGKILL storm, flapping link, 1,000 clients, fuzzers ≥ 10M runs); prints a table"
            );
            bail!("unknown or missing command");
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// Cargo's target directory (`CARGO_TARGET_DIR` if set).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Builds the server and the load generator (release), as the benchmarks
/// and the soak run them.
fn build_server_and_loadgen() -> Result<()> {
    run_checked(cargo().args([
        "build",
        "--release",
        "-p",
        "yanzhen-server",
        "-p",
        "loadgen",
    ]))
}

/// `dir`, emptied (made if missing).
fn fresh_dir(dir: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    Ok(dir.to_owned())
}

/// The cargo that runs us (so the same toolchain builds everything).
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a command to completion, failing with its name if it fails.
fn run_checked(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("starting {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the web app into `dist/` (release: the profile that ships), split
/// by module (see [`webapp`]).
fn build_app(root: &Path) -> Result<()> {
    webapp::build_app(root, &root.join("dist"))
}

fn run(root: &Path, extra: &[String]) -> Result<()> {
    tools::ensure_all(root, false)?;
    let server = build::build(root)?;
    std::fs::create_dir_all(root.join("data")).context("creating ./data")?;
    let mut cmd = Command::new(&server);
    cmd.args(["--listen", "127.0.0.1:8080", "--data", "data", "--demo"])
        .args(extra);
    eprintln!("$ {}", describe(&cmd));
    eprintln!("Open the URL below in a browser; press Ctrl-C to stop.");
    // Replace this process with the server so Ctrl-C reaches it directly and
    // it shuts down cleanly.
    use std::os::unix::process::CommandExt;
    Err(cmd.exec()).context("starting the server")
}

/// One step of `cargo xtask test` and what it found.
struct Step {
    name: &'static str,
    ok: bool,
    passed: u64,
    failed: u64,
    seconds: f64,
}

fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    tools::ensure_all(root, true)?;
    let mut steps = Vec::new();
    let wasm_crates = ["-p", "yanzhen", "-p", "yanzhen-model", "-p", "yanzhen-sync"];

    steps.push(step("format", cargo().args(["fmt", "--all", "--check"])));
    steps.push(step(
        "clippy (native)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "yanzhen/e2e",
            "--",
            "-D",
            "warnings",
        ]),
    ));
    steps.push(step(
        "clippy (wasm32)",
        cargo()
            .args([
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "--lib",
                "--bins",
                "--tests",
            ])
            .args(wasm_crates)
            .args(["--", "-D", "warnings"]),
    ));
    // The web app first: the browser end-to-end tests serve it.
    let started_build = Instant::now();
    let built = build_app(root);
    if let Err(e) = &built {
        eprintln!("{e:#}");
    }
    steps.push(Step {
        name: "build web app (release, split by module)",
        ok: built.is_ok(),
        passed: 0,
        failed: 0,
        seconds: started_build.elapsed().as_secs_f64(),
    });

    // One workspace-wide invocation for every native test, the browser
    // end-to-end tests included: a single feature set, so nothing is
    // compiled twice. The server binary the e2e tests start is built by the
    // same invocation (the server's own tests need it too).
    let target = target_dir(root);
    steps.push(step(
        "native + browser end-to-end tests",
        cargo()
            .args([
                "test",
                "--workspace",
                "--no-fail-fast",
                "--features",
                "yanzhen/e2e",
            ])
            .env("YANZHEN_SERVER_BIN", target.join("debug/yanzhen-server"))
            .env("YANZHEN_DIST", root.join("dist"))
            .env("YANZHEN_SCREENSHOTS", target.join("screenshots"))
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("CHROMIUM", tools::CHROMIUM),
    ));

    let webdriver_json = tools::webdriver_json(root)?;
    steps.push(step(
        "wasm tests (headless Chromium)",
        cargo()
            .args([
                "test",
                "--no-fail-fast",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(wasm_crates)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                tools::wasm_bindgen_test_runner(),
            )
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    ));

    println!();
    println!(
        "{:<34} {:>6} {:>8} {:>8} {:>8}",
        "step", "result", "passed", "failed", "seconds"
    );
    for s in &steps {
        let result = if s.ok { "ok" } else { "FAILED" };
        println!(
            "{:<34} {:>6} {:>8} {:>8} {:>8.1}",
            s.name, result, s.passed, s.failed, s.seconds
        );
    }
    let passed: u64 = steps.iter().map(|s| s.passed).sum();
    // A failing step that is not a test run (format, clippy, build) counts
    // as one failure so the summary can never read "0 failed" wrongly.
    let failed: u64 = steps
        .iter()
        .map(|s| if s.ok { s.failed } else { s.failed.max(1) })
        .sum();
    println!("total time {:.0} s", started.elapsed().as_secs_f64());
    println!("xtask: {passed} passed, {failed} failed");
    std::io::stdout().flush()?;
    if steps.iter().any(|s| !s.ok) {
        std::process::exit(1);
    }
    Ok(())
}

/// Runs one step, echoing its output and counting cargo's test results.
fn step(name: &'static str, cmd: &mut Command) -> Step {
    eprintln!("\n==> {name}\n$ {}", describe(cmd));
    let started = Instant::now();
    let mut outcome = Step {
        name,
        ok: false,
        passed: 0,
        failed: 0,
        seconds: 0.0,
    };
    let child = cmd.stdout(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start {}: {e}", describe(cmd));
            return outcome;
        }
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        if let Some((p, f)) = parse_test_result(&line) {
            outcome.passed += p;
            outcome.failed += f;
        }
    }
    outcome.ok = child.wait().map(|s| s.success()).unwrap_or(false);
    outcome.seconds = started.elapsed().as_secs_f64();
    outcome
}

/// Reads `test result: ok. 12 passed; 0 failed; …` (libtest and
/// wasm-bindgen-test-runner print the same line).
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    // Each `;`-separated part ends in "<number> <word>".
    let count = |word: &str| -> Option<u64> {
        rest.split(';').find_map(|part| {
            let mut tokens = part.split_whitespace().rev();
            (tokens.next()? == word).then_some(())?;
            tokens.next()?.parse().ok()
        })
    };
    Some((count("passed")?, count("failed")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_result_lines() {
        assert_eq!(
            parse_test_result(
                "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
            ),
            Some((12, 0))
        );
        assert_eq!(
            parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
            Some((3, 2))
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
