//! Fault injection, shared by the server's fault tests
//! (`crates/server/tests/faults/`) and the load generator's soak commands
//! (`loadgen kill|flap|load`):
//!
//! * The tablets are [`Tablet::chaos`]: they survive their link going
//!   away (every error just drops the link; [`Tablet::sync_until`]
//!   reconnects with backoff and treats a silent link as dead).
//! * [`Workload`]: unit documents written through the model
//!   (`UnitDocument::put`), each tablet's offline adds and edits, and what
//!   every replica must hold in the end, counted (change hashes, changes,
//!   people).
//! * [`ChaosProxy`]: a loopback TCP proxy that delays, blackholes (reads
//!   and discards, then cuts), cuts connections and flaps the whole link.
//! * [`kill_storm`] and [`flap_storm`]: the reconnect storm against a
//!   [`RealServer`] killed with SIGKILL, and through a [`ChaosProxy`].
//!
//! Every wait is bounded by a deadline. Sleeps are only backoff and the
//! proxy's delays, never synchronisation.
//!
//! Long file: the chaos proxy, the offline workload and the kill/flap storms
//! share the counting of every change on every replica.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use automerge::{Automerge, ChangeHash, ReadDoc as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use yanzhen_model::store::UnitDocument;
use yanzhen_model::{ChangeMeta, Id};
use yanzhen_sync::DocumentId;

use crate::process::{RealServer, cli_code, enrol_token};
use crate::tablet::{Tablet, sorted};

/// A small deterministic random source (xorshift64*), so runs repeat.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..hi` (`lo` if empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.next_u64() % (hi - lo)
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

pub use crate::tablet::Expected;

/// Documents, the tablets' offline work on them, and what must be there in
/// the end.
pub struct Workload {
    /// Every document as the server gets it first.
    pub base: Vec<(DocumentId, Automerge)>,
    /// Each tablet's replicas after its offline work.
    pub tablets: Vec<Vec<(DocumentId, Automerge)>>,
    /// The union's heads.
    pub expected: Expected,
    /// Changes in each document once merged.
    pub changes: HashMap<DocumentId, usize>,
    /// People in each document once merged.
    pub people: HashMap<DocumentId, usize>,
    /// Every change any tablet made offline.
    pub made: Vec<(DocumentId, ChangeHash)>,
}

/// People in each document before the tablets go offline.
pub const BASE_PEOPLE: u32 = 5;

fn bytes16(tag: u8, a: u32, b: u32) -> [u8; 16] {
    let mut out = [tag; 16];
    out[1..5].copy_from_slice(&a.to_le_bytes());
    out[5..9].copy_from_slice(&b.to_le_bytes());
    out
}

