//! Cold open (`cargo xtask bench`, section 3): the demo district in the
//! browser's IndexedDB, then the app opened afresh until the dashboard is
//! painted with it, in headless Chromium, read from the app's performance
//! marks (median of 5); the reference is the JS automerge-repo with its
//! IndexedDB adapter loading the same documents from the same database in
//! the same browser (`bench/cold-open-ref.js`, bundled by esbuild; the
//! documents as the server stores them for `--demo`, `loadgen ref-seed`). The
//! browser is driven by `bench/cold-open.mjs` through ChromeDriver.

use anyhow::{Context, Result, bail};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::bench::{Killed, add_figure, copy_tree};
use super::{describe, tools};

/// The report section of the cold-open figures.
pub const SECTION: &str = "3. Cold open";
/// The app's mark: the dashboard painted with the loaded documents.
const PAINT_MARK: &str = "yanzhen:dashboard-painted";
/// Page loads per measurement (the figures are their medians).
pub(crate) const RUNS: usize = 5;

/// Median of `v` (NaN-free).
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs the cold-open measurement and adds its figures.
pub fn cold_open(
    bench_dir: &Path,
    dist: &Path,
    server: &Path,
    out: &Path,
    loadgen: &Path,
    figures: &Path,
) -> Result<()> {
    // The app plus the reference page, served by our server.
    let site = out.join("dist-cold-open");
    let _ = std::fs::remove_dir_all(&site);
    copy_tree(dist, &site, &|_| true)?;
    std::fs::copy(
        bench_dir.join("ref-cold-open.html"),
        site.join("ref-cold-open.html"),
    )?;
    // The reference's documents: the demo district as the server stores it
    // (the app's own export is sealed; the driver writes these entries into
    // the reference's IndexedDB).
    super::run_checked(
        Command::new(loadgen)
            .arg("ref-seed")
            .arg(site.join("ref-seed.bin")),
    )?;
    super::run_checked(
        Command::new(bench_dir.join("node_modules/.bin/esbuild"))
            .args([
                "cold-open-ref.js",
                "--bundle",
                "--minify",
                "--format=esm",
                "--platform=browser",
            ])
            .arg(format!(
                "--outfile={}",
                site.join("ref-cold-open.js").display()
            ))
            .current_dir(bench_dir),
    )?;

    let result = run_driver(
        "cold-open",
        bench_dir,
        server,
        &site,
        out,
        &[format!("--mark={PAINT_MARK}")],
    )?;
    let pick = |list: &str, key: &str| -> Vec<f64> {
        result[list]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r[key].as_f64()).collect())
            .unwrap_or_default()
    };
    let painted = pick("ours", "painted_ms");
    let loaded = pick("ours", "docs_loaded_ms");
    let started = pick("ours", "started_ms");
    let reference = pick("reference", "docs_loaded_ms");
    let ref_started = pick("reference", "started_ms");
    if [&painted, &loaded, &started, &reference, &ref_started]
        .iter()
        .any(|v| v.len() != RUNS)
    {
        bail!("the cold-open driver returned incomplete runs: {result}");
    }
    let docs = result["stored"]["docs"].as_u64().unwrap_or(0);
    let ref_docs = result["reference"][0]["documents"].as_u64().unwrap_or(0);
    if docs == 0 || ref_docs != docs {
        bail!("the reference loaded {ref_docs} documents, the app stored {docs}");
    }
    let runs = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Run by run: code running + (after the unlock) loading or painting.
    let plus = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x + y).collect::<Vec<_>>();
    let open_painted = plus(&started, &painted);
    let open_loaded = plus(&started, &loaded);
    let ref_open = plus(&ref_started, &reference);
    // One figure of this section: (name, ours, reference, target, note).
    let figure = |name: &str,
                  ours: &[f64],
                  reference: Option<&[f64]>,
                  target: Option<(&str, &str)>,
                  note: String| {
        let ours = format!("{:.0}", median(ours.to_vec()));
        let reference = reference.map(|r| format!("{:.0}", median(r.to_vec())));
        let mut fields = vec![
            ("section", SECTION),
            ("name", name),
            ("unit", "ms"),
            ("ours", ours.as_str()),
            ("note", note.as_str()),
        ];
        if let Some(r) = &reference {
            fields.push(("reference", r.as_str()));
        }
        if let Some(t) = target {
            fields.push(t);
        }
        add_figure(loadgen, figures, &fields)
    };
    figure(
        "demo district in IndexedDB → dashboard painted",
        &open_painted,
        None,
        Some(("max", "1000")),
        format!(
            "median of {RUNS} fresh page loads in headless Chromium ({docs} documents; runs: {} ms): navigation start → app code running (yanzhen:app-started), plus PIN accepted (yanzhen:unlocked) → {PAINT_MARK}, set after the frame that shows the figures; the person typing the PIN and its key derivation are left out",
            runs(&open_painted)
        ),
    )?;
    figure(
        "documents loaded from IndexedDB: ours vs JS automerge-repo (IndexedDB adapter)",
        &open_loaded,
        Some(&ref_open),
        Some(("max-ratio", "0.5")),
        format!(
            "median of {RUNS}; same browser, same documents; ours: navigation start → app-started, plus unlocked → yanzhen:docs-loaded, chunks decrypted (runs: {} ms); reference: navigation start → every document found by automerge-repo 2.5.6 (runs: {} ms)",
            runs(&open_loaded),
            runs(&ref_open)
        ),
    )?;
    figure(
        "of which: code running (navigation start → wasm ready)",
        &started,
        Some(&ref_started),
        None,
        format!(
            "download (service worker cache / HTTP cache), compile and instantiate: ours the whole app (runs: {} ms), reference automerge's wasm and automerge-repo (runs: {} ms)",
            runs(&started),
            runs(&ref_started)
        ),
    )?;
    figure(
        "of which: loading (code running → every document loaded)",
        &loaded,
        Some(&reference),
        None,
        format!(
            "ours from the unlock (read, decrypt, load into the repo; runs: {} ms); reference from wasm ready (runs: {} ms)",
            runs(&loaded),
            runs(&reference)
        ),
    )?;
    Ok(())
}

