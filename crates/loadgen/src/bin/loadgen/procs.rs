//! The servers under test, as child processes killed on drop: ours (the
//! release `yanzhen-server` binary over a fresh data directory, with an
//! enrolled district-admin device) and the reference (`node
//! bench/reference-server.mjs`). Both listen on 127.0.0.1 at a free port.
//! [`ProcStats`] reads a process's CPU time and peak RSS from `/proc`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

/// How long a server may take to start.
const START: Duration = Duration::from_secs(60);

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ours,
    Reference,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ours => "ours",
            Kind::Reference => "reference",
        }
    }
}

/// Where the servers come from.
#[derive(Clone, Debug)]
pub struct ServerPaths {
    /// The `yanzhen-server` binary.
    pub ours: PathBuf,
    /// `bench/reference-server.mjs` (its `node_modules` next to it).
    pub reference: PathBuf,
    /// Scratch directory for data directories.
    pub scratch: PathBuf,
}

/// A running server; killed (and its data removed) on drop.
pub struct Server {
    pub kind: Kind,
    child: Child,
    /// `ws://127.0.0.1:PORT/sync?token=…` (ours) or `ws://127.0.0.1:PORT`.
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

impl Server {
    /// Starts a server of `kind` on a fresh data directory.
    pub fn start(kind: Kind, paths: &ServerPaths, tag: &str) -> Result<Server> {
        let data = paths
            .scratch
            .join(format!("{}-{tag}-{}", kind.label(), std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
        match kind {
            Kind::Ours => start_ours(&paths.ours, data),
            Kind::Reference => start_reference(&paths.reference, data),
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time and peak RSS so far.
    pub fn stats(&self) -> Result<ProcStats> {
        ProcStats::of(self.pid())
    }
}

/// Reads the first stdout line within [`START`] (the server announces its
/// address there).
fn first_line(child: &mut Child) -> Result<String> {
    let out = child.stdout.take().context("stdout is piped")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(out);
        let mut line = String::new();
        let _ = r.read_line(&mut line);
        let _ = tx.send(line);
        // Keep draining so the child never blocks on a full pipe.
        let mut sink = Vec::new();
        let _ = r.read_to_end(&mut sink);
    });
    let line = rx
        .recv_timeout(START)
        .context("the server did not announce its address in time")?;
    if line.trim().is_empty() {
        bail!("the server exited before announcing its address");
    }
    Ok(line.trim().to_owned())
}

fn start_ours(bin: &Path, data: PathBuf) -> Result<Server> {
    let out = Command::new(bin)
        .args([
            "enrol",
            "--role",
            "admin",
            "--district-name",
            "测试区",
            "--data",
        ])
        .arg(&data)
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("running {} enrol", bin.display()))?;
    if !out.status.success() {
        bail!("{} enrol failed: {}", bin.display(), out.status);
    }
    let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let mut child = Command::new(bin)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        // Every simulated tablet uses the one enrolled device's token.
        .args(["--max-connections-per-device", "0"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let line = match first_line(&mut child) {
        Ok(l) => l,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    let mut server = Server {
        kind: Kind::Ours,
        child,
        url: String::new(),
        addr: String::new(),
        data,
    };
    // "Yanzhen listening on http://127.0.0.1:PORT/"
    let addr = line
        .rsplit("http://")
        .next()
        .map(|a| a.trim_end_matches('/').to_owned())
        .with_context(|| format!("unexpected announcement {line:?}"))?;
    let token = enrol(&addr, &code)?;
    server.url = format!("ws://{addr}/sync?token={token}");
    server.addr = addr;
    Ok(server)
}

/// `POST /api/enrol` with the code: the device token.
fn enrol(addr: &str, code: &str) -> Result<String> {
    let body = serde_json::json!({ "code": code, "deviceName": "loadgen" }).to_string();
    let mut s = TcpStream::connect(addr).with_context(|| format!("connecting {addr}"))?;
    s.set_read_timeout(Some(START))?;
    write!(
        s,
        "POST /api/enrol HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let (_, json) = resp
        .split_once("\r\n\r\n")
        .with_context(|| format!("bad enrol response {resp:?}"))?;
    // The body may be chunked: take the JSON object between the braces.
    let json = &json[json.find('{').unwrap_or(0)..=json.rfind('}').unwrap_or(0)];
    let v: serde_json::Value =
        serde_json::from_str(json).with_context(|| format!("enrol response {resp:?}"))?;
    v["token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no token in {v}"))
}

fn start_reference(script: &Path, data: PathBuf) -> Result<Server> {
    let script = script
        .canonicalize()
        .with_context(|| format!("finding {}", script.display()))?;
    let mut child = Command::new("node")
        .arg(&script)
        .arg("0")
        .arg(&data)
        .current_dir(script.parent().unwrap_or(Path::new(".")))
        // Its stdin stays open while we live: it exits when we go away.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting node (the reference server)")?;
    let port = match first_line(&mut child) {
        Ok(l) => l,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    let addr = format!("127.0.0.1:{port}");
    Ok(Server {
        kind: Kind::Reference,
        child,
        url: format!("ws://{addr}"),
        addr,
        data,
    })
}

/// A process's CPU time and peak resident set.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcStats {
    /// User + system CPU seconds.
    pub cpu_s: f64,
    /// Peak resident set size (VmHWM), MiB.
    pub peak_rss_mib: f64,
    /// Resident set size now (VmRSS), MiB.
    pub rss_mib: f64,
    /// Bytes the process caused to be written to storage (`/proc/PID/io`
    /// `write_bytes`; 0 if unreadable).
    pub write_bytes: u64,
}

impl ProcStats {
    /// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`.
    pub fn of(pid: u32) -> Result<ProcStats> {
        Self::read(&format!("/proc/{pid}"))
    }

    /// This process.
    pub fn own() -> Result<ProcStats> {
        Self::read("/proc/self")
    }

    fn read(dir: &str) -> Result<ProcStats> {
        let stat = std::fs::read_to_string(format!("{dir}/stat"))?;
        // Fields after the command name (which may hold spaces).
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of stat; here 12 and 13
        // (state is the first after the name). Clock ticks are 100 Hz on
        // Linux (USER_HZ).
        let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        let cpu_s = (ticks(11) + ticks(12)) / 100.0;
        let status = std::fs::read_to_string(format!("{dir}/status"))?;
        let kb = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let write_bytes = std::fs::read_to_string(format!("{dir}/io"))
            .ok()
            .and_then(|io| {
                io.lines()
                    .find_map(|l| l.strip_prefix("write_bytes:"))
                    .and_then(|v| v.trim().parse().ok())
            })
            .unwrap_or(0);
        Ok(ProcStats {
            cpu_s,
            peak_rss_mib: kb("VmHWM:") / 1024.0,
            rss_mib: kb("VmRSS:") / 1024.0,
            write_bytes,
        })
    }
}

/// CPU seconds (user + system, its waited-for children included) of
/// process `root` and every live descendant: a PostgreSQL postmaster and
/// its backends, whose CPU moves to the postmaster's children time when
/// they exit, so the sum only grows.
pub fn tree_cpu_s(root: u32) -> f64 {
    let mut parents: Vec<(u32, u32, f64)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        let num = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        // After the name: state, ppid, …, utime (11), stime, cutime, cstime.
        let cpu = (num(11) + num(12) + num(13) + num(14)) / 100.0;
        parents.push((pid, num(1) as u32, cpu));
    }
    let mut inside = vec![root];
    let mut total = 0.0;
    let mut grew = true;
    while grew {
        grew = false;
        for (pid, ppid, _) in &parents {
            if !inside.contains(pid) && inside.contains(ppid) {
                inside.push(*pid);
                grew = true;
            }
        }
    }
    for (pid, _, cpu) in &parents {
        if inside.contains(pid) {
            total += cpu;
        }
    }
    total
}

/// The first process whose command line contains every one of `parts`.
pub fn find_process(parts: &[&str]) -> Option<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .find_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let cmd = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            parts.iter().all(|p| cmd.contains(p)).then_some(pid)
        })
}

/// The 1-minute load average.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}
