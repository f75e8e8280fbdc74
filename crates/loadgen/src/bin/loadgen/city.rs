//! The reconnect storm at city scale (`loadgen city`): `tablets` tablets
//! (default 5,000) over `docs` unit documents (default 2,700; tablet `t`
//! holds document `t mod docs`, so most units have two tablets), each with
//! `changes` offline edits, against three deployments of the release
//! `yanzhen-server` ([`Setup`]): one node on SQLite, one node on a
//! throw-away PostgreSQL ([`yanzhen_pgtest`]), and two nodes on one
//! PostgreSQL behind HAProxy ([`yanzhen_testkit::balancer`]).
//!
//! Each run: start the deployment, enrol one district-admin device, upload
//! every base document through one client, then SIGKILL and restart every
//! node (the storm follows a server restart: nodes start cold and load
//! documents from the database on demand), then every tablet reconnects at
//! once (through the balancer with two nodes). Measured: time until every
//! tablet and the server it talks to hold every change of its document;
//! CPU seconds and peak RSS of each node and of PostgreSQL (its whole
//! process tree) from `/proc`; the database's size; the write rate
//! (document saves from each node's `/metrics`, bytes: the SQLite server's
//! `write_bytes`, PostgreSQL's WAL); then one edit at a tablet of node A
//! until a tablet of node B has it (the same node with one node), `edits`
//! times, p50 / p99. [`model`] turns the per-node costs into the number of
//! nodes a province needs.
//!
//! Long file: one measurement end to end — the three deployments, seeding,
//! the storm, the per-node readings from /proc and PostgreSQL, the cross-node
//! edits and the province model — kept together so a figure and how it was
//! taken are read in one place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use automerge::{Automerge, ReadDoc as _, transaction::Transactable as _};
use loadgen::report::Figure;
use loadgen::workload;
use yanzhen_sync::DocumentId;
use yanzhen_testkit::balancer::Haproxy;
use yanzhen_testkit::process::{RealServer, cli_code, cli_code_on_database, enrol_token, http};
use yanzhen_testkit::tablet::{Expected, LOADGEN_CONNECT, Tablet};

use crate::procs::{self, ProcStats};
use crate::storm::{self, doc_id};

/// The report's section.
pub const SECTION: &str = "7. City scale";

/// Units of a province, for the node model.
pub const PROVINCE_UNITS: f64 = 26_000.0;

/// The shape of the city storm.
#[derive(Clone, Copy, Debug)]
pub struct CitySpec {
    pub tablets: u32,
    pub docs: u32,
    pub changes: u32,
    /// Edits timed from node A to node B after the storm.
    pub edits: u32,
}

/// The three deployments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    Sqlite,
    Postgres,
    TwoNodes,
}

impl Setup {
    pub fn label(self) -> &'static str {
        match self {
            Setup::Sqlite => "SQLite, one node",
            Setup::Postgres => "PostgreSQL, one node",
            Setup::TwoNodes => "PostgreSQL, two nodes behind HAProxy",
        }
    }

    /// `sqlite`, `postgres`, `two` (the `--setups` names).
    pub fn parse(s: &str) -> Result<Setup> {
        match s {
            "sqlite" => Ok(Setup::Sqlite),
            "postgres" => Ok(Setup::Postgres),
            "two" | "two-nodes" => Ok(Setup::TwoNodes),
            _ => bail!("unknown setup {s:?} (sqlite, postgres, two)"),
        }
    }
}

/// The documents and the tablets' offline replicas, made once.
pub struct Prepared {
    pub spec: CitySpec,
    pub base: Vec<(DocumentId, Automerge)>,
    pub tablets: Vec<Vec<(DocumentId, Automerge)>>,
    pub expected: Expected,
}

/// Builds every unit document (20 people) and each tablet's replica of its
/// document after `changes` validated model writes.
pub fn prepare(spec: CitySpec) -> Result<Prepared> {
    let t0 = Instant::now();
    let mut bases = Vec::new();
    for d in 0..spec.docs {
        bases.push(workload::base_document(d)?);
    }
    let mut merged: Vec<_> = bases.iter().map(|b| b.fork(&[0xEE; 16])).collect();
    let mut tablets = Vec::new();
    for t in 0..spec.tablets {
        let d = t % spec.docs;
        let mut r = workload::tablet_replica(&bases[d as usize], d, t, spec.changes)?;
        merged[d as usize].merge(&mut r)?;
        tablets.push(vec![(doc_id(d), r.into_automerge())]);
    }
    let (base, expected) = storm::base_and_expected(bases, &merged);
    eprintln!(
        "city: prepared {} documents and {} tablets in {:.1} s",
        spec.docs,
        spec.tablets,
        t0.elapsed().as_secs_f64()
    );
    Ok(Prepared {
        spec,
        base,
        tablets,
        expected,
    })
}

