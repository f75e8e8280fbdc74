//! Operational metrics: counters kept in atomics by the code that does the
//! work ([`Metrics`]), the storage wrapper timing every operation
//! ([`MeteredStorage`]), and `GET /metrics` rendering them in Prometheus'
//! text exposition format, version 0.0.4 ([`Metrics::render`], [`serve`]).
//!
//! Counts only: no metric carries a label made from client input, a
//! document id, a device, a person or an address. Label values come from
//! fixed sets (a storage operation, a refusal's message key, an enrolment
//! result) plus the node id (`--node-id`). Who may read `/metrics`:
//! [`MetricsAccess`] (loopback only by default, or whoever presents
//! `--metrics-token`).
//!
//! Long file: the counters, the storage timing wrapper and the text renderer
//! change together (a metric is added in all three); tests beside them.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicI64, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, State},
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest as _, Sha256};

use crate::{
    AppState,
    storage::{BoxFuture, Entries, Storage},
};

/// `Content-Type` of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds (seconds) of the storage latency histogram's buckets.
pub const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// A storage operation, the `op` label of the storage metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageOp {
    Get,
    Put,
    PutAll,
    Delete,
    ListPrefix,
    ListKeys,
    MetaGet,
    MetaPut,
    IsEmpty,
    Ping,
    ProbeWrite,
}

impl StorageOp {
    /// Every operation, in the order they are rendered.
    pub const ALL: [StorageOp; 11] = [
        StorageOp::Get,
        StorageOp::Put,
        StorageOp::PutAll,
        StorageOp::Delete,
        StorageOp::ListPrefix,
        StorageOp::ListKeys,
        StorageOp::MetaGet,
        StorageOp::MetaPut,
        StorageOp::IsEmpty,
        StorageOp::Ping,
        StorageOp::ProbeWrite,
    ];

    /// The label value.
    pub fn name(self) -> &'static str {
        match self {
            StorageOp::Get => "get",
            StorageOp::Put => "put",
            StorageOp::PutAll => "put_all",
            StorageOp::Delete => "delete",
            StorageOp::ListPrefix => "list_prefix",
            StorageOp::ListKeys => "list_keys",
            StorageOp::MetaGet => "meta_get",
            StorageOp::MetaPut => "meta_put",
            StorageOp::IsEmpty => "is_empty",
            StorageOp::Ping => "ping",
            StorageOp::ProbeWrite => "probe_write",
        }
    }
}

/// Latency histogram and error count of one storage operation.
#[derive(Default)]
struct OpStats {
    /// Non-cumulative counts per bucket; the last one is `+Inf`.
    buckets: [AtomicU64; LATENCY_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
    count: AtomicU64,
    errors: AtomicU64,
}

/// Counts by a label value from a fixed set.
type Keyed = Mutex<BTreeMap<&'static str, u64>>;

#[derive(Default)]
struct Inner {
    node_id: String,
    connections: AtomicI64,
    connections_opened: AtomicU64,
    messages_in: AtomicU64,
    bytes_in: AtomicU64,
    messages_out: AtomicU64,
    bytes_out: AtomicU64,
    documents_loaded: AtomicU64,
    documents_stored: AtomicU64,
    documents_in_memory: AtomicU64,
    storage: [OpStats; StorageOp::ALL.len()],
    /// By message key (a fixed set: [`refusal_key`]).
    refusals: Keyed,
    /// By result: `ok` or the refusal's message key.
    enrolments: Keyed,
}

/// The server's metrics. Cheap to clone (shared counters).
#[derive(Clone, Default)]
pub struct Metrics(Arc<Inner>);

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("node_id", &self.0.node_id)
            .finish_non_exhaustive()
    }
}

fn bump(map: &Keyed, key: &'static str) {
    *map.lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key)
        .or_insert(0) += 1;
}

impl Metrics {
    /// Fresh counters for the node `node_id` (the `node` label).
    pub fn new(node_id: &str) -> Self {
        Self(Arc::new(Inner {
            node_id: node_id.to_owned(),
            ..Inner::default()
        }))
    }

    /// The node id of the `node` label.
    pub fn node_id(&self) -> &str {
        &self.0.node_id
    }

    /// A sync WebSocket opened; the returned guard counts it as open until
    /// dropped.
    pub fn connection_opened(&self) -> ConnectionGuard {
        self.0.connections_opened.fetch_add(1, Ordering::Relaxed);
        self.0.connections.fetch_add(1, Ordering::Relaxed);
        ConnectionGuard(self.clone())
    }