/// `tablets` tablets in groups of `group` sharing one unit document per
/// group; each tablet adds `adds` people and edits `edits` phone numbers
/// offline, one model write (one change) each.
pub fn workload(tablets: u32, group: u32, adds: u32, edits: u32) -> Result<Workload> {
    let group = group.max(1);
    let docs = tablets.div_ceil(group);
    let mut base = Vec::new();
    let mut merged = Vec::new();
    let meta = |device: &str, t: i64| ChangeMeta::new(device, "chaos", "village", t);
    for d in 0..docs {
        let unit = Id::from_random_bytes(bytes16(0xA1, d, 0));
        let m = meta("district", 0);
        let mut doc = UnitDocument::new_unit(&unit, &bytes16(0xC1, d, 0), &m)?;
        for n in 0..BASE_PEOPLE {
            let id = Id::from_random_bytes(bytes16(0xB1, d, n));
            doc.put(&yanzhen_model::demo::minimal_person(id, &unit, n), &m)?;
        }
        let id = DocumentId::from_bytes(bytes16(0xF1, d, 0));
        merged.push(doc.fork(&[0xEF; 16]));
        base.push((id, unit, doc));
    }
    let mut out_tablets = Vec::new();
    let mut made = Vec::new();
    for t in 0..tablets {
        let d = (t / group) as usize;
        let (id, unit, doc) = &base[d];
        let mut r = doc.fork(&bytes16(0xD1, t, 0));
        let before: BTreeSet<ChangeHash> = r
            .automerge()
            .get_changes(&[])
            .iter()
            .map(|c| c.hash())
            .collect();
        let device = format!("tablet-{t}");
        for k in 0..adds {
            let n = 1000 + t * 1000 + k;
            let pid = Id::from_random_bytes(bytes16(0xE1, t, k));
            r.put(
                &yanzhen_model::demo::minimal_person(pid, unit, n),
                &meta(&device, 1000 + i64::from(k)),
            )?;
        }
        for k in 0..edits {
            let n = (t * 3 + k) % BASE_PEOPLE;
            let pid = Id::from_random_bytes(bytes16(0xB1, d as u32, n));
            let mut p = r
                .get::<yanzhen_model::entities::Person>(&pid)?
                .context("a base person")?;
            p.phone = format!("139{:08}", (t * 1000 + k) % 100_000_000);
            r.put(&p, &meta(&device, 5000 + i64::from(k)))?;
        }
        for c in r.automerge().get_changes(&[]) {
            if !before.contains(&c.hash()) {
                made.push((*id, c.hash()));
            }
        }
        merged[d].merge(&mut r)?;
        out_tablets.push(vec![(*id, r.into_automerge())]);
    }
    let mut expected = HashMap::new();
    let mut changes = HashMap::new();
    let mut people = HashMap::new();
    for ((id, _, _), m) in base.iter().zip(&merged) {
        expected.insert(*id, sorted(m.heads()));
        changes.insert(*id, m.automerge().get_changes(&[]).len());
        people.insert(*id, m.data()?.people.len());
    }
    Ok(Workload {
        base: base
            .into_iter()
            .map(|(id, _, d)| (id, d.into_automerge()))
            .collect(),
        tablets: out_tablets,
        expected,
        changes,
        people,
        made,
    })
}

impl Workload {
    pub fn doc_ids(&self) -> Vec<DocumentId> {
        self.base.iter().map(|(id, _)| *id).collect()
    }

    /// Counts what `am` (a replica of `doc`) holds against the expectation:
    /// the heads, the number of changes, the number of people (no record
    /// lost or duplicated) and every change any tablet made to `doc`.
    pub fn check(&self, who: &str, doc: &DocumentId, am: &Automerge) -> Result<()> {
        let heads = sorted(am.get_heads());
        if heads != self.expected[doc] {
            bail!("{who}: {doc}: heads differ from the union's");
        }
        let n = am.get_changes(&[]).len();
        if n != self.changes[doc] {
            bail!("{who}: {doc}: {n} changes, expected {}", self.changes[doc]);
        }
        let people = UnitDocument::from_automerge(am.clone())?
            .data()?
            .people
            .len();
        if people != self.people[doc] {
            bail!(
                "{who}: {doc}: {people} people, expected {}",
                self.people[doc]
            );
        }
        let missing = self
            .made
            .iter()
            .filter(|(d, h)| d == doc && am.get_change_by_hash(h).is_none())
            .count();
        if missing != 0 {
            bail!("{who}: {doc}: {missing} changes made offline are missing");
        }
        Ok(())
    }

    /// Changes made by all tablets.
    pub fn made_count(&self) -> usize {
        self.made.len()
    }
}

/// Pushes every base document through one peer until the server has them.
pub async fn seed(url: &str, w: &Workload, deadline: Instant) -> Result<()> {
    let mut p = Tablet::chaos("seeder", u64::from(u32::MAX));
    for (id, am) in &w.base {
        p.try_add(*id, am.clone()).await?;
    }
    let ids = w.doc_ids();
    let mut rng = Rng::new(1);
    p.sync_until(url, deadline, Duration::from_secs(5), &mut rng, |p| {
        ids.iter()
            .all(|d| !p.heads(d).is_empty() && p.server_heads(d) == p.heads(d))
    })
    .await?;
    p.close().await;
    Ok(())
}

/// A fresh peer fetches every document from the server and counts each
/// (see [`Workload::check`]); returns the number of changes checked.
pub async fn verify_server(url: &str, w: &Workload, deadline: Instant) -> Result<usize> {
    let mut p = Tablet::chaos("verifier", u64::from(u32::MAX) + 1);
    let ids = w.doc_ids();
    let mut rng = Rng::new(2);
    for d in &ids {
        p.find(*d).await;
    }
    p.sync_until(url, deadline, Duration::from_secs(5), &mut rng, |p| {
        ids.iter()
            .all(|d| p.heads(d) == w.expected[d] && p.server_heads(d) == w.expected[d])
    })
    .await
    .context("fetching the server's copies")?;
    let mut counted = 0;
    for d in &ids {
        let am = p.node.document(d).context("fetched")?;
        w.check("server", d, am)?;
        counted += am.get_changes(&[]).len();
    }
    p.close().await;
    Ok(counted)
}

