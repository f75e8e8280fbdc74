//! Yanzhen (雁阵) server, library part: the axum [`app`] router, the
//! [`AppState`] it runs on, the CLI [`Cli`] and [`run`]/[`serve`] with
//! graceful shutdown. `main.rs` is a thin wrapper; tests drive [`app`] with
//! `tower::ServiceExt::oneshot` or [`serve`] on `127.0.0.1:0`.
//!
//! # Endpoints
//!
//! * `GET /sync`: WebSocket, automerge-repo's sync protocol (CBOR, protocol
//!   "1") served by one [`yanzhen_sync::SyncNode`] in the server role
//!   ([`sync`]). The server answers `join` with `peer` carrying
//!   `storageId` = the storage's stable id and `isEphemeral: false`; it syncs
//!   the documents peers ask for and answers `doc-unavailable` for documents
//!   it does not have. Storage is written before anything depending on it is
//!   acknowledged. Messages over `--max-message-bytes` (8 MiB) or malformed
//!   ones get an `error` message and a close of that connection only.
//! * `GET /api/bootstrap`: `{"storageId": "<uuid>", "districtDocumentId":
//!   "<base58check>" | null, "version": "<version>"}`, where the app starts.
//! * `GET /healthz`: `{"status":"ok","version":…,"db":"ok"}` or 503.
//! * everything else: the embedded web app ([`assets`]).
//!
//! # Modules
//!
//! * [`storage`]: the [`Storage`] trait (automerge-repo keys `/`-joined, a
//!   `meta` table) and SQLite.
//! * [`sync`]: the `/sync` endpoint: connection tasks and the hub owning the
//!   node.
//! * [`demo`]: `--demo` stores the demo district once.
//! * [`assets`], [`security`]: the web app's files and security headers.

pub mod assets;
pub mod demo;
mod error;
pub mod security;
pub mod storage;
pub mod sync;

use std::{
    future::{Future, IntoFuture as _},
    net::SocketAddr,
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use crate::{
    assets::Assets,
    error::{Error, Result},
    storage::{SqliteStorage, Storage},
    sync::{SyncHub, SyncSettings},
};

/// The server version (`CARGO_PKG_VERSION`), reported by `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Shared state of all handlers. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Document storage for the sync layer (and the health check).
    pub storage: Arc<dyn Storage>,
    /// Where the web app's files come from.
    pub assets: Arc<Assets>,
    /// The `/sync` endpoint's hub (the task owning the sync node).
    pub sync: SyncHub,
}

impl AppState {
    /// State over an already opened storage, with default sync settings.
    /// Starts the sync hub: call inside a tokio runtime.
    pub fn new(storage: Arc<dyn Storage>, assets: Assets) -> Self {
        Self::with_sync(storage, assets, SyncSettings::default())
    }

    /// State over an already opened storage; starts the sync hub with
    /// `settings` (call inside a tokio runtime).
    pub fn with_sync(storage: Arc<dyn Storage>, assets: Assets, settings: SyncSettings) -> Self {
        let sync = SyncHub::start(Arc::clone(&storage), settings);
        Self {
            storage,
            assets: Arc::new(assets),
            sync,
        }
    }

