//! A real load balancer in front of server nodes: Debian's HAProxy
//! ([`Haproxy`]), in HTTP mode (WebSocket upgrades pass through as
//! tunnels), round robin, health-checking `/healthz`, retrying a refused
//! connection on another node. Its config is written to a temporary
//! directory, it listens on 127.0.0.1 (a free port) and is stopped when
//! dropped. Without HAProxy installed (`cargo xtask test` installs it)
//! starting fails with a clear error.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// Where Debian puts the binary (not on a normal user's `PATH`).
const DEBIAN_HAPROXY: &str = "/usr/sbin/haproxy";

/// The `haproxy` binary: on `PATH`, else Debian's.
pub fn haproxy_bin() -> Result<PathBuf> {
    if Command::new("haproxy")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
    {
        return Ok(PathBuf::from("haproxy"));
    }
    let debian = PathBuf::from(DEBIAN_HAPROXY);
    if debian.is_file() {
        return Ok(debian);
    }
    bail!("HAProxy is not installed (Debian package haproxy; `cargo xtask test` installs it)")
}

/// The config: one frontend on `listen`, the `backends` (`host:port`)
/// round robin with health checks every 300 ms (down after 2 failures,
/// their sessions cut), a refused connection redispatched to another node.
pub fn config(listen: &str, backends: &[&str]) -> String {
    config_with(listen, backends, 4096)
}

/// [`config`] with room for `maxconn` concurrent client connections
/// (HAProxy needs two file descriptors for each: client and node side, so
/// its `ulimit -n` must allow about twice as many).
pub fn config_with(listen: &str, backends: &[&str], maxconn: u32) -> String {
    let mut servers = String::new();
    for (i, b) in backends.iter().enumerate() {
        servers.push_str(&format!("    server node{i} {b} check\n"));
    }
    format!(
        "global
    maxconn {maxconn}

defaults
    mode http
    maxconn {maxconn}
    option http-server-close
    option redispatch
    retries 3
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    # WebSockets are tunnels once upgraded.
    timeout tunnel 1h
    timeout client-fin 5s

frontend yanzhen
    bind {listen}
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions
{servers}"
    )
}

/// A running HAProxy.
pub struct Haproxy {
    child: Option<Child>,
    /// `127.0.0.1:PORT`, where clients connect.
    pub addr: String,
    /// Its output (warnings, alerts), line by line.
    pub log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Haproxy {
    /// Starts HAProxy in front of `backends` (`127.0.0.1:PORT` each) on a
    /// free port of 127.0.0.1; waits (≤ 10 s) until it accepts connections.
    pub fn start(backends: &[&str]) -> Result<Haproxy> {
        Self::start_with(backends, 4096)
    }

    /// [`Haproxy::start`] allowing `maxconn` concurrent client connections
    /// (the load generator's city storm holds thousands).
    pub fn start_with(backends: &[&str], maxconn: u32) -> Result<Haproxy> {
        let bin = haproxy_bin()?;
        let dir = tempfile::tempdir()?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr = format!("127.0.0.1:{port}");
        let cfg = dir.path().join("haproxy.cfg");
        std::fs::write(&cfg, config_with(&addr, backends, maxconn))?;
        let check = Command::new(&bin).arg("-c").arg("-f").arg(&cfg).output()?;
        if !check.status.success() {
            bail!(
                "haproxy refused its config: {}{}",
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            );
        }
        let mut child = Command::new(&bin)
            // -db: foreground, no daemon.
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let err = child.stderr.take().context("stderr")?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                lines.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let h = Haproxy {
            child: Some(child),
            addr,
            log,
            _dir: dir,
        };
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&h.addr).is_err() {
            if Instant::now() > until {
                bail!("haproxy did not listen on {}: {:?}", h.addr, h.log_lines());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(h)
    }

    /// A copy of its output so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