/// What running the tablets measured.
#[derive(Debug, Default, Clone)]
pub struct TabletsReport {
    pub tablets: usize,
    pub connects: u64,
    pub drops: u64,
    /// Each tablet's time to converge, seconds, sorted.
    pub times_s: Vec<f64>,
}

/// Counters the tablets share while they run.
#[derive(Debug, Default)]
pub struct Progress {
    /// Messages received by all tablets.
    pub received: AtomicU64,
    /// Tablets converged.
    pub converged: AtomicU64,
}

/// Runs every tablet of `w` against `url` until each converged (then
/// checks and counts its replicas); fails at `deadline`.
pub async fn run_tablets(
    url: String,
    w: Arc<Workload>,
    deadline: Instant,
    stall: Duration,
    progress: Arc<Progress>,
) -> Result<TabletsReport> {
    run_tablets_on(vec![url], w, deadline, stall, progress).await
}

/// [`run_tablets`] with the tablets spread over several URLs (server
/// nodes): tablet `t` syncs with `urls[t % urls.len()]`.
pub async fn run_tablets_on(
    urls: Vec<String>,
    w: Arc<Workload>,
    deadline: Instant,
    stall: Duration,
    progress: Arc<Progress>,
) -> Result<TabletsReport> {
    if urls.is_empty() {
        bail!("no server to sync with");
    }
    let mut tasks = Vec::new();
    for t in 0..w.tablets.len() {
        let url = urls[t % urls.len()].clone();
        let (w, progress) = (w.clone(), progress.clone());
        tasks.push(tokio::spawn(async move {
            let mut p = Tablet::chaos(&format!("t{t}"), t as u64);
            for (id, am) in &w.tablets[t] {
                p.try_add(*id, am.clone()).await?;
            }
            let ids: Vec<DocumentId> = w.tablets[t].iter().map(|(id, _)| *id).collect();
            let mut rng = Rng::new(t as u64 + 17);
            let t0 = Instant::now();
            let mut seen = 0;
            p.sync_until(&url, deadline, stall, &mut rng, |p| {
                progress
                    .received
                    .fetch_add(p.received - seen, Ordering::Relaxed);
                seen = p.received;
                p.converged(&ids, &w.expected)
            })
            .await?;
            let took = t0.elapsed().as_secs_f64();
            progress.converged.fetch_add(1, Ordering::SeqCst);
            for id in &ids {
                w.check(&p.name, id, p.node.document(id).context("replica")?)?;
            }
            p.close().await;
            anyhow::Ok((took, p.connects, p.drops))
        }));
    }
    let mut r = TabletsReport {
        tablets: tasks.len(),
        ..TabletsReport::default()
    };
    let mut first_err = None;
    for t in tasks {
        match t.await? {
            Ok((took, c, d)) => {
                r.times_s.push(took);
                r.connects += c;
                r.drops += d;
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    r.times_s.sort_by(f64::total_cmp);
    Ok(r)
}

/// How the proxy misbehaves.
#[derive(Clone, Debug)]
pub struct Chaos {
    /// Each chunk is delayed by up to this (order kept).
    pub max_delay: Duration,
    /// Probability that a connection is cut after a random number of bytes.
    pub cut: f64,
    /// Bytes (both ways) after which a connection to be cut is cut: up to this.
    pub cut_within: u64,
    /// Probability that a connection goes silent (bytes read and
    /// discarded) at some point, then is cut after `blackhole_for`.
    pub blackhole: f64,
    pub blackhole_for: Duration,
    /// The whole link flaps: up this long, then down (every connection cut,
    /// new ones closed at once) for `down`.
    pub up: Duration,
    pub down: Duration,
}

impl Default for Chaos {
    fn default() -> Self {
        Self {
            max_delay: Duration::from_millis(20),
            cut: 0.5,
            cut_within: 6000,
            blackhole: 0.2,
            blackhole_for: Duration::from_millis(300),
            up: Duration::from_millis(700),
            down: Duration::from_millis(200),
        }
    }
}

/// What the proxy did.
#[derive(Debug, Default)]
pub struct ChaosStats {
    pub accepted: AtomicU64,
    pub refused_while_down: AtomicU64,
    pub cut: AtomicU64,
    pub blackholed: AtomicU64,
    pub flaps: AtomicU64,
    pub bytes: AtomicU64,
    pub discarded: AtomicU64,
}

/// A misbehaving loopback proxy in front of `upstream`.
pub struct ChaosProxy {
    pub addr: String,
    pub stats: Arc<ChaosStats>,
    /// Set to stop misbehaving (the link stays up, nothing is cut).
    pub calm: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl ChaosProxy {
    pub async fn start(upstream: String, chaos: Chaos, seed: u64) -> Result<ChaosProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?.to_string();
        let stats = Arc::new(ChaosStats::default());
        let calm = Arc::new(AtomicBool::new(false));
        // `true` while the link is up.
        let (link_tx, link_rx) = tokio::sync::watch::channel(true);
        let flapper = {
            let (chaos, stats, calm) = (chaos.clone(), stats.clone(), calm.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(chaos.up).await;
                    if calm.load(Ordering::Relaxed) {
                        link_tx.send_replace(true);
                        continue;
                    }
                    stats.flaps.fetch_add(1, Ordering::Relaxed);
                    link_tx.send_replace(false);
                    tokio::time::sleep(chaos.down).await;
                    link_tx.send_replace(true);
                }
            })
        };
        let acceptor = {
            let (stats, calm) = (stats.clone(), calm.clone());
            tokio::spawn(async move {
                let mut rng = Rng::new(seed);
                while let Ok((client, _)) = listener.accept().await {
                    stats.accepted.fetch_add(1, Ordering::Relaxed);
                    if !*link_rx.borrow() && !calm.load(Ordering::Relaxed) {
                        stats.refused_while_down.fetch_add(1, Ordering::Relaxed);
                        drop(client);
                        continue;
                    }
                    let calm_now = calm.load(Ordering::Relaxed);
                    let plan = Plan {
                        cut_at: (!calm_now && rng.chance(chaos.cut))
                            .then(|| rng.range(1, chaos.cut_within.max(2))),
                        blackhole_at: (!calm_now && rng.chance(chaos.blackhole))
                            .then(|| rng.range(1, chaos.cut_within.max(2))),
                        seed: rng.next_u64(),
                    };
                    tokio::spawn(connection(
                        client,
                        upstream.clone(),
                        plan,
                        chaos.clone(),
                        stats.clone(),
                        calm.clone(),
                        link_rx.clone(),
                    ));
                }
            })
        };
        Ok(ChaosProxy {
            addr,
            stats,
            calm,
            tasks: vec![flapper, acceptor],
        })
    }

    /// A one-line summary.
    pub fn summary(&self) -> String {
        let s = &self.stats;
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "{} connections, {} refused while down, {} cut, {} blackholed ({} B discarded), {} flaps, {} B forwarded",
            l(&s.accepted),
            l(&s.refused_while_down),
            l(&s.cut),
            l(&s.blackholed),
            l(&s.discarded),
            l(&s.flaps),
            l(&s.bytes)
        )
    }
}