    /// Open (creating if needed) the SQLite database in `data_dir` and build
    /// the state.
    pub async fn open(
        data_dir: &std::path::Path,
        assets: Assets,
        settings: SyncSettings,
    ) -> Result<Self> {
        let storage = SqliteStorage::open_dir(data_dir).await?;
        Ok(Self::with_sync(Arc::new(storage), assets, settings))
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("storage_id", &self.storage.storage_id())
            .field("assets", &self.assets)
            .finish()
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/bootstrap", get(bootstrap))
        .route("/sync", get(sync::ws))
        .fallback(assets::serve)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(security::add_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// `GET /healthz`: 200 `{"status":"ok","version":…,"db":"ok"}` after a
/// trivial query, or 503 `{"status":"error",…,"db":"<reason>"}`.
async fn healthz(State(state): State<AppState>) -> Response {
    let (status, body) = match state.storage.ping().await {
        Ok(()) => (
            StatusCode::OK,
            serde_json::json!({ "status": "ok", "version": VERSION, "db": "ok" }),
        ),
        Err(err) => {
            tracing::warn!(%err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({ "status": "error", "version": VERSION, "db": err.to_string() }),
            )
        }
    };
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /api/bootstrap`: where the app starts syncing.
/// `{"storageId": "<uuid>", "districtDocumentId": "<base58check>" | null,
/// "version": "<server version>"}`; `storageId` is the one the sync endpoint
/// announces, `districtDocumentId` the district document (set by `--demo`,
/// `null` while there is none). Never cached.
async fn bootstrap(State(state): State<AppState>) -> Response {
    let (status, body) = match state
        .storage
        .meta_get(storage::META_DISTRICT_DOCUMENT)
        .await
    {
        Ok(district) => (
            StatusCode::OK,
            serde_json::json!({
                "storageId": state.storage.storage_id(),
                "districtDocumentId": district,
                "version": VERSION,
            }),
        ),
        Err(err) => {
            tracing::warn!(%err, "bootstrap failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({ "error": err.to_string() }),
            )
        }
    };
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Command line of `yanzhen-server`.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "yanzhen-server", version, about = "Yanzhen (雁阵) server")]
pub struct Cli {
    /// Address to listen on (port 0 picks a free port; the real address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Data directory; the SQLite database is DATA/yanzhen.sqlite (created if missing).
    #[arg(long, default_value = "./data")]
    pub data: PathBuf,
    /// Serve the web app from this directory instead of the embedded build.
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// On first start (no documents stored), store the demo district.
    #[arg(long)]
    pub demo: bool,
    /// Seed of the demo district (`--demo`).
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    pub demo_seed: u64,
    /// Largest sync message accepted on `/sync`, in bytes; bigger ones get a
    /// protocol `error` and the connection is closed.
    #[arg(long, default_value_t = SyncSettings::default().max_message_bytes)]
    pub max_message_bytes: usize,
}

/// Run the server as configured by `cli` until Ctrl-C or SIGTERM.
///
/// Prints exactly one line to stdout, `Yanzhen listening on http://ADDR/`,
/// once the socket is bound.
pub async fn run(cli: Cli) -> Result<()> {
    let settings = SyncSettings {
        max_message_bytes: cli.max_message_bytes,
        ..SyncSettings::default()
    };
    // The demo is stored before the sync hub can serve anything.
    let storage: Arc<dyn Storage> = Arc::new(SqliteStorage::open_dir(&cli.data).await?);
    if cli.demo {
        match demo::ensure_demo(&*storage, cli.demo_seed).await? {
            demo::DemoOutcome::Created {
                district,
                documents,
            } => tracing::info!(%district, documents, "demo district stored"),
            demo::DemoOutcome::AlreadyThere { district } => {
                tracing::info!(%district, "demo: a district is already stored")
            }
            demo::DemoOutcome::NotEmpty => {
                tracing::warn!("demo: storage holds other documents; demo not stored")
            }
        }
    }
    let state = AppState::with_sync(storage, Assets::from_option(cli.assets), settings);
    let listener = TcpListener::bind(&cli.listen)
        .await
        .map_err(|source| Error::Bind {
            addr: cli.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr()?;
    announce(addr)?;
    tracing::info!(
        %addr,
        data = %cli.data.display(),
        storage_id = state.storage.storage_id(),
        assets = ?state.assets,
        "started"
    );
    serve(listener, state, shutdown_signal()).await
}

fn announce(addr: SocketAddr) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Yanzhen listening on http://{addr}/")?;
    out.flush()?;
    Ok(())
}

/// How long in-flight requests may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serve [`app`] on `listener` until `shutdown` completes, then stop
/// accepting, close the sync connections (after flushing pending saves), let
/// in-flight requests finish (at most [`SHUTDOWN_GRACE`]), close the storage
/// and log "stopped".
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let storage = Arc::clone(&state.storage);
    let hub = state.sync.clone();
    let hub_on_signal = state.sync.clone();
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        shutdown.await;
        // WebSockets outlive axum's graceful shutdown (they are upgraded
        // connections): the hub closes them.
        tokio::spawn(async move { hub_on_signal.shutdown().await });
        let _ = signalled_tx.send(());
    };
    let server = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .into_future();
    let grace_over = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let result = tokio::select! {
        result = server => result,
        () = grace_over => {
            tracing::warn!(
                "in-flight requests did not finish within {} s; stopping anyway",
                SHUTDOWN_GRACE.as_secs()
            );
            Ok(())
        }
    };
    hub.shutdown().await;
    storage.close().await;
    result?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
