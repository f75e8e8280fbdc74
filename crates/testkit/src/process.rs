//! The `yanzhen-server` binary as a child process: [`RealServer`] starts it
//! over a data directory on 127.0.0.1, reads its address from the first
//! line it prints and keeps its log; it can be killed with SIGKILL and
//! restarted on the same directory and port. [`cli_code`] and
//! [`enrol_token`] enrol a device through the binary's `enrol` command and
//! `POST /api/enrol`; [`http`] is a bare HTTP/1.1 request.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The `yanzhen-server` binary, running over a data directory.
pub struct RealServer {
    bin: PathBuf,
    pub data: PathBuf,
    child: Option<Child>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Its stderr (the log), line by line.
    pub log: Arc<Mutex<Vec<String>>>,
    extra: Vec<String>,
}

impl Drop for RealServer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl RealServer {
    /// Starts `bin` on 127.0.0.1 (`listen`: `127.0.0.1:0` for a free port)
    /// over `data`; waits (≤ 60 s) for its announcement.
    pub fn start(bin: &Path, data: &Path, listen: &str, extra: &[&str]) -> Result<RealServer> {
        let mut s = RealServer {
            bin: bin.to_owned(),
            data: data.to_owned(),
            child: None,
            addr: String::new(),
            log: Arc::new(Mutex::new(Vec::new())),
            extra: extra.iter().map(|s| (*s).to_owned()).collect(),
        };
        s.spawn(listen)?;
        Ok(s)
    }

    /// Starts `bin` on 127.0.0.1 over the database `url` (`--database`,
    /// no data directory), as [`RealServer::start`] does.
    pub fn start_on_database(
        bin: &Path,
        url: &str,
        listen: &str,
        extra: &[&str],
    ) -> Result<RealServer> {
        let mut args = vec!["--database", url];
        args.extend_from_slice(extra);
        Self::start(bin, Path::new(""), listen, &args)
    }

    fn spawn(&mut self, listen: &str) -> Result<()> {
        let mut cmd = Command::new(&self.bin);
        cmd.args(["--listen", listen]);
        // Empty for a server on `--database` (see `start_on_database`).
        if !self.data.as_os_str().is_empty() {
            cmd.arg("--data").arg(&self.data);
        }
        let mut child = cmd
            .args(&self.extra)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", self.bin.display()))?;
        let out = child.stdout.take().context("stdout")?;
        let err = child.stderr.take().context("stderr")?;
        let log = self.log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                log.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::{BufRead as _, Read as _};
            let mut r = std::io::BufReader::new(out);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let _ = tx.send(line);
            let mut sink = Vec::new();
            let _ = r.read_to_end(&mut sink);
        });
        self.child = Some(child);
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .context("the server did not announce its address")?;
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .map(|a| a.trim_end_matches('/').to_owned())
            .filter(|a| a.starts_with("127.0.0.1:"))
            .with_context(|| format!("unexpected announcement {line:?}"))?;
        self.addr = addr;
        Ok(())
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill9(&mut self) -> Result<()> {
        let mut c = self.child.take().context("not running")?;
        c.kill()?;
        c.wait()?;
        Ok(())
    }

    /// Starts again over the same data directory and port (retrying the
    /// bind for up to 10 s).
    pub fn restart(&mut self) -> Result<()> {
        let addr = self.addr.clone();
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            match self.spawn(&addr) {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() < until => {
                    if let Some(mut c) = self.child.take() {
                        let _ = c.kill();
                        let _ = c.wait();
                    }
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// A copy of the log so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A one-time enrolment code from `bin enrol --role admin --data data`
/// (in district `main`, created on first use, as a fresh deployment's
/// first admin gets it).
pub fn cli_code(bin: &Path, data: &Path) -> Result<String> {
    cli_code_with(bin, &["--data".as_ref(), data.as_os_str()])
}

/// A one-time enrolment code from `bin enrol --role admin --database url`.
pub fn cli_code_on_database(bin: &Path, url: &str) -> Result<String> {
    cli_code_with(bin, &["--database".as_ref(), url.as_ref()])
}

fn cli_code_with(bin: &Path, db: &[&std::ffi::OsStr]) -> Result<String> {
    let out = Command::new(bin)
        .args([
            "enrol",
            "--role",
            "admin",
            "--district",
            "main",
            "--district-name",
            "测试区",
        ])
        .args(db)
        .stderr(Stdio::null())
        .output()?;
    if !out.status.success() {
        bail!("enrol failed: {}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// One HTTP/1.1 request to `addr` (bounded by 30 s): status and body.
pub async fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<(u16, String)> {
    tokio::time::timeout(Duration::from_secs(30), async {
        let mut s = TcpStream::connect(addr).await?;
        let body = body.unwrap_or("");
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await?;
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).await?;
        let resp = String::from_utf8_lossy(&resp).into_owned();
        let status = resp
            .split(' ')
            .nth(1)
            .and_then(|x| x.parse().ok())
            .with_context(|| format!("bad response {resp:?}"))?;
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
        anyhow::Ok((status, body))
    })
    .await
    .context("HTTP request timed out")?
}

/// Enrols with `code`: the device token.
pub async fn enrol_token(addr: &str, code: &str) -> Result<String> {
    let body = serde_json::json!({ "code": code, "deviceName": "chaos" }).to_string();
    let (status, resp) = http(addr, "POST", "/api/enrol", Some(&body)).await?;
    if status != 200 {
        bail!("enrol: {status} {resp}");
    }
    let json = &resp[resp.find('{').unwrap_or(0)..=resp.rfind('}').unwrap_or(0)];
    let v: serde_json::Value = serde_json::from_str(json)?;
    v["token"].as_str().map(str::to_owned).context("no token")
}