struct Plan {
    cut_at: Option<u64>,
    blackhole_at: Option<u64>,
    seed: u64,
}

async fn connection(
    client: TcpStream,
    upstream: String,
    plan: Plan,
    chaos: Chaos,
    stats: Arc<ChaosStats>,
    calm: Arc<AtomicBool>,
    mut link: tokio::sync::watch::Receiver<bool>,
) {
    let Ok(server) = TcpStream::connect(&upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let total = Arc::new(AtomicU64::new(0));
    let holed = Arc::new(AtomicBool::new(false));
    let (cut_tx, cut_rx) = tokio::sync::watch::channel(false);
    let cut_tx = Arc::new(cut_tx);
    let shared = PipeShared {
        total,
        holed,
        cut_tx: cut_tx.clone(),
        plan: Arc::new(plan),
        chaos: chaos.clone(),
        stats: stats.clone(),
        calm: calm.clone(),
    };
    let up = tokio::spawn(pipe(cr, sw, shared.clone(), cut_rx.clone(), 1));
    let down = tokio::spawn(pipe(sr, cw, shared.clone(), cut_rx.clone(), 2));
    // The link going down cuts the connection.
    let mut cut_rx2 = cut_rx.clone();
    loop {
        tokio::select! {
            changed = link.changed() => {
                if changed.is_err() { break; }
                if !*link.borrow_and_update() && !calm.load(Ordering::Relaxed) {
                    stats.cut.fetch_add(1, Ordering::Relaxed);
                    cut_tx.send_replace(true);
                    break;
                }
            }
            _ = cut_rx2.changed() => break,
        }
    }
    let _ = up.await;
    let _ = down.await;
}

#[derive(Clone)]
struct PipeShared {
    total: Arc<AtomicU64>,
    holed: Arc<AtomicBool>,
    cut_tx: Arc<tokio::sync::watch::Sender<bool>>,
    plan: Arc<Plan>,
    chaos: Chaos,
    stats: Arc<ChaosStats>,
    calm: Arc<AtomicBool>,
}

async fn pipe(
    mut r: tokio::net::tcp::OwnedReadHalf,
    w: tokio::net::tcp::OwnedWriteHalf,
    s: PipeShared,
    mut cut: tokio::sync::watch::Receiver<bool>,
    salt: u64,
) {
    let mut rng = Rng::new(s.plan.seed ^ salt);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let mut writer_cut = cut.clone();
    let writer = tokio::spawn(async move {
        let mut w = w;
        loop {
            tokio::select! {
                next = rx.recv() => {
                    let Some((at, buf)) = next else { break };
                    tokio::time::sleep_until(at.into()).await;
                    if w.write_all(&buf).await.is_err() { break; }
                }
                _ = writer_cut.changed() => break,
            }
        }
        // Dropping the half closes our side; a cut is abrupt for both.
        let _ = w.shutdown().await;
    });
    let mut buf = vec![0u8; 4096];
    let mut last = Instant::now();
    loop {
        let n = tokio::select! {
            read = r.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            },
            _ = cut.changed() => break,
        };
        let calm = s.calm.load(Ordering::Relaxed);
        let total = s.total.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if !calm && s.plan.cut_at.is_some_and(|at| total >= at) {
            s.stats.cut.fetch_add(1, Ordering::Relaxed);
            s.cut_tx.send_replace(true);
            break;
        }
        if !calm && s.plan.blackhole_at.is_some_and(|at| total >= at) {
            if !s.holed.swap(true, Ordering::Relaxed) {
                s.stats.blackholed.fetch_add(1, Ordering::Relaxed);
                let (cut_tx, hold) = (s.cut_tx.clone(), s.chaos.blackhole_for);
                tokio::spawn(async move {
                    tokio::time::sleep(hold).await;
                    cut_tx.send_replace(true);
                });
            }
            s.stats.discarded.fetch_add(n as u64, Ordering::Relaxed);
            continue;
        }
        s.stats.bytes.fetch_add(n as u64, Ordering::Relaxed);
        let delay = if calm {
            Duration::ZERO
        } else {
            Duration::from_millis(rng.range(0, s.chaos.max_delay.as_millis() as u64 + 1))
        };
        // Order is kept: a chunk never leaves before the one before it.
        last = last.max(Instant::now() + delay);
        if tx.send((last, buf[..n].to_vec())).is_err() {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
    // One side is done: so is the connection.
    s.cut_tx.send_replace(true);
}

/// What [`kill_storm`] measured.
#[derive(Debug, Default, Clone)]
pub struct KillReport {
    pub tablets: TabletsReport,
    /// Messages the tablets had received when the server was killed.
    pub received_before_kill: u64,
    /// Tablets that had converged when the server was killed.
    pub converged_before_kill: u64,
    /// From SIGKILL until the restarted server announced itself, seconds.
    pub restart_s: f64,
    /// Changes counted on the server after the storm (and again after a
    /// second SIGKILL and restart).
    pub changes_checked: usize,
    /// Changes the tablets made offline.
    pub made: usize,
}

/// The reconnect storm with a SIGKILL in the middle: the real server over a
/// fresh data directory `data`; every tablet of `w` comes back at once; once
/// they received `kill_after` messages the server is killed (SIGKILL) and
/// restarted on the same directory and port; the tablets reconnect on their
/// own. Then every replica is counted ([`Workload::check`]), the server's
/// through a fresh peer, after a second SIGKILL and restart as well.
pub async fn kill_storm(
    bin: &Path,
    data: &Path,
    w: Workload,
    kill_after: u64,
    deadline: Instant,
    stall: Duration,
) -> Result<KillReport> {
    let (mut server, url) = tokio::task::block_in_place(|| -> Result<_> {
        let code = cli_code(bin, data)?;
        let server = RealServer::start(
            bin,
            data,
            "127.0.0.1:0",
            &["--max-connections-per-device", "0"],
        )?;
        Ok((server, code))
    })?;
    let code = url;
    let token = enrol_token(&server.addr, &code).await?;
    let url = format!("ws://{}/sync?token={token}", server.addr);
    seed(&url, &w, deadline).await.context("seeding")?;
    let w = Arc::new(w);
    let progress = Arc::new(Progress::default());
    let tablets = tokio::spawn(run_tablets(
        url.clone(),
        w.clone(),
        deadline,
        stall,
        progress.clone(),
    ));
    let all = w.tablets.len() as u64;
    while progress.received.load(Ordering::Relaxed) < kill_after
        && progress.converged.load(Ordering::SeqCst) < all
    {
        if Instant::now() > deadline {
            bail!("the storm never got going");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let received_before_kill = progress.received.load(Ordering::Relaxed);
    let converged_before_kill = progress.converged.load(Ordering::SeqCst);
    let t = Instant::now();
    tokio::task::block_in_place(|| -> Result<()> {
        server.kill9()?;
        server.restart()
    })?;
    let restart_s = t.elapsed().as_secs_f64();
    let report = tablets.await??;
    let changes_checked = verify_server(&url, &w, deadline).await?;
    tokio::task::block_in_place(|| -> Result<()> {
        server.kill9()?;
        server.restart()
    })?;
    let again = verify_server(&url, &w, deadline)
        .await
        .context("after a second SIGKILL")?;
    if again != changes_checked {
        bail!("{again} changes after the second restart, {changes_checked} before");
    }
    Ok(KillReport {
        tablets: report,
        received_before_kill,
        converged_before_kill,
        restart_s,
        changes_checked,
        made: w.made_count(),
    })
}

/// What [`flap_storm`] measured.
#[derive(Debug, Default, Clone)]
pub struct FlapReport {
    pub tablets: TabletsReport,
    /// The proxy's counters.
    pub proxy: String,
    pub cuts: u64,
    pub flaps: u64,
    pub blackholed: u64,
    pub changes_checked: usize,
    pub made: usize,
}

/// Every tablet of `w` syncs through a [`ChaosProxy`] in front of the
/// server at `addr` (a sync URL `ws://addr/sync?token=…` is `url`) until
/// each converged; then the proxy calms down and the server's copies are
/// counted through a direct connection.
pub async fn flap_storm(
    addr: &str,
    url: &str,
    w: Workload,
    chaos: Chaos,
    seed_: u64,
    deadline: Instant,
    stall: Duration,
) -> Result<FlapReport> {
    seed(url, &w, deadline).await.context("seeding")?;
    let proxy = ChaosProxy::start(addr.to_owned(), chaos, seed_).await?;
    let via = url.replacen(addr, &proxy.addr, 1);
    let w = Arc::new(w);
    let tablets = run_tablets(
        via.clone(),
        w.clone(),
        deadline,
        stall,
        Arc::new(Progress::default()),
    )
    .await
    .with_context(|| format!("through the proxy ({})", proxy.summary()))?;
    proxy.calm.store(true, Ordering::Relaxed);
    let changes_checked = verify_server(url, &w, deadline).await?;
    let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
    Ok(FlapReport {
        tablets,
        proxy: proxy.summary(),
        cuts: l(&proxy.stats.cut),
        flaps: l(&proxy.stats.flaps),
        blackholed: l(&proxy.stats.blackholed),
        changes_checked,
        made: w.made_count(),
    })
}