    /// Sync connections open now.
    pub fn open_connections(&self) -> i64 {
        self.0.connections.load(Ordering::Relaxed)
    }

    /// A sync message of `len` bytes received.
    pub fn message_in(&self, len: usize) {
        self.0.messages_in.fetch_add(1, Ordering::Relaxed);
        self.0.bytes_in.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// A sync message of `len` bytes written to a socket.
    pub fn message_out(&self, len: usize) {
        self.0.messages_out.fetch_add(1, Ordering::Relaxed);
        self.0.bytes_out.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// A document loaded from storage into the sync node.
    pub fn document_loaded(&self) {
        self.0.documents_loaded.fetch_add(1, Ordering::Relaxed);
    }

    /// The sync node holds `n` documents in memory now.
    pub fn documents_in_memory(&self, n: usize) {
        self.0
            .documents_in_memory
            .store(n as u64, Ordering::Relaxed);
    }

    /// `n` documents' saves committed to storage.
    pub fn documents_stored(&self, n: usize) {
        self.0
            .documents_stored
            .fetch_add(n as u64, Ordering::Relaxed);
    }

    /// A refusal sent to a client: `key` is its message key (see
    /// [`refusal_key`] for messages that are not one).
    pub fn refusal(&self, key: &'static str) {
        bump(&self.0.refusals, key);
    }

    /// An enrolment: `ok`, or the refusal's message key.
    pub fn enrolment(&self, result: &'static str) {
        bump(&self.0.enrolments, result);
    }

    /// One storage operation took `took`, and failed or not.
    pub fn storage_op(&self, op: StorageOp, took: Duration, ok: bool) {
        let stats = &self.0.storage[op as usize];
        let secs = took.as_secs_f64();
        let bucket = LATENCY_BUCKETS
            .iter()
            .position(|&le| secs <= le)
            .unwrap_or(LATENCY_BUCKETS.len());
        stats.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        stats.sum_micros.fetch_add(micros, Ordering::Relaxed);
        stats.count.fetch_add(1, Ordering::Relaxed);
        if !ok {
            stats.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Every metric in the text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let m = &self.0;
        let node = escape_label(&m.node_id);
        let mut out = String::with_capacity(8 * 1024);
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
        };
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);

        head(
            &mut out,
            "yanzhen_build_info",
            "gauge",
            "The server's version and node id (always 1).",
        );
        let _ = writeln!(
            out,
            "yanzhen_build_info{{node=\"{node}\",version=\"{}\"}} 1",
            escape_label(crate::VERSION)
        );
        let simple: [(&str, &str, &str, i128); 9] = [
            (
                "yanzhen_sync_connections",
                "gauge",
                "Sync WebSocket connections open now.",
                i128::from(m.connections.load(Ordering::Relaxed)),
            ),
            (
                "yanzhen_sync_connections_opened_total",
                "counter",
                "Sync WebSocket connections accepted.",
                load(&m.connections_opened).into(),
            ),
            (
                "yanzhen_sync_messages_received_total",
                "counter",
                "Sync messages received from clients.",
                load(&m.messages_in).into(),
            ),
            (
                "yanzhen_sync_received_bytes_total",
                "counter",
                "Bytes of sync messages received from clients.",
                load(&m.bytes_in).into(),
            ),
            (
                "yanzhen_sync_messages_sent_total",
                "counter",
                "Sync messages sent to clients.",
                load(&m.messages_out).into(),
            ),
            (
                "yanzhen_sync_sent_bytes_total",
                "counter",
                "Bytes of sync messages sent to clients.",
                load(&m.bytes_out).into(),
            ),
            (
                "yanzhen_documents_loaded_total",
                "counter",
                "Documents loaded from storage into the sync node.",
                load(&m.documents_loaded).into(),
            ),
            (
                "yanzhen_documents_in_memory",
                "gauge",
                "Documents the sync node holds in memory (after its last batch).",
                load(&m.documents_in_memory).into(),
            ),
            (
                "yanzhen_documents_stored_total",
                "counter",
                "Document saves committed to storage (one per document and batch).",
                load(&m.documents_stored).into(),
            ),
        ];
        for (name, kind, help, value) in simple {
            head(&mut out, name, kind, help);
            let _ = writeln!(out, "{name}{{node=\"{node}\"}} {value}");
        }

        head(
            &mut out,
            "yanzhen_storage_operation_duration_seconds",
            "histogram",
            "Time storage operations took (sync hub and HTTP handlers).",
        );
        for op in StorageOp::ALL {
            let stats = &m.storage[op as usize];
            let name = op.name();
            let mut cumulative = 0u64;
            for (i, le) in LATENCY_BUCKETS.iter().enumerate() {
                cumulative += load(&stats.buckets[i]);
                let _ = writeln!(
                    out,
                    "yanzhen_storage_operation_duration_seconds_bucket{{node=\"{node}\",op=\"{name}\",le=\"{le}\"}} {cumulative}"
                );
            }
            cumulative += load(&stats.buckets[LATENCY_BUCKETS.len()]);
            let _ = writeln!(
                out,
                "yanzhen_storage_operation_duration_seconds_bucket{{node=\"{node}\",op=\"{name}\",le=\"+Inf\"}} {cumulative}"
            );
            let sum = load(&stats.sum_micros) as f64 / 1e6;
            let _ = writeln!(
                out,
                "yanzhen_storage_operation_duration_seconds_sum{{node=\"{node}\",op=\"{name}\"}} {sum}"
            );
            // The count is the +Inf bucket's (read once, so they agree).
            let _ = writeln!(
                out,
                "yanzhen_storage_operation_duration_seconds_count{{node=\"{node}\",op=\"{name}\"}} {cumulative}"
            );
        }
        head(
            &mut out,
            "yanzhen_storage_errors_total",
            "counter",
            "Storage operations that failed.",
        );
        for op in StorageOp::ALL {
            let _ = writeln!(
                out,
                "yanzhen_storage_errors_total{{node=\"{node}\",op=\"{}\"}} {}",
                op.name(),
                load(&m.storage[op as usize].errors)
            );
        }

        let keyed: [(&str, &str, &str, &Keyed); 2] = [
            (
                "yanzhen_sync_refusals_total",
                "reason",
                "Refusals sent to sync clients (and tokens refused before the upgrade), by message key.",
                &m.refusals,
            ),
            (
                "yanzhen_enrolments_total",
                "result",
                "Enrolment attempts, by result (ok or the refusal's message key).",
                &m.enrolments,
            ),
        ];
        for (name, label, help, map) in keyed {
            head(&mut out, name, "counter", help);
            let map = map.lock().unwrap_or_else(|e| e.into_inner()).clone();
            for (key, n) in map {
                let _ = writeln!(
                    out,
                    "{name}{{node=\"{node}\",{label}=\"{}\"}} {n}",
                    escape_label(key)
                );
            }
        }
        out
    }
}

/// Counts a sync connection as open while it lives.
#[derive(Debug)]
pub struct ConnectionGuard(Metrics);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.0.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The message key counted for a protocol `error` the server sends: the
/// text itself when it is one of the server's keys, else a key for the
/// sync node's kind of refusal (its texts name peers and documents, which
/// must not become label values). A fixed set, so the label stays small.
pub fn refusal_key(message: &str) -> &'static str {
    const KEYS: [&str; 5] = [
        crate::sync::REVOKED,
        crate::sync::SCHEMA_INVALID,
        crate::sync::AUTHORSHIP_REFUSED,
        crate::sync::STORAGE_WRITE_FAILED,
        crate::sync::TOO_MANY_CONNECTIONS,
    ];
    if let Some(key) = KEYS.iter().find(|k| message == **k) {
        return key;
    }
    let has = |s: &str| message.contains(s);
    if message.starts_with("access denied") {
        "access.denied"
    } else if has("exceeds the limit") {
        "message.too_large"
    } else if message.starts_with("ephemeral messages over") {
        "message.rate_limited"
    } else if has("is in use by another device") {
        "peer.in_use"
    } else if has("expected a join")
        || has("join without")
        || has("unsupported protocol")
        || has("senderId")
    {
        "protocol.violation"
    } else if has("invalid sync message") || has("does not apply") || has("refused:") {
        "message.invalid"
    } else {
        "message.malformed"
    }
}

