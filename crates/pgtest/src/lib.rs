//! A real, throw-away PostgreSQL for tests (no mocks): [`Cluster::start`]
//! runs `initdb` in a fresh temporary directory and starts the server on
//! 127.0.0.1 only, on a free port, with its unix socket inside that
//! directory; nothing global (no system cluster, no config under `/etc`) is
//! touched. [`Cluster::create_database`] makes a database and returns its
//! URL (`postgres://postgres@127.0.0.1:PORT/NAME`, trust authentication:
//! the cluster is for tests only); [`Cluster::create_schema`] makes a role
//! owning a schema of its own name in a database, a fresh and empty place
//! for one test that costs milliseconds where `CREATE DATABASE` costs about
//! a second (it copies and fsyncs a template, and the shutdown checkpoint
//! syncs every copy again). [`Cluster::stop_server`] and
//! [`Cluster::start_server`] take a cluster's server away and bring it back
//! on the same port (a test of the database going down). Dropping a
//! [`Cluster`] stops it (`pg_ctl stop -m fast`) and removes the directory.
//!
//! Tests use [`database`]: one cluster per test binary ([`shared`]), started
//! on first use, and a fresh role and schema per call in its `postgres`
//! database.
//! A static is never dropped,
//! so the shared cluster is stopped by an `atexit` handler when the test
//! process exits; if the process is killed instead, a watchdog (`sh`,
//! started with the cluster) notices within a second and stops it.
//!
//! Clusters use ICU's `en` collation by default (PostgreSQL 15 and later),
//! not byte order, as production databases usually do.
//!
//! The binaries are found through `pg_config --bindir`, then
//! `/usr/lib/postgresql/*/bin` (newest first), then `PATH`. When PostgreSQL
//! is not installed, [`database`] panics with a message saying so: tests
//! that need PostgreSQL fail, they are not skipped (`cargo xtask test`
//! installs Debian's `postgresql` package). `initdb` refuses to run as
//! root; as root the PostgreSQL tools run as the unprivileged user `nobody`,
//! owner of the temporary directory.
//!
//! Long file: one throw-away PostgreSQL cluster: start, roles, databases,
//! stop and the watchdog are one lifecycle.

use std::{
    net::TcpListener,
    os::unix::process::CommandExt as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{
        Mutex, OnceLock,
        atomic::{AtomicU32, Ordering},
    },
};

/// The superuser of test clusters (`initdb -U`).
pub const SUPERUSER: &str = "postgres";

/// Why a cluster could not be started or used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No PostgreSQL server binaries were found.
    #[error(
        "PostgreSQL is not installed: no initdb/pg_ctl found via `pg_config --bindir`, \
         /usr/lib/postgresql/*/bin or PATH (install Debian's `postgresql` package; \
         `cargo xtask test` does)"
    )]
    NotInstalled,
    /// Running as root, but the unprivileged user to run PostgreSQL as is missing.
    #[error("running as root and there is no user {0:?} to run PostgreSQL as")]
    NoUser(String),
    /// A tool failed.
    #[error("{what} failed ({status}): {output}")]
    Tool {
        /// The command, shortly.
        what: String,
        /// Its exit status.
        status: String,
        /// What it printed (and the server log, for a failed start).
        output: String,
    },
    /// Files or processes.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// The PostgreSQL server binaries directory (with `initdb` and `pg_ctl`).
pub fn bindir() -> Result<PathBuf, Error> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| has_tools(dir))
        .ok_or(Error::NotInstalled)
}

/// `(uid, gid)` of `name` from `/etc/passwd`.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() > 3 && fields[0] == name)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

/// A running throw-away cluster; stopped and removed on drop.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    bindir: PathBuf,
    port: u16,
    /// Who runs the server tools (as root: `nobody`).
    run_as: Option<(u32, u32)>,
    stopped: Mutex<bool>,
}

impl Cluster {
    /// `initdb` in a fresh temporary directory and start the server on
    /// 127.0.0.1 (a free port), waiting until it accepts connections.
    pub fn start() -> Result<Cluster, Error> {
        Self::start_with(None)
    }