/// A running deployment; dropped in field order: balancer, nodes, database.
struct Deployment {
    lb: Option<Haproxy>,
    nodes: Vec<RealServer>,
    pg: Option<(yanzhen_pgtest::Cluster, String)>,
    sqlite: Option<PathBuf>,
    token: String,
}

impl Drop for Deployment {
    fn drop(&mut self) {
        self.lb = None;
        self.nodes.clear();
        if let Some(dir) = &self.sqlite {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const NODE_ARGS: [&str; 2] = ["--max-connections-per-device", "0"];

impl Deployment {
    /// Starts the nodes (and database, balancer): the deployment and a
    /// district-admin enrolment code.
    fn start(
        setup: Setup,
        bin: &Path,
        scratch: &Path,
        tablets: u32,
    ) -> Result<(Deployment, String)> {
        let args = |id: &'static str| {
            let mut a = NODE_ARGS.to_vec();
            a.extend(["--node-id", id]);
            a
        };
        let mut d = Deployment {
            lb: None,
            nodes: Vec::new(),
            pg: None,
            sqlite: None,
            token: String::new(),
        };
        let code = match setup {
            Setup::Sqlite => {
                let data = scratch.join(format!("city-sqlite-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&data);
                std::fs::create_dir_all(&data)?;
                d.sqlite = Some(data.clone());
                let code = cli_code(bin, &data)?;
                d.nodes
                    .push(RealServer::start(bin, &data, "127.0.0.1:0", &args("a"))?);
                code
            }
            Setup::Postgres | Setup::TwoNodes => {
                let cluster = yanzhen_pgtest::Cluster::start()?;
                let url = cluster.create_database("city")?;
                d.pg = Some((cluster, url.clone()));
                let code = cli_code_on_database(bin, &url)?;
                let ids: &[&'static str] = if setup == Setup::TwoNodes {
                    &["a", "b"]
                } else {
                    &["a"]
                };
                for id in ids {
                    d.nodes.push(RealServer::start_on_database(
                        bin,
                        &url,
                        "127.0.0.1:0",
                        &args(id),
                    )?);
                }
                if setup == Setup::TwoNodes {
                    let addrs: Vec<&str> = d.nodes.iter().map(|n| n.addr.as_str()).collect();
                    d.lb = Some(Haproxy::start_with(&addrs, tablets + 1000)?);
                }
                code
            }
        };
        Ok((d, code))
    }

    /// Where tablets connect: the balancer, else the one node.
    fn entry(&self) -> &str {
        self.lb
            .as_ref()
            .map_or(self.nodes[0].addr.as_str(), |lb| lb.addr.as_str())
    }

    fn url(&self, addr: &str) -> String {
        format!("ws://{addr}/sync?token={}", self.token)
    }

    fn pg_url(&self) -> Option<&str> {
        self.pg.as_ref().map(|(_, url)| url.as_str())
    }

    /// PostgreSQL's postmaster.
    fn postmaster(&self) -> Option<u32> {
        let (cluster, _) = self.pg.as_ref()?;
        procs::find_process(&["postgres", &format!("port={}", cluster.port())])
    }

    /// Bytes of the database: SQLite file, WAL and shared memory file, or
    /// `pg_database_size`.
    fn size_bytes(&self) -> Result<u64> {
        if let Some(dir) = &self.sqlite {
            let mut total = 0;
            for entry in std::fs::read_dir(dir)? {
                let entry = entry?;
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("yanzhen.sqlite")
                {
                    total += entry.metadata()?.len();
                }
            }
            return Ok(total);
        }
        let url = self.pg_url().context("no database")?;
        psql(url, "SELECT pg_database_size(current_database())")?
            .parse()
            .context("pg_database_size")
    }

    /// Kills every node (SIGKILL) and starts it again on its port; waits
    /// until each answers `/healthz` and, with a balancer, until it routes
    /// to both again.
    async fn restart_cold(&mut self) -> Result<()> {
        tokio::task::block_in_place(|| -> Result<()> {
            for n in &mut self.nodes {
                n.kill9()?;
                n.restart()?;
            }
            Ok(())
        })?;
        let until = Instant::now() + Duration::from_secs(30);
        for n in &self.nodes {
            while http(&n.addr, "GET", "/healthz", None)
                .await
                .map(|r| r.0)
                .ok()
                != Some(200)
            {
                if Instant::now() > until {
                    bail!("node {} not healthy after its restart", n.addr);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        if self.lb.is_some() {
            // Health checks every 300 ms, up after two: give it three rounds.
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
        Ok(())
    }
}

/// One `psql` query's single value.
fn psql(url: &str, sql: &str) -> Result<String> {
    let bin = yanzhen_pgtest::bindir()?.join("psql");
    let out = std::process::Command::new(bin)
        .args(["-X", "-A", "-t", "-d", url, "-c", sql])
        .output()
        .context("running psql")?;
    if !out.status.success() {
        bail!("psql {sql:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A counter of a node's `/metrics` (summed over its labels).
async fn metric(addr: &str, name: &str) -> Result<f64> {
    let (status, body) = http(addr, "GET", "/metrics", None).await?;
    if status != 200 {
        bail!("/metrics at {addr}: {status}");
    }
    Ok(body
        .lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum())
}

/// What was read before and after the storm.
#[derive(Debug, Default)]
struct Sample {
    nodes: Vec<ProcStats>,
    stored: Vec<f64>,
    opened: Vec<f64>,
    pg_cpu_s: f64,
    wal_bytes: f64,
    own: ProcStats,
}

async fn sample(d: &Deployment) -> Result<Sample> {
    let mut s = Sample::default();
    for n in &d.nodes {
        s.nodes
            .push(ProcStats::of(n.pid().context("node not running")?)?);
        s.stored
            .push(metric(&n.addr, "yanzhen_documents_stored_total").await?);
        s.opened
            .push(metric(&n.addr, "yanzhen_sync_connections_opened_total").await?);
    }
    if let Some(pm) = d.postmaster() {
        s.pg_cpu_s = procs::tree_cpu_s(pm);
    }
    if let Some(url) = d.pg_url() {
        s.wal_bytes = psql(url, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")?
            .parse()
            .context("WAL position")?;
    }
    s.own = ProcStats::own()?;
    Ok(s)
}

/// What one deployment measured.
#[derive(Debug, Default)]
pub struct CityResult {
    pub setup: Option<Setup>,
    pub converge_s: f64,
    pub tablet_p50_s: f64,
    pub seed_s: f64,
    /// Per node: CPU seconds over the storm, peak RSS (MiB), RSS before
    /// the storm (MiB), tablet connections it took.
    pub node_cpu_s: Vec<f64>,
    pub node_peak_mib: Vec<f64>,
    pub node_before_mib: Vec<f64>,
    pub node_tablets: Vec<f64>,
    pub pg_cpu_s: Option<f64>,
    pub loadgen_cpu_s: f64,
    pub db_bytes: u64,
    pub saves: f64,
    pub written_bytes: f64,
    pub edit_ms: Vec<f64>,
    pub wire_mib: (f64, f64),
    pub load_before: String,
}

/// Runs the storm against a fresh deployment of `setup`.
pub async fn run(
    setup: Setup,
    bin: &Path,
    scratch: &Path,
    p: &Prepared,
    limit: Duration,
) -> Result<CityResult> {
    let deadline = Instant::now() + limit;
    let (mut d, code) =
        tokio::task::block_in_place(|| Deployment::start(setup, bin, scratch, p.spec.tablets))
            .with_context(|| format!("starting {}", setup.label()))?;
    d.token = enrol_token(d.entry(), &code).await?;
    let entry = d.url(d.entry());
    let t_seed = Instant::now();
    storm::seed(&entry, &p.base, deadline)
        .await
        .context("seeding")?;
    let seed_s = t_seed.elapsed().as_secs_f64();
    d.restart_cold().await?;

    let armed = storm::arm(&entry, &p.tablets, Arc::new(p.expected.clone()), deadline).await?;
    let load_before = procs::loadavg();
    let before = sample(&d).await?;
    let t0 = Instant::now();
    let fired = armed.fire().await;
    let all = t0.elapsed().as_secs_f64();
    let (mut times, traffic) = fired.with_context(|| format!("{} storm", setup.label()))?;
    // Trailing saves and acknowledgements.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = sample(&d).await?;
    times.sort_by(f64::total_cmp);
    let converge_s = times.last().copied().unwrap_or(0.0);
    let n = d.nodes.len();
    let mut r = CityResult {
        setup: Some(setup),
        converge_s,
        tablet_p50_s: times.get(times.len() / 2).copied().unwrap_or(0.0),
        seed_s,
        node_cpu_s: (0..n)
            .map(|i| after.nodes[i].cpu_s - before.nodes[i].cpu_s)
            .collect(),
        node_peak_mib: (0..n).map(|i| after.nodes[i].peak_rss_mib).collect(),
        node_before_mib: (0..n).map(|i| before.nodes[i].rss_mib).collect(),
        node_tablets: (0..n).map(|i| after.opened[i] - before.opened[i]).collect(),
        pg_cpu_s: d.pg.is_some().then_some(after.pg_cpu_s - before.pg_cpu_s),
        loadgen_cpu_s: after.own.cpu_s - before.own.cpu_s,
        db_bytes: d.size_bytes()?,
        saves: (0..n).map(|i| after.stored[i] - before.stored[i]).sum(),
        written_bytes: if d.pg.is_some() {
            after.wal_bytes - before.wal_bytes
        } else {
            (0..n)
                .map(|i| (after.nodes[i].write_bytes - before.nodes[i].write_bytes) as f64)
                .sum()
        },
        edit_ms: Vec::new(),
        wire_mib: (
            traffic.wire_sent as f64 / MIB,
            traffic.wire_recv as f64 / MIB,
        ),
        load_before,
    };
    eprintln!(
        "city {}: converged in {converge_s:.2} s (all tasks {all:.2} s); nodes CPU {:?} s, peak RSS {:?} MiB, tablets {:?}; PostgreSQL CPU {:?} s; database {:.1} MiB",
        setup.label(),
        r.node_cpu_s,
        r.node_peak_mib,
        r.node_tablets,
        r.pg_cpu_s,
        r.db_bytes as f64 / MIB
    );
    let writer = d.url(&d.nodes[0].addr);
    let reader = d.url(&d.nodes[n - 1].addr);
    r.edit_ms = edit_delays(&writer, &reader, p.spec.edits, deadline)
        .await
        .context("edit delays")?;
    Ok(r)
}

const MIB: f64 = 1024.0 * 1024.0;

/// The value `v` at the root of `doc` in a tablet's copy.
fn value(t: &Tablet, doc: &DocumentId) -> Option<String> {
    let (v, _) = t.node.document(doc)?.get(automerge::ROOT, "v").ok()??;
    v.into_string().ok()
}

/// A writer at `writer_url` sets `v` of a document `edits` times; each
/// time, milliseconds until a reader at `reader_url` has the new value.
async fn edit_delays(
    writer_url: &str,
    reader_url: &str,
    edits: u32,
    deadline: Instant,
) -> Result<Vec<f64>> {
    let doc = DocumentId::from_bytes([0xCE; 16]);
    let mut w = Tablet::loadgen(u64::from(u32::MAX) + 1);
    w.try_connect(writer_url, LOADGEN_CONNECT).await?;
    w.wait_until(deadline, "the writer's peer message", Tablet::handshaken)
        .await?;
    let mut am = Automerge::new();
    let mut tx = am.transaction();
    tx.put(automerge::ROOT, "v", "0")?;
    tx.commit();
    w.try_add(doc, am).await?;
    w.wait_until(deadline, "node A to have the document", |t| {
        t.server_has_our_heads(&doc)
    })
    .await?;
    let mut r = Tablet::loadgen(u64::from(u32::MAX) + 2);
    r.try_connect(reader_url, LOADGEN_CONNECT).await?;
    r.wait_until(deadline, "the reader's peer message", Tablet::handshaken)
        .await?;
    r.find(doc).await;
    r.wait_until(deadline, "the reader's copy", |t| {
        value(t, &doc).as_deref() == Some("0")
    })
    .await?;
    let mut out = Vec::new();
    for i in 1..=edits {
        let v = i.to_string();
        let t0 = Instant::now();
        let ((), fx) = w.node.change(doc, |d| {
            let mut tx = d.transaction();
            let _ = tx.put(automerge::ROOT, "v", v.as_str());
            tx.commit();
        })?;
        w.apply(fx).await?;
        r.wait_until(deadline, "the edit at the reader", |t| {
            value(t, &doc).as_deref() == Some(v.as_str())
        })
        .await?;
        out.push(t0.elapsed().as_secs_f64() * 1000.0);
        // The writer's acknowledgement; edits 50 ms apart.
        w.pump_quiet(Duration::from_millis(50), deadline).await?;
    }
    w.close().await;
    r.close().await;
    Ok(out)
}

/// The `q` quantile (nearest rank) of sorted `v`.
fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

/// The figures of one deployment.
pub fn figures(spec: &CitySpec, r: &CityResult) -> Vec<Figure> {
    let Some(setup) = r.setup else {
        return Vec::new();
    };
    let l = setup.label();
    let name = |what: &str| format!("{l}: {what}");
    let mut out = vec![Figure::new(SECTION, &name("time until every replica converged"), "s", r.converge_s).note(format!(
        "{} tablets over {} unit documents × {} offline changes each; every node restarted cold before, all tablets reconnect at once{}; median tablet {:.2} s; tablets → server {:.1} MiB, server → tablets {:.1} MiB; load generator CPU {:.1} s; load average before: {}; uploading the {} base documents through one client took {:.1} s (before, not timed)",
        spec.tablets,
        spec.docs,
        spec.changes,
        if setup == Setup::TwoNodes { " through HAProxy" } else { "" },
        r.tablet_p50_s,
        r.wire_mib.0,
        r.wire_mib.1,
        r.loadgen_cpu_s,
        r.load_before,
        spec.docs,
        r.seed_s
    ))];
    for (i, cpu) in r.node_cpu_s.iter().enumerate() {
        let node = if r.node_cpu_s.len() > 1 {
            format!(", node {}", (b'A' + i as u8) as char)
        } else {
            String::new()
        };
        let tablets = r.node_tablets[i].max(1.0);
        out.push(
            Figure::new(SECTION, &name(&format!("server CPU{node}")), "s", *cpu).note(format!(
                "user+system from the storm's start until 1 s after the last tablet converged; {:.0} tablet connections at this node: {:.2} ms per tablet",
                r.node_tablets[i],
                cpu * 1000.0 / tablets
            )),
        );
        out.push(
            Figure::new(SECTION, &name(&format!("server peak RSS{node}")), "MiB", r.node_peak_mib[i]).note(format!(
                "VmHWM since the cold restart; {:.1} MiB before the storm: {:.0} KiB per tablet connection",
                r.node_before_mib[i],
                (r.node_peak_mib[i] - r.node_before_mib[i]) * 1024.0 / tablets
            )),
        );
    }
    if let Some(pg) = r.pg_cpu_s {
        out.push(
            Figure::new(SECTION, &name("PostgreSQL CPU"), "s", pg).note(format!(
                "postmaster and every backend (/proc), same span; {:.2} ms per tablet. Cluster of crates/pgtest: shared_buffers 32 MB, synchronous_commit on",
                pg * 1000.0 / f64::from(spec.tablets.max(1))
            )),
        );
    }
    out.push(
        Figure::new(
            SECTION,
            &name("database size"),
            "MiB",
            r.db_bytes as f64 / MIB,
        )
        .note(if setup == Setup::Sqlite {
            "yanzhen.sqlite + -wal + -shm after the storm"
        } else {
            "pg_database_size after the storm"
        }),
    );
    let secs = r.converge_s.max(0.001);
    out.push(
        Figure::new(SECTION, &name("document saves per second"), "/s", r.saves / secs).note(format!(
            "yanzhen_documents_stored_total of every node (one save per document and hub batch): {:.0} during the storm ÷ time to converge",
            r.saves
        )),
    );
    out.push(
        Figure::new(SECTION, &name("bytes written per second"), "MiB/s", r.written_bytes / MIB / secs).note(
            if setup == Setup::Sqlite {
                format!("the server's /proc write_bytes (database and WAL, through fsync): {:.1} MiB ÷ time to converge", r.written_bytes / MIB)
            } else {
                format!("PostgreSQL WAL generated (pg_current_wal_lsn): {:.1} MiB ÷ time to converge", r.written_bytes / MIB)
            },
        ),
    );
    let mut e = r.edit_ms.clone();
    e.sort_by(f64::total_cmp);
    let how = if setup == Setup::TwoNodes {
        "one edit at a tablet of node A until a tablet of node B has it (stored, NOTIFY, merged at B, synced)"
    } else {
        "one edit at a tablet until another tablet of the same node has it"
    };
    out.push(
        Figure::new(SECTION, &name("one edit, p50"), "ms", quantile(&e, 0.5)).note(format!(
            "{how}; {} edits 50 ms apart after the storm, tablets directly at the nodes",
            e.len()
        )),
    );
    out.push(
        Figure::new(SECTION, &name("one edit, p99"), "ms", quantile(&e, 0.99)).note(format!(
            "nearest rank of the {} edits (of 50 that is the slowest); fastest {:.1} ms",
            e.len(),
            e.first().copied().unwrap_or(0.0)
        )),
    );
    out
}

/// The node model for a province: per-node costs measured with two nodes
/// (else the best run available) scaled to [`PROVINCE_UNITS`] units.
pub fn model(spec: &CitySpec, results: &[CityResult]) -> Vec<Figure> {
    let Some(r) = results
        .iter()
        .find(|r| r.setup == Some(Setup::TwoNodes))
        .or_else(|| results.iter().find(|r| r.setup == Some(Setup::Postgres)))
        .or_else(|| results.first())
    else {
        return Vec::new();
    };
    let label = r.setup.map_or("?", Setup::label);
    let tablets = f64::from(spec.tablets.max(1));
    let per_unit = tablets / f64::from(spec.docs.max(1));
    let province = PROVINCE_UNITS * per_unit;
    let cpu_per_tablet: f64 = r.node_cpu_s.iter().sum::<f64>() / tablets;
    let mib_per_tablet: f64 = r
        .node_peak_mib
        .iter()
        .zip(&r.node_before_mib)
        .map(|(p, b)| p - b)
        .sum::<f64>()
        / tablets;
    let base_mib = r.node_before_mib.iter().copied().fold(0.0, f64::max);
    let pg_per_tablet = r.pg_cpu_s.unwrap_or(0.0) / tablets;
    // Assumptions (stated in the notes).
    let window_s = 60.0;
    let cores = 2.0;
    let usable = 0.7;
    let node_mib = 2048.0;
    let by_cpu = (province * cpu_per_tablet / (cores * usable * window_s)).ceil();
    let by_mem = (province * mib_per_tablet / (node_mib - base_mib)).ceil();
    let nodes = by_cpu.max(by_mem).max(1.0) + 1.0;
    let pg_cores = province * pg_per_tablet / (usable * window_s);
    let storm_one_node_s = province * cpu_per_tablet / (cores * usable);
    vec![
        Figure::new(SECTION, "model: server nodes for a province's storm in 60 s", "nodes", nodes).note(format!(
            "{PROVINCE_UNITS:.0} units × {per_unit:.2} tablets per unit (as measured) = {province:.0} tablets reconnecting at once. Per-node cost measured in '{label}': {:.2} CPU-ms per reconnecting tablet, {:.0} KiB RSS per connected tablet over a cold node's {base_mib:.0} MiB. Assumed: 2-core nodes usable to 70 % (the rest for the OS, TLS, logs), 2 GiB of RAM for the server, the storm to be over in 60 s; CPU needs {by_cpu:.0} nodes, memory {by_mem:.0}; plus one node so that losing one (failover) keeps the rest within budget. One such node alone would take {storm_one_node_s:.0} s. Linear in tablets: the measured cost is per tablet and per node, and nodes share nothing but the database",
            cpu_per_tablet * 1000.0,
            mib_per_tablet * 1024.0
        )),
        Figure::new(SECTION, "model: PostgreSQL cores for the same storm", "cores", pg_cores).note(format!(
            "{:.2} CPU-ms of PostgreSQL per reconnecting tablet (measured in '{label}') × {province:.0} tablets ÷ (60 s × 70 %). Since the prefix listing is an index range, that cost grows little with the database (1,250 tablets / 675 units → 5,000 / 2,700: ×1.3 one node, ×1.2 two nodes; ×2.5 and ×3.4 before, bench/NOTES.md); the one database is still what does not scale out with nodes",
            pg_per_tablet * 1000.0
        )),
    ]
}
