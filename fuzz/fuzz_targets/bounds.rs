//! Fuzz target: `yanzhen_sync::bounds` on arbitrary bytes, as a sync
//! message and as a run of storage chunks. It must never panic, and what it
//! lets through must stay within its bounds when Automerge parses it (the
//! run's `-rss_limit_mb` catches an input that passes the check and still
//! makes Automerge allocate without bound).
#![no_main]

use libfuzzer_sys::fuzz_target;
use yanzhen_sync::bounds::{self, Limits};

fuzz_target!(|data: &[u8]| {
    // Smaller limits than the defaults, so that a fuzzer finds the edges.
    let limits = Limits {
        max_inflated_bytes: 1 << 20,
        max_values: 100_000,
        ..Limits::DEFAULT
    };
    if let Ok(used) = bounds::check_sync_message(data, &limits) {
        assert!(used.inflated <= limits.max_inflated_bytes);
        assert!(used.values <= limits.max_values);
        if let Ok(m) = automerge::sync::Message::decode(data) {
            let mut doc = automerge::Automerge::new();
            let mut state = automerge::sync::State::new();
            let _ = automerge::sync::SyncDoc::receive_sync_message(&mut doc, &mut state, m);
        }
    }
    if let Ok(used) = bounds::check_chunks(data, &limits) {
        assert!(used.inflated <= limits.max_inflated_bytes);
        let mut doc = automerge::Automerge::new();
        let _ = doc.load_incremental(data);
    }
});
