//! Installs what `run` and `test` need when it is missing or at the wrong
//! version: the wasm32 target, wasm-bindgen-cli at exactly the
//! version in Cargo.lock, and (for tests) Debian's Chromium and ChromeDriver
//! and Debian's PostgreSQL (the server's tests run on a throw-away cluster,
//! `crates/pgtest`). Versions are checked, not just presence.

use super::{cargo, run_checked};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium's flags for tests on this machine, one a line: without the
/// networking flags it keeps trying to reach hosts the closed network
/// refuses. The browser end-to-end tests read the same file.
const CHROMIUM_FLAGS: &str = include_str!("../../tests/e2e/chromium-flags.txt");

/// [`CHROMIUM_FLAGS`] as arguments.
pub fn chromium_args() -> Vec<&'static str> {
    CHROMIUM_FLAGS.lines().filter(|l| !l.is_empty()).collect()
}

fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

pub fn wasm_bindgen() -> PathBuf {
    cargo_bin_dir().join("wasm-bindgen")
}

pub fn wasm_bindgen_test_runner() -> PathBuf {
    cargo_bin_dir().join("wasm-bindgen-test-runner")
}

/// Installs everything missing; `for_tests` adds Chromium, ChromeDriver,
/// PostgreSQL and HAProxy.
pub fn ensure_all(root: &Path, for_tests: bool) -> Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen(root)?;
    if for_tests {
        ensure_chromium()?;
        ensure_postgres()?;
        ensure_haproxy()?;
        ensure_node()?;
    }
    Ok(())
}

/// The version `tool --version` prints as its second word, if it runs.
fn installed_version(tool: &Path) -> Option<String> {
    let out = Command::new(tool).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().nth(1).map(str::to_owned)
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup")?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_wasm_bindgen(root: &Path) -> Result<()> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let ok = |tool: &Path| installed_version(tool).as_deref() == Some(wanted.as_str());
    if ok(&wasm_bindgen()) && ok(&wasm_bindgen_test_runner()) {
        return Ok(());
    }
    eprintln!("installing wasm-bindgen-cli {wanted} (takes a few minutes, once)");
    // Not --locked: its lockfile pins a webpki-roots version the registry lacks.
    run_checked(cargo().args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
    ]))
}

/// Debian packages the browser tests need: the browser, its driver, and a
/// CJK font so screenshots show Chinese text rather than empty boxes.
const BROWSER_PACKAGES: &[&str] = &["chromium", "chromium-driver", "fonts-noto-cjk"];

fn ensure_chromium() -> Result<()> {
    let all_there = BROWSER_PACKAGES.iter().all(|p| deb_installed(p));
    if all_there && Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let list = BROWSER_PACKAGES.join(" ");
    eprintln!("installing Debian packages: {list}");
    run_checked(Command::new("apt-get").arg("update"))
        .with_context(|| format!("apt-get needs root: install {list} by hand"))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(BROWSER_PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Debian's PostgreSQL server (`initdb`, `pg_ctl`, `postgres`): the server
/// crate's tests start a throw-away cluster. Only the binaries are used; the
/// package's own cluster, if Debian made one, is left alone.
const POSTGRES_PACKAGES: &[&str] = &["postgresql"];

pub(crate) fn ensure_postgres() -> Result<()> {
    if yanzhen_pgtest::bindir().is_ok() {
        return Ok(());
    }
    let list = POSTGRES_PACKAGES.join(" ");
    eprintln!("installing Debian packages: {list} (initdb is missing)");
    run_checked(Command::new("apt-get").arg("update"))
        .with_context(|| format!("apt-get needs root: install {list} by hand"))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(POSTGRES_PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    yanzhen_pgtest::bindir()
        .map(|_| ())
        .context("postgresql installed, but initdb is still not found")
}

/// Debian's HAProxy: the failover test (`faults/fault_failover.rs`) puts
/// it in front of two server nodes. Only the binary is used, with a config
/// the test writes; the package's own service, if any, is left alone.
const HAPROXY_PACKAGES: &[&str] = &["haproxy"];

pub(crate) fn ensure_haproxy() -> Result<()> {
    if Command::new("haproxy").arg("-v").output().is_ok()
        || Path::new("/usr/sbin/haproxy").is_file()
    {
        return Ok(());
    }
    let list = HAPROXY_PACKAGES.join(" ");
    eprintln!("installing Debian packages: {list} (haproxy is missing)");
    run_checked(Command::new("apt-get").arg("update"))
        .with_context(|| format!("apt-get needs root: install {list} by hand"))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(HAPROXY_PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Whether dpkg reports `package` as installed.
fn deb_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn ensure_node() -> Result<()> {
    for tool in ["node", "npm"] {
        if Command::new(tool).arg("--version").output().is_err() {
            bail!(
                "{tool} is missing: the interoperability tests run the JS automerge-repo; install Node.js"
            );
        }
    }
    Ok(())
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    lock_version(&lock, package).with_context(|| format!("{package} is not in Cargo.lock"))
}

fn lock_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

/// Writes the capabilities wasm-bindgen-test-runner gives chromedriver: our
/// Chromium binary and flags and a fresh profile directory for this run.
pub fn webdriver_json(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/xtask");
    let profile = dir.join(format!("chromium-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile)?;
    let mut args: Vec<String> = chromium_args()
        .iter()
        .map(|a| a.trim_start_matches("--").to_owned())
        .collect();
    args.push(format!("user-data-dir={}", profile.display()));
    let args_json = args
        .iter()
        .map(|a| format!("\"{}\"", a.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(", ");
    let json = format!(
        "{{\"goog:chromeOptions\": {{\"binary\": \"{CHROMIUM}\", \"args\": [{args_json}]}}}}\n"
    );
    let path = dir.join("webdriver.json");
    std::fs::write(&path, json)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        super::super::workspace_root()
    }

    #[test]
    fn reads_versions_from_a_lockfile() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"x\"\nversion = \"1.0.0\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "wasm"), None);
    }

    /// Cargo.toml's pin and Cargo.lock must name one wasm-bindgen version:
    /// the CLI that `cargo xtask build` runs is installed at the locked one,
    /// and the glue it writes must match the crate's.
    #[test]
    fn wasm_bindgen_versions_agree() {
        let locked = locked_version(&root(), "wasm-bindgen").unwrap();
        let cargo_toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        assert!(
            cargo_toml.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml must pin wasm-bindgen = \"={locked}\""
        );
    }
}
