//! Yanzhen (雁阵) server, library part: the axum [`app`] router, the
//! [`AppState`] it runs on, the CLI [`Cli`] and [`run`]/[`serve`] with
//! graceful shutdown. `main.rs` is a thin wrapper; tests drive [`app`] with
//! `tower::ServiceExt::oneshot` or [`serve`] on `127.0.0.1:0`.
//!
//! # Endpoints
//!
//! * `GET /sync?token=…` (or `Authorization: Bearer …`): WebSocket, automerge-repo's sync protocol (CBOR, protocol
//!   "1") served by one [`yanzhen_sync::SyncNode`] in the server role
//!   ([`sync`]). The server answers `join` with `peer` carrying
//!   `storageId` = the storage's stable id and `isEphemeral: false`; it syncs
//!   the documents peers ask for and answers `doc-unavailable` for documents
//!   it does not have. Storage is written before anything depending on it is
//!   acknowledged. Messages over `--max-message-bytes` (8 MiB) or malformed
//!   ones get an `error` message and a close of that connection only.
//!   Without a valid device token: 401 before the upgrade. What a device may
//!   read or write follows its role ([`policy`]).
//! * `POST /api/enrol`, `GET /api/me`, `POST /api/admin/codes`,
//!   `GET /api/admin/devices`, `POST /api/admin/devices/{id}/revoke`: device
//!   enrolment and management ([`api`]); enrolment and `/api/me` carry
//!   the district's keys (`"keys"`, [`keys`]).
//! * `POST /api/attest` `{"documents": [...]}`: the server's signed heads
//!   of the listed documents the device may read ([`api::attest`]).
//! * `GET /api/bootstrap`: `{"storageId": "<uuid>", "districtDocumentId":
//!   "<base58check>" | null, "version": "<version>"}`, where the app starts.
//! * `GET /healthz`: `{"status":"ok","version":…,"db":"ok"}`, or 503
//!   `{"status":"storage_fault","error":…}` while storage is reported
//!   failing or its probe fails ([`health`]).
//! * `GET /metrics`: counters in Prometheus' text format, for loopback
//!   requests or `--metrics-token` bearers only ([`metrics`]).
//! * everything else: the embedded web app ([`assets`]).
//!
//! # Modules
//!
//! * [`storage`]: the [`Storage`] trait (automerge-repo keys `/`-joined, a
//!   `meta` table) on SQLite or PostgreSQL ([`DatabaseTarget`]).
//! * [`sync`]: the `/sync` endpoint: connection tasks and the hub owning the
//!   node.
//! * [`demo`]: `--demo` stores the demo district once.
//! * [`auth`]: devices, tokens, enrolment codes, rate limits (SQL).
//! * [`policy`]: roles, the unit directory and the sync access policy.
//! * [`api`]: the enrolment and admin HTTP API, attestations.
//! * [`keys`]: the server's signing key and the district transfer key.
//! * [`health`]: the shared storage-fault state and `/healthz`'s probe.
//! * [`proxy`]: the client's address behind a trusted reverse proxy.
//! * [`tls`]: HTTPS/WSS served by the server itself (`--tls-cert`,
//!   `--tls-key`; [`serve_tls`]).
//! * [`backup`]: `backup --to FILE`, an online consistent SQLite copy.
//! * [`metrics`]: the counters, `/metrics` and who may read it.
//! * [`logging`]: the log subscriber, `--node-id` on every line, JSON.
//!
//! # Command line
//!
//! `yanzhen-server [serve] [--listen …] [--data DIR | --database URL]
//! [--demo] …` serves (the default); `yanzhen-server enrol --role village
//! --unit <id or name> [--expires-hours 72] [--data DIR | --database URL]`
//! prints a one-time enrolment code; `yanzhen-server devices list|revoke
//! <id> [--data DIR | --database URL]` manages devices; `yanzhen-server
//! backup --to FILE [--force] [--data DIR | --database sqlite://PATH]`
//! copies the SQLite database while it is served. `--data DIR` (the
//! default, `./data`) is SQLite at `DIR/yanzhen.sqlite`; `--database` takes
//! `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
//! * [`assets`], [`security`]: the web app's files and security headers.
//!
//! Long file: the router, the application state, the command line and the
//! serve loop are the server's one public surface; each handler and subsystem
//! is its own module, what stays here is the wiring between them.