    /// [`Cluster::start`] with TLS on (`ssl = on`): the server presents
    /// certificate `cert_pem` (PEM chain) with key `key_pem`; clients may
    /// still connect without TLS.
    pub fn start_tls(cert_pem: &str, key_pem: &str) -> Result<Cluster, Error> {
        Self::start_with(Some((cert_pem, key_pem)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Result<Cluster, Error> {
        let bindir = bindir()?;
        // SAFETY: geteuid(2) has no preconditions and cannot fail.
        let run_as = if unsafe { libc::geteuid() } == 0 {
            Some(user_ids("nobody").ok_or_else(|| Error::NoUser("nobody".into()))?)
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("yanzhen-pg-")
            .tempdir()?
            .keep();
        let mut cluster = Cluster {
            dir,
            bindir,
            port: 0,
            run_as,
            stopped: Mutex::new(false),
        };
        std::fs::create_dir(cluster.dir.join("sock"))?;
        if let Some((uid, gid)) = run_as {
            for p in [cluster.dir.clone(), cluster.dir.join("sock")] {
                std::os::unix::fs::chown(&p, Some(uid), Some(gid))?;
            }
        }
        let data = cluster.data_dir();
        let mut initdb = cluster.tool("initdb");
        initdb.arg("-D").arg(&data).args([
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--no-locale",
            "--encoding=UTF8",
            "--no-sync",
        ]);
        // A linguistic default collation (not byte order), as production
        // databases usually have: code relying on byte order must say so.
        if cluster.major_version() >= 15 {
            initdb.args(["--locale-provider=icu", "--icu-locale=en"]);
        }
        cluster.run_tool("initdb", &mut initdb)?;
        if let Some((cert, key)) = tls {
            use std::os::unix::fs::PermissionsExt as _;
            for (name, pem) in [("server.crt", cert), ("server.key", key)] {
                let path = data.join(name);
                std::fs::write(&path, pem)?;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
                if let Some((uid, gid)) = run_as {
                    std::os::unix::fs::chown(&path, Some(uid), Some(gid))?;
                }
            }
            // Read by the server at start (relative to the data directory).
            let conf = data.join("postgresql.auto.conf");
            let mut text = std::fs::read_to_string(&conf).unwrap_or_default();
            text.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
            std::fs::write(&conf, text)?;
        }
        // Before the server starts: a process killed while `pg_ctl start`
        // waits must not leave a server behind either.
        cluster.start_watchdog()?;
        // A free port may be taken between finding it and binding it: try again.
        let mut last = None;
        for _ in 0..3 {
            cluster.port = free_port()?;
            match cluster.pg_ctl_start() {
                Ok(()) => {
                    last = None;
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        if let Some(e) = last {
            *cluster.stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
            let _ = std::fs::remove_dir_all(&cluster.dir);
            return Err(e);
        }
        Ok(cluster)
    }

    /// The major version of the binaries (0 if unknown).
    fn major_version(&self) -> u32 {
        Command::new(self.bindir.join("pg_ctl"))
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).into_owned();
                let version = text.split_whitespace().last()?.to_owned();
                version.split('.').next()?.parse().ok()
            })
            .unwrap_or(0)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A PostgreSQL server tool, run as the cluster's user.
    fn tool(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bindir.join(name));
        cmd.current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("LC_ALL", "C");
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    fn run_tool(&self, what: &str, cmd: &mut Command) -> Result<(), Error> {
        let out = cmd.output()?;
        if out.status.success() {
            return Ok(());
        }
        Err(Error::Tool {
            what: what.to_owned(),
            status: out.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }

    fn pg_ctl_start(&self) -> Result<(), Error> {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} \
             -c max_connections=300 -c shared_buffers=32MB",
            self.port,
            self.dir.join("sock").display()
        );
        let log = self.dir.join("log");
        let started = self.run_tool(
            "pg_ctl start",
            self.tool("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &options, "start"]),
        );
        started.map_err(|e| match e {
            Error::Tool {
                what,
                status,
                output,
            } => Error::Tool {
                what,
                status,
                output: format!(
                    "{output}\n--- server log ---\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                ),
            },
            other => other,
        })
    }

    /// Stops the cluster if this process dies without stopping it (killed
    /// by a signal, say): a shell polling for our pid.
    fn start_watchdog(&self) -> Result<(), Error> {
        // A server still starting may not be stoppable yet: try a few times
        // while its pid file is there.
        let script = r#"while [ -d "/proc/$0" ] && [ -d "$1" ]; do sleep 1; done
for i in 1 2 3 4 5; do
  "$2" -D "$1" -m immediate -w stop >/dev/null 2>&1
  [ -f "$1/postmaster.pid" ] || break
  sleep 1
done
rm -rf "$3""#;
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .arg(std::process::id().to_string())
            .arg(self.data_dir())
            .arg(self.bindir.join("pg_ctl"))
            .arg(&self.dir)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        // Not waited for: it ends by itself once the cluster is gone.
        cmd.spawn()?;
        Ok(())
    }

    /// The TCP port (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:PORT/NAME`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// `CREATE DATABASE name` (a plain identifier); its URL.
    pub fn create_database(&self, name: &str) -> Result<String, Error> {
        let mut cmd = Command::new(self.bindir.join("createdb"));
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U"])
            .arg(SUPERUSER)
            .arg(name)
            .stdin(Stdio::null())
            .env_remove("PGPASSWORD");
        self.run_tool("createdb", &mut cmd)?;
        Ok(self.url(name))
    }

    /// `CREATE ROLE name LOGIN` and `CREATE SCHEMA name AUTHORIZATION name`
    /// in `database` (plain identifiers): the URL to connect as that role,
    /// whose default `search_path` (`"$user", public`) puts everything it
    /// creates in its own schema. A fresh, empty database for all a client
    /// can tell (`current_schema()` is `name`).
    pub fn create_schema(&self, database: &str, name: &str) -> Result<String, Error> {
        let mut cmd = Command::new(self.bindir.join("psql"));
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                SUPERUSER,
                "-d",
                database,
            ])
            .arg("-c")
            .arg(format!(
                "CREATE ROLE {name} LOGIN; CREATE SCHEMA {name} AUTHORIZATION {name};"
            ))
            .stdin(Stdio::null())
            .env_remove("PGPASSWORD");
        self.run_tool("psql", &mut cmd)?;
        Ok(format!(
            "postgres://{name}@127.0.0.1:{}/{database}",
            self.port
        ))
    }

    /// Stops the server (`pg_ctl stop -m fast`: every connection is
    /// closed) and keeps its data, for a test of the database going away;
    /// [`Cluster::start_server`] starts it again on the same port.
    pub fn stop_server(&self) -> Result<(), Error> {
        self.run_tool(
            "pg_ctl stop",
            self.tool("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .args(["-m", "fast", "-w", "stop"]),
        )
    }

    /// Starts the server stopped by [`Cluster::stop_server`] again, on the
    /// same port, waiting until it accepts connections.
    pub fn start_server(&self) -> Result<(), Error> {
        self.pg_ctl_start()
    }

    /// Stops the server (`pg_ctl stop -m fast`) and removes the directory;
    /// later calls do nothing.
    pub fn stop(&self) {
        let mut stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        if *stopped {
            return;
        }
        *stopped = true;
        let result = self.run_tool(
            "pg_ctl stop",
            self.tool("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .args(["-m", "fast", "-w", "stop"]),
        );
        if let Err(e) = result {
            eprintln!("yanzhen-pgtest: {e}");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

static SHARED: OnceLock<Cluster> = OnceLock::new();
static NEXT_DATABASE: AtomicU32 = AtomicU32::new(0);

/// The database of the shared cluster that [`database`] makes schemas in:
/// the one `initdb` makes (no `CREATE DATABASE` to pay for).
pub const SHARED_DATABASE: &str = "postgres";

extern "C" fn stop_shared() {
    if let Some(cluster) = SHARED.get() {
        cluster.stop();
    }
}

/// This process's cluster, started on first use and stopped when the
/// process exits. Panics (with the reason) if it cannot be started.
pub fn shared() -> &'static Cluster {
    SHARED.get_or_init(|| {
        let cluster = Cluster::start()
            .unwrap_or_else(|e| panic!("cannot start a test PostgreSQL cluster: {e}"));
        // SAFETY: registering a plain `extern "C" fn()` with no arguments.
        let registered = unsafe { libc::atexit(stop_shared) };
        assert_eq!(registered, 0, "atexit failed");
        cluster
    })
}

/// A fresh, empty database as far as its user can tell, in this process's
/// cluster ([`shared`]): the URL of a new role with a schema of its own
/// ([`Cluster::create_schema`]). Panics with a clear message if PostgreSQL
/// is missing or fails.
pub fn database() -> String {
    let cluster = shared();
    let n = NEXT_DATABASE.fetch_add(1, Ordering::Relaxed);
    cluster
        .create_schema(SHARED_DATABASE, &format!("yz_test_{n}"))
        .unwrap_or_else(|e| panic!("cannot create a test schema: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_makes_databases_and_is_removed_on_drop() {
        let cluster = Cluster::start().unwrap();
        let url = cluster.create_database("one").unwrap();
        assert_eq!(
            url,
            format!("postgres://postgres@127.0.0.1:{}/one", cluster.port())
        );
        // The server listens on 127.0.0.1 at that port.
        std::net::TcpStream::connect(("127.0.0.1", cluster.port())).unwrap();
        // The same name twice is refused by the server.
        assert!(matches!(
            cluster.create_database("one"),
            Err(Error::Tool { .. })
        ));
        let dir = cluster.dir.clone();
        assert!(dir.join("data/PG_VERSION").is_file());
        drop(cluster);
        assert!(!dir.exists());
    }

    /// A test process killed with SIGKILL (no `atexit`, no drop) leaves no
    /// server behind: the watchdog stops it. The child is this test binary
    /// again, running this test with `YANZHEN_PGTEST_CHILD` set.
    #[test]
    fn a_killed_process_leaves_no_server_running() {
        use std::io::BufRead as _;
        if std::env::var_os("YANZHEN_PGTEST_CHILD").is_some() {
            let cluster = shared();
            println!("port {}", cluster.port());
            std::thread::sleep(std::time::Duration::from_secs(120));
            return;
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::a_killed_process_leaves_no_server_running",
                "--nocapture",
            ])
            .env("YANZHEN_PGTEST_CHILD", "1")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let port: u16 = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("port ").map(|p| p.parse().unwrap()))
            .expect("the child announces its cluster's port");
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("the cluster runs");
        child.kill().unwrap();
        child.wait().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the cluster of a killed process still runs on port {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    #[test]
    fn shared_databases_are_distinct() {
        let a = database();
        let b = database();
        assert_ne!(a, b);
        assert!(a.starts_with("postgres://yz_test_"), "{a}");
        assert!(a.ends_with(&format!("/{SHARED_DATABASE}")), "{a}");
    }
}
