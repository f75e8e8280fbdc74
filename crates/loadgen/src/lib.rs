//! Yanzhen's benchmarks (`cargo xtask bench`).
//!
//! The library holds what does no IO and also builds for wasm32:
//! [`workload`] (the documents and offline changes, made through the model's
//! validated write path) and [`report`] (figures, `BENCHMARKS.md`,
//! `bench/results.json`). The `loadgen` binary is the native load generator:
//! simulated tablets, each a [`yanzhen_sync::SyncNode`] on its own
//! WebSocket, against our server and the reference JS automerge-repo sync
//! server (`bench/reference-server.mjs`), plus a shaping loopback proxy and
//! the app-size measurement.

pub mod report;
pub mod workload;

/// Errors of this library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model refused a write (a bug in the workload).
    #[error("model: {0}")]
    Model(Box<yanzhen_model::ModelError>),
    /// Reading or writing a report file.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A figures file that does not parse.
    #[error("{path}: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
}

impl From<yanzhen_model::ModelError> for Error {
    fn from(e: yanzhen_model::ModelError) -> Self {
        Error::Model(Box::new(e))
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_merge {
    //! The offline-merge benchmark in the browser: run with
    //! `cargo test -p loadgen --lib --target wasm32-unknown-unknown` and
    //! wasm-bindgen-test-runner (headless Chromium); prints
    //! `LOADGEN_WASM_MERGE_MS <median>`.
    use wasm_bindgen_test::*;
    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn merge_10_replicas_x_500_changes() {
        let (base, reps) = crate::workload::merge_workload().unwrap();
        let mut times = Vec::new();
        for _ in 0..5 {
            let (mut target, mut reps) = (base.clone(), reps.clone());
            let t0 = js_sys::Date::now();
            crate::workload::merge_all(&mut target, &mut reps).unwrap();
            times.push(js_sys::Date::now() - t0);
        }
        times.sort_by(f64::total_cmp);
        console_log!(
            "LOADGEN_WASM_MERGE_MS {} runs {:?}",
            times[times.len() / 2],
            times
        );
    }
}
