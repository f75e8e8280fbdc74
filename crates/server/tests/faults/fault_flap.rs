//! Fault: the network cuts and flaps during sync. Tablets reach the server
//! (in-process, 127.0.0.1) through a loopback proxy that delays every
//! chunk, cuts connections after a few bytes, blackholes some (reads and
//! discards, then cuts), and takes the whole link down every 0.7 s. They
//! reconnect on their own until converged; then every replica is counted:
//! no change lost, no record duplicated. The long version is `cargo xtask
//! soak` (`loadgen flap`).

use yanzhen_testkit::chaos;
use yanzhen_testkit::server;

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_through_a_cutting_and_flapping_link_converges_without_loss_or_duplicates() {
    let data = tempfile::tempdir().unwrap();
    let server = server::Server::start(data.path(), server::test_settings(), false).await;
    let w = chaos::workload(6, 3, 4, 3).unwrap();
    let made = w.made_count();
    let report = chaos::flap_storm(
        &server.addr,
        &server.url,
        w,
        chaos::Chaos::default(),
        7,
        Instant::now() + Duration::from_secs(90),
        Duration::from_secs(2),
    )
    .await
    .unwrap();
    eprintln!("{report:#?}");
    assert_eq!(report.made, made);
    // 2 documents: 1 genesis + 5 people each, plus every tablet's 7.
    assert_eq!(report.changes_checked, 2 * 6 + made);
    // The proxy really misbehaved, and the tablets really reconnected.
    assert!(report.cuts + report.blackholed > 0, "{}", report.proxy);
    assert!(report.tablets.connects > 6, "{report:?}");
    server.stop().await;
}
