//! The server's health as `/healthz` reports it: a storage fault reported by
//! whoever writes (the sync hub), plus a cheap probe of the database made by
//! `/healthz` itself.
//!
//! * [`Health`] is shared (cheap to clone, an `Arc` inside) and held by
//!   [`crate::AppState`]. The writer that notices storage failing calls
//!   [`Health::storage_failed`] with the reason; once a write succeeds again
//!   it calls [`Health::storage_ok`]. While a fault is set `/healthz` answers
//!   503 `{"status":"storage_fault","error":…,"since":…}`, so a monitor or a
//!   load balancer sees a full disk or a broken database even when every
//!   HTTP request still gets an answer.
//! * `/healthz` also probes the database itself, so a fault is seen with no
//!   sync traffic at all. Every request runs a trivial query
//!   ([`crate::Storage::ping`]); at most once per [`WRITE_PROBE_INTERVAL`]
//!   a request instead makes a tiny write ([`crate::Storage::probe_write`]: one
//!   `meta` row, a real committed and fsynced transaction), because a read
//!   succeeds on a full disk or a read-only file system while every write
//!   fails. Both are bounded by [`PROBE_TIMEOUT`]: a database that does not
//!   answer in time is reported as a fault (503) rather than letting the
//!   health check hang. Throttling the write keeps `/healthz` cheap for a
//!   monitor polling it every few hundred milliseconds under load (one write
//!   per interval competes with the sync hub for SQLite's single writer).
//!   A failed probe makes only that answer 503 (the next request probes
//!   again); it does not set the shared fault, which belongs to the writer.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

/// How long one `/healthz` probe of the database may take before it is
/// reported as a fault.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// How often (at most) `/healthz` makes a test write; in between it only
/// reads.
pub const WRITE_PROBE_INTERVAL: Duration = Duration::from_secs(10);

/// A storage fault as reported by [`Health::storage_failed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageFault {
    /// What went wrong (the error's text; never a secret).
    pub reason: String,
    /// When the fault was first reported (ms since the Unix epoch); a
    /// repeated report keeps the first time.
    pub since_ms: i64,
}

#[derive(Debug, Default)]
struct Inner {
    fault: Mutex<Option<StorageFault>>,
    /// When the last write probe was started (ms since the epoch; 0: never).
    last_write_probe_ms: AtomicI64,
}

/// Shared health state. Cheap to clone; all clones see the same state.
#[derive(Debug, Clone, Default)]
pub struct Health {
    inner: Arc<Inner>,
}

impl Health {
    /// A healthy state: no fault, no probe made yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Storage failed (a write or load did not succeed): `/healthz` answers
    /// 503 with `reason` until [`Health::storage_ok`]. Calling it again
    /// while failed updates the reason and keeps the first time.
    pub fn storage_failed(&self, reason: impl Into<String>) {
        let reason = reason.into();
        let mut fault = self.lock();
        match &mut *fault {
            Some(f) => f.reason = reason,
            None => {
                tracing::error!(%reason, "storage fault: /healthz reports 503");
                *fault = Some(StorageFault {
                    reason,
                    since_ms: crate::auth::now_ms(),
                });
            }
        }
    }

    /// Storage works again: clears the fault (no-op if there is none).
    pub fn storage_ok(&self) {
        if let Some(f) = self.lock().take() {
            tracing::info!(reason = %f.reason, since_ms = f.since_ms, "storage fault cleared");
        }
    }

    /// The current storage fault, if any.
    pub fn storage_fault(&self) -> Option<StorageFault> {
        self.lock().clone()
    }

    /// Whether this caller should make the (throttled) write probe now: true
    /// for at most one caller per [`WRITE_PROBE_INTERVAL`]. `now_ms` is the
    /// current time.
    pub(crate) fn claim_write_probe(&self, now_ms: i64) -> bool {
        let interval = i64::try_from(WRITE_PROBE_INTERVAL.as_millis()).unwrap_or(i64::MAX);
        let last = self.inner.last_write_probe_ms.load(Ordering::Relaxed);
        // A clock that went backwards also allows a probe.
        let due = last == 0 || now_ms.saturating_sub(last) >= interval || now_ms < last;
        due && self
            .inner
            .last_write_probe_ms
            .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }

    /// Forget the last write probe, so the next `/healthz` writes again
    /// (after a failed probe: a fault stays visible until a write works).
    pub(crate) fn write_probe_failed(&self) {
        self.inner.last_write_probe_ms.store(0, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<StorageFault>> {
        // The guarded value is always consistent: recover from poisoning.
        self.inner
            .fault
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_shared_keep_their_first_time_and_clear() {
        let health = Health::new();
        let clone = health.clone();
        assert_eq!(health.storage_fault(), None);
        clone.storage_failed("disk full");
        let first = health.storage_fault().expect("seen through every clone");
        assert_eq!(first.reason, "disk full");
        clone.storage_failed("still full");
        let again = health.storage_fault().unwrap();
        assert_eq!(again.reason, "still full");
        assert_eq!(again.since_ms, first.since_ms);
        health.storage_ok();
        assert_eq!(clone.storage_fault(), None);
        health.storage_ok();
    }

    #[test]
    fn one_write_probe_per_interval() {
        let health = Health::new();
        let interval = WRITE_PROBE_INTERVAL.as_millis() as i64;
        assert!(health.claim_write_probe(1_000_000));
        assert!(!health.claim_write_probe(1_000_001));
        assert!(!health.claim_write_probe(1_000_000 + interval - 1));
        assert!(health.claim_write_probe(1_000_000 + interval));
        // A failed probe is retried by the next request.
        health.write_probe_failed();
        assert!(health.claim_write_probe(1_000_000 + interval + 1));
        // The clock going backwards does not stop probes for good.
        assert!(health.claim_write_probe(5));
    }
}