pub mod api;
pub mod assets;
pub mod auth;
pub mod backup;
pub mod city;
pub mod demo;
mod error;
pub mod health;
pub mod keys;
pub mod logging;
pub mod metrics;
pub mod policy;
pub mod proxy;
pub mod relay;
pub mod security;
pub mod storage;
pub mod sync;
pub mod tls;

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
    routing::{get, post},
};
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use crate::{
    assets::Assets,
    auth::AuthStore,
    error::{Error, Result},
    health::Health,
    policy::Role,
    proxy::TrustedProxies,
    storage::{DatabaseTarget, Db, PgStorage, SqliteStorage, Storage},
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
    /// Devices, tokens and enrolment codes.
    pub auth: AuthStore,
    /// Storage faults reported by the sync hub, read by `/healthz`.
    pub health: Health,
    /// Reverse proxies whose forwarding headers name the client (for the
    /// enrolment rate limit); none by default.
    pub trusted_proxies: TrustedProxies,
    /// The server's keys, read (or made) from `storage` on first use
    /// ([`AppState::keys`]; [`run_serve`] does so at start).
    keys: Arc<tokio::sync::OnceCell<Arc<keys::ServerKeys>>>,
    /// Counters for `/metrics` ([`metrics`]).
    pub metrics: metrics::Metrics,
    /// Who may read `/metrics` (loopback only unless `--metrics-token`).
    pub metrics_access: metrics::MetricsAccess,
}

impl AppState {
    /// State over an already opened SQLite storage, with default sync
    /// settings. Starts the sync hub: call inside a tokio runtime.
    pub fn new(storage: Arc<SqliteStorage>, assets: Assets) -> Self {
        Self::with_sync(storage, assets, SyncSettings::default())
    }

    /// State over an already opened SQLite storage (documents and the
    /// access-control tables); starts the sync hub with `settings` (call
    /// inside a tokio runtime).
    pub fn with_sync(storage: Arc<SqliteStorage>, assets: Assets, settings: SyncSettings) -> Self {
        let auth = AuthStore::new(storage.pool().clone());
        Self::with_parts(storage, auth, assets, settings)
    }

    /// State over any document storage and an access-control store.
    pub fn with_parts(
        storage: Arc<dyn Storage>,
        auth: AuthStore,
        assets: Assets,
        settings: SyncSettings,
    ) -> Self {
        let metrics = metrics::Metrics::new(&logging::default_node_id());
        Self::with_metrics(storage, auth, assets, settings, metrics)
    }

    /// [`AppState::with_parts`] counting into `metrics` (storage timed by
    /// [`metrics::MeteredStorage`]).
    pub fn with_metrics(
        storage: Arc<dyn Storage>,
        auth: AuthStore,
        assets: Assets,
        settings: SyncSettings,
        metrics: metrics::Metrics,
    ) -> Self {
        let storage: Arc<dyn Storage> =
            Arc::new(metrics::MeteredStorage::new(storage, metrics.clone()));
        // Made before the hub so that the hub can be given a clone to
        // report storage faults (`Health::storage_failed` / `storage_ok`).
        let health = Health::new();
        let sync = SyncHub::start_with_metrics(
            Arc::clone(&storage),
            settings,
            auth.clone(),
            health.clone(),
            metrics.clone(),
        );
        Self {
            storage,
            assets: Arc::new(assets),
            sync,
            auth,
            health,
            trusted_proxies: TrustedProxies::default(),
            keys: Arc::new(tokio::sync::OnceCell::new()),
            metrics,
            metrics_access: metrics::MetricsAccess::default(),
        }
    }

