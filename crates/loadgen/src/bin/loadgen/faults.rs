//! The long fault and load runs of `cargo xtask soak` (the fast versions
//! are `crates/server/tests/faults/`, on the same code:
//! `yanzhen_testkit::chaos`):
//!
//! * `kill`: SIGKILL of the real server in the middle of a reconnect storm,
//!   restart on the same data directory; everything counted.
//! * `flap`: rounds of tablets syncing through a cutting, blackholing,
//!   flapping loopback proxy; everything counted.
//! * `load`: 1,000 concurrent WebSocket clients against one server: time
//!   until all connected and synced, then each makes edits and measures its
//!   sync latency (until the server acknowledged it); `/healthz` is sampled
//!   meanwhile.
//! * `corpus <dir>`: the fuzz targets' seed corpus, from a real exchange.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use loadgen::report::{Figure, Target};

use yanzhen_testkit::tablet::Tablet;
use yanzhen_testkit::{chaos, process};

const KILL: &str = "1. SIGKILL during a reconnect storm";
const FLAP: &str = "3. Network cuts and flapping";
const LOAD: &str = "6. 1,000 concurrent clients";

fn data_dir(scratch: &Path, tag: &str) -> Result<PathBuf> {
    let d = scratch.join(format!("{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

/// The binary over a fresh data directory `tag` with no per-device
/// connection limit, and the sync URL of an admin device enrolled on it:
/// the directory, the server and the URL.
async fn enrolled_server(
    bin: &Path,
    scratch: &Path,
    tag: &str,
) -> Result<(PathBuf, process::RealServer, String)> {
    let data = data_dir(scratch, tag)?;
    let code = tokio::task::block_in_place(|| process::cli_code(bin, &data))?;
    let server = tokio::task::block_in_place(|| {
        process::RealServer::start(
            bin,
            &data,
            "127.0.0.1:0",
            &["--max-connections-per-device", "0"],
        )
    })?;
    let token = process::enrol_token(&server.addr, &code).await?;
    let url = format!("ws://{}/sync?token={token}", server.addr);
    Ok((data, server, url))
}

/// `kill --tablets N --group G --adds A --edits E --kill-after M`.
pub async fn kill(
    bin: &Path,
    scratch: &Path,
    tablets: u32,
    group: u32,
    adds: u32,
    edits: u32,
    kill_after: u64,
) -> Result<Vec<Figure>> {
    let data = data_dir(scratch, "kill")?;
    let w = chaos::workload(tablets, group, adds, edits)?;
    let base: usize = w.changes.values().sum::<usize>() - w.made_count();
    let t0 = Instant::now();
    let r = chaos::kill_storm(
        bin,
        &data,
        w,
        kill_after,
        Instant::now() + Duration::from_secs(300),
        Duration::from_secs(5),
    )
    .await?;
    let took = t0.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&data);
    let lost = (base + r.made) as f64 - r.changes_checked as f64;
    let shape = format!(
        "{tablets} tablets, {group} per unit document, each {adds} people added + {edits} phone edits offline (model writes)"
    );
    Ok(vec![
        Figure::new(KILL, "offline changes made", "changes", r.made as f64).note(shape),
        Figure::new(KILL, "changes lost (counted on the server after restart)", "changes", lost)
            .target(Target::Max(0.0))
            .note(format!(
                "every replica counted: heads, changes, people and each offline change by hash, on all {tablets} tablets and on the server (fresh peer), again after a second SIGKILL; {} changes counted on the server",
                r.changes_checked
            )),
        Figure::new(KILL, "tablets converged before the SIGKILL", "tablets", r.converged_before_kill as f64)
            .note(format!("killed after the tablets received {} messages", r.received_before_kill)),
        Figure::new(KILL, "tablets converged in the end", "tablets", r.tablets.tablets as f64)
            .note(format!("{} connections opened, {} links lost", r.tablets.connects, r.tablets.drops)),
        Figure::new(KILL, "SIGKILL → restarted server listening", "s", r.restart_s),
        Figure::new(KILL, "whole run (storm, kill, restart, convergence, checks)", "s", took),
    ])
}

/// `flap --tablets N --rounds R`: R rounds (seeds) against one server.
pub async fn flap(bin: &Path, scratch: &Path, tablets: u32, rounds: u32) -> Result<Vec<Figure>> {
    let (data, server, url) = enrolled_server(bin, scratch, "flap").await?;
    let (mut made, mut lost, mut cuts, mut flaps, mut holes, mut connects) = (0, 0i64, 0, 0, 0, 0);
    let t0 = Instant::now();
    let mut times = Vec::new();
    for round in 0..rounds {
        // Each round its own documents (the workload's ids carry no round,
        // so a new server database per round would also do; one server
        // keeps the run short).
        let w = chaos::workload(tablets, 4, 4, 4)?;
        let w = rebase(w, round)?;
        let base: usize = w.changes.values().sum::<usize>() - w.made_count();
        let r = chaos::flap_storm(
            &server.addr,
            &url,
            w,
            chaos::Chaos::default(),
            u64::from(round) + 100,
            Instant::now() + Duration::from_secs(240),
            Duration::from_secs(2),
        )
        .await
        .with_context(|| format!("round {round}"))?;
        eprintln!("flap round {round}: {}", r.proxy);
        made += r.made;
        lost += (base + r.made) as i64 - r.changes_checked as i64;
        cuts += r.cuts;
        flaps += r.flaps;
        holes += r.blackholed;
        connects += r.tablets.connects;
        times.extend(r.tablets.times_s);
    }
    let took = t0.elapsed().as_secs_f64();
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    times.sort_by(f64::total_cmp);
    Ok(vec![
        Figure::new(FLAP, "offline changes synced through the bad link", "changes", made as f64)
            .note(format!("{rounds} rounds × {tablets} tablets (4 per unit document, 4 adds + 4 edits each), through a loopback proxy: ≤ 20 ms delay per chunk, half the connections cut within 6 KB, a fifth blackholed (read and discarded) for 0.3 s then cut, the whole link down 0.2 s every 0.7 s")),
        Figure::new(FLAP, "changes lost or duplicated (counted)", "changes", lost.unsigned_abs() as f64)
            .target(Target::Max(0.0))
            .note("every replica: heads, number of changes, number of people (no duplicate record), each offline change by hash; the server's through a direct peer"),
        Figure::new(FLAP, "connections cut / blackholed / link flaps", "events", (cuts + holes + flaps) as f64)
            .note(format!("{cuts} cut, {holes} blackholed, {flaps} flaps; the tablets opened {connects} connections")),
        Figure::new(FLAP, "tablet time to converge, p50", "s", times.get(times.len() / 2).copied().unwrap_or(0.0)),
        Figure::new(FLAP, "tablet time to converge, max", "s", times.last().copied().unwrap_or(0.0))
            .note(format!("whole run {took:.1} s")),
    ])
}

/// The workload with its document ids moved to round `round` (so rounds do
/// not share documents on one server).
fn rebase(mut w: chaos::Workload, round: u32) -> Result<chaos::Workload> {
    let map = |id: &yanzhen_sync::DocumentId| {
        let mut b = *id.as_bytes();
        b[12..16].copy_from_slice(&round.to_le_bytes());
        yanzhen_sync::DocumentId::from_bytes(b)
    };
    for (id, _) in &mut w.base {
        *id = map(id);
    }
    for t in &mut w.tablets {
        for (id, _) in t {
            *id = map(id);
        }
    }
    w.expected = w
        .expected
        .iter()
        .map(|(k, v)| (map(k), v.clone()))
        .collect();
    w.changes = w.changes.iter().map(|(k, v)| (map(k), *v)).collect();
    w.people = w.people.iter().map(|(k, v)| (map(k), *v)).collect();
    for (d, _) in &mut w.made {
        *d = map(d);
    }
    Ok(w)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `load --clients N --edits E`.
pub async fn load(bin: &Path, scratch: &Path, clients: u32, edits: u32) -> Result<Vec<Figure>> {
    let (data, mut server, url) = enrolled_server(bin, scratch, "load").await?;
    let pid = server.pid().context("server pid")?;
    // 10 clients per unit document, each with one offline change.
    let w = chaos::workload(clients, 10, 1, 0)?;
    let deadline = Instant::now() + Duration::from_secs(400);
    chaos::seed(&url, &w, deadline).await?;
    let w = Arc::new(w);

    // /healthz sampled every 250 ms for the whole run.
    let stop = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (addr, stop) = (server.addr.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut ok, mut total, mut worst) = (0u64, 0u64, 0f64);
            while stop.load(Ordering::Relaxed) == 0 {
                let t = Instant::now();
                total += 1;
                if matches!(
                    process::http(&addr, "GET", "/healthz", None).await,
                    Ok((200, _))
                ) {
                    ok += 1;
                }
                worst = worst.max(t.elapsed().as_secs_f64());
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            (ok, total, worst)
        })
    };
    let before = crate::procs::ProcStats::of(pid)?;
    let connected = Arc::new(AtomicU64::new(0));
    let all_connected = Arc::new(tokio::sync::Notify::new());
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients as usize {
        let (url, w, connected, all) = (
            url.clone(),
            w.clone(),
            connected.clone(),
            all_connected.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut p = Tablet::chaos(&format!("load{c}"), c as u64);
            for (id, am) in &w.tablets[c] {
                p.try_add(*id, am.clone()).await?;
            }
            let ids: Vec<_> = w.tablets[c].iter().map(|(id, _)| *id).collect();
            let mut rng = chaos::Rng::new(c as u64);
            p.sync_until(&url, deadline, Duration::from_secs(30), &mut rng, |p| {
                p.converged(&ids, &w.expected)
            })
            .await?;
            let synced = t0.elapsed().as_secs_f64();
            if connected.fetch_add(1, Ordering::SeqCst) + 1 == clients as u64 {
                all.notify_waiters();
            }
            // Wait until every client is in (keep reading meanwhile).
            while connected.load(Ordering::SeqCst) < clients as u64 {
                tokio::select! {
                    r = p.step(Duration::from_millis(500)) => { r?; }
                    () = all.notified() => {}
                }
            }
            // Edits spread over 20 s: each measured until the server
            // acknowledged it (told us it has our heads).
            let mut lat = Vec::new();
            let doc = ids[0];
            for e in 0..edits {
                let wait = rng.range(0, 20_000 / u64::from(edits.max(1)));
                let until = Instant::now() + Duration::from_millis(wait);
                while Instant::now() < until {
                    p.step(until.saturating_duration_since(Instant::now()))
                        .await?;
                }
                let t = Instant::now();
                let key = format!("load-{c}-{e}");
                let (_, fx) = p.node.change(doc, |am| {
                    use automerge::transaction::Transactable as _;
                    let mut tx = am.transaction();
                    let _ = tx.put(automerge::ROOT, key.as_str(), e as i64);
                    tx.commit();
                })?;
                p.apply(fx).await?;
                p.sync_until(&url, deadline, Duration::from_secs(30), &mut rng, |p| {
                    let h = p.heads(&doc);
                    p.server_heads(&doc) == h
                })
                .await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let drops = p.drops;
            // Stay connected until everyone measured (the load stays on).
            anyhow::Ok((synced, lat, drops, p))
        }));
    }
    let mut synced = Vec::new();
    let mut lat = Vec::new();
    let mut drops = 0;
    let mut peers = Vec::new();
    let mut first_err = None;
    for t in tasks {
        match t.await? {
            Ok((s, l, d, p)) => {
                synced.push(s);
                lat.extend(l);
                drops += d;
                peers.push(p);
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    let took = t0.elapsed().as_secs_f64();
    let after = crate::procs::ProcStats::of(pid)?;
    stop.store(1, Ordering::Relaxed);
    let (ok, total, worst) = sampler.await?;
    for mut p in peers {
        p.close().await;
    }
    let _ = server.kill9();
    let _ = std::fs::remove_dir_all(&data);
    if let Some(e) = first_err {
        bail!("load: {e:#}");
    }
    synced.sort_by(f64::total_cmp);
    lat.sort_by(f64::total_cmp);
    let n = lat.len();
    Ok(vec![
        Figure::new(LOAD, "clients connected and synced", "clients", synced.len() as f64)
            .target(Target::Min(f64::from(clients)))
            .note(format!(
                "{clients} WebSockets to one server at once (10 per unit document, one offline change each); all in sync after {:.1} s (p50 {:.1} s); {drops} links lost",
                synced.last().copied().unwrap_or(0.0),
                percentile(&synced, 0.5)
            )),
        Figure::new(LOAD, "sync latency p50", "ms", percentile(&lat, 0.5)).note(format!(
            "{n} edits ({edits} per client, spread over 20 s while all {clients} stay connected): from the local change until the server told the client it has it (stored, then acknowledged)"
        )),
        Figure::new(LOAD, "sync latency p99", "ms", percentile(&lat, 0.99))
            .note(format!("max {:.0} ms", lat.last().copied().unwrap_or(0.0))),
        Figure::new(LOAD, "/healthz answered during the load", "%", if total == 0 { 0.0 } else { ok as f64 * 100.0 / total as f64 })
            .target(Target::Min(100.0))
            .note(format!("{ok} of {total} samples (every 250 ms) answered 200; slowest {:.0} ms", worst * 1000.0)),
        Figure::new(LOAD, "server CPU / peak RSS", "s", after.cpu_s - before.cpu_s)
            .note(format!("peak RSS {:.0} MiB; whole run {took:.1} s on the shared 2-core machine", after.peak_rss_mib)),
    ])
}

/// Writes the fuzz targets' seed corpus: the messages of a real exchange
/// (a client and the server-role node, in memory) between a tablet with a
/// model document and the server.
pub fn corpus(dir: &Path) -> Result<usize> {
    use yanzhen_sync::{
        Config, ConnectionId, DocumentId, Effect, Event, PeerId, PeerMetadata, StorageId, SyncNode,
    };
    let mut client = SyncNode::new(Config::client(
        PeerId::new("tablet"),
        PeerMetadata::durable(StorageId::from_random([1; 16])),
    ));
    let mut server = SyncNode::new(Config::server(
        PeerId::new("yanzhen-server-fuzz"),
        PeerMetadata::durable(StorageId::new("00000000-0000-4000-8000-000000000000")),
    ));
    let w = chaos::workload(2, 2, 2, 2)?;
    // Ids the fuzz target's policy reads as read-write (first byte % 3 == 0)
    // and the document the target holds.
    let mine = DocumentId::from_bytes([3; 16]);
    client.add_document(mine, w.tablets[0][0].1.clone())?;
    let (c, s) = (ConnectionId(1), ConnectionId(1));
    let mut to_server: Vec<Vec<u8>> = Vec::new();
    let mut to_client: Vec<Vec<u8>> = Vec::new();
    let mut pending_c = client.handle(
        0,
        Event::Connected {
            conn: c,
            initiator: true,
        },
    );
    let mut pending_s = server.handle(
        0,
        Event::Connected {
            conn: s,
            initiator: false,
        },
    );
    pending_c.extend(client.find(DocumentId::from_bytes([0; 16])));
    for round in 0..50u64 {
        let mut next_s = Vec::new();
        for e in pending_c.drain(..) {
            if let Effect::Send { bytes, .. } = e {
                to_server.push(bytes.clone());
                next_s.extend(server.handle(round, Event::Received { conn: s, bytes }));
            }
        }
        let mut next_c = Vec::new();
        let mut queue: std::collections::VecDeque<Effect> = std::mem::take(&mut pending_s)
            .into_iter()
            .chain(next_s)
            .collect();
        while let Some(e) = queue.pop_front() {
            match e {
                Effect::Send { bytes, .. } => {
                    to_client.push(bytes.clone());
                    next_c.extend(client.handle(round, Event::Received { conn: c, bytes }));
                }
                Effect::LoadDocument { doc } => {
                    queue.extend(server.handle(
                        round,
                        Event::DocumentLoaded {
                            doc,
                            chunks: Vec::new(),
                        },
                    ));
                }
                _ => {}
            }
        }
        pending_c = next_c;
        if round == 3 {
            let (_, fx) = client.change(mine, |am| {
                use automerge::transaction::Transactable as _;
                let mut tx = am.transaction();
                let _ = tx.put(automerge::ROOT, "k", "v");
                tx.commit();
            })?;
            pending_c.extend(fx);
        }
        if pending_c.is_empty() && pending_s.is_empty() {
            break;
        }
    }
    let decode = dir.join("decode");
    let handle = dir.join("server_handle");
    std::fs::create_dir_all(&decode)?;
    std::fs::create_dir_all(&handle)?;
    let mut n = 0;
    for (i, m) in to_server.iter().chain(&to_client).enumerate() {
        std::fs::write(decode.join(format!("msg-{i:03}")), m)?;
        n += 1;
    }
    let frame = |op: u8, m: &[u8]| {
        let mut v = vec![op];
        v.extend_from_slice(&(m.len().min(usize::from(u16::MAX)) as u16).to_le_bytes());
        v.extend_from_slice(&m[..m.len().min(usize::from(u16::MAX))]);
        v
    };
    // The whole session as one input, and the join with each message.
    let session: Vec<u8> = to_server.iter().flat_map(|m| frame(0, m)).collect();
    std::fs::write(handle.join("session"), &session)?;
    n += 1;
    if let Some(join) = to_server.first() {
        for (i, m) in to_server.iter().enumerate().skip(1) {
            let mut v = frame(0, join);
            v.extend(frame(if i % 2 == 0 { 0x41 } else { 0x01 }, m));
            std::fs::write(handle.join(format!("join-msg-{i:03}")), v)?;
            n += 1;
        }
    }
    Ok(n)
}
