//! The reconnect storm: every tablet of a [`StormSpec`] comes back online
//! at once with its offline changes; measured until every replica (each
//! tablet's copy of each of its documents, and the server's, as the server
//! reports its heads to each tablet) holds every change.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use automerge::Automerge;
use loadgen::workload::{self, StormSpec};
use yanzhen_model::store::UnitDocument;
use yanzhen_sync::DocumentId;

use crate::procs::{Kind, ProcStats, Server, ServerPaths};
use yanzhen_testkit::tablet::{Expected, LOADGEN_CONNECT, Tablet, Traffic};

/// Everything a storm needs, made once and cloned for each server.
pub struct Prepared {
    /// Every document as the server gets it before the storm.
    pub base: Vec<(DocumentId, Automerge)>,
    /// Each tablet's replicas after its offline changes.
    pub tablets: Vec<Vec<(DocumentId, Automerge)>>,
    pub expected: Expected,
}

/// The document id of storm document `doc`.
pub fn doc_id(doc: u32) -> DocumentId {
    DocumentId::from_bytes(workload::bytes16(0xF0, doc, 0))
}

/// The storm documents as the server gets them before the storm (`bases[d]`
/// is document `d`), and what convergence means once every tablet's
/// changes are in (`merged[d]`): each document at its sorted heads.
pub fn base_and_expected(
    bases: Vec<UnitDocument>,
    merged: &[UnitDocument],
) -> (Vec<(DocumentId, Automerge)>, Expected) {
    let base = bases
        .into_iter()
        .enumerate()
        .map(|(d, b)| (doc_id(d as u32), b.into_automerge()))
        .collect();
    let expected = merged
        .iter()
        .enumerate()
        .map(|(d, m)| {
            let mut h = m.heads();
            h.sort();
            (doc_id(d as u32), h)
        })
        .collect();
    (base, expected)
}

/// Builds the documents and the tablets' offline changes.
pub fn prepare(spec: StormSpec) -> Result<Prepared> {
    let n = spec.document_count();
    let mut bases = Vec::new();
    for d in 0..n {
        bases.push(workload::base_document(d)?);
    }
    let mut tablets = Vec::new();
    let mut merged: Vec<_> = bases.iter().map(|b| b.fork(&[0xEE; 16])).collect();
    for t in 0..spec.tablets {
        let mut mine = Vec::new();
        for d in spec.docs_of(t) {
            let mut r = workload::tablet_replica(&bases[d as usize], d, t, spec.changes)?;
            merged[d as usize].merge(&mut r)?;
            mine.push((doc_id(d), r.into_automerge()));
        }
        tablets.push(mine);
    }
    let (base, expected) = base_and_expected(bases, &merged);
    Ok(Prepared {
        base,
        tablets,
        expected,
    })
}

/// What one storm measured.
#[derive(Clone, Debug, Default)]
pub struct StormResult {
    /// Until the last replica converged, from the moment all tablets start
    /// connecting.
    pub converge_s: f64,
    /// Median tablet's time to converge.
    pub tablet_p50_s: f64,
    /// Server CPU seconds from the start of the storm until it was over
    /// (plus one second for trailing saves).
    pub server_cpu_s: f64,
    /// Server peak RSS (whole life: seeding included), MiB.
    pub server_peak_rss_mib: f64,
    /// Load generator CPU seconds over the same span.
    pub loadgen_cpu_s: f64,
    /// Seeding the base documents (one client), seconds.
    pub seed_s: f64,
    /// All tablets' traffic.
    pub traffic: Traffic,
    /// Load average before the storm.
    pub load_before: String,
}

/// Pushes every base document to the server through one client and waits
/// until the server reports having it.
pub async fn seed(url: &str, base: &[(DocumentId, Automerge)], deadline: Instant) -> Result<()> {
    let mut c = Tablet::loadgen(u64::from(u32::MAX));
    c.try_connect(url, LOADGEN_CONNECT).await?;
    c.wait_until(deadline, "the server's peer message", Tablet::handshaken)
        .await?;
    for (id, am) in base {
        c.try_add(*id, am.clone()).await?;
    }
    let ids: Vec<DocumentId> = base.iter().map(|(id, _)| *id).collect();
    c.wait_until(deadline, "the server to have every base document", |c| {
        ids.iter().all(|d| c.server_heads(d) == c.heads(d))
    })
    .await?;
    c.close().await;
    Ok(())
}