/// Runs the browser driver `bench/<name>.mjs` against `site` served by
/// `server` with the demo district, through ChromeDriver, on a fresh
/// profile under `out/scratch`; passes it the URL, the admin code, the
/// browser, [`RUNS`] and `extra`; returns the JSON it prints.
pub(crate) fn run_driver(
    name: &str,
    bench_dir: &Path,
    server: &Path,
    site: &Path,
    out: &Path,
    extra: &[String],
) -> Result<serde_json::Value> {
    let scratch = out.join("scratch");
    let (_server, url, code) = demo_server(server, &scratch.join(name), site)?;
    let (driver, port) = chromedriver()?;
    let profile = scratch.join(format!("{name}-profile"));
    let _ = std::fs::remove_dir_all(&profile);
    let mut cmd = Command::new("node");
    cmd.arg(format!("{name}.mjs"))
        .arg(format!("--webdriver=http://127.0.0.1:{port}"))
        .arg(format!("--url={url}"))
        .arg(format!("--code={code}"))
        .arg(format!("--chromium={}", tools::CHROMIUM))
        .arg(format!(
            "--args={}",
            serde_json::to_string(&tools::chromium_args())?
        ))
        .arg(format!("--profile={}", profile.display()))
        .arg(format!("--runs={RUNS}"))
        .args(extra)
        .current_dir(bench_dir)
        .stderr(Stdio::inherit());
    eprintln!("$ {}", describe(&cmd));
    let output = cmd.output()?;
    drop(driver);
    if !output.status.success() {
        bail!("the {name} driver failed ({})", output.status);
    }
    serde_json::from_slice(&output.stdout).with_context(|| format!("the {name} driver's JSON"))
}

/// Starts `server` with the demo district on a free port, a fresh data
/// directory `data` and the web app from `assets`; returns it (killed on
/// drop), its URL (ending in `/`) and the admin enrolment code it printed.
pub(crate) fn demo_server(
    server: &Path,
    data: &Path,
    assets: &Path,
) -> Result<(Killed, String, String)> {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data)?;
    let mut child = Command::new(server)
        .args(["--listen", "127.0.0.1:0", "--demo", "--data"])
        .arg(data)
        .arg("--assets")
        .arg(assets)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let stderr = child.stderr.take().context("stderr")?;
    let server = Killed(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .split_whitespace()
        .last()
        .context("no address announced")?
        .trim_end_matches('/')
        .to_owned()
        + "/";
    let code = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split_once("enrolment code:")
                .map(|(_, c)| c.trim().to_owned())
        })
        .context("the demo server printed no admin enrolment code")?;
    Ok((server, url, code))
}

/// Starts ChromeDriver on a free port; returns it (killed on drop) and the
/// port, once it accepts connections.
pub(crate) fn chromedriver() -> Result<(Killed, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let driver = Killed(
        Command::new(tools::CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("chromedriver did not start");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((driver, port))
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
    }
}
