//! Fault: one of two server nodes behind a real load balancer is killed
//! with SIGKILL in the middle of a reconnect storm. Two `yanzhen-server`
//! processes share one throw-away PostgreSQL ([`yanzhen_pgtest`]); HAProxy
//! ([`yanzhen_testkit::balancer`]) spreads the tablets over both, round
//! robin. Once the tablets got a few answers, node A is killed; its
//! tablets reconnect through the balancer to node B and every change
//! converges: every replica — each tablet's, node B's, and node A's after
//! it is started again — holds every change any tablet made, counted as
//! in `fault_kill` (heads, changes, people, each offline change by hash:
//! nothing lost, nothing duplicated). And the database going away: a
//! PostgreSQL of the test's own is stopped and started again under two
//! nodes, which answer 503 meanwhile and then carry edits across again.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use yanzhen_testkit::{
    balancer::Haproxy,
    chaos,
    process::{RealServer, cli_code_on_database, enrol_token},
};

const BIN: &str = env!("CARGO_BIN_EXE_yanzhen-server");

/// Tablets (of `chaos-t…`) that connected to a node, from its log.
fn tablets_seen(node: &RealServer) -> usize {
    node.log_lines()
        .iter()
        .filter(|l| l.contains("sync peer connected") && l.contains("chaos-t"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_one_node_behind_haproxy_loses_nothing() {
    let deadline = Instant::now() + Duration::from_secs(50);
    let db = yanzhen_pgtest::database();
    let (mut a, b, lb, code) = tokio::task::block_in_place(|| {
        let start = |id: &str| {
            RealServer::start_on_database(
                Path::new(BIN),
                &db,
                "127.0.0.1:0",
                &["--node-id", id, "--max-connections-per-device", "0"],
            )
            .unwrap()
        };
        let (a, b) = (start("a"), start("b"));
        let lb = Haproxy::start(&[&a.addr, &b.addr]).unwrap();
        let code = cli_code_on_database(Path::new(BIN), &db).unwrap();
        (a, b, lb, code)
    });
    let token = enrol_token(&lb.addr, &code).await.unwrap();
    let via_lb = format!("ws://{}/sync?token={token}", lb.addr);

    // 12 tablets, 4 per unit document, each 3 people added and 3 phone
    // numbers edited offline.
    let w = chaos::workload(12, 4, 3, 3).unwrap();
    let made = w.made_count();
    chaos::seed(&via_lb, &w, deadline).await.unwrap();
    let w = Arc::new(w);
    let progress = Arc::new(chaos::Progress::default());
    let tablets = tokio::spawn(chaos::run_tablets(
        via_lb.clone(),
        w.clone(),
        deadline,
        Duration::from_secs(3),
        progress.clone(),
    ));
    // Mid-storm, with tablets at node A: some changes stored and
    // acknowledged, others in flight.
    while (progress.received.load(Ordering::Relaxed) < 6 || tablets_seen(&a) == 0)
        && progress.converged.load(Ordering::SeqCst) < 12
    {
        assert!(Instant::now() < deadline, "the storm never got going");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let converged_before = progress.converged.load(Ordering::SeqCst);
    let on_a_before = tablets_seen(&a);
    let t = Instant::now();
    tokio::task::block_in_place(|| a.kill9()).unwrap();
    let report = tablets.await.unwrap().unwrap();
    let failover_s = t.elapsed().as_secs_f64();
    eprintln!(
        "{report:#?}\nconverged before the kill: {converged_before}; tablets at A before: {on_a_before}; all converged {failover_s:.2} s after the kill"
    );
    assert_eq!(report.times_s.len(), 12);
    // The balancer had sent tablets to both nodes, and the kill hit
    // connected tablets: they lost their links and came back (to B).
    assert!(on_a_before >= 1, "no tablet was at node A");
    assert!(tablets_seen(&b) >= 1, "no tablet was at node B");
    assert!(report.drops >= 1, "{report:?}");
    assert!(report.connects > 12, "{report:?}");

    // Node B's copy, through the balancer (A is down) and directly.
    let expected = 3 * 6 + made;
    let through_lb = chaos::verify_server(&via_lb, &w, deadline).await.unwrap();
    assert_eq!(through_lb, expected);
    let at_b = format!("ws://{}/sync?token={token}", b.addr);
    assert_eq!(
        chaos::verify_server(&at_b, &w, deadline).await.unwrap(),
        expected
    );
    // Node A, started again on the same database, has it all too.
    tokio::task::block_in_place(|| a.restart()).unwrap();
    let at_a = format!("ws://{}/sync?token={token}", a.addr);
    assert_eq!(
        chaos::verify_server(&at_a, &w, deadline).await.unwrap(),
        expected
    );
    drop(lb);
}

/// The value of `v` in a tablet's copy of `doc`.
fn value(t: &yanzhen_testkit::tablet::Tablet, doc: &yanzhen_sync::DocumentId) -> Option<String> {
    use automerge::ReadDoc as _;
    let (v, _) = t.node.document(doc)?.get(automerge::ROOT, "v").ok()??;
    v.into_string().ok()
}

/// PostgreSQL stopped under two nodes and started again: both answer 503
/// on `/healthz` while it is down and 200 once it is back, the tablets'
/// links stay up, and an edit at a tablet of node A reaches a tablet of
/// node B afterwards within seconds — node B's listening connection was
/// made again (the periodic check alone would take 15 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_restarting_under_two_nodes_heals() {
    use automerge::transaction::Transactable as _;
    use yanzhen_testkit::{process::http, tablet::Tablet};

    let cluster = yanzhen_pgtest::Cluster::start().unwrap();
    let db = cluster.create_database("nodes").unwrap();
    let (a, b, code) = tokio::task::block_in_place(|| {
        let start = |id: &str| {
            RealServer::start_on_database(Path::new(BIN), &db, "127.0.0.1:0", &["--node-id", id])
                .unwrap()
        };
        let (a, b) = (start("a"), start("b"));
        let code = cli_code_on_database(Path::new(BIN), &db).unwrap();
        (a, b, code)
    });
    let token = enrol_token(&a.addr, &code).await.unwrap();
    let doc = yanzhen_sync::DocumentId::from_bytes([0xDB; 16]);
    let mut am = automerge::Automerge::new();
    let mut tx = am.transaction();
    tx.put(automerge::ROOT, "v", "before").unwrap();
    tx.commit();
    let mut ta = Tablet::new("at-a", 5);
    ta.connect(&format!("ws://{}/sync?token={token}", a.addr))
        .await;
    ta.add(doc, am).await;
    ta.pump_until("node A has it", |t| t.server_has_our_heads(&doc))
        .await;
    let mut tb = Tablet::new("at-b", 6);
    tb.connect(&format!("ws://{}/sync?token={token}", b.addr))
        .await;
    tb.find(doc).await;
    tb.pump_until("node B's copy", |t| {
        value(t, &doc).as_deref() == Some("before")
    })
    .await;

    tokio::task::block_in_place(|| cluster.stop_server()).unwrap();
    for node in [&a, &b] {
        let (status, body) = http(&node.addr, "GET", "/healthz", None).await.unwrap();
        assert_eq!(status, 503, "{body}");
    }
    tokio::task::block_in_place(|| cluster.start_server()).unwrap();
    let back = Instant::now() + Duration::from_secs(20);
    for node in [&a, &b] {
        loop {
            let (status, _) = http(&node.addr, "GET", "/healthz", None).await.unwrap();
            if status == 200 {
                break;
            }
            assert!(Instant::now() < back, "{} never healthy again", node.addr);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(ta.is_connected() && tb.is_connected());
    ta.change(doc, |d| {
        let mut tx = d.transaction();
        tx.put(automerge::ROOT, "v", "after").unwrap();
        tx.commit();
    })
    .await;
    let t0 = Instant::now();
    tb.pump_until("the edit at node A, after the restart", |t| {
        value(t, &doc).as_deref() == Some("after")
    })
    .await;
    let took = t0.elapsed();
    eprintln!("after the database restart: the edit crossed nodes in {took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    drop((a, b));
}
