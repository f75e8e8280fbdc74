//! Runs the real `yanzhen-server` binary: it must announce its address on
//! stdout, answer `/healthz` over TCP and exit 0 on SIGTERM.

use std::{
    io::{BufRead as _, BufReader, Read as _, Write as _},
    net::TcpStream,
    process::{Child, ChildStdout, Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_yanzhen-server");

#[test]
fn binary_serves_healthz_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let assets = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("data");
    let (child, line, mut stdout) = spawn_announcing(
        Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(&data_dir)
            .arg("--assets")
            .arg(assets.path())
            .stderr(Stdio::inherit()),
    );
    let url = line
        .trim_end()
        .strip_prefix("Yanzhen listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr = url
        .strip_prefix("http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected url {url:?}"));
    assert!(!addr.ends_with(":0"), "real port is printed: {addr}");

    let response = get_ok(addr, "/healthz");
    assert!(response.contains(r#""status":"ok""#), "{response}");
    assert!(response.contains(r#""db":"ok""#), "{response}");
    assert!(data_dir.join("yanzhen.sqlite").is_file());

    stop_within(child, Duration::from_secs(10));

    // Nothing else was printed to stdout.
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
}

/// Spawns the binary's command with stdout piped and reads the first line
/// it prints (its announcement): the child, that line and the rest of
/// stdout. Shared by this binary's modules.
pub(crate) fn spawn_announcing(cmd: &mut Command) -> (Child, String, BufReader<ChildStdout>) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    (child, line, stdout)
}

/// As [`spawn_announcing`], for a server on plain HTTP: the child and the
/// `host:port` it announced. Shared by this binary's modules.
pub(crate) fn spawn_listening(cmd: &mut Command) -> (Child, String) {
    let (child, line, _) = spawn_announcing(cmd);
    let addr = line
        .trim_end()
        .strip_prefix("Yanzhen listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, addr)
}

/// Starts the binary on a free port over `data_dir` with `extra` arguments;
/// returns the child and its `host:port`.
fn start(data_dir: &std::path::Path, extra: &[&str]) -> (Child, String) {
    spawn_listening(
        Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(data_dir)
            .args(extra)
            .stderr(Stdio::inherit()),
    )
}

/// `GET path` over plain HTTP/1.1, answered 200: the whole response.
fn get_ok(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    response
}

/// `GET path` over plain HTTP/1.1; the JSON body.
fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let response = get_ok(addr, path);
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"))
}

fn stop(child: Child) {
    stop_within(child, Duration::from_secs(20));
}

/// SIGTERM the server, and wait at most `within` for a clean exit (status
/// 0); killed and failed otherwise. Shared by this binary's modules.
pub(crate) fn stop_within(mut child: Child, within: Duration) {
    // SAFETY: plain kill(2) on the pid of our own child process.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
    let deadline = Instant::now() + within;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("server did not stop within {within:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn demo_flag_stores_the_district_once() {
    let data = tempfile::tempdir().unwrap();
    let (child, addr) = start(data.path(), &["--demo"]);
    let first = get_json(&addr, "/api/bootstrap");
    stop(child);
    let district = first["districtDocumentId"]
        .as_str()
        .unwrap_or_else(|| panic!("no district in {first}"))
        .to_owned();
    assert!(first["storageId"].is_string(), "{first}");
    assert_eq!(first["version"], env!("CARGO_PKG_VERSION"));

    // Second start with --demo: same district, same storage id.
    let (child, addr) = start(data.path(), &["--demo"]);
    let second = get_json(&addr, "/api/bootstrap");
    stop(child);
    assert_eq!(second, first);
    assert_eq!(second["districtDocumentId"], district);

    // Without --demo on a fresh directory: no district.
    let fresh = tempfile::tempdir().unwrap();
    let (child, addr) = start(fresh.path(), &[]);
    let none = get_json(&addr, "/api/bootstrap");
    stop(child);
    assert!(none["districtDocumentId"].is_null(), "{none}");
}

/// `--demo-city`: the binary stores the four demo districts once, prints a
/// district-admin and a city-admin code, and the city admin's enrolment
/// lists every district; a second start adds nothing.
#[test]
fn demo_city_flag_stores_four_districts_and_prints_a_city_admin_code() {
    let data = tempfile::tempdir().unwrap();
    let (mut child, addr) = spawn_listening(
        Command::new(env!("CARGO_BIN_EXE_yanzhen-server"))
            .args(["--listen", "127.0.0.1:0", "--demo-city", "--data"])
            .arg(data.path())
            .env("RUST_LOG", "warn")
            .stderr(Stdio::piped()),
    );
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut district_code, mut city_code) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while city_code.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("both demo codes printed");
        if let Some((_, code)) = line.split_once("enrolment code:") {
            let code = Some(code.trim().to_owned());
            if line.contains("city-admin") {
                city_code = code;
            } else {
                district_code = code;
            }
        }
    }
    assert!(district_code.is_some(), "a district-admin code first");
    let enrol = |code: &str| {
        let body = serde_json::json!({ "code": code, "deviceName": "市委组织部" }).to_string();
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "POST /api/enrol HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        let body = response.split("\r\n\r\n").nth(1).unwrap().to_owned();
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let city = enrol(city_code.as_deref().unwrap());
    assert_eq!(city["role"], "city_admin");
    let ids: Vec<&str> = city["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["districtId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["yancheng", "hexi", "hudong", "lingnan"],
        "creation order"
    );
    let first = get_json(&addr, "/api/bootstrap");
    stop(child);

    // Again: nothing added, the same first district.
    let (child, addr) = start(data.path(), &["--demo-city"]);
    assert_eq!(get_json(&addr, "/api/bootstrap"), first);
    stop(child);
}