/// [`Storage`] that times every operation of another and counts its
/// failures in [`Metrics`].
pub struct MeteredStorage {
    inner: Arc<dyn Storage>,
    metrics: Metrics,
}

impl MeteredStorage {
    /// `inner`, timed into `metrics`.
    pub fn new(inner: Arc<dyn Storage>, metrics: Metrics) -> Self {
        Self { inner, metrics }
    }

    async fn timed<T>(
        &self,
        op: StorageOp,
        fut: impl std::future::Future<Output = crate::Result<T>>,
    ) -> crate::Result<T> {
        let start = Instant::now();
        let result = fut.await;
        self.metrics.storage_op(op, start.elapsed(), result.is_ok());
        result
    }
}

impl Storage for MeteredStorage {
    fn storage_id(&self) -> &str {
        self.inner.storage_id()
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, crate::Result<Option<Vec<u8>>>> {
        Box::pin(self.timed(StorageOp::Get, self.inner.get(key)))
    }

    fn put<'a>(&'a self, key: &'a str, value: &'a [u8]) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::Put, self.inner.put(key, value)))
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::Delete, self.inner.delete(key)))
    }

    fn list_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, crate::Result<Entries>> {
        Box::pin(self.timed(StorageOp::ListPrefix, self.inner.list_prefix(prefix)))
    }

    fn list_keys<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, crate::Result<Vec<String>>> {
        Box::pin(self.timed(StorageOp::ListKeys, self.inner.list_keys(prefix)))
    }

    fn put_all<'a>(&'a self, entries: &'a [(String, Vec<u8>)]) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::PutAll, self.inner.put_all(entries)))
    }

    fn meta_get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, crate::Result<Option<String>>> {
        Box::pin(self.timed(StorageOp::MetaGet, self.inner.meta_get(key)))
    }

    fn meta_put<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::MetaPut, self.inner.meta_put(key, value)))
    }

    fn is_empty(&self) -> BoxFuture<'_, crate::Result<bool>> {
        Box::pin(self.timed(StorageOp::IsEmpty, self.inner.is_empty()))
    }

    fn ping(&self) -> BoxFuture<'_, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::Ping, self.inner.ping()))
    }

    fn probe_write(&self) -> BoxFuture<'_, crate::Result<()>> {
        Box::pin(self.timed(StorageOp::ProbeWrite, self.inner.probe_write()))
    }

    fn close(&self) -> BoxFuture<'_, ()> {
        self.inner.close()
    }
}