    /// The same state, letting `access` read `/metrics`.
    pub fn with_metrics_access(mut self, access: metrics::MetricsAccess) -> Self {
        self.metrics_access = access;
        self
    }

    /// The server's keys: read from storage (made and stored at the first
    /// start) once, then kept in memory.
    pub async fn keys(&self) -> Result<Arc<keys::ServerKeys>> {
        self.keys
            .get_or_try_init(|| async {
                keys::ServerKeys::load_or_create(&*self.storage)
                    .await
                    .map(Arc::new)
            })
            .await
            .cloned()
    }

    /// The same state, believing the forwarding headers of these proxies
    /// (`--trusted-proxy`, [`proxy`]).
    pub fn with_trusted_proxies(mut self, trusted: TrustedProxies) -> Self {
        self.trusted_proxies = trusted;
        self
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
        .route("/metrics", get(metrics::serve))
        .route("/api/bootstrap", get(bootstrap))
        .route("/api/enrol", post(api::enrol))
        .route("/api/me", get(api::me))
        .route(
            "/api/attest",
            post(api::attest).layer(axum::extract::DefaultBodyLimit::max(api::ATTEST_MAX_BODY)),
        )
        .route(
            "/api/relay",
            post(relay::relay).layer(axum::extract::DefaultBodyLimit::max(relay::RELAY_MAX_BODY)),
        )
        .route("/api/admin/codes", post(api::issue_code))
        .route("/api/admin/devices", get(api::devices))
        .route("/api/admin/devices/{id}/revoke", post(api::revoke))
        .route(
            "/api/districts",
            get(api::city::list).post(api::city::create),
        )
        .route(
            "/api/districts/{id}/codes",
            post(api::city::issue_admin_code),
        )
        .route("/sync", get(sync::ws))
        .fallback(assets::serve)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(security::add_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    // Never the query: `/sync?token=…` carries a secret.
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        uri = %redacted_uri(req.uri()),
                        version = ?req.version(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// The request target for logs: the path, and `?…` (redacted) if there was
/// a query.
pub fn redacted_uri(uri: &axum::http::Uri) -> String {
    match uri.query() {
        Some(_) => format!("{}?[redacted]", uri.path()),
        None => uri.path().to_owned(),
    }
}

/// `GET /healthz`: 200 `{"status":"ok","version":…,"db":"ok"}` when no
/// storage fault is reported and the database answers its probe (a trivial
/// query, or at most every [`health::WRITE_PROBE_INTERVAL`] a tiny write,
/// within [`health::PROBE_TIMEOUT`]); otherwise 503
/// `{"status":"storage_fault","version":…,"db":"<reason>","error":"<reason>"}`
/// (with `"since"`, ms since the epoch, for a fault reported by the hub).
async fn healthz(State(state): State<AppState>) -> Response {
    let fault = |reason: String, since: Option<i64>| {
        let mut body = serde_json::json!({
            "status": "storage_fault",
            "version": VERSION,
            "db": reason,
            "error": reason,
        });
        if let Some(since) = since {
            body["since"] = since.into();
        }
        (StatusCode::SERVICE_UNAVAILABLE, body)
    };
    let (status, body) = if let Some(f) = state.health.storage_fault() {
        fault(f.reason, Some(f.since_ms))
    } else {
        let write = state.health.claim_write_probe(auth::now_ms());
        let probe = if write {
            state.storage.probe_write()
        } else {
            state.storage.ping()
        };
        let failed = match tokio::time::timeout(health::PROBE_TIMEOUT, probe).await {
            Ok(Ok(())) => None,
            Ok(Err(err)) => Some(err.to_string()),
            Err(_) => Some(format!(
                "storage did not answer within {} s",
                health::PROBE_TIMEOUT.as_secs()
            )),
        };
        match failed {
            None => (
                StatusCode::OK,
                serde_json::json!({ "status": "ok", "version": VERSION, "db": "ok" }),
            ),
            Some(reason) => {
                if write {
                    state.health.write_probe_failed();
                }
                tracing::warn!(%reason, write, "health check failed");
                fault(reason, None)
            }
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

/// Command line of `yanzhen-server`: serving is the default when no
/// subcommand is given.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "yanzhen-server",
    version,
    about = "Yanzhen (雁阵) server",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Serving options (when no subcommand is given).
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Serve the app, the API and `/sync` (the default).
    Serve(ServeArgs),
    /// Issue a one-time enrolment code (printed on stdout).
    Enrol(EnrolArgs),
    /// List or revoke enrolled devices.
    Devices {
        /// What to do with devices.
        #[command(subcommand)]
        command: DevicesCommand,
    },
    /// Back the SQLite database up while the server runs (a consistent
    /// copy; for PostgreSQL use pg_dump).
    Backup(BackupArgs),
}

/// `yanzhen-server backup …`.
#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (refused if it exists, unless `--force`).
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// Replace `--to` if it exists.
    #[arg(long)]
    pub force: bool,
    /// Data directory (SQLite at DATA/yanzhen.sqlite).
    #[arg(long, default_value = "./data")]
    pub data: PathBuf,
    /// The database instead of `--data`: `sqlite://PATH` (PostgreSQL:
    /// use pg_dump).
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
}

/// `yanzhen-server devices …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum DevicesCommand {
    /// List devices: id, name, role, unit, created, last seen, revoked.
    List {
        /// Data directory (SQLite at DATA/yanzhen.sqlite).
        #[arg(long, default_value = "./data")]
        data: PathBuf,
        /// The database instead of `--data`: `sqlite://PATH` or
        /// `postgres://USER@HOST:PORT/DB`.
        #[arg(long, value_name = "URL", conflicts_with = "data")]
        database: Option<String>,
    },
    /// Revoke a device: its token stops working (a running server
    /// disconnects it within seconds).
    Revoke {
        /// The device id (from `devices list`).
        device_id: String,
        /// Data directory (SQLite at DATA/yanzhen.sqlite).
        #[arg(long, default_value = "./data")]
        data: PathBuf,
        /// The database instead of `--data`: `sqlite://PATH` or
        /// `postgres://USER@HOST:PORT/DB`.
        #[arg(long, value_name = "URL", conflicts_with = "data")]
        database: Option<String>,
    },
}

/// `yanzhen-server enrol …`.
#[derive(Debug, Clone, clap::Args)]
pub struct EnrolArgs {
    /// village (or community), township (or street), admin, viewer (a
    /// district's), city_admin, city_viewer (the city's).
    #[arg(long)]
    pub role: String,
    /// The district (its id) of a district role; may be left out while the
    /// deployment has one district.
    #[arg(long)]
    pub district: Option<String>,
    /// Create the district first (`--district`, or `main`), named NAME,
    /// unless it exists: how a deployment gets its first district.
    #[arg(long, value_name = "NAME")]
    pub district_name: Option<String>,
    /// The unit (id or exact name) for village and township offices.
    #[arg(long)]
    pub unit: Option<String>,
    /// Hours until the code expires.
    #[arg(long, default_value_t = auth::DEFAULT_CODE_HOURS)]
    pub expires_hours: u32,
    /// Data directory (SQLite at DATA/yanzhen.sqlite).
    #[arg(long, default_value = "./data")]
    pub data: PathBuf,
    /// The database instead of `--data`: `sqlite://PATH` or
    /// `postgres://USER@HOST:PORT/DB`.
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
}

impl EnrolArgs {
    /// Where the database is (`--database`, else `--data`).
    pub fn target(&self) -> Result<DatabaseTarget> {
        database_target(&self.data, self.database.as_deref())
    }
}

/// `--database` if given (parsed here rather than by clap, whose error
/// would repeat the URL and its password), else SQLite in the `--data`
/// directory.
pub fn database_target(data: &std::path::Path, database: Option<&str>) -> Result<DatabaseTarget> {
    match database {
        Some(url) => url.parse(),
        None => Ok(DatabaseTarget::data_dir(data)),
    }
}

/// Options of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the real address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Data directory; the SQLite database is DATA/yanzhen.sqlite (created if missing).
    #[arg(long, default_value = "./data")]
    pub data: PathBuf,
    /// The database instead of `--data`: `sqlite://PATH` (the file, created
    /// if missing) or `postgres://USER[:PASSWORD]@HOST:PORT/DB` (the
    /// database must exist; tables are created; a password may also come
    /// from PGPASSWORD or ~/.pgpass).
    #[arg(long, value_name = "URL", conflicts_with = "data")]
    pub database: Option<String>,
    /// Serve the web app from this directory instead of the embedded build.
    #[arg(long, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// On first start (no documents stored), store the demo district and
    /// print a district-admin enrolment code on stderr.
    #[arg(long, conflicts_with = "demo_city")]
    pub demo: bool,
    /// On first start, store a demo city of four synthetic districts (the
    /// first is `--demo`'s district) and print a city-admin and a
    /// district-admin enrolment code on stderr.
    #[arg(long)]
    pub demo_city: bool,
    /// Serve HTTPS (and WSS for `/sync`) with this certificate chain (PEM);
    /// needs `--tls-key`. Without both, plain HTTP (for a reverse proxy
    /// terminating TLS, or a trusted network).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM: PKCS#8, RSA or EC) of `--tls-cert`.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Seed of the demo district (`--demo`).
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    pub demo_seed: u64,
    /// Largest sync message accepted on `/sync`, in bytes; bigger ones get a
    /// protocol `error` and the connection is closed.
    #[arg(long, default_value_t = SyncSettings::default().max_message_bytes)]
    pub max_message_bytes: usize,
    /// Sync connections one device (token) may hold at once; one more is
    /// refused with 429 `access.token.too_many_connections` (0: no limit).
    #[arg(long, default_value_t = SyncSettings::default().max_connections_per_device)]
    pub max_connections_per_device: usize,
    /// Days a device may go without contacting the server before its token
    /// expires (401 `access.token.expired`; it enrols again and keeps its
    /// records). 0: tokens never expire.
    #[arg(long, default_value_t = auth::DEFAULT_TOKEN_IDLE_DAYS)]
    pub token_idle_days: u32,
    /// A reverse proxy (IP or CIDR network, repeatable) whose
    /// `X-Forwarded-For` / `Forwarded: for=` headers name the client, for
    /// the per-client enrolment rate limit. Only requests whose TCP peer is
    /// one of these read the headers; from anyone else they are ignored.
    #[arg(long = "trusted-proxy", value_name = "IP or CIDR")]
    pub trusted_proxies: Vec<proxy::IpNet>,
    /// This server's name in every log line, the metrics' `node` label and
    /// its change notices to the other nodes sharing one PostgreSQL
    /// (A-Z a-z 0-9 . _ -, at most 64; default HOSTNAME-PID).
    #[arg(long, value_name = "ID", value_parser = logging::parse_node_id)]
    pub node_id: Option<String>,
    /// Log lines as text or as one JSON object per line (stderr).
    #[arg(long, value_enum, default_value_t = logging::LogFormat::Text)]
    pub log_format: logging::LogFormat,
    /// Let requests with `Authorization: Bearer TOKEN` read `/metrics`
    /// (then only them). Without it only loopback requests that were not
    /// forwarded by a proxy may. Better given through the environment.
    #[arg(
        long,
        env = "YANZHEN_METRICS_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        value_parser = metrics::parse_token
    )]
    pub metrics_token: Option<String>,
}

impl ServeArgs {
    /// `--node-id`, or the default `HOSTNAME-PID`.
    pub fn node_id(&self) -> String {
        self.node_id
            .clone()
            .unwrap_or_else(logging::default_node_id)
    }
}

impl Cli {
    /// How to log and as which node: the serving options' (defaults for
    /// the other commands).
    pub fn log_settings(&self) -> (logging::LogFormat, String) {
        match &self.command {
            None => (self.serve.log_format, self.serve.node_id()),
            Some(Command::Serve(args)) => (args.log_format, args.node_id()),
            Some(_) => (logging::LogFormat::Text, logging::default_node_id()),
        }
    }
}

/// Run the command of `cli`: serve (default), `enrol` or `devices`.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        None => run_serve(cli.serve).await,
        Some(Command::Serve(args)) => run_serve(args).await,
        Some(Command::Enrol(args)) => run_enrol(args).await,
        Some(Command::Devices { command }) => run_devices(command).await,
        Some(Command::Backup(args)) => run_backup(args).await,
    }
}

