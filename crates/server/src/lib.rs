//! Yanzhen (雁阵) server shell, library part: the axum [`app`] router (web app
//! assets, `/healthz`, later `/sync`), the [`AppState`] it runs on, the CLI
//! [`Cli`] and [`run`]/[`serve`] with graceful shutdown. `main.rs` is a thin
//! wrapper; tests drive [`app`] with `tower::ServiceExt::oneshot`.

pub mod assets;
pub mod demo;
mod error;
pub mod security;
pub mod storage;

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
}

impl AppState {
    /// State over an already opened storage.
    pub fn new(storage: Arc<dyn Storage>, assets: Assets) -> Self {
        Self {
            storage,
            assets: Arc::new(assets),
        }
    }

    /// Open (creating if needed) the SQLite database in `data_dir` and build
    /// the state.
    pub async fn open(data_dir: &std::path::Path, assets: Assets) -> Result<Self> {
        let storage = SqliteStorage::open_dir(data_dir).await?;
        Ok(Self::new(Arc::new(storage), assets))
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
        // ── /sync: the automerge-repo WebSocket endpoint goes HERE ───────────
        // Not implemented in this crate yet (the sync crate is in progress);
        // deliberately no stub. When added: `.route("/sync", get(sync::ws))`,
        // enable axum's `ws` feature, and keep it above the asset fallback.
        // ─────────────────────────────────────────────────────────────────────
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
}

/// Run the server as configured by `cli` until Ctrl-C or SIGTERM.
///
/// Prints exactly one line to stdout, `Yanzhen listening on http://ADDR/`,
/// once the socket is bound.
pub async fn run(cli: Cli) -> Result<()> {
    let state = AppState::open(&cli.data, Assets::from_option(cli.assets)).await?;
    if cli.demo {
        match demo::ensure_demo(&*state.storage, cli.demo_seed).await? {
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
/// accepting, let in-flight requests finish (at most [`SHUTDOWN_GRACE`]),
/// close the storage and log "stopped".
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let storage = Arc::clone(&state.storage);
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        shutdown.await;
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
