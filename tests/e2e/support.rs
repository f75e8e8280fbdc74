//! Shared harness of the browser end-to-end tests: starts the real server
//! binary on a free port, a chromedriver, and a headless Chromium with a
//! fresh profile, and offers person-like helpers (tap, type, wait until a
//! text shows, screenshot). Paths come from environment variables that
//! `cargo xtask test` sets; a missing one fails the test with a clear
//! message instead of skipping it.
//!
//! Long file: the browser test harness: server, chromedriver and profile per
//! test, and the person-like actions (tap, type, wait) every area uses.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a person-like wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// The office PIN every e2e tablet is enrolled with (and unlocked with).
pub const TEST_PIN: &str = "240517";

/// How long a page may take to start (a debug build on a loaded machine).
const START_SECS: u64 = 180;

/// Chromium's flags for this machine, one a line (`cargo xtask` reads the
/// same file).
const CHROMIUM_FLAGS: &str = include_str!("chromium-flags.txt");

fn env_path(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the browser tests with `cargo xtask test`")
        })
}

/// A child process killed when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Today on this machine's clock (UTC): the tablets run on it too.
pub fn today() -> yanzhen_model::Date {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    yanzhen_model::Date::from_unix_ms(ms).unwrap()
}

/// The demo district the test server stores (`--demo`).
pub fn demo() -> yanzhen_model::demo::Demo {
    yanzhen_model::demo::generate(yanzhen_server::demo::DEFAULT_SEED)
}

/// The demo district's first village (or community) with a document.
pub fn first_village(demo: &yanzhen_model::demo::Demo) -> &yanzhen_model::entities::Unit {
    demo.district
        .unit_documents()
        .find(|u| u.doc_id.is_some())
        .expect("a village with a document")
}

/// A document id as the app's URLs and pickers show it.
pub fn doc_param(doc: &yanzhen_model::DocId) -> String {
    yanzhen_sync::DocumentId::from_bytes(doc.0).to_string()
}

/// A unit's document id as the app's URLs show it.
pub fn unit_doc(unit: &yanzhen_model::entities::Unit) -> String {
    doc_param(unit.doc_id.as_ref().expect("a document"))
}

/// Waits (up to `secs`) until the element matching `css` has attribute
/// `name` = `value`.
pub async fn wait_attr(b: &Browser, secs: u64, css: &str, name: &str, value: &str) {
    b.wait_js_for(
        secs,
        &format!(
            "const e = document.querySelector({css:?}); return e ? e.getAttribute({name:?}) : null"
        ),
        serde_json::json!(value),
    )
    .await;
}

/// The first person of the tablet's village, opened from the roster
/// (waiting up to `secs` for the village's people).
pub async fn open_first_person(b: &Browser, secs: u64) {
    b.tap("a.nav-link[data-route='roster']").await;
    b.wait_js_for(
        secs,
        "const s = document.querySelector('#roster-unit');
         if (s && !s.value && s.options.length > 1) {
           s.value = s.options[1].value; s.dispatchEvent(new Event('change'));
         }
         return !!document.querySelector('#person-list a')",
        serde_json::json!(true),
    )
    .await;
    b.tap("#person-list a").await;
    b.wait_for("#person-phone").await;
}

/// Types `phone` into the open person's file and saves it on the tablet.
pub async fn save_phone(b: &Browser, phone: &str) {
    b.type_into("#person-phone", phone).await;
    b.tap("#person-save").await;
    b.wait_js(
        "const s = document.querySelector('#person-save-state');
         return s ? s.dataset.state : null",
        serde_json::json!("saved"),
    )
    .await;
}

/// Scrolls the element matching `css` into the middle of the screen (for
/// the screenshots), once it shows.
pub async fn show(b: &Browser, css: &str) {
    show_at(b, css, "center").await;
}

/// Scrolls the element matching `css` into view at `block` (`start`,
/// `center`, …), once it shows.
pub async fn show_at(b: &Browser, css: &str, block: &str) {
    b.wait_for(css).await;
    b.js(&format!(
        "document.querySelector({css:?}).scrollIntoView({{block: {block:?}}})"
    ))
    .await;
}

