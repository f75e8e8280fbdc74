//! Fault: the server binary is killed with SIGKILL in the middle of a
//! reconnect storm (tablets coming back with offline changes), then
//! restarted on the same data directory and port. Every tablet reconnects on
//! its own; in the end every replica — each tablet's and the server's (read
//! back through a fresh peer, again after a second SIGKILL) — holds every
//! change any tablet made, counted: heads, number of changes, number of
//! people, and each offline change by hash. The long version with many
//! tablets is `cargo xtask soak` (`loadgen kill`).

use yanzhen_testkit::chaos;

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_reconnect_storm_loses_nothing() {
    let data = tempfile::tempdir().unwrap();
    // 12 tablets, 4 per unit document, each 3 people added and 3 phone
    // numbers edited offline.
    let w = chaos::workload(12, 4, 3, 3).unwrap();
    let made = w.made_count();
    assert_eq!(made, 12 * 6);
    let report = chaos::kill_storm(
        std::path::Path::new(env!("CARGO_BIN_EXE_yanzhen-server")),
        data.path(),
        w,
        // Killed once the tablets got a few answers: some changes are
        // stored and acknowledged, others are in flight.
        6,
        Instant::now() + Duration::from_secs(90),
        Duration::from_secs(3),
    )
    .await
    .unwrap();
    eprintln!("{report:#?}");
    assert_eq!(report.tablets.tablets, 12);
    assert_eq!(report.made, made);
    // 3 documents: 1 genesis + 5 people each, plus every tablet's 6.
    assert_eq!(report.changes_checked, 3 * 6 + made);
    // The kill hit connected tablets: they lost their links and came back.
    assert_eq!(report.tablets.times_s.len(), 12);
    assert!(report.tablets.drops >= 1, "{report:?}");
    assert!(report.tablets.connects > 12, "{report:?}");
}