/// `backup`: an online, consistent copy of the SQLite database
/// ([`backup`]); prints the file on stdout.
pub async fn run_backup(args: BackupArgs) -> Result<()> {
    use std::io::Write as _;
    let target = database_target(&args.data, args.database.as_deref())?;
    let report = backup::backup(&target, &args.to, args.force).await?;
    tracing::info!(
        database = %target,
        to = %report.path.display(),
        bytes = report.bytes,
        storage_id = %report.storage_id,
        schema_version = %report.schema_version,
        "backup written"
    );
    writeln!(std::io::stdout().lock(), "{}", report.path.display())?;
    Ok(())
}

/// The demo's first enrolment codes, on the first start only (no code
/// issued yet): the demo district's admin, and with `city` the city admin.
/// Printed once, on purpose: the person running the demo types them into
/// the app. Never logged through tracing.
async fn print_demo_codes(storage: &Arc<dyn Storage>, db: &storage::Db, city: bool) -> Result<()> {
    let auth = AuthStore::new(db.clone());
    if auth.any_code_issued().await? {
        return Ok(());
    }
    let loaded = city::load_city(&**storage, db).await?;
    let Some(first) = loaded.districts.get(demo::DEMO_DISTRICT_ID) else {
        return Ok(());
    };
    let hours = auth::DEFAULT_CODE_HOURS;
    let issued = auth
        .issue_code(first.into(), Role::Admin, None, hours)
        .await?;
    eprintln!(
        "\n演示区管理员注册码 / Demo district-admin enrolment code: {}\n（{}；一次性，{hours} 小时内有效 / one-time, valid for {hours} hours）\n",
        issued.code, first.name,
    );
    if city {
        let issued = auth
            .issue_code(auth::CodeScope::City, Role::CityAdmin, None, hours)
            .await?;
        eprintln!(
            "演示市级管理员注册码 / Demo city-admin enrolment code: {}\n（一次性，{hours} 小时内有效 / one-time, valid for {hours} hours）\n",
            issued.code,
        );
    }
    Ok(())
}