/// A free loopback port (a race with other processes is possible but rare).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the server binary listening on `listen` over `data`, serving the
/// app in `dist`, with extra `args`; waits for its "listening" line. Returns
/// the server and, when `stderr` is piped, its stderr.
fn launch(
    listen: &str,
    data: tempfile::TempDir,
    dist: &std::path::Path,
    args: &[String],
    stderr: Stdio,
) -> (Server, Option<std::process::ChildStderr>) {
    let bin = env_path("YANZHEN_SERVER_BIN");
    assert!(
        dist.join("index.html").exists(),
        "{} has no built app",
        dist.display()
    );
    let mut child = Command::new(&bin)
        .args(["--listen", listen, "--data"])
        .arg(data.path())
        .arg("--assets")
        .arg(dist)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
    let err = child.stderr.take();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("Yanzhen listening on ")
        .unwrap_or_else(|| panic!("unexpected first line from the server: {first:?}"))
        .to_owned();
    (
        Server {
            url,
            data,
            _proc: Proc(child),
        },
        err,
    )
}

/// The real server binary, serving the built app, with its own data dir.
pub struct Server {
    pub url: String,
    pub data: tempfile::TempDir,
    _proc: Proc,
}

impl Server {
    pub fn start() -> Server {
        let data = tempfile::tempdir().unwrap();
        Self::start_in(data)
    }

    /// Starts on a given data directory (to restart over the same data).
    pub fn start_in(data: tempfile::TempDir) -> Server {
        launch(
            "127.0.0.1:0",
            data,
            &env_path("YANZHEN_DIST"),
            &[],
            Stdio::inherit(),
        )
        .0
    }
}

impl Server {
    /// Starts on a fixed loopback `port` (e.g. the port of a server that
    /// was stopped, so the browser sees the same origin) serving the app
    /// built in `dist` instead of `YANZHEN_DIST`.
    pub fn start_on(port: u16, dist: &std::path::Path) -> Server {
        let listen = format!("127.0.0.1:{port}");
        launch(
            &listen,
            tempfile::tempdir().unwrap(),
            dist,
            &[],
            Stdio::inherit(),
        )
        .0
    }

    /// The TCP port the server listens on.
    pub fn port(&self) -> u16 {
        let host = self.url.trim_end_matches('/').rsplit(':').next().unwrap();
        host.parse().unwrap()
    }

    /// Stops the server (the process is killed and reaped); the browser
    /// keeps running, now without a network peer.
    pub fn stop(self) {
        drop(self);
    }

    /// Stops the server and keeps its port and data, to start it again
    /// over the same data with [`Server::restart`].
    pub fn stop_keeping_data(self) -> (u16, tempfile::TempDir) {
        let port = self.port();
        let Server { data, _proc, .. } = self;
        drop(_proc);
        (port, data)
    }

    /// The server again, on `port` over `data` (from
    /// [`Server::stop_keeping_data`]), with `args` (e.g. `--demo`, which
    /// seeds only an empty database).
    pub fn restart(port: u16, data: tempfile::TempDir, args: &[&str]) -> Server {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        launch(
            &format!("127.0.0.1:{port}"),
            data,
            &env_path("YANZHEN_DIST"),
            &args,
            Stdio::inherit(),
        )
        .0
    }
}

/// A chromedriver process and one headless Chromium session.
pub struct Browser {
    /// The emulated tablet viewport, in CSS pixels.
    pub size: (u32, u32),
    pub client: Client,
    /// The Chromium profile directory.
    pub profile: PathBuf,
    _profile: Option<tempfile::TempDir>,
    _driver: Proc,
}

impl Browser {
    /// A browser with a 1280×800 landscape viewport (the 10-inch tablet).
    pub async fn start() -> Browser {
        Self::start_sized(1280, 800).await
    }

    pub async fn start_sized(width: u32, height: u32) -> Browser {
        Self::launch(width, height, serde_json::json!({})).await
    }

    /// A 1280×800 tablet browser on the profile directory `profile`, which
    /// the caller keeps: the browser can be killed and started again on it
    /// (its IndexedDB, service worker and local storage).
    pub async fn start_on_profile(profile: &std::path::Path) -> Browser {
        Self::launch_on(1280, 800, serde_json::json!({}), None, profile.to_owned()).await
    }