/// Runs one storm against a fresh server of `kind`.
pub async fn run(
    kind: Kind,
    paths: &ServerPaths,
    p: &Prepared,
    limit: Duration,
) -> Result<StormResult> {
    let server = Server::start(kind, paths, "storm")?;
    let deadline = Instant::now() + limit;
    let t_seed = Instant::now();
    seed(&server.url, &p.base, deadline)
        .await
        .context("seeding")?;
    let seed_s = t_seed.elapsed().as_secs_f64();
    // Let the server finish writing the seed.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let expected = Arc::new(p.expected.clone());
    let armed = arm(&server.url, &p.tablets, expected, deadline).await?;
    let load_before = crate::procs::loadavg();
    let before = server.stats()?;
    let own_before = ProcStats::own()?;
    let t0 = Instant::now();
    let fired = armed.fire().await;
    let all = t0.elapsed();
    let (mut times, traffic) = fired.with_context(|| format!("{} storm", server.kind.label()))?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.stats()?;
    let own_after = ProcStats::own()?;
    times.sort_by(f64::total_cmp);
    let converge_s = times.last().copied().unwrap_or(0.0);
    eprintln!(
        "storm {}: converged in {converge_s:.2} s (all tasks {:.2} s), server CPU {:.2} s, peak RSS {:.1} MiB",
        kind.label(),
        all.as_secs_f64(),
        after.cpu_s - before.cpu_s,
        after.peak_rss_mib
    );
    Ok(StormResult {
        converge_s,
        tablet_p50_s: times.get(times.len() / 2).copied().unwrap_or(0.0),
        server_cpu_s: after.cpu_s - before.cpu_s,
        server_peak_rss_mib: after.peak_rss_mib,
        loadgen_cpu_s: own_after.cpu_s - own_before.cpu_s,
        seed_s,
        traffic,
        load_before,
    })
}

/// Tablets with their offline replicas, each in its own task, waiting for
/// [`Armed::fire`] to connect all at once.
pub struct Armed {
    start: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<Result<(Duration, Traffic)>>>,
}

/// Makes one tablet per entry of `tablets` (its documents after its offline
/// changes), not yet connected to `url`. Once fired, each connects, syncs
/// until it and the server (as the server tells it) hold `expected` for
/// every one of its documents, and then keeps reading (acknowledgements,
/// fan-out) until every tablet is done.
pub async fn arm(
    url: &str,
    tablets: &[Vec<(DocumentId, Automerge)>],
    expected: Arc<Expected>,
    deadline: Instant,
) -> Result<Armed> {
    let (start_tx, start_rx) = tokio::sync::watch::channel(false);
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let done_tx = Arc::new(done_tx);
    let converged = Arc::new(AtomicU32::new(0));
    let total = tablets.len() as u32;
    let mut tasks = Vec::new();
    for (t, docs) in tablets.iter().enumerate() {
        let mut c = Tablet::loadgen(t as u64);
        for (id, am) in docs {
            c.try_add(*id, am.clone()).await?;
        }
        let ids: Vec<DocumentId> = docs.iter().map(|(id, _)| *id).collect();
        let url = url.to_owned();
        let expected = expected.clone();
        let mut start_rx = start_rx.clone();
        let mut done_rx = done_rx.clone();
        let done_tx = done_tx.clone();
        let converged = converged.clone();
        tasks.push(tokio::spawn(async move {
            start_rx.wait_for(|s| *s).await?;
            let t0 = Instant::now();
            let mut tries = 0;
            loop {
                match c.try_connect(&url, LOADGEN_CONNECT).await {
                    Ok(()) => break,
                    Err(e) if tries < 5 => {
                        tries += 1;
                        tokio::time::sleep(Duration::from_millis(100 << tries)).await;
                        let _ = e;
                    }
                    Err(e) => return Err(e.context(format!("tablet {t} connecting"))),
                }
            }
            c.wait_until(deadline, "convergence", |c| c.converged(&ids, &expected))
                .await
                .with_context(|| {
                    // Where it stopped, for whoever debugs it.
                    let docs: Vec<String> = ids
                        .iter()
                        .map(|d| {
                            format!(
                                "{d}: ours {}, the server's as told {}, expected {}",
                                short(&c.heads(d)),
                                short(&c.server_heads(d)),
                                short(&expected[d])
                            )
                        })
                        .collect();
                    format!("tablet {t} ({})", docs.join("; "))
                })?;
            let took = t0.elapsed();
            if converged.fetch_add(1, Ordering::SeqCst) + 1 == total {
                let _ = done_tx.send(true);
            }
            // Keep reading (acknowledgements, fan-out) until everyone is done.
            while !*done_rx.borrow_and_update() && Instant::now() < deadline {
                tokio::select! {
                    r = c.step(Duration::from_millis(200)) => { r?; }
                    _ = done_rx.changed() => {}
                }
            }
            c.close().await;
            anyhow::Ok((took, c.traffic))
        }));
    }
    Ok(Armed {
        start: start_tx,
        tasks,
    })
}

impl Armed {
    /// Connects every tablet at once and waits for all of them: each
    /// tablet's time to converge (seconds, in tablet order) and the traffic
    /// of all; the first tablet's error if any failed.
    pub async fn fire(self) -> Result<(Vec<f64>, Traffic)> {
        self.start.send(true)?;
        let mut times = Vec::new();
        let mut traffic = Traffic::default();
        let mut first_err = None;
        for task in self.tasks {
            match task.await? {
                Ok((took, tr)) => {
                    times.push(took.as_secs_f64());
                    traffic.sent_msgs += tr.sent_msgs;
                    traffic.sent_bytes += tr.sent_bytes;
                    traffic.wire_sent += tr.wire_sent;
                    traffic.recv_msgs += tr.recv_msgs;
                    traffic.recv_bytes += tr.recv_bytes;
                    traffic.wire_recv += tr.wire_recv;
                }
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok((times, traffic)),
        }
    }
}

/// Heads, abbreviated.
fn short(heads: &[automerge::ChangeHash]) -> String {
    let h: Vec<String> = heads
        .iter()
        .map(|h| h.to_string()[..8].to_owned())
        .collect();
    format!("[{}]", h.join(" "))
}