/// Who may read `/metrics`.
#[derive(Clone, Default)]
pub enum MetricsAccess {
    /// Only requests whose TCP peer is a loopback address and that carry no
    /// forwarding header (a reverse proxy on the same host forwarding
    /// someone else's request is not "local"). The default.
    #[default]
    Loopback,
    /// Only requests with `Authorization: Bearer <token>` (from anywhere,
    /// loopback included); the SHA-256 of the token is kept.
    Token([u8; 32]),
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricsAccess::Loopback => f.write_str("Loopback"),
            MetricsAccess::Token(_) => f.write_str("Token(***)"),
        }
    }
}

/// Shortest and longest `--metrics-token` accepted.
pub const TOKEN_LEN: std::ops::RangeInclusive<usize> = 16..=256;

impl MetricsAccess {
    /// Access by `token` (`--metrics-token`).
    pub fn token(token: &str) -> Self {
        MetricsAccess::Token(Sha256::digest(token.as_bytes()).into())
    }

    /// Whether a request from `peer` with `headers` may read the metrics.
    pub fn allows(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
        match self {
            MetricsAccess::Loopback => {
                let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
                    .iter()
                    .any(|h| headers.contains_key(*h));
                !forwarded && peer.is_some_and(|p| p.ip().to_canonical().is_loopback())
            }
            MetricsAccess::Token(want) => {
                let Some(given) = crate::api::bearer_token(headers) else {
                    return false;
                };
                let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
                // Comparing digests: the time taken says nothing about the token.
                given
                    .iter()
                    .zip(want)
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
            }
        }
    }
}

/// `--metrics-token`'s parser: printable ASCII without spaces, of a length
/// in [`TOKEN_LEN`].
pub fn parse_token(s: &str) -> Result<String, String> {
    if !TOKEN_LEN.contains(&s.len()) {
        return Err(format!(
            "the metrics token must be {} to {} characters long",
            TOKEN_LEN.start(),
            TOKEN_LEN.end()
        ));
    }
    if !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("the metrics token must be printable ASCII without spaces".into());
    }
    Ok(s.to_owned())
}