/// `enrol`: issue a code for a role and unit, print it on stdout.
pub async fn run_enrol(args: EnrolArgs) -> Result<()> {
    use std::io::Write as _;
    let role: Role = args.role.parse()?;
    let opened = storage::open(&args.target()?).await?;
    let result = async {
        city::adopt_legacy(&*opened.storage, &opened.db).await?;
        if let Some(name) = args.district_name.as_deref() {
            let id = args.district.as_deref().unwrap_or(city::LEGACY_DISTRICT_ID);
            if city::get(&opened.db, id).await?.is_none() {
                let mut random = [0u8; 48];
                auth::random_bytes(&mut random)?;
                city::create_district(&*opened.storage, &opened.db, id, name, random)
                    .await?
                    .ok_or_else(|| Error::Access(format!("district {id:?} exists")))?;
                eprintln!("district {id} created: {name}");
            }
        }
        let city = city::load_city(&*opened.storage, &opened.db).await?;
        let wanted = args
            .district
            .as_deref()
            .or(args.district_name.is_some().then_some(city::LEGACY_DISTRICT_ID));
        let district = match (role.has_district(), wanted) {
            (false, None) => None,
            (false, Some(_)) => {
                return Err(Error::Access(format!("role {role} takes no district")));
            }
            (true, Some(id)) => Some(city.districts.get(id).ok_or_else(|| {
                Error::Access(format!(
                    "no district {id:?} (create it with --district-name NAME)"
                ))
            })?),
            (true, None) => Some(city.only_district().ok_or_else(|| {
                let known: Vec<&str> = city.districts.keys().map(String::as_str).collect();
                Error::Access(if known.is_empty() {
                    format!(
                        "role {role} needs a district and there is none yet: create the first with --district ID --district-name NAME"
                    )
                } else {
                    format!("role {role} needs --district (one of: {})", known.join(", "))
                })
            })?),
        };
        let scope = district.map_or(auth::CodeScope::City, auth::CodeScope::from);
        let auth = AuthStore::new(opened.db.clone());
        auth.issue_code(scope, role, args.unit.as_deref(), args.expires_hours)
            .await
    }
    .await;
    opened.storage.close().await;
    let issued = result?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", issued.code)?;
    drop(out);
    eprintln!(
        "role {}, district {}, unit {}, expires {}",
        issued.role,
        issued.district_id.as_deref().unwrap_or("-"),
        issued.unit_id.as_deref().unwrap_or("-"),
        auth::format_utc(issued.expires_at)
    );
    Ok(())
}

