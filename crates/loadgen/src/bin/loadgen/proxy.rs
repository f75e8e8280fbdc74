//! The slow link: a loopback TCP proxy that shapes each direction to a
//! bandwidth (serialising every chunk at that rate) and delays it by half
//! the round-trip time, and the per-tablet storm sync through it: one tablet
//! of the storm workload (its documents with their offline changes) syncing
//! with a server that has the base documents.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use loadgen::report::{Figure, Target};
use loadgen::workload::StormSpec;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::procs::{Kind, Server, ServerPaths};
use crate::storm;
use yanzhen_testkit::tablet::{Expected, LOADGEN_CONNECT, Tablet};

const SECTION: &str = "6. Slow link";
/// 256 kbit/s each way.
pub const BITS_PER_S: f64 = 256_000.0;
/// 300 ms round trip.
pub const RTT: Duration = Duration::from_millis(300);

/// A running proxy; counts the bytes it forwarded each way.
pub struct Proxy {
    pub addr: String,
    pub up: Arc<AtomicU64>,
    pub down: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on 127.0.0.1 and forwards every connection to `upstream`.
    pub async fn start(upstream: String) -> Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?.to_string();
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (u, d) = (up.clone(), down.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pipe(cr, sw, u.clone()));
                tokio::spawn(pipe(sr, cw, d.clone()));
            }
        });
        Ok(Proxy {
            addr,
            up,
            down,
            task,
        })
    }
}

/// Forwards one direction: each chunk leaves when the link has serialised
/// it, and arrives half a round trip later.
async fn pipe(
    mut r: tokio::net::tcp::OwnedReadHalf,
    mut w: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<AtomicU64>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((at, buf)) = rx.recv().await {
            tokio::time::sleep_until(at.into()).await;
            if w.write_all(&buf).await.is_err() {
                break;
            }
        }
        let _ = w.shutdown().await;
    });
    let mut buf = vec![0u8; 1400];
    let mut free = Instant::now();
    loop {
        let n = match r.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        count.fetch_add(n as u64, Ordering::Relaxed);
        free = free.max(Instant::now()) + Duration::from_secs_f64(n as f64 * 8.0 / BITS_PER_S);
        if tx.send((free + RTT / 2, buf[..n].to_vec())).is_err() {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}

/// Result of one tablet's sync over the slow link.
struct SlowResult {
    secs: f64,
    up: u64,
    down: u64,
}

async fn measure(kind: Kind, paths: &ServerPaths, p: &storm::Prepared) -> Result<SlowResult> {
    let server = Server::start(kind, paths, "slow")?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let tablet = &p.tablets[0];
    let ids: Vec<_> = tablet.iter().map(|(id, _)| *id).collect();
    let base: Vec<_> = p
        .base
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .cloned()
        .collect();
    storm::seed(&server.url, &base, deadline).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Alone online: converged when the server and the tablet both have
    // exactly the tablet's changes.
    let expected: Expected = tablet
        .iter()
        .map(|(id, am)| {
            let mut h = am.get_heads();
            h.sort();
            (*id, h)
        })
        .collect();
    let proxy = Proxy::start(server.addr.clone()).await?;
    let url = server.url.replacen(&server.addr, &proxy.addr, 1);
    let mut c = Tablet::loadgen(7);
    for (id, am) in tablet {
        c.try_add(*id, am.clone()).await?;
    }
    let t0 = Instant::now();
    c.try_connect(&url, LOADGEN_CONNECT).await?;
    c.wait_until(deadline, "convergence over the slow link", |c| {
        c.converged(&ids, &expected)
    })
    .await
    .with_context(|| format!("{} slow link", kind.label()))?;
    let secs = t0.elapsed().as_secs_f64();
    let (up, down) = (
        proxy.up.load(Ordering::Relaxed),
        proxy.down.load(Ordering::Relaxed),
    );
    c.close().await;
    eprintln!(
        "slow link {}: {secs:.2} s, {up} B up, {down} B down",
        kind.label()
    );
    Ok(SlowResult { secs, up, down })
}

/// The figures, ours against the reference.
pub async fn slow_link(paths: &ServerPaths, spec: StormSpec) -> Result<Vec<Figure>> {
    let p = storm::prepare(StormSpec {
        tablets: 1,
        group: 1,
        ..spec
    })?;
    let o = measure(Kind::Ours, paths, &p).await?;
    let r = measure(Kind::Reference, paths, &p).await?;
    let ideal = |s: &SlowResult| (s.up + s.down) as f64 * 8.0 / BITS_PER_S + RTT.as_secs_f64();
    Ok(vec![
        Figure::new(SECTION, "one storm tablet's sync", "s", o.secs)
            .reference(r.secs)
            .target(Target::None)
            .note(format!(
                "{} documents × {} offline changes through a loopback proxy: 256 kbit/s each way, 300 ms RTT; from opening the TCP connection (WebSocket upgrade and join included) until converged",
                spec.docs, spec.changes
            )),
        Figure::new(SECTION, "bytes ÷ bandwidth + 1 RTT", "s", ideal(&o))
            .reference(ideal(&r))
            .note(format!(
                "TCP payload bytes both ways (HTTP upgrade included): ours {} up + {} down, reference {} up + {} down",
                o.up, o.down, r.up, r.down
            )),
        Figure::new(SECTION, "measured ÷ (bytes ÷ bandwidth + 1 RTT)", "×", o.secs / ideal(&o))
            .reference(r.secs / ideal(&r))
            .note("how many times the floor the sync takes: the extra is round trips (upgrade, join/peer, sync rounds)"),
    ])
}