/// `GET /metrics`: the metrics (text format 0.0.4) for a request
/// [`MetricsAccess`] allows; 403 `{"error":"metrics.forbidden"}` otherwise.
pub async fn serve(State(state): State<AppState>, ext: Extensions, headers: HeaderMap) -> Response {
    let peer = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    // A `--trusted-proxy` on this host relays other people's requests:
    // what comes from it is not local, whatever headers it sets.
    let direct = peer.filter(|p| !state.trusted_proxies.is_trusted(p.ip().to_canonical()));
    let mut res = if state.metrics_access.allows(direct, &headers) {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
            state.metrics.render(),
        )
            .into_response()
    } else {
        tracing::info!(peer = ?peer.map(|p| p.ip()), "metrics request refused");
        crate::api::error(StatusCode::FORBIDDEN, "metrics.forbidden")
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_is_the_text_format() {
        let m = Metrics::new("node-\"1\"");
        m.message_in(10);
        m.refusal(refusal_key("access denied: peer x may not read document y"));
        m.storage_op(StorageOp::Put, Duration::from_millis(3), true);
        m.storage_op(StorageOp::Put, Duration::from_secs(60), false);
        let text = m.render();
        assert!(text.contains("yanzhen_sync_messages_received_total{node=\"node-\\\"1\\\"\"} 1\n"));
        assert!(text.contains(
            "yanzhen_sync_refusals_total{node=\"node-\\\"1\\\"\",reason=\"access.denied\"} 1\n"
        ));
        assert!(text.contains(
            "yanzhen_storage_operation_duration_seconds_bucket{node=\"node-\\\"1\\\"\",op=\"put\",le=\"0.005\"} 1\n"
        ));
        assert!(text.contains(
            "yanzhen_storage_operation_duration_seconds_bucket{node=\"node-\\\"1\\\"\",op=\"put\",le=\"+Inf\"} 2\n"
        ));
        assert!(
            text.contains("yanzhen_storage_errors_total{node=\"node-\\\"1\\\"\",op=\"put\"} 1\n")
        );
        // Every sample's metric was announced by # TYPE first.
        let mut typed = std::collections::HashSet::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                typed.insert(rest.split(' ').next().unwrap().to_owned());
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap();
                let base = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|s| name.strip_suffix(s))
                    .filter(|b| typed.contains(*b))
                    .unwrap_or(name);
                assert!(typed.contains(base), "{line}");
            }
        }
    }

    #[tokio::test]
    async fn a_trusted_proxy_on_this_host_is_not_local() {
        use tower::ServiceExt as _;
        let dir = tempfile::tempdir().unwrap();
        let storage = crate::SqliteStorage::open_dir(dir.path()).await.unwrap();
        let state = AppState::new(Arc::new(storage), crate::Assets::Dir(dir.path().to_owned()));
        let get = |state: AppState| {
            let req = axum::http::Request::get("/metrics")
                .extension(ConnectInfo::<SocketAddr>("127.0.0.1:4000".parse().unwrap()))
                .body(axum::body::Body::empty())
                .unwrap();
            async move { crate::app(state).oneshot(req).await.unwrap().status() }
        };
        assert_eq!(get(state.clone()).await, StatusCode::OK);
        let proxied =
            state.with_trusted_proxies(crate::TrustedProxies::new(["127.0.0.1".parse().unwrap()]));
        assert_eq!(get(proxied).await, StatusCode::FORBIDDEN);
    }

    #[test]
    fn refusal_keys_are_a_fixed_set() {
        assert_eq!(refusal_key("schema.invalid"), "schema.invalid");
        assert_eq!(refusal_key("access.token.revoked"), "access.token.revoked");
        assert_eq!(
            refusal_key("message of 9000000 bytes exceeds the limit of 8388608 bytes"),
            "message.too_large"
        );
        assert_eq!(
            refusal_key("peer id p is in use by another device"),
            "peer.in_use"
        );
        assert_eq!(
            refusal_key("expected a join message, got sync"),
            "protocol.violation"
        );
        assert_eq!(
            refusal_key("some decoder error about 王小明"),
            "message.malformed"
        );
    }

    #[test]
    fn access_by_loopback_or_token() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let local6: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:5000".parse().unwrap();
        let none = HeaderMap::new();
        let mut forwarded = HeaderMap::new();
        forwarded.insert("x-forwarded-for", HeaderValue::from_static("192.0.2.7"));
        let open = MetricsAccess::Loopback;
        assert!(open.allows(Some(local), &none));
        assert!(open.allows(Some(local6), &none));
        assert!(!open.allows(Some(remote), &none));
        assert!(!open.allows(Some(local), &forwarded));
        assert!(!open.allows(None, &none));

        let token = "0123456789abcdef-metrics";
        let closed = MetricsAccess::token(token);
        let mut bearer = HeaderMap::new();
        bearer.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        let mut wrong = HeaderMap::new();
        wrong.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer 0123456789abcdef-metricz"),
        );
        assert!(closed.allows(Some(remote), &bearer));
        assert!(!closed.allows(Some(local), &none));
        assert!(!closed.allows(Some(remote), &wrong));
        assert!(parse_token("short").is_err());
        assert!(parse_token("has a space in it, long enough").is_err());
        assert!(parse_token(token).is_ok());
    }
}