    /// Kills this browser's Chromium processes with SIGKILL, as when a
    /// tablet's battery dies: nothing is shut down cleanly.
    pub async fn kill_hard(self) {
        let needle = format!("--user-data-dir={}", self.profile.display());
        let mut killed = 0;
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline);
            if cmdline.split('\0').any(|a| a == needle) {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                killed += 1;
            }
        }
        assert!(killed > 0, "no Chromium process with {needle}");
        // Wait until they are gone (the profile is unlocked).
        let deadline = Instant::now() + WAIT;
        loop {
            let alive = std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
                std::fs::read(e.path().join("cmdline"))
                    .map(|c| String::from_utf8_lossy(&c).split('\0').any(|a| a == needle))
                    .unwrap_or(false)
            });
            if !alive {
                break;
            }
            assert!(Instant::now() < deadline, "Chromium did not die");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The WebDriver session is gone with it; only the driver remains.
        drop(self);
    }

    /// Starts chromedriver and a headless Chromium with a fresh profile, a
    /// `width`×`height` tablet viewport and the given Chromium `prefs`.
    async fn launch(width: u32, height: u32, prefs: serde_json::Value) -> Browser {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().to_owned();
        Self::launch_on(width, height, prefs, Some(temp), path).await
    }

    async fn launch_on(
        width: u32,
        height: u32,
        prefs: serde_json::Value,
        temp: Option<tempfile::TempDir>,
        profile: PathBuf,
    ) -> Browser {
        let port = free_port();
        let driver = Proc(
            Command::new(env_path("CHROMEDRIVER"))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting chromedriver"),
        );
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut args: Vec<String> = CHROMIUM_FLAGS
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let mut caps = serde_json::Map::new();
        // The window's frame eats into --window-size and headless caps the
        // window at its screen, so the tablet's viewport is emulated
        // exactly, with touch input like the real device.
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": env_path("CHROMIUM"),
                "args": args,
                "prefs": prefs,
                "mobileEmulation": {
                    "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
                }
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser {
            size: (width, height),
            client,
            profile,
            _profile: temp,
            _driver: driver,
        }
    }

    /// Opens `url` and, when the app starts locked, unlocks it with
    /// [`TEST_PIN`] as a person would.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.unlock_if_locked().await;
    }

    /// Opens `url` and leaves the app as it starts (locked or not).
    pub async fn goto_as_is(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Reloads the page (unlocking as [`Self::goto`] does).
    pub async fn refresh(&self) {
        self.client.refresh().await.unwrap();
        self.unlock_if_locked().await;
    }

    /// Waits until the app has started (the unlock screen, the one-time PIN
    /// screen, the wiped screen or the shell); on the unlock screen types
    /// [`TEST_PIN`] and waits for the shell.
    pub async fn unlock_if_locked(&self) {
        const STARTED: &str = "return document.querySelector('#unlock-pin') ? 'locked' \
            : (document.querySelector('.shell') || document.querySelector('#setpin-screen') \
            || document.querySelector('#wiped-screen')) ? 'open' : null";
        let deadline = Instant::now() + Duration::from_secs(START_SECS);
        let state = loop {
            if let Ok(serde_json::Value::String(s)) = self.client.execute(STARTED, vec![]).await {
                break s;
            }
            if Instant::now() > deadline {
                let seen = self.what_shows().await;
                panic!("the app did not start; the page shows: {seen}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if state == "locked" {
            self.type_into("#unlock-pin", TEST_PIN).await;
            self.tap("#unlock-submit").await;
            self.wait_for_secs(START_SECS, ".shell").await;
        }
    }

    /// Waits until the element matching `css` shows exactly `text`.
    pub async fn wait_text(&self, css: &str, text: &str) {
        self.wait_text_for(WAIT.as_secs(), css, text).await;
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_for(&self, css: &str) {
        self.wait_for_secs(WAIT.as_secs(), css).await;
    }

    /// Whether an element matching `css` exists now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Taps (clicks) the element matching `css`.
    pub async fn tap(&self, css: &str) {
        self.wait_for(css).await;
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Replaces the content of the input matching `css` with `text`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(css).await;
        let el = self.client.find(Locator::Css(css)).await.unwrap();
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// The `value` property of the input matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let el = self.client.find(Locator::Css(css)).await.unwrap();
        el.prop("value").await.unwrap().unwrap_or_default()
    }

    /// Runs JavaScript and returns its result.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// The current path of the page.
    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Saves a screenshot as `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        // Our pages set a device-width viewport, so the page is the tablet's size.
        let inner = self
            .js("return [window.innerWidth, window.innerHeight]")
            .await;
        assert_eq!(
            inner,
            serde_json::json!([self.size.0, self.size.1]),
            "viewport size"
        );
        let dir = env_path("YANZHEN_SCREENSHOTS");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

impl Browser {
    /// Runs asynchronous JavaScript: the script calls its last argument,
    /// `arguments[arguments.length - 1]`, with the result.
    pub async fn js_async(&self, script: &str) -> serde_json::Value {
        self.client.execute_async(script, vec![]).await.unwrap()
    }

    /// Waits until `script` returns `expected`.
    pub async fn wait_js(&self, script: &str, expected: serde_json::Value) {
        self.wait_js_for(WAIT.as_secs(), script, expected).await;
    }

    /// Closes the current tab and continues in a new one, as a person who
    /// closes the app and opens it again (a service worker's clients are
    /// gone in between, which a reload does not achieve).
    pub async fn reopen(&self, url: &str) {
        let fresh = self.client.new_window(true).await.unwrap();
        self.client.close_window().await.unwrap();
        self.client.switch_to_window(fresh.handle).await.unwrap();
        self.goto(url).await;
    }
}

// ---- access control e2e helpers (enrolment, sync by file) ----

/// The lines the server prints on stderr, forwarded to ours.
fn forward_stderr(err: std::process::ChildStderr) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let _ = tx.send(line);
        }
    });
    rx
}

impl Server {
    /// Starts with `--demo` (and `extra` arguments) on a fresh data
    /// directory and returns the district-admin enrolment code the server
    /// prints on stderr at first start.
    pub fn start_demo(extra: &[&str]) -> (Server, String) {
        let args: Vec<String> = std::iter::once("--demo")
            .chain(extra.iter().copied())
            .map(str::to_owned)
            .collect();
        let data = tempfile::tempdir().unwrap();
        let (server, stderr) = launch(
            "127.0.0.1:0",
            data,
            &env_path("YANZHEN_DIST"),
            &args,
            Stdio::piped(),
        );
        let lines = forward_stderr(stderr.expect("stderr is piped"));
        let deadline = Instant::now() + WAIT;
        let code = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines
                .recv_timeout(left)
                .expect("the demo server printed no admin enrolment code");
            if let Some((_, code)) = line.split_once("enrolment code:") {
                break code.trim().to_owned();
            }
        };
        (server, code)
    }

    /// A one-time enrolment code from the server binary's `enrol`
    /// subcommand on this server's data directory (`unit`: id or name).
    pub fn enrol_code(&self, role: &str, unit: Option<&str>) -> String {
        let mut cmd = Command::new(env_path("YANZHEN_SERVER_BIN"));
        cmd.args(["enrol", "--role", role, "--data"])
            .arg(self.data.path());
        if let Some(u) = unit {
            cmd.args(["--unit", u]);
        }
        let out = cmd.output().expect("running `yanzhen-server enrol`");
        assert!(
            out.status.success(),
            "enrol failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

impl Browser {
    /// Enrols the app at `url` as a person would: Settings, the code as
    /// typed, a tablet name, "enrol"; waits until it says it is enrolled.
    pub async fn enrol(&self, url: &str, code: &str, name: &str) {
        self.goto(&format!("{url}settings")).await;
        self.fill_enrol_form(code, name).await;
        self.tap("#enrol-submit").await;
        self.wait_for_secs(START_SECS, "#enrol-done").await;
    }

    /// Types the code, the tablet's name and (on a tablet without a lock
    /// yet) [`TEST_PIN`] twice into the enrolment form.
    pub async fn fill_enrol_form(&self, code: &str, name: &str) {
        self.wait_for_secs(START_SECS, "#enrol-code").await;
        self.type_into("#enrol-code", code).await;
        self.type_into("#enrol-device-name", name).await;
        if self.exists("#enrol-pin").await {
            self.type_into("#enrol-pin", TEST_PIN).await;
            self.type_into("#enrol-pin-again", TEST_PIN).await;
        }
        // The longest auto-lock (30 minutes, a choice in Settings): a
        // tablet waiting in a long test does not lock itself mid-way.
        let _ = self
            .client
            .execute(
                "localStorage.setItem('yanzhen.lock.after.v1', '30')",
                vec![],
            )
            .await;
    }

    /// Waits (up to `secs` seconds) until `script` returns `expected`.
    pub async fn wait_js_for(&self, secs: u64, script: &str, expected: serde_json::Value) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.client.execute(script, vec![]).await;
            if let Ok(v) = &got
                && *v == expected
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "`{script}` returned {got:?}, expected {expected}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Chooses `path` in the `<input type=file>` matching `css`.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        self.wait_for(css).await;
        let el = self.client.find(Locator::Css(css)).await.unwrap();
        el.send_keys(&path.display().to_string()).await.unwrap();
    }

    /// Taps the download link matching `css` and waits until the file it
    /// names (its `download` attribute) is complete in `dir` (the browser
    /// must download there: [`Browser::start_downloading`]); its bytes.
    pub async fn download(&self, css: &str, dir: &std::path::Path) -> Vec<u8> {
        self.wait_for(css).await;
        let name = self
            .js(&format!(
                "return document.querySelector({css:?}).getAttribute('download')"
            ))
            .await
            .as_str()
            .unwrap_or_else(|| panic!("{css} names no download"))
            .to_owned();
        self.tap(css).await;
        let path = dir.join(&name);
        let deadline = Instant::now() + WAIT;
        loop {
            let partial = dir.join(format!("{name}.crdownload"));
            if path.exists() && !partial.exists() {
                let bytes = std::fs::read(&path).unwrap();
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            assert!(Instant::now() < deadline, "{name} was not downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A 1280×800 tablet browser that saves downloads to `dir` without
    /// asking (as a tablet's browser saves them to its Downloads folder).
    pub async fn start_downloading(dir: &std::path::Path) -> Browser {
        Self::launch(1280, 800, download_prefs(dir)).await
    }

    /// [`Browser::start_on_profile`], saving downloads to `dir` as
    /// [`Browser::start_downloading`] does.
    pub async fn start_on_profile_downloading(
        profile: &std::path::Path,
        dir: &std::path::Path,
    ) -> Browser {
        Self::launch_on(1280, 800, download_prefs(dir), None, profile.to_owned()).await
    }
}
/// Chromium preferences: downloads go to `dir` without asking.
fn download_prefs(dir: &std::path::Path) -> serde_json::Value {
    serde_json::json!({
        "download.default_directory": dir.display().to_string(),
        "download.prompt_for_download": false,
        "download.directory_upgrade": true,
        "safebrowsing.enabled": false
    })
}
// ---- end of access control e2e helpers ----

// ---- roster tests (roster, two_tablets): a server with extra
// arguments that can be stopped and restarted on the same port and data
// directory, enrolment codes from the CLI, choosing an option, longer waits.

/// A server started with arguments, restartable over the same data.
pub struct ArgServer {
    pub server: Server,
    args: Vec<String>,
}

fn spawn_server(listen: &str, data: tempfile::TempDir, args: &[String]) -> Server {
    launch(listen, data, &env_path("YANZHEN_DIST"), args, Stdio::null()).0
}

impl ArgServer {
    /// Starts on a free port and a fresh data directory with `args`
    /// (e.g. `--demo`).
    pub fn start_with_args(args: &[&str]) -> ArgServer {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let server = spawn_server("127.0.0.1:0", tempfile::tempdir().unwrap(), &args);
        ArgServer { server, args }
    }

    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// Stops the server process; the data directory is kept for
    /// [`ArgServer::start_again`]. Returns what is needed to start again.
    pub fn stop(self) -> StoppedServer {
        let port = self.server.port();
        let Server { data, _proc, .. } = self.server;
        drop(_proc);
        StoppedServer {
            port,
            data,
            args: self.args,
        }
    }

    /// A one-time enrolment code from `yanzhen-server enrol` on this
    /// server's data (`unit`: id or name).
    pub fn cli_code(&self, role: &str, unit: Option<&str>) -> String {
        self.server.enrol_code(role, unit)
    }

    /// A new tablet enrolled on this server as `name` for `role` (and
    /// `unit`), with a code from [`ArgServer::cli_code`].
    pub async fn tablet(&self, role: &str, unit: Option<&str>, name: &str) -> Browser {
        let b = Browser::start().await;
        b.enrol_on_settings(self.url(), &self.cli_code(role, unit), name)
            .await;
        b
    }
}

/// The server's log lines (its stderr, ANSI colours removed), collected as
/// they come, to check which requests a browser made.
#[derive(Clone, Default)]
pub struct ServerLog(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl ServerLog {
    /// How many lines so far (a mark for [`ServerLog::since`]).
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The lines after mark `from` that contain `needle`.
    pub fn since(&self, from: usize, needle: &str) -> Vec<String> {
        self.0.lock().unwrap()[from..]
            .iter()
            .filter(|l| l.contains(needle))
            .cloned()
            .collect()
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl ArgServer {
    /// Like [`ArgServer::start_with_args`], with the server's log collected
    /// (each request is logged as `uri=<path>`, the query redacted).
    pub fn start_logged(args: &[&str]) -> (ArgServer, ServerLog) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (server, err) = launch(
            "127.0.0.1:0",
            tempfile::tempdir().unwrap(),
            &env_path("YANZHEN_DIST"),
            &args,
            Stdio::piped(),
        );
        let log = ServerLog::default();
        let lines = log.clone();
        let err = err.expect("stderr is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                lines.0.lock().unwrap().push(strip_ansi(&line));
            }
        });
        (ArgServer { server, args }, log)
    }
}

/// A stopped [`ArgServer`]: its port and data directory.
pub struct StoppedServer {
    pub port: u16,
    data: tempfile::TempDir,
    args: Vec<String>,
}

impl StoppedServer {
    /// Starts the server again on the same port and data directory.
    pub fn start_again(self) -> ArgServer {
        let listen = format!("127.0.0.1:{}", self.port);
        let deadline = Instant::now() + WAIT;
        // The old socket may linger for a moment.
        while TcpListener::bind(&listen).is_err() {
            assert!(Instant::now() < deadline, "{listen} stays busy");
            std::thread::sleep(Duration::from_millis(100));
        }
        let server = spawn_server(&listen, self.data, &self.args);
        ArgServer {
            server,
            args: self.args,
        }
    }
}

impl Browser {
    /// Enrols the app at `url` through its Settings screen with `code`.
    pub async fn enrol_on_settings(&self, url: &str, code: &str, name: &str) {
        self.enrol(url, code, name).await;
    }

    /// Chooses the option with `value` in the select matching `css`.
    pub async fn choose(&self, css: &str, value: &str) {
        self.tap(&format!("{css} option[value='{value}']")).await;
    }

    /// Waits (up to `secs`) until the element matching `css` shows `text`.
    pub async fn wait_text_for(&self, secs: u64, css: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = String::new();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
            {
                if t.trim() == text {
                    return;
                }
                last = t;
            }
            assert!(
                Instant::now() < deadline,
                "{css} shows {last:?}, expected {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to `secs`) until an element matching `css` exists.
    pub async fn wait_for_secs(&self, secs: u64, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while self.client.find(Locator::Css(css)).await.is_err() {
            if Instant::now() >= deadline {
                let seen = self.what_shows().await;
                panic!("{css} never appeared; the page shows: {seen}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// For a failure message: the page's address, which start screen (if
    /// any) it shows, and the start of its text.
    pub async fn what_shows(&self) -> String {
        const SHOWS: &str =
            "const screens = ['#unlock-screen', '#setpin-screen', '#wiped-screen', '.shell']
              .filter(s => document.querySelector(s));
            const text = (document.body ? document.body.innerText : '').replace(/\\s+/g, ' ');
            return location.pathname + ' ' + JSON.stringify(screens) + ' ' + text.slice(0, 400)";
        match self.client.execute(SHOWS, vec![]).await {
            Ok(serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => format!("(no answer: {e})"),
        }
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_or(0, |v| v.len())
    }
}

/// A Chrome DevTools command through chromedriver's `goog/cdp/execute`
/// endpoint (chromedriver runs it on the page's target).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

impl Browser {
    /// Runs the Chrome DevTools command `cmd` with `params` (e.g. print
    /// media emulation, blocked URLs); its answer.
    pub async fn cdp(&self, cmd: &'static str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("{cmd} through chromedriver: {e}"))
    }
}