/// `devices list` / `devices revoke`.
pub async fn run_devices(command: DevicesCommand) -> Result<()> {
    use std::io::Write as _;
    let target = match &command {
        DevicesCommand::List { data, database } | DevicesCommand::Revoke { data, database, .. } => {
            database_target(data, database.as_deref())?
        }
    };
    let opened = storage::open(&target).await?;
    let auth = AuthStore::new(opened.db.clone());
    let result = async {
        let mut out = std::io::stdout().lock();
        match command {
            DevicesCommand::List { .. } => {
                let devices = auth.devices().await?;
                writeln!(
                    out,
                    "id\tname\trole\tdistrict\tunit\tcreated\tlast seen\trevoked"
                )?;
                for d in devices {
                    let time = |t: Option<i64>| t.map_or("-".to_owned(), auth::format_utc);
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        d.id,
                        d.name,
                        d.role,
                        d.district_id.as_deref().unwrap_or("-"),
                        d.unit_id.as_deref().unwrap_or("-"),
                        auth::format_utc(d.created_at),
                        time(d.last_seen_at),
                        time(d.revoked_at),
                    )?;
                }
                Ok(())
            }
            DevicesCommand::Revoke { device_id, .. } => {
                if auth.revoke(&device_id).await? {
                    writeln!(out, "revoked {device_id}")?;
                    Ok(())
                } else {
                    Err(Error::Access(format!("no device {device_id}")))
                }
            }
        }
    }
    .await;
    opened.storage.close().await;
    result
}

/// Serve as configured by `args` until Ctrl-C or SIGTERM.
///
/// Prints exactly one line to stdout, `Yanzhen listening on http://ADDR/`
/// (`https://` with `--tls-cert`), once the socket is bound.
pub async fn run_serve(cli: ServeArgs) -> Result<()> {
    // Read the certificate before anything else: a bad file stops the start
    // with a clear error, not the first client's handshake.
    let tls = match (&cli.tls_cert, &cli.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load_config(cert, key)?),
        (None, None) => None,
        _ => {
            return Err(Error::Tls(tls::TlsError::Incomplete));
        }
    };
    // One id for the logs, the metrics and the change notices to the
    // other nodes.
    let node_id = cli.node_id();
    let settings = SyncSettings {
        max_message_bytes: cli.max_message_bytes,
        max_connections_per_device: cli.max_connections_per_device,
        node_id: node_id.clone(),
        ..SyncSettings::default()
    };
    // The demo is stored before the sync hub can serve anything.
    let target = database_target(&cli.data, cli.database.as_deref())?;
    let storage::Opened { storage, db } = storage::open(&target).await?;
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
        if let Some(district) = storage
            .meta_get(storage::META_DISTRICT_DOCUMENT)
            .await?
            .and_then(|d| d.parse().ok())
        {
            demo::register_demo_district(&db, district).await?;
        }
    }
    if cli.demo_city {
        let stored = demo::ensure_demo_city(&*storage, &db).await?;
        tracing::info!(districts = stored, "demo city stored");
    }
    // A deployment from before the city: its district becomes one.
    city::adopt_legacy(&*storage, &db).await?;
    if cli.demo || cli.demo_city {
        print_demo_codes(&storage, &db, cli.demo_city).await?;
    }
    let auth = AuthStore::new(db).with_token_idle(cli.token_idle_days);
    let metrics_access = match &cli.metrics_token {
        Some(token) => metrics::MetricsAccess::token(token),
        None => metrics::MetricsAccess::Loopback,
    };
    let state = AppState::with_metrics(
        storage,
        auth,
        Assets::from_option(cli.assets),
        settings,
        metrics::Metrics::new(&node_id),
    )
    .with_trusted_proxies(TrustedProxies::new(cli.trusted_proxies.iter().copied()))
    .with_metrics_access(metrics_access);
    // The keys exist from the first start on (made now if missing).
    state.keys().await?;
    let listener = TcpListener::bind(&cli.listen)
        .await
        .map_err(|source| Error::Bind {
            addr: cli.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr()?;
    // Before the address is announced: a SIGTERM from then on is handled.
    let shutdown = shutdown_signal();
    announce(addr, tls.is_some())?;
    tracing::info!(
        %addr,
        database = %target,
        storage_id = state.storage.storage_id(),
        assets = ?state.assets,
        tls = tls.is_some(),
        trusted_proxies = ?cli.trusted_proxies,
        node = %node_id,
        metrics = ?state.metrics_access,
        "started"
    );
    match tls {
        Some(config) => serve_tls(listener, config, state, shutdown).await,
        None => serve(listener, state, shutdown).await,
    }
}

fn announce(addr: SocketAddr, tls: bool) -> Result<()> {
    use std::io::Write as _;
    let scheme = if tls { "https" } else { "http" };
    let mut out = std::io::stdout().lock();
    writeln!(out, "Yanzhen listening on {scheme}://{addr}/")?;
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
    serve_on(listener, state, shutdown).await
}

/// [`serve`] over TLS: HTTPS, and WSS for `/sync` ([`tls`]).
pub async fn serve_tls(
    listener: TcpListener,
    config: Arc<tokio_rustls::rustls::ServerConfig>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    use axum::serve::ListenerExt as _;
    // `tap_io` (doing nothing) gives the connection info (`SocketAddr`) of
    // any listener to the handlers, as for plain TCP.
    let listener = tls::TlsListener::new(listener, config)?.tap_io(|_| {});
    serve_on(listener, state, shutdown).await
}

async fn serve_on<L>(
    listener: L,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
    SocketAddr: for<'a> axum::extract::connect_info::Connected<axum::serve::IncomingStream<'a, L>>,
{
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
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
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

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM. The SIGTERM handler
/// is installed when this is called, not when the future is first polled:
/// a SIGTERM right after the address is announced (before the server's
/// shutdown task runs) still shuts down cleanly instead of killing the
/// process. Call it inside the runtime.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        let ctrl_c = async {
            if let Err(err) = tokio::signal::ctrl_c().await {
                tracing::error!(%err, "cannot listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            match term {
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
}
